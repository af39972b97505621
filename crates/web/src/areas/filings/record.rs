//! The record page of a filing (S1–S5): the application, its plan, the evaluation group and its
//! findings, the materials, the timeline, who acts next, and every step the caller may take now as a
//! small form. A refused step shows the page again with what was typed and why.

use super::materials::MaterialsBlock;
use super::view::{AppView, MemberFindings, last_return_reason, member_findings, receiver_label, state_tag};
use crate::AppState;
use crate::auth::Staff;
use crate::error::PageError;
use crate::extract::{Form, Path};
use crate::view::{Errors, Layout, done, parse_date, redirect_or_refusal};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use domain::authz::Action;
use domain::policy::keys;
use domain::stations::{Conclusion, FilingEventKind, FilingState};
use domain::{FieldError, FieldErrors};
use serde::Deserialize;
use store::filings::{EvaluationPlan, FilingActionInput, FilingDetail};
use store::workflow::TimelineItem;

/// The fields of a step as typed (kept when the step is refused).
#[derive(Deserialize, Default, Clone)]
pub struct ActionForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    approve: String,
    #[serde(default)]
    evaluation_date: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    methods: String,
    #[serde(default)]
    contacts: String,
    #[serde(default)]
    group_size: String,
    #[serde(default)]
    specialties: String,
}

/// One step the caller may take now, as a small form.
pub struct ActionView {
    kind: FilingEventKind,
    label: &'static str,
    hint: String,
    confirm: String,
    /// `reason` label when the step takes a reason (return, plan return, suspension, revocation).
    reason_label: &'static str,
    danger: bool,
    values: ActionForm,
    errors: Errors,
    /// Errors of this step that belong to no input of its form.
    other: Vec<String>,
    /// The group size's bounds from policy (draw step only), for the input's `min`/`max`.
    size_bounds: (u32, u32),
}

/// What a step looks like: label, hint, confirmation, reason label, danger.
fn action_meta(
    k: FilingEventKind,
    receiver: &str,
    lead: u32,
) -> Option<(&'static str, String, String, &'static str, bool)> {
    use FilingEventKind as K;
    let label = k.label();
    let s = |x: &str| x.to_string();
    Some(match k {
        K::Submit => (
            label,
            format!("提交至{receiver}。提交后在受理或退回前不能修改。"),
            format!("提交后申请将报送{receiver}，受理或退回前不能修改。确认提交？"),
            "",
            false,
        ),
        K::Return => (
            label,
            s("退回后申请单位按退回理由修改，重新提交；退回记录保留在办理记录中。"),
            s("确认将申请退回申请单位？"),
            "退回理由",
            true,
        ),
        K::Accept => (
            label,
            format!("受理后制定评估方案，并于评估日期前至少 {lead} 个工作日报省鉴定中心，见规程第二部分第（三）条。"),
            s("确认受理该备案申请？"),
            "",
            false,
        ),
        K::SubmitPlan => (
            label,
            format!("评估方案须于评估前至少 {lead} 个工作日报省鉴定中心，见规程第二部分第（三）条。"),
            s("上报后评估方案由省鉴定中心审核。确认上报？"),
            "",
            false,
        ),
        K::ApprovePlan => {
            (label, s("通过后由省鉴定中心从专家委员会随机抽取专家评议组。"), s("确认通过该评估方案？"), "", false)
        }
        K::ReturnPlan => {
            (label, s("退回后由受理中心重新制定并上报评估方案。"), s("确认退回评估方案？"), "退回意见", true)
        }
        K::DrawGroup => (
            label,
            s("从专家委员会随机抽取，按回避规则排除与申请单位有关的专家；名单在评估开始前密封。"),
            s("抽取结果不可更改。确认抽取专家评议组？"),
            "",
            false,
        ),
        K::StartEvaluation => (
            label,
            s("评估当日开始：公开评议组名单和随机种子，评议组成员即可填写评估意见。"),
            s("开始评估将公开专家评议组名单和随机种子，不可撤回。确认评估已开始？"),
            "",
            false,
        ),
        K::Decide => (
            label,
            s("根据专家评议组的评估结论作出决定；准予备案的，系统按编号规则赋予机构编码。"),
            String::new(),
            "",
            false,
        ),
        K::Suspend => (
            label,
            s("暂停后该考核站从公开的考核站名录中移除，可恢复或撤销。"),
            s("确认暂停该考核站的备案？"),
            "暂停理由",
            true,
        ),
        K::Reinstate => (
            label,
            s("恢复后该考核站重新列入公开的考核站名录。恢复理由记入办理记录。"),
            s("确认恢复该考核站的备案？"),
            "恢复理由",
            false,
        ),
        K::Revoke => (
            label,
            s("撤销备案后不可恢复，该考核站从公开名录中移除。"),
            s("撤销备案不可恢复。确认撤销？"),
            "撤销理由",
            true,
        ),
        K::CompleteEvaluation => return None,
    })
}

/// The inputs a step's form has (its errors stand beside them; the others above the form).
fn action_fields(kind: FilingEventKind) -> &'static [&'static str] {
    use FilingEventKind as K;
    match kind {
        K::Return | K::ReturnPlan | K::Suspend | K::Reinstate | K::Revoke => &["reason"],
        K::SubmitPlan => &["evaluation_date", "place", "methods", "contacts"],
        K::DrawGroup => &["group_size", "specialties"],
        K::Decide => &["reason", "approve"],
        _ => &[],
    }
}

pub struct TimelineView {
    at: String,
    actor: String,
    step: String,
    comment: String,
}

fn timeline_view(items: &[TimelineItem<FilingState>]) -> Vec<TimelineView> {
    let label = |s: Option<FilingState>| s.map(|s| s.label()).unwrap_or("");
    items
        .iter()
        .map(|t| TimelineView {
            at: crate::view::shanghai(t.at),
            actor: t.actor_name.clone(),
            step: if t.from_state.is_none() || t.from_state == t.to_state {
                label(t.to_state).to_string()
            } else {
                format!("{} → {}", label(t.from_state), label(t.to_state))
            },
            comment: t.comment.clone(),
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "filings/show.html")]
pub struct FilingPage {
    layout: Layout,
    d: FilingDetail,
    app: AppView,
    /// The application unfolded: for the applicant while it may still change it (issue 9 item 9).
    app_open: bool,
    earliest_plan_date: String,
    tag: &'static str,
    receiver: String,
    next_step: String,
    plan: Option<EvaluationPlan>,
    draw_href: String,
    findings: Vec<MemberFindings>,
    group_conclusion: String,
    group_pass: bool,
    timeline: Vec<TimelineView>,
    actions: Vec<ActionView>,
    refused: String,
    refusal: Vec<String>,
    can_edit: bool,
    mat: MaterialsBlock,
    /// The reason of the latest return, while the application is back with the applicant.
    returned_reason: String,
}

/// The next step as the caller reads it (issue 9 item 7): what the caller does when it is their turn,
/// otherwise whom the filing waits for — the office by its one official name.
fn next_step_for(d: &FilingDetail, receiver: &str) -> String {
    use domain::stations::Office;
    let Some(t) = domain::stations::todo(d.summary.state, d.summary.receiver) else {
        return "无，办理已结束".to_string();
    };
    if d.actions.iter().any(|k| k.actor() == t.actor) {
        return format!("请您{}", t.text);
    }
    let office = match t.office {
        Office::Applicant => d.summary.institution_name.clone(),
        Office::CityCenter => receiver.to_string(),
        Office::ProvinceCenter | Office::EvaluationGroup => t.office.label().to_string(),
    };
    format!("等待{office}{}", t.text)
}

/// A refused step: which, what was typed and why.
struct Refused {
    form: ActionForm,
    errors: FieldErrors,
}

async fn filing_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    refused: Option<Refused>,
) -> Result<FilingPage, PageError> {
    let (d, files) = state.store.get_filing_with_materials(&staff.principal, id).await?;
    let can_edit = d.actions.contains(&FilingEventKind::Submit);
    let mat = MaterialsBlock::new(id, files, can_edit);
    let today = store::today();
    let lead: u32 = state.store.policy_parsed(keys::EVALUATION_PLAN_LEAD_DAYS, today, &mut Default::default()).await?;
    let receiver = receiver_label(&d.summary);
    let next_step = next_step_for(&d, &receiver);
    let mut actions = Vec::new();
    let mut size_bounds = (1, 15);
    // The example date beside the plan's date input: the earliest the rule allows.
    let mut earliest_plan_date = today.to_string();
    for &kind in &d.actions {
        let Some((label, mut hint, confirm, reason_label, danger)) = action_meta(kind, &receiver, lead) else {
            continue;
        };
        if kind == FilingEventKind::SubmitPlan
            && let Ok(cal) = state.store.calendar().await
            && let Ok(earliest) = cal.add_working_days(today, lead)
        {
            hint.push_str(&format!("今天上报的，评估日期最早为 {earliest}。"));
            earliest_plan_date = earliest.to_string();
        }
        if kind == FilingEventKind::StartEvaluation
            && let Some(planned) = d.plan.as_ref().map(|p| p.evaluation_date)
        {
            hint.push_str(&if today < planned {
                format!("评估方案确定的评估日期为 {planned}，当日起方可开始评估。")
            } else {
                format!("评估日期：{planned}。")
            });
        }
        if kind == FilingEventKind::DrawGroup {
            let mut policy = Default::default();
            let min: u32 = state.store.policy_parsed(keys::EXPERT_GROUP_MIN, today, &mut policy).await?;
            let max: u32 = state.store.policy_parsed(keys::EXPERT_GROUP_MAX, today, &mut policy).await?;
            let size: u32 = state.store.policy_parsed(keys::EXPERT_GROUP_SIZE, today, &mut policy).await?;
            hint.push_str(&format!("评议组人数为 {min} 至 {max} 人，留空按 {size} 人抽取。"));
            size_bounds = (min, max);
        }
        if kind == FilingEventKind::Decide
            && let Some(c) = d.group_conclusion
        {
            hint.push_str(&format!(
                "专家评议组结论：{}，{} 名成员已签署，各成员意见见上方“专家评议组”。",
                c.label(),
                d.findings.len()
            ));
        }
        if kind == FilingEventKind::Submit && !mat.missing.is_empty() {
            hint.push_str(&format!("提交前须上传全部附报材料，尚缺：{}。", mat.missing.join("、")));
        }
        let (values, errors, other) = match &refused {
            Some(r) if r.form.kind == kind.id() => {
                let fields = action_fields(kind);
                // A refused submission names each field of the application it needs (issue 9 item 11).
                let line = |e: &domain::FieldError| {
                    if kind == FilingEventKind::Submit {
                        super::form::submission_error_line(e)
                    } else {
                        e.detail.clone()
                    }
                };
                let other = r.errors.0.iter().filter(|e| !fields.contains(&e.field.as_str())).map(line).collect();
                (r.form.clone(), r.errors.clone(), other)
            }
            // Issue 9 item 13: the group's specialties default to the filing's projects.
            _ if kind == FilingEventKind::DrawGroup => (
                ActionForm { specialties: d.summary.projects.join("、"), ..ActionForm::default() },
                FieldErrors::new(),
                Vec::new(),
            ),
            _ => (ActionForm::default(), FieldErrors::new(), Vec::new()),
        };
        actions.push(ActionView {
            kind,
            label,
            hint,
            confirm,
            reason_label,
            danger,
            values,
            errors: Errors(errors),
            other,
            size_bounds,
        });
    }
    // The steps that send something back or end it come after the ones that move it forward.
    actions.sort_by_key(|a| a.danger);
    let (refused_label, refusal) = match &refused {
        Some(r) => (
            r.form
                .kind
                .parse()
                .ok()
                .and_then(|k| action_meta(k, &receiver, lead))
                .map(|m| m.0)
                .unwrap_or("操作")
                .to_string(),
            r.errors
                .0
                .iter()
                .map(|e| {
                    if r.form.kind == FilingEventKind::Submit.id() {
                        super::form::submission_error_line(e)
                    } else {
                        e.detail.clone()
                    }
                })
                .collect(),
        ),
        None => (String::new(), Vec::new()),
    };
    let draw_href = match d.draw_id {
        Some(draw) if staff.principal.can(Action::RunDraws) => format!("/admin/draws/{draw}"),
        Some(draw) => format!("/draws/{draw}"),
        None => String::new(),
    };
    let group_conclusion = d.group_conclusion.map(|c| c.label()).unwrap_or("").to_string();
    Ok(FilingPage {
        layout: Layout::new(staff, &state.config.system_name, &d.summary.institution_name, "/filings")
            .crumb("备案申请", "/filings"),
        app: AppView::of(&d.application),
        app_open: can_edit,
        earliest_plan_date,
        tag: state_tag(d.summary.state),
        receiver,
        next_step,
        plan: d.plan.clone(),
        draw_href,
        findings: d.findings.iter().map(member_findings).collect(),
        group_pass: d.group_conclusion == Some(Conclusion::Pass),
        group_conclusion,
        timeline: timeline_view(&d.timeline),
        can_edit,
        actions,
        refused: refused_label,
        refusal,
        returned_reason: if d.summary.state == FilingState::Returned {
            last_return_reason(&d.timeline)
        } else {
            String::new()
        },
        mat,
        d,
    })
}

pub async fn show_filing(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<FilingPage, PageError> {
    filing_page(&state, &staff, id, None).await
}

pub async fn act_on_filing(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<ActionForm>,
) -> Result<Response, PageError> {
    let date = parse_date(&f.evaluation_date);
    let size = f.group_size.trim();
    let input = FilingActionInput {
        kind: f.kind.trim().to_string(),
        reason: f.reason.clone(),
        approve: match f.approve.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        evaluation_date: date,
        place: f.place.clone(),
        methods: f.methods.clone(),
        contacts: f.contacts.clone(),
        // Not a number: 0, which the store refuses with the allowed range.
        group_size: if size.is_empty() { None } else { Some(size.parse().unwrap_or(0)) },
        specialties: f.specialties.clone(),
    };
    let result = state.store.act_on_filing(&staff.principal, id, &input, &staff.ctx).await;
    let typed_date = f.evaluation_date.trim().to_string();
    redirect_or_refusal(
        result,
        |_| done(format!("/filings/{id}"), &format!("filing_{}", input.kind)),
        |refusal| {
            let errors = FieldErrors(
                refusal
                    .into_errors()
                    .0
                    .into_iter()
                    .map(|e| match e.field.as_str() {
                        "count" => e.for_field("group_size"),
                        "evaluation_date" if date.is_none() && !typed_date.is_empty() => {
                            FieldError::new("evaluation_date", "DATE_FORMAT", "评估日期格式应为 YYYY-MM-DD")
                        }
                        _ => e,
                    })
                    .collect(),
            );
            let refused = Refused { form: ActionForm { kind: input.kind.clone(), ..f }, errors };
            filing_page(&state, &staff, id, Some(refused))
        },
    )
    .await
}
