//! Field-level validation errors shared by every layer: the `field` names the input, the `code` is a
//! stable API identifier, and the `detail` is the Chinese text shown to people.

use serde::Serialize;

/// The plumbing of a rule's refusal type that has `detail()` (its Chinese text) and `to_field_error()`:
/// `Display` as the detail, `std::error::Error`, and `From` into [`FieldError`] and [`FieldErrors`], so
/// `?` reports it beside its field. One place instead of a copy per state machine.
macro_rules! refusal {
    ($name:ty) => {
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.detail())
            }
        }

        impl std::error::Error for $name {}

        impl From<$name> for $crate::FieldError {
            fn from(e: $name) -> Self {
                e.to_field_error()
            }
        }

        impl From<$name> for $crate::FieldErrors {
            fn from(e: $name) -> Self {
                $crate::FieldErrors::from(e.to_field_error())
            }
        }
    };
}
pub(crate) use refusal;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub code: &'static str,
    pub field: String,
    pub detail: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str, detail: impl Into<String>) -> Self {
        Self { code, field: field.into(), detail: detail.into() }
    }

    /// The same error reported against another field name (a form field, a spreadsheet column).
    pub fn for_field(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}：{}", self.field, self.detail)
    }
}

impl std::error::Error for FieldError {}

/// A collection of field errors: a form or body is rejected with all its errors at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Record the error of a parse, returning the value when it parsed.
    pub fn take<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }
    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl From<FieldError> for FieldErrors {
    fn from(e: FieldError) -> Self {
        Self(vec![e])
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|e| e.to_string()).collect();
        write!(f, "{}", parts.join("；"))
    }
}

impl std::error::Error for FieldErrors {}
