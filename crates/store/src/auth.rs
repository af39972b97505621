//! Sign-in, lockout and sessions (level-3 security rules): argon2id password hashes; failed sign-ins
//! counted in the database per username — known or not, so an unknown user gets the same answers —
//! and the account locked after the policy's threshold; sessions and API tokens stored hashed in the
//! database so several instances serve the same users; idle and absolute timeouts from the policy.

use crate::audit::{AuditDraft, append};
use domain::audit::AuditAction;
use crate::entity::{login_throttle, session, user, user_role};
use crate::{Ctx, Store, StoreError, StoreResult, now};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use domain::org::{DataScope, Principal, Role};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set, TransactionTrait,
};
use serde_json::json;
use time::{Duration, OffsetDateTime};

/// The security values of the policy in force today.
#[derive(Debug, Clone, Copy)]
pub struct SecuritySettings {
    pub password_min_length: usize,
    pub password_min_classes: usize,
    pub lockout_threshold: i32,
    pub lockout_minutes: i64,
    pub idle_minutes: i64,
    pub absolute_hours: i64,
}

impl SecuritySettings {
    pub fn password_policy(&self) -> domain::password::PasswordPolicy {
        domain::password::PasswordPolicy {
            min_length: self.password_min_length,
            min_classes: self.password_min_classes,
        }
    }
}

pub fn hash_password(password: &str) -> StoreResult<String> {
    let h: PasswordHash =
        Argon2::default().hash_password(password.as_bytes()).map_err(|e| StoreError::Internal(e.to_string()))?;
    Ok(h.to_string())
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash to verify against when the user does not exist, so both paths cost the same time.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("not-a-real-password").unwrap_or_default());

/// Why a sign-in did not succeed. Unknown user and wrong password are one answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginError {
    InvalidCredentials,
    Locked { until: OffsetDateTime },
    Disabled,
}

/// A signed-in user, before the session is created.
#[derive(Debug, Clone)]
pub struct LoginOk {
    pub user_id: i64,
    pub must_change_password: bool,
    pub needs_second_factor: bool,
    pub totp_enabled: bool,
}

/// A new session: the token goes to the client once; only its hash is stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
}

/// A session resolved from its token.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub session_id: i64,
    pub kind: String,
    pub csrf_token: String,
    pub second_factor_pending: bool,
    pub must_change_password: bool,
    pub totp_enabled: bool,
    pub principal: Principal,
}

fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::fill(&mut b);
    hex::encode(b)
}

fn normalise_username(u: &str) -> String {
    u.trim().to_lowercase()
}

impl Store {
    /// Security values in force today (V1: policy, not constants).
    pub async fn security_settings(&self) -> StoreResult<SecuritySettings> {
        use domain::policy::keys::*;
        let v = self
            .policy_ints(&[
                PASSWORD_MIN_LENGTH,
                PASSWORD_MIN_CLASSES,
                LOCKOUT_THRESHOLD,
                LOCKOUT_MINUTES,
                SESSION_IDLE_MINUTES,
                SESSION_ABSOLUTE_HOURS,
            ])
            .await?;
        Ok(SecuritySettings {
            password_min_length: v[0] as usize,
            password_min_classes: v[1] as usize,
            lockout_threshold: v[2] as i32,
            lockout_minutes: v[3],
            idle_minutes: v[4],
            absolute_hours: v[5],
        })
    }

    /// Check a username and password; counts failures and locks per the policy, all audited.
    pub async fn authenticate(
        &self,
        username: &str,
        password: &str,
        ip: &str,
    ) -> StoreResult<Result<LoginOk, LoginError>> {
        let settings = self.security_settings().await?;
        let name = normalise_username(username);
        let ctx = Ctx { actor: name.clone(), ip: ip.to_string() };
        let alg = self.hash_alg();
        let txn = self.db.begin().await?;
        let at = now();
        let throttle = login_throttle::Entity::find_by_id(name.clone()).one(&txn).await?;
        if let Some(t) = &throttle
            && let Some(until) = t.locked_until
            && until > at
        {
            append(&txn, alg, &ctx, AuditDraft::new(AuditAction::AuthLoginRefusedLocked, &name, json!({}))).await?;
            txn.commit().await?;
            return Ok(Err(LoginError::Locked { until }));
        }
        let found = user::Entity::find().filter(user::Column::Username.eq(name.clone())).one(&txn).await?;
        let ok = match &found {
            Some(u) => verify_password(&u.password_hash, password),
            None => {
                verify_password(&DUMMY_HASH, password);
                false
            }
        };
        if !ok {
            let locked =
                self.count_failure(&txn, &name, throttle.as_ref(), &settings, &ctx, AuditAction::AuthLoginFailed).await?;
            txn.commit().await?;
            return Ok(Err(match locked {
                Some(until) => LoginError::Locked { until },
                None => LoginError::InvalidCredentials,
            }));
        }
        let Some(u) = found else { return Err(StoreError::Internal("unreachable: verified without user".into())) };
        if u.status != "active" {
            append(&txn, alg, &ctx, AuditDraft::new(AuditAction::AuthLoginRefusedDisabled, u.id, json!({}))).await?;
            txn.commit().await?;
            return Ok(Err(LoginError::Disabled));
        }
        if throttle.is_some() {
            login_throttle::Entity::delete_by_id(name.clone()).exec(&txn).await?;
        }
        let roles = self.roles_of(&txn, u.id).await?;
        let needs_second_factor = u.totp_enabled || roles.iter().any(|r| r.requires_second_factor());
        let mut am = u.clone().into_active_model();
        am.last_login_at = Set(Some(at));
        am.update(&txn).await?;
        append(
            &txn,
            alg,
            &ctx,
            AuditDraft::new(AuditAction::AuthPasswordOk, u.id, json!({ "second_factor": needs_second_factor })),
        )
        .await?;
        txn.commit().await?;
        Ok(Ok(LoginOk {
            user_id: u.id,
            must_change_password: u.must_change_password,
            needs_second_factor,
            totp_enabled: u.totp_enabled,
        }))
    }

    /// Count one failed attempt for `name`; locks when the policy's threshold is reached.
    async fn count_failure<C: sea_orm::ConnectionTrait>(
        &self,
        txn: &C,
        name: &str,
        throttle: Option<&login_throttle::Model>,
        settings: &SecuritySettings,
        ctx: &Ctx,
        action: AuditAction,
    ) -> StoreResult<Option<OffsetDateTime>> {
        let at = now();
        let alg = self.hash_alg();
        let count = throttle.map(|t| if t.locked_until.is_some() { 0 } else { t.failed_count }).unwrap_or(0) + 1;
        let lock = count >= settings.lockout_threshold;
        let locked_until = lock.then(|| at + Duration::minutes(settings.lockout_minutes));
        let row = login_throttle::ActiveModel {
            username: Set(name.to_string()),
            failed_count: Set(if lock { 0 } else { count }),
            locked_until: Set(locked_until),
            updated_at: Set(at),
        };
        if throttle.is_some() {
            row.update(txn).await?;
        } else {
            row.insert(txn).await?;
        }
        append(txn, alg, ctx, AuditDraft::new(action, name, json!({ "failures": count }))).await?;
        if locked_until.is_some() {
            append(
                txn,
                alg,
                ctx,
                AuditDraft::new(AuditAction::AuthAccountLocked, name, json!({ "minutes": settings.lockout_minutes })),
            )
            .await?;
        }
        Ok(locked_until)
    }

    /// A wrong second-factor code: counted like a wrong password; at the lockout the session ends.
    pub async fn second_factor_failed(
        &self,
        session_id: i64,
        username: &str,
        ctx: &Ctx,
    ) -> StoreResult<Option<OffsetDateTime>> {
        let settings = self.security_settings().await?;
        let name = normalise_username(username);
        let txn = self.db.begin().await?;
        let throttle = login_throttle::Entity::find_by_id(name.clone()).one(&txn).await?;
        let locked =
            self.count_failure(&txn, &name, throttle.as_ref(), &settings, ctx, AuditAction::AuthSecondFactorFailed).await?;
        if locked.is_some()
            && let Some(s) = session::Entity::find_by_id(session_id).one(&txn).await?
        {
            let mut am = s.into_active_model();
            am.revoked_at = Set(Some(now()));
            am.update(&txn).await?;
        }
        txn.commit().await?;
        Ok(locked)
    }

    /// Start a web session (`kind = "web"`) or issue an API token (`kind = "api"`).
    pub async fn create_session(
        &self,
        user_id: i64,
        kind: &str,
        second_factor_pending: bool,
        name: &str,
        ip: &str,
    ) -> StoreResult<NewSession> {
        let settings = self.security_settings().await?;
        let token = random_token();
        let csrf_token = if kind == "web" { random_token() } else { String::new() };
        let at = now();
        let txn = self.db.begin().await?;
        let username = user::Entity::find_by_id(user_id).one(&txn).await?.map(|u| u.username).unwrap_or_default();
        session::ActiveModel {
            token_hash: Set(self.token_hash(&token)),
            kind: Set(kind.to_string()),
            user_id: Set(user_id),
            csrf_token: Set(csrf_token.clone()),
            second_factor_pending: Set(second_factor_pending),
            name: Set(name.to_string()),
            ip: Set(ip.to_string()),
            created_at: Set(at),
            last_seen_at: Set(at),
            expires_at: Set(at + Duration::hours(settings.absolute_hours)),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let action = if kind == "api" { AuditAction::AuthTokenIssued } else { AuditAction::AuthSessionStarted };
        let ctx = Ctx { actor: username, ip: ip.to_string() };
        append(
            &txn,
            self.hash_alg(),
            &ctx,
            AuditDraft::new(action, user_id, json!({ "pending_second_factor": second_factor_pending })),
        )
        .await?;
        txn.commit().await?;
        Ok(NewSession { token, csrf_token })
    }

    fn token_hash(&self, token: &str) -> String {
        self.crypto.hash(token.as_bytes()).to_string()
    }

    /// Resolve a session or API token; `None` when unknown, revoked, idle too long or past its
    /// absolute lifetime. Touches `last_seen_at` at most once a minute.
    pub async fn resolve_session(&self, token: &str, kind: &str) -> StoreResult<Option<SessionInfo>> {
        let settings = self.security_settings().await?;
        let Some(s) = session::Entity::find()
            .filter(session::Column::TokenHash.eq(self.token_hash(token)))
            .filter(session::Column::Kind.eq(kind))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let at = now();
        let idle_expired = kind == "web" && s.last_seen_at + Duration::minutes(settings.idle_minutes) < at;
        if s.revoked_at.is_some() || s.expires_at < at || idle_expired {
            return Ok(None);
        }
        let Some(u) = user::Entity::find_by_id(s.user_id).one(&self.db).await? else { return Ok(None) };
        if u.status != "active" {
            return Ok(None);
        }
        let principal = self.principal_of(&self.db, &u).await?;
        if at - s.last_seen_at > Duration::seconds(60) {
            let mut am = s.clone().into_active_model();
            am.last_seen_at = Set(at);
            am.update(&self.db).await?;
        }
        Ok(Some(SessionInfo {
            session_id: s.id,
            kind: s.kind,
            csrf_token: s.csrf_token,
            second_factor_pending: s.second_factor_pending,
            must_change_password: u.must_change_password,
            totp_enabled: u.totp_enabled,
            principal,
        }))
    }

    /// The second factor was verified: the session becomes a full one.
    pub async fn complete_second_factor(&self, session_id: i64, ctx: &Ctx) -> StoreResult<()> {
        let txn = self.db.begin().await?;
        let s = session::Entity::find_by_id(session_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let user_id = s.user_id;
        let mut am = s.into_active_model();
        am.second_factor_pending = Set(false);
        am.update(&txn).await?;
        append(&txn, self.hash_alg(), ctx, AuditDraft::new(AuditAction::AuthSecondFactorOk, user_id, json!({})))
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Sign out: the session ends on the server.
    pub async fn revoke_session(&self, token: &str, ctx: &Ctx) -> StoreResult<bool> {
        let txn = self.db.begin().await?;
        let Some(s) =
            session::Entity::find().filter(session::Column::TokenHash.eq(self.token_hash(token))).one(&txn).await?
        else {
            return Ok(false);
        };
        if s.revoked_at.is_some() {
            return Ok(false);
        }
        let (user_id, kind) = (s.user_id, s.kind.clone());
        let mut am = s.into_active_model();
        am.revoked_at = Set(Some(now()));
        am.update(&txn).await?;
        let action = if kind == "api" { AuditAction::AuthTokenRevoked } else { AuditAction::AuthLogout };
        append(&txn, self.hash_alg(), ctx, AuditDraft::new(action, user_id, json!({}))).await?;
        txn.commit().await?;
        Ok(true)
    }

    pub(crate) async fn roles_of<C: sea_orm::ConnectionTrait>(&self, conn: &C, user_id: i64) -> StoreResult<Vec<Role>> {
        let mut roles: Vec<Role> = user_role::Entity::find()
            .filter(user_role::Column::UserId.eq(user_id))
            .all(conn)
            .await?
            .into_iter()
            .filter_map(|r| Role::parse(&r.role))
            .collect();
        roles.sort();
        Ok(roles)
    }

    pub(crate) async fn principal_of<C: sea_orm::ConnectionTrait>(
        &self,
        conn: &C,
        u: &user::Model,
    ) -> StoreResult<Principal> {
        let roles = self.roles_of(conn, u.id).await?;
        let org = crate::entity::org::Entity::find_by_id(u.org_id).one(conn).await?.ok_or(StoreError::NotFound)?;
        let scope = match u.scope_kind.as_str() {
            "province" => DataScope::Province,
            "city" => DataScope::City(u.scope_city.clone().unwrap_or_default()),
            "org" => DataScope::Org(u.org_id),
            _ => DataScope::Person(u.id),
        };
        Ok(Principal {
            user_id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            org_id: u.org_id,
            org_name: org.name,
            roles,
            scope,
        })
    }

    /// Change one's own password: checks the current one and the policy; ends the forced change.
    pub async fn change_own_password(&self, p: &Principal, current: &str, new: &str, ctx: &Ctx) -> StoreResult<()> {
        let settings = self.security_settings().await?;
        let u = user::Entity::find_by_id(p.user_id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        let mut errs = domain::FieldErrors::new();
        if !verify_password(&u.password_hash, current) {
            errs.push(domain::FieldError::new("current_password", "PASSWORD_WRONG", "当前密码不正确"));
        }
        if let Err(e) = settings.password_policy().check(new) {
            errs.push(e.for_field("new_password"));
        } else if new == current {
            errs.push(domain::FieldError::new("new_password", "PASSWORD_UNCHANGED", "新密码不能与当前密码相同"));
        }
        errs.into_result()?;
        let hash = hash_password(new)?;
        let txn = self.db.begin().await?;
        let mut am = u.into_active_model();
        am.password_hash = Set(hash);
        am.must_change_password = Set(false);
        am.password_changed_at = Set(now());
        am.updated_at = Set(now());
        am.update(&txn).await?;
        append(&txn, self.hash_alg(), ctx, AuditDraft::new(AuditAction::UserPasswordChanged, p.user_id, json!({})))
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The encrypted TOTP secret of a user (enrolled or being enrolled).
    pub async fn totp_secret(&self, user_id: i64) -> StoreResult<Option<Vec<u8>>> {
        let u = user::Entity::find_by_id(user_id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        match u.totp_secret_enc {
            Some(enc) => Ok(Some(self.crypto.decrypt(&enc, b"totp").map_err(|e| StoreError::Internal(e.to_string()))?)),
            None => Ok(None),
        }
    }

    /// Store a TOTP secret: `enabled = false` while enrolling, true once a code was verified.
    pub async fn set_totp(&self, user_id: i64, secret: &[u8], enabled: bool, ctx: &Ctx) -> StoreResult<()> {
        let txn = self.db.begin().await?;
        let u = user::Entity::find_by_id(user_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let mut am = u.into_active_model();
        am.totp_secret_enc =
            Set(Some(self.crypto.encrypt(secret, b"totp").map_err(|e| StoreError::Internal(e.to_string()))?));
        am.totp_enabled = Set(enabled);
        am.updated_at = Set(now());
        am.update(&txn).await?;
        if enabled {
            append(&txn, self.hash_alg(), ctx, AuditDraft::new(AuditAction::UserTotpEnrolled, user_id, json!({})))
                .await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Mark a user's password as chosen by them (demo accounts only; real accounts change it at first
    /// sign-in).
    pub async fn mark_password_current(&self, user_id: i64) -> StoreResult<()> {
        let stmt = sea_orm::sea_query::Query::update()
            .table("users")
            .value("must_change_password", false)
            .and_where(Expr::col("id").eq(user_id))
            .to_owned();
        self.db.execute(&stmt).await?;
        Ok(())
    }

    /// How many user accounts exist (the first start creates the administrator).
    pub async fn user_count(&self) -> StoreResult<u64> {
        use sea_orm::PaginatorTrait;
        Ok(user::Entity::find().count(&self.db).await?)
    }

    /// Accept a TOTP time step once: a code seen before (replay) is refused (RFC 6238 §5.2).
    pub async fn accept_totp_step(&self, user_id: i64, step: i64) -> StoreResult<bool> {
        let stmt = sea_orm::sea_query::Query::update()
            .table("users")
            .value("totp_last_step", step)
            .and_where(Expr::col("id").eq(user_id))
            .and_where(Expr::col("totp_last_step").is_null().or(Expr::col("totp_last_step").lt(step)))
            .to_owned();
        Ok(self.db.execute(&stmt).await?.rows_affected() == 1)
    }

    /// Remove a user's second factor (lost phone): the next sign-in enrols a new one where required.
    pub async fn reset_totp(&self, p: &Principal, user_id: i64, ctx: &Ctx) -> StoreResult<()> {
        let txn = self.db.begin().await?;
        let (u, _) = self.user_in_scope(&txn, p, user_id).await?;
        crate::error::require(p, domain::authz::Action::UnlockUsers)?;
        let mut am = u.into_active_model();
        am.totp_secret_enc = Set(None);
        am.totp_enabled = Set(false);
        am.totp_last_step = Set(None);
        am.updated_at = Set(now());
        am.update(&txn).await?;
        append(&txn, self.hash_alg(), ctx, AuditDraft::new(AuditAction::UserTotpReset, user_id, json!({}))).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Lift a lockout (security or system admin).
    pub async fn unlock_username(&self, p: &Principal, username: &str, ctx: &Ctx) -> StoreResult<()> {
        crate::error::require(p, domain::authz::Action::UnlockUsers)?;
        let name = normalise_username(username);
        let txn = self.db.begin().await?;
        login_throttle::Entity::delete_by_id(name.clone()).exec(&txn).await?;
        append(&txn, self.hash_alg(), ctx, AuditDraft::new(AuditAction::UserUnlocked, &name, json!({}))).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Whether the username is locked now, and until when.
    pub async fn locked_until(&self, username: &str) -> StoreResult<Option<OffsetDateTime>> {
        let t = login_throttle::Entity::find_by_id(normalise_username(username)).one(&self.db).await?;
        Ok(t.and_then(|t| t.locked_until).filter(|u| *u > now()))
    }
}
