//! The vocabulary and rules of the in-service teacher training network.
//!
//! Nothing in this crate performs I/O: every rule is a plain function over plain values, so it can
//! be tested exhaustively and reused by the API, the workers and the command line alike.

pub mod account;
pub mod approval;
pub mod authorize;
pub mod county;
pub mod course;
pub mod directory;
pub mod enrollment;
pub mod exchange;
pub mod feedback;
pub mod hours;
pub mod identity;
pub mod idle;
pub mod notice;
pub mod paging;
pub mod permission;
pub mod review;
pub mod roster;
pub mod search;
pub mod sign_in_sheet;
pub mod stage;
pub mod taxonomy;
pub mod transcript;
pub mod unit;
pub mod validation;

pub use county::CountyCode;
pub use paging::PageRequest;
pub use stage::Stage;
pub use unit::{UnitCode, UnitKind};
pub use validation::{FieldError, FieldErrors};
