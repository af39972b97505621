//! One way to write a step of a procedure. Every state change does the same things around its own
//! rule — open a transaction, claim the row it acts on (so two people acting at once cannot both
//! succeed), change it, close the to-dos it answers, record the workflow event, append the audit record,
//! commit — and [`Step`] does them, carrying who acts and the hash algorithm, so an area's step is only
//! its own rule:
//!
//! ```text
//! let step = self.step(p, ctx).await?;
//! step.claim(filing::Column::Id, id, filing::Column::State, state, filing::Column::UpdatedAt, moved_on).await?;
//! /* … the step's own change, on `&*step` … */
//! step.close_todos(SubjectKind::Filing, id).await?;
//! step.event(ev).await?;
//! step.audit(AuditAction::FilingAccepted, "filing", id, detail).await?;
//! step.commit().await
//! ```

use crate::audit::{AuditDraft, append};
use crate::workflow::{NewEvent, complete_subject, record};
use crate::{Ctx, Store, StoreError, StoreResult, now};
use domain::crypto::HashAlg;
use domain::org::Principal;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, TransactionTrait};

/// A step's transaction with the caller's context (see the module documentation). Dropped without
/// [`Step::commit`], everything it did is rolled back.
pub(crate) struct Step<'a> {
    txn: DatabaseTransaction,
    /// The login name recorded as the actor of workflow events.
    actor: &'a str,
    ctx: &'a Ctx,
    alg: HashAlg,
}

impl std::ops::Deref for Step<'_> {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

impl Store {
    /// Open a step taken by `p` (its audit records carry `ctx`).
    pub(crate) async fn step<'a>(&self, p: &'a Principal, ctx: &'a Ctx) -> StoreResult<Step<'a>> {
        self.step_as(&p.username, ctx).await
    }

    /// Open a step taken in the name of `actor` (`system` for the system's own steps).
    pub(crate) async fn step_as<'a>(&self, actor: &'a str, ctx: &'a Ctx) -> StoreResult<Step<'a>> {
        Ok(Step { txn: self.db.begin().await?, actor, ctx, alg: self.hash_alg() })
    }
}

impl Step<'_> {
    /// Claim the row `id` of `E` for this step, only while `state_col` still holds `expected`: the
    /// UPDATE takes the row lock (PostgreSQL; SQLite's write lock), so of two people acting at once the
    /// second waits, then finds the row moved on and gets `moved_on()` (409). `touched` is the row's
    /// `updated_at` column, set to now.
    pub async fn claim<E, V>(
        &self,
        id_col: E::Column,
        id: i64,
        state_col: E::Column,
        expected: V,
        touched: E::Column,
        moved_on: impl FnOnce() -> StoreError,
    ) -> StoreResult<()>
    where
        E: EntityTrait,
        V: Into<sea_orm::Value>,
    {
        let r = E::update_many()
            .col_expr(touched, Expr::value(now()))
            .filter(id_col.eq(id))
            .filter(state_col.eq(expected))
            .exec(&self.txn)
            .await?;
        if r.rows_affected == 1 { Ok(()) } else { Err(moved_on()) }
    }

    /// Claim a city's row of a per-city serializing table (`fee_ledgers`, `subsidy_cities`: `city`,
    /// `updated_at`), creating it the first time: every step of one city on that table waits for the one
    /// before (PostgreSQL's row lock; SQLite's single writer).
    pub async fn claim_city_row(&self, table: &'static str, city: &str) -> StoreResult<()> {
        use sea_orm::ConnectionTrait;
        use sea_orm::sea_query::{ExprTrait, OnConflict, Query};
        let create = Query::insert()
            .into_table(table)
            .columns(["city", "updated_at"])
            .values_panic([city.into(), now().into()])
            .on_conflict(OnConflict::column("city").do_nothing().to_owned())
            .to_owned();
        self.txn.execute(&create).await?;
        let touch =
            Query::update().table(table).value("updated_at", now()).and_where(Expr::col("city").eq(city)).to_owned();
        self.txn.execute(&touch).await?;
        Ok(())
    }

    /// Append the step's audit record.
    pub async fn audit(&self, draft: AuditDraft) -> StoreResult<()> {
        append(&self.txn, self.alg, self.ctx, draft).await?;
        Ok(())
    }

    /// Record a workflow event (timeline entry, and a to-do when it has an assignee).
    pub async fn event(&self, e: NewEvent) -> StoreResult<i64> {
        record(&self.txn, self.actor, e).await
    }

    /// Close the open to-dos of a subject: the step they asked for was taken.
    pub async fn close_todos(&self, kind: domain::workflow::SubjectKind, id: impl ToString) -> StoreResult<()> {
        complete_subject(&self.txn, kind, &id.to_string()).await
    }

    pub async fn commit(self) -> StoreResult<()> {
        self.txn.commit().await?;
        Ok(())
    }
}
