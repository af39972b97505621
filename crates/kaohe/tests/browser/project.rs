//! P3, P4, P8, F2 through the pages, as every acting role (issue 11, "Done when"): the 长沙 development
//! unit fills in a specification — a name ending in 师 first, which the name rule refuses with its
//! explanation — uploads the feasibility report and submits; the 长沙 center forwards it; the province
//! draws the P4 review group and opens the review; each drawn expert finds the review among their
//! to-dos and files an opinion; the province establishes the project (a project code) and publishes it
//! in pilot; the public finds it in the catalog and on its own page. Every page visited must load
//! without a console error, and every same-origin link on it must answer below 400.

use super::*;

/// The specification the walk submits: a real Hunan project (FACTS.md). Its fields (苗绣, 民族工艺)
/// match three experts of the demo committee, so a group of three is everyone eligible.
const PROJECT_NAME: &str = "湘西苗绣制作";
const BAD_NAME: &str = "苗绣工艺师";
const PROJECT_TASKS: [(&str, &str, &str, &str); 3] = [
    ("纹样设计与描稿", "能识读苗族传统纹样；能按绣品用途完成纹样描稿", "苗族纹样文化；构图基础", "25"),
    ("针法运用与刺绣", "能运用平绣、辫绣、锁绣、破线绣等针法完成绣制", "苗绣针法知识；绣线与面料知识", "60"),
    ("绣品整理与质量检验", "能完成绣品熨烫、整理并检验质量", "绣品质量要求；非遗保护常识", "15"),
];

/// The demo's expert accounts by registry name (crates/kaohe/src/demo/mod.rs: `expert` is 欧阳明, the
/// others expert2 … expert8 in the registry's order).
const EXPERT_ACCOUNTS: [(&str, &str); 8] = [
    ("欧阳明", "expert"),
    ("谭晓红", "expert2"),
    ("刘建华", "expert3"),
    ("何丽娟", "expert4"),
    ("石春燕", "expert5"),
    ("王志强", "expert6"),
    ("陈芳", "expert7"),
    ("周敏", "expert8"),
];

/// The walk; problems found on the way are pushed, a broken step aborts with an error.
pub(crate) async fn walk_the_project(
    c: &Client,
    server: &Server,
    files_dir: &Path,
    shots: &mut Shots,
    problems: &mut Vec<String>,
) -> Result<()> {
    let base = server.base.as_str();
    let mut secrets: HashMap<String, Vec<u8>> = HashMap::new();
    console_errors(c).await?;

    // P3: the 长沙 unit writes and submits its application.
    sign_in(c, base, "devunit_staff2", &mut secrets, problems).await?;
    let id = fill_upload_submit(c, base, files_dir, shots, problems).await?;
    sign_out(c).await?;

    // P3: the 长沙 center's preliminary review forwards it to the province.
    sign_in(c, base, "city_staff", &mut secrets, problems).await?;
    open_project(c, base, id, "city_staff", problems).await?;
    ensure_state(c, "待市州初审").await?;
    shots.take(c, "project-city-review").await?;
    act(c, "forward", "city_staff forwards", problems).await?;
    ensure_state(c, "待省鉴定中心论证评审").await?;
    sign_out(c).await?;

    // P4: the province draws the review group (sealed), then opens the review.
    sign_in(c, base, "province_staff", &mut secrets, problems).await?;
    open_project(c, base, id, "province_staff", problems).await?;
    set_value(c, "group_size", "3").await?;
    act(c, "draw_review", "province_staff draws the review group", problems).await?;
    ensure_state(c, "待开始论证评审").await?;
    shots.take(c, "project-group-drawn").await?;
    act(c, "open_review", "province_staff opens the review", problems).await?;
    ensure_state(c, "论证评审中").await?;
    let members = review_members(c).await?;
    ensure!(members.len() == 3, "the opened review lists {members:?}, expected three members");
    shots.take(c, "project-review-open").await?;
    sign_out(c).await?;

    // P4: each member finds the review on the workbench and files an opinion, once.
    for (n, name) in members.iter().enumerate() {
        let Some((_, username)) = EXPERT_ACCOUNTS.iter().find(|(e, _)| e == name) else {
            bail!("the group member {name} has no demo account");
        };
        sign_in(c, base, username, &mut secrets, problems).await?;
        let task = format!("a[href=\"/projects/{id}/opinion\"]");
        c.find(Locator::Css(&task))
            .await
            .with_context(|| format!("{username} has no to-do for the review"))?
            .click()
            .await?;
        check_page(c, base, &format!("{username} on the opinion page"), problems).await?;
        if n == 0 {
            shots.take(c, "project-opinion-form").await?;
            c.execute("document.getElementById('opinion').scrollIntoView();", vec![]).await?;
            shots.take(c, "project-opinion-choices").await?;
        }
        c.find(Locator::Css("input[name=conclusion][value=agree]")).await.context("no 同意立项")?.click().await?;
        fill(c, "comments", "工作任务划分合理，权重与考核方式符合苗绣岗位实际，同意立项。").await?;
        c.execute("window.confirm = () => true;", vec![]).await?;
        click_and_wait(c, &format!("form[action=\"/projects/{id}/opinion\"] button[type=submit]")).await?;
        check_console(c, &format!("{username} after filing the opinion"), problems).await?;
        if let Ok(e) = c.find(Locator::Css(".alert-error")).await {
            bail!("{username}: opinion refused: {:?}", e.text().await.unwrap_or_default());
        }
        let text = page_text(c).await?;
        ensure!(text.contains("您已提交评审意见"), "{username}: after filing the page does not say it was filed");
        if n == 0 {
            shots.take(c, "project-opinion-filed").await?;
        }
        sign_out(c).await?;
    }

    // P4, P8: the province establishes (a project code) and publishes in pilot.
    sign_in(c, base, "province_staff", &mut secrets, problems).await?;
    open_project(c, base, id, "province_staff", problems).await?;
    ensure_state(c, "待设立决定").await?;
    shots.take(c, "project-to-establish").await?;
    act(c, "establish", "province_staff establishes", problems).await?;
    ensure_state(c, "已设立待发布").await?;
    let code = c
        .find(Locator::Css(".card .facts dd .mono"))
        .await
        .context("the established project shows no code")?
        .text()
        .await?;
    ensure!(code.len() == 4 && code.chars().all(|ch| ch.is_ascii_digit()), "project code {code:?}");
    let today = time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+8)).date().to_string();
    set_value(c, "publication_date_publish", &today).await?;
    act(c, "publish", "province_staff publishes", problems).await?;
    ensure_state(c, "试点中").await?;
    let page = page_text(c).await?;
    if !page.contains("试点截止日期") {
        problems.push("the published project does not show the pilot's last day".into());
    }
    shots.take(c, "project-published").await?;
    sign_out(c).await?;

    // F2: the public catalog lists it, and its page shows the specification and its history.
    c.goto(&format!("{base}/catalog")).await?;
    check_page(c, base, "the public catalog", problems).await?;
    let catalog = page_text(c).await?;
    ensure!(
        catalog.contains(PROJECT_NAME) && catalog.contains(&code),
        "the catalog does not list {code} {PROJECT_NAME}"
    );
    shots.take(c, "project-public-catalog").await?;
    c.goto(&format!("{base}/catalog/{code}")).await?;
    check_page(c, base, &format!("the public page /catalog/{code}"), problems).await?;
    let page = page_text(c).await?;
    for expected in [PROJECT_NAME, "湖南湘韵非遗技艺研究院", "试点", "针法运用与刺绣", &today] {
        if !page.contains(expected) {
            problems.push(format!("/catalog/{code} does not show {expected:?}"));
        }
    }
    shots.take(c, "project-public-page").await?;
    Ok(())
}

/// The unit: a new specification (first refused for a name ending in 师), the feasibility report,
/// submit. Returns the new project's id.
async fn fill_upload_submit(
    c: &Client,
    base: &str,
    files_dir: &Path,
    shots: &mut Shots,
    problems: &mut Vec<String>,
) -> Result<i64> {
    c.goto(&format!("{base}/projects/new")).await.context("open /projects/new")?;
    check_page(c, base, "devunit_staff2 on /projects/new", problems).await?;
    ensure!(c.current_url().await?.path() == "/projects/new", "devunit_staff2 cannot open /projects/new");
    fill_specification(c).await?;
    fill(c, "name", BAD_NAME).await?;
    click_and_wait(c, "form[action=\"/projects\"] button[type=submit]").await?;
    let refused = format!("{base}/projects - Failed to load resource: the server responded with a status of 422");
    check_console_except(c, "devunit_staff2 after saving a name ending in 师", &refused, problems).await?;
    shots.take(c, "project-new-bad-name").await?;
    match c.find(Locator::Css("#name ~ .field-error")).await {
        Ok(e) => {
            let text = e.text().await?;
            if !text.contains("不能以") && !text.contains("师") {
                problems.push(format!("the name error does not explain the name rule: {text:?}"));
            }
        }
        Err(_) => problems.push("no .field-error next to the project name after a name ending in 师".into()),
    }
    let kept = c.find(Locator::Id("task_name_1")).await?.prop("value").await?.unwrap_or_default();
    if kept != PROJECT_TASKS[1].0 {
        problems.push(format!("the typed tasks were not kept: {kept:?}"));
    }

    fill(c, "name", PROJECT_NAME).await?;
    click_and_wait(c, "form[action=\"/projects\"] button[type=submit]").await?;
    check_console(c, "devunit_staff2 after saving the specification", problems).await?;
    let url = c.current_url().await?;
    let id =
        url.path().strip_prefix("/projects/").and_then(|rest| rest.parse::<i64>().ok()).ok_or_else(|| {
            anyhow!("after saving the specification the browser is on {url}, expected /projects/{{id}}")
        })?;
    println!("new project {id}");
    ensure_state(c, "草稿").await?;

    c.goto(&format!("{base}/projects/{id}/edit")).await?;
    check_page(c, base, "devunit_staff2 on the edit page", problems).await?;
    let path = files_dir.join("feasibility.pdf");
    std::fs::write(&path, "%PDF-1.4\n% kaohe browser test: feasibility report\n%%EOF\n")
        .with_context(|| format!("cannot write {}", path.display()))?;
    c.find(Locator::Id("report_file")).await?.send_keys(&path.canonicalize()?.to_string_lossy()).await?;
    click_and_wait(c, "form[enctype=\"multipart/form-data\"] button[type=submit]").await?;
    check_console(c, "devunit_staff2 after uploading the report", problems).await?;
    let tag = c.find(Locator::Css("#feasibility_report .card-header .tag")).await?.text().await?;
    ensure!(tag.contains("已上传"), "after the upload the report card says {tag:?}");
    shots.take(c, "project-report-uploaded").await?;

    open_project(c, base, id, "devunit_staff2", problems).await?;
    act(c, "submit", "devunit_staff2 submits", problems).await?;
    ensure_state(c, "待市州初审").await?;
    shots.take(c, "project-submitted").await?;
    Ok(id)
}

/// Every field of the specification form, correctly (the name included).
async fn fill_specification(c: &Client) -> Result<()> {
    fill(c, "name", PROJECT_NAME).await?;
    fill(c, "target_group", "从事或准备从事民族刺绣的城乡劳动者，特别是农村妇女").await?;
    fill(c, "definition", "运用苗族传统针法，按纹样设计完成苗绣绣品的能力").await?;
    for (i, (name, norms, knowledge, weight)) in PROJECT_TASKS.iter().enumerate() {
        fill(c, &format!("task_name_{i}"), name).await?;
        fill(c, &format!("task_norms_{i}"), norms).await?;
        fill(c, &format!("task_knowledge_{i}"), knowledge).await?;
        fill(c, &format!("task_weight_{i}"), weight).await?;
    }
    for (id, value) in [
        ("theory_share", "20"),
        ("theory_pass_mark", "60"),
        ("theory_minutes", "60"),
        ("practical_share", "80"),
        ("practical_pass_mark", "60"),
        ("practical_minutes", "240"),
        ("min_panel_size", "3"),
    ] {
        fill(c, id, value).await?;
    }
    fill(c, "fields", "苗绣\n民族工艺").await
}

async fn open_project(c: &Client, base: &str, id: i64, who: &str, problems: &mut Vec<String>) -> Result<()> {
    c.goto(&format!("{base}/projects/{id}")).await.with_context(|| format!("open /projects/{id}"))?;
    check_page(c, base, &format!("{who} on /projects/{id}"), problems).await
}

/// Clicks the submit button of the `#action-{kind}` form (confirmations accepted); a refusal aborts.
async fn act(c: &Client, kind: &str, what: &str, problems: &mut Vec<String>) -> Result<()> {
    c.execute("window.confirm = () => true;", vec![]).await?;
    click_and_wait(c, &format!("#action-{kind} button[type=submit]")).await.with_context(|| what.to_string())?;
    check_console(c, what, problems).await?;
    if let Ok(e) = c.find(Locator::Css(".alert-error")).await {
        bail!("{what}: refused with {:?}", e.text().await.unwrap_or_default());
    }
    Ok(())
}

/// The names on the project page's review group card.
async fn review_members(c: &Client) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for e in c.find_all(Locator::Css("#review tbody tr td:first-child")).await? {
        names.push(e.text().await?.trim().to_string());
    }
    Ok(names)
}
