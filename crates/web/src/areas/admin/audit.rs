//! The audit trail page for the audit admin: filters, paging, chain status and export (docs/AUDIT.md).

use crate::AppState;
use crate::auth::Staff;
use crate::error::PageError;
use crate::extract::Query;
use crate::view::{Layout, Pager, filter_query};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::audit::AuditEntry;
use domain::authz::Action;
use serde::Deserialize;
use store::PageReq;
use store::audit::AuditQuery;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    actor: Option<String>,
    action: Option<String>,
    target: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<u64>,
    verify: Option<String>,
}

/// One row of the audit page: time in Asia/Shanghai, the action in Chinese beside its id.
pub struct AuditRow {
    seq: i64,
    time: String,
    actor: String,
    action: String,
    action_label: &'static str,
    target: String,
    detail: String,
    ip: String,
    hash_alg: String,
    hash: String,
}

impl From<AuditEntry> for AuditRow {
    fn from(e: AuditEntry) -> Self {
        let time = time::OffsetDateTime::parse(&e.at, &time::format_description::well_known::Rfc3339)
            .map(crate::view::shanghai)
            .unwrap_or_else(|_| e.at.clone());
        AuditRow {
            seq: e.seq,
            time,
            // A record is a sealed document: an action this version does not know is shown as stored.
            action_label: e.action.parse::<domain::audit::AuditAction>().map(|a| a.label()).unwrap_or(""),
            actor: e.actor,
            action: e.action,
            target: format!("{} {}", e.target_kind, e.target_id),
            detail: e.detail,
            ip: e.ip,
            hash_alg: e.hash_alg,
            hash: e.hash,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
pub struct AuditPage {
    layout: Layout,
    entries: Vec<AuditRow>,
    pager: Pager,
    actor: String,
    action: String,
    target: String,
    from: String,
    to: String,
    chain: Option<(bool, String)>,
}

pub async fn list_audit(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<AuditPage, PageError> {
    let aq = AuditQuery {
        actor: q.actor.clone(),
        action: q.action.clone(),
        target: q.target.clone(),
        from: q.from.clone(),
        to: q.to.clone(),
    };
    let page = state.store.list_audit(&staff.principal, &aq, PageReq::new(q.page, Some(50))).await?;
    let chain = if q.verify.is_some() {
        Some(match state.store.verify_audit_chain().await? {
            Ok(n) => (true, format!("哈希链完整：共 {n} 条记录，逐条校验通过。")),
            Err(b) => (false, format!("哈希链校验失败：{b}")),
        })
    } else {
        None
    };
    let fq = filter_query(&[
        ("actor", q.actor.clone()),
        ("action", q.action.clone()),
        ("target", q.target.clone()),
        ("from", q.from.clone()),
        ("to", q.to.clone()),
    ]);
    Ok(AuditPage {
        layout: Layout::new(&staff, &state.config.system_name, "审计日志", "/admin/audit"),
        pager: Pager::of(&page, "/admin/audit", &fq),
        entries: page.items.into_iter().map(AuditRow::from).collect(),
        actor: q.actor.unwrap_or_default(),
        action: q.action.unwrap_or_default(),
        target: q.target.unwrap_or_default(),
        from: q.from.unwrap_or_default(),
        to: q.to.unwrap_or_default(),
        chain,
    })
}

/// The whole chain as JSON lines, for outside verification.
pub async fn export_audit(State(state): State<AppState>, staff: Staff) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ViewAudit) {
        return Err(crate::auth::forbidden());
    }
    let entries = state.store.export_audit(&staff.principal).await?;
    let mut body = String::new();
    for e in entries {
        body.push_str(&serde_json::to_string(&e).map_err(|e| crate::error::AppError::Internal(e.to_string()))?);
        body.push('\n');
    }
    Ok((
        [
            (header::CONTENT_TYPE, "application/x-ndjson; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"audit-chain.jsonl\""),
        ],
        body,
    )
        .into_response())
}
