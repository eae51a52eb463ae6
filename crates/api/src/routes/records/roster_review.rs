//! 名單確認 by the course's reviewer (confirm, which writes the records and closes the course,
//! or return), and 修改已結案課程內容申請: the organiser asks, the regional centre decides.

use actix_web::{HttpRequest, get, post, web};
use chrono::Utc;
use inservice_domain::FieldErrors;
use inservice_domain::authorize::{Action, Target};
use inservice_persistence::records::{Amendment, RecordError};
use serde_json::Value;

use crate::AppState;
use crate::auth::Actor;
use crate::dto::*;
use crate::error::ProblemCode;
use crate::error::responses::{Unauthenticated, Unavailable};
use crate::error::{AppError, AppResult, Problem};
use crate::routes::courses::views::{changed_by, course_page, taipei_time, visible_course};
use crate::routes::enrollments::organiser::managed_course;
use crate::routes::params::parse_page;
use crate::routes::records::attendance::{hours, parse_entries, record_error};

fn reviewer_of(actor: &Actor) -> AppResult<String> {
    let reviewer = actor.unit_code.clone().unwrap_or_default();
    actor.authorize(Action::ReviewCourse, &Target::Unit(&reviewer))?;
    Ok(reviewer)
}

fn required_reason(reason: Option<&str>, what: &str) -> AppResult<String> {
    let reason = reason.map(str::trim).unwrap_or_default();
    if reason.is_empty() {
        return Err(
            FieldErrors::single("reason", "required", format!("請說明{what}的理由")).into(),
        );
    }
    if reason.chars().count() > 1000 {
        return Err(FieldErrors::single("reason", "too_long", "理由最多 1000 個字").into());
    }
    Ok(reason.to_owned())
}

/// The rosters waiting for the caller's unit, oldest submission first.
#[utoipa::path(
    tag = "roster review",
    security(("bearer" = [])),
    params(QueuePage),
    responses(
        (status = 200, description = "One page of courses whose roster waits.", body = CoursePageDto),
        (status = 400, description = "Bad paging.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "The caller's unit reviews no courses.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/review/rosters")]
pub async fn queue(
    state: web::Data<AppState>,
    actor: Actor,
    query: web::Query<QueuePage>,
) -> AppResult<web::Json<CoursePageDto>> {
    let reviewer = reviewer_of(&actor)?;
    let page = parse_page(query.page.as_deref(), query.per_page.as_deref())?;
    let result = state.db.roster_queue(&reviewer, page).await?;
    Ok(web::Json(course_page(result, page, Utc::now(), true)))
}

/// Confirms a submitted roster: each teacher with hours gets a training record (once, however
/// often this is called) and the course is closed (結案).
#[utoipa::path(
    tag = "roster review",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    responses(
        (status = 200, description = "Records written.", body = ConfirmResultDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not the course's reviewer.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`roster_not_submitted` (already confirmed, returned or never submitted) or `course_changed`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/courses/{code}/roster/confirm")]
pub async fn confirm(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<i32>,
) -> AppResult<web::Json<ConfirmResultDto>> {
    let (course, _) = visible_course(&state, Some(&actor), *code).await?;
    actor.authorize(Action::ReviewCourse, &Target::Unit(&course.reviewer_code))?;
    let written = state
        .db
        .confirm_roster(
            course.id,
            &course.reviewer_code,
            &changed_by(&actor, &req),
            Utc::now(),
        )
        .await
        .map_err(|e| record_error(course.id, e))?;
    Ok(web::Json(ConfirmResultDto {
        records: written as u64,
    }))
}

/// Returns a submitted roster to the organiser with a reason; they correct and submit again.
#[utoipa::path(
    tag = "roster review",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "The roster, returned.", body = RosterDto),
        (status = 400, description = "No reason.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not the course's reviewer.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`roster_not_submitted` or `course_changed`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/courses/{code}/roster/return")]
pub async fn send_back(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<i32>,
    body: web::Json<ReasonRequest>,
) -> AppResult<web::Json<RosterDto>> {
    let (course, _) = visible_course(&state, Some(&actor), *code).await?;
    actor.authorize(Action::ReviewCourse, &Target::Unit(&course.reviewer_code))?;
    let reason = required_reason(Some(&body.reason), "退回名單")?;
    state
        .db
        .return_roster(
            course.id,
            &course.reviewer_code,
            &reason,
            &changed_by(&actor, &req),
            Utc::now(),
        )
        .await
        .map_err(|e| record_error(course.id, e))?;
    let course = state
        .db
        .course(course.id)
        .await?
        .ok_or_else(|| crate::routes::courses::views::course_not_found(course.id))?;
    let facts = state.db.roster_facts(course.id).await?;
    Ok(web::Json(crate::routes::records::attendance::roster_dto(
        &course, facts,
    )))
}

fn lines(value: &Value) -> Vec<AmendmentLineDto> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|line| AmendmentLineDto {
                    account_id: line["account_id"].as_i64().unwrap_or_default() as i32,
                    real_name: line["real_name"].as_str().unwrap_or_default().to_owned(),
                    mark: line["mark"].as_str().unwrap_or_default().to_owned(),
                    hours: hours(line["half_hours"].as_u64().unwrap_or_default() as u32),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn amendment_dto(a: Amendment) -> AmendmentDto {
    AmendmentDto {
        id: a.id,
        course_code: a.course_id,
        reason: a.reason,
        status: a.status,
        requested_at: taipei_time(a.requested_at),
        decided_at: a.decided_at.map(taipei_time),
        decision_reason: a.decision_reason,
        before: lines(&a.before),
        after: lines(&a.after),
    }
}

fn amendment_list(items: Vec<Amendment>) -> AmendmentList {
    AmendmentList {
        total: items.len() as u64,
        items: items.into_iter().map(amendment_dto).collect(),
    }
}

/// Files a request to change a closed course's attendance (修改已結案課程內容申請): the lines as
/// they should be, and why. Nothing changes until the regional centre approves.
#[utoipa::path(
    tag = "amendments",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    request_body = AmendmentRequestDto,
    responses(
        (status = 201, description = "The request, with the lines before and after.", body = AmendmentDto),
        (status = 400, description = "No reason or an invalid line.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a course manager of the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`course_not_closed` or `not_a_participant`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/courses/{code}/amendments")]
pub async fn request(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<i32>,
    body: web::Json<AmendmentRequestDto>,
) -> AppResult<actix_web::HttpResponse> {
    let course = managed_course(&state, &actor, *code).await?;
    let mut e = inservice_domain::validation::Collector::default();
    let reason = e.check(required_reason(Some(&body.reason), "修改").map_err(|_| {
        FieldErrors::single("reason", "required", "請說明修改的理由（最多 1000 字）")
    }));
    let entries = e.check(parse_entries(&body.entries, &course.form.sessions));
    let (reason, entries) = e.finish_with(|| reason.zip(entries))?;
    let amendment = state
        .db
        .request_amendment(
            course.id,
            &reason,
            &entries,
            &changed_by(&actor, &req),
            Utc::now(),
        )
        .await
        .map_err(|e| record_error(course.id, e))?;
    Ok(actix_web::HttpResponse::Created().json(amendment_dto(amendment)))
}

/// A course's amendment requests, newest first (its organisers and reviewer).
#[utoipa::path(
    tag = "amendments",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    responses(
        (status = 200, description = "The requests.", body = AmendmentList),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Neither an organiser nor the reviewer.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/courses/{code}/amendments")]
pub async fn of_course(
    state: web::Data<AppState>,
    actor: Actor,
    code: web::Path<i32>,
) -> AppResult<web::Json<AmendmentList>> {
    let (course, _) =
        crate::routes::records::attendance::roster_course(&state, &actor, *code).await?;
    Ok(web::Json(amendment_list(
        state.db.course_amendments(course.id).await?,
    )))
}

/// The amendment requests waiting for the caller's regional centre, oldest first.
#[utoipa::path(
    tag = "amendments",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The requests.", body = AmendmentList),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "The caller's unit reviews no courses.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/review/amendments")]
pub async fn pending(
    state: web::Data<AppState>,
    actor: Actor,
) -> AppResult<web::Json<AmendmentList>> {
    let reviewer = reviewer_of(&actor)?;
    Ok(web::Json(amendment_list(
        state.db.pending_amendments(&reviewer).await?,
    )))
}

/// Approves (the new attendance applies and the teachers' records are rewritten in the same
/// transaction) or rejects an amendment request.
#[utoipa::path(
    tag = "amendments",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Request id.")),
    request_body = AmendmentDecision,
    responses(
        (status = 200, description = "The decided request.", body = AmendmentDto),
        (status = 400, description = "A rejection without a reason.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "The caller's unit reviews no courses.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`amendment_not_found` (also for another centre's requests).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`already_decided`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/amendments/{id}/decision")]
pub async fn decide(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    id: web::Path<i32>,
    body: web::Json<AmendmentDecision>,
) -> AppResult<web::Json<AmendmentDto>> {
    let reviewer = reviewer_of(&actor)?;
    let reason = match body.reason.as_deref().map(str::trim) {
        Some(r) if !r.is_empty() => Some(required_reason(Some(r), "")?),
        _ if !body.approve => Some(required_reason(None, "不予同意")?),
        _ => None,
    };
    let decided = state
        .db
        .decide_amendment(
            *id,
            body.approve,
            reason.as_deref(),
            &reviewer,
            &changed_by(&actor, &req),
            Utc::now(),
        )
        .await
        .map_err(|e| match e {
            RecordError::NotFound | RecordError::CourseNotFound => AppError::NotFound {
                code: ProblemCode::AmendmentNotFound,
                detail: "找不到這件修改申請。".into(),
            },
            e => record_error(0, e),
        })?;
    Ok(web::Json(amendment_dto(decided)))
}
