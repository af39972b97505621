//! What the project pages share: the state's tag colour, the receiving center's name, the timeline.

use domain::ids::RegionCode;
use domain::projects::{ProjectState, Receiver};
use store::projects::ProjectSummary;
use store::workflow::TimelineItem;

/// The tag colour of a state on lists and the record page.
pub(super) fn state_tag(state: ProjectState) -> &'static str {
    match state {
        ProjectState::InForce | ProjectState::Pilot | ProjectState::Established => "tag-ok",
        ProjectState::Rejected | ProjectState::Stopped => "tag-danger",
        ProjectState::Returned => "tag-warn",
        ProjectState::Draft => "tag-muted",
        _ => "tag-info",
    }
}

/// The receiving center by its official name (the city's center, or 省鉴定中心 for provincial bodies
/// and adopted projects).
pub(super) fn receiver_label(s: &ProjectSummary) -> String {
    if s.receiver == Receiver::Province {
        return "省鉴定中心".to_string();
    }
    match s.receiving_region.as_deref().and_then(|r| RegionCode::parse(r).ok()).and_then(|c| c.name()) {
        Some(city) => domain::stations::city_center_name(city),
        None => "市州鉴定中心".to_string(),
    }
}

/// A time to the minute, in Asia/Shanghai (`YYYY-MM-DD hh:mm`), or empty.
pub(super) fn minutes(t: Option<time::OffsetDateTime>) -> String {
    let s = crate::view::shanghai_opt(t);
    s.get(..16).unwrap_or(&s).to_string()
}

pub struct TimelineView {
    pub at: String,
    pub actor: String,
    pub step: String,
    pub comment: String,
}

pub(super) fn timeline_view(items: &[TimelineItem<ProjectState>]) -> Vec<TimelineView> {
    let label = |s: Option<ProjectState>| s.map(|s| s.label()).unwrap_or("");
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

/// The reason of the latest return, for the unit that edits its application again.
pub(super) fn last_return_reason(items: &[TimelineItem<ProjectState>]) -> String {
    items
        .iter()
        .rev()
        .find(|t| t.to_state == Some(ProjectState::Returned))
        .map(|t| t.comment.clone())
        .unwrap_or_default()
}
