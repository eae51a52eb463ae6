use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "taxonomy_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub stage: String,
    pub position: i32,
    pub category_code: String,
    pub category_name: String,
    pub subcategory_code: Option<String>,
    pub subcategory_name: Option<String>,
    pub item_code: Option<String>,
    pub item_name: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
