//! Unit administration: the national centre creates, edits, closes, merges and moves units and
//! imports the school directory; each unit keeps its own contact data.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::Utc;
use inservice_domain::authorize::{Action, Target};
use inservice_domain::review::Ownership;
use inservice_domain::validation::Collector;
use inservice_domain::{CountyCode, FieldErrors, UnitCode, UnitKind, account};
use inservice_persistence::units::{UnitChangeError, UnitContact, UnitFacts};

use crate::AppState;
use crate::auth::Actor;
use crate::dto::*;
use crate::error::ProblemCode;
use crate::error::responses::{NotNationalAdmin, Unauthenticated, Unavailable, UnitNotFound};
use crate::error::{AppError, AppResult, Problem};
use crate::routes::admin::NationalAdmin;
use crate::uploads;

const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;

fn change_error(error: UnitChangeError) -> AppError {
    match error {
        UnitChangeError::NotFound => AppError::NotFound {
            code: ProblemCode::UnitNotFound,
            detail: "找不到這個單位。".into(),
        },
        UnitChangeError::Duplicate => AppError::Conflict {
            code: ProblemCode::UnitExists,
            detail: "已有相同代碼的單位。".into(),
        },
        UnitChangeError::Closed => AppError::Conflict {
            code: ProblemCode::UnitClosed,
            detail: "這個單位已經裁撤。".into(),
        },
        UnitChangeError::BadReference => reference_error("reference"),
        UnitChangeError::Storage(e) => e.into(),
    }
}

/// A unit code in `field` that names no open unit able to take the role.
fn reference_error(field: &'static str) -> AppError {
    FieldErrors::single(
        field,
        "invalid_unit_reference",
        "指定的單位不存在、已裁撤或不能擔任此角色",
    )
    .into()
}

/// As [`change_error`], naming `field` when the referenced unit is the problem.
fn change_error_about(field: &'static str) -> impl Fn(UnitChangeError) -> AppError {
    move |error| match error {
        UnitChangeError::BadReference => reference_error(field),
        other => change_error(other),
    }
}

fn optional_text(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn parse_facts(input: UnitInput) -> AppResult<UnitFacts> {
    let mut errors = Collector::default();
    let name = input.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        errors.check::<()>(Err(FieldErrors::single(
            "name",
            "invalid_name",
            "單位名稱須為 1 到 100 字",
        )));
    }
    let kind = errors.check(UnitKind::parse_field("kind", &input.kind));
    let county = errors.check(
        optional_text(input.county_code)
            .map(|c| CountyCode::parse_field("county_code", &c).map(|c| c.as_str().to_owned()))
            .transpose(),
    );
    let ownership = errors.check(Ownership::from_code(&input.ownership).ok_or_else(|| {
        FieldErrors::single(
            "ownership",
            "invalid_ownership",
            "須為 national、local 或 private",
        )
    }));
    let phone = errors.check(
        optional_text(input.phone)
            .map(|p| account::check_phone("phone", &p))
            .transpose(),
    );
    let email = errors.check(
        optional_text(input.email)
            .map(|e| account::check_email("email", &e))
            .transpose(),
    );
    let address = optional_text(input.address);
    if address.as_ref().is_some_and(|a| a.chars().count() > 200) {
        errors.check::<()>(Err(FieldErrors::single(
            "address",
            "too_long",
            "地址最多 200 字",
        )));
    }
    Ok(errors.finish_with(|| {
        Some(UnitFacts {
            name,
            kind: kind?,
            county_code: county?,
            ownership: ownership?,
            address,
            phone: phone?,
            email: email?,
        })
    })?)
}

async fn unit_response(state: &AppState, code: &str) -> AppResult<web::Json<UnitDto>> {
    let code = UnitCode::parse_field("code", code)?;
    let unit = state
        .db
        .unit_by_code(&code)
        .await?
        .ok_or_else(|| change_error(UnitChangeError::NotFound))?;
    Ok(web::Json(unit.into_wire()))
}

/// Creates a unit.
#[utoipa::path(tag = "unit administration", security(("bearer" = [])), request_body = NewUnit,
    responses(
        (status = 201, description = "The new unit.", body = UnitDto),
        (status = 400, description = "A field is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = NotNationalAdmin),
        (status = 409, description = "`unit_exists`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    ))]
#[post("/api/v1/units")]
pub async fn create(
    state: web::Data<AppState>,
    NationalAdmin(actor): NationalAdmin,
    body: web::Json<NewUnit>,
) -> AppResult<HttpResponse> {
    let NewUnit { code, unit } = body.into_inner();
    let code = UnitCode::parse_field("code", &code);
    let facts = parse_facts(unit);
    let (code, facts) = match (code, facts) {
        (Ok(code), Ok(facts)) => (code, facts),
        (Err(mut code_error), Err(AppError::Validation(others))) => {
            code_error.0.extend(others.0);
            return Err(code_error.into());
        }
        (Err(code_error), _) => return Err(code_error.into()),
        (_, Err(other)) => return Err(other),
    };
    state
        .db
        .create_unit(code.as_str(), &facts, actor.account_id, Utc::now())
        .await
        .map_err(change_error)?;
    let web::Json(dto) = unit_response(&state, code.as_str()).await?;
    Ok(HttpResponse::Created().json(dto))
}

/// Updates a unit's name, kind, county, ownership and contact data.
#[utoipa::path(tag = "unit administration", security(("bearer" = [])), request_body = UnitInput,
    params(("code" = String, Path, description = "Unit code.")),
    responses(
        (status = 200, description = "The updated unit.", body = UnitDto),
        (status = 400, description = "A field is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = NotNationalAdmin),
        (status = 404, response = UnitNotFound),
        (status = 503, response = Unavailable),
    ))]
#[patch("/api/v1/units/{code}")]
pub async fn update(
    state: web::Data<AppState>,
    NationalAdmin(actor): NationalAdmin,
    code: web::Path<String>,
    body: web::Json<UnitInput>,
) -> AppResult<web::Json<UnitDto>> {
    let facts = parse_facts(body.into_inner())?;
    state
        .db
        .update_unit(&code, &facts, actor.account_id, Utc::now())
        .await
        .map_err(change_error)?;
    unit_response(&state, &code).await
}

/// Updates the unit's own contact data (修改本單位通訊資料): its chief or contact, or the centre.
#[utoipa::path(tag = "unit administration", security(("bearer" = [])), request_body = UnitContactInput,
    params(("code" = String, Path, description = "Unit code.")),
    responses(
        (status = 200, description = "The updated unit.", body = UnitDto),
        (status = 400, description = "A field is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a manager of this unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = UnitNotFound),
        (status = 503, response = Unavailable),
    ))]
#[patch("/api/v1/units/{code}/contact")]
pub async fn update_contact(
    state: web::Data<AppState>,
    actor: Actor,
    code: web::Path<String>,
    body: web::Json<UnitContactInput>,
) -> AppResult<web::Json<UnitDto>> {
    actor.authorize(Action::EditUnitContact, &Target::Unit(&code))?;
    let input = body.into_inner();
    // Absent (or null) keeps a field; an empty string clears it.
    let clearable =
        |value: Option<String>| value.map(|v| Some(v.trim().to_owned()).filter(|v| !v.is_empty()));
    let mut errors = Collector::default();
    let phone = errors.check(
        clearable(input.phone)
            .map(|p| p.map(|p| account::check_phone("phone", &p)).transpose())
            .transpose(),
    );
    let email = errors.check(
        clearable(input.email)
            .map(|e| e.map(|e| account::check_email("email", &e)).transpose())
            .transpose(),
    );
    let address = clearable(input.address);
    if address
        .as_ref()
        .is_some_and(|a| a.as_ref().is_some_and(|a| a.chars().count() > 200))
    {
        errors.check::<()>(Err(FieldErrors::single(
            "address",
            "too_long",
            "地址最多 200 字",
        )));
    }
    errors.finish()?;
    let contact = UnitContact {
        address,
        phone: phone.flatten(),
        email: email.flatten(),
    };
    state
        .db
        .update_unit_contact(&code, &contact, actor.account_id, Utc::now())
        .await
        .map_err(change_error)?;
    unit_response(&state, &code).await
}

/// Closes a unit, or merges it into a successor that takes over its teachers and accounts.
#[utoipa::path(tag = "unit administration", security(("bearer" = [])), request_body = UnitClosing,
    params(("code" = String, Path, description = "Unit code.")),
    responses(
        (status = 200, description = "The closed unit.", body = UnitDto),
        (status = 400, description = "No reason, or a bad successor.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = NotNationalAdmin),
        (status = 404, response = UnitNotFound),
        (status = 409, description = "`unit_closed`: already closed.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    ))]
#[post("/api/v1/units/{code}/close")]
pub async fn close(
    state: web::Data<AppState>,
    NationalAdmin(actor): NationalAdmin,
    code: web::Path<String>,
    body: web::Json<UnitClosing>,
) -> AppResult<web::Json<UnitDto>> {
    let closing = body.into_inner();
    let reason = closing.reason.trim();
    if reason.is_empty() {
        return Err(
            FieldErrors::single("reason", "invalid_reason", "請填寫裁撤或合併的理由").into(),
        );
    }
    let successor = optional_text(closing.successor_code);
    state
        .db
        .close_unit(
            &code,
            successor.as_deref(),
            reason,
            actor.account_id,
            Utc::now(),
        )
        .await
        .map_err(change_error_about("successor_code"))?;
    // A merge moves every account of the unit: their tokens name the old unit.
    state.sessions.forget_all();
    unit_response(&state, &code).await
}

/// Moves a unit to another reviewing authority; the history keeps the previous one.
#[utoipa::path(tag = "unit administration", security(("bearer" = [])), request_body = ReviewerTransfer,
    params(("code" = String, Path, description = "Unit code.")),
    responses(
        (status = 200, description = "The unit with its new reviewer.", body = UnitDto),
        (status = 400, description = "The reviewer is not a regional centre or the national centre.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = NotNationalAdmin),
        (status = 404, response = UnitNotFound),
        (status = 503, response = Unavailable),
    ))]
#[post("/api/v1/units/{code}/reviewer")]
pub async fn transfer_reviewer(
    state: web::Data<AppState>,
    NationalAdmin(actor): NationalAdmin,
    code: web::Path<String>,
    body: web::Json<ReviewerTransfer>,
) -> AppResult<web::Json<UnitDto>> {
    state
        .db
        .set_unit_reviewer(
            &code,
            body.reviewer_code.trim(),
            actor.account_id,
            Utc::now(),
        )
        .await
        .map_err(change_error_about("reviewer_code"))?;
    unit_response(&state, &code).await
}

/// The history of every change to a unit.
#[utoipa::path(tag = "unit administration", security(("bearer" = [])),
    params(("code" = String, Path, description = "Unit code.")),
    responses(
        (status = 200, description = "The changes, oldest first.", body = UnitHistoryList),
        (status = 401, response = Unauthenticated),
        (status = 403, response = NotNationalAdmin),
        (status = 404, response = UnitNotFound),
        (status = 503, response = Unavailable),
    ))]
#[get("/api/v1/units/{code}/history")]
pub async fn history(
    state: web::Data<AppState>,
    _admin: NationalAdmin,
    code: web::Path<String>,
) -> AppResult<web::Json<UnitHistoryList>> {
    unit_response(&state, &code).await?;
    let items: Vec<UnitHistoryDto> = state
        .db
        .unit_history(&code)
        .await?
        .into_iter()
        .map(|h| UnitHistoryDto {
            at: h.at,
            actor_account_id: h.actor_account_id,
            change: h.change,
            before: h.before,
            after: h.after,
        })
        .collect();
    Ok(web::Json(UnitHistoryList {
        total: items.len() as u64,
        items,
    }))
}

/// Imports the MOE school directory: a CSV (`text/csv`) or Excel (`.xlsx`) file with the columns
/// code, name, county, kind and optionally ownership, address, phone, status (Chinese headers
/// such as 學校代碼、學校名稱、縣市、類別 work too). New codes are added, changed rows updated,
/// rows marked closed (裁併/停辦) closed. All of the file is applied, or — on any bad row —
/// nothing, with every bad cell listed.
#[utoipa::path(tag = "unit administration", security(("bearer" = [])),
    request_body(content = String, description = "The file's bytes.", content_type = "text/csv"),
    responses(
        (status = 200, description = "What the import did.", body = ImportReportDto),
        (status = 400, description = "Bad rows (`errors` names each `row N: column`), or an unreadable file.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = NotNationalAdmin),
        (status = 413, description = "Larger than 10 MB.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither CSV nor xlsx.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The file is over a limit of the upload check, named by `code`: `too_many_rows` (past row 20,000), `too_many_columns` (past column 200), `too_many_cells` (over 1,000,000); for xlsx also `zip_bomb` (an entry inflates over 200 times, or past its declared size), `workbook_too_large` (over 1,000 entries, an entry over 50 MB or all over 100 MB inflated), `too_many_shared_strings` (over 1,000,000 declared or held), `xml_doctype` (a DOCTYPE in a part), `xml_too_deep` (elements nested over 64 deep).", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    ))]
#[post("/api/v1/units/import")]
pub async fn import(
    state: web::Data<AppState>,
    req: HttpRequest,
    NationalAdmin(actor): NationalAdmin,
    body: web::Bytes,
) -> AppResult<web::Json<ImportReportDto>> {
    if body.len() > MAX_IMPORT_BYTES {
        return Err(AppError::TooLarge {
            detail: "檔案不可超過 10 MB。".into(),
        });
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let format = if content_type.starts_with("text/csv") {
        uploads::Format::Csv
    } else if content_type
        .starts_with("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    {
        uploads::Format::Xlsx
    } else {
        return Err(AppError::UnsupportedMediaType {
            detail: "請上傳 CSV（text/csv）或 Excel（.xlsx）檔。".into(),
        });
    };
    let table = uploads::read_table(body, format, uploads::Limits::SHEETS).await?;
    let counties = state
        .db
        .counties()
        .await?
        .into_iter()
        .map(|c| (c.name, c.code))
        .collect();
    let rows = inservice_domain::directory::parse_rows(table, &counties)?;
    let report = state
        .db
        .import_directory(&rows, actor.account_id, Utc::now())
        .await
        .map_err(change_error)?;
    Ok(web::Json(ImportReportDto {
        added: report.added,
        changed: report.changed,
        closed: report.closed,
        unchanged: report.unchanged as u64,
    }))
}
