//! F3: the steps of a subsidy batch — build it from the eligible certificates of a period, approve or
//! reject each claim, approve the batch, record its payment. Each is one `Step` with its audit record.

use super::{BatchView, key_of, manages};
use crate::audit::AuditDraft;
use crate::entity::{certificate, subsidy_batch, subsidy_claim};
use crate::error::require;
use crate::{Ctx, Store, StoreError, StoreResult, now, today};
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::certificates::{
    BatchEvent, BatchInput, BatchStatus, ClaimEvent, ClaimStatus, SubsidyPayInput, batch_transition, claim_transition,
    parse_reason,
};
use domain::ids::Money;
use domain::org::{DataScope, Principal};
use domain::{FieldError, FieldErrors};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;
use std::collections::HashMap;

fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

fn changed() -> StoreError {
    StoreError::Conflict(FieldError::new("", "SUBSIDY_CHANGED", "该补贴申领刚被他人处理，请刷新后查看"))
}

fn nothing_to_claim(period: &str) -> StoreError {
    StoreError::Conflict(FieldError::new(
        "period",
        "SUBSIDY_NOTHING_TO_CLAIM",
        format!("{period} 发证的证书中没有可申领补贴的（均已申领或不符合条件，原因见预览）"),
    ))
}

/// A claim refusal: its state (409) or the reason (422).
fn refused(r: domain::certificates::ClaimRefusal) -> StoreError {
    match r {
        domain::certificates::ClaimRefusal::NotAllowed { .. } => StoreError::Conflict(r.to_field_error()),
        _ => StoreError::Invalid(FieldErrors::from(r.to_field_error())),
    }
}

/// A batch still open to decisions on its claims (`SUBSIDY_BATCH_STATE` otherwise).
fn open_batch(b: &subsidy_batch::Model) -> StoreResult<()> {
    if b.status != BatchStatus::Pending {
        return Err(StoreError::Conflict(FieldError::new(
            "",
            "SUBSIDY_BATCH_STATE",
            format!("该批次当前为“{}”，不能再审核其中的申领", b.status.label()),
        )));
    }
    Ok(())
}

impl Store {
    /// The batch a step acts on: `subsidy.manage` (403), in scope (404), staff of its city (403).
    async fn managed_batch(&self, p: &Principal, id: i64) -> StoreResult<subsidy_batch::Model> {
        require(p, Action::ManageSubsidies)?;
        let b = self.subsidy_batch_in_scope(p, id).await?;
        if !manages(p, &b.city) {
            return Err(StoreError::Forbidden);
        }
        Ok(b)
    }

    /// F3: the city center builds a batch of the period's eligible certificates not yet claimed, all in
    /// one step. Refused: a bad period (`period`), nothing to claim (`SUBSIDY_NOTHING_TO_CLAIM`). Answers
    /// the batch's id.
    pub async fn build_subsidy_batch(&self, p: &Principal, input: &BatchInput, ctx: &Ctx) -> StoreResult<i64> {
        require(p, Action::ManageSubsidies)?;
        let DataScope::City(city) = &p.scope else {
            return Err(StoreError::Forbidden);
        };
        let (period, text) = input.parse()?;
        let mut policy = HashMap::new();
        let before = self.assess_subsidies(self.reader(), city, period, &mut policy).await?;
        if !before.iter().any(|c| c.reasons.is_empty()) {
            return Err(nothing_to_claim(&text));
        }
        let step = self.step(p, ctx).await?;
        step.claim_city_row("subsidy_cities", city).await?;
        let eligible: Vec<_> = self
            .assess_subsidies(&*step, city, period, &mut policy)
            .await?
            .into_iter()
            .filter(|c| c.reasons.is_empty())
            .collect();
        if eligible.is_empty() {
            return Err(nothing_to_claim(&text));
        }
        let at = now();
        let total = eligible.iter().fold(Money::from_fen(0), |a, c| a + c.amount);
        let batch = subsidy_batch::ActiveModel {
            city: Set(city.clone()),
            period: Set(text.clone()),
            first_day: Set(period.first),
            last_day: Set(period.last),
            status: Set(BatchStatus::Pending),
            claim_count: Set(eligible.len() as i32),
            amount_fen: Set(total.fen()),
            built_by: Set(p.username.clone()),
            built_at: Set(at),
            approved_by: Set(None),
            approved_at: Set(None),
            paid_on: Set(None),
            voucher_number: Set(None),
            paid_by: Set(None),
            paid_at: Set(None),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        let ids: Vec<i64> = eligible.iter().map(|c| c.certificate_id).collect();
        let certs: HashMap<i64, certificate::Model> = certificate::Entity::find()
            .filter(certificate::Column::Id.is_in(ids))
            .all(&*step)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let mut rows = Vec::with_capacity(eligible.len());
        let mut versions: Vec<i64> = Vec::new();
        for e in &eligible {
            let c = certs.get(&e.certificate_id).ok_or_else(changed)?;
            let cats = policy.get(&e.issued_on).map(|d| d.categories_version);
            for v in [Some(e.policy_version_id), cats].into_iter().flatten() {
                if !versions.contains(&v) {
                    versions.push(v);
                }
            }
            rows.push(subsidy_claim::ActiveModel {
                batch_id: Set(batch.id),
                city: Set(city.clone()),
                certificate_id: Set(c.id),
                certificate_number: Set(c.number.clone()),
                candidate_id: Set(c.candidate_id),
                session_id: Set(c.session_id),
                project_id: Set(c.project_id),
                holder_name: Set(c.holder_name.clone()),
                id_number_enc: Set(c.id_number_enc.clone()),
                id_number_idx: Set(c.id_number_idx.clone()),
                id_number_masked: Set(c.id_number_masked.clone()),
                category: Set(e.category.clone()),
                amount_fen: Set(e.amount.fen()),
                policy_version_id: Set(e.policy_version_id),
                status: Set(ClaimStatus::Pending),
                active_key: Set(Some(key_of(c))),
                reason: Set(String::new()),
                decided_by: Set(None),
                decided_at: Set(None),
                created_at: Set(at),
                ..Default::default()
            });
        }
        for chunk in rows.chunks(200) {
            subsidy_claim::Entity::insert_many(chunk.to_vec()).exec(&*step).await.map_err(|e| {
                if is_unique_violation(&e) {
                    StoreError::Conflict(FieldError::new(
                        "period",
                        "SUBSIDY_ALREADY_CLAIMED",
                        "其中有人员已就同一项目申领过补贴（刚被另一批次申领），请重新预览后生成",
                    ))
                } else {
                    e.into()
                }
            })?;
        }
        let numbers: Vec<&str> = eligible.iter().map(|c| c.certificate_number.as_str()).collect();
        step.audit(AuditDraft::new(
            AuditAction::SubsidyBatchBuilt,
            batch.id,
            json!({ "city": city, "period": text, "first_day": period.first.to_string(),
                    "last_day": period.last.to_string(), "claims": eligible.len(), "amount": total.to_string(),
                    "certificates": numbers, "policy_versions": versions }),
        ))
        .await?;
        step.commit().await?;
        Ok(batch.id)
    }

    /// F3: a pending claim of a pending batch approved (`CLAIM_STATE`, `SUBSIDY_BATCH_STATE` otherwise).
    pub async fn approve_subsidy_claim(
        &self,
        p: &Principal,
        batch_id: i64,
        claim_id: i64,
        ctx: &Ctx,
    ) -> StoreResult<()> {
        self.decide_claim(p, batch_id, claim_id, ClaimEvent::Approve, ctx).await
    }

    /// F3: a pending claim rejected with a reason (`REASON_REQUIRED`); it no longer holds the person and
    /// project, so a later batch may claim them again (`ineligibility`'s `already_claimed`).
    pub async fn reject_subsidy_claim(
        &self,
        p: &Principal,
        batch_id: i64,
        claim_id: i64,
        reason: &str,
        ctx: &Ctx,
    ) -> StoreResult<()> {
        self.decide_claim(p, batch_id, claim_id, ClaimEvent::Reject { reason: reason.to_owned() }, ctx).await
    }

    async fn decide_claim(
        &self,
        p: &Principal,
        batch_id: i64,
        claim_id: i64,
        event: ClaimEvent,
        ctx: &Ctx,
    ) -> StoreResult<()> {
        let b = self.managed_batch(p, batch_id).await?;
        let claim = subsidy_claim::Entity::find_by_id(claim_id)
            .one(self.reader())
            .await?
            .filter(|c| c.batch_id == batch_id)
            .ok_or(StoreError::NotFound)?;
        open_batch(&b)?;
        // The state first, then the reason.
        let probe = match &event {
            ClaimEvent::Reject { .. } => ClaimEvent::Reject { reason: "-".into() },
            e => e.clone(),
        };
        claim_transition(claim.status, &probe).map_err(refused)?;
        let event = match event {
            ClaimEvent::Reject { reason } => ClaimEvent::Reject { reason: parse_reason("不予补贴", &reason)? },
            e => e,
        };
        let to = claim_transition(claim.status, &event).map_err(refused)?;
        let step = self.step(p, ctx).await?;
        let at = now();
        let mut upd = subsidy_claim::Entity::update_many()
            .col_expr(subsidy_claim::Column::Status, Expr::value(to))
            .col_expr(subsidy_claim::Column::DecidedBy, Expr::value(Some(p.username.clone())))
            .col_expr(subsidy_claim::Column::DecidedAt, Expr::value(Some(at)));
        let (action, reason) = match &event {
            ClaimEvent::Reject { reason } => {
                upd = upd
                    .col_expr(subsidy_claim::Column::Reason, Expr::value(reason.clone()))
                    .col_expr(subsidy_claim::Column::ActiveKey, Expr::value(Option::<String>::None));
                (AuditAction::SubsidyClaimRejected, reason.clone())
            }
            _ => (AuditAction::SubsidyClaimApproved, String::new()),
        };
        let r = upd
            .filter(subsidy_claim::Column::Id.eq(claim_id))
            .filter(subsidy_claim::Column::Status.eq(ClaimStatus::Pending))
            .exec(&*step)
            .await?;
        if r.rows_affected != 1 {
            return Err(changed());
        }
        let mut batch_upd = subsidy_batch::Entity::update_many().filter(subsidy_batch::Column::Id.eq(batch_id));
        if to == ClaimStatus::Rejected {
            batch_upd = batch_upd.col_expr(
                subsidy_batch::Column::AmountFen,
                Expr::col(subsidy_batch::Column::AmountFen).sub(claim.amount_fen),
            );
        } else {
            batch_upd = batch_upd.col_expr(subsidy_batch::Column::Status, Expr::value(BatchStatus::Pending));
        }
        let r = batch_upd.filter(subsidy_batch::Column::Status.eq(BatchStatus::Pending)).exec(&*step).await?;
        if r.rows_affected != 1 {
            return Err(changed());
        }
        step.audit(AuditDraft::new(
            action,
            batch_id,
            json!({ "batch_id": batch_id, "claim_id": claim_id, "city": b.city, "period": b.period,
                    "certificate_number": claim.certificate_number, "holder": claim.holder_name,
                    "amount": Money::from_fen(claim.amount_fen).to_string(), "reason": reason }),
        ))
        .await?;
        step.commit().await
    }

    /// F3: the batch approved with its pending claims (`SUBSIDY_BATCH_EMPTY` when every claim was
    /// rejected; `SUBSIDY_BATCH_STATE` when not pending).
    pub async fn approve_subsidy_batch(&self, p: &Principal, batch_id: i64, ctx: &Ctx) -> StoreResult<()> {
        self.managed_batch(p, batch_id).await?;
        let step = self.step(p, ctx).await?;
        let b = subsidy_batch::Entity::find_by_id(batch_id).one(&*step).await?.ok_or(StoreError::NotFound)?;
        let standing = subsidy_claim::Entity::find()
            .filter(subsidy_claim::Column::BatchId.eq(batch_id))
            .filter(subsidy_claim::Column::Status.ne(ClaimStatus::Rejected))
            .count(&*step)
            .await? as usize;
        batch_transition(b.status, BatchEvent::Approve { standing }).map_err(StoreError::Conflict)?;
        let at = now();
        let approved = subsidy_claim::Entity::update_many()
            .col_expr(subsidy_claim::Column::Status, Expr::value(ClaimStatus::Approved))
            .col_expr(subsidy_claim::Column::DecidedBy, Expr::value(Some(p.username.clone())))
            .col_expr(subsidy_claim::Column::DecidedAt, Expr::value(Some(at)))
            .filter(subsidy_claim::Column::BatchId.eq(batch_id))
            .filter(subsidy_claim::Column::Status.eq(ClaimStatus::Pending))
            .exec(&*step)
            .await?;
        let r = subsidy_batch::Entity::update_many()
            .col_expr(subsidy_batch::Column::Status, Expr::value(BatchStatus::Approved))
            .col_expr(subsidy_batch::Column::ApprovedBy, Expr::value(Some(p.username.clone())))
            .col_expr(subsidy_batch::Column::ApprovedAt, Expr::value(Some(at)))
            .filter(subsidy_batch::Column::Id.eq(batch_id))
            .filter(subsidy_batch::Column::Status.eq(BatchStatus::Pending))
            .exec(&*step)
            .await?;
        if r.rows_affected != 1 {
            return Err(changed());
        }
        step.audit(AuditDraft::new(
            AuditAction::SubsidyBatchApproved,
            batch_id,
            json!({ "city": b.city, "period": b.period, "claims": standing,
                    "approved_now": approved.rows_affected, "amount": Money::from_fen(b.amount_fen).to_string() }),
        ))
        .await?;
        step.commit().await
    }

    /// F3: the approved batch's payment recorded (date not before its approval nor after today, the
    /// voucher number once per city, `SUBSIDY_VOUCHER_USED`); its approved claims become paid.
    pub async fn pay_subsidy_batch(
        &self,
        p: &Principal,
        batch_id: i64,
        input: &SubsidyPayInput,
        ctx: &Ctx,
    ) -> StoreResult<()> {
        let b = self.managed_batch(p, batch_id).await?;
        batch_transition(b.status, BatchEvent::Pay).map_err(StoreError::Conflict)?;
        let pay = input.parse(b.approved_at.map(super::issue_day), today())?;
        let step = self.step(p, ctx).await?;
        let used = subsidy_batch::Entity::find()
            .filter(subsidy_batch::Column::City.eq(b.city.clone()))
            .filter(subsidy_batch::Column::VoucherNumber.eq(pay.voucher_number.clone()))
            .one(&*step)
            .await?;
        if let Some(other) = used {
            return Err(StoreError::Invalid(FieldErrors::from(FieldError::new(
                "voucher_number",
                "SUBSIDY_VOUCHER_USED",
                format!("拨付凭证号 {} 已登记为 {} 批次的发放，请核对凭证", pay.voucher_number, other.period),
            ))));
        }
        let at = now();
        let paid = subsidy_claim::Entity::update_many()
            .col_expr(subsidy_claim::Column::Status, Expr::value(ClaimStatus::Paid))
            .filter(subsidy_claim::Column::BatchId.eq(batch_id))
            .filter(subsidy_claim::Column::Status.eq(ClaimStatus::Approved))
            .exec(&*step)
            .await?;
        let r = subsidy_batch::Entity::update_many()
            .col_expr(subsidy_batch::Column::Status, Expr::value(BatchStatus::Paid))
            .col_expr(subsidy_batch::Column::PaidOn, Expr::value(Some(pay.paid_on)))
            .col_expr(subsidy_batch::Column::VoucherNumber, Expr::value(Some(pay.voucher_number.clone())))
            .col_expr(subsidy_batch::Column::PaidBy, Expr::value(Some(p.username.clone())))
            .col_expr(subsidy_batch::Column::PaidAt, Expr::value(Some(at)))
            .filter(subsidy_batch::Column::Id.eq(batch_id))
            .filter(subsidy_batch::Column::Status.eq(BatchStatus::Approved))
            .exec(&*step)
            .await?;
        if r.rows_affected != 1 {
            return Err(changed());
        }
        step.audit(AuditDraft::new(
            AuditAction::SubsidyBatchPaid,
            batch_id,
            json!({ "city": b.city, "period": b.period, "claims_paid": paid.rows_affected,
                    "amount": Money::from_fen(b.amount_fen).to_string(), "paid_on": pay.paid_on.to_string(),
                    "voucher_number": pay.voucher_number }),
        ))
        .await?;
        step.commit().await
    }

    /// The audit record of a batch's export with full ID numbers (none for a masked one).
    pub(crate) async fn record_subsidy_export(
        &self,
        p: &Principal,
        b: &BatchView,
        rows: usize,
        full: bool,
        ctx: &Ctx,
    ) -> StoreResult<()> {
        if !full {
            return Ok(());
        }
        let step = self.step(p, ctx).await?;
        step.audit(AuditDraft::new(
            AuditAction::SubsidyBatchExported,
            b.id,
            json!({ "city": b.city, "period": b.period, "rows": rows, "id_numbers": "full" }),
        ))
        .await?;
        step.commit().await
    }
}
