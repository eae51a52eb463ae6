//! The audit log and the mail outbox: rows written beside the change they describe.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, QuerySelect};

use crate::entities::{audit_entry, mail};
use crate::{Database, StorageError};

/// One change made by a person. The summary never holds identity numbers or passwords.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub actor_account_id: Option<i32>,
    pub actor_role: String,
    pub action: String,
    pub target_kind: String,
    pub target_id: Option<String>,
    pub summary: String,
    pub ip: Option<String>,
}

pub(crate) async fn write_audit(
    conn: &impl ConnectionTrait,
    entry: AuditEntry,
    at: DateTime<Utc>,
) -> Result<(), StorageError> {
    audit_entry::ActiveModel {
        at: Set(at),
        actor_account_id: Set(entry.actor_account_id),
        actor_role: Set(entry.actor_role),
        action: Set(entry.action),
        target_kind: Set(entry.target_kind),
        target_id: Set(entry.target_id),
        summary: Set(entry.summary),
        ip: Set(entry.ip),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// An e-mail waiting in, or sent from, the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub id: i32,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

pub(crate) async fn enqueue_mail(
    conn: &impl ConnectionTrait,
    to: &str,
    subject: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    mail::ActiveModel {
        to_address: Set(to.to_owned()),
        subject: Set(subject.to_owned()),
        body: Set(body.to_owned()),
        status: Set("queued".to_owned()),
        attempts: Set(0),
        created_at: Set(now),
        next_attempt_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

impl Database {
    pub async fn record_audit(
        &self,
        entry: AuditEntry,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        write_audit(&self.conn, entry, at).await
    }

    pub async fn enqueue_mail(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        enqueue_mail(&self.conn, to, subject, body, now).await
    }

    /// The newest messages first: the development mailbox.
    pub async fn recent_mail(&self, limit: u64) -> Result<Vec<Mail>, StorageError> {
        let rows = mail::Entity::find()
            .order_by_desc(mail::Column::Id)
            .limit(limit)
            .all(&self.conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|m| Mail {
                id: m.id,
                to_address: m.to_address,
                subject: m.subject,
                body: m.body,
                status: m.status,
                created_at: m.created_at,
            })
            .collect())
    }
}

/// Criteria of an audit-log search.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_account_id: Option<i32>,
    pub action: Option<String>,
    pub target_id: Option<String>,
}

/// A stored audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAuditEntry {
    pub id: i32,
    pub at: DateTime<Utc>,
    pub actor_account_id: Option<i32>,
    pub actor_role: String,
    pub action: String,
    pub target_kind: String,
    pub target_id: Option<String>,
    pub summary: String,
    pub ip: Option<String>,
}

impl Database {
    pub async fn search_audit(
        &self,
        filter: &AuditFilter,
        page: inservice_domain::PageRequest,
    ) -> Result<crate::reference::Page<StoredAuditEntry>, StorageError> {
        use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
        let mut query = audit_entry::Entity::find();
        if let Some(actor) = filter.actor_account_id {
            query = query.filter(audit_entry::Column::ActorAccountId.eq(actor));
        }
        if let Some(action) = &filter.action {
            query = query.filter(audit_entry::Column::Action.eq(action.as_str()));
        }
        if let Some(target) = &filter.target_id {
            query = query.filter(audit_entry::Column::TargetId.eq(target.as_str()));
        }
        let total = query.clone().count(&self.conn).await?;
        let rows = query
            .order_by_desc(audit_entry::Column::Id)
            .offset(page.offset())
            .limit(page.per_page)
            .all(&self.conn)
            .await?;
        let items = rows
            .into_iter()
            .map(|r| StoredAuditEntry {
                id: r.id,
                at: r.at,
                actor_account_id: r.actor_account_id,
                actor_role: r.actor_role,
                action: r.action,
                target_kind: r.target_kind,
                target_id: r.target_id,
                summary: r.summary,
                ip: r.ip,
            })
            .collect();
        Ok(crate::reference::Page { items, total })
    }
}
