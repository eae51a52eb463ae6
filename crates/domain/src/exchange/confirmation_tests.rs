use super::*;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn month(text: &str) -> YearMonth {
    YearMonth::parse("month", text).unwrap()
}

#[test]
fn months_are_read_and_written_as_year_dash_month() {
    assert_eq!(month("2026-11"), YearMonth::new(2026, 11).unwrap());
    assert_eq!(month(" 2026-1 "), YearMonth::new(2026, 1).unwrap());
    assert_eq!(month("2026-01").to_string(), "2026-01");
    assert_eq!(YearMonth::new(2026, 11).unwrap().to_string(), "2026-11");
    for bad in [
        "",
        "2026",
        "2026-",
        "2026-13",
        "2026-00",
        "2026-123",
        "26-11",
        "2026/11",
        "2026-11-01",
        "0000-01",
        "+202-11",
        "2026-+1",
    ] {
        let FieldErrors(errors) = YearMonth::parse("month", bad).unwrap_err();
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code),
            ("month", "invalid_month"),
            "{bad:?}"
        );
    }
    assert_eq!(YearMonth::new(2026, 0), None);
    assert_eq!(YearMonth::new(0, 1), None);
}

#[test]
fn months_step_and_span_their_days() {
    let november = month("2026-11");
    assert_eq!((november.year(), november.month()), (2026, 11));
    assert_eq!(november.first_day(), date("2026-11-01"));
    assert_eq!(november.last_day(), date("2026-11-30"));
    assert_eq!(month("2026-12").next(), month("2027-01"));
    assert_eq!(month("2027-01").previous(), month("2026-12"));
    assert_eq!(month("2028-02").last_day(), date("2028-02-29"));
    assert_eq!(month("2100-02").last_day(), date("2100-02-28"));
    assert_eq!(month("2000-02").last_day(), date("2000-02-29"));
    assert_eq!(YearMonth::of(date("2026-11-30")), november);
    // Every month of four centuries: the days run on from one month to the next.
    let mut current = month("1900-01");
    while current < month("2300-01") {
        let next = current.next();
        assert_eq!(next.previous(), current);
        assert!(next > current);
        assert_eq!(
            current.last_day().succ_opt(),
            Some(next.first_day()),
            "{current}"
        );
        assert_eq!(YearMonth::of(current.last_day()), current);
        current = next;
    }
}

#[test]
fn a_month_is_confirmed_by_the_fifth_of_the_next() {
    assert_eq!(confirmation_deadline(month("2026-11")), date("2026-12-05"));
    assert_eq!(confirmation_deadline(month("2026-12")), date("2027-01-05"));
}

#[test]
fn the_previous_month_is_yellow_up_to_the_fifth_then_red() {
    let since = month("2026-10");
    for (today, expected) in [
        ("2026-11-01", Light::Yellow),
        ("2026-11-05", Light::Yellow),
        ("2026-11-06", Light::Red),
        ("2026-11-30", Light::Red),
    ] {
        assert_eq!(
            months_due(date(today), &[], since),
            [(since, expected)],
            "{today}"
        );
    }
}

#[test]
fn every_unconfirmed_month_since_the_start_is_due() {
    let today = date("2027-01-03");
    let due = months_due(today, &[month("2026-10")], month("2026-09"));
    assert_eq!(
        due,
        [
            (month("2026-09"), Light::Red),
            (month("2026-11"), Light::Red),
            (month("2026-12"), Light::Yellow),
        ]
    );
    let all = [
        month("2026-09"),
        month("2026-10"),
        month("2026-11"),
        month("2026-12"),
    ];
    assert!(months_due(today, &all, month("2026-09")).is_empty());
    assert!(
        months_due(today, &[], month("2027-01")).is_empty(),
        "the current month is not due yet"
    );
    assert!(months_due(today, &[], month("2027-05")).is_empty());
}
