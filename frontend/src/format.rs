//! Server dates and times as the pages show them, in one place so every page writes them alike:
//! the API's times are chrono values (`inservice-wire`), the page shows the strings below.

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, TimeZone, Utc};
use wasm_bindgen::JsValue;

/// Taiwan keeps UTC+8 all year (no daylight saving time).
const TAIPEI: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// A UTC time as `YYYY-MM-DD HH:MM` in Asia/Taipei, whatever the browser's zone.
pub fn taipei_time(time: &DateTime<Utc>) -> String {
    time.with_timezone(&TAIPEI)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A time the API gives in Taiwan time (`2026-12-01T09:00:00+08:00`) as `2026-12-01 09:00`.
pub fn local_time(time: &DateTime<FixedOffset>) -> String {
    time.format("%Y-%m-%d %H:%M").to_string()
}

/// A time as a `datetime-local` input takes it: `2026-12-01T09:00`.
pub fn input_time(time: &DateTime<FixedOffset>) -> String {
    time.format("%Y-%m-%dT%H:%M").to_string()
}

/// The time as the API sent it (RFC 3339), for a `<time datetime>` attribute.
pub fn iso<Tz: TimeZone>(time: &DateTime<Tz>) -> String {
    time.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// The date of a UTC time in the browser's own time zone, as `YYYY-MM-DD`.
pub fn browser_date(time: &DateTime<Utc>) -> String {
    // Milliseconds since the epoch fit an f64 exactly for any date of this platform.
    #[allow(clippy::cast_precision_loss)]
    let ms = time.timestamp_millis() as f64;
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    if date.get_time().is_nan() {
        return time.format("%Y-%m-%d").to_string();
    }
    format!(
        "{}-{:02}-{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date()
    )
}

/// A date range, one date when it is a single day.
pub fn date_range(start: &NaiveDate, end: &NaiveDate) -> String {
    if start == end {
        start.to_string()
    } else {
        format!("{start} ～ {end}")
    }
}

/// Dates joined by `separator`, e.g. `2024-01-01、2025-02-03`.
pub fn dates(list: &[NaiveDate], separator: &str) -> String {
    list.iter()
        .map(NaiveDate::to_string)
        .collect::<Vec<_>>()
        .join(separator)
}

/// Hours without a needless `.0`.
pub fn hours_text(hours: f64) -> String {
    if hours.fract() == 0.0 {
        format!("{hours:.0} 小時")
    } else {
        format!("{hours:.1} 小時")
    }
}
