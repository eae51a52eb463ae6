//! Training hours by the rules of Art. 10.
//!
//! Rounding of one continuous block of class (Art. 10-1): whole hours count (the unit is the
//! hour); a remainder of 50 minutes or more counts as one more hour (one 50-minute period is an
//! hour); a block of at least 90 minutes and under two hours counts as two hours. Less than 50
//! minutes counts nothing. So 49 → 0, 50 → 1, 51 → 1, 89 → 1, 90 → 2, 91 → 2, 119 → 2, 170 → 3,
//! 180 → 3. A teacher never earns more than the hours the course declared (field 13).

use std::collections::BTreeMap;

use chrono::{Datelike, IsoWeek, NaiveDate};

/// At most this many hours a day and a week without the authority's special approval.
pub const DAY_CAP: u32 = 6;
pub const WEEK_CAP: u32 = 35;

/// Hours for one continuous block of `minutes` of class.
pub fn block_hours(minutes: u32) -> u32 {
    let by_the_hour = minutes / 60 + u32::from(minutes % 60 >= 50);
    let ninety_minute_rule = if (90..120).contains(&minutes) { 2 } else { 0 };
    by_the_hour.max(ninety_minute_rule)
}

/// One session (continuous block) of a course as a teacher attended it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SessionAttendance {
    pub scheduled_minutes: u32,
    /// Lateness, early leave or absence without leave (曠課、遲到、早退).
    pub unexcused_minutes: u32,
    /// Approved leave (請假).
    pub leave_minutes: u32,
}

impl SessionAttendance {
    /// The minutes actually in class.
    pub fn attended_minutes(&self) -> u32 {
        self.scheduled_minutes
            .saturating_sub(self.unexcused_minutes)
            .saturating_sub(self.leave_minutes)
    }
}

/// A teacher's attendance of one course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attendance {
    /// Did not come and had no leave (無故缺席): no hours.
    UnexcusedAbsence,
    /// On approved leave for the whole course: nothing attended, so no hours.
    OnLeave,
    /// Came, session by session, with what was missed.
    Attended(Vec<SessionAttendance>),
}

/// How a course counts hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// By the class time attended (most courses).
    ClassTime { declared_half_hours: u32 },
    /// Credit and degree classes: 18 hours a credit (Art. 10-3).
    Credits(u32),
    /// Digital and remote courses: the organiser's rule, here the declared hours (Art. 10-6).
    Declared { declared_half_hours: u32 },
}

/// Whether unexcused absence, lateness and early leave stay within one third of the course
/// (Art. 10-5: more than a third earns nothing for the course; exactly a third still counts).
pub fn within_one_third(sessions: &[SessionAttendance]) -> bool {
    let total: u32 = sessions.iter().map(|s| s.scheduled_minutes).sum();
    let missed: u32 = sessions
        .iter()
        .map(|s| s.unexcused_minutes.min(s.scheduled_minutes))
        .sum();
    missed * 3 <= total
}

/// Half-hours earned for a course. Approved leave earns the time actually attended; the
/// one-third rule counts only unexcused time.
pub fn earned_half_hours(attendance: &Attendance, counting: Counting) -> u32 {
    let Attendance::Attended(sessions) = attendance else {
        return 0;
    };
    if !within_one_third(sessions) {
        return 0;
    }
    match counting {
        Counting::Credits(credits) => credit_hours(credits) * 2,
        Counting::Declared {
            declared_half_hours,
        } => declared_half_hours,
        Counting::ClassTime {
            declared_half_hours,
        } => {
            let hours: u32 = sessions
                .iter()
                .map(|s| block_hours(s.attended_minutes()))
                .sum();
            (hours * 2).min(declared_half_hours)
        }
    }
}

/// Hours of a credit or degree class: 18 per credit.
pub fn credit_hours(credits: u32) -> u32 {
    credits * crate::course::class_type::HOURS_PER_CREDIT
}

/// A day or a week above its cap, for the reviewer's special approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CapExceeded {
    Day { date: NaiveDate, half_hours: u32 },
    Week { week: IsoWeek, half_hours: u32 },
}

impl CapExceeded {
    /// What the reviewer reads (zh-TW).
    pub fn message(&self) -> String {
        match self {
            CapExceeded::Day { date, half_hours } => format!(
                "{date} 研習 {} 小時，超過每日 {DAY_CAP} 小時原則，需專案核准",
                f64::from(*half_hours) / 2.0
            ),
            CapExceeded::Week { week, half_hours } => format!(
                "{} 年第 {} 週研習 {} 小時，超過每週 {WEEK_CAP} 小時原則，需專案核准",
                week.year(),
                week.week(),
                f64::from(*half_hours) / 2.0
            ),
        }
    }
}

/// Finds the days over 6 hours and the weeks over 35 hours in a teacher's records, given as
/// (day, half-hours) pairs. Nothing is cut: the flags go to the reviewer.
pub fn caps_exceeded(days: &[(NaiveDate, u32)]) -> Vec<CapExceeded> {
    let mut by_day: BTreeMap<NaiveDate, u32> = BTreeMap::new();
    let mut by_week: BTreeMap<(i32, u32), (IsoWeek, u32)> = BTreeMap::new();
    for (date, half_hours) in days {
        *by_day.entry(*date).or_default() += half_hours;
        let week = date.iso_week();
        by_week
            .entry((week.year(), week.week()))
            .or_insert((week, 0))
            .1 += half_hours;
    }
    let mut flags: Vec<CapExceeded> = by_day
        .into_iter()
        .filter(|(_, h)| *h > DAY_CAP * 2)
        .map(|(date, half_hours)| CapExceeded::Day { date, half_hours })
        .collect();
    flags.extend(
        by_week
            .into_values()
            .filter(|(_, h)| *h > WEEK_CAP * 2)
            .map(|(week, half_hours)| CapExceeded::Week { week, half_hours }),
    );
    flags
}

/// How earned half-hours fall on the days of the sessions (for the caps): each session's
/// attended block, day by day, never more in all than was earned.
pub fn spread_over_days(
    dates: &[NaiveDate],
    sessions: &[SessionAttendance],
    earned_half_hours: u32,
) -> Vec<(NaiveDate, u32)> {
    let mut left = earned_half_hours;
    let mut days: Vec<(NaiveDate, u32)> = Vec::new();
    for (date, session) in dates.iter().zip(sessions) {
        let half_hours = (block_hours(session.attended_minutes()) * 2).min(left);
        left -= half_hours;
        match days.last_mut() {
            Some((day, total)) if day == date => *total += half_hours,
            _ => days.push((*date, half_hours)),
        }
    }
    // Hours not tied to class time (credits, digital courses) go on the first day.
    if left > 0 {
        match days.first_mut() {
            Some((_, total)) => *total += left,
            None => {
                if let Some(first) = dates.first() {
                    days.push((*first, left));
                }
            }
        }
    }
    days
}

#[cfg(test)]
#[path = "hours_tests.rs"]
mod tests;
