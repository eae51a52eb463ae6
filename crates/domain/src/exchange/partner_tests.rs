use super::*;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn kinds_and_items_round_trip_through_their_codes() {
    let kinds: Vec<(&str, &str)> = PartnerKind::ALL
        .iter()
        .map(|k| (k.code(), k.label()))
        .collect();
    assert_eq!(
        kinds,
        [("county_system", "縣市系統"), ("platform", "合作平臺")]
    );
    for kind in PartnerKind::ALL {
        assert_eq!(PartnerKind::from_code(kind.code()), Some(kind));
    }
    let items: Vec<(&str, &str)> = CooperationItem::ALL
        .iter()
        .map(|i| (i.code(), i.label()))
        .collect();
    assert_eq!(
        items,
        [
            ("sends_records", "傳送研習紀錄"),
            ("retrieves_records", "取回研習紀錄"),
            ("base_data", "提供基本資料"),
            ("roaming", "帳號漫遊"),
        ]
    );
    for item in CooperationItem::ALL {
        assert_eq!(CooperationItem::from_code(item.code()), Some(item));
    }
    assert_eq!(PartnerKind::from_code("County_System"), None);
    assert_eq!(CooperationItem::from_code("records"), None);
}

#[test]
fn items_are_deduplicated_in_list_order() {
    assert_eq!(
        parse_items(&strings(&[
            "roaming",
            " sends_records ",
            "roaming",
            "base_data"
        ])),
        Ok(vec![
            CooperationItem::SendsRecords,
            CooperationItem::BaseData,
            CooperationItem::Roaming,
        ])
    );
    let FieldErrors(errors) = parse_items(&strings(&["roaming", "x", "y"])).unwrap_err();
    let found: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        found,
        [("items", "invalid_choice"), ("items", "invalid_choice"),]
    );
    assert!(errors[1].message.contains("「y」"));
    assert_eq!(parse_items(&[]).unwrap_err().0[0].code, "required");
}

#[test]
fn a_contact_is_green_for_eleven_months_yellow_for_the_last_thirty_days_then_red() {
    let confirmed = date("2026-01-10");
    assert_eq!(contact_light(None, confirmed), Light::Red);
    for days in 0..=400u64 {
        let today = confirmed + Days::new(days);
        let expected = match days {
            0..=335 => Light::Green,
            336..=365 => Light::Yellow,
            _ => Light::Red,
        };
        assert_eq!(
            contact_light(Some(confirmed), today),
            expected,
            "day {days}"
        );
    }
    assert_eq!(
        contact_light(Some(confirmed), date("2026-01-01")),
        Light::Green,
        "confirmed after today (a clock set wrong) is not overdue"
    );
}

#[test]
fn a_contact_is_due_a_year_after_confirmation() {
    assert_eq!(contact_due(None), None);
    assert_eq!(
        contact_due(Some(date("2026-01-10"))),
        Some(date("2027-01-10"))
    );
    // Across a leap day a year of 365 days ends a day early.
    assert_eq!(
        contact_due(Some(date("2028-01-10"))),
        Some(date("2029-01-09"))
    );
    let due = contact_due(Some(date("2026-05-01"))).unwrap();
    assert_eq!(contact_light(Some(date("2026-05-01")), due), Light::Yellow);
    assert_eq!(
        contact_light(Some(date("2026-05-01")), due + Days::new(1)),
        Light::Red
    );
}

#[test]
fn partner_codes_are_short_lower_case_words() {
    for (text, code) in [
        ("tp", "tp"),
        (" Taipei-City ", "taipei-city"),
        ("e-learning-2", "e-learning-2"),
    ] {
        assert_eq!(parse_partner_code("code", text), Ok(code.to_owned()));
    }
    assert!(parse_partner_code("code", &"a".repeat(32)).is_ok());
    for (bad, expected) in [
        ("", "required"),
        ("  ", "required"),
        ("t", "invalid_code"),
        ("taipei_city", "invalid_code"),
        ("臺北市", "invalid_code"),
        ("a.b", "invalid_code"),
        (&"a".repeat(33), "invalid_code"),
    ] {
        let FieldErrors(errors) = parse_partner_code("code", bad).unwrap_err();
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code),
            ("code", expected),
            "{bad:?}"
        );
    }
}
