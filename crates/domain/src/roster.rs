//! The roster (名單) after a course: when it is due (Art. 12-2: within a week of the end),
//! and the traffic lights (燈號) units and regional centres watch their unclosed courses by.

use chrono::NaiveDate;

use crate::FieldErrors;
use crate::course::{CourseForm, Session};
use crate::hours::{Attendance, Counting, SessionAttendance};
use crate::validation::Collector;

/// What the organiser records for a teacher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mark {
    /// 出席 (possibly late, leaving early or on leave for part of it).
    Attended,
    /// 請假 for the whole course.
    Leave,
    /// 缺席 without leave.
    Absent,
}

impl Mark {
    pub const ALL: [Mark; 3] = [Mark::Attended, Mark::Leave, Mark::Absent];

    pub fn code(self) -> &'static str {
        match self {
            Mark::Attended => "attended",
            Mark::Leave => "leave",
            Mark::Absent => "absent",
        }
    }

    pub fn from_code(code: &str) -> Option<Mark> {
        Mark::ALL.into_iter().find(|m| m.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Mark::Attended => "出席",
            Mark::Leave => "請假",
            Mark::Absent => "缺席",
        }
    }
}

/// What a teacher missed of one session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Missed {
    /// Late, early leave or away without leave.
    pub unexcused_minutes: u32,
    /// Approved leave.
    pub leave_minutes: u32,
}

/// One teacher's attendance as the organiser records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceEntry {
    pub account_id: i32,
    pub mark: Mark,
    /// Per session; empty means every session in full.
    pub missed: Vec<Missed>,
}

/// Checks the minutes missed against the sessions: one entry per session (or none for full
/// attendance), never more than the session lasts. Errors name `{field}[i]`.
pub fn check_missed(
    field: &str,
    missed: &[Missed],
    sessions: &[Session],
) -> Result<(), FieldErrors> {
    if !missed.is_empty() && missed.len() != sessions.len() {
        return Err(FieldErrors::single(
            field,
            "wrong_session_count",
            format!(
                "請為 {} 個場次各填一筆（或不填表示全程出席）",
                sessions.len()
            ),
        ));
    }
    let mut errors = Collector::default();
    for (index, (m, session)) in missed.iter().zip(sessions).enumerate() {
        if m.unexcused_minutes + m.leave_minutes > session.minutes() {
            errors.check::<()>(Err(FieldErrors::single(
                format!("{field}[{index}]"),
                "out_of_range",
                format!("第 {} 場只有 {} 分鐘", index + 1, session.minutes()),
            )));
        }
    }
    errors.finish()
}

/// The attendance the hour rules read, from the organiser's mark.
pub fn attendance_of(mark: Mark, missed: &[Missed], sessions: &[Session]) -> Attendance {
    match mark {
        Mark::Absent => Attendance::UnexcusedAbsence,
        Mark::Leave => Attendance::OnLeave,
        Mark::Attended => Attendance::Attended(
            sessions
                .iter()
                .enumerate()
                .map(|(index, session)| {
                    let m = missed.get(index).copied().unwrap_or_default();
                    SessionAttendance {
                        scheduled_minutes: session.minutes(),
                        unexcused_minutes: m.unexcused_minutes,
                        leave_minutes: m.leave_minutes,
                    }
                })
                .collect(),
        ),
    }
}

/// How a course counts hours: credits for credit classes, the declared hours for digital
/// courses (Art. 10-6), class time for the rest.
pub fn counting(form: &CourseForm) -> Counting {
    match form.credits {
        Some(credits) => Counting::Credits(credits),
        None if form.is_digital() => Counting::Declared {
            declared_half_hours: form.half_hours,
        },
        None => Counting::ClassTime {
            declared_half_hours: form.half_hours,
        },
    }
}

/// Rosters are due this many days after the course's last day.
pub const ROSTER_DUE_DAYS: i64 = 7;

/// The last day to submit the roster of a course that ended on `end`.
pub fn roster_due(end: NaiveDate) -> NaiveDate {
    end + chrono::Duration::days(ROSTER_DUE_DAYS)
}

/// Whether a roster submitted on `submitted` (Taiwan date) is late.
pub fn roster_late(end: NaiveDate, submitted: NaiveDate) -> bool {
    submitted > roster_due(end)
}

/// What a unclosed course is waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pending {
    /// Ended, roster not yet submitted (the unit's turn).
    RosterMissing,
    /// Roster submitted, waiting for the reviewer.
    AwaitingConfirmation,
    /// Roster returned by the reviewer (the unit's turn again).
    Returned,
}

impl Pending {
    pub fn code(self) -> &'static str {
        match self {
            Pending::RosterMissing => "roster_missing",
            Pending::AwaitingConfirmation => "awaiting_confirmation",
            Pending::Returned => "returned",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Pending::RosterMissing => "尚未登錄研習時數",
            Pending::AwaitingConfirmation => "名單待確認",
            Pending::Returned => "名單退回修正",
        }
    }
}

/// 燈號.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Light {
    Green,
    Yellow,
    Red,
}

impl Light {
    pub fn code(self) -> &'static str {
        match self {
            Light::Green => "green",
            Light::Yellow => "yellow",
            Light::Red => "red",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Light::Green => "綠燈（期限內）",
            Light::Yellow => "黃燈（即將或已逾期）",
            Light::Red => "紅燈（逾期過久）",
        }
    }
}

/// The light of a course waiting for `pending` since `since` (the course's last day, the
/// submission, or the return), seen on `today`:
/// - a missing roster is green for the week it is due in, yellow the week after, red later;
/// - a roster waiting for confirmation is green for three days (review takes at least three
///   working days, Art. 11-8), yellow to a week, red later;
/// - a returned roster is yellow for a week, red later.
pub fn light(pending: Pending, since: NaiveDate, today: NaiveDate) -> Light {
    let days = (today - since).num_days();
    match pending {
        Pending::RosterMissing if days <= ROSTER_DUE_DAYS => Light::Green,
        Pending::RosterMissing if days <= 2 * ROSTER_DUE_DAYS => Light::Yellow,
        Pending::AwaitingConfirmation if days <= 3 => Light::Green,
        Pending::AwaitingConfirmation | Pending::Returned if days <= 7 => Light::Yellow,
        _ => Light::Red,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn session(starts: u32, ends: u32) -> Session {
        Session {
            date: date("2026-12-19"),
            starts_at: chrono::NaiveTime::from_hms_opt(starts, 0, 0).unwrap(),
            ends_at: chrono::NaiveTime::from_hms_opt(ends, 0, 0).unwrap(),
        }
    }

    #[test]
    fn marks_become_the_attendance_the_hour_rules_read() {
        let sessions = [session(9, 12), session(13, 16)];
        assert_eq!(
            attendance_of(Mark::Absent, &[], &sessions),
            Attendance::UnexcusedAbsence
        );
        assert_eq!(
            attendance_of(Mark::Leave, &[], &sessions),
            Attendance::OnLeave
        );
        let late = [
            Missed {
                unexcused_minutes: 10,
                leave_minutes: 0,
            },
            Missed::default(),
        ];
        let Attendance::Attended(blocks) = attendance_of(Mark::Attended, &late, &sessions) else {
            panic!("attended");
        };
        assert_eq!(
            (blocks[0].scheduled_minutes, blocks[0].unexcused_minutes),
            (180, 10)
        );
        assert_eq!(blocks[1].attended_minutes(), 180);
        for mark in Mark::ALL {
            assert_eq!(Mark::from_code(mark.code()), Some(mark));
        }
    }

    #[test]
    fn minutes_missed_fit_their_sessions() {
        let sessions = [session(9, 12), session(13, 16)];
        assert!(check_missed("sessions", &[], &sessions).is_ok());
        let one = [Missed::default()];
        assert_eq!(
            check_missed("sessions", &one, &sessions).unwrap_err().0[0].code,
            "wrong_session_count"
        );
        let too_long = [
            Missed {
                unexcused_minutes: 100,
                leave_minutes: 81,
            },
            Missed::default(),
        ];
        let error = check_missed("sessions", &too_long, &sessions).unwrap_err();
        assert_eq!(error.0[0].field, "sessions[0]");
    }

    #[test]
    fn rosters_are_due_within_a_week_of_the_end() {
        let end = date("2026-12-19");
        assert_eq!(roster_due(end), date("2026-12-26"));
        assert!(!roster_late(end, date("2026-12-26")));
        assert!(roster_late(end, date("2026-12-27")));
    }

    #[test]
    fn a_missing_roster_turns_yellow_after_its_week_and_red_after_two() {
        let end = date("2026-12-01");
        assert_eq!(
            light(Pending::RosterMissing, end, date("2026-12-08")),
            Light::Green
        );
        assert_eq!(
            light(Pending::RosterMissing, end, date("2026-12-09")),
            Light::Yellow
        );
        assert_eq!(
            light(Pending::RosterMissing, end, date("2026-12-15")),
            Light::Yellow
        );
        assert_eq!(
            light(Pending::RosterMissing, end, date("2026-12-16")),
            Light::Red
        );
    }

    #[test]
    fn reviewers_have_three_days_and_returned_rosters_are_never_green() {
        let since = date("2026-12-01");
        assert_eq!(
            light(Pending::AwaitingConfirmation, since, date("2026-12-04")),
            Light::Green
        );
        assert_eq!(
            light(Pending::AwaitingConfirmation, since, date("2026-12-05")),
            Light::Yellow
        );
        assert_eq!(
            light(Pending::AwaitingConfirmation, since, date("2026-12-09")),
            Light::Red
        );
        assert_eq!(
            light(Pending::Returned, since, date("2026-12-01")),
            Light::Yellow
        );
        assert_eq!(
            light(Pending::Returned, since, date("2026-12-09")),
            Light::Red
        );
        assert!(Light::Red > Light::Yellow && Light::Yellow > Light::Green);
    }
}
