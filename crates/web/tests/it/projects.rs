//! Assessment projects through HTTP (issue 11: P1, P3, P4, P7, P8): a project from application to the
//! catalog as each acting role — the development unit on the pages (specification form, feasibility
//! report, submission), the city forwarding, the province drawing and opening the review on the API,
//! the experts filing on their opinion pages, the province establishing and publishing — with the
//! name-rule and weight refusals beside their fields (page 422, API 422 naming the field), a draft
//! private to its unit, the pilot's end date on the record page, training materials and an adoption.

use crate::support::{error_beside, error_fields, experts_who_sign_in};
use domain::org::Role;
use domain::projects::SpecificationInput;
use http::{Method, StatusCode};
use serde_json::json;
use testkit::{TestApp, WebClient};

struct World {
    app: TestApp,
    experts: Vec<(i64, String)>,
}

/// A 长沙 development unit (`kf`) and a 株洲 one (`kf_zz`), city staff of each, province staff and
/// seven experts with accounts.
async fn world() -> World {
    let app = TestApp::spawn().await;
    let unit = app.create_org("长沙卤味研究开发中心", "devunit", "430102").await;
    let other = app.create_org("株洲职业技能开发中心", "devunit", "430202").await;
    app.create_user("kfa", &[Role::DevunitStaff], unit).await;
    app.create_user("kf_zz", &[Role::DevunitStaff], other).await;
    app.create_user("cs_staff", &[Role::CityStaff], app.org_id("430100").await).await;
    app.create_user("zz_staff", &[Role::CityStaff], app.org_id("430200").await).await;
    app.create_user("sheng", &[Role::ProvinceStaff], app.org_id("430000").await).await;
    let cities = ["430100", "430300", "430400", "430500", "430600", "430700", "430900"];
    let experts = experts_who_sign_in(&app, "pz", "评审专家", 300, cities, None).await;
    World { app, experts }
}

/// The specification as the form posts it.
fn form_fields(s: &SpecificationInput) -> Vec<(&'static str, String)> {
    let mut f = vec![
        ("name", s.name.clone()),
        ("definition", s.definition.clone()),
        ("target_group", s.target_group.clone()),
        ("theory_share", s.theory_share.clone()),
        ("practical_share", s.practical_share.clone()),
        ("theory_pass_mark", s.theory_pass_mark.clone()),
        ("practical_pass_mark", s.practical_pass_mark.clone()),
        ("theory_minutes", s.theory_minutes.clone()),
        ("practical_minutes", s.practical_minutes.clone()),
        ("min_panel_size", s.min_panel_size.clone()),
        ("fields", s.fields.join("\n")),
    ];
    for t in &s.tasks {
        f.extend([
            ("task_name", t.name.clone()),
            ("task_norms", t.norms.clone()),
            ("task_knowledge", t.knowledge.clone()),
            ("task_weight", t.weight.clone()),
        ]);
    }
    // A spare row as the form offers it.
    f.extend([
        ("task_name", String::new()),
        ("task_norms", String::new()),
        ("task_knowledge", String::new()),
        ("task_weight", String::new()),
    ]);
    f
}

async fn post_form(app: &TestApp, c: &mut WebClient, path: &str, fields: &[(&'static str, String)]) -> testkit::Resp {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.web_post(c, path, &pairs).await
}

/// Upload the feasibility report through the form page (multipart; the CSRF token its first part).
async fn upload_report(app: &TestApp, c: &WebClient, id: i64) -> testkit::Resp {
    let fields = [("csrf", c.csrf.as_str()), ("kind", "feasibility_report")];
    let (content_type, body) = testkit::multipart(&fields, "可行性分析报告.pdf", testkit::PDF);
    let cookie = c.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
    let path = format!("/projects/{id}/files");
    app.request(Method::POST, &path, &[("cookie", cookie), ("content-type", content_type)], body.into()).await
}

fn id_from(location: &str) -> i64 {
    location.trim_start_matches("/projects/").split(['/', '?', '#']).next().and_then(|s| s.parse().ok()).expect("id")
}

async fn act(app: &TestApp, who: &str, id: i64, body: serde_json::Value) -> testkit::Resp {
    let t = app.direct_token(who).await;
    app.post_json(&format!("/api/v1/projects/{id}/actions"), Some(&t), &body).await
}

#[tokio::test]
async fn p3_p4_p8_a_project_walks_from_application_to_the_catalog_as_every_acting_role() {
    let w = world().await;
    let app = &w.app;
    // P3: the development unit opens the list (with its 新建开发申请 button) and saves a half-filled draft.
    let mut kf = app.direct_web("kfa").await;
    let list = app.web_get(&mut kf, "/projects").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("新建开发申请"), "the unit may apply");
    assert_eq!(app.web_get(&mut kf, "/projects/new").await.status, StatusCode::OK);
    let half = SpecificationInput { name: "武冈卤菜加工".into(), ..Default::default() };
    let r = post_form(app, &mut kf, "/projects", &form_fields(&half)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = id_from(&r.location());
    // A draft is the unit's own: 404 to another unit and to the city.
    let other = app.direct_token("kf_zz").await;
    assert_eq!(app.get(&format!("/api/v1/projects/{id}"), Some(&other)).await.status, StatusCode::NOT_FOUND);
    let mut cs = app.direct_web("cs_staff").await;
    assert_eq!(app.web_get(&mut cs, &format!("/projects/{id}")).await.status, StatusCode::NOT_FOUND);
    // ?check=1 names what submission still needs beside each field.
    let check = app.web_get(&mut kf, &format!("/projects/{id}/edit?check=1")).await;
    assert_eq!(check.status, StatusCode::OK);
    assert!(!error_beside(&check.body, "definition").is_empty(), "definition is missing");
    assert!(check.body.contains("请上传可行性分析报告"), "the report is missing");
    // Submission refused: the page shows why and links to the check.
    let refused = app.web_post(&mut kf, &format!("/projects/{id}/actions"), &[("kind", "submit")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains(&format!("/projects/{id}/edit?check=1")), "links to the check");
    // The whole specification and the report; then submission goes to the 长沙 center.
    let full = SpecificationInput::example();
    let r = post_form(app, &mut kf, &format!("/projects/{id}/edit"), &form_fields(&full)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    app.web_get(&mut kf, &format!("/projects/{id}/edit")).await;
    assert_eq!(upload_report(app, &kf, id).await.status, StatusCode::SEE_OTHER);
    let r = app.web_post(&mut kf, &format!("/projects/{id}/actions"), &[("kind", "submit")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.web_get(&mut kf, &format!("/projects/{id}")).await;
    assert!(page.body.contains("开发申请已提交"), "the notice");
    assert!(page.body.contains("待市州初审"));
    // The city sees it now and forwards it from the record page; 株洲 still does not.
    let zz = app.direct_token("zz_staff").await;
    assert_eq!(app.get(&format!("/api/v1/projects/{id}"), Some(&zz)).await.status, StatusCode::NOT_FOUND);
    let page = app.web_get(&mut cs, &format!("/projects/{id}")).await;
    assert!(page.body.contains("初审通过报省") && page.body.contains("data-confirm"), "the step with a confirmation");
    let r = app.web_post(&mut cs, &format!("/projects/{id}/actions"), &[("kind", "forward")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // P4: the province draws the group on the API and opens the review.
    let r = act(app, "sheng", id, json!({"kind": "draw_review", "group_size": 3})).await;
    assert_eq!(r.json()["state"], "review_drawn", "{}", r.body);
    assert_eq!(act(app, "sheng", id, json!({"kind": "open_review"})).await.json()["state"], "reviewing");
    let sheng = app.direct_token("sheng").await;
    let d = app.get(&format!("/api/v1/projects/{id}"), Some(&sheng)).await.json();
    let group: Vec<i64> =
        d["group"].as_array().expect("group").iter().filter_map(|m| m["expert_id"].as_i64()).collect();
    assert_eq!(group.len(), 3, "{d}");
    // Each member files on the opinion page, once; the to-do leads there.
    for (n, member) in group.iter().enumerate() {
        let username = &w.experts.iter().find(|(e, _)| e == member).expect("member").1;
        let t = app.direct_token(username).await;
        let todo = app.get("/api/v1/todo", Some(&t)).await.json();
        assert!(todo.to_string().contains("project_review"), "{todo}");
        let mut c = app.direct_web(username).await;
        let form = app.web_get(&mut c, &format!("/projects/{id}/opinion")).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("原料选择与初加工"), "the specification to read");
        let conclusion = if n == 2 { "revise" } else { "agree" };
        let r = app
            .web_post(
                &mut c,
                &format!("/projects/{id}/opinion"),
                &[("conclusion", conclusion), ("comments", "考核规范完整，同意立项")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let again = app.web_get(&mut c, &format!("/projects/{id}/opinion")).await;
        assert!(again.body.contains("您已提交评审意见"), "filed once");
        let twice = app
            .post_json(
                &format!("/api/v1/projects/{id}/opinion"),
                Some(&t),
                &json!({"conclusion": "agree", "comments": "再次提交"}),
            )
            .await;
        assert_eq!(twice.status, StatusCode::CONFLICT);
    }
    // Another unit's expert page is not theirs.
    let mut prov = app.direct_web("sheng").await;
    let page = app.web_get(&mut prov, &format!("/projects/{id}")).await;
    assert!(page.body.contains("同意立项") && page.body.contains("考核规范完整"), "the province reads the opinions");
    // Established (a code), then published: the catalog has it, the record page shows the pilot's end.
    let r = app.web_post(&mut prov, &format!("/projects/{id}/actions"), &[("kind", "establish")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let code = app.get(&format!("/api/v1/projects/{id}"), Some(&sheng)).await.json()["summary"]["code"]
        .as_str()
        .expect("code")
        .to_string();
    assert!(matches!(app.store.catalog_project(&code).await, Err(store::StoreError::NotFound)), "not public before");
    let today = store::today().to_string();
    let r = app
        .web_post(&mut prov, &format!("/projects/{id}/actions"), &[("kind", "publish"), ("publication_date", &today)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let public = app.store.catalog_project(&code).await.expect("in the catalog");
    assert_eq!(public.project.name, "武冈卤菜加工");
    let page = app.web_get(&mut prov, &format!("/projects/{id}")).await;
    let end = app.get(&format!("/api/v1/projects/{id}"), Some(&sheng)).await.json()["pilot_end"]
        .as_str()
        .expect("end")
        .to_string();
    assert!(page.body.contains("试点截止日期") && page.body.contains(&end), "the pilot's end on the page");
    // P7: a training material on the record page, then removed.
    let r = app
        .web_post(
            &mut prov,
            &format!("/projects/{id}/materials"),
            &[
                ("kind", "textbook"),
                ("title", "武冈卤菜加工培训教程"),
                ("publisher", "湖南科学技术出版社"),
                ("year", "2026"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let d = app.get(&format!("/api/v1/projects/{id}"), Some(&sheng)).await.json();
    let material = d["materials"][0]["id"].as_i64().expect("material");
    let r = app.web_post(&mut prov, &format!("/projects/{id}/materials/{material}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // P8: rolled out province-wide on the API.
    assert_eq!(act(app, "sheng", id, json!({"kind": "roll_out"})).await.json()["state"], "in_force");
}

#[tokio::test]
async fn p3_the_name_rule_and_the_weights_are_refused_beside_their_fields_on_the_page_and_the_api() {
    let w = world().await;
    let app = &w.app;
    let mut kf = app.direct_web("kfa").await;
    app.web_get(&mut kf, "/projects/new").await;
    let mut bad = SpecificationInput::example();
    bad.name = "电焊工".into();
    let r = post_form(app, &mut kf, "/projects", &form_fields(&bad)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_beside(&r.body, "name").contains("产品或服务"), "the rule explained beside the name");
    let t = app.direct_token("kfa").await;
    let r = app.post_json("/api/v1/projects", Some(&t), &serde_json::to_value(&bad).expect("json")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&r.json()), ["name"]);
    // Weights not summing to 100 %: saved as a draft, refused at submission with the field named.
    let mut weights = SpecificationInput::example();
    weights.tasks[1].weight = "40".into();
    let r = app.post_json("/api/v1/projects", Some(&t), &serde_json::to_value(&weights).expect("json")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let check = app.web_get(&mut kf, &format!("/projects/{id}/edit?check=1")).await;
    assert!(error_beside(&check.body, "tasks").contains("100"), "the sum named beside the tasks");
    let r = app.post_json(&format!("/api/v1/projects/{id}/submit"), Some(&t), &json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_fields(&r.json()).iter().any(|f| f == "tasks"), "{}", r.body);
    // A city or the province cannot create one: 403 before the body is read.
    let cs = app.direct_token("cs_staff").await;
    assert_eq!(app.post_json("/api/v1/projects", Some(&cs), &json!("not a body")).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn p1_the_province_records_an_adopted_project_which_keeps_its_provenance() {
    let w = world().await;
    let app = &w.app;
    let mut prov = app.direct_web("sheng").await;
    assert_eq!(app.web_get(&mut prov, "/projects/adopt").await.status, StatusCode::OK);
    let a = domain::projects::AdoptionInput::example();
    let mut fields = form_fields(&a.specification);
    fields.extend([
        ("source", a.source.clone()),
        ("province", a.province.clone()),
        ("original_code", a.original_code.clone()),
        ("original_publication_date", a.original_publication_date.clone()),
        ("evidence", a.evidence.clone()),
    ]);
    let r = post_form(app, &mut prov, "/projects/adopt", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = id_from(&r.location());
    let today = store::today().to_string();
    let r = app
        .web_post(
            &mut prov,
            &format!("/projects/{id}/actions"),
            &[("kind", "approve_adoption"), ("publication_date", &today), ("pilot", "false")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.web_get(&mut prov, &format!("/projects/{id}")).await;
    assert!(page.body.contains("ZX-2023-0107") && page.body.contains("全省推行"), "provenance and state");
    // The development unit cannot adopt: 403.
    let mut kf = app.direct_web("kfa").await;
    assert_eq!(app.web_get(&mut kf, "/projects/adopt").await.status, StatusCode::FORBIDDEN);
}
