//! One's own account: the forced password change at first sign-in, and enrolment of the second factor
//! (TOTP, by QR code) — required for every `*_admin` role, available to everyone.

use super::login::NextQuery;
use crate::AppState;
use crate::auth::{WebSession, after_sign_in, local_path, with_next};
use crate::error::{AppError, PageError};
use crate::extract::{Form, Query};
use crate::view::{Errors, Layout, done, redirect_or_form};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use domain::{FieldError, FieldErrors};
use serde::Deserialize;
use totp_rs::{Algorithm, Builder, Secret, Totp};

const ISSUER: &str = "湖南专项考核";

fn totp_for(secret: &[u8], username: &str) -> Option<Totp> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret.to_vec())
        .with_account_name(username)
        .with_issuer(Some(ISSUER))
        .build()
        .ok()
}

/// The time step matched by `code` (one step of clock drift allowed), if it is a current code. The
/// caller must accept each step at most once (`Store::accept_totp_step`).
pub fn totp_step(secret: &[u8], username: &str, code: &str) -> Option<u64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    totp_for(secret, username)?.check_current(code)
}

/// Whether `code` is a current code that was not used before; a used step is consumed.
pub async fn totp_accept(
    state: &AppState,
    user_id: i64,
    secret: &[u8],
    username: &str,
    code: &str,
) -> Result<bool, PageError> {
    match totp_step(secret, username, code) {
        Some(step) => Ok(state.store.accept_totp_step(user_id, step as i64).await?),
        None => Ok(false),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "account_password.html")]
pub struct PasswordPage {
    layout: Layout,
    forced: bool,
    errors: Errors,
    policy_hint: String,
    /// The page asked for before signing in (a local path, or empty), carried to after the change.
    next: String,
}

async fn password_page(
    state: &AppState,
    ws: &WebSession,
    errors: FieldErrors,
    next: &str,
) -> Result<PasswordPage, PageError> {
    let s = &ws.caller.session;
    let settings = state.store.security_settings().await?;
    let layout =
        Layout::for_principal(&s.principal, &s.csrf_token, &state.config.system_name, "修改密码", "/account/password");
    Ok(PasswordPage {
        layout,
        forced: s.must_change_password,
        errors: Errors(errors),
        policy_hint: format!(
            "密码至少 {} 位，须包含大写字母、小写字母、数字、符号中的至少 {} 类。",
            settings.password_min_length, settings.password_min_classes
        ),
        next: local_path(next).unwrap_or("").to_string(),
    })
}

pub async fn password_form(
    State(state): State<AppState>,
    ws: WebSession,
    Query(q): Query<NextQuery>,
) -> Result<Response, PageError> {
    if ws.caller.session.second_factor_pending {
        return Ok(Redirect::to(&with_next("/login/totp", &q.next)).into_response());
    }
    Ok(password_page(&state, &ws, FieldErrors::new(), &q.next).await?.into_response())
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
    #[serde(default)]
    next: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    ws: WebSession,
    Form(f): Form<PasswordForm>,
) -> Result<Response, PageError> {
    if ws.caller.session.second_factor_pending {
        return Ok(Redirect::to("/login/totp").into_response());
    }
    if f.new_password != f.confirm_password {
        let errs = FieldError::new("confirm_password", "PASSWORD_MISMATCH", "两次输入的新密码不一致").into();
        return Ok(password_page(&state, &ws, errs, &f.next).await?.into_response());
    }
    let result = state
        .store
        .change_own_password(&ws.caller.session.principal, &f.current_password, &f.new_password, &ws.ctx)
        .await;
    let next = f.next.clone();
    redirect_or_form(
        result,
        |()| done(after_sign_in(Some(&next)), "password"),
        |errs| password_page(&state, &ws, errs, &f.next),
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "account_totp.html")]
pub struct TotpEnrollPage {
    layout: Layout,
    enabled: bool,
    required: bool,
    qr_svg: String,
    secret_b32: String,
    error: String,
    /// The page asked for before signing in (a local path, or empty), carried to after enrolment.
    next: String,
}

async fn enroll_page(
    state: &AppState,
    ws: &WebSession,
    error: String,
    next: &str,
) -> Result<TotpEnrollPage, PageError> {
    let next = local_path(next).unwrap_or("").to_string();
    let s = &ws.caller.session;
    let p = &s.principal;
    let layout = Layout::for_principal(p, &s.csrf_token, &state.config.system_name, "双因素认证", "/account/totp");
    let required = p.roles.iter().any(|r| r.requires_second_factor());
    if s.totp_enabled {
        return Ok(TotpEnrollPage {
            layout,
            enabled: true,
            required,
            qr_svg: String::new(),
            secret_b32: String::new(),
            error,
            next,
        });
    }
    let secret = match state.store.totp_secret(p.user_id).await? {
        Some(secret) => secret,
        None => {
            let mut secret = vec![0u8; 20];
            rand::fill(&mut secret[..]);
            state.store.set_totp(p.user_id, &secret, false, &ws.ctx).await?;
            secret
        }
    };
    let totp = totp_for(&secret, &p.username).ok_or_else(|| AppError::Internal("totp secret".into()))?;
    let url = totp.to_url().map_err(|e| AppError::Internal(e.to_string()))?;
    let qr = qrcode::QrCode::new(url.as_bytes()).map_err(|e| AppError::Internal(e.to_string()))?;
    let qr_svg = qr.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).build();
    Ok(TotpEnrollPage {
        layout,
        enabled: false,
        required,
        qr_svg,
        secret_b32: Secret::from(secret).to_base32(),
        error,
        next,
    })
}

pub async fn totp_enroll_form(
    State(state): State<AppState>,
    ws: WebSession,
    Query(q): Query<NextQuery>,
) -> Result<Response, PageError> {
    if ws.caller.session.second_factor_pending && ws.caller.session.totp_enabled {
        return Ok(Redirect::to(&with_next("/login/totp", &q.next)).into_response());
    }
    Ok(enroll_page(&state, &ws, String::new(), &q.next).await?.into_response())
}

#[derive(Deserialize)]
pub struct EnrollForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

pub async fn totp_enroll(
    State(state): State<AppState>,
    ws: WebSession,
    Form(f): Form<EnrollForm>,
) -> Result<Response, PageError> {
    let s = &ws.caller.session;
    if s.totp_enabled {
        return Ok(Redirect::to(if s.second_factor_pending { "/login/totp" } else { "/account/totp" }).into_response());
    }
    let p = &s.principal;
    let Some(secret) = state.store.totp_secret(p.user_id).await? else {
        return Ok(Redirect::to("/account/totp").into_response());
    };
    if !totp_accept(&state, p.user_id, &secret, &p.username, &f.code).await? {
        let page = enroll_page(&state, &ws, "验证码不正确，请确认手机时间准确后重新输入".into(), &f.next).await?;
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    state.store.set_totp(p.user_id, &secret, true, &ws.ctx).await?;
    if s.second_factor_pending {
        state.store.complete_second_factor(s.session_id, &ws.ctx).await?;
    }
    if s.must_change_password {
        return Ok(Redirect::to(&with_next("/account/password", &f.next)).into_response());
    }
    Ok(done(after_sign_in(Some(&f.next)), "totp").into_response())
}
