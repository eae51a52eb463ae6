use super::*;
use crate::course::form::{MAX_HOURS, MAX_NAME_CHARS, MAX_TAGS};

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn codes(errors: &FieldErrors) -> Vec<(&str, &str)> {
    errors
        .0
        .iter()
        .map(|e| (e.field.as_str(), e.code))
        .collect()
}

const REQUIRED: [&str; 12] = [
    "partner_course_id",
    "course_name",
    "organiser_name",
    "start_date",
    "end_date",
    "category",
    "stage",
    "class_type",
    "partner_record_id",
    "identity_number",
    "teacher_name",
    "hours",
];

#[test]
fn columns_are_in_the_documented_order() {
    let keys: Vec<&str> = RECORD_COLUMNS.iter().map(|c| c.key).collect();
    assert_eq!(
        keys,
        [
            "partner_course_id",
            "course_name",
            "organiser_code",
            "organiser_name",
            "start_date",
            "end_date",
            "category",
            "stage",
            "class_type",
            "tags",
            "partner_record_id",
            "identity_number",
            "teacher_name",
            "hours",
            "attended_on",
        ]
    );
    let labels: Vec<&str> = RECORD_COLUMNS.iter().map(|c| c.label).collect();
    assert_eq!(labels[0], "課程代碼");
    assert_eq!(labels[11], "身分證統一編號或居留證統一證號");
    assert_eq!(labels[14], "上課日期");
    let required: Vec<&str> = RECORD_COLUMNS
        .iter()
        .filter(|c| c.required)
        .map(|c| c.key)
        .collect();
    assert_eq!(required, REQUIRED);
    assert_eq!(FORMAT_VERSION, "1");
}

#[test]
fn position_constants_name_their_columns() {
    for (index, key) in [
        (at::PARTNER_COURSE_ID, "partner_course_id"),
        (at::COURSE_NAME, "course_name"),
        (at::ORGANISER_CODE, "organiser_code"),
        (at::ORGANISER_NAME, "organiser_name"),
        (at::START_DATE, "start_date"),
        (at::END_DATE, "end_date"),
        (at::CATEGORY, "category"),
        (at::STAGE, "stage"),
        (at::CLASS_TYPE, "class_type"),
        (at::TAGS, "tags"),
        (at::PARTNER_RECORD_ID, "partner_record_id"),
        (at::IDENTITY_NUMBER, "identity_number"),
        (at::TEACHER_NAME, "teacher_name"),
        (at::HOURS, "hours"),
        (at::ATTENDED_ON, "attended_on"),
    ] {
        assert_eq!(RECORD_COLUMNS[index].key, key);
    }
}

#[test]
fn keys_and_labels_are_unique_and_help_is_one_line_with_the_real_limits() {
    for (i, column) in RECORD_COLUMNS.iter().enumerate() {
        assert!(
            column
                .key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_')
        );
        assert!(!column.help.is_empty() && !column.help.contains('\n'));
        assert!(!column.label.is_empty());
        for other in &RECORD_COLUMNS[..i] {
            assert_ne!(column.key, other.key);
            assert_ne!(column.label, other.label);
        }
    }
    let help = |key| column_by_header(key).unwrap().help;
    assert!(help("course_name").contains(&MAX_NAME_CHARS.to_string()));
    assert!(help("tags").contains(&MAX_TAGS.to_string()));
    assert!(help("hours").contains(&MAX_HOURS.to_string()));
}

#[test]
fn headers_match_keys_in_any_case_and_labels() {
    for header in [
        "course_name",
        "COURSE_NAME",
        " Course_Name ",
        "課程名稱",
        " 課程名稱\t",
        "\u{feff}course_name",
    ] {
        assert_eq!(
            column_by_header(header).map(|c| c.key),
            Some("course_name"),
            "{header:?}"
        );
    }
    for header in ["", "course name", "課程 名稱", "name", "課程名稱(必填)"] {
        assert_eq!(column_by_header(header), None, "{header:?}");
    }
}

#[test]
fn a_header_in_any_order_maps_cells_to_columns() {
    let mut headers: Vec<String> = REQUIRED.iter().rev().map(|k| (*k).to_owned()).collect();
    // A label instead of a key, and a blank trailing column as spreadsheets export.
    headers[0] = "研習時數".to_owned();
    headers.push("tags".to_owned());
    headers.push(" ".to_owned());
    let map = map_header(&headers).unwrap();
    let mut cells: Vec<String> = (0..headers.len()).map(|i| format!("v{i}")).collect();
    let row = map.row(&cells);
    assert_eq!(row.get("hours"), Some("v0"));
    assert_eq!(row.get("partner_course_id"), Some("v11"));
    assert_eq!(row.get("tags"), Some("v12"));
    assert_eq!(row.get("attended_on"), None, "not in the header");
    assert_eq!(row.get("no_such_column"), None);
    cells.truncate(5);
    let short = map.row(&cells);
    assert_eq!(short.get("hours"), Some("v0"));
    assert_eq!(
        short.get("partner_course_id"),
        None,
        "past the end of a short row"
    );
}

#[test]
fn a_bad_header_reports_every_problem() {
    let mut headers = strings(&REQUIRED[..10]);
    headers.push("備註".to_owned());
    headers.push("開始日期".to_owned());
    let errors = map_header(&headers).unwrap_err();
    assert_eq!(
        codes(&errors),
        [
            ("file", "unknown_column"),
            ("file", "duplicate_column"),
            ("teacher_name", "missing_column"),
            ("hours", "missing_column"),
        ]
    );
    assert!(errors.0[0].message.contains("第 11 欄「備註」"));
    assert!(errors.0[2].message.contains("姓名"));
    let long = "欄".repeat(500);
    let errors = map_header(&[long]).unwrap_err();
    assert!(
        errors.0[0].message.chars().count() < 80,
        "quoted headers are cut short"
    );
}

#[test]
fn rows_from_pairs_are_owned_and_keyed_exactly() {
    let row = RawRow::from_pairs([
        ("course_name".to_owned(), "海洋教育研習".to_owned()),
        ("hours".to_owned(), "3".to_owned()),
    ])
    .unwrap();
    assert_eq!(row.get("course_name"), Some("海洋教育研習"));
    assert_eq!(row.get("hours"), Some("3"));
    assert_eq!(row.get("tags"), None);
    let errors = RawRow::from_pairs([
        ("hours".to_owned(), "3".to_owned()),
        ("Hours".to_owned(), "3".to_owned()),
        ("課程名稱".to_owned(), "x".to_owned()),
        ("hours".to_owned(), "4".to_owned()),
    ])
    .unwrap_err();
    assert_eq!(
        codes(&errors),
        [
            ("Hours", "unknown_column"),
            ("課程名稱", "unknown_column"),
            ("hours", "duplicate_column"),
        ]
    );
    assert_eq!(RawRow::from_pairs([]), Ok(RawRow::default()));
}
