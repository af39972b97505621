//! E3 through the pages (issue 12, "Done when"): the demo station (station_staff3) opens its draft exam
//! session and uploads a roster with a bad row — the page names the row, the column and the reason and
//! the list does not change — then the corrected roster, which imports. Every page visited must load
//! without a console error (the refused upload answers 422, which the console reports and is expected).

use super::*;

/// The demo's draft session (crates/kaohe/src/demo/sessions.rs): its project and its four candidates.
const DEMO_DRAFT_PROJECT: &str = "米粉制作";
const DEMO_DRAFT_CANDIDATES: usize = 4;

/// A roster file of `rows` (name, ID number) written into `dir`.
fn roster(dir: &Path, name: &str, rows: &[(&str, &str)]) -> Result<PathBuf> {
    let rows = rows
        .iter()
        .map(|(n, id)| {
            vec![(*n).to_owned(), (*id).to_owned(), String::new(), String::new(), String::new(), String::new()]
        })
        .collect();
    let bytes =
        web::xlsx::write(&[web::xlsx::Sheet { name: "考生名册", headers: &domain::exams::ROSTER_COLUMNS, rows }])
            .map_err(|e| anyhow!("write the roster: {e}"))?;
    let path = dir.join(name);
    std::fs::write(&path, bytes)?;
    Ok(path.canonicalize()?)
}

fn id_number(body: &str) -> Result<String> {
    let check = domain::ids::id_number_check_char(body).ok_or_else(|| anyhow!("17 digits: {body}"))?;
    Ok(format!("{body}{check}"))
}

async fn candidate_rows(c: &Client) -> Result<usize> {
    Ok(c.find_all(Locator::Css("#candidates tbody tr td.mono")).await?.len())
}

async fn upload(c: &Client, path: &Path) -> Result<()> {
    c.find(Locator::Id("file")).await.context("no roster file input")?.send_keys(&path.to_string_lossy()).await?;
    click_and_wait(c, "form[action$=\"/roster\"] button[type=submit]").await
}

pub(crate) async fn walk_the_roster(
    c: &Client,
    server: &Server,
    files_dir: &Path,
    shots: &mut Shots,
    problems: &mut Vec<String>,
) -> Result<()> {
    let base = server.base.as_str();
    let mut secrets: HashMap<String, Vec<u8>> = HashMap::new();
    console_errors(c).await?;
    sign_in(c, base, "station_staff3", &mut secrets, problems).await?;
    c.goto(&format!("{base}/sessions?state=draft")).await?;
    check_page(c, base, "station_staff3 on /sessions", problems).await?;
    let link = c
        .find(Locator::XPath(&format!(
            "//tr[contains(., '{DEMO_DRAFT_PROJECT}')]//a[starts-with(@href, '/sessions/')]"
        )))
        .await
        .context("the session list has no draft of the demo")?;
    let href = link.attr("href").await?.unwrap_or_default();
    c.goto(&format!("{base}{href}")).await?;
    check_page(c, base, &format!("station_staff3 on {href}"), problems).await?;
    ensure!(candidate_rows(c).await? == DEMO_DRAFT_CANDIDATES, "the demo draft lists its four candidates");
    shots.take(c, "roster-before").await?;

    // A bad check character on the second data row (the spreadsheet's row 3): nothing is saved.
    let good = id_number("43010219910101101")?;
    let bad = "430102199101011020";
    let second = id_number("43010219910101102")?;
    let path = roster(files_dir, "roster-bad.xlsx", &[("赵一", &good), ("钱二", bad)])?;
    upload(c, &path).await?;
    check_console_except(c, "station_staff3 uploads a bad roster", "the server responded with a status of 4", problems)
        .await?;
    let alert = c
        .find(Locator::Css("#candidates .alert-error"))
        .await
        .context("a refused roster shows no alert on the candidates card")?
        .text()
        .await?;
    if !alert.contains("第 3 行「身份证号码」") || !alert.contains("没有任何变化") {
        problems.push(format!("the refused roster does not name row 3's ID number or say nothing changed: {alert:?}"));
    }
    let n = candidate_rows(c).await?;
    if n != DEMO_DRAFT_CANDIDATES {
        problems.push(format!("after a refused roster the list shows {n} candidates, not {DEMO_DRAFT_CANDIDATES}"));
    }
    c.execute("document.getElementById('candidates').scrollIntoView();", vec![]).await?;
    shots.take(c, "roster-refused").await?;

    // The corrected roster imports.
    let path = roster(files_dir, "roster-good.xlsx", &[("赵一", &good), ("钱二", &second)])?;
    upload(c, &path).await?;
    check_console(c, "station_staff3 uploads the corrected roster", problems).await?;
    if let Ok(e) = c.find(Locator::Css(".alert-error")).await {
        bail!("the corrected roster was refused: {:?}", e.text().await.unwrap_or_default());
    }
    let n = candidate_rows(c).await?;
    ensure!(n == DEMO_DRAFT_CANDIDATES + 2, "after the corrected roster the list shows {n} candidates");
    let body = page_text(c).await?;
    if !body.contains("赵一") || !body.contains("钱二") || body.contains(&good) {
        problems.push("the imported candidates are not listed, or an ID number is shown in full".into());
    }
    check_page(c, base, "station_staff3 after the import", problems).await?;
    c.execute("document.getElementById('candidates').scrollIntoView();", vec![]).await?;
    shots.take(c, "roster-imported").await?;
    sign_out(c).await
}
