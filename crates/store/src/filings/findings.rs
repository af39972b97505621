//! S4: the members of a filing's drawn evaluation group record their findings by the six methods once
//! the evaluation has started; the last signature forms the group's conclusion (majority) and hands the
//! filing to the province's decision. A filing's group is nobody else's business: outside it, the
//! findings pages read as not found.

use super::{FilingState, todo_event};
use crate::audit::AuditDraft;
use crate::entity::{filing, filing_finding, user};
use crate::error::require;
use crate::workflow::NewEvent;
use crate::{Ctx, Store, StoreError, StoreResult, now};
use domain::FieldError;
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::org::{Principal, Role};
use domain::stations::{self, ApplicationInput, Conclusion, FilingEvent, FindingsInput, MemberFindings};
use domain::workflow::SubjectKind;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::json;
use time::Date;

/// A member's way into a filing under evaluation (see [`Store::findings_access`]).
#[derive(Debug, Clone)]
pub(crate) struct FindingsAccess {
    pub filing: filing::Model,
    /// The caller's expert id.
    pub expert_id: i64,
    /// The group's expert ids.
    pub group: Vec<i64>,
}

/// A member's findings page (see [`Store::member_view`]): what they review and what they signed.
#[derive(Debug, Clone)]
pub struct MemberView {
    pub filing: super::FilingSummary,
    pub application: ApplicationInput,
    pub plan: Option<super::EvaluationPlan>,
    /// How many members the group has.
    pub group_size: usize,
    /// What the member signed last time.
    pub own: Option<FindingsInput>,
    pub materials: Vec<crate::attachments::AttachmentView>,
}

/// A group member's own to-do (S4): record findings by the evaluation date. Kept under its own subject
/// (`filing_findings`, `filing:user`) so it closes when that member signs, and stays off the filing's
/// timeline.
pub(super) fn member_todo(filing_id: i64, institution: &str, user_id: i64, due: Option<Date>) -> NewEvent {
    NewEvent {
        title: format!("{institution}：填写评估意见（专家评议组成员）"),
        assignee_user_id: Some(user_id),
        due_date: due,
        ..NewEvent::about(SubjectKind::FilingFindings, format!("{filing_id}:{user_id}"))
    }
}

impl Store {
    /// The sign-in accounts (expert role, same ID number) of the given registry experts.
    pub(crate) async fn member_accounts(&self, experts: &[i64]) -> StoreResult<Vec<i64>> {
        let idx: Vec<String> = crate::entity::expert::Entity::find()
            .filter(crate::entity::expert::Column::Id.is_in(experts.to_vec()))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|e| e.id_number_idx)
            .collect();
        let users: Vec<i64> = user::Entity::find()
            .filter(user::Column::IdNumberIdx.is_in(idx))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect();
        Ok(crate::entity::user_role::Entity::find()
            .filter(crate::entity::user_role::Column::UserId.is_in(users))
            .filter(crate::entity::user_role::Column::Role.eq(Role::Expert))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|r| r.user_id)
            .collect())
    }

    /// The filing, the caller's expert id and the group, when the caller is a member of its opened
    /// evaluation group; otherwise not found.
    pub(crate) async fn findings_access(&self, p: &Principal, id: i64) -> StoreResult<FindingsAccess> {
        require(p, Action::RecordFindings)?;
        let m = filing::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let (expert_id, group) = self.open_group_member(p, m.draw_id).await?;
        Ok(FindingsAccess { filing: m, expert_id, group })
    }

    /// Whether the caller may record findings on this filing (a member of its opened group): asked
    /// before a request body is read, so a stranger learns nothing from a refused body.
    pub async fn may_record_findings(&self, p: &Principal, id: i64) -> StoreResult<()> {
        self.findings_access(p, id).await.map(|_| ())
    }

    /// What a group member signed last time, to start from when they revise it.
    pub async fn own_findings(&self, p: &Principal, id: i64) -> StoreResult<Option<FindingsInput>> {
        let access = self.findings_access(p, id).await?;
        self.findings_of(id, access.expert_id).await
    }

    /// What a member's findings page shows, after one access check: the filing and group, what they
    /// signed last time and the materials they review.
    pub async fn member_view(&self, p: &Principal, id: i64) -> StoreResult<MemberView> {
        let FindingsAccess { filing: m, expert_id, group } = self.findings_access(p, id).await?;
        let projects = super::projects_of(self.reader(), vec![id]).await?.remove(&id).unwrap_or_default();
        Ok(MemberView {
            application: super::application_of(&m)?,
            plan: super::plan_of(&m)?,
            group_size: group.len(),
            own: self.findings_of(id, expert_id).await?,
            materials: self.filing_attachments(id).await?,
            filing: super::summary(&m, projects),
        })
    }

    async fn findings_of(&self, id: i64, expert_id: i64) -> StoreResult<Option<FindingsInput>> {
        let row = filing_finding::Entity::find()
            .filter(filing_finding::Column::FilingId.eq(id))
            .filter(filing_finding::Column::ExpertId.eq(expert_id))
            .one(self.reader())
            .await?;
        row.map(|r| {
            serde_json::from_str(&r.findings).map_err(|e| StoreError::corrupt(format!("filing finding {}", r.id), e))
        })
        .transpose()
    }

    /// S4: a member of the opened group signs findings by the six methods (again, to revise them, while
    /// the group has not concluded). Members signing at once take turns on the filing's row, so the
    /// last one always sees every other finding and forms the group's conclusion.
    pub async fn record_findings(&self, p: &Principal, id: i64, input: &FindingsInput, ctx: &Ctx) -> StoreResult<()> {
        let FindingsAccess { filing: m, expert_id: me, group } = self.findings_access(p, id).await?;
        let not_evaluating =
            || StoreError::Conflict(FieldError::new("", "FILING_NOT_EVALUATING", "该申请不在评估阶段"));
        if m.state != FilingState::Evaluating {
            return Err(not_evaluating());
        }
        let parsed = MemberFindings::parse(input)?;
        let step = self.step(p, ctx).await?;
        step.claim::<filing::Entity, _>(
            filing::Column::Id,
            id,
            filing::Column::State,
            FilingState::Evaluating,
            filing::Column::UpdatedAt,
            not_evaluating,
        )
        .await?;
        filing_finding::Entity::delete_many()
            .filter(filing_finding::Column::FilingId.eq(id))
            .filter(filing_finding::Column::ExpertId.eq(me))
            .exec(&*step)
            .await?;
        filing_finding::ActiveModel {
            filing_id: Set(id),
            expert_id: Set(me),
            findings: Set(serde_json::to_string(input)?),
            conclusion: Set(parsed.conclusion()),
            recorded_by: Set(p.username.clone()),
            recorded_at: Set(now()),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        step.close_todos(SubjectKind::FilingFindings, format!("{id}:{}", p.user_id)).await?;
        step.audit(AuditDraft::new(
            AuditAction::FilingFindingsRecorded,
            id,
            json!({ "conclusion": parsed.conclusion() }),
        ))
        .await?;
        let all = filing_finding::Entity::find().filter(filing_finding::Column::FilingId.eq(id)).all(&*step).await?;
        if group.iter().all(|e| all.iter().any(|f| f.expert_id == *e)) {
            let conclusions: Vec<Conclusion> = all.iter().map(|f| f.conclusion).collect();
            let overall = stations::group_conclusion(&conclusions);
            let next = stations::transition(FilingState::Evaluating, &FilingEvent::CompleteEvaluation)
                .map_err(|e| StoreError::Conflict(e.to_field_error()))?;
            let mut am = m.into_active_model();
            am.state = Set(next);
            am.group_conclusion = Set(Some(overall));
            am.updated_at = Set(now());
            let updated = am.update(&*step).await?;
            step.close_todos(SubjectKind::Filing, id).await?;
            step.event(
                todo_event(&updated)
                    .moving(Some(FilingState::Evaluating), next)
                    .comment(format!("专家评议组全部成员已签署评估意见，评估结论：{}", overall.label())),
            )
            .await?;
            step.audit(AuditDraft::new(AuditAction::FilingEvaluationCompleted, id, json!({ "conclusion": overall })))
                .await?;
        }
        step.commit().await
    }

    /// The registry expert a sign-in account belongs to (same ID number), if any.
    /// The caller's expert id and the group of the draw `draw_id`, when the caller is a member of it
    /// and its seal is open; otherwise not found (S4, P4: a group member sees the review only once
    /// it has started). One check for every procedure that reviews through a draw.
    pub(crate) async fn open_group_member(&self, p: &Principal, draw_id: Option<i64>) -> StoreResult<(i64, Vec<i64>)> {
        let me = self.expert_of_user(p.user_id).await?;
        let (Some(draw_id), Some(me)) = (draw_id, me) else { return Err(StoreError::NotFound) };
        let draw = crate::entity::draw::Entity::find_by_id(draw_id).one(self.reader()).await?;
        let Some(draw) = draw.filter(|d| d.seal_open) else { return Err(StoreError::NotFound) };
        let group = crate::draws::record_of(&draw)?.group();
        if !group.contains(&me) {
            return Err(StoreError::NotFound);
        }
        Ok((me, group))
    }

    pub(crate) async fn expert_of_user(&self, user_id: i64) -> StoreResult<Option<i64>> {
        let u = user::Entity::find_by_id(user_id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let Some(idx) = u.id_number_idx else { return Ok(None) };
        Ok(crate::entity::expert::Entity::find()
            .filter(crate::entity::expert::Column::IdNumberIdx.eq(idx))
            .one(self.reader())
            .await?
            .map(|e| e.id))
    }
}
