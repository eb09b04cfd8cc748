//! Co-construction over real HTTP: a strategy's page and API, a round opened by a moderator,
//! votes cast in the browser (CSRF-checked) and through the API by accounts of four colleges,
//! the outcome explained college by college, the history of a territory.

mod common;
use common::{Server, account, api, form, get, hidden, log_in, request, start};
use solidaria_app::import::{Source, import};
use solidaria_core::moderation::Role;
use solidaria_formats::jsonl::read_lines;

const ONTARIO: &str = r#"{"type":"actor","id":"solar","name":"Solar <Coop>","category":"sse_organization","territory":"CA-ON"}
{"type":"actor","id":"oca","name":"Ontario Co-op Association","category":"support_network","territory":"CA-ON","founded":2002}
{"type":"actor","id":"uw","name":"University","category":"knowledge_institution","territory":"CA-ON"}
{"type":"actor","id":"tap","name":"Tapestry","category":"finance_provider","territory":"CA-ON"}
{"type":"relation","from":"solar","to":"tap","kind":"funds","since":"2015"}
{"type":"strategy","id":"on","territory":"CA-ON","title":"Ontario <draft>","from":"2026","actions":[{"id":"bonds","title":"Community bonds","block":"finance","lead":"tap","commitments":[{"actor":"tap","what":"shares its model"}],"milestones":[{"title":"Model shared","due":"2026-09"}],"indicator":{"measure":"linked_organizations","block":"finance","target":2}}]}"#;

fn setup() -> Server {
    let s = start();
    let mut store = solidaria_store::open(&s.db).unwrap();
    let r = import(
        store.as_mut(),
        "t",
        vec![Source { name: "on".into(), entries: Ok(read_lines(ONTARIO.as_bytes())) }],
        &mut |_| {},
    )
    .unwrap();
    assert!(r.committed, "{:?}", r.problems);
    s
}

#[test]
fn a_moderator_opens_four_colleges_vote_on_the_web_and_the_outcome_is_explained() {
    let s = setup();
    account(&s, "mo", Role::Moderator, None);
    account(&s, "solar-user", Role::Contributor, Some("solar"));
    let oca = account(&s, "oca-user", Role::Contributor, Some("oca"));
    account(&s, "uw-user", Role::Contributor, Some("uw"));
    account(&s, "tap-user", Role::Contributor, Some("tap"));
    let lone = account(&s, "lone", Role::Contributor, None);

    // The draft's page: escaped, no forms for a visitor, the action with its lead by name.
    let (status, _, page) = get(&s, "/strategies/on?lang=fr", "");
    assert_eq!(status, 200);
    assert!(page.contains("Ontario &#60;draft&#62;") && !page.contains("Ontario <draft>"), "escaped");
    assert!(page.contains("Projet") && page.contains(">Tapestry</a>"), "{page}");
    assert!(!page.contains("name=\"choice\""), "no vote form for a visitor");

    // A contributor may not open a round; a moderator may, in the browser.
    let solar = log_in(&s, "solar-user");
    let (_, _, page) = get(&s, "/strategies/on", &format!("Cookie: {solar}\r\n"));
    assert!(!page.contains("/strategies/on/open"), "no open button for a contributor");
    let csrf = hidden(&page, "csrf");
    assert_eq!(form(&s, "/strategies/on/open", &solar, &[("csrf", &csrf)]).0, 403);
    let mo = log_in(&s, "mo");
    let (_, _, page) = get(&s, "/strategies/on", &format!("Cookie: {mo}\r\n"));
    let mo_csrf = hidden(&page, "csrf");
    assert_eq!(form(&s, "/strategies/on/open", &mo, &[("csrf", "0000")]).0, 403, "wrong CSRF token");
    let (status, head, _) = form(&s, "/strategies/on/open", &mo, &[("csrf", &mo_csrf)]);
    assert_eq!(status, 303, "{head}");

    // Two colleges vote in the browser, one through the API, one objects then consents.
    for who in ["solar-user", "uw-user"] {
        let c = log_in(&s, who);
        let (_, _, page) = get(&s, "/strategies/on", &format!("Cookie: {c}\r\n"));
        assert!(page.contains("name=\"choice\"") && !page.contains("checked"), "a vote form, nothing preselected");
        let csrf = hidden(&page, "csrf");
        let (status, _, _) = form(&s, "/strategies/on/vote", &c, &[("csrf", &csrf), ("choice", "for")]);
        assert_eq!(status, 303);
    }
    let (status, v) = api(&s, "POST", "/api/strategies/on/votes", &oca, r#"{"choice":"for"}"#);
    assert_eq!(status, 201, "{v}");
    assert_eq!((v["actor"].as_str(), v["college"].as_str()), (Some("oca"), Some("support_networks")));
    let (status, v) = api(&s, "POST", "/api/strategies/on/votes", &lone, r#"{"choice":"for"}"#);
    assert_eq!((status, v["error"]["reason"].as_str()), (403, Some("not_a_voter")));
    let (status, v) = api(&s, "POST", "/api/strategies/on/votes", &oca, r#"{"choice":"maybe"}"#);
    assert_eq!(status, 400, "{v}");
    let tap = log_in(&s, "tap-user");
    let (_, _, page) = get(&s, "/strategies/on", &format!("Cookie: {tap}\r\n"));
    let csrf = hidden(&page, "csrf");
    let (status, _, page) = form(&s, "/strategies/on/vote", &tap, &[("csrf", &csrf), ("choice", "object")]);
    assert!(status == 409 && page.contains("reason"), "an objection needs its reason: {status}");

    // The live count, then the close: adopted, explained college by college.
    let (_, v) = api(&s, "GET", "/api/strategies/on", "", "");
    assert_eq!(v["stage"]["stage"], "open");
    assert!(
        v["outcome"]["explanation"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l.as_str().unwrap().starts_with("finance providers: no quorum"))
    );
    let (status, _, _) = form(&s, "/strategies/on/vote", &tap, &[("csrf", &csrf), ("choice", "for")]);
    assert_eq!(status, 303);
    assert_eq!(api(&s, "POST", "/api/strategies/on/close", &oca, "").0, 403, "contributors do not close");
    let (status, _, _) = form(&s, "/strategies/on/close", &mo, &[("csrf", &mo_csrf)]);
    assert_eq!(status, 303);
    let (_, _, page) = get(&s, "/strategies/on", "");
    assert!(page.contains("Adopted"), "{page}");
    for line in [
        "SSE organizations: 1 of 1 for — consents",
        "finance providers: 1 of 1 for — consents",
        "public authorities: no registered voter, set aside",
    ] {
        assert!(page.contains(line), "{line} missing");
    }
    assert!(page.contains("Solar &#60;Coop&#62;"), "voters by name, escaped");
    let (status, v) = api(&s, "POST", "/api/strategies/on/votes", &oca, r#"{"choice":"against"}"#);
    assert_eq!((status, v["error"]["reason"].as_str()), (409, Some("deliberation_refused")));
    let (_, list) = api(&s, "GET", "/api/strategies", "", "");
    assert_eq!(list["items"][0]["stage"], "adopted");
}

#[test]
fn a_strategy_under_deliberation_keeps_its_text_and_the_history_shows_the_ecosystem_over_time() {
    let s = setup();
    let mo = account(&s, "mo", Role::Moderator, None);
    assert_eq!(api(&s, "POST", "/api/strategies/on/open", &mo, "").0, 201);
    let (status, v) = request(
        &s,
        "PUT",
        "/api/strategies/on",
        &format!("Authorization: Bearer {mo}\r\nContent-Type: application/json\r\n"),
        br#"{"type":"strategy","id":"on","territory":"CA-ON","title":"Changed","from":"2026"}"#,
    )
    .pipe(|(st, _, b)| (st, b));
    assert!(status == 409 && v.contains("strategy_in_deliberation"), "{status} {v}");

    let (status, v) = api(&s, "GET", "/api/territories/CA-ON/history?since=2010", "", "");
    assert_eq!(status, 200, "{v}");
    let dates: Vec<&str> = v["points"].as_array().unwrap().iter().map(|p| p["date"].as_str().unwrap()).collect();
    assert_eq!(&dates[..2], ["2010-12-31", "2015-12-31"], "{dates:?}");
    assert_eq!(api(&s, "GET", "/api/territories/CA-ON/history?since=soon", "", "").0, 400);
    let (status, _, page) = get(&s, "/territories/CA-ON/history?lang=es", "");
    assert!(status == 200 && page.contains("<svg") && page.contains("El ecosistema en el tiempo"), "{page}");
    let (_, then) = api(&s, "GET", "/api/territories/CA-ON/diagnostic?as_of=2014", "", "");
    assert_eq!(then["network"]["edges"], 0, "the funding began in 2015");
    assert_eq!(api(&s, "GET", "/api/territories/CA-ON/diagnostic?as_of=later", "", "").0, 400);
}

trait Pipe: Sized {
    fn pipe<T>(self, f: impl FnOnce(Self) -> T) -> T {
        f(self)
    }
}
impl<T> Pipe for T {}
