//! 課程性質 (education stage–domain–subject, course-form field 4): the sources do not list it, so
//! `data/subject_areas.csv` derives it from the 108 curriculum (see the README for the sources).

use sea_orm_migration::{prelude::*, schema::*};

use crate::reference::{self, SubjectAreaRecord};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("subject_areas")
                    .col(string_len("code", 8).primary_key())
                    .col(string_len("stage", 20))
                    .col(string("domain"))
                    .col(string_null("subject"))
                    .col(integer("position"))
                    .col(text("source"))
                    .to_owned(),
            )
            .await?;
        let rows: Vec<SubjectAreaRecord> = reference::read(reference::SUBJECT_AREAS_CSV)
            .map_err(|e| DbErr::Migration(format!("subject_areas.csv is malformed: {e}")))?;
        let mut insert = Query::insert()
            .into_table("subject_areas")
            .columns(["code", "stage", "domain", "subject", "position", "source"])
            .to_owned();
        for (position, row) in rows.into_iter().enumerate() {
            insert.values_panic([
                row.code.into(),
                row.stage.into(),
                row.domain.into(),
                row.subject.into(),
                (position as i32).into(),
                row.source.into(),
            ]);
        }
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("subject_areas").to_owned())
            .await
    }
}
