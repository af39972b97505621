//! What the registries of people share (the expert committee P5; assessors, supervisors and trainers
//! E8–E10): an ID number sealed at rest (encrypted, a blind index for uniqueness and matching, a masked
//! form for the pages), and the bookkeeping of an all-or-nothing spreadsheet import (each error named
//! `row:field`, an ID number once per file).

use crate::{Store, StoreError, StoreResult};
use domain::ids::IdNumber;
use domain::{FieldError, FieldErrors};
use std::collections::HashMap;

/// An ID number as stored: never in clear.
pub(crate) struct SealedId {
    pub enc: String,
    pub idx: String,
    pub masked: String,
}

impl Store {
    /// Encrypt `id` (associated data `id_number`), with its blind index and masked form.
    pub(crate) fn seal_id(&self, id: &IdNumber) -> StoreResult<SealedId> {
        let enc =
            self.crypto.encrypt(id.as_str().as_bytes(), b"id_number").map_err(|e| StoreError::service("cipher", e))?;
        Ok(SealedId { enc, idx: self.id_index(id), masked: id.masked() })
    }

    /// The blind index of `id` (the same for the same number, whoever stores it).
    pub(crate) fn id_index(&self, id: &IdNumber) -> String {
        self.crypto.blind_index(id.as_str().as_bytes())
    }

    /// The ID number sealed by [`Store::seal_id`], in clear (kept for an edit form that leaves it blank).
    pub(crate) fn open_id(&self, enc: &str) -> StoreResult<String> {
        let plain = self.crypto.decrypt(enc, b"id_number").map_err(|e| StoreError::service("cipher", e))?;
        Ok(String::from_utf8_lossy(&plain).into_owned())
    }

    /// Whether a sealed ID number has an address code in no GB/T 2260 table (never a refusal: an ID
    /// number is valid for life; staff see a warning). Nothing of the number is shown.
    pub(crate) fn sealed_id_unknown_county(&self, enc: &str) -> StoreResult<bool> {
        Ok(IdNumber::parse(&self.open_id(enc)?).is_ok_and(|id| id.unknown_county()))
    }
}

/// An import's errors, each named `row:field` (row as in the spreadsheet: header = 1, first data row 2).
#[derive(Default)]
pub(crate) struct ImportErrors {
    pub errs: FieldErrors,
    seen: HashMap<String, usize>,
}

impl ImportErrors {
    /// The spreadsheet row of the `i`-th data row.
    pub fn line(i: usize) -> usize {
        i + 2
    }

    /// Record `e` against row `line`.
    pub fn push(&mut self, line: usize, e: FieldError) {
        let field = format!("{line}:{}", e.field);
        self.errs.push(e.for_field(field));
    }

    /// Record every error of a row.
    pub fn push_all(&mut self, line: usize, errs: FieldErrors) {
        for e in errs.0 {
            self.push(line, e);
        }
    }

    /// Whether `key` (of column `field`) was already on an earlier row: then an error naming that row.
    pub fn repeated(&mut self, line: usize, field: &str, key: &str, what: &str) -> bool {
        match self.seen.get(key) {
            Some(first) => {
                let first = *first;
                self.push(line, FieldError::new(field, "DUPLICATE_IN_FILE", format!("与第 {first} 行的{what}重复")));
                true
            }
            None => {
                self.seen.insert(key.to_owned(), line);
                false
            }
        }
    }

    /// The errors, with "no data rows" when `rows` was empty.
    pub fn finish(mut self, rows: usize) -> Result<(), FieldErrors> {
        if rows == 0 {
            self.errs.push(FieldError::new("file", "EMPTY", "表格中没有数据行"));
        }
        self.errs.into_result()
    }
}
