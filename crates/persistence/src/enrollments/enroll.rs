//! Enrolling: one transaction that decides the admission, takes a place atomically (or joins
//! the waiting list, or files a lottery application), records the warnings and queues the
//! teacher's notice.

use chrono::{DateTime, Utc};
use inservice_domain::enrollment::{
    Admission, EnrollmentStatus, Refusal, admission, enroll_warnings, targeted,
};
use inservice_domain::notice::Notice;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TryIntoModel,
};
use serde_json::json;

use super::{
    EnrollError, Enrollment, Teacher, facts, next_waiting_rank, record, status_of, take_place,
    teacher, tell,
};
use crate::courses::{form_of, state_of};
use crate::entities::{course, enrollment};
use crate::{Database, StorageError};

/// The sessions of the teacher's other active enrollments, for the overlap warning.
async fn other_sessions(
    conn: &impl ConnectionTrait,
    account_id: i32,
    course_id: i32,
) -> Result<Vec<(i32, String, Vec<inservice_domain::course::Session>)>, StorageError> {
    let active: Vec<&str> = [
        EnrollmentStatus::Pending,
        EnrollmentStatus::Enrolled,
        EnrollmentStatus::Waiting,
        EnrollmentStatus::Applied,
    ]
    .iter()
    .map(|s| s.code())
    .collect();
    let ids: Vec<i32> = enrollment::Entity::find()
        .filter(enrollment::Column::AccountId.eq(account_id))
        .filter(enrollment::Column::CourseId.ne(course_id))
        .filter(enrollment::Column::Status.is_in(active))
        .all(conn)
        .await?
        .into_iter()
        .map(|e| e.course_id)
        .collect();
    let rows = course::Entity::find()
        .filter(course::Column::Id.is_in(ids))
        .filter(course::Column::State.ne("cancelled"))
        .all(conn)
        .await?;
    rows.iter()
        .map(|row| Ok((row.id, row.name.clone(), form_of(row)?.sessions)))
        .collect()
}

fn warnings_json(warnings: &[inservice_domain::enrollment::EnrollWarning]) -> String {
    serde_json::Value::Array(
        warnings
            .iter()
            .map(|w| json!({"code": w.code(), "message": w.message()}))
            .collect(),
    )
    .to_string()
}

/// Whether a failed insert broke the one-enrollment-per-teacher index.
fn is_duplicate(error: &sea_orm::DbErr) -> bool {
    matches!(
        error.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

impl Database {
    /// Enrolls a teacher (see the module comment of `enrollments` for how places are taken).
    /// With an `idempotency_key` a repeated request answers the first one's enrollment
    /// (`replayed`); otherwise a second enrollment is refused with the existing one.
    pub async fn enroll(
        &self,
        course_id: i32,
        account_id: i32,
        join_waiting_list: bool,
        idempotency_key: Option<&str>,
        public_url: &str,
        now: DateTime<Utc>,
    ) -> Result<(Enrollment, bool), EnrollError> {
        let txn = self.begin_write().await?;
        let row = course::Entity::find_by_id(course_id)
            .one(&txn)
            .await?
            .ok_or(EnrollError::CourseNotFound)?;
        let existing = enrollment::Entity::find()
            .filter(enrollment::Column::CourseId.eq(course_id))
            .filter(enrollment::Column::AccountId.eq(account_id))
            .one(&txn)
            .await?;
        if let Some(existing) = &existing {
            let replay =
                idempotency_key.is_some() && existing.idempotency_key.as_deref() == idempotency_key;
            if replay {
                return Ok((record(&txn, existing.clone()).await?, true));
            }
            if status_of(existing)?.is_active() {
                return Err(EnrollError::Already(Box::new(
                    record(&txn, existing.clone()).await?,
                )));
            }
        }
        let form = form_of(&row)?;
        let decided = admission(
            state_of(&row)?,
            form.registration_opens_at,
            form.registration_closes_at,
            form.allocation,
            row.review_enrollments,
            join_waiting_list,
            now,
        )
        .map_err(EnrollError::Refused)?;
        let teacher: Teacher = teacher(&txn, account_id)
            .await?
            .ok_or(EnrollError::NotFound)?;
        let others = other_sessions(&txn, account_id, course_id).await?;
        let aimed = targeted(
            &form.target_stages,
            &form.target_titles,
            teacher.unit_kind,
            teacher.job_title.as_deref(),
        );
        let warnings = enroll_warnings(&form.sessions, &others, aimed);
        // Everything that only reads comes before the place is taken: on PostgreSQL the course
        // row stays locked from that update to the commit, so that stretch is kept short.
        let facts = facts(&txn, &row, public_url).await?;
        let status = match decided {
            Admission::Apply => EnrollmentStatus::Applied,
            Admission::Place { pending, may_wait } => {
                if take_place(&txn, course_id).await? {
                    if pending {
                        EnrollmentStatus::Pending
                    } else {
                        EnrollmentStatus::Enrolled
                    }
                } else if may_wait {
                    EnrollmentStatus::Waiting
                } else {
                    return Err(EnrollError::Refused(Refusal::Full));
                }
            }
        };
        let rank = match status {
            EnrollmentStatus::Waiting => Some(next_waiting_rank(&txn, course_id).await?),
            _ => None,
        };
        let mut active = match existing {
            // A teacher who withdrew (or was declined) may enroll again: the row is reused.
            Some(old) => old.into(),
            None => enrollment::ActiveModel {
                course_id: Set(course_id),
                account_id: Set(account_id),
                created_at: Set(now),
                ..Default::default()
            },
        };
        active.status = Set(status.code().to_owned());
        active.rank = Set(rank);
        active.unit_code = Set(teacher.unit_code.clone());
        active.job_title = Set(teacher.job_title.clone());
        active.warnings = Set(warnings_json(&warnings));
        active.reason = Set(None);
        active.idempotency_key = Set(idempotency_key.map(str::to_owned));
        active.updated_at = Set(now);
        let saved = match active.save(&txn).await {
            Ok(saved) => saved.try_into_model()?,
            Err(error) if is_duplicate(&error) => {
                // Two requests of the same teacher raced: the other one won.
                drop(txn);
                let winner = enrollment::Entity::find()
                    .filter(enrollment::Column::CourseId.eq(course_id))
                    .filter(enrollment::Column::AccountId.eq(account_id))
                    .one(&self.conn)
                    .await?
                    .ok_or(EnrollError::NotFound)?;
                return Err(EnrollError::Already(Box::new(
                    record(&self.conn, winner).await?,
                )));
            }
            Err(error) => return Err(error.into()),
        };
        let enrolled = record(&txn, saved).await?;
        let notice = match status {
            EnrollmentStatus::Pending => Notice::Pending,
            EnrollmentStatus::Waiting => Notice::Waiting {
                position: enrolled.position.unwrap_or(1),
            },
            EnrollmentStatus::Applied => Notice::Applied,
            _ => Notice::Enrolled,
        };
        tell(&txn, &teacher, &facts, &notice, now).await?;
        txn.commit().await?;
        Ok((enrolled, false))
    }
}
