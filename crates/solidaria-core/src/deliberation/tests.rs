use super::*;

fn rule() -> &'static DecisionRule {
    find_rule("consent-by-college").unwrap()
}

fn voter(actor: &str, college: &str) -> Voter {
    Voter { actor: actor.into(), name: actor.into(), college: college.into() }
}

fn ev(seq: i64, kind: EventKind, actor: Option<(&str, &str)>, choice: Option<Choice>) -> Event {
    Event {
        seq,
        strategy: "s".into(),
        at: format!("2026-01-{seq:02}T00:00:00Z"),
        who: "u".into(),
        kind,
        actor: actor.map(|a| a.0.to_string()),
        college: actor.map(|a| a.1.to_string()),
        choice,
        text: None,
        doc: Some("{}".into()),
    }
}

fn vote(seq: i64, actor: &str, college: &str, c: Choice) -> Event {
    ev(seq, EventKind::Vote, Some((actor, college)), Some(c))
}

#[test]
fn every_builtin_rule_parses_and_maps_each_category_once() {
    for (stem, text) in FILES {
        parse_rule(stem, text).unwrap();
    }
    assert_eq!(rules().len(), FILES.len());
    let r = rule();
    assert_eq!(r.college_of(Some(Category::CivilSocietyMovement)).unwrap().id, "support_networks");
    assert!(r.college_of(Some(Category::PrivateBusiness)).is_none(), "private businesses have no college");
    assert!(parse_rule("x", "id = \"y\"").is_err());
}

#[test]
fn a_college_without_quorum_blocks_and_the_explanation_says_so() {
    let reg = [
        voter("p1", "public_authorities"),
        voter("p2", "public_authorities"),
        voter("p3", "public_authorities"),
        voter("p4", "public_authorities"),
        voter("f1", "finance_providers"),
        voter("f2", "finance_providers"),
        voter("f3", "finance_providers"),
        voter("s1", "sse_organizations"),
    ];
    let events = vec![
        ev(1, EventKind::Open, None, None),
        vote(2, "p1", "public_authorities", Choice::For),
        vote(3, "p2", "public_authorities", Choice::For),
        vote(4, "p3", "public_authorities", Choice::Against),
        vote(5, "p3", "public_authorities", Choice::For),
        vote(6, "p4", "public_authorities", Choice::Abstain),
        vote(7, "f1", "finance_providers", Choice::For),
        vote(8, "s1", "sse_organizations", Choice::For),
    ];
    let o = tally(rule(), &reg, &events);
    assert!(!o.adopted);
    assert!(o.explanation.iter().any(|l| l == "public authorities: 3 of 4 for, 1 abstaining — consents"), "{o:?}");
    assert!(
        o.explanation.iter().any(|l| l.starts_with("finance providers: no quorum (1 of 3 registered voted; 2 needed)"))
    );
    assert!(o.explanation[0].contains("finance providers not in favour"), "{}", o.explanation[0]);
    assert!(o.explanation.iter().any(|l| l == "knowledge institutions: no registered voter, set aside"));
    // The finance providers vote: adopted.
    let mut more = events.clone();
    more.push(vote(9, "f2", "finance_providers", Choice::For));
    assert!(tally(rule(), &reg, &more).adopted);
    // One objection out of two votes (a half, over the quarter) makes the college object.
    more.push(vote(10, "f2", "finance_providers", Choice::Object));
    let o = tally(rule(), &reg, &more);
    assert!(!o.adopted);
    assert!(o.colleges.iter().any(|c| c.college == "finance_providers" && c.objects && c.object == 1));
}

#[test]
fn only_the_current_round_counts_and_the_pooled_rule_counts_everyone_together() {
    let reg = [voter("a", "sse_organizations"), voter("b", "public_authorities"), voter("c", "public_authorities")];
    let events = vec![
        ev(1, EventKind::Open, None, None),
        vote(2, "a", "sse_organizations", Choice::Against),
        ev(3, EventKind::Close, None, None),
        ev(4, EventKind::Open, None, None),
        vote(5, "b", "public_authorities", Choice::For),
        vote(6, "a", "sse_organizations", Choice::Against),
    ];
    let by_college = tally(rule(), &reg, &events);
    assert!(!by_college.adopted, "the SSE college is against");
    let pooled = tally(find_rule("majority-of-actors").unwrap(), &reg, &events);
    assert_eq!(pooled.colleges.len(), 1);
    assert_eq!((pooled.colleges[0].for_votes, pooled.colleges[0].against), (1, 1));
    assert!(!pooled.adopted, "1 for of 2 is not more than half");
}

#[test]
fn the_log_moves_through_its_stages_and_refuses_what_does_not_fit() {
    let new = |kind, choice: Option<Choice>, text: Option<&str>| NewEvent {
        who: "u".into(),
        kind,
        actor: Some("a".into()),
        college: Some("sse_organizations".into()),
        choice,
        text: text.map(String::from),
        doc: Some("{\"adopted\":true}".into()),
    };
    let mut log: Vec<Event> = Vec::new();
    assert_eq!(stage(&log), Stage::Draft);
    assert!(check(&log, &new(EventKind::Vote, Some(Choice::For), None)).unwrap_err().contains("no round is open"));
    check(&log, &new(EventKind::Open, None, None)).unwrap();
    log.push(ev(1, EventKind::Open, None, None));
    assert!(matches!(stage(&log), Stage::Open { round: 1, .. }));
    assert!(check(&log, &new(EventKind::Open, None, None)).unwrap_err().contains("already open"));
    assert!(check(&log, &new(EventKind::Vote, Some(Choice::Object), Some(" "))).unwrap_err().contains("reason"));
    check(&log, &new(EventKind::Vote, Some(Choice::Object), Some("the fund is not there yet"))).unwrap();
    let mut close = ev(2, EventKind::Close, None, None);
    close.doc = Some("{\"adopted\":false}".into());
    log.push(close);
    assert!(matches!(stage(&log), Stage::NotAdopted { round: 1, .. }));
    log.push(ev(3, EventKind::Open, None, None));
    let mut close = ev(4, EventKind::Close, None, None);
    close.doc = Some("{\"adopted\":true}".into());
    log.push(close);
    assert!(matches!(stage(&log), Stage::Adopted { round: 2, .. }));
    assert!(check(&log, &new(EventKind::Open, None, None)).unwrap_err().contains("adopted"));
    assert!(check(&log, &new(EventKind::Amendment, None, Some("more"))).is_err());
}
