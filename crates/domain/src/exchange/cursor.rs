//! Where a partner's retrieval of records stopped: the change sequence and the record id of the
//! last record it received, so the next call continues after it.

use std::fmt;

use crate::FieldErrors;

/// A position in the change feed; both parts are non-negative database values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cursor {
    pub seq: i64,
    pub id: i64,
}

impl Cursor {
    /// Before the first record.
    pub const START: Cursor = Cursor { seq: 0, id: 0 };

    /// `{seq}-{id}`, opaque to partners.
    pub fn to_token(self) -> String {
        format!("{}-{}", self.seq, self.id)
    }

    /// A token from [`Cursor::to_token`]; anything else is `invalid_cursor`.
    pub fn parse(field: &str, text: &str) -> Result<Cursor, FieldErrors> {
        let number = |s: &str| {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<i64>().ok())
                .flatten()
        };
        text.trim()
            .split_once('-')
            .and_then(|(seq, id)| {
                Some(Cursor {
                    seq: number(seq)?,
                    id: number(id)?,
                })
            })
            .ok_or_else(|| {
                FieldErrors::single(
                    field,
                    "invalid_cursor",
                    "游標格式不正確，請使用上次回應所附的游標",
                )
            })
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_token())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip() {
        for (seq, id) in [(0, 0), (1, 2), (123_456, 7), (i64::MAX, i64::MAX)] {
            let cursor = Cursor { seq, id };
            assert_eq!(cursor.to_token(), format!("{seq}-{id}"));
            assert_eq!(Cursor::parse("cursor", &cursor.to_token()), Ok(cursor));
            assert_eq!(cursor.to_string(), cursor.to_token());
        }
        assert_eq!(Cursor::START.to_token(), "0-0");
        assert_eq!(
            Cursor::parse("cursor", " 5-6 "),
            Ok(Cursor { seq: 5, id: 6 })
        );
    }

    #[test]
    fn anything_else_is_an_invalid_cursor() {
        for bad in [
            "",
            "5",
            "5-",
            "-6",
            "5-6-7",
            "-5-6",
            "+5-6",
            "a-b",
            "5 - 6",
            "9223372036854775808-1",
            "１-２",
        ] {
            let FieldErrors(errors) = Cursor::parse("cursor", bad).unwrap_err();
            assert_eq!(
                (errors[0].field.as_str(), errors[0].code),
                ("cursor", "invalid_cursor"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn cursors_order_by_sequence_then_id() {
        let a = Cursor { seq: 1, id: 9 };
        let b = Cursor { seq: 2, id: 1 };
        assert!(Cursor::START < a && a < b);
    }
}
