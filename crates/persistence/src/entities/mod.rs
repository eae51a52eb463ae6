//! sea-orm entities: private to the crate, mapped to plain records before leaving it.

pub mod attribute_tag;
pub mod county;
pub mod course_form_option;
pub mod level;
pub mod taxonomy_item;
pub mod unit;
