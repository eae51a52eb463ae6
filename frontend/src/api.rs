//! The typed client of the API (`/api/v1`), same origin, JSON in snake_case: the reference
//! data here, the rest in submodules (accounts, business accounts, units, a unit's teachers,
//! administration).
//!
//! Every call checks the HTTP status before parsing: a success body becomes the typed
//! response, an error status becomes [`ApiError::Problem`] from its RFC 9457 body.

pub mod accounts;
pub mod admin;
pub mod business;
pub mod courses;
pub mod enrollments;
pub mod records;
pub mod unit_teachers;
pub mod units;

use std::fmt;

use gloo_net::http::{Request, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;

pub use units::{Unit, UnitFilter};

const BASE: &str = "/api/v1";

/// `GET /health`: also answered (with 503) when the database is down.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Health {
    pub status: String,
    pub version: String,
    pub database: DatabaseHealth,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DatabaseHealth {
    pub status: String,
    pub engine: String,
    #[serde(default)]
    pub pending_migrations: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct County {
    pub code: String,
    pub name: String,
    pub name_en: String,
}

/// A complete list (`items` + `total`), as counties, levels and tags come.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct List<T> {
    pub items: Vec<T>,
    pub total: u64,
}

/// One page of a paginated list.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Taxonomy {
    pub stage: String,
    pub stage_label: String,
    pub item_count: u64,
    pub categories: Vec<Category>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Category {
    pub code: String,
    pub name: String,
    pub subcategories: Vec<Subcategory>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Subcategory {
    pub code: String,
    pub name: String,
    pub items: Vec<TaxonomyItem>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TaxonomyItem {
    pub code: String,
    pub name: String,
}

/// A course level (進修階層).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Level {
    pub code: u8,
    pub name: String,
    pub verbs: String,
    pub definition: String,
    pub verb_definitions: String,
    pub suggested_participants: String,
    pub example_course_code: String,
    pub example_course_name: String,
}

/// An attribute tag (屬性標籤).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Tag {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub definition: Option<String>,
    pub status: String,
    #[serde(default)]
    pub added_on: Option<String>,
    #[serde(default)]
    pub retired_on: Option<String>,
    #[serde(default)]
    pub definition_updated_on: Vec<String>,
    pub source: String,
}

/// Which tags `GET /tags` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagStatus {
    Active,
    Retired,
    All,
}

impl TagStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Retired => "retired",
            Self::All => "all",
        }
    }
}

/// An RFC 9457 problem document; fields the server might omit default to empty.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Problem {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub detail: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// Why a call failed; `Display` is the zh-TW sentence shown to the user.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server answered with an error status (4xx/5xx).
    Problem { status: u16, problem: Problem },
    /// The request never got an answer (offline, server down, blocked).
    Network(String),
    /// The answer was not the JSON this client expects.
    Decode(String),
}

impl ApiError {
    /// Per-field messages of a validation problem, empty otherwise.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Problem { problem, .. } => &problem.errors,
            _ => &[],
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Problem { status, problem } => {
                let title = if problem.title.is_empty() {
                    format!("伺服器回報錯誤（HTTP {status}）")
                } else {
                    problem.title.clone()
                };
                if problem.detail.is_empty() || problem.detail == title {
                    write!(f, "{title}")
                } else {
                    write!(f, "{title}：{}", problem.detail)
                }
            }
            Self::Network(_) => write!(f, "無法連線到伺服器，請確認網路連線後再試一次。"),
            Self::Decode(_) => write!(f, "伺服器回傳的資料無法解讀，請稍後再試。"),
        }
    }
}

async fn send(request: gloo_net::http::RequestBuilder) -> Result<Response, ApiError> {
    request
        .header("Accept", "application/json, application/problem+json")
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    response
        .json::<T>()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))
}

/// Turns an error status into a problem; a body that is no problem document
/// (a proxy's HTML page, say) still yields the status.
async fn problem(response: Response) -> ApiError {
    let status = response.status();
    let problem = response.json::<Problem>().await.unwrap_or_default();
    ApiError::Problem { status, problem }
}

async fn get<T: DeserializeOwned>(request: gloo_net::http::RequestBuilder) -> Result<T, ApiError> {
    let response = send(request).await?;
    if response.ok() {
        decode(response).await
    } else {
        Err(problem(response).await)
    }
}

/// The bytes of a file download (a workbook, a JSON copy), or the problem.
async fn bytes(response: Response) -> Result<Vec<u8>, ApiError> {
    if response.ok() {
        response
            .binary()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))
    } else {
        Err(problem(response).await)
    }
}

/// The server's health; a 503 still carries the health document, so it is no error here.
pub async fn health() -> Result<Health, ApiError> {
    let response = send(Request::get(&format!("{BASE}/health"))).await?;
    match response.status() {
        200 | 503 => decode(response).await,
        _ => Err(problem(response).await),
    }
}

pub async fn counties() -> Result<List<County>, ApiError> {
    get(Request::get(&format!("{BASE}/counties"))).await
}

pub async fn taxonomy(stage: &str) -> Result<Taxonomy, ApiError> {
    get(Request::get(&format!("{BASE}/taxonomy")).query([("stage", stage)])).await
}

pub async fn levels() -> Result<List<Level>, ApiError> {
    get(Request::get(&format!("{BASE}/levels"))).await
}

pub async fn tags(status: TagStatus) -> Result<List<Tag>, ApiError> {
    get(Request::get(&format!("{BASE}/tags")).query([("status", status.as_str())])).await
}
