//! The archive's pages (E7): the form to archive a material of a session (a multipart form, the CSRF
//! token its first field: an electronic material uploads its file), the download of an electronic
//! material's file, the disposal form of one material (behind a confirmation), and the list of
//! materials due for disposal (paged).

use crate::AppState;
use crate::areas::filings::materials::named_file_response;
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path, Query};
use crate::view::{Errors, Layout, Pager, done, filter_query, filter_value, redirect_or_refusal};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::FieldErrors;
use domain::authz::Action;
use domain::exams::ArchiveMedium;
use domain::policy::keys;
use serde::Deserialize;
use store::PageReq;
use store::archives::{ArchiveInput, ArchiveUpload, ArchiveView, DisposeInput, DueArchive, DueFilter, SessionArchives};

#[derive(Template, WebTemplate)]
#[template(path = "archives/new.html")]
pub struct NewPage {
    layout: Layout,
    a: SessionArchives,
    input: ArchiveInput,
    errors: Errors,
    media: &'static [ArchiveMedium],
    /// The policy's size limit of an electronic material's file (`archive.electronic_file_max_kb`).
    max_kb: i64,
}

/// An uploaded file's size in words (12.3 KB, 1.5 MB); empty when none was kept.
pub fn file_size_label(size: &Option<i64>) -> String {
    size.map(crate::areas::filings::materials::size_label).unwrap_or_default()
}

async fn new_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    input: ArchiveInput,
    errors: FieldErrors,
) -> Result<NewPage, PageError> {
    if !staff.principal.can(Action::PlanSessions) {
        return Err(AppError::Forbidden.into());
    }
    let a = state.store.session_archives(&staff.principal, id).await?;
    let max_kb: i64 =
        state.store.policy_parsed(keys::ARCHIVE_FILE_MAX_KB, store::today(), &mut Default::default()).await?;
    Ok(NewPage {
        max_kb,
        layout: Layout::new(
            staff,
            &state.config.system_name,
            &format!("归档考核材料（考核计划 第 {id} 号）"),
            "/sessions",
        ),
        a,
        input,
        errors: Errors(errors),
        media: ArchiveMedium::ALL,
    })
}

pub async fn new_form(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<NewPage, PageError> {
    let input = ArchiveInput { medium: ArchiveMedium::Paper.id().to_owned(), ..Default::default() };
    new_page(&state, &staff, id, input, FieldErrors::new()).await
}

/// The archive form as uploaded: its text fields and the file part `file` (name, bytes).
pub struct ArchiveForm {
    pub input: ArchiveInput,
    pub name: String,
    pub bytes: Vec<u8>,
}

impl ArchiveForm {
    pub fn upload(&self) -> ArchiveUpload<'_> {
        ArchiveUpload { name: &self.name, bytes: &self.bytes }
    }
}

/// Read the parts of the archive form (`title`, `medium`, `location`, `file`); anything that is not a
/// multipart body reads as an empty form, so the store answers 404/403/409 first and then names each
/// missing field.
pub async fn read_archive_form(multipart: Result<Multipart, MultipartRejection>) -> Result<ArchiveForm, AppError> {
    let mut form = ArchiveForm { input: ArchiveInput::default(), name: String::new(), bytes: Vec::new() };
    let Ok(mut multipart) = multipart else { return Ok(form) };
    let incomplete = || AppError::BadRequest("上传内容不完整，请重新选择文件上传".into());
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("file") => {
                    // No name: no file was chosen (the store asks for one when the material is electronic).
                    form.name = field.file_name().unwrap_or_default().to_owned();
                    form.bytes = field.bytes().await.map_err(|_| AppError::PayloadTooLarge)?.to_vec();
                }
                Some(name @ ("title" | "medium" | "location")) => {
                    let name = name.to_owned();
                    // Forbidden characters are refused by the store's checks, naming the field.
                    let value = field.text().await.map_err(|_| incomplete())?;
                    match name.as_str() {
                        "title" => form.input.title = value,
                        "medium" => form.input.medium = value,
                        _ => form.input.location = value,
                    }
                }
                _ => {}
            },
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(AppError::PayloadTooLarge),
            Err(_) => return Err(incomplete()),
        }
    }
    Ok(form)
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::PlanSessions) {
        return Err(AppError::Forbidden.into());
    }
    let form = read_archive_form(multipart).await?;
    let result = state.store.archive_material(&staff.principal, id, &form.input, form.upload(), &staff.ctx).await;
    let input = form.input.clone();
    redirect_or_refusal(
        result,
        |_| done(format!("/sessions/{id}#archives"), "material_archived"),
        |refusal| new_page(&state, &staff, id, input, refusal.into_errors()),
    )
    .await
}

/// The uploaded file of an electronic material, for whoever reads the session's archives.
pub async fn download(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ListSessions) {
        return Err(AppError::Forbidden.into());
    }
    let (a, bytes) = state.store.archive_file(&staff.principal, id).await?;
    Ok(named_file_response(&a.file_ref, a.file_type.as_deref().unwrap_or("application/octet-stream"), bytes))
}

#[derive(Template, WebTemplate)]
#[template(path = "archives/dispose.html")]
pub struct DisposePage {
    layout: Layout,
    a: ArchiveView,
    /// The caller is the station or the organizer.
    can_dispose: bool,
    input: DisposeInput,
    errors: Errors,
}

async fn dispose_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    input: DisposeInput,
    errors: FieldErrors,
) -> Result<DisposePage, PageError> {
    if !staff.principal.can(Action::ListSessions) {
        return Err(AppError::Forbidden.into());
    }
    let d = state.store.get_archive(&staff.principal, id).await?;
    Ok(DisposePage {
        layout: Layout::new(staff, &state.config.system_name, "登记销毁考核材料", "/archives/due"),
        a: d.archive,
        can_dispose: d.can_dispose,
        input,
        errors: Errors(errors),
    })
}

pub async fn dispose_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<DisposePage, PageError> {
    dispose_page(&state, &staff, id, DisposeInput::default(), FieldErrors::new()).await
}

pub async fn dispose(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(input): Form<DisposeInput>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ListSessions) {
        return Err(AppError::Forbidden.into());
    }
    let result = state.store.dispose_material(&staff.principal, id, &input, &staff.ctx).await;
    redirect_or_refusal(
        result,
        |()| done(format!("/archives/{id}/dispose"), "material_disposed"),
        |refusal| dispose_page(&state, &staff, id, input, refusal.into_errors()),
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct DueQuery {
    page: Option<u64>,
    /// A part of the material's name.
    q: Option<String>,
    /// `paper` or `electronic`.
    medium: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "archives/due.html")]
pub struct DuePage {
    layout: Layout,
    rows: Vec<DueArchive>,
    pager: Pager,
    q: String,
    medium: String,
}

pub async fn due(State(state): State<AppState>, staff: Staff, Query(q): Query<DueQuery>) -> Result<DuePage, PageError> {
    if !staff.principal.can(Action::ListSessions) {
        return Err(AppError::Forbidden.into());
    }
    let filter = DueFilter { q: q.q.clone(), medium: filter_value("medium", "载体", q.medium.as_deref())? };
    let page = state.store.archives_due(&staff.principal, &filter, PageReq::new(q.page, Some(20))).await?;
    Ok(DuePage {
        layout: Layout::new(&staff, &state.config.system_name, "待销毁材料", "/archives/due"),
        pager: Pager::of(&page, "/archives/due", &filter_query(&[("q", q.q.clone()), ("medium", q.medium.clone())])),
        rows: page.items,
        q: q.q.unwrap_or_default(),
        medium: q.medium.unwrap_or_default(),
    })
}
