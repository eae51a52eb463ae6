//! Database migrations: the schema and the reference data the product ships with.
//!
//! Reference tables are copied from the project's source documents into `data/` (UTF-8 CSV) and
//! embedded in the binary, so a fresh database is complete without reading anything at run time.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_reference_schema;
mod m20261122_000002_reference_data;
mod m20261122_000003_accounts;
mod m20261122_000004_unit_review;
mod m20261122_000005_idle_accounts;
mod m20261122_000006_unit_admin;
mod m20261122_000007_unit_requests;
mod m20261123_000008_subject_areas;
mod m20261123_000009_courses;
mod m20261123_000010_enrollments;
mod m20261123_000011_records;
mod m20261123_000012_search_bigrams;
mod m20261201_000013_account_hardening;
mod m20261202_000014_exchange;
mod reference;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_reference_schema::Migration),
            Box::new(m20261122_000002_reference_data::Migration),
            Box::new(m20261122_000003_accounts::Migration),
            Box::new(m20261122_000004_unit_review::Migration),
            Box::new(m20261122_000005_idle_accounts::Migration),
            Box::new(m20261122_000006_unit_admin::Migration),
            Box::new(m20261122_000007_unit_requests::Migration),
            Box::new(m20261123_000008_subject_areas::Migration),
            Box::new(m20261123_000009_courses::Migration),
            Box::new(m20261123_000010_enrollments::Migration),
            Box::new(m20261123_000011_records::Migration),
            Box::new(m20261123_000012_search_bigrams::Migration),
            Box::new(m20261201_000013_account_hardening::Migration),
            Box::new(m20261202_000014_exchange::Migration),
        ]
    }
}
