//! The candidates of a session: add one (form), remove one (with a confirmation), import an .xlsx
//! roster (all-or-nothing; every bad cell named `第 N 行「列」` on the session's page, nothing saved), the
//! roster template, and the list as a spreadsheet (full ID numbers for the session's station and
//! organizer only, `store::sessions`).

use super::record::{Refused, show_page};
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path};
use crate::view::{done, redirect_or_refusal};
use crate::xlsx::{self, Sheet};
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::authz::Action;
use domain::exams::{COL_TRAINERS, CandidateInput, ROSTER_COLUMNS, ROSTER_TEMPLATE_COLUMNS};
use store::StoreError;
use store::sessions::ROSTER_NOTES;

fn refused_page(errors: FieldErrors, candidate: CandidateInput) -> Refused {
    let refused = errors.0.first().map(|e| e.detail.clone()).unwrap_or_default();
    Refused { candidate, errors, refused, ..Default::default() }
}

pub async fn add(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(input): Form<CandidateInput>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::PlanSessions) {
        return Err(AppError::Forbidden.into());
    }
    let result = state.store.add_candidate(&staff.principal, id, &input, &staff.ctx).await;
    redirect_or_refusal(
        result,
        |_| done(format!("/sessions/{id}#candidates"), "candidate_added"),
        |r| async { show_page(&state, &staff, id, refused_page(r.into_errors(), input)).await },
    )
    .await
}

pub async fn remove(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, cid)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::PlanSessions) {
        return Err(AppError::Forbidden.into());
    }
    let result = state.store.remove_candidate(&staff.principal, id, cid, &staff.ctx).await;
    redirect_or_refusal(
        result,
        |()| done(format!("/sessions/{id}#candidates"), "candidate_removed"),
        |r| async { show_page(&state, &staff, id, refused_page(r.into_errors(), CandidateInput::default())).await },
    )
    .await
}

/// Rows of an uploaded roster as candidate inputs (header names decide the columns; the six of
/// [`ROSTER_COLUMNS`] required, 「授课培训师证书编号」 optional — a roster from the older template imports).
pub fn rows_to_candidates(rows: &[Vec<String>]) -> Result<Vec<CandidateInput>, String> {
    let fields = ["name", "id_number", "phone", "employer", "subsidy_category", "training", "trainers"];
    let columns: Vec<(&str, &str)> = ROSTER_TEMPLATE_COLUMNS.iter().copied().zip(fields).collect();
    let records = xlsx::records(rows, &columns, &ROSTER_COLUMNS)?;
    Ok(records
        .into_iter()
        .map(|rec| {
            let get = |f: &str| rec.get(f).cloned().unwrap_or_default();
            CandidateInput {
                name: get("name"),
                id_number: get("id_number"),
                phone: get("phone"),
                employer: get("employer"),
                subsidy_category: get("subsidy_category"),
                training: get("training"),
                trainers: get("trainers"),
            }
        })
        .collect())
}

pub async fn import(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::PlanSessions) {
        return Err(AppError::Forbidden.into());
    }
    let mut file: Option<Vec<u8>> = None;
    if let Ok(mut multipart) = multipart {
        while let Ok(Some(field)) = multipart.next_field().await {
            if field.name() == Some("file") {
                file = Some(field.bytes().await.map_err(|_| AppError::PayloadTooLarge)?.to_vec());
            }
        }
    }
    let problems = match file.filter(|f| !f.is_empty()) {
        None => vec!["请选择要导入的考生名册（.xlsx 文件）".to_string()],
        Some(bytes) => match xlsx::read(&bytes).and_then(|rows| rows_to_candidates(&rows)) {
            Err(msg) => vec![msg],
            Ok(inputs) => match state.store.import_roster(&staff.principal, id, &inputs, &staff.ctx).await {
                Ok(_) => return Ok(done(format!("/sessions/{id}#candidates"), "roster_imported").into_response()),
                Err(StoreError::Invalid(errs)) => errs.0.into_iter().map(|e| e.detail).collect(),
                Err(StoreError::Conflict(e)) => vec![e.detail],
                Err(e) => return Err(e.into()),
            },
        },
    };
    let page = show_page(&state, &staff, id, Refused { problems, ..Default::default() }).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// The roster template: the header row, and a sheet explaining each column.
pub async fn template(staff: Staff) -> Result<Response, PageError> {
    if !staff.principal.can(Action::PlanSessions) {
        return Err(crate::auth::forbidden());
    }
    let notes = ROSTER_NOTES.iter().map(|(c, n)| vec![(*c).to_owned(), (*n).to_owned()]).collect();
    let bytes = xlsx::write(&[
        Sheet { name: "考生名册", headers: &ROSTER_TEMPLATE_COLUMNS, rows: vec![] },
        Sheet { name: "填写说明", headers: &["列", "要求"], rows: notes },
    ])
    .map_err(AppError::Internal)?;
    Ok(xlsx::download("roster-template.xlsx", bytes))
}

/// The candidates as a spreadsheet (the ID numbers full for the session's station and organizer).
pub async fn export(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ListSessions) {
        return Err(AppError::Forbidden.into());
    }
    let e = state.store.export_candidates(&staff.principal, id, &staff.ctx).await?;
    let rows = e.rows.into_iter().map(Vec::from).collect();
    let headers = [
        ROSTER_COLUMNS[0],
        ROSTER_COLUMNS[1],
        ROSTER_COLUMNS[2],
        ROSTER_COLUMNS[3],
        ROSTER_COLUMNS[4],
        ROSTER_COLUMNS[5],
        COL_TRAINERS,
        "来源",
        "状态",
    ];
    let bytes = xlsx::write(&[Sheet { name: "考生名单", headers: &headers, rows }]).map_err(AppError::Internal)?;
    Ok(xlsx::download(&format!("session-{id}-candidates.xlsx"), bytes))
}
