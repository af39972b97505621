//! P3 and FACTS.md: the project name. A developed project's name is "product or service + verb" (拉面制作,
//! 社区绿化) and never ends in 工, 员 or 师, which name an occupation or a post; the refusal explains the
//! rule ([`NAME_RULE`], [`NAME_RULE_TEXT`]). Two-character endings that are verbs
//! ([`VERBS_ENDING_LIKE_OCCUPATIONS`]: 加工, 施工, 动员) are not occupations, so the real Hunan project
//! 武冈卤菜加工 (FACTS.md) is accepted while 电焊工 is not. The main name and each bracketed qualifier are
//! checked (凤凰旅拍（摄影师） is refused). An adopted project (P1) keeps its original name: only length
//! (2–30) and characters (Chinese, letters, digits, full-width brackets（）) are checked
//! ([`NameRule::LengthAndCharacters`]).

use serde::Serialize;

use crate::error::FieldError;

/// The shortest project name.
pub const NAME_MIN_CHARS: usize = 2;
/// The longest project name.
pub const NAME_MAX_CHARS: usize = 30;
/// `PROJECT_NAME_RULE`: a developed project's name ends in 工, 员 or 师.
pub const NAME_RULE: &str = "PROJECT_NAME_RULE";
/// The rule in words, as the refusal shows it.
pub const NAME_RULE_TEXT: &str =
    "项目名称应为“产品或服务＋动作”，如“拉面制作”“社区绿化”，不以“工”“员”“师”结尾（那是职业或岗位名称）";

/// Which name rule applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    /// A developed project (P3): length, characters and "product or service + verb".
    ProductAndVerb,
    /// An adopted project (P1) keeps its original name: length and characters only.
    LengthAndCharacters,
}

/// A project's name, checked by its [`NameRule`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ProjectName(String);

fn is_hanzi(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

impl ProjectName {
    /// A developed project's name (P3, FACTS.md): [`NameRule::ProductAndVerb`].
    pub fn parse(raw: &str) -> Result<ProjectName, FieldError> {
        Self::parse_with("name", raw, NameRule::ProductAndVerb)
    }

    /// Parse `raw` under `rule`, reporting against `field`. Codes: `PROJECT_NAME_LENGTH` (blank or not
    /// 2–30 characters), `PROJECT_NAME_CHARACTERS` (a character other than Chinese, letters, digits and
    /// （）), `PROJECT_NAME_BRACKETS` (unpaired, nested or empty brackets, or a name that starts with
    /// one), [`NAME_RULE`].
    pub fn parse_with(field: &str, raw: &str, rule: NameRule) -> Result<ProjectName, FieldError> {
        crate::text::single_line(field, "项目名称", raw)?;
        let t = raw.trim();
        let n = t.chars().count();
        if n == 0 {
            return Err(FieldError::new(field, "PROJECT_NAME_LENGTH", "请填写项目名称"));
        }
        if !(NAME_MIN_CHARS..=NAME_MAX_CHARS).contains(&n) {
            return Err(FieldError::new(
                field,
                "PROJECT_NAME_LENGTH",
                format!("项目名称应为 {NAME_MIN_CHARS} 至 {NAME_MAX_CHARS} 个字，现为 {n} 个字"),
            ));
        }
        if let Some(c) = t.chars().find(|c| !(is_hanzi(*c) || c.is_ascii_alphanumeric() || matches!(c, '（' | '）')))
        {
            return Err(FieldError::new(
                field,
                "PROJECT_NAME_CHARACTERS",
                format!("项目名称只能包含汉字、字母、数字和全角括号“（）”，不能包含“{c}”"),
            ));
        }
        let parts = bracket_parts(t).ok_or_else(|| {
            FieldError::new(
                field,
                "PROJECT_NAME_BRACKETS",
                "项目名称中的括号应成对使用、不嵌套、不为空，且不能以括号开头，如“凤凰旅拍（旅拍摄影）”",
            )
        })?;
        if rule == NameRule::ProductAndVerb
            && let Some(last) = parts.iter().find_map(|p| occupation_ending(p))
        {
            return Err(FieldError::new(field, NAME_RULE, format!("项目名称不能以“{last}”结尾：{NAME_RULE_TEXT}")));
        }
        Ok(ProjectName(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ProjectName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Verbs that end in 工 or 员 without naming an occupation: a name ending in one of them is "product
/// + verb" (武冈卤菜加工 is a real Hunan project, FACTS.md; 园林施工).
pub const VERBS_ENDING_LIKE_OCCUPATIONS: &[&str] = &["加工", "施工", "动员"];

/// The occupation suffix (工, 员, 师) `part` ends in, unless it ends in one of the
/// [`VERBS_ENDING_LIKE_OCCUPATIONS`].
fn occupation_ending(part: &str) -> Option<char> {
    let last = part.chars().last().filter(|c| matches!(c, '工' | '员' | '师'))?;
    if VERBS_ENDING_LIKE_OCCUPATIONS.iter().any(|v| part.ends_with(v)) { None } else { Some(last) }
}

/// The main name and the contents of its bracketed qualifiers (凤凰旅拍（旅拍摄影） → 凤凰旅拍, 旅拍摄影);
/// `None` when a bracket is unpaired, nested or empty, or the name starts with one.
fn bracket_parts(name: &str) -> Option<Vec<&str>> {
    let mut parts = Vec::new();
    let mut rest = name;
    loop {
        match rest.find(['（', '）']) {
            None => {
                parts.push(rest);
                break;
            }
            Some(i) if rest[i..].starts_with('（') => {
                let before = &rest[..i];
                if before.is_empty() && parts.is_empty() {
                    return None;
                }
                parts.push(before);
                let inner_start = i + '（'.len_utf8();
                let close = rest[inner_start..].find(['（', '）'])?;
                let inner = &rest[inner_start..inner_start + close];
                if inner.is_empty() || !rest[inner_start + close..].starts_with('）') {
                    return None;
                }
                parts.push(inner);
                rest = &rest[inner_start + close + '）'.len_utf8()..];
            }
            Some(_) => return None,
        }
    }
    Some(parts.into_iter().filter(|p| !p.is_empty()).collect())
}
