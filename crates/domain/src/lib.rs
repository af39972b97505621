//! kaohe's domain: the procedure of 湘人社规〔2021〕14号 as pure types and rules.
//! No I/O, no async, no database or HTTP types (see docs/ARCHITECTURE.md).

pub mod audit;
pub mod authz;
pub mod calendar;
pub mod certificates;
pub mod crypto;
pub mod draws;
pub mod enums;
pub mod error;
pub mod exams;
pub mod experts;
pub mod ids;
pub mod numbering;
pub mod org;
pub mod password;
pub mod policy;
pub mod projects;
pub mod question_bank;
pub mod registry;
pub mod stations;
pub mod stats;
pub mod text;
pub mod training;
pub mod workflow;

pub use error::{FieldError, FieldErrors};
