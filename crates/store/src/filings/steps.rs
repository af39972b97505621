//! The steps of a station filing (S2–S5), one function per event of `domain::stations`' machine. Each
//! is only its own rule; [`Store::act_on_filing`] checks the acting office and the transition first,
//! and [`FilingStep`] does what every step shares (claim the row, save it, close the filing's to-dos,
//! record the event with the next office's to-do, append the audit record with the policy versions
//! applied, commit).

use super::{FilingState, acts_as, moved_on, todo_event};
use crate::audit::AuditDraft;
use crate::draws::{DrawInput, DrawSubject};
use crate::entity::filing;
use crate::policy::PolicyUsed;
use crate::step::Step;
use crate::{Ctx, Store, StoreError, StoreResult, now, today};
use domain::authz::Action;
use domain::org::Principal;
use domain::policy::keys;
use domain::stations::{self, FilingEvent, FilingEventKind};
use domain::workflow::SubjectKind;
use domain::{FieldError, FieldErrors};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::Date;

/// A step asked for on a filing (page form or API body). Only the fields of the step are read.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct FilingActionInput {
    /// One of the event ids (`accept`, `return`, `submit_plan`, `start_evaluation`, …).
    #[serde(default)]
    pub kind: String,
    /// Reason of a return, plan return, suspension, reinstatement or revocation; the province's opinion
    /// on `decide`.
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

/// A filing step in progress: the claimed row, its transaction, and what the step will record.
struct FilingStep<'a> {
    step: Step<'a>,
    row: filing::ActiveModel,
    from: FilingState,
    to: FilingState,
    event: FilingEvent,
    /// The timeline comment after the event's label (empty: the label alone).
    comment: String,
    detail: Value,
    used: PolicyUsed,
}

impl Store {
    /// Open a step on `m` towards `to`: claims the row while it is still in the state read.
    async fn filing_step<'a>(
        &self,
        p: &'a Principal,
        ctx: &'a Ctx,
        m: filing::Model,
        event: FilingEvent,
        to: FilingState,
    ) -> StoreResult<FilingStep<'a>> {
        let step = self.step(p, ctx).await?;
        step.claim::<filing::Entity, _>(
            filing::Column::Id,
            m.id,
            filing::Column::State,
            m.state,
            filing::Column::UpdatedAt,
            moved_on,
        )
        .await?;
        let from = m.state;
        let mut row = m.into_active_model();
        row.state = Set(to);
        row.updated_at = Set(now());
        Ok(FilingStep {
            step,
            row,
            from,
            to,
            comment: event.reason().unwrap_or("").to_string(),
            event,
            detail: json!({ "from": from, "to": to }),
            used: PolicyUsed::default(),
        })
    }
}

impl FilingStep<'_> {
    /// Save the row, close the filing's to-dos, record the event (handing out the next to-do), append
    /// the audit record and commit.
    async fn finish(mut self, note: Option<&str>) -> StoreResult<FilingState> {
        let updated = self.row.update(&*self.step).await?;
        self.step.close_todos(SubjectKind::Filing, updated.id).await?;
        let label = self.event.label();
        // A text that already opens with the step's label is not prefixed again ("准予备案：准予备案，…").
        let mut comment = if self.comment.is_empty() {
            label.to_string()
        } else if self.comment.starts_with(label) {
            self.comment.clone()
        } else {
            format!("{label}：{}", self.comment)
        };
        if let Some(note) = note {
            comment.push_str(note);
        }
        self.step.event(todo_event(&updated).moving(Some(self.from), self.to).comment(comment)).await?;
        // V1: the step names the policy versions it applied.
        self.detail["policy"] = self.used.to_json();
        self.step.audit(AuditDraft::new(self.event.kind().audit_action(), updated.id, self.detail)).await?;
        self.step.commit().await?;
        Ok(self.to)
    }
}

impl Store {
    /// One step of the procedure on a filing, by the office the step belongs to: the office and the
    /// transition are checked here, then the event's own function runs.
    pub async fn act_on_filing(
        &self,
        p: &Principal,
        id: i64,
        input: &FilingActionInput,
        ctx: &Ctx,
    ) -> StoreResult<FilingState> {
        let m = self.filing_in_scope(self.reader(), p, id).await?;
        let event = FilingEvent::from_parts(&input.kind, &input.reason, input.approve)
            .map_err(|e| StoreError::from(e.to_field_error()))?;
        // The group's completion is the last member's signature (`findings`), never a request.
        if event.kind() == FilingEventKind::CompleteEvaluation || !acts_as(p, event.actor().office(m.receiver), &m) {
            return Err(StoreError::Forbidden);
        }
        // A missing or too long reason is bad input (422, beside the field); the rest is the state's (409).
        let next = stations::transition(m.state, &event).map_err(|e| match e {
            stations::RuleError::ReasonRequired { .. } | stations::RuleError::ReasonTooLong { .. } => {
                StoreError::Invalid(e.to_field_error().into())
            }
            e => StoreError::Conflict(e.to_field_error()),
        })?;
        match event {
            FilingEvent::Submit => self.submit_filing(p, m, ctx).await,
            FilingEvent::SubmitPlan => self.submit_plan(p, m, input, ctx).await,
            FilingEvent::DrawGroup => self.draw_filing_group(p, m, input, ctx).await,
            FilingEvent::StartEvaluation => self.start_evaluation(p, m, ctx).await,
            FilingEvent::Decide { approve } => self.decide_filing(p, m, approve, &input.reason, ctx).await,
            FilingEvent::Accept => {
                // S3: the center now draws up the plan, due the policy's working days before the evaluation.
                let note = "（评估方案须于评估日前按政策规定的工作日数报省鉴定中心）";
                self.filing_step(p, ctx, m, event, next).await?.finish(Some(note)).await
            }
            FilingEvent::Return { .. }
            | FilingEvent::ApprovePlan
            | FilingEvent::ReturnPlan { .. }
            | FilingEvent::Suspend { .. }
            | FilingEvent::Reinstate { .. }
            | FilingEvent::Revoke { .. } => self.filing_step(p, ctx, m, event, next).await?.finish(None).await,
            FilingEvent::CompleteEvaluation => Err(StoreError::Forbidden),
        }
    }

    /// S2: the application must still be complete under today's policy (it may have changed since it
    /// was saved), with the four kinds of materials attached.
    async fn submit_filing(&self, p: &Principal, m: filing::Model, ctx: &Ctx) -> StoreResult<FilingState> {
        let mut used = PolicyUsed::default();
        // F2: its projects must still be current in the catalog; their rows get the codes again.
        let (app, codes) = self.parse_linked(&super::application_of(&m)?, &mut used).await?;
        stations::check_materials(&self.filing_material_kinds(m.id).await?)?;
        let template = if m.reference.is_none() {
            Some(self.policy_parsed::<String>(keys::FILING_REFERENCE_TEMPLATE, today(), &mut used).await?)
        } else {
            None
        };
        let id = m.id;
        let mut s = self.filing_step(p, ctx, m, FilingEvent::Submit, FilingState::Submitted).await?;
        s.row.submitted_at = Set(Some(now()));
        super::set_projects(&*s.step, id, app.projects(), &codes).await?;
        // The reference number, at the first submission only (issue 9 item 16): the year's next
        // serial, taken inside this transaction so a number is never skipped or given twice.
        if let Some(template) = template {
            let year = today().year();
            let serial = crate::serials::next_serial(&*s.step, &format!("filing_reference:{year}"), 0).await?;
            let serial =
                u32::try_from(serial).map_err(|e| StoreError::corrupt(format!("serial filing_reference:{year}"), e))?;
            let reference = domain::numbering::filing_reference(&template, year, serial)?;
            s.detail["reference"] = json!(reference);
            s.row.reference = Set(Some(reference));
        }
        s.used = used;
        s.finish(None).await
    }

    /// S3: the plan reaches the province at least the policy's working days before the evaluation.
    async fn submit_plan(
        &self,
        p: &Principal,
        m: filing::Model,
        input: &FilingActionInput,
        ctx: &Ctx,
    ) -> StoreResult<FilingState> {
        let mut used = PolicyUsed::default();
        let plan = self.check_plan(p, input, &mut used).await?;
        let mut s = self.filing_step(p, ctx, m, FilingEvent::SubmitPlan, FilingState::PlanSubmitted).await?;
        s.comment = format!("评估日期 {}，地点：{}", plan.evaluation_date, plan.place);
        s.row.evaluation_date = Set(Some(plan.evaluation_date));
        s.row.plan = Set(Some(serde_json::to_string(&plan)?));
        s.used = used;
        s.finish(None).await
    }

    /// The plan as typed, every part required; the date at least the policy's working days ahead (S3).
    async fn check_plan(
        &self,
        p: &Principal,
        input: &FilingActionInput,
        used: &mut PolicyUsed,
    ) -> StoreResult<EvaluationPlan> {
        let mut errs = FieldErrors::new();
        let date = errs.take(
            input
                .evaluation_date
                .ok_or_else(|| FieldError::new(stations::EVALUATION_DATE_FIELD, "REQUIRED", "请填写评估日期")),
        );
        let mut text = |field: &str, value: &str, missing: &str| {
            let v = value.trim();
            errs.take(if v.chars().count() < 2 { Err(FieldError::new(field, "REQUIRED", missing)) } else { Ok(v) })
                .map(str::to_string)
        };
        let place = text("place", &input.place, "请填写评估地点");
        let methods = text("methods", &input.methods, "请填写评估方式与安排");
        let contacts = text("contacts", &input.contacts, "请填写联系人及电话");
        let (Some(date), Some(place), Some(methods), Some(contacts)) = (date, place, methods, contacts) else {
            return Err(StoreError::Invalid(errs));
        };
        let day = today();
        let lead = self.policy_parsed::<u32>(keys::EVALUATION_PLAN_LEAD_DAYS, day, used).await?;
        let cal = self.calendar().await?;
        stations::check_plan_lead(&cal, day, date, lead).map_err(|e| StoreError::Invalid(e.to_field_error().into()))?;
        Ok(EvaluationPlan {
            evaluation_date: date,
            place,
            methods,
            contacts,
            submitted_by: p.username.clone(),
            submitted_by_name: crate::workflow::Person { name: p.display_name.clone(), office: p.org_name.clone() }
                .with_office(),
            submitted_on: day,
        })
    }

    /// S4: the evaluation group is committed and drawn through `store::draws` in the step's own
    /// transaction; its names stay sealed until the evaluation starts.
    async fn draw_filing_group(
        &self,
        p: &Principal,
        m: filing::Model,
        input: &FilingActionInput,
        ctx: &Ctx,
    ) -> StoreResult<FilingState> {
        let draw_input = DrawInput {
            title: format!("{}考核站备案评估专家评议组", m.institution_name),
            applicant_org_id: Some(m.applicant_org_id),
            count: input.group_size,
            specialties: input.specialties.clone(),
            ..Default::default()
        };
        let prep = self.prepare_group_draw(p, &draw_input).await?;
        let id = m.id;
        let mut s = self.filing_step(p, ctx, m, FilingEvent::DrawGroup, FilingState::GroupDrawn).await?;
        let subject = DrawSubject { kind: SubjectKind::Filing, id: id.to_string() };
        let (row, record) = self.insert_draw(&s.step, p, &prep, Some(subject)).await?;
        let draw_id = row.id;
        self.draw_in(&s.step, row, record, &prep.seed).await?;
        s.row.draw_id = Set(Some(draw_id));
        s.comment = format!("专家评议组已抽取（抽取第 {draw_id} 号），名单在评估开始前密封");
        s.detail["draw_id"] = json!(draw_id);
        s.used = prep.policy.clone();
        s.finish(None).await
    }

    /// S4: the evaluation starts: the group's seal opens, the province's to-do closes and every member
    /// who signs in (an expert account with the registry's ID number) gets a to-do to record findings,
    /// due on the evaluation date.
    async fn start_evaluation(&self, p: &Principal, m: filing::Model, ctx: &Ctx) -> StoreResult<FilingState> {
        require_draws(p)?;
        let Some(draw_id) = m.draw_id else {
            return Err(StoreError::Conflict(FieldError::new(
                "",
                "FILING_NO_GROUP",
                "尚未抽取专家评议组，不能开始评估",
            )));
        };
        // Not before the day the plan reported (S3): an earlier evaluation needs a new plan.
        if let Some(planned) = m.evaluation_date {
            stations::check_evaluation_start(planned, today()).map_err(StoreError::Conflict)?;
        }
        let members = self.member_accounts(&self.draw_group(draw_id).await?).await?;
        let (id, name, due) = (m.id, m.institution_name.clone(), m.evaluation_date);
        let mut s = self.filing_step(p, ctx, m, FilingEvent::StartEvaluation, FilingState::Evaluating).await?;
        self.open_draw_seal_in(&s.step, draw_id).await?;
        for user_id in members {
            s.step.event(super::findings::member_todo(id, &name, user_id, due)).await?;
        }
        s.comment = "专家评议组名单和抽取种子已公开，成员按六种方式填写评估意见".into();
        s.detail["draw_id"] = json!(draw_id);
        s.finish(None).await
    }

    /// S5: the province files the station (with the next institution code of its city, taken inside
    /// the decision's transaction so a code never repeats) or refuses to, with its opinion.
    async fn decide_filing(
        &self,
        p: &Principal,
        m: filing::Model,
        approve: bool,
        opinion: &str,
        ctx: &Ctx,
    ) -> StoreResult<FilingState> {
        let opinion = opinion.trim();
        if opinion.chars().count() < 2 {
            return Err(FieldError::new("reason", "REQUIRED", "请填写省鉴定中心意见").into());
        }
        let mut used = PolicyUsed::default();
        let template = if approve {
            Some(self.policy_parsed::<String>(keys::INSTITUTION_CODE_TEMPLATE, today(), &mut used).await?)
        } else {
            None
        };
        let to = if approve { FilingState::Filed } else { FilingState::Rejected };
        let city = m.applicant_city.clone();
        let mut s = self.filing_step(p, ctx, m, FilingEvent::Decide { approve }, to).await?;
        s.row.province_opinion = Set(opinion.to_string());
        s.row.decided_at = Set(Some(now()));
        // The timeline reads "准予备案：机构编码 …。<opinion>"; an opinion that opens with the decision's
        // own words does not say them twice (issue 9 item 7).
        let label = FilingEvent::Decide { approve }.label();
        let rest = opinion
            .strip_prefix(label)
            .map(|r| r.trim_start_matches(['，', '。', '：', '；', ',', '.', ':', ' ']))
            .unwrap_or(opinion);
        s.comment = match &template {
            Some(template) => {
                let (code, serial) = next_institution_code(&*s.step, &city, template).await?;
                s.detail["institution_code"] = json!(code);
                s.row.institution_code = Set(Some(code.clone()));
                s.row.code_serial = Set(Some(serial));
                format!("机构编码 {code}。{rest}")
            }
            None => rest.to_string(),
        };
        s.used = used;
        s.finish(None).await
    }
}

fn require_draws(p: &Principal) -> StoreResult<()> {
    crate::error::require(p, Action::RunDraws)
}

/// S5: the station's institution code from the policy template, with the next serial of its city —
/// taken inside the deciding transaction, so two decisions at once never share a code.
async fn next_institution_code<C: ConnectionTrait>(txn: &C, city: &str, template: &str) -> StoreResult<(String, i32)> {
    let region = domain::ids::RegionCode::parse_hunan_city(city)
        .map_err(|e| StoreError::corrupt(format!("filing applicant city {city}"), e.detail))?;
    let two = region
        .city_two_digits()
        .ok_or_else(|| StoreError::corrupt(format!("filing applicant city {city}"), "not a city of Hunan"))?;
    // Codes issued before the counter existed set its floor.
    let issued: Option<i32> = filing::Entity::find()
        .select_only()
        .column_as(filing::Column::CodeSerial.max(), "issued")
        .filter(filing::Column::ApplicantCity.eq(city))
        .into_tuple()
        .one(txn)
        .await?
        .flatten();
    let serial =
        crate::serials::next_serial(txn, &format!("institution_code:{city}"), issued.unwrap_or(0).into()).await?;
    let serial =
        i32::try_from(serial).map_err(|e| StoreError::corrupt(format!("serial institution_code:{city}"), e))?;
    let code = stations::institution_code_for_year(template, two, serial as u32, today().year())?;
    Ok((code, serial))
}
