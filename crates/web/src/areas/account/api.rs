//! Tokens and the caller: `POST /api/v1/auth/token` (same lockout rules as the sign-in page; the second
//! factor is required for every `*_admin` role), `POST /api/v1/auth/password` (one's own password,
//! also the forced change), revocation, `GET /api/v1/me`, the to-do list.

use crate::AppState;
use crate::api::{ApiJson, ErrorEnvelope, invalid};
use crate::auth::{ApiCaller, ClientIp};
use crate::error::{ApiError, AppError};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::org::SessionKind;
use domain::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use store::auth::{LoginError, LoginOk, SecondFactor, SecondFactorOutcome};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    #[serde(default)]
    #[schema(required = true)]
    pub username: String,
    #[serde(default)]
    #[schema(required = true)]
    pub password: String,
    /// The current TOTP code; required for administrators and users who enrolled one.
    #[serde(default)]
    pub totp: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub token: String,
}

fn err(status: StatusCode, code: &'static str, field: &str, detail: String) -> ApiError {
    ApiError(AppError::Coded(status, FieldError::new(field, code, detail)))
}

/// The second factor of a sign-in through the API, when the user needs one: the code counts in the
/// same counter and locks the same way as on the page (`Store::second_factor_attempt`, issue 8 item 1).
async fn api_second_factor(
    state: &AppState,
    ok: &LoginOk,
    username: &str,
    totp: Option<&str>,
    ip: &ClientIp,
) -> Result<SecondFactor, ApiError> {
    if !ok.needs_second_factor {
        return Ok(SecondFactor::NotAsked);
    }
    if !ok.totp_enabled {
        return Err(err(
            StatusCode::FORBIDDEN,
            "SECOND_FACTOR_NOT_ENROLLED",
            "totp",
            "管理员须先在网页上启用双因素认证".into(),
        ));
    }
    let required = || err(StatusCode::UNAUTHORIZED, "SECOND_FACTOR_REQUIRED", "totp", "请提供有效的动态验证码".into());
    let Some(code) = totp else { return Err(required()) };
    let ctx = store::Ctx { actor: username.trim().to_lowercase(), ip: ip.0.clone() };
    let secret = state.store.totp_secret(ok.user_id).await?;
    let step = secret.as_deref().and_then(|s| super::credentials::totp_step(s, &ctx.actor, code));
    match state.store.second_factor_attempt(ok.user_id, None, step, &ctx).await? {
        SecondFactorOutcome::Passed => Ok(SecondFactor::Done),
        SecondFactorOutcome::Failed => Err(required()),
        SecondFactorOutcome::Locked { until } => Err(ApiError(AppError::Locked(crate::view::shanghai(until)))),
    }
}

/// A refused password check, as the API answers it (`field` names the password field of the body).
fn login_refused(e: LoginError, field: &str) -> ApiError {
    match e {
        LoginError::InvalidCredentials => {
            err(StatusCode::UNAUTHORIZED, "INVALID_CREDENTIALS", field, "用户名或密码错误".into())
        }
        LoginError::Locked { until } => ApiError(AppError::Locked(crate::view::shanghai(until))),
        LoginError::Disabled => err(StatusCode::FORBIDDEN, "ACCOUNT_DISABLED", "username", "账号已停用".into()),
    }
}

/// Issue a bearer token.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth", request_body = TokenRequest, security(()),
    responses((status = 200, body = TokenResponse), (status = 401, description = "用户名或密码错误（INVALID_CREDENTIALS），或缺少、填错动态验证码（SECOND_FACTOR_REQUIRED）", body = ErrorEnvelope),
        (status = 403, description = "须先修改密码（PASSWORD_CHANGE_REQUIRED）、账号已停用（ACCOUNT_DISABLED），或管理员尚未启用双因素认证（SECOND_FACTOR_NOT_ENROLLED）", body = ErrorEnvelope),
        (status = 423, description = "账号已锁定（ACCOUNT_LOCKED）：连续失败次数过多，请于所示时间后再试", body = ErrorEnvelope)))]
pub async fn create_token(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiJson(req): ApiJson<TokenRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    if req.username.trim().is_empty() || req.password.is_empty() {
        return Err(invalid("username", "REQUIRED", "请提供用户名和密码"));
    }
    let ok = state
        .store
        .authenticate(&req.username, &req.password, &ip.0)
        .await?
        .map_err(|e| login_refused(e, "password"))?;
    let second_factor = api_second_factor(&state, &ok, &req.username, req.totp.as_deref(), &ip).await?;
    if ok.must_change_password {
        return Err(err(
            StatusCode::FORBIDDEN,
            "PASSWORD_CHANGE_REQUIRED",
            "password",
            "首次登录或密码已重置，请先修改密码（POST /api/v1/auth/password 或网页）".into(),
        ));
    }
    let s = state.store.create_session(ok.user_id, SessionKind::Api, second_factor, "api", &ip.0).await?;
    Ok(Json(TokenResponse { token: s.token }))
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordChangeRequest {
    #[serde(default)]
    #[schema(required = true)]
    pub username: String,
    #[serde(default)]
    #[schema(required = true)]
    pub current_password: String,
    /// The new password: the policy's length and character classes, different from the current one.
    #[serde(default)]
    #[schema(required = true)]
    pub new_password: String,
    /// The current TOTP code; required for administrators and users who enrolled one.
    #[serde(default)]
    pub totp: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PasswordChangeResponse {
    pub username: String,
    /// Always false after a change: a token can now be issued (`POST /api/v1/auth/token`).
    pub must_change_password: bool,
}

/// Change one's own password without a token — also while a change is required (a user created with
/// `kaohe user create` or after a reset), so such a user needs no web page before the first token.
/// The caller proves who they are as for a token: username, current password and, where required,
/// the second factor, counted by the same lockout; the new password follows the same rules as the
/// page, and the change is audited the same way. No token is issued by this call.
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", request_body = PasswordChangeRequest, security(()),
    responses((status = 200, description = "The password was changed", body = PasswordChangeResponse),
        (status = 401, description = "当前密码错误（INVALID_CREDENTIALS，计入锁定次数），或缺少、填错动态验证码（SECOND_FACTOR_REQUIRED）", body = ErrorEnvelope),
        (status = 403, description = "账号已停用（ACCOUNT_DISABLED），或管理员尚未启用双因素认证（SECOND_FACTOR_NOT_ENROLLED）", body = ErrorEnvelope),
        (status = 422, description = "输入有误，指明字段：未填写（REQUIRED）、新密码不合规则（PASSWORD_TOO_SHORT 等）或与当前密码相同（PASSWORD_UNCHANGED）", body = ErrorEnvelope),
        (status = 423, description = "账号已锁定（ACCOUNT_LOCKED）：连续失败次数过多，请于所示时间后再试", body = ErrorEnvelope)))]
pub async fn change_password(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiJson(req): ApiJson<PasswordChangeRequest>,
) -> Result<Json<PasswordChangeResponse>, ApiError> {
    let mut missing = FieldErrors::new();
    if req.username.trim().is_empty() {
        missing.push(FieldError::new("username", "REQUIRED", "请提供用户名"));
    }
    if req.current_password.is_empty() {
        missing.push(FieldError::new("current_password", "REQUIRED", "请提供当前密码"));
    }
    if req.new_password.is_empty() {
        missing.push(FieldError::new("new_password", "REQUIRED", "请提供新密码"));
    }
    missing.into_result().map_err(|e| ApiError(AppError::Invalid(e)))?;
    let ok = state
        .store
        .authenticate(&req.username, &req.current_password, &ip.0)
        .await?
        .map_err(|e| login_refused(e, "current_password"))?;
    api_second_factor(&state, &ok, &req.username, req.totp.as_deref(), &ip).await?;
    let username = req.username.trim().to_lowercase();
    let ctx = store::Ctx { actor: username.clone(), ip: ip.0.clone() };
    state.store.change_password_of(ok.user_id, &req.current_password, &req.new_password, &ctx).await?;
    Ok(Json(PasswordChangeResponse { username, must_change_password: false }))
}

/// Revoke the token of this request.
#[utoipa::path(delete, path = "/api/v1/auth/token", tag = "auth", responses((status = 204), (status = 401, body = ErrorEnvelope)))]
pub async fn revoke_token(State(state): State<AppState>, caller: ApiCaller) -> Result<StatusCode, ApiError> {
    state.store.revoke_session(&caller.token, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct MeView {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<String>,
    pub organisation: OrgRef,
    /// `province`, `city`, `org` or `person`, with the region code or id it covers.
    pub scope: ScopeView,
}

#[derive(Serialize, ToSchema)]
pub struct OrgRef {
    pub id: i64,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct ScopeView {
    pub kind: String,
    pub value: Option<String>,
}

/// The caller's username, roles, organisation and data scope.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", responses((status = 200, body = MeView), (status = 401, body = ErrorEnvelope)))]
pub async fn me(caller: ApiCaller) -> Json<MeView> {
    let p = caller.principal;
    let value = match &p.scope {
        domain::org::DataScope::Province => None,
        domain::org::DataScope::City(c) => Some(c.clone()),
        domain::org::DataScope::Org(o) => Some(o.to_string()),
        domain::org::DataScope::Person(u) => Some(u.to_string()),
    };
    Json(MeView {
        user_id: p.user_id,
        username: p.username,
        display_name: p.display_name,
        roles: p.roles.iter().map(|r| r.id().to_string()).collect(),
        organisation: OrgRef { id: p.org_id, name: p.org_name },
        scope: ScopeView { kind: p.scope.kind().to_string(), value },
    })
}

#[derive(Serialize, ToSchema)]
pub struct TodoView {
    pub id: i64,
    pub title: String,
    pub link: String,
    pub subject_kind: String,
    pub subject_id: String,
    #[serde(with = "domain::calendar::ymd::option")]
    pub due_date: Option<time::Date>,
    /// e.g. "还剩 3 个工作日", "已逾期 2 个工作日".
    pub deadline: String,
    pub overdue: bool,
}

/// What waits for the caller, by deadline.
#[utoipa::path(get, path = "/api/v1/todo", tag = "auth", responses((status = 200, body = Vec<TodoView>), (status = 401, body = ErrorEnvelope)))]
pub async fn todo(State(state): State<AppState>, caller: ApiCaller) -> Result<Json<Vec<TodoView>>, ApiError> {
    let items = state.store.todo_for(&caller.principal).await?;
    Ok(Json(
        items
            .into_iter()
            .map(|t| TodoView {
                id: t.id,
                title: t.title,
                link: crate::areas::link_for(t.subject_kind, &t.subject_id).unwrap_or_default(),
                subject_kind: t.subject_kind.id().to_string(),
                subject_id: t.subject_id,
                due_date: t.due_date,
                deadline: t.deadline_text,
                overdue: t.overdue,
            })
            .collect(),
    ))
}
