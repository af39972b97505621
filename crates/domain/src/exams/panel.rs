//! E4: "考核工作由市州鉴定中心按照轮换、回避的原则委派考评人员和督导人员，确保考核公平公正。" Who may sit on
//! an exam session's panel, whether a panel as a whole is legal, and a proposal from a drawn order.
//!
//! **A member** ([`member_refusals`]; every reason at once, so a refused manual pick is explained):
//! active; assessor card valid on the exam's first day; qualified for the session's project; in the
//! region the panel is drawn from ([`PanelRegion`], policy `exam.panel_region`: by default a city-organized
//! session's assessors come from the organizer's city, a province-organized session's from the whole
//! province; [`region_cities`]); and not recused or over-rotated (FACTS.md "Recusal and rotation of
//! assessors", all numbers policy):
//!
//! | rule | refused when |
//! |---|---|
//! | relative (回避：亲属) | a declared relative is a candidate of the session |
//! | employer (回避：任职单位) | the assessor works or worked for the station, or works or worked for a candidate's employer |
//! | trainer (回避：培训) | the assessor taught a candidate's training class — matched by the person (the blind index of the ID number), so teaching under a trainer certificate recuses the same person's assessor record |
//! | rotation (轮换) | the assessor sat on the station's last `exam.rotation_max_consecutive` (3) panels in a row |
//!
//! **The panel** ([`check_assessors`], [`check_panel`]): at least `max(exam.panel_min_assessors,
//! the specification's minimum panel size)` assessors, distinct, every one a legal member, one of them
//! the head (组长); at least `exam.rotation_min_replaced` (1/3, rounded up) of the station's previous panel
//! replaced; a supervisor (督导员) who is not one of the assessors, active, and does not work for the station.
//!
//! **A proposal** ([`propose_assessors`]) walks an order of the assessors (a provable draw's order,
//! the store's business) and takes every legal member in turn, taking members of the previous panel only
//! while the replacement share still holds; the first taken is the head. A legal panel exists exactly
//! when the legal newcomers plus the previous members it may keep reach the size needed, so the greedy
//! walk finds one whenever one exists; otherwise [`NoLegalPanel`] counts every reason.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::Date;

use crate::enums::string_enum;
use crate::exams::Organizer;

string_enum! {
    /// A seat on a session's panel: the head of the assessors (考评组长), another assessor, or the
    /// quality supervisor (督导员).
    PanelRole {
        Head = "head" => "考评组长",
        Assessor = "assessor" => "考评员",
        Supervisor = "supervisor" => "督导员",
    }
}

string_enum! {
    /// E4 (`exam.panel_region`): where a session's assessors are drawn from — the organizer's own region
    /// (a city center's city; the whole province for the province), or anyone in the province.
    PanelRegion {
        Organizer = "organizer" => "组织考核的鉴定中心所辖地区",
        Province = "province" => "全省",
    }
}

/// E4: the GB/T 2260 city codes the panel of a session organized by `organizer` is drawn from under
/// `region`; empty: the whole province (every registry person is in a Hunan city).
pub fn region_cities(region: PanelRegion, organizer: &Organizer) -> Vec<String> {
    match (region, organizer) {
        (PanelRegion::Organizer, Organizer::City(code)) => vec![code.clone()],
        (PanelRegion::Organizer, Organizer::Province) | (PanelRegion::Province, _) => Vec::new(),
    }
}

/// A panel as typed (the appointment form, `PUT /api/v1/sessions/{id}/panel`): the registry person ids
/// of the head, every assessor (the head among them or not: the head is added) and the supervisor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct PanelInput {
    #[serde(default)]
    pub head: Option<i64>,
    #[serde(default)]
    pub assessors: Vec<i64>,
    #[serde(default)]
    pub supervisor: Option<i64>,
}

impl PanelInput {
    /// The panel it names: the head first among the assessors; `None` without a head.
    pub fn panel(&self) -> Option<Panel> {
        let head = self.head?;
        let mut assessors = vec![head];
        assessors.extend(self.assessors.iter().copied().filter(|a| *a != head));
        Some(Panel { head, assessors, supervisor: self.supervisor })
    }
}

/// An assessor (考评员) as the rules see them. `key`, `relatives`, candidates' `key`s and `trainers` are
/// the same blind index of an ID number (the store's), never the number itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessor {
    pub person_id: i64,
    /// Blind index of the assessor's own ID number: the person, whichever registry record (assessor,
    /// trainer) they act under.
    pub key: String,
    pub name: String,
    pub active: bool,
    /// The assessor card's last valid day.
    pub card_valid_until: Date,
    /// Codes of the catalog projects the assessor is qualified for.
    pub projects: Vec<String>,
    /// GB/T 2260 city code of the assessor's registry region.
    pub city: Option<String>,
    pub employer: Option<i64>,
    pub past_employers: Vec<i64>,
    /// Blind indexes of declared relatives' ID numbers.
    pub relatives: Vec<String>,
}

/// A candidate of the session, as the recusal rules see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelCandidate {
    /// Blind index of the candidate's ID number.
    pub key: String,
    pub employer: Option<i64>,
    /// Blind indexes of the ID numbers of those who taught the candidate's training class (the
    /// person, not the registry record: a trainer certificate and an assessor card are separate rows).
    pub trainers: Vec<String>,
}

/// A past panel at the station, for rotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastPanel {
    pub first_day: Date,
    pub assessors: Vec<i64>,
}

/// The session a panel is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelSession {
    pub station_org_id: i64,
    pub project_code: String,
    pub first_day: Date,
    pub candidates: Vec<PanelCandidate>,
    /// The station's earlier panels, oldest first.
    pub history: Vec<PastPanel>,
    /// GB/T 2260 cities the assessors are drawn from ([`region_cities`]); empty: the whole province.
    pub cities: Vec<String>,
    /// The specification's minimum panel size (P3).
    pub spec_min_panel: u32,
}

/// The policy values (`exam.panel_min_assessors`, `exam.rotation_max_consecutive`,
/// `exam.rotation_min_replaced` as numerator/denominator).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelRules {
    pub min_assessors: u32,
    pub max_consecutive: u32,
    pub min_replaced: (u32, u32),
}

impl Default for PanelRules {
    fn default() -> Self {
        PanelRules { min_assessors: 3, max_consecutive: 3, min_replaced: (1, 3) }
    }
}

impl PanelRules {
    /// Parses `exam.rotation_min_replaced` ("1/3").
    pub fn fraction(raw: &str) -> Option<(u32, u32)> {
        let (n, d) = raw.trim().split_once('/')?;
        let (n, d) = (n.trim().parse().ok()?, d.trim().parse().ok()?);
        (d > 0 && n <= d).then_some((n, d))
    }
}

/// Why a person may not sit on this session's panel.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum MemberRefusal {
    Inactive,
    CardExpired { until: Date },
    NotQualified,
    OutOfRegion,
    RelativeOfCandidate,
    EmployerIsStation { past: bool },
    EmployerOfCandidate { past: bool },
    TrainedCandidates,
    Rotation { consecutive: u32 },
}

impl MemberRefusal {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Inactive => "ASSESSOR_INACTIVE",
            Self::CardExpired { .. } => "ASSESSOR_CARD_EXPIRED",
            Self::NotQualified => "ASSESSOR_NOT_QUALIFIED",
            Self::OutOfRegion => "ASSESSOR_OUT_OF_REGION",
            Self::RelativeOfCandidate => "RECUSAL_RELATIVE",
            Self::EmployerIsStation { .. } => "RECUSAL_STATION_EMPLOYER",
            Self::EmployerOfCandidate { .. } => "RECUSAL_CANDIDATE_EMPLOYER",
            Self::TrainedCandidates => "RECUSAL_TRAINER",
            Self::Rotation { .. } => "ROTATION_LIMIT",
        }
    }

    /// The reason in words, e.g. 须回避：本人现（曾）在考核站任职.
    pub fn detail(&self, rules: &PanelRules) -> String {
        let when = |past: &bool| if *past { "曾" } else { "现" };
        match self {
            Self::Inactive => "已暂停或注销，不在考评员库中".to_owned(),
            Self::CardExpired { until } => format!("考评员证有效期至 {until}，考核时已过期"),
            Self::NotQualified => "未取得本考核项目的考评资格".to_owned(),
            Self::OutOfRegion => "不在本次考核选派考评员的地区范围内".to_owned(),
            Self::RelativeOfCandidate => "须回避：与本场考生有亲属关系".to_owned(),
            Self::EmployerIsStation { past } => format!("须回避：本人{}在该考核站任职", when(past)),
            Self::EmployerOfCandidate { past } => format!("须回避：本人{}在本场考生的工作单位任职", when(past)),
            Self::TrainedCandidates => "须回避：曾为本场考生授课培训".to_owned(),
            Self::Rotation { consecutive } => {
                format!("轮换：已连续 {consecutive} 次在该考核站担任考评员（上限 {} 次）", rules.max_consecutive)
            }
        }
    }
}

/// How many of the station's most recent panels in a row the person sat on.
pub fn consecutive_at_station(person_id: i64, history: &[PastPanel]) -> u32 {
    let n = history.iter().rev().take_while(|p| p.assessors.contains(&person_id)).count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// E4: every reason `a` may not sit on the panel of `s` (empty: a legal member).
pub fn member_refusals(a: &Assessor, s: &PanelSession, rules: &PanelRules) -> Vec<MemberRefusal> {
    let mut out = Vec::new();
    if !a.active {
        out.push(MemberRefusal::Inactive);
    }
    if a.card_valid_until < s.first_day {
        out.push(MemberRefusal::CardExpired { until: a.card_valid_until });
    }
    if !a.projects.contains(&s.project_code) {
        out.push(MemberRefusal::NotQualified);
    }
    if !s.cities.is_empty() && !a.city.as_ref().is_some_and(|c| s.cities.contains(c)) {
        out.push(MemberRefusal::OutOfRegion);
    }
    if s.candidates.iter().any(|c| a.relatives.contains(&c.key)) {
        out.push(MemberRefusal::RelativeOfCandidate);
    }
    if a.employer == Some(s.station_org_id) {
        out.push(MemberRefusal::EmployerIsStation { past: false });
    } else if a.past_employers.contains(&s.station_org_id) {
        out.push(MemberRefusal::EmployerIsStation { past: true });
    }
    let employers: BTreeSet<i64> = s.candidates.iter().filter_map(|c| c.employer).collect();
    if a.employer.is_some_and(|e| employers.contains(&e)) {
        out.push(MemberRefusal::EmployerOfCandidate { past: false });
    } else if a.past_employers.iter().any(|e| employers.contains(e)) {
        out.push(MemberRefusal::EmployerOfCandidate { past: true });
    }
    if s.candidates.iter().any(|c| c.trainers.contains(&a.key)) {
        out.push(MemberRefusal::TrainedCandidates);
    }
    let consecutive = consecutive_at_station(a.person_id, &s.history);
    if consecutive >= rules.max_consecutive {
        out.push(MemberRefusal::Rotation { consecutive });
    }
    out
}

/// The assessors needed: the policy's minimum or the specification's, whichever is larger.
pub fn needed(s: &PanelSession, rules: &PanelRules) -> u32 {
    rules.min_assessors.max(s.spec_min_panel).max(1)
}

/// How many members of the station's previous panel a new panel may keep: all but the share that must
/// be replaced, rounded up (3 members, 1/3: keep at most 2). Any number without a previous panel.
pub fn max_kept(s: &PanelSession, rules: &PanelRules) -> Option<usize> {
    let previous = s.history.last()?.assessors.len();
    let (n, d) = rules.min_replaced;
    let d = usize::try_from(d.max(1)).unwrap_or(1);
    let n = usize::try_from(n).unwrap_or(0);
    let replaced = (previous * n).div_ceil(d);
    Some(previous.saturating_sub(replaced))
}

/// A panel as appointed: the assessors (the head among them) and the supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Panel {
    pub head: i64,
    pub assessors: Vec<i64>,
    pub supervisor: Option<i64>,
}

/// A supervisor (质量督导员) as the rules see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supervisor {
    pub person_id: i64,
    pub name: String,
    pub active: bool,
    pub employer: Option<i64>,
}

/// What is wrong with a panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PanelProblem {
    TooFew { have: usize, need: u32 },
    Duplicate { name: String },
    Unknown { person_id: i64 },
    HeadNotAMember,
    Member { name: String, refusals: Vec<MemberRefusal> },
    TooFewReplaced { kept: usize, max_kept: usize, previous: usize },
    NoSupervisor,
    SupervisorIsAssessor { name: String },
    SupervisorUnknown { person_id: i64 },
    SupervisorInactive { name: String },
    SupervisorWorksForStation { name: String },
}

impl PanelProblem {
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooFew { .. } => "PANEL_TOO_SMALL",
            Self::Duplicate { .. } => "PANEL_DUPLICATE",
            Self::Unknown { .. } => "PANEL_UNKNOWN_ASSESSOR",
            Self::HeadNotAMember => "PANEL_HEAD_NOT_MEMBER",
            Self::Member { .. } => "PANEL_MEMBER_REFUSED",
            Self::TooFewReplaced { .. } => "ROTATION_TOO_FEW_REPLACED",
            Self::NoSupervisor => "PANEL_NO_SUPERVISOR",
            Self::SupervisorIsAssessor { .. } => "SUPERVISOR_IS_ASSESSOR",
            Self::SupervisorUnknown { .. } => "PANEL_UNKNOWN_SUPERVISOR",
            Self::SupervisorInactive { .. } => "SUPERVISOR_INACTIVE",
            Self::SupervisorWorksForStation { .. } => "RECUSAL_SUPERVISOR_STATION",
        }
    }

    /// The field a form shows it beside.
    pub fn field(&self) -> &'static str {
        match self {
            Self::HeadNotAMember => "head",
            Self::NoSupervisor
            | Self::SupervisorIsAssessor { .. }
            | Self::SupervisorUnknown { .. }
            | Self::SupervisorInactive { .. }
            | Self::SupervisorWorksForStation { .. } => "supervisor",
            _ => "assessors",
        }
    }

    pub fn detail(&self, rules: &PanelRules) -> String {
        match self {
            Self::TooFew { have, need } => format!("考评组至少须有 {need} 名考评员，现有 {have} 名"),
            Self::Duplicate { name } => format!("考评员{name}重复选择"),
            Self::Unknown { person_id } => format!("考评员（编号 {person_id}）不在考评员库中"),
            Self::HeadNotAMember => "考评组组长须为本组考评员之一".to_owned(),
            Self::Member { name, refusals } => {
                let reasons: Vec<String> = refusals.iter().map(|r| r.detail(rules)).collect();
                format!("考评员{name}不能选派：{}", reasons.join("；"))
            }
            Self::TooFewReplaced { kept, max_kept, previous } => format!(
                "轮换：该考核站上次考评组 {previous} 人，本次至少须更换 {}/{}，最多保留 {max_kept} 人，现保留 {kept} 人",
                rules.min_replaced.0, rules.min_replaced.1
            ),
            Self::NoSupervisor => "请选派一名质量督导员".to_owned(),
            Self::SupervisorIsAssessor { name } => format!("督导员{name}不能同时担任本组考评员"),
            Self::SupervisorUnknown { person_id } => format!("督导员（编号 {person_id}）不在督导员库中"),
            Self::SupervisorInactive { name } => format!("督导员{name}已暂停或注销"),
            Self::SupervisorWorksForStation { name } => format!("督导员{name}须回避：本人在该考核站任职"),
        }
    }

    /// As a field error of the panel form or API body.
    pub fn to_field_error(&self, rules: &PanelRules) -> crate::FieldError {
        crate::FieldError::new(self.field(), self.code(), self.detail(rules))
    }
}

/// E4: the assessors of a panel (without the supervisor): size, distinct, known, legal, head among
/// them, the previous panel replaced by the policy's share. Every problem at once.
pub fn check_assessors(
    head: i64,
    chosen: &[i64],
    pool: &[Assessor],
    s: &PanelSession,
    rules: &PanelRules,
) -> Result<(), Vec<PanelProblem>> {
    let by_id: BTreeMap<i64, &Assessor> = pool.iter().map(|a| (a.person_id, a)).collect();
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for id in chosen {
        let Some(a) = by_id.get(id) else {
            problems.push(PanelProblem::Unknown { person_id: *id });
            continue;
        };
        if !seen.insert(*id) {
            problems.push(PanelProblem::Duplicate { name: a.name.clone() });
            continue;
        }
        let refusals = member_refusals(a, s, rules);
        if !refusals.is_empty() {
            problems.push(PanelProblem::Member { name: a.name.clone(), refusals });
        }
    }
    let need = needed(s, rules);
    if seen.len() < usize::try_from(need).unwrap_or(usize::MAX) {
        problems.insert(0, PanelProblem::TooFew { have: seen.len(), need });
    }
    if !seen.contains(&head) {
        problems.push(PanelProblem::HeadNotAMember);
    }
    if let (Some(cap), Some(previous)) = (max_kept(s, rules), s.history.last()) {
        let kept = previous.assessors.iter().filter(|p| seen.contains(p)).count();
        if kept > cap {
            problems.push(PanelProblem::TooFewReplaced { kept, max_kept: cap, previous: previous.assessors.len() });
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

/// E4: the whole panel — the assessors ([`check_assessors`]) and the supervisor.
pub fn check_panel(
    panel: &Panel,
    pool: &[Assessor],
    supervisors: &[Supervisor],
    s: &PanelSession,
    rules: &PanelRules,
) -> Result<(), Vec<PanelProblem>> {
    let mut problems = check_assessors(panel.head, &panel.assessors, pool, s, rules).err().unwrap_or_default();
    match panel.supervisor {
        None => problems.push(PanelProblem::NoSupervisor),
        Some(id) => match supervisors.iter().find(|v| v.person_id == id) {
            None => problems.push(PanelProblem::SupervisorUnknown { person_id: id }),
            Some(v) => {
                if panel.assessors.contains(&id) {
                    problems.push(PanelProblem::SupervisorIsAssessor { name: v.name.clone() });
                }
                if !v.active {
                    problems.push(PanelProblem::SupervisorInactive { name: v.name.clone() });
                }
                if v.employer == Some(s.station_org_id) {
                    problems.push(PanelProblem::SupervisorWorksForStation { name: v.name.clone() });
                }
            }
        },
    }
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

/// Why no legal panel can be formed: how many are needed, how many legal newcomers and previous members
/// there are, how many previous members may be kept, and how many people each rule excluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoLegalPanel {
    pub need: u32,
    pub fresh: usize,
    pub previous_legal: usize,
    pub max_kept: Option<usize>,
    /// Per refusal code, how many people it applies to (a person may count under several).
    pub excluded: BTreeMap<&'static str, usize>,
}

impl NoLegalPanel {
    pub fn detail(&self, rules: &PanelRules) -> String {
        let usable = self.fresh + self.max_kept.map_or(self.previous_legal, |k| self.previous_legal.min(k));
        let mut s = format!("无法组成合法的考评组：需要 {} 名考评员，符合条件的只有 {usable} 名", self.need);
        if let Some(k) = self.max_kept
            && self.previous_legal > k
        {
            s.push_str(&format!(
                "（上次考评组成员中最多保留 {k} 名，须更换 {}/{}）",
                rules.min_replaced.0, rules.min_replaced.1
            ));
        }
        let sample = |code: &str| match code {
            "ASSESSOR_INACTIVE" => "已暂停或注销",
            "ASSESSOR_CARD_EXPIRED" => "考评员证过期",
            "ASSESSOR_NOT_QUALIFIED" => "无本项目考评资格",
            "ASSESSOR_OUT_OF_REGION" => "不在选派地区",
            "RECUSAL_RELATIVE" => "与考生有亲属关系",
            "RECUSAL_STATION_EMPLOYER" => "在考核站任职",
            "RECUSAL_CANDIDATE_EMPLOYER" => "在考生单位任职",
            "RECUSAL_TRAINER" => "为考生授课",
            "ROTATION_LIMIT" => "连续任职达上限",
            _ => "其他",
        };
        let parts: Vec<String> = self.excluded.iter().map(|(c, n)| format!("{}{n} 人", sample(c))).collect();
        if !parts.is_empty() {
            s.push_str(&format!("。未选派：{}", parts.join("，")));
        }
        s
    }
}

/// E4: a legal set of assessors from `order` (the drawn order of the pool's ids): every legal member in
/// turn, previous-panel members only up to [`max_kept`]; the first taken is the head. `Err` explains why
/// none exists.
pub fn propose_assessors(
    order: &[i64],
    pool: &[Assessor],
    s: &PanelSession,
    rules: &PanelRules,
) -> Result<(i64, Vec<i64>), NoLegalPanel> {
    let by_id: BTreeMap<i64, &Assessor> = pool.iter().map(|a| (a.person_id, a)).collect();
    let previous: BTreeSet<i64> = s.history.last().map(|p| p.assessors.iter().copied().collect()).unwrap_or_default();
    let cap = max_kept(s, rules);
    let need = usize::try_from(needed(s, rules)).unwrap_or(usize::MAX);
    let mut taken = Vec::new();
    let mut kept = 0usize;
    let (mut fresh, mut previous_legal) = (0usize, 0usize);
    let mut excluded: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for id in order {
        let Some(a) = by_id.get(id) else { continue };
        if !seen.insert(*id) {
            continue;
        }
        let refusals = member_refusals(a, s, rules);
        if !refusals.is_empty() {
            for r in refusals {
                *excluded.entry(r.code()).or_default() += 1;
            }
            continue;
        }
        let repeat = previous.contains(id);
        if repeat {
            previous_legal += 1;
        } else {
            fresh += 1;
        }
        if taken.len() >= need {
            continue;
        }
        if repeat {
            if cap.is_some_and(|c| kept >= c) {
                continue;
            }
            kept += 1;
        }
        taken.push(*id);
    }
    if taken.len() >= need {
        Ok((taken[0], taken))
    } else {
        Err(NoLegalPanel { need: needed(s, rules), fresh, previous_legal, max_kept: cap, excluded })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e4_the_region_is_the_organizers_city_or_the_whole_province() {
        let city = Organizer::City("430100".into());
        assert_eq!(region_cities(PanelRegion::Organizer, &city), ["430100"]);
        assert!(region_cities(PanelRegion::Organizer, &Organizer::Province).is_empty(), "the province: anyone");
        assert!(region_cities(PanelRegion::Province, &city).is_empty(), "the setting province: anyone");
        // The policy's options are exactly the region's ids.
        let ids: Vec<&str> = crate::policy::PANEL_REGION_CHOICES.iter().map(|(v, _)| *v).collect();
        assert_eq!(ids, PanelRegion::ALL.iter().map(|r| r.id()).collect::<Vec<_>>());
        assert_eq!(
            PanelRegion::parse(crate::policy::def("exam.panel_region").expect("defined").default),
            Some(PanelRegion::Organizer)
        );
    }
}
