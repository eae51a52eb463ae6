//! Base-data refresh (基本資料更新): a partner with the item `base_data` sends its teachers'
//! serving unit, job title and subjects in bulk, one row per teacher, in the same three formats
//! as the records (the same version, its own columns).

use crate::account::{check_job_title, check_subjects};
use crate::identity::IdentityNumber;
use crate::validation::Collector;
use crate::{FieldErrors, UnitCode};

use super::format::Column;

const fn column(
    key: &'static str,
    label: &'static str,
    required: bool,
    help: &'static str,
) -> Column {
    Column {
        key,
        label,
        required,
        help,
    }
}

/// The columns of a base-data row.
pub const BASE_COLUMNS: &[Column] = &[
    column(
        "identity_number",
        "身分證統一編號或居留證統一證號",
        true,
        "教師的身分證統一編號或居留證統一證號",
    ),
    column(
        "teacher_name",
        "姓名",
        false,
        "教師姓名（僅供報告辨識，不更新）",
    ),
    column(
        "unit_code",
        "服務單位代碼",
        false,
        "本平臺的服務單位代碼；空白表示不更新",
    ),
    column(
        "job_title",
        "職稱代碼",
        false,
        "職稱代碼，例如 15-4（專任教師）；空白表示不更新",
    ),
    column(
        "subjects",
        "任教科目",
        false,
        "任教科目，以 ; 或 、 分隔；空白表示不更新",
    ),
];

/// What a row asks to change; `None` leaves the field as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseRow {
    pub identity: IdentityNumber,
    pub unit_code: Option<String>,
    pub job_title: Option<String>,
    pub subjects: Option<Vec<String>>,
}

/// The column a header names (key or label), for workbooks.
pub fn base_column(header: &str) -> Option<&'static Column> {
    let header = header.trim().trim_start_matches('\u{feff}');
    BASE_COLUMNS
        .iter()
        .find(|c| c.key.eq_ignore_ascii_case(header) || c.label == header)
}

/// Checks one row given as (key, value) pairs; every problem at once.
pub fn validate_base_row(pairs: &[(String, String)]) -> Result<BaseRow, FieldErrors> {
    let mut errors = Collector::default();
    let value = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    for (key, _) in pairs {
        if !BASE_COLUMNS.iter().any(|c| c.key == key) {
            errors.fail(
                key.clone(),
                "unknown_column",
                format!("「{key}」不是基本資料的欄位"),
            );
        }
    }
    let identity = match value("identity_number") {
        Some(text) => errors.check(IdentityNumber::parse_field("identity_number", text)),
        None => {
            errors.fail("identity_number", "required", "必填");
            None
        }
    };
    let unit_code = errors.check(
        value("unit_code")
            .map(|code| UnitCode::parse_field("unit_code", code).map(|c| c.as_str().to_owned()))
            .transpose(),
    );
    let job_title = errors.check(
        value("job_title")
            .map(|code| check_job_title("job_title", code))
            .transpose(),
    );
    let subjects = errors.check(
        value("subjects")
            .map(|text| {
                let list: Vec<String> = text
                    .split([';', '；', '、'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                check_subjects("subjects", &list)
            })
            .transpose(),
    );
    let nothing = unit_code.as_ref().is_some_and(Option::is_none)
        && job_title.as_ref().is_some_and(Option::is_none)
        && subjects.as_ref().is_some_and(Option::is_none);
    if nothing {
        errors.fail(
            "row",
            "nothing_to_update",
            "服務單位、職稱與任教科目至少要填一項",
        );
    }
    errors.finish_with(|| {
        Some(BaseRow {
            identity: identity?,
            unit_code: unit_code?,
            job_title: job_title?,
            subjects: subjects?,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_row_changes_what_it_fills_and_leaves_the_rest() {
        let row = validate_base_row(&pairs(&[
            ("identity_number", "o109000108"),
            ("unit_code", "demo-jh-taipei"),
            ("subjects", "數學；自然科學"),
        ]))
        .unwrap();
        assert_eq!(row.identity.expose(), "O109000108");
        assert_eq!(row.unit_code.as_deref(), Some("demo-jh-taipei"));
        assert_eq!(row.job_title, None);
        assert_eq!(
            row.subjects,
            Some(vec!["數學".to_owned(), "自然科學".to_owned()])
        );
    }

    #[test]
    fn every_problem_of_a_row_is_named() {
        let errors = validate_base_row(&pairs(&[
            ("identity_number", "A123456780"),
            ("unit_code", "not a code"),
            ("job_title", "99-99"),
            ("colour", "blue"),
        ]))
        .unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["colour", "identity_number", "unit_code", "job_title"]
        );
    }

    #[test]
    fn a_row_must_change_something_and_name_its_teacher() {
        let errors = validate_base_row(&pairs(&[("teacher_name", "林老師")])).unwrap_err();
        let codes: Vec<&str> = errors.0.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["required", "nothing_to_update"]);
    }

    #[test]
    fn headers_are_keys_or_labels() {
        assert_eq!(
            base_column("服務單位代碼").map(|c| c.key),
            Some("unit_code")
        );
        assert_eq!(base_column(" Job_Title ").map(|c| c.key), Some("job_title"));
        assert!(base_column("電話").is_none());
    }
}
