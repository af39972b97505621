//! P2, E2: a project's blueprint and its provable papers (docs/PAPERS.md). Assembly takes the pool of
//! the project's approved bank versions (metadata only, sorted by item id), commits to a fresh secret
//! seed (`PaperRecord::commit`: a row the bank cannot fill and a parallel paper over the policy's
//! overlap cap are refused before anything is written) and assembles in the same step; the seed is kept
//! encrypted (AAD `paper_seed`) until the question bank officer reveals it, after which anyone holding
//! the record re-derives the paper (`verify_paper`, `kaohe verify paper`). Reading a paper's content,
//! printing it or its answer key is the question bank officer's alone, each read audited.

use super::acts_for_province;
use crate::audit::AuditDraft;
use crate::entity::{qbank_blueprint, qbank_item, qbank_item_version, qbank_paper};
use crate::error::require;
use crate::policy::PolicyUsed;
use crate::{Ctx, Page, PageReq, Store, StoreError, StoreResult, now, today};
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::org::Principal;
use domain::policy::keys;
use domain::question_bank::{
    Blueprint, BlueprintInput, ItemContent, ItemKind, PaperError, PaperRecord, PaperVerifyFailure, PaperView,
    ParallelOf, PoolItem, paper_view, verify_paper,
};
use domain::{FieldError, FieldErrors};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;
use std::collections::HashMap;
use time::OffsetDateTime;

const SEED_AAD: &[u8] = b"paper_seed";

/// A project's saved blueprint.
#[derive(Debug, Clone)]
pub struct BlueprintView {
    pub project_id: i64,
    pub blueprint: Blueprint,
    pub saved_by: String,
    pub saved_at: OffsetDateTime,
}

/// A paper in the list.
#[derive(Debug, Clone)]
pub struct PaperSummary {
    pub id: i64,
    pub project_id: i64,
    pub project_name: String,
    /// `A` or `B`.
    pub label: String,
    pub parallel_of: Option<i64>,
    pub items: usize,
    pub revealed: bool,
    pub created_by: String,
    pub created_at: OffsetDateTime,
}

/// A paper's page: its record (sealed — no picks, no seed — for whoever may not read papers) and,
/// once the seed is revealed, the re-derivation's answer.
#[derive(Debug, Clone)]
pub struct PaperDetail {
    pub summary: PaperSummary,
    pub record: PaperRecord,
    /// `None` while the seed is sealed; `Some(Ok)` when the record re-derives.
    pub verified: Option<Result<(), PaperVerifyFailure>>,
}

/// Why a paper's content is read: on screen, printed, or its answer key printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperUse {
    View,
    Print,
    Key,
}

/// An item of a printed paper: its place and its decrypted content.
#[derive(Debug, Clone)]
pub struct PrintedItem {
    pub item_id: i64,
    pub kind: ItemKind,
    pub content: ItemContent,
}

/// A paper with its layout and every item's content, for the printable paper and answer key.
#[derive(Debug, Clone)]
pub struct PaperContent {
    pub summary: PaperSummary,
    pub view: PaperView,
    pub items: HashMap<i64, PrintedItem>,
}

fn record_of(m: &qbank_paper::Model) -> StoreResult<PaperRecord> {
    serde_json::from_str(&m.record).map_err(|e| StoreError::corrupt(format!("paper {} record", m.id), e))
}

fn paper_summary(m: &qbank_paper::Model, record: &PaperRecord, project_name: &str) -> PaperSummary {
    PaperSummary {
        id: m.id,
        project_id: m.project_id,
        project_name: project_name.to_owned(),
        label: m.label.clone(),
        parallel_of: m.parallel_of,
        items: record.item_ids().len(),
        revealed: m.revealed,
        created_by: m.created_by.clone(),
        created_at: m.created_at,
    }
}

/// The assembly's refusals as a conflict naming what to fix.
fn paper_conflict(e: &PaperError) -> StoreError {
    let code = match e {
        PaperError::Shortage { .. } => "PAPER_SHORTAGE",
        PaperError::OverlapTooHigh { .. } => "PAPER_OVERLAP",
        _ => "PAPER_REFUSED",
    };
    StoreError::Conflict(FieldError::new("", code, e.to_string()))
}

impl Store {
    fn require_province_assembler(&self, p: &Principal) -> StoreResult<()> {
        require(p, Action::AssemblePapers)?;
        if !acts_for_province(p) {
            return Err(StoreError::Forbidden);
        }
        Ok(())
    }

    /// P2: save a project's blueprint (rows checked against its specification's work tasks).
    pub async fn save_blueprint(
        &self,
        p: &Principal,
        project_id: i64,
        input: &BlueprintInput,
        ctx: &Ctx,
    ) -> StoreResult<()> {
        self.require_province_assembler(p)?;
        let mut errs = FieldErrors::new();
        let project = errs.take(self.bank_project(self.reader(), project_id, "project_id").await?);
        let tasks = project.as_ref().map(|pr| u32::try_from(pr.tasks.len()).unwrap_or(u32::MAX));
        let blueprint = match Blueprint::parse_with(input, tasks) {
            Ok(b) => Some(b),
            Err(e) => {
                errs.0.extend(e.0);
                None
            }
        };
        let (Some(project), Some(blueprint)) = (project, blueprint) else { return Err(StoreError::Invalid(errs)) };
        let json = serde_json::to_string(&blueprint.to_input())?;
        let step = self.step(p, ctx).await?;
        let at = now();
        let existing = qbank_blueprint::Entity::find()
            .filter(qbank_blueprint::Column::ProjectId.eq(project.id))
            .one(&*step)
            .await?;
        match existing {
            Some(m) => {
                let mut a: qbank_blueprint::ActiveModel = m.into();
                a.blueprint = Set(json);
                a.saved_by = Set(p.username.clone());
                a.saved_at = Set(at);
                a.update(&*step).await?;
            }
            None => {
                qbank_blueprint::ActiveModel {
                    project_id: Set(project.id),
                    blueprint: Set(json),
                    saved_by: Set(p.username.clone()),
                    saved_at: Set(at),
                    ..Default::default()
                }
                .insert(&*step)
                .await?;
            }
        }
        step.audit(AuditDraft::new(
            AuditAction::PaperBlueprintSaved,
            format!("project:{}", project.id),
            json!({ "project_id": project.id, "rows": blueprint.rows.len(), "total_points": blueprint.total_points }),
        ))
        .await?;
        step.commit().await
    }

    /// A project's blueprint, if saved (the question bank officer).
    pub async fn blueprint(&self, p: &Principal, project_id: i64) -> StoreResult<Option<BlueprintView>> {
        require(p, Action::ReadPapers)?;
        let Some(m) = qbank_blueprint::Entity::find()
            .filter(qbank_blueprint::Column::ProjectId.eq(project_id))
            .one(self.reader())
            .await?
        else {
            return Ok(None);
        };
        let input: BlueprintInput = serde_json::from_str(&m.blueprint)
            .map_err(|e| StoreError::corrupt(format!("blueprint of project {project_id}"), e))?;
        let blueprint = Blueprint::parse(&input)
            .map_err(|e| StoreError::corrupt(format!("blueprint of project {project_id}"), e))?;
        Ok(Some(BlueprintView { project_id, blueprint, saved_by: m.saved_by, saved_at: m.saved_at }))
    }

    /// The assembly's pool: the approved version in the bank of every item of the project, by item id.
    async fn pool(&self, project_id: i64) -> StoreResult<Vec<PoolItem>> {
        let items = qbank_item::Entity::find()
            .filter(qbank_item::Column::ProjectId.eq(project_id))
            .filter(qbank_item::Column::BankVersion.is_not_null())
            .order_by_asc(qbank_item::Column::Id)
            .all(self.reader())
            .await?;
        let versions: HashMap<(i64, i32), qbank_item_version::Model> = qbank_item_version::Entity::find()
            .filter(qbank_item_version::Column::ItemId.is_in(items.iter().map(|i| i.id).collect::<Vec<_>>()))
            .filter(qbank_item_version::Column::Status.eq(domain::question_bank::ItemStatus::Approved))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|v| ((v.item_id, v.version), v))
            .collect();
        let mut pool = Vec::with_capacity(items.len());
        for i in items {
            let Some(v) = i.bank_version.and_then(|b| versions.get(&(i.id, b))) else { continue };
            pool.push(PoolItem {
                item_id: i.id,
                version: u32::try_from(v.version).unwrap_or(0),
                task: u32::try_from(v.task).unwrap_or(0),
                kind: v.kind,
                difficulty: v.difficulty,
            });
        }
        Ok(pool)
    }

    /// E2: assemble a paper of a project from its blueprint and bank — paper A, or with `parallel_of`
    /// paper B parallel to that paper A under the policy's overlap cap. Commitment and assembly in one
    /// step; the seed stays sealed.
    pub async fn assemble_paper(
        &self,
        p: &Principal,
        project_id: i64,
        parallel_of: Option<i64>,
        ctx: &Ctx,
    ) -> StoreResult<i64> {
        self.require_province_assembler(p)?;
        let project = self.bank_project(self.reader(), project_id, "project_id").await??;
        let Some(bp) = self.blueprint(p, project.id).await? else {
            return Err(StoreError::Conflict(FieldError::new("", "BLUEPRINT_MISSING", "请先保存本项目的组卷蓝图")));
        };
        let mut used = PolicyUsed::default();
        let parallel = match parallel_of {
            None => None,
            Some(a) => {
                let m = qbank_paper::Entity::find_by_id(a)
                    .one(self.reader())
                    .await?
                    .filter(|m| m.project_id == project.id && m.label == "A")
                    .ok_or_else(|| FieldError::new("parallel_of", "PAPER_PARALLEL", "请选择本项目已组好的 A 卷"))?;
                let max: u32 = self.policy_parsed(keys::PARALLEL_OVERLAP_MAX_PERCENT, today(), &mut used).await?;
                Some(ParallelOf { paper_id: m.id, item_ids: record_of(&m)?.item_ids(), overlap_max_percent: max })
            }
        };
        let pool = self.pool(project.id).await?;
        let seed = domain::draws::generate_seed().map_err(|e| StoreError::service("random source", e))?;
        let seed_enc = self.crypto.encrypt(&seed, SEED_AAD).map_err(|e| StoreError::service("cipher", e))?;
        let step = self.step(p, ctx).await?;
        let at = now();
        let row = qbank_paper::ActiveModel {
            project_id: Set(project.id),
            label: Set(if parallel.is_some() { "B" } else { "A" }.to_owned()),
            parallel_of: Set(parallel.as_ref().map(|x| x.paper_id)),
            record: Set("{}".to_owned()),
            seed_enc: Set(seed_enc),
            revealed: Set(false),
            created_by: Set(p.username.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        let mut record = PaperRecord::commit(row.id, self.hash_alg(), &bp.blueprint, &pool, parallel, &seed, at)
            .map_err(|e| paper_conflict(&e))?;
        let items = record.assemble(&seed, at).map_err(|e| paper_conflict(&e))?;
        qbank_paper::Entity::update_many()
            .col_expr(qbank_paper::Column::Record, Expr::value(serde_json::to_string(&record)?))
            .filter(qbank_paper::Column::Id.eq(row.id))
            .exec(&*step)
            .await?;
        step.audit(AuditDraft::new(
            AuditAction::PaperAssembled,
            row.id,
            json!({
                "project_id": project.id, "label": row.label, "parallel_of": row.parallel_of,
                "items": items.len(), "pool": pool.len(), "pool_hash": record.pool_hash,
                "blueprint_hash": record.blueprint_hash, "commitment": record.commitment, "policy": used.to_json(),
            }),
        ))
        .await?;
        step.commit().await?;
        Ok(row.id)
    }

    async fn paper_row(&self, p: &Principal, id: i64) -> StoreResult<qbank_paper::Model> {
        require(p, Action::ListQuestionItems)?;
        qbank_paper::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)
    }

    /// E2: publish a paper's seed (after the exam): the record then re-derives for anyone holding it.
    pub async fn reveal_paper(&self, p: &Principal, id: i64, ctx: &Ctx) -> StoreResult<()> {
        let m = self.paper_row(p, id).await?;
        self.require_province_assembler(p)?;
        if m.revealed {
            return Err(StoreError::Conflict(FieldError::new("", "PAPER_REVEALED", "该试卷的随机种子已经公开")));
        }
        let mut record = record_of(&m)?;
        let plain = self.crypto.decrypt(&m.seed_enc, SEED_AAD).map_err(|e| StoreError::service("cipher", e))?;
        let seed: [u8; 32] = plain
            .try_into()
            .map_err(|_| StoreError::corrupt(format!("paper {id} seed"), "sealed seed is not 32 bytes"))?;
        record.reveal(&seed).map_err(|e| paper_conflict(&e))?;
        let step = self.step(p, ctx).await?;
        step.claim::<qbank_paper::Entity, _>(
            qbank_paper::Column::Id,
            id,
            qbank_paper::Column::Revealed,
            false,
            qbank_paper::Column::UpdatedAt,
            || StoreError::Conflict(FieldError::new("", "PAPER_REVEALED", "该试卷的随机种子已经公开")),
        )
        .await?;
        qbank_paper::Entity::update_many()
            .col_expr(qbank_paper::Column::Record, Expr::value(serde_json::to_string(&record)?))
            .col_expr(qbank_paper::Column::Revealed, Expr::value(true))
            .filter(qbank_paper::Column::Id.eq(id))
            .exec(&*step)
            .await?;
        step.audit(AuditDraft::new(
            AuditAction::PaperSeedRevealed,
            id,
            json!({ "project_id": m.project_id, "seed": record.seed }),
        ))
        .await?;
        step.commit().await
    }

    /// The papers (metadata), newest first, optionally of one project.
    pub async fn list_papers(
        &self,
        p: &Principal,
        project_id: Option<i64>,
        page: PageReq,
    ) -> StoreResult<Page<PaperSummary>> {
        require(p, Action::ListQuestionItems)?;
        let mut sel = qbank_paper::Entity::find();
        if let Some(pid) = project_id {
            sel = sel.filter(qbank_paper::Column::ProjectId.eq(pid));
        }
        let rows = crate::fetch_page(self.reader(), sel, qbank_paper::Column::Id, true, page).await?;
        let names = super::project_names(self.reader(), rows.items.iter().map(|m| m.project_id).collect()).await?;
        let mut out = Vec::with_capacity(rows.items.len());
        for m in &rows.items {
            out.push(paper_summary(m, &record_of(m)?, names.get(&m.project_id).map_or("", String::as_str)));
        }
        Ok(Page { items: out, total: rows.total, page: rows.page, per_page: rows.per_page })
    }

    /// A paper's record: whole for the question bank officer, sealed (pool, blueprint and commitment
    /// only) for the province's staff who see the bank's metadata.
    pub async fn paper(&self, p: &Principal, id: i64) -> StoreResult<PaperDetail> {
        let m = self.paper_row(p, id).await?;
        let record = record_of(&m)?;
        let names = super::project_names(self.reader(), vec![m.project_id]).await?;
        let summary = paper_summary(&m, &record, names.get(&m.project_id).map_or("", String::as_str));
        let verified = m.revealed.then(|| verify_paper(&record));
        let record = if p.can(Action::ReadPapers) { record } else { record.sealed() };
        Ok(PaperDetail { summary, record, verified })
    }

    /// A paper's layout and every item's content (the question bank officer only), audited as a view
    /// (`paper.viewed`) or a print of the paper or its answer key (`paper.printed`).
    pub async fn paper_content(&self, p: &Principal, id: i64, what: PaperUse, ctx: &Ctx) -> StoreResult<PaperContent> {
        let m = self.paper_row(p, id).await?;
        require(p, Action::ReadPapers)?;
        let record = record_of(&m)?;
        let names = super::project_names(self.reader(), vec![m.project_id]).await?;
        let summary = paper_summary(&m, &record, names.get(&m.project_id).map_or("", String::as_str));
        let view = paper_view(&record);
        let step = self.step(p, ctx).await?;
        let mut items = HashMap::new();
        for section in &view.sections {
            for it in &section.items {
                let v = self.item_version(&*step, it.item_id, i32::try_from(it.version).unwrap_or(i32::MAX)).await?;
                let content = self.open_content(&v)?;
                items.insert(it.item_id, PrintedItem { item_id: it.item_id, kind: v.kind, content });
            }
        }
        let (action, part) = match what {
            PaperUse::View => (AuditAction::PaperViewed, "paper"),
            PaperUse::Print => (AuditAction::PaperPrinted, "paper"),
            PaperUse::Key => (AuditAction::PaperPrinted, "answer_key"),
        };
        step.audit(AuditDraft::new(
            action,
            id,
            json!({ "project_id": m.project_id, "part": part, "items": items.len(), "by": p.display_name }),
        ))
        .await?;
        step.commit().await?;
        Ok(PaperContent { summary, view, items })
    }
}
