//! The one gate every uploaded or partner file passes before anything parses it.
//!
//! A parser trusts what a file claims: calamine reserves room for the shared-string count the
//! workbook states and allocates every cell of the box between the first and the last cell
//! (`A1` … `XFD1048576` is 17 billion cells). A failed allocation aborts the process, which no
//! panic handler catches. So [`inspect_xlsx`] opens the archive itself and checks what the
//! parts claim and what they really hold, [`read_xlsx`] then reads the first sheet cell by cell
//! within the same [`Limits`], and [`read_table`] does both on the blocking pool so that a
//! large file never holds up the async workers. CSV goes through [`read_csv`] with the same
//! row, column and cell limits; XML of our own choosing through [`xml::XmlGuard`].
//!
//! A file over a limit is *rejected* (422, a stable code per [`Reason`]); a file that is simply
//! broken stays *unreadable* (400 `validation_failed` with `unreadable_file`, as before).

pub mod exchange;
pub mod xml;

use std::io::{self, BufReader, Cursor};

use actix_web::web;
use inservice_domain::FieldErrors;
use quick_xml::events::BytesStart;

use crate::error::{AppError, AppResult, ProblemCode};
use xml::{XmlGuard, XmlLimits};

/// Entries of a workbook archive; Excel writes a dozen, a workbook with images a few dozen.
pub const MAX_ENTRIES: usize = 1_000;
/// Decompressed bytes of one entry.
pub const MAX_ENTRY_BYTES: u64 = 50 << 20;
/// Decompressed bytes of all entries together.
pub const MAX_TOTAL_BYTES: u64 = 100 << 20;
/// How many times its compressed size an entry may inflate to. Sheet XML compresses about 10
/// to 30 times; deflate cannot pass about 1,030.
pub const MAX_RATIO: u64 = 200;
/// Entries up to this size are not held to [`MAX_RATIO`]: small repetitive parts (styles, an
/// empty sheet) compress far better and cost nothing.
pub const RATIO_FLOOR: u64 = 1 << 20;
/// Rows of a sheet or a CSV file, the header included. A course's sign-in sheet has hundreds;
/// the national school directory about 11,000.
pub const MAX_ROWS: u32 = 20_000;
/// Columns of a sheet or a CSV file.
pub const MAX_COLUMNS: u32 = 200;
/// Cells of the table read: the box from the first to the last non-empty cell, the cell
/// elements of one sheet part, and the fields of a CSV file. About 30 MB once read.
pub const MAX_CELLS: u64 = 1_000_000;
/// Shared strings a workbook may declare or hold.
pub const MAX_SHARED_STRINGS: u64 = 1_000_000;

/// What an upload may claim and hold. [`Limits::SHEETS`] is the one for our sheets; tests
/// shrink it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_entries: usize,
    pub max_entry_bytes: u64,
    pub max_total_bytes: u64,
    pub max_ratio: u64,
    pub ratio_floor: u64,
    pub max_rows: u32,
    pub max_columns: u32,
    pub max_cells: u64,
    pub max_shared_strings: u64,
    pub max_xml_depth: usize,
}

impl Limits {
    /// The limits of the sign-in sheet and the school directory.
    pub const SHEETS: Limits = Limits {
        max_entries: MAX_ENTRIES,
        max_entry_bytes: MAX_ENTRY_BYTES,
        max_total_bytes: MAX_TOTAL_BYTES,
        max_ratio: MAX_RATIO,
        ratio_floor: RATIO_FLOOR,
        max_rows: MAX_ROWS,
        max_columns: MAX_COLUMNS,
        max_cells: MAX_CELLS,
        max_shared_strings: MAX_SHARED_STRINGS,
        max_xml_depth: xml::MAX_XML_DEPTH,
    };
}

/// Why a file was rejected; each is a stable problem `code` (HTTP 422).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// An entry inflates more than [`MAX_RATIO`] times, or to more than it declares.
    ZipBomb,
    /// Too many entries, or more decompressed bytes than allowed.
    WorkbookTooLarge,
    /// A row past the row limit.
    TooManyRows,
    /// A column past the column limit.
    TooManyColumns,
    /// More cells than allowed.
    TooManyCells,
    /// More shared strings declared or held than allowed.
    TooManySharedStrings,
    /// A `<!DOCTYPE` (DTD, entity declarations) or an entity of the document's own.
    XmlDoctype,
    /// Elements nested deeper than allowed.
    XmlTooDeep,
    /// An XML document over its size limit.
    XmlTooLarge,
}

impl Reason {
    pub const fn problem_code(self) -> ProblemCode {
        match self {
            Reason::ZipBomb => ProblemCode::ZipBomb,
            Reason::WorkbookTooLarge => ProblemCode::WorkbookTooLarge,
            Reason::TooManyRows => ProblemCode::TooManyRows,
            Reason::TooManyColumns => ProblemCode::TooManyColumns,
            Reason::TooManyCells => ProblemCode::TooManyCells,
            Reason::TooManySharedStrings => ProblemCode::TooManySharedStrings,
            Reason::XmlDoctype => ProblemCode::XmlDoctype,
            Reason::XmlTooDeep => ProblemCode::XmlTooDeep,
            Reason::XmlTooLarge => ProblemCode::XmlTooLarge,
        }
    }

    /// The code as sent on the wire.
    pub const fn code(self) -> &'static str {
        self.problem_code().as_str()
    }
}

/// An upload that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadError {
    /// Over a limit: 422 with the reason's code and `detail`.
    Rejected { reason: Reason, detail: String },
    /// Not a readable file of its kind: 400, the field error `unreadable_file`.
    Unreadable(String),
}

impl UploadError {
    pub fn rejected(reason: Reason, detail: impl Into<String>) -> Self {
        UploadError::Rejected {
            reason,
            detail: detail.into(),
        }
    }
}

impl From<UploadError> for AppError {
    fn from(error: UploadError) -> Self {
        match error {
            UploadError::Rejected { reason, detail } => AppError::FileRejected {
                code: reason.problem_code(),
                detail,
            },
            UploadError::Unreadable(message) => {
                AppError::Validation(FieldErrors::single("file", "unreadable_file", message))
            }
        }
    }
}

/// Cells as text, header row first.
pub type Table = Vec<Vec<String>>;

/// The kinds of table file we read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
}

/// Reads an uploaded table on the blocking pool: inflating and parsing a large file would
/// otherwise stall every request on the same async worker.
pub async fn read_table(bytes: web::Bytes, format: Format, limits: Limits) -> AppResult<Table> {
    web::block(move || match format {
        Format::Xlsx => read_xlsx(&bytes, &limits),
        Format::Csv => read_csv(&bytes, &limits),
    })
    .await
    .map_err(|e| AppError::Internal(format!("reading an upload stopped: {e}")))?
    .map_err(AppError::from)
}

fn unreadable_xlsx(error: impl std::fmt::Display) -> UploadError {
    UploadError::Unreadable(format!("無法讀取 Excel 檔：{error}"))
}

/// Reads a CSV file (UTF-8, with or without BOM) into cells, within the row, column and cell
/// limits.
pub fn read_csv(bytes: &[u8], limits: &Limits) -> Result<Table, UploadError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut table = Vec::new();
    let mut cells: u64 = 0;
    for record in reader.records() {
        let record = record.map_err(|e| UploadError::Unreadable(format!("無法讀取 CSV：{e}")))?;
        if table.len() >= limits.max_rows as usize {
            return Err(too_many_rows(limits, table.len() as u64));
        }
        if record.len() > limits.max_columns as usize {
            return Err(too_many_columns(limits, record.len() as u64 - 1));
        }
        cells += record.len() as u64;
        if cells > limits.max_cells {
            return Err(too_many_cells(limits));
        }
        table.push(record.iter().map(str::to_owned).collect());
    }
    Ok(table)
}

/// Reads the first sheet of an xlsx workbook into cells, after [`inspect_xlsx`] passed it.
/// The sheet is read cell by cell, each position checked, and the table built here: calamine's
/// own range would allocate the whole box before we could look at it.
pub fn read_xlsx(bytes: &[u8], limits: &Limits) -> Result<Table, UploadError> {
    use calamine::{Data, DataRef, Reader, Xlsx, XlsxError};
    inspect_xlsx(bytes, limits)?;
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable_xlsx)?;
    let Some(name) = workbook.sheet_names().into_iter().next() else {
        return Err(unreadable_xlsx("沒有工作表"));
    };
    let mut reader = match workbook.worksheet_cells_reader(&name) {
        Ok(reader) => reader,
        // A chart sheet first: calamine's range reads it as empty, and so do we.
        Err(XlsxError::NotAWorksheet(_)) => return Ok(Vec::new()),
        Err(e) => return Err(unreadable_xlsx(e)),
    };
    let mut cells = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(unreadable_xlsx)? {
        let (row, column) = cell.get_position();
        check_position(limits, u64::from(row), Some(u64::from(column)))?;
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        if cells.len() as u64 >= limits.max_cells {
            return Err(too_many_cells(limits));
        }
        cells.push((
            (row, column),
            Data::from(cell.get_value().clone()).to_string(),
        ));
    }
    sparse_table(cells, limits)
}

/// The box from the first to the last non-empty cell, row by row, empty cells as "" — what
/// calamine's `Range::rows` gave.
fn sparse_table(cells: Vec<((u32, u32), String)>, limits: &Limits) -> Result<Table, UploadError> {
    let Some(first) = cells.first() else {
        return Ok(Vec::new());
    };
    let (mut top, mut left, mut bottom, mut right) = (first.0.0, first.0.1, first.0.0, first.0.1);
    for ((row, column), _) in &cells {
        top = top.min(*row);
        bottom = bottom.max(*row);
        left = left.min(*column);
        right = right.max(*column);
    }
    let rows = (bottom - top) as usize + 1;
    let columns = (right - left) as usize + 1;
    if (rows as u64) * (columns as u64) > limits.max_cells {
        return Err(too_many_cells(limits));
    }
    let mut table = vec![vec![String::new(); columns]; rows];
    for ((row, column), text) in cells {
        table[(row - top) as usize][(column - left) as usize] = text;
    }
    Ok(table)
}

fn too_many_rows(limits: &Limits, row: u64) -> UploadError {
    UploadError::rejected(
        Reason::TooManyRows,
        format!(
            "檔案不可超過 {} 列（第 {} 列超出）。",
            limits.max_rows,
            row.saturating_add(1)
        ),
    )
}

fn too_many_columns(limits: &Limits, column: u64) -> UploadError {
    UploadError::rejected(
        Reason::TooManyColumns,
        format!(
            "檔案不可超過 {} 欄（第 {} 欄超出）。",
            limits.max_columns,
            column.saturating_add(1)
        ),
    )
}

fn too_many_cells(limits: &Limits) -> UploadError {
    UploadError::rejected(
        Reason::TooManyCells,
        format!("檔案不可超過 {} 格。", limits.max_cells),
    )
}

fn check_position(limits: &Limits, row: u64, column: Option<u64>) -> Result<(), UploadError> {
    if row >= u64::from(limits.max_rows) {
        return Err(too_many_rows(limits, row));
    }
    match column {
        Some(column) if column >= u64::from(limits.max_columns) => {
            Err(too_many_columns(limits, column))
        }
        _ => Ok(()),
    }
}

/// A cell reference (`B7`, `XFD1048576`) as 0-based row and optional column, read as calamine
/// reads it. `None` when calamine refuses it (it then fails the file itself). The arithmetic
/// saturates where calamine's would overflow, so such a reference lies past every limit.
fn parse_reference(text: &[u8]) -> Option<(u64, Option<u64>)> {
    let mut column: u64 = 0;
    let mut row: u64 = 0;
    let mut digits = text.len();
    for (i, &byte) in text.iter().enumerate() {
        let letter = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a',
            b'0'..=b'9' => {
                digits = i;
                break;
            }
            _ => return None,
        };
        column = column
            .saturating_mul(26)
            .saturating_add(u64::from(letter) + 1);
    }
    for &byte in &text[digits..] {
        if !byte.is_ascii_digit() {
            return None;
        }
        row = row
            .saturating_mul(10)
            .saturating_add(u64::from(byte - b'0'));
    }
    Some((row.checked_sub(1)?, column.checked_sub(1)))
}

/// A count attribute (`uniqueCount="12"`): digits only, or the file is refused as unreadable —
/// a reader that parsed a sign or spaces could otherwise take a number we never saw.
fn parse_count(text: &[u8]) -> Result<u64, UploadError> {
    if text.is_empty() || !text.iter().all(u8::is_ascii_digit) {
        return Err(unreadable_xlsx("共用字串數量不是數字"));
    }
    Ok(text.iter().fold(0u64, |n, d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    }))
}

/// The values of the attributes of `element` whose local name is `name` (any prefix, every
/// duplicate: whichever one a parser takes, it has been checked).
fn attributes<'e>(
    element: &'e BytesStart<'_>,
    name: &'e str,
) -> impl Iterator<Item = std::borrow::Cow<'e, str>> + 'e {
    let mut all = element.attributes();
    all.with_checks(false);
    all.flatten()
        .filter(move |a| a.key.local_name().as_ref() == name)
        .map(|a| a.value)
}

/// What one part of the archive holds, checked element by element. Every part is scanned
/// this way, not only the ones named like sheets: calamine finds its parts through the
/// relationships, which a crafted file can point anywhere.
struct PartScan<'l> {
    limits: &'l Limits,
    cells: u64,
    rows: u64,
    strings: u64,
}

impl PartScan<'_> {
    fn element(&mut self, element: &BytesStart<'_>) -> Result<(), UploadError> {
        let limits = self.limits;
        match element.local_name().as_ref() {
            "c" => {
                self.cells += 1;
                if self.cells > limits.max_cells {
                    return Err(too_many_cells(limits));
                }
                for reference in attributes(element, "r") {
                    if let Some((row, column)) = parse_reference(reference.as_bytes()) {
                        check_position(limits, row, column)?;
                    }
                }
            }
            "row" => {
                self.rows += 1;
                if self.rows > u64::from(limits.max_rows) {
                    return Err(too_many_rows(limits, self.rows - 1));
                }
                for reference in attributes(element, "r") {
                    if let Some((row, _)) = parse_reference(reference.as_bytes()) {
                        check_position(limits, row, None)?;
                    }
                }
            }
            "dimension" => {
                for range in attributes(element, "ref") {
                    for corner in range.split(':') {
                        if let Some((row, column)) = parse_reference(corner.as_bytes()) {
                            check_position(limits, row, column)?;
                        }
                    }
                }
            }
            "sst" => {
                for name in ["count", "uniqueCount"] {
                    for count in attributes(element, name) {
                        let count = parse_count(count.as_bytes())?;
                        if count > limits.max_shared_strings {
                            return Err(UploadError::rejected(
                                Reason::TooManySharedStrings,
                                format!(
                                    "活頁簿宣告 {count} 個共用字串，上限為 {}。",
                                    limits.max_shared_strings
                                ),
                            ));
                        }
                    }
                }
            }
            "si" => {
                self.strings += 1;
                if self.strings > limits.max_shared_strings {
                    return Err(UploadError::rejected(
                        Reason::TooManySharedStrings,
                        format!("活頁簿的共用字串超過 {} 個。", limits.max_shared_strings),
                    ));
                }
            }
            // A shared formula's index sizes calamine's formula table.
            "f" => {
                for index in attributes(element, "si") {
                    if parse_count(index.as_bytes())? > limits.max_cells {
                        return Err(too_many_cells(limits));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// How the zip reader words an entry that inflates past its declared size (pinned by a test).
const LIE: &str = "larger than its declared uncompressed size";

/// Checks an xlsx archive before calamine opens it: the number of entries; each entry's
/// declared size and compression ratio; then, inflating each entry with the cap of its
/// declared size (declared sizes can lie), its XML — no DOCTYPE, nesting within the depth
/// limit, no row, column or cell reference past the limits (the `dimension` too), no more
/// shared strings declared or held than allowed.
pub fn inspect_xlsx(bytes: &[u8], limits: &Limits) -> Result<(), UploadError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable_xlsx)?;
    if archive.len() > limits.max_entries {
        return Err(UploadError::rejected(
            Reason::WorkbookTooLarge,
            format!(
                "活頁簿有 {} 個壓縮項目，上限為 {}。",
                archive.len(),
                limits.max_entries
            ),
        ));
    }
    let mut declared_total: u64 = 0;
    for index in 0..archive.len() {
        // Raw: the central directory's claims, nothing inflated yet.
        let entry = archive.by_index_raw(index).map_err(unreadable_xlsx)?;
        let name = entry.name().map_err(unreadable_xlsx)?.into_owned();
        let (size, packed) = (entry.size(), entry.compressed_size());
        if size > limits.ratio_floor && size > packed.saturating_mul(limits.max_ratio) {
            return Err(UploadError::rejected(
                Reason::ZipBomb,
                format!(
                    "壓縮項目 {name} 宣告解壓後 {size} bytes，是壓縮後的 {} 倍（上限 {} 倍）。",
                    size / packed.max(1),
                    limits.max_ratio
                ),
            ));
        }
        if size > limits.max_entry_bytes {
            return Err(UploadError::rejected(
                Reason::WorkbookTooLarge,
                format!(
                    "壓縮項目 {name} 解壓後超過 {} MB。",
                    limits.max_entry_bytes >> 20
                ),
            ));
        }
        declared_total = declared_total.saturating_add(size);
        if declared_total > limits.max_total_bytes {
            return Err(UploadError::rejected(
                Reason::WorkbookTooLarge,
                format!("活頁簿解壓後超過 {} MB。", limits.max_total_bytes >> 20),
            ));
        }
    }
    // Every entry inflates at most to its declared size, so the checks above bound the real
    // sizes and ratios too.
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(unreadable_xlsx)?;
        let name = entry.name().map_err(unreadable_xlsx)?.into_owned();
        let declared = entry.size();
        let lower = name.to_ascii_lowercase();
        // Depth only where XML is meant to be: binary parts (images) read as XML nest at random.
        let max_depth = if lower.ends_with(".xml") || lower.ends_with(".rels") {
            limits.max_xml_depth
        } else {
            usize::MAX
        };
        let xml_limits = XmlLimits {
            max_bytes: declared,
            max_depth,
        };
        let mut guard = XmlGuard::like_calamine(BufReader::new(entry), xml_limits);
        let mut part = PartScan {
            limits,
            cells: 0,
            rows: 0,
            strings: 0,
        };
        guard.scan(|element| part.element(element))?;
        let mut rest = guard.into_inner();
        // Reading to the end also has the zip reader verify the entry's checksum.
        let lies = || {
            UploadError::rejected(
                Reason::ZipBomb,
                format!("壓縮項目 {name} 解壓後比宣告的 {declared} bytes 還大。"),
            )
        };
        match io::copy(&mut rest, &mut io::sink()) {
            // The zip reader itself stops an entry at its declared size; our cap would too.
            Err(e) if e.kind() == io::ErrorKind::InvalidData && e.to_string().contains(LIE) => {
                return Err(lies());
            }
            Err(e) => return Err(unreadable_xlsx(e)),
            Ok(_) if rest.over() => return Err(lies()),
            Ok(_) => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
