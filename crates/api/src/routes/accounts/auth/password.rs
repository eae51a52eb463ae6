//! Password change by the signed-in account, and password reset by e-mail.

use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::{Duration, Utc};
use inservice_domain::account::{self, AccountStatus};
use inservice_domain::{FieldErrors, notice};
use inservice_persistence::audit::AuditEntry;

use super::{client_ip, expired_cookie, own_account};
use crate::AppState;
use crate::auth::{Actor, hash_password, new_opaque_token, token_hash, verify_password};
use crate::dto::*;
use crate::error::responses::{Unauthenticated, Unavailable};
use crate::error::{AppError, AppResult, Problem};

/// How long a reset link works.
const RESET_TOKEN_MINUTES: i64 = 30;

/// Changes the signed-in account's password; every session ends, so other devices must log in again.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed."),
        (status = 400, description = "`wrong_password` for `current_password`, or the new password breaks the policy.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    body: web::Json<PasswordChange>,
) -> AppResult<HttpResponse> {
    let PasswordChange {
        current_password,
        new_password,
    } = body.into_inner();
    let account = own_account(&state, &actor).await?;
    account::check_password("new_password", &new_password, Some(&account.account_name))?;
    if !verify_password(current_password, account.password_hash.clone()).await? {
        // A field error, not 401: the session is fine, only the typed password is wrong.
        return Err(
            FieldErrors::single("current_password", "wrong_password", "目前的密碼不正確").into(),
        );
    }
    let hash = hash_password(new_password).await?;
    let audit = AuditEntry {
        actor_account_id: Some(actor.account_id),
        actor_role: actor.role(),
        action: "account.password_change".into(),
        target_kind: "account".into(),
        target_id: Some(actor.account_id.to_string()),
        summary: "password changed; all sessions ended".into(),
        ip: Some(client_ip(&req).to_string()),
    };
    state
        .db
        .set_password(actor.account_id, &hash, audit, Utc::now())
        .await?;
    state.sessions.forget_account(actor.account_id);
    Ok(HttpResponse::NoContent()
        .cookie(expired_cookie(&state))
        .finish())
}

/// Sends a single-use password-reset link (valid 30 minutes) to the account's e-mail address.
/// Always answers 202, so the answer does not reveal whether an account exists.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "If the account exists, a link is on its way."),
        (status = 429, description = "Too many attempts from this address.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/auth/password-reset")]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<PasswordResetRequest>,
) -> AppResult<HttpResponse> {
    state
        .throttles
        .reset_attempt(&body.login, client_ip(&req))?;
    let now = Utc::now();
    for account in state.db.login_candidates(&body.login).await? {
        if account.status != AccountStatus::Active {
            continue;
        }
        let (token, hash) = new_opaque_token();
        let link = format!("{}/reset-password?token={token}", state.public_url);
        let mail = notice::password_reset(
            &account.real_name,
            &account.account_name,
            &link,
            RESET_TOKEN_MINUTES,
        );
        let expires = now + Duration::minutes(RESET_TOKEN_MINUTES);
        state
            .db
            .create_password_reset(
                account.id,
                &hash,
                expires,
                (&account.email, mail.subject, &mail.body),
                now,
            )
            .await?;
    }
    Ok(HttpResponse::Accepted().finish())
}

/// Sets a new password with the token from a reset e-mail. The token works once.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordResetConfirm,
    responses(
        (status = 204, description = "The password is set; every session of the account ended."),
        (status = 400, description = "`invalid_reset_token` (unknown, used or expired) or a password-policy failure.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/auth/password-reset/confirm")]
pub async fn confirm_password_reset(
    state: web::Data<AppState>,
    body: web::Json<PasswordResetConfirm>,
) -> AppResult<HttpResponse> {
    let PasswordResetConfirm {
        token,
        new_password,
    } = body.into_inner();
    account::check_password("new_password", &new_password, None)?;
    let invalid = || AppError::BadRequest {
        code: ProblemCode::InvalidResetToken,
        detail: "重設連結無效、已使用或已過期，請重新申請。".into(),
    };
    if !state
        .db
        .password_reset_is_live(&token_hash(&token), Utc::now())
        .await?
    {
        return Err(invalid());
    }
    let hash = hash_password(new_password).await?;
    match state
        .db
        .consume_password_reset(&token_hash(&token), &hash, Utc::now())
        .await?
    {
        Some(account_id) => {
            state.sessions.forget_account(account_id);
            Ok(HttpResponse::NoContent().finish())
        }
        None => Err(invalid()),
    }
}
