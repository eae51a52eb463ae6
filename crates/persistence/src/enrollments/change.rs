//! Changes after enrolling: withdrawal, the organiser's review and promotion, cancelling and
//! postponing a course, and the lottery. Every freed place goes to the waiting list at once,
//! and everyone affected is told through the outbox in the same transaction.

use chrono::{DateTime, Utc};
use inservice_domain::course::{CourseEvent, CourseForm, CourseState};
use inservice_domain::enrollment::{Allocation, EnrollmentStatus, draw, may_withdraw, targeted};
use inservice_domain::notice::Notice;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::NullOrdering;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, Order, QueryFilter, QueryOrder,
};

use super::{
    EnrollError, Enrollment, add_places, facts, promote_waiting, record, status_of, take_place,
    teacher, tell,
};
use crate::courses::{ChangedBy, form_of, log_course_event, state_of};
use crate::entities::{course, enrollment};
use crate::{Database, StorageError};

async fn course_row(
    conn: &impl ConnectionTrait,
    course_id: i32,
) -> Result<course::Model, EnrollError> {
    course::Entity::find_by_id(course_id)
        .one(conn)
        .await?
        .ok_or(EnrollError::CourseNotFound)
}

async fn enrollment_of(
    conn: &impl ConnectionTrait,
    course_id: i32,
    id: i32,
) -> Result<enrollment::Model, EnrollError> {
    enrollment::Entity::find_by_id(id)
        .filter(enrollment::Column::CourseId.eq(course_id))
        .one(conn)
        .await?
        .ok_or(EnrollError::NotFound)
}

async fn set_status(
    conn: &impl ConnectionTrait,
    row: enrollment::Model,
    status: EnrollmentStatus,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<enrollment::Model, StorageError> {
    let mut active: enrollment::ActiveModel = row.into();
    active.status = Set(status.code().to_owned());
    if reason.is_some() {
        active.reason = Set(reason.map(str::to_owned));
    }
    active.updated_at = Set(now);
    Ok(active.update(conn).await?)
}

/// Every enrollment of a course in one of `statuses`, in queue order.
async fn enrollments_in(
    conn: &impl ConnectionTrait,
    course_id: i32,
    statuses: &[EnrollmentStatus],
) -> Result<Vec<enrollment::Model>, StorageError> {
    let codes: Vec<&str> = statuses.iter().map(|s| s.code()).collect();
    Ok(enrollment::Entity::find()
        .filter(enrollment::Column::CourseId.eq(course_id))
        .filter(enrollment::Column::Status.is_in(codes))
        .order_by_with_nulls(enrollment::Column::Rank, Order::Asc, NullOrdering::First)
        .order_by_asc(enrollment::Column::Id)
        .all(conn)
        .await?)
}

const ACTIVE: [EnrollmentStatus; 4] = [
    EnrollmentStatus::Pending,
    EnrollmentStatus::Enrolled,
    EnrollmentStatus::Waiting,
    EnrollmentStatus::Applied,
];

impl Database {
    /// A teacher withdraws before the course starts; a place they held goes to the next
    /// teacher waiting.
    pub async fn withdraw(
        &self,
        enrollment_id: i32,
        account_id: i32,
        public_url: &str,
        now: DateTime<Utc>,
    ) -> Result<Enrollment, EnrollError> {
        let txn = self.begin_write().await?;
        let row = enrollment::Entity::find_by_id(enrollment_id)
            .filter(enrollment::Column::AccountId.eq(account_id))
            .one(&txn)
            .await?
            .ok_or(EnrollError::NotFound)?;
        let course = course_row(&txn, row.course_id).await?;
        let status = status_of(&row)?;
        let form = form_of(&course)?;
        if !status.is_active() {
            return Err(EnrollError::NotNow("not_active"));
        }
        if !may_withdraw(status, &form.sessions[0], now) {
            return Err(EnrollError::NotNow("course_started"));
        }
        let saved = set_status(&txn, row, EnrollmentStatus::Withdrawn, None, now).await?;
        if status.holds_place() {
            add_places(&txn, course.id, -1).await?;
            promote_waiting(&txn, &course, public_url, now).await?;
        }
        if let Some(teacher) = teacher(&txn, account_id).await? {
            let facts = facts(&txn, &course, public_url).await?;
            tell(&txn, &teacher, &facts, &Notice::Withdrawn, now).await?;
        }
        let withdrawn = record(&txn, saved).await?;
        txn.commit().await?;
        Ok(withdrawn)
    }

    /// The organiser accepts pending enrollments: one (`Some(id)`) or all of the course.
    pub async fn accept_enrollments(
        &self,
        course_id: i32,
        only: Option<i32>,
        public_url: &str,
        now: DateTime<Utc>,
    ) -> Result<usize, EnrollError> {
        let txn = self.begin_write().await?;
        let course = course_row(&txn, course_id).await?;
        let pending = match only {
            Some(id) => {
                let row = enrollment_of(&txn, course_id, id).await?;
                if status_of(&row)? != EnrollmentStatus::Pending {
                    return Err(EnrollError::NotNow("not_pending"));
                }
                vec![row]
            }
            None => enrollments_in(&txn, course_id, &[EnrollmentStatus::Pending]).await?,
        };
        let facts = facts(&txn, &course, public_url).await?;
        let accepted = pending.len();
        for row in pending {
            let account = row.account_id;
            set_status(&txn, row, EnrollmentStatus::Enrolled, None, now).await?;
            if let Some(teacher) = teacher(&txn, account).await? {
                tell(&txn, &teacher, &facts, &Notice::Accepted, now).await?;
            }
        }
        txn.commit().await?;
        Ok(accepted)
    }

    /// The organiser declines an enrollment (pending, waiting or a lottery application) with
    /// a reason; a freed place goes to the waiting list.
    pub async fn decline_enrollment(
        &self,
        course_id: i32,
        id: i32,
        reason: &str,
        public_url: &str,
        now: DateTime<Utc>,
    ) -> Result<Enrollment, EnrollError> {
        let txn = self.begin_write().await?;
        let course = course_row(&txn, course_id).await?;
        let row = enrollment_of(&txn, course_id, id).await?;
        let status = status_of(&row)?;
        if !status.is_active() {
            return Err(EnrollError::NotNow("not_active"));
        }
        let account = row.account_id;
        let saved = set_status(&txn, row, EnrollmentStatus::Declined, Some(reason), now).await?;
        if status.holds_place() {
            add_places(&txn, course_id, -1).await?;
            promote_waiting(&txn, &course, public_url, now).await?;
        }
        if let Some(teacher) = teacher(&txn, account).await? {
            let facts = facts(&txn, &course, public_url).await?;
            let notice = Notice::Declined {
                reason: reason.to_owned(),
            };
            tell(&txn, &teacher, &facts, &notice, now).await?;
        }
        let declined = record(&txn, saved).await?;
        txn.commit().await?;
        Ok(declined)
    }

    /// The organiser moves a waiting teacher up by hand, out of turn and even beyond the
    /// places, with the reason kept on the enrollment and in the course's history.
    pub async fn promote_enrollment(
        &self,
        course_id: i32,
        id: i32,
        reason: &str,
        by: &ChangedBy,
        public_url: &str,
        now: DateTime<Utc>,
    ) -> Result<Enrollment, EnrollError> {
        let txn = self.begin_write().await?;
        let course = course_row(&txn, course_id).await?;
        let row = enrollment_of(&txn, course_id, id).await?;
        if status_of(&row)? != EnrollmentStatus::Waiting {
            return Err(EnrollError::NotNow("not_waiting"));
        }
        if !take_place(&txn, course_id).await? {
            add_places(&txn, course_id, 1).await?;
        }
        let account = row.account_id;
        let saved = set_status(&txn, row, EnrollmentStatus::Enrolled, Some(reason), now).await?;
        let note = format!("候補 {id} 由開課單位遞補：{reason}");
        let state = state_of(&course)?.code();
        log_course_event(
            &txn,
            course_id,
            "promoted",
            (state, state),
            Some(&note),
            by,
            now,
        )
        .await?;
        if let Some(teacher) = teacher(&txn, account).await? {
            let facts = facts(&txn, &course, public_url).await?;
            tell(&txn, &teacher, &facts, &Notice::Promoted, now).await?;
        }
        let promoted = record(&txn, saved).await?;
        txn.commit().await?;
        Ok(promoted)
    }

    /// Cancels a course with a reason. Every enrolled, pending, waiting and applying teacher
    /// is queued a notice in the same transaction that shows the course as cancelled, so no
    /// teacher can see it cancelled without being told. Returns how many were told.
    pub async fn cancel_course(
        &self,
        course_id: i32,
        reason: &str,
        by: &ChangedBy,
        public_url: &str,
        now: DateTime<Utc>,
    ) -> Result<usize, EnrollError> {
        let txn = self.begin_write().await?;
        let course = course_row(&txn, course_id).await?;
        let before = state_of(&course)?;
        before
            .apply(CourseEvent::Cancel)
            .map_err(|e| EnrollError::Course(e.into()))?;
        let facts = facts(&txn, &course, public_url).await?;
        let affected = enrollments_in(&txn, course_id, &ACTIVE).await?;
        let told = affected.len();
        for row in affected {
            let account = row.account_id;
            set_status(
                &txn,
                row,
                EnrollmentStatus::CourseCancelled,
                Some(reason),
                now,
            )
            .await?;
            if let Some(teacher) = teacher(&txn, account).await? {
                let notice = Notice::Cancelled {
                    reason: reason.to_owned(),
                };
                tell(&txn, &teacher, &facts, &notice, now).await?;
            }
        }
        let mut active: course::ActiveModel = course.into();
        active.state = Set(CourseState::Cancelled.code().to_owned());
        active.cancel_reason = Set(Some(reason.to_owned()));
        active.cancelled_at = Set(Some(now));
        active.enrolled_count = Set(0);
        active.updated_at = Set(now);
        active.update(&txn).await?;
        log_course_event(
            &txn,
            course_id,
            "cancelled",
            (before.code(), "cancelled"),
            Some(reason),
            by,
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(told)
    }

    /// Moves a published course to new dates (`form` is the course with its new sessions and
    /// registration window) and tells everyone enrolled or waiting why.
    pub async fn postpone_course(
        &self,
        course_id: i32,
        form: &CourseForm,
        reason: &str,
        by: &ChangedBy,
        public_url: &str,
        now: DateTime<Utc>,
    ) -> Result<usize, EnrollError> {
        let txn = self.begin_write().await?;
        let course = course_row(&txn, course_id).await?;
        let state = state_of(&course)?;
        if !matches!(state, CourseState::Approved { .. }) {
            return Err(EnrollError::NotNow("not_published"));
        }
        let mut active: course::ActiveModel = course.clone().into();
        active.registration_opens_at = Set(form.registration_opens_at);
        active.registration_closes_at = Set(form.registration_closes_at);
        active.start_date = Set(form.start_date());
        active.end_date = Set(form.end_date());
        active.sessions = Set(crate::courses::sessions_json(&form.sessions));
        active.version = Set(course.version + 1);
        active.updated_at = Set(now);
        let moved = active.update(&txn).await?;
        let facts = facts(&txn, &moved, public_url).await?;
        let affected = enrollments_in(&txn, course_id, &ACTIVE).await?;
        for row in &affected {
            if let Some(teacher) = teacher(&txn, row.account_id).await? {
                let notice = Notice::Postponed {
                    reason: reason.to_owned(),
                };
                tell(&txn, &teacher, &facts, &notice, now).await?;
            }
        }
        let note = format!(
            "{reason}（新日期 {} ～ {}）",
            form.start_date(),
            form.end_date()
        );
        log_course_event(
            &txn,
            course_id,
            "postponed",
            (state.code(), state.code()),
            Some(&note),
            by,
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(affected.len())
    }

    /// The lottery of a course whose registration closed: applicants the course targets
    /// first, each group in the order `seed` gives; the places are filled in that order and
    /// the rest wait in it. The seed and the result go into the course's history, so the draw
    /// can be checked by anyone re-running it. Returns (places given, teachers waiting).
    pub async fn draw_lottery(
        &self,
        course_id: i32,
        seed: u64,
        by: Option<&ChangedBy>,
        public_url: &str,
        now: DateTime<Utc>,
    ) -> Result<(usize, usize), EnrollError> {
        let txn = self.begin_write().await?;
        let course = course_row(&txn, course_id).await?;
        let form = form_of(&course)?;
        if form.allocation != Allocation::Lottery {
            return Err(EnrollError::NotNow("not_a_lottery"));
        }
        if course.lottery_drawn_at.is_some() {
            return Err(EnrollError::NotNow("already_drawn"));
        }
        if !matches!(state_of(&course)?, CourseState::Approved { .. })
            || now < form.registration_closes_at
        {
            return Err(EnrollError::NotNow("registration_open"));
        }
        let applications = enrollments_in(&txn, course_id, &[EnrollmentStatus::Applied]).await?;
        let mut applicants = Vec::new();
        for row in &applications {
            let teacher = teacher(&txn, row.account_id).await?;
            let aimed = targeted(
                &form.target_stages,
                &form.target_titles,
                teacher.as_ref().and_then(|t| t.unit_kind),
                teacher.as_ref().and_then(|t| t.job_title.as_deref()),
            );
            applicants.push((row.id, aimed.0 && aimed.1));
        }
        let order = draw(seed, &applicants);
        let facts = facts(&txn, &course, public_url).await?;
        let (mut placed, mut waiting) = (0, 0);
        for (index, id) in order.iter().enumerate() {
            let row = applications
                .iter()
                .find(|r| r.id == *id)
                .cloned()
                .ok_or(EnrollError::NotFound)?;
            let account = row.account_id;
            let (status, notice) = if take_place(&txn, course_id).await? {
                placed += 1;
                let status = if course.review_enrollments {
                    EnrollmentStatus::Pending
                } else {
                    EnrollmentStatus::Enrolled
                };
                (status, Notice::DrawnIn)
            } else {
                waiting += 1;
                (
                    EnrollmentStatus::Waiting,
                    Notice::DrawnWaiting {
                        position: waiting as u64,
                    },
                )
            };
            let mut active: enrollment::ActiveModel = row.into();
            active.status = Set(status.code().to_owned());
            active.rank = Set(Some(index as i64));
            active.updated_at = Set(now);
            active.update(&txn).await?;
            if let Some(teacher) = teacher(&txn, account).await? {
                tell(&txn, &teacher, &facts, &notice, now).await?;
            }
        }
        course::Entity::update_many()
            .col_expr(course::Column::LotterySeed, Some(seed.to_string()).into())
            .col_expr(course::Column::LotteryDrawnAt, Some(now).into())
            .filter(course::Column::Id.eq(course_id))
            .exec(&txn)
            .await?;
        let note = format!(
            "公開抽籤：種子 {seed}，申請 {} 人，錄取 {placed} 人，候補 {waiting} 人；抽籤順序（報名編號）{}",
            order.len(),
            order
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(",")
        );
        let system = ChangedBy {
            account_id: 0,
            unit_code: None,
            role: "system".into(),
            ip: None,
        };
        let state = state_of(&course)?.code();
        log_course_event(
            &txn,
            course_id,
            "lottery_drawn",
            (state, state),
            Some(&note),
            by.unwrap_or(&system),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok((placed, waiting))
    }

    /// Lottery courses whose registration has closed and that were not drawn yet.
    pub async fn lotteries_due(&self, now: DateTime<Utc>) -> Result<Vec<i32>, StorageError> {
        Ok(course::Entity::find()
            .filter(course::Column::Allocation.eq(Allocation::Lottery.code()))
            .filter(course::Column::State.eq("approved"))
            .filter(course::Column::LotteryDrawnAt.is_null())
            .filter(course::Column::RegistrationClosesAt.lte(now))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect())
    }
}
