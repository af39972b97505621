//! Tokens and the caller: `POST /api/v1/auth/token` (same lockout rules as the sign-in page; the second
//! factor is required for every `*_admin` role), revocation, `GET /api/v1/me`, the to-do list.

use crate::AppState;
use crate::api::{ApiJson, ErrorEnvelope, invalid};
use crate::auth::{ApiCaller, ClientIp};
use crate::error::{ApiError, AppError};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::FieldError;
use domain::org::SessionKind;
use serde::{Deserialize, Serialize};
use store::auth::LoginError;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
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

/// Issue a bearer token.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth", request_body = TokenRequest, security(()),
    responses((status = 200, body = TokenResponse), (status = 401, description = "INVALID_CREDENTIALS / SECOND_FACTOR_REQUIRED", body = ErrorEnvelope),
        (status = 403, description = "PASSWORD_CHANGE_REQUIRED / ACCOUNT_DISABLED", body = ErrorEnvelope), (status = 423, description = "ACCOUNT_LOCKED", body = ErrorEnvelope)))]
pub async fn create_token(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiJson(req): ApiJson<TokenRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    if req.username.trim().is_empty() || req.password.is_empty() {
        return Err(invalid("username", "REQUIRED", "请提供用户名和密码"));
    }
    let ok = match state.store.authenticate(&req.username, &req.password, &ip.0).await? {
        Ok(ok) => ok,
        Err(LoginError::InvalidCredentials) => {
            return Err(err(StatusCode::UNAUTHORIZED, "INVALID_CREDENTIALS", "password", "用户名或密码错误".into()));
        }
        Err(LoginError::Locked { until }) => return Err(ApiError(AppError::Locked(crate::view::shanghai(until)))),
        Err(LoginError::Disabled) => {
            return Err(err(StatusCode::FORBIDDEN, "ACCOUNT_DISABLED", "username", "账号已停用".into()));
        }
    };
    if ok.needs_second_factor {
        let ctx = store::Ctx { actor: req.username.trim().to_lowercase(), ip: ip.0.clone() };
        let secret = state.store.totp_secret(ok.user_id).await?;
        let step = match (&secret, ok.totp_enabled, &req.totp) {
            (Some(s), true, Some(code)) => super::credentials::totp_step(s, &ctx.actor, code),
            _ => None,
        };
        let valid = match step {
            Some(step) => state.store.accept_totp_step(ok.user_id, step as i64).await?,
            None => false,
        };
        if !valid {
            if !ok.totp_enabled {
                return Err(err(
                    StatusCode::FORBIDDEN,
                    "SECOND_FACTOR_NOT_ENROLLED",
                    "totp",
                    "管理员须先在网页上启用双因素认证".into(),
                ));
            }
            if req.totp.is_some()
                && let Some(until) = state.store.second_factor_failed(0, &ctx.actor, &ctx).await?
            {
                return Err(ApiError(AppError::Locked(crate::view::shanghai(until))));
            }
            return Err(err(
                StatusCode::UNAUTHORIZED,
                "SECOND_FACTOR_REQUIRED",
                "totp",
                "请提供有效的动态验证码".into(),
            ));
        }
    }
    if ok.must_change_password {
        return Err(err(
            StatusCode::FORBIDDEN,
            "PASSWORD_CHANGE_REQUIRED",
            "password",
            "首次登录或密码已重置，请先在网页上修改密码".into(),
        ));
    }
    let s = state.store.create_session(ok.user_id, SessionKind::Api, false, "api", &ip.0).await?;
    Ok(Json(TokenResponse { token: s.token }))
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
