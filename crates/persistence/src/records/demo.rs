//! Demo data after the course: most past demo courses go through the real roster flow
//! (submitted, confirmed, closed) with the demo teachers enrolled in some of them, so their
//! record pages and the units' lights show something real; a few recent or overdue ones stay
//! open for the dashboards.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use inservice_domain::course::schedule::taipei_today;
use inservice_domain::enrollment::EnrollmentStatus;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use super::RecordError;
use crate::courses::ChangedBy;
use crate::entities::{account, course, enrollment, training_record};
use crate::{Database, StorageError};

/// When the demo's past courses ended (checked when compiling).
const TEN_O_CLOCK: chrono::NaiveTime = match chrono::NaiveTime::from_hms_opt(10, 0, 0) {
    Some(time) => time,
    None => panic!("10:00 is a time"),
};

impl Database {
    /// Closes past demo courses of units whose code starts with `unit_prefix`, enrolling the
    /// teachers named in `teacher_logins` in every sixth one. Does nothing once any training
    /// record exists. Returns the records written.
    pub async fn seed_demo_records(
        &self,
        unit_prefix: &str,
        teacher_logins: &[&str],
        now: DateTime<Utc>,
    ) -> Result<usize, StorageError> {
        if training_record::Entity::find().count(&self.conn).await? > 0 {
            return Ok(0);
        }
        let teachers = account::Entity::find()
            .filter(account::Column::AccountName.is_in(teacher_logins.iter().copied()))
            .order_by_asc(account::Column::Id)
            .all(&self.conn)
            .await?;
        let today = taipei_today(now);
        let past = course::Entity::find()
            .filter(course::Column::UnitCode.starts_with(unit_prefix))
            .filter(course::Column::State.eq("approved"))
            .filter(course::Column::EndDate.lt(today))
            .order_by_asc(course::Column::EndDate)
            .order_by_asc(course::Column::Id)
            .all(&self.conn)
            .await?;
        let system = ChangedBy {
            account_id: 0,
            unit_code: None,
            role: "system (demo data)".into(),
            ip: None,
        };
        // Each unit's latest past course still waits for its roster, and the one before for
        // the reviewer, so every demo school and centre has lights to show.
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let recency: Vec<usize> = past
            .iter()
            .rev()
            .map(|row| {
                let n = seen.entry(row.unit_code.as_str()).or_default();
                *n += 1;
                *n - 1
            })
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let mut written = 0;
        for (index, row) in past.iter().enumerate() {
            let ended = row.end_date.and_time(TEN_O_CLOCK).and_utc();
            let days_since = (today - row.end_date).num_days();
            // Recent courses, and one in ten older ones, still wait for their roster.
            if days_since <= 3 || index % 10 == 0 || recency[index] == 0 {
                continue;
            }
            for (j, teacher) in teachers.iter().enumerate() {
                if (index + j) % 6 == 0 {
                    self.enroll_demo(row, teacher, now).await?;
                }
            }
            let submitted_at = ended + Duration::days(1 + (index % 9) as i64);
            let confirmed = self
                .submit_roster(row.id, &system, std::cmp::min(submitted_at, now))
                .await
                .map_err(demo_error)?;
            // One in ten submitted rosters still waits for the reviewer.
            if confirmed || index % 10 == 5 || recency[index] == 1 {
                continue;
            }
            let confirmed_at = std::cmp::min(submitted_at + Duration::days(2), now);
            written += self
                .confirm_roster(row.id, &row.reviewer_code, &system, confirmed_at)
                .await
                .map_err(demo_error)?;
        }
        Ok(written)
    }

    async fn enroll_demo(
        &self,
        row: &course::Model,
        teacher: &account::Model,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let at = std::cmp::min(row.registration_opens_at + Duration::days(1), now);
        enrollment::Entity::insert(enrollment::ActiveModel {
            course_id: Set(row.id),
            account_id: Set(teacher.id),
            status: Set(EnrollmentStatus::Enrolled.code().to_owned()),
            rank: Set(None),
            unit_code: Set(teacher.unit_code.clone()),
            job_title: Set(teacher.job_title.clone()),
            warnings: Set("[]".into()),
            reason: Set(None),
            idempotency_key: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        })
        .exec_without_returning(&self.conn)
        .await?;
        course::Entity::update_many()
            .col_expr(
                course::Column::EnrolledCount,
                Expr::col(course::Column::EnrolledCount).add(Expr::val(1)),
            )
            .filter(course::Column::Id.eq(row.id))
            .exec(&self.conn)
            .await?;
        Ok(())
    }
}

fn demo_error(error: RecordError) -> StorageError {
    match error {
        RecordError::Storage(e) => e,
        other => StorageError::Corrupt(format!("demo roster: {other}")),
    }
}
