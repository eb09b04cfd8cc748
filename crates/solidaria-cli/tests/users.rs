//! `solidaria user` end to end: accounts disabled and enabled, read-only tokens, and the
//! `serve --trusted-proxy` setting (issue #18 item 15).

use std::process::{Command, Output};

fn solidaria(db: &str, args: &[&str], stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_solidaria"))
        .args(args)
        .env("SOLIDARIA_DB", db)
        .env("SOLIDARIA_USER", "tester")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A command that refuses its arguments exits before reading: a broken pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(stdin.unwrap_or_default());
    child.wait_with_output().unwrap()
}

fn ok(out: Output) -> (String, String) {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn an_admin_disables_and_enables_accounts_and_issues_read_only_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("u.db").to_str().unwrap().to_string();
    ok(solidaria(&db, &["user", "add", "ana", "--role", "admin"], Some(b"a long enough passphrase\n")));
    ok(solidaria(&db, &["user", "add", "bob"], Some(b"a long enough passphrase\n")));

    let (token, said) = ok(solidaria(&db, &["user", "token", "bob", "--label", "dashboard", "--read-only"], None));
    assert!(said.starts_with("read-only token 1 for bob"), "{said}");
    assert_eq!(token.trim().len(), 64);
    ok(solidaria(&db, &["user", "token", "bob", "--label", "sync"], None));
    let (tokens, _) = ok(solidaria(&db, &["user", "tokens", "bob"], None));
    let states: Vec<&str> = tokens.lines().map(|l| l.rsplit('\t').next().unwrap()).collect();
    assert_eq!(states, ["active, read-only", "active"], "{tokens}");

    let (said, _) = ok(solidaria(&db, &["user", "disable", "bob"], None));
    assert_eq!(said.trim(), "bob is disabled; its sessions are ended and its API tokens refused");
    let (list, _) = ok(solidaria(&db, &["user", "list"], None));
    let bob = list.lines().find(|l| l.starts_with("bob\t")).unwrap();
    assert!(bob.contains("\tdisabled 20"), "{list}");
    assert!(!list.lines().find(|l| l.starts_with("ana\t")).unwrap().contains("disabled"));
    // A disabled account's tokens stop authenticating.
    let mut store = solidaria_store::open(&db).unwrap();
    let digest = solidaria_app::accounts::token_digest(token.trim());
    assert!(store.token_user(&digest).unwrap().is_none());

    // Nor does it act from the command line (--as).
    let out = solidaria(&db, &["strategy", "open", "any-strategy", "--as", "bob"], None);
    assert_eq!(out.status.code(), Some(77), "not allowed");
    assert!(String::from_utf8_lossy(&out.stderr).contains("the account bob is disabled"));

    let out = solidaria(&db, &["user", "disable", "ghost"], None);
    assert_eq!(out.status.code(), Some(66), "not found");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no user \"ghost\" (see `solidaria user list`)"));

    let (said, _) = ok(solidaria(&db, &["user", "enable", "bob"], None));
    assert_eq!(said.trim(), "bob is enabled");
    assert!(store.token_user(&digest).unwrap().unwrap().read_only, "back, and still read-only");
    let (events, _) = ok(solidaria(&db, &["user", "events"], None));
    let actions: Vec<(&str, &str)> =
        events.lines().map(|l| l.split('\t').collect::<Vec<_>>()).map(|f| (f[2], f[3])).collect();
    assert!(actions.contains(&("cli:tester", "user_disable")) && actions.contains(&("cli:tester", "user_enable")));
}

#[test]
fn serve_refuses_a_trusted_proxy_that_is_not_an_address() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db").to_str().unwrap().to_string();
    let out = solidaria(&db, &["serve", "--trusted-proxy", "10.0.0.1,proxy.example"], None);
    assert_eq!(out.status.code(), Some(2), "a misused command line");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("expected an IP address or a block such as 10.0.0.0/8, found \"proxy.example\""), "{said}");
    let out = solidaria(&db, &["serve", "--help"], None);
    assert!(String::from_utf8_lossy(&out.stdout).contains("--trusted-proxy <ADDR[,ADDR…]>"));
}
