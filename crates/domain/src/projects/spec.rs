//! P3: the specification (考核规范) a development unit writes and the city center, the experts (P4) and
//! the province review — typed as [`SpecificationInput`] (also the draft the store keeps) and parsed into
//! a [`Specification`] ([`Specification::parse`]) that names every missing or bad field at once, with
//! paths such as `tasks[2].weight` and `method.theory_share`.
//!
//! What a specification holds (FACTS.md "Projects"; 劳社鉴函〔2005〕77号 as the procedure cites it):
//!
//! - **name** ([`ProjectName`], [`super::name`]) — 2–30 characters of Chinese, letters, digits and
//!   full-width brackets（）; a developed project's name is "product or service + verb" and does not end
//!   in 工, 员 or 师 (`PROJECT_NAME_RULE`); an adopted project keeps its original name
//!   ([`NameRule::LengthAndCharacters`]).
//! - **definition** (定义) and **target group** (适用对象).
//! - **work tasks** ([`WorkTask`], 1–[`MAX_TASKS`]): name, operating norms (操作规范), related knowledge
//!   (相关知识) and weight, a whole percentage 1–100; the weights sum to exactly 100
//!   (`SPEC_TASK_WEIGHTS_SUM`, reported on `tasks` with the current sum).
//! - **assessment method** ([`AssessmentMethod`]): the theory and practical shares, whole percentages
//!   summing to 100, either may be 0 but not both; for each part given, its pass mark out of 100 (blank:
//!   [`DEFAULT_PASS_MARK`]) and its duration in minutes. A part with share 0 has neither (a duration of
//!   0 or blank is accepted for it).
//! - **minimum panel size** — 1–[`MAX_PANEL_SIZE`] assessors; the store also checks it against the
//!   policy's minimum (`exam.panel_min_assessors`), which may change after the specification is approved.
//! - **fields** (专业领域) — 1–[`MAX_FIELDS`] distinct names of at most [`FIELD_MAX_CHARS`] characters,
//!   matched against experts' specialties for the P4 draw and against assessors' for exams.
//!
//! A draft is checked by [`Specification::check_draft`]: only what is filled in (formats, lengths,
//! characters, too many rows); what is missing and how parts agree (weight and share sums) wait for
//! submission, exactly as the station application does (issue 9 item 11).

use serde::{Deserialize, Serialize};

use super::name::{NameRule, ProjectName};
use super::{int_field, text_block, text_field};
use crate::error::{FieldError, FieldErrors};

/// At most this many work tasks.
pub const MAX_TASKS: usize = 30;
/// At most this many professional fields.
pub const MAX_FIELDS: usize = 10;
/// A professional field has at most this many characters.
pub const FIELD_MAX_CHARS: usize = 30;
/// The pass mark (out of 100) of a part whose pass mark is left blank.
pub const DEFAULT_PASS_MARK: u32 = 60;
/// The largest minimum panel size a specification may ask for.
pub const MAX_PANEL_SIZE: u32 = 20;
/// The longest duration of one part of the assessment, in minutes.
pub const MAX_MINUTES: u32 = 600;
/// Operating norms, related knowledge and the definition have at most this many characters.
pub const LONG_TEXT_MAX_CHARS: usize = 2000;

/// A work task as typed (工作任务).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct TaskInput {
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub name: String,
    /// 操作规范.
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub norms: String,
    /// 相关知识.
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub knowledge: String,
    /// The weight, a whole percentage 1–100.
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub weight: String,
}

impl TaskInput {
    /// Every cell empty: the row is ignored (a form's spare row), keeping the other rows' indexes.
    pub fn is_blank(&self) -> bool {
        [&self.name, &self.norms, &self.knowledge, &self.weight].iter().all(|s| s.trim().is_empty())
    }
}

/// The specification as typed (also the draft the store keeps before submission). Any field may be left
/// out or blank while it is a draft; submission checks the whole of it, so the OpenAPI schema marks no
/// field required. Numbers are text as typed in a form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema), schema(example = json!(SpecificationInput::example())))]
#[serde(default)]
pub struct SpecificationInput {
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub name: String,
    /// 定义.
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub definition: String,
    /// 适用对象.
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub target_group: String,
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub tasks: Vec<TaskInput>,
    /// The theory share, a whole percentage 0–100.
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub theory_share: String,
    /// The practical share, a whole percentage 0–100.
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub practical_share: String,
    /// Out of 100; blank means 60.
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub theory_pass_mark: String,
    /// Out of 100; blank means 60.
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub practical_pass_mark: String,
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub theory_minutes: String,
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub practical_minutes: String,
    /// The fewest assessors on a panel for this project.
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub min_panel_size: String,
    /// 专业领域: matched against experts' and assessors' specialties.
    #[cfg_attr(feature = "utoipa", schema(required = false))]
    pub fields: Vec<String>,
}

impl SpecificationInput {
    /// A complete, valid specification (P3): 武冈卤菜加工 (a real Hunan project, FACTS.md) with three
    /// tasks weighted 30/50/20, a 30 % theory part of 60 minutes and a 70 % practical part of 120
    /// minutes, both passed at 60, a panel of at least 3 and two fields. Tests and demonstrations start
    /// from it and change what they are about.
    pub fn example() -> SpecificationInput {
        let task = |name: &str, norms: &str, knowledge: &str, weight: &str| TaskInput {
            name: name.into(),
            norms: norms.into(),
            knowledge: knowledge.into(),
            weight: weight.into(),
        };
        SpecificationInput {
            name: "武冈卤菜加工".into(),
            definition: "按照武冈卤菜传统工艺，选料、调制卤水并卤制成品的能力".into(),
            target_group: "从事或准备从事卤菜加工的城乡劳动者".into(),
            tasks: vec![
                task("原料选择与初加工", "能识别原料品质；能按工艺完成清洗、腌制", "原料知识；食品安全知识", "30"),
                task("卤水调制与卤制", "能按配方调制卤水；能控制火候与时间卤制成品", "香辛料知识；卤制工艺", "50"),
                task("成品检验与包装", "能按标准检验成品；能完成包装与标识", "食品包装与标签规定", "20"),
            ],
            theory_share: "30".into(),
            practical_share: "70".into(),
            theory_pass_mark: "60".into(),
            practical_pass_mark: "60".into(),
            theory_minutes: "60".into(),
            practical_minutes: "120".into(),
            min_panel_size: "3".into(),
            fields: vec!["食品加工".into(), "烹饪".into()],
        }
    }
}

/// A parsed work task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkTask {
    pub name: String,
    pub norms: String,
    pub knowledge: String,
    /// A whole percentage; the tasks' weights sum to 100.
    pub weight: u32,
}

/// One part of the assessment (theory or practical) that the method includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AssessmentPart {
    /// A whole percentage 1–100.
    pub share: u32,
    /// Out of 100.
    pub pass_mark: u32,
    pub minutes: u32,
}

/// The assessment method: at least one part; the parts' shares sum to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AssessmentMethod {
    pub theory: Option<AssessmentPart>,
    pub practical: Option<AssessmentPart>,
}

impl AssessmentMethod {
    /// The method in words: 理论知识考试 30%（60 分钟，60 分合格）＋ 操作技能考核 70%（…）.
    pub fn describe(&self) -> String {
        let part = |label: &str, p: &AssessmentPart| {
            format!("{label} {}%（{} 分钟，{} 分合格）", p.share, p.minutes, p.pass_mark)
        };
        let parts: Vec<String> = [("理论知识考试", self.theory), ("操作技能考核", self.practical)]
            .iter()
            .filter_map(|(l, p)| p.as_ref().map(|p| part(l, p)))
            .collect();
        parts.join("＋")
    }
}

/// A parsed specification (P3): every field present and well-formed, the weights summing to 100, the
/// shares summing to 100.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Specification {
    name: ProjectName,
    definition: String,
    target_group: String,
    tasks: Vec<WorkTask>,
    method: AssessmentMethod,
    min_panel_size: u32,
    fields: Vec<String>,
}

fn too_many(field: &str, label: &str, max: usize) -> FieldError {
    FieldError::new(field, "ROWS_TOO_MANY", format!("{label}最多 {max} 项"))
}

impl Specification {
    /// A developed project's specification ([`NameRule::ProductAndVerb`]).
    pub fn parse(input: &SpecificationInput) -> Result<Specification, FieldErrors> {
        Self::parse_with(input, NameRule::ProductAndVerb)
    }

    /// Parse the whole specification under `rule`, reporting every error at once. Fields: `name`,
    /// `definition`, `target_group`, `tasks`, `tasks[i].name|norms|knowledge|weight`,
    /// `method.theory_share`, `method.practical_share`, `method` (the shares' sum),
    /// `method.theory_pass_mark|practical_pass_mark|theory_minutes|practical_minutes`,
    /// `min_panel_size`, `fields`, `fields[i]`.
    pub fn parse_with(input: &SpecificationInput, rule: NameRule) -> Result<Specification, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.take(ProjectName::parse_with("name", &input.name, rule));
        let definition = e.take(text_block(
            "definition",
            &input.definition,
            2,
            LONG_TEXT_MAX_CHARS,
            "SPEC_DEFINITION_LENGTH",
            "项目定义",
        ));
        let target_group =
            e.take(text_block("target_group", &input.target_group, 2, 500, "SPEC_TARGET_GROUP_LENGTH", "适用对象"));
        let tasks = parse_tasks(&mut e, &input.tasks);
        let method = parse_method(&mut e, input);
        let min_panel_size = e.take(int_field(
            "min_panel_size",
            &input.min_panel_size,
            1,
            MAX_PANEL_SIZE,
            "SPEC_PANEL_SIZE",
            "考评组最少人数",
        ));
        let fields = parse_fields(&mut e, &input.fields);

        let parsed = (|| {
            Some(Specification {
                name: name?,
                definition: definition?,
                target_group: target_group?,
                tasks: tasks?,
                method: method?,
                min_panel_size: min_panel_size?,
                fields: fields?,
            })
        })();
        match (e.into_result(), parsed) {
            (Ok(()), Some(spec)) => Ok(spec),
            (Err(errors), _) => Err(errors),
            // Every `None` above recorded its error.
            (Ok(()), None) => Err(FieldErrors::new()),
        }
    }

    /// A draft as saved before submission: only what is filled in is checked — its format, length and
    /// characters (the name rule included), and too many rows — so a half-filled specification can be
    /// kept. What is missing and how the parts agree (the weights' and the shares' sums, repeated fields)
    /// wait for [`Self::parse`] at submission. Errors name their field as [`Self::parse_with`] does.
    pub fn check_draft(input: &SpecificationInput, rule: NameRule) -> Result<(), FieldErrors> {
        let Err(errors) = Self::parse_with(input, rule) else {
            return Ok(());
        };
        let kept: Vec<FieldError> = errors
            .0
            .into_iter()
            .filter(|e| e.code == "ROWS_TOO_MANY" || draft_value(input, &e.field).is_some_and(|v| !v.trim().is_empty()))
            .collect();
        FieldErrors(kept).into_result()
    }

    pub fn name(&self) -> &ProjectName {
        &self.name
    }
    pub fn definition(&self) -> &str {
        &self.definition
    }
    pub fn target_group(&self) -> &str {
        &self.target_group
    }
    /// The work tasks in the order given (blank rows dropped).
    pub fn tasks(&self) -> &[WorkTask] {
        &self.tasks
    }
    pub fn method(&self) -> &AssessmentMethod {
        &self.method
    }
    pub fn min_panel_size(&self) -> u32 {
        self.min_panel_size
    }
    /// The professional fields, trimmed, in the order given, without duplicates: the specialties the P4
    /// draw asks of experts.
    pub fn fields(&self) -> &[String] {
        &self.fields
    }
}

/// The typed value an error of [`Specification::parse_with`] is about, for a draft's check: `None` for
/// what a draft need not have yet (whole lists, the sums).
fn draft_value<'a>(input: &'a SpecificationInput, field: &str) -> Option<&'a str> {
    fn row<'a>(field: &'a str, prefix: &str) -> Option<(usize, &'a str)> {
        let rest = field.strip_prefix(prefix)?.strip_prefix('[')?;
        let (n, rest) = rest.split_once(']')?;
        Some((n.parse().ok()?, rest))
    }
    Some(match field {
        "name" => &input.name,
        "definition" => &input.definition,
        "target_group" => &input.target_group,
        "method.theory_share" => &input.theory_share,
        "method.practical_share" => &input.practical_share,
        "method.theory_pass_mark" => &input.theory_pass_mark,
        "method.practical_pass_mark" => &input.practical_pass_mark,
        "method.theory_minutes" => &input.theory_minutes,
        "method.practical_minutes" => &input.practical_minutes,
        "min_panel_size" => &input.min_panel_size,
        f => {
            if let Some((i, col)) = row(f, "tasks") {
                let r = input.tasks.get(i)?;
                return Some(match col {
                    ".name" => &r.name,
                    ".norms" => &r.norms,
                    ".knowledge" => &r.knowledge,
                    ".weight" => &r.weight,
                    _ => return None,
                });
            }
            if let Some((i, "")) = row(f, "fields") {
                return input.fields.get(i).map(String::as_str);
            }
            return None;
        }
    })
}

fn parse_tasks(e: &mut FieldErrors, rows: &[TaskInput]) -> Option<Vec<WorkTask>> {
    if rows.len() > MAX_TASKS {
        e.push(too_many("tasks", "工作任务", MAX_TASKS));
        return None;
    }
    if rows.iter().all(TaskInput::is_blank) {
        e.push(FieldError::new("tasks", "SPEC_TASKS_REQUIRED", "请至少填写一项工作任务"));
        return None;
    }
    let mut out = Vec::new();
    let mut complete = true;
    for (i, r) in rows.iter().enumerate().filter(|(_, r)| !r.is_blank()) {
        let f = |col: &str| format!("tasks[{i}].{col}");
        let name = e.take(text_field(&f("name"), &r.name, 2, 50, "SPEC_TASK_NAME_LENGTH", "工作任务名称"));
        let norms =
            e.take(text_block(&f("norms"), &r.norms, 2, LONG_TEXT_MAX_CHARS, "SPEC_TASK_NORMS_LENGTH", "操作规范"));
        let knowledge = e.take(text_block(
            &f("knowledge"),
            &r.knowledge,
            2,
            LONG_TEXT_MAX_CHARS,
            "SPEC_TASK_KNOWLEDGE_LENGTH",
            "相关知识",
        ));
        let weight = e.take(int_field(&f("weight"), &r.weight, 1, 100, "SPEC_TASK_WEIGHT", "权重（%）"));
        match (name, norms, knowledge, weight) {
            (Some(name), Some(norms), Some(knowledge), Some(weight)) => {
                out.push(WorkTask { name, norms, knowledge, weight })
            }
            _ => complete = false,
        }
    }
    if !complete {
        return None;
    }
    let sum: u32 = out.iter().map(|t| t.weight).sum();
    if sum != 100 {
        e.push(FieldError::new(
            "tasks",
            "SPEC_TASK_WEIGHTS_SUM",
            format!("各工作任务的权重合计应为 100%，现为 {sum}%"),
        ));
        return None;
    }
    Some(out)
}

/// One part's share, pass mark and minutes; `Ok(None)` for a share of 0.
fn parse_part(
    e: &mut FieldErrors,
    key: &str,
    label: &str,
    share: Option<u32>,
    pass_mark: &str,
    minutes: &str,
) -> Option<Option<AssessmentPart>> {
    let pass_field = format!("method.{key}_pass_mark");
    let minutes_field = format!("method.{key}_minutes");
    match share {
        Some(0) => {
            let stray = |raw: &str| !matches!(raw.trim(), "" | "0");
            if stray(minutes) {
                e.push(FieldError::new(
                    minutes_field,
                    "SPEC_MINUTES",
                    format!("{label}占比为 0，不设{label}，请勿填写{label}时长"),
                ));
                return None;
            }
            Some(None)
        }
        Some(share) => {
            let pass_mark = if pass_mark.trim().is_empty() {
                Some(DEFAULT_PASS_MARK)
            } else {
                e.take(int_field(&pass_field, pass_mark, 1, 100, "SPEC_PASS_MARK", &format!("{label}合格分数线")))
            };
            let minutes = e.take(int_field(
                &minutes_field,
                minutes,
                1,
                MAX_MINUTES,
                "SPEC_MINUTES",
                &format!("{label}时长（分钟）"),
            ));
            Some(Some(AssessmentPart { share, pass_mark: pass_mark?, minutes: minutes? }))
        }
        // The share itself is missing or bad: still check what is typed beside it.
        None => {
            if !pass_mark.trim().is_empty() {
                e.take(int_field(&pass_field, pass_mark, 1, 100, "SPEC_PASS_MARK", &format!("{label}合格分数线")));
            }
            if !matches!(minutes.trim(), "" | "0") {
                e.take(int_field(
                    &minutes_field,
                    minutes,
                    1,
                    MAX_MINUTES,
                    "SPEC_MINUTES",
                    &format!("{label}时长（分钟）"),
                ));
            }
            None
        }
    }
}

fn parse_method(e: &mut FieldErrors, input: &SpecificationInput) -> Option<AssessmentMethod> {
    let theory_share =
        e.take(int_field("method.theory_share", &input.theory_share, 0, 100, "SPEC_SHARE", "理论知识考试占比（%）"));
    let practical_share = e.take(int_field(
        "method.practical_share",
        &input.practical_share,
        0,
        100,
        "SPEC_SHARE",
        "操作技能考核占比（%）",
    ));
    let theory = parse_part(e, "theory", "理论知识考试", theory_share, &input.theory_pass_mark, &input.theory_minutes);
    let practical = parse_part(
        e,
        "practical",
        "操作技能考核",
        practical_share,
        &input.practical_pass_mark,
        &input.practical_minutes,
    );
    let (t, p) = (theory_share?, practical_share?);
    if t + p != 100 || (t == 0 && p == 0) {
        e.push(FieldError::new(
            "method",
            "SPEC_SHARES_SUM",
            format!("理论知识考试与操作技能考核的占比合计应为 100%，现为 {}%", t + p),
        ));
        return None;
    }
    Some(AssessmentMethod { theory: theory?, practical: practical? })
}

fn parse_fields(e: &mut FieldErrors, raw: &[String]) -> Option<Vec<String>> {
    if raw.len() > MAX_FIELDS {
        e.push(too_many("fields", "专业领域", MAX_FIELDS));
        return None;
    }
    if raw.iter().all(|f| f.trim().is_empty()) {
        e.push(FieldError::new("fields", "SPEC_FIELDS_REQUIRED", "请至少填写一个专业领域（用于匹配专家和考评员）"));
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    let mut complete = true;
    for (i, f) in raw.iter().enumerate().filter(|(_, f)| !f.trim().is_empty()) {
        let field = format!("fields[{i}]");
        let Some(name) = e.take(text_field(&field, f, 1, FIELD_MAX_CHARS, "SPEC_FIELD_LENGTH", "专业领域")) else {
            complete = false;
            continue;
        };
        if out.contains(&name) {
            e.push(FieldError::new(field, "SPEC_FIELD_DUPLICATE", format!("专业领域“{name}”重复填写")));
            complete = false;
            continue;
        }
        out.push(name);
    }
    complete.then_some(out)
}
