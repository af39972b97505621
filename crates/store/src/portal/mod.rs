//! Candidate self-service, part 1 (issue 12; E3's candidates): `domain::exams::portal` holds the rules;
//! this module keeps the records.
//!
//! - **sign-up** ([`Store::register_candidate`], public): a person makes a `candidate` account with
//!   their own ID number, stored encrypted with its blind index and masked copy; `users.candidate_idx`
//!   (UNIQUE) makes it one account per ID number, also when two sign-ups race (`ID_NUMBER_REGISTERED`).
//! - **the candidate** (`exam.apply`, their own records only): the sessions open to applications
//!   ([`Store::list_open_sessions`]: opened by their station, still the station's plan, first day
//!   ahead), their own applications with the status and a decline's reason, apply and withdraw
//!   (`candidate`).
//! - **the station** (`station`): opens a session to applications (开放网上报名) while the plan is its own,
//!   sees the session's applications and confirms one — the person joins the roster as a candidate
//!   of source `applied`, their ID number re-sealed — or declines it with a reason, only while the plan
//!   is its own (the organizer approves the plan with the confirmed list, E3).
//!
//! Every change is one [`crate::step::Step`] that claims the session by its state (a submission racing
//! an application: one of them gets `SESSION_CHANGED`) and writes its audit record.

mod candidate;
mod station;

pub use candidate::OpenSessionQuery;
pub use domain::exams::CandidateSignUpInput;
pub use station::{ApplicationDecisionInput, ApplicationQuery};

use crate::audit::AuditDraft;
use crate::auth::hash_password;
use crate::entity::{org, user, user_role};
use crate::users::{replace_roles, set_scope};
use crate::{Ctx, Store, StoreError, StoreResult, now, today};
use domain::audit::AuditAction;
use domain::exams::{ApplicationStatus, CandidateSignUp, id_number_registered};
use domain::org::{DataScope, OrgKind, Role, UserStatus};
use domain::{FieldError, FieldErrors};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;
use time::{Date, OffsetDateTime};

/// A session open to applications, as the candidate's list shows it.
#[derive(Debug, Clone)]
pub struct OpenSessionView {
    pub session: crate::sessions::SessionView,
    /// The caller's own application to it, if any.
    pub applied: Option<ApplicationStatus>,
}

/// One application as its candidate sees it.
#[derive(Debug, Clone)]
pub struct MyApplicationView {
    pub id: i64,
    pub session_id: i64,
    pub project_name: String,
    pub station_name: String,
    pub first_day: Date,
    pub last_day: Date,
    pub venue: String,
    pub status: ApplicationStatus,
    /// The station's reason of a decline.
    pub reason: String,
    pub applied_at: OffsetDateTime,
    pub decided_at: Option<OffsetDateTime>,
    /// Issue 12: the admission ticket can be printed (plan approved, application confirmed).
    pub ticket_ready: bool,
}

/// One application as the session's station sees it (the ID number masked).
#[derive(Debug, Clone)]
pub struct ApplicationView {
    pub id: i64,
    pub name: String,
    pub id_number_masked: String,
    pub phone: String,
    pub status: ApplicationStatus,
    pub reason: String,
    pub applied_at: OffsetDateTime,
    pub decided_at: Option<OffsetDateTime>,
}

/// Whether a database error is the violation of the unique index on `column`.
fn violates_unique(e: &sea_orm::DbErr, column: &str) -> bool {
    matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(m)) if m.contains(column))
}

/// Whether a candidate account already holds this ID number (blind index): a self-registered one
/// (`candidate_idx`, unique) or one staff made with the number and the `candidate` role.
async fn candidate_account_exists(store: &Store, idx: &str) -> StoreResult<bool> {
    if user::Entity::find().filter(user::Column::CandidateIdx.eq(idx)).one(store.reader()).await?.is_some() {
        return Ok(true);
    }
    let holders: Vec<i64> = user::Entity::find()
        .filter(user::Column::IdNumberIdx.eq(idx))
        .all(store.reader())
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    if holders.is_empty() {
        return Ok(false);
    }
    Ok(user_role::Entity::find()
        .filter(user_role::Column::UserId.is_in(holders))
        .filter(user_role::Column::Role.eq(Role::Candidate))
        .one(store.reader())
        .await?
        .is_some())
}

impl Store {
    /// Issue 12: a person signs up for a `candidate` account with their own ID number (one account per
    /// number). Every bad field is named; the password follows the security policy in force. After
    /// sign-up the person signs in as everyone does.
    pub async fn register_candidate(&self, input: &CandidateSignUpInput, ctx: &Ctx) -> StoreResult<i64> {
        let settings = self.security_settings().await?;
        let s = CandidateSignUp::parse(input, &settings.password_policy(), today()).map_err(StoreError::Invalid)?;
        let idx = self.crypto.blind_index(s.id_number.as_str().as_bytes());
        let mut errs = FieldErrors::new();
        if user::Entity::find()
            .filter(user::Column::Username.eq(s.username.as_str()))
            .one(self.reader())
            .await?
            .is_some()
        {
            errs.push(username_taken());
        }
        if candidate_account_exists(self, &idx).await? {
            errs.push(id_number_registered());
        }
        errs.into_result().map_err(StoreError::Invalid)?;
        // A candidate belongs to no office: the account hangs on the province center, scope their own.
        let home = org::Entity::find()
            .filter(org::Column::Kind.eq(OrgKind::ProvinceCenter))
            .order_by_asc(org::Column::Id)
            .one(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        let hash = hash_password(&s.password).await?;
        let enc = self
            .crypto
            .encrypt(s.id_number.as_str().as_bytes(), b"id_number")
            .map_err(|e| StoreError::service("cipher", e))?;
        let step = self.step_as(s.username.as_str(), ctx).await?;
        let at = now();
        let mut am = user::ActiveModel {
            username: Set(s.username.as_str().to_owned()),
            display_name: Set(s.name.as_str().to_owned()),
            org_id: Set(home.id),
            password_hash: Set(hash),
            must_change_password: Set(false),
            status: Set(UserStatus::Active),
            totp_secret_enc: Set(None),
            totp_enabled: Set(false),
            totp_last_step: Set(None),
            phone: Set(s.phone.as_str().to_owned()),
            id_number_enc: Set(Some(enc)),
            id_number_idx: Set(Some(idx.clone())),
            id_number_masked: Set(Some(s.id_number.masked())),
            candidate_idx: Set(Some(idx)),
            last_login_at: Set(None),
            password_changed_at: Set(at),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        };
        set_scope(&mut am, &DataScope::Person(0));
        // The unique indexes decide a race between two sign-ups.
        let m = match am.insert(&*step).await {
            Ok(m) => m,
            Err(e) if violates_unique(&e, "candidate_idx") => {
                return Err(StoreError::Invalid(id_number_registered().into()));
            }
            Err(e) if violates_unique(&e, "username") => return Err(StoreError::Invalid(username_taken().into())),
            Err(e) => return Err(e.into()),
        };
        replace_roles(&*step, m.id, &[Role::Candidate]).await?;
        step.audit(AuditDraft::new(
            AuditAction::CandidateRegistered,
            m.id,
            json!({ "username": m.username, "roles": [Role::Candidate.id()] }),
        ))
        .await?;
        step.commit().await?;
        Ok(m.id)
    }
}

fn username_taken() -> FieldError {
    FieldError::new("username", "USERNAME_TAKEN", "该用户名已被使用，请换一个")
}
