//! The files kept with a project (P3: the feasibility report; P1: an adoption's evidence) and its
//! training materials (P7).
//!
//! Files are checked as attachments are (`attachments::check_upload`: by their first bytes, at most
//! 20 MB, the name cleaned and given the sniffed type's extension), kept through `Store::files` under
//! `projects/<id>/…`, and recorded in `project_files` (m0015) with their digest, in the same
//! transaction as the audit record; an object whose row could not be written is deleted again. Who may
//! add or remove one: the development unit its feasibility report while the application is editable
//! (draft, returned); the province an adoption's evidence while the adoption waits. Whoever sees the
//! project (and the members of its opened review group) reads them.
//!
//! Training materials (P7) are recorded by the province (`ManageCatalog`) for a project that is
//! established or in the catalog; they are listed on the project's public page (F2).

use super::acts_as;
use crate::attachments::{StoredFile, download_name};
use crate::audit::AuditDraft;
use crate::entity::{project, project_file, project_material};
use crate::error::require;
use crate::{Ctx, Store, StoreError, StoreResult, now};
use domain::FieldError;
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::org::Principal;
use domain::projects::{Actor, MaterialInput, MaterialKind, ProjectFileKind, ProjectState, TrainingMaterial};
use object_store::ObjectStoreExt;
use object_store::path::Path as ObjectPath;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;
use time::OffsetDateTime;

/// A file kept with a project.
#[derive(Debug, Clone)]
pub struct ProjectFileView {
    pub id: i64,
    pub kind: ProjectFileKind,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub digest: String,
    pub uploaded_by: String,
    pub uploaded_at: OffsetDateTime,
}

/// A training material or exam guide (P7).
#[derive(Debug, Clone)]
pub struct MaterialView {
    pub id: i64,
    pub kind: MaterialKind,
    pub title: String,
    pub publisher: String,
    pub year: i32,
    pub file_id: Option<i64>,
    pub created_at: OffsetDateTime,
}

fn file_view(m: project_file::Model) -> ProjectFileView {
    ProjectFileView {
        id: m.id,
        kind: m.kind,
        filename: download_name(&m.filename, &m.content_type),
        content_type: m.content_type,
        size: m.size,
        digest: m.digest,
        uploaded_by: m.uploaded_by,
        uploaded_at: m.uploaded_at,
    }
}

pub(super) fn material_view(m: project_material::Model) -> MaterialView {
    MaterialView {
        id: m.id,
        kind: m.kind,
        title: m.title,
        publisher: m.publisher,
        year: m.year,
        file_id: m.file_id,
        created_at: m.created_at,
    }
}

/// The row of a file kept with a project, as `keep_upload` stored it.
fn file_row(project_id: i64, kind: ProjectFileKind, file: &StoredFile, p: &Principal) -> project_file::ActiveModel {
    project_file::ActiveModel {
        project_id: Set(project_id),
        kind: Set(kind),
        filename: Set(file.filename.clone()),
        content_type: Set(file.content_type.into()),
        size: Set(file.size),
        digest: Set(file.digest.clone()),
        storage_key: Set(file.key.clone()),
        uploaded_by: Set(p.username.clone()),
        uploaded_at: Set(now()),
        ..Default::default()
    }
}

/// 409 `PROJECT_FILES_CLOSED`: the file of `kind` can no longer change in this state.
fn closed(kind: ProjectFileKind) -> StoreError {
    StoreError::Conflict(FieldError::new(
        "file",
        "PROJECT_FILES_CLOSED",
        format!("当前状态下不能再更改“{}”", kind.label()),
    ))
}

impl Store {
    /// Whether the caller may add or remove a file of `kind` on `m` now: the unit its feasibility
    /// report while editable, the province an adoption's evidence while it waits (403 for anyone else,
    /// 409 once the state has moved past).
    fn may_change_file(&self, p: &Principal, m: &project::Model, kind: ProjectFileKind) -> StoreResult<()> {
        let (actor, action, open) = match kind {
            ProjectFileKind::FeasibilityReport => (
                Actor::DevelopmentUnit,
                Action::ApplyProject,
                matches!(m.state, ProjectState::Draft | ProjectState::Returned),
            ),
            ProjectFileKind::AdoptionEvidence => {
                (Actor::Province, Action::ManageCatalog, m.state == ProjectState::AdoptionSubmitted)
            }
            // A material's file goes with the material (P7), never on its own.
            ProjectFileKind::MaterialFile => return Err(StoreError::Forbidden),
        };
        require(p, action)?;
        if !acts_as(p, actor, m) {
            return Err(StoreError::Forbidden);
        }
        if !open {
            return Err(closed(kind));
        }
        Ok(())
    }

    /// P3/P1: keep a file with a project (see the module doc for who may, and when).
    pub async fn add_project_file(
        &self,
        p: &Principal,
        project_id: i64,
        kind: ProjectFileKind,
        filename: &str,
        bytes: &[u8],
        ctx: &Ctx,
    ) -> StoreResult<i64> {
        let m = self.project_in_scope(self.reader(), p, project_id).await?;
        self.may_change_file(p, &m, kind)?;
        let file = StoredFile::of(filename, bytes)?;
        self.keep_upload(p, ctx, &format!("projects/{project_id}"), bytes, file, async |step, file| {
            let row = file_row(project_id, kind, &file, p).insert(&**step).await?;
            step.audit(AuditDraft::new(
                AuditAction::ProjectAttachmentAdded,
                project_id,
                json!({ "kind": kind, "digest": file.digest, "size": file.size }),
            ))
            .await?;
            Ok(row.id)
        })
        .await
    }

    async fn project_file_of(&self, project_id: i64, id: i64) -> StoreResult<project_file::Model> {
        let m = project_file::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        if m.project_id != project_id {
            return Err(StoreError::NotFound);
        }
        Ok(m)
    }

    /// A file's bytes, for whoever sees the project (or reviews it).
    pub async fn read_project_file(
        &self,
        p: &Principal,
        project_id: i64,
        id: i64,
    ) -> StoreResult<(ProjectFileView, Vec<u8>)> {
        self.project_in_scope(self.reader(), p, project_id).await?;
        let m = self.project_file_of(project_id, id).await?;
        let bytes = self.object_bytes(&m.storage_key).await?;
        Ok((file_view(m), bytes))
    }

    /// Remove a file (a wrong or outdated one) while it may still change: the record and its audit
    /// entry in one transaction, the stored object after it.
    pub async fn remove_project_file(&self, p: &Principal, project_id: i64, id: i64, ctx: &Ctx) -> StoreResult<()> {
        let m = self.project_in_scope(self.reader(), p, project_id).await?;
        let f = self.project_file_of(project_id, id).await?;
        self.may_change_file(p, &m, f.kind)?;
        let step = self.step(p, ctx).await?;
        project_file::Entity::delete_by_id(f.id).exec(&*step).await?;
        step.audit(AuditDraft::new(
            AuditAction::ProjectAttachmentRemoved,
            project_id,
            json!({ "kind": f.kind, "digest": f.digest, "size": f.size }),
        ))
        .await?;
        step.commit().await?;
        self.delete_object(&f.storage_key).await;
        Ok(())
    }

    /// A project's files, for a caller whose right to see them is already checked.
    pub(crate) async fn project_files(&self, project_id: i64) -> StoreResult<Vec<ProjectFileView>> {
        Ok(project_file::Entity::find()
            .filter(project_file::Column::ProjectId.eq(project_id))
            .order_by_asc(project_file::Column::Id)
            .all(self.reader())
            .await?
            .into_iter()
            .map(file_view)
            .collect())
    }

    /// The kinds of file kept with a project (submission requires the feasibility report).
    pub(crate) async fn project_file_kinds(&self, project_id: i64) -> StoreResult<Vec<ProjectFileKind>> {
        Ok(self.project_files(project_id).await?.into_iter().map(|f| f.kind).collect())
    }

    /// A project's training materials (P7), in the order recorded.
    pub(crate) async fn project_materials(&self, project_id: i64) -> StoreResult<Vec<MaterialView>> {
        Ok(project_material::Entity::find()
            .filter(project_material::Column::ProjectId.eq(project_id))
            .order_by_asc(project_material::Column::Id)
            .all(self.reader())
            .await?
            .into_iter()
            .map(material_view)
            .collect())
    }

    /// P7: the province records a training material or exam guide of a project that is established or
    /// in the catalog (`PROJECT_NOT_ESTABLISHED` before; every field checked at once).
    pub async fn add_material(
        &self,
        p: &Principal,
        project_id: i64,
        input: &MaterialInput,
        ctx: &Ctx,
    ) -> StoreResult<i64> {
        require(p, Action::ManageCatalog)?;
        let m = self.project_in_scope(self.reader(), p, project_id).await?;
        if m.code.is_none() || m.state == ProjectState::Rejected {
            return Err(StoreError::Conflict(FieldError::new(
                "",
                "PROJECT_NOT_ESTABLISHED",
                "考核项目设立（或批准采用）后才能登记培训教材和考试指南",
            )));
        }
        let parsed = TrainingMaterial::parse(input, crate::today().year())?;
        let step = self.step(p, ctx).await?;
        let row = project_material::ActiveModel {
            project_id: Set(project_id),
            kind: Set(parsed.kind),
            title: Set(parsed.title.clone()),
            publisher: Set(parsed.publisher.clone()),
            year: Set(parsed.year),
            file_id: Set(None),
            created_by: Set(p.username.clone()),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        step.audit(AuditDraft::new(
            AuditAction::ProjectMaterialAdded,
            project_id,
            json!({ "material_id": row.id, "kind": parsed.kind, "title": parsed.title, "year": parsed.year }),
        ))
        .await?;
        step.commit().await?;
        Ok(row.id)
    }

    /// A material of a project (404 for another project's).
    async fn material_of(&self, project_id: i64, id: i64) -> StoreResult<project_material::Model> {
        project_material::Entity::find_by_id(id)
            .one(self.reader())
            .await?
            .filter(|m| m.project_id == project_id)
            .ok_or(StoreError::NotFound)
    }

    /// P7: the province keeps the file of a recorded material (the textbook's or guide's PDF, say); a
    /// second file replaces the first. The file row, the material's link to it and the audit record
    /// are one step; the replaced file's object is deleted after it.
    pub async fn attach_material_file(
        &self,
        p: &Principal,
        project_id: i64,
        material_id: i64,
        filename: &str,
        bytes: &[u8],
        ctx: &Ctx,
    ) -> StoreResult<i64> {
        require(p, Action::ManageCatalog)?;
        self.project_in_scope(self.reader(), p, project_id).await?;
        let material = self.material_of(project_id, material_id).await?;
        let file = StoredFile::of(filename, bytes)?;
        let mut replaced = None;
        let id = self
            .keep_upload(p, ctx, &format!("projects/{project_id}"), bytes, file, async |step, file| {
                let row = file_row(project_id, ProjectFileKind::MaterialFile, &file, p).insert(&**step).await?;
                // Claimed by the file it had when read: of two uploads at once the second is 409.
                let claimed = project_material::Entity::update_many()
                    .col_expr(project_material::Column::FileId, Expr::value(row.id))
                    .filter(project_material::Column::Id.eq(material_id))
                    .filter(match material.file_id {
                        Some(f) => project_material::Column::FileId.eq(f),
                        None => project_material::Column::FileId.is_null(),
                    })
                    .exec(&**step)
                    .await?;
                if claimed.rows_affected != 1 {
                    return Err(StoreError::Conflict(FieldError::new(
                        "file",
                        "PROJECT_CHANGED",
                        "该教材的文件刚被他人更改，请刷新后重试",
                    )));
                }
                if let Some(old) = material.file_id {
                    replaced = project_file::Entity::find_by_id(old).one(&**step).await?;
                    project_file::Entity::delete_by_id(old).exec(&**step).await?;
                }
                step.audit(AuditDraft::new(
                    AuditAction::ProjectMaterialFileAttached,
                    project_id,
                    json!({ "material_id": material_id, "digest": file.digest, "size": file.size,
                            "replaced": material.file_id }),
                ))
                .await?;
                Ok(row.id)
            })
            .await?;
        if let Some(old) = replaced {
            self.delete_object(&old.storage_key).await;
        }
        Ok(id)
    }

    /// P7, F2: the file of a material of a public project, for anyone (the catalog page links it).
    pub async fn catalog_material_file(&self, code: &str, material_id: i64) -> StoreResult<(ProjectFileView, Vec<u8>)> {
        let m = project::Entity::find()
            .filter(project::Column::Code.eq(code.trim()))
            .one(self.reader())
            .await?
            .filter(|m| m.state.is_public())
            .ok_or(StoreError::NotFound)?;
        let material = self.material_of(m.id, material_id).await?;
        let file_id = material.file_id.ok_or(StoreError::NotFound)?;
        let f = self.project_file_of(m.id, file_id).await?;
        let bytes = self.object_bytes(&f.storage_key).await?;
        Ok((file_view(f), bytes))
    }

    async fn object_bytes(&self, key: &str) -> StoreResult<Vec<u8>> {
        Ok(self
            .files
            .get(&ObjectPath::from(key))
            .await
            .map_err(|e| StoreError::service("attachment store (get)", e))?
            .bytes()
            .await
            .map_err(|e| StoreError::service("attachment store (read)", e))?
            .to_vec())
    }

    /// Delete a stored object whose row is already gone; a failure is logged, not returned (the row
    /// decides what exists).
    async fn delete_object(&self, key: &str) {
        if let Err(e) = self.files.delete(&ObjectPath::from(key)).await {
            tracing::warn!(key = %key, error = %e, "project file object not deleted");
        }
    }

    /// P7: the province removes a material recorded in error, with its file.
    pub async fn remove_material(&self, p: &Principal, project_id: i64, id: i64, ctx: &Ctx) -> StoreResult<()> {
        require(p, Action::ManageCatalog)?;
        self.project_in_scope(self.reader(), p, project_id).await?;
        let row = self.material_of(project_id, id).await?;
        let step = self.step(p, ctx).await?;
        let gone = project_material::Entity::delete_by_id(id).exec(&*step).await?;
        if gone.rows_affected != 1 {
            return Err(StoreError::NotFound);
        }
        let file = match row.file_id {
            Some(f) => project_file::Entity::find_by_id(f).one(&*step).await?,
            None => None,
        };
        if let Some(f) = &file {
            project_file::Entity::delete_by_id(f.id).exec(&*step).await?;
        }
        step.audit(AuditDraft::new(
            AuditAction::ProjectMaterialRemoved,
            project_id,
            json!({ "material_id": id, "kind": row.kind, "title": row.title }),
        ))
        .await?;
        step.commit().await?;
        if let Some(f) = file {
            self.delete_object(&f.storage_key).await;
        }
        Ok(())
    }
}
