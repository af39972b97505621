//! What the filing pages share: the states, receivers and dates in words, the annex-1 application as
//! read on a page, a member's findings, and the form fields as posted.

use domain::FieldErrors;
use domain::ids::RegionCode;
use domain::org::Nature;
use domain::stations::{
    ApplicantCategory, ApplicationInput, AssessorInput, Conclusion, EvaluationMethod, FacilityInput, FilingEventKind,
    FilingState, FindingsInput, Receiver, S1Condition,
};
use store::filings::{FilingSummary, FindingView};
use store::workflow::TimelineItem;

/// The tag colour of a state.
pub(super) fn state_tag(state: FilingState) -> &'static str {
    match state {
        FilingState::Filed => "tag-ok",
        FilingState::Rejected | FilingState::Revoked => "tag-danger",
        FilingState::Returned | FilingState::Suspended => "tag-warn",
        FilingState::Draft => "tag-muted",
        _ => "tag-info",
    }
}

/// The receiving center by its one official name (issue 9 item 16): 省鉴定中心, or the city's center
/// as its organisation is named (长沙市职业技能鉴定中心, `domain::org::city_center_name`).
pub(super) fn receiver_label(s: &FilingSummary) -> String {
    if s.receiver == Receiver::Province {
        "省鉴定中心".to_string()
    } else {
        match RegionCode::parse(&s.receiving_region).ok().and_then(|c| c.name()) {
            Some(city) => domain::stations::city_center_name(city),
            None => "市州鉴定中心".to_string(),
        }
    }
}

/// A time to the minute, in Asia/Shanghai (`YYYY-MM-DD hh:mm`), or empty.
pub(super) fn minutes(t: Option<time::OffsetDateTime>) -> String {
    let s = crate::view::shanghai_opt(t);
    s.get(..16).unwrap_or(&s).to_string()
}

/// A region as read on a page: the names from the city down with the code, 长沙市岳麓区（430104）
/// (issue 9 item 8).
pub(super) fn region_label(code: &str) -> String {
    match RegionCode::parse(code) {
        Ok(c) => format!("{}（{}）", domain::ids::region_name(c.as_str()), c.as_str()),
        Err(_) => code.trim().to_string(),
    }
}

/// A date as written on paper forms (2026 年 11 月 28 日), or empty.
pub(super) fn paper_date(d: Option<time::Date>) -> String {
    match d {
        Some(d) => format!("{} 年 {} 月 {} 日", d.year(), u8::from(d.month()), d.day()),
        None => String::new(),
    }
}

/// The day (Asia/Shanghai) of a time, for [`paper_date`].
pub(super) fn day_of(t: Option<time::OffsetDateTime>) -> Option<time::Date> {
    t.map(domain::ids::shanghai_date)
}

/// A form as name/value pairs (repeated names kept in order).
pub(super) struct Fields(pub(super) Vec<(String, String)>);

impl Fields {
    pub(super) fn one(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }
    pub(super) fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }
    pub(super) fn checked(&self, name: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && !v.is_empty())
    }
}

pub struct ConditionRow {
    pub(super) label: &'static str,
    pub(super) text: &'static str,
    pub(super) affirmed: bool,
    pub(super) evidence: String,
}

/// The annex-1 fields in words, blank rows left out.
pub struct AppView {
    pub(super) institution_name: String,
    pub(super) nature: String,
    pub(super) category: String,
    pub(super) person_in_charge: String,
    pub(super) person_in_charge_phone: String,
    pub(super) contact: String,
    pub(super) contact_phone: String,
    pub(super) address: String,
    pub(super) region: String,
    pub(super) projects: Vec<String>,
    pub(super) facilities: Vec<FacilityInput>,
    pub(super) assessors: Vec<AssessorInput>,
    pub(super) conditions: Vec<ConditionRow>,
    pub(super) legal_representative: String,
    pub(super) commitment_confirmed: bool,
}

impl AppView {
    pub(super) fn of(a: &ApplicationInput) -> AppView {
        AppView {
            institution_name: a.institution_name.clone(),
            nature: Nature::parse(a.nature.trim()).map(|n| n.label().to_string()).unwrap_or_else(|| a.nature.clone()),
            category: ApplicantCategory::parse(a.category.trim())
                .map(|c| c.label().to_string())
                .unwrap_or_else(|| a.category.clone()),
            person_in_charge: a.person_in_charge_name.clone(),
            person_in_charge_phone: a.person_in_charge_phone.clone(),
            contact: a.contact_name.clone(),
            contact_phone: a.contact_phone.clone(),
            address: a.address.clone(),
            region: region_label(&a.region_code),
            projects: a.projects.iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect(),
            facilities: a.facilities.iter().filter(|f| !f.is_blank()).cloned().collect(),
            assessors: a.assessors.iter().filter(|r| !r.is_blank()).cloned().collect(),
            conditions: S1Condition::ALL
                .iter()
                .map(|c| {
                    let row = a.conditions.iter().find(|r| r.condition.trim() == c.id());
                    ConditionRow {
                        label: c.label(),
                        text: c.text(),
                        affirmed: row.is_some_and(|r| r.affirmed),
                        evidence: row.map(|r| r.evidence.clone()).unwrap_or_default(),
                    }
                })
                .collect(),
            legal_representative: a.legal_representative.clone(),
            commitment_confirmed: a.commitment_confirmed,
        }
    }
}

/// The message of the error about `field`, or empty.
pub(super) fn err_of(errors: &FieldErrors, field: &str) -> String {
    errors.get(field).map(|e| e.detail.clone()).unwrap_or_default()
}

/// The reason of the latest return, for the applicant editing a returned application.
pub(super) fn last_return_reason(timeline: &[TimelineItem<FilingState>]) -> String {
    timeline
        .iter()
        .rev()
        .find(|t| t.to_state == Some(FilingState::Returned) && t.from_state != t.to_state)
        .map(|t| {
            let prefix = format!("{}：", FilingEventKind::Return.label());
            t.comment.strip_prefix(&prefix).unwrap_or(&t.comment).to_string()
        })
        .unwrap_or_default()
}

/// A group member's signed findings by the six methods (S4), as the record page and the print read them.
pub struct MemberFindings {
    pub(super) name: String,
    pub(super) conclusion: String,
    pub(super) pass: bool,
    pub(super) recorded_at: String,
    pub(super) rows: Vec<(&'static str, String)>,
    pub(super) comment: String,
}

pub(super) fn member_findings(f: &FindingView) -> MemberFindings {
    let input: &FindingsInput = &f.findings;
    MemberFindings {
        name: f.expert_name.clone(),
        conclusion: f.conclusion.label().to_string(),
        pass: f.conclusion == Conclusion::Pass,
        recorded_at: crate::view::shanghai(f.recorded_at),
        rows: EvaluationMethod::ALL
            .iter()
            .map(|m| {
                let text =
                    input.findings.iter().find(|x| x.method == m.id()).map(|x| x.text.clone()).unwrap_or_default();
                (m.label(), text)
            })
            .collect(),
        comment: input.comment.clone(),
    }
}
