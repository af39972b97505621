//! E4: the exam panel (考评组) through HTTP. The organizer (the 长沙 city center) appoints a legal panel
//! of an approved session — a head, the other assessors, a supervisor — and everyone who sees the
//! session sees it, head first. Each refusal is named per person and saves nothing: a relative of a
//! candidate, an assessor who works or worked for the station, one who works or worked for a
//! candidate's employer, one who sat on the station's last three panels, too few assessors, a
//! supervisor among the assessors or working for the station; another center (`NOT_ORGANIZER`), the
//! station, and a session not yet approved are refused too. The region (`exam.panel_region`): an
//! assessor outside the organizer's city is refused with the reason and never drawn until the policy
//! says the whole province. Trainers: an assessor who taught a candidate under their trainer
//! certificate (another registry row, the same person) is recused by manual pick and never drawn; a
//! roster naming an unknown trainer's number is refused by row and column, nothing saved.

use crate::sessions::{World, exam_day, idn, plan, world};
use domain::exams::{PanelRole, SessionState};
use http::{Method, StatusCode};
use serde_json::{Value, json};
use store::entity::{exam_panel_member, exam_session};
use store::sea_orm::{ActiveModelTrait, EntityTrait, Set};
use time::Duration;

struct Panel {
    w: World,
    /// An approved session of the 长沙 station with two candidates.
    session: i64,
    /// Legal assessors.
    a: [i64; 4],
    /// A legal supervisor.
    sup: i64,
}

async fn person(w: &World, kind: &str, name: &str, seq: u32, employer: Option<&str>, org: Option<i64>) -> i64 {
    person_in(w, kind, name, seq, "430100", employer, org).await
}

async fn person_in(
    w: &World,
    kind: &str,
    name: &str,
    seq: u32,
    city: &str,
    employer: Option<&str>,
    org: Option<i64>,
) -> i64 {
    let code = if kind == "assessor" { "0001" } else { "" };
    let mut input = testkit::person_input(kind, name, &idn(seq), city, code);
    if let Some(e) = employer {
        input.employer_name = e.into();
    }
    input.employer_org_id = org;
    let system = domain::org::Principal::system();
    w.app.store.create_registered(&system, &input, &store::Ctx::system()).await.expect("registered")
}

/// A session of the station approved by the city center, with candidates (one working at 长沙某酒店).
async fn approved(w: &World, first_day: time::Date) -> i64 {
    let t = w.app.direct_token("cs_st").await;
    let r = w.app.post_json("/api/v1/sessions", Some(&t), &plan("0001", first_day)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    for (name, seq, employer) in [("考生甲", 501, "长沙某酒店"), ("考生乙", 502, "")] {
        let c = json!({"name": name, "id_number": idn(seq), "phone": "13800000000", "employer": employer});
        let r = w.app.post_json(&format!("/api/v1/sessions/{id}/candidates"), Some(&t), &c).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    exam_session::ActiveModel { id: Set(id), state: Set(SessionState::Approved), ..Default::default() }
        .update(&w.app.store.db)
        .await
        .expect("approve");
    id
}

async fn setup() -> Panel {
    let w = world().await;
    let session = approved(&w, exam_day()).await;
    let mut a = [0; 4];
    for (i, name) in ["王考评", "李考评", "赵考评", "钱考评"].iter().enumerate() {
        a[i] = person(&w, "assessor", name, 601 + u32::try_from(i).expect("small"), None, None).await;
    }
    let sup = person(&w, "supervisor", "孙督导", 701, None, None).await;
    Panel { w, session, a, sup }
}

async fn put(w: &World, who: &str, session: i64, body: &Value) -> testkit::Resp {
    let t = w.app.direct_token(who).await;
    w.app.send_json(Method::PUT, &format!("/api/v1/sessions/{session}/panel"), Some(&t), body).await
}

async fn members(w: &World, session: i64) -> Vec<Value> {
    let t = w.app.direct_token("cs_st").await;
    let r = w.app.get(&format!("/api/v1/sessions/{session}/panel"), Some(&t)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json().as_array().expect("list").clone()
}

fn details(r: &testkit::Resp) -> Vec<String> {
    r.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["detail"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[tokio::test]
async fn e4_the_organizer_appoints_a_legal_panel_on_the_page_and_everyone_who_sees_the_session_sees_it() {
    let Panel { w, session, a, sup } = setup().await;
    let mut c = w.app.direct_web("cs_staff").await;
    let page = w.app.web_get(&mut c, &format!("/sessions/{session}/panel")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("王考评") && page.body.contains("孙督导"), "the qualified registry people offered");
    let (h, s) = (a[1].to_string(), sup.to_string());
    let (x, y) = (a[0].to_string(), a[2].to_string());
    let form = [("head", h.as_str()), ("assessors", x.as_str()), ("assessors", y.as_str()), ("supervisor", s.as_str())];
    let r = w.app.web_post(&mut c, &format!("/sessions/{session}/panel"), &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let m = members(&w, session).await;
    let seats: Vec<(&str, &str)> =
        m.iter().map(|v| (v["role"].as_str().unwrap_or(""), v["name"].as_str().unwrap_or(""))).collect();
    assert_eq!(
        seats,
        [("head", "李考评"), ("assessor", "王考评"), ("assessor", "赵考评"), ("supervisor", "孙督导")],
        "head first, then the assessors by name, the supervisor last"
    );
    assert!(!m[0]["card_number"].as_str().unwrap_or("").is_empty());
    let own = w.app.store.panel_of(session).await.expect("panel");
    assert_eq!(own.iter().map(|p| p.role).collect::<Vec<_>>()[..2], [PanelRole::Head, PanelRole::Assessor]);
    let show = w.app.web_get(&mut c, &format!("/sessions/{session}")).await;
    assert!(show.body.contains("考评组长") && show.body.contains("李考评") && show.body.contains("更换考评组"));
    // Replacing the whole panel: the API, one step; the earlier seats are gone.
    let body = json!({"head": a[3], "assessors": [a[0], a[1]], "supervisor": sup});
    let r = put(&w, "cs_staff", session, &body).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let names: Vec<String> =
        members(&w, session).await.iter().map(|v| v["name"].as_str().unwrap_or("").into()).collect();
    assert_eq!(names, ["钱考评", "李考评", "王考评", "孙督导"]);
    let audits = store::entity::audit_log::Entity::find().all(&w.app.store.db).await.expect("audit");
    assert_eq!(audits.iter().filter(|x| x.action == "exam_session.panel_appointed").count(), 2, "one record a step");
}

#[tokio::test]
async fn e4_each_recusal_and_rotation_refusal_is_named_per_person_and_saves_nothing() {
    let Panel { w, session, a, sup } = setup().await;
    let relative = person(&w, "assessor", "周亲属", 611, None, None).await;
    let system = domain::org::Principal::system();
    let ctx = store::Ctx::system();
    let rel =
        store::registry::RelativeInput { name: "考生甲".into(), id_number: idn(501), relation: "sibling".into() };
    w.app.store.declare_relative(&system, Some(relative), &rel, &ctx).await.expect("relative");
    let station_now = person(&w, "assessor", "吴站内", 612, None, Some(w.station)).await;
    let station_before = person(&w, "assessor", "郑曾站", 613, None, None).await;
    w.app
        .store
        .add_registered_employment(
            &system,
            station_before,
            "",
            Some(w.station),
            store::today() - Duration::days(400),
            &ctx,
        )
        .await
        .expect("past employment");
    let employer_now = person(&w, "assessor", "冯酒店", 614, Some("长沙某酒店"), None).await;
    let employer_before = person(&w, "assessor", "陈曾酒店", 615, None, None).await;
    w.app
        .store
        .add_registered_employment(
            &system,
            employer_before,
            "长沙某酒店",
            None,
            store::today() - Duration::days(400),
            &ctx,
        )
        .await
        .expect("past employment");
    // 三连任: the station's last three panels (earlier sessions) all had 褚轮换.
    let rotated = person(&w, "assessor", "褚轮换", 616, None, None).await;
    for back in [90, 60, 30] {
        let earlier =
            crate::sessions::draft_row(&w.app, w.station, testkit::project_id(&w.app.store, "0001").await).await;
        let day = store::today() - Duration::days(back);
        exam_session::ActiveModel {
            id: Set(earlier),
            first_day: Set(day),
            last_day: Set(day),
            state: Set(SessionState::Approved),
            ..Default::default()
        }
        .update(&w.app.store.db)
        .await
        .expect("earlier");
        for (pid, role) in [(rotated, PanelRole::Head), (a[3], PanelRole::Assessor)] {
            exam_panel_member::ActiveModel {
                session_id: Set(earlier),
                person_id: Set(pid),
                role: Set(role),
                appointed_by: Set("test".into()),
                appointed_at: Set(store::now()),
                ..Default::default()
            }
            .insert(&w.app.store.db)
            .await
            .expect("past seat");
        }
    }
    let cases = [
        (relative, "周亲属", "与本场考生有亲属关系"),
        (station_now, "吴站内", "本人现在该考核站任职"),
        (station_before, "郑曾站", "本人曾在该考核站任职"),
        (employer_now, "冯酒店", "本人现在本场考生的工作单位任职"),
        (employer_before, "陈曾酒店", "本人曾在本场考生的工作单位任职"),
        (rotated, "褚轮换", "已连续 3 次在该考核站担任考评员"),
    ];
    for (pid, name, why) in cases {
        let r = put(&w, "cs_staff", session, &json!({"head": a[0], "assessors": [a[1], pid], "supervisor": sup})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {}", r.body);
        let d = details(&r);
        assert!(d.iter().any(|x| x.contains(name) && x.contains(why)), "{name}: {d:?}");
    }
    // The page explains each person beside their name before anyone is picked.
    let mut c = w.app.direct_web("cs_staff").await;
    let page = w.app.web_get(&mut c, &format!("/sessions/{session}/panel")).await;
    assert!(page.body.contains("须回避：与本场考生有亲属关系") && page.body.contains("轮换：已连续 3 次"));
    let too_few = put(&w, "cs_staff", session, &json!({"head": a[0], "assessors": [a[1]], "supervisor": sup})).await;
    assert_eq!(too_few.error_code(), "PANEL_TOO_SMALL", "{}", too_few.body);
    assert!(details(&too_few)[0].contains("至少须有 3 名考评员"));
    let sup_in =
        put(&w, "cs_staff", session, &json!({"head": a[0], "assessors": [a[1], a[2], sup], "supervisor": sup})).await;
    assert!(sup_in.body.contains("SUPERVISOR_IS_ASSESSOR"), "{}", sup_in.body);
    let station_sup = person(&w, "supervisor", "蒋站督", 702, None, Some(w.station)).await;
    let r = put(&w, "cs_staff", session, &json!({"head": a[0], "assessors": [a[1], a[2]], "supervisor": station_sup}))
        .await;
    assert_eq!(r.error_code(), "RECUSAL_SUPERVISOR_STATION", "{}", r.body);
    assert!(details(&r)[0].contains("蒋站督"));
    let none = put(&w, "cs_staff", session, &json!({"assessors": [a[1], a[2]]})).await;
    assert_eq!(crate::support::error_fields(&none.json()), ["head", "supervisor"]);
    assert!(members(&w, session).await.is_empty(), "nothing saved");
}

#[tokio::test]
async fn e1_e4_only_the_organizer_appoints_and_only_for_an_approved_session_not_yet_begun() {
    let Panel { w, session, a, sup } = setup().await;
    let body = json!({"head": a[0], "assessors": [a[1], a[2]], "supervisor": sup});
    let prov = put(&w, "prov", session, &body).await;
    assert_eq!(prov.status, StatusCode::CONFLICT);
    assert_eq!(prov.error_code(), "NOT_ORGANIZER");
    assert_eq!(put(&w, "cs_st", session, &body).await.status, StatusCode::FORBIDDEN, "the station does not appoint");
    assert_eq!(put(&w, "zz_staff", session, &body).await.status, StatusCode::NOT_FOUND, "another city finds nothing");
    let t = w.app.direct_token("cs_st").await;
    let draft = w.app.post_json("/api/v1/sessions", Some(&t), &plan("0001", exam_day())).await.json()["id"].as_i64();
    let draft = draft.expect("id");
    let r = put(&w, "cs_staff", draft, &body).await;
    assert_eq!(r.error_code(), "SESSION_NOT_APPROVED", "{}", r.body);
    exam_session::ActiveModel { id: Set(session), first_day: Set(store::today()), ..Default::default() }
        .update(&w.app.store.db)
        .await
        .expect("begun");
    let r = put(&w, "cs_staff", session, &body).await;
    assert_eq!(r.error_code(), "SESSION_STARTED", "{}", r.body);
    let mut c = w.app.direct_web("cs_staff").await;
    let show = w.app.web_get(&mut c, &format!("/sessions/{draft}")).await;
    assert!(show.body.contains("尚未委派考评组") && !show.body.contains("委派考评组</a>"));
}

#[tokio::test]
async fn e4_kaohe_draws_a_legal_panel_whose_record_anyone_can_verify_and_refuses_when_none_exists() {
    let Panel { w, session, a, sup } = setup().await;
    // Works at the station: recused, never in the draw's pool.
    let recused = person(&w, "assessor", "周任职", 612, None, Some(w.station)).await;
    let t = w.app.direct_token("cs_staff").await;
    let path = format!("/api/v1/sessions/{session}/panel/draw");
    let r = w.app.post_json(&path, Some(&t), &json!({})).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "PANEL_NO_SUPERVISOR"));
    let station = w.app.direct_token("cs_st").await;
    assert_eq!(w.app.post_json(&path, Some(&station), &json!({"supervisor": sup})).await.status, StatusCode::FORBIDDEN);

    let r = w.app.post_json(&path, Some(&t), &json!({"supervisor": sup})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let draw_id = r.json()["draw_id"].as_i64().expect("draw id");
    let seats = w.app.store.panel_of(session).await.expect("panel");
    let assessors: Vec<i64> = seats.iter().filter(|m| m.role != PanelRole::Supervisor).map(|m| m.person_id).collect();
    assert_eq!(assessors.len(), 3, "the policy's minimum");
    assert!(assessors.iter().all(|x| a.contains(x)) && !assessors.contains(&recused), "{assessors:?}");
    assert_eq!(seats.last().map(|m| (m.person_id, m.role)), Some((sup, PanelRole::Supervisor)));
    assert_eq!(w.app.store.panel_draw_of(session).await.expect("draw"), Some(draw_id));

    // The record is public at once and recomputes: the group is the panel, its first the head.
    let row = store::entity::draw::Entity::find_by_id(draw_id).one(&w.app.store.db).await.expect("read").expect("row");
    let record: domain::draws::DrawRecord = serde_json::from_str(&row.record).expect("record");
    assert_eq!(domain::draws::verify(&record), Ok(()));
    assert!(!record.pool.iter().any(|e| e.expert_id == recused), "the recused assessor is not in the pool");
    let group = record.group();
    assert_eq!(seats[0].role, PanelRole::Head);
    assert_eq!(seats[0].person_id, group[0], "the first drawn heads the panel");
    let mut sorted = group.clone();
    sorted.sort_unstable();
    let mut mine = assessors.clone();
    mine.sort_unstable();
    assert_eq!(sorted, mine);
    let public = w.app.get(&format!("/draws/{draw_id}"), None).await;
    assert!(
        public.status == StatusCode::OK && public.body.contains("考评员抽取公示") && public.body.contains("考评员编号"),
        "{}",
        public.body
    );
    let mut c = w.app.direct_web("cs_staff").await;
    let show = w.app.web_get(&mut c, &format!("/sessions/{session}")).await;
    assert!(show.body.contains(&format!("抽取记录第 {draw_id} 号")), "{}", show.body);
    // The province's staff page of the draw shows the panel it appointed, not an (empty) expert list.
    let mut prov = w.app.direct_web("prov").await;
    let staff_page = w.app.web_get(&mut prov, &format!("/admin/draws/{draw_id}")).await;
    assert_eq!(staff_page.status, StatusCode::OK);
    let head = seats[0].name.clone();
    assert!(
        staff_page.body.contains("抽取产生的考评组")
            && staff_page.body.contains(&head)
            && !staff_page.body.contains("未进入专家池"),
        "{}",
        staff_page.body
    );

    // Too few legal assessors (two more now work for the station): refused with the reasons counted,
    // nothing drawn, the panel kept.
    let key = store::entity::registry_person::Entity::find_by_id(recused)
        .one(&w.app.store.db)
        .await
        .expect("read")
        .and_then(|m| m.employer_id);
    assert!(key.is_some(), "the station's employer key");
    for id in [a[0], a[1]] {
        store::entity::registry_person::ActiveModel { id: Set(id), employer_id: Set(key), ..Default::default() }
            .update(&w.app.store.db)
            .await
            .expect("moved to the station");
    }
    let before = store::entity::draw::Entity::find().all(&w.app.store.db).await.expect("draws").len();
    let r = w.app.post_json(&path, Some(&t), &json!({"supervisor": sup})).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "PANEL_NO_LEGAL"), "{}", r.body);
    assert!(r.body.contains("无法组成合法的考评组"), "{}", r.body);
    assert_eq!(store::entity::draw::Entity::find().all(&w.app.store.db).await.expect("draws").len(), before);
    assert_eq!(w.app.store.panel_draw_of(session).await.expect("draw"), Some(draw_id), "the panel kept");
}

/// The draw's record of session `session`'s panel.
async fn drawn(w: &World, session: i64) -> domain::draws::DrawRecord {
    let id = w.app.store.panel_draw_of(session).await.expect("read").expect("drawn");
    let row = store::entity::draw::Entity::find_by_id(id).one(&w.app.store.db).await.expect("read").expect("row");
    serde_json::from_str(&row.record).expect("record")
}

#[tokio::test]
async fn e4_an_assessor_outside_the_organizers_city_is_refused_with_the_reason_and_never_drawn_unless_the_policy_says_province()
 {
    let Panel { w, session, a, sup } = setup().await;
    // 株洲: qualified, active, no recusal — only the region keeps them off a 长沙 panel.
    let outside = person_in(&w, "assessor", "株考评", 620, "430200", None, None).await;
    let r = put(&w, "cs_staff", session, &json!({"head": a[0], "assessors": [a[1], outside], "supervisor": sup})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let d = details(&r);
    assert!(d.iter().any(|x| x.contains("株考评") && x.contains("不在本次考核选派考评员的地区范围内")), "{d:?}");
    assert!(members(&w, session).await.is_empty(), "nothing saved");
    let mut c = w.app.direct_web("cs_staff").await;
    let page = w.app.web_get(&mut c, &format!("/sessions/{session}/panel")).await;
    assert!(page.body.contains("株考评") && page.body.contains("不在本次考核选派考评员的地区范围内"), "{}", page.body);
    // The draw: the region's four only, and the public record names the city.
    let t = w.app.direct_token("cs_staff").await;
    let path = format!("/api/v1/sessions/{session}/panel/draw");
    for _ in 0..3 {
        let r = w.app.post_json(&path, Some(&t), &json!({"supervisor": sup})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let record = drawn(&w, session).await;
        assert!(!record.pool.iter().any(|e| e.expert_id == outside), "never in the pool");
        assert_eq!(record.pool.len(), 4);
        assert_eq!(record.request.include_cities, ["430100"]);
        assert!(!w.app.store.panel_of(session).await.expect("panel").iter().any(|m| m.person_id == outside));
    }
    let panel = store::entity::exam_panel::Entity::find().all(&w.app.store.db).await.expect("panels");
    assert_eq!(panel.last().map(|p| p.cities.as_str()), Some("430100"), "the region kept with the panel");
    // The province publishes `province`: anyone in the province may sit, by pick and in the pool.
    w.app.create_user("sheng_admin", &[domain::org::Role::ProvinceAdmin], w.app.org_id("430000").await).await;
    let admin = w.app.principal("sheng_admin").await;
    let bad = w
        .app
        .store
        .add_policy_version(&admin, "exam.panel_region", "本市", Some(store::today()), "测试", &store::Ctx::system())
        .await
        .expect_err("not an option");
    assert!(format!("{bad:?}").contains("考评员选派地区范围"), "{bad:?}");
    w.app
        .store
        .add_policy_version(
            &admin,
            "exam.panel_region",
            "全省",
            Some(store::today()),
            "测试：全省选派",
            &store::Ctx::system(),
        )
        .await
        .expect("published");
    let r = put(&w, "cs_staff", session, &json!({"head": outside, "assessors": [a[1], a[2]], "supervisor": sup})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(members(&w, session).await[0]["name"], "株考评");
    let r = w.app.post_json(&path, Some(&t), &json!({"supervisor": sup})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let record = drawn(&w, session).await;
    assert!(record.pool.iter().any(|e| e.expert_id == outside) && record.request.include_cities.is_empty());
    let audits = store::entity::audit_log::Entity::find().all(&w.app.store.db).await.expect("audit");
    let last = audits.iter().rev().find(|x| x.action == "exam_session.panel_appointed").expect("appointed");
    assert!(last.detail.contains("exam.panel_region"), "the policy version noted: {}", last.detail);
}

#[tokio::test]
async fn e4_an_assessor_who_taught_a_candidate_under_a_trainer_certificate_is_recused_and_never_drawn() {
    let w = world().await;
    let mut a = [0; 4];
    for (i, name) in ["王考评", "李考评", "赵考评", "钱考评"].iter().enumerate() {
        a[i] = person(&w, "assessor", name, 601 + u32::try_from(i).expect("small"), None, None).await;
    }
    let sup = person(&w, "supervisor", "孙督导", 701, None, None).await;
    // 王考评 also holds a trainer certificate (the same ID number, another registry row).
    let trainer = person(&w, "trainer", "王考评", 601, None, None).await;
    let card = store::entity::registry_person::Entity::find_by_id(trainer)
        .one(&w.app.store.db)
        .await
        .expect("read")
        .expect("trainer")
        .card_number;
    let t = w.app.direct_token("cs_st").await;
    let r = w.app.post_json("/api/v1/sessions", Some(&t), &plan("0001", exam_day())).await;
    let session = r.json()["id"].as_i64().expect("id");
    let candidates = format!("/api/v1/sessions/{session}/candidates");
    // An unknown number: refused naming the field, nothing added.
    let c = json!({"name": "考生甲", "id_number": idn(501), "training": "米粉制作培训班", "trainers": "PX9999"});
    let r = w.app.post_json(&candidates, Some(&t), &c).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(crate::support::error_fields(&r.json()), ["trainers"]);
    assert!(details(&r)[0].contains("PX9999 不在培训师库中"), "{}", r.body);
    let trained = format!("{}、{}", card.to_lowercase(), card);
    let c = json!({"name": "考生甲", "id_number": idn(501), "training": "米粉制作培训班", "trainers": trained});
    let r = w.app.post_json(&candidates, Some(&t), &c).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let detail = w.app.get(&format!("/api/v1/sessions/{session}"), Some(&t)).await.json();
    let cand = &detail["candidates"][0];
    assert_eq!(cand["trainers"].as_array().map(Vec::len), Some(1), "each person once: {cand}");
    assert_eq!(
        (cand["trainers"][0]["card_number"].as_str(), cand["trainers"][0]["kind"].as_str()),
        (Some(card.as_str()), Some("trainer"))
    );
    let mut st = w.app.direct_web("cs_st").await;
    let page = w.app.web_get(&mut st, &format!("/sessions/{session}")).await;
    assert!(page.body.contains("米粉制作培训班") && page.body.contains(&card), "the trainer beside the training");
    exam_session::ActiveModel { id: Set(session), state: Set(SessionState::Approved), ..Default::default() }
        .update(&w.app.store.db)
        .await
        .expect("approve");
    // The manual pick: 王考评 the assessor is the trainer as a person.
    let r = put(&w, "cs_staff", session, &json!({"head": a[0], "assessors": [a[1], a[2]], "supervisor": sup})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let d = details(&r);
    assert!(d.iter().any(|x| x.contains("王考评") && x.contains("须回避：曾为本场考生授课培训")), "{d:?}");
    assert!(members(&w, session).await.is_empty(), "nothing saved");
    // The draw: never 王考评 — the pool is the other three, so they are the panel.
    let staff = w.app.direct_token("cs_staff").await;
    let r = w
        .app
        .post_json(&format!("/api/v1/sessions/{session}/panel/draw"), Some(&staff), &json!({"supervisor": sup}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let record = drawn(&w, session).await;
    assert!(!record.pool.iter().any(|e| e.expert_id == a[0]), "never in the pool");
    let mut got: Vec<i64> = w
        .app
        .store
        .panel_of(session)
        .await
        .expect("panel")
        .iter()
        .filter(|m| m.role != PanelRole::Supervisor)
        .map(|m| m.person_id)
        .collect();
    got.sort_unstable();
    assert_eq!(got, [a[1], a[2], a[3]]);
}

fn roster_with_trainers(rows: &[[&str; 7]]) -> Vec<u8> {
    let rows = rows.iter().map(|r| r.iter().map(|c| (*c).to_owned()).collect()).collect();
    web::xlsx::write(&[web::xlsx::Sheet {
        name: "考生名册", headers: &domain::exams::ROSTER_TEMPLATE_COLUMNS, rows
    }])
    .expect("xlsx")
}

#[tokio::test]
async fn e4_a_roster_naming_an_unknown_trainer_is_refused_by_row_and_column_and_saves_nothing() {
    let w = world().await;
    let trainer = person(&w, "trainer", "曾培训", 650, None, None).await;
    let card = store::entity::registry_person::Entity::find_by_id(trainer)
        .one(&w.app.store.db)
        .await
        .expect("read")
        .expect("trainer")
        .card_number;
    let t = w.app.direct_token("cs_st").await;
    let session = w.app.post_json("/api/v1/sessions", Some(&t), &plan("0001", exam_day())).await.json()["id"]
        .as_i64()
        .expect("id");
    let mut c = w.app.direct_web("cs_st").await;
    let template = w.app.web_get(&mut c, "/sessions/roster-template.xlsx").await;
    let sheet = web::xlsx::read(&template.bytes).expect("template");
    assert_eq!(sheet[0].last().map(String::as_str), Some("授课培训师证书编号"));
    let (one, two) = (idn(511), idn(512));
    let bad = roster_with_trainers(&[
        ["考生甲", &one, "", "", "", "米粉制作培训班", &card],
        ["考生乙", &two, "", "", "", "米粉制作培训班", &format!("{card}、PX9999")],
    ]);
    let r = w.app.web_upload(&c, &format!("/sessions/{session}/roster"), "roster.xlsx", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("第 3 行「授课培训师证书编号」：PX9999 不在培训师库中"), "{}", r.body);
    let detail = w.app.get(&format!("/api/v1/sessions/{session}"), Some(&t)).await.json();
    assert_eq!(detail["candidates"].as_array().map(Vec::len), Some(0), "nothing saved");
    let links = store::entity::exam_candidate_trainer::Entity::find().all(&w.app.store.db).await.expect("links");
    assert!(links.is_empty(), "no training record either");
    // Corrected: both imported with their trainer; the export carries the numbers.
    let good = roster_with_trainers(&[
        ["考生甲", &one, "", "", "", "米粉制作培训班", &card],
        ["考生乙", &two, "", "", "", "米粉制作培训班", ""],
    ]);
    let r = w.app.web_upload(&c, &format!("/sessions/{session}/roster"), "roster.xlsx", &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let detail = w.app.get(&format!("/api/v1/sessions/{session}"), Some(&t)).await.json();
    let names: Vec<usize> = detail["candidates"]
        .as_array()
        .expect("list")
        .iter()
        .map(|c| c["trainers"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(names, [1, 0]);
    let export = w.app.web_get(&mut c, &format!("/sessions/{session}/candidates.xlsx")).await;
    let rows = web::xlsx::read(&export.bytes).expect("export");
    let col = rows[0].iter().position(|h| h == "授课培训师证书编号").expect("column");
    assert_eq!(rows[1][col], card);
    // Removing the candidate removes the training record with them.
    let cid = detail["candidates"][0]["id"].as_i64().expect("id");
    let r = w.app.web_post(&mut c, &format!("/sessions/{session}/candidates/{cid}/remove"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let links = store::entity::exam_candidate_trainer::Entity::find().all(&w.app.store.db).await.expect("links");
    assert!(links.is_empty());
}
