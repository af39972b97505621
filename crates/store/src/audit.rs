//! Audit trail writer and reader: append-only and hash-chained (docs/AUDIT.md). A record is written in
//! the same transaction as the change it records; the chain head row serialises writers (its UPDATE
//! takes the row lock on PostgreSQL and the write lock on SQLite before the previous hash is read).

use crate::entity::audit_log;
use crate::error::require;
use crate::{Ctx, Page, PageReq, Store, StoreError, StoreResult};
use domain::audit::{AuditAction, AuditEntry, BreakReason, ChainBreak};
use domain::authz::Action;
use domain::crypto::HashAlg;
use domain::org::Principal;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Statement, TransactionTrait,
};
use serde_json::Value;

/// What happened, before it is sealed into the chain. The action names its target's kind
/// (`AuditAction::target`), so the two can never disagree.
#[derive(Debug, Clone)]
pub struct AuditDraft {
    pub action: AuditAction,
    pub target_id: String,
    /// Facts of the change: never personal ID numbers or passwords.
    pub detail: Value,
}

impl AuditDraft {
    pub fn new(action: AuditAction, target_id: impl ToString, detail: Value) -> Self {
        AuditDraft { action, target_id: target_id.to_string(), detail }
    }
}

/// Append one record inside the caller's transaction.
pub async fn append<C: ConnectionTrait>(
    conn: &C,
    alg: HashAlg,
    ctx: &Ctx,
    draft: AuditDraft,
) -> StoreResult<AuditEntry> {
    let backend = conn.get_database_backend();
    // Take the chain head first: every other writer waits here until this transaction ends.
    let bump = Query::update()
        .table("audit_head")
        .value("seq", Expr::col("seq").add(1))
        .and_where(Expr::col("id").eq(1))
        .to_owned();
    conn.execute(&bump).await?;
    let row = conn
        .query_one_raw(Statement::from_string(backend, "SELECT seq, hash FROM audit_head WHERE id = 1"))
        .await?
        .ok_or_else(|| StoreError::corrupt("audit_head", "the chain head row is missing"))?;
    let seq: i64 = row.try_get("", "seq")?;
    let prev_hash: String = row.try_get("", "hash")?;
    let mut entry = AuditEntry {
        seq,
        at: domain::audit::format_at(crate::now()),
        actor: ctx.actor.clone(),
        action: draft.action.id().to_string(),
        target_kind: draft.action.target().id().to_string(),
        target_id: draft.target_id,
        detail: draft.detail.to_string(),
        ip: ctx.ip.clone(),
        hash_alg: alg.id().to_string(),
        prev_hash,
        hash: String::new(),
    };
    entry.hash = domain::audit::compute_hash(alg, &entry);
    let model = audit_log::ActiveModel {
        seq: sea_orm::Set(entry.seq),
        at: sea_orm::Set(entry.at.clone()),
        actor: sea_orm::Set(entry.actor.clone()),
        action: sea_orm::Set(entry.action.clone()),
        target_kind: sea_orm::Set(entry.target_kind.clone()),
        target_id: sea_orm::Set(entry.target_id.clone()),
        detail: sea_orm::Set(entry.detail.clone()),
        ip: sea_orm::Set(entry.ip.clone()),
        hash_alg: sea_orm::Set(entry.hash_alg.clone()),
        prev_hash: sea_orm::Set(entry.prev_hash.clone()),
        hash: sea_orm::Set(entry.hash.clone()),
    };
    audit_log::Entity::insert(model).exec_without_returning(conn).await?;
    let head = Query::update()
        .table("audit_head")
        .value("hash", entry.hash.clone())
        .and_where(Expr::col("id").eq(1))
        .to_owned();
    conn.execute(&head).await?;
    // What this change makes stale in every instance's caches goes stale in the same transaction.
    crate::cache::bump(conn, draft.action.changes()).await?;
    Ok(entry)
}

fn to_entry(m: audit_log::Model) -> AuditEntry {
    AuditEntry {
        seq: m.seq,
        at: m.at,
        actor: m.actor,
        action: m.action,
        target_kind: m.target_kind,
        target_id: m.target_id,
        detail: m.detail,
        ip: m.ip,
        hash_alg: m.hash_alg,
        prev_hash: m.prev_hash,
        hash: m.hash,
    }
}

/// Filters of the audit page.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target: Option<String>,
    /// Inclusive dates (UTC day prefix of `at`), `YYYY-MM-DD`.
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Store {
    /// Record an event that changes nothing else (a sign-in, a denial), in its own transaction.
    pub async fn audit(&self, ctx: &Ctx, draft: AuditDraft) -> StoreResult<()> {
        let txn = self.db.begin().await?;
        append(&txn, self.crypto.suite().hash_alg(), ctx, draft).await?;
        txn.commit().await?;
        Ok(())
    }

    pub fn hash_alg(&self) -> HashAlg {
        self.crypto.suite().hash_alg()
    }

    /// The audit page: only the audit admin reads it; newest first.
    pub async fn list_audit(&self, p: &Principal, q: &AuditQuery, page: PageReq) -> StoreResult<Page<AuditEntry>> {
        require(p, Action::ViewAudit)?;
        let mut sel = audit_log::Entity::find();
        if let Some(a) = q.actor.as_deref().filter(|s| !s.is_empty()) {
            sel = sel.filter(audit_log::Column::Actor.eq(a));
        }
        if let Some(a) = q.action.as_deref().filter(|s| !s.is_empty()) {
            sel = sel.filter(audit_log::Column::Action.starts_with(a));
        }
        if let Some(t) = q.target.as_deref().filter(|s| !s.is_empty()) {
            sel = sel.filter(audit_log::Column::TargetId.eq(t));
        }
        if let Some(f) = q.from.as_deref().filter(|s| !s.is_empty()) {
            sel = sel.filter(audit_log::Column::At.gte(f.to_string()));
        }
        if let Some(t) = q.to.as_deref().filter(|s| !s.is_empty()) {
            sel = sel.filter(audit_log::Column::At.lt(format!("{t}T99")));
        }
        Ok(crate::fetch_page(self.reader(), sel, audit_log::Column::Seq, true, page).await?.map(to_entry))
    }

    /// Walk the whole chain in seq order, a window at a time. Ok(count) when intact.
    pub async fn verify_audit_chain(&self) -> StoreResult<Result<u64, ChainBreak>> {
        const WINDOW: u64 = 5000;
        let mut prev_seq = 0i64;
        let mut prev_hash = domain::audit::GENESIS_HASH.to_string();
        let mut count = 0u64;
        let mut offset = 0u64;
        loop {
            let rows: Vec<AuditEntry> = audit_log::Entity::find()
                .order_by_asc(audit_log::Column::Seq)
                .offset(offset)
                .limit(WINDOW)
                .all(self.reader())
                .await?
                .into_iter()
                .map(to_entry)
                .collect();
            if rows.is_empty() {
                break;
            }
            match domain::audit::verify_chain_from(prev_seq, &prev_hash, rows.iter()) {
                Ok(n) => count += n,
                Err(b) => return Ok(Err(b)),
            }
            if let Some(last) = rows.last() {
                prev_seq = last.seq;
                prev_hash = last.hash.clone();
            }
            offset += rows.len() as u64;
        }
        // The chain head row catches a tail cut off or rewritten as a whole.
        let head = self
            .db
            .query_one_raw(Statement::from_string(self.backend(), "SELECT seq, hash FROM audit_head WHERE id = 1"))
            .await?
            .ok_or_else(|| StoreError::corrupt("audit_head", "the chain head row is missing"))?;
        let head_seq: i64 = head.try_get("", "seq")?;
        let head_hash: String = head.try_get("", "hash")?;
        if prev_seq < head_seq {
            return Ok(Err(ChainBreak { seq: prev_seq, reason: BreakReason::Truncated { head_seq } }));
        }
        if prev_seq != head_seq || prev_hash != head_hash {
            return Ok(Err(ChainBreak { seq: prev_seq, reason: BreakReason::HeadMismatch }));
        }
        Ok(Ok(count))
    }

    /// Every record in seq order, for export (one JSON object per line, docs/AUDIT.md).
    pub async fn export_audit(&self, p: &Principal) -> StoreResult<Vec<AuditEntry>> {
        require(p, Action::ViewAudit)?;
        Ok(audit_log::Entity::find()
            .order_by_asc(audit_log::Column::Seq)
            .all(self.reader())
            .await?
            .into_iter()
            .map(to_entry)
            .collect())
    }
}

/// The people and records a page of the audit trail names, by name (issue 9 item 5): actors by user
/// name, targets by kind and id. A record deleted or never known keeps its bare id on the page.
#[derive(Debug, Clone, Default)]
pub struct AuditNames {
    /// User name → the person's name.
    pub actors: std::collections::HashMap<String, String>,
    /// (target kind id, target id) → the record's name.
    pub targets: std::collections::HashMap<(String, String), String>,
}

impl Store {
    /// Names for the actors and targets of `entries`: one query per kind of record on the page.
    pub async fn audit_names(&self, p: &Principal, entries: &[AuditEntry]) -> StoreResult<AuditNames> {
        use crate::entity::{draw, expert, filing, org, user};
        use domain::audit::AuditTarget;
        require(p, Action::ViewAudit)?;
        let mut names = AuditNames::default();
        let actors: Vec<String> = entries.iter().map(|e| e.actor.clone()).collect();
        let ids_of = |kind: AuditTarget| -> Vec<i64> {
            entries.iter().filter(|e| e.target_kind == kind.id()).filter_map(|e| e.target_id.parse().ok()).collect()
        };
        names.actors = self.names_of_users(actors).await?;
        let users =
            user::Entity::find().filter(user::Column::Id.is_in(ids_of(AuditTarget::User))).all(self.reader()).await?;
        for u in users {
            names.targets.insert((AuditTarget::User.id().into(), u.id.to_string()), u.display_name);
        }
        let mut put = |kind: AuditTarget, rows: Vec<(i64, String)>| {
            for (id, name) in rows {
                names.targets.insert((kind.id().into(), id.to_string()), name);
            }
        };
        let orgs =
            org::Entity::find().filter(org::Column::Id.is_in(ids_of(AuditTarget::Org))).all(self.reader()).await?;
        put(AuditTarget::Org, orgs.into_iter().map(|m| (m.id, m.name)).collect());
        let experts = expert::Entity::find()
            .filter(expert::Column::Id.is_in(ids_of(AuditTarget::Expert)))
            .all(self.reader())
            .await?;
        put(AuditTarget::Expert, experts.into_iter().map(|m| (m.id, m.name)).collect());
        let draws =
            draw::Entity::find().filter(draw::Column::Id.is_in(ids_of(AuditTarget::Draw))).all(self.reader()).await?;
        put(AuditTarget::Draw, draws.into_iter().map(|m| (m.id, m.title)).collect());
        let filings = filing::Entity::find()
            .filter(filing::Column::Id.is_in(ids_of(AuditTarget::Filing)))
            .all(self.reader())
            .await?;
        put(AuditTarget::Filing, filings.into_iter().map(|m| (m.id, m.institution_name)).collect());
        Ok(names)
    }
}
