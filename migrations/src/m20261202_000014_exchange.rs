//! Partner exchange (資訊傳報).
//!
//! Counties and partner platforms send training records in bulk, so a record no longer needs a
//! course of ours: `training_records.course_id` becomes optional, and a record carries its
//! provenance (partner, batch, row, the partner's own course and record ids — unique per
//! partner, which makes a batch idempotent), whether it counts yet (a back-end county's records
//! wait for its monthly confirmation; a suspected duplicate across sources counts once until a
//! reviewer decides) and a change sequence for retrieval by cursor.
//!
//! SQLite cannot drop a NOT NULL constraint, so the table is rebuilt (on both databases: one
//! path) and its rows copied with their ids.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, TransactionTrait};
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

async fn index(
    manager: &SchemaManager<'_>,
    table: &'static str,
    name: &str,
    cols: &[&'static str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut index = Index::create().name(name).table(table).to_owned();
    if unique {
        index.unique();
    }
    for col in cols {
        index.col(*col);
    }
    manager.create_index(index).await
}

/// The columns a record had before this migration, copied as they are.
const KEPT_COLUMNS: &str = "id, account_id, course_id, half_hours, days, course_name, unit_code, \
     unit_name, start_date, end_date, category, stage, class_type, tags, source, confirmed_at, \
     confirmed_by";

fn records_table(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(name)
        .col(pk_auto("id"))
        .col(integer("account_id"))
        .col(integer_null("course_id"))
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
        .col(string_len("class_type", 8))
        .col(text("tags"))
        // `online`, or the partner's code.
        .col(string_len("source", 32))
        .col(timestamp_with_time_zone("confirmed_at"))
        .col(integer_null("confirmed_by"))
        .col(integer_null("partner_id"))
        .col(integer_null("batch_id"))
        .col(integer_null("batch_row"))
        .col(string_len_null("partner_course_id", 64))
        .col(string_len_null("partner_record_id", 64))
        // Whether the record counts in totals and statistics now.
        .col(boolean("counted").default(true))
        // `none`, or `pending` / `confirmed` for a back-end county's monthly confirmation.
        .col(string_len("verification", 12).default("none"))
        .col(integer_null("duplicate_of"))
        // `flagged` (counted once until decided), `same` or `distinct`.
        .col(string_len_null("duplicate_state", 12))
        .col(big_integer("change_seq").default(0))
        .col(timestamp_with_time_zone_null("updated_at"))
        .foreign_key(&mut fk(name, "account_id", "accounts"))
        .foreign_key(&mut fk(name, "course_id", "courses"))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        partners(manager).await?;
        rebuild_records(manager).await?;
        records_around(manager).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "preschool_export_items",
            "county_confirmations",
            "unmatched_records",
            "training_record_history",
            "exchange_denials",
            "exchange_batches",
            "partner_keys",
            "partners",
            "exchange_clock",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        // Records from partners have no course: they cannot go back into the old table.
        Ok(())
    }
}

async fn partners(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table("partners")
                .col(pk_auto("id"))
                .col(string_len_uniq("code", 32))
                .col(string_len("name", 100))
                .col(string_len("kind", 16))
                .col(string_len_null("county_code", 8))
                .col(string_len_null("unit_code", 32))
                // JSON array of cooperation item codes.
                .col(text("items"))
                // Whether its records wait for its county's monthly confirmation (Art. 11-6).
                .col(boolean("needs_confirmation").default(false))
                // Canonical CIDR entries, one per line.
                .col(text("allow_list"))
                .col(integer("rate_per_minute"))
                .col(string_len("contact_name", 50))
                .col(string_len("contact_email", 254))
                .col(string_len("contact_phone", 30))
                .col(date_null("contact_confirmed_on"))
                .col(timestamp_with_time_zone_null("contact_reminded_at"))
                .col(boolean("enabled").default(true))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table("partner_keys")
                .col(pk_auto("id"))
                .col(integer("partner_id"))
                .col(string_len("label", 50))
                // The first characters of the key, shown so people can tell keys apart.
                .col(string_len("prefix", 16))
                .col(string_len_uniq("key_hash", 64))
                .col(integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .col(timestamp_with_time_zone_null("last_used_at"))
                .col(string_len_null("last_used_ip", 45))
                .foreign_key(&mut fk("partner_keys", "partner_id", "partners"))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table("exchange_batches")
                .col(pk_auto("id"))
                .col(integer_null("partner_id"))
                // `records`, `base_data` or `preschool_export`.
                .col(string_len("kind", 20))
                .col(string_len("format", 8))
                .col(boolean("dry_run"))
                // `dry_run`, `committed`, `failed` or `rejected`.
                .col(string_len("status", 12))
                .col(integer("rows_total").default(0))
                .col(integer("created").default(0))
                .col(integer("updated").default(0))
                .col(integer("unchanged").default(0))
                .col(integer("unmatched").default(0))
                .col(integer("refused").default(0))
                .col(integer("duplicates").default(0))
                // JSON: the first row problems, for the report.
                .col(text("report"))
                .col(string_len_null("file_name", 200))
                .col(integer_null("run_by_account"))
                .col(integer_null("run_by_key"))
                .col(timestamp_with_time_zone("started_at"))
                .col(timestamp_with_time_zone("finished_at"))
                .col(integer("duration_ms").default(0))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "exchange_batches",
        "ix_exchange_batches_partner",
        &["partner_id", "started_at"],
        false,
    )
    .await?;
    manager
        .create_table(
            Table::create()
                .table("exchange_denials")
                .col(pk_auto("id"))
                .col(integer_null("partner_id"))
                .col(string_len("ip", 45))
                .col(string_len("path", 200))
                .col(string_len("reason", 32))
                .col(timestamp_with_time_zone("at"))
                .to_owned(),
        )
        .await?;
    // One row whose counter every transaction that writes records takes first: it orders the
    // writers, so a change sequence becomes visible in order and a cursor never skips a row.
    manager
        .create_table(
            Table::create()
                .table("exchange_clock")
                .col(integer("id").primary_key())
                .col(big_integer("seq"))
                .to_owned(),
        )
        .await?;
    manager
        .get_connection()
        .execute_unprepared("INSERT INTO exchange_clock (id, seq) VALUES (1, 0)")
        .await?;
    Ok(())
}

async fn rebuild_records(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    // One transaction on one connection: the pool's other connections never see the table
    // half rebuilt (and DDL is transactional on both databases).
    let txn = manager.get_connection().begin().await?;
    let backend = txn.get_database_backend();
    txn.execute(&records_table("training_records_v2")).await?;
    txn.execute_unprepared(&format!(
        "INSERT INTO training_records_v2 ({KEPT_COLUMNS}, updated_at) \
         SELECT {KEPT_COLUMNS}, confirmed_at FROM training_records"
    ))
    .await?;
    txn.execute(&Table::drop().table("training_records").to_owned())
        .await?;
    txn.execute(
        &Table::rename()
            .table("training_records_v2", "training_records")
            .to_owned(),
    )
    .await?;
    if backend == DbBackend::Postgres {
        // Ids were copied: the new serial continues after them.
        txn.execute_unprepared(
            "SELECT setval(pg_get_serial_sequence('training_records', 'id'), \
             COALESCE((SELECT MAX(id) FROM training_records), 0) + 1, false)",
        )
        .await?;
    }
    for (name, columns, unique) in [
        // A record is written once per teacher and course, however often a roster is confirmed.
        (
            "uq_records_account_course",
            &["account_id", "course_id"][..],
            true,
        ),
        (
            "uq_records_partner_record",
            &["partner_id", "partner_record_id"][..],
            true,
        ),
        ("ix_records_change", &["change_seq", "id"][..], false),
        (
            "ix_records_account_dates",
            &["account_id", "start_date"][..],
            false,
        ),
    ] {
        let mut index = Index::create()
            .name(name)
            .table("training_records")
            .to_owned();
        if unique {
            index.unique();
        }
        for column in columns {
            index.col(*column);
        }
        txn.execute(&index).await?;
    }
    txn.commit().await
}

async fn records_around(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    // What a record was before a partner corrected it.
    manager
        .create_table(
            Table::create()
                .table("training_record_history")
                .col(pk_auto("id"))
                .col(integer("record_id"))
                .col(integer_null("batch_id"))
                .col(integer_null("batch_row"))
                // JSON of the changed fields' previous values.
                .col(text("before"))
                .col(timestamp_with_time_zone("changed_at"))
                .foreign_key(&mut fk(
                    "training_record_history",
                    "record_id",
                    "training_records",
                ))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "training_record_history",
        "ix_training_record_history_record",
        &["record_id"],
        false,
    )
    .await?;
    // Rows for teachers we do not know yet: kept whole, matched when the teacher appears.
    manager
        .create_table(
            Table::create()
                .table("unmatched_records")
                .col(pk_auto("id"))
                .col(integer("partner_id"))
                .col(integer("batch_id"))
                .col(integer("batch_row"))
                .col(string_len("partner_record_id", 64))
                .col(string_len("identity_hash", 64))
                .col(string_len("identity_masked", 12))
                .col(string_len("teacher_name", 50))
                // JSON of the validated row, to write the record from once matched.
                .col(text("row"))
                .col(timestamp_with_time_zone("received_at"))
                .foreign_key(&mut fk("unmatched_records", "partner_id", "partners"))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "unmatched_records",
        "uq_unmatched_partner_record",
        &["partner_id", "partner_record_id"],
        true,
    )
    .await?;
    index(
        manager,
        "unmatched_records",
        "ix_unmatched_identity",
        &["identity_hash"],
        false,
    )
    .await?;
    manager
        .create_table(
            Table::create()
                .table("county_confirmations")
                .col(pk_auto("id"))
                .col(string_len("county_code", 8))
                .col(string_len("month", 7))
                .col(integer("records"))
                .col(integer_null("confirmed_by"))
                .col(timestamp_with_time_zone("confirmed_at"))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "county_confirmations",
        "uq_county_confirmations_month",
        &["county_code", "month"],
        true,
    )
    .await?;
    // The preschool platform's ledger: a record goes to it once, in one batch.
    manager
        .create_table(
            Table::create()
                .table("preschool_export_items")
                .col(integer("record_id").primary_key())
                .col(integer("batch_id"))
                .foreign_key(&mut fk(
                    "preschool_export_items",
                    "record_id",
                    "training_records",
                ))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "preschool_export_items",
        "ix_preschool_export_batch",
        &["batch_id"],
        false,
    )
    .await
}
