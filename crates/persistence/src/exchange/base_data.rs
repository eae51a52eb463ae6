//! Base-data refresh: a partner's teachers' serving unit, job title and subjects, in one
//! transaction, each change written to the audit log with its previous values (the history).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use inservice_domain::FieldErrors;
use inservice_domain::account::AccountKind;
use inservice_domain::exchange::BaseRow;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter};

use super::batches::{BatchMeta, BatchOutcome, RowProblem, finish_batch, open_batch};
use super::ingest::{BatchCounts, MAX_PROBLEMS};
use super::partners::Partner;
use crate::audit::{AuditEntry, write_audit};
use crate::entities::{account, unit};
use crate::secrets::IdentityVault;
use crate::{Database, StorageError};

/// Rows looked up at a time.
const CHUNK: usize = 1_000;

struct Report {
    counts: BatchCounts,
    problems: Vec<RowProblem>,
}

impl Report {
    fn problem(&mut self, row: u64, field: &str, code: &str, message: String) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(RowProblem {
                row,
                partner_record_id: None,
                field: field.to_owned(),
                code: code.to_owned(),
                message,
            });
        }
    }
}

impl Database {
    /// Applies a base-data batch (or, as a dry run, reports what it would change). A teacher we
    /// do not know is reported, not created; a unit we do not know, or outside the partner's
    /// county, refuses the row; any refused row writes nothing.
    pub async fn refresh_base_data(
        &self,
        partner: &Partner,
        vault: &IdentityVault,
        meta: BatchMeta,
        rows: Vec<(u64, Result<BaseRow, FieldErrors>)>,
        file_problem: Option<RowProblem>,
        now: DateTime<Utc>,
    ) -> Result<BatchOutcome, StorageError> {
        let txn = self.begin_write().await?;
        let batch = open_batch(&txn, Some(partner.id), &meta, now).await?;
        let mut report = Report {
            counts: BatchCounts::default(),
            problems: Vec::new(),
        };
        let actor_role = format!("partner:{}", partner.fields.code);
        for chunk in rows.chunks(CHUNK) {
            let valid: Vec<(u64, &BaseRow)> = chunk
                .iter()
                .filter_map(|(n, r)| r.as_ref().ok().map(|r| (*n, r)))
                .collect();
            for (n, result) in chunk {
                report.counts.rows += 1;
                if let Err(errors) = result {
                    report.counts.refused += 1;
                    for e in &errors.0 {
                        report.problem(*n, &e.field, e.code, e.message.clone());
                    }
                }
            }
            let hashes: Vec<String> = valid
                .iter()
                .map(|(_, r)| vault.lookup_hash(&r.identity))
                .collect();
            let teachers: HashMap<String, account::Model> = account::Entity::find()
                .filter(account::Column::Kind.eq(AccountKind::Teacher.code()))
                .filter(account::Column::IdentityHash.is_in(hashes.clone()))
                .all(&txn)
                .await?
                .into_iter()
                .map(|a| (a.identity_hash.clone(), a))
                .collect();
            let codes: Vec<String> = valid
                .iter()
                .filter_map(|(_, r)| r.unit_code.clone())
                .collect();
            let units: HashMap<String, unit::Model> = unit::Entity::find()
                .filter(unit::Column::Code.is_in(codes))
                .all(&txn)
                .await?
                .into_iter()
                .map(|u| (u.code.clone(), u))
                .collect();
            for ((n, row), hash) in valid.into_iter().zip(hashes) {
                let Some(teacher) = teachers.get(&hash) else {
                    report.counts.unmatched += 1;
                    report.problem(
                        n,
                        "identity_number",
                        "unknown_teacher",
                        "本平臺沒有這位教師的帳號：未更新（教師註冊後再傳送即可）".into(),
                    );
                    continue;
                };
                if let Some(code) = &row.unit_code {
                    let message = match units.get(code) {
                        None => Some(("unknown_unit", format!("找不到服務單位「{code}」"))),
                        Some(u) if u.status != "open" => {
                            Some(("unit_closed", format!("服務單位「{code}」已裁撤或停用")))
                        }
                        Some(u)
                            if partner.fields.county_code.is_some()
                                && u.county_code != partner.fields.county_code =>
                        {
                            Some((
                                "unit_outside_county",
                                format!("服務單位「{code}」不在本縣市"),
                            ))
                        }
                        Some(_) => None,
                    };
                    if let Some((code, message)) = message {
                        report.counts.refused += 1;
                        report.problem(n, "unit_code", code, message);
                        continue;
                    }
                }
                let subjects = row
                    .subjects
                    .as_ref()
                    .map(|s| serde_json::Value::from(s.as_slice()).to_string());
                let changes_unit = row.unit_code.is_some() && row.unit_code != teacher.unit_code;
                let changes_title = row.job_title.is_some() && row.job_title != teacher.job_title;
                let changes_subjects =
                    subjects.is_some() && subjects.as_deref() != Some(teacher.subjects.as_str());
                if !(changes_unit || changes_title || changes_subjects) {
                    report.counts.unchanged += 1;
                    continue;
                }
                let before = serde_json::json!({
                    "unit_code": teacher.unit_code,
                    "job_title": teacher.job_title,
                    "subjects": teacher.subjects,
                    "batch": batch,
                    "row": n,
                });
                let mut active: account::ActiveModel = teacher.clone().into();
                if changes_unit {
                    active.unit_code = Set(row.unit_code.clone());
                }
                if changes_title {
                    active.job_title = Set(row.job_title.clone());
                }
                if let Some(subjects) = subjects.filter(|_| changes_subjects) {
                    active.subjects = Set(subjects);
                }
                active.updated_at = Set(now);
                active.update(&txn).await?;
                write_audit(
                    &txn,
                    AuditEntry {
                        actor_account_id: meta.run_by_account,
                        actor_role: actor_role.clone(),
                        action: "teacher_base_data_refreshed".into(),
                        target_kind: "account".into(),
                        target_id: Some(teacher.id.to_string()),
                        summary: before.to_string(),
                        ip: None,
                    },
                    now,
                )
                .await?;
                report.counts.updated += 1;
            }
        }
        let failed = file_problem.is_some() || report.counts.refused > 0;
        let truncated = report.counts.refused as usize > report.problems.len();
        let mut problems = report.problems;
        if let Some(problem) = file_problem {
            problems.insert(0, problem);
        }
        let status = match (meta.dry_run, failed) {
            (true, _) => "dry_run",
            (false, true) => "failed",
            (false, false) => "committed",
        };
        let outcome = BatchOutcome {
            batch_id: batch,
            status: status.to_owned(),
            counts: report.counts,
            problems,
            problems_truncated: truncated,
        };
        if status == "committed" {
            finish_batch(&txn, Some(batch), Some(partner.id), &meta, &outcome, now).await?;
            txn.commit().await?;
            return Ok(outcome);
        }
        txn.rollback().await?;
        let id = self
            .log_batch(Some(partner.id), &meta, &outcome, now)
            .await?;
        Ok(BatchOutcome {
            batch_id: id,
            ..outcome
        })
    }
}
