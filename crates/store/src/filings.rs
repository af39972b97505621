//! Station filing (考核站备案, S1–S5): the annex-1 application, routing to the city or province center
//! (S2), acceptance or return, the evaluation plan reported at least the policy's working days ahead
//! (S3), the provable draw of the evaluation group and each member's findings by the six methods (S4),
//! the province's decision with the institution code, the station database and public directory (S5),
//! and suspension or revocation afterwards. Each step checks the acting office, moves the state machine
//! of `domain::stations`, writes the timeline/to-do event and the audit record in one transaction.

use crate::audit::{AuditDraft, append};
use crate::draws::{DrawInput, DrawSubject};
use crate::entity::{filing, filing_finding, user};
use crate::error::require;
use crate::policy::PolicyUsed;
use crate::workflow::{NewEvent, complete_subject, record};
use crate::{Ctx, Page, PageReq, Store, StoreError, StoreResult, now, today};
use domain::authz::Action;
use domain::org::{DataScope, Location, Principal, Role};
use domain::policy::keys;
use domain::stations::{
    self, ApplicationInput, Conclusion, FilingApplication, FilingEvent, FilingEventKind, FilingState, FindingsInput,
    MemberFindings, Office, Receiver,
};
use domain::{FieldError, FieldErrors};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::Date;

/// A step asked for on a filing (page form or API body). Only the fields of the step are read.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct FilingActionInput {
    /// One of the event ids (`accept`, `return`, `submit_plan`, …) or `start_evaluation`.
    #[serde(default)]
    pub kind: String,
    /// Reason of a return, plan return, suspension or revocation; the province's opinion on `decide`.
    #[serde(default)]
    pub reason: String,
    /// `decide`: file (true) or not (false).
    pub approve: Option<bool>,
    /// `submit_plan`: the evaluation date, `YYYY-MM-DD`.
    #[serde(default, with = "domain::calendar::ymd::option")]
    pub evaluation_date: Option<Date>,
    /// `submit_plan`: place, methods and contacts of the evaluation.
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub methods: String,
    #[serde(default)]
    pub contacts: String,
    /// `draw_group`: group size (default: policy) and specialties.
    pub group_size: Option<u32>,
    #[serde(default)]
    pub specialties: String,
}

/// The evaluation plan (S3) as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EvaluationPlan {
    #[serde(with = "domain::calendar::ymd")]
    pub evaluation_date: Date,
    pub place: String,
    pub methods: String,
    pub contacts: String,
    pub submitted_by: String,
    /// Who reported it, as staff read it: `钱晓燕（长沙市职业技能鉴定中心）`.
    #[serde(default)]
    pub submitted_by_name: String,
    #[serde(with = "domain::calendar::ymd")]
    pub submitted_on: Date,
}

#[derive(Debug, Clone, Serialize)]
pub struct FilingSummary {
    pub id: i64,
    pub institution_name: String,
    pub state: String,
    pub state_label: String,
    /// `city` or `province` (S2).
    pub receiver: String,
    pub receiving_region: String,
    pub projects: Vec<String>,
    pub institution_code: Option<String>,
    pub submitted_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    pub expert_id: i64,
    pub expert_name: String,
    pub conclusion: String,
    pub findings: serde_json::Value,
    pub recorded_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FilingDetail {
    pub summary: FilingSummary,
    pub application: ApplicationInput,
    pub plan: Option<EvaluationPlan>,
    pub draw_id: Option<i64>,
    /// The evaluation group's seal is open (the evaluation has started).
    pub seal_open: bool,
    pub findings: Vec<FindingView>,
    pub group_conclusion: String,
    pub province_opinion: String,
    /// The steps the caller may take now (event ids).
    pub actions: Vec<String>,
    pub timeline: Vec<crate::workflow::TimelineItem>,
}

/// A filed station in the public directory (S5).
#[derive(Debug, Clone, Serialize)]
pub struct StationListing {
    pub institution_code: String,
    pub name: String,
    pub city: String,
    pub city_name: String,
    pub projects: Vec<String>,
    pub address: String,
    pub contact_phone: String,
    pub filed_on: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct FilingQuery {
    pub state: Option<String>,
    pub q: Option<String>,
}

fn state_of(m: &filing::Model) -> StoreResult<FilingState> {
    FilingState::parse(&m.state).ok_or_else(|| StoreError::Internal(format!("filing state {}", m.state)))
}

fn route_of(m: &filing::Model) -> Receiver {
    Receiver::parse(&m.receiver).unwrap_or(Receiver::City)
}

fn location(m: &filing::Model) -> Location {
    Location {
        city: (m.receiver == "city").then(|| m.receiving_region.clone()),
        org_id: Some(m.applicant_org_id),
        person_id: None,
    }
}

fn summary(m: &filing::Model) -> FilingSummary {
    FilingSummary {
        id: m.id,
        institution_name: m.institution_name.clone(),
        state: m.state.clone(),
        state_label: FilingState::parse(&m.state).map(|s| s.label()).unwrap_or("").to_string(),
        receiver: m.receiver.clone(),
        receiving_region: m.receiving_region.clone(),
        projects: m.projects.split('|').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        institution_code: m.institution_code.clone(),
        submitted_at: m.submitted_at.map(crate::fmt_time).unwrap_or_default(),
        updated_at: crate::fmt_time(m.updated_at),
    }
}

/// Whether the principal acts for `office` on this filing.
fn acts_as(p: &Principal, office: Office, m: &filing::Model) -> bool {
    match office {
        Office::Applicant => p.has(Role::StationStaff) && p.org_id == m.applicant_org_id,
        Office::CityCenter => {
            (p.has(Role::CityAdmin) || p.has(Role::CityStaff)) && p.scope == DataScope::City(m.receiving_region.clone())
        }
        Office::ProvinceCenter => p.has(Role::ProvinceAdmin) || p.has(Role::ProvinceStaff),
        Office::EvaluationGroup => false,
    }
}

/// The to-do a state hands to its next office.
/// Claim the filing for a step inside `txn`, only while it is still in `state`: of two people acting
/// at once, the second finds it has moved on (the UPDATE takes the row lock on PostgreSQL, so the
/// second waits for the first to commit and then sees its state).
async fn claim<C: ConnectionTrait>(txn: &C, id: i64, state: &str) -> StoreResult<bool> {
    let r = filing::Entity::update_many()
        .col_expr(filing::Column::UpdatedAt, sea_orm::sea_query::Expr::value(now()))
        .filter(filing::Column::Id.eq(id))
        .filter(filing::Column::State.eq(state))
        .exec(txn)
        .await?;
    Ok(r.rows_affected == 1)
}

fn moved_on() -> StoreError {
    StoreError::Conflict(FieldError::new("", "FILING_CHANGED", "该申请刚被他人办理，状态已变化，请刷新页面后重试"))
}

/// A group member's own to-do (S4): record findings by the evaluation date. Kept under its own subject
/// (`filing_findings`, `filing:user`) so it closes when that member signs, and stays off the filing's
/// timeline.
fn member_todo(m: &filing::Model, user_id: i64, due: Option<Date>) -> NewEvent {
    NewEvent {
        subject_kind: "filing_findings".into(),
        subject_id: format!("{}:{user_id}", m.id),
        title: format!("{}：填写评估意见（专家评议组成员）", m.institution_name),
        link: format!("/filings/{}/findings", m.id),
        assignee_user_id: Some(user_id),
        due_date: due,
        ..Default::default()
    }
}

fn todo_event(m: &filing::Model, state: FilingState) -> NewEvent {
    let mut e = NewEvent {
        subject_kind: "filing".into(),
        subject_id: m.id.to_string(),
        link: format!("/filings/{}", m.id),
        ..Default::default()
    };
    // Steps hand out their to-do on entering a state; entering GroupDrawn leaves the seal closed.
    if let Some(t) = stations::todo_now(state, route_of(m), false) {
        e.title = format!("{}：{}", m.institution_name, t.text);
        match t.office {
            Office::Applicant => {
                e.assignee_role = Some(Role::StationStaff);
                e.assignee_org_id = Some(m.applicant_org_id);
            }
            Office::CityCenter => {
                e.assignee_role = Some(Role::CityStaff);
                e.assignee_city = Some(m.receiving_region.clone());
            }
            // The group's members get their own to-dos when the evaluation starts (`member_todo`).
            Office::ProvinceCenter | Office::EvaluationGroup => e.assignee_role = Some(Role::ProvinceStaff),
        }
    }
    if state == FilingState::GroupDrawn {
        e.due_date = m.evaluation_date;
    }
    e
}

/// A member's way into a filing under evaluation (see [`Store::findings_access`]).
#[derive(Debug, Clone)]
pub struct FindingsAccess {
    pub filing: filing::Model,
    /// The caller's expert id.
    pub expert_id: i64,
    /// The group's expert ids.
    pub group: Vec<i64>,
}

/// A member's findings page (see [`Store::member_view`]).
#[derive(Debug, Clone)]
pub struct MemberView {
    pub access: FindingsAccess,
    /// What the member signed last time.
    pub own: Option<FindingsInput>,
    pub materials: Vec<crate::attachments::AttachmentView>,
}

impl Store {
    pub(crate) async fn filing_in_scope<C: ConnectionTrait>(
        &self,
        conn: &C,
        p: &Principal,
        id: i64,
    ) -> StoreResult<filing::Model> {
        let m = filing::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)?;
        if !p.scope.covers(&location(&m)) {
            return Err(StoreError::NotFound);
        }
        require(p, Action::ListFilings)?;
        Ok(m)
    }

    async fn parse_application(
        &self,
        input: &ApplicationInput,
        used: &mut PolicyUsed,
    ) -> StoreResult<FilingApplication> {
        let min = used.note(self.policy_on(keys::PANEL_MIN_ASSESSORS, today()).await?).value.parse().unwrap_or(3);
        Ok(FilingApplication::parse_with(input, min)?)
    }

    /// The applicant's own filing while it may still change it (draft or returned): 404 outside the
    /// scope, 403 for anyone but the applicant, 409 (`FILING_NOT_EDITABLE`, `detail` against `field`)
    /// once submitted. The edit form, the edit itself and the materials all ask this.
    pub async fn editable_by_applicant(
        &self,
        p: &Principal,
        id: i64,
        field: &str,
        detail: &str,
    ) -> StoreResult<filing::Model> {
        let m = self.filing_in_scope(&self.db, p, id).await?;
        require(p, Action::ApplyFiling)?;
        if !acts_as(p, Office::Applicant, &m) {
            return Err(StoreError::Forbidden);
        }
        if !state_of(&m)?.is_editable() {
            return Err(StoreError::Conflict(FieldError::new(field, "FILING_NOT_EDITABLE", detail)));
        }
        Ok(m)
    }

    /// S1, S2: an applicant saves its annex-1 application (a draft until submitted); every field is
    /// checked, the route and the receiving center follow from the category and region.
    pub async fn create_filing(&self, p: &Principal, input: &ApplicationInput, ctx: &Ctx) -> StoreResult<i64> {
        require(p, Action::ApplyFiling)?;
        let app = self.parse_application(input, &mut PolicyUsed::default()).await?;
        let at = now();
        let txn = self.db.begin().await?;
        let m = filing::ActiveModel {
            applicant_org_id: Set(p.org_id),
            institution_name: Set(app.institution_name().to_string()),
            application: Set(serde_json::to_string(input)?),
            state: Set(FilingState::Draft.id().into()),
            receiver: Set(app.receiver().id().into()),
            receiving_region: Set(app.receiving_center_region().as_str().to_string()),
            applicant_city: Set(app.city().as_str().to_string()),
            projects: Set(app.projects().join("|")),
            group_conclusion: Set(String::new()),
            province_opinion: Set(String::new()),
            commitment_by: Set(p.username.clone()),
            commitment_at: Set(Some(at)),
            created_by: Set(p.username.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        record(
            &txn,
            &p.username,
            NewEvent {
                subject_kind: "filing".into(),
                subject_id: m.id.to_string(),
                to_state: "draft".into(),
                comment: "填写备案申请表（附件 1）".into(),
                ..Default::default()
            },
        )
        .await?;
        append(
            &txn,
            self.hash_alg(),
            ctx,
            AuditDraft::new(
                "filing.created",
                "filing",
                m.id,
                json!({ "receiver": m.receiver, "region": m.receiving_region }),
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(m.id)
    }

    /// The applicant edits its application while it is a draft or was returned.
    pub async fn update_filing(&self, p: &Principal, id: i64, input: &ApplicationInput, ctx: &Ctx) -> StoreResult<()> {
        let m = self.editable_by_applicant(p, id, "", "申请已提交，只有草稿或被退回的申请可以修改").await?;
        let app = self.parse_application(input, &mut PolicyUsed::default()).await?;
        let txn = self.db.begin().await?;
        if !claim(&txn, id, &m.state).await? {
            return Err(moved_on());
        }
        let mut am = m.into_active_model();
        am.institution_name = Set(app.institution_name().to_string());
        am.application = Set(serde_json::to_string(input)?);
        am.receiver = Set(app.receiver().id().into());
        am.receiving_region = Set(app.receiving_center_region().as_str().to_string());
        am.applicant_city = Set(app.city().as_str().to_string());
        am.projects = Set(app.projects().join("|"));
        am.commitment_by = Set(p.username.clone());
        am.commitment_at = Set(Some(now()));
        am.updated_at = Set(now());
        am.update(&txn).await?;
        append(&txn, self.hash_alg(), ctx, AuditDraft::new("filing.updated", "filing", id, json!({}))).await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn list_filings(
        &self,
        p: &Principal,
        q: &FilingQuery,
        page: PageReq,
    ) -> StoreResult<Page<FilingSummary>> {
        require(p, Action::ListFilings)?;
        let mut sel = filing::Entity::find();
        sel = match &p.scope {
            DataScope::Province => sel,
            DataScope::City(c) => {
                sel.filter(filing::Column::Receiver.eq("city")).filter(filing::Column::ReceivingRegion.eq(c.clone()))
            }
            DataScope::Org(o) => sel.filter(filing::Column::ApplicantOrgId.eq(*o)),
            DataScope::Person(_) => sel.filter(filing::Column::Id.eq(-1)),
        };
        if let Some(s) = q.state.as_deref().filter(|s| !s.is_empty()) {
            sel = sel.filter(filing::Column::State.eq(s));
        }
        if let Some(t) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            sel = sel.filter(filing::Column::InstitutionName.contains(t));
        }
        Ok(crate::fetch_page(&self.db, sel, filing::Column::Id, true, page).await?.map(|m| summary(&m)))
    }

    /// The filing page and its print: the detail and its materials after one scope check.
    pub async fn get_filing_with_materials(
        &self,
        p: &Principal,
        id: i64,
    ) -> StoreResult<(FilingDetail, Vec<crate::attachments::AttachmentView>)> {
        let d = self.get_filing(p, id).await?;
        Ok((d, self.filing_attachments(id).await?))
    }

    pub async fn get_filing(&self, p: &Principal, id: i64) -> StoreResult<FilingDetail> {
        let m = self.filing_in_scope(&self.db, p, id).await?;
        let state = state_of(&m)?;
        let route = route_of(&m);
        let mut actions: Vec<String> = stations::allowed_event_kinds(state)
            .into_iter()
            .filter(|k| *k != FilingEventKind::CompleteEvaluation && acts_as(p, k.actor().office(route), &m))
            .map(|k| k.id().to_string())
            .collect();
        let seal_open = self.filing_seal_open(&m).await?;
        if state == FilingState::GroupDrawn && acts_as(p, Office::ProvinceCenter, &m) && !seal_open {
            actions.push("start_evaluation".into());
        }
        let findings =
            filing_finding::Entity::find().filter(filing_finding::Column::FilingId.eq(id)).all(&self.db).await?;
        let names = crate::entity::expert::Entity::find()
            .filter(crate::entity::expert::Column::Id.is_in(findings.iter().map(|f| f.expert_id).collect::<Vec<_>>()))
            .all(&self.db)
            .await?;
        Ok(FilingDetail {
            application: serde_json::from_str(&m.application)?,
            plan: m.plan.as_deref().map(serde_json::from_str).transpose()?,
            draw_id: m.draw_id,
            seal_open,
            findings: findings
                .into_iter()
                .map(|f| FindingView {
                    expert_name: names.iter().find(|e| e.id == f.expert_id).map(|e| e.name.clone()).unwrap_or_default(),
                    expert_id: f.expert_id,
                    conclusion: f.conclusion,
                    findings: serde_json::from_str(&f.findings).unwrap_or_default(),
                    recorded_at: crate::fmt_time(f.recorded_at),
                })
                .collect(),
            group_conclusion: m.group_conclusion.clone(),
            province_opinion: m.province_opinion.clone(),
            actions,
            timeline: self.timeline("filing", &id.to_string()).await?,
            summary: summary(&m),
        })
    }

    async fn filing_seal_open(&self, m: &filing::Model) -> StoreResult<bool> {
        match m.draw_id {
            Some(d) => Ok(crate::entity::draw::Entity::find_by_id(d).one(&self.db).await?.is_some_and(|d| d.seal_open)),
            None => Ok(false),
        }
    }

    /// One step of the procedure on a filing, by the office the step belongs to.
    pub async fn act_on_filing(
        &self,
        p: &Principal,
        id: i64,
        input: &FilingActionInput,
        ctx: &Ctx,
    ) -> StoreResult<FilingState> {
        let m = self.filing_in_scope(&self.db, p, id).await?;
        let state = state_of(&m)?;
        let route = route_of(&m);
        if input.kind.trim() == "start_evaluation" {
            return self.start_evaluation(p, m, ctx).await.map(|_| state);
        }
        let event = match FilingEvent::from_parts(&input.kind, &input.reason, input.approve) {
            Ok(e) => e,
            Err(e) => return Err(e.to_field_error().into()),
        };
        let office = event.actor().office(route);
        if event.kind() == FilingEventKind::CompleteEvaluation || !acts_as(p, office, &m) {
            return Err(StoreError::Forbidden);
        }
        let next = stations::transition(state, &event).map_err(|e| StoreError::Conflict(e.to_field_error()))?;
        let mut am = m.clone().into_active_model();
        let mut prepared_draw = None;
        let mut comment = event.reason().unwrap_or("").to_string();
        let mut detail = json!({ "from": state.id(), "to": next.id() });
        let mut used = PolicyUsed::default();
        let mut template = None;
        match &event {
            FilingEvent::Submit => {
                // The application must still be complete under today's policy (it may have changed).
                let app: ApplicationInput = serde_json::from_str(&m.application)?;
                self.parse_application(&app, &mut used).await?;
                // S2: the four kinds of materials are attached.
                stations::check_materials(&self.filing_material_kinds(id).await?)?;
                am.submitted_at = Set(Some(now()));
            }
            FilingEvent::SubmitPlan => {
                let plan = self.check_plan(p, input, &mut used).await?;
                comment = format!("评估日期 {}，地点：{}", plan.evaluation_date, plan.place);
                am.evaluation_date = Set(Some(plan.evaluation_date));
                am.plan = Set(Some(serde_json::to_string(&plan)?));
            }
            FilingEvent::DrawGroup => {
                let draw_input = DrawInput {
                    title: format!("{}考核站备案评估专家评议组", m.institution_name),
                    applicant_org_id: Some(m.applicant_org_id),
                    count: input.group_size,
                    specialties: input.specialties.clone(),
                    ..Default::default()
                };
                prepared_draw = Some(self.prepare_draw(p, &draw_input).await?);
            }
            FilingEvent::Decide { approve } => {
                if input.reason.trim().chars().count() < 2 {
                    return Err(FieldError::new("reason", "REQUIRED", "请填写省鉴定中心意见").into());
                }
                am.province_opinion = Set(input.reason.trim().to_string());
                am.decided_at = Set(Some(now()));
                if *approve {
                    // The code is taken inside the transaction below (a serial never repeats).
                    template = Some(used.note(self.policy_on(keys::INSTITUTION_CODE_TEMPLATE, today()).await?).value);
                } else {
                    comment = format!("不予备案。{}", input.reason.trim());
                }
            }
            _ => {}
        }
        am.state = Set(next.id().to_string());
        am.updated_at = Set(now());
        let txn = self.db.begin().await?;
        if !claim(&txn, id, state.id()).await? {
            return Err(moved_on());
        }
        if let Some(template) = &template {
            let (code, serial) = next_institution_code(&txn, &m, template).await?;
            comment = format!("准予备案，机构编码 {code}。{}", input.reason.trim());
            detail["institution_code"] = json!(code);
            am.institution_code = Set(Some(code));
            am.code_serial = Set(Some(serial));
        }
        // S4: the group is committed and drawn in the same transaction as the step it serves.
        if let Some(prep) = &prepared_draw {
            let subject = DrawSubject { kind: "station_filing".into(), id: id.to_string() };
            let (row, record) = self.insert_draw(&txn, p, prep, Some(subject), ctx).await?;
            let draw_id = row.id;
            self.draw_in(&txn, row, record, &prep.seed, ctx).await?;
            am.draw_id = Set(Some(draw_id));
            comment = format!("专家评议组已抽取（抽取第 {draw_id} 号），名单在评估开始前密封");
            detail["draw_id"] = json!(draw_id);
            used = prep.policy.clone();
        }
        let updated = am.update(&txn).await?;
        complete_subject(&txn, "filing", &id.to_string()).await?;
        let mut ev = todo_event(&updated, next);
        ev.from_state = state.id().into();
        ev.to_state = next.id().into();
        ev.comment =
            if comment.is_empty() { event.label().to_string() } else { format!("{}：{comment}", event.label()) };
        if next == FilingState::Accepted {
            ev.comment.push_str("（评估方案须于评估日前按政策规定的工作日数报省鉴定中心）");
        }
        record(&txn, &p.username, ev).await?;
        // V1: the decision names the policy versions it applied.
        detail["policy"] = used.to_json();
        append(&txn, self.hash_alg(), ctx, AuditDraft::new(audit_action(event.kind()), "filing", id, detail)).await?;
        txn.commit().await?;
        Ok(next)
    }

    /// S3: the plan reaches the province at least the policy's working days before the evaluation.
    async fn check_plan(
        &self,
        p: &Principal,
        input: &FilingActionInput,
        used: &mut PolicyUsed,
    ) -> StoreResult<EvaluationPlan> {
        let mut errs = FieldErrors::new();
        if input.evaluation_date.is_none() {
            errs.push(FieldError::new("evaluation_date", "REQUIRED", "请填写评估日期"));
        }
        if input.place.trim().chars().count() < 2 {
            errs.push(FieldError::new("place", "REQUIRED", "请填写评估地点"));
        }
        if input.methods.trim().chars().count() < 2 {
            errs.push(FieldError::new("methods", "REQUIRED", "请填写评估方式与安排"));
        }
        if input.contacts.trim().chars().count() < 2 {
            errs.push(FieldError::new("contacts", "REQUIRED", "请填写联系人及电话"));
        }
        errs.into_result()?;
        let Some(date) = input.evaluation_date else { return Err(StoreError::Internal("checked".into())) };
        let day = today();
        let lead = used.note(self.policy_on(keys::EVALUATION_PLAN_LEAD_DAYS, day).await?);
        let cal = self.calendar().await?;
        stations::check_plan_lead(&cal, day, date, lead.value.parse().unwrap_or(10))
            .map_err(|e| StoreError::Invalid(e.to_field_error().into()))?;
        Ok(EvaluationPlan {
            evaluation_date: date,
            place: input.place.trim().into(),
            methods: input.methods.trim().into(),
            contacts: input.contacts.trim().into(),
            submitted_by: p.username.clone(),
            submitted_by_name: crate::workflow::Person { name: p.display_name.clone(), office: p.org_name.clone() }
                .with_office(),
            submitted_on: day,
        })
    }

    /// The evaluation starts (S4): the group's seal opens, the province's to-do closes and every member
    /// who signs in (an expert account with the registry's ID number) gets a to-do to record findings —
    /// all in one transaction with the audit record.
    async fn start_evaluation(&self, p: &Principal, m: filing::Model, ctx: &Ctx) -> StoreResult<()> {
        if !acts_as(p, Office::ProvinceCenter, &m) {
            return Err(StoreError::Forbidden);
        }
        require(p, Action::RunDraws)?;
        let (Some(draw_id), FilingState::GroupDrawn) = (m.draw_id, state_of(&m)?) else {
            return Err(StoreError::Conflict(FieldError::new(
                "",
                "FILING_NO_GROUP",
                "尚未抽取专家评议组，不能开始评估",
            )));
        };
        let members = self.member_accounts(&self.draw_group(draw_id).await?).await?;
        let due = m.evaluation_date;
        let txn = self.db.begin().await?;
        self.open_draw_seal_in(&txn, draw_id, ctx).await?;
        complete_subject(&txn, "filing", &m.id.to_string()).await?;
        record(
            &txn,
            &p.username,
            NewEvent {
                subject_kind: "filing".into(),
                subject_id: m.id.to_string(),
                from_state: m.state.clone(),
                to_state: m.state.clone(),
                comment: "评估开始：专家评议组名单和抽取种子已公开，成员按六种方式填写评估意见".into(),
                ..Default::default()
            },
        )
        .await?;
        for user_id in &members {
            record(&txn, &p.username, member_todo(&m, *user_id, due)).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// The sign-in accounts (expert role, same ID number) of the given registry experts.
    async fn member_accounts(&self, experts: &[i64]) -> StoreResult<Vec<i64>> {
        let idx: Vec<String> = crate::entity::expert::Entity::find()
            .filter(crate::entity::expert::Column::Id.is_in(experts.to_vec()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|e| e.id_number_idx)
            .collect();
        let users: Vec<i64> = user::Entity::find()
            .filter(user::Column::IdNumberIdx.is_in(idx))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect();
        Ok(crate::entity::user_role::Entity::find()
            .filter(crate::entity::user_role::Column::UserId.is_in(users))
            .filter(crate::entity::user_role::Column::Role.eq(Role::Expert.id()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| r.user_id)
            .collect())
    }

    /// S4: a member of the drawn group records findings by the six methods; when every member has,
    /// the group's conclusion is formed (majority) and the filing waits for the province's decision.
    /// The filing, the caller's expert id and the group, when the caller is a member of its opened
    /// evaluation group; otherwise not found (a filing's group is nobody else's business).
    pub async fn findings_access(&self, p: &Principal, id: i64) -> StoreResult<FindingsAccess> {
        require(p, Action::RecordFindings)?;
        let m = filing::Entity::find_by_id(id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        let me = self.expert_of_user(p.user_id).await?;
        let (Some(draw_id), Some(me)) = (m.draw_id, me) else { return Err(StoreError::NotFound) };
        let draw = crate::entity::draw::Entity::find_by_id(draw_id).one(&self.db).await?;
        let Some(draw) = draw.filter(|d| d.seal_open) else { return Err(StoreError::NotFound) };
        let group = crate::draws::record_of(&draw)?.group();
        if !group.contains(&me) {
            return Err(StoreError::NotFound);
        }
        Ok(FindingsAccess { filing: m, expert_id: me, group })
    }

    /// What a group member signed last time, to start from when they revise it.
    pub async fn own_findings(&self, p: &Principal, id: i64) -> StoreResult<Option<FindingsInput>> {
        let access = self.findings_access(p, id).await?;
        self.findings_of(id, access.expert_id).await
    }

    /// What a member's findings page shows, after one access check: the filing and group, what they
    /// signed last time and the materials they review.
    pub async fn member_view(&self, p: &Principal, id: i64) -> StoreResult<MemberView> {
        let access = self.findings_access(p, id).await?;
        Ok(MemberView {
            own: self.findings_of(id, access.expert_id).await?,
            materials: self.filing_attachments(id).await?,
            access,
        })
    }

    async fn findings_of(&self, id: i64, expert_id: i64) -> StoreResult<Option<FindingsInput>> {
        let row = filing_finding::Entity::find()
            .filter(filing_finding::Column::FilingId.eq(id))
            .filter(filing_finding::Column::ExpertId.eq(expert_id))
            .one(&self.db)
            .await?;
        Ok(row.map(|r| serde_json::from_str(&r.findings)).transpose()?)
    }

    pub async fn record_findings(&self, p: &Principal, id: i64, input: &FindingsInput, ctx: &Ctx) -> StoreResult<()> {
        let FindingsAccess { filing: m, expert_id: me, group } = self.findings_access(p, id).await?;
        let not_evaluating =
            || StoreError::Conflict(FieldError::new("", "FILING_NOT_EVALUATING", "该申请不在评估阶段"));
        if state_of(&m)? != FilingState::GroupDrawn {
            return Err(not_evaluating());
        }
        let parsed = MemberFindings::parse(input)?;
        let txn = self.db.begin().await?;
        // Members signing at once take turns here, so the last one always sees every other finding.
        if !claim(&txn, id, FilingState::GroupDrawn.id()).await? {
            return Err(not_evaluating());
        }
        filing_finding::Entity::delete_many()
            .filter(filing_finding::Column::FilingId.eq(id))
            .filter(filing_finding::Column::ExpertId.eq(me))
            .exec(&txn)
            .await?;
        filing_finding::ActiveModel {
            filing_id: Set(id),
            expert_id: Set(me),
            findings: Set(serde_json::to_string(input)?),
            conclusion: Set(parsed.conclusion().id().into()),
            recorded_by: Set(p.username.clone()),
            recorded_at: Set(now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        complete_subject(&txn, "filing_findings", &format!("{id}:{}", p.user_id)).await?;
        append(
            &txn,
            self.hash_alg(),
            ctx,
            AuditDraft::new(
                "filing.findings_recorded",
                "filing",
                id,
                json!({ "conclusion": parsed.conclusion().id() }),
            ),
        )
        .await?;
        let all = filing_finding::Entity::find().filter(filing_finding::Column::FilingId.eq(id)).all(&txn).await?;
        if group.iter().all(|e| all.iter().any(|f| f.expert_id == *e)) {
            let conclusions: Vec<Conclusion> = all.iter().filter_map(|f| Conclusion::parse(&f.conclusion)).collect();
            let overall = stations::group_conclusion(&conclusions);
            let next = stations::transition(FilingState::GroupDrawn, &FilingEvent::CompleteEvaluation)
                .map_err(|e| StoreError::Conflict(e.to_field_error()))?;
            let mut am = m.clone().into_active_model();
            am.state = Set(next.id().into());
            am.group_conclusion = Set(overall.id().into());
            am.updated_at = Set(now());
            let updated = am.update(&txn).await?;
            complete_subject(&txn, "filing", &id.to_string()).await?;
            let mut ev = todo_event(&updated, next);
            ev.from_state = FilingState::GroupDrawn.id().into();
            ev.to_state = next.id().into();
            ev.comment = format!("专家评议组全部成员已签署评估意见，评估结论：{}", overall.label());
            record(&txn, &p.username, ev).await?;
            append(
                &txn,
                self.hash_alg(),
                ctx,
                AuditDraft::new("filing.evaluation_completed", "filing", id, json!({ "conclusion": overall.id() })),
            )
            .await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// The registry expert a sign-in account belongs to (same ID number), if any.
    pub(crate) async fn expert_of_user(&self, user_id: i64) -> StoreResult<Option<i64>> {
        let u = user::Entity::find_by_id(user_id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        let Some(idx) = u.id_number_idx else { return Ok(None) };
        Ok(crate::entity::expert::Entity::find()
            .filter(crate::entity::expert::Column::IdNumberIdx.eq(idx))
            .one(&self.db)
            .await?
            .map(|e| e.id))
    }

    /// S5: the public directory of filed stations (suspended and revoked ones are off it).
    pub async fn public_stations(
        &self,
        city: Option<&str>,
        q: Option<&str>,
        page: PageReq,
    ) -> StoreResult<Page<StationListing>> {
        let mut sel = filing::Entity::find().filter(filing::Column::State.eq(FilingState::Filed.id()));
        if let Some(c) = city.filter(|c| !c.is_empty()) {
            sel = sel.filter(filing::Column::ApplicantCity.eq(c));
        }
        if let Some(q) = q.map(str::trim).filter(|s| !s.is_empty()) {
            sel = sel.filter(
                sea_orm::Condition::any()
                    .add(filing::Column::InstitutionName.contains(q))
                    .add(filing::Column::Projects.contains(q)),
            );
        }
        let rows = crate::fetch_page(&self.db, sel, filing::Column::InstitutionCode, false, page).await?;
        Ok(rows.map(|m| {
            let app: ApplicationInput = serde_json::from_str(&m.application).unwrap_or_default();
            StationListing {
                institution_code: m.institution_code.clone().unwrap_or_default(),
                name: m.institution_name.clone(),
                city_name: domain::ids::RegionCode::parse(&m.applicant_city)
                    .ok()
                    .and_then(|c| c.city_name())
                    .unwrap_or("")
                    .to_string(),
                city: m.applicant_city.clone(),
                projects: m.projects.split('|').filter(|s| !s.is_empty()).map(str::to_string).collect(),
                address: app.address,
                contact_phone: app.contact_phone,
                filed_on: m.decided_at.map(|t| crate::fmt_time(t)[..10].to_string()).unwrap_or_default(),
            }
        }))
    }
}

/// S5: the station's institution code from the policy template, with the next serial of its city —
/// taken inside the deciding transaction, so two decisions at once never share a code.
async fn next_institution_code<C: ConnectionTrait>(
    txn: &C,
    m: &filing::Model,
    template: &str,
) -> StoreResult<(String, i32)> {
    let city = domain::ids::RegionCode::parse(&m.applicant_city).map_err(|e| StoreError::Internal(e.to_string()))?;
    let two = city.city_two_digits().ok_or_else(|| StoreError::Internal("city code".into()))?.to_string();
    // Codes issued before the counter existed set its floor.
    let issued: Option<i32> = filing::Entity::find()
        .select_only()
        .column_as(filing::Column::CodeSerial.max(), "issued")
        .filter(filing::Column::ApplicantCity.eq(m.applicant_city.clone()))
        .into_tuple()
        .one(txn)
        .await?
        .flatten();
    let issued = issued.unwrap_or(0);
    let serial =
        crate::serials::next_serial(txn, &format!("institution_code:{}", m.applicant_city), issued.into()).await?;
    let serial = i32::try_from(serial).map_err(|e| StoreError::Internal(e.to_string()))?;
    let code =
        stations::institution_code_for_year(template, &two, serial as u32, today().year()).map_err(StoreError::from)?;
    Ok((code, serial))
}

fn audit_action(kind: FilingEventKind) -> &'static str {
    match kind {
        FilingEventKind::Submit => "filing.submitted",
        FilingEventKind::Return => "filing.returned",
        FilingEventKind::Accept => "filing.accepted",
        FilingEventKind::SubmitPlan => "filing.plan_submitted",
        FilingEventKind::ApprovePlan => "filing.plan_approved",
        FilingEventKind::ReturnPlan => "filing.plan_returned",
        FilingEventKind::DrawGroup => "filing.group_drawn",
        FilingEventKind::CompleteEvaluation => "filing.evaluation_completed",
        FilingEventKind::Decide => "filing.decided",
        FilingEventKind::Suspend => "filing.suspended",
        FilingEventKind::Reinstate => "filing.reinstated",
        FilingEventKind::Revoke => "filing.revoked",
    }
}
