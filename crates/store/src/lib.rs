//! kaohe's store: database access on SQLite or PostgreSQL through one schema (sea-orm), one module per
//! area. Every function that reads or lists takes the caller's `Principal` and applies its data scope
//! (out of scope reads as not found, in scope without the role as forbidden); every change commits
//! together with its audit record (and workflow event) in one transaction.

pub mod archives;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod cache;
pub mod calendar;
pub mod certificates;
pub mod draws;
pub mod entity;
pub mod error;
pub mod experts;
pub mod fees;
pub mod files;
pub mod filings;
pub mod grading;
mod lists;
pub mod migration;
pub mod orgs;
mod people;
pub mod policy;
pub mod portal;
pub mod projects;
pub mod question_bank;
pub mod registry;
pub mod releases;
pub mod serials;
pub mod sessions;
pub mod stats;
mod step;
pub mod subsidies;
pub mod tickets;
pub mod users;
pub mod workflow;

use domain::crypto::Crypto;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

pub use error::{StoreError, StoreResult};
pub use object_store;
pub use sea_orm;
pub use sessions::PanelMember;

/// The handle every layer above uses: the connection pools and the deployment's cryptography.
#[derive(Clone, Debug)]
pub struct Store {
    /// The writer: every transaction and change. On SQLite its one connection (SQLite has one writer,
    /// and a pool of several turns deferred transactions that read before they write into SQLITE_BUSY
    /// errors).
    pub db: DatabaseConnection,
    /// Plain reads outside a transaction ([`Store::reader`]): on SQLite a pool of read-only
    /// connections beside the writer — WAL lets them read while it writes, so a read never queues
    /// behind a write or another read (issue 10); on PostgreSQL the same pool as `db`.
    read: DatabaseConnection,
    pub crypto: Arc<Crypto>,
    /// Attachments (filing materials, reports): a local directory by default, S3-compatible storage
    /// in production — one interface, `object_store`.
    pub files: Arc<dyn object_store::ObjectStore>,
    /// Bumped when a policy version is published through this handle: readers that keep policy values
    /// (the web layer's rate limiters) read them again at once.
    policy_generation: Arc<std::sync::atomic::AtomicU64>,
    /// Statements sent to the database through this handle (both pools): `/metrics`, and the tests that
    /// hold a request to its query budget.
    statements: Arc<std::sync::atomic::AtomicU64>,
    /// What requests read and rarely changes, kept per generation (`cache`).
    caches: Arc<cache::Caches>,
}

/// How many read-only connections SQLite gets beside the writer: one per core, at least two.
fn sqlite_readers() -> u32 {
    std::thread::available_parallelism().map_or(2, |n| n.get() as u32).clamp(2, 8)
}

impl Store {
    /// Connect to `url` (`sqlite://path?mode=rwc` or `postgres://…`).
    pub async fn connect(url: &str, crypto: Crypto) -> StoreResult<Self> {
        let statements = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let count = |db: &mut DatabaseConnection| {
            let n = statements.clone();
            db.set_metric_callback(move |_| {
                n.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            });
        };
        let mut opts = ConnectOptions::new(url.to_string());
        opts.sqlx_logging(false).connect_timeout(Duration::from_secs(10)).acquire_timeout(Duration::from_secs(30));
        let sqlite = url.starts_with("sqlite:");
        let sqlite_opts = |o: sea_orm::sqlx::sqlite::SqliteConnectOptions| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
        };
        if sqlite {
            opts.max_connections(1).min_connections(1).map_sqlx_sqlite_opts(sqlite_opts);
        } else {
            opts.max_connections(8).min_connections(1).test_before_acquire(false);
        }
        let mut db = Database::connect(opts.clone()).await?;
        count(&mut db);
        // The readers open the file the writer made (and put in WAL mode); an in-memory database is one
        // connection's own, so it has none.
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let read = if sqlite && !in_memory {
            let readers = sqlite_readers();
            opts.max_connections(readers)
                .min_connections(1)
                .map_sqlx_sqlite_opts(move |o| sqlite_opts(o).read_only(true));
            let mut read = Database::connect(opts).await?;
            count(&mut read);
            read
        } else {
            db.clone()
        };
        Ok(Store {
            db,
            read,
            crypto: Arc::new(crypto),
            files: Arc::new(object_store::memory::InMemory::new()),
            policy_generation: Arc::default(),
            statements,
            caches: Arc::default(),
        })
    }

    /// The connection for a plain read outside a transaction (see the `read` field). A read that must
    /// see its own transaction's changes reads on the transaction instead.
    pub fn reader(&self) -> &DatabaseConnection {
        &self.read
    }

    /// The generation of what the public pages show, with the time of its last change (one query on
    /// its primary key; `cache`).
    pub async fn public_generation(&self) -> StoreResult<cache::Stamp> {
        cache::read(self.reader(), domain::audit::Generation::Public).await
    }

    /// How many statements this handle has sent to the database so far.
    pub fn statements(&self) -> u64 {
        self.statements.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Keep attachments in `files` (the binary passes a local directory under the data directory).
    pub fn with_files(mut self, files: Arc<dyn object_store::ObjectStore>) -> Self {
        self.files = files;
        self
    }

    pub async fn migrate(&self) -> StoreResult<()> {
        migration::migrate(&self.db).await?;
        Ok(())
    }

    /// Whether the database answers (`/readyz`).
    pub async fn ping(&self) -> bool {
        self.db.execute_unprepared("SELECT 1").await.is_ok()
    }

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }
}

/// Now, in UTC with microsecond precision (what both engines store exactly).
/// `raw` when something is typed, else the field's 请填写… error (issue 9 item 7: a blank required field
/// reads 请填写X, not a length or format rule).
pub(crate) fn blank_or<'a>(raw: &'a str, field: &str, detail: &str) -> Result<&'a str, domain::FieldError> {
    if raw.trim().is_empty() { Err(domain::FieldError::new(field, "REQUIRED", detail)) } else { Ok(raw) }
}

pub fn now() -> OffsetDateTime {
    let t = OffsetDateTime::now_utc();
    t.replace_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}

/// Today's date in Asia/Shanghai, the date every deadline of the procedure is counted in.
pub fn today() -> time::Date {
    (OffsetDateTime::now_utc() + time::Duration::hours(8)).date()
}

/// A page of results.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }
}

/// Which page to read: pages count from 1 up to [`PageReq::MAX_PAGE`], 1 to [`PageReq::MAX_PER_PAGE`]
/// rows a page (exports build a larger one themselves). Whatever the numbers, `fetch_page` never
/// overflows: a page past the end is empty.
#[derive(Debug, Clone, Copy)]
pub struct PageReq {
    pub page: u64,
    pub per_page: u64,
}

impl PageReq {
    /// The highest page number a request may name; a higher one reads as this one (past the end of any
    /// list, so empty).
    pub const MAX_PAGE: u64 = 10_000_000;
    /// The most rows a page of a list may ask for.
    pub const MAX_PER_PAGE: u64 = 200;

    /// A page as a request names it, bounded: `page` 1..=`MAX_PAGE` (default 1), `per_page`
    /// 1..=`MAX_PER_PAGE` (default 20).
    pub fn new(page: Option<u64>, per_page: Option<u64>) -> Self {
        PageReq {
            page: page.unwrap_or(1).clamp(1, Self::MAX_PAGE),
            per_page: per_page.unwrap_or(20).clamp(1, Self::MAX_PER_PAGE),
        }
    }

    /// The rows to skip and to read for a list of `total` rows: `None` for a page past the end.
    /// Checked arithmetic, so no page number (even one built by hand) can overflow.
    pub fn window(&self, total: u64) -> Option<(u64, u64)> {
        let per_page = self.per_page.max(1);
        let skip = self.page.max(1).checked_sub(1)?.checked_mul(per_page)?;
        (skip < total).then(|| (skip, per_page.min(total - skip)))
    }
}

impl Default for PageReq {
    fn default() -> Self {
        PageReq::new(None, None)
    }
}

/// Who made a change and from where: goes into the audit record.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub actor: String,
    pub ip: String,
}

impl Ctx {
    pub fn system() -> Self {
        Ctx { actor: "system".into(), ip: String::new() }
    }
}

impl Store {
    /// A consistent copy of the live SQLite database (`VACUUM INTO`), safe while serving.
    pub async fn backup_sqlite(&self, to: &std::path::Path) -> StoreResult<()> {
        if to.exists() {
            return Err(StoreError::Invalid(domain::FieldError::new("file", "FILE_EXISTS", "目标文件已存在").into()));
        }
        let path = to.to_string_lossy().replace('\'', "''");
        self.db.execute_unprepared(&format!("VACUUM INTO '{path}'")).await?;
        Ok(())
    }
}

/// One page of a query: the total count, then the rows of the page in the given order.
pub(crate) async fn fetch_page<E>(
    db: &sea_orm::DatabaseConnection,
    sel: sea_orm::Select<E>,
    order: E::Column,
    descending: bool,
    page: PageReq,
) -> StoreResult<Page<E::Model>>
where
    E: sea_orm::EntityTrait,
    E::Model: Send + Sync,
{
    use sea_orm::{QueryOrder, QuerySelect};
    // `SELECT COUNT(*) … WHERE …` itself: sea-orm's `count` wraps the whole row in a subquery, which
    // read every column of every matching row (a filing's application text) to count them (issue 10).
    let total: Option<i64> = sel
        .clone()
        .select_only()
        .expr_as(sea_orm::sea_query::Expr::cust("COUNT(*)"), "total")
        .into_tuple()
        .one(db)
        .await?;
    let total = u64::try_from(total.unwrap_or(0)).unwrap_or(0);
    let items = match page.window(total) {
        Some((skip, take)) => {
            let sel = if descending { sel.order_by_desc(order) } else { sel.order_by_asc(order) };
            sel.offset(skip).limit(take).all(db).await?
        }
        None => Vec::new(),
    };
    Ok(Page { items, total, page: page.page, per_page: page.per_page })
}

impl<T> Page<T> {
    /// The same page with each item mapped.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
    }
}
