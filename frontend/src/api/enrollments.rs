//! Enrollments: enrolling and withdrawing, the teacher's own list and calendar feed, and the
//! organiser's list, decisions, exports, cancellation, postponement and lottery.

use inservice_wire::{
    CalendarFeedDto, CourseSessionDto, DrawResultDto, EnrollRequest, EnrollmentDto,
    EnrollmentPageDto, ExportQuery, MyEnrollmentsQuery, NotificationList, ParticipantPageDto,
    ParticipantQuery, PostponeRequest, ReasonRequest,
};

use super::{ApiError, Client};

const PER_PAGE: u64 = 20;

pub async fn enroll(
    client: &Client,
    code: i32,
    join_waiting_list: bool,
) -> Result<EnrollmentDto, ApiError> {
    client
        .post(&format!("/courses/{code}/enrollments"))
        .json(&EnrollRequest { join_waiting_list })
        .fetch()
        .await
}

pub async fn withdraw(client: &Client, id: i32) -> Result<EnrollmentDto, ApiError> {
    client
        .post(&format!("/enrollments/{id}/withdraw"))
        .fetch()
        .await
}

/// `upcoming`, `waiting`, `past` or `cancelled`.
pub async fn mine(client: &Client, group: &str, page: u64) -> Result<EnrollmentPageDto, ApiError> {
    let query = MyEnrollmentsQuery {
        group: Some(group.to_owned()),
        page: Some(page.to_string()),
        per_page: Some(PER_PAGE.to_string()),
    };
    client.get("/me/enrollments").query_of(&query).fetch().await
}

pub async fn feed(client: &Client) -> Result<CalendarFeedDto, ApiError> {
    client.get("/me/calendar-feed").fetch().await
}

pub async fn make_feed(client: &Client) -> Result<CalendarFeedDto, ApiError> {
    client.post("/me/calendar-feed").fetch().await
}

pub async fn revoke_feed(client: &Client) -> Result<(), ApiError> {
    client.delete("/me/calendar-feed").done().await
}

pub async fn participants(
    client: &Client,
    code: i32,
    status: &str,
    page: u64,
) -> Result<ParticipantPageDto, ApiError> {
    let query = ParticipantQuery {
        status: (!status.is_empty()).then(|| status.to_owned()),
        page: Some(page.to_string()),
        per_page: Some("50".to_owned()),
    };
    client
        .get(&format!("/courses/{code}/enrollments"))
        .query_of(&query)
        .fetch()
        .await
}

/// `accept`, `decline` or `promote` one enrollment (a reason for the last two).
pub async fn decide(
    client: &Client,
    code: i32,
    id: i32,
    action: &'static str,
    reason: String,
) -> Result<(), ApiError> {
    client
        .post(&format!("/courses/{code}/enrollments/{id}/{action}"))
        .json(&ReasonRequest { reason })
        .done()
        .await
}

pub async fn accept_all(client: &Client, code: i32) -> Result<(), ApiError> {
    client
        .post(&format!("/courses/{code}/enrollments/accept-all"))
        .done()
        .await
}

pub async fn export(client: &Client, code: i32, kind: &'static str) -> Result<Vec<u8>, ApiError> {
    client
        .get(&format!("/courses/{code}/enrollments.xlsx"))
        .query_of(&ExportQuery {
            kind: Some(kind.to_owned()),
        })
        .download()
        .await
}

pub async fn cancel(client: &Client, code: i32, reason: String) -> Result<(), ApiError> {
    client
        .post(&format!("/courses/{code}/cancel"))
        .json(&ReasonRequest { reason })
        .done()
        .await
}

/// New sessions; the registration window stays as it is.
pub async fn postpone(
    client: &Client,
    code: i32,
    reason: String,
    sessions: Vec<CourseSessionDto>,
) -> Result<(), ApiError> {
    let body = PostponeRequest {
        reason,
        sessions,
        registration_opens_at: None,
        registration_closes_at: None,
    };
    client
        .post(&format!("/courses/{code}/postpone"))
        .json(&body)
        .done()
        .await
}

pub async fn draw(client: &Client, code: i32) -> Result<DrawResultDto, ApiError> {
    client.post(&format!("/courses/{code}/draw")).fetch().await
}

pub async fn notifications(client: &Client, code: i32) -> Result<NotificationList, ApiError> {
    client
        .get(&format!("/courses/{code}/notifications"))
        .fetch()
        .await
}
