//! Charts of the statistics pages, drawn on the server as SVG with plotters (svg backend only, no font
//! files: plotters' naive font estimates text sizes, the browser draws each `<text>` with its own CJK
//! font). plotters escapes every text and attribute it writes; the one attribute added here, the
//! chart's `aria-label`, is escaped by [`escape`].

use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordu32};
use plotters::prelude::*;

const W: u32 = 640;
const H: u32 = 300;

const COLORS: [RGBColor; 5] = [
    RGBColor(0x1f, 0x4e, 0x8c),
    RGBColor(0x2e, 0x9d, 0x5b),
    RGBColor(0xd9, 0x8b, 0x1c),
    RGBColor(0xb8, 0x3b, 0x3b),
    RGBColor(0x6b, 0x5b, 0xa8),
];

/// One series of a chart: its name (the legend) and a value per label.
pub struct Series {
    pub name: &'static str,
    pub values: Vec<f64>,
}

/// Text for an XML attribute or element.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The top of the value axis: the maximum rounded up to 1, 2 or 5 times a power of ten (1 for none).
fn axis_top(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * p).find(|v| *v >= max).unwrap_or(10.0 * p)
}

/// Ticks of the value axis: one per whole number up to 10, else six (never a fraction of a count).
fn ticks(top: f64) -> usize {
    if top <= 10.0 { top as usize + 1 } else { 6 }
}

/// The SVG with its accessible name and class.
fn finish(svg: String, caption: &str) -> String {
    svg.replacen("<svg ", &format!("<svg class=\"chart\" role=\"img\" aria-label=\"{}\" ", escape(caption)), 1)
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
/// A chart of segments (one per label) against whole numbers.
type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<SegmentedCoord<RangedCoordu32>, RangedCoordf64>>;

/// A function that draws one kind of chart.
type Draw = fn(&Area<'_>, &str, &[String], &[Series]) -> Result<(), String>;

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

fn legend(root: &Area<'_>, series: &[Series]) -> Result<(), String> {
    let mut x = 70;
    for (i, s) in series.iter().enumerate() {
        let c = COLORS[i % COLORS.len()];
        root.draw(&Rectangle::new([(x, 30), (x + 12, 42)], c.filled())).map_err(err)?;
        root.draw(&Text::new(s.name, (x + 16, 30), ("sans-serif", 12).into_font().color(&BLACK))).map_err(err)?;
        x += 24 + 14 * s.name.chars().count() as i32;
    }
    Ok(())
}

/// The chart both kinds draw on: white, the caption, one segment per label on the x axis (named by the
/// labels), whole-number ticks up to a round top on the y axis. Answers the chart and the segments.
fn frame<'a, 'b>(
    root: &'a Area<'b>,
    caption: &str,
    labels: &[String],
    series: &[Series],
) -> Result<(Chart<'a, 'b>, u32), String> {
    root.fill(&WHITE).map_err(err)?;
    let n = u32::try_from(labels.len().max(1)).unwrap_or(1);
    let max = series.iter().flat_map(|s| s.values.iter().copied()).fold(0.0, f64::max);
    let top = axis_top(max);
    let mut chart = ChartBuilder::on(root)
        .caption(caption, ("sans-serif", 16))
        .margin(12)
        .margin_top(30)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d((0u32..n).into_segmented(), 0f64..top)
        .map_err(err)?;
    let label = |v: &SegmentValue<u32>| match v {
        SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(labels.len().max(1))
        .x_label_formatter(&label)
        .y_labels(ticks(top))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .label_style(("sans-serif", 12))
        .draw()
        .map_err(err)?;
    Ok((chart, n))
}

fn draw_bars(root: &Area<'_>, caption: &str, labels: &[String], series: &[Series]) -> Result<(), String> {
    let (chart, n) = frame(root, caption, labels, series)?;
    let (x0, y0) = chart.backend_coord(&(SegmentValue::Exact(0), 0.0));
    let (x1, _) = chart.backend_coord(&(SegmentValue::Exact(n), 0.0));
    let seg = f64::from(x1 - x0) / f64::from(n);
    let k = series.len().max(1) as f64;
    let bar = seg * 0.8 / k;
    for (si, s) in series.iter().enumerate() {
        let c = COLORS[si % COLORS.len()];
        for (i, v) in s.values.iter().enumerate() {
            let (_, y) = chart.backend_coord(&(SegmentValue::Exact(0), *v));
            let left = f64::from(x0) + seg * i as f64 + seg * 0.1 + bar * si as f64;
            let rect = [(left.round() as i32, y), ((left + bar).round() as i32 - 1, y0)];
            root.draw(&Rectangle::new(rect, c.filled())).map_err(err)?;
        }
    }
    legend(root, series)?;
    root.present().map_err(err)
}

fn draw_lines(root: &Area<'_>, caption: &str, labels: &[String], series: &[Series]) -> Result<(), String> {
    let (mut chart, _) = frame(root, caption, labels, series)?;
    for (si, s) in series.iter().enumerate() {
        let c = COLORS[si % COLORS.len()];
        let points: Vec<(SegmentValue<u32>, f64)> =
            s.values.iter().enumerate().map(|(i, v)| (SegmentValue::CenterOf(i as u32), *v)).collect();
        chart.draw_series(LineSeries::new(points.clone(), c.stroke_width(2))).map_err(err)?;
        chart.draw_series(points.into_iter().map(|p| Circle::new(p, 3, c.filled()))).map_err(err)?;
    }
    legend(root, series)?;
    root.present().map_err(err)
}

fn render(caption: &str, labels: &[String], series: &[Series], draw: Draw) -> String {
    let mut svg = String::new();
    let drawn = {
        let root = SVGBackend::with_string(&mut svg, (W, H)).into_drawing_area();
        draw(&root, caption, labels, series)
    };
    match drawn {
        Ok(()) => finish(svg, caption),
        Err(e) => {
            tracing::warn!(error = %e, "chart not drawn");
            String::new()
        }
    }
}

/// Bars of each series side by side for every label.
pub fn bars(caption: &str, labels: &[String], series: &[Series]) -> String {
    render(caption, labels, series, draw_bars)
}

/// A line of each series through the labels (months).
pub fn lines(caption: &str, labels: &[String], series: &[Series]) -> String {
    render(caption, labels, series, draw_lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_svg_with_its_labels_escaped() {
        let svg = bars(
            "考生<人数>",
            &["长沙市".into(), "A&B <script>".into()],
            &[Series { name: "考生", values: vec![3.0, 1.0] }, Series { name: "通过", values: vec![2.0, 0.0] }],
        );
        assert!(svg.starts_with("<svg class=\"chart\" role=\"img\" aria-label=\"考生&lt;人数&gt;\" "), "{svg}");
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("长沙市") && svg.contains("A&amp;B &lt;script&gt;") && !svg.contains("<script"));
        assert!(svg.matches("<rect").count() >= 4, "{svg}");
        let l = lines("月份", &["1月".into(), "2月".into()], &[Series { name: "场次", values: vec![0.0, 2.0] }]);
        assert!(l.contains("<polyline") || l.contains("<path"), "{l}");
    }

    #[test]
    fn the_axis_ends_at_a_round_number() {
        assert_eq!(axis_top(0.0), 1.0);
        assert_eq!(axis_top(3.0), 5.0);
        assert_eq!(axis_top(12.0), 20.0);
        assert_eq!(axis_top(600.0), 1000.0);
    }
}
