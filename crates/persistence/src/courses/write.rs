//! Changes to courses: create, edit, submit, decide, copy, delete a draft. Each is one
//! transaction with its history event and audit line.

use chrono::{DateTime, Utc};
use inservice_domain::FieldErrors;
use inservice_domain::course::{
    CourseEvent, CourseForm, CourseState, auto_approves, review_flags, submission_errors,
};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};

use super::mapping::{self, flags_json};
use super::{ChangedBy, Course, CourseError, Decision};
use crate::accounts::{UnitRef, unit_ref};
use crate::audit::{AuditEntry, write_audit};
use crate::entities::{course, course_event, course_tag, unit};
use crate::{Database, StorageError};

/// Reads a course row for change, locked until the transaction ends on PostgreSQL (SQLite's
/// write transactions are exclusive already): changes of one course run one after the other.
pub(crate) async fn locked_row(
    conn: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<course::Model>, sea_orm::DbErr> {
    let mut query = course::Entity::find_by_id(id);
    if conn.get_database_backend() == sea_orm::DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    query.one(conn).await
}

/// [`locked_row`], which must exist.
pub(super) async fn locked(
    conn: &impl ConnectionTrait,
    id: i32,
) -> Result<course::Model, CourseError> {
    locked_row(conn, id).await?.ok_or(CourseError::NotFound)
}

/// Writes the changed columns of `active` if the row still has `version`, bumping it.
pub(super) async fn save(
    conn: &impl ConnectionTrait,
    mut active: course::ActiveModel,
    id: i32,
    version: i32,
    now: DateTime<Utc>,
) -> Result<(), CourseError> {
    active.id = NotSet;
    active.version = Set(version + 1);
    active.updated_at = Set(now);
    let result = course::Entity::update_many()
        .set(active)
        .filter(course::Column::Id.eq(id))
        .filter(course::Column::Version.eq(version))
        .exec(conn)
        .await?;
    if result.rows_affected == 1 {
        Ok(())
    } else {
        Err(CourseError::Stale)
    }
}

/// One step of the course's history, and the matching audit-log line.
pub(crate) async fn log(
    conn: &impl ConnectionTrait,
    course_id: i32,
    event: &str,
    (from, to): (&str, &str),
    reason: Option<&str>,
    by: &ChangedBy,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    course_event::ActiveModel {
        course_id: Set(course_id),
        at: Set(now),
        // The system (a scheduled lottery) has no account.
        actor_account_id: Set((by.account_id > 0).then_some(by.account_id)),
        actor_unit_code: Set(by.unit_code.clone()),
        event: Set(event.to_owned()),
        from_state: Set(from.to_owned()),
        to_state: Set(to.to_owned()),
        reason: Set(reason.map(str::to_owned)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let summary = if from == to {
        format!("course {course_id}: {event}")
    } else {
        format!("course {course_id}: {event} ({from} → {to})")
    };
    write_audit(
        conn,
        AuditEntry {
            actor_account_id: (by.account_id > 0).then_some(by.account_id),
            actor_role: by.role.clone(),
            action: format!("course.{event}"),
            target_kind: "course".into(),
            target_id: Some(course_id.to_string()),
            summary,
            ip: by.ip.clone(),
        },
        now,
    )
    .await
}

async fn unit_of(conn: &impl ConnectionTrait, code: &str) -> Result<UnitRef, CourseError> {
    unit_ref(conn, code).await?.ok_or(CourseError::NotFound)
}

/// The reviewing unit's automatic-approval switch for courses.
async fn auto_switch(conn: &impl ConnectionTrait, reviewer: &str) -> Result<bool, CourseError> {
    Ok(unit::Entity::find()
        .filter(unit::Column::Code.eq(reviewer))
        .one(conn)
        .await?
        .is_some_and(|u| u.auto_approve_courses))
}

/// Where a course goes when it is (re)submitted: to its reviewer, or straight to approved when
/// the reviewer switched automatic approval on and the course qualifies.
async fn route(
    conn: &impl ConnectionTrait,
    unit: &UnitRef,
    form: &CourseForm,
) -> Result<(String, CourseState), CourseError> {
    let reviewer = unit.reviewer_code();
    let switch = auto_switch(conn, &reviewer).await?;
    let state = if auto_approves(
        unit.kind,
        form.class_type,
        form.document_number.as_deref(),
        switch,
    ) {
        CourseState::Submitted.apply(CourseEvent::AutoApprove)?
    } else {
        CourseState::Submitted
    };
    Ok((reviewer, state))
}

fn set_state(active: &mut course::ActiveModel, state: CourseState) {
    active.state = Set(state.code().to_owned());
    active.auto_approved = Set(matches!(state, CourseState::Approved { auto: true }));
}

/// Series sessions are told apart by their names (Art. 8-1).
async fn check_series_name(
    conn: &impl ConnectionTrait,
    row: &course::Model,
) -> Result<(), CourseError> {
    let Some(series) = row.series_id else {
        return Ok(());
    };
    let twin = course::Entity::find()
        .filter(course::Column::Id.ne(row.id))
        .filter(
            course::Column::SeriesId
                .eq(series)
                .or(course::Column::Id.eq(series)),
        )
        .filter(course::Column::Name.eq(row.name.clone()))
        .filter(course::Column::State.is_not_in(["draft", "rejected", "cancelled"]))
        .one(conn)
        .await?;
    match twin {
        None => Ok(()),
        Some(twin) => Err(CourseError::Invalid(FieldErrors::single(
            "name",
            "duplicate_in_series",
            format!(
                "系列課程請依場次區別名稱（例如加上「第二場」）：課程 {} 已使用這個名稱",
                twin.id
            ),
        ))),
    }
}

/// The effect of changing a course whose form is now `form`: its state before and after (an
/// approved course goes back to review, and is routed again) and the columns that follow.
pub(super) async fn edited(
    conn: &impl ConnectionTrait,
    row: &course::Model,
    form: &CourseForm,
    now: DateTime<Utc>,
) -> Result<(CourseState, CourseState, course::ActiveModel), CourseError> {
    let before = mapping::state(row)?;
    let mut after = before.apply(CourseEvent::Edit)?;
    let unit = unit_of(conn, &row.unit_code).await?;
    let mut active = course::ActiveModel {
        county_code: Set(unit.county_code.clone()),
        ..Default::default()
    };
    if after == CourseState::Submitted {
        let (reviewer, routed) = route(conn, &unit, form).await?;
        after = routed;
        let flags = review_flags(form, now);
        active.reviewer_code = Set(reviewer);
        active.flags = Set(flags_json(&flags));
        active.flagged = Set(!flags.is_empty());
        active.submitted_at = Set(Some(now));
        if let CourseState::Approved { .. } = after {
            active.decided_at = Set(Some(now));
            active.decision_reason = Set(None);
        }
    }
    set_state(&mut active, after);
    Ok((before, after, active))
}

/// The tags of a course, by id.
pub(super) async fn tag_ids(conn: &impl ConnectionTrait, id: i32) -> Result<Vec<i32>, CourseError> {
    Ok(course_tag::Entity::find()
        .filter(course_tag::Column::CourseId.eq(id))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| t.tag_id)
        .collect())
}

impl Database {
    async fn reload(&self, id: i32) -> Result<Course, CourseError> {
        self.course(id).await?.ok_or(CourseError::NotFound)
    }

    /// Registers a new course of `unit_code` as a draft.
    pub async fn create_course(
        &self,
        unit_code: &str,
        form: &CourseForm,
        by: &ChangedBy,
        now: DateTime<Utc>,
    ) -> Result<Course, CourseError> {
        let txn = self.begin_write().await?;
        let unit = unit_of(&txn, unit_code).await?;
        let flags = review_flags(form, now);
        let mut active = course::ActiveModel {
            unit_code: Set(unit.code.clone()),
            series_id: Set(None),
            version: Set(0),
            reviewer_code: Set(unit.reviewer_code()),
            enrolled_count: Set(0),
            county_code: Set(unit.county_code.clone()),
            flags: Set(flags_json(&flags)),
            flagged: Set(!flags.is_empty()),
            created_by: Set(Some(by.account_id)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        set_state(&mut active, CourseState::Draft);
        mapping::set_form(&mut active, form);
        let row = active.insert(&txn).await?;
        mapping::set_tags(&txn, row.id, &form.tag_ids).await?;
        log(&txn, row.id, "created", ("", "draft"), None, by, now).await?;
        txn.commit().await?;
        self.reload(row.id).await
    }

    /// Replaces the form of a course. An approved course goes back to review (Art. 11-8),
    /// where automatic approval may publish it again at once.
    pub async fn update_course(
        &self,
        id: i32,
        expected_version: Option<i32>,
        form: &CourseForm,
        by: &ChangedBy,
        now: DateTime<Utc>,
    ) -> Result<Course, CourseError> {
        let txn = self.begin_write().await?;
        let row = locked(&txn, id).await?;
        if expected_version.is_some_and(|v| v != row.version) {
            return Err(CourseError::Stale);
        }
        let (before, after, mut active) = edited(&txn, &row, form, now).await?;
        mapping::set_form(&mut active, form);
        save(&txn, active, id, row.version, now).await?;
        mapping::set_tags(&txn, id, &form.tag_ids).await?;
        log(
            &txn,
            id,
            "edited",
            (before.code(), after.code()),
            None,
            by,
            now,
        )
        .await?;
        txn.commit().await?;
        self.reload(id).await
    }

    /// Sends a draft or returned course to its reviewer; with the reviewer's automatic approval
    /// on and a qualifying course, it is published at once.
    pub async fn submit_course(
        &self,
        id: i32,
        by: &ChangedBy,
        now: DateTime<Utc>,
    ) -> Result<Course, CourseError> {
        let txn = self.begin_write().await?;
        let row = locked(&txn, id).await?;
        let before = mapping::state(&row)?;
        before.apply(CourseEvent::Submit)?;
        let form = mapping::form(&row, tag_ids(&txn, id).await?)?;
        submission_errors(&form, now).map_err(CourseError::Invalid)?;
        check_series_name(&txn, &row).await?;
        let unit = unit_of(&txn, &row.unit_code).await?;
        let (reviewer, after) = route(&txn, &unit, &form).await?;
        let flags = review_flags(&form, now);
        let mut active = course::ActiveModel {
            reviewer_code: Set(reviewer),
            flags: Set(flags_json(&flags)),
            flagged: Set(!flags.is_empty()),
            submitted_at: Set(Some(now)),
            decision_reason: Set(None),
            ..Default::default()
        };
        if let CourseState::Approved { .. } = after {
            active.decided_at = Set(Some(now));
        }
        set_state(&mut active, after);
        save(&txn, active, id, row.version, now).await?;
        log(
            &txn,
            id,
            "submitted",
            (before.code(), "submitted"),
            None,
            by,
            now,
        )
        .await?;
        if after != CourseState::Submitted {
            log(
                &txn,
                id,
                "auto_approved",
                ("submitted", after.code()),
                None,
                by,
                now,
            )
            .await?;
        }
        txn.commit().await?;
        self.reload(id).await
    }

    /// A reviewer's decision. `reviewer` is the unit the caller reviews for: if the course was
    /// routed elsewhere meanwhile, nothing changes.
    pub async fn decide_course(
        &self,
        id: i32,
        decision: Decision,
        reason: Option<&str>,
        reviewer: &str,
        by: &ChangedBy,
        now: DateTime<Utc>,
    ) -> Result<Course, CourseError> {
        let txn = self.begin_write().await?;
        let row = locked(&txn, id).await?;
        if row.reviewer_code != reviewer {
            return Err(CourseError::Stale);
        }
        let before = mapping::state(&row)?;
        let after = before.apply(match decision {
            Decision::Approve => CourseEvent::Approve,
            Decision::Return => CourseEvent::Return,
            Decision::Reject => CourseEvent::Reject,
        })?;
        let mut active = course::ActiveModel {
            decision_reason: Set(reason.map(str::to_owned)),
            decided_at: Set(Some(now)),
            ..Default::default()
        };
        set_state(&mut active, after);
        save(&txn, active, id, row.version, now).await?;
        log(
            &txn,
            id,
            decision.code(),
            (before.code(), after.code()),
            reason,
            by,
            now,
        )
        .await?;
        txn.commit().await?;
        self.reload(id).await
    }

    /// Copies a course as a new draft session of its series, tags included.
    pub async fn copy_course(
        &self,
        id: i32,
        by: &ChangedBy,
        now: DateTime<Utc>,
    ) -> Result<Course, CourseError> {
        let txn = self.begin_write().await?;
        let row = locked(&txn, id).await?;
        let series = row.series_id.unwrap_or(row.id);
        if row.series_id.is_none() {
            course::Entity::update_many()
                .col_expr(course::Column::SeriesId, Expr::value(series))
                .filter(course::Column::Id.eq(id))
                .exec(&txn)
                .await?;
        }
        let tag_ids = tag_ids(&txn, id).await?;
        let form = mapping::form(&row, tag_ids.clone())?;
        let unit = unit_of(&txn, &row.unit_code).await?;
        let mut active = course::ActiveModel {
            unit_code: Set(row.unit_code.clone()),
            series_id: Set(Some(series)),
            version: Set(0),
            reviewer_code: Set(unit.reviewer_code()),
            enrolled_count: Set(0),
            county_code: Set(unit.county_code.clone()),
            flags: Set(row.flags.clone()),
            flagged: Set(row.flagged),
            created_by: Set(Some(by.account_id)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        set_state(&mut active, CourseState::Draft);
        mapping::set_form(&mut active, &form);
        let copy = active.insert(&txn).await?;
        mapping::set_tags(&txn, copy.id, &tag_ids).await?;
        let note = format!("複製自課程 {id}");
        log(
            &txn,
            copy.id,
            "created",
            ("", "draft"),
            Some(&note),
            by,
            now,
        )
        .await?;
        txn.commit().await?;
        self.reload(copy.id).await
    }

    /// Deletes a course that never left its unit (a draft); anything reviewed stays on record.
    pub async fn delete_draft(
        &self,
        id: i32,
        by: &ChangedBy,
        now: DateTime<Utc>,
    ) -> Result<(), CourseError> {
        let txn = self.begin_write().await?;
        let row = locked(&txn, id).await?;
        let state = mapping::state(&row)?;
        if state != CourseState::Draft || row.submitted_at.is_some() {
            return Err(CourseError::NotDeletable);
        }
        course::Entity::delete_by_id(id).exec(&txn).await?;
        write_audit(
            &txn,
            AuditEntry {
                actor_account_id: Some(by.account_id),
                actor_role: by.role.clone(),
                action: "course.deleted".into(),
                target_kind: "course".into(),
                target_id: Some(id.to_string()),
                summary: format!("deleted draft course {id}"),
                ip: by.ip.clone(),
            },
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}
