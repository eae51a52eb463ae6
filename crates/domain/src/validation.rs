//! Per-field validation failures, collected so a client can show every problem at once.

/// One field that failed validation, with a stable machine code and a human message (zh-TW).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

/// A non-empty list of field errors; the error type of every domain validation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} field(s) failed validation", .0.len())]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn single(
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self(vec![FieldError::new(field, code, message)])
    }
}

/// A query parameter, path or spreadsheet cell longer than this is not something our forms
/// produce.
pub const MAX_PLAIN_TEXT_CHARS: usize = 1_000;

/// Tab, line feed and carriage return are text; every other control character is not.
pub fn has_control(text: &str, allow_line_breaks: bool) -> bool {
    text.chars()
        .any(|c| c.is_control() && !(allow_line_breaks && matches!(c, '\t' | '\n' | '\r')))
}

pub fn control_error(field: &str) -> FieldErrors {
    FieldErrors::single(
        field,
        "control_character",
        "含有不允許的控制字元（例如 U+0000），請移除後再送出",
    )
}

pub fn too_long(field: &str, max: usize) -> FieldErrors {
    FieldErrors::single(field, "too_long", format!("最多 {max} 個字"))
}

/// One line of text (a query parameter, a decoded path, a cell): no control characters, at
/// most [`MAX_PLAIN_TEXT_CHARS`].
pub fn check_plain_text(field: &str, value: &str) -> Result<(), FieldErrors> {
    if has_control(value, false) {
        return Err(control_error(field));
    }
    if value.chars().count() > MAX_PLAIN_TEXT_CHARS {
        return Err(too_long(field, MAX_PLAIN_TEXT_CHARS));
    }
    Ok(())
}

/// Collects field errors while validating several fields, then succeeds only if none failed.
///
/// Every `None` that [`Collector::check`] hands out comes with at least one collected error, so
/// [`Collector::finish_with`] can assemble the checked parts with `?` and never see a `None`
/// without an error to report.
#[derive(Debug, Default)]
pub struct Collector(Vec<FieldError>);

impl Collector {
    pub fn check<T>(&mut self, result: Result<T, FieldErrors>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(FieldErrors(errors)) if errors.is_empty() => {
                // An empty list is not an error a client could act on, but it is still a
                // failure: recorded so the invariant above holds.
                self.0.push(unnamed_failure());
                None
            }
            Err(FieldErrors(errors)) => {
                self.0.extend(errors);
                None
            }
        }
    }

    /// Records one failure found by comparing fields already checked.
    pub fn fail(
        &mut self,
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) {
        self.0.push(FieldError::new(field, code, message));
    }

    pub fn finish(self) -> Result<(), FieldErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(FieldErrors(self.0))
        }
    }

    /// Every collected error, or else the value `build` assembles from the checked parts
    /// (`name?` on each `Option` that [`Collector::check`] returned). `build` runs only when
    /// nothing failed.
    pub fn finish_with<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, FieldErrors> {
        self.finish()?;
        // Unreachable when every part came from `check`; a part made up elsewhere still
        // yields a validation error rather than a panic.
        build().ok_or_else(|| FieldErrors(vec![unnamed_failure()]))
    }
}

fn unnamed_failure() -> FieldError {
    FieldError::new("", "invalid", "輸入的資料有誤")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failing(field: &str) -> Result<u32, FieldErrors> {
        Err(FieldErrors::single(field, "required", "請填寫"))
    }

    #[test]
    fn plain_text_refuses_control_characters_and_overlong_text() {
        assert!(check_plain_text("q", "第一行 甲").is_ok());
        assert!(check_plain_text("q", "a\tb").is_err());
        assert_eq!(
            check_plain_text("q", "a\nb").unwrap_err().0[0].code,
            "control_character"
        );
        assert_eq!(
            check_plain_text("q", "a\u{0}").unwrap_err().0[0].code,
            "control_character"
        );
        let long = "字".repeat(MAX_PLAIN_TEXT_CHARS + 1);
        assert_eq!(
            check_plain_text("q", &long).unwrap_err().0[0].code,
            "too_long"
        );
        assert!(check_plain_text("q", &long[3..]).is_ok());
        assert!(has_control("a\nb", false) && !has_control("a\nb", true));
    }

    #[test]
    fn finish_with_builds_the_value_when_every_check_passed() {
        let mut e = Collector::default();
        let a = e.check(Ok::<_, FieldErrors>(1));
        let b = e.check(Ok::<_, FieldErrors>(2));
        assert_eq!(e.finish_with(|| Some(a? + b?)), Ok(3));
    }

    #[test]
    fn finish_with_reports_every_error_and_does_not_build() {
        let mut e = Collector::default();
        let a = e.check(failing("a"));
        let b = e.check(failing("b"));
        e.fail("c", "out_of_order", "順序錯誤");
        let FieldErrors(errors) = e
            .finish_with(|| -> Option<u32> { panic!("built despite errors {a:?} {b:?}") })
            .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["a", "b", "c"]);
    }

    #[test]
    fn an_empty_error_list_still_counts_as_a_failure() {
        let mut e = Collector::default();
        let a: Option<u32> = e.check(Err(FieldErrors(Vec::new())));
        let FieldErrors(errors) = e.finish_with(|| a).unwrap_err();
        assert_eq!(errors[0].code, "invalid");
    }

    #[test]
    fn a_part_not_from_check_is_an_error_not_a_panic() {
        let e = Collector::default();
        assert_eq!(
            e.finish_with(|| None::<u32>).unwrap_err().0[0].code,
            "invalid"
        );
    }
}
