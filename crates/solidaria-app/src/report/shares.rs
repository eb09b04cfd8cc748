//! A chart of shares: one horizontal bar per row, split into parts (e.g. the actors that qualify,
//! do not qualify and cannot be decided under one profile), each bar the full width whatever
//! its total, so that rows of different sizes compare as proportions.

use super::escape;
use std::fmt::Write as _;

/// A stacked bar chart of shares. `parts` names each part and gives its colour; each row is a
/// label and one count per part (the row's total is their sum; an empty row shows as a grey
/// bar). Each part of a bar carries a tooltip with its name, count and percentage; the row's
/// total follows the bar. `title` is the chart's accessible name.
pub fn shares(title: &str, parts: &[(&str, &str)], rows: &[(&str, Vec<u64>)]) -> String {
    let (label_w, bar_w, row_h, legend_h) = (170.0, 260.0, 20.0, 22.0);
    let width = label_w + bar_w + 60.0;
    let height = legend_h + row_h * rows.len().max(1) as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="shares" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{t}"><title>{t}</title><style>text{{font:11px sans-serif;fill:#222}}</style>"#,
        t = escape(title)
    );
    let mut x = label_w;
    for (name, colour) in parts {
        let _ = write!(
            s,
            r#"<rect x="{x:.1}" y="4" width="10" height="10" fill="{c}"/><text x="{tx:.1}" y="13">{n}</text>"#,
            c = escape(colour),
            tx = x + 14.0,
            n = escape(name)
        );
        x += 14.0 + 7.0 * name.chars().count() as f64 + 12.0;
    }
    for (i, (label, counts)) in rows.iter().enumerate() {
        let y = legend_h + i as f64 * row_h;
        let total: u64 = counts.iter().sum();
        let _ = write!(
            s,
            r#"<text x="{lx}" y="{ty:.1}" text-anchor="end">{label}</text>"#,
            lx = label_w - 4.0,
            ty = y + row_h - 6.0,
            label = escape(label)
        );
        if total == 0 {
            let _ = write!(
                s,
                r##"<rect x="{label_w}" y="{y:.1}" width="{bar_w}" height="{h:.1}" fill="#ddd"/>"##,
                h = row_h - 4.0
            );
        }
        let mut at = label_w;
        for (n, (name, colour)) in counts.iter().zip(parts) {
            if *n == 0 || total == 0 {
                continue;
            }
            let w = *n as f64 / total as f64 * bar_w;
            let pct = *n as f64 * 100.0 / total as f64;
            let _ = write!(
                s,
                r#"<rect x="{at:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{c}"><title>{name}: {n} ({pct:.0} %)</title></rect>"#,
                h = row_h - 4.0,
                c = escape(colour),
                name = escape(name)
            );
            at += w;
        }
        let _ = write!(
            s,
            r#"<text x="{nx:.1}" y="{ty:.1}">{total}</text>"#,
            nx = label_w + bar_w + 4.0,
            ty = y + row_h - 6.0
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_proportions_of_their_row_and_text_is_escaped() {
        let svg = shares(
            "Verdicts <all>",
            &[("qualifies", "#1b7f5f"), ("does not", "#b3261e"), ("unknown", "#999")],
            &[("p & q", vec![1, 1, 2]), ("empty", vec![0, 0, 0])],
        );
        assert!(svg.contains("Verdicts &lt;all&gt;") && svg.contains("p &amp; q"));
        // 1 of 4 is a quarter of the 260-pixel bar; 2 of 4 half of it.
        assert!(svg.contains(r#"width="65.0""#) && svg.contains(r#"width="130.0""#), "{svg}");
        assert!(svg.contains("qualifies: 1 (25 %)") && svg.contains("unknown: 2 (50 %)"));
        assert!(svg.contains(r##"fill="#ddd""##), "an empty row is grey");
    }
}
