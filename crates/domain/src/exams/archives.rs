//! E7: "考核站应将考核过程中形成的材料归档保存，纸质材料保存期不少于3年，电子材料保存期不少于5年。" Each
//! archived material keeps until a date counted from the score register's confirmation: the policy's
//! years (`archive.paper_retention_years` 3, `archive.electronic_retention_years` 5) later, on the same
//! day (29 February → 28 February in a common year). Before that day nothing may be disposed of; from it
//! the material is due for disposal, which is recorded, never silent.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::enums::string_enum;

string_enum! {
    /// How a material is kept.
    ArchiveMedium {
        Paper = "paper" => "纸质",
        Electronic = "electronic" => "电子",
    }
}

/// Retention in years per medium (policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retention {
    pub paper_years: u32,
    pub electronic_years: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Retention { paper_years: 3, electronic_years: 5 }
    }
}

/// E7: the first day a material archived at `confirmed` may be disposed of.
pub fn keep_until(confirmed: Date, medium: ArchiveMedium, r: Retention) -> Date {
    let years = match medium {
        ArchiveMedium::Paper => r.paper_years,
        ArchiveMedium::Electronic => r.electronic_years,
    };
    let year = confirmed.year().saturating_add(i32::try_from(years).unwrap_or(i32::MAX));
    let day = confirmed.day().min(confirmed.month().length(year));
    Date::from_calendar_date(year, confirmed.month(), day).unwrap_or(Date::MAX)
}

/// E7: whether a material kept until `until` may be disposed of on `today`.
pub fn may_dispose(today: Date, until: Date) -> bool {
    today >= until
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn e7_paper_keeps_three_years_electronic_five_counted_from_confirmation() {
        let r = Retention::default();
        assert_eq!(keep_until(date!(2026 - 06 - 30), ArchiveMedium::Paper, r), date!(2029 - 06 - 30));
        assert_eq!(keep_until(date!(2026 - 06 - 30), ArchiveMedium::Electronic, r), date!(2031 - 06 - 30));
        assert_eq!(keep_until(date!(2028 - 02 - 29), ArchiveMedium::Paper, r), date!(2031 - 02 - 28));
        assert!(!may_dispose(date!(2029 - 06 - 29), date!(2029 - 06 - 30)), "nothing is disposed of early");
        assert!(may_dispose(date!(2029 - 06 - 30), date!(2029 - 06 - 30)));
    }
}
