//! R1, R2: statistics (统计分析, `store::stats`). The province center sees every city (and picks one),
//! a city center its own: stations, exam sessions by month, candidates and pass rates, certificates by
//! city, project and month, fees and subsidy claims by city over a year or a range of
//! its months — `/stats` with a chart of each section drawn on the server as SVG (`charts`, plotters)
//! and its table under it, `/stats/export.xlsx` (one sheet per table), `GET /api/v1/stats` (`api`).

pub mod api;
pub mod charts;
pub mod dashboard;
pub mod tables;

use super::{Area, MenuEntry, Notice};
use crate::routes::Routes;
use domain::authz::Action;
use utoipa_axum::routes;

/// After 考核收费 (37), before 机构管理 (40): the figures the centers report from.
const MENU: &[MenuEntry] =
    &[MenuEntry { order: 38, label: "统计分析", href: "/stats", action: Some(Action::ViewStatistics) }];

const NOTICES: &[Notice] = &[];

pub fn area() -> Area {
    Area { name: "stats", routes, menu: MENU, notices: NOTICES, links: &[] }
}

fn routes(r: Routes) -> Routes {
    r.get("/stats", dashboard::dashboard).get("/stats/export.xlsx", dashboard::export).api(routes!(api::statistics_api))
}
