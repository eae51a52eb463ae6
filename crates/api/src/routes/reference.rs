//! Reference data: counties, units, the course taxonomy, levels, form options and tags.

use actix_web::{get, web};
use inservice_domain::validation::Collector;
use inservice_domain::{CountyCode, FieldErrors, Stage, UnitCode, UnitKind, taxonomy as tax};
use inservice_persistence::reference::UnitFilter;

use crate::AppState;
use crate::dto::*;
use crate::error::ProblemCode;
use crate::error::responses::Unavailable;
use crate::error::{AppError, AppResult, Problem};
use crate::routes::params::parse_page;

/// Lists the 22 counties and cities.
#[utoipa::path(
    tag = "reference",
    responses(
        (status = 200, description = "Every county and city in the official order.", body = CountyList),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/counties")]
pub async fn counties(state: web::Data<AppState>) -> AppResult<web::Json<CountyList>> {
    let items: Vec<CountyDto> = state
        .db
        .counties()
        .await?
        .into_iter()
        .map(IntoWire::into_wire)
        .collect();
    Ok(web::Json(CountyList {
        total: items.len() as u64,
        items,
    }))
}

const NAME_MAX_CHARS: usize = 100;

/// Searches units by county, kind and name, one page at a time.
#[utoipa::path(
    tag = "reference",
    params(UnitsQuery),
    responses(
        (status = 200, description = "One page of matching units, in reference order.", body = UnitPage),
        (status = 400, description = "A filter or the paging is invalid.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/units")]
pub async fn units(
    state: web::Data<AppState>,
    query: web::Query<UnitsQuery>,
) -> AppResult<web::Json<UnitPage>> {
    let query = query.into_inner();
    let mut errors = Collector::default();
    let county = errors.check(
        query
            .county
            .as_deref()
            .map(|c| CountyCode::parse_field("county", c))
            .transpose(),
    );
    let kind = errors.check(
        query
            .kind
            .as_deref()
            .map(|k| UnitKind::parse_field("kind", k))
            .transpose(),
    );
    let name = errors.check(match query.name {
        Some(name) if name.chars().count() > NAME_MAX_CHARS => Err(FieldErrors::single(
            "name",
            "too_long",
            format!("單位名稱關鍵字最多 {NAME_MAX_CHARS} 字"),
        )),
        other => Ok(other),
    });
    let page = errors.check(parse_page(query.page.as_deref(), query.per_page.as_deref()));
    let (county, kind, name, page) = errors.finish_with(|| Some((county?, kind?, name?, page?)))?;
    let filter = UnitFilter { county, kind, name };
    let result = state.db.units(&filter, page).await?;
    Ok(web::Json(UnitPage {
        items: result.items.into_iter().map(IntoWire::into_wire).collect(),
        total: result.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

/// Reads one unit by its code.
#[utoipa::path(
    tag = "reference",
    params(("code" = String, Path, description = "The unit's code, e.g. `bureau-63000`.")),
    responses(
        (status = 200, description = "The unit.", body = UnitDto),
        (status = 400, description = "The code is malformed.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No unit has this code.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/units/{code}")]
pub async fn unit(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> AppResult<web::Json<UnitDto>> {
    let code = UnitCode::parse_field("code", &code)?;
    match state.db.unit_by_code(&code).await? {
        Some(unit) => Ok(web::Json(unit.into_wire())),
        None => Err(AppError::NotFound {
            code: ProblemCode::UnitNotFound,
            detail: format!("找不到代碼為 {code} 的單位。"),
        }),
    }
}

/// The course taxonomy of one stage: categories → subcategories → detail items.
#[utoipa::path(
    tag = "reference",
    params(TaxonomyQuery),
    responses(
        (status = 200, description = "The stage's whole taxonomy, in code order.", body = TaxonomyDto),
        (status = 400, description = "`stage` is missing or unknown.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/taxonomy")]
pub async fn taxonomy(
    state: web::Data<AppState>,
    query: web::Query<TaxonomyQuery>,
) -> AppResult<web::Json<TaxonomyDto>> {
    let stage = match query.stage.as_deref() {
        Some(value) => Stage::parse_field("stage", value)?,
        None => {
            return Err(FieldErrors::single("stage", "required", "請指定教育階段 stage").into());
        }
    };
    let categories = tax::build_tree(state.db.taxonomy(stage).await?);
    Ok(web::Json(TaxonomyDto {
        stage: stage.code().to_owned(),
        stage_label: stage.label().to_owned(),
        item_count: tax::item_count(&categories) as u64,
        categories: categories.into_iter().map(IntoWire::into_wire).collect(),
    }))
}

/// The four course levels (進修階層) with their definitions.
#[utoipa::path(
    tag = "reference",
    responses(
        (status = 200, description = "The levels in order.", body = LevelList),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/levels")]
pub async fn levels(state: web::Data<AppState>) -> AppResult<web::Json<LevelList>> {
    let items: Vec<LevelDto> = state
        .db
        .levels()
        .await?
        .into_iter()
        .map(IntoWire::into_wire)
        .collect();
    Ok(web::Json(LevelList {
        total: items.len() as u64,
        items,
    }))
}

fn form_section(field_no: i32) -> &'static str {
    match field_no {
        ..=13 => "course",
        14..=20 => "registration",
        _ => "other",
    }
}

/// The code lists of the course registration form, field by field.
#[utoipa::path(
    tag = "reference",
    responses(
        (status = 200, description = "All 26 fields with their options.", body = CourseFormOptions),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/course-form/options")]
pub async fn course_form_options(
    state: web::Data<AppState>,
) -> AppResult<web::Json<CourseFormOptions>> {
    let mut fields: Vec<CourseFormFieldDto> = Vec::new();
    // The options come ordered by field: each run of one field number becomes one field.
    let mut current: Option<CourseFormFieldDto> = None;
    for option in state.db.course_form_options().await? {
        let mut field = match current.take() {
            Some(field) if field.field_no == option.field_no => field,
            finished => {
                fields.extend(finished);
                CourseFormFieldDto {
                    field_no: option.field_no,
                    name: option.field_name.clone(),
                    section: form_section(option.field_no).to_owned(),
                    input_kind: option.input_kind.clone(),
                    options: Vec::new(),
                    input_hint: None,
                }
            }
        };
        match option.option_code {
            Some(code) => field.options.push(CourseFormOptionDto {
                code,
                label: option.option_label,
                note: option.note,
            }),
            None => {
                let hint = option.option_label.or(option.note);
                field.input_hint =
                    hint.map(|h| h.trim_start_matches("free input:").trim().to_owned());
            }
        }
        current = Some(field);
    }
    fields.extend(current);
    let remote_software = inservice_domain::course::codes::REMOTE_SOFTWARE
        .iter()
        .map(|(code, label)| CourseFormOptionDto {
            code: (*code).to_owned(),
            label: Some((*label).to_owned()),
            note: None,
        })
        .collect();
    Ok(web::Json(CourseFormOptions {
        fields,
        remote_software,
    }))
}

/// The attribute tags (屬性標籤), active ones by default.
#[utoipa::path(
    tag = "reference",
    params(TagsQuery),
    responses(
        (status = 200, description = "The tags with their dates.", body = TagList),
        (status = 400, description = "`status` is not one of the allowed values.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/tags")]
pub async fn tags(
    state: web::Data<AppState>,
    query: web::Query<TagsQuery>,
) -> AppResult<web::Json<TagList>> {
    let wanted = query.status.as_deref().unwrap_or("active");
    if !["active", "retired", "all"].contains(&wanted) {
        return Err(FieldErrors::single(
            "status",
            "invalid_status",
            "status 必須是 active、retired 或 all",
        )
        .into());
    }
    let items: Vec<TagDto> = state
        .db
        .attribute_tags()
        .await?
        .into_iter()
        .map(TagDto::from_stored)
        .filter(|t| wanted == "all" || t.status == wanted)
        .collect();
    Ok(web::Json(TagList {
        total: items.len() as u64,
        items,
    }))
}
