use super::*;

fn counties() -> HashMap<String, String> {
    [
        ("臺北市".to_owned(), "63000".to_owned()),
        ("宜蘭縣".to_owned(), "10002".to_owned()),
    ]
    .into()
}

fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
        .collect()
}

fn fields(error: &FieldErrors) -> Vec<&str> {
    error.0.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn chinese_headers_labels_and_names_are_understood() {
    let rows = parse_rows(
        table(&[
            &[
                "學校代碼",
                "學校名稱",
                "縣市",
                "類別",
                "公私立",
                "地址",
                "電話",
                "狀態",
            ],
            &[
                "353601",
                "市立甲國小",
                "臺北市",
                "國民小學",
                "市立",
                "臺北市中正區",
                "02-1234",
                "",
            ],
            &[
                "023601",
                "縣立乙國中",
                "10002",
                "junior_high",
                "公立",
                "",
                "",
                "裁併",
            ],
            &["", " ", "", "", "", "", "", ""],
            &[
                "x9",
                "私立丙高中",
                "宜蘭縣",
                "senior_high",
                "私立",
                "",
                "",
                "open",
            ],
        ]),
        &counties(),
    )
    .unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].code, "353601");
    assert_eq!(rows[0].facts.name, "市立甲國小");
    assert_eq!(rows[0].facts.county_code.as_deref(), Some("63000"));
    assert_eq!(rows[0].facts.kind, UnitKind::Elementary);
    assert_eq!(rows[0].facts.ownership, Ownership::Local);
    assert_eq!(rows[0].facts.address.as_deref(), Some("臺北市中正區"));
    assert_eq!(rows[0].facts.phone.as_deref(), Some("02-1234"));
    assert!(!rows[0].closed && rows[1].closed && !rows[2].closed);
    assert_eq!(rows[1].facts.county_code.as_deref(), Some("10002"));
    assert_eq!(rows[1].facts.address, None);
    assert_eq!(rows[2].facts.ownership, Ownership::Private);
}

#[test]
fn every_bad_cell_is_reported_with_its_row() {
    let error = parse_rows(
        table(&[
            &["code", "name", "county", "kind"],
            &["ok-1", "甲", "臺北市", "elementary"],
            &["", "", "火星", "school"],
        ]),
        &counties(),
    )
    .unwrap_err();
    assert_eq!(
        fields(&error),
        ["row 3: code", "row 3: name", "row 3: county", "row 3: kind"]
    );
    assert!(error.0.iter().all(|e| e.code == "invalid_cell"));
}

#[test]
fn ownership_status_length_and_control_characters_are_checked() {
    let long_name = "校".repeat(101);
    let error = parse_rows(
        table(&[
            &[
                "code",
                "name",
                "county",
                "kind",
                "ownership",
                "status",
                "phone",
            ],
            &[
                "a1",
                &long_name,
                "臺北市",
                "elementary",
                "公辦民營",
                "maybe",
                "1\u{7}",
            ],
        ]),
        &counties(),
    )
    .unwrap_err();
    assert_eq!(
        fields(&error),
        [
            "row 2: phone",
            "row 2: name",
            "row 2: ownership",
            "row 2: status"
        ]
    );
    assert_eq!(error.0[0].message, "含有控制字元或超過 1000 字");
    assert_eq!(error.0[1].message, "最多 100 字");
}

#[test]
fn missing_columns_reject_the_file() {
    let error = parse_rows(table(&[&["code", "name"]]), &counties()).unwrap_err();
    assert_eq!(error.0.len(), 2);
    assert!(error.0.iter().all(|e| e.code == "missing_column"));
    assert_eq!(error.0[0].message, "缺少欄位 county");
    let error = parse_rows(Vec::new(), &counties()).unwrap_err();
    assert_eq!(error.0[0].code, "empty_file");
}

#[test]
fn a_bom_before_the_first_header_is_ignored() {
    let rows = parse_rows(
        table(&[
            &["\u{feff}code", "name", "county", "kind"],
            &["x1", "甲", "臺北市", "elementary"],
        ]),
        &counties(),
    )
    .unwrap();
    assert_eq!(rows.len(), 1);
}
