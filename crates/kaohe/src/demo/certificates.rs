//! Demo: 长沙's blank certificate stock and the finished session's certificates (C1), so a newcomer
//! sees them at once: `city_staff` records a print batch of 200 blanks (HN00000001–HN00000200), voids
//! the last one (spoiled in transport) and issues the certificates of the finished session's passed
//! candidates — 李小龙 (`candidate`) among them — in one step, each on the lowest unused blank.

use domain::certificates::BlankBatchInput;
use domain::org::Principal;
use store::certificates::{BlankQuery, IssueTarget, VoidInput};
use store::{Ctx, PageReq, Store};

pub(super) async fn demo_certificates(store: &Store, city: &Principal, session: i64, ctx: &Ctx) -> anyhow::Result<()> {
    let err = |what: &'static str| move |e: store::StoreError| anyhow::anyhow!("演示证书（{what}）：{e}");
    let input = BlankBatchInput {
        first_serial: "HN00000001".into(),
        count: "200".into(),
        received_on: store::today().to_string(),
    };
    store.record_blank_batch(city, &input, ctx).await.map_err(err("空白证书入库"))?;
    let q = BlankQuery { q: Some("HN00000200".into()), status: None };
    let last = store.list_blanks(city, None, &q, PageReq::default()).await.map_err(err("空白证书"))?;
    if let Some(b) = last.items.first() {
        let reason = VoidInput { reason: "运输途中受潮污损".into() };
        store.void_blank(city, b.id, &reason, ctx).await.map_err(err("作废空白证书"))?;
    }
    let issued = store.issue_certificates(city, session, IssueTarget::AllPassed, ctx).await.map_err(err("核发证书"))?;
    let numbers: Vec<&str> = issued.iter().map(|c| c.number.as_str()).collect();
    println!(
        "演示：长沙市空白证书 HN00000001–HN00000200 已入库（作废 1 张），考核计划第 {session} 号的合格考生已核发证书 {}（city_staff 在“证书管理”“空白证书”查看）。",
        numbers.join("、")
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use domain::certificates::CertificateStatus;
    use store::entity::{certificate, certificate_blank};
    use store::sea_orm::{EntityTrait, PaginatorTrait};

    #[tokio::test]
    async fn c1_the_demo_has_a_blank_stock_and_the_finished_sessions_certificates() {
        let (store, _dir) = testkit::fresh_store().await;
        super::super::load(&store).await.expect("demo loads");
        if store.calendar().await.expect("calendar").add_working_days(store::today(), 12).is_err() {
            return; // only the draft when the calendar cannot count
        }
        let blanks = certificate_blank::Entity::find().count(&store.db).await.expect("blanks");
        assert_eq!(blanks, 200);
        let certs = certificate::Entity::find().all(&store.db).await.expect("certificates");
        assert_eq!(certs.len(), 2, "the two passed candidates of the finished session");
        assert!(certs.iter().any(|c| c.holder_name == "李小龙"));
        assert!(certs.iter().all(|c| c.status == CertificateStatus::Valid && c.blank_id.is_some()));
    }
}
