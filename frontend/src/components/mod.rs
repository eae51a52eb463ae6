pub mod app_link;
pub mod pagination;
pub mod reference;
pub mod status;
