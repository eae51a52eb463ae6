//! Readers of exchange batches: JSON and XML stream row by row (a million rows never sit in
//! memory at once); a workbook's sheet is read cell by cell after the upload gate checked it.
//! Each row is validated as it is read and handed to `emit`; what only the file as a whole can
//! get wrong (not readable, wrong columns, wrong version) ends the reading with a
//! [`FileProblem`].

use std::collections::HashSet;
use std::fmt;
use std::io::{BufRead, Cursor};

use inservice_domain::FieldErrors;
use inservice_domain::exchange::{
    ExchangeRow, FORMAT_VERSION, RECORD_COLUMNS, RawRow, base_column, map_header, validate_row,
};
use quick_xml::events::Event;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::xml::{XmlGuard, XmlLimits};
use super::{Limits, Reason, UploadError};

/// Rows of one batch, in any format.
pub const MAX_BATCH_ROWS: u64 = 1_000_000;
/// Bytes of a JSON or XML batch: a million rows of about 300 bytes.
pub const MAX_BATCH_BYTES: u64 = 400 << 20;
/// Bytes of a workbook batch (compressed), filled in by hand.
pub const MAX_WORKBOOK_BYTES: u64 = 40 << 20;
/// A workbook batch: 100,000 rows of the format's 15 columns.
pub const WORKBOOK: Limits = Limits {
    max_rows: 100_001,
    max_columns: 30,
    max_cells: 1_600_000,
    max_shared_strings: 1_600_000,
    max_entry_bytes: 300 << 20,
    max_total_bytes: 400 << 20,
    ..Limits::SHEETS
};

/// The formats a batch comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchFormat {
    Json,
    Xml,
    Xlsx,
}

impl BatchFormat {
    pub fn code(self) -> &'static str {
        match self {
            BatchFormat::Json => "json",
            BatchFormat::Xml => "xml",
            BatchFormat::Xlsx => "xlsx",
        }
    }

    /// The format a `Content-Type` names.
    pub fn of_content_type(value: &str) -> Option<BatchFormat> {
        let value = value.split(';').next()?.trim().to_ascii_lowercase();
        match value.as_str() {
            "application/json" => Some(BatchFormat::Json),
            "application/xml" | "text/xml" => Some(BatchFormat::Xml),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => {
                Some(BatchFormat::Xlsx)
            }
            _ => None,
        }
    }
}

/// Why a file as a whole cannot be taken in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    Upload(UploadError),
    /// The header or the version: each problem names its column.
    Shape(FieldErrors),
}

impl From<UploadError> for FileProblem {
    fn from(error: UploadError) -> Self {
        FileProblem::Upload(error)
    }
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileProblem::Upload(UploadError::Rejected { detail, .. }) => f.write_str(detail),
            FileProblem::Upload(UploadError::Unreadable(message)) => f.write_str(message),
            FileProblem::Shape(errors) => {
                let messages: Vec<&str> = errors.0.iter().map(|e| e.message.as_str()).collect();
                f.write_str(&messages.join("；"))
            }
        }
    }
}

/// One row as read: validated, or its partner record id (if readable) and its problems.
pub type RowResult = Result<ExchangeRow, (Option<String>, FieldErrors)>;

/// Where rows go; `false` stops the reading (the consumer has gone).
pub type Emit<'e> = &'e mut dyn FnMut(u64, RowResult) -> bool;

/// One row as (key, value) pairs, or why it has none.
pub type Pairs = Result<Vec<(String, String)>, FieldErrors>;

/// Where rows go as pairs; `false` stops the reading.
pub type PairsEmit<'e> = &'e mut dyn FnMut(u64, Pairs) -> bool;

fn check(raw: &RawRow<'_>, known_tags: &HashSet<String>) -> RowResult {
    validate_row(raw, &|tag| known_tags.contains(tag))
        .map_err(|errors| (raw.get("partner_record_id").map(str::to_owned), errors))
}

fn wrong_version(found: Option<&str>) -> FileProblem {
    FileProblem::Shape(FieldErrors::single(
        "format_version",
        "unsupported_format_version",
        match found {
            Some(v) => format!("交換格式版本「{v}」不支援；目前版本為 {FORMAT_VERSION}"),
            None => format!("缺少交換格式版本（format_version），目前版本為 {FORMAT_VERSION}"),
        },
    ))
}

fn too_many_rows() -> FileProblem {
    FileProblem::Upload(UploadError::rejected(
        Reason::TooManyRows,
        format!("一個批次最多 {MAX_BATCH_ROWS} 筆紀錄；請分批傳送。"),
    ))
}

/// Reads a batch from `source` and hands each row to `emit`, in order, numbered from 1.
pub fn read_batch(
    source: impl BufRead,
    format: BatchFormat,
    known_tags: &HashSet<String>,
    emit: Emit<'_>,
) -> Result<(), FileProblem> {
    let mut to_record = |row: u64, pairs: Pairs| {
        let result = pairs
            .and_then(RawRow::from_pairs)
            .map_err(|e| (None, e))
            .and_then(|raw| check(&raw, known_tags));
        emit(row, result)
    };
    match format {
        BatchFormat::Json => read_json(source, &mut to_record),
        BatchFormat::Xml => read_xml(source, &mut to_record),
        BatchFormat::Xlsx => {
            let bytes = read_capped_workbook(source)?;
            read_xlsx(&bytes, known_tags, emit)
        }
    }
}

fn read_capped_workbook(source: impl BufRead) -> Result<Vec<u8>, FileProblem> {
    let mut bytes = Vec::new();
    let mut capped = super::xml::Capped::new(source, MAX_WORKBOOK_BYTES);
    std::io::Read::read_to_end(&mut capped, &mut bytes)
        .map_err(|e| UploadError::Unreadable(format!("無法讀取檔案：{e}")))?;
    if capped.over() {
        return Err(FileProblem::Upload(UploadError::rejected(
            Reason::WorkbookTooLarge,
            format!("Excel 檔不可超過 {} MB。", MAX_WORKBOOK_BYTES >> 20),
        )));
    }
    Ok(bytes)
}

/// Reads a base-data batch: the same shapes as records (`rows` in JSON, `<row>` in XML, a
/// header row in a workbook), the columns of [`BASE_COLUMNS`].
pub fn read_base_data(
    source: impl BufRead,
    format: BatchFormat,
    emit: PairsEmit<'_>,
) -> Result<(), FileProblem> {
    match format {
        BatchFormat::Json => read_json(source, emit),
        BatchFormat::Xml => read_xml(source, emit),
        BatchFormat::Xlsx => read_base_xlsx(&read_capped_workbook(source)?, emit),
    }
}

fn read_base_xlsx(bytes: &[u8], emit: PairsEmit<'_>) -> Result<(), FileProblem> {
    let table = super::read_xlsx(bytes, &WORKBOOK)?;
    let mut rows = table
        .into_iter()
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()));
    let Some(header) = rows.next() else {
        return Err(FileProblem::Shape(FieldErrors::single(
            "file",
            "empty_file",
            "工作表沒有標題列與資料",
        )));
    };
    let mut keys = Vec::with_capacity(header.len());
    let mut errors = Vec::new();
    for (i, name) in header.iter().enumerate() {
        if name.trim().is_empty() {
            keys.push(None);
            continue;
        }
        match base_column(name) {
            Some(column) => keys.push(Some(column.key)),
            None => {
                errors.push(inservice_domain::FieldError::new(
                    "file",
                    "unknown_column",
                    format!("第 {} 欄「{}」不是基本資料的欄位", i + 1, name.trim()),
                ));
                keys.push(None);
            }
        }
    }
    if !keys.contains(&Some("identity_number")) {
        errors.push(inservice_domain::FieldError::new(
            "identity_number",
            "missing_column",
            "缺少必要欄位「身分證統一編號或居留證統一證號」（identity_number）",
        ));
    }
    if !errors.is_empty() {
        return Err(FileProblem::Shape(FieldErrors(errors)));
    }
    for (n, cells) in rows.enumerate() {
        let pairs = keys
            .iter()
            .zip(cells)
            .filter_map(|(key, value)| key.map(|k| (k.to_owned(), value)))
            .collect();
        if !emit(n as u64 + 1, Ok(pairs)) {
            break;
        }
    }
    Ok(())
}

// JSON: {"format_version": "1", "rows": [{…}, …]}, read as it streams.

/// Why the JSON reading stopped early, carried through serde's error.
#[derive(Default)]
struct JsonState {
    version: Option<String>,
    rows: u64,
    stop: Option<FileProblem>,
}

struct BatchVisitor<'s, 'e> {
    state: &'s mut JsonState,
    emit: PairsEmit<'e>,
}

impl<'de> Visitor<'de> for BatchVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with format_version and rows")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let BatchVisitor { state, emit } = self;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format_version" => {
                    let value: serde_json::Value = map.next_value()?;
                    state.version = Some(match value {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    });
                }
                "rows" => map.next_value_seed(RowsSeed {
                    state: &mut *state,
                    emit: &mut *emit,
                })?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct RowsSeed<'s, 'e> {
    state: &'s mut JsonState,
    emit: PairsEmit<'e>,
}

impl<'de> DeserializeSeed<'de> for RowsSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RowsSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(row) = seq.next_element::<JsonRow>()? {
            self.state.rows += 1;
            if self.state.rows > MAX_BATCH_ROWS {
                self.state.stop = Some(too_many_rows());
                return Err(de::Error::custom("too many rows"));
            }
            if !(self.emit)(self.state.rows, row.0) {
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

/// One JSON row: its scalar members as text, or the members that were not scalars.
struct JsonRow(Result<Vec<(String, String)>, FieldErrors>);

impl<'de> de::Deserialize<'de> for JsonRow {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RowVisitor;
        impl<'de> Visitor<'de> for RowVisitor {
            type Value = JsonRow;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a row object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonRow, A::Error> {
                let mut pairs = Vec::with_capacity(RECORD_COLUMNS.len());
                let mut errors = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value: serde_json::Value = map.next_value()?;
                    let text = match value {
                        serde_json::Value::Null => continue,
                        serde_json::Value::String(s) => s,
                        serde_json::Value::Number(n) => n.to_string(),
                        serde_json::Value::Bool(b) => b.to_string(),
                        _ => {
                            errors.push(inservice_domain::FieldError::new(
                                key,
                                "not_a_scalar",
                                "欄位值必須是文字或數字",
                            ));
                            continue;
                        }
                    };
                    pairs.push((key, text));
                }
                Ok(JsonRow(if errors.is_empty() {
                    Ok(pairs)
                } else {
                    Err(FieldErrors(errors))
                }))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonRow, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(JsonRow(Err(not_an_object())))
            }

            fn visit_str<E: de::Error>(self, _: &str) -> Result<JsonRow, E> {
                Ok(JsonRow(Err(not_an_object())))
            }

            fn visit_i64<E: de::Error>(self, _: i64) -> Result<JsonRow, E> {
                Ok(JsonRow(Err(not_an_object())))
            }

            fn visit_u64<E: de::Error>(self, _: u64) -> Result<JsonRow, E> {
                Ok(JsonRow(Err(not_an_object())))
            }

            fn visit_f64<E: de::Error>(self, _: f64) -> Result<JsonRow, E> {
                Ok(JsonRow(Err(not_an_object())))
            }

            fn visit_bool<E: de::Error>(self, _: bool) -> Result<JsonRow, E> {
                Ok(JsonRow(Err(not_an_object())))
            }

            fn visit_unit<E: de::Error>(self) -> Result<JsonRow, E> {
                Ok(JsonRow(Err(not_an_object())))
            }
        }
        deserializer.deserialize_any(RowVisitor)
    }
}

fn not_an_object() -> FieldErrors {
    FieldErrors::single("row", "not_an_object", "每筆紀錄必須是 JSON 物件")
}

fn read_json(source: impl BufRead, emit: PairsEmit<'_>) -> Result<(), FileProblem> {
    let capped = super::xml::Capped::new(source, MAX_BATCH_BYTES);
    let mut deserializer = serde_json::Deserializer::from_reader(capped);
    let mut state = JsonState::default();
    let result = de::Deserializer::deserialize_map(
        &mut deserializer,
        BatchVisitor {
            state: &mut state,
            emit,
        },
    )
    .and_then(|()| deserializer.end());
    if let Some(stop) = state.stop {
        return Err(stop);
    }
    if let Err(error) = result {
        let over = error.is_eof() || error.is_io();
        let message = if over {
            format!("JSON 不完整或超過 {} MB：{error}", MAX_BATCH_BYTES >> 20)
        } else {
            format!("JSON 格式錯誤：{error}")
        };
        return Err(FileProblem::Upload(UploadError::Unreadable(message)));
    }
    match state.version.as_deref() {
        Some(FORMAT_VERSION) => Ok(()),
        other => Err(wrong_version(other)),
    }
}

// XML: <exchange format_version="1"><row><partner_course_id>…</partner_course_id>…</row>…</exchange>

fn read_xml(source: impl BufRead, emit: PairsEmit<'_>) -> Result<(), FileProblem> {
    let limits = XmlLimits {
        max_bytes: MAX_BATCH_BYTES,
        max_depth: 3,
    };
    let mut guard = XmlGuard::new(source, limits);
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut version: Option<String> = None;
    let mut rows = 0u64;
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut field: Option<(String, String)> = None;
    let unreadable = |message: String| FileProblem::Upload(UploadError::Unreadable(message));
    loop {
        buf.clear();
        let event = guard.next(&mut buf)?;
        match event {
            Event::Start(element) | Event::Empty(element) => {
                let name = element.local_name().as_ref().to_owned();
                match depth {
                    0 if name == "exchange" => {
                        for attribute in element.attributes().flatten() {
                            if attribute.key.local_name().as_ref() == "format_version" {
                                version = Some(attribute.value.trim().to_owned());
                            }
                        }
                    }
                    0 => {
                        return Err(unreadable(format!(
                            "XML 根元素必須是 <exchange>，而非 <{name}>"
                        )));
                    }
                    1 if name == "row" => pairs.clear(),
                    1 => {
                        return Err(unreadable(format!(
                            "<exchange> 內只能有 <row>，而非 <{name}>"
                        )));
                    }
                    _ => field = Some((name, String::new())),
                }
                depth += 1;
            }
            Event::Text(text) => {
                if let Some((_, value)) = field.as_mut() {
                    value.push_str(&text.xml10_content());
                }
            }
            Event::CData(data) => {
                if let Some((_, value)) = field.as_mut() {
                    value.push_str(&data.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                if let Some((_, value)) = field.as_mut() {
                    if let Ok(Some(c)) = reference.resolve_char_ref() {
                        value.push(c);
                    } else {
                        let name: &str = reference.as_ref();
                        if let Some(text) = quick_xml::escape::resolve_xml_entity(name) {
                            value.push_str(text);
                        }
                    }
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                match depth {
                    2 => {
                        if let Some((key, value)) = field.take() {
                            pairs.push((key, value));
                        }
                    }
                    1 => {
                        rows += 1;
                        if rows > MAX_BATCH_ROWS {
                            return Err(too_many_rows());
                        }
                        if version.as_deref() != Some(FORMAT_VERSION) {
                            return Err(wrong_version(version.as_deref()));
                        }
                        if !emit(rows, Ok(std::mem::take(&mut pairs))) {
                            return Ok(());
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 {
        return Err(unreadable("XML 文件不完整".into()));
    }
    match version.as_deref() {
        Some(FORMAT_VERSION) => Ok(()),
        other => Err(wrong_version(other)),
    }
}

// Workbook: the first sheet, a header row (keys or Chinese labels), then one record per row.

fn read_xlsx(
    bytes: &[u8],
    known_tags: &HashSet<String>,
    emit: Emit<'_>,
) -> Result<(), FileProblem> {
    use calamine::{Data, DataRef, Reader, Xlsx};
    super::inspect_xlsx(bytes, &WORKBOOK)?;
    let unreadable = |e: &dyn fmt::Display| {
        FileProblem::Upload(UploadError::Unreadable(format!("無法讀取 Excel 檔：{e}")))
    };
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let Some(name) = workbook.sheet_names().into_iter().next() else {
        return Err(unreadable(&"沒有工作表"));
    };
    let mut reader = workbook
        .worksheet_cells_reader(&name)
        .map_err(|e| unreadable(&e))?;
    let mut header: Option<inservice_domain::exchange::HeaderMap> = None;
    let mut current: Option<u32> = None;
    let mut cells: Vec<String> = Vec::new();
    let mut rows = 0u64;
    let mut finish_row = |cells: &mut Vec<String>,
                          header: &mut Option<inservice_domain::exchange::HeaderMap>|
     -> Result<bool, FileProblem> {
        let row = std::mem::take(cells);
        if row.iter().all(|c| c.trim().is_empty()) {
            return Ok(true);
        }
        let Some(map) = header.as_ref() else {
            *header = Some(map_header(&row).map_err(FileProblem::Shape)?);
            return Ok(true);
        };
        rows += 1;
        let raw = map.row(&row);
        Ok(emit(rows, check(&raw, known_tags)))
    };
    while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
        let (row, column) = cell.get_position();
        if current.is_some_and(|r| r != row) && !finish_row(&mut cells, &mut header)? {
            return Ok(());
        }
        current = Some(row);
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        let column = column as usize;
        if column >= WORKBOOK.max_columns as usize {
            continue;
        }
        if cells.len() <= column {
            cells.resize(column + 1, String::new());
        }
        cells[column] = match cell.get_value() {
            // Dates typed into a cell: the format's own spelling.
            DataRef::DateTime(d) => excel_date(d.as_f64()),
            other => Data::from(other.clone()).to_string(),
        };
    }
    if !cells.is_empty() {
        finish_row(&mut cells, &mut header)?;
    }
    if header.is_none() {
        return Err(FileProblem::Shape(FieldErrors::single(
            "file",
            "empty_file",
            "工作表沒有標題列與資料",
        )));
    }
    Ok(())
}

/// An Excel date serial (days since 1899-12-30) as `YYYY-MM-DD`.
fn excel_date(serial: f64) -> String {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30);
    let days = serial.floor();
    if !(0.0..=2_958_465.0).contains(&days) {
        return serial.to_string();
    }
    epoch
        .and_then(|e| e.checked_add_days(chrono::Days::new(days as u64)))
        .map(|d| d.to_string())
        .unwrap_or_default()
}
