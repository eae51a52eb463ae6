//! The OpenAPI document, generated from the handlers' annotations, and the bundled docs UI.

use actix_web::{HttpResponse, get, http::header};
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::{dto, error, routes};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "inservice API",
        description = "REST API of the national in-service teacher training network (全國教師在職進修資訊網). \
Errors are RFC 9457 problem documents (`application/problem+json`) with a stable `code`.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    components(
        schemas(error::Problem, error::ProblemFieldError, error::ProblemCode, dto::Health),
        responses(
            error::responses::Unavailable,
            error::responses::BadRequest,
            error::responses::PayloadTooLarge,
            error::responses::Unauthenticated,
            error::responses::NotNationalAdmin,
            error::responses::UnitNotFound,
        )
    ),
    tags(
        (name = "system", description = "Liveness (`/api/v1/health`) and readiness (`/api/v1/ready`) of the service."),
        (name = "reference", description = "Reference data: counties, units, taxonomy, levels, form options, tags."),
        (name = "auth", description = "Login, sessions and passwords. Access tokens last 15 minutes; refresh tokens are single-use."),
        (name = "accounts", description = "Teacher sign-up and the signed-in account."),
        (name = "unit management", description = "A unit's teacher accounts (本單位教師帳號管理, 教師資料登錄)."),
        (name = "unit administration", description = "Units: create, edit, close or merge, move to another reviewer, import the school directory."),
        (name = "administration", description = "National-centre administration: audit log, development mailbox."),
        (name = "courses", description = "Courses (研習課程): public search and course pages; registration with the 26-field form, attachments, series copies; teachers' favourites."),
        (name = "course review", description = "Review of courses by regional centres and the national centre (Art. 11), automatic approval, and the attribute tags."),
        (name = "enrollments", description = "Enrollment (線上報名): enroll under rush load without overselling, waiting lists, lotteries, withdrawal, the organiser's list and exports, cancellation and postponement notices, calendars and QR codes."),
        (name = "attendance", description = "After the course (研習資料管理上傳): attendance with the hours of Art. 10, walk-ins, the filled sign-in workbook, and submitting the roster."),
        (name = "roster review", description = "名單確認 by the course's reviewer: confirming writes every teacher's training record and closes the course; or returning it."),
        (name = "amendments", description = "修改已結案課程內容申請: changes to a closed course's attendance, approved by its regional centre, with before and after kept."),
        (name = "records", description = "Teachers' training records (研習紀錄), the official workbook, and transcripts anyone can verify by code."),
        (name = "dashboards", description = "燈號: unclosed courses of a unit, or of a regional centre's units, green, yellow or red by lateness."),
        (name = "feedback", description = "課程意見回饋問卷: nine questions answered once by attendees, paper counts, and the summary."),
        (name = "exchange", description = "資訊傳報: partner systems (counties, platforms) and their API keys (`X-Api-Key`, from an allow-listed address); batches of records in the exchange format version 1 (JSON, XML, xlsx template) with dry runs, idempotent on the partner's ids; the exchange log; retrieval of records by cursor; back-end counties' monthly confirmation; suspected duplicates across sources; the preschool platform's monthly export."),
        (name = "business accounts", description = "Business-account applications and their approval (總負責人 / 連絡人 / 作業人員)."),
    )
)]
struct ApiInfo;

/// The OpenAPI document: the description, shared components and tags of [`ApiInfo`] with the
/// paths of the operation table, then the security scheme and the shared error responses.
pub struct ApiDoc;

impl OpenApi for ApiDoc {
    fn openapi() -> utoipa::openapi::OpenApi {
        use utoipa::Modify;
        let mut document = ApiInfo::openapi();
        document.merge(routes::table::Operations::openapi());
        BearerAuth.modify(&mut document);
        GuardedInput.modify(&mut document);
        document
    }
}

/// Declares the bearer-token scheme that protected operations refer to.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(utoipa::openapi::security::ApiKey::Header(
                utoipa::openapi::security::ApiKeyValue::with_description(
                    "X-Api-Key",
                    "A partner system's key (資訊傳報), issued by the national centre.",
                ),
            )),
        );
    }
}

/// Every request passes the input guard and the extractors first: a control character in the
/// path or the query, a path or query value of the wrong type, or a body that is not the JSON
/// asked for is answered 400 before any handler runs, and a JSON body over 1 MB 413. Each
/// operation that does not describe its own 400 (or, with a body, 413) gets the shared one, so
/// the document names every status a client can get.
struct GuardedInput;

impl utoipa::Modify for GuardedInput {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{Ref, RefOr};
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                let json_body = operation
                    .request_body
                    .as_ref()
                    .is_some_and(|body| match body {
                        RefOr::T(body) => body.content.keys().any(|media| media.ends_with("json")),
                        RefOr::Ref(_) => true,
                    });
                let responses = &mut operation.responses.responses;
                responses
                    .entry("400".to_owned())
                    .or_insert_with(|| RefOr::Ref(Ref::from_response_name("BadRequest")));
                if json_body {
                    responses
                        .entry("413".to_owned())
                        .or_insert_with(|| RefOr::Ref(Ref::from_response_name("PayloadTooLarge")));
                }
            }
        }
    }
}

/// The OpenAPI document as pretty-printed JSON with a trailing newline, as committed in the repo.
pub fn openapi_json() -> String {
    // A document of strings always serialises; were it not to, the drift check would fail on
    // this text rather than the server dying.
    let mut text = ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"));
    text.push('\n');
    text
}

pub(crate) fn swagger_ui() -> SwaggerUi {
    SwaggerUi::new("/api/docs/{_:.*}").url("/api/v1/openapi.json", ApiDoc::openapi())
}

/// `/api/docs` without the slash would not match the UI's relative asset paths.
#[get("/api/docs")]
pub(crate) async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "/api/docs/"))
        .finish()
}
