//! Courses: public search and course pages; organisers register, edit, submit, copy and
//! delete drafts.

pub mod extras;
pub mod review;
pub mod views;

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::{NaiveDate, Utc};
use inservice_domain::authorize::{Action, Target};
use inservice_domain::course::schedule::{parse_date, taipei_today};
use inservice_domain::course::{self, CourseState};
use inservice_domain::validation::Collector;
use inservice_domain::{CountyCode, FieldErrors, Stage, UnitCode};
use inservice_persistence::courses::{CourseFilter, CourseSort};

use crate::AppState;
use crate::auth::Actor;
use crate::dto::*;
use crate::error::ProblemCode;
use crate::error::responses::{Unauthenticated, Unavailable, UnitNotFound};
use crate::error::{AppError, AppResult, Problem};
use crate::routes::courses::views::{
    MaybeActor, changed_by, course_dto, course_error, course_page, visible_course,
};
use crate::routes::params::{parse_integer, parse_page};

fn flag(field: &str, value: Option<&str>) -> Result<bool, FieldErrors> {
    match value.map(str::trim) {
        None | Some("") | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(FieldErrors::single(
            field,
            "invalid_flag",
            format!("{field} 必須是 true 或 false"),
        )),
    }
}

fn optional_date(field: &str, value: Option<&str>) -> Result<Option<NaiveDate>, FieldErrors> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| parse_date(field, v))
        .transpose()
}

fn sort(value: Option<&str>) -> Result<CourseSort, FieldErrors> {
    Ok(match value.map(str::trim).unwrap_or("") {
        "" | "-start_date" => CourseSort::StartDesc,
        "start_date" => CourseSort::StartAsc,
        "registration_closes_at" => CourseSort::ClosingSoon,
        "newest" => CourseSort::Newest,
        "-hours" => CourseSort::HoursDesc,
        _ => {
            return Err(FieldErrors::single(
                "sort",
                "invalid_sort",
                "sort 必須是 -start_date、start_date、registration_closes_at、newest 或 -hours",
            ));
        }
    })
}

/// Reads the search parameters, reporting every bad one at once.
fn course_filter(query: &CourseSearchQuery) -> Result<CourseFilter, FieldErrors> {
    let mut e = Collector::default();
    let county = query
        .county
        .as_deref()
        .filter(|c| !c.trim().is_empty())
        .and_then(|c| e.check(CountyCode::parse_field("county", c.trim())));
    let unit = query
        .unit
        .as_deref()
        .filter(|u| !u.trim().is_empty())
        .and_then(|u| e.check(UnitCode::parse_field("unit", u.trim())));
    let tag = e
        .check(parse_integer(
            "tag",
            query.tag.as_deref().filter(|t| !t.trim().is_empty()),
        ))
        .flatten();
    let category = query
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if let Some(category) = category
        && course::codes::label(course::form::CATEGORIES, category).is_none()
    {
        e.check::<()>(Err(FieldErrors::single(
            "category",
            "invalid_choice",
            "category 必須是 1 到 6",
        )));
    }
    let stage = query
        .stage
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .and_then(|s| e.check(Stage::parse_field("stage", s.trim())));
    let level = e
        .check(parse_integer(
            "level",
            query.level.as_deref().filter(|l| !l.trim().is_empty()),
        ))
        .flatten();
    if level.is_some_and(|l| !(1..=4).contains(&l)) {
        e.check::<()>(Err(FieldErrors::single(
            "level",
            "invalid_choice",
            "level 必須是 1 到 4",
        )));
    }
    let digital = match query.mode.as_deref().map(str::trim).unwrap_or("") {
        "" => None,
        "digital" => Some(true),
        "in_person" => Some(false),
        _ => e.check(Err(FieldErrors::single(
            "mode",
            "invalid_choice",
            "mode 必須是 digital 或 in_person",
        ))),
    };
    let from = e
        .check(optional_date("from", query.from.as_deref()))
        .flatten();
    let to = e.check(optional_date("to", query.to.as_deref())).flatten();
    if let Some(q) = &query.q {
        e.check(inservice_domain::search::check_query_length("q", q));
    }
    let open_now = e.check(flag("open", query.open.as_deref()));
    let with_places = e.check(flag("has_places", query.has_places.as_deref()));
    e.finish()?;
    Ok(CourseFilter {
        keywords: query.q.clone().filter(|q| !q.trim().is_empty()),
        county_code: county.map(|c| c.as_str().to_owned()),
        unit_code: unit.map(|u| u.as_str().to_owned()),
        tag_id: tag.map(|t| i32::try_from(t).unwrap_or(i32::MAX)),
        category: category.map(str::to_owned),
        stage,
        level: level.map(|l| l as u8),
        digital,
        from,
        to,
        open_now: open_now.unwrap_or_default(),
        with_places: with_places.unwrap_or_default(),
    })
}

/// Searches published courses (no login needed). Cancelled courses stay findable, marked.
#[utoipa::path(
    tag = "courses",
    params(CourseSearchQuery),
    responses(
        (status = 200, description = "One page of matching courses.", body = CoursePageDto),
        (status = 400, description = "A filter is invalid (each named in `errors`).", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/courses")]
pub async fn search(
    state: web::Data<AppState>,
    query: web::Query<CourseSearchQuery>,
) -> AppResult<web::Json<CoursePageDto>> {
    let mut e = Collector::default();
    let filter = e.check(course_filter(&query));
    let order = e.check(sort(query.sort.as_deref()));
    let page = e.check(parse_page(query.page.as_deref(), query.per_page.as_deref()));
    let (filter, order, page) = e.finish_with(|| Some((filter?, order?, page?)))?;
    let now = Utc::now();
    let result = state.db.search_courses(&filter, order, page, now).await?;
    Ok(web::Json(course_page(result, page, now, false)))
}

/// One course with every public field. Drafts and courses under review are visible to their
/// organisers and reviewers only, who also see the review state and history.
#[utoipa::path(
    tag = "courses",
    params(("code" = i32, Path, description = "課程代碼.")),
    responses(
        (status = 200, description = "The course.", body = CourseDto),
        (status = 401, response = Unauthenticated),
        (status = 404, description = "`course_not_found`: no such course, or not visible to the caller.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/courses/{code}")]
pub async fn detail(
    state: web::Data<AppState>,
    MaybeActor(actor): MaybeActor,
    code: web::Path<i32>,
) -> AppResult<web::Json<CourseDto>> {
    let (course, standing) = visible_course(&state, actor.as_ref(), *code).await?;
    let now = Utc::now();
    Ok(web::Json(
        course_dto(&state, course, standing, actor.as_ref(), now).await?,
    ))
}

/// Validates a form against the reference data; `kept` tags may be retired ones it already had.
async fn validated(
    state: &AppState,
    body: CourseFormDto,
    kept: &[i32],
) -> AppResult<inservice_domain::course::CourseForm> {
    let catalog = state.db.course_catalog(taipei_today(Utc::now())).await?;
    let input = course_input(body);
    Ok(course::validate(&input, &catalog, kept)?)
}

async fn existing_unit(state: &AppState, code: &str) -> AppResult<String> {
    let code = UnitCode::parse_field("code", code)?;
    match state.db.unit_ref(code.as_str()).await? {
        Some(unit) => Ok(unit.code),
        None => Err(AppError::NotFound {
            code: ProblemCode::UnitNotFound,
            detail: format!("找不到代碼為 {code} 的單位。"),
        }),
    }
}

async fn full_course(
    state: &AppState,
    actor: &Actor,
    course: inservice_persistence::courses::Course,
) -> AppResult<CourseDto> {
    let standing = crate::routes::courses::views::Standing::of(Some(actor), &course);
    course_dto(state, course, standing, Some(actor), Utc::now()).await
}

/// Registers a course of the unit as a draft (研習課程登錄). The form is checked in full.
#[utoipa::path(
    tag = "courses",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Unit code.")),
    request_body = CourseFormDto,
    responses(
        (status = 201, description = "The new draft.", body = CourseDto),
        (status = 400, description = "Fields are invalid (each named in `errors`).", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "No course registration for this unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = UnitNotFound),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/units/{code}/courses")]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<String>,
    body: web::Json<CourseFormDto>,
) -> AppResult<HttpResponse> {
    let unit = existing_unit(&state, &code).await?;
    actor.authorize(Action::RegisterCourse, &Target::Unit(&unit))?;
    let form = validated(&state, body.into_inner(), &[]).await?;
    let course = state
        .db
        .create_course(&unit, &form, &changed_by(&actor, &req), Utc::now())
        .await
        .map_err(|e| course_error(0, e))?;
    let location = format!("/api/v1/courses/{}", course.id);
    let dto = full_course(&state, &actor, course).await?;
    Ok(HttpResponse::Created()
        .insert_header(("location", location))
        .json(dto))
}

/// The unit's courses in every state, newest first (本單位研習課程瀏覽).
#[utoipa::path(
    tag = "courses",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Unit code."), UnitCoursesQuery),
    responses(
        (status = 200, description = "One page of the unit's courses.", body = CoursePageDto),
        (status = 400, description = "Bad state or paging.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not an account of this unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = UnitNotFound),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/units/{code}/courses")]
pub async fn unit_courses(
    state: web::Data<AppState>,
    actor: Actor,
    code: web::Path<String>,
    query: web::Query<UnitCoursesQuery>,
) -> AppResult<web::Json<CoursePageDto>> {
    let unit = existing_unit(&state, &code).await?;
    actor.authorize(Action::BrowseUnitCourses, &Target::Unit(&unit))?;
    let mut e = Collector::default();
    let wanted = query
        .state
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(wanted) = wanted
        && CourseState::from_stored(wanted, false).is_none()
    {
        e.check::<()>(Err(FieldErrors::single(
            "state",
            "invalid_state",
            "state 不是課程狀態代碼",
        )));
    }
    let page = e.check(parse_page(query.page.as_deref(), query.per_page.as_deref()));
    let page = e.finish_with(|| page)?;
    let text = query.q.as_deref().filter(|q| !q.trim().is_empty());
    let result = state.db.unit_courses(&unit, wanted, text, page).await?;
    Ok(web::Json(course_page(result, page, Utc::now(), true)))
}

/// Loads a course and checks the caller manages it.
async fn managed(state: &AppState, actor: &Actor, code: i32) -> AppResult<()> {
    let (course, standing) = visible_course(state, Some(actor), code).await?;
    if standing.manager {
        Ok(())
    } else {
        actor.authorize(Action::ManageCourse, &Target::Unit(&course.unit.code))
    }
}

/// Replaces the course's form. Drafts, returned and pending courses keep their state; an
/// approved course goes back to review (Art. 11-8) unless automatic approval publishes it again.
#[utoipa::path(
    tag = "courses",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    request_body = CourseFormDto,
    responses(
        (status = 200, description = "The course as saved.", body = CourseDto),
        (status = 400, description = "Fields are invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a course manager of the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_course_state` (rejected, cancelled, closed…) or `course_changed`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[put("/api/v1/courses/{code}")]
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<i32>,
    body: web::Json<CourseFormDto>,
) -> AppResult<web::Json<CourseDto>> {
    let code = *code;
    managed(&state, &actor, code).await?;
    let kept = state
        .db
        .course(code)
        .await?
        .map(|c| c.form.tag_ids)
        .unwrap_or_default();
    let body = body.into_inner();
    let version = body.version;
    let form = validated(&state, body, &kept).await?;
    let course = state
        .db
        .update_course(code, version, &form, &changed_by(&actor, &req), Utc::now())
        .await
        .map_err(|e| course_error(code, e))?;
    Ok(web::Json(full_course(&state, &actor, course).await?))
}

/// Deletes a draft that was never submitted.
#[utoipa::path(
    tag = "courses",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a course manager of the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`course_not_deletable`: it was submitted once.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[delete("/api/v1/courses/{code}")]
pub async fn remove(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let code = *code;
    managed(&state, &actor, code).await?;
    state
        .db
        .delete_draft(code, &changed_by(&actor, &req), Utc::now())
        .await
        .map_err(|e| course_error(code, e))?;
    Ok(HttpResponse::NoContent().finish())
}

/// Sends a draft or returned course to its reviewer (Art. 11). With the reviewer's automatic
/// approval on, a qualifying course is published at once and marked as such.
#[utoipa::path(
    tag = "courses",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼.")),
    responses(
        (status = 200, description = "The course, now submitted or approved.", body = CourseDto),
        (status = 400, description = "`starts_in_past`, `closes_in_past`, or `duplicate_in_series` (series sessions need distinct names).", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Not a course manager of the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_course_state`: not a draft or returned course.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/courses/{code}/submit")]
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<i32>,
) -> AppResult<web::Json<CourseDto>> {
    let code = *code;
    managed(&state, &actor, code).await?;
    let course = state
        .db
        .submit_course(code, &changed_by(&actor, &req), Utc::now())
        .await
        .map_err(|e| course_error(code, e))?;
    Ok(web::Json(full_course(&state, &actor, course).await?))
}

/// Copies a course as a new draft session of its series (系列課程), tags and all; change its
/// name and dates before submitting.
#[utoipa::path(
    tag = "courses",
    security(("bearer" = [])),
    params(("code" = i32, Path, description = "課程代碼 of the course to copy.")),
    responses(
        (status = 201, description = "The new draft.", body = CourseDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "No course registration for the unit.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`course_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/courses/{code}/copy")]
pub async fn copy(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    code: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let code = *code;
    let (course, _) = visible_course(&state, Some(&actor), code).await?;
    actor.authorize(Action::RegisterCourse, &Target::Unit(&course.unit.code))?;
    let copy = state
        .db
        .copy_course(code, &changed_by(&actor, &req), Utc::now())
        .await
        .map_err(|e| course_error(code, e))?;
    let location = format!("/api/v1/courses/{}", copy.id);
    let dto = full_course(&state, &actor, copy).await?;
    Ok(HttpResponse::Created()
        .insert_header(("location", location))
        .json(dto))
}
