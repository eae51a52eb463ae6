//! Wire types. Each field's doc comment is its OpenAPI description.

mod account;
mod course;
mod course_admin;
mod enrollment;
mod records;
mod reference;

pub use account::*;
pub use course::*;
pub use course_admin::*;
pub use enrollment::*;
pub use records::*;
pub use reference::*;

/// A file's raw bytes: the whole request body of an upload.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(#[allow(dead_code)] Vec<u8>);
