//! What decides whether a partner's record counts: a back-end county's monthly confirmation
//! (Art. 11-6, 12-3), a reviewer's decision on a suspected duplicate (Art. 12-1), and the
//! matching of rows kept for teachers who were not known yet.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::clock::tick;
use super::ingest::{Provenance, RecordValues, duplicate_among, duplicate_candidates, new_record};
use crate::entities::{account, county_confirmation, partner, training_record, unmatched_record};
use crate::{Database, StorageError};

/// A county's confirmation of a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthConfirmation {
    pub county_code: String,
    /// `YYYY-MM`.
    pub month: String,
    pub records: u64,
    pub confirmed_at: DateTime<Utc>,
}

/// A suspected duplicate with the record it repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuspectedDuplicate {
    pub record_id: i32,
    pub teacher_masked: String,
    pub course_name: String,
    pub source: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub half_hours: u32,
    pub other_record_id: i32,
    pub other_course_name: String,
    pub other_source: String,
}

/// Why a decision was not taken.
#[derive(Debug, thiserror::Error)]
pub enum CountingError {
    #[error("not found")]
    NotFound,
    #[error("already confirmed")]
    AlreadyConfirmed,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sea_orm::DbErr> for CountingError {
    fn from(error: sea_orm::DbErr) -> Self {
        CountingError::Storage(error.into())
    }
}

async fn county_partners(
    conn: &impl ConnectionTrait,
    county: &str,
) -> Result<Vec<i32>, StorageError> {
    Ok(partner::Entity::find()
        .filter(partner::Column::CountyCode.eq(county))
        .filter(partner::Column::NeedsConfirmation.eq(true))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect())
}

impl Database {
    /// The county's confirmations, newest month first.
    pub async fn month_confirmations(
        &self,
        county: &str,
    ) -> Result<Vec<MonthConfirmation>, StorageError> {
        Ok(county_confirmation::Entity::find()
            .filter(county_confirmation::Column::CountyCode.eq(county))
            .order_by_desc(county_confirmation::Column::Month)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|c| MonthConfirmation {
                county_code: c.county_code,
                month: c.month,
                records: u64::try_from(c.records).unwrap_or(0),
                confirmed_at: c.confirmed_at,
            })
            .collect())
    }

    /// Records of the county's back-end partners still waiting, by the month of their last day.
    pub async fn pending_by_month(
        &self,
        county: &str,
    ) -> Result<BTreeMap<(i32, u32), u64>, StorageError> {
        use chrono::Datelike;
        let partners = county_partners(&self.conn, county).await?;
        let mut months = BTreeMap::new();
        if partners.is_empty() {
            return Ok(months);
        }
        let dates: Vec<NaiveDate> = training_record::Entity::find()
            .select_only()
            .column(training_record::Column::EndDate)
            .filter(training_record::Column::PartnerId.is_in(partners))
            .filter(training_record::Column::Verification.eq("pending"))
            .into_tuple()
            .all(&self.conn)
            .await?;
        for date in dates {
            *months.entry((date.year(), date.month())).or_default() += 1;
        }
        Ok(months)
    }

    /// Whether the county has a back-end partner whose records wait for it.
    pub async fn county_has_back_end(&self, county: &str) -> Result<bool, StorageError> {
        Ok(!county_partners(&self.conn, county).await?.is_empty())
    }

    /// The county confirms a month: its back-end partners' waiting records of that month (by
    /// their last day) count from now on.
    pub async fn confirm_month(
        &self,
        county: &str,
        month: &str,
        first: NaiveDate,
        last: NaiveDate,
        by: i32,
        now: DateTime<Utc>,
    ) -> Result<MonthConfirmation, CountingError> {
        let txn = self.begin_write().await?;
        let seq = tick(&txn).await?;
        let done = county_confirmation::Entity::find()
            .filter(county_confirmation::Column::CountyCode.eq(county))
            .filter(county_confirmation::Column::Month.eq(month))
            .count(&txn)
            .await?;
        if done > 0 {
            return Err(CountingError::AlreadyConfirmed);
        }
        let partners = county_partners(&txn, county).await?;
        let mut records = 0;
        if !partners.is_empty() {
            let waiting = || {
                training_record::Entity::update_many()
                    .col_expr(
                        training_record::Column::Verification,
                        Expr::value("confirmed"),
                    )
                    .col_expr(training_record::Column::ChangeSeq, Expr::value(seq))
                    .col_expr(training_record::Column::UpdatedAt, Expr::value(now))
                    .filter(training_record::Column::PartnerId.is_in(partners.clone()))
                    .filter(training_record::Column::Verification.eq("pending"))
                    .filter(training_record::Column::EndDate.between(first, last))
            };
            // A suspected duplicate stays uncounted until decided.
            records += waiting()
                .col_expr(training_record::Column::Counted, Expr::value(true))
                .filter(
                    sea_orm::Condition::any()
                        .add(training_record::Column::DuplicateState.is_null())
                        .add(training_record::Column::DuplicateState.eq("distinct")),
                )
                .exec(&txn)
                .await?
                .rows_affected;
            records += waiting().exec(&txn).await?.rows_affected;
        }
        let row = county_confirmation::ActiveModel {
            county_code: Set(county.to_owned()),
            month: Set(month.to_owned()),
            records: Set(i32::try_from(records).unwrap_or(i32::MAX)),
            confirmed_by: Set(Some(by)),
            confirmed_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(MonthConfirmation {
            county_code: row.county_code,
            month: row.month,
            records,
            confirmed_at: now,
        })
    }

    /// Suspected duplicates awaiting a decision, oldest first, at most `limit`.
    pub async fn suspected_duplicates(
        &self,
        limit: u64,
    ) -> Result<Vec<SuspectedDuplicate>, StorageError> {
        let rows = training_record::Entity::find()
            .find_also_related(account::Entity)
            .filter(training_record::Column::DuplicateState.eq("flagged"))
            .order_by_asc(training_record::Column::Id)
            .limit(limit)
            .all(&self.conn)
            .await?;
        let others: Vec<i32> = rows.iter().filter_map(|(r, _)| r.duplicate_of).collect();
        let others: BTreeMap<i32, training_record::Model> = training_record::Entity::find()
            .filter(training_record::Column::Id.is_in(others))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
        Ok(rows
            .into_iter()
            .filter_map(|(row, teacher)| {
                let other = others.get(&row.duplicate_of?)?;
                Some(SuspectedDuplicate {
                    record_id: row.id,
                    teacher_masked: teacher.map(|t| t.identity_masked).unwrap_or_default(),
                    course_name: row.course_name,
                    source: row.source,
                    start_date: row.start_date,
                    end_date: row.end_date,
                    half_hours: u32::try_from(row.half_hours).unwrap_or(0),
                    other_record_id: other.id,
                    other_course_name: other.course_name.clone(),
                    other_source: other.source.clone(),
                })
            })
            .collect())
    }

    /// Decides a suspected duplicate: `same` keeps it uncounted, `distinct` lets it count (once
    /// its county confirmed it, where one must).
    pub async fn decide_duplicate(
        &self,
        record_id: i32,
        same: bool,
        now: DateTime<Utc>,
    ) -> Result<(), CountingError> {
        let txn = self.begin_write().await?;
        let seq = tick(&txn).await?;
        let row = training_record::Entity::find_by_id(record_id)
            .filter(training_record::Column::DuplicateState.eq("flagged"))
            .one(&txn)
            .await?
            .ok_or(CountingError::NotFound)?;
        let counts = !same && row.verification != "pending";
        let mut active: training_record::ActiveModel = row.into();
        active.duplicate_state = Set(Some(if same { "same" } else { "distinct" }.into()));
        active.counted = Set(counts);
        active.change_seq = Set(seq);
        active.updated_at = Set(Some(now));
        active.update(&txn).await?;
        txn.commit().await?;
        Ok(())
    }
}

/// Turns the rows kept for a new teacher into records (called in the transaction that creates
/// the teacher's account). Returns how many.
pub(crate) async fn match_waiting_rows(
    txn: &DatabaseTransaction,
    account_id: i32,
    identity_hash: &str,
    now: DateTime<Utc>,
) -> Result<u64, StorageError> {
    let rows = unmatched_record::Entity::find()
        .filter(unmatched_record::Column::IdentityHash.eq(identity_hash))
        .order_by_asc(unmatched_record::Column::Id)
        .all(txn)
        .await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let seq = tick(txn).await?;
    let partners: BTreeMap<i32, partner::Model> = partner::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut parsed = Vec::new();
    for row in &rows {
        let values: RecordValues = serde_json::from_str(&row.row)
            .map_err(|e| StorageError::Corrupt(format!("unmatched row {}: {e}", row.id)))?;
        parsed.push(values);
    }
    let mut dates: Vec<NaiveDate> = parsed.iter().map(|v| v.start_date).collect();
    dates.sort_unstable();
    dates.dedup();
    let mut candidates = duplicate_candidates(txn, vec![account_id], dates, 0).await?;
    let mut matched = 0;
    for (row, values) in rows.iter().zip(parsed) {
        let Some(partner) = partners.get(&row.partner_id) else {
            continue;
        };
        let from = Provenance {
            partner_id: partner.id,
            partner_code: partner.code.clone(),
            needs_confirmation: partner.needs_confirmation,
            batch_id: row.batch_id,
            seq,
            now,
        };
        let duplicate = duplicate_among(&candidates, account_id, &values, partner.id);
        let record = new_record(
            account_id,
            &values,
            &row.partner_record_id,
            i64::from(row.batch_row),
            &from,
            duplicate,
        );
        // One at a time (a teacher has few waiting rows): a later row can repeat an earlier one.
        let inserted = record.insert(txn).await?;
        if duplicate.is_none() {
            candidates.push(inserted);
        }
        matched += 1;
    }
    unmatched_record::Entity::delete_many()
        .filter(unmatched_record::Column::IdentityHash.eq(identity_hash))
        .exec(txn)
        .await?;
    Ok(matched)
}
