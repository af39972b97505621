//! Issue 12 ("Done when") through the pages: a new person registers a `candidate` account with their ID
//! number, signs in and applies on 我的考试 to the demo's draft session (open to applications); the
//! station (station_staff3) confirms the application on the session page, and the person sees it
//! confirmed. Then the demo candidate `candidate` (李小龙) sees his result of the finished demo session
//! under 我的成绩 and opens the admission ticket of the approved one (打印准考证). Every page visited
//! loads without a console error; screenshots of 我的成绩 and of the ticket go to /tmp as well.

use super::*;

const NEW_USERNAME: &str = "walk_candidate";
const NEW_NAME: &str = "欧阳晓雯";
/// The demo's draft session (crates/kaohe/src/demo/sessions.rs) is open to applications.
const OPEN_PROJECT: &str = "米粉制作";
const OPEN_STATION: &str = "长沙市岳麓区职业技能培训学校";

/// Clicks the button found by `xpath` (accepting its confirmation) and waits for the new page.
async fn click_xpath_and_wait(c: &Client, xpath: &str) -> Result<()> {
    c.execute("window.confirm = () => true;", vec![]).await?;
    crate::harness::click_found_and_wait(c, Locator::XPath(xpath), xpath).await
}

async fn text_of(c: &Client, css: &str) -> Result<String> {
    Ok(c.find(Locator::Css(css)).await.with_context(|| format!("no {css}"))?.text().await?)
}

/// A screenshot in the test's directory and a copy in /tmp (to look at).
async fn shot(c: &Client, shots: &mut Shots, name: &str) -> Result<()> {
    shots.take(c, name).await?;
    let from = shots.dir.join(format!("{name}.png"));
    std::fs::copy(&from, format!("/tmp/kaohe-{name}.png")).with_context(|| format!("copy {}", from.display()))?;
    Ok(())
}

pub(crate) async fn walk_the_candidate(
    c: &Client,
    server: &Server,
    _files_dir: &Path,
    shots: &mut Shots,
    problems: &mut Vec<String>,
) -> Result<()> {
    let base = server.base.as_str();
    let mut secrets: HashMap<String, Vec<u8>> = HashMap::new();
    console_errors(c).await?;

    // A new person registers with a valid ID number, from the sign-in page's link.
    c.goto(&format!("{base}/login")).await?;
    click_xpath_and_wait(c, "//a[@href='/candidate/register']").await.context("no sign-up link on /login")?;
    check_page(c, base, "the sign-up page", problems).await?;
    let body = "43010519990909123";
    let check = domain::ids::id_number_check_char(body).ok_or_else(|| anyhow!("17 digits: {body}"))?;
    for (id, value) in [
        ("username", NEW_USERNAME.to_owned()),
        ("name", NEW_NAME.to_owned()),
        ("id_number", format!("{body}{check}")),
        ("phone", "13907319999".to_owned()),
        ("password", DEMO_PASSWORD.to_owned()),
        ("password_confirm", DEMO_PASSWORD.to_owned()),
    ] {
        fill(c, id, &value).await?;
    }
    click_and_wait(c, "form[action=\"/candidate/register\"] button[type=submit]").await?;
    check_console(c, "after signing up", problems).await?;
    let done = text_of(c, ".alert-success").await.context("the sign-up was not confirmed")?;
    ensure!(done.contains(NEW_USERNAME) && done.contains("已注册"), "sign-up answer: {done:?}");

    // They sign in and apply to the open demo session on 我的考试.
    sign_in(c, base, NEW_USERNAME, &mut secrets, problems).await?;
    c.goto(&format!("{base}/my/exams")).await?;
    check_page(c, base, "the new candidate on /my/exams", problems).await?;
    let row = format!("//div[@id='open']//tr[contains(., '{OPEN_PROJECT}') and contains(., '{OPEN_STATION}')]");
    click_xpath_and_wait(c, &format!("{row}//form[@action='/my/applications']//button"))
        .await
        .context("no open demo session to apply to")?;
    check_console(c, "after applying", problems).await?;
    let mine = text_of(c, "#mine").await?;
    ensure!(mine.contains(OPEN_PROJECT) && mine.contains("待考核站确认"), "我的报名 after applying: {mine:?}");
    sign_out(c).await?;

    // The station confirms the application on the session's applications page (linked from its page).
    sign_in(c, base, "station_staff3", &mut secrets, problems).await?;
    c.goto(&format!("{base}/sessions?state=draft")).await?;
    let link = c
        .find(Locator::XPath(&format!("//tr[contains(., '{OPEN_PROJECT}')]//a[starts-with(@href, '/sessions/')]")))
        .await
        .context("the session list has no draft of the demo")?;
    let href = link.attr("href").await?.unwrap_or_default();
    c.goto(&format!("{base}{href}")).await?;
    check_page(c, base, &format!("station_staff3 on {href}"), problems).await?;
    click_xpath_and_wait(c, "//div[@id='applications']//a[contains(@href, '/applications')]")
        .await
        .context("the session page does not link its applications")?;
    check_page(c, base, &format!("station_staff3 on {href}/applications"), problems).await?;
    let confirm = format!(
        "//table[@id='application-list']//tr[contains(., '{NEW_NAME}')]//form[.//input[@name='action' and @value='confirm']]//button"
    );
    click_xpath_and_wait(c, &confirm).await.context("the application is not listed to confirm")?;
    check_console(c, "station_staff3 after confirming", problems).await?;
    if let Ok(e) = c.find(Locator::Css(".alert-error")).await {
        bail!("the confirmation was refused: {:?}", e.text().await.unwrap_or_default());
    }
    let apps = text_of(c, "#application-list").await?;
    c.goto(&format!("{base}{href}")).await?;
    let candidates = text_of(c, "#candidates").await?;
    if !apps.contains(NEW_NAME) || !candidates.contains(NEW_NAME) {
        problems.push(format!("after the confirmation {NEW_NAME} is not on the roster: {candidates:?}"));
    }
    sign_out(c).await?;

    // The person sees the application confirmed.
    sign_in(c, base, NEW_USERNAME, &mut secrets, problems).await?;
    c.goto(&format!("{base}/my/exams")).await?;
    let mine = text_of(c, "#mine").await?;
    if !mine.contains("已确认") {
        problems.push(format!("the new candidate does not see the confirmation: {mine:?}"));
    }
    sign_out(c).await?;

    // 李小龙 sees his result of the finished session and prints his ticket of the approved one.
    sign_in(c, base, "candidate", &mut secrets, problems).await?;
    c.goto(&format!("{base}/my/exams")).await?;
    check_page(c, base, "candidate on /my/exams", problems).await?;
    let results = text_of(c, "#results").await?;
    let line = results.lines().find(|l| l.contains(OPEN_PROJECT)).unwrap_or_default().to_owned();
    if !line.contains("合格") || line.contains("不合格") || !line.contains("78") || !line.contains("84") {
        problems.push(format!("我的成绩 does not show 李小龙's pass (78, 84): {results:?}"));
    }
    c.execute("document.getElementById('results').scrollIntoView();", vec![]).await?;
    shot(c, shots, "candidate-results").await?;
    click_xpath_and_wait(c, "//div[@id='mine']//a[normalize-space()='打印准考证']")
        .await
        .context("no 打印准考证 link on 我的报名")?;
    let url = c.current_url().await?;
    ensure!(url.path().starts_with("/my/tickets/"), "the ticket link leads to {url}");
    check_page(c, base, &format!("candidate on {}", url.path()), problems).await?;
    let ticket = page_text(c).await?;
    for expected in ["专项职业能力考核准考证", "准考证号", "李小龙", OPEN_PROJECT, OPEN_STATION, "考生须知"]
    {
        if !ticket.contains(expected) {
            problems.push(format!("the ticket does not show {expected:?}"));
        }
    }
    let number = text_of(c, ".ticket-number").await?;
    if number.trim().is_empty() {
        problems.push("the ticket has no ticket number".into());
    }
    shot(c, shots, "candidate-ticket").await?;
    c.goto(&format!("{base}/my/exams")).await?;
    sign_out(c).await
}
