//! P4: the members of a project's drawn review group file their opinions once the review has opened,
//! each once; the last one forms the group's conclusion (the majority, ties to the stricter,
//! `domain::projects::group_conclusion`) and hands the project to the province's decision. A project's
//! group is nobody else's business: to an expert outside it, the project reads as not found.

use super::{ProjectState, ReviewMemberView, todo_event};
use crate::audit::AuditDraft;
use crate::entity::{project, project_opinion};
use crate::error::require;
use crate::workflow::NewEvent;
use crate::{Ctx, Store, StoreError, StoreResult, now};
use domain::FieldError;
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::org::Principal;
use domain::projects::{self, OpinionInput, ProjectEvent, ReviewConclusion, ReviewOpinion};
use domain::workflow::SubjectKind;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set};
use serde_json::json;
use time::OffsetDateTime;

/// One member's opinion (P4).
#[derive(Debug, Clone)]
pub struct OpinionView {
    pub expert_id: i64,
    pub expert_name: String,
    pub conclusion: ReviewConclusion,
    pub comments: String,
    pub recorded_at: OffsetDateTime,
}

/// A member's way into a project under review (see [`Store::review_access`]).
#[derive(Debug, Clone)]
pub(crate) struct ReviewAccess {
    pub project: project::Model,
    /// The caller's expert id.
    pub expert_id: i64,
    /// The group's expert ids.
    pub group: Vec<i64>,
}

/// A member's own to-do (P4): file an opinion. Kept under its own subject (`project_review`,
/// `project:user`) so it closes when that member files, and stays off the project's timeline.
pub(super) fn member_todo(project_id: i64, name: &str, user_id: i64) -> NewEvent {
    NewEvent {
        title: format!("{name}：填写论证评审意见（论证评审专家组成员）"),
        assignee_user_id: Some(user_id),
        ..NewEvent::about(SubjectKind::ProjectReview, format!("{project_id}:{user_id}"))
    }
}

impl Store {
    /// The project, the caller's expert id and the group, when the caller is a member of its opened
    /// review group; otherwise not found.
    pub(crate) async fn review_access(&self, p: &Principal, id: i64) -> StoreResult<ReviewAccess> {
        require(p, Action::FileProjectOpinion)?;
        let m = project::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let (expert_id, group) = self.open_group_member(p, m.draw_id).await?;
        Ok(ReviewAccess { project: m, expert_id, group })
    }

    /// Whether the caller may file an opinion on this project (a member of its opened group): asked
    /// before a request body is read.
    pub async fn may_file_opinion(&self, p: &Principal, id: i64) -> StoreResult<()> {
        self.review_access(p, id).await.map(|_| ())
    }

    /// P4: the caller's own opinion on the project, or none while they have not filed — read directly
    /// from the opinions (never inferred from the to-do list). Only a member of the project's opened
    /// review group asks: to anyone else the project reads as not found (403 for a role that files no
    /// opinion).
    pub async fn own_opinion(&self, p: &Principal, id: i64) -> StoreResult<Option<OpinionView>> {
        let access = self.review_access(p, id).await?;
        let Some(row) = project_opinion::Entity::find()
            .filter(project_opinion::Column::ProjectId.eq(id))
            .filter(project_opinion::Column::ExpertId.eq(access.expert_id))
            .one(self.reader())
            .await?
        else {
            return Ok(None);
        };
        let name = crate::entity::expert::Entity::find_by_id(row.expert_id)
            .one(self.reader())
            .await?
            .map(|e| e.name)
            .unwrap_or_default();
        Ok(Some(OpinionView {
            expert_id: row.expert_id,
            expert_name: name,
            conclusion: row.conclusion,
            comments: row.comments,
            recorded_at: row.recorded_at,
        }))
    }

    /// The opened group with who filed, and the opinions by name (for the province and the members).
    pub(super) async fn review_of(
        &self,
        id: i64,
        draw_id: i64,
    ) -> StoreResult<(Vec<ReviewMemberView>, Vec<OpinionView>)> {
        let group = self.draw_group(draw_id).await?;
        let rows = project_opinion::Entity::find()
            .filter(project_opinion::Column::ProjectId.eq(id))
            .order_by_asc(project_opinion::Column::Id)
            .all(self.reader())
            .await?;
        let wanted: Vec<i64> = group.iter().copied().chain(rows.iter().map(|r| r.expert_id)).collect();
        let names = crate::entity::expert::Entity::find()
            .filter(crate::entity::expert::Column::Id.is_in(wanted))
            .all(self.reader())
            .await?;
        let name_of = |id: i64| names.iter().find(|e| e.id == id).map(|e| e.name.clone()).unwrap_or_default();
        let members = group
            .iter()
            .map(|&e| ReviewMemberView { expert_id: e, name: name_of(e), filed: rows.iter().any(|r| r.expert_id == e) })
            .collect();
        let opinions = rows
            .into_iter()
            .map(|r| OpinionView {
                expert_name: name_of(r.expert_id),
                expert_id: r.expert_id,
                conclusion: r.conclusion,
                comments: r.comments,
                recorded_at: r.recorded_at,
            })
            .collect();
        Ok((members, opinions))
    }

    /// P4: a member of the opened group files an opinion, once (`PROJECT_OPINION_FILED` for a second).
    /// Members filing at once take turns on the project's row, so the last one always sees every other
    /// opinion, forms the group's conclusion and moves the project to `reviewed`.
    pub async fn file_opinion(&self, p: &Principal, id: i64, input: &OpinionInput, ctx: &Ctx) -> StoreResult<()> {
        let super::review::ReviewAccess { project: m, expert_id: me, group } = self.review_access(p, id).await?;
        let not_reviewing =
            || StoreError::Conflict(FieldError::new("", "PROJECT_NOT_REVIEWING", "该考核项目不在论证评审阶段"));
        if m.state != ProjectState::Reviewing {
            return Err(not_reviewing());
        }
        let opinion = ReviewOpinion::parse(input)?;
        let step = self.step(p, ctx).await?;
        step.claim::<project::Entity, _>(
            project::Column::Id,
            id,
            project::Column::State,
            ProjectState::Reviewing,
            project::Column::UpdatedAt,
            not_reviewing,
        )
        .await?;
        let filed =
            project_opinion::Entity::find().filter(project_opinion::Column::ProjectId.eq(id)).all(&*step).await?;
        if filed.iter().any(|f| f.expert_id == me) {
            return Err(StoreError::Conflict(FieldError::new(
                "",
                "PROJECT_OPINION_FILED",
                "您已填写过该考核项目的论证评审意见，不能重复填写",
            )));
        }
        project_opinion::ActiveModel {
            project_id: Set(id),
            expert_id: Set(me),
            conclusion: Set(opinion.conclusion),
            comments: Set(opinion.comments.clone()),
            recorded_by: Set(p.username.clone()),
            recorded_at: Set(now()),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        step.close_todos(SubjectKind::ProjectReview, format!("{id}:{}", p.user_id)).await?;
        step.audit(AuditDraft::new(AuditAction::ProjectOpinionFiled, id, json!({ "conclusion": opinion.conclusion })))
            .await?;
        let mut conclusions: Vec<ReviewConclusion> = filed.iter().map(|f| f.conclusion).collect();
        conclusions.push(opinion.conclusion);
        let mut experts: Vec<i64> = filed.iter().map(|f| f.expert_id).collect();
        experts.push(me);
        if group.iter().all(|e| experts.contains(e)) {
            let overall = projects::group_conclusion(&conclusions).ok_or_else(|| {
                StoreError::corrupt(format!("project {id} opinions"), "a full group without opinions")
            })?;
            let next = projects::transition(ProjectState::Reviewing, &ProjectEvent::CompleteReview)
                .map_err(|e| StoreError::Conflict(e.to_field_error()))?;
            let mut am = m.into_active_model();
            am.state = Set(next);
            am.group_conclusion = Set(Some(overall));
            am.updated_at = Set(now());
            let updated = am.update(&*step).await?;
            step.close_todos(SubjectKind::Project, id).await?;
            let tally = projects::ReviewTally::of(&conclusions);
            step.event(todo_event(&updated, None).moving(Some(ProjectState::Reviewing), next).comment(format!(
                "论证评审专家组全部成员已填写意见（同意 {} 人、修改后立项 {} 人、不同意 {} 人），评审结论：{}",
                tally.agree,
                tally.revise,
                tally.disagree,
                overall.label()
            )))
            .await?;
            step.audit(AuditDraft::new(AuditAction::ProjectReviewCompleted, id, json!({ "conclusion": overall })))
                .await?;
        }
        step.commit().await
    }
}
