//! The `inservice` server as a library, so end-to-end tests start exactly what the binary starts.

pub mod config;
pub mod exchange;
pub mod jobs;
pub mod startup;

pub use config::{Config, ConfigError, Environment};
pub use startup::{Application, StartupError};
