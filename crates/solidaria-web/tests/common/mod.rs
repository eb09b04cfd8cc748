//! The test harness shared by the web app's HTTP tests: a server on loopback over a fresh SQLite
//! database holding a few hostile and ordinary records, and raw HTTP/1.1 requests.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;

pub const DATA: &str = r#"{"type":"actor","id":"coop","name":"Coop <b>One</b>","category":"sse_organization","location":{"lat":46.8,"lon":-71.2},"legal_form":{"family":"cooperative"},"territory":"CA-QC","claims":["cooperative"],"facts":{"governance.voting_rule":{"value":"one_member_one_vote","source":"Statutes, art. 4","url":"https://example.org/statutes"}}}
{"type":"actor","id":"bigco","name":"<script>alert('x')</script>","category":"private_business","legal_form":{"family":"company"},"territory":"CA-ON","claims":["sse"],"facts":{"purpose.primary":"private_profit"}}
{"type":"relation","from":"coop","to":"bigco","kind":"supplies"}
{"type":"territory","id":"CA","name":"Canada"}
{"type":"case","id":"day","name":"Volunteering day","territory":"CA-ON","kind":"service","facts":{"si.permanence":"one_off"}}
"#;

pub struct Server {
    pub db: String,
    pub addr: std::net::SocketAddr,
    pub stop: Option<tokio::sync::oneshot::Sender<()>>,
    pub thread: Option<std::thread::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

pub fn start() -> Server {
    start_with(solidaria_web::Options::default())
}

/// A server with `options` (cookies are `Secure` or not by the listener's address, as `serve`
/// decides).
pub fn start_with(options: solidaria_web::Options) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db").to_str().unwrap().to_string();
    let db_path = db.clone();
    {
        let mut store = solidaria_store::open(&db).unwrap();
        let records: Vec<_> = DATA
            .lines()
            .map(|l| solidaria_core::record::parse_record(&serde_json::from_str(l).unwrap()).unwrap())
            .collect();
        let mut tx = store.transaction().unwrap();
        tx.upsert_records("test", &records).unwrap();
        tx.commit().unwrap();
    }
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            solidaria_web::serve_with(&db, listener, options, async {
                let _ = stop_rx.await;
            })
            .await
            .unwrap();
        });
    });
    let addr = addr_rx.recv().unwrap();
    Server { db: db_path, addr, stop: Some(stop_tx), thread: Some(thread), _dir: dir }
}

/// A GET over a plain TCP connection: status, headers (lower-cased) and body.
pub fn get(s: &Server, path: &str, extra: &str) -> (u16, String, String) {
    let mut c = TcpStream::connect(s.addr).unwrap();
    write!(c, "GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n{extra}\r\n").unwrap();
    let mut raw = Vec::new();
    c.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_lowercase(), body.to_string())
}

pub fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// Any request: method, path, extra header lines (each ending in CRLF) and a body.
pub fn request(s: &Server, method: &str, path: &str, extra: &str, body: &[u8]) -> (u16, String, String) {
    let mut c = TcpStream::connect(s.addr).unwrap();
    write!(
        c,
        "{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Length: {}\r\n{extra}\r\n",
        body.len()
    )
    .unwrap();
    // The server may answer (413) before reading everything; a broken pipe then is expected.
    let _ = c.write_all(body);
    let mut raw = Vec::new();
    let _ = c.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, head.to_lowercase(), body.to_string())
}

/// A JSON request with a bearer token (empty for none).
pub fn api(s: &Server, method: &str, path: &str, token: &str, body: &str) -> (u16, serde_json::Value) {
    let auth = if token.is_empty() { String::new() } else { format!("Authorization: Bearer {token}\r\n") };
    let (status, _, body) =
        request(s, method, path, &format!("{auth}Content-Type: application/json\r\n"), body.as_bytes());
    (status, if body.is_empty() { serde_json::Value::Null } else { json(&body) })
}

/// A url-encoded form POST with a cookie header value.
pub fn form(s: &Server, path: &str, cookie: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect();
    let extra = format!("Content-Type: application/x-www-form-urlencoded\r\nCookie: {cookie}\r\n");
    request(s, "POST", path, &extra, body.join("&").as_bytes())
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The value of a cookie set by a response head (lower-cased by `request`).
pub fn set_cookie(head: &str, name: &str) -> Option<String> {
    head.lines()
        .filter_map(|l| l.strip_prefix("set-cookie: "))
        .filter_map(|c| c.split(';').next()?.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The value of a hidden form field in a page.
pub fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).unwrap_or_else(|| panic!("no field {name} in {page}")) + marker.len();
    page[start..].split('"').next().unwrap().to_string()
}

/// The password of every account the tests make.
pub const PASSWORD: &str = "a passphrase long enough";

/// Adds an account (linked to `actor` when given, as `solidaria user link` does) and returns an
/// API token for it.
pub fn account(s: &Server, name: &str, role: solidaria_core::moderation::Role, actor: Option<&str>) -> String {
    use solidaria_app::accounts;
    let mut store = solidaria_store::open(&s.db).unwrap();
    store.add_user("test", name, role, &accounts::hash_password(PASSWORD).unwrap()).unwrap();
    if let Some(a) = actor {
        store.set_account_actor("test", name, Some(a)).unwrap();
    }
    let token = accounts::new_secret().unwrap();
    store.create_token("test", &accounts::token_digest(&token), name, "test", false).unwrap();
    token
}

/// Logs in through the form (with its double-submit CSRF cookie); returns the session cookie.
pub fn log_in(s: &Server, name: &str) -> String {
    use solidaria_web::auth;
    let (_, head, _) = get(s, "/login", "");
    let login_csrf = set_cookie(&head, auth::LOGIN_CSRF_COOKIE).unwrap();
    let cookie = format!("{}={login_csrf}", auth::LOGIN_CSRF_COOKIE);
    let fields = [("user", name), ("password", PASSWORD), ("csrf", login_csrf.as_str()), ("next", "/account")];
    let (status, head, _) = form(s, "/login", &cookie, &fields);
    assert_eq!(status, 303, "{head}");
    format!("{}={}", auth::SESSION_COOKIE, set_cookie(&head, auth::SESSION_COOKIE).unwrap())
}
