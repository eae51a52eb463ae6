//! Business accounts: applications, the approval queue and the approvers' decisions.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::Utc;
use inservice_domain::FieldErrors;
use inservice_domain::account::{
    self, AccountBasics, AccountKind, AccountStatus, Application, ApplicationInput, BasicsInput,
    parse_account_type,
};
use inservice_domain::approval::{BusinessRole, retype_decided_as};
use inservice_domain::authorize::{Action, Target, authorize};
use inservice_domain::permission;
use inservice_persistence::accounts::{Account, BusinessDecision, CreateAccountError, NewAccount};
use inservice_persistence::audit::AuditEntry;

use crate::AppState;
use crate::auth::{Actor, hash_password};
use crate::dto::*;
use crate::error::ProblemCode;
use crate::error::responses::{Unauthenticated, Unavailable};
use crate::error::{AppError, AppResult, Problem};
use crate::routes::accounts::auth::{CONSENT_VERSION, client_ip};

/// Applies for a business account. It stays `pending` until its approver decides.
#[utoipa::path(
    tag = "business accounts",
    request_body = BusinessApplication,
    responses(
        (status = 201, description = "The pending application.", body = BusinessAccountDto),
        (status = 400, description = "A field is invalid, e.g. `type_not_allowed_for_unit`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`business_account_exists` (one per identity number) or `account_name_taken`.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/accounts/business")]
pub async fn apply(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<BusinessApplication>,
) -> AppResult<HttpResponse> {
    let form = body.into_inner();
    let unit = state.db.unit_ref(form.unit_code.trim()).await?;
    let input = ApplicationInput {
        basics: BasicsInput {
            account_name: &form.account_name,
            password: &form.password,
            real_name: &form.real_name,
            national_id: &form.national_id,
            email: &form.email,
        },
        phone: &form.phone,
        account_type: &form.account_type,
        accept_agreement: form.accept_agreement,
        accept_privacy: form.accept_privacy,
    };
    let Application {
        basics:
            AccountBasics {
                name,
                real_name,
                identity,
                email,
            },
        phone,
        account_type,
        unit_code,
    } = account::check_application(&input, unit.map(|u| (u.code, u.kind)))?;
    let new = NewAccount {
        account_name: name.as_str().to_owned(),
        kind: AccountKind::Business,
        status: AccountStatus::Pending,
        real_name,
        identity,
        birth_date: None,
        gender: None,
        email,
        phone: Some(phone),
        unit_code: Some(unit_code.clone()),
        requested_unit_code: None,
        account_type: Some(account_type),
        job_title: None,
        subjects: Vec::new(),
        personal_number: None,
        password_hash: hash_password(form.password).await?,
        consent_version: Some(CONSENT_VERSION.to_owned()),
    };
    let audit = AuditEntry {
        actor_account_id: None,
        actor_role: "anonymous".into(),
        action: "business_account.apply".into(),
        target_kind: "account".into(),
        target_id: None,
        summary: format!(
            "{} applied as {} of {}",
            name.as_str(),
            account_type.code(),
            unit_code
        ),
        ip: Some(client_ip(&req).to_string()),
    };
    match state.db.create_account(new, &state.vault, Utc::now(), Some(audit)).await {
        Ok(account) => Ok(HttpResponse::Created().json(BusinessAccountDto::from_stored(account))),
        Err(CreateAccountError::DuplicateIdentity) => Err(AppError::Conflict {
            code: ProblemCode::BusinessAccountExists,
            detail: "每個身分證號只能申請一個業務帳號；若原帳號已不再使用，請聯絡原單位或全國推廣中心刪除後再申請。".into(),
        }),
        Err(CreateAccountError::DuplicateName) => {
            Err(AppError::Conflict { code: ProblemCode::AccountNameTaken, detail: "這個帳號名稱已被使用，請換一個。".into() })
        }
        Err(CreateAccountError::DuplicatePersonalNumber) => Err(AppError::Internal("business accounts have no personal number".into())),
        Err(CreateAccountError::Storage(e)) => Err(e.into()),
    }
}

fn target_role(account: &Account) -> Option<(BusinessRole, String)> {
    let unit = account.unit.as_ref()?;
    Some((
        BusinessRole {
            unit_code: unit.code.clone(),
            unit_kind: unit.kind,
            account_type: account.account_type?,
        },
        unit.reviewer_code(),
    ))
}

fn may_decide(actor: &Actor, account: &Account) -> bool {
    target_role(account).is_some_and(|(target, reviewer)| {
        let target = Target::BusinessAccount {
            account_id: account.id,
            role: &target,
            reviewer_code: &reviewer,
        };
        authorize(&actor.principal(), Action::DecideBusinessAccount, &target).is_ok()
    })
}

/// Business accounts the caller may decide about: by default the applications waiting for them.
#[utoipa::path(
    tag = "business accounts",
    security(("bearer" = [])),
    params(QueueQuery),
    responses(
        (status = 200, description = "The accounts, oldest first.", body = BusinessAccountList),
        (status = 400, description = "`status` is not a known status.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Teachers have no approval queue.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/business-accounts")]
pub async fn queue(
    state: web::Data<AppState>,
    actor: Actor,
    query: web::Query<QueueQuery>,
) -> AppResult<web::Json<BusinessAccountList>> {
    actor.authorize(Action::ListBusinessAccounts, &Target::Nothing)?;
    let status = match query.status.as_deref() {
        None => AccountStatus::Pending,
        Some(code) => AccountStatus::from_code(code).ok_or_else(|| {
            FieldErrors::single(
                "status",
                "invalid_status",
                "status 須為 pending、active、rejected 或 disabled",
            )
        })?,
    };
    let items: Vec<BusinessAccountDto> = state
        .db
        .business_accounts(status)
        .await?
        .into_iter()
        .filter(|a| may_decide(&actor, a))
        .map(IntoWire::into_wire)
        .collect();
    Ok(web::Json(BusinessAccountList {
        total: items.len() as u64,
        items,
    }))
}

async fn decide(
    state: &AppState,
    req: &HttpRequest,
    actor: &Actor,
    id: i32,
    decision: BusinessDecision,
) -> AppResult<HttpResponse> {
    actor.authorize(Action::ListBusinessAccounts, &Target::Nothing)?;
    let not_found = || AppError::NotFound {
        code: ProblemCode::AccountNotFound,
        detail: "找不到這個業務帳號。".into(),
    };
    let target = state
        .db
        .account(id)
        .await?
        .filter(|a| a.kind == AccountKind::Business)
        .ok_or_else(not_found)?;
    let (role, reviewer) = target_role(&target).ok_or_else(not_found)?;
    // A retype is decided by the approver the account needs as it is or as it will be,
    // whichever is higher (a unit chief cannot make its own operator a chief).
    let decided_as = match &decision {
        BusinessDecision::Retype(new_type) => retype_decided_as(&role, &reviewer, *new_type),
        _ => role.clone(),
    };
    let about = Target::BusinessAccount {
        account_id: id,
        role: &decided_as,
        reviewer_code: &reviewer,
    };
    actor.authorize(Action::DecideBusinessAccount, &about)?;
    if let BusinessDecision::Retype(new_type) = &decision
        && let Some(unit) = &target.unit
        && !permission::allowed_account_types(unit.kind).contains(new_type)
    {
        return Err(FieldErrors::single(
            "account_type",
            "type_not_allowed_for_unit",
            "此單位僅能設定作業人員帳號",
        )
        .into());
    }
    let (action, detail) = match &decision {
        BusinessDecision::Approve => ("approve", String::new()),
        BusinessDecision::Reject(reason) => ("reject", format!(": {reason}")),
        BusinessDecision::Retype(t) => ("retype", format!(" to {}", t.code())),
        BusinessDecision::Disable(reason) => ("disable", format!(": {reason}")),
        BusinessDecision::Enable => ("enable", String::new()),
        BusinessDecision::Delete => ("delete", String::new()),
    };
    let audit = AuditEntry {
        actor_account_id: Some(actor.account_id),
        actor_role: actor.role(),
        action: format!("business_account.{action}"),
        target_kind: "account".into(),
        target_id: Some(id.to_string()),
        summary: format!("{action} {}{detail}", target.account_name),
        ip: Some(client_ip(req).to_string()),
    };
    if !state
        .db
        .decide_business_account(id, decision.clone(), actor.account_id, audit, Utc::now())
        .await?
    {
        return Err(AppError::Conflict {
            code: ProblemCode::AccountStateChanged,
            detail: format!(
                "這個帳號目前的狀態（{}）不能這樣處理，請重新整理。",
                target.status.code()
            ),
        });
    }
    state.sessions.forget_account(id);
    if decision == BusinessDecision::Delete {
        return Ok(HttpResponse::NoContent().finish());
    }
    let updated = state.db.account(id).await?.ok_or_else(not_found)?;
    Ok(HttpResponse::Ok().json(BusinessAccountDto::from_stored(updated)))
}

fn reason(body: ReasonBody) -> AppResult<String> {
    let reason = body.reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(
            FieldErrors::single("reason", "invalid_reason", "請填寫 1 到 500 字的理由").into(),
        );
    }
    Ok(reason)
}

macro_rules! decision_route {
    ($name:ident, $method:ident, $path:literal, $summary:literal, $ok:literal, $body:ty, $make:expr) => {
        #[doc = $summary]
        #[utoipa::path(
            tag = "business accounts",
            security(("bearer" = [])),
            params(("id" = i32, Path, description = "Account id.")),
            request_body = $body,
            responses(
                (status = 200, description = $ok, body = BusinessAccountDto),
                (status = 400, description = "The body is invalid.", body = Problem, content_type = "application/problem+json"),
                (status = 401, response = Unauthenticated),
                (status = 403, description = "The caller is not this account's approver.", body = Problem, content_type = "application/problem+json"),
                (status = 404, description = "No such business account.", body = Problem, content_type = "application/problem+json"),
                (status = 409, description = "The account is not in a state that allows this.", body = Problem, content_type = "application/problem+json"),
                (status = 503, response = Unavailable),
            )
        )]
        #[$method($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            req: HttpRequest,
            actor: Actor,
            id: web::Path<i32>,
            body: web::Json<$body>,
        ) -> AppResult<HttpResponse> {
            let decision = ($make)(body.into_inner())?;
            decide(&state, &req, &actor, id.into_inner(), decision).await
        }
    };
}

decision_route!(
    approve,
    post,
    "/api/v1/business-accounts/{id}/approve",
    "Approves a pending application.",
    "The now active account.",
    NoBody,
    |_: NoBody| Ok::<_, AppError>(BusinessDecision::Approve)
);
decision_route!(
    reject,
    post,
    "/api/v1/business-accounts/{id}/reject",
    "Rejects a pending application with a reason.",
    "The rejected application.",
    ReasonBody,
    |b| reason(b).map(BusinessDecision::Reject)
);
decision_route!(
    retype,
    post,
    "/api/v1/business-accounts/{id}/type",
    "Changes the account type.",
    "The account with its new type.",
    AccountTypeBody,
    |b: AccountTypeBody| {
        parse_account_type("account_type", &b.account_type)
            .map(BusinessDecision::Retype)
            .map_err(AppError::from)
    }
);
decision_route!(
    disable,
    post,
    "/api/v1/business-accounts/{id}/disable",
    "Disables an active account; its sessions end.",
    "The disabled account.",
    ReasonBody,
    |b| reason(b).map(BusinessDecision::Disable)
);
decision_route!(
    enable,
    post,
    "/api/v1/business-accounts/{id}/enable",
    "Enables a disabled account again.",
    "The active account.",
    NoBody,
    |_: NoBody| Ok::<_, AppError>(BusinessDecision::Enable)
);

/// Deletes a business account (e.g. its holder left the unit); the identity number may apply again.
#[utoipa::path(
    tag = "business accounts",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "Account id.")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "The caller is not this account's approver.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such business account.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[delete("/api/v1/business-accounts/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    req: HttpRequest,
    actor: Actor,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    decide(
        &state,
        &req,
        &actor,
        id.into_inner(),
        BusinessDecision::Delete,
    )
    .await
}
