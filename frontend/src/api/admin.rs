//! National-centre administration: the audit log and the development mailbox.

use gloo_net::http::Request;
use serde::Deserialize;

use super::accounts::{answer, bearer};
use super::{ApiError, BASE, List, Page, send};

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    #[serde(default)]
    pub actor_account_id: Option<i64>,
    pub actor_role: String,
    pub action: String,
    pub target_kind: String,
    #[serde(default)]
    pub target_id: Option<String>,
    pub summary: String,
    #[serde(default)]
    pub ip: Option<String>,
}

/// The audit-log search; blank filters are left out of the query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    pub actor: String,
    pub action: String,
    pub target: String,
    pub page: u64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Mail {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub created_at: String,
}

pub async fn audit_log(
    token: String,
    filter: AuditFilter,
    per_page: u64,
) -> Result<Page<AuditEntry>, ApiError> {
    let params = [
        ("actor", filter.actor),
        ("action", filter.action),
        ("target", filter.target),
        ("page", filter.page.max(1).to_string()),
        ("per_page", per_page.to_string()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty());
    let request = Request::get(&format!("{BASE}/audit-log")).query(params);
    answer(send(bearer(request, &token)).await?).await
}

/// The development mailbox; 404 in production.
pub async fn mailbox(token: String) -> Result<List<Mail>, ApiError> {
    let request = Request::get(&format!("{BASE}/dev/mailbox"));
    answer(send(bearer(request, &token)).await?).await
}
