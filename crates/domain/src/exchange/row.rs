//! One row of a batch checked into a course and a teacher's record of it.

use chrono::{Datelike, Days, NaiveDate};

use super::duplicate::RecordKey;
use super::format::{Column, RECORD_COLUMNS, RawRow, at};
use super::partner::lower_code;
use crate::course::ClassType;
use crate::course::codes::{self, CLASS_TYPES};
use crate::course::form::{CATEGORIES, MAX_HOURS, MAX_NAME_CHARS, MAX_TAGS};
use crate::identity::IdentityNumber;
use crate::validation::{Collector, control_error, has_control, too_long};
use crate::{FieldError, FieldErrors, Stage};

pub const MAX_ID_CHARS: usize = 64;
pub const MAX_ORGANISER_CODE_CHARS: usize = 32;
pub const MAX_ORGANISER_NAME_CHARS: usize = 100;
pub const MAX_TEACHER_NAME_CHARS: usize = 50;
/// The end date is at most this many days after the start date.
pub const MAX_COURSE_SPAN_DAYS: u64 = 366;
const MAX_HALF_HOURS: u32 = (MAX_HOURS * 2.0) as u32;
/// The ROC calendar starts in 1912; an earlier year is a typo.
const FIRST_YEAR: i32 = 1912;
const ROC_OFFSET: i32 = 1911;

/// The course a row belongs to, as the partner described it. Rows of one course repeat these;
/// the caller groups rows by them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CourseFacts {
    pub partner_course_id: String,
    pub name: String,
    pub organiser_code: Option<String>,
    pub organiser_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// A code of [`CATEGORIES`].
    pub category: String,
    pub stage: Stage,
    /// A [`ClassType`] code.
    pub class_type: String,
    pub tags: Vec<String>,
}

/// One teacher's record of the course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFacts {
    pub partner_record_id: String,
    pub identity: IdentityNumber,
    pub teacher_name: String,
    pub half_hours: u32,
    /// The half-hours by day, ascending, none zero; they add up to `half_hours`.
    pub days: Vec<(NaiveDate, u32)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeRow {
    pub course: CourseFacts,
    pub record: RecordFacts,
}

impl ExchangeRow {
    /// What the record is compared by to find the same training already counted.
    pub fn record_key(&self) -> RecordKey<'_> {
        RecordKey {
            name: &self.course.name,
            start_date: self.course.start_date,
            end_date: self.course.end_date,
            half_hours: self.record.half_hours,
        }
    }
}

/// One cell with its column, trimmed; a missing cell is empty.
struct Cell<'r> {
    column: &'static Column,
    value: &'r str,
}

fn cell<'r>(raw: &'r RawRow<'_>, index: usize) -> Cell<'r> {
    Cell {
        column: &RECORD_COLUMNS[index],
        value: raw.cell(index).map_or("", str::trim),
    }
}

impl Cell<'_> {
    fn field(&self) -> &'static str {
        self.column.key
    }

    fn fail<T>(&self, code: &'static str, message: impl Into<String>) -> Result<T, FieldErrors> {
        Err(FieldErrors::single(self.field(), code, message))
    }

    fn required(&self) -> Result<&str, FieldErrors> {
        if self.value.is_empty() {
            return self.fail("required", format!("請填寫{}", self.column.label));
        }
        Ok(self.value)
    }
}

fn partner_id(c: &Cell) -> Result<String, FieldErrors> {
    let value = c.required()?;
    if value.chars().count() > MAX_ID_CHARS {
        return Err(too_long(c.field(), MAX_ID_CHARS));
    }
    let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-');
    if !value.bytes().all(allowed) {
        return c.fail(
            "invalid_id",
            format!("{}只能使用英數字與 . _ : -", c.column.label),
        );
    }
    Ok(value.to_owned())
}

fn text(c: &Cell, max: usize) -> Result<String, FieldErrors> {
    let value = c.required()?;
    if has_control(value, false) {
        return Err(control_error(c.field()));
    }
    if value.chars().count() > max {
        return Err(too_long(c.field(), max));
    }
    Ok(value.to_owned())
}

fn organiser_code(c: &Cell) -> Result<Option<String>, FieldErrors> {
    if c.value.is_empty() {
        return Ok(None);
    }
    lower_code(
        c.field(),
        c.value,
        c.column.label,
        1,
        MAX_ORGANISER_CODE_CHARS,
    )
    .map(Some)
}

/// A date as partners write it: `2026-03-02`, `2026/3/2`, the ROC `115/03/02` or `115.3.2`,
/// `1150302` (ROC, seven digits) or `20260302`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let numbers = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (year, month, day) = if numbers(text) && matches!(text.len(), 7 | 8) {
        let (year, rest) = text.split_at(text.len() - 4);
        let (month, day) = rest.split_at(2);
        (year, month, day)
    } else {
        let mut parts = text.split(['-', '/', '.']);
        let parts = (parts.next()?, parts.next()?, parts.next()?, parts.next());
        let (year, month, day, None) = parts else {
            return None;
        };
        let two = |s: &str| numbers(s) && s.len() <= 2;
        if !(numbers(year) && two(month) && two(day)) {
            return None;
        }
        (year, month, day)
    };
    let year: i32 = match year.len() {
        1..=3 => year.parse::<i32>().ok()? + ROC_OFFSET,
        4 => year.parse().ok()?,
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(year, month.parse().ok()?, day.parse().ok()?)?;
    (date.year() >= FIRST_YEAR).then_some(date)
}

const DATE_FORMS: &str = "YYYY-MM-DD（亦接受 YYYY/MM/DD 或民國年 115/03/02、1150302）";

fn date(c: &Cell) -> Result<NaiveDate, FieldErrors> {
    let value = c.required()?;
    parse_date(value).map_or_else(
        || {
            c.fail(
                "invalid_date",
                format!(
                    "{}「{value}」不是日期，格式應為 {DATE_FORMS}",
                    c.column.label
                ),
            )
        },
        Ok,
    )
}

/// Labels compared without spaces and with full-width brackets as ASCII, as people type them.
fn loose(label: &str) -> String {
    label
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

/// A code of `list`, or a label of it.
fn code_or_label(list: codes::CodeList, value: &str) -> Option<&'static str> {
    let loose_value = loose(value);
    list.iter()
        .find(|(code, label)| *code == value || loose(label) == loose_value)
        .map(|(code, _)| *code)
}

fn category(c: &Cell) -> Result<String, FieldErrors> {
    let value = c.required()?;
    match code_or_label(CATEGORIES, value) {
        Some(code) => Ok(code.to_owned()),
        None => c.fail(
            "invalid_category",
            format!("研習類別「{value}」不是類別代碼 1–{}", CATEGORIES.len()),
        ),
    }
}

fn stage(c: &Cell) -> Result<Stage, FieldErrors> {
    let value = c.required()?;
    match Stage::ALL.into_iter().find(|s| s.label() == value) {
        Some(stage) => Ok(stage),
        None => Stage::parse_field(c.field(), value),
    }
}

fn class_type(c: &Cell) -> Result<String, FieldErrors> {
    let value = c.required()?;
    match code_or_label(CLASS_TYPES, value).and_then(ClassType::from_code) {
        Some(class_type) => Ok(class_type.code().to_owned()),
        None => c.fail(
            "invalid_class_type",
            format!("課程性質「{value}」不是班別代碼 1-1 至 1-8 或其名稱"),
        ),
    }
}

/// The tags named, first mention kept; every unknown one reported.
fn tags(c: &Cell, known: &dyn Fn(&str) -> bool) -> Result<Vec<String>, FieldErrors> {
    let mut names: Vec<String> = Vec::new();
    for name in c.value.split([';', '；', '、']).map(str::trim) {
        if !name.is_empty() && !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
    }
    if names.len() > MAX_TAGS {
        return c.fail("too_many_tags", format!("研習屬性最多 {MAX_TAGS} 個"));
    }
    let unknown: Vec<FieldError> = names
        .iter()
        .filter(|name| !known(name))
        .map(|name| {
            let shown: String = name.chars().take(40).collect();
            FieldError::new(
                c.field(),
                "unknown_tag",
                format!("沒有「{shown}」這個研習屬性"),
            )
        })
        .collect();
    if unknown.is_empty() {
        Ok(names)
    } else {
        Err(FieldErrors(unknown))
    }
}

fn identity(c: &Cell) -> Result<IdentityNumber, FieldErrors> {
    IdentityNumber::parse_field(c.field(), c.required()?)
}

/// Hours written in decimal (`3`, `3.0`, `2.5`) as half-hours, when they are a positive whole
/// number of half-hours of at most [`MAX_HOURS`]. Parsed exactly: no floating point rounding.
pub fn parse_half_hours(text: &str) -> Option<u32> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || text.ends_with('.') {
        return None;
    }
    let half = match fraction.trim_end_matches('0') {
        "" => 0,
        "5" => 1,
        _ => return None,
    };
    // Leading zeros aside, more digits than this cannot be within range (and could overflow).
    let whole = whole.trim_start_matches('0');
    if whole.len() > 4 {
        return None;
    }
    let hours: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let half_hours = hours * 2 + half;
    (1..=MAX_HALF_HOURS)
        .contains(&half_hours)
        .then_some(half_hours)
}

fn half_hours(c: &Cell) -> Result<u32, FieldErrors> {
    let value = c.required()?;
    parse_half_hours(value).map_or_else(
        || {
            c.fail(
                "invalid_hours",
                format!(
                    "研習時數「{value}」須為大於 0、不超過 {MAX_HOURS} 的數字，以 0.5 小時為單位（例如 3 或 2.5）"
                ),
            )
        },
        Ok,
    )
}

/// The attended dates, sorted and without repeats, each within the course when its dates are
/// known (`span`); the start date when none is given.
fn attended_on(
    c: &Cell,
    start: Option<NaiveDate>,
    span: Option<(NaiveDate, NaiveDate)>,
) -> Result<Vec<NaiveDate>, FieldErrors> {
    let mut dates = Vec::new();
    let mut errors = Vec::new();
    for text in c.value.split([';', '；']).map(str::trim) {
        if text.is_empty() {
            continue;
        }
        let shown: String = text.chars().take(20).collect();
        match parse_date(text) {
            None => errors.push(FieldError::new(
                c.field(),
                "invalid_date",
                format!("上課日期「{shown}」不是日期，格式應為 {DATE_FORMS}"),
            )),
            Some(date) if span.is_some_and(|(s, e)| date < s || date > e) => {
                errors.push(FieldError::new(
                    c.field(),
                    "date_outside_course",
                    format!("上課日期 {date} 不在課程期間內"),
                ));
            }
            Some(date) => dates.push(date),
        }
    }
    if !errors.is_empty() {
        return Err(FieldErrors(errors));
    }
    if dates.is_empty() {
        dates.extend(start);
    }
    dates.sort_unstable();
    dates.dedup();
    Ok(dates)
}

/// `half_hours` spread evenly over `dates`, the remainder one half-hour each to the first days;
/// days left with nothing are dropped.
pub fn split_half_hours(half_hours: u32, dates: &[NaiveDate]) -> Vec<(NaiveDate, u32)> {
    let Ok(count) = u32::try_from(dates.len()) else {
        return Vec::new();
    };
    if count == 0 {
        return Vec::new();
    }
    let (each, remainder) = (half_hours / count, half_hours % count);
    dates
        .iter()
        .zip(0..)
        .map(|(date, i)| (*date, each + u32::from(i < remainder)))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// Checks every column of a row and returns every problem at once. `known_tags` says whether a
/// tag name exists (the caller's reference data).
pub fn validate_row(
    raw: &RawRow<'_>,
    known_tags: &dyn Fn(&str) -> bool,
) -> Result<ExchangeRow, FieldErrors> {
    let mut e = Collector::default();
    let course_id = e.check(partner_id(&cell(raw, at::PARTNER_COURSE_ID)));
    let name = e.check(text(&cell(raw, at::COURSE_NAME), MAX_NAME_CHARS));
    let organiser_code = e.check(organiser_code(&cell(raw, at::ORGANISER_CODE)));
    let organiser_name = e.check(text(
        &cell(raw, at::ORGANISER_NAME),
        MAX_ORGANISER_NAME_CHARS,
    ));
    let start = e.check(date(&cell(raw, at::START_DATE)));
    let end = e.check(date(&cell(raw, at::END_DATE)));
    let span = start.zip(end).filter(|(start, end)| {
        if end < start {
            e.fail("end_date", "end_before_start", "結束日期不可早於開始日期");
            return false;
        }
        let latest = start.checked_add_days(Days::new(MAX_COURSE_SPAN_DAYS));
        if latest.is_none_or(|latest| *end > latest) {
            e.fail(
                "end_date",
                "course_too_long",
                format!("結束日期距開始日期不可超過 {MAX_COURSE_SPAN_DAYS} 天"),
            );
            return false;
        }
        true
    });
    let category = e.check(category(&cell(raw, at::CATEGORY)));
    let stage = e.check(stage(&cell(raw, at::STAGE)));
    let class_type = e.check(class_type(&cell(raw, at::CLASS_TYPE)));
    let tags = e.check(tags(&cell(raw, at::TAGS), known_tags));
    let record_id = e.check(partner_id(&cell(raw, at::PARTNER_RECORD_ID)));
    let identity = e.check(identity(&cell(raw, at::IDENTITY_NUMBER)));
    let teacher_name = e.check(text(&cell(raw, at::TEACHER_NAME), MAX_TEACHER_NAME_CHARS));
    let half_hours = e.check(half_hours(&cell(raw, at::HOURS)));
    let attended = e.check(attended_on(&cell(raw, at::ATTENDED_ON), start, span));
    e.finish_with(|| {
        let (start_date, end_date) = span?;
        let half_hours = half_hours?;
        Some(ExchangeRow {
            course: CourseFacts {
                partner_course_id: course_id?,
                name: name?,
                organiser_code: organiser_code?,
                organiser_name: organiser_name?,
                start_date,
                end_date,
                category: category?,
                stage: stage?,
                class_type: class_type?,
                tags: tags?,
            },
            record: RecordFacts {
                partner_record_id: record_id?,
                identity: identity?,
                teacher_name: teacher_name?,
                half_hours,
                days: split_half_hours(half_hours, &attended?),
            },
        })
    })
}

#[cfg(test)]
#[path = "row_tests.rs"]
mod tests;
