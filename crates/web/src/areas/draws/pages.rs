//! Draw pages (P4, S4): province staff commit, draw, record declines and open the seal; the public
//! verification page re-runs a draw from its record; experts see the reviews they were drawn into once
//! the seal opens.

use super::api::{PublicDrawDto, PublicDrawSummaryDto};
use crate::AppState;
use crate::auth::{Staff, forbidden};
use crate::error::PageError;
use crate::extract::{Form, Path, Query};
use crate::view::{Errors, Layout, Pager, Refusal, done, redirect_or_refusal};
use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::authz::Action;
use domain::draws::{DrawStatus, PickStatus};
use serde::Deserialize;
use store::draws::{DrawInput, DrawSummary, DrawView, ReviewView};
use store::orgs::{OrgQuery, OrgView};
use store::{PageReq, StoreError};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<u64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "draws/list.html")]
pub struct DrawsPage {
    layout: Layout,
    draws: Vec<DrawSummary>,
    pager: Pager,
}

pub async fn list_draws(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<DrawsPage, PageError> {
    let page = state.store.list_draws(&staff.principal, PageReq::new(q.page, Some(20))).await?;
    Ok(DrawsPage {
        layout: Layout::new(&staff, &state.config.system_name, "专家抽取", "/admin/draws"),
        pager: Pager::of(&page, "/admin/draws", ""),
        draws: page.items,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "draws/new.html")]
pub struct NewDrawPage {
    layout: Layout,
    input: DrawInput,
    count: String,
    orgs: Vec<OrgView>,
    cities: Vec<(&'static str, &'static str)>,
    errors: Errors,
    refusal: String,
}

async fn new_page(
    state: &AppState,
    staff: &Staff,
    input: DrawInput,
    count: String,
    errors: FieldErrors,
    refusal: String,
) -> Result<NewDrawPage, PageError> {
    let orgs =
        state.store.list_orgs(&staff.principal, &OrgQuery::default(), PageReq { page: 1, per_page: 2000 }).await?.items;
    Ok(NewDrawPage {
        layout: Layout::new(staff, &state.config.system_name, "新建专家抽取", "/admin/draws")
            .crumb("专家抽取", "/admin/draws"),
        input,
        count,
        orgs,
        cities: domain::ids::HUNAN_CITIES.to_vec(),
        errors: Errors(errors),
        refusal,
    })
}

pub async fn new_draw_form(State(state): State<AppState>, staff: Staff) -> Result<Response, PageError> {
    if !staff.principal.can(Action::RunDraws) {
        return Err(forbidden());
    }
    Ok(new_page(&state, &staff, DrawInput::default(), String::new(), FieldErrors::new(), String::new())
        .await?
        .into_response())
}

#[derive(Deserialize)]
pub struct DrawForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    applicant_org_id: String,
    #[serde(default)]
    count: String,
    #[serde(default)]
    specialties: String,
    #[serde(default)]
    include_cities: Vec<String>,
    #[serde(default)]
    exclude_cities: Vec<String>,
}

pub async fn commit_draw(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<DrawForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::RunDraws) {
        return Err(forbidden());
    }
    let count = f.count.trim().to_string();
    let input = DrawInput {
        title: f.title,
        applicant_org_id: f.applicant_org_id.parse().ok(),
        count: if count.is_empty() { None } else { Some(count.parse().unwrap_or(0)) },
        specialties: f.specialties,
        include_cities: f.include_cities.into_iter().filter(|c| !c.is_empty()).collect(),
        exclude_cities: f.exclude_cities.into_iter().filter(|c| !c.is_empty()).collect(),
    };
    let result = state.store.commit_draw(&staff.principal, &input, None, &staff.ctx).await;
    redirect_or_refusal(
        result,
        |id| done(format!("/admin/draws/{id}"), "committed"),
        |refusal| {
            let (errors, reason) = match refusal {
                Refusal::Invalid(errors) => (errors, String::new()),
                // DRAW_NOT_ENOUGH: how many were eligible and why the rest were excluded, above the form.
                Refusal::Conflict(e) => (FieldErrors::new(), e.detail),
            };
            new_page(&state, &staff, input, count, errors, reason)
        },
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "draws/show.html")]
pub struct DrawPage {
    layout: Layout,
    draw: DrawView,
    /// The page of the record the draw serves (its seal opens there).
    step_link: Option<String>,
    /// E4: the panel a draw of a session's assessors appointed (`None`: an expert draw).
    panel: Option<Vec<store::sessions::PanelMember>>,
    error: String,
}

async fn draw_page(state: &AppState, staff: &Staff, id: i64, error: String) -> Result<DrawPage, PageError> {
    let draw = state.store.get_draw(&staff.principal, id, &staff.ctx).await?;
    // E4: a draw of a session's panel has no expert group; its group is the panel it appointed.
    let panel = match &draw.subject {
        Some(s) if s.kind == domain::workflow::SubjectKind::ExamSession => match s.id.parse::<i64>() {
            Ok(session) => Some(state.store.panel_of(session).await?),
            Err(_) => None,
        },
        _ => None,
    };
    Ok(DrawPage {
        panel,
        layout: Layout::new(staff, &state.config.system_name, &draw.summary.title, "/admin/draws")
            .crumb("专家抽取", "/admin/draws"),
        step_link: draw.subject.as_ref().and_then(|s| crate::areas::link_for(s.kind, &s.id)),
        draw,
        error,
    })
}

pub async fn show_draw(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<DrawPage, PageError> {
    draw_page(&state, &staff, id, String::new()).await
}

async fn after(
    state: &AppState,
    staff: &Staff,
    id: i64,
    r: Result<(), StoreError>,
    notice: &str,
) -> Result<Response, PageError> {
    redirect_or_refusal(
        r,
        |()| done(format!("/admin/draws/{id}"), notice),
        |refusal| {
            let error = match refusal {
                Refusal::Invalid(e) => e.to_string(),
                Refusal::Conflict(e) => e.detail,
            };
            draw_page(state, staff, id, error)
        },
    )
    .await
}

pub async fn perform_draw(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let r = state.store.perform_draw(&staff.principal, id, &staff.ctx).await;
    after(&state, &staff, id, r, "drawn").await
}

#[derive(Deserialize)]
pub struct DeclineForm {
    #[serde(default)]
    expert_id: String,
    #[serde(default)]
    reason: String,
}

pub async fn decline_draw(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<DeclineForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::RunDraws) {
        return Err(forbidden());
    }
    let r = state
        .store
        .decline_draw(&staff.principal, id, f.expert_id.parse().unwrap_or(0), &f.reason, &staff.ctx)
        .await
        .map(|_| ());
    after(&state, &staff, id, r, "declined").await
}

pub async fn open_seal(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let r = state.store.open_draw_seal(&staff.principal, id, &staff.ctx).await;
    after(&state, &staff, id, r, "revealed").await
}

#[derive(Template, WebTemplate)]
#[template(path = "draws/verify.html")]
pub struct VerifyPage {
    title: String,
    id: i64,
    d: PublicDrawDto,
    committed_at: String,
    drawn_at: String,
    criteria: Vec<(&'static str, String)>,
    group: String,
    /// E4: a draw of a session's assessors (考评员), not of experts.
    panel: bool,
    /// Who the pool holds: 专家 or 考评员.
    who: &'static str,
}

/// The public page (issue 9 item 3): what the draw was for, when and by whom, the commitment, and —
/// once the seal is open — the seed and the whole sequence, re-run here and checked.
pub async fn verify_page(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, PageError> {
    let d = match state.store.public_draw(id).await {
        Err(StoreError::NotFound) => return Ok(crate::error::public_error_page(StatusCode::NOT_FOUND, None)),
        other => other?,
    };
    let committed_at = crate::view::shanghai(d.committed_at);
    let drawn_at = crate::view::shanghai_opt(d.drawn_at);
    let group = d.record.group().iter().map(|e| e.to_string()).collect::<Vec<_>>().join("、");
    let panel = d.record.purpose.starts_with(&format!("{}:", domain::exams::EXAM_PANEL_PURPOSE));
    let dto = PublicDrawDto::from(d);
    let criteria = if panel {
        vec![
            ("考核项目", dto.criteria.specialties.clone()),
            (
                "回避与轮换",
                "抽取前已按轮换、回避原则（E4）排除：与考生有亲属关系、现在或曾在该考核站或考生工作单位任职、\
                 为考生授课、连续在该考核站任职达上限的考评员不进入抽取池；上次考评组成员超出保留比例的，按抽取顺序\
                 更换，由顺序中的下一位递补"
                    .to_owned(),
            ),
        ]
    } else {
        vec![
            ("专业领域", dto.criteria.specialties.clone()),
            ("限定地区", dto.criteria.include_cities.clone()),
            ("排除地区", dto.criteria.exclude_cities.clone()),
            ("回避规则", dto.criteria.rules.clone()),
        ]
    };
    let who = if panel { "考评员" } else { "专家" };
    Ok(VerifyPage {
        title: format!("{who}抽取公示（第 {id} 号）"),
        id,
        panel,
        who,
        criteria,
        committed_at,
        drawn_at,
        group,
        d: dto,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "draws/public_list.html")]
pub struct PublicDrawsPage {
    title: &'static str,
    draws: Vec<PublicDrawSummaryDto>,
    pager: Pager,
}

/// Every draw, newest first, for the public (no sign-in): what it was for, when, where it stands.
pub async fn public_list(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<PublicDrawsPage, PageError> {
    let page = state.store.public_draws(PageReq::new(q.page, Some(20))).await?;
    Ok(PublicDrawsPage {
        title: "抽取公示（专家、考评员）",
        pager: Pager::of(&page, "/draws", ""),
        draws: page.items.into_iter().map(PublicDrawSummaryDto::from).collect(),
    })
}

/// The draw record as JSON (docs/DRAWS.md), sealed until the review starts.
pub async fn record_json(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<domain::draws::DrawRecord>, crate::error::ApiError> {
    Ok(Json(state.store.public_draw_record(id).await?))
}

#[derive(Template, WebTemplate)]
#[template(path = "draws/my_reviews.html")]
pub struct MyReviewsPage {
    layout: Layout,
    reviews: Vec<ReviewView>,
}

pub async fn my_reviews(State(state): State<AppState>, staff: Staff) -> Result<MyReviewsPage, PageError> {
    let reviews = state.store.my_reviews(&staff.principal).await?;
    Ok(MyReviewsPage { layout: Layout::new(&staff, &state.config.system_name, "我的评审", "/my/reviews"), reviews })
}
