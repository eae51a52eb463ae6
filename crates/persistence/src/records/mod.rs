//! After the course: attendance and the hours it earns, the roster's submission and
//! confirmation (which writes each teacher's training record and closes the course), amendments
//! of closed courses, teachers' records and verifiable transcripts, the units' dashboards and
//! the feedback questionnaire.

pub(crate) mod amendments;
mod attendance;
mod dashboard;
mod demo;
mod feedback;
mod roster;
pub(crate) mod transcripts;

use chrono::NaiveDate;
use inservice_domain::roster::{Mark, Missed};

pub use amendments::Amendment;
pub use attendance::{AttendanceEntry, AttendanceRow};
pub use dashboard::PendingCourse;
pub use roster::RosterFacts;
pub use transcripts::{RecordStanding, TrainingRecord, Transcript, sha256_hex};

use crate::StorageError;

/// Why a change after the course did not happen.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("no such course")]
    CourseNotFound,
    #[error("not found")]
    NotFound,
    /// The course or roster is not in a state that allows this (code says which).
    #[error("not possible now: {0}")]
    NotNow(&'static str),
    /// Someone else changed the course meanwhile.
    #[error("the course changed meanwhile")]
    Stale,
    #[error("invalid: {0:?}")]
    Invalid(inservice_domain::FieldErrors),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sea_orm::DbErr> for RecordError {
    fn from(error: sea_orm::DbErr) -> Self {
        RecordError::Storage(StorageError::Database(error))
    }
}

impl From<crate::courses::CourseError> for RecordError {
    fn from(error: crate::courses::CourseError) -> Self {
        use crate::courses::CourseError as E;
        match error {
            E::NotFound => RecordError::CourseNotFound,
            E::Stale => RecordError::Stale,
            E::Transition(_) => RecordError::NotNow("invalid_course_state"),
            E::Invalid(errors) => RecordError::Invalid(errors),
            E::NotDeletable | E::Limit(_) => RecordError::NotNow("invalid_course_state"),
            E::Storage(e) => RecordError::Storage(e),
        }
    }
}

/// `[[unexcused, leave], …]`, as stored.
pub(crate) fn missed_json(missed: &[Missed]) -> String {
    let rows: Vec<serde_json::Value> = missed
        .iter()
        .map(|m| serde_json::Value::from(vec![m.unexcused_minutes, m.leave_minutes]))
        .collect();
    serde_json::Value::Array(rows).to_string()
}

pub(crate) fn parse_missed(text: &str) -> Result<Vec<Missed>, StorageError> {
    let rows: Vec<[u32; 2]> = serde_json::from_str(text)
        .map_err(|_| StorageError::Corrupt("attendance sessions are unreadable".into()))?;
    Ok(rows
        .into_iter()
        .map(|[unexcused, leave]| Missed {
            unexcused_minutes: unexcused,
            leave_minutes: leave,
        })
        .collect())
}

pub(crate) fn mark_of(code: &str) -> Result<Mark, StorageError> {
    Mark::from_code(code).ok_or_else(|| StorageError::Corrupt(format!("unknown mark {code}")))
}

/// `[[date, half-hours], …]`, as stored on a record.
pub(crate) fn days_json(days: &[(NaiveDate, u32)]) -> String {
    let rows: Vec<serde_json::Value> = days
        .iter()
        .map(|(d, h)| serde_json::Value::Array(vec![d.to_string().into(), (*h).into()]))
        .collect();
    serde_json::Value::Array(rows).to_string()
}

pub(crate) fn parse_days(text: &str) -> Vec<(NaiveDate, u32)> {
    let rows: Vec<(String, u32)> = serde_json::from_str(text).unwrap_or_default();
    rows.into_iter()
        .filter_map(|(d, h)| d.parse().ok().map(|d| (d, h)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_json_keeps_its_compact_form_and_reads_back() {
        let missed = [
            Missed {
                unexcused_minutes: 30,
                leave_minutes: 0,
            },
            Missed::default(),
        ];
        let text = missed_json(&missed);
        assert_eq!(text, "[[30,0],[0,0]]");
        assert_eq!(parse_missed(&text).unwrap(), missed);
        let day = NaiveDate::from_ymd_opt(2026, 12, 19).unwrap();
        let text = days_json(&[(day, 6)]);
        assert_eq!(text, r#"[["2026-12-19",6]]"#);
        assert_eq!(parse_days(&text), [(day, 6)]);
    }
}
