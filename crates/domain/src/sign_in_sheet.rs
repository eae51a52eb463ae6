//! The attendance lines an organiser sends: typed in the sheet, or read from the filled
//! sign-in workbook (the `sign_in` export, one signature column per session).

use std::collections::{HashMap, HashSet};

use crate::FieldErrors;
use crate::course::Session;
use crate::roster::{AttendanceEntry, Mark, Missed, check_missed};
use crate::validation::Collector;

/// One attendance line as typed: the mark's code and, for attended, the minutes missed per
/// session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineInput<'a> {
    pub account_id: i32,
    pub mark: &'a str,
    pub sessions: Vec<Missed>,
}

/// Checks the organiser's lines against the course's sessions; every problem is named by its
/// place (`entries[2].mark`, `entries[0].sessions[1]`).
pub fn check_lines(
    input: &[LineInput],
    sessions: &[Session],
) -> Result<Vec<AttendanceEntry>, FieldErrors> {
    if input.is_empty() {
        return Err(FieldErrors::single(
            "entries",
            "required",
            "請至少送出一位教師的出席紀錄",
        ));
    }
    let mut e = Collector::default();
    let mut seen = HashSet::new();
    let mut entries = Vec::with_capacity(input.len());
    for (index, line) in input.iter().enumerate() {
        let field = |name: &str| format!("entries[{index}].{name}");
        if !seen.insert(line.account_id) {
            e.fail(field("account_id"), "duplicate", "同一位教師只能出現一次");
        }
        let Some(mark) = Mark::from_code(line.mark.trim()) else {
            e.fail(
                field("mark"),
                "invalid_choice",
                "mark 必須是 attended（出席）、leave（請假）或 absent（缺席）",
            );
            continue;
        };
        // Minutes missed only mean something for a teacher who came.
        let missed = if mark == Mark::Attended {
            line.sessions.clone()
        } else {
            Vec::new()
        };
        if e.check(check_missed(&field("sessions"), &missed, sessions))
            .is_some()
        {
            entries.push(AttendanceEntry {
                account_id: line.account_id,
                mark,
                missed,
            });
        }
    }
    e.finish()?;
    Ok(entries)
}

/// The header of the enrollment-number column, which marks the header row.
const ENROLLMENT_HEADER: &str = "報名編號";
/// Signature columns end with this; one per session, in the sessions' order.
const SIGNATURE_SUFFIX: &str = "簽名";
/// The notes column; 請假 in it turns missed sessions into leave.
const NOTE_HEADER: &str = "備註";

/// Reads the filled sign-in workbook (a table of cells, title rows first) into attendance
/// lines: a signed session is attended, an unsigned one missed (on leave when 備註 says 請假);
/// no signature at all is 缺席 (or 請假). `enrollment_accounts` maps the course's enrollment
/// numbers to their teachers' accounts.
pub fn sign_in_entries(
    table: &[Vec<String>],
    sessions: &[Session],
    enrollment_accounts: &HashMap<i32, i32>,
) -> Result<Vec<AttendanceEntry>, FieldErrors> {
    let Some((header_index, header, id_column)) =
        table.iter().enumerate().find_map(|(index, row)| {
            let column = row.iter().position(|c| c.trim() == ENROLLMENT_HEADER)?;
            Some((index, row, column))
        })
    else {
        return Err(FieldErrors::single(
            "file",
            "not_a_sign_in_sheet",
            "這不是本系統匯出的簽到表（找不到「報名編號」欄）",
        ));
    };
    let signature_columns: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, c)| c.trim().ends_with(SIGNATURE_SUFFIX))
        .map(|(i, _)| i)
        .collect();
    if signature_columns.len() != sessions.len() {
        return Err(FieldErrors::single(
            "file",
            "wrong_session_count",
            format!(
                "簽到表有 {} 個簽名欄，課程有 {} 個場次；請下載最新的簽到表",
                signature_columns.len(),
                sessions.len()
            ),
        ));
    }
    let note_column = header.iter().position(|c| c.trim() == NOTE_HEADER);
    let mut e = Collector::default();
    let mut entries = Vec::new();
    for (offset, row) in table.iter().skip(header_index + 1).enumerate() {
        // Spreadsheet rows count from 1, and the header row comes first.
        let row_number = header_index + offset + 2;
        let id_text = cell(row, id_column);
        if id_text.is_empty() {
            continue;
        }
        let Some(account_id) = enrollment_number(id_text).and_then(|n| enrollment_accounts.get(&n))
        else {
            e.fail(
                format!("row {row_number}: 報名編號"),
                "unknown_enrollment",
                format!("報名編號 {id_text} 不在這門課程的錄取名單上"),
            );
            continue;
        };
        let on_leave = note_column.is_some_and(|c| cell(row, c).contains("請假"));
        let signed: Vec<bool> = signature_columns
            .iter()
            .map(|c| !cell(row, *c).is_empty())
            .collect();
        entries.push(row_entry(*account_id, &signed, on_leave, sessions));
    }
    e.finish()?;
    if entries.is_empty() {
        return Err(FieldErrors::single(
            "file",
            "empty_sheet",
            "簽到表上沒有任何報名編號",
        ));
    }
    Ok(entries)
}

/// A cell's trimmed text; a short row's missing cells are blank.
fn cell(row: &[String], column: usize) -> &str {
    row.get(column).map(|c| c.trim()).unwrap_or_default()
}

/// An enrollment number as a spreadsheet gives it back: `12` or `12.0`.
fn enrollment_number(text: &str) -> Option<i32> {
    text.parse::<f64>()
        .ok()
        .filter(|n| n.fract() == 0.0)
        .map(|n| n as i32)
}

/// One row's attendance from its signatures, one per session.
fn row_entry(
    account_id: i32,
    signed: &[bool],
    on_leave: bool,
    sessions: &[Session],
) -> AttendanceEntry {
    let (mark, missed) = if signed.iter().all(|s| *s) {
        (Mark::Attended, Vec::new())
    } else if !signed.iter().any(|s| *s) {
        (
            if on_leave { Mark::Leave } else { Mark::Absent },
            Vec::new(),
        )
    } else {
        let missed = signed
            .iter()
            .zip(sessions)
            .map(|(signed, session)| match (signed, on_leave) {
                (true, _) => Missed::default(),
                (false, true) => Missed {
                    unexcused_minutes: 0,
                    leave_minutes: session.minutes(),
                },
                (false, false) => Missed {
                    unexcused_minutes: session.minutes(),
                    leave_minutes: 0,
                },
            })
            .collect();
        (Mark::Attended, missed)
    };
    AttendanceEntry {
        account_id,
        mark,
        missed,
    }
}

#[cfg(test)]
#[path = "sign_in_sheet_tests.rs"]
mod tests;
