//! R1, R2: the statistics dashboard `/stats` (year, optional months, the province's city filter): the
//! figures, a chart of each section drawn on the server as SVG ([`super::charts`]) with its table
//! under it, and `/stats/export.xlsx` with one sheet per table.

use super::charts::{Series, bars, lines};
use super::tables::{self, Table, city_label, yuan};
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::Query;
use crate::view::{Layout, filter_query};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use domain::authz::Action;
use domain::exams::SessionState;
use domain::org::{DataScope, Principal};
use domain::stats::{StatsPeriod, StatsPeriodInput};
use serde::Deserialize;
use store::stats::Statistics;

/// The dashboard's filter: the period and, for the province, a city.
#[derive(Deserialize, Default, Clone)]
pub struct StatsQuery {
    pub year: Option<String>,
    pub from_month: Option<String>,
    pub to_month: Option<String>,
    pub city: Option<String>,
}

impl StatsQuery {
    pub fn period(&self) -> Result<StatsPeriod, AppError> {
        StatsPeriodInput {
            year: self.year.clone(),
            from_month: self.from_month.clone(),
            to_month: self.to_month.clone(),
        }
        .parse(store::today().year())
        .map_err(AppError::Invalid)
    }

    fn filters(&self) -> String {
        filter_query(&[
            ("year", self.year.clone()),
            ("from_month", self.from_month.clone()),
            ("to_month", self.to_month.clone()),
            ("city", self.city.clone()),
        ])
    }
}

/// The statistics the caller may read (403 before anything is read).
pub async fn statistics(state: &AppState, p: &Principal, q: &StatsQuery) -> Result<Statistics, AppError> {
    if !p.can(Action::ViewStatistics) {
        return Err(AppError::Forbidden);
    }
    let period = q.period()?;
    Ok(state.store.statistics(p, q.city.as_deref(), period).await?)
}

/// A section of the page: its charts (SVG, escaped by the chart code) and its tables.
pub struct Section {
    pub id: &'static str,
    pub title: &'static str,
    pub hint: &'static str,
    pub charts: Vec<String>,
    pub tables: Vec<Table>,
}

fn city_labels<T>(rows: &[T], city: impl Fn(&T) -> &str) -> Vec<String> {
    rows.iter().map(|r| city_label(city(r))).collect()
}

fn sections(s: &Statistics) -> Vec<Section> {
    let whole_province = s.city.is_none();
    let mut out = Vec::new();

    let labels = city_labels(&s.stations, |f| &f.city);
    out.push(Section {
        id: "sec-stations",
        title: "考核站",
        hint: "已备案的考核站（含其后暂停或撤销的）及其中正常运营的，按申请机构所在市州统计，截至今日。",
        charts: vec![bars(
            "考核站备案",
            &labels,
            &[
                Series { name: "已备案", values: s.stations.iter().map(|f| f.filed as f64).collect() },
                Series { name: "正常运营", values: s.stations.iter().map(|f| f.active as f64).collect() },
            ],
        )],
        tables: vec![tables::stations(s)],
    });

    let months: Vec<String> = s.sessions.iter().map(|m| format!("{}月", m.month)).collect();
    let approved = |m: &store::stats::SessionMonth| {
        m.by_state.iter().find(|(st, _)| *st == SessionState::Approved).map_or(0, |(_, n)| *n) as f64
    };
    out.push(Section {
        id: "sec-sessions",
        title: "考核场次",
        hint: "考核计划按首个考核日所在月份统计；已批准的考核计划即组织实施的考核。",
        charts: vec![lines(
            "考核场次（按月份）",
            &months,
            &[
                Series { name: "合计", values: s.sessions.iter().map(|m| m.total as f64).collect() },
                Series { name: "已批准", values: s.sessions.iter().map(approved).collect() },
            ],
        )],
        tables: vec![tables::sessions(s)],
    });

    // The candidates' chart: by city for the whole province, by project within a city.
    let mut groups: Vec<(String, [u64; 3])> = Vec::new();
    for f in &s.candidates {
        let key = if whole_province { city_label(&f.city) } else { f.project.clone() };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => {
                v[0] += f.candidates;
                v[1] += f.assessed;
                v[2] += f.passed;
            }
            None => groups.push((key, [f.candidates, f.assessed, f.passed])),
        }
    }
    let glabels: Vec<String> = groups.iter().map(|(k, _)| k.clone()).collect();
    let col = |i: usize| groups.iter().map(|(_, v)| v[i] as f64).collect::<Vec<_>>();
    out.push(Section {
        id: "sec-candidates",
        title: "考生与通过率",
        hint: "已批准考核计划中已列入名单的考生；参加考核、通过以成绩登记表确认后的最新版本为准；通过率 = 通过 ÷ 参加考核。",
        charts: vec![bars(
            if whole_province { "考生与通过人数（按市州）" } else { "考生与通过人数（按考核项目）" },
            &glabels,
            &[
                Series { name: "考生", values: col(0) },
                Series { name: "参加考核", values: col(1) },
                Series { name: "通过", values: col(2) },
            ],
        )],
        tables: vec![tables::candidates(s)],
    });

    let cmonths: Vec<String> = s.certificates_by_month.iter().map(|c| format!("{}月", c.key)).collect();
    let mut charts = vec![lines(
        "证书核发（按月份）",
        &cmonths,
        &[
            Series { name: "核发", values: s.certificates_by_month.iter().map(|c| c.issued as f64).collect() },
            Series { name: "已注销", values: s.certificates_by_month.iter().map(|c| c.revoked as f64).collect() },
        ],
    )];
    let (title, labels, rows) = if whole_province {
        ("证书核发（按市州）", city_labels(&s.certificates_by_city, |c| &c.key), &s.certificates_by_city)
    } else {
        (
            "证书核发（按考核项目）",
            s.certificates_by_project.iter().map(|c| c.key.clone()).collect(),
            &s.certificates_by_project,
        )
    };
    charts.push(bars(
        title,
        &labels,
        &[
            Series { name: "核发", values: rows.iter().map(|c| c.issued as f64).collect() },
            Series { name: "已注销", values: rows.iter().map(|c| c.revoked as f64).collect() },
        ],
    ));
    out.push(Section {
        id: "sec-certificates",
        title: "证书核发",
        hint: "按核发时间（北京时间）统计；已注销为期间内核发、其后注销的证书。",
        charts,
        tables: vec![
            tables::certificates_by_city(s),
            tables::certificates_by_project(s),
            tables::certificates_by_month(s),
        ],
    });

    let flabels = city_labels(&s.fees, |f| &f.city);
    out.push(Section {
        id: "sec-fees",
        title: "考核收费",
        hint: "按缴费、退费和上缴财政的日期计入期间；期末未上缴为截至期末累计收取 − 累计退费 − 累计上缴（F1 收支两条线）。",
        charts: vec![bars(
            "考核收费（元）",
            &flabels,
            &[
                Series { name: "收取", values: s.fees.iter().map(|f| yuan(f.collected)).collect() },
                Series { name: "退费", values: s.fees.iter().map(|f| yuan(f.refunded)).collect() },
                Series { name: "上缴财政", values: s.fees.iter().map(|f| yuan(f.remitted)).collect() },
                Series { name: "未上缴", values: s.fees.iter().map(|f| yuan(f.outstanding)).collect() },
            ],
        )],
        tables: vec![tables::fees(s)],
    });

    // F3: the claims on the certificates of the period.
    let slabels = city_labels(&s.subsidies, |f| &f.city);
    out.push(Section {
        id: "sec-subsidies",
        title: "职业培训补贴",
        hint: "按市州统计本期核发证书的补贴申领（不予补贴的不计），及其中已发放的金额。",
        charts: vec![bars(
            "补贴金额（元）",
            &slabels,
            &[
                Series { name: "申领金额", values: s.subsidies.iter().map(|f| yuan(f.amount)).collect() },
                Series { name: "已发放", values: s.subsidies.iter().map(|f| yuan(f.paid)).collect() },
            ],
        )],
        tables: vec![tables::subsidies(s)],
    });
    out
}

#[derive(Template, WebTemplate)]
#[template(path = "stats/dashboard.html")]
pub struct DashboardPage {
    layout: Layout,
    s: Statistics,
    sections: Vec<Section>,
    year: String,
    from_month: String,
    to_month: String,
    city: String,
    choose_city: bool,
    cities: Vec<(&'static str, &'static str)>,
    months: Vec<u8>,
    export_href: String,
}

pub async fn dashboard(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<StatsQuery>,
) -> Result<DashboardPage, PageError> {
    let s = statistics(&state, &staff.principal, &q).await?;
    Ok(DashboardPage {
        layout: Layout::new(&staff, &state.config.system_name, "统计分析", "/stats"),
        sections: sections(&s),
        year: s.period.year.to_string(),
        from_month: s.period.from.to_string(),
        to_month: s.period.to.to_string(),
        city: s.city.clone().unwrap_or_default(),
        choose_city: staff.principal.scope == DataScope::Province,
        cities: domain::ids::HUNAN_CITIES.to_vec(),
        months: (1..=12).collect(),
        export_href: format!("/stats/export.xlsx?{}", q.filters()),
        s,
    })
}

pub async fn export(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<StatsQuery>,
) -> Result<Response, PageError> {
    let s = statistics(&state, &staff.principal, &q).await?;
    let tables = tables::all(&s);
    let sheets: Vec<crate::xlsx::Sheet<'_>> = tables
        .iter()
        .map(|t| crate::xlsx::Sheet { name: t.sheet, headers: &t.headers, rows: t.rows.clone() })
        .collect();
    let bytes = crate::xlsx::write(&sheets).map_err(AppError::Internal)?;
    Ok(crate::xlsx::download(&format!("statistics-{}.xlsx", s.period.year), bytes))
}
