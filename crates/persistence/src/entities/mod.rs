//! sea-orm entities: private to the crate, mapped to plain records before leaving it.

pub mod account;
pub mod amendment;
pub mod attendance;
pub mod attribute_tag;
pub mod audit_entry;
pub mod calendar_feed;
pub mod county;
pub mod course;
pub mod course_attachment;
pub mod course_event;
pub mod course_favourite;
pub mod course_form_option;
pub mod course_tag;
pub mod enrollment;
pub mod feedback_answer;
pub mod feedback_paper;
pub mod level;
pub mod mail;
pub mod password_reset;
pub mod refresh_token;
pub mod subject_area;
pub mod taxonomy_item;
pub mod training_record;
pub mod transcript;
pub mod unit;
pub mod unit_history;
