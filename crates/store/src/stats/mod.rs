//! R1, R2: the statistics of the province center (every city, or one it picks) and of a city center
//! (its own city): stations, exam sessions, candidates and pass rates, certificates, fees — each counted
//! by the database (`GROUP BY`, never by loading the rows) over a [`StatsPeriod`] (a year, optionally a
//! range of its months; a station's filing is counted as it stands today).
//!
//! - **stations**: filings that reached 已备案 (filed, suspended since or revoked) by the applicant's city,
//!   and of them those filed now (active);
//! - **sessions**: exam sessions whose first day is in the period, by month and state (the station's
//!   city);
//! - **candidates**: the confirmed candidates of the approved sessions in the period, by city and
//!   project, with those assessed (scored and present) and passed in the session's newest register once
//!   it is confirmed (E6) — the pass rate is passed / assessed;
//! - **certificates**: issued in the period (Asia/Shanghai months), by city, project and month, with
//!   those of them revoked since;
//! - **fees**: per city the period's collected, refunded and remitted and what was outstanding at its
//!   end (the F1 ledger's sums, `fees::ledgers_to`);
//! - **subsidies** (F3): per city the standing claims (pending, approved or paid — a rejected claim is
//!   no claim) on the certificates issued in the period, their amount, and of it what was paid.
//!
//! Scope: `stats.view` (province admin and staff: every city, `city` filter; city admin and staff:
//! their own city — another city named is 404, a value that is no Hunan city `FILTER_INVALID`).

use crate::entity::project;
use crate::error::require;
use crate::{Store, StoreResult};
use domain::authz::Action;
use domain::exams::SessionState;
use domain::ids::Money;
use domain::org::Principal;
use domain::stations::FilingState;
use domain::stats::{StatsPeriod, pass_rate_text};
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement, Value};
use std::collections::{BTreeMap, HashMap};
use time::{OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// Stations of a city.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StationFigures {
    pub city: String,
    /// Filings that reached 已备案 (suspended or revoked since included).
    pub filed: u64,
    /// Filed and neither suspended nor revoked.
    pub active: u64,
}

/// The sessions of a month, by state (`SessionState::ALL` order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionMonth {
    pub month: u8,
    pub by_state: Vec<(SessionState, u64)>,
    pub total: u64,
}

/// Candidates and results of a city's project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateFigures {
    pub city: String,
    pub project_id: i64,
    /// `code name` of the project.
    pub project: String,
    /// Confirmed candidates of the approved sessions.
    pub candidates: u64,
    /// Scored and present in a confirmed register.
    pub assessed: u64,
    pub passed: u64,
}

impl CandidateFigures {
    pub fn pass_rate(&self) -> String {
        pass_rate_text(self.passed, self.assessed)
    }
}

/// Certificates issued (and of them revoked) under one key: a city, a project or a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateCount<K> {
    pub key: K,
    pub issued: u64,
    pub revoked: u64,
}

/// A city's fees over the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeFigures {
    pub city: String,
    pub collected: Money,
    pub refunded: Money,
    pub remitted: Money,
    /// Outstanding (not yet remitted) at the period's end.
    pub outstanding: Money,
}

/// F3: a city's subsidy claims on the certificates issued in the period (rejected ones left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubsidyFigures {
    pub city: String,
    pub claims: u64,
    /// What the claims come to.
    pub amount: Money,
    /// Of it, what the finance office has paid (claims of a paid batch).
    pub paid: Money,
}

/// A dashboard's figures.
#[derive(Debug, Clone)]
pub struct Statistics {
    /// The city shown; `None`: the whole province.
    pub city: Option<String>,
    pub period: StatsPeriod,
    pub stations: Vec<StationFigures>,
    pub sessions: Vec<SessionMonth>,
    pub candidates: Vec<CandidateFigures>,
    pub certificates_by_city: Vec<CertificateCount<String>>,
    /// Keyed by `code name` of the project.
    pub certificates_by_project: Vec<CertificateCount<String>>,
    pub certificates_by_month: Vec<CertificateCount<u8>>,
    pub fees: Vec<FeeFigures>,
    pub subsidies: Vec<SubsidyFigures>,
}

impl Statistics {
    /// The whole of the candidates' figures.
    pub fn candidate_total(&self) -> (u64, u64, u64) {
        self.candidates.iter().fold((0, 0, 0), |(c, a, p), f| (c + f.candidates, a + f.assessed, p + f.passed))
    }

    pub fn pass_rate(&self) -> String {
        let (_, a, p) = self.candidate_total();
        pass_rate_text(p, a)
    }

    pub fn certificates_issued(&self) -> u64 {
        self.certificates_by_city.iter().map(|c| c.issued).sum()
    }

    pub fn certificates_revoked(&self) -> u64 {
        self.certificates_by_city.iter().map(|c| c.revoked).sum()
    }

    pub fn sessions_total(&self) -> u64 {
        self.sessions.iter().map(|m| m.total).sum()
    }

    pub fn stations_active(&self) -> u64 {
        self.stations.iter().map(|s| s.active).sum()
    }

    pub fn fees_collected(&self) -> Money {
        self.fees.iter().fold(Money::ZERO, |a, f| a + f.collected)
    }
}

/// A statement in `?` placeholders for the backend (PostgreSQL numbers them).
fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = if backend == DbBackend::Postgres {
        let mut out = String::with_capacity(sql.len() + 16);
        let mut n = 0;
        for ch in sql.chars() {
            if ch == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(ch);
            }
        }
        out
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// `CASE WHEN col < ?start(m+1) THEN m … ELSE to END`: the month of the period a value of `col` falls
/// in (the values bound are each month's start, `start(m)`).
fn month_case(col: &str, p: &StatsPeriod, start: impl Fn(u8) -> Value, values: &mut Vec<Value>) -> String {
    if p.from == p.to {
        return p.to.to_string();
    }
    let mut sql = String::from("CASE");
    for m in p.from..p.to {
        sql.push_str(&format!(" WHEN {col} < ? THEN {m}"));
        values.push(start(m + 1));
    }
    sql.push_str(&format!(" ELSE {} END", p.to));
    sql
}

/// Midnight of the first of month `m` (or of the next year's January for 13) in Asia/Shanghai, in UTC.
fn shanghai_month_start(p: &StatsPeriod, m: u8) -> OffsetDateTime {
    let day = if m > 12 { StatsPeriod::year(p.year + 1).first() } else { p.month_start(m) };
    PrimitiveDateTime::new(day, Time::MIDNIGHT)
        .assume_offset(UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC))
        .to_offset(UtcOffset::UTC)
}

/// Certificates by city, by project (`code name`), by month.
type CertificateCounts = (Vec<CertificateCount<String>>, Vec<CertificateCount<String>>, Vec<CertificateCount<u8>>);

fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

impl Store {
    /// R1, R2: the statistics over `period` of the caller's city (a city center) or of the city the
    /// province names (or of every city). 403 without `stats.view`; another city's is 404.
    pub async fn statistics(&self, p: &Principal, city: Option<&str>, period: StatsPeriod) -> StoreResult<Statistics> {
        require(p, Action::ViewStatistics)?;
        let city = crate::orgs::asked_city(p, city)?;
        let c = city.as_deref();
        let stations = self.station_figures(c).await?;
        let sessions = self.session_months(c, &period).await?;
        let candidates = self.candidate_figures(c, &period).await?;
        let (by_city, by_project, by_month) = self.certificate_counts(c, &period).await?;
        let fees = self.fee_figures(c, &period).await?;
        let subsidies = self.subsidy_figures(c, &period).await?;
        Ok(Statistics {
            city,
            period,
            stations,
            sessions,
            candidates,
            certificates_by_city: by_city,
            certificates_by_project: by_project,
            certificates_by_month: by_month,
            fees,
            subsidies,
        })
    }

    async fn rows(&self, sql: &str, values: Vec<Value>) -> StoreResult<Vec<sea_orm::QueryResult>> {
        Ok(self.reader().query_all_raw(statement(self.backend(), sql, values)).await?)
    }

    async fn station_figures(&self, city: Option<&str>) -> StoreResult<Vec<StationFigures>> {
        let mut values: Vec<Value> =
            vec![FilingState::Filed.id().into(), FilingState::Suspended.id().into(), FilingState::Revoked.id().into()];
        let mut sql = String::from(
            "SELECT applicant_city, state, CAST(COUNT(*) AS BIGINT) FROM filings WHERE state IN (?, ?, ?)",
        );
        if let Some(c) = city {
            sql.push_str(" AND applicant_city = ?");
            values.push(c.into());
        }
        sql.push_str(" GROUP BY applicant_city, state");
        let mut out: BTreeMap<String, StationFigures> = BTreeMap::new();
        for r in self.rows(&sql, values).await? {
            let c: String = r.try_get_by_index(0)?;
            let state: String = r.try_get_by_index(1)?;
            let n = count(r.try_get_by_index(2)?);
            let e = out.entry(c.clone()).or_insert_with(|| StationFigures { city: c, ..Default::default() });
            e.filed += n;
            if state == FilingState::Filed.id() {
                e.active += n;
            }
        }
        Ok(out.into_values().collect())
    }

    async fn session_months(&self, city: Option<&str>, p: &StatsPeriod) -> StoreResult<Vec<SessionMonth>> {
        let mut values = Vec::new();
        let month = month_case("first_day", p, |m| p.month_start(m).into(), &mut values);
        let mut sql = format!(
            "SELECT CAST({month} AS BIGINT), state, CAST(COUNT(*) AS BIGINT) FROM exam_sessions \
             WHERE first_day >= ? AND first_day < ?"
        );
        values.push(p.first().into());
        values.push(p.end().into());
        if let Some(c) = city {
            sql.push_str(" AND station_city = ?");
            values.push(c.into());
        }
        sql.push_str(" GROUP BY 1, 2");
        let mut counts: HashMap<(u8, String), u64> = HashMap::new();
        for r in self.rows(&sql, values).await? {
            let m: i64 = r.try_get_by_index(0)?;
            let state: String = r.try_get_by_index(1)?;
            *counts.entry((u8::try_from(m).unwrap_or(0), state)).or_default() += count(r.try_get_by_index(2)?);
        }
        Ok(p.months()
            .map(|m| {
                let by_state: Vec<(SessionState, u64)> = SessionState::ALL
                    .iter()
                    .map(|s| (*s, counts.get(&(m, s.id().to_owned())).copied().unwrap_or(0)))
                    .collect();
                SessionMonth { month: m, total: by_state.iter().map(|(_, n)| n).sum(), by_state }
            })
            .collect())
    }

    async fn project_names(&self, ids: Vec<i64>) -> StoreResult<HashMap<i64, String>> {
        Ok(project::Entity::find()
            .filter(project::Column::Id.is_in(ids))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|m| (m.id, format!("{} {}", m.code.unwrap_or_default(), m.name).trim().to_owned()))
            .collect())
    }

    async fn candidate_figures(&self, city: Option<&str>, p: &StatsPeriod) -> StoreResult<Vec<CandidateFigures>> {
        let within = |values: &mut Vec<Value>| {
            values.push(SessionState::Approved.id().into());
            values.push(p.first().into());
            values.push(p.end().into());
            let mut w = String::from("s.state = ? AND s.first_day >= ? AND s.first_day < ?");
            if let Some(c) = city {
                w.push_str(" AND s.station_city = ?");
                values.push(c.into());
            }
            w
        };
        let mut values: Vec<Value> = vec![domain::exams::CandidateState::Confirmed.id().into()];
        let w = within(&mut values);
        let sql = format!(
            "SELECT s.station_city, s.project_id, CAST(COUNT(*) AS BIGINT) FROM exam_candidates c \
             JOIN exam_sessions s ON s.id = c.session_id WHERE c.state = ? AND {w} \
             GROUP BY s.station_city, s.project_id"
        );
        let mut figures: BTreeMap<(String, i64), (u64, u64, u64)> = BTreeMap::new();
        for r in self.rows(&sql, values).await? {
            let c: Option<String> = r.try_get_by_index(0)?;
            let project: i64 = r.try_get_by_index(1)?;
            figures.entry((c.unwrap_or_default(), project)).or_default().0 += count(r.try_get_by_index(2)?);
        }
        let mut values: Vec<Value> = vec![domain::exams::RegisterStatus::Confirmed.id().into()];
        let w = within(&mut values);
        let sql = format!(
            "SELECT s.station_city, s.project_id, \
             CAST(SUM(CASE WHEN sc.absent THEN 0 ELSE 1 END) AS BIGINT), \
             CAST(SUM(CASE WHEN sc.passed THEN 1 ELSE 0 END) AS BIGINT) \
             FROM exam_scores sc JOIN exam_registers r ON r.id = sc.register_id \
             JOIN exam_sessions s ON s.id = sc.session_id \
             WHERE r.status = ? AND r.version = \
             (SELECT MAX(r2.version) FROM exam_registers r2 WHERE r2.session_id = r.session_id) AND {w} \
             GROUP BY s.station_city, s.project_id"
        );
        for r in self.rows(&sql, values).await? {
            let c: Option<String> = r.try_get_by_index(0)?;
            let project: i64 = r.try_get_by_index(1)?;
            let e = figures.entry((c.unwrap_or_default(), project)).or_default();
            e.1 += count(r.try_get_by_index::<Option<i64>>(2)?.unwrap_or(0));
            e.2 += count(r.try_get_by_index::<Option<i64>>(3)?.unwrap_or(0));
        }
        let names = self.project_names(figures.keys().map(|(_, p)| *p).collect()).await?;
        Ok(figures
            .into_iter()
            .map(|((city, project_id), (candidates, assessed, passed))| CandidateFigures {
                project: names.get(&project_id).cloned().unwrap_or_default(),
                city,
                project_id,
                candidates,
                assessed,
                passed,
            })
            .collect())
    }

    async fn certificate_counts(&self, city: Option<&str>, p: &StatsPeriod) -> StoreResult<CertificateCounts> {
        let mut values = Vec::new();
        let month = month_case("issued_at", p, |m| shanghai_month_start(p, m).into(), &mut values);
        let mut sql = format!(
            "SELECT city, project_id, CAST({month} AS BIGINT), CAST(COUNT(*) AS BIGINT), \
             CAST(SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) AS BIGINT) FROM certificates \
             WHERE issued_at >= ? AND issued_at < ?"
        );
        values.push(domain::certificates::CertificateStatus::Revoked.id().into());
        values.push(shanghai_month_start(p, p.from).into());
        values.push(shanghai_month_start(p, p.to + 1).into());
        if let Some(c) = city {
            sql.push_str(" AND city = ?");
            values.push(c.into());
        }
        sql.push_str(" GROUP BY 1, 2, 3");
        let mut by_city: BTreeMap<String, (u64, u64)> = BTreeMap::new();
        let mut by_project: BTreeMap<i64, (u64, u64)> = BTreeMap::new();
        let mut by_month: BTreeMap<u8, (u64, u64)> = p.months().map(|m| (m, (0, 0))).collect();
        for r in self.rows(&sql, values).await? {
            let c: String = r.try_get_by_index(0)?;
            let project: i64 = r.try_get_by_index(1)?;
            let m = u8::try_from(r.try_get_by_index::<i64>(2)?).unwrap_or(0);
            let n = count(r.try_get_by_index(3)?);
            let revoked = count(r.try_get_by_index::<Option<i64>>(4)?.unwrap_or(0));
            for e in
                [by_city.entry(c).or_default(), by_project.entry(project).or_default(), by_month.entry(m).or_default()]
            {
                e.0 += n;
                e.1 += revoked;
            }
        }
        let names = self.project_names(by_project.keys().copied().collect()).await?;
        let mut projects: Vec<CertificateCount<String>> = by_project
            .into_iter()
            .map(|(id, (issued, revoked))| CertificateCount {
                key: names.get(&id).cloned().unwrap_or_default(),
                issued,
                revoked,
            })
            .collect();
        projects.sort_by(|a, b| b.issued.cmp(&a.issued).then_with(|| a.key.cmp(&b.key)));
        Ok((
            by_city.into_iter().map(|(key, (issued, revoked))| CertificateCount { key, issued, revoked }).collect(),
            projects,
            by_month.into_iter().map(|(key, (issued, revoked))| CertificateCount { key, issued, revoked }).collect(),
        ))
    }

    async fn subsidy_figures(&self, city: Option<&str>, p: &StatsPeriod) -> StoreResult<Vec<SubsidyFigures>> {
        use domain::certificates::ClaimStatus;
        let mut values: Vec<Value> = vec![
            ClaimStatus::Paid.id().into(),
            ClaimStatus::Rejected.id().into(),
            shanghai_month_start(p, p.from).into(),
            shanghai_month_start(p, p.to + 1).into(),
        ];
        let mut sql = String::from(
            "SELECT sc.city, CAST(COUNT(*) AS BIGINT), CAST(SUM(sc.amount_fen) AS BIGINT), \
             CAST(SUM(CASE WHEN sc.status = ? THEN sc.amount_fen ELSE 0 END) AS BIGINT) \
             FROM subsidy_claims sc JOIN certificates c ON c.id = sc.certificate_id \
             WHERE sc.status <> ? AND c.issued_at >= ? AND c.issued_at < ?",
        );
        if let Some(c) = city {
            sql.push_str(" AND sc.city = ?");
            values.push(c.into());
        }
        sql.push_str(" GROUP BY sc.city ORDER BY sc.city");
        let fen = |r: &sea_orm::QueryResult, i: usize| -> StoreResult<Money> {
            Ok(Money::from_fen(r.try_get_by_index::<Option<i64>>(i)?.unwrap_or(0)))
        };
        self.rows(&sql, values)
            .await?
            .iter()
            .map(|r| {
                Ok(SubsidyFigures {
                    city: r.try_get_by_index(0)?,
                    claims: count(r.try_get_by_index(1)?),
                    amount: fen(r, 2)?,
                    paid: fen(r, 3)?,
                })
            })
            .collect()
    }

    async fn fee_figures(&self, city: Option<&str>, p: &StatsPeriod) -> StoreResult<Vec<FeeFigures>> {
        let before = p.first().previous_day().unwrap_or(p.first());
        let opening = crate::fees::ledgers_to(self.reader(), city, before).await?;
        let closing = crate::fees::ledgers_to(self.reader(), city, p.last()).await?;
        Ok(closing
            .into_iter()
            .map(|(c, close)| {
                let open = opening.get(&c).copied().unwrap_or_default();
                FeeFigures {
                    collected: Money::from_fen(close.collected.fen() - open.collected.fen()),
                    refunded: Money::from_fen(close.refunded.fen() - open.refunded.fen()),
                    remitted: Money::from_fen(close.remitted.fen() - open.remitted.fen()),
                    outstanding: close.outstanding(),
                    city: c,
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_numbers_the_placeholders() {
        let s = statement(DbBackend::Postgres, "a = ? AND b < ?", vec![1.into(), 2.into()]);
        assert_eq!(s.sql, "a = $1 AND b < $2");
        let s = statement(DbBackend::Sqlite, "a = ?", vec![1.into()]);
        assert_eq!(s.sql, "a = ?");
    }

    #[test]
    fn months_are_cut_at_shanghai_midnight() {
        let p = StatsPeriod { year: 2026, from: 3, to: 5 };
        let mut v = Vec::new();
        let sql = month_case("d", &p, |m| p.month_start(m).into(), &mut v);
        assert_eq!(sql, "CASE WHEN d < ? THEN 3 WHEN d < ? THEN 4 ELSE 5 END");
        assert_eq!(v.len(), 2);
        let one = StatsPeriod { year: 2026, from: 7, to: 7 };
        assert_eq!(month_case("d", &one, |m| one.month_start(m).into(), &mut Vec::new()), "7");
        assert_eq!(shanghai_month_start(&p, 3).to_string(), "2026-02-28 16:00:00.0 +00:00:00");
        assert_eq!(shanghai_month_start(&p, 13).to_string(), "2026-12-31 16:00:00.0 +00:00:00");
    }
}
