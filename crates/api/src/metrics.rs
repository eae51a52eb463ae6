//! Prometheus metrics at `GET /metrics`: request counts and latency histograms labelled by route
//! pattern (`/api/v1/courses/{code}`, never the raw path, which can hold tokens), method and
//! status, through `actix-web-prom`; and, read at each scrape, the connection pool and the mail
//! outbox's depth.
//!
//! With a token configured the scrape needs `Authorization: Bearer <token>`; without one the
//! endpoint is open in development and answers 404 in production, so a forgotten setting never
//! publishes the figures.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use actix_web_prom::{PrometheusMetrics, PrometheusMetricsBuilder};
use prometheus::{Encoder, IntGauge, Registry, TextEncoder};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::AppError;
use crate::error::ProblemCode;

const NAMESPACE: &str = "inservice";

/// Who may scrape.
#[derive(Debug, Clone)]
enum Access {
    Open,
    /// The SHA-256 of the token: comparing digests keeps the comparison's time independent of
    /// how much of a guess is right.
    Token([u8; 32]),
    Off,
}

/// The registry of one server and the gauges filled at each scrape.
pub struct Metrics {
    registry: Registry,
    access: Access,
    pool_size: IntGauge,
    pool_idle: IntGauge,
    pool_max: IntGauge,
    outbox_depth: IntGauge,
    database_up: IntGauge,
}

fn gauge(registry: &Registry, name: &str, help: &str) -> Result<IntGauge, prometheus::Error> {
    let gauge = IntGauge::with_opts(prometheus::Opts::new(name, help).namespace(NAMESPACE))?;
    registry.register(Box::new(gauge.clone()))?;
    Ok(gauge)
}

impl Metrics {
    pub fn new(token: Option<&str>, production: bool) -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let access = match token {
            Some(token) => Access::Token(Sha256::digest(token.as_bytes()).into()),
            None if production => Access::Off,
            None => Access::Open,
        };
        Ok(Self {
            pool_size: gauge(
                &registry,
                "db_pool_connections",
                "Open database connections, busy or idle.",
            )?,
            pool_idle: gauge(
                &registry,
                "db_pool_idle_connections",
                "Idle database connections.",
            )?,
            pool_max: gauge(
                &registry,
                "db_pool_max_connections",
                "The pool's connection limit.",
            )?,
            outbox_depth: gauge(
                &registry,
                "mail_outbox_depth",
                "Messages waiting in the mail outbox (queued or to retry).",
            )?,
            database_up: gauge(
                &registry,
                "database_up",
                "1 when the database answered the last scrape's query.",
            )?,
            registry,
            access,
        })
    }

    /// The middleware that counts and times every request into this registry.
    pub fn middleware(
        &self,
    ) -> Result<PrometheusMetrics, Box<dyn std::error::Error + Send + Sync>> {
        PrometheusMetricsBuilder::new(NAMESPACE)
            .registry(self.registry.clone())
            // Requests no route matched are counted under one label, not their path.
            .mask_unmatched_patterns("UNMATCHED")
            .build()
    }

    fn allows(&self, req: &HttpRequest) -> bool {
        match &self.access {
            Access::Open => true,
            Access::Off => false,
            Access::Token(expected) => req
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .is_some_and(|given| {
                    <[u8; 32]>::from(Sha256::digest(given.trim().as_bytes())) == *expected
                }),
        }
    }
}

/// The Prometheus text exposition of this server's metrics.
#[get("/metrics")]
pub async fn scrape(
    req: HttpRequest,
    metrics: Option<web::Data<Metrics>>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let Some(metrics) = metrics.filter(|m| !matches!(m.access, Access::Off)) else {
        return Err(AppError::NotFound {
            code: ProblemCode::RouteNotFound,
            detail: "沒有這個路徑：/metrics".into(),
        });
    };
    if !metrics.allows(&req) {
        return Err(AppError::Unauthenticated {
            detail: "需要 metrics 權杖（Authorization: Bearer …）。".into(),
        });
    }
    let pool = state.db.pool_status();
    metrics.pool_size.set(pool.size.into());
    metrics.pool_idle.set(pool.idle.into());
    metrics.pool_max.set(pool.max.into());
    // A scrape during an outage still answers, with the database marked down.
    let depth =
        tokio::time::timeout(std::time::Duration::from_secs(3), state.db.outbox_depth()).await;
    match depth {
        Ok(Ok(depth)) => {
            metrics
                .outbox_depth
                .set(i64::try_from(depth).unwrap_or(i64::MAX));
            metrics.database_up.set(1);
        }
        _ => metrics.database_up.set(0),
    }
    let mut body = Vec::new();
    TextEncoder::new()
        .encode(&metrics.registry.gather(), &mut body)
        .map_err(|e| AppError::Internal(format!("cannot encode the metrics: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(body))
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    #[test]
    fn a_configured_token_is_required_and_production_without_one_is_closed() {
        let token = "metrics-token-that-is-long-enough-0123";
        let guarded = Metrics::new(Some(token), true).unwrap();
        let with = |value: &str| {
            TestRequest::default()
                .insert_header((header::AUTHORIZATION, value))
                .to_http_request()
        };
        assert!(guarded.allows(&with(&format!("Bearer {token}"))));
        assert!(!guarded.allows(&with("Bearer metrics-token-that-is-long-enough-0124")));
        assert!(!guarded.allows(&TestRequest::default().to_http_request()));
        let closed = Metrics::new(None, true).unwrap();
        assert!(matches!(closed.access, Access::Off));
        let open = Metrics::new(None, false).unwrap();
        assert!(open.allows(&TestRequest::default().to_http_request()));
    }
}
