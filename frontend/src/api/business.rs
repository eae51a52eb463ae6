//! Business accounts (業務帳號): applying for one, and the approvers' queue and decisions.

use inservice_wire::{
    AccountTypeBody, BusinessAccountDto, BusinessAccountList, BusinessApplication, QueueQuery,
    ReasonBody,
};

use super::client::public_post;
use super::{ApiError, Client};

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

/// The empty body of the decisions that need no input (approve, enable).
pub async fn apply_business(form: &BusinessApplication) -> Result<BusinessAccountDto, ApiError> {
    public_post("/accounts/business").json(form).fetch().await
}

pub async fn business_accounts(
    client: &Client,
    status: &str,
) -> Result<BusinessAccountList, ApiError> {
    client
        .get("/business-accounts")
        .query_of(&QueueQuery {
            status: Some(status.to_owned()),
        })
        .fetch()
        .await
}

/// Carries out a decision; the changed account, or `None` once deleted.
pub async fn decide(
    client: &Client,
    id: i32,
    decision: &Decision,
) -> Result<Option<BusinessAccountDto>, ApiError> {
    let url = format!("/business-accounts/{id}");
    let reason = |reason: &String| ReasonBody {
        reason: reason.clone(),
    };
    let call = match decision {
        Decision::Approve => client
            .post(&format!("{url}/approve"))
            .json(&inservice_wire::NoBody {}),
        Decision::Reject(r) => client.post(&format!("{url}/reject")).json(&reason(r)),
        Decision::Retype(account_type) => {
            client.post(&format!("{url}/type")).json(&AccountTypeBody {
                account_type: account_type.clone(),
            })
        }
        Decision::Disable(r) => client.post(&format!("{url}/disable")).json(&reason(r)),
        Decision::Enable => client
            .post(&format!("{url}/enable"))
            .json(&inservice_wire::NoBody {}),
        Decision::Delete => {
            client.delete(&url).done().await?;
            return Ok(None);
        }
    };
    call.fetch().await.map(Some)
}
