//! The workbench (工作台) of every role: its to-do list by deadline, in working days.

use crate::AppState;
use crate::auth::Staff;
use crate::error::PageError;
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use domain::org::Role;
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
    /// What each of the caller's roles will find here, shown while nothing waits (issue 9 item 12).
    expect: Vec<&'static str>,
}

/// What a role's to-do list will hold, in one line (issue 9 item 12).
fn what_comes_here(role: Role) -> &'static str {
    match role {
        Role::ProvinceAdmin => {
            "备案申请的评估方案审核、专家评议组抽取、开始评估、备案决定，以及每年录入次年节假日安排的提醒，会出现在这里。"
        }
        Role::ProvinceStaff => {
            "市州鉴定中心上报评估方案、或省直单位提交备案申请后，审核、抽取专家评议组、开始评估和作出备案决定的任务会出现在这里。"
        }
        Role::QbankOfficer => "题库建设与组卷任务会出现在这里。",
        Role::CityAdmin | Role::CityStaff => "本市州的考核站提交备案申请后，受理和上报评估方案的任务会出现在这里。",
        Role::StationStaff => "保存的备案申请草稿、被退回待修改重新提交的申请会出现在这里。",
        Role::DevunitStaff => "考核项目开发与论证的任务会出现在这里。",
        Role::Expert => "被抽取为评估专家后，评估任务会出现在这里。",
        Role::Assessor => "被安排为考评员后，考评任务会出现在这里。",
        Role::Supervisor => "被派出督导考核后，督导任务会出现在这里。",
        Role::Candidate => "报名参加考核后，考核安排会出现在这里。",
        Role::SystemAdmin => "系统运行与设置方面需要处理的事项会出现在这里。",
        Role::SecurityAdmin => "账号安全告警（如同一账号登录失败次数过多）会出现在这里。",
        Role::AuditAdmin => "审计日志方面需要处理的事项会出现在这里。",
    }
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
        expect: staff.principal.roles.iter().map(|r| what_comes_here(*r)).collect(),
    })
}
