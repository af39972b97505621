//! The second factor (TOTP) of a sign-in: one check for the page and the API, one failure counter and
//! lockout for both doors (issue 8 item 1), each time step accepted once (RFC 6238 §5.2), the secret
//! sealed with the deployment's cipher, and its reset by the security administrator ending every session.

use super::*;

impl Store {
    /// One attempt at the second factor of `user_id`, through the page (`session_id`, a pending web
    /// session) or the API (no session yet). `step` is the TOTP time step the code matched, if it
    /// matched one. One transaction: a locked account is refused even with the right code; a new step
    /// is accepted once (RFC 6238 §5.2), forgets the failures and completes the session; anything else
    /// counts as a failure in the same counter as wrong passwords (`login_throttle`, per user name and
    /// client address), and at the
    /// lockout the session ends. Audited either way.
    pub async fn second_factor_attempt(
        &self,
        user_id: i64,
        session_id: Option<i64>,
        step: Option<u64>,
        ctx: &Ctx,
    ) -> StoreResult<SecondFactorOutcome> {
        let settings = self.security_settings().await?;
        let txn = self.db.begin().await?;
        let u = crate::users::user_by_id(&txn, user_id).await?;
        let name = normalise_username(&u.username);
        let throttle = pair(&txn, &name, &ctx.ip).await?;
        if let Some(until) = lock_in_force(throttle.as_ref()) {
            if let Some(id) = session_id {
                end_session(&txn, id).await?;
            }
            let draft = AuditDraft::new(AuditAction::AuthLoginRefusedLocked, &name, json!({ "second_factor": true }));
            append(&txn, self.hash_alg(), ctx, draft).await?;
            txn.commit().await?;
            return Ok(SecondFactorOutcome::Locked { until });
        }
        let accepted = match step.and_then(|s| i64::try_from(s).ok()) {
            Some(step) => claim_totp_step(&txn, user_id, step).await?,
            None => false,
        };
        if accepted {
            if throttle.is_some() {
                forget_pair(&txn, &name, &ctx.ip).await?;
            }
            if let Some(id) = session_id {
                mark_second_factor_done(&txn, id).await?;
            }
            append(&txn, self.hash_alg(), ctx, AuditDraft::new(AuditAction::AuthSecondFactorOk, user_id, json!({})))
                .await?;
            txn.commit().await?;
            return Ok(SecondFactorOutcome::Passed);
        }
        let locked = self
            .count_failure(&txn, &name, throttle.as_ref(), &settings, ctx, AuditAction::AuthSecondFactorFailed)
            .await?;
        if locked.is_some()
            && let Some(id) = session_id
        {
            end_session(&txn, id).await?;
        }
        txn.commit().await?;
        Ok(match locked {
            Some(until) => SecondFactorOutcome::Locked { until },
            None => SecondFactorOutcome::Failed,
        })
    }

    /// The second factor was enrolled and verified in this session (`set_totp` after a code was
    /// accepted): the session becomes a full one and the failures counted so far are forgotten.
    pub async fn complete_second_factor(&self, session_id: i64, ctx: &Ctx) -> StoreResult<()> {
        let txn = self.db.begin().await?;
        let s = session::Entity::find_by_id(session_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let user_id = s.user_id;
        mark_second_factor_done(&txn, session_id).await?;
        if let Some(u) = user::Entity::find_by_id(user_id).one(&txn).await? {
            forget_pair(&txn, &normalise_username(&u.username), &ctx.ip).await?;
        }
        append(&txn, self.hash_alg(), ctx, AuditDraft::new(AuditAction::AuthSecondFactorOk, user_id, json!({})))
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The TOTP secret of a user (enrolled or being enrolled), decrypted.
    pub async fn totp_secret(&self, user_id: i64) -> StoreResult<Option<Vec<u8>>> {
        let u = crate::users::user_by_id(self.reader(), user_id).await?;
        u.totp_secret_enc
            .map(|enc| {
                self.crypto
                    .decrypt(&enc, b"totp")
                    .map_err(|e| StoreError::corrupt(format!("user {user_id} TOTP secret"), e))
            })
            .transpose()
    }

    /// Store a TOTP secret: `enabled = false` while enrolling, true once a code was verified.
    pub async fn set_totp(&self, user_id: i64, secret: &[u8], enabled: bool, ctx: &Ctx) -> StoreResult<()> {
        let secret = self.crypto.encrypt(secret, b"totp").map_err(|e| StoreError::service("cipher", e))?;
        let txn = self.db.begin().await?;
        let u = crate::users::user_by_id(&txn, user_id).await?;
        let mut am = u.into_active_model();
        am.totp_secret_enc = Set(Some(secret));
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

    /// Accept a TOTP time step once: a code seen before (replay) is refused (RFC 6238 §5.2).
    pub async fn accept_totp_step(&self, user_id: i64, step: i64) -> StoreResult<bool> {
        claim_totp_step(&self.db, user_id, step).await
    }

    /// Remove a user's second factor (lost phone): the next sign-in enrols a new one where required.
    /// Every session and token of the user ends in the same step (issue 8 item 2).
    pub async fn reset_totp(&self, p: &Principal, user_id: i64, ctx: &Ctx) -> StoreResult<()> {
        let step = self.step(p, ctx).await?;
        let (u, _) = self.user_in_scope(&*step, p, user_id).await?;
        crate::error::require(p, domain::authz::Action::UnlockUsers)?;
        let mut am = u.into_active_model();
        am.totp_secret_enc = Set(None);
        am.totp_enabled = Set(false);
        am.totp_last_step = Set(None);
        am.updated_at = Set(now());
        am.update(&*step).await?;
        let ended = end_sessions_of(&*step, user_id).await?;
        step.audit(AuditDraft::new(AuditAction::UserTotpReset, user_id, json!({ "sessions_ended": ended }))).await?;
        step.commit().await
    }
}

/// The session's second factor was completed: no longer pending, and done for `*_admin` roles.
async fn mark_second_factor_done<C: ConnectionTrait>(conn: &C, session_id: i64) -> StoreResult<()> {
    session::Entity::update_many()
        .col_expr(session::Column::SecondFactorPending, Expr::value(false))
        .col_expr(session::Column::SecondFactorDone, Expr::value(true))
        .filter(session::Column::Id.eq(session_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Take TOTP time step `step` for the user unless it (or a later one) was taken before: each code is
/// accepted at most once (RFC 6238 §5.2). `true` when this call took it.
async fn claim_totp_step<C: sea_orm::ConnectionTrait>(conn: &C, user_id: i64, step: i64) -> StoreResult<bool> {
    let stmt = sea_orm::sea_query::Query::update()
        .table("users")
        .value("totp_last_step", step)
        .and_where(Expr::col("id").eq(user_id))
        .and_where(Expr::col("totp_last_step").is_null().or(Expr::col("totp_last_step").lt(step)))
        .to_owned();
    Ok(conn.execute(&stmt).await?.rows_affected() == 1)
}
