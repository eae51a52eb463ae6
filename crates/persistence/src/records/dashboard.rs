//! 燈號: the unclosed courses a unit (or a regional centre, over its units) has to act on.

use chrono::NaiveDate;
use inservice_domain::course::CourseState;
use inservice_domain::course::schedule::taipei_today;
use inservice_domain::roster::{Light, Pending, light};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::{course, unit};
use crate::{Database, StorageError};

/// A course waiting for its roster or its confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingCourse {
    pub course_id: i32,
    pub name: String,
    pub unit_code: String,
    pub unit_name: String,
    pub end_date: NaiveDate,
    pub pending: Pending,
    /// Since when it waits: the last day, the submission, or the return.
    pub since: NaiveDate,
    pub light: Light,
}

impl Database {
    /// The unclosed courses of the units `filter` selects, worst light first.
    async fn pending_courses(
        &self,
        filter: Condition,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<PendingCourse>, StorageError> {
        let today = taipei_today(now);
        let rows = course::Entity::find()
            .filter(filter)
            .filter(
                Condition::any()
                    .add(
                        Condition::all()
                            .add(course::Column::State.eq("approved"))
                            .add(course::Column::EndDate.lt(today)),
                    )
                    .add(course::Column::State.eq(CourseState::RosterSubmitted.code())),
            )
            .order_by_asc(course::Column::EndDate)
            .all(&self.conn)
            .await?;
        let codes: Vec<String> = rows.iter().map(|r| r.unit_code.clone()).collect();
        let names: std::collections::HashMap<String, String> = unit::Entity::find()
            .filter(unit::Column::Code.is_in(codes))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|u| (u.code, u.name))
            .collect();
        let to_day = |t: chrono::DateTime<chrono::Utc>| taipei_today(t);
        let mut pending: Vec<PendingCourse> = rows
            .into_iter()
            .map(|row| {
                let (kind, since) = if row.state == CourseState::RosterSubmitted.code() {
                    (
                        Pending::AwaitingConfirmation,
                        row.roster_submitted_at.map_or(row.end_date, to_day),
                    )
                } else if let Some(returned) = row.roster_returned_at {
                    (Pending::Returned, to_day(returned))
                } else {
                    (Pending::RosterMissing, row.end_date)
                };
                PendingCourse {
                    light: light(kind, since, today),
                    unit_name: names.get(&row.unit_code).cloned().unwrap_or_default(),
                    course_id: row.id,
                    name: row.name,
                    unit_code: row.unit_code,
                    end_date: row.end_date,
                    pending: kind,
                    since,
                }
            })
            .collect();
        pending.sort_by(|a, b| b.light.cmp(&a.light).then(a.since.cmp(&b.since)));
        Ok(pending)
    }

    /// A unit's own unclosed courses.
    pub async fn unit_pending(
        &self,
        unit_code: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<PendingCourse>, StorageError> {
        self.pending_courses(
            Condition::all().add(course::Column::UnitCode.eq(unit_code)),
            now,
        )
        .await
    }

    /// The unclosed courses of every unit a regional centre reviews.
    pub async fn region_pending(
        &self,
        reviewer: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<PendingCourse>, StorageError> {
        self.pending_courses(
            Condition::all().add(course::Column::ReviewerCode.eq(reviewer)),
            now,
        )
        .await
    }
}
