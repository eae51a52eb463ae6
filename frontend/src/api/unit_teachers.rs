//! A unit's teacher accounts: list, Excel export, entry by identity number, transfer out, and the
//! teachers' requests to join.

use inservice_wire::{TeacherEntry, TeacherQuery, UnitTeacherDto, UnitTeacherPage};

use super::{ApiError, Client, segment};

/// How an entry went: a new account (201), or an existing teacher joined (200).
#[derive(Debug, Clone, PartialEq)]
pub enum Entered {
    Created(UnitTeacherDto),
    Joined(UnitTeacherDto),
}

fn base(code: &str) -> String {
    format!("/units/{}", segment(code))
}

pub async fn teachers(
    client: &Client,
    code: &str,
    q: &str,
    page: u64,
    per_page: u64,
) -> Result<UnitTeacherPage, ApiError> {
    let query = TeacherQuery {
        q: (!q.is_empty()).then(|| q.to_owned()),
        page: Some(page.to_string()),
        per_page: Some(per_page.to_string()),
    };
    client
        .get(&format!("{}/teachers", base(code)))
        .query_of(&query)
        .fetch()
        .await
}

/// The teachers as an Excel workbook's bytes.
pub async fn export(client: &Client, code: &str) -> Result<Vec<u8>, ApiError> {
    client
        .get(&format!("{}/teachers.xlsx", base(code)))
        .accept("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/problem+json")
        .download()
        .await
}

pub async fn enter(client: &Client, code: &str, entry: &TeacherEntry) -> Result<Entered, ApiError> {
    let (created, teacher) = client
        .post(&format!("{}/teachers", base(code)))
        .json(entry)
        .fetch_created()
        .await?;
    Ok(if created {
        Entered::Created(teacher)
    } else {
        Entered::Joined(teacher)
    })
}

pub async fn transfer_out(
    client: &Client,
    code: &str,
    id: i32,
) -> Result<UnitTeacherDto, ApiError> {
    client
        .post(&format!("{}/teachers/{id}/transfer-out", base(code)))
        .fetch()
        .await
}

pub async fn requests(client: &Client, code: &str) -> Result<UnitTeacherPage, ApiError> {
    client
        .get(&format!("{}/teacher-requests", base(code)))
        .fetch()
        .await
}

/// Accepts (`true`) or declines a teacher's request to join.
pub async fn decide_request(
    client: &Client,
    code: &str,
    id: i32,
    accept: bool,
) -> Result<UnitTeacherDto, ApiError> {
    let verb = if accept { "accept" } else { "decline" };
    client
        .post(&format!("{}/teacher-requests/{id}/{verb}", base(code)))
        .fetch()
        .await
}
