//! The MOE school directory (教育部學校名錄) as a table of cells (header row first, read from CSV
//! or xlsx by the API): each row checked into the facts of one unit, with per-row errors.

use std::collections::HashMap;

use crate::review::Ownership;
use crate::validation::check_plain_text;
use crate::{FieldError, FieldErrors, UnitCode, UnitKind};

/// The editable facts about a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitFacts {
    pub name: String,
    pub kind: UnitKind,
    pub county_code: Option<String>,
    pub ownership: Ownership,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// One row of the MOE school directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryRow {
    pub code: String,
    pub facts: UnitFacts,
    /// The directory marks the school as closed (裁併、停辦).
    pub closed: bool,
}

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

/// Where each known column is, by its name in [`COLUMNS`].
type ColumnIndex = HashMap<&'static str, usize>;

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
    let index = column_index(&header)?;
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    for (offset, row) in rows.enumerate() {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // Spreadsheet rows count from 1, and the header row comes first.
        let line = offset + 2;
        if let Some(row) = parse_row(line, &row, &index, counties, &mut errors) {
            parsed.push(row);
        }
    }
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(FieldErrors(errors))
    }
}

/// Finds the columns by their headers (a BOM before the first is ignored); code, name, county
/// and kind are required.
fn column_index(header: &[String]) -> Result<ColumnIndex, FieldErrors> {
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
    if missing.is_empty() {
        Ok(index)
    } else {
        Err(FieldErrors(missing))
    }
}

/// One row, its problems appended to `errors` (named `row {line}: column`).
fn parse_row(
    line: usize,
    row: &[String],
    index: &ColumnIndex,
    counties: &HashMap<String, String>,
    errors: &mut Vec<FieldError>,
) -> Option<DirectoryRow> {
    let cell = |name: &str| {
        index
            .get(name)
            .and_then(|i| row.get(*i))
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let mut fail = |column: &str, message: &str| {
        errors.push(FieldError::new(
            format!("row {line}: {column}"),
            "invalid_cell",
            message.to_owned(),
        ));
    };
    // Files do not pass the JSON input guard: their cells are checked here.
    for (column, _) in COLUMNS {
        if check_plain_text(column, &cell(column)).is_err() {
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
    let optional = |v: String| Some(v).filter(|v| !v.is_empty());
    Some(DirectoryRow {
        code: code?.as_str().to_owned(),
        facts: UnitFacts {
            name,
            kind: kind?,
            county_code: Some(county?),
            ownership: ownership?,
            address: optional(cell("address")),
            phone: optional(cell("phone")),
            email: None,
        },
        closed: closed?,
    })
}

#[cfg(test)]
#[path = "directory_tests.rs"]
mod tests;
