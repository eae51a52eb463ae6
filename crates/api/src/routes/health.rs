use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, get, web};

use crate::AppState;
use crate::dto::{DatabaseHealth, Health};
use crate::error::Problem;
use crate::error::{ProblemCode, ProblemResponse};

/// A probe answers within this even when the pool waits for a connection.
const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// Seconds a client or load balancer should wait before asking again after a 503.
pub const RETRY_AFTER_SECS: u64 = 5;

/// The database as a probe sees it: the pending migrations, or `None` when it does not answer.
async fn database_state(state: &AppState) -> Option<usize> {
    let probe = async {
        state.db.ping().await?;
        state.db.pending_migrations().await
    };
    match tokio::time::timeout(PROBE_TIMEOUT, probe).await {
        Ok(Ok(pending)) => Some(pending),
        Ok(Err(error)) => {
            tracing::warn!(%error, "probe: database unavailable");
            None
        }
        Err(_) => {
            tracing::warn!("probe: the database did not answer in time");
            None
        }
    }
}

fn health_body(state: &AppState, pending: Option<usize>) -> Health {
    let database = if pending.is_some() {
        "ok"
    } else {
        "unavailable"
    };
    Health {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database: DatabaseHealth {
            status: database.to_owned(),
            engine: state.db.kind().name().to_owned(),
            pending_migrations: pending.map(|n| n as u64),
        },
    }
}

/// Liveness: the process serves requests.
///
/// Always 200 while it does, whatever the database's state (reported alongside), so an
/// orchestrator never restarts a server for a database outage it recovers from by itself; see
/// `/api/v1/ready` for whether it should take traffic.
#[utoipa::path(
    tag = "system",
    responses(
        (status = 200, description = "The server is alive; `database` tells whether its database answers.", body = Health),
        (status = 500, description = "The server is broken (`internal_error`); never for a database outage.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/health")]
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let pending = database_state(&state).await;
    HttpResponse::Ok().json(health_body(&state, pending))
}

/// Readiness: the database answers and its schema is up to date.
#[utoipa::path(
    tag = "system",
    responses(
        (status = 200, description = "Ready: the database answers and no migration is pending.", body = Health),
        (status = 503, description = "Not ready: the database does not answer (`database_unavailable`) or migrations are pending (`migrations_pending`); `Retry-After` says when to ask again.", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait before asking again."))),
    )
)]
#[get("/api/v1/ready")]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let problem = match database_state(&state).await {
        Some(0) => return HttpResponse::Ok().json(health_body(&state, Some(0))),
        Some(pending) => crate::error::problem(
            StatusCode::SERVICE_UNAVAILABLE,
            ProblemCode::MigrationsPending,
            "服務尚未就緒",
            format!("資料庫尚有 {pending} 個結構更新未執行（inservice migrate）。"),
        ),
        None => crate::error::problem(
            StatusCode::SERVICE_UNAVAILABLE,
            ProblemCode::DatabaseUnavailable,
            "服務尚未就緒",
            "資料庫暫時無法回應，請稍後再試。",
        ),
    };
    let mut response = problem.response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
    response
}
