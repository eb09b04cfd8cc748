//! Server-rendered pages (askama templates in `templates/`; every value is HTML-escaped).

mod actor;
mod cases;
mod finance;
mod profiles;
pub use actor::actor;
pub use cases::{case, cases};
pub use finance::{fund, funds};
pub use profiles::{profile, profiles};

use crate::i18n::{Messages, messages};
use askama::Template;
use solidaria_core::Actor;
use solidaria_core::screening::{Verdict, builtin, profile::SubjectKind};

/// A filled-in template (a template that cannot render says so in the page rather than failing
/// the request; the templates are checked at compile time, so this does not happen).
pub(crate) fn render(page: impl Template) -> String {
    page.render().unwrap_or_else(|e| format!("template error: {e}"))
}

/// Percent-encodes a path or text for a query value.
pub(crate) fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The links between the pages of a long list: which items this page shows, and the previous
/// and next pages (the list's address with another `offset`).
pub struct Pager {
    /// The first item shown, from 1 (0 when there is none).
    pub from: usize,
    /// The last item shown.
    pub to: usize,
    /// Items in the whole list.
    pub total: usize,
    /// The previous page's address.
    pub prev: Option<String>,
    /// The next page's address.
    pub next: Option<String>,
}

impl Pager {
    /// The pager of a page of `shown` items from `offset` (the page size `limit`) of `total`;
    /// `base` is the list's address with its query, to which `&offset=` is added.
    pub fn new(base: &str, offset: usize, limit: usize, shown: usize, total: usize) -> Pager {
        let limit = limit.max(1);
        let at = |o: usize| if o == 0 { base.to_string() } else { format!("{base}&offset={o}") };
        Pager {
            from: if shown == 0 { 0 } else { offset + 1 },
            to: offset + shown,
            total,
            prev: (offset > 0).then(|| at(offset.saturating_sub(limit))),
            next: (offset + shown < total && shown > 0).then(|| at(offset + limit)),
        }
    }

    /// A list's address for its pager: `base` (with its query), and the page size when it is
    /// not the list's `default` (so that the next page keeps it).
    pub fn base(base: &str, limit: usize, default: usize) -> String {
        if limit == default { base.to_string() } else { format!("{base}&limit={limit}") }
    }

    /// Whether the list needs more than one page.
    pub fn needed(&self) -> bool {
        self.prev.is_some() || self.next.is_some()
    }
}

#[derive(Template)]
#[template(path = "choices.html")]
struct Choices<'a> {
    lang: &'a str,
    t: &'a Messages,
    typed: &'a str,
    choices: Vec<(String, String, String)>,
}

/// The page asking which of several territories of the same name was meant: each one's name,
/// code and the address `href` gives with its code.
pub fn territory_choices(
    lang: &str,
    typed: &str,
    choices: &[(String, String)],
    href: impl Fn(&str) -> String,
) -> String {
    let choices = choices.iter().map(|(code, name)| (href(code), name.clone(), code.clone())).collect();
    render(Choices { lang, t: messages(lang), typed, choices })
}

/// A row of the directory.
pub struct Row {
    pub id: String,
    pub name: String,
    pub category: String,
    pub territory: String,
    pub family: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home<'a> {
    lang: &'a str,
    t: &'a Messages,
    q: &'a str,
    territory: &'a str,
    profile: &'a str,
    profiles: Vec<(String, String)>,
    total: usize,
    facets: Vec<FacetGroup>,
    actors: Vec<Row>,
    clear: String,
    pager: Pager,
}

/// The directory's current filters (to keep them in links).
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub q: String,
    pub territory: String,
    pub category: String,
    pub family: String,
    pub claim: String,
    pub profile: String,
    pub verdict: String,
    /// An area of the map (`west,south,east,north`).
    pub bbox: String,
    /// A point searched around (`lat,lon`) and its radius in kilometres.
    pub near: String,
    pub radius_km: String,
}

impl Filters {
    /// The home-page address of these filters with one of them set (or cleared when empty).
    fn href(&self, lang: &str, key: &str, value: &str) -> String {
        let mut f = self.clone();
        match key {
            "category" => f.category = value.into(),
            "legal_form_family" => f.family = value.into(),
            "territory" => f.territory = value.into(),
            "claims" => f.claim = value.into(),
            "verdict" => f.verdict = value.into(),
            _ => {}
        }
        match f.query() {
            q if q.is_empty() => format!("/?lang={lang}"),
            q => format!("/?lang={lang}&{q}"),
        }
    }

    /// The filters as a query string (`q=…&territory=…`), without the language.
    pub fn query(&self) -> String {
        [
            ("q", &self.q),
            ("territory", &self.territory),
            ("category", &self.category),
            ("family", &self.family),
            ("claim", &self.claim),
            ("profile", &self.profile),
            ("verdict", &self.verdict),
            ("bbox", &self.bbox),
            ("near", &self.near),
            ("radius_km", &self.radius_km),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
    }

    fn selected(&self, key: &str) -> &str {
        match key {
            "category" => &self.category,
            "legal_form_family" => &self.family,
            "territory" => &self.territory,
            "claims" => &self.claim,
            "verdict" => &self.verdict,
            _ => "",
        }
    }
}

/// One facet (category, legal-form family, territory, claims) with its values as filter links.
pub struct FacetGroup {
    pub name: String,
    pub values: Vec<FacetValue>,
}

/// One value of a facet: its count and the link that filters on it (or clears it when chosen).
pub struct FacetValue {
    pub value: String,
    pub count: u64,
    pub href: String,
    pub chosen: bool,
}

/// One criterion's outcome, as shown.
pub struct CriterionRow {
    /// The title in words.
    pub title: String,
    /// The outcome's code (the CSS class).
    pub outcome: &'static str,
    /// The outcome in words.
    pub label: String,
    /// Mandatory or indicative, in words.
    pub kind: String,
    /// Why, in words.
    pub reason: String,
    /// Instrument and article.
    pub citation: String,
}

pub(crate) fn or_dash(s: Option<String>) -> String {
    s.unwrap_or_else(|| "-".into())
}

/// The directory page: a page of `limit` actors from `offset`, with links to the others.
pub fn home(
    lang: &str,
    filters: &Filters,
    listing: &solidaria_app::directory::Listing,
    territory_names: &std::collections::BTreeMap<String, String>,
    (offset, limit): (usize, usize),
) -> String {
    let (actors, total, facets) = (&listing.actors, listing.total, &listing.facets);
    let place = |code: &str| solidaria_app::territories::name_of(territory_names, code);
    let t = messages(lang);
    let base = match filters.query() {
        q if q.is_empty() => format!("/?lang={lang}"),
        q => format!("/?lang={lang}&{q}"),
    };
    let base = Pager::base(&base, limit, DEFAULT_PAGE);
    let pager = Pager::new(&base, offset, limit, actors.len(), total);
    let facets: Vec<FacetGroup> = [
        ("category", &t.category),
        ("legal_form_family", &t.legal_form),
        ("territory", &t.territory),
        ("claims", &t.claims),
    ]
    .into_iter()
    .filter_map(|(key, label)| {
        let values = facets[key].as_object()?;
        let chosen = filters.selected(key);
        Some(FacetGroup {
            name: label.clone(),
            values: values
                .iter()
                .map(|(v, n)| FacetValue {
                    value: match key {
                        "category" => t.categories.of(v).to_string(),
                        "legal_form_family" => t.family(v).to_string(),
                        "claims" => t.claim(v).to_string(),
                        "territory" => place(v),
                        _ => v.clone(),
                    },
                    count: n.as_u64().unwrap_or(0),
                    href: filters.href(lang, key, if chosen == v { "" } else { v }),
                    chosen: chosen == v,
                })
                .collect(),
        })
    })
    .chain(facets["verdict"]["counts"].as_object().map(|counts| {
        FacetGroup {
            name: format!("{} ({})", t.verdicts, {
                let id = facets["verdict"]["profile"].as_str().unwrap_or("");
                builtin::find(id).map_or(id, |p| t.profile_title(p))
            }),
            values: counts
                .iter()
                .map(|(v, n)| FacetValue {
                    value: Verdict::parse(v).map_or_else(|| v.replace('_', " "), |v| t.verdict(v).to_string()),
                    count: n.as_u64().unwrap_or(0),
                    href: filters.href(lang, "verdict", if filters.verdict == *v { "" } else { v }),
                    chosen: filters.verdict == *v,
                })
                .collect(),
        }
    }))
    .collect();
    let rows = actors
        .iter()
        .map(|a| Row {
            id: a.id.to_string(),
            name: a.name.clone(),
            category: or_dash(a.category.map(|c| t.categories.of(c.as_str()).to_string())),
            territory: or_dash(a.territory.as_ref().map(|code| place(code.as_str()))),
            family: or_dash(a.legal_form.family.map(|f| t.family(f.as_str()).to_string())),
        })
        .collect();
    let clear = format!("/?lang={lang}");
    let profiles =
        builtin::for_subject(SubjectKind::Actor).map(|p| (p.id.clone(), t.profile_title(p).to_string())).collect();
    let page = Home {
        lang,
        t,
        q: &filters.q,
        territory: &filters.territory,
        profile: &filters.profile,
        profiles,
        total,
        facets,
        actors: rows,
        clear,
        pager,
    };
    render(page)
}

/// Items on a page of a list, unless the address asks for another number.
pub const DEFAULT_PAGE: usize = 50;

/// A not-found page in the common layout (status 404).
pub fn not_found(lang: &str, message: &str) -> axum::response::Response {
    crate::layout::error_page(lang, axum::http::StatusCode::NOT_FOUND, message, Vec::new())
}

/// The embeddable directory: a plain list linking to the full pages, no header or menu; its
/// title as the heading and the list as the main content, for screen readers in the frame.
pub fn embed(lang: &str, actors: &[Actor], total: usize) -> String {
    use solidaria_app::report::escape;
    let t = messages(lang);
    let mut s = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{0}</title><style>body{{font:14px sans-serif;margin:.5rem}}h1{{font-size:1rem;margin:0 0 .3rem}}li{{margin:.2rem 0}}</style></head><body><main><h1>{0}</h1><p>{total} {1}</p><ul>",
        escape(&t.title),
        escape(&t.actors)
    );
    for a in actors {
        s.push_str(&format!(
            "<li><a href=\"/actors/{}?lang={lang}\" target=\"_top\">{}</a> · {}</li>",
            escape(a.id.as_str()),
            escape(&a.name),
            escape(&a.territory.as_ref().map_or("-".into(), |t| t.to_string()))
        ));
    }
    s.push_str("</ul></main></body></html>");
    s
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    located: usize,
    geojson: String,
    list_link: String,
    /// The map page of the same filters but the area, which the map's "search this area"
    /// completes with the area shown.
    area_base: String,
    /// Whether an area narrows the list, and the same page without it.
    in_area: bool,
    whole_map: String,
    actors: Vec<(String, String, String, String)>,
    /// How many sites of the listed actors have a location (drawn on the map as squares).
    sites: usize,
}

/// The map page: a Leaflet map of the filtered actors (drawn by `static/map.js` from the GeoJSON
/// endpoint) and, for readers without scripts or sight of the map, the same actors as a table.
pub fn map(lang: &str, filters: &Filters, actors: &[Actor]) -> String {
    let located: Vec<(String, String, String, String)> = actors
        .iter()
        .filter_map(|a| {
            let l = a.location?;
            Some((
                a.id.to_string(),
                a.name.clone(),
                or_dash(a.territory.as_ref().map(|t| t.to_string())),
                format!("{:.4}, {:.4}", l.lat, l.lon),
            ))
        })
        .collect();
    let query = filters.query();
    let anywhere =
        Filters { bbox: String::new(), near: String::new(), radius_km: String::new(), ..filters.clone() }.query();
    let page = MapPage {
        lang,
        t: messages(lang),
        located: located.len(),
        geojson: format!("/api/actors.geojson?{query}"),
        list_link: format!("/?lang={lang}&{query}"),
        area_base: format!("/map?lang={lang}&{anywhere}"),
        in_area: !(filters.bbox.is_empty() && filters.near.is_empty()),
        whole_map: format!("/map?lang={lang}&{anywhere}"),
        actors: located,
        sites: actors.iter().flat_map(|a| &a.sites).filter(|s| s.location.is_some()).count(),
    };
    render(page)
}
