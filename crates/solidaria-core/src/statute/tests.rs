//! Statute files parse with located errors; screening uses mandatory rules as cited facts,
//! never defaults or unverified rules, and never a fact that contradicts the law.

use super::*;
use crate::screening::expr::{Field, FieldValue, Subject};
use crate::screening::profile::parse_profile;
use crate::screening::{Outcome, Verdict, screen};

const SAMPLE: &str = r#"
jurisdiction = "FR"
title = "Sample"
version = "1"

[[forms]]
id = "sample-association"
name = "Association déclarée"
family = "association"
codes = ["INSEE-CJ-9220"]
act = "Loi du 1er juillet 1901"
source_url = "https://www.legifrance.gouv.fr/loda/id/LEGITEXT000006069570"

[[forms.facts]]
key = "surplus.distribution_allowed"
value = false
rule = "mandatory"
grade = "A"
citation = "Loi du 1er juillet 1901, art. 1"

[[forms.facts]]
key = "governance.voting_rule"
value = "one_member_one_vote"
rule = "default"
grade = "B"
citation = "Sample default"

[[forms.facts]]
key = "assets.lock"
value = true
rule = "mandatory"
grade = "C"
citation = "Sample unverified"

[[forms.facts]]
key = "capital.return_cap"
value = 0.05
rule = "mandatory"
grade = "B"
citation = "Sample cap"
"#;

const PROFILE: &str = r#"
id = "sample"
title = "Sample"
version = "1"
instrument = "Sample"
jurisdiction = "FR"
adopted = "2024"
source_url = "https://example.org/"
subject = "actor"
claims = ["sse"]
summary = "Sample."

[[criteria]]
id = "no-distribution"
title = "No distribution"
kind = "mandatory"
grade = "A"
citation = "Sample 1"
test = { fact = "surplus.distribution_allowed", eq = false }

[[criteria]]
id = "voting"
title = "One member one vote"
kind = "mandatory"
grade = "A"
citation = "Sample 2"
test = { fact = "governance.voting_rule", eq = "one_member_one_vote" }
"#;

/// A subject whose law is a parsed form, with documented facts.
struct Org {
    facts: crate::fact::Facts,
    form: FormStatute,
}

impl Subject for Org {
    fn subject_id(&self) -> &str {
        "org"
    }
    fn fact(&self, key: &str) -> Option<&Fact> {
        effective(self.facts.get(key), self.law(key))
    }
    fn field(&self, _: Field) -> Option<FieldValue<'_>> {
        None
    }
    fn law(&self, key: &str) -> Option<&StatutoryFact> {
        self.form.rule(key)
    }
    fn documented(&self, key: &str) -> Option<&Fact> {
        self.facts.get(key)
    }
}

fn org(documented: &[(&str, FactValue)]) -> Org {
    let form = parse_statutes(SAMPLE).unwrap().remove(0);
    let facts = documented.iter().map(|(k, v)| (k.to_string(), Fact::bare(v.clone()))).collect();
    Org { facts, form }
}

#[test]
fn a_file_parses_with_its_rules_cited() {
    let forms = parse_statutes(SAMPLE).unwrap();
    assert_eq!(forms.len(), 1);
    let f = &forms[0];
    assert_eq!((f.id.as_str(), f.family, f.jurisdiction.as_str()), ("sample-association", Family::Association, "FR"));
    let rule = f.rule("surplus.distribution_allowed").unwrap();
    assert!(rule.decides());
    assert_eq!(rule.fact.provenance.source.as_deref(), Some("Loi du 1er juillet 1901"));
    assert_eq!(rule.fact.provenance.note.as_deref(), Some("Loi du 1er juillet 1901, art. 1"));
    assert!(!f.rule("governance.voting_rule").unwrap().decides(), "a default never decides");
    assert!(!f.rule("assets.lock").unwrap().decides(), "grade C never decides");
}

/// Each problem names the line where its rule begins (`[[forms.facts]]`), the form and the key.
#[test]
fn problems_are_reported_each_with_its_line() {
    let bad = SAMPLE
        .replace("key = \"assets.lock\"", "key = \"assets.lokc\"")
        .replace("rule = \"default\"", "rule = \"usually\"")
        .replace("value = 0.05", "value = 5");
    let errors = parse_statutes(&bad).unwrap_err();
    let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 3, "{text:?}");
    assert!(text[0].starts_with("line 21: sample-association governance.voting_rule: rule: expected"), "{text:?}");
    assert!(text[1].starts_with("line 28: sample-association assets.lokc: key: expected"), "{text:?}");
    assert!(text[2].starts_with("line 35: sample-association capital.return_cap: value: expected a rate"), "{text:?}");
    assert!(parse_statutes("jurisdiction = 3").unwrap_err()[0].line > 0);
    let undated = SAMPLE.replace("version = \"1\"", "version = \"1\"\nresearched = \"last week\"");
    assert!(parse_statutes(&undated).unwrap_err()[0].message.starts_with("researched: expected"));
}

#[test]
fn a_mandatory_rule_decides_by_law_with_its_article() {
    let p = parse_profile(PROFILE).unwrap();
    let o = org(&[("governance.voting_rule", FactValue::Choice("one_member_one_vote".into()))]);
    let s = screen(&p, &o);
    assert_eq!(s.criteria[0].outcome, Outcome::Pass);
    assert_eq!(s.verdict, Verdict::Qualifies);
    let reason = s.criteria[0].reason.to_string();
    assert_eq!(reason, "by law (Loi du 1er juillet 1901, art. 1): surplus.distribution_allowed is false");
    let used = serde_json::to_value(s.facts_used).unwrap();
    assert_eq!(used["surplus.distribution_allowed"]["basis"], "statute");
    assert_eq!(used["surplus.distribution_allowed"]["value"], false);
    assert_eq!(used["surplus.distribution_allowed"]["rule"], "mandatory");
    assert_eq!(used["governance.voting_rule"], "one_member_one_vote", "documented facts are written as before");
}

#[test]
fn a_default_is_shown_but_never_decides() {
    let p = parse_profile(PROFILE).unwrap();
    let o = org(&[]);
    let s = screen(&p, &o);
    assert_eq!(s.criteria[1].outcome, Outcome::Unknown);
    assert_eq!(s.verdict, Verdict::InsufficientEvidence);
    let reason = s.criteria[1].reason.to_string();
    assert!(
        reason.contains("the law's default is one_member_one_vote (Sample default), but the statutes may differ"),
        "{reason}"
    );
    let used = serde_json::to_value(s.facts_used).unwrap();
    assert_eq!(used["governance.voting_rule"]["value"], serde_json::Value::Null);
    assert_eq!(used["governance.voting_rule"]["law_value"], "one_member_one_vote");
}

#[test]
fn a_documented_fact_that_contradicts_the_law_is_a_conflict_and_not_used() {
    let p = parse_profile(PROFILE).unwrap();
    let o = org(&[("surplus.distribution_allowed", FactValue::Bool(true))]);
    let s = screen(&p, &o);
    assert_eq!(s.criteria[0].outcome, Outcome::Unknown, "neither the document nor the law is used");
    let reason = s.criteria[0].reason.to_string();
    assert!(
        reason.contains("documented as true, but by law (Loi du 1er juillet 1901, art. 1) it is false"),
        "{reason}"
    );
    let used = serde_json::to_value(s.facts_used).unwrap();
    assert_eq!(used["surplus.distribution_allowed"]["conflict"]["documented"], true);
}

#[test]
fn a_cap_is_respected_by_any_value_below_it() {
    let form = parse_statutes(SAMPLE).unwrap().remove(0);
    let cap = form.rule("capital.return_cap").unwrap();
    assert!(cap.agrees_with(&FactValue::Number(0.03)));
    assert!(cap.agrees_with(&FactValue::Number(0.05)));
    assert!(!cap.agrees_with(&FactValue::Number(0.08)));
    let no = form.rule("surplus.distribution_allowed").unwrap();
    assert!(no.agrees_with(&FactValue::Bool(false)) && !no.agrees_with(&FactValue::Bool(true)));
}

/// Every built-in statute file parses; every form has a unique id and no code names two forms;
/// every rule is cited and reads a key that some built-in profile reads; and every rule that
/// decides changes, on its own, at least one criterion's outcome of some built-in profile for an
/// actor of its form, or what would decide one (checked by contradicting it with a documented
/// fact, which makes the law unused, the form's other rules being contradicted in both actors).
#[test]
fn every_builtin_rule_parses_is_cited_and_changes_an_outcome() {
    use crate::screening::builtin;
    use crate::screening::profile::SubjectKind;
    assert_eq!(FILES.len(), include!(concat!(env!("OUT_DIR"), "/statutes_count.rs")));
    let mut ids = std::collections::BTreeSet::new();
    let mut codes = std::collections::BTreeMap::new();
    for (name, text) in FILES {
        let forms = parse_statutes(text).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert!(!forms.is_empty(), "{name}");
        for f in &forms {
            assert!(ids.insert(f.id.clone()), "form {} twice", f.id);
            for c in &f.codes {
                assert!(codes.insert(c.clone(), f.id.clone()).is_none(), "{c} names two forms");
            }
        }
    }
    let read: std::collections::BTreeSet<&str> = builtin::for_subject(SubjectKind::Actor)
        .flat_map(|p| &p.criteria)
        .flat_map(|c| c.applies_if.iter().flat_map(|t| t.operands()).chain(c.test.operands()))
        .map(|o| o.name())
        .collect();
    let mut deciding = 0;
    for f in forms() {
        for r in &f.facts {
            assert!(!r.citation.trim().is_empty(), "{} {}", f.id, r.key);
            assert!(read.contains(r.key.as_str()), "{} {}: no profile reads it", f.id, r.key);
            let Some(code) = f.codes.first() else { continue };
            if !r.decides() {
                continue;
            }
            deciding += 1;
            // The rule alone: every other deciding rule of the form is contradicted (so unused)
            // in both actors; the second contradicts this one too.
            let others: serde_json::Map<String, serde_json::Value> = f
                .facts
                .iter()
                .filter(|o| o.decides() && o.key != r.key)
                .map(|o| (o.key.clone(), contrary(f, o)))
                .collect();
            let mut all = others.clone();
            all.insert(r.key.clone(), contrary(f, r));
            let actor = |facts: serde_json::Map<String, serde_json::Value>| {
                // Keys only the law sets cannot come through a record: they are put on the actor
                // directly, as a contradicting document would be.
                let (law_only, typed): (serde_json::Map<_, _>, serde_json::Map<_, _>) =
                    facts.into_iter().partition(|(k, _)| is_law_only(k));
                let mut a =
                    crate::testing::actor_from(serde_json::json!({"legal_form": {"code": code}, "facts": typed}));
                for (k, v) in law_only {
                    let value = crate::fact::parse_typed(vocab::spec(&k).unwrap().ty, &v).unwrap();
                    a.facts.insert(k, Fact::bare(value));
                }
                a
            };
            let (a, b) = (actor(others), actor(all));
            assert_eq!(conflicts(&b).len(), conflicts(&a).len() + 1, "{} {}", f.id, r.key);
            // It changes an outcome, or at least what would decide one (a rule that makes a
            // fact known takes it out of the facts to collect).
            let changes = builtin::for_subject(SubjectKind::Actor).any(|p| {
                let (x, y) = (screen(p, &a), screen(p, &b));
                x.criteria.iter().zip(&y.criteria).any(|(u, v)| u.outcome != v.outcome)
                    || crate::screening::evidence::evidence(p, &a) != crate::screening::evidence::evidence(p, &b)
            });
            assert!(changes, "{} {} (line {}) changes no criterion's outcome", f.id, r.key, r.line);
        }
    }
    assert!(deciding > 30, "{deciding} deciding rules");
}

/// A documented value that contradicts a rule (so that the rule goes unused).
fn contrary(f: &FormStatute, r: &StatutoryFact) -> serde_json::Value {
    match &r.fact.value {
        FactValue::Bool(b) => serde_json::json!(!b),
        FactValue::Choice(c) => {
            let values = match vocab::spec(&r.key).map(|s| s.ty) {
                Some(vocab::FactType::Enum(v)) => v,
                _ => panic!("{}: {} is not an enum", f.id, r.key),
            };
            serde_json::json!(values.iter().find(|v| **v != c).unwrap())
        }
        FactValue::Number(x) if *x < 1.0 => serde_json::json!(1.0),
        other => panic!("{} {}: no contrary of {other:?}", f.id, r.key),
    }
}

fn actor_of(code: &str, family: &str, facts: serde_json::Value) -> crate::Actor {
    crate::testing::actor_from(serde_json::json!({"legal_form": {"code": code, "family": family}, "facts": facts}))
}

fn builtin_profile(id: &str) -> &'static crate::screening::profile::Profile {
    crate::screening::builtin::find(id).unwrap()
}

/// The SIRENE register rules classify a legal category `ess_by_status` exactly when the French
/// statute file says, by law, that its form is named by art. 1 II 1° of the 2014 law: the two
/// paths can never contradict each other on the same organization.
#[test]
fn the_register_rules_and_the_french_status_route_name_the_same_forms() {
    let register = crate::register::builtin("fr-ess-2014").unwrap();
    let mut checked = 0;
    for code in 0..10_000u16 {
        let Some(_) = register.code_label(&format!("{code:04}")) else { continue };
        checked += 1;
        let by_register = register.family_of(code) != "other";
        let by_law = for_code(&format!("INSEE-CJ-{code:04}"))
            .and_then(|f| f.rule("status.sse_by_law"))
            .is_some_and(|r| r.decides() && r.fact.value == FactValue::Bool(true));
        assert_eq!(by_register, by_law, "INSEE legal category {code:04}");
    }
    assert!(checked > 200, "{checked} categories");
}

/// Scenario tests by legal form: what the law makes true decides the verdicts it can, cited,
/// and never more.
#[test]
fn real_legal_forms_get_the_verdicts_their_law_gives() {
    use crate::screening::evidence::evidence;
    // A declared association (loi du 1er juillet 1901, art. 1; loi 2014-856, art. 1 II 1°):
    // part of the ESS by status, every criterion explained by law.
    let asso = actor_of("INSEE-CJ-9220", "association", serde_json::json!({}));
    let s = screen(builtin_profile("fr-ess-2014"), &asso);
    assert_eq!(s.verdict, Verdict::Qualifies);
    assert!(s.criteria[0].reason.to_string().contains("by law (Loi n° 2014-856 du 31 juillet 2014, art. 1 II 1°)"));
    // The same association's ISO 20275 code (BEWI) gives the same verdict.
    assert_eq!(
        screen(builtin_profile("fr-ess-2014"), &actor_of("BEWI", "association", serde_json::json!({}))).verdict,
        Verdict::Qualifies
    );
    // An undeclared association (INSEE 9210) has no legal personality: not by status.
    let undeclared = actor_of("INSEE-CJ-9210", "association", serde_json::json!({}));
    assert_eq!(screen(builtin_profile("fr-ess-2014"), &undeclared).verdict, Verdict::InsufficientEvidence);
    // A SAS claiming "sse" with nothing documented: company law has no rule on these points,
    // so it stays undecided, never qualifies.
    let sas = actor_of("INSEE-CJ-5710", "company", serde_json::json!({}));
    assert_eq!(screen(builtin_profile("fr-ess-2014"), &sas).verdict, Verdict::InsufficientEvidence);
    // A community interest company (Companies (Audit, Investigations and Community Enterprise)
    // Act 2004, s. 30 and 35; CIC Regulations 2005, reg. 23): the asset lock and the community
    // interest are known by law.
    let cic = actor_of("17R0", "company", serde_json::json!({}));
    let used = serde_json::to_value(screen(builtin_profile("uk-cic"), &cic).facts_used).unwrap();
    assert_eq!(used["assets.lock"]["basis"], "statute", "{used}");
    // A registered co-operative society (Co-operative and Community Benefit Societies Act 2014,
    // s. 2): its ICA verdict stays undecided, and what would decide it names the facts the law
    // leaves to the society's rules (voting, open membership, autonomy), not those it settles.
    let coop = actor_of("ZZGG", "cooperative", serde_json::json!({}));
    let e = evidence(builtin_profile("ica-1995"), &coop).unwrap();
    let needed: Vec<&str> = e.to_qualify[0].iter().copied().collect();
    assert!(needed.contains(&"governance.voting_rule") && needed.contains(&"membership.open_voluntary"), "{needed:?}");
    assert!(!needed.contains(&"surplus.distribution_basis"), "the law settles it: {needed:?}");
}

/// What only the law sets cannot be typed in: a record that documents it is refused, and what
/// would decide a verdict that needs it is the legal form's code.
#[test]
fn what_only_the_law_sets_is_learned_from_the_code() {
    let v = serde_json::json!({"type": "actor", "id": "a", "name": "A", "legal_form": {"family": "association"},
        "facts": {"status.sse_by_law": true}});
    let errors = crate::record::parse_record(&v).unwrap_err();
    assert!(
        errors[0].to_string().starts_with("facts.status.sse_by_law: expected no value: it comes from the law"),
        "{errors:?}"
    );
    let asso = actor_of("ZZZZ", "association", serde_json::json!({}));
    let p = builtin_profile("fr-ess-2014");
    let s = screen(p, &asso);
    assert!(
        s.criteria[0]
            .reason
            .to_string()
            .contains("status.sse_by_law is not known (needed: true): it comes from the law"),
        "{}",
        s.criteria[0].reason
    );
    let e = crate::screening::evidence::evidence(p, &asso).unwrap();
    assert!(e.to_qualify.iter().any(|set| set.contains("legal_form.code")), "{:?}", e.to_qualify);
    assert!(!e.to_qualify.iter().any(|set| set.contains("status.sse_by_law")), "{:?}", e.to_qualify);
}

/// Each rule of a form says what screening makes of it for a given actor.
#[test]
fn a_rule_says_whether_screening_uses_it() {
    let cic = actor_of("17R0", "company", serde_json::json!({"assets.lock": true}));
    let form = of_actor(&cic).unwrap();
    let uses: Vec<(&str, RuleUse)> = form.facts.iter().map(|r| (r.key.as_str(), r.use_for(&cic))).collect();
    assert!(uses.contains(&("assets.lock", RuleUse::Documented)), "{uses:?}");
    assert!(uses.contains(&("purpose.community_benefit", RuleUse::Used)), "{uses:?}");
    assert!(uses.contains(&("capital.return_cap", RuleUse::Default)), "{uses:?}");
}
