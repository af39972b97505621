//! Step 1 of a draw, eligibility and recusal (S4, E4; P5's committee is the candidate list): every
//! candidate ends either in the pool, with the facts the filters used, or in the excluded list with the
//! first rule it fails ([`ExclusionReason`], in the documented order; its [`ExclusionCode`] is what the
//! record keeps). A pool smaller than the number needed is refused ([`Eligibility::require`]).

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::selection::DrawError;
use crate::enums::string_enum;

/// An employment that ended: `until` is the last day the expert worked for `org_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastEmployment {
    pub org_id: i64,
    pub until: Date,
}

/// An expert of the committee (P5) as the filters see them. Expert ids are distinct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub expert_id: i64,
    /// Specialty names as in the catalog, compared exactly.
    pub specialties: Vec<String>,
    /// GB/T 2260 city code, e.g. `"430100"` (长沙市).
    pub city: String,
    /// Status active (not suspended, not retired).
    pub active: bool,
    pub employer_org_id: Option<i64>,
    pub past_employers: Vec<PastEmployment>,
    pub declared_conflict_org_ids: Vec<i64>,
}

/// What a draw asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawRequest {
    /// What the draw serves, e.g. `"station_filing:12"`; part of every selection hash.
    pub purpose: String,
    /// How many experts form the group.
    pub count: u32,
    /// Empty: any specialty; otherwise a candidate must have at least one of these.
    pub specialties: Vec<String>,
    /// Empty: every city; otherwise a candidate's city must be one of these.
    pub include_cities: Vec<String>,
    /// Candidates in these cities are excluded.
    pub exclude_cities: Vec<String>,
}

/// The organisation under review (the station applicant, the project's development unit, the exam's
/// station).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicant {
    pub org_id: i64,
    /// GB/T 2260 city code, if the organisation has one (a provincial body may not).
    pub city: Option<String>,
}

/// The recusal policy values (`draw.recusal_lookback_years`, `draw.recusal_same_city`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecusalRules {
    /// An expert who worked for the applicant is recused until this many full years have passed since
    /// the last day of that employment.
    pub lookback_years: u32,
    /// Recuse experts in the applicant's city.
    pub same_city: bool,
}

/// Why a candidate is not in the pool. The variants are in the order the rules are applied: the first
/// rule a candidate fails is its reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExclusionReason {
    /// 1. The expert is suspended or retired.
    Inactive,
    /// 2. None of the requested specialties.
    SpecialtyMismatch,
    /// 3. The city is not among the included cities.
    RegionNotIncluded,
    /// 4. The city is among the excluded cities.
    RegionExcluded,
    /// 5. Currently employed by the applicant.
    EmployedByApplicant,
    /// 6. Worked for the applicant until `until`, less than `lookback_years` full years ago (the latest
    ///    such employment is named).
    FormerlyEmployedByApplicant { until: Date },
    /// 7. Declared a conflict of interest with the applicant.
    DeclaredConflict,
    /// 8. Same city as the applicant, where the policy recuses it.
    SameCityAsApplicant,
}

string_enum! {
    /// The stable code of an [`ExclusionReason`] (the API, the export and the stored record use it), with
    /// its short Chinese text. `ALL` is the rule order.
    ExclusionCode {
        Inactive = "INACTIVE" => "专家已暂停或退出",
        SpecialtyMismatch = "SPECIALTY_MISMATCH" => "专业不符",
        RegionNotIncluded = "REGION_NOT_INCLUDED" => "不在限定地区内",
        RegionExcluded = "REGION_EXCLUDED" => "所在地区被排除",
        EmployedByApplicant = "EMPLOYED_BY_APPLICANT" => "现任职于申请单位",
        FormerlyEmployedByApplicant = "FORMERLY_EMPLOYED_BY_APPLICANT" => "回避期内曾任职于申请单位",
        DeclaredConflict = "DECLARED_CONFLICT" => "声明回避",
        SameCityAsApplicant = "SAME_CITY_AS_APPLICANT" => "与申请单位同一市州",
    }
}

impl ExclusionReason {
    /// Stable code for the API and the export.
    pub fn code(&self) -> ExclusionCode {
        match self {
            Self::Inactive => ExclusionCode::Inactive,
            Self::SpecialtyMismatch => ExclusionCode::SpecialtyMismatch,
            Self::RegionNotIncluded => ExclusionCode::RegionNotIncluded,
            Self::RegionExcluded => ExclusionCode::RegionExcluded,
            Self::EmployedByApplicant => ExclusionCode::EmployedByApplicant,
            Self::FormerlyEmployedByApplicant { .. } => ExclusionCode::FormerlyEmployedByApplicant,
            Self::DeclaredConflict => ExclusionCode::DeclaredConflict,
            Self::SameCityAsApplicant => ExclusionCode::SameCityAsApplicant,
        }
    }

    /// Short Chinese text (without particulars).
    pub fn text(&self) -> &'static str {
        self.code().label()
    }
}

impl fmt::Display for ExclusionReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::FormerlyEmployedByApplicant { until } => {
                write!(f, "{}（任职至 {until}）", self.text())
            }
            _ => f.write_str(self.text()),
        }
    }
}

/// A candidate left out, with the first rule failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    pub expert_id: i64,
    pub reason: ExclusionReason,
}

/// An eligible expert with the facts the filters used, in ascending key order: `city` (the city code),
/// `employer` (current employer org id in decimal, empty if none), `specialties` (sorted, duplicates
/// removed, joined by `|`). Serialized as `{"expert_id": 7, "facts": [["city", "430100"], …]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolEntry {
    pub expert_id: i64,
    pub facts: Vec<(String, String)>,
}

/// The outcome of the filters: every candidate is in exactly one of the two lists, each sorted by
/// `expert_id`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Eligibility {
    pub pool: Vec<PoolEntry>,
    pub excluded: Vec<Exclusion>,
}

impl Eligibility {
    /// How many were excluded for each reason, in rule order; reasons with none are left out.
    pub fn excluded_by_reason(&self) -> Vec<(ExclusionCode, usize)> {
        ExclusionCode::ALL
            .iter()
            .map(|code| (*code, self.excluded.iter().filter(|e| e.reason.code() == *code).count()))
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// Whether a group of `count` can be drawn from this pool: [`DrawError::NotEnough`] (with the
    /// exclusions by reason) if not, [`DrawError::ZeroCount`] for an empty group.
    pub fn require(&self, count: u32) -> Result<(), DrawError> {
        if count == 0 {
            return Err(DrawError::ZeroCount);
        }
        if self.pool.len() < count as usize {
            return Err(DrawError::NotEnough {
                eligible: self.pool.len(),
                needed: count,
                excluded_by_reason: self.excluded_by_reason(),
            });
        }
        Ok(())
    }
}

/// `today` minus `years` calendar years (29 February becomes 28 February; clamped to the earliest date).
fn years_before(today: Date, years: u32) -> Date {
    let year = i32::try_from(years).ok().and_then(|y| today.year().checked_sub(y));
    let Some(year) = year else { return Date::MIN };
    let day = if today.month() == Month::February && today.day() == 29 { 28 } else { today.day() };
    Date::from_calendar_date(year, today.month(), day).unwrap_or(Date::MIN)
}

/// The first rule `c` fails, or `None` if it is eligible.
fn first_failure(
    c: &Candidate,
    req: &DrawRequest,
    applicant: &Applicant,
    rules: &RecusalRules,
    cutoff: Date,
) -> Option<ExclusionReason> {
    if !c.active {
        return Some(ExclusionReason::Inactive);
    }
    if !req.specialties.is_empty() && !c.specialties.iter().any(|s| req.specialties.contains(s)) {
        return Some(ExclusionReason::SpecialtyMismatch);
    }
    if !req.include_cities.is_empty() && !req.include_cities.contains(&c.city) {
        return Some(ExclusionReason::RegionNotIncluded);
    }
    if req.exclude_cities.contains(&c.city) {
        return Some(ExclusionReason::RegionExcluded);
    }
    if c.employer_org_id == Some(applicant.org_id) {
        return Some(ExclusionReason::EmployedByApplicant);
    }
    let recent = c.past_employers.iter().filter(|p| p.org_id == applicant.org_id && p.until > cutoff);
    if let Some(until) = recent.map(|p| p.until).max() {
        return Some(ExclusionReason::FormerlyEmployedByApplicant { until });
    }
    if c.declared_conflict_org_ids.contains(&applicant.org_id) {
        return Some(ExclusionReason::DeclaredConflict);
    }
    if rules.same_city && applicant.city.as_deref() == Some(c.city.as_str()) {
        return Some(ExclusionReason::SameCityAsApplicant);
    }
    None
}

fn facts_of(c: &Candidate) -> Vec<(String, String)> {
    let mut specialties: Vec<&str> = c.specialties.iter().map(String::as_str).collect();
    specialties.sort_unstable();
    specialties.dedup();
    vec![
        ("city".to_owned(), c.city.clone()),
        ("employer".to_owned(), c.employer_org_id.map(|id| id.to_string()).unwrap_or_default()),
        ("specialties".to_owned(), specialties.join("|")),
    ]
}

/// Applies the filters and recusal rules (in the order of [`ExclusionReason`]) to every candidate.
/// `today` is the day the pool is snapshotted (the look-back is counted back from it).
pub fn eligible(
    candidates: &[Candidate],
    req: &DrawRequest,
    applicant: &Applicant,
    rules: &RecusalRules,
    today: Date,
) -> Eligibility {
    let cutoff = years_before(today, rules.lookback_years);
    let mut out = Eligibility::default();
    for c in candidates {
        match first_failure(c, req, applicant, rules, cutoff) {
            Some(reason) => out.excluded.push(Exclusion { expert_id: c.expert_id, reason }),
            None => out.pool.push(PoolEntry { expert_id: c.expert_id, facts: facts_of(c) }),
        }
    }
    out.pool.sort_by_key(|e| e.expert_id);
    out.excluded.sort_by_key(|e| e.expert_id);
    out
}
