//! Calendars and QR codes: a course as an iCalendar file, its page as a QR code, and each
//! teacher's private calendar feed of every enrollment (RFC 5545).

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use inservice_domain::account::{AccountKind, TeacherAction};
use inservice_domain::authorize::{Action, Target};
use inservice_domain::enrollment::EnrollmentStatus;
use inservice_persistence::courses::Course;

use crate::AppState;
use crate::auth::{Actor, new_opaque_token, token_hash};
use crate::dto::*;
use crate::error::ProblemCode;
use crate::error::responses::{Unauthenticated, Unavailable};
use crate::error::{AppError, AppResult, Problem};
use crate::routes::courses::views::{MaybeActor, taipei_time, visible_course};

const ICS: &str = "text/calendar; charset=utf-8";

fn utc_stamp(instant: DateTime<Utc>) -> String {
    instant.format("%Y%m%dT%H%M%SZ").to_string()
}

/// One VEVENT per session of `course`; cancelled courses (or enrollments ended by the
/// cancellation) say `STATUS:CANCELLED` so calendars strike them through.
fn add_events(
    calendar: &mut ics::ICalendar<'_>,
    course: &Course,
    cancelled: bool,
    page: &str,
    now: DateTime<Utc>,
) {
    use ics::escape_text;
    use ics::properties::{Description, DtEnd, DtStart, Location, Status, Summary, URL};
    let form = &course.form;
    let count = form.sessions.len();
    for (index, session) in form.sessions.iter().enumerate() {
        let uid = format!("course-{}-session-{}@inservice", course.id, index + 1);
        let mut event = ics::Event::new(uid, utc_stamp(now));
        event.push(DtStart::new(utc_stamp(session.start())));
        event.push(DtEnd::new(utc_stamp(session.end())));
        let title = if count > 1 {
            format!("{}（第 {} / {count} 場）", form.name, index + 1)
        } else {
            form.name.clone()
        };
        event.push(Summary::new(escape_text(title)));
        event.push(Location::new(escape_text(form.venue.clone())));
        let mut details = format!("課程代碼 {}｜{}｜{page}", course.id, course.unit.name);
        if let Some(reason) = course.cancel_reason.as_deref().filter(|_| cancelled) {
            details.push_str(&format!("｜課程已取消：{reason}"));
        }
        event.push(Description::new(escape_text(details)));
        event.push(URL::new(page.to_owned()));
        event.push(if cancelled {
            Status::cancelled()
        } else {
            Status::confirmed()
        });
        calendar.add_event(event);
    }
}

fn calendar_response(calendar: ics::ICalendar<'_>, file: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ICS)
        .insert_header((
            "content-disposition",
            format!("inline; filename=\"{file}\""),
        ))
        .insert_header(("cache-control", "no-store"))
        .body(calendar.to_string())
}

fn new_calendar<'a>() -> ics::ICalendar<'a> {
    let mut calendar = ics::ICalendar::new("2.0", "-//inservice//全國教師在職進修資訊網//ZH-TW");
    calendar.push(ics::properties::CalScale::new("GREGORIAN"));
    calendar
}

/// The course's sessions as an iCalendar file (.ics), to import into any calendar.
#[utoipa::path(
    tag = "enrollments",
    params(("code" = i32, Path, description = "課程代碼.")),
    responses(
        (status = 200, description = "RFC 5545 calendar, one event per session.", content_type = "text/calendar"),
        (status = 401, response = Unauthenticated),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/courses/{code}/calendar.ics")]
pub async fn course_calendar(
    state: web::Data<AppState>,
    MaybeActor(actor): MaybeActor,
    code: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (course, _) = visible_course(&state, actor.as_ref(), *code).await?;
    let mut calendar = new_calendar();
    let page = format!("{}/courses/{}", state.public_url, course.id);
    let cancelled = course.state == inservice_domain::course::CourseState::Cancelled;
    add_events(&mut calendar, &course, cancelled, &page, Utc::now());
    Ok(calendar_response(
        calendar,
        &format!("course-{}.ics", course.id),
    ))
}

/// A QR code (SVG) of the course's page, to print or show on a phone.
#[utoipa::path(
    tag = "enrollments",
    params(("code" = i32, Path, description = "課程代碼.")),
    responses(
        (status = 200, description = "An SVG image.", content_type = "image/svg+xml"),
        (status = 401, response = Unauthenticated),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/courses/{code}/qr.svg")]
pub async fn course_qr(
    state: web::Data<AppState>,
    MaybeActor(actor): MaybeActor,
    code: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (course, _) = visible_course(&state, actor.as_ref(), *code).await?;
    qr_response(&format!("{}/courses/{}", state.public_url, course.id))
}

/// An SVG QR code of `url`, sized to scan from paper or a phone screen. The image of a URL never
/// changes, so browsers may keep it for a day.
pub(crate) fn qr_response(url: &str) -> AppResult<HttpResponse> {
    let qr = qrcode::QrCode::new(url.as_bytes())
        .map_err(|e| AppError::Internal(format!("cannot encode the QR code: {e}")))?;
    let svg = qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("cache-control", "public, max-age=86400"))
        .body(svg))
}

fn teacher(actor: &Actor) -> AppResult<()> {
    actor.authorize(
        Action::Teacher(TeacherAction::ReadRecords),
        &Target::Nothing,
    )?;
    if actor.kind != AccountKind::Teacher {
        return Err(AppError::Forbidden {
            code: ProblemCode::TeacherAccountRequired,
            detail: "這項功能限教師帳號使用。".into(),
        });
    }
    Ok(())
}

/// Whether the signed-in teacher has a private calendar feed (its address is shown only when
/// it is made).
#[utoipa::path(
    tag = "enrollments",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The feed's state.", body = CalendarFeedDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "`teacher_account_required`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/me/calendar-feed")]
pub async fn feed_state(
    state: web::Data<AppState>,
    actor: Actor,
) -> AppResult<web::Json<CalendarFeedDto>> {
    teacher(&actor)?;
    let created = state.db.calendar_feed_created(actor.account_id).await?;
    Ok(web::Json(CalendarFeedDto {
        active: created.is_some(),
        created_at: created.map(taipei_time),
        url: None,
    }))
}

/// Makes a new private calendar feed address (any older one stops working at once).
#[utoipa::path(
    tag = "enrollments",
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new feed with its secret address.", body = CalendarFeedDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "`teacher_account_required`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/me/calendar-feed")]
pub async fn make_feed(state: web::Data<AppState>, actor: Actor) -> AppResult<HttpResponse> {
    teacher(&actor)?;
    let (token, hash) = new_opaque_token();
    let now = Utc::now();
    state
        .db
        .set_calendar_feed(actor.account_id, &hash, now)
        .await?;
    Ok(HttpResponse::Created().json(CalendarFeedDto {
        active: true,
        created_at: Some(taipei_time(now)),
        url: Some(format!(
            "{}/api/v1/calendar-feeds/{token}.ics",
            state.public_url
        )),
    }))
}

/// Revokes the private calendar feed.
#[utoipa::path(
    tag = "enrollments",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked."),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "`teacher_account_required`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[delete("/api/v1/me/calendar-feed")]
pub async fn revoke_feed(state: web::Data<AppState>, actor: Actor) -> AppResult<HttpResponse> {
    teacher(&actor)?;
    state.db.revoke_calendar_feed(actor.account_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A teacher's private calendar feed: every course they are enrolled in, waiting for, or that
/// was cancelled on them (STATUS:CANCELLED). The secret address is the only credential.
#[utoipa::path(
    tag = "enrollments",
    params(("token" = String, Path, description = "The secret of the feed address, with `.ics`.")),
    responses(
        (status = 200, description = "RFC 5545 calendar.", content_type = "text/calendar"),
        (status = 404, description = "`feed_not_found`: unknown or revoked.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/calendar-feeds/{token}")]
pub async fn feed(state: web::Data<AppState>, token: web::Path<String>) -> AppResult<HttpResponse> {
    let secret = token.trim_end_matches(".ics");
    let owner = state
        .db
        .calendar_feed_owner(&token_hash(secret))
        .await?
        .ok_or_else(|| AppError::NotFound {
            code: ProblemCode::FeedNotFound,
            detail: "這個行事曆網址不存在或已停用。".into(),
        })?;
    let mut calendar = new_calendar();
    calendar.push(ics::properties::Name::new("全國教師在職進修研習"));
    let now = Utc::now();
    for (enrollment, course) in state.db.calendar_enrollments(owner).await? {
        let page = format!("{}/courses/{}", state.public_url, course.id);
        let cancelled = enrollment.status == EnrollmentStatus::CourseCancelled
            || course.state == inservice_domain::course::CourseState::Cancelled;
        add_events(&mut calendar, &course, cancelled, &page, now);
    }
    Ok(calendar_response(calendar, "inservice.ics"))
}
