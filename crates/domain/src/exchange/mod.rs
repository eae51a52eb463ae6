//! The partner exchange (資訊傳報): partner systems (county systems, other platforms) send
//! training records in bulk and retrieve them.
//!
//! The format, version [`FORMAT_VERSION`], has one row per attendance record: a teacher, the
//! hours they earned and the course, whose columns repeat on every row of it. The same columns
//! serve CSV/XLSX (headers by key or zh-TW label) and JSON/XML (keys). Rows carry the partner's
//! own ids (`partner_course_id`, `partner_record_id`), so a batch sent again updates what it
//! sent before instead of adding to it: a batch is idempotent. A record already counted from
//! another source is recognised by [`same_course`].
//!
//! Everything here is pure; reading files, storing and calling partners is the callers' part.

pub mod allow_list;
pub mod base_data;
pub mod confirmation;
pub mod cursor;
pub mod duplicate;
pub mod format;
pub mod partner;
pub mod row;

pub use allow_list::{AllowList, Network};
pub use base_data::{BASE_COLUMNS, BaseRow, base_column, validate_base_row};
pub use confirmation::{YearMonth, confirmation_deadline, months_due};
pub use cursor::Cursor;
pub use duplicate::{RecordKey, same_course, similar_names};
pub use format::{
    Column, FORMAT_VERSION, HeaderMap, RECORD_COLUMNS, RawRow, column_by_header, map_header,
};
pub use partner::{
    CONTACT_REMINDER_DAYS, CONTACT_VALID_DAYS, CooperationItem, Light, PartnerKind, contact_due,
    contact_light, contact_reminder, parse_items, parse_partner_code,
};
pub use row::{CourseFacts, ExchangeRow, RecordFacts, parse_date, parse_half_hours, validate_row};
