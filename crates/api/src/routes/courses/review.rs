//! Course review (研習課程資料確認) by the regional centres and the national centre, and their
//! automatic-approval switches (自動審核功能設定).

use actix_web::{HttpRequest, get, post, put, web};
use chrono::Utc;
use inservice_domain::authorize::{Action, Target};
use inservice_domain::validation::Collector;
use inservice_domain::{FieldErrors, Stage, UnitCode};
use inservice_persistence::courses::{AutoApproval, Decision, ReviewFilter};

use crate::AppState;
use crate::auth::Actor;
use crate::dto::*;
use crate::error::ProblemCode;
use crate::error::responses::{Unauthenticated, Unavailable, UnitNotFound};
use crate::error::{AppError, AppResult, Problem};
use crate::routes::courses::views::{
    changed_by, course_dto, course_error, course_page, visible_course,
};
use crate::routes::params::parse_page;

fn review_filter(query: &ReviewQueueQuery) -> Result<ReviewFilter, FieldErrors> {
    let mut e = Collector::default();
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let decided = match text(&query.status).as_deref() {
        None | Some("waiting") => false,
        Some("decided") => true,
        Some(_) => e
            .check::<bool>(Err(FieldErrors::single(
                "status",
                "invalid_choice",
                "status 必須是 waiting 或 decided",
            )))
            .unwrap_or_default(),
    };
    let stage = text(&query.stage).and_then(|s| e.check(Stage::parse_field("stage", &s)));
    let unit = text(&query.unit).and_then(|u| e.check(UnitCode::parse_field("unit", &u)));
    let date = |field: &str, value: Option<String>| {
        value
            .map(|v| inservice_domain::course::schedule::parse_date(field, &v))
            .transpose()
    };
    let from = e.check(date("from", text(&query.from))).flatten();
    let to = e.check(date("to", text(&query.to))).flatten();
    let flagged = match text(&query.flagged).as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => e
            .check::<bool>(Err(FieldErrors::single(
                "flagged",
                "invalid_flag",
                "flagged 必須是 true 或 false",
            )))
            .unwrap_or_default(),
    };
    e.finish()?;
    Ok(ReviewFilter {
        stage,
        unit_code: unit.map(|u| u.as_str().to_owned()),
        from,
        to,
        flagged_only: flagged,
        decided,
    })
}

/// The courses waiting for the caller's unit to review them (or those it decided).
#[utoipa::path(
    tag = "course review",
    security(("bearer" = [])),
    params(ReviewQueueQuery),
    responses(
        (status = 200, description = "One page of the queue, with reviewer flags.", body = CoursePageDto),
        (status = 400, description = "A filter is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "The caller's unit reviews no courses.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/review/courses")]
pub async fn queue(
    state: web::Data<AppState>,
    actor: Actor,
    query: web::Query<ReviewQueueQuery>,
) -> AppResult<web::Json<CoursePageDto>> {
    let reviewer = actor.unit_code.clone().unwrap_or_default();
    actor.authorize(Action::ReviewCourse, &Target::Unit(&reviewer))?;
    let mut e = Collector::default();
    let filter = e.check(review_filter(&query));
    let page = e.check(parse_page(query.page.as_deref(), query.per_page.as_deref()));
    let (filter, page) = e.finish_with(|| filter.zip(page))?;
    let result = state.db.review_queue(&reviewer, &filter, page).await?;
    Ok(web::Json(course_page(result, page, Utc::now(), true)))
}

async fn decide(
    state: &AppState,
    req: &HttpRequest,
    actor: &Actor,
    code: i32,
    decision: Decision,
    body: DecisionBody,
) -> AppResult<web::Json<CourseDto>> {
    let (course, _) = visible_course(state, Some(actor), code).await?;
    actor.authorize(Action::ReviewCourse, &Target::Unit(&course.reviewer_code))?;
    let reason = body
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if reason.is_none() && decision != Decision::Approve {
        return Err(FieldErrors::single(
            "reason",
            "required",
            "退回或不予核准時請說明理由，開課單位會看到這段文字",
        )
        .into());
    }
    if reason.is_some_and(|r| r.chars().count() > 1000) {
        return Err(FieldErrors::single("reason", "too_long", "理由最多 1000 個字").into());
    }
    let course = state
        .db
        .decide_course(
            code,
            decision,
            reason,
            &course.reviewer_code,
            &changed_by(actor, req),
            Utc::now(),
        )
        .await
        .map_err(|e| course_error(code, e))?;
    let standing = crate::routes::courses::views::Standing::of(Some(actor), &course);
    Ok(web::Json(
        course_dto(state, course, standing, Some(actor), Utc::now()).await?,
    ))
}

/// Approves and publishes a submitted course (optionally with a note).
#[utoipa::path(
    tag = "course review",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    request_body = DecisionBody,
    responses(
        (status = 200, description = "The approved course.", body = CourseDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not the course's reviewer.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_course_state` (not waiting for review) or `course_changed`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/courses/{code}/approve")]
pub async fn approve(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<i32>,
    body: web::Json<DecisionBody>,
) -> AppResult<web::Json<CourseDto>> {
    decide(
        &state,
        &req,
        &actor,
        *code,
        Decision::Approve,
        body.into_inner(),
    )
    .await
}

/// Returns a submitted course to its unit for changes; the reason is required.
#[utoipa::path(
    tag = "course review",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    request_body = DecisionBody,
    responses(
        (status = 200, description = "The returned course.", body = CourseDto),
        (status = 400, description = "No reason.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not the course's reviewer.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_course_state` or `course_changed`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/courses/{code}/return")]
pub async fn send_back(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<i32>,
    body: web::Json<DecisionBody>,
) -> AppResult<web::Json<CourseDto>> {
    decide(
        &state,
        &req,
        &actor,
        *code,
        Decision::Return,
        body.into_inner(),
    )
    .await
}

/// Rejects a submitted course for good; the reason is required.
#[utoipa::path(
    tag = "course review",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    request_body = DecisionBody,
    responses(
        (status = 200, description = "The rejected course.", body = CourseDto),
        (status = 400, description = "No reason.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not the course's reviewer.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_course_state` or `course_changed`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/courses/{code}/reject")]
pub async fn reject(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<i32>,
    body: web::Json<DecisionBody>,
) -> AppResult<web::Json<CourseDto>> {
    decide(
        &state,
        &req,
        &actor,
        *code,
        Decision::Reject,
        body.into_inner(),
    )
    .await
}

async fn unit_switches(state: &AppState, code: &str) -> AppResult<(String, AutoApproval)> {
    let code = UnitCode::parse_field("code", code)?;
    match state.db.auto_approval(code.as_str()).await? {
        Some(setting) => Ok((code.as_str().to_owned(), setting)),
        None => Err(AppError::NotFound {
            code: ProblemCode::UnitNotFound,
            detail: format!("找不到代碼為 {code} 的單位。"),
        }),
    }
}

/// A regional centre's automatic-approval switches (自動審核瀏覽).
#[utoipa::path(
    tag = "course review",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Unit code of the regional centre.")),
    responses(
        (status = 200, description = "The switches.", body = AutoApprovalDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not an account of this reviewing unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = UnitNotFound),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/units/{code}/auto-approval")]
pub async fn auto_approval(
    state: web::Data<AppState>,
    actor: Actor,
    code: web::Path<String>,
) -> AppResult<web::Json<AutoApprovalDto>> {
    let (unit, setting) = unit_switches(&state, &code).await?;
    actor.authorize(Action::ViewAutoApproval, &Target::Unit(&unit))?;
    Ok(web::Json(AutoApprovalDto {
        courses: setting.courses,
        rosters: setting.rosters,
    }))
}

/// Switches automatic approval of courses and rosters (the regional centre's chief only).
#[utoipa::path(
    tag = "course review",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Unit code of the regional centre.")),
    request_body = AutoApprovalDto,
    responses(
        (status = 200, description = "The switches as saved.", body = AutoApprovalDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not this unit's chief (總負責人).", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = UnitNotFound),
        (status = 503, response = Unavailable),
    )
)]
#[put("/api/v1/units/{code}/auto-approval")]
pub async fn set_auto_approval(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<String>,
    body: web::Json<AutoApprovalDto>,
) -> AppResult<web::Json<AutoApprovalDto>> {
    let (unit, _) = unit_switches(&state, &code).await?;
    actor.authorize(Action::SetAutoApproval, &Target::Unit(&unit))?;
    let setting = AutoApproval {
        courses: body.courses,
        rosters: body.rosters,
    };
    let saved = state
        .db
        .set_auto_approval(&unit, setting, &changed_by(&actor, &req), Utc::now())
        .await?;
    Ok(web::Json(AutoApprovalDto {
        courses: saved.courses,
        rosters: saved.rosters,
    }))
}
