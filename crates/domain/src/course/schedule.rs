//! When a course runs and when teachers may register: sessions (one continuous block of class
//! each), the registration window, all in Taiwan time (UTC+8, no daylight saving).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::FieldErrors;
use crate::validation::Collector;

/// Asia/Taipei: UTC+8 all year (checked when compiling: the offset is in range).
pub const TAIPEI: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// Asia/Taipei: UTC+8 all year.
pub fn taipei() -> FixedOffset {
    TAIPEI
}

/// The current date in Taiwan.
pub fn taipei_today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&taipei()).date_naive()
}

/// A Taiwan wall-clock time as an instant.
pub fn from_taipei(local: NaiveDateTime) -> DateTime<Utc> {
    // A fixed offset maps every local time to one instant; only the very ends of chrono's
    // range (year ±262,000) have none, and those stay where they are.
    local.checked_sub_offset(TAIPEI).unwrap_or(local).and_utc()
}

/// One continuous block of class on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session {
    pub date: NaiveDate,
    pub starts_at: NaiveTime,
    pub ends_at: NaiveTime,
}

impl Session {
    pub fn minutes(&self) -> u32 {
        (self.ends_at - self.starts_at).num_minutes().max(0) as u32
    }

    pub fn start(&self) -> DateTime<Utc> {
        from_taipei(self.date.and_time(self.starts_at))
    }

    pub fn end(&self) -> DateTime<Utc> {
        from_taipei(self.date.and_time(self.ends_at))
    }
}

/// A session as typed in a form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionInput {
    pub date: String,
    pub starts_at: String,
    pub ends_at: String,
}

pub const MAX_SESSIONS: usize = 100;

pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate, FieldErrors> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldErrors::single(field, "required", "請填寫日期"));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        FieldErrors::single(
            field,
            "invalid_date",
            "日期格式應為 YYYY-MM-DD（西元年），例如 2026-12-05",
        )
    })
}

pub fn parse_time(field: &str, text: &str) -> Result<NaiveTime, FieldErrors> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldErrors::single(field, "required", "請填寫時間"));
    }
    NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .map_err(|_| FieldErrors::single(field, "invalid_time", "時間格式應為 HH:MM，例如 09:00"))
}

/// A date and time of day in Taiwan (`2026-12-01T09:00`, seconds optional), or an RFC 3339
/// instant with its own offset.
pub fn parse_local_datetime(field: &str, text: &str) -> Result<DateTime<Utc>, FieldErrors> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldErrors::single(field, "required", "請填寫日期與時間"));
    }
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Ok(instant.with_timezone(&Utc));
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .map(from_taipei)
        .ok_or_else(|| {
            FieldErrors::single(
                field,
                "invalid_datetime",
                "日期時間格式應為 YYYY-MM-DDTHH:MM（臺灣時間），例如 2026-12-01T09:00",
            )
        })
}

/// Parses and checks the sessions: at least one, each ending after it starts, in order and
/// without overlaps. Errors name the session, e.g. `sessions[1].ends_at`.
pub fn parse_sessions(inputs: &[SessionInput]) -> Result<Vec<Session>, FieldErrors> {
    if inputs.is_empty() {
        return Err(FieldErrors::single(
            "sessions",
            "required",
            "請至少填寫一個上課場次（日期與起訖時間）",
        ));
    }
    if inputs.len() > MAX_SESSIONS {
        return Err(FieldErrors::single(
            "sessions",
            "too_many",
            format!("上課場次最多 {MAX_SESSIONS} 個"),
        ));
    }
    let mut errors = Collector::default();
    let mut sessions = Vec::with_capacity(inputs.len());
    for (index, input) in inputs.iter().enumerate() {
        let field = |name: &str| format!("sessions[{index}].{name}");
        let date = errors.check(parse_date(&field("date"), &input.date));
        let starts_at = errors.check(parse_time(&field("starts_at"), &input.starts_at));
        let ends_at = errors.check(parse_time(&field("ends_at"), &input.ends_at));
        let (Some(date), Some(starts_at), Some(ends_at)) = (date, starts_at, ends_at) else {
            continue;
        };
        if ends_at <= starts_at {
            errors.check::<()>(Err(FieldErrors::single(
                field("ends_at"),
                "out_of_order",
                "結束時間必須晚於開始時間",
            )));
            continue;
        }
        let session = Session {
            date,
            starts_at,
            ends_at,
        };
        if let Some(previous) = sessions.last()
            && session.start() < Session::end(previous)
        {
            errors.check::<()>(Err(FieldErrors::single(
                field("date"),
                "out_of_order",
                "場次必須依時間先後排列且不可重疊",
            )));
        }
        sessions.push(session);
    }
    errors.finish()?;
    Ok(sessions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(date: &str, starts: &str, ends: &str) -> SessionInput {
        SessionInput {
            date: date.into(),
            starts_at: starts.into(),
            ends_at: ends.into(),
        }
    }

    fn fields(result: Result<Vec<Session>, FieldErrors>) -> Vec<(String, &'static str)> {
        result
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn taiwan_time_is_eight_hours_ahead_of_utc() {
        let instant = parse_local_datetime("f", "2026-12-01T09:00").unwrap();
        assert_eq!(instant.to_rfc3339(), "2026-12-01T01:00:00+00:00");
        let late_evening = "2026-11-30T17:30:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            taipei_today(late_evening),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
        );
    }

    #[test]
    fn registration_times_accept_seconds_a_space_or_an_explicit_offset() {
        let expected = parse_local_datetime("f", "2026-12-01T09:00").unwrap();
        for text in [
            "2026-12-01T09:00:00",
            "2026-12-01 09:00",
            "2026-12-01T09:00:00+08:00",
            "2026-12-01T01:00:00Z",
        ] {
            assert_eq!(parse_local_datetime("f", text), Ok(expected), "{text}");
        }
        let error = parse_local_datetime("opens", "12/01/2026").unwrap_err();
        assert_eq!(error.0[0].code, "invalid_datetime");
        assert_eq!(
            parse_local_datetime("opens", " ").unwrap_err().0[0].code,
            "required"
        );
    }

    #[test]
    fn sessions_are_parsed_with_their_length() {
        let sessions = parse_sessions(&[
            input("2026-12-05", "09:00", "12:00"),
            input("2026-12-05", "13:30", "16:30"),
        ])
        .unwrap();
        assert_eq!(sessions.len(), 2);
        assert_eq!(sessions[0].minutes(), 180);
        assert_eq!(
            sessions[1].start().to_rfc3339(),
            "2026-12-05T05:30:00+00:00"
        );
    }

    #[test]
    fn a_course_needs_a_session() {
        assert_eq!(
            fields(parse_sessions(&[])),
            [("sessions".into(), "required")]
        );
    }

    #[test]
    fn each_bad_part_of_a_session_is_named() {
        let errors = fields(parse_sessions(&[
            input("2026-13-01", "9", "12:00"),
            input("2026-12-06", "12:00", "09:00"),
        ]));
        assert_eq!(
            errors,
            [
                ("sessions[0].date".into(), "invalid_date"),
                ("sessions[0].starts_at".into(), "invalid_time"),
                ("sessions[1].ends_at".into(), "out_of_order"),
            ]
        );
    }

    #[test]
    fn sessions_must_not_overlap_or_go_back_in_time() {
        let errors = fields(parse_sessions(&[
            input("2026-12-05", "09:00", "12:00"),
            input("2026-12-05", "11:00", "13:00"),
        ]));
        assert_eq!(errors, [("sessions[1].date".into(), "out_of_order")]);
        let errors = fields(parse_sessions(&[
            input("2026-12-06", "09:00", "12:00"),
            input("2026-12-05", "09:00", "12:00"),
        ]));
        assert_eq!(errors, [("sessions[1].date".into(), "out_of_order")]);
        // Back to back is fine.
        assert!(
            parse_sessions(&[
                input("2026-12-05", "09:00", "12:00"),
                input("2026-12-05", "12:00", "13:00"),
            ])
            .is_ok()
        );
    }
}
