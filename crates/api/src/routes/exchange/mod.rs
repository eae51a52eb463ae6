//! The partner exchange (資訊傳報): the partner registry, batches in the exchange format (JSON,
//! XML, xlsx) with dry runs and reports, the exchange log, retrieval by cursor, the back-end
//! counties' monthly confirmation, suspected duplicates and the preschool export.

pub mod base_data;
pub mod batches;
pub mod counting;
pub mod partners;
pub mod preschool;
pub mod retrieval;

use inservice_domain::authorize::{Action, Target};
use inservice_persistence::exchange::Partner;

use crate::AppState;
use crate::auth::Actor;
use crate::error::{AppError, AppResult, ProblemCode};
use crate::partner_auth::ExchangeCaller;

/// A national-centre administrator of the exchange, checked before the body is read.
pub struct PartnerAdmin(pub Actor);

impl actix_web::FromRequest for PartnerAdmin {
    type Error = AppError;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        crate::auth::actor_future(
            req,
            |actor| actor.authorize(Action::AdministerPartners, &Target::Nothing),
            PartnerAdmin,
        )
    }
}

/// Whether the actor administers the exchange nationally.
pub(crate) fn is_partner_admin(actor: &Actor) -> bool {
    actor
        .authorize(Action::AdministerPartners, &Target::Nothing)
        .is_ok()
}

/// Refuses staff who neither administer the exchange nor work at a county bureau.
pub(crate) async fn exchange_staff(state: &AppState, actor: &Actor) -> AppResult<()> {
    if !is_partner_admin(actor) {
        bureau_county(state, actor).await?;
    }
    Ok(())
}

/// The county a bureau's staff member works for, when they may operate its exchange.
pub(crate) async fn bureau_county(state: &AppState, actor: &Actor) -> AppResult<String> {
    let unit = actor.unit_code.clone().unwrap_or_default();
    actor.authorize(Action::OperateCountyExchange, &Target::Unit(&unit))?;
    state
        .db
        .unit_ref(&unit)
        .await?
        .and_then(|u| u.county_code)
        .ok_or_else(|| AppError::Forbidden {
            code: ProblemCode::NotPermitted,
            detail: "此單位沒有所屬縣市。".into(),
        })
}

/// The partner a call acts for: a partner's own key, or a staff member naming a partner they
/// may act for (any, for the national centre; its county's, for a bureau).
pub(crate) async fn acting_partner(
    state: &AppState,
    caller: &ExchangeCaller,
    named: Option<&str>,
) -> AppResult<(Partner, Option<i32>, Option<i32>)> {
    match caller {
        ExchangeCaller::Partner(p) => Ok((p.partner.clone(), None, Some(p.key.id))),
        ExchangeCaller::Staff(actor) => {
            // Who may act for any partner at all is settled before what they asked for.
            let county = if is_partner_admin(actor) {
                None
            } else {
                Some(bureau_county(state, actor).await?)
            };
            let code = named
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .ok_or_else(|| {
                    AppError::Validation(inservice_domain::FieldErrors::single(
                        "partner",
                        "required",
                        "請指定合作系統代碼（partner）",
                    ))
                })?;
            let partner = state
                .db
                .partner_by_code(code)
                .await?
                .ok_or_else(partners::not_found)?;
            if let Some(county) = county
                && partner.fields.county_code.as_deref() != Some(county.as_str())
            {
                return Err(AppError::Forbidden {
                    code: ProblemCode::NotPermitted,
                    detail: "只能代本縣市的合作系統作業。".into(),
                });
            }
            Ok((partner, Some(actor.account_id), None))
        }
    }
}
