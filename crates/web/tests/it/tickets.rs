//! Admission tickets (准考证, issue 12 part 2; E3's candidates) through HTTP: the organizer's approval
//! numbers every roster candidate from the policy's template with a gap-free serial; the candidate
//! prints their own ticket (QR code to the public verification page) once the plan is approved and the
//! application confirmed; the station prints the batch and the sign-in sheet; anyone verifies a ticket
//! by its token and every unknown token gets the same answer; photos are JPG or PNG only. Each refusal:
//! before approval, an unconfirmed application, another candidate's ticket, another station's session.

use crate::sessions::{World, exam_day, idn, plan, world};
use http::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::{TestApp, WebClient};

async fn register(app: &TestApp, username: &str, seq: u32) {
    let body = json!({ "username": username, "name": if seq == 51 { "赵敏" } else { "钱多" }, "id_number": idn(seq),
                       "phone": "13912345678", "password": "Kaohe#2026", "password_confirm": "Kaohe#2026" });
    let r = app.post_json("/api/v1/candidates/register", None, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

/// A draft session of 米粉制作 (code 0001) by the 长沙 station, open to applications.
async fn open_session(w: &World) -> i64 {
    let t = w.app.direct_token("cs_st").await;
    let r = w.app.post_json("/api/v1/sessions", Some(&t), &plan("0001", exam_day())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let r = w
        .app
        .send_json(Method::PUT, &format!("/api/v1/sessions/{id}/applications-open"), Some(&t), &json!({"open": true}))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    id
}

async fn add_candidate(w: &World, id: i64, name: &str, seq: u32) {
    let t = w.app.direct_token("cs_st").await;
    let body = json!({ "name": name, "id_number": idn(seq), "phone": "13800000000" });
    let r = w.app.post_json(&format!("/api/v1/sessions/{id}/candidates"), Some(&t), &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

async fn apply(app: &TestApp, who: &str, session_id: i64) -> i64 {
    let t = app.direct_token(who).await;
    let r = app.post_json("/api/v1/my/applications", Some(&t), &json!({ "session_id": session_id })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().expect("id")
}

async fn confirm(app: &TestApp, session_id: i64, aid: i64) {
    let t = app.direct_token("cs_st").await;
    let path = format!("/api/v1/sessions/{session_id}/applications/{aid}/decision");
    let r = app.post_json(&path, Some(&t), &json!({ "action": "confirm" })).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
}

async fn act(app: &TestApp, who: &str, id: i64, action: &str) {
    let t = app.direct_token(who).await;
    let r = app.post_json(&format!("/api/v1/sessions/{id}/actions"), Some(&t), &json!({ "action": action })).await;
    assert_eq!(r.status, StatusCode::OK, "{action}: {}", r.body);
}

async fn my_ticket(app: &TestApp, who: &str, aid: i64) -> testkit::Resp {
    let t = app.direct_token(who).await;
    app.get(&format!("/api/v1/my/tickets/{aid}"), Some(&t)).await
}

/// The number the default template `ZK{city2}{yy}{project4}{serial4}` gives a 长沙 (01) session of
/// project 0001 in the exam's year.
fn number(serial: u32) -> String {
    format!("ZK01{:02}0001{serial:04}", exam_day().year() % 100)
}

fn cookie(c: &WebClient) -> String {
    c.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
}

async fn upload(app: &TestApp, c: &WebClient, path: &str, name: &str, bytes: &[u8]) -> testkit::Resp {
    let (ct, body) = testkit::multipart(&[("csrf", &c.csrf)], name, bytes);
    app.request(Method::POST, path, &[("cookie", cookie(c)), ("content-type", ct)], body.into()).await
}

async fn api_upload(app: &TestApp, token: &str, path: &str, name: &str, bytes: &[u8]) -> testkit::Resp {
    let (ct, body) = testkit::multipart(&[], name, bytes);
    app.request(Method::POST, path, &[("authorization", format!("Bearer {token}")), ("content-type", ct)], body.into())
        .await
}

const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R'];

/// The session of the walk: a candidate the station typed in, `cand1` confirmed, `cand2` left applied.
struct Walk {
    w: World,
    id: i64,
    a1: i64,
    a2: i64,
}

async fn walk() -> Walk {
    let w = world().await;
    register(&w.app, "cand1", 51).await;
    register(&w.app, "cand2", 52).await;
    let id = open_session(&w).await;
    add_candidate(&w, id, "张三", 50).await;
    let a1 = apply(&w.app, "cand1", id).await;
    let a2 = apply(&w.app, "cand2", id).await;
    confirm(&w.app, id, a1).await;
    Walk { w, id, a1, a2 }
}

#[tokio::test]
async fn issue12_e3_the_ticket_is_refused_before_approval_and_for_an_unconfirmed_candidate() {
    let Walk { w, id, a1, a2 } = walk().await;
    let app = &w.app;
    // Confirmed, but the plan is not approved yet.
    let r = my_ticket(app, "cand1", a1).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "TICKET_NOT_READY"), "{}", r.body);
    assert!(r.body.contains("尚未批准"), "{}", r.body);
    let st = app.direct_token("cs_st").await;
    let r = app.get(&format!("/api/v1/sessions/{id}/tickets"), Some(&st)).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "TICKET_NOT_READY"));
    let mut c1 = app.direct_web("cand1").await;
    let page = app.web_get(&mut c1, "/my/exams").await;
    assert!(
        page.body.contains("考核计划批准后可打印准考证") && !page.body.contains("href=\"/my/tickets/"),
        "{}",
        page.body
    );

    act(app, "cs_st", id, "submit").await;
    act(app, "cs_staff", id, "approve").await;

    // Approved, but cand2's application was never confirmed.
    let r = my_ticket(app, "cand2", a2).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "TICKET_NOT_READY"), "{}", r.body);
    assert!(r.body.contains("尚未经考核站确认"), "{}", r.body);
    // Another candidate's ticket is not found, on the API and the page alike.
    assert_eq!(my_ticket(app, "cand2", a1).await.status, StatusCode::NOT_FOUND);
    let mut c2 = app.direct_web("cand2").await;
    assert_eq!(app.web_get(&mut c2, &format!("/my/tickets/{a1}")).await.status, StatusCode::NOT_FOUND);
    // Staff have no "own" ticket; another station does not see the session's tickets.
    assert_eq!(app.get(&format!("/api/v1/my/tickets/{a1}"), Some(&st)).await.status, StatusCode::FORBIDDEN);
    let zz = app.direct_token("zz_st").await;
    assert_eq!(app.get(&format!("/api/v1/sessions/{id}/tickets"), Some(&zz)).await.status, StatusCode::NOT_FOUND);
    let t2 = app.direct_token("cand2").await;
    assert_eq!(app.get(&format!("/api/v1/sessions/{id}/tickets"), Some(&t2)).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn issue12_e3_approval_numbers_every_candidate_by_the_template_without_gaps_and_the_ticket_prints() {
    let Walk { w, id, a1, .. } = walk().await;
    let app = &w.app;
    act(app, "cs_st", id, "submit").await;
    act(app, "cs_staff", id, "approve").await;

    // Roster order: the typed-in candidate first, then cand1; serials 1 and 2 of 长沙's year.
    let st = app.direct_token("cs_st").await;
    let all = app.get(&format!("/api/v1/sessions/{id}/tickets"), Some(&st)).await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    let numbers: Vec<String> = all.json()["tickets"]
        .as_array()
        .expect("tickets")
        .iter()
        .map(|t| t["ticket_number"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(numbers, vec![number(1), number(2)]);
    // The organizer sees them too.
    let cs = app.direct_token("cs_staff").await;
    assert_eq!(app.get(&format!("/api/v1/sessions/{id}/tickets"), Some(&cs)).await.status, StatusCode::OK);

    let mine = my_ticket(app, "cand1", a1).await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    let t: Value = mine.json();
    assert_eq!(t["ticket_number"], number(2));
    assert_eq!((t["name"].as_str(), t["project_code"].as_str()), (Some("赵敏"), Some("0001")));
    assert_eq!(t["first_day"], exam_day().to_string());
    assert!(!mine.body.contains(&idn(51)), "the ID number is masked: {}", mine.body);
    assert!(t["id_number_masked"].as_str().unwrap_or("").contains('*'));

    // The next approved session of the same city and year goes on from 3.
    let id2 = open_session(&w).await;
    add_candidate(&w, id2, "李四", 53).await;
    act(app, "cs_st", id2, "submit").await;
    act(app, "cs_staff", id2, "approve").await;
    let next = app.get(&format!("/api/v1/sessions/{id2}/tickets"), Some(&st)).await.json();
    assert_eq!(next["tickets"][0]["ticket_number"], number(3), "{next}");

    // The printed ticket: A4 with the number, the masked ID, the rules and an inline QR code.
    let mut c1 = app.direct_web("cand1").await;
    let home = app.web_get(&mut c1, "/my/exams").await;
    assert!(home.body.contains(&format!("href=\"/my/tickets/{a1}\"")), "{}", home.body);
    let page = app.web_get(&mut c1, &format!("/my/tickets/{a1}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for part in [number(2).as_str(), "考生须知", "<svg", "赵敏", "米粉制作", t["verify_path"].as_str().unwrap_or("?")]
    {
        assert!(page.body.contains(part), "{part} missing: {}", page.body);
    }
    assert!(!page.body.contains(&idn(51)));

    // The station's batch and sign-in sheet.
    let mut sc = app.direct_web("cs_st").await;
    let show = app.web_get(&mut sc, &format!("/sessions/{id}")).await;
    assert!(show.body.contains(&format!("/sessions/{id}/sign-in-sheet")) && show.body.contains(&number(1)));
    let batch = app.web_get(&mut sc, &format!("/sessions/{id}/tickets")).await;
    assert_eq!(batch.status, StatusCode::OK);
    assert_eq!(batch.body.matches("ticket-sheet").count(), 2, "one sheet per ticket");
    let sheet = app.web_get(&mut sc, &format!("/sessions/{id}/sign-in-sheet")).await;
    assert_eq!(sheet.status, StatusCode::OK);
    for part in [number(1).as_str(), number(2).as_str(), "考生签名", "张三", "赵敏"] {
        assert!(sheet.body.contains(part), "{part} missing: {}", sheet.body);
    }
    let mut zc = app.direct_web("zz_st").await;
    assert_eq!(app.web_get(&mut zc, &format!("/sessions/{id}/sign-in-sheet")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn issue12_the_verification_page_shows_the_tickets_fields_and_the_same_answer_for_every_unknown_token() {
    let Walk { w, id, a1, .. } = walk().await;
    let app = &w.app;
    act(app, "cs_st", id, "submit").await;
    act(app, "cs_staff", id, "approve").await;
    let t = my_ticket(app, "cand1", a1).await.json();
    let path = t["verify_path"].as_str().expect("path").to_owned();
    let token = path.trim_start_matches("/tickets/").to_owned();
    assert_eq!(token.len(), 22, "128 bits in base64url");

    let page = app.get(&path, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for part in [
        "准考证核验",
        number(2).as_str(),
        "赵敏",
        "米粉制作",
        "麓谷大道",
        t["id_number_masked"].as_str().unwrap_or("?"),
    ] {
        assert!(page.body.contains(part), "{part} missing: {}", page.body);
    }
    assert!(!page.body.contains(&idn(51)) && !page.body.contains("13912345678"), "no personal data beyond the ticket");
    let api = app.get(&format!("/api/v1/tickets/{token}"), None).await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(api.json()["ticket_number"], number(2));

    // Unknown, malformed and near-miss tokens: one and the same answer.
    let mut flipped = token.clone().into_bytes();
    flipped[0] = if flipped[0] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).expect("ascii");
    let answers: Vec<(StatusCode, String)> = {
        let mut v = Vec::new();
        for bad in [flipped.as_str(), "AAAAAAAAAAAAAAAAAAAAAA", "x", "not-a-token-at-all-0123456789"] {
            let r = app.get(&format!("/tickets/{bad}"), None).await;
            v.push((r.status, r.body));
            let r = app.get(&format!("/api/v1/tickets/{bad}"), None).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND);
        }
        v
    };
    assert!(answers.iter().all(|a| a == &answers[0]), "every unknown token answers alike");
    assert_eq!(answers[0].0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn issue12_a_photo_must_be_jpg_or_png_within_the_policys_size_and_prints_on_the_ticket() {
    let Walk { w, id, a1, a2 } = walk().await;
    let app = &w.app;
    let mut c1 = app.direct_web("cand1").await;
    app.web_get(&mut c1, "/my/exams").await;
    // A PDF (or anything else) is refused, naming the photo; nothing is kept.
    let r = upload(app, &c1, &format!("/my/tickets/{a1}/photo"), "photo.pdf", b"%PDF-1.4 not a photo").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let home = app.web_get(&mut c1, "/my/exams").await;
    assert!(home.body.contains("照片须为 JPG 或 PNG 图片"), "{}", home.body);
    let t1 = app.direct_token("cand1").await;
    let r = api_upload(app, &t1, &format!("/api/v1/my/tickets/{a1}/photo"), "p.gif", b"GIF89a....").await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "PHOTO_TYPE"), "{}", r.body);
    assert_eq!(r.json()["errors"][0]["field"], "photo");
    let mut big = PNG.to_vec();
    big.resize(2048 * 1024 + 1, 0);
    let r = api_upload(app, &t1, &format!("/api/v1/my/tickets/{a1}/photo"), "big.png", &big).await;
    assert_eq!(r.error_code(), "PHOTO_TOO_LARGE", "{}", r.body);
    assert_eq!(app.get(&format!("/my/tickets/{a1}/photo"), None).await.status, StatusCode::SEE_OTHER);
    // Not before the station confirmed; never for another's application.
    let t2 = app.direct_token("cand2").await;
    let r = api_upload(app, &t2, &format!("/api/v1/my/tickets/{a2}/photo"), "p.png", PNG).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "TICKET_NOT_READY"));
    let r = api_upload(app, &t2, &format!("/api/v1/my/tickets/{a1}/photo"), "p.png", PNG).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // A PNG is kept and printed on the ticket.
    let r = upload(app, &c1, &format!("/my/tickets/{a1}/photo"), "me.png", PNG).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let img = app.web_get(&mut c1, &format!("/my/tickets/{a1}/photo")).await;
    assert_eq!(img.status, StatusCode::OK);
    assert_eq!(img.headers.get("content-type").and_then(|v| v.to_str().ok()), Some("image/png"));
    assert_eq!(img.bytes, PNG);

    // The station uploads one per roster row; another station finds nothing, a candidate may not.
    let st = app.direct_token("cs_st").await;
    let roster = app.get(&format!("/api/v1/sessions/{id}"), Some(&st)).await.json();
    let cid = roster["candidates"][0]["id"].as_i64().expect("cid");
    let path = format!("/api/v1/sessions/{id}/candidates/{cid}/photo");
    assert_eq!(api_upload(app, &st, &path, "z.png", PNG).await.status, StatusCode::NO_CONTENT);
    let zz = app.direct_token("zz_st").await;
    assert_eq!(api_upload(app, &zz, &path, "z.png", PNG).await.status, StatusCode::NOT_FOUND);
    assert_eq!(api_upload(app, &t1, &path, "z.png", PNG).await.status, StatusCode::FORBIDDEN);

    act(app, "cs_st", id, "submit").await;
    act(app, "cs_staff", id, "approve").await;
    let page = app.web_get(&mut c1, &format!("/my/tickets/{a1}")).await;
    assert!(page.body.contains(&format!("src=\"/my/tickets/{a1}/photo\"")), "{}", page.body);
    let mut sc = app.direct_web("cs_st").await;
    let batch = app.web_get(&mut sc, &format!("/sessions/{id}/tickets")).await;
    assert!(batch.body.contains(&format!("/sessions/{id}/candidates/{cid}/photo")), "{}", batch.body);
    assert_eq!(app.web_get(&mut sc, &format!("/sessions/{id}/candidates/{cid}/photo")).await.bytes, PNG);
}
