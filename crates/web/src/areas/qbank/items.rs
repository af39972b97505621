//! The items' pages (P6): the metadata list (filters: project, kind, status, difficulty, work task;
//! paging), an item's page (its versions, the content of one version for the question bank officer —
//! each view audited — and the review steps with confirmation), and the item form for a new item or a
//! revision (always a new version). Options are posted as repeated `option` fields (A, B, … in order);
//! scoring points of a practical item one a line, `描述|分值`, as in the import template.

use crate::AppState;
use crate::auth::{Staff, forbidden};
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path, Query};
use crate::view::{
    Errors, Layout, Pager, done, filter_query, filter_value, redirect_or_form, redirect_or_refusal, shanghai,
};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use domain::FieldErrors;
use domain::authz::Action;
use domain::question_bank::{
    Answer, Difficulty, FALSE_TEXT, ItemContent, ItemInput, ItemKind, ItemStatus, OPTION_LABELS, ScoringInput,
    TRUE_TEXT,
};
use serde::Deserialize;
use store::PageReq;
use store::question_bank::{BankProject, ItemDetail, ItemQuery, ItemStep, ItemSummary};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    pub project_id: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub difficulty: Option<String>,
    pub task: Option<String>,
    pub page: Option<u64>,
}

/// The list's filters as the store reads them (a bad value is refused naming the filter).
pub fn query_of(q: &ListQuery) -> Result<ItemQuery, AppError> {
    Ok(ItemQuery {
        project_id: filter_value("project_id", "考核项目", q.project_id.as_deref())?,
        kind: filter_value("kind", "题型", q.kind.as_deref())?,
        status: filter_value("status", "状态", q.status.as_deref())?,
        difficulty: filter_value("difficulty", "难度", q.difficulty.as_deref())?,
        task: filter_value("task", "工作任务", q.task.as_deref())?,
    })
}

pub struct Row {
    pub s: ItemSummary,
    pub updated: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "qbank/items.html")]
pub struct ItemsPage {
    layout: Layout,
    rows: Vec<Row>,
    pager: Pager,
    projects: Vec<BankProject>,
    project_id: String,
    kind: String,
    status: String,
    difficulty: String,
    task: String,
    kinds: &'static [ItemKind],
    statuses: &'static [ItemStatus],
    difficulties: &'static [Difficulty],
    can_write: bool,
    can_read: bool,
    can_assemble: bool,
    export_href: String,
}

pub async fn list_items(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<ItemsPage, PageError> {
    if !staff.principal.can(Action::ListQuestionItems) {
        return Err(forbidden());
    }
    let query = query_of(&q)?;
    let page = state.store.list_items(&staff.principal, &query, PageReq::new(q.page, Some(20))).await?;
    let fq = filter_query(&[
        ("project_id", q.project_id.clone()),
        ("kind", q.kind.clone()),
        ("status", q.status.clone()),
        ("difficulty", q.difficulty.clone()),
        ("task", q.task.clone()),
    ]);
    let p = &staff.principal;
    Ok(ItemsPage {
        layout: Layout::new(&staff, &state.config.system_name, "题库", "/qbank/items"),
        pager: Pager::of(&page, "/qbank/items", &fq),
        rows: page.items.into_iter().map(|s| Row { updated: shanghai(s.updated_at), s }).collect(),
        projects: state.store.bank_projects(p).await?,
        project_id: q.project_id.unwrap_or_default(),
        kind: q.kind.unwrap_or_default(),
        status: q.status.unwrap_or_default(),
        difficulty: q.difficulty.unwrap_or_default(),
        task: q.task.unwrap_or_default(),
        kinds: ItemKind::ALL,
        statuses: ItemStatus::ALL,
        difficulties: Difficulty::ALL,
        can_write: p.can(Action::WriteQuestionItems),
        can_read: p.can(Action::ReadQuestionItems),
        can_assemble: p.can(Action::AssemblePapers),
        export_href: format!("/qbank/items/export.xlsx?{fq}"),
    })
}

/// The item form as posted.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ItemForm {
    pub project_id: String,
    pub kind: String,
    pub task: String,
    pub difficulty: String,
    pub points: String,
    pub stem: String,
    pub option: Vec<String>,
    pub answer: String,
    pub scoring: String,
}

fn number(s: &str) -> u32 {
    s.trim().parse().unwrap_or(0)
}

impl ItemForm {
    pub fn input(&self) -> ItemInput {
        let used = self.option.iter().rposition(|o| !o.trim().is_empty()).map_or(0, |i| i + 1);
        ItemInput {
            kind: self.kind.clone(),
            task: number(&self.task),
            difficulty: self.difficulty.clone(),
            points: number(&self.points),
            stem: self.stem.clone(),
            options: self.option[..used].to_vec(),
            answer: self.answer.clone(),
            scoring: self
                .scoring
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| match l.rsplit_once(['|', '｜']) {
                    Some((d, p)) => ScoringInput { description: d.trim().to_owned(), points: number(p) },
                    None => ScoringInput { description: l.trim().to_owned(), points: 0 },
                })
                .collect(),
        }
    }

    /// The form filled from a version's metadata and content (for a revision).
    pub fn of(s: &ItemSummary, c: &ItemContent) -> ItemForm {
        let (answer, scoring) = match &c.answer {
            Answer::SingleChoice { label } => (label.to_string(), String::new()),
            Answer::MultipleChoice { labels } => (labels.iter().collect(), String::new()),
            Answer::TrueFalse { correct } => {
                ((if *correct { TRUE_TEXT } else { FALSE_TEXT }).to_owned(), String::new())
            }
            Answer::ShortAnswer { reference } => (reference.clone(), String::new()),
            Answer::Practical { scoring } => (
                String::new(),
                scoring.iter().map(|p| format!("{}|{}", p.description, p.points)).collect::<Vec<_>>().join("\n"),
            ),
        };
        ItemForm {
            project_id: s.project_id.to_string(),
            kind: s.kind.id().to_owned(),
            task: s.task.to_string(),
            difficulty: s.difficulty.id().to_owned(),
            points: s.points.to_string(),
            stem: c.stem.clone(),
            option: c.options.clone(),
            answer,
            scoring,
        }
    }
}

/// The form's field names: every option error beside the options, every scoring error beside them.
fn form_errors(errors: FieldErrors) -> FieldErrors {
    FieldErrors(
        errors
            .0
            .into_iter()
            .map(|e| {
                let f = if e.field.starts_with("options") {
                    "options".to_owned()
                } else if e.field.starts_with("scoring") {
                    "scoring".to_owned()
                } else {
                    e.field.clone()
                };
                e.for_field(f)
            })
            .collect(),
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "qbank/item_form.html")]
pub struct ItemFormPage {
    layout: Layout,
    action: String,
    cancel: String,
    v: ItemForm,
    /// The options' rows: label and text (eight, filled from A).
    options: Vec<(char, String)>,
    errors: Errors,
    projects: Vec<BankProject>,
    /// A revision keeps the item's project.
    fixed_project: bool,
    kinds: &'static [ItemKind],
    difficulties: &'static [Difficulty],
}

async fn form_page(
    state: &AppState,
    staff: &Staff,
    v: ItemForm,
    errors: FieldErrors,
    revising: Option<i64>,
) -> Result<ItemFormPage, PageError> {
    let options =
        OPTION_LABELS.iter().enumerate().map(|(i, l)| (*l, v.option.get(i).cloned().unwrap_or_default())).collect();
    let (title, action, cancel) = match revising {
        Some(id) => ("修改试题（生成新版本）", format!("/qbank/items/{id}/edit"), format!("/qbank/items/{id}")),
        None => ("新增试题", "/qbank/items".to_owned(), "/qbank/items".to_owned()),
    };
    Ok(ItemFormPage {
        layout: Layout::new(staff, &state.config.system_name, title, "/qbank/items").crumb("题库", "/qbank/items"),
        action,
        cancel,
        v,
        options,
        errors: Errors(form_errors(errors)),
        projects: state.store.bank_projects(&staff.principal).await?,
        fixed_project: revising.is_some(),
        kinds: ItemKind::ALL,
        difficulties: Difficulty::ALL,
    })
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    project_id: Option<String>,
}

pub async fn new_item_form(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<NewQuery>,
) -> Result<ItemFormPage, PageError> {
    if !staff.principal.can(Action::WriteQuestionItems) {
        return Err(forbidden());
    }
    let v = ItemForm { project_id: q.project_id.unwrap_or_default(), points: "1".into(), ..Default::default() };
    form_page(&state, &staff, v, FieldErrors::new(), None).await
}

pub async fn create_item(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<ItemForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::WriteQuestionItems) {
        return Err(forbidden());
    }
    let project_id = f.project_id.trim().parse().unwrap_or(0);
    let r = state.store.create_item(&staff.principal, project_id, &f.input(), &staff.ctx).await;
    redirect_or_form(
        r,
        |id| done(format!("/qbank/items/{id}"), "qbank_item_created"),
        |e| form_page(&state, &staff, f.clone(), e, None),
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "qbank/item.html")]
pub struct ItemPage {
    layout: Layout,
    d: ItemDetail,
    /// The version shown and its content (the question bank officer only; the view is audited).
    shown: u32,
    content: Option<ItemContent>,
    steps: Vec<ItemStep>,
    can_revise: bool,
    errors: Errors,
    times: Vec<(String, String)>,
}

impl ItemPage {
    fn label_of(&self, i: &usize) -> char {
        OPTION_LABELS.get(*i).copied().unwrap_or('?')
    }
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    version: Option<u32>,
}

async fn item_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    version: Option<u32>,
    errors: FieldErrors,
) -> Result<ItemPage, PageError> {
    let d = state.store.item_detail(&staff.principal, id).await?;
    let shown = version.unwrap_or(d.summary.version);
    let content = if staff.principal.can(Action::ReadQuestionItems) {
        Some(state.store.item_content(&staff.principal, id, shown, &staff.ctx).await?)
    } else {
        None
    };
    let times =
        d.versions.iter().map(|v| (shanghai(v.created_at), v.reviewed_at.map(shanghai).unwrap_or_default())).collect();
    Ok(ItemPage {
        layout: Layout::new(staff, &state.config.system_name, &format!("试题 {id}"), "/qbank/items")
            .crumb("题库", "/qbank/items"),
        steps: d.actions.iter().copied().filter(|s| *s != ItemStep::Revise).collect(),
        can_revise: d.actions.contains(&ItemStep::Revise),
        d,
        shown,
        content,
        errors: Errors(errors),
        times,
    })
}

pub async fn show_item(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<ItemPage, PageError> {
    item_page(&state, &staff, id, q.version, FieldErrors::new()).await
}

pub async fn edit_item_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<ItemFormPage, PageError> {
    let d = state.store.item_detail(&staff.principal, id).await?;
    if !staff.principal.can(Action::WriteQuestionItems) {
        return Err(forbidden());
    }
    let c = state.store.item_content(&staff.principal, id, d.summary.version, &staff.ctx).await?;
    form_page(&state, &staff, ItemForm::of(&d.summary, &c), FieldErrors::new(), Some(id)).await
}

pub async fn revise_item(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<ItemForm>,
) -> Result<Response, PageError> {
    let d = state.store.item_detail(&staff.principal, id).await?;
    if !staff.principal.can(Action::WriteQuestionItems) {
        return Err(forbidden());
    }
    let f = ItemForm { project_id: d.summary.project_id.to_string(), ..f };
    let r = state.store.revise_item(&staff.principal, id, &f.input(), &staff.ctx).await;
    redirect_or_refusal(
        r,
        |_| done(format!("/qbank/items/{id}"), "qbank_item_revised"),
        |e| form_page(&state, &staff, f.clone(), e.into_errors(), Some(id)),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActionForm {
    kind: String,
    reason: String,
}

/// A review step: `submit`, `approve`, `return` (with `reason`) or `retire`.
pub async fn act_on_item(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<ActionForm>,
) -> Result<Response, PageError> {
    state.store.item_detail(&staff.principal, id).await?;
    let p = &staff.principal;
    if !p.can(Action::WriteQuestionItems) && !p.can(Action::ReviewQuestionItems) {
        return Err(forbidden());
    }
    let Some(step) = ItemStep::parse(&f.kind).filter(|s| *s != ItemStep::Revise) else {
        let e = FieldErrors::from(domain::FieldError::new("kind", "ITEM_STEP", "请选择要办理的步骤"));
        return Err(AppError::Invalid(e).into());
    };
    let r = state.store.item_step(p, id, step, &f.reason, &staff.ctx).await;
    let code = format!("qbank_item_{}", step.id());
    redirect_or_refusal(
        r,
        |_| done(format!("/qbank/items/{id}"), &code),
        |e| async { item_page(&state, &staff, id, None, e.into_errors()).await },
    )
    .await
}
