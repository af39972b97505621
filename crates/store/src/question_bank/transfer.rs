//! P6: the .xlsx import of items (all-or-nothing: every row parsed and checked before anything is
//! written, one transaction, one `question_item.imported` record) and the export of items with their
//! content (the question bank officer only, audited `question_item.exported`). The web layer reads and
//! writes the spreadsheet; rows reach the store as (header, cell) pairs.

use super::items::check_task;
use super::{ItemQuery, ItemSummary};
use crate::audit::AuditDraft;
use crate::entity::qbank_item_version;
use crate::error::require;
use crate::{Ctx, PageReq, Store, StoreError, StoreResult};
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::org::Principal;
use domain::question_bank::{COL_TASK, Item, ItemContent, parse_row};
use domain::{FieldError, FieldErrors};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

/// One spreadsheet row: (column header, cell text) pairs.
pub type ImportRow = Vec<(String, String)>;

/// The most rows one import takes.
pub const MAX_IMPORT_ROWS: usize = 2000;

impl Store {
    /// Import items for a project, all or nothing: every bad cell is reported as `N:列` (N the
    /// spreadsheet's row, header = row 1; the column's Chinese header), and nothing is written unless
    /// every row is good. Returns how many items were created (each version 1, draft).
    pub async fn import_items(
        &self,
        p: &Principal,
        project_id: i64,
        rows: &[ImportRow],
        ctx: &Ctx,
    ) -> StoreResult<usize> {
        require(p, Action::WriteQuestionItems)?;
        let project = self.bank_project(self.reader(), project_id, "project_id").await??;
        if rows.is_empty() {
            return Err(
                FieldError::new("file", "IMPORT_EMPTY", "表格中没有试题（第 1 行为表头，试题从第 2 行起）").into()
            );
        }
        if rows.len() > MAX_IMPORT_ROWS {
            return Err(
                FieldError::new("file", "IMPORT_TOO_MANY", format!("一次最多导入 {MAX_IMPORT_ROWS} 道试题")).into()
            );
        }
        let mut errs = FieldErrors::new();
        let mut items = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let line = i + 2;
            let cells: Vec<(&str, &str)> = row.iter().map(|(h, v)| (h.as_str(), v.as_str())).collect();
            let parsed = parse_row(&cells).and_then(|input| Item::parse(&input));
            match parsed {
                Ok(item) => {
                    if let Err(e) = check_task(&item, project.tasks.len()) {
                        errs.push(e.for_field(format!("{line}:{COL_TASK}")));
                    }
                    items.push(item);
                }
                Err(e) => {
                    for fe in e.0 {
                        let field = format!("{line}:{}", fe.field);
                        errs.push(fe.for_field(field));
                    }
                }
            }
        }
        if !errs.is_empty() {
            return Err(StoreError::Invalid(errs));
        }
        let step = self.step(p, ctx).await?;
        let mut ids = Vec::with_capacity(items.len());
        for item in &items {
            ids.push(self.insert_item(&*step, p, project.id, item).await?);
        }
        step.audit(AuditDraft::new(
            AuditAction::QuestionItemImported,
            ids.first().copied().unwrap_or_default(),
            json!({ "project_id": project.id, "count": ids.len(), "item_ids": ids }),
        ))
        .await?;
        step.commit().await?;
        Ok(items.len())
    }

    /// The items of the list's filters with the content of their newest version, for the export (the
    /// question bank officer only; audited with how many and which items).
    pub async fn export_items(
        &self,
        p: &Principal,
        q: &ItemQuery,
        ctx: &Ctx,
    ) -> StoreResult<Vec<(ItemSummary, ItemContent)>> {
        require(p, Action::ReadQuestionItems)?;
        let mut all = Vec::new();
        let mut page = 1;
        loop {
            let rows = self.list_items(p, q, PageReq::new(Some(page), Some(PageReq::MAX_PER_PAGE))).await?;
            let done = rows.page >= rows.pages();
            all.extend(rows.items);
            if done {
                break;
            }
            page += 1;
        }
        let step = self.step(p, ctx).await?;
        let mut out = Vec::with_capacity(all.len());
        for s in all {
            let v = qbank_item_version::Entity::find()
                .filter(qbank_item_version::Column::ItemId.eq(s.id))
                .filter(qbank_item_version::Column::Version.eq(i32::try_from(s.version).unwrap_or(i32::MAX)))
                .one(&*step)
                .await?
                .ok_or(StoreError::NotFound)?;
            let content = self.open_content(&v)?;
            out.push((s, content));
        }
        let ids: Vec<i64> = out.iter().map(|(s, _)| s.id).collect();
        step.audit(AuditDraft::new(
            AuditAction::QuestionItemExported,
            q.project_id.map_or_else(|| "all".to_owned(), |p| format!("project:{p}")),
            json!({ "count": ids.len(), "item_ids": ids, "by": p.display_name }),
        ))
        .await?;
        step.commit().await?;
        Ok(out)
    }
}
