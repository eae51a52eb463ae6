//! Wire types of the reference endpoints. Each field's doc comment is its OpenAPI description.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A county or city (縣市).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CountyDto {
    /// Administrative division code, five digits, e.g. `63000`.
    #[schema(example = "63000")]
    pub code: String,
    /// Name in Traditional Chinese, e.g. `臺北市`.
    #[schema(example = "臺北市")]
    pub name: String,
    /// English name, e.g. `Taipei City`.
    #[schema(example = "Taipei City")]
    pub name_en: String,
}

/// The complete list of counties and cities, in the official order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CountyList {
    /// Every county and city.
    pub items: Vec<CountyDto>,
    /// Number of items (always 22).
    pub total: u64,
}

/// A unit: a ministry, centre, bureau, school or other body that takes part in the network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UnitDto {
    /// The unit's public code (單位代碼).
    #[schema(example = "bureau-63000")]
    pub code: String,
    /// The unit's full name in Traditional Chinese.
    #[schema(example = "臺北市政府教育局")]
    pub name: String,
    /// Kind of unit (snake_case code), e.g. `county_bureau`, `junior_high`.
    #[schema(example = "county_bureau")]
    pub kind: String,
    /// Name of the kind in Traditional Chinese.
    #[schema(example = "縣市政府教育局(處)")]
    pub kind_label: String,
    /// Whether the unit is a regional centre (區管中心) that reviews other units' courses.
    pub is_regional_centre: bool,
    /// The county or city the unit is in; absent for national bodies.
    pub county: Option<CountyDto>,
    /// Code of the unit this one belongs to (e.g. a school's bureau); absent at the top.
    pub parent_code: Option<String>,
    /// Who runs it: `national`, `local` or `private`.
    pub ownership: String,
    /// Code of the unit that reviews its courses and rosters (regulations Art. 11).
    pub reviewer_code: String,
    /// Postal address.
    pub address: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Contact e-mail.
    pub email: Option<String>,
    /// `open`, or `closed` once closed or merged.
    pub status: String,
    /// For a merged unit: the unit it was merged into.
    pub successor_code: Option<String>,
    /// The date it closed.
    pub closed_on: Option<NaiveDate>,
}

/// One page of units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UnitPage {
    /// The units on this page.
    pub items: Vec<UnitDto>,
    /// Number of units matching the filter, over all pages.
    pub total: u64,
    /// This page's number, counting from 1.
    pub page: u64,
    /// The page size used.
    pub per_page: u64,
}

/// The taxonomy of one education stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TaxonomyDto {
    /// Stage code: `kindergarten`, `elementary`, `junior_high` or `senior_high`.
    #[schema(example = "junior_high")]
    pub stage: String,
    /// Stage name in Traditional Chinese.
    #[schema(example = "國民中學")]
    pub stage_label: String,
    /// Number of detail items (課程細項) over all categories.
    #[schema(example = 118)]
    pub item_count: u64,
    /// The six study categories (進修範疇) with their subcategories and items.
    pub categories: Vec<TaxonomyCategoryDto>,
}

/// A study category (進修範疇).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TaxonomyCategoryDto {
    /// Category number, `1` to `6`.
    #[schema(example = "1")]
    pub code: String,
    /// Category name, e.g. `課程、教學及評量`.
    pub name: String,
    /// Subcategories; empty for category 6, whose content is not subdivided.
    pub subcategories: Vec<TaxonomySubcategoryDto>,
}

/// A subcategory of a study category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TaxonomySubcategoryDto {
    /// Subcategory code, e.g. `1-2`.
    #[schema(example = "1-2")]
    pub code: String,
    /// Subcategory name.
    pub name: String,
    /// Detail items; empty where the source lists none (e.g. the 4-x policy topics).
    pub items: Vec<TaxonomyItemDto>,
}

/// A course detail item (課程細項).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TaxonomyItemDto {
    /// Item code, e.g. `1-2-3`; `…-99` is 其他 (other).
    #[schema(example = "1-2-3")]
    pub code: String,
    /// Item name.
    pub name: String,
}

/// A course level (進修階層).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LevelDto {
    /// Level number, 1 to 4.
    #[schema(example = 1)]
    pub code: i32,
    /// Level name, e.g. `第一階基礎`.
    pub name: String,
    /// The verbs that characterise the level, e.g. `瞭解、熟悉`.
    pub verbs: String,
    /// What courses at this level focus on.
    pub definition: String,
    /// Definitions of the verbs.
    pub verb_definitions: String,
    /// Who should attend courses at this level.
    pub suggested_participants: String,
    /// Code of an example course from the source document.
    pub example_course_code: String,
    /// Name of that example course.
    pub example_course_name: String,
}

/// The four levels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LevelList {
    /// Levels in order.
    pub items: Vec<LevelDto>,
    /// Number of levels.
    pub total: u64,
}

/// The code lists of the 26-field course registration form (研習課程登錄表).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CourseFormOptions {
    /// The form's fields in order, with their options.
    pub fields: Vec<CourseFormFieldDto>,
    /// The remote-teaching software a digital course (`11-6`) names (seed 001: 提案二 決議).
    pub remote_software: Vec<CourseFormOptionDto>,
}

/// One field of the course registration form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CourseFormFieldDto {
    /// Field number on the form, 1 to 26.
    #[schema(example = 1)]
    pub field_no: i32,
    /// Field name, e.g. `班別類別`.
    pub name: String,
    /// Form section: `course` (課程訊息, 1–13), `registration` (報名資訊, 14–20), `other` (其他, 21–26).
    pub section: String,
    /// How the field is filled: `single`, `multi`, `text`, `number`, `date` or `file`.
    pub input_kind: String,
    /// The coded options; empty for free input and for fields whose choices come from another
    /// list (field 4 stage–domain–subject, field 6 the taxonomy).
    pub options: Vec<CourseFormOptionDto>,
    /// For free-input fields: what to enter, from the form.
    pub input_hint: Option<String>,
}

/// A coded option of a form field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CourseFormOptionDto {
    /// Option code, e.g. `1-2`.
    #[schema(example = "1-2")]
    pub code: String,
    /// Option label, e.g. `非學分班 (校本研習)`.
    pub label: Option<String>,
    /// Remarks from the form (e.g. the exact wording with its blank).
    pub note: Option<String>,
}

/// An attribute tag (屬性標籤) that courses can carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TagDto {
    /// Tag id.
    pub id: i32,
    /// Tag name, e.g. `國際教育`.
    pub name: String,
    /// The tag's definition, when the national centre has recorded one.
    pub definition: Option<String>,
    /// `active`, or `retired` once it may no longer be applied to new courses.
    pub status: String,
    /// Date the tag was introduced, when known.
    pub added_on: Option<NaiveDate>,
    /// Date the tag was retired, when it was.
    pub retired_on: Option<NaiveDate>,
    /// Dates on which the definition was revised.
    pub definition_updated_on: Vec<NaiveDate>,
    /// The source document the tag is recorded in.
    pub source: String,
}

/// The attribute tags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TagList {
    /// Tags in the order they were recorded.
    pub items: Vec<TagDto>,
    /// Number of tags listed.
    pub total: u64,
}

/// The service's health.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok`: the server answers (the database's state is in `database`).
    #[schema(example = "ok")]
    pub status: String,
    /// The version of the running server.
    #[schema(example = "0.1.0")]
    pub version: String,
    /// The database's state.
    pub database: DatabaseHealth,
}

/// The database as the server sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DatabaseHealth {
    /// `ok` when a query succeeded, otherwise `unavailable`.
    #[schema(example = "ok")]
    pub status: String,
    /// The engine: `sqlite` or `postgresql`.
    #[schema(example = "sqlite")]
    pub engine: String,
    /// Migrations not yet applied (0 on a healthy server); absent when the database is down.
    pub pending_migrations: Option<u64>,
}

/// A unit as the national centre creates or edits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UnitInput {
    /// Unit name.
    #[schema(example = "臺北市立示範國民小學")]
    pub name: String,
    /// Kind code, e.g. `elementary`.
    #[schema(example = "elementary")]
    pub kind: String,
    /// County code; absent for national bodies.
    #[schema(example = "63000")]
    pub county_code: Option<String>,
    /// `national`, `local` or `private`.
    #[schema(example = "local")]
    pub ownership: String,
    /// Postal address.
    pub address: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Contact e-mail.
    pub email: Option<String>,
}

/// A new unit: its code and its facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NewUnit {
    /// The unit code (the MOE school code for schools).
    #[schema(example = "353601")]
    pub code: String,
    /// The unit's facts.
    #[serde(flatten)]
    pub unit: UnitInput,
}

/// A unit's own contact data; omitted (or null) fields stay as they are, an empty string clears one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UnitContactInput {
    /// Postal address.
    pub address: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Contact e-mail.
    pub email: Option<String>,
}

/// Closing a unit, or merging it into a successor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UnitClosing {
    /// Why (e.g. 裁併).
    pub reason: String,
    /// For a merger: the unit that takes over its teachers and accounts.
    pub successor_code: Option<String>,
}

/// Moving a unit to another reviewing authority.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReviewerTransfer {
    /// Code of the new reviewing unit (a regional centre or the national centre).
    #[schema(example = "k12ea-senior-high")]
    pub reviewer_code: String,
}

/// One change in a unit's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UnitHistoryDto {
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
    /// Who (account id).
    pub actor_account_id: Option<i32>,
    /// `create`, `update`, `contact`, `close`, `merge`, `reviewer`, `import_add`, `import_change`, `import_close`.
    pub change: String,
    /// The unit before the change (JSON).
    pub before: String,
    /// The unit after the change (JSON).
    pub after: String,
}

/// The history of a unit, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UnitHistoryList {
    /// Changes.
    pub items: Vec<UnitHistoryDto>,
    /// Number of changes.
    pub total: u64,
}

/// What a directory import did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImportReportDto {
    /// Codes of units added.
    pub added: Vec<String>,
    /// Codes of units whose data changed.
    pub changed: Vec<String>,
    /// Codes of units closed.
    pub closed: Vec<String>,
    /// Rows that matched the stored data.
    pub unchanged: u64,
}
