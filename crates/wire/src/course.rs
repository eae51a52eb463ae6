//! Wire types of a course: the registration form as sent, and a course as shown.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One session: a continuous block of class on one day (Taiwan time).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct CourseSessionDto {
    /// Date, `YYYY-MM-DD`.
    #[schema(example = "2026-12-19")]
    pub date: String,
    /// Start time, `HH:MM` (24-hour clock).
    #[schema(example = "09:00")]
    pub starts_at: String,
    /// End time, `HH:MM`, after the start.
    #[schema(example = "12:00")]
    pub ends_at: String,
}

/// A contact person (承辦人).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct ContactDto {
    /// Name.
    #[schema(example = "王承辦")]
    pub name: String,
    /// Telephone, e.g. `02-2345-6789#123`.
    #[schema(example = "02-2345-6789")]
    pub phone: String,
    /// E-mail address.
    #[schema(example = "office@school.example.tw")]
    pub email: String,
}

/// The 26-field course registration form (研習課程登錄表). Codes are those of
/// `GET /course-form/options`; a missing or wrong field is reported by name in `errors[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct CourseFormDto {
    /// The version of the course that was edited (from `review.version`); when given and the
    /// course changed since, the update is refused with 409 `course_changed`.
    pub version: Option<i32>,
    /// Field 1, 班別類別: `1-1` to `1-8`.
    #[schema(example = "1-1")]
    pub class_type: String,
    /// Credits, for credit and degree classes (`1-5` to `1-8`) only; 1 credit = 18 hours.
    pub credits: Option<u32>,
    /// Field 2, 辦理性質: `2-1` self-run or `2-2` commissioned.
    #[schema(example = "2-1")]
    pub nature: String,
    /// Field 2, 依據文號: the authority's approval number (required when commissioned).
    pub document_number: Option<String>,
    /// Field 3, 研習名稱 (up to 100 characters; series sessions must differ).
    #[schema(example = "素養導向理化實驗設計工作坊")]
    pub name: String,
    /// Field 3, 屬性標籤: up to 3 active tag ids (`GET /tags`).
    pub tag_ids: Vec<i32>,
    /// Field 4, 教育階段-領域-科目: a code of `GET /subject-areas`; it decides the taxonomy stage.
    #[schema(example = "J0402")]
    pub subject_area: String,
    /// Field 5, 進修範疇: `1` to `6`.
    #[schema(example = "1")]
    pub category: String,
    /// Field 6, 課程細項: 1 to 10 codes from the taxonomy of the stage and category (none for
    /// category 6).
    pub items: Vec<String>,
    /// Field 7, 進修階層: 1 to 4.
    #[schema(example = 2)]
    pub level: Option<u8>,
    /// Field 8, 師資: the instructor's name(s).
    pub instructor_name: String,
    /// Field 8, the instructor's kind: `8-1` to `8-3`.
    pub instructor_kind: String,
    /// Field 9, 課程大綱 (up to 4000 characters).
    pub outline: String,
    /// Field 11, 實施方式: one or more `11-x` codes.
    pub modes: Vec<String>,
    /// What `11-99` 其他 means.
    pub mode_other: Option<String>,
    /// For digital courses (`11-6`): the remote-teaching software codes (`GET /course-form/options`).
    pub remote_software: Vec<String>,
    /// What software `other` is.
    pub remote_software_other: Option<String>,
    /// Field 12, 課程時段: one or more `12-x` codes.
    pub time_slots: Vec<String>,
    /// Field 13, 研習時數, in 0.5-hour steps (for credit classes: credits × 18, may be omitted).
    #[schema(example = 6.0)]
    pub hours: Option<f64>,
    /// Field 14, 參加對象教育階段別: one or more `14-x` codes.
    pub target_stages: Vec<String>,
    /// Field 15, 參加對象職稱別: one or more `15-x` codes.
    pub target_titles: Vec<String>,
    /// What `15-99` 其他 means.
    pub target_title_other: Option<String>,
    /// Field 16, 報名開始: `YYYY-MM-DDTHH:MM` in Taiwan time (or RFC 3339 with an offset).
    #[schema(example = "2026-12-01T09:00")]
    pub registration_opens_at: String,
    /// Field 17, 報名截止: after the start, and no later than the first session.
    #[schema(example = "2026-12-10T17:00")]
    pub registration_closes_at: String,
    /// Fields 18–20: the sessions in order (course start and end dates follow from them).
    pub sessions: Vec<CourseSessionDto>,
    /// Field 20, 地點.
    pub venue: String,
    /// Field 20, 課程表及注意事項 (optional).
    pub schedule_note: Option<String>,
    /// Field 21, 經費來源: `21-x` codes (`21-12` 無接受補助 alone).
    pub funding_sources: Vec<String>,
    /// Subsidy amount in NT$, when funded (Art. 8-6).
    pub subsidy_amount: Option<u32>,
    /// Field 22, 學員繳費情形: `22-1` to `22-4`.
    pub fee_kind: String,
    /// Fee or deposit in NT$ (required unless `22-3` 無繳費).
    pub fee_amount: Option<u32>,
    /// Field 23, 辦理班數: 1 to 50.
    pub classes: Option<u32>,
    /// Field 24, 每班人數: 1 to 2000. Places = classes × places per class.
    pub places_per_class: Option<u32>,
    /// Field 25, 承辦人: one or two.
    pub contacts: Vec<ContactDto>,
    /// Field 26, 課程意見回饋問卷: `26-1` online or `26-2` paper.
    pub feedback: String,
    /// How places are given: `first_come` (default) or `lottery` (applications during the
    /// window, a seeded draw when it closes).
    pub allocation: String,
    /// Enrollments wait for the organiser's acceptance.
    pub review_enrollments: bool,
}

/// A code with its zh-TW label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CodeLabel {
    /// The code.
    pub code: String,
    /// Its label in Traditional Chinese.
    pub label: String,
}

/// The unit that offers a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CourseUnitDto {
    /// Unit code.
    pub code: String,
    /// Unit name.
    pub name: String,
    /// County code, when the unit has one.
    pub county_code: Option<String>,
    /// County name, e.g. `臺北市`.
    pub county_name: Option<String>,
}

/// A tag on a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CourseTagDto {
    /// Tag id.
    pub id: i32,
    /// Tag name.
    pub name: String,
}

/// A point for the reviewer's attention; none blocks approval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FlagDto {
    /// `routine_business`, `meeting`, `student_activity`, `leisure`, `religion`, `visit`,
    /// `non_teaching` (Art. 9), `late_registration` (Art. 12-2) or `long_day` (Art. 10-2).
    pub code: String,
    /// What the reviewer reads.
    pub message: String,
}

/// An attachment of a course (研習附件).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AttachmentDto {
    /// Attachment id.
    pub id: i32,
    /// File name as uploaded.
    pub file_name: String,
    /// Media type.
    pub content_type: String,
    /// Size in bytes.
    pub size: u32,
    /// SHA-256 of the content (hex), to verify a download.
    pub sha256: String,
    /// Where to download it.
    pub url: String,
    /// When it was uploaded.
    pub uploaded_at: DateTime<FixedOffset>,
}

/// One step of a course's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CourseEventDto {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// `created`, `edited`, `submitted`, `auto_approved`, `approved`, `returned`, `rejected`,
    /// `attachment_added`, `attachment_removed`.
    pub event: String,
    /// State before.
    pub from_state: String,
    /// State after.
    pub to_state: String,
    /// Who (real name), when a person did it.
    pub actor_name: Option<String>,
    /// The unit they acted for.
    pub actor_unit_code: Option<String>,
    /// The reason or note given.
    pub reason: Option<String>,
}

/// The review side of a course: shown only to its organisers and its reviewers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CourseReviewDto {
    /// The stored state (`draft`, `submitted`, `approved`, `returned`, `rejected`, …).
    pub state: String,
    /// The unit that reviews it (Art. 11).
    pub reviewer_code: String,
    /// Its name.
    pub reviewer_name: String,
    /// Approved automatically (the reviewer's switch was on and the course qualified).
    pub auto_approved: bool,
    /// Points for the reviewer's attention.
    pub flags: Vec<FlagDto>,
    /// The reason given with the last decision.
    pub decision_reason: Option<String>,
    /// When it was last submitted.
    pub submitted_at: Option<DateTime<FixedOffset>>,
    /// When it was last decided.
    pub decided_at: Option<DateTime<FixedOffset>>,
    /// Send this back with an edit to detect concurrent changes.
    pub version: i32,
    /// The history, oldest first.
    pub history: Vec<CourseEventDto>,
}

/// A course with every public field of its form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CourseDto {
    /// 課程代碼: the public course number.
    #[schema(example = 1024)]
    pub code: i32,
    /// The offering unit.
    pub unit: CourseUnitDto,
    /// The first course of its series, when it is one session of a series.
    pub series_id: Option<i32>,
    /// State today: `draft`, `submitted`, `approved`, `returned`, `rejected`, `running`,
    /// `ended`, `roster_submitted`, `roster_confirmed`, `closed` or `cancelled`.
    pub state: String,
    /// The state in Traditional Chinese.
    pub state_label: String,
    /// `unavailable`, `not_yet_open`, `open`, `closed` or `cancelled`.
    pub registration_status: String,
    /// The registration status in Traditional Chinese.
    pub registration_status_label: String,
    /// Field 1, class type.
    pub class_type: CodeLabel,
    /// Credits of a credit or degree class.
    pub credits: Option<u32>,
    /// Field 2, nature.
    pub nature: CodeLabel,
    /// Field 2, the authorising document number.
    pub document_number: Option<String>,
    /// Field 3, name.
    pub name: String,
    /// Field 3, attribute tags.
    pub tags: Vec<CourseTagDto>,
    /// Field 4, stage–domain–subject.
    pub subject_area: CodeLabel,
    /// The taxonomy stage (`kindergarten`, `elementary`, `junior_high`, `senior_high`).
    pub stage: CodeLabel,
    /// Field 5, category.
    pub category: CodeLabel,
    /// Field 6, detail items.
    pub items: Vec<CodeLabel>,
    /// Field 7, level (1–4).
    pub level: CodeLabel,
    /// Field 8, instructor.
    pub instructor_name: String,
    /// Field 8, instructor kind.
    pub instructor_kind: CodeLabel,
    /// Field 9, outline.
    pub outline: String,
    /// Field 11, modes.
    pub modes: Vec<CodeLabel>,
    /// What 其他 means.
    pub mode_other: Option<String>,
    /// Remote-teaching software of a digital course.
    pub remote_software: Vec<CodeLabel>,
    /// What other software.
    pub remote_software_other: Option<String>,
    /// Whether the course is (also) digital.
    pub is_digital: bool,
    /// Field 12, time slots.
    pub time_slots: Vec<CodeLabel>,
    /// Field 13, hours.
    #[schema(example = 6.0)]
    pub hours: f64,
    /// Field 14, target stages.
    pub target_stages: Vec<CodeLabel>,
    /// Field 15, target job titles.
    pub target_titles: Vec<CodeLabel>,
    /// What other title.
    pub target_title_other: Option<String>,
    /// Field 16, registration opens (Taiwan time).
    pub registration_opens_at: DateTime<FixedOffset>,
    /// Field 17, registration closes.
    pub registration_closes_at: DateTime<FixedOffset>,
    /// Field 18, first day.
    pub start_date: NaiveDate,
    /// Field 19, last day.
    pub end_date: NaiveDate,
    /// Field 20, sessions.
    pub sessions: Vec<CourseSessionDto>,
    /// Field 20, place.
    pub venue: String,
    /// Field 20, timetable and notes.
    pub schedule_note: Option<String>,
    /// Field 21, funding.
    pub funding_sources: Vec<CodeLabel>,
    /// Subsidy amount (NT$).
    pub subsidy_amount: Option<u32>,
    /// Field 22, fees.
    pub fee_kind: CodeLabel,
    /// Fee or deposit (NT$).
    pub fee_amount: Option<u32>,
    /// Field 23, classes.
    pub classes: u32,
    /// Field 24, places per class.
    pub places_per_class: u32,
    /// Places in all (classes × places per class).
    pub capacity: u32,
    /// Places taken.
    pub enrolled: u32,
    /// Places left.
    pub places_left: u32,
    /// Field 25, contacts.
    pub contacts: Vec<ContactDto>,
    /// Field 26, feedback questionnaire.
    pub feedback: CodeLabel,
    /// Field 10, attachments.
    pub attachments: Vec<AttachmentDto>,
    /// How places are given: `first_come` or `lottery`.
    pub allocation: CodeLabel,
    /// Enrollments wait for the organiser's acceptance.
    pub review_enrollments: bool,
    /// Why the course was cancelled.
    pub cancel_reason: Option<String>,
    /// When the lottery was drawn, for lottery courses.
    pub lottery_drawn_at: Option<DateTime<FixedOffset>>,
    /// The seed of the draw, so anyone can re-run it.
    pub lottery_seed: Option<String>,
    /// One-tap "add to Google Calendar" link.
    pub google_calendar_url: String,
    /// The course's sessions as an iCalendar file.
    pub ics_url: String,
    /// A QR code (SVG) of the course page.
    pub qr_url: String,
    /// The signed-in teacher's enrollment in this course, if any.
    pub my_enrollment: Option<MyEnrollmentDto>,
    /// What the caller may do now: `edit`, `submit`, `copy`, `delete`, `review`, `favourite`,
    /// `enroll`, `withdraw`, `manage_enrollments`, `cancel`, `postpone`, `draw`; after the
    /// course `attendance`, `confirm_roster`, `amend`, `feedback_summary` and, for an enrolled
    /// teacher of an ended course with the online questionnaire, `feedback`.
    pub actions: Vec<String>,
    /// For a signed-in teacher: whether it is among their favourites.
    pub favourite: Option<bool>,
    /// Review state and history, for the course's organisers and reviewers only.
    pub review: Option<CourseReviewDto>,
}

/// A course in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CourseSummaryDto {
    /// 課程代碼.
    pub code: i32,
    /// Name.
    pub name: String,
    /// Offering unit.
    pub unit: CourseUnitDto,
    /// State today (see `CourseDto.state`).
    pub state: String,
    /// The state in Traditional Chinese.
    pub state_label: String,
    /// Registration status (see `CourseDto.registration_status`).
    pub registration_status: String,
    /// The registration status in Traditional Chinese.
    pub registration_status_label: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day.
    pub end_date: NaiveDate,
    /// Hours.
    pub hours: f64,
    /// Taxonomy stage.
    pub stage: CodeLabel,
    /// Category.
    pub category: CodeLabel,
    /// Level.
    pub level: u8,
    /// Tags.
    pub tags: Vec<CourseTagDto>,
    /// Whether the course is (also) digital.
    pub is_digital: bool,
    /// Place.
    pub venue: String,
    /// Registration opens.
    pub registration_opens_at: DateTime<FixedOffset>,
    /// Registration closes.
    pub registration_closes_at: DateTime<FixedOffset>,
    /// Places in all.
    pub capacity: u32,
    /// Places left.
    pub places_left: u32,
    /// Reviewer flags: in the organiser's and reviewer's lists only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flags: Option<Vec<FlagDto>>,
    /// When it was submitted: in the organiser's and reviewer's lists only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<DateTime<FixedOffset>>,
}

/// One page of courses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CoursePageDto {
    /// The courses of this page.
    pub items: Vec<CourseSummaryDto>,
    /// Matching courses in all.
    pub total: u64,
    /// This page's number, from 1.
    pub page: u64,
    /// Page size.
    pub per_page: u64,
}

/// A reviewer's decision note: required to return or reject, optional to approve.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct DecisionBody {
    /// Why (shown to the organiser).
    pub reason: Option<String>,
}

/// A teacher's own enrollment, as the course page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MyEnrollmentDto {
    /// Enrollment id.
    pub id: i32,
    /// `pending`, `enrolled`, `waiting`, `applied`, `withdrawn`, `declined`, `course_cancelled`.
    pub status: String,
    /// The status in Traditional Chinese.
    pub status_label: String,
    /// Place on the waiting list (1 = next), while waiting.
    pub position: Option<u64>,
    /// What the teacher was told when enrolling (overlaps, other audiences).
    pub warnings: Vec<FlagDto>,
    /// The organiser's reason, or the course's cancellation reason.
    pub reason: Option<String>,
    /// When the teacher enrolled.
    pub created_at: DateTime<FixedOffset>,
    /// Whether the teacher may still withdraw (before the course starts).
    pub can_withdraw: bool,
}
