//! The self-assessment questionnaire: the questions an organization answers about itself so that
//! the profiles of its country (and the UN 2023 and ILO 2022 definitions) can screen it.
//!
//! The questions are generated, never written per profile: every fact a criterion of those
//! profiles reads (its test and when it applies) that the vocabulary types, that the law of the
//! legal form does not settle and that the organization has not documented yet becomes one
//! question, naming each criterion it feeds (profile and criterion id), grouped by theme. Its type
//! and allowed values are the vocabulary's; its wording, in each language of the interface, is
//! data (`questions.toml`, embedded), checked by a test that fails when a key a profile reads has
//! no question or a question lacks a language.
//!
//! Answers are read from a form (a value and its evidence per question: source, link, date) into
//! facts marked [`Assurance::SelfDeclared`]; a moderator who checked the evidence may turn them
//! into [`Assurance::Verified`] when validating ([`verify_answers`]).

use crate::actor::Actor;
use crate::error::FieldError;
use crate::fact::{Assurance, Facts};
use crate::screening::builtin;
use crate::screening::expr::{Operand, Subject};
use crate::screening::profile::{Kind, Profile, SubjectKind};
use crate::supply::{self, Supplied};
use crate::vocab::{self, FactSpec};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The languages every question is written in (those of the web interface).
pub const LANGUAGES: &[&str] = &["en", "fr", "es"];

/// The definitions every organization is asked about, whatever its country.
pub const INTERNATIONAL: &[&str] = &["un-2023", "ilo-2022"];

/// The member states of the European Union (ISO 3166-1), where a profile of jurisdiction `EU`
/// applies.
pub const EU_MEMBERS: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV",
    "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// The questions as written in `questions.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionTable {
    /// The themes, in the order a questionnaire shows them.
    pub themes: Vec<String>,
    /// The question of each fact key: its theme and its text by language.
    pub questions: BTreeMap<String, QuestionText>,
}

/// One question's theme and wording.
#[derive(Debug, Clone, Deserialize)]
pub struct QuestionText {
    /// One of the table's themes.
    pub theme: String,
    /// The text by language code.
    #[serde(flatten)]
    pub texts: BTreeMap<String, String>,
}

/// Parses a question table and checks it: every theme listed, every key in the vocabulary (an
/// actor's), every question in every one of [`LANGUAGES`] and no other. Each problem is a sentence.
pub fn parse_table(text: &str) -> Result<QuestionTable, Vec<String>> {
    let table: QuestionTable = toml::from_str(text).map_err(|e| vec![e.to_string()])?;
    let mut problems = Vec::new();
    for (key, q) in &table.questions {
        match vocab::spec(key) {
            Some(s) if s.subject == vocab::Subject::Actor => {}
            _ => problems.push(format!("{key}: not an actor's key of the fact vocabulary")),
        }
        if !table.themes.contains(&q.theme) {
            problems.push(format!("{key}: theme {:?} is not one of {:?}", q.theme, table.themes));
        }
        for lang in LANGUAGES {
            if q.texts.get(*lang).is_none_or(|t| t.trim().is_empty()) {
                problems.push(format!("{key}: no question in {lang:?}"));
            }
        }
        for lang in q.texts.keys().filter(|l| !LANGUAGES.contains(&l.as_str())) {
            problems.push(format!("{key}: {lang:?} is not a language of the interface {LANGUAGES:?}"));
        }
    }
    if problems.is_empty() { Ok(table) } else { Err(problems) }
}

/// The built-in question table (`questions.toml`); empty if it does not parse, which a test forbids.
pub fn table() -> &'static QuestionTable {
    static TABLE: OnceLock<QuestionTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        parse_table(include_str!("../questions.toml"))
            .unwrap_or(QuestionTable { themes: Vec::new(), questions: BTreeMap::new() })
    })
}

/// The actor profiles that apply where an organization is: those of its territory or of a
/// territory containing it (`territories`, the territory first, then its ancestors: `ES-PV`,
/// `ES`), those of the EU for a member state, and the international definitions
/// [`INTERNATIONAL`]; in the order of the profile list.
pub fn profiles_for(territories: &[&str]) -> Vec<&'static Profile> {
    let in_eu = territories.iter().any(|t| EU_MEMBERS.contains(t));
    builtin::for_subject(SubjectKind::Actor)
        .filter(|p| {
            INTERNATIONAL.contains(&p.id.as_str())
                || territories.contains(&p.jurisdiction.as_str())
                || (p.jurisdiction == "EU" && in_eu)
        })
        .collect()
}

/// A criterion a question feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feeds {
    /// The profile's id.
    pub profile: &'static str,
    /// The criterion's id.
    pub criterion: &'static str,
    /// Whether the criterion is mandatory (it can change the verdict) or indicative.
    pub mandatory: bool,
}

/// One question.
#[derive(Debug, Clone)]
pub struct Question {
    /// The fact it asks for: key, type and allowed values.
    pub spec: &'static FactSpec,
    /// Its theme.
    pub theme: &'static str,
    /// Its wording in the language asked for (the vocabulary's meaning when none is written).
    pub text: &'static str,
    /// The criteria it feeds, in profile order.
    pub feeds: Vec<Feeds>,
}

/// The questions of one theme.
#[derive(Debug, Clone)]
pub struct Theme {
    /// The theme's id (`governance`, `surplus`, …).
    pub id: &'static str,
    /// Its questions, in vocabulary order.
    pub questions: Vec<Question>,
}

/// A questionnaire: the profiles it serves and its questions by theme (themes without questions
/// left out).
#[derive(Debug, Clone)]
pub struct Questionnaire {
    /// The profiles whose criteria the questions feed.
    pub profiles: Vec<&'static Profile>,
    /// The questions, by theme in the table's order.
    pub themes: Vec<Theme>,
}

impl Questionnaire {
    /// Every question, theme by theme.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.themes.iter().flat_map(|t| &t.questions)
    }

    /// The facts asked, as the vocabulary types them.
    pub fn specs(&self) -> Vec<&'static FactSpec> {
        self.questions().map(|q| q.spec).collect()
    }
}

/// Whether the organization already has a value for `key` a screening reads: documented (whoever
/// said it) or settled by the law of its legal form.
fn known(actor: &Actor, key: &str) -> bool {
    actor.facts.contains_key(key) || Subject::fact(actor, key).is_some()
}

/// The questionnaire of an organization under `profiles` (usually [`profiles_for`] its territory),
/// worded in `lang` (English when the language is not one of [`LANGUAGES`]).
pub fn questionnaire(actor: &Actor, profiles: &[&'static Profile], lang: &str) -> Questionnaire {
    let t = table();
    let lang = if LANGUAGES.contains(&lang) { lang } else { "en" };
    let mut asked: BTreeMap<&'static str, Vec<Feeds>> = BTreeMap::new();
    for p in profiles {
        for c in &p.criteria {
            for o in c.applies_if.iter().flat_map(|t| t.operands()).chain(c.test.operands()) {
                let Operand::Fact(key) = o else { continue };
                let Some(spec) = vocab::spec(key) else { continue };
                if spec.subject != vocab::Subject::Actor || crate::statute::is_law_only(key) || known(actor, key) {
                    continue;
                }
                let feeds = asked.entry(spec.key).or_default();
                let feed = Feeds { profile: &p.id, criterion: &c.id, mandatory: c.kind == Kind::Mandatory };
                if !feeds.contains(&feed) {
                    feeds.push(feed);
                }
            }
        }
    }
    let mut questions: Vec<Question> = asked
        .into_iter()
        .filter_map(|(key, feeds)| {
            let spec = vocab::spec(key)?;
            let (theme, text) = match t.questions.get(key) {
                Some(q) => (q.theme.as_str(), q.texts.get(lang).map_or(spec.meaning, String::as_str)),
                None => ("other", spec.meaning),
            };
            Some(Question { spec, theme, text, feeds })
        })
        .collect();
    questions.sort_by_key(|q| vocab::order(q.spec.key));
    let mut themes: Vec<Theme> = Vec::new();
    for id in t.themes.iter().map(String::as_str).chain(["other"]) {
        let qs: Vec<Question> = questions.iter().filter(|q| q.theme == id).cloned().collect();
        if !qs.is_empty() {
            themes.push(Theme { id: qs[0].theme, questions: qs });
        }
    }
    Questionnaire { profiles: profiles.to_vec(), themes }
}

/// What the source of an answer says when none is given: who declared it.
pub const DECLARED_SOURCE: &str = "self-assessment by the organization";

/// The form field of an answer's evidence: `KEY@source`, `KEY@url` or `KEY@date`.
pub fn evidence_field(key: &str, part: &str) -> String {
    format!("{key}@{part}")
}

/// Reads a self-assessment's answers from a form's fields: for each question, its value (`KEY`,
/// several for a set; blank means not answered) and its evidence (`KEY@source`, `KEY@url`,
/// `KEY@date`; the source defaults to [`DECLARED_SOURCE`]). Every fact read is marked
/// [`Assurance::SelfDeclared`]. Values are checked against the vocabulary as a record's would be;
/// each problem names its field (`KEY`, `KEY@url`, …, or `answers` when nothing is answered).
pub fn read_answers<'a>(
    asked: &[&'static FactSpec],
    fields: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Facts, Vec<FieldError>> {
    let mut by_key: BTreeMap<String, Supplied> = BTreeMap::new();
    let mut errors = Vec::new();
    for (name, value) in fields {
        let (key, part) = name.split_once('@').unwrap_or((name, ""));
        if !key.contains('.') {
            continue;
        }
        let s = by_key.entry(key.to_string()).or_default();
        match part {
            "" => s.values.entry(key.to_string()).or_default().push(value.to_string()),
            "source" => s.source = value.to_string(),
            "url" => s.url = value.to_string(),
            "date" => s.date = value.to_string(),
            _ => errors.push(FieldError::text(name, "KEY, KEY@source, KEY@url or KEY@date", name)),
        }
    }
    let mut facts = Facts::new();
    for (key, mut s) in by_key {
        if s.given(&key).is_empty() {
            if !(s.source.trim().is_empty() && s.url.trim().is_empty() && s.date.trim().is_empty()) {
                errors.push(FieldError::text(&key, "an answer when its evidence is given", "no answer"));
            }
            continue;
        }
        if s.source.trim().is_empty() {
            s.source = DECLARED_SOURCE.to_string();
        }
        match supply::read(asked, &s) {
            Ok(read) => facts.extend(read.into_iter().map(|(k, mut f)| {
                f.provenance.assurance = Some(Assurance::SelfDeclared);
                (k, f)
            })),
            Err(problems) => errors.extend(problems.into_iter().map(|mut p| {
                if matches!(p.field.as_str(), "source" | "url" | "date" | "note") {
                    p.field = evidence_field(&key, &p.field);
                }
                p
            })),
        }
    }
    if facts.is_empty() && errors.is_empty() {
        errors.push(FieldError::text("answers", "an answer to at least one question", "nothing"));
    }
    if errors.is_empty() { Ok(facts) } else { Err(errors) }
}

/// The facts of a proposed actor record (`doc`) that its organization declared and that differ
/// from the record before (`base`): the answers of a self-assessment, by key.
pub fn declared_answers<'a>(doc: &'a Value, base: Option<&Value>) -> Vec<(&'a str, &'a Value)> {
    let before = base.and_then(|b| b.get("facts"));
    doc.get("facts")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(k, f)| {
            f.get("assurance").and_then(Value::as_str) == Some(Assurance::SelfDeclared.as_str())
                && before.and_then(|b| b.get(k.as_str())) != Some(*f)
        })
        .map(|(k, f)| (k.as_str(), f))
        .collect()
}

/// Marks the declared answers of a proposed actor record ([`declared_answers`]) as verified, for
/// a moderator who checked their evidence; returns the keys changed.
pub fn verify_answers(doc: &mut Value, base: Option<&Value>) -> Vec<String> {
    let keys: Vec<String> = declared_answers(doc, base).into_iter().map(|(k, _)| k.to_string()).collect();
    for k in &keys {
        doc["facts"][k]["assurance"] = Value::String(Assurance::Verified.as_str().to_string());
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::FactValue;
    use serde_json::json;

    fn actor(v: Value) -> Actor {
        crate::testing::actor_from(v)
    }

    #[test]
    fn the_table_parses_and_every_key_a_profile_reads_has_a_question_in_every_language() {
        let t = parse_table(include_str!("../questions.toml")).expect("questions.toml is valid");
        for p in builtin::for_subject(SubjectKind::Actor) {
            for c in &p.criteria {
                for o in c.applies_if.iter().flat_map(|t| t.operands()).chain(c.test.operands()) {
                    let Operand::Fact(key) = o else { continue };
                    if crate::statute::is_law_only(key) || vocab::spec(key).is_none() {
                        continue;
                    }
                    assert!(t.questions.contains_key(&key[..]), "{}/{}: {key} has no question", p.id, c.id);
                }
            }
        }
    }

    #[test]
    fn a_question_without_a_language_or_with_a_bad_theme_or_key_is_refused() {
        let bad = r#"
themes = ["governance"]
[questions."governance.voting_rule"]
theme = "governance"
en = "How do you vote?"
fr = "Comment votez-vous ?"
[questions."assets.lock"]
theme = "assets"
en = "a"
fr = "b"
es = "c"
de = "d"
[questions."context.sse_law"]
theme = "governance"
en = "a"
fr = "b"
es = " "
"#;
        let problems = parse_table(bad).unwrap_err();
        let joined = problems.join("\n");
        assert!(joined.contains("governance.voting_rule: no question in \"es\""), "{joined}");
        assert!(joined.contains("assets.lock: theme \"assets\""), "{joined}");
        assert!(joined.contains("assets.lock: \"de\" is not a language"), "{joined}");
        assert!(joined.contains("context.sse_law: not an actor's key"), "{joined}");
        assert!(joined.contains("context.sse_law: no question in \"es\""), "{joined}");
        assert_eq!(problems.len(), 5, "{joined}");
    }

    #[test]
    fn each_country_gets_its_own_profiles_and_the_international_definitions() {
        let ids = |t: &[&str]| profiles_for(t).iter().map(|p| p.id.as_str()).collect::<Vec<_>>();
        let fr = ids(&["FR-75", "FR"]);
        for want in ["un-2023", "ilo-2022", "fr-ess-2014", "fr-esus", "eu-2021"] {
            assert!(fr.contains(&want), "{want} in {fr:?}");
        }
        assert!(!fr.contains(&"es-2011") && !fr.contains(&"ica-1995") && !fr.contains(&"qc-2013"), "{fr:?}");
        let qc = ids(&["CA-QC", "CA"]);
        assert!(qc.contains(&"qc-2013") && !qc.contains(&"eu-2021") && !qc.contains(&"fr-ess-2014"), "{qc:?}");
        let gb = ids(&["GB"]);
        assert!(gb.contains(&"uk-cic") && gb.contains(&"uk-sem") && !gb.contains(&"eu-2021"), "{gb:?}");
        assert_eq!(
            ids(&[]),
            ["un-2023", "ilo-2022"].iter().filter(|i| ids(&[]).contains(i)).copied().collect::<Vec<_>>()
        );
        assert_eq!(ids(&[]).len(), 2);
    }

    #[test]
    fn questions_are_the_undocumented_facts_each_naming_the_criteria_it_feeds() {
        let a = actor(json!({"territory": "ES-PV", "legal_form": {"family": "cooperative"},
            "facts": {"governance.voting_rule": "one_member_one_vote"}}));
        let profiles = profiles_for(&["ES-PV", "ES"]);
        let q = questionnaire(&a, &profiles, "es");
        let keys: Vec<&str> = q.questions().map(|q| q.spec.key).collect();
        assert!(!keys.contains(&"governance.voting_rule"), "documented: {keys:?}");
        assert!(!keys.contains(&"status.sse_by_law"), "law only: {keys:?}");
        assert!(keys.contains(&"assets.lock") && keys.contains(&"control.public_share"), "{keys:?}");
        let surplus = q.questions().find(|q| q.spec.key == "surplus.distribution_allowed").unwrap();
        assert_eq!(surplus.theme, "surplus");
        assert!(surplus.text.starts_with("¿Pueden repartirse"), "{}", surplus.text);
        for profile in ["un-2023", "es-2011"] {
            assert!(
                surplus.feeds.iter().any(|f| f.profile == profile && f.mandatory),
                "{profile}: {:?}",
                surplus.feeds
            );
        }
        // Themes come in the table's order, each question under its own theme.
        let themes: Vec<&str> = q.themes.iter().map(|t| t.id).collect();
        let order: Vec<&str> = table().themes.iter().map(String::as_str).filter(|t| themes.contains(t)).collect();
        assert_eq!(themes, order);
        assert!(q.themes.iter().all(|t| t.questions.iter().all(|x| x.theme == t.id)));
        // Another country, other criteria: Quebec's act feeds questions that Spain's does not.
        let qc = questionnaire(&a, &profiles_for(&["CA-QC", "CA"]), "fr");
        assert!(qc.questions().flat_map(|q| &q.feeds).any(|f| f.profile == "qc-2013"));
        assert!(q.questions().flat_map(|q| &q.feeds).all(|f| f.profile != "qc-2013"));
        let lock = qc.questions().find(|q| q.spec.key == "assets.lock").unwrap();
        assert!(lock.text.starts_with("En cas de dissolution"), "{}", lock.text);
        // An unknown language reads English.
        let en = questionnaire(&a, &profiles, "de");
        assert!(en.questions().any(|q| q.text == "On dissolution, do your net assets go to another organization of similar purpose rather than to members?"));
    }

    #[test]
    fn what_the_law_settles_is_not_asked() {
        // The first legal form whose law settles a fact the questionnaire asks: an organization
        // of that form is not asked it, one without a known form is.
        let settled = crate::statute::forms()
            .iter()
            .find_map(|f| {
                let r = f.facts.iter().find(|r| {
                    r.decides() && !crate::statute::is_law_only(&r.key) && table().questions.contains_key(&r.key)
                })?;
                Some((f.codes.first()?.clone(), r.key.clone(), f.jurisdiction.clone()))
            })
            .expect("a statute settles a fact");
        let (code, key, jurisdiction) = settled;
        let a = actor(json!({"territory": jurisdiction, "legal_form": {"code": code}}));
        let all: Vec<&'static Profile> = builtin::for_subject(SubjectKind::Actor).collect();
        let q = questionnaire(&a, &all, "en");
        assert!(q.questions().all(|q| q.spec.key != key), "{key} is settled by {code}");
        let b = actor(json!({"territory": jurisdiction}));
        let q = questionnaire(&b, &all, "en");
        assert!(q.questions().any(|q| q.spec.key == key), "{key} is asked without a legal form");
    }

    #[test]
    fn answers_are_self_declared_facts_with_their_own_evidence() {
        let asked: Vec<&'static FactSpec> =
            ["governance.voting_rule", "assets.lock", "control.public_share", "members.types"]
                .iter()
                .filter_map(|k| vocab::spec(k))
                .collect();
        let fields = [
            ("governance.voting_rule", "one_member_one_vote"),
            ("governance.voting_rule@source", "Statutes, art. 12"),
            ("governance.voting_rule@url", "https://example.org/statutes.pdf"),
            ("governance.voting_rule@date", "2023-06"),
            ("assets.lock", "true"),
            ("control.public_share", ""),
            ("members.types", "workers"),
            ("members.types", "users"),
            ("csrf", "x"),
        ];
        let facts = read_answers(&asked, fields).unwrap();
        assert_eq!(facts.len(), 3);
        let vote = &facts["governance.voting_rule"];
        assert_eq!(vote.value, FactValue::Choice("one_member_one_vote".into()));
        assert_eq!(vote.provenance.source.as_deref(), Some("Statutes, art. 12"));
        assert!(vote.provenance.is_self_declared());
        assert_eq!(facts["assets.lock"].provenance.source.as_deref(), Some(DECLARED_SOURCE));
        assert!(facts["assets.lock"].provenance.url.is_none());
        assert_eq!(facts["members.types"].value, FactValue::Set(vec!["workers".into(), "users".into()]));
        let errors = read_answers(
            &asked,
            [
                ("assets.lock", "maybe"),
                ("control.public_share@url", "javascript:alert(1)"),
                ("governance.voting_rule", "one_member_one_vote"),
                ("governance.voting_rule@date", "yesterday"),
                ("pay.ratio_max", "3"),
            ],
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["assets.lock", "control.public_share", "governance.voting_rule@date", "pay.ratio_max"]);
        assert_eq!(read_answers(&asked, [("csrf", "x")]).unwrap_err()[0].field, "answers");
    }

    #[test]
    fn a_moderator_verifies_only_the_answers_the_proposal_declares() {
        let base = json!({"facts": {"assets.lock": {"value": true, "assurance": "self_declared"}, "members.count": 4}});
        let mut doc = json!({"facts": {
            "assets.lock": {"value": true, "assurance": "self_declared"},
            "members.count": 4,
            "governance.voting_rule": {"value": "one_member_one_vote", "source": "s", "assurance": "self_declared"},
            "control.public_share": {"value": 0.1, "source": "s"}
        }});
        let answers: Vec<&str> = declared_answers(&doc, Some(&base)).into_iter().map(|(k, _)| k).collect();
        assert_eq!(answers, ["governance.voting_rule"]);
        assert_eq!(verify_answers(&mut doc, Some(&base)), ["governance.voting_rule"]);
        assert_eq!(doc["facts"]["governance.voting_rule"]["assurance"], "verified");
        assert_eq!(doc["facts"]["assets.lock"]["assurance"], "self_declared", "not this proposal's");
        assert!(doc["facts"]["control.public_share"].get("assurance").is_none());
        assert!(declared_answers(&doc, Some(&base)).is_empty());
    }
}
