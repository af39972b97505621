//! Station filing through the staff pages (S1–S5): the annex-1 form with a field error that explains
//! itself beside its input and keeps what was typed, the materials, submission, the city's acceptance and
//! return through the record page, a refused late plan (S3), the province's steps, the group members'
//! findings (S4), the decision with the institution code (S5), the printed form, and other cities
//! finding nothing.

use crate::support::{error_beside, experts_who_sign_in, id_from};
use domain::org::Role;
use http::{Method, StatusCode};
use testkit::{TestApp, WebClient};

struct World {
    app: TestApp,
    /// (expert id, username) of seven experts with sign-in accounts.
    experts: Vec<(i64, String)>,
}

/// A station in 长沙, city staff of 长沙 and 株洲, province staff, seven experts who can sign in, and next
/// year's holidays entered (plans are made 10 working days ahead).
async fn world() -> World {
    let app = TestApp::spawn().await;
    // F2: the example application applies for catalog projects.
    app.catalog_example_projects().await;
    let station = app.create_org("长沙湘味职业培训学校", "station", "430104").await;
    app.create_user("zhan", &[Role::StationStaff], station).await;
    app.create_user("cs_staff", &[Role::CityStaff], app.org_id("430100").await).await;
    app.create_user("zz_staff", &[Role::CityStaff], app.org_id("430200").await).await;
    app.create_user("sheng", &[Role::ProvinceStaff], app.org_id("430000").await).await;
    let cities = ["430300", "430400", "430500", "430600", "430700", "430900", "431000"];
    let experts = experts_who_sign_in(&app, "pz", "评审专家", 200, cities, None).await;
    app.ensure_next_year_calendar().await;
    World { app, experts }
}

/// The annex-1 form as a browser posts it: every repeated input, blank rows included. The filled
/// facility rows are the 3rd and 4th of five, so row indexes must map back to the rows as typed.
fn annex_form(name: &str, facility_purpose: &str, contact_phone: &str) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = vec![
        ("institution_name".into(), name.into()),
        ("nature".into(), "private_non_enterprise".into()),
        ("category".into(), "vocational_school".into()),
        ("person_in_charge_name".into(), "张三".into()),
        ("person_in_charge_phone".into(), "13800138000".into()),
        ("contact_name".into(), "李四".into()),
        ("contact_phone".into(), contact_phone.into()),
        ("address".into(), "湖南省长沙市岳麓区麓山南路 1 号".into()),
        ("region_code".into(), "430104".into()),
    ];
    for p in ["米粉制作", "", "湘菜烹饪", "", ""] {
        f.push(("projects".into(), p.into()));
    }
    let facilities = [
        ("", "", ""),
        ("", "", ""),
        ("实操教室", "200 平方米", facility_purpose),
        ("商用燃气灶", "6 台", "湘菜烹饪实操考核"),
        ("", "", ""),
    ];
    for (n, s, p) in facilities {
        f.push(("facility_name".into(), n.into()));
        f.push(("facility_spec".into(), s.into()));
        f.push(("facility_purpose".into(), p.into()));
    }
    let assessors = [
        ("王五", "ZX-2024-0001", "米粉制作"),
        ("赵六", "ZX-2024-0002", "米粉制作"),
        ("钱七", "ZX-2024-0003", "湘菜烹饪"),
        ("", "", ""),
        ("", "", ""),
        ("", "", ""),
    ];
    for (n, q, p) in assessors {
        f.push(("assessor_name".into(), n.into()));
        f.push(("assessor_qualification".into(), q.into()));
        f.push(("assessor_project".into(), p.into()));
    }
    for c in domain::stations::S1Condition::ALL {
        f.push((format!("condition_{}", c.id()), "1".into()));
        f.push((format!("evidence_{}", c.id()), format!("见附件：{}", c.label())));
    }
    f.push(("legal_representative".into(), "张三".into()));
    f.push(("commitment".into(), "1".into()));
    f
}

fn refs(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// Upload a material through the record page's form (multipart; the CSRF token its first part).
async fn upload(app: &TestApp, c: &WebClient, id: i64, kind: &str) -> testkit::Resp {
    let fields = [("csrf", c.csrf.as_str()), ("kind", kind)];
    let (content_type, body) = testkit::multipart(&fields, &format!("{kind}.pdf"), testkit::PDF);
    let cookie = c.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
    let path = format!("/filings/{id}/attachments");
    app.request(Method::POST, &path, &[("cookie", cookie), ("content-type", content_type)], body.into()).await
}

/// The applicant fills in, saves and submits an application through the pages; the filing id.
async fn filed_through_the_pages(app: &TestApp) -> i64 {
    let mut zhan = app.direct_web("zhan").await;
    let list = app.web_get(&mut zhan, "/filings").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("href=\"/filings/new\""), "the station may start an application");
    let form = app.web_get(&mut zhan, "/filings/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("本单位承诺：以上所填内容及所提供材料真实有效，如有虚假，愿承担相应责任"));
    assert!(form.body.contains("省直部门、省级行业组织、中央在湘企业、省属企业直接向省鉴定中心申请"));

    // A field error: the purpose of the 3rd facility row is too short and the phone is not one (what is
    // left blank waits for submission, issue 9 item 11).
    let bad = annex_form("长沙湘味职业培训学校", "考", "12345");
    let r = app.web_post(&mut zhan, "/filings", &refs(&bad)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(error_beside(&r.body, "facility_purpose_2").contains("用途应为 2 至 200 个字"), "{}", r.body);
    assert!(!error_beside(&r.body, "contact_phone").is_empty(), "the phone error stands beside the phone");
    assert!(error_beside(&r.body, "facility_name_2").is_empty(), "no error beside a correct input");
    assert!(r.body.contains("场地设施设备第 3 行"), "the summary names the row as typed");
    assert!(r.body.contains("href=\"#facility_purpose_2\""), "the summary links to the input");
    assert!(r.body.contains("value=\"实操教室\"") && r.body.contains("value=\"12345\""), "what was typed is kept");
    assert!(r.body.contains("value=\"湘菜烹饪\""));
    assert!(r.body.contains("name=\"commitment\" value=\"1\" checked"), "the commitment stays confirmed");
    assert_eq!(
        app.store
            .list_filings(&app.principal("zhan").await, &Default::default(), Default::default())
            .await
            .expect("list")
            .total,
        0
    );

    // Corrected: saved as a draft, blank rows left out.
    let good = annex_form("长沙湘味职业培训学校", "米粉制作实操考核", "0731-84567890");
    let r = app.web_post(&mut zhan, "/filings", &refs(&good)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = id_from(&r.location());
    let detail = app.store.get_filing(&app.principal("zhan").await, id).await.expect("detail");
    assert_eq!(detail.application.facilities.len(), 2);
    assert_eq!(detail.application.projects, vec!["米粉制作".to_string(), "湘菜烹饪".to_string()]);
    let page = app.web_get(&mut zhan, &r.location()).await;
    assert!(page.body.contains("备案申请已保存为草稿"), "{}", page.body);
    assert!(page.body.contains("href=\"/filings/{id}/edit\"".replace("{id}", &id.to_string()).as_str()));
    assert!(page.body.contains("尚缺："), "submission needs the materials first");

    // The edit form shows the application; an edit is saved.
    let edit = app.web_get(&mut zhan, &format!("/filings/{id}/edit")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.body.contains("value=\"商用燃气灶\""));
    let mut changed = good.clone();
    for (k, v) in &mut changed {
        if k == "facility_spec" && v == "6 台" {
            *v = "8 台".into();
        }
    }
    let r = app.web_post(&mut zhan, &format!("/filings/{id}/edit"), &refs(&changed)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Submitting without the materials is refused on the record page, saying what is missing.
    let r = app.web_post(&mut zhan, &format!("/filings/{id}/actions"), &[("kind", "submit")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("请上传附件材料"), "{}", r.body);
    for kind in domain::stations::MaterialKind::ALL {
        let u = upload(app, &zhan, id, kind.id()).await;
        assert_eq!(u.status, StatusCode::SEE_OTHER, "{}", u.body);
    }
    let page = app.web_get(&mut zhan, &format!("/filings/{id}")).await;
    assert!(page.body.contains("四类材料齐全"), "{}", page.body);
    let r = app.web_post(&mut zhan, &format!("/filings/{id}/actions"), &[("kind", "submit")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.web_get(&mut zhan, &r.location()).await;
    assert!(page.body.contains("待受理") && page.body.contains("备案申请已提交"));
    assert!(!page.body.contains("/edit\""), "no edit once submitted");
    assert_eq!(app.web_get(&mut zhan, &format!("/filings/{id}/edit")).await.status, StatusCode::CONFLICT);
    id
}

#[tokio::test]
async fn s1_s3_a_station_fills_in_the_form_and_the_city_accepts_through_the_pages() {
    let w = world().await;
    let app = &w.app;
    let id = filed_through_the_pages(app).await;

    // Another city finds nothing: the record, the print, the steps.
    let mut zz = app.direct_web("zz_staff").await;
    assert_eq!(app.web_get(&mut zz, &format!("/filings/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.web_get(&mut zz, &format!("/filings/{id}/print")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.web_post(&mut zz, &format!("/filings/{id}/actions"), &[("kind", "accept")]).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!app.web_get(&mut zz, "/filings").await.body.contains("长沙湘味职业培训学校"));

    // The receiving city: a return without a reason is explained beside the reason; then it accepts.
    let mut cs = app.direct_web("cs_staff").await;
    assert!(app.web_get(&mut cs, "/filings?state=submitted").await.body.contains("长沙湘味职业培训学校"));
    let page = app.web_get(&mut cs, &format!("/filings/{id}")).await;
    assert!(
        page.body.contains("name=\"kind\" value=\"accept\"") && page.body.contains("name=\"kind\" value=\"return\"")
    );
    assert!(page.body.contains("data-confirm="), "steps ask for confirmation");
    let r = app.web_post(&mut cs, &format!("/filings/{id}/actions"), &[("kind", "return"), ("reason", " ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a return without a reason is bad input");
    assert!(error_beside(&r.body, "reason_return").contains("须填写理由"), "{}", r.body);
    let r = app.web_post(&mut cs, &format!("/filings/{id}/actions"), &[("kind", "accept")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.web_get(&mut cs, &r.location()).await;
    assert!(page.body.contains("已受理") && page.body.contains("name=\"evaluation_date\""), "{}", page.body);

    // S3: a plan fewer than 10 working days ahead is refused, naming the dates, with what was typed kept.
    let cal = app.store.calendar().await.expect("calendar");
    let late = cal.add_working_days(store::today(), 9).expect("date").to_string();
    let earliest = cal.add_working_days(store::today(), 10).expect("date").to_string();
    let r = app
        .web_post(
            &mut cs,
            &format!("/filings/{id}/actions"),
            &[
                ("kind", "submit_plan"),
                ("evaluation_date", late.as_str()),
                ("place", "学校实操楼"),
                ("methods", "六种方式"),
                ("contacts", "李四 0731-84567890"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let beside = error_beside(&r.body, "evaluation_date");
    assert!(beside.contains("评估方案须于评估前 10 个工作日报省鉴定中心"), "{}", r.body);
    assert!(beside.contains(&earliest), "the earliest allowed evaluation date: {beside}");
    assert!(r.body.contains("value=\"学校实操楼\"") && r.body.contains(&format!("value=\"{late}\"")));
    assert_eq!(
        app.store.get_filing(&app.principal("cs_staff").await, id).await.expect("detail").summary.state,
        domain::stations::FilingState::Accepted
    );

    // The printed form: the institution and every block of the paper form.
    let mut zhan = app.direct_web("zhan").await;
    let print = app.web_get(&mut zhan, &format!("/filings/{id}/print")).await;
    assert_eq!(print.status, StatusCode::OK);
    for text in [
        "湖南省专项职业能力考核站备案申报表",
        "长沙湘味职业培训学校",
        "机构名称",
        "负 责 人",
        "联 系 人",
        "详细地址",
        "申报考核项目",
        "附报材料",
        "场地设施设备",
        "考评人员配备",
        "申请单位承诺",
        "法定代表人（签字）",
        "市州鉴定中心<br>意　　见",
        "专家评议组<br>意　　见",
        "省鉴定中心<br>意　　见",
        "同意受理",
        "8 台",
    ] {
        assert!(print.body.contains(text), "print lacks {text}");
    }
    assert!(!print.body.contains("class=\"sidebar\""), "a standalone sheet, not the staff layout");
}

#[tokio::test]
async fn the_filing_list_exports_as_a_spreadsheet_with_its_filters_and_scope() {
    let w = world().await;
    let app = &w.app;
    let id = filed_through_the_pages(app).await;
    let mut cs = app.direct_web("cs_staff").await;
    let list = app.web_get(&mut cs, "/filings?state=submitted").await;
    assert!(list.body.contains("/filings/export.xlsx?state=submitted"), "the export keeps the filters");
    let sheet = app.web_get(&mut cs, "/filings/export.xlsx?state=submitted").await;
    assert_eq!(sheet.status, StatusCode::OK);
    let rows = web::xlsx::read(&sheet.bytes).expect("a readable .xlsx");
    assert_eq!(rows[0][..2], ["申请编号".to_string(), "机构名称".to_string()]);
    assert_eq!(rows.len(), 2, "{rows:?}");
    // The first column is the reference number (issue 9 item 16), not the row id.
    let reference = format!("备{}-0001", store::today().year());
    assert_eq!((rows[1][0].as_str(), rows[1][4].as_str()), (reference.as_str(), "待受理"));
    let _ = id;
    // Another state, or another city's staff: nothing.
    let none = app.web_get(&mut cs, "/filings/export.xlsx?state=filed").await;
    assert_eq!(web::xlsx::read(&none.bytes).expect("xlsx").len(), 1);
    let mut zz = app.direct_web("zz_staff").await;
    let other = app.web_get(&mut zz, "/filings/export.xlsx").await;
    assert_eq!(web::xlsx::read(&other.bytes).expect("xlsx").len(), 1, "only the header row");
}

#[tokio::test]
async fn s3_s5_the_province_and_the_group_finish_the_filing_through_the_pages() {
    let w = world().await;
    let app = &w.app;
    let id = filed_through_the_pages(app).await;
    let mut cs = app.direct_web("cs_staff").await;
    app.web_get(&mut cs, &format!("/filings/{id}")).await;
    assert_eq!(
        app.web_post(&mut cs, &format!("/filings/{id}/actions"), &[("kind", "accept")]).await.status,
        StatusCode::SEE_OTHER
    );
    let cal = app.store.calendar().await.expect("calendar");
    let date = cal.add_working_days(store::today(), 12).expect("date").to_string();
    let r = app
        .web_post(
            &mut cs,
            &format!("/filings/{id}/actions"),
            &[
                ("kind", "submit_plan"),
                ("evaluation_date", date.as_str()),
                ("place", "学校实操楼"),
                ("methods", "听取报告、文件审核、技术抽查、访谈咨询、质询答辩、现场考察"),
                ("contacts", "李四 0731-84567890"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let mut sheng = app.direct_web("sheng").await;
    let page = app.web_get(&mut sheng, &format!("/filings/{id}")).await;
    assert!(page.body.contains("评估方案") && page.body.contains(&date), "the plan is on the record");
    for kind in ["approve_plan"] {
        let r = app.web_post(&mut sheng, &format!("/filings/{id}/actions"), &[("kind", kind)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{kind}: {}", r.body);
    }
    // A group size that is not a number is explained beside the input.
    let r = app
        .web_post(&mut sheng, &format!("/filings/{id}/actions"), &[("kind", "draw_group"), ("group_size", "三")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(error_beside(&r.body, "group_size").contains("3 至 7"), "{}", r.body);
    let r = app
        .web_post(&mut sheng, &format!("/filings/{id}/actions"), &[("kind", "draw_group"), ("group_size", "3")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.web_get(&mut sheng, &r.location()).await;
    assert!(page.body.contains("name=\"kind\" value=\"start_evaluation\""), "{}", page.body);
    assert!(page.body.contains("请您开始评估（评估日当天），公开专家评议组名单"), "next step while sealed");
    assert!(page.body.contains("由 测试用户（长沙市职业技能鉴定中心） 上报"), "the plan names who reported it");
    let draw_id = app.store.get_filing(&app.principal("sheng").await, id).await.expect("detail").draw_id.expect("draw");
    assert!(page.body.contains(&format!("href=\"/admin/draws/{draw_id}\"")));
    let group = app.store.draw_group(draw_id).await.expect("group");
    let user_of = |eid: i64| w.experts.iter().find(|(e, _)| *e == eid).map(|(_, u)| u.clone()).expect("expert user");

    // Sealed until the evaluation starts: a member finds nothing yet.
    let mut first = app.direct_web(&user_of(group[0])).await;
    assert_eq!(app.web_get(&mut first, &format!("/filings/{id}/findings")).await.status, StatusCode::NOT_FOUND);
    // S3: not before the planned day — the refusal is explained on the page.
    let r = app.web_post(&mut sheng, &format!("/filings/{id}/actions"), &[("kind", "start_evaluation")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("在此之前不能开始评估"), "{}", r.body);
    app.evaluation_day_arrives(id).await;
    let r = app.web_post(&mut sheng, &format!("/filings/{id}/actions"), &[("kind", "start_evaluation")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.web_get(&mut sheng, &r.location()).await;
    assert!(page.body.contains("等待专家评议组填写评估意见"), "next step once the evaluation has started");
    // Issue 9 item 2: once open, the group card names its members and who has signed, no longer "sealed".
    assert!(!page.body.contains("专家评议组已抽取，名单在评估开始前密封。"), "{}", page.body);
    assert_eq!(page.body.matches("未签署").count(), group.len(), "{}", page.body);

    // A non-member expert finds nothing; members record their findings through the page.
    let outsider = w.experts.iter().find(|(e, _)| !group.contains(e)).map(|(_, u)| u.clone()).expect("outsider");
    let mut out = app.direct_web(&outsider).await;
    assert_eq!(app.web_get(&mut out, &format!("/filings/{id}/findings")).await.status, StatusCode::NOT_FOUND);
    let reviews = app.web_get(&mut first, "/my/reviews").await;
    assert!(reviews.body.contains(&format!("href=\"/filings/{id}/findings\"")), "{}", reviews.body);
    let form = app.web_get(&mut first, &format!("/filings/{id}/findings")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("长沙湘味职业培训学校") && form.body.contains("现场考察"));
    let methods = domain::stations::EvaluationMethod::ALL;
    let mut fields: Vec<(String, String)> =
        methods.iter().map(|m| (format!("finding_{}", m.id()), format!("{}：符合要求", m.label()))).collect();
    fields[5].1 = String::new();
    let r = app.web_post(&mut first, &format!("/filings/{id}/findings"), &refs(&fields)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(error_beside(&r.body, "finding_site_visit").contains("现场考察"), "{}", r.body);
    assert!(error_beside(&r.body, "finding_site_visit").contains("请填写"), "{}", r.body);
    assert!(r.body.contains("听取报告：符合要求"), "what was typed is kept");
    fields[5].1 = "现场考察：场地设备齐全".into();
    for (i, eid) in group.iter().enumerate() {
        let mut c = app.direct_web(&user_of(*eid)).await;
        let mut f = fields.clone();
        f.push(("conclusion".into(), if i == 2 { "fail" } else { "pass" }.into()));
        let r = app.web_post(&mut c, &format!("/filings/{id}/findings"), &refs(&f)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), "/my/reviews");
        if i == 0 {
            assert!(app.web_get(&mut c, &r.location()).await.body.contains("评估意见已签署提交"));
        }
    }

    // S5: the province decides on the record page; an opinion is required.
    let page = app.web_get(&mut sheng, &format!("/filings/{id}")).await;
    assert!(page.body.contains("待备案决定") && page.body.contains("评议组结论"), "{}", page.body);
    assert!(page.body.contains("场地设备齐全"), "each member's findings are on the record");
    let r = app
        .web_post(
            &mut sheng,
            &format!("/filings/{id}/actions"),
            &[("kind", "decide"), ("approve", "true"), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_beside(&r.body, "decide_reason").contains("请填写省鉴定中心意见"), "{}", r.body);
    let r = app
        .web_post(
            &mut sheng,
            &format!("/filings/{id}/actions"),
            &[("kind", "decide"), ("approve", "true"), ("reason", "经专家评议组评估，符合备案条件")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.web_get(&mut sheng, &r.location()).await;
    assert!(page.body.contains("已备案") && page.body.contains("HN010001"), "{}", page.body);
    let print = app.web_get(&mut sheng, &format!("/filings/{id}/print")).await;
    assert!(
        print.body.contains("准予备案，机构编码：HN010001") && print.body.contains("经专家评议组评估，符合备案条件")
    );
    assert!(print.body.contains("评估结论：通过（3 名成员中 2 名通过）"), "{}", print.body);
    // The timeline and the audit trail name the steps in Chinese.
    assert!(page.body.contains("评估方案已通过") && page.body.contains("专家评议组已抽取"));
}

/// The deepest nesting of full-width brackets in `text` (「（…（…））」 is 2).
fn bracket_depth(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for c in text.chars() {
        match c {
            '（' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            '）' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// The page's main content (the layout's own text left out).
fn content(body: &str) -> &str {
    let start = body.find("<main").unwrap_or(0);
    &body[start..]
}

/// Where `needle` first stands in `body`, or a panic naming it.
fn at(body: &str, needle: &str) -> usize {
    body.find(needle).unwrap_or_else(|| panic!("{needle} is not on the page:\n{body}"))
}

#[tokio::test]
async fn i9_9_review_pages_put_what_is_judged_right_above_the_step() {
    let w = world().await;
    let app = &w.app;
    let id = filed_through_the_pages(app).await;
    // The applicant writing its application reads it unfolded; once submitted, it folds.
    let zhan_p = app.principal("zhan").await;
    let draft = app
        .store
        .create_filing(
            &zhan_p,
            &testkit::application("长沙湘味职业培训学校", "other_unit", "430104"),
            &store::Ctx::system(),
        )
        .await
        .expect("draft");
    let mut zhan = app.direct_web("zhan").await;
    let page = app.web_get(&mut zhan, &format!("/filings/{draft}")).await;
    assert!(page.body.contains("<details class=\"card app-fold\" id=\"application\" open>"), "{}", page.body);
    let page = app.web_get(&mut zhan, &format!("/filings/{id}")).await;
    assert!(page.body.contains("<details class=\"card app-fold\" id=\"application\">"), "{}", page.body);
    assert!(page.body.contains("1 个考核项目") || page.body.contains("2 个考核项目"), "the summary line counts");

    // The city accepting: the folded application and its materials, then the step.
    let mut cs = app.direct_web("cs_staff").await;
    let page = app.web_get(&mut cs, &format!("/filings/{id}")).await;
    let b = content(&page.body);
    assert!(at(b, "id=\"application\"") < at(b, "id=\"action-accept\""));
    assert!(!b.contains("id=\"application\" open"), "folded for the reviewer");
    let r = app.web_post(&mut cs, &format!("/filings/{id}/actions"), &[("kind", "accept")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let date = app.store.calendar().await.expect("calendar").add_working_days(store::today(), 12).expect("date");
    let date = date.to_string();
    let plan = [
        ("kind", "submit_plan"),
        ("evaluation_date", date.as_str()),
        ("place", "学校实操楼"),
        ("methods", "听取报告、文件审核、技术抽查、访谈咨询、质询答辩、现场考察"),
        ("contacts", "李四 0731-84567890"),
    ];
    assert_eq!(app.web_post(&mut cs, &format!("/filings/{id}/actions"), &plan).await.status, StatusCode::SEE_OTHER);

    // The province approving the plan: the plan card stands right above the step, the application
    // above both and folded.
    let mut sheng = app.direct_web("sheng").await;
    let page = app.web_get(&mut sheng, &format!("/filings/{id}")).await;
    let b = content(&page.body);
    let (app_at, plan_at, act_at) =
        (at(b, "id=\"application\""), at(b, "<h2>评估方案</h2>"), at(b, "id=\"action-approve_plan\""));
    assert!(app_at < plan_at && plan_at < act_at, "{app_at} {plan_at} {act_at}");
    assert!(!b[plan_at..act_at].contains("申报表") && !b[plan_at..act_at].contains("附报材料"), "nothing long between");
    assert!(b.contains("由 测试用户（长沙市职业技能鉴定中心） 上报"), "{b}");
    assert!(bracket_depth(b) <= 1, "no nested brackets on the page:\n{b}");
    for kind in ["approve_plan", "draw_group"] {
        let r =
            app.web_post(&mut sheng, &format!("/filings/{id}/actions"), &[("kind", kind), ("group_size", "3")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{kind}: {}", r.body);
    }
    app.evaluation_day_arrives(id).await;
    let r = app.web_post(&mut sheng, &format!("/filings/{id}/actions"), &[("kind", "start_evaluation")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let draw_id = app.store.get_filing(&app.principal("sheng").await, id).await.expect("detail").draw_id.expect("draw");
    let group = app.store.draw_group(draw_id).await.expect("group");
    let user_of = |eid: i64| w.experts.iter().find(|(e, _)| *e == eid).map(|(_, u)| u.clone()).expect("expert user");
    for eid in &group {
        let mut c = app.direct_web(&user_of(*eid)).await;
        let mut f: Vec<(String, String)> = domain::stations::EvaluationMethod::ALL
            .iter()
            .map(|m| (format!("finding_{}", m.id()), format!("{}：符合要求", m.label())))
            .collect();
        f.push(("conclusion".into(), "pass".into()));
        let r = app.web_post(&mut c, &format!("/filings/{id}/findings"), &refs(&f)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }

    // The province deciding: the group's findings stand right above the decision.
    let page = app.web_get(&mut sheng, &format!("/filings/{id}")).await;
    let b = content(&page.body);
    let (app_at, findings_at, act_at) =
        (at(b, "id=\"application\""), at(b, "评议组结论："), at(b, "id=\"action-decide\""));
    assert!(app_at < findings_at && findings_at < act_at, "{app_at} {findings_at} {act_at}");
    assert!(!b[findings_at..act_at].contains("申报表"), "nothing but the findings between");
    assert!(b.contains("各成员意见见上方"), "the hint points up to the findings");
    assert!(bracket_depth(b) <= 1, "no nested brackets on the page:\n{b}");

    // Issue 9 item 7: an opinion that opens with the decision's words is not prefixed with them again.
    let opinion = "准予备案，经专家评议组评估符合备案条件";
    let r = app
        .web_post(
            &mut sheng,
            &format!("/filings/{id}/actions"),
            &[("kind", "decide"), ("approve", "true"), ("reason", opinion)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.web_get(&mut sheng, &format!("/filings/{id}")).await;
    assert!(!page.body.contains("准予备案：准予备案"), "{}", page.body);
    assert!(page.body.contains("准予备案：机构编码 HN010001。经专家评议组评估符合备案条件"), "{}", page.body);
    let print = app.web_get(&mut sheng, &format!("/filings/{id}/print")).await;
    assert_eq!(print.body.matches("准予备案").count(), 1, "said once on the print:\n{}", print.body);
    assert!(print.body.contains("机构编码：HN010001"), "{}", print.body);

    // Issue 9 item 16: reinstating takes a reason on the page too, beside its field.
    let r = app
        .web_post(&mut sheng, &format!("/filings/{id}/actions"), &[("kind", "suspend"), ("reason", "年检不合格")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.web_get(&mut sheng, &format!("/filings/{id}")).await;
    assert!(page.body.contains("id=\"reason_reinstate\""), "{}", page.body);
    let r = app.web_post(&mut sheng, &format!("/filings/{id}/actions"), &[("kind", "reinstate"), ("reason", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(error_beside(&r.body, "reason_reinstate").contains("恢复备案须填写理由"), "{}", r.body);
    let r = app
        .web_post(
            &mut sheng,
            &format!("/filings/{id}/actions"),
            &[("kind", "reinstate"), ("reason", "整改到位，复查合格")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.web_get(&mut sheng, &r.location()).await;
    assert!(page.body.contains("恢复备案：整改到位，复查合格"), "{}", page.body);
}

#[tokio::test]
async fn i9_7_the_next_step_speaks_to_the_reader_and_names_the_center_by_its_name() {
    let w = world().await;
    let app = &w.app;
    let id = filed_through_the_pages(app).await;
    let mut zhan = app.direct_web("zhan").await;
    let page = app.web_get(&mut zhan, &format!("/filings/{id}")).await;
    assert!(page.body.contains("等待长沙市职业技能鉴定中心受理备案申请"), "{}", page.body);
    assert!(!page.body.contains("长沙市鉴定中心"), "one name per center: {}", page.body);
    let mut cs = app.direct_web("cs_staff").await;
    let page = app.web_get(&mut cs, &format!("/filings/{id}")).await;
    assert!(page.body.contains("请您受理备案申请"), "{}", page.body);
    assert!(bracket_depth(content(&page.body)) <= 1, "{}", page.body);
    // Returned and resubmitted: the station is told whom it waits for, never the city's own steps.
    let r = app
        .web_post(&mut cs, &format!("/filings/{id}/actions"), &[("kind", "return"), ("reason", "场地证明不清晰")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.web_get(&mut zhan, &format!("/filings/{id}")).await;
    assert!(page.body.contains("请您按退回意见修改并重新提交备案申请"), "{}", page.body);
    let r = app.web_post(&mut zhan, &format!("/filings/{id}/actions"), &[("kind", "submit")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.web_get(&mut zhan, &r.location()).await;
    assert!(page.body.contains("等待长沙市职业技能鉴定中心受理备案申请"), "{}", page.body);
    assert!(!page.body.contains("请您受理"), "{}", page.body);
    let list = app.web_get(&mut cs, "/filings").await;
    assert!(list.body.contains("长沙市职业技能鉴定中心") && !list.body.contains("长沙市鉴定中心"));
}

#[tokio::test]
async fn i9_16_the_reference_number_is_on_the_record_the_list_and_the_print_and_finds_the_filing() {
    let w = world().await;
    let app = &w.app;
    let id = filed_through_the_pages(app).await;
    let reference = format!("备{}-0001", store::today().year());
    let mut cs = app.direct_web("cs_staff").await;
    let page = app.web_get(&mut cs, &format!("/filings/{id}")).await;
    assert!(page.body.contains(&format!("<span class=\"mono\">{reference}</span>")), "{}", page.body);
    let list = app.web_get(&mut cs, &format!("/filings?q={}", reference.replace('备', "%E5%A4%87"))).await;
    assert!(list.body.contains(&reference) && list.body.contains("长沙湘味职业培训学校"), "{}", list.body);
    let none = app.web_get(&mut cs, "/filings?q=%E5%A4%872000-0001").await;
    assert!(!none.body.contains("长沙湘味职业培训学校"), "{}", none.body);
    let print = app.web_get(&mut cs, &format!("/filings/{id}/print")).await;
    assert!(print.body.contains(&reference), "{}", print.body);
    let sheet = app.web_get(&mut cs, "/filings/export.xlsx").await;
    assert_eq!(web::xlsx::read(&sheet.bytes).expect("xlsx")[1][0], reference);
    // The A4 print lets long rows run on instead of leaving page 1 half empty.
    assert_eq!(print.body.matches("<tr class=\"annex-long\">").count(), 4, "{}", print.body);
    let css = app.get("/static/app.css", None).await;
    assert!(css.body.contains("table.annex > tbody > tr.annex-long { page-break-inside: auto;"), "{}", css.body);
    // Dates typed on the record page carry their format.
    let r = app.web_post(&mut cs, &format!("/filings/{id}/actions"), &[("kind", "accept")]).await;
    let page = app.web_get(&mut cs, &r.location()).await;
    assert!(
        page.body.contains("id=\"evaluation_date\" name=\"evaluation_date\" value=\"\" placeholder=\"YYYY-MM-DD\"")
    );
    assert!(page.body.contains("格式 YYYY-MM-DD"), "{}", page.body);
}

#[tokio::test]
async fn i9_12_a_draft_is_the_stations_to_do_and_idle_roles_see_what_will_come() {
    use store::sea_orm::ConnectionTrait;
    let w = world().await;
    let app = &w.app;
    let draft = app
        .store
        .create_filing(
            &app.principal("zhan").await,
            &testkit::application("长沙湘味职业培训学校", "other_unit", "430104"),
            &store::Ctx::system(),
        )
        .await
        .expect("draft");
    let mut zhan = app.direct_web("zhan").await;
    let home = app.web_get(&mut zhan, "/home").await;
    assert!(home.body.contains(&format!("href=\"/filings/{draft}\"")), "{}", home.body);
    assert!(home.body.contains("填写并提交备案申请"), "{}", home.body);
    // An expert with nothing to do yet reads what will come here.
    let mut expert = app.direct_web(&w.experts[0].1).await;
    let home = app.web_get(&mut expert, "/home").await;
    assert!(home.body.contains("暂无待办事项") && home.body.contains("被抽取为评估专家后，评估任务会出现在这里"));
    // A due date in a year whose holidays are not entered: the station reads the date, not the
    // calendar's internal note (that is for the province administrator who enters the holidays).
    let sql =
        format!("UPDATE workflow_events SET due_date = '2031-01-10' WHERE subject_id = '{draft}' AND done_at IS NULL");
    app.store.db.execute_raw(store::sea_orm::Statement::from_string(app.store.backend(), sql)).await.expect("update");
    let home = app.web_get(&mut zhan, "/home").await;
    assert!(home.body.contains("截止 2031-01-10") && home.body.contains("请于截止日期前办理"), "{}", home.body);
    assert!(!home.body.contains("节假日安排"), "{}", home.body);
    // Submitted: the to-do is done.
    app.attach_materials("zhan", draft).await;
    let r = app.web_post(&mut zhan, &format!("/filings/{draft}/actions"), &[("kind", "submit")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let home = app.web_get(&mut zhan, "/home").await;
    assert!(!home.body.contains(&format!("href=\"/filings/{draft}\"")), "{}", home.body);
}

/// Issue 9 item 13: the draw form of a filing offers the filing's projects as the group's specialties,
/// and the group's size is bounded by policy on the server, the message naming the bounds.
#[tokio::test]
async fn i9_13_the_group_draw_defaults_to_the_filings_projects_and_its_size_is_bounded_by_policy() {
    let w = world().await;
    let app = &w.app;
    let id = filed_through_the_pages(app).await;
    let mut cs = app.direct_web("cs_staff").await;
    app.web_get(&mut cs, &format!("/filings/{id}")).await;
    app.web_post(&mut cs, &format!("/filings/{id}/actions"), &[("kind", "accept")]).await;
    let cal = app.store.calendar().await.expect("calendar");
    let date = cal.add_working_days(store::today(), 12).expect("date").to_string();
    let plan = [
        ("kind", "submit_plan"),
        ("evaluation_date", date.as_str()),
        ("place", "学校实操楼"),
        ("methods", "听取报告、文件审核、技术抽查、访谈咨询、质询答辩、现场考察"),
        ("contacts", "李四 0731-84567890"),
    ];
    assert_eq!(app.web_post(&mut cs, &format!("/filings/{id}/actions"), &plan).await.status, StatusCode::SEE_OTHER);
    let mut sheng = app.direct_web("sheng").await;
    app.web_get(&mut sheng, &format!("/filings/{id}")).await;
    app.web_post(&mut sheng, &format!("/filings/{id}/actions"), &[("kind", "approve_plan")]).await;
    let page = app.web_get(&mut sheng, &format!("/filings/{id}")).await;
    assert!(
        page.body.contains("id=\"specialties\" name=\"specialties\" value=\"米粉制作、湘菜烹饪\""),
        "the filing's projects are the default: {}",
        page.body
    );
    for size in ["2", "8", "15"] {
        let r = app
            .web_post(&mut sheng, &format!("/filings/{id}/actions"), &[("kind", "draw_group"), ("group_size", size)])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{size}: {}", r.body);
        assert!(error_beside(&r.body, "group_size").contains("评议组人数应为 3 至 7 人"), "{size}: {}", r.body);
    }
    let t = app.direct_token("sheng").await;
    let api = app
        .post_json(
            &format!("/api/v1/filings/{id}/actions"),
            Some(&t),
            &serde_json::json!({"kind":"draw_group","group_size":9}),
        )
        .await;
    assert_eq!(
        (api.status, api.json()["errors"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("COUNT_RANGE"))
    );
    let r = app
        .web_post(&mut sheng, &format!("/filings/{id}/actions"), &[("kind", "draw_group"), ("group_size", "3")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}
