use super::*;
use crate::diagnose;
use crate::import::{Source, import};
use solidaria_core::moderation::Role;
use solidaria_core::strategy::MilestoneState;
use solidaria_formats::jsonl::read_lines;
use solidaria_store::accounts::Accounts;
use solidaria_store::deliberation::Deliberations;
use solidaria_store::sqlite::SqliteStore;

const ECOSYSTEM: &str = r#"{"type":"actor","id":"coop-a","name":"Coop A","category":"sse_organization","territory":"CA-ON","founded":2010}
{"type":"actor","id":"coop-b","name":"Coop B","category":"sse_organization","territory":"CA-ON"}
{"type":"actor","id":"net","name":"Network","category":"support_network","territory":"CA-ON","founded":2002}
{"type":"actor","id":"uni","name":"University","category":"knowledge_institution","territory":"CA-ON","founded":1957}
{"type":"actor","id":"fin","name":"Fund","category":"finance_provider","territory":"CA-ON"}
{"type":"actor","id":"shop","name":"Shop","category":"private_business","territory":"CA-ON","roles":["market_access"]}
{"type":"actor","id":"far","name":"Far","category":"sse_organization","territory":"CA-QC"}
{"type":"relation","from":"coop-a","to":"shop","kind":"supplies","since":"2020"}
{"type":"relation","from":"coop-a","to":"net","kind":"member_of","since":"2012","until":"2015"}
{"type":"strategy","id":"on","territory":"CA-ON","title":"Ontario","from":"2016","until":"2030","actions":[{"id":"buy","title":"Buy social","block":"market_access","lead":"shop","commitments":[{"actor":"coop-a","what":"sell"}],"indicator":{"measure":"linked_organizations","block":"market_access","target":2},"milestones":[{"title":"Policy","due":"2020","done":"2020-05"},{"title":"Contracts","due":"2021"}]}]}"#;

fn user(name: &str, role: Role) -> User {
    User { name: name.into(), role, password_hash: String::new(), created_at: String::new(), disabled_at: None }
}

fn store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path().join("t.db").to_str().unwrap()).unwrap();
    let sources = vec![Source { name: "e.jsonl".into(), entries: Ok(read_lines(ECOSYSTEM.as_bytes())) }];
    let report = import(&mut store, "test", sources, &mut |_| {}).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    for (name, actor) in [
        ("ana", "coop-a"),
        ("bo", "coop-b"),
        ("nia", "net"),
        ("uma", "uni"),
        ("fay", "fin"),
        ("sam", "shop"),
        ("qc", "far"),
    ] {
        store.add_user("admin", name, Role::Contributor, "$argon2id$x").unwrap();
        link(&mut store, &user("root", Role::Admin), name, Some(actor)).unwrap();
    }
    store.add_user("admin", "lone", Role::Contributor, "$argon2id$x").unwrap();
    (dir, store)
}

#[test]
fn rounds_are_opened_by_moderators_and_votes_counted_college_by_college() {
    let (_dir, mut s) = store();
    let moderator = user("mod", Role::Moderator);
    let ana = user("ana", Role::Contributor);
    assert_eq!(open(&mut s, &ana, "on").unwrap_err().code, Code::RoleInsufficient);
    assert_eq!(vote(&mut s, &ana, "on", Choice::For, None).unwrap_err().code, Code::DeliberationRefused);
    open(&mut s, &moderator, "on").unwrap();
    assert_eq!(open(&mut s, &moderator, "on").unwrap_err().code, Code::DeliberationRefused);
    assert!(
        editable("on", &s.deliberation("on").unwrap())
            .unwrap_err()
            .contains("round 1 of the deliberation on on is open")
    );
    // Not linked, linked outside the territory, linked to an actor without a college.
    for who in ["lone", "qc", "sam"] {
        assert_eq!(
            vote(&mut s, &user(who, Role::Contributor), "on", Choice::For, None).unwrap_err().code,
            Code::NotAVoter,
            "{who}"
        );
    }
    let on = strategy(&mut s, "on").unwrap();
    let voters = voters(&mut s, &on).unwrap();
    assert_eq!(voters.len(), 5, "coop-a, coop-b, net, uni, fin: {voters:?}");
    for (who, c) in [
        ("ana", Choice::For),
        ("bo", Choice::For),
        ("nia", Choice::For),
        ("uma", Choice::Against),
        ("uma", Choice::For),
    ] {
        vote(&mut s, &user(who, Role::Contributor), "on", c, None).unwrap();
    }
    let e = vote(&mut s, &user("fay", Role::Contributor), "on", Choice::Object, None).unwrap_err();
    assert!(e.message.contains("reason"), "{e:?}");
    amend(&mut s, &user("fay", Role::Contributor), "on", "name the fund".into()).unwrap();
    let v = view(&mut s, "on", "2026-12-02").unwrap();
    assert_eq!(v.stage.as_str(), "open");
    let o = v.outcome.as_ref().unwrap();
    assert!(!o.adopted, "finance providers did not vote");
    assert!(o.explanation.iter().any(|l| l.starts_with("finance providers: no quorum")), "{:?}", o.explanation);
    assert_eq!(ballots(&v.events).len(), 4, "uma's second vote replaced the first");
    vote(&mut s, &user("fay", Role::Contributor), "on", Choice::For, None).unwrap();
    let (closed, outcome) = close(&mut s, &moderator, "on").unwrap();
    assert!(outcome.adopted, "{:?}", outcome.explanation);
    assert_eq!(closed.text.as_deref(), outcome.explanation.first().map(String::as_str));
    let v = view(&mut s, "on", "2026-12-02").unwrap();
    assert_eq!(v.stage.as_str(), "adopted");
    assert_eq!(v.outcome.unwrap(), outcome, "the outcome is read back from the log");
    assert!(!v.edited_since_opened);
    assert_eq!(open(&mut s, &moderator, "on").unwrap_err().code, Code::DeliberationRefused);
    editable("on", &s.deliberation("on").unwrap()).unwrap();
    assert_eq!(list(&mut s, Some("CA")).unwrap()[0].stage, "adopted");
    assert!(list(&mut s, Some("CA-QC")).unwrap().is_empty());
}

#[test]
fn follow_up_measures_indicators_at_the_start_and_now_and_dates_milestones() {
    let (_dir, mut s) = store();
    let v = view(&mut s, "on", "2026-12-02").unwrap();
    assert_eq!(v.stage, Stage::Draft);
    let a = &v.actions[0];
    let ind = a.indicator.as_ref().unwrap();
    // In 2016 coop-a supplied no one (the supply began in 2020); now it is linked to the shop.
    assert_eq!((ind.at_start, ind.now), (0.0, 1.0));
    assert!(
        ind.summary.contains(
            "SSE organizations linked to market access: 0 at the start of the period (2016), 1 now; target 2"
        ),
        "{}",
        ind.summary
    );
    assert_eq!(a.milestones.iter().map(|m| m.state).collect::<Vec<_>>(), [MilestoneState::Done, MilestoneState::Late]);
    assert_eq!(v.names.get("shop").map(String::as_str), Some("Shop"));
}

#[test]
fn the_ecosystem_as_of_a_day_and_its_history() {
    let (_dir, mut s) = store();
    let before = diagnose::load_as_of(&mut s, "CA-ON", Some("2009")).unwrap();
    assert!(!before.ids.contains(&"coop-a".to_string()), "founded in 2010: {:?}", before.ids);
    assert_eq!(before.diagnostic.network.nodes, 5);
    let then = diagnose::load_as_of(&mut s, "CA-ON", Some("2013")).unwrap();
    assert_eq!(then.diagnostic.network.nodes, 6);
    assert_eq!(then.diagnostic.network.edges, 1, "only the membership of 2012–2015");
    let now = diagnose::load_as_of(&mut s, "CA-ON", Some("2026-12-02")).unwrap();
    assert_eq!(now.diagnostic.network.edges, 1, "the membership ended, the supply began");
    assert_eq!(diagnose::as_of_day("2013-02").unwrap(), "2013-02-28");
    assert_eq!(diagnose::as_of_day("yesterday").unwrap_err().code, Code::QueryInvalid);
    let h = diagnose::history(&mut s, "CA-ON", Some(2010), "2026-12-02").unwrap();
    let dates: Vec<&str> = h.points.iter().map(|p| p.date.as_str()).collect();
    assert_eq!(dates, ["2010-12-31", "2012-12-31", "2016-12-31", "2020-12-31", "2026-12-02"]);
    assert!(h.points[1].changes.iter().any(|c| c == "+1 links (0 → 1)"), "{:?}", h.points[1].changes);
    assert!(h.points[3].changes.iter().any(|c| c.starts_with("market access: ")), "{:?}", h.points[3].changes);
    assert_eq!(h.undated.actors, 3);
}

#[test]
fn results_from_loomio_count_as_votes_and_decidim_results_are_kept_in_the_log() {
    let (_dir, mut s) = store();
    let moderator = user("mod", Role::Moderator);
    let csv = "votes\nid,poll_id,voter_id,voter_name,created_at,updated_at,reason,reason_format,agree,abstain,disagree,block\n\
               1,9,1,Coop A,t,t,Fine,md,1,,,\n2,9,2,nia,t,t,,md,1,,,\n3,9,3, university ,t,t,,md,1,,,\n\
               4,9,4,Fund,t,t,,md,,,,1\n5,9,5,Stranger,t,t,,md,1,,,\n";
    // Not before a round is open; not by a contributor.
    assert_eq!(import_loomio(&mut s, &moderator, "on", "poll.csv", csv).unwrap_err().code, Code::DeliberationRefused);
    assert!(s.deliberation("on").unwrap().is_empty(), "nothing written");
    open(&mut s, &moderator, "on").unwrap();
    assert_eq!(
        import_loomio(&mut s, &user("ana", Role::Contributor), "on", "poll.csv", csv).unwrap_err().code,
        Code::RoleInsufficient
    );
    let e = import_loomio(&mut s, &moderator, "on", "poll.csv", "id,title\n").unwrap_err();
    assert_eq!(e.code, Code::InputUnreadable);
    assert!(e.message.starts_with("poll.csv: line"), "{}", e.message);
    let r = import_loomio(&mut s, &moderator, "on", "poll.csv", csv).unwrap();
    assert_eq!(r.appended, 4);
    assert_eq!(r.left.len(), 1);
    assert!(r.left[0].starts_with("poll.csv:7: \"Stranger\" is no registered voter"), "{:?}", r.left);
    let v = view(&mut s, "on", "2026-12-02").unwrap();
    let got: Vec<(String, Choice)> =
        ballots(&v.events).iter().map(|e| (e.actor.clone().unwrap(), e.choice.unwrap())).collect();
    assert_eq!(
        got,
        [
            ("fin".to_string(), Choice::Object),
            ("uni".into(), Choice::For),
            ("coop-a".into(), Choice::For),
            ("net".into(), Choice::For)
        ]
    );
    let object = v.events.iter().find(|e| e.choice == Some(Choice::Object)).unwrap();
    assert_eq!(object.text.as_deref(), Some("[Loomio poll ?, Fund] block (no reason given in Loomio)"));
    assert!(v.outcome.unwrap().explanation.iter().any(|l| l == "finance providers: 0 of 1 for, 1 objecting — objects"));

    let decidim = r#"[{"id":7,"title":{"en":"Buy social"},"body":{"en":"Solidaria: on#buy"},"state":"accepted","supports":12,"endorsements":{"total_count":2},"comments":3},
                      {"id":8,"title":{"en":"Other"},"body":{"en":""},"state":"rejected"}]"#;
    let r = import_decidim(&mut s, &moderator, "on", "proposals.json", decidim).unwrap();
    assert_eq!((r.appended, r.left.len()), (1, 1));
    let log = s.deliberation("on").unwrap();
    let last = log.last().unwrap();
    assert_eq!(last.kind, EventKind::External);
    assert_eq!(
        last.text.as_deref(),
        Some("action buy: Decidim proposal \"Buy social\": accepted, 12 support(s), 2 endorsement(s), 3 comment(s)")
    );
    assert_eq!(view(&mut s, "on", "2026-12-02").unwrap().stage.as_str(), "open", "reported results are not votes");

    let p = export_decidim(&mut s, "on", &["en", "fr"]).unwrap();
    assert_eq!(p[0]["title/fr"], "Buy social");
    assert!(p[0]["body/en"].as_str().unwrap().contains("Lead: Shop."));
    assert_eq!(export_decidim(&mut s, "on", &["e n"]).unwrap_err().code, Code::QueryInvalid);
    let poll = export_loomio(&mut s, "on", None).unwrap();
    assert_eq!(poll["title"], "Ontario");
}

#[test]
fn no_path_changes_a_strategy_while_a_round_is_open_on_it() {
    use crate::write::{Intent, Outcome, apply};
    let (_dir, mut s) = store();
    let moderator = user("mod", Role::Moderator);
    let on_line = ECOSYSTEM.lines().find(|l| l.contains("\"type\":\"strategy\"")).unwrap();
    let retitled = on_line.replace("\"title\":\"Ontario\"", "\"title\":\"Ontario, amended\"");
    let record = |line: &str| solidaria_core::record::parse_record(&serde_json::from_str(line).unwrap()).unwrap();
    // A contributor's change proposed before the round opens, validated after.
    let Outcome::Proposed { id: proposal, .. } =
        apply(&mut s, &user("ana", Role::Contributor), Intent::Update(record(&retitled)), None).unwrap()
    else {
        panic!("a contributor proposes")
    };
    open(&mut s, &moderator, "on").unwrap();
    let title = |s: &mut SqliteStore| strategy(s, "on").unwrap().title;

    // An import that changes it: refused at its line, nothing kept.
    let import_of = |s: &mut SqliteStore, text: &str| {
        let sources = vec![Source { name: "s.jsonl".into(), entries: Ok(read_lines(text.as_bytes())) }];
        import(s, "test", sources, &mut |_| {}).unwrap()
    };
    let text = format!("{{\"type\":\"actor\",\"id\":\"new\",\"name\":\"New\"}}\n{retitled}\n");
    let r = import_of(&mut s, &text);
    assert!(!r.committed);
    assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
    let p = &r.problems[0];
    assert_eq!((p.file.as_str(), p.line, p.error.field.as_str()), ("s.jsonl", 2, "id"));
    assert!(p.error.found.contains("round 1 of the deliberation on on is open"), "{p:?}");
    assert_eq!(title(&mut s), "Ontario");
    assert!(s.get(RecordType::Actor, "new").unwrap().is_none(), "all or nothing");
    // The same text again is no change: accepted.
    let r = import_of(&mut s, &format!("{on_line}\n"));
    assert!(r.committed && r.problems.is_empty(), "{:?}", r.problems);

    // A moderator's direct update or deletion, and the validation of the earlier proposal.
    for intent in [Intent::Update(record(&retitled)), Intent::Delete(RecordType::Strategy, "on".into())] {
        assert_eq!(apply(&mut s, &moderator, intent, None).unwrap_err().code, Code::StrategyInDeliberation);
    }
    let e = crate::moderate::decide(&mut s, &moderator, proposal, moderation::Decision::Validate).unwrap_err();
    assert_eq!(e.code, Code::StrategyInDeliberation, "{e:?}");
    assert_eq!(title(&mut s), "Ontario");

    // Once the round is closed, the same validation applies.
    close(&mut s, &moderator, "on").unwrap();
    crate::moderate::decide(&mut s, &moderator, proposal, moderation::Decision::Validate).unwrap();
    assert_eq!(title(&mut s), "Ontario, amended");
}
