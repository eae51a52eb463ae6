//! The HTTP face of the platform: the REST API under `/api/v1`, its OpenAPI document and docs UI,
//! and the single-page app's files.

pub mod auth;
pub mod dto;
pub mod error;
pub mod input_guard;
mod metrics;
mod middleware;
mod openapi;
pub mod partner_auth;
pub mod routes;
mod spa;
mod state;
pub mod throttle;
pub mod uploads;

use actix_web::web;

pub use error::{AppError, Problem, ProblemCode};
pub use input_guard::input_guard;
pub use metrics::Metrics;
pub use middleware::{
    SecurityPolicy, catch_panics, problem_for_bare_errors, request_log, security_headers,
};
pub use openapi::{ApiDoc, openapi_json};
pub use spa::Spa;
pub use state::{AppState, PRESCHOOL_PARTNER};

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
