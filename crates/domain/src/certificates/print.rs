//! C1: what a printed certificate shows, as marks in millimetres from the page's top-left corner — one
//! drawing model for both outputs, so the PDF code only converts units and draws:
//!
//! - [`a4_sheet`]: the **electronic certificate**, a framed A4 page (title 专项职业能力证书, the fields,
//!   the holder's photo when the roster has one, a reissue note, the QR code to the verification page
//!   with its address printed under it). It shows
//!   the ID number **masked**, as the public verification page does: it is downloaded, mailed and
//!   shown around, and the QR leads to the full record for whoever needs to check it.
//! - [`overlay_sheet`]: the **overlay print (套打)**, a page the size of the pre-printed blank with only
//!   the fields at the layout's positions (no frame, no labels). It carries the **full** ID number, as
//!   the paper certificate always has.
//! - [`test_sheet`]: the overlay page with sample data over a millimetre grid with rulers, to check the
//!   printer's alignment against a blank before printing real certificates.

use super::layout::{Layout, LayoutField};

/// What is printed on a certificate (already formatted: dates YYYY-MM-DD; `id_number` masked or full
/// as the output demands).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintFields {
    pub holder_name: String,
    pub id_number: String,
    pub project: String,
    pub station: String,
    pub issuer: String,
    pub issued_on: String,
    pub number: String,
    /// How many times it was reissued (补发) on a new blank.
    pub reissues: u32,
    /// The verification page's whole address, which the QR code encodes.
    pub verify_url: String,
    /// Whether the holder's photo (from the exam roster) is printed: the PDF draws it into each
    /// [`Mark::Photo`] box.
    pub has_photo: bool,
}

impl PrintFields {
    /// The text of a text field (`None` for the boxes).
    pub fn text_of(&self, field: LayoutField) -> Option<&str> {
        Some(match field {
            LayoutField::HolderName => &self.holder_name,
            LayoutField::IdNumber => &self.id_number,
            LayoutField::Project => &self.project,
            LayoutField::Station => &self.station,
            LayoutField::Issuer => &self.issuer,
            LayoutField::IssuedOn => &self.issued_on,
            LayoutField::Number => &self.number,
            LayoutField::Photo | LayoutField::QrCode => return None,
        })
    }

    /// Sample data for the test print (no real person).
    pub fn sample(verify_url: String) -> PrintFields {
        PrintFields {
            holder_name: "张样例".into(),
            id_number: "430102199001011234".into(),
            project: "湘绣针法（样例项目）".into(),
            station: "长沙样例考核站".into(),
            issuer: "长沙市职业技能鉴定中心".into(),
            issued_on: "2026-12-04".into(),
            number: "4301260001000001".into(),
            reissues: 0,
            verify_url,
            has_photo: false,
        }
    }
}

/// The typefaces (Debian's fonts-noto-cjk, Simplified Chinese faces).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Sans,
    SerifBold,
}

/// How a text is placed against its `x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    /// `x` is the centre of the line.
    Center,
}

/// One thing drawn on a page; lengths in millimetres, `y` from the top.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// One line of text whose top is at `y`; shrunk to `max_w` when wider.
    Text { text: String, x: f32, y: f32, pt: f32, face: Face, align: Align, max_w: f32, gray: u8 },
    /// A stroked rectangle.
    Frame { x: f32, y: f32, w: f32, h: f32, stroke: f32, gray: u8 },
    /// A straight line.
    Line { x1: f32, y1: f32, x2: f32, y2: f32, stroke: f32, gray: u8 },
    /// A QR code of `data` filling a `size` square.
    Qr { data: String, x: f32, y: f32, size: f32 },
    /// The holder's photo, fitted into the box (centred, its proportions kept).
    Photo { x: f32, y: f32, w: f32, h: f32 },
}

/// A page: its size and its marks.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub width: f32,
    pub height: f32,
    pub marks: Vec<Mark>,
}

impl Sheet {
    /// The texts drawn, with their position (for checks and tests).
    pub fn texts(&self) -> Vec<(&str, f32, f32)> {
        self.marks
            .iter()
            .filter_map(|m| match m {
                Mark::Text { text, x, y, .. } => Some((text.as_str(), *x, *y)),
                _ => None,
            })
            .collect()
    }

    /// The data of the QR codes drawn.
    pub fn qr_data(&self) -> Vec<&str> {
        self.marks
            .iter()
            .filter_map(|m| match m {
                Mark::Qr { data, .. } => Some(data.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// The note printed on a reissued certificate.
pub fn reissue_note(reissues: u32) -> Option<String> {
    (reissues > 0).then(|| format!("补发（第 {reissues} 次补发，原证书作废）"))
}

fn text(text: impl Into<String>, x: f32, y: f32, pt: f32, face: Face, align: Align, max_w: f32) -> Mark {
    Mark::Text { text: text.into(), x, y, pt, face, align, max_w, gray: 0 }
}

/// A4 in millimetres.
pub const A4: (f32, f32) = (210.0, 297.0);

/// Where the electronic certificate puts the photo: x, y, width, height in millimetres.
pub const A4_PHOTO: (f32, f32, f32, f32) = (160.0, 80.0, 25.0, 35.0);

/// The electronic certificate: a framed A4 page (`f.id_number` is expected masked).
pub fn a4_sheet(f: &PrintFields) -> Sheet {
    let (w, h) = A4;
    let mut marks = vec![
        Mark::Frame { x: 10.0, y: 10.0, w: w - 20.0, h: h - 20.0, stroke: 1.2, gray: 90 },
        Mark::Frame { x: 13.0, y: 13.0, w: w - 26.0, h: h - 26.0, stroke: 0.3, gray: 90 },
        text("专项职业能力证书", w / 2.0, 38.0, 30.0, Face::SerifBold, Align::Center, 160.0),
        Mark::Line { x1: 55.0, y1: 58.0, x2: w - 55.0, y2: 58.0, stroke: 0.4, gray: 90 },
        text("湖南省专项职业能力考核", w / 2.0, 62.0, 12.0, Face::Sans, Align::Center, 160.0),
    ];
    let rows: [(&str, &str); 7] = [
        ("姓　　名", &f.holder_name),
        ("身份证件号码", &f.id_number),
        ("考核项目", &f.project),
        ("考 核 站", &f.station),
        ("发证机构", &f.issuer),
        ("发证日期", &f.issued_on),
        ("证书编号", &f.number),
    ];
    // The photo (a one-inch 25 × 35 mm print) at the right of the first rows, which end before it.
    let photo = A4_PHOTO;
    if f.has_photo {
        marks.push(Mark::Frame { x: photo.0, y: photo.1, w: photo.2, h: photo.3, stroke: 0.2, gray: 160 });
        marks.push(Mark::Photo { x: photo.0, y: photo.1, w: photo.2, h: photo.3 });
    }
    let mut y = 84.0;
    for (label, value) in rows {
        let right = if f.has_photo && y < photo.1 + photo.3 { photo.0 - 5.0 } else { w - 25.0 };
        marks.push(text(label, 32.0, y, 13.0, Face::Sans, Align::Left, 40.0));
        marks.push(text(value, 76.0, y, 13.0, Face::Sans, Align::Left, right - 76.0));
        marks.push(Mark::Line { x1: 75.0, y1: y + 7.0, x2: right, y2: y + 7.0, stroke: 0.2, gray: 160 });
        y += 14.0;
    }
    y += 4.0;
    marks.push(text(
        format!("经考核合格，具备“{}”专项职业能力，特发此证。", f.project),
        32.0,
        y,
        12.0,
        Face::Sans,
        Align::Left,
        w - 32.0 - 25.0,
    ));
    if let Some(note) = reissue_note(f.reissues) {
        marks.push(text(note, 32.0, y + 10.0, 11.0, Face::Sans, Align::Left, 110.0));
    }
    let (qx, qy, qs) = (w - 25.0 - 38.0, 205.0, 38.0);
    marks.push(Mark::Qr { data: f.verify_url.clone(), x: qx, y: qy, size: qs });
    marks.push(text("扫码查验证书", qx + qs / 2.0, qy + qs + 2.0, 9.0, Face::Sans, Align::Center, 50.0));
    marks.push(text(f.issuer.clone(), 32.0, qy + 8.0, 13.0, Face::Sans, Align::Left, 100.0));
    marks.push(text(f.issued_on.clone(), 32.0, qy + 18.0, 13.0, Face::Sans, Align::Left, 100.0));
    marks.push(text("查验地址：", 32.0, h - 35.0, 8.0, Face::Sans, Align::Left, 20.0));
    marks.push(text(f.verify_url.clone(), 46.0, h - 35.0, 8.0, Face::Sans, Align::Left, w - 46.0 - 25.0));
    Sheet { width: w, height: h, marks }
}

/// The overlay page: the blank's size, each field at the layout's position (`f.id_number` is expected
/// in full). The holder's photo goes into the photo box when the roster has one (else the box stays
/// empty, for a photo pasted on the paper).
pub fn overlay_sheet(layout: &Layout, f: &PrintFields) -> Sheet {
    let (w, h) = (layout.width.mm(), layout.height.mm());
    let mut marks = Vec::new();
    for p in &layout.placements {
        let (x, y) = (p.x.mm(), p.y.mm());
        match p.field {
            LayoutField::QrCode => {
                let size = p.width.mm().min(p.height.mm());
                marks.push(Mark::Qr { data: f.verify_url.clone(), x, y, size });
            }
            LayoutField::Photo => {
                if f.has_photo {
                    marks.push(Mark::Photo { x, y, w: p.width.mm(), h: p.height.mm() });
                }
            }
            field => {
                let value = f.text_of(field).unwrap_or_default();
                let mut value = value.to_owned();
                if field == LayoutField::Number
                    && let Some(note) = reissue_note(f.reissues)
                {
                    value = format!("{value}（{}）", note.split('（').next().unwrap_or("补发"));
                }
                marks.push(text(value, x, y, p.font_pt as f32, Face::Sans, Align::Left, (w - x - 1.0).max(5.0)));
            }
        }
    }
    Sheet { width: w, height: h, marks }
}

/// The test print: the overlay page with sample data over a millimetre grid (a line every 5 mm, darker
/// every 10 mm, numbered along the top and left edges) and the boxes outlined.
pub fn test_sheet(layout: &Layout, sample: &PrintFields) -> Sheet {
    let base = overlay_sheet(layout, sample);
    let (w, h) = (base.width, base.height);
    let mut marks = Vec::new();
    let mut at = 5.0;
    while at < w {
        let major = (at as u32).is_multiple_of(10);
        let (stroke, gray) = if major { (0.15, 150) } else { (0.08, 200) };
        marks.push(Mark::Line { x1: at, y1: 0.0, x2: at, y2: h, stroke, gray });
        if major {
            marks.push(Mark::Text {
                text: format!("{}", at as u32),
                x: at + 0.5,
                y: 0.5,
                pt: 5.0,
                face: Face::Sans,
                align: Align::Left,
                max_w: 9.0,
                gray: 110,
            });
        }
        at += 5.0;
    }
    let mut at = 5.0;
    while at < h {
        let major = (at as u32).is_multiple_of(10);
        let (stroke, gray) = if major { (0.15, 150) } else { (0.08, 200) };
        marks.push(Mark::Line { x1: 0.0, y1: at, x2: w, y2: at, stroke, gray });
        if major {
            marks.push(Mark::Text {
                text: format!("{}", at as u32),
                x: 0.5,
                y: at + 0.5,
                pt: 5.0,
                face: Face::Sans,
                align: Align::Left,
                max_w: 9.0,
                gray: 110,
            });
        }
        at += 5.0;
    }
    marks.push(Mark::Frame { x: 0.2, y: 0.2, w: w - 0.4, h: h - 0.4, stroke: 0.3, gray: 0 });
    for p in layout.placements.iter().filter(|p| p.field.is_box()) {
        marks.push(Mark::Frame { x: p.x.mm(), y: p.y.mm(), w: p.width.mm(), h: p.height.mm(), stroke: 0.3, gray: 60 });
        if p.field == LayoutField::Photo {
            marks.push(text("照片", p.x.mm() + 1.0, p.y.mm() + 1.0, 8.0, Face::Sans, Align::Left, p.width.mm()));
        }
    }
    marks.push(Mark::Text {
        text: "试打印（样例数据，仅用于校准套打位置）".into(),
        x: w / 2.0,
        y: h - 6.0,
        pt: 8.0,
        face: Face::Sans,
        align: Align::Center,
        max_w: w - 10.0,
        gray: 90,
    });
    marks.extend(base.marks);
    Sheet { width: w, height: h, marks }
}

/// The default layout seeded by the migration, for a 210 × 148 mm blank (A5 landscape). An assumption
/// until the province enters the positions of its own pre-printed blank.
pub fn default_layout_input() -> super::layout::LayoutInput {
    use super::layout::{LayoutInput, PlacementInput};
    let t = |field: &str, x: &str, y: &str, pt: &str| PlacementInput {
        field: field.into(),
        x_mm: x.into(),
        y_mm: y.into(),
        font_pt: pt.into(),
        ..Default::default()
    };
    let b = |field: &str, x: &str, y: &str, w: &str, h: &str| PlacementInput {
        field: field.into(),
        x_mm: x.into(),
        y_mm: y.into(),
        width_mm: w.into(),
        height_mm: h.into(),
        ..Default::default()
    };
    LayoutInput {
        width_mm: "210".into(),
        height_mm: "148".into(),
        placements: vec![
            t("holder_name", "45", "38", "14"),
            t("id_number", "45", "50", "12"),
            t("project", "45", "62", "12"),
            t("station", "45", "74", "11"),
            t("issuer", "45", "104", "12"),
            t("issued_on", "45", "116", "12"),
            t("number", "140", "132", "10"),
            b("photo", "160", "30", "25", "35"),
            b("qr_code", "163", "90", "25", "25"),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> PrintFields {
        PrintFields {
            holder_name: "李四".into(),
            id_number: "430102199001011234".into(),
            project: "湘绣".into(),
            station: "甲考核站".into(),
            issuer: "长沙市职业技能鉴定中心".into(),
            issued_on: "2026-12-04".into(),
            number: "4301260001000007".into(),
            reissues: 0,
            verify_url: "https://kaohe.example/verify/abc".into(),
            has_photo: false,
        }
    }

    fn photos(s: &Sheet) -> Vec<&Mark> {
        s.marks.iter().filter(|m| matches!(m, Mark::Photo { .. })).collect()
    }

    #[test]
    fn c1_the_photo_goes_into_the_layouts_photo_box_and_beside_the_a4_fields_only_when_there_is_one() {
        let layout = Layout::parse(&default_layout_input()).expect("default layout");
        let mut f = fields();
        assert!(photos(&overlay_sheet(&layout, &f)).is_empty(), "no photo: the box stays empty");
        assert!(photos(&a4_sheet(&f)).is_empty());
        f.has_photo = true;
        let overlay = overlay_sheet(&layout, &f);
        assert_eq!(photos(&overlay), vec![&Mark::Photo { x: 160.0, y: 30.0, w: 25.0, h: 35.0 }]);
        let a4 = a4_sheet(&f);
        let (x, y, w, h) = A4_PHOTO;
        assert_eq!(photos(&a4), vec![&Mark::Photo { x, y, w, h }]);
        // The rows beside the photo end before it; no text or line runs under it.
        for m in &a4.marks {
            match m {
                Mark::Text { x: tx, y: ty, max_w, .. } if *ty >= y && *ty < y + h => {
                    assert!(tx + max_w <= x, "text at {tx},{ty} reaches under the photo")
                }
                Mark::Line { x2, y1, .. } if *y1 >= y && *y1 < y + h => assert!(*x2 <= x, "line under the photo"),
                _ => {}
            }
        }
    }

    #[test]
    fn c1_the_overlay_puts_each_field_at_the_layouts_millimetres() {
        let layout = Layout::parse(&default_layout_input()).expect("default layout");
        let s = overlay_sheet(&layout, &fields());
        assert_eq!((s.width, s.height), (210.0, 148.0));
        let texts = s.texts();
        assert!(texts.contains(&("李四", 45.0, 38.0)), "{texts:?}");
        assert!(texts.contains(&("430102199001011234", 45.0, 50.0)), "full ID number on the paper");
        assert!(texts.contains(&("4301260001000007", 140.0, 132.0)));
        assert!(!s.marks.iter().any(|m| matches!(m, Mark::Frame { .. })), "no frame on the overlay");
        assert_eq!(s.qr_data(), vec!["https://kaohe.example/verify/abc"]);
        assert!(s.marks.contains(&Mark::Qr {
            data: "https://kaohe.example/verify/abc".into(),
            x: 163.0,
            y: 90.0,
            size: 25.0
        }));
    }

    #[test]
    fn c1_the_a4_certificate_shows_the_fields_and_the_qr_with_its_address() {
        let mut f = fields();
        f.id_number = "430***********1234".into();
        let s = a4_sheet(&f);
        assert_eq!((s.width, s.height), A4);
        let texts: Vec<&str> = s.texts().into_iter().map(|t| t.0).collect();
        for want in
            ["专项职业能力证书", "李四", "430***********1234", "湘绣", "甲考核站", "2026-12-04", "4301260001000007"]
        {
            assert!(texts.contains(&want), "{want} in {texts:?}");
        }
        assert!(texts.contains(&"https://kaohe.example/verify/abc"), "the address printed under the QR");
        assert_eq!(s.qr_data(), vec!["https://kaohe.example/verify/abc"]);
        assert!(!texts.iter().any(|t| t.contains("补发")));
        f.reissues = 2;
        let s = a4_sheet(&f);
        assert!(s.texts().iter().any(|t| t.0.contains("第 2 次补发")));
    }

    #[test]
    fn c1_the_test_print_has_a_grid_and_the_sample() {
        let layout = Layout::parse(&default_layout_input()).expect("default layout");
        let s = test_sheet(&layout, &PrintFields::sample("https://x/verify/sample".into()));
        let lines = s.marks.iter().filter(|m| matches!(m, Mark::Line { .. })).count();
        assert_eq!(lines, 41 + 29, "a line every 5 mm across and down");
        assert!(s.texts().iter().any(|t| t.0 == "张样例"));
        assert!(s.texts().iter().any(|t| t.0 == "100"), "rulers numbered");
    }
}
