//! Accounts: sign-up, sessions and passwords, the signed-in account, business accounts.

pub mod auth;
pub mod business;
pub mod me;
