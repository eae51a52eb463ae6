//! Teachers' enrollments: enroll (idempotent with `Idempotency-Key`), the own enrollments by
//! group, withdrawal; and the errors every enrollment change shares.

pub mod calendar;
pub mod exports;
pub mod organiser;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Utc;
use inservice_domain::FieldErrors;
use inservice_domain::account::{AccountKind, TeacherAction};
use inservice_domain::authorize::{Action, Target};
use inservice_domain::course::schedule::taipei_today;
use inservice_domain::enrollment::{EnrollmentStatus, Refusal};
use inservice_persistence::courses::Course;
use inservice_persistence::enrollments::{EnrollError, Enrollment, EnrollmentGroup};

use crate::AppState;
use crate::auth::Actor;
use crate::dto::*;
use crate::error::responses::{Unauthenticated, Unavailable};
use crate::error::{AppError, AppResult, Problem};
use crate::error::{ProblemCode, domain_code};
use crate::routes::courses::views::{
    calendar_links, course_error, course_not_found, my_enrollment_dto, summary, visible_course,
};
use crate::routes::params::parse_page;

/// The words teachers and organisers read for each refusal of an enrollment change.
pub(crate) fn enroll_error(code: i32, error: EnrollError) -> AppError {
    let conflict = |code: &'static str, detail: &str| AppError::Conflict {
        code: domain_code(code, ProblemCode::InvalidCourseState),
        detail: detail.to_owned(),
    };
    match error {
        EnrollError::CourseNotFound => course_not_found(code),
        EnrollError::NotFound => AppError::NotFound {
            code: ProblemCode::EnrollmentNotFound,
            detail: "找不到這筆報名。".into(),
        },
        EnrollError::Refused(refusal) => conflict(
            refusal.code(),
            match refusal {
                Refusal::NotPublished => "這門課程目前不開放報名。",
                Refusal::NotYetOpen => "報名尚未開始，請於報名開始時間後再報名。",
                Refusal::Closed => "報名已截止。",
                Refusal::Cancelled => "這門課程已取消。",
                Refusal::Full => "名額已滿；您可以加入候補，有名額釋出時會依序遞補。",
            },
        ),
        EnrollError::Already(existing) => AppError::Duplicate {
            code: ProblemCode::AlreadyEnrolled,
            detail: format!(
                "您已報名這門課程（{}），不需要再報名。",
                existing.status.label()
            ),
            existing: serde_json::json!({
                "id": existing.id,
                "status": existing.status.code(),
                "position": existing.position,
            }),
        },
        EnrollError::NotNow(what) => conflict(
            what,
            match what {
                "course_started" => "課程已開始，不能取消報名；請聯絡開課單位處理。",
                "not_active" => "這筆報名已取消或未錄取。",
                "not_pending" => "這筆報名不在待審核狀態。",
                "not_waiting" => "這筆報名不在候補名單上。",
                "already_drawn" => "這門課程已經抽過籤。",
                "registration_open" => "報名截止後才能抽籤。",
                "not_a_lottery" => "這門課程不是抽籤錄取。",
                _ => "課程目前的狀態不能這樣做。",
            },
        ),
        EnrollError::Course(e) => course_error(code, e),
        EnrollError::Storage(e) => AppError::Storage(e),
    }
}

/// A teacher's enrollment with its course, for the wire.
pub(crate) fn enrollment_dto(
    state: &AppState,
    enrollment: Enrollment,
    course: &Course,
) -> EnrollmentDto {
    let now = Utc::now();
    let links = calendar_links(state, course);
    let mine = my_enrollment_dto(enrollment, course, now);
    EnrollmentDto {
        id: mine.id,
        status: mine.status,
        status_label: mine.status_label,
        position: mine.position,
        warnings: mine.warnings,
        reason: mine.reason,
        created_at: mine.created_at,
        can_withdraw: mine.can_withdraw,
        course: summary(course, now, false),
        google_calendar_url: links.google,
        ics_url: links.ics,
        qr_url: links.qr,
    }
}

/// The `Idempotency-Key` of a retried request: up to 100 visible ASCII characters.
fn idempotency_key(req: &HttpRequest) -> AppResult<Option<String>> {
    let Some(value) = req.headers().get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default().trim();
    if key.is_empty() || key.len() > 100 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(FieldErrors::single(
            "Idempotency-Key",
            "invalid_idempotency_key",
            "Idempotency-Key 應為 1 到 100 個可見 ASCII 字元，例如 UUID",
        )
        .into());
    }
    Ok(Some(key.to_owned()))
}

fn teacher_only(actor: &Actor, action: TeacherAction) -> AppResult<()> {
    actor.authorize(Action::Teacher(action), &Target::Nothing)?;
    if actor.kind != AccountKind::Teacher {
        return Err(AppError::Forbidden {
            code: ProblemCode::TeacherAccountRequired,
            detail: "這項功能限教師帳號使用。".into(),
        });
    }
    Ok(())
}

/// Enrolls the signed-in teacher: inside the registration window only (to the second, Taiwan
/// time), once per course. Places are taken atomically; when the course is full the teacher
/// joins the waiting list if asked to. Lottery courses take applications. With the same
/// `Idempotency-Key` a retried request answers the first one's enrollment (200).
#[utoipa::path(
    tag = "enrollments",
    security(("bearer" = [])),
    params(
        ("code" = i32, Path, description = "課程代碼."),
        ("Idempotency-Key" = Option<String>, Header, description = "Any unique string (e.g. a UUID); a retry with the same key is not a second enrollment."),
    ),
    request_body = EnrollRequest,
    responses(
        (status = 201, description = "Enrolled, pending, waiting or applied (see `status`), with warnings.", body = EnrollmentDto),
        (status = 200, description = "A retry with the same `Idempotency-Key`: the first answer again.", body = EnrollmentDto),
        (status = 400, description = "A bad `Idempotency-Key`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "`no_serving_unit` or `teacher_account_required`.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`already_enrolled` (with `existing`), `course_full`, `registration_not_open`, `registration_closed`, `course_cancelled`, `course_not_open`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/courses/{code}/enrollments")]
pub async fn enroll(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<i32>,
    body: Option<web::Json<EnrollRequest>>,
) -> AppResult<HttpResponse> {
    teacher_only(&actor, TeacherAction::Enroll)?;
    let code = *code;
    let key = idempotency_key(&req)?;
    // Courses teachers cannot see (drafts, pending review) do not exist for them. The course
    // is read once, before the enrolling transaction: during a rush every extra read after
    // it would queue again behind everyone else's transaction for a pooled connection.
    let (mut course, _) = visible_course(&state, Some(&actor), code).await?;
    let join = body.is_some_and(|b| b.join_waiting_list);
    let (enrollment, replayed) = state
        .db
        .enroll(
            code,
            actor.account_id,
            join,
            key.as_deref(),
            &state.public_url,
            Utc::now(),
        )
        .await
        .map_err(|e| enroll_error(code, e))?;
    let took_place = matches!(
        enrollment.status,
        EnrollmentStatus::Enrolled | EnrollmentStatus::Pending
    );
    if took_place && !replayed {
        course.enrolled_count += 1;
    }
    let dto = enrollment_dto(&state, enrollment, &course);
    Ok(if replayed {
        HttpResponse::Ok().json(dto)
    } else {
        HttpResponse::Created().json(dto)
    })
}

/// The signed-in teacher's enrollments: upcoming (soonest first), waiting (waiting lists and
/// lotteries), past, or cancelled (withdrawn, declined, or the course was cancelled, with the
/// reason). A teacher without a serving unit still sees them.
#[utoipa::path(
    tag = "enrollments",
    security(("bearer" = [])),
    params(MyEnrollmentsQuery),
    responses(
        (status = 200, description = "One page of the group.", body = EnrollmentPageDto),
        (status = 400, description = "Bad group or paging.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "`teacher_account_required`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/me/enrollments")]
pub async fn my_enrollments(
    state: web::Data<AppState>,
    actor: Actor,
    query: web::Query<MyEnrollmentsQuery>,
) -> AppResult<web::Json<EnrollmentPageDto>> {
    teacher_only(&actor, TeacherAction::ReadRecords)?;
    let group = match query.group.as_deref().map(str::trim).unwrap_or("upcoming") {
        "" | "upcoming" => EnrollmentGroup::Upcoming,
        "waiting" => EnrollmentGroup::Waiting,
        "past" => EnrollmentGroup::Past,
        "cancelled" => EnrollmentGroup::Cancelled,
        _ => {
            return Err(FieldErrors::single(
                "group",
                "invalid_choice",
                "group 必須是 upcoming、waiting、past 或 cancelled",
            )
            .into());
        }
    };
    let page = parse_page(query.page.as_deref(), query.per_page.as_deref())?;
    let now = Utc::now();
    let result = state
        .db
        .my_enrollments(actor.account_id, group, taipei_today(now), page)
        .await?;
    Ok(web::Json(EnrollmentPageDto {
        items: result
            .items
            .into_iter()
            .map(|(e, c)| enrollment_dto(&state, e, &c))
            .collect(),
        total: result.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

/// Withdraws the signed-in teacher's enrollment before the course starts; a place it held
/// goes to the first teacher waiting, who is told.
#[utoipa::path(
    tag = "enrollments",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Enrollment id.")),
    responses(
        (status = 200, description = "The withdrawn enrollment.", body = EnrollmentDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "`no_serving_unit` or `teacher_account_required`.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`enrollment_not_found` (or not the caller's).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`course_started` or `not_active`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/enrollments/{id}/withdraw")]
pub async fn withdraw(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<i32>,
) -> AppResult<web::Json<EnrollmentDto>> {
    teacher_only(&actor, TeacherAction::Withdraw)?;
    let withdrawn = state
        .db
        .withdraw(*id, actor.account_id, &state.public_url, Utc::now())
        .await
        .map_err(|e| enroll_error(0, e))?;
    let course = state
        .db
        .course(withdrawn.course_id)
        .await?
        .ok_or_else(|| course_not_found(withdrawn.course_id))?;
    Ok(web::Json(enrollment_dto(&state, withdrawn, &course)))
}
