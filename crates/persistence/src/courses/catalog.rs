//! The reference data a course form is validated against, read in one go.

use std::collections::HashMap;

use chrono::NaiveDate;
use inservice_domain::Stage;
use inservice_domain::course::{Catalog, TagState};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};

use crate::entities::{attribute_tag, subject_area, taxonomy_item};
use crate::{Database, StorageError};

/// 課程性質: one education stage–domain–subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectArea {
    pub code: String,
    pub stage: Stage,
    pub domain: String,
    pub subject: Option<String>,
}

impl SubjectArea {
    /// `國民中學–自然科學–理化`, or without the subject where the domain has none.
    pub fn label(&self) -> String {
        match &self.subject {
            Some(subject) => format!("{}–{}–{}", self.stage.label(), self.domain, subject),
            None => format!("{}–{}", self.stage.label(), self.domain),
        }
    }
}

/// Subject areas, selectable taxonomy items and tag states, as of `today`.
#[derive(Debug, Clone, Default)]
pub struct CourseCatalog {
    subjects: HashMap<String, Stage>,
    items: HashMap<(Stage, String), String>,
    tags: HashMap<i32, TagState>,
}

impl Catalog for CourseCatalog {
    fn subject_stage(&self, code: &str) -> Option<Stage> {
        self.subjects.get(code).copied()
    }

    fn item_category(&self, stage: Stage, code: &str) -> Option<String> {
        self.items.get(&(stage, code.to_owned())).cloned()
    }

    fn tag(&self, id: i32) -> TagState {
        self.tags.get(&id).copied().unwrap_or(TagState::Unknown)
    }
}

fn stage(code: &str) -> Result<Stage, StorageError> {
    code.parse()
        .map_err(|_| StorageError::Corrupt(format!("unknown stage {code} in reference data")))
}

pub(crate) async fn subject_areas(
    conn: &impl ConnectionTrait,
) -> Result<Vec<SubjectArea>, StorageError> {
    subject_area::Entity::find()
        .order_by_asc(subject_area::Column::Position)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| {
            Ok(SubjectArea {
                stage: stage(&row.stage)?,
                code: row.code,
                domain: row.domain,
                subject: row.subject,
            })
        })
        .collect()
}

pub(crate) async fn load(
    conn: &impl ConnectionTrait,
    today: NaiveDate,
) -> Result<CourseCatalog, StorageError> {
    let subjects = subject_areas(conn)
        .await?
        .into_iter()
        .map(|area| (area.code, area.stage))
        .collect();
    let mut items = HashMap::new();
    for row in taxonomy_item::Entity::find().all(conn).await? {
        let stage = stage(&row.stage)?;
        // An item, or a subcategory that lists no items, can be chosen.
        let selectable = row.item_code.or(row.subcategory_code);
        if let Some(code) = selectable {
            items.insert((stage, code), row.category_code);
        }
    }
    let tags = attribute_tag::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|tag| {
            let retired = tag.retired_on.is_some_and(|day| day <= today);
            let state = if retired {
                TagState::Retired
            } else {
                TagState::Active
            };
            (tag.id, state)
        })
        .collect();
    Ok(CourseCatalog {
        subjects,
        items,
        tags,
    })
}

impl Database {
    /// The reference data course forms are checked against.
    pub async fn course_catalog(&self, today: NaiveDate) -> Result<CourseCatalog, StorageError> {
        load(&self.conn, today).await
    }

    /// Every 課程性質 in reference order.
    pub async fn subject_areas(&self) -> Result<Vec<SubjectArea>, StorageError> {
        subject_areas(&self.conn).await
    }
}
