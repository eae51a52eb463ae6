//! The typed client of the API (`/api/v1`), same origin, JSON in snake_case: the reference
//! data here, the rest in submodules (accounts, business accounts, units, a unit's teachers,
//! courses, enrollments, records, administration, the partner exchange). Every request and
//! response is a type of `inservice-wire`, the crate the server answers with; [`client`] sends
//! them.

pub mod accounts;
pub mod admin;
pub mod business;
pub mod client;
pub mod courses;
pub mod enrollments;
pub mod exchange;
pub mod records;
pub mod unit_teachers;
pub mod units;

use std::fmt;

use inservice_wire::{
    CountyList, Health, LevelList, Problem, ProblemFieldError, TagList, TagsQuery, TaxonomyDto,
    TaxonomyQuery,
};

pub use client::Client;
use client::{decode, problem, public_get};

const BASE: &str = "/api/v1";

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
    pub fn field_errors(&self) -> &[ProblemFieldError] {
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

/// A path segment: codes are letters, digits and `-`, but never trust that blindly.
pub(crate) fn segment(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}

/// The server's health; a 503 still carries the health document, so it is no error here.
pub async fn health() -> Result<Health, ApiError> {
    let response = public_get("/health").raw().await?;
    match response.status() {
        200 | 503 => decode(response).await,
        _ => Err(problem(response).await),
    }
}

pub async fn counties() -> Result<CountyList, ApiError> {
    public_get("/counties").fetch().await
}

pub async fn taxonomy(stage: &str) -> Result<TaxonomyDto, ApiError> {
    public_get("/taxonomy")
        .query_of(&TaxonomyQuery {
            stage: Some(stage.to_owned()),
        })
        .fetch()
        .await
}

pub async fn levels() -> Result<LevelList, ApiError> {
    public_get("/levels").fetch().await
}

pub async fn tags(status: TagStatus) -> Result<TagList, ApiError> {
    public_get("/tags")
        .query_of(&TagsQuery {
            status: Some(status.as_str().to_owned()),
        })
        .fetch()
        .await
}
