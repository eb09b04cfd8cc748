//! An actor's page, summary first: the verdicts under the profiles that apply where it is (and
//! the UN and ILO definitions), each with one sentence of why; contradicted claims; its facts by
//! theme with their evidence; its relations by kind, with names and links; then the criterion
//! detail folded per profile, and the other profiles folded below. Every code is in words of the
//! page's language (`crate::i18n::labels`), reasons included (`crate::i18n::Words`).

use super::{CriterionRow, or_dash, render};
use crate::i18n::{Messages, Words, fill, messages};
use askama::Template;
use solidaria_app::directory::ActorView;
use solidaria_core::Actor;
use solidaria_core::fact::Assurance;
use solidaria_core::questionnaire;
use solidaria_core::record::Record;
use solidaria_core::relation::RelationKind;
use solidaria_core::screening::profile::{Kind, Profile, SubjectKind};
use solidaria_core::screening::{Outcome, Screening, Verdict, builtin, screen};

/// A fact with its evidence, as shown.
pub struct FactRow {
    /// The fact's label.
    pub key: String,
    /// Its value in words.
    pub value: String,
    /// Source, date, note and assurance.
    pub evidence: String,
    /// Its link, if any.
    pub url: String,
    /// The link's host, shown for it.
    pub host: String,
}

/// The facts of one theme of the questionnaire.
pub struct ThemeRows {
    /// The theme in words.
    pub name: String,
    /// Its facts.
    pub facts: Vec<FactRow>,
}

/// One actor at the other end of a relation.
pub struct Related {
    /// Its id (for the link).
    pub id: String,
    /// Its name (its id when it is not in the registry).
    pub name: String,
    /// Whether it is in the registry (then linked).
    pub known: bool,
    /// The relation's source, if any.
    pub source: String,
}

/// Relations of one kind, seen from this actor ("Funded by").
pub struct RelationGroup {
    /// The kind in words.
    pub kind: String,
    /// The actors.
    pub actors: Vec<Related>,
}

/// One profile's verdict, as shown.
pub struct VerdictRow {
    /// The profile's id (for links and anchors).
    pub profile: String,
    /// Its title in words.
    pub title: String,
    /// Its version.
    pub version: String,
    /// The verdict in words.
    pub verdict: String,
    /// The verdict's CSS class (`pass`, `fail`, `unknown`).
    pub class: &'static str,
    /// One sentence of why.
    pub sentence: String,
    /// Every criterion.
    pub criteria: Vec<CriterionRow>,
    /// For an undecided verdict: the facts to document to qualify, and those that could refute.
    pub decide: Option<(String, String)>,
    /// Whether some of those facts can be supplied on the facts form.
    pub supply: bool,
    /// The self-declared facts the verdict read (none verified by a moderator), by label.
    pub self_declared: String,
    /// The actor's claims this verdict contradicts, each in a sentence.
    pub mismatches: Vec<String>,
}

#[derive(Template)]
#[template(path = "actor.html")]
struct ActorPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    id: String,
    name: String,
    category: String,
    legal_form: String,
    territory: String,
    claims: String,
    blocks: String,
    description: String,
    themes: Vec<ThemeRows>,
    relations: Vec<RelationGroup>,
    summary: Vec<VerdictRow>,
    others: Vec<VerdictRow>,
    mismatches: Vec<String>,
    law: Option<crate::law_view::LawView>,
    flash: &'a str,
    /// The actor's JSON-LD, made safe to sit inside a `<script>` element (written unescaped).
    jsonld: String,
    /// How many sites it has, the first [`SITES_SHOWN`] of them, and the sentence for the rest.
    sites_total: usize,
    sites: Vec<SiteRow>,
    sites_more: String,
}

/// Sites listed on an actor page; the rest are counted (the Co-operative Group has thousands).
const SITES_SHOWN: usize = 100;

/// One site as listed.
struct SiteRow {
    name: String,
    address: String,
    postcode: String,
    source: String,
}

fn site_rows(t: &Messages, a: &Actor) -> Vec<SiteRow> {
    a.sites
        .iter()
        .take(SITES_SHOWN)
        .map(|s| {
            let ad = &s.address;
            let address = [ad.street.as_deref(), ad.locality.as_deref(), ad.region.as_deref(), ad.country.as_deref()]
                .into_iter()
                .flatten()
                .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join(", ");
            let source = s.source.as_ref().map_or_else(String::new, |src| {
                let mut out = src.dataset.clone();
                if let Some(e) = &src.edition {
                    out.push_str(&format!(" {e}"));
                }
                if let Some(l) = src.line {
                    out.push_str(&format!(", {} {l}", t.summary.site_line));
                }
                out
            });
            SiteRow {
                name: s.name.clone().unwrap_or_else(|| "-".into()),
                address,
                postcode: ad.postcode.clone().unwrap_or_default(),
                source,
            }
        })
        .collect()
}

/// The CSS class of a verdict.
fn class_of(v: Verdict) -> &'static str {
    match v {
        Verdict::Qualifies => "pass",
        Verdict::DoesNotQualify => "fail",
        Verdict::InsufficientEvidence => "unknown",
    }
}

/// The sentence of why a verdict is what it is: all mandatory criteria met, the first one not
/// met, or the first one undecided (and how many more wait for facts).
fn sentence(t: &Messages, p: &Profile, s: &Screening<'_>) -> String {
    let words = Words(t);
    let mandatory: Vec<_> = s.criteria.iter().filter(|c| c.kind == Kind::Mandatory).collect();
    let first = |o: Outcome| mandatory.iter().find(|c| c.outcome == o);
    let about = |template: &str, c: &solidaria_core::screening::CriterionResult<'_>| {
        let title = t.criterion_title(&p.id, c.id, c.title);
        fill(template, &[("title", title), ("reason", &words.reason(&c.reason))])
    };
    match s.verdict {
        Verdict::Qualifies => {
            let met = mandatory.iter().filter(|c| c.outcome == Outcome::Pass).count();
            fill(&t.summary.all_met, &[("count", &met.to_string())])
        }
        Verdict::DoesNotQualify => first(Outcome::Fail).map_or_else(String::new, |c| about(&t.summary.not_met, c)),
        Verdict::InsufficientEvidence => {
            let mut text = first(Outcome::Unknown).map_or_else(String::new, |c| about(&t.summary.undecided, c));
            let more = mandatory.iter().filter(|c| c.outcome == Outcome::Unknown).count().saturating_sub(1);
            if more > 0 {
                text.push(' ');
                text.push_str(&fill(&t.summary.more_undecided, &[("count", &more.to_string())]));
            }
            text
        }
    }
}

fn verdict_row(t: &Messages, p: &'static Profile, a: &Actor) -> VerdictRow {
    let words = Words(t);
    let s = screen(p, a);
    let title = t.profile_title(p);
    VerdictRow {
        mismatches: s.claim_mismatches.iter().map(|m| words.mismatch(&m.reason, title, m.criterion)).collect(),
        profile: p.id.clone(),
        title: title.to_string(),
        version: p.version.clone(),
        verdict: t.verdict(s.verdict).to_string(),
        class: class_of(s.verdict),
        sentence: sentence(t, p, &s),
        criteria: s
            .criteria
            .iter()
            .map(|c| CriterionRow {
                title: t.criterion_title(&p.id, c.id, c.title).to_string(),
                outcome: c.outcome.as_str(),
                label: t.outcome(c.outcome).to_string(),
                kind: match c.kind {
                    Kind::Mandatory => t.summary.mandatory.clone(),
                    Kind::Indicative => t.summary.indicative.clone(),
                },
                reason: words.reason(&c.reason),
                citation: c.citation.to_string(),
            })
            .collect(),
        decide: crate::law_view::would_decide(t, p, a),
        supply: crate::law_view::can_supply(p, a),
        self_declared: s.self_declared.keys().iter().map(|k| t.operand(k)).collect::<Vec<_>>().join(", "),
    }
}

/// The host of a web address, without `www.` (what a link to a source shows).
fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    host.trim_start_matches("www.").to_string()
}

/// The facts by theme of the questionnaire (facts of no theme last, under "other").
fn themes(t: &Messages, a: &Actor) -> Vec<ThemeRows> {
    let table = questionnaire::table();
    let words = Words(t);
    let mut groups: Vec<(String, Vec<FactRow>)> =
        table.themes.iter().chain(std::iter::once(&"other".to_string())).map(|th| (th.clone(), Vec::new())).collect();
    for (k, f) in solidaria_core::fact::display_order(&a.facts) {
        let theme = table.questions.get(k.as_str()).map_or("other", |q| q.theme.as_str());
        let p = &f.provenance;
        let mut ev: Vec<String> = Vec::new();
        ev.extend(p.source.clone());
        ev.extend(p.date.as_ref().map(|d| d.to_string()));
        ev.extend(p.note.clone());
        ev.extend(p.assurance.map(|x| match x {
            Assurance::SelfDeclared => t.assessment.self_declared.clone(),
            Assurance::Verified => t.assessment.verified.clone(),
        }));
        let url = p.url.as_ref().map(|u| u.to_string()).unwrap_or_default();
        let host = host(&url);
        let row = FactRow {
            key: t.operand(k).to_string(),
            value: words.fact_value(&f.value),
            evidence: ev.join(" · "),
            url,
            host,
        };
        let i = groups.iter().position(|(th, _)| th == theme).unwrap_or(groups.len().saturating_sub(1));
        if let Some(g) = groups.get_mut(i) {
            g.1.push(row);
        }
    }
    groups
        .into_iter()
        .filter(|(_, facts)| !facts.is_empty())
        .map(|(th, facts)| ThemeRows { name: t.assessment.theme(&th).to_string(), facts })
        .collect()
}

/// The relations by kind and direction, in the order of the kinds, each actor by name.
fn relations(t: &Messages, view: &ActorView) -> Vec<RelationGroup> {
    let a = &view.actor;
    let mut groups: Vec<((usize, bool), RelationGroup)> = Vec::new();
    for r in &view.relations {
        let Record::Relation(r) = r else { continue };
        let forward = r.from == a.id;
        let other = if forward { &r.to } else { &r.from };
        let rank = RelationKind::ALL.iter().position(|k| *k == r.kind).unwrap_or(usize::MAX);
        let related = Related {
            id: other.to_string(),
            name: view.names.get(other.as_str()).cloned().unwrap_or_else(|| other.to_string()),
            known: view.names.contains_key(other.as_str()),
            source: r.source.clone().unwrap_or_default(),
        };
        match groups.iter_mut().find(|(key, _)| *key == (rank, !forward)) {
            Some((_, g)) => g.actors.push(related),
            None => groups.push((
                (rank, !forward),
                RelationGroup { kind: t.relation(r.kind, forward).to_string(), actors: vec![related] },
            )),
        }
    }
    groups.sort_by_key(|(key, _)| *key);
    groups
        .into_iter()
        .map(|(_, mut g)| {
            g.actors.sort_by(|x, y| x.name.cmp(&y.name));
            g
        })
        .collect()
}

/// An actor's page: the summary of verdicts where it is, its facts by theme with evidence, its
/// relations by kind, the criterion detail folded per profile, and its JSON-LD (addresses built
/// on `base`) in the head.
pub fn actor(lang: &str, view: &ActorView, flash: &str, base: &solidaria_formats::BaseUrl) -> String {
    let t = messages(lang);
    let a = &view.actor;
    let here: Vec<&'static Profile> = {
        let mut ps = questionnaire::profiles_for(&view.territories.iter().map(String::as_str).collect::<Vec<_>>());
        // The laws of its country first, then the international definitions.
        ps.sort_by_key(|p| questionnaire::INTERNATIONAL.contains(&p.id.as_str()));
        ps
    };
    let summary: Vec<VerdictRow> = here.iter().map(|p| verdict_row(t, p, a)).collect();
    // The claims contradicted where the actor is are warned about at the top; those of other
    // countries' profiles stay with their folded verdicts.
    let mismatches = summary.iter().flat_map(|v| v.mismatches.iter().cloned()).collect();
    let others = builtin::for_subject(SubjectKind::Actor)
        .filter(|p| !here.iter().any(|h| h.id == p.id))
        .map(|p| verdict_row(t, p, a))
        .collect();
    let lf = &a.legal_form;
    let legal_form = [lf.family.map(|f| t.family(f.as_str()).to_string()), lf.label.clone(), lf.code.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let territory = match (&a.territory, &view.territory_name) {
        (Some(code), Some(name)) => format!("{name} ({code})"),
        (code, _) => or_dash(code.as_ref().map(|c| c.to_string())),
    };
    let page = ActorPage {
        lang,
        t,
        id: a.id.to_string(),
        name: a.name.clone(),
        category: a.category.map_or_else(|| "-".to_string(), |c| t.categories.of(c.as_str()).to_string()),
        legal_form: if legal_form.is_empty() { "-".into() } else { legal_form },
        territory,
        claims: a.claims.iter().map(|c| t.claim(c.as_str())).collect::<Vec<_>>().join(", "),
        blocks: a.roles.iter().map(|b| t.blocks.of(*b)).collect::<Vec<_>>().join(", "),
        description: a.description.clone().unwrap_or_default(),
        themes: themes(t, a),
        relations: relations(t, view),
        summary,
        others,
        mismatches,
        law: crate::law_view::law(t, a),
        flash,
        jsonld: solidaria_formats::publication::script_safe_json(&solidaria_formats::linked_data::actor_document(
            a, base,
        )),
        sites_total: a.sites.len(),
        sites: site_rows(t, a),
        sites_more: fill(&t.summary.sites_more, &[("count", &a.sites.len().saturating_sub(SITES_SHOWN).to_string())]),
    };
    render(page)
}
