//! Route handlers, grouped by resource as `persistence` is. Each is thin: parse, authorize, ask
//! the domain or a repository, map to wire types. `table` lists every operation once.

pub mod accounts;
pub mod admin;
pub mod courses;
pub mod enrollments;
pub mod exchange;
pub mod health;
pub(crate) mod params;
pub mod records;
pub mod reference;
pub(crate) mod table;
pub mod units;
pub(crate) mod xlsx;
