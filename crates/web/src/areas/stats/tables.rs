//! The dashboard's tables, shared by the page (a table under each chart, for accessibility and for staff
//! who copy numbers) and the .xlsx export (one sheet per table).

use domain::exams::SessionState;
use domain::ids::{Money, region_name};
use store::stats::Statistics;

/// One table of figures.
pub struct Table {
    /// The table's id on the page.
    pub id: &'static str,
    /// Its sheet's name in the export.
    pub sheet: &'static str,
    pub title: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// A city's name; none for a station without a city.
pub fn city_label(code: &str) -> String {
    if code.is_empty() { "未归属市州".to_owned() } else { region_name(code) }
}

pub fn yuan(m: Money) -> f64 {
    m.fen() as f64 / 100.0
}

pub fn stations(s: &Statistics) -> Table {
    Table {
        id: "stations",
        sheet: "考核站",
        title: "考核站备案（按市州，截至今日）",
        headers: vec!["市州", "已备案", "正常运营", "暂停或撤销"],
        rows: s
            .stations
            .iter()
            .map(|f| {
                vec![city_label(&f.city), f.filed.to_string(), f.active.to_string(), (f.filed - f.active).to_string()]
            })
            .collect(),
    }
}

pub fn sessions(s: &Statistics) -> Table {
    let mut headers = vec!["月份"];
    headers.extend(SessionState::ALL.iter().map(|st| st.label()));
    headers.push("合计");
    Table {
        id: "sessions",
        sheet: "考核场次",
        title: "考核场次（按首个考核日所在月份和状态）",
        headers,
        rows: s
            .sessions
            .iter()
            .map(|m| {
                let mut row = vec![format!("{} 月", m.month)];
                row.extend(m.by_state.iter().map(|(_, n)| n.to_string()));
                row.push(m.total.to_string());
                row
            })
            .collect(),
    }
}

pub fn candidates(s: &Statistics) -> Table {
    Table {
        id: "candidates",
        sheet: "考生与通过率",
        title: "考生与通过率（按市州和考核项目）",
        headers: vec!["市州", "考核项目", "考生", "参加考核", "通过", "通过率"],
        rows: s
            .candidates
            .iter()
            .map(|f| {
                vec![
                    city_label(&f.city),
                    f.project.clone(),
                    f.candidates.to_string(),
                    f.assessed.to_string(),
                    f.passed.to_string(),
                    f.pass_rate(),
                ]
            })
            .collect(),
    }
}

pub fn certificates_by_city(s: &Statistics) -> Table {
    Table {
        id: "certificates-city",
        sheet: "证书按市州",
        title: "证书核发（按市州）",
        headers: vec!["市州", "核发", "其中已注销"],
        rows: s
            .certificates_by_city
            .iter()
            .map(|c| vec![city_label(&c.key), c.issued.to_string(), c.revoked.to_string()])
            .collect(),
    }
}

pub fn certificates_by_project(s: &Statistics) -> Table {
    Table {
        id: "certificates-project",
        sheet: "证书按项目",
        title: "证书核发（按考核项目）",
        headers: vec!["考核项目", "核发", "其中已注销"],
        rows: s
            .certificates_by_project
            .iter()
            .map(|c| vec![c.key.clone(), c.issued.to_string(), c.revoked.to_string()])
            .collect(),
    }
}

pub fn certificates_by_month(s: &Statistics) -> Table {
    Table {
        id: "certificates-month",
        sheet: "证书按月份",
        title: "证书核发（按月份）",
        headers: vec!["月份", "核发", "其中已注销"],
        rows: s
            .certificates_by_month
            .iter()
            .map(|c| vec![format!("{} 月", c.key), c.issued.to_string(), c.revoked.to_string()])
            .collect(),
    }
}

pub fn fees(s: &Statistics) -> Table {
    Table {
        id: "fees",
        sheet: "考核收费",
        title: "考核收费（按市州，金额单位：元）",
        headers: vec!["市州", "本期收取", "本期退费", "本期上缴财政", "期末未上缴"],
        rows: s
            .fees
            .iter()
            .map(|f| {
                vec![
                    city_label(&f.city),
                    f.collected.to_string(),
                    f.refunded.to_string(),
                    f.remitted.to_string(),
                    f.outstanding.to_string(),
                ]
            })
            .collect(),
    }
}

/// F3: the subsidy claims on the period's certificates, by city.
pub fn subsidies(s: &Statistics) -> Table {
    Table {
        id: "subsidies",
        sheet: "补贴",
        title: "职业培训补贴（按市州，金额单位：元）",
        headers: vec!["市州", "申领笔数", "申领金额", "已发放金额"],
        rows: s
            .subsidies
            .iter()
            .map(|f| vec![city_label(&f.city), f.claims.to_string(), f.amount.to_string(), f.paid.to_string()])
            .collect(),
    }
}

/// Every table, in the page's order.
pub fn all(s: &Statistics) -> Vec<Table> {
    vec![
        stations(s),
        sessions(s),
        candidates(s),
        certificates_by_city(s),
        certificates_by_project(s),
        certificates_by_month(s),
        fees(s),
        subsidies(s),
    ]
}
