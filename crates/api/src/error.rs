//! The one error type of the API, rendered as RFC 9457 `application/problem+json`.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use inservice_domain::FieldErrors;
use inservice_persistence::StorageError;
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 9457 problem document. Clients branch on `code`; people read `title` and `detail`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:inservice:problem:validation_failed",
    "title": "輸入資料有誤",
    "status": 400,
    "detail": "請修正標示的欄位後再試一次。",
    "code": "validation_failed",
    "errors": [{"field": "stage", "code": "invalid_stage", "message": "教育階段必須是下列之一：kindergarten、elementary、junior_high、senior_high"}]
}))]
pub struct Problem {
    /// A URI naming the kind of problem: `urn:inservice:problem:` followed by `code`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// A short summary of the kind of problem (zh-TW); the same for every occurrence of a code.
    pub title: String,
    /// The HTTP status code of the response.
    pub status: u16,
    /// What went wrong in this occurrence, in words a user can act on (zh-TW).
    pub detail: String,
    /// Stable machine-readable code (snake_case); never changes once published.
    pub code: String,
    /// Per-field failures, present only for validation problems.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemFieldError>,
    /// The existing resource a conflict is about (e.g. the enrollment of `already_enrolled`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing: Option<serde_json::Value>,
}

/// One field that failed validation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemFieldError {
    /// The request field (query parameter, path segment or JSON member) that is wrong.
    pub field: String,
    /// Stable machine-readable code of the failure, e.g. `out_of_range`.
    pub code: String,
    /// What is wrong and how to fix it (zh-TW).
    pub message: String,
}

impl Problem {
    pub fn new(status: StatusCode, code: &str, title: &str, detail: impl Into<String>) -> Self {
        Self {
            problem_type: format!("urn:inservice:problem:{code}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            code: code.to_owned(),
            errors: Vec::new(),
            existing: None,
        }
    }

    pub fn response(&self) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        HttpResponse::build(status)
            .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)))
            .json(self)
    }
}

/// Every way a request can fail.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request's parameters or body failed validation.
    #[error("validation failed")]
    Validation(FieldErrors),
    /// The request is malformed in a way that is not about one field.
    #[error("bad request: {detail}")]
    BadRequest { code: &'static str, detail: String },
    /// The addressed resource does not exist.
    #[error("not found: {detail}")]
    NotFound { code: &'static str, detail: String },
    /// No valid credentials were presented.
    #[error("unauthenticated: {detail}")]
    Unauthenticated { detail: String },
    /// Too many failed logins: the account is locked for a while.
    #[error("account locked: {detail}")]
    Locked { detail: String },
    /// The caller is known but may not do this.
    #[error("forbidden: {detail}")]
    Forbidden { code: &'static str, detail: String },
    /// The request conflicts with what is stored (duplicates, stale state).
    #[error("conflict: {detail}")]
    Conflict { code: &'static str, detail: String },
    /// The resource exists already; `existing` describes it.
    #[error("duplicate: {detail}")]
    Duplicate {
        code: &'static str,
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
    FileRejected { code: &'static str, detail: String },
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
            AppError::BadRequest { code, detail } => Problem::new(
                StatusCode::BAD_REQUEST,
                code,
                "請求格式錯誤",
                detail.clone(),
            ),
            AppError::NotFound { code, detail } => {
                Problem::new(StatusCode::NOT_FOUND, code, "找不到資源", detail.clone())
            }
            AppError::Unauthenticated { detail } => Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "需要登入",
                detail.clone(),
            ),
            AppError::Locked { detail } => Problem::new(
                StatusCode::UNAUTHORIZED,
                "account_locked",
                "帳號暫時鎖定",
                detail.clone(),
            ),
            AppError::Forbidden { code, detail } => {
                Problem::new(StatusCode::FORBIDDEN, code, "沒有權限", detail.clone())
            }
            AppError::Conflict { code, detail } => {
                Problem::new(StatusCode::CONFLICT, code, "資料衝突", detail.clone())
            }
            AppError::Duplicate {
                code,
                detail,
                existing,
            } => Problem {
                existing: Some(existing.clone()),
                ..Problem::new(StatusCode::CONFLICT, code, "資料已存在", detail.clone())
            },
            AppError::TooLarge { detail } => Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "檔案過大",
                detail.clone(),
            ),
            AppError::UnsupportedMediaType { detail } => Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "不支援的檔案類型",
                detail.clone(),
            ),
            AppError::FileRejected { code, detail } => Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                code,
                "檔案未通過安全檢查",
                detail.clone(),
            ),
            AppError::RateLimited { retry_after_secs } => Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                "嘗試次數過多",
                format!("請於 {retry_after_secs} 秒後再試。"),
            ),
            AppError::Busy { retry_after_secs } => Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "server_busy",
                "系統忙碌中",
                format!("目前使用人數眾多，請於 {retry_after_secs} 秒後再試。"),
            ),
            AppError::Internal(_) => Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "伺服器發生錯誤",
                "伺服器發生未預期的錯誤，請稍後再試；若持續發生請提供 x-request-id 給客服。",
            ),
            AppError::Storage(error) if error.is_rejected_text() => Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid_text",
                "輸入資料有誤",
                "有欄位的文字過長或含有無法儲存的字元，請修正後再試一次。",
            ),
            AppError::Storage(_) => Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "service_unavailable",
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
        ..Problem::new(
            StatusCode::BAD_REQUEST,
            "validation_failed",
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
