use super::*;
use crate::finance::eligibility::{self, Applicant, ProfileVerdict, Status};
use crate::finance::fund::Fund;
use crate::record::{Record, parse_record};
use serde_json::{Value, json};

fn actor(facts: Value) -> Actor {
    let v = json!({"type": "actor", "id": "coop", "name": "Coop", "territory": "CA-QC",
        "legal_form": {"family": "cooperative"}, "facts": facts});
    match parse_record(&v) {
        Ok(Record::Actor(a)) => a,
        other => panic!("{other:?}"),
    }
}

/// Every fact the built-in profile reads, at the `ready` level.
fn ready_facts() -> Value {
    json!({"purpose.statutory_mission": true, "governance.members_elect_board": true,
        "transparency.public_accounts": true, "finance.annual_accounts": true,
        "finance.accounts_audited": true, "income.trading_share": 0.7, "finance.business_plan": true,
        "impact.indicators": true, "transparency.impact_report": true, "employees.count": 4,
        "team.finance_lead": true, "assets.lock": true})
}

fn profile() -> &'static ReadinessProfile {
    find(DEFAULT).expect("the default readiness profile is built in")
}

fn dim<'a>(r: &'a Readiness, id: &str) -> &'a DimensionReport {
    r.dimensions.iter().find(|d| d.id == id).unwrap_or_else(|| panic!("no dimension {id}"))
}

#[test]
fn every_builtin_readiness_profile_parses() {
    for (id, text) in FILES {
        let p = parse_readiness(text).unwrap_or_else(|e| panic!("{id}: {e:?}"));
        assert_eq!(&p.id, id);
        let dims: Vec<&str> = p.dimensions.iter().map(|d| d.id.as_str()).collect();
        for d in
            ["governance", "financial_management", "revenue_model", "impact_measurement", "team", "legal_structure"]
        {
            assert!(dims.contains(&d), "{id}: {d} in {dims:?}");
        }
    }
    assert!(builtin().iter().any(|p| p.id == DEFAULT));
}

#[test]
fn all_facts_met_is_ready_and_one_missing_basic_is_not_ready() {
    let r = assess(profile(), &actor(ready_facts()));
    assert_eq!(r.stage, Some(Stage::Ready), "{r:#?}");
    assert!(r.missing.is_empty());

    let mut facts = ready_facts();
    facts["finance.annual_accounts"] = json!(false);
    let r = assess(profile(), &actor(facts));
    assert_eq!(r.stage, Some(Stage::NotReady));
    let d = dim(&r, "financial_management");
    assert_eq!(d.stage, Some(Stage::NotReady));
    assert!(d.reason.contains("Annual financial statements are prepared"), "{}", d.reason);
    assert_eq!(dim(&r, "team").stage, Some(Stage::Ready), "other dimensions keep their own stage");
}

#[test]
fn a_failing_ready_criterion_leaves_the_dimension_emerging() {
    let mut facts = ready_facts();
    facts["finance.business_plan"] = json!(false);
    let r = assess(profile(), &actor(facts));
    assert_eq!(r.stage, Some(Stage::Emerging));
    let d = dim(&r, "revenue_model");
    assert_eq!(d.stage, Some(Stage::Emerging));
    assert!(d.reason.contains("A business plan with financial projections"), "{}", d.reason);
}

#[test]
fn an_unverified_criterion_never_changes_the_stage() {
    let mut facts = ready_facts();
    facts["income.trading_share"] = json!(0.2);
    facts["assets.lock"] = json!(false);
    assert_eq!(assess(profile(), &actor(facts)).stage, Some(Stage::Ready));
}

#[test]
fn a_missing_fact_leaves_the_stage_between_two_and_names_the_fact() {
    let mut facts = ready_facts();
    facts.as_object_mut().unwrap().remove("finance.accounts_audited");
    let r = assess(profile(), &actor(facts));
    assert_eq!(r.stage, None);
    assert_eq!((r.at_least, r.at_most), (Stage::Emerging, Stage::Ready));
    assert_eq!(r.stage_text(), "between emerging and ready");
    assert_eq!(r.missing, vec!["finance.accounts_audited".to_string()]);
    let d = dim(&r, "financial_management");
    assert_eq!(d.to_decide, vec![vec!["finance.accounts_audited".to_string()]]);
    let c = d.criteria.iter().find(|c| c.id == "finance.accounts_audited").unwrap();
    assert_eq!(c.outcome, Outcome::Unknown);
    assert_eq!(c.missing, vec!["finance.accounts_audited".to_string()]);

    // Nothing documented: every dimension is undecided, nothing is guessed.
    let r = assess(profile(), &actor(json!({})));
    assert_eq!((r.stage, r.at_least, r.at_most), (None, Stage::NotReady, Stage::Ready));
    assert!(r.missing.contains(&"impact.indicators".to_string()), "{:?}", r.missing);
    // A decided weak dimension decides the whole whatever the others.
    let r = assess(profile(), &actor(json!({"impact.indicators": false})));
    assert_eq!(r.stage, Some(Stage::NotReady));
}

#[test]
fn next_steps_name_the_criteria_and_the_nearest_helpers() {
    let mut facts = ready_facts();
    facts["finance.business_plan"] = json!(false);
    facts.as_object_mut().unwrap().remove("impact.indicators");
    let subject = actor(facts);
    let r = assess(profile(), &subject);
    let helper = |id: &str, territory: &str, roles: Value| match parse_record(
        &json!({"type": "actor", "id": id, "name": id.to_uppercase(), "territory": territory, "roles": roles}),
    ) {
        Ok(Record::Actor(a)) => a,
        other => panic!("{other:?}"),
    };
    let nearby = vec![
        helper("national-fund", "CA", json!(["finance"])),
        helper("chantier", "CA-QC", json!(["capacity_building", "finance"])),
        helper("far", "FR", json!(["finance"])),
        helper("policy-only", "CA-QC", json!(["policy"])),
    ];
    let chain = vec!["CA-QC".to_string(), "CA".to_string()];
    let n = next_steps(&r, "coop", &chain, &nearby);
    let actions: Vec<&str> = n.steps.iter().map(|s| s.action.as_str()).collect();
    assert!(
        actions.iter().any(|a| a.starts_with("meet \"A business plan with financial projections\" (ready)")),
        "{actions:?}"
    );
    assert!(actions.iter().any(|a| a.starts_with("document impact.indicators")), "{actions:?}");
    let ids = |h: &[Helper]| h.iter().map(|x| x.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&n.capacity_building), vec!["chantier"]);
    assert_eq!(ids(&n.finance), vec!["chantier", "national-fund"], "nearest first, outside the chain left out");
}

#[test]
fn readiness_profiles_are_checked() {
    let bad = r#"
id = "x"
title = "X"
version = "1"
instrument = "I"
adopted = "2023"
source_url = "https://example.org"

[[dimensions]]
id = "governance"
title = "Governance"

[[criteria]]
id = "a"
dimension = "nope"
stage = "later"
title = "A"
kind = "mandatory"
grade = "C"
citation = "c"
test = { fact = "no.such.key", eq = true }
"#;
    let errors = parse_readiness(bad).unwrap_err();
    let text = format!("{errors:?}");
    for part in [
        "dimension: expected",
        "stage: expected",
        "graded C",
        "vocabulary",
        "governance: expected at least one mandatory",
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }
    assert!(errors.iter().all(|e| e.line > 1), "{errors:?}");
}

fn fund(eligibility: Value) -> Fund {
    Fund::parse(&json!({"type": "fund", "id": "f", "name": "F", "manager": "m", "currency": "CAD",
        "eligibility": eligibility}))
    .unwrap()
}

#[test]
fn matching_reasons_say_what_is_met_missing_and_unmet() {
    let f = fund(json!({"profiles": ["qc-2013"], "territories": ["CA-QC"], "readiness_min": "emerging"}));
    let mut facts = ready_facts();
    facts.as_object_mut().unwrap().remove("impact.indicators");
    let subject = actor(facts);
    let r = assess(profile(), &subject);
    let verdicts = [ProfileVerdict {
        profile: "qc-2013".into(),
        verdict: crate::screening::Verdict::InsufficientEvidence,
        to_decide: vec![vec!["surplus.distribution_allowed".into()]],
    }];
    let chain = ["CA-QC".to_string(), "CA".to_string()];
    let checks =
        eligibility::check(&f, &Applicant { verdicts: &verdicts, territory_chain: &chain, readiness: Some(&r) }, None);
    let by = |c: &str| checks.iter().find(|x| x.condition == c).unwrap_or_else(|| panic!("{c} in {checks:?}"));
    assert_eq!(by("territory").status, Status::Met);
    assert_eq!(by("profile:qc-2013").status, Status::Unknown);
    assert_eq!(by("profile:qc-2013").to_decide, vec![vec!["surplus.distribution_allowed".to_string()]]);
    assert_eq!(by("readiness").status, Status::Unknown);
    assert_eq!(by("readiness").to_decide, vec![vec!["impact.indicators".to_string()]]);
    assert_eq!(eligibility::status(&checks), Status::Unknown);
    assert_eq!(eligibility::missing(&checks), vec!["surplus.distribution_allowed", "impact.indicators"]);

    // Outside the territory and not ready: unmet, ranked after the undecided.
    let mut weak = ready_facts();
    weak["impact.indicators"] = json!(false);
    let r2 = assess(profile(), &actor(weak));
    let on = ["CA-ON".to_string(), "CA".to_string()];
    let checks2 =
        eligibility::check(&f, &Applicant { verdicts: &verdicts, territory_chain: &on, readiness: Some(&r2) }, None);
    assert_eq!(eligibility::status(&checks2), Status::Unmet);
    assert!(eligibility::rank_key(&checks) < eligibility::rank_key(&checks2));
    let why = eligibility::decide(&checks2).unwrap_err();
    assert!(why.contains("the investee is in CA-ON") && why.contains("not_ready (needed: emerging)"), "{why}");
}

#[test]
fn a_fund_keeps_its_readiness_requirement() {
    let f = fund(json!({"readiness_min": "ready", "readiness_profile": DEFAULT}));
    assert_eq!(f.eligibility.readiness_min, Some(Stage::Ready));
    assert_eq!(Fund::parse(&f.to_json()).unwrap(), f);
    let bad = Fund::parse(&json!({"type": "fund", "id": "f", "name": "F", "manager": "m", "currency": "CAD",
        "eligibility": {"readiness_min": "almost", "readiness_profile": "nope"}}))
    .unwrap_err();
    let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
    assert!(
        fields.contains(&"eligibility.readiness_min") && fields.contains(&"eligibility.readiness_profile"),
        "{fields:?}"
    );
}
