//! Sign-in pages: password, then the second factor (TOTP) where the role or the user requires it;
//! sign-out ends the session on the server. A staff page asked for without a session leads here with
//! `?next=<its path>`, carried through both steps; sign-in then lands there if it is a local path
//! (`auth::local_path`), else on the 工作台.

use crate::AppState;
use crate::auth::{
    ClientIp, WebSession, after_sign_in, local_path, pre_cookie, pre_cookie_name, removal_cookie, session_cookie,
    session_cookie_name, with_next,
};
use crate::error::PageError;
use crate::extract::{Form, Query};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use domain::org::SessionKind;
use serde::Deserialize;
use store::auth::{LoginError, SecondFactor, SecondFactorOutcome};

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    title: &'static str,
    csrf: String,
    username: String,
    error: String,
    hint: String,
    /// The page to land on after sign-in (a local path, or empty).
    next: String,
}

impl LoginPage {
    /// The sign-in form with the lockout rule under it.
    async fn new(state: &AppState, csrf: String, username: String, error: String, next: &str) -> Self {
        let next = local_path(next).unwrap_or("").to_string();
        LoginPage { title: "用户登录", csrf, username, error, hint: lockout_hint(state).await, next }
    }
}

/// `?next=` of the sign-in pages.
#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    pub(super) next: String,
}

/// The lockout rule as the sign-in page states it (policy values, V1).
async fn lockout_hint(state: &AppState) -> String {
    match state.store.security_settings().await {
        Ok(s) => format!("连续 {} 次输入错误，账号将被锁定 {} 分钟。", s.lockout_threshold, s.lockout_minutes),
        Err(_) => String::new(),
    }
}

pub(crate) fn pre_token(jar: CookieJar, secure: bool) -> (CookieJar, String) {
    if let Some(c) = jar.get(pre_cookie_name(secure)) {
        let v = c.value().to_string();
        return (jar, v);
    }
    let mut b = [0u8; 24];
    rand::fill(&mut b);
    let v = hex::encode(b);
    (jar.add(pre_cookie(v.clone(), secure)), v)
}

pub async fn login_form(State(state): State<AppState>, jar: CookieJar, Query(q): Query<NextQuery>) -> Response {
    let (jar, csrf) = pre_token(jar, state.config.cookie_secure);
    (jar, LoginPage::new(&state, csrf, String::new(), String::new(), &q.next).await).into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
}

pub async fn login(
    State(state): State<AppState>,
    ip: ClientIp,
    jar: CookieJar,
    Form(f): Form<LoginForm>,
) -> Result<Response, PageError> {
    let again = |error: String| LoginPage::new(&state, f.csrf.clone(), f.username.clone(), error, &f.next);
    if f.username.trim().is_empty() || f.password.is_empty() {
        return Ok(again("请输入用户名和密码".into()).await.into_response());
    }
    match state.store.authenticate(&f.username, &f.password, &ip.0).await? {
        Err(LoginError::InvalidCredentials) => Ok(again("用户名或密码错误".into()).await.into_response()),
        Err(LoginError::Locked { until }) => {
            let error = format!("连续登录失败次数过多，账号已锁定，请于 {} 后再试", crate::view::shanghai(until));
            Ok(again(error).await.into_response())
        }
        Err(LoginError::Disabled) => Ok(again("账号已停用，请联系本单位管理员".into()).await.into_response()),
        Ok(ok) => {
            let second_factor = if ok.needs_second_factor { SecondFactor::Pending } else { SecondFactor::NotAsked };
            let s = state.store.create_session(ok.user_id, SessionKind::Web, second_factor, "", &ip.0).await?;
            let secure = state.config.cookie_secure;
            let jar = jar.add(session_cookie(s.token, secure)).remove(removal_cookie(pre_cookie_name(secure), secure));
            let to = if ok.needs_second_factor {
                if ok.totp_enabled { with_next("/login/totp", &f.next) } else { with_next("/account/totp", &f.next) }
            } else if ok.must_change_password {
                with_next("/account/password", &f.next)
            } else {
                after_sign_in(Some(&f.next))
            };
            Ok((jar, Redirect::to(&to)).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "login_totp.html")]
pub struct TotpPage {
    title: &'static str,
    csrf: String,
    error: String,
    next: String,
}

pub async fn totp_form(ws: WebSession, Query(q): Query<NextQuery>) -> Response {
    if !ws.caller.session.second_factor_pending {
        return Redirect::to("/home").into_response();
    }
    if !ws.caller.session.totp_enabled {
        return Redirect::to("/account/totp").into_response();
    }
    let next = local_path(&q.next).unwrap_or("").to_string();
    TotpPage { title: "双因素认证", csrf: ws.caller.session.csrf_token, error: String::new(), next }.into_response()
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

pub async fn totp_verify(
    State(state): State<AppState>,
    ws: WebSession,
    jar: CookieJar,
    Form(f): Form<CodeForm>,
) -> Result<Response, PageError> {
    let s = &ws.caller.session;
    if !s.second_factor_pending {
        return Ok(Redirect::to("/home").into_response());
    }
    let p = &s.principal;
    let secret = state.store.totp_secret(p.user_id).await?;
    let step = match (&secret, s.totp_enabled) {
        (Some(secret), true) => super::credentials::totp_step(secret, &p.username, &f.code),
        _ => None,
    };
    // One counter with the API's token requests: a lock from either door refuses the right code too.
    let outcome = state.store.second_factor_attempt(p.user_id, Some(s.session_id), step, &ws.ctx).await?;
    if outcome == SecondFactorOutcome::Passed {
        let to =
            if s.must_change_password { with_next("/account/password", &f.next) } else { after_sign_in(Some(&f.next)) };
        return Ok(Redirect::to(&to).into_response());
    }
    if let SecondFactorOutcome::Locked { until } = outcome {
        let secure = state.config.cookie_secure;
        let (jar, csrf) = pre_token(jar.remove(removal_cookie(session_cookie_name(secure), secure)), secure);
        let error = format!("验证码错误次数过多，账号已锁定，请于 {} 后再试", crate::view::shanghai(until));
        let page = LoginPage::new(&state, csrf, p.username.clone(), error, &f.next).await;
        return Ok((jar, page).into_response());
    }
    Ok(TotpPage {
        title: "双因素认证",
        csrf: s.csrf_token.clone(),
        error: "验证码不正确或已过期，请重新输入".into(),
        next: local_path(&f.next).unwrap_or("").to_string(),
    }
    .into_response())
}

pub async fn logout(State(state): State<AppState>, ws: WebSession, jar: CookieJar) -> Result<Response, PageError> {
    state.store.revoke_session(&ws.caller.token, &ws.ctx).await?;
    let secure = state.config.cookie_secure;
    Ok((jar.remove(removal_cookie(session_cookie_name(secure), secure)), Redirect::to("/login")).into_response())
}
