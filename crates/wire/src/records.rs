//! Wire types after the course: attendance, the roster, amendments, teachers' records and
//! transcripts, the dashboards' lights, and the feedback questionnaire.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{CodeLabel, CourseSessionDto};

/// What a teacher missed of one session, in minutes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct MissedDto {
    /// Late, early leave or away without leave (counts toward the one-third rule).
    pub unexcused_minutes: u32,
    /// Approved leave (earns nothing for that time, but does not void the course).
    pub leave_minutes: u32,
}

/// One teacher's attendance as the organiser records it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct AttendanceEntryDto {
    /// The teacher's account id (from the attendance sheet).
    pub account_id: i32,
    /// `attended` (出席), `leave` (請假, the whole course) or `absent` (缺席).
    pub mark: String,
    /// Per session, in order; empty means every session in full.
    pub sessions: Vec<MissedDto>,
}

/// A batch of attendance lines.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct AttendanceInput {
    /// The lines to save; lines not sent stay as they are.
    pub entries: Vec<AttendanceEntryDto>,
}

/// One line of the attendance sheet, with the hours it earns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AttendanceLineDto {
    /// Account id.
    pub account_id: i32,
    /// Enrollment id, unless a walk-in.
    pub enrollment_id: Option<i32>,
    /// Came without enrolling.
    pub walk_in: bool,
    /// Real name.
    pub real_name: String,
    /// Account name.
    pub account_name: String,
    /// Serving unit.
    pub unit_name: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// `attended`, `leave` or `absent`.
    pub mark: String,
    /// The mark in Traditional Chinese.
    pub mark_label: String,
    /// Per session (empty: every session in full).
    pub sessions: Vec<MissedDto>,
    /// Hours earned by the Art. 10 rules.
    pub hours: f64,
    /// Whether the organiser saved this line (otherwise: present in full by default).
    pub saved: bool,
}

/// A cap of Art. 10-2 a teacher would pass, for the reviewer's special approval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RosterFlagDto {
    /// The teacher.
    pub teacher: String,
    /// What is over the cap.
    pub message: String,
}

/// Where the roster stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RosterDto {
    /// The course's state (`approved`, `roster_submitted`, `closed`, …).
    pub state: String,
    /// Due date (a week after the last day, Art. 12-2).
    pub due_date: NaiveDate,
    /// When it was submitted.
    pub submitted_at: Option<DateTime<FixedOffset>>,
    /// Submitted after the due date.
    pub late: bool,
    /// When the reviewer returned it.
    pub returned_at: Option<DateTime<FixedOffset>>,
    /// Why it was returned.
    pub reason: Option<String>,
    /// Caps passed (6 hours a day, 35 a week) with the teacher's confirmed records.
    pub flags: Vec<RosterFlagDto>,
    /// When the course was closed (結案).
    pub closed_at: Option<DateTime<FixedOffset>>,
}

/// A course's attendance sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AttendanceSheetDto {
    /// 課程代碼.
    pub course_code: i32,
    /// The sessions, in order (the columns of `sessions` in each line).
    pub sessions: Vec<CourseSessionDto>,
    /// Every enrolled teacher and walk-in.
    pub lines: Vec<AttendanceLineDto>,
    /// Hours earned in all.
    pub total_hours: f64,
    /// The roster.
    pub roster: RosterDto,
    /// Whether attendance can still be changed (before submission, or after a return).
    pub editable: bool,
}

/// A teacher who came without enrolling.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct WalkInRequest {
    /// Account name, e-mail, identity number or personal number (教師個人專用識別號碼).
    pub login: String,
}

/// What submitting a roster did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RosterResultDto {
    /// `roster_submitted`, or `closed` when the regional centre confirms automatically.
    pub state: String,
    /// Confirmed at once (records written).
    pub confirmed: bool,
}

/// What confirming a roster did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ConfirmResultDto {
    /// Training records written.
    pub records: u64,
}

/// A request to change a closed course's attendance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct AmendmentRequestDto {
    /// Why (the regional centre reads it).
    pub reason: String,
    /// The lines as they should be.
    pub entries: Vec<AttendanceEntryDto>,
}

/// One line of an amendment, before or after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AmendmentLineDto {
    /// Account id.
    pub account_id: i32,
    /// Real name.
    pub real_name: String,
    /// `attended`, `leave` or `absent`.
    pub mark: String,
    /// Hours.
    pub hours: f64,
}

/// An amendment request (修改已結案課程內容申請).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AmendmentDto {
    /// Request id.
    pub id: i32,
    /// 課程代碼.
    pub course_code: i32,
    /// Why.
    pub reason: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    /// When it was filed.
    pub requested_at: DateTime<FixedOffset>,
    /// When it was decided.
    pub decided_at: Option<DateTime<FixedOffset>>,
    /// The regional centre's reason.
    pub decision_reason: Option<String>,
    /// The lines before.
    pub before: Vec<AmendmentLineDto>,
    /// The lines after.
    pub after: Vec<AmendmentLineDto>,
}

/// Amendment requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AmendmentList {
    /// The requests.
    pub items: Vec<AmendmentDto>,
    /// How many.
    pub total: u64,
}

/// A regional centre's decision on an amendment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct AmendmentDecision {
    /// Approve (apply it) or reject.
    pub approve: bool,
    /// Why (required to reject).
    pub reason: Option<String>,
}

/// A confirmed training record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RecordDto {
    /// 課程代碼: our course; absent for a record a partner sent.
    pub course_code: Option<i32>,
    /// The partner's own course id, for a record a partner sent.
    #[serde(default)]
    pub partner_course_id: Option<String>,
    /// Course name.
    pub course_name: String,
    /// Offering unit.
    pub unit_name: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day.
    pub end_date: NaiveDate,
    /// Hours.
    pub hours: f64,
    /// Category (進修範疇).
    pub category: String,
    /// Category name.
    pub category_label: String,
    /// Attribute tags.
    pub tags: Vec<String>,
    /// `online` (this platform) or the partner it came from.
    pub source: String,
    /// `counted`; or, not in the totals yet, `awaiting_county` (a back-end county has not
    /// confirmed the month), `suspected_duplicate` (the same course from another source, counted
    /// there until a reviewer decides) or `duplicate`.
    #[serde(default = "counted")]
    #[schema(required = true)]
    pub standing: String,
}

fn counted() -> String {
    "counted".to_owned()
}

/// A total of hours under a key (a year, a category, a tag).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TotalDto {
    /// The key: the year, the category code or the tag.
    pub key: String,
    /// What it is called.
    pub label: String,
    /// Hours.
    pub hours: f64,
    /// Records counted.
    pub records: u64,
}

/// A teacher's training records with their totals (no personal data).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RecordsDto {
    /// Every confirmed record, latest first, with those that do not count yet.
    pub items: Vec<RecordDto>,
    /// Hours in all (records that count).
    pub total_hours: f64,
    /// Hours by year of the course's last day.
    pub by_year: Vec<TotalDto>,
    /// Hours by category.
    pub by_category: Vec<TotalDto>,
    /// Hours by attribute tag.
    pub by_tag: Vec<TotalDto>,
}

/// An issued transcript (研習時數證明): what it said when issued, and how to check it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TranscriptDto {
    /// Verification code (驗證碼).
    pub code: String,
    /// Where anyone can check it.
    pub verify_url: String,
    /// When it was issued.
    pub issued_at: DateTime<FixedOffset>,
    /// The holder's name.
    pub holder_name: String,
    /// The holder's personal number (教師個人專用識別號碼).
    pub personal_number: Option<String>,
    /// The records as issued.
    pub records: RecordsDto,
    /// SHA-256 of the issued content: the same code always shows the same content.
    pub sha256: String,
    /// The stored content still hashes to `sha256` (false means it was altered).
    pub intact: bool,
}

/// An unclosed course and its light.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PendingCourseDto {
    /// 課程代碼.
    pub course_code: i32,
    /// Name.
    pub name: String,
    /// The offering unit's code.
    pub unit_code: String,
    /// Its name.
    pub unit_name: String,
    /// Last day.
    pub end_date: NaiveDate,
    /// `roster_missing`, `awaiting_confirmation` or `returned`.
    pub pending: String,
    /// In Traditional Chinese.
    pub pending_label: String,
    /// Waiting since.
    pub since: NaiveDate,
    /// `green`, `yellow` or `red`.
    pub light: String,
}

/// How many courses show each light.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LightCounts {
    /// Within the deadline.
    pub green: u64,
    /// Due or just late.
    pub yellow: u64,
    /// Long overdue.
    pub red: u64,
}

/// One unit's lights on a regional centre's dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UnitLightsDto {
    /// Unit code.
    pub unit_code: String,
    /// Unit name.
    pub unit_name: String,
    /// Its courses by light.
    pub counts: LightCounts,
}

/// 燈號: unclosed courses by light.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DashboardDto {
    /// Courses by light in all.
    pub counts: LightCounts,
    /// The courses, worst first.
    pub courses: Vec<PendingCourseDto>,
    /// For a regional centre: each unit's counts, worst first.
    pub units: Vec<UnitLightsDto>,
}

/// The questionnaire of a course for a teacher.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FeedbackFormDto {
    /// The nine questions.
    pub questions: Vec<String>,
    /// The teacher answered already.
    pub answered: bool,
    /// The teacher may answer now (an attendee of an ended course, online questionnaire).
    pub can_answer: bool,
}

/// A teacher's answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct FeedbackAnswerDto {
    /// Nine scores, 1 (lowest) to 5 (highest), in question order.
    pub answers: Vec<u8>,
}

/// Paper questionnaires as counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct PaperCountsDto {
    /// For each of the nine questions, how many sheets gave 1, 2, 3, 4 and 5.
    pub counts: Vec<Vec<u32>>,
}

/// One question of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct QuestionSummaryDto {
    /// 1 to 9.
    pub number: usize,
    /// The question.
    pub question: String,
    /// 合計(分).
    pub total: u32,
    /// 填表人數(人).
    pub count: u32,
    /// 平均(分), two decimals.
    pub average: f64,
}

/// 學員回饋問卷調查表統計, as the seed's report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FeedbackSummaryDto {
    /// 課程代碼.
    pub course_code: i32,
    /// Course name.
    pub course_name: String,
    /// Offering unit.
    pub unit_name: String,
    /// 課程類型.
    pub class_type: CodeLabel,
    /// 時數.
    pub hours: f64,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day.
    pub end_date: NaiveDate,
    /// The nine questions.
    pub questions: Vec<QuestionSummaryDto>,
    /// 總計(分).
    pub total: u32,
    /// 總平均(分).
    pub average: f64,
    /// Sheets counted (online and paper).
    pub respondents: u32,
    /// The paper counts entered.
    pub paper: PaperCountsDto,
}
