//! In-process caches of what nearly every request reads and rarely changes (issue 10): who a caller
//! is (roles, organisation, scope) and the policy in force. Each entry remembers the generation number
//! it was read at (table `generations`, one row per `domain::audit::Generation`); the audit writer
//! bumps the numbers a change affects in the change's own transaction ([`bump`], called by
//! `audit::append`, with `AuditAction::changes` naming them), and whoever uses an entry first reads the
//! number in force — the caller's one query reads it beside the session — so an entry never outlives
//! the change that made it stale, on any instance. Sign-out, revocation, disable and the end of
//! sessions on a role change are not cached at all: the caller's query reads the session and user rows
//! themselves.

use crate::entity::policy_version;
use crate::{StoreError, StoreResult};
use domain::audit::Generation;
use domain::calendar::Calendar;
use domain::org::Principal;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, FromQueryResult};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use time::OffsetDateTime;

/// Bump the generations `changed` inside the caller's transaction (the audit writer's step).
pub(crate) async fn bump<C: ConnectionTrait>(conn: &C, changed: &[Generation]) -> StoreResult<()> {
    if changed.is_empty() {
        return Ok(());
    }
    let stmt = Query::update()
        .table("generations")
        .value("value", Expr::col("value").add(1))
        .value("changed_at", crate::now())
        .and_where(Expr::col("name").is_in(changed.iter().map(|g| g.id())))
        .to_owned();
    conn.execute(&stmt).await?;
    Ok(())
}

/// A generation number as read, with the time of the change that set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub value: i64,
    pub changed_at: OffsetDateTime,
}

#[derive(Debug, FromQueryResult)]
struct GenerationRow {
    value: i64,
    changed_at: OffsetDateTime,
}

/// Read the generation `g` (one query on the primary key).
pub(crate) async fn read<C: ConnectionTrait>(conn: &C, g: Generation) -> StoreResult<Stamp> {
    let stmt = Query::select()
        .columns(["value", "changed_at"])
        .from("generations")
        .and_where(Expr::col("name").eq(g.id()))
        .to_owned();
    let row = GenerationRow::find_by_statement(conn.get_database_backend().build(&stmt))
        .one(conn)
        .await?
        .ok_or_else(|| StoreError::corrupt("generations", format!("the row {} is missing", g.id())))?;
    Ok(Stamp { value: row.value, changed_at: row.changed_at })
}

/// The most entries the principal cache holds before it starts over (bounds memory whatever the
/// number of users).
const MAX_PRINCIPALS: usize = 20_000;

/// One value kept under the generation it was read at (the policy versions, the calendar).
#[derive(Debug)]
pub(crate) struct Slot<T>(Mutex<Option<(i64, Arc<T>)>>);

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot(Mutex::new(None))
    }
}

impl<T> Slot<T> {
    /// The value kept at `generation`, or what `load` reads, kept under it. `load` runs after the
    /// caller read the generation, so what it reads is at least as new as the number it is kept under.
    pub(crate) async fn get_or_load<Fut>(&self, generation: i64, load: impl FnOnce() -> Fut) -> StoreResult<Arc<T>>
    where
        Fut: std::future::Future<Output = StoreResult<T>>,
    {
        let kept =
            self.0.lock().ok().and_then(|g| g.as_ref().filter(|(at, _)| *at == generation).map(|(_, v)| v.clone()));
        if let Some(v) = kept {
            return Ok(v);
        }
        let v = Arc::new(load().await?);
        if let Ok(mut g) = self.0.lock() {
            *g = Some((generation, v.clone()));
        }
        Ok(v)
    }
}

/// The caches of one `Store` handle (shared by its clones).
#[derive(Debug, Default)]
pub(crate) struct Caches {
    /// Callers by user id, valid while the accounts generation is the one they were read at.
    principals: Mutex<(i64, HashMap<i64, Arc<Principal>>)>,
    /// Every policy version, at the policy generation.
    pub(crate) policy: Slot<Vec<policy_version::Model>>,
    /// The working-day calendar, at the calendar generation.
    pub(crate) calendar: Slot<Calendar>,
}

impl Caches {
    pub(crate) fn principal(&self, user_id: i64, generation: i64) -> Option<Arc<Principal>> {
        let guard = self.principals.lock().ok()?;
        if guard.0 != generation {
            return None;
        }
        guard.1.get(&user_id).cloned()
    }

    pub(crate) fn keep_principal(&self, generation: i64, p: Arc<Principal>) {
        let Ok(mut guard) = self.principals.lock() else { return };
        if guard.0 != generation || guard.1.len() >= MAX_PRINCIPALS {
            *guard = (generation, HashMap::new());
        }
        guard.1.insert(p.user_id, p);
    }
}
