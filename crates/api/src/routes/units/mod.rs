//! Units: administration by the national centre, a unit's teachers, the lights of unclosed
//! courses.

pub mod admin;
pub mod dashboard;
pub mod teachers;
