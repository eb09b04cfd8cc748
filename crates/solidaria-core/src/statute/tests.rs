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
        let documented = self.facts.get(key);
        let Some(rule) = self.law(key).filter(|r| r.decides()) else {
            return documented;
        };
        match documented {
            None => Some(&rule.fact),
            Some(f) if rule.agrees_with(&f.value) => Some(f),
            Some(_) => None,
        }
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
