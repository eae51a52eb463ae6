//! What the course handlers share: the optional caller, who the caller is to a course, the
//! mapping of stored courses to wire types, and the errors of course changes.

use actix_web::{FromRequest, HttpRequest, http::header};
use chrono::{DateTime, FixedOffset, Utc};
use inservice_domain::account::{AccountKind, TeacherAction};
use inservice_domain::authorize::{Action, Target};
use inservice_domain::course::codes::{self, CodeList};
use inservice_domain::course::form::CATEGORIES;
use inservice_domain::course::schedule::{taipei, taipei_today};
use inservice_domain::course::{CourseEvent, CourseState, effective_state, registration_status};
use inservice_persistence::courses::{Attachment, ChangedBy, Course, CourseError};

use crate::AppState;
use crate::auth::Actor;
use crate::dto::*;
use crate::error::ProblemCode;
use crate::error::{AppError, AppResult};
use crate::routes::accounts::auth::client_ip;

mod detail;
pub(crate) use detail::{calendar_links, course_dto, my_enrollment_dto};

/// The caller, when signed in; an invalid token is still refused (401).
pub struct MaybeActor(pub Option<Actor>);

impl FromRequest for MaybeActor {
    type Error = AppError;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        if req.headers().contains_key(header::AUTHORIZATION) {
            crate::auth::actor_future(req, |_| Ok(()), |actor| MaybeActor(Some(actor)))
        } else {
            Box::pin(std::future::ready(Ok(MaybeActor(None))))
        }
    }
}

pub(crate) fn changed_by(actor: &Actor, req: &HttpRequest) -> ChangedBy {
    ChangedBy {
        account_id: actor.account_id,
        unit_code: actor.unit_code.clone(),
        role: actor.role(),
        ip: Some(client_ip(req).to_string()),
    }
}

pub(crate) fn taipei_time(instant: DateTime<Utc>) -> DateTime<FixedOffset> {
    instant.with_timezone(&taipei())
}

pub(crate) fn course_not_found(code: i32) -> AppError {
    AppError::NotFound {
        code: ProblemCode::CourseNotFound,
        detail: format!("找不到課程代碼 {code} 的課程。"),
    }
}

/// The errors of a course change, in the words its users read.
pub(crate) fn course_error(code: i32, error: CourseError) -> AppError {
    match error {
        CourseError::NotFound => course_not_found(code),
        CourseError::Transition(e) => AppError::Conflict {
            code: ProblemCode::InvalidCourseState,
            detail: format!(
                "課程目前為「{}」，不能{}。",
                e.from.label(),
                match e.event {
                    CourseEvent::Submit => "送審",
                    CourseEvent::Edit => "修改（已結案的課程請提出修改已結案課程內容申請）",
                    CourseEvent::Approve | CourseEvent::Return | CourseEvent::Reject => "審核",
                    CourseEvent::Cancel => "取消",
                    _ => "進行這項操作",
                }
            ),
        },
        CourseError::Stale => AppError::Conflict {
            code: ProblemCode::CourseChanged,
            detail: "課程剛被其他人修改或已改由其他單位審核，請重新載入後再試。".into(),
        },
        CourseError::NotDeletable => AppError::Conflict {
            code: ProblemCode::CourseNotDeletable,
            detail: "只有從未送審的草稿可以刪除；已送審的課程會保留紀錄，請改為取消。".into(),
        },
        CourseError::Limit(_) => AppError::Conflict {
            code: ProblemCode::TooManyAttachments,
            detail: format!(
                "每門課程最多 {} 個附件，請先刪除不需要的附件。",
                inservice_persistence::courses::MAX_ATTACHMENTS
            ),
        },
        CourseError::Invalid(errors) => AppError::Validation(errors),
        CourseError::Storage(e) => AppError::Storage(e),
    }
}

/// What the caller is to a course.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Standing {
    /// May browse the offering unit's courses (本單位研習課程瀏覽).
    pub organiser: bool,
    /// May edit, submit and cancel it.
    pub manager: bool,
    /// May register (and so copy) courses for its unit.
    pub registrar: bool,
    /// Reviews it.
    pub reviewer: bool,
    /// A teacher with a serving unit.
    pub teacher: bool,
}

/// A teacher's own enrollment (what the course page offers depends on it).
pub(crate) type Mine = Option<inservice_persistence::enrollments::Enrollment>;

impl Standing {
    pub fn of(actor: Option<&Actor>, course: &Course) -> Standing {
        let Some(actor) = actor else {
            return Standing::default();
        };
        let unit = Target::Unit(&course.unit.code);
        let may = |action, target: &Target<'_>| actor.authorize(action, target).is_ok();
        Standing {
            organiser: may(Action::BrowseUnitCourses, &unit),
            manager: may(Action::ManageCourse, &unit),
            registrar: may(Action::RegisterCourse, &unit),
            reviewer: may(Action::ReviewCourse, &Target::Unit(&course.reviewer_code)),
            teacher: actor.kind == AccountKind::Teacher
                && may(Action::Teacher(TeacherAction::Favourite), &Target::Nothing),
        }
    }

    /// Sees the course at all: public ones everyone, the rest its organisers, and its
    /// reviewers once it was submitted (a draft is still the unit's own business).
    pub fn sees(self, course: &Course) -> bool {
        course.state.is_public() || self.sees_review(course)
    }

    /// Sees the review state and history.
    pub fn sees_review(self, course: &Course) -> bool {
        self.organiser || self.manager || (self.reviewer && course.state != CourseState::Draft)
    }

    pub fn actions(self, course: &Course, mine: &Mine, now: DateTime<Utc>) -> Vec<String> {
        use inservice_domain::course::RegistrationStatus;
        use inservice_domain::enrollment::Allocation;
        let state = course.state;
        let form = &course.form;
        let started = now >= form.starts_at();
        let registration = registration_status(
            state,
            form.registration_opens_at,
            form.registration_closes_at,
            now,
        );
        let mut actions = Vec::new();
        if self.manager && state.apply(CourseEvent::Edit).is_ok() {
            actions.push("edit");
        }
        if self.manager && state.apply(CourseEvent::Submit).is_ok() {
            actions.push("submit");
        }
        if self.registrar {
            actions.push("copy");
        }
        if self.manager && state == CourseState::Draft && course.submitted_at.is_none() {
            actions.push("delete");
        }
        if self.reviewer && state == CourseState::Submitted {
            actions.push("review");
        }
        if self.teacher && state.is_public() {
            actions.push("favourite");
        }
        let active = mine.as_ref().is_some_and(|e| e.status.is_active());
        if self.teacher && registration == RegistrationStatus::Open && !active {
            actions.push("enroll");
        }
        if active && !started {
            actions.push("withdraw");
        }
        if self.manager && state.is_public() {
            actions.push("manage_enrollments");
        }
        if self.manager && state.apply(CourseEvent::Cancel).is_ok() && !started {
            actions.push("cancel");
        }
        let published = matches!(state, CourseState::Approved { .. });
        if self.manager && published && !started {
            actions.push("postpone");
        }
        if self.manager
            && published
            && form.allocation == Allocation::Lottery
            && course.lottery_drawn_at.is_none()
            && now >= form.registration_closes_at
        {
            actions.push("draw");
        }
        // After the course: attendance, the roster, the questionnaire.
        let ended = form.sessions.last().is_some_and(|s| now >= s.end());
        let after_course = matches!(
            state,
            CourseState::RosterSubmitted | CourseState::RosterConfirmed | CourseState::Closed
        );
        if (self.manager || self.organiser || self.reviewer)
            && (after_course || (published && started))
        {
            actions.push("attendance");
        }
        if self.reviewer && state == CourseState::RosterSubmitted {
            actions.push("confirm_roster");
        }
        if self.manager && state == CourseState::Closed {
            actions.push("amend");
        }
        if (self.manager || self.organiser || self.reviewer)
            && started
            && state != CourseState::Cancelled
        {
            actions.push("feedback_summary");
        }
        let enrolled = mine
            .as_ref()
            .is_some_and(|e| e.status == inservice_domain::enrollment::EnrollmentStatus::Enrolled);
        if self.teacher
            && enrolled
            && ended
            && state != CourseState::Cancelled
            && form.feedback == "26-1"
        {
            actions.push("feedback");
        }
        actions.into_iter().map(str::to_owned).collect()
    }
}

/// Loads a course the caller may see; others get the same 404 as a missing one.
pub(crate) async fn visible_course(
    state: &AppState,
    actor: Option<&Actor>,
    code: i32,
) -> AppResult<(Course, Standing)> {
    let course = state
        .db
        .course(code)
        .await?
        .ok_or_else(|| course_not_found(code))?;
    let standing = Standing::of(actor, &course);
    if !standing.sees(&course) {
        return Err(course_not_found(code));
    }
    Ok((course, standing))
}

fn coded(list: CodeList, code: &str) -> CodeLabel {
    CodeLabel {
        code: code.to_owned(),
        label: codes::label(list, code).unwrap_or(code).to_owned(),
    }
}

fn all_coded(list: CodeList, values: &[String]) -> Vec<CodeLabel> {
    values.iter().map(|v| coded(list, v)).collect()
}

fn hours(half_hours: u32) -> f64 {
    f64::from(half_hours) / 2.0
}

/// The state and registration status shown today.
fn status(
    course: &Course,
    now: DateTime<Utc>,
) -> (CourseState, inservice_domain::course::RegistrationStatus) {
    let form = &course.form;
    let today = taipei_today(now);
    (
        effective_state(course.state, form.start_date(), form.end_date(), today),
        registration_status(
            course.state,
            form.registration_opens_at,
            form.registration_closes_at,
            now,
        ),
    )
}

pub(crate) fn unit_dto(course: &Course) -> CourseUnitDto {
    CourseUnitDto {
        code: course.unit.code.clone(),
        name: course.unit.name.clone(),
        county_code: course.unit.county_code.clone(),
        county_name: course.unit.county_name.clone(),
    }
}

fn tags(course: &Course) -> Vec<CourseTagDto> {
    course
        .tags
        .iter()
        .map(|t| CourseTagDto {
            id: t.id,
            name: t.name.clone(),
        })
        .collect()
}

fn flags(course: &Course) -> Vec<FlagDto> {
    course
        .flags
        .iter()
        .map(|f| FlagDto {
            code: f.code.clone(),
            message: f.message.clone(),
        })
        .collect()
}

/// A course in a list; `internal` adds the reviewer flags and submission time.
pub(crate) fn summary(course: &Course, now: DateTime<Utc>, internal: bool) -> CourseSummaryDto {
    let form = &course.form;
    let (state, registration) = status(course, now);
    CourseSummaryDto {
        code: course.id,
        name: form.name.clone(),
        unit: unit_dto(course),
        state: state.code().to_owned(),
        state_label: state.label().to_owned(),
        registration_status: registration.code().to_owned(),
        registration_status_label: registration.label().to_owned(),
        start_date: form.start_date(),
        end_date: form.end_date(),
        hours: hours(form.half_hours),
        stage: CodeLabel {
            code: form.stage.code().to_owned(),
            label: form.stage.label().to_owned(),
        },
        category: coded(CATEGORIES, &form.category),
        level: form.level,
        tags: tags(course),
        is_digital: form.is_digital(),
        venue: form.venue.clone(),
        registration_opens_at: taipei_time(form.registration_opens_at),
        registration_closes_at: taipei_time(form.registration_closes_at),
        capacity: form.capacity(),
        places_left: form.capacity().saturating_sub(course.enrolled_count),
        flags: internal.then(|| flags(course)),
        submitted_at: if internal {
            course.submitted_at.map(taipei_time)
        } else {
            None
        },
    }
}

/// A page of courses for the wire.
pub(crate) fn course_page(
    page: inservice_persistence::courses::CoursePage,
    request: inservice_domain::PageRequest,
    now: DateTime<Utc>,
    internal: bool,
) -> CoursePageDto {
    CoursePageDto {
        items: page
            .items
            .iter()
            .map(|c| summary(c, now, internal))
            .collect(),
        total: page.total,
        page: request.page,
        per_page: request.per_page,
    }
}

pub(crate) fn attachment_dto(a: Attachment) -> AttachmentDto {
    AttachmentDto {
        url: format!("/api/v1/courses/{}/attachments/{}", a.course_id, a.id),
        id: a.id,
        file_name: a.file_name,
        content_type: a.content_type,
        size: a.size,
        sha256: a.sha256,
        uploaded_at: taipei_time(a.uploaded_at),
    }
}
