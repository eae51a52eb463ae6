//! Showing server data as text: times in Taiwan's time zone, links inside plain text.

use wasm_bindgen::JsValue;
use yew::prelude::*;

/// Taiwan keeps UTC+8 all year (no daylight saving time).
const TAIPEI_OFFSET_MS: f64 = 8.0 * 3600.0 * 1000.0;

/// An RFC 3339 time as `YYYY-MM-DD HH:MM` in Asia/Taipei, whatever the browser's zone.
pub fn taipei_time(time: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(time));
    let ms = date.get_time();
    if ms.is_nan() {
        return time.to_owned();
    }
    let local = js_sys::Date::new(&JsValue::from_f64(ms + TAIPEI_OFFSET_MS));
    format!(
        "{}-{:02}-{:02} {:02}:{:02}",
        local.get_utc_full_year(),
        local.get_utc_month() + 1,
        local.get_utc_date(),
        local.get_utc_hours(),
        local.get_utc_minutes()
    )
}

/// Characters that end a URL in running (Chinese or English) text.
fn ends_url(c: char) -> bool {
    c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '」' | '）' | '，' | '。' | '、')
}

/// `text` as text, with every `http://` or `https://` URL made a link.
pub fn linkify(text: &str) -> Html {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = ["https://", "http://"]
        .iter()
        .filter_map(|scheme| rest.find(scheme))
        .min()
    {
        let (before, from) = rest.split_at(start);
        let end = from.find(ends_url).unwrap_or(from.len());
        // A sentence's final full stop or closing bracket is not part of the link.
        let url = from[..end].trim_end_matches(['.', ',', ')', ';', ':']);
        if !before.is_empty() {
            parts.push(html! { before.to_owned() });
        }
        parts.push(html! { <a href={url.to_owned()} rel="noopener noreferrer">{ url }</a> });
        rest = &from[url.len()..];
    }
    if !rest.is_empty() {
        parts.push(html! { rest.to_owned() });
    }
    parts.into_iter().collect()
}
