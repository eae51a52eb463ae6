//! Changing an account's e-mail address: it takes effect only when confirmed from the new
//! mailbox, and the old address is told, so a stolen session cannot quietly redirect the
//! password-reset mail.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter};

use crate::audit::{AuditEntry, enqueue_mail, write_audit};
use crate::entities::{account, email_change};
use crate::{Database, StorageError};

/// One e-mail to queue: recipient, subject, text.
pub type MailText<'a> = (&'a str, &'a str, &'a str);

impl Database {
    /// Stores a pending change (replacing an earlier one) and queues the confirmation to the new
    /// address and the notice to the old one, in one transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn start_email_change(
        &self,
        account_id: i32,
        new_email: &str,
        token_hash: &str,
        expires_at: DateTime<Utc>,
        mails: &[MailText<'_>],
        audit: AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let txn = self.begin_write().await?;
        email_change::Entity::delete_many()
            .filter(email_change::Column::AccountId.eq(account_id))
            .filter(email_change::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        email_change::ActiveModel {
            account_id: Set(account_id),
            new_email: Set(new_email.to_owned()),
            token_hash: Set(token_hash.to_owned()),
            expires_at: Set(expires_at),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for (to, subject, body) in mails {
            enqueue_mail(&txn, to, subject, body, now).await?;
        }
        write_audit(&txn, audit, now).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The address a live pending change of the account would set, if any.
    pub async fn pending_email(
        &self,
        account_id: i32,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, StorageError> {
        Ok(email_change::Entity::find()
            .filter(email_change::Column::AccountId.eq(account_id))
            .filter(email_change::Column::UsedAt.is_null())
            .filter(email_change::Column::ExpiresAt.gt(now))
            .one(&self.conn)
            .await?
            .map(|c| c.new_email))
    }

    /// Uses a confirmation token once: the address becomes the account's. Returns the account
    /// id, or `None` for an unknown, used or expired token.
    pub async fn confirm_email_change(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<i32>, StorageError> {
        let txn = self.begin_write().await?;
        let Some(change) = email_change::Entity::find()
            .filter(email_change::Column::TokenHash.eq(token_hash))
            .one(&txn)
            .await?
        else {
            return Ok(None);
        };
        let used = email_change::Entity::update_many()
            .col_expr(email_change::Column::UsedAt, Expr::value(Some(now)))
            .filter(email_change::Column::Id.eq(change.id))
            .filter(email_change::Column::UsedAt.is_null())
            .filter(email_change::Column::ExpiresAt.gt(now))
            .exec(&txn)
            .await?;
        if used.rows_affected != 1 {
            return Ok(None);
        }
        account::Entity::update_many()
            .col_expr(
                account::Column::Email,
                Expr::value(change.new_email.clone()),
            )
            .col_expr(account::Column::UpdatedAt, Expr::value(now))
            .filter(account::Column::Id.eq(change.account_id))
            .exec(&txn)
            .await?;
        write_audit(
            &txn,
            AuditEntry {
                actor_account_id: Some(change.account_id),
                actor_role: "self".into(),
                action: "account.email_confirmed".into(),
                target_kind: "account".into(),
                target_id: Some(change.account_id.to_string()),
                summary: "e-mail address confirmed from the new mailbox".into(),
                ip: None,
            },
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(Some(change.account_id))
    }
}
