use super::*;
use solidaria_core::record::{Record, parse_record};

fn strategy() -> Strategy {
    let v = serde_json::json!({"type":"strategy","id":"on","territory":"CA-ON","title":"Ontario","from":"2026","actions":[
        {"id":"bonds","title":"Community bonds","block":"finance","lead":"tap","partners":["solar"],
         "commitments":[{"actor":"tap","what":"shares its model"}],"milestones":[{"title":"Model shared","due":"2026-09"}]},
        {"id":"training","title":"A training programme for new co-operatives","block":"capacity_building"}]});
    let Ok(Record::Strategy(s)) = parse_record(&v) else { panic!() };
    s
}

#[test]
fn actions_become_proposals_with_every_locale_decidim_requires() {
    let p = proposals(&strategy(), &["en", "fr"], &|id| format!("<{id}>"));
    let items = p.as_array().unwrap();
    assert_eq!(items.len(), 2);
    let first = items[0].as_object().unwrap();
    let keys: Vec<&str> = first.keys().map(String::as_str).collect();
    assert_eq!(keys, ["title/en", "body/en", "title/fr", "body/fr"], "only what the importer reads");
    assert_eq!(first["title/fr"], "Community bonds");
    let body = first["body/en"].as_str().unwrap();
    assert!(body.contains("Lead: <tap>.") && body.contains("Commitment of <tap>: shares its model."), "{body}");
    assert!(body.ends_with("Solidaria: on#bonds"), "{body}");
}

#[test]
fn results_are_matched_by_marker_then_title_and_the_rest_reported() {
    let text = include_str!("../../tests/fixtures/decidim-proposals-export.json");
    let r = results(&strategy(), text).unwrap();
    assert_eq!(r.matched.len(), 2);
    let bonds = &r.matched[0];
    assert_eq!(
        (bonds.action.as_str(), bonds.state.as_str(), bonds.supports, bonds.endorsements, bonds.comments),
        ("bonds", "accepted", 37, 5, 12)
    );
    assert_eq!(bonds.answer.as_deref(), Some("Accepted by the assembly of 12 November."));
    assert!(
        bonds.summary().starts_with("Decidim proposal \"Community bonds\": accepted, 37 support(s)"),
        "{}",
        bonds.summary()
    );
    let training = &r.matched[1];
    assert_eq!(
        (training.action.as_str(), training.state.as_str()),
        ("training", "not_answered"),
        "matched by its title"
    );
    assert_eq!(r.unmatched, ["Something else entirely"]);
}

#[test]
fn a_file_that_is_not_the_export_is_a_located_error() {
    let e = results(&strategy(), "{\"id\": 1}").unwrap_err().to_string();
    assert!(e.contains("a JSON array"), "{e}");
    let e = results(&strategy(), "[\n{\"id\": 1,\n").unwrap_err().to_string();
    assert!(e.starts_with("line 3") || e.starts_with("line 2"), "{e}");
    let e = results(&strategy(), "[{\"id\": 1, \"body\": {\"en\": \"x\"}}]").unwrap_err().to_string();
    assert!(e.contains("proposal 1: expected a title"), "{e}");
}
