//! Failed sign-ins (issue 8 item 5). Wrong passwords and wrong second-factor codes are counted per
//! user name *and client address* (`login_throttle`): at the policy's threshold that pair is locked
//! for the policy's duration, so whoever knows a user name can lock the account only for the address
//! they try from — the user, elsewhere, signs in. Every failure also counts for the account across all
//! addresses in an hour's window (`login_account_failures`); past the policy's ceiling the security
//! administrator is alerted once per window (an `auth.failure_ceiling` audit record and a to-do that
//! lifting the lockout closes). The ceiling alerts and locks nothing: a lock of the whole account
//! would hand the lockout back to whoever can send failures from enough addresses.

use super::*;
use crate::entity::login_account_failure;
use crate::workflow::NewEvent;
use domain::org::Role;
use domain::workflow::SubjectKind;

/// The counter of one user name at one client address.
pub(super) async fn pair<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    client: &str,
) -> StoreResult<Option<login_throttle::Model>> {
    Ok(login_throttle::Entity::find_by_id((name.to_string(), client.to_string())).one(conn).await?)
}

/// Forget the failures of one user name at one client address (a complete sign-in from there).
pub(super) async fn forget_pair<C: ConnectionTrait>(conn: &C, name: &str, client: &str) -> StoreResult<()> {
    login_throttle::Entity::delete_by_id((name.to_string(), client.to_string())).exec(conn).await?;
    Ok(())
}

/// Lift every lock of a user name (all addresses), forget its failures and close the security
/// administrator's alert about it (an unlock, a password reset).
pub(crate) async fn forget_all_failures<C: ConnectionTrait>(conn: &C, name: &str) -> StoreResult<()> {
    login_throttle::Entity::delete_many().filter(login_throttle::Column::Username.eq(name)).exec(conn).await?;
    login_account_failure::Entity::delete_by_id(name.to_string()).exec(conn).await?;
    crate::workflow::complete_subject(conn, SubjectKind::Account, name).await
}

/// Until when a pair is locked, if a lock is in force now.
pub(super) fn lock_in_force(throttle: Option<&login_throttle::Model>) -> Option<OffsetDateTime> {
    throttle.and_then(|t| t.locked_until).filter(|until| *until > now())
}

impl Store {
    /// Count one failed attempt of `name` from `ctx.ip`; locks that pair at the policy's threshold,
    /// and counts the failure for the account's ceiling. Answers until when the pair is now locked.
    pub(super) async fn count_failure<C: ConnectionTrait>(
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
            client: Set(ctx.ip.clone()),
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
            let detail = json!({ "minutes": settings.lockout_minutes, "client": ctx.ip });
            append(txn, alg, ctx, AuditDraft::new(AuditAction::AuthAccountLocked, name, detail)).await?;
        }
        self.count_for_account(txn, name, settings, ctx).await?;
        Ok(locked_until)
    }

    /// One more failure of the account from any address, in the current hour's window; at the
    /// ceiling, once per window, the security administrator is alerted.
    async fn count_for_account<C: ConnectionTrait>(
        &self,
        txn: &C,
        name: &str,
        settings: &SecuritySettings,
        ctx: &Ctx,
    ) -> StoreResult<()> {
        let at = now();
        // The row exists from the first failure on; two first failures at once both find it.
        let fresh = login_account_failure::ActiveModel {
            username: Set(name.to_string()),
            window_start: Set(at),
            failed_count: Set(0),
            alerted_at: Set(None),
        };
        login_account_failure::Entity::insert(fresh).on_conflict_do_nothing().exec(txn).await?;
        let row = login_account_failure::Entity::find_by_id(name.to_string())
            .one(txn)
            .await?
            .ok_or_else(|| StoreError::corrupt(format!("login_account_failures {name}"), "row vanished"))?;
        let new_window = row.window_start + Duration::hours(1) <= at;
        let (window_start, count, alerted_at) = if new_window {
            (at, 1, None)
        } else {
            (row.window_start, row.failed_count.saturating_add(1), row.alerted_at)
        };
        let alert = i64::from(count) >= settings.account_failure_ceiling && alerted_at.is_none();
        let mut am = row.into_active_model();
        am.window_start = Set(window_start);
        am.failed_count = Set(count);
        am.alerted_at = Set(if alert { Some(at) } else { alerted_at });
        am.update(txn).await?;
        if !alert {
            return Ok(());
        }
        let detail = json!({ "failures": count, "ceiling": settings.account_failure_ceiling, "since": window_start });
        append(txn, self.hash_alg(), ctx, AuditDraft::new(AuditAction::AuthFailureCeiling, name, detail)).await?;
        let open = crate::entity::workflow_event::Entity::find()
            .filter(crate::entity::workflow_event::Column::SubjectKind.eq(SubjectKind::Account))
            .filter(crate::entity::workflow_event::Column::SubjectId.eq(name))
            .filter(crate::entity::workflow_event::Column::DoneAt.is_null())
            .one(txn)
            .await?;
        if open.is_none() {
            let title = format!(
                "账号 {name} 一小时内登录失败已达 {count} 次（来自多个地址），请核查是否遭受口令猜测，必要时封禁来源地址或重置密码"
            );
            let event = NewEvent {
                title,
                assignee_role: Some(Role::SecurityAdmin),
                ..NewEvent::about(SubjectKind::Account, name)
            };
            crate::workflow::record(txn, "system", event).await?;
        }
        Ok(())
    }

    /// Lift every lock of a user name (all addresses), forget its failures and close the alert
    /// (security or system admin).
    pub async fn unlock_username(&self, p: &Principal, username: &str, ctx: &Ctx) -> StoreResult<()> {
        crate::error::require(p, domain::authz::Action::UnlockUsers)?;
        let name = normalise_username(username);
        let txn = self.db.begin().await?;
        forget_all_failures(&txn, &name).await?;
        append(&txn, self.hash_alg(), ctx, AuditDraft::new(AuditAction::UserUnlocked, &name, json!({}))).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Whether the user name is locked now at some address, and until when (the latest lock).
    pub async fn locked_until(&self, username: &str) -> StoreResult<Option<OffsetDateTime>> {
        let rows = login_throttle::Entity::find()
            .filter(login_throttle::Column::Username.eq(normalise_username(username)))
            .all(self.reader())
            .await?;
        Ok(rows.iter().filter_map(|t| lock_in_force(Some(t))).max())
    }
}
