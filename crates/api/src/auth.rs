//! Authentication: password hashes, access tokens, refresh tokens and the `Actor` extractor.

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
use crate::error::{AppError, ProblemCode};

pub const ACCESS_TOKEN_TTL: Duration = Duration::from_secs(15 * 60);
pub const REFRESH_TOKEN_TTL: Duration = Duration::from_secs(30 * 24 * 60 * 60);
pub const REFRESH_COOKIE: &str = "inservice_refresh";
/// The refresh cookie is sent only to the auth endpoints that need it.
pub const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";

/// One signing secret and the key id it goes by (the first bytes of its SHA-256, so a rotation
/// needs no bookkeeping: tokens name the key that signed them).
#[derive(Clone)]
struct SigningKey {
    id: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl SigningKey {
    fn new(secret: &[u8]) -> Self {
        let id = Sha256::digest(secret)[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Self {
            id,
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }
}

/// The audience of every access token this server issues.
pub const TOKEN_AUDIENCE: &str = "inservice-api";

/// Keys and cookie policy for tokens. Tokens are signed with the current key; keys of earlier
/// secrets still verify until their tokens have expired (rotation: move the old secret to the
/// previous list, wait one access-token lifetime, drop it).
#[derive(Clone)]
pub struct AuthKeys {
    current: SigningKey,
    previous: Vec<SigningKey>,
    /// `iss` of every token: the server's public URL.
    issuer: String,
    /// Cookies marked `Secure` (production, behind HTTPS).
    pub secure_cookies: bool,
}

impl std::fmt::Debug for AuthKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuthKeys(…)")
    }
}

impl AuthKeys {
    pub fn new(secret: &[u8], previous: &[&[u8]], issuer: &str, secure_cookies: bool) -> Self {
        Self {
            current: SigningKey::new(secret),
            previous: previous.iter().map(|s| SigningKey::new(s)).collect(),
            issuer: issuer.trim_end_matches('/').to_owned(),
            secure_cookies,
        }
    }

    fn decoding_key(&self, id: Option<&str>) -> Option<&DecodingKey> {
        match id {
            None => Some(&self.current.decoding),
            Some(id) => std::iter::once(&self.current)
                .chain(&self.previous)
                .find(|k| k.id == id)
                .map(|k| &k.decoding),
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
    pub iss: String,
    pub aud: String,
    /// The session (refresh-token family) the token belongs to: logging out ends it at once.
    pub sid: String,
    /// A digest of what the token grants (kind, unit, type): a retype or transfer changes the
    /// account's current digest, and the token stops working at once.
    pub ver: String,
    /// `teacher` or `business`.
    pub kind: String,
    pub unit: Option<String>,
    pub unit_kind: Option<String>,
    /// Business-account type: `chief`, `contact` or `operator`.
    pub account_type: Option<String>,
}

/// The digest of what a token for `account` grants.
pub fn grant_version(
    kind: &str,
    unit: Option<&str>,
    unit_kind: Option<&str>,
    account_type: Option<&str>,
) -> String {
    let text = format!(
        "{kind}|{}|{}|{}",
        unit.unwrap_or(""),
        unit_kind.unwrap_or(""),
        account_type.unwrap_or("")
    );
    Sha256::digest(text.as_bytes())[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn account_grant_version(account: &Account) -> String {
    grant_version(
        account.kind.code(),
        account.unit.as_ref().map(|u| u.code.as_str()),
        account.unit.as_ref().map(|u| u.kind.code()),
        account.account_type.map(|t| t.code()),
    )
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
        code: crate::error::domain_code(denied.code, ProblemCode::NotPermitted),
        detail: detail.into(),
    }
}

pub fn issue_access_token(
    keys: &AuthKeys,
    account: &Account,
    session_id: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let claims = Claims {
        sub: account.id,
        iat: now.timestamp(),
        exp: now.timestamp() + ACCESS_TOKEN_TTL.as_secs() as i64,
        iss: keys.issuer.clone(),
        aud: TOKEN_AUDIENCE.to_owned(),
        sid: session_id.to_owned(),
        ver: account_grant_version(account),
        kind: account.kind.code().to_owned(),
        unit: account.unit.as_ref().map(|u| u.code.clone()),
        unit_kind: account.unit.as_ref().map(|u| u.kind.code().to_owned()),
        account_type: account.account_type.map(|t| t.code().to_owned()),
    };
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(keys.current.id.clone());
    jsonwebtoken::encode(&header, &claims, &keys.current.encoding)
        .map_err(|e| AppError::Internal(format!("cannot sign a token: {e}")))
}

fn unauthenticated(detail: &str) -> AppError {
    AppError::Unauthenticated {
        detail: detail.to_owned(),
    }
}

fn bearer_token(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
}

/// Checks the token's signature, issuer, audience and lifetime; no database involved.
pub(crate) fn verified_claims(keys: &AuthKeys, token: &str) -> Result<Claims, AppError> {
    let expired = || unauthenticated("存取權杖無效或已過期，請重新登入或更新權杖。");
    let header = jsonwebtoken::decode_header(token).map_err(|_| expired())?;
    let key = keys
        .decoding_key(header.kid.as_deref())
        .ok_or_else(expired)?;
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 5;
    validation.set_issuer(&[&keys.issuer]);
    validation.set_audience(&[TOKEN_AUDIENCE]);
    validation.set_required_spec_claims(&["exp", "iss", "aud"]);
    Ok(jsonwebtoken::decode::<Claims>(token, key, &validation)
        .map_err(|_| expired())?
        .claims)
}

fn actor_from_claims(claims: Claims) -> Result<Actor, AppError> {
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

/// The caller as the token says, checked without the database (signature, issuer, audience,
/// lifetime), with the session id and grant digest still to confirm.
pub(crate) struct ClaimedActor {
    pub actor: Actor,
    account_id: i32,
    session_id: String,
    grant: String,
}

pub(crate) fn claimed_actor(req: &HttpRequest) -> Result<ClaimedActor, AppError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::Internal("no app state".into()))?;
    let token = bearer_token(req)
        .ok_or_else(|| unauthenticated("請先登入（需要 Authorization: Bearer 存取權杖）。"))?;
    let claims = verified_claims(&state.auth, token)?;
    let (account_id, session_id, grant) = (claims.sub, claims.sid.clone(), claims.ver.clone());
    Ok(ClaimedActor {
        actor: actor_from_claims(claims)?,
        account_id,
        session_id,
        grant,
    })
}

impl ClaimedActor {
    /// Confirms that the session is still open and its grants still match the account (checked
    /// against the database, remembered for a few seconds).
    pub(crate) async fn confirm(self, state: &AppState) -> Result<Actor, AppError> {
        let current = state
            .sessions
            .current_grant(&state.db, self.account_id, &self.session_id)
            .await?;
        if current.as_deref() != Some(self.grant.as_str()) {
            return Err(unauthenticated(
                "登入已結束或帳號權限已變更，請重新登入或更新權杖。",
            ));
        }
        Ok(self.actor)
    }
}

/// Runs the checks that need no database at once, so a refusal (401, 403) is answered before
/// other extractors (the JSON body) are even looked at; then confirms the session.
pub(crate) fn actor_future<T: 'static>(
    req: &HttpRequest,
    check: impl FnOnce(&Actor) -> Result<(), AppError>,
    wrap: impl FnOnce(Actor) -> T + 'static,
) -> futures_util::future::LocalBoxFuture<'static, Result<T, AppError>> {
    let claimed = match claimed_actor(req).and_then(|c| check(&c.actor).map(|()| c)) {
        Ok(claimed) => claimed,
        Err(error) => return Box::pin(std::future::ready(Err(error))),
    };
    let state = req.app_data::<web::Data<AppState>>().cloned();
    Box::pin(async move {
        let state = state.ok_or_else(|| AppError::Internal("no app state".into()))?;
        claimed.confirm(&state).await.map(wrap)
    })
}

impl FromRequest for Actor {
    type Error = AppError;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<Actor, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        actor_future(req, |_| Ok(()), |actor| actor)
    }
}

/// What the database says of open sessions, remembered briefly so a burst of requests (a
/// registration rush) does not query it each time. Changes made through this server forget the
/// affected entries at once; other nodes see them within [`SESSION_CACHE_TTL`].
pub struct SessionCache {
    entries: std::sync::Mutex<SessionEntries>,
}

/// (account, session id) → when it was looked up, and the session's grant digest if it is open.
type SessionEntries =
    std::collections::HashMap<(i32, String), (std::time::Instant, Option<String>)>;

pub const SESSION_CACHE_TTL: Duration = Duration::from_secs(5);
const SESSION_CACHE_MAX: usize = 100_000;

impl Default for SessionCache {
    fn default() -> Self {
        Self {
            entries: std::sync::Mutex::new(std::collections::HashMap::new()),
        }
    }
}

impl SessionCache {
    /// The grant digest of the account behind an open session, `None` when the session has
    /// ended or the account is gone or not active.
    pub async fn current_grant(
        &self,
        db: &inservice_persistence::Database,
        account_id: i32,
        session_id: &str,
    ) -> Result<Option<String>, AppError> {
        let key = (account_id, session_id.to_owned());
        if let Ok(entries) = self.entries.lock()
            && let Some((at, grant)) = entries.get(&key)
            && at.elapsed() < SESSION_CACHE_TTL
        {
            return Ok(grant.clone());
        }
        let now = Utc::now();
        let grant = match db.open_session_account(account_id, session_id, now).await? {
            Some(account) if account.status == inservice_domain::account::AccountStatus::Active => {
                Some(account_grant_version(&account))
            }
            _ => None,
        };
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= SESSION_CACHE_MAX {
                entries.clear();
            }
            entries.insert(key, (std::time::Instant::now(), grant.clone()));
        }
        Ok(grant)
    }

    /// Forgets an account's sessions after a change to it (disable, retype, transfer, logout…).
    pub fn forget_account(&self, account_id: i32) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|(id, _), _| *id != account_id);
        }
    }

    /// Forgets everything (a change that touches many accounts, such as a unit merge).
    pub fn forget_all(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

/// Password hashes under way at once: argon2id takes ~19 MiB and tens of milliseconds of a core
/// each, so a flood of sign-ups or logins queues here instead of exhausting memory and the
/// blocking pool.
const CONCURRENT_HASHES: usize = 4;
/// A caller waiting longer than this for a hashing slot is told to come back later.
const HASHING_QUEUE_WAIT: Duration = Duration::from_secs(10);
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(CONCURRENT_HASHES);

async fn hashing_slot() -> Result<tokio::sync::SemaphorePermit<'static>, AppError> {
    match tokio::time::timeout(HASHING_QUEUE_WAIT, HASHING.acquire()).await {
        Ok(Ok(permit)) => Ok(permit),
        Ok(Err(closed)) => Err(AppError::Internal(format!("hashing closed: {closed}"))),
        Err(_) => Err(AppError::Busy {
            retry_after_secs: 5,
        }),
    }
}

/// Hashes a password with argon2id on a blocking thread (it is deliberately slow).
pub async fn hash_password(password: String) -> Result<String, AppError> {
    let _slot = hashing_slot().await?;
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
    let _slot = hashing_slot().await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_hashing_queue_answers_busy_instead_of_piling_up() {
        let taken: Vec<_> = (0..CONCURRENT_HASHES)
            .map(|_| HASHING.try_acquire().expect("a free slot"))
            .collect();
        let started = std::time::Instant::now();
        let outcome = hash_password("a password 2026".into()).await;
        assert!(matches!(outcome, Err(AppError::Busy { .. })), "{outcome:?}");
        assert!(started.elapsed() >= HASHING_QUEUE_WAIT);
        drop(taken);
    }

    #[test]
    fn tokens_of_a_previous_key_still_verify_and_unknown_keys_do_not() {
        let old = AuthKeys::new(
            b"the-old-secret-that-is-long-enough-000",
            &[],
            "https://x.tw",
            true,
        );
        let rotated = AuthKeys::new(
            b"the-new-secret-that-is-long-enough-111",
            &[b"the-old-secret-that-is-long-enough-000"],
            "https://x.tw",
            true,
        );
        let stranger = AuthKeys::new(
            b"someone-elses-secret-long-enough-222",
            &[],
            "https://x.tw",
            true,
        );
        let claims = Claims {
            sub: 7,
            exp: Utc::now().timestamp() + 60,
            iat: Utc::now().timestamp(),
            iss: "https://x.tw".into(),
            aud: TOKEN_AUDIENCE.into(),
            sid: "s".into(),
            ver: "v".into(),
            kind: "teacher".into(),
            unit: None,
            unit_kind: None,
            account_type: None,
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(old.current.id.clone());
        let token = jsonwebtoken::encode(&header, &claims, &old.current.encoding).unwrap();
        assert_eq!(verified_claims(&rotated, &token).unwrap().sub, 7);
        assert!(verified_claims(&stranger, &token).is_err());
        let other_issuer = AuthKeys::new(
            b"the-old-secret-that-is-long-enough-000",
            &[],
            "https://y.tw",
            true,
        );
        assert!(
            verified_claims(&other_issuer, &token).is_err(),
            "iss is checked"
        );
    }
}
