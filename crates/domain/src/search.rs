//! Keyword matching rules shared by every search box.

use crate::FieldErrors;

/// Longer searches are not what people type; bounded so a query's cost is too.
pub const MAX_QUERY_CHARS: usize = 100;

/// A search text of at most [`MAX_QUERY_CHARS`] characters.
pub fn check_query_length(field: &str, query: &str) -> Result<(), FieldErrors> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(FieldErrors::single(
            field,
            "too_long",
            format!("搜尋文字最多 {MAX_QUERY_CHARS} 個字"),
        ));
    }
    Ok(())
}

/// The spellings of a keyword worth matching. Official names write 臺 (臺北市, 臺南市), while many
/// people type the common variant 台; a search for either finds both.
pub fn keyword_variants(keyword: &str) -> Vec<String> {
    let keyword = keyword.trim();
    if keyword.is_empty() {
        return Vec::new();
    }
    let formal = keyword.replace('台', "臺");
    let informal = keyword.replace('臺', "台");
    let mut variants = vec![keyword.to_owned()];
    for variant in [formal, informal] {
        if !variants.contains(&variant) {
            variants.push(variant);
        }
    }
    variants
}

/// The form text is stored and searched in: the formal 臺 for 台, ASCII in lower case, so one
/// `LIKE` finds every spelling.
pub fn normalize(text: &str) -> String {
    text.replace('台', "臺").to_ascii_lowercase()
}

/// The words of a search box: each must appear (Chinese has no spaces inside words, so a space
/// separates two keywords). At most five words are used.
pub fn keywords(query: &str) -> Vec<String> {
    query
        .split_whitespace()
        .map(normalize)
        .filter(|w| !w.is_empty())
        .take(5)
        .collect()
}

/// The distinct two-character pieces of a keyword, in order, as PostgreSQL's
/// `course_bigrams` cuts the course text; none for a single character.
pub fn bigrams(keyword: &str) -> Vec<String> {
    let chars: Vec<char> = keyword.chars().collect();
    let mut pieces: Vec<String> = Vec::new();
    for pair in chars.windows(2) {
        let piece: String = pair.iter().collect();
        if !pieces.contains(&piece) {
            pieces.push(piece);
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_is_bounded() {
        assert!(check_query_length("q", &"閱".repeat(MAX_QUERY_CHARS)).is_ok());
        let error = check_query_length("q", &"閱".repeat(MAX_QUERY_CHARS + 1)).unwrap_err();
        assert_eq!(error.0[0].code, "too_long");
    }

    #[test]
    fn keywords_are_cut_into_their_distinct_two_character_pieces() {
        assert_eq!(bigrams("閱讀"), ["閱讀"]);
        assert_eq!(bigrams("素養導向"), ["素養", "養導", "導向"]);
        assert_eq!(bigrams("哈哈哈"), ["哈哈"]);
        assert!(bigrams("讀").is_empty());
    }

    #[test]
    fn tai_and_its_formal_form_find_each_other() {
        assert_eq!(keyword_variants("台北"), ["台北", "臺北"]);
        assert_eq!(keyword_variants("臺南"), ["臺南", "台南"]);
    }

    #[test]
    fn other_keywords_are_searched_as_typed_without_surrounding_space() {
        assert_eq!(keyword_variants("  教育局 "), ["教育局"]);
        assert_eq!(keyword_variants("Taipei"), ["Taipei"]);
    }

    #[test]
    fn stored_text_and_keywords_are_normalised_alike() {
        assert_eq!(normalize("台北 STEAM 課程"), "臺北 steam 課程");
        assert_eq!(keywords(" 台灣  閱讀 "), ["臺灣", "閱讀"]);
        assert_eq!(keywords("a b c d e f g").len(), 5);
        assert!(keywords("   ").is_empty());
    }

    #[test]
    fn a_blank_keyword_matches_nothing_extra() {
        assert!(keyword_variants("   ").is_empty());
    }
}
