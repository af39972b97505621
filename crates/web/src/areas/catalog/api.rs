//! The catalog over the API (F2): `GET /api/v1/catalog` (the published projects, paged, searchable
//! and filtered by status) and `GET /api/v1/catalog/{code}` (one project's public page). No sign-in.

use crate::AppState;
use crate::api::{ErrorEnvelope, PageView};
use crate::error::ApiError;
use crate::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use store::PageReq;
use store::projects::{CatalogChange, CatalogMaterial, CatalogProject, CatalogProjectDetail, CatalogQuery, StationRef};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct CatalogParams {
    /// The project's name or code contains this.
    pub q: Option<String>,
    /// `pilot` (试点中), `in_force` (全省推行) or `stopped` (已停止); none: every published project.
    pub status: Option<String>,
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    pub page: Option<u64>,
    /// Rows per page, 1 to 200 (default 30).
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<u64>,
}

impl CatalogParams {
    /// The store's query; an unknown status is refused naming the field (FILTER_INVALID).
    pub fn query(&self) -> Result<CatalogQuery, crate::error::AppError> {
        Ok(CatalogQuery {
            q: self.q.clone(),
            status: crate::view::filter_value("status", "项目状态", self.status.as_deref())?,
        })
    }
}

/// A filed station that assesses the project; its page is `/stations/{institution_code}`.
#[derive(Serialize, ToSchema)]
#[schema(as = CatalogStation)]
pub struct CatalogStationDto {
    pub institution_code: Option<String>,
    pub institution_name: String,
}

impl From<StationRef> for CatalogStationDto {
    fn from(s: StationRef) -> Self {
        CatalogStationDto { institution_code: s.institution_code, institution_name: s.institution_name }
    }
}

/// A project of the public catalog.
#[derive(Serialize, ToSchema)]
#[schema(as = CatalogProject)]
pub struct CatalogProjectDto {
    /// The project code given when it was established or adopted.
    #[schema(example = "0001")]
    pub code: Option<String>,
    pub name: String,
    /// The development unit, or who published an adopted project (P1).
    pub developer: String,
    /// `pilot`, `in_force` or `stopped`.
    pub status: String,
    /// 试点中, 全省推行 or 已停止.
    pub status_label: String,
    /// `YYYY-MM-DD`.
    pub publication_date: Option<String>,
    /// The pilot's last day (`YYYY-MM-DD`), while in pilot (P8).
    pub pilot_end: Option<String>,
    pub stations: Vec<CatalogStationDto>,
}

impl From<CatalogProject> for CatalogProjectDto {
    fn from(p: CatalogProject) -> Self {
        CatalogProjectDto {
            code: p.code,
            name: p.name,
            developer: p.developer,
            status: p.status.id().to_string(),
            status_label: p.status.label().to_string(),
            publication_date: p.publication_date.map(|d| d.to_string()),
            pilot_end: p.pilot_end.map(|d| d.to_string()),
            stations: p.stations.into_iter().map(Into::into).collect(),
        }
    }
}

/// A work task of the specification with its weight.
#[derive(Serialize, ToSchema)]
#[schema(as = CatalogTask)]
pub struct CatalogTaskDto {
    pub name: String,
    /// Operating norms.
    pub norms: String,
    /// Related knowledge.
    pub knowledge: String,
    /// A whole percentage; the weights sum to 100.
    pub weight: u32,
}

/// The specification's summary (P3).
#[derive(Serialize, ToSchema)]
#[schema(as = CatalogSpecification)]
pub struct CatalogSpecificationDto {
    pub definition: String,
    /// Who the project is for.
    pub target_group: String,
    pub tasks: Vec<CatalogTaskDto>,
    /// The assessment method in words, with each part's share, duration and pass mark.
    pub method: String,
    /// Theory exam minutes (0 when the method has none).
    pub theory_minutes: u32,
    /// Practical assessment minutes (0 when the method has none).
    pub practical_minutes: u32,
}

/// Where an adopted project comes from (P1).
#[derive(Serialize, ToSchema)]
#[schema(as = CatalogProvenance)]
pub struct CatalogProvenanceDto {
    /// `national` or `other_province`.
    pub source: String,
    /// 人社部职业技能鉴定中心, or the province's name.
    pub publisher: String,
    pub original_code: String,
    /// `YYYY-MM-DD`.
    pub original_publication_date: String,
    /// The provenance in words.
    pub description: String,
}

/// A training material or exam guide (P7).
#[derive(Serialize, ToSchema)]
#[schema(as = CatalogMaterial)]
pub struct CatalogMaterialDto {
    /// `textbook` or `exam_guide`.
    pub kind: String,
    pub kind_label: String,
    pub title: String,
    pub publisher: String,
    pub year: i32,
    /// Where the material's file is downloaded, once the province uploaded one.
    pub file_url: Option<String>,
}

impl CatalogMaterialDto {
    fn of(code: &str, m: CatalogMaterial) -> Self {
        CatalogMaterialDto {
            file_url: m.file_id.map(|_| format!("/catalog/{code}/materials/{}/file", m.id)),
            kind: m.kind.id().to_string(),
            kind_label: m.kind.label().to_string(),
            title: m.title,
            publisher: m.publisher,
            year: m.year,
        }
    }
}

/// A public change of the project (publication, roll-out, stop, an approved adoption).
#[derive(Serialize, ToSchema)]
#[schema(as = CatalogChange)]
pub struct CatalogChangeDto {
    /// `publish`, `roll_out`, `stop` or `approve_adoption`.
    pub kind: String,
    pub label: String,
    /// When it was recorded (Asia/Shanghai, `YYYY-MM-DD HH:MM`).
    pub at: String,
    /// The date it took effect (`YYYY-MM-DD`), where the step names one.
    pub effective: Option<String>,
    pub comment: String,
}

impl From<CatalogChange> for CatalogChangeDto {
    fn from(c: CatalogChange) -> Self {
        CatalogChangeDto {
            kind: c.kind.id().to_string(),
            label: c.kind.label().to_string(),
            at: crate::view::shanghai(c.at),
            effective: c.effective.map(|d| d.to_string()),
            comment: c.comment,
        }
    }
}

/// One project's public page (F2).
#[derive(Serialize, ToSchema)]
#[schema(as = CatalogProjectDetail)]
pub struct CatalogProjectDetailDto {
    pub project: CatalogProjectDto,
    pub provenance: Option<CatalogProvenanceDto>,
    pub specification: Option<CatalogSpecificationDto>,
    /// The fields (specialties) the project belongs to.
    pub fields: Vec<String>,
    pub materials: Vec<CatalogMaterialDto>,
    pub changes: Vec<CatalogChangeDto>,
}

impl From<CatalogProjectDetail> for CatalogProjectDetailDto {
    fn from(d: CatalogProjectDetail) -> Self {
        // A public project always has its code (published or adopted).
        let code = d.project.code.clone().unwrap_or_default();
        CatalogProjectDetailDto {
            project: d.project.into(),
            provenance: d.provenance.map(|p| CatalogProvenanceDto {
                source: p.source.id().to_string(),
                publisher: p.publisher().to_string(),
                original_code: p.original_code.clone(),
                original_publication_date: p.original_publication_date.to_string(),
                description: p.describe(),
            }),
            specification: d.specification.map(|s| {
                let m = s.method();
                CatalogSpecificationDto {
                    definition: s.definition().to_string(),
                    target_group: s.target_group().to_string(),
                    tasks: s
                        .tasks()
                        .iter()
                        .map(|t| CatalogTaskDto {
                            name: t.name.clone(),
                            norms: t.norms.clone(),
                            knowledge: t.knowledge.clone(),
                            weight: t.weight,
                        })
                        .collect(),
                    method: m.describe(),
                    theory_minutes: m.theory.map_or(0, |p| p.minutes),
                    practical_minutes: m.practical.map_or(0, |p| p.minutes),
                }
            }),
            fields: d.fields,
            materials: d.materials.into_iter().map(|m| CatalogMaterialDto::of(&code, m)).collect(),
            changes: d.changes.into_iter().map(Into::into).collect(),
        }
    }
}

/// F2: the public catalog (no sign-in): the published projects by code, searchable by name or code and
/// filtered by status.
#[utoipa::path(get, path = "/api/v1/catalog", tag = "public", params(CatalogParams), security(()),
    responses((status = 200, body = PageView<CatalogProjectDto>),
    (status = 422, description = "筛选条件的取值无效（FILTER_INVALID）", body = ErrorEnvelope)))]
pub async fn catalog(
    State(state): State<AppState>,
    Query(q): Query<CatalogParams>,
) -> Result<Json<PageView<CatalogProjectDto>>, ApiError> {
    let query = q.query()?;
    Ok(Json(state.store.catalog_projects(&query, PageReq::new(q.page, q.per_page.or(Some(30)))).await?.into()))
}

/// F2: one published project by its code (no sign-in); 404 for a code never given or a project not
/// published.
#[utoipa::path(get, path = "/api/v1/catalog/{code}", tag = "public", params(("code" = String, Path, description = "项目代码")), security(()),
    responses((status = 200, body = CatalogProjectDetailDto), (status = 404, body = ErrorEnvelope)))]
pub async fn project(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<CatalogProjectDetailDto>, ApiError> {
    Ok(Json(state.store.catalog_project(&code).await?.into()))
}
