use super::*;

/// A catalog with two subject areas, a slice of the junior-high taxonomy and three tags.
struct TestCatalog;

impl Catalog for TestCatalog {
    fn subject_stage(&self, code: &str) -> Option<Stage> {
        match code {
            "J0402" => Some(Stage::JuniorHigh),
            "E0201" => Some(Stage::Elementary),
            _ => None,
        }
    }

    fn item_category(&self, stage: Stage, code: &str) -> Option<String> {
        let junior = ["1-1-1", "1-1-2", "2-1-1", "4-1"];
        let elementary = ["1-1-1"];
        let known = match stage {
            Stage::JuniorHigh => junior.contains(&code),
            Stage::Elementary => elementary.contains(&code),
            _ => false,
        };
        known.then(|| code[..1].to_owned())
    }

    fn tag(&self, id: i32) -> TagState {
        match id {
            1..=4 => TagState::Active,
            9 => TagState::Retired,
            _ => TagState::Unknown,
        }
    }
}

fn session(date: &str, starts: &str, ends: &str) -> SessionInput {
    SessionInput {
        date: date.into(),
        starts_at: starts.into(),
        ends_at: ends.into(),
    }
}

fn contact() -> Contact {
    Contact {
        name: "王承辦".into(),
        phone: "02-2345-6789".into(),
        email: "office@school.example.tw".into(),
    }
}

/// A complete junior-high science workshop: 6 hours over two sessions.
fn valid() -> CourseInput {
    CourseInput {
        class_type: "1-1".into(),
        credits: None,
        nature: "2-1".into(),
        document_number: Some("北市教師字第1150000001號".into()),
        name: "素養導向理化實驗設計工作坊".into(),
        tag_ids: vec![1],
        subject_area: "J0402".into(),
        category: "1".into(),
        items: vec!["1-1-1".into(), "1-1-2".into()],
        level: Some(2),
        instructor_name: "陳老師".into(),
        instructor_kind: "8-2".into(),
        outline: "以實作引導教師設計素養導向的理化實驗課程。".into(),
        modes: vec!["11-3".into(), "11-1".into()],
        mode_other: None,
        remote_software: Vec::new(),
        remote_software_other: None,
        time_slots: vec!["12-3".into()],
        hours: Some(6.0),
        target_stages: vec!["14-3".into()],
        target_titles: vec!["15-4".into(), "15-5".into()],
        target_title_other: None,
        registration_opens_at: "2026-12-01T09:00".into(),
        registration_closes_at: "2026-12-10T17:00".into(),
        sessions: vec![
            session("2026-12-19", "09:00", "12:00"),
            session("2026-12-19", "13:00", "16:00"),
        ],
        venue: "臺北市立示範國民中學 自然教室".into(),
        schedule_note: None,
        funding_sources: vec!["21-7".into()],
        subsidy_amount: Some(12000),
        fee_kind: "22-3".into(),
        fee_amount: None,
        classes: Some(1),
        places_per_class: Some(40),
        contacts: vec![contact()],
        feedback: "26-1".into(),
        allocation: String::new(),
        review_enrollments: false,
    }
}

/// The (field, code) pairs of a failed validation.
fn problems(input: &CourseInput) -> Vec<(String, &'static str)> {
    validate(input, &TestCatalog, &[])
        .expect_err("the form should be refused")
        .0
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect()
}

fn single(input: &CourseInput) -> (String, &'static str) {
    let all = problems(input);
    assert_eq!(all.len(), 1, "expected one problem, got {all:?}");
    all.into_iter().next().unwrap()
}

fn with(change: impl FnOnce(&mut CourseInput)) -> CourseInput {
    let mut input = valid();
    change(&mut input);
    input
}

fn is(field: &str, code: &'static str) -> (String, &'static str) {
    (field.to_owned(), code)
}

#[test]
fn a_complete_form_is_accepted_with_its_derived_values() {
    let form = validate(&valid(), &TestCatalog, &[]).unwrap();
    assert_eq!(form.stage, Stage::JuniorHigh);
    assert_eq!(form.half_hours, 12);
    assert_eq!(form.capacity(), 40);
    assert_eq!(form.start_date().to_string(), "2026-12-19");
    assert_eq!(form.end_date().to_string(), "2026-12-19");
    assert!(!form.is_digital());
    // Multiple choices come back in the form's order.
    assert_eq!(form.modes, ["11-1", "11-3"]);
    assert_eq!(
        form.registration_opens_at.to_rfc3339(),
        "2026-12-01T01:00:00+00:00"
    );
}

#[test]
fn an_empty_form_names_every_required_field() {
    let fields: Vec<String> = problems(&CourseInput::default())
        .into_iter()
        .map(|(field, _)| field)
        .collect();
    for field in [
        "class_type",
        "nature",
        "name",
        "subject_area",
        "category",
        "level",
        "instructor_name",
        "instructor_kind",
        "outline",
        "modes",
        "time_slots",
        "target_stages",
        "target_titles",
        "registration_opens_at",
        "registration_closes_at",
        "sessions",
        "venue",
        "funding_sources",
        "fee_kind",
        "classes",
        "places_per_class",
        "contacts",
        "feedback",
    ] {
        assert!(
            fields.iter().any(|f| f == field),
            "{field} missing from {fields:?}"
        );
    }
}

#[test]
fn codes_must_come_from_the_form() {
    assert_eq!(
        single(&with(|i| i.class_type = "1-9".into())),
        is("class_type", "invalid_choice")
    );
    assert_eq!(
        single(&with(|i| i.nature = "2-3".into())),
        is("nature", "invalid_choice")
    );
    assert_eq!(
        single(&with(|i| i.level = Some(5))),
        is("level", "invalid_choice")
    );
    assert_eq!(
        single(&with(|i| i.instructor_kind = "8-4".into())),
        is("instructor_kind", "invalid_choice")
    );
    assert_eq!(
        single(&with(|i| i.modes = vec!["11-7".into()])),
        is("modes", "invalid_choice")
    );
    assert_eq!(
        single(&with(|i| i.time_slots = vec!["12-1".into(), "12-1".into()])),
        is("time_slots", "duplicate")
    );
    assert_eq!(
        single(&with(|i| i.fee_kind = "22-9".into())),
        is("fee_kind", "invalid_choice")
    );
    assert_eq!(
        single(&with(|i| i.feedback = "26-3".into())),
        is("feedback", "invalid_choice")
    );
    assert_eq!(
        single(&with(|i| i.target_stages = vec!["14-7".into()])),
        is("target_stages", "invalid_choice")
    );
}

#[test]
fn a_commissioned_course_needs_its_document_number() {
    let input = with(|i| {
        i.nature = "2-2".into();
        i.document_number = Some("  ".into());
    });
    assert_eq!(single(&input), is("document_number", "required"));
    // A self-run course may leave it blank.
    assert!(validate(&with(|i| i.document_number = None), &TestCatalog, &[]).is_ok());
}

#[test]
fn names_and_outlines_have_limits() {
    assert_eq!(
        single(&with(|i| i.name = " ".into())),
        is("name", "required")
    );
    assert_eq!(
        single(&with(|i| i.name = "研".repeat(101))),
        is("name", "too_long")
    );
    assert!(validate(&with(|i| i.name = "研".repeat(100)), &TestCatalog, &[]).is_ok());
    assert_eq!(
        single(&with(|i| i.outline = "綱".repeat(4001))),
        is("outline", "too_long")
    );
}

#[test]
fn tags_must_be_active_unless_the_course_already_had_them() {
    assert_eq!(
        single(&with(|i| i.tag_ids = vec![9])),
        is("tag_ids", "retired_tag")
    );
    assert!(validate(&with(|i| i.tag_ids = vec![9]), &TestCatalog, &[9]).is_ok());
    assert_eq!(
        single(&with(|i| i.tag_ids = vec![77])),
        is("tag_ids", "unknown_tag")
    );
    assert_eq!(
        single(&with(|i| i.tag_ids = vec![1, 1])),
        is("tag_ids", "duplicate")
    );
    assert_eq!(
        single(&with(|i| i.tag_ids = vec![1, 2, 3, 4])),
        is("tag_ids", "too_many")
    );
    assert!(validate(&with(|i| i.tag_ids = Vec::new()), &TestCatalog, &[]).is_ok());
}

#[test]
fn the_subject_area_decides_the_stage_whose_items_may_be_chosen() {
    assert_eq!(
        single(&with(|i| i.subject_area = "X0000".into())),
        is("subject_area", "invalid_choice")
    );
    // 2-1-1 exists for junior highs but not in category 1.
    assert_eq!(
        single(&with(|i| i.items = vec!["2-1-1".into()])),
        is("items", "not_in_category")
    );
    // 1-1-2 is a junior-high item, not an elementary one.
    assert_eq!(
        single(&with(|i| i.subject_area = "E0201".into())),
        is("items", "not_in_stage")
    );
    assert_eq!(
        single(&with(|i| i.items = Vec::new())),
        is("items", "required")
    );
    assert_eq!(
        single(&with(|i| i.items = vec!["1-1-1".into(), "1-1-1".into()])),
        is("items", "duplicate")
    );
    // A subcategory without items can be chosen as the item itself.
    let policy = with(|i| {
        i.category = "4".into();
        i.items = vec!["4-1".into()];
    });
    assert!(validate(&policy, &TestCatalog, &[]).is_ok());
}

#[test]
fn the_undivided_category_takes_no_items() {
    let undivided = with(|i| {
        i.category = "6".into();
        i.items = Vec::new();
    });
    assert!(validate(&undivided, &TestCatalog, &[]).is_ok());
    assert_eq!(
        single(&with(|i| i.category = "6".into())),
        is("items", "not_in_category")
    );
}

#[test]
fn hours_come_in_half_hour_steps_within_the_class_time() {
    assert!(validate(&with(|i| i.hours = Some(5.5)), &TestCatalog, &[]).is_ok());
    assert_eq!(
        single(&with(|i| i.hours = Some(5.25))),
        is("hours", "not_half_hour_step")
    );
    assert_eq!(
        single(&with(|i| i.hours = Some(0.0))),
        is("hours", "out_of_range")
    );
    assert_eq!(single(&with(|i| i.hours = None)), is("hours", "required"));
    assert_eq!(
        single(&with(|i| i.hours = Some(6.5))),
        is("hours", "hours_exceed_schedule")
    );
}

#[test]
fn a_digital_course_names_its_software_and_is_not_bound_by_class_time() {
    let digital = with(|i| {
        i.modes = vec!["11-6".into()];
        i.hours = Some(10.0);
    });
    assert_eq!(single(&digital), is("remote_software", "required"));
    let named = with(|i| {
        i.modes = vec!["11-6".into()];
        i.hours = Some(10.0);
        i.remote_software = vec!["google_meet".into()];
    });
    let form = validate(&named, &TestCatalog, &[]).unwrap();
    assert!(form.is_digital());
    assert_eq!(form.half_hours, 20);
    let other = with(|i| {
        i.modes = vec!["11-6".into()];
        i.remote_software = vec!["other".into()];
    });
    assert_eq!(single(&other), is("remote_software_other", "required"));
    // Software is dropped from in-person courses.
    let in_person = validate(
        &with(|i| i.remote_software = vec!["zoom".into()]),
        &TestCatalog,
        &[],
    )
    .unwrap();
    assert!(in_person.remote_software.is_empty());
}

#[test]
fn other_choices_need_their_text() {
    assert_eq!(
        single(&with(|i| i.modes = vec!["11-99".into()])),
        is("mode_other", "required")
    );
    assert_eq!(
        single(&with(|i| i.target_titles = vec!["15-99".into()])),
        is("target_title_other", "required")
    );
    let explained = with(|i| {
        i.target_titles = vec!["15-99".into()];
        i.target_title_other = Some("學校護理師".into());
    });
    let form = validate(&explained, &TestCatalog, &[]).unwrap();
    assert_eq!(form.target_title_other.as_deref(), Some("學校護理師"));
}

#[test]
fn credit_classes_carry_credits_of_eighteen_hours() {
    let credit = with(|i| {
        i.class_type = "1-5".into();
        i.credits = Some(2);
        i.hours = None;
    });
    let form = validate(&credit, &TestCatalog, &[]).unwrap();
    assert_eq!((form.credits, form.half_hours), (Some(2), 72));
    assert_eq!(
        single(&with(|i| {
            i.class_type = "1-6".into();
            i.hours = None;
        })),
        is("credits", "required")
    );
    assert_eq!(
        single(&with(|i| {
            i.class_type = "1-5".into();
            i.credits = Some(1);
            i.hours = Some(6.0);
        })),
        is("hours", "hours_mismatch")
    );
    assert_eq!(
        single(&with(|i| i.credits = Some(2))),
        is("credits", "not_allowed")
    );
}

#[test]
fn registration_opens_before_it_closes_and_closes_before_the_course_starts() {
    assert_eq!(
        single(&with(
            |i| i.registration_closes_at = "2026-12-01T09:00".into()
        )),
        is("registration_closes_at", "out_of_order")
    );
    assert_eq!(
        single(&with(
            |i| i.registration_closes_at = "2026-12-19T09:01".into()
        )),
        is("registration_closes_at", "out_of_order")
    );
    // Closing at the very start of the first session is allowed.
    assert!(
        validate(
            &with(|i| i.registration_closes_at = "2026-12-19T09:00".into()),
            &TestCatalog,
            &[]
        )
        .is_ok()
    );
    assert_eq!(
        single(&with(|i| i.registration_opens_at = "tomorrow".into())),
        is("registration_opens_at", "invalid_datetime")
    );
}

#[test]
fn sessions_are_checked_one_by_one() {
    assert_eq!(
        single(&with(
            |i| i.sessions = vec![session("2026-12-19", "09:00", "08:00")]
        )),
        is("sessions[0].ends_at", "out_of_order")
    );
    assert_eq!(
        single(&with(|i| i.sessions.clear())),
        is("sessions", "required")
    );
}

#[test]
fn no_funding_excludes_other_sources() {
    assert_eq!(
        single(&with(
            |i| i.funding_sources = vec!["21-12".into(), "21-1".into()]
        )),
        is("funding_sources", "exclusive_choice")
    );
}

#[test]
fn fees_have_an_amount_exactly_when_teachers_pay() {
    assert_eq!(
        single(&with(|i| i.fee_kind = "22-1".into())),
        is("fee_amount", "required")
    );
    assert!(
        validate(
            &with(|i| {
                i.fee_kind = "22-4".into();
                i.fee_amount = Some(500);
            }),
            &TestCatalog,
            &[]
        )
        .is_ok()
    );
    assert_eq!(
        single(&with(|i| i.fee_amount = Some(100))),
        is("fee_amount", "not_allowed")
    );
}

#[test]
fn places_go_first_come_unless_a_lottery_is_chosen() {
    let form = validate(&valid(), &TestCatalog, &[]).unwrap();
    assert_eq!(form.allocation, Allocation::FirstCome);
    let lottery = validate(
        &with(|i| i.allocation = "lottery".into()),
        &TestCatalog,
        &[],
    )
    .unwrap();
    assert_eq!(lottery.allocation, Allocation::Lottery);
    assert_eq!(
        single(&with(|i| i.allocation = "auction".into())),
        is("allocation", "invalid_choice")
    );
}

#[test]
fn places_must_be_positive() {
    assert_eq!(
        single(&with(|i| i.places_per_class = Some(0))),
        is("places_per_class", "out_of_range")
    );
    assert_eq!(
        single(&with(|i| i.classes = None)),
        is("classes", "required")
    );
    assert_eq!(
        single(&with(|i| i.classes = Some(51))),
        is("classes", "out_of_range")
    );
    let form = validate(
        &with(|i| {
            i.classes = Some(3);
            i.places_per_class = Some(35);
        }),
        &TestCatalog,
        &[],
    )
    .unwrap();
    assert_eq!(form.capacity(), 105);
}

#[test]
fn contacts_are_one_or_two_complete_people() {
    assert_eq!(
        single(&with(|i| i.contacts.clear())),
        is("contacts", "required")
    );
    assert_eq!(
        single(&with(|i| i.contacts = vec![contact(); 3])),
        is("contacts", "too_many")
    );
    let broken = with(|i| {
        i.contacts = vec![
            contact(),
            Contact {
                name: "李承辦".into(),
                phone: "abc".into(),
                email: "not-an-address".into(),
            },
        ]
    });
    assert_eq!(
        problems(&broken),
        [
            is("contacts[1].phone", "invalid_phone"),
            is("contacts[1].email", "invalid_email")
        ]
    );
}
