use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "partners")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub kind: String,
    pub county_code: Option<String>,
    pub unit_code: Option<String>,
    pub items: String,
    pub needs_confirmation: bool,
    pub allow_list: String,
    pub rate_per_minute: i32,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub contact_confirmed_on: Option<Date>,
    pub contact_reminded_at: Option<DateTimeUtc>,
    pub enabled: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
