//! The partner registry: partner systems, their API keys (stored as SHA-256: a key is 32
//! random bytes, so a fast hash is as safe as a slow one and costs nothing per call) and the
//! calls refused at the door.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::entities::{exchange_denial, partner, partner_key};
use crate::{Database, StorageError};

/// What the national centre enters for a partner (checked by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerFields {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub county_code: Option<String>,
    pub unit_code: Option<String>,
    pub items: Vec<String>,
    pub needs_confirmation: bool,
    /// Canonical entries.
    pub allow_list: Vec<String>,
    pub rate_per_minute: u32,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub enabled: bool,
}

/// A registered partner with its keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    pub id: i32,
    pub fields: PartnerFields,
    pub contact_confirmed_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub keys: Vec<PartnerKey>,
}

impl Partner {
    pub fn has_item(&self, code: &str) -> bool {
        self.fields.items.iter().any(|i| i == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerKey {
    pub id: i32,
    pub partner_id: i32,
    pub label: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub last_used_ip: Option<String>,
}

/// A refused call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    pub at: DateTime<Utc>,
    pub partner_code: Option<String>,
    pub ip: String,
    pub path: String,
    pub reason: String,
}

/// Why a partner could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum PartnerError {
    #[error("a partner with this code exists")]
    DuplicateCode,
    #[error("no such partner")]
    NotFound,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sea_orm::DbErr> for PartnerError {
    fn from(error: sea_orm::DbErr) -> Self {
        PartnerError::Storage(error.into())
    }
}

fn key_record(row: partner_key::Model) -> PartnerKey {
    PartnerKey {
        id: row.id,
        partner_id: row.partner_id,
        label: row.label,
        prefix: row.prefix,
        created_at: row.created_at,
        revoked_at: row.revoked_at,
        last_used_at: row.last_used_at,
        last_used_ip: row.last_used_ip,
    }
}

fn partner_record(row: partner::Model, keys: Vec<PartnerKey>) -> Partner {
    Partner {
        id: row.id,
        fields: PartnerFields {
            code: row.code,
            name: row.name,
            kind: row.kind,
            county_code: row.county_code,
            unit_code: row.unit_code,
            items: serde_json::from_str(&row.items).unwrap_or_default(),
            needs_confirmation: row.needs_confirmation,
            allow_list: row
                .allow_list
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            rate_per_minute: u32::try_from(row.rate_per_minute).unwrap_or(0),
            contact_name: row.contact_name,
            contact_email: row.contact_email,
            contact_phone: row.contact_phone,
            enabled: row.enabled,
        },
        contact_confirmed_on: row.contact_confirmed_on,
        created_at: row.created_at,
        keys,
    }
}

fn apply(active: &mut partner::ActiveModel, fields: &PartnerFields) {
    active.name = Set(fields.name.clone());
    active.kind = Set(fields.kind.clone());
    active.county_code = Set(fields.county_code.clone());
    active.unit_code = Set(fields.unit_code.clone());
    active.items = Set(serde_json::Value::from(fields.items.as_slice()).to_string());
    active.needs_confirmation = Set(fields.needs_confirmation);
    active.allow_list = Set(fields.allow_list.join("\n"));
    active.rate_per_minute = Set(i32::try_from(fields.rate_per_minute).unwrap_or(i32::MAX));
    active.contact_name = Set(fields.contact_name.clone());
    active.contact_email = Set(fields.contact_email.clone());
    active.contact_phone = Set(fields.contact_phone.clone());
    active.enabled = Set(fields.enabled);
}

impl Database {
    async fn partner_keys(&self, partner_id: i32) -> Result<Vec<PartnerKey>, StorageError> {
        Ok(partner_key::Entity::find()
            .filter(partner_key::Column::PartnerId.eq(partner_id))
            .order_by_desc(partner_key::Column::Id)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(key_record)
            .collect())
    }

    /// Every partner with its keys, by code.
    pub async fn partners(&self) -> Result<Vec<Partner>, StorageError> {
        let rows = partner::Entity::find()
            .order_by_asc(partner::Column::Code)
            .all(&self.conn)
            .await?;
        let mut keys: std::collections::HashMap<i32, Vec<PartnerKey>> = Default::default();
        for key in partner_key::Entity::find()
            .order_by_desc(partner_key::Column::Id)
            .all(&self.conn)
            .await?
        {
            keys.entry(key.partner_id)
                .or_default()
                .push(key_record(key));
        }
        Ok(rows
            .into_iter()
            .map(|row| {
                let own = keys.remove(&row.id).unwrap_or_default();
                partner_record(row, own)
            })
            .collect())
    }

    pub async fn partner(&self, id: i32) -> Result<Option<Partner>, StorageError> {
        match partner::Entity::find_by_id(id).one(&self.conn).await? {
            Some(row) => Ok(Some(partner_record(row, self.partner_keys(id).await?))),
            None => Ok(None),
        }
    }

    pub async fn partner_by_code(&self, code: &str) -> Result<Option<Partner>, StorageError> {
        match partner::Entity::find()
            .filter(partner::Column::Code.eq(code))
            .one(&self.conn)
            .await?
        {
            Some(row) => {
                let keys = self.partner_keys(row.id).await?;
                Ok(Some(partner_record(row, keys)))
            }
            None => Ok(None),
        }
    }

    pub async fn create_partner(
        &self,
        fields: &PartnerFields,
        now: DateTime<Utc>,
    ) -> Result<Partner, PartnerError> {
        let mut active = partner::ActiveModel {
            code: Set(fields.code.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            // Entered now by the national centre: confirmed as of today.
            contact_confirmed_on: Set(Some(now.date_naive())),
            ..Default::default()
        };
        apply(&mut active, fields);
        match active.insert(&self.conn).await {
            Ok(row) => Ok(partner_record(row, Vec::new())),
            Err(error) => match error.sql_err() {
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                    Err(PartnerError::DuplicateCode)
                }
                _ => Err(error.into()),
            },
        }
    }

    /// Changes a partner's fields (not its code).
    pub async fn update_partner(
        &self,
        id: i32,
        fields: &PartnerFields,
        now: DateTime<Utc>,
    ) -> Result<Partner, PartnerError> {
        let row = partner::Entity::find_by_id(id)
            .one(&self.conn)
            .await?
            .ok_or(PartnerError::NotFound)?;
        let mut active: partner::ActiveModel = row.into();
        apply(&mut active, fields);
        active.updated_at = Set(now);
        let row = active.update(&self.conn).await?;
        let keys = self.partner_keys(id).await?;
        Ok(partner_record(row, keys))
    }

    /// The partner's contacts were re-confirmed today.
    pub async fn confirm_partner_contacts(
        &self,
        id: i32,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Partner, PartnerError> {
        let row = partner::Entity::find_by_id(id)
            .one(&self.conn)
            .await?
            .ok_or(PartnerError::NotFound)?;
        let mut active: partner::ActiveModel = row.into();
        active.contact_confirmed_on = Set(Some(today));
        active.contact_reminded_at = Set(None);
        active.updated_at = Set(now);
        let row = active.update(&self.conn).await?;
        Ok(partner_record(row, self.partner_keys(id).await?))
    }

    /// Queues the yearly re-confirmation reminder to every enabled partner whose contacts were
    /// confirmed before `due_before` (or never) and who was not reminded since
    /// `reminded_before`; `mail` words it. Returns the partners' codes.
    pub async fn remind_partner_contacts(
        &self,
        due_before: NaiveDate,
        reminded_before: DateTime<Utc>,
        now: DateTime<Utc>,
        mail: impl Fn(&Partner) -> (String, String),
    ) -> Result<Vec<String>, StorageError> {
        let txn = self.begin_write().await?;
        let rows = partner::Entity::find()
            .filter(partner::Column::Enabled.eq(true))
            .all(&txn)
            .await?;
        let mut reminded = Vec::new();
        for row in rows {
            let due = row.contact_confirmed_on.is_none_or(|d| d < due_before);
            let recently = row.contact_reminded_at.is_some_and(|t| t > reminded_before);
            if !due || recently {
                continue;
            }
            let partner = partner_record(row.clone(), Vec::new());
            let (subject, body) = mail(&partner);
            crate::audit::enqueue_mail(&txn, &row.contact_email, &subject, &body, now).await?;
            let mut active: partner::ActiveModel = row.into();
            active.contact_reminded_at = Set(Some(now));
            active.update(&txn).await?;
            reminded.push(partner.fields.code);
        }
        txn.commit().await?;
        Ok(reminded)
    }

    /// Stores a new key's hash.
    pub async fn add_partner_key(
        &self,
        partner_id: i32,
        label: &str,
        prefix: &str,
        key_hash: &str,
        by: Option<i32>,
        now: DateTime<Utc>,
    ) -> Result<PartnerKey, PartnerError> {
        if partner::Entity::find_by_id(partner_id)
            .one(&self.conn)
            .await?
            .is_none()
        {
            return Err(PartnerError::NotFound);
        }
        let row = partner_key::ActiveModel {
            partner_id: Set(partner_id),
            label: Set(label.to_owned()),
            prefix: Set(prefix.to_owned()),
            key_hash: Set(key_hash.to_owned()),
            created_by: Set(by),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.conn)
        .await?;
        Ok(key_record(row))
    }

    /// Revokes a key of the partner; revoking twice keeps the first time.
    pub async fn revoke_partner_key(
        &self,
        partner_id: i32,
        key_id: i32,
        now: DateTime<Utc>,
    ) -> Result<PartnerKey, PartnerError> {
        let row = partner_key::Entity::find_by_id(key_id)
            .filter(partner_key::Column::PartnerId.eq(partner_id))
            .one(&self.conn)
            .await?
            .ok_or(PartnerError::NotFound)?;
        if row.revoked_at.is_some() {
            return Ok(key_record(row));
        }
        let mut active: partner_key::ActiveModel = row.into();
        active.revoked_at = Set(Some(now));
        Ok(key_record(active.update(&self.conn).await?))
    }

    /// The key with this hash and its partner, revoked or not (the caller tells them apart).
    pub async fn key_by_hash(
        &self,
        key_hash: &str,
    ) -> Result<Option<(PartnerKey, Partner)>, StorageError> {
        let Some(key) = partner_key::Entity::find()
            .filter(partner_key::Column::KeyHash.eq(key_hash))
            .one(&self.conn)
            .await?
        else {
            return Ok(None);
        };
        let Some(row) = partner::Entity::find_by_id(key.partner_id)
            .one(&self.conn)
            .await?
        else {
            return Ok(None);
        };
        Ok(Some((key_record(key), partner_record(row, Vec::new()))))
    }

    /// Notes a key's use; at most once a minute per key, so a busy partner does not write a
    /// row per call.
    pub async fn touch_partner_key(
        &self,
        key: &PartnerKey,
        ip: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let recent = key
            .last_used_at
            .is_some_and(|t| now - t < chrono::Duration::minutes(1))
            && key.last_used_ip.as_deref() == Some(ip);
        if recent {
            return Ok(());
        }
        partner_key::Entity::update_many()
            .set(partner_key::ActiveModel {
                last_used_at: Set(Some(now)),
                last_used_ip: Set(Some(ip.to_owned())),
                ..Default::default()
            })
            .filter(partner_key::Column::Id.eq(key.id))
            .exec(&self.conn)
            .await?;
        Ok(())
    }

    pub async fn log_denial(
        &self,
        partner_id: Option<i32>,
        ip: &str,
        path: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        exchange_denial::ActiveModel {
            partner_id: Set(partner_id),
            ip: Set(ip.chars().take(45).collect()),
            path: Set(path.chars().take(200).collect()),
            reason: Set(reason.to_owned()),
            at: Set(now),
            ..Default::default()
        }
        .insert(&self.conn)
        .await?;
        Ok(())
    }

    /// The latest refused calls, newest first; of one partner or all.
    pub async fn denials(
        &self,
        partner_id: Option<i32>,
        limit: u64,
    ) -> Result<Vec<Denial>, StorageError> {
        let mut query = exchange_denial::Entity::find().order_by_desc(exchange_denial::Column::Id);
        if let Some(id) = partner_id {
            query = query.filter(exchange_denial::Column::PartnerId.eq(id));
        }
        let rows = query.limit(limit).all(&self.conn).await?;
        let codes: std::collections::HashMap<i32, String> = partner::Entity::find()
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|p| (p.id, p.code))
            .collect();
        Ok(rows
            .into_iter()
            .map(|d| Denial {
                at: d.at,
                partner_code: d.partner_id.and_then(|id| codes.get(&id).cloned()),
                ip: d.ip,
                path: d.path,
                reason: d.reason,
            })
            .collect())
    }

    pub async fn partner_count(&self) -> Result<u64, StorageError> {
        Ok(partner::Entity::find().count(&self.conn).await?)
    }
}
