//! The rate of anonymous API requests: each client (its address, as [`auth::client_ip`] reads
//! it, so behind a trusted reverse proxy the address it forwards) may send a burst of
//! `per_minute` requests to `/api/…` without credentials, then one every `60 / per_minute`
//! seconds; more are answered 429 `too_many_requests` with `Retry-After`. Callers with an API
//! token or a session are accountable and not counted (their token or account can be revoked or
//! disabled). The limiter is governor's GCRA, keyed by client address; keys are forgotten once
//! their bucket is full again.

use crate::WebError;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::HashMapStateStore;
use governor::{Quota, RateLimiter};
use solidaria_app::Code;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Requests checked between two sweeps of the keys whose bucket is full again.
const SWEEP_EVERY: u64 = 10_000;

/// The anonymous API's limiter.
pub(crate) struct Throttle<C: Clock = DefaultClock> {
    limiter: RateLimiter<String, HashMapStateStore<String>, C, NoOpMiddleware<C::Instant>>,
    checked: AtomicU64,
}

impl Throttle {
    /// A limiter letting each client `per_minute` requests a minute (in a burst at most as large).
    pub(crate) fn new(per_minute: NonZeroU32) -> Self {
        Throttle::with_clock(per_minute, DefaultClock::default())
    }
}

impl<C: Clock> Throttle<C> {
    fn with_clock(per_minute: NonZeroU32, clock: C) -> Self {
        Throttle { limiter: RateLimiter::hashmap_with_clock(Quota::per_minute(per_minute), clock), checked: 0.into() }
    }

    /// Counts one request of `client`: refused with `too_many_requests` (and how long to wait)
    /// when its bucket is empty.
    pub(crate) fn check(&self, client: &str) -> Result<(), Refused> {
        if self.checked.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        self.limiter
            .check_key(&client.to_string())
            .map_err(|not_until| Refused { wait: not_until.wait_time_from(self.limiter.clock().now()) })
    }

    #[cfg(test)]
    fn keys(&self) -> usize {
        self.limiter.len()
    }

    #[cfg(test)]
    fn sweep(&self) {
        self.limiter.retain_recent();
    }
}

/// A request refused by the limiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Refused {
    /// How long until the client may send the next request.
    pub wait: Duration,
}

impl Refused {
    /// The `Retry-After` value: whole seconds, rounded up, at least 1.
    pub(crate) fn retry_after(&self) -> u64 {
        let whole = self.wait.as_secs() + u64::from(self.wait.subsec_nanos() > 0);
        whole.max(1)
    }

    /// The error answered (429), saying when to come back.
    pub(crate) fn error(&self) -> WebError {
        WebError::new(
            Code::TooManyRequests,
            format!(
                "too many requests without credentials from this address: try again in {} s, or send an API token \
                 (Authorization: Bearer …)",
                self.retry_after()
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;

    fn throttle(per_minute: u32) -> (Throttle<FakeRelativeClock>, FakeRelativeClock) {
        let clock = FakeRelativeClock::default();
        (Throttle::with_clock(NonZeroU32::new(per_minute).unwrap(), clock.clone()), clock)
    }

    #[test]
    fn a_burst_then_one_request_per_interval_for_each_client() {
        let (t, clock) = throttle(6);
        for i in 0..6 {
            assert_eq!(t.check("192.0.2.1"), Ok(()), "request {i} of the burst");
        }
        let refused = t.check("192.0.2.1").unwrap_err();
        assert_eq!(refused.wait, Duration::from_secs(10), "one request every 60/6 s");
        assert_eq!(refused.retry_after(), 10);
        assert_eq!(t.check("192.0.2.2"), Ok(()), "another client has its own bucket");
        clock.advance(Duration::from_secs(9));
        assert_eq!(t.check("192.0.2.1").unwrap_err().retry_after(), 1);
        clock.advance(Duration::from_secs(1));
        assert_eq!(t.check("192.0.2.1"), Ok(()));
        assert!(t.check("192.0.2.1").is_err(), "one request, not a new burst");
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        let r = |ms| Refused { wait: Duration::from_millis(ms) }.retry_after();
        assert_eq!((r(0), r(1), r(999), r(1000), r(1001)), (1, 1, 1, 1, 2));
        let e = Refused { wait: Duration::from_millis(2500) }.error();
        assert_eq!(e.status(), axum::http::StatusCode::TOO_MANY_REQUESTS);
        assert!(e.to_string().contains("try again in 3 s"), "{e}");
    }

    #[test]
    fn clients_whose_bucket_is_full_again_are_forgotten() {
        let (t, clock) = throttle(60);
        for i in 0..100 {
            t.check(&format!("198.51.100.{i}")).unwrap();
        }
        assert_eq!(t.keys(), 100);
        clock.advance(Duration::from_secs(2));
        t.sweep();
        assert_eq!(t.keys(), 0);
    }
}
