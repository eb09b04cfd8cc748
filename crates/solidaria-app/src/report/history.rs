//! A territory's history drawn: the building blocks' scores over time as a line chart, and the
//! printable page with the chart, the table and what changed.

use super::escape;
use solidaria_core::ecosystem;
use std::fmt::Write as _;

/// The colour of a building block's line in history charts (seven distinguishable colours).
fn block_colour(i: usize) -> &'static str {
    ["#1b7f5f", "#c2571a", "#3b5bdb", "#8a3ffc", "#b8860b", "#d6336c", "#495057"][i % 7]
}

/// A line chart of the seven building blocks' scores (0–100) at each point of a territory's
/// history, points spaced evenly (their dates under the axis), one line per block with its
/// name in the legend and each point's score in a tooltip. `title` is the chart's accessible
/// name and tooltip, and `labels` each block's name, in the reader's language.
pub fn history_chart(title: &str, h: &crate::diagnose::History, labels: &[&str]) -> String {
    use solidaria_core::actor::BuildingBlock;
    let (w, ht, left, right, top, bottom) = (720.0, 340.0, 40.0, 190.0, 20.0, 50.0);
    let n = h.points.len();
    let x = |i: usize| if n <= 1 { left } else { left + (w - left - right) * i as f64 / (n - 1) as f64 };
    let y = |v: u32| top + (ht - top - bottom) * (1.0 - f64::from(v) / 100.0);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {ht}" role="img" aria-label="{t}"><title>{t}</title><style>text{{font:11px sans-serif;fill:#222}}</style>"#,
        t = escape(title)
    );
    for v in [0, 40, 70, 100] {
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{}"/><text x="{:.1}" y="{:.1}" text-anchor="end">{v}</text>"##,
            y(v),
            w - right,
            y(v),
            if v == 40 { "#e8a0a0" } else { "#ddd" },
            left - 4.0,
            y(v) + 4.0
        );
    }
    for (i, p) in h.points.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x(i),
            ht - bottom + 16.0 + 12.0 * (i % 2) as f64,
            escape(if p.date.ends_with("-12-31") { &p.date[..4] } else { &p.date })
        );
    }
    for (k, b) in BuildingBlock::ALL.iter().enumerate() {
        let colour = block_colour(k);
        let label = labels.get(k).copied().unwrap_or(b.as_str());
        let pts: Vec<String> = h
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.score(*b).unwrap_or(0))))
            .collect();
        let _ = write!(
            s,
            r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"><title>{}</title></polyline>"#,
            pts.join(" "),
            escape(label)
        );
        for (i, p) in h.points.iter().enumerate() {
            let v = p.score(*b).unwrap_or(0);
            let _ = write!(
                s,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{colour}"><title>{}: {v} ({})</title></circle>"#,
                x(i),
                y(v),
                escape(label),
                escape(&p.date)
            );
        }
        let _ = write!(
            s,
            r#"<rect x="{:.1}" y="{}" width="10" height="10" fill="{colour}"/><text x="{:.1}" y="{}">{}</text>"#,
            w - right + 12.0,
            top + 18.0 * k as f64,
            w - right + 26.0,
            top + 9.0 + 18.0 * k as f64,
            escape(label)
        );
    }
    s.push_str("</svg>");
    s
}

/// A territory's history as one printable HTML file: the chart, the table and what changed.
pub fn history_html(h: &crate::diagnose::History) -> String {
    use solidaria_core::actor::BuildingBlock;
    let labels: Vec<&str> = BuildingBlock::ALL.iter().map(|b| ecosystem::block_words(*b)).collect();
    let mut s = String::new();
    let title = format!("Ecosystem of {} over time", h.territory);
    let _ = write!(
        s,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>body{{font:14px sans-serif;max-width:60rem;margin:2rem auto}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 6px;text-align:right}}</style></head><body><h1>{}</h1>{}",
        escape(&title),
        escape(&title),
        history_chart(&format!("Building-block scores of {} over time", h.territory), h, &labels)
    );
    s.push_str("<table><tr><th>date</th>");
    for l in &labels {
        let _ = write!(s, "<th>{}</th>", escape(l));
    }
    s.push_str("<th>actors</th><th>links</th><th>changes</th></tr>");
    for p in &h.points {
        let _ = write!(s, "<tr><td>{}</td>", escape(&p.date));
        for b in BuildingBlock::ALL {
            let _ = write!(s, "<td>{}</td>", p.score(*b).unwrap_or(0));
        }
        let _ = write!(
            s,
            "<td>{}</td><td>{}</td><td style=\"text-align:left\">{}</td></tr>",
            p.actors,
            p.links,
            escape(&p.changes.join("; "))
        );
    }
    let _ = writeln!(s, "</table><p>{}</p></body></html>", escape(&h.note));
    s
}
