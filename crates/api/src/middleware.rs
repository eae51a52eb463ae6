//! Cross-cutting HTTP behaviour: request ids and logs, security headers, problem documents for
//! errors that no handler produced (unknown routes, wrong methods, oversized bodies).

use std::sync::OnceLock;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::ResourceDef;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers, Next};
use actix_web::{Error, HttpMessage, HttpRequest, HttpResponse, ResponseError, web};
use tracing::Instrument;
use utoipa::OpenApi;

use crate::error::{AppError, PROBLEM_JSON};
use crate::error::{ProblemCode, ProblemResponse};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The request's id, for inner middleware that answers on its own.
#[derive(Clone)]
struct RequestId(String);

/// Accepts a caller's request id when it is short and plain, so ids can be traced across systems;
/// anything else is replaced, never echoed.
fn request_id(req: &ServiceRequest) -> String {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64)
        .filter(|v| {
            v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

/// Logs one line per request (method, route pattern, status, latency, id) and
/// returns the id in `x-request-id`. Query strings are left out because they can hold personal data.
pub async fn request_log(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = request_id(&req);
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().clone();
    let started = Instant::now();
    let span = tracing::info_span!("request", request_id = %id);
    let result = next.call(req).instrument(span.clone()).await;
    // The route's pattern, never the path itself: paths carry calendar-feed tokens, transcript
    // codes and identity look-ups.
    let path = match &result {
        Ok(response) => response
            .request()
            .match_pattern()
            .unwrap_or_else(|| "(unrouted)".to_owned()),
        Err(_) => "(failed)".to_owned(),
    };
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let _entered = span.enter();
    match result {
        Ok(mut response) => {
            let status = response.status().as_u16();
            tracing::info!(%method, %path, status, latency_ms = format!("{latency_ms:.1}"), "request");
            if let Ok(value) = HeaderValue::from_str(&id) {
                response.headers_mut().insert(REQUEST_ID, value);
            }
            Ok(response)
        }
        Err(error) => {
            let status = error.as_response_error().status_code().as_u16();
            tracing::info!(%method, %path, status, latency_ms = format!("{latency_ms:.1}"), "request");
            Err(error)
        }
    }
}

/// The response headers that protect browsers, decided once at start-up.
#[derive(Debug, Clone)]
pub struct SecurityPolicy {
    app_csp: HeaderValue,
    docs_csp: HeaderValue,
    hsts: bool,
}

impl SecurityPolicy {
    /// `script_hashes` are the `'sha256-…'` sources of the SPA's inline scripts; `hsts` is for
    /// production, where the server is reached over HTTPS only.
    pub fn new(script_hashes: &[String], hsts: bool) -> Self {
        let scripts = std::iter::once("'self' 'wasm-unsafe-eval'".to_owned())
            .chain(script_hashes.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ");
        let app_csp = format!(
            "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; \
             font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; \
             form-action 'self'; frame-ancestors 'none'"
        );
        // The bundled Swagger UI uses inline styles and an inline bootstrap script.
        let docs_csp = "default-src 'self'; script-src 'self' 'unsafe-inline'; \
                        style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
                        object-src 'none'; base-uri 'self'; frame-ancestors 'none'";
        Self {
            // The hashes are base64, so this is header text; were one not, the SPA would lose
            // its inline scripts rather than its policy.
            app_csp: HeaderValue::from_str(&app_csp).unwrap_or(HeaderValue::from_static(
                "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
                 img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
                 base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
            )),
            docs_csp: HeaderValue::from_static(docs_csp),
            hsts,
        }
    }
}

/// Adds the security headers to every response. Needs `web::Data<SecurityPolicy>` in the app.
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let policy = req.app_data::<web::Data<SecurityPolicy>>().cloned();
    let is_docs = req.path().starts_with("/api/docs");
    // Answers to a signed-in caller (token, refresh cookie, or a secret in the path such as a
    // calendar feed or a transcript code) are personal: no shared cache may keep them.
    let personal = req.headers().contains_key(header::AUTHORIZATION)
        || req.cookie(crate::auth::REFRESH_COOKIE).is_some()
        || req.path().starts_with("/api/v1/calendar-feeds/")
        || req.path().starts_with("/api/v1/transcripts/");
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    if personal {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    if let Some(policy) = policy {
        let csp = if is_docs {
            &policy.docs_csp
        } else {
            &policy.app_csp
        };
        headers.insert(header::CONTENT_SECURITY_POLICY, csp.clone());
        if policy.hsts {
            headers.insert(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=31536000; includeSubDomains"),
            );
        }
    }
    Ok(response)
}

/// The documented routes with their methods, to tell "wrong method" (405) from "no such route".
fn documented_routes() -> &'static [(ResourceDef, String)] {
    static ROUTES: OnceLock<Vec<(ResourceDef, String)>> = OnceLock::new();
    ROUTES.get_or_init(|| {
        let spec = crate::openapi::ApiDoc::openapi();
        spec.paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    (item.get.is_some(), "GET"),
                    (item.post.is_some(), "POST"),
                    (item.put.is_some(), "PUT"),
                    (item.patch.is_some(), "PATCH"),
                    (item.delete.is_some(), "DELETE"),
                ];
                let allow: Vec<&str> = methods
                    .iter()
                    .filter(|(has, _)| *has)
                    .map(|(_, m)| *m)
                    .collect();
                (ResourceDef::new(path.as_str()), allow.join(", "))
            })
            .collect()
    })
}

/// Answers a request that no API route took: 405 with `Allow` when the path exists with other
/// methods, 404 otherwise.
pub async fn api_not_found(req: HttpRequest) -> HttpResponse {
    if let Some((_, allow)) = documented_routes()
        .iter()
        .find(|(def, _)| def.is_match(req.path()))
    {
        let detail = format!(
            "{} 不支援 {}，可用的方法：{allow}",
            req.path(),
            req.method()
        );
        let mut response = crate::error::problem(
            StatusCode::METHOD_NOT_ALLOWED,
            ProblemCode::MethodNotAllowed,
            "不支援此 HTTP 方法",
            detail,
        )
        .response();
        if let Ok(value) = HeaderValue::from_str(allow) {
            response.headers_mut().insert(header::ALLOW, value);
        }
        return response;
    }
    AppError::NotFound {
        code: ProblemCode::RouteNotFound,
        detail: format!("沒有這個 API 路徑：{}", req.path()),
    }
    .error_response()
}

fn status_code_name(status: StatusCode) -> (ProblemCode, &'static str) {
    match status {
        StatusCode::NOT_FOUND => (ProblemCode::RouteNotFound, "找不到資源"),
        StatusCode::METHOD_NOT_ALLOWED => (ProblemCode::MethodNotAllowed, "不支援此 HTTP 方法"),
        StatusCode::PAYLOAD_TOO_LARGE => (ProblemCode::PayloadTooLarge, "請求內容過大"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            (ProblemCode::UnsupportedMediaType, "不支援的內容類型")
        }
        s if s.is_server_error() => (ProblemCode::InternalError, "伺服器發生錯誤"),
        _ => (ProblemCode::BadRequest, "請求無法處理"),
    }
}

/// Turns any error response that is not already JSON into a problem document, so clients never
/// see an empty body or an HTML page.
pub fn problem_for_bare_errors<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(|response: ServiceResponse<B>| {
        let is_json = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with(PROBLEM_JSON) || v.starts_with("application/json"));
        if is_json {
            return Ok(ErrorHandlerResponse::Response(
                response.map_into_left_body(),
            ));
        }
        let status = response.status();
        let (code, title) = status_code_name(status);
        let detail = if status.is_server_error() {
            "伺服器發生未預期的錯誤，請稍後再試；若持續發生請提供 x-request-id 給客服。".to_owned()
        } else {
            format!("{}：{}", title, response.request().path())
        };
        let problem = crate::error::problem(status, code, title, detail);
        let (request, _) = response.into_parts();
        let replaced = ServiceResponse::new(request, problem.response());
        Ok(ErrorHandlerResponse::Response(
            replaced.map_into_right_body(),
        ))
    })
}

/// Answers a panicking handler with the `internal_error` problem instead of dropping the
/// connection, so a client always gets a response it can report (with its request id). The
/// panic's message goes to stderr through the panic hook, not into the request log.
pub async fn catch_panics(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    use futures_util::FutureExt;
    let id = req.extensions().get::<RequestId>().cloned();
    std::panic::AssertUnwindSafe(next.call(req))
        .catch_unwind()
        .await
        .unwrap_or_else(|_| {
            let mut problem =
                AppError::Internal("a request handler panicked".into()).error_response();
            let headers = problem.headers_mut();
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            if let Some(value) = id.and_then(|RequestId(id)| HeaderValue::from_str(&id).ok()) {
                headers.insert(REQUEST_ID, value);
            }
            // An error carrying its response, not a response: the request belongs to the
            // handler that panicked, so the outer middleware that decorates responses is skipped.
            Err(actix_web::error::InternalError::from_response("panic", problem).into())
        })
}

#[cfg(test)]
mod tests {
    use actix_web::middleware::from_fn;
    use actix_web::{App, test, web};

    use super::*;

    async fn boom() -> HttpResponse {
        panic!("deliberate")
    }

    #[actix_web::test]
    async fn a_panicking_handler_answers_an_internal_error_problem() {
        let app = test::init_service(
            App::new()
                .wrap(from_fn(catch_panics))
                .wrap(from_fn(request_log))
                .route("/boom", web::get().to(boom)),
        )
        .await;
        let request = test::TestRequest::get()
            .uri("/boom")
            .insert_header((REQUEST_ID, "trace-42"))
            .to_request();
        let error = test::try_call_service(&app, request)
            .await
            .err()
            .expect("the panic becomes an error");
        let response = error.error_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            PROBLEM_JSON
        );
        assert_eq!(response.headers().get(REQUEST_ID).unwrap(), "trace-42");
        let bytes = actix_web::body::to_bytes(response.into_body())
            .await
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(body["code"], "internal_error");
    }
}
