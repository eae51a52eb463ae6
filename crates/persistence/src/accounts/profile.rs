//! A person's own data: profile changes and the personal-data export.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{Account, account_record};
use crate::entities::{account, refresh_token};
use crate::secrets::IdentityVault;
use crate::{Database, StorageError};

/// Changes a person makes to their own profile; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileChanges {
    pub email: Option<String>,
    /// `Some(None)` clears the phone number.
    pub phone: Option<Option<String>>,
    pub job_title: Option<String>,
    pub subjects: Option<Vec<String>>,
    /// `Some(Some(code))` asks to join a unit; `Some(None)` withdraws the request.
    pub requested_unit: Option<Option<String>>,
}

impl Database {
    /// Updates the profile and records what changed (field names only) in the audit log.
    pub async fn update_profile(
        &self,
        account_id: i32,
        changes: ProfileChanges,
        audit: crate::audit::AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<Option<Account>, StorageError> {
        let txn = self.begin_write().await?;
        let Some(row) = account::Entity::find_by_id(account_id).one(&txn).await? else {
            return Ok(None);
        };
        let mut active: account::ActiveModel = row.into();
        if let Some(email) = changes.email {
            active.email = Set(email.to_lowercase());
        }
        if let Some(phone) = changes.phone {
            active.phone = Set(phone);
        }
        if let Some(job_title) = changes.job_title {
            active.job_title = Set(Some(job_title));
        }
        if let Some(subjects) = changes.subjects {
            active.subjects = Set(serde_json::Value::from(subjects.as_slice()).to_string());
        }
        if let Some(requested) = changes.requested_unit {
            active.requested_unit_code = Set(requested);
        }
        active.updated_at = Set(now);
        let row = active.update(&txn).await?;
        crate::audit::write_audit(&txn, audit, now).await?;
        let account = account_record(&txn, row).await?;
        txn.commit().await?;
        Ok(Some(account))
    }
}

/// One login session (a refresh-token family member).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Everything stored about a person, for their right to query and copy (PDPA Art. 3).
#[derive(Debug, Clone)]
pub struct PersonalDataExport {
    pub account: Account,
    /// The full identity number: only ever handed to its owner.
    pub identity_number: String,
    pub agreement_version: Option<String>,
    pub agreement_accepted_at: Option<DateTime<Utc>>,
    pub privacy_version: Option<String>,
    pub privacy_accepted_at: Option<DateTime<Utc>>,
    pub sessions: Vec<Session>,
    pub audit: Vec<crate::audit::StoredAuditEntry>,
}

impl Database {
    pub async fn personal_data(
        &self,
        account_id: i32,
        vault: &IdentityVault,
    ) -> Result<Option<PersonalDataExport>, StorageError> {
        let Some(row) = account::Entity::find_by_id(account_id)
            .one(&self.conn)
            .await?
        else {
            return Ok(None);
        };
        let identity_number = vault.decrypt(&row.identity_cipher)?.expose().to_owned();
        let (agreement_version, agreement_accepted_at) =
            (row.agreement_version.clone(), row.agreement_accepted_at);
        let (privacy_version, privacy_accepted_at) =
            (row.privacy_version.clone(), row.privacy_accepted_at);
        let account = account_record(&self.conn, row).await?;
        let sessions = refresh_token::Entity::find()
            .filter(refresh_token::Column::AccountId.eq(account_id))
            .order_by_asc(refresh_token::Column::Id)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|t| Session {
                created_at: t.created_at,
                expires_at: t.expires_at,
                revoked_at: t.revoked_at,
            })
            .collect();
        let filter = crate::audit::AuditFilter {
            actor_account_id: Some(account_id),
            ..Default::default()
        };
        let mut audit = self
            .search_audit(
                &filter,
                inservice_domain::PageRequest {
                    page: 1,
                    per_page: 1000,
                },
            )
            .await?
            .items;
        let about = crate::audit::AuditFilter {
            target_id: Some(account_id.to_string()),
            ..Default::default()
        };
        for entry in self
            .search_audit(
                &about,
                inservice_domain::PageRequest {
                    page: 1,
                    per_page: 1000,
                },
            )
            .await?
            .items
        {
            if !audit.iter().any(|e| e.id == entry.id) {
                audit.push(entry);
            }
        }
        audit.sort_by_key(|e| e.id);
        Ok(Some(PersonalDataExport {
            account,
            identity_number,
            agreement_version,
            agreement_accepted_at,
            privacy_version,
            privacy_accepted_at,
            sessions,
            audit,
        }))
    }
}
