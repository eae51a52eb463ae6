//! What follows from a course's form and dates: whether it may be submitted, what the reviewer
//! should look at, where it stands today, and whether registration is open.

use chrono::{DateTime, NaiveDate, Utc};

use super::form::CourseForm;
use super::schedule::taipei_today;
use super::state::CourseState;
use super::warnings::{Warning, art9_warnings};
use crate::FieldErrors;
use crate::hours::DAY_CAP;
use crate::validation::Collector;

/// Art. 12-2: units register a course at least a week before it runs.
pub const REGISTRATION_LEAD_DAYS: i64 = 7;

/// A course can go to review only while it can still be attended and registered for.
pub fn submission_errors(form: &CourseForm, now: DateTime<Utc>) -> Result<(), FieldErrors> {
    let mut errors = Collector::default();
    if form.starts_at() <= now {
        errors.check::<()>(Err(FieldErrors::single(
            "sessions[0].date",
            "starts_in_past",
            "課程已開始或已結束，不能再送審；請修改上課日期",
        )));
    }
    if form.registration_closes_at <= now {
        errors.check::<()>(Err(FieldErrors::single(
            "registration_closes_at",
            "closes_in_past",
            "報名截止時間已過，請修改報名期間後再送審",
        )));
    }
    errors.finish()
}

/// Something the reviewer should look at; none of them blocks approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewFlag {
    /// Art. 9: a topic that counts only with the authority's consent.
    Art9(Warning),
    /// Art. 12-2: registered less than a week before the course starts.
    LateRegistration { days_before: i64 },
    /// Art. 10-2: a day with more than 6 hours of class needs special approval.
    LongDay { date: NaiveDate, minutes: u32 },
}

impl ReviewFlag {
    /// Stable code for filters and clients.
    pub fn code(&self) -> &'static str {
        match self {
            ReviewFlag::Art9(warning) => warning.kind.code(),
            ReviewFlag::LateRegistration { .. } => "late_registration",
            ReviewFlag::LongDay { .. } => "long_day",
        }
    }

    /// What the reviewer reads (zh-TW).
    pub fn message(&self) -> String {
        match self {
            ReviewFlag::Art9(w) => format!(
                "第 9 條：{}含「{}」，疑似{}，需經主管機關同意始得採計時數",
                if w.field == "name" {
                    "研習名稱"
                } else {
                    "課程大綱"
                },
                w.keyword,
                w.kind.label()
            ),
            ReviewFlag::LateRegistration { days_before } => {
                format!("第 12 條：應於研習辦理前一週登錄，本課程於開課前 {days_before} 天才送審")
            }
            ReviewFlag::LongDay { date, minutes } => format!(
                "第 10 條：{date} 上課 {:.1} 小時，超過每日 6 小時原則，需專案核准",
                f64::from(*minutes) / 60.0
            ),
        }
    }
}

/// Everything worth the reviewer's attention, for a form submitted at `submitted_at`.
pub fn review_flags(form: &CourseForm, submitted_at: DateTime<Utc>) -> Vec<ReviewFlag> {
    let mut flags: Vec<ReviewFlag> = art9_warnings(&form.name, &form.outline)
        .into_iter()
        .map(ReviewFlag::Art9)
        .collect();
    let days_before = (form.start_date() - taipei_today(submitted_at)).num_days();
    if days_before < REGISTRATION_LEAD_DAYS {
        flags.push(ReviewFlag::LateRegistration { days_before });
    }
    let mut day: Option<(NaiveDate, u32)> = None;
    let mut long_days = Vec::new();
    for session in &form.sessions {
        match &mut day {
            Some((date, minutes)) if *date == session.date => *minutes += session.minutes(),
            _ => {
                if let Some(done) = day.take() {
                    long_days.push(done);
                }
                day = Some((session.date, session.minutes()));
            }
        }
    }
    long_days.extend(day);
    flags.extend(
        long_days
            .into_iter()
            .filter(|(_, minutes)| *minutes > DAY_CAP * 60)
            .map(|(date, minutes)| ReviewFlag::LongDay { date, minutes }),
    );
    flags
}

/// The state a course is in today: an approved course is running from its first day and has
/// ended after its last. Stored states never need a job to move them along.
pub fn effective_state(
    stored: CourseState,
    start: NaiveDate,
    end: NaiveDate,
    today: NaiveDate,
) -> CourseState {
    match stored {
        CourseState::Approved { .. } if today > end => CourseState::Ended,
        CourseState::Approved { .. } if today >= start => CourseState::Running,
        other => other,
    }
}

/// Where registration stands for teachers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationStatus {
    /// Not published (yet), or withdrawn from publication.
    Unavailable,
    NotYetOpen,
    Open,
    Closed,
    Cancelled,
}

impl RegistrationStatus {
    pub fn code(self) -> &'static str {
        match self {
            RegistrationStatus::Unavailable => "unavailable",
            RegistrationStatus::NotYetOpen => "not_yet_open",
            RegistrationStatus::Open => "open",
            RegistrationStatus::Closed => "closed",
            RegistrationStatus::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RegistrationStatus::Unavailable => "未開放",
            RegistrationStatus::NotYetOpen => "尚未開始報名",
            RegistrationStatus::Open => "報名中",
            RegistrationStatus::Closed => "報名已截止",
            RegistrationStatus::Cancelled => "課程已取消",
        }
    }
}

/// Registration is open from its opening second up to (not including) its closing second, and
/// only for approved courses.
pub fn registration_status(
    stored: CourseState,
    opens: DateTime<Utc>,
    closes: DateTime<Utc>,
    now: DateTime<Utc>,
) -> RegistrationStatus {
    match stored {
        CourseState::Cancelled => RegistrationStatus::Cancelled,
        CourseState::Approved { .. } if now < opens => RegistrationStatus::NotYetOpen,
        CourseState::Approved { .. } if now < closes => RegistrationStatus::Open,
        CourseState::Approved { .. } => RegistrationStatus::Closed,
        state if state.is_public() => RegistrationStatus::Closed,
        _ => RegistrationStatus::Unavailable,
    }
}

#[cfg(test)]
#[path = "lifecycle_tests.rs"]
mod tests;
