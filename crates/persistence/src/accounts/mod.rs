//! Accounts and their sessions: creation, lookup for login, lockout counters, refresh tokens.

use chrono::{DateTime, NaiveDate, Utc};
use inservice_domain::account::{AccountKind, AccountStatus, Gender};
use inservice_domain::identity::IdentityNumber;
use inservice_domain::permission::AccountType;
use inservice_domain::review::{Ownership, reviewing_authority};
use inservice_domain::{CountyCode, UnitKind};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
};

use crate::entities::{account, password_reset, refresh_token, unit};
use crate::secrets::IdentityVault;
use crate::{Database, StorageError};

/// An account as the rest of the system sees it. The identity number is only ever masked here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i32,
    /// A serving unit the teacher asked to join, waiting for that unit.
    pub requested_unit_code: Option<String>,
    pub account_name: String,
    pub kind: AccountKind,
    pub status: AccountStatus,
    pub real_name: String,
    pub identity_masked: String,
    pub birth_date: Option<NaiveDate>,
    pub gender: Option<Gender>,
    pub email: String,
    pub phone: Option<String>,
    pub unit: Option<UnitRef>,
    pub account_type: Option<AccountType>,
    pub job_title: Option<String>,
    pub subjects: Vec<String>,
    pub personal_number: Option<String>,
    pub password_hash: String,
    pub failed_logins: u32,
    pub locked_until: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub status_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The unit an account belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRef {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub county_code: Option<String>,
    pub ownership: Ownership,
    /// Set when the national centre moved the unit to another reviewing authority.
    pub reviewer_override: Option<String>,
}

impl UnitRef {
    /// The code of the unit that reviews this one (Art. 11, unless overridden).
    pub fn reviewer_code(&self) -> String {
        if let Some(code) = &self.reviewer_override {
            return code.clone();
        }
        let county = self
            .county_code
            .as_deref()
            .and_then(|c| CountyCode::parse_field("county", c).ok());
        reviewing_authority(self.kind, self.ownership, county.as_ref()).unit_code(&self.code)
    }
}

/// Everything needed to create an account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub account_name: String,
    pub kind: AccountKind,
    pub status: AccountStatus,
    pub real_name: String,
    pub identity: IdentityNumber,
    pub birth_date: Option<NaiveDate>,
    pub gender: Option<Gender>,
    pub email: String,
    pub phone: Option<String>,
    pub unit_code: Option<String>,
    /// A unit the new teacher asks to join: it becomes theirs when the unit accepts.
    pub requested_unit_code: Option<String>,
    pub account_type: Option<AccountType>,
    pub job_title: Option<String>,
    pub subjects: Vec<String>,
    pub personal_number: Option<String>,
    pub password_hash: String,
    /// Version of the account agreement and of the personal-data consent accepted at sign-up.
    pub consent_version: Option<String>,
}

/// Why an account could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateAccountError {
    #[error("an account of this kind already exists for this identity number")]
    DuplicateIdentity,
    #[error("the account name is taken")]
    DuplicateName,
    #[error("the personal number collided; try again")]
    DuplicatePersonalNumber,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

fn corrupt(what: &str, id: i32) -> StorageError {
    StorageError::Corrupt(format!("account {id} has an invalid {what}"))
}

pub(crate) async fn unit_ref(
    conn: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<UnitRef>, StorageError> {
    let Some(row) = unit::Entity::find()
        .filter(unit::Column::Code.eq(code))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let kind = row
        .kind
        .parse()
        .map_err(|_| StorageError::Corrupt(format!("unit {code} has an unknown kind")))?;
    let ownership = Ownership::from_code(&row.ownership)
        .ok_or_else(|| StorageError::Corrupt(format!("unit {code} has an unknown ownership")))?;
    Ok(Some(UnitRef {
        code: row.code,
        name: row.name,
        kind,
        county_code: row.county_code,
        ownership,
        reviewer_override: row.reviewer_code,
    }))
}

pub(crate) async fn account_record(
    conn: &impl ConnectionTrait,
    row: account::Model,
) -> Result<Account, StorageError> {
    let unit = match &row.unit_code {
        Some(code) => unit_ref(conn, code).await?,
        None => None,
    };
    Ok(Account {
        kind: AccountKind::from_code(&row.kind).ok_or_else(|| corrupt("kind", row.id))?,
        status: AccountStatus::from_code(&row.status).ok_or_else(|| corrupt("status", row.id))?,
        gender: row
            .gender
            .as_deref()
            .map(|g| Gender::from_code(g).ok_or_else(|| corrupt("gender", row.id)))
            .transpose()?,
        account_type: row
            .account_type
            .as_deref()
            .map(|t| AccountType::from_code(t).ok_or_else(|| corrupt("account type", row.id)))
            .transpose()?,
        subjects: serde_json::from_str(&row.subjects)
            .map_err(|_| corrupt("subject list", row.id))?,
        failed_logins: row.failed_logins.max(0) as u32,
        id: row.id,
        requested_unit_code: row.requested_unit_code,
        account_name: row.account_name,
        real_name: row.real_name,
        identity_masked: row.identity_masked,
        birth_date: row.birth_date,
        email: row.email,
        phone: row.phone,
        unit,
        job_title: row.job_title,
        personal_number: row.personal_number,
        password_hash: row.password_hash,
        locked_until: row.locked_until,
        last_login_at: row.last_login_at,
        status_reason: row.status_reason,
        created_at: row.created_at,
    })
}

/// A stored refresh token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshToken {
    pub id: i32,
    pub account_id: i32,
    pub family: String,
    pub expires_at: DateTime<Utc>,
    pub revoked: bool,
}

impl Database {
    /// The unit with this code, if any.
    pub async fn unit_ref(&self, code: &str) -> Result<Option<UnitRef>, StorageError> {
        unit_ref(&self.conn, code).await
    }

    /// Creates an account; identity and name uniqueness are checked in the same transaction and
    /// backed by unique indexes, so two racing sign-ups cannot both succeed.
    pub async fn create_account(
        &self,
        new: NewAccount,
        vault: &IdentityVault,
        now: DateTime<Utc>,
        audit: Option<crate::audit::AuditEntry>,
    ) -> Result<Account, CreateAccountError> {
        let txn = self.begin_write().await.map_err(StorageError::from)?;
        let identity_hash = vault.lookup_hash(&new.identity);
        let same_identity = account::Entity::find()
            .filter(account::Column::Kind.eq(new.kind.code()))
            .filter(account::Column::IdentityHash.eq(&identity_hash))
            .one(&txn)
            .await
            .map_err(StorageError::from)?;
        if same_identity.is_some() {
            return Err(CreateAccountError::DuplicateIdentity);
        }
        let same_name = account::Entity::find()
            .filter(account::Column::AccountName.eq(&new.account_name))
            .one(&txn)
            .await
            .map_err(StorageError::from)?;
        if same_name.is_some() {
            return Err(CreateAccountError::DuplicateName);
        }
        let consent_at = new.consent_version.as_ref().map(|_| now);
        let row = account::ActiveModel {
            account_name: Set(new.account_name),
            kind: Set(new.kind.code().to_owned()),
            status: Set(new.status.code().to_owned()),
            real_name: Set(new.real_name),
            identity_hash: Set(identity_hash),
            identity_cipher: Set(vault.encrypt(&new.identity)?),
            identity_masked: Set(new.identity.masked()),
            birth_date: Set(new.birth_date),
            gender: Set(new.gender.map(|g| g.code().to_owned())),
            email: Set(new.email.to_lowercase()),
            phone: Set(new.phone),
            unit_code: Set(new.unit_code),
            requested_unit_code: Set(new.requested_unit_code),
            account_type: Set(new.account_type.map(|t| t.code().to_owned())),
            job_title: Set(new.job_title),
            subjects: Set(serde_json::Value::from(new.subjects.as_slice()).to_string()),
            personal_number: Set(new.personal_number),
            password_hash: Set(new.password_hash),
            failed_logins: Set(0),
            agreement_version: Set(new.consent_version.clone()),
            agreement_accepted_at: Set(consent_at),
            privacy_version: Set(new.consent_version),
            privacy_accepted_at: Set(consent_at),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        let row = match row.insert(&txn).await {
            Ok(row) => row,
            Err(error) => {
                return Err(match error.sql_err() {
                    Some(sea_orm::SqlErr::UniqueConstraintViolation(what))
                        if what.contains("personal_number") =>
                    {
                        CreateAccountError::DuplicatePersonalNumber
                    }
                    Some(sea_orm::SqlErr::UniqueConstraintViolation(what))
                        if what.contains("account_name") =>
                    {
                        CreateAccountError::DuplicateName
                    }
                    Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                        CreateAccountError::DuplicateIdentity
                    }
                    _ => StorageError::from(error).into(),
                });
            }
        };
        if row.kind == inservice_domain::account::AccountKind::Teacher.code() {
            // Records partners sent before the teacher was known become the teacher's now.
            crate::exchange::counting::match_waiting_rows(&txn, row.id, &row.identity_hash, now)
                .await?;
        }
        let account = account_record(&txn, row).await?;
        if let Some(mut audit) = audit {
            audit.target_id = Some(account.id.to_string());
            crate::audit::write_audit(&txn, audit, now).await?;
        }
        txn.commit().await.map_err(StorageError::from)?;
        Ok(account)
    }

    pub async fn account(&self, id: i32) -> Result<Option<Account>, StorageError> {
        match account::Entity::find_by_id(id).one(&self.conn).await? {
            Some(row) => Ok(Some(account_record(&self.conn, row).await?)),
            None => Ok(None),
        }
    }

    /// Accounts a login name may mean: the account name, or an e-mail address (which several
    /// accounts of one person may share).
    pub async fn login_candidates(&self, login: &str) -> Result<Vec<Account>, StorageError> {
        let login = login.trim().to_lowercase();
        let rows = account::Entity::find()
            .filter(
                Condition::any()
                    .add(account::Column::AccountName.eq(&login))
                    .add(account::Column::Email.eq(&login)),
            )
            .all(&self.conn)
            .await?;
        let mut accounts = Vec::with_capacity(rows.len());
        for row in rows {
            accounts.push(account_record(&self.conn, row).await?);
        }
        Ok(accounts)
    }

    /// Records a failed login: the new counter and, when reached, the lock.
    pub async fn record_failed_login(
        &self,
        id: i32,
        failed_logins: u32,
        locked_until: Option<DateTime<Utc>>,
    ) -> Result<(), StorageError> {
        account::Entity::update_many()
            .col_expr(
                account::Column::FailedLogins,
                Expr::value(failed_logins as i32),
            )
            .col_expr(account::Column::LockedUntil, Expr::value(locked_until))
            .filter(account::Column::Id.eq(id))
            .exec(&self.conn)
            .await?;
        Ok(())
    }

    /// The account behind an open session: the family has a live refresh token. `None` when
    /// the session ended (logout, password change, reuse) or the account is gone.
    pub async fn open_session_account(
        &self,
        account_id: i32,
        family: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Account>, StorageError> {
        let open = refresh_token::Entity::find()
            .filter(refresh_token::Column::Family.eq(family))
            .filter(refresh_token::Column::AccountId.eq(account_id))
            .filter(refresh_token::Column::RevokedAt.is_null())
            .filter(refresh_token::Column::ExpiresAt.gt(now))
            .one(&self.conn)
            .await?
            .is_some();
        if !open {
            return Ok(None);
        }
        self.account(account_id).await
    }

    /// A successful login resets the counter and starts a refresh-token family (the session),
    /// whose id it returns.
    pub async fn record_login(
        &self,
        id: i32,
        now: DateTime<Utc>,
        token_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<String, StorageError> {
        let txn = self.begin_write().await?;
        account::Entity::update_many()
            .col_expr(account::Column::FailedLogins, Expr::value(0))
            .col_expr(
                account::Column::LockedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(account::Column::LastLoginAt, Expr::value(Some(now)))
            .col_expr(
                account::Column::IdleWarnedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(account::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        let family = uuid::Uuid::new_v4().to_string();
        insert_refresh(&txn, id, token_hash, &family, expires_at, now).await?;
        txn.commit().await?;
        Ok(family)
    }

    pub async fn refresh_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<RefreshToken>, StorageError> {
        let row = refresh_token::Entity::find()
            .filter(refresh_token::Column::TokenHash.eq(token_hash))
            .one(&self.conn)
            .await?;
        Ok(row.map(|r| RefreshToken {
            id: r.id,
            account_id: r.account_id,
            family: r.family,
            expires_at: r.expires_at,
            revoked: r.revoked_at.is_some(),
        }))
    }

    /// Replaces a refresh token by a new one of the same family. Fails (returns false) when the
    /// old one was revoked meanwhile: the conditional update makes concurrent reuse lose.
    pub async fn rotate_refresh_token(
        &self,
        old: &RefreshToken,
        new_hash: &str,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let txn = self.begin_write().await?;
        let revoked = refresh_token::Entity::update_many()
            .col_expr(refresh_token::Column::RevokedAt, Expr::value(Some(now)))
            .filter(refresh_token::Column::Id.eq(old.id))
            .filter(refresh_token::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
        if revoked.rows_affected != 1 {
            return Ok(false);
        }
        insert_refresh(&txn, old.account_id, new_hash, &old.family, expires_at, now).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Revokes every token of a family (logout, or a reused token: someone copied it).
    pub async fn revoke_refresh_family(
        &self,
        family: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        refresh_token::Entity::update_many()
            .col_expr(refresh_token::Column::RevokedAt, Expr::value(Some(now)))
            .filter(refresh_token::Column::Family.eq(family))
            .filter(refresh_token::Column::RevokedAt.is_null())
            .exec(&self.conn)
            .await?;
        Ok(())
    }

    /// Revokes every session of an account ("log out everywhere", password change).
    pub async fn revoke_all_refresh_tokens(
        &self,
        account_id: i32,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        refresh_token::Entity::update_many()
            .col_expr(refresh_token::Column::RevokedAt, Expr::value(Some(now)))
            .filter(refresh_token::Column::AccountId.eq(account_id))
            .filter(refresh_token::Column::RevokedAt.is_null())
            .exec(&self.conn)
            .await?;
        Ok(())
    }
}

async fn insert_refresh(
    conn: &impl ConnectionTrait,
    account_id: i32,
    token_hash: &str,
    family: &str,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    refresh_token::ActiveModel {
        account_id: Set(account_id),
        token_hash: Set(token_hash.to_owned()),
        family: Set(family.to_owned()),
        expires_at: Set(expires_at),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

impl Database {
    /// Sets a new password hash, clears the lockout and ends every session, with an audit row.
    pub async fn set_password(
        &self,
        account_id: i32,
        password_hash: &str,
        audit: crate::audit::AuditEntry,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let txn = self.begin_write().await?;
        set_password_in(&txn, account_id, password_hash, now).await?;
        crate::audit::write_audit(&txn, audit, now).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Stores a password-reset token and queues the e-mail that carries it, together.
    pub async fn create_password_reset(
        &self,
        account_id: i32,
        token_hash: &str,
        expires_at: DateTime<Utc>,
        mail: (&str, &str, &str),
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let txn = self.begin_write().await?;
        password_reset::ActiveModel {
            account_id: Set(account_id),
            token_hash: Set(token_hash.to_owned()),
            expires_at: Set(expires_at),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        crate::audit::enqueue_mail(&txn, mail.0, mail.1, mail.2, now).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Whether a reset token is live (known, unused, unexpired): checked before the new password
    /// is hashed, so a guessed token costs the server nothing.
    pub async fn password_reset_is_live(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        Ok(password_reset::Entity::find()
            .filter(password_reset::Column::TokenHash.eq(token_hash))
            .filter(password_reset::Column::UsedAt.is_null())
            .filter(password_reset::Column::ExpiresAt.gt(now))
            .one(&self.conn)
            .await?
            .is_some())
    }

    /// Uses a reset token once: marks it used and sets the password in one transaction. Returns
    /// the account id, or `None` for an unknown, used or expired token.
    pub async fn consume_password_reset(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<i32>, StorageError> {
        let txn = self.begin_write().await?;
        let Some(reset) = password_reset::Entity::find()
            .filter(password_reset::Column::TokenHash.eq(token_hash))
            .one(&txn)
            .await?
        else {
            return Ok(None);
        };
        let used = password_reset::Entity::update_many()
            .col_expr(password_reset::Column::UsedAt, Expr::value(Some(now)))
            .filter(password_reset::Column::Id.eq(reset.id))
            .filter(password_reset::Column::UsedAt.is_null())
            .filter(password_reset::Column::ExpiresAt.gt(now))
            .exec(&txn)
            .await?;
        if used.rows_affected != 1 {
            return Ok(None);
        }
        set_password_in(&txn, reset.account_id, password_hash, now).await?;
        crate::audit::write_audit(
            &txn,
            crate::audit::AuditEntry {
                actor_account_id: Some(reset.account_id),
                actor_role: "self".into(),
                action: "password.reset".into(),
                target_kind: "account".into(),
                target_id: Some(reset.account_id.to_string()),
                summary: "password reset through an e-mailed link".into(),
                ip: None,
            },
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(Some(reset.account_id))
    }
}

async fn set_password_in(
    conn: &impl ConnectionTrait,
    account_id: i32,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    account::Entity::update_many()
        .col_expr(
            account::Column::PasswordHash,
            Expr::value(password_hash.to_owned()),
        )
        .col_expr(account::Column::FailedLogins, Expr::value(0))
        .col_expr(
            account::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(account::Column::UpdatedAt, Expr::value(now))
        .filter(account::Column::Id.eq(account_id))
        .exec(conn)
        .await?;
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Some(now)))
        .filter(refresh_token::Column::AccountId.eq(account_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

mod business;
mod email_change;
mod idle;
mod profile;
mod unit_teachers;

pub use business::BusinessDecision;
pub use idle::IdleSweepReport;
pub use profile::{PersonalDataExport, ProfileChanges, Session};
