//! Retrieval (取回): a county or partner with the item `retrieves_records` fetches its
//! teachers' records changed since a cursor, page by page, as JSON or XML.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use inservice_domain::exchange::Cursor;
use inservice_domain::identity::IdentityNumber;
use inservice_persistence::exchange::{RetrievalScope, RetrievedRecord};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::AppState;
use crate::dto::*;
use crate::error::responses::Unavailable;
use crate::error::{AppError, AppResult, Problem, ProblemCode};
use crate::partner_auth::ExchangeCaller;
use crate::routes::courses::views::taipei_time;
use crate::routes::records::attendance::hours;
use crate::routes::xlsx::xlsx_response;

const DEFAULT_LIMIT: u64 = 1_000;
const MAX_LIMIT: u64 = 5_000;

pub(crate) fn record_dto(r: RetrievedRecord) -> RetrievedRecordDto {
    RetrievedRecordDto {
        record_id: r.id,
        identity_number: r.identity.expose().to_owned(),
        teacher_name: r.teacher_name,
        course_code: r.course_id,
        partner_course_id: r.partner_course_id,
        partner_record_id: r.partner_record_id,
        course_name: r.course_name,
        organiser_code: r.unit_code,
        organiser_name: r.unit_name,
        start_date: r.start_date,
        end_date: r.end_date,
        category: r.category,
        stage: r.stage,
        class_type: r.class_type,
        tags: r.tags,
        hours: hours(r.half_hours),
        source: r.source,
        standing: r.standing,
        changed_at: taipei_time(r.changed_at),
    }
}

/// The page as XML: `<records next_cursor="…" has_more="…"><record>…</record></records>`, each
/// field an element named as in JSON (tags joined by `;`).
pub(crate) fn page_xml(page: &RetrievalPageDto) -> Result<Vec<u8>, AppError> {
    let fail = |e: std::io::Error| AppError::Internal(format!("writing XML: {e}"));
    let mut writer = Writer::new(Vec::new());
    writer
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .map_err(fail)?;
    let mut root = BytesStart::new("records");
    root.push_attribute(("next_cursor", page.next_cursor.as_str()));
    root.push_attribute(("has_more", if page.has_more { "true" } else { "false" }));
    writer.write_event(Event::Start(root)).map_err(fail)?;
    for record in &page.items {
        writer
            .write_event(Event::Start(BytesStart::new("record")))
            .map_err(fail)?;
        let value = serde_json::to_value(record)
            .map_err(|e| AppError::Internal(format!("record not serialisable: {e}")))?;
        if let serde_json::Value::Object(fields) = value {
            for (name, value) in fields {
                let text = match value {
                    serde_json::Value::Null => continue,
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Array(items) => items
                        .iter()
                        .filter_map(|i| i.as_str())
                        .collect::<Vec<_>>()
                        .join(";"),
                    other => other.to_string(),
                };
                writer
                    .write_event(Event::Start(BytesStart::new(name.as_str())))
                    .map_err(fail)?;
                writer
                    .write_event(Event::Text(BytesText::new(&text)))
                    .map_err(fail)?;
                writer
                    .write_event(Event::End(BytesEnd::new(name.as_str())))
                    .map_err(fail)?;
            }
        }
        writer
            .write_event(Event::End(BytesEnd::new("record")))
            .map_err(fail)?;
    }
    writer
        .write_event(Event::End(BytesEnd::new("records")))
        .map_err(fail)?;
    Ok(writer.into_inner())
}

pub(crate) fn parse_limit(value: Option<&str>) -> AppResult<u64> {
    let limit = crate::routes::params::parse_integer("limit", value)?.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(inservice_domain::FieldErrors::single(
            "limit",
            "out_of_range",
            format!("limit 須為 1 到 {MAX_LIMIT}"),
        )
        .into());
    }
    Ok(limit)
}

/// The records of the caller's teachers (its county's serving units, or its unit's) changed
/// after `cursor`, oldest change first. A record confirmed while the caller pages through
/// comes on a later page exactly once; keep `next_cursor` to resume. `Accept: application/xml`
/// answers in XML, the xlsx type as a workbook.
#[utoipa::path(
    tag = "exchange",
    security(("api_key" = [])),
    params(RetrievalQuery),
    responses(
        (status = 200, description = "One page (`Accept: application/xml` or the xlsx type for those; a workbook carries the cursor in `X-Next-Cursor` and `X-Has-More`).", content((RetrievalPageDto = "application/json"), (String = "application/xml"), (FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, description = "A bad cursor or limit.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No, an unknown or a revoked key.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An address outside the allow-list, or a partner without `retrieves_records` or without a county or unit.", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Over the partner's rate.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/exchange/records")]
pub async fn records(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: ExchangeCaller,
    query: web::Query<RetrievalQuery>,
) -> AppResult<HttpResponse> {
    let ExchangeCaller::Partner(caller) = caller else {
        return Err(AppError::Forbidden {
            code: ProblemCode::NotPermitted,
            detail: "取回研習紀錄須以合作系統的 API 金鑰呼叫。".into(),
        });
    };
    caller.require_item("retrieves_records")?;
    let cursor = match query.cursor.as_deref().map(str::trim) {
        None | Some("") => Cursor::START,
        Some(text) => Cursor::parse("cursor", text)?,
    };
    let limit = parse_limit(query.limit.as_deref())?;
    let fields = &caller.partner.fields;
    let scope = match (&fields.county_code, &fields.unit_code) {
        (Some(county), _) => RetrievalScope::County(county.clone()),
        (None, Some(unit)) => RetrievalScope::Unit(unit.clone()),
        (None, None) => {
            return Err(AppError::Forbidden {
                code: ProblemCode::NotPermitted,
                detail: "此合作系統未登記所代表的縣市或單位；請以 POST /api/v1/exchange/records/query 指名教師取回。".into(),
            });
        }
    };
    page(&state, &req, &scope, cursor, limit).await
}

/// One page of the scope's records after `cursor`, as JSON, XML or a workbook by `Accept`.
async fn page(
    state: &AppState,
    req: &HttpRequest,
    scope: &RetrievalScope,
    cursor: Cursor,
    limit: u64,
) -> AppResult<HttpResponse> {
    let (found, has_more) = state
        .db
        .retrieve_records(scope, (cursor.seq, cursor.id), limit, &state.vault)
        .await?;
    let next = found.last().map_or(cursor, |r| Cursor {
        seq: r.change_seq,
        id: i64::from(r.id),
    });
    let page = RetrievalPageDto {
        items: found.into_iter().map(record_dto).collect(),
        next_cursor: next.to_token(),
        has_more,
    };
    match wanted(req) {
        Wanted::Xml => Ok(HttpResponse::Ok()
            .content_type("application/xml; charset=utf-8")
            .body(page_xml(&page)?)),
        Wanted::Xlsx => {
            let cursor = page.next_cursor.clone();
            let more = if page.has_more { "true" } else { "false" };
            let mut response = xlsx_response("records.xlsx", move || page_workbook(&page)).await?;
            let headers = response.headers_mut();
            for (name, value) in [("x-next-cursor", cursor.as_str()), ("x-has-more", more)] {
                if let Ok(value) = header::HeaderValue::from_str(value) {
                    headers.insert(header::HeaderName::from_static(name), value);
                }
            }
            Ok(response)
        }
        Wanted::Json => Ok(HttpResponse::Ok().json(page)),
    }
}

enum Wanted {
    Json,
    Xml,
    Xlsx,
}

fn wanted(req: &HttpRequest) -> Wanted {
    let accept = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if accept.contains("spreadsheetml") {
        Wanted::Xlsx
    } else if accept.contains("application/xml") || accept.contains("text/xml") {
        Wanted::Xml
    } else {
        Wanted::Json
    }
}

/// The page as a workbook: one row per record, the columns named as in JSON.
fn page_workbook(page: &RetrievalPageDto) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("研習紀錄")?;
    let mut header: Vec<String> = Vec::new();
    for (r, record) in page.items.iter().enumerate() {
        let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(record) else {
            continue;
        };
        if header.is_empty() {
            header = fields.keys().cloned().collect();
            for (c, name) in header.iter().enumerate() {
                sheet.write_string(0, c as u16, name)?;
            }
        }
        for (c, value) in fields.values().enumerate() {
            let text = match value {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .filter_map(|i| i.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
                other => other.to_string(),
            };
            sheet.write_string(r as u32 + 1, c as u16, text)?;
        }
    }
    book.save_to_buffer()
}

/// Teachers named in one retrieval.
const MAX_NAMED: usize = 1_000;

/// The records of the teachers the partner names (by identity number), changed after
/// `cursor`; for platforms that speak for no county or unit. Answers as `GET …/records` does.
#[utoipa::path(
    tag = "exchange",
    security(("api_key" = [])),
    request_body = NamedRetrievalInput,
    responses(
        (status = 200, description = "One page.", content((RetrievalPageDto = "application/json"), (String = "application/xml"), (FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, description = "A bad identity number, cursor or limit, or none or more than 1,000 named.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No, an unknown or a revoked key.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An address outside the allow-list, or a partner without `retrieves_records`.", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Over the partner's rate.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/exchange/records/query")]
pub async fn named(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: ExchangeCaller,
    body: web::Json<NamedRetrievalInput>,
) -> AppResult<HttpResponse> {
    let ExchangeCaller::Partner(caller) = caller else {
        return Err(AppError::Forbidden {
            code: ProblemCode::NotPermitted,
            detail: "取回研習紀錄須以合作系統的 API 金鑰呼叫。".into(),
        });
    };
    caller.require_item("retrieves_records")?;
    let mut errors = inservice_domain::validation::Collector::default();
    if body.identity_numbers.is_empty() || body.identity_numbers.len() > MAX_NAMED {
        errors.fail(
            "identity_numbers",
            "out_of_range",
            format!("請指名 1 到 {MAX_NAMED} 位教師"),
        );
    }
    let mut hashes = Vec::with_capacity(body.identity_numbers.len().min(MAX_NAMED));
    for (i, text) in body.identity_numbers.iter().take(MAX_NAMED).enumerate() {
        let field = format!("identity_numbers[{i}]");
        if let Some(identity) = errors.check(IdentityNumber::parse_field(&field, text)) {
            hashes.push(state.vault.lookup_hash(&identity));
        }
    }
    let cursor = match body.cursor.as_deref().map(str::trim) {
        None | Some("") => Some(Cursor::START),
        Some(text) => errors.check(Cursor::parse("cursor", text)),
    };
    let limit_text = body.limit.map(|l| l.to_string());
    let limit = errors.check(parse_limit(limit_text.as_deref()).map_err(|e| match e {
        AppError::Validation(errors) => errors,
        _ => inservice_domain::FieldErrors::single("limit", "out_of_range", "limit 不正確"),
    }));
    let (cursor, limit) = errors.finish_with(|| cursor.zip(limit))?;
    page(
        &state,
        &req,
        &RetrievalScope::Teachers(hashes),
        cursor,
        limit,
    )
    .await
}
