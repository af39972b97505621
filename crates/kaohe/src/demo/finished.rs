//! Demo: a finished exam session (E5–E7) of the filed 长沙 station, so a newcomer sees every later
//! step: 米粉制作, approved by `city_staff`, its panel appointed (张伟 heads, 黄督 supervises), then its
//! days moved 20 working days back (the exam is over); four candidates with 李小龙 (the `candidate`
//! account, by his ID number), their scores entered by the station (one absent, one failing), the
//! assessor report filed by the head and signed by every assessor from their own account (the other
//! assessors get accounts `assessor2`, `assessor3`), the supervision report with one incident, the
//! register submitted and confirmed, and two archived materials (paper with its place, electronic).
//! All through the store's own steps; only the days are moved directly, as the tests do.

use domain::exams::{CandidateInput, IncidentInput, PanelRole};
use domain::org::{DataScope, Principal, Role};
use store::archives::{ArchiveInput, ArchiveUpload};
use store::entity::{exam_session, registry_person, user};
use store::grading::{RegisterActionInput, ScoreEntry};
use store::sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use store::sessions::SessionActionInput;
use store::users::UserInput;
use store::{Ctx, Store};

/// How many working days ago the finished session's exam took place.
const DAYS_AGO: u32 = 20;

/// The principal of a demo account with one role, read by username.
async fn account(store: &Store, username: &str, role: Role) -> anyhow::Result<Principal> {
    let u = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(&store.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("演示账号 {username} 不存在"))?;
    Ok(Principal {
        user_id: u.id,
        username: u.username,
        display_name: u.display_name,
        org_id: u.org_id,
        org_name: String::new(),
        roles: vec![role],
        scope: DataScope::Person(u.id),
    })
}

/// Accounts for the panel's assessors who have none yet (`assessor2`, `assessor3` …), linked to their
/// registry records. Answers the usernames of every assessor of the panel (the head first).
async fn panel_accounts(store: &Store, session: i64, fallback_org: i64, ctx: &Ctx) -> anyhow::Result<Vec<String>> {
    let system = Principal::system();
    let mut usernames = Vec::new();
    let mut next = 2;
    let mut panel = store.panel_of(session).await?;
    panel.sort_by_key(|m| m.role != PanelRole::Head);
    for m in panel.iter().filter(|m| matches!(m.role, PanelRole::Head | PanelRole::Assessor)) {
        let person = registry_person::Entity::find_by_id(m.person_id)
            .one(&store.db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("考评员 {}", m.name))?;
        if let Some(uid) = person.user_id {
            let u = user::Entity::find_by_id(uid).one(&store.db).await?.ok_or_else(|| anyhow::anyhow!("账号 {uid}"))?;
            usernames.push(u.username);
            continue;
        }
        let username = format!("assessor{next}");
        next += 1;
        let input = UserInput {
            username: username.clone(),
            display_name: m.name.clone(),
            org_id: Some(fallback_org),
            roles: vec![Role::Assessor.id().into()],
            password: super::DEMO_PASSWORD.into(),
            ..Default::default()
        };
        let id =
            store.create_user(&system, &input, ctx).await.map_err(|e| anyhow::anyhow!("演示账号 {username}：{e}"))?;
        store.mark_password_current(id).await?;
        store
            .link_registered_account(&system, m.person_id, &username, ctx)
            .await
            .map_err(|e| anyhow::anyhow!("关联演示账号 {username}：{e}"))?;
        usernames.push(username);
    }
    Ok(usernames)
}

fn entry(id_number: &str, theory: &str, practical: &str) -> ScoreEntry {
    ScoreEntry {
        id_number: id_number.into(),
        theory: theory.into(),
        practical: practical.into(),
        absent: theory.is_empty(),
        ..Default::default()
    }
}

/// The finished session: made on `day` (far enough ahead to be approved), then moved back. Answers
/// its id.
pub(super) async fn demo_finished(
    store: &Store,
    station: &Principal,
    city: &Principal,
    plan: &domain::exams::ExamPlanInput,
    roster: &[CandidateInput],
    ctx: &Ctx,
) -> anyhow::Result<i64> {
    let err = |what: &'static str| move |e: store::StoreError| anyhow::anyhow!("演示已结束的考核（{what}）：{e}");
    let id = store.create_exam_session(station, plan, ctx).await.map_err(err("草拟"))?;
    store.import_roster(station, id, roster, ctx).await.map_err(err("名册"))?;
    let submit = SessionActionInput { action: "submit".into(), reason: String::new() };
    store.act_on_session(station, id, &submit, ctx).await.map_err(err("报送"))?;
    let approve = SessionActionInput { action: "approve".into(), reason: String::new() };
    store.act_on_session(city, id, &approve, ctx).await.map_err(err("批准"))?;
    // The panel is appointed before the exam begins; then the exam's days move into the past.
    super::panel::demo_panel(store, city, id, ctx).await?;
    let cal = store.calendar().await?;
    let first = cal.subtract_working_days(store::today(), DAYS_AGO)?;
    exam_session::ActiveModel { id: Set(id), first_day: Set(first), last_day: Set(first), ..Default::default() }
        .update(&store.db)
        .await?;
    // E5: the station enters the scores — one passes well, 李小龙 passes, one fails, one is absent.
    let scores = [
        entry(&roster[0].id_number, "86", "90"),
        entry(&roster[1].id_number, "", ""),
        entry(&roster[2].id_number, "52", "58"),
        entry(&roster[3].id_number, "78", "84"),
    ];
    store.enter_scores(station, id, &scores, false, ctx).await.map_err(err("登记成绩"))?;
    // The head files the assessor report, every assessor signs it from their own account.
    let assessors = panel_accounts(store, id, city.org_id, ctx).await?;
    let head = account(store, &assessors[0], Role::Assessor).await?;
    let summary = "考核按计划完成：应考 4 人，实考 3 人，缺考 1 人；理论知识考试闭卷进行，操作技能考核按评分细则逐项评分，\
                   成绩评定符合考核规范。";
    store.file_assessor_report(&head, id, summary, ctx).await.map_err(err("考评情况报告"))?;
    for username in &assessors {
        let p = account(store, username, Role::Assessor).await?;
        store.sign_assessor_report(&p, id, ctx).await.map_err(err("签署考评情况报告"))?;
    }
    let supervisor = account(store, "supervisor", Role::Supervisor).await?;
    let incident = IncidentInput {
        at: format!("{first} 10:40"),
        description: "操作技能考核时一台榨粉机电机过热停机".into(),
        action: "考评组长暂停该工位，启用备用设备，为受影响考生补足 15 分钟操作时间".into(),
    };
    let supervision =
        "考核组织规范，考场纪律良好，身份核验、试卷启封和评分过程均按规定进行；发生一起设备故障，已妥善处置。";
    store.file_supervision_report(&supervisor, id, supervision, &[incident], ctx).await.map_err(err("督导报告"))?;
    // E6: the station submits the register, the organizer confirms it.
    for (who, action) in [(station, "submit"), (city, "confirm")] {
        let input = RegisterActionInput { action: action.into(), ..Default::default() };
        store.act_on_register(who, id, &input, ctx).await.map_err(err("成绩登分册"))?;
    }
    // E7: the station archives two materials.
    let paper = ArchiveInput {
        title: "考生签到表及成绩登分册（纸质）".into(),
        medium: "paper".into(),
        location: "考核站档案室 2 号柜第 3 层".into(),
    };
    let electronic =
        ArchiveInput {
            title: "成绩登分册（电子版）".into(), medium: "electronic".into(), location: String::new()
        };
    // The electronic material carries its uploaded file (a small PDF standing in for the scan).
    let pdf = format!("%PDF-1.4\n% kaohe demo: 成绩登分册 {first}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
    let none = ArchiveUpload::default();
    let scan = ArchiveUpload { name: "成绩登分册.pdf", bytes: pdf.as_bytes() };
    for (input, file) in [(paper, none), (electronic, scan)] {
        store.archive_material(station, id, &input, file, ctx).await.map_err(err("归档"))?;
    }
    println!(
        "演示：考核计划第 {id} 号已于 {first} 考完，成绩登分册已确认、材料已归档；candidate 可在“我的考试”查看成绩，\
         考评员账号 {}（密码相同）。",
        assessors.join("、")
    );
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::account;
    use domain::exams::{RegisterStatus, SessionState};
    use domain::org::Role;
    use store::entity::{exam_archive, exam_register, exam_session};
    use store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    #[tokio::test]
    async fn e5_e7_the_demo_has_a_finished_session_with_a_confirmed_register_both_reports_and_archives() {
        let (store, _dir) = testkit::fresh_store().await;
        super::super::load(&store).await.expect("demo loads");
        if store.calendar().await.expect("calendar").add_working_days(store::today(), 12).is_err() {
            return; // only the draft when the calendar cannot count
        }
        let last = exam_session::Entity::find()
            .order_by_desc(exam_session::Column::Id)
            .one(&store.db)
            .await
            .expect("read")
            .expect("sessions");
        assert_eq!(last.state, SessionState::Approved);
        assert!(last.first_day < store::today() && last.last_day < store::today(), "{last:?}");
        let registers = exam_register::Entity::find()
            .filter(exam_register::Column::SessionId.eq(last.id))
            .all(&store.db)
            .await
            .expect("registers");
        assert_eq!(registers.iter().map(|r| r.status).collect::<Vec<_>>(), [RegisterStatus::Confirmed]);
        let reports = store.reports_of(last.id).await.expect("reports");
        assert!(reports.assessor.is_some(), "the assessor report is filed");
        assert_eq!((reports.signatures.len(), reports.unsigned()), (3, 0), "signed by every assessor");
        assert_eq!(reports.signatures[0].name, "张伟");
        let supervision = reports.supervision.expect("the supervision report is filed");
        assert_eq!((supervision.filed_by_name.as_str(), supervision.incidents.len()), ("黄督", 1));
        let archives = exam_archive::Entity::find()
            .filter(exam_archive::Column::SessionId.eq(last.id))
            .all(&store.db)
            .await
            .expect("archives");
        assert_eq!(archives.len(), 2);
        assert!(
            archives.iter().any(|a| a.file_key.is_some() && a.file_digest.is_some() && a.file_ref == "成绩登分册.pdf"),
            "the electronic material carries its uploaded file"
        );
        // 李小龙 (the `candidate` account) sees his result; the scores hold an absence and a failure.
        let candidate = account(&store, "candidate", Role::Candidate).await.expect("candidate");
        let mine = store.my_results(&candidate).await.expect("results");
        assert_eq!(mine.iter().map(|r| (r.session_id, r.passed)).collect::<Vec<_>>(), [(last.id, true)]);
        let sheet = store.score_sheet(&domain::org::Principal::system(), last.id, None).await.expect("sheet");
        let scores: Vec<_> = sheet.rows.iter().filter_map(|r| r.score.as_ref()).collect();
        assert_eq!(scores.len(), 4, "every candidate scored");
        assert_eq!(scores.iter().filter(|s| s.absent).count(), 1, "one absent");
        assert_eq!(scores.iter().filter(|s| !s.absent && !s.passed).count(), 1, "one failing");
    }
}
