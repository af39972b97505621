//! Station filing end to end (S1–S5) through the API: a city-routed and a province-routed applicant,
//! a returned and resubmitted application, a refused late plan (S3), a recused expert, a decline and
//! replacement, findings by the six methods, the decision with the institution code, the public
//! directory, and suspension / revocation taking a station off it.

use crate::support::{error_fields, experts_who_sign_in};
use domain::org::Role;
use http::{Method, StatusCode};
use serde_json::json;
use testkit::{TestApp, application, findings};

struct World {
    app: TestApp,
    station_a: i64,
    experts: Vec<(i64, String)>,
}

/// Applicant A (长沙) and B (株洲, a provincial enterprise), city and province staff, and seven experts
/// with their own sign-in accounts; expert 0 works for applicant A.
async fn world() -> World {
    let app = TestApp::spawn().await;
    // F2: the example application applies for catalog projects.
    app.catalog_example_projects().await;
    let station_a = app.create_org("长沙甲培训学校", "station", "430104").await;
    let station_b = app.create_org("株洲乙集团公司", "station", "430202").await;
    app.create_user("zhan_a", &[Role::StationStaff], station_a).await;
    app.create_user("zhan_b", &[Role::StationStaff], station_b).await;
    app.create_user("cs_staff", &[Role::CityStaff], app.org_id("430100").await).await;
    app.create_user("zz_staff", &[Role::CityStaff], app.org_id("430200").await).await;
    app.create_user("sheng", &[Role::ProvinceStaff], app.org_id("430000").await).await;
    // Expert 0 works for applicant A (recused from its group).
    let cities = ["430100", "430300", "430400", "430500", "430600", "430700", "430900"];
    let experts = experts_who_sign_in(&app, "zj", "专家", 100, cities, Some(station_a)).await;
    // The plan must be far enough ahead: next year's holidays are entered, as the province does.
    app.ensure_next_year_calendar().await;
    World { app, station_a, experts }
}

async fn act(app: &TestApp, who: &str, id: i64, body: serde_json::Value) -> testkit::Resp {
    let t = app.direct_token(who).await;
    app.post_json(&format!("/api/v1/filings/{id}/actions"), Some(&t), &body).await
}

fn plan_date(app_days: u32, cal: &domain::calendar::Calendar) -> String {
    cal.add_working_days(store::today(), app_days).expect("known year").to_string()
}

#[tokio::test]
async fn s2_to_s5_a_city_routed_station_is_filed_the_way_the_procedure_says() {
    let w = world().await;
    let app = &w.app;
    let ta = app.direct_token("zhan_a").await;
    // S1/S2: a bad application is refused field by field; nothing is saved. (What is missing waits
    // for submission, issue 9 item 11; what is filled in wrongly is refused at once.)
    let mut bad = application("长沙甲培训学校", "other_unit", "430104");
    bad.assessors[0].name = "王".into();
    bad.contact_phone = "12345".into();
    let r = app.post_json("/api/v1/filings", Some(&ta), &serde_json::to_value(&bad).expect("json")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = error_fields(&r.json());
    assert!(
        fields.iter().any(|f| f.starts_with("assessors")) && fields.iter().any(|f| f == "contact.phone"),
        "{fields:?}"
    );
    assert_eq!(app.get("/api/v1/filings", Some(&ta)).await.json()["total"], 0);
    let good = serde_json::to_value(application("长沙甲培训学校", "other_unit", "430104")).expect("json");
    let r = app.post_json("/api/v1/filings", Some(&ta), &good).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    // While the catalog is empty, the projects are free text, flagged for the reviewer.
    let mut web = app.direct_web("zhan_a").await;
    assert!(app.web_get(&mut web, &format!("/filings/{id}")).await.body.contains("目录外填报"));
    // S2: the four kinds of materials must be attached before submission.
    let missing = act(app, "zhan_a", id, json!({"kind":"submit"})).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.json()["errors"].as_array().map(Vec::len), Some(4), "{}", missing.body);
    assert_eq!(missing.error_code(), "MATERIAL_MISSING");
    app.attach_materials("zhan_a", id).await;
    // Issue 9 item 16: a draft has no reference number; the first submission gives the year's first.
    let draft = app.get(&format!("/api/v1/filings/{id}"), Some(&ta)).await.json();
    assert_eq!(draft["summary"]["reference"], serde_json::Value::Null, "{draft}");
    assert_eq!(act(app, "zhan_a", id, json!({"kind":"submit"})).await.json()["state"], "submitted");
    let reference = format!("备{}-0001", store::today().year());
    let submitted = app.get(&format!("/api/v1/filings/{id}"), Some(&ta)).await.json();
    assert_eq!(submitted["summary"]["reference"], reference.as_str(), "{submitted}");
    // S2: routed to 长沙; 株洲 does not see it.
    let cs = app.direct_token("cs_staff").await;
    let zz = app.direct_token("zz_staff").await;
    assert_eq!(app.get("/api/v1/filings", Some(&cs)).await.json()["total"], 1);
    // The next step is on the receiving city's to-do list, its staff's and its admin's alike.
    app.create_user("cs_admin", &[Role::CityAdmin], app.org_id("430100").await).await;
    for who in [&cs, &app.direct_token("cs_admin").await] {
        let todo = app.get("/api/v1/todo", Some(who)).await.json();
        assert!(
            todo.as_array()
                .into_iter()
                .flatten()
                .any(|t| t["subject_kind"] == "filing" && t["subject_id"].as_str() == Some(id.to_string().as_str())),
            "{todo}"
        );
    }
    assert!(!app.get("/api/v1/todo", Some(&zz)).await.body.contains("\"filing\""), "not on another city's list");
    assert_eq!(app.get(&format!("/api/v1/filings/{id}"), Some(&zz)).await.status, StatusCode::NOT_FOUND);
    // The applicant cannot accept its own application.
    assert_eq!(act(app, "zhan_a", id, json!({"kind":"accept"})).await.status, StatusCode::FORBIDDEN);
    // Returned with reasons, edited, resubmitted; history kept.
    let no_reason = act(app, "cs_staff", id, json!({"kind":"return"})).await;
    assert_eq!(no_reason.error_code(), "FILING_REASON_REQUIRED");
    assert_eq!(
        act(app, "cs_staff", id, json!({"kind":"return","reason":"场地证明不清晰，请补充"})).await.json()["state"],
        "returned"
    );
    let mut fixed = application("长沙甲培训学校", "other_unit", "430104");
    fixed.facilities[0].specification = "240 平方米".into();
    assert_eq!(
        app.send_json(
            Method::PUT,
            &format!("/api/v1/filings/{id}"),
            Some(&ta),
            &serde_json::to_value(&fixed).expect("json")
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(act(app, "zhan_a", id, json!({"kind":"submit"})).await.json()["state"], "submitted");
    // The resubmission keeps its number, and the list finds the filing by it.
    let listed = app.get(&format!("/api/v1/filings?q={}", url_escape(&reference)), Some(&cs)).await.json();
    assert_eq!(listed["total"], 1, "{listed}");
    assert_eq!(listed["items"][0]["reference"], reference.as_str());
    assert_eq!(app.get("/api/v1/filings?q=%E5%A4%879999", Some(&cs)).await.json()["total"], 0);
    assert_eq!(act(app, "cs_staff", id, json!({"kind":"accept"})).await.json()["state"], "accepted");
    // S3: a plan fewer than 10 working days ahead is refused, naming the dates.
    let cal = app.store.calendar().await.expect("calendar");
    let late = act(app, "cs_staff", id, json!({"kind":"submit_plan","evaluation_date":plan_date(9, &cal),"place":"实操教室","methods":"六种方式","contacts":"李四 0731-84567890"})).await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", late.body);
    assert_eq!(late.error_code(), "EVALUATION_PLAN_TOO_LATE");
    let earliest = plan_date(10, &cal);
    assert!(late.json()["errors"][0]["detail"].as_str().unwrap_or_default().contains(&earliest), "{}", late.body);
    let plan = act(app, "cs_staff", id, json!({"kind":"submit_plan","evaluation_date":earliest,"place":"实操教室","methods":"听取报告、文件审核、技术抽查、访谈咨询、质询答辩、现场考察","contacts":"李四 0731-84567890"})).await;
    assert_eq!(plan.json()["state"], "plan_submitted", "{}", plan.body);
    // The city cannot approve its own plan; the province does.
    assert_eq!(act(app, "cs_staff", id, json!({"kind":"approve_plan"})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(act(app, "sheng", id, json!({"kind":"approve_plan"})).await.json()["state"], "plan_approved");
    // S4: the group is drawn with recusal; expert 0 works for the applicant.
    let drawn = act(app, "sheng", id, json!({"kind":"draw_group","group_size":3})).await;
    assert_eq!(drawn.json()["state"], "group_drawn", "{}", drawn.body);
    let ts = app.direct_token("sheng").await;
    let detail = app.get(&format!("/api/v1/filings/{id}"), Some(&ts)).await.json();
    let draw_id = detail["draw_id"].as_i64().expect("draw");
    let draw = app.get(&format!("/api/v1/draws/{draw_id}"), Some(&ts)).await.json();
    assert!(
        draw["excluded"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|e| e["expert_id"] == w.experts[0].0 && e["code"] == "EMPLOYED_BY_APPLICANT"),
        "{draw}"
    );
    // A drawn expert declines and is replaced from the same committed sequence.
    let first = draw["members"][0]["expert_id"].as_i64().expect("member");
    let d = app
        .post_json(
            &format!("/api/v1/draws/{draw_id}/declines"),
            Some(&ts),
            &json!({"expert_id":first,"reason":"出差无法参加"}),
        )
        .await;
    assert!(d.json()["replacement_expert_id"].as_i64().is_some(), "{}", d.body);
    let group = app.store.draw_group(draw_id).await.expect("group");
    assert_eq!(group.len(), 3);
    let user_of = |eid: i64| w.experts.iter().find(|(e, _)| *e == eid).map(|(_, u)| u.clone()).expect("expert user");
    // Sealed until the evaluation starts: a member cannot record findings yet.
    let early = app
        .post_json(
            &format!("/api/v1/filings/{id}/findings"),
            Some(&app.direct_token(&user_of(group[0])).await),
            &serde_json::to_value(findings("pass")).expect("json"),
        )
        .await;
    assert_eq!(early.status, StatusCode::NOT_FOUND);
    let member = app.direct_token(&user_of(group[0])).await;
    let materials = format!("/api/v1/filings/{id}/attachments");
    assert_eq!(app.get(&materials, Some(&member)).await.status, StatusCode::NOT_FOUND, "not before the seal opens");
    // Until then the province's to-do is to start the evaluation, due on the planned day.
    let todo_of = |t: String| async move { app.get("/api/v1/todo", Some(&t)).await.json() };
    let province_todo = todo_of(ts.clone()).await;
    let item = province_todo
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["subject_id"].as_str() == Some(id.to_string().as_str()));
    let item = item.unwrap_or_else(|| panic!("{province_todo}"));
    assert!(item["title"].as_str().unwrap_or_default().contains("开始评估"), "{item}");
    assert_eq!(item["due_date"], json!(earliest));
    assert_eq!(todo_of(member.clone()).await, json!([]), "nothing for members while sealed");
    // S3: not before the planned day, which the refusal names.
    let early = act(app, "sheng", id, json!({"kind":"start_evaluation"})).await;
    assert_eq!((early.status, early.error_code()), (StatusCode::CONFLICT, "EVALUATION_NOT_YET_DUE".into()));
    assert!(early.body.contains(&earliest), "{}", early.body);
    assert_eq!(app.get(&materials, Some(&member)).await.status, StatusCode::NOT_FOUND, "still sealed");
    app.evaluation_day_arrives(id).await;
    let today = json!(store::today().to_string());
    assert_eq!(act(app, "sheng", id, json!({"kind":"start_evaluation"})).await.status, StatusCode::OK);
    // S4: each member now has a to-do to record findings, due on the evaluation date; the province none.
    for e in &group {
        let t = todo_of(app.direct_token(&user_of(*e)).await).await;
        assert_eq!(t.as_array().map(Vec::len), Some(1), "{t}");
        assert_eq!(t[0]["link"], format!("/filings/{id}/findings"));
        assert_eq!(t[0]["due_date"], today);
    }
    assert!(!todo_of(ts.clone()).await.to_string().contains(&format!("/filings/{id}\"")), "province waits");
    // S4: members review the materials once the evaluation has started.
    let list = app.get(&materials, Some(&member)).await.json();
    assert_eq!(list.as_array().map(Vec::len), Some(4), "{list}");
    let first_file = format!("{materials}/{}", list[0]["id"]);
    assert_eq!(app.get(&first_file, Some(&member)).await.status, StatusCode::OK);
    let mut member_web = app.direct_web(&user_of(group[0])).await;
    let page = app.web_get(&mut member_web, &format!("/filings/{id}/findings")).await;
    assert!(page.body.contains("附报材料") && page.body.contains(&format!("/filings/{id}/attachments/")));
    // A non-member expert sees nothing; members record findings by the six methods.
    let outsider = w
        .experts
        .iter()
        .map(|(e, _)| *e)
        .find(|e| !group.contains(e) && *e != first && *e != w.experts[0].0)
        .expect("outsider");
    let nope = app
        .post_json(
            &format!("/api/v1/filings/{id}/findings"),
            Some(&app.direct_token(&user_of(outsider)).await),
            &serde_json::to_value(findings("pass")).expect("json"),
        )
        .await;
    assert_eq!(nope.status, StatusCode::NOT_FOUND);
    let outsider_token = app.direct_token(&user_of(outsider)).await;
    assert_eq!(app.get(&materials, Some(&outsider_token)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&first_file, Some(&outsider_token)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/api/v1/filings/{id}/findings"), Some(&member)).await.json(), json!(null));
    let mut incomplete = findings("pass");
    incomplete.findings.pop();
    let r = app
        .post_json(
            &format!("/api/v1/filings/{id}/findings"),
            Some(&app.direct_token(&user_of(group[0])).await),
            &serde_json::to_value(&incomplete).expect("json"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (i, e) in group.iter().enumerate() {
        let conclusion = if i == 2 { "fail" } else { "pass" };
        let r = app
            .post_json(
                &format!("/api/v1/filings/{id}/findings"),
                Some(&app.direct_token(&user_of(*e)).await),
                &serde_json::to_value(findings(conclusion)).expect("json"),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        assert_eq!(todo_of(app.direct_token(&user_of(*e)).await).await, json!([]), "signed: the to-do closes");
        if i == 0 {
            // A member's signed findings come back to them; the form starts from them for a revision.
            let mine = app.get(&format!("/api/v1/filings/{id}/findings"), Some(&member)).await.json();
            assert_eq!(mine, serde_json::to_value(findings("pass")).expect("json"));
            let page = app.web_get(&mut member_web, &format!("/filings/{id}/findings")).await;
            assert!(page.body.contains("听取报告：符合要求") && page.body.contains("上次签署的意见"), "pre-filled");
        }
    }
    let detail = app.get(&format!("/api/v1/filings/{id}"), Some(&ts)).await.json();
    assert_eq!(detail["summary"]["state"], "evaluated");
    assert_eq!(detail["group_conclusion"], "pass", "two of three passed");
    // Issue 8 item 6: the province and the receiving city read each member's named findings; the
    // applicant reads the group's conclusion only, on the API, the record page and the print.
    assert_eq!(detail["findings"].as_array().map(Vec::len), Some(3), "the province reads every member's findings");
    let city_view = app.get(&format!("/api/v1/filings/{id}"), Some(&cs)).await.json();
    assert_eq!(city_view["findings"].as_array().map(Vec::len), Some(3), "so does the receiving city");
    let own_view = app.get(&format!("/api/v1/filings/{id}"), Some(&ta)).await.json();
    assert_eq!(own_view["group_conclusion"], "pass");
    assert_eq!(own_view["findings"], json!([]), "the applicant reads no member's findings: {own_view}");
    let first_member = city_view["findings"][0]["expert_name"].as_str().unwrap_or_default().to_string();
    assert!(!first_member.is_empty());
    let mut station_web = app.direct_web("zhan_a").await;
    for page in [format!("/filings/{id}"), format!("/filings/{id}/print")] {
        let body = app.web_get(&mut station_web, &page).await.body;
        assert!(!body.contains(&first_member), "{page} names no member to the applicant");
    }
    // S5: the province files it; the institution code follows the policy template.
    let no_opinion = act(app, "sheng", id, json!({"kind":"decide","approve":true})).await;
    assert_eq!(no_opinion.json()["errors"][0]["field"], "reason");
    assert_eq!(
        act(app, "sheng", id, json!({"kind":"decide","approve":true,"reason":"经评估，符合备案条件"})).await.json()["state"],
        "filed"
    );
    let filed = app.get(&format!("/api/v1/filings/{id}"), Some(&ta)).await.json();
    assert_eq!(filed["summary"]["institution_code"], "HN010001");
    assert!(filed["timeline"].as_array().is_some_and(|t| t.len() >= 10), "every step is on the timeline");
    assert_eq!(filed["timeline"][0]["actor"], "zhan_a");
    let who = filed["timeline"][0]["actor_name"].as_str().unwrap_or_default().to_string();
    assert!(who.ends_with("（长沙甲培训学校）") && !who.starts_with("zhan_a"), "{who}");
    let dir = app.get("/api/v1/stations?city=430100", None).await.json();
    assert_eq!((dir["total"].as_u64(), &dir["items"][0]["institution_code"]), (Some(1), &json!("HN010001")));
    let by_project = app.get("/api/v1/stations?q=%E7%B1%B3%E7%B2%89", None).await.json();
    assert_eq!(by_project["total"], 1, "found by a project it was filed for: {by_project}");
    assert_eq!(app.get("/api/v1/stations?city=430200", None).await.json()["total"], 0);
    // S5: `project` is one project exactly (米粉 is part of 米粉制作's name, not a project); free text
    // searches within one project's name, never across two joined names.
    let exact = |p: &str| format!("/api/v1/stations?project={}", url_escape(p));
    assert_eq!(app.get(&exact("米粉制作"), None).await.json()["total"], 1);
    assert_eq!(app.get(&exact("米粉"), None).await.json()["total"], 0);
    assert_eq!(app.get(&format!("/api/v1/stations?q={}", url_escape("制作|湘菜")), None).await.json()["total"], 0);
    assert!(app.get("/stations?q=米粉", None).await.body.contains("长沙甲培训学校"));
    // The draw re-verifies publicly.
    assert!(app.get(&format!("/draws/{draw_id}"), None).await.body.contains("验证通过"));
    // Suspension takes it off the directory; reinstatement puts it back; revocation is final.
    assert_eq!(
        act(app, "sheng", id, json!({"kind":"suspend","reason":"年检不合格"})).await.json()["state"],
        "suspended"
    );
    assert_eq!(app.get("/api/v1/stations", None).await.json()["items"], json!([]));
    // Issue 9 item 16: reinstating takes a reason, like suspending; it is kept on the timeline.
    let blank = act(app, "sheng", id, json!({"kind":"reinstate","reason":" "})).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", blank.body);
    assert_eq!(blank.error_code(), "FILING_REASON_REQUIRED");
    assert_eq!(error_fields(&blank.json()), vec!["reason".to_string()]);
    assert!(blank.body.contains("恢复备案须填写理由"), "{}", blank.body);
    assert_eq!(
        act(app, "sheng", id, json!({"kind":"reinstate","reason":"整改到位，复查合格"})).await.json()["state"],
        "filed"
    );
    let timeline = app.get(&format!("/api/v1/filings/{id}"), Some(&app.direct_token("sheng").await)).await.json();
    assert!(timeline["timeline"].to_string().contains("恢复备案：整改到位，复查合格"), "{timeline}");
    assert_eq!(
        act(app, "sheng", id, json!({"kind":"revoke","reason":"违规组织考核"})).await.json()["state"],
        "revoked"
    );
    assert_eq!(app.get("/api/v1/stations", None).await.json()["items"], json!([]));
    let again = act(app, "sheng", id, json!({"kind":"reinstate"})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let _ = w.station_a;
}

#[tokio::test]
async fn s2_a_provincial_enterprise_submits_directly_to_the_province() {
    let w = world().await;
    let app = &w.app;
    let tb = app.direct_token("zhan_b").await;
    let body = serde_json::to_value(application("株洲乙集团公司", "provincial_enterprise", "430202")).expect("json");
    let id = app.post_json("/api/v1/filings", Some(&tb), &body).await.json()["id"].as_i64().expect("id");
    app.attach_materials("zhan_b", id).await;
    act(app, "zhan_b", id, json!({"kind":"submit"})).await;
    let zz = app.direct_token("zz_staff").await;
    assert_eq!(
        app.get(&format!("/api/v1/filings/{id}"), Some(&zz)).await.status,
        StatusCode::NOT_FOUND,
        "not the city's"
    );
    assert_eq!(act(app, "zz_staff", id, json!({"kind":"accept"})).await.status, StatusCode::NOT_FOUND);
    let ts = app.direct_token("sheng").await;
    let detail = app.get(&format!("/api/v1/filings/{id}"), Some(&ts)).await.json();
    assert_eq!(detail["summary"]["receiver"], "province");
    assert!(detail["actions"].as_array().is_some_and(|a| a.contains(&json!("accept"))), "{detail}");
    assert_eq!(act(app, "sheng", id, json!({"kind":"accept"})).await.json()["state"], "accepted");
    let cal = app.store.calendar().await.expect("calendar");
    let plan = act(app, "sheng", id, json!({"kind":"submit_plan","evaluation_date":plan_date(15, &cal),"place":"集团实训基地","methods":"六种方式","contacts":"王经理 13800000000"})).await;
    assert_eq!(plan.json()["state"], "plan_submitted", "{}", plan.body);
    act(app, "sheng", id, json!({"kind":"approve_plan"})).await;
    assert_eq!(act(app, "sheng", id, json!({"kind":"draw_group","group_size":3})).await.json()["state"], "group_drawn");
    app.evaluation_day_arrives(id).await;
    assert_eq!(act(app, "sheng", id, json!({"kind":"start_evaluation"})).await.status, StatusCode::OK);
    let draw_id = app.get(&format!("/api/v1/filings/{id}"), Some(&ts)).await.json()["draw_id"].as_i64().expect("draw");
    let group = app.store.draw_group(draw_id).await.expect("group");
    for e in &group {
        let user = w.experts.iter().find(|(x, _)| x == e).map(|(_, u)| u.clone()).expect("user");
        let r = app
            .post_json(
                &format!("/api/v1/filings/{id}/findings"),
                Some(&app.direct_token(&user).await),
                &serde_json::to_value(findings("fail")).expect("json"),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
    }
    assert_eq!(
        act(app, "sheng", id, json!({"kind":"decide","approve":false,"reason":"评估结论为不通过"})).await.json()["state"],
        "rejected"
    );
    assert_eq!(app.get("/api/v1/stations", None).await.json()["items"], json!([]));
    let tb_view = app.get(&format!("/api/v1/filings/{id}"), Some(&tb)).await.json();
    assert_eq!(tb_view["summary"]["state_label"], "不予备案");
    assert_eq!(tb_view["province_opinion"], "评估结论为不通过");
}

/// The detail of the newest audit record `action` on filing `id`.
async fn audit_detail(app: &TestApp, action: &str, id: i64) -> serde_json::Value {
    let q =
        store::audit::AuditQuery { action: Some(action.into()), target: Some(id.to_string()), ..Default::default() };
    let page = app.store.list_audit(&domain::org::Principal::system(), &q, store::PageReq::default()).await;
    let entry = page.expect("audit").items.into_iter().next().expect("an audit record");
    serde_json::from_str(&entry.detail).expect("detail is JSON")
}

#[tokio::test]
async fn v1_filing_steps_apply_the_policy_in_force_and_record_its_version() {
    use domain::policy::keys;
    let w = world().await;
    let app = &w.app;
    app.create_user("sheng_admin", &[Role::ProvinceAdmin], app.org_id("430000").await).await;
    let admin = app.principal("sheng_admin").await;
    let mut published = std::collections::HashMap::new();
    for (key, value) in [
        (keys::EVALUATION_PLAN_LEAD_DAYS, "12"),
        (keys::INSTITUTION_CODE_TEMPLATE, "HN{city2}{yyyy}{serial3}"),
        (keys::EXPERT_GROUP_SIZE, "3"),
    ] {
        let v = app
            .store
            .add_policy_version(&admin, key, value, Some(store::today()), "测试：新版本", &store::Ctx::system())
            .await
            .expect("province admin publishes");
        published.insert(key, v);
    }
    let ta = app.direct_token("zhan_a").await;
    let body = serde_json::to_value(application("长沙甲培训学校", "other_unit", "430104")).expect("json");
    let id = app.post_json("/api/v1/filings", Some(&ta), &body).await.json()["id"].as_i64().expect("id");
    app.attach_materials("zhan_a", id).await;
    act(app, "zhan_a", id, json!({"kind":"submit"})).await;
    act(app, "cs_staff", id, json!({"kind":"accept"})).await;
    // S3 under the new version: 11 working days ahead (enough under the first version) is refused.
    let cal = app.store.calendar().await.expect("calendar");
    let plan = |days| json!({"kind":"submit_plan","evaluation_date":plan_date(days, &cal),"place":"实操教室","methods":"六种方式","contacts":"李四 0731-84567890"});
    let late = act(app, "cs_staff", id, plan(11)).await;
    assert_eq!(late.error_code(), "EVALUATION_PLAN_TOO_LATE", "{}", late.body);
    assert_eq!(act(app, "cs_staff", id, plan(12)).await.json()["state"], "plan_submitted");
    let d = audit_detail(app, "filing.plan_submitted", id).await;
    assert_eq!(d["policy"][keys::EVALUATION_PLAN_LEAD_DAYS], published[keys::EVALUATION_PLAN_LEAD_DAYS], "{d}");
    act(app, "sheng", id, json!({"kind":"approve_plan"})).await;
    // S4: the group size comes from the policy when the step does not give one.
    assert_eq!(act(app, "sheng", id, json!({"kind":"draw_group"})).await.json()["state"], "group_drawn");
    let d = audit_detail(app, "filing.group_drawn", id).await;
    assert_eq!(d["policy"][keys::EXPERT_GROUP_SIZE], published[keys::EXPERT_GROUP_SIZE], "{d}");
    assert!(d["policy"][keys::RECUSAL_LOOKBACK_YEARS].as_i64().is_some(), "the recusal rules' versions too: {d}");
    app.evaluation_day_arrives(id).await;
    assert_eq!(act(app, "sheng", id, json!({"kind":"start_evaluation"})).await.status, StatusCode::OK);
    let ts = app.direct_token("sheng").await;
    let draw_id = app.get(&format!("/api/v1/filings/{id}"), Some(&ts)).await.json()["draw_id"].as_i64().expect("draw");
    let group = app.store.draw_group(draw_id).await.expect("group");
    assert_eq!(group.len(), 3);
    for e in &group {
        let user = w.experts.iter().find(|(x, _)| x == e).map(|(_, u)| u.clone()).expect("user");
        let t = app.direct_token(&user).await;
        let body = serde_json::to_value(findings("pass")).expect("json");
        app.post_json(&format!("/api/v1/filings/{id}/findings"), Some(&t), &body).await;
    }
    // S5 under the new template; the decision names the template version it used.
    let decided = act(app, "sheng", id, json!({"kind":"decide","approve":true,"reason":"符合备案条件"})).await;
    assert_eq!(decided.json()["state"], "filed", "{}", decided.body);
    let code = format!("HN01{}001", store::today().year());
    assert_eq!(app.get(&format!("/api/v1/filings/{id}"), Some(&ta)).await.json()["summary"]["institution_code"], code);
    let d = audit_detail(app, "filing.decided", id).await;
    assert_eq!(d["institution_code"], code);
    assert_eq!(d["policy"][keys::INSTITUTION_CODE_TEMPLATE], published[keys::INSTITUTION_CODE_TEMPLATE], "{d}");
}

#[tokio::test]
async fn s2_materials_are_uploaded_checked_by_content_listed_and_downloaded() {
    let w = world().await;
    let app = &w.app;
    let ta = app.direct_token("zhan_a").await;
    let id = app
        .post_json(
            "/api/v1/filings",
            Some(&ta),
            &serde_json::to_value(application("长沙甲培训学校", "other_unit", "430104")).expect("json"),
        )
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    let upload = |kind: &'static str, name: &'static str, bytes: &'static [u8]| {
        let ta = ta.clone();
        async move {
            let (ct, body) = testkit::multipart(&[("kind", kind)], name, bytes);
            let auth = ("authorization", format!("Bearer {ta}"));
            app.request(
                Method::POST,
                &format!("/api/v1/filings/{id}/attachments"),
                &[auth, ("content-type", ct)],
                body.into(),
            )
            .await
        }
    };
    let r = upload("qualification_proof", "营业执照.pdf", testkit::PDF).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let att = r.json()["id"].as_i64().expect("att");
    let bad = upload("assessor_roster", "名册.txt", b"just text").await;
    assert_eq!(bad.error_code(), "FILE_TYPE");
    let no_kind = upload("", "x.pdf", testkit::PDF).await;
    assert_eq!(no_kind.json()["errors"][0]["field"], "kind");
    // Issue 9 item 7: a chosen file of 0 bytes says so, naming it; no file chosen asks for one.
    let empty = upload("assessor_roster", "名册.pdf", b"").await;
    assert_eq!((empty.status, empty.error_code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "FILE_EMPTY"));
    assert!(empty.body.contains("名册.pdf") && empty.body.contains("为空"), "{}", empty.body);
    let none = upload("assessor_roster", "", b"").await;
    assert_eq!((none.status, none.error_code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "FILE_MISSING"));
    assert!(none.body.contains("请选择要上传的文件"), "{}", none.body);
    let list = app.get(&format!("/api/v1/filings/{id}/attachments"), Some(&ta)).await.json();
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["filename"], "营业执照.pdf");
    assert_eq!(
        (list[0]["uploaded_by"].as_str(), list[0]["uploaded_by_name"].as_str()),
        (Some("zhan_a"), Some("测试用户"))
    );
    assert!(list[0]["digest"].as_str().unwrap_or_default().starts_with("sm3:"));
    let file = app.get(&format!("/api/v1/filings/{id}/attachments/{att}"), Some(&ta)).await;
    assert_eq!(file.body.as_bytes(), testkit::PDF);
    assert_eq!(file.headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/pdf"));
    // Another city's staff cannot read it; the receiving city can once submitted.
    let zz = app.direct_token("zz_staff").await;
    assert_eq!(
        app.get(&format!("/api/v1/filings/{id}/attachments/{att}"), Some(&zz)).await.status,
        StatusCode::NOT_FOUND
    );
    // A wrong file is removed while the application is a draft: by the applicant only, audited.
    let path = format!("/api/v1/filings/{id}/attachments/{att}");
    let tb = app.direct_token("zhan_b").await;
    assert_eq!(app.send_json(Method::DELETE, &path, Some(&tb), &json!({})).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.send_json(Method::DELETE, &path, Some(&ta), &json!({})).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&path, Some(&ta)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/api/v1/filings/{id}/attachments"), Some(&ta)).await.json(), json!([]));
    let removed = audit_detail(app, "filing.attachment_removed", id).await;
    assert_eq!(removed["kind"], "qualification_proof", "{removed}");
    // Without it the application cannot be submitted.
    let missing = act(app, "zhan_a", id, json!({"kind":"submit"})).await;
    assert_eq!(missing.error_code(), "MATERIAL_MISSING");
    let att =
        upload("qualification_proof", "营业执照（新）.pdf", testkit::PDF).await.json()["id"].as_i64().expect("att");
    app.attach_materials("zhan_a", id).await;
    act(app, "zhan_a", id, json!({"kind":"submit"})).await;
    let cs = app.direct_token("cs_staff").await;
    assert_eq!(app.get(&format!("/api/v1/filings/{id}/attachments/{att}"), Some(&cs)).await.status, StatusCode::OK);
    let late = upload("qualification_proof", "补充.pdf", testkit::PDF).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "no changes after submission");
    let path = format!("/api/v1/filings/{id}/attachments/{att}");
    let gone = app.send_json(Method::DELETE, &path, Some(&ta), &json!({})).await;
    assert_eq!(gone.status, StatusCode::CONFLICT, "no removal after submission");
    assert_eq!(gone.error_code(), "FILING_NOT_EDITABLE");
    assert_eq!(app.get(&path, Some(&cs)).await.status, StatusCode::OK, "still there");
}

/// What the procedure refuses along the path, each with its reason: an application edited after
/// submission (S2), steps by the wrong office or the internal "evaluation completed" step, an incomplete
/// plan (S3), starting an evaluation without a group or twice, opening a filing's draw outside its step,
/// findings after the group has concluded (S4), a draw outside the allowed size or cities (P4), and a
/// numbering template the institution code cannot render (S5, V1).
#[tokio::test]
async fn refusals_along_the_filing_path_name_their_reason() {
    let w = world().await;
    let app = &w.app;
    let ta = app.direct_token("zhan_a").await;
    let body = serde_json::to_value(application("长沙甲培训学校", "other_unit", "430104")).expect("json");
    let id = app.post_json("/api/v1/filings", Some(&ta), &body).await.json()["id"].as_i64().expect("id");
    app.attach_materials("zhan_a", id).await;
    act(app, "zhan_a", id, json!({"kind":"submit"})).await;
    // S2: no edits once submitted.
    let edit = app.send_json(Method::PUT, &format!("/api/v1/filings/{id}"), Some(&ta), &body).await;
    assert_eq!((edit.status, edit.error_code()), (StatusCode::CONFLICT, "FILING_NOT_EDITABLE".into()));
    act(app, "cs_staff", id, json!({"kind":"accept"})).await;
    // S3: every part of the plan is required, each named.
    let empty = act(app, "cs_staff", id, json!({"kind":"submit_plan"})).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = error_fields(&empty.json());
    assert_eq!(fields, ["evaluation_date", "place", "methods", "contacts"]);
    let cal = app.store.calendar().await.expect("calendar");
    let plan = json!({"kind":"submit_plan","evaluation_date":plan_date(10, &cal),"place":"实操教室","methods":"六种方式","contacts":"李四 0731-84567890"});
    act(app, "cs_staff", id, plan).await;
    act(app, "sheng", id, json!({"kind":"approve_plan"})).await;
    // S4: no evaluation without a group; the city draws nothing and decides nothing.
    let early = act(app, "sheng", id, json!({"kind":"start_evaluation"})).await;
    assert_eq!((early.status, early.error_code()), (StatusCode::CONFLICT, "FILING_EVENT_NOT_ALLOWED".into()));
    assert!(early.body.contains("只能执行“抽取专家评议组”"), "the refusal names the step due first: {}", early.body);
    for step in [json!({"kind":"draw_group"}), json!({"kind":"decide","approve":true,"reason":"符合条件"})] {
        assert_eq!(act(app, "cs_staff", id, step).await.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(act(app, "sheng", id, json!({"kind":"draw_group","group_size":3})).await.json()["state"], "group_drawn");
    assert_eq!(act(app, "cs_staff", id, json!({"kind":"start_evaluation"})).await.status, StatusCode::FORBIDDEN);
    // The filing's draw opens with the filing's step (which hands the members their to-dos), not alone.
    let ts = app.direct_token("sheng").await;
    let draw_id = app.get(&format!("/api/v1/filings/{id}"), Some(&ts)).await.json()["draw_id"].as_i64().expect("draw");
    let alone = app.post_json(&format!("/api/v1/draws/{draw_id}/open"), Some(&ts), &json!({})).await;
    assert_eq!((alone.status, alone.error_code()), (StatusCode::CONFLICT, "DRAW_OPENS_WITH_ITS_STEP".into()));
    app.evaluation_day_arrives(id).await;
    let started = act(app, "sheng", id, json!({"kind":"start_evaluation"})).await;
    assert_eq!((started.status, started.json()["state"].as_str()), (StatusCode::OK, Some("evaluating")));
    let twice = act(app, "sheng", id, json!({"kind":"start_evaluation"})).await;
    assert_eq!((twice.status, twice.error_code()), (StatusCode::CONFLICT, "FILING_EVENT_NOT_ALLOWED".into()));
    // Nobody posts the group's own completion.
    assert_eq!(act(app, "sheng", id, json!({"kind":"complete_evaluation"})).await.status, StatusCode::FORBIDDEN);
    let group = app.store.draw_group(draw_id).await.expect("group");
    let user_of = |eid: i64| w.experts.iter().find(|(e, _)| *e == eid).map(|(_, u)| u.clone()).expect("expert user");
    let sign = |e: i64| async move {
        let t = app.direct_token(&user_of(e)).await;
        let body = serde_json::to_value(findings("pass")).expect("json");
        app.post_json(&format!("/api/v1/filings/{id}/findings"), Some(&t), &body).await
    };
    for e in &group {
        assert_eq!(sign(*e).await.status, StatusCode::NO_CONTENT);
    }
    // The group has concluded: a member can no longer change their findings.
    let late = sign(group[0]).await;
    assert_eq!((late.status, late.error_code()), (StatusCode::CONFLICT, "FILING_NOT_EVALUATING".into()));
    // P4: a draw's size and cities are checked.
    let draw = |body: serde_json::Value| {
        let ts = ts.clone();
        async move { app.post_json("/api/v1/draws", Some(&ts), &body).await }
    };
    let big = draw(json!({"title":"评审专家组","applicant_org_id":w.station_a,"count":16})).await;
    assert_eq!(big.json()["errors"][0]["code"], "COUNT_RANGE", "{}", big.body);
    let outside = draw(json!({"title":"评审专家组","applicant_org_id":w.station_a,"include_cities":["110100"]})).await;
    assert_eq!(outside.json()["errors"][0]["code"], "REGION_NOT_HUNAN_CITY", "{}", outside.body);
    // S5, V1: a template the institution code cannot render is not published.
    app.create_user("sheng_admin", &[Role::ProvinceAdmin], app.org_id("430000").await).await;
    let admin = app.principal("sheng_admin").await;
    let key = domain::policy::keys::INSTITUTION_CODE_TEMPLATE;
    let bad = app
        .store
        .add_policy_version(&admin, key, "HN{city}{serial4}", Some(store::today()), "测试", &store::Ctx::system())
        .await;
    match bad {
        Err(store::StoreError::Invalid(e)) => assert!(e.0[0].detail.contains("{city}"), "{e:?}"),
        other => panic!("published: {other:?}"),
    }
}

/// Two people taking the same step at once: exactly one of them does it, the other is told the
/// application has moved on (on PostgreSQL the requests really run in parallel).
#[tokio::test]
async fn a_step_taken_twice_at_once_happens_once() {
    let w = world().await;
    let app = &w.app;
    app.create_user("cs_staff2", &[Role::CityStaff], app.org_id("430100").await).await;
    let ta = app.direct_token("zhan_a").await;
    let body = serde_json::to_value(application("长沙甲培训学校", "other_unit", "430104")).expect("json");
    let id = app.post_json("/api/v1/filings", Some(&ta), &body).await.json()["id"].as_i64().expect("id");
    app.attach_materials("zhan_a", id).await;
    act(app, "zhan_a", id, json!({"kind":"submit"})).await;
    let (a, b) = tokio::join!(
        act(app, "cs_staff", id, json!({"kind":"accept"})),
        act(app, "cs_staff2", id, json!({"kind":"return","reason":"材料不全，请补充"}))
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{} / {}", a.body, b.body);
    let timeline = app.get(&format!("/api/v1/filings/{id}"), Some(&ta)).await.json()["timeline"].clone();
    assert_eq!(timeline.as_array().map(Vec::len), Some(3), "draft, submitted, one decision: {timeline}");
}

/// Issue 8 item 7: a draft belongs to its applicant until it is submitted. The receiving city and the
/// province neither list it nor open it or its materials (404, as for a filing that does not exist);
/// once submitted, they do.
#[tokio::test]
async fn s2_a_draft_is_the_applicants_own_until_it_is_submitted() {
    let w = world().await;
    let app = &w.app;
    let ta = app.direct_token("zhan_a").await;
    let good = serde_json::to_value(application("长沙甲培训学校", "other_unit", "430104")).expect("json");
    let id = app.post_json("/api/v1/filings", Some(&ta), &good).await.json()["id"].as_i64().expect("id");
    app.attach_materials("zhan_a", id).await;
    let att = app.get(&format!("/api/v1/filings/{id}/attachments"), Some(&ta)).await.json()[0]["id"]
        .as_i64()
        .expect("attachment");
    for who in ["cs_staff", "sheng"] {
        let t = app.direct_token(who).await;
        assert_eq!(app.get("/api/v1/filings", Some(&t)).await.json()["total"], 0, "{who} lists no draft");
        for path in [
            format!("/api/v1/filings/{id}"),
            format!("/api/v1/filings/{id}/attachments"),
            format!("/api/v1/filings/{id}/attachments/{att}"),
        ] {
            assert_eq!(app.get(&path, Some(&t)).await.status, StatusCode::NOT_FOUND, "{who} {path}");
        }
        let mut web = app.direct_web(who).await;
        assert_eq!(app.web_get(&mut web, &format!("/filings/{id}")).await.status, StatusCode::NOT_FOUND, "{who}");
    }
    assert_eq!(app.get(&format!("/api/v1/filings/{id}"), Some(&ta)).await.status, StatusCode::OK, "its own");
    assert_eq!(act(app, "zhan_a", id, json!({"kind":"submit"})).await.json()["state"], "submitted");
    for who in ["cs_staff", "sheng"] {
        let t = app.direct_token(who).await;
        assert_eq!(app.get("/api/v1/filings", Some(&t)).await.json()["total"], 1, "{who} lists it once submitted");
        assert_eq!(app.get(&format!("/api/v1/filings/{id}"), Some(&t)).await.status, StatusCode::OK, "{who}");
    }
    let _ = w.station_a;
}

/// A list filter whose value names no state is refused naming the filter, never read as "all".
#[tokio::test]
async fn a_filter_value_that_names_no_state_is_refused_not_ignored() {
    let w = world().await;
    let app = &w.app;
    let t = app.direct_token("sheng").await;
    let r = app.get("/api/v1/filings?state=bogus", Some(&t)).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::UNPROCESSABLE_ENTITY, "FILTER_INVALID".to_string()));
    assert_eq!(r.json()["errors"][0]["field"], "state");
    let mut web = app.direct_web("sheng").await;
    let page = app.web_get(&mut web, "/filings?state=bogus").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("筛选条件「办理状态」的取值无效"), "{}", page.body);
    assert_eq!(app.get("/api/v1/filings?state=submitted", Some(&t)).await.status, StatusCode::OK);
}

/// Percent-encodes a query value (UTF-8 bytes outside the unreserved set).
fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
