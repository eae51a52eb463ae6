//! Courses (研習課程) with their tags, review history, attachments and teachers' favourites, and
//! each regional centre's automatic-approval switches.

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn course_fk(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_course"))
        .from(table, "course_id")
        .to("courses", "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    table: &'static str,
    name: &str,
    cols: &[&'static str],
) -> Result<(), DbErr> {
    let mut index = Index::create().name(name).table(table).to_owned();
    for col in cols {
        index.col(*col);
    }
    manager.create_index(index).await
}

/// Keyword search over Chinese text uses `LIKE '%…%'`; on PostgreSQL a trigram index serves
/// keywords of three characters or more, when the extension may be installed.
async fn trigram_index(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let check = Statement::from_string(
        DbBackend::Postgres,
        "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm' \
         AND (installed_version IS NOT NULL OR has_database_privilege(current_database(), 'CREATE'))",
    );
    if db.query_one_raw(check).await?.is_none() {
        return Ok(());
    }
    db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        .await?;
    db.execute_unprepared(
        "CREATE INDEX idx_courses_search_trgm ON courses USING gin (search_text gin_trgm_ops)",
    )
    .await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["auto_approve_courses", "auto_approve_rosters"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("units")
                        .add_column(boolean(column).default(false))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("courses")
                    .col(pk_auto("id"))
                    .col(string_len("unit_code", 32))
                    .col(integer_null("series_id"))
                    .col(string_len("state", 20))
                    // Bumped by every change: writes compare it, so no update is silently lost.
                    .col(integer("version").default(0))
                    .col(boolean("auto_approved").default(false))
                    .col(string_len("reviewer_code", 32))
                    .col(string_len("class_type", 4))
                    .col(integer_null("credits"))
                    .col(string_len("nature", 4))
                    .col(string_len_null("document_number", 60))
                    .col(string_len("name", 100))
                    .col(string_len("subject_area", 8))
                    .col(string_len("stage", 20))
                    .col(string_len("category", 2))
                    .col(text("items"))
                    .col(integer("level"))
                    .col(string_len("instructor_name", 100))
                    .col(string_len("instructor_kind", 4))
                    .col(text("outline"))
                    .col(text("modes"))
                    .col(string_len_null("mode_other", 60))
                    .col(text("remote_software"))
                    .col(string_len_null("remote_software_other", 60))
                    .col(text("time_slots"))
                    .col(integer("half_hours"))
                    .col(text("target_stages"))
                    .col(text("target_titles"))
                    .col(string_len_null("target_title_other", 60))
                    .col(timestamp_with_time_zone("registration_opens_at"))
                    .col(timestamp_with_time_zone("registration_closes_at"))
                    .col(text("sessions"))
                    .col(date("start_date"))
                    .col(date("end_date"))
                    .col(string_len("venue", 200))
                    .col(text_null("schedule_note"))
                    .col(text("funding_sources"))
                    .col(integer_null("subsidy_amount"))
                    .col(string_len("fee_kind", 4))
                    .col(integer_null("fee_amount"))
                    .col(integer("classes"))
                    .col(integer("places_per_class"))
                    .col(integer("capacity"))
                    .col(integer("enrolled_count").default(0))
                    .col(text("contacts"))
                    .col(string_len("feedback", 4))
                    .col(boolean("is_digital"))
                    .col(string_len_null("county_code", 5))
                    .col(text("search_text"))
                    .col(text("flags"))
                    .col(boolean("flagged"))
                    .col(text_null("decision_reason"))
                    .col(timestamp_with_time_zone_null("submitted_at"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(integer_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_courses_unit")
                            .from("courses", "unit_code")
                            .to("units", "code"),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_courses_start", &["start_date"][..]),
            ("idx_courses_unit", &["unit_code", "state"]),
            ("idx_courses_review", &["reviewer_code", "state"]),
            ("idx_courses_series", &["series_id"]),
            ("idx_courses_county", &["county_code", "start_date"]),
            ("idx_courses_closes", &["registration_closes_at"]),
        ] {
            index(manager, "courses", name, cols).await?;
        }
        trigram_index(manager).await?;

        manager
            .create_table(
                Table::create()
                    .table("course_tags")
                    .col(integer("course_id"))
                    .col(integer("tag_id"))
                    .primary_key(Index::create().col("course_id").col("tag_id"))
                    .foreign_key(&mut course_fk("course_tags"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_course_tags_tag")
                            .from("course_tags", "tag_id")
                            .to("attribute_tags", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "course_tags",
            "idx_course_tags_tag",
            &["tag_id", "course_id"],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table("course_events")
                    .col(pk_auto("id"))
                    .col(integer("course_id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(integer_null("actor_account_id"))
                    .col(string_len_null("actor_unit_code", 32))
                    .col(string_len("event", 30))
                    .col(string_len("from_state", 20))
                    .col(string_len("to_state", 20))
                    .col(text_null("reason"))
                    .foreign_key(&mut course_fk("course_events"))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "course_events",
            "idx_course_events_course",
            &["course_id", "id"],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table("course_attachments")
                    .col(pk_auto("id"))
                    .col(integer("course_id"))
                    .col(string_len("file_name", 200))
                    .col(string_len("content_type", 100))
                    .col(integer("size"))
                    .col(string_len("sha256", 64))
                    .col(blob("data"))
                    .col(integer_null("uploaded_by"))
                    .col(timestamp_with_time_zone("uploaded_at"))
                    .foreign_key(&mut course_fk("course_attachments"))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "course_attachments",
            "idx_course_attachments_course",
            &["course_id"],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table("course_favourites")
                    .col(integer("account_id"))
                    .col(integer("course_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(Index::create().col("account_id").col("course_id"))
                    .foreign_key(&mut course_fk("course_favourites"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_course_favourites_account")
                            .from("course_favourites", "account_id")
                            .to("accounts", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "course_favourites",
            "course_attachments",
            "course_events",
            "course_tags",
            "courses",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in ["auto_approve_rosters", "auto_approve_courses"] {
            manager
                .alter_table(Table::alter().table("units").drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
