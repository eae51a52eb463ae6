//! The preschool platform's monthly export (共同研討(一) 提案二): on the 15th every confirmed
//! record of a kindergarten teacher not exported yet goes into one batch for the platform to
//! fetch. The ledger (`preschool_export_items`, one row per record, the record as its key) makes
//! a second run find nothing; records the platform sent us itself are never sent back.

use chrono::{DateTime, Utc};
use inservice_domain::UnitKind;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::batches::{BatchMeta, BatchOutcome, finish_batch, open_batch};
use super::ingest::BatchCounts;
use super::partners::Partner;
use super::retrieval::RetrievedRecord;
use crate::entities::{account, exchange_batch, preschool_export_item, training_record, unit};
use crate::records::transcripts::standing_of;
use crate::secrets::IdentityVault;
use crate::{Database, StorageError};

/// Ledger rows per insert.
const LEDGER_ROWS: usize = 1_000;

/// A past export batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreschoolBatch {
    pub id: i32,
    pub created_at: DateTime<Utc>,
    pub records: u64,
    pub run_by_account: Option<i32>,
}

impl Database {
    /// Selects the records to export and, unless `dry_run`, writes them to a new batch. Returns
    /// the batch (id 0 for a dry run or when nothing was due) and how many records.
    pub async fn preschool_export(
        &self,
        preschool: &Partner,
        meta: BatchMeta,
        now: DateTime<Utc>,
    ) -> Result<BatchOutcome, StorageError> {
        let txn = self.begin_write().await?;
        let kindergartens = Query::select()
            .column(unit::Column::Code)
            .from(unit::Entity)
            .and_where(unit::Column::Kind.eq(UnitKind::Kindergarten.code()))
            .to_owned();
        let teachers = Query::select()
            .column(account::Column::Id)
            .from(account::Entity)
            .and_where(account::Column::UnitCode.in_subquery(kindergartens))
            .to_owned();
        let exported = Query::select()
            .column(preschool_export_item::Column::RecordId)
            .from(preschool_export_item::Entity)
            .to_owned();
        let due: Vec<i32> = training_record::Entity::find()
            .select_only()
            .column(training_record::Column::Id)
            .filter(training_record::Column::AccountId.in_subquery(teachers))
            .filter(training_record::Column::Counted.eq(true))
            .filter(training_record::Column::Id.not_in_subquery(exported))
            .filter(
                sea_orm::Condition::any()
                    .add(training_record::Column::PartnerId.is_null())
                    .add(training_record::Column::PartnerId.ne(preschool.id)),
            )
            .order_by_asc(training_record::Column::Id)
            .into_tuple()
            .all(&txn)
            .await?;
        let counts = BatchCounts {
            rows: due.len() as u64,
            created: due.len() as u64,
            ..Default::default()
        };
        let mut outcome = BatchOutcome {
            batch_id: 0,
            status: if meta.dry_run { "dry_run" } else { "committed" }.into(),
            counts,
            problems: Vec::new(),
            problems_truncated: false,
        };
        if meta.dry_run {
            txn.rollback().await?;
            outcome.batch_id = self
                .log_batch(Some(preschool.id), &meta, &outcome, now)
                .await?;
            return Ok(outcome);
        }
        let batch = open_batch(&txn, Some(preschool.id), &meta, now).await?;
        let mut rows = due.into_iter().peekable();
        while rows.peek().is_some() {
            let ledger: Vec<_> = rows
                .by_ref()
                .take(LEDGER_ROWS)
                .map(|record_id| preschool_export_item::ActiveModel {
                    record_id: Set(record_id),
                    batch_id: Set(batch),
                })
                .collect();
            preschool_export_item::Entity::insert_many(ledger)
                .exec_without_returning(&txn)
                .await?;
        }
        outcome.batch_id = batch;
        finish_batch(&txn, Some(batch), Some(preschool.id), &meta, &outcome, now).await?;
        txn.commit().await?;
        Ok(outcome)
    }

    /// The export's batches, newest first.
    pub async fn preschool_batches(
        &self,
        preschool: &Partner,
    ) -> Result<Vec<PreschoolBatch>, StorageError> {
        let rows = exchange_batch::Entity::find()
            .filter(exchange_batch::Column::PartnerId.eq(preschool.id))
            .filter(exchange_batch::Column::Kind.eq("preschool_export"))
            .filter(exchange_batch::Column::Status.eq("committed"))
            .order_by_desc(exchange_batch::Column::Id)
            .limit(120)
            .all(&self.conn)
            .await?;
        let mut batches = Vec::with_capacity(rows.len());
        for row in rows {
            let records = preschool_export_item::Entity::find()
                .filter(preschool_export_item::Column::BatchId.eq(row.id))
                .count(&self.conn)
                .await?;
            batches.push(PreschoolBatch {
                id: row.id,
                created_at: row.started_at,
                records,
                run_by_account: row.run_by_account,
            });
        }
        Ok(batches)
    }

    /// A page of one batch's records, after record id `after`.
    pub async fn preschool_batch_records(
        &self,
        batch: i32,
        after: i32,
        limit: u64,
        vault: &IdentityVault,
    ) -> Result<(Vec<RetrievedRecord>, bool), StorageError> {
        let ids = Query::select()
            .column(preschool_export_item::Column::RecordId)
            .from(preschool_export_item::Entity)
            .and_where(preschool_export_item::Column::BatchId.eq(batch))
            .to_owned();
        let rows = training_record::Entity::find()
            .find_also_related(account::Entity)
            .filter(training_record::Column::Id.in_subquery(ids))
            .filter(training_record::Column::Id.gt(after))
            .order_by_asc(training_record::Column::Id)
            .limit(limit + 1)
            .all(&self.conn)
            .await?;
        let more = rows.len() as u64 > limit;
        let mut records = Vec::new();
        for (row, teacher) in rows.into_iter().take(limit as usize) {
            let Some(teacher) = teacher else { continue };
            records.push(RetrievedRecord {
                id: row.id,
                change_seq: row.change_seq,
                identity: vault.decrypt(&teacher.identity_cipher)?,
                teacher_name: teacher.real_name,
                standing: standing_of(&row).code().to_owned(),
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
                changed_at: row.updated_at.unwrap_or(row.confirmed_at),
            });
        }
        Ok((records, more))
    }
}
