//! Lists that belong to a record, one row each in order (`filing_projects`, `expert_specialties`,
//! m0007): written whole inside the caller's transaction, read back for a page of owners in one query,
//! and searched exactly (never a substring of a joined text).

use crate::StoreResult;
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use std::collections::HashMap;

/// Replace the list of `owner` with `names`, in their order: `row(position, name)` builds a row
/// (positions count from 1).
pub(crate) async fn replace<A, C>(
    conn: &C,
    owner_col: <A::Entity as EntityTrait>::Column,
    owner: i64,
    names: &[String],
    row: impl Fn(i32, String) -> A,
) -> StoreResult<()>
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
    C: ConnectionTrait,
{
    A::Entity::delete_many().filter(owner_col.eq(owner)).exec(conn).await?;
    if !names.is_empty() {
        let rows = names.iter().enumerate().map(|(i, n)| row(i as i32 + 1, n.clone()));
        A::Entity::insert_many(rows).exec_without_returning(conn).await?;
    }
    Ok(())
}

/// The lists of the owners in `owners` (every owner when `None`), each in its order: `split` gives a
/// row's owner and name.
pub(crate) async fn read<E, C>(
    conn: &C,
    owner_col: E::Column,
    position_col: E::Column,
    owners: Option<Vec<i64>>,
    split: impl Fn(E::Model) -> (i64, String),
) -> StoreResult<HashMap<i64, Vec<String>>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let mut sel = E::find().order_by_asc(owner_col).order_by_asc(position_col);
    if let Some(owners) = owners {
        sel = sel.filter(owner_col.is_in(owners));
    }
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for m in sel.all(conn).await? {
        let (owner, name) = split(m);
        out.entry(owner).or_default().push(name);
    }
    Ok(out)
}
