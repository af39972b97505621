//! The workbench (工作台) of every role: its to-do list by deadline, in working days.

use crate::AppState;
use crate::auth::Staff;
use crate::error::PageError;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use store::workflow::TodoItem;

/// A to-do as the workbench shows it: with the page it leads to.
pub struct TodoRow {
    pub item: TodoItem,
    pub link: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    layout: Layout,
    todo: Vec<TodoRow>,
    today: String,
    scope: String,
    totp_enabled: bool,
    /// An account the system administrator created and no one has granted a role yet (issue 8 item 9).
    no_roles: bool,
}

pub async fn home(State(state): State<AppState>, staff: Staff) -> Result<HomePage, PageError> {
    let todo = state
        .store
        .todo_for(&staff.principal)
        .await?
        .into_iter()
        .map(|item| TodoRow {
            link: crate::areas::link_for(item.subject_kind, &item.subject_id).unwrap_or_default(),
            item,
        })
        .collect();
    let layout = Layout::new(&staff, &state.config.system_name, "工作台", "/home");
    Ok(HomePage {
        layout,
        todo,
        today: store::today().to_string(),
        scope: staff.principal.scope.label(),
        totp_enabled: staff.totp_enabled,
        no_roles: staff.principal.roles.is_empty(),
    })
}
