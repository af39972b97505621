//! S2 through the pages: a station fills in, uploads and submits; the city accepts.

use super::*;

/// The annex-1 form as the test fills it in.
pub(crate) const FILING_INSTITUTION: &str = "长沙市岳麓区测试培训学校";
pub(crate) const FILING_PROJECTS: [&str; 2] = ["米粉制作", "湘菜烹饪"];
pub(crate) const FILING_FACILITIES: [(&str, &str, &str); 3] = [
    ("实操教室", "200 平方米、1 间", "实操考核"),
    ("燃气灶台", "12 台", "湘菜烹饪实操"),
    ("米粉加工设备", "6 套", "米粉制作实操"),
];
pub(crate) const FILING_ASSESSORS: [(&str, &str, &str); 3] = [
    ("王强", "考评员证 430100001", "米粉制作"),
    ("李娟", "考评员证 430100002", "湘菜烹饪"),
    ("陈刚", "考评员证 430100003", "米粉制作"),
];
/// The four kinds of material, as the upload form's select values them.
pub(crate) const MATERIAL_KINDS: [&str; 4] =
    ["qualification_proof", "venue_equipment_list", "assessor_roster", "management_rules"];

/// S2 through the pages: station_staff fills in a new application (first with a bad contact phone,
/// which is refused with an explanation beside the field), uploads the four materials and submits;
/// city_staff accepts it.
pub(crate) async fn file_submit_and_accept(
    c: &Client,
    base: &str,
    files_dir: &Path,
    shots: &mut Shots,
    problems: &mut Vec<String>,
) -> Result<()> {
    let mut secrets: HashMap<String, Vec<u8>> = HashMap::new();
    console_errors(c).await?;
    sign_in(c, base, "station_staff", &mut secrets, problems).await?;
    c.goto(&format!("{base}/filings/new")).await.context("open /filings/new")?;
    check_console(c, "station_staff on /filings/new", problems).await?;
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
    let errors = c.find_all(Locator::Css(".field-error")).await?;
    if errors.len() != 1 {
        let mut texts = Vec::new();
        for e in &errors {
            texts.push(e.text().await.unwrap_or_default());
        }
        problems.push(format!("expected one field error after a bad contact phone, found {texts:?}"));
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

    c.execute("window.confirm = () => true;", vec![]).await?;
    click_and_wait(c, "#action-submit button[type=submit]").await.context("submit the application")?;
    check_console(c, "station_staff after submitting", problems).await?;
    ensure_state(c, "待受理").await?;
    shots.take(c, "filing-submitted").await?;
    sign_out(c).await?;
    check_console(c, "station_staff after sign-out", problems).await?;

    sign_in(c, base, "city_staff", &mut secrets, problems).await?;
    c.goto(&format!("{base}/filings/{id}")).await.with_context(|| format!("open /filings/{id}"))?;
    check_console(c, &format!("city_staff on /filings/{id}"), problems).await?;
    ensure_state(c, "待受理").await?;
    c.execute("window.confirm = () => true;", vec![]).await?;
    click_and_wait(c, "#action-accept button[type=submit]").await.context("accept the application")?;
    check_console(c, "city_staff after accepting", problems).await?;
    ensure_state(c, "已受理").await?;
    shots.take(c, "filing-accepted").await?;
    sign_out(c).await?;
    check_console(c, "city_staff after sign-out", problems).await?;
    Ok(())
}

/// Fills in every field of the annex-1 form correctly.
pub(crate) async fn fill_filing_form(c: &Client) -> Result<()> {
    fill(c, "institution_name", FILING_INSTITUTION).await?;
    c.find(Locator::Id("nature")).await?.select_by_label("民办非企业单位").await.context("choose the nature")?;
    c.find(Locator::Id("category")).await?.select_by_label("其他单位").await.context("choose the category")?;
    fill(c, "person_in_charge_name", "刘芳").await?;
    fill(c, "person_in_charge_phone", "13807310001").await?;
    fill(c, "contact_name", "周红").await?;
    fill(c, "contact_phone", "0731-84567890").await?;
    fill(c, "address", "湖南省长沙市岳麓区麓山南路 2 号").await?;
    fill(c, "region_code", "430104").await?;
    for (i, project) in FILING_PROJECTS.iter().enumerate() {
        fill(c, &format!("project_{i}"), project).await?;
    }
    for (i, (name, spec, purpose)) in FILING_FACILITIES.iter().enumerate() {
        fill(c, &format!("facility_name_{i}"), name).await?;
        fill(c, &format!("facility_spec_{i}"), spec).await?;
        fill(c, &format!("facility_purpose_{i}"), purpose).await?;
    }
    for (i, (name, qualification, project)) in FILING_ASSESSORS.iter().enumerate() {
        fill(c, &format!("assessor_name_{i}"), name).await?;
        fill(c, &format!("assessor_qualification_{i}"), qualification).await?;
        fill(c, &format!("assessor_project_{i}"), project).await?;
    }
    let boxes = c.find_all(Locator::Css("input[type=checkbox][id^=\"condition_\"]")).await?;
    ensure!(boxes.len() == 5, "expected five condition checkboxes, found {}", boxes.len());
    for b in &boxes {
        if !b.is_selected().await? {
            b.click().await?;
        }
    }
    let evidence = c.find_all(Locator::Css("textarea[id^=\"evidence_\"]")).await?;
    ensure!(evidence.len() == 5, "expected five evidence fields, found {}", evidence.len());
    for (i, e) in evidence.iter().enumerate() {
        e.clear().await?;
        e.send_keys(&format!("见附报材料第 {} 项及情况说明", i % 4 + 1)).await?;
    }
    fill(c, "legal_representative", "刘芳").await?;
    let commitment = c.find(Locator::Id("commitment")).await?;
    if !commitment.is_selected().await? {
        commitment.click().await?;
    }
    Ok(())
}

/// The filing page's state tag reads `expected`.
pub(crate) async fn ensure_state(c: &Client, expected: &str) -> Result<()> {
    if let Ok(e) = c.find(Locator::Css("[role=alert]")).await {
        let alert = e.text().await.unwrap_or_default();
        bail!("the filing page shows an alert where the state should be {expected}: {alert:?}");
    }
    let tag = c.find(Locator::Css(".card-header h2 .tag")).await.context("no state tag on the filing page")?;
    let state = tag.text().await?;
    ensure!(state.trim() == expected, "the filing's state is {state:?}, expected {expected:?}");
    Ok(())
}
