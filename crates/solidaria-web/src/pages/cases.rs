//! The social-innovation cases' pages: the list, and each case with its strength and what it
//! needs to work elsewhere.

use super::{CriterionRow, DEFAULT_PAGE, Pager, encode, render};
use crate::i18n::{Messages, messages};
use askama::Template;
use solidaria_core::screening::builtin;

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage<'a> {
    lang: &'a str,
    t: &'a Messages,
    id: String,
    name: String,
    kind: String,
    territory: String,
    class: String,
    class_css: &'static str,
    rule: String,
    dimensions: Vec<CriterionRow>,
    sections: Vec<(String, String)>,
    /// Each precondition: its kind, its test in words, and why it matters (as written).
    preconditions: Vec<(String, String, Option<String>)>,
}

/// A case's page: its strength dimension by dimension, its story, its preconditions.
pub fn case(lang: &str, c: &solidaria_core::Case) -> String {
    use solidaria_core::innovation::{STRENGTH_PROFILE, Strength, assess};
    let t = messages(lang);
    let Some(profile) = builtin::find(STRENGTH_PROFILE) else {
        return "strength profile missing".to_string();
    };
    let a = assess(profile, c);
    let dimensions = a
        .screening
        .criteria
        .iter()
        .map(|d| CriterionRow {
            title: t.criterion_title(&profile.id, d.id, d.title).to_string(),
            outcome: d.outcome.as_str(),
            label: t.outcome(d.outcome).to_string(),
            kind: match d.kind {
                solidaria_core::screening::profile::Kind::Mandatory => t.summary.mandatory.clone(),
                solidaria_core::screening::profile::Kind::Indicative => t.summary.indicative.clone(),
            },
            reason: crate::i18n::Words(t).reason(&d.reason),
            citation: d.citation.to_string(),
        })
        .collect();
    let sections = [
        (&t.problem, &c.problem),
        (&t.root_causes, &c.root_causes),
        (&t.approach, &c.approach),
        (&t.outcomes, &c.outcomes),
    ]
    .into_iter()
    .filter_map(|(label, text)| text.as_ref().map(|x| (label.clone(), x.clone())))
    .collect();
    let preconditions = c
        .preconditions
        .iter()
        .map(|p| (t.precondition_kind(p.kind.as_str()).to_string(), t.precondition(p), p.reason.clone()))
        .collect();
    let page = CasePage {
        lang,
        t,
        id: c.id.to_string(),
        name: c.name.clone(),
        kind: c.kind.map_or("-".into(), |k| t.case_kind(k.as_str()).to_string()),
        territory: c.territory.as_ref().map_or("-".into(), |x| x.to_string()),
        class: t.strength(a.class).to_string(),
        class_css: match a.class {
            Strength::Strong => "pass",
            Strength::Weak => "fail",
            _ => "unknown",
        },
        rule: t.strength_rule(&a.decided),
        dimensions,
        sections,
        preconditions,
    };
    render(page)
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    q: &'a str,
    territory: &'a str,
    /// Each case: id, name, territory, strength class.
    cases: Vec<(String, String, String, String)>,
    pager: Pager,
}

/// The list of cases with their strength class: a page of `limit` from `offset` of the cases
/// found for `q` and `territory` (all of `found`, which the caller has not cut).
pub fn cases(
    lang: &str,
    q: &str,
    territory: &str,
    found: &[solidaria_core::Case],
    (offset, limit): (usize, usize),
) -> String {
    use solidaria_core::innovation::{STRENGTH_PROFILE, assess};
    let profile = builtin::find(STRENGTH_PROFILE);
    let t = messages(lang);
    let shown: Vec<_> = found
        .iter()
        .skip(offset)
        .take(limit)
        .map(|c| {
            (
                c.id.to_string(),
                c.name.clone(),
                c.territory.as_ref().map_or("-".into(), |x| x.to_string()),
                profile.map_or_else(|| "-".to_string(), |p| t.strength(assess(p, c).class).to_string()),
            )
        })
        .collect();
    let mut base = format!("/cases?lang={lang}");
    for (k, v) in [("q", q), ("territory", territory)] {
        if !v.is_empty() {
            base.push_str(&format!("&{k}={}", encode(v)));
        }
    }
    if limit != DEFAULT_PAGE {
        base.push_str(&format!("&limit={limit}"));
    }
    let pager = Pager::new(&base, offset, limit, shown.len(), found.len());
    render(CasesPage { lang, t, q, territory, cases: shown, pager })
}
