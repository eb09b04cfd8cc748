//! Authentication over HTTP: the session cookie, the login rate limiter and the client address it
//! counts (behind trusted reverse proxies, the forwarded one). Passwords, secrets
//! and token digests are `solidaria_app::accounts`'s; who may do what is decided by
//! `solidaria_core::moderation::allows`; this module only says who is asking.

use axum::http::HeaderMap;
use std::collections::HashMap;
use std::net::IpAddr;
use std::str::FromStr;
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

/// One trusted reverse proxy: an address, or a block of addresses (`10.0.0.0/8`, `fd00::/8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrustedProxy {
    addr: IpAddr,
    prefix: u8,
}

/// Why a `--trusted-proxy` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("trusted proxy: expected an IP address or a block such as 10.0.0.0/8, found {0:?}")]
pub struct ProxyParseError(String);

impl FromStr for TrustedProxy {
    type Err = ProxyParseError;

    fn from_str(s: &str) -> Result<Self, ProxyParseError> {
        let bad = || ProxyParseError(s.chars().take(100).collect());
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s.trim(), None),
        };
        let written: IpAddr = addr.parse().map_err(|_| bad())?;
        let max = if written.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(bad)?,
            None => max,
        };
        // An IPv4 address written mapped into IPv6 is kept as IPv4, its block likewise.
        let addr = canonical(written);
        let prefix = if addr.is_ipv4() && written.is_ipv6() { prefix.saturating_sub(96) } else { prefix };
        Ok(TrustedProxy { addr, prefix })
    }
}

impl TrustedProxy {
    /// Whether `ip` is this proxy (or in this block). An IPv4 address mapped into IPv6
    /// (`::ffff:10.0.0.1`, as a dual-stack listener reports it) is compared as IPv4.
    pub fn contains(&self, ip: IpAddr) -> bool {
        // Equal in the first `prefix` bits of `width`.
        let same = |a: u128, b: u128, width: u32| {
            let shift = width - u32::from(self.prefix);
            a.checked_shr(shift).unwrap_or(0) == b.checked_shr(shift).unwrap_or(0)
        };
        match (canonical(ip), self.addr) {
            (IpAddr::V4(a), IpAddr::V4(b)) => same(u32::from(a).into(), u32::from(b).into(), 32),
            (IpAddr::V6(a), IpAddr::V6(b)) => same(a.into(), b.into(), 128),
            _ => false,
        }
    }
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v) => v.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The address a request comes from, as the login limiter counts it. The TCP peer, unless it is
/// one of the `trusted` proxies: then the address that proxy was given, read from
/// `X-Forwarded-For` (else `Forwarded`'s `for=`), right to left, skipping the trusted proxies in
/// the chain: the right-most address not itself trusted (left of it, anyone may have written
/// anything). Without a trusted proxy the headers are ignored, so a client cannot choose its
/// own key; an entry that is not an address stops the walk at the last proxy that is known.
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[TrustedProxy]) -> String {
    let Some(peer) = peer.map(canonical) else {
        return "unknown".into();
    };
    let is_trusted = |ip: IpAddr| trusted.iter().any(|t| t.contains(ip));
    if !is_trusted(peer) {
        return peer.to_string();
    }
    let chain = forwarded_chain(headers);
    let mut nearest = peer;
    for hop in chain.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            return nearest.to_string();
        };
        if !is_trusted(ip) {
            return ip.to_string();
        }
        nearest = ip;
    }
    nearest.to_string()
}

/// The addresses of `X-Forwarded-For` (every such header, in order), or else of `Forwarded`'s
/// `for=` parameters, left to right.
fn forwarded_chain(headers: &HeaderMap) -> Vec<String> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .flat_map(|v| v.split(',').map(|s| s.trim().to_string()).collect::<Vec<_>>())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let xff = values("x-forwarded-for");
    if !xff.is_empty() {
        return xff;
    }
    values("forwarded")
        .iter()
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (k, v) = pair.trim().split_once('=')?;
                k.trim().eq_ignore_ascii_case("for").then(|| v.trim().trim_matches('"').to_string())
            })
        })
        .collect()
}

/// An address of a forwarding header: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1` or
/// `[2001:db8::1]:4711`; none for `unknown`, an obfuscated `_name` or anything else.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split_once(']').and_then(|(ip, _)| ip.parse::<IpAddr>().ok()).map(canonical);
    }
    let (ip, port) = hop.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    ip.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn proxies_parse_as_addresses_or_blocks() {
        let p: TrustedProxy = "10.0.0.0/8".parse().unwrap();
        assert!(p.contains("10.1.2.3".parse().unwrap()) && !p.contains("11.0.0.1".parse().unwrap()));
        let one: TrustedProxy = "192.0.2.7".parse().unwrap();
        assert!(one.contains("192.0.2.7".parse().unwrap()) && !one.contains("192.0.2.8".parse().unwrap()));
        assert!(one.contains("::ffff:192.0.2.7".parse().unwrap()), "IPv4 mapped into IPv6");
        let v6: TrustedProxy = "fd00::/8".parse().unwrap();
        assert!(v6.contains("fd12::1".parse().unwrap()) && !v6.contains("fe80::1".parse().unwrap()));
        assert!(!v6.contains("10.0.0.1".parse().unwrap()));
        let all: TrustedProxy = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains("203.0.113.9".parse().unwrap()));
        for bad in ["", "proxy.example", "10.0.0.0/33", "::1/129", "10.0.0.1/x"] {
            assert!(bad.parse::<TrustedProxy>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_forwarded_address_counts_only_from_a_trusted_proxy() {
        let proxy: Vec<TrustedProxy> = vec!["10.0.0.2".parse().unwrap()];
        let spoofed = headers(&[("x-forwarded-for", "198.51.100.1")]);
        // From an untrusted peer (or with no proxy trusted), the header changes nothing.
        assert_eq!(client_ip(ip("203.0.113.5"), &spoofed, &proxy), "203.0.113.5");
        assert_eq!(client_ip(ip("10.0.0.2"), &spoofed, &[]), "10.0.0.2");
        // From the trusted proxy: the right-most address not itself trusted.
        assert_eq!(client_ip(ip("10.0.0.2"), &spoofed, &proxy), "198.51.100.1");
        let chain = headers(&[("x-forwarded-for", "1.1.1.1, 198.51.100.1"), ("x-forwarded-for", "10.0.0.2")]);
        assert_eq!(client_ip(ip("10.0.0.2"), &chain, &proxy), "198.51.100.1", "what the client wrote is skipped");
        // Forwarded (RFC 7239), with ports, IPv6 and quotes.
        let fwd = headers(&[("forwarded", "for=1.1.1.1;proto=https, for=\"[2001:db8::7]:4711\";by=10.0.0.2")]);
        assert_eq!(client_ip(ip("10.0.0.2"), &fwd, &proxy), "2001:db8::7");
        let fwd = headers(&[("forwarded", "For=192.0.2.60:8080")]);
        assert_eq!(client_ip(ip("10.0.0.2"), &fwd, &proxy), "192.0.2.60");
        // No header, garbage or only trusted hops: the nearest known address.
        assert_eq!(client_ip(ip("10.0.0.2"), &HeaderMap::new(), &proxy), "10.0.0.2");
        let junk = headers(&[("x-forwarded-for", "not-an-address")]);
        assert_eq!(client_ip(ip("10.0.0.2"), &junk, &proxy), "10.0.0.2");
        let junk = headers(&[("forwarded", "for=unknown")]);
        assert_eq!(client_ip(ip("10.0.0.2"), &junk, &proxy), "10.0.0.2");
        let two: Vec<TrustedProxy> = vec!["10.0.0.0/24".parse().unwrap()];
        let inner = headers(&[("x-forwarded-for", "198.51.100.9, 10.0.0.3")]);
        assert_eq!(client_ip(ip("10.0.0.2"), &inner, &two), "198.51.100.9", "proxies chained");
        assert_eq!(client_ip(None, &spoofed, &proxy), "unknown");
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
