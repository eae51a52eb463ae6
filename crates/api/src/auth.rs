//! Authentication: password hashes, access tokens, refresh tokens and the `Actor` extractor.

use std::future::{Ready, ready};
use std::time::Duration;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine;
use chrono::{DateTime, Utc};
use inservice_domain::UnitKind;
use inservice_domain::account::AccountKind;
use inservice_domain::approval::BusinessRole;
use inservice_domain::authorize::{Action, Denied, Principal, Target, authorize};
use inservice_domain::permission::AccountType;
use inservice_persistence::accounts::Account;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::AppError;

pub const ACCESS_TOKEN_TTL: Duration = Duration::from_secs(15 * 60);
pub const REFRESH_TOKEN_TTL: Duration = Duration::from_secs(30 * 24 * 60 * 60);
pub const REFRESH_COOKIE: &str = "inservice_refresh";
/// The refresh cookie is sent only to the auth endpoints that need it.
pub const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";

/// Keys and cookie policy for tokens.
#[derive(Clone)]
pub struct AuthKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    /// Cookies marked `Secure` (production, behind HTTPS).
    pub secure_cookies: bool,
}

impl std::fmt::Debug for AuthKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuthKeys(…)")
    }
}

impl AuthKeys {
    pub fn new(secret: &[u8], secure_cookies: bool) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            secure_cookies,
        }
    }
}

/// What an access token says about its bearer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// Account id.
    pub sub: i32,
    pub exp: i64,
    pub iat: i64,
    /// `teacher` or `business`.
    pub kind: String,
    pub unit: Option<String>,
    pub unit_kind: Option<String>,
    /// Business-account type: `chief`, `contact` or `operator`.
    pub account_type: Option<String>,
}

/// The authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account_id: i32,
    pub kind: AccountKind,
    pub unit_code: Option<String>,
    pub unit_kind: Option<UnitKind>,
    pub account_type: Option<AccountType>,
}

impl Actor {
    /// A short role description for the audit log, e.g. `teacher` or `chief@junior_high`.
    pub fn role(&self) -> String {
        match (self.kind, self.account_type, self.unit_kind) {
            (AccountKind::Teacher, _, _) => "teacher".to_owned(),
            (AccountKind::Business, Some(t), Some(k)) => format!("{}@{}", t.code(), k.code()),
            (AccountKind::Business, _, _) => "business".to_owned(),
        }
    }

    /// The caller as the domain's authorization sees them.
    pub fn principal(&self) -> Principal {
        match (
            self.kind,
            &self.unit_code,
            self.unit_kind,
            self.account_type,
        ) {
            (AccountKind::Business, Some(code), Some(kind), Some(account_type)) => {
                Principal::Business {
                    account_id: self.account_id,
                    role: BusinessRole {
                        unit_code: code.clone(),
                        unit_kind: kind,
                        account_type,
                    },
                }
            }
            (AccountKind::Teacher, unit_code, _, _) => Principal::Teacher {
                account_id: self.account_id,
                unit_code: unit_code.clone(),
            },
            // A business account without a unit or type holds no business role.
            _ => Principal::Teacher {
                account_id: self.account_id,
                unit_code: None,
            },
        }
    }

    /// Asks the domain's single `authorize`; a refusal becomes 403 with its stable code.
    pub fn authorize(&self, action: Action, target: &Target<'_>) -> Result<(), AppError> {
        authorize(&self.principal(), action, target).map_err(denied)
    }
}

/// The words a person reads for each refusal code.
pub fn denied(denied: Denied) -> AppError {
    if denied.needs_login {
        return AppError::Unauthenticated {
            detail: "請先登入。".into(),
        };
    }
    let detail = match denied.code {
        "no_serving_unit" => {
            "您目前沒有服務單位（無服務學校），只能查看研習紀錄；請先在個人資料申請服務單位。"
        }
        "business_account_required" => "這項功能需要業務帳號。",
        "teacher_account_required" => "這項功能限教師帳號使用。",
        "national_admin_required" => "這項功能限全國推廣中心管理者使用。",
        "not_the_approver" => "您不是這個帳號的審核者。",
        _ => "您的帳號沒有這項功能的權限。",
    };
    AppError::Forbidden {
        code: denied.code,
        detail: detail.into(),
    }
}

pub fn issue_access_token(
    keys: &AuthKeys,
    account: &Account,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let claims = Claims {
        sub: account.id,
        iat: now.timestamp(),
        exp: now.timestamp() + ACCESS_TOKEN_TTL.as_secs() as i64,
        kind: account.kind.code().to_owned(),
        unit: account.unit.as_ref().map(|u| u.code.clone()),
        unit_kind: account.unit.as_ref().map(|u| u.kind.code().to_owned()),
        account_type: account.account_type.map(|t| t.code().to_owned()),
    };
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &keys.encoding)
        .map_err(|e| AppError::Internal(format!("cannot sign a token: {e}")))
}

fn unauthenticated(detail: &str) -> AppError {
    AppError::Unauthenticated {
        detail: detail.to_owned(),
    }
}

pub(crate) fn actor_from_request(req: &HttpRequest) -> Result<Actor, AppError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::Internal("no app state".into()))?;
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| unauthenticated("請先登入（需要 Authorization: Bearer 存取權杖）。"))?;
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 5;
    let claims = jsonwebtoken::decode::<Claims>(token, &state.auth.decoding, &validation)
        .map_err(|_| unauthenticated("存取權杖無效或已過期，請重新登入或更新權杖。"))?
        .claims;
    let invalid = || unauthenticated("存取權杖內容不正確，請重新登入。");
    Ok(Actor {
        account_id: claims.sub,
        kind: AccountKind::from_code(&claims.kind).ok_or_else(invalid)?,
        unit_code: claims.unit,
        unit_kind: claims
            .unit_kind
            .map(|k| k.parse().map_err(|_| invalid()))
            .transpose()?,
        account_type: claims
            .account_type
            .map(|t| AccountType::from_code(&t).ok_or_else(invalid))
            .transpose()?,
    })
}

impl FromRequest for Actor {
    type Error = AppError;
    type Future = Ready<Result<Actor, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(actor_from_request(req))
    }
}

/// Hashes a password with argon2id on a blocking thread (it is deliberately slow).
pub async fn hash_password(password: String) -> Result<String, AppError> {
    web::block(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| AppError::Internal(format!("password hashing was cancelled: {e}")))?
    .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))
}

/// Checks a password against a stored hash, also on a blocking thread.
pub async fn verify_password(password: String, stored: String) -> Result<bool, AppError> {
    web::block(move || {
        PasswordHash::new(&stored).is_ok_and(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
    })
    .await
    .map_err(|e| AppError::Internal(format!("password check was cancelled: {e}")))
}

/// A fresh opaque token (refresh, reset) and the hash stored in its place.
pub fn new_opaque_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// Tokens are stored as their SHA-256 so a database leak does not leak live sessions.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
