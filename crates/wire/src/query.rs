//! Query parameters of the list and search operations. Values stay text so that the server can
//! name a malformed one in its answer; `Serialize` lets a client build the query string.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Filters of the review queue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewQueueQuery {
    /// `waiting` (default): submitted courses, oldest first; `decided`: courses already
    /// decided, newest decision first.
    pub status: Option<String>,
    /// Taxonomy stage.
    pub stage: Option<String>,
    /// The offering unit's code.
    pub unit: Option<String>,
    /// Courses running on or after this date (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Courses running on or before this date.
    pub to: Option<String>,
    /// `true`: only courses with reviewer flags (Art. 9 topics, late registration, long days).
    #[param(value_type = Option<bool>)]
    pub flagged: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<u64>)]
    pub page: Option<String>,
    /// Page size, 1 to 100.
    #[param(value_type = Option<u64>)]
    pub per_page: Option<String>,
}

/// Search and paging of a unit's teachers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TeacherQuery {
    /// Part of a name, account name or personal number.
    pub q: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<u64>)]
    pub page: Option<String>,
    /// Page size, 1 to 100.
    #[param(value_type = Option<u64>)]
    pub per_page: Option<String>,
}

/// The name of an uploaded file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name, with its extension (`.pdf`, `.docx`, `.xlsx`, `.pptx`, `.odt`,
    /// `.ods`, `.doc`, `.xls`, `.png`, `.jpg`).
    pub file_name: Option<String>,
}

/// Paging of a list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PagingQuery {
    /// Page number, from 1.
    #[param(value_type = Option<u64>)]
    pub page: Option<String>,
    /// Page size, 1 to 100.
    #[param(value_type = Option<u64>)]
    pub per_page: Option<String>,
}

/// Which subject areas to list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubjectAreaQuery {
    /// Only this taxonomy stage.
    pub stage: Option<String>,
}

/// Which of the own enrollments to list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MyEnrollmentsQuery {
    /// `upcoming` (default), `waiting`, `past` or `cancelled`.
    pub group: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<u64>)]
    pub page: Option<String>,
    /// Page size, 1 to 100.
    #[param(value_type = Option<u64>)]
    pub per_page: Option<String>,
}

/// Which enrollments to list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ParticipantQuery {
    /// One status (`enrolled`, `pending`, `waiting`, `applied`, `withdrawn`, `declined`,
    /// `course_cancelled`); all when absent.
    pub status: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<u64>)]
    pub page: Option<String>,
    /// Page size, 1 to 100.
    #[param(value_type = Option<u64>)]
    pub per_page: Option<String>,
}

/// Filters of the unit search.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitsQuery {
    /// Only units in this county (five-digit code, see `/counties`).
    #[param(example = "63000")]
    pub county: Option<String>,
    /// Only units of this kind, e.g. `junior_high`, `county_bureau`.
    #[param(example = "county_bureau")]
    pub kind: Option<String>,
    /// Only units whose name contains this text.
    #[param(example = "教育局")]
    pub name: Option<String>,
    /// Page number, from 1 (default 1).
    #[param(value_type = Option<u64>, minimum = 1)]
    pub page: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(value_type = Option<u64>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
}

/// The stage whose taxonomy is wanted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaxonomyQuery {
    /// Education stage: `kindergarten`, `elementary`, `junior_high` or `senior_high`.
    #[param(required = true, example = "junior_high")]
    pub stage: Option<String>,
}

/// Which tags to list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TagsQuery {
    /// `active` (default), `retired` or `all`.
    #[param(example = "active")]
    pub status: Option<String>,
}

/// Paging of a queue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueuePage {
    /// Page number, from 1.
    #[param(value_type = Option<u64>)]
    pub page: Option<String>,
    /// Page size, 1 to 100.
    #[param(value_type = Option<u64>)]
    pub per_page: Option<String>,
}

/// Filters, order and paging of the public course search.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CourseSearchQuery {
    /// Keywords (space-separated, all must match) in the name, outline or unit name; 台 and
    /// 臺 match each other. At most 100 characters.
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// County code, e.g. `63000`.
    pub county: Option<String>,
    /// Unit code.
    pub unit: Option<String>,
    /// Attribute tag id.
    #[param(value_type = Option<i32>)]
    pub tag: Option<String>,
    /// Category (進修範疇), `1` to `6`.
    pub category: Option<String>,
    /// Taxonomy stage: `kindergarten`, `elementary`, `junior_high`, `senior_high`.
    pub stage: Option<String>,
    /// Level, 1 to 4.
    #[param(value_type = Option<u8>)]
    pub level: Option<String>,
    /// `digital` or `in_person`.
    pub mode: Option<String>,
    /// Courses running on or after this date (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Courses running on or before this date.
    pub to: Option<String>,
    /// `true`: only courses taking registrations now.
    #[param(value_type = Option<bool>)]
    pub open: Option<String>,
    /// `true`: only courses with places left.
    #[param(value_type = Option<bool>)]
    pub has_places: Option<String>,
    /// `-start_date` (default), `start_date`, `registration_closes_at`, `newest`, `-hours`.
    pub sort: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<u64>)]
    pub page: Option<String>,
    /// Page size, 1 to 100.
    #[param(value_type = Option<u64>)]
    pub per_page: Option<String>,
}

/// Which of a unit's courses to list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitCoursesQuery {
    /// Stored state: `draft`, `submitted`, `approved`, `returned`, `rejected`, `cancelled`, ….
    pub state: Option<String>,
    /// Keywords in the name or outline.
    pub q: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<u64>)]
    pub page: Option<String>,
    /// Page size, 1 to 100.
    #[param(value_type = Option<u64>)]
    pub per_page: Option<String>,
}

/// Which workbook to download.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `sign_in` (簽到表: the enrolled teachers, a signature column per session), `blank_sign_in`
    /// (空白簽到表 for walk-ins), `registrations` (線上報名資訊: every enrollment with status and
    /// contact data), `participants` (參加人員名單).
    pub kind: Option<String>,
}

/// Which accounts to list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// `pending` (default: the approval queue), `active`, `rejected` or `disabled`.
    pub status: Option<String>,
}

/// An empty body for decisions that need no input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NoBody {}

/// Filters of the audit-log search.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only changes by this account id.
    #[param(value_type = Option<i32>)]
    pub actor: Option<String>,
    /// Only this action, e.g. `business_account.approve`.
    pub action: Option<String>,
    /// Only changes to this target id (e.g. an account id).
    pub target: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<u64>)]
    pub page: Option<String>,
    /// Page size, 1 to 100.
    #[param(value_type = Option<u64>)]
    pub per_page: Option<String>,
}
