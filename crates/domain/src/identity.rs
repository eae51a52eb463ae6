//! Identity numbers: the national ID (國民身分證統一編號) and the Resident Certificate UI number
//! (外來人口統一證號) in its old two-letter and its 2021 formats, each with its check digit.

use std::fmt;

use crate::FieldErrors;

/// Which kind of identity number a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentityKind {
    /// Letter + 1/2 + 8 digits.
    NationalId,
    /// Letter + 8/9 + 8 digits (Resident Certificate, 2021 format).
    ResidentNew,
    /// Letter + A–D + 8 digits (Resident Certificate, format before 2021).
    ResidentOld,
}

/// A checked identity number, upper-case. Personal data: never log or display it unmasked.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdentityNumber {
    value: String,
    kind: IdentityKind,
}

/// The area letter's two-digit code; note the out-of-order I, O, W and Z.
fn letter_code(letter: u8) -> Option<u32> {
    const CODES: [u32; 26] = [
        10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32,
        30, 31, 33,
    ];
    letter
        .is_ascii_uppercase()
        .then(|| CODES[usize::from(letter - b'A')])
}

fn digit(byte: u8) -> Option<u32> {
    byte.is_ascii_digit().then(|| u32::from(byte - b'0'))
}

/// The weighted sum over the ten characters; valid numbers sum to a multiple of 10.
fn checksum(bytes: &[u8; 10], kind: IdentityKind) -> Option<u32> {
    let area = letter_code(bytes[0])?;
    let mut sum = area / 10 + (area % 10) * 9;
    sum += match kind {
        // The old format's gender letter counts by the last digit of its code.
        IdentityKind::ResidentOld => (letter_code(bytes[1])? % 10) * 8,
        _ => digit(bytes[1])? * 8,
    };
    for (byte, weight) in bytes[2..9].iter().zip((1..=7).rev()) {
        sum += digit(*byte)? * weight;
    }
    Some(sum + digit(bytes[9])?)
}

impl IdentityNumber {
    /// Parses and checks a number; lower-case letters and surrounding spaces are accepted.
    pub fn parse(text: &str) -> Result<IdentityNumber, IdentityError> {
        let value = text.trim().to_ascii_uppercase();
        let bytes: &[u8; 10] = value
            .as_bytes()
            .try_into()
            .map_err(|_| IdentityError::Format)?;
        if letter_code(bytes[0]).is_none() {
            return Err(IdentityError::Format);
        }
        let kind = match bytes[1] {
            b'1' | b'2' => IdentityKind::NationalId,
            b'8' | b'9' => IdentityKind::ResidentNew,
            b'A'..=b'D' => IdentityKind::ResidentOld,
            _ => return Err(IdentityError::Format),
        };
        match checksum(bytes, kind) {
            None => Err(IdentityError::Format),
            Some(sum) if sum % 10 != 0 => Err(IdentityError::Checksum),
            Some(_) => Ok(IdentityNumber { value, kind }),
        }
    }

    pub fn parse_field(field: &str, text: &str) -> Result<IdentityNumber, FieldErrors> {
        Self::parse(text).map_err(|error| {
            let message = match error {
                IdentityError::Format => "身分證統一編號或居留證統一證號格式不正確",
                IdentityError::Checksum => {
                    "身分證統一編號或居留證統一證號檢查碼不正確，請確認是否輸入錯誤"
                }
            };
            FieldErrors::single(field, error.code(), message)
        })
    }

    pub fn kind(&self) -> IdentityKind {
        self.kind
    }

    /// The full number, for encryption and keyed hashing only.
    pub fn expose(&self) -> &str {
        &self.value
    }

    /// The form shown to anyone but the owner: the first letter and the check digit. More
    /// digits would narrow the number down to a few thousand candidates, few enough to try.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.value[..1], &self.value[9..])
    }
}

/// The debug form is masked too, so a stray `{:?}` cannot leak a number into a log.
impl fmt::Debug for IdentityNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdentityNumber({})", self.masked())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    #[error("not the form of a national ID or resident certificate number")]
    Format,
    #[error("the check digit does not match")]
    Checksum,
}

impl IdentityError {
    pub fn code(self) -> &'static str {
        match self {
            IdentityError::Format => "invalid_identity_format",
            IdentityError::Checksum => "invalid_identity_checksum",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_national_ids_are_accepted() {
        for id in [
            "A123456789",
            "a123456789",
            " A123456789 ",
            "F131104093",
            "B142685078",
        ] {
            let parsed = IdentityNumber::parse(id).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(parsed.kind(), IdentityKind::NationalId);
        }
    }

    #[test]
    fn a_wrong_check_digit_is_a_checksum_error() {
        assert_eq!(
            IdentityNumber::parse("A123456788"),
            Err(IdentityError::Checksum)
        );
        assert_eq!(
            IdentityNumber::parse("A800000015"),
            Err(IdentityError::Checksum)
        );
        assert_eq!(
            IdentityNumber::parse("AC03095425"),
            Err(IdentityError::Checksum)
        );
    }

    #[test]
    fn the_2021_resident_format_is_accepted() {
        let parsed = IdentityNumber::parse("A800000014").unwrap();
        assert_eq!(parsed.kind(), IdentityKind::ResidentNew);
    }

    #[test]
    fn the_old_two_letter_resident_format_is_accepted() {
        let parsed = IdentityNumber::parse("AC03095424").unwrap();
        assert_eq!(parsed.kind(), IdentityKind::ResidentOld);
    }

    #[test]
    fn the_out_of_order_letters_use_their_own_codes() {
        // I=34, O=35, W=32, Z=33: each number below is valid only with that code.
        for id in ["I100000003", "O100000004", "W100000001", "Z100000002"] {
            assert!(IdentityNumber::parse(id).is_ok(), "{id}");
        }
    }

    #[test]
    fn malformed_numbers_are_format_errors() {
        for bad in [
            "",
            "A12345678",
            "A1234567890",
            "1123456789",
            "A323456789",
            "AE03095424",
            "A12345678X",
            "Ａ123456789",
        ] {
            assert_eq!(
                IdentityNumber::parse(bad),
                Err(IdentityError::Format),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn masking_keeps_only_the_ends() {
        let id = IdentityNumber::parse("A123456789").unwrap();
        assert_eq!(id.masked(), "A********9");
        assert_eq!(format!("{id:?}"), "IdentityNumber(A********9)");
    }

    #[test]
    fn field_errors_carry_stable_codes() {
        let err = IdentityNumber::parse_field("national_id", "A123456788").unwrap_err();
        assert_eq!(err.0[0].code, "invalid_identity_checksum");
        assert_eq!(err.0[0].field, "national_id");
    }
}
