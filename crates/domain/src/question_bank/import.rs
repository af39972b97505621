//! P6: a row of the item import template (.xlsx, read by the web layer) to an [`ItemInput`]
//! ([`parse_row`]), with every error naming the template's column header, so the web layer shows
//! 第 N 行「列」：原因. The import is all-or-nothing: the web layer parses every row and imports only when
//! none has an error.

use super::items::{Difficulty, Item, ItemInput, ItemKind, OPTION_LABELS, ScoringInput};
use crate::error::{FieldError, FieldErrors};

/// Column 题型: the Chinese label of an [`ItemKind`] (单项选择题 …; 单选题, 多选题 are accepted too).
pub const COL_KIND: &str = "题型";
/// Column 所属工作任务: the 1-based position of the work task in the specification.
pub const COL_TASK: &str = "所属工作任务";
/// Column 难度: 易, 中 or 难.
pub const COL_DIFFICULTY: &str = "难度";
/// Column 分值: whole points, 1–100.
pub const COL_POINTS: &str = "分值";
/// Column 题干.
pub const COL_STEM: &str = "题干";
/// Columns 选项A … 选项H: filled from A without gaps (choice items only).
pub const COL_OPTIONS: [&str; 8] = ["选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "选项G", "选项H"];
/// Column 答案: as [`ItemInput::answer`].
pub const COL_ANSWER: &str = "答案";
/// Column 评分要点 (practical items): one scoring point a line, `描述|分值`.
pub const COL_SCORING: &str = "评分要点";

/// The template's headers, in column order.
pub fn template_headers() -> Vec<&'static str> {
    let mut h = vec![COL_KIND, COL_TASK, COL_DIFFICULTY, COL_POINTS, COL_STEM];
    h.extend(COL_OPTIONS);
    h.extend([COL_ANSWER, COL_SCORING]);
    h
}

fn cell<'a>(cells: &[(&str, &'a str)], header: &str) -> &'a str {
    cells.iter().find(|(h, _)| h.trim() == header).map_or("", |(_, v)| v.trim())
}

fn number(header: &str, raw: &str, what: &str, errors: &mut FieldErrors) -> u32 {
    // A spreadsheet may hand over a whole number as `3.0`.
    let raw = raw.strip_suffix(".0").unwrap_or(raw);
    match raw.parse::<u32>() {
        Ok(n) if n > 0 => n,
        _ if raw.is_empty() => {
            errors.push(FieldError::new(header, "REQUIRED", format!("请填写{what}")));
            0
        }
        _ => {
            errors.push(FieldError::new(header, "NOT_A_NUMBER", format!("{what}应为正整数，“{raw}”不是")));
            0
        }
    }
}

/// The field of [`ItemInput`] an error names, as the template's column header.
fn column_of(field: &str) -> String {
    let col = match field {
        "kind" => COL_KIND,
        "task" => COL_TASK,
        "difficulty" => COL_DIFFICULTY,
        "points" => COL_POINTS,
        "stem" => COL_STEM,
        "answer" => COL_ANSWER,
        "options" => COL_OPTIONS[0],
        f if f.starts_with("scoring") => COL_SCORING,
        f => {
            let index = f.strip_prefix("options[").and_then(|r| r.strip_suffix(']')).and_then(|i| i.parse().ok());
            return match index.and_then(|i: usize| COL_OPTIONS.get(i)) {
                Some(col) => (*col).to_owned(),
                None => f.to_owned(),
            };
        }
    };
    col.to_owned()
}

/// One row of the template, as (header, cell text) pairs in any order (missing columns read as empty),
/// to an [`ItemInput`] that [`Item::parse`] accepts. Every error names its column header (`选项C`,
/// `评分要点`); the detail of a scoring point says which line.
pub fn parse_row(cells: &[(&str, &str)]) -> Result<ItemInput, FieldErrors> {
    let mut errors = FieldErrors::new();
    let kind_text = cell(cells, COL_KIND);
    let kind = match kind_text {
        "单选题" | "单选" => Some(ItemKind::SingleChoice),
        "多选题" | "多选" => Some(ItemKind::MultipleChoice),
        "判断" => Some(ItemKind::TrueFalse),
        t => ItemKind::ALL.iter().copied().find(|k| k.label() == t),
    };
    if kind.is_none() {
        let detail = if kind_text.is_empty() {
            "请填写题型".to_owned()
        } else {
            format!("题型“{kind_text}”不是单项选择题、多项选择题、判断题、简答题或实操题")
        };
        errors.push(FieldError::new(COL_KIND, "ITEM_KIND", detail));
    }
    let task = number(COL_TASK, cell(cells, COL_TASK), "所属工作任务序号", &mut errors);
    let difficulty_text = cell(cells, COL_DIFFICULTY);
    let difficulty = Difficulty::ALL.iter().copied().find(|d| d.label() == difficulty_text);
    if difficulty.is_none() {
        errors.push(FieldError::new(COL_DIFFICULTY, "ITEM_DIFFICULTY", "难度应为“易”“中”或“难”"));
    }
    let points = number(COL_POINTS, cell(cells, COL_POINTS), "分值", &mut errors);

    let option_cells: Vec<&str> = COL_OPTIONS.iter().map(|h| cell(cells, h)).collect();
    let used = option_cells.iter().rposition(|c| !c.is_empty()).map_or(0, |last| last + 1);
    if let Some(gap) = option_cells[..used].iter().position(|c| c.is_empty()) {
        errors.push(FieldError::new(
            COL_OPTIONS[gap],
            "ITEM_OPTIONS",
            format!("选项应从 A 起连续填写，{} 为空而其后有选项", OPTION_LABELS[gap]),
        ));
    }

    let mut scoring = Vec::new();
    for (n, line) in cell(cells, COL_SCORING).lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let parsed = line
            .rsplit_once(['|', '｜'])
            .and_then(|(d, p)| Some((d.trim(), p.trim().strip_suffix('分').unwrap_or(p.trim()).parse::<u32>().ok()?)));
        match parsed {
            Some((description, points)) => scoring.push(ScoringInput { description: description.to_owned(), points }),
            None => errors.push(FieldError::new(
                COL_SCORING,
                "ITEM_SCORING",
                format!("第 {} 行评分要点应写成“描述|分值”，如“刀工均匀|10”", n + 1),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let input = ItemInput {
        kind: kind.map(|k| k.id().to_owned()).unwrap_or_default(),
        task,
        difficulty: difficulty.map(|d| d.id().to_owned()).unwrap_or_default(),
        points,
        stem: cell(cells, COL_STEM).to_owned(),
        options: option_cells[..used].iter().map(|c| (*c).to_owned()).collect(),
        answer: cell(cells, COL_ANSWER).to_owned(),
        scoring,
    };
    match Item::parse(&input) {
        Ok(_) => Ok(input),
        Err(e) => Err(FieldErrors(
            e.0.into_iter()
                .map(|x| {
                    let col = column_of(&x.field);
                    let detail = match x.field.strip_prefix("scoring[").and_then(|r| r.split_once(']')) {
                        Some((i, _)) if col == COL_SCORING => {
                            let line = i.parse::<usize>().map_or(0, |i| i + 1);
                            format!("第 {line} 行：{}", x.detail)
                        }
                        _ => x.detail.clone(),
                    };
                    FieldError { field: col, detail, ..x }
                })
                .collect(),
        )),
    }
}
