//! Wire types around courses: subject areas, automatic approval, the tag list's administration.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// 課程性質: an education stage–domain–subject of the 108 curriculum (course-form field 4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SubjectAreaDto {
    /// Code, e.g. `J0402`.
    #[schema(example = "J0402")]
    pub code: String,
    /// Taxonomy stage: `kindergarten`, `elementary`, `junior_high` or `senior_high`.
    pub stage: String,
    /// Domain (領域), e.g. `自然科學`.
    pub domain: String,
    /// Subject (科目), e.g. `理化`; absent where the domain is not split.
    pub subject: Option<String>,
    /// Full label, e.g. `國民中學–自然科學–理化`.
    pub label: String,
}

/// Every subject area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SubjectAreaList {
    /// In reference order, by stage.
    pub items: Vec<SubjectAreaDto>,
    /// How many.
    pub total: u64,
}

/// A regional centre's automatic-approval switches (自動審核).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct AutoApprovalDto {
    /// Approve qualifying courses at once: schools, kindergartens and training centres,
    /// non-credit classes, with a document number.
    pub courses: bool,
    /// Confirm the rosters of such courses at once.
    pub rosters: bool,
}

/// A new attribute tag.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct NewTag {
    /// Name, up to 20 characters, unique.
    #[schema(example = "閱讀素養")]
    pub name: String,
    /// Definition: which courses it applies to (up to 1000 characters).
    pub definition: String,
}

/// A new definition of a tag.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct TagDefinition {
    /// The definition (up to 1000 characters).
    pub definition: String,
}
