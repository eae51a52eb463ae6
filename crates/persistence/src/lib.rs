//! Everything the platform stores, behind repositories that speak the domain's types.
//!
//! The sea-orm entities stay private to this crate: callers receive plain records defined here,
//! so a schema change never ripples into the API's wire types.

pub mod accounts;
pub mod audit;
pub mod backup;
pub mod courses;
mod database;
mod demo;
pub mod enrollments;
mod entities;
pub mod exchange;
pub mod outbox;
pub mod records;
pub mod reference;
pub mod secrets;
pub mod units;

pub use database::{Database, DatabaseKind, PoolStatus, StorageError};
pub use demo::{
    DEMO_ACCOUNTS, DEMO_COURSES, DEMO_PASSWORD, DemoAccount, DemoSummary, seed_demo,
    seed_demo_accounts, seed_demo_courses, seed_demo_records,
};
