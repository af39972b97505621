//! S5: the public directory of filed stations ("在人社厅网站公布"): filed ones only — suspended and
//! revoked stations are off it — searchable by city, by institution code, by name and by project; one
//! station by its code. The catalog of projects (F2), with the stations filed for each, is
//! `store::projects::catalog`.

use super::{FilingState, application_of, project_contains, projects_of, with_project};
use crate::entity::filing;
use crate::{Page, PageReq, Store, StoreError, StoreResult};
use domain::ids::shanghai_date;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
use time::Date;

/// A filed station in the public directory (S5).
#[derive(Debug, Clone)]
pub struct StationListing {
    pub institution_code: String,
    pub name: String,
    pub city: String,
    pub city_name: String,
    pub projects: Vec<String>,
    pub address: String,
    pub contact_phone: String,
    pub filed_on: Option<Date>,
}

/// What the directory is asked for: a city, free text (a station's institution code, its name or a
/// project's name contains it), an exact project.
#[derive(Debug, Clone, Default)]
pub struct DirectoryQuery<'a> {
    pub city: Option<&'a str>,
    pub q: Option<&'a str>,
    pub project: Option<&'a str>,
}

impl Store {
    pub async fn public_stations(
        &self,
        query: &DirectoryQuery<'_>,
        page: PageReq,
    ) -> StoreResult<Page<StationListing>> {
        let mut sel = filing::Entity::find().filter(filing::Column::State.eq(FilingState::Filed));
        if let Some(c) = query.city.map(str::trim).filter(|c| !c.is_empty()) {
            sel = sel.filter(filing::Column::ApplicantCity.eq(c));
        }
        if let Some(q) = query.q.map(str::trim).filter(|s| !s.is_empty()) {
            sel = sel.filter(
                Condition::any()
                    .add(filing::Column::InstitutionCode.contains(q))
                    .add(filing::Column::InstitutionName.contains(q))
                    .add(project_contains(q)),
            );
        }
        if let Some(project) = query.project.map(str::trim).filter(|s| !s.is_empty()) {
            sel = sel.filter(with_project(project));
        }
        let rows = crate::fetch_page(self.reader(), sel, filing::Column::InstitutionCode, false, page).await?;
        let items = self.listings(&rows.items).await?;
        Ok(Page { items, total: rows.total, page: rows.page, per_page: rows.per_page })
    }

    /// One filed station by its institution code (S5); a code never given, or a station suspended or
    /// revoked, is not found.
    pub async fn public_station(&self, code: &str) -> StoreResult<StationListing> {
        let m = filing::Entity::find()
            .filter(filing::Column::State.eq(FilingState::Filed))
            .filter(filing::Column::InstitutionCode.eq(code.trim()))
            .one(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(self.listings(std::slice::from_ref(&m)).await?.remove(0))
    }

    /// Directory rows of filed stations (their projects in one query).
    async fn listings(&self, rows: &[filing::Model]) -> StoreResult<Vec<StationListing>> {
        let mut projects = projects_of(self.reader(), rows.iter().map(|m| m.id).collect()).await?;
        rows.iter()
            .map(|m| {
                let app = application_of(m)?;
                let corrupt =
                    |what: &str| StoreError::corrupt(format!("filing {} {what}", m.id), "a filed station lacks it");
                Ok(StationListing {
                    institution_code: m.institution_code.clone().ok_or_else(|| corrupt("institution code"))?,
                    name: m.institution_name.clone(),
                    city_name: domain::ids::RegionCode::parse(&m.applicant_city)
                        .ok()
                        .and_then(|c| c.city_name())
                        .ok_or_else(|| corrupt("city"))?
                        .to_string(),
                    city: m.applicant_city.clone(),
                    projects: projects.remove(&m.id).unwrap_or_default(),
                    address: app.address,
                    contact_phone: app.contact_phone,
                    filed_on: m.decided_at.map(shanghai_date),
                })
            })
            .collect()
    }
}
