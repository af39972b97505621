use sea_orm::entity::prelude::*;

/// A trainee of a course, with attendance, result and what a pass issued (m0019).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_enrolments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub course_id: i64,
    pub name: String,
    pub id_number_enc: String,
    pub id_number_idx: String,
    pub id_number_masked: String,
    pub phone: String,
    pub city_code: String,
    pub employer_name: String,
    pub employer_org_id: Option<i64>,
    pub attended: bool,
    pub result: domain::training::TrainingResult,
    pub person_id: Option<i64>,
    pub card_number: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
