use sea_orm::entity::prelude::*;

/// One archived material of an exam session (m0026, E7). Never deleted: a disposal is recorded on it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exam_archives")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub session_id: i64,
    /// What the material is (考生花名册, 成绩登分册, 考评情况报告 …).
    pub title: String,
    pub medium: domain::exams::ArchiveMedium,
    /// Where a paper material is kept; empty for an electronic one.
    pub location: String,
    /// The name of an electronic material's file (the uploaded file's cleaned name; a typed reference
    /// on rows kept before m0028); empty for a paper one.
    pub file_ref: String,
    /// The first day it may be disposed of.
    pub keep_until: TimeDate,
    pub archived_by: String,
    pub archived_at: TimeDateTimeWithTimeZone,
    pub disposed_at: Option<TimeDateTimeWithTimeZone>,
    pub disposed_by: Option<String>,
    /// How and why it was disposed of; empty until then.
    pub disposal_note: String,
    /// The object key of the uploaded file (m0028); NULL for paper, for rows kept before m0028, and
    /// kept (as a record) after a disposal deleted the object.
    pub file_key: Option<String>,
    /// The type sniffed from the file's first bytes.
    pub file_type: Option<String>,
    /// The tagged digest of the file (`sm3:…` / `sha256:…`).
    pub file_digest: Option<String>,
    /// The file's size in bytes.
    pub file_size: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
