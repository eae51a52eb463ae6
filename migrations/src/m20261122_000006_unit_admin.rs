//! Unit contact data, closing and merging, and the history of every change to a unit.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            string_len_null("address", 200),
            string_len_null("phone", 30),
            string_len_null("email", 254),
            string_len("status", 10).default("open").to_owned(),
            string_len_null("successor_code", 32),
            date_null("closed_on"),
        ] {
            manager
                .alter_table(Table::alter().table("units").add_column(column).to_owned())
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("unit_history")
                    .col(pk_auto("id"))
                    .col(string_len("unit_code", 32))
                    .col(timestamp_with_time_zone("at"))
                    .col(integer_null("actor_account_id"))
                    .col(string_len("change", 30))
                    .col(text("before"))
                    .col(text("after"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_unit_history_unit")
                    .table("unit_history")
                    .col("unit_code")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("unit_history").to_owned())
            .await?;
        for column in [
            "closed_on",
            "successor_code",
            "status",
            "email",
            "phone",
            "address",
        ] {
            manager
                .alter_table(Table::alter().table("units").drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
