//! Background work inside the server process: delivering the mail outbox (with retries and
//! backoff), drawing lotteries whose registration closed, and the daily idle-account sweep.
//! Several server processes may run these at once: mail is claimed with a lease (and `SKIP
//! LOCKED` on PostgreSQL) and a lottery draws at most once.

use std::time::Duration;

use chrono::Utc;
use inservice_persistence::Database;
use inservice_persistence::outbox::OutgoingMail;
use lettre::message::Mailbox;
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Message, Tokio1Executor};
use rand::RngCore;

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
fn spawn_outbox(db: Database, mailer: Mailer) {
    if matches!(mailer, Mailer::Hold) {
        tracing::warn!("no SMTP server configured: e-mail stays in the outbox");
        return;
    }
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(2));
        loop {
            interval.tick().await;
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
            for mail in batch {
                let outcome = mailer.deliver(&mail).await;
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
            }
        }
    });
}

/// Draws every lottery whose registration closed, within a minute.
fn spawn_lotteries(db: Database, public_url: String) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(60));
        loop {
            interval.tick().await;
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
    });
}

/// The idle-account sweep once a day.
fn spawn_daily(db: Database) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(24 * 60 * 60));
        // The first tick fires at once; skip it so start-up stays fast and tests stay quiet.
        interval.tick().await;
        loop {
            interval.tick().await;
            match db.sweep_idle_accounts(Utc::now(), false).await {
                Ok(report) => tracing::info!(
                    warned = report.warned.len(),
                    deleted = report.deleted.len(),
                    "idle-account sweep"
                ),
                Err(error) => tracing::error!(%error, "idle-account sweep failed"),
            }
        }
    });
}

/// Starts every background job of this process.
pub fn spawn_all(db: Database, mailer: Mailer, public_url: String) {
    spawn_outbox(db.clone(), mailer);
    spawn_lotteries(db.clone(), public_url);
    spawn_daily(db);
}
