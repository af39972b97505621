//! The public directory of filed stations (S5): no sign-in, searchable by city, project and name.

use crate::AppState;
use crate::error::PageError;
use crate::extract::Query;
use crate::view::{Pager, filter_query};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use serde::Deserialize;
use store::PageReq;
use store::filings::{DirectoryQuery, StationListing};

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
