//! A course's enrollments as its organiser handles them: the list, acceptance and refusal,
//! promotion by hand, cancellation and postponement with notices, the lottery, and who was
//! told what.

use actix_web::{HttpRequest, get, post, web};
use chrono::Utc;
use inservice_domain::authorize::{Action, Target};
use inservice_domain::course::schedule::parse_local_datetime;
use inservice_domain::course::{self, SessionInput};
use inservice_domain::enrollment::EnrollmentStatus;
use inservice_domain::{FieldErrors, validation::Collector};
use inservice_persistence::courses::Course;
use inservice_persistence::enrollments::Participant;
use rand::RngCore;

use crate::AppState;
use crate::auth::Actor;
use crate::dto::*;
use crate::error::responses::{Unauthenticated, Unavailable};
use crate::error::{AppResult, Problem};
use crate::routes::courses::views::{
    Standing, changed_by, course_dto, course_not_found, taipei_time, visible_course,
};
use crate::routes::enrollments::enroll_error;
use crate::routes::params::parse_page;

/// Loads a course its caller manages (研習資料管理上傳).
pub(crate) async fn managed_course(
    state: &AppState,
    actor: &Actor,
    code: i32,
) -> AppResult<Course> {
    let (course, _) = visible_course(state, Some(actor), code).await?;
    actor.authorize(Action::ManageCourse, &Target::Unit(&course.unit.code))?;
    Ok(course)
}

pub(crate) fn participant_dto(p: Participant) -> ParticipantDto {
    let e = p.enrollment;
    ParticipantDto {
        id: e.id,
        status: e.status.code().to_owned(),
        status_label: e.status.label().to_owned(),
        position: e.position,
        real_name: p.teacher.real_name,
        account_name: p.teacher.account_name,
        identity_masked: p.teacher.identity_masked,
        personal_number: p.teacher.personal_number,
        unit_name: p.teacher.unit_name,
        job_title: p.teacher.job_title_label,
        email: p.teacher.email,
        phone: p.teacher.phone,
        warnings: e
            .warnings
            .into_iter()
            .map(|w| FlagDto {
                code: w.code,
                message: w.message,
            })
            .collect(),
        reason: e.reason,
        created_at: taipei_time(e.created_at),
    }
}

/// The course's enrollments with each teacher's unit, title, status and contact data, and the
/// counts of every status.
#[utoipa::path(
    tag = "enrollments",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼."), ParticipantQuery),
    responses(
        (status = 200, description = "One page of enrollments.", body = ParticipantPageDto),
        (status = 400, description = "Bad status or paging.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a course manager of the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/courses/{code}/enrollments")]
pub async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    code: web::Path<i32>,
    query: web::Query<ParticipantQuery>,
) -> AppResult<web::Json<ParticipantPageDto>> {
    let course = managed_course(&state, &actor, *code).await?;
    let mut e = Collector::default();
    let statuses = match query
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Vec::new(),
        Some(text) => match EnrollmentStatus::from_code(text) {
            Some(status) => vec![status],
            None => {
                e.check::<()>(Err(FieldErrors::single(
                    "status",
                    "invalid_status",
                    "status 不是報名狀態代碼",
                )));
                Vec::new()
            }
        },
    };
    let page = e.check(parse_page(query.page.as_deref(), query.per_page.as_deref()));
    let page = e.finish_with(|| page)?;
    let result = state
        .db
        .course_enrollments(course.id, &statuses, Some(page))
        .await?;
    let counts = state.db.enrollment_counts(course.id).await?;
    let count = |s: EnrollmentStatus| counts.get(&s).copied().unwrap_or(0);
    Ok(web::Json(ParticipantPageDto {
        items: result.items.into_iter().map(participant_dto).collect(),
        total: result.total,
        page: page.page,
        per_page: page.per_page,
        counts: EnrollmentCounts {
            enrolled: count(EnrollmentStatus::Enrolled),
            pending: count(EnrollmentStatus::Pending),
            waiting: count(EnrollmentStatus::Waiting),
            applied: count(EnrollmentStatus::Applied),
            withdrawn: count(EnrollmentStatus::Withdrawn),
            declined: count(EnrollmentStatus::Declined),
            course_cancelled: count(EnrollmentStatus::CourseCancelled),
        },
        capacity: course.form.capacity(),
        taken: course.enrolled_count,
    }))
}

fn reason_of(body: &ReasonRequest) -> AppResult<String> {
    let reason = body.reason.trim();
    if reason.is_empty() {
        return Err(FieldErrors::single(
            "reason",
            "required",
            "請說明理由，受影響的教師會收到這段文字",
        )
        .into());
    }
    if reason.chars().count() > 500 {
        return Err(FieldErrors::single("reason", "too_long", "理由最多 500 個字").into());
    }
    Ok(reason.to_owned())
}

/// Accepts a pending enrollment (the teacher is told).
#[utoipa::path(
    tag = "enrollments",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼."), ("id" = i32, Path, description = "Enrollment id.")),
    responses(
        (status = 200, description = "How many were accepted (1).", body = ChangeCountDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a course manager of the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found` or `enrollment_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_pending`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/courses/{code}/enrollments/{id}/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<(i32, i32)>,
) -> AppResult<web::Json<ChangeCountDto>> {
    let (code, id) = *path;
    managed_course(&state, &actor, code).await?;
    let count = state
        .db
        .accept_enrollments(code, Some(id), &state.public_url, Utc::now())
        .await
        .map_err(|e| enroll_error(code, e))?;
    Ok(web::Json(ChangeCountDto {
        count: count as u64,
    }))
}

/// Accepts every pending enrollment of the course at once (each teacher is told).
#[utoipa::path(
    tag = "enrollments",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    responses(
        (status = 200, description = "How many were accepted.", body = ChangeCountDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a course manager of the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/courses/{code}/enrollments/accept-all")]
pub async fn accept_all(
    state: web::Data<AppState>,
    actor: Actor,
    code: web::Path<i32>,
) -> AppResult<web::Json<ChangeCountDto>> {
    let code = *code;
    managed_course(&state, &actor, code).await?;
    let count = state
        .db
        .accept_enrollments(code, None, &state.public_url, Utc::now())
        .await
        .map_err(|e| enroll_error(code, e))?;
    Ok(web::Json(ChangeCountDto {
        count: count as u64,
    }))
}

/// Declines an enrollment (pending, waiting or applied) with a reason the teacher reads; a
/// place it held goes to the waiting list.
#[utoipa::path(
    tag = "enrollments",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼."), ("id" = i32, Path, description = "Enrollment id.")),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "The declined enrollment.", body = ParticipantDto),
        (status = 400, description = "No reason.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a course manager of the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found` or `enrollment_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_active`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/courses/{code}/enrollments/{id}/decline")]
pub async fn decline(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<(i32, i32)>,
    body: web::Json<ReasonRequest>,
) -> AppResult<web::Json<ChangeCountDto>> {
    let (code, id) = *path;
    managed_course(&state, &actor, code).await?;
    let reason = reason_of(&body)?;
    state
        .db
        .decline_enrollment(code, id, &reason, &state.public_url, Utc::now())
        .await
        .map_err(|e| enroll_error(code, e))?;
    Ok(web::Json(ChangeCountDto { count: 1 }))
}

/// Moves a waiting teacher up by hand, out of turn and even beyond the places; the reason is
/// kept on the enrollment and in the course's history.
#[utoipa::path(
    tag = "enrollments",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼."), ("id" = i32, Path, description = "Enrollment id.")),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "Promoted (1).", body = ChangeCountDto),
        (status = 400, description = "No reason.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a course manager of the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found` or `enrollment_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_waiting`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/courses/{code}/enrollments/{id}/promote")]
pub async fn promote(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<(i32, i32)>,
    body: web::Json<ReasonRequest>,
) -> AppResult<web::Json<ChangeCountDto>> {
    let (code, id) = *path;
    managed_course(&state, &actor, code).await?;
    let reason = reason_of(&body)?;
    state
        .db
        .promote_enrollment(
            code,
            id,
            &reason,
            &changed_by(&actor, &req),
            &state.public_url,
            Utc::now(),
        )
        .await
        .map_err(|e| enroll_error(code, e))?;
    Ok(web::Json(ChangeCountDto { count: 1 }))
}

async fn course_answer(state: &AppState, actor: &Actor, code: i32) -> AppResult<CourseDto> {
    let course = state
        .db
        .course(code)
        .await?
        .ok_or_else(|| course_not_found(code))?;
    let standing = Standing::of(Some(actor), &course);
    course_dto(state, course, standing, Some(actor), Utc::now()).await
}

/// Cancels the course with a reason. Every enrolled, pending, waiting and applying teacher is
/// sent the notice in the same transaction that marks the course cancelled; the organiser sees
/// them in `GET …/notifications`.
#[utoipa::path(
    tag = "enrollments",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "The cancelled course.", body = CourseDto),
        (status = 400, description = "No reason.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a course manager of the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_course_state` (closed or cancelled already).", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/courses/{code}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<i32>,
    body: web::Json<ReasonRequest>,
) -> AppResult<web::Json<CourseDto>> {
    let code = *code;
    managed_course(&state, &actor, code).await?;
    let reason = reason_of(&body)?;
    state
        .db
        .cancel_course(
            code,
            &reason,
            &changed_by(&actor, &req),
            &state.public_url,
            Utc::now(),
        )
        .await
        .map_err(|e| enroll_error(code, e))?;
    Ok(web::Json(course_answer(&state, &actor, code).await?))
}

/// Moves a published course to new sessions (and optionally a new registration window) and
/// tells every enrolled and waiting teacher why.
#[utoipa::path(
    tag = "enrollments",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    request_body = PostponeRequest,
    responses(
        (status = 200, description = "The course with its new dates.", body = CourseDto),
        (status = 400, description = "No reason, or bad sessions or dates (each named).", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a course manager of the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_published`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/courses/{code}/postpone")]
pub async fn postpone(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<i32>,
    body: web::Json<PostponeRequest>,
) -> AppResult<web::Json<CourseDto>> {
    let code = *code;
    let existing = managed_course(&state, &actor, code).await?;
    let body = body.into_inner();
    let mut e = Collector::default();
    let reason = e.check(
        reason_of(&ReasonRequest {
            reason: body.reason.clone(),
        })
        .map_err(|_| FieldErrors::single("reason", "required", "請說明改期原因")),
    );
    let inputs: Vec<SessionInput> = body
        .sessions
        .iter()
        .map(|s| SessionInput {
            date: s.date.clone(),
            starts_at: s.starts_at.clone(),
            ends_at: s.ends_at.clone(),
        })
        .collect();
    let sessions = e.check(course::schedule::parse_sessions(&inputs));
    let mut form = existing.form.clone();
    if let Some(text) = body.registration_opens_at.as_deref()
        && let Some(opens) = e.check(parse_local_datetime("registration_opens_at", text))
    {
        form.registration_opens_at = opens;
    }
    if let Some(text) = body.registration_closes_at.as_deref()
        && let Some(closes) = e.check(parse_local_datetime("registration_closes_at", text))
    {
        form.registration_closes_at = closes;
    }
    if let Some(sessions) = sessions {
        form.sessions = sessions;
        let now = Utc::now();
        if form.starts_at() <= now {
            e.check::<()>(Err(FieldErrors::single(
                "sessions[0].date",
                "starts_in_past",
                "新的上課時間必須在未來",
            )));
        }
        if form.registration_closes_at > form.starts_at() {
            e.check::<()>(Err(FieldErrors::single(
                "registration_closes_at",
                "out_of_order",
                "報名截止時間不可晚於新的第一個場次",
            )));
        }
        if form.registration_closes_at <= form.registration_opens_at {
            e.check::<()>(Err(FieldErrors::single(
                "registration_closes_at",
                "out_of_order",
                "報名截止時間必須晚於報名開始時間",
            )));
        }
    }
    let reason = e.finish_with(|| reason)?;
    state
        .db
        .postpone_course(
            code,
            &form,
            &reason,
            &changed_by(&actor, &req),
            &state.public_url,
            Utc::now(),
        )
        .await
        .map_err(|e| enroll_error(code, e))?;
    Ok(web::Json(course_answer(&state, &actor, code).await?))
}

/// Draws the lottery of a course whose registration closed (the server also does it by itself
/// within a minute of the close). The seed and the order are recorded in the course's history.
#[utoipa::path(
    tag = "enrollments",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    responses(
        (status = 200, description = "What the draw gave.", body = DrawResultDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a course manager of the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_a_lottery`, `registration_open` or `already_drawn`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/courses/{code}/draw")]
pub async fn draw(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<i32>,
) -> AppResult<web::Json<DrawResultDto>> {
    let code = *code;
    managed_course(&state, &actor, code).await?;
    let seed = rand::rng().next_u64();
    let (placed, waiting) = state
        .db
        .draw_lottery(
            code,
            seed,
            Some(&changed_by(&actor, &req)),
            &state.public_url,
            Utc::now(),
        )
        .await
        .map_err(|e| enroll_error(code, e))?;
    Ok(web::Json(DrawResultDto {
        placed: placed as u64,
        waiting: waiting as u64,
        seed: seed.to_string(),
    }))
}

/// Every notice the platform queued about the course: who, what, when queued, when sent.
#[utoipa::path(
    tag = "enrollments",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    responses(
        (status = 200, description = "The notices, oldest first.", body = NotificationList),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a course manager of the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/courses/{code}/notifications")]
pub async fn notifications(
    state: web::Data<AppState>,
    actor: Actor,
    code: web::Path<i32>,
) -> AppResult<web::Json<NotificationList>> {
    let course = managed_course(&state, &actor, *code).await?;
    let items: Vec<NotificationDto> = state
        .db
        .course_notifications(course.id)
        .await?
        .into_iter()
        .map(|n| NotificationDto {
            real_name: n.real_name,
            to: n.to_address,
            kind: n.kind,
            status: n.status,
            created_at: taipei_time(n.created_at),
            sent_at: n.sent_at.map(taipei_time),
        })
        .collect();
    Ok(web::Json(NotificationList {
        total: items.len() as u64,
        items,
    }))
}
