//! The wire types (crate `inservice-wire`, shared with the SPA) and their mapping from what is
//! stored.

mod convert;

pub use convert::*;
pub use inservice_wire::*;
