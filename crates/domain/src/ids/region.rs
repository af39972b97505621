//! GB/T 2260 region codes: the table of every code, current and retired (`data/gbt2260.tsv`, parsed
//! once), the province and its 14 cities, and [`RegionCode`], which accepts only codes in force.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::FieldError;

/// Hunan province (GB/T 2260).
pub const PROVINCE: (&str, &str) = ("430000", "湖南省");

/// The 14 prefecture-level divisions of Hunan (GB/T 2260).
pub const HUNAN_CITIES: [(&str, &str); 14] = [
    ("430100", "长沙市"),
    ("430200", "株洲市"),
    ("430300", "湘潭市"),
    ("430400", "衡阳市"),
    ("430500", "邵阳市"),
    ("430600", "岳阳市"),
    ("430700", "常德市"),
    ("430800", "张家界市"),
    ("430900", "益阳市"),
    ("431000", "郴州市"),
    ("431100", "永州市"),
    ("431200", "怀化市"),
    ("431300", "娄底市"),
    ("433100", "湘西土家族苗族自治州"),
];

const REGION_FIELD: &str = "region_code";

const TABLE_TEXT: &str = include_str!("../../../../data/gbt2260.tsv");

/// One code of the GB/T 2260 table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Division {
    /// The latest name under this code.
    pub name: &'static str,
    /// For a retired code, the last year it was valid; `None` while it is in force.
    pub retired_after: Option<u16>,
}

static TABLE: LazyLock<HashMap<&'static str, Division>> = LazyLock::new(|| {
    TABLE_TEXT
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let code = cols.next()?;
            let name = cols.next()?;
            let retired_after = cols.next().and_then(|y| y.parse().ok());
            Some((code, Division { name, retired_after }))
        })
        .collect()
});

/// The GB/T 2260 entry of a six-digit code, current or retired (ID numbers and credit codes keep the
/// code that was valid when they were issued); `None` for a code that was never assigned.
pub fn division(code: &str) -> Option<Division> {
    TABLE.get(code).copied()
}

/// The divisions in force directly under `parent` (GB/T 2260, by code): with no parent the provinces;
/// under a province (`430000`) its cities (`430100` …); under a city (`430100`) its counties. The region
/// picker of the forms reads them (`GET /api/v1/regions`). Retired codes are left out.
pub fn children(parent: Option<&str>) -> Vec<(&'static str, &'static str)> {
    let current = TABLE.iter().filter(|(_, d)| d.retired_after.is_none()).map(|(c, d)| (*c, d.name));
    let mut out: Vec<(&'static str, &'static str)> = match parent {
        None => current.filter(|(c, _)| c.ends_with("0000")).collect(),
        Some(p) if p.len() == 6 && p.ends_with("0000") => {
            current.filter(|(c, _)| c[..2] == p[..2] && c.ends_with("00") && !c.ends_with("0000")).collect()
        }
        Some(p) if p.len() == 6 && p.ends_with("00") => {
            current.filter(|(c, _)| c[..4] == p[..4] && !c.ends_with("00")).collect()
        }
        Some(_) => Vec::new(),
    };
    out.sort_unstable();
    out
}

/// A code as people read it on a page (issue 9 item 8): the names from the city down, e.g.
/// `长沙市芙蓉区` for 430102, `长沙市` for 430100, `湖南省` for 430000; a code outside the table as it
/// is. See [`region_display`] for the code with its name.
pub fn region_name(code: &str) -> String {
    let code = code.trim();
    let Some(d) = division(code) else { return code.to_string() };
    if code.len() != 6 || code.ends_with("00") {
        return d.name.to_string();
    }
    match division(&format!("{}00", &code[..4])) {
        Some(city) if !matches!(city.name, "市辖区" | "县" | "省直辖县级行政区划") => {
            format!("{}{}", city.name, d.name)
        }
        _ => d.name.to_string(),
    }
}

/// A code with its name, `430102 长沙市芙蓉区`; an empty code reads empty.
pub fn region_display(code: &str) -> String {
    let code = code.trim();
    if code.is_empty() {
        return String::new();
    }
    let name = region_name(code);
    if name == code { code.to_string() } else { format!("{code} {name}") }
}

/// A GB/T 2260 administrative division code in force (`430104`); retired and never-assigned codes are
/// refused, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode(String);

impl RegionCode {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(FieldError::new(REGION_FIELD, "REGION_CODE_FORMAT", "请选择所在地区"));
        }
        if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(REGION_FIELD, "REGION_CODE_FORMAT", "行政区划代码应为 6 位数字"));
        }
        match division(s) {
            None => Err(FieldError::new(
                REGION_FIELD,
                "REGION_CODE_UNKNOWN",
                format!("行政区划代码 {s} 不在 GB/T 2260 行政区划代码表中，请核对"),
            )),
            Some(Division { name, retired_after: Some(year) }) => Err(FieldError::new(
                REGION_FIELD,
                "REGION_CODE_RETIRED",
                format!("行政区划代码 {s}（{name}）已于 {year} 年后撤销，请填写现行代码"),
            )),
            Some(_) => Ok(Self(s.to_owned())),
        }
    }

    /// One of the 14 Hunan cities, nothing else (not the province, not a county).
    pub fn parse_hunan_city(s: &str) -> Result<Self, FieldError> {
        let code = Self::parse(s)?;
        if code.is_hunan_city() {
            Ok(code)
        } else {
            Err(FieldError::new(REGION_FIELD, "REGION_NOT_HUNAN_CITY", "不是湖南省的市州行政区划代码"))
        }
    }

    /// The province code 430000.
    pub fn hunan_province() -> Self {
        Self(PROVINCE.0.to_owned())
    }

    /// The 14 Hunan cities in GB/T 2260 order.
    pub fn hunan_cities() -> Vec<Self> {
        HUNAN_CITIES.iter().map(|(c, _)| Self((*c).to_owned())).collect()
    }

    pub fn is_hunan(&self) -> bool {
        self.0.starts_with("43")
    }

    pub fn is_hunan_province(&self) -> bool {
        self.0 == PROVINCE.0
    }

    pub fn is_hunan_city(&self) -> bool {
        HUNAN_CITIES.iter().any(|(c, _)| *c == self.0)
    }

    /// The Hunan city a city- or county-level code belongs to (first four digits + "00").
    pub fn city(&self) -> Option<RegionCode> {
        let candidate = format!("{}00", &self.0[..4]);
        HUNAN_CITIES.iter().any(|(c, _)| *c == candidate).then_some(Self(candidate))
    }

    pub fn city_name(&self) -> Option<&'static str> {
        self.city().and_then(|c| c.name())
    }

    /// The name of this code when it is the province or one of its cities.
    pub fn name(&self) -> Option<&'static str> {
        if self.is_hunan_province() {
            return Some(PROVINCE.1);
        }
        HUNAN_CITIES.iter().find(|(c, _)| *c == self.0).map(|(_, n)| *n)
    }

    /// The GB/T 2260 name of this code (a county's too).
    pub fn division_name(&self) -> &'static str {
        division(&self.0).map_or("", |d| d.name)
    }

    /// Digits 3–4 of the Hunan city ("01".."13", "31"), used in certificate numbers.
    pub fn city_two_digits(&self) -> Option<&str> {
        self.city().map(|_| &self.0[2..4])
    }
}

string_value!(RegionCode);
