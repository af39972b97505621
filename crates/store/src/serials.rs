//! Serial numbers that must never repeat (S5 institution codes; later certificate and admission
//! numbers, docs/FACTS.md "Numbering"). One counter row per key; the next value is taken by an UPDATE of
//! that row inside the caller's transaction, so concurrent takers — on any number of instances —
//! wait for each other, and a transaction that rolls back gives its number back.

use crate::{StoreError, StoreResult};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};

/// The next serial of `key`, inside `conn`'s transaction. `floor` is the highest value already in
/// use when the counter does not exist yet (numbers issued before the counter was kept).
pub async fn next_serial<C: ConnectionTrait>(conn: &C, key: &str, floor: i64) -> StoreResult<i64> {
    let create = Query::insert()
        .into_table("serial_counters")
        .columns(["key", "value"])
        // Two columns, two values: the builder's count check cannot fail.
        .values_panic([key.into(), floor.into()])
        .on_conflict(OnConflict::column("key").do_nothing().to_owned())
        .to_owned();
    conn.execute(&create).await?;
    let bump = Query::update()
        .table("serial_counters")
        .value("value", Expr::col("value").add(1))
        .and_where(Expr::col("key").eq(key))
        .returning_col("value")
        .to_owned();
    // The row exists: made above in this transaction, or before it (counters are never deleted).
    let row = conn
        .query_one(&bump)
        .await?
        .ok_or_else(|| StoreError::corrupt(format!("serial counter {key}"), "the counter row is missing"))?;
    Ok(row.try_get("", "value")?)
}
