use actix_web::{HttpResponse, get, web};

use crate::AppState;
use crate::dto::{DatabaseHealth, Health};

/// Reports whether the server and its database answer.
#[utoipa::path(
    tag = "system",
    responses(
        (status = 200, description = "The server and its database work.", body = Health),
        (status = 503, description = "The database does not answer.", body = Health),
    )
)]
#[get("/api/v1/health")]
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let engine = state.db.kind().name().to_owned();
    let pending = match state.db.ping().await {
        Ok(()) => state.db.pending_migrations().await.ok(),
        Err(error) => {
            tracing::warn!(%error, "health check: database unavailable");
            None
        }
    };
    let up = pending.is_some();
    let status = if up { "ok" } else { "unavailable" };
    let body = Health {
        status: status.to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database: DatabaseHealth {
            status: status.to_owned(),
            engine,
            pending_migrations: pending.map(|n| n as u64),
        },
    };
    if up {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}
