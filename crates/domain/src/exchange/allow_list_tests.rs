use super::*;

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

fn codes(text: &str) -> Vec<&'static str> {
    AllowList::parse(text)
        .unwrap_err()
        .0
        .iter()
        .map(|e| {
            assert_eq!(e.field, "allow_list");
            e.code
        })
        .collect()
}

#[test]
fn addresses_and_networks_are_read_in_any_separation() {
    let list = AllowList::parse(
        "203.0.113.5\n10.0.0.0/8, 192.168.1.0/24 ，2001:DB8::/32\r\n  2001:db8:0:0::1/128;\t172.16.0.0/12\n\n",
    )
    .unwrap();
    assert_eq!(
        list.entries(),
        [
            "203.0.113.5",
            "10.0.0.0/8",
            "192.168.1.0/24",
            "2001:db8::/32",
            "2001:db8::1",
            "172.16.0.0/12",
        ]
    );
    assert_eq!(
        list.to_string(),
        "203.0.113.5, 10.0.0.0/8, 192.168.1.0/24, 2001:db8::/32, 2001:db8::1, 172.16.0.0/12"
    );
    assert_eq!(AllowList::parse(&list.to_string()), Ok(list.clone()));
    assert_eq!(AllowList::parse(&list.entries().join("\n")), Ok(list));
}

#[test]
fn networks_allow_exactly_their_addresses() {
    let list = AllowList::parse("10.0.0.0/8 192.168.1.0/24 203.0.113.5 2001:db8::/32").unwrap();
    for allowed in [
        "10.0.0.0",
        "10.255.255.255",
        "192.168.1.0",
        "192.168.1.255",
        "203.0.113.5",
        "2001:db8::",
        "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
    ] {
        assert!(list.allows(ip(allowed)), "{allowed}");
    }
    for refused in [
        "9.255.255.255",
        "11.0.0.0",
        "192.168.0.255",
        "192.168.2.0",
        "203.0.113.4",
        "203.0.113.6",
        "2001:db9::",
        "2001:db7:ffff::",
        "::1",
        "127.0.0.1",
    ] {
        assert!(!list.allows(ip(refused)), "{refused}");
    }
}

#[test]
fn every_prefix_length_keeps_its_boundary() {
    for prefix in 0..=32u8 {
        let network = masked(ip("172.31.255.255"), prefix);
        let list = AllowList::parse(&format!("{network}/{prefix}")).unwrap();
        let first = match network {
            IpAddr::V4(v4) => u32::from(v4),
            IpAddr::V6(_) => unreachable!(),
        };
        let size = 1u64 << (32 - u32::from(prefix));
        let last = (u64::from(first) + size - 1) as u32;
        let v4 = |n: u32| IpAddr::V4(Ipv4Addr::from(n));
        assert!(list.allows(v4(first)) && list.allows(v4(last)), "/{prefix}");
        if let Some(before) = first.checked_sub(1) {
            assert!(!list.allows(v4(before)), "/{prefix}");
        }
        if let Some(after) = last.checked_add(1) {
            assert!(!list.allows(v4(after)), "/{prefix}");
        }
    }
    let everything = AllowList::parse("::/0").unwrap();
    assert!(everything.allows(ip("2001:db8::1")));
    assert!(
        !everything.allows(ip("10.0.0.1")),
        "IPv6 networks do not hold IPv4 callers"
    );
}

#[test]
fn ipv4_mapped_addresses_are_matched_as_ipv4() {
    let list = AllowList::parse("10.0.0.0/8").unwrap();
    assert!(list.allows(ip("::ffff:10.1.2.3")));
    assert!(!list.allows(ip("::ffff:11.1.2.3")));
    let mapped = AllowList::parse("::ffff:10.0.0.0/104 ::ffff:203.0.113.5").unwrap();
    assert_eq!(mapped.entries(), ["10.0.0.0/8", "203.0.113.5"]);
    assert!(mapped.allows(ip("10.9.9.9")) && mapped.allows(ip("::ffff:203.0.113.5")));
}

#[test]
fn host_bits_are_refused_with_the_network_to_write() {
    let FieldErrors(errors) = AllowList::parse("10.1.2.3/8 2001:db8::1/32").unwrap_err();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].code, "cidr_host_bits");
    assert!(
        errors[0].message.contains("請寫成 10.0.0.0/8"),
        "{}",
        errors[0].message
    );
    assert!(errors[1].message.contains("請寫成 2001:db8::/32"));
}

#[test]
fn each_bad_entry_is_reported_by_name() {
    let bad = [
        "10.0.0",
        "10.0.0.256",
        "010.0.0.1",
        "10.0.0.0/33",
        "10.0.0.0/",
        "10.0.0.0/-1",
        "10.0.0.0/+8",
        "10.0.0.0/8/8",
        "2001:db8::/129",
        "[2001:db8::1]",
        "fe80::1%eth0",
        "example.org",
        "*",
    ];
    let FieldErrors(errors) = AllowList::parse(&bad.join("\n")).unwrap_err();
    assert_eq!(errors.len(), bad.len());
    for (entry, error) in bad.iter().zip(&errors) {
        assert_eq!(error.code, "invalid_cidr", "{entry}");
        assert!(error.message.contains(&format!("「{entry}」")), "{entry}");
    }
}

#[test]
fn at_most_a_hundred_entries_and_repeats_are_dropped() {
    let hundred: Vec<String> = (0..100).map(|n| format!("10.0.0.{n}")).collect();
    assert_eq!(
        AllowList::parse(&hundred.join(","))
            .unwrap()
            .entries()
            .len(),
        100
    );
    let more = format!("{} 10.0.1.0", hundred.join(","));
    assert_eq!(codes(&more), ["too_many_entries"]);
    let repeated = AllowList::parse("10.0.0.1 10.0.0.1/32 ::ffff:10.0.0.1").unwrap();
    assert_eq!(repeated.entries(), ["10.0.0.1"]);
}

#[test]
fn an_empty_list_allows_nothing() {
    for text in ["", " \n , "] {
        let list = AllowList::parse(text).unwrap();
        assert!(list.is_empty() && list.networks().is_empty());
        assert!(!list.allows(ip("127.0.0.1")) && !list.allows(ip("::1")));
        assert_eq!(list.to_string(), "");
    }
    assert!(!AllowList::default().allows(ip("10.0.0.1")));
}
