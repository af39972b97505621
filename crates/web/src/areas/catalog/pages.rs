//! The catalog's pages (F2): the list (`/catalog`), its .xlsx export (`/catalog/export.xlsx`) and a
//! project's page (`/catalog/{code}`); an unknown or unpublished code is a public 404.

use super::api::{CatalogParams, CatalogProjectDetailDto, CatalogProjectDto};
use crate::AppState;
use crate::error::{AppError, PageError};
use crate::extract::{Path, Query};
use crate::view::{Pager, filter_query};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::projects::CatalogStatus;
use store::{PageReq, StoreError};

/// Rows per page of the list.
const PER_PAGE: u64 = 30;
/// The export's rows at most (the whole catalog in practice).
const EXPORT_MAX: u64 = 100_000;

#[derive(Template, WebTemplate)]
#[template(path = "public/catalog.html")]
pub struct CatalogPage {
    title: &'static str,
    q: String,
    status: String,
    statuses: Vec<(&'static str, &'static str)>,
    projects: Vec<CatalogProjectDto>,
    pager: Pager,
    export: String,
}

fn statuses() -> Vec<(&'static str, &'static str)> {
    CatalogStatus::ALL.iter().map(|s| (s.id(), s.label())).collect()
}

/// F2: the published projects by code, searchable by name or code, filtered by status, 30 a page.
pub async fn catalog(State(state): State<AppState>, Query(q): Query<CatalogParams>) -> Result<CatalogPage, PageError> {
    let query = q.query()?;
    let page = state.store.catalog_projects(&query, PageReq::new(q.page, Some(PER_PAGE))).await?;
    let fq = filter_query(&[("q", q.q.clone()), ("status", q.status.clone())]);
    let pager = Pager::of(&page, "/catalog", &fq);
    let export = if fq.is_empty() { "/catalog/export.xlsx".to_string() } else { format!("/catalog/export.xlsx?{fq}") };
    Ok(CatalogPage {
        title: "考核项目目录",
        q: q.q.unwrap_or_default(),
        status: q.status.unwrap_or_default(),
        statuses: statuses(),
        projects: page.items.into_iter().map(Into::into).collect(),
        pager,
        export,
    })
}

/// F2: the catalog as listed (the same search and filter, every row) in an .xlsx workbook.
pub async fn export(State(state): State<AppState>, Query(q): Query<CatalogParams>) -> Result<Response, PageError> {
    let query = q.query()?;
    let page = state.store.catalog_projects(&query, PageReq { page: 1, per_page: EXPORT_MAX }).await?;
    let rows = page
        .items
        .into_iter()
        .map(|p| {
            let p = CatalogProjectDto::from(p);
            vec![
                p.code.unwrap_or_default(),
                p.name,
                p.developer,
                p.status_label,
                p.publication_date.unwrap_or_default(),
                p.pilot_end.unwrap_or_default(),
                p.stations
                    .iter()
                    .map(|s| match &s.institution_code {
                        Some(c) => format!("{}（{c}）", s.institution_name),
                        None => s.institution_name.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join("、"),
            ]
        })
        .collect();
    let headers =
        ["项目代码", "项目名称", "开发单位（发布机构）", "项目状态", "发布日期", "试点截止日期", "已备案考核站"];
    let bytes = crate::xlsx::write(&[crate::xlsx::Sheet { name: "考核项目目录", headers: &headers, rows }])
        .map_err(AppError::Internal)?;
    Ok(crate::xlsx::download("catalog.xlsx", bytes))
}

#[derive(Template, WebTemplate)]
#[template(path = "public/catalog_project.html")]
pub struct ProjectPage {
    title: String,
    d: CatalogProjectDetailDto,
}

/// F2: one published project's page; a code never given, or a project not (or no longer) public, is a
/// public 404.
pub async fn project(State(state): State<AppState>, Path(code): Path<String>) -> Result<Response, PageError> {
    let d = match state.store.catalog_project(&code).await {
        Err(StoreError::NotFound) => return Ok(crate::error::public_error_page(StatusCode::NOT_FOUND, None)),
        other => other?,
    };
    let d = CatalogProjectDetailDto::from(d);
    Ok(ProjectPage { title: d.project.name.clone(), d }.into_response())
}

/// P7, F2: the file of a public project's training material or exam guide (404 for anything else).
pub async fn material_file(
    State(state): State<AppState>,
    Path((code, material)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    match state.store.catalog_material_file(&code, material).await {
        Ok((meta, bytes)) => Ok(crate::areas::projects::api::file_response(&meta, bytes)),
        Err(StoreError::NotFound) => Ok(crate::error::public_error_page(StatusCode::NOT_FOUND, None)),
        Err(e) => Err(e.into()),
    }
}
