//! Query-parameter parsing shared by the list operations: text in, field errors out.

use inservice_domain::{FieldErrors, PageRequest, validation::Collector};

/// Parses an optional non-negative integer query parameter, naming the field on failure.
pub(crate) fn parse_integer(field: &str, value: Option<&str>) -> Result<Option<u64>, FieldErrors> {
    value
        .map(|text| {
            text.trim().parse::<u64>().map_err(|_| {
                FieldErrors::single(field, "not_an_integer", format!("{field} 必須是正整數"))
            })
        })
        .transpose()
}

/// Parses `page` and `per_page` into a validated page request, collecting both fields' errors.
pub(crate) fn parse_page(
    page: Option<&str>,
    per_page: Option<&str>,
) -> Result<PageRequest, FieldErrors> {
    // Range checks run even when the other field is not a number, so every problem shows at once.
    let mut errors = Collector::default();
    let page = errors.check(parse_integer("page", page)).flatten();
    let per_page = errors.check(parse_integer("per_page", per_page)).flatten();
    let request = errors.check(PageRequest::new(page, per_page));
    errors.finish_with(|| request)
}
