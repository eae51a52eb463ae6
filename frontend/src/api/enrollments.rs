//! Enrollments: enrolling and withdrawing, the teacher's own list and calendar feed, and the
//! organiser's list, decisions, exports, cancellation, postponement and lottery.

use gloo_net::http::Request;
use serde::{Deserialize, Serialize};

use super::accounts::{answer, bearer, done, send_json};
use super::courses::{CourseSession, CourseSummary, Flag};
use super::{ApiError, BASE, List, Page, bytes, send};

/// A teacher's enrollment with its course.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Enrollment {
    pub id: i64,
    pub status: String,
    pub status_label: String,
    #[serde(default)]
    pub position: Option<u64>,
    #[serde(default)]
    pub warnings: Vec<Flag>,
    #[serde(default)]
    pub reason: Option<String>,
    pub created_at: String,
    pub can_withdraw: bool,
    pub course: CourseSummary,
    pub google_calendar_url: String,
    pub ics_url: String,
    pub qr_url: String,
}

/// An enrollment on the organiser's list.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Participant {
    pub id: i64,
    pub status: String,
    pub status_label: String,
    #[serde(default)]
    pub position: Option<u64>,
    pub real_name: String,
    pub account_name: String,
    #[serde(default)]
    pub unit_name: Option<String>,
    #[serde(default)]
    pub job_title: Option<String>,
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub warnings: Vec<Flag>,
    #[serde(default)]
    pub reason: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Counts {
    pub enrolled: u64,
    pub pending: u64,
    pub waiting: u64,
    pub applied: u64,
    pub withdrawn: u64,
    pub declined: u64,
    pub course_cancelled: u64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ParticipantPage {
    pub items: Vec<Participant>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub counts: Counts,
    pub capacity: u32,
    pub taken: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Notification {
    #[serde(default)]
    pub real_name: Option<String>,
    pub to: String,
    pub kind: String,
    pub status: String,
    pub created_at: String,
    #[serde(default)]
    pub sent_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CalendarFeed {
    pub active: bool,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DrawResult {
    pub placed: u64,
    pub waiting: u64,
    pub seed: String,
}

#[derive(Serialize)]
struct Reason {
    reason: String,
}

const PER_PAGE: u64 = 20;

pub async fn enroll(
    token: String,
    code: i64,
    join_waiting_list: bool,
) -> Result<Enrollment, ApiError> {
    #[derive(Serialize)]
    struct Body {
        join_waiting_list: bool,
    }
    let url = format!("{BASE}/courses/{code}/enrollments");
    let body = Body { join_waiting_list };
    answer(send_json(bearer(Request::post(&url), &token), &body).await?).await
}

pub async fn withdraw(token: String, id: i64) -> Result<Enrollment, ApiError> {
    let url = format!("{BASE}/enrollments/{id}/withdraw");
    answer(send(bearer(Request::post(&url), &token)).await?).await
}

/// `upcoming`, `waiting`, `past` or `cancelled`.
pub async fn mine(token: String, group: String, page: u64) -> Result<Page<Enrollment>, ApiError> {
    let pairs = [
        ("group", group),
        ("page", page.to_string()),
        ("per_page", PER_PAGE.to_string()),
    ];
    let url = format!("{BASE}/me/enrollments");
    answer(send(bearer(Request::get(&url).query(pairs), &token)).await?).await
}

pub async fn feed(token: String) -> Result<CalendarFeed, ApiError> {
    answer(
        send(bearer(
            Request::get(&format!("{BASE}/me/calendar-feed")),
            &token,
        ))
        .await?,
    )
    .await
}

pub async fn make_feed(token: String) -> Result<CalendarFeed, ApiError> {
    answer(
        send(bearer(
            Request::post(&format!("{BASE}/me/calendar-feed")),
            &token,
        ))
        .await?,
    )
    .await
}

pub async fn revoke_feed(token: String) -> Result<(), ApiError> {
    done(
        send(bearer(
            Request::delete(&format!("{BASE}/me/calendar-feed")),
            &token,
        ))
        .await?,
    )
    .await
}

pub async fn participants(
    token: String,
    code: i64,
    status: String,
    page: u64,
) -> Result<ParticipantPage, ApiError> {
    let mut pairs = vec![("page", page.to_string()), ("per_page", "50".to_owned())];
    if !status.is_empty() {
        pairs.push(("status", status));
    }
    let url = format!("{BASE}/courses/{code}/enrollments");
    answer(send(bearer(Request::get(&url).query(pairs), &token)).await?).await
}

/// `accept`, `decline` or `promote` one enrollment (a reason for the last two).
pub async fn decide(
    token: String,
    code: i64,
    id: i64,
    action: &'static str,
    reason: String,
) -> Result<(), ApiError> {
    let url = format!("{BASE}/courses/{code}/enrollments/{id}/{action}");
    done(send_json(bearer(Request::post(&url), &token), &Reason { reason }).await?).await
}

pub async fn accept_all(token: String, code: i64) -> Result<(), ApiError> {
    let url = format!("{BASE}/courses/{code}/enrollments/accept-all");
    done(send(bearer(Request::post(&url), &token)).await?).await
}

pub async fn export(token: String, code: i64, kind: &'static str) -> Result<Vec<u8>, ApiError> {
    let url = format!("{BASE}/courses/{code}/enrollments.xlsx");
    bytes(send(bearer(Request::get(&url).query([("kind", kind)]), &token)).await?).await
}

pub async fn cancel(token: String, code: i64, reason: String) -> Result<(), ApiError> {
    let url = format!("{BASE}/courses/{code}/cancel");
    done(send_json(bearer(Request::post(&url), &token), &Reason { reason }).await?).await
}

pub async fn postpone(
    token: String,
    code: i64,
    reason: String,
    sessions: Vec<CourseSession>,
) -> Result<(), ApiError> {
    #[derive(Serialize)]
    struct Body {
        reason: String,
        sessions: Vec<CourseSession>,
    }
    let url = format!("{BASE}/courses/{code}/postpone");
    done(
        send_json(
            bearer(Request::post(&url), &token),
            &Body { reason, sessions },
        )
        .await?,
    )
    .await
}

pub async fn draw(token: String, code: i64) -> Result<DrawResult, ApiError> {
    let url = format!("{BASE}/courses/{code}/draw");
    answer(send(bearer(Request::post(&url), &token)).await?).await
}

pub async fn notifications(token: String, code: i64) -> Result<List<Notification>, ApiError> {
    let url = format!("{BASE}/courses/{code}/notifications");
    answer(send(bearer(Request::get(&url), &token)).await?).await
}
