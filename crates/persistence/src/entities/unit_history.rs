use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub unit_code: String,
    pub at: DateTimeUtc,
    pub actor_account_id: Option<i32>,
    pub change: String,
    pub before: String,
    pub after: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
