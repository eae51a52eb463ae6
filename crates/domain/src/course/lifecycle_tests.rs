use chrono::NaiveTime;

use super::*;
use crate::Stage;
use crate::course::schedule::{Session, parse_local_datetime};
use crate::course::{ClassType, Contact};

fn at(text: &str) -> DateTime<Utc> {
    parse_local_datetime("t", text).unwrap()
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn session(day: &str, starts: &str, ends: &str) -> Session {
    Session {
        date: date(day),
        starts_at: NaiveTime::parse_from_str(starts, "%H:%M").unwrap(),
        ends_at: NaiveTime::parse_from_str(ends, "%H:%M").unwrap(),
    }
}

fn form(name: &str, sessions: Vec<Session>) -> CourseForm {
    CourseForm {
        class_type: ClassType::NonCredit,
        credits: None,
        nature: "2-1".into(),
        document_number: None,
        name: name.into(),
        tag_ids: Vec::new(),
        subject_area: "J9900".into(),
        stage: Stage::JuniorHigh,
        category: "2".into(),
        items: vec!["2-1-1".into()],
        level: 1,
        instructor_name: "講師".into(),
        instructor_kind: "8-1".into(),
        outline: "班級經營實務".into(),
        modes: vec!["11-1".into()],
        mode_other: None,
        remote_software: Vec::new(),
        remote_software_other: None,
        time_slots: vec!["12-1".into()],
        half_hours: 6,
        target_stages: vec!["14-3".into()],
        target_titles: vec!["15-4".into()],
        target_title_other: None,
        registration_opens_at: at("2026-12-01T09:00"),
        registration_closes_at: at("2026-12-10T17:00"),
        sessions,
        venue: "會議室".into(),
        schedule_note: None,
        funding_sources: vec!["21-12".into()],
        subsidy_amount: None,
        fee_kind: "22-3".into(),
        fee_amount: None,
        classes: 1,
        places_per_class: 30,
        contacts: vec![Contact::default()],
        feedback: "26-1".into(),
        allocation: crate::enrollment::Allocation::FirstCome,
        review_enrollments: false,
    }
}

fn one_afternoon() -> Vec<Session> {
    vec![session("2026-12-19", "13:00", "16:00")]
}

#[test]
fn a_future_course_with_open_registration_may_be_submitted() {
    let course = form("班級經營", one_afternoon());
    assert!(submission_errors(&course, at("2026-11-23T10:00")).is_ok());
}

#[test]
fn a_course_that_started_or_stopped_taking_registrations_may_not_be_submitted() {
    let course = form("班級經營", one_afternoon());
    let codes: Vec<_> = submission_errors(&course, at("2026-12-19T13:00"))
        .unwrap_err()
        .0
        .into_iter()
        .map(|e| e.code)
        .collect();
    assert_eq!(codes, ["starts_in_past", "closes_in_past"]);
    let codes: Vec<_> = submission_errors(&course, at("2026-12-10T17:00"))
        .unwrap_err()
        .0
        .into_iter()
        .map(|e| e.code)
        .collect();
    assert_eq!(codes, ["closes_in_past"]);
}

#[test]
fn the_reviewer_sees_art9_topics_late_registrations_and_long_days() {
    let course = form(
        "期末校務會議",
        vec![
            session("2026-12-02", "08:00", "12:00"),
            session("2026-12-02", "13:00", "16:30"),
            session("2026-12-03", "09:00", "15:00"),
        ],
    );
    let flags = review_flags(&course, at("2026-11-28T10:00"));
    let codes: Vec<_> = flags.iter().map(ReviewFlag::code).collect();
    assert_eq!(
        codes,
        [
            "routine_business",
            "meeting",
            "late_registration",
            "long_day"
        ]
    );
    assert_eq!(flags[2], ReviewFlag::LateRegistration { days_before: 4 });
    assert_eq!(
        flags[3],
        ReviewFlag::LongDay {
            date: date("2026-12-02"),
            minutes: 450
        }
    );
    assert!(flags[3].message().contains("7.5 小時"));
    assert!(flags[0].message().contains("「校務會議」"));
}

#[test]
fn a_course_registered_a_week_ahead_with_six_hour_days_raises_nothing() {
    let course = form(
        "班級經營",
        vec![
            session("2026-12-19", "09:00", "12:00"),
            session("2026-12-19", "13:00", "16:00"),
        ],
    );
    assert!(review_flags(&course, at("2026-12-12T10:00")).is_empty());
}

#[test]
fn approved_courses_run_from_their_first_day_and_end_after_their_last() {
    let approved = CourseState::Approved { auto: false };
    let (start, end) = (date("2026-12-19"), date("2026-12-20"));
    assert_eq!(
        effective_state(approved, start, end, date("2026-12-18")),
        approved
    );
    assert_eq!(
        effective_state(approved, start, end, date("2026-12-19")),
        CourseState::Running
    );
    assert_eq!(
        effective_state(approved, start, end, date("2026-12-20")),
        CourseState::Running
    );
    assert_eq!(
        effective_state(approved, start, end, date("2026-12-21")),
        CourseState::Ended
    );
    // Other states do not move with the calendar.
    assert_eq!(
        effective_state(CourseState::Submitted, start, end, date("2026-12-21")),
        CourseState::Submitted
    );
}

#[test]
fn registration_is_open_from_its_opening_second_until_its_closing_second() {
    let approved = CourseState::Approved { auto: true };
    let (opens, closes) = (at("2026-12-01T09:00"), at("2026-12-10T17:00"));
    let status = |now: &str| registration_status(approved, opens, closes, at(now));
    assert_eq!(
        status("2026-12-01T08:59:59"),
        RegistrationStatus::NotYetOpen
    );
    assert_eq!(status("2026-12-01T09:00:00"), RegistrationStatus::Open);
    assert_eq!(status("2026-12-10T16:59:59"), RegistrationStatus::Open);
    assert_eq!(status("2026-12-10T17:00:00"), RegistrationStatus::Closed);
    assert_eq!(
        registration_status(
            CourseState::Submitted,
            opens,
            closes,
            at("2026-12-02T09:00")
        ),
        RegistrationStatus::Unavailable
    );
    assert_eq!(
        registration_status(
            CourseState::Cancelled,
            opens,
            closes,
            at("2026-12-02T09:00")
        ),
        RegistrationStatus::Cancelled
    );
    assert_eq!(
        registration_status(CourseState::Closed, opens, closes, at("2026-12-02T09:00")),
        RegistrationStatus::Closed
    );
}
