//! The annex-1 form as filled, laid out for A4 printing: the application, the materials, and the
//! opinions of the receiving center, the evaluation group (S4) and the province (S5) with their dates.

use super::materials::material_views;
use super::view::{AppView, MemberFindings, member_findings, paper_date};
use crate::AppState;
use crate::auth::Staff;
use crate::error::PageError;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use domain::stations::FilingState;
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
    commitment_date: String,
    city: Opinion,
    group: Opinion,
    members: Vec<MemberFindings>,
    province: Opinion,
}

fn find_step<'a>(timeline: &'a [TimelineItem], from: &[FilingState], to: &[FilingState]) -> Option<&'a TimelineItem> {
    timeline
        .iter()
        .rev()
        .find(|t| from.iter().any(|s| s.id() == t.from_state) && to.iter().any(|s| s.id() == t.to_state))
}

pub async fn print_filing(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<PrintPage, PageError> {
    let (d, files) = state.store.get_filing_with_materials(&staff.principal, id).await?;
    let materials = material_views(files).into_iter().map(|m| (m.label, m.files.len())).collect();
    use FilingState as S;
    let city = if d.summary.receiver == "province" {
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
                paper_date(&p.evaluation_date.to_string()),
                p.place,
                p.methods,
                p.contacts,
                paper_date(&p.submitted_on.to_string())
            ));
        }
        Opinion { lines, date: accepted.map(|t| paper_date(&t.at)).unwrap_or_default() }
    };
    let members: Vec<MemberFindings> = d.findings.iter().map(member_findings).collect();
    let group = match domain::stations::Conclusion::parse(&d.group_conclusion) {
        Some(c) => Opinion {
            lines: vec![format!(
                "经听取报告、文件审核、技术抽查、访谈咨询、质询答辩和现场考察，评估结论：{}（{} 名成员中 {} 名通过）。",
                c.label(),
                members.len(),
                members.iter().filter(|m| m.pass).count()
            )],
            date: d.findings.iter().map(|f| f.recorded_at.as_str()).max().map(paper_date).unwrap_or_default(),
        },
        None => Opinion { lines: Vec::new(), date: String::new() },
    };
    let decided = find_step(&d.timeline, &[S::Evaluated], &[S::Filed, S::Rejected]);
    let mut province_lines = Vec::new();
    if !d.province_opinion.is_empty() {
        province_lines.push(d.province_opinion.clone());
    }
    if let Some(t) = decided {
        province_lines.push(if t.to_state == S::Filed.id() {
            format!("准予备案，机构编码：{}。", d.summary.institution_code.clone().unwrap_or_default())
        } else {
            "不予备案。".to_string()
        });
    }
    Ok(PrintPage {
        id,
        app: AppView::of(&d.application),
        materials,
        state_label: d.summary.state_label.clone(),
        institution_code: d.summary.institution_code.clone().unwrap_or_default(),
        commitment_date: paper_date(&d.summary.submitted_at),
        city,
        group,
        members,
        province: Opinion { lines: province_lines, date: decided.map(|t| paper_date(&t.at)).unwrap_or_default() },
    })
}
