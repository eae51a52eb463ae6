//! Hardening of accounts.
//!
//! A changed e-mail address takes effect only once its owner confirms it from the new mailbox:
//! `email_changes` holds the pending change and its single-use token (stored hashed).
//!
//! Identity numbers were masked as `A12*****89`, which leaves about 10,000 candidates for a
//! number: enough to find one by trying. Only the first letter and the check digit stay now
//! (`A********9`, millions of candidates); stored masks are rewritten from the old ones.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE accounts SET identity_masked = \
                 substr(identity_masked, 1, 1) || '********' || substr(identity_masked, 10, 1) \
                 WHERE length(identity_masked) = 10",
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("email_changes")
                    .col(pk_auto("id"))
                    .col(integer("account_id"))
                    .col(string_len("new_email", 254))
                    .col(string_len_uniq("token_hash", 64))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_email_changes_account")
                            .from("email_changes", "account_id")
                            .to("accounts", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The hidden identity digits are not recoverable from the new mask: only the table goes.
        manager
            .drop_table(Table::drop().table("email_changes").to_owned())
            .await
    }
}
