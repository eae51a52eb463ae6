//! The mail outbox: messages written in the same transaction as the change they announce, then
//! delivered by a background worker with retries. A message claimed by one worker is leased so
//! several workers (on several nodes) never send it twice.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, Statement,
};

use crate::entities::{account, mail};
use crate::{Database, StorageError};

/// A message about a course, to one teacher.
pub(crate) struct Notice<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub course_id: i32,
    pub account_id: i32,
    pub kind: &'a str,
}

pub(crate) async fn enqueue_notice(
    conn: &impl ConnectionTrait,
    notice: Notice<'_>,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    mail::ActiveModel {
        to_address: Set(notice.to.to_owned()),
        subject: Set(notice.subject.to_owned()),
        body: Set(notice.body.to_owned()),
        status: Set("queued".to_owned()),
        attempts: Set(0),
        created_at: Set(now),
        next_attempt_at: Set(Some(now)),
        course_id: Set(Some(notice.course_id)),
        account_id: Set(Some(notice.account_id)),
        kind: Set(Some(notice.kind.to_owned())),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// A message to deliver.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct OutgoingMail {
    pub id: i32,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub attempts: i32,
    /// The end of this worker's lease, which identifies it when the lease is given back.
    pub claimed_until: Option<DateTime<Utc>>,
}

/// A message sent (or being sent) about a course: who, what, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseNotification {
    pub account_id: Option<i32>,
    pub real_name: Option<String>,
    pub to_address: String,
    pub kind: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// Delivery gives up after this many attempts.
pub const MAX_ATTEMPTS: i32 = 6;

/// When to try again after `attempts` failures: 1, 5, 30 minutes, 2 and 12 hours.
pub fn backoff(attempts: i32) -> Duration {
    match attempts {
        ..=1 => Duration::minutes(1),
        2 => Duration::minutes(5),
        3 => Duration::minutes(30),
        4 => Duration::hours(2),
        _ => Duration::hours(12),
    }
}

impl Database {
    /// Claims up to `limit` messages that are due, for `lease`; on PostgreSQL rows another
    /// worker holds are skipped (`FOR UPDATE SKIP LOCKED`).
    pub async fn claim_due_mail(
        &self,
        limit: u64,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Vec<OutgoingMail>, StorageError> {
        const COLUMNS: &str = "RETURNING id, to_address, subject, body, attempts, claimed_until";
        let backend = self.conn.get_database_backend();
        // Whole microseconds, as PostgreSQL stores them, so the value read back compares equal.
        let lease_end = (now + lease).trunc_subsecs(6);
        let (sql, values): (String, Vec<sea_orm::Value>) = if backend == DbBackend::Postgres {
            (
                format!(
                    "UPDATE mail_outbox SET claimed_until = $1 WHERE id IN (
                       SELECT id FROM mail_outbox
                       WHERE status IN ('queued', 'retry')
                         AND (next_attempt_at IS NULL OR next_attempt_at <= $2)
                         AND (claimed_until IS NULL OR claimed_until < $2)
                       ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) {COLUMNS}"
                ),
                vec![lease_end.into(), now.into(), (limit as i64).into()],
            )
        } else {
            // SQLite has one writer at a time, so there is nothing to skip.
            (
                format!(
                    "UPDATE mail_outbox SET claimed_until = ? WHERE id IN (
                       SELECT id FROM mail_outbox
                       WHERE status IN ('queued', 'retry')
                         AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
                         AND (claimed_until IS NULL OR claimed_until < ?)
                       ORDER BY id LIMIT ?) {COLUMNS}"
                ),
                vec![
                    lease_end.into(),
                    now.into(),
                    now.into(),
                    (limit as i64).into(),
                ],
            )
        };
        let rows =
            OutgoingMail::find_by_statement(Statement::from_sql_and_values(backend, sql, values))
                .all(&self.conn)
                .await?;
        Ok(rows)
    }

    /// Gives back the leases of claimed messages this worker will not deliver (it is shutting
    /// down), so another worker sends them at once rather than when the lease runs out. A lease
    /// that ran out and was claimed again meanwhile is not this worker's and stays. Returns how
    /// many were released.
    pub async fn release_mail(&self, claimed: &[OutgoingMail]) -> Result<u64, StorageError> {
        let mut released = 0;
        for mail in claimed {
            let Some(lease_end) = mail.claimed_until else {
                continue;
            };
            released += mail::Entity::update_many()
                .col_expr(
                    mail::Column::ClaimedUntil,
                    Option::<DateTime<Utc>>::None.into(),
                )
                .filter(mail::Column::Id.eq(mail.id))
                .filter(mail::Column::ClaimedUntil.eq(lease_end))
                .filter(mail::Column::Status.is_in(["queued", "retry"]))
                .exec(&self.conn)
                .await?
                .rows_affected;
        }
        Ok(released)
    }

    /// Marks a message delivered. `forget_secrets` (real delivery, not the development mailbox)
    /// also removes the secret of every link it carried, so the outbox keeps no live link.
    pub async fn mark_mail_sent(
        &self,
        id: i32,
        now: DateTime<Utc>,
        forget_secrets: bool,
    ) -> Result<(), StorageError> {
        if forget_secrets && let Some(row) = mail::Entity::find_by_id(id).one(&self.conn).await? {
            let body = inservice_domain::notice::without_link_secrets(&row.body);
            if body != row.body {
                mail::Entity::update_many()
                    .col_expr(mail::Column::Body, body.into())
                    .filter(mail::Column::Id.eq(id))
                    .exec(&self.conn)
                    .await?;
            }
        }
        mail::Entity::update_many()
            .col_expr(mail::Column::Status, "sent".into())
            .col_expr(mail::Column::SentAt, Some(now).into())
            .col_expr(
                mail::Column::Attempts,
                sea_orm::sea_query::Expr::col(mail::Column::Attempts).add(1),
            )
            .col_expr(
                mail::Column::ClaimedUntil,
                Option::<DateTime<Utc>>::None.into(),
            )
            .filter(mail::Column::Id.eq(id))
            .exec(&self.conn)
            .await?;
        Ok(())
    }

    /// Records a failed attempt: tried again later, or given up after [`MAX_ATTEMPTS`].
    pub async fn mark_mail_failed(
        &self,
        id: i32,
        attempts_before: i32,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let attempts = attempts_before + 1;
        let (status, next) = if attempts >= MAX_ATTEMPTS {
            ("failed", None)
        } else {
            ("retry", Some(now + backoff(attempts)))
        };
        mail::Entity::update_many()
            .col_expr(mail::Column::Status, status.into())
            .col_expr(mail::Column::Attempts, attempts.into())
            .col_expr(mail::Column::NextAttemptAt, next.into())
            .col_expr(mail::Column::LastError, Some(error.to_owned()).into())
            .col_expr(
                mail::Column::ClaimedUntil,
                Option::<DateTime<Utc>>::None.into(),
            )
            .filter(mail::Column::Id.eq(id))
            .exec(&self.conn)
            .await?;
        Ok(())
    }

    /// Messages waiting for delivery (queued or to be retried).
    pub async fn outbox_depth(&self) -> Result<u64, StorageError> {
        use sea_orm::PaginatorTrait;
        Ok(mail::Entity::find()
            .filter(mail::Column::Status.is_in(["queued", "retry"]))
            .count(&self.conn)
            .await?)
    }

    /// Who was told what about a course, oldest first.
    pub async fn course_notifications(
        &self,
        course_id: i32,
    ) -> Result<Vec<CourseNotification>, StorageError> {
        let rows = mail::Entity::find()
            .filter(mail::Column::CourseId.eq(course_id))
            .order_by_asc(mail::Column::Id)
            .all(&self.conn)
            .await?;
        let ids: Vec<i32> = rows.iter().filter_map(|m| m.account_id).collect();
        let names: std::collections::HashMap<i32, String> = account::Entity::find()
            .filter(account::Column::Id.is_in(ids))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|a| (a.id, a.real_name))
            .collect();
        Ok(rows
            .into_iter()
            .map(|m| CourseNotification {
                real_name: m.account_id.and_then(|id| names.get(&id).cloned()),
                account_id: m.account_id,
                to_address: m.to_address,
                kind: m.kind.unwrap_or_default(),
                status: m.status,
                created_at: m.created_at,
                sent_at: m.sent_at,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn scratch_database() -> (Database, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("inservice-outbox-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = Database::connect(&format!("sqlite://{}?mode=rwc", dir.join("t.db").display()))
            .await
            .unwrap();
        db.migrate().await.unwrap();
        (db, dir)
    }

    async fn queue(db: &Database, n: usize, now: DateTime<Utc>) {
        for i in 0..n {
            mail::ActiveModel {
                to_address: Set(format!("t{i}@school.example.tw")),
                subject: Set("s".into()),
                body: Set("b".into()),
                status: Set("queued".into()),
                attempts: Set(0),
                created_at: Set(now),
                next_attempt_at: Set(Some(now)),
                ..Default::default()
            }
            .insert(&db.conn)
            .await
            .unwrap();
        }
    }

    #[tokio::test]
    async fn a_stopping_worker_gives_back_the_leases_it_did_not_use() {
        let (db, dir) = scratch_database().await;
        let now = Utc::now();
        queue(&db, 3, now).await;
        let lease = Duration::minutes(5);
        let batch = db.claim_due_mail(10, now, lease).await.unwrap();
        assert_eq!(batch.len(), 3);
        assert!(batch.iter().all(|m| m.claimed_until.is_some()));
        assert!(
            db.claim_due_mail(10, now, lease).await.unwrap().is_empty(),
            "leased messages are not claimed twice"
        );
        // The first was delivered; the worker stops before the other two.
        db.mark_mail_sent(batch[0].id, now, false).await.unwrap();
        assert_eq!(db.release_mail(&batch).await.unwrap(), 2);
        let later = now + Duration::seconds(1);
        let again = db.claim_due_mail(10, later, lease).await.unwrap();
        let ids: Vec<i32> = again.iter().map(|m| m.id).collect();
        assert_eq!(
            ids,
            [batch[1].id, batch[2].id],
            "at once, not after the lease"
        );
        // An old claim whose lease was taken over by another worker is not released.
        assert_eq!(db.release_mail(&batch).await.unwrap(), 0);
        assert!(
            db.claim_due_mail(10, later, lease)
                .await
                .unwrap()
                .is_empty()
        );
        db.close().await.unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn retries_back_off_and_stop() {
        assert_eq!(backoff(1), Duration::minutes(1));
        assert_eq!(backoff(3), Duration::minutes(30));
        assert_eq!(backoff(9), Duration::hours(12));
        assert_eq!(MAX_ATTEMPTS, 6);
    }
}
