//! Who is calling (behind a trusted TLS proxy or not) and how often they may try: attempt limits
//! per client address and per account, and failed-login lockouts per (account, address), so that
//! nobody can lock someone else out from their own address and one busy proxy does not spend
//! everyone's budget.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::HttpRequest;
use actix_web::http::header;
use chrono::{DateTime, Duration, Utc};
use governor::{DefaultKeyedRateLimiter, Quota};
use ipnet::IpNet;

use crate::error::AppError;

/// Failed logins from one address to one account before that pair waits.
pub const FAILURES_BEFORE_LOCK: u32 = 5;
/// The first wait; each further lock of the same pair doubles it, up to [`MAX_LOCK_MINUTES`].
pub const FIRST_LOCK_MINUTES: i64 = 15;
pub const MAX_LOCK_MINUTES: i64 = 24 * 60;
/// Memory is swept of stale entries every this many checks.
const SWEEP_EVERY: u64 = 4_096;

/// The proxies whose `X-Forwarded-For` / `Forwarded` headers are believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses addresses or networks (`10.0.0.0/8`, `::1`); an error names the bad entry.
    pub fn parse(entries: &[String]) -> Result<Self, String> {
        entries
            .iter()
            .map(|e| {
                let e = e.trim();
                e.parse::<IpNet>()
                    .or_else(|_| e.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("not an IP address or network: {e}"))
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address: the peer, unless the peer is a trusted proxy, in which case the
    /// nearest address in the forwarding chain that is not itself a trusted proxy. Entries a
    /// client wrote itself (further left) are never reached past an untrusted hop.
    pub fn client_address(&self, peer: IpAddr, forwarded: &[IpAddr]) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        forwarded
            .iter()
            .rev()
            .copied()
            .find(|ip| !self.trusts(*ip))
            .or_else(|| forwarded.first().copied())
            .unwrap_or(peer)
    }
}

/// The addresses of `X-Forwarded-For` (or, without it, the `for=` of `Forwarded`), leftmost first.
fn forwarded_chain(req: &HttpRequest) -> Vec<IpAddr> {
    let parse = |s: &str| {
        let s = s.trim().trim_matches('"');
        s.parse::<IpAddr>().ok().or_else(|| {
            // `[2001:db8::1]:4711`, `192.0.2.1:4711`
            let host = s
                .strip_prefix('[')
                .and_then(|r| r.split(']').next())
                .unwrap_or_else(|| s.rsplit_once(':').map_or(s, |(h, _)| h));
            host.parse().ok()
        })
    };
    let headers = req.headers();
    let xff: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(parse)
        .collect();
    if !xff.is_empty() {
        return xff;
    }
    headers
        .get_all(header::FORWARDED)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .flat_map(|element| element.split(';'))
        .filter_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            key.trim()
                .eq_ignore_ascii_case("for")
                .then(|| parse(value))?
        })
        .collect()
}

/// The calling client's address, as [`TrustedProxies::client_address`] decides.
pub fn client_ip(req: &HttpRequest) -> IpAddr {
    let peer = req
        .peer_addr()
        .map(|a| a.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    match req.app_data::<actix_web::web::Data<crate::AppState>>() {
        Some(state) => state
            .throttles
            .proxies
            .client_address(peer, &forwarded_chain(req)),
        None => peer,
    }
}

/// One person on IPv6 usually holds a whole /64: limits count the network, not the address.
pub fn address_group(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Lockout {
    failures: u32,
    /// How many times this pair has been locked: the next lock lasts twice as long.
    locks: u32,
    until: Option<DateTime<Utc>>,
    last_failure: Option<DateTime<Utc>>,
}

/// The wait after the `locks`-th lock of a pair (first = 1).
pub fn lock_minutes(locks: u32) -> i64 {
    let doubled = FIRST_LOCK_MINUTES.saturating_mul(1_i64 << locks.saturating_sub(1).min(16));
    doubled.min(MAX_LOCK_MINUTES)
}

/// Every limit on attempts, held in memory and swept as it goes.
pub struct Throttles {
    pub proxies: TrustedProxies,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    per_account: DefaultKeyedRateLimiter<String>,
    resets_per_account: DefaultKeyedRateLimiter<String>,
    identity_lookups: DefaultKeyedRateLimiter<i32>,
    lockouts: Mutex<HashMap<(String, IpAddr), Lockout>>,
    checks: AtomicU64,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

impl Throttles {
    pub fn new(proxies: TrustedProxies) -> Self {
        Self {
            proxies,
            per_address: DefaultKeyedRateLimiter::keyed(per_minute(20)),
            per_account: DefaultKeyedRateLimiter::keyed(per_minute(30)),
            // Three reset mails in a quarter of an hour, then one every five minutes.
            resets_per_account: DefaultKeyedRateLimiter::keyed(
                Quota::with_period(std::time::Duration::from_secs(300))
                    .unwrap_or_else(|| per_minute(1))
                    .allow_burst(NonZeroU32::new(3).unwrap_or(NonZeroU32::MIN)),
            ),
            // Look-ups by identity number reveal names: a manager gets 30 a minute.
            identity_lookups: DefaultKeyedRateLimiter::keyed(per_minute(30)),
            lockouts: Mutex::new(HashMap::new()),
            checks: AtomicU64::new(0),
        }
    }

    fn sweep_now_and_then(&self) {
        if self
            .checks
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(SWEEP_EVERY)
        {
            self.sweep(Utc::now());
        }
    }

    /// Forgets what no longer limits anyone.
    pub fn sweep(&self, now: DateTime<Utc>) {
        for limiter in [&self.per_account, &self.resets_per_account] {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        self.per_address.retain_recent();
        self.per_address.shrink_to_fit();
        self.identity_lookups.retain_recent();
        self.identity_lookups.shrink_to_fit();
        if let Ok(mut lockouts) = self.lockouts.lock() {
            lockouts.retain(|_, l| {
                l.until.is_some_and(|u| u > now)
                    || l.last_failure
                        .is_some_and(|f| now - f < Duration::minutes(MAX_LOCK_MINUTES))
            });
            lockouts.shrink_to_fit();
        }
    }

    /// Entries held, for tests and metrics.
    pub fn tracked(&self) -> usize {
        self.per_address.len()
            + self.per_account.len()
            + self.resets_per_account.len()
            + self.identity_lookups.len()
            + self.lockouts.lock().map(|l| l.len()).unwrap_or(0)
    }

    fn limited() -> AppError {
        AppError::RateLimited {
            retry_after_secs: 60,
        }
    }

    /// An attempt to log in as `login` from `ip`, before any password is checked.
    pub fn login_attempt(&self, login: &str, ip: IpAddr) -> Result<(), AppError> {
        self.sweep_now_and_then();
        self.per_address
            .check_key(&address_group(ip))
            .map_err(|_| Self::limited())?;
        self.per_account
            .check_key(&login_key(login))
            .map_err(|_| Self::limited())
    }

    /// A password-reset request for `login` from `ip`.
    pub fn reset_attempt(&self, login: &str, ip: IpAddr) -> Result<(), AppError> {
        self.sweep_now_and_then();
        self.per_address
            .check_key(&address_group(ip))
            .map_err(|_| Self::limited())?;
        self.resets_per_account
            .check_key(&login_key(login))
            .map_err(|_| Self::limited())
    }

    /// A look-up of a person by identity number by the account `looker`.
    pub fn identity_lookup(&self, looker: i32) -> Result<(), AppError> {
        self.sweep_now_and_then();
        self.identity_lookups
            .check_key(&looker)
            .map_err(|_| Self::limited())
    }

    /// The end of the current lock of (`login`, `ip`), if it is locked.
    pub fn locked_until(
        &self,
        login: &str,
        ip: IpAddr,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let lockouts = self.lockouts.lock().ok()?;
        lockouts
            .get(&(login_key(login), address_group(ip)))
            .and_then(|l| l.until)
            .filter(|until| *until > now)
    }

    /// Counts a failed login; returns the lock's end when this failure starts one.
    pub fn failed_login(
        &self,
        login: &str,
        ip: IpAddr,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let mut lockouts = self.lockouts.lock().ok()?;
        let entry = lockouts
            .entry((login_key(login), address_group(ip)))
            .or_default();
        entry.failures += 1;
        entry.last_failure = Some(now);
        if entry.failures < FAILURES_BEFORE_LOCK {
            return None;
        }
        entry.failures = 0;
        entry.locks += 1;
        let until = now + Duration::minutes(lock_minutes(entry.locks));
        entry.until = Some(until);
        Some(until)
    }

    /// A successful login clears the pair's failures (not other addresses').
    pub fn succeeded(&self, login: &str, ip: IpAddr) {
        if let Ok(mut lockouts) = self.lockouts.lock() {
            lockouts.remove(&(login_key(login), address_group(ip)));
        }
    }
}

/// Logins are compared case-insensitively, so `Lin` and `lin` share their limits.
fn login_key(login: &str) -> String {
    login.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn only_a_trusted_peer_is_believed() {
        let proxies = TrustedProxies::parse(&["10.0.0.0/8".into(), "::1".into()]).unwrap();
        let chain = [ip("203.0.113.7"), ip("10.1.2.3")];
        assert_eq!(
            proxies.client_address(ip("10.0.0.1"), &chain),
            ip("203.0.113.7")
        );
        assert_eq!(proxies.client_address(ip("::1"), &chain), ip("203.0.113.7"));
        // An untrusted peer's header is the client's own writing.
        assert_eq!(
            proxies.client_address(ip("198.51.100.1"), &chain),
            ip("198.51.100.1")
        );
        // A client cannot hide behind an address it wrote further left.
        let spoofed = [ip("1.1.1.1"), ip("203.0.113.7")];
        assert_eq!(
            proxies.client_address(ip("10.0.0.1"), &spoofed),
            ip("203.0.113.7")
        );
        assert!(TrustedProxies::parse(&["nonsense".into()]).is_err());
    }

    #[test]
    fn ipv6_addresses_are_grouped_by_their_64_bit_network() {
        assert_eq!(
            address_group(ip("2001:db8:1:2:aaaa::1")),
            address_group(ip("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(
            address_group(ip("2001:db8:1:2::1")),
            address_group(ip("2001:db8:1:3::1"))
        );
        assert_eq!(address_group(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
    }

    #[test]
    fn a_lock_holds_one_address_only_and_grows() {
        let t = Throttles::new(TrustedProxies::default());
        let now = Utc::now();
        for _ in 1..FAILURES_BEFORE_LOCK {
            assert_eq!(t.failed_login("Lin", ip("192.0.2.1"), now), None);
        }
        let until = t.failed_login("lin", ip("192.0.2.1"), now).unwrap();
        assert_eq!(until - now, Duration::minutes(FIRST_LOCK_MINUTES));
        assert!(t.locked_until("LIN", ip("192.0.2.1"), now).is_some());
        assert!(
            t.locked_until("lin", ip("192.0.2.2"), now).is_none(),
            "another address"
        );
        assert!(
            t.locked_until("lin", ip("192.0.2.1"), until).is_none(),
            "expired"
        );
        let later = until + Duration::seconds(1);
        for _ in 1..FAILURES_BEFORE_LOCK {
            t.failed_login("lin", ip("192.0.2.1"), later);
        }
        let second = t.failed_login("lin", ip("192.0.2.1"), later).unwrap();
        assert_eq!(second - later, Duration::minutes(2 * FIRST_LOCK_MINUTES));
        assert_eq!(lock_minutes(40), MAX_LOCK_MINUTES);
    }

    #[test]
    fn memory_is_swept_of_what_no_longer_limits() {
        let t = Throttles::new(TrustedProxies::default());
        let long_ago = Utc::now() - Duration::days(3);
        t.failed_login("a", ip("192.0.2.1"), long_ago);
        assert_eq!(t.lockouts.lock().unwrap().len(), 1);
        t.sweep(Utc::now());
        assert_eq!(t.lockouts.lock().unwrap().len(), 0);
    }

    #[test]
    fn per_account_limits_hold_across_addresses() {
        let t = Throttles::new(TrustedProxies::default());
        let mut refused = 0;
        for n in 0..32u8 {
            if t.login_attempt("lin", IpAddr::V4(Ipv4Addr::new(192, 0, 2, n)))
                .is_err()
            {
                refused += 1;
            }
        }
        assert_eq!(
            refused, 2,
            "thirty a minute per account, whatever the address"
        );
    }
}
