//! One gate for the text of every request, before any handler or database sees it: control
//! characters (U+0000 among them, which PostgreSQL refuses with an error SQLite does not raise)
//! and oversized strings are refused with a 400 problem that names the field, the same on both
//! databases. Per-field limits stay with the field's own validation; these are the outer bounds.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, ResponseError, web};
use futures_util::StreamExt;
use inservice_domain::FieldErrors;
use inservice_domain::validation::{self, control_error, has_control, too_long};

use crate::error::AppError;
use crate::error::ProblemCode;

/// A query parameter or path longer than this is not something our forms produce.
pub const MAX_QUERY_VALUE_CHARS: usize = validation::MAX_PLAIN_TEXT_CHARS;
/// No text field of the API is longer (course descriptions are capped well below).
pub const MAX_BODY_STRING_CHARS: usize = 20_000;
/// JSON bodies are small forms; uploads are not JSON and are checked by their own parsers.
pub const MAX_JSON_BODY_BYTES: usize = 1 << 20;
/// Operations whose JSON body is not a form but a stream of rows, read by its own reader (up to
/// hundreds of megabytes) with every value checked as it is read.
const STREAMED_JSON: &[&str] = &["/api/v1/exchange/batches", "/api/v1/exchange/base-data"];
/// Nesting deeper than any of our request types is refused before it is walked.
const MAX_JSON_DEPTH: usize = 32;

/// Checks one query parameter or decoded path.
pub fn check_plain_text(field: &str, value: &str) -> Result<(), FieldErrors> {
    validation::check_plain_text(field, value)
}

fn check_query(query: &str) -> Result<(), FieldErrors> {
    let mut errors = Vec::new();
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        for text in [&key, &value] {
            if let Err(FieldErrors(mut e)) = check_plain_text(&key, text) {
                errors.append(&mut e);
                break;
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(FieldErrors(errors))
    }
}

/// Walks a JSON document and reports every string (or member name) that breaks the rules, named
/// the way validation names fields (`sessions[0].venue`).
pub fn check_json(value: &serde_json::Value) -> Result<(), AppError> {
    let mut errors = Vec::new();
    walk(value, String::new(), 0, &mut errors)?;
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(FieldErrors(errors)))
    }
}

fn walk(
    value: &serde_json::Value,
    path: String,
    depth: usize,
    errors: &mut Vec<inservice_domain::FieldError>,
) -> Result<(), AppError> {
    if depth > MAX_JSON_DEPTH {
        return Err(AppError::BadRequest {
            code: ProblemCode::MalformedJson,
            detail: format!("JSON 巢狀層數超過 {MAX_JSON_DEPTH} 層。"),
        });
    }
    let field = |path: &str| {
        if path.is_empty() {
            "body".to_owned()
        } else {
            path.to_owned()
        }
    };
    match value {
        serde_json::Value::String(text) => {
            if has_control(text, true) {
                errors.extend(control_error(&field(&path)).0);
            } else if text.chars().count() > MAX_BODY_STRING_CHARS {
                errors.extend(too_long(&field(&path), MAX_BODY_STRING_CHARS).0);
            }
        }
        serde_json::Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                walk(item, format!("{path}[{index}]"), depth + 1, errors)?;
            }
        }
        serde_json::Value::Object(members) => {
            for (name, member) in members {
                let member_path = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                if has_control(name, false) {
                    errors.extend(control_error(&field(&path)).0);
                    continue;
                }
                walk(member, member_path, depth + 1, errors)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn is_json(req: &ServiceRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| {
            let v = v.trim().to_ascii_lowercase();
            v == "application/json" || v.ends_with("+json")
        })
        .unwrap_or(false)
}

async fn read_body(payload: &mut Payload) -> Result<web::BytesMut, AppError> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest {
            code: ProblemCode::MalformedJson,
            detail: format!("無法讀取請求內容：{e}"),
        })?;
        if body.len() + chunk.len() > MAX_JSON_BODY_BYTES {
            return Err(AppError::TooLarge {
                detail: "JSON 內容不可超過 1 MB。".into(),
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

async fn guard(req: &mut ServiceRequest) -> Result<(), AppError> {
    let path = percent_encoding::percent_decode_str(req.path()).decode_utf8_lossy();
    if has_control(&path, false) {
        return Err(AppError::BadRequest {
            code: ProblemCode::MalformedPath,
            detail: "路徑含有不允許的控制字元。".into(),
        });
    }
    check_query(req.query_string())?;
    if !is_json(req) || STREAMED_JSON.contains(&req.path()) {
        return Ok(());
    }
    let mut payload = req.take_payload();
    let body = read_body(&mut payload).await?;
    // Malformed JSON is left for the extractor, which reports it in its own words.
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&body) {
        check_json(&value)?;
    }
    req.set_payload(Payload::from(body.freeze()));
    Ok(())
}

/// The middleware: refuses bad text with its problem, passes everything else on unchanged.
pub async fn input_guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    if let Err(error) = guard(&mut req).await {
        let response = error.error_response();
        return Ok(req.into_response(response).map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(result: Result<(), AppError>) -> Vec<(String, &'static str)> {
        match result {
            Err(AppError::Validation(FieldErrors(errors))) => {
                errors.into_iter().map(|e| (e.field, e.code)).collect()
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn a_nul_anywhere_in_a_body_names_its_field() {
        let body = json!({"name": "a\u{0}b", "sessions": [{"venue": "ok"}, {"venue": "\u{1b}x"}]});
        assert_eq!(
            fields(check_json(&body)),
            vec![
                ("name".to_owned(), "control_character"),
                ("sessions[1].venue".to_owned(), "control_character")
            ]
        );
    }

    #[test]
    fn line_breaks_and_tabs_are_text_in_bodies() {
        assert!(check_json(&json!({"summary": "第一行\n第二行\t\r"})).is_ok());
    }

    #[test]
    fn oversized_strings_are_refused() {
        let long = "字".repeat(MAX_BODY_STRING_CHARS + 1);
        assert_eq!(
            fields(check_json(&json!({"reason": long}))),
            vec![("reason".to_owned(), "too_long")]
        );
        assert!(check_json(&json!({"reason": "字".repeat(MAX_BODY_STRING_CHARS)})).is_ok());
    }

    #[test]
    fn deep_nesting_is_malformed() {
        let mut value = json!(1);
        for _ in 0..(MAX_JSON_DEPTH + 2) {
            value = json!([value]);
        }
        assert!(matches!(
            check_json(&value),
            Err(AppError::BadRequest {
                code: ProblemCode::MalformedJson,
                ..
            })
        ));
    }

    #[test]
    fn query_values_are_checked_decoded() {
        assert!(check_query("q=%E9%96%B1%E8%AE%80&page=2").is_ok());
        let FieldErrors(errors) = check_query("q=a%00b").unwrap_err();
        assert_eq!(errors[0].field, "q");
        assert_eq!(errors[0].code, "control_character");
        let long = format!("q={}", "a".repeat(MAX_QUERY_VALUE_CHARS + 1));
        assert_eq!(check_query(&long).unwrap_err().0[0].code, "too_long");
        assert!(check_query("q=a%0Ab").is_err(), "no line breaks in a query");
    }
}
