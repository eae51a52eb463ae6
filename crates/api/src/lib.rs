//! The HTTP face of the platform: the REST API under `/api/v1`, its OpenAPI document and docs UI,
//! and the single-page app's files.

pub mod auth;
pub mod dto;
pub mod error;
pub mod input_guard;
mod metrics;
mod middleware;
mod openapi;
pub mod routes;
mod spa;
pub mod throttle;
pub mod uploads;

use std::sync::Arc;

use actix_web::web;
use inservice_persistence::Database;
use inservice_persistence::secrets::IdentityVault;

pub use error::{AppError, Problem, ProblemCode};
pub use input_guard::input_guard;
pub use metrics::Metrics;
pub use middleware::{
    SecurityPolicy, catch_panics, problem_for_bare_errors, request_log, security_headers,
};
pub use openapi::{ApiDoc, openapi_json};
pub use spa::Spa;

/// State shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub db: Database,
    pub auth: auth::AuthKeys,
    /// Open sessions as the database last said, remembered for a few seconds.
    pub sessions: Arc<auth::SessionCache>,
    pub vault: IdentityVault,
    /// Attempt limits and lockouts, and the proxies trusted to name the client.
    pub throttles: Arc<throttle::Throttles>,
    /// The public base URL (for links in e-mails), without a trailing slash.
    pub public_url: String,
    /// Development conveniences (the readable mailbox) are on.
    pub development: bool,
}

impl AppState {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        db: Database,
        jwt_secret: &[u8],
        previous_jwt_secrets: &[&[u8]],
        data_key: &[u8],
        public_url: String,
        development: bool,
        trusted_proxies: throttle::TrustedProxies,
    ) -> Self {
        Self {
            db,
            auth: auth::AuthKeys::new(jwt_secret, previous_jwt_secrets, &public_url, !development),
            sessions: Arc::new(auth::SessionCache::default()),
            vault: IdentityVault::new(data_key),
            throttles: Arc::new(throttle::Throttles::new(trusted_proxies)),
            public_url: public_url.trim_end_matches('/').to_owned(),
            development,
        }
    }
}

/// Registers the API routes, the docs UI, and (when given) the SPA with its client-route fallback.
pub fn configure(cfg: &mut web::ServiceConfig, spa: Option<Spa>) {
    cfg.app_data(web::QueryConfig::default().error_handler(|err, _| {
        AppError::BadRequest {
            code: ProblemCode::MalformedQuery,
            detail: format!("查詢參數格式錯誤：{err}"),
        }
        .into()
    }))
    .app_data(web::PathConfig::default().error_handler(|err, _| {
        AppError::BadRequest {
            code: ProblemCode::MalformedPath,
            detail: format!("路徑參數格式錯誤：{err}"),
        }
        .into()
    }))
    // Uploads (attachments, directory imports) check their own limits, up to 10 MB.
    .app_data(web::PayloadConfig::new(11 << 20))
    .app_data(
        web::JsonConfig::default()
            .limit(1 << 20)
            .error_handler(|err, _| {
                AppError::BadRequest {
                    code: ProblemCode::MalformedJson,
                    detail: format!("JSON 內容格式錯誤：{err}"),
                }
                .into()
            }),
    )
    .configure(routes::table::register)
    // Prometheus scraping is not part of the API (its own path and token), so not in the table.
    .service(metrics::scrape)
    .service(openapi::docs_redirect)
    .service(openapi::swagger_ui())
    .service(web::scope("/api").default_service(web::to(middleware::api_not_found)));
    if let Some(spa) = spa {
        spa.register(cfg);
    } else {
        cfg.default_service(web::to(middleware::api_not_found));
    }
}
