//! P7: training materials ("开发单位可依据专项职业能力考核规范编写培训教材或考试指南，以湖南省职业技术培训研究室
//! 名义出版发行"), recorded per project: the kind ([`MaterialKind`]), title, publisher and year; the file is
//! attached by the store. [`TrainingMaterial::parse`] reports every field at once.

use serde::{Deserialize, Serialize};

use super::text_field;
use crate::enums::string_enum;
use crate::error::{FieldError, FieldErrors};

/// The earliest publication year accepted.
pub const EARLIEST_YEAR: i32 = 2000;
/// A title or publisher has at most this many characters.
pub const MATERIAL_TEXT_MAX_CHARS: usize = 100;

string_enum! {
    /// P7: what a material is (the procedure's 培训教材 and 考试指南).
    MaterialKind {
        Textbook = "textbook" => "培训教材",
        ExamGuide = "exam_guide" => "考试指南",
    }
}

/// A material as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MaterialInput {
    /// A [`MaterialKind`] id.
    pub kind: String,
    pub title: String,
    pub publisher: String,
    /// The publication year, four digits.
    pub year: String,
}

/// A parsed material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrainingMaterial {
    pub kind: MaterialKind,
    pub title: String,
    pub publisher: String,
    pub year: i32,
}

impl TrainingMaterial {
    /// Parse a material recorded in `current_year`: `kind` (`MATERIAL_KIND_UNKNOWN`), `title`
    /// (`MATERIAL_TITLE_LENGTH`, 1–100), `publisher` (`MATERIAL_PUBLISHER_LENGTH`, 2–100), `year`
    /// (`MATERIAL_YEAR`, 2000 to next year: a material in press may carry next year).
    pub fn parse(input: &MaterialInput, current_year: i32) -> Result<TrainingMaterial, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = MaterialKind::parse(input.kind.trim());
        if kind.is_none() {
            e.push(FieldError::new("kind", "MATERIAL_KIND_UNKNOWN", "请选择材料类别：“培训教材”或“考试指南”"));
        }
        let title =
            e.take(text_field("title", &input.title, 1, MATERIAL_TEXT_MAX_CHARS, "MATERIAL_TITLE_LENGTH", "书名"));
        let publisher = e.take(text_field(
            "publisher",
            &input.publisher,
            2,
            MATERIAL_TEXT_MAX_CHARS,
            "MATERIAL_PUBLISHER_LENGTH",
            "出版单位",
        ));
        let last = current_year + 1;
        let year = match input.year.trim() {
            "" => {
                e.push(FieldError::new("year", "MATERIAL_YEAR", "请填写出版年份"));
                None
            }
            t => match t.parse::<i32>() {
                Ok(y) if (EARLIEST_YEAR..=last).contains(&y) => Some(y),
                _ => {
                    e.push(FieldError::new(
                        "year",
                        "MATERIAL_YEAR",
                        format!("出版年份应为 {EARLIEST_YEAR} 至 {last} 年之间的四位年份"),
                    ));
                    None
                }
            },
        };
        e.into_result()?;
        match (kind, title, publisher, year) {
            (Some(kind), Some(title), Some(publisher), Some(year)) => {
                Ok(TrainingMaterial { kind, title, publisher, year })
            }
            _ => Err(FieldErrors::new()),
        }
    }
}
