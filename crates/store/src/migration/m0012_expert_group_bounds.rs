//! Issue 9 item 13: an evaluation group's size is bounded by policy (`draw.expert_group_min`,
//! `draw.expert_group_max`); databases made before get the first version of both keys.

use domain::policy;
use sea_orm::{ConnectionTrait, DbErr};
use sea_orm_migration::prelude::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0012_expert_group_bounds"
    }
}

/// The policy keys this migration introduces.
const NEW_KEYS: &[&str] = &[policy::keys::EXPERT_GROUP_MIN, policy::keys::EXPERT_GROUP_MAX];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let now = crate::now();
        for key in NEW_KEYS {
            let def = policy::def(key).ok_or_else(|| DbErr::Custom(format!("policy key {key} has no definition")))?;
            let stmt = Query::select()
                .expr(Expr::col("id"))
                .from("policy_versions")
                .and_where(Expr::col("key").eq(*key))
                .to_owned();
            if db.query_one(&stmt).await?.is_some() {
                continue;
            }
            let stmt = Query::insert()
                .into_table("policy_versions")
                .columns(["key", "value", "effective_from", "note", "created_by", "created_at"])
                .values_panic([
                    def.key.into(),
                    def.default.into(),
                    policy::PROCEDURE_EFFECTIVE_FROM.into(),
                    "专家评议组人数上下限的初始值（见 docs/FACTS.md，待确认）".into(),
                    "system".into(),
                    now.into(),
                ])
                .to_owned();
            db.execute(&stmt).await?;
        }
        Ok(())
    }
}
