//! Unit administration by the national centre: create, update, close or merge, transfer to
//! another reviewing authority, import the MOE school directory. Every change keeps its history.

use chrono::{DateTime, NaiveDate, Utc};
use inservice_domain::UnitKind;
use inservice_domain::account::AccountKind;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

pub use inservice_domain::directory::{DirectoryRow, UnitFacts};

use crate::entities::{account, unit, unit_history};
use crate::{Database, StorageError};

/// Contact data a unit keeps itself (修改本單位通訊資料).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitContact {
    /// `None` keeps the field; `Some(None)` clears it.
    pub address: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub email: Option<Option<String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum UnitChangeError {
    #[error("no unit has this code")]
    NotFound,
    #[error("a unit with this code exists already")]
    Duplicate,
    #[error("the unit is closed")]
    Closed,
    #[error("the successor or reviewer unit does not exist or is closed")]
    BadReference,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sea_orm::DbErr> for UnitChangeError {
    fn from(e: sea_orm::DbErr) -> Self {
        UnitChangeError::Storage(e.into())
    }
}

/// One row of the history of a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitHistoryEntry {
    pub at: DateTime<Utc>,
    pub actor_account_id: Option<i32>,
    pub change: String,
    pub before: String,
    pub after: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub closed: Vec<String>,
    pub unchanged: usize,
}

fn facts_json(row: &unit::Model) -> String {
    facts_value(row).to_string()
}

fn facts_value(row: &unit::Model) -> serde_json::Value {
    json!({
        "name": row.name, "kind": row.kind, "county_code": row.county_code, "ownership": row.ownership,
        "address": row.address, "phone": row.phone, "email": row.email, "status": row.status,
        "successor_code": row.successor_code, "reviewer_code": row.reviewer_code,
    })
}

fn differs(row: &unit::Model, facts: &UnitFacts) -> bool {
    row.name != facts.name
        || row.kind != facts.kind.code()
        || row.county_code != facts.county_code
        || row.ownership != facts.ownership.code()
        || (facts.address.is_some() && row.address != facts.address)
        || (facts.phone.is_some() && row.phone != facts.phone)
        || (facts.email.is_some() && row.email != facts.email)
}

async fn find(
    conn: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<unit::Model>, sea_orm::DbErr> {
    unit::Entity::find()
        .filter(unit::Column::Code.eq(code))
        .one(conn)
        .await
}

/// Keeps the unit's history and, for the national audit log, a line naming the change.
async fn record(
    conn: &impl ConnectionTrait,
    code: &str,
    change: &str,
    before: String,
    after: String,
    actor: Option<i32>,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    let audit = crate::audit::AuditEntry {
        actor_account_id: actor,
        actor_role: if change == "contact" {
            "unit_manager"
        } else {
            "national_admin"
        }
        .into(),
        action: format!("unit.{change}"),
        target_kind: "unit".into(),
        target_id: Some(code.to_owned()),
        summary: format!("{change} unit {code}"),
        ip: None,
    };
    crate::audit::write_audit(conn, audit, now)
        .await
        .map_err(|e| match e {
            StorageError::Database(e) => e,
            other => sea_orm::DbErr::Custom(other.to_string()),
        })?;
    unit_history::ActiveModel {
        unit_code: Set(code.to_owned()),
        at: Set(now),
        actor_account_id: Set(actor),
        change: Set(change.to_owned()),
        before: Set(before),
        after: Set(after),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

async fn insert_unit(
    conn: &impl ConnectionTrait,
    code: &str,
    facts: &UnitFacts,
) -> Result<unit::Model, sea_orm::DbErr> {
    unit::ActiveModel {
        code: Set(code.to_owned()),
        name: Set(facts.name.clone()),
        kind: Set(facts.kind.code().to_owned()),
        county_code: Set(facts.county_code.clone()),
        parent_code: Set(None),
        ownership: Set(facts.ownership.code().to_owned()),
        reviewer_code: Set(None),
        address: Set(facts.address.clone()),
        phone: Set(facts.phone.clone()),
        email: Set(facts.email.clone()),
        status: Set("open".to_owned()),
        successor_code: Set(None),
        closed_on: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await
}

async fn apply_facts(
    conn: &impl ConnectionTrait,
    row: unit::Model,
    facts: &UnitFacts,
) -> Result<unit::Model, sea_orm::DbErr> {
    let mut active: unit::ActiveModel = row.into();
    active.name = Set(facts.name.clone());
    active.kind = Set(facts.kind.code().to_owned());
    active.county_code = Set(facts.county_code.clone());
    active.ownership = Set(facts.ownership.code().to_owned());
    if facts.address.is_some() {
        active.address = Set(facts.address.clone());
    }
    if facts.phone.is_some() {
        active.phone = Set(facts.phone.clone());
    }
    if facts.email.is_some() {
        active.email = Set(facts.email.clone());
    }
    active.update(conn).await
}

/// Closes a unit; with a successor, its teachers and business accounts move there (a merger).
async fn close_in(
    conn: &impl ConnectionTrait,
    row: unit::Model,
    successor: Option<&str>,
    today: NaiveDate,
) -> Result<unit::Model, sea_orm::DbErr> {
    if let Some(successor) = successor {
        account::Entity::update_many()
            .col_expr(
                account::Column::UnitCode,
                Expr::value(Some(successor.to_owned())),
            )
            .filter(account::Column::UnitCode.eq(row.code.as_str()))
            .filter(
                account::Column::Kind
                    .is_in([AccountKind::Teacher.code(), AccountKind::Business.code()]),
            )
            .exec(conn)
            .await?;
    }
    let mut active: unit::ActiveModel = row.into();
    active.status = Set("closed".to_owned());
    active.successor_code = Set(successor.map(str::to_owned));
    active.closed_on = Set(Some(today));
    active.update(conn).await
}

impl Database {
    pub async fn create_unit(
        &self,
        code: &str,
        facts: &UnitFacts,
        actor: i32,
        now: DateTime<Utc>,
    ) -> Result<(), UnitChangeError> {
        let txn = self.begin_write().await?;
        if find(&txn, code).await?.is_some() {
            return Err(UnitChangeError::Duplicate);
        }
        let row = insert_unit(&txn, code, facts).await?;
        record(
            &txn,
            code,
            "create",
            "{}".into(),
            facts_json(&row),
            Some(actor),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn update_unit(
        &self,
        code: &str,
        facts: &UnitFacts,
        actor: i32,
        now: DateTime<Utc>,
    ) -> Result<(), UnitChangeError> {
        let txn = self.begin_write().await?;
        let row = find(&txn, code).await?.ok_or(UnitChangeError::NotFound)?;
        let before = facts_json(&row);
        let row = apply_facts(&txn, row, facts).await?;
        record(
            &txn,
            code,
            "update",
            before,
            facts_json(&row),
            Some(actor),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The unit's own contact data; `None` fields stay as they are.
    pub async fn update_unit_contact(
        &self,
        code: &str,
        contact: &UnitContact,
        actor: i32,
        now: DateTime<Utc>,
    ) -> Result<(), UnitChangeError> {
        let txn = self.begin_write().await?;
        let row = find(&txn, code).await?.ok_or(UnitChangeError::NotFound)?;
        let before = facts_json(&row);
        let mut active: unit::ActiveModel = row.into();
        if let Some(address) = &contact.address {
            active.address = Set(address.clone());
        }
        if let Some(phone) = &contact.phone {
            active.phone = Set(phone.clone());
        }
        if let Some(email) = &contact.email {
            active.email = Set(email.clone());
        }
        let row = active.update(&txn).await?;
        record(
            &txn,
            code,
            "contact",
            before,
            facts_json(&row),
            Some(actor),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Closes a unit, or merges it into `successor` (its accounts move there).
    pub async fn close_unit(
        &self,
        code: &str,
        successor: Option<&str>,
        reason: &str,
        actor: i32,
        now: DateTime<Utc>,
    ) -> Result<(), UnitChangeError> {
        let txn = self.begin_write().await?;
        let row = find(&txn, code).await?.ok_or(UnitChangeError::NotFound)?;
        if row.status == "closed" {
            return Err(UnitChangeError::Closed);
        }
        if let Some(successor) = successor {
            let target = find(&txn, successor).await?;
            if target.is_none_or(|t| t.status == "closed" || t.code == code) {
                return Err(UnitChangeError::BadReference);
            }
        }
        let before = facts_json(&row);
        let row = close_in(&txn, row, successor, now.date_naive()).await?;
        let change = if successor.is_some() {
            "merge"
        } else {
            "close"
        };
        let mut after = facts_value(&row);
        after["reason"] = json!(reason);
        record(
            &txn,
            code,
            change,
            before,
            after.to_string(),
            Some(actor),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Moves a unit to another reviewing authority (Art. 11 exceptions decided by the centre).
    pub async fn set_unit_reviewer(
        &self,
        code: &str,
        reviewer_code: &str,
        actor: i32,
        now: DateTime<Utc>,
    ) -> Result<(), UnitChangeError> {
        let txn = self.begin_write().await?;
        let row = find(&txn, code).await?.ok_or(UnitChangeError::NotFound)?;
        let reviewer = find(&txn, reviewer_code)
            .await?
            .ok_or(UnitChangeError::BadReference)?;
        let reviewer_kind: UnitKind = reviewer
            .kind
            .parse()
            .map_err(|_| UnitChangeError::BadReference)?;
        let may_review =
            reviewer_kind.is_regional_centre() || reviewer_kind == UnitKind::NationalCentre;
        if !may_review || reviewer.status == "closed" {
            return Err(UnitChangeError::BadReference);
        }
        let before = facts_json(&row);
        let mut active: unit::ActiveModel = row.into();
        active.reviewer_code = Set(Some(reviewer_code.to_owned()));
        let row = active.update(&txn).await?;
        record(
            &txn,
            code,
            "reviewer",
            before,
            facts_json(&row),
            Some(actor),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn unit_history(&self, code: &str) -> Result<Vec<UnitHistoryEntry>, StorageError> {
        let rows = unit_history::Entity::find()
            .filter(unit_history::Column::UnitCode.eq(code))
            .order_by_asc(unit_history::Column::Id)
            .all(&self.conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| UnitHistoryEntry {
                at: r.at,
                actor_account_id: r.actor_account_id,
                change: r.change,
                before: r.before,
                after: r.after,
            })
            .collect())
    }

    /// Imports directory rows in one transaction: all of the file or nothing. Running the same
    /// file twice reports everything unchanged the second time.
    pub async fn import_directory(
        &self,
        rows: &[DirectoryRow],
        actor: i32,
        now: DateTime<Utc>,
    ) -> Result<ImportReport, UnitChangeError> {
        let txn = self.begin_write().await?;
        let mut report = ImportReport::default();
        for entry in rows {
            let existing = find(&txn, &entry.code).await?;
            let row = match existing {
                None => {
                    let row = insert_unit(&txn, &entry.code, &entry.facts).await?;
                    record(
                        &txn,
                        &entry.code,
                        "import_add",
                        "{}".into(),
                        facts_json(&row),
                        Some(actor),
                        now,
                    )
                    .await?;
                    report.added.push(entry.code.clone());
                    row
                }
                Some(row) if differs(&row, &entry.facts) => {
                    let before = facts_json(&row);
                    let row = apply_facts(&txn, row, &entry.facts).await?;
                    record(
                        &txn,
                        &entry.code,
                        "import_change",
                        before,
                        facts_json(&row),
                        Some(actor),
                        now,
                    )
                    .await?;
                    report.changed.push(entry.code.clone());
                    row
                }
                Some(row) => {
                    if !(entry.closed && row.status == "open") {
                        report.unchanged += 1;
                    }
                    row
                }
            };
            if entry.closed && row.status == "open" {
                let before = facts_json(&row);
                let row = close_in(&txn, row, None, now.date_naive()).await?;
                record(
                    &txn,
                    &entry.code,
                    "import_close",
                    before,
                    facts_json(&row),
                    Some(actor),
                    now,
                )
                .await?;
                report.closed.push(entry.code.clone());
            }
        }
        txn.commit().await?;
        Ok(report)
    }
}
