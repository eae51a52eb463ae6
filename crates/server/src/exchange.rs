//! The exchange's scheduled work, shared by the daily job and the command line: the preschool
//! platform's export from the 15th of each month, and the partners' yearly contact reminders.

use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc};
use inservice_domain::course::schedule::{TAIPEI, taipei_today};
use inservice_domain::exchange::{
    CONTACT_REMINDER_DAYS, CONTACT_VALID_DAYS, contact_due, contact_reminder,
};
use inservice_persistence::exchange::{BatchMeta, BatchOutcome};
use inservice_persistence::{Database, StorageError};

/// The day of the month the preschool export runs (共同研討(一) 提案二: records go on the 15th).
pub const PRESCHOOL_EXPORT_DAY: u32 = 15;

/// The preschool export now (or as a dry run); `None` when the platform is not registered.
pub async fn preschool_export(
    db: &Database,
    code: &str,
    dry_run: bool,
    now: DateTime<Utc>,
) -> Result<Option<BatchOutcome>, StorageError> {
    let Some(partner) = db.partner_by_code(code).await? else {
        return Ok(None);
    };
    let meta = BatchMeta {
        kind: "preschool_export".into(),
        format: "json".into(),
        dry_run,
        file_name: None,
        run_by_account: None,
        run_by_key: None,
        started_at: now,
    };
    db.preschool_export(&partner, meta, now).await.map(Some)
}

/// Runs the export when it is the 15th or later and none ran since this month's 15th; returns
/// the records written.
pub async fn preschool_export_if_due(
    db: &Database,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Option<u64>, StorageError> {
    let today = taipei_today(now);
    if today.day() < PRESCHOOL_EXPORT_DAY {
        return Ok(None);
    }
    let Some(partner) = db.partner_by_code(code).await? else {
        return Ok(None);
    };
    let Some(day) = today.with_day(PRESCHOOL_EXPORT_DAY) else {
        return Ok(None);
    };
    let since = TAIPEI
        .from_local_datetime(&day.and_time(NaiveTime::MIN))
        .single()
        .map(|t| t.with_timezone(&Utc));
    let ran = db
        .preschool_batches(&partner)
        .await?
        .iter()
        .any(|b| since.is_some_and(|s| b.created_at >= s));
    if ran {
        return Ok(None);
    }
    let outcome = preschool_export(db, code, false, now).await?;
    Ok(outcome.map(|o| o.counts.rows))
}

/// Queues the yearly re-confirmation reminder to partners due within 30 days or overdue, at
/// most once every 30 days each.
pub async fn remind_contacts(
    db: &Database,
    now: DateTime<Utc>,
) -> Result<Vec<String>, StorageError> {
    let today = taipei_today(now);
    let window = i64::try_from(CONTACT_VALID_DAYS - CONTACT_REMINDER_DAYS).unwrap_or(335);
    let due_before = today - Duration::days(window);
    let reminded_before = now - Duration::days(i64::try_from(CONTACT_REMINDER_DAYS).unwrap_or(30));
    db.remind_partner_contacts(due_before, reminded_before, now, |partner| {
        contact_reminder(
            &partner.fields.name,
            &partner.fields.contact_name,
            contact_due(partner.contact_confirmed_on),
        )
    })
    .await
}
