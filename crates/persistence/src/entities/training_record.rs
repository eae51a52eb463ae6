use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub account_id: i32,
    pub course_id: Option<i32>,
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
    pub partner_id: Option<i32>,
    pub batch_id: Option<i32>,
    pub batch_row: Option<i32>,
    pub partner_course_id: Option<String>,
    pub partner_record_id: Option<String>,
    pub counted: bool,
    pub verification: String,
    pub duplicate_of: Option<i32>,
    pub duplicate_state: Option<String>,
    pub change_seq: i64,
    pub updated_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id"
    )]
    Account,
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
