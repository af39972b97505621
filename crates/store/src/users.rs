//! Users (R2): accounts of an organisation with one or more roles and exactly one data scope, the
//! principal a session resolves to, and the audited reveal of an ID number. Every read applies the
//! caller's scope. Roles, status and scope kind are `domain::org` enums from the table up; a stored
//! value that names none is a corrupt record, never a default.

use crate::audit::AuditDraft;
use crate::auth::hash_password;
use crate::entity::{org, user, user_role};
use crate::error::require;
use crate::orgs::{filter_text, scope_condition};
use crate::{Ctx, Page, PageReq, Store, StoreError, StoreResult, now};
use domain::audit::AuditAction;
use domain::authz::{self, Action};
use domain::ids::{IdNumber, PersonName, Phone, Username};
use domain::org::{DataScope, Location, OrgKind, Principal, Role, ScopeKind, UserStatus};
use domain::{FieldError, FieldErrors};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect,
    Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

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
    pub status: UserStatus,
    pub must_change_password: bool,
    pub totp_enabled: bool,
    pub phone: String,
    pub id_number_masked: String,
    pub last_login_at: Option<time::OffsetDateTime>,
    pub created_at: time::OffsetDateTime,
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
        scope: u.scope_kind.label().to_string(),
        username: u.username,
        display_name: u.display_name,
        org_id: u.org_id,
        org_name,
        status: u.status,
        must_change_password: u.must_change_password,
        totp_enabled: u.totp_enabled,
        phone: u.phone,
        id_number_masked: u.id_number_masked.unwrap_or_default(),
        last_login_at: u.last_login_at,
        created_at: u.created_at,
    }
}

/// The data scope stored on a user (kind and city); a city scope without its city is corrupt.
fn stored_scope(u: &user::Model) -> StoreResult<DataScope> {
    Ok(match u.scope_kind {
        ScopeKind::Province => DataScope::Province,
        ScopeKind::City => DataScope::City(
            u.scope_city
                .clone()
                .ok_or_else(|| StoreError::corrupt(format!("user {} scope", u.id), "a city scope without its city"))?,
        ),
        ScopeKind::Org => DataScope::Org(u.org_id),
        ScopeKind::Person => DataScope::Person(u.id),
    })
}

/// Store a scope on the user row: its kind, and the city of a city scope.
pub(crate) fn set_scope(am: &mut user::ActiveModel, scope: &DataScope) {
    am.scope_kind = Set(scope.kind());
    am.scope_city = Set(scope.city().map(str::to_owned));
}

/// The user's roles become `roles`, one row each.
pub(crate) async fn replace_roles<C: ConnectionTrait>(conn: &C, user_id: i64, roles: &[Role]) -> StoreResult<()> {
    user_role::Entity::delete_many().filter(user_role::Column::UserId.eq(user_id)).exec(conn).await?;
    for r in roles {
        user_role::ActiveModel { user_id: Set(user_id), role: Set(*r), ..Default::default() }.insert(conn).await?;
    }
    Ok(())
}

/// The roles a new account starts with. Who keeps accounts but grants no roles (the system
/// administrator, issue 8 item 9) creates it without any: the security administrator grants them.
fn initial_roles(raw: &[String], granter: &Principal, org_kind: OrgKind) -> Result<Vec<Role>, FieldError> {
    if granter.can(Action::GrantRoles) {
        return parse_roles(raw, granter, org_kind);
    }
    if raw.iter().any(|r| !r.trim().is_empty()) {
        return Err(FieldError::new(
            "roles",
            "ROLE_NOT_GRANTABLE",
            "系统管理员只建立账号，不授予角色：账号建立后由安全管理员授予角色",
        ));
    }
    Ok(Vec::new())
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

fn role_ids(roles: &[Role]) -> Vec<&'static str> {
    roles.iter().map(|r| r.id()).collect()
}

/// An optional field: empty means none; anything typed must parse.
fn optional<T>(raw: &str, parse: impl FnOnce(&str) -> Result<T, FieldError>) -> Result<Option<T>, FieldError> {
    if raw.trim().is_empty() { Ok(None) } else { parse(raw).map(Some) }
}

/// A user row by id; `NotFound` when there is none.
pub(crate) async fn user_by_id<C: ConnectionTrait>(conn: &C, id: i64) -> StoreResult<user::Model> {
    user::Entity::find_by_id(id)
        .one(conn)
        .await
        .map_err(StoreError::reading(format!("user {id}")))?
        .ok_or(StoreError::NotFound)
}

impl Store {
    pub(crate) async fn roles_of<C: ConnectionTrait>(&self, conn: &C, user_id: i64) -> StoreResult<Vec<Role>> {
        let mut roles: Vec<Role> = user_role::Entity::find()
            .filter(user_role::Column::UserId.eq(user_id))
            .all(conn)
            .await
            .map_err(StoreError::reading(format!("roles of user {user_id}")))?
            .into_iter()
            .map(|r| r.role)
            .collect();
        roles.sort();
        Ok(roles)
    }

    /// Who a user is when they act: roles, organisation and the scope stored on them.
    pub(crate) async fn principal_of<C: ConnectionTrait>(&self, conn: &C, u: &user::Model) -> StoreResult<Principal> {
        let roles = self.roles_of(conn, u.id).await?;
        let org = org::Entity::find_by_id(u.org_id)
            .one(conn)
            .await
            .map_err(StoreError::reading(format!("org {}", u.org_id)))?
            .ok_or(StoreError::NotFound)?;
        Ok(Principal {
            user_id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            org_id: u.org_id,
            org_name: org.name,
            roles,
            scope: stored_scope(u)?,
        })
    }

    pub(crate) async fn user_in_scope<C: ConnectionTrait>(
        &self,
        conn: &C,
        p: &Principal,
        id: i64,
    ) -> StoreResult<(user::Model, org::Model)> {
        // Decided by role before anything is looked up (issue 8 item 8): a role that may see no user
        // but itself is refused whatever the id; for one that may, missing and out of scope read alike.
        if id != p.user_id {
            require(p, Action::ListUsers)?;
        }
        let u = user_by_id(conn, id).await?;
        let o = org::Entity::find_by_id(u.org_id)
            .one(conn)
            .await
            .map_err(StoreError::reading(format!("org {}", u.org_id)))?
            .ok_or(StoreError::NotFound)?;
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
            .all(self.reader())
            .await?;
        let ids: Vec<i64> = orgs.iter().map(|(i, _)| *i).collect();
        let mut sel = user::Entity::find().filter(user::Column::OrgId.is_in(ids));
        if let Some(text) = filter_text(&q.q) {
            sel = sel.filter(
                Condition::any()
                    .add(user::Column::Username.contains(text))
                    .add(user::Column::DisplayName.contains(text)),
            );
        }
        if let Some(o) = q.org_id {
            sel = sel.filter(user::Column::OrgId.eq(o));
        }
        // An unknown status or role matches no user.
        if let Some(s) = filter_text(&q.status) {
            sel = sel.filter(match UserStatus::parse(s) {
                Some(s) => user::Column::Status.eq(s),
                None => user::Column::Id.eq(-1),
            });
        }
        if let Some(r) = filter_text(&q.role) {
            let with_role: Vec<i64> = match Role::parse(r) {
                Some(role) => {
                    user_role::Entity::find()
                        .filter(user_role::Column::Role.eq(role))
                        .select_only()
                        .column(user_role::Column::UserId)
                        .into_tuple()
                        .all(self.reader())
                        .await?
                }
                None => Vec::new(),
            };
            sel = sel.filter(user::Column::Id.is_in(with_role));
        }
        let rows = crate::fetch_page(self.reader(), sel, user::Column::Id, false, page).await?;
        let (total, rows) = (rows.total, rows.items);
        // The roles of the whole page in one query.
        let ids: Vec<i64> = rows.iter().map(|u| u.id).collect();
        let all_roles = user_role::Entity::find()
            .filter(user_role::Column::UserId.is_in(ids))
            .all(self.reader())
            .await
            .map_err(StoreError::reading("the roles of a page of users"))?;
        let items = rows
            .into_iter()
            .map(|u| {
                let org_name = orgs.iter().find(|(i, _)| *i == u.org_id).map(|(_, n)| n.clone()).unwrap_or_default();
                let mut roles: Vec<Role> = all_roles.iter().filter(|r| r.user_id == u.id).map(|r| r.role).collect();
                roles.sort();
                user_view(u, roles, org_name)
            })
            .collect();
        Ok(Page { items, total, page: page.page, per_page: page.per_page })
    }

    /// The names of the people behind user names, for pages that say who did something (a version of
    /// the policy, a record of the audit trail): `system` is 系统, the demo loader 演示数据; an unknown
    /// name is left out.
    pub async fn names_of_users(&self, wanted: Vec<String>) -> StoreResult<std::collections::HashMap<String, String>> {
        let mut names: std::collections::HashMap<String, String> = user::Entity::find()
            .filter(user::Column::Username.is_in(wanted.clone()))
            .all(self.reader())
            .await
            .map_err(StoreError::reading("the names of users"))?
            .into_iter()
            .map(|u| (u.username, u.display_name))
            .collect();
        for (who, name) in [("system", "系统"), ("demo", "演示数据")] {
            if wanted.iter().any(|w| w == who) {
                names.insert(who.into(), name.into());
            }
        }
        Ok(names)
    }

    pub async fn get_user(&self, p: &Principal, id: i64) -> StoreResult<UserView> {
        let (u, o) = self.user_in_scope(self.reader(), p, id).await?;
        let roles = self.roles_of(self.reader(), u.id).await?;
        Ok(user_view(u, roles, o.name))
    }

    /// The full ID number of a user, for roles that need it; the read is audited.
    pub async fn reveal_id_number(&self, p: &Principal, id: i64, ctx: &Ctx) -> StoreResult<Option<String>> {
        let (u, _) = self.user_in_scope(self.reader(), p, id).await?;
        require(p, Action::ManageUsers)?;
        let Some(enc) = u.id_number_enc else { return Ok(None) };
        let plain = self.crypto.decrypt(&enc, b"id_number").map_err(|e| StoreError::service("cipher", e))?;
        let number = String::from_utf8(plain).map_err(|e| StoreError::corrupt(format!("user {id} ID number"), e))?;
        self.audit(ctx, AuditDraft::new(AuditAction::UserIdNumberRevealed, id, json!({}))).await?;
        Ok(Some(number))
    }

    pub async fn create_user(&self, p: &Principal, input: &UserInput, ctx: &Ctx) -> StoreResult<i64> {
        require(p, Action::ManageUsers)?;
        let settings = self.security_settings().await?;
        let mut errs = FieldErrors::new();
        let username = errs.take(Username::parse(&input.username));
        let display = errs.take(
            crate::blank_or(&input.display_name, "display_name", "请填写姓名")
                .and_then(|s| PersonName::parse(s).map_err(|e| e.for_field("display_name"))),
        );
        let org = match input.org_id {
            None => Err(FieldError::new("org_id", "REQUIRED", "请选择所属机构")),
            Some(id) => match self.org_in_scope(self.reader(), p, id).await {
                Ok(o) => Ok(o),
                Err(StoreError::NotFound) => {
                    Err(FieldError::new("org_id", "ORG_NOT_FOUND", "所属机构不存在或不在您的管辖范围内"))
                }
                Err(e) => return Err(e),
            },
        };
        let org = errs.take(org);
        // The roles a user may hold depend on the organisation: checked once it is known.
        let roles = org.as_ref().and_then(|o| errs.take(initial_roles(&input.roles, p, o.kind)));
        if let Err(e) = settings.password_policy().check(&input.password) {
            errs.push(e);
        }
        let phone = errs.take(optional(&input.phone, Phone::parse));
        let id_number = errs.take(optional(&input.id_number, IdNumber::parse));
        // Every `None` above pushed its error (a missing organisation is the roles' error too).
        let (Some(username), Some(display), Some(org), Some(roles), Some(phone), Some(id_number)) =
            (username, display, org, roles, phone, id_number)
        else {
            return Err(errs.into());
        };
        errs.into_result()?;
        // Hashing takes tens of milliseconds of CPU: off the runtime, before the transaction.
        let hash = hash_password(&input.password).await?;
        let id_enc = match &id_number {
            Some(i) => Some(
                self.crypto
                    .encrypt(i.as_str().as_bytes(), b"id_number")
                    .map_err(|e| StoreError::service("cipher", e))?,
            ),
            None => None,
        };
        let step = self.step(p, ctx).await?;
        if user::Entity::find().filter(user::Column::Username.eq(username.as_str())).one(&*step).await?.is_some() {
            return Err(FieldError::new("username", "USERNAME_TAKEN", "该用户名已被使用").into());
        }
        // A personal scope is the user's own (resolved from the row's id), so the id is not needed here.
        let scope = DataScope::derive(&roles, org.kind, org.id, org.city_code.as_deref(), 0);
        let at = now();
        let mut am = user::ActiveModel {
            username: Set(username.as_str().to_string()),
            display_name: Set(display.as_str().to_string()),
            org_id: Set(org.id),
            password_hash: Set(hash),
            must_change_password: Set(true),
            status: Set(UserStatus::Active),
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
        };
        set_scope(&mut am, &scope);
        let m = am.insert(&*step).await?;
        replace_roles(&*step, m.id, &roles).await?;
        step.audit(AuditDraft::new(
            AuditAction::UserCreated,
            m.id,
            json!({
                "username": m.username, "org_id": org.id, "roles": role_ids(&roles), "scope": scope.kind().id(),
            }),
        ))
        .await?;
        step.commit().await?;
        Ok(m.id)
    }

    pub async fn update_user(&self, p: &Principal, id: i64, change: &UserChange, ctx: &Ctx) -> StoreResult<()> {
        let step = self.step(p, ctx).await?;
        let (u, o) = self.user_in_scope(&*step, p, id).await?;
        // Accounts (name, phone, status) are kept by whoever manages users; roles are granted by whoever
        // grants them (三员分立, issue 8 item 9): each part of the change needs its own right.
        if !p.can(Action::ManageUsers) && !p.can(Action::GrantRoles) {
            return Err(StoreError::Forbidden);
        }
        if change.display_name.is_some() || change.phone.is_some() || change.status.is_some() {
            require(p, Action::ManageUsers)?;
        }
        if change.roles.is_some() {
            require(p, Action::GrantRoles)?;
        }
        let mut errs = FieldErrors::new();
        let display = change
            .display_name
            .as_ref()
            .and_then(|d| errs.take(PersonName::parse(d).map_err(|e| e.for_field("display_name"))));
        let phone = change.phone.as_ref().and_then(|ph| errs.take(optional(ph, Phone::parse)));
        let roles = change.roles.as_ref().and_then(|r| errs.take(parse_roles(r, p, o.kind)));
        let status = change.status.as_ref().and_then(|s| {
            errs.take(
                UserStatus::parse(s)
                    .ok_or_else(|| FieldError::new("status", "STATUS_INVALID", "状态只能是“启用”或“停用”")),
            )
        });
        if id == p.user_id && (change.roles.is_some() || status == Some(UserStatus::Disabled)) {
            errs.push(FieldError::new("roles", "SELF_CHANGE", "不能修改本人的角色或停用本人账号"));
        }
        errs.into_result()?;
        let before_roles = self.roles_of(&*step, id).await?;
        // Sessions were granted on the roles and the status: a change of either ends them all, and
        // re-enabling a user revives nothing (issue 8 item 2).
        let roles_changed = roles.as_ref().is_some_and(|r| *r != before_roles);
        let status_changed = status.is_some_and(|s| s != u.status);
        let mut am = u.into_active_model();
        if let Some(d) = display {
            am.display_name = Set(d.as_str().to_string());
        }
        if let Some(ph) = phone {
            am.phone = Set(ph.map(|x| x.as_str().to_string()).unwrap_or_default());
        }
        if let Some(s) = status {
            am.status = Set(s);
        }
        if let Some(roles) = &roles {
            set_scope(&mut am, &DataScope::derive(roles, o.kind, o.id, o.city_code.as_deref(), id));
            replace_roles(&*step, id, roles).await?;
        }
        am.updated_at = Set(now());
        am.update(&*step).await?;
        let sessions_ended =
            if roles_changed || status_changed { crate::auth::end_sessions_of(&*step, id).await? } else { 0 };
        step.audit(AuditDraft::new(
            AuditAction::UserUpdated,
            id,
            json!({
                "roles_before": role_ids(&before_roles),
                "roles_after": roles.as_deref().map(role_ids),
                "status": change.status,
                "sessions_ended": sessions_ended,
            }),
        ))
        .await?;
        step.commit().await?;
        Ok(())
    }

    /// Set a temporary password that must be changed at the next sign-in, lift any lockout and end
    /// every session and token of the user. The hash is made off the runtime before the step opens.
    pub async fn reset_password(&self, p: &Principal, id: i64, temporary: &str, ctx: &Ctx) -> StoreResult<()> {
        let settings = self.security_settings().await?;
        let (u, _) = self.user_in_scope(self.reader(), p, id).await?;
        require(p, Action::UnlockUsers)?;
        settings.password_policy().check(temporary)?;
        let hash = hash_password(temporary).await?;
        let name = u.username.clone();
        let step = self.step(p, ctx).await?;
        let mut am = u.into_active_model();
        am.password_hash = Set(hash);
        am.must_change_password = Set(true);
        am.updated_at = Set(now());
        am.update(&*step).await?;
        crate::auth::forget_all_failures(&*step, &name.trim().to_lowercase()).await?;
        // Whoever held a session on the old password holds none now (issue 8 item 2).
        let ended = crate::auth::end_sessions_of(&*step, id).await?;
        step.audit(AuditDraft::new(AuditAction::UserPasswordReset, id, json!({ "sessions_ended": ended }))).await?;
        step.commit().await?;
        Ok(())
    }
}

/// The person's name of `user` in an answer of [`Store::names_of_users`], else the user name itself.
pub(crate) fn name_or_user(names: &std::collections::HashMap<String, String>, user: &str) -> String {
    names.get(user).cloned().unwrap_or_else(|| user.to_owned())
}
