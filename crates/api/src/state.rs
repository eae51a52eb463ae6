//! The state every handler shares: the database, keys, caches and throttles.

use std::sync::Arc;

use inservice_persistence::Database;
use inservice_persistence::secrets::IdentityVault;

use crate::{auth, throttle};

/// The partner code the preschool platform is registered under unless configured otherwise.
pub const PRESCHOOL_PARTNER: &str = "preschool";

/// State shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub db: Database,
    pub auth: auth::AuthKeys,
    /// Open sessions as the database last said, remembered for a few seconds.
    pub sessions: Arc<auth::SessionCache>,
    pub vault: IdentityVault,
    /// Attempt limits and lockouts, and the proxies trusted to name the client.
    pub throttles: Arc<throttle::Throttles>,
    /// The public base URL (for links in e-mails), without a trailing slash.
    pub public_url: String,
    /// Development conveniences (the readable mailbox) are on.
    pub development: bool,
    /// Each partner system's call rate.
    pub partner_rates: Arc<crate::partner_auth::PartnerRates>,
    /// The partner code of the preschool platform (its monthly export).
    pub preschool_partner: String,
}

impl AppState {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        db: Database,
        jwt_secret: &[u8],
        previous_jwt_secrets: &[&[u8]],
        data_key: &[u8],
        public_url: String,
        development: bool,
        trusted_proxies: throttle::TrustedProxies,
    ) -> Self {
        Self {
            db,
            auth: auth::AuthKeys::new(jwt_secret, previous_jwt_secrets, &public_url, !development),
            sessions: Arc::new(auth::SessionCache::default()),
            vault: IdentityVault::new(data_key),
            throttles: Arc::new(throttle::Throttles::new(trusted_proxies)),
            public_url: public_url.trim_end_matches('/').to_owned(),
            development,
            partner_rates: Arc::default(),
            preschool_partner: PRESCHOOL_PARTNER.to_owned(),
        }
    }
}
