//! Every demo role signs in, sees a working home page and menu, and signs out.

use super::*;

/// Signs every demo account in and out; returns the problems found (empty when all is well).
pub(crate) async fn run_all(c: &Client, server: &Server, shots: &mut Shots) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut secrets: HashMap<String, Vec<u8>> = HashMap::new();
    for username in &server.usernames {
        println!("--- {username}");
        if let Err(e) = check_account(c, server, username, &mut secrets, shots, &mut problems).await {
            problems.push(format!("{username}: {e:#}"));
            // Start the next account from a clean slate, whatever state this one left behind.
            c.delete_all_cookies().await.context("clear cookies")?;
        }
    }
    Ok(problems)
}

pub(crate) async fn check_account(
    c: &Client,
    server: &Server,
    username: &str,
    secrets: &mut HashMap<String, Vec<u8>>,
    shots: &mut Shots,
    problems: &mut Vec<String>,
) -> Result<()> {
    let base = &server.base;
    console_errors(c).await?; // Discard whatever the previous account left in the log.
    sign_in(c, base, username, secrets, problems).await?;

    let url = c.current_url().await?;
    ensure!(url.path() == "/home", "after sign-in the browser is on {url}, expected /home");
    let h1 = c.find(Locator::Css("h1")).await.context("no <h1> on the home page")?.text().await?;
    ensure!(h1.trim() == "工作台", "the home page's <h1> is {h1:?}, expected \"工作台\"");
    shots.take(c, &format!("{username}-home")).await?;

    // Every same-origin link on the home page answers below 400.
    let hrefs = same_origin_links(c, base, "a[href]").await?;
    for href in &hrefs {
        match fetch_status(c, href).await {
            Ok(status) if status < 400 => {}
            Ok(status) => problems.push(format!("{username}: link {href} on /home answers HTTP {status}")),
            Err(e) => problems.push(format!("{username}: link {href} on /home: {e:#}")),
        }
    }
    check_console(c, &format!("{username} after checking the links of /home"), problems).await?;

    // Every menu entry opens a page without an error in the browser.
    let menu = same_origin_links(c, base, "nav.sidebar a[href]").await?;
    ensure!(!menu.is_empty(), "the home page shows no menu");
    for href in &menu {
        let target = c.current_url().await?.join(href).with_context(|| format!("bad link {href}"))?;
        c.goto(target.as_str()).await.with_context(|| format!("open {target}"))?;
        check_console(c, &format!("{username} on {href}"), problems).await?;
        let url = c.current_url().await?;
        if url.path() != target.path() {
            problems.push(format!("{username}: menu link {href} ended on {url}"));
        }
        let errors = c.find_all(Locator::Css(".error-code")).await?;
        if let Some(e) = errors.first() {
            let code = e.text().await.unwrap_or_default();
            problems.push(format!("{username}: menu link {href} shows error page {code}"));
        }
        shots.first_time(c, url.path()).await?;
    }

    if username == "system_admin" {
        bad_credit_code_explains_itself(c, base, shots, problems).await?;
    }

    sign_out(c).await?;
    check_console(c, &format!("{username} after sign-out"), problems).await?;
    let url = c.current_url().await?;
    ensure!(url.path() == "/login", "after sign-out the browser is on {url}, expected /login");
    Ok(())
}

/// Password, then the second factor where the server asks for it: enrolment (administrators) or the
/// code from the secret enrolled earlier.
pub(crate) async fn sign_in(
    c: &Client,
    base: &str,
    username: &str,
    secrets: &mut HashMap<String, Vec<u8>>,
    problems: &mut Vec<String>,
) -> Result<()> {
    c.goto(&format!("{base}/login")).await.context("open /login")?;
    check_console(c, &format!("{username} on /login"), problems).await?;
    fill(c, "username", username).await?;
    fill(c, "password", DEMO_PASSWORD).await?;
    click_and_wait(c, "form[action=\"/login\"] button[type=submit]").await?;
    check_console(c, &format!("{username} after the password"), problems).await?;

    let url = c.current_url().await?;
    match url.path() {
        "/account/totp" => {
            let shown = c
                .find(Locator::Css("span.mono"))
                .await
                .context("no secret (span.mono) on the enrolment page")?
                .text()
                .await?;
            let shown: String = shown.chars().filter(|ch| !ch.is_whitespace()).collect();
            let secret = Secret::try_from_base32(&shown)
                .map_err(|e| anyhow!("the enrolment secret {shown:?} is not base32: {e:?}"))?
                .as_bytes()
                .to_vec();
            let code = totp_code(&secret, username)?;
            secrets.insert(username.to_string(), secret);
            fill(c, "code", &code).await?;
            click_and_wait(c, "form[action=\"/account/totp\"] button[type=submit]").await?;
            check_console(c, &format!("{username} after enrolling the second factor"), problems).await?;
        }
        "/login/totp" => {
            let secret = secrets
                .get(username)
                .ok_or_else(|| anyhow!("/login/totp asks for a code but no secret was enrolled in this test"))?;
            let code = totp_code(secret, username)?;
            fill(c, "code", &code).await?;
            click_and_wait(c, "form[action=\"/login/totp\"] button[type=submit]").await?;
            check_console(c, &format!("{username} after the second factor"), problems).await?;
        }
        "/login" => {
            let alert = match c.find(Locator::Css(".alert-error")).await {
                Ok(e) => e.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            bail!("sign-in refused: {alert:?}");
        }
        _ => {}
    }
    Ok(())
}

pub(crate) fn totp_code(secret: &[u8], username: &str) -> Result<String> {
    let totp = totp_rs::Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret.to_vec())
        .with_account_name(username)
        .with_issuer(Some(TOTP_ISSUER))
        .build()
        .map_err(|e| anyhow!("cannot build a TOTP for {username}: {e:?}"))?;
    Ok(totp.generate_current().to_string())
}

/// As system_admin: a credit code with a wrong check character is refused with an explanation next
/// to the field, and what was typed is kept.
pub(crate) async fn bad_credit_code_explains_itself(
    c: &Client,
    base: &str,
    shots: &mut Shots,
    problems: &mut Vec<String>,
) -> Result<()> {
    const NAME: &str = "测试机构";
    c.goto(&format!("{base}/admin/orgs/new")).await.context("open /admin/orgs/new")?;
    check_console(c, "system_admin on /admin/orgs/new", problems).await?;
    fill(c, "name", NAME).await?;
    c.find(Locator::Id("nature")).await?.select_by_label("企业").await.context("choose nature 企业")?;
    fill(c, "credit_code", "91110000600037341N").await?;
    fill(c, "region_code", "430100").await?;
    fill(c, "address", "湖南省长沙市芙蓉区测试路 1 号").await?;
    fill(c, "contact_name", "张三").await?;
    fill(c, "contact_phone", "13800000000").await?;
    click_and_wait(c, "form[action=\"/admin/orgs\"] button[type=submit]").await?;
    // The refused form comes back as 422 Unprocessable Entity, by design; Chrome logs any document
    // answered with an error status, so that one entry is expected.
    let refused = format!("{base}/admin/orgs - Failed to load resource: the server responded with a status of 422");
    check_console_except(c, "system_admin after submitting a bad credit code", &refused, problems).await?;
    shots.take(c, "admin-orgs-new-bad-credit-code").await?;

    match c.find(Locator::Css("#credit_code ~ .field-error")).await {
        Ok(e) => {
            let text = e.text().await?;
            if !text.contains("校验") {
                problems.push(format!("the credit code error does not mention the check character: {text:?}"));
            }
        }
        Err(_) => problems.push("no .field-error next to the credit code after a bad check character".into()),
    }
    let kept = c.find(Locator::Id("name")).await?.prop("value").await?.unwrap_or_default();
    if kept != NAME {
        problems.push(format!("the typed organisation name was not kept: {kept:?}"));
    }
    Ok(())
}
