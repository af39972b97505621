//! Versioned policy (V1): each key has versions with effective dates; the version in force on a day is
//! the one with the latest effective date not after it. New versions never rewrite the past: their
//! effective date is today or later.

use crate::audit::AuditDraft;
use crate::entity::policy_version;
use crate::error::require;
use crate::{Ctx, Store, StoreError, StoreResult, now, today};
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::org::Principal;
use domain::policy::{self, Category, PolicyDef, ValueKind};
use domain::{FieldError, FieldErrors};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use serde_json::json;
use std::str::FromStr;
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
    pub created_at: time::OffsetDateTime,
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

/// The versions in force today of several keys, read in one query ([`Store::policy_today`]).
#[derive(Debug, Clone)]
pub struct PolicyToday {
    day: Date,
    versions: Vec<policy_version::Model>,
}

impl PolicyToday {
    /// The value of `key`, parsed: a value that does not parse is an error naming the key and version.
    pub fn parsed<T: FromStr>(&self, key: &str) -> StoreResult<T>
    where
        T::Err: std::error::Error + Send + Sync + 'static,
    {
        let m = self.versions.iter().find(|m| m.key == key).ok_or_else(|| no_version(key, self.day))?;
        parse_version(m)
    }
}

/// A stored value as `T`, or `Corrupt` naming the key and version: never a default (issue 7 item 5).
fn parse_version<T: FromStr>(m: &policy_version::Model) -> StoreResult<T>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    m.value.parse().map_err(|e| StoreError::corrupt(format!("policy {} version {}", m.key, m.id), e))
}

/// Every key has a version from the procedure's effective date on (seeded by migration): none in force
/// means the table was tampered with, or the key is not a policy key.
fn no_version(key: &str, on: Date) -> StoreError {
    StoreError::corrupt(format!("policy {key}"), format!("no version in force on {on}"))
}

/// A stored value read as its definition's kind says (numbers, money and yes/no parse; templates and
/// fractions are text; a choice is one of its options), so the policy page never shows a value that decisions could not use.
fn check_stored(def: &PolicyDef, m: &policy_version::Model) -> StoreResult<()> {
    match def.kind {
        ValueKind::Int { .. } | ValueKind::Money => parse_version::<i64>(m).map(drop),
        ValueKind::Bool => parse_version::<bool>(m).map(drop),
        ValueKind::Template | ValueKind::Fraction | ValueKind::List => Ok(()),
        ValueKind::Choice(options) => match options.iter().any(|(v, _)| *v == m.value) {
            true => Ok(()),
            false => Err(StoreError::corrupt(format!("policy {} version {}", m.key, m.id), "not one of its options")),
        },
    }
}

/// A stored version as people read it; one its kind cannot read is an error naming it.
fn shown(def: &PolicyDef, m: &policy_version::Model) -> StoreResult<String> {
    check_stored(def, m)?;
    def.display(&m.value)
        .ok_or_else(|| StoreError::corrupt(format!("policy {} version {}", m.key, m.id), "not a value of its kind"))
}

/// The version of `key` in force on `on`: the latest effective date not after it.
fn in_force<'a>(all: &'a [policy_version::Model], key: &str, on: Date) -> Option<&'a policy_version::Model> {
    all.iter().filter(|m| m.key == key && m.effective_from <= on).max_by_key(|m| m.effective_from)
}

/// The versions of `keys` in force today.
fn today_of(all: &[policy_version::Model], keys: &[&str]) -> PolicyToday {
    let day = today();
    let versions = keys.iter().filter_map(|k| in_force(all, k, day).cloned()).collect();
    PolicyToday { day, versions }
}

impl Store {
    /// How many policy versions were published through this handle: a reader that keeps values reads
    /// them again when this changes.
    pub fn policy_generation(&self) -> u64 {
        self.policy_generation.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Every policy version, from this handle's cache while the policy generation stands (issue 10):
    /// one query on the generation's primary key, and the versions themselves only after a change.
    async fn versions(&self) -> StoreResult<std::sync::Arc<Vec<policy_version::Model>>> {
        let generation = crate::cache::current(self.reader(), domain::audit::Generation::Policy).await?;
        self.versions_at(generation).await
    }

    /// [`Store::versions`] when the caller has read the generation already (resolving a caller).
    pub(crate) async fn versions_at(&self, generation: i64) -> StoreResult<std::sync::Arc<Vec<policy_version::Model>>> {
        self.caches
            .policy
            .get_or_load(generation, || async { Ok(policy_version::Entity::find().all(self.reader()).await?) })
            .await
    }

    async fn version_on(&self, key: &str, on: Date) -> StoreResult<policy_version::Model> {
        in_force(&self.versions().await?, key, on).cloned().ok_or_else(|| no_version(key, on))
    }

    /// The value of `key` in force on each of `days`, parsed as `T`, from one read of the versions (a
    /// page of records each counted from its own date: a pilot's end from its publication date, P8).
    pub(crate) async fn policy_parsed_on_each<T: FromStr>(&self, key: &str, days: &[Date]) -> StoreResult<Vec<T>>
    where
        T::Err: std::error::Error + Send + Sync + 'static,
    {
        let all = self.versions().await?;
        days.iter().map(|d| parse_version(in_force(&all, key, *d).ok_or_else(|| no_version(key, *d))?)).collect()
    }

    /// The version of `key` in force on `on`.
    pub async fn policy_on(&self, key: &str, on: Date) -> StoreResult<PolicyValue> {
        Ok(to_value(&self.version_on(key, on).await?))
    }

    /// The value of `key` in force on `on`, parsed as `T` (`i64` for numbers and money in fen, `bool`
    /// for yes/no, `String` for templates), its version noted in `used` (V1). A stored value that does
    /// not parse is an error naming the key and version, never a default.
    pub async fn policy_parsed<T: FromStr>(&self, key: &str, on: Date, used: &mut PolicyUsed) -> StoreResult<T>
    where
        T::Err: std::error::Error + Send + Sync + 'static,
    {
        let m = self.version_on(key, on).await?;
        used.0.insert(m.key.clone(), m.id);
        parse_version(&m)
    }

    /// The versions of `keys` in force today (from the cache of versions, [`Store::versions`]); read
    /// each with [`PolicyToday::parsed`].
    pub async fn policy_today(&self, keys: &[&str]) -> StoreResult<PolicyToday> {
        Ok(today_of(&self.versions().await?, keys))
    }

    /// [`Store::policy_today`] at a policy generation the caller has read.
    pub(crate) async fn policy_today_at(&self, generation: i64, keys: &[&str]) -> StoreResult<PolicyToday> {
        Ok(today_of(&self.versions_at(generation).await?, keys))
    }

    /// Every policy entry with its value in force today, upcoming version and history.
    pub async fn policy_rows(&self, p: &Principal) -> StoreResult<Vec<PolicyRow>> {
        require(p, Action::ViewPolicy)?;
        let all = policy_version::Entity::find()
            .order_by_asc(policy_version::Column::Key)
            .order_by_desc(policy_version::Column::EffectiveFrom)
            .all(self.reader())
            .await?;
        let day = today();
        let mut rows = Vec::new();
        for def in policy::DEFS {
            let versions: Vec<&policy_version::Model> = all.iter().filter(|m| m.key == def.key).collect();
            let Some(cur) = versions.iter().find(|m| m.effective_from <= day) else { continue };
            for m in &versions {
                check_stored(def, m)?;
            }
            let upcoming = versions
                .iter()
                .filter(|m| m.effective_from > day)
                .min_by_key(|m| m.effective_from)
                .map(|m| to_value(m));
            rows.push(PolicyRow {
                def,
                current: to_value(cur),
                display: shown(def, cur)?,
                upcoming,
                history: versions
                    .iter()
                    .map(|m| {
                        Ok(PolicyVersionView {
                            id: m.id,
                            value: m.value.clone(),
                            display: shown(def, m)?,
                            effective_from: m.effective_from,
                            note: m.note.clone(),
                            created_by: m.created_by.clone(),
                            created_at: m.created_at,
                        })
                    })
                    .collect::<StoreResult<Vec<_>>>()?,
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
        let effective_from = errs.take(match effective_from {
            None => Err(FieldError::new("effective_from", "REQUIRED", "请填写生效日期")),
            Some(d) if d < today() => Err(FieldError::new(
                "effective_from",
                "POLICY_EFFECTIVE_IN_PAST",
                "生效日期不能早于今天，已生效的版本不可改写",
            )),
            Some(d) => Ok(d),
        });
        if note.trim().is_empty() {
            errs.push(FieldError::new("note", "REQUIRED", "请填写调整依据（如文件号）"));
        }
        // Every `None` above pushed its error.
        let (Some(value), Some(effective_from)) = (value, effective_from) else {
            return Err(errs.into());
        };
        errs.into_result()?;
        let step = self.step(p, ctx).await?;
        let exists = policy_version::Entity::find()
            .filter(policy_version::Column::Key.eq(key))
            .filter(policy_version::Column::EffectiveFrom.eq(effective_from))
            .one(&*step)
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
        .insert(&*step)
        .await?;
        step.audit(AuditDraft::new(
            AuditAction::PolicyVersionAdded,
            key,
            json!({ "value": value, "effective_from": effective_from.to_string(), "version_id": m.id }),
        ))
        .await?;
        step.commit().await?;
        self.policy_generation.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(m.id)
    }
}
