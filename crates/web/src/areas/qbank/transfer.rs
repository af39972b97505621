//! P6: the .xlsx import of items (template download, upload; all-or-nothing, every bad cell named
//! 第 N 行「列」) and the export of the list's items with their content (question bank officer only,
//! audited by the store).

use super::items::{ListQuery, query_of};
use crate::AppState;
use crate::auth::{Staff, forbidden};
use crate::error::{AppError, PageError};
use crate::extract::Query;
use crate::view::{Layout, done};
use crate::xlsx;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::authz::Action;
use domain::question_bank::{Answer, ItemContent, ItemKind, OPTION_LABELS, template_headers};
use store::StoreError;
use store::question_bank::{BankProject, ImportRow};

#[derive(Template, WebTemplate)]
#[template(path = "qbank/import.html")]
pub struct ImportPage {
    layout: Layout,
    projects: Vec<BankProject>,
    project_id: String,
    problems: Vec<String>,
}

async fn import_page(
    state: &AppState,
    staff: &Staff,
    project_id: String,
    problems: Vec<String>,
) -> Result<ImportPage, PageError> {
    Ok(ImportPage {
        layout: Layout::new(staff, &state.config.system_name, "批量导入试题", "/qbank/items")
            .crumb("题库", "/qbank/items"),
        projects: state.store.bank_projects(&staff.principal).await?,
        project_id,
        problems,
    })
}

pub async fn import_form(State(state): State<AppState>, staff: Staff) -> Result<ImportPage, PageError> {
    if !staff.principal.can(Action::WriteQuestionItems) {
        return Err(forbidden());
    }
    import_page(&state, &staff, String::new(), vec![]).await
}

/// The import template: the headers and one example row per kind.
pub async fn template(staff: Staff) -> Result<Response, PageError> {
    if !staff.principal.can(Action::WriteQuestionItems) {
        return Err(forbidden());
    }
    let headers = template_headers();
    let row = |cells: &[(&str, &str)]| -> Vec<String> {
        headers
            .iter()
            .map(|h| cells.iter().find(|(k, _)| k == h).map_or(String::new(), |(_, v)| (*v).to_owned()))
            .collect()
    };
    let rows = vec![
        row(&[
            ("题型", "单项选择题"),
            ("所属工作任务", "1"),
            ("难度", "易"),
            ("分值", "1"),
            ("题干", "（示例）制作米粉宜选用哪类大米？"),
            ("选项A", "早籼米"),
            ("选项B", "糯米"),
            ("选项C", "粳米"),
            ("答案", "A"),
        ]),
        row(&[
            ("题型", "判断题"),
            ("所属工作任务", "1"),
            ("难度", "易"),
            ("分值", "1"),
            ("题干", "（示例）大米浸泡时间越长越好。"),
            ("答案", "错误"),
        ]),
        row(&[
            ("题型", "实操题"),
            ("所属工作任务", "2"),
            ("难度", "中"),
            ("分值", "20"),
            ("题干", "（示例）按要求完成米浆磨制。"),
            ("评分要点", "米浆细腻无颗粒|10\n操作规范、卫生|10"),
        ]),
    ];
    let bytes = xlsx::write(&[xlsx::Sheet { name: "试题", headers: &headers, rows }]).map_err(AppError::Internal)?;
    Ok(xlsx::download("qbank-template.xlsx", bytes))
}

/// Each problem as staff read it: 第 3 行「答案」：…
fn describe(errs: &FieldErrors) -> Vec<String> {
    errs.0
        .iter()
        .map(|e| match e.field.split_once(':') {
            Some((row, col)) => format!("第 {row} 行「{col}」：{}", e.detail),
            None => e.detail.clone(),
        })
        .collect()
}

/// The rows of the first sheet as (header, cell) pairs, the header row first.
pub fn rows_of(rows: &[Vec<String>]) -> Result<Vec<ImportRow>, String> {
    let Some((head, body)) = rows.split_first() else { return Err("表格是空的，请使用导入模板".into()) };
    if !head.iter().any(|h| h.trim() == "题型") {
        return Err("第 1 行应为表头（请使用导入模板，表头含“题型”“题干”等列）".into());
    }
    Ok(body
        .iter()
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .map(|r| head.iter().zip(r).map(|(h, c)| (h.trim().to_owned(), c.clone())).collect())
        .collect())
}

pub async fn import_items(
    State(state): State<AppState>,
    staff: Staff,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::WriteQuestionItems) {
        return Err(forbidden());
    }
    let mut file: Option<Vec<u8>> = None;
    let mut project_id = String::new();
    if let Ok(mut multipart) = multipart {
        while let Ok(Some(field)) = multipart.next_field().await {
            match field.name() {
                Some("file") => file = Some(field.bytes().await.map_err(|_| AppError::PayloadTooLarge)?.to_vec()),
                Some("project_id") => project_id = field.text().await.unwrap_or_default(),
                _ => {}
            }
        }
    }
    let problems = match (project_id.trim().parse::<i64>(), file.filter(|f| !f.is_empty())) {
        (Err(_), _) => vec!["请选择考核项目".to_string()],
        (_, None) => vec!["请选择要导入的 Excel 文件".to_string()],
        (Ok(pid), Some(bytes)) => match xlsx::read(&bytes).and_then(|rows| rows_of(&rows)) {
            Err(msg) => vec![msg],
            Ok(rows) => match state.store.import_items(&staff.principal, pid, &rows, &staff.ctx).await {
                Ok(_) => return Ok(done(format!("/qbank/items?project_id={pid}"), "qbank_imported").into_response()),
                Err(StoreError::Invalid(errs)) => describe(&errs),
                Err(e) => return Err(e.into()),
            },
        },
    };
    let page = import_page(&state, &staff, project_id, problems).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// An item's content as the template's cells (so an export imports again).
pub fn content_cells(kind: ItemKind, c: &ItemContent) -> (Vec<String>, String, String) {
    let mut options = vec![String::new(); OPTION_LABELS.len()];
    for (i, o) in c.options.iter().enumerate().take(OPTION_LABELS.len()) {
        options[i] = o.clone();
    }
    let (answer, scoring) = match &c.answer {
        Answer::SingleChoice { label } => (label.to_string(), String::new()),
        Answer::MultipleChoice { labels } => (labels.iter().collect(), String::new()),
        Answer::TrueFalse { correct } => ((if *correct { "正确" } else { "错误" }).to_owned(), String::new()),
        Answer::ShortAnswer { reference } => (reference.clone(), String::new()),
        Answer::Practical { scoring } => (
            String::new(),
            scoring.iter().map(|p| format!("{}|{}", p.description, p.points)).collect::<Vec<_>>().join("\n"),
        ),
    };
    let _ = kind;
    (options, answer, scoring)
}

/// The list's items with their content, as the import template's columns plus number, version and
/// status (question bank officer only; the store audits the export).
pub async fn export_items(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ReadQuestionItems) {
        return Err(forbidden());
    }
    let items = state.store.export_items(&staff.principal, &query_of(&q)?, &staff.ctx).await?;
    let mut headers = vec!["试题编号", "版本", "状态", "考核项目"];
    headers.extend(template_headers());
    let rows = items
        .into_iter()
        .map(|(s, c)| {
            let (options, answer, scoring) = content_cells(s.kind, &c);
            let mut row = vec![
                s.id.to_string(),
                s.version.to_string(),
                s.status.label().to_owned(),
                s.project_name.clone(),
                s.kind.label().to_owned(),
                s.task.to_string(),
                s.difficulty.label().to_owned(),
                s.points.to_string(),
                c.stem.clone(),
            ];
            row.extend(options);
            row.extend([answer, scoring]);
            row
        })
        .collect();
    let bytes = xlsx::write(&[xlsx::Sheet { name: "试题", headers: &headers, rows }]).map_err(AppError::Internal)?;
    Ok(xlsx::download("qbank-items.xlsx", bytes))
}
