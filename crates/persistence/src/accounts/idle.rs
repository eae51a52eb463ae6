//! The idle-account sweep: warn, then delete, business accounts nobody uses.

use chrono::{DateTime, Utc};
use inservice_domain::account::AccountKind;
use inservice_domain::idle::{self, IdleAction};
use inservice_domain::notice;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::unit_ref;
use crate::entities::account;
use crate::{Database, StorageError};

/// What one sweep did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdleSweepReport {
    /// Account names warned.
    pub warned: Vec<String>,
    /// Account names deleted.
    pub deleted: Vec<String>,
}

impl Database {
    /// Applies the idle-account rule to every business account. Each warning (with its e-mail)
    /// and each deletion is its own transaction with its audit row.
    pub async fn sweep_idle_accounts(
        &self,
        now: DateTime<Utc>,
        dry_run: bool,
    ) -> Result<IdleSweepReport, StorageError> {
        let rows = account::Entity::find()
            .filter(account::Column::Kind.eq(AccountKind::Business.code()))
            .filter(account::Column::Status.ne("pending"))
            .all(&self.conn)
            .await?;
        let mut report = IdleSweepReport::default();
        for row in rows {
            let Some(unit_code) = &row.unit_code else {
                continue;
            };
            let Some(unit) = unit_ref(&self.conn, unit_code).await? else {
                continue;
            };
            if !idle::applies_to(unit.kind) {
                continue;
            }
            let last_active = row.last_login_at.unwrap_or(row.created_at);
            let audit = |action: &str, summary: String| crate::audit::AuditEntry {
                actor_account_id: None,
                actor_role: "system".into(),
                action: action.into(),
                target_kind: "account".into(),
                target_id: Some(row.id.to_string()),
                summary,
                ip: None,
            };
            match idle::idle_action(last_active, row.idle_warned_at, now) {
                IdleAction::Keep => {}
                IdleAction::Warn => {
                    report.warned.push(row.account_name.clone());
                    if dry_run {
                        continue;
                    }
                    let txn = self.begin_write().await?;
                    account::Entity::update_many()
                        .col_expr(account::Column::IdleWarnedAt, Expr::value(Some(now)))
                        .filter(account::Column::Id.eq(row.id))
                        .exec(&txn)
                        .await?;
                    let mail = notice::idle_account_warning(
                        &row.real_name,
                        &row.account_name,
                        idle::GRACE_DAYS,
                    );
                    crate::audit::enqueue_mail(&txn, &row.email, mail.subject, &mail.body, now)
                        .await?;
                    crate::audit::write_audit(
                        &txn,
                        audit(
                            "account.idle_warn",
                            format!("warned idle account {}", row.account_name),
                        ),
                        now,
                    )
                    .await?;
                    txn.commit().await?;
                }
                IdleAction::Delete => {
                    report.deleted.push(row.account_name.clone());
                    if dry_run {
                        continue;
                    }
                    let txn = self.begin_write().await?;
                    account::Entity::delete_by_id(row.id).exec(&txn).await?;
                    crate::audit::write_audit(
                        &txn,
                        audit(
                            "account.idle_delete",
                            format!("deleted idle account {}", row.account_name),
                        ),
                        now,
                    )
                    .await?;
                    txn.commit().await?;
                }
            }
        }
        Ok(report)
    }
}
