//! Issue 8 item 11: codes are checked against the published tables — a region code must be a GB/T 2260
//! code in force, a credit code's authority, type and region must be GB 32100's, and an ID number from
//! an unknown county is accepted with a warning staff can see.

use domain::org::Role;
use http::StatusCode;
use serde_json::json;
use testkit::{TestApp, id_number};

fn station(name: &str, code: &str, region: &str) -> serde_json::Value {
    json!({"name":name,"kind":"station","nature":"enterprise","credit_code":code,"region_code":region,
        "address":"湖南省某市某区某路 1 号","contact_name":"张三","contact_phone":"0731-84567890"})
}

fn credit(first17: &str) -> String {
    format!("{first17}{}", domain::ids::credit_code_check_char(first17).expect("alphabet"))
}

async fn province_app() -> (TestApp, String) {
    let app = TestApp::spawn().await;
    let prov = app.org_id("430000").await;
    app.create_user("sheng_staff", &[Role::ProvinceStaff], prov).await;
    app.create_user("sheng", &[Role::ProvinceAdmin], prov).await;
    let t = app.direct_token("sheng").await;
    (app, t)
}

#[tokio::test]
async fn i11_a_region_code_never_assigned_is_refused_naming_the_field() {
    let (app, t) = province_app().await;
    let r =
        app.post_json("/api/v1/orgs", Some(&t), &station("长沙某考核站", &credit("91430104MA4L00001"), "430199")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let e = &r.json()["errors"][0];
    assert_eq!((e["code"].as_str(), e["field"].as_str()), (Some("REGION_CODE_UNKNOWN"), Some("region_code")));
    assert!(e["detail"].as_str().unwrap_or_default().contains("430199"), "{e}");
    let retired =
        app.post_json("/api/v1/orgs", Some(&t), &station("望城某考核站", &credit("91430104MA4L00002"), "430122")).await;
    assert_eq!(retired.error_code(), "REGION_CODE_RETIRED", "望城县 is 望城区 430112 since 2011");
    let ok =
        app.post_json("/api/v1/orgs", Some(&t), &station("望城某考核站", &credit("91430104MA4L00002"), "430112")).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
}

#[tokio::test]
async fn i11_a_credit_code_with_an_unassigned_authority_type_or_region_is_refused() {
    let (app, t) = province_app().await;
    for (body, code) in [
        ("B1430104MA4L00001", "CREDIT_CODE_AUTHORITY"),
        ("94430104MA4L00001", "CREDIT_CODE_TYPE"),
        ("91430199MA4L00001", "CREDIT_CODE_REGION"),
    ] {
        let r = app.post_json("/api/v1/orgs", Some(&t), &station("某考核站", &credit(body), "430104")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", r.body);
        let e = &r.json()["errors"][0];
        assert_eq!((e["code"].as_str(), e["field"].as_str()), (Some(code), Some("credit_code")), "{body}");
    }
    // The province's acceptance of a wrong check character does not cover a wrong region.
    let mut pilot = station("试点站", "91430199MA4L000010", "430104");
    pilot["accept_credit_warning"] = json!(true);
    assert_eq!(app.post_json("/api/v1/orgs", Some(&t), &pilot).await.error_code(), "CREDIT_CODE_REGION");
}

#[tokio::test]
async fn i11_an_expert_from_an_unknown_county_is_accepted_and_staff_see_a_warning() {
    let (app, _) = province_app().await;
    let t = app.direct_token("sheng_staff").await;
    let expert = |name: &str, id: &str| {
        json!({"name":name,"id_number":id,"employer_name":"湖南省商务职业技术学院","title":"高级技师",
            "specialties":"烹饪","city_code":"430100","phone":"13800000000"})
    };
    let unknown = app.post_json("/api/v1/experts", Some(&t), &expert("欧阳明", &id_number("43019919700101123"))).await;
    assert_eq!(unknown.status, StatusCode::CREATED, "never refused for its county: {}", unknown.body);
    let unknown = unknown.json()["id"].as_i64().expect("id");
    let retired = app.post_json("/api/v1/experts", Some(&t), &expert("谭晓红", &id_number("43012419750203234"))).await;
    assert_eq!(retired.status, StatusCode::CREATED, "{}", retired.body);
    let retired = retired.json()["id"].as_i64().expect("id");

    let warning = "身份证号码的地址码未在行政区划代码表中（可能为已撤销的旧代码），请核对。";
    let mut c = app.web_session("sheng_staff").await;
    let page = app.web_get(&mut c, &format!("/admin/experts/{unknown}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(warning), "the unknown county is pointed out: {}", page.body);
    let page = app.web_get(&mut c, &format!("/admin/experts/{retired}")).await;
    assert!(!page.body.contains(warning), "a retired county is a known one");
    let list = app.web_get(&mut c, "/admin/experts").await;
    assert_eq!(list.body.matches("地址码待核对").count(), 1, "{}", list.body);
}
