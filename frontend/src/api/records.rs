//! After the course: attendance and the roster, amendments, teachers' records and transcripts,
//! the dashboards, and the feedback questionnaire.

use gloo_net::http::Request;
use serde::{Deserialize, Serialize};

use super::accounts::{answer, bearer, send_json};
use super::courses::{CourseSession, CourseSummary};
use super::{ApiError, BASE, List, Page, bytes, send};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Missed {
    #[serde(default)]
    pub unexcused_minutes: u32,
    #[serde(default)]
    pub leave_minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AttendanceLine {
    pub account_id: i64,
    #[serde(default)]
    pub enrollment_id: Option<i64>,
    pub walk_in: bool,
    pub real_name: String,
    pub account_name: String,
    #[serde(default)]
    pub unit_name: Option<String>,
    #[serde(default)]
    pub job_title: Option<String>,
    pub mark: String,
    pub mark_label: String,
    pub sessions: Vec<Missed>,
    pub hours: f64,
    pub saved: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RosterFlag {
    pub teacher: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Roster {
    pub state: String,
    pub due_date: String,
    #[serde(default)]
    pub submitted_at: Option<String>,
    pub late: bool,
    #[serde(default)]
    pub returned_at: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    pub flags: Vec<RosterFlag>,
    #[serde(default)]
    pub closed_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Sheet {
    pub course_code: i64,
    pub sessions: Vec<CourseSession>,
    pub lines: Vec<AttendanceLine>,
    pub total_hours: f64,
    pub roster: Roster,
    pub editable: bool,
}

/// One line as the organiser sends it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub account_id: i64,
    pub mark: String,
    pub sessions: Vec<Missed>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RosterResult {
    pub state: String,
    pub confirmed: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Confirmed {
    pub records: u64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AmendmentLine {
    pub account_id: i64,
    pub real_name: String,
    pub mark: String,
    pub hours: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Amendment {
    pub id: i64,
    pub course_code: i64,
    pub reason: String,
    pub status: String,
    pub requested_at: String,
    #[serde(default)]
    pub decided_at: Option<String>,
    #[serde(default)]
    pub decision_reason: Option<String>,
    pub before: Vec<AmendmentLine>,
    pub after: Vec<AmendmentLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub course_code: i64,
    pub course_name: String,
    pub unit_name: String,
    pub start_date: String,
    pub end_date: String,
    pub hours: f64,
    pub category: String,
    pub category_label: String,
    pub tags: Vec<String>,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Total {
    pub key: String,
    pub label: String,
    pub hours: f64,
    pub records: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Records {
    pub items: Vec<Record>,
    pub total_hours: f64,
    pub by_year: Vec<Total>,
    pub by_category: Vec<Total>,
    pub by_tag: Vec<Total>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Transcript {
    pub code: String,
    pub verify_url: String,
    pub issued_at: String,
    pub holder_name: String,
    #[serde(default)]
    pub personal_number: Option<String>,
    pub records: Records,
    pub sha256: String,
    pub intact: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct LightCounts {
    pub green: u64,
    pub yellow: u64,
    pub red: u64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PendingCourse {
    pub course_code: i64,
    pub name: String,
    pub unit_code: String,
    pub unit_name: String,
    pub end_date: String,
    pub pending: String,
    pub pending_label: String,
    pub since: String,
    pub light: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct UnitLights {
    pub unit_code: String,
    pub unit_name: String,
    pub counts: LightCounts,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Dashboard {
    pub counts: LightCounts,
    pub courses: Vec<PendingCourse>,
    pub units: Vec<UnitLights>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FeedbackForm {
    pub questions: Vec<String>,
    pub answered: bool,
    pub can_answer: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct QuestionSummary {
    pub number: u32,
    pub question: String,
    pub total: u32,
    pub count: u32,
    pub average: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaperCounts {
    pub counts: Vec<Vec<u32>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FeedbackSummary {
    pub course_code: i64,
    pub course_name: String,
    pub unit_name: String,
    pub hours: f64,
    pub start_date: String,
    pub end_date: String,
    pub questions: Vec<QuestionSummary>,
    pub total: u32,
    pub average: f64,
    pub respondents: u32,
    pub paper: PaperCounts,
}

#[derive(Serialize)]
struct Reason {
    reason: String,
}

pub async fn sheet(token: String, code: i64) -> Result<Sheet, ApiError> {
    let url = format!("{BASE}/courses/{code}/attendance");
    answer(send(bearer(Request::get(&url), &token)).await?).await
}

pub async fn save(token: String, code: i64, entries: Vec<Entry>) -> Result<Sheet, ApiError> {
    #[derive(Serialize)]
    struct Body {
        entries: Vec<Entry>,
    }
    let url = format!("{BASE}/courses/{code}/attendance");
    answer(send_json(bearer(Request::put(&url), &token), &Body { entries }).await?).await
}

pub async fn walk_in(token: String, code: i64, login: String) -> Result<Sheet, ApiError> {
    #[derive(Serialize)]
    struct Body {
        login: String,
    }
    let url = format!("{BASE}/courses/{code}/attendance/walk-ins");
    answer(send_json(bearer(Request::post(&url), &token), &Body { login }).await?).await
}

pub async fn upload_sign_in(token: String, code: i64, data: Vec<u8>) -> Result<Sheet, ApiError> {
    let url = format!("{BASE}/courses/{code}/attendance/sign-in-sheet");
    let request = bearer(Request::post(&url), &token)
        .header("Content-Type", crate::files::XLSX)
        .header("Accept", "application/json, application/problem+json")
        .body(js_sys::Uint8Array::from(data.as_slice()))
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    answer(response).await
}

pub async fn submit(token: String, code: i64) -> Result<RosterResult, ApiError> {
    let url = format!("{BASE}/courses/{code}/roster/submit");
    answer(send(bearer(Request::post(&url), &token)).await?).await
}

pub async fn confirm(token: String, code: i64) -> Result<Confirmed, ApiError> {
    let url = format!("{BASE}/courses/{code}/roster/confirm");
    answer(send(bearer(Request::post(&url), &token)).await?).await
}

pub async fn send_back(token: String, code: i64, reason: String) -> Result<Roster, ApiError> {
    let url = format!("{BASE}/courses/{code}/roster/return");
    answer(send_json(bearer(Request::post(&url), &token), &Reason { reason }).await?).await
}

pub async fn roster_queue(token: String, page: u64) -> Result<Page<CourseSummary>, ApiError> {
    let url = format!("{BASE}/review/rosters");
    let pairs = [("page", page.to_string()), ("per_page", "50".to_owned())];
    answer(send(bearer(Request::get(&url).query(pairs), &token)).await?).await
}

pub async fn request_amendment(
    token: String,
    code: i64,
    reason: String,
    entries: Vec<Entry>,
) -> Result<Amendment, ApiError> {
    #[derive(Serialize)]
    struct Body {
        reason: String,
        entries: Vec<Entry>,
    }
    let url = format!("{BASE}/courses/{code}/amendments");
    answer(
        send_json(
            bearer(Request::post(&url), &token),
            &Body { reason, entries },
        )
        .await?,
    )
    .await
}

pub async fn course_amendments(token: String, code: i64) -> Result<List<Amendment>, ApiError> {
    let url = format!("{BASE}/courses/{code}/amendments");
    answer(send(bearer(Request::get(&url), &token)).await?).await
}

pub async fn pending_amendments(token: String) -> Result<List<Amendment>, ApiError> {
    let url = format!("{BASE}/review/amendments");
    answer(send(bearer(Request::get(&url), &token)).await?).await
}

pub async fn decide_amendment(
    token: String,
    id: i64,
    approve: bool,
    reason: String,
) -> Result<Amendment, ApiError> {
    #[derive(Serialize)]
    struct Body {
        approve: bool,
        reason: Option<String>,
    }
    let reason = Some(reason).filter(|r| !r.trim().is_empty());
    let url = format!("{BASE}/amendments/{id}/decision");
    answer(
        send_json(
            bearer(Request::post(&url), &token),
            &Body { approve, reason },
        )
        .await?,
    )
    .await
}

pub async fn my_records(token: String) -> Result<Records, ApiError> {
    answer(send(bearer(Request::get(&format!("{BASE}/me/records")), &token)).await?).await
}

pub async fn records_workbook(token: String) -> Result<Vec<u8>, ApiError> {
    bytes(
        send(bearer(
            Request::get(&format!("{BASE}/me/records.xlsx")),
            &token,
        ))
        .await?,
    )
    .await
}

pub async fn issue_transcript(token: String) -> Result<Transcript, ApiError> {
    answer(
        send(bearer(
            Request::post(&format!("{BASE}/me/transcripts")),
            &token,
        ))
        .await?,
    )
    .await
}

/// Public: anyone may verify a code.
pub async fn transcript(code: String) -> Result<Transcript, ApiError> {
    let url = format!("{BASE}/transcripts/{}", super::units::segment(&code));
    answer(send(Request::get(&url)).await?).await
}

pub async fn unit_dashboard(token: String, unit: String) -> Result<Dashboard, ApiError> {
    let url = format!("{BASE}/units/{}/dashboard", super::units::segment(&unit));
    answer(send(bearer(Request::get(&url), &token)).await?).await
}

pub async fn region_dashboard(token: String) -> Result<Dashboard, ApiError> {
    answer(
        send(bearer(
            Request::get(&format!("{BASE}/review/dashboard")),
            &token,
        ))
        .await?,
    )
    .await
}

pub async fn feedback_form(token: String, code: i64) -> Result<FeedbackForm, ApiError> {
    let url = format!("{BASE}/courses/{code}/feedback");
    answer(send(bearer(Request::get(&url), &token)).await?).await
}

pub async fn answer_feedback(
    token: String,
    code: i64,
    answers: Vec<u8>,
) -> Result<FeedbackForm, ApiError> {
    #[derive(Serialize)]
    struct Body {
        answers: Vec<u8>,
    }
    let url = format!("{BASE}/courses/{code}/feedback");
    answer(send_json(bearer(Request::post(&url), &token), &Body { answers }).await?).await
}

pub async fn feedback_summary(token: String, code: i64) -> Result<FeedbackSummary, ApiError> {
    let url = format!("{BASE}/courses/{code}/feedback/summary");
    answer(send(bearer(Request::get(&url), &token)).await?).await
}

pub async fn feedback_workbook(token: String, code: i64) -> Result<Vec<u8>, ApiError> {
    let url = format!("{BASE}/courses/{code}/feedback/summary.xlsx");
    bytes(send(bearer(Request::get(&url), &token)).await?).await
}

pub async fn set_paper(
    token: String,
    code: i64,
    counts: Vec<Vec<u32>>,
) -> Result<FeedbackSummary, ApiError> {
    let url = format!("{BASE}/courses/{code}/feedback/paper");
    answer(send_json(bearer(Request::put(&url), &token), &PaperCounts { counts }).await?).await
}
