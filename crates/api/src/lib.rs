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
    use routes::{
        admin, attendance, auth, business, calendar, course_enrollments, course_extras,
        course_review, courses, dashboard, enrollment_exports, enrollments, feedback, health, me,
        records, reference, roster_review, unit_teachers, units_admin,
    };
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
    .service(health::health)
    .service(health::ready)
    .service(metrics::scrape)
    .service(reference::counties)
    .service(reference::units)
    .service(reference::unit)
    .service(reference::taxonomy)
    .service(reference::levels)
    .service(reference::course_form_options)
    .service(reference::tags)
    .service(auth::sign_up)
    .service(auth::log_in)
    .service(auth::refresh_session)
    .service(auth::log_out)
    .service(auth::log_out_everywhere)
    .service(auth::me)
    .service(me::update_me)
    .service(me::export_me)
    .service(me::confirm_email)
    .service(auth::change_password)
    .service(auth::request_password_reset)
    .service(auth::confirm_password_reset)
    .service(business::apply)
    .service(business::queue)
    .service(business::approve)
    .service(business::reject)
    .service(business::retype)
    .service(business::disable)
    .service(business::enable)
    .service(business::remove)
    .service(admin::mailbox)
    .service(admin::audit_log)
    .service(unit_teachers::export)
    .service(unit_teachers::list)
    .service(unit_teachers::enter)
    .service(unit_teachers::transfer_out)
    .service(unit_teachers::requests)
    .service(unit_teachers::accept_request)
    .service(unit_teachers::decline_request)
    .service(units_admin::import)
    .service(units_admin::create)
    .service(units_admin::update)
    .service(units_admin::update_contact)
    .service(units_admin::close)
    .service(units_admin::transfer_reviewer)
    .service(units_admin::history)
    .service(course_extras::subject_areas)
    .service(courses::search)
    .service(courses::detail)
    .service(courses::create)
    .service(courses::unit_courses)
    .service(courses::update)
    .service(courses::remove)
    .service(courses::submit)
    .service(courses::copy)
    .service(course_review::queue)
    .service(course_review::approve)
    .service(course_review::send_back)
    .service(course_review::reject)
    .service(course_review::auto_approval)
    .service(course_review::set_auto_approval)
    .service(course_extras::upload)
    .service(course_extras::download)
    .service(course_extras::remove_attachment)
    .service(course_extras::favourites)
    .service(course_extras::add_favourite)
    .service(course_extras::remove_favourite)
    .service(course_extras::create_tag)
    .service(course_extras::define_tag)
    .service(course_extras::retire_tag)
    .service(enrollments::enroll)
    .service(enrollments::my_enrollments)
    .service(enrollments::withdraw)
    .service(enrollment_exports::export)
    .service(course_enrollments::list)
    .service(course_enrollments::accept_all)
    .service(course_enrollments::accept)
    .service(course_enrollments::decline)
    .service(course_enrollments::promote)
    .service(course_enrollments::cancel)
    .service(course_enrollments::postpone)
    .service(course_enrollments::draw)
    .service(course_enrollments::notifications)
    .service(calendar::course_calendar)
    .service(calendar::course_qr)
    .service(calendar::feed_state)
    .service(calendar::make_feed)
    .service(calendar::revoke_feed)
    .service(calendar::feed)
    .service(attendance::sheet)
    .service(attendance::save)
    .service(attendance::walk_in)
    .service(attendance::import_sign_in)
    .service(attendance::submit)
    .service(roster_review::queue)
    .service(roster_review::confirm)
    .service(roster_review::send_back)
    .service(roster_review::request)
    .service(roster_review::of_course)
    .service(roster_review::pending)
    .service(roster_review::decide)
    .service(records::mine)
    .service(records::workbook)
    .service(records::issue)
    .service(records::verify)
    .service(records::verify_qr)
    .service(dashboard::unit_dashboard)
    .service(dashboard::region_dashboard)
    .service(feedback::questionnaire)
    .service(feedback::answer)
    .service(feedback::feedback_summary)
    .service(feedback::summary_xlsx)
    .service(feedback::paper_counts)
    .service(openapi::docs_redirect)
    .service(openapi::swagger_ui())
    .service(web::scope("/api").default_service(web::to(middleware::api_not_found)));
    if let Some(spa) = spa {
        spa.register(cfg);
    } else {
        cfg.default_service(web::to(middleware::api_not_found));
    }
}
