//! Accounts, roles, moderation and hostile input over real HTTP on loopback.

mod common;
use common::{Server, api, form, get, hidden, request, set_cookie, start};
use solidaria_app::accounts;
use solidaria_core::moderation::Role;
use solidaria_web::auth;

const PASSWORD: &str = "a passphrase long enough";

/// Adds a user and returns an API token for it.
fn user(s: &Server, name: &str, role: Role) -> String {
    let mut store = solidaria_store::open(&s.db).unwrap();
    store.add_user("test", name, role, &accounts::hash_password(PASSWORD).unwrap()).unwrap();
    let token = accounts::new_secret().unwrap();
    store.create_token("test", &accounts::token_digest(&token), name, "test", false).unwrap();
    token
}

#[test]
fn anonymous_writes_get_401_and_contributors_only_propose() {
    let s = start();
    let contributor = user(&s, "bo", Role::Contributor);
    let moderator = user(&s, "mo", Role::Moderator);
    let new_actor = r#"{"id":"newcoop","name":"New Co-op","legal_form":{"family":"cooperative"}}"#;

    for (method, path, body) in [
        ("POST", "/api/actors", new_actor),
        ("PUT", "/api/actors/coop", r#"{"name":"x"}"#),
        ("DELETE", "/api/actors/coop", ""),
        ("POST", "/api/relations", r#"{"from":"coop","to":"bigco","kind":"member_of"}"#),
    ] {
        let (status, _, body) = request(&s, method, path, "Content-Type: application/json\r\n", body.as_bytes());
        assert_eq!(status, 401, "{method} {path}: {body}");
        assert_eq!(common::json(&body)["error"]["code"], "unauthorized");
    }
    let (status, v) = api(&s, "POST", "/api/actors", "not-a-token", new_actor);
    assert_eq!((status, v["error"]["code"].as_str()), (401, Some("unauthorized")));
    assert_eq!(api(&s, "GET", "/api/me", &contributor, "").1["role"], "contributor");

    // A contributor's creation and edit wait in the queue; nothing changes yet.
    let (status, v) = api(&s, "POST", "/api/actors", &contributor, new_actor);
    assert_eq!(status, 202, "{v}");
    assert_eq!(v["status"], "pending");
    let created = v["proposal"]["id"].as_i64().unwrap();
    assert_eq!(get(&s, "/api/actors/newcoop", "").0, 404);
    let edit = r#"{"name":"Coop One (renamed)","legal_form":{"family":"cooperative"},"territory":"CA-QC"}"#;
    let (status, v) = api(&s, "PUT", "/api/actors/coop?note=AGM%20minutes%202026", &contributor, edit);
    assert_eq!(status, 202, "{v}");
    let edited = v["proposal"]["id"].as_i64().unwrap();
    assert!(v["changes"].as_array().unwrap().iter().any(|c| c["path"] == "name" && c["after"] == "Coop One (renamed)"));
    assert_eq!(common::json(&get(&s, "/api/actors/coop", "").2)["actor"]["name"], "Coop <b>One</b>");
    // Contributors may not decide, and see only their own proposals.
    let (status, v) =
        api(&s, "POST", &format!("/api/proposals/{edited}/decision"), &contributor, r#"{"state":"validated"}"#);
    assert_eq!(status, 403);
    assert!(v["error"]["message"].as_str().unwrap().contains("needs the role moderator"), "{v}");
    assert_eq!(api(&s, "GET", "/api/proposals", &contributor, "").1["total"], 2);

    // The moderator sees the queue with diffs and decides.
    let (_, queue) = api(&s, "GET", "/api/proposals?state=pending", &moderator, "");
    assert_eq!(queue["total"], 2);
    let item = queue["items"].as_array().unwrap().iter().find(|p| p["id"] == edited).unwrap();
    assert_eq!(item["note"], "AGM minutes 2026");
    assert_eq!(item["base"]["name"], "Coop <b>One</b>");
    let (status, v) =
        api(&s, "POST", &format!("/api/proposals/{edited}/decision"), &moderator, r#"{"state":"validated"}"#);
    assert_eq!((status, v["state"].as_str()), (200, Some("validated")), "{v}");
    let actor = common::json(&get(&s, "/api/actors/coop", "").2);
    assert_eq!(actor["actor"]["name"], "Coop One (renamed)");
    // A rejection needs a message; decisions are final.
    let path = format!("/api/proposals/{created}/decision");
    let (status, v) = api(&s, "POST", &path, &moderator, r#"{"state":"rejected"}"#);
    assert_eq!((status, v["error"]["code"].as_str()), (400, Some("bad_request")));
    let (status, v) = api(&s, "POST", &path, &moderator, r#"{"state":"rejected","message":"no source given"}"#);
    assert_eq!((status, v["message"].as_str()), (200, Some("no source given")));
    let (status, _) = api(&s, "POST", &path, &moderator, r#"{"state":"validated"}"#);
    assert_eq!(status, 409);
    assert_eq!(get(&s, "/api/actors/newcoop", "").0, 404, "a rejected proposal writes nothing");

    // The audit log names the moderator, the proposal and its author.
    let mut store = solidaria_store::open(&s.db).unwrap();
    let audit = store.audit(Some((solidaria_core::RecordType::Actor, "coop")), 10).unwrap();
    assert_eq!(audit.last().unwrap().who, format!("mo (proposal {edited} by bo)"));
    let events: Vec<String> = store.account_events(100).unwrap().into_iter().map(|e| e.action).collect();
    assert!(events.iter().filter(|a| *a == "proposal_decide").count() == 2, "{events:?}");
}

#[test]
fn moderators_write_directly_and_every_write_is_checked() {
    let s = start();
    let moderator = user(&s, "mo", Role::Moderator);
    let (status, v) = api(&s, "POST", "/api/actors", &moderator, r#"{"id":"m1","name":"Mutual One"}"#);
    assert_eq!((status, v["change"].as_str()), (201, Some("inserted")), "{v}");
    assert_eq!(get(&s, "/api/actors/m1", "").0, 200);
    let (status, _) = api(&s, "POST", "/api/actors", &moderator, r#"{"id":"m1","name":"Again"}"#);
    assert_eq!(status, 409, "creating an existing id is a conflict");
    // A relation to a missing actor is refused with the field named.
    let (status, v) = api(&s, "POST", "/api/relations", &moderator, r#"{"from":"m1","to":"ghost","kind":"member_of"}"#);
    assert_eq!((status, v["error"]["code"].as_str()), (422, Some("invalid_record")), "{v}");
    assert!(v["error"]["problems"][0].as_str().unwrap().starts_with("to:"), "{v}");
    // Unknown fields and wrong types are reported, not ignored.
    let (status, v) = api(&s, "PUT", "/api/actors/m1", &moderator, r#"{"name":"M","colour":"red"}"#);
    assert_eq!(status, 422);
    assert!(v["error"]["problems"].to_string().contains("colour"), "{v}");
    let (status, v) = api(&s, "PUT", "/api/actors/m1", &moderator, r#"{"id":"other","name":"M"}"#);
    assert_eq!((status, v["error"]["code"].as_str()), (400, Some("bad_request")));
    // Malformed and oversized bodies.
    let (status, v) = api(&s, "POST", "/api/actors", &moderator, r#"{"id":"x","name":"#);
    assert_eq!((status, v["error"]["code"].as_str()), (400, Some("bad_body")), "{v}");
    let big = format!(r#"{{"id":"big","name":"{}"}}"#, "x".repeat(2 << 20));
    let (status, v) = api(&s, "POST", "/api/actors", &moderator, &big);
    assert_eq!((status, v["error"]["code"].as_str()), (413, Some("too_large")));
    // Hostile text is stored as data and shown as text.
    let hostile = r#"{"id":"h1","name":"<script>alert(1)</script>'; DROP TABLE actors;--"}"#;
    assert_eq!(api(&s, "POST", "/api/actors", &moderator, hostile).0, 201);
    let (_, _, page) = get(&s, "/actors/h1", "");
    assert!(page.contains("&#60;script&#62;alert(1)&#60;/script&#62;") && !page.contains("<script>alert(1)"));
    assert_eq!(common::json(&get(&s, "/api/actors", "").2)["total"], 4);
    // Deleting.
    assert_eq!(api(&s, "DELETE", "/api/actors/h1", &moderator, "").0, 200);
    assert_eq!(get(&s, "/api/actors/h1", "").0, 404);
    assert_eq!(api(&s, "DELETE", "/api/actors/h1", &moderator, "").0, 404);
}

/// Logs in through the form; returns the session cookie.
fn log_in(s: &Server, name: &str) -> String {
    let (status, head, page) = get(s, "/login", "");
    assert_eq!(status, 200);
    let login_csrf = set_cookie(&head, auth::LOGIN_CSRF_COOKIE).unwrap();
    assert_eq!(hidden(&page, "csrf"), login_csrf);
    let cookie = format!("{}={login_csrf}", auth::LOGIN_CSRF_COOKIE);
    let fields = [("user", name), ("password", PASSWORD), ("csrf", login_csrf.as_str()), ("next", "/account")];
    let (status, head, _) = form(s, "/login", &cookie, &fields);
    assert_eq!(status, 303, "{head}");
    assert!(head.contains("httponly") && head.contains("samesite=strict"), "{head}");
    format!("{}={}", auth::SESSION_COOKIE, set_cookie(&head, auth::SESSION_COOKIE).unwrap())
}

#[test]
fn a_contributor_proposes_in_the_browser_and_a_moderator_approves() {
    let s = start();
    user(&s, "bo", Role::Contributor);
    user(&s, "mo", Role::Moderator);
    // Without a session the edit page sends to the login page.
    let (status, head, _) = get(&s, "/actors/coop/edit", "");
    assert_eq!(status, 303);
    assert!(head.contains("location: /login?lang=en&next=/actors/coop/edit"), "{head}");

    let bo = log_in(&s, "bo");
    let (status, _, page) = get(&s, "/account", &format!("Cookie: {bo}\r\n"));
    assert!(status == 200 && page.contains("<strong id=\"who\">bo</strong>"), "{page}");
    let (_, _, page) = get(&s, "/actors/coop/edit", &format!("Cookie: {bo}\r\n"));
    let csrf = hidden(&page, "csrf");
    let fields = |csrf: &str| {
        vec![
            ("csrf", csrf.to_string()),
            ("name", "Coop One, edited".to_string()),
            ("description", "Worker co-op".to_string()),
            ("website", String::new()),
            ("note", "from the 2026 annual report".to_string()),
        ]
    };
    let as_refs = |v: &[(&'static str, String)]| v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    // A wrong CSRF token is refused.
    let bad = as_refs(&fields("0000"));
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(form(&s, "/actors/coop/edit", &bo, &bad).0, 403);
    let good = as_refs(&fields(&csrf));
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, head, _) = form(&s, "/actors/coop/edit", &bo, &good);
    assert_eq!(status, 303);
    assert!(head.contains("saved=proposal-"), "{head}");
    // The contributor may not open the queue.
    assert_eq!(get(&s, "/moderation", &format!("Cookie: {bo}\r\n")).0, 403);

    let mo = log_in(&s, "mo");
    let (status, _, queue) = get(&s, "/moderation", &format!("Cookie: {mo}\r\n"));
    assert_eq!(status, 200);
    assert!(queue.contains("Coop One, edited") && queue.contains("Coop &#60;b&#62;One&#60;/b&#62;"), "{queue}");
    assert!(queue.contains("from the 2026 annual report"));
    let id: String = queue.split("id=\"proposal-").nth(1).unwrap().chars().take_while(|c| c.is_ascii_digit()).collect();
    let csrf = hidden(&queue, "csrf");
    let (status, _, _) = form(&s, &format!("/moderation/{id}"), &mo, &[("csrf", &csrf), ("state", "validated")]);
    assert_eq!(status, 303);
    let (_, _, page) = get(&s, "/actors/coop?lang=fr", "");
    assert!(page.contains("Coop One, edited") && page.contains("Worker co-op"), "{page}");
    assert!(page.contains("<html lang=\"fr\">"));
    let (_, _, queue) = get(&s, "/moderation", &format!("Cookie: {mo}\r\n"));
    assert!(queue.contains("Rien n'attend") || queue.contains("Nothing is waiting"), "{queue}");

    // Logging out ends the session.
    let (_, _, page) = get(&s, "/account", &format!("Cookie: {mo}\r\n"));
    let csrf = hidden(&page, "csrf");
    assert_eq!(form(&s, "/logout", &mo, &[("csrf", &csrf)]).0, 303);
    assert_eq!(get(&s, "/moderation", &format!("Cookie: {mo}\r\n")).0, 303, "back to the login page");
}

/// The moderation queue pages like the other lists, in the browser and through the API, with
/// the count of every pending proposal.
#[test]
fn the_moderation_queue_is_paged() {
    use solidaria_store::accounts::{NewProposal, ProposalAction};
    let s = start();
    let mo_token = user(&s, "mo", Role::Moderator);
    {
        let mut store = solidaria_store::open(&s.db).unwrap();
        for i in 0..25 {
            let p = NewProposal {
                proposer: "bo".into(),
                record_type: solidaria_core::record::RecordType::Actor,
                record_key: "coop".into(),
                action: ProposalAction::Delete,
                doc: None,
                base: None,
                note: Some(format!("proposal number {i}")),
            };
            store.propose(&p).unwrap();
        }
    }
    let mo = log_in(&s, "mo");
    let (status, _, first) = get(&s, "/moderation", &format!("Cookie: {mo}\r\n"));
    assert_eq!(status, 200);
    assert_eq!(first.matches("<section class=\"proposal\"").count(), 20, "{first}");
    assert!(first.contains("1–20 of 25"), "{first}");
    assert!(first.contains("proposal number 24") && !first.contains("proposal number 4<"), "newest first");
    assert!(first.contains(r#"<a href="/moderation?lang=en&#38;offset=20" rel="next">"#), "{first}");
    let (_, _, second) = get(&s, "/moderation?offset=20&utm_source=x", &format!("Cookie: {mo}\r\n"));
    assert_eq!(second.matches("<section class=\"proposal\"").count(), 5, "{second}");
    assert!(second.contains("21–25 of 25") && second.contains("proposal number 0<"), "{second}");
    assert!(second.contains(r#"rel="prev""#) && !second.contains(r#"rel="next""#), "{second}");
    // What each asks, in words of the page's language (was "delete actor" in every language).
    assert!(first.contains("· Delete an actor <a"), "{first}");
    let (_, _, french) = get(&s, "/moderation?lang=fr", &format!("Cookie: {mo}\r\n"));
    assert!(french.contains("· Supprimer un acteur <a") && !french.contains("delete actor"), "{french}");
    // The API: a page after an offset, and the total of the whole list.
    let (status, v) = api(&s, "GET", "/api/proposals?state=pending&limit=10&offset=20", &mo_token, "");
    assert_eq!(status, 200, "{v}");
    assert_eq!((v["items"].as_array().map(Vec::len), v["total"].as_u64()), (Some(5), Some(25)), "{v}");

    // The proposer's own list on the account page is paged the same way.
    user(&s, "bo", Role::Contributor);
    let bo = log_in(&s, "bo");
    let (status, _, first) = get(&s, "/account", &format!("Cookie: {bo}\r\n"));
    assert_eq!(status, 200, "{first}");
    // The numbers of the proposals in the page's first table (the tokens' table comes after).
    let rows = |page: &str| {
        let table = page.split("</table>").next().unwrap_or("");
        (1..=25).filter(|id| table.contains(&format!("<tr><td>{id}</td>"))).collect::<Vec<_>>()
    };
    assert_eq!(rows(&first), (6..=25).collect::<Vec<_>>(), "{first}");
    assert!(first.contains("1–20 of 25") && first.contains("<td>Delete an actor coop</td>"), "{first}");
    assert!(first.contains(r#"<a href="/account?lang=en&#38;offset=20" rel="next">"#), "{first}");
    let (_, _, second) = get(&s, "/account?offset=20&lang=fr", &format!("Cookie: {bo}\r\n"));
    assert_eq!(rows(&second), vec![1, 2, 3, 4, 5], "{second}");
    assert!(second.contains("21–25 sur 25") && second.contains(r#"rel="prev""#), "{second}");
    // Where each stands, in the page's words, not as a code.
    assert!(first.contains("<td>waiting for a moderator</td>") && !first.contains("<td>pending</td>"), "{first}");
    assert!(second.contains("<td>en attente d’un modérateur</td>"), "{second}");
    assert!(!second.contains(r#"rel="next""#), "{second}");
    let (_, _, small) = get(&s, "/account?limit=10&offset=10", &format!("Cookie: {bo}\r\n"));
    assert_eq!(rows(&small), (6..=15).collect::<Vec<_>>(), "{small}");
    assert!(small.contains(r#"href="/account?lang=en&#38;limit=10&#38;offset=20" rel="next""#), "{small}");
}

#[test]
fn logins_are_rate_limited_and_failures_say_nothing_about_accounts() {
    let s = start();
    user(&s, "ana", Role::Admin);
    let attempt = |name: &str, password: &str| {
        let (_, head, _) = get(&s, "/login", "");
        let c = set_cookie(&head, auth::LOGIN_CSRF_COOKIE).unwrap();
        let cookie = format!("{}={c}", auth::LOGIN_CSRF_COOKIE);
        form(&s, "/login", &cookie, &[("user", name), ("password", password), ("csrf", &c)])
    };
    let (status, _, wrong_password) = attempt("ana", "not the password at all");
    let (status2, _, no_user) = attempt("nobody", "not the password at all");
    assert_eq!((status, status2), (401, 401));
    let msg = |p: &str| p.contains("Wrong user name or password.");
    assert!(msg(&wrong_password) && msg(&no_user), "the same answer for both");
    // Without the login CSRF cookie, nothing is tried.
    let (status, _, _) = form(&s, "/login", "", &[("user", "ana"), ("password", PASSWORD), ("csrf", "x")]);
    assert_eq!(status, 403);
    for _ in 0..8 {
        attempt("ana", "still wrong, still wrong");
    }
    let (status, _, page) = attempt("ana", PASSWORD);
    assert_eq!(status, 429, "the right password is refused once the limit is reached: {page}");
}

#[test]
fn cached_searches_never_outlive_a_write_from_the_web_or_elsewhere() {
    let s = start();
    let moderator = user(&s, "mo", Role::Moderator);
    let total = |q: &str| common::json(&get(&s, &format!("/api/actors?q={q}"), "").2)["total"].as_u64().unwrap();
    assert_eq!(total("mutual"), 0);
    assert_eq!(total("mutual"), 0, "served again (from the cache)");
    assert_eq!(api(&s, "POST", "/api/actors", &moderator, r#"{"id":"m1","name":"Mutual One"}"#).0, 201);
    assert_eq!(total("mutual"), 1, "a write through the API is seen at once");
    // A write by another program (the CLI, an import) is seen too.
    let mut store = solidaria_store::open(&s.db).unwrap();
    let rec = solidaria_core::record::parse_record(&serde_json::json!({"type":"actor","id":"m2","name":"Mutual Two"}))
        .unwrap();
    let mut tx = store.transaction().unwrap();
    tx.upsert_records("cli:test", &[rec]).unwrap();
    tx.commit().unwrap();
    assert_eq!(total("mutual"), 2);
    let (_, _, page) = get(&s, "/?q=mutual", "");
    assert!(page.contains("Mutual Two"), "{page}");
}

#[test]
fn the_import_page_shows_the_report_before_anything_is_written() {
    let s = start();
    user(&s, "bo", Role::Contributor);
    user(&s, "mo", Role::Moderator);
    let bo = log_in(&s, "bo");
    assert_eq!(get(&s, "/import", &format!("Cookie: {bo}\r\n")).0, 403, "contributors propose, they do not import");
    let mo = log_in(&s, "mo");
    let (status, _, page) = get(&s, "/import", &format!("Cookie: {mo}\r\n"));
    assert_eq!(status, 200);
    let csrf = hidden(&page, "csrf");
    let bad = "{\"type\":\"actor\",\"id\":\"n1\",\"name\":\"New One\"}\n{\"type\":\"actor\",\"id\":\"n2\"}\n";
    let fields = |action: &'static str, text: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("action", action.to_string()),
            ("name", "paste.jsonl".to_string()),
            ("records", text.to_string()),
        ]
    };
    let send = |f: Vec<(&'static str, String)>| {
        let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        form(&s, "/import", &mo, &refs)
    };
    let (status, _, report) = send(fields("check", bad));
    assert_eq!(status, 422);
    assert!(report.contains("paste.jsonl:2: name: expected"), "{report}");
    assert!(!report.contains("id=\"write\""), "no write button for a refused file");
    assert_eq!(get(&s, "/api/actors/n1", "").0, 404, "a check writes nothing");
    let good = "{\"type\":\"actor\",\"id\":\"n1\",\"name\":\"New One\"}\n{\"type\":\"actor\",\"id\":\"coop\",\"name\":\"Coop renamed by import\"}\n";
    let (status, _, report) = send(fields("check", good));
    assert_eq!(status, 200);
    assert!(report.contains("<td>actor</td><td>1</td><td>1</td><td>0</td>"), "{report}");
    assert!(report.contains("id=\"write\""));
    assert_eq!(get(&s, "/api/actors/n1", "").0, 404, "still nothing written");
    let (status, _, report) = send(fields("write", good));
    assert_eq!(status, 200);
    assert!(report.contains("Written"), "{report}");
    assert_eq!(get(&s, "/api/actors/n1", "").0, 200);
    let mut store = solidaria_store::open(&s.db).unwrap();
    let audit = store.audit(Some((solidaria_core::RecordType::Actor, "n1")), 5).unwrap();
    assert_eq!(audit[0].who, "mo (import paste.jsonl)");
    // Without the CSRF token, nothing.
    let (status, _, _) = form(&s, "/import", &mo, &[("csrf", "x"), ("action", "write"), ("records", good)]);
    assert_eq!(status, 403);
}

#[test]
fn api_writes_with_a_session_cookie_need_its_csrf_token() {
    let s = start();
    user(&s, "mo", Role::Moderator);
    let mo = log_in(&s, "mo");
    let body = br#"{"id":"x1","name":"X"}"#;
    let extra = format!("Cookie: {mo}\r\nContent-Type: application/json\r\n");
    let (status, _, _) = request(&s, "POST", "/api/actors", &extra, body);
    assert_eq!(status, 403);
    let (_, _, page) = get(&s, "/account", &format!("Cookie: {mo}\r\n"));
    let csrf = hidden(&page, "csrf");
    let (status, _, _) = request(&s, "POST", "/api/actors", &format!("{extra}X-CSRF-Token: {csrf}\r\n"), body);
    assert_eq!(status, 201);
}

#[test]
fn a_user_changes_their_password_and_every_session_ends() {
    let s = start();
    user(&s, "bo", Role::Contributor);
    let bo = log_in(&s, "bo");
    let (_, _, page) = get(&s, "/account", &format!("Cookie: {bo}\r\n"));
    // The form is in the page's body, never in its title.
    assert!(page.contains("<title>Account · Solidaria</title>"), "{page}");
    assert_eq!(page.matches("action=\"/account/password").count(), 1);
    let csrf = hidden(&page, "csrf");
    let new = "another long passphrase";
    // The current password must be right.
    let (status, _, _) =
        form(&s, "/account/password", &bo, &[("csrf", &csrf), ("current", "wrong wrong wrong"), ("new", new)]);
    assert_eq!(status, 403);
    let (status, _, _) =
        form(&s, "/account/password", &bo, &[("csrf", &csrf), ("current", PASSWORD), ("new", "short")]);
    assert_eq!(status, 400, "the new one follows the rules");
    let (status, head, _) = form(&s, "/account/password", &bo, &[("csrf", &csrf), ("current", PASSWORD), ("new", new)]);
    assert_eq!(status, 303);
    assert!(head.contains("location: /login"), "{head}");
    assert_eq!(get(&s, "/account", &format!("Cookie: {bo}\r\n")).0, 303, "the old session ended");
    let mut store = solidaria_store::open(&s.db).unwrap();
    let stored = store.user("bo").unwrap().unwrap();
    assert!(
        accounts::verify_password(new, &stored.password_hash)
            && !accounts::verify_password(PASSWORD, &stored.password_hash)
    );
}

#[test]
fn after_login_only_a_path_on_this_site_is_followed() {
    // Fails without the fix: a tab sent the browser to //evil.example, DEL gave a 500.
    let s = start();
    user(&s, "bo", Role::Contributor);
    for (next, to) in [
        ("/\t/evil.example", "/account"),
        ("/\u{7f}", "/account"),
        ("/%09/evil.example", "/account"),
        ("//evil.example", "/account"),
        ("/actors/coop", "/actors/coop"),
    ] {
        let (_, head, _) = get(&s, "/login", "");
        let login_csrf = set_cookie(&head, auth::LOGIN_CSRF_COOKIE).unwrap();
        let cookie = format!("{}={login_csrf}", auth::LOGIN_CSRF_COOKIE);
        let fields = [("user", "bo"), ("password", PASSWORD), ("csrf", login_csrf.as_str()), ("next", next)];
        let (status, head, _) = form(&s, "/login", &cookie, &fields);
        assert_eq!(status, 303, "{next:?}: {head}");
        assert!(head.lines().any(|l| l.trim_end() == format!("location: {to}")), "{next:?}: {head}");
    }
    // The login page keeps only a safe path in its form.
    let (status, _, page) = get(&s, "/login?next=/%7F", "");
    assert_eq!(status, 200);
    assert!(page.contains("value=\"/account\""), "{page}");
}
