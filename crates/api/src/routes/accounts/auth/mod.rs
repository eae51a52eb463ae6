//! Sign-up, login, token refresh, logout, password change and reset.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{Duration, Utc};
use inservice_domain::UnitCode;
use inservice_domain::account::{
    self, AccountBasics, AccountKind, AccountStatus, BasicsInput, NamedUnit, SignUp, SignUpInput,
};
use inservice_persistence::accounts::{Account, CreateAccountError, NewAccount};
use inservice_persistence::audit::AuditEntry;
use rand::RngCore;

use crate::AppState;
use crate::auth::{
    ACCESS_TOKEN_TTL, Actor, REFRESH_COOKIE, REFRESH_COOKIE_PATH, REFRESH_TOKEN_TTL, hash_password,
    issue_access_token, new_opaque_token, token_hash, verify_password,
};
use crate::dto::*;
use crate::error::ProblemCode;
use crate::error::responses::{Unauthenticated, Unavailable};
use crate::error::{AppError, AppResult, Problem};

/// The versions of the account agreement and the personal-data notice a sign-up accepts.
pub const CONSENT_VERSION: &str = "2026-11";

pub(crate) use crate::throttle::client_ip;

mod password;
// The handlers keep their paths (`routes::accounts::auth::change_password`), with utoipa's path items.
pub use password::*;

/// The signed-in caller's account was deleted after the token was checked.
pub(crate) fn account_gone() -> AppError {
    AppError::Unauthenticated {
        detail: "帳號已不存在。".into(),
    }
}

/// The signed-in caller's own account.
pub(crate) async fn own_account(state: &AppState, actor: &Actor) -> AppResult<Account> {
    state
        .db
        .account(actor.account_id)
        .await?
        .ok_or_else(account_gone)
}

fn invalid_credentials() -> AppError {
    AppError::Unauthenticated {
        detail: "帳號或密碼錯誤。".into(),
    }
}

/// Signs up a teacher. The account is usable at once; a named school becomes the teacher's
/// serving unit when that school accepts the request (until then: records only).
#[utoipa::path(
    tag = "accounts",
    request_body = TeacherSignUp,
    responses(
        (status = 201, description = "The new account.", body = MeDto),
        (status = 400, description = "A field is invalid; `errors` lists each one.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`identity_already_registered` or `account_name_taken`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/accounts/teachers")]
pub async fn sign_up(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<TeacherSignUp>,
) -> AppResult<HttpResponse> {
    let form = body.into_inner();
    let unit_code = account::typed_unit_code(form.unit_code.as_deref());
    let unit = match &unit_code {
        None => NamedUnit::None,
        Some(code) => match UnitCode::parse_field("unit_code", code) {
            Ok(code) => match state.db.unit_by_code(&code).await? {
                Some(unit) => NamedUnit::Found {
                    open: unit.status == "open",
                    kind: unit.kind,
                },
                None => NamedUnit::Unknown,
            },
            Err(_) => NamedUnit::Unknown,
        },
    };
    let input = SignUpInput {
        basics: BasicsInput {
            account_name: &form.account_name,
            password: &form.password,
            real_name: &form.real_name,
            national_id: &form.national_id,
            email: &form.email,
        },
        birth_date: &form.birth_date,
        gender: &form.gender,
        phone: form.phone.as_deref(),
        job_title: &form.job_title,
        subjects: &form.subjects,
        accept_agreement: form.accept_agreement,
        accept_privacy: form.accept_privacy,
    };
    let checked = account::check_sign_up(&input, unit, Utc::now().date_naive())?;
    create_teacher(&state, &req, form.password, checked, unit_code).await
}

/// Stores a checked sign-up, retrying the rare personal-number collision.
async fn create_teacher(
    state: &AppState,
    req: &HttpRequest,
    password: String,
    checked: SignUp,
    unit_code: Option<String>,
) -> AppResult<HttpResponse> {
    let SignUp {
        basics:
            AccountBasics {
                name,
                real_name,
                identity,
                email,
            },
        birth_date,
        gender,
        phone,
        job_title,
        subjects,
    } = checked;
    let password_hash = hash_password(password).await?;
    let now = Utc::now();
    // A personal number collision is astronomically rare; retry a few times rather than fail.
    for _ in 0..3 {
        let new = NewAccount {
            account_name: name.as_str().to_owned(),
            kind: AccountKind::Teacher,
            status: AccountStatus::Active,
            real_name: real_name.clone(),
            identity: identity.clone(),
            birth_date: Some(birth_date),
            gender: Some(gender),
            email: email.clone(),
            phone: phone.clone(),
            unit_code: None,
            requested_unit_code: unit_code.clone(),
            account_type: None,
            job_title: Some(job_title.clone()),
            subjects: subjects.clone(),
            personal_number: Some(account::personal_number(rand::rng().next_u64())),
            password_hash: password_hash.clone(),
            consent_version: Some(CONSENT_VERSION.to_owned()),
        };
        let audit = AuditEntry {
            actor_account_id: None,
            actor_role: "anonymous".into(),
            action: "account.sign_up".into(),
            target_kind: "account".into(),
            target_id: None,
            summary: format!("teacher account {} signed up", name.as_str()),
            ip: Some(client_ip(req).to_string()),
        };
        match state
            .db
            .create_account(new, &state.vault, now, Some(audit))
            .await
        {
            Ok(account) => return Ok(HttpResponse::Created().json(MeDto::from_stored(account))),
            Err(CreateAccountError::DuplicatePersonalNumber) => continue,
            Err(CreateAccountError::DuplicateIdentity) => {
                return Err(AppError::Conflict {
                    code: ProblemCode::IdentityAlreadyRegistered,
                    detail: "這個身分證號已申請過教師帳號。若忘記帳號或密碼，請使用「忘記密碼」。"
                        .into(),
                });
            }
            Err(CreateAccountError::DuplicateName) => {
                return Err(AppError::Conflict {
                    code: ProblemCode::AccountNameTaken,
                    detail: "這個帳號名稱已被使用，請換一個。".into(),
                });
            }
            Err(CreateAccountError::Storage(e)) => return Err(e.into()),
        }
    }
    Err(AppError::Internal(
        "could not allocate a personal number".into(),
    ))
}

fn refresh_cookie(state: &AppState, token: &str) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, token.to_owned())
        .path(REFRESH_COOKIE_PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.auth.secure_cookies)
        .max_age(CookieDuration::seconds(REFRESH_TOKEN_TTL.as_secs() as i64))
        .finish()
}

fn expired_cookie(state: &AppState) -> Cookie<'static> {
    let mut cookie = refresh_cookie(state, "");
    cookie.make_removal();
    cookie
}

fn session_response(
    state: &AppState,
    account: Account,
    session_id: &str,
    refresh: String,
    use_cookie: bool,
) -> AppResult<HttpResponse> {
    let access_token = issue_access_token(&state.auth, &account, session_id, Utc::now())?;
    let mut response = HttpResponse::Ok();
    if use_cookie {
        response.cookie(refresh_cookie(state, &refresh));
    }
    Ok(response.json(TokenResponse {
        access_token,
        token_type: "Bearer".into(),
        expires_in: ACCESS_TOKEN_TTL.as_secs(),
        refresh_token: (!use_cookie).then_some(refresh),
        account: account.into_wire(),
    }))
}

/// Logs in with account name or e-mail and password. Five wrong passwords lock the account for
/// 15 minutes; attempts are also limited per client address.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "A new session.", body = TokenResponse),
        (status = 401, description = "`unauthenticated` (wrong account or password, the same for both) or `account_locked`.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`account_pending` (not yet approved) or `account_disabled`.", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts from this address.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/auth/login")]
pub async fn log_in(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> AppResult<HttpResponse> {
    let LoginRequest {
        login,
        password,
        use_cookie,
    } = body.into_inner();
    let ip = client_ip(&req);
    state.throttles.login_attempt(&login, ip)?;
    let now = Utc::now();
    // The lock is per (account, address): the same answer whether the account exists or not,
    // and another address (the real owner's) is not locked out.
    if let Some(until) = state.throttles.locked_until(&login, ip, now) {
        let minutes = (until - now).num_minutes() + 1;
        return Err(AppError::Locked {
            detail: format!("登入失敗次數過多，請於 {minutes} 分鐘後再試或使用「忘記密碼」。"),
        });
    }
    let mut matched = None;
    // No valid login or password is this long: refused without spending a hash on it.
    let plausible = login.chars().count() <= account::EMAIL_MAX_CHARS
        && password.chars().count() <= account::PASSWORD_MAX_CHARS;
    let candidates = if plausible {
        state.db.login_candidates(&login).await?
    } else {
        Vec::new()
    };
    if candidates.is_empty() {
        // Spend the same time as a real check so timing does not reveal unknown accounts.
        if plausible {
            verify_password(password, dummy_hash().await?).await?;
        }
        state.throttles.failed_login(&login, ip, now);
        return Err(invalid_credentials());
    }
    for candidate in candidates {
        if verify_password(password.clone(), candidate.password_hash.clone()).await? {
            matched = Some(candidate);
            break;
        }
    }
    if matched.is_none() {
        state.throttles.failed_login(&login, ip, now);
    } else {
        state.throttles.succeeded(&login, ip);
    }
    let account = matched.ok_or_else(invalid_credentials)?;
    match account.status {
        AccountStatus::Active => {}
        AccountStatus::Pending => {
            return Err(AppError::Forbidden {
                code: ProblemCode::AccountPending,
                detail: "帳號申請尚待審核，核准後即可登入。".into(),
            });
        }
        AccountStatus::Rejected | AccountStatus::Disabled => {
            return Err(AppError::Forbidden {
                code: ProblemCode::AccountDisabled,
                detail: "帳號已停用或申請未獲核准。".into(),
            });
        }
    }
    let (refresh, refresh_hash) = new_opaque_token();
    let expires = now + Duration::seconds(REFRESH_TOKEN_TTL.as_secs() as i64);
    let session_id = state
        .db
        .record_login(account.id, now, &refresh_hash, expires)
        .await?;
    session_response(&state, account, &session_id, refresh, use_cookie)
}

/// An argon2id hash of a random password, made once, verified against when no account matches.
async fn dummy_hash() -> AppResult<String> {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_try_init(|| {
            let mut bytes = [0u8; 16];
            rand::rng().fill_bytes(&mut bytes);
            hash_password(format!("{bytes:?}"))
        })
        .await
        .cloned()
}

fn presented_refresh(
    req: &HttpRequest,
    body: Option<web::Json<RefreshRequest>>,
) -> Option<(String, bool)> {
    if let Some(token) = body
        .and_then(|b| b.into_inner().refresh_token)
        .filter(|t| !t.is_empty())
    {
        return Some((token, false));
    }
    req.cookie(REFRESH_COOKIE)
        .map(|c| (c.value().to_owned(), true))
        .filter(|(t, _)| !t.is_empty())
}

/// Exchanges a refresh token (body or cookie) for a new access token and a new refresh token.
/// A refresh token works once; presenting a used one ends that whole session family.
#[utoipa::path(
    tag = "auth",
    request_body(content = RefreshRequest, description = "Optional: browsers send the cookie instead."),
    responses(
        (status = 200, description = "A renewed session.", body = TokenResponse),
        (status = 401, description = "Missing, expired, revoked or reused refresh token.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/auth/refresh")]
pub async fn refresh_session(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Option<web::Json<RefreshRequest>>,
) -> AppResult<HttpResponse> {
    let (token, from_cookie) =
        presented_refresh(&req, body).ok_or_else(|| AppError::Unauthenticated {
            detail: "沒有可用的更新權杖，請重新登入。".into(),
        })?;
    let now = Utc::now();
    let expired = || AppError::Unauthenticated {
        detail: "登入已逾時，請重新登入。".into(),
    };
    let stored = state
        .db
        .refresh_token(&token_hash(&token))
        .await?
        .ok_or_else(expired)?;
    if stored.revoked {
        state.db.revoke_refresh_family(&stored.family, now).await?;
        state.sessions.forget_account(stored.account_id);
        return Err(AppError::Unauthenticated {
            detail: "此更新權杖已使用過，為保護帳號已登出該工作階段，請重新登入。".into(),
        });
    }
    if stored.expires_at <= now {
        return Err(expired());
    }
    let account = state
        .db
        .account(stored.account_id)
        .await?
        .filter(|a| a.status == AccountStatus::Active)
        .ok_or_else(expired)?;
    let (next, next_hash) = new_opaque_token();
    let expires = now + Duration::seconds(REFRESH_TOKEN_TTL.as_secs() as i64);
    if !state
        .db
        .rotate_refresh_token(&stored, &next_hash, expires, now)
        .await?
    {
        return Err(expired());
    }
    session_response(&state, account, &stored.family, next, from_cookie)
}

/// Ends the session of the presented refresh token (body or cookie).
#[utoipa::path(
    tag = "auth",
    request_body(content = RefreshRequest, description = "Optional: browsers send the cookie instead."),
    responses(
        (status = 204, description = "Logged out (also when the token was already unknown)."),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/auth/logout")]
pub async fn log_out(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Option<web::Json<RefreshRequest>>,
) -> AppResult<HttpResponse> {
    if let Some((token, _)) = presented_refresh(&req, body)
        && let Some(stored) = state.db.refresh_token(&token_hash(&token)).await?
    {
        state
            .db
            .revoke_refresh_family(&stored.family, Utc::now())
            .await?;
        state.sessions.forget_account(stored.account_id);
    }
    Ok(HttpResponse::NoContent()
        .cookie(expired_cookie(&state))
        .finish())
}

/// Ends every session of the signed-in account, on every device.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Every refresh token of the account is revoked."),
        (status = 401, response = Unauthenticated),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/auth/logout-all")]
pub async fn log_out_everywhere(
    state: web::Data<AppState>,
    actor: Actor,
) -> AppResult<HttpResponse> {
    state
        .db
        .revoke_all_refresh_tokens(actor.account_id, Utc::now())
        .await?;
    state.sessions.forget_account(actor.account_id);
    Ok(HttpResponse::NoContent()
        .cookie(expired_cookie(&state))
        .finish())
}

/// The signed-in account.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account's own data.", body = MeDto),
        (status = 401, response = Unauthenticated),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/me")]
pub async fn me(state: web::Data<AppState>, actor: Actor) -> AppResult<web::Json<MeDto>> {
    let account = own_account(&state, &actor).await?;
    let mut own = MeDto::from_stored(account);
    own.pending_email = state.db.pending_email(actor.account_id, Utc::now()).await?;
    Ok(web::Json(own))
}
