//! E1: "试点期间的考核项目和机考项目由省鉴定中心组织实施；其他考核项目由考核站按属地原则向所在市州鉴定中心
//! 申请，由市州鉴定中心组织实施。" The organizer approves the plan (E3), appoints the panel (E4), requests the
//! papers (E2) and confirms the score register (E6).

use serde::{Deserialize, Serialize};

/// Who organizes an exam session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Organizer {
    /// The province center (省鉴定中心).
    Province,
    /// The city center of this GB/T 2260 city code (市州鉴定中心).
    City(String),
}

impl Organizer {
    /// How pages name the organizer.
    pub fn label(&self) -> String {
        match self {
            Organizer::Province => "省鉴定中心".to_owned(),
            Organizer::City(code) => {
                let city = crate::ids::region_name(code);
                if city == *code { format!("市州鉴定中心（{code}）") } else { format!("{city}鉴定中心") }
            }
        }
    }
}

/// The facts E1 decides on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionKind {
    /// The project is in its pilot period on the exam date (P8).
    pub pilot: bool,
    /// The exam is taken on computers (机考).
    pub computer_based: bool,
    /// The station's city (GB/T 2260); `None` for a station registered at the province's level.
    pub station_city: Option<String>,
}

/// E1: the province for a pilot-period or computer-based exam, otherwise the station's city center (by
/// territory); a station with no city (a provincial body) applies to the province.
pub fn organizer(kind: &SessionKind) -> Organizer {
    match (&kind.station_city, kind.pilot || kind.computer_based) {
        (Some(city), false) => Organizer::City(city.clone()),
        _ => Organizer::Province,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(pilot: bool, computer_based: bool, city: Option<&str>) -> SessionKind {
        SessionKind { pilot, computer_based, station_city: city.map(str::to_owned) }
    }

    #[test]
    fn e1_pilot_and_computer_based_exams_are_the_provinces_the_rest_the_stations_city() {
        let cases = [
            (kind(false, false, Some("430100")), Organizer::City("430100".into())),
            (kind(true, false, Some("430100")), Organizer::Province),
            (kind(false, true, Some("430100")), Organizer::Province),
            (kind(true, true, Some("430100")), Organizer::Province),
            (kind(false, false, None), Organizer::Province),
        ];
        for (k, want) in cases {
            assert_eq!(organizer(&k), want, "{k:?}");
        }
    }

    #[test]
    fn e1_the_organizer_is_named_as_staff_know_it() {
        assert_eq!(Organizer::Province.label(), "省鉴定中心");
        assert_eq!(Organizer::City("430100".into()).label(), "长沙市鉴定中心");
    }
}
