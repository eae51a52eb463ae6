//! National-centre administration: the audit log and the development mailbox.

use inservice_wire::{AuditPage, MailList};

use super::{ApiError, Client};

/// The audit-log search; blank filters are left out of the query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    pub actor: String,
    pub action: String,
    pub target: String,
    pub page: u64,
}

pub async fn audit_log(
    client: &Client,
    filter: &AuditFilter,
    per_page: u64,
) -> Result<AuditPage, ApiError> {
    let params = [
        ("actor", filter.actor.clone()),
        ("action", filter.action.clone()),
        ("target", filter.target.clone()),
        ("page", filter.page.max(1).to_string()),
        ("per_page", per_page.to_string()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty());
    client.get("/audit-log").query(params).fetch().await
}

/// The development mailbox; 404 in production.
pub async fn mailbox(client: &Client) -> Result<MailList, ApiError> {
    client.get("/dev/mailbox").fetch().await
}
