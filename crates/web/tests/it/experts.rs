//! The expert committee (P5): registry, recusal facts, all-or-nothing import and export.

use crate::support::error_fields;
use domain::org::Role;
use http::{Method, StatusCode};
use serde_json::json;
use testkit::TestApp;

async fn province_staff_app() -> (TestApp, String) {
    let app = TestApp::spawn().await;
    let prov = app.org_id("430000").await;
    app.create_user("sheng_staff", &[Role::ProvinceStaff], prov).await;
    let t = app.direct_token("sheng_staff").await;
    (app, t)
}

fn expert(name: &str, id: &str) -> serde_json::Value {
    json!({"name":name,"id_number":id,"employer_name":"湖南省商务职业技术学院","title":"高级技师","specialties":"烹饪、茶艺",
        "city_code":"430100","phone":"13800000000"})
}

#[tokio::test]
async fn p5_province_staff_add_an_expert_whose_id_number_is_masked_and_unique() {
    let (app, t) = province_staff_app().await;
    let r = app.post_json("/api/v1/experts", Some(&t), &expert("欧阳明", "11010519491231002X")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let one = app.get(&format!("/api/v1/experts/{id}"), Some(&t)).await;
    assert!(!one.body.contains("11010519491231002X"));
    assert_eq!(one.json()["expert"]["id_number_masked"], "110***********002X");
    assert_eq!(one.json()["expert"]["specialties"], json!(["烹饪", "茶艺"]));
    let dup = app.post_json("/api/v1/experts", Some(&t), &expert("欧阳亮", "11010519491231002x")).await;
    assert_eq!(dup.error_code(), "EXPERT_EXISTS");
    let bad =
        app.post_json("/api/v1/experts", Some(&t), &json!({"name":"王","id_number":"123","city_code":"110100"})).await;
    let fields = error_fields(&bad.json());
    for f in ["name", "id_number", "employer_name", "title", "specialties", "city_code", "phone"] {
        assert!(fields.contains(&f.to_string()), "{f} missing in {fields:?}");
    }
}

#[tokio::test]
async fn p5_an_import_is_all_or_nothing_and_names_every_bad_cell() {
    let (app, t) = province_staff_app().await;
    let rows = json!([
        expert("甲专家", "360426199101010071"),
        expert("乙专家", "36042619910102009X"),
        expert("丙专家", "360426199101010071"),
    ]);
    let r = app.post_json("/api/v1/experts/import", Some(&t), &rows).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = error_fields(&r.json());
    assert_eq!(fields, vec!["3:id_number", "4:id_number"], "row 3 has a wrong check digit, row 4 repeats row 2");
    assert_eq!(app.get("/api/v1/experts", Some(&t)).await.json()["total"], 0, "nothing written");
    let good = json!([expert("甲专家", "360426199101010071"), expert("乙专家", "110102199101010078")]);
    let ok = app.post_json("/api/v1/experts/import", Some(&t), &good).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    assert_eq!(app.get("/api/v1/experts", Some(&t)).await.json()["total"], 2);
}

#[tokio::test]
async fn p5_the_xlsx_template_round_trips_and_a_bad_file_explains_itself_by_row_and_column() {
    let (app, _) = province_staff_app().await;
    let mut c = app.direct_web("sheng_staff").await;
    let tpl = app.web_get(&mut c, "/admin/experts/template.xlsx").await;
    assert_eq!(tpl.status, StatusCode::OK);
    let headers: Vec<&str> = web::areas::experts::pages::COLUMNS.iter().map(|(h, _)| *h).collect();
    let rows = vec![
        vec!["甲专家", "360426199101010071", "长沙某学院", "技师", "烹饪", "430100", "13800000000", "", ""],
        vec!["乙专家", "360426199101010071", "长沙某学院", "技师", "烹饪", "999999", "12", "", ""],
    ];
    let rows: Vec<Vec<String>> = rows.into_iter().map(|r| r.into_iter().map(str::to_string).collect()).collect();
    let file = web::xlsx::write(&[web::xlsx::Sheet { name: "专家", headers: &headers, rows }]).expect("xlsx");
    let (ct, body) = testkit::multipart(&[("csrf", &c.csrf)], "e.xlsx", &file);
    let cookie = c.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
    let path = "/admin/experts/import";
    let r =
        app.request(Method::POST, path, &[("cookie", cookie.clone()), ("content-type", ct.clone())], body.into()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("第 3 行「身份证号码」"), "{}", r.body);
    assert!(r.body.contains("第 3 行「所在市州代码」"));
    assert!(r.body.contains("第 3 行「联系电话」"));
    assert!(r.body.contains("未导入任何数据"));
    let (_, no_csrf) = testkit::multipart(&[], "e.xlsx", &file);
    let forged = app
        .request(
            Method::POST,
            "/admin/experts/import",
            &[("cookie", cookie.clone()), ("content-type", ct.clone())],
            no_csrf.into(),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "an upload needs the CSRF token too");
    let not_xlsx = app
        .request(
            Method::POST,
            path,
            &[("cookie", cookie), ("content-type", ct)],
            testkit::multipart(&[("csrf", &c.csrf)], "e.xlsx", b"hello").1.into(),
        )
        .await;
    assert!(not_xlsx.body.contains(".xlsx"));
}

#[tokio::test]
async fn p5_declared_conflicts_and_former_employers_are_recorded() {
    let (app, t) = province_staff_app().await;
    let station = app.create_org("长沙甲考核站", "station", "430104").await;
    let id = app.post_json("/api/v1/experts", Some(&t), &expert("欧阳明", "11010519491231002X")).await.json()["id"]
        .as_i64()
        .expect("id");
    let c = app
        .post_json(
            &format!("/api/v1/experts/{id}/conflicts"),
            Some(&t),
            &json!({"org_id": station, "reason": "亲属任职"}),
        )
        .await;
    assert_eq!(c.status, StatusCode::NO_CONTENT, "{}", c.body);
    let again = app.post_json(&format!("/api/v1/experts/{id}/conflicts"), Some(&t), &json!({"org_id": station})).await;
    assert_eq!(again.error_code(), "CONFLICT_EXISTS");
    let future = (store::today() + time::Duration::days(3)).to_string();
    let bad = app
        .post_json(
            &format!("/api/v1/experts/{id}/past-employers"),
            Some(&t),
            &json!({"org_id": station, "until": future}),
        )
        .await;
    assert_eq!(bad.error_code(), "DATE_IN_FUTURE");
    let ok = app
        .post_json(
            &format!("/api/v1/experts/{id}/past-employers"),
            Some(&t),
            &json!({"org_id": station, "until": "2024-06-30"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT);
    let d = app.get(&format!("/api/v1/experts/{id}"), Some(&t)).await.json();
    assert_eq!(d["conflicts"][0]["org_name"], "长沙甲考核站");
    assert_eq!(d["past_employers"][0]["until"], "2024-06-30");
    let upd = app.send_json(Method::PUT, &format!("/api/v1/experts/{id}"), Some(&t), &json!({"name":"欧阳明","id_number":"","employer_name":"新单位","title":"教授","specialties":"茶艺","city_code":"430100","phone":"13800000000","status":"suspended"})).await;
    assert_eq!(upd.status, StatusCode::NO_CONTENT, "a blank ID number keeps the stored one: {}", upd.body);
    let after = app.get(&format!("/api/v1/experts/{id}"), Some(&t)).await.json();
    assert_eq!(after["expert"]["id_number_masked"], "110***********002X");
    assert_eq!(after["expert"]["status"], "suspended");
}

/// P5, P4: an expert's specialties are a list, kept in order without repeats and searched exactly —
/// 茶 is part of 茶艺's name, not a specialty; an unknown status filter is refused, not ignored.
#[tokio::test]
async fn p5_specialties_are_searched_exactly_one_by_one() {
    let (app, t) = province_staff_app().await;
    let mut body = expert("张三", "430124199001010014");
    body["specialties"] = json!("茶艺、烹饪、茶艺");
    assert_eq!(app.post_json("/api/v1/experts", Some(&t), &body).await.status, StatusCode::CREATED);
    let list = |q: &str| {
        let path = format!("/api/v1/experts?{q}");
        let app = &app;
        let t = &t;
        async move { app.get(&path, Some(t)).await }
    };
    let all = list("").await.json();
    assert_eq!(all["items"][0]["specialties"], json!(["烹饪", "茶艺"]), "deduplicated, in order");
    assert_eq!(list("specialty=%E8%8C%B6%E8%89%BA").await.json()["total"], 1, "茶艺 exactly");
    assert_eq!(list("specialty=%E8%8C%B6").await.json()["total"], 0, "茶 is no specialty");
    let bad = list("status=bogus").await;
    assert_eq!((bad.status, bad.error_code()), (StatusCode::UNPROCESSABLE_ENTITY, "FILTER_INVALID".to_string()));
}
