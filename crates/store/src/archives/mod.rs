//! E7: the materials of an exam session kept in the archive (归档), `domain::exams::archives` holding
//! the rule ("纸质材料保存期不少于3年，电子材料保存期不少于5年"). This module keeps the records:
//!
//! - **archive** ([`Store::archive_material`]): only the session's station, once the session's score
//!   register has been confirmed (`ARCHIVE_BEFORE_CONFIRMATION`, 409); a paper material names its
//!   storage place, an electronic one carries its **uploaded file** ([`Store::archive_material`] takes
//!   the file's name and bytes; see "Electronic files" below). The date it keeps until is computed by
//!   `keep_until` from the FIRST confirmation of the register (the confirmed version with the lowest
//!   number, its date in Asia/Shanghai) and the policy's years in force that day — never typed.
//! - **reads** ([`Store::session_archives`]): the session's materials for everyone who reads the
//!   session; [`Store::archives_due`]: the materials in the caller's scope whose date has come and that
//!   are not disposed of yet (待销毁), oldest date first, paged.
//! - **disposal** ([`Store::dispose_material`]): the station or the organizer, on or after the date
//!   (`ARCHIVE_NOT_DUE` naming it, 409), with a note of how and why; recorded on the row (who, when,
//!   the note), which is kept — never a delete.
//!
//! Each change is one `Step` with its audit record (`exam_session.material_archived`,
//! `exam_session.material_disposed`).
//!
//! **Electronic files** (E7 "electronic (stored file)", m0028). The file is checked by its content, not
//! its name: its first bytes must be a PDF, a JPG or PNG image, or a zip container — an Office
//! document (.docx/.xlsx/.pptx) or a zip archive — (`ARCHIVE_FILE_TYPE`); it must hold something
//! (`ARCHIVE_FILE_REQUIRED` when no file came) and be at most the policy's
//! `archive.electronic_file_max_kb` (`ARCHIVE_FILE_TOO_LARGE`, 20 MB by default, never above the upload
//! body limit); every refusal names the field 「电子文件」 and comes with the other fields' errors at
//! once. It is kept through `keep_upload` (the one mechanism of `store::attachments`: the object
//! written under `sessions/{id}/archives/`, then the row with its cleaned name, sniffed type, size and
//! tagged digest, and the audit record in one step; if the step fails the object is deleted again).
//! Whoever reads the session's archives downloads it ([`Store::archive_file`]: the session in the
//! caller's scope, else 404).
//!
//! **Disposal of an electronic file deletes its object.** Disposal (销毁) of an electronic material *is*
//! the deletion of its file: keeping the bytes after a recorded disposal would make the record untrue
//! and keep candidates' personal data (rosters carry ID numbers) past the retention that justified it.
//! What stays is the proof: the row (name, type, size, digest, who disposed of it, when, how) and the
//! audit record, whose detail names the file and its digest and says the object is deleted. The
//! object goes after the commit, as a removed filing attachment's does: a failed deletion leaves the
//! disposal recorded and logs the key for the operator (`tracing::warn`), never silently; from the
//! disposal on, the file is not served (`ARCHIVE_FILE_DISPOSED`, 409) whether or not the object is
//! already gone.

use crate::attachments::StoredFile;
use crate::audit::AuditDraft;
use crate::entity::{exam_archive, exam_register, exam_session};
use crate::error::require;
use crate::policy::PolicyUsed;
use crate::sessions::{SessionView, is_organizer, is_station, scope_condition};
use crate::{Ctx, Page, PageReq, Store, StoreError, StoreResult, now, today};
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::exams::{ArchiveMedium, RegisterStatus, Retention, keep_until, may_dispose};
use domain::org::Principal;
use domain::policy::keys;
use domain::{FieldError, FieldErrors};
use object_store::ObjectStoreExt;
use object_store::path::Path as ObjectPath;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

/// What the station types to archive a material.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ArchiveInput {
    /// What the material is (考生花名册, 成绩登分册 …).
    #[serde(default)]
    pub title: String,
    /// An `ArchiveMedium` id: `paper` or `electronic`.
    #[serde(default)]
    pub medium: String,
    /// Where a paper material is kept (required for paper).
    #[serde(default)]
    pub location: String,
}

/// The file of an electronic material as uploaded: the name the browser sent and the bytes (empty when
/// no file was chosen).
#[derive(Debug, Clone, Copy, Default)]
pub struct ArchiveUpload<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// What the station or the organizer types to dispose of a material.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DisposeInput {
    /// How and why it is disposed of (销毁方式及情况).
    #[serde(default)]
    pub note: String,
}

/// One archived material.
#[derive(Debug, Clone)]
pub struct ArchiveView {
    pub id: i64,
    pub session_id: i64,
    pub title: String,
    pub medium: ArchiveMedium,
    pub location: String,
    /// The file's name (an electronic material; a typed reference on rows kept before m0028).
    pub file_ref: String,
    /// The uploaded file's sniffed type, size and tagged digest (none for paper and older rows).
    pub file_type: Option<String>,
    pub file_size: Option<i64>,
    pub file_digest: Option<String>,
    /// The uploaded file may be downloaded (one was kept and it is not disposed of).
    pub has_file: bool,
    pub keep_until: Date,
    pub archived_by: String,
    pub archived_at: OffsetDateTime,
    pub disposed_at: Option<OffsetDateTime>,
    pub disposed_by: Option<String>,
    pub disposal_note: String,
    /// Its date has come and it is not disposed of yet.
    pub due: bool,
}

/// The session's archive as its page shows it.
#[derive(Debug, Clone)]
pub struct SessionArchives {
    pub session_id: i64,
    /// The day the register was first confirmed (Asia/Shanghai), if it was.
    pub confirmed_on: Option<Date>,
    pub items: Vec<ArchiveView>,
    /// The caller may archive a material now (the station, the register confirmed).
    pub can_archive: bool,
    /// The caller may dispose of a due material (the station or the organizer).
    pub can_dispose: bool,
}

/// One material with what the caller may do with it.
#[derive(Debug, Clone)]
pub struct ArchiveDetail {
    pub archive: ArchiveView,
    /// The caller is the station or the organizer (the date decides the rest).
    pub can_dispose: bool,
}

/// The filter of the materials due for disposal: a part of the material's name, the medium.
#[derive(Debug, Clone, Default)]
pub struct DueFilter {
    pub q: Option<String>,
    pub medium: Option<ArchiveMedium>,
}

/// A material due for disposal with its session.
#[derive(Debug, Clone)]
pub struct DueArchive {
    pub archive: ArchiveView,
    pub session: SessionView,
}

fn view(m: exam_archive::Model, on: Date) -> ArchiveView {
    let due = m.disposed_at.is_none() && may_dispose(on, m.keep_until);
    let has_file = m.file_key.is_some() && m.disposed_at.is_none();
    ArchiveView {
        id: m.id,
        session_id: m.session_id,
        title: m.title,
        medium: m.medium,
        location: m.location,
        file_ref: m.file_ref,
        file_type: m.file_type,
        file_size: m.file_size,
        file_digest: m.file_digest,
        has_file,
        keep_until: m.keep_until,
        archived_by: m.archived_by,
        archived_at: m.archived_at,
        disposed_at: m.disposed_at,
        disposed_by: m.disposed_by,
        disposal_note: m.disposal_note,
        due,
    }
}

/// The Asia/Shanghai date of a moment.
fn shanghai_date(t: OffsetDateTime) -> Date {
    t.to_offset(time::macros::offset!(+8)).date()
}

fn text_field(
    errors: &mut FieldErrors,
    field: &str,
    label: &str,
    value: &str,
    max: usize,
    required: Option<(&'static str, &'static str)>,
) -> String {
    let v = value.trim().to_owned();
    if let Err(e) = domain::text::single_line(field, label, &v) {
        errors.push(e);
    } else if v.is_empty() {
        if let Some((code, msg)) = required {
            errors.push(FieldError::new(field, code, msg));
        }
    } else if v.chars().count() > max {
        errors.push(FieldError::new(field, "TOO_LONG", format!("「{label}」不能超过 {max} 个字")));
    }
    v
}

/// The type of an electronic material's file by its first bytes: PDF, JPG/PNG images, or a zip
/// container (.docx/.xlsx/.pptx or a zip archive); anything else is refused.
pub fn archive_file_type(bytes: &[u8]) -> Option<&'static str> {
    crate::attachments::sniff(bytes)
        .filter(|t| matches!(*t, "application/pdf" | "image/jpeg" | "image/png" | "application/zip"))
}

/// The file checks of an electronic material, every refusal naming the field 「电子文件」.
fn check_file(errors: &mut FieldErrors, file: ArchiveUpload<'_>, max_kb: i64) {
    if file.bytes.is_empty() {
        let name = file.name.trim();
        errors.push(if name.is_empty() {
            FieldError::new(
                "file",
                "ARCHIVE_FILE_REQUIRED",
                "电子材料须上传「电子文件」（PDF、图片、Word/Excel 或 ZIP 文件）",
            )
        } else {
            FieldError::new(
                "file",
                "ARCHIVE_FILE_REQUIRED",
                format!("「电子文件」{name} 为空（0 字节），请检查后重新选择"),
            )
        });
    } else if archive_file_type(file.bytes).is_none() {
        errors.push(FieldError::new(
            "file",
            "ARCHIVE_FILE_TYPE",
            "「电子文件」只接受 PDF、JPG/PNG 图片、Word/Excel（.docx/.xlsx）文档或 ZIP 压缩包（按文件内容识别）",
        ));
    } else if i64::try_from(file.bytes.len()).unwrap_or(i64::MAX) > max_kb.saturating_mul(1024) {
        errors.push(FieldError::new(
            "file",
            "ARCHIVE_FILE_TOO_LARGE",
            format!("「电子文件」不能超过 {max_kb} KB，请压缩或拆分后上传"),
        ));
    }
}

/// The checked material: title, medium, location (the file's checks beside them, all errors at once).
fn check_archive(
    input: &ArchiveInput,
    file: ArchiveUpload<'_>,
    max_kb: i64,
) -> Result<(String, ArchiveMedium, String), StoreError> {
    let mut errors = FieldErrors::new();
    let title = text_field(
        &mut errors,
        "title",
        "材料名称",
        &input.title,
        100,
        Some(("ARCHIVE_TITLE_REQUIRED", "请填写归档材料的名称（如考生花名册、成绩登分册、考评情况报告）")),
    );
    let medium = input.medium.trim().parse::<ArchiveMedium>().ok();
    if medium.is_none() {
        errors.push(FieldError::new("medium", "ARCHIVE_MEDIUM_REQUIRED", "请选择材料的载体（纸质或电子）"));
    }
    let paper = medium == Some(ArchiveMedium::Paper);
    let electronic = medium == Some(ArchiveMedium::Electronic);
    let location = text_field(
        &mut errors,
        "location",
        "存放地点",
        if paper { &input.location } else { "" },
        200,
        paper.then_some(("ARCHIVE_LOCATION_REQUIRED", "纸质材料须填写存放地点（如档案室及柜号）")),
    );
    if electronic {
        check_file(&mut errors, file, max_kb);
    }
    match medium {
        Some(m) if errors.is_empty() => Ok((title, m, location)),
        _ => Err(StoreError::Invalid(errors)),
    }
}

fn not_due(until: Date) -> StoreError {
    StoreError::Conflict(FieldError::new(
        "",
        "ARCHIVE_NOT_DUE",
        format!("该材料保存期至 {until}，期满前不得销毁（E7：纸质材料保存期不少于3年，电子材料不少于5年）"),
    ))
}

impl Store {
    /// E7: when the session's register was first confirmed (the confirmed version with the lowest
    /// number), if it was.
    async fn first_confirmation(&self, session_id: i64) -> StoreResult<Option<OffsetDateTime>> {
        Ok(exam_register::Entity::find()
            .filter(exam_register::Column::SessionId.eq(session_id))
            .filter(exam_register::Column::Status.eq(RegisterStatus::Confirmed))
            .order_by_asc(exam_register::Column::Version)
            .one(self.reader())
            .await?
            .and_then(|r| r.decided_at))
    }

    /// E7: the session's archived materials, oldest first, for everyone who reads the session.
    pub async fn session_archives(&self, p: &Principal, session_id: i64) -> StoreResult<SessionArchives> {
        let m = self.session_in_scope(p, session_id).await?;
        let confirmed_on = self.first_confirmation(session_id).await?.map(shanghai_date);
        let on = today();
        let items = exam_archive::Entity::find()
            .filter(exam_archive::Column::SessionId.eq(session_id))
            .order_by_asc(exam_archive::Column::Id)
            .all(self.reader())
            .await?
            .into_iter()
            .map(|a| view(a, on))
            .collect();
        Ok(SessionArchives {
            session_id,
            confirmed_on,
            items,
            can_archive: confirmed_on.is_some() && is_station(p, &m),
            can_dispose: is_station(p, &m) || is_organizer(p, &m),
        })
    }

    /// E7: one archived material in the caller's scope (by its session), and whether the caller may
    /// dispose of it (the station or the organizer).
    pub async fn get_archive(&self, p: &Principal, id: i64) -> StoreResult<ArchiveDetail> {
        require(p, Action::ListSessions)?;
        let a = exam_archive::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let m = self.session_in_scope(p, a.session_id).await?;
        Ok(ArchiveDetail { archive: view(a, today()), can_dispose: is_station(p, &m) || is_organizer(p, &m) })
    }

    /// E7: the station archives a material of its session once the register is confirmed; the date it
    /// keeps until counted from the first confirmation by the policy's years. An electronic material
    /// carries its uploaded `file` (ignored for paper). Answers the new row's id.
    pub async fn archive_material(
        &self,
        p: &Principal,
        session_id: i64,
        input: &ArchiveInput,
        file: ArchiveUpload<'_>,
        ctx: &Ctx,
    ) -> StoreResult<i64> {
        require(p, Action::PlanSessions)?;
        let m = self.session_in_scope(p, session_id).await?;
        if !is_station(p, &m) {
            return Err(StoreError::Forbidden);
        }
        let confirmed = self.first_confirmation(session_id).await?.ok_or_else(|| {
            StoreError::Conflict(FieldError::new(
                "",
                "ARCHIVE_BEFORE_CONFIRMATION",
                "成绩登分册经组织考核的鉴定中心审核确认后，方可将考核材料归档",
            ))
        })?;
        // The file's size limit is noted in the audit record only for an electronic material.
        let mut file_policy = PolicyUsed::default();
        let max_kb: i64 = self.policy_parsed(keys::ARCHIVE_FILE_MAX_KB, today(), &mut file_policy).await?;
        let (title, medium, location) = check_archive(input, file, max_kb)?;
        let mut used = if medium == ArchiveMedium::Electronic { file_policy } else { PolicyUsed::default() };
        let confirmed_on = shanghai_date(confirmed);
        let paper: i64 = self.policy_parsed(keys::PAPER_RETENTION_YEARS, confirmed_on, &mut used).await?;
        let electronic: i64 = self.policy_parsed(keys::ELECTRONIC_RETENTION_YEARS, confirmed_on, &mut used).await?;
        let years = |v: i64, key: &str| u32::try_from(v).map_err(|e| StoreError::corrupt(format!("policy {key}"), e));
        let retention = Retention {
            paper_years: years(paper, keys::PAPER_RETENTION_YEARS)?,
            electronic_years: years(electronic, keys::ELECTRONIC_RETENTION_YEARS)?,
        };
        let until = keep_until(confirmed_on, medium, retention);
        let record = async |step: &crate::step::Step, stored: Option<StoredFile>| -> StoreResult<i64> {
            let file_ref = stored.as_ref().map(|f| f.filename.clone()).unwrap_or_default();
            let row = exam_archive::ActiveModel {
                session_id: Set(session_id),
                title: Set(title.clone()),
                medium: Set(medium),
                location: Set(location.clone()),
                file_ref: Set(file_ref.clone()),
                keep_until: Set(until),
                archived_by: Set(p.username.clone()),
                archived_at: Set(now()),
                disposed_at: Set(None),
                disposed_by: Set(None),
                disposal_note: Set(String::new()),
                file_key: Set(stored.as_ref().map(|f| f.key.clone())),
                file_type: Set(stored.as_ref().map(|f| f.content_type.to_owned())),
                file_digest: Set(stored.as_ref().map(|f| f.digest.clone())),
                file_size: Set(stored.as_ref().map(|f| f.size)),
                ..Default::default()
            }
            .insert(&**step)
            .await?;
            let file = stored
                .map(|f| json!({ "name": f.filename, "type": f.content_type, "size": f.size, "digest": f.digest }));
            step.audit(AuditDraft::new(
                AuditAction::ExamMaterialArchived,
                session_id,
                json!({ "session_id": session_id, "archive_id": row.id, "title": title, "medium": medium,
                        "location": location, "file": file, "confirmed_on": confirmed_on.to_string(),
                        "keep_until": until.to_string(), "policy": used.to_json() }),
            ))
            .await?;
            Ok(row.id)
        };
        if medium == ArchiveMedium::Electronic {
            let stored = StoredFile::of(file.name, file.bytes)?;
            let prefix = format!("sessions/{session_id}/archives");
            self.keep_upload(p, ctx, &prefix, file.bytes, stored, async |step, f| record(step, Some(f)).await).await
        } else {
            let step = self.step(p, ctx).await?;
            let id = record(&step, None).await?;
            step.commit().await?;
            Ok(id)
        }
    }

    /// E7: the uploaded file of an electronic material, for whoever reads the session's archives (the
    /// session in scope, else 404); none kept (paper, older rows) is 404, a disposed one
    /// `ARCHIVE_FILE_DISPOSED` (409).
    pub async fn archive_file(&self, p: &Principal, id: i64) -> StoreResult<(ArchiveView, Vec<u8>)> {
        require(p, Action::ListSessions)?;
        let a = exam_archive::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        self.session_in_scope(p, a.session_id).await?;
        let key = a.file_key.clone().ok_or(StoreError::NotFound)?;
        if let Some(at) = a.disposed_at {
            return Err(StoreError::Conflict(FieldError::new(
                "",
                "ARCHIVE_FILE_DISPOSED",
                format!("该电子材料已于 {} 登记销毁，文件已删除，销毁记录保留备查", shanghai_date(at)),
            )));
        }
        let bytes = self
            .files
            .get(&ObjectPath::from(key.as_str()))
            .await
            .map_err(|e| StoreError::service("archive store (get)", e))?
            .bytes()
            .await
            .map_err(|e| StoreError::service("archive store (read)", e))?;
        Ok((view(a, today()), bytes.to_vec()))
    }

    /// E7: the station or the organizer records the disposal of a material on or after its date, with
    /// how and why; the row is kept.
    pub async fn dispose_material(&self, p: &Principal, id: i64, input: &DisposeInput, ctx: &Ctx) -> StoreResult<()> {
        require(p, Action::ListSessions)?;
        let a = exam_archive::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let m = self.session_in_scope(p, a.session_id).await?;
        if !(is_station(p, &m) || is_organizer(p, &m)) {
            return Err(StoreError::Forbidden);
        }
        if a.disposed_at.is_some() {
            return Err(StoreError::Conflict(FieldError::new("", "ARCHIVE_DISPOSED", "该材料已登记销毁")));
        }
        if !may_dispose(today(), a.keep_until) {
            return Err(not_due(a.keep_until));
        }
        let mut errors = FieldErrors::new();
        let note = input.note.trim().to_owned();
        if let Err(e) = domain::text::check("note", "销毁情况", &note) {
            errors.push(e);
        } else if note.is_empty() {
            errors.push(FieldError::new(
                "note",
                "ARCHIVE_NOTE_REQUIRED",
                "请填写销毁方式及情况（如经批准后碎纸销毁、监销人）",
            ));
        } else if note.chars().count() > 500 {
            errors.push(FieldError::new("note", "TOO_LONG", "「销毁情况」不能超过 500 个字"));
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let step = self.step(p, ctx).await?;
        let at = now();
        // Claimed only while not disposed of: of two people disposing at once, the second is refused.
        let r = exam_archive::Entity::update_many()
            .col_expr(exam_archive::Column::DisposedAt, Expr::value(Some(at)))
            .col_expr(exam_archive::Column::DisposedBy, Expr::value(Some(p.username.clone())))
            .col_expr(exam_archive::Column::DisposalNote, Expr::value(note.clone()))
            .filter(exam_archive::Column::Id.eq(id))
            .filter(exam_archive::Column::DisposedAt.is_null())
            .exec(&*step)
            .await?;
        if r.rows_affected != 1 {
            return Err(StoreError::Conflict(FieldError::new("", "ARCHIVE_DISPOSED", "该材料已登记销毁")));
        }
        // The file named in the record with its digest; its object deleted after the commit (module doc).
        let file = a.file_key.as_ref().map(|_| {
            json!({ "name": a.file_ref, "type": a.file_type, "size": a.file_size, "digest": a.file_digest,
                    "object": "deleted" })
        });
        step.audit(AuditDraft::new(
            AuditAction::ExamMaterialDisposed,
            a.session_id,
            json!({ "session_id": a.session_id, "archive_id": id, "title": a.title, "medium": a.medium,
                    "keep_until": a.keep_until.to_string(), "note": note, "file": file }),
        ))
        .await?;
        step.commit().await?;
        if let Some(key) = a.file_key
            && let Err(e) = self.files.delete(&ObjectPath::from(key.as_str())).await
        {
            // The disposal is recorded; the object still there is named for the operator.
            tracing::warn!(key = %key, archive = id, error = %e, "disposed archive file not deleted");
        }
        Ok(())
    }

    /// E7: the materials in the caller's scope due for disposal (their date has come, not disposed of
    /// yet), the earliest date first.
    pub async fn archives_due(&self, p: &Principal, f: &DueFilter, page: PageReq) -> StoreResult<Page<DueArchive>> {
        require(p, Action::ListSessions)?;
        let on = today();
        let sessions = exam_session::Entity::find()
            .select_only()
            .column(exam_session::Column::Id)
            .filter(scope_condition(&p.scope))
            .into_query();
        let sel = exam_archive::Entity::find()
            .filter(exam_archive::Column::SessionId.in_subquery(sessions))
            .filter(exam_archive::Column::DisposedAt.is_null())
            .filter(exam_archive::Column::KeepUntil.lte(on))
            .apply_if(f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()), |s, q| {
                s.filter(exam_archive::Column::Title.contains(q))
            })
            .apply_if(f.medium, |s, m| s.filter(exam_archive::Column::Medium.eq(m)));
        let rows = crate::fetch_page(self.reader(), sel, exam_archive::Column::KeepUntil, false, page).await?;
        let mut ids: Vec<i64> = rows.items.iter().map(|a| a.session_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let models =
            exam_session::Entity::find().filter(exam_session::Column::Id.is_in(ids)).all(self.reader()).await?;
        let sessions: HashMap<i64, SessionView> =
            self.session_views(models).await?.into_iter().map(|s| (s.id, s)).collect();
        let items = rows
            .items
            .into_iter()
            .filter_map(|a| {
                let session = sessions.get(&a.session_id)?.clone();
                Some(DueArchive { archive: view(a, on), session })
            })
            .collect();
        Ok(Page { items, total: rows.total, page: rows.page, per_page: rows.per_page })
    }
}
