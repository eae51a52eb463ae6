//! After the course: attendance and the roster, amendments, teachers' records and transcripts,
//! the dashboards, and the feedback questionnaire.

use inservice_wire::{
    AmendmentDecision, AmendmentDto, AmendmentList, AmendmentRequestDto, AttendanceEntryDto,
    AttendanceInput, AttendanceSheetDto, ConfirmResultDto, CoursePageDto, DashboardDto,
    FeedbackAnswerDto, FeedbackFormDto, FeedbackSummaryDto, PaperCountsDto, QueuePage,
    ReasonRequest, RecordsDto, RosterDto, RosterResultDto, TranscriptDto, WalkInRequest,
};

use super::client::public_get;
use super::{ApiError, Client, segment};

pub async fn sheet(client: &Client, code: i32) -> Result<AttendanceSheetDto, ApiError> {
    client
        .get(&format!("/courses/{code}/attendance"))
        .fetch()
        .await
}

pub async fn save(
    client: &Client,
    code: i32,
    entries: Vec<AttendanceEntryDto>,
) -> Result<AttendanceSheetDto, ApiError> {
    client
        .put(&format!("/courses/{code}/attendance"))
        .json(&AttendanceInput { entries })
        .fetch()
        .await
}

pub async fn walk_in(
    client: &Client,
    code: i32,
    login: String,
) -> Result<AttendanceSheetDto, ApiError> {
    client
        .post(&format!("/courses/{code}/attendance/walk-ins"))
        .json(&WalkInRequest { login })
        .fetch()
        .await
}

pub async fn upload_sign_in(
    client: &Client,
    code: i32,
    data: Vec<u8>,
) -> Result<AttendanceSheetDto, ApiError> {
    client
        .post(&format!("/courses/{code}/attendance/sign-in-sheet"))
        .bytes(data, crate::files::XLSX)
        .fetch()
        .await
}

pub async fn submit(client: &Client, code: i32) -> Result<RosterResultDto, ApiError> {
    client
        .post(&format!("/courses/{code}/roster/submit"))
        .fetch()
        .await
}

pub async fn confirm(client: &Client, code: i32) -> Result<ConfirmResultDto, ApiError> {
    client
        .post(&format!("/courses/{code}/roster/confirm"))
        .fetch()
        .await
}

pub async fn send_back(client: &Client, code: i32, reason: String) -> Result<RosterDto, ApiError> {
    client
        .post(&format!("/courses/{code}/roster/return"))
        .json(&ReasonRequest { reason })
        .fetch()
        .await
}

pub async fn roster_queue(client: &Client, page: u64) -> Result<CoursePageDto, ApiError> {
    let query = QueuePage {
        page: Some(page.to_string()),
        per_page: Some("50".to_owned()),
    };
    client.get("/review/rosters").query_of(&query).fetch().await
}

pub async fn request_amendment(
    client: &Client,
    code: i32,
    reason: String,
    entries: Vec<AttendanceEntryDto>,
) -> Result<AmendmentDto, ApiError> {
    client
        .post(&format!("/courses/{code}/amendments"))
        .json(&AmendmentRequestDto { reason, entries })
        .fetch()
        .await
}

pub async fn course_amendments(client: &Client, code: i32) -> Result<AmendmentList, ApiError> {
    client
        .get(&format!("/courses/{code}/amendments"))
        .fetch()
        .await
}

pub async fn pending_amendments(client: &Client) -> Result<AmendmentList, ApiError> {
    client.get("/review/amendments").fetch().await
}

pub async fn decide_amendment(
    client: &Client,
    id: i32,
    approve: bool,
    reason: String,
) -> Result<AmendmentDto, ApiError> {
    let reason = Some(reason).filter(|r| !r.trim().is_empty());
    client
        .post(&format!("/amendments/{id}/decision"))
        .json(&AmendmentDecision { approve, reason })
        .fetch()
        .await
}

pub async fn my_records(client: &Client) -> Result<RecordsDto, ApiError> {
    client.get("/me/records").fetch().await
}

pub async fn records_workbook(client: &Client) -> Result<Vec<u8>, ApiError> {
    client.get("/me/records.xlsx").download().await
}

pub async fn issue_transcript(client: &Client) -> Result<TranscriptDto, ApiError> {
    client.post("/me/transcripts").fetch().await
}

/// Public: anyone may verify a code.
pub async fn transcript(code: &str) -> Result<TranscriptDto, ApiError> {
    public_get(&format!("/transcripts/{}", segment(code)))
        .fetch()
        .await
}

pub async fn unit_dashboard(client: &Client, unit: &str) -> Result<DashboardDto, ApiError> {
    client
        .get(&format!("/units/{}/dashboard", segment(unit)))
        .fetch()
        .await
}

pub async fn region_dashboard(client: &Client) -> Result<DashboardDto, ApiError> {
    client.get("/review/dashboard").fetch().await
}

pub async fn feedback_form(client: &Client, code: i32) -> Result<FeedbackFormDto, ApiError> {
    client
        .get(&format!("/courses/{code}/feedback"))
        .fetch()
        .await
}

pub async fn answer_feedback(
    client: &Client,
    code: i32,
    answers: Vec<u8>,
) -> Result<FeedbackFormDto, ApiError> {
    client
        .post(&format!("/courses/{code}/feedback"))
        .json(&FeedbackAnswerDto { answers })
        .fetch()
        .await
}

pub async fn feedback_summary(client: &Client, code: i32) -> Result<FeedbackSummaryDto, ApiError> {
    client
        .get(&format!("/courses/{code}/feedback/summary"))
        .fetch()
        .await
}

pub async fn feedback_workbook(client: &Client, code: i32) -> Result<Vec<u8>, ApiError> {
    client
        .get(&format!("/courses/{code}/feedback/summary.xlsx"))
        .download()
        .await
}

pub async fn set_paper(
    client: &Client,
    code: i32,
    counts: Vec<Vec<u32>>,
) -> Result<FeedbackSummaryDto, ApiError> {
    client
        .put(&format!("/courses/{code}/feedback/paper"))
        .json(&PaperCountsDto { counts })
        .fetch()
        .await
}
