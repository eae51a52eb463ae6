//! Enrollments with their waiting list and lottery, the course's allocation settings and
//! cancellation, the mail outbox's link to what a message is about, and teachers' private
//! calendar feeds.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn add(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: ColumnDef,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).add_column(column).to_owned())
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add(
            manager,
            "courses",
            string_len("allocation", 12)
                .default("first_come")
                .to_owned(),
        )
        .await?;
        add(
            manager,
            "courses",
            boolean("review_enrollments").default(false).to_owned(),
        )
        .await?;
        // Hands out waiting-list numbers under the course row's lock, so numbers follow the
        // order in which teachers actually joined.
        add(
            manager,
            "courses",
            integer("waiting_seq").default(0).to_owned(),
        )
        .await?;
        add(manager, "courses", text_null("cancel_reason")).await?;
        add(
            manager,
            "courses",
            timestamp_with_time_zone_null("cancelled_at"),
        )
        .await?;
        add(manager, "courses", string_len_null("lottery_seed", 20)).await?;
        add(
            manager,
            "courses",
            timestamp_with_time_zone_null("lottery_drawn_at"),
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("enrollments")
                    .col(pk_auto("id"))
                    .col(integer("course_id"))
                    .col(integer("account_id"))
                    .col(string_len("status", 20))
                    // Order on the waiting list: when the teacher joined it, or the draw order.
                    .col(big_integer_null("rank"))
                    .col(string_len_null("unit_code", 32))
                    .col(string_len_null("job_title", 10))
                    .col(text("warnings"))
                    .col(text_null("reason"))
                    .col(string_len_null("idempotency_key", 100))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_enrollments_course")
                            .from("enrollments", "course_id")
                            .to("courses", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_enrollments_account")
                            .from("enrollments", "account_id")
                            .to("accounts", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One enrollment per teacher and course: the database refuses a second one even when
        // two requests race.
        manager
            .create_index(
                Index::create()
                    .name("uq_enrollments_course_account")
                    .table("enrollments")
                    .col("course_id")
                    .col("account_id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_enrollments_queue",
                &["course_id", "status", "rank"][..],
            ),
            ("idx_enrollments_account", &["account_id", "status"]),
        ] {
            let mut index = Index::create().name(name).table("enrollments").to_owned();
            for col in cols {
                index.col(*col);
            }
            manager.create_index(index).await?;
        }
        add(manager, "mail_outbox", integer_null("course_id")).await?;
        add(manager, "mail_outbox", integer_null("account_id")).await?;
        add(manager, "mail_outbox", string_len_null("kind", 20)).await?;
        add(
            manager,
            "mail_outbox",
            timestamp_with_time_zone_null("claimed_until"),
        )
        .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_mail_outbox_course")
                    .table("mail_outbox")
                    .col("course_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("calendar_feeds")
                    .col(integer("account_id").primary_key())
                    .col(string_len_uniq("token_hash", 64))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_calendar_feeds_account")
                            .from("calendar_feeds", "account_id")
                            .to("accounts", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["calendar_feeds", "enrollments"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in ["claimed_until", "kind", "account_id", "course_id"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("mail_outbox")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            "lottery_drawn_at",
            "lottery_seed",
            "cancelled_at",
            "cancel_reason",
            "review_enrollments",
            "waiting_seq",
            "allocation",
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
