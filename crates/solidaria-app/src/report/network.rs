//! The picture of an ecosystem's network: a deterministic force-directed layout, nodes coloured
//! by category and sized by betweenness, brokers named; in the words of the page around it, each
//! node a link to its actor when the page asks for it.

use super::escape;
use solidaria_core::ecosystem::Diagnostic;
use std::fmt::Write as _;

/// Node positions by a deterministic force-directed layout (Fruchterman–Reingold, nodes starting
/// on a circle, a fixed number of rounds), scaled into a `width` × `height` box.
pub fn layout(nodes: usize, edges: &[(usize, usize)], width: f64, height: f64) -> Vec<(f64, f64)> {
    if nodes == 0 {
        return Vec::new();
    }
    let mut pos: Vec<(f64, f64)> = (0..nodes)
        .map(|i| {
            let a = i as f64 * std::f64::consts::TAU / nodes as f64;
            (a.cos(), a.sin())
        })
        .collect();
    let k = (4.0 / nodes as f64).sqrt();
    let mut temperature = 0.2;
    let rounds = if nodes > 400 { 60 } else { 200 };
    for _ in 0..rounds {
        let mut disp = vec![(0.0f64, 0.0f64); nodes];
        for i in 0..nodes {
            for j in (i + 1)..nodes {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let d2 = (dx * dx + dy * dy).max(1e-6);
                let f = k * k / d2;
                disp[i].0 += dx * f;
                disp[i].1 += dy * f;
                disp[j].0 -= dx * f;
                disp[j].1 -= dy * f;
            }
        }
        for &(a, b) in edges {
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let d = (dx * dx + dy * dy).sqrt().max(1e-6);
            let f = d / k;
            disp[a].0 -= dx * f;
            disp[a].1 -= dy * f;
            disp[b].0 += dx * f;
            disp[b].1 += dy * f;
        }
        for i in 0..nodes {
            // A weak pull to the centre keeps separate parts on the page.
            disp[i].0 -= pos[i].0 * 0.05;
            disp[i].1 -= pos[i].1 * 0.05;
            let d = (disp[i].0 * disp[i].0 + disp[i].1 * disp[i].1).sqrt().max(1e-9);
            let step = d.min(temperature);
            pos[i].0 += disp[i].0 / d * step;
            pos[i].1 += disp[i].1 / d * step;
        }
        temperature *= 0.97;
    }
    let (minx, maxx) = pos.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (miny, maxy) = pos.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let (sx, sy) = ((maxx - minx).max(1e-9), (maxy - miny).max(1e-9));
    pos.iter()
        .map(|(x, y)| (30.0 + (x - minx) / sx * (width - 60.0), 30.0 + (y - miny) / sy * (height - 60.0)))
        .collect()
}

/// The colour of an actor category in network pictures.
fn category_colour(category: &str) -> &'static str {
    match category {
        "sse_organization" => "#1b7f5f",
        "support_network" => "#c2571a",
        "knowledge_institution" => "#3b5bdb",
        "public_authority" => "#6b3fa0",
        "finance_provider" => "#b8860b",
        "private_business" => "#555555",
        "civil_society_movement" => "#c0392b",
        _ => "#999999",
    }
}

/// The words and links of a network picture, in the language of the page around it.
pub struct PictureWords<'a> {
    /// Its accessible name and tooltip.
    pub title: &'a str,
    /// A node's tooltip and accessible name from its actor's name, id, category code and
    /// betweenness.
    pub node: &'a dyn Fn(&str, &str, &str, f64) -> String,
    /// A category code in words (the legend).
    pub category: &'a dyn Fn(&str) -> String,
    /// The address of an actor's page by id, when each node links to it (the picture is then a
    /// group of links a keyboard reaches, not an image).
    pub href: Option<&'a dyn Fn(&str) -> String>,
}

impl PictureWords<'_> {
    /// English words with the actor ids, no links: the CLI's printable report.
    pub fn english(title: &str) -> PictureWords<'_> {
        PictureWords {
            title,
            node: &|name, id, category, b| format!("{name} ({id}), {category}, betweenness {b:.3}"),
            category: &|c| c.to_string(),
            href: None,
        }
    }
}

/// A picture of a diagnostic's network: nodes coloured by category, sized by betweenness, brokers
/// named (in their records' words, `lang=""`: of unknown language), with the words of `words`;
/// `categories` and `names` are per node, in the diagnostic's order; `edges` index nodes.
pub fn network_picture(
    words: &PictureWords<'_>,
    d: &Diagnostic,
    categories: &[String],
    names: &[String],
    edges: &[(usize, usize)],
) -> String {
    let (w, h) = (760.0, 520.0);
    let n = d.network.centrality.len();
    // Room on the right for the names of brokers.
    let pos = layout(n, edges, w - 170.0, h);
    let max_b = d.network.centrality.iter().map(|c| c.betweenness).fold(0.0, f64::max);
    let brokers: Vec<&str> = d.network.brokers.iter().take(8).map(|b| b.id.as_str()).collect();
    let mut s = String::new();
    let role = if words.href.is_some() { "group" } else { "img" };
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="{role}" aria-label="{t}"><title>{t}</title><style>text{{font:10px sans-serif;fill:#111}}</style>"#,
        t = escape(words.title)
    );
    for &(a, b) in edges {
        let _ = write!(
            s,
            r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#bbb" stroke-width="0.8"/>"##,
            pos[a].0, pos[a].1, pos[b].0, pos[b].1
        );
    }
    for (i, c) in d.network.centrality.iter().enumerate() {
        let radius = 3.5 + if max_b > 0.0 { 9.0 * c.betweenness / max_b } else { 0.0 };
        let category = categories.get(i).map(String::as_str).unwrap_or("");
        let name = names.get(i).map(String::as_str).unwrap_or("");
        let tip = escape(&(words.node)(name, &c.id, category, c.betweenness));
        let circle = format!(
            r#"<circle cx="{:.1}" cy="{:.1}" r="{radius:.1}" fill="{}">"#,
            pos[i].0,
            pos[i].1,
            category_colour(category)
        );
        match words.href {
            Some(href) => {
                let _ = write!(
                    s,
                    r#"<a href="{}" class="node"><title>{tip}</title>{circle}</circle></a>"#,
                    escape(&href(&c.id))
                );
            }
            None => {
                let _ = write!(s, "{circle}<title>{tip}</title></circle>");
            }
        }
        if brokers.contains(&c.id.as_str()) {
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{:.1}" aria-hidden="true" lang="">{}</text>"#,
                pos[i].0 + radius + 2.0,
                pos[i].1 + 3.0,
                escape(name)
            );
        }
    }
    let legend = [
        "sse_organization",
        "support_network",
        "knowledge_institution",
        "public_authority",
        "finance_provider",
        "private_business",
        "civil_society_movement",
    ];
    for (k, c) in legend.iter().enumerate() {
        let _ = write!(
            s,
            r#"<circle cx="{}" cy="{}" r="4" fill="{}"/><text x="{}" y="{}">{}</text>"#,
            14,
            h - 100.0 + 13.0 * k as f64,
            category_colour(c),
            22,
            h - 97.0 + 13.0 * k as f64,
            escape(&(words.category)(c))
        );
    }
    s.push_str("</svg>");
    s
}
