//! Papers released to an exam and their custody ledger (E2) in the store, on SQLite and, with
//! `KAOHE_TEST_DATABASE_URL`, on PostgreSQL: the whole chain from a city's request to the destruction of
//! the leftovers, each step by its actor; a missing copy stopping the chain naming the step; the paper
//! allocated only from the project's own; a project that may not hold an exam refused; scope; the audit
//! records and to-dos.

use domain::org::{Principal, Role};
use domain::question_bank::CustodyStep;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use store::entity::{audit_log, paper_custody_step};
use store::releases::{CustodyInput, ReleaseQuery, ReleaseRequestInput};
use store::{Ctx, PageReq, StoreError};
use testkit::TestApp;

struct World {
    app: TestApp,
    project: i64,
    paper: i64,
    other_paper: i64,
    qb: Principal,
    city: Principal,
    other_city: Principal,
    prov: Principal,
}

fn ctx(who: &str) -> Ctx {
    Ctx { actor: who.into(), ip: "127.0.0.1".into() }
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let province = app.org_id("430000").await;
    app.create_user("qbank", &[Role::QbankOfficer], province).await;
    app.create_user("prov", &[Role::ProvinceStaff], province).await;
    app.create_user("cs_staff", &[Role::CityStaff], app.org_id("430100").await).await;
    app.create_user("zz_staff", &[Role::CityStaff], app.org_id("430200").await).await;
    let codes = testkit::catalog(&app.store, &["米粉制作", "湘绣制作", "停用项目制作"]).await;
    assert_eq!(codes[0], "0001", "米粉制作 is 0001 in these tests");
    let project = testkit::project_id(&app.store, &codes[0]).await;
    let other = testkit::project_id(&app.store, &codes[1]).await;
    // The third project is stopped (P8): it may hold no exam.
    let stop = store::projects::ProjectActionInput {
        kind: "stop".into(),
        reason: "试点效果不佳，停止考核".into(),
        ..Default::default()
    };
    app.store
        .act_on_project(&Principal::system(), testkit::project_id(&app.store, &codes[2]).await, &stop, &Ctx::system())
        .await
        .expect("stop");
    World {
        paper: testkit::paper_row(&app.store, project).await,
        other_paper: testkit::paper_row(&app.store, other).await,
        qb: app.principal("qbank").await,
        city: app.principal("cs_staff").await,
        other_city: app.principal("zz_staff").await,
        prov: app.principal("prov").await,
        project,
        app,
    }
}

fn request(copies: &str) -> ReleaseRequestInput {
    ReleaseRequestInput {
        project_code: "0001".into(),
        exam: "长沙市岳麓区某考核站 米粉制作专项职业能力考核".into(),
        exam_date: (store::today() + time::Duration::days(20)).to_string(),
        copies: copies.into(),
        ..Default::default()
    }
}

fn step(step: CustodyStep, responsible: &str, copies: u32) -> CustodyInput {
    CustodyInput {
        step: step.id().into(),
        responsible: responsible.into(),
        copies: copies.to_string(),
        ..Default::default()
    }
}

/// A request by the 长沙 center.
async fn requested(w: &World, copies: &str) -> i64 {
    w.app.store.request_release(&w.city, &request(copies), &ctx("cs")).await.expect("request")
}

fn invalid(e: StoreError) -> (String, &'static str, String) {
    match e {
        StoreError::Invalid(errs) => {
            let f = &errs.0[0];
            (f.field.clone(), f.code, f.detail.clone())
        }
        other => panic!("expected 422, got {other:?}"),
    }
}

#[tokio::test]
async fn e2_a_release_runs_from_request_to_destruction_each_step_by_its_actor() {
    let w = world().await;
    let s = &w.app.store;
    let id = s.request_release(&w.city, &request("40"), &ctx("cs")).await.expect("request");
    // The province's question bank office is asked to approve.
    let todos = s.todo_for(&w.qb).await.expect("todos");
    assert!(todos.iter().any(|t| t.subject_kind == domain::workflow::SubjectKind::PaperRelease), "{todos:?}");

    // The city may not approve; the officer approves 38 of 40 and allocates the paper.
    let mut approve = step(CustodyStep::Approved, "赵敏", 38);
    approve.paper_id = w.paper.to_string();
    assert!(matches!(s.record_custody(&w.city, id, &approve, &ctx("cs")).await, Err(StoreError::Forbidden)));
    s.record_custody(&w.qb, id, &approve, &ctx("qbank")).await.expect("approve");
    for (kind, who, n) in [(CustodyStep::Printed, "印制员甲", 38), (CustodyStep::Sealed, "保密员乙", 38)] {
        s.record_custody(&w.qb, id, &step(kind, who, n), &ctx("qbank")).await.expect("province step");
    }
    let mut hand = step(CustodyStep::HandedOver, "保密员乙", 38);
    hand.recipient = "钱晓燕".into();
    s.record_custody(&w.qb, id, &hand, &ctx("qbank")).await.expect("handed over");
    // Now the city's: opened before two candidate witnesses, the leftovers destroyed.
    let mut open = step(CustodyStep::Opened, "钱晓燕", 38);
    open.witness1 = "考生甲".into();
    open.witness2 = "考生乙".into();
    assert!(matches!(s.record_custody(&w.qb, id, &open, &ctx("qbank")).await, Err(StoreError::Forbidden)));
    s.record_custody(&w.city, id, &open, &ctx("cs")).await.expect("opened");
    let mut destroy = step(CustodyStep::Destroyed, "钱晓燕", 3);
    destroy.used = "35".into();
    s.record_custody(&w.city, id, &destroy, &ctx("cs")).await.expect("destroyed");

    let d = s.get_release(&w.city, id).await.expect("detail");
    assert_eq!(d.release.state, CustodyStep::Destroyed);
    assert_eq!((d.release.paper_id, d.release.copies_approved), (Some(w.paper), Some(38)));
    assert!(d.next.is_empty() && d.can_record.is_empty(), "the ledger is closed");
    let steps: Vec<CustodyStep> = d.ledger.iter().map(|e| e.step).collect();
    assert_eq!(steps.len(), 7, "{steps:?}");
    assert_eq!(d.ledger[5].witnesses, ["考生甲", "考生乙"]);
    // Every step left its audit record.
    let audit = audit_log::Entity::find()
        .filter(audit_log::Column::Action.starts_with("paper."))
        .all(&w.app.store.db)
        .await
        .expect("audit");
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "paper.release_requested",
            "paper.release_approved",
            "paper.custody_recorded",
            "paper.custody_recorded",
            "paper.custody_recorded",
            "paper.custody_recorded",
            "paper.custody_recorded"
        ]
    );
    // A closed ledger takes nothing more.
    let again = s.record_custody(&w.city, id, &destroy, &ctx("cs")).await.expect_err("closed");
    assert!(matches!(again, StoreError::Conflict(ref f) if f.code == "CUSTODY_OUT_OF_ORDER"), "{again:?}");
}

#[tokio::test]
async fn e2_a_missing_copy_stops_the_chain_naming_the_step_and_records_nothing() {
    let w = world().await;
    let s = &w.app.store;
    let id = requested(&w, "20").await;
    let mut approve = step(CustodyStep::Approved, "赵敏", 20);
    approve.paper_id = w.paper.to_string();
    s.record_custody(&w.qb, id, &approve, &ctx("qbank")).await.expect("approve");
    s.record_custody(&w.qb, id, &step(CustodyStep::Printed, "印制员甲", 20), &ctx("qbank")).await.expect("printed");
    // Sealed 19 of 20 printed: refused, naming the step and the missing copy.
    let e = s
        .record_custody(&w.qb, id, &step(CustodyStep::Sealed, "保密员乙", 19), &ctx("qbank"))
        .await
        .expect_err("missing");
    let (field, code, detail) = invalid(e);
    assert_eq!((field.as_str(), code), ("copies", "CUSTODY_COUNT_MISMATCH"));
    assert!(detail.contains("封存份数（19）少于印制份数（20），缺 1 份"), "{detail}");
    let rows = paper_custody_step::Entity::find()
        .filter(paper_custody_step::Column::ReleaseId.eq(id))
        .all(&w.app.store.db)
        .await
        .expect("rows");
    assert_eq!(rows.len(), 3, "nothing recorded for the refused step");
    assert_eq!(s.get_release(&w.qb, id).await.expect("detail").release.state, CustodyStep::Printed);
    // Leftovers that do not add up with the copies used are refused too.
    s.record_custody(&w.qb, id, &step(CustodyStep::Sealed, "保密员乙", 20), &ctx("qbank")).await.expect("sealed");
    let mut hand = step(CustodyStep::HandedOver, "保密员乙", 20);
    hand.recipient = "钱晓燕".into();
    s.record_custody(&w.qb, id, &hand, &ctx("qbank")).await.expect("handed over");
    let mut open = step(CustodyStep::Opened, "钱晓燕", 20);
    open.witness1 = "考生甲".into();
    open.witness2 = "考生甲".into();
    let (field, code, _) = invalid(s.record_custody(&w.city, id, &open, &ctx("cs")).await.expect_err("one witness"));
    assert_eq!((field.as_str(), code), ("witnesses", "CUSTODY_WITNESSES"));
    open.witness2 = "考生乙".into();
    s.record_custody(&w.city, id, &open, &ctx("cs")).await.expect("opened");
    let mut back = step(CustodyStep::Returned, "钱晓燕", 2);
    back.used = "17".into();
    let (field, code, detail) = invalid(s.record_custody(&w.city, id, &back, &ctx("cs")).await.expect_err("one lost"));
    assert_eq!((field.as_str(), code), ("used", "CUSTODY_UNRECONCILED"));
    assert!(detail.contains("缺 1 份"), "{detail}");
}

#[tokio::test]
async fn e2_the_paper_is_the_projects_own_and_the_project_may_hold_the_exam() {
    let w = world().await;
    let s = &w.app.store;
    let id = requested(&w, "10").await;
    let mut approve = step(CustodyStep::Approved, "赵敏", 11);
    approve.paper_id = w.other_paper.to_string();
    let e = s.record_custody(&w.qb, id, &approve, &ctx("qbank")).await.expect_err("other project's paper");
    let (field, code, _) = invalid(e);
    assert_eq!((field.as_str(), code), ("paper_id", "PAPER_NOT_OF_PROJECT"));
    approve.paper_id = w.paper.to_string();
    let (field, code, detail) = invalid(s.record_custody(&w.qb, id, &approve, &ctx("qbank")).await.expect_err("over"));
    assert_eq!((field.as_str(), code), ("copies", "COPIES_INVALID"));
    assert!(detail.contains("多于申请份数"), "{detail}");

    // A stopped project may not hold an exam (P8): its papers are not released.
    let mut stopped = request("5");
    stopped.project_code = "0003".into();
    let (field, code, _) = invalid(s.request_release(&w.city, &stopped, &ctx("cs")).await.expect_err("stopped"));
    assert_eq!((field.as_str(), code), ("project_code", "PROJECT_STOPPED"));
    // Every bad field at once.
    let bad = ReleaseRequestInput {
        project_code: "9999".into(),
        exam: String::new(),
        exam_date: "2020-01-01".into(),
        copies: "0".into(),
        ..Default::default()
    };
    match s.request_release(&w.city, &bad, &ctx("cs")).await.expect_err("bad") {
        StoreError::Invalid(errs) => {
            let fields: Vec<&str> = errs.0.iter().map(|f| f.field.as_str()).collect();
            assert_eq!(fields, ["project_code", "exam", "exam_date", "copies"]);
        }
        other => panic!("{other:?}"),
    }
    // The question bank officer does not request; nothing was saved by the refusals.
    assert!(matches!(s.request_release(&w.qb, &request("5"), &ctx("qbank")).await, Err(StoreError::Forbidden)));
    assert_eq!(
        s.list_releases(&w.prov, &ReleaseQuery::default(), PageReq::new(None, None)).await.expect("list").total,
        1
    );
    let _ = w.project;
}

#[tokio::test]
async fn e2_a_center_sees_its_own_releases_the_province_all() {
    let w = world().await;
    let s = &w.app.store;
    let id = requested(&w, "10").await;
    assert!(matches!(s.get_release(&w.other_city, id).await, Err(StoreError::NotFound)));
    let q = ReleaseQuery::default();
    assert_eq!(s.list_releases(&w.other_city, &q, PageReq::new(None, None)).await.expect("list").total, 0);
    assert_eq!(s.list_releases(&w.qb, &q, PageReq::new(None, None)).await.expect("list").total, 1);
    let d = s.get_release(&w.prov, id).await.expect("province sees it");
    assert!(d.can_record.is_empty(), "province staff do not approve: {:?}", d.can_record);
    let d = s.get_release(&w.qb, id).await.expect("officer");
    assert_eq!(d.can_record, [CustodyStep::Approved]);
    assert_eq!(d.papers, [(w.paper, "A".to_string())], "only the project's own papers are offered");
    // A stale page: the state it saw has moved on.
    let mut approve = step(CustodyStep::Approved, "赵敏", 10);
    approve.paper_id = w.paper.to_string();
    approve.expected_state = "printed".into();
    let e = s.record_custody(&w.qb, id, &approve, &ctx("qbank")).await.expect_err("stale");
    assert!(matches!(e, StoreError::Conflict(ref f) if f.code == "RELEASE_CHANGED"), "{e:?}");
}
