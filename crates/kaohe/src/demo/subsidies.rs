//! Demo: the certificate subsidy (F3). `province_admin` publishes a standard of 300.00 元/人 in force
//! from today (the first version is 0: no standard), and `city_staff` (长沙市鉴定中心) builds this month's
//! batch from the certificates issued to the finished session's passed candidates — trained, in an
//! eligible category — and approves it, so 取证补贴 shows a batch waiting for its payment to be recorded.
//! All through the store's own steps.

use domain::certificates::BatchInput;
use domain::org::Principal;
use store::{Ctx, Store, StoreError};

pub(super) async fn demo_subsidies(
    store: &Store,
    admin: &Principal,
    city: &Principal,
    ctx: &Ctx,
) -> anyhow::Result<()> {
    let err = |what: &'static str| move |e: StoreError| anyhow::anyhow!("演示取证补贴（{what}）：{e}");
    store
        .add_policy_version(
            admin,
            domain::policy::keys::CERTIFICATE_SUBSIDY,
            "300.00",
            Some(store::today()),
            "演示：取证补贴标准（以省人社厅、财政厅文件为准）",
            ctx,
        )
        .await
        .map_err(err("补贴标准"))?;
    let t = store::today();
    let input = BatchInput { period: format!("{}-{:02}", t.year(), u8::from(t.month())) };
    let id = match store.build_subsidy_batch(city, &input, ctx).await {
        Ok(id) => id,
        // No certificate issued (the calendar could not count the exam days): nothing to claim.
        Err(StoreError::Conflict(_)) => return Ok(()),
        Err(e) => return Err(err("生成批次")(e)),
    };
    store.approve_subsidy_batch(city, id, ctx).await.map_err(err("审核批次"))?;
    println!(
        "演示：长沙市取证补贴第 {id} 批（{}）已生成并审核通过，待登记发放（city_staff 在“取证补贴”查看）。",
        input.period
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use domain::certificates::{BatchStatus, ClaimStatus};
    use store::entity::{certificate, subsidy_batch, subsidy_claim};
    use store::sea_orm::EntityTrait;

    #[tokio::test]
    async fn f3_the_demo_has_an_approved_subsidy_batch_of_the_issued_certificates() {
        let (store, _dir) = testkit::fresh_store().await;
        super::super::load(&store).await.expect("demo loads");
        if certificate::Entity::find().all(&store.db).await.expect("certificates").is_empty() {
            // The calendar could not count the exam days: no certificate, nothing to claim.
            return;
        }
        let batches = subsidy_batch::Entity::find().all(&store.db).await.expect("batches");
        assert_eq!(batches.len(), 1);
        assert_eq!((batches[0].city.as_str(), batches[0].status), ("430100", BatchStatus::Approved));
        let claims = subsidy_claim::Entity::find().all(&store.db).await.expect("claims");
        assert!(!claims.is_empty());
        assert!(claims.iter().all(|c| c.status == ClaimStatus::Approved && c.amount_fen == 30_000), "{claims:?}");
        super::super::load(&store).await.expect("demo loads twice");
        assert_eq!(subsidy_claim::Entity::find().all(&store.db).await.expect("claims").len(), claims.len());
    }
}
