//! Enrollments: enrolling under rush load without overselling, the waiting list and its
//! automatic promotion, the organiser's review, withdrawal, cancellation and postponement with
//! notices, the lottery, and what teachers and organisers read.
//!
//! Places are counted in `courses.enrolled_count` and taken with one conditional update
//! (`… SET enrolled_count = enrolled_count + 1 WHERE enrolled_count < capacity`) inside the
//! enrolling transaction: the database decides, so two teachers can never take the last place.

mod change;
mod enroll;
mod read;

use chrono::{DateTime, Utc};
use inservice_domain::UnitKind;
use inservice_domain::enrollment::{EnrollmentStatus, Refusal};
use inservice_domain::notice::{CourseFacts, Notice};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

pub use read::{EnrollmentGroup, Participant, TeacherInfo};

use crate::courses::StoredFlag;
use crate::entities::{account, course, enrollment, unit};
use crate::outbox::{self, enqueue_notice};
use crate::{StorageError, courses};

/// An enrollment as teachers and organisers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrollment {
    pub id: i32,
    pub course_id: i32,
    pub account_id: i32,
    pub status: EnrollmentStatus,
    /// Place on the waiting list (1 = next in line), while waiting.
    pub position: Option<u64>,
    /// What the teacher was told when enrolling (overlaps, other audiences).
    pub warnings: Vec<StoredFlag>,
    /// The organiser's reason (declined, promoted by hand), or the course's cancellation reason.
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Why an enrollment change did not happen.
#[derive(Debug, thiserror::Error)]
pub enum EnrollError {
    #[error("no such course")]
    CourseNotFound,
    #[error("no such enrollment")]
    NotFound,
    #[error("refused: {0}")]
    Refused(Refusal),
    /// The teacher already has an active enrollment in this course.
    #[error("already enrolled")]
    Already(Box<Enrollment>),
    /// The enrollment or course is not in a state that allows this (code says which).
    #[error("not possible now: {0}")]
    NotNow(&'static str),
    #[error(transparent)]
    Course(#[from] courses::CourseError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sea_orm::DbErr> for EnrollError {
    fn from(error: sea_orm::DbErr) -> Self {
        EnrollError::Storage(StorageError::Database(error))
    }
}

fn corrupt(id: i32) -> StorageError {
    StorageError::Corrupt(format!("enrollment {id} has an unknown status"))
}

pub(crate) fn status_of(row: &enrollment::Model) -> Result<EnrollmentStatus, StorageError> {
    EnrollmentStatus::from_code(&row.status).ok_or_else(|| corrupt(row.id))
}

/// The place of a waiting enrollment in its course's queue.
async fn position(
    conn: &impl ConnectionTrait,
    row: &enrollment::Model,
) -> Result<u64, StorageError> {
    let rank = row.rank.unwrap_or(i64::MAX);
    let ahead = enrollment::Entity::find()
        .filter(enrollment::Column::CourseId.eq(row.course_id))
        .filter(enrollment::Column::Status.eq(EnrollmentStatus::Waiting.code()))
        .filter(
            Expr::col(enrollment::Column::Rank)
                .lt(rank)
                .or(Expr::col(enrollment::Column::Rank)
                    .eq(rank)
                    .and(Expr::col(enrollment::Column::Id).lt(row.id))),
        )
        .count(conn)
        .await?;
    Ok(ahead + 1)
}

pub(crate) async fn record(
    conn: &impl ConnectionTrait,
    row: enrollment::Model,
) -> Result<Enrollment, StorageError> {
    let status = status_of(&row)?;
    let position = if status == EnrollmentStatus::Waiting {
        Some(position(conn, &row).await?)
    } else {
        None
    };
    let warnings: Vec<std::collections::HashMap<String, String>> =
        serde_json::from_str(&row.warnings).unwrap_or_default();
    Ok(Enrollment {
        id: row.id,
        course_id: row.course_id,
        account_id: row.account_id,
        status,
        position,
        warnings: warnings
            .into_iter()
            .map(|mut w| StoredFlag {
                code: w.remove("code").unwrap_or_default(),
                message: w.remove("message").unwrap_or_default(),
            })
            .collect(),
        reason: row.reason,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// Takes one place of a published course if one is free; the database decides atomically.
pub(crate) async fn take_place(
    conn: &impl ConnectionTrait,
    course_id: i32,
) -> Result<bool, StorageError> {
    let result = course::Entity::update_many()
        .col_expr(
            course::Column::EnrolledCount,
            Expr::col(course::Column::EnrolledCount).add(1),
        )
        .filter(course::Column::Id.eq(course_id))
        .filter(course::Column::State.eq("approved"))
        .filter(Expr::col(course::Column::EnrolledCount).lt(Expr::col(course::Column::Capacity)))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The next number of the course's waiting list. The update locks the course row until the
/// transaction ends, so a later number is never committed before an earlier one.
pub(crate) async fn next_waiting_rank(
    conn: &impl ConnectionTrait,
    course_id: i32,
) -> Result<i64, StorageError> {
    course::Entity::update_many()
        .col_expr(
            course::Column::WaitingSeq,
            Expr::col(course::Column::WaitingSeq).add(1),
        )
        .filter(course::Column::Id.eq(course_id))
        .exec(conn)
        .await?;
    let row = course::Entity::find_by_id(course_id)
        .one(conn)
        .await?
        .ok_or_else(|| StorageError::Corrupt(format!("course {course_id} vanished")))?;
    Ok(i64::from(row.waiting_seq))
}

/// Adds `n` to a course's taken places (negative to release, or beyond capacity when the
/// organiser promotes by hand).
pub(crate) async fn add_places(
    conn: &impl ConnectionTrait,
    course_id: i32,
    n: i32,
) -> Result<(), StorageError> {
    course::Entity::update_many()
        .col_expr(
            course::Column::EnrolledCount,
            Expr::col(course::Column::EnrolledCount).add(n),
        )
        .filter(course::Column::Id.eq(course_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// What a teacher is, for notices and priorities.
pub(crate) struct Teacher {
    pub id: i32,
    pub real_name: String,
    pub email: String,
    pub unit_code: Option<String>,
    pub unit_kind: Option<UnitKind>,
    pub job_title: Option<String>,
}

pub(crate) async fn teacher(
    conn: &impl ConnectionTrait,
    account_id: i32,
) -> Result<Option<Teacher>, StorageError> {
    let Some(row) = account::Entity::find_by_id(account_id).one(conn).await? else {
        return Ok(None);
    };
    let unit_kind = match &row.unit_code {
        Some(code) => unit::Entity::find()
            .filter(unit::Column::Code.eq(code.as_str()))
            .one(conn)
            .await?
            .and_then(|u| u.kind.parse().ok()),
        None => None,
    };
    Ok(Some(Teacher {
        id: row.id,
        real_name: row.real_name,
        email: row.email,
        unit_code: row.unit_code,
        unit_kind,
        job_title: row.job_title,
    }))
}

/// The facts of a course that its notices repeat.
pub(crate) async fn facts(
    conn: &impl ConnectionTrait,
    row: &course::Model,
    public_url: &str,
) -> Result<CourseFacts, StorageError> {
    let form = courses::form_of(row)?;
    let unit_name = unit::Entity::find()
        .filter(unit::Column::Code.eq(row.unit_code.as_str()))
        .one(conn)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    Ok(CourseFacts {
        code: row.id,
        name: row.name.clone(),
        unit_name,
        when: CourseFacts::when_of(&form.sessions),
        venue: row.venue.clone(),
        url: format!("{public_url}/courses/{}", row.id),
    })
}

/// Queues `notice` to `teacher` about the course of `facts`.
pub(crate) async fn tell(
    conn: &impl ConnectionTrait,
    teacher: &Teacher,
    facts: &CourseFacts,
    notice: &Notice,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    let (subject, body) = notice.render(&teacher.real_name, facts);
    enqueue_notice(
        conn,
        outbox::Notice {
            to: &teacher.email,
            subject: &subject,
            body: &body,
            course_id: facts.code,
            account_id: teacher.id,
            kind: notice.code(),
        },
        now,
    )
    .await
}

/// Fills the course's free places from its waiting list, in order; each promoted teacher is
/// told. Returns how many moved up.
pub(crate) async fn promote_waiting(
    conn: &impl ConnectionTrait,
    row: &course::Model,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<usize, StorageError> {
    let mut promoted = 0;
    let mut facts_once = None;
    loop {
        let Some(next) = enrollment::Entity::find()
            .filter(enrollment::Column::CourseId.eq(row.id))
            .filter(enrollment::Column::Status.eq(EnrollmentStatus::Waiting.code()))
            .order_by_asc(enrollment::Column::Rank)
            .order_by_asc(enrollment::Column::Id)
            .one(conn)
            .await?
        else {
            break;
        };
        if !take_place(conn, row.id).await? {
            break;
        }
        let status = if row.review_enrollments {
            EnrollmentStatus::Pending
        } else {
            EnrollmentStatus::Enrolled
        };
        enrollment::Entity::update_many()
            .col_expr(enrollment::Column::Status, status.code().into())
            .col_expr(enrollment::Column::UpdatedAt, now.into())
            .filter(enrollment::Column::Id.eq(next.id))
            .exec(conn)
            .await?;
        if let Some(teacher) = teacher(conn, next.account_id).await? {
            // Loaded once, for the first teacher told.
            let course_facts = match facts_once.take() {
                Some(loaded) => loaded,
                None => facts(conn, row, public_url).await?,
            };
            let notice = if row.review_enrollments {
                Notice::Pending
            } else {
                Notice::Promoted
            };
            tell(conn, &teacher, &course_facts, &notice, now).await?;
            facts_once = Some(course_facts);
        }
        promoted += 1;
    }
    Ok(promoted)
}
