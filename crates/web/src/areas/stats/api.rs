//! Statistics over the API (R1, R2): the dashboard's figures of a year (optionally a range of its months)
//! for the caller's city or the city the province names. Amounts are strings in yuan with two decimals
//! (`"150.00"`), dates `YYYY-MM-DD`, pass rates `66.7%` (`—` when nobody was assessed).

use super::dashboard::{StatsQuery, statistics};
use super::tables::city_label;
use crate::AppState;
use crate::api::ErrorEnvelope;
use crate::auth::ApiCaller;
use crate::error::ApiError;
use crate::extract::Query;
use axum::Json;
use axum::extract::State;
use domain::authz::Action;
use serde::{Deserialize, Serialize};
use store::stats::{
    CandidateFigures, CertificateCount, FeeFigures, SessionMonth, StationFigures, Statistics, SubsidyFigures,
};
use utoipa::{IntoParams, ToSchema};

/// A city's stations.
#[derive(Serialize, ToSchema)]
#[schema(as = StationStatistics)]
pub struct StationStatsDto {
    /// The city's code.
    pub city: String,
    pub city_name: String,
    /// Filings that reached 已备案 (suspended or revoked since included).
    pub filed: u64,
    /// Filed now.
    pub active: u64,
}

impl From<StationFigures> for StationStatsDto {
    fn from(f: StationFigures) -> Self {
        StationStatsDto { city_name: city_label(&f.city), city: f.city, filed: f.filed, active: f.active }
    }
}

/// The sessions of a state in a month.
#[derive(Serialize, ToSchema)]
#[schema(as = SessionStateCount)]
pub struct StateCountDto {
    /// A `SessionState` id (`draft`, `submitted`, `approved`, `returned`, `cancelled`).
    pub state: String,
    pub label: String,
    pub count: u64,
}

/// The sessions whose first day falls in a month.
#[derive(Serialize, ToSchema)]
#[schema(as = SessionMonthStatistics)]
pub struct SessionMonthDto {
    /// 1–12.
    pub month: u8,
    pub total: u64,
    pub by_state: Vec<StateCountDto>,
}

impl From<SessionMonth> for SessionMonthDto {
    fn from(m: SessionMonth) -> Self {
        SessionMonthDto {
            month: m.month,
            total: m.total,
            by_state: m
                .by_state
                .into_iter()
                .map(|(s, n)| StateCountDto { state: s.id().to_owned(), label: s.label().to_owned(), count: n })
                .collect(),
        }
    }
}

/// Candidates and results of a city's project.
#[derive(Serialize, ToSchema)]
#[schema(as = CandidateStatistics)]
pub struct CandidateStatsDto {
    /// The station's city code (empty for a station without one).
    pub city: String,
    pub city_name: String,
    pub project_id: i64,
    /// Catalog code and name of the project.
    pub project: String,
    /// Confirmed candidates of the approved sessions.
    pub candidates: u64,
    /// Scored and present in a confirmed register.
    pub assessed: u64,
    pub passed: u64,
    /// `passed / assessed`, e.g. `66.7%`; `—` when nobody was assessed.
    pub pass_rate: String,
}

impl From<CandidateFigures> for CandidateStatsDto {
    fn from(f: CandidateFigures) -> Self {
        CandidateStatsDto {
            pass_rate: f.pass_rate(),
            city_name: city_label(&f.city),
            city: f.city,
            project_id: f.project_id,
            project: f.project,
            candidates: f.candidates,
            assessed: f.assessed,
            passed: f.passed,
        }
    }
}

/// Certificates issued under a key (a city's code, a project, a month 1–12), and of them revoked.
#[derive(Serialize, ToSchema)]
#[schema(as = CertificateStatistics)]
pub struct CertificateCountDto {
    pub key: String,
    /// How the key reads (the city's name, the project, `3 月`).
    pub label: String,
    pub issued: u64,
    pub revoked: u64,
}

fn counts<K>(rows: Vec<CertificateCount<K>>, key: impl Fn(&K) -> (String, String)) -> Vec<CertificateCountDto> {
    rows.into_iter()
        .map(|c| {
            let (key, label) = key(&c.key);
            CertificateCountDto { key, label, issued: c.issued, revoked: c.revoked }
        })
        .collect()
}

/// A city's fees over the period.
#[derive(Serialize, ToSchema)]
#[schema(as = FeeStatistics)]
pub struct FeeStatsDto {
    pub city: String,
    pub city_name: String,
    pub collected: String,
    pub refunded: String,
    pub remitted: String,
    /// Not yet remitted at the period's end.
    pub outstanding: String,
}

impl From<FeeFigures> for FeeStatsDto {
    fn from(f: FeeFigures) -> Self {
        FeeStatsDto {
            city_name: city_label(&f.city),
            city: f.city,
            collected: f.collected.to_string(),
            refunded: f.refunded.to_string(),
            remitted: f.remitted.to_string(),
            outstanding: f.outstanding.to_string(),
        }
    }
}

/// A city's subsidy claims (F3; empty until the subsidy claims are part of the system).
#[derive(Serialize, ToSchema)]
#[schema(as = SubsidyStatistics)]
pub struct SubsidyStatsDto {
    pub city: String,
    pub city_name: String,
    pub claims: u64,
    /// What the claims come to, in 元 with two decimals.
    pub amount: String,
    /// Of it, what has been paid.
    pub paid: String,
}

impl From<SubsidyFigures> for SubsidyStatsDto {
    fn from(f: SubsidyFigures) -> Self {
        SubsidyStatsDto {
            city_name: city_label(&f.city),
            city: f.city,
            claims: f.claims,
            amount: f.amount.to_string(),
            paid: f.paid.to_string(),
        }
    }
}

/// The figures of a dashboard.
#[derive(Serialize, ToSchema)]
#[schema(as = Statistics)]
pub struct StatisticsDto {
    /// The city shown; none for the whole province.
    pub city: Option<String>,
    pub year: i32,
    pub from_month: u8,
    pub to_month: u8,
    pub first_day: String,
    pub last_day: String,
    pub stations: Vec<StationStatsDto>,
    pub sessions: Vec<SessionMonthDto>,
    pub candidates: Vec<CandidateStatsDto>,
    pub certificates_by_city: Vec<CertificateCountDto>,
    pub certificates_by_project: Vec<CertificateCountDto>,
    pub certificates_by_month: Vec<CertificateCountDto>,
    pub fees: Vec<FeeStatsDto>,
    pub subsidies: Vec<SubsidyStatsDto>,
}

impl From<Statistics> for StatisticsDto {
    fn from(s: Statistics) -> Self {
        StatisticsDto {
            city: s.city,
            year: s.period.year,
            from_month: s.period.from,
            to_month: s.period.to,
            first_day: s.period.first().to_string(),
            last_day: s.period.last().to_string(),
            stations: s.stations.into_iter().map(Into::into).collect(),
            sessions: s.sessions.into_iter().map(Into::into).collect(),
            candidates: s.candidates.into_iter().map(Into::into).collect(),
            certificates_by_city: counts(s.certificates_by_city, |c| (c.clone(), city_label(c))),
            certificates_by_project: counts(s.certificates_by_project, |p| (p.clone(), p.clone())),
            certificates_by_month: counts(s.certificates_by_month, |m| (m.to_string(), format!("{m} 月"))),
            fees: s.fees.into_iter().map(Into::into).collect(),
            subsidies: s.subsidies.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct StatsParams {
    /// The year (the current one by default).
    year: Option<String>,
    /// The first month 1–12 (1 by default).
    from_month: Option<String>,
    /// The last month 1–12 (12 by default), not before `from_month`.
    to_month: Option<String>,
    /// A city's code (the province's choice; a city center reads its own, another city is 404).
    city: Option<String>,
}

/// R1, R2: the statistics of a year (or a range of its months) for the caller's city, or the city the
/// province names (or every city): stations, sessions by month and state, candidates and pass rates by
/// city and project, certificates by city, project and month, fees by city.
#[utoipa::path(get, path = "/api/v1/stats", tag = "stats", params(StatsParams),
    responses((status = 200, body = StatisticsDto), (status = 403, body = ErrorEnvelope),
        (status = 404, description = "另一市州的统计（市州鉴定中心）", body = ErrorEnvelope),
        (status = 422, description = "年度、月份或市州的取值无效（YEAR_INVALID、MONTH_INVALID、MONTH_RANGE、FILTER_INVALID）", body = ErrorEnvelope)))]
pub async fn statistics_api(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<StatsParams>,
) -> Result<Json<StatisticsDto>, ApiError> {
    caller.require(Action::ViewStatistics)?;
    let q = StatsQuery { year: q.year, from_month: q.from_month, to_month: q.to_month, city: q.city };
    Ok(Json(statistics(&state, &caller.principal, &q).await?.into()))
}
