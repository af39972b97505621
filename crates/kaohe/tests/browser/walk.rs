//! S2–S5 through the pages, as every acting role (issue 9, "Done when"): the station fills in, uploads
//! and submits; the city returns it with a reason (a blank reason is refused first), the station
//! resubmits, the city accepts and reports the evaluation plan; the province approves the plan, draws
//! the group and is refused an early start (S3: not before the plan's date). On the demo filing whose
//! evaluation day has come, the province starts the evaluation, every drawn expert signs findings, the
//! province decides, and the station appears in the public directory, with its page and the public
//! draw page, and the catalog page of the project it applies for lists it (F2). Every page visited
//! must load without a console error, and every same-origin link on it must answer below 400.

use super::*;

/// The demo filing whose evaluation day is today (crates/kaohe/src/demo/filings.rs).
pub(crate) const DEMO_DUE_INSTITUTION: &str = "长沙市望城区铜官陶艺职业技能培训学校";
/// The catalog project it applies for (crates/kaohe/src/demo/specs.rs).
pub(crate) const DEMO_DUE_PROJECT: &str = "铜官窑陶艺制作";

/// The walk; problems found on the way are pushed, a broken step aborts with an error.
pub(crate) async fn walk_the_filing(
    c: &Client,
    server: &Server,
    files_dir: &Path,
    shots: &mut Shots,
    problems: &mut Vec<String>,
) -> Result<()> {
    let base = server.base.as_str();
    let mut secrets: HashMap<String, Vec<u8>> = HashMap::new();
    console_errors(c).await?;

    // S2: the station fills in, uploads and submits.
    sign_in(c, base, "station_staff", &mut secrets, problems).await?;
    let id = fill_save_upload_submit(c, base, files_dir, shots, problems).await?;
    sign_out(c).await?;

    // S2: the city returns it. A blank reason is stopped by the browser (`required`) before any
    // confirmation is asked; the server's own refusal is tested in the `it` suite.
    sign_in(c, base, "city_staff", &mut secrets, problems).await?;
    open_filing(c, base, id, "city_staff", problems).await?;
    ensure_state(c, "待受理").await?;
    let reason = c.find(Locator::Id("reason_return")).await.context("no return reason field")?;
    if reason.attr("required").await?.is_none() {
        problems.push("the return reason carries no `required`".into());
    }
    c.execute("window.confirmed = 0; window.confirm = () => { window.confirmed += 1; return true; };", vec![]).await?;
    c.find(Locator::Css("#action-return button[type=submit]")).await?.click().await?;
    let asked = c.execute("return window.confirmed;", vec![]).await?;
    if asked != json!(0) {
        problems.push("「确认退回？」 was asked with the reason still blank".into());
    }
    ensure!(c.current_url().await?.path() == format!("/filings/{id}"), "a blank return reason left the page");
    shots.take(c, "walk-return-blank-reason").await?;
    fill(c, "reason_return", "场地设备清单未列明燃气灶台的安全检验情况，请补充后重新提交。").await?;
    act(c, "return", problems, "city_staff returns the application", false).await?;
    ensure_state(c, "已退回").await?;
    shots.take(c, "walk-returned").await?;
    sign_out(c).await?;

    // The station sees the reason and resubmits.
    sign_in(c, base, "station_staff", &mut secrets, problems).await?;
    open_filing(c, base, id, "station_staff", problems).await?;
    ensure_state(c, "已退回").await?;
    let body = page_text(c).await?;
    if !body.contains("燃气灶台的安全检验情况") {
        problems.push("the station does not see the city's reason for returning its application".into());
    }
    act(c, "submit", problems, "station_staff resubmits", false).await?;
    ensure_state(c, "待受理").await?;
    shots.take(c, "walk-resubmitted").await?;
    sign_out(c).await?;

    // S2/S3: the city accepts and reports the evaluation plan.
    let evaluation_date = working_days_after_today(12, files_dir)?;
    sign_in(c, base, "city_staff", &mut secrets, problems).await?;
    open_filing(c, base, id, "city_staff", problems).await?;
    act(c, "accept", problems, "city_staff accepts", false).await?;
    ensure_state(c, "已受理").await?;
    set_value(c, "evaluation_date", &evaluation_date).await?;
    fill(c, "place", "长沙市岳麓区麓山南路 2 号实操教室").await?;
    fill(c, "methods", "听取报告、文件审核、现场考察，上午 9:00 开始").await?;
    fill(c, "contacts", "周红 0731-84567890").await?;
    act(c, "submit_plan", problems, "city_staff reports the plan", false).await?;
    ensure_state(c, "评估方案待审核").await?;
    shots.take(c, "walk-plan-reported").await?;
    sign_out(c).await?;

    // S3/S4: the province approves the plan, draws the group and may not start before the plan's date.
    sign_in(c, base, "province_staff", &mut secrets, problems).await?;
    open_filing(c, base, id, "province_staff", problems).await?;
    shots.take(c, "walk-plan-to-approve").await?;
    act(c, "approve_plan", problems, "province_staff approves the plan", false).await?;
    ensure_state(c, "评估方案已通过").await?;
    act(c, "draw_group", problems, "province_staff draws the group", false).await?;
    ensure_state(c, "待开始评估").await?;
    act(c, "start_evaluation", problems, "province_staff starts early", true).await?;
    let refusal = alert_text(c, "#action-start_evaluation").await;
    if !refusal.contains(&evaluation_date) {
        problems.push(format!("the refused early start does not name the plan's date {evaluation_date}: {refusal:?}"));
    }
    ensure_state_behind_alert(c, "待开始评估").await?;
    shots.take(c, "walk-early-start-refused").await?;

    // S4/S5 on the demo filing whose evaluation day has come.
    let due = find_filing(c, base, DEMO_DUE_INSTITUTION).await?;
    open_filing(c, base, due, "province_staff", problems).await?;
    ensure_state(c, "待开始评估").await?;
    act(c, "start_evaluation", problems, "province_staff starts the evaluation on its day", false).await?;
    ensure_state(c, "评估中").await?;
    let members = group_members(c).await?;
    ensure!(!members.is_empty(), "after the start the group card lists no member");
    shots.take(c, "walk-evaluation-started").await?;
    sign_out(c).await?;

    let mut signed = 0;
    // The demo prints `expert` among its accounts and the other seven registry experts' as expert2 … expert8.
    let experts = std::iter::once("expert".to_string()).chain((2..=8).map(|n| format!("expert{n}")));
    for username in experts {
        let username = username.as_str();
        sign_in(c, base, username, &mut secrets, problems).await?;
        // A member finds the evaluation among the to-dos on the workbench; the others do not.
        let task = format!("a[href=\"/filings/{due}/findings\"]");
        if let Ok(link) = c.find(Locator::Css(&task)).await {
            link.click().await?;
            check_page(c, base, &format!("{username} on the findings page"), problems).await?;
            sign_findings(c, username, problems).await?;
            if signed == 0 {
                shots.take(c, "walk-findings-signed").await?;
            }
            signed += 1;
        }
        sign_out(c).await?;
    }
    ensure!(signed == members.len(), "{signed} experts could sign findings, the group has {} members", members.len());

    sign_in(c, base, "province_staff", &mut secrets, problems).await?;
    open_filing(c, base, due, "province_staff", problems).await?;
    ensure_state(c, "待备案决定").await?;
    shots.take(c, "walk-to-decide").await?;
    fill(c, "decide_reason", "经专家评议组评估，符合备案条件。").await?;
    c.execute("window.confirm = () => true;", vec![]).await?;
    click_and_wait(c, "#action-decide button[value=\"true\"]").await.context("decide")?;
    check_console(c, "province_staff after deciding", problems).await?;
    ensure_state(c, "已备案").await?;
    shots.take(c, "walk-filed").await?;
    // Staff who run draws are linked to the draw's staff page; the public page has the same id.
    let staff_href = c
        .find(Locator::Css("a[href^=\"/admin/draws/\"]"))
        .await
        .context("the filed record links no draw page")?
        .attr("href")
        .await?
        .unwrap_or_default();
    let draw_href = staff_href.replace("/admin/draws/", "/draws/");
    sign_out(c).await?;

    // The public: the directory lists the station, its page opens, the draw can be checked.
    c.goto(&format!("{base}/stations")).await?;
    check_page(c, base, "the public directory", problems).await?;
    let directory = page_text(c).await?;
    ensure!(directory.contains(DEMO_DUE_INSTITUTION), "the public directory does not list {DEMO_DUE_INSTITUTION}");
    shots.take(c, "walk-public-directory").await?;
    let station = c
        .find(Locator::XPath(&format!("//a[contains(., '{DEMO_DUE_INSTITUTION}')]")))
        .await
        .context("the directory does not link the station's page")?;
    station.click().await?;
    check_page(c, base, "the public station page", problems).await?;
    shots.take(c, "walk-public-station").await?;
    c.goto(&format!("{base}{draw_href}")).await?;
    check_page(c, base, "the public draw page", problems).await?;
    let draw = page_text(c).await?;
    if !draw.contains("验证通过") {
        problems.push(format!("the public draw page {draw_href} does not say the draw verifies"));
    }
    if draw.contains("station_filing:") {
        problems.push(format!("the public draw page {draw_href} names the purpose by its code"));
    }
    shots.take(c, "walk-public-draw").await?;

    // F2: the project the station applied for lists it on its catalog page (found by the project's code).
    c.goto(&format!("{base}/catalog")).await?;
    let project = c
        .find(Locator::XPath(&format!("//a[normalize-space()='{DEMO_DUE_PROJECT}']")))
        .await
        .with_context(|| format!("the catalog does not link {DEMO_DUE_PROJECT}"))?;
    project.click().await?;
    check_page(c, base, "the station's project in the public catalog", problems).await?;
    if !page_text(c).await?.contains(DEMO_DUE_INSTITUTION) {
        problems.push(format!("the catalog page of {DEMO_DUE_PROJECT} does not list the filed {DEMO_DUE_INSTITUTION}"));
    }
    shots.take(c, "walk-public-catalog-project").await?;
    Ok(())
}

/// Station staff: a new application (first refused for a bad phone), four materials, submit. Returns
/// the new filing's id.
async fn fill_save_upload_submit(
    c: &Client,
    base: &str,
    files_dir: &Path,
    shots: &mut Shots,
    problems: &mut Vec<String>,
) -> Result<i64> {
    c.goto(&format!("{base}/filings/new")).await.context("open /filings/new")?;
    check_page(c, base, "station_staff on /filings/new", problems).await?;
    ensure!(c.current_url().await?.path() == "/filings/new", "station_staff cannot open /filings/new");

    fill_filing_form(c).await?;
    fill(c, "contact_phone", "12345").await?;
    click_and_wait(c, "form[action=\"/filings\"] button[type=submit]").await?;
    // The refused form comes back as 422 Unprocessable Entity, by design.
    let refused = format!("{base}/filings - Failed to load resource: the server responded with a status of 422");
    check_console_except(c, "station_staff after saving a bad contact phone", &refused, problems).await?;
    shots.take(c, "filings-new-bad-contact-phone").await?;
    match c.find(Locator::Css("#contact_phone ~ .field-error")).await {
        Ok(e) => {
            let text = e.text().await?;
            if !text.contains("手机号") && !text.contains("电话") {
                problems.push(format!("the contact phone error does not explain the format: {text:?}"));
            }
        }
        Err(_) => problems.push("no .field-error next to the contact phone after a bad phone number".into()),
    }
    let kept = c.find(Locator::Id("institution_name")).await?.prop("value").await?.unwrap_or_default();
    if kept != FILING_INSTITUTION {
        problems.push(format!("the typed institution name was not kept: {kept:?}"));
    }

    fill(c, "contact_phone", "0731-84567890").await?;
    click_and_wait(c, "form[action=\"/filings\"] button[type=submit]").await?;
    check_console(c, "station_staff after saving the application", problems).await?;
    let url = c.current_url().await?;
    let id = url
        .path()
        .strip_prefix("/filings/")
        .and_then(|rest| rest.parse::<i64>().ok())
        .ok_or_else(|| anyhow!("after saving the application the browser is on {url}, expected /filings/{{id}}"))?;
    println!("new filing {id}");
    ensure_state(c, "草稿").await?;

    for (i, kind) in MATERIAL_KINDS.iter().enumerate() {
        let path = files_dir.join(format!("material-{}.pdf", i + 1));
        std::fs::write(&path, format!("%PDF-1.4\n% kaohe browser test: {kind}\n%%EOF\n"))
            .with_context(|| format!("cannot write {}", path.display()))?;
        c.find(Locator::Id("material_kind"))
            .await?
            .select_by_value(kind)
            .await
            .with_context(|| format!("choose {kind}"))?;
        let absolute = path.canonicalize()?;
        c.find(Locator::Id("material_file"))
            .await?
            .send_keys(&absolute.to_string_lossy())
            .await
            .with_context(|| format!("choose the file for {kind}"))?;
        click_and_wait(c, "form[enctype=\"multipart/form-data\"] button[type=submit]").await?;
        check_console(c, &format!("station_staff after uploading {kind}"), problems).await?;
        if let Ok(e) = c.find(Locator::Css("#materials .alert-error")).await {
            bail!("uploading {kind} failed: {:?}", e.text().await.unwrap_or_default());
        }
    }
    let complete = c.find(Locator::Css("#materials .card-header .tag")).await?.text().await?;
    ensure!(complete.contains("齐全"), "after four uploads the materials card says {complete:?}");

    act(c, "submit", problems, "station_staff submits", false).await?;
    ensure_state(c, "待受理").await?;
    check_links(c, base, "the submitted filing", problems).await?;
    shots.take(c, "filing-submitted").await?;
    Ok(id)
}

/// Opens a filing's page and checks it.
async fn open_filing(c: &Client, base: &str, id: i64, who: &str, problems: &mut Vec<String>) -> Result<()> {
    c.goto(&format!("{base}/filings/{id}")).await.with_context(|| format!("open /filings/{id}"))?;
    check_page(c, base, &format!("{who} on /filings/{id}"), problems).await
}

/// Clicks the submit button of the `#action-{kind}` form (confirmations accepted). `refused` says the
/// server is expected to refuse the step (409/422 in the console is then expected).
async fn act(c: &Client, kind: &str, problems: &mut Vec<String>, what: &str, refused: bool) -> Result<()> {
    c.execute("window.confirm = () => true;", vec![]).await?;
    click_and_wait(c, &format!("#action-{kind} button[type=submit]")).await.with_context(|| what.to_string())?;
    if refused {
        check_console_except(c, what, "the server responded with a status of 4", problems).await?;
    } else {
        check_console(c, what, problems).await?;
        if let Ok(e) = c.find(Locator::Css(".alert-error")).await {
            bail!("{what}: refused with {:?}", e.text().await.unwrap_or_default());
        }
    }
    Ok(())
}

/// A value set through the DOM (date inputs take their value in the browser's locale format when typed).
pub(crate) async fn set_value(c: &Client, id: &str, value: &str) -> Result<()> {
    c.execute("document.getElementById(arguments[0]).value = arguments[1];", vec![json!(id), json!(value)])
        .await
        .with_context(|| format!("set #{id}"))?;
    Ok(())
}

async fn alert_text(c: &Client, scope: &str) -> String {
    match c.find(Locator::Css(&format!("{scope} .alert-error"))).await {
        Ok(e) => e.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// The state tag, on a page that also shows a refusal.
async fn ensure_state_behind_alert(c: &Client, expected: &str) -> Result<()> {
    let tag = c.find(Locator::Css(".card-header h2 .tag")).await.context("no state tag on the filing page")?;
    let state = tag.text().await?;
    ensure!(state.trim() == expected, "the filing's state is {state:?}, expected {expected:?}");
    Ok(())
}

pub(crate) async fn page_text(c: &Client) -> Result<String> {
    Ok(c.find(Locator::Css("body")).await?.text().await?)
}

/// The id of the filing whose list row names `institution`.
async fn find_filing(c: &Client, base: &str, institution: &str) -> Result<i64> {
    c.goto(&format!("{base}/filings")).await?;
    let link = c
        .find(Locator::XPath(&format!("//tr[contains(., '{institution}')]//a[starts-with(@href, '/filings/')]")))
        .await
        .with_context(|| format!("the filings list has no row for {institution}"))?;
    let href = link.attr("href").await?.unwrap_or_default();
    href.trim_start_matches("/filings/").parse().with_context(|| format!("bad filing link {href}"))
}

/// The names on the filing page's evaluation group card.
async fn group_members(c: &Client) -> Result<Vec<String>> {
    let mut names = Vec::new();
    let rows = "//div[contains(@class,'card')][.//h2[normalize-space()='专家评议组']]//tbody/tr/td[1]";
    for e in c.find_all(Locator::XPath(rows)).await? {
        names.push(e.text().await?);
    }
    Ok(names)
}

/// An expert fills every method's finding, concludes 通过 and signs.
async fn sign_findings(c: &Client, username: &str, problems: &mut Vec<String>) -> Result<()> {
    for t in c.find_all(Locator::Css("textarea[id^=\"finding_\"]")).await? {
        t.clear().await?;
        t.send_keys("材料齐全，场地设备与申报一致，符合备案条件。").await?;
    }
    c.find(Locator::Css("input[name=conclusion][value=pass]")).await.context("no 通过 conclusion")?.click().await?;
    c.execute("window.confirm = () => true;", vec![]).await?;
    click_and_wait(c, "form[action$=\"/findings\"] button[type=submit]").await?;
    check_console(c, &format!("{username} after signing findings"), problems).await?;
    if let Ok(e) = c.find(Locator::Css(".alert-error")).await {
        bail!("{username}: findings refused: {:?}", e.text().await.unwrap_or_default());
    }
    Ok(())
}

/// The console is clean and every same-origin link answers below 400.
pub(crate) async fn check_page(c: &Client, base: &str, context: &str, problems: &mut Vec<String>) -> Result<()> {
    check_console(c, context, problems).await?;
    check_links(c, base, context, problems).await
}

async fn check_links(c: &Client, base: &str, context: &str, problems: &mut Vec<String>) -> Result<()> {
    let errors = c.find_all(Locator::Css(".error-code")).await?;
    if let Some(e) = errors.first() {
        problems.push(format!("{context}: error page {}", e.text().await.unwrap_or_default()));
    }
    for href in same_origin_links(c, base, "a[href]").await? {
        if href.contains("/logout") || href.contains("/download") || href.ends_with(".xlsx") {
            continue;
        }
        match fetch_status(c, &href).await {
            Ok(status) if status < 400 => {}
            Ok(status) => problems.push(format!("{context}: link {href} answers HTTP {status}")),
            Err(e) => problems.push(format!("{context}: link {href}: {e:#}")),
        }
    }
    check_console(c, &format!("{context} (after checking its links)"), problems).await
}

/// The `n`th working day after today by kaohe's own calendar (`kaohe calendar add`, on a scratch
/// database in `data_dir`), as YYYY-MM-DD.
fn working_days_after_today(n: u32, data_dir: &Path) -> Result<String> {
    let today = time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+8)).date();
    let out = Command::new(env!("CARGO_BIN_EXE_kaohe"))
        .arg("--data-dir")
        .arg(data_dir)
        .current_dir(data_dir)
        .env_remove("KAOHE_DATABASE_URL")
        .args(["calendar", "add", &today.to_string(), &n.to_string()])
        .output()
        .context("run kaohe calendar add")?;
    ensure!(out.status.success(), "kaohe calendar add failed: {}", String::from_utf8_lossy(&out.stderr));
    Ok(String::from_utf8(out.stdout)?.trim().to_string())
}
