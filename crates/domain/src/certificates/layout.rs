//! C1: overlay printing (套打). The province sets, per certificate template, where each field is printed
//! on the pre-printed blank: a position in millimetres from the blank's top-left corner, a font size in
//! points and, for the photo and the QR code, a box. A layout is checked whole before it is saved: the
//! blank's size is a real paper size, every required field is placed, and every field lies inside the
//! blank ([`Layout::parse`]). The printing code only converts millimetres to its own units.

use serde::{Deserialize, Serialize};

use crate::enums::string_enum;
use crate::error::{FieldError, FieldErrors};

string_enum! {
    /// A field printed on the blank.
    LayoutField {
        HolderName = "holder_name" => "姓名",
        IdNumber = "id_number" => "身份证件号码",
        Project = "project" => "考核项目",
        Station = "station" => "考核站",
        Issuer = "issuer" => "发证机构",
        IssuedOn = "issued_on" => "发证日期",
        Number = "number" => "证书编号",
        Photo = "photo" => "照片",
        QrCode = "qr_code" => "查询二维码",
    }
}

impl LayoutField {
    /// Fields drawn as a box (width × height) rather than a line of text.
    pub fn is_box(self) -> bool {
        matches!(self, LayoutField::Photo | LayoutField::QrCode)
    }
}

/// The sizes a blank may have, in millimetres.
pub const MIN_SIDE_MM: u32 = 50;
pub const MAX_SIDE_MM: u32 = 420;
/// Font sizes a text field may use, in points.
pub const FONT_PT: (u32, u32) = (6, 36);

/// One placed field as typed: millimetres with at most one decimal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PlacementInput {
    /// A [`LayoutField`] id, e.g. `holder_name`.
    pub field: String,
    pub x_mm: String,
    pub y_mm: String,
    /// Text fields: the font size in points.
    pub font_pt: String,
    /// Boxes (photo, QR code): width and height in millimetres.
    pub width_mm: String,
    pub height_mm: String,
}

/// A layout as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct LayoutInput {
    pub width_mm: String,
    pub height_mm: String,
    pub placements: Vec<PlacementInput>,
}

/// A length in tenths of a millimetre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TenthMm(pub u32);

impl TenthMm {
    pub fn mm(self) -> f32 {
        self.0 as f32 / 10.0
    }

    fn parse(field: String, label: &str, raw: &str) -> Result<TenthMm, FieldError> {
        let bad = || {
            FieldError::new(field.clone(), "LENGTH_FORMAT", format!("{label}应为毫米数，最多一位小数，如 35 或 35.5"))
        };
        let raw = raw.trim();
        let (whole, frac) = raw.split_once('.').unwrap_or((raw, ""));
        let ok = !whole.is_empty()
            && whole.len() <= 4
            && whole.bytes().all(|b| b.is_ascii_digit())
            && frac.len() <= 1
            && frac.bytes().all(|b| b.is_ascii_digit())
            && !(raw.contains('.') && frac.is_empty());
        if !ok {
            return Err(bad());
        }
        let whole: u32 = whole.parse().map_err(|_| bad())?;
        let frac: u32 = if frac.is_empty() { 0 } else { frac.parse().map_err(|_| bad())? };
        Ok(TenthMm(whole * 10 + frac))
    }
}

/// Where one field goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub field: LayoutField,
    pub x: TenthMm,
    pub y: TenthMm,
    /// Text: points; boxes: 0.
    pub font_pt: u32,
    /// Boxes: their size; text: 0.
    pub width: TenthMm,
    pub height: TenthMm,
}

/// A checked layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    pub width: TenthMm,
    pub height: TenthMm,
    pub placements: Vec<Placement>,
}

/// Fields every layout places (the photo is optional: some blanks have none).
pub const REQUIRED_FIELDS: &[LayoutField] = &[
    LayoutField::HolderName,
    LayoutField::IdNumber,
    LayoutField::Project,
    LayoutField::Issuer,
    LayoutField::IssuedOn,
    LayoutField::Number,
    LayoutField::QrCode,
];

impl Layout {
    /// Checks a layout whole; errors name `width_mm`, `height_mm` or `placements[i].<part>`.
    pub fn parse(input: &LayoutInput) -> Result<Layout, FieldErrors> {
        let mut errs = FieldErrors::new();
        let side = |field: &str, label: &str, raw: &str| {
            TenthMm::parse(field.to_owned(), label, raw).and_then(|v| {
                if (MIN_SIDE_MM * 10..=MAX_SIDE_MM * 10).contains(&v.0) {
                    Ok(v)
                } else {
                    Err(FieldError::new(
                        field,
                        "SIZE_RANGE",
                        format!("{label}应在 {MIN_SIDE_MM} 至 {MAX_SIDE_MM} 毫米之间"),
                    ))
                }
            })
        };
        let width = errs.take(side("width_mm", "证书宽度", &input.width_mm));
        let height = errs.take(side("height_mm", "证书高度", &input.height_mm));
        let mut placements = Vec::new();
        let mut seen = Vec::new();
        for (i, p) in input.placements.iter().enumerate() {
            let at = |part: &str| format!("placements[{i}].{part}");
            let Some(field) = LayoutField::parse(p.field.trim()) else {
                errs.push(FieldError::new(
                    at("field"),
                    "FIELD_UNKNOWN",
                    format!("第 {} 项的字段“{}”不是证书上的字段", i + 1, p.field.trim()),
                ));
                continue;
            };
            let label = field.label();
            if seen.contains(&field) {
                errs.push(FieldError::new(at("field"), "FIELD_TWICE", format!("“{label}”只能放置一次")));
                continue;
            }
            seen.push(field);
            let x = errs.take(TenthMm::parse(at("x_mm"), &format!("“{label}”的横向位置"), &p.x_mm));
            let y = errs.take(TenthMm::parse(at("y_mm"), &format!("“{label}”的纵向位置"), &p.y_mm));
            let (font_pt, w, h) = if field.is_box() {
                let w = errs.take(TenthMm::parse(at("width_mm"), &format!("“{label}”的宽度"), &p.width_mm));
                let h = errs.take(TenthMm::parse(at("height_mm"), &format!("“{label}”的高度"), &p.height_mm));
                (Some(0), w, h)
            } else {
                let pt = errs.take(match p.font_pt.trim().parse::<u32>() {
                    Ok(n) if (FONT_PT.0..=FONT_PT.1).contains(&n) => Ok(n),
                    _ => Err(FieldError::new(
                        at("font_pt"),
                        "FONT_RANGE",
                        format!("“{label}”的字号应为 {} 至 {} 磅", FONT_PT.0, FONT_PT.1),
                    )),
                });
                (pt, Some(TenthMm(0)), Some(TenthMm(0)))
            };
            if let (Some(x), Some(y), Some(font_pt), Some(w), Some(h)) = (x, y, font_pt, w, h) {
                if field.is_box() && (w.0 == 0 || h.0 == 0) {
                    errs.push(FieldError::new(at("width_mm"), "SIZE_RANGE", format!("“{label}”的宽度和高度应大于 0")));
                    continue;
                }
                if let (Some(bw), Some(bh)) = (width, height) {
                    // Text needs at least its own height below the baseline's top: a point is 0.3528 mm.
                    let text_h = TenthMm(font_pt * 3528 / 1000);
                    let bottom = if field.is_box() { y.0 + h.0 } else { y.0 + text_h.0 };
                    if x.0 + w.0 > bw.0 || bottom > bh.0 {
                        errs.push(FieldError::new(
                            at("x_mm"),
                            "OUTSIDE_BLANK",
                            format!("“{label}”超出了证书的范围（{} × {} 毫米）", bw.mm(), bh.mm()),
                        ));
                        continue;
                    }
                }
                placements.push(Placement { field, x, y, font_pt, width: w, height: h });
            }
        }
        for f in REQUIRED_FIELDS {
            if !input.placements.iter().any(|p| p.field.trim() == f.id()) {
                errs.push(FieldError::new("placements", "FIELD_MISSING", format!("套打模板须放置“{}”", f.label())));
            }
        }
        errs.into_result()?;
        match (width, height) {
            (Some(width), Some(height)) => Ok(Layout { width, height, placements }),
            _ => Err(FieldErrors::new()),
        }
    }

    pub fn placement(&self, field: LayoutField) -> Option<&Placement> {
        self.placements.iter().find(|p| p.field == field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(field: &str, x: &str, y: &str, pt: &str) -> PlacementInput {
        PlacementInput { field: field.into(), x_mm: x.into(), y_mm: y.into(), font_pt: pt.into(), ..Default::default() }
    }

    fn boxed(field: &str, x: &str, y: &str, w: &str, h: &str) -> PlacementInput {
        PlacementInput {
            field: field.into(),
            x_mm: x.into(),
            y_mm: y.into(),
            width_mm: w.into(),
            height_mm: h.into(),
            ..Default::default()
        }
    }

    fn good() -> LayoutInput {
        LayoutInput {
            width_mm: "210".into(),
            height_mm: "148.5".into(),
            placements: vec![
                text("holder_name", "40", "30", "14"),
                text("id_number", "40", "40", "12"),
                text("project", "40", "50", "12"),
                text("issuer", "40", "110", "12"),
                text("issued_on", "40", "120", "12"),
                text("number", "140", "135", "10"),
                boxed("photo", "160", "20", "25", "35"),
                boxed("qr_code", "165", "100", "25", "25"),
            ],
        }
    }

    #[test]
    fn c1_a_layout_places_each_field_in_millimetres() {
        let l = Layout::parse(&good()).unwrap();
        assert_eq!((l.width, l.height), (TenthMm(2100), TenthMm(1485)));
        let qr = l.placement(LayoutField::QrCode).unwrap();
        assert_eq!((qr.x.mm(), qr.width.mm(), qr.font_pt), (165.0, 25.0, 0));
        assert_eq!(l.placement(LayoutField::HolderName).unwrap().font_pt, 14);
        assert!(l.placement(LayoutField::Station).is_none(), "optional");
    }

    #[test]
    fn c1_a_bad_layout_names_every_field() {
        let mut input = good();
        input.width_mm = "20".into();
        input.placements[0].x_mm = "4O".into();
        input.placements[1].font_pt = "72".into();
        input.placements.push(text("holder_name", "1", "1", "12"));
        input.placements.push(text("seal", "1", "1", "12"));
        input.placements.retain(|p| p.field != "number");
        let e = Layout::parse(&input).unwrap_err();
        assert_eq!(e.get("width_mm").unwrap().code, "SIZE_RANGE");
        assert_eq!(e.get("placements[0].x_mm").unwrap().code, "LENGTH_FORMAT");
        assert_eq!(e.get("placements[1].font_pt").unwrap().code, "FONT_RANGE");
        assert_eq!(e.get("placements[7].field").unwrap().code, "FIELD_TWICE");
        assert_eq!(e.get("placements[8].field").unwrap().code, "FIELD_UNKNOWN");
        let missing = e.get("placements").unwrap();
        assert_eq!(missing.code, "FIELD_MISSING");
        assert!(missing.detail.contains("证书编号"));
    }

    #[test]
    fn c1_nothing_is_printed_off_the_blank() {
        let mut input = good();
        input.placements[7] = boxed("qr_code", "190", "100", "25", "25");
        let e = Layout::parse(&input).unwrap_err();
        assert_eq!(e.get("placements[7].x_mm").unwrap().code, "OUTSIDE_BLANK");
        let mut input = good();
        input.placements[5] = text("number", "140", "147", "10");
        assert_eq!(Layout::parse(&input).unwrap_err().get("placements[5].x_mm").unwrap().code, "OUTSIDE_BLANK");
        let mut input = good();
        input.placements[6] = boxed("photo", "160", "20", "0", "35");
        assert_eq!(Layout::parse(&input).unwrap_err().get("placements[6].width_mm").unwrap().code, "SIZE_RANGE");
        for bad in ["-1", "1.25", "1.", ".5", "12345", ""] {
            assert!(TenthMm::parse("x".into(), "位置", bad).is_err(), "{bad}");
        }
    }
}
