//! Organisations and users (R1, R2): the province center and 14 city centers seeded by migration;
//! stations, development units and other institutions with credit code, nature, address and region;
//! users with roles and a data scope. Every read applies the caller's scope.

use crate::audit::{AuditDraft, append};
use domain::audit::AuditAction;
use crate::auth::hash_password;
use crate::entity::{login_throttle, org, user, user_role};
use crate::error::require;
use crate::{Ctx, Page, PageReq, Store, StoreError, StoreResult, now};
use domain::authz::{self, Action};
use domain::ids::{CreditCode, IdNumber, PersonName, Phone, RegionCode, Username};
use domain::org::{DataScope, Location, Nature, OrgKind, Principal, Role};
use domain::{FieldError, FieldErrors};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Clone, Serialize)]
pub struct OrgView {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub nature: Option<String>,
    pub nature_label: String,
    pub credit_code: Option<String>,
    pub credit_code_warning: bool,
    pub region_code: String,
    pub city_code: Option<String>,
    pub city_name: String,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub status: String,
    pub created_at: String,
}

fn org_view(m: org::Model) -> OrgView {
    let kind = OrgKind::parse(&m.kind);
    let city_name = m
        .city_code
        .as_deref()
        .and_then(|c| RegionCode::parse(c).ok())
        .and_then(|c| c.city_name())
        .unwrap_or("省本级")
        .to_string();
    OrgView {
        id: m.id,
        kind_label: kind.map(|k| k.label()).unwrap_or("").to_string(),
        nature_label: m.nature.as_deref().and_then(Nature::parse).map(|n| n.label()).unwrap_or("").to_string(),
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
        created_at: crate::fmt_time(m.created_at),
    }
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

#[derive(Debug, Clone, Serialize)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub org_id: i64,
    pub org_name: String,
    pub roles: Vec<Role>,
    pub role_labels: String,
    pub scope: String,
    pub status: String,
    pub must_change_password: bool,
    pub totp_enabled: bool,
    pub phone: String,
    pub id_number_masked: String,
    pub last_login_at: String,
    pub created_at: String,
}

/// A user as typed into the form or API body.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct UserInput {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    pub org_id: Option<i64>,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub id_number: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserQuery {
    pub q: Option<String>,
    pub role: Option<String>,
    pub org_id: Option<i64>,
    pub status: Option<String>,
}

/// Changes an administrator may make to a user.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct UserChange {
    pub display_name: Option<String>,
    pub phone: Option<String>,
    pub roles: Option<Vec<String>>,
    pub status: Option<String>,
}

fn user_view(u: user::Model, roles: Vec<Role>, org_name: String) -> UserView {
    UserView {
        id: u.id,
        role_labels: roles.iter().map(|r| r.label()).collect::<Vec<_>>().join("、"),
        roles,
        scope: match u.scope_kind.as_str() {
            "province" => "全省",
            "city" => "本市州",
            "org" => "本单位",
            _ => "本人",
        }
        .to_string(),
        username: u.username,
        display_name: u.display_name,
        org_id: u.org_id,
        org_name,
        status: u.status,
        must_change_password: u.must_change_password,
        totp_enabled: u.totp_enabled,
        phone: u.phone,
        id_number_masked: u.id_number_masked.unwrap_or_default(),
        last_login_at: u.last_login_at.map(crate::fmt_time).unwrap_or_default(),
        created_at: crate::fmt_time(u.created_at),
    }
}

fn scope_condition(scope: &DataScope) -> Condition {
    match scope {
        DataScope::Province => Condition::all(),
        DataScope::City(c) => Condition::all().add(org::Column::CityCode.eq(c.clone())),
        DataScope::Org(o) => Condition::all().add(org::Column::Id.eq(*o)),
        DataScope::Person(_) => Condition::all().add(org::Column::Id.eq(-1)),
    }
}

fn parse_roles(raw: &[String], granter: &Principal, org_kind: OrgKind) -> Result<Vec<Role>, FieldError> {
    let err = |d: String| FieldError::new("roles", "ROLE_INVALID", d);
    if raw.is_empty() {
        return Err(FieldError::new("roles", "REQUIRED", "请至少选择一个角色"));
    }
    let grantable = authz::grantable_roles(&granter.roles);
    let mut roles = Vec::new();
    for r in raw {
        let role = Role::parse(r.trim()).ok_or_else(|| err(format!("未知角色：{r}")))?;
        if !grantable.contains(&role) {
            return Err(err(format!("您无权授予角色「{}」", role.label())));
        }
        if !role.allowed_org_kinds().contains(&org_kind) {
            return Err(err(format!("角色「{}」不能授予{}的人员", role.label(), org_kind.label())));
        }
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    if authz::separated_roles_conflict(&roles) {
        return Err(err("系统管理员、安全管理员、审计管理员须由不同人员担任".into()));
    }
    roles.sort();
    Ok(roles)
}

impl Store {
    async fn org_in_scope<C: sea_orm::ConnectionTrait>(
        &self,
        conn: &C,
        p: &Principal,
        id: i64,
    ) -> StoreResult<org::Model> {
        let m = org::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)?;
        if !p.scope.covers(&org_location(&m)) {
            return Err(StoreError::NotFound);
        }
        Ok(m)
    }

    pub async fn list_orgs(&self, p: &Principal, q: &OrgQuery, page: PageReq) -> StoreResult<Page<OrgView>> {
        require(p, Action::ListOrgs)?;
        let mut sel = org::Entity::find().filter(scope_condition(&p.scope));
        if let Some(text) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            sel = sel.filter(
                Condition::any()
                    .add(org::Column::Name.contains(text))
                    .add(org::Column::CreditCode.contains(text.to_uppercase())),
            );
        }
        if let Some(k) = q.kind.as_deref().filter(|s| !s.is_empty()) {
            sel = sel.filter(org::Column::Kind.eq(k));
        }
        if let Some(c) = q.city.as_deref().filter(|s| !s.is_empty()) {
            sel = sel.filter(org::Column::CityCode.eq(c));
        }
        Ok(crate::fetch_page(&self.db, sel, org::Column::Id, false, page).await?.map(org_view))
    }

    pub async fn get_org(&self, p: &Principal, id: i64) -> StoreResult<OrgView> {
        let m = self.org_in_scope(&self.db, p, id).await?;
        require(p, Action::ListOrgs)?;
        Ok(org_view(m))
    }

    /// Parse and check an organisation, all errors at once.
    fn parse_org(&self, p: &Principal, input: &OrgInput) -> Result<org::ActiveModel, FieldErrors> {
        let mut errs = FieldErrors::new();
        let name = input.name.trim();
        if name.chars().count() < 2 || name.chars().count() > 100 {
            errs.push(FieldError::new("name", "NAME_LENGTH", "机构名称应为 2 至 100 个字"));
        }
        let kind = OrgKind::parse(input.kind.trim());
        match kind {
            None => errs.push(FieldError::new("kind", "REQUIRED", "请选择机构类别")),
            Some(OrgKind::ProvinceCenter | OrgKind::CityCenter) => {
                errs.push(FieldError::new("kind", "ORG_KIND_SEEDED", "省、市州鉴定中心由系统预置，不能新增"))
            }
            _ => {}
        }
        let nature = Nature::parse(input.nature.trim());
        if nature.is_none() {
            errs.push(FieldError::new("nature", "REQUIRED", "请选择机构性质"));
        }
        let mut warning = false;
        let code = input.credit_code.trim();
        let credit = if code.is_empty() {
            errs.push(FieldError::new("credit_code", "REQUIRED", "请填写统一社会信用代码"));
            None
        } else if input.accept_credit_warning {
            if !matches!(p.scope, DataScope::Province) {
                errs.push(FieldError::new(
                    "credit_code",
                    "CREDIT_CODE_WARNING_PROVINCE_ONLY",
                    "校验位不符的信用代码仅可由省鉴定中心确认接收",
                ));
                None
            } else {
                errs.take(CreditCode::parse_with_warning(code)).map(|(c, w)| {
                    warning = w.is_some();
                    c
                })
            }
        } else {
            errs.take(CreditCode::parse(code))
        };
        let region = errs.take(RegionCode::parse(input.region_code.trim()));
        let city = region.as_ref().and_then(|r| r.city()).filter(|c| c.is_hunan_city());
        if region.is_some() && city.is_none() {
            errs.push(FieldError::new("region_code", "REGION_NOT_HUNAN", "所在地区须为湖南省的市州或区县行政区划代码"));
        }
        if let (DataScope::City(mine), Some(c)) = (&p.scope, &city)
            && c.as_str() != mine
        {
            errs.push(FieldError::new("region_code", "REGION_OUT_OF_SCOPE", "只能登记本市州辖区内的机构"));
        }
        if input.address.trim().chars().count() < 5 {
            errs.push(FieldError::new("address", "ADDRESS_REQUIRED", "请填写详细地址（不少于 5 个字）"));
        }
        let contact = errs.take(PersonName::parse(&input.contact_name).map_err(|e| e.for_field("contact_name")));
        let phone = errs.take(Phone::parse(&input.contact_phone).map_err(|e| e.for_field("contact_phone")));
        errs.into_result()?;
        let at = now();
        Ok(org::ActiveModel {
            name: Set(name.to_string()),
            kind: Set(kind.map(|k| k.id().to_string()).unwrap_or_default()),
            nature: Set(nature.map(|n| n.id().to_string())),
            credit_code: Set(credit.map(|c| c.as_str().to_string())),
            credit_code_warning: Set(warning),
            region_code: Set(region.map(|r| r.as_str().to_string()).unwrap_or_default()),
            city_code: Set(city.map(|c| c.as_str().to_string())),
            address: Set(input.address.trim().to_string()),
            contact_name: Set(contact.map(|c| c.as_str().to_string()).unwrap_or_default()),
            contact_phone: Set(phone.map(|c| c.as_str().to_string()).unwrap_or_default()),
            status: Set("active".into()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        })
    }

    async fn check_org_unique<C: sea_orm::ConnectionTrait>(
        &self,
        conn: &C,
        am: &org::ActiveModel,
        except: Option<i64>,
    ) -> StoreResult<()> {
        let mut errs = FieldErrors::new();
        let name = am.name.clone().unwrap();
        let mut q = org::Entity::find().filter(org::Column::Name.eq(name));
        if let Some(id) = except {
            q = q.filter(org::Column::Id.ne(id));
        }
        if q.one(conn).await?.is_some() {
            errs.push(FieldError::new("name", "ORG_NAME_TAKEN", "已有同名机构"));
        }
        if let Some(code) = am.credit_code.clone().unwrap() {
            let mut q = org::Entity::find().filter(org::Column::CreditCode.eq(code));
            if let Some(id) = except {
                q = q.filter(org::Column::Id.ne(id));
            }
            if q.one(conn).await?.is_some() {
                errs.push(FieldError::new("credit_code", "CREDIT_CODE_TAKEN", "该统一社会信用代码已登记"));
            }
        }
        Ok(errs.into_result()?)
    }

    pub async fn create_org(&self, p: &Principal, input: &OrgInput, ctx: &Ctx) -> StoreResult<i64> {
        require(p, Action::ManageOrgs)?;
        let am = self.parse_org(p, input)?;
        let txn = self.db.begin().await?;
        self.check_org_unique(&txn, &am, None).await?;
        let m = am.insert(&txn).await?;
        append(&txn, self.hash_alg(), ctx, AuditDraft::new(AuditAction::OrgCreated, m.id, json!({
            "name": m.name, "kind": m.kind, "credit_code": m.credit_code, "credit_code_warning": m.credit_code_warning,
        })))
        .await?;
        txn.commit().await?;
        Ok(m.id)
    }

    pub async fn update_org(&self, p: &Principal, id: i64, input: &OrgInput, ctx: &Ctx) -> StoreResult<()> {
        let txn = self.db.begin().await?;
        let old = self.org_in_scope(&txn, p, id).await?;
        require(p, Action::ManageOrgs)?;
        if matches!(OrgKind::parse(&old.kind), Some(OrgKind::ProvinceCenter | OrgKind::CityCenter)) {
            return Err(StoreError::Conflict(FieldError::new(
                "kind",
                "ORG_KIND_SEEDED",
                "省、市州鉴定中心为系统预置机构，不能修改",
            )));
        }
        let mut am = self.parse_org(p, input)?;
        self.check_org_unique(&txn, &am, Some(id)).await?;
        am.id = Set(id);
        am.created_at = Set(old.created_at);
        am.status = Set(old.status.clone());
        let m = am.update(&txn).await?;
        append(
            &txn,
            self.hash_alg(),
            ctx,
            AuditDraft::new(AuditAction::OrgUpdated, id, json!({ "name": m.name, "before": old.name })),
        )
        .await?;
        txn.commit().await?;
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
                        .add(org::Column::Kind.is_in(["province_center", "city_center"])),
                ),
            )
            .one(&self.db)
            .await?;
        m.ok_or(StoreError::NotFound)
    }

    async fn user_view<C: sea_orm::ConnectionTrait>(
        &self,
        conn: &C,
        u: user::Model,
        org_name: String,
    ) -> StoreResult<UserView> {
        let roles = self.roles_of(conn, u.id).await?;
        Ok(user_view(u, roles, org_name))
    }

    pub(crate) async fn user_in_scope<C: sea_orm::ConnectionTrait>(
        &self,
        conn: &C,
        p: &Principal,
        id: i64,
    ) -> StoreResult<(user::Model, org::Model)> {
        let u = user::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)?;
        let o = org::Entity::find_by_id(u.org_id).one(conn).await?.ok_or(StoreError::NotFound)?;
        let loc = Location { city: o.city_code.clone(), org_id: Some(o.id), person_id: Some(u.id) };
        if !p.scope.covers(&loc) {
            return Err(StoreError::NotFound);
        }
        Ok((u, o))
    }

    pub async fn list_users(&self, p: &Principal, q: &UserQuery, page: PageReq) -> StoreResult<Page<UserView>> {
        require(p, Action::ListUsers)?;
        let orgs: Vec<(i64, String)> = org::Entity::find()
            .filter(scope_condition(&p.scope))
            .select_only()
            .column(org::Column::Id)
            .column(org::Column::Name)
            .into_tuple()
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = orgs.iter().map(|(i, _)| *i).collect();
        let mut sel = user::Entity::find().filter(user::Column::OrgId.is_in(ids));
        if let Some(text) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            sel = sel.filter(
                Condition::any()
                    .add(user::Column::Username.contains(text))
                    .add(user::Column::DisplayName.contains(text)),
            );
        }
        if let Some(o) = q.org_id {
            sel = sel.filter(user::Column::OrgId.eq(o));
        }
        if let Some(s) = q.status.as_deref().filter(|s| !s.is_empty()) {
            sel = sel.filter(user::Column::Status.eq(s));
        }
        if let Some(r) = q.role.as_deref().filter(|s| !s.is_empty()) {
            let with_role: Vec<i64> = user_role::Entity::find()
                .filter(user_role::Column::Role.eq(r))
                .select_only()
                .column(user_role::Column::UserId)
                .into_tuple()
                .all(&self.db)
                .await?;
            sel = sel.filter(user::Column::Id.is_in(with_role));
        }
        let rows = crate::fetch_page(&self.db, sel, user::Column::Id, false, page).await?;
        let (total, rows) = (rows.total, rows.items);
        // The roles of the whole page in one query.
        let ids: Vec<i64> = rows.iter().map(|u| u.id).collect();
        let all_roles = user_role::Entity::find().filter(user_role::Column::UserId.is_in(ids)).all(&self.db).await?;
        let items = rows
            .into_iter()
            .map(|u| {
                let org_name = orgs.iter().find(|(i, _)| *i == u.org_id).map(|(_, n)| n.clone()).unwrap_or_default();
                let mut roles: Vec<Role> =
                    all_roles.iter().filter(|r| r.user_id == u.id).filter_map(|r| Role::parse(&r.role)).collect();
                roles.sort();
                user_view(u, roles, org_name)
            })
            .collect();
        Ok(Page { items, total, page: page.page, per_page: page.per_page })
    }

    pub async fn get_user(&self, p: &Principal, id: i64) -> StoreResult<UserView> {
        let (u, o) = self.user_in_scope(&self.db, p, id).await?;
        if u.id != p.user_id {
            require(p, Action::ListUsers)?;
        }
        self.user_view(&self.db, u, o.name).await
    }

    /// The full ID number of a user, for roles that need it; the read is audited.
    pub async fn reveal_id_number(&self, p: &Principal, id: i64, ctx: &Ctx) -> StoreResult<Option<String>> {
        let (u, _) = self.user_in_scope(&self.db, p, id).await?;
        require(p, Action::ManageUsers)?;
        let Some(enc) = u.id_number_enc else { return Ok(None) };
        let plain = self.crypto.decrypt(&enc, b"id_number").map_err(|e| StoreError::Internal(e.to_string()))?;
        self.audit(ctx, AuditDraft::new(AuditAction::UserIdNumberRevealed, id, json!({}))).await?;
        Ok(Some(String::from_utf8_lossy(&plain).into_owned()))
    }

    pub async fn create_user(&self, p: &Principal, input: &UserInput, ctx: &Ctx) -> StoreResult<i64> {
        require(p, Action::ManageUsers)?;
        let settings = self.security_settings().await?;
        let mut errs = FieldErrors::new();
        let username = errs.take(Username::parse(&input.username));
        let display = errs.take(PersonName::parse(&input.display_name).map_err(|e| e.for_field("display_name")));
        let org = match input.org_id {
            None => {
                errs.push(FieldError::new("org_id", "REQUIRED", "请选择所属机构"));
                None
            }
            Some(id) => match self.org_in_scope(&self.db, p, id).await {
                Ok(o) => Some(o),
                Err(StoreError::NotFound) => {
                    errs.push(FieldError::new("org_id", "ORG_NOT_FOUND", "所属机构不存在或不在您的管辖范围内"));
                    None
                }
                Err(e) => return Err(e),
            },
        };
        let org_kind = org.as_ref().and_then(|o| OrgKind::parse(&o.kind));
        let roles = match org_kind {
            Some(k) => errs.take(parse_roles(&input.roles, p, k)),
            None => None,
        };
        if let Err(e) = settings.password_policy().check(&input.password) {
            errs.push(e);
        }
        let phone = if input.phone.trim().is_empty() { None } else { errs.take(Phone::parse(&input.phone)) };
        let id_number =
            if input.id_number.trim().is_empty() { None } else { errs.take(IdNumber::parse(&input.id_number)) };
        errs.into_result()?;
        let (Some(username), Some(display), Some(org), Some(org_kind), Some(roles)) =
            (username, display, org, org_kind, roles)
        else {
            return Err(StoreError::Internal("checked above".into()));
        };
        let hash = hash_password(&input.password)?;
        let id_enc = match &id_number {
            Some(i) => Some(
                self.crypto
                    .encrypt(i.as_str().as_bytes(), b"id_number")
                    .map_err(|e| StoreError::Internal(e.to_string()))?,
            ),
            None => None,
        };
        let txn = self.db.begin().await?;
        if user::Entity::find().filter(user::Column::Username.eq(username.as_str())).one(&txn).await?.is_some() {
            return Err(FieldError::new("username", "USERNAME_TAKEN", "该用户名已被使用").into());
        }
        let scope = DataScope::derive(&roles, org_kind, org.id, org.city_code.as_deref(), 0);
        let at = now();
        let m = user::ActiveModel {
            username: Set(username.as_str().to_string()),
            display_name: Set(display.as_str().to_string()),
            org_id: Set(org.id),
            scope_kind: Set(scope.kind().to_string()),
            scope_city: Set(match &scope {
                DataScope::City(c) => Some(c.clone()),
                _ => None,
            }),
            password_hash: Set(hash),
            must_change_password: Set(true),
            status: Set("active".into()),
            totp_secret_enc: Set(None),
            totp_enabled: Set(false),
            totp_last_step: Set(None),
            phone: Set(phone.map(|p| p.as_str().to_string()).unwrap_or_default()),
            id_number_enc: Set(id_enc),
            id_number_idx: Set(id_number.as_ref().map(|i| self.crypto.blind_index(i.as_str().as_bytes()))),
            id_number_masked: Set(id_number.as_ref().map(|i| i.masked())),
            last_login_at: Set(None),
            password_changed_at: Set(at),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for r in &roles {
            user_role::ActiveModel { user_id: Set(m.id), role: Set(r.id().to_string()), ..Default::default() }
                .insert(&txn)
                .await?;
        }
        append(&txn, self.hash_alg(), ctx, AuditDraft::new(AuditAction::UserCreated, m.id, json!({
            "username": m.username, "org_id": org.id, "roles": roles.iter().map(|r| r.id()).collect::<Vec<_>>(), "scope": scope.kind(),
        })))
        .await?;
        txn.commit().await?;
        Ok(m.id)
    }

    pub async fn update_user(&self, p: &Principal, id: i64, change: &UserChange, ctx: &Ctx) -> StoreResult<()> {
        let txn = self.db.begin().await?;
        let (u, o) = self.user_in_scope(&txn, p, id).await?;
        require(p, Action::ManageUsers)?;
        let mut errs = FieldErrors::new();
        let display = change
            .display_name
            .as_ref()
            .and_then(|d| errs.take(PersonName::parse(d).map_err(|e| e.for_field("display_name"))));
        let phone = change.phone.as_ref().map(|ph| {
            if ph.trim().is_empty() {
                Some(String::new())
            } else {
                errs.take(Phone::parse(ph)).map(|x| x.as_str().to_string())
            }
        });
        let org_kind = OrgKind::parse(&o.kind).ok_or_else(|| StoreError::Internal("org kind".into()))?;
        let roles = change.roles.as_ref().and_then(|r| errs.take(parse_roles(r, p, org_kind)));
        if let Some(s) = &change.status
            && s != "active"
            && s != "disabled"
        {
            errs.push(FieldError::new("status", "STATUS_INVALID", "状态只能是“启用”或“停用”"));
        }
        if id == p.user_id && (change.roles.is_some() || change.status.as_deref() == Some("disabled")) {
            errs.push(FieldError::new("roles", "SELF_CHANGE", "不能修改本人的角色或停用本人账号"));
        }
        errs.into_result()?;
        let before_roles = self.roles_of(&txn, id).await?;
        let mut am = u.clone().into_active_model();
        if let Some(d) = display {
            am.display_name = Set(d.as_str().to_string());
        }
        if let Some(Some(ph)) = phone {
            am.phone = Set(ph);
        }
        if let Some(s) = &change.status {
            am.status = Set(s.clone());
        }
        if let Some(roles) = &roles {
            let scope = DataScope::derive(roles, org_kind, o.id, o.city_code.as_deref(), id);
            am.scope_kind = Set(scope.kind().to_string());
            am.scope_city = Set(match &scope {
                DataScope::City(c) => Some(c.clone()),
                _ => None,
            });
            user_role::Entity::delete_many().filter(user_role::Column::UserId.eq(id)).exec(&txn).await?;
            for r in roles {
                user_role::ActiveModel { user_id: Set(id), role: Set(r.id().to_string()), ..Default::default() }
                    .insert(&txn)
                    .await?;
            }
        }
        am.updated_at = Set(now());
        am.update(&txn).await?;
        append(
            &txn,
            self.hash_alg(),
            ctx,
            AuditDraft::new(AuditAction::UserUpdated, id,
                json!({
                    "roles_before": before_roles.iter().map(|r| r.id()).collect::<Vec<_>>(),
                    "roles_after": roles.as_ref().map(|rs| rs.iter().map(|r| r.id()).collect::<Vec<_>>()),
                    "status": change.status,
                }),
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Set a temporary password that must be changed at the next sign-in, and lift any lockout.
    pub async fn reset_password(&self, p: &Principal, id: i64, temporary: &str, ctx: &Ctx) -> StoreResult<()> {
        let settings = self.security_settings().await?;
        let txn = self.db.begin().await?;
        let (u, _) = self.user_in_scope(&txn, p, id).await?;
        require(p, Action::UnlockUsers)?;
        settings.password_policy().check(temporary)?;
        let name = u.username.clone();
        let mut am = u.into_active_model();
        am.password_hash = Set(hash_password(temporary)?);
        am.must_change_password = Set(true);
        am.updated_at = Set(now());
        am.update(&txn).await?;
        login_throttle::Entity::delete_by_id(name).exec(&txn).await?;
        append(&txn, self.hash_alg(), ctx, AuditDraft::new(AuditAction::UserPasswordReset, id, json!({}))).await?;
        txn.commit().await?;
        Ok(())
    }
}
