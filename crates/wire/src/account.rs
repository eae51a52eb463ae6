use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A teacher's sign-up form (教師個人帳號申請).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TeacherSignUp {
    /// The account name: 4–30 letters, digits, `.`, `_`, `-`, starting with a letter. It can never
    /// change afterwards.
    #[schema(example = "lin.teacher")]
    pub account_name: String,
    /// Password: 10–128 characters with a letter and a digit, not containing the account name.
    #[schema(example = "correct horse 42 battery")]
    pub password: String,
    /// Real name as on the ID card.
    #[schema(example = "林小明")]
    pub real_name: String,
    /// National ID number, or Resident Certificate UI number (old or 2021 format).
    #[schema(example = "A123456789")]
    pub national_id: String,
    /// Birth date, `YYYY-MM-DD`.
    #[schema(example = "1985-03-02", format = Date)]
    pub birth_date: String,
    /// `male` or `female`.
    #[schema(example = "female")]
    pub gender: String,
    /// E-mail address, used for notices and password resets.
    #[schema(example = "lin@school.edu.tw")]
    pub email: String,
    /// Phone number.
    #[schema(example = "02-12345678#123")]
    pub phone: Option<String>,
    /// Code of the serving unit (服務學校); leave empty for 無服務學校.
    #[schema(example = "demo-jh-taipei")]
    pub unit_code: Option<String>,
    /// Job title code from course-form field 15, e.g. `15-4` 合格專任教師.
    #[schema(example = "15-4")]
    pub job_title: String,
    /// Teaching subjects (several allowed).
    #[schema(example = json!(["國語文", "數學"]))]
    #[serde(default)]
    pub subjects: Vec<String>,
    /// Must be true: the account agreement (帳號使用約定) is accepted.
    pub accept_agreement: bool,
    /// Must be true: consent to the collection and use of personal data is given.
    pub accept_privacy: bool,
}

/// A job title with its label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct JobTitleDto {
    /// Code from course-form field 15.
    #[schema(example = "15-4")]
    pub code: String,
    /// Label, e.g. `合格專任教師`.
    pub label: String,
}

/// The unit an account serves in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AccountUnitDto {
    /// Unit code.
    pub code: String,
    /// Unit name.
    pub name: String,
    /// Unit kind code.
    pub kind: String,
}

/// The signed-in account's own data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MeDto {
    /// Account id.
    pub id: i32,
    /// Account name (fixed).
    pub account_name: String,
    /// `teacher` or `business`.
    pub kind: String,
    /// `active`, `pending`, `rejected` or `disabled`.
    pub status: String,
    /// Real name.
    pub real_name: String,
    /// The identity number, masked (e.g. `A********9`).
    pub identity_masked: String,
    /// Birth date.
    pub birth_date: Option<NaiveDate>,
    /// `male` or `female`.
    pub gender: Option<String>,
    /// E-mail address.
    pub email: String,
    /// Phone number.
    pub phone: Option<String>,
    /// Serving unit; absent for teachers without one (無服務學校) and for national bodies.
    pub unit: Option<AccountUnitDto>,
    /// For business accounts: `chief`, `contact` or `operator`.
    pub account_type: Option<String>,
    /// Label of the account type, e.g. `總負責人`.
    pub account_type_label: Option<String>,
    /// Job title.
    pub job_title: Option<JobTitleDto>,
    /// Teaching subjects.
    pub subjects: Vec<String>,
    /// The teacher's personal unique identifier number (教師個人專用識別號碼).
    pub personal_number: Option<String>,
    /// Whether the teacher can enroll and do everything else besides reading records.
    pub has_serving_unit: bool,
    /// A serving unit the teacher asked to join, waiting for that unit to accept.
    pub requested_unit_code: Option<String>,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
    /// The previous successful login, if any.
    pub last_login_at: Option<DateTime<Utc>>,
    /// A new e-mail address waiting to be confirmed from its mailbox (only in answers to the
    /// account itself).
    pub pending_email: Option<String>,
}

/// Credentials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// Account name or e-mail address.
    #[schema(example = "lin.teacher")]
    pub login: String,
    /// Password.
    pub password: String,
    /// Browsers set this: the refresh token then goes into an HttpOnly cookie instead of the body.
    #[serde(default)]
    pub use_cookie: bool,
}

/// A new session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TokenResponse {
    /// The access token: send as `Authorization: Bearer …`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// The refresh token, unless it was set as a cookie (`use_cookie`). Single use: each refresh
    /// returns a new one.
    pub refresh_token: Option<String>,
    /// The signed-in account.
    pub account: MeDto,
}

/// A refresh or logout request. Browsers send nothing: the cookie carries the token.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RefreshRequest {
    /// The refresh token, for clients that keep it themselves.
    pub refresh_token: Option<String>,
}

/// A password change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PasswordChange {
    /// The current password.
    pub current_password: String,
    /// The new password (same policy as at sign-up).
    pub new_password: String,
}

/// A request for a password-reset link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PasswordResetRequest {
    /// The account's e-mail address or account name.
    #[schema(example = "lin@school.edu.tw")]
    pub login: String,
}

/// Setting a new password with an e-mailed reset token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PasswordResetConfirm {
    /// The token from the e-mailed link.
    pub token: String,
    /// The new password.
    pub new_password: String,
}

/// A message in the development mailbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MailDto {
    /// Message id.
    pub id: i32,
    /// Recipient.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// `queued`, `sent` or `failed`.
    pub status: String,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
}

/// The development mailbox, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MailList {
    /// Messages.
    pub items: Vec<MailDto>,
    /// Number of messages listed.
    pub total: u64,
}

/// An application for a business account (業務帳號申請). It waits for approval before it can log in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BusinessApplication {
    /// Account name (fixed once created).
    #[schema(example = "chen.chief")]
    pub account_name: String,
    /// Password (same policy as teacher accounts).
    pub password: String,
    /// Real name.
    #[schema(example = "陳主任")]
    pub real_name: String,
    /// National ID or Resident Certificate number; one business account per number.
    #[schema(example = "A109000034")]
    pub national_id: String,
    /// E-mail address.
    pub email: String,
    /// Office phone.
    pub phone: String,
    /// The unit applied for.
    #[schema(example = "demo-jh-taipei")]
    pub unit_code: String,
    /// `chief` (總負責人), `contact` (連絡人) or `operator` (作業人員). Universities, social-education
    /// institutions and legal persons may only apply as `operator`.
    #[schema(example = "operator")]
    pub account_type: String,
    /// Must be true: the account agreement is accepted.
    pub accept_agreement: bool,
    /// Must be true: the personal-data consent is given.
    pub accept_privacy: bool,
}

/// A business account as its approvers see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BusinessAccountDto {
    /// Account id.
    pub id: i32,
    /// Account name.
    pub account_name: String,
    /// Real name.
    pub real_name: String,
    /// The identity number, masked.
    pub identity_masked: String,
    /// E-mail address.
    pub email: String,
    /// Phone.
    pub phone: Option<String>,
    /// The unit.
    pub unit: Option<AccountUnitDto>,
    /// `chief`, `contact` or `operator`.
    pub account_type: Option<String>,
    /// Label of the type, e.g. `總負責人`.
    pub account_type_label: Option<String>,
    /// `pending`, `active`, `rejected` or `disabled`.
    pub status: String,
    /// Reason of a rejection or of disabling.
    pub status_reason: Option<String>,
    /// When the application was made.
    pub created_at: DateTime<Utc>,
    /// The last successful login.
    pub last_login_at: Option<DateTime<Utc>>,
}

/// Business accounts the caller may decide about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BusinessAccountList {
    /// Accounts, oldest application first.
    pub items: Vec<BusinessAccountDto>,
    /// Number of accounts listed.
    pub total: u64,
}

/// A reason, shown to the person concerned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReasonBody {
    /// Why (1–500 characters).
    #[schema(example = "非本校教職員")]
    pub reason: String,
}

/// A new account type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AccountTypeBody {
    /// `chief`, `contact` or `operator`.
    #[schema(example = "contact")]
    pub account_type: String,
}

/// Changes to one's own profile; omitted fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProfileUpdate {
    /// New e-mail address.
    pub email: Option<String>,
    /// New phone number; an empty string clears it.
    pub phone: Option<String>,
    /// New job title code (course-form field 15).
    pub job_title: Option<String>,
    /// New list of teaching subjects (replaces the old one).
    pub subjects: Option<Vec<String>>,
    /// Teachers: the code of a serving unit to ask to join (the unit accepts it); an empty
    /// string withdraws a pending request.
    pub requested_unit_code: Option<String>,
    /// The current password: required when `email` changes the address.
    pub current_password: Option<String>,
}

/// Re-authentication for what a stolen session must not reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CurrentPassword {
    /// The account's current password.
    pub current_password: String,
}

/// The token from an e-mail-confirmation link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EmailConfirmation {
    /// The token of the link in the confirmation mail.
    pub token: String,
}

/// One change made by a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditEntryDto {
    /// Entry id.
    pub id: i32,
    /// When the change happened.
    pub at: DateTime<Utc>,
    /// The account that made it; absent for anonymous sign-ups and applications.
    pub actor_account_id: Option<i32>,
    /// The actor's role, e.g. `chief@junior_high`, `teacher`, `anonymous`.
    pub actor_role: String,
    /// What was done, e.g. `business_account.approve`.
    pub action: String,
    /// The kind of thing changed, e.g. `account`.
    pub target_kind: String,
    /// The id of the thing changed.
    pub target_id: Option<String>,
    /// A short description (never identity numbers or passwords).
    pub summary: String,
    /// The client address.
    pub ip: Option<String>,
}

/// One page of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditPage {
    /// Entries, newest first.
    pub items: Vec<AuditEntryDto>,
    /// Entries matching the filter.
    pub total: u64,
    /// Page number.
    pub page: u64,
    /// Page size.
    pub per_page: u64,
}

/// Everything the platform stores about the signed-in person (個人資料查詢及複製).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PersonalDataDto {
    /// When this copy was made.
    pub exported_at: DateTime<Utc>,
    /// The account as stored.
    pub account: MeDto,
    /// The full identity number (shown only to its owner).
    pub identity_number: String,
    /// Consents given: which documents, which versions, when.
    pub consents: Vec<ConsentDto>,
    /// Login sessions, newest last.
    pub sessions: Vec<SessionDto>,
    /// Changes made by or to the account.
    pub activity: Vec<AuditEntryDto>,
}

/// One consent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ConsentDto {
    /// `account_agreement` or `personal_data`.
    pub document: String,
    /// The version accepted.
    pub version: Option<String>,
    /// When it was accepted.
    pub accepted_at: Option<DateTime<Utc>>,
}

/// One login session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SessionDto {
    /// When the session started or was renewed.
    pub created_at: DateTime<Utc>,
    /// When it would expire.
    pub expires_at: DateTime<Utc>,
    /// When it ended, if it did.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A teacher of a unit, as the unit's account managers see them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UnitTeacherDto {
    /// Account id.
    pub id: i32,
    /// Account name.
    pub account_name: String,
    /// Real name.
    pub real_name: String,
    /// The identity number, masked.
    pub identity_masked: String,
    /// The personal unique identifier number.
    pub personal_number: Option<String>,
    /// Job title.
    pub job_title: Option<JobTitleDto>,
    /// Teaching subjects.
    pub subjects: Vec<String>,
    /// E-mail address.
    pub email: String,
    /// Phone.
    pub phone: Option<String>,
    /// Code of the serving unit; absent once transferred out.
    pub unit_code: Option<String>,
    /// The last successful login.
    pub last_login_at: Option<DateTime<Utc>>,
}

/// One page of a unit's teachers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UnitTeacherPage {
    /// Teachers on this page.
    pub items: Vec<UnitTeacherDto>,
    /// Teachers matching the search.
    pub total: u64,
    /// Page number.
    pub page: u64,
    /// Page size.
    pub per_page: u64,
}

/// 教師資料登錄: a unit enters a teacher by identity number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TeacherEntry {
    /// National ID or Resident Certificate number.
    #[schema(example = "A123456789")]
    pub national_id: String,
    /// Real name (used when the teacher has no account yet).
    pub real_name: String,
    /// E-mail address (receives the link to set a password when an account is created).
    pub email: String,
    /// Job title code (course-form field 15).
    #[schema(example = "15-4")]
    pub job_title: String,
}
