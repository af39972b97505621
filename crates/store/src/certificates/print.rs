//! C1: printing — the province's overlay printing (套打) layouts, and what a certificate's pages print
//! (the full ID number opened only for the overlay page, the issuing center's name, the holder's photo
//! from the roster), the layouts a print may use. A revoked
//! certificate is never printed (`CERTIFICATE_REVOKED`); a candidate downloads their own certificate only
//! once it is reported to the province (`CERTIFICATE_NOT_REPORTED`).

use crate::audit::AuditDraft;
use crate::entity::{certificate, certificate_layout, exam_candidate, org, user};
use crate::error::require;
use crate::orgs::covers_city;
use crate::{Ctx, Store, StoreError, StoreResult, now};
use domain::FieldError;
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::certificates::{CertificateStatus, Layout, LayoutInput, PlacementInput, TenthMm};
use domain::org::{OrgKind, Principal};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;
use time::OffsetDateTime;

use super::CertificateView;

/// A layout as the pages show it: as typed (to edit) and checked.
#[derive(Debug, Clone)]
pub struct LayoutView {
    pub id: i64,
    pub name: String,
    pub is_default: bool,
    pub input: LayoutInput,
    pub layout: Layout,
    pub updated_by: String,
    /// The person's name of `updated_by` (系统 for the migration's layout).
    pub updated_by_name: String,
    pub updated_at: OffsetDateTime,
}

/// A layout to save.
#[derive(Debug, Clone, Default)]
pub struct LayoutSave {
    pub name: String,
    /// Make it the one every overlay print uses.
    pub is_default: bool,
    pub layout: LayoutInput,
}

/// A certificate with what only printing needs.
#[derive(Debug, Clone)]
pub struct PrintCertificate {
    pub certificate: CertificateView,
    /// The full ID number (only the overlay page prints it).
    pub id_number: String,
    /// The issuing center's name.
    pub issuer: String,
    /// The holder's photo from the exam roster (admission ticket), if one was uploaded.
    pub photo: Option<crate::tickets::Photo>,
}

fn tenth(v: i32) -> TenthMm {
    TenthMm(u32::try_from(v).unwrap_or(0))
}

fn layout_view(m: certificate_layout::Model) -> StoreResult<LayoutView> {
    let placements: Vec<PlacementInput> = serde_json::from_str(&m.placements)
        .map_err(|e| StoreError::corrupt(format!("certificate_layouts {}", m.id), e))?;
    let input = LayoutInput {
        width_mm: tenth(m.width_tenth_mm).mm().to_string(),
        height_mm: tenth(m.height_tenth_mm).mm().to_string(),
        placements,
    };
    let layout = Layout::parse(&input)
        .map_err(|e| StoreError::corrupt(format!("certificate_layouts {}", m.id), format!("{e:?}")))?;
    Ok(LayoutView {
        id: m.id,
        name: m.name,
        is_default: m.is_default,
        input,
        layout,
        updated_by_name: m.updated_by.clone(),
        updated_by: m.updated_by,
        updated_at: m.updated_at,
    })
}

fn revoked(c: &certificate::Model) -> StoreError {
    StoreError::Conflict(FieldError::new(
        "certificate",
        "CERTIFICATE_REVOKED",
        format!("证书 {} 已注销，不能打印或下载", c.number),
    ))
}

impl Store {
    /// Every layout row, the default first, then by id.
    async fn layouts_default_first(&self) -> StoreResult<Vec<certificate_layout::Model>> {
        Ok(certificate_layout::Entity::find()
            .order_by_desc(certificate_layout::Column::IsDefault)
            .order_by_asc(certificate_layout::Column::Id)
            .all(self.reader())
            .await?)
    }

    /// C1: the province's overlay layouts, the default first.
    pub async fn list_layouts(&self, p: &Principal) -> StoreResult<Vec<LayoutView>> {
        require(p, Action::ManageCertificateLayouts)?;
        let rows = self.layouts_default_first().await?;
        let mut views: Vec<LayoutView> = rows.into_iter().map(layout_view).collect::<StoreResult<_>>()?;
        let names = self.names_of_users(views.iter().map(|l| l.updated_by.clone()).collect()).await?;
        for l in &mut views {
            l.updated_by_name = crate::users::name_or_user(&names, &l.updated_by);
        }
        Ok(views)
    }

    /// C1: one overlay layout.
    pub async fn get_layout(&self, p: &Principal, id: i64) -> StoreResult<LayoutView> {
        require(p, Action::ManageCertificateLayouts)?;
        let m = certificate_layout::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        layout_view(m)
    }

    /// C1: the layouts an overlay print may use (id, name, whether the default), the default first —
    /// for whoever prints certificates.
    pub async fn layout_choices(&self, p: &Principal) -> StoreResult<Vec<(i64, String, bool)>> {
        require(p, Action::ListCertificates)?;
        let rows = self.layouts_default_first().await?;
        Ok(rows.into_iter().map(|m| (m.id, m.name, m.is_default)).collect())
    }

    /// C1: the layout an overlay print uses: the one named, else the default. A layout that does not
    /// exist is `FILTER_INVALID` on `layout`.
    pub async fn layout_for_print(&self, p: &Principal, id: Option<i64>) -> StoreResult<Layout> {
        require(p, Action::ListCertificates)?;
        let Some(id) = id else { return Ok(self.default_layout().await?.layout) };
        match certificate_layout::Entity::find_by_id(id).one(self.reader()).await? {
            Some(m) => Ok(layout_view(m)?.layout),
            None => Err(StoreError::Invalid(
                FieldError::new("layout", "FILTER_INVALID", "所选套打模板不存在，请重新选择").into(),
            )),
        }
    }

    /// The layout every overlay print uses (the migration seeds one; the default can only be moved, never
    /// dropped).
    pub async fn default_layout(&self) -> StoreResult<LayoutView> {
        let m = certificate_layout::Entity::find()
            .filter(certificate_layout::Column::IsDefault.eq(true))
            .order_by_asc(certificate_layout::Column::Id)
            .one(self.reader())
            .await?
            .ok_or_else(|| StoreError::corrupt("certificate_layouts", "no default layout"))?;
        layout_view(m)
    }

    /// C1: the province saves an overlay layout — a new one (`id` None) or a change — checked whole
    /// (`Layout::parse`: every error names its field), the name required and unique. Made the default,
    /// the former default stops being it in the same step; the default cannot be un-defaulted
    /// (`LAYOUT_DEFAULT_REQUIRED`: make another the default instead).
    pub async fn save_layout(&self, p: &Principal, id: Option<i64>, input: &LayoutSave, ctx: &Ctx) -> StoreResult<i64> {
        require(p, Action::ManageCertificateLayouts)?;
        let existing = match id {
            Some(id) => {
                Some(certificate_layout::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?)
            }
            None => None,
        };
        let name = input.name.trim().to_owned();
        let mut errs = domain::FieldErrors::new();
        if name.is_empty() {
            errs.push(FieldError::new("name", "REQUIRED", "请填写模板名称"));
        } else if name.chars().count() > 60 {
            errs.push(FieldError::new("name", "TOO_LONG", "模板名称不得超过 60 个字"));
        } else if let Err(e) = domain::text::single_line("name", "模板名称", &name) {
            errs.push(e);
        } else {
            let same = certificate_layout::Entity::find()
                .filter(certificate_layout::Column::Name.eq(name.clone()))
                .one(self.reader())
                .await?;
            if same.is_some_and(|s| Some(s.id) != id) {
                errs.push(FieldError::new("name", "LAYOUT_NAME_TAKEN", format!("已有名为“{name}”的套打模板")));
            }
        }
        if existing.as_ref().is_some_and(|e| e.is_default) && !input.is_default {
            errs.push(FieldError::new(
                "is_default",
                "LAYOUT_DEFAULT_REQUIRED",
                "这是当前的默认模板；如需更换，请把另一个模板设为默认",
            ));
        }
        let layout = match Layout::parse(&input.layout) {
            Ok(l) => Some(l),
            Err(e) => {
                for f in e.0 {
                    errs.push(f);
                }
                None
            }
        };
        errs.into_result().map_err(StoreError::Invalid)?;
        let Some(layout) = layout else { return Err(StoreError::Invalid(domain::FieldErrors::new())) };
        // Keep the placements as typed, trimmed (what the edit form shows next time).
        let placements: Vec<PlacementInput> = input
            .layout
            .placements
            .iter()
            .map(|p| PlacementInput {
                field: p.field.trim().to_owned(),
                x_mm: p.x_mm.trim().to_owned(),
                y_mm: p.y_mm.trim().to_owned(),
                font_pt: p.font_pt.trim().to_owned(),
                width_mm: p.width_mm.trim().to_owned(),
                height_mm: p.height_mm.trim().to_owned(),
            })
            .collect();
        let json_placements =
            serde_json::to_string(&placements).map_err(|e| StoreError::corrupt("certificate_layouts", e))?;
        let step = self.step(p, ctx).await?;
        if input.is_default {
            certificate_layout::Entity::update_many()
                .col_expr(certificate_layout::Column::IsDefault, Expr::value(false))
                .filter(certificate_layout::Column::IsDefault.eq(true))
                .exec(&*step)
                .await?;
        }
        let mut am = certificate_layout::ActiveModel {
            name: Set(name.clone()),
            width_tenth_mm: Set(layout.width.0 as i32),
            height_tenth_mm: Set(layout.height.0 as i32),
            placements: Set(json_placements),
            is_default: Set(input.is_default),
            updated_by: Set(p.username.clone()),
            updated_at: Set(now()),
            ..Default::default()
        };
        let saved = match &existing {
            Some(e) => {
                am.id = Set(e.id);
                am.update(&*step).await?
            }
            None => am.insert(&*step).await.map_err(|e| match e.sql_err() {
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => StoreError::Invalid(
                    FieldError::new("name", "LAYOUT_NAME_TAKEN", format!("已有名为“{name}”的套打模板")).into(),
                ),
                _ => StoreError::Db(e),
            })?,
        };
        step.audit(AuditDraft::new(
            AuditAction::CertificateLayoutSaved,
            saved.id,
            json!({ "layout_id": saved.id, "name": name, "created": existing.is_none(), "is_default": input.is_default,
                    "width_mm": layout.width.mm(), "height_mm": layout.height.mm(), "placements": placements,
                    "before": existing.as_ref().map(|e| json!({ "name": e.name, "placements": e.placements,
                        "width_tenth_mm": e.width_tenth_mm, "height_tenth_mm": e.height_tenth_mm, "is_default": e.is_default })) }),
        ))
        .await?;
        step.commit().await?;
        Ok(saved.id)
    }

    /// The name of the center that issued certificates of `city` (its city center, by the org register):
    /// the one name the printed certificate, the verification page, the credential and the C2 export show.
    pub(crate) async fn issuer_of(&self, city: &str) -> StoreResult<String> {
        let center = org::Entity::find()
            .filter(org::Column::Kind.eq(OrgKind::CityCenter))
            .filter(org::Column::RegionCode.eq(city))
            .order_by_asc(org::Column::Id)
            .one(self.reader())
            .await?;
        Ok(center.map(|o| o.name).unwrap_or_else(|| format!("{}职业技能鉴定中心", domain::ids::region_name(city))))
    }

    async fn for_print(&self, c: certificate::Model) -> StoreResult<PrintCertificate> {
        self.for_print_all(vec![c]).await?.pop().ok_or(StoreError::NotFound)
    }

    /// What printing needs of `rows`, in their order: their views, candidates and issuers read once
    /// for all (a batch print is a handful of statements, not a few per certificate), the photos one
    /// object each.
    async fn for_print_all(&self, rows: Vec<certificate::Model>) -> StoreResult<Vec<PrintCertificate>> {
        let mut issuers = std::collections::HashMap::new();
        for c in &rows {
            if !issuers.contains_key(&c.city) {
                issuers.insert(c.city.clone(), self.issuer_of(&c.city).await?);
            }
        }
        let photo_rows: std::collections::HashMap<i64, exam_candidate::Model> = exam_candidate::Entity::find()
            .filter(exam_candidate::Column::Id.is_in(rows.iter().map(|c| c.candidate_id)))
            .filter(exam_candidate::Column::PhotoKey.is_not_null())
            .all(self.reader())
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
        let ids: Vec<(String, String, i64)> =
            rows.iter().map(|c| (c.id_number_enc.clone(), c.city.clone(), c.candidate_id)).collect();
        let views = self.certificate_views(rows).await?;
        let mut out = Vec::with_capacity(views.len());
        for (certificate, (enc, city, candidate_id)) in views.into_iter().zip(ids) {
            let photo = match photo_rows.get(&candidate_id) {
                Some(r) => Some(self.read_photo(r).await?),
                None => None,
            };
            out.push(PrintCertificate {
                certificate,
                id_number: self.open_id(&enc)?,
                issuer: issuers.get(&city).cloned().unwrap_or_default(),
                photo,
            });
        }
        Ok(out)
    }

    /// C1: a certificate in the caller's scope to print (a city center its city's, the province all);
    /// a revoked one is refused `CERTIFICATE_REVOKED`.
    pub async fn certificate_for_print(&self, p: &Principal, id: i64) -> StoreResult<PrintCertificate> {
        require(p, Action::ListCertificates)?;
        let c = certificate::Entity::find_by_id(id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        if !covers_city(p, &c.city) {
            return Err(StoreError::NotFound);
        }
        if c.status == CertificateStatus::Revoked {
            return Err(revoked(&c));
        }
        self.for_print(c).await
    }

    /// C1: batch print — every valid certificate of a session the caller sees, in the caller's scope, by
    /// serial. None: `CERTIFICATE_NONE_TO_PRINT`.
    pub async fn session_certificates_for_print(
        &self,
        p: &Principal,
        session_id: i64,
    ) -> StoreResult<Vec<PrintCertificate>> {
        self.session_in_scope(p, session_id).await?;
        require(p, Action::ListCertificates)?;
        let rows: Vec<certificate::Model> = certificate::Entity::find()
            .filter(certificate::Column::SessionId.eq(session_id))
            .filter(certificate::Column::Status.eq(CertificateStatus::Valid))
            .order_by_asc(certificate::Column::Serial)
            .all(self.reader())
            .await?
            .into_iter()
            .filter(|c| covers_city(p, &c.city))
            .collect();
        if rows.is_empty() {
            return Err(StoreError::Conflict(FieldError::new(
                "session",
                "CERTIFICATE_NONE_TO_PRINT",
                "本场考核没有可打印的有效证书",
            )));
        }
        self.for_print_all(rows).await
    }

    /// The candidate's ID-number blind index (the portal's match for their exams).
    async fn own_index(&self, p: &Principal) -> StoreResult<Option<String>> {
        let me = user::Entity::find_by_id(p.user_id).one(self.reader()).await?.ok_or(StoreError::NotFound)?;
        Ok(me.candidate_idx.or(me.id_number_idx))
    }

    /// C1: the candidate's own certificates (matched by their ID number's blind index), newest first.
    pub async fn my_certificates(&self, p: &Principal) -> StoreResult<Vec<CertificateView>> {
        require(p, Action::ViewOwnCertificates)?;
        let Some(idx) = self.own_index(p).await? else { return Ok(Vec::new()) };
        let rows = certificate::Entity::find()
            .filter(certificate::Column::IdNumberIdx.eq(idx))
            .order_by_desc(certificate::Column::Id)
            .all(self.reader())
            .await?;
        self.certificate_views(rows).await
    }

    /// C1: the candidate's own certificate to download: another person's is not found; a revoked one
    /// `CERTIFICATE_REVOKED`; one not yet reported to the province `CERTIFICATE_NOT_REPORTED`.
    pub async fn my_certificate_for_print(&self, p: &Principal, id: i64) -> StoreResult<PrintCertificate> {
        require(p, Action::ViewOwnCertificates)?;
        let idx = self.own_index(p).await?.ok_or(StoreError::NotFound)?;
        let c = certificate::Entity::find_by_id(id)
            .filter(certificate::Column::IdNumberIdx.eq(idx))
            .one(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        if c.status == CertificateStatus::Revoked {
            return Err(revoked(&c));
        }
        if c.reported_at.is_none() {
            return Err(StoreError::Conflict(FieldError::new(
                "certificate",
                "CERTIFICATE_NOT_REPORTED",
                "证书数据尚未上报省鉴定中心，上报后可下载",
            )));
        }
        self.for_print(c).await
    }
}
