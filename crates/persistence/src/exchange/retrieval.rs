//! Retrieval (取回): a county or partner fetches its teachers' records changed since a cursor.
//!
//! Records are read in `(change_seq, id)` order after the cursor. Writers take their sequence
//! value under one lock and commit in that order (see [`super::clock`]), so a record committed
//! after a page was read always sorts after that page's last record: nothing is skipped,
//! nothing is sent twice, and a stored cursor resumes where it stopped.

use chrono::{DateTime, NaiveDate, Utc};
use inservice_domain::account::AccountKind;
use inservice_domain::identity::IdentityNumber;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{account, training_record, unit};
use crate::records::amendments::WITHDRAWN;
use crate::records::transcripts::standing_of;
use crate::secrets::IdentityVault;
use crate::{Database, StorageError};

/// Whose records a partner retrieves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetrievalScope {
    /// Teachers serving in the county's units.
    County(String),
    /// Teachers serving in one unit.
    Unit(String),
    /// The teachers the partner names, by identity hash.
    Teachers(Vec<String>),
}

/// One record as retrieved.
#[derive(Debug, Clone, PartialEq)]
pub struct RetrievedRecord {
    pub id: i32,
    pub change_seq: i64,
    pub identity: IdentityNumber,
    pub teacher_name: String,
    pub course_id: Option<i32>,
    pub partner_course_id: Option<String>,
    pub partner_record_id: Option<String>,
    pub course_name: String,
    pub unit_code: String,
    pub unit_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub category: String,
    pub stage: String,
    pub class_type: String,
    pub tags: Vec<String>,
    pub half_hours: u32,
    pub source: String,
    /// `withdrawn` or a [`crate::records::RecordStanding`] code.
    pub standing: String,
    pub changed_at: DateTime<Utc>,
}

impl Database {
    /// Up to `limit` records of the scope's teachers after `(seq, id)`, and whether more follow.
    pub async fn retrieve_records(
        &self,
        scope: &RetrievalScope,
        after: (i64, i64),
        limit: u64,
        vault: &IdentityVault,
    ) -> Result<(Vec<RetrievedRecord>, bool), StorageError> {
        let teachers = match scope {
            RetrievalScope::County(county) => {
                let units: Vec<String> = unit::Entity::find()
                    .select_only()
                    .column(unit::Column::Code)
                    .filter(unit::Column::CountyCode.eq(county.as_str()))
                    .into_tuple::<String>()
                    .all(&self.conn)
                    .await?;
                account::Column::UnitCode.is_in(units)
            }
            RetrievalScope::Unit(code) => account::Column::UnitCode.eq(code.as_str()),
            RetrievalScope::Teachers(hashes) => account::Column::IdentityHash.is_in(hashes.clone()),
        };
        let (seq, id) = after;
        let id = i32::try_from(id).unwrap_or(i32::MAX);
        let rows: Vec<(training_record::Model, Option<account::Model>)> =
            training_record::Entity::find()
                .find_also_related(account::Entity)
                .filter(teachers)
                .filter(account::Column::Kind.eq(AccountKind::Teacher.code()))
                .filter(
                    Condition::any()
                        .add(training_record::Column::ChangeSeq.gt(seq))
                        .add(
                            Condition::all()
                                .add(training_record::Column::ChangeSeq.eq(seq))
                                .add(training_record::Column::Id.gt(id)),
                        ),
                )
                .order_by_asc(training_record::Column::ChangeSeq)
                .order_by_asc(training_record::Column::Id)
                .limit(limit + 1)
                .all(&self.conn)
                .await?;
        let more = rows.len() as u64 > limit;
        let mut records = Vec::with_capacity(rows.len());
        for (row, teacher) in rows.into_iter().take(limit as usize) {
            let Some(teacher) = teacher else { continue };
            let standing = if row.verification == WITHDRAWN {
                WITHDRAWN.to_owned()
            } else {
                standing_of(&row).code().to_owned()
            };
            records.push(RetrievedRecord {
                id: row.id,
                change_seq: row.change_seq,
                identity: vault.decrypt(&teacher.identity_cipher)?,
                teacher_name: teacher.real_name,
                course_id: row.course_id,
                partner_course_id: row.partner_course_id,
                partner_record_id: row.partner_record_id,
                course_name: row.course_name,
                unit_code: row.unit_code,
                unit_name: row.unit_name,
                start_date: row.start_date,
                end_date: row.end_date,
                category: row.category,
                stage: row.stage,
                class_type: row.class_type,
                tags: serde_json::from_str(&row.tags).unwrap_or_default(),
                half_hours: u32::try_from(row.half_hours).unwrap_or(0),
                source: row.source,
                standing,
                changed_at: row.updated_at.unwrap_or(row.confirmed_at),
            });
        }
        Ok((records, more))
    }
}
