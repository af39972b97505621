//! Input hygiene (issue 8 item 4): the characters no typed text may carry, checked the same way whatever
//! the database (PostgreSQL refuses a NUL in text with an error; SQLite would keep it).
//!
//! - **Every text field** of every form, query string, path and API body is checked once, where it is
//!   read (`web::input`, called by `web::extract::{Form, Query, Path}` and `web::api::ApiJson`), before
//!   any handler or database sees it: [`forbidden`] characters are refused with a field error.
//! - **Line breaks and tab** (`\n`, `\r`, `\t`) are free text's (opinions, reasons, notes, the
//!   textareas). Single-line values refuse them too: names, codes and user names by their domain types
//!   (`crate::ids`: codes and user names by their formats, [`crate::ids::PersonName`] through
//!   [`single_line`]), organisation and institution names through [`single_line`].
//! - **File names** of uploads are cleaned rather than refused ([`clean_file_name`]).

use crate::error::FieldError;

/// A character no typed text may carry: C0 controls other than tab, line feed and carriage return; DEL
/// and the C1 controls; bidirectional formatting (ALM U+061C, LRM/RLM U+200E–U+200F, embeddings and
/// overrides U+202A–U+202E, isolates U+2066–U+2069); zero-width and invisible characters (U+200B–U+200D,
/// word joiner and invisible operators U+2060–U+2064, the byte order mark U+FEFF); and the line and
/// paragraph separators U+2028–U+2029.
pub fn forbidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
        | '\u{2028}' | '\u{2029}')
}

/// The first forbidden character of `s`, if any.
pub fn first_forbidden(s: &str) -> Option<char> {
    s.chars().find(|c| forbidden(*c))
}

/// The error for a forbidden character in a field: 「姓名」含有不可见或控制字符（U+0000）….
pub fn forbidden_error(field: impl Into<String>, label: &str, c: char) -> FieldError {
    FieldError::new(
        field,
        "INPUT_FORBIDDEN_CHARACTER",
        format!("「{label}」含有不可见或控制字符（U+{:04X}），请删除后重新填写", u32::from(c)),
    )
}

/// Free text: refused only for a [`forbidden`] character (tab and line breaks are allowed).
pub fn check(field: &str, label: &str, s: &str) -> Result<(), FieldError> {
    match first_forbidden(s) {
        Some(c) => Err(forbidden_error(field, label, c)),
        None => Ok(()),
    }
}

/// Single-line text (a name): no [`forbidden`] character and no tab or line break inside (surrounding
/// white space is the caller's to trim).
pub fn single_line(field: &str, label: &str, s: &str) -> Result<(), FieldError> {
    check(field, label, s)?;
    if s.trim().contains(['\n', '\r', '\t']) {
        return Err(FieldError::new(
            field,
            "INPUT_LINE_BREAK",
            format!("「{label}」应为单行文字，不能含有换行符或制表符"),
        ));
    }
    Ok(())
}

/// A name as a key for matching (employers, E4 recusal): full-width ASCII (`Ａ`, `１`, `（`) and the
/// ideographic space become their half-width forms, runs of white space one space, ends trimmed. Two
/// spellings of one employer typed by different people meet on this key.
pub fn normalise_name(s: &str) -> String {
    let half: String = s
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(u32::from(c) - 0xfee0).unwrap_or(c),
            _ => c,
        })
        .collect();
    half.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An uploaded file's name made safe to keep and to send back: the last path part only (`/` or `\`),
/// without control, bidirectional or zero-width characters (nor tab, line breaks or `"`), without
/// leading dots and trailing dots or spaces, at most 100 characters; `附件` when nothing is left (`.`,
/// `..`, an empty or all-invisible name).
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let kept: String = base.chars().filter(|c| !forbidden(*c) && !c.is_control() && *c != '"').take(100).collect();
    let trimmed = kept.trim().trim_start_matches('.').trim_end_matches(['.', ' ']).trim();
    if trimmed.is_empty() { "附件".to_string() } else { trimmed.to_string() }
}

/// `name` with its extension replaced by `ext` (without the dot): `报告.exe` → `报告.pdf`, `报告` →
/// `报告.pdf`. A name that is only an extension keeps its stem (`.exe` was cleaned to `exe` already).
pub fn with_extension(name: &str, ext: &str) -> String {
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    };
    format!("{stem}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forbidden_set_is_controls_bidi_and_zero_width_but_not_line_breaks() {
        for c in ['\u{0}', '\u{1b}', '\u{7f}', '\u{85}', '\u{202e}', '\u{2066}', '\u{200b}', '\u{200d}', '\u{feff}'] {
            assert!(forbidden(c), "U+{:04X}", u32::from(c));
        }
        for c in ['\n', '\r', '\t', ' ', 'a', '张', '·', '\u{3000}', '—'] {
            assert!(!forbidden(c), "U+{:04X}", u32::from(c));
        }
        let e = check("name", "姓名", "张\u{0}三").expect_err("NUL");
        assert_eq!((e.field.as_str(), e.code), ("name", "INPUT_FORBIDDEN_CHARACTER"));
        assert_eq!(e.detail, "「姓名」含有不可见或控制字符（U+0000），请删除后重新填写");
        assert!(check("note", "备注", "第一行\r\n第二行\t完").is_ok());
        assert_eq!(single_line("name", "机构名称", "某某\n考核站").expect_err("line break").code, "INPUT_LINE_BREAK");
        assert!(single_line("name", "机构名称", " 某某考核站\n").is_ok(), "surrounding white space is trimmed later");
    }

    #[test]
    fn names_normalise_full_width_and_spaces() {
        assert_eq!(normalise_name("  长沙　市\t湘菜 （集团）有限公司  "), "长沙 市 湘菜 (集团)有限公司");
        assert_eq!(normalise_name("ＡＢＣ１２３"), "ABC123");
        assert_eq!(normalise_name("湘菜学院"), "湘菜学院");
    }

    #[test]
    fn file_names_lose_paths_dots_and_invisible_characters() {
        for (raw, clean) in [
            ("报告.pdf", "报告.pdf"),
            ("../../etc/passwd", "passwd"),
            ("C:\\Users\\张三\\营业执照.jpg", "营业执照.jpg"),
            ("..", "附件"),
            (".", "附件"),
            ("", "附件"),
            ("\u{202e}\u{200b}", "附件"),
            ("报告\u{202e}fdp.exe", "报告fdp.exe"),
            ("a\u{0}b\nc\"d.pdf", "abcd.pdf"),
            (".hidden.pdf", "hidden.pdf"),
            ("说明. . .", "说明"),
        ] {
            assert_eq!(clean_file_name(raw), clean, "{raw:?}");
        }
        assert_eq!(clean_file_name(&"长".repeat(300)).chars().count(), 100);
        assert_eq!(with_extension("报告.exe", "pdf"), "报告.pdf");
        assert_eq!(with_extension("报告", "pdf"), "报告.pdf");
        assert_eq!(with_extension("a.b.docx", "zip"), "a.b.zip");
    }
}
