//! Teachers' records as others read them: totals by year, category and tag, and the
//! transcript's verification code and the masked name a public verification page shows.

use std::collections::BTreeMap;

/// The 32 symbols of a verification code: no 0/O or 1/I to misread on paper.
const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A verification code from 10 random bytes (80 bits): 16 symbols in groups of four,
/// `XXXX-XXXX-XXXX-XXXX`.
pub fn verification_code(random: [u8; 10]) -> String {
    let mut bits: u128 = 0;
    for byte in random {
        bits = (bits << 8) | u128::from(byte);
    }
    let symbols: Vec<char> = (0..16)
        .rev()
        .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
        .collect();
    symbols
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as someone typed it (any case, with or without dashes or spaces), in its canonical
/// form; `None` if it cannot be a code.
pub fn normalize_code(typed: &str) -> Option<String> {
    let symbols: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{3000}'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if symbols.chars().count() != 16 || !symbols.bytes().all(|b| ALPHABET.contains(&b)) {
        return None;
    }
    Some(
        symbols
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-"),
    )
}

/// A name as a public page shows it: the first and last characters, the rest masked
/// (王小明 → 王○明, 王明 → 王○).
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "○".into(),
        2 => format!("{}○", chars[0]),
        n => format!("{}{}{}", chars[0], "○".repeat(n - 2), chars[n - 1]),
    }
}

/// Half-hours and record counts under each key.
pub fn totals<K: Ord>(entries: impl IntoIterator<Item = (K, u32)>) -> Vec<(K, u32, u64)> {
    let mut by_key: BTreeMap<K, (u32, u64)> = BTreeMap::new();
    for (key, half_hours) in entries {
        let total = by_key.entry(key).or_default();
        total.0 += half_hours;
        total.1 += 1;
    }
    by_key
        .into_iter()
        .map(|(key, (half_hours, records))| (key, half_hours, records))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_sixteen_unambiguous_symbols_in_four_groups() {
        let code = verification_code([0; 10]);
        assert_eq!(code, "AAAA-AAAA-AAAA-AAAA");
        let code = verification_code([255; 10]);
        assert_eq!(code, "9999-9999-9999-9999");
        let code = verification_code([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(code.len(), 19);
        assert!(!code.contains(['0', '1', 'I', 'O']));
        assert_ne!(code, verification_code([1, 2, 3, 4, 5, 6, 7, 8, 9, 11]));
    }

    #[test]
    fn typed_codes_are_read_in_any_case_with_or_without_dashes() {
        let code = verification_code([7; 10]);
        assert_eq!(normalize_code(&code), Some(code.clone()));
        let typed = code.replace('-', " ").to_lowercase();
        assert_eq!(normalize_code(&typed), Some(code.clone()));
        assert_eq!(normalize_code(&code.replace('-', "")), Some(code));
        assert_eq!(normalize_code("ABCD-EFGH"), None);
        assert_eq!(
            normalize_code("ABCD-EFGH-JKLM-NPQ0"),
            None,
            "0 is never used"
        );
    }

    #[test]
    fn public_pages_mask_all_but_the_ends_of_a_name() {
        assert_eq!(mask_name("王小明"), "王○明");
        assert_eq!(mask_name("王明"), "王○");
        assert_eq!(mask_name("歐陽小明"), "歐○○明");
        assert_eq!(mask_name("明"), "○");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn totals_add_hours_and_count_records_per_key() {
        let totals = totals([("2026", 6), ("2025", 3), ("2026", 4)]);
        assert_eq!(totals, [("2025", 3, 1), ("2026", 10, 2)]);
    }
}
