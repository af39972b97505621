//! GB/T 2260 region codes for the forms' province → city → county picker (issue 9 item 8):
//! `GET /api/v1/regions` lists the divisions in force under a parent, public and long cached (the table
//! changes only with a release). The forms keep their 6-digit input; `static/app.js` adds the selects.

use super::Area;
use crate::api::ErrorEnvelope;
use crate::error::{ApiError, AppError};
use crate::extract::Query;
use crate::routes::Routes;
use axum::Json;
use axum::http::header;
use axum::response::IntoResponse;
use domain::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

pub fn area() -> Area {
    Area { name: "regions", routes, menu: &[], notices: &[], links: &[] }
}

fn routes(r: Routes) -> Routes {
    r.api(routes!(regions))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RegionParams {
    /// The division whose divisions are listed: a province (`430000`) lists its cities, a city
    /// (`430100`) its counties; without it, the provinces.
    parent: Option<String>,
}

/// One division in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct Region {
    /// GB/T 2260 code, e.g. `430104`.
    #[schema(example = "430104")]
    code: String,
    /// Its name, e.g. `岳麓区`.
    #[schema(example = "岳麓区")]
    name: String,
}

/// The divisions in force under a parent.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegionList {
    /// The parent asked for (null for the provinces).
    parent: Option<String>,
    /// The parent's name as read on a page, e.g. `长沙市` (null for the provinces).
    parent_name: Option<String>,
    regions: Vec<Region>,
}

/// The GB/T 2260 divisions in force under a parent (provinces, a province's cities, a city's counties),
/// by code; public, cached for a day.
#[utoipa::path(get, path = "/api/v1/regions", tag = "regions", params(RegionParams), security(()),
    responses((status = 200, body = RegionList),
        (status = 422, description = "parent 不是现行的省级或地市级行政区划代码（FILTER_INVALID）", body = ErrorEnvelope)))]
pub async fn regions(Query(q): Query<RegionParams>) -> Result<impl IntoResponse, ApiError> {
    let parent = q.parent.as_deref().map(str::trim).filter(|p| !p.is_empty());
    if let Some(p) = parent {
        let known = domain::ids::RegionCode::parse(p).is_ok();
        if !known || !p.ends_with("00") {
            return Err(ApiError(AppError::Invalid(FieldErrors::from(FieldError::new(
                "parent",
                "FILTER_INVALID",
                "上级行政区划代码应为现行的省级或地市级 6 位代码，如 430000、430100",
            )))));
        }
    }
    let list = RegionList {
        parent: parent.map(str::to_string),
        parent_name: parent.map(domain::ids::region_name),
        regions: domain::ids::children(parent)
            .into_iter()
            .map(|(code, name)| Region { code: code.to_string(), name: name.to_string() })
            .collect(),
    };
    Ok(([(header::CACHE_CONTROL, "public, max-age=86400")], Json(list)))
}
