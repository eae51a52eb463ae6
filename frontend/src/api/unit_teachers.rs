//! A unit's teacher accounts: list, Excel export, entry by identity number, transfer out, and the
//! teachers' requests to join.

use gloo_net::http::Request;
use serde::{Deserialize, Serialize};

use super::accounts::{JobTitle, answer, bearer, send_json};
use super::units::segment;
use super::{ApiError, BASE, Page, bytes, send};

/// A teacher as the unit's managers see them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct UnitTeacher {
    pub id: i64,
    pub account_name: String,
    pub real_name: String,
    pub identity_masked: String,
    #[serde(default)]
    pub personal_number: Option<String>,
    #[serde(default)]
    pub job_title: Option<JobTitle>,
    #[serde(default)]
    pub subjects: Vec<String>,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub unit_code: Option<String>,
    #[serde(default)]
    pub last_login_at: Option<String>,
}

/// 教師資料登錄.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeacherEntry {
    pub national_id: String,
    pub real_name: String,
    pub email: String,
    pub job_title: String,
}

/// How an entry went: a new account (201), or an existing teacher joined (200).
#[derive(Debug, Clone, PartialEq)]
pub enum Entered {
    Created(UnitTeacher),
    Joined(UnitTeacher),
}

fn base(code: &str) -> String {
    format!("{BASE}/units/{}", segment(code))
}

pub async fn teachers(
    token: String,
    code: String,
    q: String,
    page: u64,
    per_page: u64,
) -> Result<Page<UnitTeacher>, ApiError> {
    let page = page.to_string();
    let per_page = per_page.to_string();
    let mut params = vec![("page", page.as_str()), ("per_page", per_page.as_str())];
    if !q.is_empty() {
        params.push(("q", q.as_str()));
    }
    let request = Request::get(&format!("{}/teachers", base(&code))).query(params);
    answer(send(bearer(request, &token)).await?).await
}

/// The teachers as an Excel workbook's bytes.
pub async fn export(token: String, code: String) -> Result<Vec<u8>, ApiError> {
    let request = Request::get(&format!("{}/teachers.xlsx", base(&code)));
    let response = bearer(request, &token)
        .header(
            "Accept",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/problem+json",
        )
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    bytes(response).await
}

pub async fn enter(token: String, code: String, entry: TeacherEntry) -> Result<Entered, ApiError> {
    let request = bearer(Request::post(&format!("{}/teachers", base(&code))), &token);
    let response = send_json(request, &entry).await?;
    let created = response.status() == 201;
    let teacher = answer(response).await?;
    Ok(if created {
        Entered::Created(teacher)
    } else {
        Entered::Joined(teacher)
    })
}

pub async fn transfer_out(token: String, code: String, id: i64) -> Result<UnitTeacher, ApiError> {
    let url = format!("{}/teachers/{id}/transfer-out", base(&code));
    answer(send(bearer(Request::post(&url), &token)).await?).await
}

pub async fn requests(token: String, code: String) -> Result<Page<UnitTeacher>, ApiError> {
    let url = format!("{}/teacher-requests", base(&code));
    answer(send(bearer(Request::get(&url), &token)).await?).await
}

/// Accepts (`true`) or declines a teacher's request to join.
pub async fn decide_request(
    token: String,
    code: String,
    id: i64,
    accept: bool,
) -> Result<UnitTeacher, ApiError> {
    let verb = if accept { "accept" } else { "decline" };
    let url = format!("{}/teacher-requests/{id}/{verb}", base(&code));
    answer(send(bearer(Request::post(&url), &token)).await?).await
}
