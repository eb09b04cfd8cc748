//! Authentication: password hashing (argon2id), random secrets, token digests, the session
//! cookie and the login rate limiter. Who may do what is decided by
//! `solidaria_core::moderation::allows`; this module only says who is asking.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sha2::Digest;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "solidaria_session";
/// The cookie holding the login form's CSRF token (double-submit: no session exists yet).
pub const LOGIN_CSRF_COOKIE: &str = "solidaria_login_csrf";
/// How long a session lasts (8 hours: a working day).
pub const SESSION_SECONDS: i64 = 8 * 3600;

/// A failure of the system's random source or of the hasher.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The operating system gave no random bytes.
    #[error("no randomness from the operating system: {0}")]
    Random(String),
    /// argon2 refused its input.
    #[error("password hashing failed: {0}")]
    Hash(String),
}

/// A fresh 256-bit secret as 64 hex digits (session tokens, API tokens, CSRF tokens).
pub fn new_secret() -> Result<String, AuthError> {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).map_err(|e| AuthError::Random(e.to_string()))?;
    Ok(hex(&buf))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The digest under which a token is stored: SHA-256, hex. Tokens are 256 random bits, so a fast
/// hash suffices (no dictionary to guess from) and lookups stay one index probe.
pub fn token_digest(token: &str) -> String {
    hex(&sha2::Sha256::digest(token.as_bytes()))
}

/// Hashes a password with argon2id (the crate's defaults: 19 MiB, 2 passes, as OWASP advises)
/// and a random salt, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AuthError::Random(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| AuthError::Hash(e.to_string()))?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AuthError::Hash(e.to_string()))
}

/// Whether `password` matches a PHC string (false for a malformed one).
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| argon2::Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A PHC string that no password matches, verified against when the user does not exist, so a
/// login takes as long for a missing user as for a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("no account has this password, it only spends time").unwrap_or_default())
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

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
    fn passwords_verify_only_themselves_and_hashes_are_salted() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterz", &h));
        assert!(!verify_password("anything", "not a phc string"));
        assert_ne!(h, hash_password("correct horse battery").unwrap());
        assert!(!verify_password("", decoy_hash()));
    }

    #[test]
    fn secrets_are_random_and_digests_fixed() {
        let (a, b) = (new_secret().unwrap(), new_secret().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        // SHA-256 of "abc" (FIPS 180-2, appendix B.1).
        assert_eq!(token_digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert!(same_secret("abc", "abc") && !same_secret("abc", "abd") && !same_secret("abc", "ab"));
    }

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
