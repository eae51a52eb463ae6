use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub account_name: String,
    pub kind: String,
    pub status: String,
    pub real_name: String,
    pub identity_hash: String,
    pub identity_cipher: String,
    pub identity_masked: String,
    pub birth_date: Option<Date>,
    pub gender: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub unit_code: Option<String>,
    pub account_type: Option<String>,
    pub job_title: Option<String>,
    pub subjects: String,
    pub personal_number: Option<String>,
    pub password_hash: String,
    pub failed_logins: i32,
    pub locked_until: Option<DateTimeUtc>,
    pub last_login_at: Option<DateTimeUtc>,
    pub agreement_version: Option<String>,
    pub agreement_accepted_at: Option<DateTimeUtc>,
    pub privacy_version: Option<String>,
    pub privacy_accepted_at: Option<DateTimeUtc>,
    pub status_reason: Option<String>,
    pub decided_by: Option<i32>,
    pub decided_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub idle_warned_at: Option<DateTimeUtc>,
    pub requested_unit_code: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
