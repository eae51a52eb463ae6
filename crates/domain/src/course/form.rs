//! The 26-field course registration form (研習課程登錄表, seed 002 附件四) as a typed value, and
//! its validation with a precise message for every field.

use chrono::{DateTime, NaiveDate, Utc};

use self::fields::half_hours;
use self::parts::{about, audience, class_type, dates, running, teaching};
use super::ClassType;
use super::codes::{self, CodeList};
use super::schedule::{self, Session, SessionInput};
use crate::enrollment::Allocation;
use crate::validation::Collector;
use crate::{FieldErrors, Stage};

#[path = "form_fields.rs"]
mod fields;
#[path = "form_parts.rs"]
mod parts;

/// The reference data a form is checked against (loaded from the database by the caller).
pub trait Catalog {
    /// The taxonomy stage of a 課程性質 (stage–domain–subject) code, if the code exists.
    fn subject_stage(&self, code: &str) -> Option<Stage>;
    /// The category of a selectable detail item of `stage` (an item, or a subcategory that has
    /// no items), if `code` is one.
    fn item_category(&self, stage: Stage, code: &str) -> Option<String>;
    /// Whether a tag exists, and whether it is still in use.
    fn tag(&self, id: i32) -> TagState;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagState {
    Active,
    Retired,
    Unknown,
}

/// A contact person (承辦人, field 25).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub phone: String,
    pub email: String,
}

/// The form as submitted: free text and codes, checked by [`validate`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CourseInput {
    pub class_type: String,
    pub credits: Option<u32>,
    pub nature: String,
    pub document_number: Option<String>,
    pub name: String,
    pub tag_ids: Vec<i32>,
    pub subject_area: String,
    pub category: String,
    pub items: Vec<String>,
    pub level: Option<u8>,
    pub instructor_name: String,
    pub instructor_kind: String,
    pub outline: String,
    pub modes: Vec<String>,
    pub mode_other: Option<String>,
    pub remote_software: Vec<String>,
    pub remote_software_other: Option<String>,
    pub time_slots: Vec<String>,
    pub hours: Option<f64>,
    pub target_stages: Vec<String>,
    pub target_titles: Vec<String>,
    pub target_title_other: Option<String>,
    pub registration_opens_at: String,
    pub registration_closes_at: String,
    pub sessions: Vec<SessionInput>,
    pub venue: String,
    pub schedule_note: Option<String>,
    pub funding_sources: Vec<String>,
    pub subsidy_amount: Option<u32>,
    pub fee_kind: String,
    pub fee_amount: Option<u32>,
    pub classes: Option<u32>,
    pub places_per_class: Option<u32>,
    pub contacts: Vec<Contact>,
    pub feedback: String,
    /// `first_come` (default) or `lottery`.
    pub allocation: String,
    /// Enrollments wait for the organiser's acceptance.
    pub review_enrollments: bool,
}

/// A complete, valid course form.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseForm {
    pub class_type: ClassType,
    pub credits: Option<u32>,
    pub nature: String,
    pub document_number: Option<String>,
    pub name: String,
    pub tag_ids: Vec<i32>,
    pub subject_area: String,
    /// The taxonomy stage, from the 課程性質.
    pub stage: Stage,
    pub category: String,
    pub items: Vec<String>,
    pub level: u8,
    pub instructor_name: String,
    pub instructor_kind: String,
    pub outline: String,
    pub modes: Vec<String>,
    pub mode_other: Option<String>,
    pub remote_software: Vec<String>,
    pub remote_software_other: Option<String>,
    pub time_slots: Vec<String>,
    /// Hours in half-hour steps (field 13), or 18 per credit for credit classes.
    pub half_hours: u32,
    pub target_stages: Vec<String>,
    pub target_titles: Vec<String>,
    pub target_title_other: Option<String>,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    pub sessions: Vec<Session>,
    pub venue: String,
    pub schedule_note: Option<String>,
    pub funding_sources: Vec<String>,
    pub subsidy_amount: Option<u32>,
    pub fee_kind: String,
    pub fee_amount: Option<u32>,
    pub classes: u32,
    pub places_per_class: u32,
    pub contacts: Vec<Contact>,
    pub feedback: String,
    /// How places are handed out.
    pub allocation: Allocation,
    /// Enrollments wait for the organiser's acceptance.
    pub review_enrollments: bool,
}

impl CourseForm {
    // A valid form has at least one session; without one (never after `validate`) the course
    // is taken to start when registration closes.

    pub fn start_date(&self) -> NaiveDate {
        self.sessions
            .first()
            .map_or_else(|| self.registration_close_date(), |s| s.date)
    }

    pub fn end_date(&self) -> NaiveDate {
        self.sessions
            .last()
            .map_or_else(|| self.registration_close_date(), |s| s.date)
    }

    /// When the first session starts.
    pub fn starts_at(&self) -> DateTime<Utc> {
        self.sessions
            .first()
            .map_or(self.registration_closes_at, Session::start)
    }

    fn registration_close_date(&self) -> NaiveDate {
        schedule::taipei_today(self.registration_closes_at)
    }

    /// Places: classes × places per class.
    pub fn capacity(&self) -> u32 {
        self.classes * self.places_per_class
    }

    pub fn is_digital(&self) -> bool {
        self.modes.iter().any(|m| m == codes::DIGITAL_MODE)
    }
}

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_OUTLINE_CHARS: usize = 4000;
pub const MAX_TAGS: usize = 3;
pub const MAX_ITEMS: usize = 10;
pub const MAX_HOURS: f64 = 400.0;
pub const MAX_CREDITS: u32 = 40;
pub const MAX_CLASSES: u32 = 50;
pub const MAX_PLACES_PER_CLASS: u32 = 2000;
/// The category whose content is not subdivided (實用知能與生活素養): no detail items.
pub const UNDIVIDED_CATEGORY: &str = "6";
pub const CATEGORIES: CodeList = &[
    ("1", "課程、教學及評量"),
    ("2", "班級經營與輔導"),
    ("3", "專業發展與責任"),
    ("4", "新興教育政策"),
    ("5", "學校行政與領導"),
    ("6", "實用知能與生活素養"),
];

/// Checks every field of the form and returns all problems at once. `kept_tags` are the tags
/// the course already has (they stay valid after being retired).
pub fn validate(
    input: &CourseInput,
    catalog: &impl Catalog,
    kept_tags: &[i32],
) -> Result<CourseForm, FieldErrors> {
    let mut e = Collector::default();
    let class_type = e.check(class_type(input));
    let about = about(&mut e, input, catalog, kept_tags);
    let (teaching, digital) = teaching(&mut e, input);
    let hours = e.check(half_hours(input, class_type));
    let audience = audience(&mut e, input);
    let dates = dates(&mut e, input, hours, digital);
    let running = running(&mut e, input);
    e.finish_with(|| {
        let (credits, half_hours) = hours?;
        let (about, teaching, audience) = (about?, teaching?, audience?);
        let (dates, running) = (dates?, running?);
        Some(CourseForm {
            class_type: class_type?,
            credits,
            nature: about.nature,
            document_number: about.document_number,
            name: about.name,
            tag_ids: about.tag_ids,
            subject_area: input.subject_area.trim().to_owned(),
            stage: about.stage,
            category: about.category,
            items: about.items,
            level: about.level,
            instructor_name: teaching.instructor_name,
            instructor_kind: teaching.instructor_kind,
            outline: teaching.outline,
            modes: teaching.modes,
            mode_other: teaching.mode_other,
            remote_software: teaching.remote_software,
            remote_software_other: teaching.remote_software_other,
            time_slots: teaching.time_slots,
            half_hours,
            target_stages: audience.target_stages,
            target_titles: audience.target_titles,
            target_title_other: audience.target_title_other,
            registration_opens_at: dates.opens,
            registration_closes_at: dates.closes,
            sessions: dates.sessions,
            venue: running.venue,
            schedule_note: running.schedule_note,
            funding_sources: running.funding_sources,
            subsidy_amount: input.subsidy_amount,
            fee_kind: running.fee_kind,
            fee_amount: running.fee_amount,
            classes: running.classes,
            places_per_class: running.places,
            contacts: running.contacts,
            feedback: running.feedback,
            allocation: running.allocation,
            review_enrollments: input.review_enrollments,
        })
    })
}

#[cfg(test)]
#[path = "form_tests.rs"]
mod tests;
