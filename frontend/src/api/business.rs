//! Business accounts (業務帳號): applying for one, and the approvers' queue and decisions.

use gloo_net::http::Request;
use serde::{Deserialize, Serialize};

use super::accounts::{AccountUnit, answer, bearer, done, send_json};
use super::{ApiError, BASE, List, send};

/// Business account types with their labels.
pub const ACCOUNT_TYPES: [(&str, &str); 3] = [
    ("chief", "總負責人"),
    ("contact", "連絡人"),
    ("operator", "作業人員"),
];

pub fn account_type_label(code: &str) -> &str {
    ACCOUNT_TYPES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, label)| label)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BusinessApplication {
    pub account_name: String,
    pub password: String,
    pub real_name: String,
    pub national_id: String,
    pub email: String,
    pub phone: String,
    pub unit_code: String,
    pub account_type: String,
    pub accept_agreement: bool,
    pub accept_privacy: bool,
}

/// A business account as its approvers see it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BusinessAccount {
    pub id: i64,
    pub account_name: String,
    pub real_name: String,
    pub identity_masked: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub unit: Option<AccountUnit>,
    #[serde(default)]
    pub account_type: Option<String>,
    #[serde(default)]
    pub account_type_label: Option<String>,
    pub status: String,
    #[serde(default)]
    pub status_reason: Option<String>,
    pub created_at: String,
}

/// What an approver does with a business account.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Approve,
    Reject(String),
    Retype(String),
    Disable(String),
    Enable,
    Delete,
}

pub async fn apply_business(form: &BusinessApplication) -> Result<BusinessAccount, ApiError> {
    let url = format!("{BASE}/accounts/business");
    answer(send_json(Request::post(&url), form).await?).await
}

pub async fn business_accounts(
    token: String,
    status: &str,
) -> Result<List<BusinessAccount>, ApiError> {
    let request = Request::get(&format!("{BASE}/business-accounts")).query([("status", status)]);
    answer(send(bearer(request, &token)).await?).await
}

/// The JSON body of a decision: `{}`, `{reason}` or `{account_type}`.
#[derive(Serialize)]
#[serde(untagged)]
enum DecisionBody<'a> {
    Empty {},
    Reason { reason: &'a str },
    Type { account_type: &'a str },
}

/// Carries out a decision; the changed account, or `None` once deleted.
pub async fn decide(
    token: String,
    id: i64,
    decision: Decision,
) -> Result<Option<BusinessAccount>, ApiError> {
    let url = format!("{BASE}/business-accounts/{id}");
    let (action, body) = match &decision {
        Decision::Approve => ("approve", DecisionBody::Empty {}),
        Decision::Reject(reason) => ("reject", DecisionBody::Reason { reason }),
        Decision::Retype(account_type) => ("type", DecisionBody::Type { account_type }),
        Decision::Disable(reason) => ("disable", DecisionBody::Reason { reason }),
        Decision::Enable => ("enable", DecisionBody::Empty {}),
        Decision::Delete => {
            done(send(bearer(Request::delete(&url), &token)).await?).await?;
            return Ok(None);
        }
    };
    let request = bearer(Request::post(&format!("{url}/{action}")), &token);
    answer(send_json(request, &body).await?).await.map(Some)
}
