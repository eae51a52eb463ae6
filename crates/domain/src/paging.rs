//! Pagination of list endpoints: one rule for every list so clients learn it once.

use crate::FieldErrors;
use crate::validation::Collector;

/// A validated page request: `page` counts from 1, `per_page` is bounded so one request stays cheap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u64,
    pub per_page: u64,
}

impl PageRequest {
    pub const DEFAULT_PER_PAGE: u64 = 20;
    pub const MAX_PER_PAGE: u64 = 100;

    /// Validates optional `page` / `per_page` parameters, applying the defaults when absent.
    pub fn new(page: Option<u64>, per_page: Option<u64>) -> Result<Self, FieldErrors> {
        let mut errors = Collector::default();
        let page = errors.check(match page.unwrap_or(1) {
            0 => Err(FieldErrors::single("page", "out_of_range", "頁碼從 1 開始")),
            n => Ok(n),
        });
        let per_page = errors.check(match per_page.unwrap_or(Self::DEFAULT_PER_PAGE) {
            n if (1..=Self::MAX_PER_PAGE).contains(&n) => Ok(n),
            _ => Err(FieldErrors::single(
                "per_page",
                "out_of_range",
                format!("每頁筆數必須介於 1 到 {}", Self::MAX_PER_PAGE),
            )),
        });
        errors.finish()?;
        Ok(Self {
            page: page.unwrap_or(1),
            per_page: per_page.unwrap_or(Self::DEFAULT_PER_PAGE),
        })
    }

    /// How many rows precede this page. Databases count offsets in signed 64 bits, so a page
    /// beyond that is kept at the largest offset they take (and is empty).
    pub fn offset(self) -> u64 {
        (self.page - 1)
            .saturating_mul(self.per_page)
            .min(i64::MAX as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_to_the_first_page_of_twenty() {
        assert_eq!(
            PageRequest::new(None, None),
            Ok(PageRequest {
                page: 1,
                per_page: 20
            })
        );
    }

    #[test]
    fn offset_skips_the_previous_pages() {
        assert_eq!(PageRequest::new(Some(1), Some(10)).unwrap().offset(), 0);
        assert_eq!(PageRequest::new(Some(3), Some(10)).unwrap().offset(), 20);
    }

    #[test]
    fn offset_of_an_absurd_page_stays_within_a_signed_64_bit_number() {
        let last = PageRequest::new(Some(u64::MAX), Some(100)).unwrap();
        assert_eq!(last.offset(), i64::MAX as u64);
        let huge = PageRequest::new(Some(i64::MAX as u64), Some(2)).unwrap();
        assert_eq!(huge.offset(), i64::MAX as u64);
    }

    #[test]
    fn bounds_are_inclusive() {
        assert!(PageRequest::new(Some(1), Some(1)).is_ok());
        assert!(PageRequest::new(Some(1), Some(100)).is_ok());
        assert!(PageRequest::new(Some(u64::MAX), Some(100)).is_ok());
    }

    #[test]
    fn page_zero_and_out_of_range_sizes_are_reported_together() {
        let FieldErrors(errors) = PageRequest::new(Some(0), Some(101)).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["page", "per_page"]);
        assert!(PageRequest::new(None, Some(0)).is_err());
    }
}
