//! The public sign-up page (考生注册, issue 12): username, name, ID number, phone, password twice. The
//! form carries the pre-session CSRF token as the sign-in form does and counts against the sign-in
//! rate limit. A refused form comes back with every bad field named; a made account is told to sign in.

use crate::AppState;
use crate::areas::account::login::pre_token;
use crate::auth::ClientIp;
use crate::error::PageError;
use crate::extract::Form;
use crate::view::Errors;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use domain::FieldErrors;
use domain::exams::CandidateSignUpInput;
use serde::Deserialize;
use store::{Ctx, StoreError};

#[derive(Template, WebTemplate)]
#[template(path = "portal/register.html")]
pub struct RegisterPage {
    title: &'static str,
    csrf: String,
    input: CandidateSignUpInput,
    errors: Errors,
    /// The account was made: the page says so and leads to sign-in.
    done: bool,
}

#[derive(Deserialize, Default)]
pub struct RegisterForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    input: CandidateSignUpInput,
}

fn page(csrf: String, input: CandidateSignUpInput, errors: FieldErrors, done: bool) -> RegisterPage {
    RegisterPage { title: "考生注册", csrf, input, errors: Errors(errors), done }
}

pub async fn form(State(state): State<AppState>, jar: CookieJar) -> Response {
    let (jar, csrf) = pre_token(jar, state.config.cookie_secure);
    (jar, page(csrf, CandidateSignUpInput::default(), FieldErrors::new(), false)).into_response()
}

pub async fn submit(
    State(state): State<AppState>,
    ip: ClientIp,
    Form(f): Form<RegisterForm>,
) -> Result<Response, PageError> {
    let ctx = Ctx { actor: f.input.username.trim().to_owned(), ip: ip.0 };
    let blank = CandidateSignUpInput { password: String::new(), password_confirm: String::new(), ..f.input.clone() };
    match state.store.register_candidate(&f.input, &ctx).await {
        Ok(_) => Ok(page(f.csrf, blank, FieldErrors::new(), true).into_response()),
        Err(StoreError::Invalid(errs)) => {
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page(f.csrf, blank, errs, false)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
