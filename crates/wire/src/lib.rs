//! The API's request and response types (`/api/v1`), shared by the server and the single-page
//! app, so a field added here reaches both or fails to compile. Each field's doc comment is its
//! OpenAPI description. No I/O, no server types: this crate also builds for wasm32.

mod account;
mod course;
mod course_admin;
mod enrollment;
mod exchange;
mod problem;
mod query;
mod records;
mod reference;

pub use account::*;
pub use course::*;
pub use course_admin::*;
pub use enrollment::*;
pub use exchange::*;
pub use problem::*;
pub use query::*;
pub use records::*;
pub use reference::*;

/// A file's raw bytes: the whole request body of an upload.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(#[allow(dead_code)] Vec<u8>);
