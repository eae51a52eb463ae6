//! Keyword search on PostgreSQL for words of two characters, most Chinese search words (閱讀,
//! 素養): the trigram index cannot serve them. A GIN index over each course text's distinct
//! two-character pieces finds the candidates; the `LIKE` beside it still decides.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        db.execute_unprepared(
            "CREATE OR REPLACE FUNCTION course_bigrams(text) RETURNS text[] \
             LANGUAGE sql IMMUTABLE PARALLEL SAFE AS \
             $$ SELECT ARRAY(SELECT DISTINCT substr($1, i, 2) \
                FROM generate_series(1, greatest(char_length($1) - 1, 1)) AS i) $$",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX idx_courses_search_bigrams ON courses USING gin (course_bigrams(search_text))",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        db.execute_unprepared("DROP INDEX IF EXISTS idx_courses_search_bigrams")
            .await?;
        db.execute_unprepared("DROP FUNCTION IF EXISTS course_bigrams(text)")
            .await?;
        Ok(())
    }
}
