//! F2 (issue 11): a station filing's projects are the catalog's current projects. What an applicant
//! types in a project cell — the project code (`0001`), the name (`米粉制作`) or both (`0001 米粉制作`,
//! as the form's choices read) — is looked up among the projects in pilot or in force; the application
//! keeps the catalog's name and each `filing_projects` row its code (m0017). A cell that names no
//! current project is refused beside it (`PROJECT_NOT_IN_CATALOG`), at a draft's save and again at
//! submission (a project stopped meanwhile can no longer be applied for). An assessor's project cell is
//! read the same way, so a code there names the same project. Rows saved as free text before the
//! catalog existed keep their name and no code, and display as they were.

use crate::entity::project;
use crate::{Store, StoreResult};
use domain::projects::{CatalogStatus, ProjectState};
use domain::stations::ApplicationInput;
use domain::{FieldError, FieldErrors};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// A project a station may apply for: in the catalog, in pilot or in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogChoice {
    pub code: String,
    pub name: String,
    pub status: CatalogStatus,
}

/// The states whose projects a station may apply for (the catalog's current projects).
const CURRENT: [ProjectState; 2] = [ProjectState::Pilot, ProjectState::InForce];

/// The catalog project a typed cell names, if any: its code, its name, or the code, a space and the
/// name.
fn find<'a>(catalog: &'a [CatalogChoice], typed: &str) -> Option<&'a CatalogChoice> {
    let t = typed.trim();
    if let Some(c) = catalog.iter().find(|c| c.code == t || c.name == t) {
        return Some(c);
    }
    let (code, name) = t.split_once(char::is_whitespace)?;
    catalog.iter().find(|c| c.code == code && c.name == name.trim())
}

/// The application with every project cell that names a current catalog project replaced by that
/// project's name (an assessor's project cell too), the code of each project name, and an error for
/// every filled project cell that names none.
pub(super) fn link(
    input: &ApplicationInput,
    catalog: &[CatalogChoice],
) -> (ApplicationInput, HashMap<String, String>, FieldErrors) {
    let mut linked = input.clone();
    let mut codes = HashMap::new();
    let mut errors = FieldErrors::new();
    for (i, cell) in linked.projects.iter_mut().enumerate().filter(|(_, p)| !p.trim().is_empty()) {
        match find(catalog, cell) {
            Some(c) => {
                *cell = c.name.clone();
                codes.insert(c.name.clone(), c.code.clone());
            }
            None => errors.push(FieldError::new(
                format!("projects[{i}]"),
                "PROJECT_NOT_IN_CATALOG",
                format!(
                    "“{}”不是考核项目目录中试点或全省推行的项目，请从目录中选择（填写项目代码或名称）",
                    cell.trim()
                ),
            )),
        }
    }
    for a in linked.assessors.iter_mut().filter(|a| !a.project.trim().is_empty()) {
        if let Some(c) = find(catalog, &a.project) {
            a.project = c.name.clone();
        }
    }
    (linked, codes, errors)
}

impl Store {
    /// F2: the catalog's current projects (in pilot or in force), by code — what a station may apply
    /// for; the filing form offers them.
    pub async fn current_catalog_projects(&self) -> StoreResult<Vec<CatalogChoice>> {
        let rows = project::Entity::find()
            .filter(project::Column::State.is_in(CURRENT))
            .filter(project::Column::Code.is_not_null())
            .order_by_asc(project::Column::Code)
            .all(self.reader())
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|m| {
                let status = m.state.catalog_status()?;
                Some(CatalogChoice { code: m.code?, name: m.name, status })
            })
            .collect())
    }

    /// The application linked to the current catalog ([`link`]).
    pub(super) async fn link_to_catalog(
        &self,
        input: &ApplicationInput,
    ) -> StoreResult<(ApplicationInput, HashMap<String, String>, FieldErrors)> {
        Ok(link(input, &self.current_catalog_projects().await?))
    }
}

/// Add the errors of `more` whose field has none in `errors` yet (a cell with a format error is not
/// also told it is not in the catalog).
pub(super) fn merge(errors: &mut FieldErrors, more: FieldErrors) {
    for e in more.0 {
        if !errors.0.iter().any(|x| x.field == e.field) {
            errors.push(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Vec<CatalogChoice> {
        vec![
            CatalogChoice { code: "0001".into(), name: "米粉制作".into(), status: CatalogStatus::InForce },
            CatalogChoice { code: "0002".into(), name: "莓茶制作".into(), status: CatalogStatus::Pilot },
        ]
    }

    #[test]
    fn f2_a_code_a_name_or_both_name_a_catalog_project_and_anything_else_is_refused_beside_its_cell() {
        let mut input = ApplicationInput::example();
        input.projects = vec!["0002".into(), String::new(), " 0001 米粉制作 ".into(), "湘菜烹饪".into()];
        input.assessors[0].project = "0002".into();
        let (linked, codes, errors) = link(&input, &catalog());
        assert_eq!(linked.projects, ["莓茶制作", "", "米粉制作", "湘菜烹饪"]);
        assert_eq!(linked.assessors[0].project, "莓茶制作");
        assert_eq!(codes.get("米粉制作").map(String::as_str), Some("0001"));
        assert_eq!(errors.0.len(), 1);
        assert_eq!((errors.0[0].field.as_str(), errors.0[0].code), ("projects[3]", "PROJECT_NOT_IN_CATALOG"));
        assert!(errors.0[0].detail.contains("“湘菜烹饪”不是考核项目目录中"), "{}", errors.0[0].detail);
    }
}
