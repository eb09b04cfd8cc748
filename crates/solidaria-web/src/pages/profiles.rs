//! The screening profiles' pages: the list, and each profile's criteria with their tests and
//! citations.

use super::render;
use crate::i18n::{Messages, messages};
use askama::Template;
use solidaria_core::screening::builtin;

#[derive(Template)]
#[template(path = "profiles.html")]
struct ProfilesPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    profiles: Vec<(String, String, String, String, usize)>,
}

/// The list of screening profiles.
pub fn profiles(lang: &str) -> String {
    let t = messages(lang);
    let profiles = builtin::all()
        .iter()
        .map(|p| {
            let title = t.profile_title(p).to_string();
            (p.id.clone(), title, p.jurisdiction.clone(), p.instrument.clone(), p.criteria.len())
        })
        .collect();
    let page = ProfilesPage { lang, t, profiles };
    render(page)
}

/// One criterion of a profile, as shown.
pub struct CriterionDoc {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub grade: &'static str,
    pub test: String,
    pub applies_if: String,
    pub citation: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage<'a> {
    lang: &'a str,
    t: &'a Messages,
    id: String,
    title: String,
    version: String,
    jurisdiction: String,
    instrument: String,
    adopted: String,
    source_url: String,
    summary: String,
    criteria: Vec<CriterionDoc>,
}

/// A profile's page: every criterion with its test, whether it is mandatory, and its citation.
pub fn profile(lang: &str, p: &solidaria_core::screening::profile::Profile) -> String {
    use solidaria_core::screening::profile::{Grade, Kind};
    let t = messages(lang);
    let criteria = p
        .criteria
        .iter()
        .map(|c| CriterionDoc {
            id: c.id.clone(),
            title: t.criterion_title(&p.id, &c.id, &c.title).to_string(),
            kind: match c.kind {
                Kind::Mandatory => t.summary.mandatory.clone(),
                Kind::Indicative => t.summary.indicative.clone(),
            },
            grade: match c.grade {
                Grade::A => "A",
                Grade::B => "B",
                Grade::C => "C",
            },
            test: c.test.to_string(),
            applies_if: c.applies_if.as_ref().map(|t| t.to_string()).unwrap_or_default(),
            citation: c.citation.clone(),
            note: c.note.clone().unwrap_or_default(),
        })
        .collect();
    let page = ProfilePage {
        lang,
        t,
        id: p.id.clone(),
        title: t.profile_title(p).to_string(),
        version: p.version.clone(),
        jurisdiction: p.jurisdiction.clone(),
        instrument: p.instrument.clone(),
        adopted: p.adopted.to_string(),
        source_url: p.source_url.to_string(),
        summary: p.summary.clone().unwrap_or_default(),
        criteria,
    };
    render(page)
}
