use sea_orm::entity::prelude::*;

/// A registry person who taught a candidate's training class (m0027, E4 recusal, F3).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exam_candidate_trainers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub candidate_id: i64,
    /// The registry person (`registry_people`): a trainer, or an assessor teaching under their card.
    pub person_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
