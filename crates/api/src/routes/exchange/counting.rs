//! What makes a partner's record count: a back-end county's monthly confirmation (Art. 11-6,
//! 12-3: the previous month by the 5th) and the national centre's decision on a suspected
//! duplicate (Art. 12-1).

use actix_web::{HttpResponse, get, post, web};
use chrono::Utc;
use inservice_domain::course::schedule::taipei_today;
use inservice_domain::exchange::{YearMonth, confirmation_deadline, months_due};
use inservice_domain::roster::Light;
use inservice_domain::{CountyCode, FieldErrors};
use inservice_persistence::exchange::CountingError;

use super::{PartnerAdmin, bureau_county, is_partner_admin};
use crate::AppState;
use crate::auth::Actor;
use crate::dto::*;
use crate::error::responses::{NotNationalAdmin, Unauthenticated, Unavailable};
use crate::error::{AppError, AppResult, Problem, ProblemCode};
use crate::routes::courses::views::taipei_time;
use crate::routes::records::attendance::hours;

/// Months shown before the first pending one: a year of history.
const HISTORY_MONTHS: u32 = 12;

/// The county the caller confirms for: its own bureau's, or the one the national centre names.
async fn county_of(state: &AppState, actor: &Actor, named: Option<&str>) -> AppResult<String> {
    let named = named.map(str::trim).filter(|c| !c.is_empty());
    match named {
        Some(code) if is_partner_admin(actor) => Ok(CountyCode::parse_field("county_code", code)?
            .as_str()
            .to_owned()),
        None if is_partner_admin(actor) => {
            Err(FieldErrors::single("county_code", "required", "請指定縣市（county_code）").into())
        }
        _ => bureau_county(state, actor).await,
    }
}

/// A county's months: the ones to confirm (yellow until the 5th of the next month, red after)
/// and the last year's confirmations.
#[utoipa::path(
    tag = "exchange",
    security(("bearer" = [])),
    params(CountyMonthsQuery),
    responses(
        (status = 200, description = "Newest month first.", body = CountyMonthsDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a county bureau or the national centre.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/exchange/confirmations")]
pub async fn months(
    state: web::Data<AppState>,
    actor: Actor,
    query: web::Query<CountyMonthsQuery>,
) -> AppResult<web::Json<CountyMonthsDto>> {
    let county = county_of(&state, &actor, query.county_code.as_deref()).await?;
    let today = taipei_today(Utc::now());
    let confirmed = state.db.month_confirmations(&county).await?;
    let pending = state.db.pending_by_month(&county).await?;
    let mut since = YearMonth::of(today);
    for _ in 0..HISTORY_MONTHS {
        since = since.previous();
    }
    if let Some((&(year, month), _)) = pending.iter().next()
        && let Some(first) = YearMonth::new(year, month)
    {
        since = since.min(first);
    }
    let done: Vec<YearMonth> = confirmed
        .iter()
        .filter_map(|c| YearMonth::parse("month", &c.month).ok())
        .collect();
    let mut items: Vec<CountyMonthDto> = months_due(today, &done, since)
        .into_iter()
        .map(|(month, light)| CountyMonthDto {
            county_code: county.clone(),
            month: month.to_string(),
            deadline: confirmation_deadline(month),
            light: light.code().to_owned(),
            pending: pending
                .get(&(month.year(), month.month()))
                .copied()
                .unwrap_or(0),
            confirmed_at: None,
            confirmed_records: 0,
        })
        .collect();
    for c in confirmed {
        let Ok(month) = YearMonth::parse("month", &c.month) else {
            continue;
        };
        items.push(CountyMonthDto {
            county_code: county.clone(),
            month: c.month.clone(),
            deadline: confirmation_deadline(month),
            light: Light::Green.code().to_owned(),
            pending: pending
                .get(&(month.year(), month.month()))
                .copied()
                .unwrap_or(0),
            confirmed_at: Some(taipei_time(c.confirmed_at)),
            confirmed_records: c.records,
        });
    }
    items.sort_by(|a, b| b.month.cmp(&a.month));
    Ok(web::Json(CountyMonthsDto { items }))
}

/// The county confirms a past month: its back-end partners' records of that month (by their
/// last day) count from now on. Once per month.
#[utoipa::path(
    tag = "exchange",
    security(("bearer" = [])),
    request_body = ConfirmMonthInput,
    responses(
        (status = 201, description = "Confirmed.", body = CountyMonthDto),
        (status = 400, description = "Not a past month.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not the county's bureau or the national centre.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Confirmed already (`month_already_confirmed`).", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/exchange/confirmations")]
pub async fn confirm(
    state: web::Data<AppState>,
    actor: Actor,
    body: web::Json<ConfirmMonthInput>,
) -> AppResult<HttpResponse> {
    let county = county_of(&state, &actor, body.county_code.as_deref()).await?;
    let month = YearMonth::parse("month", body.month.trim())?;
    let now = Utc::now();
    let today = taipei_today(now);
    if month >= YearMonth::of(today) {
        return Err(FieldErrors::single("month", "not_past", "只能確認已過去的月份").into());
    }
    let done = state
        .db
        .confirm_month(
            &county,
            &month.to_string(),
            month.first_day(),
            month.last_day(),
            actor.account_id,
            now,
        )
        .await
        .map_err(|e| match e {
            CountingError::AlreadyConfirmed => AppError::Conflict {
                code: ProblemCode::MonthAlreadyConfirmed,
                detail: format!("{month} 已確認過。"),
            },
            CountingError::NotFound => AppError::Internal("confirming found nothing".into()),
            CountingError::Storage(e) => e.into(),
        })?;
    Ok(HttpResponse::Created().json(CountyMonthDto {
        county_code: county,
        month: done.month,
        deadline: confirmation_deadline(month),
        light: Light::Green.code().to_owned(),
        pending: 0,
        confirmed_at: Some(taipei_time(done.confirmed_at)),
        confirmed_records: done.records,
    }))
}

/// Records suspected to repeat a course another source already reported for the same teacher
/// (same dates and hours, a similar name): counted once until decided.
#[utoipa::path(
    tag = "exchange",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Oldest first, at most 500.", body = DuplicateListDto),
        (status = 401, response = Unauthenticated),
        (status = 403, response = NotNationalAdmin),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/exchange/duplicates")]
pub async fn duplicates(
    state: web::Data<AppState>,
    _admin: PartnerAdmin,
) -> AppResult<web::Json<DuplicateListDto>> {
    let items = state
        .db
        .suspected_duplicates(500)
        .await?
        .into_iter()
        .map(|d| DuplicateDto {
            record_id: d.record_id,
            teacher: d.teacher_masked,
            course_name: d.course_name,
            source: d.source,
            start_date: d.start_date,
            end_date: d.end_date,
            hours: hours(d.half_hours),
            other_record_id: d.other_record_id,
            other_course_name: d.other_course_name,
            other_source: d.other_source,
        })
        .collect();
    Ok(web::Json(DuplicateListDto { items }))
}

/// Decides a suspected duplicate: `same` (it stays uncounted) or `distinct` (it counts too).
#[utoipa::path(
    tag = "exchange",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "The suspected record's id.")),
    request_body = DuplicateDecisionInput,
    responses(
        (status = 204, description = "Decided."),
        (status = 400, description = "Not `same` or `distinct`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = NotNationalAdmin),
        (status = 404, description = "No suspected duplicate waits with this id (`duplicate_not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/exchange/duplicates/{id}/decision")]
pub async fn decide(
    state: web::Data<AppState>,
    _admin: PartnerAdmin,
    path: web::Path<i32>,
    body: web::Json<DuplicateDecisionInput>,
) -> AppResult<HttpResponse> {
    let same = match body.decision.trim() {
        "same" => true,
        "distinct" => false,
        _ => {
            return Err(FieldErrors::single(
                "decision",
                "invalid_decision",
                "decision 必須是 same（同一課程）或 distinct（不同課程）",
            )
            .into());
        }
    };
    state
        .db
        .decide_duplicate(path.into_inner(), same, Utc::now())
        .await
        .map_err(|e| match e {
            CountingError::NotFound => AppError::NotFound {
                code: ProblemCode::DuplicateNotFound,
                detail: "沒有待判定的此筆紀錄。".into(),
            },
            CountingError::AlreadyConfirmed => AppError::Internal("unexpected".into()),
            CountingError::Storage(e) => e.into(),
        })?;
    Ok(HttpResponse::NoContent().finish())
}
