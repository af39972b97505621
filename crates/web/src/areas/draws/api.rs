//! Draws over the API (P4, S4): every step of the page. The bodies are this module's (`DrawViewDto` …),
//! converted from and into the store's types; their OpenAPI schemas keep the names `DrawView` ….

use crate::AppState;
use crate::api::{ApiJson, Created, ErrorEnvelope, PageParams, PageView};
use crate::auth::ApiCaller;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use store::PageReq;
use store::draws::{DrawInput, DrawSummary, DrawView, ExcludedView, MemberView, PublicDraw, ReviewView};
use utoipa::ToSchema;

/// Draws, newest first (province staff).
#[utoipa::path(get, path = "/api/v1/draws", tag = "draws", params(PageParams), responses((status = 200, body = PageView<DrawSummaryDto>), (status = 403, body = ErrorEnvelope)))]
pub async fn list_draws(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<PageParams>,
) -> Result<Json<PageView<DrawSummaryDto>>, ApiError> {
    Ok(Json(state.store.list_draws(&caller.principal, PageReq::new(q.page, q.per_page)).await?.into()))
}

/// Step 1: snapshot the eligible pool and commit to a sealed seed. 409 `DRAW_NOT_ENOUGH` says how many
/// were eligible and why the rest were excluded.
#[utoipa::path(post, path = "/api/v1/draws", tag = "draws", request_body = DrawInputDto,
    responses((status = 201, body = Created), (status = 409, description = "冲突：符合条件的专家不足（DRAW_NOT_ENOUGH），并说明符合条件的人数及其余人员被排除的原因", body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn commit_draw(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<DrawInputDto>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(domain::authz::Action::RunDraws)?;
    let ApiJson(input) = body?;
    let id = state.store.commit_draw(&caller.principal, &input.into(), None, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// A draw (names sealed for other viewers until the review starts).
#[utoipa::path(get, path = "/api/v1/draws/{id}", tag = "draws", params(("id" = i64, Path)), responses((status = 200, body = DrawViewDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn get_draw(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<DrawViewDto>, ApiError> {
    Ok(Json(state.store.get_draw(&caller.principal, id, &caller.ctx).await?.into()))
}

/// Step 2: draw the group from the committed pool and seed.
#[utoipa::path(post, path = "/api/v1/draws/{id}/draw", tag = "draws", params(("id" = i64, Path)), responses((status = 204), (status = 409, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn perform_draw(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state.store.perform_draw(&caller.principal, id, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct DeclineInput {
    #[schema(required = true)]
    pub expert_id: Option<i64>,
    #[serde(default)]
    #[schema(required = true)]
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct DeclineResult {
    /// The replacement drawn from the same sequence; null when the pool is used up.
    pub replacement_expert_id: Option<i64>,
}

/// A drawn expert declines; the replacement is the next element of the committed sequence.
#[utoipa::path(post, path = "/api/v1/draws/{id}/declines", tag = "draws", params(("id" = i64, Path)), request_body = DeclineInput,
    responses((status = 200, body = DeclineResult), (status = 422, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn decline_draw(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    ApiJson(d): ApiJson<DeclineInput>,
) -> Result<Json<DeclineResult>, ApiError> {
    let r = state.store.decline_draw(&caller.principal, id, d.expert_id.unwrap_or(0), &d.reason, &caller.ctx).await?;
    Ok(Json(DeclineResult { replacement_expert_id: r }))
}

/// The review starts: open the seal and reveal the seed.
#[utoipa::path(post, path = "/api/v1/draws/{id}/open", tag = "draws", params(("id" = i64, Path)), responses((status = 204), (status = 409, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn open_seal(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state.store.open_draw_seal(&caller.principal, id, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The reviews the calling expert was drawn into, once their seals are open.
#[utoipa::path(get, path = "/api/v1/me/reviews", tag = "draws", responses((status = 200, body = Vec<ReviewViewDto>), (status = 403, body = ErrorEnvelope)))]
pub async fn my_reviews(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<Vec<ReviewViewDto>>, ApiError> {
    Ok(Json(state.store.my_reviews(&caller.principal).await?.into_iter().map(Into::into).collect()))
}

// ---- bodies ------------------------------------------------------------------------------------------

/// A draw as asked for on the form or through the API.
#[derive(Deserialize, ToSchema)]
#[schema(as = DrawInput)]
pub struct DrawInputDto {
    /// What the group is for, e.g. "长沙甲考核站备案评估专家组".
    #[serde(default)]
    #[schema(required = true)]
    pub title: String,
    /// The organisation under review (recusal is relative to it).
    #[schema(required = true)]
    pub applicant_org_id: Option<i64>,
    /// Group size; defaults to the policy's `draw.expert_group_size`.
    pub count: Option<u32>,
    /// Specialties, any of which qualifies (separated by 、), empty = any.
    #[serde(default)]
    pub specialties: String,
    /// City codes to draw from (empty = every city).
    #[serde(default)]
    pub include_cities: Vec<String>,
    /// City codes never to draw from.
    #[serde(default)]
    pub exclude_cities: Vec<String>,
}

impl From<DrawInputDto> for DrawInput {
    fn from(d: DrawInputDto) -> Self {
        DrawInput {
            title: d.title,
            applicant_org_id: d.applicant_org_id,
            count: d.count,
            specialties: d.specialties,
            include_cities: d.include_cities,
            exclude_cities: d.exclude_cities,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = DrawSummary)]
pub struct DrawSummaryDto {
    pub id: i64,
    pub title: String,
    pub applicant: String,
    pub status: String,
    pub status_label: String,
    pub seal_open: bool,
    /// The user name of who ran the draw.
    pub created_by: String,
    /// Their name.
    pub created_by_name: String,
    pub created_at: String,
}

impl From<DrawSummary> for DrawSummaryDto {
    fn from(d: DrawSummary) -> Self {
        DrawSummaryDto {
            id: d.id,
            title: d.title,
            applicant: d.applicant,
            status: d.status.id().to_string(),
            status_label: d.status.label().to_string(),
            seal_open: d.seal_open,
            created_by: d.created_by,
            created_by_name: d.created_by_name,
            created_at: crate::view::shanghai(d.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = MemberView)]
pub struct MemberViewDto {
    pub position: u32,
    pub expert_id: i64,
    /// Empty while the names are sealed for this viewer.
    pub name: String,
    pub employer: String,
    pub status: String,
    pub decline_reason: String,
}

impl From<MemberView> for MemberViewDto {
    fn from(m: MemberView) -> Self {
        MemberViewDto {
            position: m.position,
            expert_id: m.expert_id,
            name: m.name,
            employer: m.employer,
            status: m.status.id().to_string(),
            decline_reason: m.decline_reason,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = ExcludedView)]
pub struct ExcludedViewDto {
    pub expert_id: i64,
    pub name: String,
    pub code: String,
    pub reason: String,
}

impl From<ExcludedView> for ExcludedViewDto {
    fn from(e: ExcludedView) -> Self {
        ExcludedViewDto {
            expert_id: e.expert_id,
            name: e.name,
            code: e.code.id().to_string(),
            reason: e.code.label().to_string(),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = DrawView)]
pub struct DrawViewDto {
    pub summary: DrawSummaryDto,
    pub purpose: String,
    pub count: u32,
    pub pool_size: usize,
    pub pool_hash: String,
    pub commitment: String,
    pub hash_alg: String,
    pub rules: String,
    pub names_visible: bool,
    /// The page of the step this draw serves, when it serves one (its seal opens there, e.g. a
    /// station filing's "开始评估").
    pub step_link: Option<String>,
    pub members: Vec<MemberViewDto>,
    pub excluded: Vec<ExcludedViewDto>,
}

impl From<DrawView> for DrawViewDto {
    fn from(d: DrawView) -> Self {
        DrawViewDto {
            summary: d.summary.into(),
            purpose: d.purpose,
            count: d.count,
            pool_size: d.pool_size,
            pool_hash: d.pool_hash,
            commitment: d.commitment,
            hash_alg: d.hash_alg,
            rules: d.rules,
            names_visible: d.names_visible,
            step_link: d.subject.and_then(|s| crate::areas::link_for(s.kind, &s.id)),
            members: d.members.into_iter().map(Into::into).collect(),
            excluded: d.excluded.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = ReviewView)]
pub struct ReviewViewDto {
    pub draw_id: i64,
    pub title: String,
    pub applicant: String,
    pub position: u32,
    pub status: String,
    pub drawn_at: String,
    /// Where the member records findings, when the draw serves a step that has them (S4).
    pub findings_link: Option<String>,
}

impl From<ReviewView> for ReviewViewDto {
    fn from(r: ReviewView) -> Self {
        ReviewViewDto {
            draw_id: r.draw_id,
            title: r.title,
            applicant: r.applicant,
            position: r.position,
            status: r.status.id().to_string(),
            drawn_at: crate::view::shanghai_opt(r.drawn_at),
            findings_link: r.subject.and_then(|s| findings_link(&s)),
        }
    }
}

/// Where a drawn member records findings on the record the draw serves, when that record has them (S4).
pub(crate) fn findings_link(s: &store::draws::DrawSubject) -> Option<String> {
    match s.kind {
        domain::workflow::SubjectKind::Filing => {
            crate::areas::link_for(domain::workflow::SubjectKind::FilingFindings, &s.id)
        }
        _ => None,
    }
}

// ---- the public record (issue 9 item 3) --------------------------------------------------------------

/// Public draws, newest first (no sign-in): what each was for, when, and where it stands.
#[utoipa::path(get, path = "/api/v1/public/draws", tag = "draws", params(PageParams), security(()), responses((status = 200, body = PageView<PublicDrawSummaryDto>)))]
pub async fn public_draws(
    State(state): State<AppState>,
    Query(q): Query<PageParams>,
) -> Result<Json<PageView<PublicDrawSummaryDto>>, ApiError> {
    Ok(Json(state.store.public_draws(PageReq::new(q.page, q.per_page)).await?.into()))
}

/// One draw as the public sees it (no sign-in): the commitment always; the seed and the whole drawn
/// sequence only once the seal is open; and the result of re-running the draw from them.
#[utoipa::path(get, path = "/api/v1/public/draws/{id}", tag = "draws", params(("id" = i64, Path)), security(()), responses((status = 200, body = PublicDrawDto), (status = 404, body = ErrorEnvelope)))]
pub async fn public_draw(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Json<PublicDrawDto>, ApiError> {
    Ok(Json(state.store.public_draw(id).await?.into()))
}

/// A public draw in a list.
#[derive(Serialize, ToSchema)]
#[schema(as = PublicDrawSummary)]
pub struct PublicDrawSummaryDto {
    pub id: i64,
    /// What the draw served, in words, e.g. 「考核站备案评估专家评议组抽取：某某学校（备案申请 备2026-0001）」.
    pub purpose_words: String,
    /// `committed` | `drawn` | `revealed`.
    pub status: String,
    pub status_label: String,
    pub seal_open: bool,
    /// The day the pool was fixed and the seed committed (Asia/Shanghai), `YYYY-MM-DD`.
    pub committed_on: String,
}

impl From<PublicDraw> for PublicDrawSummaryDto {
    fn from(d: PublicDraw) -> Self {
        PublicDrawSummaryDto {
            id: d.id,
            purpose_words: d.purpose_words,
            status: d.status.id().to_string(),
            status_label: d.status.label().to_string(),
            seal_open: d.seal_open,
            committed_on: domain::ids::shanghai_date(d.committed_at).to_string(),
        }
    }
}

/// The conditions the pool was drawn under, in words.
#[derive(Serialize, ToSchema, Clone)]
#[schema(as = PublicDrawCriteria)]
pub struct PublicCriteriaDto {
    /// Specialties, any of which qualified (「不限」 when none).
    pub specialties: String,
    /// Cities drawn from by name (「全省」 when not limited).
    pub include_cities: String,
    /// Cities excluded by name (「无」 when none).
    pub exclude_cities: String,
    /// The recusal rules applied.
    pub rules: String,
}

/// One element of the drawn sequence.
#[derive(Serialize, ToSchema)]
#[schema(as = PublicDrawPick)]
pub struct PublicPickDto {
    /// 1-based position in the sequence.
    pub position: u32,
    /// The expert's registry number (专家编号).
    pub expert_id: i64,
    /// `drawn` | `replacement` | `declined`.
    pub status: String,
    /// 抽中 | 递补 | 已拒绝.
    pub status_label: String,
}

/// The result of re-running the draw from its public record.
#[derive(Serialize, ToSchema, Clone)]
#[schema(as = PublicDrawVerification)]
pub struct VerificationDto {
    /// `verified` | `failed` | `sealed` (the seed is not public yet).
    pub result: String,
    /// 验证通过 | 验证未通过 | 名单密封中.
    pub label: String,
    pub message: String,
}

/// A draw as the public sees it (issue 9 item 3).
#[derive(Serialize, ToSchema)]
#[schema(as = PublicDraw)]
pub struct PublicDrawDto {
    pub id: i64,
    /// What the draw served, in words.
    pub purpose_words: String,
    /// The purpose as recorded and hashed (docs/DRAWS.md), e.g. `station_filing:12`.
    pub purpose: String,
    /// The organisation under review.
    pub applicant: String,
    pub status: String,
    pub status_label: String,
    pub seal_open: bool,
    /// Who ran the draw, by name.
    pub created_by_name: String,
    /// When the pool was fixed and the seed committed (Asia/Shanghai).
    pub committed_at: String,
    /// When the group was drawn (Asia/Shanghai); empty while sealed.
    pub drawn_at: String,
    /// While sealed: when the seal opens, in words; empty once open.
    pub opens: String,
    /// `sm3` | `sha256`.
    pub hash_alg: String,
    /// The algorithm in words.
    pub algorithm: String,
    /// Size of the group.
    pub count: u32,
    /// How many experts were eligible (the pool).
    pub pool_size: usize,
    pub criteria: PublicCriteriaDto,
    /// Hash of the pool (64 hex digits).
    pub pool_hash: String,
    /// Commitment to the seed, published before the draw (64 hex digits).
    pub commitment: String,
    /// The seed (64 hex digits), once the seal is open; null before.
    pub seed: Option<String>,
    /// The whole drawn sequence in position order, once the seal is open; empty before.
    pub picks: Vec<PublicPickDto>,
    pub verification: VerificationDto,
}

/// The algorithm of a draw in words.
fn algorithm_words(alg: &str) -> String {
    match alg {
        "sm3" => "SM3 国密杂凑算法（GB/T 32905-2016）".to_string(),
        "sha256" => "SHA-256 杂凑算法（FIPS 180-4）".to_string(),
        other => format!("未知算法（{other}）"),
    }
}

fn city_names(codes: &[String], none: &str) -> String {
    if codes.is_empty() {
        return none.to_string();
    }
    codes.iter().map(|c| domain::ids::region_name(c)).collect::<Vec<_>>().join("、")
}

impl From<PublicDraw> for PublicDrawDto {
    fn from(d: PublicDraw) -> Self {
        let r = &d.record;
        let verification = match domain::draws::verify(r) {
            Ok(()) => VerificationDto {
                result: "verified".into(),
                label: "验证通过".into(),
                message:
                    "按公开的随机种子和专家池重新计算，抽取顺序与公布的完全一致；随机种子与抽取前公布的承诺值相符。"
                        .into(),
            },
            Err(_) if !d.seal_open => VerificationDto {
                result: "sealed".into(),
                label: "名单密封中".into(),
                message: format!(
                    "为防止评审前有人接触专家，名单和随机种子在评审开始前密封，{}，届时即可在本页验证。现在可以核对的是专家池摘要和种子承诺值：二者在抽取前已经公布，之后不能更改。",
                    d.opens
                ),
            },
            Err(e) => VerificationDto {
                result: "failed".into(),
                label: "验证未通过".into(),
                message: format!("验证未通过：{e}。请以公开记录为据向省鉴定中心反映。"),
            },
        };
        PublicDrawDto {
            id: d.id,
            purpose_words: d.purpose_words.clone(),
            purpose: r.purpose.clone(),
            applicant: d.applicant.clone(),
            status: d.status.id().to_string(),
            status_label: d.status.label().to_string(),
            seal_open: d.seal_open,
            created_by_name: d.created_by_name.clone(),
            committed_at: crate::view::shanghai(d.committed_at),
            drawn_at: crate::view::shanghai_opt(d.drawn_at),
            opens: d.opens.clone(),
            hash_alg: r.hash_alg.clone(),
            algorithm: algorithm_words(&r.hash_alg),
            count: r.count,
            pool_size: r.pool.len(),
            criteria: PublicCriteriaDto {
                specialties: if r.request.specialties.is_empty() {
                    "不限".to_string()
                } else {
                    r.request.specialties.join("、")
                },
                include_cities: city_names(&r.request.include_cities, "全省"),
                exclude_cities: city_names(&r.request.exclude_cities, "无"),
                rules: format!(
                    "在申请单位任职、离职未满 {} 年或声明利害关系的专家回避；{}",
                    r.rules.lookback_years,
                    if r.rules.same_city {
                        "与申请单位同一市州的专家回避"
                    } else {
                        "同一市州不回避"
                    }
                ),
            },
            pool_hash: r.pool_hash.clone(),
            commitment: r.commitment.clone(),
            seed: r.seed.clone(),
            picks: r
                .picks
                .iter()
                .map(|p| PublicPickDto {
                    position: p.position,
                    expert_id: p.expert_id,
                    status: p.status.id().to_string(),
                    status_label: p.status.label().to_string(),
                })
                .collect(),
            verification,
        }
    }
}
