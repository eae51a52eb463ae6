//! Turning the MOE school directory's table (read from CSV or xlsx by `crate::uploads`) into
//! directory rows, with per-row errors.

use std::collections::HashMap;

use inservice_domain::review::Ownership;
use inservice_domain::{FieldError, FieldErrors, UnitCode, UnitKind};
use inservice_persistence::units::{DirectoryRow, UnitFacts};

/// The columns, by their English or Chinese header.
const COLUMNS: [(&str, &[&str]); 8] = [
    ("code", &["code", "學校代碼", "代碼"]),
    ("name", &["name", "學校名稱", "名稱"]),
    ("county", &["county", "縣市", "縣市名稱"]),
    ("kind", &["kind", "類別", "學校類別"]),
    ("ownership", &["ownership", "公私立"]),
    ("address", &["address", "地址"]),
    ("phone", &["phone", "電話"]),
    ("status", &["status", "狀態"]),
];

fn kind_of(text: &str) -> Option<UnitKind> {
    text.parse()
        .ok()
        .or_else(|| UnitKind::ALL.into_iter().find(|k| k.label() == text))
}

fn ownership_of(text: &str) -> Option<Ownership> {
    match text {
        "" | "local" | "公立" | "市立" | "縣立" | "直轄市立" => Some(Ownership::Local),
        "national" | "國立" => Some(Ownership::National),
        "private" | "私立" => Some(Ownership::Private),
        _ => None,
    }
}

fn closed_of(text: &str) -> Option<bool> {
    match text {
        "" | "open" | "開" | "營運中" => Some(false),
        "closed" | "閉" | "裁併" | "停辦" | "廢校" => Some(true),
        _ => None,
    }
}

/// Turns the table (header row first) into directory rows; every bad cell is reported as
/// `row N: column`, and any error rejects the whole file.
pub fn parse_rows(
    table: Vec<Vec<String>>,
    counties: &HashMap<String, String>,
) -> Result<Vec<DirectoryRow>, FieldErrors> {
    let mut rows = table.into_iter();
    let header = rows
        .next()
        .ok_or_else(|| FieldErrors::single("file", "empty_file", "檔案沒有內容"))?;
    let mut index = HashMap::new();
    for (name, aliases) in COLUMNS {
        if let Some(position) = header
            .iter()
            .position(|h| aliases.contains(&h.trim().trim_start_matches('\u{feff}')))
        {
            index.insert(name, position);
        }
    }
    let missing: Vec<FieldError> = ["code", "name", "county", "kind"]
        .into_iter()
        .filter(|c| !index.contains_key(c))
        .map(|c| FieldError::new("file", "missing_column", format!("缺少欄位 {c}")))
        .collect();
    if !missing.is_empty() {
        return Err(FieldErrors(missing));
    }
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    for (offset, row) in rows.enumerate() {
        let line = offset + 2;
        let cell = |name: &str| {
            index
                .get(name)
                .and_then(|i| row.get(*i))
                .map(|v| v.trim().to_owned())
                .unwrap_or_default()
        };
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut fail = |column: &str, message: &str| {
            errors.push(FieldError::new(
                format!("row {line}: {column}"),
                "invalid_cell",
                message.to_owned(),
            ));
        };
        // Files do not pass the JSON input guard: their cells are checked here.
        for (column, _) in COLUMNS {
            if crate::input_guard::check_plain_text(column, &cell(column)).is_err() {
                fail(column, "含有控制字元或超過 1000 字");
            }
        }
        for (column, max) in [("name", 100), ("address", 200), ("phone", 30)] {
            if cell(column).chars().count() > max {
                fail(column, &format!("最多 {max} 字"));
            }
        }
        let code = UnitCode::parse_field("code", &cell("code")).ok();
        if code.is_none() {
            fail("code", "代碼須為英數字");
        }
        let name = cell("name");
        if name.is_empty() {
            fail("name", "名稱不可空白");
        }
        let county_text = cell("county");
        let county = counties
            .get(&county_text)
            .cloned()
            .or_else(|| counties.values().find(|c| **c == county_text).cloned());
        if county.is_none() {
            fail("county", "縣市須為 22 縣市之一（名稱或代碼）");
        }
        let kind = kind_of(&cell("kind"));
        if kind.is_none() {
            fail("kind", "類別不正確，例如 國民小學 或 elementary");
        }
        let ownership = ownership_of(&cell("ownership"));
        if ownership.is_none() {
            fail("ownership", "公私立須為 國立、公立或私立");
        }
        let closed = closed_of(&cell("status"));
        if closed.is_none() {
            fail("status", "狀態須為 open 或 closed");
        }
        if let (Some(code), Some(county), Some(kind), Some(ownership), Some(closed)) =
            (code, county, kind, ownership, closed)
        {
            let optional = |v: String| Some(v).filter(|v| !v.is_empty());
            parsed.push(DirectoryRow {
                code: code.as_str().to_owned(),
                facts: UnitFacts {
                    name,
                    kind,
                    county_code: Some(county),
                    ownership,
                    address: optional(cell("address")),
                    phone: optional(cell("phone")),
                    email: None,
                },
                closed,
            });
        }
    }
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(FieldErrors(errors))
    }
}

#[cfg(test)]
mod tests {
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
            ]),
            &counties(),
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].facts.county_code.as_deref(), Some("63000"));
        assert_eq!(rows[0].facts.kind, UnitKind::Elementary);
        assert!(!rows[0].closed && rows[1].closed);
        assert_eq!(rows[1].facts.address, None);
    }

    #[test]
    fn every_bad_cell_is_reported_with_its_row() {
        let FieldErrors(errors) = parse_rows(
            table(&[
                &["code", "name", "county", "kind"],
                &["ok-1", "甲", "臺北市", "elementary"],
                &["", "", "火星", "school"],
            ]),
            &counties(),
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["row 3: code", "row 3: name", "row 3: county", "row 3: kind"]
        );
    }

    #[test]
    fn missing_columns_reject_the_file() {
        let FieldErrors(errors) = parse_rows(table(&[&["code", "name"]]), &counties()).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert!(parse_rows(Vec::new(), &counties()).is_err());
    }

    #[test]
    fn a_bom_before_the_first_header_is_ignored() {
        let rows = crate::uploads::read_csv(
            "\u{feff}code,name,county,kind\nx1,甲,臺北市,elementary\n".as_bytes(),
            &crate::uploads::Limits::SHEETS,
        )
        .unwrap();
        assert_eq!(parse_rows(rows, &counties()).unwrap().len(), 1);
    }
}
