//! Rendered reports: charts as SVG text, written by hand so that reports need no library and no
//! network (a radar chart of the seven building blocks, a picture of an ecosystem's network), and
//! the printable diagnostic of a territory as one HTML file. Pure functions of their data: the
//! same diagnostic always gives the same picture. Every text is escaped.

use crate::diagnose::Loaded;
use solidaria_core::ecosystem;
use solidaria_core::finance::money::{Currency, MoneyStyle};
use solidaria_core::finance::reach::Received;
use std::fmt::Write as _;

mod history;
mod network;
mod shares;
pub use history::{history_chart, history_html};
pub use network::{PictureWords, layout, network_picture};
pub use shares::shares;

/// Escapes text for HTML and SVG (element content and attribute values).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A radar chart of scores from 0 to 100, one axis per label; each series is drawn as a polygon
/// (at most a few series: a territory and the one it is compared with). `title` is its
/// accessible name and tooltip, in the language of the page around it.
pub fn radar(title: &str, labels: &[&str], series: &[(&str, Vec<u32>)]) -> String {
    let (size, cx, cy, r) = (420.0, 210.0, 200.0, 140.0);
    let n = labels.len().max(1) as f64;
    let point = |i: usize, value: f64| {
        let angle = -std::f64::consts::FRAC_PI_2 + i as f64 * std::f64::consts::TAU / n;
        (cx + r * value / 100.0 * angle.cos(), cy + r * value / 100.0 * angle.sin())
    };
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="-110 -10 {} {}" role="img" aria-label="{t}"><title>{t}</title><style>text{{font:11px sans-serif;fill:#222}}</style>"#,
        size + 220.0,
        size,
        t = escape(title)
    );
    for ring in [25.0, 50.0, 75.0, 100.0] {
        let pts: Vec<String> =
            (0..labels.len()).map(|i| point(i, ring)).map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let _ = write!(s, r##"<polygon points="{}" fill="none" stroke="#ccc"/>"##, pts.join(" "));
    }
    for (i, label) in labels.iter().enumerate() {
        let (x, y) = point(i, 100.0);
        let (lx, ly) = point(i, 118.0);
        let anchor = if (lx - cx).abs() < 5.0 {
            "middle"
        } else if lx > cx {
            "start"
        } else {
            "end"
        };
        let _ = write!(s, r##"<line x1="{cx}" y1="{cy}" x2="{x:.1}" y2="{y:.1}" stroke="#ccc"/>"##);
        let _ = write!(s, r#"<text x="{lx:.1}" y="{ly:.1}" text-anchor="{anchor}">{}</text>"#, escape(label));
    }
    let colours = ["#1b7f5f", "#c2571a", "#3b5bdb"];
    for (k, (name, values)) in series.iter().enumerate() {
        let colour = colours[k % colours.len()];
        let pts: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| point(i, *v as f64))
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = write!(
            s,
            r#"<polygon points="{}" fill="{colour}" fill-opacity="0.18" stroke="{colour}" stroke-width="2"><title>{}</title></polygon>"#,
            pts.join(" "),
            escape(name)
        );
        let _ = write!(
            s,
            r#"<rect x="10" y="{}" width="10" height="10" fill="{colour}"/><text x="26" y="{}">{}</text>"#,
            10 + 16 * k,
            19 + 16 * k,
            escape(name)
        );
    }
    s.push_str("</svg>");
    s
}

/// A small horizontal bar chart: one bar per (label, count), the longest bar the largest
/// count, each bar followed by its number; `title` is the chart's accessible name. Sized to sit in
/// a table cell.
pub fn bars(title: &str, values: &[(&str, u64)]) -> String {
    let (label_w, bar_w, row) = (190.0, 120.0, 16.0);
    let max = values.iter().map(|v| v.1).max().unwrap_or(0).max(1) as f64;
    let height = row * values.len().max(1) as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="bars" width="{w}" height="{height}" viewBox="0 0 {w} {height}" role="img" aria-label="{t}"><title>{t}</title><style>text{{font:11px sans-serif;fill:#222}}</style>"#,
        w = label_w + bar_w + 40.0,
        t = escape(title)
    );
    for (i, (label, n)) in values.iter().enumerate() {
        let y = i as f64 * row;
        let len = (*n as f64 / max * bar_w).max(1.0);
        let _ = write!(
            s,
            r##"<text x="{lx}" y="{ty:.1}" text-anchor="end">{label}</text><rect x="{bx}" y="{ry:.1}" width="{len:.1}" height="{h:.1}" fill="#1b7f5f"/><text x="{nx:.1}" y="{ty:.1}">{n}</text>"##,
            lx = label_w - 4.0,
            ty = y + row - 4.0,
            label = escape(label),
            bx = label_w,
            ry = y + 2.0,
            h = row - 4.0,
            nx = label_w + len + 4.0,
        );
    }
    s.push_str("</svg>");
    s
}

/// The words of a chart of money received, in the language of the page around it.
pub struct ReceivedWords<'a> {
    /// The chart's heading (the fund's name).
    pub title: &'a str,
    /// Its accessible name.
    pub name: &'a str,
    /// The private money's line.
    pub private: &'a str,
    /// The public money's line.
    pub public: &'a str,
    /// What an empty chart says.
    pub empty: &'a str,
    /// Between a line's name and its amount (": ", " : " in French).
    pub separator: &'a str,
    /// How the amounts are written (`CAD 1,250.00`, `1 250,00 CAD`).
    pub money: MoneyStyle<'a>,
}

impl<'a> ReceivedWords<'a> {
    /// The English words, `name` being the accessible name made from the title by the caller.
    pub fn english(title: &'a str, name: &'a str) -> Self {
        ReceivedWords {
            title,
            name,
            private: "private received",
            public: "public received",
            empty: "no money received yet",
            separator: ": ",
            money: MoneyStyle::ENGLISH,
        }
    }
}

/// A step chart of private and public money received over time, cumulated by day (a fund's
/// leverage at a glance): one line per source, the dates of the first and last points and the
/// largest amount on the axes, amounts in the fund's currency, words from `words`. An empty
/// series gives a chart that says so.
pub fn received_chart(words: &ReceivedWords<'_>, currency: Currency, points: &[Received]) -> String {
    let (w, h, left, right, top, bottom) = (640.0, 320.0, 90.0, 20.0, 40.0, 50.0);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-label="{}"><style>text{{font:11px sans-serif;fill:#222}}</style>"#,
        escape(words.name)
    );
    let _ = write!(s, r#"<text x="{left}" y="20" style="font-weight:bold">{}</text>"#, escape(words.title));
    let (x0, x1, y0, y1) = (left, w - right, h - bottom, top);
    let _ = write!(
        s,
        r##"<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y0}" stroke="#888"/><line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}" stroke="#888"/>"##
    );
    if points.is_empty() {
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle">{}</text></svg>"#,
            (x0 + x1) / 2.0,
            (y0 + y1) / 2.0,
            escape(words.empty)
        );
        return s;
    }
    let days: Vec<i64> = points.iter().map(|p| day_number(&p.date)).collect();
    let (first, last) = (days[0], days[days.len() - 1]);
    let span = (last - first).max(1) as f64;
    let top_amount = points.iter().map(|p| p.private.max(p.public)).max().unwrap_or(0).max(1);
    let x = |d: i64| if last == first { (x0 + x1) / 2.0 } else { x0 + (x1 - x0) * (d - first) as f64 / span };
    let y = |a: i128| y0 - (y0 - y1) * a as f64 / top_amount as f64;
    for (label, colour, pick) in [
        (words.private, "#1b7f5f", (|p: &Received| p.private) as fn(&Received) -> i128),
        (words.public, "#c2571a", |p: &Received| p.public),
    ] {
        let mut path = format!("M{x0:.1},{y0:.1}");
        let mut prev = 0i128;
        for (p, d) in points.iter().zip(&days) {
            let _ = write!(path, " L{:.1},{:.1} L{:.1},{:.1}", x(*d), y(prev), x(*d), y(pick(p)));
            prev = pick(p);
        }
        let _ = write!(path, " L{x1:.1},{:.1}", y(prev));
        let _ = write!(
            s,
            r#"<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"><title>{}{}{}</title></path>"#,
            escape(label),
            escape(words.separator),
            escape(&currency.format_in(prev, &words.money))
        );
    }
    for (k, (label, colour)) in [(words.private, "#1b7f5f"), (words.public, "#c2571a")].iter().enumerate() {
        let ly = 14 + 16 * k;
        let _ = write!(
            s,
            r#"<rect x="{}" y="{}" width="10" height="10" fill="{colour}"/><text x="{}" y="{}">{}</text>"#,
            x1 - 130.0,
            ly,
            x1 - 115.0,
            ly + 9,
            escape(label)
        );
    }
    let _ = write!(
        s,
        r#"<text x="{}" y="{:.1}" text-anchor="end">{}</text><text x="{}" y="{y0}" text-anchor="end">0</text>"#,
        x0 - 6.0,
        y1 + 4.0,
        escape(&currency.format_in(top_amount, &words.money)),
        x0 - 6.0
    );
    let _ = write!(
        s,
        r#"<text x="{x0}" y="{}">{}</text><text x="{x1}" y="{}" text-anchor="end">{}</text>"#,
        y0 + 18.0,
        escape(&points[0].date),
        y0 + 18.0,
        escape(&points[points.len() - 1].date)
    );
    s.push_str("</svg>");
    s
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` day (0 when it does not read as one).
fn day_number(date: &str) -> i64 {
    let part = |r: std::ops::Range<usize>| date.get(r).and_then(|t| t.parse::<i64>().ok());
    let (Some(y), Some(m), Some(d)) = (part(0..4), part(5..7), part(8..10)) else { return 0 };
    // Days from civil (proleptic Gregorian), March-based years.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A printable HTML report: the radar chart of the blocks (with the compared territory), and for
/// each territory its scores with reasons, network picture, brokers, gaps and suggestions. Every
/// text from the database is escaped.
pub fn diagnostic_html(a: &Loaded, b: Option<&Loaded>) -> String {
    let labels: Vec<&str> = a.diagnostic.building_blocks.iter().map(|x| ecosystem::block_words(x.id)).collect();
    let mut series =
        vec![(a.diagnostic.territory.as_str(), a.diagnostic.building_blocks.iter().map(|x| x.score).collect())];
    if let Some(b) = b {
        series.push((b.diagnostic.territory.as_str(), b.diagnostic.building_blocks.iter().map(|x| x.score).collect()));
    }
    let title = match b {
        Some(b) => format!("SSE ecosystem of {} compared with {}", a.diagnostic.territory, b.diagnostic.territory),
        None => format!("SSE ecosystem of {}", a.diagnostic.territory),
    };
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>\
         body{{font:14px/1.45 sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111}}\
         table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}}\
         svg{{max-width:100%;height:auto}}section{{break-inside:avoid}}@media print{{body{{margin:0}}}}</style></head><body>\
         <h1>{}</h1><p>Generated by Solidaria. Scores, brokers and suggestions follow the rules in docs/ecosystem.md.</p>\
         <section><h2>Building blocks</h2>{}</section>",
        escape(&title),
        escape(&title),
        radar("Building-block scores", &labels, &series)
    );
    for l in std::iter::once(a).chain(b) {
        let d = &l.diagnostic;
        let n = &d.network;
        let _ = write!(
            s,
            "<section><h2>{}</h2><p>{} actors, {} links, {} connected part(s), {} communities, {} isolated actor(s).</p>\
             <table><tr><th>block</th><th>score</th><th>why</th></tr>",
            escape(&d.territory),
            n.nodes,
            n.edges,
            n.components,
            n.communities.len(),
            n.isolated.len()
        );
        for x in &d.building_blocks {
            let reasons: Vec<String> = x.reasons.iter().map(|r| escape(r)).collect();
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                ecosystem::block_words(x.id),
                x.score,
                reasons.join("<br>")
            );
        }
        s.push_str("</table><h3>Network</h3>");
        s.push_str(&network_picture(
            &PictureWords::english(&format!("Network of the actors of {}", d.territory)),
            d,
            &l.categories,
            &l.names,
            &l.edges,
        ));
        s.push_str(
            "<h3>Brokers to contact first</h3><p>Those that stand out from random networks with the same links \
             per actor, then the fewest that together bridge every pair of categories.</p>\
             <table class=\"shortlist\"><tr><th>actor</th><th>why</th><th>betweenness</th></tr>",
        );
        for br in n.shortlist.iter().filter_map(|id| n.brokers.iter().find(|b| b.id == *id)) {
            let _ = write!(
                s,
                "<tr><td>{} ({})</td><td>{}</td><td>{:.3}</td></tr>",
                escape(&br.name),
                escape(&br.id),
                escape(&br.reason()),
                br.betweenness
            );
        }
        let _ = write!(s, "</table><h3>Brokers ({}, first 15)</h3>", n.brokers.len());
        s.push_str("<table><tr><th>actor</th><th>betweenness</th><th>bridges</th></tr>");
        for br in n.brokers.iter().take(15) {
            let _ = write!(
                s,
                "<tr><td>{} ({})</td><td>{:.3}</td><td>{}</td></tr>",
                escape(&br.name),
                escape(&br.id),
                br.betweenness,
                escape(&br.bridges.join(", "))
            );
        }
        s.push_str("</table><h3>Gaps</h3><ul>");
        for g in &d.gaps {
            let _ = write!(s, "<li>{}</li>", escape(g));
        }
        s.push_str("</ul><h3>Suggested partnerships</h3><ul>");
        for x in d.suggestions.iter().take(15) {
            let _ = write!(
                s,
                "<li><strong>{} ↔ {}</strong> ({}): {}</li>",
                escape(&x.from),
                escape(&x.to),
                x.block.as_str(),
                escape(&x.reason)
            );
        }
        s.push_str("</ul></section>");
    }
    s.push_str("</body></html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
        let svg = radar("Scores <of> blocks", &["a<b", "c", "d"], &[("T<1>", vec![10, 50, 100])]);
        assert!(!svg.contains("<b") && svg.contains("a&lt;b") && svg.contains("T&lt;1&gt;"));
        assert!(
            svg.contains(r#"aria-label="Scores &lt;of&gt; blocks"><title>Scores &lt;of&gt; blocks</title>"#),
            "{svg}"
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn bars_are_scaled_to_the_largest_count_and_escape_their_labels() {
        let svg = bars("Actors <by> category", &[("co-ops & mutuals", 10), ("<b>funds</b>", 5)]);
        assert!(svg.contains(r#"aria-label="Actors &lt;by&gt; category""#), "{svg}");
        assert!(svg.contains("co-ops &amp; mutuals") && svg.contains("&lt;b&gt;funds&lt;/b&gt;"), "{svg}");
        assert!(svg.contains(r#"width="120.0""#) && svg.contains(r#"width="60.0""#), "half as long: {svg}");
        assert_eq!(svg.matches("<rect").count(), 2);
    }

    #[test]
    fn received_chart_draws_both_sources_with_escaped_text() {
        let c = Currency::parse("CAD").unwrap();
        let pts = vec![
            Received { date: "2024-01-10".into(), private: 100_000, public: 0 },
            Received { date: "2024-03-10".into(), private: 200_000, public: 100_000 },
        ];
        let svg = received_chart(&ReceivedWords::english("Fund <A>", "Fund <A>: money received"), c, &pts);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("Fund &lt;A&gt;") && !svg.contains("<A>"));
        assert!(svg.contains("private received: CAD 2,000.00") && svg.contains("public received: CAD 1,000.00"));
        assert!(svg.contains("2024-01-10") && svg.contains("2024-03-10"));
        assert!(received_chart(&ReceivedWords::english("F", "F"), c, &[]).contains("no money received yet"));
        assert_eq!(day_number("1970-01-01"), 0);
        assert_eq!(day_number("2024-03-01") - day_number("2024-02-28"), 2);
    }

    #[test]
    fn layouts_are_deterministic_and_inside_the_box() {
        let edges = [(0, 1), (1, 2), (2, 0), (3, 4)];
        let a = layout(6, &edges, 300.0, 200.0);
        assert_eq!(a, layout(6, &edges, 300.0, 200.0));
        assert!(a.iter().all(|(x, y)| (0.0..=300.0).contains(x) && (0.0..=200.0).contains(y)));
        // Linked nodes end closer together than unlinked ones, on average.
        let dist = |i: usize, j: usize| ((a[i].0 - a[j].0).powi(2) + (a[i].1 - a[j].1).powi(2)).sqrt();
        assert!(dist(0, 1) < dist(0, 4));
    }
}
