//! Tables of reference data: counties, units, the course taxonomy, levels, form options, tags.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("counties")
                    .col(string_len("code", 5).primary_key())
                    .col(string("name"))
                    .col(string("name_en"))
                    .col(integer("position"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("units")
                    .col(pk_auto("id"))
                    .col(string_len_uniq("code", 32))
                    .col(string("name"))
                    .col(string_len("kind", 40))
                    .col(string_len_null("county_code", 5))
                    .col(string_len_null("parent_code", 32))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_units_county")
                            .from("units", "county_code")
                            .to("counties", "code"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_units_parent")
                            .from("units", "parent_code")
                            .to("units", "code"),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_units_county", "county_code"),
            ("idx_units_kind", "kind"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("units")
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("taxonomy_items")
                    .col(pk_auto("id"))
                    .col(string_len("stage", 20))
                    .col(integer("position"))
                    .col(string_len("category_code", 4))
                    .col(string("category_name"))
                    .col(string_len_null("subcategory_code", 10))
                    .col(string_null("subcategory_name"))
                    .col(string_len_null("item_code", 12))
                    .col(string_null("item_name"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_taxonomy_stage_position")
                    .table("taxonomy_items")
                    .col("stage")
                    .col("position")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("levels")
                    .col(integer("code").primary_key())
                    .col(string("name"))
                    .col(string("verbs"))
                    .col(text("definition"))
                    .col(text("verb_definitions"))
                    .col(text("suggested_participants"))
                    .col(string("example_course_code"))
                    .col(text("example_course_name"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("course_form_options")
                    .col(pk_auto("id"))
                    .col(integer("field_no"))
                    .col(string("field_name"))
                    .col(string_len("input_kind", 10))
                    .col(integer("position"))
                    .col(string_len_null("option_code", 10))
                    .col(string_null("option_label"))
                    .col(text_null("note"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("attribute_tags")
                    .col(pk_auto("id"))
                    .col(string_uniq("name"))
                    .col(text_null("definition"))
                    .col(date_null("added_on"))
                    .col(date_null("retired_on"))
                    .col(string_null("definition_updated_on"))
                    .col(text("source"))
                    .to_owned(),
            )
            .await
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
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
