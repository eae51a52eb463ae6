//! RFC 9457 problem documents and the one list of their codes.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Declares [`ProblemCode`]: each variant with the string clients match on. The strings are
/// published and never change; add codes, never rename them.
macro_rules! problem_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal,)*) => {
        /// The stable, machine-readable `code` of a problem document. Clients branch on it;
        /// a client older than the server reads a code it does not know as `other`.
        // `rename_all` rather than a `rename` per variant: utoipa does not read a literal that
        // comes from a macro argument. The test below holds each name to its string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum ProblemCode {
            $($(#[$doc])* $variant,)*
            /// A code newer than this client (never sent by the server).
            #[serde(other)]
            Other,
        }

        impl ProblemCode {
            /// Every code the server sends.
            pub const ALL: &'static [ProblemCode] = &[$(ProblemCode::$variant,)*];

            /// The code as sent on the wire.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ProblemCode::$variant => $code,)*
                    ProblemCode::Other => "other",
                }
            }

            /// The code spelled `code`, if the server sends it.
            pub fn from_code(code: &str) -> Option<ProblemCode> {
                match code {
                    $($code => Some(ProblemCode::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

problem_codes! {
    // Malformed requests (400).
    /// One or more fields failed validation; `errors` names them.
    ValidationFailed = "validation_failed",
    /// The body is not the JSON the operation takes.
    MalformedJson = "malformed_json",
    /// A path segment has the wrong type or a control character.
    MalformedPath = "malformed_path",
    /// A query parameter has the wrong type.
    MalformedQuery = "malformed_query",
    /// Text the database cannot store (too long, or a character it refuses).
    InvalidText = "invalid_text",
    /// A request the server could not process, of no more specific kind.
    BadRequest = "bad_request",
    /// The reset link is unknown, used or expired.
    InvalidResetToken = "invalid_reset_token",
    /// The e-mail confirmation link is unknown, used or expired.
    InvalidEmailToken = "invalid_email_token",
    /// The national ID and the real name do not belong together.
    IdentityNameMismatch = "identity_name_mismatch",

    // Sign-in and permissions (401, 403).
    /// Not signed in, or the access token is invalid or expired.
    Unauthenticated = "unauthenticated",
    /// Too many failed logins: the account is locked for a while.
    AccountLocked = "account_locked",
    /// The account waits for approval.
    AccountPending = "account_pending",
    /// The account is disabled.
    AccountDisabled = "account_disabled",
    /// The account changed (disabled, password changed) since the token was issued.
    AccountStateChanged = "account_state_changed",
    /// Only a teacher account may do this.
    TeacherAccountRequired = "teacher_account_required",
    /// Only a business account may do this.
    BusinessAccountRequired = "business_account_required",
    /// Only a national-centre administrator may do this.
    NationalAdminRequired = "national_admin_required",
    /// The teacher has no serving unit yet.
    NoServingUnit = "no_serving_unit",
    /// The account's unit and role do not permit this.
    NotPermitted = "not_permitted",
    /// Only the reviewer of the course or roster may decide.
    NotTheApprover = "not_the_approver",
    /// Only the course's attendees may do this.
    NotAnAttendee = "not_an_attendee",
    /// The `X-Api-Key` is not a key of any partner (401).
    ApiKeyInvalid = "api_key_invalid",
    /// The key was revoked (401): use a current key.
    ApiKeyRevoked = "api_key_revoked",
    /// The call came from an address outside the partner's allow-list.
    AddressNotAllowed = "address_not_allowed",
    /// The partner is disabled.
    PartnerDisabled = "partner_disabled",
    /// The partner lacks the cooperation item this operation needs.
    CooperationItemMissing = "cooperation_item_missing",

    // Missing resources (404).
    /// No API operation has this path.
    RouteNotFound = "route_not_found",
    /// The addressed item does not exist.
    NotFound = "not_found",
    /// No account has this id.
    AccountNotFound = "account_not_found",
    /// No unit has this code.
    UnitNotFound = "unit_not_found",
    /// No teacher of the unit has this id.
    TeacherNotFound = "teacher_not_found",
    /// No request to join has this id.
    RequestNotFound = "request_not_found",
    /// No course has this code.
    CourseNotFound = "course_not_found",
    /// No attachment has this id.
    AttachmentNotFound = "attachment_not_found",
    /// No enrollment has this id.
    EnrollmentNotFound = "enrollment_not_found",
    /// No amendment request has this id.
    AmendmentNotFound = "amendment_not_found",
    /// No transcript has this verification code.
    TranscriptNotFound = "transcript_not_found",
    /// No calendar feed has this address.
    FeedNotFound = "feed_not_found",
    /// No tag has this id.
    TagNotFound = "tag_not_found",
    /// No partner system with this id or code.
    PartnerNotFound = "partner_not_found",
    /// The partner has no key with this id.
    KeyNotFound = "key_not_found",
    /// No exchange batch with this id (or not one the caller may see).
    BatchNotFound = "batch_not_found",
    /// No suspected duplicate with this record id waits for a decision.
    DuplicateNotFound = "duplicate_not_found",
    /// The HTTP method is not supported on this path (405).
    MethodNotAllowed = "method_not_allowed",

    // Conflicts with what is stored (409).
    /// The account name is taken.
    AccountNameTaken = "account_name_taken",
    /// The national ID has an account already.
    IdentityAlreadyRegistered = "identity_already_registered",
    /// The person has this kind of business account already.
    BusinessAccountExists = "business_account_exists",
    /// A unit with this code exists.
    UnitExists = "unit_exists",
    /// The unit is closed.
    UnitClosed = "unit_closed",
    /// The teacher serves at another unit.
    TeacherInOtherUnit = "teacher_in_other_unit",
    /// The teacher does not serve at this unit.
    TeacherNotInUnit = "teacher_not_in_unit",
    /// A tag with this name exists.
    TagExists = "tag_exists",
    /// The tag is retired.
    TagRetired = "tag_retired",
    /// A partner with this code is registered already.
    PartnerExists = "partner_exists",
    /// The county confirmed this month already.
    MonthAlreadyConfirmed = "month_already_confirmed",
    /// The course changed since it was read; reload and retry.
    CourseChanged = "course_changed",
    /// The course's state does not allow this.
    InvalidCourseState = "invalid_course_state",
    /// Only a draft never submitted may be deleted.
    CourseNotDeletable = "course_not_deletable",
    /// The course has its maximum number of attachments.
    TooManyAttachments = "too_many_attachments",
    /// The course is not open for enrollment.
    CourseNotOpen = "course_not_open",
    /// Registration has not opened yet.
    RegistrationNotOpen = "registration_not_open",
    /// Registration has closed.
    RegistrationClosed = "registration_closed",
    /// The course is cancelled.
    CourseCancelled = "course_cancelled",
    /// Every place is taken.
    CourseFull = "course_full",
    /// The teacher is enrolled already; `existing` is the enrollment.
    AlreadyEnrolled = "already_enrolled",
    /// The course has started.
    CourseStarted = "course_started",
    /// The enrollment is cancelled or was not accepted.
    NotActive = "not_active",
    /// The enrollment does not wait for acceptance.
    NotPending = "not_pending",
    /// The enrollment is not on the waiting list.
    NotWaiting = "not_waiting",
    /// The lottery was drawn already.
    AlreadyDrawn = "already_drawn",
    /// Registration is still open.
    RegistrationOpen = "registration_open",
    /// The course does not allocate places by lottery.
    NotALottery = "not_a_lottery",
    /// The course is not published.
    NotPublished = "not_published",
    /// The roster is submitted or the course closed.
    RosterClosed = "roster_closed",
    /// The course has not started.
    CourseNotStarted = "course_not_started",
    /// The course has not finished.
    CourseNotFinished = "course_not_finished",
    /// The teacher is not on the roster.
    NotAParticipant = "not_a_participant",
    /// The teacher is on the roster already.
    AlreadyOnRoster = "already_on_roster",
    /// The roster does not wait for confirmation.
    RosterNotSubmitted = "roster_not_submitted",
    /// The course is not closed.
    CourseNotClosed = "course_not_closed",
    /// The request was decided already.
    AlreadyDecided = "already_decided",
    /// The questionnaire was answered already.
    AlreadyAnswered = "already_answered",
    /// The course collects feedback on paper, not online.
    NoOnlineQuestionnaire = "no_online_questionnaire",

    // Uploads (413, 415, 422).
    /// The body is over the operation's size limit.
    PayloadTooLarge = "payload_too_large",
    /// The upload is of a type the operation does not read.
    UnsupportedMediaType = "unsupported_media_type",
    /// Rows of the batch failed their checks: nothing was written; `errors` names them
    /// (`rows[12].hours`).
    BatchRefused = "batch_refused",
    /// A compressed part expands far beyond its size.
    ZipBomb = "zip_bomb",
    /// The workbook expands beyond the size limit.
    WorkbookTooLarge = "workbook_too_large",
    /// More rows than allowed.
    TooManyRows = "too_many_rows",
    /// More columns than allowed.
    TooManyColumns = "too_many_columns",
    /// More cells than allowed.
    TooManyCells = "too_many_cells",
    /// More shared strings than allowed.
    TooManySharedStrings = "too_many_shared_strings",
    /// The XML declares a document type.
    XmlDoctype = "xml_doctype",
    /// The XML nests too deep.
    XmlTooDeep = "xml_too_deep",
    /// The XML is too large.
    XmlTooLarge = "xml_too_large",

    // Load and failures (429, 500, 503).
    /// Too many attempts; retry after `Retry-After` seconds.
    TooManyRequests = "too_many_requests",
    /// The server is saturated; retry after `Retry-After` seconds.
    ServerBusy = "server_busy",
    /// A fault of the server; report the `x-request-id`.
    InternalError = "internal_error",
    /// The database does not answer; retry after `Retry-After` seconds.
    ServiceUnavailable = "service_unavailable",
    /// The database has migrations not yet applied.
    MigrationsPending = "migrations_pending",
    /// The database does not answer the readiness check.
    DatabaseUnavailable = "database_unavailable",
}

impl std::fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An RFC 9457 problem document. Clients branch on `code`; people read `title` and `detail`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:inservice:problem:validation_failed",
    "title": "輸入資料有誤",
    "status": 400,
    "detail": "請修正標示的欄位後再試一次。",
    "code": "validation_failed",
    "errors": [{"field": "stage", "code": "invalid_stage", "message": "教育階段必須是下列之一：kindergarten、elementary、junior_high、senior_high"}]
}))]
pub struct Problem {
    /// A URI naming the kind of problem: `urn:inservice:problem:` followed by `code`.
    #[serde(rename = "type", default)]
    #[schema(required = true)]
    pub problem_type: String,
    /// A short summary of the kind of problem (zh-TW); the same for every occurrence of a code.
    #[serde(default)]
    #[schema(required = true)]
    pub title: String,
    /// The HTTP status code of the response.
    #[serde(default)]
    #[schema(required = true)]
    pub status: u16,
    /// What went wrong in this occurrence, in words a user can act on (zh-TW).
    #[serde(default)]
    #[schema(required = true)]
    pub detail: String,
    /// Stable machine-readable code (snake_case); never changes once published.
    #[schema(value_type = String, required = true)]
    #[serde(default = "unknown_code")]
    pub code: ProblemCode,
    /// Per-field failures, present only for validation problems.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub errors: Vec<ProblemFieldError>,
    /// The existing resource a conflict is about (e.g. the enrollment of `already_enrolled`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub existing: Option<serde_json::Value>,
}

fn unknown_code() -> ProblemCode {
    ProblemCode::Other
}

impl Problem {
    /// A problem of `code` with its status, title and detail.
    pub fn new(status: u16, code: ProblemCode, title: &str, detail: impl Into<String>) -> Self {
        Self {
            problem_type: format!("urn:inservice:problem:{code}"),
            title: title.to_owned(),
            status,
            detail: detail.into(),
            code,
            errors: Vec::new(),
            existing: None,
        }
    }
}

impl Default for Problem {
    fn default() -> Self {
        Problem::new(0, ProblemCode::Other, "", "")
    }
}

/// One field that failed validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProblemFieldError {
    /// The request field (query parameter, path segment or JSON member) that is wrong.
    pub field: String,
    /// Stable machine-readable code of the failure, e.g. `out_of_range`.
    pub code: String,
    /// What is wrong and how to fix it (zh-TW).
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_as_itself() {
        for code in ProblemCode::ALL {
            assert_eq!(ProblemCode::from_code(code.as_str()), Some(*code));
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<ProblemCode>(&json).unwrap(), *code);
        }
    }

    #[test]
    fn a_code_newer_than_the_client_is_other() {
        let problem: Problem =
            serde_json::from_str(r#"{"title":"x","status":409,"code":"brand_new_code"}"#).unwrap();
        assert_eq!(problem.code, ProblemCode::Other);
        assert_eq!(problem.title, "x");
    }
}
