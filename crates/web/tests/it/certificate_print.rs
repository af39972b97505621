//! Certificate printing through HTTP (C1, issue 13 "Print"): the A4 electronic certificate (ID number
//! masked, QR code to `/verify/{token}`) and the overlay page (套打: full ID number at the default
//! layout's positions) of one certificate, for the staff who see it (a city center its city's, the
//! province all; another city's is 404, a role without the list 403); a session's valid certificates in
//! one PDF, one page each; a revoked certificate refused (`CERTIFICATE_REVOKED`); the province's layouts
//! (validation errors naming the field, one default, the test print); the candidate's own certificates
//! (another person's 404, downloadable only once reported, `CERTIFICATE_NOT_REPORTED` before); the
//! holder's photo on both pages (a damaged one left out, never a refusal); the overlay on the layout
//! asked for (an unknown or malformed one `FILTER_INVALID` naming `layout`).

use crate::certificates::{batch, graded_session};
use crate::sessions::{World, idn, world};
use domain::certificates::{LayoutField, Mark, a4_sheet, overlay_sheet};
use http::{Method, StatusCode};
use serde_json::{Value, json};
use store::entity::audit_log;
use store::sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use testkit::TestApp;
use web::areas::certificates::print::{PrintKind, print_fields};

async fn get(app: &TestApp, who: &str, path: &str) -> testkit::Resp {
    let t = app.direct_token(who).await;
    app.get(path, Some(&t)).await
}

async fn send(app: &TestApp, who: &str, method: Method, path: &str, body: &Value) -> testkit::Resp {
    let t = app.direct_token(who).await;
    app.send_json(method, path, Some(&t), body).await
}

/// The pages of a PDF (krilla, through pdf-writer, writes each page object uncompressed as
/// `/Type/Page`; the page tree is `/Type/Pages`).
fn pages(pdf: &[u8]) -> usize {
    let s = String::from_utf8_lossy(pdf);
    s.match_indices("/Type/Page").filter(|(i, m)| !s[i + m.len()..].starts_with('s')).count()
}

fn assert_pdf(r: &testkit::Resp) {
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/pdf"));
    assert!(r.bytes.starts_with(b"%PDF"), "a PDF");
}

/// 长沙's stock of 10 blanks and a confirmed session with `passed` passed candidates (idn(601)…), all
/// issued by 长沙's city center. Answers the session and the certificates' ids by serial.
async fn issued(app: &TestApp, passed: u32) -> (i64, Vec<i64>) {
    assert_eq!(batch(app, "cs_staff", "HN00000001", "10").await.status, StatusCode::CREATED);
    let (id, _) = graded_session(app, passed, 0, true).await;
    let r = send(app, "cs_staff", Method::POST, &format!("/api/v1/sessions/{id}/certificates/all"), &json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let ids = r.json()["certificates"]
        .as_array()
        .expect("certificates")
        .iter()
        .map(|c| c["id"].as_i64().expect("id"))
        .collect();
    (id, ids)
}

async fn audit_count(app: &TestApp, action: &str) -> u64 {
    audit_log::Entity::find().filter(audit_log::Column::Action.eq(action)).count(&app.store.db).await.expect("audit")
}

#[tokio::test]
async fn c1_certificates_print_as_a4_and_overlay_in_scope_one_page_each_never_revoked() {
    let World { app, .. } = world().await;
    let app = &app;
    let (session, ids) = issued(app, 2).await;
    let one = |id: i64, kind: &str| format!("/api/v1/issued-certificates/{id}/{kind}.pdf");

    // The province and the certificate's city center print it; another city does not find it; a
    // station (no certificate list) is refused.
    for who in ["prov", "cs_staff"] {
        assert_pdf(&get(app, who, &one(ids[0], "certificate")).await);
        assert_pdf(&get(app, who, &one(ids[0], "overlay")).await);
    }
    assert_eq!(get(app, "zz_staff", &one(ids[0], "certificate")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(app, "cs_st", &one(ids[0], "overlay")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(get(app, "prov", &one(999_999, "certificate")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(pages(&get(app, "prov", &one(ids[0], "certificate")).await.bytes), 1);

    // Batch print: one PDF, one page per valid certificate, both kinds; the kind is checked.
    let all = format!("/api/v1/sessions/{session}/certificates.pdf");
    for kind in ["a4", "overlay"] {
        let r = get(app, "cs_staff", &format!("{all}?kind={kind}")).await;
        assert_pdf(&r);
        assert_eq!(pages(&r.bytes), 2, "{kind}");
    }
    let r = get(app, "cs_staff", &format!("{all}?kind=poster")).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "FILTER_INVALID"), "{}", r.body);
    assert_eq!(get(app, "zz_staff", &all).await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(app, "cs_st", &all).await.status, StatusCode::FORBIDDEN);
    // The pages too (cookie session).
    let mut web = app.direct_web("cs_staff").await;
    let r = app.web_get(&mut web, &format!("/sessions/{session}/certificates.pdf?kind=overlay")).await;
    assert_pdf(&r);
    let r = app.web_get(&mut web, &format!("/issued-certificates/{}/certificate.pdf", ids[1])).await;
    assert_pdf(&r);

    // What is drawn: the A4 certificate masks the ID number, the overlay prints it in full at the
    // default layout's position; both QR codes encode the verification address of the certificate.
    let p = app.principal("cs_staff").await;
    let pc = app.store.certificate_for_print(&p, ids[0]).await.expect("print");
    assert_eq!(pc.id_number, idn(601));
    let url = format!("https://kaohe.example/verify/{}", pc.certificate.verify_token);
    assert_eq!(pc.certificate.verify_token.len(), 64);
    let a4 = a4_sheet(&print_fields(&pc, PrintKind::A4, url.clone()));
    let texts: Vec<&str> = a4.texts().into_iter().map(|t| t.0).collect();
    assert!(texts.contains(&pc.certificate.number.as_str()) && texts.contains(&"考生甲"), "{texts:?}");
    assert!(texts.contains(&pc.certificate.id_number_masked.as_str()));
    assert!(!texts.iter().any(|t| t.contains(&idn(601))), "no full ID number on the electronic certificate");
    assert_eq!(a4.qr_data(), vec![url.as_str()]);
    let layout = app.store.default_layout().await.expect("default").layout;
    let overlay = overlay_sheet(&layout, &print_fields(&pc, PrintKind::Overlay, url.clone()));
    let at = layout.placement(LayoutField::IdNumber).expect("placed");
    assert!(overlay.texts().contains(&(idn(601).as_str(), at.x.mm(), at.y.mm())), "{:?}", overlay.texts());
    assert_eq!(overlay.qr_data(), vec![url.as_str()]);

    // A character the font lacks is refused naming it, before anything is drawn.
    let mut odd = overlay.clone();
    odd.marks.push(Mark::Text {
        text: "王\u{10FFFD}".into(),
        x: 10.0,
        y: 10.0,
        pt: 12.0,
        face: domain::certificates::Face::Sans,
        align: domain::certificates::Align::Left,
        max_w: 100.0,
        gray: 0,
    });
    match web::areas::certificates::pdf::render(&[odd]) {
        Err(web::error::AppError::Conflict(e)) => assert_eq!(e.code, "CHARACTER_NOT_IN_FONT"),
        other => panic!("refused: {:?}", other.map(|b| b.len())),
    }

    // Revoked: never printed, and the batch leaves it out.
    app.store.revoke_certificate(&p, ids[0], "证书信息有误", &store::Ctx::system()).await.expect("revoke");
    let r = get(app, "prov", &one(ids[0], "certificate")).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "CERTIFICATE_REVOKED"), "{}", r.body);
    let r = get(app, "cs_staff", &one(ids[0], "overlay")).await;
    assert_eq!(r.error_code(), "CERTIFICATE_REVOKED");
    assert_eq!(pages(&get(app, "cs_staff", &all).await.bytes), 1);
}

fn layout_body(name: &str, is_default: bool) -> Value {
    let input = domain::certificates::default_layout_input();
    json!({ "name": name, "is_default": is_default, "width_mm": "210", "height_mm": "148",
            "placements": input.placements })
}

/// A valid 3 × 4 PNG.
const PHOTO: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x03, 0x00, 0x00, 0x00, 0x04, 0x08, 0x02, 0x00, 0x00, 0x00, 0xc4, 0x4f, 0x12, 0x50, 0x00, 0x00, 0x00, 0x10, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x38, 0x60, 0x60, 0x00, 0x41, 0x0c, 0x78, 0x59, 0x00, 0x14, 0xf7, 0x0d, 0x81,
    0x16, 0xb5, 0x03, 0xba, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

fn has_image(pdf: &[u8]) -> bool {
    String::from_utf8_lossy(pdf).contains("/Subtype/Image")
}

#[tokio::test]
async fn c1_the_holders_photo_is_printed_and_the_overlay_uses_the_layout_asked_for() {
    let World { app, .. } = world().await;
    let app = &app;
    assert_eq!(batch(app, "cs_staff", "HN00000001", "10").await.status, StatusCode::CREATED);
    let (session, cids) = graded_session(app, 1, 0, true).await;
    let r =
        send(app, "cs_staff", Method::POST, &format!("/api/v1/sessions/{session}/certificates/all"), &json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = r.json()["certificates"][0]["id"].as_i64().expect("id");
    let one = |kind: &str| format!("/api/v1/issued-certificates/{id}/{kind}.pdf");

    // Without a photo on the roster, none is drawn; with the station's upload, both pages carry it.
    for kind in ["certificate", "overlay"] {
        let r = get(app, "cs_staff", &one(kind)).await;
        assert_pdf(&r);
        assert!(!has_image(&r.bytes), "{kind}: no photo yet");
    }
    let st = app.principal("cs_st").await;
    app.store
        .upload_candidate_photo(&st, session, cids[0], "photo.png", PHOTO, &store::Ctx::system())
        .await
        .expect("photo");
    for kind in ["certificate", "overlay"] {
        let r = get(app, "cs_staff", &one(kind)).await;
        assert_pdf(&r);
        assert!(has_image(&r.bytes), "{kind}: the holder's photo");
    }
    assert!(has_image(&get(app, "cs_staff", &format!("/api/v1/sessions/{session}/certificates.pdf")).await.bytes));
    // A photo that only looks like a PNG is left out; the certificate still prints.
    let damaged = &PHOTO[..20];
    app.store
        .upload_candidate_photo(&st, session, cids[0], "bad.png", damaged, &store::Ctx::system())
        .await
        .expect("kept");
    let r = get(app, "cs_staff", &one("certificate")).await;
    assert_pdf(&r);
    assert!(!has_image(&r.bytes));

    // The layouts to print on: whoever prints reads them, default first; a station may not.
    let mut narrow = layout_body("窄版空白证书", false);
    narrow["width_mm"] = json!("200");
    narrow["height_mm"] = json!("140");
    let r = send(app, "prov", Method::POST, "/api/v1/certificate-layouts", &narrow).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let narrow_id = r.json()["id"].as_i64().expect("id");
    let choices = get(app, "cs_staff", "/api/v1/certificate-layouts/choices").await;
    assert_eq!(choices.status, StatusCode::OK, "{}", choices.body);
    let layouts = choices.json()["layouts"].clone();
    assert_eq!((layouts[0]["is_default"].as_bool(), layouts[1]["id"].as_i64()), (Some(true), Some(narrow_id)));
    assert_eq!(layouts[1]["name"], "窄版空白证书");
    assert_eq!(get(app, "cs_st", "/api/v1/certificate-layouts/choices").await.status, StatusCode::FORBIDDEN);

    // The overlay on the layout asked for: its page is that blank's size (200 × 140 mm).
    let media_box = |pdf: &[u8]| {
        let s = String::from_utf8_lossy(pdf).into_owned();
        let at = s.find("/MediaBox").expect("a page size");
        s[at..at + 60].split(']').next().unwrap_or_default().to_owned()
    };
    let default = get(app, "cs_staff", &one("overlay")).await;
    let chosen = get(app, "cs_staff", &format!("{}?layout={narrow_id}", one("overlay"))).await;
    assert_pdf(&chosen);
    assert!(media_box(&default.bytes).contains("595.27"), "210 mm wide: {}", media_box(&default.bytes));
    assert!(media_box(&chosen.bytes).contains("566.92"), "200 mm wide: {}", media_box(&chosen.bytes));
    let batch_pdf =
        get(app, "cs_staff", &format!("/api/v1/sessions/{session}/certificates.pdf?kind=overlay&layout={narrow_id}"))
            .await;
    assert!(media_box(&batch_pdf.bytes).contains("566.92"));
    for bad in ["999999", "abc", "-1"] {
        for path in [
            format!("{}?layout={bad}", one("overlay")),
            format!("/api/v1/sessions/{session}/certificates.pdf?kind=overlay&layout={bad}"),
        ] {
            let r = get(app, "cs_staff", &path).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {}", r.body);
            assert_eq!(r.json()["errors"][0]["field"], "layout", "{path}");
        }
    }
    // The pages offer the choice once there is more than one layout.
    let mut web = app.direct_web("cs_staff").await;
    let page = app.web_get(&mut web, &format!("/issued-certificates/{id}")).await;
    assert!(page.body.contains("name=\"layout\"") && page.body.contains("窄版空白证书"), "{}", page.body);
    let page = app.web_get(&mut web, &format!("/sessions/{session}")).await;
    assert!(page.body.contains("batch-overlay-layout") && page.body.contains("窄版空白证书"));
    let r = app.web_get(&mut web, &format!("/issued-certificates/{id}/overlay.pdf?layout={narrow_id}")).await;
    assert!(media_box(&r.bytes).contains("566.92"));
    let r = app.web_get(&mut web, &format!("/issued-certificates/{id}/overlay.pdf?layout=abc")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("套打模板"), "{}", r.body);
}

#[tokio::test]
async fn c1_the_province_keeps_layouts_checked_by_field_one_default_and_a_test_print() {
    let World { app, .. } = world().await;
    let app = &app;
    // The migration's layout is the default.
    let r = get(app, "prov", "/api/v1/certificate-layouts").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let seeded = r.json()["layouts"][0].clone();
    assert_eq!((seeded["is_default"].as_bool(), seeded["width_mm"].as_str()), (Some(true), Some("210")));
    let seeded_id = seeded["id"].as_i64().expect("id");
    // Only the province.
    assert_eq!(get(app, "cs_staff", "/api/v1/certificate-layouts").await.status, StatusCode::FORBIDDEN);
    let r = send(app, "cs_staff", Method::POST, "/api/v1/certificate-layouts", &layout_body("x", false)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Every bad field is named; nothing saved.
    let mut bad = layout_body("", false);
    bad["width_mm"] = json!("20");
    bad["placements"][0]["x_mm"] = json!("4O");
    bad["placements"][1]["font_pt"] = json!("72");
    bad["placements"].as_array_mut().expect("placements").retain(|p| p["field"] != "number");
    let r = send(app, "prov", Method::POST, "/api/v1/certificate-layouts", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errors = r.json()["errors"].as_array().expect("errors").clone();
    let field = |f: &str| errors.iter().find(|e| e["field"] == f).map(|e| e["code"].as_str().unwrap_or("").to_owned());
    assert_eq!(field("name").as_deref(), Some("REQUIRED"));
    assert_eq!(field("width_mm").as_deref(), Some("SIZE_RANGE"));
    assert_eq!(field("placements[0].x_mm").as_deref(), Some("LENGTH_FORMAT"));
    assert_eq!(field("placements[1].font_pt").as_deref(), Some("FONT_RANGE"));
    assert_eq!(field("placements").as_deref(), Some("FIELD_MISSING"));
    assert!(r.body.contains("证书编号"), "{}", r.body);
    assert_eq!(audit_count(app, "certificate_layout.saved").await, 0);

    // A new default: the former one stops being it in the same step; the default cannot be dropped.
    let r = send(app, "prov", Method::POST, "/api/v1/certificate-layouts", &layout_body("2027 版", true)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let new_id = r.json()["id"].as_i64().expect("id");
    let r = send(app, "prov", Method::POST, "/api/v1/certificate-layouts", &layout_body("2027 版", false)).await;
    assert_eq!(r.error_code(), "LAYOUT_NAME_TAKEN");
    let list = get(app, "prov", "/api/v1/certificate-layouts").await.json();
    assert_eq!(list["layouts"][0]["id"].as_i64(), Some(new_id));
    assert_eq!(list["layouts"][1]["is_default"].as_bool(), Some(false));
    let mut moved = layout_body("2027 版", false);
    let r = send(app, "prov", Method::PUT, &format!("/api/v1/certificate-layouts/{new_id}"), &moved).await;
    assert_eq!(r.error_code(), "LAYOUT_DEFAULT_REQUIRED", "{}", r.body);
    moved["is_default"] = json!(true);
    moved["placements"][0]["x_mm"] = json!("50.5");
    let r = send(app, "prov", Method::PUT, &format!("/api/v1/certificate-layouts/{new_id}"), &moved).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let l = get(app, "prov", &format!("/api/v1/certificate-layouts/{new_id}")).await.json();
    assert_eq!(l["placements"][0]["x_mm"].as_str(), Some("50.5"));
    assert_eq!(app.store.default_layout().await.expect("default").id, new_id);
    assert_eq!(audit_count(app, "certificate_layout.saved").await, 2);
    assert_eq!(get(app, "prov", "/api/v1/certificate-layouts/999999").await.status, StatusCode::NOT_FOUND);

    // The test print: one page of the blank's size with the sample.
    let r = get(app, "prov", &format!("/api/v1/certificate-layouts/{seeded_id}/test.pdf")).await;
    assert_pdf(&r);
    assert_eq!(pages(&r.bytes), 1);

    // The page form names the field's row.
    let mut web = app.direct_web("prov").await;
    let list = app.web_get(&mut web, "/certificate-layouts").await;
    assert!(list.body.contains("<td>系统</td>") && list.body.contains("<td>测试用户</td>"), "saved by: {}", list.body);
    let r = app.web_get(&mut web, &format!("/certificate-layouts/{new_id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("50.5") && r.body.contains("查询二维码"), "the form shows the layout");
    let r = app
        .web_post(
            &mut web,
            "/certificate-layouts",
            &[
                ("name", "坏模板"),
                ("width_mm", "210"),
                ("height_mm", "148"),
                ("holder_name.x_mm", "300"),
                ("holder_name.y_mm", "10"),
                ("holder_name.font_pt", "12"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("“姓名”超出了证书的范围"), "{}", r.body);
    assert!(r.body.contains("套打模板须放置“证书编号”"), "{}", r.body);
}

#[tokio::test]
async fn c1_a_candidate_sees_their_own_certificates_and_downloads_once_reported() {
    let World { app, .. } = world().await;
    let app = &app;
    for (user, seq) in [("stu_jia", 601), ("stu_other", 777)] {
        let body = json!({ "username": user, "name": "考生甲", "id_number": idn(seq), "phone": "13912345678",
                           "password": "Kaohe#2026", "password_confirm": "Kaohe#2026" });
        let r = app.post_json("/api/v1/candidates/register", None, &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let (_, ids) = issued(app, 2).await;
    let (mine, theirs) = (ids[0], ids[1]);

    let r = get(app, "stu_jia", "/api/v1/my/certificates").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = r.json()["certificates"].as_array().expect("list").clone();
    assert_eq!(list.len(), 1, "only their own: {list:?}");
    assert_eq!(list[0]["certificate"]["id"].as_i64(), Some(mine));
    assert_eq!(list[0]["downloadable"].as_bool(), Some(false));
    assert!(list[0]["note"].as_str().unwrap_or("").contains("尚未上报"));
    let pdf = format!("/api/v1/my/certificates/{mine}/certificate.pdf");
    let r = get(app, "stu_jia", &pdf).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "CERTIFICATE_NOT_REPORTED"), "{}", r.body);
    let mut web = app.direct_web("stu_jia").await;
    let r = app.web_get(&mut web, "/my/certificates").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("证书数据尚未上报省鉴定中心，上报后可下载"), "{}", r.body);
    assert!(!r.body.contains(&format!("/my/certificates/{mine}/certificate.pdf")));

    // Reported by 长沙's city center: the candidate downloads the PDF; the credential is linked.
    let p = app.principal("cs_staff").await;
    let input =
        store::certificates::ReportInput { city: None, certificate_ids: vec![mine, theirs], note: String::new() };
    app.store.report_certificates(&p, &input, &store::Ctx::system()).await.expect("report");
    assert_pdf(&get(app, "stu_jia", &pdf).await);
    let list = get(app, "stu_jia", "/api/v1/my/certificates").await.json();
    assert_eq!(list["certificates"][0]["downloadable"].as_bool(), Some(true));
    assert_eq!(
        list["certificates"][0]["credential"].as_str(),
        Some(format!("/my/certificates/{mine}/credential.json").as_str())
    );
    let r = app.web_get(&mut web, "/my/certificates").await;
    assert!(r.body.contains(&format!("/my/certificates/{mine}/certificate.pdf")), "{}", r.body);
    assert!(r.body.contains(&format!("/my/certificates/{mine}/credential.json")));
    assert_pdf(&app.web_get(&mut web, &format!("/my/certificates/{mine}/certificate.pdf")).await);

    // Another person's certificate is not found, reported or not; another candidate sees none; staff
    // have no 我的证书.
    let r = get(app, "stu_jia", &format!("/api/v1/my/certificates/{theirs}/certificate.pdf")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(get(app, "stu_other", &pdf).await.status, StatusCode::NOT_FOUND);
    let none = get(app, "stu_other", "/api/v1/my/certificates").await.json();
    assert_eq!(none["certificates"].as_array().map(Vec::len), Some(0));
    assert_eq!(get(app, "cs_staff", "/api/v1/my/certificates").await.status, StatusCode::FORBIDDEN);

    // Revoked after reporting: no download.
    app.store.revoke_certificate(&p, mine, "证书信息有误", &store::Ctx::system()).await.expect("revoke");
    assert_eq!(get(app, "stu_jia", &pdf).await.error_code(), "CERTIFICATE_REVOKED");
}
