pub mod app_link;
pub mod approval_row;
pub mod form;
pub mod pagination;
pub mod reference;
pub mod status;
