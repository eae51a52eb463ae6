//! Partner systems call the exchange with an API key in `X-Api-Key`, from an address on their
//! allow-list, within their rate. A refused call is answered with its problem and logged
//! (`exchange_denials` and the server log), the key never.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use base64::Engine;
use chrono::Utc;
use governor::{DefaultDirectRateLimiter, Quota};
use inservice_domain::exchange::AllowList;
use inservice_persistence::exchange::{Partner, PartnerKey};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::auth::Actor;
use crate::error::{AppError, ProblemCode};
use crate::throttle::client_ip;

/// The header a partner's key travels in.
pub const API_KEY_HEADER: &str = "x-api-key";
/// What every key starts with, so a leaked one is recognisable (secret scanners, logs).
const KEY_PREFIX: &str = "isk_";

/// A new random key (32 bytes) with its prefix for display and its hash for storage.
pub fn new_key() -> (String, String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = format!(
        "{KEY_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let prefix = secret.chars().take(12).collect();
    let hash = key_hash(&secret);
    (secret, prefix, hash)
}

pub fn key_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Each partner's own rate, as registered.
#[derive(Default)]
pub struct PartnerRates {
    limiters: Mutex<HashMap<i32, (u32, DefaultDirectRateLimiter)>>,
}

impl PartnerRates {
    /// Whether the partner may call now; the limiter follows a changed rate.
    fn allow(&self, partner: i32, per_minute: u32) -> bool {
        let Ok(mut limiters) = self.limiters.lock() else {
            return true;
        };
        let rate = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        let entry = limiters.entry(partner).or_insert_with(|| {
            (
                per_minute,
                DefaultDirectRateLimiter::direct(Quota::per_minute(rate)),
            )
        });
        if entry.0 != per_minute {
            *entry = (
                per_minute,
                DefaultDirectRateLimiter::direct(Quota::per_minute(rate)),
            );
        }
        entry.1.check().is_ok()
    }
}

/// A partner system calling with a valid key from an allowed address.
#[derive(Debug, Clone)]
pub struct PartnerCaller {
    pub partner: Partner,
    pub key: PartnerKey,
    pub ip: IpAddr,
}

impl PartnerCaller {
    /// Refuses the call unless the partner has the cooperation item `code`.
    pub fn require_item(&self, code: &str) -> Result<(), AppError> {
        if self.partner.has_item(code) {
            Ok(())
        } else {
            Err(AppError::Forbidden {
                code: ProblemCode::CooperationItemMissing,
                detail: format!("此合作系統未申請「{code}」合作項目。"),
            })
        }
    }
}

/// Who calls an exchange operation: a partner by its key, or a signed-in person.
#[derive(Debug, Clone)]
pub enum ExchangeCaller {
    Partner(Box<PartnerCaller>),
    Staff(Actor),
}

async fn deny(
    state: &AppState,
    partner: Option<i32>,
    ip: IpAddr,
    path: &str,
    reason: &str,
    error: AppError,
) -> AppError {
    tracing::warn!(partner, %ip, path, reason, "exchange call refused");
    if let Err(e) = state
        .db
        .log_denial(partner, &ip.to_string(), path, reason, Utc::now())
        .await
    {
        tracing::error!(error = %e, "could not log a refused exchange call");
    }
    error
}

async fn partner_caller(
    state: web::Data<AppState>,
    secret: String,
    ip: IpAddr,
    path: String,
) -> Result<PartnerCaller, AppError> {
    let forbidden = |code: ProblemCode, detail: &str| AppError::Forbidden {
        code,
        detail: detail.to_owned(),
    };
    let Some((key, partner)) = state.db.key_by_hash(&key_hash(secret.trim())).await? else {
        let error = AppError::KeyRefused {
            code: ProblemCode::ApiKeyInvalid,
            detail: "API 金鑰無效。".into(),
        };
        return Err(deny(&state, None, ip, &path, "key_unknown", error).await);
    };
    if key.revoked_at.is_some() {
        let error = AppError::KeyRefused {
            code: ProblemCode::ApiKeyRevoked,
            detail: "此 API 金鑰已撤銷，請改用有效的金鑰。".into(),
        };
        return Err(deny(&state, Some(partner.id), ip, &path, "key_revoked", error).await);
    }
    let allowed = AllowList::parse(&partner.fields.allow_list.join("\n"))
        .map(|list| list.allows(ip))
        .unwrap_or(false);
    if !allowed {
        let error = forbidden(
            ProblemCode::AddressNotAllowed,
            &format!("來源位址 {ip} 不在此合作系統的允許清單中。"),
        );
        return Err(deny(
            &state,
            Some(partner.id),
            ip,
            &path,
            "address_not_allowed",
            error,
        )
        .await);
    }
    if !partner.fields.enabled {
        let error = forbidden(ProblemCode::PartnerDisabled, "此合作系統已停用。");
        return Err(deny(
            &state,
            Some(partner.id),
            ip,
            &path,
            "partner_disabled",
            error,
        )
        .await);
    }
    if !state
        .partner_rates
        .allow(partner.id, partner.fields.rate_per_minute)
    {
        let error = AppError::RateLimited {
            retry_after_secs: 60,
        };
        return Err(deny(&state, Some(partner.id), ip, &path, "rate_limited", error).await);
    }
    state
        .db
        .touch_partner_key(&key, &ip.to_string(), Utc::now())
        .await?;
    Ok(PartnerCaller { partner, key, ip })
}

impl FromRequest for ExchangeCaller {
    type Error = AppError;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<ExchangeCaller, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let secret = req
            .headers()
            .get(API_KEY_HEADER)
            .map(|v| v.to_str().unwrap_or_default().to_owned());
        let Some(secret) = secret else {
            let actor = Actor::from_request(req, payload);
            return Box::pin(async move { Ok(ExchangeCaller::Staff(actor.await?)) });
        };
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let ip = client_ip(req);
        let path = req.path().to_owned();
        Box::pin(async move {
            let state =
                state.ok_or_else(|| AppError::Internal("the app state is missing".into()))?;
            let caller = partner_caller(state, secret, ip, path).await?;
            Ok(ExchangeCaller::Partner(Box::new(caller)))
        })
    }
}
