//! Units: the public search, one unit, and what the national centre and a unit's managers change.

use gloo_net::http::Request;
use serde::{Deserialize, Serialize};

use super::accounts::{answer, bearer, send_json};
use super::{ApiError, BASE, County, List, Page, get, send};

/// Unit kinds (`kind` → label), in the order of the reference list.
pub const UNIT_KINDS: [(&str, &str); 19] = [
    ("moe", "教育部"),
    ("national_centre", "全國推廣中心"),
    ("k12_administration", "教育部國民及學前教育署"),
    ("k12_division", "國教署業務組"),
    ("county_bureau", "縣市政府教育局(處)"),
    ("curriculum_task_force", "課程推動工作圈"),
    ("teacher_education_university", "師資培育之大學"),
    ("university", "大專校院"),
    ("senior_high", "高級中等學校"),
    ("vocational_high", "技術型高級中等學校"),
    ("junior_high", "國民中學"),
    ("elementary", "國民小學"),
    ("kindergarten", "幼兒園"),
    ("special_education_school", "特殊教育學校"),
    ("experimental_education", "非學校型態實驗教育機構"),
    ("social_education_or_legal_person", "社教機構與法人"),
    ("subject_centre", "高中課程學科中心"),
    ("teacher_training_centre", "教師研習中心"),
    ("local_agency", "地方政府機關"),
];

/// 公私立.
pub const OWNERSHIPS: [(&str, &str); 3] = [
    ("national", "國立"),
    ("local", "公立（縣市立）"),
    ("private", "私立"),
];

pub fn ownership_label(code: &str) -> &str {
    OWNERSHIPS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, label)| label)
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Unit {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub is_regional_centre: bool,
    #[serde(default)]
    pub county: Option<County>,
    #[serde(default)]
    pub parent_code: Option<String>,
    #[serde(default)]
    pub ownership: String,
    #[serde(default)]
    pub reviewer_code: String,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub successor_code: Option<String>,
    #[serde(default)]
    pub closed_on: Option<String>,
}

impl Unit {
    pub fn is_closed(&self) -> bool {
        self.status == "closed"
    }
}

/// The filter of `GET /units`; also the page's URL query, so empty fields are left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub county: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u32>,
}

/// A unit's facts, as created (with `code`) or edited (without).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UnitInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub name: String,
    pub kind: String,
    pub county_code: Option<String>,
    pub ownership: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UnitContact {
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// One change in a unit's history; `before` and `after` are JSON texts.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct UnitChange {
    pub at: String,
    #[serde(default)]
    pub actor_account_id: Option<i64>,
    pub change: String,
    #[serde(default)]
    pub before: String,
    #[serde(default)]
    pub after: String,
}

/// What a directory import did.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ImportReport {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub closed: Vec<String>,
    pub unchanged: u64,
}

pub async fn search(filter: &UnitFilter) -> Result<Page<Unit>, ApiError> {
    let numbers = [("page", filter.page), ("per_page", filter.per_page)];
    let params = [
        ("county", filter.county.clone()),
        ("kind", filter.kind.clone()),
        ("name", filter.name.clone()),
    ]
    .into_iter()
    .chain(numbers.map(|(k, v)| (k, v.map(|n| n.to_string()))))
    .filter_map(|(k, v)| v.map(|v| (k, v)));
    get(Request::get(&format!("{BASE}/units")).query(params)).await
}

/// A path segment: unit codes are letters, digits and `-`, but never trust that blindly.
pub(super) fn segment(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}

pub async fn unit(code: &str) -> Result<Unit, ApiError> {
    get(Request::get(&format!("{BASE}/units/{}", segment(code)))).await
}

pub async fn create(token: String, input: UnitInput) -> Result<Unit, ApiError> {
    let request = bearer(Request::post(&format!("{BASE}/units")), &token);
    answer(send_json(request, &input).await?).await
}

pub async fn update(token: String, code: String, input: UnitInput) -> Result<Unit, ApiError> {
    let url = format!("{BASE}/units/{}", segment(&code));
    let body = UnitInput {
        code: None,
        ..input
    };
    answer(send_json(bearer(Request::patch(&url), &token), &body).await?).await
}

pub async fn update_contact(
    token: String,
    code: String,
    contact: UnitContact,
) -> Result<Unit, ApiError> {
    let url = format!("{BASE}/units/{}/contact", segment(&code));
    answer(send_json(bearer(Request::patch(&url), &token), &contact).await?).await
}

/// Closes a unit, or merges it into `successor_code`.
pub async fn close(
    token: String,
    code: String,
    reason: String,
    successor_code: Option<String>,
) -> Result<Unit, ApiError> {
    #[derive(Serialize)]
    struct Closing {
        reason: String,
        successor_code: Option<String>,
    }
    let url = format!("{BASE}/units/{}/close", segment(&code));
    let body = Closing {
        reason,
        successor_code,
    };
    answer(send_json(bearer(Request::post(&url), &token), &body).await?).await
}

pub async fn set_reviewer(
    token: String,
    code: String,
    reviewer_code: String,
) -> Result<Unit, ApiError> {
    #[derive(Serialize)]
    struct Transfer {
        reviewer_code: String,
    }
    let url = format!("{BASE}/units/{}/reviewer", segment(&code));
    let body = Transfer { reviewer_code };
    answer(send_json(bearer(Request::post(&url), &token), &body).await?).await
}

pub async fn history(token: String, code: String) -> Result<List<UnitChange>, ApiError> {
    let url = format!("{BASE}/units/{}/history", segment(&code));
    answer(send(bearer(Request::get(&url), &token)).await?).await
}

/// The MIME type the import takes for a file name, by its extension.
pub fn import_type(file_name: &str) -> Option<&'static str> {
    let lower = file_name.to_lowercase();
    if lower.ends_with(".csv") {
        Some("text/csv")
    } else if lower.ends_with(".xlsx") {
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    } else {
        None
    }
}

/// Imports the school directory from a CSV or xlsx file's bytes.
pub async fn import(
    token: String,
    content_type: &'static str,
    file: Vec<u8>,
) -> Result<ImportReport, ApiError> {
    let body = js_sys::Uint8Array::from(file.as_slice());
    let request = bearer(Request::post(&format!("{BASE}/units/import")), &token)
        .header("Accept", "application/json, application/problem+json")
        .header("Content-Type", content_type)
        .body(body)
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    answer(response).await
}
