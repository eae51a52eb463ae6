//! Teachers' training records (研習紀錄) and the transcripts issued from them: a snapshot of
//! the record with its SHA-256, found by a verification code anyone can check.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use sha2::{Digest, Sha256};

use super::parse_days;
use crate::entities::{training_record, transcript};
use crate::{Database, StorageError};

/// One confirmed record of a teacher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingRecord {
    pub id: i32,
    /// Our course; `None` for a record a partner sent.
    pub course_id: Option<i32>,
    /// The partner's own course id, for a record a partner sent.
    pub partner_course_id: Option<String>,
    pub course_name: String,
    pub unit_code: String,
    pub unit_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub half_hours: u32,
    pub category: String,
    pub stage: String,
    pub class_type: String,
    pub tags: Vec<String>,
    /// `online` (this platform) or a partner's name.
    pub source: String,
    pub days: Vec<(NaiveDate, u32)>,
    pub confirmed_at: DateTime<Utc>,
    /// Whether it counts in the totals now (see [`RecordStanding`]).
    pub standing: RecordStanding,
}

/// Why a record counts or does not count yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordStanding {
    Counted,
    /// A back-end county's record waiting for its monthly confirmation.
    AwaitingCounty,
    /// The same course from another source, counted once there until a reviewer decides.
    SuspectedDuplicate,
    /// Judged the same course as another record: counted there.
    Duplicate,
}

impl RecordStanding {
    pub fn code(self) -> &'static str {
        match self {
            RecordStanding::Counted => "counted",
            RecordStanding::AwaitingCounty => "awaiting_county",
            RecordStanding::SuspectedDuplicate => "suspected_duplicate",
            RecordStanding::Duplicate => "duplicate",
        }
    }

    pub fn counts(self) -> bool {
        self == RecordStanding::Counted
    }
}

/// The standing of a stored record from its columns.
pub(crate) fn standing_of(row: &training_record::Model) -> RecordStanding {
    match (row.duplicate_state.as_deref(), row.verification.as_str()) {
        _ if row.counted => RecordStanding::Counted,
        (Some("flagged"), _) => RecordStanding::SuspectedDuplicate,
        (Some("same"), _) => RecordStanding::Duplicate,
        _ => RecordStanding::AwaitingCounty,
    }
}

/// An issued transcript: what it said when issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    pub code: String,
    pub account_id: i32,
    pub issued_at: DateTime<Utc>,
    /// The JSON snapshot, exactly as issued.
    pub content: String,
    /// SHA-256 of `content` (hex), printed on the transcript.
    pub sha256: String,
}

pub(crate) fn record(row: training_record::Model) -> TrainingRecord {
    TrainingRecord {
        standing: standing_of(&row),
        partner_course_id: row.partner_course_id,
        tags: serde_json::from_str(&row.tags).unwrap_or_default(),
        days: parse_days(&row.days),
        half_hours: u32::try_from(row.half_hours).unwrap_or(0),
        id: row.id,
        course_id: row.course_id,
        course_name: row.course_name,
        unit_code: row.unit_code,
        unit_name: row.unit_name,
        start_date: row.start_date,
        end_date: row.end_date,
        category: row.category,
        stage: row.stage,
        class_type: row.class_type,
        source: row.source,
        confirmed_at: row.confirmed_at,
    }
}

/// SHA-256 of a text, in hex.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Database {
    /// Every confirmed record of a teacher, latest course first, with those that do not count
    /// yet (awaiting a county, suspected duplicates); withdrawn ones are left out.
    pub async fn training_records(
        &self,
        account_id: i32,
    ) -> Result<Vec<TrainingRecord>, StorageError> {
        Ok(training_record::Entity::find()
            .filter(training_record::Column::AccountId.eq(account_id))
            .filter(training_record::Column::Verification.ne(super::amendments::WITHDRAWN))
            .order_by_desc(training_record::Column::EndDate)
            .order_by_desc(training_record::Column::Id)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(record)
            .collect())
    }

    /// The records a course's roster wrote.
    pub async fn course_records_written(
        &self,
        course_id: i32,
    ) -> Result<Vec<(i32, u32)>, StorageError> {
        Ok(training_record::Entity::find()
            .filter(training_record::Column::CourseId.eq(course_id))
            .filter(training_record::Column::Verification.ne(super::amendments::WITHDRAWN))
            .order_by_asc(training_record::Column::Id)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|r| (r.account_id, u32::try_from(r.half_hours).unwrap_or(0)))
            .collect())
    }

    /// Stores a transcript under `code`; its hash is computed here so it always matches.
    pub async fn issue_transcript(
        &self,
        account_id: i32,
        code: &str,
        content: &str,
        now: DateTime<Utc>,
    ) -> Result<Transcript, StorageError> {
        let sha256 = sha256_hex(content);
        transcript::ActiveModel {
            code: Set(code.to_owned()),
            account_id: Set(account_id),
            issued_at: Set(now),
            content: Set(content.to_owned()),
            sha256: Set(sha256.clone()),
            ..Default::default()
        }
        .insert(&self.conn)
        .await?;
        Ok(Transcript {
            code: code.to_owned(),
            account_id,
            issued_at: now,
            content: content.to_owned(),
            sha256,
        })
    }

    /// A transcript by its verification code.
    pub async fn transcript(&self, code: &str) -> Result<Option<Transcript>, StorageError> {
        Ok(transcript::Entity::find()
            .filter(transcript::Column::Code.eq(code))
            .one(&self.conn)
            .await?
            .map(|t| Transcript {
                code: t.code,
                account_id: t.account_id,
                issued_at: t.issued_at,
                content: t.content,
                sha256: t.sha256,
            }))
    }
}
