//! The exchange log: every batch with its partner, counts, problems, duration and who ran it.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};

use super::ingest::BatchCounts;
use crate::entities::{account, exchange_batch, partner, partner_key};
use crate::{Database, StorageError};

/// What a batch is and who sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchMeta {
    /// `records`, `base_data` or `preschool_export`.
    pub kind: String,
    /// `json`, `xml` or `xlsx`.
    pub format: String,
    pub dry_run: bool,
    pub file_name: Option<String>,
    pub run_by_account: Option<i32>,
    pub run_by_key: Option<i32>,
    pub started_at: DateTime<Utc>,
}

/// One problem of one row (row 0: the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub row: u64,
    pub partner_record_id: Option<String>,
    pub field: String,
    pub code: String,
    pub message: String,
}

/// How a batch ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchOutcome {
    pub batch_id: i32,
    /// `dry_run`, `committed` or `failed`.
    pub status: String,
    pub counts: BatchCounts,
    pub problems: Vec<RowProblem>,
    pub problems_truncated: bool,
}

/// A batch as the log shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchEntry {
    pub id: i32,
    pub partner_code: Option<String>,
    pub meta: BatchMeta,
    pub outcome: BatchOutcome,
    pub run_by: Option<String>,
    pub duration_ms: u64,
}

/// Committed and all batches of a partner in a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuccessRate {
    pub partner_code: String,
    pub month: String,
    pub batches: u64,
    pub committed: u64,
}

#[derive(Serialize, Deserialize)]
struct StoredReport {
    problems: Vec<RowProblem>,
    truncated: bool,
}

fn count(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Inserts the batch's row at its start (inside the batch's transaction).
pub(crate) async fn open_batch(
    conn: &impl ConnectionTrait,
    partner_id: Option<i32>,
    meta: &BatchMeta,
    now: DateTime<Utc>,
) -> Result<i32, StorageError> {
    let row = exchange_batch::ActiveModel {
        partner_id: Set(partner_id),
        kind: Set(meta.kind.clone()),
        format: Set(meta.format.clone()),
        dry_run: Set(meta.dry_run),
        status: Set("running".into()),
        report: Set("{}".into()),
        file_name: Set(meta.file_name.clone()),
        run_by_account: Set(meta.run_by_account),
        run_by_key: Set(meta.run_by_key),
        started_at: Set(meta.started_at),
        finished_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(row.id)
}

/// Writes the batch's outcome: into its row when `id` is given, as a new row otherwise.
pub(crate) async fn finish_batch(
    conn: &impl ConnectionTrait,
    id: Option<i32>,
    partner_id: Option<i32>,
    meta: &BatchMeta,
    outcome: &BatchOutcome,
    now: DateTime<Utc>,
) -> Result<i32, StorageError> {
    let report = serde_json::to_string(&StoredReport {
        problems: outcome.problems.clone(),
        truncated: outcome.problems_truncated,
    })
    .map_err(|e| StorageError::Corrupt(format!("report not serialisable: {e}")))?;
    let c = &outcome.counts;
    let duration = (now - meta.started_at).num_milliseconds().max(0);
    let mut active = exchange_batch::ActiveModel {
        partner_id: Set(partner_id),
        kind: Set(meta.kind.clone()),
        format: Set(meta.format.clone()),
        dry_run: Set(meta.dry_run),
        status: Set(outcome.status.clone()),
        rows_total: Set(count(c.rows)),
        created: Set(count(c.created)),
        updated: Set(count(c.updated)),
        unchanged: Set(count(c.unchanged)),
        unmatched: Set(count(c.unmatched)),
        refused: Set(count(c.refused)),
        duplicates: Set(count(c.duplicates)),
        report: Set(report),
        file_name: Set(meta.file_name.clone()),
        run_by_account: Set(meta.run_by_account),
        run_by_key: Set(meta.run_by_key),
        started_at: Set(meta.started_at),
        finished_at: Set(now),
        duration_ms: Set(i32::try_from(duration).unwrap_or(i32::MAX)),
        ..Default::default()
    };
    match id {
        Some(id) => {
            active.id = Set(id);
            active.update(conn).await?;
            Ok(id)
        }
        None => Ok(active.insert(conn).await?.id),
    }
}

impl Database {
    /// Logs a batch that wrote nothing (a dry run, a failed or rejected batch).
    pub async fn log_batch(
        &self,
        partner_id: Option<i32>,
        meta: &BatchMeta,
        outcome: &BatchOutcome,
        now: DateTime<Utc>,
    ) -> Result<i32, StorageError> {
        finish_batch(&self.conn, None, partner_id, meta, outcome, now).await
    }

    /// A page of the log, newest first; of one partner or all.
    pub async fn batches(
        &self,
        partner_id: Option<i32>,
        page: u64,
        per_page: u64,
    ) -> Result<(Vec<BatchEntry>, u64), StorageError> {
        let mut query = exchange_batch::Entity::find();
        if let Some(id) = partner_id {
            query = query.filter(exchange_batch::Column::PartnerId.eq(id));
        }
        let total = query.clone().count(&self.conn).await?;
        let rows = query
            .order_by_desc(exchange_batch::Column::Id)
            .offset(page.saturating_sub(1) * per_page)
            .limit(per_page)
            .all(&self.conn)
            .await?;
        let entries = self.batch_entries(rows).await?;
        Ok((entries, total))
    }

    /// One batch of the log.
    pub async fn batch(&self, id: i32) -> Result<Option<BatchEntry>, StorageError> {
        let rows: Vec<_> = exchange_batch::Entity::find_by_id(id)
            .all(&self.conn)
            .await?;
        Ok(self.batch_entries(rows).await?.into_iter().next())
    }

    async fn batch_entries(
        &self,
        rows: Vec<exchange_batch::Model>,
    ) -> Result<Vec<BatchEntry>, StorageError> {
        let codes = self.partner_codes().await?;
        let mut names: BTreeMap<i32, String> = BTreeMap::new();
        let accounts: Vec<i32> = rows.iter().filter_map(|r| r.run_by_account).collect();
        if !accounts.is_empty() {
            for a in account::Entity::find()
                .filter(account::Column::Id.is_in(accounts))
                .all(&self.conn)
                .await?
            {
                names.insert(a.id, a.account_name);
            }
        }
        let mut prefixes: BTreeMap<i32, String> = BTreeMap::new();
        let keys: Vec<i32> = rows.iter().filter_map(|r| r.run_by_key).collect();
        if !keys.is_empty() {
            for k in partner_key::Entity::find()
                .filter(partner_key::Column::Id.is_in(keys))
                .all(&self.conn)
                .await?
            {
                prefixes.insert(k.id, format!("key:{}", k.prefix));
            }
        }
        Ok(rows
            .into_iter()
            .map(|row| {
                let report: StoredReport =
                    serde_json::from_str(&row.report).unwrap_or(StoredReport {
                        problems: Vec::new(),
                        truncated: false,
                    });
                let run_by = row
                    .run_by_account
                    .and_then(|id| names.get(&id).cloned())
                    .or_else(|| row.run_by_key.and_then(|id| prefixes.get(&id).cloned()));
                let n = |v: i32| u64::try_from(v).unwrap_or(0);
                BatchEntry {
                    id: row.id,
                    partner_code: row.partner_id.and_then(|id| codes.get(&id).cloned()),
                    meta: BatchMeta {
                        kind: row.kind,
                        format: row.format,
                        dry_run: row.dry_run,
                        file_name: row.file_name,
                        run_by_account: row.run_by_account,
                        run_by_key: row.run_by_key,
                        started_at: row.started_at,
                    },
                    outcome: BatchOutcome {
                        batch_id: row.id,
                        status: row.status,
                        counts: BatchCounts {
                            rows: n(row.rows_total),
                            created: n(row.created),
                            updated: n(row.updated),
                            unchanged: n(row.unchanged),
                            unmatched: n(row.unmatched),
                            refused: n(row.refused),
                            duplicates: n(row.duplicates),
                        },
                        problems: report.problems,
                        problems_truncated: report.truncated,
                    },
                    run_by,
                    duration_ms: u64::try_from(row.duration_ms).unwrap_or(0),
                }
            })
            .collect())
    }

    pub(crate) async fn partner_codes(&self) -> Result<BTreeMap<i32, String>, StorageError> {
        Ok(partner::Entity::find()
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|p| (p.id, p.code))
            .collect())
    }

    /// Committed over all record batches (dry runs aside) per partner and month, newest month
    /// first, for the last `months` months.
    pub async fn success_rates(
        &self,
        partner_id: Option<i32>,
        since: DateTime<Utc>,
    ) -> Result<Vec<SuccessRate>, StorageError> {
        let mut query = exchange_batch::Entity::find()
            .select_only()
            .column(exchange_batch::Column::PartnerId)
            .column(exchange_batch::Column::Status)
            .column(exchange_batch::Column::StartedAt)
            .filter(exchange_batch::Column::DryRun.eq(false))
            .filter(exchange_batch::Column::PartnerId.is_not_null())
            .filter(exchange_batch::Column::StartedAt.gte(since));
        if let Some(id) = partner_id {
            query = query.filter(exchange_batch::Column::PartnerId.eq(id));
        }
        let rows: Vec<(Option<i32>, String, DateTime<Utc>)> =
            query.into_tuple().all(&self.conn).await?;
        let codes = self.partner_codes().await?;
        let mut rates: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
        for (partner, status, at) in rows {
            let Some(code) = partner.and_then(|id| codes.get(&id).cloned()) else {
                continue;
            };
            let month = format!("{:04}-{:02}", at.year(), at.month());
            let entry = rates.entry((month, code)).or_default();
            entry.0 += 1;
            entry.1 += u64::from(status == "committed");
        }
        Ok(rates
            .into_iter()
            .rev()
            .map(
                |((month, partner_code), (batches, committed))| SuccessRate {
                    partner_code,
                    month,
                    batches,
                    committed,
                },
            )
            .collect())
    }
}

impl Database {
    /// The earlier values (JSON) of the record a partner sent under `partner_record_id`, oldest
    /// first.
    pub async fn record_history_for_partner_record(
        &self,
        partner_id: i32,
        partner_record_id: &str,
    ) -> Result<Vec<String>, StorageError> {
        use crate::entities::{training_record, training_record_history};
        let Some(record) = training_record::Entity::find()
            .filter(training_record::Column::PartnerId.eq(partner_id))
            .filter(training_record::Column::PartnerRecordId.eq(partner_record_id))
            .one(&self.conn)
            .await?
        else {
            return Ok(Vec::new());
        };
        Ok(training_record_history::Entity::find()
            .filter(training_record_history::Column::RecordId.eq(record.id))
            .order_by_asc(training_record_history::Column::Id)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|h| h.before)
            .collect())
    }
}
