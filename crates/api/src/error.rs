//! The one error type of the API, rendered as RFC 9457 `application/problem+json`.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use inservice_domain::FieldErrors;
use inservice_persistence::StorageError;

pub const PROBLEM_JSON: &str = "application/problem+json";

pub use inservice_wire::{Problem, ProblemCode, ProblemFieldError};

/// Sends a problem document with its status and media type.
pub trait ProblemResponse {
    fn response(&self) -> HttpResponse;
}

impl ProblemResponse for Problem {
    fn response(&self) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        HttpResponse::build(status)
            .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)))
            .json(self)
    }
}

/// The problem code of a code the domain names by its string (permission denials, the states
/// that forbid an action). Every such string is a published code; one missing from
/// [`ProblemCode`] is a bug that debug builds (and so every test) report loudly.
pub fn domain_code(code: &'static str, fallback: ProblemCode) -> ProblemCode {
    ProblemCode::from_code(code).unwrap_or_else(|| {
        debug_assert!(false, "the domain code {code} is not a ProblemCode");
        fallback
    })
}

/// A problem of `code` with the given status, title and detail.
pub fn problem(
    status: StatusCode,
    code: ProblemCode,
    title: &str,
    detail: impl Into<String>,
) -> Problem {
    Problem::new(status.as_u16(), code, title, detail)
}

/// Every way a request can fail.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request's parameters or body failed validation.
    #[error("validation failed")]
    Validation(FieldErrors),
    /// The request is malformed in a way that is not about one field.
    #[error("bad request: {detail}")]
    BadRequest { code: ProblemCode, detail: String },
    /// The addressed resource does not exist.
    #[error("not found: {detail}")]
    NotFound { code: ProblemCode, detail: String },
    /// No valid credentials were presented.
    #[error("unauthenticated: {detail}")]
    Unauthenticated { detail: String },
    /// A partner's API key is unknown or revoked (401 with `code`).
    #[error("api key refused: {detail}")]
    KeyRefused { code: ProblemCode, detail: String },
    /// Too many failed logins: the account is locked for a while.
    #[error("account locked: {detail}")]
    Locked { detail: String },
    /// The caller is known but may not do this.
    #[error("forbidden: {detail}")]
    Forbidden { code: ProblemCode, detail: String },
    /// The request conflicts with what is stored (duplicates, stale state).
    #[error("conflict: {detail}")]
    Conflict { code: ProblemCode, detail: String },
    /// The resource exists already; `existing` describes it.
    #[error("duplicate: {detail}")]
    Duplicate {
        code: ProblemCode,
        detail: String,
        existing: serde_json::Value,
    },
    /// The upload is too large.
    #[error("payload too large")]
    TooLarge { detail: String },
    /// The upload is of a type the endpoint does not read.
    #[error("unsupported media type")]
    UnsupportedMediaType { detail: String },
    /// An uploaded file is over one of the upload gate's limits (see `uploads::Reason` for the
    /// codes: `zip_bomb`, `workbook_too_large`, `too_many_rows`, …); `detail` says which.
    #[error("file rejected: {detail}")]
    FileRejected { code: ProblemCode, detail: String },
    /// Rows of an exchange batch were refused: nothing was written (422 `batch_refused`).
    #[error("batch refused: {detail}")]
    BatchRefused {
        detail: String,
        errors: Vec<ProblemFieldError>,
    },
    /// Too many attempts; retry after the given number of seconds.
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    /// The server is saturated (e.g. every password-hashing slot is taken); retry shortly.
    #[error("busy")]
    Busy { retry_after_secs: u64 },
    /// A bug or an impossible state; details go to the log only.
    #[error("internal error: {0}")]
    Internal(String),
    /// The database could not be reached or failed; details go to the log only.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Validation(errors)
    }
}

impl AppError {
    pub fn problem(&self) -> Problem {
        match self {
            AppError::Validation(FieldErrors(errors)) => validation_problem(errors),
            AppError::BadRequest { code, detail } => problem(
                StatusCode::BAD_REQUEST,
                *code,
                "請求格式錯誤",
                detail.clone(),
            ),
            AppError::NotFound { code, detail } => {
                problem(StatusCode::NOT_FOUND, *code, "找不到資源", detail.clone())
            }
            AppError::Unauthenticated { detail } => problem(
                StatusCode::UNAUTHORIZED,
                ProblemCode::Unauthenticated,
                "需要登入",
                detail.clone(),
            ),
            AppError::KeyRefused { code, detail } => problem(
                StatusCode::UNAUTHORIZED,
                *code,
                "API 金鑰無效",
                detail.clone(),
            ),
            AppError::Locked { detail } => problem(
                StatusCode::UNAUTHORIZED,
                ProblemCode::AccountLocked,
                "帳號暫時鎖定",
                detail.clone(),
            ),
            AppError::Forbidden { code, detail } => {
                problem(StatusCode::FORBIDDEN, *code, "沒有權限", detail.clone())
            }
            AppError::Conflict { code, detail } => {
                problem(StatusCode::CONFLICT, *code, "資料衝突", detail.clone())
            }
            AppError::Duplicate {
                code,
                detail,
                existing,
            } => Problem {
                existing: Some(existing.clone()),
                ..problem(StatusCode::CONFLICT, *code, "資料已存在", detail.clone())
            },
            AppError::TooLarge { detail } => problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                ProblemCode::PayloadTooLarge,
                "檔案過大",
                detail.clone(),
            ),
            AppError::UnsupportedMediaType { detail } => problem(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ProblemCode::UnsupportedMediaType,
                "不支援的檔案類型",
                detail.clone(),
            ),
            AppError::FileRejected { code, detail } => problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                *code,
                "檔案未通過安全檢查",
                detail.clone(),
            ),
            AppError::BatchRefused { detail, errors } => Problem {
                errors: errors.clone(),
                ..problem(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ProblemCode::BatchRefused,
                    "批次未通過檢查",
                    detail.clone(),
                )
            },
            AppError::RateLimited { retry_after_secs } => problem(
                StatusCode::TOO_MANY_REQUESTS,
                ProblemCode::TooManyRequests,
                "嘗試次數過多",
                format!("請於 {retry_after_secs} 秒後再試。"),
            ),
            AppError::Busy { retry_after_secs } => problem(
                StatusCode::SERVICE_UNAVAILABLE,
                ProblemCode::ServerBusy,
                "系統忙碌中",
                format!("目前使用人數眾多，請於 {retry_after_secs} 秒後再試。"),
            ),
            AppError::Internal(_) => problem(
                StatusCode::INTERNAL_SERVER_ERROR,
                ProblemCode::InternalError,
                "伺服器發生錯誤",
                "伺服器發生未預期的錯誤，請稍後再試；若持續發生請提供 x-request-id 給客服。",
            ),
            AppError::Storage(error) if error.is_rejected_text() => problem(
                StatusCode::BAD_REQUEST,
                ProblemCode::InvalidText,
                "輸入資料有誤",
                "有欄位的文字過長或含有無法儲存的字元，請修正後再試一次。",
            ),
            AppError::Storage(_) => problem(
                StatusCode::SERVICE_UNAVAILABLE,
                ProblemCode::ServiceUnavailable,
                "服務暫時無法使用",
                "資料庫暫時無法回應，請稍後再試。",
            ),
        }
    }
}

/// A 400 that lists every field that failed.
fn validation_problem(errors: &[inservice_domain::FieldError]) -> Problem {
    Problem {
        errors: errors
            .iter()
            .map(|e| ProblemFieldError {
                field: e.field.clone(),
                code: e.code.to_owned(),
                message: e.message.clone(),
            })
            .collect(),
        ..problem(
            StatusCode::BAD_REQUEST,
            ProblemCode::ValidationFailed,
            "輸入資料有誤",
            "請修正標示的欄位後再試一次。",
        )
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.problem().status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Storage(error) if error.is_rejected_text() => {
                tracing::warn!(%error, "the database refused the text of a request")
            }
            AppError::Storage(error) => tracing::error!(%error, "storage failure"),
            AppError::Internal(error) => tracing::error!(%error, "internal error"),
            _ => {}
        }
        let mut response = self.problem().response();
        if let AppError::RateLimited { retry_after_secs } | AppError::Busy { retry_after_secs } =
            self
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
        }
        if let AppError::Storage(error) = self
            && !error.is_rejected_text()
        {
            // The database is usually back within seconds (a restart, a failover): clients and
            // proxies may retry on their own.
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(crate::routes::health::RETRY_AFTER_SECS),
            );
        }
        if let AppError::Unauthenticated { .. } = self {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Reusable OpenAPI responses for the problems most operations share.
pub mod responses {
    use utoipa::ToResponse;

    use super::Problem;

    /// The database does not answer (`service_unavailable`); retry after `Retry-After` seconds.
    #[derive(ToResponse)]
    #[response(
        content_type = "application/problem+json",
        headers(("Retry-After" = u64, description = "Seconds to wait before retrying."))
    )]
    pub struct Unavailable(#[allow(dead_code)] Problem);

    /// The request is malformed: a control character in the path or query (`malformed_path`,
    /// `validation_failed`), a path or query value of the wrong type (`malformed_path`,
    /// `malformed_query`), or a body that is not the JSON asked for (`malformed_json`,
    /// `validation_failed` naming the fields).
    #[derive(ToResponse)]
    #[response(content_type = "application/problem+json")]
    pub struct BadRequest(#[allow(dead_code)] Problem);

    /// The JSON body is larger than 1 MB (`payload_too_large`).
    #[derive(ToResponse)]
    #[response(content_type = "application/problem+json")]
    pub struct PayloadTooLarge(#[allow(dead_code)] Problem);

    /// Not signed in, or the access token is invalid or expired (`unauthenticated`).
    #[derive(ToResponse)]
    #[response(content_type = "application/problem+json")]
    pub struct Unauthenticated(#[allow(dead_code)] Problem);

    /// Not a national-centre administrator (`national_admin_required`).
    #[derive(ToResponse)]
    #[response(content_type = "application/problem+json")]
    pub struct NotNationalAdmin(#[allow(dead_code)] Problem);

    /// No unit has this code (`unit_not_found`).
    #[derive(ToResponse)]
    #[response(content_type = "application/problem+json")]
    pub struct UnitNotFound(#[allow(dead_code)] Problem);
}
