//! Sign-in, lockout and sessions (level-3 security rules): argon2id password hashes, made and checked
//! off the runtime and outside any transaction ([`password`]); failed sign-ins counted in the
//! database per username — known or not, so an unknown user gets the same answers — and client
//! address, that pair locked after the policy's threshold, the account's failures from every address
//! alerting the security administrator past a ceiling ([`throttle`]); sessions and API tokens stored hashed in the database so
//! several instances serve the same users; idle and absolute timeouts from the policy.

use crate::audit::{AuditDraft, append};
use crate::entity::{login_throttle, session, user};
use crate::{Ctx, Store, StoreError, StoreResult, now};
use domain::audit::AuditAction;
use domain::org::{Principal, SessionKind, UserStatus};
pub use flash::Flash;
pub use password::{hash_password, verify_password};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel, QueryFilter, Set,
    TransactionTrait,
};
use serde_json::json;
use time::{Duration, OffsetDateTime};

mod flash;
pub mod password;
mod second_factor;
mod throttle;

pub(crate) use throttle::forget_all_failures;
use throttle::{forget_pair, lock_in_force, pair};

/// The security values of the policy in force today.
#[derive(Debug, Clone, Copy)]
pub struct SecuritySettings {
    pub password_min_length: usize,
    pub password_min_classes: usize,
    pub lockout_threshold: i32,
    pub lockout_minutes: i64,
    pub idle_minutes: i64,
    pub absolute_hours: i64,
    /// Failed sign-ins of one account from every address in an hour that alert the security
    /// administrator (issue 8 item 5).
    pub account_failure_ceiling: i64,
}

impl SecuritySettings {
    pub fn password_policy(&self) -> domain::password::PasswordPolicy {
        domain::password::PasswordPolicy {
            min_length: self.password_min_length,
            min_classes: self.password_min_classes,
        }
    }
}

/// One rate limit of the policy: requests per minute and burst, per client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateQuota {
    pub per_minute: u32,
    pub burst: u32,
}

/// The rate limits in force today (issue 8 item 5), by class of request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitValues {
    pub sign_in: RateQuota,
    pub token: RateQuota,
    pub public: RateQuota,
    pub api: RateQuota,
    /// The public certificate query (C2), page and API together.
    pub certificate_query: RateQuota,
}

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

/// Where a new session stands with the second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactor {
    /// Asked for and not given yet: the session serves only the second-factor and enrolment pages.
    Pending,
    /// Given (a TOTP code was accepted for this session or token).
    Done,
    /// Not asked for (a user with neither an `*_admin` role nor an enrolled TOTP).
    NotAsked,
}

/// The outcome of one attempt at the second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactorOutcome {
    /// The code was right and new: failures are forgotten, the session (if any) is complete.
    Passed,
    /// Wrong (or replayed) code, counted like a wrong password.
    Failed,
    /// The account is locked (by this failure or before it): the session (if any) has ended.
    Locked { until: OffsetDateTime },
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
    pub kind: SessionKind,
    pub csrf_token: String,
    pub second_factor_pending: bool,
    pub must_change_password: bool,
    pub totp_enabled: bool,
    pub principal: Principal,
    /// The session's one-time message waiting for its next page (web sessions; see [`Flash`]).
    pub flash: Option<Flash>,
    /// Every generation as the caller's query read it: the request runs inside
    /// [`crate::cache::with_seen`] with these, so its cached reads need no query of their own.
    pub seen: crate::cache::Seen,
}

/// What resolving a caller reads in its one query: the session, its user's row, and every generation
/// (the caches of callers and policy are checked against theirs; the rest serve the request).
#[derive(Debug, sea_orm::FromQueryResult)]
struct CallerRow {
    session_id: i64,
    csrf_token: String,
    second_factor_pending: bool,
    second_factor_done: bool,
    last_seen_at: OffsetDateTime,
    expires_at: OffsetDateTime,
    revoked_at: Option<OffsetDateTime>,
    flash: Option<String>,
    user_id: i64,
    /// Read as text and parsed here, so a stored status that names nothing is an error naming the user.
    status: String,
    must_change_password: bool,
    totp_enabled: bool,
    /// How many roles that need a second factor the user holds now, read from `user_roles` itself: the
    /// second-factor rule (issue 8 item 2) never waits for a cache, even for a role granted past kaohe.
    admin_roles: i64,
    accounts_generation: i64,
    policy_generation: i64,
    calendar_generation: i64,
    public_generation: i64,
    filings_generation: i64,
    projects_generation: i64,
}

impl CallerRow {
    /// Every generation as this query read it (an exhaustive match: a new generation is read here).
    fn seen(&self) -> crate::cache::Seen {
        use domain::audit::Generation::*;
        crate::cache::Seen::of(|g| match g {
            Accounts => self.accounts_generation,
            Policy => self.policy_generation,
            Calendar => self.calendar_generation,
            Public => self.public_generation,
            Filings => self.filings_generation,
            Projects => self.projects_generation,
        })
    }
}

impl CallerRow {
    async fn find<C: ConnectionTrait>(conn: &C, token_hash: &str, kind: SessionKind) -> StoreResult<Option<Self>> {
        let backend = conn.get_database_backend();
        let (p1, p2) = match backend {
            sea_orm::DbBackend::Postgres => ("$1", "$2"),
            _ => ("?", "?"),
        };
        let generation = |g: domain::audit::Generation| {
            format!("COALESCE((SELECT value FROM generations WHERE name = '{}'), 0)", g.id())
        };
        let admin_roles: Vec<String> = domain::org::Role::ALL
            .iter()
            .filter(|r| r.requires_second_factor())
            .map(|r| format!("'{}'", r.id()))
            .collect();
        let sql = format!(
            "SELECT s.id AS session_id, s.csrf_token, s.second_factor_pending, s.second_factor_done, \
             s.last_seen_at, s.expires_at, s.revoked_at, s.flash, u.id AS user_id, u.status, \
             u.must_change_password, u.totp_enabled, \
             (SELECT COUNT(*) FROM user_roles r WHERE r.user_id = u.id AND r.role IN ({})) AS admin_roles, \
             {} AS accounts_generation, {} AS policy_generation, {} AS calendar_generation, \
             {} AS public_generation, {} AS filings_generation, {} AS projects_generation \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = {p1} AND s.kind = {p2}",
            admin_roles.join(", "),
            generation(domain::audit::Generation::Accounts),
            generation(domain::audit::Generation::Policy),
            generation(domain::audit::Generation::Calendar),
            generation(domain::audit::Generation::Public),
            generation(domain::audit::Generation::Filings),
            generation(domain::audit::Generation::Projects),
        );
        let stmt = sea_orm::Statement::from_sql_and_values(backend, sql, [token_hash.into(), kind.id().into()]);
        Ok(CallerRow::find_by_statement(stmt).one(conn).await?)
    }
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
    /// Security values in force today (V1: policy, not constants), from the policy cache once its
    /// generation is read (`cache`).
    pub async fn security_settings(&self) -> StoreResult<SecuritySettings> {
        let generation = crate::cache::current(self.reader(), domain::audit::Generation::Policy).await?;
        self.security_settings_at(generation).await
    }

    /// [`Store::security_settings`] at a policy generation already read (resolving a caller reads it
    /// in its one query).
    async fn security_settings_at(&self, policy_generation: i64) -> StoreResult<SecuritySettings> {
        use domain::policy::keys::*;
        let v = self
            .policy_today_at(
                policy_generation,
                &[
                    PASSWORD_MIN_LENGTH,
                    PASSWORD_MIN_CLASSES,
                    LOCKOUT_THRESHOLD,
                    LOCKOUT_MINUTES,
                    SESSION_IDLE_MINUTES,
                    SESSION_ABSOLUTE_HOURS,
                    ACCOUNT_FAILURE_CEILING,
                ],
            )
            .await?;
        Ok(SecuritySettings {
            password_min_length: v.parsed(PASSWORD_MIN_LENGTH)?,
            password_min_classes: v.parsed(PASSWORD_MIN_CLASSES)?,
            lockout_threshold: v.parsed(LOCKOUT_THRESHOLD)?,
            lockout_minutes: v.parsed(LOCKOUT_MINUTES)?,
            idle_minutes: v.parsed(SESSION_IDLE_MINUTES)?,
            absolute_hours: v.parsed(SESSION_ABSOLUTE_HOURS)?,
            account_failure_ceiling: v.parsed(ACCOUNT_FAILURE_CEILING)?,
        })
    }

    /// The rate limits in force today, in one query.
    pub async fn rate_limit_values(&self) -> StoreResult<RateLimitValues> {
        use domain::policy::keys::*;
        let v = self
            .policy_today(&[
                RATE_SIGN_IN_PER_MINUTE,
                RATE_SIGN_IN_BURST,
                RATE_TOKEN_PER_MINUTE,
                RATE_TOKEN_BURST,
                RATE_PUBLIC_PER_MINUTE,
                RATE_PUBLIC_BURST,
                RATE_API_PER_MINUTE,
                RATE_API_BURST,
                RATE_CERTIFICATE_QUERY_PER_MINUTE,
                RATE_CERTIFICATE_QUERY_BURST,
            ])
            .await?;
        let quota = |per_minute: &str, burst: &str| -> StoreResult<RateQuota> {
            Ok(RateQuota { per_minute: v.parsed(per_minute)?, burst: v.parsed(burst)? })
        };
        Ok(RateLimitValues {
            sign_in: quota(RATE_SIGN_IN_PER_MINUTE, RATE_SIGN_IN_BURST)?,
            token: quota(RATE_TOKEN_PER_MINUTE, RATE_TOKEN_BURST)?,
            public: quota(RATE_PUBLIC_PER_MINUTE, RATE_PUBLIC_BURST)?,
            api: quota(RATE_API_PER_MINUTE, RATE_API_BURST)?,
            certificate_query: quota(RATE_CERTIFICATE_QUERY_PER_MINUTE, RATE_CERTIFICATE_QUERY_BURST)?,
        })
    }

    /// Check a username and password; counts failures and locks per the policy, all audited. The
    /// password is verified off the runtime with no connection held: the transaction that records the
    /// outcome opens only afterwards (on SQLite every other request would wait for the hash).
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
        // A name locked at this address is refused without hashing.
        let throttle = pair(self.reader(), &name, ip).await?;
        if let Some(until) = lock_in_force(throttle.as_ref()) {
            return self.refuse_locked(self.db.begin().await?, &ctx, until).await;
        }
        let found = user::Entity::find()
            .filter(user::Column::Username.eq(name.clone()))
            .one(self.reader())
            .await
            .map_err(StoreError::reading(format!("user {name}")))?;
        let verified = match found {
            Some(u) if verify_password(&format!("user {}", u.id), Some(&u.password_hash), password).await? => Some(u),
            Some(_) => None,
            None => {
                // The same cost as a real check, so the answer's timing does not tell who exists.
                verify_password(&format!("user {name}"), None, password).await?;
                None
            }
        };
        let txn = self.db.begin().await?;
        // Read again: failures counted while this password was being checked count too.
        let throttle = pair(&txn, &name, ip).await?;
        if let Some(until) = lock_in_force(throttle.as_ref()) {
            return self.refuse_locked(txn, &ctx, until).await;
        }
        let Some(u) = verified else {
            let locked = self
                .count_failure(&txn, &name, throttle.as_ref(), &settings, &ctx, AuditAction::AuthLoginFailed)
                .await?;
            txn.commit().await?;
            return Ok(Err(match locked {
                Some(until) => LoginError::Locked { until },
                None => LoginError::InvalidCredentials,
            }));
        };
        if u.status != UserStatus::Active {
            append(&txn, alg, &ctx, AuditDraft::new(AuditAction::AuthLoginRefusedDisabled, u.id, json!({}))).await?;
            txn.commit().await?;
            return Ok(Err(LoginError::Disabled));
        }
        let roles = self.roles_of(&txn, u.id).await?;
        let needs_second_factor = u.totp_enabled || roles.iter().any(|r| r.requires_second_factor());
        // The failures are forgotten only once the sign-in is complete: while a second factor is
        // outstanding they stay, so wrong codes add up with them (issue 8 item 1: one counter for the
        // page and the API, never reset by the right password alone).
        if throttle.is_some() && !needs_second_factor {
            forget_pair(&txn, &name, ip).await?;
        }
        let mut am = u.clone().into_active_model();
        am.last_login_at = Set(Some(now()));
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

    /// A sign-in while the name is locked: refused and audited, the password never checked.
    async fn refuse_locked(
        &self,
        txn: sea_orm::DatabaseTransaction,
        ctx: &Ctx,
        until: OffsetDateTime,
    ) -> StoreResult<Result<LoginOk, LoginError>> {
        let draft = AuditDraft::new(AuditAction::AuthLoginRefusedLocked, &ctx.actor, json!({}));
        append(&txn, self.hash_alg(), ctx, draft).await?;
        txn.commit().await?;
        Ok(Err(LoginError::Locked { until }))
    }

    /// Start a web session or issue an API token.
    pub async fn create_session(
        &self,
        user_id: i64,
        kind: SessionKind,
        second_factor: SecondFactor,
        name: &str,
        ip: &str,
    ) -> StoreResult<NewSession> {
        let second_factor_pending = second_factor == SecondFactor::Pending;
        let settings = self.security_settings().await?;
        let token = random_token();
        let csrf_token = match kind {
            SessionKind::Web => random_token(),
            SessionKind::Api => String::new(),
        };
        let at = now();
        let txn = self.db.begin().await?;
        let username = crate::users::user_by_id(&txn, user_id).await?.username;
        session::ActiveModel {
            token_hash: Set(self.token_hash(&token)),
            kind: Set(kind),
            user_id: Set(user_id),
            csrf_token: Set(csrf_token.clone()),
            second_factor_pending: Set(second_factor_pending),
            second_factor_done: Set(second_factor == SecondFactor::Done),
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
        let action = match kind {
            SessionKind::Api => AuditAction::AuthTokenIssued,
            SessionKind::Web => AuditAction::AuthSessionStarted,
        };
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

    /// Resolve a session or API token; `None` when unknown, revoked, idle too long (web sessions) or
    /// past its absolute lifetime. Touches `last_seen_at` at most once a minute. Whatever the session
    /// says, a user who holds an `*_admin` role now needs a second factor completed in this session
    /// (issue 8 item 2): a web session without one is pending again (its pages lead to the second
    /// factor), an API token without one is no token (`None`, 401).
    ///
    /// One indexed query (issue 10): the session, its user's row and the generations of accounts and
    /// policy, read together on a reader; the caller's roles, organisation and scope and the security
    /// policy come from this handle's caches while those generations stand (`cache`). Sign-out,
    /// revocation and disable are read from the rows themselves, so they hold at the next request on
    /// every instance; a role change ends the user's sessions and bumps the accounts generation.
    pub async fn resolve_session(&self, token: &str, kind: SessionKind) -> StoreResult<Option<SessionInfo>> {
        let Some(s) = CallerRow::find(self.reader(), &self.token_hash(token), kind).await? else {
            return Ok(None);
        };
        let settings = self.security_settings_at(s.policy_generation).await?;
        let at = now();
        let idle_expired = match kind {
            SessionKind::Web => s.last_seen_at + Duration::minutes(settings.idle_minutes) < at,
            SessionKind::Api => false,
        };
        let status: UserStatus = s.status.parse().map_err(|e| StoreError::corrupt(format!("user {}", s.user_id), e))?;
        if s.revoked_at.is_some() || s.expires_at < at || idle_expired || status != UserStatus::Active {
            return Ok(None);
        }
        let principal = self
            .caches
            .principals
            .get_or_load(s.accounts_generation, s.user_id, || async {
                let u = crate::users::user_by_id(self.reader(), s.user_id).await?;
                self.principal_of(self.reader(), &u).await
            })
            .await?;
        let admin_without_second_factor = s.admin_roles > 0 && !s.second_factor_done;
        if kind == SessionKind::Api && (s.second_factor_pending || admin_without_second_factor) {
            return Ok(None);
        }
        if at - s.last_seen_at > Duration::seconds(60) {
            session::Entity::update_many()
                .col_expr(session::Column::LastSeenAt, Expr::value(at))
                .filter(session::Column::Id.eq(s.session_id))
                .exec(&self.db)
                .await?;
        }
        let seen = s.seen();
        Ok(Some(SessionInfo {
            session_id: s.session_id,
            kind,
            csrf_token: s.csrf_token,
            second_factor_pending: s.second_factor_pending || admin_without_second_factor,
            must_change_password: s.must_change_password,
            totp_enabled: s.totp_enabled,
            principal: (*principal).clone(),
            flash: s.flash.as_deref().and_then(Flash::parse),
            seen,
        }))
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
        let (user_id, kind) = (s.user_id, s.kind);
        let mut am = s.into_active_model();
        am.revoked_at = Set(Some(now()));
        am.update(&txn).await?;
        let action = match kind {
            SessionKind::Api => AuditAction::AuthTokenRevoked,
            SessionKind::Web => AuditAction::AuthLogout,
        };
        append(&txn, self.hash_alg(), ctx, AuditDraft::new(action, user_id, json!({}))).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Change one's own password: checks the current one and the policy; ends the forced change. Both
    /// the check and the new hash run off the runtime, before the transaction opens.
    pub async fn change_own_password(&self, p: &Principal, current: &str, new: &str, ctx: &Ctx) -> StoreResult<()> {
        self.change_password_of(p.user_id, current, new, ctx).await
    }

    /// [`Store::change_own_password`] for a user who signed in with `current` without a session (the
    /// API's `POST /api/v1/auth/password`, after [`Store::authenticate`] and the second factor).
    pub async fn change_password_of(&self, user_id: i64, current: &str, new: &str, ctx: &Ctx) -> StoreResult<()> {
        let settings = self.security_settings().await?;
        let u = crate::users::user_by_id(self.reader(), user_id).await?;
        let mut errs = domain::FieldErrors::new();
        if !verify_password(&format!("user {}", u.id), Some(&u.password_hash), current).await? {
            errs.push(domain::FieldError::new("current_password", "PASSWORD_WRONG", "当前密码不正确"));
        }
        if let Err(e) = settings.password_policy().check(new) {
            errs.push(e.for_field("new_password"));
        } else if new == current {
            errs.push(domain::FieldError::new("new_password", "PASSWORD_UNCHANGED", "新密码不能与当前密码相同"));
        }
        errs.into_result()?;
        let hash = hash_password(new).await?;
        let txn = self.db.begin().await?;
        let mut am = u.into_active_model();
        am.password_hash = Set(hash);
        am.must_change_password = Set(false);
        am.password_changed_at = Set(now());
        am.updated_at = Set(now());
        am.update(&txn).await?;
        append(&txn, self.hash_alg(), ctx, AuditDraft::new(AuditAction::UserPasswordChanged, user_id, json!({})))
            .await?;
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
        Ok(user::Entity::find().count(self.reader()).await?)
    }
}

/// End one session (revoked now).
async fn end_session<C: ConnectionTrait>(conn: &C, session_id: i64) -> StoreResult<()> {
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now()))
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// End every session and API token of a user, inside the step that changed the facts they were
/// granted on (roles, status, password, second factor); how many were still live.
pub(crate) async fn end_sessions_of<C: ConnectionTrait>(conn: &C, user_id: i64) -> StoreResult<u64> {
    let r = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now()))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(r.rows_affected)
}
