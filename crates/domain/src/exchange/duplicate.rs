//! "Never counted twice": the same training reported by two sources (a partner and the platform,
//! or two partners) is recognised by its dates, its hours and a similar name.
//!
//! The comparison is for records of one teacher; the caller pairs them by identity number. A
//! match is a strong suspicion, shown to a person who decides, not proof.

use chrono::NaiveDate;

/// What a teacher's record is compared by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordKey<'a> {
    pub name: &'a str,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub half_hours: u32,
}

/// The same dates, the same hours and similar names.
pub fn same_course(a: &RecordKey, b: &RecordKey) -> bool {
    a.start_date == b.start_date
        && a.end_date == b.end_date
        && a.half_hours == b.half_hours
        && similar_names(a.name, b.name)
}

/// Words nearly every course name has; left in, they make unrelated names look alike
/// (數學領域教學研習 and 英語領域教學研習 share most of their characters). Longer ones first, so
/// 研習會 goes as a whole.
const GENERIC_WORDS: &[&str] = &[
    "研習會",
    "研習營",
    "研習班",
    "研習",
    "工作坊",
    "課程",
    "講座",
    "教學",
    "活動",
];

/// The shortest name part that one name containing the other makes them the same.
const MIN_CONTAINED_CHARS: usize = 4;

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c,
            '\u{00B7}'                 // middle dot ·
            | '\u{2010}'..='\u{2027}'  // dashes, quotes, bullets, ellipsis
            | '\u{3000}'..='\u{303F}'  // CJK symbols and punctuation 「」、。【】〈〉
            | '\u{FE30}'..='\u{FE6F}'  // CJK compatibility and small forms
            | '\u{FF5F}'..='\u{FF65}') // half-width CJK punctuation
}

/// Full-width ASCII as ASCII, lower case, without spaces and punctuation. Digits stay: the
/// academic year (112學年度) tells courses apart.
fn normalise(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .map(|c| c.to_ascii_lowercase())
        .filter(|c| !c.is_whitespace() && !is_punctuation(*c))
        .collect()
}

/// The distinctive part of a name: normalised, generic words removed (unless that leaves
/// almost nothing, as of a course called just 研習).
fn distinctive(name: &str) -> Vec<char> {
    let normal = normalise(name);
    let stripped = GENERIC_WORDS
        .iter()
        .fold(normal.clone(), |name, word| name.replace(word, ""));
    let chosen = if stripped.chars().count() >= 2 {
        stripped
    } else {
        normal
    };
    chosen.chars().collect()
}

fn contains(long: &[char], short: &[char]) -> bool {
    short.is_empty() || long.windows(short.len()).any(|w| w == short)
}

/// The character bigrams of `chars`, sorted, repeats kept.
fn bigrams(chars: &[char]) -> Vec<(char, char)> {
    let mut pairs: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
    pairs.sort_unstable();
    pairs
}

/// Dice's coefficient of the bigrams is at least 0.6, computed in integers.
fn dice_at_least_0_6(a: &[char], b: &[char]) -> bool {
    let (a, b) = (bigrams(a), bigrams(b));
    let total = a.len() + b.len();
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    // 2·shared / total ≥ 3/5
    10 * shared >= 3 * total
}

/// Whether two course names name the same course: equal once normalised, one containing the
/// other (the shorter at least 4 characters), or alike by bigrams (Dice ≥ 0.6). Compared on
/// their distinctive parts (see [`GENERIC_WORDS`]).
pub fn similar_names(a: &str, b: &str) -> bool {
    let (a, b) = (distinctive(a), distinctive(b));
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    (short.len() >= MIN_CONTAINED_CHARS && contains(long, short)) || dice_at_least_0_6(&a, &b)
}

#[cfg(test)]
#[path = "duplicate_tests.rs"]
mod tests;
