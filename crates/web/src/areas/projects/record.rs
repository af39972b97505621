//! The record page of a project (P1, P3, P4, P7, P8): the specification (folded), the provenance of an
//! adopted project, the review group and its opinions (for the province and the group once the seal
//! opens), the files, the training materials, the timeline, and every step the caller may take now as
//! a small form. A refused step shows the page again with what was typed and why.

use super::view::{TimelineView, last_return_reason, receiver_label, state_tag, timeline_view};
use crate::AppState;
use crate::auth::Staff;
use crate::error::PageError;
use crate::extract::{Form, Path};
use crate::view::{Errors, Layout, back_with_error, done, redirect_or_refusal};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::authz::Action;
use domain::policy::keys;
use domain::projects::{MaterialInput, MaterialKind, ProjectEventKind, ProjectFileKind, ProjectState};
use serde::Deserialize;
use store::StoreError;
use store::projects::{ProjectActionInput, ProjectDetail};

/// The fields of a step as typed (kept when the step is refused).
#[derive(Deserialize, Default, Clone)]
pub struct ActionForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    publication_date: String,
    #[serde(default)]
    pilot: String,
    #[serde(default)]
    group_size: String,
}

/// One step the caller may take now, as a small form.
pub struct ActionView {
    kind: ProjectEventKind,
    label: &'static str,
    hint: String,
    confirm: &'static str,
    /// The reason's label when the step takes one.
    reason_label: &'static str,
    danger: bool,
    values: ActionForm,
    errors: Errors,
    /// Errors of this step that belong to no input of its form.
    other: Vec<String>,
}

/// What a step looks like: hint, confirmation, reason label, danger.
fn action_meta(k: ProjectEventKind, receiver: &str) -> Option<(String, &'static str, &'static str, bool)> {
    use ProjectEventKind as K;
    let s = |x: &str| x.to_string();
    Some(match k {
        K::Submit => (
            format!("提交至{receiver}。提交前须填齐考核规范并上传可行性分析报告；提交后在退回前不能修改。"),
            "提交后开发申请报送受理中心，退回前不能修改。确认提交？",
            "",
            false,
        ),
        K::CityReturn => (
            s("退回后开发单位按退回理由修改，重新提交；退回记录保留在办理记录中。"),
            "确认将开发申请退回开发单位？",
            "退回理由",
            true,
        ),
        K::Forward => (s("初审通过后报省鉴定中心组织专家论证评审。"), "确认初审通过并报省鉴定中心？", "", false),
        K::ProvinceReturn => {
            (s("退回后开发单位按退回理由修改，重新提交。"), "确认将开发申请退回开发单位？", "退回理由", true)
        }
        K::DrawReview => (
            s("从专家委员会按考核规范的专业领域随机抽取，回避开发单位的人员；名单在评审开始前密封。"),
            "抽取结果不可更改。确认抽取论证评审专家组？",
            "",
            false,
        ),
        K::OpenReview => (
            s("开始后公开专家组名单和随机种子，成员即可填写评审意见。"),
            "开始论证评审将公开专家组名单，不可撤回。确认开始？",
            "",
            false,
        ),
        K::Establish => (
            s("设立后按编号规则赋予项目编码，下一步发布并开展试点。"),
            "设立后将赋予项目编码。确认设立该考核项目？",
            "",
            false,
        ),
        K::Reject => {
            (s("不予设立后本次开发申请办结，不可恢复。"), "不予设立不可恢复。确认不予设立？", "不予设立的理由", true)
        }
        K::Publish => (
            s("发布后列入公开的考核项目目录并开始试点；试点期自发布日期起算，不超过政策参数规定的月数。"),
            "发布后将列入公开的考核项目目录。确认发布？",
            "",
            false,
        ),
        K::RollOut => {
            (s("试点结束后在全省推行，公开目录中显示为“全省推行”。"), "确认在全省推行该考核项目？", "", false)
        }
        K::Stop => (
            s("停止后不能再组织该项目的考核，公开目录保留其变更记录。"),
            "停止后不可恢复。确认停止该考核项目？",
            "停止理由",
            true,
        ),
        K::ApproveAdoption => (
            s("批准后赋予项目编码，按发布日期列入公开的考核项目目录，并保留来源信息。"),
            "批准采用后将列入公开的考核项目目录。确认批准？",
            "",
            false,
        ),
        K::RejectAdoption => {
            (s("不予采用后本次登记办结，不可恢复。"), "不予采用不可恢复。确认不予采用？", "不予采用的理由", true)
        }
        K::CompleteReview => return None,
    })
}

/// The inputs a step's form has (its errors stand beside them; the others above the form).
fn action_fields(kind: ProjectEventKind) -> &'static [&'static str] {
    use ProjectEventKind as K;
    match kind {
        K::CityReturn | K::ProvinceReturn | K::Reject | K::Stop | K::RejectAdoption => &["reason"],
        K::Publish => &["publication_date"],
        K::ApproveAdoption => &["publication_date", "pilot"],
        K::DrawReview => &["group_size"],
        _ => &[],
    }
}

pub struct OpinionRow {
    name: String,
    conclusion: String,
    comments: String,
    at: String,
}

pub struct MaterialRow {
    id: i64,
    kind: String,
    title: String,
    publisher: String,
    year: i32,
    file_id: Option<i64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "projects/show.html")]
pub struct ProjectPage {
    layout: Layout,
    d: ProjectDetail,
    tag: &'static str,
    receiver: String,
    next_step: String,
    /// The specification unfolded for the unit while it may still change it.
    spec_open: bool,
    can_edit: bool,
    method: String,
    provenance: String,
    draw_href: String,
    opinions: Vec<OpinionRow>,
    group_conclusion: String,
    reports: Vec<(i64, String, ProjectFileKind)>,
    materials: Vec<MaterialRow>,
    can_manage_materials: bool,
    material_kinds: &'static [MaterialKind],
    material: MaterialInput,
    material_errors: Errors,
    timeline: Vec<TimelineView>,
    actions: Vec<ActionView>,
    refused: String,
    refusal: Vec<String>,
    returned_reason: String,
    today: String,
    size_bounds: (u32, u32, u32),
}

fn next_step_for(d: &ProjectDetail, receiver: &str) -> String {
    use domain::projects::Actor;
    let Some(t) = domain::projects::todo(d.summary.state) else {
        return match d.summary.state {
            ProjectState::Pilot | ProjectState::InForce => "无，考核项目已列入公开目录".to_string(),
            _ => "无，办理已结束".to_string(),
        };
    };
    if d.actions.iter().any(|k| k.actor() == t.actor) {
        return format!("请您{}", t.text);
    }
    let office = match t.actor {
        Actor::DevelopmentUnit => d.summary.devunit_name.clone(),
        Actor::CityCenter => receiver.to_string(),
        a => a.label().to_string(),
    };
    format!("等待{office}{}", t.text)
}

/// A refused step (which, what was typed and why), or a refused material.
enum Refused {
    Step(ActionForm, FieldErrors),
    Material(MaterialInput, FieldErrors),
}

async fn project_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    refused: Option<Refused>,
) -> Result<ProjectPage, PageError> {
    let d = state.store.get_project(&staff.principal, id).await?;
    let today = store::today();
    let mut policy = Default::default();
    let min: u32 = state.store.policy_parsed(keys::EXPERT_GROUP_MIN, today, &mut policy).await?;
    let max: u32 = state.store.policy_parsed(keys::EXPERT_GROUP_MAX, today, &mut policy).await?;
    let size: u32 = state.store.policy_parsed(keys::EXPERT_GROUP_SIZE, today, &mut policy).await?;
    let receiver = receiver_label(&d.summary);
    let can_edit = d.actions.contains(&ProjectEventKind::Submit);
    let mut actions = Vec::new();
    for &kind in &d.actions {
        let Some((mut hint, confirm, reason_label, danger)) = action_meta(kind, &receiver) else { continue };
        if kind == ProjectEventKind::DrawReview {
            hint.push_str(&format!("专家组人数为 {min} 至 {max} 人，留空按 {size} 人抽取。"));
        }
        if (kind == ProjectEventKind::Establish || kind == ProjectEventKind::Reject)
            && let Some(c) = d.group_conclusion
        {
            hint.push_str(&format!("专家组评审意见：{}。", c.label()));
        }
        if kind == ProjectEventKind::Submit && !d.files.iter().any(|f| f.kind == ProjectFileKind::FeasibilityReport) {
            hint.push_str("尚未上传可行性分析报告。");
        }
        let (values, errors, other) = match &refused {
            Some(Refused::Step(form, errors)) if form.kind == kind.id() => {
                let fields = action_fields(kind);
                let other =
                    errors.0.iter().filter(|e| !fields.contains(&e.field.as_str())).map(|e| e.detail.clone()).collect();
                (form.clone(), errors.clone(), other)
            }
            _ => (
                ActionForm { publication_date: today.to_string(), ..Default::default() },
                FieldErrors::new(),
                Vec::new(),
            ),
        };
        actions.push(ActionView {
            kind,
            label: kind.label(),
            hint,
            confirm,
            reason_label,
            danger,
            values,
            errors: Errors(errors),
            other,
        });
    }
    actions.sort_by_key(|a| a.danger);
    let (refused_label, refusal) = match &refused {
        Some(Refused::Step(form, errors)) => (
            ProjectEventKind::parse(form.kind.trim()).map(|k| k.label()).unwrap_or("操作").to_string(),
            errors.0.iter().map(|e| e.detail.clone()).collect(),
        ),
        _ => (String::new(), Vec::new()),
    };
    let (material, material_errors) = match refused {
        Some(Refused::Material(m, e)) => (m, e),
        _ => (MaterialInput::default(), FieldErrors::new()),
    };
    let draw_href = match d.draw_id {
        Some(draw) if staff.principal.can(Action::RunDraws) => format!("/admin/draws/{draw}"),
        Some(draw) if d.seal_open => format!("/draws/{draw}"),
        _ => String::new(),
    };
    let title = if d.summary.name.trim().is_empty() {
        "开发申请（未填写项目名称）".to_string()
    } else {
        d.summary.name.clone()
    };
    Ok(ProjectPage {
        layout: Layout::new(staff, &state.config.system_name, &title, "/projects").crumb("考核项目", "/projects"),
        tag: state_tag(d.summary.state),
        next_step: next_step_for(&d, &receiver),
        receiver,
        spec_open: can_edit,
        can_edit,
        method: d.parsed.as_ref().map(|s| s.method().describe()).unwrap_or_default(),
        provenance: d.provenance.as_ref().map(|p| p.describe()).unwrap_or_default(),
        draw_href,
        opinions: d
            .opinions
            .iter()
            .map(|o| OpinionRow {
                name: o.expert_name.clone(),
                conclusion: o.conclusion.label().to_string(),
                comments: o.comments.clone(),
                at: crate::view::shanghai(o.recorded_at),
            })
            .collect(),
        group_conclusion: d.group_conclusion.map(|c| c.label()).unwrap_or("").to_string(),
        reports: d.files.iter().map(|f| (f.id, f.filename.clone(), f.kind)).collect(),
        materials: d
            .materials
            .iter()
            .map(|m| MaterialRow {
                id: m.id,
                kind: m.kind.label().to_string(),
                title: m.title.clone(),
                publisher: m.publisher.clone(),
                year: m.year,
                file_id: m.file_id,
            })
            .collect(),
        can_manage_materials: staff.principal.can(Action::ManageCatalog)
            && d.summary.code.is_some()
            && d.summary.state != ProjectState::Rejected,
        material_kinds: MaterialKind::ALL,
        material,
        material_errors: Errors(material_errors),
        timeline: timeline_view(&d.timeline),
        actions,
        refused: refused_label,
        refusal,
        returned_reason: if d.summary.state == ProjectState::Returned {
            last_return_reason(&d.timeline)
        } else {
            String::new()
        },
        today: today.to_string(),
        size_bounds: (min, max, size),
        d,
    })
}

pub async fn show_project(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<ProjectPage, PageError> {
    project_page(&state, &staff, id, None).await
}

/// The store's input of a step typed on the page.
pub fn action_input(f: &ActionForm) -> ProjectActionInput {
    let size = f.group_size.trim();
    ProjectActionInput {
        kind: f.kind.trim().to_string(),
        reason: f.reason.clone(),
        publication_date: f.publication_date.trim().to_string(),
        pilot: match f.pilot.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        // Not a number: 0, which the store refuses with the allowed range.
        group_size: if size.is_empty() { None } else { Some(size.parse().unwrap_or(0)) },
    }
}

pub async fn act_on_project(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<ActionForm>,
) -> Result<Response, PageError> {
    let input = action_input(&f);
    let result = state.store.act_on_project(&staff.principal, id, &input, &staff.ctx).await;
    redirect_or_refusal(
        result,
        |_| done(format!("/projects/{id}"), &format!("project_{}", input.kind)),
        |refusal| {
            let errors = FieldErrors(
                refusal
                    .into_errors()
                    .0
                    .into_iter()
                    .map(|e| if e.field == "count" { e.for_field("group_size") } else { e })
                    .collect(),
            );
            project_page(&state, &staff, id, Some(Refused::Step(ActionForm { kind: input.kind.clone(), ..f }, errors)))
        },
    )
    .await
}

/// A file kept with a project, for whoever may see the project.
pub async fn download(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    let (meta, bytes) = state.store.read_project_file(&staff.principal, id, file).await?;
    Ok(super::api::file_response(&meta, bytes))
}

/// The unit removes its feasibility report while the application may change (the page asks first).
pub async fn remove_file(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    match state.store.remove_project_file(&staff.principal, id, file, &staff.ctx).await {
        Ok(()) => Ok(done(format!("/projects/{id}/edit"), "project_file_removed").into_response()),
        Err(StoreError::Conflict(e)) => {
            Ok(back_with_error(format!("/projects/{id}"), format!("未能删除：{}", e.detail)))
        }
        Err(e) => Err(e.into()),
    }
}

/// P7: the province records a training material or exam guide.
pub async fn add_material(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(input): Form<MaterialInput>,
) -> Result<Response, PageError> {
    let result = state.store.add_material(&staff.principal, id, &input, &staff.ctx).await;
    redirect_or_refusal(
        result,
        |_| done(format!("/projects/{id}#materials"), "project_material_added"),
        |refusal| project_page(&state, &staff, id, Some(Refused::Material(input.clone(), refusal.into_errors()))),
    )
    .await
}

/// P7: the province removes a material recorded in error.
pub async fn remove_material(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, material)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    state.store.remove_material(&staff.principal, id, material, &staff.ctx).await?;
    Ok(done(format!("/projects/{id}#materials"), "project_material_removed").into_response())
}
