//! Read access to the reference data: counties, units, taxonomy, levels, form options and tags.

use std::collections::HashMap;

use chrono::NaiveDate;
use inservice_domain::review::{Ownership, reviewing_authority};
use inservice_domain::taxonomy::TaxonomyRow;
use inservice_domain::{CountyCode, PageRequest, Stage, UnitCode, UnitKind, search};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::entities::{attribute_tag, county, course_form_option, level, taxonomy_item, unit};
use crate::{Database, StorageError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct County {
    pub code: String,
    pub name: String,
    pub name_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub county: Option<County>,
    pub parent_code: Option<String>,
    pub ownership: Ownership,
    /// The unit that reviews this one's courses (Art. 11, or as transferred).
    pub reviewer_code: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// `open` or `closed`.
    pub status: String,
    /// The unit a closed unit was merged into.
    pub successor_code: Option<String>,
    pub closed_on: Option<NaiveDate>,
}

/// Criteria of a unit search; every criterion is optional and they combine with AND.
#[derive(Debug, Clone, Default)]
pub struct UnitFilter {
    pub county: Option<CountyCode>,
    pub kind: Option<UnitKind>,
    /// Part of the unit's name, matched anywhere in it.
    pub name: Option<String>,
}

/// One page of a list and the size of the whole list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    pub code: i32,
    pub name: String,
    pub verbs: String,
    pub definition: String,
    pub verb_definitions: String,
    pub suggested_participants: String,
    pub example_course_code: String,
    pub example_course_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseFormOption {
    pub field_no: i32,
    pub field_name: String,
    /// `single`, `multi`, `text`, `number`, `date` or `file`.
    pub input_kind: String,
    pub option_code: Option<String>,
    pub option_label: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeTag {
    pub id: i32,
    pub name: String,
    pub definition: Option<String>,
    pub added_on: Option<NaiveDate>,
    pub retired_on: Option<NaiveDate>,
    pub definition_updated_on: Vec<NaiveDate>,
    pub source: String,
}

fn county_record(model: county::Model) -> County {
    County {
        code: model.code,
        name: model.name,
        name_en: model.name_en,
    }
}

/// Escapes LIKE wildcards so a user's `%` or `_` matches itself.
fn contains_pattern(text: &str) -> LikeExpr {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

impl Database {
    pub async fn counties(&self) -> Result<Vec<County>, StorageError> {
        let rows = county::Entity::find()
            .order_by_asc(county::Column::Position)
            .all(&self.conn)
            .await?;
        Ok(rows.into_iter().map(county_record).collect())
    }

    async fn county_map(&self) -> Result<HashMap<String, County>, StorageError> {
        Ok(self
            .counties()
            .await?
            .into_iter()
            .map(|c| (c.code.clone(), c))
            .collect())
    }

    fn unit_record(
        model: unit::Model,
        counties: &HashMap<String, County>,
    ) -> Result<Unit, StorageError> {
        let corrupt = |what: &str| {
            StorageError::Corrupt(format!("unit {} has an unknown {what}", model.code))
        };
        let kind: UnitKind = model.kind.parse().map_err(|_| corrupt("kind"))?;
        let ownership =
            Ownership::from_code(&model.ownership).ok_or_else(|| corrupt("ownership"))?;
        let county_code = model
            .county_code
            .as_deref()
            .and_then(|c| CountyCode::parse_field("county", c).ok());
        let reviewer_code = model.reviewer_code.clone().unwrap_or_else(|| {
            reviewing_authority(kind, ownership, county_code.as_ref()).unit_code(&model.code)
        });
        Ok(Unit {
            county: model
                .county_code
                .as_ref()
                .and_then(|code| counties.get(code).cloned()),
            code: model.code,
            name: model.name,
            kind,
            parent_code: model.parent_code,
            ownership,
            reviewer_code,
            address: model.address,
            phone: model.phone,
            email: model.email,
            status: model.status,
            successor_code: model.successor_code,
            closed_on: model.closed_on,
        })
    }

    /// Units matching `filter`, in reference order (central bodies, then bureaus, then schools).
    pub async fn units(
        &self,
        filter: &UnitFilter,
        page: PageRequest,
    ) -> Result<Page<Unit>, StorageError> {
        let mut query = unit::Entity::find();
        if let Some(county) = &filter.county {
            query = query.filter(unit::Column::CountyCode.eq(county.as_str()));
        }
        if let Some(kind) = filter.kind {
            query = query.filter(unit::Column::Kind.eq(kind.code()));
        }
        let variants = search::keyword_variants(filter.name.as_deref().unwrap_or_default());
        if !variants.is_empty() {
            let mut any = Condition::any();
            for variant in &variants {
                any = any.add(Expr::col(unit::Column::Name).like(contains_pattern(variant)));
            }
            query = query.filter(any);
        }
        let total = query.clone().count(&self.conn).await?;
        let rows = query
            .order_by_asc(unit::Column::Id)
            .offset(page.offset())
            .limit(page.per_page)
            .all(&self.conn)
            .await?;
        let counties = self.county_map().await?;
        let items = rows
            .into_iter()
            .map(|row| Self::unit_record(row, &counties))
            .collect::<Result<_, _>>()?;
        Ok(Page { items, total })
    }

    pub async fn unit_by_code(&self, code: &UnitCode) -> Result<Option<Unit>, StorageError> {
        let Some(row) = unit::Entity::find()
            .filter(unit::Column::Code.eq(code.as_str()))
            .one(&self.conn)
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(Self::unit_record(row, &self.county_map().await?)?))
    }

    /// The taxonomy rows of one stage in their reference order.
    pub async fn taxonomy(&self, stage: Stage) -> Result<Vec<TaxonomyRow>, StorageError> {
        let rows = taxonomy_item::Entity::find()
            .filter(taxonomy_item::Column::Stage.eq(stage.code()))
            .order_by_asc(taxonomy_item::Column::Position)
            .all(&self.conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| TaxonomyRow {
                category_code: row.category_code,
                category_name: row.category_name,
                subcategory_code: row.subcategory_code,
                subcategory_name: row.subcategory_name,
                item_code: row.item_code,
                item_name: row.item_name,
            })
            .collect())
    }

    pub async fn levels(&self) -> Result<Vec<Level>, StorageError> {
        let rows = level::Entity::find()
            .order_by_asc(level::Column::Code)
            .all(&self.conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| Level {
                code: row.code,
                name: row.name,
                verbs: row.verbs,
                definition: row.definition,
                verb_definitions: row.verb_definitions,
                suggested_participants: row.suggested_participants,
                example_course_code: row.example_course_code,
                example_course_name: row.example_course_name,
            })
            .collect())
    }

    /// Every option of the course registration form, in form order.
    pub async fn course_form_options(&self) -> Result<Vec<CourseFormOption>, StorageError> {
        let rows = course_form_option::Entity::find()
            .order_by_asc(course_form_option::Column::Position)
            .all(&self.conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| CourseFormOption {
                field_no: row.field_no,
                field_name: row.field_name,
                input_kind: row.input_kind,
                option_code: row.option_code,
                option_label: row.option_label,
                note: row.note,
            })
            .collect())
    }

    pub async fn attribute_tags(&self) -> Result<Vec<AttributeTag>, StorageError> {
        let rows = attribute_tag::Entity::find()
            .order_by_asc(attribute_tag::Column::Id)
            .all(&self.conn)
            .await?;
        rows.into_iter()
            .map(|row| {
                let definition_updated_on = row
                    .definition_updated_on
                    .as_deref()
                    .unwrap_or_default()
                    .split(';')
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(|d| {
                        NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                            StorageError::Corrupt(format!("tag {} has bad date {d}", row.id))
                        })
                    })
                    .collect::<Result<_, _>>()?;
                Ok(AttributeTag {
                    id: row.id,
                    name: row.name,
                    definition: row.definition,
                    added_on: row.added_on,
                    retired_on: row.retired_on,
                    definition_updated_on,
                    source: row.source,
                })
            })
            .collect()
    }
}
