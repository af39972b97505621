//! P2, P6: a question bank item as typed ([`ItemInput`]) and as parsed ([`Item`]): its kind, the
//! specification's work task it belongs to, its difficulty, its points, and the confidential content
//! ([`ItemContent`]: stem, options, answer or scoring points) that the store encrypts as one blob. The
//! review path of an item (written by a unit or city, reviewed by the province, then in the provincial
//! bank) is the small machine [`transition`] over [`ItemStatus`]; every edit is a new version.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::audit::AuditAction;
use crate::enums::string_enum;
use crate::error::{FieldError, FieldErrors};

string_enum! {
    /// The five kinds of item (issue 11).
    ItemKind {
        SingleChoice = "single_choice" => "单项选择题",
        MultipleChoice = "multiple_choice" => "多项选择题",
        TrueFalse = "true_false" => "判断题",
        ShortAnswer = "short_answer" => "简答题",
        Practical = "practical" => "实操题",
    }
}

impl ItemKind {
    /// The order of the sections of a printed paper: 判断、单选、多选、简答、实操.
    pub const PAPER_ORDER: [ItemKind; 5] = [
        ItemKind::TrueFalse,
        ItemKind::SingleChoice,
        ItemKind::MultipleChoice,
        ItemKind::ShortAnswer,
        ItemKind::Practical,
    ];

    /// Whether the item has lettered options (A–H).
    pub fn has_options(self) -> bool {
        matches!(self, ItemKind::SingleChoice | ItemKind::MultipleChoice)
    }
}

string_enum! {
    /// How hard an item is.
    Difficulty {
        Easy = "easy" => "易",
        Medium = "medium" => "中",
        Hard = "hard" => "难",
    }
}

string_enum! {
    /// Where an item version stands (P6): written by a unit or a city center, submitted to the province
    /// center, approved into the provincial bank, returned with reasons, or retired (kept for history:
    /// papers assembled from it still name it).
    ItemStatus {
        Draft = "draft" => "编写中",
        Submitted = "submitted" => "待省审核",
        Approved = "approved" => "已入库",
        Returned = "returned" => "已退回",
        Retired = "retired" => "已停用",
    }
}

/// Option labels, in order: at most eight options.
pub const OPTION_LABELS: [char; 8] = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
/// Length bounds (characters) of the texts of an item.
pub const STEM_MAX_CHARS: usize = 2000;
pub const OPTION_MAX_CHARS: usize = 500;
pub const REFERENCE_MAX_CHARS: usize = 2000;
pub const SCORING_MAX_CHARS: usize = 500;
/// Points of one item (and of one blueprint row's items): 1–100.
pub const MAX_ITEM_POINTS: u32 = 100;
/// The two accepted answers of a true/false item.
pub const TRUE_TEXT: &str = "正确";
pub const FALSE_TEXT: &str = "错误";

/// A scoring point of a practical item as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct ScoringInput {
    pub description: String,
    pub points: u32,
}

/// An item as typed (form, API or a spreadsheet row through [`parse_row`](super::parse_row)).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ItemInput {
    /// An [`ItemKind`] id.
    pub kind: String,
    /// The work task of the specification, 1-based (the store checks that the task exists).
    pub task: u32,
    /// A [`Difficulty`] id.
    pub difficulty: String,
    /// 1–100.
    pub points: u32,
    pub stem: String,
    /// Choice items: 2–8 options, labelled A, B, … in order. Other kinds: none.
    pub options: Vec<String>,
    /// Single choice: one label (`B`); multiple choice: two or more labels (`ACD` or `A,C,D`);
    /// true/false: `正确` or `错误`; short answer: the reference answer; practical: empty.
    pub answer: String,
    /// Practical items: the scoring points, whose points add up to the item's points. Other kinds: none.
    pub scoring: Vec<ScoringInput>,
}

/// A scoring point of a practical item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoringPoint {
    pub description: String,
    pub points: u32,
}

/// The answer of an item, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Answer {
    SingleChoice {
        label: char,
    },
    /// Labels in ascending order, no duplicates, at least two.
    MultipleChoice {
        labels: Vec<char>,
    },
    TrueFalse {
        correct: bool,
    },
    ShortAnswer {
        reference: String,
    },
    Practical {
        scoring: Vec<ScoringPoint>,
    },
}

/// The confidential part of an item: what the store encrypts as one blob ([`ItemContent::canonical_json`])
/// and only the question bank officer reads. Metadata (kind, task, difficulty, points, status, version)
/// stays in clear so lists and the paper assembly need no decryption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemContent {
    pub stem: String,
    /// Empty for items without options; otherwise option `i` has label [`OPTION_LABELS`]`[i]`.
    pub options: Vec<String>,
    pub answer: Answer,
}

impl ItemContent {
    /// The bytes the store encrypts: serde_json of the struct (members in declaration order, no
    /// whitespace), so equal content always gives equal plaintext.
    pub fn canonical_json(&self) -> Vec<u8> {
        // Serializing plain strings, chars, numbers and vectors cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// The decrypted blob back to the content.
    pub fn from_json(bytes: &[u8]) -> Result<ItemContent, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}

/// A parsed item (one version of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: ItemKind,
    pub task: u32,
    pub difficulty: Difficulty,
    pub points: u32,
    pub content: ItemContent,
}

fn err(field: impl Into<String>, code: &'static str, detail: impl Into<String>) -> FieldError {
    FieldError::new(field, code, detail)
}

/// Trimmed text of 1..=max characters (lines allowed), through `crate::text`'s character check.
fn text(field: &str, label: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    crate::text::check(field, label, raw)?;
    let t = raw.trim();
    let n = t.chars().count();
    if n == 0 {
        return Err(err(field, "REQUIRED", format!("请填写{label}")));
    }
    if n > max {
        return Err(err(field, "TOO_LONG", format!("{label}不得超过 {max} 个字（现有 {n} 个字）")));
    }
    Ok(t.to_owned())
}

fn label_index(c: char) -> Option<usize> {
    OPTION_LABELS.iter().position(|&l| l == c.to_ascii_uppercase())
}

/// The labels of a choice answer: letters, optionally separated by `,`, `，`, `、` or spaces.
fn parse_labels(raw: &str, options: usize) -> Result<Vec<char>, String> {
    let mut labels = Vec::new();
    for c in raw.chars().filter(|c| !matches!(c, ',' | '，' | '、' | ' ' | '\u{3000}')) {
        let Some(i) = label_index(c) else {
            return Err(format!("答案“{c}”不是选项字母（A–H）"));
        };
        if i >= options {
            return Err(format!("答案 {} 超出选项范围（共 {options} 个选项）", OPTION_LABELS[i]));
        }
        if labels.contains(&OPTION_LABELS[i]) {
            return Err(format!("答案 {} 重复", OPTION_LABELS[i]));
        }
        labels.push(OPTION_LABELS[i]);
    }
    labels.sort_unstable();
    Ok(labels)
}

impl Item {
    /// Parses an item, reporting every error at once, each naming its field (`kind`, `task`,
    /// `difficulty`, `points`, `stem`, `options`, `options[2]`, `answer`, `scoring`, `scoring[1].points`).
    pub fn parse(input: &ItemInput) -> Result<Item, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = ItemKind::parse(input.kind.trim());
        if kind.is_none() {
            errors.push(err("kind", "ITEM_KIND", "请选择题型（单项选择题、多项选择题、判断题、简答题或实操题）"));
        }
        if input.task == 0 {
            errors.push(err("task", "ITEM_TASK", "请选择试题所属的工作任务"));
        }
        let difficulty = Difficulty::parse(input.difficulty.trim());
        if difficulty.is_none() {
            errors.push(err("difficulty", "ITEM_DIFFICULTY", "请选择难度（易、中、难）"));
        }
        if !(1..=MAX_ITEM_POINTS).contains(&input.points) {
            errors.push(err("points", "ITEM_POINTS", format!("分值应为 1 至 {MAX_ITEM_POINTS} 分")));
        }
        let stem = errors.take(text("stem", "题干", &input.stem, STEM_MAX_CHARS));

        let with_options = kind.is_some_and(ItemKind::has_options);
        let mut options = Vec::new();
        if with_options {
            if !(2..=OPTION_LABELS.len()).contains(&input.options.len()) {
                errors.push(err(
                    "options",
                    "ITEM_OPTIONS",
                    format!("选择题应有 2 至 8 个选项（现有 {} 个）", input.options.len()),
                ));
            }
            for (i, o) in input.options.iter().enumerate().take(OPTION_LABELS.len()) {
                let label = format!("选项 {}", OPTION_LABELS[i]);
                if let Some(t) = errors.take(text(&format!("options[{i}]"), &label, o, OPTION_MAX_CHARS)) {
                    options.push(t);
                }
            }
        } else if kind.is_some() && input.options.iter().any(|o| !o.trim().is_empty()) {
            errors.push(err("options", "ITEM_OPTIONS", "只有选择题设选项，请清空选项"));
        }
        if kind.is_some_and(|k| k != ItemKind::Practical) && !input.scoring.is_empty() {
            errors.push(err("scoring", "ITEM_SCORING", "只有实操题设评分要点，请清空评分要点"));
        }

        let n_options = input.options.len().min(OPTION_LABELS.len());
        let answer = match kind {
            None => None,
            Some(ItemKind::SingleChoice) => match parse_labels(&input.answer, n_options) {
                Ok(l) if l.len() == 1 => Some(Answer::SingleChoice { label: l[0] }),
                Ok(l) => {
                    let detail = if l.is_empty() {
                        "请填写答案（一个选项字母）"
                    } else {
                        "单项选择题只能有一个答案"
                    };
                    errors.push(err("answer", "ITEM_ANSWER", detail));
                    None
                }
                Err(detail) => {
                    errors.push(err("answer", "ITEM_ANSWER", detail));
                    None
                }
            },
            Some(ItemKind::MultipleChoice) => match parse_labels(&input.answer, n_options) {
                Ok(labels) if labels.len() >= 2 => Some(Answer::MultipleChoice { labels }),
                Ok(_) => {
                    errors.push(err("answer", "ITEM_ANSWER", "多项选择题的答案应至少有两个选项字母"));
                    None
                }
                Err(detail) => {
                    errors.push(err("answer", "ITEM_ANSWER", detail));
                    None
                }
            },
            Some(ItemKind::TrueFalse) => match input.answer.trim() {
                TRUE_TEXT | "对" | "√" | "true" => Some(Answer::TrueFalse { correct: true }),
                FALSE_TEXT | "错" | "×" | "false" => Some(Answer::TrueFalse { correct: false }),
                _ => {
                    errors.push(err("answer", "ITEM_ANSWER", "判断题的答案应为“正确”或“错误”"));
                    None
                }
            },
            Some(ItemKind::ShortAnswer) => errors
                .take(text("answer", "参考答案", &input.answer, REFERENCE_MAX_CHARS))
                .map(|reference| Answer::ShortAnswer { reference }),
            Some(ItemKind::Practical) => parse_scoring(input, &mut errors),
        };

        match (kind, difficulty, stem, answer, errors.is_empty()) {
            (Some(kind), Some(difficulty), Some(stem), Some(answer), true) => Ok(Item {
                kind,
                task: input.task,
                difficulty,
                points: input.points,
                content: ItemContent { stem, options, answer },
            }),
            _ => Err(errors),
        }
    }
}

fn parse_scoring(input: &ItemInput, errors: &mut FieldErrors) -> Option<Answer> {
    if !input.answer.trim().is_empty() {
        errors.push(err("answer", "ITEM_ANSWER", "实操题不填答案，请在评分要点中写明评分标准"));
    }
    if input.scoring.is_empty() {
        errors.push(err("scoring", "ITEM_SCORING", "实操题应至少有一个评分要点"));
        return None;
    }
    let mut scoring = Vec::new();
    let mut ok = true;
    for (i, s) in input.scoring.iter().enumerate() {
        let label = format!("第 {} 个评分要点", i + 1);
        match text(&format!("scoring[{i}].description"), &label, &s.description, SCORING_MAX_CHARS) {
            Ok(description) => scoring.push(ScoringPoint { description, points: s.points }),
            Err(e) => {
                errors.push(e);
                ok = false;
            }
        }
        if s.points == 0 || s.points > MAX_ITEM_POINTS {
            errors.push(err(
                format!("scoring[{i}].points"),
                "ITEM_SCORING_POINTS",
                format!("{label}的分值应为 1 至 {MAX_ITEM_POINTS} 分"),
            ));
            ok = false;
        }
    }
    let sum: u64 = input.scoring.iter().map(|s| u64::from(s.points)).sum();
    if ok && sum != u64::from(input.points) {
        errors.push(err(
            "scoring",
            "ITEM_SCORING_SUM",
            format!("评分要点分值合计 {sum} 分，应等于本题分值 {} 分", input.points),
        ));
        ok = false;
    }
    ok.then_some(Answer::Practical { scoring })
}

/// An item version's place in the review path: its status and version number (from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemState {
    pub status: ItemStatus,
    pub version: u32,
}

impl ItemState {
    /// A newly written item: version 1, being written.
    pub const NEW: ItemState = ItemState { status: ItemStatus::Draft, version: 1 };
}

/// What happens to an item version (P6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemEvent {
    /// The author (a unit or city center) submits it to the province center.
    Submit,
    /// The province center approves it into the provincial bank.
    Approve,
    /// The province center returns it with a reason.
    Return { reason: String },
    /// Taken out of use; kept for history.
    Retire,
    /// An edit: always a new version, in draft.
    Revise,
}

string_enum! {
    /// Who moves an item along its review path (P6): its author (a development unit or a city center's
    /// question bank staff) or the province center.
    ItemActor {
        Author = "author" => "试题编写单位",
        Province = "province" => "省鉴定中心",
    }
}

impl ItemEvent {
    /// Who may take this step: the author submits and revises, the province approves, returns and
    /// retires (P6: the province manages the provincial bank).
    pub fn actor(&self) -> ItemActor {
        match self {
            ItemEvent::Submit | ItemEvent::Revise => ItemActor::Author,
            ItemEvent::Approve | ItemEvent::Return { .. } | ItemEvent::Retire => ItemActor::Province,
        }
    }

    /// The audit record the step writes.
    pub fn audit_action(&self) -> AuditAction {
        match self {
            ItemEvent::Submit => AuditAction::QuestionItemSubmitted,
            ItemEvent::Approve => AuditAction::QuestionItemApproved,
            ItemEvent::Return { .. } => AuditAction::QuestionItemReturned,
            ItemEvent::Retire => AuditAction::QuestionItemRetired,
            ItemEvent::Revise => AuditAction::QuestionItemRevised,
        }
    }

    fn name(&self) -> &'static str {
        match self {
            ItemEvent::Submit => "提交省中心审核",
            ItemEvent::Approve => "审核入库",
            ItemEvent::Return { .. } => "退回",
            ItemEvent::Retire => "停用",
            ItemEvent::Revise => "修改",
        }
    }
}

/// Why an item event is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemTransitionError {
    /// The event is not allowed in this status.
    NotAllowed { status: ItemStatus, event: &'static str },
    /// A return without a reason.
    ReasonRequired,
}

impl fmt::Display for ItemTransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAllowed { status, event } => write!(f, "试题当前状态为“{}”，不能{event}", status.label()),
            Self::ReasonRequired => f.write_str("退回试题须填写退回理由"),
        }
    }
}

impl std::error::Error for ItemTransitionError {}

/// The review path of an item version (P6):
///
/// | from | event | to |
/// |---|---|---|
/// | draft, returned | submit | submitted |
/// | submitted | approve | approved |
/// | submitted | return (reason) | returned |
/// | draft, returned, approved | retire | retired |
/// | draft, returned, approved | revise | draft, version + 1 |
///
/// A revision never changes the version it starts from: the store keeps that version as it was (an
/// approved version stays in the bank until its successor is approved, which supersedes it). A
/// submitted version is under review and cannot be edited; a retired one is history.
pub fn transition(state: ItemState, event: &ItemEvent) -> Result<ItemState, ItemTransitionError> {
    use ItemStatus::*;
    let to = |status| Ok(ItemState { status, version: state.version });
    match (state.status, event) {
        (Draft | Returned, ItemEvent::Submit) => to(Submitted),
        (Submitted, ItemEvent::Approve) => to(Approved),
        (Submitted, ItemEvent::Return { reason }) if reason.trim().is_empty() => {
            Err(ItemTransitionError::ReasonRequired)
        }
        (Submitted, ItemEvent::Return { .. }) => to(Returned),
        (Draft | Returned | Approved, ItemEvent::Retire) => to(Retired),
        (Draft | Returned | Approved, ItemEvent::Revise) => {
            Ok(ItemState { status: Draft, version: state.version.saturating_add(1) })
        }
        (status, event) => Err(ItemTransitionError::NotAllowed { status, event: event.name() }),
    }
}
