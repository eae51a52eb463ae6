use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub account_id: i32,
    pub course_id: i32,
    pub half_hours: i32,
    pub days: String,
    pub course_name: String,
    pub unit_code: String,
    pub unit_name: String,
    pub start_date: Date,
    pub end_date: Date,
    pub category: String,
    pub stage: String,
    pub class_type: String,
    pub tags: String,
    pub source: String,
    pub confirmed_at: DateTimeUtc,
    pub confirmed_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
