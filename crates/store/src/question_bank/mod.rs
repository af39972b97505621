//! The confidential question bank (P2, P6) and its provable papers (E2) in the database.
//! `domain::question_bank` holds the rules (items, the review path with versions, the import row, the
//! blueprint, assembly and its record, the printable layout); this module keeps them:
//!
//! - this module: who sees what, the metadata list and an item's page (versions, no content), the
//!   content of one version (decrypted, each read audited with the person);
//! - [`items`]: writing (create, revise — always a new version), the review path (submit, approve —
//!   superseding the bank's previous version, return with a reason, retire), each one [`crate::step::Step`];
//! - [`transfer`]: the all-or-nothing .xlsx import (rows as header → cell) and the audited export;
//! - [`papers`]: a project's blueprint, provable assembly (paper A, parallel paper B under the policy's
//!   overlap cap), revealing the seed, the record and the printable paper and answer key.
//!
//! **Confidentiality** (issue 11): an item's stem, options and answer are one `ItemContent` blob,
//! encrypted with the deployment's cipher (`content_enc`, AAD `qbank_item`); kind, work task,
//! difficulty, points and status stay in clear, so lists and assembly never decrypt. Only the question
//! bank officer (`Action::ReadQuestionItems`, `ReadPapers`) reads content or a paper, and every read,
//! export and print writes its audit record in the same transaction as the read.
//!
//! **Who sees what**: the province's staff and question bank officers see every item's metadata; a
//! question bank officer of a city or unit only the items its organisation wrote (others are 404);
//! every other role is refused (403) before anything is looked up. Reviewing (P6: the province manages
//! the provincial bank) and assembling take a question bank officer whose scope is the province.

mod items;
mod papers;
mod transfer;

pub use items::ItemStep;
pub use papers::{BlueprintView, PaperContent, PaperDetail, PaperSummary, PaperUse, PrintedItem};
pub use transfer::ImportRow;

use crate::entity::{project, qbank_item, qbank_item_version};
use crate::error::require;
use crate::{Ctx, Page, PageReq, Store, StoreError, StoreResult};
use domain::FieldError;
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::org::{DataScope, Principal};
use domain::projects::{ProjectState, SpecificationInput};
use domain::question_bank::{Difficulty, ItemContent, ItemKind, ItemStatus};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use std::collections::HashMap;
use time::OffsetDateTime;

/// The AAD of an item's encrypted content.
const CONTENT_AAD: &[u8] = b"qbank_item";

/// An item in the list: the metadata of its newest version, never its content.
#[derive(Debug, Clone)]
pub struct ItemSummary {
    pub id: i64,
    pub project_id: i64,
    pub project_name: String,
    pub author_org_id: i64,
    /// The newest version and its place in the review path.
    pub version: u32,
    pub status: ItemStatus,
    pub kind: ItemKind,
    pub task: u32,
    pub difficulty: Difficulty,
    pub points: u32,
    /// The approved version in the provincial bank, if any.
    pub bank_version: Option<u32>,
    pub updated_at: OffsetDateTime,
}

/// One version of an item, metadata only.
#[derive(Debug, Clone)]
pub struct ItemVersionView {
    pub version: u32,
    pub kind: ItemKind,
    pub task: u32,
    pub difficulty: Difficulty,
    pub points: u32,
    pub status: ItemStatus,
    pub return_reason: Option<String>,
    pub author: String,
    pub reviewer: Option<String>,
    pub created_at: OffsetDateTime,
    pub reviewed_at: Option<OffsetDateTime>,
}

/// An item's page: its summary, every version (newest first) and the steps the caller may take now.
#[derive(Debug, Clone)]
pub struct ItemDetail {
    pub summary: ItemSummary,
    pub versions: Vec<ItemVersionView>,
    pub actions: Vec<ItemStep>,
}

/// Filters of the item list (all on the newest version).
#[derive(Debug, Clone, Default)]
pub struct ItemQuery {
    pub project_id: Option<i64>,
    pub kind: Option<ItemKind>,
    pub status: Option<ItemStatus>,
    pub difficulty: Option<Difficulty>,
    pub task: Option<u32>,
}

/// A project items may be written for (established or later, with its specification's work tasks).
#[derive(Debug, Clone)]
pub struct BankProject {
    pub id: i64,
    pub name: String,
    pub code: Option<String>,
    /// The specification's work tasks, by name, in order (task `n` is `tasks[n - 1]`).
    pub tasks: Vec<String>,
}

fn u32_of(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

fn version_view(v: &qbank_item_version::Model) -> ItemVersionView {
    ItemVersionView {
        version: u32_of(v.version),
        kind: v.kind,
        task: u32_of(v.task),
        difficulty: v.difficulty,
        points: u32_of(v.points),
        status: v.status,
        return_reason: v.return_reason.clone(),
        author: v.author.clone(),
        reviewer: v.reviewer.clone(),
        created_at: v.created_at,
        reviewed_at: v.reviewed_at,
    }
}

fn summary(item: &qbank_item::Model, v: &qbank_item_version::Model, project_name: &str) -> ItemSummary {
    ItemSummary {
        id: item.id,
        project_id: item.project_id,
        project_name: project_name.to_owned(),
        author_org_id: item.author_org_id,
        version: u32_of(v.version),
        status: v.status,
        kind: v.kind,
        task: u32_of(v.task),
        difficulty: v.difficulty,
        points: u32_of(v.points),
        bank_version: item.bank_version.map(u32_of),
        updated_at: item.updated_at,
    }
}

/// Whether the principal reviews and assembles for the provincial bank (P6: the province manages it).
pub(crate) fn acts_for_province(p: &Principal) -> bool {
    p.scope == DataScope::Province
}

/// 409 `QBANK_CHANGED`: the item moved on between the read and the step.
pub(crate) fn moved_on() -> StoreError {
    StoreError::Conflict(FieldError::new("", "QBANK_CHANGED", "该试题刚被他人办理，状态已变化，请刷新页面后重试"))
}

/// The projects of `ids` by name (one query).
async fn project_names<C: ConnectionTrait>(conn: &C, ids: Vec<i64>) -> StoreResult<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(project::Entity::find()
        .filter(project::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect())
}

impl Store {
    /// The project of a bank: established or later (it has a specification in force). Anything else is
    /// a field error on `field` (the inner `Err`): items and blueprints belong to a project that exists
    /// as such.
    pub(crate) async fn bank_project<C: ConnectionTrait>(
        &self,
        conn: &C,
        project_id: i64,
        field: &str,
    ) -> StoreResult<Result<BankProject, FieldError>> {
        let m = project::Entity::find_by_id(project_id).one(conn).await?;
        let Some(m) =
            m.filter(|m| matches!(m.state, ProjectState::Established | ProjectState::Pilot | ProjectState::InForce))
        else {
            return Ok(Err(FieldError::new(field, "QBANK_PROJECT", "请选择已设立（或试点、推行中）的考核项目")));
        };
        let spec: SpecificationInput = serde_json::from_str(&m.specification)
            .map_err(|e| StoreError::corrupt(format!("project {} specification", m.id), e))?;
        Ok(Ok(BankProject {
            id: m.id,
            name: m.name,
            code: m.code,
            tasks: spec.tasks.into_iter().map(|t| t.name).collect(),
        }))
    }

    /// The projects a bank may be kept for (established or later), for the pickers.
    pub async fn bank_projects(&self, p: &Principal) -> StoreResult<Vec<BankProject>> {
        require(p, Action::ListQuestionItems)?;
        let rows = project::Entity::find()
            .filter(project::Column::State.is_in([
                ProjectState::Established,
                ProjectState::Pilot,
                ProjectState::InForce,
            ]))
            .order_by_asc(project::Column::Id)
            .all(self.reader())
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for m in rows {
            out.push(self.bank_project(self.reader(), m.id, "project_id").await??);
        }
        Ok(out)
    }

    /// An item the caller may see: 403 for a role that sees no bank, 404 for a missing item or one of
    /// another organisation's bank outside the province's scope.
    pub(crate) async fn item_in_scope<C: ConnectionTrait>(
        &self,
        conn: &C,
        p: &Principal,
        id: i64,
    ) -> StoreResult<qbank_item::Model> {
        require(p, Action::ListQuestionItems)?;
        let m = qbank_item::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)?;
        if !acts_for_province(p) && m.author_org_id != p.org_id {
            return Err(StoreError::NotFound);
        }
        Ok(m)
    }

    pub(crate) async fn item_version<C: ConnectionTrait>(
        &self,
        conn: &C,
        item_id: i64,
        version: i32,
    ) -> StoreResult<qbank_item_version::Model> {
        qbank_item_version::Entity::find()
            .filter(qbank_item_version::Column::ItemId.eq(item_id))
            .filter(qbank_item_version::Column::Version.eq(version))
            .one(conn)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Encrypt an item's content for `content_enc`.
    pub(crate) fn seal_content(&self, content: &ItemContent) -> StoreResult<String> {
        self.crypto.encrypt(&content.canonical_json(), CONTENT_AAD).map_err(|e| StoreError::service("cipher", e))
    }

    /// Decrypt a version's content (callers audit the read).
    pub(crate) fn open_content(&self, v: &qbank_item_version::Model) -> StoreResult<ItemContent> {
        let plain = self.crypto.decrypt(&v.content_enc, CONTENT_AAD).map_err(|e| StoreError::service("cipher", e))?;
        ItemContent::from_json(&plain)
            .map_err(|e| StoreError::corrupt(format!("question item {} v{} content", v.item_id, v.version), e))
    }

    /// The items list: the newest version's metadata, filtered, newest change first, within the scope.
    pub async fn list_items(&self, p: &Principal, q: &ItemQuery, page: PageReq) -> StoreResult<Page<ItemSummary>> {
        require(p, Action::ListQuestionItems)?;
        use qbank_item_version::Column as V;
        let mut sel = qbank_item_version::Entity::find().filter(Expr::cust(
            "qbank_item_versions.version = (SELECT current_version FROM qbank_items \
             WHERE qbank_items.id = qbank_item_versions.item_id)",
        ));
        let mut items = Query::select();
        items.column("id").from("qbank_items");
        if !acts_for_province(p) {
            items.and_where(Expr::col("author_org_id").eq(p.org_id));
        }
        if let Some(pid) = q.project_id {
            items.and_where(Expr::col("project_id").eq(pid));
        }
        sel = sel.filter(V::ItemId.in_subquery(items.to_owned()));
        if let Some(k) = q.kind {
            sel = sel.filter(V::Kind.eq(k));
        }
        if let Some(s) = q.status {
            sel = sel.filter(V::Status.eq(s));
        }
        if let Some(d) = q.difficulty {
            sel = sel.filter(V::Difficulty.eq(d));
        }
        if let Some(t) = q.task {
            sel = sel.filter(V::Task.eq(i32::try_from(t).unwrap_or(i32::MAX)));
        }
        let rows = crate::fetch_page(self.reader(), sel, V::ItemId, true, page).await?;
        let ids: Vec<i64> = rows.items.iter().map(|v| v.item_id).collect();
        let items: HashMap<i64, qbank_item::Model> = qbank_item::Entity::find()
            .filter(qbank_item::Column::Id.is_in(ids))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|i| (i.id, i))
            .collect();
        let names = project_names(self.reader(), items.values().map(|i| i.project_id).collect()).await?;
        let mut out = Vec::with_capacity(rows.items.len());
        for v in &rows.items {
            let item = items
                .get(&v.item_id)
                .ok_or_else(|| StoreError::corrupt(format!("question item {}", v.item_id), "row missing"))?;
            out.push(summary(item, v, names.get(&item.project_id).map_or("", String::as_str)));
        }
        Ok(Page { items: out, total: rows.total, page: rows.page, per_page: rows.per_page })
    }

    /// An item's page: metadata of every version and the steps the caller may take — no content.
    pub async fn item_detail(&self, p: &Principal, id: i64) -> StoreResult<ItemDetail> {
        let item = self.item_in_scope(self.reader(), p, id).await?;
        let versions = qbank_item_version::Entity::find()
            .filter(qbank_item_version::Column::ItemId.eq(id))
            .order_by_desc(qbank_item_version::Column::Version)
            .all(self.reader())
            .await?;
        let current = versions
            .iter()
            .find(|v| v.version == item.current_version)
            .ok_or_else(|| StoreError::corrupt(format!("question item {id}"), "current version missing"))?;
        let names = project_names(self.reader(), vec![item.project_id]).await?;
        let summary = summary(&item, current, names.get(&item.project_id).map_or("", String::as_str));
        let actions = items::steps_for(p, current.status);
        Ok(ItemDetail { summary, versions: versions.iter().map(version_view).collect(), actions })
    }

    /// The content of one version of an item, decrypted — for the question bank officer only; the read
    /// is audited (`question_item.viewed`, with the person) in the same transaction.
    pub async fn item_content(&self, p: &Principal, id: i64, version: u32, ctx: &Ctx) -> StoreResult<ItemContent> {
        let item = self.item_in_scope(self.reader(), p, id).await?;
        require(p, Action::ReadQuestionItems)?;
        let step = self.step(p, ctx).await?;
        let v = self.item_version(&*step, item.id, i32::try_from(version).unwrap_or(i32::MAX)).await?;
        let content = self.open_content(&v)?;
        step.audit(crate::audit::AuditDraft::new(
            AuditAction::QuestionItemViewed,
            id,
            json!({ "version": version, "project_id": item.project_id, "by": p.display_name }),
        ))
        .await?;
        step.commit().await?;
        Ok(content)
    }
}
