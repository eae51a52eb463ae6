use chrono::{NaiveDate, NaiveTime};

use super::*;
use crate::course::schedule::parse_local_datetime;

fn at(text: &str) -> DateTime<Utc> {
    parse_local_datetime("t", text).unwrap()
}

fn session(day: &str, starts: &str, ends: &str) -> Session {
    Session {
        date: day.parse::<NaiveDate>().unwrap(),
        starts_at: NaiveTime::parse_from_str(starts, "%H:%M").unwrap(),
        ends_at: NaiveTime::parse_from_str(ends, "%H:%M").unwrap(),
    }
}

const APPROVED: CourseState = CourseState::Approved { auto: false };

fn admit(
    now: &str,
    allocation: Allocation,
    reviews: bool,
    wait: bool,
) -> Result<Admission, Refusal> {
    admission(
        APPROVED,
        at("2026-12-01T09:00"),
        at("2026-12-10T17:00"),
        allocation,
        reviews,
        wait,
        at(now),
    )
}

#[test]
fn enrollment_opens_to_the_second_and_closes_at_the_closing_time() {
    assert_eq!(
        admit("2026-12-01T08:59:59", Allocation::FirstCome, false, false),
        Err(Refusal::NotYetOpen)
    );
    assert_eq!(
        admit("2026-12-01T09:00:00", Allocation::FirstCome, false, true),
        Ok(Admission::Place {
            pending: false,
            may_wait: true
        })
    );
    assert_eq!(
        admit("2026-12-10T17:00:00", Allocation::FirstCome, false, false),
        Err(Refusal::Closed)
    );
}

#[test]
fn reviewed_courses_hold_places_pending_and_lotteries_take_applications() {
    assert_eq!(
        admit("2026-12-02T10:00", Allocation::FirstCome, true, false),
        Ok(Admission::Place {
            pending: true,
            may_wait: false
        })
    );
    assert_eq!(
        admit("2026-12-02T10:00", Allocation::Lottery, true, true),
        Ok(Admission::Apply)
    );
}

#[test]
fn only_published_courses_take_enrollments() {
    for (state, refusal) in [
        (CourseState::Submitted, Refusal::NotPublished),
        (CourseState::Draft, Refusal::NotPublished),
        (CourseState::Cancelled, Refusal::Cancelled),
        (CourseState::Closed, Refusal::Closed),
    ] {
        let result = admission(
            state,
            at("2026-12-01T09:00"),
            at("2026-12-10T17:00"),
            Allocation::FirstCome,
            false,
            true,
            at("2026-12-02T10:00"),
        );
        assert_eq!(result, Err(refusal), "{state}");
    }
}

#[test]
fn statuses_round_trip_and_only_pending_and_enrolled_hold_places() {
    for status in EnrollmentStatus::ALL {
        assert_eq!(EnrollmentStatus::from_code(status.code()), Some(status));
    }
    let holding: Vec<_> = EnrollmentStatus::ALL
        .into_iter()
        .filter(|s| s.holds_place())
        .collect();
    assert_eq!(
        holding,
        [EnrollmentStatus::Pending, EnrollmentStatus::Enrolled]
    );
    assert!(EnrollmentStatus::Waiting.is_active() && !EnrollmentStatus::Withdrawn.is_active());
    assert_eq!(Allocation::from_code("lottery"), Some(Allocation::Lottery));
    assert_eq!(Allocation::from_code("auction"), None);
}

#[test]
fn teachers_withdraw_until_the_course_starts() {
    let first = session("2026-12-19", "09:00", "12:00");
    assert!(may_withdraw(
        EnrollmentStatus::Enrolled,
        &first,
        at("2026-12-19T08:59")
    ));
    assert!(!may_withdraw(
        EnrollmentStatus::Enrolled,
        &first,
        at("2026-12-19T09:00")
    ));
    assert!(may_withdraw(
        EnrollmentStatus::Waiting,
        &first,
        at("2026-12-18T09:00")
    ));
    assert!(!may_withdraw(
        EnrollmentStatus::Withdrawn,
        &first,
        at("2026-12-18T09:00")
    ));
}

#[test]
fn overlapping_courses_and_other_audiences_are_warned_about() {
    let mine = vec![session("2026-12-19", "09:00", "12:00")];
    let others = vec![
        (
            7,
            "上午的課".to_owned(),
            vec![session("2026-12-19", "11:00", "13:00")],
        ),
        (
            8,
            "下午的課".to_owned(),
            vec![session("2026-12-19", "12:00", "15:00")],
        ),
    ];
    let warnings = enroll_warnings(&mine, &others, (false, true));
    assert_eq!(
        warnings,
        [
            EnrollWarning::Overlap {
                course_id: 7,
                name: "上午的課".into()
            },
            EnrollWarning::OtherStage
        ]
    );
    assert!(warnings[0].message().contains("上午的課"));
    assert!(enroll_warnings(&mine, &[], (true, true)).is_empty());
}

#[test]
fn a_course_targets_a_teacher_by_stage_and_title() {
    let stages = vec!["14-3".to_owned()];
    let titles = vec!["15-4".to_owned()];
    assert_eq!(
        targeted(&stages, &titles, Some(UnitKind::JuniorHigh), Some("15-4")),
        (true, true)
    );
    assert_eq!(
        targeted(&stages, &titles, Some(UnitKind::Elementary), Some("15-5")),
        (false, false)
    );
    // A unit with no stage (a bureau, a university) is no reason to warn.
    assert_eq!(
        targeted(&stages, &titles, Some(UnitKind::University), Some("15-4")),
        (true, true)
    );
    assert_eq!(target_stage_of(UnitKind::Kindergarten), Some("14-5"));
}

#[test]
fn the_draw_is_reproducible_and_puts_targeted_teachers_first() {
    let applicants: Vec<(i32, bool)> = (1..=20).map(|id| (id, id % 4 == 0)).collect();
    let order = draw(42, &applicants);
    assert_eq!(order.len(), 20);
    let priority: Vec<i32> = order[..5].to_vec();
    assert!(priority.iter().all(|id| id % 4 == 0), "{order:?}");
    let mut reversed = applicants.clone();
    reversed.reverse();
    assert_eq!(
        draw(42, &reversed),
        order,
        "the input order does not matter"
    );
    assert_ne!(draw(43, &applicants), order, "another seed, another order");
    let mut sorted = order.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (1..=20).collect::<Vec<_>>(), "everyone drawn once");
}

#[test]
fn the_draw_is_fair() {
    // Over many seeds each of four equal applicants wins the first place about a quarter of
    // the time.
    let applicants = [(1, false), (2, false), (3, false), (4, false)];
    let mut wins = [0_u32; 4];
    for seed in 0..4000 {
        wins[(draw(seed, &applicants)[0] - 1) as usize] += 1;
    }
    assert!(wins.iter().all(|w| (850..1150).contains(w)), "{wins:?}");
}
