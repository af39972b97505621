//! Versioned policy (V1): each key has versions with effective dates; the version in force on a day is
//! the one with the latest effective date not after it. New versions never rewrite the past: their
//! effective date is today or later.

use crate::audit::{AuditDraft, append};
use domain::audit::AuditAction;
use crate::entity::policy_version;
use crate::error::require;
use crate::{Ctx, Store, StoreError, StoreResult, now, today};
use domain::authz::Action;
use domain::org::Principal;
use domain::policy::{self, Category, PolicyDef};
use domain::{FieldError, FieldErrors};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait};
use serde::Serialize;
use serde_json::json;
use time::Date;

/// A value in force, with the version it came from (decisions record the version they used).
#[derive(Debug, Clone, Serialize)]
pub struct PolicyValue {
    pub version_id: i64,
    pub key: String,
    pub value: String,
    pub effective_from: Date,
}

/// One row of the policy page.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyRow {
    pub def: &'static PolicyDef,
    pub current: PolicyValue,
    pub display: String,
    /// A version already published that takes effect later.
    pub upcoming: Option<PolicyValue>,
    pub history: Vec<PolicyVersionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PolicyVersionView {
    pub id: i64,
    pub value: String,
    pub display: String,
    pub effective_from: Date,
    pub note: String,
    pub created_by: String,
    pub created_at: String,
}

fn to_value(m: &policy_version::Model) -> PolicyValue {
    PolicyValue { version_id: m.id, key: m.key.clone(), value: m.value.clone(), effective_from: m.effective_from }
}

/// The policy versions a decision relied on (V1): `{key: version id}` in the decision's audit detail, so
/// a later reader can tell which rule was applied even after the policy has changed.
#[derive(Debug, Clone, Default)]
pub struct PolicyUsed(std::collections::BTreeMap<String, i64>);

impl PolicyUsed {
    /// Note that `v` was used and hand it back.
    pub fn note(&mut self, v: PolicyValue) -> PolicyValue {
        self.0.insert(v.key.clone(), v.version_id);
        v
    }

    pub fn to_json(&self) -> serde_json::Value {
        json!(self.0)
    }
}

impl Store {
    /// The version of `key` in force on `on`.
    pub async fn policy_on(&self, key: &str, on: Date) -> StoreResult<PolicyValue> {
        let m = policy_version::Entity::find()
            .filter(policy_version::Column::Key.eq(key))
            .filter(policy_version::Column::EffectiveFrom.lte(on))
            .order_by_desc(policy_version::Column::EffectiveFrom)
            .one(&self.db)
            .await?
            .ok_or_else(|| StoreError::Internal(format!("policy {key} has no version in force on {on}")))?;
        Ok(to_value(&m))
    }

    /// The value of `key` in force on `on`, parsed as `T`, noting its version in `used` (V1). A value
    /// that does not parse is an error naming the key and version, never a default.
    pub async fn policy_parsed<T>(&self, key: &str, on: Date, used: &mut PolicyUsed) -> StoreResult<T>
    where
        T: std::str::FromStr,
        T::Err: std::error::Error + Send + Sync + 'static,
    {
        let v = used.note(self.policy_on(key, on).await?);
        v.value.parse().map_err(|e| StoreError::corrupt(format!("policy {key} version {}", v.version_id), e))
    }

    /// Integer values in force today, in the order asked — one query for all of them (this runs on every
    /// request through the session's security settings).
    pub async fn policy_ints(&self, keys: &[&str]) -> StoreResult<Vec<i64>> {
        let day = today();
        let versions = policy_version::Entity::find()
            .filter(policy_version::Column::Key.is_in(keys.iter().copied()))
            .filter(policy_version::Column::EffectiveFrom.lte(day))
            .all(&self.db)
            .await?;
        keys.iter()
            .map(|k| {
                let v = versions
                    .iter()
                    .filter(|m| m.key == *k)
                    .max_by_key(|m| m.effective_from)
                    .ok_or_else(|| StoreError::Internal(format!("policy {k} has no version in force on {day}")))?;
                v.value.parse().map_err(|_| StoreError::Internal(format!("policy {k} is not an integer")))
            })
            .collect()
    }

    /// Every policy entry with its value in force today, upcoming version and history.
    pub async fn policy_rows(&self, p: &Principal) -> StoreResult<Vec<PolicyRow>> {
        require(p, Action::ViewPolicy)?;
        let all = policy_version::Entity::find()
            .order_by_asc(policy_version::Column::Key)
            .order_by_desc(policy_version::Column::EffectiveFrom)
            .all(&self.db)
            .await?;
        let day = today();
        let mut rows = Vec::new();
        for def in policy::DEFS {
            let versions: Vec<&policy_version::Model> = all.iter().filter(|m| m.key == def.key).collect();
            let Some(cur) = versions.iter().find(|m| m.effective_from <= day) else { continue };
            let upcoming = versions
                .iter()
                .filter(|m| m.effective_from > day)
                .min_by_key(|m| m.effective_from)
                .map(|m| to_value(m));
            rows.push(PolicyRow {
                def,
                current: to_value(cur),
                display: def.display(&cur.value),
                upcoming,
                history: versions
                    .iter()
                    .map(|m| PolicyVersionView {
                        id: m.id,
                        value: m.value.clone(),
                        display: def.display(&m.value),
                        effective_from: m.effective_from,
                        note: m.note.clone(),
                        created_by: m.created_by.clone(),
                        created_at: crate::fmt_time(m.created_at),
                    })
                    .collect(),
            });
        }
        Ok(rows)
    }

    /// Publish a new version of a policy entry. Procedure entries are the province admin's; security
    /// entries the security admin's.
    pub async fn add_policy_version(
        &self,
        p: &Principal,
        key: &str,
        raw_value: &str,
        effective_from: Option<Date>,
        note: &str,
        ctx: &Ctx,
    ) -> StoreResult<i64> {
        if !p.can(Action::EditProcedurePolicy) && !p.can(Action::EditSecurityPolicy) {
            return Err(StoreError::Forbidden);
        }
        let def = policy::def(key).ok_or_else(|| FieldError::new("key", "POLICY_KEY_UNKNOWN", "没有这个政策参数"))?;
        let action = match def.category {
            Category::Procedure => Action::EditProcedurePolicy,
            Category::Security => Action::EditSecurityPolicy,
        };
        require(p, action)?;
        let mut errs = FieldErrors::new();
        let value = errs.take(def.parse_input(raw_value));
        match effective_from {
            None => errs.push(FieldError::new("effective_from", "REQUIRED", "请填写生效日期")),
            Some(d) if d < today() => errs.push(FieldError::new(
                "effective_from",
                "POLICY_EFFECTIVE_IN_PAST",
                "生效日期不能早于今天，已生效的版本不可改写",
            )),
            _ => {}
        }
        if note.trim().is_empty() {
            errs.push(FieldError::new("note", "REQUIRED", "请填写调整依据（如文件号）"));
        }
        errs.into_result()?;
        let (Some(value), Some(effective_from)) = (value, effective_from) else {
            return Err(StoreError::Internal("checked above".into()));
        };
        let txn = self.db.begin().await?;
        let exists = policy_version::Entity::find()
            .filter(policy_version::Column::Key.eq(key))
            .filter(policy_version::Column::EffectiveFrom.eq(effective_from))
            .one(&txn)
            .await?;
        if exists.is_some() {
            return Err(FieldError::new(
                "effective_from",
                "POLICY_VERSION_EXISTS",
                format!("{effective_from} 已有一个版本，请选择其他生效日期"),
            )
            .into());
        }
        let m = policy_version::ActiveModel {
            key: Set(key.to_string()),
            value: Set(value.clone()),
            effective_from: Set(effective_from),
            note: Set(note.trim().to_string()),
            created_by: Set(p.username.clone()),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        append(
            &txn,
            self.hash_alg(),
            ctx,
            AuditDraft::new(AuditAction::PolicyVersionAdded, key,
                json!({ "value": value, "effective_from": effective_from.to_string(), "version_id": m.id }),
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(m.id)
    }
}
