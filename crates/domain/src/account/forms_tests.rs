use super::*;

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

#[test]
fn a_real_plausible_date_is_accepted() {
    assert_eq!(
        check_birth_date("b", " 1985-03-02 ", today())
            .unwrap()
            .to_string(),
        "1985-03-02"
    );
}

#[test]
fn empty_malformed_and_implausible_dates_each_have_a_code() {
    let code = |t: &str| check_birth_date("b", t, today()).unwrap_err().0[0].code;
    assert_eq!(code(""), "required");
    assert_eq!(code("1985-02-30"), "invalid_date");
    assert_eq!(code("02/03/1985"), "invalid_date");
    assert_eq!(code("2020-01-01"), "implausible_birth_date");
    assert_eq!(code("1900-01-01"), "implausible_birth_date");
}

const GOOD: BasicsInput<'static> = BasicsInput {
    account_name: "wang01",
    password: "correct horse 42",
    real_name: " 王小明 ",
    national_id: "A123456789",
    email: "wang@example.tw",
};

fn codes(error: &FieldErrors) -> Vec<(&str, &str)> {
    error.0.iter().map(|e| (e.field.as_str(), e.code)).collect()
}

fn sign_up<'a>(subjects: &'a [String]) -> SignUpInput<'a> {
    SignUpInput {
        basics: GOOD,
        birth_date: "1985-03-02",
        gender: "female",
        phone: Some("  "),
        job_title: "15-4",
        subjects,
        accept_agreement: true,
        accept_privacy: true,
    }
}

const SCHOOL: NamedUnit = NamedUnit::Found {
    open: true,
    kind: UnitKind::Elementary,
};

#[test]
fn a_complete_sign_up_is_cleaned() {
    let subjects = vec![" 數學 ".to_owned()];
    let form = check_sign_up(&sign_up(&subjects), SCHOOL, today()).unwrap();
    assert_eq!(form.basics.name.as_str(), "wang01");
    assert_eq!(form.basics.real_name, "王小明");
    assert_eq!(form.gender, Gender::Female);
    assert_eq!(form.phone, None);
    assert_eq!(form.subjects, ["數學"]);
    assert!(check_sign_up(&sign_up(&subjects), NamedUnit::None, today()).is_ok());
}

#[test]
fn every_sign_up_failure_is_reported_in_the_form_order() {
    let subjects = vec![String::new()];
    let input = SignUpInput {
        basics: BasicsInput {
            account_name: "",
            password: "short",
            real_name: "",
            national_id: "X",
            email: "nope",
        },
        birth_date: "",
        gender: "x",
        phone: Some("abc"),
        job_title: "99",
        subjects: &subjects,
        accept_agreement: false,
        accept_privacy: false,
    };
    let error = check_sign_up(&input, NamedUnit::Unknown, today()).unwrap_err();
    let fields: Vec<&str> = codes(&error).into_iter().map(|(f, _)| f).collect();
    assert_eq!(
        fields,
        [
            "account_name",
            "password",
            "real_name",
            "national_id",
            "email",
            "birth_date",
            "gender",
            "phone",
            "job_title",
            "subjects",
            "unit_code",
            "accept_agreement",
            "accept_privacy"
        ]
    );
    assert!(codes(&error).contains(&("unit_code", "unknown_unit")));
    assert!(codes(&error).contains(&("accept_privacy", "must_accept")));
}

#[test]
fn only_open_schools_may_be_named() {
    let subjects = Vec::new();
    for unit in [
        NamedUnit::Found {
            open: false,
            kind: UnitKind::Elementary,
        },
        NamedUnit::Found {
            open: true,
            kind: UnitKind::CountyBureau,
        },
    ] {
        let error = check_sign_up(&sign_up(&subjects), unit, today()).unwrap_err();
        assert_eq!(codes(&error), [("unit_code", "not_a_school")]);
    }
}

#[test]
fn typed_unit_codes_are_trimmed_and_blank_is_none() {
    assert_eq!(typed_unit_code(Some(" 353601 ")).as_deref(), Some("353601"));
    assert_eq!(typed_unit_code(Some("  ")), None);
    assert_eq!(typed_unit_code(None), None);
}

fn application(account_type: &'static str) -> ApplicationInput<'static> {
    ApplicationInput {
        basics: GOOD,
        phone: "02-12345678",
        account_type,
        accept_agreement: true,
        accept_privacy: true,
    }
}

#[test]
fn an_application_names_its_unit() {
    let form = check_application(
        &application("chief"),
        Some(("353601".into(), UnitKind::Elementary)),
    )
    .unwrap();
    assert_eq!(form.unit_code, "353601");
    assert_eq!(form.account_type, AccountType::Chief);
    assert_eq!(form.phone, "02-12345678");
}

#[test]
fn applications_to_unknown_units_or_of_types_the_unit_may_not_have_are_refused() {
    let error = check_application(&application("chief"), None).unwrap_err();
    assert_eq!(codes(&error), [("unit_code", "unknown_unit")]);
    let error = check_application(
        &application("chief"),
        Some(("u1".into(), UnitKind::University)),
    )
    .unwrap_err();
    assert_eq!(
        codes(&error),
        [("account_type", "type_not_allowed_for_unit")]
    );
    let mut input = application("boss");
    input.phone = "1";
    input.accept_agreement = false;
    let error = check_application(&input, None).unwrap_err();
    assert_eq!(
        codes(&error),
        [
            ("phone", "invalid_phone"),
            ("account_type", "invalid_account_type"),
            ("unit_code", "unknown_unit"),
            ("accept_agreement", "must_accept")
        ]
    );
}

#[test]
fn a_teacher_entry_checks_each_field() {
    let entry = check_teacher_entry("A123456789", " 王小明 ", "w@x.tw", "15-4").unwrap();
    assert_eq!(entry.real_name, "王小明");
    let error = check_teacher_entry("", "", "x", "0").unwrap_err();
    assert_eq!(
        codes(&error)
            .into_iter()
            .map(|(f, _)| f)
            .collect::<Vec<_>>(),
        ["national_id", "real_name", "email", "job_title"]
    );
}

#[test]
fn profile_fields_not_sent_stay_and_a_blank_phone_clears() {
    let mut errors = Collector::default();
    assert_eq!(check_profile_email(&mut errors, None), None);
    let email = check_profile_email(&mut errors, Some(" New@x.tw "));
    assert_eq!(email.as_deref(), Some("New@x.tw"));
    assert_eq!(changed_email(email.as_deref(), " new@X.tw"), None);
    assert_eq!(
        changed_email(email.as_deref(), "old@x.tw").as_deref(),
        Some("New@x.tw")
    );
    let fields = check_profile_fields(
        &mut errors,
        &ProfileInput {
            phone: Some(" "),
            job_title: Some("15-4"),
            ..ProfileInput::default()
        },
    );
    assert_eq!(fields.phone, Some(None));
    assert_eq!(fields.job_title.as_deref(), Some("15-4"));
    assert_eq!(fields.subjects, None);
    assert!(errors.finish().is_ok());
}

#[test]
fn profile_failures_are_named() {
    let mut errors = Collector::default();
    check_profile_email(&mut errors, Some("bad"));
    check_reauthentication(&mut errors, None);
    check_reauthentication(&mut errors, Some(false));
    check_reauthentication(&mut errors, Some(true));
    let subjects = vec!["a".to_owned(), "a".to_owned()];
    check_profile_fields(
        &mut errors,
        &ProfileInput {
            phone: Some("x"),
            job_title: Some("0"),
            subjects: Some(&subjects),
        },
    );
    let error = errors.finish().unwrap_err();
    assert_eq!(
        codes(&error),
        [
            ("email", "invalid_email"),
            ("current_password", "reauthentication_required"),
            ("current_password", "wrong_password"),
            ("phone", "invalid_phone"),
            ("job_title", "invalid_job_title"),
            ("subjects", "duplicate_subject")
        ]
    );
}

#[test]
fn unit_requests_are_for_teachers_and_other_units() {
    let mut errors = Collector::default();
    let teacher = AccountKind::Teacher;
    assert_eq!(
        unit_request(&mut errors, None, teacher, None),
        UnitRequest::Keep
    );
    assert_eq!(
        unit_request(&mut errors, Some(" "), teacher, None),
        UnitRequest::Withdraw
    );
    assert_eq!(
        unit_request(&mut errors, Some(" 353601 "), teacher, Some("1")),
        UnitRequest::Join("353601")
    );
    assert_eq!(
        requested_unit_found(&mut errors, Some("353601".into())).as_deref(),
        Some("353601")
    );
    assert!(errors.finish().is_ok());
    let mut errors = Collector::default();
    assert_eq!(
        unit_request(&mut errors, Some("1"), AccountKind::Business, None),
        UnitRequest::Refused
    );
    assert_eq!(
        unit_request(&mut errors, Some("1"), teacher, Some("1")),
        UnitRequest::Refused
    );
    assert_eq!(requested_unit_found(&mut errors, None), None);
    let error = errors.finish().unwrap_err();
    assert_eq!(
        codes(&error),
        [
            ("requested_unit_code", "teachers_only"),
            ("requested_unit_code", "already_in_unit"),
            ("requested_unit_code", "unknown_unit")
        ]
    );
}
