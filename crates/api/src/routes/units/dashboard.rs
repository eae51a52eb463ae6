//! 燈號: the courses a unit still has to close, and the same over a regional centre's units,
//! green, yellow or red by how late they are.

use std::collections::BTreeMap;

use actix_web::{get, web};
use chrono::Utc;
use inservice_domain::UnitCode;
use inservice_domain::authorize::{Action, Target};
use inservice_domain::roster::Light;
use inservice_persistence::records::PendingCourse;

use crate::AppState;
use crate::auth::Actor;
use crate::dto::*;
use crate::error::responses::{Unauthenticated, Unavailable};
use crate::error::{AppResult, Problem};

fn count(counts: &mut LightCounts, light: Light) {
    match light {
        Light::Green => counts.green += 1,
        Light::Yellow => counts.yellow += 1,
        Light::Red => counts.red += 1,
    }
}

fn dashboard(pending: Vec<PendingCourse>, by_unit: bool) -> DashboardDto {
    let mut counts = LightCounts::default();
    let mut units: BTreeMap<String, UnitLightsDto> = BTreeMap::new();
    for course in &pending {
        count(&mut counts, course.light);
        if by_unit {
            let unit = units
                .entry(course.unit_code.clone())
                .or_insert_with(|| UnitLightsDto {
                    unit_code: course.unit_code.clone(),
                    unit_name: course.unit_name.clone(),
                    counts: LightCounts::default(),
                });
            count(&mut unit.counts, course.light);
        }
    }
    let mut units: Vec<UnitLightsDto> = units.into_values().collect();
    units.sort_by(|a, b| {
        (b.counts.red, b.counts.yellow, b.counts.green)
            .cmp(&(a.counts.red, a.counts.yellow, a.counts.green))
            .then(a.unit_code.cmp(&b.unit_code))
    });
    DashboardDto {
        counts,
        courses: pending
            .into_iter()
            .map(|c| PendingCourseDto {
                course_code: c.course_id,
                name: c.name,
                unit_code: c.unit_code,
                unit_name: c.unit_name,
                end_date: c.end_date,
                pending: c.pending.code().to_owned(),
                pending_label: c.pending.label().to_owned(),
                since: c.since,
                light: c.light.code().to_owned(),
            })
            .collect(),
        units,
    }
}

/// A unit's unclosed courses: ended without a submitted roster, waiting for confirmation, or
/// returned; worst light first.
#[utoipa::path(
    tag = "dashboards",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Unit code.")),
    responses(
        (status = 200, description = "The unit's lights.", body = DashboardDto),
        (status = 400, description = "Malformed unit code.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "May not browse the unit's courses.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/units/{code}/dashboard")]
pub async fn unit_dashboard(
    state: web::Data<AppState>,
    actor: Actor,
    code: web::Path<String>,
) -> AppResult<web::Json<DashboardDto>> {
    let code = UnitCode::parse_field("code", &code)?;
    actor.authorize(Action::BrowseUnitCourses, &Target::Unit(code.as_str()))?;
    let pending = state.db.unit_pending(code.as_str(), Utc::now()).await?;
    Ok(web::Json(dashboard(pending, false)))
}

/// The regional centre's view: the unclosed courses of every unit it reviews, with each
/// unit's counts, worst first.
#[utoipa::path(
    tag = "dashboards",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The lights over the centre's units.", body = DashboardDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "The caller's unit reviews no courses.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/review/dashboard")]
pub async fn region_dashboard(
    state: web::Data<AppState>,
    actor: Actor,
) -> AppResult<web::Json<DashboardDto>> {
    let reviewer = actor.unit_code.clone().unwrap_or_default();
    actor.authorize(Action::ReviewCourse, &Target::Unit(&reviewer))?;
    let pending = state.db.region_pending(&reviewer, Utc::now()).await?;
    Ok(web::Json(dashboard(pending, true)))
}
