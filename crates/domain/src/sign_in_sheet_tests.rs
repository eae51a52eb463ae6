use chrono::{NaiveDate, NaiveTime};

use super::*;

fn sessions() -> Vec<Session> {
    let day = NaiveDate::from_ymd_opt(2026, 12, 19).unwrap();
    let at = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    vec![
        Session {
            date: day,
            starts_at: at(9),
            ends_at: at(12),
        },
        Session {
            date: day,
            starts_at: at(13),
            ends_at: at(16),
        },
    ]
}

fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
        .collect()
}

const HEADER: &[&str] = &[
    "報名編號",
    "序號",
    "姓名",
    "服務單位",
    "職稱",
    "2026-12-19 09:00–12:00 簽名",
    "2026-12-19 13:00–16:00 簽名",
    "備註",
];

#[test]
fn signatures_become_attendance_and_notes_saying_leave_become_leave() {
    let accounts = HashMap::from([(11, 101), (12, 102), (13, 103), (14, 104), (15, 105)]);
    let entries = sign_in_entries(
        &table(&[
            &["研習簽到表"],
            &[],
            HEADER,
            &["11", "1", "甲", "", "", "甲", "甲", ""],
            &["12", "2", "乙", "", "", "", "", ""],
            &["13", "3", "丙", "", "", "", "", "請假"],
            &["14", "4", "丁", "", "", "丁", "", ""],
            &["15.0", "5", "戊", "", "", "", "戊", "下午請假"],
            &["", "6", "", "", "", "", "", ""],
        ]),
        &sessions(),
        &accounts,
    )
    .unwrap();
    let marks: Vec<(i32, Mark)> = entries.iter().map(|e| (e.account_id, e.mark)).collect();
    assert_eq!(
        marks,
        [
            (101, Mark::Attended),
            (102, Mark::Absent),
            (103, Mark::Leave),
            (104, Mark::Attended),
            (105, Mark::Attended)
        ]
    );
    assert!(entries[0].missed.is_empty() && entries[1].missed.is_empty());
    assert_eq!(
        entries[3].missed,
        [
            Missed::default(),
            Missed {
                unexcused_minutes: 180,
                leave_minutes: 0
            }
        ]
    );
    assert_eq!(
        entries[4].missed,
        [
            Missed {
                unexcused_minutes: 0,
                leave_minutes: 180
            },
            Missed::default()
        ]
    );
}

#[test]
fn short_rows_and_padded_cells_are_read() {
    let accounts = HashMap::from([(11, 101)]);
    let entries = sign_in_entries(
        &table(&[&[" 報名編號 ", "一 簽名 ", "二 簽名"], &[" 11 ", " x "]]),
        &sessions(),
        &accounts,
    )
    .unwrap();
    assert_eq!(entries[0].mark, Mark::Attended);
    assert_eq!(entries[0].missed[1].unexcused_minutes, 180);
}

#[test]
fn foreign_sheets_and_unknown_rows_are_refused_with_their_row() {
    let accounts = HashMap::from([(11, 101)]);
    let error = sign_in_entries(&table(&[&["姓名"]]), &sessions(), &accounts).unwrap_err();
    assert_eq!(error.0[0].code, "not_a_sign_in_sheet");
    let error = sign_in_entries(
        &table(&[
            &["title"],
            HEADER,
            &["99", "1", "甲", "", "", "甲", "甲", ""],
            &["11.5", "2", "乙", "", "", "乙", "乙", ""],
            &["abc", "3", "丙", "", "", "丙", "丙", ""],
        ]),
        &sessions(),
        &accounts,
    )
    .unwrap_err();
    let fields: Vec<(&str, &str)> = error.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        fields,
        [
            ("row 3: 報名編號", "unknown_enrollment"),
            ("row 4: 報名編號", "unknown_enrollment"),
            ("row 5: 報名編號", "unknown_enrollment")
        ]
    );
    assert_eq!(error.0[0].message, "報名編號 99 不在這門課程的錄取名單上");
    let error = sign_in_entries(
        &table(&[&["報名編號", "一 簽名"], &["11", "x"]]),
        &sessions(),
        &accounts,
    )
    .unwrap_err();
    assert_eq!(error.0[0].code, "wrong_session_count");
    assert_eq!(
        error.0[0].message,
        "簽到表有 1 個簽名欄，課程有 2 個場次；請下載最新的簽到表"
    );
}

#[test]
fn a_sheet_without_enrollment_numbers_is_empty() {
    let error = sign_in_entries(
        &table(&[HEADER, &["", "1", "甲", "", "", "甲", "甲", ""]]),
        &sessions(),
        &HashMap::new(),
    )
    .unwrap_err();
    assert_eq!(error.0[0].code, "empty_sheet");
}

fn line(account_id: i32, mark: &'static str, sessions: Vec<Missed>) -> LineInput<'static> {
    LineInput {
        account_id,
        mark,
        sessions,
    }
}

#[test]
fn lines_are_checked_where_they_stand() {
    let input = vec![
        line(1, "present", vec![]),
        line(
            2,
            "attended",
            vec![
                Missed {
                    unexcused_minutes: 200,
                    leave_minutes: 0,
                },
                Missed::default(),
            ],
        ),
        line(2, "absent", vec![]),
    ];
    let error = check_lines(&input, &sessions()).unwrap_err();
    let fields: Vec<&str> = error.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "entries[0].mark",
            "entries[1].sessions[0]",
            "entries[2].account_id"
        ]
    );
    assert_eq!(error.0[0].code, "invalid_choice");
    assert_eq!(error.0[2].code, "duplicate");
    assert_eq!(
        check_lines(&[], &sessions()).unwrap_err().0[0].code,
        "required"
    );
}

#[test]
fn valid_lines_keep_minutes_only_for_attended() {
    let missed = vec![
        Missed {
            unexcused_minutes: 30,
            leave_minutes: 0,
        },
        Missed::default(),
    ];
    let entries = check_lines(
        &[
            line(1, " attended ", missed.clone()),
            line(2, "leave", missed.clone()),
        ],
        &sessions(),
    )
    .unwrap();
    assert_eq!(entries[0].missed, missed);
    assert_eq!(entries[1].mark, Mark::Leave);
    assert!(entries[1].missed.is_empty());
}
