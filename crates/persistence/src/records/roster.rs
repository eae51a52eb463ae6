//! The roster (名單確認): the organiser submits the attendance (late after a week, Art. 12-2);
//! the reviewer of the course confirms it (or the regional centre's automatic confirmation
//! does), which writes every teacher's training record and closes the course (結案); or
//! returns it with a reason.

use chrono::{DateTime, Utc};
use inservice_domain::course::schedule::taipei_today;
use inservice_domain::course::{CourseEvent, CourseState, auto_approves};
use inservice_domain::hours::{caps_exceeded, spread_over_days};
use inservice_domain::roster::{attendance_of, roster_late};
use inservice_domain::{PageRequest, UnitKind};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;

use super::attendance::{AttendanceEntry, Origin, course_row, locked_course_row, sheet, upsert};
use super::{RecordError, days_json, parse_days};
use crate::courses::{ChangedBy, CoursePage, course_records, form_of, log_course_event, state_of};
use crate::entities::{attribute_tag, course, course_tag, training_record, unit};
use crate::{Database, StorageError};

/// Saves the course row's roster columns if its version is unchanged.
async fn save(
    conn: &impl ConnectionTrait,
    mut active: course::ActiveModel,
    row: &course::Model,
    now: DateTime<Utc>,
) -> Result<(), RecordError> {
    active.version = Set(row.version + 1);
    active.updated_at = Set(now);
    let result = course::Entity::update_many()
        .set(active)
        .filter(course::Column::Id.eq(row.id))
        .filter(course::Column::Version.eq(row.version))
        .exec(conn)
        .await?;
    if result.rows_affected == 1 {
        Ok(())
    } else {
        Err(RecordError::Stale)
    }
}

/// The (day, half-hours) of a teacher's confirmed records, for the caps.
async fn confirmed_days(
    conn: &impl ConnectionTrait,
    account_id: i32,
) -> Result<Vec<(chrono::NaiveDate, u32)>, StorageError> {
    Ok(training_record::Entity::find()
        .filter(training_record::Column::AccountId.eq(account_id))
        .filter(training_record::Column::Counted.eq(true))
        .all(conn)
        .await?
        .iter()
        .flat_map(|r| parse_days(&r.days))
        .collect())
}

/// Writes the records of a submitted roster and closes the course. The unique index on
/// (teacher, course) and `ON CONFLICT DO NOTHING` keep one record per teacher however it is
/// called.
async fn confirm(
    conn: &impl ConnectionTrait,
    row: &course::Model,
    by: &ChangedBy,
    now: DateTime<Utc>,
) -> Result<usize, RecordError> {
    let form = form_of(row)?;
    let unit_name = unit::Entity::find()
        .filter(unit::Column::Code.eq(row.unit_code.as_str()))
        .one(conn)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    let tag_ids: Vec<i32> = course_tag::Entity::find()
        .filter(course_tag::Column::CourseId.eq(row.id))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| t.tag_id)
        .collect();
    let tags: Vec<String> = attribute_tag::Entity::find()
        .filter(attribute_tag::Column::Id.is_in(tag_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| t.name)
        .collect();
    let dates: Vec<_> = form.sessions.iter().map(|s| s.date).collect();
    let seq = crate::exchange::clock::tick(conn).await?;
    let mut written = 0;
    for line in sheet(conn, row).await? {
        if line.half_hours == 0 {
            continue;
        }
        let inservice_domain::hours::Attendance::Attended(sessions) =
            attendance_of(line.mark, &line.missed, &form.sessions)
        else {
            continue;
        };
        let days = spread_over_days(&dates, &sessions, line.half_hours);
        let record = training_record::ActiveModel {
            account_id: Set(line.account_id),
            course_id: Set(Some(row.id)),
            half_hours: Set(line.half_hours as i32),
            days: Set(days_json(&days)),
            course_name: Set(row.name.clone()),
            unit_code: Set(row.unit_code.clone()),
            unit_name: Set(unit_name.clone()),
            start_date: Set(row.start_date),
            end_date: Set(row.end_date),
            category: Set(row.category.clone()),
            stage: Set(row.stage.clone()),
            class_type: Set(row.class_type.clone()),
            tags: Set(serde_json::Value::from(tags.as_slice()).to_string()),
            source: Set("online".into()),
            confirmed_at: Set(now),
            confirmed_by: Set((by.account_id > 0).then_some(by.account_id)),
            change_seq: Set(seq),
            updated_at: Set(Some(now)),
            ..Default::default()
        };
        training_record::Entity::insert(record)
            .on_conflict(
                OnConflict::columns([
                    training_record::Column::AccountId,
                    training_record::Column::CourseId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(conn)
            .await?;
        written += 1;
    }
    let active = course::ActiveModel {
        state: Set(CourseState::Closed.code().to_owned()),
        closed_at: Set(Some(now)),
        ..Default::default()
    };
    save(conn, active, row, now).await?;
    let note = format!("寫入研習紀錄 {written} 筆");
    log_course_event(
        conn,
        row.id,
        "roster_confirmed",
        ("roster_submitted", "closed"),
        Some(&note),
        by,
        now,
    )
    .await?;
    Ok(written)
}

/// Whether the regional centre confirms this course's rosters automatically.
async fn auto_confirms(
    conn: &impl ConnectionTrait,
    row: &course::Model,
) -> Result<bool, StorageError> {
    let reviewer = unit::Entity::find()
        .filter(unit::Column::Code.eq(row.reviewer_code.as_str()))
        .one(conn)
        .await?;
    let offering = unit::Entity::find()
        .filter(unit::Column::Code.eq(row.unit_code.as_str()))
        .one(conn)
        .await?;
    let (Some(reviewer), Some(offering)) = (reviewer, offering) else {
        return Ok(false);
    };
    let kind: UnitKind = offering.kind.parse().map_err(|_| {
        StorageError::Corrupt(format!("unit {} has an unknown kind", offering.code))
    })?;
    let form = form_of(row)?;
    Ok(auto_approves(
        kind,
        form.class_type,
        form.document_number.as_deref(),
        reviewer.auto_approve_rosters,
    ))
}

impl Database {
    /// Submits a course's roster once its last session has ended: every enrolled teacher not
    /// marked yet counts as present in full; the caps of Art. 10-2 are checked against each
    /// teacher's confirmed records for the reviewer. With the regional centre's automatic
    /// confirmation on (and a qualifying course) it is confirmed at once. Returns whether it
    /// was confirmed.
    pub async fn submit_roster(
        &self,
        course_id: i32,
        by: &ChangedBy,
        now: DateTime<Utc>,
    ) -> Result<bool, RecordError> {
        let txn = self.begin_write().await?;
        let row = locked_course_row(&txn, course_id).await?;
        let state = state_of(&row)?;
        if !matches!(state, CourseState::Approved { .. }) {
            return Err(RecordError::NotNow("invalid_course_state"));
        }
        let form = form_of(&row)?;
        let Some(last) = form.sessions.last() else {
            return Err(
                StorageError::Corrupt(format!("course {course_id} has no sessions")).into(),
            );
        };
        if now < last.end() {
            return Err(RecordError::NotNow("course_not_finished"));
        }
        let dates: Vec<_> = form.sessions.iter().map(|s| s.date).collect();
        let mut flags = Vec::new();
        for line in sheet(&txn, &row).await? {
            if !line.saved {
                let entry = AttendanceEntry {
                    account_id: line.account_id,
                    mark: line.mark,
                    missed: Vec::new(),
                };
                upsert(
                    &txn,
                    &row,
                    &form,
                    &entry,
                    Origin::Enrollment(line.enrollment_id),
                    by.account_id,
                    now,
                )
                .await?;
            }
            if let inservice_domain::hours::Attendance::Attended(sessions) =
                attendance_of(line.mark, &line.missed, &form.sessions)
            {
                let mut days = confirmed_days(&txn, line.account_id).await?;
                days.extend(spread_over_days(&dates, &sessions, line.half_hours));
                for cap in caps_exceeded(&days) {
                    flags.push(json!({"teacher": line.real_name, "message": cap.message()}));
                }
            }
        }
        let late = roster_late(form.end_date(), taipei_today(now));
        let active = course::ActiveModel {
            state: Set(CourseState::RosterSubmitted.code().to_owned()),
            roster_submitted_at: Set(Some(now)),
            roster_late: Set(late),
            roster_flags: Set(Some(serde_json::Value::Array(flags).to_string())),
            roster_reason: Set(None),
            ..Default::default()
        };
        save(&txn, active, &row, now).await?;
        let note = if late {
            Some("逾期登錄（課程結束超過一週）")
        } else {
            None
        };
        log_course_event(
            &txn,
            course_id,
            "roster_submitted",
            (state.code(), "roster_submitted"),
            note,
            by,
            now,
        )
        .await?;
        let auto = auto_confirms(&txn, &row).await?;
        if auto {
            let submitted = course_row(&txn, course_id).await?;
            confirm(&txn, &submitted, by, now).await?;
        }
        txn.commit().await?;
        Ok(auto)
    }

    /// The reviewer confirms a submitted roster: records are written, the course is closed.
    /// Returns how many records were written.
    pub async fn confirm_roster(
        &self,
        course_id: i32,
        reviewer: &str,
        by: &ChangedBy,
        now: DateTime<Utc>,
    ) -> Result<usize, RecordError> {
        let txn = self.begin_write().await?;
        let row = locked_course_row(&txn, course_id).await?;
        if row.reviewer_code != reviewer {
            return Err(RecordError::Stale);
        }
        state_of(&row)?
            .apply(CourseEvent::ConfirmRoster)
            .map_err(|_| RecordError::NotNow("roster_not_submitted"))?;
        let written = confirm(&txn, &row, by, now).await?;
        txn.commit().await?;
        Ok(written)
    }

    /// The reviewer returns a submitted roster with a reason; the organiser corrects and
    /// submits it again.
    pub async fn return_roster(
        &self,
        course_id: i32,
        reviewer: &str,
        reason: &str,
        by: &ChangedBy,
        now: DateTime<Utc>,
    ) -> Result<(), RecordError> {
        let txn = self.begin_write().await?;
        let row = locked_course_row(&txn, course_id).await?;
        if row.reviewer_code != reviewer {
            return Err(RecordError::Stale);
        }
        state_of(&row)?
            .apply(CourseEvent::ReturnRoster)
            .map_err(|_| RecordError::NotNow("roster_not_submitted"))?;
        let active = course::ActiveModel {
            state: Set(CourseState::Approved { auto: false }.code().to_owned()),
            roster_returned_at: Set(Some(now)),
            roster_reason: Set(Some(reason.to_owned())),
            ..Default::default()
        };
        save(&txn, active, &row, now).await?;
        log_course_event(
            &txn,
            course_id,
            "roster_returned",
            ("roster_submitted", "ended"),
            Some(reason),
            by,
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The rosters waiting for `reviewer`, oldest submission first.
    pub async fn roster_queue(
        &self,
        reviewer: &str,
        page: PageRequest,
    ) -> Result<CoursePage, StorageError> {
        let query = course::Entity::find()
            .filter(course::Column::ReviewerCode.eq(reviewer))
            .filter(course::Column::State.eq(CourseState::RosterSubmitted.code()))
            .order_by_asc(course::Column::RosterSubmittedAt)
            .order_by_asc(course::Column::Id);
        let total = query.clone().count(&self.conn).await?;
        let rows = query
            .offset(page.offset())
            .limit(page.per_page)
            .all(&self.conn)
            .await?;
        Ok(CoursePage {
            items: course_records(&self.conn, rows).await?,
            total,
        })
    }

    /// The roster's state beyond the course's: when it was submitted, whether late, why it was
    /// returned, and the reviewer's cap flags (`[{teacher, message}]`).
    pub async fn roster_facts(&self, course_id: i32) -> Result<Option<RosterFacts>, StorageError> {
        Ok(course::Entity::find_by_id(course_id)
            .one(&self.conn)
            .await?
            .map(|row| RosterFacts {
                submitted_at: row.roster_submitted_at,
                late: row.roster_late,
                returned_at: row.roster_returned_at,
                reason: row.roster_reason,
                flags: row
                    .roster_flags
                    .as_deref()
                    .and_then(|t| serde_json::from_str::<Vec<serde_json::Value>>(t).ok())
                    .unwrap_or_default()
                    .into_iter()
                    .map(|v| {
                        (
                            v["teacher"].as_str().unwrap_or_default().to_owned(),
                            v["message"].as_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect(),
                closed_at: row.closed_at,
            }))
    }
}

/// The roster's own facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterFacts {
    pub submitted_at: Option<DateTime<Utc>>,
    pub late: bool,
    pub returned_at: Option<DateTime<Utc>>,
    pub reason: Option<String>,
    /// (teacher, message) pairs.
    pub flags: Vec<(String, String)>,
    pub closed_at: Option<DateTime<Utc>>,
}
