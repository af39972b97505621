//! E7: the materials of an exam session kept in the archive (归档), `domain::exams::archives` holding
//! the rule ("纸质材料保存期不少于3年，电子材料保存期不少于5年"). This module keeps the records:
//!
//! - **archive** ([`Store::archive_material`]): only the session's station, once the session's score
//!   register has been confirmed (`ARCHIVE_BEFORE_CONFIRMATION`, 409); a paper material names its
//!   storage place, an electronic one its stored file. The date it keeps until is computed by
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
    /// The stored file of an electronic material: its name or reference (required for electronic).
    #[serde(default)]
    pub file_ref: String,
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
    pub file_ref: String,
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

/// A material due for disposal with its session.
#[derive(Debug, Clone)]
pub struct DueArchive {
    pub archive: ArchiveView,
    pub session: SessionView,
}

fn view(m: exam_archive::Model, on: Date) -> ArchiveView {
    let due = m.disposed_at.is_none() && may_dispose(on, m.keep_until);
    ArchiveView {
        id: m.id,
        session_id: m.session_id,
        title: m.title,
        medium: m.medium,
        location: m.location,
        file_ref: m.file_ref,
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

/// The checked material: title, medium, location, file reference.
fn check_archive(input: &ArchiveInput) -> Result<(String, ArchiveMedium, String, String), StoreError> {
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
    let file_ref = text_field(
        &mut errors,
        "file_ref",
        "电子文件",
        if electronic { &input.file_ref } else { "" },
        200,
        electronic.then_some(("ARCHIVE_FILE_REQUIRED", "电子材料须填写存储的文件名称或存储位置")),
    );
    match medium {
        Some(m) if errors.is_empty() => Ok((title, m, location, file_ref)),
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
    /// keeps until counted from the first confirmation by the policy's years. Answers the new row's id.
    pub async fn archive_material(
        &self,
        p: &Principal,
        session_id: i64,
        input: &ArchiveInput,
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
        let (title, medium, location, file_ref) = check_archive(input)?;
        let confirmed_on = shanghai_date(confirmed);
        let mut used = PolicyUsed::default();
        let paper: i64 = self.policy_parsed(keys::PAPER_RETENTION_YEARS, confirmed_on, &mut used).await?;
        let electronic: i64 = self.policy_parsed(keys::ELECTRONIC_RETENTION_YEARS, confirmed_on, &mut used).await?;
        let years = |v: i64, key: &str| u32::try_from(v).map_err(|e| StoreError::corrupt(format!("policy {key}"), e));
        let retention = Retention {
            paper_years: years(paper, keys::PAPER_RETENTION_YEARS)?,
            electronic_years: years(electronic, keys::ELECTRONIC_RETENTION_YEARS)?,
        };
        let until = keep_until(confirmed_on, medium, retention);
        let step = self.step(p, ctx).await?;
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
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        step.audit(AuditDraft::new(
            AuditAction::ExamMaterialArchived,
            session_id,
            json!({ "session_id": session_id, "archive_id": row.id, "title": title, "medium": medium,
                    "location": location, "file_ref": file_ref, "confirmed_on": confirmed_on.to_string(),
                    "keep_until": until.to_string(), "policy": used.to_json() }),
        ))
        .await?;
        step.commit().await?;
        Ok(row.id)
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
        step.audit(AuditDraft::new(
            AuditAction::ExamMaterialDisposed,
            a.session_id,
            json!({ "session_id": a.session_id, "archive_id": id, "title": a.title, "medium": a.medium,
                    "keep_until": a.keep_until.to_string(), "note": note }),
        ))
        .await?;
        step.commit().await?;
        Ok(())
    }

    /// E7: the materials in the caller's scope due for disposal (their date has come, not disposed of
    /// yet), the earliest date first.
    pub async fn archives_due(&self, p: &Principal, page: PageReq) -> StoreResult<Page<DueArchive>> {
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
            .filter(exam_archive::Column::KeepUntil.lte(on));
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
