//! Papers released to an exam and their custody ledger (E2: "市州鉴定中心向省鉴定中心提出试题使用书面申请，
//! 由省鉴定中心统一调配……试卷的抽取、印制、分发等环节……责任到人、痕迹可追溯"). `domain::question_bank::custody`
//! holds the rules (order, person, counts reconciled at every step); this module keeps the ledger:
//!
//! - **request** (`RequestPapers`: a center's staff): a catalog project that may hold an exam on the
//!   exam's date (P8, [`Store::may_hold_exam`]), the exam in words (exam sessions come with issue 12),
//!   the copies asked for; a to-do for the province's question bank office;
//! - **approve** (`DispatchPapers`, the question bank officer of the province): the paper allocated — an
//!   assembled paper of the same project — and the copies approved (at most those asked for);
//! - **printed, sealed, handed over** (the question bank office) and **opened** before two candidate
//!   witnesses, **returned or destroyed** (the requesting center), each with the person responsible and
//!   the count; a count that does not reconcile is refused naming the step and the missing copies, and
//!   nothing is recorded, so the chain stops there until the copies are found.
//!
//! Every step is one [`crate::step::Step`]: the release's row claimed by the step it read (409
//! `RELEASE_CHANGED` to the second of two people recording at once), the ledger row, the workflow event
//! with the next actor's to-do, and the audit record (`paper.release_requested`,
//! `paper.release_approved`, `paper.custody_recorded` naming the step). A center sees its own releases,
//! the province all of them; the paper's content stays with the question bank (only its id and label
//! are shown here).

use crate::audit::AuditDraft;
use crate::entity::{org, paper_custody_step, paper_release, project, qbank_paper};
use crate::error::require;
use crate::workflow::{NewEvent, TimelineItem};
use crate::{Ctx, Page, PageReq, Store, StoreError, StoreResult, now};
use domain::authz::Action;
use domain::org::{DataScope, Location, Principal, Role};
use domain::question_bank::{CustodyEntry, CustodyError, CustodyLedger, CustodyStep};
use domain::workflow::SubjectKind;
use domain::{FieldError, FieldErrors};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Deserialize;
use serde_json::json;
use time::{Date, OffsetDateTime};

mod session;
pub use session::{ReleaseSession, SessionRelease};

/// The most copies one release may ask for.
pub const MAX_COPIES: u32 = 2000;

/// A request as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReleaseRequestInput {
    /// The exam session the papers are for (issue 12): its project, days and words are the request's
    /// unless typed; empty for an exam named in words only.
    #[serde(default)]
    pub session_id: String,
    /// The catalog project's code.
    #[serde(default)]
    pub project_code: String,
    /// The exam in words: station, session, place.
    #[serde(default)]
    pub exam: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub exam_date: String,
    #[serde(default)]
    pub copies: String,
}

/// A custody step as typed (approval included).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CustodyInput {
    /// `approved`, `printed`, `sealed`, `handed_over`, `opened`, `returned` or `destroyed`.
    #[serde(default)]
    pub step: String,
    /// The step the caller saw last (the ledger's state when the page was shown).
    #[serde(default)]
    pub expected_state: String,
    #[serde(default)]
    pub responsible: String,
    #[serde(default)]
    pub copies: String,
    /// Approved: the paper allocated.
    #[serde(default)]
    pub paper_id: String,
    /// Handed over: to whom.
    #[serde(default)]
    pub recipient: String,
    /// Opened: the two candidate witnesses.
    #[serde(default)]
    pub witness1: String,
    #[serde(default)]
    pub witness2: String,
    /// Returned or destroyed: the copies answered by candidates.
    #[serde(default)]
    pub used: String,
}

/// A release as lists and pages show it.
#[derive(Debug, Clone)]
pub struct ReleaseView {
    pub id: i64,
    pub project_id: i64,
    pub project_code: String,
    pub project_name: String,
    pub org_name: String,
    pub exam: String,
    pub exam_date: Date,
    pub copies_requested: u32,
    pub paper_id: Option<i64>,
    pub paper_label: Option<String>,
    pub copies_approved: Option<u32>,
    pub state: CustodyStep,
    pub requested_by: String,
    pub created_at: OffsetDateTime,
    /// The exam session the papers are for.
    pub session_id: Option<i64>,
}

/// One recorded step.
#[derive(Debug, Clone)]
pub struct CustodyView {
    pub step: CustodyStep,
    pub responsible: String,
    pub copies: u32,
    pub recipient: String,
    pub witnesses: Vec<String>,
    pub used: u32,
    /// Who recorded it: name and office (`李四（长沙市职业技能鉴定中心）`).
    pub recorded_by: String,
    pub recorded_at: OffsetDateTime,
}

/// A release with its ledger, timeline and what the caller may record next.
#[derive(Debug, Clone)]
pub struct ReleaseDetail {
    pub release: ReleaseView,
    pub ledger: Vec<CustodyView>,
    pub next: Vec<CustodyStep>,
    /// The next steps this caller may record.
    pub can_record: Vec<CustodyStep>,
    /// Approval: the assembled papers of the project (id, label).
    pub papers: Vec<(i64, String)>,
    pub timeline: Vec<TimelineItem<CustodyStep>>,
}

/// Filters of the release list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReleaseQuery {
    pub q: Option<String>,
    /// A `CustodyStep` id: releases whose last step is this one.
    pub state: Option<String>,
}

fn field(field: &str, code: &'static str, detail: impl Into<String>) -> FieldError {
    FieldError::new(field, code, detail)
}

fn count(name: &str, label: &str, raw: &str, min: u32) -> Result<u32, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(field(name, "REQUIRED", format!("请填写{label}")));
    }
    match t.parse::<u32>() {
        Ok(n) if (min..=MAX_COPIES).contains(&n) => Ok(n),
        _ => Err(field(name, "COPIES_INVALID", format!("{label}应为 {min}–{MAX_COPIES} 的整数"))),
    }
}

fn name(field_name: &str, label: &str, raw: &str) -> Result<String, FieldError> {
    domain::text::single_line(field_name, label, raw)?;
    let t = raw.trim();
    match t.chars().count() {
        0 => Err(field(field_name, "REQUIRED", format!("请填写{label}"))),
        1..=50 => Ok(t.to_owned()),
        _ => Err(field(field_name, "TOO_LONG", format!("{label}不得超过 50 个字"))),
    }
}

/// The custody rules' refusal as a field error: which field it is about, a stable code, the domain's words.
fn custody_error(e: &CustodyError) -> StoreError {
    let (f, code) = match e {
        CustodyError::OutOfOrder { .. } => {
            return StoreError::Conflict(field("step", "CUSTODY_OUT_OF_ORDER", e.to_string()));
        }
        CustodyError::ResponsibleMissing { .. } => ("responsible", "REQUIRED"),
        CustodyError::NoCopies { .. } | CustodyError::OverApproved { .. } => ("copies", "COPIES_INVALID"),
        CustodyError::Mismatch { .. } => ("copies", "CUSTODY_COUNT_MISMATCH"),
        CustodyError::Unreconciled { .. } => ("used", "CUSTODY_UNRECONCILED"),
        CustodyError::RecipientMissing => ("recipient", "REQUIRED"),
        CustodyError::Witnesses => ("witnesses", "CUSTODY_WITNESSES"),
    };
    StoreError::Invalid(FieldErrors::from(field(f, code, e.to_string())))
}

fn location(m: &paper_release::Model) -> Location {
    Location { city: m.city.clone(), org_id: Some(m.org_id), person_id: None }
}

fn scope_condition(scope: &DataScope) -> Condition {
    match scope {
        DataScope::Province => Condition::all(),
        DataScope::City(c) => Condition::all().add(paper_release::Column::City.eq(c.clone())),
        DataScope::Org(o) => Condition::all().add(paper_release::Column::OrgId.eq(*o)),
        DataScope::Person(_) => Condition::all().add(paper_release::Column::Id.eq(-1)),
    }
}

/// Whether `p` takes `step` on this release: the province's question bank office its steps, the
/// requesting center's staff (the center itself, or the province's staff for a province request) the
/// others.
fn may_record(p: &Principal, step: CustodyStep) -> bool {
    if step.by_province() {
        p.can(Action::DispatchPapers) && p.scope == DataScope::Province
    } else {
        p.can(Action::RequestPapers)
    }
}

/// Who is asked to take `step` next (the to-do's assignee): the question bank office, or the
/// requesting center's staff.
fn next_assignee(e: &mut NewEvent, m: &paper_release::Model, step: CustodyStep) {
    // Everything up to the opening is due by the exam's day.
    if matches!(
        step,
        CustodyStep::Approved
            | CustodyStep::Printed
            | CustodyStep::Sealed
            | CustodyStep::HandedOver
            | CustodyStep::Opened
    ) {
        e.due_date = Some(m.exam_date);
    }
    if step.by_province() {
        e.assignee_role = Some(Role::QbankOfficer);
    } else if let Some(c) = &m.city {
        e.assignee_role = Some(Role::CityStaff);
        e.assignee_city = Some(c.clone());
    } else {
        e.assignee_role = Some(Role::ProvinceStaff);
    }
}

impl Store {
    async fn release_in_scope(&self, p: &Principal, id: i64) -> StoreResult<paper_release::Model> {
        require(p, Action::ListPaperReleases)?;
        let m = paper_release::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        if !p.scope.covers(&location(&m)) {
            return Err(StoreError::NotFound);
        }
        Ok(m)
    }

    async fn release_views(&self, rows: Vec<paper_release::Model>) -> StoreResult<Vec<ReleaseView>> {
        let project_ids: Vec<i64> = rows.iter().map(|r| r.project_id).collect();
        let org_ids: Vec<i64> = rows.iter().map(|r| r.org_id).collect();
        let paper_ids: Vec<i64> = rows.iter().filter_map(|r| r.paper_id).collect();
        let projects: std::collections::HashMap<i64, project::Model> = project::Entity::find()
            .filter(project::Column::Id.is_in(project_ids))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
        let orgs: std::collections::HashMap<i64, String> = org::Entity::find()
            .filter(org::Column::Id.is_in(org_ids))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect();
        let papers: std::collections::HashMap<i64, String> = qbank_paper::Entity::find()
            .filter(qbank_paper::Column::Id.is_in(paper_ids))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|m| (m.id, m.label))
            .collect();
        Ok(rows
            .into_iter()
            .map(|r| {
                let pr = projects.get(&r.project_id);
                ReleaseView {
                    id: r.id,
                    project_id: r.project_id,
                    project_code: pr.and_then(|m| m.code.clone()).unwrap_or_default(),
                    project_name: pr.map(|m| m.name.clone()).unwrap_or_default(),
                    org_name: orgs.get(&r.org_id).cloned().unwrap_or_default(),
                    exam: r.exam,
                    exam_date: r.exam_date,
                    copies_requested: u32::try_from(r.copies_requested).unwrap_or(0),
                    paper_label: r.paper_id.and_then(|id| papers.get(&id).cloned()),
                    paper_id: r.paper_id,
                    copies_approved: r.copies_approved.and_then(|c| u32::try_from(c).ok()),
                    state: r.state,
                    requested_by: r.requested_by,
                    created_at: r.created_at,
                    session_id: r.session_id,
                }
            })
            .collect())
    }

    /// E2: the releases the caller sees, newest first.
    pub async fn list_releases(
        &self,
        p: &Principal,
        q: &ReleaseQuery,
        page: PageReq,
    ) -> StoreResult<Page<ReleaseView>> {
        require(p, Action::ListPaperReleases)?;
        let mut sel = paper_release::Entity::find().filter(scope_condition(&p.scope));
        if let Some(t) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            sel = sel.filter(paper_release::Column::Exam.contains(t));
        }
        if let Some(s) = q.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            sel = sel.filter(match s.parse::<CustodyStep>() {
                Ok(step) => paper_release::Column::State.eq(step),
                Err(_) => paper_release::Column::Id.eq(-1),
            });
        }
        let rows = crate::fetch_page(self.reader(), sel, paper_release::Column::Id, true, page).await?;
        let items = self.release_views(rows.items).await?;
        Ok(Page { items, total: rows.total, page: rows.page, per_page: rows.per_page })
    }

    async fn ledger_of(&self, id: i64) -> StoreResult<Vec<paper_custody_step::Model>> {
        Ok(paper_custody_step::Entity::find()
            .filter(paper_custody_step::Column::ReleaseId.eq(id))
            .order_by_asc(paper_custody_step::Column::Id)
            .all(self.reader())
            .await?)
    }

    fn ledger(rows: &[paper_custody_step::Model]) -> StoreResult<CustodyLedger> {
        let mut ledger = CustodyLedger::default();
        for r in rows {
            let witnesses: Vec<String> = serde_json::from_str(&r.witnesses)
                .map_err(|e| StoreError::corrupt(format!("custody step {} witnesses", r.id), e))?;
            ledger.entries.push(CustodyEntry {
                step: r.step,
                responsible: r.responsible.clone(),
                copies: u32::try_from(r.copies).unwrap_or(0),
                recipient: r.recipient.clone(),
                witnesses,
                used: u32::try_from(r.used).unwrap_or(0),
            });
        }
        Ok(ledger)
    }

    /// The recorded steps as pages show them, each with who recorded it.
    async fn custody_views(
        &self,
        rows: Vec<paper_custody_step::Model>,
        ledger: CustodyLedger,
    ) -> StoreResult<Vec<CustodyView>> {
        let people =
            crate::workflow::people(self.reader(), rows.iter().map(|r| r.recorded_by.clone()).collect()).await?;
        Ok(rows
            .into_iter()
            .zip(ledger.entries)
            .map(|(r, e)| CustodyView {
                step: e.step,
                responsible: e.responsible,
                copies: e.copies,
                recipient: e.recipient,
                witnesses: e.witnesses,
                used: e.used,
                recorded_by: people.get(&r.recorded_by).map_or(r.recorded_by.clone(), |p| p.with_office()),
                recorded_at: r.recorded_at,
            })
            .collect())
    }

    /// One release's ledger as pages show it.
    async fn ledger_views(&self, id: i64) -> StoreResult<Vec<CustodyView>> {
        let rows = self.ledger_of(id).await?;
        let ledger = Self::ledger(&rows)?;
        self.custody_views(rows, ledger).await
    }

    /// E2: one release with its ledger.
    pub async fn get_release(&self, p: &Principal, id: i64) -> StoreResult<ReleaseDetail> {
        let m = self.release_in_scope(p, id).await?;
        let rows = self.ledger_of(id).await?;
        let ledger = Self::ledger(&rows)?;
        let next = ledger.next_steps().to_vec();
        let can_record: Vec<CustodyStep> = next.iter().copied().filter(|s| may_record(p, *s)).collect();
        let papers = if can_record.contains(&CustodyStep::Approved) {
            qbank_paper::Entity::find()
                .filter(qbank_paper::Column::ProjectId.eq(m.project_id))
                .order_by_asc(qbank_paper::Column::Id)
                .all(self.reader())
                .await?
                .into_iter()
                .map(|x| (x.id, x.label))
                .collect()
        } else {
            vec![]
        };
        let timeline = self.timeline(SubjectKind::PaperRelease, &id.to_string()).await?;
        let ledger_views = self.custody_views(rows, ledger).await?;
        let release = self.release_views(vec![m]).await?.remove(0);
        Ok(ReleaseDetail { release, ledger: ledger_views, next, can_record, papers, timeline })
    }

    /// E2: a center asks for papers of a catalog project for an exam. Every field checked at once; the
    /// project must be able to hold an exam on the exam's date (P8).
    pub async fn request_release(&self, p: &Principal, input: &ReleaseRequestInput, ctx: &Ctx) -> StoreResult<i64> {
        require(p, Action::RequestPapers)?;
        let mut errs = FieldErrors::new();
        // Issue 12: a request for a session takes the session's project, first day and words unless typed.
        let session = match input.session_id.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(sid) => match self.release_session(p, sid).await {
                    Ok(Ok(s)) => Some(s),
                    Ok(Err(refusal)) => return Err(StoreError::Invalid(FieldErrors::from(refusal))),
                    Err(StoreError::NotFound) => {
                        return Err(StoreError::Invalid(FieldErrors::from(field(
                            "session_id",
                            "SESSION_NOT_FOUND",
                            format!("没有编号为 {sid} 的考核计划"),
                        ))));
                    }
                    Err(e) => return Err(e),
                },
                Err(_) => {
                    return Err(StoreError::Invalid(FieldErrors::from(field(
                        "session_id",
                        "SESSION_NOT_FOUND",
                        "考核计划编号应为数字",
                    ))));
                }
            },
        };
        let mut filled = input.clone();
        if let Some(s) = &session {
            if filled.project_code.trim().is_empty() {
                filled.project_code = s.project_code.clone();
            }
            if filled.exam.trim().is_empty() {
                filled.exam = s.exam.clone();
            }
            if filled.exam_date.trim().is_empty() {
                filled.exam_date = s.first_day.to_string();
            }
        }
        let input = &filled;
        let code = input.project_code.trim();
        let project = if code.is_empty() {
            errs.push(field("project_code", "REQUIRED", "请选择考核项目"));
            None
        } else {
            let m = project::Entity::find().filter(project::Column::Code.eq(code)).one(self.reader()).await?;
            if m.is_none() {
                errs.push(field(
                    "project_code",
                    "PROJECT_NOT_IN_CATALOG",
                    format!("考核项目目录中没有代码为“{code}”的项目"),
                ));
            }
            m
        };
        let exam = errs.take(domain::text::single_line("exam", "考核场次", &input.exam).and_then(|()| {
            match input.exam.trim().chars().count() {
                0 => Err(field("exam", "REQUIRED", "请填写考核场次（考核站、考核名称）")),
                1..=200 => Ok(input.exam.trim().to_owned()),
                _ => Err(field("exam", "TOO_LONG", "考核场次不得超过 200 个字")),
            }
        }));
        let today = crate::today();
        let date = match input.exam_date.trim() {
            "" => Err(field("exam_date", "REQUIRED", "请填写考核日期")),
            raw => match Date::parse(raw, time::macros::format_description!("[year]-[month]-[day]")) {
                Ok(d) if d >= today => Ok(d),
                Ok(_) => Err(field("exam_date", "EXAM_DATE_PAST", format!("考核日期不能早于今天（{today}）"))),
                Err(_) => Err(field("exam_date", "DATE_INVALID", "考核日期应为 YYYY-MM-DD 格式，如 2026-12-20")),
            },
        };
        let date = errs.take(date);
        let copies = errs.take(count("copies", "申请份数", &input.copies, 1));
        if let (Some(s), Some(d)) = (&session, date) {
            for e in session::session_mismatch(s, code, d) {
                errs.push(e);
            }
        }
        if let (Some(m), Some(d)) = (&project, date)
            && let Err(refusal) = self.may_hold_exam(m.id, d).await?
        {
            errs.push(refusal.to_field_error().for_field("project_code"));
        }
        let (Some(project), Some(exam), Some(exam_date), Some(copies)) = (project, exam, date, copies) else {
            return Err(StoreError::Invalid(errs));
        };
        errs.into_result().map_err(StoreError::Invalid)?;
        let org = org::Entity::find_by_id(p.org_id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let mut ledger = CustodyLedger::default();
        ledger
            .record(CustodyEntry::new(CustodyStep::Requested, &p.display_name, copies))
            .map_err(|e| custody_error(&e))?;
        let step = self.step(p, ctx).await?;
        let at = now();
        let row = paper_release::ActiveModel {
            project_id: Set(project.id),
            org_id: Set(org.id),
            city: Set(org.city_code.clone()),
            exam: Set(exam.clone()),
            exam_date: Set(exam_date),
            copies_requested: Set(i32::try_from(copies).unwrap_or(i32::MAX)),
            paper_id: Set(None),
            copies_approved: Set(None),
            state: Set(CustodyStep::Requested),
            requested_by: Set(p.username.clone()),
            session_id: Set(session.as_ref().map(|s| s.id)),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        insert_entry(&step, row.id, &CustodyEntry::new(CustodyStep::Requested, &p.display_name, copies), &p.username)
            .await?;
        let mut e = NewEvent::about(SubjectKind::PaperRelease, row.id);
        e.to_state = CustodyStep::Requested.id().to_owned();
        e.comment = format!("{}：{exam}，{exam_date}，申请 {copies} 份", project.name);
        e.title = format!("试卷使用申请：{}（{exam_date}）", project.name);
        next_assignee(&mut e, &row, CustodyStep::Approved);
        step.event(e).await?;
        step.audit(AuditDraft::new(
            CustodyStep::Requested.audit_action(),
            row.id,
            json!({ "release_id": row.id, "project_id": project.id, "copies": copies, "exam_date": exam_date.to_string(),
                    "session_id": row.session_id }),
        ))
        .await?;
        step.commit().await?;
        Ok(row.id)
    }

    /// E2: record the next step of a release's custody (the approval included): who may take it, the
    /// ledger's rules, the row claimed by the state the caller saw.
    pub async fn record_custody(
        &self,
        p: &Principal,
        id: i64,
        input: &CustodyInput,
        ctx: &Ctx,
    ) -> StoreResult<CustodyStep> {
        let m = self.release_in_scope(p, id).await?;
        let Ok(step_kind) = input.step.trim().parse::<CustodyStep>() else {
            return Err(StoreError::Invalid(FieldErrors::from(field(
                "step",
                "CUSTODY_STEP_UNKNOWN",
                "请选择要登记的环节",
            ))));
        };
        if !may_record(p, step_kind) {
            return Err(StoreError::Forbidden);
        }
        let seen = match input.expected_state.trim() {
            "" => m.state,
            s => s.parse::<CustodyStep>().map_err(|_| {
                StoreError::Invalid(FieldErrors::from(field(
                    "expected_state",
                    "CUSTODY_STEP_UNKNOWN",
                    "页面状态无法识别，请刷新",
                )))
            })?,
        };
        let changed =
            || StoreError::Conflict(field("step", "RELEASE_CHANGED", "该申请刚被他人登记了新的环节，请刷新后查看"));
        if seen != m.state {
            return Err(changed());
        }
        let mut errs = FieldErrors::new();
        let responsible = errs.take(name("responsible", "责任人", &input.responsible));
        let copies = errs.take(count("copies", step_kind.count_label(), &input.copies, 0));
        let mut entry_extra = (String::new(), Vec::new(), 0u32);
        let mut paper = None;
        match step_kind {
            CustodyStep::Approved => {
                let pid = input.paper_id.trim().parse::<i64>().ok();
                let found = match pid {
                    Some(pid) => qbank_paper::Entity::find_by_id(pid).one(self.reader()).await?,
                    None => None,
                };
                match found {
                    Some(x) if x.project_id == m.project_id => paper = Some(x),
                    _ => errs.push(field("paper_id", "PAPER_NOT_OF_PROJECT", "请选择本考核项目已组好的试卷")),
                }
            }
            CustodyStep::HandedOver => {
                if let Some(r) = errs.take(name("recipient", "接收人", &input.recipient)) {
                    entry_extra.0 = r;
                }
            }
            CustodyStep::Opened => {
                let w1 = errs.take(name("witness1", "见证考生一", &input.witness1));
                let w2 = errs.take(name("witness2", "见证考生二", &input.witness2));
                entry_extra.1 = [w1, w2].into_iter().flatten().collect();
            }
            CustodyStep::Returned | CustodyStep::Destroyed => {
                if let Some(u) = errs.take(count("used", "考生使用份数", &input.used, 0)) {
                    entry_extra.2 = u;
                }
            }
            _ => {}
        }
        let (Some(responsible), Some(copies)) = (responsible, copies) else {
            return Err(StoreError::Invalid(errs));
        };
        errs.into_result().map_err(StoreError::Invalid)?;
        let entry = CustodyEntry {
            step: step_kind,
            responsible,
            copies,
            recipient: entry_extra.0,
            witnesses: entry_extra.1,
            used: entry_extra.2,
        };
        let mut ledger = Self::ledger(&self.ledger_of(id).await?)?;
        ledger.record(entry.clone()).map_err(|e| custody_error(&e))?;

        let step = self.step(p, ctx).await?;
        step.claim::<paper_release::Entity, _>(
            paper_release::Column::Id,
            id,
            paper_release::Column::State,
            m.state,
            paper_release::Column::UpdatedAt,
            changed,
        )
        .await?;
        let mut am = paper_release::ActiveModel { id: Set(id), state: Set(step_kind), ..Default::default() };
        if let Some(x) = &paper {
            am.paper_id = Set(Some(x.id));
            am.copies_approved = Set(Some(i32::try_from(copies).unwrap_or(i32::MAX)));
        }
        am.update(&*step).await?;
        insert_entry(&step, id, &entry, &p.username).await?;
        step.close_todos(SubjectKind::PaperRelease, id).await?;
        let mut e = NewEvent::about(SubjectKind::PaperRelease, id);
        e.from_state = m.state.id().to_owned();
        e.to_state = step_kind.id().to_owned();
        e.comment =
            format!("{}：{} {} 份，责任人 {}", step_kind.label(), step_kind.count_label(), copies, entry.responsible);
        if let Some(next) = ledger.next_steps().first() {
            e.title = format!("试卷保管：请登记“{}”（{}）", next.label(), m.exam);
            next_assignee(&mut e, &m, *next);
        }
        step.event(e).await?;
        step.audit(AuditDraft::new(
            step_kind.audit_action(),
            id,
            json!({ "release_id": id, "step": step_kind, "copies": copies, "used": entry.used,
                    "paper_id": paper.as_ref().map(|x| x.id) }),
        ))
        .await?;
        step.commit().await?;
        Ok(step_kind)
    }
}

async fn insert_entry(step: &crate::step::Step<'_>, release_id: i64, e: &CustodyEntry, by: &str) -> StoreResult<()> {
    paper_custody_step::ActiveModel {
        release_id: Set(release_id),
        step: Set(e.step),
        responsible: Set(e.responsible.clone()),
        copies: Set(i32::try_from(e.copies).unwrap_or(i32::MAX)),
        recipient: Set(e.recipient.clone()),
        witnesses: Set(serde_json::to_string(&e.witnesses).unwrap_or_else(|_| "[]".into())),
        used: Set(i32::try_from(e.used).unwrap_or(i32::MAX)),
        recorded_by: Set(by.to_owned()),
        recorded_at: Set(now()),
        ..Default::default()
    }
    .insert(&**step)
    .await?;
    Ok(())
}
