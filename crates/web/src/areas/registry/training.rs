//! E8–E10 training courses: the list with the form to open a course, a course's page (enrolment form,
//! trainees with attendance and result — a pass issues the card and enters the registry, confirmed
//! in the browser).

use super::pages::{PersonForm, kinds};
use crate::AppState;
use crate::auth::{Staff, forbidden};
use crate::error::PageError;
use crate::extract::{Form, Path, Query};
use crate::view::{Errors, Layout, Pager, done, filter_query, redirect_or_form};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use domain::authz::Action;
use domain::training::{CourseInput, TrainingResult};
use domain::{FieldError, FieldErrors};
use serde::Deserialize;
use store::PageReq;
use store::registry::{CourseDetail, CourseView, PersonInput};

#[derive(Deserialize, Default)]
pub struct CoursesQuery {
    page: Option<u64>,
    q: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "registry/courses.html")]
pub struct CoursesPage {
    layout: Layout,
    courses: Vec<CourseView>,
    pager: Pager,
    input: CourseInput,
    errors: Errors,
    kinds: Vec<(&'static str, &'static str)>,
    can_manage: bool,
    q: String,
}

async fn courses_page(
    state: &AppState,
    staff: &Staff,
    q: &CoursesQuery,
    input: CourseInput,
    errors: FieldErrors,
) -> Result<CoursesPage, PageError> {
    let list = state.store.list_courses(&staff.principal, q.q.as_deref(), PageReq::new(q.page, Some(20))).await?;
    let fq = filter_query(&[("q", q.q.clone())]);
    Ok(CoursesPage {
        layout: Layout::new(staff, &state.config.system_name, "考评人员培训", "/registry/courses"),
        pager: Pager::of(&list, "/registry/courses", &fq),
        q: q.q.clone().unwrap_or_default(),
        courses: list.items,
        input,
        errors: Errors(errors),
        kinds: kinds(),
        can_manage: staff.principal.can(Action::ManageRegistry),
    })
}

pub async fn list_courses(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<CoursesQuery>,
) -> Result<CoursesPage, PageError> {
    courses_page(&state, &staff, &q, CourseInput { kind: "assessor".into(), ..Default::default() }, FieldErrors::new())
        .await
}

#[derive(Deserialize)]
pub struct CourseForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    start_date: String,
    #[serde(default)]
    end_date: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    projects: String,
}

pub async fn create_course(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<CourseForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageRegistry) {
        return Err(forbidden());
    }
    let input = CourseInput {
        kind: f.kind,
        title: f.title,
        start_date: f.start_date,
        end_date: f.end_date,
        location: f.location,
        projects: f.projects,
    };
    let result = state.store.create_course(&staff.principal, &input, &staff.ctx).await;
    redirect_or_form(
        result,
        |id| done(format!("/registry/courses/{id}"), "created"),
        |errs| courses_page(&state, &staff, &CoursesQuery { page: None, q: None }, input, errs),
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "registry/course.html")]
pub struct CoursePage {
    layout: Layout,
    detail: CourseDetail,
    input: PersonInput,
    errors: Errors,
    cities: Vec<(&'static str, &'static str)>,
    can_manage: bool,
}

async fn course_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    input: PersonInput,
    errors: FieldErrors,
) -> Result<CoursePage, PageError> {
    let detail = state.store.get_course(&staff.principal, id).await?;
    Ok(CoursePage {
        layout: Layout::new(staff, &state.config.system_name, &detail.course.title, "/registry/courses")
            .crumb("考评人员培训", "/registry/courses"),
        detail,
        input,
        errors: Errors(errors),
        cities: domain::ids::HUNAN_CITIES.to_vec(),
        can_manage: staff.principal.can(Action::ManageRegistry),
    })
}

pub async fn show_course(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<CoursePage, PageError> {
    course_page(&state, &staff, id, PersonInput::default(), FieldErrors::new()).await
}

pub async fn enrol(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<PersonForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageRegistry) {
        return Err(forbidden());
    }
    let mut input = PersonInput::from(f);
    let result = state.store.enrol(&staff.principal, id, &input, &staff.ctx).await;
    crate::view::redirect_or_refusal(
        result,
        |_| done(format!("/registry/courses/{id}"), "training_enrolled"),
        |r| {
            input.id_number.clear();
            course_page(&state, &staff, id, input, r.into_errors())
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct ResultForm {
    #[serde(default)]
    enrolment: String,
    #[serde(default)]
    attended: String,
    #[serde(default)]
    result: String,
}

pub async fn record_result(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<ResultForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageRegistry) {
        return Err(forbidden());
    }
    let result = match (f.enrolment.trim().parse::<i64>(), TrainingResult::parse(f.result.trim())) {
        (Ok(enrolment), Some(r)) => {
            let attended = f.attended == "yes";
            state.store.record_training_result(&staff.principal, id, enrolment, attended, r, &staff.ctx).await
        }
        _ => Err(FieldError::new("result", "REQUIRED", "请选择学员和培训结果").into()),
    };
    crate::view::redirect_or_refusal(
        result,
        |_| done(format!("/registry/courses/{id}"), "training_result"),
        |r| course_page(&state, &staff, id, PersonInput::default(), r.into_errors()),
    )
    .await
}
