//! The columns of the exchange format and the mapping of a file's header row onto them.

use std::borrow::Cow;

use crate::{FieldError, FieldErrors};

/// The version partners state with every batch; a new version may add or change columns.
pub const FORMAT_VERSION: &str = "1";

/// One column of the format: its stable key (JSON/XML name, CSV header) and its zh-TW header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub key: &'static str,
    pub label: &'static str,
    pub required: bool,
    /// One line for the partner's developers: what the column holds and how to write it.
    pub help: &'static str,
}

pub const COLUMN_COUNT: usize = 15;

const fn column(
    key: &'static str,
    label: &'static str,
    required: bool,
    help: &'static str,
) -> Column {
    Column {
        key,
        label,
        required,
        help,
    }
}

const COLUMNS: [Column; COLUMN_COUNT] = [
    column(
        "partner_course_id",
        "課程代碼",
        true,
        "貴系統的課程編號，1–64 個英數字或 . _ : -；同一課程的每筆紀錄須相同",
    ),
    column("course_name", "課程名稱", true, "研習課程名稱，最多 100 字"),
    column(
        "organiser_code",
        "辦理單位代碼",
        false,
        "選填；辦理單位在貴系統的代碼，最多 32 個小寫英數字或 -",
    ),
    column(
        "organiser_name",
        "辦理單位名稱",
        true,
        "辦理單位全名，最多 100 字",
    ),
    column(
        "start_date",
        "開始日期",
        true,
        "課程第一天，格式 YYYY-MM-DD（亦接受 YYYY/MM/DD 或民國年 115/03/02、1150302）",
    ),
    column(
        "end_date",
        "結束日期",
        true,
        "課程最後一天，格式同開始日期；不早於開始日期，且距開始日期不超過 366 天",
    ),
    column(
        "category",
        "研習類別",
        true,
        "研習類別代碼 1–6（例如 1 = 課程、教學及評量），亦接受類別名稱",
    ),
    column(
        "stage",
        "教育階段",
        true,
        "教育階段代碼 kindergarten、elementary、junior_high、senior_high，或其名稱（例如 國民中學）",
    ),
    column(
        "class_type",
        "課程性質",
        true,
        "班別代碼 1-1 至 1-8（例如 1-1 = 非學分班），或其名稱",
    ),
    column(
        "tags",
        "研習屬性",
        false,
        "選填；研習屬性名稱，以 ; 或 、 分隔，最多 3 個",
    ),
    column(
        "partner_record_id",
        "紀錄代碼",
        true,
        "貴系統的研習紀錄編號，規則同課程代碼；以相同編號重送會更新該筆，不會重複採計",
    ),
    column(
        "identity_number",
        "身分證統一編號或居留證統一證號",
        true,
        "學員的身分證統一編號或居留證統一證號（10 碼）",
    ),
    column("teacher_name", "姓名", true, "學員姓名，最多 50 字"),
    column(
        "hours",
        "研習時數",
        true,
        "學員取得的研習時數，以 0.5 小時為單位（例如 3 或 2.5），最多 400 小時",
    ),
    column(
        "attended_on",
        "上課日期",
        false,
        "選填；學員上課的日期，以 ; 分隔，須在課程期間內；未填則為開始日期",
    ),
];

/// The columns in the order of the template a partner downloads.
pub const RECORD_COLUMNS: &[Column] = &COLUMNS;

/// Positions in [`RECORD_COLUMNS`], so validation reads a cell without looking its key up.
pub(super) mod at {
    pub const PARTNER_COURSE_ID: usize = 0;
    pub const COURSE_NAME: usize = 1;
    pub const ORGANISER_CODE: usize = 2;
    pub const ORGANISER_NAME: usize = 3;
    pub const START_DATE: usize = 4;
    pub const END_DATE: usize = 5;
    pub const CATEGORY: usize = 6;
    pub const STAGE: usize = 7;
    pub const CLASS_TYPE: usize = 8;
    pub const TAGS: usize = 9;
    pub const PARTNER_RECORD_ID: usize = 10;
    pub const IDENTITY_NUMBER: usize = 11;
    pub const TEACHER_NAME: usize = 12;
    pub const HOURS: usize = 13;
    pub const ATTENDED_ON: usize = 14;
}

/// Spreadsheet programs put a byte-order mark before the first header of a UTF-8 CSV.
const BOM: char = '\u{feff}';

fn column_index(header: &str) -> Option<usize> {
    let header = header.trim_start_matches(BOM).trim();
    COLUMNS
        .iter()
        .position(|c| c.key.eq_ignore_ascii_case(header) || c.label == header)
}

/// The column a header names: its key (any case) or its zh-TW label, surrounding spaces ignored.
pub fn column_by_header(header: &str) -> Option<&'static Column> {
    column_index(header).and_then(|i| RECORD_COLUMNS.get(i))
}

/// A header or key quoted in a message, cut short: it comes from the partner's file.
fn quoted(text: &str) -> String {
    const MAX: usize = 40;
    let mut shown: String = text.trim().chars().take(MAX).collect();
    if text.trim().chars().count() > MAX {
        shown.push('…');
    }
    shown
}

/// Where each column sits in the rows of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderMap {
    positions: [Option<usize>; COLUMN_COUNT],
}

/// Maps a header row onto the columns. Blank headers are skipped (spreadsheets export trailing
/// empty columns); every unknown, repeated or missing required column is reported.
pub fn map_header<S: AsRef<str>>(headers: &[S]) -> Result<HeaderMap, FieldErrors> {
    let mut positions = [None; COLUMN_COUNT];
    let mut errors = Vec::new();
    for (position, header) in headers.iter().enumerate() {
        let header = header.as_ref();
        if header.trim_start_matches(BOM).trim().is_empty() {
            continue;
        }
        let number = position + 1;
        match column_index(header) {
            None => errors.push(FieldError::new(
                "file",
                "unknown_column",
                format!("第 {number} 欄「{}」不是交換格式的欄位", quoted(header)),
            )),
            Some(i) if positions[i].is_some() => errors.push(FieldError::new(
                "file",
                "duplicate_column",
                format!("第 {number} 欄「{}」與前面的欄位重複", quoted(header)),
            )),
            Some(i) => positions[i] = Some(position),
        }
    }
    for (column, position) in COLUMNS.iter().zip(&positions) {
        if column.required && position.is_none() {
            errors.push(FieldError::new(
                column.key,
                "missing_column",
                format!("缺少必要欄位「{}」（{}）", column.label, column.key),
            ));
        }
    }
    if errors.is_empty() {
        Ok(HeaderMap { positions })
    } else {
        Err(FieldErrors(errors))
    }
}

impl HeaderMap {
    /// The values of one positional row, borrowed from it. Cells missing at the end of a short
    /// row are empty; cells under a skipped blank header are ignored.
    pub fn row<'a, S: AsRef<str>>(&self, cells: &'a [S]) -> RawRow<'a> {
        RawRow {
            cells: self.positions.map(|position| {
                position
                    .and_then(|p| cells.get(p))
                    .map(|cell| Cow::Borrowed(cell.as_ref()))
            }),
        }
    }
}

/// One row's values by column, unchecked. Borrowed from a CSV record, owned when built from a
/// JSON or XML map; an array by column position, so millions of rows stay cheap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRow<'a> {
    cells: [Option<Cow<'a, str>>; COLUMN_COUNT],
}

impl RawRow<'static> {
    /// A row from `(key, value)` pairs, as a JSON object or an XML record gives them. Keys are
    /// the column keys exactly: these formats are written by programs, not by hand.
    pub fn from_pairs(
        pairs: impl IntoIterator<Item = (String, String)>,
    ) -> Result<RawRow<'static>, FieldErrors> {
        let mut row = RawRow::default();
        let mut errors = Vec::new();
        for (key, value) in pairs {
            match COLUMNS.iter().position(|c| c.key == key) {
                None => errors.push(FieldError::new(
                    quoted(&key),
                    "unknown_column",
                    format!("「{}」不是交換格式的欄位", quoted(&key)),
                )),
                Some(i) if row.cells[i].is_some() => errors.push(FieldError::new(
                    key,
                    "duplicate_column",
                    "同一筆紀錄的欄位重複",
                )),
                Some(i) => row.cells[i] = Some(Cow::Owned(value)),
            }
        }
        if errors.is_empty() {
            Ok(row)
        } else {
            Err(FieldErrors(errors))
        }
    }
}

impl RawRow<'_> {
    /// The raw value of the column `key`, if the row has it.
    pub fn get(&self, key: &str) -> Option<&str> {
        let i = COLUMNS.iter().position(|c| c.key == key)?;
        self.cell(i)
    }

    pub(super) fn cell(&self, index: usize) -> Option<&str> {
        self.cells.get(index)?.as_deref()
    }
}

#[cfg(test)]
#[path = "format_tests.rs"]
mod tests;
