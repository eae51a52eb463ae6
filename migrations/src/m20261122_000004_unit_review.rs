//! Who runs each unit (national, local, private) and, where the national centre moved it, which
//! unit reviews it instead of the one Art. 11 names.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("units")
                    .add_column(string_len("ownership", 10).default("local"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("units")
                    .add_column(string_len_null("reviewer_code", 32))
                    .to_owned(),
            )
            .await?;
        // The ministry, the national centre and 國教署 are national bodies.
        manager
            .exec_stmt(
                Query::update()
                    .table("units")
                    .value("ownership", "national")
                    .and_where(
                        Expr::col("county_code")
                            .is_null()
                            .or(Expr::col("code").eq("national-centre")),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["reviewer_code", "ownership"] {
            manager
                .alter_table(Table::alter().table("units").drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
