//! Filing materials (S2, annex 1 附报材料): the four kinds with the files attached for each, as the
//! record page and a reviewer's findings page show them; the applicant uploads (multipart form; the
//! CSRF token travels in the action URL) and removes while the application is editable; anyone who may
//! see the filing, and the members of its opened evaluation group, download. Uploads have their own
//! body limit (`crate::routes::UPLOAD_LIMIT`).

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::Path;
use crate::view::done;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::stations::MaterialKind;
use store::StoreError;
use store::attachments::AttachmentView;

/// One of the four kinds of materials (annex 1, 附报材料) with the files attached for it.
pub struct MaterialView {
    pub(super) kind: &'static str,
    pub(super) label: &'static str,
    pub(super) files: Vec<AttachmentView>,
}

pub(super) fn material_views(files: Vec<AttachmentView>) -> Vec<MaterialView> {
    MaterialKind::ALL
        .iter()
        .map(|k| MaterialView {
            kind: k.id(),
            label: k.label(),
            files: files.iter().filter(|f| f.kind == *k).cloned().collect(),
        })
        .collect()
}

/// The materials card (`filings/materials.html`), on the filing page and a reviewer's findings page.
pub struct MaterialsBlock {
    pub(super) filing_id: i64,
    /// The applicant may upload and remove (draft or returned).
    pub(super) can_edit: bool,
    pub(super) materials: Vec<MaterialView>,
    pub(super) missing: Vec<&'static str>,
    /// The kind the upload form offers first: the first one still missing.
    pub(super) first_missing: &'static str,
}

impl MaterialsBlock {
    pub(super) fn new(filing_id: i64, files: Vec<AttachmentView>, can_edit: bool) -> Self {
        let materials = material_views(files);
        MaterialsBlock {
            filing_id,
            can_edit,
            missing: materials.iter().filter(|m| m.files.is_empty()).map(|m| m.label).collect(),
            first_missing: materials.iter().find(|m| m.files.is_empty()).map(|m| m.kind).unwrap_or(""),
            materials,
        }
    }

    pub(super) fn size(&self, bytes: &i64) -> String {
        size_label(*bytes)
    }
}

/// A file size in words: 12.3 KB, 1.5 MB.
pub fn size_label(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    if bytes < 1024 {
        format!("{} 字节", bytes.max(0))
    } else if b >= 1024.0 * 1024.0 {
        format!("{:.1} MB", b / 1024.0 / 1024.0)
    } else {
        format!("{:.1} KB", b / 1024.0)
    }
}

pub async fn upload(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let (kind, name, bytes) = match multipart {
        Ok(m) => read_upload(m).await.map_err(PageError)?,
        // Not an upload: the store answers 404/403 for those who may not attach, a field error otherwise.
        Err(_) => (String::new(), String::new(), Vec::new()),
    };
    let result = state
        .store
        .add_filing_attachment(&staff.principal, id, kind.trim().parse().ok(), &name, &bytes, &staff.ctx)
        .await
        .map(|_| ());
    match result {
        Ok(()) => Ok(done(format!("/filings/{id}"), "uploaded").into_response()),
        Err(StoreError::Invalid(e)) => {
            Ok(back_with_error(id, e.0.first().map(|f| f.detail.clone()).unwrap_or_default(), ""))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn download(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, att)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    let (meta, bytes) = state.store.read_filing_attachment(&staff.principal, id, att).await?;
    Ok(file_response(&meta, bytes))
}

/// The applicant removes a material while the application is editable (the page asks first).
pub async fn remove(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, att)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    match state.store.remove_filing_attachment(&staff.principal, id, att, &staff.ctx).await {
        Ok(()) => Ok(done(format!("/filings/{id}#materials"), "attachment_removed").into_response()),
        Err(StoreError::Conflict(e)) => Ok(back_with_error(id, e.detail, "#materials")),
        Err(e) => Err(e.into()),
    }
}

/// Back to the filing page, which then says once why a material could not be added or removed.
fn back_with_error(id: i64, reason: String, anchor: &str) -> Response {
    crate::view::back_with_error(format!("/filings/{id}{anchor}"), format!("未能办理：{reason}"))
}

/// Read the `kind` and `file` parts of an upload: (kind, file name, bytes).
pub async fn read_upload(mut multipart: Multipart) -> Result<(String, String, Vec<u8>), AppError> {
    let (mut kind, mut name, mut bytes) = (String::new(), String::new(), Vec::new());
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("kind") => kind = field.text().await.map_err(|_| AppError::BadRequest("上传内容不完整".into()))?,
                Some("file") => {
                    // No name: no file was chosen (the store asks for one).
                    name = field.file_name().unwrap_or_default().to_string();
                    bytes = field.bytes().await.map_err(|_| AppError::PayloadTooLarge)?.to_vec();
                }
                _ => {}
            },
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(AppError::PayloadTooLarge),
            Err(_) => return Err(AppError::BadRequest("上传内容不完整，请重新选择文件上传".into())),
        }
    }
    Ok((kind, name, bytes))
}

/// A download answer: the sniffed type, and the name as kept (cleaned, with the sniffed type's extension:
/// `store::attachments::download_name`; RFC 5987 for Chinese names, `attachment.<ext>` for old clients).
pub fn file_response(meta: &AttachmentView, bytes: Vec<u8>) -> Response {
    named_file_response(&meta.filename, &meta.content_type, bytes)
}

/// [`file_response`] for any kept file: its name as kept and its sniffed type (archived materials too).
pub fn named_file_response(filename: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    let ext: String =
        filename.rsplit_once('.').map_or("", |(_, e)| e).chars().filter(char::is_ascii_alphanumeric).collect();
    let encoded: String = filename
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'.' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"attachment.{ext}\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        bytes,
    )
        .into_response()
}
