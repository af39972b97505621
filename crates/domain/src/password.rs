//! Password strength for the accounts of every role (level-3 rules, docs/FACTS.md "Security values"; no procedure clause): a
//! minimum length and a minimum number of character classes, policy values (V1) with defaults 8 and 3.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    /// Minimum length in characters.
    pub min_length: usize,
    /// Minimum number of classes among lower case, upper case, digit and other.
    pub min_classes: usize,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self { min_length: 8, min_classes: 3 }
    }
}

impl PasswordPolicy {
    pub fn check(&self, pw: &str) -> Result<(), FieldError> {
        if pw.is_empty() {
            return Err(FieldError::new("password", "PASSWORD_TOO_SHORT", "请填写密码"));
        }
        if pw.chars().count() < self.min_length {
            return Err(FieldError::new("password", "PASSWORD_TOO_SHORT", format!("密码至少 {} 位", self.min_length)));
        }
        if character_classes(pw) < self.min_classes {
            return Err(FieldError::new(
                "password",
                "PASSWORD_TOO_WEAK",
                format!("密码须包含大写字母、小写字母、数字、符号中的至少 {} 类", self.min_classes),
            ));
        }
        Ok(())
    }
}

/// How many of the four classes (lower case, upper case, digit, other) occur in `pw`.
fn character_classes(pw: &str) -> usize {
    let lower = pw.chars().any(|c| c.is_lowercase());
    let upper = pw.chars().any(|c| c.is_uppercase());
    let digit = pw.chars().any(|c| c.is_ascii_digit());
    let other = pw.chars().any(|c| !c.is_lowercase() && !c.is_uppercase() && !c.is_ascii_digit());
    [lower, upper, digit, other].into_iter().filter(|b| *b).count()
}
