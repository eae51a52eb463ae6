//! Counties and cities (縣市), identified by their official administrative division codes.

use std::fmt;

use crate::FieldErrors;

/// A county or city code: the five-digit code of the administrative division (e.g. 63000 臺北市).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountyCode(String);

impl CountyCode {
    pub fn parse_field(field: &str, value: &str) -> Result<CountyCode, FieldErrors> {
        if value.len() == 5 && value.bytes().all(|b| b.is_ascii_digit()) {
            Ok(CountyCode(value.to_owned()))
        } else {
            Err(FieldErrors::single(
                field,
                "invalid_county",
                "縣市代碼必須是 5 位數字，例如 63000",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CountyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_digit_codes_are_accepted_including_leading_zeros() {
        for good in ["63000", "09020", "10002"] {
            assert_eq!(
                CountyCode::parse_field("county", good).unwrap().as_str(),
                good
            );
        }
    }

    #[test]
    fn anything_else_is_rejected_with_the_field_name() {
        for bad in ["", "6300", "630000", "6300a", "臺北市", " 63000"] {
            let err = CountyCode::parse_field("county", bad).unwrap_err();
            assert_eq!(err.0[0].field, "county", "{bad:?}");
            assert_eq!(err.0[0].code, "invalid_county");
        }
    }
}
