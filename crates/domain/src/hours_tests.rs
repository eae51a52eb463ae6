//! One test per clause of Art. 10, with the boundary cases.

use super::*;

fn session(scheduled: u32, unexcused: u32, leave: u32) -> SessionAttendance {
    SessionAttendance {
        scheduled_minutes: scheduled,
        unexcused_minutes: unexcused,
        leave_minutes: leave,
    }
}

fn attended(sessions: &[(u32, u32, u32)]) -> Attendance {
    Attendance::Attended(
        sessions
            .iter()
            .map(|(s, u, l)| session(*s, *u, *l))
            .collect(),
    )
}

const PLENTY: Counting = Counting::ClassTime {
    declared_half_hours: 100,
};

fn day(n: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 16).unwrap() + chrono::Days::new(n)
}

#[test]
fn clause_1_under_fifty_minutes_counts_nothing_and_a_fifty_minute_period_is_an_hour() {
    assert_eq!(block_hours(0), 0);
    assert_eq!(block_hours(49), 0);
    assert_eq!(block_hours(50), 1);
    assert_eq!(block_hours(51), 1);
    assert_eq!(block_hours(60), 1);
}

#[test]
fn clause_1_ninety_minutes_of_continuous_class_count_two_hours() {
    assert_eq!(block_hours(89), 1);
    assert_eq!(block_hours(90), 2);
    assert_eq!(block_hours(91), 2);
    assert_eq!(block_hours(119), 2);
    assert_eq!(block_hours(120), 2);
}

#[test]
fn clause_1_longer_blocks_count_whole_hours_and_a_last_period_of_fifty_minutes() {
    assert_eq!(block_hours(149), 2);
    assert_eq!(block_hours(170), 3);
    assert_eq!(block_hours(180), 3);
    assert_eq!(block_hours(360), 6);
}

#[test]
fn clause_1_each_session_is_rounded_on_its_own() {
    // Two 49-minute blocks do not add up to an hour: each is under fifty minutes.
    assert_eq!(
        earned_half_hours(&attended(&[(49, 0, 0), (49, 0, 0)]), PLENTY),
        0
    );
    assert_eq!(
        earned_half_hours(&attended(&[(90, 0, 0), (180, 0, 0)]), PLENTY),
        10
    );
}

#[test]
fn clause_1_nobody_earns_more_than_the_course_declared() {
    let declared = Counting::ClassTime {
        declared_half_hours: 5,
    };
    assert_eq!(earned_half_hours(&attended(&[(180, 0, 0)]), declared), 5);
}

#[test]
fn clause_2_six_hours_a_day_and_thirty_five_a_week_are_allowed_but_more_is_flagged() {
    assert!(
        caps_exceeded(&[(day(0), 12)]).is_empty(),
        "six hours is the cap"
    );
    let flags = caps_exceeded(&[(day(0), 8), (day(0), 6)]);
    assert_eq!(
        flags,
        [CapExceeded::Day {
            date: day(0),
            half_hours: 14
        }]
    );
    assert!(flags[0].message().contains("7 小時"));
    let week: Vec<_> = (0..5).map(|n| (day(n), 12)).chain([(day(5), 10)]).collect();
    assert!(
        caps_exceeded(&week).is_empty(),
        "35 hours is the cap, not over it"
    );
    let over: Vec<_> = (0..6).map(|n| (day(n), 12)).collect();
    let flags = caps_exceeded(&over);
    assert_eq!(flags.len(), 1);
    assert!(matches!(flags[0], CapExceeded::Week { half_hours: 72, .. }));
    assert!(flags[0].message().contains("36 小時"));
}

#[test]
fn clause_3_one_credit_is_eighteen_hours() {
    assert_eq!(credit_hours(1), 18);
    assert_eq!(credit_hours(2), 36);
    let full = attended(&[(180, 0, 0)]);
    assert_eq!(earned_half_hours(&full, Counting::Credits(1)), 36);
    assert_eq!(earned_half_hours(&full, Counting::Credits(3)), 108);
}

#[test]
fn clause_4_only_time_in_class_counts() {
    // Breaks, lunch and travel are not sessions: a day of 09:00–12:00 and 13:00–16:00 is two
    // blocks of three hours, not seven hours.
    assert_eq!(
        earned_half_hours(&attended(&[(180, 0, 0), (180, 0, 0)]), PLENTY),
        12
    );
}

#[test]
fn clause_5_an_unexcused_absence_earns_nothing() {
    assert_eq!(earned_half_hours(&Attendance::UnexcusedAbsence, PLENTY), 0);
    assert_eq!(earned_half_hours(&Attendance::OnLeave, PLENTY), 0);
}

#[test]
fn clause_5_missing_exactly_one_third_still_counts_but_more_does_not() {
    // Three 60-minute sessions: 180 minutes, one third is 60.
    let exactly = attended(&[(60, 0, 0), (60, 0, 0), (60, 60, 0)]);
    assert_eq!(earned_half_hours(&exactly, PLENTY), 4, "exactly one third");
    let more = attended(&[(60, 1, 0), (60, 0, 0), (60, 60, 0)]);
    assert_eq!(earned_half_hours(&more, PLENTY), 0, "one minute more");
    // Lateness and early leave count toward the third like absence.
    let late = attended(&[(180, 61, 0)]);
    assert_eq!(earned_half_hours(&late, PLENTY), 0);
}

#[test]
fn clause_5_approved_leave_earns_the_time_actually_attended() {
    // A 3-hour afternoon with 100 minutes of approved leave: 80 minutes attended → 1 hour, and
    // the leave does not trigger the one-third rule.
    assert_eq!(earned_half_hours(&attended(&[(180, 0, 100)]), PLENTY), 2);
    // Ten minutes late to a 50-minute period: 40 minutes attended → nothing for it.
    assert_eq!(
        earned_half_hours(&attended(&[(50, 10, 0), (50, 0, 0), (50, 0, 0)]), PLENTY),
        4
    );
}

#[test]
fn clause_6_digital_courses_follow_the_organisers_declared_hours() {
    let digital = Counting::Declared {
        declared_half_hours: 9,
    };
    assert_eq!(earned_half_hours(&attended(&[(60, 0, 0)]), digital), 9);
    assert_eq!(earned_half_hours(&attended(&[(60, 30, 0)]), digital), 0);
}

#[test]
fn earned_hours_fall_on_the_days_they_were_attended() {
    let dates = [day(0), day(0), day(1)];
    let sessions = [session(180, 0, 0), session(180, 0, 0), session(120, 0, 0)];
    assert_eq!(
        spread_over_days(&dates, &sessions, 16),
        [(day(0), 12), (day(1), 4)]
    );
    // Capped at what was earned.
    assert_eq!(
        spread_over_days(&dates, &sessions, 7),
        [(day(0), 7), (day(1), 0)]
    );
    // Credit hours not tied to class time go on the first day.
    assert_eq!(
        spread_over_days(&dates[..1], &sessions[..1], 36),
        [(day(0), 36)]
    );
}
