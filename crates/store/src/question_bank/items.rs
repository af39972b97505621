//! P6: writing items and their review path. Every edit is a new version in draft (the version it starts
//! from stays as it was: an approved version stays in the bank until its successor is approved, which
//! supersedes it); submit, approve, return (with a reason) and retire move the newest version along
//! `domain::question_bank::transition`. Each is one [`crate::step::Step`] with its audit record; none
//! of the records carries content.

use super::{acts_for_province, moved_on};
use crate::audit::AuditDraft;
use crate::entity::{qbank_item, qbank_item_version};
use crate::error::require;
use crate::{Ctx, Store, StoreError, StoreResult, now};
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::org::Principal;
use domain::question_bank::{Item, ItemActor, ItemEvent, ItemInput, ItemState, ItemStatus, transition};
use domain::{FieldError, FieldErrors};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

/// A review step an item's page offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemStep {
    Submit,
    Approve,
    Return,
    Retire,
    Revise,
}

impl ItemStep {
    pub const ALL: [ItemStep; 5] =
        [ItemStep::Submit, ItemStep::Approve, ItemStep::Return, ItemStep::Retire, ItemStep::Revise];

    /// The path segment and API name: `submit`, `approve`, `return`, `retire`, `revise`.
    pub fn id(self) -> &'static str {
        match self {
            ItemStep::Submit => "submit",
            ItemStep::Approve => "approve",
            ItemStep::Return => "return",
            ItemStep::Retire => "retire",
            ItemStep::Revise => "revise",
        }
    }

    pub fn parse(s: &str) -> Option<ItemStep> {
        Self::ALL.into_iter().find(|a| a.id() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ItemStep::Submit => "提交省中心审核",
            ItemStep::Approve => "审核通过入库",
            ItemStep::Return => "退回修改",
            ItemStep::Retire => "停用",
            ItemStep::Revise => "修改（生成新版本）",
        }
    }

    fn event(self, reason: &str) -> ItemEvent {
        match self {
            ItemStep::Submit => ItemEvent::Submit,
            ItemStep::Approve => ItemEvent::Approve,
            ItemStep::Return => ItemEvent::Return { reason: reason.to_owned() },
            ItemStep::Retire => ItemEvent::Retire,
            ItemStep::Revise => ItemEvent::Revise,
        }
    }
}

/// Whether `p` may take a step of `actor` at all: the author's steps take a question bank officer, the
/// province's a question bank officer of the province (P6).
fn may_act(p: &Principal, actor: ItemActor) -> bool {
    match actor {
        ItemActor::Author => p.can(Action::WriteQuestionItems),
        ItemActor::Province => p.can(Action::ReviewQuestionItems) && acts_for_province(p),
    }
}

/// The steps `p` may take on an item whose newest version is in `status`.
pub(super) fn steps_for(p: &Principal, status: ItemStatus) -> Vec<ItemStep> {
    let state = ItemState { status, version: 1 };
    ItemStep::ALL
        .into_iter()
        .filter(|s| {
            let e = s.event("理由");
            may_act(p, e.actor()) && transition(state, &e).is_ok()
        })
        .collect()
}

/// The work task of an item must be one of the specification's (field `task`).
pub(super) fn check_task(item: &Item, tasks: usize) -> Result<(), FieldError> {
    if item.task as usize > tasks {
        return Err(FieldError::new(
            "task",
            "ITEM_TASK",
            format!("所属工作任务应为 1 至 {tasks} 中的序号（本项目规范共 {tasks} 个工作任务）"),
        ));
    }
    Ok(())
}

fn i32_of(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A new version row of `item_id` in draft.
pub(super) fn version_row(
    item_id: i64,
    version: i32,
    item: &Item,
    content_enc: String,
    author: &str,
) -> qbank_item_version::ActiveModel {
    let at = now();
    qbank_item_version::ActiveModel {
        item_id: Set(item_id),
        version: Set(version),
        kind: Set(item.kind),
        task: Set(i32_of(item.task)),
        difficulty: Set(item.difficulty),
        points: Set(i32_of(item.points)),
        content_enc: Set(content_enc),
        status: Set(ItemStatus::Draft),
        return_reason: Set(None),
        author: Set(author.to_owned()),
        reviewer: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        reviewed_at: Set(None),
        ..Default::default()
    }
}

impl Store {
    /// Insert a new item (version 1, draft) inside the caller's transaction.
    pub(super) async fn insert_item<C: ConnectionTrait>(
        &self,
        conn: &C,
        p: &Principal,
        project_id: i64,
        item: &Item,
    ) -> StoreResult<i64> {
        let at = now();
        let row = qbank_item::ActiveModel {
            project_id: Set(project_id),
            author_org_id: Set(p.org_id),
            current_version: Set(1),
            bank_version: Set(None),
            created_by: Set(p.username.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        version_row(row.id, 1, item, self.seal_content(&item.content)?, &p.username).insert(conn).await?;
        Ok(row.id)
    }

    /// P6: write a new item for an established project (version 1, draft). The task must be one of the
    /// project's specification (field `task`).
    pub async fn create_item(&self, p: &Principal, project_id: i64, input: &ItemInput, ctx: &Ctx) -> StoreResult<i64> {
        require(p, Action::WriteQuestionItems)?;
        let mut errs = FieldErrors::new();
        let project = errs.take(self.bank_project(self.reader(), project_id, "project_id").await?);
        let item = match Item::parse(input) {
            Ok(i) => Some(i),
            Err(e) => {
                errs.0.extend(e.0);
                None
            }
        };
        if let (Some(pr), Some(it)) = (&project, &item) {
            errs.take(check_task(it, pr.tasks.len()));
        }
        let (Some(project), Some(item)) = (project, item) else { return Err(StoreError::Invalid(errs)) };
        if !errs.is_empty() {
            return Err(StoreError::Invalid(errs));
        }
        let step = self.step(p, ctx).await?;
        let id = self.insert_item(&*step, p, project.id, &item).await?;
        step.audit(AuditDraft::new(
            AuditAction::QuestionItemCreated,
            id,
            json!({ "project_id": project.id, "version": 1, "kind": item.kind.id(), "task": item.task }),
        ))
        .await?;
        step.commit().await?;
        Ok(id)
    }

    /// P6: an edit is a new version in draft; the version it starts from stays as it was.
    pub async fn revise_item(&self, p: &Principal, id: i64, input: &ItemInput, ctx: &Ctx) -> StoreResult<u32> {
        let item = self.item_in_scope(self.reader(), p, id).await?;
        require(p, Action::WriteQuestionItems)?;
        let project = self.bank_project(self.reader(), item.project_id, "project_id").await??;
        let parsed = Item::parse(input)?;
        check_task(&parsed, project.tasks.len())?;
        let current = self.item_version(self.reader(), id, item.current_version).await?;
        let state = ItemState { status: current.status, version: u32::try_from(current.version).unwrap_or(0) };
        let next = transition(state, &ItemEvent::Revise).map_err(|e| conflict(&e.to_string()))?;
        let step = self.step(p, ctx).await?;
        step.claim::<qbank_item::Entity, _>(
            qbank_item::Column::Id,
            id,
            qbank_item::Column::CurrentVersion,
            item.current_version,
            qbank_item::Column::UpdatedAt,
            moved_on,
        )
        .await?;
        let version = i32_of(next.version);
        version_row(id, version, &parsed, self.seal_content(&parsed.content)?, &p.username).insert(&*step).await?;
        qbank_item::Entity::update_many()
            .col_expr(qbank_item::Column::CurrentVersion, Expr::value(version))
            .filter(qbank_item::Column::Id.eq(id))
            .exec(&*step)
            .await?;
        step.audit(AuditDraft::new(
            AuditAction::QuestionItemRevised,
            id,
            json!({ "project_id": item.project_id, "from_version": current.version, "version": version }),
        ))
        .await?;
        step.commit().await?;
        Ok(next.version)
    }

    /// P6: submit, approve, return (with `reason`) or retire the newest version of an item. Approval
    /// puts it in the provincial bank and retires the version it supersedes; retiring takes the item
    /// out of the bank altogether (its versions stay for history and for the papers that name them).
    pub async fn item_step(&self, p: &Principal, id: i64, what: ItemStep, reason: &str, ctx: &Ctx) -> StoreResult<()> {
        let item = self.item_in_scope(self.reader(), p, id).await?;
        let event = what.event(reason);
        if !may_act(p, event.actor()) || what == ItemStep::Revise {
            return Err(StoreError::Forbidden);
        }
        let reason = reason.trim();
        if what == ItemStep::Return {
            if reason.is_empty() {
                return Err(FieldError::new("reason", "REQUIRED", "请填写退回理由").into());
            }
            domain::text::check("reason", "退回理由", reason)?;
            if reason.chars().count() > 500 {
                return Err(FieldError::new("reason", "TOO_LONG", "退回理由不得超过 500 个字").into());
            }
        }
        let current = self.item_version(self.reader(), id, item.current_version).await?;
        let state = ItemState { status: current.status, version: u32::try_from(current.version).unwrap_or(0) };
        let next = transition(state, &event).map_err(|e| conflict(&e.to_string()))?;
        let step = self.step(p, ctx).await?;
        step.claim::<qbank_item::Entity, _>(
            qbank_item::Column::Id,
            id,
            qbank_item::Column::CurrentVersion,
            item.current_version,
            qbank_item::Column::UpdatedAt,
            moved_on,
        )
        .await?;
        let at = now();
        let mut change = qbank_item_version::Entity::update_many()
            .col_expr(qbank_item_version::Column::Status, Expr::value(next.status))
            .col_expr(qbank_item_version::Column::UpdatedAt, Expr::value(at));
        if event.actor() == domain::question_bank::ItemActor::Province {
            change = change
                .col_expr(qbank_item_version::Column::Reviewer, Expr::value(p.username.clone()))
                .col_expr(qbank_item_version::Column::ReviewedAt, Expr::value(at));
        }
        if what == ItemStep::Return {
            change = change.col_expr(qbank_item_version::Column::ReturnReason, Expr::value(reason.to_owned()));
        }
        let r = change
            .filter(qbank_item_version::Column::Id.eq(current.id))
            .filter(qbank_item_version::Column::Status.eq(current.status))
            .exec(&*step)
            .await?;
        if r.rows_affected != 1 {
            return Err(moved_on());
        }
        let mut superseded = None;
        match what {
            ItemStep::Approve => {
                superseded = item.bank_version;
                self.retire_bank_version(&step, &item).await?;
                set_bank_version(&step, id, Some(current.version)).await?;
            }
            ItemStep::Retire => {
                self.retire_bank_version(&step, &item).await?;
                set_bank_version(&step, id, None).await?;
            }
            _ => {}
        }
        let mut detail =
            json!({ "project_id": item.project_id, "version": current.version, "status": next.status.id() });
        if what == ItemStep::Return {
            detail["reason"] = json!(reason);
        }
        if let Some(v) = superseded {
            detail["superseded_version"] = json!(v);
        }
        step.audit(AuditDraft::new(event.audit_action(), id, detail)).await?;
        step.commit().await
    }

    /// The item's version in the bank (if another than the current one) is retired: superseded by the
    /// approval of its successor, or taken out with the item.
    async fn retire_bank_version(&self, step: &crate::step::Step<'_>, item: &qbank_item::Model) -> StoreResult<()> {
        if let Some(v) = item.bank_version.filter(|v| *v != item.current_version) {
            qbank_item_version::Entity::update_many()
                .col_expr(qbank_item_version::Column::Status, Expr::value(ItemStatus::Retired))
                .col_expr(qbank_item_version::Column::UpdatedAt, Expr::value(now()))
                .filter(qbank_item_version::Column::ItemId.eq(item.id))
                .filter(qbank_item_version::Column::Version.eq(v))
                .exec(&**step)
                .await?;
        }
        Ok(())
    }
}

async fn set_bank_version(step: &crate::step::Step<'_>, id: i64, version: Option<i32>) -> StoreResult<()> {
    qbank_item::Entity::update_many()
        .col_expr(qbank_item::Column::BankVersion, Expr::value(version))
        .filter(qbank_item::Column::Id.eq(id))
        .exec(&**step)
        .await?;
    Ok(())
}

/// 409 `ITEM_STEP_NOT_ALLOWED` with the domain's words.
fn conflict(detail: &str) -> StoreError {
    StoreError::Conflict(FieldError::new("", "ITEM_STEP_NOT_ALLOWED", detail))
}
