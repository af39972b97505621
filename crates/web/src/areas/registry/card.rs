//! E8–E10: the printed card (考评员证, 督导员资格证, 培训师证书) — front and back at the ID-1 card size
//! (85.6 × 54 mm) on an A4 sheet, with cutting lines, for the province's office that issues them. Only a
//! person in good standing (有效) with a card still valid is printed; otherwise the page says why and
//! prints nothing.

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::Path;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use domain::authz::Action;
use domain::registry::PersonStatus;
use store::registry::PersonDetail;

#[derive(Template, WebTemplate)]
#[template(path = "registry/card.html")]
pub struct CardPage {
    d: PersonDetail,
    /// Why the card is not printed (empty: it is).
    refused: String,
}

pub async fn print_card(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<CardPage, PageError> {
    if !staff.principal.can(Action::ManageRegistry) {
        return Err(AppError::Forbidden.into());
    }
    let d = state.store.get_registered(&staff.principal, id).await?;
    let refused = if d.person.status != PersonStatus::Active {
        format!("该人员当前状态为“{}”，不能打印{}。", d.person.status.label(), d.person.kind.card_label())
    } else if d.person.card_expired {
        format!(
            "{}已于 {} 到期，不能打印；参加培训考核合格换发新证后再打印。",
            d.person.kind.card_label(),
            d.person.card_valid_until
        )
    } else {
        String::new()
    };
    Ok(CardPage { d, refused })
}
