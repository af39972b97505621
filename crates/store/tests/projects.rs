//! Assessment projects in the store (issue 11: P1, P3, P4, P7, P8, F2), on SQLite and, with
//! `KAOHE_TEST_DATABASE_URL`, on PostgreSQL: the development path with returns at the city and the
//! province, the direct route to the province, the P4 draw with the unit's people recused, opinions and
//! the majority, establishment with gap-free codes, publication and the pilot's end, roll-out, stop, the
//! adoption path, the specification's refusals at submission, drafts private to their unit, 409 for a
//! step on a project that moved on, and every step's audit record in a chain that verifies.

use domain::org::{Principal, Role};
use domain::projects::{
    AdoptionInput, ExamRefusal, MaterialInput, OpinionInput, ProjectFileKind, ProjectState, ReviewConclusion,
    SpecificationInput,
};
use sea_orm::{ConnectionTrait, EntityTrait, TransactionTrait};
use store::projects::{CatalogQuery, ProjectActionInput, ProjectQuery};
use store::{Ctx, PageReq, StoreError};
use testkit::TestApp;
use time::Duration;

/// The offices and people of a project's procedure.
struct World {
    app: TestApp,
    /// 长沙 development unit (its own staff `dev`), another in 株洲 (`dev_other`), one at the province's
    /// level (`dev_prov`).
    unit: i64,
    dev: Principal,
    dev_other: Principal,
    dev_prov: Principal,
    city: Principal,
    city_other: Principal,
    prov: Principal,
    /// Registry experts with accounts (`expert0` … `expert6`); the first works for the 长沙 unit.
    experts: Vec<(i64, String)>,
}

fn ctx() -> Ctx {
    Ctx::system()
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let unit = app.create_org("长沙卤味研究开发中心", "devunit", "430102").await;
    let other = app.create_org("株洲职业技能开发中心", "devunit", "430202").await;
    let prov_unit = app.create_org("湖南省餐饮行业协会", "devunit", "430103").await;
    // A body at the province's level (P3, S2's rule): registered without a city of its own.
    let sql = format!("UPDATE orgs SET city_code = NULL, region_code = '430000' WHERE id = {prov_unit}");
    app.store.db.execute_unprepared(&sql).await.expect("province-level unit");
    app.create_user("dev", &[Role::DevunitStaff], unit).await;
    app.create_user("dev_other", &[Role::DevunitStaff], other).await;
    app.create_user("dev_prov", &[Role::DevunitStaff], prov_unit).await;
    app.create_user("city", &[Role::CityStaff], app.org_id("430100").await).await;
    app.create_user("city_other", &[Role::CityStaff], app.org_id("430200").await).await;
    app.create_user("prov", &[Role::ProvinceStaff], app.org_id("430000").await).await;
    let mut experts = Vec::new();
    for i in 0..7 {
        let idn = testkit::id_number(&format!("43010219700101{:03}", 100 + i));
        let name = format!("评审专家{}", "甲乙丙丁戊己庚".chars().nth(i).unwrap_or('X'));
        let username = format!("expert{i}");
        let employer = (i == 0).then_some(unit);
        experts.push((app.create_expert_with_account(&username, &name, &idn, "430100", employer).await, username));
    }
    World {
        dev: app.principal("dev").await,
        dev_other: app.principal("dev_other").await,
        dev_prov: app.principal("dev_prov").await,
        city: app.principal("city").await,
        city_other: app.principal("city_other").await,
        prov: app.principal("prov").await,
        app,
        unit,
        experts,
    }
}

fn act(kind: &str) -> ProjectActionInput {
    ProjectActionInput { kind: kind.into(), ..Default::default() }
}

fn with_reason(kind: &str, reason: &str) -> ProjectActionInput {
    ProjectActionInput { kind: kind.into(), reason: reason.into(), ..Default::default() }
}

fn spec(name: &str) -> SpecificationInput {
    SpecificationInput { name: name.into(), ..SpecificationInput::example() }
}

fn code_of(e: &StoreError) -> String {
    match e {
        StoreError::Conflict(f) => f.code.to_string(),
        StoreError::Invalid(errs) => errs.0.iter().map(|f| f.code).collect::<Vec<_>>().join(","),
        other => format!("{other:?}"),
    }
}

impl World {
    async fn state(&self, id: i64) -> ProjectState {
        self.app.store.get_project(&self.prov_or_dev(id).await, id).await.expect("project").summary.state
    }

    /// Someone who sees the project in any state (its unit for a developed project).
    async fn prov_or_dev(&self, id: i64) -> Principal {
        for p in [&self.dev, &self.dev_prov, &self.prov] {
            if self.app.store.get_project(p, id).await.is_ok() {
                return p.clone();
            }
        }
        panic!("nobody sees project {id}")
    }

    /// A draft of `dev` with its feasibility report attached.
    async fn draft(&self, unit: &Principal, name: &str) -> i64 {
        let id = self.app.store.create_project(unit, &spec(name), &ctx()).await.expect("draft");
        self.app
            .store
            .add_project_file(unit, id, ProjectFileKind::FeasibilityReport, "可行性分析报告.pdf", testkit::PDF, &ctx())
            .await
            .expect("feasibility report");
        id
    }

    /// A 长沙 project submitted, forwarded, drawn (3 members), opened and reviewed (agree, agree,
    /// revise): ready for the province's decision.
    async fn reviewed(&self, name: &str) -> i64 {
        let s = &self.app.store;
        let id = self.draft(&self.dev, name).await;
        s.submit_project(&self.dev, id, &ctx()).await.expect("submit");
        s.act_on_project(&self.city, id, &act("forward"), &ctx()).await.expect("forward");
        self.review(id, ["agree", "agree", "revise"]).await;
        id
    }

    /// Draw a group of three, open the review and file the three opinions in order.
    async fn review(&self, id: i64, conclusions: [&str; 3]) {
        let s = &self.app.store;
        let draw = ProjectActionInput { kind: "draw_review".into(), group_size: Some(3), ..Default::default() };
        s.act_on_project(&self.prov, id, &draw, &ctx()).await.expect("draw");
        s.act_on_project(&self.prov, id, &act("open_review"), &ctx()).await.expect("open");
        let d = s.get_project(&self.prov, id).await.expect("detail");
        assert_eq!(d.group.len(), 3);
        for (member, conclusion) in d.group.iter().zip(conclusions) {
            let username = &self.experts.iter().find(|(e, _)| *e == member.expert_id).expect("member").1;
            let p = self.app.principal(username).await;
            let input =
                OpinionInput { conclusion: conclusion.into(), comments: "考核规范内容完整，同意".into() };
            s.file_opinion(&p, id, &input, &ctx()).await.expect("opinion");
        }
    }

    async fn audit_actions(&self) -> Vec<String> {
        store::entity::audit_log::Entity::find()
            .all(&self.app.store.db)
            .await
            .expect("audit")
            .into_iter()
            .map(|r| r.action)
            .collect()
    }
}

#[tokio::test]
async fn p3_p4_p8_a_developed_project_walks_from_draft_through_returns_to_in_force_and_stop() {
    let w = world().await;
    let s = &w.app.store;
    // A half-filled draft is kept (P3).
    let half = SpecificationInput { name: "武冈卤菜加工".into(), ..Default::default() };
    let id = s.create_project(&w.dev, &half, &ctx()).await.expect("half-filled draft");
    s.update_project(&w.dev, id, &spec("武冈卤菜加工"), &ctx()).await.expect("edit");
    // Without the feasibility report, submission is refused beside it.
    let e = s.submit_project(&w.dev, id, &ctx()).await.expect_err("no report");
    assert_eq!(code_of(&e), "PROJECT_FEASIBILITY_REPORT_REQUIRED");
    s.add_project_file(&w.dev, id, ProjectFileKind::FeasibilityReport, "报告.pdf", testkit::PDF, &ctx())
        .await
        .expect("report");
    assert_eq!(s.submit_project(&w.dev, id, &ctx()).await.expect("submit"), ProjectState::Submitted);
    // The city returns; the unit edits and submits again; the city forwards.
    let r = s.act_on_project(&w.city, id, &with_reason("city_return", "工作任务的操作规范需细化"), &ctx()).await;
    assert_eq!(r.expect("city return"), ProjectState::Returned);
    assert_eq!(
        s.get_project(&w.dev, id).await.expect("detail").decision_reason.as_deref(),
        Some("工作任务的操作规范需细化")
    );
    s.update_project(&w.dev, id, &spec("武冈卤菜加工"), &ctx()).await.expect("edit after return");
    assert_eq!(s.submit_project(&w.dev, id, &ctx()).await.expect("resubmit"), ProjectState::Submitted);
    assert_eq!(s.act_on_project(&w.city, id, &act("forward"), &ctx()).await.expect("fwd"), ProjectState::Forwarded);
    // The province returns before the review; the route brings it back through the city.
    let r = s.act_on_project(&w.prov, id, &with_reason("province_return", "请补充市场需求分析"), &ctx()).await;
    assert_eq!(r.expect("province return"), ProjectState::Returned);
    s.submit_project(&w.dev, id, &ctx()).await.expect("resubmit");
    s.act_on_project(&w.city, id, &act("forward"), &ctx()).await.expect("forward again");
    // A return needs its reason (422 beside the field).
    let e = s.act_on_project(&w.prov, id, &with_reason("province_return", " "), &ctx()).await.expect_err("no reason");
    assert!(matches!(&e, StoreError::Invalid(f) if f.0[0].field == "reason"), "{e:?}");
    // The city may not act for the province (403).
    assert!(matches!(s.act_on_project(&w.city, id, &act("draw_review"), &ctx()).await, Err(StoreError::Forbidden)));

    w.review(id, ["agree", "revise", "agree"]).await;
    let d = s.get_project(&w.prov, id).await.expect("detail");
    assert_eq!(d.summary.state, ProjectState::Reviewed);
    assert_eq!(d.group_conclusion, Some(ReviewConclusion::Agree));
    assert_eq!(d.opinions.len(), 3);
    // The unit reads the conclusion only, never the members' named opinions.
    let mine = s.get_project(&w.dev, id).await.expect("unit's view");
    assert!(mine.opinions.is_empty() && mine.group.is_empty());
    assert_eq!(mine.group_conclusion, Some(ReviewConclusion::Agree));

    assert_eq!(s.act_on_project(&w.prov, id, &act("establish"), &ctx()).await.expect("est"), ProjectState::Established);
    let code = s.get_project(&w.prov, id).await.expect("detail").summary.code.expect("code");
    assert_eq!(code, "0001");
    let today = store::today();
    let publish =
        ProjectActionInput { kind: "publish".into(), publication_date: today.to_string(), ..Default::default() };
    assert_eq!(s.act_on_project(&w.prov, id, &publish, &ctx()).await.expect("publish"), ProjectState::Pilot);
    assert_eq!(s.may_hold_exam(id, today).await.expect("read"), Ok(()));
    assert_eq!(s.act_on_project(&w.prov, id, &act("roll_out"), &ctx()).await.expect("roll"), ProjectState::InForce);
    // In force: exams past the pilot's months are fine.
    assert_eq!(s.may_hold_exam(id, today + Duration::days(400)).await.expect("read"), Ok(()));
    let stop = with_reason("stop", "行业标准调整，停止开展考核");
    assert_eq!(s.act_on_project(&w.prov, id, &stop, &ctx()).await.expect("stop"), ProjectState::Stopped);
    assert_eq!(s.may_hold_exam(id, today).await.expect("read"), Err(ExamRefusal::Stopped));
    // A closed project takes no step (409).
    let e = s.act_on_project(&w.prov, id, &act("roll_out"), &ctx()).await.expect_err("closed");
    assert_eq!(code_of(&e), "PROJECT_CLOSED");

    // The timeline tells the whole story; every step has its audit record; the chain verifies.
    let d = s.get_project(&w.prov, id).await.expect("detail");
    let to: Vec<ProjectState> = d.timeline.iter().filter_map(|t| t.to_state).collect();
    assert_eq!(to.first(), Some(&ProjectState::Draft));
    assert_eq!(to.last(), Some(&ProjectState::Stopped));
    let actions = w.audit_actions().await;
    for a in [
        "project.created",
        "project.updated",
        "project.attachment_added",
        "project.submitted",
        "project.city_returned",
        "project.forwarded",
        "project.province_returned",
        "project.review_drawn",
        "draw.revealed",
        "project.review_opened",
        "project.opinion_filed",
        "project.review_completed",
        "project.established",
        "project.published",
        "project.rolled_out",
        "project.stopped",
    ] {
        assert!(actions.iter().any(|x| x == a), "no audit record {a}");
    }
    assert_eq!(actions.iter().filter(|a| *a == "project.opinion_filed").count(), 3);
    assert!(s.verify_audit_chain().await.expect("verify").is_ok());
}

#[tokio::test]
async fn p3_a_province_level_unit_goes_straight_to_the_province() {
    let w = world().await;
    let s = &w.app.store;
    let id = w.draft(&w.dev_prov, "湘菜烹饪制作").await;
    assert_eq!(s.submit_project(&w.dev_prov, id, &ctx()).await.expect("submit"), ProjectState::Forwarded);
    // No city reviews it: 长沙's center does not see it at all.
    assert!(matches!(s.get_project(&w.city, id).await, Err(StoreError::NotFound)));
    let d = s.get_project(&w.prov, id).await.expect("province sees it");
    assert_eq!(d.summary.receiver, domain::projects::Receiver::Province);
    assert!(d.actions.contains(&domain::projects::ProjectEventKind::DrawReview));
    // A return sends it back to the unit, and it comes straight back to the province.
    s.act_on_project(&w.prov, id, &with_reason("province_return", "请补充考核方式说明"), &ctx()).await.expect("ret");
    assert_eq!(s.submit_project(&w.dev_prov, id, &ctx()).await.expect("resubmit"), ProjectState::Forwarded);
}

#[tokio::test]
async fn p4_the_draw_recuses_the_units_people_takes_the_group_size_and_fields_and_each_member_reads_their_own_opinion()
{
    let w = world().await;
    let s = &w.app.store;
    let id = w.draft(&w.dev, "武冈卤菜加工").await;
    s.submit_project(&w.dev, id, &ctx()).await.expect("submit");
    s.act_on_project(&w.city, id, &act("forward"), &ctx()).await.expect("forward");
    // The group's size is bounded by policy (3 … 7).
    let too_big = ProjectActionInput { kind: "draw_review".into(), group_size: Some(8), ..Default::default() };
    let e = s.act_on_project(&w.prov, id, &too_big, &ctx()).await.expect_err("too big");
    assert_eq!(code_of(&e), "COUNT_RANGE");
    let draw = ProjectActionInput { kind: "draw_review".into(), group_size: Some(5), ..Default::default() };
    assert_eq!(s.act_on_project(&w.prov, id, &draw, &ctx()).await.expect("draw"), ProjectState::ReviewDrawn);
    let d = s.get_project(&w.prov, id).await.expect("detail");
    // Sealed until the review opens.
    assert!(!d.seal_open && d.group.is_empty());
    let draw_id = d.draw_id.expect("draw");
    let group = s.draw_group(draw_id).await.expect("group");
    assert_eq!(group.len(), 5);
    // The unit's own expert (its employee) is never drawn.
    assert!(!group.contains(&w.experts[0].0), "the development unit's employee was drawn");
    let row = store::entity::draw::Entity::find_by_id(draw_id).one(&s.db).await.expect("read").expect("draw");
    let record: serde_json::Value = serde_json::from_str(&row.record).expect("record");
    assert_eq!(record["purpose"], format!("project_review:{id}"));
    assert!(record["excluded"].to_string().contains(&w.experts[0].0.to_string()), "{}", record["excluded"]);
    assert_eq!(row.subject_kind, Some(domain::workflow::SubjectKind::Project));
    // Opening gives each member a to-do of their own; an expert outside the group sees nothing.
    s.act_on_project(&w.prov, id, &act("open_review"), &ctx()).await.expect("open");
    let member = w.experts.iter().find(|(e, _)| group.contains(e)).expect("a member");
    let todos = s.todo_for(&w.app.principal(&member.1).await).await.expect("todos");
    let own = format!("{id}:{}", w.app.user_id(&member.1).await);
    assert!(
        todos.iter().any(|t| t.subject_kind == domain::workflow::SubjectKind::ProjectReview && t.subject_id == own),
        "the member's own to-do"
    );
    let outsider = w.app.principal(&w.experts[0].1).await;
    assert!(matches!(s.get_project(&outsider, id).await, Err(StoreError::NotFound)));
    let member_p = w.app.principal(&member.1).await;
    assert_eq!(s.get_project(&member_p, id).await.expect("member sees it").group.len(), 5);
    // The expert's list of projects is empty (they read reviews through their to-dos).
    assert_eq!(
        s.list_projects(&member_p, &ProjectQuery::default(), PageReq::new(None, None)).await.expect("list").total,
        0
    );
    // Each member files once; their own opinion reads back directly, none before it is filed.
    assert!(s.own_opinion(&member_p, id).await.expect("own").is_none(), "nothing filed yet");
    let input = OpinionInput { conclusion: "disagree".into(), comments: "市场需求不足".into() };
    s.file_opinion(&member_p, id, &input, &ctx()).await.expect("first");
    let e = s.file_opinion(&member_p, id, &input, &ctx()).await.expect_err("second");
    assert_eq!(code_of(&e), "PROJECT_OPINION_FILED");
    let own = s.own_opinion(&member_p, id).await.expect("own").expect("filed");
    assert_eq!((own.expert_id, own.conclusion), (member.0, domain::projects::ReviewConclusion::Disagree));
    assert_eq!(own.comments, "市场需求不足");
    // Another member has filed nothing; an expert outside the group and the unit ask in vain.
    let other = w.experts.iter().find(|(e, _)| group.contains(e) && *e != member.0).expect("another member");
    assert!(s.own_opinion(&w.app.principal(&other.1).await, id).await.expect("own").is_none());
    assert!(matches!(s.own_opinion(&outsider, id).await, Err(StoreError::NotFound)));
    assert!(matches!(s.own_opinion(&w.dev, id).await, Err(StoreError::Forbidden)));
}

#[tokio::test]
async fn p4_the_majority_decides_ties_go_to_the_stricter_and_the_province_may_reject() {
    let w = world().await;
    let s = &w.app.store;
    let id = w.draft(&w.dev, "武冈卤菜加工").await;
    s.submit_project(&w.dev, id, &ctx()).await.expect("submit");
    s.act_on_project(&w.city, id, &act("forward"), &ctx()).await.expect("forward");
    w.review(id, ["disagree", "revise", "disagree"]).await;
    let d = s.get_project(&w.prov, id).await.expect("detail");
    assert_eq!(d.group_conclusion, Some(ReviewConclusion::Disagree));
    let r = s.act_on_project(&w.prov, id, &with_reason("reject", "专家组不同意立项"), &ctx()).await;
    assert_eq!(r.expect("reject"), ProjectState::Rejected);
    assert!(s.get_project(&w.prov, id).await.expect("detail").summary.code.is_none());
    // A rejected project is never public.
    assert_eq!(s.catalog_projects(&CatalogQuery::default(), PageReq::new(None, None)).await.expect("catalog").total, 0);
}

#[tokio::test]
async fn p4_project_codes_are_0001_then_0002() {
    let w = world().await;
    let s = &w.app.store;
    let a = w.reviewed("武冈卤菜加工").await;
    let b = w.reviewed("湘绣刺绣制作").await;
    for id in [a, b] {
        s.act_on_project(&w.prov, id, &act("establish"), &ctx()).await.expect("establish");
    }
    for (id, want) in [(a, "0001"), (b, "0002")] {
        let code = s.get_project(&w.prov, id).await.expect("detail").summary.code;
        assert_eq!(code.as_deref(), Some(want));
    }
}

#[tokio::test]
async fn p8_the_pilot_ends_after_the_policys_months_and_the_province_is_reminded() {
    let w = world().await;
    let s = &w.app.store;
    let id = w.reviewed("武冈卤菜加工").await;
    s.act_on_project(&w.prov, id, &act("establish"), &ctx()).await.expect("establish");
    let today = store::today();
    // Never back-dated.
    let past = ProjectActionInput {
        kind: "publish".into(),
        publication_date: (today - Duration::days(1)).to_string(),
        ..Default::default()
    };
    let e = s.act_on_project(&w.prov, id, &past, &ctx()).await.expect_err("past");
    assert_eq!(code_of(&e), "PROJECT_PUBLICATION_DATE_PAST");
    let publication = today + Duration::days(10);
    let publish =
        ProjectActionInput { kind: "publish".into(), publication_date: publication.to_string(), ..Default::default() };
    s.act_on_project(&w.prov, id, &publish, &ctx()).await.expect("publish");
    let end = domain::projects::pilot_end(publication, 6);
    assert_eq!(s.get_project(&w.prov, id).await.expect("detail").pilot_end, Some(end));
    // Before publication, during the pilot, on its last day, and the day after.
    assert!(matches!(s.may_hold_exam(id, today).await.expect("read"), Err(ExamRefusal::NotYetStarted { .. })));
    assert_eq!(s.may_hold_exam(id, publication).await.expect("read"), Ok(()));
    assert_eq!(s.may_hold_exam(id, end).await.expect("read"), Ok(()));
    assert_eq!(
        s.may_hold_exam(id, end + Duration::days(1)).await.expect("read"),
        Err(ExamRefusal::PilotExpired { end })
    );
    // The province's to-do is due 30 days (policy) before the pilot's last day.
    let todos = s.todo_for(&w.prov).await.expect("todos");
    let t = todos
        .iter()
        .find(|t| t.subject_kind == domain::workflow::SubjectKind::Project && t.subject_id == id.to_string())
        .expect("pilot to-do");
    assert_eq!(t.due_date, Some(domain::projects::reminder_date(end, 30)));
    // The catalog lists it in pilot with its end.
    let page = s.catalog_projects(&CatalogQuery::default(), PageReq::new(None, None)).await.expect("catalog");
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].pilot_end, Some(end));
    assert_eq!(page.items[0].developer, "长沙卤味研究开发中心");
}

#[tokio::test]
async fn p1_an_adoption_is_approved_with_a_code_or_rejected() {
    let w = world().await;
    let s = &w.app.store;
    // Only the province records an adoption.
    assert!(matches!(s.record_adoption(&w.dev, &AdoptionInput::example(), &ctx()).await, Err(StoreError::Forbidden)));
    let a = s.record_adoption(&w.prov, &AdoptionInput::example(), &ctx()).await.expect("record");
    // Corrected while it waits; errors name their field under `specification.`.
    let mut bad = AdoptionInput::example();
    bad.specification.tasks[0].weight = "10".into();
    let e = s.update_adoption(&w.prov, a, &bad, &ctx()).await.expect_err("weights");
    assert!(matches!(&e, StoreError::Invalid(f) if f.get("specification.tasks").is_some()), "{e:?}");
    let mut fixed = AdoptionInput::example();
    fixed.evidence = "部中心公布目录第 107 项；考核规范及题库已取得（更正）".into();
    s.update_adoption(&w.prov, a, &fixed, &ctx()).await.expect("corrected");
    let d = s.get_project(&w.prov, a).await.expect("detail");
    assert_eq!(d.summary.state, ProjectState::AdoptionSubmitted);
    assert_eq!(d.summary.devunit_name, "人社部职业技能鉴定中心");
    assert_eq!(d.provenance.as_ref().expect("provenance").original_code, "ZX-2023-0107");
    assert!(d.evidence.as_deref().is_some_and(|e| e.contains("更正")));
    // No pilot or in-force choice: bad input.
    let approve_no_mode = ProjectActionInput {
        kind: "approve_adoption".into(),
        publication_date: store::today().to_string(),
        ..Default::default()
    };
    let e = s.act_on_project(&w.prov, a, &approve_no_mode, &ctx()).await.expect_err("no mode");
    assert_eq!(code_of(&e), "PROJECT_ADOPTION_MODE_REQUIRED");
    let approve = ProjectActionInput { pilot: Some(false), ..approve_no_mode };
    assert_eq!(s.act_on_project(&w.prov, a, &approve, &ctx()).await.expect("approve"), ProjectState::InForce);
    let d = s.get_project(&w.prov, a).await.expect("detail");
    let code = d.summary.code.expect("an adopted project gets a code");
    assert_eq!(code, "0001");
    // Its public page: provenance, the change history, materials (P7).
    let m = MaterialInput {
        kind: "textbook".into(),
        title: "中式面点制作培训教程".into(),
        publisher: "湖南省职业技术培训研究室".into(),
        year: store::today().year().to_string(),
    };
    s.add_material(&w.prov, a, &m, &ctx()).await.expect("material");
    let page = s.catalog_project(&code).await.expect("public page");
    assert_eq!(page.project.developer, "人社部职业技能鉴定中心");
    assert!(page.provenance.is_some());
    assert_eq!(page.materials.len(), 1);
    assert_eq!(page.changes.len(), 1);
    assert_eq!(page.changes[0].kind, domain::projects::ProjectEventKind::ApproveAdoption);
    assert_eq!(page.changes[0].effective, Some(store::today()));

    let mut other = AdoptionInput::example();
    other.specification.name = "茶艺冲泡".into();
    let b = s.record_adoption(&w.prov, &other, &ctx()).await.expect("record");
    let r = s.act_on_project(&w.prov, b, &with_reason("reject_adoption", "本省已有同类项目"), &ctx()).await;
    assert_eq!(r.expect("reject"), ProjectState::Rejected);
    assert!(matches!(s.catalog_project("0002").await, Err(StoreError::NotFound)));
    let actions = w.audit_actions().await;
    for x in [
        "project.adoption_recorded",
        "project.adoption_approved",
        "project.adoption_rejected",
        "project.material_added",
    ] {
        assert!(actions.iter().any(|a| a == x), "no audit record {x}");
    }
    assert!(s.verify_audit_chain().await.expect("verify").is_ok());
}

#[tokio::test]
async fn p3_submission_names_every_bad_field_the_name_rule_the_weights_and_the_panel() {
    let w = world().await;
    let s = &w.app.store;
    let mut bad = spec("卤菜加工员");
    bad.tasks[0].weight = "40".into();
    bad.min_panel_size = "1".into();
    let id = s.create_project(&w.dev, &bad, &ctx()).await;
    // The name rule is checked as soon as the name is filled in, even in a draft.
    let e = id.expect_err("name rule in a draft");
    assert!(matches!(&e, StoreError::Invalid(f) if f.get("name").is_some()), "{e:?}");
    let mut bad = spec("武冈卤菜加工");
    bad.tasks[0].weight = "40".into();
    bad.min_panel_size = "1".into();
    let id = w.draft(&w.dev, "武冈卤菜加工").await;
    s.update_project(&w.dev, id, &bad, &ctx()).await.expect("a draft keeps what the sums will refuse");
    let e = s.submit_project(&w.dev, id, &ctx()).await.expect_err("refused");
    let StoreError::Invalid(errors) = e else { panic!("{e:?}") };
    let fields: Vec<&str> = errors.0.iter().map(|f| f.field.as_str()).collect();
    assert!(fields.contains(&"tasks"), "{fields:?}");
    assert_eq!(errors.get("tasks").map(|f| f.code), Some("SPEC_TASK_WEIGHTS_SUM"));
    assert_eq!(errors.get("min_panel_size").map(|f| f.code), Some("SPEC_PANEL_BELOW_POLICY"));
    assert_eq!(w.state(id).await, ProjectState::Draft);
}

#[tokio::test]
async fn p3_a_draft_is_its_units_own_until_submitted() {
    let w = world().await;
    let s = &w.app.store;
    let id = w.draft(&w.dev, "武冈卤菜加工").await;
    for p in [&w.dev_other, &w.city, &w.prov] {
        assert!(matches!(s.get_project(p, id).await, Err(StoreError::NotFound)), "{}", p.username);
        let page = s.list_projects(p, &ProjectQuery::default(), PageReq::new(None, None)).await.expect("list");
        assert_eq!(page.total, 0, "{}", p.username);
    }
    // Roles that see no project are refused whatever the id.
    let station = w.app.create_org("长沙某考核站", "station", "430104").await;
    w.app.create_user("station", &[Role::StationStaff], station).await;
    let st = w.app.principal("station").await;
    assert!(matches!(s.get_project(&st, id).await, Err(StoreError::Forbidden)));
    assert!(matches!(s.get_project(&st, 999_999).await, Err(StoreError::Forbidden)));
    // The unit sees and edits its own; another unit may not edit it.
    assert_eq!(
        s.list_projects(&w.dev, &ProjectQuery::default(), PageReq::new(None, None)).await.expect("list").total,
        1
    );
    assert!(s.update_project(&w.dev_other, id, &spec("武冈卤菜加工"), &ctx()).await.is_err());
    s.submit_project(&w.dev, id, &ctx()).await.expect("submit");
    // Submitted: its city and the province see it; another city does not.
    assert!(s.get_project(&w.city, id).await.is_ok());
    assert!(s.get_project(&w.prov, id).await.is_ok());
    assert!(matches!(s.get_project(&w.city_other, id).await, Err(StoreError::NotFound)));
    let q = ProjectQuery { state: Some(ProjectState::Submitted), q: Some("卤菜".into()) };
    assert_eq!(s.list_projects(&w.city, &q, PageReq::new(None, None)).await.expect("list").total, 1);
    assert_eq!(s.list_projects(&w.city_other, &q, PageReq::new(None, None)).await.expect("list").total, 0);
    // The unit can no longer edit it.
    let e = s.update_project(&w.dev, id, &spec("武冈卤菜加工"), &ctx()).await.expect_err("submitted");
    assert_eq!(code_of(&e), "PROJECT_NOT_EDITABLE");
    let _ = w.unit;
}

#[tokio::test]
async fn p3_a_second_step_on_a_project_that_moved_on_is_409_project_changed() {
    let w = world().await;
    let s = &w.app.store;
    let id = w.draft(&w.dev, "武冈卤菜加工").await;
    s.submit_project(&w.dev, id, &ctx()).await.expect("submit");
    // Someone else's step holds the project (the writer on SQLite, the row on PostgreSQL) while the
    // city's forward reads it as submitted; that step then moves the project on and commits.
    let txn = s.db.begin().await.expect("begin");
    let lock = format!("UPDATE projects SET updated_at = updated_at WHERE id = {id}");
    txn.execute_unprepared(&lock).await.expect("hold");
    let (fwd, c) = (act("forward"), ctx());
    let forward = s.act_on_project(&w.city, id, &fwd, &c);
    let other = async {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let moved = format!("UPDATE projects SET state = 'returned' WHERE id = {id}");
        txn.execute_unprepared(&moved).await.expect("move on");
        txn.commit().await.expect("commit");
    };
    let (r, ()) = tokio::join!(forward, other);
    let e = r.expect_err("moved on");
    assert_eq!(code_of(&e), "PROJECT_CHANGED");
    assert!(matches!(e, StoreError::Conflict(ref f) if f.detail.contains("刷新")));

    // Two offices at once: one step happens, the other is refused (409).
    s.submit_project(&w.dev, id, &ctx()).await.expect("resubmit");
    let ret = with_reason("city_return", "材料不全");
    let (a, b) = tokio::join!(s.act_on_project(&w.city, id, &fwd, &c), s.act_on_project(&w.city, id, &ret, &c));
    assert_eq!(a.is_ok() as u8 + b.is_ok() as u8, 1, "{a:?} {b:?}");
    let refused = a.err().or(b.err()).expect("one refused");
    assert!(matches!(refused, StoreError::Conflict(_)), "{refused:?}");
}

#[tokio::test]
async fn f2_the_catalog_lists_public_projects_with_their_filed_stations_and_history() {
    let w = world().await;
    let s = &w.app.store;
    let a = w.reviewed("武冈卤菜加工").await;
    let b = w.reviewed("湘绣刺绣制作").await;
    for id in [a, b] {
        s.act_on_project(&w.prov, id, &act("establish"), &ctx()).await.expect("establish");
    }
    // Established but not published: not public.
    assert!(matches!(s.catalog_project("0001").await, Err(StoreError::NotFound)));
    let today = store::today().to_string();
    let publish = ProjectActionInput { kind: "publish".into(), publication_date: today.clone(), ..Default::default() };
    for id in [a, b] {
        s.act_on_project(&w.prov, id, &publish, &ctx()).await.expect("publish");
    }
    s.act_on_project(&w.prov, b, &act("roll_out"), &ctx()).await.expect("roll out");
    s.act_on_project(&w.prov, b, &with_reason("stop", "停止开展"), &ctx()).await.expect("stop");
    // A station filed for 武冈卤菜加工 (S5), and one still in draft that lists it too.
    let station = w.app.create_org("武冈市卤菜考核站", "station", "430581").await;
    w.app.create_user("station", &[Role::StationStaff], station).await;
    let st = w.app.principal("station").await;
    for name in ["武冈市卤菜考核站", "武冈市第二考核站"] {
        let mut input = testkit::application(name, "employer", "430581");
        input.projects = vec!["武冈卤菜加工".into()];
        let f = s.create_filing(&st, &input, &ctx()).await.expect("filing");
        if name == "武冈市卤菜考核站" {
            let sql = format!("UPDATE filings SET state = 'filed', institution_code = 'HN050001' WHERE id = {f}");
            s.db.execute_unprepared(&sql).await.expect("filed");
        }
    }
    let all = s.catalog_projects(&CatalogQuery::default(), PageReq::new(None, None)).await.expect("catalog");
    assert_eq!(all.total, 2);
    let first = &all.items[0];
    assert_eq!((first.code.as_deref(), first.name.as_str()), (Some("0001"), "武冈卤菜加工"));
    assert_eq!(first.status, domain::projects::CatalogStatus::Pilot);
    assert_eq!(first.stations.len(), 1, "only filed stations: {:?}", first.stations);
    assert_eq!(first.stations[0].institution_code.as_deref(), Some("HN050001"));
    assert_eq!(all.items[1].status, domain::projects::CatalogStatus::Stopped);
    assert_eq!(all.items[1].pilot_end, None);
    // By status and by text.
    let q = CatalogQuery { status: Some(domain::projects::CatalogStatus::Stopped), q: None };
    assert_eq!(s.catalog_projects(&q, PageReq::new(None, None)).await.expect("catalog").total, 1);
    let q = CatalogQuery { status: None, q: Some("湘绣".into()) };
    assert_eq!(
        s.catalog_projects(&q, PageReq::new(None, None)).await.expect("catalog").items[0].code.as_deref(),
        Some("0002")
    );
    // A stopped project keeps its page and its public history: published, rolled out, stopped.
    let page = s.catalog_project("0002").await.expect("page");
    let kinds: Vec<_> = page.changes.iter().map(|c| c.kind).collect();
    use domain::projects::ProjectEventKind as K;
    assert_eq!(kinds, [K::Publish, K::RollOut, K::Stop]);
    assert_eq!(page.changes[0].effective.map(|d| d.to_string()), Some(today));
    assert!(page.specification.is_some());
    assert!(page.fields.contains(&"烹饪".to_string()));
}

/// m0001 seeds every policy entry of a new database and m0015 seeds the three new keys again for older
/// ones: the second seeding skips a key that has a version, so each has exactly one.
#[tokio::test]
async fn p8_p4_a_new_database_has_each_new_policy_key_once() {
    let w = world().await;
    let s = &w.app.store;
    let versions = store::entity::policy_version::Entity::find().all(&s.db).await.expect("versions");
    for key in [
        domain::policy::keys::PILOT_REMINDER_DAYS,
        domain::policy::keys::PROJECT_CODE_TEMPLATE,
        domain::policy::keys::PARALLEL_OVERLAP_MAX_PERCENT,
    ] {
        assert_eq!(versions.iter().filter(|v| v.key == key).count(), 1, "{key}");
    }
    assert_eq!(
        s.policy_on(domain::policy::keys::PROJECT_CODE_TEMPLATE, store::today()).await.expect("t").value,
        "{serial4}"
    );
    assert_eq!(s.policy_on(domain::policy::keys::PILOT_REMINDER_DAYS, store::today()).await.expect("d").value, "30");
    // A second start runs nothing again.
    s.migrate().await.expect("migrate again");
    assert_eq!(store::entity::policy_version::Entity::find().all(&s.db).await.expect("versions").len(), versions.len());
}
