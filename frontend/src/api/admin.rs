//! National-centre administration: the audit log and the development mailbox.

use inservice_wire::{AuditPage, AuditQuery, MailList};

use super::{ApiError, Client};

/// The audit-log page's search, sent as the wire `AuditQuery`; blank filters are left out.
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
    let given = |v: &String| (!v.is_empty()).then(|| v.clone());
    let query = AuditQuery {
        actor: given(&filter.actor),
        action: given(&filter.action),
        target: given(&filter.target),
        page: Some(filter.page.max(1).to_string()),
        per_page: Some(per_page.to_string()),
    };
    client.get("/audit-log").query_of(&query).fetch().await
}

/// The development mailbox; 404 in production.
pub async fn mailbox(client: &Client) -> Result<MailList, ApiError> {
    client.get("/dev/mailbox").fetch().await
}
