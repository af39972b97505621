//! The annex-1 form as filled, laid out for A4 printing: the application, the materials, and the
//! opinions of the receiving center, the evaluation group (S4) and the province (S5) with their dates.

use super::materials::material_views;
use super::view::{AppView, MemberFindings, day_of, member_findings, paper_date};
use crate::AppState;
use crate::auth::Staff;
use crate::error::PageError;
use crate::extract::Path;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use domain::stations::{FilingState, Receiver};
use store::workflow::TimelineItem;

/// An opinion block of the printed form: its lines and its date.
pub struct Opinion {
    lines: Vec<String>,
    date: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "filings/print.html")]
pub struct PrintPage {
    id: i64,
    app: AppView,
    materials: Vec<(&'static str, usize)>,
    state_label: String,
    institution_code: String,
    /// The reference number (`备2026-0001`), empty before the first submission (issue 9 item 16).
    reference: String,
    commitment_date: String,
    city: Opinion,
    group: Opinion,
    members: Vec<MemberFindings>,
    province: Opinion,
}

fn find_step<'a>(
    timeline: &'a [TimelineItem<FilingState>],
    from: &[FilingState],
    to: &[FilingState],
) -> Option<&'a TimelineItem<FilingState>> {
    timeline
        .iter()
        .rev()
        .find(|t| t.from_state.is_some_and(|s| from.contains(&s)) && t.to_state.is_some_and(|s| to.contains(&s)))
}

pub async fn print_filing(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<PrintPage, PageError> {
    let (d, files) = state.store.get_filing_with_materials(&staff.principal, id).await?;
    let materials = material_views(files).into_iter().map(|m| (m.label, m.files.len())).collect();
    use FilingState as S;
    let city = if d.summary.receiver == Receiver::Province {
        Opinion {
            lines: vec![
                "申请单位属省直部门、省级行业组织、中央在湘企业或省属企业，直接向省鉴定中心申请（不经市州鉴定中心）。"
                    .into(),
            ],
            date: String::new(),
        }
    } else {
        let mut lines = Vec::new();
        let accepted = find_step(&d.timeline, &[S::Submitted], &[S::Accepted]);
        if accepted.is_some() {
            lines.push("同意受理。".to_string());
        }
        if let Some(p) = &d.plan {
            lines.push(format!(
                "评估方案：评估日期 {}，地点：{}；评估方式：{}；联系人：{}。评估方案于 {} 上报省鉴定中心。",
                paper_date(Some(p.evaluation_date)),
                p.place,
                p.methods,
                p.contacts,
                paper_date(Some(p.submitted_on))
            ));
        }
        Opinion { lines, date: paper_date(day_of(accepted.map(|t| t.at))) }
    };
    let members: Vec<MemberFindings> = d.findings.iter().map(member_findings).collect();
    let group = match d.group_conclusion {
        Some(c) => Opinion {
            lines: vec![format!(
                "经听取报告、文件审核、技术抽查、访谈咨询、质询答辩和现场考察，评估结论：{}（{} 名成员中 {} 名通过）。",
                c.label(),
                members.len(),
                members.iter().filter(|m| m.pass).count()
            )],
            date: paper_date(day_of(d.findings.iter().map(|f| f.recorded_at).max())),
        },
        None => Opinion { lines: Vec::new(), date: String::new() },
    };
    let decided = find_step(&d.timeline, &[S::Evaluated], &[S::Filed, S::Rejected]);
    let mut province_lines = Vec::new();
    if !d.province_opinion.is_empty() {
        province_lines.push(d.province_opinion.clone());
    }
    if let Some(t) = decided {
        // The decision's words once: not again after an opinion that opens with them (issue 9 item 7).
        let filed = t.to_state == Some(S::Filed);
        let said = d.province_opinion.starts_with(if filed { "准予备案" } else { "不予备案" });
        let code = d.summary.institution_code.clone().unwrap_or_default();
        match (filed, said) {
            (true, false) => province_lines.push(format!("准予备案，机构编码：{code}。")),
            (true, true) => province_lines.push(format!("机构编码：{code}。")),
            (false, false) => province_lines.push("不予备案。".to_string()),
            (false, true) => {}
        }
    }
    Ok(PrintPage {
        id,
        app: AppView::of(&d.application),
        materials,
        state_label: d.summary.state.label().to_string(),
        institution_code: d.summary.institution_code.clone().unwrap_or_default(),
        reference: d.summary.reference.clone().unwrap_or_default(),
        commitment_date: paper_date(day_of(d.summary.submitted_at)),
        city,
        group,
        members,
        province: Opinion { lines: province_lines, date: paper_date(day_of(decided.map(|t| t.at))) },
    })
}
