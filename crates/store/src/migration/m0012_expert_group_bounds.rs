//! Issue 9 item 13: an evaluation group's size is bounded by policy (`draw.expert_group_min`,
//! `draw.expert_group_max`); databases made before get the first version of both keys.

use domain::policy;
use sea_orm::DbErr;
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
        let note = "专家评议组人数上下限的初始值（见 docs/FACTS.md，待确认）";
        super::seed_policy_defaults(m.get_connection(), NEW_KEYS, note).await?;
        Ok(())
    }
}
