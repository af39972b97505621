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
use domain::audit::{AuditAction, AuditEntry, AuditTarget};
use domain::authz::Action;
use serde::Deserialize;
use store::PageReq;
use store::audit::{AuditNames, AuditQuery};

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

/// One row of the audit page, as people read it (issue 9 item 5): time in Asia/Shanghai, the person
/// by name beside the user name, the action in Chinese, the record by kind and name, the details as
/// labelled fields. The stored ids stay beside them in small print: the record is a sealed document.
pub struct AuditRow {
    seq: i64,
    time: String,
    actor: String,
    actor_name: String,
    action: String,
    action_label: &'static str,
    target: String,
    target_name: String,
    fields: Vec<(String, String)>,
    ip: String,
    hash_alg: String,
    hash: String,
}

impl AuditRow {
    fn new(e: AuditEntry, names: &AuditNames) -> Self {
        let time = time::OffsetDateTime::parse(&e.at, &time::format_description::well_known::Rfc3339)
            .map(crate::view::shanghai)
            .unwrap_or_else(|_| e.at.clone());
        let kind = e.target_kind.parse::<AuditTarget>().map(|t| t.label()).unwrap_or(e.target_kind.as_str());
        let target_name = names.targets.get(&(e.target_kind.clone(), e.target_id.clone())).cloned().unwrap_or_default();
        AuditRow {
            seq: e.seq,
            time,
            actor_name: names.actors.get(&e.actor).cloned().unwrap_or_default(),
            // A record is a sealed document: an action this version does not know is shown as stored.
            action_label: e.action.parse::<AuditAction>().map(|a| a.label()).unwrap_or(""),
            actor: e.actor,
            action: e.action,
            target: if e.target_id.is_empty() { kind.to_string() } else { format!("{kind}（{}）", e.target_id) },
            target_name,
            fields: detail_fields(&e.detail),
            ip: e.ip,
            hash_alg: e.hash_alg,
            hash: e.hash,
        }
    }
}

/// The Chinese name of a detail field; a key this version does not know is shown as stored.
fn field_label(key: &str) -> &str {
    match key {
        "sessions_ended" => "结束的会话与令牌数",
        "org_id" => "所属机构编号",
        "kind" => "类型",
        "status" => "状态",
        "status_before" => "原状态",
        "size" => "大小（字节）",
        "second_factor" => "双因素认证",
        "pending_second_factor" => "待完成双因素认证",
        "name" => "名称",
        "digest" => "文件摘要",
        "conclusion" => "结论",
        "workdays" => "调休上班日",
        "holidays" => "节假日",
        "version_id" => "版本编号",
        "value" => "取值",
        "username" => "用户名",
        "until" => "截至",
        "from" => "原状态",
        "to" => "新状态",
        "seed" => "随机种子",
        "scope" => "数据范围",
        "rows" => "行数",
        "roles" => "角色",
        "roles_before" => "原角色",
        "roles_after" => "新角色",
        "replaced" => "被替换的专家",
        "position_replaced" => "递补位置",
        "region" => "行政区划代码",
        "receiver" => "受理方",
        "pool" => "专家池人数",
        "pool_hash" => "专家池摘要",
        "policy" => "所依据的政策参数版本",
        "minutes" => "分钟",
        "group" => "评议组",
        "failures" => "失败次数",
        "excluded" => "回避排除人数",
        "effective_from" => "生效日期",
        "credit_code" => "统一社会信用代码",
        "credit_code_warning" => "信用代码校验提示",
        "count" => "数量",
        "commitment" => "种子承诺值",
        "city" => "市州",
        "before" => "修改前",
        "draw_id" => "抽取编号",
        "institution_code" => "机构编码",
        "reason" => "理由",
        "comment" => "说明",
        "repeated" => "同一分钟内重复次数",
        "path" => "访问路径",
        "key" => "参数",
        other => other,
    }
}

/// A stored value in words: roles and states by their Chinese names, lists joined, yes/no.
fn field_value(key: &str, v: &serde_json::Value) -> String {
    use serde_json::Value as V;
    let word = |s: &str| -> String {
        let named = match key {
            k if k.starts_with("roles") => domain::org::Role::parse(s).map(|r| r.label()),
            "from" | "to" | "status" | "status_before" => domain::stations::FilingState::parse(s)
                .map(|x| x.label())
                .or_else(|| domain::org::UserStatus::parse(s).map(|x| x.label())),
            "scope" => domain::org::ScopeKind::parse(s).map(|x| x.label()),
            "kind" => domain::org::OrgKind::parse(s)
                .map(|x| x.label())
                .or_else(|| domain::stations::MaterialKind::parse(s).map(|x| x.label())),
            _ => None,
        };
        named.map(str::to_string).unwrap_or_else(|| s.to_string())
    };
    match v {
        V::Null => "无".into(),
        V::Bool(b) => if *b { "是" } else { "否" }.into(),
        V::String(s) => word(s),
        V::Array(items) if items.is_empty() => "无".into(),
        V::Array(items) => items
            .iter()
            .map(|i| match i {
                V::String(s) => word(s),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join("、"),
        V::Object(m) if m.is_empty() => "无".into(),
        other => other.to_string(),
    }
}

/// The detail of a record as labelled fields; a detail that is not an object is shown as one field.
fn detail_fields(detail: &str) -> Vec<(String, String)> {
    match serde_json::from_str::<serde_json::Value>(detail) {
        Ok(serde_json::Value::Object(m)) => {
            m.iter().map(|(k, v)| (field_label(k).to_string(), field_value(k, v))).collect()
        }
        _ if detail.is_empty() || detail == "{}" => Vec::new(),
        _ => vec![("详情".into(), detail.to_string())],
    }
}

/// The action filter: each area's actions under its own heading, any of them or the whole area.
pub struct ActionGroup {
    prefix: String,
    label: &'static str,
    actions: Vec<(&'static str, &'static str)>,
}

fn action_groups() -> Vec<ActionGroup> {
    // The older areas name their heading here; every other area by the target of its first action
    // (考核项目, 试题, 试卷, 考核计划, 考评人员, 培训班, 考核收费, 空白证书, 证书, …).
    let heading = |prefix: &str, a: AuditAction| match prefix {
        "auth" => "登录与会话",
        "authz" => "访问控制",
        "user" => "用户",
        "org" => "机构",
        "policy" => "政策参数",
        "calendar" => "工作日历",
        "workflow" => "待办",
        "expert" => "专家库",
        "draw" => "专家抽取",
        "filing" => "考核站备案",
        _ => a.target().label(),
    };
    let mut groups: Vec<ActionGroup> = Vec::new();
    for a in AuditAction::ALL {
        let prefix = a.id().split('.').next().unwrap_or_default();
        match groups.iter_mut().find(|g| g.prefix == format!("{prefix}.")) {
            Some(g) => g.actions.push((a.id(), a.label())),
            None => groups.push(ActionGroup {
                prefix: format!("{prefix}."),
                label: heading(prefix, *a),
                actions: vec![(a.id(), a.label())],
            }),
        }
    }
    groups
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
pub struct AuditPage {
    layout: Layout,
    entries: Vec<AuditRow>,
    groups: Vec<ActionGroup>,
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
    let names = state.store.audit_names(&staff.principal, &page.items).await?;
    Ok(AuditPage {
        layout: Layout::new(&staff, &state.config.system_name, "审计日志", "/admin/audit"),
        pager: Pager::of(&page, "/admin/audit", &fq),
        entries: page.items.into_iter().map(|e| AuditRow::new(e, &names)).collect(),
        groups: action_groups(),
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

#[cfg(test)]
mod tests {
    use super::action_groups;

    #[test]
    fn every_area_of_the_audit_filter_has_a_heading_of_its_own() {
        let groups = action_groups();
        let labels: Vec<&str> = groups.iter().map(|g| g.label).collect();
        assert!(!labels.contains(&"其他"), "{labels:?}");
        for expected in ["考核站备案", "考核项目", "考核计划", "考评人员", "考核收费", "空白证书", "证书"]
        {
            assert!(labels.contains(&expected), "{expected} missing from {labels:?}");
        }
        // One heading per prefix: the filter selects an area by its prefix.
        let mut prefixes: Vec<&str> = groups.iter().map(|g| g.prefix.as_str()).collect();
        let n = prefixes.len();
        prefixes.sort_unstable();
        prefixes.dedup();
        assert_eq!(prefixes.len(), n);
    }
}
