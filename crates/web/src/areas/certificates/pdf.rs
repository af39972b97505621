//! C1: certificates as PDF (krilla; docs/ARCHITECTURE.md "PDF route for certificates"). The pages are
//! drawn from `domain::certificates::{a4_sheet, overlay_sheet, test_sheet}` — marks in millimetres —
//! so the electronic certificate, the overlay print (套打) and the test print share one drawing code.
//!
//! Fonts: Debian's fonts-noto-cjk (Simplified Chinese faces of the collections), read once. A missing
//! font file is a 500 whose message names the package; a character the font lacks is refused before
//! anything is drawn (one font, no fallback), naming the text.
//!
//! Photos: the holder's photo (JPG or PNG, as uploaded for the admission ticket) is embedded as it is
//! and fitted into each `Mark::Photo` box; a photo krilla cannot read is left out (the box stays empty)
//! and logged, so a damaged photo never keeps a certificate from being printed.

use crate::error::AppError;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::FieldError;
use domain::certificates::{Align, Face, Mark, Sheet};
use krilla::Document;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};
use std::sync::{Arc, OnceLock};

/// The font files, and the face of each collection that is Simplified Chinese (SC).
const SANS: (&str, u32) = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2);
const SERIF_BOLD: (&str, u32) = ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2);

/// Points per millimetre.
const PT_PER_MM: f32 = 72.0 / 25.4;
/// The ascent of the Noto CJK faces, in em: a line's top to its baseline.
const ASCENT: f32 = 0.88;

struct Loaded {
    data: Arc<Vec<u8>>,
    index: u32,
    font: Font,
}

struct Fonts {
    sans: Loaded,
    serif_bold: Loaded,
}

fn load((path, index): (&str, u32)) -> Result<Loaded, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let data = Arc::new(bytes);
    FontRef::from_index(data.as_slice(), index).map_err(|e| format!("{path} face {index}: {e}"))?;
    let font = Font::new(krilla::Data::from(data.clone()), index).ok_or_else(|| format!("{path} face {index}"))?;
    Ok(Loaded { data, index, font })
}

fn fonts() -> Result<&'static Fonts, AppError> {
    static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();
    FONTS
        .get_or_init(|| Ok(Fonts { sans: load(SANS)?, serif_bold: load(SERIF_BOLD)? }))
        .as_ref()
        .map_err(|e| {
            tracing::error!(error = %e, "certificate fonts missing");
            AppError::Coded(
                StatusCode::INTERNAL_SERVER_ERROR,
                FieldError::new(
                    "font",
                    "FONT_MISSING",
                    "服务器缺少证书所用的中文字体（Debian 软件包 fonts-noto-cjk），暂时无法生成证书 PDF，请联系系统管理员安装",
                ),
            )
        })
}

impl Fonts {
    fn face(&self, face: Face) -> &Loaded {
        match face {
            Face::Sans => &self.sans,
            Face::SerifBold => &self.serif_bold,
        }
    }
}

impl Loaded {
    fn font_ref(&self) -> FontRef<'_> {
        // Checked when loaded.
        FontRef::from_index(self.data.as_slice(), self.index).expect("font checked at load")
    }

    /// The first character of `text` the face has no glyph for.
    fn missing(&self, text: &str) -> Option<char> {
        let cmap = self.font_ref().charmap();
        text.chars().find(|c| !c.is_whitespace() && cmap.map(*c).is_none())
    }

    /// The width of `text` at `pt` points, in points.
    fn width(&self, text: &str, pt: f32) -> f32 {
        let f = self.font_ref();
        let cmap = f.charmap();
        let m = f.glyph_metrics(Size::new(pt), LocationRef::default());
        text.chars().filter_map(|c| cmap.map(c)).filter_map(|g| m.advance_width(g)).sum()
    }
}

/// Refuses a page whose text has a character the fonts lack, naming the text and the character.
fn check_glyphs<'a>(fonts: &Fonts, sheets: impl Iterator<Item = &'a Sheet>) -> Result<(), AppError> {
    for s in sheets {
        for m in &s.marks {
            if let Mark::Text { text, face, .. } = m
                && let Some(c) = fonts.face(*face).missing(text)
            {
                return Err(AppError::Conflict(FieldError::new(
                    "certificate",
                    "CHARACTER_NOT_IN_FONT",
                    format!("“{text}”中的字符“{c}”（U+{:04X}）不在证书字体中，无法打印；请核对该信息", c as u32),
                )));
            }
        }
    }
    Ok(())
}

fn gray(g: u8) -> krilla::paint::Paint {
    krilla::color::luma::Color::new(g).into()
}

/// The photo as krilla reads it, by its type.
fn photo_image(photo: &store::tickets::Photo) -> Option<krilla::image::Image> {
    let data = krilla::Data::from(photo.bytes.clone());
    let image = match photo.content_type {
        "image/png" => krilla::image::Image::from_png(data, true),
        _ => krilla::image::Image::from_jpeg(data, true),
    };
    image.map_err(|e| tracing::warn!(error = %e, "certificate photo not drawn")).ok()
}

fn draw(surface: &mut krilla::surface::Surface<'_>, fonts: &Fonts, m: &Mark, photo: Option<&krilla::image::Image>) {
    let mm = |v: f32| v * PT_PER_MM;
    match m {
        Mark::Text { text, x, y, pt, face, align, max_w, gray: g } => {
            let f = fonts.face(*face);
            let mut size = *pt;
            let w = f.width(text, size);
            if w > mm(*max_w) && w > 0.0 {
                size *= mm(*max_w) / w;
            }
            let w = f.width(text, size);
            let left = match align {
                Align::Left => mm(*x),
                Align::Center => mm(*x) - w / 2.0,
            };
            surface.set_stroke(None);
            surface.set_fill(Some(Fill { paint: gray(*g), ..Default::default() }));
            surface.draw_text(
                Point::from_xy(left, mm(*y) + size * ASCENT),
                f.font.clone(),
                size,
                text,
                false,
                TextDirection::Auto,
            );
        }
        Mark::Frame { x, y, w, h, stroke, gray: g } => {
            let mut pb = PathBuilder::new();
            if let Some(r) = Rect::from_xywh(mm(*x), mm(*y), mm(*w), mm(*h)) {
                pb.push_rect(r);
            }
            if let Some(path) = pb.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke { paint: gray(*g), width: mm(*stroke), ..Default::default() }));
                surface.draw_path(&path);
            }
        }
        Mark::Line { x1, y1, x2, y2, stroke, gray: g } => {
            let mut pb = PathBuilder::new();
            pb.move_to(mm(*x1), mm(*y1));
            pb.line_to(mm(*x2), mm(*y2));
            if let Some(path) = pb.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke { paint: gray(*g), width: mm(*stroke), ..Default::default() }));
                surface.draw_path(&path);
            }
        }
        Mark::Photo { x, y, w, h } => {
            let Some(image) = photo else { return };
            let (iw, ih) = image.size();
            if iw == 0 || ih == 0 {
                return;
            }
            let scale = (mm(*w) / iw as f32).min(mm(*h) / ih as f32);
            let (dw, dh) = (iw as f32 * scale, ih as f32 * scale);
            let Some(size) = krilla::geom::Size::from_wh(dw, dh) else { return };
            let (left, top) = (mm(*x) + (mm(*w) - dw) / 2.0, mm(*y) + (mm(*h) - dh) / 2.0);
            surface.push_transform(&krilla::geom::Transform::from_translate(left, top));
            surface.draw_image(image.clone(), size);
            surface.pop();
        }
        Mark::Qr { data, x, y, size } => {
            // Error correction M; a vector QR: one square per dark module.
            let Ok(code) = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M) else {
                return;
            };
            let n = code.width();
            let module = mm(*size) / n as f32;
            let mut pb = PathBuilder::new();
            for (i, c) in code.to_colors().iter().enumerate() {
                if *c == qrcode::Color::Dark {
                    let (cx, cy) = ((i % n) as f32, (i / n) as f32);
                    // A hair of overlap so no white seams show between modules.
                    if let Some(r) =
                        Rect::from_xywh(mm(*x) + cx * module, mm(*y) + cy * module, module + 0.05, module + 0.05)
                    {
                        pb.push_rect(r);
                    }
                }
            }
            if let Some(path) = pb.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill { paint: gray(0), ..Default::default() }));
                surface.draw_path(&path);
            }
        }
    }
}

/// The PDF of `sheets`, one page each, without photos.
pub fn render(sheets: &[Sheet]) -> Result<Vec<u8>, AppError> {
    let pages: Vec<(&Sheet, Option<&store::tickets::Photo>)> = sheets.iter().map(|s| (s, None)).collect();
    render_pages(&pages)
}

/// The PDF of `pages`, one page each, each with the photo its `Mark::Photo` boxes show.
pub fn render_pages(pages: &[(&Sheet, Option<&store::tickets::Photo>)]) -> Result<Vec<u8>, AppError> {
    let fonts = fonts()?;
    check_glyphs(fonts, pages.iter().map(|(s, _)| *s))?;
    let mut doc = Document::new();
    for (s, photo) in pages {
        let settings = PageSettings::from_wh(s.width * PT_PER_MM, s.height * PT_PER_MM)
            .ok_or_else(|| AppError::Internal(format!("page size {} × {}", s.width, s.height)))?;
        let image = photo.and_then(photo_image);
        let mut page = doc.start_page_with(settings);
        let mut surface = page.surface();
        for m in &s.marks {
            draw(&mut surface, fonts, m, image.as_ref());
        }
        surface.finish();
        page.finish();
    }
    doc.finish().map_err(|e| AppError::Internal(format!("pdf: {e:?}")))
}

/// A PDF answer, shown in the browser (`inline`) under `filename`.
pub fn pdf_response(filename: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{filename}\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}
