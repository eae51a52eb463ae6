use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exchange_batches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub partner_id: Option<i32>,
    pub kind: String,
    pub format: String,
    pub dry_run: bool,
    pub status: String,
    pub rows_total: i32,
    pub created: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub unmatched: i32,
    pub refused: i32,
    pub duplicates: i32,
    pub report: String,
    pub file_name: Option<String>,
    pub run_by_account: Option<i32>,
    pub run_by_key: Option<i32>,
    pub started_at: DateTimeUtc,
    pub finished_at: DateTimeUtc,
    pub duration_ms: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
