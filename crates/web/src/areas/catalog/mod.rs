//! The public catalog of assessment projects (F2): the published projects (in pilot, rolled out
//! province-wide, or stopped) with their code, name, development unit or publisher, status, pilot end,
//! publication date and the filed stations that assess them; search by name or code, a status filter,
//! pages and an .xlsx export (`pages`); a page per project with its specification summary, provenance
//! (P1), training materials (P7, with their files to download) and public change history (P8); and both over the API (`api`). No
//! sign-in; every page is rate-limited as a public page and rendered once per public generation
//! (`Routes::cached`), which every published step bumps.

pub mod api;
pub mod pages;

use super::Area;
use crate::limits::LimitClass;
use crate::routes::Routes;
use utoipa_axum::routes;

pub fn area() -> Area {
    Area { name: "catalog", routes, menu: &[], notices: &[], links: &[] }
}

fn routes(r: Routes) -> Routes {
    r.get("/catalog", pages::catalog)
        .limited(LimitClass::PublicPage)
        .cached()
        .get("/catalog/export.xlsx", pages::export)
        .limited(LimitClass::PublicPage)
        .cached()
        .get("/catalog/{code}", pages::project)
        .limited(LimitClass::PublicPage)
        .cached()
        .get("/catalog/{code}/materials/{material}/file", pages::material_file)
        .limited(LimitClass::PublicPage)
        .api(routes!(api::catalog))
        .limited(LimitClass::PublicPage)
        .cached()
        .api(routes!(api::project))
        .limited(LimitClass::PublicPage)
        .cached()
}
