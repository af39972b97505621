//! E8–E10: the registries of assessors, supervisors and trainers — registration with cards numbered by
//! the policy's template, all-or-nothing import, the city centers' scope, status changes, declared
//! relatives and former employers, and the own record of a linked assessor or supervisor.

use crate::support::error_fields;
use domain::org::Role;
use http::{Method, StatusCode};
use serde_json::json;
use testkit::TestApp;

/// E8, E9: an assessor in 长沙 linked to the account `u_assessor` and a supervisor in 株洲 linked to
/// `u_supervisor` (the authorization matrix's accounts). Answers their ids.
pub async fn linked_people(app: &TestApp) -> (i64, i64) {
    let codes = testkit::catalog(&app.store, &["矩阵考评项目制作"]).await;
    let system = domain::org::Principal::system();
    let ctx = store::Ctx::system();
    let a = testkit::person_input("assessor", "考评甲", "110102199101010078", "430100", &codes[0]);
    let a = app.store.create_registered(&system, &a, &ctx).await.expect("assessor");
    let s = testkit::person_input("supervisor", "督导乙", "360426199101010071", "430200", "");
    let s = app.store.create_registered(&system, &s, &ctx).await.expect("supervisor");
    app.store.link_registered_account(&system, a, "u_assessor", &ctx).await.expect("link assessor");
    app.store.link_registered_account(&system, s, "u_supervisor", &ctx).await.expect("link supervisor");
    (a, s)
}

struct Setup {
    app: TestApp,
    /// Province staff's token.
    t: String,
    /// A catalog project code.
    code: String,
}

async fn setup() -> Setup {
    let app = TestApp::spawn().await;
    let prov = app.org_id("430000").await;
    app.create_user("sheng_staff", &[Role::ProvinceStaff], prov).await;
    let t = app.direct_token("sheng_staff").await;
    let code = testkit::catalog(&app.store, &["湘菜烹饪"]).await.remove(0);
    Setup { app, t, code }
}

fn person(kind: &str, name: &str, id: &str, city: &str, projects: &str) -> serde_json::Value {
    json!({"kind": kind, "name": name, "id_number": id, "phone": "13800000000", "city_code": city,
        "employer_name": "长沙　湘菜（集团）有限公司", "projects": projects})
}

#[tokio::test]
async fn e8_province_registers_an_assessor_with_a_card_from_the_policy_template_and_a_masked_id() {
    let Setup { app, t, code } = setup().await;
    let r = app
        .post_json("/api/v1/registry", Some(&t), &person("assessor", "欧阳明", "11010519491231002X", "430100", &code))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let one = app.get(&format!("/api/v1/registry/{id}"), Some(&t)).await;
    assert!(!one.body.contains("11010519491231002X"), "the ID number is never shown in full");
    let d = one.json();
    assert_eq!(d["person"]["id_number_masked"], "110***********002X");
    let yy = store::today().year() % 100;
    assert_eq!(d["person"]["card_number"], format!("KP4301{yy:02}0001"), "KP43{{city2}}{{yy}}{{serial4}}");
    let until = domain::registry::valid_until(store::today(), 3).to_string();
    assert_eq!(d["person"]["card_valid_until"], until, "three years (policy) from today");
    assert_eq!(d["person"]["employer_name"], "长沙 湘菜(集团)有限公司", "normalised");
    assert_eq!(d["projects"][0]["name"], "湘菜烹饪");
    // One person per kind and ID number; the same person may also be a supervisor.
    let dup = app
        .post_json("/api/v1/registry", Some(&t), &person("assessor", "欧阳亮", "11010519491231002x", "430200", &code))
        .await;
    assert_eq!((dup.status, dup.error_code()), (StatusCode::UNPROCESSABLE_ENTITY, "PERSON_EXISTS".to_string()));
    let sup = app
        .post_json("/api/v1/registry", Some(&t), &person("supervisor", "欧阳明", "11010519491231002X", "430100", ""))
        .await;
    assert_eq!(sup.status, StatusCode::CREATED, "{}", sup.body);
    // A typed card number is kept; the same number twice in one kind is refused.
    let mut typed = person("assessor", "李四", "360426199101010071", "430100", &code);
    typed["card_number"] = json!("kp-2019-0007");
    assert_eq!(app.post_json("/api/v1/registry", Some(&t), &typed).await.status, StatusCode::CREATED);
    let mut again = person("assessor", "王五", "110102199101010078", "430100", &code);
    again["card_number"] = json!("KP-2019-0007");
    let taken = app.post_json("/api/v1/registry", Some(&t), &again).await;
    assert_eq!(taken.error_code(), "CARD_NUMBER_TAKEN");
    // Projects come from the catalog; every bad field is named at once.
    let unknown = app
        .post_json("/api/v1/registry", Some(&t), &person("assessor", "王五", "110102199101010078", "430100", "9999"))
        .await;
    assert_eq!(unknown.error_code(), "PROJECT_NOT_IN_CATALOG");
    let bad = app
        .post_json(
            "/api/v1/registry",
            Some(&t),
            &json!({"kind": "teacher", "name": "王", "id_number": "123", "city_code": "110100"}),
        )
        .await;
    let fields = error_fields(&bad.json());
    for f in ["kind", "name", "id_number", "phone", "city_code", "employer_name"] {
        assert!(fields.contains(&f.to_string()), "{f} missing in {fields:?}");
    }
}

#[tokio::test]
async fn e8_an_import_with_a_bad_row_saves_nothing_and_names_the_row_and_column() {
    let Setup { app, t, code } = setup().await;
    let rows = json!([
        person("assessor", "甲考评", "360426199101010071", "430100", &code),
        person("assessor", "乙考评", "36042619910102009X", "430100", &code),
        person("assessor", "丙考评", "360426199101010071", "430100", &code),
        person("supervisor", "丁督导", "110102199101010078", "430100", &code),
    ]);
    let r = app.post_json("/api/v1/registry/import", Some(&t), &rows).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_fields(&r.json()),
        ["3:id_number", "4:id_number", "5:projects"],
        "row 3 a wrong check digit, row 4 repeats row 2, row 5 a supervisor with projects"
    );
    assert_eq!(app.get("/api/v1/registry", Some(&t)).await.json()["total"], 0, "nothing written");
    // The same through the page: the .xlsx names row and column in words.
    let mut c = app.direct_web("sheng_staff").await;
    assert_eq!(app.web_get(&mut c, "/registry/template.xlsx").await.status, StatusCode::OK);
    let headers: Vec<&str> = web::areas::registry::pages::COLUMNS.iter().map(|(h, _)| *h).collect();
    let row = |kind: &str, name: &str, id: &str, projects: &str| -> Vec<String> {
        [kind, name, id, "13800000000", "430100", "长沙某学院", "", "", projects, ""]
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    let upload = |rows: Vec<Vec<String>>| {
        let file = web::xlsx::write(&[web::xlsx::Sheet { name: "考评人员", headers: &headers, rows }]).expect("xlsx");
        let (ct, body) = testkit::multipart(&[("csrf", &c.csrf)], "r.xlsx", &file);
        let cookie = c.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        let app = &app;
        async move {
            app.request(Method::POST, "/registry/import", &[("cookie", cookie), ("content-type", ct)], body.into())
                .await
        }
    };
    let bad = upload(vec![
        row("考评员", "甲考评", "360426199101010071", &code),
        row("考评员", "乙考评", "360426199101010071", ""),
    ])
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("第 3 行「身份证号码」"), "{}", bad.body);
    assert!(bad.body.contains("第 3 行「可考评项目代码」"));
    assert!(bad.body.contains("未导入任何数据"));
    assert_eq!(app.get("/api/v1/registry", Some(&t)).await.json()["total"], 0, "nothing written");
    let good = upload(vec![
        row("考评员", "甲考评", "360426199101010071", &code),
        row("督导员", "乙督导", "360426199101010071", ""),
    ])
    .await;
    assert_eq!(good.status, StatusCode::SEE_OTHER, "{}", good.body);
    let all = app.get("/api/v1/registry", Some(&t)).await.json();
    assert_eq!(all["total"], 2, "an assessor and a supervisor may share an ID number");
    let export = app.web_get(&mut c, "/registry/export.xlsx?kind=assessor").await;
    let rows = web::xlsx::read(&export.bytes).expect("export reads");
    assert_eq!(rows.len(), 2, "header and the one assessor");
    assert_eq!(rows[1][2], "360***********0071", "masked in the export too");
}

#[tokio::test]
async fn e8_a_city_center_sees_only_its_city_and_changes_nothing() {
    let Setup { app, t, code } = setup().await;
    let cs = app
        .post_json("/api/v1/registry", Some(&t), &person("assessor", "长沙考评", "360426199101010071", "430100", &code))
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    let zz = app
        .post_json("/api/v1/registry", Some(&t), &person("assessor", "株洲考评", "110102199101010078", "430200", &code))
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    app.create_user("cs_staff", &[Role::CityStaff], app.org_id("430100").await).await;
    let ct = app.direct_token("cs_staff").await;
    let list = app.get("/api/v1/registry", Some(&ct)).await.json();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["name"], "长沙考评");
    assert_eq!(app.get(&format!("/api/v1/registry/{cs}"), Some(&ct)).await.status, StatusCode::OK);
    assert_eq!(app.get(&format!("/api/v1/registry/{zz}"), Some(&ct)).await.status, StatusCode::NOT_FOUND);
    let change = app
        .post_json(&format!("/api/v1/registry/{cs}/status"), Some(&ct), &json!({"change": "suspend", "reason": "x"}))
        .await;
    assert_eq!(change.status, StatusCode::FORBIDDEN);
    // Search by name, card number, project and kind.
    let q = |query: &str| {
        let path = format!("/api/v1/registry?{query}");
        let app = &app;
        let t = &t;
        async move { app.get(&path, Some(t)).await.json()["total"].clone() }
    };
    assert_eq!(q(&format!("project={code}")).await, 2);
    assert_eq!(q("project=9999").await, 0);
    assert_eq!(q("city=430200").await, 1);
    assert_eq!(q("kind=supervisor").await, 0);
    assert_eq!(q("q=KP4302").await, 1, "card number contains");
    let bad = app.get("/api/v1/registry?kind=teacher", Some(&t)).await;
    assert_eq!(bad.error_code(), "FILTER_INVALID");
}

#[tokio::test]
async fn e8_a_status_change_needs_a_reason_and_revocation_is_final() {
    let Setup { app, t, code } = setup().await;
    let id = app
        .post_json("/api/v1/registry", Some(&t), &person("assessor", "欧阳明", "11010519491231002X", "430100", &code))
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    let path = format!("/api/v1/registry/{id}/status");
    // E8: the card of a person in good standing prints (number, name, projects); never once suspended.
    let card_number = app.get(&format!("/api/v1/registry/{id}"), Some(&t)).await.json()["person"]["card_number"]
        .as_str()
        .expect("card number")
        .to_owned();
    let mut c = app.direct_web("sheng_staff").await;
    let card = app.web_get(&mut c, &format!("/registry/{id}/card")).await;
    assert_eq!(card.status, StatusCode::OK);
    assert!(card.body.contains("考评员证") && card.body.contains("欧阳明") && card.body.contains(&card_number));
    assert!(card.body.contains("湘菜烹饪") && !card.body.contains("不能打印"), "{}", card.body);
    let no_reason = app.post_json(&path, Some(&t), &json!({"change": "suspend", "reason": " "})).await;
    assert_eq!(
        (no_reason.status, error_fields(&no_reason.json())),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["reason".to_string()])
    );
    let s = app.post_json(&path, Some(&t), &json!({"change": "suspend", "reason": "年度考核未通过"})).await;
    assert_eq!(s.json()["status"], "suspended", "{}", s.body);
    let twice = app.post_json(&path, Some(&t), &json!({"change": "suspend", "reason": "再次"})).await;
    assert_eq!((twice.status, twice.error_code()), (StatusCode::CONFLICT, "STATUS_CHANGE_INVALID".to_string()));
    let d = app.get(&format!("/api/v1/registry/{id}"), Some(&t)).await.json();
    assert_eq!(d["person"]["status_reason"], "年度考核未通过");
    let card = app.web_get(&mut c, &format!("/registry/{id}/card")).await;
    assert!(card.body.contains("不能打印") && card.body.contains("暂停") && !card.body.contains(&card_number));
    // Through the page, confirmed in the browser.
    let page = app.web_get(&mut c, &format!("/registry/{id}")).await;
    assert!(page.body.contains("data-confirm=\"确认变更“欧阳明”的状态？注销后不能恢复。\""), "{}", page.body);
    let r = app
        .web_post(&mut c, &format!("/registry/{id}/status"), &[("change", "revoke"), ("reason", "违反考评纪律")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let back = app.post_json(&path, Some(&t), &json!({"change": "reactivate", "reason": "申诉"})).await;
    assert_eq!((back.status, back.error_code()), (StatusCode::CONFLICT, "PERSON_REVOKED".to_string()));
    let panel = app.store.registered_for_panel(domain::registry::PersonKind::Assessor).await.expect("panel view");
    assert!(!panel[0].assessor().active, "a revoked assessor never sits on a panel");
}

#[tokio::test]
async fn e8_e4_relatives_and_former_employers_feed_the_panel_and_a_new_employer_moves_the_old_one() {
    let Setup { app, t, code } = setup().await;
    let station = app.create_org("长沙甲考核站", "station", "430104").await;
    let mut body = person("assessor", "欧阳明", "11010519491231002X", "430100", &code);
    body["employer_org_id"] = json!(station);
    let id = app.post_json("/api/v1/registry", Some(&t), &body).await.json()["id"].as_i64().expect("id");
    let rel = |id_number: &str| json!({"name": "欧阳亮", "id_number": id_number, "relation": "sibling"});
    let r = app.post_json(&format!("/api/v1/registry/{id}/relatives"), Some(&t), &rel("360426199101010071")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let again = app.post_json(&format!("/api/v1/registry/{id}/relatives"), Some(&t), &rel("360426199101010071")).await;
    assert_eq!(again.error_code(), "RELATIVE_EXISTS");
    let me = app.post_json(&format!("/api/v1/registry/{id}/relatives"), Some(&t), &rel("11010519491231002X")).await;
    assert_eq!(me.error_code(), "RELATIVE_IS_SELF");
    let future = (store::today() + time::Duration::days(3)).to_string();
    let bad = app
        .post_json(
            &format!("/api/v1/registry/{id}/past-employers"),
            Some(&t),
            &json!({"employer_name": "某学院", "until": future}),
        )
        .await;
    assert_eq!(bad.error_code(), "DATE_IN_FUTURE");
    let ok = app
        .post_json(
            &format!("/api/v1/registry/{id}/past-employers"),
            Some(&t),
            &json!({"employer_name": "湖南某学院", "until": "2020-06-30"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT, "{}", ok.body);
    // A new employer: the station becomes a former one, until today.
    let mut moved = person("assessor", "欧阳明", "", "430100", &code);
    moved["employer_name"] = json!("长沙某酒店");
    let upd = app.send_json(Method::PUT, &format!("/api/v1/registry/{id}"), Some(&t), &moved).await;
    assert_eq!(upd.status, StatusCode::NO_CONTENT, "a blank ID number keeps the stored one: {}", upd.body);
    let d = app.get(&format!("/api/v1/registry/{id}"), Some(&t)).await.json();
    assert_eq!(d["person"]["employer_name"], "长沙某酒店");
    assert_eq!(d["person"]["id_number_masked"], "110***********002X");
    let past: Vec<&str> = d["past_employers"]
        .as_array()
        .expect("list")
        .iter()
        .map(|e| e["employer_name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(past, ["长沙甲考核站", "湖南某学院"], "latest first");
    assert_eq!(d["relatives"][0]["id_number_masked"], "360***********0071");
    // E4: the panel sees the station through the employer key of its organisation.
    let station_key = app.store.employer_key_of_org(station).await.expect("key").expect("the station employs");
    let a = app.store.registered_for_panel(domain::registry::PersonKind::Assessor).await.expect("panel")[0].assessor();
    assert!(a.past_employers.contains(&station_key) && a.employer != Some(station_key));
    assert_eq!(a.relatives.len(), 1);
    assert_eq!(a.projects, [code]);
    assert_eq!(app.store.employer_key_of_name("长沙某酒店").await.expect("key"), a.employer);
}

#[tokio::test]
async fn e8_e9_a_linked_assessor_sees_only_their_own_record_and_declares_relatives() {
    let Setup { app, t, code } = setup().await;
    let org = app.org_id("430000").await;
    app.create_user("kp_zhang", &[Role::Assessor], org).await;
    app.create_user("kp_li", &[Role::Assessor], org).await;
    app.create_user("not_assessor", &[Role::Expert], org).await;
    let zhang = app
        .post_json("/api/v1/registry", Some(&t), &person("assessor", "张考评", "360426199101010071", "430100", &code))
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    let li = app
        .post_json("/api/v1/registry", Some(&t), &person("assessor", "李考评", "110102199101010078", "430100", &code))
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    let trainer = app
        .post_json("/api/v1/registry", Some(&t), &person("trainer", "王培训", "11010519491231002X", "430100", ""))
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    let link = |id: i64, username: &str| {
        let path = format!("/api/v1/registry/{id}/account");
        let body = json!({"username": username});
        let app = &app;
        let t = &t;
        async move { app.post_json(&path, Some(t), &body).await }
    };
    assert_eq!(link(zhang, "not_assessor").await.error_code(), "ACCOUNT_ROLE_MISSING");
    assert_eq!(link(trainer, "kp_zhang").await.error_code(), "KIND_HAS_NO_ACCOUNT");
    assert_eq!(link(zhang, "kp_zhang").await.status, StatusCode::NO_CONTENT);
    assert_eq!(link(li, "kp_zhang").await.error_code(), "ACCOUNT_LINKED", "one account, one person");
    let zt = app.direct_token("kp_zhang").await;
    let mine = app.get("/api/v1/registry/me", Some(&zt)).await;
    assert_eq!(mine.json()["person"]["name"], "张考评", "{}", mine.body);
    assert_eq!(app.get(&format!("/api/v1/registry/{li}"), Some(&zt)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/v1/registry", Some(&zt)).await.status, StatusCode::FORBIDDEN);
    let rel = app
        .post_json(
            "/api/v1/registry/me/relatives",
            Some(&zt),
            &json!({"name": "张小", "id_number": "430124199001010014", "relation": "child"}),
        )
        .await;
    assert_eq!(rel.status, StatusCode::NO_CONTENT, "{}", rel.body);
    let li_detail = app.get(&format!("/api/v1/registry/{li}"), Some(&t)).await.json();
    assert_eq!(li_detail["relatives"], json!([]), "declared for oneself only");
    let z = app.get(&format!("/api/v1/registry/{zhang}"), Some(&t)).await.json();
    assert_eq!(
        (z["relatives"][0]["self_declared"].as_bool(), z["person"]["account"].as_str()),
        (Some(true), Some("kp_zhang"))
    );
    // The page shows the own record and nobody else's; an unlinked assessor is told to ask the province.
    let mut c = app.direct_web("kp_zhang").await;
    let page = app.web_get(&mut c, "/registry/me").await;
    assert!(
        page.body.contains("张考评") && page.body.contains("张小") && !page.body.contains("李考评"),
        "{}",
        page.body
    );
    let form = app
        .web_post(
            &mut c,
            "/registry/me/relatives",
            &[("relative_name", "张大"), ("relative_id_number", "123"), ("relation", "parent")],
        )
        .await;
    assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut other = app.direct_web("kp_li").await;
    assert!(app.web_get(&mut other, "/registry/me").await.body.contains("尚未关联"));
    assert_eq!(
        app.get("/api/v1/registry/me", Some(&app.direct_token("kp_li").await)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn e8_the_pages_list_register_and_edit() {
    let Setup { app, code, .. } = setup().await;
    let mut c = app.direct_web("sheng_staff").await;
    let empty = app.web_post(&mut c, "/registry", &[("kind", "assessor")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("请填写考评员可考评的考核项目代码"), "{}", empty.body);
    let fields = [
        ("kind", "assessor"),
        ("name", "欧阳明"),
        ("id_number", "11010519491231002X"),
        ("phone", "13800000000"),
        ("city_code", "430100"),
        ("employer_name", "长沙某学院"),
        ("projects", code.as_str()),
    ];
    let r = app.web_post(&mut c, "/registry", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let show = app.web_get(&mut c, &r.location()).await;
    assert!(show.body.contains("欧阳明") && show.body.contains("110***********002X") && show.body.contains("湘菜烹饪"));
    let list = app.web_get(&mut c, "/registry?kind=assessor&q=%E6%AC%A7%E9%98%B3").await;
    assert!(list.body.contains("欧阳明"), "{}", list.body);
    assert!(app.web_get(&mut c, "/registry?status=bogus").await.status == StatusCode::UNPROCESSABLE_ENTITY);
}

/// E8: an assessor course for the catalog's first project, open for enrolment for a month.
pub async fn open_course(app: &TestApp) -> i64 {
    let codes = testkit::catalog(&app.store, &["矩阵培训项目制作"]).await;
    let input = domain::training::CourseInput {
        kind: "assessor".into(),
        title: "矩阵考评员培训班".into(),
        start_date: store::today().to_string(),
        end_date: (store::today() + time::Duration::days(30)).to_string(),
        location: "长沙市".into(),
        projects: codes[0].clone(),
    };
    app.store.create_course(&domain::org::Principal::system(), &input, &store::Ctx::system()).await.expect("course")
}

#[tokio::test]
async fn e8_a_trainee_who_attended_and_passed_gets_a_card_and_enters_the_registry() {
    let Setup { app, t, code } = setup().await;
    let today = store::today().to_string();
    let course = json!({"kind": "assessor", "title": "第一期考评员培训班", "start_date": today, "end_date": today,
        "location": "长沙市", "projects": code});
    let r = app.post_json("/api/v1/registry/courses", Some(&t), &course).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let cid = r.json()["id"].as_i64().expect("id");
    let bad = app
        .post_json(
            "/api/v1/registry/courses",
            Some(&t),
            &json!({"kind": "assessor", "title": "x", "start_date": "2026-03-05", "end_date": "2026-03-01"}),
        )
        .await;
    let fields = error_fields(&bad.json());
    for f in ["end_date", "location", "projects"] {
        assert!(fields.contains(&f.to_string()), "{f} missing in {fields:?}");
    }
    let enrol = |name: &str, id: &str| {
        let path = format!("/api/v1/registry/courses/{cid}/enrolments");
        let body = person("assessor", name, id, "430100", "");
        let app = &app;
        let t = &t;
        async move { app.post_json(&path, Some(t), &body).await }
    };
    let a = enrol("甲学员", "360426199101010071").await.json()["id"].as_i64().expect("enrolment");
    let b = enrol("乙学员", "110102199101010078").await.json()["id"].as_i64().expect("enrolment");
    assert_eq!(enrol("甲学员", "360426199101010071").await.error_code(), "ALREADY_ENROLLED");
    let result = |enrolment: i64, attended: bool, result: &str| {
        let path = format!("/api/v1/registry/courses/{cid}/results");
        let body = json!({"enrolment_id": enrolment, "attended": attended, "result": result});
        let app = &app;
        let t = &t;
        async move { app.post_json(&path, Some(t), &body).await }
    };
    let absent = result(b, false, "passed").await;
    assert_eq!(absent.error_code(), "NOT_ATTENDED", "{}", absent.body);
    assert_eq!(result(b, false, "failed").await.status, StatusCode::OK);
    let passed = result(a, true, "passed").await;
    assert_eq!(passed.status, StatusCode::OK, "{}", passed.body);
    let yy = store::today().year() % 100;
    assert_eq!(passed.json()["card_number"], format!("KP4301{yy:02}0001"));
    let again = result(a, true, "failed").await;
    assert_eq!((again.status, again.error_code()), (StatusCode::CONFLICT, "RESULT_RECORDED".to_string()));
    let list = app.get("/api/v1/registry", Some(&t)).await.json();
    assert_eq!(list["total"], 1, "only the trainee who passed enters the registry");
    assert_eq!(
        (list["items"][0]["name"].as_str(), list["items"][0]["projects"][0].as_str()),
        (Some("甲学员"), Some(code.as_str()))
    );
    let d = app.get(&format!("/api/v1/registry/courses/{cid}"), Some(&t)).await.json();
    assert_eq!(d["enrolments"][0]["person_id"], list["items"][0]["id"]);
    assert_eq!(d["enrolments"][1]["result"], "failed");
    // A second course: the registered assessor passes again and gets a new card, the projects added.
    let code2 = testkit::catalog(&app.store, &["米粉制作"]).await.remove(0);
    let mut second = course.clone();
    second["projects"] = json!(code2);
    let c2 = app.post_json("/api/v1/registry/courses", Some(&t), &second).await.json()["id"].as_i64().expect("id");
    let e = app
        .post_json(
            &format!("/api/v1/registry/courses/{c2}/enrolments"),
            Some(&t),
            &person("assessor", "甲学员", "360426199101010071", "430100", ""),
        )
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    let renewed = app
        .post_json(
            &format!("/api/v1/registry/courses/{c2}/results"),
            Some(&t),
            &json!({"enrolment_id": e, "attended": true, "result": "passed"}),
        )
        .await;
    assert_eq!(renewed.json()["card_number"], format!("KP4301{yy:02}0002"), "{}", renewed.body);
    let list = app.get("/api/v1/registry", Some(&t)).await.json();
    assert_eq!(list["total"], 1, "renewed, not entered twice");
    let mut both = vec![code.clone(), code2.clone()];
    both.sort();
    assert_eq!(list["items"][0]["projects"], json!(both));
    // The pages: the course list and its page with the trainees and the confirmation.
    let mut c = app.direct_web("sheng_staff").await;
    let page = app.web_get(&mut c, &format!("/registry/courses/{c2}")).await;
    assert!(page.body.contains("甲学员") && page.body.contains(&format!("KP4301{yy:02}0002")), "{}", page.body);
    assert!(app.web_get(&mut c, "/registry/courses").await.body.contains("第一期考评员培训班"));
    // The course list is searched by title or place, on the page and in the API.
    let found = app.web_get(&mut c, "/registry/courses?q=%E7%AC%AC%E4%B8%80%E6%9C%9F").await.body;
    assert!(found.contains("第一期考评员培训班"), "{found}");
    let none = app.web_get(&mut c, "/registry/courses?q=%E4%B8%8D%E5%AD%98%E5%9C%A8").await.body;
    assert!(!none.contains("第一期考评员培训班") && none.contains("没有符合条件的培训班"), "{none}");
    let api = app.get("/api/v1/registry/courses?q=%E7%AC%AC%E4%B8%80%E6%9C%9F", Some(&t)).await.json();
    let items = api["items"].as_array().expect("items");
    assert!(!items.is_empty() && items.iter().all(|i| i["title"] == "第一期考评员培训班"), "{api}");
    let api = app.get("/api/v1/registry/courses?q=%E4%B8%8D%E5%AD%98%E5%9C%A8", Some(&t)).await.json();
    assert_eq!(api["total"], 0, "{api}");
    // A course that has ended takes no more trainees; one not ended takes no results.
    let past = json!({"kind": "supervisor", "title": "往期督导员培训班", "start_date": "2025-01-01", "end_date": "2025-01-03", "location": "长沙市"});
    let old = app.post_json("/api/v1/registry/courses", Some(&t), &past).await.json()["id"].as_i64().expect("id");
    let late = app
        .post_json(
            &format!("/api/v1/registry/courses/{old}/enrolments"),
            Some(&t),
            &person("supervisor", "丙学员", "11010519491231002X", "430100", ""),
        )
        .await;
    assert_eq!((late.status, late.error_code()), (StatusCode::CONFLICT, "COURSE_ENDED".to_string()));
    let future = open_course(&app).await;
    let f = app
        .post_json(
            &format!("/api/v1/registry/courses/{future}/enrolments"),
            Some(&t),
            &person("assessor", "丁学员", "11010519491231002X", "430100", ""),
        )
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    let early = app
        .post_json(
            &format!("/api/v1/registry/courses/{future}/results"),
            Some(&t),
            &json!({"enrolment_id": f, "attended": true, "result": "passed"}),
        )
        .await;
    assert_eq!(early.error_code(), "COURSE_NOT_ENDED");
}
