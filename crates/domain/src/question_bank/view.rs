//! The printable paper's layout as a pure function ([`paper_view`]): sections by kind in the order
//! 判断题、单项选择题、多项选择题、简答题、实操题, numbered 一、二、…, items numbered 1, 2, … through the
//! whole paper, each with its points from the blueprint. The web layer renders it (A4 paper and answer
//! key) with the decrypted content.

use serde::Serialize;

use super::items::ItemKind;
use super::record::PaperRecord;

/// Chinese section numerals (a paper has at most five sections, one per kind).
pub const SECTION_NUMERALS: [&str; 5] = ["一", "二", "三", "四", "五"];

/// An item's place in the paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ViewItem {
    /// 1, 2, … through the whole paper.
    pub number: u32,
    pub item_id: i64,
    pub version: u32,
    pub points: u32,
}

/// A section: the items of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// 一, 二, ….
    pub numeral: &'static str,
    pub kind: ItemKind,
    /// 一、判断题（共 10 题，每题 1 分，共 10 分）; 共 N 题，共 M 分 when points differ.
    pub title: String,
    pub points: u32,
    pub items: Vec<ViewItem>,
}

/// The layout of a paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaperView {
    pub duration_minutes: u32,
    pub total_points: u32,
    pub sections: Vec<Section>,
}

/// The layout of an assembled paper: within a section, items keep the paper's order (blueprint row
/// order, then the order drawn).
pub fn paper_view(record: &PaperRecord) -> PaperView {
    let mut sections = Vec::new();
    let mut number = 0u32;
    for kind in ItemKind::PAPER_ORDER {
        let mut items = Vec::new();
        for (row, picks) in record.blueprint.rows.iter().zip(&record.picks) {
            if row.kind != kind {
                continue;
            }
            for &item_id in &picks.item_ids {
                number += 1;
                let version = record.pool_item(item_id).map_or(0, |p| p.version);
                items.push(ViewItem { number, item_id, version, points: row.points_each });
            }
        }
        if items.is_empty() {
            continue;
        }
        let numeral = SECTION_NUMERALS[sections.len()];
        let points: u32 = items.iter().map(|i| i.points).sum();
        let n = items.len();
        let each = items[0].points;
        let title = if items.iter().all(|i| i.points == each) {
            format!("{numeral}、{}（共 {n} 题，每题 {each} 分，共 {points} 分）", kind.label())
        } else {
            format!("{numeral}、{}（共 {n} 题，共 {points} 分）", kind.label())
        };
        sections.push(Section { numeral, kind, title, points, items });
    }
    PaperView {
        duration_minutes: record.blueprint.duration_minutes,
        total_points: record.blueprint.total_points,
        sections,
    }
}
