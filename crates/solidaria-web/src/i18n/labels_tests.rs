//! Every code a page shows has words in every language: a language file that lacks one fails
//! here (closed lists already fail to parse).

use super::fill;
use crate::i18n::{LANGUAGES, messages};
use solidaria_core::actor::{Category, Claim};
use solidaria_core::case::CaseKind;
use solidaria_core::innovation::{Fit, STRENGTH_PROFILE, Strength};
use solidaria_core::legal_form::Family;
use solidaria_core::mechanism::MechanismKind;
use solidaria_core::relation::RelationKind;
use solidaria_core::screening::expr::Operand;
use solidaria_core::screening::profile::SubjectKind;
use solidaria_core::screening::{Outcome, Verdict, builtin};
use solidaria_core::vocab::{FactType, Subject, VOCABULARY};

fn languages() -> impl Iterator<Item = &'static str> {
    LANGUAGES.iter().map(|(code, _)| *code)
}

#[test]
fn closed_lists_have_words_in_every_language() {
    for lang in languages() {
        let t = messages(lang);
        for f in Family::NAMES {
            assert!(t.families.get(f).is_some(), "{lang}: family {f}");
        }
        for c in Claim::NAMES {
            assert!(t.claim_names.get(c).is_some(), "{lang}: claim {c}");
        }
        for c in Category::NAMES {
            assert!(t.categories.get(c).is_some(), "{lang}: category {c}");
        }
        for k in RelationKind::ALL {
            assert_ne!(t.relation(*k, true), k.as_str(), "{lang}: relation {k}");
            assert_ne!(t.relation(*k, false), k.as_str(), "{lang}: relation {k} seen from its target");
        }
        for s in [Strength::Strong, Strength::Intermediate, Strength::Weak, Strength::Undetermined] {
            assert!(t.strength_names.get(s.as_str()).is_some(), "{lang}: strength {}", s.as_str());
        }
        for k in CaseKind::NAMES {
            assert!(t.case_kinds.get(k).is_some(), "{lang}: case kind {k}");
        }
        // Every record type a proposal may touch, added or deleted: the moderation queue's words.
        for r in solidaria_core::record::RecordType::NAMES {
            for action in ["upsert", "delete"] {
                assert!(t.proposal_kinds.get(&format!("{action}_{r}")).is_some(), "{lang}: proposal {action} {r}");
            }
        }
        for v in Verdict::ALL {
            assert_ne!(t.verdict(v), v.as_str(), "{lang}: verdict {}", v.as_str());
        }
        for k in solidaria_core::finance::transaction::Kind::NAMES {
            assert!(t.transaction_kinds.get(k).is_some(), "{lang}: transaction kind {k}");
        }
        for st in solidaria_core::moderation::ProposalState::ALL {
            assert!(t.proposal_states.get(st.as_str()).is_some(), "{lang}: proposal state {}", st.as_str());
        }
        for k in MechanismKind::NAMES {
            assert!(t.mechanism_kinds.get(k).is_some(), "{lang}: mechanism kind {k}");
        }
        for f in [Fit::Fits, Fit::Partial, Fit::Unknown, Fit::DoesNotFit] {
            let code = serde_json::to_value(f).expect("a fit serializes");
            assert!(t.fit_names.get(code.as_str().unwrap_or("")).is_some(), "{lang}: fit {code}");
        }
        for o in [Outcome::Pass, Outcome::Fail, Outcome::Unknown, Outcome::NotApplicable] {
            assert!(t.outcome_names.get(o.as_str()).is_some(), "{lang}: outcome {}", o.as_str());
        }
    }
    assert_eq!(messages("fr").family("cooperative"), "Coopérative");
    assert_eq!(messages("fr").relation(RelationKind::Funds, false), "Financé par");
}

/// Every key of the actor vocabulary, every value of its lists, and every fact or field a
/// built-in actor profile reads has a label in every language; no label names a key the
/// vocabulary does not know (a typo would go unseen).
#[test]
fn every_fact_key_and_value_has_a_label_in_every_language() {
    // The actors' facts, the cases' (`si.*`, shown on the cases' pages) and the territories'
    // context (`context.*`, read by the cases' preconditions).
    let actor_specs: Vec<_> = VOCABULARY
        .iter()
        .filter(|s| matches!(s.subject, Subject::Actor | Subject::Case | Subject::Territory))
        .collect();
    let mut values: Vec<&str> = Vec::new();
    for s in &actor_specs {
        if let FactType::Enum(v) | FactType::Set(v) = s.ty {
            values.extend(v.iter());
        }
    }
    for lang in languages() {
        let t = messages(lang);
        for s in &actor_specs {
            let label = t.fact_labels.get(s.key).map(|l| l.trim());
            assert!(label.is_some_and(|l| !l.is_empty()), "{lang}: no label for the fact {}", s.key);
        }
        for key in t.fact_labels.keys() {
            assert!(actor_specs.iter().any(|s| s.key == key), "{lang}: {key} is not an actor, case or context key");
        }
        for v in &values {
            assert!(t.value_labels.contains_key(*v), "{lang}: no label for the value {v}");
        }
        for v in t.value_labels.keys() {
            assert!(values.contains(&v.as_str()), "{lang}: {v} is not a value of the vocabulary");
        }
        for p in builtin::for_subject(SubjectKind::Actor).chain(builtin::find(STRENGTH_PROFILE)) {
            for c in &p.criteria {
                for o in c.applies_if.iter().flat_map(|a| a.operands()).chain(c.test.operands()) {
                    let name = o.name();
                    let worded = t.operand(name) != name;
                    assert!(worded, "{lang}: {} reads {name}, which has no label", p.id);
                    if let Operand::Field(_) = o {
                        assert!(t.field_names.get(&name.replace('.', "_")).is_some(), "{lang}: field {name}");
                    }
                }
            }
        }
    }
    assert_eq!(messages("fr").value("one_member_one_vote"), "une personne, une voix");
    assert_eq!(messages("es").operand("legal_form.family"), "Forma jurídica");
}

/// Profile titles are complete in every language but English (whose titles are the profile
/// files' own); criterion titles name real criteria, have the same keys in every translated
/// language, and cover at least the Quebec, French, Spanish, Mexican and EU laws, the ICA
/// statement, the OECD recommendation and the UN and ILO definitions.
#[test]
fn profile_and_criterion_titles_are_translated_alike() {
    let en = messages("en");
    assert!(en.profile_titles.is_empty() && en.criterion_titles.is_empty(), "English titles are the profiles' own");
    let keys = |lang: &str| messages(lang).criterion_titles.keys().cloned().collect::<Vec<_>>();
    for lang in languages().filter(|l| *l != "en") {
        let t = messages(lang);
        for p in builtin::for_subject(SubjectKind::Actor) {
            assert!(t.profile_titles.contains_key(&p.id), "{lang}: no title for the profile {}", p.id);
        }
        for id in t.profile_titles.keys() {
            assert!(builtin::find(id).is_some(), "{lang}: {id} is not a built-in profile");
        }
        assert_eq!(keys(lang), keys("fr"), "{lang} translates the same criterion titles as fr");
        for key in t.criterion_titles.keys() {
            let (p, c) = key.split_once('.').unwrap_or((key, ""));
            let known = builtin::find(p).is_some_and(|p| p.criteria.iter().any(|x| x.id == c));
            assert!(known, "{lang}: {key} is not a criterion of a built-in profile");
        }
        for p in [
            "qc-2013",
            "un-2023",
            "ilo-2022",
            "ica-1995",
            "fr-ess-2014",
            "es-2011",
            "eu-2021",
            "mx-2012",
            "oecd-2022",
            STRENGTH_PROFILE,
        ] {
            for c in &builtin::find(p).expect("built in").criteria {
                assert!(t.criterion_titles.contains_key(&format!("{p}.{}", c.id)), "{lang}: {p}.{}", c.id);
            }
        }
    }
}

/// The placeholders of every template are those of its English version, in every language: a
/// translation that drops `{name}` or misspells `{needed}` fails here.
#[test]
fn templates_keep_their_placeholders() {
    fn holes(s: &str) -> Vec<String> {
        let mut v: Vec<String> =
            s.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(h, _)| h.to_string())).collect();
        v.sort();
        v
    }
    fn templates(lang: &str) -> Vec<(String, String)> {
        let text = LANGUAGES.iter().find(|(c, _)| *c == lang).map_or("", |(_, t)| *t);
        let doc: toml::Table = toml::from_str(text).expect("the language files parse");
        ["reasons", "summary", "ecosystem", "strength_rule"]
            .iter()
            .flat_map(|section| {
                doc[*section]
                    .as_table()
                    .expect("a table")
                    .iter()
                    .map(|(k, v)| (format!("{section}.{k}"), v.as_str().unwrap_or("").to_string()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }
    let english = templates("en");
    for lang in languages() {
        let theirs = templates(lang);
        assert_eq!(theirs.len(), english.len(), "{lang}");
        for ((key, en), (_, t)) in english.iter().zip(&theirs) {
            assert_eq!(holes(t), holes(en), "{lang}: {key}");
        }
    }
}

#[test]
fn fill_replaces_known_placeholders_only() {
    assert_eq!(fill("{name} : {seen} {other}", &[("name", "Forme"), ("seen", "x{y}")]), "Forme : x{y} {other}");
    assert_eq!(fill("{", &[]), "{");
    assert_eq!(fill("a}b{c", &[("c", "d")]), "a}b{c");
}
