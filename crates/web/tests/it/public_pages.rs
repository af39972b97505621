//! The public site (issue 9 item 15): the station directory searched by institution code, a page per
//! filed station (and none for a suspended one), the certificate query that keeps
//! the holder's name out of the address, and the public 404 that offers the public home.

use domain::stations::{ApplicationInput, FilingState, Receiver};
use http::StatusCode;
use store::entity::{filing, filing_project};
use store::sea_orm::{ActiveModelTrait, Set};
use testkit::{TestApp, WebClient};

/// A station filing as the directory reads it, written straight to the tables (the procedure that
/// gets it there is tested in filings.rs).
pub(crate) async fn station(
    app: &TestApp,
    name: &str,
    code: &str,
    region: &str,
    projects: &[&str],
    state: FilingState,
) -> i64 {
    let org = app.create_org(name, "station", region).await;
    let city = format!("{}00", &region[..4]);
    let now = time::OffsetDateTime::now_utc();
    let application = ApplicationInput {
        institution_name: name.into(),
        address: format!("{name}实训楼"),
        contact_phone: "0731-88886666".into(),
        ..ApplicationInput::example()
    };
    let m = filing::ActiveModel {
        applicant_org_id: Set(org),
        institution_name: Set(name.into()),
        application: Set(serde_json::to_string(&application).expect("json")),
        state: Set(state),
        receiver: Set(Receiver::City),
        receiving_region: Set(city.clone()),
        applicant_city: Set(city),
        plan: Set(None),
        evaluation_date: Set(None),
        draw_id: Set(None),
        group_conclusion: Set(None),
        institution_code: Set(Some(code.into())),
        code_serial: Set(None),
        province_opinion: Set(String::new()),
        commitment_by: Set(String::new()),
        commitment_at: Set(None),
        submitted_at: Set(Some(now)),
        decided_at: Set(Some(now)),
        created_by: Set("test".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.store.db)
    .await
    .expect("filing");
    for (i, p) in projects.iter().enumerate() {
        filing_project::ActiveModel {
            filing_id: Set(m.id),
            position: Set(i as i32),
            name: Set((*p).into()),
            ..Default::default()
        }
        .insert(&app.store.db)
        .await
        .expect("project");
    }
    m.id
}

fn esc(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[tokio::test]
async fn i9_15_the_directory_finds_a_station_by_its_institution_code() {
    let app = TestApp::spawn().await;
    station(&app, "长沙甲培训学校", "HN010001", "430104", &["米粉制作"], FilingState::Filed).await;
    station(&app, "株洲乙职业学校", "HN020001", "430202", &["湘菜烹饪"], FilingState::Filed).await;
    let page = app.get("/stations?q=HN0200", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("株洲乙职业学校") && !page.body.contains("长沙甲培训学校"), "{}", page.body);
    assert!(page.body.contains("href=\"/stations/HN020001\""), "each station links to its page: {}", page.body);
    let api = app.get("/api/v1/stations?q=HN0100", None).await.json();
    assert_eq!((api["total"].as_u64(), &api["items"][0]["name"]), (Some(1), &serde_json::json!("长沙甲培训学校")));
}

#[tokio::test]
async fn i9_15_a_filed_station_has_its_own_page_and_a_suspended_one_has_none() {
    let app = TestApp::spawn().await;
    station(&app, "长沙甲培训学校", "HN010001", "430104", &["米粉制作", "湘菜烹饪"], FilingState::Filed).await;
    station(&app, "长沙丙培训学校", "HN010002", "430104", &["米粉制作"], FilingState::Suspended).await;
    let page = app.get("/stations/HN010001", None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let today = store::today().to_string();
    for fact in
        ["HN010001", "长沙甲培训学校", "长沙甲培训学校实训楼", "米粉制作", "湘菜烹饪", "已备案", "长沙市", &today]
    {
        assert!(page.body.contains(fact), "{fact}: {}", page.body);
    }
    let api = app.get("/api/v1/stations/HN010001", None).await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(api.json()["address"], "长沙甲培训学校实训楼");
    for code in ["HN010002", "HN999999"] {
        let gone = app.get(&format!("/stations/{code}"), None).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND, "{code}");
        assert!(!gone.body.contains("长沙丙培训学校"), "{}", gone.body);
        assert!(gone.body.contains("href=\"/\"") && !gone.body.contains("/home"), "{}", gone.body);
        assert_eq!(app.get(&format!("/api/v1/stations/{code}"), None).await.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn i9_15_the_certificate_query_takes_the_name_in_a_post_body_not_the_address() {
    let app = TestApp::spawn().await;
    // A name in the address is not answered: GET is the empty form.
    let get = app.get(&format!("/certificate-query?number=4301&name={}", esc("张小三")), None).await;
    assert_eq!(get.status, StatusCode::OK);
    assert!(!get.body.contains("张小三") && !get.body.contains("未查询到"), "{}", get.body);
    assert!(get.body.contains("method=\"post\" action=\"/certificate-query\""), "{}", get.body);
    // The form posts with its token; the answer comes back to the POST.
    let mut c = WebClient::default();
    app.web_get(&mut c, "/certificate-query").await;
    assert!(!c.csrf.is_empty(), "the form carries a token");
    let r = app.web_post(&mut c, "/certificate-query", &[("number", "43012601000001"), ("name", "张小三")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("未查询到与该证书编号和姓名相符的证书"), "{}", r.body);
    let half = app.web_post(&mut c, "/certificate-query", &[("number", "43012601000001")]).await;
    assert!(half.body.contains("请填写持证人姓名"), "{}", half.body);
    // Without the token (a form posted from elsewhere) it is refused.
    let mut stranger = WebClient::default();
    let forged = app.web_post(&mut stranger, "/certificate-query", &[("number", "1"), ("name", "张小三")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn i9_15_an_unknown_public_address_offers_the_public_home_not_the_sign_in() {
    let app = TestApp::spawn().await;
    let r = app.get("/no-such-page", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("href=\"/\""), "{}", r.body);
    assert!(!r.body.contains("href=\"/home\"") && !r.body.contains("href=\"/login\""), "{}", r.body);
    // Signed in, the workbench is offered.
    app.create_user("sheng", &[domain::org::Role::ProvinceStaff], app.org_id("430000").await).await;
    let mut staff = app.direct_web("sheng").await;
    assert!(app.web_get(&mut staff, "/no-such-page").await.body.contains("href=\"/home\""));
}
