//! R1, R2 (issue 13, "Statistics"): the province's and the 长沙 center's dashboards render their charts
//! — every server-drawn `svg.chart` has a non-zero box in the browser, its Chinese labels laid out as
//! `<text>` — with no console error and no broken link; the province filters by a city.

use super::*;

/// The charts of the page: their count, and those with an empty bounding box or no text.
async fn charts(c: &Client) -> Result<(u64, Vec<String>)> {
    let v = c
        .execute(
            "const out = []; const svgs = document.querySelectorAll('svg.chart');\
             svgs.forEach((s, i) => { const r = s.getBoundingClientRect(); const t = s.querySelectorAll('text');\
               let w = 0; t.forEach(x => { w += x.getBBox().width; });\
               if (!(r.width > 0 && r.height > 0 && t.length > 0 && w > 0)) {\
                 out.push((s.getAttribute('aria-label') || i) + ': ' + r.width + '×' + r.height + ', ' + t.length + ' texts'); } });\
             return [svgs.length, out];",
            vec![],
        )
        .await?;
    let n = v[0].as_u64().unwrap_or(0);
    let bad =
        v[1].as_array().map(|a| a.iter().map(|x| x.as_str().unwrap_or("").to_owned()).collect()).unwrap_or_default();
    Ok((n, bad))
}

pub(crate) async fn walk_the_statistics(
    c: &Client,
    server: &Server,
    _files_dir: &Path,
    shots: &mut Shots,
    problems: &mut Vec<String>,
) -> Result<()> {
    let base = server.base.as_str();
    let mut secrets: HashMap<String, Vec<u8>> = HashMap::new();
    for (who, paths) in [("province_staff", vec!["/stats", "/stats?city=430100"]), ("city_staff", vec!["/stats"])] {
        sign_in(c, base, who, &mut secrets, problems).await?;
        for path in paths {
            c.goto(&format!("{base}{path}")).await?;
            check_page(c, base, &format!("{who} on {path}"), problems).await?;
            let (n, bad) = charts(c).await?;
            if n < 6 {
                problems.push(format!("{who} on {path}: {n} charts, expected 6"));
            }
            for b in bad {
                problems.push(format!("{who} on {path}: a chart not rendered: {b}"));
            }
            let figures = c.find(Locator::Css("#table-certificates-city tbody")).await?.text().await?;
            if !figures.contains("长沙市") {
                problems.push(format!("{who} on {path}: no 长沙市 certificates: {figures}"));
            }
        }
        shots.take(c, &format!("stats-{who}")).await?;
        sign_out(c).await?;
    }
    Ok(())
}
