//! National-centre administration: the development mailbox and the audit log.

use actix_web::{get, web};
use inservice_domain::authorize::{Action, Target};

use crate::AppState;
use crate::auth::Actor;
use crate::dto::*;
use crate::error::ProblemCode;
use crate::error::responses::{NotNationalAdmin, Unauthenticated, Unavailable};
use crate::error::{AppError, AppResult, Problem};

/// A national-centre administrator. As an extractor listed before the body, it answers 401/403
/// before the body is even parsed, so callers without the right never learn the body's shape.
pub struct NationalAdmin(pub Actor);

impl actix_web::FromRequest for NationalAdmin {
    type Error = AppError;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        crate::auth::actor_future(
            req,
            |actor| actor.authorize(Action::AdministerUnits, &Target::Nothing),
            NationalAdmin,
        )
    }
}

/// The development mailbox: every e-mail the system queued, newest first. Exists only in
/// development mode (in production mail leaves through SMTP and this answers 404).
#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The newest 100 messages.", body = MailList),
        (status = 401, response = Unauthenticated),
        (status = 403, response = NotNationalAdmin),
        (status = 404, description = "Not in development mode.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/dev/mailbox")]
pub async fn mailbox(state: web::Data<AppState>, actor: Actor) -> AppResult<web::Json<MailList>> {
    actor.authorize(Action::ReadDevMailbox, &Target::Nothing)?;
    if !state.development {
        return Err(AppError::NotFound {
            code: ProblemCode::RouteNotFound,
            detail: "開發用信箱只在開發模式提供。".into(),
        });
    }
    let items: Vec<MailDto> = state
        .db
        .recent_mail(100)
        .await?
        .into_iter()
        .map(|m| MailDto {
            id: m.id,
            to: m.to_address,
            subject: m.subject,
            body: m.body,
            status: m.status,
            created_at: m.created_at,
        })
        .collect();
    Ok(web::Json(MailList {
        total: items.len() as u64,
        items,
    }))
}

/// Searches the audit log of changes made by people, newest first.
#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    params(AuditQuery),
    responses(
        (status = 200, description = "One page of audit entries.", body = AuditPage),
        (status = 400, description = "Bad paging.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = NotNationalAdmin),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/audit-log")]
pub async fn audit_log(
    state: web::Data<AppState>,
    actor: Actor,
    query: web::Query<AuditQuery>,
) -> AppResult<web::Json<AuditPage>> {
    actor.authorize(Action::ReadAuditLog, &Target::Nothing)?;
    let mut errors = inservice_domain::validation::Collector::default();
    let actor_filter = errors.check(
        query
            .actor
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(|a| {
                a.parse::<i32>().map_err(|_| {
                    inservice_domain::FieldErrors::single(
                        "actor",
                        "not_an_integer",
                        "actor 必須是帳號編號（整數）",
                    )
                })
            })
            .transpose(),
    );
    let page = errors.check(crate::routes::params::parse_page(
        query.page.as_deref(),
        query.per_page.as_deref(),
    ));
    let (actor_filter, page) = errors.finish_with(|| actor_filter.zip(page))?;
    let filter = inservice_persistence::audit::AuditFilter {
        actor_account_id: actor_filter,
        action: query.action.clone().filter(|a| !a.is_empty()),
        target_id: query.target.clone().filter(|t| !t.is_empty()),
    };
    let result = state.db.search_audit(&filter, page).await?;
    Ok(web::Json(AuditPage {
        items: result
            .items
            .into_iter()
            .map(|e| AuditEntryDto {
                id: e.id,
                at: e.at,
                actor_account_id: e.actor_account_id,
                actor_role: e.actor_role,
                action: e.action,
                target_kind: e.target_kind,
                target_id: e.target_id,
                summary: e.summary,
                ip: e.ip,
            })
            .collect(),
        total: result.total,
        page: page.page,
        per_page: page.per_page,
    }))
}
