//! Attachments (S2: the four kinds of filing materials): type and size checked by content, stored
//! through one interface (`object_store`: a local directory by default, S3-compatible in production),
//! recorded with their digest in the same transaction as the audit record.

use crate::audit::AuditDraft;
use crate::entity::attachment;
use crate::{Ctx, Store, StoreError, StoreResult, now};
use domain::FieldError;
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::org::Principal;
use domain::stations::MaterialKind;
use domain::workflow::SubjectKind;
use object_store::ObjectStoreExt;
use object_store::path::Path as ObjectPath;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

const NOT_EDITABLE: &str = "申请已提交，不能再更改附件";

/// An upload checked by its content ([`check_upload`]) and named for download; the key and digest are
/// filled in by [`Store::keep_upload`] when it is stored.
#[derive(Debug, Clone)]
pub(crate) struct StoredFile {
    pub(crate) filename: String,
    pub(crate) content_type: &'static str,
    pub(crate) size: i64,
    pub(crate) key: String,
    pub(crate) digest: String,
}

impl StoredFile {
    pub(crate) fn of(filename: &str, bytes: &[u8]) -> StoreResult<Self> {
        let content_type = check_upload(filename, bytes)?;
        Ok(StoredFile {
            filename: download_name(filename, content_type),
            content_type,
            size: bytes.len() as i64,
            key: String::new(),
            digest: String::new(),
        })
    }
}

/// The largest attachment accepted (bytes).
pub const MAX_ATTACHMENT_BYTES: usize = 20 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct AttachmentView {
    pub id: i64,
    pub kind: MaterialKind,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub digest: String,
    pub uploaded_by: String,
    /// The uploader's name, as staff read it.
    pub uploaded_by_name: String,
    pub uploaded_at: time::OffsetDateTime,
}

fn view(m: attachment::Model) -> AttachmentView {
    AttachmentView {
        id: m.id,
        kind: m.kind,
        filename: download_name(&m.filename, &m.content_type),
        content_type: m.content_type,
        size: m.size,
        digest: m.digest,
        uploaded_by_name: m.uploaded_by.clone(),
        uploaded_by: m.uploaded_by,
        uploaded_at: m.uploaded_at,
    }
}

/// The type of a file by its first bytes (not by its name): PDF, images, Office documents.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G']) {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[b'P', b'K', 3, 4]) {
        Some("application/zip")
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some("application/msword")
    } else {
        None
    }
}

/// The name a file is kept and downloaded under: cleaned (`domain::text::clean_file_name`: no path, no
/// `.`/`..`, no control, bidirectional or zero-width characters) and carrying the extension of the type
/// its bytes were sniffed as — `报告.exe` sniffed as PDF is `报告.pdf`. For the container types (a zip:
/// .docx/.xlsx/.pptx; an OLE file: .doc/.xls/.ppt) the name's own extension stays when it is one of them.
pub fn download_name(name: &str, content_type: &str) -> String {
    let name = domain::text::clean_file_name(name);
    let family: &[&str] = match content_type {
        "application/pdf" => &["pdf"],
        "image/png" => &["png"],
        "image/jpeg" => &["jpg", "jpeg"],
        "application/zip" => &["docx", "xlsx", "pptx", "zip"],
        "application/msword" => &["doc", "xls", "ppt"],
        _ => &["bin"],
    };
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if family.contains(&ext.as_str()) { name } else { domain::text::with_extension(&name, family[0]) }
}

/// An upload's checks, shared by every kind of file kept with a record (filing materials, project
/// files): a file was chosen and holds something, at most [`MAX_ATTACHMENT_BYTES`], and its first bytes
/// are one of the accepted types — returned as the sniffed content type.
pub(crate) fn check_upload(filename: &str, bytes: &[u8]) -> StoreResult<&'static str> {
    // Issue 9 item 7: no file chosen (the browser sends an empty part without a name) is not the
    // same mistake as a chosen file that holds nothing.
    if bytes.is_empty() {
        let name = filename.trim();
        return Err(if name.is_empty() {
            FieldError::new("file", "FILE_MISSING", "请选择要上传的文件")
        } else {
            FieldError::new("file", "FILE_EMPTY", format!("文件「{name}」为空（0 字节），请检查后重新选择"))
        }
        .into());
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(FieldError::new(
            "file",
            "FILE_TOO_LARGE",
            format!("文件不能超过 {} MB", MAX_ATTACHMENT_BYTES / 1024 / 1024),
        )
        .into());
    }
    let Some(content_type) = sniff(bytes) else {
        return Err(FieldError::new("file", "FILE_TYPE", "只接受 PDF、JPG、PNG 或 Word/Excel 文件").into());
    };
    Ok(content_type)
}

impl Store {
    /// Who may read a filing's materials: whoever may see the filing, and the members of its
    /// evaluation group once the seal has opened (they review the materials, S4). Decided by role
    /// first (issue 8 item 8): a role that reads no materials is refused whatever the id; to an
    /// expert, a filing whose group they are not in (or not yet opened) does not exist.
    async fn may_read_materials(&self, p: &Principal, filing_id: i64) -> StoreResult<()> {
        if p.can(Action::ListFilings) {
            match self.filing_in_scope(self.reader(), p, filing_id).await {
                Err(StoreError::NotFound) if p.can(Action::RecordFindings) => {}
                found => return found.map(|_| ()),
            }
        }
        if p.can(Action::RecordFindings) {
            return self.findings_access(p, filing_id).await.map(|_| ());
        }
        Err(StoreError::Forbidden)
    }

    /// The applicant attaches a material to its application while it can still edit it.
    pub async fn add_filing_attachment(
        &self,
        p: &Principal,
        filing_id: i64,
        kind: Option<MaterialKind>,
        filename: &str,
        bytes: &[u8],
        ctx: &Ctx,
    ) -> StoreResult<i64> {
        self.editable_by_applicant(p, filing_id, "file", NOT_EDITABLE).await?;
        let Some(kind) = kind else {
            return Err(FieldError::new("kind", "MATERIAL_KIND", "请选择附件材料的类别").into());
        };
        let file = StoredFile::of(filename, bytes)?;
        self.keep_upload(p, ctx, &format!("filings/{filing_id}"), bytes, file, async |step, file| {
            let row = attachment::ActiveModel {
                subject_kind: Set(SubjectKind::Filing),
                subject_id: Set(filing_id.to_string()),
                kind: Set(kind),
                filename: Set(file.filename),
                content_type: Set(file.content_type.into()),
                size: Set(file.size),
                digest: Set(file.digest.clone()),
                storage_key: Set(file.key),
                uploaded_by: Set(p.username.clone()),
                uploaded_at: Set(now()),
                ..Default::default()
            }
            .insert(&**step)
            .await?;
            step.audit(AuditDraft::new(
                AuditAction::FilingAttachmentAdded,
                filing_id,
                json!({ "kind": kind, "digest": file.digest, "size": file.size }),
            ))
            .await?;
            Ok(row.id)
        })
        .await
    }

    /// Keep an upload's bytes in the file store under `prefix`, then write its record with `record` in
    /// one step (row and audit record). Nothing is half-saved: when the step fails — opening,
    /// recording or committing — the stored object is deleted again. One mechanism for every kind of
    /// kept file (filing materials, project files).
    pub(crate) async fn keep_upload(
        &self,
        p: &Principal,
        ctx: &Ctx,
        prefix: &str,
        bytes: &[u8],
        mut file: StoredFile,
        record: impl AsyncFnOnce(&crate::step::Step, StoredFile) -> StoreResult<i64>,
    ) -> StoreResult<i64> {
        file.key = format!("{prefix}/{}", uuid::Uuid::new_v4());
        let location = ObjectPath::from(file.key.as_str());
        self.files
            .put(&location, bytes.to_vec().into())
            .await
            .map_err(|e| StoreError::service("attachment store (put)", e))?;
        file.digest = self.crypto.hash(bytes).to_string();
        let result = async {
            let step = self.step(p, ctx).await?;
            let id = record(&step, file).await?;
            step.commit().await?;
            Ok(id)
        }
        .await;
        if result.is_err() {
            let _ = self.files.delete(&location).await;
        }
        result
    }

    pub async fn list_filing_attachments(&self, p: &Principal, filing_id: i64) -> StoreResult<Vec<AttachmentView>> {
        self.may_read_materials(p, filing_id).await?;
        self.filing_attachments(filing_id).await
    }

    /// A filing's materials, for a caller whose right to read them is already checked.
    pub(crate) async fn filing_attachments(&self, filing_id: i64) -> StoreResult<Vec<AttachmentView>> {
        let rows = attachment::Entity::find()
            .filter(attachment::Column::SubjectKind.eq(SubjectKind::Filing))
            .filter(attachment::Column::SubjectId.eq(filing_id.to_string()))
            .order_by_asc(attachment::Column::Id)
            .all(self.reader())
            .await?;
        let people =
            crate::workflow::people(self.reader(), rows.iter().map(|r| r.uploaded_by.clone()).collect()).await?;
        Ok(rows
            .into_iter()
            .map(view)
            .map(|mut v| {
                if let Some(p) = people.get(&v.uploaded_by) {
                    v.uploaded_by_name = p.name.clone();
                }
                v
            })
            .collect())
    }

    /// An attachment's bytes for someone who may see the filing (or review it).
    pub async fn read_filing_attachment(
        &self,
        p: &Principal,
        filing_id: i64,
        id: i64,
    ) -> StoreResult<(AttachmentView, Vec<u8>)> {
        self.may_read_materials(p, filing_id).await?;
        let m = self.attachment_of(filing_id, id).await?;
        let bytes = self
            .files
            .get(&ObjectPath::from(m.storage_key.as_str()))
            .await
            .map_err(|e| StoreError::service("attachment store (get)", e))?
            .bytes()
            .await
            .map_err(|e| StoreError::service("attachment store (read)", e))?;
        Ok((view(m), bytes.to_vec()))
    }

    async fn attachment_of(&self, filing_id: i64, id: i64) -> StoreResult<attachment::Model> {
        let m = attachment::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        if m.subject_kind != SubjectKind::Filing || m.subject_id != filing_id.to_string() {
            return Err(StoreError::NotFound);
        }
        Ok(m)
    }

    /// The applicant removes a material (a wrong or outdated file) while it can still edit the
    /// application; the record and its audit entry go in one transaction, the stored file after it.
    pub async fn remove_filing_attachment(&self, p: &Principal, filing_id: i64, id: i64, ctx: &Ctx) -> StoreResult<()> {
        self.editable_by_applicant(p, filing_id, "", NOT_EDITABLE).await?;
        let m = self.attachment_of(filing_id, id).await?;
        let step = self.step(p, ctx).await?;
        attachment::Entity::delete_by_id(m.id).exec(&*step).await?;
        step.audit(AuditDraft::new(
            AuditAction::FilingAttachmentRemoved,
            filing_id,
            json!({ "kind": m.kind, "digest": m.digest, "size": m.size }),
        ))
        .await?;
        step.commit().await?;
        if let Err(e) = self.files.delete(&ObjectPath::from(m.storage_key.as_str())).await {
            // The record is gone; an orphaned object is harmless and is named for the operator.
            tracing::warn!(key = %m.storage_key, error = %e, "attachment object not deleted");
        }
        Ok(())
    }

    /// The kinds of material attached to a filing (the submit step requires all four).
    pub(crate) async fn filing_material_kinds(&self, filing_id: i64) -> StoreResult<Vec<MaterialKind>> {
        Ok(attachment::Entity::find()
            .filter(attachment::Column::SubjectKind.eq(SubjectKind::Filing))
            .filter(attachment::Column::SubjectId.eq(filing_id.to_string()))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|a| a.kind)
            .collect())
    }
}
