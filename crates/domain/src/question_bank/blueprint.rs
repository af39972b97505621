//! P2, E2: a project's paper blueprint (组卷蓝图): the duration, the total points, and rows of
//! (work task, kind, difficulty or any, count, points each) that a paper is assembled from
//! ([`Blueprint::parse`]). The rows add up to the total; rows are distinct, and a row of any difficulty
//! comes after the rows of a given difficulty of the same task and kind, so how many items each row
//! can take never depends on the seed (docs/PAPERS.md, section 1).

use serde::{Deserialize, Serialize};

use super::items::{Difficulty, ItemKind, MAX_ITEM_POINTS};
use crate::error::{FieldError, FieldErrors};

/// Bounds of a blueprint.
pub const MAX_DURATION_MINUTES: u32 = 600;
pub const MAX_TOTAL_POINTS: u32 = 1000;
pub const MAX_BLUEPRINT_ROWS: usize = 50;
pub const MAX_ROW_COUNT: u32 = 200;
/// The difficulty of a row that takes items of every difficulty, as typed and as encoded.
pub const ANY_DIFFICULTY: &str = "any";

/// A blueprint row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct BlueprintRowInput {
    /// The work task, 1-based.
    pub task: u32,
    /// An [`ItemKind`] id.
    pub kind: String,
    /// A [`Difficulty`] id, or `any` (or empty) for every difficulty.
    pub difficulty: String,
    /// How many items.
    pub count: u32,
    /// Points of each item in the paper.
    pub points_each: u32,
}

/// A blueprint as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct BlueprintInput {
    pub duration_minutes: u32,
    pub total_points: u32,
    pub rows: Vec<BlueprintRowInput>,
}

/// A parsed blueprint row. `difficulty` `None` takes items of every difficulty (JSON `null`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlueprintRow {
    pub task: u32,
    pub kind: ItemKind,
    pub difficulty: Option<Difficulty>,
    pub count: u32,
    pub points_each: u32,
}

impl BlueprintRow {
    /// The row in words: 工作任务 1 单项选择题（中）, or （不限难度）.
    pub fn describe(&self) -> String {
        let d = self.difficulty.map_or("不限难度", Difficulty::label);
        format!("工作任务 {} {}（{d}）", self.task, self.kind.label())
    }

    /// The difficulty as encoded: its id, or `any`.
    pub fn difficulty_id(&self) -> &'static str {
        self.difficulty.map_or(ANY_DIFFICULTY, Difficulty::id)
    }
}

/// A parsed blueprint: rows distinct, points adding up to `total_points`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blueprint {
    pub duration_minutes: u32,
    pub total_points: u32,
    pub rows: Vec<BlueprintRow>,
}

fn err(field: impl Into<String>, code: &'static str, detail: impl Into<String>) -> FieldError {
    FieldError::new(field, code, detail)
}

impl Blueprint {
    /// [`Blueprint::parse_with`] without knowing how many work tasks the specification has.
    pub fn parse(input: &BlueprintInput) -> Result<Blueprint, FieldErrors> {
        Self::parse_with(input, None)
    }

    /// Parses a blueprint, all errors at once (`duration_minutes`, `total_points`, `rows`,
    /// `rows[1].kind` …). `task_count`, when known, is the number of work tasks of the specification.
    pub fn parse_with(input: &BlueprintInput, task_count: Option<u32>) -> Result<Blueprint, FieldErrors> {
        let mut errors = FieldErrors::new();
        if !(1..=MAX_DURATION_MINUTES).contains(&input.duration_minutes) {
            errors.push(err(
                "duration_minutes",
                "BLUEPRINT_DURATION",
                format!("考试时长应为 1 至 {MAX_DURATION_MINUTES} 分钟"),
            ));
        }
        if !(1..=MAX_TOTAL_POINTS).contains(&input.total_points) {
            errors.push(err("total_points", "BLUEPRINT_TOTAL", format!("试卷总分应为 1 至 {MAX_TOTAL_POINTS} 分")));
        }
        if input.rows.is_empty() || input.rows.len() > MAX_BLUEPRINT_ROWS {
            errors.push(err("rows", "BLUEPRINT_ROWS", format!("组卷蓝图应有 1 至 {MAX_BLUEPRINT_ROWS} 行")));
        }
        let mut rows: Vec<(usize, BlueprintRow)> = Vec::new();
        for (i, r) in input.rows.iter().enumerate() {
            let at = |f: &str| format!("rows[{i}].{f}");
            let n = i + 1;
            let before = errors.0.len();
            let bad = |errors: &mut FieldErrors, field: String, code, detail: String| {
                errors.push(err(field, code, format!("第 {n} 行：{detail}")));
            };
            if r.task == 0 || task_count.is_some_and(|t| r.task > t) {
                let detail = match task_count {
                    Some(t) => format!("工作任务应为 1 至 {t} 中的序号"),
                    None => "请选择工作任务".to_owned(),
                };
                bad(&mut errors, at("task"), "BLUEPRINT_TASK", detail);
            }
            let kind = ItemKind::parse(r.kind.trim());
            if kind.is_none() {
                bad(&mut errors, at("kind"), "BLUEPRINT_KIND", "请选择题型".to_owned());
            }
            let d = r.difficulty.trim();
            let difficulty = match d {
                "" | ANY_DIFFICULTY => Some(None),
                d => Difficulty::parse(d).map(Some),
            };
            if difficulty.is_none() {
                bad(&mut errors, at("difficulty"), "BLUEPRINT_DIFFICULTY", "难度应为易、中、难或不限".to_owned());
            }
            if !(1..=MAX_ROW_COUNT).contains(&r.count) {
                bad(&mut errors, at("count"), "BLUEPRINT_COUNT", format!("题量应为 1 至 {MAX_ROW_COUNT} 道"));
            }
            if !(1..=MAX_ITEM_POINTS).contains(&r.points_each) {
                bad(
                    &mut errors,
                    at("points_each"),
                    "BLUEPRINT_POINTS",
                    format!("每题分值应为 1 至 {MAX_ITEM_POINTS} 分"),
                );
            }
            if let (true, Some(kind), Some(difficulty)) = (errors.0.len() == before, kind, difficulty) {
                let row = BlueprintRow { task: r.task, kind, difficulty, count: r.count, points_each: r.points_each };
                let same = |o: &BlueprintRow| o.task == row.task && o.kind == row.kind;
                if let Some((j, _)) = rows.iter().find(|(_, o)| same(o) && o.difficulty == row.difficulty) {
                    bad(&mut errors, at("kind"), "BLUEPRINT_DUPLICATE", format!("与第 {} 行重复，请合并为一行", j + 1));
                } else if let Some((j, _)) = rows.iter().find(|(_, o)| same(o) && o.difficulty.is_none()) {
                    bad(
                        &mut errors,
                        at("difficulty"),
                        "BLUEPRINT_ORDER",
                        format!("指定难度的行应排在同一工作任务、同一题型的“不限难度”行（第 {} 行）之前", j + 1),
                    );
                } else {
                    rows.push((i, row));
                }
            }
        }
        if errors.is_empty() {
            let sum: u64 = rows.iter().map(|(_, r)| u64::from(r.count) * u64::from(r.points_each)).sum();
            if sum != u64::from(input.total_points) {
                errors.push(err(
                    "total_points",
                    "BLUEPRINT_SUM",
                    format!("各行题量乘以每题分值合计 {sum} 分，与试卷总分 {} 分不符", input.total_points),
                ));
            }
        }
        errors.into_result()?;
        Ok(Blueprint {
            duration_minutes: input.duration_minutes,
            total_points: input.total_points,
            rows: rows.into_iter().map(|(_, r)| r).collect(),
        })
    }

    /// The blueprint as typed (to check a recorded blueprint again, or to edit it).
    pub fn to_input(&self) -> BlueprintInput {
        BlueprintInput {
            duration_minutes: self.duration_minutes,
            total_points: self.total_points,
            rows: self
                .rows
                .iter()
                .map(|r| BlueprintRowInput {
                    task: r.task,
                    kind: r.kind.id().to_owned(),
                    difficulty: r.difficulty_id().to_owned(),
                    count: r.count,
                    points_each: r.points_each,
                })
                .collect(),
        }
    }

    /// How many items the paper has.
    pub fn item_count(&self) -> u32 {
        self.rows.iter().map(|r| r.count).sum()
    }
}
