//! Demo: exam sessions (E1, E3) of a filed 长沙 station, made through the store's own steps as the demo
//! accounts (station_staff3 plans, city_staff decides):
//!
//! | session | project | state | who acts next |
//! |---|---|---|---|
//! | 1 | 米粉制作 | draft, 4 candidates, open to applications; `candidate` has applied (issue 12) | station_staff3 confirms or declines, adds candidates, submits |
//! | 2 | 湘菜烹饪 | submitted | city_staff approves or returns |
//! | 3 | 米粉制作 | approved, 3 candidates and `candidate` confirmed online; every one has a ticket number; papers requested (E2); panel appointed (E4, `panel`) | `candidate` prints the ticket; the station prints tickets and the sign-in sheet; qbank_officer approves the release |
//! | 4 | 米粉制作 | finished 20 working days ago: scores, both reports, register confirmed, two materials archived (E5–E7, `finished`); the passed candidates' certificates issued on 长沙's blanks (C1, `certificates`) | `candidate` (李小龙) sees the result; everyone reads the register and the archive; city_staff sees the certificates and the stock |
//!
//! The station's filing is recorded as filed (S5) before kaohe, as a legacy record: the filing
//! procedure itself is walked by the other demo filings. The exam days are counted on the statutory
//! calendar from today; when it cannot count them (next year's holidays not entered), only the draft
//! is made, with a note.

use domain::exams::{CandidateInput, ExamPlanInput};
use domain::org::Principal;
use domain::stations::{ApplicationInput, FilingState, Receiver};
use store::entity::{filing, filing_project, registry_person};
use store::sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use store::sessions::SessionActionInput;
use store::{Ctx, Store};

/// Demo candidates: (name, 17 digits of the ID number, employer, subsidy category).
const CANDIDATES: [(&str, &str, &str, &str); 10] = [
    ("陈思雨", "43010219950312002", "长沙市岳麓区米粉店", "农村转移劳动力"),
    ("刘志强", "43012119880706003", "", "脱贫劳动力"),
    ("王小梅", "43010419920218004", "长沙市天心区餐饮有限公司", ""),
    ("张建军", "43011119790925005", "", "农村转移劳动力"),
    ("李娟", "43018119900101006", "浏阳市蒸菜馆", "毕业年度高校毕业生"),
    ("周明", "43010319870505007", "", ""),
    ("黄丽华", "43012419930815008", "宁乡市农家菜馆", "农村转移劳动力"),
    ("谭伟", "43018219850620009", "", "脱贫劳动力"),
    ("吴晓燕", "43010519961128010", "", "毕业年度高校毕业生"),
    ("邓志平", "43010219820314011", "长沙市开福区米粉店", ""),
];

fn candidate(i: usize) -> anyhow::Result<CandidateInput> {
    let (name, body, employer, subsidy) = CANDIDATES[i];
    let check = domain::ids::id_number_check_char(body).ok_or_else(|| anyhow::anyhow!("演示身份证号码 {body}"))?;
    Ok(CandidateInput {
        name: name.into(),
        id_number: format!("{body}{check}"),
        phone: format!("138073{:05}", 10_000 + i),
        employer: employer.into(),
        subsidy_category: subsidy.into(),
        training: "长沙市岳麓区职业技能培训学校 2026 年第 3 期培训班".into(),
        trainers: String::new(),
    })
}

/// The station's filing, recorded as filed with the projects it assesses.
pub(super) async fn filed_station(store: &Store, org_id: i64, name: &str) -> anyhow::Result<()> {
    let now = store::now();
    let application = ApplicationInput {
        institution_name: name.into(),
        region_code: "430104".into(),
        projects: vec!["米粉制作".into(), "湘菜烹饪".into()],
        ..ApplicationInput::example()
    };
    let m = filing::ActiveModel {
        applicant_org_id: Set(org_id),
        institution_name: Set(name.into()),
        application: Set(serde_json::to_string(&application)?),
        state: Set(FilingState::Filed),
        receiver: Set(Receiver::City),
        receiving_region: Set("430100".into()),
        applicant_city: Set("430100".into()),
        plan: Set(None),
        evaluation_date: Set(None),
        draw_id: Set(None),
        group_conclusion: Set(None),
        institution_code: Set(Some("HN019001".into())),
        reference: Set(None),
        code_serial: Set(None),
        province_opinion: Set("演示：备案在本系统启用前已办结，此为补录的备案记录。".into()),
        commitment_by: Set(String::new()),
        commitment_at: Set(None),
        submitted_at: Set(Some(now)),
        decided_at: Set(Some(now)),
        created_by: Set("demo".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&store.db)
    .await?;
    let catalog = store.current_catalog_projects().await?;
    for (i, p) in application.projects.iter().enumerate() {
        filing_project::ActiveModel {
            filing_id: Set(m.id),
            position: Set(i32::try_from(i)?),
            name: Set(p.clone()),
            code: Set(catalog.iter().find(|c| &c.name == p).map(|c| c.code.clone())),
            ..Default::default()
        }
        .insert(&store.db)
        .await?;
    }
    Ok(())
}

async fn code_of(store: &Store, name: &str) -> anyhow::Result<String> {
    let catalog = store.current_catalog_projects().await?;
    catalog.into_iter().find(|c| c.name == name).map(|c| c.code).ok_or_else(|| anyhow::anyhow!("目录中没有 {name}"))
}

fn plan_input(code: &str, first_day: time::Date, venue: &str, expected: u32) -> ExamPlanInput {
    ExamPlanInput {
        project_code: code.into(),
        first_day: first_day.to_string(),
        last_day: String::new(),
        venue: venue.into(),
        expected_candidates: expected.to_string(),
        computer_based: false,
        plan: "8:30 考生签到、核验身份证和准考证；9:00–10:00 理论知识考试（闭卷）；\
               10:30–12:00 操作技能考核；考评组 3 人（组长 1 人），质量督导员 1 人；\
               试卷由组织考核的鉴定中心封存送达，考前由两名考生代表见证启封；突发情况由考核站站长负责处置。"
            .into(),
    }
}

/// The ID number of the demo `candidate` account (李小龙), who applies online to the draft session.
pub(super) fn demo_candidate_id_number() -> anyhow::Result<String> {
    let body = "43010419980520301";
    let check = domain::ids::id_number_check_char(body).ok_or_else(|| anyhow::anyhow!("演示身份证号码 {body}"))?;
    Ok(format!("{body}{check}"))
}

pub(super) async fn demo_sessions(
    store: &Store,
    station: &Principal,
    city: &Principal,
    applicant: Option<&Principal>,
) -> anyhow::Result<()> {
    let ctx = Ctx { actor: "demo".into(), ip: String::new() };
    let err = |what: &'static str| move |e: store::StoreError| anyhow::anyhow!("演示考核计划（{what}）：{e}");
    let mifen = code_of(store, "米粉制作").await?;
    // E4, F3: the demo class was taught by the trainer 曾教授, named by their certificate's number.
    let teacher = registry_person::Entity::find()
        .filter(registry_person::Column::Name.eq("曾教授"))
        .filter(registry_person::Column::Kind.eq(domain::registry::PersonKind::Trainer))
        .one(&store.db)
        .await?
        .map(|m| m.card_number)
        .ok_or_else(|| anyhow::anyhow!("演示培训师曾教授"))?;
    let candidate = |i: usize| candidate(i).map(|c| CandidateInput { trainers: teacher.clone(), ..c });
    let xiangcai = code_of(store, "湘菜烹饪").await?;
    let lead: u32 =
        store.policy_parsed(domain::policy::keys::EXAM_PLAN_LEAD_DAYS, store::today(), &mut Default::default()).await?;
    let cal = store.calendar().await?;
    // On time with two working days to spare; a month out when the calendar cannot count (a draft only).
    let counted = cal.add_working_days(store::today(), lead + 2).ok();
    let day = counted.unwrap_or(store::today() + time::Duration::days(30));
    let venue = "长沙市岳麓区麓谷大道 66 号 实训楼三楼";
    let draft =
        store.create_exam_session(station, &plan_input(&mifen, day, venue, 30), &ctx).await.map_err(err("草拟"))?;
    for i in 0..4 {
        store.add_candidate(station, draft, &candidate(i)?, &ctx).await.map_err(err("考生"))?;
    }
    // Issue 12: the draft takes applications online, and the demo candidate has applied.
    store.set_applications_open(station, draft, true, &ctx).await.map_err(err("开放网上报名"))?;
    if let Some(c) = applicant {
        store.apply_to_session(c, draft, &ctx).await.map_err(err("网上报名"))?;
    }
    let Some(day) = counted else {
        println!("演示：次年节假日安排尚未录入，考核计划只有草拟的第 {draft} 号（station_staff3 可添加考生、报送）。");
        return Ok(());
    };
    let submit = SessionActionInput { action: "submit".into(), reason: String::new() };
    let submitted =
        store.create_exam_session(station, &plan_input(&xiangcai, day, venue, 20), &ctx).await.map_err(err("草拟"))?;
    let roster: Vec<CandidateInput> = (4..7).map(&candidate).collect::<anyhow::Result<_>>()?;
    store.import_roster(station, submitted, &roster, &ctx).await.map_err(err("名册"))?;
    store.act_on_session(station, submitted, &submit, &ctx).await.map_err(err("报送"))?;
    let approved = store
        .create_exam_session(station, &plan_input(&mifen, day, "长沙市岳麓区麓谷大道 66 号 实训楼二楼", 15), &ctx)
        .await
        .map_err(err("草拟"))?;
    let roster: Vec<CandidateInput> = (7..10).map(&candidate).collect::<anyhow::Result<_>>()?;
    store.import_roster(station, approved, &roster, &ctx).await.map_err(err("名册"))?;
    // Issue 12: the demo candidate applied to it too and was confirmed, so they can print a ticket.
    if let Some(c) = applicant {
        store.set_applications_open(station, approved, true, &ctx).await.map_err(err("开放网上报名"))?;
        let aid = store.apply_to_session(c, approved, &ctx).await.map_err(err("网上报名"))?;
        let confirm = store::portal::ApplicationDecisionInput { action: "confirm".into(), reason: String::new() };
        store.decide_application(station, approved, aid, &confirm, &ctx).await.map_err(err("确认报名"))?;
    }
    store.act_on_session(station, approved, &submit, &ctx).await.map_err(err("报送"))?;
    let approve = SessionActionInput { action: "approve".into(), reason: String::new() };
    store.act_on_session(city, approved, &approve, &ctx).await.map_err(err("批准"))?;
    super::panel::demo_panel(store, city, approved, &ctx).await?;
    // E2: the organizer has asked for the approved session's papers (four candidates and a spare).
    let papers = store::releases::ReleaseRequestInput {
        session_id: approved.to_string(),
        copies: "5".into(),
        ..Default::default()
    };
    let release = store.request_release(city, &papers, &ctx).await.map_err(err("试卷使用申请"))?;
    // E5–E7: a session of the same station already finished, with 李小龙 on its roster (`finished`).
    let mut roster: Vec<CandidateInput> = (0..3).map(&candidate).collect::<anyhow::Result<_>>()?;
    roster.push(CandidateInput {
        name: "李小龙".into(),
        id_number: demo_candidate_id_number()?,
        phone: "13807320301".into(),
        ..candidate(0)?
    });
    let finished = plan_input(&mifen, day, "长沙市岳麓区麓谷大道 66 号 实训楼一楼", 4);
    let finished = super::finished::demo_finished(store, station, city, &finished, &roster, &ctx).await?;
    super::certificates::demo_certificates(store, city, finished, &ctx).await?;
    // F1: the 长沙 center has recorded both sessions' fees and remitted the finished one's.
    super::fees::demo_fees(store, city, approved, finished, &ctx).await?;
    println!(
        "演示：考核计划第 {draft} 号草拟中（station_staff3 可添加考生、报送），第 {submitted} 号待 city_staff 审核，第 {approved} 号已批准（考生已有准考证号，candidate 可打印准考证；试卷使用申请第 {release} 号待 qbank_officer 批准）。"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use domain::exams::SessionState;
    use store::entity::{exam_candidate, exam_session};
    use store::sea_orm::{EntityTrait, QueryOrder};

    #[tokio::test]
    async fn e3_the_demo_has_a_draft_a_submitted_and_an_approved_session_with_candidates() {
        let (store, _dir) = testkit::fresh_store().await;
        super::super::load(&store).await.expect("demo loads");
        let sessions =
            exam_session::Entity::find().order_by_asc(exam_session::Column::Id).all(&store.db).await.expect("sessions");
        let states: Vec<SessionState> = sessions.iter().map(|s| s.state).collect();
        let cal = store.calendar().await.expect("calendar");
        if cal.add_working_days(store::today(), 12).is_err() {
            assert_eq!(states, [SessionState::Draft], "only the draft when the calendar cannot count");
            return;
        }
        assert_eq!(
            states,
            [SessionState::Draft, SessionState::Submitted, SessionState::Approved, SessionState::Approved]
        );
        assert!(sessions.iter().all(|s| s.organizer_city.as_deref() == Some("430100")), "the 长沙 center organizes");
        // E2: the approved session's papers are asked for by its organizer.
        let releases = store::entity::paper_release::Entity::find().all(&store.db).await.expect("releases");
        assert!(releases.iter().any(|r| r.session_id == Some(sessions[2].id)), "{releases:?}");
        let candidates = exam_candidate::Entity::find().all(&store.db).await.expect("candidates");
        assert_eq!(candidates.len(), 15);
        // E4, F3: every roster candidate names the class's trainer 曾教授 (the one who applied online none).
        let links = store::entity::exam_candidate_trainer::Entity::find().all(&store.db).await.expect("links");
        assert_eq!(links.len(), 14, "{links:?}");
        // Issue 12: every candidate of the approved sessions has a ticket; nobody else has one yet.
        for c in &candidates {
            assert_eq!(c.ticket_number.is_some(), c.session_id >= sessions[2].id, "{c:?}");
        }
        // E4: the approved session has its panel, headed by the `assessor` account's 张伟.
        let panel = store.panel_of(sessions[2].id).await.expect("panel");
        let names: Vec<&str> = panel.iter().map(|m| m.name.as_str()).collect();
        assert_eq!((names.first(), names.last()), (Some(&"张伟"), Some(&"黄督")), "{names:?}");
        assert!(names.len() >= 4, "{names:?}");
        assert!(store.panel_of(sessions[0].id).await.expect("panel").is_empty());
        // Issue 12: the draft is open to applications and the demo candidate has applied to it.
        assert!(sessions[0].applications_open && !sessions[1].applications_open);
        let apps = store::entity::exam_application::Entity::find().all(&store.db).await.expect("applications");
        assert_eq!(
            apps.iter().map(|a| (a.session_id, a.status)).collect::<Vec<_>>(),
            [
                (sessions[0].id, domain::exams::ApplicationStatus::Applied),
                (sessions[2].id, domain::exams::ApplicationStatus::Confirmed)
            ]
        );
        // Loading again adds nothing (the accounts exist).
        super::super::load(&store).await.expect("demo loads twice");
        assert_eq!(exam_session::Entity::find().all(&store.db).await.expect("sessions").len(), 4);
    }
}
