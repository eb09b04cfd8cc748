use super::*;
use solidaria_core::record::{Record, parse_record};

#[test]
fn a_strategy_becomes_a_proposal_poll_with_loomio_s_options() {
    let v = serde_json::json!({"type":"strategy","id":"on","territory":"CA-ON","title":"Ontario","from":"2026","until":"2029",
        "description":"A draft.","actions":[{"id":"bonds","title":"Community bonds","block":"finance","lead":"tap"}]});
    let Ok(Record::Strategy(s)) = parse_record(&v) else { panic!() };
    let p = poll(&s, Some("2026-12-20T12:00:00Z"), &|id| format!("<{id}>"));
    assert_eq!(p["poll_type"], "proposal");
    assert_eq!(p["options"], serde_json::json!(["agree", "abstain", "disagree", "block"]));
    assert_eq!(p["closing_at"], "2026-12-20T12:00:00Z");
    let details = p["details"].as_str().unwrap();
    assert!(details.contains("- **Community bonds** — finance (lead: <tap>)"), "{details}");
    assert!(details.ends_with("Territory CA-ON, 2026–2029. Solidaria: on"), "{details}");
    for (option, choice) in
        [("agree", Choice::For), ("abstain", Choice::Abstain), ("disagree", Choice::Against), ("block", Choice::Object)]
    {
        assert_eq!(choice_of(option), Some(choice));
    }
}

#[test]
fn the_poll_export_gives_each_vote_with_its_line_option_and_reason() {
    let p = votes(include_str!("../../tests/fixtures/loomio-poll-export.csv")).unwrap();
    assert_eq!(p.id.as_deref(), Some("981"));
    assert_eq!(p.title.as_deref(), Some("Community energy and finance for Ontario's co-operatives"));
    let got: Vec<(u64, &str, Choice)> = p.votes.iter().map(|v| (v.line, v.voter_name.as_str(), v.choice)).collect();
    assert_eq!(
        got,
        [
            (12, "SolarShare", Choice::For),
            (13, "oca-user", Choice::For),
            (14, "University of Waterloo", Choice::Abstain),
            (15, "Tapestry Community Capital", Choice::Object),
            (16, "Someone Else", Choice::For),
        ]
    );
    assert_eq!(p.votes[3].reason.as_deref(), Some("The fund must be named first."));
    assert_eq!(p.votes[1].reason, None);
}

#[test]
fn malformed_exports_name_the_line() {
    let e = votes("poll\nid,title\n1,x\n").unwrap_err().to_string();
    assert!(e.contains("expected a \"votes\" section"), "{e}");
    let e = votes("votes\nid,name,agree\n1,A,1\n").unwrap_err().to_string();
    assert!(e.starts_with("line 2") && e.contains("voter_name"), "{e}");
    let e = votes("votes\nid,voter_name,reason,agree,abstain\n1,A,,1,1\n").unwrap_err().to_string();
    assert!(e.starts_with("line 3") && e.contains("found several"), "{e}");
    let e = votes("votes\nid,voter_name,reason,yes,no\n1,A,,1,\n").unwrap_err().to_string();
    assert!(e.contains("expected a proposal option") && e.contains("\"yes\""), "{e}");
    let e = votes("votes\nid,voter_name,reason,agree\n1,A,,\n").unwrap_err().to_string();
    assert!(e.contains("found none"), "{e}");
}
