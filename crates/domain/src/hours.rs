//! Training hours by the rules of Art. 10.
//!
//! Rounding applied to any continuous block of class: whole hours count (the unit is the hour);
//! a remainder of 50 minutes or more counts as one more hour (one 50-minute period is an hour);
//! a block of at least 90 minutes and under two hours counts as two hours. Less than 50 minutes
//! counts nothing. So 49 → 0, 50 → 1, 89 → 1, 90 → 2, 119 → 2, 170 → 3, 180 → 3.

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

/// One session (continuous block) of a course, with the minutes a teacher missed in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionAttendance {
    pub scheduled_minutes: u32,
    /// Lateness, early leave and (approved or not) absence within this session.
    pub missed_minutes: u32,
}

/// A teacher's attendance of one course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attendance {
    /// Did not come and had no leave: no hours.
    UnexcusedAbsence,
    /// Came, possibly late, leaving early or on approved leave for part of it.
    Attended(Vec<SessionAttendance>),
}

/// Hours earned for a course: none for an unexcused absence, none when more than one third of
/// the course was missed, otherwise the time actually attended, session by session.
pub fn course_hours(attendance: &Attendance) -> u32 {
    let Attendance::Attended(sessions) = attendance else {
        return 0;
    };
    let total: u32 = sessions.iter().map(|s| s.scheduled_minutes).sum();
    let missed: u32 = sessions
        .iter()
        .map(|s| s.missed_minutes.min(s.scheduled_minutes))
        .sum();
    if missed * 3 > total {
        return 0;
    }
    sessions
        .iter()
        .map(|s| block_hours(s.scheduled_minutes - s.missed_minutes.min(s.scheduled_minutes)))
        .sum()
}

/// Hours of a credit or degree class: 18 per credit.
pub fn credit_hours(credits: u32) -> u32 {
    credits * crate::course::class_type::HOURS_PER_CREDIT
}

/// A day or a week above its cap, for the reviewer's special approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CapExceeded {
    Day { date: NaiveDate, hours: u32 },
    Week { week: IsoWeek, hours: u32 },
}

/// Finds the days over 6 hours and the weeks over 35 hours in a teacher's records (date, hours).
/// Nothing is cut: the flags go to the reviewer.
pub fn caps_exceeded(records: &[(NaiveDate, u32)]) -> Vec<CapExceeded> {
    let mut days: BTreeMap<NaiveDate, u32> = BTreeMap::new();
    let mut weeks: BTreeMap<(i32, u32), (IsoWeek, u32)> = BTreeMap::new();
    for (date, hours) in records {
        *days.entry(*date).or_default() += hours;
        let week = date.iso_week();
        weeks
            .entry((week.year(), week.week()))
            .or_insert((week, 0))
            .1 += hours;
    }
    let mut flags: Vec<CapExceeded> = days
        .into_iter()
        .filter(|(_, h)| *h > DAY_CAP)
        .map(|(date, hours)| CapExceeded::Day { date, hours })
        .collect();
    flags.extend(
        weeks
            .into_values()
            .filter(|(_, h)| *h > WEEK_CAP)
            .map(|(week, hours)| CapExceeded::Week { week, hours }),
    );
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attended(blocks: &[(u32, u32)]) -> Attendance {
        Attendance::Attended(
            blocks
                .iter()
                .map(|(s, m)| SessionAttendance {
                    scheduled_minutes: *s,
                    missed_minutes: *m,
                })
                .collect(),
        )
    }

    #[test]
    fn under_fifty_minutes_counts_nothing_and_fifty_counts_an_hour() {
        assert_eq!(block_hours(0), 0);
        assert_eq!(block_hours(49), 0);
        assert_eq!(block_hours(50), 1);
        assert_eq!(block_hours(51), 1);
        assert_eq!(block_hours(60), 1);
    }

    #[test]
    fn ninety_minutes_of_continuous_class_count_two_hours() {
        assert_eq!(block_hours(89), 1);
        assert_eq!(block_hours(90), 2);
        assert_eq!(block_hours(91), 2);
        assert_eq!(block_hours(119), 2);
        assert_eq!(block_hours(120), 2);
    }

    #[test]
    fn longer_blocks_count_whole_hours_and_a_last_period_of_fifty_minutes() {
        assert_eq!(block_hours(149), 2);
        assert_eq!(block_hours(170), 3);
        assert_eq!(block_hours(180), 3);
        assert_eq!(block_hours(360), 6);
    }

    #[test]
    fn an_unexcused_absence_earns_nothing() {
        assert_eq!(course_hours(&Attendance::UnexcusedAbsence), 0);
    }

    #[test]
    fn missing_exactly_one_third_still_counts_but_more_does_not() {
        // Three 60-minute sessions: 180 minutes, one third is 60.
        assert_eq!(
            course_hours(&attended(&[(60, 0), (60, 0), (60, 60)])),
            2,
            "exactly one third"
        );
        assert_eq!(
            course_hours(&attended(&[(60, 1), (60, 0), (60, 60)])),
            0,
            "one minute more"
        );
    }

    #[test]
    fn approved_leave_earns_the_time_actually_attended() {
        // A 3-hour afternoon, 40 minutes of approved leave: 140 minutes attended → 2 hours.
        assert_eq!(course_hours(&attended(&[(180, 40)])), 2);
        // Ten minutes late to a 50-minute period: 40 minutes attended → nothing for it.
        assert_eq!(course_hours(&attended(&[(50, 10), (50, 0), (50, 0)])), 2);
    }

    #[test]
    fn full_attendance_adds_up_session_by_session() {
        assert_eq!(course_hours(&attended(&[(90, 0), (180, 0)])), 5);
    }

    #[test]
    fn one_credit_is_eighteen_hours() {
        assert_eq!(credit_hours(1), 18);
        assert_eq!(credit_hours(2), 36);
    }

    #[test]
    fn six_hours_a_day_and_thirty_five_a_week_are_allowed_but_more_is_flagged() {
        let monday = NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
        let day = |n: u64| monday + chrono::Days::new(n);
        assert!(caps_exceeded(&[(monday, 6)]).is_empty());
        assert_eq!(
            caps_exceeded(&[(monday, 4), (monday, 3)]),
            [CapExceeded::Day {
                date: monday,
                hours: 7
            }]
        );
        let week: Vec<_> = (0..5).map(|n| (day(n), 6)).chain([(day(5), 5)]).collect();
        assert!(
            caps_exceeded(&week).is_empty(),
            "35 hours is the cap, not over it"
        );
        let over: Vec<_> = (0..6).map(|n| (day(n), 6)).collect();
        let flags = caps_exceeded(&over);
        assert_eq!(flags.len(), 1);
        assert!(matches!(flags[0], CapExceeded::Week { hours: 36, .. }));
    }
}
