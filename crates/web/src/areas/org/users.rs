//! User management for administrators (R1, R2): search and paging, create with roles the granter may
//! give, edit roles and status, reset a password, lift a lockout, CSV export. Scope applies throughout.

use crate::AppState;
use crate::auth::Staff;
use crate::error::PageError;
use crate::extract::{Form, Path, Query};
use crate::view::{Errors, Layout, Pager, csv_download, done, filter_query, redirect_or_form};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::authz::{self, Action};
use domain::org::{Role, UserStatus};
use domain::{FieldError, FieldErrors};
use serde::Deserialize;
use store::orgs::{OrgQuery, OrgView};
use store::users::{UserChange, UserInput, UserQuery, UserView};
use store::{PageReq, StoreError};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    role: Option<String>,
    status: Option<String>,
    org_id: Option<i64>,
    page: Option<u64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "users/list.html")]
pub struct UsersPage {
    layout: Layout,
    users: Vec<UserView>,
    pager: Pager,
    q: String,
    role: String,
    status: String,
    roles: Vec<Role>,
    can_manage: bool,
    export_href: String,
}

fn user_query(q: &ListQuery) -> UserQuery {
    UserQuery { q: q.q.clone(), role: q.role.clone(), org_id: q.org_id, status: q.status.clone() }
}

pub async fn list_users(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<UsersPage, PageError> {
    let page = state.store.list_users(&staff.principal, &user_query(&q), PageReq::new(q.page, Some(20))).await?;
    let fq = filter_query(&[
        ("q", q.q.clone()),
        ("role", q.role.clone()),
        ("status", q.status.clone()),
        ("org_id", q.org_id.map(|o| o.to_string())),
    ]);
    Ok(UsersPage {
        layout: Layout::new(&staff, &state.config.system_name, "用户管理", "/admin/users"),
        pager: Pager::of(&page, "/admin/users", &fq),
        export_href: format!("/admin/users/export.csv?{fq}"),
        users: page.items,
        q: q.q.unwrap_or_default(),
        role: q.role.unwrap_or_default(),
        status: q.status.unwrap_or_default(),
        roles: Role::ALL.to_vec(),
        can_manage: staff.principal.can(Action::ManageUsers),
    })
}

pub async fn export_users(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let page =
        state.store.list_users(&staff.principal, &user_query(&q), PageReq { page: 1, per_page: 100_000 }).await?;
    let rows = page
        .items
        .into_iter()
        .map(|u| {
            vec![
                u.username,
                u.display_name,
                u.org_name,
                u.role_labels,
                u.scope,
                u.status.label().into(),
                crate::view::shanghai_opt(u.last_login_at),
                crate::view::shanghai(u.created_at),
            ]
        })
        .collect();
    Ok(csv_download(
        "users.csv",
        &["用户名", "姓名", "所属机构", "角色", "数据范围", "状态", "最近登录", "创建时间"],
        rows,
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "users/new.html")]
pub struct NewUserPage {
    layout: Layout,
    input: UserInput,
    orgs: Vec<OrgView>,
    roles: Vec<Role>,
    errors: Errors,
    policy_hint: String,
}

async fn new_user_page(
    state: &AppState,
    staff: &Staff,
    input: UserInput,
    errors: FieldErrors,
) -> Result<NewUserPage, PageError> {
    let orgs =
        state.store.list_orgs(&staff.principal, &OrgQuery::default(), PageReq { page: 1, per_page: 1000 }).await?.items;
    let settings = state.store.security_settings().await?;
    Ok(NewUserPage {
        layout: Layout::new(staff, &state.config.system_name, "新增用户", "/admin/users")
            .crumb("用户管理", "/admin/users"),
        input,
        orgs,
        roles: authz::grantable_roles(&staff.principal.roles),
        errors: Errors(errors),
        policy_hint: format!(
            "初始密码至少 {} 位，含至少 {} 类字符；用户首次登录时须修改。",
            settings.password_min_length, settings.password_min_classes
        ),
    })
}

pub async fn new_user_form(State(state): State<AppState>, staff: Staff) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageUsers) {
        return Err(crate::auth::forbidden());
    }
    Ok(new_user_page(&state, &staff, UserInput::default(), FieldErrors::new()).await?.into_response())
}

#[derive(Deserialize)]
pub struct UserForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    password: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    id_number: String,
}

pub async fn create_user(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<UserForm>,
) -> Result<Response, PageError> {
    let mut errs = FieldErrors::new();
    let org_id = if f.org_id.is_empty() {
        None
    } else {
        match f.org_id.parse::<i64>() {
            Ok(i) => Some(i),
            Err(_) => {
                errs.push(FieldError::new("org_id", "ORG_NOT_FOUND", "所属机构无效"));
                None
            }
        }
    };
    let input = UserInput {
        username: f.username,
        display_name: f.display_name,
        org_id,
        roles: f.roles,
        password: f.password,
        phone: f.phone,
        id_number: f.id_number,
    };
    let result = if errs.is_empty() {
        state.store.create_user(&staff.principal, &input, &staff.ctx).await
    } else {
        Err(StoreError::Invalid(errs))
    };
    let (state, staff) = (&state, &staff);
    redirect_or_form(
        result,
        |id| done(format!("/admin/users/{id}"), "created"),
        move |errs| {
            let mut input = input;
            input.password.clear();
            input.id_number.clear();
            new_user_page(state, staff, input, errs)
        },
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "users/show.html")]
pub struct UserPage {
    layout: Layout,
    user: UserView,
    roles: Vec<Role>,
    errors: Errors,
    can_manage: bool,
    can_grant: bool,
    can_unlock: bool,
    locked_until: String,
    is_self: bool,
}

async fn user_page(state: &AppState, staff: &Staff, id: i64, errors: FieldErrors) -> Result<UserPage, PageError> {
    let user = state.store.get_user(&staff.principal, id).await?;
    let locked_until = state.store.locked_until(&user.username).await?.map(crate::view::shanghai).unwrap_or_default();
    let mut roles = authz::grantable_roles(&staff.principal.roles);
    for r in &user.roles {
        if !roles.contains(r) {
            roles.push(*r);
        }
    }
    Ok(UserPage {
        layout: Layout::new(staff, &state.config.system_name, &format!("用户：{}", user.display_name), "/admin/users")
            .crumb("用户管理", "/admin/users"),
        roles,
        errors: Errors(errors),
        can_manage: staff.principal.can(Action::ManageUsers),
        can_grant: staff.principal.can(Action::GrantRoles),
        can_unlock: staff.principal.can(Action::UnlockUsers),
        locked_until,
        is_self: user.id == staff.principal.user_id,
        user,
    })
}

pub async fn show_user(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<UserPage, PageError> {
    user_page(&state, &staff, id, FieldErrors::new()).await
}

#[derive(Deserialize)]
pub struct EditForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    status: String,
}

pub async fn update_user(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<EditForm>,
) -> Result<Response, PageError> {
    let is_self = id == staff.principal.user_id;
    // The form shows each part only to whoever may change it (三员分立, issue 8 item 9).
    let (manage, grant) = (staff.principal.can(Action::ManageUsers), staff.principal.can(Action::GrantRoles));
    let change = UserChange {
        display_name: manage.then_some(f.display_name),
        phone: manage.then_some(f.phone),
        roles: (grant && !is_self).then_some(f.roles),
        status: (manage && !is_self).then_some(f.status),
    };
    let result = state.store.update_user(&staff.principal, id, &change, &staff.ctx).await;
    redirect_or_form(
        result,
        |()| done(format!("/admin/users/{id}"), "updated"),
        |errs| user_page(&state, &staff, id, errs),
    )
    .await
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    temporary_password: String,
}

pub async fn reset_password(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<ResetForm>,
) -> Result<Response, PageError> {
    let result = state.store.reset_password(&staff.principal, id, &f.temporary_password, &staff.ctx).await;
    redirect_or_form(
        result,
        |()| done(format!("/admin/users/{id}"), "reset"),
        |errs| {
            let errs = FieldErrors(errs.0.into_iter().map(|e| e.for_field("temporary_password")).collect());
            user_page(&state, &staff, id, errs)
        },
    )
    .await
}

pub async fn unlock_user(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let user = state.store.get_user(&staff.principal, id).await?;
    state.store.unlock_username(&staff.principal, &user.username, &staff.ctx).await?;
    Ok(done(format!("/admin/users/{id}"), "unlocked").into_response())
}

pub async fn reset_totp(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    state.store.reset_totp(&staff.principal, id, &staff.ctx).await?;
    Ok(done(format!("/admin/users/{id}"), "totp_reset").into_response())
}
