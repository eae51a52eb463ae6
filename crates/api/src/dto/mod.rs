//! Wire types. Each field's doc comment is its OpenAPI description.

mod account;
mod reference;

pub use account::*;
pub use reference::*;
