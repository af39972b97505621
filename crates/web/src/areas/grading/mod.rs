//! E5, E6: scores and the score register of an exam session (`store::grading`) over the API: the
//! score sheet (current or an earlier version), a candidate's scores, the import of many, the
//! register's steps (submit, confirm, return, correct), and a candidate's own confirmed results.

pub mod api;

use super::Area;
use crate::routes::Routes;
use utoipa_axum::routes;

pub fn area() -> Area {
    Area { name: "grading", routes, menu: &[], notices: &[], links: &[] }
}

fn routes(r: Routes) -> Routes {
    r.api(routes!(api::score_sheet))
        .api(routes!(api::enter_score))
        .api(routes!(api::import_scores))
        .api(routes!(api::act_on_register))
        .api(routes!(api::my_results))
}
