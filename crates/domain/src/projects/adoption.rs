//! P1: adopting a project already published elsewhere ("在部中心或其他省份公布的专项职业能力考核项目中，符合我省
//! ……工作需要，有考核规范和题（卷）库的专项职业能力考核项目可直接开展考核"). The province records it
//! ([`Adoption::parse`]): where it was published ([`AdoptionSource`]: the national center, or another
//! province named among the other 30 provincial-level divisions, [`OTHER_PROVINCES`]), its original code
//! and publication date, its specification and the evidence of its specification and question bank.
//! The project then waits for the province's approval (`adoption_submitted`, [`super::ProjectState`]).
//!
//! Decisions: the **specification is complete**, parsed exactly as a developed one's — P1 asks for a
//! project that has one — except that an adopted project **keeps its original name**: only the name's
//! length and characters are checked ([`super::NameRule::LengthAndCharacters`]), never the "product or
//! service + verb" rule. Its errors are reported under `specification.` (`specification.tasks[0].weight`).
//! The [`Provenance`] stays with the project and is shown on its public page (F2).

use serde::{Deserialize, Serialize};
use time::Date;

use super::machine::parse_date;
use super::name::NameRule;
use super::spec::{Specification, SpecificationInput};
use super::text_block;
use crate::enums::string_enum;
use crate::error::{FieldError, FieldErrors};

/// Evidence notes have at most this many characters.
pub const EVIDENCE_MAX_CHARS: usize = 2000;
/// An original code has at most this many characters.
pub const ORIGINAL_CODE_MAX_CHARS: usize = 30;

/// The 30 provincial-level divisions other than Hunan (GB/T 2260 order), by their full names.
pub const OTHER_PROVINCES: [&str; 30] = [
    "北京市",
    "天津市",
    "河北省",
    "山西省",
    "内蒙古自治区",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "上海市",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "广东省",
    "广西壮族自治区",
    "海南省",
    "重庆市",
    "四川省",
    "贵州省",
    "云南省",
    "西藏自治区",
    "陕西省",
    "甘肃省",
    "青海省",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
];

string_enum! {
    /// Who published an adopted project (P1).
    AdoptionSource {
        National = "national" => "人社部职业技能鉴定中心",
        OtherProvince = "other_province" => "其他省份",
    }
}

/// An adoption as typed by the province.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AdoptionInput {
    /// An [`AdoptionSource`] id.
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub source: String,
    /// The publishing province's full name (one of [`OTHER_PROVINCES`]); only for `other_province`.
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub province: String,
    /// The project's code where it was published.
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub original_code: String,
    /// `YYYY-MM-DD`.
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub original_publication_date: String,
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub specification: SpecificationInput,
    /// What shows the specification and the question bank exist (the files are attached separately).
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub evidence: String,
}

impl AdoptionInput {
    /// A complete, valid adoption: a national-center project (the example specification under the
    /// name 中式面点制作), published 2023-05-10.
    pub fn example() -> AdoptionInput {
        AdoptionInput {
            source: AdoptionSource::National.id().into(),
            province: String::new(),
            original_code: "ZX-2023-0107".into(),
            original_publication_date: "2023-05-10".into(),
            specification: SpecificationInput { name: "中式面点制作".into(), ..SpecificationInput::example() },
            evidence: "部中心公布目录第 107 项；考核规范及题库（理论 300 题、实操 20 题）已取得".into(),
        }
    }
}

/// Where an adopted project comes from, shown on its public page (F2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    pub source: AdoptionSource,
    /// The publishing province, for [`AdoptionSource::OtherProvince`].
    pub province: Option<String>,
    pub original_code: String,
    #[serde(with = "crate::calendar::ymd")]
    pub original_publication_date: Date,
}

impl Provenance {
    /// Who published it: 人社部职业技能鉴定中心, or the province's name.
    pub fn publisher(&self) -> &str {
        match (&self.source, &self.province) {
            (AdoptionSource::OtherProvince, Some(p)) => p,
            (source, _) => source.label(),
        }
    }

    /// The provenance in words: 采用人社部职业技能鉴定中心于 2023-05-10 公布的考核项目（原项目代码 ZX-2023-0107）.
    pub fn describe(&self) -> String {
        format!(
            "采用{}于 {} 公布的考核项目（原项目代码 {}）",
            self.publisher(),
            self.original_publication_date,
            self.original_code
        )
    }
}

/// A parsed adoption (P1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Adoption {
    pub provenance: Provenance,
    pub specification: Specification,
    pub evidence: String,
}

impl Adoption {
    /// Parse an adoption recorded on `today`, reporting every error at once. Fields: `source`,
    /// `province`, `original_code`, `original_publication_date` (a date, not after `today`),
    /// `specification.*` (as [`Specification::parse_with`], the name's rule aside), `evidence`.
    pub fn parse(input: &AdoptionInput, today: Date) -> Result<Adoption, FieldErrors> {
        let mut e = FieldErrors::new();
        let source = AdoptionSource::parse(input.source.trim());
        if source.is_none() {
            e.push(FieldError::new(
                "source",
                "ADOPTION_SOURCE_UNKNOWN",
                "请选择项目来源：“人社部职业技能鉴定中心”或“其他省份”",
            ));
        }
        let province = match source {
            Some(AdoptionSource::OtherProvince) => e.take(parse_province(&input.province)).map(Some),
            _ => Some(None),
        };
        let original_code = e.take(parse_original_code(&input.original_code));
        let date = e.take(parse_publication_date(&input.original_publication_date, today));
        let specification = match Specification::parse_with(&input.specification, NameRule::LengthAndCharacters) {
            Ok(s) => Some(s),
            Err(errors) => {
                for err in errors.0 {
                    let field = format!("specification.{}", err.field);
                    e.push(err.for_field(field));
                }
                None
            }
        };
        let evidence = e.take(text_block(
            "evidence",
            &input.evidence,
            2,
            EVIDENCE_MAX_CHARS,
            "ADOPTION_EVIDENCE_LENGTH",
            "考核规范和题（卷）库的证明材料说明",
        ));
        e.into_result()?;
        match (source, province, original_code, date, specification, evidence) {
            (Some(source), Some(province), Some(original_code), Some(date), Some(specification), Some(evidence)) => {
                Ok(Adoption {
                    provenance: Provenance { source, province, original_code, original_publication_date: date },
                    specification,
                    evidence,
                })
            }
            // Every `None` above recorded its error.
            _ => Err(FieldErrors::new()),
        }
    }
}

fn parse_province(raw: &str) -> Result<String, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(FieldError::new("province", "ADOPTION_PROVINCE_UNKNOWN", "请选择公布该项目的省份"));
    }
    if t == "湖南省" || t == "湖南" {
        return Err(FieldError::new(
            "province",
            "ADOPTION_PROVINCE_UNKNOWN",
            "本省开发的考核项目应按开发申请程序办理，不能作为采用项目登记",
        ));
    }
    OTHER_PROVINCES.iter().find(|p| **p == t).map(|p| (*p).to_owned()).ok_or_else(|| {
        FieldError::new(
            "province",
            "ADOPTION_PROVINCE_UNKNOWN",
            format!("“{t}”不是省级行政区的全称，请选择如“广东省”“广西壮族自治区”“重庆市”"),
        )
    })
}

fn parse_original_code(raw: &str) -> Result<String, FieldError> {
    let t = raw.trim();
    let err = |detail: String| FieldError::new("original_code", "ADOPTION_ORIGINAL_CODE", detail);
    if t.is_empty() {
        return Err(err("请填写原项目代码".into()));
    }
    let n = t.chars().count();
    if n > ORIGINAL_CODE_MAX_CHARS || !t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(err(format!("原项目代码应为 1 至 {ORIGINAL_CODE_MAX_CHARS} 位字母、数字或“-”")));
    }
    Ok(t.to_owned())
}

fn parse_publication_date(raw: &str, today: Date) -> Result<Date, FieldError> {
    let field = "original_publication_date";
    let code = "ADOPTION_PUBLICATION_DATE";
    if raw.trim().is_empty() {
        return Err(FieldError::new(field, code, "请填写原发布日期"));
    }
    let date = parse_date(raw)
        .ok_or_else(|| FieldError::new(field, code, "原发布日期应为 YYYY-MM-DD 格式的日期，如 2023-05-10"))?;
    if date > today {
        return Err(FieldError::new(field, code, format!("原发布日期不能晚于今天（{today}）")));
    }
    Ok(date)
}
