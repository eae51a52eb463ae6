//! Attendance: the organiser's marks for every enrolled teacher (and walk-ins), with the hours
//! each earns computed by the Art. 10 rules as they are saved.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use inservice_domain::course::{CourseForm, CourseState};
use inservice_domain::enrollment::EnrollmentStatus;
use inservice_domain::hours::earned_half_hours;
use inservice_domain::roster::{Mark, Missed, attendance_of, counting};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};

use super::{RecordError, mark_of, missed_json, parse_missed};
use crate::courses::{ChangedBy, form_of, log_course_event, state_of};
use crate::entities::{account, attendance, course, enrollment, unit};
use crate::{Database, StorageError};

pub use inservice_domain::roster::AttendanceEntry;

/// One line of the attendance sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceRow {
    pub account_id: i32,
    pub enrollment_id: Option<i32>,
    pub walk_in: bool,
    pub mark: Mark,
    pub missed: Vec<Missed>,
    pub half_hours: u32,
    pub real_name: String,
    pub account_name: String,
    pub unit_name: Option<String>,
    pub job_title: Option<String>,
    /// Whether this line was saved (otherwise it is the default: present in full).
    pub saved: bool,
}

/// The half-hours an entry earns in a course.
pub(crate) fn hours_for(form: &CourseForm, mark: Mark, missed: &[Missed]) -> u32 {
    earned_half_hours(&attendance_of(mark, missed, &form.sessions), counting(form))
}

pub(crate) async fn course_row(
    conn: &impl ConnectionTrait,
    course_id: i32,
) -> Result<course::Model, RecordError> {
    course::Entity::find_by_id(course_id)
        .one(conn)
        .await?
        .ok_or(RecordError::CourseNotFound)
}

/// The course row, locked: every change after the course goes through it, so two
/// submissions, confirmations or saves of one course run one after the other.
pub(crate) async fn locked_course_row(
    conn: &impl ConnectionTrait,
    course_id: i32,
) -> Result<course::Model, RecordError> {
    crate::courses::locked_course_row(conn, course_id)
        .await?
        .ok_or(RecordError::CourseNotFound)
}

/// Attendance can be recorded for a published course from its first session until the roster
/// is submitted (and again after the reviewer returns it).
pub(crate) fn attendance_open(
    row: &course::Model,
    now: DateTime<Utc>,
) -> Result<CourseForm, RecordError> {
    let form = form_of(row)?;
    if !matches!(state_of(row)?, CourseState::Approved { .. }) {
        return Err(RecordError::NotNow("roster_closed"));
    }
    if now < form.starts_at() {
        return Err(RecordError::NotNow("course_not_started"));
    }
    Ok(form)
}

/// Every enrolled teacher and walk-in of a course with what was saved for them (or the default,
/// present in full), in enrollment order.
pub(crate) async fn sheet(
    conn: &impl ConnectionTrait,
    row: &course::Model,
) -> Result<Vec<AttendanceRow>, StorageError> {
    let form = form_of(row)?;
    let saved: HashMap<i32, attendance::Model> = attendance::Entity::find()
        .filter(attendance::Column::CourseId.eq(row.id))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.account_id, a))
        .collect();
    let enrolled = enrollment::Entity::find()
        .filter(enrollment::Column::CourseId.eq(row.id))
        .filter(enrollment::Column::Status.eq(EnrollmentStatus::Enrolled.code()))
        .order_by_asc(enrollment::Column::Id)
        .all(conn)
        .await?;
    let mut people: Vec<(i32, Option<i32>)> = enrolled
        .iter()
        .map(|e| (e.account_id, Some(e.id)))
        .collect();
    let mut walk_ins: Vec<&attendance::Model> = saved.values().filter(|a| a.walk_in).collect();
    walk_ins.sort_by_key(|a| a.id);
    people.extend(walk_ins.iter().map(|a| (a.account_id, None)));
    let ids: Vec<i32> = people.iter().map(|(id, _)| *id).collect();
    let accounts: HashMap<i32, account::Model> = account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let units: HashMap<String, String> = unit::Entity::find()
        .filter(
            unit::Column::Code.is_in(
                accounts
                    .values()
                    .filter_map(|a| a.unit_code.clone())
                    .collect::<Vec<_>>(),
            ),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.code, u.name))
        .collect();
    let mut rows = Vec::with_capacity(people.len());
    for (account_id, enrollment_id) in people {
        let Some(who) = accounts.get(&account_id) else {
            continue;
        };
        let (mark, missed, walk_in, is_saved) = match saved.get(&account_id) {
            Some(a) => (
                mark_of(&a.status)?,
                parse_missed(&a.sessions)?,
                a.walk_in,
                true,
            ),
            None => (Mark::Attended, Vec::new(), false, false),
        };
        rows.push(AttendanceRow {
            half_hours: hours_for(&form, mark, &missed),
            account_id,
            enrollment_id,
            walk_in,
            mark,
            missed,
            real_name: who.real_name.clone(),
            account_name: who.account_name.clone(),
            unit_name: who.unit_code.as_ref().and_then(|c| units.get(c).cloned()),
            job_title: who.job_title.clone(),
            saved: is_saved,
        });
    }
    Ok(rows)
}

/// How a teacher came to be on the sheet, for a line written the first time.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Origin {
    /// Enrolled (the enrollment, when known).
    Enrollment(Option<i32>),
    /// Came without enrolling.
    WalkIn,
}

/// Writes one teacher's attendance (insert or replace).
pub(crate) async fn upsert(
    conn: &impl ConnectionTrait,
    row: &course::Model,
    form: &CourseForm,
    entry: &AttendanceEntry,
    origin: Origin,
    by: i32,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    let (enrollment_id, walk_in) = match origin {
        Origin::Enrollment(id) => (id, false),
        Origin::WalkIn => (None, true),
    };
    let existing = attendance::Entity::find()
        .filter(attendance::Column::CourseId.eq(row.id))
        .filter(attendance::Column::AccountId.eq(entry.account_id))
        .one(conn)
        .await?;
    let mut active = match existing {
        Some(old) => {
            let walk_in = old.walk_in;
            let mut active: attendance::ActiveModel = old.into();
            active.walk_in = Set(walk_in);
            active
        }
        None => attendance::ActiveModel {
            course_id: Set(row.id),
            account_id: Set(entry.account_id),
            enrollment_id: Set(enrollment_id),
            walk_in: Set(walk_in),
            ..Default::default()
        },
    };
    active.status = Set(entry.mark.code().to_owned());
    active.sessions = Set(missed_json(&entry.missed));
    active.half_hours = Set(hours_for(form, entry.mark, &entry.missed) as i32);
    active.updated_by = Set(Some(by));
    active.updated_at = Set(now);
    active.save(conn).await?;
    Ok(())
}

impl Database {
    /// The attendance sheet of a course.
    pub async fn attendance_sheet(
        &self,
        course_id: i32,
    ) -> Result<Vec<AttendanceRow>, RecordError> {
        let row = course_row(&self.conn, course_id).await?;
        Ok(sheet(&self.conn, &row).await?)
    }

    /// Saves the organiser's marks. Every entry must be an enrolled teacher or a walk-in of the
    /// course; nothing is saved if one is not.
    pub async fn save_attendance(
        &self,
        course_id: i32,
        entries: &[AttendanceEntry],
        by: &ChangedBy,
        now: DateTime<Utc>,
    ) -> Result<Vec<AttendanceRow>, RecordError> {
        let txn = self.begin_write().await?;
        let row = locked_course_row(&txn, course_id).await?;
        let form = attendance_open(&row, now)?;
        let known: HashMap<i32, Option<i32>> = sheet(&txn, &row)
            .await?
            .into_iter()
            .map(|r| (r.account_id, r.enrollment_id))
            .collect();
        for entry in entries {
            let Some(enrollment_id) = known.get(&entry.account_id) else {
                return Err(RecordError::NotNow("not_a_participant"));
            };
            upsert(
                &txn,
                &row,
                &form,
                entry,
                Origin::Enrollment(*enrollment_id),
                by.account_id,
                now,
            )
            .await?;
        }
        let state = state_of(&row)?.code();
        let note = format!("登錄出席 {} 人", entries.len());
        log_course_event(
            &txn,
            course_id,
            "attendance_saved",
            (state, state),
            Some(&note),
            by,
            now,
        )
        .await?;
        let rows = sheet(&txn, &row).await?;
        txn.commit().await?;
        Ok(rows)
    }

    /// Adds a teacher who came without enrolling (present in full until marked otherwise).
    pub async fn add_walk_in(
        &self,
        course_id: i32,
        account_id: i32,
        by: &ChangedBy,
        now: DateTime<Utc>,
    ) -> Result<Vec<AttendanceRow>, RecordError> {
        let txn = self.begin_write().await?;
        let row = locked_course_row(&txn, course_id).await?;
        let form = attendance_open(&row, now)?;
        let teacher = account::Entity::find_by_id(account_id)
            .one(&txn)
            .await?
            .filter(|a| a.kind == "teacher")
            .ok_or(RecordError::NotFound)?;
        if sheet(&txn, &row)
            .await?
            .iter()
            .any(|r| r.account_id == teacher.id)
        {
            return Err(RecordError::NotNow("already_on_roster"));
        }
        let entry = AttendanceEntry {
            account_id: teacher.id,
            mark: Mark::Attended,
            missed: Vec::new(),
        };
        upsert(
            &txn,
            &row,
            &form,
            &entry,
            Origin::WalkIn,
            by.account_id,
            now,
        )
        .await?;
        let state = state_of(&row)?.code();
        log_course_event(
            &txn,
            course_id,
            "walk_in_added",
            (state, state),
            Some(&teacher.real_name),
            by,
            now,
        )
        .await?;
        let rows = sheet(&txn, &row).await?;
        txn.commit().await?;
        Ok(rows)
    }
}
