//! Loads the reference tables. Runs once per database, inside the migration's transaction.

use chrono::NaiveDate;
use sea_orm_migration::prelude::*;

use crate::reference::{self, CourseFormRecord, LevelRecord, TagRecord, TaxonomyRecord};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn csv_error(table: &str, error: csv::Error) -> DbErr {
    DbErr::Migration(format!("reference table {table} is malformed: {error}"))
}

fn iso_date(value: Option<&str>) -> Result<Option<NaiveDate>, DbErr> {
    value
        .map(|text| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|e| DbErr::Migration(format!("bad date {text:?}: {e}")))
        })
        .transpose()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut counties = Query::insert()
            .into_table("counties")
            .columns(["code", "name", "name_en", "position"])
            .to_owned();
        for (position, (code, name, name_en)) in reference::COUNTIES.iter().enumerate() {
            counties.values_panic([
                (*code).into(),
                (*name).into(),
                (*name_en).into(),
                (position as i32).into(),
            ]);
        }
        manager.exec_stmt(counties).await?;

        let mut units = Query::insert()
            .into_table("units")
            .columns(["code", "name", "kind", "county_code", "parent_code"])
            .to_owned();
        for (code, name, kind, county, parent) in reference::CENTRAL_UNITS {
            units.values_panic([
                code.into(),
                name.into(),
                kind.into(),
                county.into(),
                parent.into(),
            ]);
        }
        for (code, name, county) in reference::county_bureaus() {
            units.values_panic([
                code.into(),
                name.into(),
                "county_bureau".into(),
                Some(county).into(),
                Option::<String>::None.into(),
            ]);
        }
        manager.exec_stmt(units).await?;

        let taxonomy: Vec<TaxonomyRecord> =
            reference::read(reference::TAXONOMY_CSV).map_err(|e| csv_error("taxonomy", e))?;
        let mut insert = Query::insert()
            .into_table("taxonomy_items")
            .columns([
                "stage",
                "position",
                "category_code",
                "category_name",
                "subcategory_code",
                "subcategory_name",
                "item_code",
                "item_name",
            ])
            .to_owned();
        for (position, row) in taxonomy.into_iter().enumerate() {
            insert.values_panic([
                row.stage_code.into(),
                (position as i32).into(),
                row.category_code.into(),
                row.category_name.into(),
                row.subcategory_code.into(),
                row.subcategory_name.into(),
                row.item_code.into(),
                row.item_name.into(),
            ]);
        }
        manager.exec_stmt(insert).await?;

        let levels: Vec<LevelRecord> =
            reference::read(reference::LEVELS_CSV).map_err(|e| csv_error("levels", e))?;
        let mut insert = Query::insert()
            .into_table("levels")
            .columns([
                "code",
                "name",
                "verbs",
                "definition",
                "verb_definitions",
                "suggested_participants",
                "example_course_code",
                "example_course_name",
            ])
            .to_owned();
        for level in levels {
            insert.values_panic([
                level.level_code.into(),
                level.level_name.into(),
                level.verbs.into(),
                level.definition.into(),
                level.verb_definitions.into(),
                level.suggested_participants.into(),
                level.example_course_code.into(),
                level.example_course_name.into(),
            ]);
        }
        manager.exec_stmt(insert).await?;

        let options: Vec<CourseFormRecord> =
            reference::read(reference::COURSE_FORM_CSV).map_err(|e| csv_error("course_form", e))?;
        let mut insert = Query::insert()
            .into_table("course_form_options")
            .columns([
                "field_no",
                "field_name",
                "input_kind",
                "position",
                "option_code",
                "option_label",
                "note",
            ])
            .to_owned();
        for (position, option) in options.into_iter().enumerate() {
            insert.values_panic([
                option.field_no.into(),
                option.field_name.into(),
                option.multi.into(),
                (position as i32).into(),
                option.option_code.into(),
                option.option_label.into(),
                option.note.into(),
            ]);
        }
        manager.exec_stmt(insert).await?;

        // Implicit candidates are not tags the network ever defined (data/README.md).
        let tags: Vec<TagRecord> = reference::read(reference::ATTRIBUTE_TAGS_CSV)
            .map_err(|e| csv_error("attribute_tags", e))?;
        let mut insert = Query::insert()
            .into_table("attribute_tags")
            .columns([
                "name",
                "added_on",
                "retired_on",
                "definition_updated_on",
                "source",
            ])
            .to_owned();
        for tag in tags.into_iter().filter(|t| t.evidence == "explicit") {
            insert.values_panic([
                tag.tag_name.into(),
                iso_date(tag.added_date_iso.as_deref())?.into(),
                iso_date(tag.deleted_date_iso.as_deref())?.into(),
                tag.definition_updated_iso.into(),
                tag.source.into(),
            ]);
        }
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "attribute_tags",
            "course_form_options",
            "levels",
            "taxonomy_items",
            "units",
            "counties",
        ] {
            manager
                .exec_stmt(Query::delete().from_table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
