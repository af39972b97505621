//! The annex-1 form as the browser walk fills it in, and the filing page's state tag.

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
