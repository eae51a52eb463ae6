//! Accounts, their sessions and password resets, the audit log and the mail outbox.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("accounts")
                    .col(pk_auto("id"))
                    .col(string_len_uniq("account_name", 30))
                    .col(string_len("kind", 10))
                    .col(string_len("status", 10))
                    .col(string_len("real_name", 60))
                    // National ID numbers: encrypted, looked up by a keyed hash, shown masked.
                    .col(string_len("identity_hash", 64))
                    .col(text("identity_cipher"))
                    .col(string_len("identity_masked", 10))
                    .col(date_null("birth_date"))
                    .col(string_len_null("gender", 10))
                    .col(string_len("email", 254))
                    .col(string_len_null("phone", 30))
                    .col(string_len_null("unit_code", 32))
                    .col(string_len_null("account_type", 10))
                    .col(string_len_null("job_title", 10))
                    .col(text("subjects"))
                    .col(string_len_null("personal_number", 11).unique_key())
                    .col(string("password_hash"))
                    .col(integer("failed_logins").default(0))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .col(timestamp_with_time_zone_null("last_login_at"))
                    .col(string_len_null("agreement_version", 20))
                    .col(timestamp_with_time_zone_null("agreement_accepted_at"))
                    .col(string_len_null("privacy_version", 20))
                    .col(timestamp_with_time_zone_null("privacy_accepted_at"))
                    .col(text_null("status_reason"))
                    .col(integer_null("decided_by"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_accounts_unit")
                            .from("accounts", "unit_code")
                            .to("units", "code"),
                    )
                    .to_owned(),
            )
            .await?;
        // One teacher account and one business account per identity number.
        manager
            .create_index(
                Index::create()
                    .name("uq_accounts_kind_identity")
                    .table("accounts")
                    .col("kind")
                    .col("identity_hash")
                    .unique()
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_accounts_email", "email"),
            ("idx_accounts_unit", "unit_code"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("accounts")
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("refresh_tokens")
                    .col(pk_auto("id"))
                    .col(integer("account_id"))
                    .col(string_len_uniq("token_hash", 64))
                    .col(string_len("family", 36))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_refresh_tokens_account")
                            .from("refresh_tokens", "account_id")
                            .to("accounts", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("password_resets")
                    .col(pk_auto("id"))
                    .col(integer("account_id"))
                    .col(string_len_uniq("token_hash", 64))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_password_resets_account")
                            .from("password_resets", "account_id")
                            .to("accounts", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("audit_log")
                    .col(pk_auto("id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(integer_null("actor_account_id"))
                    .col(string_len("actor_role", 40))
                    .col(string_len("action", 60))
                    .col(string_len("target_kind", 30))
                    .col(string_len_null("target_id", 40))
                    .col(text("summary"))
                    .col(string_len_null("ip", 45))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_at")
                    .table("audit_log")
                    .col("at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("mail_outbox")
                    .col(pk_auto("id"))
                    .col(string_len("to_address", 254))
                    .col(string("subject"))
                    .col(text("body"))
                    .col(string_len("status", 10))
                    .col(integer("attempts").default(0))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("next_attempt_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(text_null("last_error"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_mail_outbox_status")
                    .table("mail_outbox")
                    .col("status")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "mail_outbox",
            "audit_log",
            "password_resets",
            "refresh_tokens",
            "accounts",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
