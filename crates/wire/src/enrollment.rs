//! Wire types of enrollments: a teacher's enrollments, an organiser's participant list, and
//! the changes organisers make to a course's enrollments.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{CourseSessionDto, CourseSummaryDto, FlagDto};

/// Enrolling in a course.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct EnrollRequest {
    /// When the course is full, join its waiting list instead of being refused (409
    /// `course_full`).
    pub join_waiting_list: bool,
}

/// A teacher's enrollment with its course and calendar links.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EnrollmentDto {
    /// Enrollment id.
    pub id: i32,
    /// `pending` (holds a place until the organiser accepts), `enrolled`, `waiting`, `applied`
    /// (lottery), `withdrawn`, `declined`, `course_cancelled`.
    pub status: String,
    /// The status in Traditional Chinese.
    pub status_label: String,
    /// Place on the waiting list (1 = next in line), while waiting.
    pub position: Option<u64>,
    /// Warnings given when enrolling: `overlap`, `other_stage`, `other_title`.
    pub warnings: Vec<FlagDto>,
    /// The organiser's reason, or why the course was cancelled.
    pub reason: Option<String>,
    /// When the teacher enrolled.
    pub created_at: DateTime<FixedOffset>,
    /// Whether the teacher may still withdraw.
    pub can_withdraw: bool,
    /// The course.
    pub course: CourseSummaryDto,
    /// One-tap "add to Google Calendar" link.
    pub google_calendar_url: String,
    /// The course's sessions as an iCalendar file.
    pub ics_url: String,
    /// QR code (SVG) of the course page.
    pub qr_url: String,
}

/// One page of a teacher's enrollments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EnrollmentPageDto {
    /// The enrollments.
    pub items: Vec<EnrollmentDto>,
    /// How many in the group.
    pub total: u64,
    /// Page number, from 1.
    pub page: u64,
    /// Page size.
    pub per_page: u64,
}

/// An enrollment on the organiser's list, with the teacher's contact data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ParticipantDto {
    /// Enrollment id (報名編號).
    pub id: i32,
    /// Status code (see `EnrollmentDto.status`).
    pub status: String,
    /// Status in Traditional Chinese.
    pub status_label: String,
    /// Place on the waiting list, while waiting.
    pub position: Option<u64>,
    /// Real name.
    pub real_name: String,
    /// Account name.
    pub account_name: String,
    /// Identity number, masked.
    pub identity_masked: String,
    /// 教師個人專用識別號碼.
    pub personal_number: Option<String>,
    /// Serving unit when enrolling.
    pub unit_name: Option<String>,
    /// Job title when enrolling.
    pub job_title: Option<String>,
    /// E-mail.
    pub email: String,
    /// Telephone.
    pub phone: Option<String>,
    /// Warnings the teacher was given.
    pub warnings: Vec<FlagDto>,
    /// The organiser's reason (declined, promoted by hand) or the cancellation reason.
    pub reason: Option<String>,
    /// When the teacher enrolled.
    pub created_at: DateTime<FixedOffset>,
}

/// How many enrollments are in each status.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EnrollmentCounts {
    /// Enrolled.
    pub enrolled: u64,
    /// Waiting for the organiser's acceptance.
    pub pending: u64,
    /// On the waiting list.
    pub waiting: u64,
    /// Lottery applications not yet drawn.
    pub applied: u64,
    /// Withdrawn by the teacher.
    pub withdrawn: u64,
    /// Declined by the organiser.
    pub declined: u64,
    /// Ended by the course's cancellation.
    pub course_cancelled: u64,
}

/// One page of a course's enrollments, with the counts of every status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ParticipantPageDto {
    /// The enrollments, in the order they came (the waiting list in its order).
    pub items: Vec<ParticipantDto>,
    /// Matching enrollments.
    pub total: u64,
    /// Page number, from 1.
    pub page: u64,
    /// Page size.
    pub per_page: u64,
    /// Counts by status over the whole course.
    pub counts: EnrollmentCounts,
    /// Places in all.
    pub capacity: u32,
    /// Places taken (enrolled and pending).
    pub taken: u32,
}

/// A reason the affected teachers read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct ReasonRequest {
    /// The reason (required, up to 500 characters).
    pub reason: String,
}

/// Moving a course to new dates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct PostponeRequest {
    /// Why (every enrolled and waiting teacher reads it).
    pub reason: String,
    /// The new sessions.
    pub sessions: Vec<CourseSessionDto>,
    /// A new registration start (`YYYY-MM-DDTHH:MM`); unchanged when absent.
    pub registration_opens_at: Option<String>,
    /// A new registration end; unchanged when absent (it must not be after the first session).
    pub registration_closes_at: Option<String>,
}

/// What a change to enrollments did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ChangeCountDto {
    /// How many enrollments changed, or how many teachers were notified.
    pub count: u64,
}

/// The outcome of a lottery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DrawResultDto {
    /// Teachers given a place.
    pub placed: u64,
    /// Teachers on the waiting list, in draw order.
    pub waiting: u64,
    /// The seed of the draw (recorded in the course's history).
    pub seed: String,
}

/// A notice the platform queued about a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NotificationDto {
    /// The teacher.
    pub real_name: Option<String>,
    /// The address it went to.
    pub to: String,
    /// What it said: `enrolled`, `waiting`, `promoted`, `cancelled`, `postponed`, ….
    pub kind: String,
    /// `queued`, `retry`, `sent` or `failed`.
    pub status: String,
    /// When it was queued (the moment of the change).
    pub created_at: DateTime<FixedOffset>,
    /// When it was delivered.
    pub sent_at: Option<DateTime<FixedOffset>>,
}

/// Every notice about a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NotificationList {
    /// Oldest first.
    pub items: Vec<NotificationDto>,
    /// How many.
    pub total: u64,
}

/// A teacher's private calendar feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CalendarFeedDto {
    /// Whether a feed address exists.
    pub active: bool,
    /// When the current address was made.
    pub created_at: Option<DateTime<FixedOffset>>,
    /// The secret address: only in the answer that made it (keep it private; make a new one
    /// to revoke it).
    pub url: Option<String>,
}
