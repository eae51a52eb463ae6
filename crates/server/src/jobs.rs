//! Background work inside the server process: delivering the mail outbox (with retries and
//! backoff), drawing lotteries whose registration closed, the daily idle-account sweep and the
//! daily backup. Several server processes may run these at once: mail is claimed with a lease
//! (and `SKIP LOCKED` on PostgreSQL) and a lottery draws at most once.
//!
//! Every job watches one stop signal: at shutdown the mail worker finishes the message it is
//! sending, gives back the leases of the rest of its batch, and stops claiming.

use std::time::Duration;

use chrono::Utc;
use inservice_persistence::Database;
use inservice_persistence::outbox::OutgoingMail;
use lettre::message::Mailbox;
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Message, Tokio1Executor};
use rand::RngCore;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::BackupConfig;

/// Tells the jobs to stop: `true` once shutdown began.
type Stop = watch::Receiver<bool>;

/// Waits for `period`, or less when the stop signal comes; `false` means stop.
async fn pause(stop: &mut Stop, period: Duration) -> bool {
    if *stop.borrow() {
        return false;
    }
    tokio::select! {
        () = tokio::time::sleep(period) => !*stop.borrow(),
        // A closed channel means the server is gone: stop as well.
        _ = stop.changed() => false,
    }
}

/// The running background jobs of one server.
pub struct Jobs {
    stop: watch::Sender<bool>,
    handles: Vec<JoinHandle<()>>,
}

impl Jobs {
    /// Signals every job to stop and waits up to `grace` for them (a message being sent is
    /// finished, unsent leases are given back); jobs still running then are abandoned.
    pub async fn stop(self, grace: Duration) {
        let _ = self.stop.send(true);
        let all = futures_util::future::join_all(self.handles);
        if tokio::time::timeout(grace, all).await.is_err() {
            tracing::warn!("background jobs did not stop in time");
        }
    }
}

/// An SMTP connection pool and the sender.
#[derive(Clone)]
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// How e-mail leaves the outbox.
#[derive(Clone)]
pub enum Mailer {
    /// Development: the outbox is the mailbox (`inservice mail list`, the admin page); a
    /// message counts as delivered once the worker has seen it.
    Mailbox,
    /// Production: SMTP.
    Smtp(Box<Smtp>),
    /// Production without SMTP configured: messages stay queued.
    Hold,
}

impl Mailer {
    /// The mailer for a configuration; a bad SMTP URL or sender is an error at start-up.
    pub fn new(development: bool, smtp_url: Option<&str>, from: &str) -> Result<Mailer, String> {
        match smtp_url {
            Some(url) => Ok(Mailer::Smtp(Box::new(Smtp {
                transport: AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("INSERVICE_SMTP_URL: {e}"))?
                    .build(),
                from: from
                    .parse()
                    .map_err(|e| format!("INSERVICE_MAIL_FROM: {e}"))?,
            }))),
            None if development => Ok(Mailer::Mailbox),
            None => Ok(Mailer::Hold),
        }
    }

    async fn deliver(&self, mail: &OutgoingMail) -> Result<(), String> {
        match self {
            Mailer::Mailbox => Ok(()),
            Mailer::Hold => Err("no SMTP server configured (INSERVICE_SMTP_URL)".into()),
            Mailer::Smtp(smtp) => {
                let Smtp { transport, from } = smtp.as_ref();
                let to: Mailbox = mail
                    .to_address
                    .parse()
                    .map_err(|e| format!("bad address: {e}"))?;
                let message = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(&mail.subject)
                    .body(mail.body.clone())
                    .map_err(|e| format!("cannot build the message: {e}"))?;
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
        }
    }
}

/// Delivers due mail every few seconds.
fn spawn_outbox(db: Database, mailer: Mailer, mut stop: Stop) -> Option<JoinHandle<()>> {
    if matches!(mailer, Mailer::Hold) {
        tracing::warn!("no SMTP server configured: e-mail stays in the outbox");
        return None;
    }
    Some(tokio::spawn(async move {
        while pause(&mut stop, Duration::from_secs(2)).await {
            let now = Utc::now();
            let batch = match db
                .claim_due_mail(50, now, chrono::Duration::minutes(5))
                .await
            {
                Ok(batch) => batch,
                Err(error) => {
                    tracing::error!(%error, "cannot read the outbox");
                    continue;
                }
            };
            let mut sent = 0;
            for mail in &batch {
                if *stop.borrow() {
                    break;
                }
                let outcome = mailer.deliver(mail).await;
                let saved = match &outcome {
                    Ok(()) => {
                        let delivered_for_real = matches!(mailer, Mailer::Smtp(_));
                        db.mark_mail_sent(mail.id, Utc::now(), delivered_for_real)
                            .await
                    }
                    Err(error) => {
                        tracing::warn!(id = mail.id, attempts = mail.attempts + 1, %error, "mail delivery failed");
                        db.mark_mail_failed(mail.id, mail.attempts, error, Utc::now())
                            .await
                    }
                };
                if let Err(error) = saved {
                    tracing::error!(%error, "cannot record a delivery");
                }
                sent += 1;
            }
            let unsent = &batch[sent..];
            if !unsent.is_empty() {
                match db.release_mail(unsent).await {
                    Ok(released) => {
                        tracing::info!(released, "shutting down: mail leases given back")
                    }
                    Err(error) => {
                        tracing::warn!(%error, "cannot give back mail leases; they run out by themselves")
                    }
                }
            }
        }
    }))
}

/// Draws every lottery whose registration closed, within a minute.
fn spawn_lotteries(db: Database, public_url: String, mut stop: Stop) -> JoinHandle<()> {
    tokio::spawn(async move {
        // Drawn once at start-up, then every minute.
        let mut period = Duration::ZERO;
        while pause(&mut stop, period).await {
            period = Duration::from_secs(60);
            let now = Utc::now();
            let due = match db.lotteries_due(now).await {
                Ok(due) => due,
                Err(error) => {
                    tracing::error!(%error, "cannot look for lotteries");
                    continue;
                }
            };
            for course in due {
                let seed = rand::rng().next_u64();
                match db.draw_lottery(course, seed, None, &public_url, now).await {
                    Ok((placed, waiting)) => {
                        tracing::info!(course, placed, waiting, seed, "lottery drawn")
                    }
                    // Another server drew it first, or the course changed: nothing to do.
                    Err(error) => tracing::info!(course, %error, "lottery not drawn"),
                }
            }
        }
    })
}

/// The idle-account sweep, the partners' yearly contact reminders and (from the 15th) the
/// preschool export, once a day.
fn spawn_daily(db: Database, preschool: String, mut stop: Stop) -> JoinHandle<()> {
    tokio::spawn(async move {
        // Not at start-up, so start-up stays fast and tests stay quiet.
        while pause(&mut stop, DAY).await {
            let now = Utc::now();
            match crate::exchange::preschool_export_if_due(&db, &preschool, now).await {
                Ok(Some(records)) => tracing::info!(records, "preschool export written"),
                Ok(None) => {}
                Err(error) => tracing::error!(%error, "preschool export failed"),
            }
            match crate::exchange::remind_contacts(&db, now).await {
                Ok(codes) if !codes.is_empty() => {
                    tracing::info!(
                        partners = codes.join(","),
                        "partner contact reminders queued"
                    )
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "partner contact reminders failed"),
            }
            match db.sweep_idle_accounts(Utc::now(), false).await {
                Ok(report) => tracing::info!(
                    warned = report.warned.len(),
                    deleted = report.deleted.len(),
                    "idle-account sweep"
                ),
                Err(error) => tracing::error!(%error, "idle-account sweep failed"),
            }
        }
    })
}

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// How long until the next backup is due: a day after the newest one in the folder (so a
/// restarted server keeps the 24-hour rhythm instead of starting over), but not in the first
/// minute after start-up.
fn next_backup_in(dir: &std::path::Path, now: chrono::DateTime<Utc>) -> Duration {
    const SETTLE: Duration = Duration::from_secs(60);
    let newest = inservice_persistence::backup::list(dir)
        .ok()
        .and_then(|all| all.last().map(|(_, at)| *at));
    newest
        .and_then(|at| (at + chrono::Duration::days(1) - now).to_std().ok())
        .map_or(SETTLE, |wait| wait.max(SETTLE))
}

/// A backup a day, the oldest beyond `keep` deleted; a failed one is tried again in an hour.
fn spawn_backups(db: Database, settings: BackupConfig, mut stop: Stop) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut wait = next_backup_in(&settings.dir, Utc::now());
        while pause(&mut stop, wait).await {
            match db.backup_to(&settings.dir, Utc::now()).await {
                Ok(path) => {
                    tracing::info!(path = %path.display(), "backup written");
                    match inservice_persistence::backup::prune(&settings.dir, settings.keep) {
                        Ok(deleted) if !deleted.is_empty() => {
                            tracing::info!(deleted = deleted.len(), "old backups deleted")
                        }
                        Ok(_) => {}
                        Err(error) => tracing::error!(%error, "cannot delete old backups"),
                    }
                    wait = next_backup_in(&settings.dir, Utc::now());
                }
                Err(error) => {
                    tracing::error!(%error, "backup failed; trying again in an hour");
                    wait = Duration::from_secs(60 * 60);
                }
            }
        }
    })
}

/// Starts every background job of this process.
pub fn spawn_all(
    db: Database,
    mailer: Mailer,
    public_url: String,
    backup: Option<BackupConfig>,
    preschool_partner: String,
) -> Jobs {
    let (stop, watching) = watch::channel(false);
    let mut handles = Vec::new();
    handles.extend(spawn_outbox(db.clone(), mailer, watching.clone()));
    handles.push(spawn_lotteries(db.clone(), public_url, watching.clone()));
    if let Some(settings) = backup {
        handles.push(spawn_backups(db.clone(), settings, watching.clone()));
    }
    handles.push(spawn_daily(db, preschool_partner, watching));
    Jobs { stop, handles }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_backup_is_a_day_after_the_newest() {
        let dir = std::env::temp_dir().join(format!("inservice-jobs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let now = Utc::now();
        assert_eq!(
            next_backup_in(&dir, now),
            Duration::from_secs(60),
            "none yet: soon"
        );
        let name = inservice_persistence::backup::file_name(
            inservice_persistence::DatabaseKind::Sqlite,
            now - chrono::Duration::hours(20),
        );
        std::fs::write(dir.join(name), "").unwrap();
        let wait = next_backup_in(&dir, now).as_secs();
        assert!((4 * 3600 - 2..=4 * 3600).contains(&wait), "{wait}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
