//! Reading enrollments: a course's list for its organiser (with the teachers' contact data),
//! a teacher's own enrollments by group, and the private calendar feeds.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use inservice_domain::PageRequest;
use inservice_domain::account::job_title_label;
use inservice_domain::enrollment::EnrollmentStatus;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::NullOrdering;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, Order, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::{Enrollment, record};
use crate::courses::{Course, course_records};
use crate::entities::{account, calendar_feed, course, enrollment, unit};
use crate::reference::Page;
use crate::{Database, StorageError};

/// A teacher as an organiser sees them on the enrollment list and the sign-in sheets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeacherInfo {
    pub account_name: String,
    pub real_name: String,
    pub identity_masked: String,
    pub personal_number: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    pub job_title: Option<String>,
    pub job_title_label: Option<String>,
}

/// An enrollment with its teacher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub enrollment: Enrollment,
    pub teacher: TeacherInfo,
}

/// The groups of a teacher's own enrollments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnrollmentGroup {
    /// Enrolled or pending in a course that has not ended.
    Upcoming,
    /// On a waiting list or waiting for a draw.
    Waiting,
    /// Enrolled in a course that ended.
    Past,
    /// Withdrawn, declined, or the course was cancelled.
    Cancelled,
}

async fn participants(
    conn: &impl ConnectionTrait,
    rows: Vec<enrollment::Model>,
) -> Result<Vec<Participant>, StorageError> {
    let ids: Vec<i32> = rows.iter().map(|r| r.account_id).collect();
    let accounts: HashMap<i32, account::Model> = account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let codes: Vec<String> = rows.iter().filter_map(|r| r.unit_code.clone()).collect();
    let units: HashMap<String, String> = unit::Entity::find()
        .filter(unit::Column::Code.is_in(codes))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.code, u.name))
        .collect();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let account = accounts.get(&row.account_id).ok_or_else(|| {
            StorageError::Corrupt(format!("enrollment {} has no account", row.id))
        })?;
        let teacher = TeacherInfo {
            account_name: account.account_name.clone(),
            real_name: account.real_name.clone(),
            identity_masked: account.identity_masked.clone(),
            personal_number: account.personal_number.clone(),
            email: account.email.clone(),
            phone: account.phone.clone(),
            unit_name: row.unit_code.as_ref().and_then(|c| units.get(c).cloned()),
            unit_code: row.unit_code.clone(),
            job_title_label: row
                .job_title
                .as_deref()
                .and_then(job_title_label)
                .map(str::to_owned),
            job_title: row.job_title.clone(),
        };
        out.push(Participant {
            enrollment: record(conn, row).await?,
            teacher,
        });
    }
    Ok(out)
}

impl Database {
    pub async fn enrollment(&self, id: i32) -> Result<Option<Enrollment>, StorageError> {
        match enrollment::Entity::find_by_id(id).one(&self.conn).await? {
            Some(row) => Ok(Some(record(&self.conn, row).await?)),
            None => Ok(None),
        }
    }

    /// A teacher's enrollment in a course, if any.
    pub async fn enrollment_of(
        &self,
        course_id: i32,
        account_id: i32,
    ) -> Result<Option<Enrollment>, StorageError> {
        match enrollment::Entity::find()
            .filter(enrollment::Column::CourseId.eq(course_id))
            .filter(enrollment::Column::AccountId.eq(account_id))
            .one(&self.conn)
            .await?
        {
            Some(row) => Ok(Some(record(&self.conn, row).await?)),
            None => Ok(None),
        }
    }

    /// A course's enrollments, in the order they came (the waiting list in its order), one
    /// page at a time; `statuses` empty means all.
    pub async fn course_enrollments(
        &self,
        course_id: i32,
        statuses: &[EnrollmentStatus],
        page: Option<PageRequest>,
    ) -> Result<Page<Participant>, StorageError> {
        let mut query =
            enrollment::Entity::find().filter(enrollment::Column::CourseId.eq(course_id));
        if !statuses.is_empty() {
            let codes: Vec<&str> = statuses.iter().map(|s| s.code()).collect();
            query = query.filter(enrollment::Column::Status.is_in(codes));
        }
        let query = query
            .order_by_with_nulls(enrollment::Column::Rank, Order::Asc, NullOrdering::First)
            .order_by_asc(enrollment::Column::Id);
        let total = query.clone().count(&self.conn).await?;
        let rows = match page {
            Some(page) => {
                query
                    .offset(page.offset())
                    .limit(page.per_page)
                    .all(&self.conn)
                    .await?
            }
            None => query.all(&self.conn).await?,
        };
        Ok(Page {
            items: participants(&self.conn, rows).await?,
            total,
        })
    }

    /// How many of a course's enrollments are in each status.
    pub async fn enrollment_counts(
        &self,
        course_id: i32,
    ) -> Result<HashMap<EnrollmentStatus, u64>, StorageError> {
        let rows: Vec<(String, i64)> = enrollment::Entity::find()
            .select_only()
            .column(enrollment::Column::Status)
            .column_as(enrollment::Column::Id.count(), "n")
            .filter(enrollment::Column::CourseId.eq(course_id))
            .group_by(enrollment::Column::Status)
            .into_tuple()
            .all(&self.conn)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(status, n)| {
                EnrollmentStatus::from_code(&status).map(|s| (s, n.max(0) as u64))
            })
            .collect())
    }

    /// A teacher's enrollments of one group with their courses, soonest course first for
    /// what is coming and latest first for the rest.
    pub async fn my_enrollments(
        &self,
        account_id: i32,
        group: EnrollmentGroup,
        today: NaiveDate,
        page: PageRequest,
    ) -> Result<Page<(Enrollment, Course)>, StorageError> {
        use EnrollmentStatus as S;
        let (statuses, ended): (&[S], Option<bool>) = match group {
            EnrollmentGroup::Upcoming => (&[S::Pending, S::Enrolled], Some(false)),
            EnrollmentGroup::Waiting => (&[S::Waiting, S::Applied], None),
            EnrollmentGroup::Past => (&[S::Enrolled], Some(true)),
            EnrollmentGroup::Cancelled => (&[S::Withdrawn, S::Declined, S::CourseCancelled], None),
        };
        let codes: Vec<&str> = statuses.iter().map(|s| s.code()).collect();
        let mut courses = course::Entity::find()
            .select_only()
            .column(course::Column::Id);
        courses = match ended {
            Some(true) => courses.filter(course::Column::EndDate.lt(today)),
            Some(false) => courses.filter(course::Column::EndDate.gte(today)),
            None => courses,
        };
        let mut query = enrollment::Entity::find()
            .filter(enrollment::Column::AccountId.eq(account_id))
            .filter(enrollment::Column::Status.is_in(codes));
        if ended.is_some() {
            query = query.filter(
                enrollment::Column::CourseId.in_subquery(sea_orm::QueryTrait::into_query(courses)),
            );
        }
        let total = query.clone().count(&self.conn).await?;
        let rows = query
            .order_by_desc(enrollment::Column::UpdatedAt)
            .offset(page.offset())
            .limit(page.per_page)
            .all(&self.conn)
            .await?;
        let course_ids: Vec<i32> = rows.iter().map(|r| r.course_id).collect();
        let course_rows = course::Entity::find()
            .filter(course::Column::Id.is_in(course_ids))
            .all(&self.conn)
            .await?;
        let courses = course_records(&self.conn, course_rows).await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            let course = courses
                .iter()
                .find(|c| c.id == row.course_id)
                .cloned()
                .ok_or_else(|| {
                    StorageError::Corrupt(format!("enrollment {} lost its course", row.id))
                })?;
            items.push((record(&self.conn, row).await?, course));
        }
        // Soonest first for what is still to come.
        if group != EnrollmentGroup::Past && group != EnrollmentGroup::Cancelled {
            items.sort_by_key(|(_, c)| c.form.starts_at());
        }
        Ok(Page { items, total })
    }

    /// Every enrollment a teacher's calendar shows: taking part, waiting, or cancelled by the
    /// organiser (shown as cancelled), with the courses.
    pub async fn calendar_enrollments(
        &self,
        account_id: i32,
    ) -> Result<Vec<(Enrollment, Course)>, StorageError> {
        use EnrollmentStatus as S;
        let codes: Vec<&str> = [
            S::Pending,
            S::Enrolled,
            S::Waiting,
            S::Applied,
            S::CourseCancelled,
        ]
        .iter()
        .map(|s| s.code())
        .collect();
        let rows = enrollment::Entity::find()
            .filter(enrollment::Column::AccountId.eq(account_id))
            .filter(enrollment::Column::Status.is_in(codes))
            .order_by_asc(enrollment::Column::Id)
            .limit(500)
            .all(&self.conn)
            .await?;
        let ids: Vec<i32> = rows.iter().map(|r| r.course_id).collect();
        let course_rows = course::Entity::find()
            .filter(course::Column::Id.is_in(ids))
            .all(&self.conn)
            .await?;
        let courses = course_records(&self.conn, course_rows).await?;
        let mut items = Vec::new();
        for row in rows {
            if let Some(course) = courses.iter().find(|c| c.id == row.course_id).cloned() {
                items.push((record(&self.conn, row).await?, course));
            }
        }
        Ok(items)
    }

    /// Sets (or replaces) a teacher's calendar feed; the old address stops working.
    pub async fn set_calendar_feed(
        &self,
        account_id: i32,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        calendar_feed::Entity::insert(calendar_feed::ActiveModel {
            account_id: Set(account_id),
            token_hash: Set(token_hash.to_owned()),
            created_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(calendar_feed::Column::AccountId)
                .update_columns([
                    calendar_feed::Column::TokenHash,
                    calendar_feed::Column::CreatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&self.conn)
        .await?;
        Ok(())
    }

    pub async fn revoke_calendar_feed(&self, account_id: i32) -> Result<(), StorageError> {
        calendar_feed::Entity::delete_by_id(account_id)
            .exec(&self.conn)
            .await?;
        Ok(())
    }

    /// When the teacher's current feed was made, if there is one.
    pub async fn calendar_feed_created(
        &self,
        account_id: i32,
    ) -> Result<Option<DateTime<Utc>>, StorageError> {
        Ok(calendar_feed::Entity::find_by_id(account_id)
            .one(&self.conn)
            .await?
            .map(|f| f.created_at))
    }

    /// The teacher a feed token belongs to.
    pub async fn calendar_feed_owner(&self, token_hash: &str) -> Result<Option<i32>, StorageError> {
        Ok(calendar_feed::Entity::find()
            .filter(calendar_feed::Column::TokenHash.eq(token_hash))
            .one(&self.conn)
            .await?
            .map(|f| f.account_id))
    }
}
