//! Issue 9 items 7, 8, 10, 11: the filing form as its users live it — a half-filled draft is kept (page
//! and API) and submission names every missing field; a new draft starts from the organisation
//! registry; tables grow by 「添加一行」; the region picker's table and region names on pages; blank
//! fields read 请填写…; the inputs the server demands carry `required`.

use crate::support::{error_beside, error_fields, id_from};
use domain::org::Role;
use http::StatusCode;
use serde_json::json;
use testkit::{TestApp, application};

/// A station in 长沙市岳麓区 with one staff member, and 长沙's city staff.
async fn world() -> (TestApp, i64) {
    let app = TestApp::spawn().await;
    // F2: the example application applies for catalog projects.
    app.catalog_example_projects().await;
    let station = app.create_org("长沙湘味职业培训学校", "station", "430104").await;
    app.create_user("zhan", &[Role::StationStaff], station).await;
    app.create_user("cs_staff", &[Role::CityStaff], app.org_id("430100").await).await;
    (app, station)
}

/// The opening tag of the element with this id.
fn tag_of<'a>(body: &'a str, id: &str) -> &'a str {
    let marker = format!("id=\"{id}\"");
    let at = body.find(&marker).unwrap_or_else(|| panic!("no element {id}"));
    let start = body[..at].rfind('<').expect("tag start");
    let end = at + body[at..].find('>').expect("tag end");
    &body[start..=end]
}

#[tokio::test]
async fn i9_11_a_half_filled_draft_saves_through_the_page_and_submission_names_the_missing_fields() {
    let (app, _) = world().await;
    let mut zhan = app.direct_web("zhan").await;
    let half = [("institution_name", "长沙湘味职业培训学校"), ("contact_name", "周红"), ("projects", "米粉制作")];
    let r = app.web_post(&mut zhan, "/filings", &half).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "a half-filled draft is kept: {}", r.body);
    let id = id_from(&r.location());
    let stored = app.store.get_filing(&app.principal("zhan").await, id).await.expect("draft");
    assert_eq!(stored.application.contact_name, "周红", "the draft keeps what was typed");
    assert_eq!(stored.application.projects, ["米粉制作"]);
    assert_eq!(stored.summary.institution_name, "长沙湘味职业培训学校");

    // Submission is refused naming each missing field, with a way to the form.
    let r = app.web_post(&mut zhan, &format!("/filings/{id}/actions"), &[("kind", "submit")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    for missing in [
        "请填写负责人姓名",
        "请填写负责人电话",
        "请填写联系人电话",
        "请选择所在地区",
        "请填写详细地址",
        "请选择单位性质",
    ] {
        assert!(r.body.contains(missing), "{missing} in {}", r.body);
    }
    assert!(r.body.contains("请填写法定代表人姓名"), "{}", r.body);
    assert!(r.body.contains(&format!("/filings/{id}/edit?check=1")), "a link to the form: {}", r.body);
    // The form shows them beside the fields.
    let check = app.web_get(&mut zhan, &format!("/filings/{id}/edit?check=1")).await;
    assert_eq!(check.status, StatusCode::OK);
    assert_eq!(error_beside(&check.body, "person_in_charge_name"), "请填写负责人姓名");
    assert_eq!(error_beside(&check.body, "address"), "请填写详细地址");
    assert!(error_beside(&check.body, "contact_name").is_empty(), "what is filled in is fine");
    assert!(check.body.contains("提交前还需完善"), "{}", check.body);

    // A format error in what is filled in is still refused at 保存, and nothing is saved.
    let r = app
        .web_post(&mut zhan, &format!("/filings/{id}/edit"), &[("institution_name", ""), ("contact_phone", "12345")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!error_beside(&r.body, "contact_phone").is_empty());
    // The breadcrumb keeps the stored name while the name is blanked on the form (item 7).
    assert!(r.body.contains(&format!("<a href=\"/filings/{id}\">长沙湘味职业培训学校</a>")), "{}", r.body);
    assert!(!r.body.contains(&format!("<a href=\"/filings/{id}\"></a>")));
}

#[tokio::test]
async fn i9_11_a_half_filled_draft_saves_through_the_api_and_submission_names_the_missing_fields() {
    let (app, _) = world().await;
    let t = app.direct_token("zhan").await;
    let half = json!({ "institution_name": "长沙湘味职业培训学校", "projects": ["米粉制作"] });
    let r = app.post_json("/api/v1/filings", Some(&t), &half).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let update = json!({ "institution_name": "长沙湘味职业培训学校", "contact_name": "周红" });
    let r = app.send_json(http::Method::PUT, &format!("/api/v1/filings/{id}"), Some(&t), &update).await;
    assert!(r.status.is_success(), "an update of a draft may be half-filled too: {} {}", r.status, r.body);
    let r = app.post_json(&format!("/api/v1/filings/{id}/actions"), Some(&t), &json!({ "kind": "submit" })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let fields = error_fields(&r.json());
    for f in ["person_in_charge.name", "region_code", "address", "facilities", "assessors", "commitment.confirmed"] {
        assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
    }
    assert!(!fields.iter().any(|x| x == "contact.name"), "{fields:?}");
    assert!(r.body.contains("请填写负责人姓名"), "{}", r.body);
    // A bad value is refused at once, naming its field.
    let bad = json!({ "contact_phone": "12345" });
    let r = app.post_json("/api/v1/filings", Some(&t), &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&r.json()), ["contact.phone"]);
}

#[tokio::test]
async fn i9_11_a_new_draft_is_pre_filled_from_the_organisation_registry() {
    let (app, _) = world().await;
    let mut zhan = app.direct_web("zhan").await;
    let form = app.web_get(&mut zhan, "/filings/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        tag_of(&form.body, "address").contains("value=\"湖南省测试市测试路 1 号\""),
        "{}",
        tag_of(&form.body, "address")
    );
    assert!(tag_of(&form.body, "contact_name").contains("value=\"张三\""));
    assert!(tag_of(&form.body, "contact_phone").contains("value=\"13800000000\""));
    assert!(tag_of(&form.body, "region_code").contains("value=\"430104\""));
    assert!(form.body.contains("<option value=\"enterprise\" selected>"), "the nature as registered");
    assert!(form.body.contains("长沙市岳麓区"), "the region reads as a name");
    // The same through the API.
    let t = app.direct_token("zhan").await;
    let draft = app.get("/api/v1/filings/draft", Some(&t)).await;
    assert_eq!(draft.status, StatusCode::OK, "{}", draft.body);
    let draft = draft.json();
    assert_eq!(draft["address"], "湖南省测试市测试路 1 号");
    assert_eq!(draft["nature"], "enterprise");
    assert_eq!(draft["region_code"], "430104");
    assert_eq!(draft["contact_phone"], "13800000000");
}

#[tokio::test]
async fn i9_11_the_tables_grow_by_a_row_and_seven_facilities_are_kept() {
    let (app, _) = world().await;
    let mut zhan = app.direct_web("zhan").await;
    let form = app.web_get(&mut zhan, "/filings/new").await;
    for table in ["project-rows", "facility-rows", "assessor-rows"] {
        assert!(form.body.contains(&format!("data-add-row=\"{table}\"")), "添加一行 for {table}");
    }
    assert!(form.body.contains("data-remove-row"), "删除 on each row");
    assert!(form.body.contains("id=\"facility_name_4\""), "a few empty rows without script");

    let mut fields: Vec<(String, String)> = vec![("institution_name".into(), "长沙湘味职业培训学校".into())];
    for i in 0..7 {
        fields.push(("facility_name".into(), format!("实操教室{i}")));
        fields.push(("facility_spec".into(), format!("{} 平方米", 100 + i)));
        fields.push(("facility_purpose".into(), "实操考核".into()));
    }
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = app.web_post(&mut zhan, "/filings", &refs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = id_from(&r.location());
    let stored = app.store.get_filing(&app.principal("zhan").await, id).await.expect("draft");
    assert_eq!(stored.application.facilities.len(), 7);
    let edit = app.web_get(&mut zhan, &format!("/filings/{id}/edit")).await;
    assert!(edit.body.contains("value=\"实操教室6\""));
    assert!(edit.body.contains("id=\"facility_name_7\""), "a spare row after the seventh");

    // The whole application with seven facilities submits.
    let mut full = application("长沙湘味职业培训学校", "vocational_school", "430104");
    full.facilities = stored.application.facilities.clone();
    let t = app.direct_token("zhan").await;
    let r = app
        .send_json(
            http::Method::PUT,
            &format!("/api/v1/filings/{id}"),
            Some(&t),
            &serde_json::to_value(&full).expect("json"),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    app.attach_materials("zhan", id).await;
    let r = app.post_json(&format!("/api/v1/filings/{id}/actions"), Some(&t), &json!({ "kind": "submit" })).await;
    assert!(r.status.is_success(), "{}", r.body);
}

#[tokio::test]
async fn i9_8_the_regions_table_answers_and_pages_show_names_instead_of_bare_codes() {
    let (app, station) = world().await;
    let r = app.get("/api/v1/regions?parent=430100", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.headers.get("cache-control").is_some_and(|v| v.to_str().unwrap_or("").contains("max-age")));
    let body = r.json();
    assert_eq!(body["parent_name"], "长沙市");
    let regions = body["regions"].as_array().expect("regions");
    assert!(regions.iter().any(|x| x["code"] == "430104" && x["name"] == "岳麓区"), "{body}");
    let cities = app.get("/api/v1/regions?parent=430000", None).await.json();
    assert_eq!(cities["regions"].as_array().expect("cities").len(), 14);
    let provinces = app.get("/api/v1/regions", None).await.json();
    assert!(provinces["regions"].as_array().expect("provinces").iter().any(|x| x["name"] == "湖南省"));
    let bad = app.get("/api/v1/regions?parent=12", None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&bad.json()), ["parent"]);

    // Organisation pages: a picker on the form, names on the record.
    app.create_user("sheng_admin", &[Role::ProvinceAdmin], app.org_id("430000").await).await;
    let mut admin = app.web_session("sheng_admin").await;
    let show = app.web_get(&mut admin, &format!("/admin/orgs/{station}")).await;
    assert_eq!(show.status, StatusCode::OK);
    assert!(show.body.contains("长沙市岳麓区"), "{}", show.body);
    let new = app.web_get(&mut admin, "/admin/orgs/new").await;
    assert!(tag_of(&new.body, "region_code").contains("data-region-picker"));

    // The filing page names the region.
    let t = app.direct_token("zhan").await;
    let full = serde_json::to_value(application("长沙湘味职业培训学校", "vocational_school", "430104")).expect("json");
    let id = app.post_json("/api/v1/filings", Some(&t), &full).await.json()["id"].as_i64().expect("id");
    let mut zhan = app.direct_web("zhan").await;
    let page = app.web_get(&mut zhan, &format!("/filings/{id}")).await;
    assert!(page.body.contains("长沙市岳麓区（430104）"), "{}", page.body);
    let form = app.web_get(&mut zhan, &format!("/filings/{id}/edit")).await;
    assert!(tag_of(&form.body, "region_code").contains("data-region-picker"));
}

#[tokio::test]
async fn i9_7_blank_required_fields_say_please_fill_in() {
    let (app, station) = world().await;
    app.create_user("sheng_admin", &[Role::ProvinceAdmin], app.org_id("430000").await).await;
    let mut admin = app.web_session("sheng_admin").await;
    let blank = [
        ("name", ""),
        ("kind", "station"),
        ("nature", ""),
        ("credit_code", ""),
        ("region_code", ""),
        ("address", ""),
        ("contact_name", ""),
        ("contact_phone", ""),
    ];
    let r = app.web_post(&mut admin, "/admin/orgs", &blank).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (id, want) in [
        ("name", "请填写机构名称"),
        ("nature", "请选择机构性质"),
        ("credit_code", "请填写统一社会信用代码"),
        ("region_code", "请选择所在地区"),
        ("contact_name", "请填写联系人"),
        ("contact_phone", "请填写联系电话"),
    ] {
        assert_eq!(error_beside(&r.body, id), want, "{id}");
    }
    assert!(error_beside(&r.body, "address").starts_with("请填写详细地址"));

    // Users: a blank name and login name.
    let station = station.to_string();
    let user = [("username", ""), ("display_name", ""), ("org_id", station.as_str()), ("password", "")];
    let r = app.web_post(&mut admin, "/admin/users", &user).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_beside(&r.body, "username"), "请填写用户名");
    assert_eq!(error_beside(&r.body, "display_name"), "请填写姓名");

    // The filing application through the API: every blank field at submission.
    let t = app.direct_token("zhan").await;
    let id = app.post_json("/api/v1/filings", Some(&t), &json!({})).await.json()["id"].as_i64().expect("id");
    let r = app.post_json(&format!("/api/v1/filings/{id}/actions"), Some(&t), &json!({ "kind": "submit" })).await;
    let body = r.json();
    for e in body["errors"].as_array().expect("errors") {
        let detail = e["detail"].as_str().expect("detail");
        assert!(!detail.contains("应为"), "a blank field reads 请填写…: {e}");
    }
}

#[tokio::test]
async fn i9_10_the_inputs_the_server_demands_carry_required_and_the_filing_form_saves_half_filled() {
    let (app, _) = world().await;
    let t = app.direct_token("zhan").await;
    let full = serde_json::to_value(application("长沙湘味职业培训学校", "vocational_school", "430104")).expect("json");
    let id = app.post_json("/api/v1/filings", Some(&t), &full).await.json()["id"].as_i64().expect("id");
    app.attach_materials("zhan", id).await;
    let r = app.post_json(&format!("/api/v1/filings/{id}/actions"), Some(&t), &json!({ "kind": "submit" })).await;
    assert!(r.status.is_success(), "{}", r.body);
    let mut city = app.direct_web("cs_staff").await;
    let page = app.web_get(&mut city, &format!("/filings/{id}")).await;
    assert!(tag_of(&page.body, "reason_return").contains(" required"), "{}", tag_of(&page.body, "reason_return"));

    app.create_user("sheng_admin", &[Role::ProvinceAdmin], app.org_id("430000").await).await;
    let mut admin = app.web_session("sheng_admin").await;
    let new = app.web_get(&mut admin, "/admin/orgs/new").await;
    for id in ["name", "credit_code", "address", "contact_name", "contact_phone"] {
        assert!(tag_of(&new.body, id).contains(" required"), "{id}: {}", tag_of(&new.body, id));
    }
    let user = app.web_get(&mut admin, "/admin/users/new").await;
    for id in ["username", "display_name", "password"] {
        assert!(tag_of(&user.body, id).contains(" required"), "{id}");
    }
    // The filing form saves a half-filled draft: nothing on it is `required`.
    let mut zhan = app.direct_web("zhan").await;
    let form = app.web_get(&mut zhan, "/filings/new").await;
    assert!(!tag_of(&form.body, "institution_name").contains(" required"));
}
