//! Taking in a partner's batch of records, chunk by chunk, in one transaction.
//!
//! The caller streams validated rows in; each chunk costs a few set-based queries (teachers by
//! identity hash, the partner's existing records and unmatched rows by the partner's record
//! ids, possible duplicates of the new records) and one multi-row insert, never a query per
//! row. A row is created, updated (its previous values kept in the history), unchanged (the
//! same row again), kept unmatched (a teacher we do not know yet) or refused. A batch with a
//! refused row writes nothing; a dry run reports and rolls back.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use chrono::{DateTime, NaiveDate, Utc};
use inservice_domain::FieldErrors;
use inservice_domain::account::AccountKind;
use inservice_domain::exchange::{ExchangeRow, RecordKey, same_course};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QuerySelect,
};
use serde::{Deserialize, Serialize};

use super::batches::{BatchMeta, BatchOutcome, RowProblem, finish_batch};
use super::bulk::{NewRecord, in_json, in_json_as, insert_new_records};
use super::clock::tick;
use super::partners::Partner;
use crate::entities::{account, training_record, training_record_history, unmatched_record};
use crate::records::amendments::WITHDRAWN;
use crate::secrets::IdentityVault;
use crate::{Database, StorageError};

/// Rows per multi-row insert: 30 columns each stays under SQLite's 32,766 parameters.
const INSERT_ROWS: usize = 500;
/// Row problems kept for the report; the counts cover them all.
pub const MAX_PROBLEMS: usize = 1_000;

/// What a record says, as stored: compared to tell an unchanged row from a correction, and kept
/// whole for a row waiting for its teacher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RecordValues {
    pub partner_course_id: String,
    pub course_name: String,
    pub unit_code: String,
    pub unit_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub category: String,
    pub stage: String,
    pub class_type: String,
    /// JSON array.
    pub tags: String,
    pub half_hours: i32,
    /// JSON `[[date, half-hours], …]`.
    pub days: String,
}

impl RecordValues {
    fn of_row(row: &ExchangeRow) -> Self {
        let course = &row.course;
        RecordValues {
            partner_course_id: course.partner_course_id.clone(),
            course_name: course.name.clone(),
            unit_code: course.organiser_code.clone().unwrap_or_default(),
            unit_name: course.organiser_name.clone(),
            start_date: course.start_date,
            end_date: course.end_date,
            category: course.category.clone(),
            stage: course.stage.code().to_owned(),
            class_type: course.class_type.clone(),
            tags: serde_json::Value::from(course.tags.as_slice()).to_string(),
            half_hours: i32::try_from(row.record.half_hours).unwrap_or(i32::MAX),
            days: crate::records::days_json(&row.record.days),
        }
    }

    fn of_model(row: &training_record::Model) -> Self {
        RecordValues {
            partner_course_id: row.partner_course_id.clone().unwrap_or_default(),
            course_name: row.course_name.clone(),
            unit_code: row.unit_code.clone(),
            unit_name: row.unit_name.clone(),
            start_date: row.start_date,
            end_date: row.end_date,
            category: row.category.clone(),
            stage: row.stage.clone(),
            class_type: row.class_type.clone(),
            tags: row.tags.clone(),
            half_hours: row.half_hours,
            days: row.days.clone(),
        }
    }

    fn apply(&self, active: &mut training_record::ActiveModel) {
        active.partner_course_id = Set(Some(self.partner_course_id.clone()));
        active.course_name = Set(self.course_name.clone());
        active.unit_code = Set(self.unit_code.clone());
        active.unit_name = Set(self.unit_name.clone());
        active.start_date = Set(self.start_date);
        active.end_date = Set(self.end_date);
        active.category = Set(self.category.clone());
        active.stage = Set(self.stage.clone());
        active.class_type = Set(self.class_type.clone());
        active.tags = Set(self.tags.clone());
        active.half_hours = Set(self.half_hours);
        active.days = Set(self.days.clone());
    }
}

/// One validated row and its number in the file.
#[derive(Debug, Clone)]
pub struct IngestRow {
    pub row: u64,
    pub facts: ExchangeRow,
}

/// Where a new record comes from and how it counts.
pub(crate) struct Provenance {
    pub partner_id: i32,
    pub partner_code: String,
    pub needs_confirmation: bool,
    pub batch_id: i32,
    /// The transaction's change sequence value and time.
    pub seq: i64,
    pub now: DateTime<Utc>,
}

/// A new record to insert, with its row for duplicate detection.
pub(crate) fn new_record(
    account_id: i32,
    values: &RecordValues,
    partner_record_id: &str,
    row: i64,
    from: &Provenance,
    duplicate_of: Option<i32>,
) -> training_record::ActiveModel {
    let (seq, now) = (from.seq, from.now);
    let mut active = training_record::ActiveModel {
        account_id: Set(account_id),
        course_id: Set(None),
        source: Set(from.partner_code.clone()),
        confirmed_at: Set(now),
        confirmed_by: Set(None),
        partner_id: Set(Some(from.partner_id)),
        batch_id: Set(Some(from.batch_id)),
        batch_row: Set(Some(i32::try_from(row).unwrap_or(i32::MAX))),
        partner_record_id: Set(Some(partner_record_id.to_owned())),
        counted: Set(!from.needs_confirmation && duplicate_of.is_none()),
        verification: Set(if from.needs_confirmation {
            "pending"
        } else {
            "none"
        }
        .into()),
        duplicate_of: Set(duplicate_of),
        duplicate_state: Set(duplicate_of.map(|_| "flagged".to_owned())),
        change_seq: Set(seq),
        updated_at: Set(Some(now)),
        ..Default::default()
    };
    values.apply(&mut active);
    active
}

/// The record of the same teacher and course from another source that a new record repeats,
/// if any (regulation Art. 12-1: never counted twice).
pub(crate) fn duplicate_among(
    candidates: &[training_record::Model],
    account_id: i32,
    values: &RecordValues,
    partner_id: i32,
) -> Option<i32> {
    let key = RecordKey {
        name: &values.course_name,
        start_date: values.start_date,
        end_date: values.end_date,
        half_hours: u32::try_from(values.half_hours).unwrap_or(0),
    };
    candidates
        .iter()
        .filter(|c| c.account_id == account_id && c.partner_id != Some(partner_id))
        .find(|c| {
            same_course(
                &key,
                &RecordKey {
                    name: &c.course_name,
                    start_date: c.start_date,
                    end_date: c.end_date,
                    half_hours: u32::try_from(c.half_hours).unwrap_or(0),
                },
            )
        })
        .map(|c| c.id)
}

/// Records that new ones for these teachers on these first days might repeat.
pub(crate) async fn duplicate_candidates(
    txn: &DatabaseTransaction,
    accounts: Vec<i32>,
    dates: Vec<NaiveDate>,
    partner_id: i32,
) -> Result<Vec<training_record::Model>, StorageError> {
    if accounts.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = accounts.iter().map(i32::to_string).collect();
    let backend = txn.get_database_backend();
    // Another source's records only: the partner's own are never its duplicates.
    Ok(training_record::Entity::find()
        .filter(in_json_as(
            backend,
            "training_records",
            "account_id",
            &ids,
            "int",
        ))
        .filter(
            sea_orm::Condition::any()
                .add(training_record::Column::PartnerId.is_null())
                .add(training_record::Column::PartnerId.ne(partner_id)),
        )
        .filter(training_record::Column::StartDate.is_in(dates))
        .filter(training_record::Column::DuplicateOf.is_null())
        .filter(training_record::Column::Verification.ne(WITHDRAWN))
        .all(txn)
        .await?)
}

fn fingerprint(value: &impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Counts of a batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchCounts {
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub unmatched: u64,
    pub refused: u64,
    pub duplicates: u64,
}

/// A batch being taken in: one open transaction.
pub struct Ingest {
    txn: DatabaseTransaction,
    db: Database,
    meta: BatchMeta,
    from: Provenance,
    seq: i64,
    vault: IdentityVault,
    now: DateTime<Utc>,
    /// Record ids seen in this batch (hashed: a million rows stay a few megabytes).
    seen_records: HashSet<u64>,
    /// Course facts by the partner's course id, with the first row that stated them.
    courses: HashMap<String, (u64, u64)>,
    pub counts: BatchCounts,
    problems: Vec<RowProblem>,
    /// Teachers already looked up in this batch, by identity hash (a batch names the same
    /// teachers again and again).
    teachers: HashMap<String, Option<i32>>,
}

/// Teachers remembered per batch; past it, lookups go to the database again.
const TEACHER_CACHE: usize = 300_000;

impl Database {
    /// Opens a batch for `partner`: the transaction, the change sequence value and the batch's
    /// log row (kept only if the batch commits; otherwise it is written again afterwards).
    pub async fn begin_ingest(
        &self,
        partner: &Partner,
        vault: &IdentityVault,
        meta: BatchMeta,
        now: DateTime<Utc>,
    ) -> Result<Ingest, StorageError> {
        let txn = self.begin_write().await?;
        if self.kind() == crate::DatabaseKind::Postgres {
            // The table grows by thousands of rows within this transaction: a plan cached while
            // it was small (a sequential scan) would make every later chunk scan it all.
            txn.execute_unprepared("SET LOCAL plan_cache_mode = force_custom_plan")
                .await?;
        }
        let seq = tick(&txn).await?;
        let batch = super::batches::open_batch(&txn, Some(partner.id), &meta, now).await?;
        Ok(Ingest {
            txn,
            db: self.clone(),
            meta,
            from: Provenance {
                partner_id: partner.id,
                partner_code: partner.fields.code.clone(),
                needs_confirmation: partner.fields.needs_confirmation,
                batch_id: batch,
                seq,
                now,
            },
            seq,
            vault: vault.clone(),
            now,
            seen_records: HashSet::new(),
            courses: HashMap::new(),
            counts: BatchCounts::default(),
            problems: Vec::new(),
            teachers: HashMap::new(),
        })
    }
}

impl Ingest {
    fn problem(&mut self, row: u64, record: Option<&str>, field: &str, code: &str, message: &str) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(RowProblem {
                row,
                partner_record_id: record.map(str::to_owned),
                field: field.to_owned(),
                code: code.to_owned(),
                message: message.to_owned(),
            });
        }
    }

    /// A row that failed validation.
    pub fn refuse(&mut self, row: u64, partner_record_id: Option<&str>, errors: &FieldErrors) {
        self.counts.rows += 1;
        self.counts.refused += 1;
        for error in &errors.0 {
            self.problem(
                row,
                partner_record_id,
                &error.field,
                error.code,
                &error.message,
            );
        }
    }

    /// Checks what only the batch as a whole can tell: a record id twice, a course id with
    /// two different sets of course facts.
    fn batch_checks(&mut self, row: &IngestRow) -> bool {
        let record_id = row.facts.record.partner_record_id.as_str();
        if !self.seen_records.insert(fingerprint(&record_id)) {
            self.counts.refused += 1;
            self.problem(
                row.row,
                Some(record_id),
                "partner_record_id",
                "duplicate_in_batch",
                "同一批次中紀錄代碼重複",
            );
            return false;
        }
        let facts = fingerprint(&row.facts.course);
        let course = row.facts.course.partner_course_id.clone();
        match self.courses.get(&course) {
            Some((same, _)) if *same == facts => true,
            Some((_, first)) => {
                let message = format!("與第 {first} 列同一課程代碼的課程資料不一致");
                self.counts.refused += 1;
                self.problem(
                    row.row,
                    Some(record_id),
                    "partner_course_id",
                    "course_mismatch",
                    &message,
                );
                false
            }
            None => {
                self.courses.insert(course, (facts, row.row));
                true
            }
        }
    }

    /// Takes in one chunk of validated rows.
    pub async fn rows(&mut self, chunk: Vec<IngestRow>) -> Result<(), StorageError> {
        self.counts.rows += chunk.len() as u64;
        let chunk: Vec<IngestRow> = chunk
            .into_iter()
            .filter(|row| self.batch_checks(row))
            .collect();
        if chunk.is_empty() {
            return Ok(());
        }
        let hashes: Vec<String> = chunk
            .iter()
            .map(|r| self.vault.lookup_hash(&r.facts.record.identity))
            .collect();
        let backend = self.txn.get_database_backend();
        let mut unknown: Vec<String> = hashes
            .iter()
            .filter(|h| !self.teachers.contains_key(*h))
            .cloned()
            .collect();
        unknown.sort_unstable();
        unknown.dedup();
        if !unknown.is_empty() {
            let found: HashMap<String, i32> = account::Entity::find()
                .select_only()
                .column(account::Column::IdentityHash)
                .column(account::Column::Id)
                .filter(account::Column::Kind.eq(AccountKind::Teacher.code()))
                .filter(in_json(backend, "accounts", "identity_hash", &unknown))
                .into_tuple::<(String, i32)>()
                .all(&self.txn)
                .await?
                .into_iter()
                .collect();
            if self.teachers.len() > TEACHER_CACHE {
                self.teachers.clear();
            }
            for hash in unknown {
                let id = found.get(&hash).copied();
                self.teachers.insert(hash, id);
            }
        }
        let record_ids: Vec<String> = chunk
            .iter()
            .map(|r| r.facts.record.partner_record_id.clone())
            .collect();
        let existing: HashMap<String, training_record::Model> = training_record::Entity::find()
            .filter(training_record::Column::PartnerId.eq(self.from.partner_id))
            .filter(in_json(
                backend,
                "training_records",
                "partner_record_id",
                &record_ids,
            ))
            .all(&self.txn)
            .await?
            .into_iter()
            .filter_map(|r| r.partner_record_id.clone().map(|id| (id, r)))
            .collect();
        let waiting: HashMap<String, unmatched_record::Model> = unmatched_record::Entity::find()
            .filter(unmatched_record::Column::PartnerId.eq(self.from.partner_id))
            .filter(in_json(
                backend,
                "unmatched_records",
                "partner_record_id",
                &record_ids,
            ))
            .all(&self.txn)
            .await?
            .into_iter()
            .map(|r| (r.partner_record_id.clone(), r))
            .collect();

        let mut fresh: Vec<(i32, RecordValues, String, u64)> = Vec::new();
        let mut keep_unmatched: Vec<unmatched_record::ActiveModel> = Vec::new();
        let mut matched_now: Vec<i32> = Vec::new();
        for (row, hash) in chunk.into_iter().zip(hashes) {
            let values = RecordValues::of_row(&row.facts);
            let record_id = row.facts.record.partner_record_id.clone();
            let teacher = self.teachers.get(&hash).copied().flatten();
            match (existing.get(&record_id), teacher) {
                (Some(stored), found) if found != Some(stored.account_id) => {
                    self.counts.refused += 1;
                    self.problem(
                        row.row,
                        Some(&record_id),
                        "identity_number",
                        "identity_changed",
                        "此紀錄代碼已屬於另一位教師；請以新的紀錄代碼傳送",
                    );
                }
                (Some(stored), _) if RecordValues::of_model(stored) == values => {
                    self.counts.unchanged += 1;
                }
                (Some(stored), _) => {
                    self.correct(stored, &values, row.row).await?;
                    self.counts.updated += 1;
                }
                (None, Some(account_id)) => {
                    if let Some(w) = waiting.get(&record_id) {
                        matched_now.push(w.id);
                    }
                    fresh.push((account_id, values, record_id, row.row));
                }
                (None, None) => {
                    let json = serde_json::to_string(&values)
                        .map_err(|e| StorageError::Corrupt(format!("row not serialisable: {e}")))?;
                    let identity = &row.facts.record.identity;
                    match waiting.get(&record_id) {
                        Some(w) if w.row == json && w.identity_hash == hash => {
                            self.counts.unchanged += 1;
                        }
                        Some(w) => {
                            let mut active: unmatched_record::ActiveModel = w.clone().into();
                            active.row = Set(json);
                            active.identity_hash = Set(hash);
                            active.identity_masked = Set(identity.masked());
                            active.teacher_name = Set(row.facts.record.teacher_name.clone());
                            active.batch_id = Set(self.from.batch_id);
                            active.batch_row = Set(i32::try_from(row.row).unwrap_or(i32::MAX));
                            active.update(&self.txn).await?;
                            self.counts.unmatched += 1;
                        }
                        None => {
                            keep_unmatched.push(unmatched_record::ActiveModel {
                                partner_id: Set(self.from.partner_id),
                                batch_id: Set(self.from.batch_id),
                                batch_row: Set(i32::try_from(row.row).unwrap_or(i32::MAX)),
                                partner_record_id: Set(record_id),
                                identity_hash: Set(hash),
                                identity_masked: Set(identity.masked()),
                                teacher_name: Set(row.facts.record.teacher_name.clone()),
                                row: Set(json),
                                received_at: Set(self.now),
                                ..Default::default()
                            });
                            self.counts.unmatched += 1;
                        }
                    }
                }
            }
        }
        if !matched_now.is_empty() {
            unmatched_record::Entity::delete_many()
                .filter(unmatched_record::Column::Id.is_in(matched_now))
                .exec(&self.txn)
                .await?;
        }
        let mut keep = keep_unmatched.into_iter().peekable();
        while keep.peek().is_some() {
            let part: Vec<_> = keep.by_ref().take(INSERT_ROWS).collect();
            unmatched_record::Entity::insert_many(part)
                .exec_without_returning(&self.txn)
                .await?;
        }
        self.create(fresh).await
    }

    async fn create(
        &mut self,
        fresh: Vec<(i32, RecordValues, String, u64)>,
    ) -> Result<(), StorageError> {
        if fresh.is_empty() {
            return Ok(());
        }
        let mut accounts: Vec<i32> = fresh.iter().map(|f| f.0).collect();
        accounts.sort_unstable();
        accounts.dedup();
        let mut dates: Vec<NaiveDate> = fresh.iter().map(|f| f.1.start_date).collect();
        dates.sort_unstable();
        dates.dedup();
        let candidates =
            duplicate_candidates(&self.txn, accounts, dates, self.from.partner_id).await?;
        let mut records = Vec::with_capacity(fresh.len());
        for (account_id, values, record_id, row) in fresh {
            let duplicate = duplicate_among(&candidates, account_id, &values, self.from.partner_id);
            if duplicate.is_some() {
                self.counts.duplicates += 1;
            }
            self.counts.created += 1;
            records.push(NewRecord {
                account_id,
                values,
                partner_record_id: record_id,
                batch_row: i64::try_from(row).unwrap_or(i64::MAX),
                duplicate_of: duplicate,
            });
        }
        insert_new_records(&self.txn, &records, &self.from).await
    }

    /// A corrected row: the record takes the new values, the old ones go to its history, and a
    /// back-end county's record waits for its confirmation again.
    async fn correct(
        &mut self,
        stored: &training_record::Model,
        values: &RecordValues,
        row: u64,
    ) -> Result<(), StorageError> {
        let before = serde_json::to_string(&RecordValues::of_model(stored))
            .map_err(|e| StorageError::Corrupt(format!("record not serialisable: {e}")))?;
        training_record_history::ActiveModel {
            record_id: Set(stored.id),
            batch_id: Set(Some(self.from.batch_id)),
            batch_row: Set(Some(i32::try_from(row).unwrap_or(i32::MAX))),
            before: Set(before),
            changed_at: Set(self.now),
            ..Default::default()
        }
        .insert(&self.txn)
        .await?;
        let mut active: training_record::ActiveModel = stored.clone().into();
        values.apply(&mut active);
        active.batch_id = Set(Some(self.from.batch_id));
        active.batch_row = Set(Some(i32::try_from(row).unwrap_or(i32::MAX)));
        if self.from.needs_confirmation {
            active.verification = Set("pending".into());
            active.counted = Set(false);
        }
        active.change_seq = Set(self.seq);
        active.updated_at = Set(Some(self.now));
        active.update(&self.txn).await?;
        Ok(())
    }

    /// Ends the batch: commits it when it is not a dry run and no row was refused, rolls it
    /// back otherwise; either way the log keeps the batch with its counts and problems.
    pub async fn finish(
        self,
        dry_run: bool,
        file_problem: Option<RowProblem>,
    ) -> Result<BatchOutcome, StorageError> {
        let mut problems = self.problems;
        let failed = file_problem.is_some() || self.counts.refused > 0;
        let truncated = self.counts.refused as usize > problems.len();
        if let Some(problem) = file_problem {
            problems.insert(0, problem);
        }
        let status = match (dry_run, failed) {
            (true, _) => "dry_run",
            (false, true) => "failed",
            (false, false) => "committed",
        };
        let outcome = BatchOutcome {
            batch_id: self.from.batch_id,
            status: status.to_owned(),
            counts: self.counts,
            problems,
            problems_truncated: truncated,
        };
        if status == "committed" {
            let id = finish_batch(
                &self.txn,
                Some(self.from.batch_id),
                Some(self.from.partner_id),
                &self.meta,
                &outcome,
                self.now,
            )
            .await?;
            self.txn.commit().await?;
            return Ok(BatchOutcome {
                batch_id: id,
                ..outcome
            });
        }
        self.txn.rollback().await?;
        let id = self
            .db
            .log_batch(Some(self.from.partner_id), &self.meta, &outcome, self.now)
            .await?;
        Ok(BatchOutcome {
            batch_id: id,
            ..outcome
        })
    }
}
