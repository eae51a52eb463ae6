//! 修改已結案課程內容申請 (Art. 12-5): a closed course's attendance changes only through a
//! request its regional centre approves; the request keeps the attendance before and after,
//! and approval rewrites the affected training records in the same transaction.

use chrono::{DateTime, Utc};
use inservice_domain::course::CourseState;
use inservice_domain::hours::{Attendance, spread_over_days};
use inservice_domain::roster::attendance_of;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use super::attendance::{AttendanceEntry, Origin, hours_for, locked_course_row, sheet, upsert};
use super::{RecordError, days_json, missed_json, parse_missed};
use crate::courses::{ChangedBy, form_of, log_course_event, state_of};
use crate::entities::{amendment, training_record};
use crate::{Database, StorageError};

/// A record whose hours an amendment took away: kept, so retrieval reports the change.
pub(crate) const WITHDRAWN: &str = "withdrawn";

/// The transaction's change sequence value, taken the first time a record is written.
async fn tick(
    conn: &impl sea_orm::ConnectionTrait,
    seq: &mut Option<i64>,
) -> Result<i64, StorageError> {
    match *seq {
        Some(value) => Ok(value),
        None => {
            let value = crate::exchange::clock::tick(conn).await?;
            *seq = Some(value);
            Ok(value)
        }
    }
}

/// An amendment request.
#[derive(Debug, Clone, PartialEq)]
pub struct Amendment {
    pub id: i32,
    pub course_id: i32,
    pub reviewer_code: String,
    pub requested_by: i32,
    pub requested_at: DateTime<Utc>,
    pub reason: String,
    /// `[{account_id, real_name, mark, missed, half_hours}]` before and after.
    pub before: Value,
    pub after: Value,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_reason: Option<String>,
}

fn amendment_record(row: amendment::Model) -> Amendment {
    Amendment {
        before: serde_json::from_str(&row.before).unwrap_or(Value::Null),
        after: serde_json::from_str(&row.after).unwrap_or(Value::Null),
        id: row.id,
        course_id: row.course_id,
        reviewer_code: row.reviewer_code,
        requested_by: row.requested_by,
        requested_at: row.requested_at,
        reason: row.reason,
        status: row.status,
        decided_at: row.decided_at,
        decision_reason: row.decision_reason,
    }
}

impl Database {
    /// Files a request to change a closed course's attendance: `entries` are the lines as they
    /// should be. Nothing changes until the regional centre approves.
    pub async fn request_amendment(
        &self,
        course_id: i32,
        reason: &str,
        entries: &[AttendanceEntry],
        by: &ChangedBy,
        now: DateTime<Utc>,
    ) -> Result<Amendment, RecordError> {
        let txn = self.begin_write().await?;
        let row = locked_course_row(&txn, course_id).await?;
        if state_of(&row)? != CourseState::Closed {
            return Err(RecordError::NotNow("course_not_closed"));
        }
        let form = form_of(&row)?;
        let lines = sheet(&txn, &row).await?;
        let mut before = Vec::new();
        let mut after = Vec::new();
        for entry in entries {
            let Some(line) = lines.iter().find(|l| l.account_id == entry.account_id) else {
                return Err(RecordError::NotNow("not_a_participant"));
            };
            before.push(json!({
                "account_id": line.account_id, "real_name": line.real_name,
                "mark": line.mark.code(), "missed": missed_json(&line.missed),
                "half_hours": line.half_hours,
            }));
            after.push(json!({
                "account_id": entry.account_id, "real_name": line.real_name,
                "mark": entry.mark.code(), "missed": missed_json(&entry.missed),
                "half_hours": hours_for(&form, entry.mark, &entry.missed),
            }));
        }
        let saved = amendment::ActiveModel {
            course_id: Set(course_id),
            reviewer_code: Set(row.reviewer_code.clone()),
            requested_by: Set(by.account_id),
            requested_at: Set(now),
            reason: Set(reason.to_owned()),
            before: Set(Value::Array(before).to_string()),
            after: Set(Value::Array(after).to_string()),
            status: Set("pending".into()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        log_course_event(
            &txn,
            course_id,
            "amendment_requested",
            ("closed", "closed"),
            Some(reason),
            by,
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(amendment_record(saved))
    }

    pub async fn amendment(&self, id: i32) -> Result<Option<Amendment>, StorageError> {
        Ok(amendment::Entity::find_by_id(id)
            .one(&self.conn)
            .await?
            .map(amendment_record))
    }

    /// Requests for one course, newest first.
    pub async fn course_amendments(&self, course_id: i32) -> Result<Vec<Amendment>, StorageError> {
        Ok(amendment::Entity::find()
            .filter(amendment::Column::CourseId.eq(course_id))
            .order_by_desc(amendment::Column::Id)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(amendment_record)
            .collect())
    }

    /// Requests waiting for a regional centre, oldest first.
    pub async fn pending_amendments(&self, reviewer: &str) -> Result<Vec<Amendment>, StorageError> {
        Ok(amendment::Entity::find()
            .filter(amendment::Column::ReviewerCode.eq(reviewer))
            .filter(amendment::Column::Status.eq("pending"))
            .order_by_asc(amendment::Column::Id)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(amendment_record)
            .collect())
    }

    /// The regional centre decides a request. Approval applies the new attendance and rewrites
    /// the affected teachers' records (a teacher left without hours loses the record).
    pub async fn decide_amendment(
        &self,
        id: i32,
        approve: bool,
        reason: Option<&str>,
        reviewer: &str,
        by: &ChangedBy,
        now: DateTime<Utc>,
    ) -> Result<Amendment, RecordError> {
        let txn = self.begin_write().await?;
        let mut seq = None;
        let find = || amendment::Entity::find_by_id(id).one(&txn);
        let course_id = find().await?.ok_or(RecordError::NotFound)?.course_id;
        // The course's lock first, then the request as it stands under it: two decisions of
        // one request run one after the other, and the second finds it decided.
        let row = locked_course_row(&txn, course_id).await?;
        let request = find().await?.ok_or(RecordError::NotFound)?;
        if request.reviewer_code != reviewer {
            return Err(RecordError::NotFound);
        }
        if request.status != "pending" {
            return Err(RecordError::NotNow("already_decided"));
        }
        if approve {
            let form = form_of(&row)?;
            let dates: Vec<_> = form.sessions.iter().map(|s| s.date).collect();
            let after: Vec<Value> = serde_json::from_str(&request.after).unwrap_or_default();
            for line in after {
                let account_id = line["account_id"].as_i64().unwrap_or_default() as i32;
                let mark = super::mark_of(line["mark"].as_str().unwrap_or_default())?;
                let missed = parse_missed(line["missed"].as_str().unwrap_or("[]"))?;
                let entry = AttendanceEntry {
                    account_id,
                    mark,
                    missed: missed.clone(),
                };
                upsert(
                    &txn,
                    &row,
                    &form,
                    &entry,
                    Origin::Enrollment(None),
                    by.account_id,
                    now,
                )
                .await?;
                let half_hours = hours_for(&form, mark, &missed);
                let existing = training_record::Entity::find()
                    .filter(training_record::Column::AccountId.eq(account_id))
                    .filter(training_record::Column::CourseId.eq(row.id))
                    .one(&txn)
                    .await?;
                match (existing, half_hours) {
                    // Withdrawn, not deleted: partners retrieving changes learn of it.
                    (Some(record), 0) => {
                        let mut active: training_record::ActiveModel = record.into();
                        active.half_hours = Set(0);
                        active.days = Set("[]".into());
                        active.counted = Set(false);
                        active.verification = Set(WITHDRAWN.into());
                        active.change_seq = Set(tick(&txn, &mut seq).await?);
                        active.updated_at = Set(Some(now));
                        active.update(&txn).await?;
                    }
                    (Some(record), _) => {
                        let days = match attendance_of(mark, &missed, &form.sessions) {
                            Attendance::Attended(s) => spread_over_days(&dates, &s, half_hours),
                            _ => Vec::new(),
                        };
                        let mut active: training_record::ActiveModel = record.into();
                        active.half_hours = Set(half_hours as i32);
                        active.days = Set(days_json(&days));
                        active.confirmed_at = Set(now);
                        if active.verification.as_ref() == WITHDRAWN {
                            active.verification = Set("none".into());
                            active.counted = Set(true);
                        }
                        active.change_seq = Set(tick(&txn, &mut seq).await?);
                        active.updated_at = Set(Some(now));
                        active.update(&txn).await?;
                    }
                    (None, 0) => {}
                    (None, _) => {
                        // A teacher who gains hours gets a record like any other.
                        let template = training_record::Entity::find()
                            .filter(training_record::Column::CourseId.eq(row.id))
                            .one(&txn)
                            .await?;
                        let days = match attendance_of(mark, &missed, &form.sessions) {
                            Attendance::Attended(s) => spread_over_days(&dates, &s, half_hours),
                            _ => Vec::new(),
                        };
                        training_record::ActiveModel {
                            account_id: Set(account_id),
                            course_id: Set(Some(row.id)),
                            half_hours: Set(half_hours as i32),
                            days: Set(days_json(&days)),
                            course_name: Set(row.name.clone()),
                            unit_code: Set(row.unit_code.clone()),
                            unit_name: Set(template
                                .as_ref()
                                .map(|t| t.unit_name.clone())
                                .unwrap_or_default()),
                            start_date: Set(row.start_date),
                            end_date: Set(row.end_date),
                            category: Set(row.category.clone()),
                            stage: Set(row.stage.clone()),
                            class_type: Set(row.class_type.clone()),
                            tags: Set(template.map(|t| t.tags).unwrap_or_else(|| "[]".into())),
                            source: Set("online".into()),
                            confirmed_at: Set(now),
                            confirmed_by: Set(Some(by.account_id)),
                            change_seq: Set(tick(&txn, &mut seq).await?),
                            updated_at: Set(Some(now)),
                            ..Default::default()
                        }
                        .insert(&txn)
                        .await?;
                    }
                }
            }
        }
        let mut active: amendment::ActiveModel = request.into();
        active.status = Set(if approve { "approved" } else { "rejected" }.into());
        active.decided_by = Set(Some(by.account_id));
        active.decided_at = Set(Some(now));
        active.decision_reason = Set(reason.map(str::to_owned));
        let decided = active.update(&txn).await?;
        let event = if approve {
            "amendment_approved"
        } else {
            "amendment_rejected"
        };
        log_course_event(&txn, row.id, event, ("closed", "closed"), reason, by, now).await?;
        txn.commit().await?;
        Ok(amendment_record(decided))
    }
}
