//! Courses: the stored form, its life cycle and review, search, attachments and favourites.
//!
//! Every change is one transaction that also writes the course's event history and the audit
//! log. Writes compare the row's `version`, so two people changing one course at once never
//! overwrite each other silently: the second gets a conflict.

mod catalog;
mod extras;
mod generator;
mod mapping;
mod read;
mod write;

pub(crate) use mapping::{courses as course_records, sessions_json};
pub(crate) use write::{locked_row as locked_course_row, log as log_course_event};

use chrono::{DateTime, Utc};
use inservice_domain::course::{CourseForm, CourseState, TransitionError};
use inservice_domain::{FieldErrors, UnitKind};

pub use catalog::{CourseCatalog, SubjectArea};
pub use extras::{
    Attachment, AttachmentFile, AutoApproval, MAX_ATTACHMENTS, NewAttachment, TagChange,
};
pub use read::{CourseFilter, CourseSort, ReviewFilter};

use crate::StorageError;

/// A unit as a course shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseUnit {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub county_code: Option<String>,
    pub county_name: Option<String>,
}

/// A tag on a course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRef {
    pub id: i32,
    pub name: String,
}

/// A reviewer's point of attention, as stored when the course was last saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFlag {
    pub code: String,
    pub message: String,
}

/// A stored course.
#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    pub id: i32,
    pub unit: CourseUnit,
    /// The first course of the series this one belongs to.
    pub series_id: Option<i32>,
    pub state: CourseState,
    pub version: i32,
    pub reviewer_code: String,
    pub reviewer_name: String,
    pub form: CourseForm,
    pub tags: Vec<TagRef>,
    pub enrolled_count: u32,
    pub flags: Vec<StoredFlag>,
    /// The reason given with the last return, rejection or approval note.
    pub decision_reason: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub cancel_reason: Option<String>,
    pub lottery_seed: Option<String>,
    pub lottery_drawn_at: Option<DateTime<Utc>>,
}

/// One step of a course's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseEventRecord {
    pub at: DateTime<Utc>,
    pub actor_account_id: Option<i32>,
    pub actor_name: Option<String>,
    pub actor_unit_code: Option<String>,
    pub event: String,
    pub from_state: String,
    pub to_state: String,
    pub reason: Option<String>,
}

/// Who makes a change, for the course history and the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedBy {
    pub account_id: i32,
    pub unit_code: Option<String>,
    /// A short role for the audit log, e.g. `operator@junior_high`.
    pub role: String,
    pub ip: Option<String>,
}

/// A reviewer's decision on a submitted course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Return,
    Reject,
}

impl Decision {
    pub fn code(self) -> &'static str {
        match self {
            Decision::Approve => "approved",
            Decision::Return => "returned",
            Decision::Reject => "rejected",
        }
    }
}

/// Why a course change did not happen.
#[derive(Debug, thiserror::Error)]
pub enum CourseError {
    #[error("no such course")]
    NotFound,
    /// The course is not in a state that allows this.
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// Someone else changed the course since it was read.
    #[error("the course changed meanwhile")]
    Stale,
    /// The stored form no longer passes validation (for submission).
    #[error("the course form is invalid")]
    Invalid(FieldErrors),
    /// Only drafts that were never submitted can be deleted.
    #[error("only unsubmitted drafts can be deleted")]
    NotDeletable,
    /// A limit of the course was reached (attachments).
    #[error("limit reached: {0}")]
    Limit(&'static str),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sea_orm::DbErr> for CourseError {
    fn from(error: sea_orm::DbErr) -> Self {
        CourseError::Storage(StorageError::Database(error))
    }
}

/// The form stored in a course row (without its tags).
pub(crate) fn form_of(row: &crate::entities::course::Model) -> Result<CourseForm, StorageError> {
    mapping::form(row, Vec::new())
}

/// The stored state of a course row.
pub(crate) fn state_of(row: &crate::entities::course::Model) -> Result<CourseState, StorageError> {
    mapping::state(row)
}

/// A page of courses.
pub type CoursePage = crate::reference::Page<Course>;
