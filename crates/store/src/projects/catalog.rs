//! F2: the public catalog of assessment projects ("由省鉴定中心向社会动态公布"), and P8's question whether
//! a project may hold an exam on a date.
//!
//! Only public states are listed (`ProjectState::is_public`: pilot, in force, stopped — a stopped
//! project keeps its page so a certificate issued under it can be traced). A row shows the code, name,
//! the development unit (or, for an adopted project, who published it), the catalog status, the
//! publication date, the pilot's last day while in pilot, and the stations filed for it — the filings
//! in state `filed` one of whose projects (`filing_projects`) carries the project's code (a row typed
//! as free text before the catalog existed, without a code: exactly the project's name), read in one
//! query for the page's rows. A project's public page adds its provenance, its specification,
//! its training materials (P7) and its public change history: publication, roll-out, stop and an
//! approved adoption, with their dates. No caller is needed: these reads take no `Principal`.

use super::{
    ProjectState, Provenance, fields_of, material_view, org_names, owner_name, provenance_of, specification_of,
};
use crate::entity::{filing, filing_project, project, project_material, workflow_event};
use crate::{Page, PageReq, Store, StoreError, StoreResult};
use domain::projects::{self, CatalogStatus, ExamRefusal, ProjectEventKind, Specification};
use domain::stations::FilingState;
use domain::workflow::SubjectKind;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CatalogQuery {
    /// Within the name or the code.
    pub q: Option<String>,
    /// One catalog status; none: every public project.
    pub status: Option<CatalogStatus>,
}

/// A filed station that assesses a project (S5, F2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationRef {
    pub institution_code: Option<String>,
    pub institution_name: String,
}

/// A project in the public catalog.
#[derive(Debug, Clone)]
pub struct CatalogProject {
    pub id: i64,
    pub code: Option<String>,
    pub name: String,
    /// The development unit, or who published an adopted project (P1).
    pub developer: String,
    pub status: CatalogStatus,
    pub publication_date: Option<Date>,
    /// P8: the pilot's last day, while in pilot.
    pub pilot_end: Option<Date>,
    pub stations: Vec<StationRef>,
}

/// A training material on a project's public page (P7).
pub type CatalogMaterial = super::MaterialView;

/// A change of a public project, in the order it happened (F2): publication, roll-out, stop, an
/// approved adoption.
#[derive(Debug, Clone)]
pub struct CatalogChange {
    pub kind: ProjectEventKind,
    /// When it was recorded.
    pub at: OffsetDateTime,
    /// The date it took effect, where the step names one (the publication date).
    pub effective: Option<Date>,
    pub comment: String,
}

/// A project's public page (F2).
#[derive(Debug, Clone)]
pub struct CatalogProjectDetail {
    pub project: CatalogProject,
    pub provenance: Option<Provenance>,
    pub specification: Option<Specification>,
    pub fields: Vec<String>,
    pub materials: Vec<CatalogMaterial>,
    pub changes: Vec<CatalogChange>,
}

/// The public step a recorded transition was, from its states (the catalog's history reads only
/// these).
fn public_change(from: &str, to: &str) -> Option<ProjectEventKind> {
    let from: ProjectState = from.parse().ok()?;
    let to: ProjectState = to.parse().ok()?;
    Some(match (from, to) {
        (ProjectState::Established, ProjectState::Pilot) => ProjectEventKind::Publish,
        (ProjectState::Pilot, ProjectState::InForce) => ProjectEventKind::RollOut,
        (_, ProjectState::Stopped) => ProjectEventKind::Stop,
        (ProjectState::AdoptionSubmitted, ProjectState::Pilot | ProjectState::InForce) => {
            ProjectEventKind::ApproveAdoption
        }
        _ => return None,
    })
}

impl Store {
    /// The catalog's rows for `rows` (public projects): owners, stations and pilot ends in one query
    /// each.
    async fn catalog_rows(&self, rows: Vec<project::Model>) -> StoreResult<Vec<CatalogProject>> {
        let orgs = org_names(self.reader(), rows.iter().filter_map(|m| m.devunit_org_id).collect()).await?;
        // F2: a filing's project row names the project by its catalog code (m0017); a row typed as free
        // text before the catalog existed has no code and is matched by its exact name.
        let codes: Vec<String> = rows.iter().filter_map(|m| m.code.clone()).collect();
        let names: Vec<String> = rows.iter().map(|m| m.name.clone()).collect();
        let mut stations: HashMap<i64, Vec<StationRef>> = HashMap::new();
        if !names.is_empty() {
            let listed = filing_project::Entity::find()
                .filter(
                    sea_orm::Condition::any().add(filing_project::Column::Code.is_in(codes)).add(
                        sea_orm::Condition::all()
                            .add(filing_project::Column::Code.is_null())
                            .add(filing_project::Column::Name.is_in(names)),
                    ),
                )
                .all(self.reader())
                .await?;
            let filed = filing::Entity::find()
                .filter(filing::Column::Id.is_in(listed.iter().map(|l| l.filing_id).collect::<Vec<_>>()))
                .filter(filing::Column::State.eq(FilingState::Filed))
                .order_by_asc(filing::Column::InstitutionCode)
                .all(self.reader())
                .await?;
            for f in filed {
                for l in listed.iter().filter(|l| l.filing_id == f.id) {
                    let project = rows.iter().find(|m| match &l.code {
                        Some(code) => m.code.as_ref() == Some(code),
                        None => m.name == l.name,
                    });
                    if let Some(m) = project {
                        stations.entry(m.id).or_default().push(StationRef {
                            institution_code: f.institution_code.clone(),
                            institution_name: f.institution_name.clone(),
                        });
                    }
                }
            }
        }
        let pilots: Vec<Date> =
            rows.iter().filter(|m| m.state == ProjectState::Pilot).filter_map(|m| m.publication_date).collect();
        let months: Vec<u32> = self.policy_parsed_on_each(domain::policy::keys::PILOT_MAX_MONTHS, &pilots).await?;
        let ends: HashMap<Date, Date> =
            pilots.iter().zip(months).map(|(d, n)| (*d, projects::pilot_end(*d, n))).collect();
        rows.into_iter()
            .map(|m| {
                let status = m
                    .state
                    .catalog_status()
                    .ok_or_else(|| StoreError::corrupt(format!("project {}", m.id), "listed but not public"))?;
                Ok(CatalogProject {
                    id: m.id,
                    developer: owner_name(&m, &orgs)?,
                    status,
                    publication_date: m.publication_date,
                    pilot_end: (m.state == ProjectState::Pilot)
                        .then(|| m.publication_date.and_then(|d| ends.get(&d).copied()))
                        .flatten(),
                    stations: stations.get(&m.id).cloned().unwrap_or_default(),
                    code: m.code,
                    name: m.name,
                })
            })
            .collect()
    }

    /// F2: the public catalog, paged, by code.
    pub async fn catalog_projects(&self, q: &CatalogQuery, page: PageReq) -> StoreResult<Page<CatalogProject>> {
        let states: Vec<ProjectState> = match q.status {
            Some(s) => projects::public_states().into_iter().filter(|st| st.catalog_status() == Some(s)).collect(),
            None => projects::public_states(),
        };
        let mut sel = project::Entity::find().filter(project::Column::State.is_in(states));
        if let Some(t) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            sel = sel.filter(
                sea_orm::Condition::any().add(project::Column::Name.contains(t)).add(project::Column::Code.contains(t)),
            );
        }
        let rows = crate::fetch_page(self.reader(), sel, project::Column::Code, false, page).await?;
        let items = self.catalog_rows(rows.items).await?;
        Ok(Page { items, total: rows.total, page: rows.page, per_page: rows.per_page })
    }

    /// F2: one public project by its code; any other code (or a project not public) is not found.
    pub async fn catalog_project(&self, code: &str) -> StoreResult<CatalogProjectDetail> {
        let m = project::Entity::find()
            .filter(project::Column::Code.eq(code.trim()))
            .one(self.reader())
            .await?
            .filter(|m| m.state.is_public())
            .ok_or(StoreError::NotFound)?;
        let id = m.id;
        let provenance = provenance_of(&m)?;
        let rule = super::name_rule(m.origin);
        let specification = Specification::parse_with(&specification_of(&m)?, rule).ok();
        let events = workflow_event::Entity::find()
            .filter(workflow_event::Column::SubjectKind.eq(SubjectKind::Project))
            .filter(workflow_event::Column::SubjectId.eq(id.to_string()))
            .order_by_asc(workflow_event::Column::Id)
            .all(self.reader())
            .await?;
        let publication = m.publication_date;
        let changes = events
            .into_iter()
            .filter_map(|e| {
                let kind = public_change(&e.from_state, &e.to_state)?;
                let effective = matches!(kind, ProjectEventKind::Publish | ProjectEventKind::ApproveAdoption)
                    .then_some(publication)
                    .flatten();
                Some(CatalogChange { kind, at: e.at, effective, comment: e.comment })
            })
            .collect();
        let materials = project_material::Entity::find()
            .filter(project_material::Column::ProjectId.eq(id))
            .order_by_asc(project_material::Column::Id)
            .all(self.reader())
            .await?
            .into_iter()
            .map(material_view)
            .collect();
        let fields = fields_of(self.reader(), vec![id]).await?.remove(&id).unwrap_or_default();
        let project = self.catalog_rows(vec![m]).await?.remove(0);
        Ok(CatalogProjectDetail { project, provenance, specification, fields, materials, changes })
    }

    /// P8: whether the project may hold an exam on `on` (`domain::projects::may_hold_exam`): in the
    /// catalog, not stopped, on or after its publication date and, in pilot, no later than the pilot's
    /// last day — counted under the pilot length (`project.pilot_max_months`) in force on the
    /// publication date, the day the pilot started. Not found for an unknown project.
    pub async fn may_hold_exam(&self, project_id: i64, on: Date) -> StoreResult<Result<(), ExamRefusal>> {
        let m = project::Entity::find_by_id(project_id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        let counted_from = m.publication_date.unwrap_or(on);
        let months: u32 =
            self.policy_parsed(domain::policy::keys::PILOT_MAX_MONTHS, counted_from, &mut Default::default()).await?;
        Ok(projects::may_hold_exam(m.state, m.publication_date, months, on))
    }
}
