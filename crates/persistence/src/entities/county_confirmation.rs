use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "county_confirmations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub county_code: String,
    pub month: String,
    pub records: i32,
    pub confirmed_by: Option<i32>,
    pub confirmed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
