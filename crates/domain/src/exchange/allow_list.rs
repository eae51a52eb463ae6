//! The addresses a partner may call the exchange from: IPv4 and IPv6 addresses and networks.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::{FieldError, FieldErrors};

pub const MAX_ENTRIES: usize = 100;
const FIELD: &str = "allow_list";

/// One address or network, its host bits zero. An IPv4-mapped IPv6 network is kept as IPv4,
/// the form its callers arrive in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Network {
    addr: IpAddr,
    prefix: u8,
}

fn max_prefix(addr: IpAddr) -> u8 {
    if addr.is_ipv4() { 32 } else { 128 }
}

/// `addr` with the bits after the first `prefix` cleared.
fn masked(addr: IpAddr, prefix: u8) -> IpAddr {
    let keep = u32::from(max_prefix(addr) - prefix.min(max_prefix(addr)));
    match addr {
        IpAddr::V4(v4) => {
            let mask = u32::MAX.checked_shl(keep).unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(u32::from(v4) & mask))
        }
        IpAddr::V6(v6) => {
            let mask = u128::MAX.checked_shl(keep).unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask))
        }
    }
}

/// A caller's address as matched: IPv4-mapped IPv6 (`::ffff:10.1.2.3`, what a dual-stack
/// socket reports) as IPv4.
fn unmapped(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        ip => ip,
    }
}

impl Network {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = unmapped(ip);
        ip.is_ipv4() == self.addr.is_ipv4() && masked(ip, self.prefix) == self.addr
    }
}

/// A single address without its prefix, a network as CIDR.
impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.prefix == max_prefix(self.addr) {
            write!(f, "{}", self.addr)
        } else {
            write!(f, "{}/{}", self.addr, self.prefix)
        }
    }
}

/// An entry quoted in a message, cut short: it is whatever was typed.
fn shown(entry: &str) -> String {
    entry.chars().take(60).collect()
}

fn invalid(entry: &str) -> FieldError {
    FieldError::new(
        FIELD,
        "invalid_cidr",
        format!(
            "「{}」不是 IP 位址或網段（例如 203.0.113.5、10.0.0.0/8、2001:db8::/32）",
            shown(entry)
        ),
    )
}

fn parse_entry(entry: &str) -> Result<Network, FieldError> {
    let (addr_text, prefix_text) = match entry.split_once('/') {
        Some((addr, prefix)) => (addr, Some(prefix)),
        None => (entry, None),
    };
    let addr: IpAddr = addr_text.parse().map_err(|_| invalid(entry))?;
    let prefix = match prefix_text {
        None => max_prefix(addr),
        Some(p) if !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) => p
            .parse::<u8>()
            .ok()
            .filter(|n| *n <= max_prefix(addr))
            .ok_or_else(|| invalid(entry))?,
        Some(_) => return Err(invalid(entry)),
    };
    let (addr, prefix) = match addr {
        IpAddr::V6(v6) if prefix >= 96 => match v6.to_ipv4_mapped() {
            Some(v4) => (IpAddr::V4(v4), prefix - 96),
            None => (addr, prefix),
        },
        _ => (addr, prefix),
    };
    let network = Network {
        addr: masked(addr, prefix),
        prefix,
    };
    if network.addr != addr {
        return Err(FieldError::new(
            FIELD,
            "cidr_host_bits",
            format!("「{}」的主機位元不為 0，請寫成 {network}", shown(entry)),
        ));
    }
    Ok(network)
}

/// The networks a partner may call from. Empty allows nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowList(Vec<Network>);

impl AllowList {
    /// Entries separated by line breaks, spaces or commas; each an address (`203.0.113.5`,
    /// `2001:db8::1`) or a network (`10.0.0.0/8`, `2001:db8::/32`). Repeats are dropped; every
    /// bad entry is reported.
    pub fn parse(text: &str) -> Result<AllowList, FieldErrors> {
        let entries = || {
            text.split(|c: char| matches!(c, ',' | '，' | ';') || c.is_whitespace())
                .filter(|e| !e.is_empty())
        };
        if entries().count() > MAX_ENTRIES {
            return Err(FieldErrors::single(
                FIELD,
                "too_many_entries",
                format!("最多 {MAX_ENTRIES} 個 IP 位址或網段"),
            ));
        }
        let mut networks = Vec::new();
        let mut errors = Vec::new();
        for entry in entries() {
            match parse_entry(entry) {
                Ok(network) if networks.contains(&network) => {}
                Ok(network) => networks.push(network),
                Err(error) => errors.push(error),
            }
        }
        if errors.is_empty() {
            Ok(AllowList(networks))
        } else {
            Err(FieldErrors(errors))
        }
    }

    pub fn allows(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|network| network.contains(ip))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn networks(&self) -> &[Network] {
        &self.0
    }

    /// The canonical form of each entry, to store and show; [`AllowList::parse`] reads it back.
    pub fn entries(&self) -> Vec<String> {
        self.0.iter().map(Network::to_string).collect()
    }
}

impl fmt::Display for AllowList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.entries().join(", "))
    }
}

#[cfg(test)]
#[path = "allow_list_tests.rs"]
mod tests;
