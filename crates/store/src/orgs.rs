//! Organisations (R1): the province center and 14 city centers seeded by migration; stations,
//! development units and other institutions with credit code, nature, address and region. Every read
//! applies the caller's scope. Kind, nature and status are `domain::org` enums from the table up.

use crate::audit::AuditDraft;
use crate::entity::org;
use crate::error::require;
use crate::{Ctx, Page, PageReq, Store, StoreError, StoreResult, now};
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::ids::{CreditCode, PersonName, Phone, RegionCode};
use domain::org::{DataScope, Location, Nature, OrgKind, OrgStatus, Principal};
use domain::{FieldError, FieldErrors};

use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Clone, Serialize)]
pub struct OrgView {
    pub id: i64,
    pub name: String,
    /// Serialised as its stored id (`devunit`, …), as the API always has.
    #[serde(serialize_with = "as_id")]
    pub kind: OrgKind,
    pub kind_label: String,
    #[serde(serialize_with = "opt_as_id")]
    pub nature: Option<Nature>,
    pub nature_label: String,
    pub credit_code: Option<String>,
    pub credit_code_warning: bool,
    pub region_code: String,
    pub city_code: Option<String>,
    pub city_name: String,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub status: OrgStatus,
    pub created_at: time::OffsetDateTime,
}

/// A `string_enum!` value as its stored id (its `Display`), whatever serde's name of the variant.
pub(crate) fn as_id<S: serde::Serializer, T: std::fmt::Display>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

pub(crate) fn opt_as_id<S: serde::Serializer, T: std::fmt::Display>(v: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

/// The name of an organisation's city, 省本级 for province-level ones; a stored city code that names
/// no Hunan city is a corrupt record.
fn city_name(m: &org::Model) -> StoreResult<&'static str> {
    let Some(code) = m.city_code.as_deref() else { return Ok("省本级") };
    let corrupt = |e: String| StoreError::corrupt(format!("org {} city code", m.id), e);
    RegionCode::parse(code)
        .map_err(|e| corrupt(e.detail))?
        .city_name()
        .ok_or_else(|| corrupt(format!("{code} names no Hunan city")))
}

fn org_view(m: org::Model) -> StoreResult<OrgView> {
    let city_name = city_name(&m)?.to_string();
    Ok(OrgView {
        id: m.id,
        kind_label: m.kind.label().to_string(),
        nature_label: m.nature.map(|n| n.label()).unwrap_or("").to_string(),
        name: m.name,
        kind: m.kind,
        nature: m.nature,
        credit_code: m.credit_code,
        credit_code_warning: m.credit_code_warning,
        region_code: m.region_code,
        city_code: m.city_code,
        city_name,
        address: m.address,
        contact_name: m.contact_name,
        contact_phone: m.contact_phone,
        status: m.status,
        created_at: m.created_at,
    })
}

fn org_location(m: &org::Model) -> Location {
    Location { city: m.city_code.clone(), org_id: Some(m.id), person_id: None }
}

/// An organisation as typed into the form or API body.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct OrgInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub nature: String,
    #[serde(default)]
    pub credit_code: String,
    /// Accept a credit code whose check character fails (early pilot codes), province only.
    #[serde(default)]
    pub accept_credit_warning: bool,
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub contact_phone: String,
}

/// Filters of the organisation list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OrgQuery {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub city: Option<String>,
}

/// An organisation that passed every check of [`Store::parse_org`]: what the row is written from.
struct OrgFields {
    name: String,
    kind: OrgKind,
    nature: Nature,
    credit_code: CreditCode,
    credit_code_warning: bool,
    region: RegionCode,
    /// `None` for a province-level organisation (region 430000).
    city: Option<RegionCode>,
    address: String,
    contact: PersonName,
    phone: Phone,
}

impl OrgFields {
    fn into_active_model(self) -> org::ActiveModel {
        let at = now();
        org::ActiveModel {
            name: Set(self.name),
            kind: Set(self.kind),
            nature: Set(Some(self.nature)),
            credit_code: Set(Some(self.credit_code.as_str().to_string())),
            credit_code_warning: Set(self.credit_code_warning),
            region_code: Set(self.region.as_str().to_string()),
            city_code: Set(self.city.map(|c| c.as_str().to_string())),
            address: Set(self.address),
            contact_name: Set(self.contact.as_str().to_string()),
            contact_phone: Set(self.phone.as_str().to_string()),
            status: Set(OrgStatus::Active),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
    }
}

/// The text of an optional filter, when one was given.
pub(crate) fn filter_text(q: &Option<String>) -> Option<&str> {
    q.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The organisations a scope covers (lists filter by it; a person sees no organisation list).
pub(crate) fn scope_condition(scope: &DataScope) -> Condition {
    match scope {
        DataScope::Province => Condition::all(),
        DataScope::City(c) => Condition::all().add(org::Column::CityCode.eq(c.clone())),
        DataScope::Org(o) => Condition::all().add(org::Column::Id.eq(*o)),
        DataScope::Person(_) => Condition::all().add(org::Column::Id.eq(-1)),
    }
}

fn org_name(input: &str) -> Result<String, FieldError> {
    domain::text::single_line("name", "机构名称", input)?;
    let name = input.trim();
    let len = name.chars().count();
    if len == 0 {
        return Err(FieldError::new("name", "NAME_LENGTH", "请填写机构名称"));
    }
    if (2..=100).contains(&len) {
        Ok(name.to_string())
    } else {
        Err(FieldError::new("name", "NAME_LENGTH", "机构名称应为 2 至 100 个字"))
    }
}

fn org_kind(input: &str) -> Result<OrgKind, FieldError> {
    match OrgKind::parse(input.trim()) {
        None => Err(FieldError::new("kind", "REQUIRED", "请选择机构类别")),
        Some(OrgKind::ProvinceCenter | OrgKind::CityCenter) => {
            Err(FieldError::new("kind", "ORG_KIND_SEEDED", "省、市州鉴定中心由系统预置，不能新增"))
        }
        Some(k) => Ok(k),
    }
}

/// The credit code and whether its check character failed (accepted by the province only).
fn credit_code(p: &Principal, input: &OrgInput) -> Result<(CreditCode, bool), FieldError> {
    let code = input.credit_code.trim();
    if code.is_empty() {
        Err(FieldError::new("credit_code", "REQUIRED", "请填写统一社会信用代码"))
    } else if !input.accept_credit_warning {
        Ok((CreditCode::parse(code)?, false))
    } else if matches!(p.scope, DataScope::Province) {
        CreditCode::parse_with_warning(code).map(|(c, w)| (c, w.is_some()))
    } else {
        Err(FieldError::new(
            "credit_code",
            "CREDIT_CODE_WARNING_PROVINCE_ONLY",
            "校验位不符的信用代码仅可由省鉴定中心确认接收",
        ))
    }
}

/// The region and its city: a Hunan city or county, within a city caller's own city; or the province
/// itself (430000, 省本级) for a provincial body — a provincial department, trade body, central or
/// provincial enterprise (P3 and S2 send such applicants straight to the province) — which only the
/// province registers.
fn region_and_city(p: &Principal, input: &str) -> Result<(RegionCode, Option<RegionCode>), FieldError> {
    let region = RegionCode::parse(input.trim())?; // blank: 请选择所在地区
    let out_of_scope = || {
        FieldError::new(
            "region_code",
            "REGION_OUT_OF_SCOPE",
            "只能登记本市州辖区内的机构（省本级机构由省鉴定中心登记）",
        )
    };
    if region.as_str() == domain::ids::PROVINCE.0 {
        return match p.scope {
            DataScope::Province => Ok((region, None)),
            _ => Err(out_of_scope()),
        };
    }
    let Some(city) = region.city().filter(|c| c.is_hunan_city()) else {
        return Err(FieldError::new(
            "region_code",
            "REGION_NOT_HUNAN",
            "所在地区须为湖南省的市州或区县行政区划代码（省本级机构填写 430000）",
        ));
    };
    if let DataScope::City(mine) = &p.scope
        && city.as_str() != mine
    {
        return Err(out_of_scope());
    }
    Ok((region, Some(city)))
}

fn address(input: &str) -> Result<String, FieldError> {
    domain::text::single_line("address", "详细地址", input)?;
    let a = input.trim();
    if a.chars().count() < 5 {
        return Err(FieldError::new("address", "ADDRESS_REQUIRED", "请填写详细地址（不少于 5 个字）"));
    }
    Ok(a.to_string())
}

impl Store {
    pub(crate) async fn org_in_scope<C: ConnectionTrait>(
        &self,
        conn: &C,
        p: &Principal,
        id: i64,
    ) -> StoreResult<org::Model> {
        // By role first, then the lookup (issue 8 item 8).
        require(p, Action::ListOrgs)?;
        let m = org::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)?;
        if !p.scope.covers(&org_location(&m)) {
            return Err(StoreError::NotFound);
        }
        Ok(m)
    }

    pub async fn list_orgs(&self, p: &Principal, q: &OrgQuery, page: PageReq) -> StoreResult<Page<OrgView>> {
        require(p, Action::ListOrgs)?;
        let mut sel = org::Entity::find().filter(scope_condition(&p.scope));
        if let Some(text) = filter_text(&q.q) {
            sel = sel.filter(
                Condition::any()
                    .add(org::Column::Name.contains(text))
                    .add(org::Column::CreditCode.contains(text.to_uppercase())),
            );
        }
        if let Some(k) = filter_text(&q.kind) {
            // An unknown kind matches no organisation.
            sel = sel.filter(match OrgKind::parse(k) {
                Some(k) => org::Column::Kind.eq(k),
                None => org::Column::Id.eq(-1),
            });
        }
        if let Some(c) = filter_text(&q.city) {
            sel = sel.filter(org::Column::CityCode.eq(c));
        }
        let rows = crate::fetch_page(self.reader(), sel, org::Column::Id, false, page).await?;
        let items = rows.items.into_iter().map(org_view).collect::<StoreResult<_>>()?;
        Ok(Page { items, total: rows.total, page: rows.page, per_page: rows.per_page })
    }

    pub async fn get_org(&self, p: &Principal, id: i64) -> StoreResult<OrgView> {
        org_view(self.org_in_scope(self.reader(), p, id).await?)
    }

    /// Parse and check an organisation, all errors at once.
    fn parse_org(&self, p: &Principal, input: &OrgInput) -> Result<OrgFields, FieldErrors> {
        let mut errs = FieldErrors::new();
        let name = errs.take(org_name(&input.name));
        let kind = errs.take(org_kind(&input.kind));
        let nature = errs.take(
            Nature::parse(input.nature.trim()).ok_or_else(|| FieldError::new("nature", "REQUIRED", "请选择机构性质")),
        );
        let credit = errs.take(credit_code(p, input));
        let region = errs.take(region_and_city(p, &input.region_code));
        let address = errs.take(address(&input.address));
        let contact = errs.take(
            crate::blank_or(&input.contact_name, "contact_name", "请填写联系人")
                .and_then(|s| PersonName::parse(s).map_err(|e| e.for_field("contact_name"))),
        );
        let phone = errs.take(
            crate::blank_or(&input.contact_phone, "contact_phone", "请填写联系电话")
                .and_then(|s| Phone::parse(s).map_err(|e| e.for_field("contact_phone"))),
        );
        // Every `None` above pushed its error.
        let (
            Some(name),
            Some(kind),
            Some(nature),
            Some((credit_code, credit_code_warning)),
            Some((region, city)),
            Some(address),
            Some(contact),
            Some(phone),
        ) = (name, kind, nature, credit, region, address, contact, phone)
        else {
            return Err(errs);
        };
        Ok(OrgFields { name, kind, nature, credit_code, credit_code_warning, region, city, address, contact, phone })
    }

    /// Name and credit code are unique (`except` the organisation being changed).
    async fn check_org_unique<C: ConnectionTrait>(
        &self,
        conn: &C,
        f: &OrgFields,
        except: Option<i64>,
    ) -> StoreResult<()> {
        let mut errs = FieldErrors::new();
        let taken = [
            (org::Column::Name.eq(f.name.as_str()), FieldError::new("name", "ORG_NAME_TAKEN", "已有同名机构")),
            (
                org::Column::CreditCode.eq(f.credit_code.as_str()),
                FieldError::new("credit_code", "CREDIT_CODE_TAKEN", "该统一社会信用代码已登记"),
            ),
        ];
        for (same, err) in taken {
            let mut q = org::Entity::find().filter(same);
            if let Some(id) = except {
                q = q.filter(org::Column::Id.ne(id));
            }
            if q.one(conn).await?.is_some() {
                errs.push(err);
            }
        }
        Ok(errs.into_result()?)
    }

    pub async fn create_org(&self, p: &Principal, input: &OrgInput, ctx: &Ctx) -> StoreResult<i64> {
        require(p, Action::ManageOrgs)?;
        let fields = self.parse_org(p, input)?;
        let step = self.step(p, ctx).await?;
        self.check_org_unique(&*step, &fields, None).await?;
        let m = fields.into_active_model().insert(&*step).await?;
        step.audit(AuditDraft::new(AuditAction::OrgCreated, m.id, json!({
            "name": m.name, "kind": m.kind.id(), "credit_code": m.credit_code, "credit_code_warning": m.credit_code_warning,
        })))
        .await?;
        step.commit().await?;
        Ok(m.id)
    }

    pub async fn update_org(&self, p: &Principal, id: i64, input: &OrgInput, ctx: &Ctx) -> StoreResult<()> {
        let step = self.step(p, ctx).await?;
        let old = self.org_in_scope(&*step, p, id).await?;
        require(p, Action::ManageOrgs)?;
        if matches!(old.kind, OrgKind::ProvinceCenter | OrgKind::CityCenter) {
            return Err(StoreError::Conflict(FieldError::new(
                "kind",
                "ORG_KIND_SEEDED",
                "省、市州鉴定中心为系统预置机构，不能修改",
            )));
        }
        let fields = self.parse_org(p, input)?;
        self.check_org_unique(&*step, &fields, Some(id)).await?;
        let mut am = fields.into_active_model();
        am.id = Set(id);
        am.created_at = Set(old.created_at);
        am.status = Set(old.status);
        let m = am.update(&*step).await?;
        step.audit(AuditDraft::new(AuditAction::OrgUpdated, id, json!({ "name": m.name, "before": old.name }))).await?;
        step.commit().await?;
        Ok(())
    }

    /// The organisation named by a CLI key: a region code for centers, a credit code for others.
    pub async fn find_org_by_key(&self, key: &str) -> StoreResult<org::Model> {
        let key = key.trim().to_uppercase();
        let m = org::Entity::find()
            .filter(
                Condition::any().add(org::Column::CreditCode.eq(key.clone())).add(
                    Condition::all()
                        .add(org::Column::RegionCode.eq(key.clone()))
                        .add(org::Column::Kind.is_in([OrgKind::ProvinceCenter, OrgKind::CityCenter])),
                ),
            )
            .one(self.reader())
            .await?;
        m.ok_or(StoreError::NotFound)
    }
}

/// The city a city-keyed read is about (a city center's blank stock, its fee ledger): a city center's
/// own — another city asked for is not found —, or for the province the Hunan city it asks for (`None`:
/// none asked, the whole province). A value that is not a Hunan city code is named (`FILTER_INVALID`).
pub(crate) fn asked_city(p: &Principal, asked: Option<&str>) -> StoreResult<Option<String>> {
    let asked = asked.map(str::trim).filter(|s| !s.is_empty());
    if let Some(a) = asked {
        RegionCode::parse_hunan_city(a).map_err(|_| {
            StoreError::Invalid(FieldErrors::from(FieldError::new(
                "city",
                "FILTER_INVALID",
                "筛选条件「市州」的取值无效，请从列表中选择",
            )))
        })?;
    }
    match &p.scope {
        DataScope::City(c) => match asked {
            Some(a) if a != c => Err(StoreError::NotFound),
            _ => Ok(Some(c.clone())),
        },
        DataScope::Province => Ok(asked.map(str::to_owned)),
        _ => Err(StoreError::NotFound),
    }
}

/// Whether the caller's scope covers a city's books (its blank stock, certificates, fees).
pub(crate) fn covers_city(p: &Principal, city: &str) -> bool {
    match &p.scope {
        DataScope::Province => true,
        DataScope::City(c) => c == city,
        _ => false,
    }
}
