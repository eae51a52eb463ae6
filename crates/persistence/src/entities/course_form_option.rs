use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "course_form_options")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub field_no: i32,
    pub field_name: String,
    pub input_kind: String,
    pub position: i32,
    pub option_code: Option<String>,
    pub option_label: Option<String>,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
