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
    forget(changed);
    let stmt = Query::update()
        .table("generations")
        .value("value", Expr::col("value").add(1))
        .value("changed_at", crate::now())
        .and_where(Expr::col("name").is_in(changed.iter().map(|g| g.id())))
        .to_owned();
    conn.execute(&stmt).await?;
    Ok(())
}

/// The generation numbers as the caller's one query read them at the start of a request
/// (`Store::resolve_session`): a cache user in the same request takes its number from here instead of
/// a query of its own ([`current`]). The web middleware runs the request inside [`with_seen`]; outside
/// one (the CLI, background work, a spawned task) nothing is seen and the number is read. A change
/// made in the request forgets what it bumps ([`bump`]), so the request reads its own changes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Seen([Option<i64>; SEEN_SLOTS]);

const SEEN_SLOTS: usize = 8;
const _: () = assert!(Generation::ALL.len() <= SEEN_SLOTS, "Seen holds every generation");

fn slot(g: Generation) -> usize {
    Generation::ALL.iter().position(|x| *x == g).unwrap_or(SEEN_SLOTS - 1)
}

impl Seen {
    /// The generations read by one query, each by its name.
    pub fn of(read: impl Fn(Generation) -> i64) -> Self {
        let mut s = Seen::default();
        for g in Generation::ALL {
            s.0[slot(*g)] = Some(read(*g));
        }
        s
    }

    pub fn get(&self, g: Generation) -> Option<i64> {
        self.0[slot(g)]
    }
}

tokio::task_local! {
    static SEEN: std::cell::Cell<Seen>;
}

/// Run `f` (the rest of a request) with the generations its caller's query read.
pub async fn with_seen<F: std::future::Future>(seen: Seen, f: F) -> F::Output {
    SEEN.scope(std::cell::Cell::new(seen), f).await
}

/// The number of `g` in force for this request: as seen at its start, else read now.
pub(crate) async fn current<C: ConnectionTrait>(conn: &C, g: Generation) -> StoreResult<i64> {
    match SEEN.try_with(|c| c.get().get(g)).ok().flatten() {
        Some(v) => Ok(v),
        None => Ok(read(conn, g).await?.value),
    }
}

/// Forget what this request saw of `changed`: it changed them.
fn forget(changed: &[Generation]) {
    let _ = SEEN.try_with(|c| {
        let mut s = c.get();
        for g in changed {
            s.0[slot(*g)] = None;
        }
        c.set(s);
    });
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

/// Values by key, all kept under one generation: a new generation starts the map over, and so does a
/// full one (bounded memory whatever the number of keys).
#[derive(Debug)]
pub(crate) struct Keyed<K, V> {
    max: usize,
    map: Mutex<(i64, HashMap<K, Arc<V>>)>,
}

impl<K: Eq + std::hash::Hash, V> Keyed<K, V> {
    pub(crate) fn new(max: usize) -> Self {
        Keyed { max, map: Mutex::new((0, HashMap::new())) }
    }

    /// The value kept for `key` at `generation`.
    pub(crate) fn get(&self, generation: i64, key: &K) -> Option<Arc<V>> {
        let guard = self.map.lock().ok()?;
        if guard.0 != generation {
            return None;
        }
        guard.1.get(key).cloned()
    }

    /// Keep `value` for `key` at `generation` (read after the generation was, as in [`Slot`]).
    pub(crate) fn keep(&self, generation: i64, key: K, value: Arc<V>) {
        let Ok(mut guard) = self.map.lock() else { return };
        if guard.0 != generation || guard.1.len() >= self.max {
            *guard = (generation, HashMap::new());
        }
        guard.1.insert(key, value);
    }

    /// The value kept for `key` at `generation`, or what `load` reads, kept under it.
    pub(crate) async fn get_or_load<Fut>(
        &self,
        generation: i64,
        key: K,
        load: impl FnOnce() -> Fut,
    ) -> StoreResult<Arc<V>>
    where
        Fut: std::future::Future<Output = StoreResult<V>>,
    {
        if let Some(v) = self.get(generation, &key) {
            return Ok(v);
        }
        let v = Arc::new(load().await?);
        self.keep(generation, key, v.clone());
        Ok(v)
    }
}

/// What a page of the filing list depends on besides the filings themselves: the scope it is cut to,
/// its filters and its window.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ListKey {
    pub(crate) scope: domain::org::DataScope,
    pub(crate) filters: Vec<Option<String>>,
    pub(crate) page: u64,
    pub(crate) per_page: u64,
}

impl ListKey {
    /// The key of a page that `p` reads with `filters` (each filter as its text, `None` when unset).
    pub(crate) fn new(p: &Principal, filters: Vec<Option<String>>, page: crate::PageReq) -> Self {
        ListKey { scope: p.scope.clone(), filters, page: page.page, per_page: page.per_page }
    }
}

/// A page of a staff list: kept in `cache` under the generation `g` its area's steps bump, else what
/// `load` reads (issue 10). Exports — more than [`crate::PageReq::MAX_PER_PAGE`] rows — are read and
/// never kept. The key must hold everything the page depends on besides the rows: scope and filters.
pub(crate) async fn kept_page<T, C, Fut>(
    conn: &C,
    cache: &Keyed<ListKey, crate::Page<T>>,
    g: Generation,
    key: ListKey,
    load: impl FnOnce() -> Fut,
) -> StoreResult<crate::Page<T>>
where
    T: Clone,
    C: ConnectionTrait,
    Fut: std::future::Future<Output = StoreResult<crate::Page<T>>>,
{
    if key.per_page > crate::PageReq::MAX_PER_PAGE {
        return load().await;
    }
    let generation = current(conn, g).await?;
    Ok((*cache.get_or_load(generation, key, load).await?).clone())
}

/// The caches of one `Store` handle (shared by its clones).
#[derive(Debug)]
pub(crate) struct Caches {
    /// Callers by user id, valid while the accounts generation is the one they were read at.
    pub(crate) principals: Keyed<i64, Principal>,
    /// Every policy version, at the policy generation.
    pub(crate) policy: Slot<Vec<policy_version::Model>>,
    /// The working-day calendar, at the calendar generation.
    pub(crate) calendar: Slot<Calendar>,
    /// Pages of the staff lists of filings, at the filings generation.
    pub(crate) filing_lists: Keyed<ListKey, crate::Page<crate::filings::FilingSummary>>,
    /// Pages of the staff lists of projects, at the projects generation.
    pub(crate) project_lists: Keyed<ListKey, crate::Page<crate::projects::ProjectSummary>>,
}

impl Default for Caches {
    fn default() -> Self {
        Caches {
            // At most this many callers (bounds memory whatever the number of users).
            principals: Keyed::new(20_000),
            policy: Slot::default(),
            calendar: Slot::default(),
            // A few pages of each of the 16 scopes of the centers and of the stations that look.
            filing_lists: Keyed::new(2_000),
            project_lists: Keyed::new(2_000),
        }
    }
}
