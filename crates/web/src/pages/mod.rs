//! Server-rendered pages, one module per area.

pub mod account;
pub mod attachments;
pub mod audit;
pub mod calendar;
pub mod draws;
pub mod experts;
pub mod filings;
pub mod home;
pub mod login;
pub mod orgs;
pub mod policy;
pub mod public;
pub mod users;
