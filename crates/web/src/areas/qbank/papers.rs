//! P2, E2: a project's blueprint (rows posted as repeated `row_task`, `row_kind`, `row_difficulty`,
//! `row_count`, `row_points` fields), the papers' list, assembly (paper A, or B parallel to an A), a
//! paper's record with the re-derivation's answer once the seed is revealed, the record as JSON
//! (`kaohe verify paper --file`), and the A4 paper and its answer key (question bank officer only,
//! each print audited by the store).

use crate::AppState;
use crate::auth::{Staff, forbidden};
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path, Query};
use crate::view::{Errors, Layout, Pager, done, filter_query, redirect_or_form, redirect_or_refusal, shanghai};
use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::authz::Action;
use domain::question_bank::{
    BlueprintInput, BlueprintRowInput, Difficulty, ItemKind, OPTION_LABELS, PaperRecord, Section, ViewItem,
};
use serde::Deserialize;
use store::PageReq;
use store::question_bank::{BankProject, PaperContent, PaperDetail, PaperSummary, PaperUse, PrintedItem};

/// Rows the blueprint form offers (spare rows beyond what is saved).
const BLUEPRINT_ROWS: usize = 8;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct BlueprintForm {
    duration_minutes: String,
    total_points: String,
    row_task: Vec<String>,
    row_kind: Vec<String>,
    row_difficulty: Vec<String>,
    row_count: Vec<String>,
    row_points: Vec<String>,
}

fn number(s: Option<&String>) -> u32 {
    s.and_then(|s| s.trim().parse().ok()).unwrap_or(0)
}

impl BlueprintForm {
    fn input(&self) -> BlueprintInput {
        let n = self.row_task.len().max(self.row_kind.len());
        let rows = (0..n)
            .filter(|i| self.row_kind.get(*i).is_some_and(|k| !k.trim().is_empty()))
            .map(|i| BlueprintRowInput {
                task: number(self.row_task.get(i)),
                kind: self.row_kind.get(i).cloned().unwrap_or_default(),
                difficulty: self.row_difficulty.get(i).cloned().unwrap_or_default(),
                count: number(self.row_count.get(i)),
                points_each: number(self.row_points.get(i)),
            })
            .collect();
        BlueprintInput {
            duration_minutes: number(Some(&self.duration_minutes)),
            total_points: number(Some(&self.total_points)),
            rows,
        }
    }

    fn of(b: &BlueprintInput) -> BlueprintForm {
        BlueprintForm {
            duration_minutes: b.duration_minutes.to_string(),
            total_points: b.total_points.to_string(),
            row_task: b.rows.iter().map(|r| r.task.to_string()).collect(),
            row_kind: b.rows.iter().map(|r| r.kind.clone()).collect(),
            row_difficulty: b.rows.iter().map(|r| r.difficulty.clone()).collect(),
            row_count: b.rows.iter().map(|r| r.count.to_string()).collect(),
            row_points: b.rows.iter().map(|r| r.points_each.to_string()).collect(),
        }
    }
}

pub struct BlueprintRowView {
    task: String,
    kind: String,
    difficulty: String,
    count: String,
    points: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "qbank/blueprint.html")]
pub struct BlueprintPage {
    layout: Layout,
    project: BankProject,
    v: BlueprintForm,
    rows: Vec<BlueprintRowView>,
    errors: Errors,
    saved: String,
    kinds: &'static [ItemKind],
    difficulties: &'static [Difficulty],
}

async fn blueprint_page(
    state: &AppState,
    staff: &Staff,
    project_id: i64,
    v: Option<BlueprintForm>,
    errors: FieldErrors,
) -> Result<BlueprintPage, PageError> {
    let project = state
        .store
        .bank_projects(&staff.principal)
        .await?
        .into_iter()
        .find(|p| p.id == project_id)
        .ok_or(AppError::NotFound)?;
    let saved = state.store.blueprint(&staff.principal, project_id).await?;
    let saved_text =
        saved.as_ref().map_or(String::new(), |b| format!("{} 由 {} 保存", shanghai(b.saved_at), b.saved_by));
    let v = v.unwrap_or_else(|| saved.map(|b| BlueprintForm::of(&b.blueprint.to_input())).unwrap_or_default());
    let n = v.row_kind.iter().filter(|k| !k.is_empty()).count() + 3;
    let at = |col: &Vec<String>, i: usize| col.get(i).cloned().unwrap_or_default();
    let rows = (0..n.max(BLUEPRINT_ROWS))
        .map(|i| BlueprintRowView {
            task: at(&v.row_task, i),
            kind: at(&v.row_kind, i),
            difficulty: at(&v.row_difficulty, i),
            count: at(&v.row_count, i),
            points: at(&v.row_points, i),
        })
        .collect();
    Ok(BlueprintPage {
        layout: Layout::new(staff, &state.config.system_name, &format!("组卷蓝图：{}", project.name), "/qbank/papers")
            .crumb("试卷", "/qbank/papers"),
        project,
        v,
        rows,
        errors: Errors(errors),
        saved: saved_text,
        kinds: ItemKind::ALL,
        difficulties: Difficulty::ALL,
    })
}

pub async fn blueprint_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(project_id): Path<i64>,
) -> Result<BlueprintPage, PageError> {
    if !staff.principal.can(Action::AssemblePapers) {
        return Err(forbidden());
    }
    blueprint_page(&state, &staff, project_id, None, FieldErrors::new()).await
}

pub async fn save_blueprint(
    State(state): State<AppState>,
    staff: Staff,
    Path(project_id): Path<i64>,
    Form(f): Form<BlueprintForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::AssemblePapers) {
        return Err(forbidden());
    }
    let r = state.store.save_blueprint(&staff.principal, project_id, &f.input(), &staff.ctx).await;
    redirect_or_form(
        r,
        |_| done(format!("/qbank/blueprints/{project_id}"), "qbank_blueprint_saved"),
        |e| blueprint_page(&state, &staff, project_id, Some(f.clone()), e),
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct PapersQuery {
    project_id: Option<String>,
    page: Option<u64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "qbank/papers.html")]
pub struct PapersPage {
    layout: Layout,
    rows: Vec<(PaperSummary, String)>,
    pager: Pager,
    projects: Vec<BankProject>,
    project_id: String,
    can_assemble: bool,
}

pub async fn list_papers(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<PapersQuery>,
) -> Result<PapersPage, PageError> {
    if !staff.principal.can(Action::ListQuestionItems) {
        return Err(forbidden());
    }
    let pid = crate::view::filter_value("project_id", "考核项目", q.project_id.as_deref())?;
    let page = state.store.list_papers(&staff.principal, pid, PageReq::new(q.page, Some(20))).await?;
    let fq = filter_query(&[("project_id", q.project_id.clone())]);
    Ok(PapersPage {
        layout: Layout::new(&staff, &state.config.system_name, "试卷", "/qbank/papers").crumb("题库", "/qbank/items"),
        pager: Pager::of(&page, "/qbank/papers", &fq),
        rows: page.items.into_iter().map(|s| (shanghai(s.created_at), s)).map(|(t, s)| (s, t)).collect(),
        projects: state.store.bank_projects(&staff.principal).await?,
        project_id: q.project_id.unwrap_or_default(),
        can_assemble: staff.principal.can(Action::AssemblePapers),
    })
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct AssembleForm {
    project_id: String,
    parallel_of: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "qbank/paper_new.html")]
pub struct NewPaperPage {
    layout: Layout,
    projects: Vec<BankProject>,
    papers_a: Vec<PaperSummary>,
    v: AssembleForm,
    errors: Errors,
}

async fn new_paper_page(
    state: &AppState,
    staff: &Staff,
    v: AssembleForm,
    errors: FieldErrors,
) -> Result<NewPaperPage, PageError> {
    let all = state.store.list_papers(&staff.principal, None, PageReq::new(None, Some(PageReq::MAX_PER_PAGE))).await?;
    Ok(NewPaperPage {
        layout: Layout::new(staff, &state.config.system_name, "组卷", "/qbank/papers").crumb("试卷", "/qbank/papers"),
        projects: state.store.bank_projects(&staff.principal).await?,
        papers_a: all.items.into_iter().filter(|p| p.label == "A").collect(),
        v,
        errors: Errors(errors),
    })
}

pub async fn new_paper_form(State(state): State<AppState>, staff: Staff) -> Result<NewPaperPage, PageError> {
    if !staff.principal.can(Action::AssemblePapers) {
        return Err(forbidden());
    }
    new_paper_page(&state, &staff, AssembleForm::default(), FieldErrors::new()).await
}

pub async fn assemble_paper(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<AssembleForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::AssemblePapers) {
        return Err(forbidden());
    }
    let project_id = f.project_id.trim().parse().unwrap_or(0);
    let parallel = f.parallel_of.trim().parse().ok();
    let r = state.store.assemble_paper(&staff.principal, project_id, parallel, &staff.ctx).await;
    redirect_or_refusal(
        r,
        |id| done(format!("/qbank/papers/{id}"), "qbank_paper_assembled"),
        |e| new_paper_page(&state, &staff, f.clone(), e.into_errors()),
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "qbank/paper.html")]
pub struct PaperPage {
    layout: Layout,
    d: PaperDetail,
    created: String,
    verified: String,
    /// Each blueprint row in words, beside its picks.
    rows: Vec<String>,
    can_read: bool,
    can_reveal: bool,
}

pub async fn show_paper(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<PaperPage, PageError> {
    let d = state.store.paper(&staff.principal, id).await?;
    let verified = match &d.verified {
        None => String::new(),
        Some(Ok(())) => "验证通过：按公开的随机种子重新组卷，结果与记录一致。".to_owned(),
        Some(Err(why)) => format!("验证未通过：{why}"),
    };
    let p = &staff.principal;
    Ok(PaperPage {
        layout: Layout::new(
            &staff,
            &state.config.system_name,
            &format!("试卷 {id}（{} 卷）", d.summary.label),
            "/qbank/papers",
        )
        .crumb("试卷", "/qbank/papers"),
        created: shanghai(d.summary.created_at),
        can_read: p.can(Action::ReadPapers),
        rows: (0..d.record.picks.len())
            .map(|i| {
                d.record
                    .blueprint
                    .rows
                    .get(i)
                    .map_or(String::new(), |r| format!("{} × {}，每题 {} 分", r.describe(), r.count, r.points_each))
            })
            .collect(),
        can_reveal: p.can(Action::AssemblePapers) && !d.summary.revealed,
        verified,
        d,
    })
}

/// The record (sealed for whoever may not read papers), for `kaohe verify paper --file`.
pub async fn paper_record(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Json<PaperRecord>, PageError> {
    Ok(Json(state.store.paper(&staff.principal, id).await?.record))
}

pub async fn reveal_paper(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    state.store.paper(&staff.principal, id).await?;
    if !staff.principal.can(Action::AssemblePapers) {
        return Err(forbidden());
    }
    match state.store.reveal_paper(&staff.principal, id, &staff.ctx).await {
        Ok(()) => Ok(done(format!("/qbank/papers/{id}"), "qbank_paper_revealed").into_response()),
        Err(store::StoreError::Conflict(e)) => {
            Ok(crate::view::back_with_error(format!("/qbank/papers/{id}"), e.detail))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "qbank/print.html")]
pub struct PrintPage {
    c: PaperContent,
    key: bool,
}

impl PrintPage {
    fn item(&self, v: &ViewItem) -> Option<&PrintedItem> {
        self.c.items.get(&v.item_id)
    }
    fn label(&self, i: &usize) -> char {
        OPTION_LABELS.get(*i).copied().unwrap_or('?')
    }
    fn answer(&self, v: &ViewItem) -> String {
        use domain::question_bank::Answer;
        match self.item(v).map(|i| &i.content.answer) {
            Some(Answer::SingleChoice { label }) => label.to_string(),
            Some(Answer::MultipleChoice { labels }) => labels.iter().collect(),
            Some(Answer::TrueFalse { correct }) => (if *correct { "正确" } else { "错误" }).to_owned(),
            Some(Answer::ShortAnswer { reference }) => reference.clone(),
            Some(Answer::Practical { scoring }) => {
                scoring.iter().map(|p| format!("{}（{} 分）", p.description, p.points)).collect::<Vec<_>>().join("；")
            }
            None => String::new(),
        }
    }
    fn sections(&self) -> &[Section] {
        &self.c.view.sections
    }
}

async fn print(state: &AppState, staff: &Staff, id: i64, what: PaperUse) -> Result<PrintPage, PageError> {
    let c = state.store.paper_content(&staff.principal, id, what, &staff.ctx).await?;
    Ok(PrintPage { c, key: what == PaperUse::Key })
}

pub async fn print_paper(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<PrintPage, PageError> {
    print(&state, &staff, id, PaperUse::Print).await
}

pub async fn print_key(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<PrintPage, PageError> {
    print(&state, &staff, id, PaperUse::Key).await
}
