//! The steps of an assessment project (P3, P4, P8, P1), one function per event of `domain::projects`'
//! machine. [`Store::act_on_project`] checks the acting party and the transition first; each event's
//! own rule is read and checked before its step opens (the specification, the policy, the draw's pool),
//! and [`ProjectStep`] does what every step shares: claim the row by the state read (409
//! `PROJECT_CHANGED` when it moved on), save it, close the project's to-dos, record the event with the
//! next party's to-do, append the audit record naming the policy versions applied, commit.

use super::{ProjectState, acts_as, moved_on, todo_event};
use crate::audit::AuditDraft;
use crate::draws::{DrawInput, DrawSubject};
use crate::entity::project;
use crate::error::require;
use crate::policy::PolicyUsed;
use crate::step::Step;
use crate::{Ctx, Store, StoreError, StoreResult, now, today};
use domain::FieldError;
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::org::Principal;
use domain::policy::keys;
use domain::projects::{
    self, Actor, Adoption, AdoptionInput, ProjectEvent, ProjectEventKind, ProjectOrigin, Receiver, TransitionError,
};
use domain::workflow::SubjectKind;
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::Date;

/// A step asked for on a project (page form or API body). Only the fields of the step are read.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ProjectActionInput {
    /// One of the event ids (`submit`, `city_return`, `forward`, `draw_review`, `establish`, …).
    #[serde(default)]
    pub kind: String,
    /// The reason of a return, a rejection (of a project or an adoption) or a stop.
    #[serde(default)]
    pub reason: String,
    /// `publish`, `approve_adoption`: the publication date, `YYYY-MM-DD`, not before today.
    #[serde(default)]
    pub publication_date: String,
    /// `approve_adoption`: pilot (true) or in force at once (false).
    pub pilot: Option<bool>,
    /// `draw_review`: the group's size (default: policy `draw.expert_group_size`, bounded by
    /// `draw.expert_group_min` … `draw.expert_group_max`).
    pub group_size: Option<u32>,
}

/// A project step in progress: the claimed row, its transaction, and what the step will record.
struct ProjectStep<'a> {
    step: Step<'a>,
    row: project::ActiveModel,
    from: ProjectState,
    to: ProjectState,
    event: ProjectEvent,
    /// The timeline comment after the event's label (empty: the label alone).
    comment: String,
    detail: Value,
    used: PolicyUsed,
    /// The next to-do's due date (P8: the pilot's reminder day).
    due: Option<Date>,
}

impl Store {
    /// Open a step on `m` towards `to`: claims the row while it is still in the state read.
    async fn project_step<'a>(
        &self,
        p: &'a Principal,
        ctx: &'a Ctx,
        m: project::Model,
        event: ProjectEvent,
        to: ProjectState,
    ) -> StoreResult<ProjectStep<'a>> {
        let step = self.step(p, ctx).await?;
        step.claim::<project::Entity, _>(
            project::Column::Id,
            m.id,
            project::Column::State,
            m.state,
            project::Column::UpdatedAt,
            moved_on,
        )
        .await?;
        let from = m.state;
        let mut row = m.into_active_model();
        row.state = Set(to);
        row.updated_at = Set(now());
        if let Some(reason) = event.reason() {
            row.decision_reason = Set(Some(reason.to_string()));
        }
        Ok(ProjectStep {
            step,
            row,
            from,
            to,
            comment: event.reason().unwrap_or("").to_string(),
            event,
            detail: json!({ "from": from, "to": to }),
            used: PolicyUsed::default(),
            due: None,
        })
    }
}

impl ProjectStep<'_> {
    /// Save the row, close the project's to-dos, record the event (handing out the next to-do), append
    /// the audit record and commit.
    async fn finish(mut self) -> StoreResult<ProjectState> {
        let updated = self.row.update(&*self.step).await?;
        self.step.close_todos(SubjectKind::Project, updated.id).await?;
        let label = self.event.label();
        let comment = if self.comment.is_empty() { label.to_string() } else { format!("{label}：{}", self.comment) };
        self.step.event(todo_event(&updated, self.due).moving(Some(self.from), self.to).comment(comment)).await?;
        // V1: the step names the policy versions it applied.
        self.detail["policy"] = self.used.to_json();
        self.step.audit(AuditDraft::new(self.event.kind().audit_action(), updated.id, self.detail)).await?;
        self.step.commit().await?;
        Ok(self.to)
    }
}

/// The action a party's steps need (the role check before the scope's own).
fn action_of(actor: Actor) -> Action {
    match actor {
        Actor::DevelopmentUnit => Action::ApplyProject,
        Actor::CityCenter => Action::ReviewProjectCity,
        Actor::Province => Action::DecideProject,
        Actor::ReviewGroup => Action::FileProjectOpinion,
    }
}

/// A publication date (P8) is today or later: the catalog is never back-dated.
fn check_publication(publication: Date) -> StoreResult<()> {
    let day = today();
    if publication < day {
        return Err(FieldError::new(
            "publication_date",
            "PROJECT_PUBLICATION_DATE_PAST",
            format!("发布日期不能早于今天（{day}）"),
        )
        .into());
    }
    Ok(())
}

impl Store {
    /// One step of the procedure on a project, by the party the step belongs to: the party and the
    /// transition are checked here, then the event's own function runs. A missing or too long reason,
    /// a missing date or mode is bad input (422 beside its field); a step the state does not allow is a
    /// conflict (409).
    pub async fn act_on_project(
        &self,
        p: &Principal,
        id: i64,
        input: &ProjectActionInput,
        ctx: &Ctx,
    ) -> StoreResult<ProjectState> {
        let m = self.project_in_scope(self.reader(), p, id).await?;
        let event =
            ProjectEvent::from_parts(&input.kind, &input.reason, &input.publication_date, input.pilot, m.receiver)
                .map_err(|e| StoreError::from(e.to_field_error()))?;
        // The review's completion is the last member's opinion (`review`), never a request.
        if event.kind() == ProjectEventKind::CompleteReview {
            return Err(StoreError::Forbidden);
        }
        require(p, action_of(event.actor()))?;
        if !acts_as(p, event.actor(), &m) {
            return Err(StoreError::Forbidden);
        }
        let next = projects::transition(m.state, &event).map_err(|e| match e {
            TransitionError::ReasonRequired { .. } | TransitionError::ReasonTooLong { .. } => {
                StoreError::Invalid(e.to_field_error().into())
            }
            e => StoreError::Conflict(e.to_field_error()),
        })?;
        match event {
            ProjectEvent::Submit { .. } => self.submit(p, m, event, next, ctx).await,
            ProjectEvent::DrawReview => self.draw_review(p, m, input, ctx).await,
            ProjectEvent::OpenReview => self.open_review(p, m, ctx).await,
            ProjectEvent::Establish => self.establish(p, m, ctx).await,
            ProjectEvent::Publish { publication } => {
                check_publication(publication)?;
                self.publish(p, m, event, next, publication, ctx).await
            }
            ProjectEvent::ApproveAdoption { publication, .. } => {
                check_publication(publication)?;
                self.publish(p, m, event, next, publication, ctx).await
            }
            ProjectEvent::CityReturn { .. }
            | ProjectEvent::Forward
            | ProjectEvent::ProvinceReturn { .. }
            | ProjectEvent::Reject { .. }
            | ProjectEvent::RollOut
            | ProjectEvent::Stop { .. }
            | ProjectEvent::RejectAdoption { .. } => self.project_step(p, ctx, m, event, next).await?.finish().await,
            ProjectEvent::CompleteReview => Err(StoreError::Forbidden),
        }
    }

    /// P3: the development unit submits its application (again after a return) along its route.
    pub async fn submit_project(&self, p: &Principal, id: i64, ctx: &Ctx) -> StoreResult<ProjectState> {
        let input = ProjectActionInput { kind: ProjectEventKind::Submit.id().into(), ..Default::default() };
        self.act_on_project(p, id, &input, ctx).await
    }

    /// P3: the whole specification parses (every error at once: fields, the name rule, weights and
    /// shares, the policy's panel minimum) and the feasibility report is attached.
    async fn submit(
        &self,
        p: &Principal,
        m: project::Model,
        event: ProjectEvent,
        next: ProjectState,
        ctx: &Ctx,
    ) -> StoreResult<ProjectState> {
        let mut used = PolicyUsed::default();
        let parsed = self.parse_specification(&super::specification_of(&m)?, &mut used).await;
        let files = projects::check_submission_files(&self.project_file_kinds(m.id).await?);
        let spec = match (parsed, files) {
            (Ok(spec), Ok(())) => spec,
            (Err(StoreError::Invalid(mut errors)), files) => {
                if let Err(e) = files {
                    errors.push(e);
                }
                return Err(StoreError::Invalid(errors));
            }
            (Err(e), _) => return Err(e),
            (Ok(_), Err(e)) => return Err(e.into()),
        };
        let id = m.id;
        let mut s = self.project_step(p, ctx, m, event, next).await?;
        s.row.name = Set(spec.name().as_str().to_string());
        s.row.submitted_at = Set(Some(now()));
        s.row.decision_reason = Set(None);
        super::set_fields(&*s.step, id, spec.fields()).await?;
        s.detail["route"] = json!(if next == ProjectState::Forwarded { Receiver::Province } else { Receiver::City });
        s.used = used;
        s.finish().await
    }

    /// P4: the review group is committed and drawn through `store::draws` in the step's own
    /// transaction, from experts with one of the project's fields as a specialty, recusing the
    /// development unit's people (current and recent employers, declared conflicts); its names stay
    /// sealed until the review opens.
    async fn draw_review(
        &self,
        p: &Principal,
        m: project::Model,
        input: &ProjectActionInput,
        ctx: &Ctx,
    ) -> StoreResult<ProjectState> {
        let fields = super::fields_of(self.reader(), vec![m.id]).await?.remove(&m.id).unwrap_or_default();
        let draw_input = DrawInput {
            title: format!("{}考核项目论证评审专家组", super::display_name(&m)),
            applicant_org_id: m.devunit_org_id,
            count: input.group_size,
            specialties: fields.join("、"),
            ..Default::default()
        };
        let prep = self.prepare_group_draw(p, &draw_input).await?;
        let id = m.id;
        let mut s = self.project_step(p, ctx, m, ProjectEvent::DrawReview, ProjectState::ReviewDrawn).await?;
        let subject = DrawSubject { kind: SubjectKind::Project, id: id.to_string() };
        let (row, record) = self.insert_draw(&s.step, p, &prep, Some(subject)).await?;
        let draw_id = row.id;
        self.draw_in(&s.step, row, record, &prep.seed).await?;
        s.row.draw_id = Set(Some(draw_id));
        s.comment = format!("论证评审专家组已抽取（抽取第 {draw_id} 号），名单在评审开始前密封");
        s.detail["draw_id"] = json!(draw_id);
        s.used = prep.policy.clone();
        s.finish().await
    }

    /// P4: the review opens: the group's seal opens and every member who signs in (an expert account
    /// with the registry's ID number) gets a to-do to file an opinion (`project_review`, `id:user`).
    async fn open_review(&self, p: &Principal, m: project::Model, ctx: &Ctx) -> StoreResult<ProjectState> {
        require(p, Action::RunDraws)?;
        let Some(draw_id) = m.draw_id else {
            return Err(StoreError::Conflict(FieldError::new(
                "",
                "PROJECT_NO_GROUP",
                "尚未抽取论证评审专家组，不能开始论证评审",
            )));
        };
        let members = self.member_accounts(&self.draw_group(draw_id).await?).await?;
        let (id, name) = (m.id, super::display_name(&m).to_string());
        let mut s = self.project_step(p, ctx, m, ProjectEvent::OpenReview, ProjectState::Reviewing).await?;
        self.open_draw_seal_in(&s.step, draw_id).await?;
        for user_id in members {
            s.step.event(super::review::member_todo(id, &name, user_id)).await?;
        }
        s.comment = "论证评审专家组名单和抽取种子已公开，成员填写论证评审意见".into();
        s.detail["draw_id"] = json!(draw_id);
        s.finish().await
    }

    /// P4: the province establishes the project; it gets the catalog's next project code (policy
    /// `number.project_code_template`, serial `project_code` taken inside the step, so a code never
    /// repeats or skips).
    async fn establish(&self, p: &Principal, m: project::Model, ctx: &Ctx) -> StoreResult<ProjectState> {
        let mut used = PolicyUsed::default();
        let template: String = self.policy_parsed(keys::PROJECT_CODE_TEMPLATE, today(), &mut used).await?;
        let mut s = self.project_step(p, ctx, m, ProjectEvent::Establish, ProjectState::Established).await?;
        let code = next_project_code(&s.step, &template).await?;
        s.comment = format!("考核项目代码 {code}");
        s.detail["code"] = json!(code);
        s.row.code = Set(Some(code));
        s.used = used;
        s.finish().await
    }

    /// P8 (publish) and P1 (an approved adoption): the project enters the catalog on its publication
    /// date. In pilot, the province's to-do is due the policy's days before the pilot's last day
    /// (`project.pilot_reminder_days`; at once when that day has passed), the last day counted under
    /// the pilot length in force on the publication date. An adoption gets its project code here.
    async fn publish(
        &self,
        p: &Principal,
        m: project::Model,
        event: ProjectEvent,
        next: ProjectState,
        publication: Date,
        ctx: &Ctx,
    ) -> StoreResult<ProjectState> {
        let mut used = PolicyUsed::default();
        let day = today();
        let adoption = m.origin == ProjectOrigin::Adopted && m.code.is_none();
        let template: Option<String> =
            if adoption { Some(self.policy_parsed(keys::PROJECT_CODE_TEMPLATE, day, &mut used).await?) } else { None };
        let mut pilot = None;
        if next == ProjectState::Pilot {
            let months: u32 = self.policy_parsed(keys::PILOT_MAX_MONTHS, publication, &mut used).await?;
            let days: u32 = self.policy_parsed(keys::PILOT_REMINDER_DAYS, day, &mut used).await?;
            let end = projects::pilot_end(publication, months);
            pilot = Some((end, projects::reminder_date(end, days).max(day)));
        }
        let mut s = self.project_step(p, ctx, m, event, next).await?;
        s.row.publication_date = Set(Some(publication));
        let mut comment = format!("发布日期 {publication}");
        if let Some(template) = template {
            let code = next_project_code(&s.step, &template).await?;
            comment.push_str(&format!("，考核项目代码 {code}"));
            s.detail["code"] = json!(code);
            s.row.code = Set(Some(code));
        }
        if let Some((end, remind)) = pilot {
            comment.push_str(&format!("，试点期至 {end} 止"));
            s.detail["pilot_end"] = json!(end.to_string());
            s.due = Some(remind);
        }
        s.detail["publication_date"] = json!(publication.to_string());
        s.comment = comment;
        s.used = used;
        s.finish().await
    }

    /// P1: the province records a project published by the national center or another province, with
    /// its provenance, its complete specification (its original name kept) and the evidence of its
    /// question bank; it waits for approval (`adoption_submitted`).
    pub async fn record_adoption(&self, p: &Principal, input: &AdoptionInput, ctx: &Ctx) -> StoreResult<i64> {
        require(p, Action::ManageCatalog)?;
        let adoption = Adoption::parse(input, today())?;
        let at = now();
        let state = ProjectOrigin::Adopted.initial_state();
        let step = self.step(p, ctx).await?;
        let m = project::ActiveModel {
            origin: Set(ProjectOrigin::Adopted),
            state: Set(state),
            name: Set(adoption.specification.name().as_str().to_string()),
            devunit_org_id: Set(None),
            receiver: Set(Receiver::Province),
            receiving_region: Set(None),
            specification: Set(serde_json::to_string(&input.specification)?),
            provenance: Set(Some(serde_json::to_string(&adoption.provenance)?)),
            evidence: Set(Some(adoption.evidence.clone())),
            submitted_at: Set(Some(at)),
            created_by: Set(p.username.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        super::set_fields(&*step, m.id, adoption.specification.fields()).await?;
        step.event(todo_event(&m, None).moving(None, state).comment(adoption.provenance.describe())).await?;
        step.audit(AuditDraft::new(
            AuditAction::ProjectAdoptionRecorded,
            m.id,
            json!({ "source": adoption.provenance.source, "original_code": adoption.provenance.original_code }),
        ))
        .await?;
        step.commit().await?;
        Ok(m.id)
    }
}

impl Store {
    /// P1: the province corrects an adoption while it waits for approval (the whole record parsed
    /// again, as when it was recorded); 409 `PROJECT_NOT_EDITABLE` once decided.
    pub async fn update_adoption(&self, p: &Principal, id: i64, input: &AdoptionInput, ctx: &Ctx) -> StoreResult<()> {
        require(p, Action::ManageCatalog)?;
        let m = self.project_in_scope(self.reader(), p, id).await?;
        if m.origin != ProjectOrigin::Adopted || m.state != ProjectState::AdoptionSubmitted {
            return Err(StoreError::Conflict(FieldError::new(
                "",
                "PROJECT_NOT_EDITABLE",
                "只有待审批的采用登记可以修改",
            )));
        }
        let adoption = Adoption::parse(input, today())?;
        let step = self.step(p, ctx).await?;
        step.claim::<project::Entity, _>(
            project::Column::Id,
            id,
            project::Column::State,
            m.state,
            project::Column::UpdatedAt,
            moved_on,
        )
        .await?;
        let mut am = m.into_active_model();
        am.name = Set(adoption.specification.name().as_str().to_string());
        am.specification = Set(serde_json::to_string(&input.specification)?);
        am.provenance = Set(Some(serde_json::to_string(&adoption.provenance)?));
        am.evidence = Set(Some(adoption.evidence.clone()));
        am.updated_at = Set(now());
        am.update(&*step).await?;
        super::set_fields(&*step, id, adoption.specification.fields()).await?;
        step.audit(AuditDraft::new(AuditAction::ProjectUpdated, id, json!({ "origin": ProjectOrigin::Adopted })))
            .await?;
        step.commit().await
    }
}

/// P4, P1: the catalog's next project code from the policy template, with the serial `project_code`
/// taken inside the deciding transaction (so two decisions at once never share a code; a rolled-back
/// one gives its number back).
async fn next_project_code(step: &Step<'_>, template: &str) -> StoreResult<String> {
    let serial = crate::serials::next_serial(&**step, "project_code", 0).await?;
    let serial = u32::try_from(serial).map_err(|e| StoreError::corrupt("serial project_code", e))?;
    Ok(projects::project_code(template, serial, today().year())?.as_str().to_string())
}
