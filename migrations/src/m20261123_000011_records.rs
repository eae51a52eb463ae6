//! After the course: attendance, the roster's submission and confirmation, the training
//! records they write, verifiable transcripts, amendments of closed courses, and the feedback
//! questionnaire.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(table: &'static str, column: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(to, "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

async fn unique(
    manager: &SchemaManager<'_>,
    table: &'static str,
    name: &str,
    cols: &[&'static str],
) -> Result<(), DbErr> {
    let mut index = Index::create().name(name).table(table).unique().to_owned();
    for col in cols {
        index.col(*col);
    }
    manager.create_index(index).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            timestamp_with_time_zone_null("roster_submitted_at"),
            boolean("roster_late").default(false).to_owned(),
            timestamp_with_time_zone_null("roster_returned_at"),
            text_null("roster_reason"),
            text_null("roster_flags"),
            timestamp_with_time_zone_null("closed_at"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("courses")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("attendance")
                    .col(pk_auto("id"))
                    .col(integer("course_id"))
                    .col(integer("account_id"))
                    .col(integer_null("enrollment_id"))
                    .col(string_len("status", 12))
                    // Per session: [unexcused minutes, leave minutes].
                    .col(text("sessions"))
                    .col(integer("half_hours"))
                    .col(boolean("walk_in").default(false))
                    .col(integer_null("updated_by"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("attendance", "course_id", "courses"))
                    .foreign_key(&mut fk("attendance", "account_id", "accounts"))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "attendance",
            "uq_attendance_course_account",
            &["course_id", "account_id"],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("training_records")
                    .col(pk_auto("id"))
                    .col(integer("account_id"))
                    .col(integer("course_id"))
                    .col(integer("half_hours"))
                    // [[date, half-hours], …]: when the hours were earned (for the caps).
                    .col(text("days"))
                    .col(string_len("course_name", 100))
                    .col(string_len("unit_code", 32))
                    .col(string("unit_name"))
                    .col(date("start_date"))
                    .col(date("end_date"))
                    .col(string_len("category", 2))
                    .col(string_len("stage", 20))
                    .col(string_len("class_type", 4))
                    .col(text("tags"))
                    .col(string_len("source", 20))
                    .col(timestamp_with_time_zone("confirmed_at"))
                    .col(integer_null("confirmed_by"))
                    .foreign_key(&mut fk("training_records", "account_id", "accounts"))
                    .foreign_key(&mut fk("training_records", "course_id", "courses"))
                    .to_owned(),
            )
            .await?;
        // A record is written once per teacher and course, however often a roster is confirmed.
        unique(
            manager,
            "training_records",
            "uq_training_records_account_course",
            &["account_id", "course_id"],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("transcripts")
                    .col(pk_auto("id"))
                    .col(string_len_uniq("code", 20))
                    .col(integer("account_id"))
                    .col(timestamp_with_time_zone("issued_at"))
                    .col(text("content"))
                    .col(string_len("sha256", 64))
                    .foreign_key(&mut fk("transcripts", "account_id", "accounts"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("amendments")
                    .col(pk_auto("id"))
                    .col(integer("course_id"))
                    .col(string_len("reviewer_code", 32))
                    .col(integer("requested_by"))
                    .col(timestamp_with_time_zone("requested_at"))
                    .col(text("reason"))
                    .col(text("before"))
                    .col(text("after"))
                    .col(string_len("status", 12))
                    .col(integer_null("decided_by"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(text_null("decision_reason"))
                    .foreign_key(&mut fk("amendments", "course_id", "courses"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("feedback_answers")
                    .col(pk_auto("id"))
                    .col(integer("course_id"))
                    .col(integer("account_id"))
                    .col(string_len("answers", 40))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("feedback_answers", "course_id", "courses"))
                    .foreign_key(&mut fk("feedback_answers", "account_id", "accounts"))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "feedback_answers",
            "uq_feedback_course_account",
            &["course_id", "account_id"],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("feedback_paper")
                    .col(integer("course_id").primary_key())
                    .col(text("counts"))
                    .col(integer_null("entered_by"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("feedback_paper", "course_id", "courses"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "feedback_paper",
            "feedback_answers",
            "amendments",
            "transcripts",
            "training_records",
            "attendance",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in [
            "closed_at",
            "roster_flags",
            "roster_reason",
            "roster_returned_at",
            "roster_late",
            "roster_submitted_at",
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("courses")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
