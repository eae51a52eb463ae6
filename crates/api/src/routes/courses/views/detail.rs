//! One course in full (`CourseDto`): the labels of its codes, its review, what it is to the
//! caller, and its calendar links.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use inservice_domain::account::AccountKind;
use inservice_domain::course::codes::{self, CodeList};
use inservice_domain::course::form::CATEGORIES;
use inservice_domain::course::{Contact, CourseState};
use inservice_persistence::courses::{Course, CourseEventRecord};

use super::{
    Mine, Standing, all_coded, attachment_dto, coded, flags, hours, status, tags, taipei_time,
    unit_dto,
};
use crate::AppState;
use crate::auth::Actor;
use crate::dto::*;
use crate::error::AppResult;
use crate::routes::records::attendance::session_dtos;

fn event_dto(e: CourseEventRecord) -> CourseEventDto {
    CourseEventDto {
        at: taipei_time(e.at),
        event: e.event,
        from_state: e.from_state,
        to_state: e.to_state,
        actor_name: e.actor_name,
        actor_unit_code: e.actor_unit_code,
        reason: e.reason,
    }
}

/// The whole course as `actor` may see it, with labels for every code.
pub(crate) async fn course_dto(
    state: &AppState,
    course: Course,
    standing: Standing,
    actor: Option<&Actor>,
    now: DateTime<Utc>,
) -> AppResult<CourseDto> {
    let labels = Labels::load(state, &course).await?;
    let attachments = state
        .db
        .attachments(course.id)
        .await?
        .into_iter()
        .map(attachment_dto)
        .collect();
    let review = if standing.sees_review(&course) {
        Some(review_dto(state, &course).await?)
    } else {
        None
    };
    let favourite = match actor {
        Some(actor) if standing.teacher => {
            Some(state.db.is_favourite(actor.account_id, course.id).await?)
        }
        _ => None,
    };
    let mine: Mine = match actor {
        Some(actor) if actor.kind == AccountKind::Teacher => {
            state.db.enrollment_of(course.id, actor.account_id).await?
        }
        _ => None,
    };
    let caller = CallerView {
        my_enrollment: mine.clone().map(|e| my_enrollment_dto(e, &course, now)),
        actions: standing.actions(&course, &mine, now),
        favourite,
    };
    let links = calendar_links(state, &course);
    Ok(assemble(
        course,
        labels,
        attachments,
        review,
        caller,
        links,
        now,
    ))
}

/// The names of the codes a course refers to that live in the database.
struct Labels {
    subject_area: String,
    items: Vec<CodeLabel>,
}

impl Labels {
    async fn load(state: &AppState, course: &Course) -> AppResult<Labels> {
        let form = &course.form;
        let names: HashMap<String, String> = state
            .db
            .taxonomy(form.stage)
            .await?
            .into_iter()
            .flat_map(|row| {
                let sub = row.subcategory_code.zip(row.subcategory_name);
                let item = row.item_code.zip(row.item_name);
                sub.into_iter().chain(item)
            })
            .collect();
        let subject_area = state
            .db
            .subject_areas()
            .await?
            .into_iter()
            .find(|a| a.code == form.subject_area)
            .map_or_else(|| form.subject_area.clone(), |a| a.label());
        let items = form
            .items
            .iter()
            .map(|code| CodeLabel {
                code: code.clone(),
                label: names.get(code).cloned().unwrap_or_else(|| code.clone()),
            })
            .collect();
        Ok(Labels {
            subject_area,
            items,
        })
    }
}

/// The review's side of a course: state, flags, decision and history.
async fn review_dto(state: &AppState, course: &Course) -> AppResult<CourseReviewDto> {
    let history = state
        .db
        .course_events(course.id)
        .await?
        .into_iter()
        .map(event_dto)
        .collect();
    Ok(CourseReviewDto {
        state: course.state.code().to_owned(),
        reviewer_code: course.reviewer_code.clone(),
        reviewer_name: course.reviewer_name.clone(),
        auto_approved: matches!(course.state, CourseState::Approved { auto: true }),
        flags: flags(course),
        decision_reason: course.decision_reason.clone(),
        submitted_at: course.submitted_at.map(taipei_time),
        decided_at: course.decided_at.map(taipei_time),
        version: course.version,
        history,
    })
}

/// What the course is to the caller.
struct CallerView {
    my_enrollment: Option<MyEnrollmentDto>,
    actions: Vec<String>,
    favourite: Option<bool>,
}

fn contact_dtos(contacts: &[Contact]) -> Vec<ContactDto> {
    contacts
        .iter()
        .map(|c| ContactDto {
            name: c.name.clone(),
            phone: c.phone.clone(),
            email: c.email.clone(),
        })
        .collect()
}

/// The wire form of the course, every code with its label.
fn assemble(
    course: Course,
    labels: Labels,
    attachments: Vec<AttachmentDto>,
    review: Option<CourseReviewDto>,
    caller: CallerView,
    links: CalendarLinks,
    now: DateTime<Utc>,
) -> CourseDto {
    let form = &course.form;
    let (shown, registration) = status(&course, now);
    CourseDto {
        code: course.id,
        unit: unit_dto(&course),
        series_id: course.series_id,
        state: shown.code().to_owned(),
        state_label: shown.label().to_owned(),
        registration_status: registration.code().to_owned(),
        registration_status_label: registration.label().to_owned(),
        class_type: coded(codes::CLASS_TYPES, form.class_type.code()),
        credits: form.credits,
        nature: coded(codes::NATURES, &form.nature),
        document_number: form.document_number.clone(),
        name: form.name.clone(),
        tags: tags(&course),
        subject_area: CodeLabel {
            code: form.subject_area.clone(),
            label: labels.subject_area,
        },
        stage: CodeLabel {
            code: form.stage.code().to_owned(),
            label: form.stage.label().to_owned(),
        },
        category: coded(CATEGORIES, &form.category),
        items: labels.items,
        level: coded(codes::LEVELS, &form.level.to_string()),
        instructor_name: form.instructor_name.clone(),
        instructor_kind: coded(codes::INSTRUCTOR_KINDS, &form.instructor_kind),
        outline: form.outline.clone(),
        modes: all_coded(codes::MODES, &form.modes),
        mode_other: form.mode_other.clone(),
        remote_software: all_coded(codes::REMOTE_SOFTWARE, &form.remote_software),
        remote_software_other: form.remote_software_other.clone(),
        is_digital: form.is_digital(),
        time_slots: all_coded(codes::TIME_SLOTS, &form.time_slots),
        hours: hours(form.half_hours),
        target_stages: all_coded(codes::TARGET_STAGES, &form.target_stages),
        target_titles: all_coded(codes::TARGET_TITLES.as_slice(), &form.target_titles),
        target_title_other: form.target_title_other.clone(),
        registration_opens_at: taipei_time(form.registration_opens_at),
        registration_closes_at: taipei_time(form.registration_closes_at),
        start_date: form.start_date(),
        end_date: form.end_date(),
        sessions: session_dtos(&form.sessions),
        venue: form.venue.clone(),
        schedule_note: form.schedule_note.clone(),
        funding_sources: all_coded(codes::FUNDING_SOURCES, &form.funding_sources),
        subsidy_amount: form.subsidy_amount,
        fee_kind: coded(codes::FEE_KINDS, &form.fee_kind),
        fee_amount: form.fee_amount,
        classes: form.classes,
        places_per_class: form.places_per_class,
        capacity: form.capacity(),
        enrolled: course.enrolled_count,
        places_left: form.capacity().saturating_sub(course.enrolled_count),
        contacts: contact_dtos(&form.contacts),
        feedback: coded(codes::FEEDBACK_KINDS, &form.feedback),
        attachments,
        allocation: coded(ALLOCATIONS, form.allocation.code()),
        review_enrollments: form.review_enrollments,
        cancel_reason: course.cancel_reason.clone(),
        lottery_drawn_at: course.lottery_drawn_at.map(taipei_time),
        lottery_seed: course.lottery_seed.clone(),
        google_calendar_url: links.google,
        ics_url: links.ics,
        qr_url: links.qr,
        my_enrollment: caller.my_enrollment,
        actions: caller.actions,
        favourite: caller.favourite,
        review,
    }
}

const ALLOCATIONS: CodeList = &[
    ("first_come", "先到先錄取"),
    ("lottery", "報名截止後公開抽籤"),
];

/// Where a course's calendar entries and QR code are.
pub(crate) struct CalendarLinks {
    pub google: String,
    pub ics: String,
    pub qr: String,
}

pub(crate) fn calendar_links(state: &AppState, course: &Course) -> CalendarLinks {
    let form = &course.form;
    let page = format!("{}/courses/{}", state.public_url, course.id);
    let details = format!("課程代碼 {}｜{}｜{}", course.id, course.unit.name, page);
    CalendarLinks {
        google: inservice_domain::notice::google_calendar_url(
            &form.name,
            &form.sessions,
            &details,
            &form.venue,
        ),
        ics: format!("/api/v1/courses/{}/calendar.ics", course.id),
        qr: format!("/api/v1/courses/{}/qr.svg", course.id),
    }
}

pub(crate) fn my_enrollment_dto(
    e: inservice_persistence::enrollments::Enrollment,
    course: &Course,
    now: DateTime<Utc>,
) -> MyEnrollmentDto {
    MyEnrollmentDto {
        id: e.id,
        status: e.status.code().to_owned(),
        status_label: e.status.label().to_owned(),
        position: e.position,
        warnings: e
            .warnings
            .iter()
            .map(|w| FlagDto {
                code: w.code.clone(),
                message: w.message.clone(),
            })
            .collect(),
        can_withdraw: inservice_domain::enrollment::may_withdraw(
            e.status,
            &course.form.sessions[0],
            now,
        ),
        reason: e.reason,
        created_at: taipei_time(e.created_at),
    }
}
