//! A candidate's photo for the admission ticket (issue 12): uploaded by the candidate for their own
//! confirmed application, or by the session's station for a roster row; JPG or PNG by its first bytes
//! (`PHOTO_TYPE`), at most the policy's `exam.candidate_photo_max_kb` (`PHOTO_TOO_LARGE`). A new photo
//! replaces the old one: the row and its audit record in one step, the old object deleted after it.

use crate::attachments::StoredFile;
use crate::audit::AuditDraft;
use crate::entity::{exam_application, exam_candidate};
use crate::policy::PolicyUsed;
use crate::sessions::is_station;
use crate::{Ctx, Store, StoreError, StoreResult, today};
use domain::FieldError;
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::exams::ApplicationStatus;
use domain::org::Principal;
use domain::policy::keys;
use object_store::ObjectStoreExt;
use object_store::path::Path as ObjectPath;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::json;

/// A photo's bytes and type.
#[derive(Debug, Clone)]
pub struct Photo {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

fn photo_error(code: &'static str, detail: String) -> StoreError {
    StoreError::Invalid(FieldError::new("photo", code, detail).into())
}

impl Store {
    /// The candidate's roster row behind their own confirmed application (another's: not found;
    /// not yet confirmed: `TICKET_NOT_READY`).
    async fn own_roster_row(&self, p: &Principal, application_id: i64) -> StoreResult<exam_candidate::Model> {
        crate::error::require(p, Action::ApplyExams)?;
        let a = exam_application::Entity::find_by_id(application_id)
            .one(self.reader())
            .await?
            .filter(|a| a.user_id == p.user_id)
            .ok_or(StoreError::NotFound)?;
        let row = match (a.status, a.candidate_id) {
            (ApplicationStatus::Confirmed, Some(cid)) => {
                exam_candidate::Entity::find_by_id(cid).one(self.reader()).await?
            }
            _ => None,
        };
        row.ok_or_else(|| {
            StoreError::Conflict(FieldError::new("", "TICKET_NOT_READY", "报名经考核站确认后才能上传准考证照片"))
        })
    }

    /// A roster row of a session the caller's station runs (others: 403 by role, 404 by scope).
    async fn station_roster_row(&self, p: &Principal, session_id: i64, cid: i64) -> StoreResult<exam_candidate::Model> {
        let m = self.session_in_scope(p, session_id).await?;
        if !is_station(p, &m) {
            return Err(StoreError::Forbidden);
        }
        exam_candidate::Entity::find_by_id(cid)
            .one(self.reader())
            .await?
            .filter(|c| c.session_id == session_id)
            .ok_or(StoreError::NotFound)
    }

    /// Issue 12: the candidate uploads the photo of their own ticket.
    pub async fn upload_my_photo(
        &self,
        p: &Principal,
        application_id: i64,
        filename: &str,
        bytes: &[u8],
        ctx: &Ctx,
    ) -> StoreResult<()> {
        let row = self.own_roster_row(p, application_id).await?;
        self.keep_photo(p, row, filename, bytes, ctx).await
    }

    /// Issue 12: the session's station uploads the photo of a candidate on its roster.
    pub async fn upload_candidate_photo(
        &self,
        p: &Principal,
        session_id: i64,
        cid: i64,
        filename: &str,
        bytes: &[u8],
        ctx: &Ctx,
    ) -> StoreResult<()> {
        let row = self.station_roster_row(p, session_id, cid).await?;
        self.keep_photo(p, row, filename, bytes, ctx).await
    }

    /// The photo of the candidate's own ticket (not found when none was uploaded).
    pub async fn my_photo(&self, p: &Principal, application_id: i64) -> StoreResult<Photo> {
        let row = self.own_roster_row(p, application_id).await?;
        self.read_photo(&row).await
    }

    /// The photo of a roster row, for whoever sees the session.
    pub async fn candidate_photo(&self, p: &Principal, session_id: i64, cid: i64) -> StoreResult<Photo> {
        self.session_in_scope(p, session_id).await?;
        let row = exam_candidate::Entity::find_by_id(cid)
            .one(self.reader())
            .await?
            .filter(|c| c.session_id == session_id)
            .ok_or(StoreError::NotFound)?;
        self.read_photo(&row).await
    }

    /// The photo of a roster row (not found when none was uploaded).
    pub(crate) async fn read_photo(&self, row: &exam_candidate::Model) -> StoreResult<Photo> {
        let key = row.photo_key.as_deref().ok_or(StoreError::NotFound)?;
        let bytes = self
            .files
            .get(&ObjectPath::from(key))
            .await
            .map_err(|e| StoreError::service("photo store (get)", e))?
            .bytes()
            .await
            .map_err(|e| StoreError::service("photo store (read)", e))?
            .to_vec();
        let content_type = match crate::attachments::sniff(&bytes) {
            Some(t @ ("image/jpeg" | "image/png")) => t,
            _ => return Err(StoreError::corrupt(format!("photo of candidate {}", row.id), "not a JPG or PNG")),
        };
        Ok(Photo { content_type, bytes })
    }

    async fn keep_photo(
        &self,
        p: &Principal,
        row: exam_candidate::Model,
        filename: &str,
        bytes: &[u8],
        ctx: &Ctx,
    ) -> StoreResult<()> {
        if bytes.is_empty() {
            return Err(photo_error("PHOTO_MISSING", "请选择要上传的照片（JPG 或 PNG 图片）".into()));
        }
        if !matches!(crate::attachments::sniff(bytes), Some("image/jpeg" | "image/png")) {
            return Err(photo_error("PHOTO_TYPE", "照片须为 JPG 或 PNG 图片".into()));
        }
        let mut used = PolicyUsed::default();
        let max_kb: i64 = self.policy_parsed(keys::CANDIDATE_PHOTO_MAX_KB, today(), &mut used).await?;
        if bytes.len() as i64 > max_kb * 1024 {
            return Err(photo_error("PHOTO_TOO_LARGE", format!("照片不能超过 {max_kb} KB，请压缩后重新上传")));
        }
        let file = StoredFile::of(filename, bytes)?;
        let old = row.photo_key.clone();
        let prefix = format!("sessions/{}/photos", row.session_id);
        self.keep_upload(p, ctx, &prefix, bytes, file, async |step, file| {
            exam_candidate::ActiveModel { id: Set(row.id), photo_key: Set(Some(file.key)), ..Default::default() }
                .update(&**step)
                .await?;
            step.audit(AuditDraft::new(
                AuditAction::ExamCandidatePhotoUploaded,
                row.session_id,
                json!({ "session_id": row.session_id, "candidate_id": row.id, "digest": file.digest,
                        "size": file.size, "policy": used.to_json() }),
            ))
            .await?;
            Ok(row.id)
        })
        .await?;
        if let Some(old) = old {
            let _ = self.files.delete(&ObjectPath::from(old.as_str())).await;
        }
        Ok(())
    }
}
