//! Wire types of the partner exchange (資訊傳報): the partner registry and its API keys, the
//! exchange format's batches and their reports, retrieval by cursor, the back-end counties'
//! monthly confirmation, suspected duplicates across sources, and the preschool export.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A partner system as the national centre registers it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct PartnerInput {
    /// Short code, `[a-z0-9-]`, 2–32 characters; the `source` of its records. Fixed once created.
    #[schema(required = true)]
    pub code: String,
    /// Name (e.g. 臺北市教師研習系統).
    #[schema(required = true)]
    pub name: String,
    /// `county_system` (縣市系統) or `platform` (合作平臺).
    #[schema(required = true)]
    pub kind: String,
    /// The county it speaks for (a county system), e.g. `63000`.
    pub county_code: Option<String>,
    /// The unit it speaks for (a platform run by a unit).
    pub unit_code: Option<String>,
    /// Cooperation items: `sends_records`, `retrieves_records`, `base_data`, `roaming`.
    pub items: Vec<String>,
    /// Its records wait for its county's monthly confirmation before they count (a back-end
    /// county, Art. 11-6).
    pub needs_confirmation: bool,
    /// Addresses allowed to call, IPv4 or IPv6, single or CIDR, separated by new lines or commas.
    #[schema(required = true)]
    pub allow_list: String,
    /// Calls per minute before 429 (1–6000).
    #[schema(required = true)]
    pub rate_per_minute: u32,
    /// Contact person.
    #[schema(required = true)]
    pub contact_name: String,
    /// Contact e-mail (the yearly re-confirmation goes there).
    #[schema(required = true)]
    pub contact_email: String,
    /// Contact phone.
    #[schema(required = true)]
    pub contact_phone: String,
    /// Whether it may call at all.
    #[schema(required = true)]
    pub enabled: bool,
}

/// One API key of a partner. The key itself is shown only once, when issued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PartnerKeyDto {
    /// The key's id.
    pub id: i32,
    /// What the key is for (e.g. 正式機 2026).
    pub label: String,
    /// The key's first characters, to tell keys apart.
    pub prefix: String,
    /// When it was issued.
    pub created_at: DateTime<FixedOffset>,
    /// Set once revoked: the key is refused from then on (401).
    pub revoked_at: Option<DateTime<FixedOffset>>,
    /// When it was last used.
    pub last_used_at: Option<DateTime<FixedOffset>>,
    /// The address it was last used from.
    pub last_used_ip: Option<String>,
}

/// A registered partner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PartnerDto {
    /// The partner's id.
    pub id: i32,
    /// Its code: the `source` of its records.
    pub code: String,
    /// Its name.
    pub name: String,
    /// `county_system` or `platform`.
    pub kind: String,
    /// The kind in Chinese (縣市系統, 合作平臺).
    pub kind_label: String,
    /// The county it speaks for.
    pub county_code: Option<String>,
    /// The unit it speaks for.
    pub unit_code: Option<String>,
    /// Its cooperation items.
    pub items: Vec<String>,
    /// Its records wait for its county's monthly confirmation.
    pub needs_confirmation: bool,
    /// The allow-list, one canonical CIDR per entry.
    pub allow_list: Vec<String>,
    /// Calls per minute before 429.
    pub rate_per_minute: u32,
    /// Contact person.
    pub contact_name: String,
    /// Contact e-mail.
    pub contact_email: String,
    /// Contact phone.
    pub contact_phone: String,
    /// When the contacts were last re-confirmed.
    pub contact_confirmed_on: Option<NaiveDate>,
    /// When the next re-confirmation is due (a year after the last).
    pub contact_due_on: Option<NaiveDate>,
    /// `green`, `yellow` (due within 30 days) or `red` (overdue or never confirmed).
    pub contact_light: String,
    /// Whether it may call.
    pub enabled: bool,
    /// Its keys, newest first (never the keys themselves).
    pub keys: Vec<PartnerKeyDto>,
    /// When it was registered.
    pub created_at: DateTime<FixedOffset>,
}

/// Every registered partner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PartnerListDto {
    /// The partners, by code.
    pub items: Vec<PartnerDto>,
}

/// A key to issue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct NewKeyInput {
    /// What the key is for, 1–50 characters.
    #[schema(required = true)]
    pub label: String,
}

/// A newly issued key: `secret` is shown this once and stored only as a hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct IssuedKeyDto {
    /// The key as listed from now on.
    pub key: PartnerKeyDto,
    /// Send it as `Authorization: Bearer <secret>` (or `X-Api-Key`).
    pub secret: String,
}

/// A call refused before it reached the exchange: an address outside the allow-list, a
/// revoked or unknown key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DenialDto {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// The partner whose key was used, if known.
    pub partner_code: Option<String>,
    /// The calling address.
    pub ip: String,
    /// The path called.
    pub path: String,
    /// `address_not_allowed`, `key_revoked`, `key_unknown`, `partner_disabled`, `rate_limited`.
    pub reason: String,
}

/// The latest refused calls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DenialListDto {
    /// Newest first.
    pub items: Vec<DenialDto>,
}

/// One row of the exchange format, version 1: one attendance record with its course. Values
/// may be sent as strings or numbers; the same columns are the XML elements and the xlsx
/// header (the key or its Chinese label). See the README section 「資訊傳報格式」.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct ExchangeRowDto {
    /// The partner's own course id (課程代碼), 1–64 of `[A-Za-z0-9._:-]`.
    #[schema(required = true)]
    pub partner_course_id: String,
    /// 課程名稱, at most 100 characters.
    #[schema(required = true)]
    pub course_name: String,
    /// Our code of the organising unit, if it has one.
    pub organiser_code: Option<String>,
    /// 辦理單位名稱.
    #[schema(required = true)]
    pub organiser_name: String,
    /// `YYYY-MM-DD` (also `YYYY/MM/DD` and ROC dates such as `115/03/02`).
    #[schema(required = true)]
    pub start_date: String,
    /// The last day, as `start_date`.
    #[schema(required = true)]
    pub end_date: String,
    /// 研習類別 code, `1`–`6`.
    #[schema(required = true)]
    pub category: String,
    /// 教育階段: `kindergarten`, `elementary`, `junior_high`, `senior_high` (or the Chinese name).
    #[schema(required = true)]
    pub stage: String,
    /// 課程性質 code (or its Chinese name).
    #[schema(required = true)]
    pub class_type: String,
    /// Attribute tags by name, separated by `;` or `、`, at most 3.
    pub tags: Option<String>,
    /// The partner's own record id (紀錄代碼), unique per partner: it makes a batch idempotent.
    #[schema(required = true)]
    pub partner_record_id: String,
    /// 身分證統一編號 or 居留證統一證號.
    #[schema(required = true)]
    pub identity_number: String,
    /// 姓名.
    #[schema(required = true)]
    pub teacher_name: String,
    /// 研習時數, in steps of 0.5.
    #[schema(required = true, value_type = f64)]
    pub hours: serde_json::Value,
    /// The days attended, `;`-separated; the first day when absent.
    pub attended_on: Option<String>,
}

/// A batch in the exchange format (JSON): `format_version` `"1"` and its rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct ExchangeBatchDto {
    /// `"1"`.
    #[schema(required = true)]
    pub format_version: String,
    /// The rows, one per attendance record.
    #[schema(required = true)]
    pub rows: Vec<ExchangeRowDto>,
}

/// How a batch is sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BatchQuery {
    /// `true`: check and report what would happen, write nothing.
    #[param(value_type = Option<bool>)]
    pub dry_run: Option<String>,
    /// The partner a staff member uploads for (its code); a partner's own key needs none.
    pub partner: Option<String>,
    /// The file's name, for the log.
    pub name: Option<String>,
}

/// One problem of one row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RowProblemDto {
    /// The row's number: 1 for the first data row (a sheet's header is row 0).
    pub row: u64,
    /// The row's record id, when it could be read.
    pub partner_record_id: Option<String>,
    /// The column, or `row` for the row as a whole.
    pub field: String,
    /// Stable code of the problem.
    pub code: String,
    /// What is wrong (zh-TW).
    pub message: String,
}

/// What a batch did (or, as a dry run, would do).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BatchReportDto {
    /// The batch's id in the log.
    pub id: i32,
    /// The partner it was for.
    pub partner_code: Option<String>,
    /// `records`, `base_data` or `preschool_export`.
    pub kind: String,
    /// `json`, `xml` or `xlsx`.
    pub format: String,
    /// Whether it only checked.
    pub dry_run: bool,
    /// `dry_run`, `committed`, or `failed` (refused rows: nothing was written).
    pub status: String,
    /// Rows read.
    pub rows: u64,
    /// Records created.
    pub created: u64,
    /// Records corrected (the previous values kept).
    pub updated: u64,
    /// Rows that changed nothing (sent before).
    pub unchanged: u64,
    /// Rows for teachers not known yet: kept, matched when the teacher signs up.
    pub unmatched: u64,
    /// Rows refused.
    pub refused: u64,
    /// Records flagged as the same course from another source (counted once).
    pub duplicates: u64,
    /// Row problems, at most 1,000.
    pub problems: Vec<RowProblemDto>,
    /// More problems than listed.
    pub problems_truncated: bool,
    /// The file's name, if given.
    pub file_name: Option<String>,
    /// Who ran it: an account name, or `key:<prefix>`.
    pub run_by: Option<String>,
    /// When it started.
    pub started_at: DateTime<FixedOffset>,
    /// How long it took.
    pub duration_ms: u64,
}

/// Filters of the exchange log.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BatchLogQuery {
    /// One partner's batches (its code); the national centre sees all.
    pub partner: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<u64>)]
    pub page: Option<String>,
    /// Page size, 1 to 100.
    #[param(value_type = Option<u64>)]
    pub per_page: Option<String>,
}

/// A page of the exchange log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BatchLogDto {
    /// Batches, newest first.
    pub items: Vec<BatchReportDto>,
    /// Batches in all.
    pub total: u64,
    /// Per partner and month: committed batches over all batches.
    pub success: Vec<SuccessRateDto>,
}

/// A partner's success rate in a month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SuccessRateDto {
    /// The partner.
    pub partner_code: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Batches sent (dry runs aside).
    pub batches: u64,
    /// Of which committed.
    pub committed: u64,
}

/// Where a retrieval continues.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RetrievalQuery {
    /// The `next_cursor` of the previous page; absent for the beginning.
    pub cursor: Option<String>,
    /// Records per page, 1 to 5,000 (default 1,000).
    #[param(value_type = Option<u64>)]
    pub limit: Option<String>,
}

/// The teachers whose records a partner retrieves, by identity number.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct NamedRetrievalInput {
    /// 身分證統一編號 or 居留證統一證號, 1 to 1,000.
    #[schema(required = true)]
    pub identity_numbers: Vec<String>,
    /// The `next_cursor` of the previous page; absent for the beginning.
    pub cursor: Option<String>,
    /// Records per page, 1 to 5,000 (default 1,000).
    pub limit: Option<u32>,
}

/// A teacher's record as a partner retrieves it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RetrievedRecordDto {
    /// Our record id.
    pub record_id: i32,
    /// The teacher's identity number.
    pub identity_number: String,
    /// The teacher's name.
    pub teacher_name: String,
    /// Our course, for a record of a course held here.
    pub course_code: Option<i32>,
    /// The sending partner's own ids, for a record a partner sent.
    pub partner_course_id: Option<String>,
    /// The sending partner's record id.
    pub partner_record_id: Option<String>,
    /// 課程名稱.
    pub course_name: String,
    /// The organising unit's code (empty when unknown).
    pub organiser_code: String,
    /// The organising unit.
    pub organiser_name: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day.
    pub end_date: NaiveDate,
    /// 研習類別 code.
    pub category: String,
    /// 教育階段.
    pub stage: String,
    /// 課程性質 code.
    pub class_type: String,
    /// Attribute tags.
    pub tags: Vec<String>,
    /// Hours.
    pub hours: f64,
    /// `online` or the sending partner's code.
    pub source: String,
    /// `counted`, `awaiting_county`, `suspected_duplicate`, `duplicate` or `withdrawn`.
    pub standing: String,
    /// When it last changed.
    pub changed_at: DateTime<FixedOffset>,
}

/// One page of a retrieval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RetrievalPageDto {
    /// Records, oldest change first.
    pub items: Vec<RetrievedRecordDto>,
    /// Pass it as `cursor` for the next page; keep it to resume later.
    pub next_cursor: String,
    /// Whether more changes were waiting when this page was read.
    pub has_more: bool,
}

/// A month a back-end county confirms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CountyMonthDto {
    /// The county.
    pub county_code: String,
    /// `YYYY-MM`.
    pub month: String,
    /// The 5th of the following month (Art. 12-3).
    pub deadline: NaiveDate,
    /// `green` (confirmed), `yellow` (due) or `red` (overdue).
    pub light: String,
    /// Records of the month waiting for the confirmation.
    pub pending: u64,
    /// When the county confirmed it.
    pub confirmed_at: Option<DateTime<FixedOffset>>,
    /// Records the confirmation made count.
    pub confirmed_records: u64,
}

/// A county's months to confirm and confirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CountyMonthsDto {
    /// Newest month first.
    pub items: Vec<CountyMonthDto>,
}

/// Whose months.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountyMonthsQuery {
    /// The county (the national centre only; a bureau sees its own).
    pub county_code: Option<String>,
}

/// The month to confirm.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct ConfirmMonthInput {
    /// `YYYY-MM`: a past month.
    #[schema(required = true)]
    pub month: String,
    /// The county (staff of the national centre only; a bureau confirms its own).
    pub county_code: Option<String>,
}

/// A record suspected to be the same course as another record of the teacher.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DuplicateDto {
    /// The suspected record.
    pub record_id: i32,
    /// The teacher, masked.
    pub teacher: String,
    /// Its course name.
    pub course_name: String,
    /// Its source.
    pub source: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day.
    pub end_date: NaiveDate,
    /// Hours.
    pub hours: f64,
    /// The record it duplicates (the one counted).
    pub other_record_id: i32,
    /// The counted record's course name.
    pub other_course_name: String,
    /// The counted record's source.
    pub other_source: String,
}

/// Suspected duplicates awaiting a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DuplicateListDto {
    /// Oldest first.
    pub items: Vec<DuplicateDto>,
}

/// The reviewer's decision on a suspected duplicate.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct DuplicateDecisionInput {
    /// `same` (counted once, as now) or `distinct` (both count).
    #[schema(required = true)]
    pub decision: String,
}

/// A batch of the preschool platform's export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PreschoolBatchDto {
    /// The batch's id.
    pub id: i32,
    /// When it was written.
    pub created_at: DateTime<FixedOffset>,
    /// Records in it.
    pub records: u64,
    /// `schedule` or `staff`.
    pub run_by: Option<String>,
}

/// The preschool export's batches, latest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PreschoolBatchListDto {
    /// Newest first.
    pub items: Vec<PreschoolBatchDto>,
}
