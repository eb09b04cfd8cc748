//! The OpenAPI document as the contract (issue #18 item 17): the errors it lists per operation and
//! per status, the maxima it states, the request schemas it gives, and the answers of the app that
//! `scripts/contract.sh` (schemathesis) found out of line with it, each checked over HTTP.

mod common;

use common::*;
use serde_json::Value;
use solidaria_core::moderation::Role;

/// The served document (with the ISO codes filled in).
fn document(s: &Server) -> Value {
    json(&get(s, "/api/openapi.json", "").2)
}

/// A server with a fund managed by the test data's co-op and a strategy of Canada.
fn start_with_fund_and_strategy() -> Server {
    let s = start();
    let mut store = solidaria_store::open(&s.db).unwrap();
    let fund = serde_json::json!({"type": "fund", "id": "coop-fund", "name": "Coop fund", "manager": "coop", "currency": "EUR"});
    solidaria_app::finance::put_fund(store.as_mut(), "t", &fund).unwrap();
    let strategy = r#"{"type":"strategy","id":"s1","territory":"CA","title":"S","from":"2026"}"#;
    let r = solidaria_core::record::parse_record(&serde_json::from_str(strategy).unwrap()).unwrap();
    let mut tx = store.transaction().unwrap();
    tx.upsert_records("t", &[r]).unwrap();
    tx.commit().unwrap();
    s
}

/// The error answered: status, `code`, `reason` and `field`.
fn error_of(answer: (u16, Value)) -> (u16, String, String, String) {
    let (status, v) = answer;
    let text = |k: &str| v["error"][k].as_str().unwrap_or("").to_string();
    (status, text("code"), text("reason"), text("field"))
}

#[test]
fn each_error_status_lists_every_reason_of_its_class() {
    let s = start();
    let doc = document(&s);
    let responses = doc["components"]["responses"].as_object().unwrap();
    // The status each response stands for, and the `reason` values its schema allows.
    let mut listed: std::collections::BTreeMap<u16, Vec<String>> = Default::default();
    for (name, r) in responses {
        let inner = &r["content"]["application/json"]["schema"]["allOf"][1]["properties"]["error"]["properties"];
        if let Some(reasons) = inner["reason"]["enum"].as_array() {
            let status = match name.as_str() {
                "BadRequest" => 400,
                "Unauthorized" => 401,
                "Forbidden" => 403,
                "NotFound" => 404,
                "Conflict" => 409,
                "TooLarge" => 413,
                "UnsupportedMediaType" => 415,
                "Unprocessable" => 422,
                "TooManyRequests" => 429,
                other => panic!("a response {other} the test does not know"),
            };
            listed.insert(status, reasons.iter().map(|r| r.as_str().unwrap().to_string()).collect());
        }
    }
    for code in solidaria_app::Code::ALL {
        let status = solidaria_web::status_of(code.class()).as_u16();
        if status == 500 {
            continue;
        }
        let reasons = listed.get(&status).unwrap_or_else(|| panic!("no error response for {status}"));
        assert!(reasons.iter().any(|r| r == code.as_str()), "{status} does not list {}", code.as_str());
    }
    for (status, reasons) in &listed {
        for r in reasons {
            let known = solidaria_app::Code::ALL.iter().any(|c| c.as_str() == r)
                || ["too_large", "bad_body"].contains(&r.as_str());
            assert!(known, "{status} lists {r}, which is no reason the app answers");
        }
    }
    let retry = &responses["TooManyRequests"]["headers"]["Retry-After"];
    assert_eq!(retry["required"], true, "429 says when to come back");
}

#[test]
fn every_operation_lists_the_errors_any_request_may_meet() {
    let s = start();
    let doc = document(&s);
    let mut checked = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let has = |status: &str| op["responses"].get(status).is_some();
            let what = format!("{method} {path}");
            // A wrong token is refused on every address.
            assert!(has("401"), "{what}: 401");
            if path.starts_with("/api/") {
                assert!(has("429"), "{what}: 429 (anonymous rate)");
            }
            if method != "get" {
                assert!(has("403") && has("409"), "{what}: 403 (read-only token) and 409 (database busy)");
            }
            if op.get("requestBody").is_some() {
                for status in ["400", "413", "415", "422"] {
                    assert!(has(status), "{what}: {status}");
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 58);
}

#[test]
fn the_served_document_lists_the_iso_codes_the_app_knows() {
    let s = start();
    let doc = document(&s);
    let codes: Vec<&str> = doc["components"]["schemas"]["IsoCode"]["enum"]
        .as_array()
        .expect("the served document lists the codes")
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(codes, solidaria_core::territory::iso_codes());
    assert!(codes.len() > 5000 && codes.contains(&"CA-QC") && codes.contains(&"FR-IDF") && !codes.contains(&"CA-QQ"));
    // The file keeps the pattern only (the list comes from the embedded table).
    let file: Value = serde_json::from_str(solidaria_web::OPENAPI).unwrap();
    assert!(file["components"]["schemas"]["IsoCode"].get("enum").is_none());
}

/// The schema a `$ref` names, or the schema itself.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => doc.pointer(r.trim_start_matches('#')).unwrap_or_else(|| panic!("no {r}")),
        None => schema,
    }
}

#[test]
fn every_request_schema_refuses_an_empty_object_and_so_does_the_app() {
    let s = start();
    let doc = document(&s);
    let mut bodies = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let Some(schema) = op.pointer("/requestBody/content/application~1json/schema") else { continue };
            let schema = resolve(&doc, schema);
            // A body given as one object or an array of them: the object's schema.
            let object = schema["oneOf"].get(0).map_or(schema, |first| resolve(&doc, first));
            let required = object["required"].as_array().map_or(0, Vec::len);
            // A territory's update may be empty: an ISO territory with nothing to add is valid.
            let may_be_empty = (method.as_str(), path.as_str()) == ("put", "/api/territories/{id}");
            assert_eq!(required == 0, may_be_empty, "{method} {path}: a schema that {{}} satisfies");
            bodies += 1;
        }
    }
    assert_eq!(bodies, 15, "request bodies in the document");
    let admin = account(&s, "ana", Role::Admin, None);
    for path in ["/api/actors", "/api/relations", "/api/cases", "/api/territories", "/api/strategies"] {
        let (status, code, _, _) = error_of(api(&s, "POST", path, &admin, "{}"));
        assert_eq!((status, code.as_str()), (422, "invalid_record"), "POST {path}");
    }
}

#[test]
fn every_documented_maximum_is_enforced_never_clamped() {
    // Fails without the fix: /api/proposals, /api/merges and /api/dedup took 1001, 1001 and
    // 10001 and answered fewer items in silence.
    let s = start();
    let admin = account(&s, "ana", Role::Admin, None);
    let doc = document(&s);
    let mut limits = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        let Some(op) = ops.get("get") else { continue };
        for p in op["parameters"].as_array().into_iter().flatten() {
            let Some(max) = p["schema"]["maximum"].as_u64().filter(|_| p["name"] == "limit") else { continue };
            assert_eq!(p["schema"]["minimum"], 1, "{path}: limit from 1");
            let at = |n: u64| api(&s, "GET", &format!("{path}?limit={n}"), &admin, "");
            assert_eq!(at(max).0, 200, "{path}?limit={max}");
            let (status, code, reason, field) = error_of(at(max + 1));
            assert_eq!(
                (status, code.as_str(), reason.as_str(), field.as_str()),
                (400, "bad_request", "query_invalid", "limit"),
                "{path}?limit={}",
                max + 1
            );
            assert_eq!(error_of(at(0)).0, 400, "{path}?limit=0");
            limits += 1;
        }
    }
    assert_eq!(limits, 5, "actors, screenings, proposals, dedup, merges");
    let (status, _, reason, field) = error_of(api(&s, "GET", "/api/proposals?state=approved", &admin, ""));
    assert_eq!((status, reason.as_str(), field.as_str()), (400, "query_invalid", "state"));
}

#[test]
fn postings_that_are_not_objects_are_refused_not_a_dropped_connection() {
    // Fails without the fix: the handler panicked and the connection closed without an answer.
    let s = start_with_fund_and_strategy();
    let token = account(&s, "bob", Role::Contributor, None);
    for body in ["[1]", r#"[{"type":"transaction"}, "x"]"#, "[null]"] {
        let (status, code, reason, _) = error_of(api(&s, "POST", "/api/funds/coop-fund/transactions", &token, body));
        assert_eq!((status, code.as_str(), reason.as_str()), (400, "bad_request", "record_address_mismatch"), "{body}");
    }
    assert_eq!(get(&s, "/healthz", "").0, 200, "the server still answers");
}

#[test]
fn territories_are_not_deleted_and_the_address_says_what_it_takes() {
    // Fails without the fix: DELETE was routed (always 400) and Allow listed it.
    let s = start();
    let admin = account(&s, "ana", Role::Admin, None);
    let (status, head, body) =
        request(&s, "DELETE", "/api/territories/CA", &format!("Authorization: Bearer {admin}\r\n"), b"");
    assert_eq!(status, 405, "{body}");
    let allow = head.lines().find_map(|l| l.strip_prefix("allow: ")).unwrap_or("").to_string();
    assert!(allow.contains("put") && allow.contains("get") && !allow.contains("delete"), "{allow}");
    assert_eq!(json(&body)["error"]["code"], "method_not_allowed");
    assert_eq!(api(&s, "GET", "/api/territories/CA", "", "").0, 200, "still there");
}

#[test]
fn unknown_repeated_or_empty_query_parameters_are_refused_in_the_api() {
    // Fails without the fix: these took any parameter, the last of repeated ones, and an empty
    // one as absent; closing_at went into the Loomio body unchecked.
    let s = start_with_fund_and_strategy();
    for path in [
        "/api/strategies?colour=red",
        "/api/strategies/s1/decidim-proposals?locales=en&locales=fr",
        "/api/strategies/s1/decidim-proposals?locales=en,%20fr",
        "/api/strategies/s1/loomio-poll?closing_at=friday",
        "/api/strategies/s1/loomio-poll?closing_at=",
        "/api/territories/CA/history?since=2020&since=2021",
        "/api/territories/CA/history?since=",
        "/api/territories/CA/diagnostic?as_of=",
        "/api/territories/CA/diagnostic?compare=CA-QC&verbose=1",
    ] {
        let (status, code, reason, _) = error_of(api(&s, "GET", path, "", ""));
        assert_eq!((status, code.as_str(), reason.as_str()), (400, "bad_request", "query_invalid"), "{path}");
    }
    let (_, v) = api(&s, "GET", "/api/strategies/s1/loomio-poll?closing_at=2026-12-20T12:00:00Z", "", "");
    assert_eq!(v["closing_at"], "2026-12-20T12:00:00Z", "{v}");
    assert_eq!(error_of(api(&s, "GET", "/api/strategies/s1/loomio-poll?closing_at=friday", "", "")).3, "closing_at");
    for path in [
        "/api/strategies?territory=",
        "/api/strategies/s1/decidim-proposals?locales=en,fr",
        "/api/territories/CA/history?since=2020",
    ] {
        assert_eq!(api(&s, "GET", path, "", "").0, 200, "{path}");
    }
    // The history page still takes an empty year as none (forms send empty fields).
    assert_eq!(get(&s, "/territories/CA/history?since=", "").0, 200);
}

#[test]
fn a_note_to_the_moderator_is_checked_like_any_input_text() {
    // Fails without the fix: a direct write took any note, a proposal kept it with its escapes.
    let s = start();
    let admin = account(&s, "ana", Role::Admin, None);
    let body = r#"{"id":"noted","name":"Noted"}"#;
    let (status, _, reason, field) = error_of(api(&s, "POST", "/api/actors?note=%1B%5B31mred", &admin, body));
    assert_eq!((status, reason.as_str(), field.as_str()), (400, "query_invalid", "note"));
    assert_eq!(api(&s, "GET", "/api/actors/noted", "", "").0, 404, "nothing written");
    let bob = account(&s, "bob", Role::Contributor, None);
    assert_eq!(api(&s, "POST", "/api/actors?note=a%00b", &bob, body).0, 400, "nor proposed");
    assert_eq!(api(&s, "POST", "/api/actors?note=Annual%20report%2C%20p.%203", &admin, body).0, 201);
}

#[test]
fn the_search_text_is_measured_in_characters_as_the_document_says() {
    let s = start();
    let doc = document(&s);
    let q =
        doc["paths"]["/api/actors"]["get"]["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "q").unwrap();
    assert_eq!(q["schema"]["maxLength"], 200);
    // 200 characters of two bytes each: 400 bytes, accepted (was refused as over 200 bytes).
    let accents = "%C3%A9".repeat(200);
    assert_eq!(get(&s, &format!("/api/actors?q={accents}"), "").0, 200);
    let (status, _, reason, field) = error_of(api(&s, "GET", &format!("/api/actors?q={}", "a".repeat(201)), "", ""));
    assert_eq!((status, reason.as_str(), field.as_str()), (400, "query_too_long", "q"));
}

#[test]
fn every_list_that_states_a_search_limit_keeps_it() {
    // Fails without the fix: /api/cases took 232 characters (schemathesis found it in CI).
    let s = start();
    let doc = document(&s);
    let mut limited = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        let Some(params) = ops["get"]["parameters"].as_array() else { continue };
        if let Some(q) = params.iter().find(|p| p["name"] == "q") {
            assert_eq!(q["schema"]["maxLength"], 200, "{path}");
            limited.push(path.clone());
        }
    }
    assert!(limited.len() >= 5, "{limited:?}");
    // 201 characters outside the basic plane: 804 bytes of UTF-8.
    let (long, ok) = ("%F0%9F%8C%BB".repeat(201), "%F0%9F%8C%BB".repeat(200));
    for path in &limited {
        let (status, _, reason, field) = error_of(api(&s, "GET", &format!("{path}?q={long}"), "", ""));
        assert_eq!((status, reason.as_str(), field.as_str()), (400, "query_too_long", "q"), "{path}");
        assert_eq!(get(&s, &format!("{path}?q={ok}"), "").0, 200, "{path}");
    }
}

/// Whether a parameter's schema lets an empty value through: a `const ""` (alone or among
/// `anyOf`), an `enum` holding it, or a plain string; not a number, a boolean, a pattern (the
/// document's patterns all ask for something), a format (a date) or a minimum length.
fn allows_empty(doc: &Value, schema: &Value) -> bool {
    let schema = resolve(doc, schema);
    if let Some(any) = schema["anyOf"].as_array() {
        return any.iter().any(|s| allows_empty(doc, s));
    }
    if schema.get("const").is_some() {
        return schema["const"] == "";
    }
    if let Some(values) = schema["enum"].as_array() {
        return values.iter().any(|v| v == "");
    }
    let typed = matches!(schema["type"].as_str(), Some("integer" | "number" | "boolean"));
    !typed
        && schema.get("pattern").is_none()
        && schema.get("format").is_none()
        && schema["minLength"].as_u64().unwrap_or(0) == 0
}

#[test]
fn an_empty_query_parameter_is_refused_exactly_where_the_document_says() {
    // Fails without the fix: GET /api/actors?near= (and bbox, verdict, radius_km) answered 200
    // where the document's pattern or enum asked for a value (schemathesis found near=).
    let s = start_with_fund_and_strategy();
    let admin = account(&s, "ana", Role::Admin, None);
    let doc = document(&s);
    let auth = format!("Authorization: Bearer {admin}\r\n");
    let status_of = |path: &str| request(&s, "GET", path, &auth, b"").0;
    let ids =
        [("/api/funds/", "coop-fund"), ("/api/strategies/", "s1"), ("/api/territories/", "CA"), ("/api/cases/", "day")];
    let mut checked = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        let Some(op) = ops.get("get") else { continue };
        let id = ids.iter().find(|(prefix, _)| path.starts_with(prefix)).map_or("coop", |(_, id)| id);
        let path = path.replace("{id}", id);
        // Only operations this server answers as they are (others need ids or parameters).
        if status_of(&path) != 200 {
            continue;
        }
        for p in op["parameters"].as_array().into_iter().flatten() {
            let p = resolve(&doc, p);
            if p["in"] != "query" {
                continue;
            }
            let name = p["name"].as_str().unwrap();
            let status = status_of(&format!("{path}?{name}="));
            let expected = if allows_empty(&doc, &p["schema"]) { 200 } else { 400 };
            assert_eq!(status, expected, "GET {path}?{name}= (the document says {})", p["schema"]);
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} parameters checked");
}

#[test]
fn a_record_s_type_or_id_of_another_kind_is_refused_not_replaced() {
    // Fails without the fix: `"type": {}` or `"id": 5` was replaced by the address's type and id
    // and the record written (schemathesis found POST /api/strategies with "type": {}).
    let s = start_with_fund_and_strategy();
    let admin = account(&s, "ana", Role::Admin, None);
    for (method, path, body) in [
        ("POST", "/api/strategies", r#"{"type":{},"id":"s2","territory":"CA","title":"S","from":"2026"}"#),
        ("POST", "/api/actors", r#"{"type":5,"id":"x1","name":"X"}"#),
        ("PUT", "/api/actors/coop", r#"{"type":"actor","id":5,"name":"X"}"#),
        ("PUT", "/api/cases/day", r#"{"type":["case"],"name":"X"}"#),
    ] {
        let (status, code, reason, field) = error_of(api(&s, method, path, &admin, body));
        assert_eq!(
            (status, code.as_str(), reason.as_str()),
            (400, "bad_request", "record_address_mismatch"),
            "{path} {body}"
        );
        assert!(["type", "id"].contains(&field.as_str()), "{path}: {field}");
    }
    // Left out or null, they are the address's; and null optional fields are left out.
    let body = r#"{"type":null,"name":"Coop One","alternate_ids":null,"facts":null}"#;
    assert_eq!(api(&s, "PUT", "/api/actors/coop", &admin, body).0, 200, "{body}");
    assert_eq!(api(&s, "GET", "/api/actors/coop", "", "").1["actor"]["name"], "Coop One");
}
