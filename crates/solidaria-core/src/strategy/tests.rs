use super::*;
use crate::record::{Record, parse_record};
use serde_json::json;

fn quebec() -> serde_json::Value {
    json!({"type":"strategy","id":"qc-2025","territory":"CA-QC","title":"Open markets to the social economy",
      "from":"2025","until":"2028","actions":[
        {"id":"procure","title":"Social procurement in Montreal","block":"market_access","lead":"chantier",
         "partners":["ville-de-montreal"],"funds":["demo-sff-quebec"],"mechanisms":["fiducie-patient-capital"],
         "indicator":{"measure":"block_score","block":"market_access","target":60},
         "milestones":[{"title":"Purchasing policy voted","due":"2025-12","done":"2025-11-20"},{"title":"First contracts","due":"2026"}],
         "commitments":[{"actor":"ville-de-montreal","what":"reserve 5 % of purchases"}],"models":["case-1"]},
        {"id":"data","title":"A shared observatory","block":"data_measurement","answers":"suggestion",
         "suggestion":{"from":"coop-a","to":"crises"},
         "indicator":{"measure":"verdict_share","profile":"qc-2013","target":0.8}}]})
}

fn errors_of(v: serde_json::Value) -> Vec<String> {
    match parse_record(&v) {
        Ok(r) => panic!("accepted {v}: {r:?}"),
        Err(e) => e.iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn a_strategy_parses_and_round_trips_with_the_default_rule() {
    let r = parse_record(&quebec()).unwrap();
    let Record::Strategy(s) = &r else { panic!("not a strategy: {r:?}") };
    assert_eq!(s.rule, DEFAULT_RULE);
    assert_eq!(s.actions.len(), 2);
    assert_eq!(s.actions[0].answers, Answers::Gap);
    assert_eq!(s.actions[1].suggestion.as_ref().unwrap().to.as_str(), "crises");
    let again = parse_record(&r.to_json()).unwrap();
    assert_eq!(again, r);
    let names: Vec<String> = s.actions[0].actors().into_iter().map(|(f, id)| format!("{f}={id}")).collect();
    assert_eq!(names, ["lead=chantier", "partners[0]=ville-de-montreal", "commitments[0].actor=ville-de-montreal"]);
}

#[test]
fn every_problem_is_named_with_its_path() {
    let mut v = quebec();
    v["until"] = json!("2024");
    v["rule"] = json!("unanimity");
    v["actions"][0]["block"] = json!("markets");
    v["actions"][1]["answers"] = json!("gap");
    v["actions"][0]["indicator"] = json!({"measure":"linked_organizations","target":3});
    v["actions"][0]["milestones"][1]["due"] = json!("soon");
    let e = errors_of(v).join("\n");
    for needle in [
        "until: expected a date not before from (2025)",
        "rule: expected one of the decision rules consent-by-college",
        "actions[0].block",
        "actions[1].answers",
        "actions[0].indicator.block",
        "actions[0].milestones[1].due",
    ] {
        assert!(e.contains(needle), "{needle} missing from:\n{e}");
    }
    let mut v = quebec();
    v["actions"][1]["id"] = json!("procure");
    assert!(errors_of(v).join("\n").contains("actions[1].id: expected an id not used by another action"));
    let mut v = quebec();
    v["actions"][1].as_object_mut().unwrap().remove("suggestion");
    assert!(errors_of(v).join("\n").contains("actions[1].suggestion"));
}

#[test]
fn milestones_are_late_after_the_end_of_their_due_period() {
    let m = |due: &str, done: Option<&str>| Milestone {
        title: "x".into(),
        due: PartialDate::parse(due).unwrap(),
        done: done.map(|d| PartialDate::parse(d).unwrap()),
    };
    assert_eq!(m("2026-02", None).state("2026-02-28"), MilestoneState::Upcoming);
    assert_eq!(m("2026-02", None).state("2026-03-01"), MilestoneState::Late);
    assert_eq!(m("2024-02", None).state("2024-02-29"), MilestoneState::Upcoming, "leap year");
    assert_eq!(m("2026", None).state("2026-12-31"), MilestoneState::Upcoming);
    assert_eq!(m("2025", Some("2026-01")).state("2027-01-01"), MilestoneState::Done);
    assert_eq!(first_day(&PartialDate::parse("2013").unwrap()), "2013-01-01");
    assert_eq!(last_day(&PartialDate::parse("2013-04").unwrap()), "2013-04-30");
}
