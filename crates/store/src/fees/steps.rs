//! F1: the steps that move a city center's ledger — a candidate's payment, waiver and refund, and a
//! remittance to the treasury. Each is one `Step`: the city's `fee_ledgers` row claimed first (so the
//! steps of one ledger follow each other on both databases), the fee's state read again inside the
//! step, the change, its audit record.

use super::{records_for, sums_by_date};
use crate::audit::AuditDraft;
use crate::entity::{exam_candidate, exam_fee, exam_session, fee_remittance};
use crate::error::require;
use crate::policy::PolicyUsed;
use crate::{Ctx, Store, StoreError, StoreResult, now, today};
use domain::audit::AuditAction;
use domain::authz::Action;
use domain::certificates::{
    FeeEvent, FeeRefusal, FeeStatus, PaymentInput, Reconciliation, RefundInput, RemittanceInput, WaiveInput,
    fee_transition, parse_reason,
};
use domain::exams::SessionState;
use domain::ids::Money;
use domain::org::{DataScope, Principal};
use domain::{FieldError, FieldErrors};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use std::collections::BTreeMap;
use time::Date;

/// A refusal of the fee's rules: its state (409) or a field (422).
fn refused(r: FeeRefusal) -> StoreError {
    match r {
        FeeRefusal::NotAllowed { .. } => StoreError::Conflict(r.to_field_error()),
        _ => StoreError::Invalid(FieldErrors::from(r.to_field_error())),
    }
}

fn changed() -> StoreError {
    StoreError::Conflict(FieldError::new("", "FEE_CHANGED", "该考生的考核费刚被他人登记，请刷新后查看"))
}

/// What a fee step acts on, checked before the step opens.
struct Target {
    session: exam_session::Model,
    candidate: exam_candidate::Model,
    city: String,
}

/// The fee row of a candidate, read on `db` (inside a step: what it has claimed).
async fn fee_row<C: ConnectionTrait>(db: &C, candidate_id: i64) -> StoreResult<Option<exam_fee::Model>> {
    exam_fee::Entity::find()
        .filter(exam_fee::Column::CandidateId.eq(candidate_id))
        .one(db)
        .await
        .map_err(StoreError::reading(format!("fee of candidate {candidate_id}")))
}

/// The ledger of `city` at the day from `from` on where the least is outstanding (cumulative sums up to
/// that day): what a remittance dated `from` may at most take without any later day going negative.
async fn tightest_balance<C: ConnectionTrait>(db: &C, city: &str, from: Date) -> StoreResult<Reconciliation> {
    let paid = sums_by_date::<exam_fee::Entity, _>(
        db,
        Condition::all().add(exam_fee::Column::City.eq(city)).add(exam_fee::Column::PaidOn.is_not_null()),
        exam_fee::Column::PaidOn,
    )
    .await?;
    let refunded = sums_by_date::<exam_fee::Entity, _>(
        db,
        Condition::all().add(exam_fee::Column::City.eq(city)).add(exam_fee::Column::RefundedOn.is_not_null()),
        exam_fee::Column::RefundedOn,
    )
    .await?;
    let remitted = sums_by_date::<fee_remittance::Entity, _>(
        db,
        Condition::all().add(fee_remittance::Column::City.eq(city)),
        fee_remittance::Column::RemittedOn,
    )
    .await?;
    let mut days: BTreeMap<Date, Reconciliation> = BTreeMap::new();
    for (d, v) in paid {
        days.entry(d).or_default().collected = Money::from_fen(v);
    }
    for (d, v) in refunded {
        days.entry(d).or_default().refunded = Money::from_fen(v);
    }
    for (d, v) in remitted {
        days.entry(d).or_default().remitted = Money::from_fen(v);
    }
    let mut running = Reconciliation::default();
    let mut at_from: Option<Reconciliation> = None;
    let mut tightest: Option<Reconciliation> = None;
    for (d, delta) in days {
        if d > from && at_from.is_none() {
            at_from = Some(running);
            tightest = Some(running);
        }
        running = Reconciliation {
            collected: running.collected + delta.collected,
            refunded: running.refunded + delta.refunded,
            remitted: running.remitted + delta.remitted,
        };
        if d > from && tightest.is_some_and(|t| running.outstanding() < t.outstanding()) {
            tightest = Some(running);
        }
    }
    Ok(tightest.unwrap_or(running))
}

impl Store {
    /// The session and candidate a fee step acts on, for staff of the city that holds the fees.
    async fn fee_target(&self, p: &Principal, session_id: i64, candidate_id: i64) -> StoreResult<Target> {
        require(p, Action::RecordFees)?;
        let session = self.session_in_scope(p, session_id).await?;
        let candidate = exam_candidate::Entity::find_by_id(candidate_id)
            .one(self.reader())
            .await?
            .filter(|c| c.session_id == session_id)
            .ok_or(StoreError::NotFound)?;
        let city = session.station_city.clone().ok_or_else(|| {
            StoreError::Conflict(FieldError::new(
                "",
                "FEE_NO_CITY_CENTER",
                "该考核站不属于任何市州，考核费不由市州鉴定中心收取",
            ))
        })?;
        if !records_for(p, &city) {
            return Err(StoreError::Forbidden);
        }
        if session.state != SessionState::Approved {
            return Err(StoreError::Conflict(FieldError::new(
                "",
                "FEE_SESSION_NOT_APPROVED",
                "考核计划经批准、考生名单确定后，方可登记考核费",
            )));
        }
        Ok(Target { session, candidate, city })
    }

    /// F1: the city center records a candidate's payment of the standard fee (date, amount, receipt
    /// number). Refused: the amount not the standard (`FEE_AMOUNT`), a fee not due (`FEE_STATE`, 409), a
    /// receipt number already used in the city (`FEE_RECEIPT_USED`).
    pub async fn pay_fee(
        &self,
        p: &Principal,
        session_id: i64,
        candidate_id: i64,
        input: &PaymentInput,
        ctx: &Ctx,
    ) -> StoreResult<()> {
        let t = self.fee_target(p, session_id, candidate_id).await?;
        let payment = input.parse(today())?;
        let mut used = PolicyUsed::default();
        let (standard, version) = self.fee_standard(t.session.first_day, &mut used).await?;
        let event = FeeEvent::Pay { amount: payment.amount };
        let current = fee_row(self.reader(), candidate_id).await?.map_or(FeeStatus::Due, |f| f.status);
        fee_transition(current, standard, &event).map_err(refused)?;
        let step = self.step(p, ctx).await?;
        step.claim_city_row("fee_ledgers", &t.city).await?;
        if let Some(f) = fee_row(&*step, candidate_id).await? {
            fee_transition(f.status, standard, &event).map_err(refused)?;
            return Err(changed());
        }
        let taken = exam_fee::Entity::find()
            .filter(exam_fee::Column::City.eq(t.city.clone()))
            .filter(exam_fee::Column::ReceiptNumber.eq(payment.receipt_number.clone()))
            .one(&*step)
            .await
            .map_err(StoreError::reading("fee by receipt number"))?;
        if let Some(other) = taken {
            let who = exam_candidate::Entity::find_by_id(other.candidate_id)
                .one(&*step)
                .await?
                .map(|c| c.name)
                .unwrap_or_default();
            return Err(StoreError::Invalid(FieldErrors::from(FieldError::new(
                "receipt_number",
                "FEE_RECEIPT_USED",
                format!("票据号 {} 已登记为考生 {who} 的缴费，请核对票据", payment.receipt_number),
            ))));
        }
        let at = now();
        let row = exam_fee::ActiveModel {
            candidate_id: Set(candidate_id),
            session_id: Set(session_id),
            city: Set(t.city.clone()),
            status: Set(FeeStatus::Paid),
            amount_fen: Set(payment.amount.fen()),
            policy_version_id: Set(Some(version)),
            paid_on: Set(Some(payment.paid_on)),
            receipt_number: Set(Some(payment.receipt_number.clone())),
            paid_by: Set(Some(p.username.clone())),
            paid_at: Set(Some(at)),
            waived_on: Set(None),
            refunded_on: Set(None),
            reason: Set(String::new()),
            decided_by: Set(None),
            decided_at: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        step.audit(AuditDraft::new(
            AuditAction::FeePaid,
            candidate_id,
            json!({ "session_id": session_id, "candidate_id": candidate_id, "candidate": t.candidate.name,
                    "fee_id": row.id, "city": t.city, "amount": payment.amount.to_string(),
                    "paid_on": payment.paid_on.to_string(), "receipt_number": payment.receipt_number,
                    "policy": used.to_json() }),
        ))
        .await?;
        step.commit().await
    }

    /// F1: the city center waives a due fee with a reason (`REASON_REQUIRED`; a fee not due: `FEE_STATE`).
    pub async fn waive_fee(
        &self,
        p: &Principal,
        session_id: i64,
        candidate_id: i64,
        input: &WaiveInput,
        ctx: &Ctx,
    ) -> StoreResult<()> {
        let t = self.fee_target(p, session_id, candidate_id).await?;
        let mut used = PolicyUsed::default();
        let (standard, version) = self.fee_standard(t.session.first_day, &mut used).await?;
        let current = fee_row(self.reader(), candidate_id).await?.map_or(FeeStatus::Due, |f| f.status);
        // The state first (a paid fee is refunded, never waived), then the reason.
        fee_transition(current, standard, &FeeEvent::Waive { reason: "-".into() }).map_err(refused)?;
        let reason = parse_reason("减免", &input.reason)?;
        let event = FeeEvent::Waive { reason: reason.clone() };
        let step = self.step(p, ctx).await?;
        step.claim_city_row("fee_ledgers", &t.city).await?;
        if let Some(f) = fee_row(&*step, candidate_id).await? {
            fee_transition(f.status, standard, &event).map_err(refused)?;
            return Err(changed());
        }
        let at = now();
        let on = today();
        let row = exam_fee::ActiveModel {
            candidate_id: Set(candidate_id),
            session_id: Set(session_id),
            city: Set(t.city.clone()),
            status: Set(FeeStatus::Waived),
            amount_fen: Set(0),
            policy_version_id: Set(Some(version)),
            paid_on: Set(None),
            receipt_number: Set(None),
            paid_by: Set(None),
            paid_at: Set(None),
            waived_on: Set(Some(on)),
            refunded_on: Set(None),
            reason: Set(reason.clone()),
            decided_by: Set(Some(p.username.clone())),
            decided_at: Set(Some(at)),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        step.audit(AuditDraft::new(
            AuditAction::FeeWaived,
            candidate_id,
            json!({ "session_id": session_id, "candidate_id": candidate_id, "candidate": t.candidate.name,
                    "fee_id": row.id, "city": t.city, "standard": standard.to_string(),
                    "waived_on": on.to_string(), "reason": reason, "policy": used.to_json() }),
        ))
        .await?;
        step.commit().await
    }

    /// F1: the city center refunds a paid fee (date, reason). Refused: a fee not paid (`FEE_STATE`), no
    /// reason (`REASON_REQUIRED`), a date before the payment or in the future.
    pub async fn refund_fee(
        &self,
        p: &Principal,
        session_id: i64,
        candidate_id: i64,
        input: &RefundInput,
        ctx: &Ctx,
    ) -> StoreResult<()> {
        let t = self.fee_target(p, session_id, candidate_id).await?;
        let row = fee_row(self.reader(), candidate_id).await?;
        let current = row.as_ref().map_or(FeeStatus::Due, |f| f.status);
        let standard = Money::from_fen(row.as_ref().map_or(0, |f| f.amount_fen));
        fee_transition(current, standard, &FeeEvent::Refund { reason: "-".into() }).map_err(refused)?;
        let row = row.ok_or_else(changed)?;
        let refund = input.parse(row.paid_on, today())?;
        let step = self.step(p, ctx).await?;
        step.claim_city_row("fee_ledgers", &t.city).await?;
        let at = now();
        let r = exam_fee::Entity::update_many()
            .col_expr(exam_fee::Column::Status, Expr::value(FeeStatus::Refunded))
            .col_expr(exam_fee::Column::RefundedOn, Expr::value(Some(refund.refunded_on)))
            .col_expr(exam_fee::Column::Reason, Expr::value(refund.reason.clone()))
            .col_expr(exam_fee::Column::DecidedBy, Expr::value(Some(p.username.clone())))
            .col_expr(exam_fee::Column::DecidedAt, Expr::value(Some(at)))
            .col_expr(exam_fee::Column::UpdatedAt, Expr::value(at))
            .filter(exam_fee::Column::Id.eq(row.id))
            .filter(exam_fee::Column::Status.eq(FeeStatus::Paid))
            .exec(&*step)
            .await?;
        if r.rows_affected != 1 {
            return Err(changed());
        }
        step.audit(AuditDraft::new(
            AuditAction::FeeRefunded,
            candidate_id,
            json!({ "session_id": session_id, "candidate_id": candidate_id, "candidate": t.candidate.name,
                    "fee_id": row.id, "city": t.city, "amount": standard.to_string(),
                    "paid_on": row.paid_on.map(|d| d.to_string()), "receipt_number": row.receipt_number,
                    "refunded_on": refund.refunded_on.to_string(), "reason": refund.reason }),
        ))
        .await?;
        step.commit().await
    }

    /// F1: a city center records a remittance to the treasury (上缴财政). Refused when the amount
    /// exceeds what is outstanding on its date or on any later day of the ledger (`REMITTANCE_AMOUNT`),
    /// or the voucher number was used in the city before (`REMITTANCE_VOUCHER_USED`). Answers its id.
    pub async fn record_remittance(&self, p: &Principal, input: &RemittanceInput, ctx: &Ctx) -> StoreResult<i64> {
        require(p, Action::RecordFees)?;
        let DataScope::City(city) = &p.scope else {
            return Err(StoreError::Forbidden);
        };
        let r = input.parse(today())?;
        let step = self.step(p, ctx).await?;
        step.claim_city_row("fee_ledgers", city).await?;
        let taken = fee_remittance::Entity::find()
            .filter(fee_remittance::Column::City.eq(city.clone()))
            .filter(fee_remittance::Column::VoucherNumber.eq(r.voucher_number.clone()))
            .one(&*step)
            .await?;
        if let Some(other) = taken {
            return Err(StoreError::Invalid(FieldErrors::from(FieldError::new(
                "voucher_number",
                "REMITTANCE_VOUCHER_USED",
                format!("缴款凭证号 {} 已于 {} 登记过上缴，请核对凭证", r.voucher_number, other.remitted_on),
            ))));
        }
        let balance = tightest_balance(&*step, city, r.remitted_on).await?;
        balance.check_remittance(r.amount)?;
        let row = fee_remittance::ActiveModel {
            city: Set(city.clone()),
            remitted_on: Set(r.remitted_on),
            amount_fen: Set(r.amount.fen()),
            voucher_number: Set(r.voucher_number.clone()),
            note: Set(r.note.clone()),
            recorded_by: Set(p.username.clone()),
            recorded_at: Set(now()),
            ..Default::default()
        }
        .insert(&*step)
        .await?;
        step.audit(AuditDraft::new(
            AuditAction::FeeRemittanceRecorded,
            row.id,
            json!({ "city": city, "remitted_on": r.remitted_on.to_string(), "amount": r.amount.to_string(),
                    "voucher_number": r.voucher_number, "note": r.note,
                    "outstanding_before": balance.outstanding().to_string() }),
        ))
        .await?;
        step.commit().await?;
        Ok(row.id)
    }
}
