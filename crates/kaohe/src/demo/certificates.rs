//! Demo: 长沙's blank certificate stock and the finished session's certificates (C1), so a newcomer
//! sees them at once: `city_staff` records a print batch of 200 blanks (HN00000001–HN00000200), voids
//! the last one (spoiled in transport) and issues the certificates of the finished session's passed
//! candidates — 李小龙 (`candidate`) among them — in one step, each on the lowest unused blank. 李小龙's
//! certificate is reported to the province (so it answers the public query and its QR page, and he can
//! download it); the other waits on the report form (`/certificate-reports/new`).

use domain::certificates::BlankBatchInput;
use domain::org::Principal;
use store::certificates::{BlankQuery, IssueTarget, ReportInput, VoidInput};
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
        "演示：长沙市空白证书 HN00000001–HN00000200 已入库（作废 1 张），考核计划第 {session} 号的合格考生已核发证书 {}（city_staff 在“证书管理”“空白证书”“证书上报”查看）。",
        numbers.join("、")
    );
    // C2: 李小龙's certificate is reported to the province (the public query and its QR code's page
    // answer it); the other stays unreported, for the report page.
    if let Some(c) = issued.iter().find(|c| c.holder_name == "李小龙").or(issued.first()) {
        let input =
            ReportInput { city: None, certificate_ids: vec![c.id], note: "演示：上报省鉴定中心".into() };
        store.report_certificates(city, &input, ctx).await.map_err(err("上报证书"))?;
        println!(
            "演示：证书 {} 已上报，可在 /certificate-query 以编号和姓名“{}”查询，验证页 /verify/{}。",
            c.number, c.holder_name, c.verify_token
        );
    }
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
        let reported: Vec<&str> =
            certs.iter().filter(|c| c.reported_at.is_some()).map(|c| c.holder_name.as_str()).collect();
        assert_eq!(reported, ["李小龙"], "one reported, one waiting on the report form");
    }

    /// R1, R2: the 长沙 center's dashboard of the year of the demo's certificates is not empty.
    #[tokio::test]
    async fn r1_r2_the_demo_dashboard_has_figures_for_every_chart() {
        use store::entity::user;
        use store::sea_orm::{ColumnTrait, QueryFilter};
        let (store, _dir) = testkit::fresh_store().await;
        super::super::load(&store).await.expect("demo loads");
        let Some(cert) = certificate::Entity::find().one(&store.db).await.expect("read") else {
            return; // only the draft when the calendar cannot count
        };
        let u = user::Entity::find()
            .filter(user::Column::Username.eq("city_staff"))
            .one(&store.db)
            .await
            .expect("read")
            .expect("city_staff");
        let s = store
            .create_session(u.id, domain::org::SessionKind::Api, store::auth::SecondFactor::Done, "test", "")
            .await
            .expect("session");
        let p = store
            .resolve_session(&s.token, domain::org::SessionKind::Api)
            .await
            .expect("resolve")
            .expect("session")
            .principal;
        let year = cert.issued_at.to_offset(time::macros::offset!(+8)).year();
        let s = store.statistics(&p, None, domain::stats::StatsPeriod::year(year)).await.expect("statistics");
        assert_eq!(s.city.as_deref(), Some("430100"));
        assert!(s.stations_active() > 0, "{:?}", s.stations);
        assert!(s.sessions_total() > 0);
        let (candidates, assessed, passed) = s.candidate_total();
        assert!(candidates > 0 && assessed > 0 && passed == 2, "{:?}", s.candidates);
        assert_eq!(s.certificates_issued(), 2);
        assert!(s.fees_collected().fen() > 0, "{:?}", s.fees);
    }

    /// C1 printing: the demo's certificates print — the A4 electronic certificate and the overlay page on
    /// the default layout the migration seeds.
    #[tokio::test]
    async fn c1_the_demo_certificates_print_on_the_default_layout() {
        use domain::certificates::{a4_sheet, overlay_sheet};
        use web::areas::certificates::print::{PrintKind, print_fields};
        let (store, _dir) = testkit::fresh_store().await;
        super::super::load(&store).await.expect("demo loads");
        let layout = store.default_layout().await.expect("the default layout");
        assert!(layout.is_default);
        let p = domain::org::Principal::system();
        let certs = certificate::Entity::find().all(&store.db).await.expect("certificates");
        for c in certs {
            let pc = store.certificate_for_print(&p, c.id).await.expect("printable");
            let url = format!("http://127.0.0.1:8080/verify/{}", pc.certificate.verify_token);
            let a4 = a4_sheet(&print_fields(&pc, PrintKind::A4, url.clone()));
            let overlay = overlay_sheet(&layout.layout, &print_fields(&pc, PrintKind::Overlay, url));
            let pdf = web::areas::certificates::pdf::render(&[a4, overlay]).expect("rendered");
            assert!(pdf.starts_with(b"%PDF"), "{}", c.number);
        }
    }
}
