//! The partner registry (national centre): partner systems, their API keys, their contacts'
//! yearly re-confirmation, and the calls refused at the door.

use actix_web::{HttpResponse, get, post, put, web};
use chrono::Utc;
use inservice_domain::account::{check_email, check_phone};
use inservice_domain::course::schedule::taipei_today;
use inservice_domain::exchange::{
    AllowList, PartnerKind, contact_due, contact_light, parse_items, parse_partner_code,
};
use inservice_domain::validation::{Collector, check_plain_text};
use inservice_domain::{CountyCode, FieldErrors, UnitCode};
use inservice_persistence::exchange::{Denial, Partner, PartnerError, PartnerFields, PartnerKey};

use crate::AppState;
use crate::auth::Actor;
use crate::dto::*;
use crate::error::ProblemCode;
use crate::error::responses::{NotNationalAdmin, Unauthenticated, Unavailable};
use crate::error::{AppError, AppResult, Problem};
use crate::partner_auth::new_key;
use crate::routes::courses::views::taipei_time;
use crate::routes::exchange::{PartnerAdmin, bureau_county, is_partner_admin};

/// Calls a minute a partner may make at most.
const MAX_RATE: u32 = 6_000;

fn text(errors: &mut Collector, field: &str, value: &str, max: usize) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        errors.fail(field, "required", "必填");
        return None;
    }
    if value.chars().count() > max {
        errors.fail(field, "too_long", format!("最多 {max} 個字"));
        return None;
    }
    errors.check(check_plain_text(field, value))?;
    Some(value.to_owned())
}

/// Checks a partner form; the code only when creating.
fn partner_fields(input: &PartnerInput, code: Option<&str>) -> Result<PartnerFields, FieldErrors> {
    let mut errors = Collector::default();
    let code = match code {
        Some(code) => Some(code.to_owned()),
        None => errors.check(parse_partner_code("code", input.code.trim())),
    };
    let name = text(&mut errors, "name", &input.name, 100);
    let kind = errors.check(PartnerKind::from_code(input.kind.trim()).ok_or_else(|| {
        FieldErrors::single(
            "kind",
            "invalid_kind",
            "種類必須是 county_system（縣市系統）或 platform（合作平臺）",
        )
    }));
    let county = errors.check(
        input
            .county_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| CountyCode::parse_field("county_code", c).map(|c| c.as_str().to_owned()))
            .transpose(),
    );
    let unit = errors.check(
        input
            .unit_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| UnitCode::parse_field("unit_code", c).map(|c| c.as_str().to_owned()))
            .transpose(),
    );
    if kind == Some(PartnerKind::CountySystem) && county.as_ref().is_some_and(Option::is_none) {
        errors.fail("county_code", "required", "縣市系統必須指定所代表的縣市");
    }
    if input.needs_confirmation && county.as_ref().is_some_and(Option::is_none) {
        errors.fail(
            "needs_confirmation",
            "county_required",
            "須經縣市確認的紀錄必須有所屬縣市",
        );
    }
    let items = errors.check(parse_items(&input.items));
    let allow_list = errors.check(AllowList::parse(&input.allow_list));
    if allow_list.as_ref().is_some_and(AllowList::is_empty) {
        errors.fail("allow_list", "required", "至少要有一個允許的位址或網段");
    }
    if !(1..=MAX_RATE).contains(&input.rate_per_minute) {
        errors.fail(
            "rate_per_minute",
            "out_of_range",
            format!("每分鐘呼叫次數須為 1 到 {MAX_RATE}"),
        );
    }
    let contact_name = text(&mut errors, "contact_name", &input.contact_name, 50);
    let contact_email = errors.check(check_email("contact_email", input.contact_email.trim()));
    let contact_phone = errors.check(check_phone("contact_phone", input.contact_phone.trim()));
    errors.finish_with(|| {
        Some(PartnerFields {
            code: code?,
            name: name?,
            kind: kind?.code().to_owned(),
            county_code: county?,
            unit_code: unit?,
            items: items?.iter().map(|i| i.code().to_owned()).collect(),
            needs_confirmation: input.needs_confirmation,
            allow_list: allow_list?.entries(),
            rate_per_minute: input.rate_per_minute,
            contact_name: contact_name?,
            contact_email: contact_email?,
            contact_phone: contact_phone?,
            enabled: input.enabled,
        })
    })
}

fn key_dto(key: &PartnerKey) -> PartnerKeyDto {
    PartnerKeyDto {
        id: key.id,
        label: key.label.clone(),
        prefix: key.prefix.clone(),
        created_at: taipei_time(key.created_at),
        revoked_at: key.revoked_at.map(taipei_time),
        last_used_at: key.last_used_at.map(taipei_time),
        last_used_ip: key.last_used_ip.clone(),
    }
}

pub(crate) fn partner_dto(partner: &Partner) -> PartnerDto {
    let f = &partner.fields;
    let today = taipei_today(Utc::now());
    PartnerDto {
        id: partner.id,
        code: f.code.clone(),
        name: f.name.clone(),
        kind: f.kind.clone(),
        kind_label: PartnerKind::from_code(&f.kind)
            .map(|k| k.label().to_owned())
            .unwrap_or_default(),
        county_code: f.county_code.clone(),
        unit_code: f.unit_code.clone(),
        items: f.items.clone(),
        needs_confirmation: f.needs_confirmation,
        allow_list: f.allow_list.clone(),
        rate_per_minute: f.rate_per_minute,
        contact_name: f.contact_name.clone(),
        contact_email: f.contact_email.clone(),
        contact_phone: f.contact_phone.clone(),
        contact_confirmed_on: partner.contact_confirmed_on,
        contact_due_on: contact_due(partner.contact_confirmed_on),
        contact_light: contact_light(partner.contact_confirmed_on, today)
            .code()
            .to_owned(),
        enabled: f.enabled,
        keys: partner.keys.iter().map(key_dto).collect(),
        created_at: taipei_time(partner.created_at),
    }
}

fn partner_error(error: PartnerError) -> AppError {
    match error {
        PartnerError::DuplicateCode => AppError::Conflict {
            code: ProblemCode::PartnerExists,
            detail: "已有相同代碼的合作系統。".into(),
        },
        PartnerError::NotFound => not_found(),
        PartnerError::Storage(e) => e.into(),
    }
}

pub(crate) fn not_found() -> AppError {
    AppError::NotFound {
        code: ProblemCode::PartnerNotFound,
        detail: "找不到此合作系統。".into(),
    }
}

/// Every registered partner system with its keys (never the keys themselves); a county
/// bureau sees its county's partners, without their keys.
#[utoipa::path(
    tag = "exchange",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The partners, by code.", body = PartnerListDto),
        (status = 401, response = Unauthenticated),
        (status = 403, description = "Neither the national centre nor a county bureau.", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/exchange/partners")]
pub async fn list(
    state: web::Data<AppState>,
    actor: Actor,
) -> AppResult<web::Json<PartnerListDto>> {
    let partners = state.db.partners().await?;
    if is_partner_admin(&actor) {
        let items = partners.iter().map(partner_dto).collect();
        return Ok(web::Json(PartnerListDto { items }));
    }
    let county = bureau_county(&state, &actor).await?;
    let items = partners
        .into_iter()
        .filter(|p| p.fields.county_code.as_deref() == Some(county.as_str()))
        .map(|p| {
            let mut dto = partner_dto(&p);
            dto.keys.clear();
            dto
        })
        .collect();
    Ok(web::Json(PartnerListDto { items }))
}

/// Registers a partner system.
#[utoipa::path(
    tag = "exchange",
    security(("bearer" = [])),
    request_body = PartnerInput,
    responses(
        (status = 201, description = "Registered.", body = PartnerDto),
        (status = 400, description = "A field failed its check.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = NotNationalAdmin),
        (status = 409, description = "The code is taken (`partner_exists`).", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/exchange/partners")]
pub async fn create(
    state: web::Data<AppState>,
    _admin: PartnerAdmin,
    body: web::Json<PartnerInput>,
) -> AppResult<HttpResponse> {
    let fields = partner_fields(&body, None)?;
    let partner = state
        .db
        .create_partner(&fields, Utc::now())
        .await
        .map_err(partner_error)?;
    Ok(HttpResponse::Created().json(partner_dto(&partner)))
}

/// Changes a partner system (its code stays).
#[utoipa::path(
    tag = "exchange",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "The partner's id.")),
    request_body = PartnerInput,
    responses(
        (status = 200, description = "Changed.", body = PartnerDto),
        (status = 400, description = "A field failed its check.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = NotNationalAdmin),
        (status = 404, description = "No such partner (`partner_not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[put("/api/v1/exchange/partners/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    _admin: PartnerAdmin,
    path: web::Path<i32>,
    body: web::Json<PartnerInput>,
) -> AppResult<web::Json<PartnerDto>> {
    let id = path.into_inner();
    let current = state.db.partner(id).await?.ok_or_else(not_found)?;
    let fields = partner_fields(&body, Some(&current.fields.code))?;
    let partner = state
        .db
        .update_partner(id, &fields, Utc::now())
        .await
        .map_err(partner_error)?;
    Ok(web::Json(partner_dto(&partner)))
}

/// Records that the partner's contacts were re-confirmed today (the yearly check).
#[utoipa::path(
    tag = "exchange",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "The partner's id.")),
    responses(
        (status = 200, description = "Confirmed.", body = PartnerDto),
        (status = 401, response = Unauthenticated),
        (status = 403, response = NotNationalAdmin),
        (status = 404, description = "No such partner (`partner_not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/exchange/partners/{id}/contacts-confirmation")]
pub async fn confirm_contacts(
    state: web::Data<AppState>,
    _admin: PartnerAdmin,
    path: web::Path<i32>,
) -> AppResult<web::Json<PartnerDto>> {
    let now = Utc::now();
    let partner = state
        .db
        .confirm_partner_contacts(path.into_inner(), taipei_today(now), now)
        .await
        .map_err(partner_error)?;
    Ok(web::Json(partner_dto(&partner)))
}

/// Issues an API key. The key is in this answer only: it is stored as a hash.
#[utoipa::path(
    tag = "exchange",
    security(("bearer" = [])),
    params(("id" = i32, Path, description = "The partner's id.")),
    request_body = NewKeyInput,
    responses(
        (status = 201, description = "The key, shown once.", body = IssuedKeyDto),
        (status = 400, description = "The label failed its check.", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = NotNationalAdmin),
        (status = 404, description = "No such partner (`partner_not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/exchange/partners/{id}/keys")]
pub async fn issue_key(
    state: web::Data<AppState>,
    admin: PartnerAdmin,
    path: web::Path<i32>,
    body: web::Json<NewKeyInput>,
) -> AppResult<HttpResponse> {
    let mut errors = Collector::default();
    let label = text(&mut errors, "label", &body.label, 50);
    let label = errors.finish_with(|| label)?;
    let (secret, prefix, hash) = new_key();
    let key = state
        .db
        .add_partner_key(
            path.into_inner(),
            &label,
            &prefix,
            &hash,
            Some(admin.0.account_id),
            Utc::now(),
        )
        .await
        .map_err(partner_error)?;
    Ok(HttpResponse::Created().json(IssuedKeyDto {
        key: key_dto(&key),
        secret,
    }))
}

/// Revokes a key: calls with it are refused (401 `api_key_revoked`) from now on.
#[utoipa::path(
    tag = "exchange",
    security(("bearer" = [])),
    params(
        ("id" = i32, Path, description = "The partner's id."),
        ("key_id" = i32, Path, description = "The key's id."),
    ),
    responses(
        (status = 200, description = "Revoked (or already revoked).", body = PartnerKeyDto),
        (status = 401, response = Unauthenticated),
        (status = 403, response = NotNationalAdmin),
        (status = 404, description = "No such key of the partner (`key_not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/v1/exchange/partners/{id}/keys/{key_id}/revocation")]
pub async fn revoke_key(
    state: web::Data<AppState>,
    _admin: PartnerAdmin,
    path: web::Path<(i32, i32)>,
) -> AppResult<web::Json<PartnerKeyDto>> {
    let (id, key_id) = path.into_inner();
    let key = state
        .db
        .revoke_partner_key(id, key_id, Utc::now())
        .await
        .map_err(|e| match e {
            PartnerError::NotFound => AppError::NotFound {
                code: ProblemCode::KeyNotFound,
                detail: "此合作系統沒有這把金鑰。".into(),
            },
            other => partner_error(other),
        })?;
    Ok(web::Json(key_dto(&key)))
}

fn denial_dto(d: Denial) -> DenialDto {
    DenialDto {
        at: taipei_time(d.at),
        partner_code: d.partner_code,
        ip: d.ip,
        path: d.path,
        reason: d.reason,
    }
}

/// The latest 200 calls refused before they reached the exchange.
#[utoipa::path(
    tag = "exchange",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Newest first.", body = DenialListDto),
        (status = 401, response = Unauthenticated),
        (status = 403, response = NotNationalAdmin),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/v1/exchange/denials")]
pub async fn denials(
    state: web::Data<AppState>,
    _admin: PartnerAdmin,
) -> AppResult<web::Json<DenialListDto>> {
    let items = state
        .db
        .denials(None, 200)
        .await?
        .into_iter()
        .map(denial_dto)
        .collect();
    Ok(web::Json(DenialListDto { items }))
}
