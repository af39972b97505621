//! The question bank over the API (P2, P6, E2): the items' metadata list, an item (versions, steps),
//! one version's content (question bank officer only, audited), writing and revising, the review
//! steps, the import (rows as header → cell, all-or-nothing), the export with content, a project's
//! blueprint, the papers, assembly, a paper's record (sealed for non-readers), revealing the seed, and
//! a paper's printable content. Bodies are this module's `…Dto` types; the domain's `ItemInput` and
//! `BlueprintInput` carry their own schemas.

use crate::AppState;
use crate::api::{ApiJson, Created, ErrorEnvelope, PageView};
use crate::auth::ApiCaller;
use crate::error::{ApiError, AppError};
use crate::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::authz::Action;
use domain::question_bank::{Answer, BlueprintInput, ItemContent, ItemInput};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use store::PageReq;
use store::question_bank::{
    BlueprintView, ItemDetail, ItemStep, ItemSummary, ItemVersionView, PaperContent, PaperDetail, PaperSummary,
    PaperUse,
};
use utoipa::{IntoParams, ToSchema};

fn t(at: time::OffsetDateTime) -> String {
    domain::audit::format_at(at)
}

#[derive(Serialize, ToSchema)]
#[schema(as = QuestionItemSummary)]
pub struct ItemSummaryDto {
    pub id: i64,
    pub project_id: i64,
    pub project_name: String,
    pub version: u32,
    /// `draft`, `submitted`, `approved`, `returned`, `retired`.
    pub status: String,
    pub kind: String,
    pub task: u32,
    pub difficulty: String,
    pub points: u32,
    pub bank_version: Option<u32>,
    pub updated_at: String,
}

impl From<ItemSummary> for ItemSummaryDto {
    fn from(s: ItemSummary) -> Self {
        ItemSummaryDto {
            id: s.id,
            project_id: s.project_id,
            project_name: s.project_name,
            version: s.version,
            status: s.status.id().into(),
            kind: s.kind.id().into(),
            task: s.task,
            difficulty: s.difficulty.id().into(),
            points: s.points,
            bank_version: s.bank_version,
            updated_at: t(s.updated_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = QuestionItemVersion)]
pub struct ItemVersionDto {
    pub version: u32,
    pub status: String,
    pub kind: String,
    pub task: u32,
    pub difficulty: String,
    pub points: u32,
    pub return_reason: Option<String>,
    pub author: String,
    pub reviewer: Option<String>,
    pub created_at: String,
    pub reviewed_at: Option<String>,
}

impl From<ItemVersionView> for ItemVersionDto {
    fn from(v: ItemVersionView) -> Self {
        ItemVersionDto {
            version: v.version,
            status: v.status.id().into(),
            kind: v.kind.id().into(),
            task: v.task,
            difficulty: v.difficulty.id().into(),
            points: v.points,
            return_reason: v.return_reason,
            author: v.author,
            reviewer: v.reviewer,
            created_at: t(v.created_at),
            reviewed_at: v.reviewed_at.map(t),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = QuestionItemDetail)]
pub struct ItemDetailDto {
    pub item: ItemSummaryDto,
    /// Newest first.
    pub versions: Vec<ItemVersionDto>,
    /// The steps the caller may take now: `submit`, `approve`, `return`, `retire`, `revise`.
    pub actions: Vec<String>,
}

impl From<ItemDetail> for ItemDetailDto {
    fn from(d: ItemDetail) -> Self {
        ItemDetailDto {
            item: d.summary.into(),
            versions: d.versions.into_iter().map(Into::into).collect(),
            actions: d.actions.iter().map(|a| a.id().to_owned()).collect(),
        }
    }
}

/// An item version's confidential content.
#[derive(Serialize, ToSchema)]
#[schema(as = QuestionItemContent)]
pub struct ItemContentDto {
    pub stem: String,
    /// Options A, B, … in order (choice items).
    pub options: Vec<String>,
    /// The answer as the import template writes it: a label (`B`), labels (`ACD`), `正确`/`错误`, or
    /// the reference answer; empty for a practical item.
    pub answer: String,
    /// A practical item's scoring points.
    pub scoring: Vec<ScoringPointDto>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = ScoringPoint)]
pub struct ScoringPointDto {
    pub description: String,
    pub points: u32,
}

impl From<ItemContent> for ItemContentDto {
    fn from(c: ItemContent) -> Self {
        let (answer, scoring) = match c.answer {
            Answer::SingleChoice { label } => (label.to_string(), vec![]),
            Answer::MultipleChoice { labels } => (labels.iter().collect(), vec![]),
            Answer::TrueFalse { correct } => ((if correct { "正确" } else { "错误" }).to_owned(), vec![]),
            Answer::ShortAnswer { reference } => (reference, vec![]),
            Answer::Practical { scoring } => (
                String::new(),
                scoring.into_iter().map(|p| ScoringPointDto { description: p.description, points: p.points }).collect(),
            ),
        };
        ItemContentDto { stem: c.stem, options: c.options, answer, scoring }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct ItemListParams {
    project_id: Option<String>,
    /// A kind id, e.g. `single_choice`.
    kind: Option<String>,
    /// A status id, e.g. `approved`.
    status: Option<String>,
    /// `easy`, `medium` or `hard`.
    difficulty: Option<String>,
    /// The work task, from 1.
    task: Option<String>,
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    page: Option<u64>,
    /// Rows per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

fn query_of(q: &ItemListParams) -> Result<store::question_bank::ItemQuery, ApiError> {
    let l = super::items::ListQuery {
        project_id: q.project_id.clone(),
        kind: q.kind.clone(),
        status: q.status.clone(),
        difficulty: q.difficulty.clone(),
        task: q.task.clone(),
        page: None,
    };
    Ok(super::items::query_of(&l)?)
}

/// P6: the items' metadata (never content), newest change first.
#[utoipa::path(get, path = "/api/v1/qbank/items", tag = "qbank", params(ItemListParams),
    responses((status = 200, body = PageView<ItemSummaryDto>), (status = 403, body = ErrorEnvelope),
    (status = 422, description = "筛选条件的取值无效（FILTER_INVALID）", body = ErrorEnvelope)))]
pub async fn list_items(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<ItemListParams>,
) -> Result<Json<PageView<ItemSummaryDto>>, ApiError> {
    caller.require(Action::ListQuestionItems)?;
    let query = query_of(&q)?;
    Ok(Json(state.store.list_items(&caller.principal, &query, PageReq::new(q.page, q.per_page)).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[schema(as = NewQuestionItem)]
pub struct NewItemDto {
    pub project_id: i64,
    pub item: ItemInput,
}

/// P6: write a new item (version 1, draft) for an established project.
#[utoipa::path(post, path = "/api/v1/qbank/items", tag = "qbank", request_body = NewItemDto,
    responses((status = 201, body = Created), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_item(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<NewItemDto>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(Action::WriteQuestionItems)?;
    let ApiJson(b) = body?;
    let id = state.store.create_item(&caller.principal, b.project_id, &b.item, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// An item: metadata of every version and the steps the caller may take.
#[utoipa::path(get, path = "/api/v1/qbank/items/{id}", tag = "qbank", params(("id" = i64, Path)),
    responses((status = 200, body = ItemDetailDto), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get_item(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<ItemDetailDto>, ApiError> {
    Ok(Json(state.store.item_detail(&caller.principal, id).await?.into()))
}

#[derive(Serialize, ToSchema)]
#[schema(as = QuestionItemRevised)]
pub struct RevisedDto {
    /// The new version.
    pub version: u32,
}

/// P6: revise an item — always a new version in draft; the version it starts from is kept.
#[utoipa::path(put, path = "/api/v1/qbank/items/{id}", tag = "qbank", params(("id" = i64, Path)), request_body = ItemInput,
    responses((status = 200, body = RevisedDto), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, description = "冲突：试题正在审核或已停用，不能修改（ITEM_STEP_NOT_ALLOWED）", body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn revise_item(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<ItemInput>, ApiError>,
) -> Result<Json<RevisedDto>, ApiError> {
    state.store.item_detail(&caller.principal, id).await?;
    caller.require(Action::WriteQuestionItems)?;
    let ApiJson(input) = body?;
    let version = state.store.revise_item(&caller.principal, id, &input, &caller.ctx).await?;
    Ok(Json(RevisedDto { version }))
}

/// One version's content (question bank officer only; the read is audited with the person).
#[utoipa::path(get, path = "/api/v1/qbank/items/{id}/versions/{version}", tag = "qbank",
    params(("id" = i64, Path), ("version" = u32, Path)),
    responses((status = 200, body = ItemContentDto), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn item_content(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, version)): Path<(i64, u32)>,
) -> Result<Json<ItemContentDto>, ApiError> {
    Ok(Json(state.store.item_content(&caller.principal, id, version, &caller.ctx).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[schema(as = QuestionItemAction)]
pub struct ItemActionDto {
    /// `submit`, `approve`, `return` or `retire`.
    pub kind: String,
    /// The reason of a return.
    #[serde(default)]
    pub reason: String,
}

/// P6: a review step on an item's newest version.
#[utoipa::path(post, path = "/api/v1/qbank/items/{id}/actions", tag = "qbank", params(("id" = i64, Path)), request_body = ItemActionDto,
    responses((status = 204), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, description = "冲突：当前状态不能办理该步骤，或刚被他人办理（QBANK_CHANGED）", body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn act_on_item(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<ItemActionDto>, ApiError>,
) -> Result<StatusCode, ApiError> {
    state.store.item_detail(&caller.principal, id).await?;
    let p = &caller.principal;
    if !p.can(Action::WriteQuestionItems) && !p.can(Action::ReviewQuestionItems) {
        return Err(ApiError(AppError::Forbidden));
    }
    let ApiJson(b) = body?;
    let Some(step) = ItemStep::parse(&b.kind).filter(|s| *s != ItemStep::Revise) else {
        return Err(crate::api::invalid("kind", "ITEM_STEP", "步骤应为 submit、approve、return 或 retire"));
    };
    state.store.item_step(p, id, step, &b.reason, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[schema(as = QuestionItemImport)]
pub struct ImportDto {
    pub project_id: i64,
    /// The spreadsheet's rows (row 2 on), each as column header → cell text (题型, 所属工作任务, 难度,
    /// 分值, 题干, 选项A…选项H, 答案, 评分要点).
    pub rows: Vec<BTreeMap<String, String>>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = QuestionItemImported)]
pub struct ImportedDto {
    pub imported: usize,
}

/// P6: import items all-or-nothing; every bad cell is a field error `N:列` (N the spreadsheet row).
#[utoipa::path(post, path = "/api/v1/qbank/import", tag = "qbank", request_body = ImportDto,
    responses((status = 200, body = ImportedDto), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn import_items(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<ImportDto>, ApiError>,
) -> Result<Json<ImportedDto>, ApiError> {
    caller.require(Action::WriteQuestionItems)?;
    let ApiJson(b) = body?;
    let rows: Vec<Vec<(String, String)>> = b.rows.into_iter().map(|r| r.into_iter().collect()).collect();
    let imported = state.store.import_items(&caller.principal, b.project_id, &rows, &caller.ctx).await?;
    Ok(Json(ImportedDto { imported }))
}

#[derive(Serialize, ToSchema)]
#[schema(as = QuestionItemExport)]
pub struct ExportedItemDto {
    pub item: ItemSummaryDto,
    pub content: ItemContentDto,
}

/// P6: the list's items with the content of their newest version (question bank officer only; audited).
#[utoipa::path(get, path = "/api/v1/qbank/items/export", tag = "qbank", params(ItemListParams),
    responses((status = 200, body = Vec<ExportedItemDto>), (status = 403, body = ErrorEnvelope),
    (status = 422, description = "筛选条件的取值无效（FILTER_INVALID）", body = ErrorEnvelope)))]
pub async fn export_items(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<ItemListParams>,
) -> Result<Json<Vec<ExportedItemDto>>, ApiError> {
    caller.require(Action::ReadQuestionItems)?;
    let query = query_of(&q)?;
    let items = state.store.export_items(&caller.principal, &query, &caller.ctx).await?;
    Ok(Json(items.into_iter().map(|(s, c)| ExportedItemDto { item: s.into(), content: c.into() }).collect()))
}

#[derive(Serialize, ToSchema)]
#[schema(as = PaperBlueprint)]
pub struct BlueprintDto {
    pub project_id: i64,
    pub blueprint: BlueprintInput,
    pub saved_by: String,
    pub saved_at: String,
}

impl From<BlueprintView> for BlueprintDto {
    fn from(b: BlueprintView) -> Self {
        BlueprintDto {
            project_id: b.project_id,
            blueprint: b.blueprint.to_input(),
            saved_by: b.saved_by,
            saved_at: t(b.saved_at),
        }
    }
}

/// P2: a project's blueprint (question bank officer).
#[utoipa::path(get, path = "/api/v1/qbank/blueprints/{project_id}", tag = "qbank", params(("project_id" = i64, Path)),
    responses((status = 200, body = BlueprintDto), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get_blueprint(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(project_id): Path<i64>,
) -> Result<Json<BlueprintDto>, ApiError> {
    let b = state.store.blueprint(&caller.principal, project_id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(b.into()))
}

/// P2: save a project's blueprint (rows checked against its specification's work tasks).
#[utoipa::path(put, path = "/api/v1/qbank/blueprints/{project_id}", tag = "qbank", params(("project_id" = i64, Path)),
    request_body = BlueprintInput,
    responses((status = 204), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn save_blueprint(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(project_id): Path<i64>,
    body: Result<ApiJson<BlueprintInput>, ApiError>,
) -> Result<StatusCode, ApiError> {
    caller.require(Action::AssemblePapers)?;
    let ApiJson(input) = body?;
    state.store.save_blueprint(&caller.principal, project_id, &input, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
#[schema(as = PaperSummary)]
pub struct PaperSummaryDto {
    pub id: i64,
    pub project_id: i64,
    pub project_name: String,
    /// `A` or `B`.
    pub label: String,
    pub parallel_of: Option<i64>,
    pub items: usize,
    pub revealed: bool,
    pub created_by: String,
    pub created_at: String,
}

impl From<PaperSummary> for PaperSummaryDto {
    fn from(s: PaperSummary) -> Self {
        PaperSummaryDto {
            id: s.id,
            project_id: s.project_id,
            project_name: s.project_name,
            label: s.label,
            parallel_of: s.parallel_of,
            items: s.items,
            revealed: s.revealed,
            created_by: s.created_by,
            created_at: t(s.created_at),
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct PaperListParams {
    project_id: Option<String>,
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    page: Option<u64>,
    /// Rows per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

/// E2: the papers (metadata), newest first.
#[utoipa::path(get, path = "/api/v1/qbank/papers", tag = "qbank", params(PaperListParams),
    responses((status = 200, body = PageView<PaperSummaryDto>), (status = 403, body = ErrorEnvelope),
    (status = 422, description = "筛选条件的取值无效（FILTER_INVALID）", body = ErrorEnvelope)))]
pub async fn list_papers(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<PaperListParams>,
) -> Result<Json<PageView<PaperSummaryDto>>, ApiError> {
    caller.require(Action::ListQuestionItems)?;
    let pid = crate::view::filter_value("project_id", "考核项目", q.project_id.as_deref())?;
    Ok(Json(state.store.list_papers(&caller.principal, pid, PageReq::new(q.page, q.per_page)).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[schema(as = AssemblePaper)]
pub struct AssembleDto {
    pub project_id: i64,
    /// Paper B: the id of the project's paper A it is parallel to.
    #[serde(default)]
    pub parallel_of: Option<i64>,
}

/// E2: assemble a paper from the project's blueprint and bank (commitment and assembly in one step;
/// the seed stays sealed).
#[utoipa::path(post, path = "/api/v1/qbank/papers", tag = "qbank", request_body = AssembleDto,
    responses((status = 201, body = Created), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：蓝图未保存、题库试题不足（PAPER_SHORTAGE，指明行）或平行卷重复超限（PAPER_OVERLAP）", body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn assemble_paper(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<AssembleDto>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(Action::AssemblePapers)?;
    let ApiJson(b) = body?;
    let id = state.store.assemble_paper(&caller.principal, b.project_id, b.parallel_of, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Serialize, ToSchema)]
#[schema(as = Paper)]
pub struct PaperDto {
    pub paper: PaperSummaryDto,
    /// The record (format `kaohe-paper-v1`, docs/PAPERS.md): whole for the question bank officer,
    /// sealed (no picks, no seed) for others.
    pub record: PaperRecordDto,
    /// `null` while the seed is sealed; otherwise whether the record re-derives, and why not.
    pub verified: Option<bool>,
    pub verify_failure: Option<String>,
}

/// The record as docs/PAPERS.md section 5 specifies it, field for field (the JSON is the domain's
/// `PaperRecord`'s, which `kaohe verify paper --file` reads).
#[derive(Serialize, Deserialize, ToSchema)]
#[schema(as = PaperRecord)]
pub struct PaperRecordDto {
    pub format: String,
    pub paper_id: i64,
    pub purpose: String,
    pub hash_alg: String,
    pub blueprint: RecordBlueprintDto,
    pub blueprint_hash: String,
    pub pool: Vec<PoolItemDto>,
    pub pool_hash: String,
    pub parallel_of: Option<ParallelOfDto>,
    pub commitment: String,
    pub seed: Option<String>,
    pub picks: Vec<RowPicksDto>,
    pub committed_at: String,
    pub assembled_at: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[schema(as = PaperRecordBlueprint)]
pub struct RecordBlueprintDto {
    pub duration_minutes: u32,
    pub total_points: u32,
    pub rows: Vec<RecordBlueprintRowDto>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[schema(as = PaperRecordBlueprintRow)]
pub struct RecordBlueprintRowDto {
    pub task: u32,
    pub kind: String,
    /// `null`: any difficulty.
    pub difficulty: Option<String>,
    pub count: u32,
    pub points_each: u32,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[schema(as = PaperPoolItem)]
pub struct PoolItemDto {
    pub item_id: i64,
    pub version: u32,
    pub task: u32,
    pub kind: String,
    pub difficulty: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[schema(as = PaperParallelOf)]
pub struct ParallelOfDto {
    pub paper_id: i64,
    pub item_ids: Vec<i64>,
    pub overlap_max_percent: u32,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[schema(as = PaperRowPicks)]
pub struct RowPicksDto {
    pub row: u32,
    pub item_ids: Vec<i64>,
}

impl PaperRecordDto {
    /// The domain's record in this shape: the same JSON, read into the documented fields.
    fn of(r: &domain::question_bank::PaperRecord) -> Result<Self, serde_json::Error> {
        serde_json::from_value(serde_json::to_value(r)?)
    }
}

impl TryFrom<PaperDetail> for PaperDto {
    type Error = AppError;
    fn try_from(d: PaperDetail) -> Result<Self, AppError> {
        Ok(PaperDto {
            paper: d.summary.into(),
            record: PaperRecordDto::of(&d.record).map_err(|e| AppError::Internal(e.to_string()))?,
            verified: d.verified.as_ref().map(Result::is_ok),
            verify_failure: d.verified.and_then(|r| r.err()).map(|e| e.to_string()),
        })
    }
}

/// E2: a paper and its record, with the re-derivation's answer once the seed is revealed.
#[utoipa::path(get, path = "/api/v1/qbank/papers/{id}", tag = "qbank", params(("id" = i64, Path)),
    responses((status = 200, body = PaperDto), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get_paper(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<PaperDto>, ApiError> {
    Ok(Json(state.store.paper(&caller.principal, id).await?.try_into()?))
}

/// E2: publish a paper's seed (after the exam), so its record re-derives for anyone.
#[utoipa::path(post, path = "/api/v1/qbank/papers/{id}/reveal", tag = "qbank", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, description = "冲突：随机种子已经公开（PAPER_REVEALED）", body = ErrorEnvelope)))]
pub async fn reveal_paper(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state.store.reveal_paper(&caller.principal, id, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
#[schema(as = PaperSectionItem)]
pub struct PaperItemDto {
    pub number: u32,
    pub item_id: i64,
    pub version: u32,
    pub points: u32,
    pub kind: String,
    pub content: ItemContentDto,
}

#[derive(Serialize, ToSchema)]
#[schema(as = PaperSection)]
pub struct PaperSectionDto {
    pub title: String,
    pub items: Vec<PaperItemDto>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = PaperContent)]
pub struct PaperContentDto {
    pub paper: PaperSummaryDto,
    pub duration_minutes: u32,
    pub total_points: u32,
    pub sections: Vec<PaperSectionDto>,
}

impl From<PaperContent> for PaperContentDto {
    fn from(mut c: PaperContent) -> Self {
        let sections = c
            .view
            .sections
            .iter()
            .map(|s| PaperSectionDto {
                title: s.title.clone(),
                items: s
                    .items
                    .iter()
                    .filter_map(|v| {
                        c.items.remove(&v.item_id).map(|p| PaperItemDto {
                            number: v.number,
                            item_id: v.item_id,
                            version: v.version,
                            points: v.points,
                            kind: p.kind.id().into(),
                            content: p.content.into(),
                        })
                    })
                    .collect(),
            })
            .collect();
        PaperContentDto {
            paper: c.summary.into(),
            duration_minutes: c.view.duration_minutes,
            total_points: c.view.total_points,
            sections,
        }
    }
}

/// E2: a paper's items with their content and answers, in paper order (question bank officer only;
/// audited as a view of the paper).
#[utoipa::path(get, path = "/api/v1/qbank/papers/{id}/content", tag = "qbank", params(("id" = i64, Path)),
    responses((status = 200, body = PaperContentDto), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn paper_content(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<PaperContentDto>, ApiError> {
    Ok(Json(state.store.paper_content(&caller.principal, id, PaperUse::View, &caller.ctx).await?.into()))
}
