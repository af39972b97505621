//! E5, E6 on the staff's pages: the station downloads the import template (its candidates with full ID
//! numbers), an import with bad rows names each row and saves nothing, the corrected one imports; the
//! page lists the missing gates instead of a submit button until both reports are in; the organizer
//! refuses a return without a reason, confirms, exports (ID numbers masked), prints the register with
//! both reports, and corrects a score as a new version while the old one stays readable.

use crate::reports::{file_all, seat_panel};
use crate::sessions::{exam_day, idn, plan, world};
use http::StatusCode;
use serde_json::json;
use store::entity::exam_session;
use store::sea_orm::{ActiveModelTrait, Set};
use testkit::{TestApp, WebClient};

async fn upload(app: &TestApp, c: &WebClient, id: i64, file: &[u8]) -> testkit::Resp {
    app.web_upload(c, &format!("/sessions/{id}/scores/import"), "scores.xlsx", file).await
}

fn sheet(rows: Vec<Vec<String>>) -> Vec<u8> {
    let headers = ["姓名", "身份证号码", "理论知识考试成绩", "操作技能考核成绩", "缺考"];
    web::xlsx::write(&[web::xlsx::Sheet { name: "成绩", headers: &headers, rows }]).expect("xlsx")
}

fn row(cells: [&str; 5]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

#[tokio::test]
async fn e5_e6_the_station_imports_submits_and_the_organizer_confirms_prints_and_corrects_on_the_pages() {
    let w = world().await;
    let app = &w.app;
    let t = app.direct_token("cs_st").await;
    let r = app.post_json("/api/v1/sessions", Some(&t), &plan("0001", exam_day())).await;
    let id = r.json()["id"].as_i64().expect("id");
    for (name, seq) in [("考生甲", 521), ("考生乙", 522)] {
        let c = json!({"name": name, "id_number": idn(seq)});
        let r = app.post_json(&format!("/api/v1/sessions/{id}/candidates"), Some(&t), &c).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    for (who, action) in [("cs_st", "submit"), ("cs_staff", "approve")] {
        let tok = app.direct_token(who).await;
        let r = app.post_json(&format!("/api/v1/sessions/{id}/actions"), Some(&tok), &json!({"action": action})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    seat_panel(&w.app, id).await;
    exam_session::ActiveModel { id: Set(id), first_day: Set(store::today()), ..Default::default() }
        .update(&app.store.db)
        .await
        .expect("exam today");

    let mut st = app.direct_web("cs_st").await;
    let show = app.web_get(&mut st, &format!("/sessions/{id}")).await;
    assert!(show.body.contains(&format!("/sessions/{id}/scores")), "the session page leads to the sheet");
    let page = app.web_get(&mut st, &format!("/sessions/{id}/scores")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("下载导入模板") && page.body.contains("考生甲"), "{}", page.body);

    // The template carries the roster with full ID numbers.
    let tpl = app.web_get(&mut st, &format!("/sessions/{id}/scores/template.xlsx")).await;
    assert_eq!(tpl.status, StatusCode::OK);
    let rows = web::xlsx::read(&tpl.bytes).expect("template reads");
    assert_eq!(rows[0][..3], ["姓名", "身份证号码", "理论知识考试成绩"]);
    assert_eq!((rows[1][0].as_str(), rows[1][1].clone()), ("考生甲", idn(521)));

    // Bad rows: each named, nothing saved.
    let bad = sheet(vec![row(["考生甲", &idn(521), "101", "80", ""]), row(["考生乙", &idn(522), "", "", "可能"])]);
    let r = upload(app, &st, id, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("第 3 行「缺考」"), "{}", r.body);
    let bad = sheet(vec![row(["考生甲", &idn(521), "101", "80", ""]), row(["考生乙", &idn(522), "", "", "是"])]);
    let r = upload(app, &st, id, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("第 2 行「理论知识考试成绩」"), "{}", r.body);
    assert!(app.store.score_sheet(&app.principal("cs_st").await, id, None).await.expect("sheet").register.is_none());
    let good = sheet(vec![row(["考生甲", &idn(521), "90", "80", ""]), row(["考生乙", &idn(522), "", "", "是"])]);
    let r = upload(app, &st, id, &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // No submit button while the reports are missing: the gates are listed instead.
    let page = app.web_get(&mut st, &format!("/sessions/{id}/scores")).await;
    assert!(page.body.contains("尚不能提交成绩登分册") && page.body.contains("考评情况报告"), "{}", page.body);
    assert!(!page.body.contains("value=\"submit\""), "no submit button yet");
    file_all(app, id).await;
    let page = app.web_get(&mut st, &format!("/sessions/{id}/scores")).await;
    assert!(page.body.contains("value=\"submit\"") && page.body.contains("考核按计划完成"), "{}", page.body);
    let r = app.web_post(&mut st, &format!("/sessions/{id}/register"), &[("action", "submit")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The organizer: a return needs its reason; then the confirmation.
    let mut city = app.direct_web("cs_staff").await;
    let r =
        app.web_post(&mut city, &format!("/sessions/{id}/register"), &[("action", "return"), ("reason", " ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("须填写理由"), "{}", r.body);
    let r = app.web_post(&mut city, &format!("/sessions/{id}/register"), &[("action", "confirm")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let x = app.web_get(&mut city, &format!("/sessions/{id}/scores.xlsx")).await;
    let rows = web::xlsx::read(&x.bytes).expect("export reads");
    assert_eq!((rows[1][4].as_str(), rows[1][5].as_str(), rows[2][5].as_str()), ("83", "合格", "缺考"), "{rows:?}");
    assert!(rows[1][1].contains('*'), "ID numbers masked: {}", rows[1][1]);
    let print = app.web_get(&mut city, &format!("/sessions/{id}/scores/print")).await;
    assert!(
        print.body.contains("专项职业能力考核成绩登分册")
            && print.body.contains("考核按计划完成")
            && print.body.contains("审核确认"),
        "{}",
        print.body
    );

    // A correction: a new version with its reason; version 1 stays readable.
    let page = app.web_get(&mut city, &format!("/sessions/{id}/scores")).await;
    let cid = page
        .body
        .split("name=\"candidate_id\"")
        .nth(1)
        .and_then(|s| s.split("value=\"").nth(1))
        .and_then(|s| s.split('"').next())
        .expect("candidate option")
        .to_owned();
    let form = [
        ("action", "correct"),
        ("candidate_id", cid.as_str()),
        ("theory", "50"),
        ("practical", "80"),
        ("reason", "理论成绩誊录有误"),
    ];
    let r = app.web_post(&mut city, &format!("/sessions/{id}/register"), &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.web_get(&mut city, &format!("/sessions/{id}/scores")).await;
    assert!(page.body.contains("第 2 版") && page.body.contains("理论成绩誊录有误"), "{}", page.body);
    let old = app.web_get(&mut city, &format!("/sessions/{id}/scores?version=1")).await;
    assert!(old.body.contains("较早的版本") && old.body.contains("83"), "{}", old.body);
}
