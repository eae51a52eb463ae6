//! Units: the public search, one unit, and what the national centre and a unit's managers change.

use inservice_wire::{
    ImportReportDto, NewUnit, ReviewerTransfer, UnitClosing, UnitContactInput, UnitDto,
    UnitHistoryList, UnitInput, UnitPage, UnitsQuery,
};
use serde::{Deserialize, Serialize};

use super::client::public_get;
use super::{ApiError, Client, segment};

/// Unit kinds (`kind` → label), in the order of the reference list.
pub const UNIT_KINDS: [(&str, &str); 19] = [
    ("moe", "教育部"),
    ("national_centre", "全國推廣中心"),
    ("k12_administration", "教育部國民及學前教育署"),
    ("k12_division", "國教署業務組"),
    ("county_bureau", "縣市政府教育局(處)"),
    ("curriculum_task_force", "課程推動工作圈"),
    ("teacher_education_university", "師資培育之大學"),
    ("university", "大專校院"),
    ("senior_high", "高級中等學校"),
    ("vocational_high", "技術型高級中等學校"),
    ("junior_high", "國民中學"),
    ("elementary", "國民小學"),
    ("kindergarten", "幼兒園"),
    ("special_education_school", "特殊教育學校"),
    ("experimental_education", "非學校型態實驗教育機構"),
    ("social_education_or_legal_person", "社教機構與法人"),
    ("subject_centre", "高中課程學科中心"),
    ("teacher_training_centre", "教師研習中心"),
    ("local_agency", "地方政府機關"),
];

/// 公私立.
pub const OWNERSHIPS: [(&str, &str); 3] = [
    ("national", "國立"),
    ("local", "公立（縣市立）"),
    ("private", "私立"),
];

pub fn ownership_label(code: &str) -> &str {
    OWNERSHIPS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, label)| label)
}

/// What the SPA asks of a unit.
pub trait UnitExt {
    fn is_closed(&self) -> bool;
}

impl UnitExt for UnitDto {
    fn is_closed(&self) -> bool {
        self.status == "closed"
    }
}

/// The units page's filter, kept in its URL (numbers typed), sent as the wire `UnitsQuery`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub county: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u32>,
}

pub async fn search(filter: &UnitFilter) -> Result<UnitPage, ApiError> {
    let query = UnitsQuery {
        county: filter.county.clone(),
        kind: filter.kind.clone(),
        name: filter.name.clone(),
        page: filter.page.map(|n| n.to_string()),
        per_page: filter.per_page.map(|n| n.to_string()),
    };
    public_get("/units").query_of(&query).fetch().await
}

pub async fn unit(code: &str) -> Result<UnitDto, ApiError> {
    public_get(&format!("/units/{}", segment(code)))
        .fetch()
        .await
}

pub async fn create(client: &Client, unit: &NewUnit) -> Result<UnitDto, ApiError> {
    client.post("/units").json(unit).fetch().await
}

pub async fn update(client: &Client, code: &str, input: &UnitInput) -> Result<UnitDto, ApiError> {
    client
        .patch(&format!("/units/{}", segment(code)))
        .json(input)
        .fetch()
        .await
}

pub async fn update_contact(
    client: &Client,
    code: &str,
    contact: &UnitContactInput,
) -> Result<UnitDto, ApiError> {
    client
        .patch(&format!("/units/{}/contact", segment(code)))
        .json(contact)
        .fetch()
        .await
}

/// Closes a unit, or merges it into `successor_code`.
pub async fn close(
    client: &Client,
    code: &str,
    closing: &UnitClosing,
) -> Result<UnitDto, ApiError> {
    client
        .post(&format!("/units/{}/close", segment(code)))
        .json(closing)
        .fetch()
        .await
}

pub async fn set_reviewer(
    client: &Client,
    code: &str,
    transfer: &ReviewerTransfer,
) -> Result<UnitDto, ApiError> {
    client
        .post(&format!("/units/{}/reviewer", segment(code)))
        .json(transfer)
        .fetch()
        .await
}

pub async fn history(client: &Client, code: &str) -> Result<UnitHistoryList, ApiError> {
    client
        .get(&format!("/units/{}/history", segment(code)))
        .fetch()
        .await
}

/// The MIME type the import takes for a file name, by its extension.
pub fn import_type(file_name: &str) -> Option<&'static str> {
    let lower = file_name.to_lowercase();
    if lower.ends_with(".csv") {
        Some("text/csv")
    } else if lower.ends_with(".xlsx") {
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    } else {
        None
    }
}

/// Imports the school directory from a CSV or xlsx file's bytes.
pub async fn import(
    client: &Client,
    content_type: &'static str,
    file: Vec<u8>,
) -> Result<ImportReportDto, ApiError> {
    client
        .post("/units/import")
        .bytes(file, content_type)
        .fetch()
        .await
}
