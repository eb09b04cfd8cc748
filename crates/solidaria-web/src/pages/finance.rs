//! The funds' pages: the list, and each fund's public figures with the chart of money received.

use super::render;
use crate::i18n::{Messages, messages};
use askama::Template;

#[derive(Template)]
#[template(path = "funds.html")]
struct FundsPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    /// (id, name, manager, leverage achieved or "—").
    funds: Vec<(String, String, String, String)>,
}

/// The list of funds, with each one's leverage achieved.
pub fn funds(lang: &str, funds: Vec<(String, String, String, String)>) -> String {
    render(FundsPage { lang, t: messages(lang), funds })
}

#[derive(Template)]
#[template(path = "fund.html")]
struct FundPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    id: String,
    name: String,
    manager: String,
    /// The manager's name.
    manager_name: String,
    currency: String,
    note: Option<String>,
    public_committed: String,
    public_received: String,
    private_committed: String,
    private_received: String,
    leverage: String,
    target: Option<String>,
    headroom: String,
    invested: String,
    repaid: String,
    written_off: String,
    outstanding: String,
    cash: String,
    /// The SVG chart of money received, made by the app (its texts escaped there).
    chart: String,
}

/// A fund's public page: its aggregates and the chart of money received; no position by
/// organization.
pub fn fund(
    lang: &str,
    f: &solidaria_core::finance::fund::Fund,
    r: &solidaria_core::finance::report::Report,
    chart: String,
    manager_name: String,
) -> String {
    let c = f.currency;
    let t = messages(lang);
    let m = |x: i128| t.money(c, x);
    let target = match &f.release {
        solidaria_core::finance::fund::ReleaseRule::Leverage { private_per_public } => Some(private_per_public.text()),
        _ => None,
    };
    render(FundPage {
        lang,
        t,
        id: f.id.to_string(),
        name: f.name.clone(),
        manager: f.manager.to_string(),
        manager_name,
        currency: c.code().to_string(),
        note: f.note.clone(),
        public_committed: m(r.public_committed),
        public_received: m(r.public_received),
        private_committed: m(r.private_committed),
        private_received: m(r.private_received),
        leverage: r.leverage.clone().map_or("—".to_string(), |l| format!("{l}:1")),
        target,
        headroom: m(r.headroom),
        invested: m(r.invested),
        repaid: m(r.repaid),
        written_off: m(r.written_off),
        outstanding: m(r.outstanding),
        cash: m(r.cash),
        chart,
    })
}
