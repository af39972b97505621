//! The archive of an exam session through HTTP (E7): the station archives the session's materials once
//! the score register is confirmed — paper with its storage place, electronic with its stored file —
//! each kept until a date computed from the FIRST confirmation (paper 3 years, electronic 5); nothing is
//! disposed of before that date (refused, nothing changed); from it the material is on the list of what
//! is due, and its disposal is recorded (who, when, the note, the audit) on the row, which is kept.
//! Each refusal: before the confirmation, a paper without its place, an electronic without its file, no
//! title, no disposal note, the organizer archiving, another station (404).
//!
//! An electronic material carries its uploaded file (multipart, the CSRF token first on the page):
//! checked by its content (PDF, JPG/PNG, .docx/.xlsx, ZIP) and the policy's size, kept with its digest
//! in the same transaction as the audit record, downloaded by whoever sees the session, and deleted
//! with its disposal while the row, its digest and the audit record stay.

use crate::sessions::{exam_day, idn, plan, world};
use domain::exams::{ArchiveMedium, Retention, keep_until};
use http::{Method, StatusCode};
use serde_json::{Value, json};
use store::entity::{exam_archive, exam_register, exam_session};
use store::sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use testkit::{TestApp, WebClient};

fn cookie(c: &WebClient) -> String {
    c.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
}

/// The archive form over the API as `multipart/form-data`: text fields, then the file part `file`.
async fn api_upload(
    app: &TestApp,
    who: &str,
    id: i64,
    fields: &[(&str, &str)],
    name: &str,
    bytes: &[u8],
) -> testkit::Resp {
    let t = app.direct_token(who).await;
    let (ct, body) = testkit::multipart(fields, name, bytes);
    let path = format!("/api/v1/sessions/{id}/archives/upload");
    app.request(Method::POST, &path, &[("authorization", format!("Bearer {t}")), ("content-type", ct)], body.into())
        .await
}

/// The archive form on the page: the CSRF token first, then the fields and the file part.
async fn page_upload(
    app: &TestApp,
    c: &WebClient,
    id: i64,
    fields: &[(&str, &str)],
    name: &str,
    bytes: &[u8],
) -> testkit::Resp {
    let mut all = vec![("csrf", c.csrf.as_str())];
    all.extend_from_slice(fields);
    let (ct, body) = testkit::multipart(&all, name, bytes);
    let path = format!("/sessions/{id}/archives");
    app.request(Method::POST, &path, &[("cookie", cookie(c)), ("content-type", ct)], body.into()).await
}

async fn post(app: &TestApp, who: &str, path: &str, body: &Value) -> testkit::Resp {
    let t = app.direct_token(who).await;
    app.post_json(path, Some(&t), body).await
}

async fn get(app: &TestApp, who: &str, path: &str) -> testkit::Resp {
    let t = app.direct_token(who).await;
    app.get(path, Some(&t)).await
}

async fn audit_count(app: &TestApp, action: &str) -> usize {
    store::entity::audit_log::Entity::find()
        .filter(store::entity::audit_log::Column::Action.eq(action))
        .all(&app.store.db)
        .await
        .expect("audit")
        .len()
}

/// An approved session of the 长沙 station with one candidate scored, its register submitted (not yet
/// confirmed). Answers the session's id.
async fn session_with_submitted_register(app: &TestApp) -> i64 {
    let r = post(app, "cs_st", "/api/v1/sessions", &plan("0001", exam_day())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let r = post(
        app,
        "cs_st",
        &format!("/api/v1/sessions/{id}/candidates"),
        &json!({"name": "王小明", "id_number": idn(1)}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let cid = r.json()["id"].as_i64().expect("cid");
    let act = format!("/api/v1/sessions/{id}/actions");
    assert_eq!(post(app, "cs_st", &act, &json!({"action": "submit"})).await.status, StatusCode::OK);
    assert_eq!(post(app, "cs_staff", &act, &json!({"action": "approve"})).await.status, StatusCode::OK);
    crate::reports::seat_panel(app, id).await;
    exam_session::ActiveModel { id: Set(id), first_day: Set(store::today()), ..Default::default() }
        .update(&app.store.db)
        .await
        .expect("exam today");
    let t = app.direct_token("cs_st").await;
    let r = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/sessions/{id}/scores/{cid}"),
            Some(&t),
            &json!({"theory": "80", "practical": "90"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    crate::reports::file_all(app, id).await;
    let reg = format!("/api/v1/sessions/{id}/register");
    let r = post(app, "cs_st", &reg, &json!({"action": "submit", "reason": ""})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    id
}

async fn confirm(app: &TestApp, id: i64) {
    let reg = format!("/api/v1/sessions/{id}/register");
    let r = post(app, "cs_staff", &reg, &json!({"action": "confirm", "reason": ""})).await;
    assert_eq!((r.status, r.json()["status"].as_str()), (StatusCode::OK, Some("confirmed")), "{}", r.body);
}

/// A paper material of `session_id` kept until far ahead, straight in the table (the authorization
/// matrix's fixture).
pub async fn archived_row(app: &TestApp, session_id: i64) -> i64 {
    exam_archive::ActiveModel {
        session_id: Set(session_id),
        title: Set("考生花名册".into()),
        medium: Set(ArchiveMedium::Paper),
        location: Set("考核站档案室".into()),
        file_ref: Set(String::new()),
        keep_until: Set(store::today() + time::Duration::days(1000)),
        archived_by: Set("system".into()),
        archived_at: Set(store::now()),
        disposed_at: Set(None),
        disposed_by: Set(None),
        disposal_note: Set(String::new()),
        ..Default::default()
    }
    .insert(&app.store.db)
    .await
    .expect("archived row")
    .id
}

fn paper(title: &str, location: &str) -> Value {
    json!({"title": title, "medium": "paper", "location": location})
}

#[tokio::test]
async fn e7_materials_archived_after_confirmation_kept_three_or_five_years_and_disposed_of_on_record() {
    let w = world().await;
    let app = &w.app;
    let id = session_with_submitted_register(app).await;
    let path = format!("/api/v1/sessions/{id}/archives");

    // Before the register is confirmed: refused, nothing archived.
    let r = post(app, "cs_st", &path, &paper("考生花名册", "考核站档案室 2 号柜")).await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::CONFLICT, "ARCHIVE_BEFORE_CONFIRMATION"),
        "{}",
        r.body
    );
    assert!(r.body.contains("审核确认"), "{}", r.body);
    confirm(app, id).await;

    // A correction adds a later confirmed version (here a year on): the retention still counts from the
    // first.
    let first = exam_register::Entity::find()
        .filter(exam_register::Column::SessionId.eq(id))
        .order_by_asc(exam_register::Column::Version)
        .one(&app.store.db)
        .await
        .expect("read")
        .expect("register");
    let decided = first.decided_at.expect("decided");
    let confirmed_on = decided.to_offset(time::macros::offset!(+8)).date();
    exam_register::ActiveModel {
        id: store::sea_orm::NotSet,
        version: Set(2),
        correction_reason: Set("更正笔误".into()),
        decided_at: Set(Some(decided + time::Duration::days(400))),
        ..first.clone().into()
    }
    .insert(&app.store.db)
    .await
    .expect("a later confirmed version");

    // Each refusal of the input: no title, a paper without its place, an electronic without its file.
    let r = post(app, "cs_st", &path, &paper(" ", "档案室")).await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "ARCHIVE_TITLE_REQUIRED"),
        "{}",
        r.body
    );
    let r = post(app, "cs_st", &path, &paper("考生花名册", "")).await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "ARCHIVE_LOCATION_REQUIRED"),
        "{}",
        r.body
    );
    let r = post(app, "cs_st", &path, &json!({"title": "成绩登分册", "medium": "electronic"})).await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "ARCHIVE_FILE_REQUIRED"),
        "{}",
        r.body
    );
    // Only the station archives; another station does not find the session.
    assert_eq!(post(app, "cs_staff", &path, &paper("考生花名册", "档案室")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(post(app, "zz_st", &path, &paper("考生花名册", "档案室")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(app, "zz_st", &path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(audit_count(app, "exam_session.material_archived").await, 0);

    // Paper 3 years, electronic 5, from the first confirmation; the date is computed, never typed.
    let r = post(
        app,
        "cs_st",
        &path,
        &json!({"title": "考生花名册", "medium": "paper", "location": "考核站档案室 2 号柜",
                                              "keep_until": "2000-01-01"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let paper_id = r.json()["id"].as_i64().expect("id");
    let r = api_upload(
        app,
        "cs_st",
        id,
        &[("title", "成绩登分册"), ("medium", "electronic")],
        "成绩登分册.pdf",
        testkit::PDF,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let electronic_id = r.json()["id"].as_i64().expect("id");
    let r = get(app, "cs_staff", &path).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let a = r.json();
    let items = a["items"].as_array().expect("items");
    let paper_until = keep_until(confirmed_on, ArchiveMedium::Paper, Retention::default());
    let electronic_until = keep_until(confirmed_on, ArchiveMedium::Electronic, Retention::default());
    assert_eq!(paper_until.year(), confirmed_on.year() + 3);
    assert_eq!(electronic_until.year(), confirmed_on.year() + 5);
    assert_eq!(a["confirmed_on"].as_str(), Some(confirmed_on.to_string().as_str()), "{a}");
    assert_eq!(items[0]["keep_until"].as_str(), Some(paper_until.to_string().as_str()), "{a}");
    assert_eq!(items[1]["keep_until"].as_str(), Some(electronic_until.to_string().as_str()), "{a}");
    assert_eq!(
        (items[0]["location"].as_str(), items[1]["file_ref"].as_str()),
        (Some("考核站档案室 2 号柜"), Some("成绩登分册.pdf"))
    );
    assert_eq!(audit_count(app, "exam_session.material_archived").await, 2);

    // Before the date: refused with the date named, nothing changed, not on the list of what is due.
    let dispose = |aid: i64| format!("/api/v1/archives/{aid}/dispose");
    let note = json!({"note": "经站长批准，碎纸机销毁，监销人张三"});
    let r = post(app, "cs_st", &dispose(paper_id), &note).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "ARCHIVE_NOT_DUE"), "{}", r.body);
    assert!(r.body.contains(&paper_until.to_string()), "{}", r.body);
    let row = exam_archive::Entity::find_by_id(paper_id).one(&app.store.db).await.expect("read").expect("row");
    assert!(row.disposed_at.is_none() && row.disposed_by.is_none() && row.disposal_note.is_empty());
    assert_eq!(audit_count(app, "exam_session.material_disposed").await, 0);
    let due = get(app, "cs_st", "/api/v1/archives/due").await.json();
    assert_eq!(due["total"], 0, "{due}");

    // The date comes (the rows set back): both are due, for the station and the organizer, not for
    // another station.
    for aid in [paper_id, electronic_id] {
        exam_archive::ActiveModel { id: Set(aid), keep_until: Set(store::today()), ..Default::default() }
            .update(&app.store.db)
            .await
            .expect("due today");
    }
    let due = get(app, "cs_staff", "/api/v1/archives/due").await.json();
    assert_eq!(due["total"], 2, "{due}");
    assert_eq!(due["items"][0]["station_name"], "长沙甲考核站", "{due}");
    // Searched by a part of the name and by medium; a medium not in the list is named.
    let due = get(app, "cs_staff", "/api/v1/archives/due?medium=paper").await.json();
    assert_eq!((due["total"].as_u64(), due["items"][0]["archive"]["id"].as_i64()), (Some(1), Some(paper_id)), "{due}");
    let due = get(app, "cs_staff", "/api/v1/archives/due?q=%E7%99%BB%E5%88%86").await.json();
    assert_eq!(
        (due["total"].as_u64(), due["items"][0]["archive"]["id"].as_i64()),
        (Some(1), Some(electronic_id)),
        "{due}"
    );
    assert_eq!(get(app, "cs_staff", "/api/v1/archives/due?q=%E6%97%A0%E6%AD%A4").await.json()["total"], 0);
    let r = get(app, "cs_staff", "/api/v1/archives/due?medium=cloud").await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "FILTER_INVALID"), "{}", r.body);
    assert!(r.body.contains("载体"), "{}", r.body);
    assert_eq!(get(app, "zz_st", "/api/v1/archives/due").await.json()["total"], 0);
    assert_eq!(post(app, "zz_st", &dispose(paper_id), &note).await.status, StatusCode::NOT_FOUND);
    let r = post(app, "cs_st", &dispose(paper_id), &json!({"note": "  "})).await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "ARCHIVE_NOTE_REQUIRED"),
        "{}",
        r.body
    );

    // The disposal is recorded on the row (kept), with its audit; it leaves the list of what is due.
    let r = post(app, "cs_st", &dispose(paper_id), &note).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let row = exam_archive::Entity::find_by_id(paper_id).one(&app.store.db).await.expect("read").expect("row kept");
    assert_eq!(
        (row.disposed_by.as_deref(), row.disposal_note.as_str()),
        (Some("cs_st"), "经站长批准，碎纸机销毁，监销人张三")
    );
    assert!(row.disposed_at.is_some());
    assert_eq!(audit_count(app, "exam_session.material_disposed").await, 1);
    let r = post(app, "cs_staff", &dispose(paper_id), &note).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "ARCHIVE_DISPOSED"), "{}", r.body);
    let due = get(app, "cs_staff", "/api/v1/archives/due").await.json();
    assert_eq!(due["total"], 1, "{due}");
    assert_eq!(due["items"][0]["archive"]["id"].as_i64(), Some(electronic_id), "{due}");
    // The organizer may dispose too.
    assert_eq!(post(app, "cs_staff", &dispose(electronic_id), &note).await.status, StatusCode::NO_CONTENT);
    assert_eq!(get(app, "cs_staff", "/api/v1/archives/due").await.json()["total"], 0);
    let a = get(app, "cs_st", &path).await.json();
    assert_eq!(a["items"].as_array().map(Vec::len), Some(2), "both rows kept: {a}");
}

#[tokio::test]
async fn e7_the_pages_archive_list_the_due_and_dispose_behind_a_confirmation() {
    let w = world().await;
    let app = &w.app;
    let id = session_with_submitted_register(app).await;
    let mut st = app.direct_web("cs_st").await;

    // Before the confirmation the session's page says when materials are archived; the form refuses.
    let r = app.web_get(&mut st, &format!("/sessions/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("考核材料归档") && !r.body.contains("归档材料</a>"), "{}", r.body);
    let r = app.web_get(&mut st, &format!("/sessions/{id}/archives/new")).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = page_upload(app, &st, id, &[("title", "考生花名册"), ("medium", "paper"), ("location", "档案室")], "", b"")
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("审核确认后"), "{}", r.body);

    confirm(app, id).await;
    let r = app.web_get(&mut st, &format!("/sessions/{id}")).await;
    assert!(r.body.contains(&format!("/sessions/{id}/archives/new")), "{}", r.body);
    let r = app.web_get(&mut st, &format!("/sessions/{id}/archives/new")).await;
    assert!(r.body.contains("multipart/form-data") && r.body.contains("20480 KB"), "{}", r.body);
    let r = page_upload(app, &st, id, &[("title", "考生花名册"), ("medium", "paper")], "", b"").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("纸质材料须填写存放地点"), "{}", r.body);
    let r = page_upload(
        app,
        &st,
        id,
        &[("title", "考生花名册"), ("medium", "paper"), ("location", "档案室 2 号柜")],
        "",
        b"",
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.web_get(&mut st, &format!("/sessions/{id}")).await;
    assert!(r.body.contains("档案室 2 号柜") && r.body.contains("保存中"), "{}", r.body);

    // Due: on the list (menu entry included), the disposal form asks for a confirmation.
    let aid = exam_archive::Entity::find().one(&app.store.db).await.expect("read").expect("row").id;
    exam_archive::ActiveModel { id: Set(aid), keep_until: Set(store::today()), ..Default::default() }
        .update(&app.store.db)
        .await
        .expect("due");
    let r = app.web_get(&mut st, "/archives/due").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("待销毁材料") && r.body.contains(&format!("/archives/{aid}/dispose")), "{}", r.body);
    let r = app.web_get(&mut st, &format!("/archives/{aid}/dispose")).await;
    assert!(r.body.contains("data-confirm"), "{}", r.body);
    // The province is not this session's organizer (E1): it sees the material, not the form.
    let mut prov = app.direct_web("prov").await;
    let r = app.web_get(&mut prov, &format!("/archives/{aid}/dispose")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("销毁由考核站或组织考核的鉴定中心登记") && !r.body.contains("data-confirm"), "{}", r.body);
    let r = app.web_post(&mut st, &format!("/archives/{aid}/dispose"), &[("note", "碎纸机销毁，监销人张三")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.web_get(&mut st, &format!("/sessions/{id}")).await;
    assert!(r.body.contains("已销毁") && r.body.contains("碎纸机销毁，监销人张三"), "{}", r.body);
    let r = app.web_get(&mut st, "/archives/due").await;
    assert!(r.body.contains("暂无保存期满待销毁的材料"), "{}", r.body);
}

/// A zip container as an .xlsx starts (`PK\x03\x04`).
const XLSX: &[u8] = b"PK\x03\x04\x14\x00\x06\x00 xl/workbook.xml";

#[tokio::test]
async fn e7_an_electronic_material_carries_its_uploaded_file_checked_kept_with_its_digest_and_deleted_on_disposal() {
    let w = world().await;
    let app = &w.app;
    let id = session_with_submitted_register(app).await;
    confirm(app, id).await;
    let electronic = [("title", "成绩登分册（电子版）"), ("medium", "electronic")];

    // Refusals, each naming the field 「电子文件」, nothing kept: no file, an empty file, a type that is
    // not accepted by its content (whatever its name says), a file over the policy's size; a missing
    // title comes with the file's error at once; JSON cannot carry the file.
    let r = api_upload(app, "cs_st", id, &electronic, "", b"").await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "ARCHIVE_FILE_REQUIRED"),
        "{}",
        r.body
    );
    assert_eq!(r.json()["errors"][0]["field"], "file");
    assert!(r.body.contains("电子文件"), "{}", r.body);
    let r = api_upload(app, "cs_st", id, &electronic, "空.pdf", b"").await;
    assert!(r.body.contains("为空（0 字节）"), "{}", r.body);
    let r = api_upload(app, "cs_st", id, &electronic, "登分册.pdf", b"MZ\x90\x00 an executable").await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "ARCHIVE_FILE_TYPE"),
        "{}",
        r.body
    );
    assert!(r.body.contains("「电子文件」只接受 PDF"), "{}", r.body);
    let mut big = testkit::PDF.to_vec();
    big.resize(20480 * 1024 + 1, b' ');
    let r = api_upload(app, "cs_st", id, &electronic, "big.pdf", &big).await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "ARCHIVE_FILE_TOO_LARGE"),
        "{}",
        r.body
    );
    assert!(r.body.contains("「电子文件」不能超过 20480 KB"), "{}", r.body);
    let r = api_upload(app, "cs_st", id, &[("title", " "), ("medium", "electronic")], "", b"").await;
    let codes: Vec<String> = r.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["code"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(codes, ["ARCHIVE_TITLE_REQUIRED", "ARCHIVE_FILE_REQUIRED"], "{}", r.body);
    let r = post(
        app,
        "cs_st",
        &format!("/api/v1/sessions/{id}/archives"),
        &json!({"title": "成绩登分册", "medium": "electronic"}),
    )
    .await;
    assert_eq!(r.error_code(), "ARCHIVE_FILE_REQUIRED", "{}", r.body);
    // Only the station uploads; another station does not find the session.
    assert_eq!(api_upload(app, "cs_staff", id, &electronic, "a.pdf", testkit::PDF).await.status, StatusCode::FORBIDDEN);
    assert_eq!(api_upload(app, "zz_st", id, &electronic, "a.pdf", testkit::PDF).await.status, StatusCode::NOT_FOUND);
    assert_eq!(audit_count(app, "exam_session.material_archived").await, 0);
    assert_eq!(exam_archive::Entity::find().all(&app.store.db).await.expect("read").len(), 0);

    // A PDF over the API and an .xlsx on the page (multipart, the CSRF token first): each kept with
    // its sniffed type, size and digest, in the same step as its audit record.
    let r = api_upload(app, "cs_st", id, &electronic, "成绩登分册.pdf", testkit::PDF).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let pdf_id = r.json()["id"].as_i64().expect("id");
    let mut st = app.direct_web("cs_st").await;
    app.web_get(&mut st, &format!("/sessions/{id}/archives/new")).await;
    let r = page_upload(
        app,
        &st,
        id,
        &[("title", "考生签到表（扫描汇总）"), ("medium", "electronic")],
        "签到表.xlsx",
        XLSX,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = page_upload(
        app,
        &st,
        id,
        &[("title", "考场照片"), ("medium", "electronic")],
        "照片.exe",
        b"GIF89a not accepted",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("「电子文件」只接受 PDF") && r.body.contains("考场照片"),
        "the form comes back with what was typed: {}",
        r.body
    );
    let row = exam_archive::Entity::find_by_id(pdf_id).one(&app.store.db).await.expect("read").expect("row");
    let digest = row.file_digest.clone().expect("digest");
    assert!(digest.starts_with("sm3:") || digest.starts_with("sha256:"), "{digest}");
    assert_eq!(
        (row.file_type.as_deref(), row.file_size, row.file_ref.as_str()),
        (Some("application/pdf"), Some(testkit::PDF.len() as i64), "成绩登分册.pdf")
    );
    let key = row.file_key.clone().expect("key");
    assert!(key.starts_with(&format!("sessions/{id}/archives/")), "{key}");
    assert_eq!(audit_count(app, "exam_session.material_archived").await, 2);
    let audit = store::entity::audit_log::Entity::find()
        .filter(store::entity::audit_log::Column::Action.eq("exam_session.material_archived"))
        .order_by_asc(store::entity::audit_log::Column::Seq)
        .one(&app.store.db)
        .await
        .expect("audit")
        .expect("record");
    assert!(audit.detail.contains(&digest), "the audit record names the file's digest: {}", audit.detail);
    let xlsx = exam_archive::Entity::find()
        .filter(exam_archive::Column::Title.eq("考生签到表（扫描汇总）"))
        .one(&app.store.db)
        .await
        .expect("read")
        .expect("row");
    assert_eq!((xlsx.file_type.as_deref(), xlsx.file_ref.as_str()), (Some("application/zip"), "签到表.xlsx"));

    // Downloads: whoever sees the session (the station, the organizer), on the page and over the API;
    // another station does not find it; the session's page links it.
    let r = get(app, "cs_staff", &format!("/api/v1/archives/{pdf_id}/file")).await;
    assert_eq!((r.status, r.bytes.as_slice()), (StatusCode::OK, testkit::PDF), "{}", r.body);
    assert_eq!(r.headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/pdf"));
    assert_eq!(get(app, "zz_st", &format!("/api/v1/archives/{pdf_id}/file")).await.status, StatusCode::NOT_FOUND);
    let r = app.web_get(&mut st, &format!("/archives/{pdf_id}/file")).await;
    assert_eq!((r.status, r.bytes.as_slice()), (StatusCode::OK, testkit::PDF));
    let r = app.web_get(&mut st, &format!("/sessions/{id}")).await;
    assert!(r.body.contains(&format!("/archives/{pdf_id}/file")) && r.body.contains("成绩登分册.pdf"), "{}", r.body);
    let a = get(app, "cs_st", &format!("/api/v1/sessions/{id}/archives")).await.json();
    assert_eq!(
        (a["items"][0]["has_file"].as_bool(), a["items"][0]["file_digest"].as_str()),
        (Some(true), Some(digest.as_str())),
        "{a}"
    );

    // Disposal (due): recorded, the object deleted, the row with name and digest and the audit kept;
    // the file is no longer served.
    exam_archive::ActiveModel { id: Set(pdf_id), keep_until: Set(store::today()), ..Default::default() }
        .update(&app.store.db)
        .await
        .expect("due");
    let r = app.web_get(&mut st, &format!("/archives/{pdf_id}/dispose")).await;
    assert!(r.body.contains("电子文件将随之删除"), "{}", r.body);
    let r =
        post(app, "cs_st", &format!("/api/v1/archives/{pdf_id}/dispose"), &json!({"note": "保存期满，经站长批准删除"}))
            .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    use store::object_store::ObjectStoreExt;
    assert!(
        app.store.files.get(&store::object_store::path::Path::from(key.as_str())).await.is_err(),
        "the object is deleted"
    );
    let row = exam_archive::Entity::find_by_id(pdf_id).one(&app.store.db).await.expect("read").expect("row kept");
    assert_eq!((row.file_digest.as_deref(), row.file_ref.as_str()), (Some(digest.as_str()), "成绩登分册.pdf"));
    let disposed = store::entity::audit_log::Entity::find()
        .filter(store::entity::audit_log::Column::Action.eq("exam_session.material_disposed"))
        .one(&app.store.db)
        .await
        .expect("audit")
        .expect("record");
    assert!(disposed.detail.contains(&digest) && disposed.detail.contains("deleted"), "{}", disposed.detail);
    let r = get(app, "cs_staff", &format!("/api/v1/archives/{pdf_id}/file")).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "ARCHIVE_FILE_DISPOSED"), "{}", r.body);
    let r = app.web_get(&mut st, &format!("/sessions/{id}")).await;
    assert!(r.body.contains("文件已随销毁删除") && !r.body.contains(&format!("/archives/{pdf_id}/file")), "{}", r.body);
    // The other file is untouched.
    assert_eq!(get(app, "cs_st", &format!("/api/v1/archives/{}/file", xlsx.id)).await.status, StatusCode::OK);
}
