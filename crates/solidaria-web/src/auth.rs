//! Authentication over HTTP: the session cookie and the login rate limiter. Passwords, secrets
//! and token digests are `solidaria_app::accounts`'s; who may do what is decided by
//! `solidaria_core::moderation::allows`; this module only says who is asking.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "solidaria_session";
/// The cookie holding the login form's CSRF token (double-submit: no session exists yet).
pub const LOGIN_CSRF_COOKIE: &str = "solidaria_login_csrf";
/// How long a session lasts (8 hours: a working day).
pub const SESSION_SECONDS: i64 = 8 * 3600;

/// The value of one cookie in a `Cookie` header.
pub fn cookie<'h>(header: &'h str, name: &str) -> Option<&'h str> {
    header.split(';').filter_map(|kv| kv.trim().split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, path `/`, and `Secure` unless the app is
/// served on loopback over plain HTTP (the local demo).
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Failed logins allowed per key (client address, user name) in one window.
pub const LOGIN_ATTEMPTS: u32 = 10;
/// The window of the login limiter.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Counts failed logins per key in fixed windows; a key over the limit is refused until its
/// window ends. In memory: a restart forgets, which only ever helps a legitimate user.
#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    /// Whether `key` may try now.
    pub fn allowed(&self, key: &str, now: Instant) -> bool {
        let map = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        map.get(key).is_none_or(|(start, n)| now.duration_since(*start) >= LOGIN_WINDOW || *n < LOGIN_ATTEMPTS)
    }

    /// Counts a failure of `key`.
    pub fn failed(&self, key: &str, now: Instant) {
        let mut map = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (start, _)| now.duration_since(*start) < LOGIN_WINDOW);
        }
        let e = map.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(e.0) >= LOGIN_WINDOW {
            *e = (now, 0);
        }
        e.1 += 1;
    }

    /// Forgets `key` after a successful login.
    pub fn succeeded(&self, key: &str) {
        self.windows.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_by_exact_name() {
        let h = "a=1; solidaria_session=xyz; solidaria_sessionx=no";
        assert_eq!(cookie(h, SESSION_COOKIE), Some("xyz"));
        assert_eq!(cookie(h, "b"), None);
        let c = set_cookie(SESSION_COOKIE, "v", 60, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.ends_with("; Secure"));
        assert!(!set_cookie(SESSION_COOKIE, "v", 60, false).contains("Secure"));
    }

    #[test]
    fn the_limiter_refuses_after_the_limit_until_the_window_ends() {
        let l = RateLimiter::default();
        let t0 = Instant::now();
        for _ in 0..LOGIN_ATTEMPTS {
            assert!(l.allowed("ip:1", t0));
            l.failed("ip:1", t0);
        }
        assert!(!l.allowed("ip:1", t0));
        assert!(l.allowed("ip:2", t0), "keys are independent");
        assert!(l.allowed("ip:1", t0 + LOGIN_WINDOW));
        l.succeeded("ip:1");
        assert!(l.allowed("ip:1", t0));
    }
}
