//! Decisions about business accounts: approve, reject, retype, disable, enable, delete.

use chrono::{DateTime, Utc};
use inservice_domain::account::{AccountKind, AccountStatus};
use inservice_domain::permission::AccountType;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{Account, account_record};
use crate::entities::{account, refresh_token};
use crate::{Database, StorageError};

/// A decision about a business account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BusinessDecision {
    /// Pending → active.
    Approve,
    /// Pending → rejected, with the reason shown to the applicant.
    Reject(String),
    /// Change the account type (總負責人 / 連絡人 / 作業人員).
    Retype(AccountType),
    /// Active → disabled, with a reason; its sessions end.
    Disable(String),
    /// Disabled → active.
    Enable,
    /// Remove the account; the identity number may apply again.
    Delete,
}

impl Database {
    /// Business accounts with the given status, oldest first (the approval queue).
    pub async fn business_accounts(
        &self,
        status: AccountStatus,
    ) -> Result<Vec<Account>, StorageError> {
        let rows = account::Entity::find()
            .filter(account::Column::Kind.eq(AccountKind::Business.code()))
            .filter(account::Column::Status.eq(status.code()))
            .order_by_asc(account::Column::Id)
            .all(&self.conn)
            .await?;
        let mut accounts = Vec::with_capacity(rows.len());
        for row in rows {
            accounts.push(account_record(&self.conn, row).await?);
        }
        Ok(accounts)
    }

    /// Applies a decision if the account is still in the state the decision expects; returns
    /// false when it is not (someone else decided first). Audited in the same transaction.
    pub async fn decide_business_account(
        &self,
        id: i32,
        decision: BusinessDecision,
        decided_by: i32,
        audit: crate::audit::AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let txn = self.begin_write().await?;
        let base = || {
            account::Entity::update_many()
                .col_expr(account::Column::DecidedBy, Expr::value(Some(decided_by)))
                .col_expr(account::Column::DecidedAt, Expr::value(Some(now)))
                .col_expr(account::Column::UpdatedAt, Expr::value(now))
                .filter(account::Column::Id.eq(id))
                .filter(account::Column::Kind.eq(AccountKind::Business.code()))
        };
        let status = |s: AccountStatus| Expr::value(s.code());
        let changed = match &decision {
            BusinessDecision::Approve => {
                base()
                    .col_expr(account::Column::Status, status(AccountStatus::Active))
                    .filter(account::Column::Status.eq(AccountStatus::Pending.code()))
                    .exec(&txn)
                    .await?
                    .rows_affected
            }
            BusinessDecision::Reject(reason) => {
                base()
                    .col_expr(account::Column::Status, status(AccountStatus::Rejected))
                    .col_expr(
                        account::Column::StatusReason,
                        Expr::value(Some(reason.clone())),
                    )
                    .filter(account::Column::Status.eq(AccountStatus::Pending.code()))
                    .exec(&txn)
                    .await?
                    .rows_affected
            }
            BusinessDecision::Retype(account_type) => {
                base()
                    .col_expr(
                        account::Column::AccountType,
                        Expr::value(Some(account_type.code())),
                    )
                    .exec(&txn)
                    .await?
                    .rows_affected
            }
            BusinessDecision::Disable(reason) => {
                refresh_token::Entity::update_many()
                    .col_expr(refresh_token::Column::RevokedAt, Expr::value(Some(now)))
                    .filter(refresh_token::Column::AccountId.eq(id))
                    .filter(refresh_token::Column::RevokedAt.is_null())
                    .exec(&txn)
                    .await?;
                base()
                    .col_expr(account::Column::Status, status(AccountStatus::Disabled))
                    .col_expr(
                        account::Column::StatusReason,
                        Expr::value(Some(reason.clone())),
                    )
                    .filter(account::Column::Status.eq(AccountStatus::Active.code()))
                    .exec(&txn)
                    .await?
                    .rows_affected
            }
            BusinessDecision::Enable => {
                base()
                    .col_expr(account::Column::Status, status(AccountStatus::Active))
                    .col_expr(
                        account::Column::StatusReason,
                        Expr::value(Option::<String>::None),
                    )
                    .filter(account::Column::Status.eq(AccountStatus::Disabled.code()))
                    .exec(&txn)
                    .await?
                    .rows_affected
            }
            BusinessDecision::Delete => {
                account::Entity::delete_many()
                    .filter(account::Column::Id.eq(id))
                    .filter(account::Column::Kind.eq(AccountKind::Business.code()))
                    .exec(&txn)
                    .await?
                    .rows_affected
            }
        };
        if changed != 1 {
            return Ok(false);
        }
        crate::audit::write_audit(&txn, audit, now).await?;
        txn.commit().await?;
        Ok(true)
    }
}
