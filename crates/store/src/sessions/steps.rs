//! The steps of an exam session (E1, E3): create and edit the plan (the station), submit it on time,
//! approve or return it (the organizer), cancel it (the station, before approval). Each is one
//! [`crate::step::Step`]: the row claimed by the state the caller read (409 `SESSION_CHANGED` to the second
//! of two people acting at once), the change, the workflow event with the next office's to-do, the audit
//! record.

use super::{is_organizer, is_station, organizer_of};
use crate::audit::AuditDraft;
use crate::entity::{exam_candidate, exam_session, filing, filing_project, org, project};
use crate::error::require;
use crate::policy::PolicyUsed;
use crate::step::Step;
use crate::workflow::NewEvent;
use crate::{Ctx, Store, StoreError, StoreResult, now, today};
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::exams::{
    ExamPlan, ExamPlanInput, Organizer, SessionActor, SessionEvent, SessionEventKind, SessionKind, SessionState,
    check_lead_time, organizer, transition,
};
use domain::org::{Principal, Role};
use domain::policy::keys;
use domain::projects::{ExamRefusal, ProjectState};
use domain::stations::FilingState;
use domain::workflow::SubjectKind;
use domain::{FieldError, FieldErrors};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde::Deserialize;
use serde_json::json;

/// A step on a session as typed: `submit`, `approve`, `return` or `cancel`, with the reasons a return
/// or a cancellation needs.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SessionActionInput {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub reason: String,
}

/// A plan that passed every check, with what E1 decided.
struct Checked {
    plan: ExamPlan,
    project: project::Model,
    station_city: Option<String>,
    organizer: Organizer,
}

fn organizer_city(o: &Organizer) -> Option<String> {
    match o {
        Organizer::Province => None,
        Organizer::City(c) => Some(c.clone()),
    }
}

fn changed() -> StoreError {
    StoreError::Conflict(FieldError::new(
        "state",
        "SESSION_CHANGED",
        "该考核计划刚被他人办理，状态已变化，请刷新页面后重试",
    ))
}

/// A project's refusal to hold an exam (P8) on the plan's field: the project, or the days.
fn exam_refusal(r: &ExamRefusal) -> FieldError {
    let field = match r {
        ExamRefusal::NotPublished { .. } | ExamRefusal::Stopped => "project_code",
        _ => "first_day",
    };
    r.to_field_error().for_field(field)
}

/// The event of a step: the to-do it hands to the next office, if any.
fn todo_event(m: &exam_session::Model, project_name: &str, to: SessionState) -> NewEvent {
    let mut e = NewEvent::about(SubjectKind::ExamSession, m.id);
    match to {
        SessionState::Submitted => {
            e.title = format!("审核考核计划：{project_name}（{}）", m.first_day);
            e.due_date = Some(m.first_day);
            match &m.organizer_city {
                Some(c) => {
                    e.assignee_role = Some(Role::CityStaff);
                    e.assignee_city = Some(c.clone());
                }
                None => e.assignee_role = Some(Role::ProvinceStaff),
            }
        }
        SessionState::Returned => {
            e.title = format!("考核计划被退回，请修改后重新报送：{project_name}（{}）", m.first_day);
            e.assignee_role = Some(Role::StationStaff);
            e.assignee_org_id = Some(m.station_org_id);
        }
        _ => {}
    }
    e
}

impl Store {
    /// E1, E3, S5, P8: the plan parsed, the project found in the catalog, the station filed for it and
    /// the project able to hold an exam on each day; every error at once where they are independent.
    async fn check_exam_plan(&self, p: &Principal, input: &ExamPlanInput) -> StoreResult<Checked> {
        let plan = ExamPlan::parse(input, today()).map_err(StoreError::Invalid)?;
        let not_in_catalog = || {
            FieldError::new(
                "project_code",
                "PROJECT_NOT_IN_CATALOG",
                format!("考核项目目录中没有代码为“{}”的项目", plan.project_code),
            )
        };
        let project = project::Entity::find()
            .filter(project::Column::Code.eq(plan.project_code.as_str()))
            .one(self.reader())
            .await?
            .ok_or_else(|| StoreError::Invalid(not_in_catalog().into()))?;
        let station = org::Entity::find_by_id(p.org_id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let mut errs = FieldErrors::new();
        if !self.station_filed_for(station.id, &project).await? {
            errs.push(FieldError::new(
                "project_code",
                "STATION_NOT_FILED_FOR_PROJECT",
                format!("本考核站未备案考核项目“{}”（S5），不能组织该项目的考核", project.name),
            ));
        }
        for day in [plan.first_day, plan.last_day] {
            if let Err(r) = self.may_hold_exam(project.id, day).await? {
                errs.push(exam_refusal(&r));
                break;
            }
        }
        errs.into_result().map_err(StoreError::Invalid)?;
        let kind = SessionKind {
            pilot: project.state == ProjectState::Pilot,
            computer_based: plan.computer_based,
            station_city: station.city_code.clone(),
        };
        Ok(Checked { organizer: organizer(&kind), station_city: station.city_code, plan, project })
    }

    /// S5: the station holds a filing in force that lists the project (by its catalog code, or by its
    /// name for rows saved before codes were kept).
    async fn station_filed_for(&self, station_org_id: i64, project: &project::Model) -> StoreResult<bool> {
        let filings: Vec<i64> = filing::Entity::find()
            .filter(filing::Column::ApplicantOrgId.eq(station_org_id))
            .filter(filing::Column::State.eq(FilingState::Filed))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|f| f.id)
            .collect();
        if filings.is_empty() {
            return Ok(false);
        }
        let rows = filing_project::Entity::find()
            .filter(filing_project::Column::FilingId.is_in(filings))
            .all(self.reader())
            .await?;
        Ok(rows.iter().any(|r| match (&r.code, &project.code) {
            (Some(c), Some(pc)) => c == pc,
            _ => r.name == project.name,
        }))
    }

    /// E3: a station drafts a session (E1 decides its organizer).
    pub async fn create_exam_session(&self, p: &Principal, input: &ExamPlanInput, ctx: &Ctx) -> StoreResult<i64> {
        require(p, Action::PlanSessions)?;
        let c = self.check_exam_plan(p, input).await?;
        let step = self.step(p, ctx).await?;
        let at = now();
        let row = exam_session::ActiveModel {
            station_org_id: Set(p.org_id),
            station_city: Set(c.station_city.clone()),
            project_id: Set(c.project.id),
            organizer_city: Set(organizer_city(&c.organizer)),
            first_day: Set(c.plan.first_day),
            last_day: Set(c.plan.last_day),
            venue: Set(c.plan.venue.clone()),
            expected_candidates: Set(i32::try_from(c.plan.expected_candidates).unwrap_or(i32::MAX)),
            computer_based: Set(c.plan.computer_based),
            plan: Set(c.plan.plan.clone()),
            state: Set(SessionState::Draft),
            decision_reason: Set(String::new()),
            submitted_at: Set(None),
            decided_at: Set(None),
            created_by: Set(p.username.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        let e =
            NewEvent::about(SubjectKind::ExamSession, row.id).moving(None, SessionState::Draft.id()).comment(format!(
                "草拟考核计划：{}，{} 至 {}，{}组织",
                c.project.name,
                c.plan.first_day,
                c.plan.last_day,
                c.organizer.label()
            ));
        step.event(e).await?;
        step.audit(AuditDraft::new(
            AuditAction::ExamSessionCreated,
            row.id,
            json!({ "session_id": row.id, "project_id": c.project.id, "first_day": c.plan.first_day.to_string(),
                    "organizer_city": organizer_city(&c.organizer) }),
        ))
        .await?;
        step.commit().await?;
        Ok(row.id)
    }

    /// E3: the station edits its draft or returned plan; E1 decides the organizer again.
    pub async fn update_exam_session(
        &self,
        p: &Principal,
        id: i64,
        input: &ExamPlanInput,
        ctx: &Ctx,
    ) -> StoreResult<()> {
        let m = self.session_in_scope(p, id).await?;
        self.allow(p, &m, &SessionEvent::Edit)?;
        let c = self.check_exam_plan(p, input).await?;
        let step = self.claim_session(p, ctx, &m).await?;
        exam_session::ActiveModel {
            id: Set(id),
            project_id: Set(c.project.id),
            station_city: Set(c.station_city.clone()),
            organizer_city: Set(organizer_city(&c.organizer)),
            first_day: Set(c.plan.first_day),
            last_day: Set(c.plan.last_day),
            venue: Set(c.plan.venue.clone()),
            expected_candidates: Set(i32::try_from(c.plan.expected_candidates).unwrap_or(i32::MAX)),
            computer_based: Set(c.plan.computer_based),
            plan: Set(c.plan.plan.clone()),
            ..Default::default()
        }
        .update(&*step)
        .await?;
        step.audit(AuditDraft::new(
            AuditAction::ExamSessionUpdated,
            id,
            json!({ "session_id": id, "project_id": c.project.id, "first_day": c.plan.first_day.to_string(),
                    "organizer_city": organizer_city(&c.organizer) }),
        ))
        .await?;
        step.commit().await
    }

    /// Whether `p` may take `event` on the session now: its actor (the session's station, or its
    /// organizer — `NOT_ORGANIZER` for another center), then the state machine.
    pub(crate) fn allow(
        &self,
        p: &Principal,
        m: &exam_session::Model,
        event: &SessionEvent,
    ) -> StoreResult<SessionState> {
        match event.actor() {
            SessionActor::Station if !is_station(p, m) => return Err(StoreError::Forbidden),
            SessionActor::Organizer if !is_organizer(p, m) => {
                if !p.can(Action::DecideSessions) {
                    return Err(StoreError::Forbidden);
                }
                return Err(StoreError::Conflict(FieldError::new(
                    "state",
                    "NOT_ORGANIZER",
                    format!(
                        "本场考核由{}组织实施（E1），只有组织考核的鉴定中心能审核其考核计划",
                        organizer_of(m).label()
                    ),
                )));
            }
            _ => {}
        }
        transition(m.state, event).map_err(|r| {
            if r.is_conflict() { StoreError::Conflict(r.to_field_error()) } else { StoreError::Invalid(r.into()) }
        })
    }

    /// Opens the step and claims the session by the state the caller read.
    pub(crate) async fn claim_session<'a>(
        &self,
        p: &'a Principal,
        ctx: &'a Ctx,
        m: &exam_session::Model,
    ) -> StoreResult<Step<'a>> {
        let step = self.step(p, ctx).await?;
        step.claim::<exam_session::Entity, _>(
            exam_session::Column::Id,
            m.id,
            exam_session::Column::State,
            m.state,
            exam_session::Column::UpdatedAt,
            changed,
        )
        .await?;
        Ok(step)
    }

    /// E3: submit, approve, return or cancel a session.
    pub async fn act_on_session(
        &self,
        p: &Principal,
        id: i64,
        input: &SessionActionInput,
        ctx: &Ctx,
    ) -> StoreResult<SessionState> {
        let m = self.session_in_scope(p, id).await?;
        let reason = input.reason.trim().to_owned();
        let event = match input.action.trim().parse::<SessionEventKind>() {
            Ok(SessionEventKind::Submit) => SessionEvent::Submit,
            Ok(SessionEventKind::Approve) => SessionEvent::Approve,
            Ok(SessionEventKind::Return) => SessionEvent::Return { reasons: reason.clone() },
            Ok(SessionEventKind::Cancel) => SessionEvent::Cancel { reason: reason.clone() },
            _ => {
                return Err(StoreError::Invalid(
                    FieldError::new("action", "SESSION_ACTION_UNKNOWN", "请选择要办理的事项（报送、批准、退回或取消）")
                        .into(),
                ));
            }
        };
        let to = self.allow(p, &m, &event)?;
        let mut used = PolicyUsed::default();
        let mut am = exam_session::ActiveModel { id: Set(id), state: Set(to), ..Default::default() };
        let project =
            project::Entity::find_by_id(m.project_id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let mut moved = m.clone();
        moved.state = to;
        let mut comment = event.kind().label().to_owned();
        // Issue 12: the roster is fixed at approval, so every candidate's ticket is numbered in its step.
        let tickets = match &event {
            SessionEvent::Approve => Some(self.ticket_policy(&mut used).await?),
            _ => None,
        };
        match &event {
            SessionEvent::Submit => {
                let c = self.check_exam_plan(p, &self.input_of(&m, &project)).await?;
                let count = exam_candidate::Entity::find()
                    .filter(exam_candidate::Column::SessionId.eq(id))
                    .count(self.reader())
                    .await?;
                if count == 0 {
                    return Err(StoreError::Invalid(
                        FieldError::new("candidates", "ROSTER_EMPTY", "考生名单为空，请先添加考生或导入考生名册再报送")
                            .into(),
                    ));
                }
                let day = today();
                let lead: u32 = self.policy_parsed(keys::EXAM_PLAN_LEAD_DAYS, day, &mut used).await?;
                let cal = self.calendar().await?;
                match check_lead_time(&cal, day, m.first_day, lead) {
                    Ok(Ok(())) => {}
                    Ok(Err(late)) => return Err(StoreError::Invalid(late.to_field_error().into())),
                    Err(e) => {
                        return Err(StoreError::Invalid(FieldError::new("first_day", e.code(), e.to_string()).into()));
                    }
                }
                moved.organizer_city = organizer_city(&c.organizer);
                am.organizer_city = Set(moved.organizer_city.clone());
                am.submitted_at = Set(Some(now()));
                am.decision_reason = Set(String::new());
                comment = format!("报送考核计划（{}审核，考生 {count} 名）", c.organizer.label());
            }
            SessionEvent::Approve => am.decided_at = Set(Some(now())),
            SessionEvent::Return { reasons } => {
                am.decided_at = Set(Some(now()));
                am.decision_reason = Set(reasons.clone());
                comment = format!("退回考核计划：{reasons}");
            }
            SessionEvent::Cancel { reason } => {
                am.decision_reason = Set(reason.clone());
                comment = format!("取消考核：{reason}");
            }
            SessionEvent::Edit => {}
        }
        let step = self.claim_session(p, ctx, &m).await?;
        am.update(&*step).await?;
        step.close_todos(SubjectKind::ExamSession, id).await?;
        let e = todo_event(&moved, &project.name, to).moving(Some(m.state.id()), to.id()).comment(comment);
        step.event(e).await?;
        step.audit(AuditDraft::new(
            event.audit_action(),
            id,
            json!({ "session_id": id, "from": m.state, "to": to, "reason": event.reason(), "policy": used.to_json() }),
        ))
        .await?;
        if let Some(policy) = &tickets {
            let numbers = self.issue_tickets(&step, &m, &project, policy).await?;
            step.audit(AuditDraft::new(
                AuditAction::ExamTicketsIssued,
                id,
                json!({ "session_id": id, "count": numbers.len(), "first": numbers.first(), "last": numbers.last(),
                        "policy": used.to_json() }),
            ))
            .await?;
        }
        step.commit().await?;
        Ok(to)
    }

    /// The stored plan as its input (re-checked at submission).
    fn input_of(&self, m: &exam_session::Model, project: &project::Model) -> ExamPlanInput {
        ExamPlanInput {
            project_code: project.code.clone().unwrap_or_default(),
            first_day: m.first_day.to_string(),
            last_day: m.last_day.to_string(),
            venue: m.venue.clone(),
            expected_candidates: m.expected_candidates.to_string(),
            computer_based: m.computer_based,
            plan: m.plan.clone(),
        }
    }
}
