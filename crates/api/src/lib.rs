//! The HTTP face of the platform: the REST API under `/api/v1`, its OpenAPI document and docs UI,
//! and the single-page app's files.

pub mod dto;
pub mod error;
mod middleware;
mod openapi;
pub mod routes;
mod spa;

use actix_web::web;
use inservice_persistence::Database;

pub use error::{AppError, Problem};
pub use middleware::{SecurityPolicy, problem_for_bare_errors, request_log, security_headers};
pub use openapi::{ApiDoc, openapi_json};
pub use spa::Spa;

/// State shared by every handler.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Database,
}

/// Registers the API routes, the docs UI, and (when given) the SPA with its client-route fallback.
pub fn configure(cfg: &mut web::ServiceConfig, spa: Option<Spa>) {
    use routes::{health, reference};
    cfg.app_data(web::QueryConfig::default().error_handler(|err, _| {
        AppError::BadRequest {
            code: "malformed_query",
            detail: format!("查詢參數格式錯誤：{err}"),
        }
        .into()
    }))
    .app_data(web::PathConfig::default().error_handler(|err, _| {
        AppError::BadRequest {
            code: "malformed_path",
            detail: format!("路徑參數格式錯誤：{err}"),
        }
        .into()
    }))
    .app_data(
        web::JsonConfig::default()
            .limit(1 << 20)
            .error_handler(|err, _| {
                AppError::BadRequest {
                    code: "malformed_json",
                    detail: format!("JSON 內容格式錯誤：{err}"),
                }
                .into()
            }),
    )
    .service(health::health)
    .service(reference::counties)
    .service(reference::units)
    .service(reference::unit)
    .service(reference::taxonomy)
    .service(reference::levels)
    .service(reference::course_form_options)
    .service(reference::tags)
    .service(openapi::docs_redirect)
    .service(openapi::swagger_ui())
    .service(web::scope("/api").default_service(web::to(middleware::api_not_found)));
    if let Some(spa) = spa {
        spa.register(cfg);
    } else {
        cfg.default_service(web::to(middleware::api_not_found));
    }
}
