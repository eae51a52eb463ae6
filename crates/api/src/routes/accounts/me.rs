//! The signed-in account's own data: profile changes (a new e-mail address needs the password
//! and a confirmation from its mailbox) and the personal-data copy.

use actix_web::{HttpRequest, HttpResponse, patch, post, web};
use chrono::{Duration, Utc};
use inservice_domain::account::{self, ProfileInput, UnitRequest};
use inservice_domain::validation::Collector;
use inservice_domain::{FieldErrors, UnitCode};
use inservice_persistence::accounts::{Account, ProfileChanges};
use inservice_persistence::audit::AuditEntry;

use crate::AppState;
use crate::auth::{Actor, new_opaque_token, token_hash, verify_password};
use crate::dto::*;
use crate::error::ProblemCode;
use crate::error::responses::{Unauthenticated, Unavailable};
use crate::error::{AppError, AppResult, Problem};
use crate::routes::accounts::auth::{account_gone, client_ip, own_account};

/// Updates the signed-in account's contact data, job title and subjects. A new e-mail address needs
/// `current_password`; it takes effect once confirmed from the new mailbox, and the old address is told.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    request_body = ProfileUpdate,
    responses(
        (status = 200, description = "The updated account.", body = MeDto),
        (status = 400, description = "A field is invalid; `errors` lists each one.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 503, response = Unavailable),
    )
)]
#[patch("/api/v1/me")]
pub async fn update_me(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    body: web::Json<ProfileUpdate>,
) -> AppResult<web::Json<MeDto>> {
    let form = body.into_inner();
    let current = own_account(&state, &actor).await?;
    let mut errors = Collector::default();
    let email = account::check_profile_email(&mut errors, form.email.as_deref());
    let new_email = account::changed_email(email.as_deref(), &current.email);
    if new_email.is_some() {
        let password_right = match form.current_password.as_deref().filter(|p| !p.is_empty()) {
            None => None,
            Some(password) => {
                Some(verify_password(password.to_owned(), current.password_hash.clone()).await?)
            }
        };
        account::check_reauthentication(&mut errors, password_right);
    }
    let fields = account::check_profile_fields(
        &mut errors,
        &ProfileInput {
            phone: form.phone.as_deref(),
            job_title: form.job_title.as_deref(),
            subjects: form.subjects.as_deref(),
        },
    );
    let requested_unit = match account::unit_request(
        &mut errors,
        form.requested_unit_code.as_deref(),
        actor.kind,
        actor.unit_code.as_deref(),
    ) {
        UnitRequest::Keep | UnitRequest::Refused => None,
        UnitRequest::Withdraw => Some(None),
        UnitRequest::Join(code) => {
            let open = state
                .db
                .unit_by_code(&UnitCode::parse_field("requested_unit_code", code)?)
                .await?
                .filter(|unit| unit.status == "open")
                .map(|unit| unit.code);
            account::requested_unit_found(&mut errors, open).map(Some)
        }
    };
    errors.finish()?;
    let changes = ProfileChanges {
        // The address itself changes only on confirmation.
        email: None,
        phone: fields.phone,
        job_title: fields.job_title,
        subjects: fields.subjects,
        requested_unit,
    };
    let fields: Vec<&str> = [
        ("email (pending confirmation)", new_email.is_some()),
        ("phone", changes.phone.is_some()),
        ("job_title", changes.job_title.is_some()),
        ("subjects", changes.subjects.is_some()),
        ("requested_unit", changes.requested_unit.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, changed)| changed.then_some(name))
    .collect();
    let audit = AuditEntry {
        actor_account_id: Some(actor.account_id),
        actor_role: actor.role(),
        action: "account.profile_update".into(),
        target_kind: "account".into(),
        target_id: Some(actor.account_id.to_string()),
        summary: format!(
            "changed: {}",
            if fields.is_empty() {
                "nothing".to_owned()
            } else {
                fields.join(", ")
            }
        ),
        ip: Some(client_ip(&req).to_string()),
    };
    let now = Utc::now();
    let account = state
        .db
        .update_profile(actor.account_id, changes, audit, now)
        .await?
        .ok_or_else(account_gone)?;
    if let Some(new_email) = &new_email {
        start_email_change(&state, &req, &actor, &account, new_email, now).await?;
    }
    let mut own = MeDto::from_stored(account);
    own.pending_email = state.db.pending_email(actor.account_id, now).await?;
    Ok(web::Json(own))
}

const EMAIL_CONFIRM_HOURS: i64 = 24;

async fn start_email_change(
    state: &AppState,
    req: &HttpRequest,
    actor: &Actor,
    account: &Account,
    new_email: &str,
    now: chrono::DateTime<Utc>,
) -> AppResult<()> {
    let (token, hash) = new_opaque_token();
    let link = format!("{}/confirm-email?token={token}", state.public_url);
    let confirm = inservice_domain::notice::email_change_confirmation(
        &account.real_name,
        &account.account_name,
        &link,
        EMAIL_CONFIRM_HOURS,
    );
    let warn = inservice_domain::notice::email_change_warning(
        &account.real_name,
        &account.account_name,
        new_email,
    );
    let audit = AuditEntry {
        actor_account_id: Some(actor.account_id),
        actor_role: actor.role(),
        action: "account.email_change".into(),
        target_kind: "account".into(),
        target_id: Some(actor.account_id.to_string()),
        summary: "e-mail change requested; confirmation sent to the new address".into(),
        ip: Some(client_ip(req).to_string()),
    };
    state
        .db
        .start_email_change(
            account.id,
            new_email,
            &hash,
            now + Duration::hours(EMAIL_CONFIRM_HOURS),
            &[
                (new_email, confirm.subject, &confirm.body),
                (&account.email, warn.subject, &warn.body),
            ],
            audit,
            now,
        )
        .await?;
    Ok(())
}

/// Confirms a new e-mail address with the token from the confirmation mail. The token works once.
#[utoipa::path(
    tag = "accounts",
    request_body = EmailConfirmation,
    responses(
        (status = 204, description = "The new address is the account's."),
        (status = 400, description = "`invalid_email_token` (unknown, used or expired).", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/me/email/confirm")]
pub async fn confirm_email(
    state: web::Data<AppState>,
    body: web::Json<EmailConfirmation>,
) -> AppResult<HttpResponse> {
    match state
        .db
        .confirm_email_change(&token_hash(&body.token), Utc::now())
        .await?
    {
        Some(_) => Ok(HttpResponse::NoContent().finish()),
        None => Err(AppError::BadRequest {
            code: ProblemCode::InvalidEmailToken,
            detail: "確認連結無效、已使用或已過期，請重新變更電子郵件。".into(),
        }),
    }
}

/// Downloads everything stored about the signed-in person as JSON (PDPA Art. 3: the rights to
/// query and to obtain a copy). The copy holds the full identity number, so the current
/// password is asked again.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    request_body = CurrentPassword,
    responses(
        (status = 200, description = "The personal-data copy, as a JSON attachment.", body = PersonalDataDto),
        (status = 400, description = "`wrong_password` for `current_password`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/me/export")]
pub async fn export_me(
    state: web::Data<AppState>,
    actor: Actor,
    body: web::Json<CurrentPassword>,
) -> AppResult<HttpResponse> {
    // The copy holds the full identity number: only for someone who knows the password.
    let account = own_account(&state, &actor).await?;
    if !verify_password(body.into_inner().current_password, account.password_hash).await? {
        return Err(
            FieldErrors::single("current_password", "wrong_password", "目前的密碼不正確").into(),
        );
    }
    let data = state
        .db
        .personal_data(actor.account_id, &state.vault)
        .await?
        .ok_or_else(account_gone)?;
    let audit = |e: inservice_persistence::audit::StoredAuditEntry| AuditEntryDto {
        id: e.id,
        at: e.at,
        actor_account_id: e.actor_account_id,
        actor_role: e.actor_role,
        action: e.action,
        target_kind: e.target_kind,
        target_id: e.target_id,
        summary: e.summary,
        ip: e.ip,
    };
    let body = PersonalDataDto {
        exported_at: Utc::now(),
        account: data.account.into_wire(),
        identity_number: data.identity_number,
        consents: vec![
            ConsentDto {
                document: "account_agreement".into(),
                version: data.agreement_version,
                accepted_at: data.agreement_accepted_at,
            },
            ConsentDto {
                document: "personal_data".into(),
                version: data.privacy_version,
                accepted_at: data.privacy_accepted_at,
            },
        ],
        sessions: data
            .sessions
            .into_iter()
            .map(|s| SessionDto {
                created_at: s.created_at,
                expires_at: s.expires_at,
                revoked_at: s.revoked_at,
            })
            .collect(),
        activity: data.audit.into_iter().map(audit).collect(),
    };
    Ok(HttpResponse::Ok()
        .insert_header((
            "content-disposition",
            "attachment; filename=\"inservice-personal-data.json\"",
        ))
        .insert_header(("cache-control", "no-store"))
        .json(body))
}
