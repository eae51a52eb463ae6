use std::collections::BTreeSet;

use super::*;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

const VALID: [(&str, &str); 15] = [
    ("partner_course_id", "TPE-2026:001"),
    ("course_name", "112學年度海洋教育研習"),
    ("organiser_code", " Taipei-EDU "),
    ("organiser_name", "臺北市立教師研習中心"),
    ("start_date", "2026-03-02"),
    ("end_date", "2026/03/04"),
    ("category", "1"),
    ("stage", "junior_high"),
    ("class_type", "1-1"),
    ("tags", "海洋教育"),
    ("partner_record_id", "r.0001_a"),
    ("identity_number", "a123456789"),
    ("teacher_name", " 王小明 "),
    ("hours", "6"),
    ("attended_on", "2026-03-04;2026-03-02"),
];

fn row_with(changes: &[(&str, &str)]) -> RawRow<'static> {
    let pairs = VALID.iter().map(|(key, value)| {
        let value = changes
            .iter()
            .find(|(k, _)| k == key)
            .map_or(*value, |(_, v)| *v);
        ((*key).to_owned(), value.to_owned())
    });
    RawRow::from_pairs(pairs).unwrap()
}

fn known(name: &str) -> bool {
    ["海洋教育", "環境教育", "性別平等教育", "資訊教育"].contains(&name)
}

fn check(changes: &[(&str, &str)]) -> Result<ExchangeRow, FieldErrors> {
    validate_row(&row_with(changes), &known)
}

fn errors_of(changes: &[(&str, &str)]) -> Vec<(String, &'static str)> {
    check(changes)
        .unwrap_err()
        .0
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect()
}

/// The single error of a row with `changes`, as (field, code).
fn error_of(changes: &[(&str, &str)]) -> (String, &'static str) {
    let errors = errors_of(changes);
    assert_eq!(errors.len(), 1, "{changes:?}: {errors:?}");
    errors.into_iter().next().unwrap()
}

fn pair(field: &str, code: &'static str) -> (String, &'static str) {
    (field.to_owned(), code)
}

#[test]
fn a_valid_row_becomes_course_and_record_facts() {
    let row = check(&[]).unwrap();
    assert_eq!(
        row.course,
        CourseFacts {
            partner_course_id: "TPE-2026:001".to_owned(),
            name: "112學年度海洋教育研習".to_owned(),
            organiser_code: Some("taipei-edu".to_owned()),
            organiser_name: "臺北市立教師研習中心".to_owned(),
            start_date: date("2026-03-02"),
            end_date: date("2026-03-04"),
            category: "1".to_owned(),
            stage: Stage::JuniorHigh,
            class_type: "1-1".to_owned(),
            tags: vec!["海洋教育".to_owned()],
        }
    );
    let record = &row.record;
    assert_eq!(record.partner_record_id, "r.0001_a");
    assert_eq!(record.identity.expose(), "A123456789");
    assert_eq!(record.teacher_name, "王小明");
    assert_eq!(record.half_hours, 12);
    assert_eq!(
        record.days,
        [(date("2026-03-02"), 6), (date("2026-03-04"), 6)]
    );
    let key = row.record_key();
    assert_eq!(
        (key.name, key.start_date, key.end_date, key.half_hours),
        (
            "112學年度海洋教育研習",
            date("2026-03-02"),
            date("2026-03-04"),
            12
        )
    );
}

#[test]
fn every_problem_of_a_row_is_reported_at_once() {
    let errors = errors_of(&[
        ("partner_course_id", "課程/1"),
        ("course_name", "研習\u{7}"),
        ("start_date", "2026-02-30"),
        ("category", "7"),
        ("stage", "college"),
        ("class_type", "1-9"),
        ("tags", "海洋教育;不存在"),
        ("identity_number", "A123456788"),
        ("teacher_name", ""),
        ("hours", "2.3"),
    ]);
    assert_eq!(
        errors,
        [
            pair("partner_course_id", "invalid_id"),
            pair("course_name", "control_character"),
            pair("start_date", "invalid_date"),
            pair("category", "invalid_category"),
            pair("stage", "invalid_stage"),
            pair("class_type", "invalid_class_type"),
            pair("tags", "unknown_tag"),
            pair("identity_number", "invalid_identity_checksum"),
            pair("teacher_name", "required"),
            pair("hours", "invalid_hours"),
        ]
    );
}

#[test]
fn each_required_column_left_blank_or_missing_is_required() {
    for column in RECORD_COLUMNS.iter().filter(|c| c.required) {
        assert_eq!(
            error_of(&[(column.key, "  ")]),
            pair(column.key, "required"),
            "{}",
            column.key
        );
        let pairs = VALID
            .iter()
            .filter(|(key, _)| *key != column.key)
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()));
        let raw = RawRow::from_pairs(pairs).unwrap();
        let FieldErrors(errors) = validate_row(&raw, &known).unwrap_err();
        assert_eq!(errors.len(), 1, "{}", column.key);
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code),
            (column.key, "required")
        );
        assert!(errors[0].message.contains(column.label));
    }
}

#[test]
fn optional_columns_may_be_left_blank() {
    let row = check(&[("organiser_code", ""), ("tags", " "), ("attended_on", "")]).unwrap();
    assert_eq!(row.course.organiser_code, None);
    assert!(row.course.tags.is_empty());
    assert_eq!(
        row.record.days,
        [(date("2026-03-02"), 12)],
        "the start date"
    );
}

#[test]
fn partner_ids_are_short_and_plain() {
    for id in ["a", "ABC-123", "x.y_z:1-2", &"9".repeat(64)] {
        let row = check(&[("partner_course_id", id), ("partner_record_id", id)]).unwrap();
        assert_eq!(row.course.partner_course_id, id);
        assert_eq!(row.record.partner_record_id, id);
    }
    for (id, code) in [
        ("課程一", "invalid_id"),
        ("a b", "invalid_id"),
        ("a/b", "invalid_id"),
        ("a\u{0}", "invalid_id"),
        (&"9".repeat(65), "too_long"),
    ] {
        assert_eq!(
            error_of(&[("partner_record_id", id)]),
            pair("partner_record_id", code)
        );
    }
}

#[test]
fn names_are_one_line_within_their_limits() {
    for (field, max) in [
        ("course_name", MAX_NAME_CHARS),
        ("organiser_name", MAX_ORGANISER_NAME_CHARS),
        ("teacher_name", MAX_TEACHER_NAME_CHARS),
    ] {
        let longest = "字".repeat(max);
        assert!(check(&[(field, &longest)]).is_ok(), "{field}");
        let longer = "字".repeat(max + 1);
        assert_eq!(error_of(&[(field, &longer)]), pair(field, "too_long"));
        assert_eq!(
            error_of(&[(field, "甲\n乙")]),
            pair(field, "control_character")
        );
    }
}

#[test]
fn organiser_codes_are_lower_cased_and_plain() {
    let code = |text| check(&[("organiser_code", text)]).map(|r| r.course.organiser_code);
    assert_eq!(code("A").unwrap().as_deref(), Some("a"));
    assert_eq!(code(&"b".repeat(32)).unwrap(), Some("b".repeat(32)));
    for bad in ["tpe_edu", "臺北", "a.b", &"b".repeat(33)] {
        assert_eq!(
            error_of(&[("organiser_code", bad)]),
            pair("organiser_code", "invalid_code"),
            "{bad:?}"
        );
    }
}

#[test]
fn dates_are_read_in_the_forms_partners_write() {
    for text in [
        "2026-03-02",
        "2026/03/02",
        "2026/3/2",
        "2026.3.2",
        " 2026-03-02 ",
        "115/03/02",
        "115-3-2",
        "115.03.02",
        "1150302",
        "20260302",
    ] {
        assert_eq!(parse_date(text), Some(date("2026-03-02")), "{text:?}");
    }
    assert_eq!(parse_date("99/12/31"), Some(date("2010-12-31")));
    assert_eq!(parse_date("1/1/1"), Some(date("1912-01-01")), "ROC year 1");
    for bad in [
        "",
        "2026-02-30",
        "2026-13-01",
        "2026-03",
        "2026-03-02-01",
        "2026-003-02",
        "03/02/2026",
        "0/1/1",
        "1911-12-31",
        "10000-01-01",
        "150302",
        "115030",
        "115年3月2日",
        "2026-03-02T08:00",
        "+2026-03-02",
        "２０２６-03-02",
    ] {
        assert_eq!(parse_date(bad), None, "{bad:?}");
    }
    assert_eq!(
        error_of(&[("end_date", "明天")]),
        pair("end_date", "invalid_date")
    );
}

#[test]
fn a_course_ends_on_or_after_its_start_within_366_days() {
    assert!(check(&[("end_date", "2026-03-02"), ("attended_on", "")]).is_ok());
    assert_eq!(
        error_of(&[("end_date", "2026-03-01"), ("attended_on", "")]),
        pair("end_date", "end_before_start")
    );
    let start = date("2026-03-02");
    let last = start + Days::new(MAX_COURSE_SPAN_DAYS);
    assert!(check(&[("end_date", &last.to_string())]).is_ok());
    let past = (last + Days::new(1)).to_string();
    assert_eq!(
        error_of(&[("end_date", &past)]),
        pair("end_date", "course_too_long")
    );
}

#[test]
fn categories_are_codes_or_labels() {
    for (code, label) in CATEGORIES {
        for text in [*code, *label] {
            assert_eq!(check(&[("category", text)]).unwrap().course.category, *code);
        }
    }
    for bad in ["0", "7", "1-1", "課程"] {
        assert_eq!(
            error_of(&[("category", bad)]),
            pair("category", "invalid_category")
        );
    }
}

#[test]
fn stages_are_codes_or_labels() {
    for stage in Stage::ALL {
        for text in [stage.code(), stage.label()] {
            assert_eq!(check(&[("stage", text)]).unwrap().course.stage, stage);
        }
    }
    for bad in ["JUNIOR_HIGH", "國中", "university"] {
        assert_eq!(error_of(&[("stage", bad)]), pair("stage", "invalid_stage"));
    }
}

#[test]
fn class_types_are_codes_or_labels_as_typed() {
    for (code, label) in CLASS_TYPES {
        for text in [*code, *label] {
            assert_eq!(
                check(&[("class_type", text)]).unwrap().course.class_type,
                *code
            );
        }
    }
    for text in [
        "非學分班(校本研習)",
        "非學分班（校本研習）",
        "非學分班 （校本研習）",
    ] {
        assert_eq!(
            check(&[("class_type", text)]).unwrap().course.class_type,
            "1-2"
        );
    }
    for bad in ["1-0", "1-9", "學分班", "1"] {
        assert_eq!(
            error_of(&[("class_type", bad)]),
            pair("class_type", "invalid_class_type")
        );
    }
}

#[test]
fn tags_are_known_names_without_repeats() {
    let tags = |text| check(&[("tags", text)]).map(|r| r.course.tags);
    assert_eq!(
        tags("海洋教育；環境教育、 海洋教育 ;資訊教育;").unwrap(),
        ["海洋教育", "環境教育", "資訊教育"]
    );
    assert_eq!(
        error_of(&[("tags", "海洋教育;環境教育;資訊教育;性別平等教育")]),
        pair("tags", "too_many_tags")
    );
    let errors = errors_of(&[("tags", "海洋教育;甲;乙")]);
    assert_eq!(
        errors,
        [pair("tags", "unknown_tag"), pair("tags", "unknown_tag")]
    );
    let FieldErrors(errors) = check(&[("tags", "甲")]).unwrap_err();
    assert!(errors[0].message.contains("「甲」"));
}

#[test]
fn hours_are_exact_half_hour_steps() {
    for (text, half_hours) in [
        ("3", 6),
        ("3.0", 6),
        ("3.00", 6),
        ("2.5", 5),
        ("2.50", 5),
        ("0.5", 1),
        ("03", 6),
        (" 18 ", 36),
        ("400", 800),
        ("400.0", 800),
    ] {
        assert_eq!(parse_half_hours(text), Some(half_hours), "{text:?}");
    }
    for bad in [
        "",
        "0",
        "0.0",
        "2.3",
        "2.05",
        "-1",
        "+1",
        "abc",
        ".5",
        "3.",
        "1e2",
        "1,5",
        "400.5",
        "401",
        "99999999999",
        "3 小時",
        "３",
    ] {
        assert_eq!(parse_half_hours(bad), None, "{bad:?}");
    }
    // Every step the format allows reads back from its decimal form.
    for half_hours in 1..=800u32 {
        let text = format!(
            "{}.{}",
            half_hours / 2,
            if half_hours % 2 == 1 { 5 } else { 0 }
        );
        assert_eq!(parse_half_hours(&text), Some(half_hours), "{text}");
    }
    assert_eq!(
        error_of(&[("hours", "2.3")]),
        pair("hours", "invalid_hours")
    );
}

#[test]
fn attended_dates_are_sorted_without_repeats_within_the_course() {
    let days = |text| check(&[("hours", "7"), ("attended_on", text)]).map(|r| r.record.days);
    assert_eq!(
        days("2026-03-04; 115/03/03 ;2026-03-04；2026-03-02").unwrap(),
        [
            (date("2026-03-02"), 5),
            (date("2026-03-03"), 5),
            (date("2026-03-04"), 4),
        ]
    );
    let errors = errors_of(&[("attended_on", "2026-03-01;2026-03-03;x;2026-03-05")]);
    assert_eq!(
        errors,
        [
            pair("attended_on", "date_outside_course"),
            pair("attended_on", "invalid_date"),
            pair("attended_on", "date_outside_course"),
        ]
    );
    // With the course's dates wrong, only the end date is reported, not every attended day.
    assert_eq!(
        errors_of(&[("end_date", "2026-03-01")]),
        [pair("end_date", "end_before_start")]
    );
}

#[test]
fn hours_are_split_evenly_over_the_days_remainder_first() {
    let days: Vec<NaiveDate> = (0..4).map(|n| date("2026-03-02") + Days::new(n)).collect();
    let split = |half_hours, n: usize| -> Vec<u32> {
        split_half_hours(half_hours, &days[..n])
            .into_iter()
            .map(|(_, h)| h)
            .collect()
    };
    assert_eq!(split(12, 2), [6, 6]);
    assert_eq!(split(7, 3), [3, 2, 2]);
    assert_eq!(split(2, 4), [1, 1], "days with nothing are dropped");
    assert!(split_half_hours(5, &[]).is_empty());
    for half_hours in 0..=40 {
        for n in 1..=4 {
            let parts = split_half_hours(half_hours, &days[..n]);
            assert_eq!(parts.iter().map(|(_, h)| h).sum::<u32>(), half_hours);
            let amounts: BTreeSet<u32> = parts.iter().map(|(_, h)| *h).collect();
            assert!(amounts.len() <= 2, "{half_hours} over {n}: {parts:?}");
            assert!(
                parts
                    .windows(2)
                    .all(|w| w[0].0 < w[1].0 && w[0].1 >= w[1].1)
            );
        }
    }
}

#[test]
fn identity_numbers_are_checked_and_normalised() {
    for id in ["A800000014", "ac03095424"] {
        let row = check(&[("identity_number", id)]).unwrap();
        assert_eq!(row.record.identity.expose(), id.to_ascii_uppercase());
    }
    assert_eq!(
        error_of(&[("identity_number", "A12345678")]),
        pair("identity_number", "invalid_identity_format")
    );
}
