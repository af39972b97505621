//! Integration tests of the web layer, in process (one binary; modules mirror the areas).
//! They run on SQLite, and on PostgreSQL when `KAOHE_TEST_DATABASE_URL` is set.

mod api_errors;
mod archives;
mod auth;
mod auth_sessions;
mod authz_matrix;
mod caches;
mod catalog;
mod code_tables;
mod draws;
mod experts;
mod filing_form;
mod filing_pages;
mod filings;
mod flash;
mod grading;
mod input_hygiene;
mod limits;
mod openapi;
mod ops_security;
mod orgs_users;
mod panel;
mod policy_calendar;
mod portal;
mod project_materials;
mod projects;
mod public_pages;
mod qbank;
mod registry;
mod releases;
mod reports;
mod score_pages;
mod session_papers;
mod sessions;
mod support;
mod tickets;
