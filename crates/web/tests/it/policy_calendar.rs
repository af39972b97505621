//! Versioned policy (V1) and the working-day calendar (S3, E3) through the web layer.

use domain::org::Role;
use http::{Method, StatusCode};
use serde_json::json;
use testkit::TestApp;

async fn province_app() -> (TestApp, String) {
    let app = TestApp::spawn().await;
    let prov = app.org_id("430000").await;
    app.create_user("sheng", &[Role::ProvinceAdmin], prov).await;
    let t = app.direct_token("sheng").await;
    (app, t)
}

#[tokio::test]
async fn v1_the_procedure_numbers_are_seeded_from_the_effective_date() {
    let (app, t) = province_app().await;
    let rows = app.get("/api/v1/policy", Some(&t)).await.json();
    let row = |k: &str| {
        rows.as_array().into_iter().flatten().find(|r| r["key"] == k).cloned().unwrap_or_else(|| panic!("{k}"))
    };
    assert_eq!(row("filing.evaluation_plan_lead_working_days")["value"], "10");
    assert_eq!(row("filing.evaluation_plan_lead_working_days")["effective_from"], "2021-09-13");
    assert_eq!(row("project.pilot_max_months")["value"], "6");
    assert_eq!(row("archive.paper_retention_years")["value"], "3");
    assert_eq!(row("archive.electronic_retention_years")["value"], "5");
    assert_eq!(row("fee.assessment_fee")["display"], "150.00");
    assert_eq!(row("fee.assessment_fee")["assumption"], true);
}

#[tokio::test]
async fn v1_a_new_version_takes_effect_on_its_date_and_history_is_kept() {
    let (app, t) = province_app().await;
    let tomorrow = store::today() + time::Duration::days(1);
    let r = app
        .post_json(
            "/api/v1/policy/fee.assessment_fee/versions",
            Some(&t),
            &json!({"value":"160.50","effective_from":tomorrow.to_string(),"note":"湘发改价费规〔2023〕284号"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let rows = app.get("/api/v1/policy", Some(&t)).await.json();
    let fee = rows.as_array().into_iter().flatten().find(|r| r["key"] == "fee.assessment_fee").cloned().expect("fee");
    assert_eq!(fee["value"], "15000", "today the old version still applies");
    assert_eq!(fee["upcoming"]["value"], "16050");
    // The page shows the upcoming version as people write it (元, a choice's label), not as stored.
    let r = app
        .post_json(
            "/api/v1/policy/exam.panel_region/versions",
            Some(&t),
            &json!({"value":"province","effective_from":tomorrow.to_string(),"note":"x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let mut web = app.direct_web("sheng").await;
    let page = app.web_get(&mut web, "/admin/policy").await;
    assert!(page.body.contains(&format!("160.50（{tomorrow} 起）")), "{}", page.body);
    assert!(page.body.contains(&format!("全省（{tomorrow} 起）")), "{}", page.body);
    assert!(!page.body.contains("16050（"), "{}", page.body);
    let v = app.store.policy_on("fee.assessment_fee", tomorrow).await.expect("policy");
    assert_eq!(v.value, "16050");
    let past = app
        .post_json(
            "/api/v1/policy/fee.assessment_fee/versions",
            Some(&t),
            &json!({"value":"1","effective_from":"2022-01-01","note":"x"}),
        )
        .await;
    assert_eq!(past.error_code(), "POLICY_EFFECTIVE_IN_PAST");
    let bad = app
        .post_json(
            "/api/v1/policy/filing.evaluation_plan_lead_working_days/versions",
            Some(&t),
            &json!({"value":"十","effective_from":tomorrow.to_string(),"note":"x"}),
        )
        .await;
    assert_eq!(bad.json()["errors"][0]["field"], "value");
}

#[tokio::test]
async fn v1_security_values_are_the_security_admins_not_the_province_admins() {
    let (app, t) = province_app().await;
    let r = app
        .post_json(
            "/api/v1/policy/security.lockout_threshold/versions",
            Some(&t),
            &json!({"value":"3","effective_from":store::today().to_string(),"note":"x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn s3_the_province_enters_next_years_holidays_and_the_reminder_closes() {
    let (app, t) = province_app().await;
    let made = app.store.ensure_calendar_reminder().await.expect("reminder");
    let today = store::today();
    let next = today.year() + 1;
    let todo = app.get("/api/v1/todo", Some(&t)).await.json();
    let has_reminder = todo.as_array().into_iter().flatten().any(|i| i["subject_kind"] == "calendar");
    assert_eq!(has_reminder, made, "the reminder is on the province admin's list when it was created");
    let body = json!({
        "holidays": [{"name":"元旦","start":format!("{next}-01-01"),"end":format!("{next}-01-03")}],
        "workdays": []
    });
    let bad = app
        .send_json(Method::PUT, &format!("/api/v1/calendar/{next}"), Some(&t), &json!({"holidays":[],"workdays":[]}))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.send_json(Method::PUT, &format!("/api/v1/calendar/{next}"), Some(&t), &body).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let after = app.get("/api/v1/todo", Some(&t)).await.json();
    assert!(!after.as_array().into_iter().flatten().any(|i| i["subject_kind"] == "calendar"));
    let add = app.get(&format!("/api/v1/calendar/add-working-days?from={next}-01-01&days=1"), Some(&t)).await;
    assert_eq!(add.status, StatusCode::OK, "{}", add.body);
    assert_eq!(add.json()["date"], format!("{next}-01-04"));
}

#[tokio::test]
async fn the_calendar_page_explains_a_bad_line() {
    let (app, _) = province_app().await;
    let mut c = app.direct_web("sheng").await;
    app.web_get(&mut c, "/admin/calendar").await;
    let r = app
        .web_post(
            &mut c,
            "/admin/calendar",
            &[("year", "2027"), ("holidays", "元旦,2027-13-01,2027-01-03"), ("workdays", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("第 1 行的日期格式应为 YYYY-MM-DD"), "{}", r.body);
    assert!(r.body.contains("2027-13-01"), "what was typed is kept");
}

/// Issue 9 item 5: the audit page names the person, the action and the record in Chinese and shows
/// the details as labelled fields, never raw JSON or bare ids; actions are chosen from a list.
#[tokio::test]
async fn the_audit_page_reads_in_words_not_ids() {
    let app = TestApp::spawn().await;
    let prov = app.org_id("430000").await;
    app.create_user("shenji", &[Role::AuditAdmin], prov).await;
    app.create_user("anquan", &[Role::SecurityAdmin], prov).await;
    let target = app.create_user("xiaozhang", &[Role::ProvinceStaff], prov).await;
    let sec = app.principal("anquan").await;
    let change = store::users::UserChange { roles: Some(vec!["province_admin".into()]), ..Default::default() };
    let ctx = store::Ctx { actor: "anquan".into(), ip: "10.0.0.9".into() };
    app.store.update_user(&sec, target, &change, &ctx).await.expect("grant");
    let mut c = app.direct_web("shenji").await;
    let page = app.web_get(&mut c, "/admin/audit?action=user.updated").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains("测试用户"), "the actor by name: {body}");
    assert!(body.contains("修改用户"), "the action in Chinese");
    assert!(body.contains("用户（"), "the record's kind in words");
    assert!(
        body.contains("原角色") && body.contains("新角色") && body.contains("省鉴定中心管理员"),
        "labelled fields, roles by name: {body}"
    );
    assert!(!body.contains("roles_after") && !body.contains("{&quot;"), "no raw JSON: {body}");
    // The action filter is a list of the actions in Chinese, grouped.
    assert!(body.contains("<option value=\"user.updated\" selected>修改用户</option>"), "{body}");
    assert!(body.contains("<optgroup label=\"用户\">"), "{body}");
}

/// Issue 9 item 5: the policy page names each value, its clause and its source in words — no keys,
/// no file names — for every staff role.
#[tokio::test]
async fn the_policy_page_speaks_of_clauses_not_keys() {
    let app = TestApp::spawn().await;
    let prov = app.org_id("430000").await;
    app.create_user("xiaoli", &[Role::ProvinceStaff], prov).await;
    let mut c = app.direct_web("xiaoli").await;
    let page = app.web_get(&mut c, "/admin/policy").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains("评估方案报省鉴定中心的提前期"), "{body}");
    assert!(body.contains("规程第二部分第（三）条"), "the clause in words: {body}");
    assert!(body.contains("网络安全等级保护"), "{body}");
    assert!(body.contains("系统初始值（依据湘人社规〔2021〕14号及公开资料整理），系统）"), "{body}");
    for raw in [domain::policy::keys::EVALUATION_PLAN_LEAD_DAYS, "FACTS.md", ">S3<", "等保三级<"] {
        assert!(!body.contains(raw), "{raw} on the page: {body}");
    }
}
