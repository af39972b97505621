//! Demo: fees (F1). `city_staff` (长沙市鉴定中心) has recorded the fees of the approved session's
//! candidates (paid today, one waived) and of the finished session's (paid on its exam day), and
//! remitted the finished session's fees to the treasury, so 考核收费 shows a ledger with something
//! outstanding that reconciles. All through the store's own steps.

use domain::certificates::{FeeStatus, PaymentInput, RemittanceInput, WaiveInput};
use domain::org::Principal;
use store::{Ctx, Store};

/// The fees of `approved` (paid today, the last waived) and `finished` (paid on its first day), and a
/// remittance of what `finished` collected.
pub(super) async fn demo_fees(
    store: &Store,
    city: &Principal,
    approved: i64,
    finished: i64,
    ctx: &Ctx,
) -> anyhow::Result<()> {
    let err = |what: &'static str| move |e: store::StoreError| anyhow::anyhow!("演示考核收费（{what}）：{e}");
    let today = store::today();
    let mut serial = 0;
    let mut remit = domain::ids::Money::ZERO;
    for session in [finished, approved] {
        let s = store.session_fees(city, session).await.map_err(err("读取"))?;
        let paid_on = s.session.first_day.min(today);
        let last = s.fees.len().saturating_sub(1);
        for (i, f) in s.fees.iter().enumerate().filter(|(_, f)| f.status == FeeStatus::Due) {
            if session == approved && i == last {
                let waive = WaiveInput { reason: "建档立卡脱贫人口，依政策免收考核费".into() };
                store.waive_fee(city, session, f.candidate_id, &waive, ctx).await.map_err(err("减免"))?;
                continue;
            }
            serial += 1;
            let pay = PaymentInput {
                paid_on: paid_on.to_string(),
                amount: s.standard.to_string(),
                receipt_number: format!("湘非税 {}-{serial:06}", today.year()),
            };
            store.pay_fee(city, session, f.candidate_id, &pay, ctx).await.map_err(err("缴费"))?;
            if session == finished {
                remit += s.standard;
            }
        }
    }
    if remit.fen() > 0 {
        let r = RemittanceInput {
            remitted_on: today.to_string(),
            amount: remit.to_string(),
            voucher_number: format!("4301-{}-0001", today.year()),
            note: "已结束考核的考核费全额上缴".into(),
        };
        store.record_remittance(city, &r, ctx).await.map_err(err("上缴财政"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use domain::certificates::{FeeStatus, Period};
    use store::entity::{exam_fee, fee_remittance};
    use store::sea_orm::EntityTrait;

    #[tokio::test]
    async fn f1_the_demo_has_fees_paid_one_waived_and_a_remittance_that_reconcile() {
        let (store, _dir) = testkit::fresh_store().await;
        super::super::load(&store).await.expect("demo loads");
        let fees = exam_fee::Entity::find().all(&store.db).await.expect("fees");
        if fees.is_empty() {
            // The calendar could not count the exam days: only the draft session exists.
            return;
        }
        assert_eq!(fees.iter().filter(|f| f.status == FeeStatus::Paid).count(), 7, "{fees:?}");
        assert_eq!(fees.iter().filter(|f| f.status == FeeStatus::Waived).count(), 1);
        let remittances = fee_remittance::Entity::find().all(&store.db).await.expect("remittances");
        assert_eq!(remittances.iter().map(|r| r.amount_fen).collect::<Vec<_>>(), [60_000]);
        let city = domain::org::Principal {
            scope: domain::org::DataScope::City("430100".into()),
            roles: vec![domain::org::Role::CityStaff],
            ..domain::org::Principal::system()
        };
        let year = Period::parse("period", &store::today().year().to_string()).expect("period");
        let ledger = store.fee_ledger(&city, None, year).await.expect("ledger");
        assert_eq!(ledger.total.closing.outstanding().fen(), 45_000, "the approved session's three fees");
        assert_eq!(ledger.total.discrepancy(), None);
        // Loading again adds nothing.
        super::super::load(&store).await.expect("demo loads twice");
        assert_eq!(exam_fee::Entity::find().all(&store.db).await.expect("fees").len(), fees.len());
    }
}
