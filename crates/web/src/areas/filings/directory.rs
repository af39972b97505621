//! The public directory of filed stations (S5): no sign-in, searchable by city, project, institution
//! code and name; a page per station (`/stations/{code}`) and its API counterpart.

use super::api::StationListingDto;
use crate::AppState;
use crate::api::ErrorEnvelope;
use crate::error::{ApiError, PageError};
use crate::extract::{Path, Query};
use crate::view::{Pager, filter_query};
use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use store::filings::{DirectoryQuery, StationListing};
use store::{PageReq, StoreError};

#[derive(Template, WebTemplate)]
#[template(path = "public/stations.html")]
pub struct StationsPage {
    title: &'static str,
    q: String,
    city: String,
    cities: Vec<(&'static str, &'static str)>,
    stations: Vec<StationListing>,
    pager: Pager,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    city: Option<String>,
    /// One of the station's projects, exactly (a project's name links here).
    project: Option<String>,
    page: Option<u64>,
}

/// S5: the directory of filed stations, searchable by city, project and name.
pub async fn stations(State(state): State<AppState>, Query(q): Query<SearchQuery>) -> Result<StationsPage, PageError> {
    let query = DirectoryQuery { city: q.city.as_deref(), q: q.q.as_deref(), project: q.project.as_deref() };
    let page = state.store.public_stations(&query, PageReq::new(q.page, Some(30))).await?;
    let fq = filter_query(&[("city", q.city.clone()), ("q", q.q.clone()), ("project", q.project.clone())]);
    let pager = Pager::of(&page, "/stations", &fq);
    Ok(StationsPage {
        pager,
        title: "考核站名录",
        q: q.q.unwrap_or_default(),
        city: q.city.unwrap_or_default(),
        cities: domain::ids::HUNAN_CITIES.to_vec(),
        stations: page.items,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "public/station.html")]
pub struct StationPage {
    title: String,
    st: StationListing,
    filed_on: String,
    /// Each project with its catalog code when it is a current catalog project (F2: linked to its page).
    projects: Vec<(String, Option<String>)>,
}

/// S5: one filed station (code, name, address, projects, filing date, status); a code never given, or
/// a station suspended or revoked, is a public 404. Each project in the catalog links to its page (F2).
pub async fn station(State(state): State<AppState>, Path(code): Path<String>) -> Result<Response, PageError> {
    let st = match state.store.public_station(&code).await {
        Err(StoreError::NotFound) => return Ok(crate::error::public_error_page(StatusCode::NOT_FOUND, None)),
        other => other?,
    };
    let catalog = state.store.current_catalog_projects().await?;
    let projects = st
        .projects
        .iter()
        .map(|name| (name.clone(), catalog.iter().find(|c| &c.name == name).map(|c| c.code.clone())))
        .collect();
    Ok(StationPage { title: st.name.clone(), filed_on: crate::view::date_opt(st.filed_on), st, projects }
        .into_response())
}

/// S5: one filed station by its institution code (no sign-in); 404 when no filed station has it.
#[utoipa::path(get, path = "/api/v1/stations/{code}", tag = "filings", params(("code" = String, Path, description = "机构编码")), security(()), responses((status = 200, body = StationListingDto), (status = 404, body = ErrorEnvelope)))]
pub async fn station_api(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<StationListingDto>, ApiError> {
    Ok(Json(state.store.public_station(&code).await?.into()))
}
