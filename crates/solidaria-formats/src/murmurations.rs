//! Actors as Murmurations organization profiles (schema `organizations_schema-v1.0.0` of the
//! Murmurations Library), so that a Murmurations index can list a registry's actors.
//!
//! [`profile`] maps one actor; every profile it makes is valid against the schema (a test
//! validates generated and demo actors with a JSON Schema validator). Where the schema is
//! stricter than the record, the mapping says so: a name longer than 200 characters is cut (its
//! last character `…`; the JSON-LD keeps it whole), and an actor without a web site gets its page
//! on this instance as `primary_url`.
//! [`ProfileLinesWriter`] writes a registry as JSON Lines, one profile per line.

use crate::FormatError;
use crate::publication::BaseUrl;
use serde_json::{Map, Value, json};
use solidaria_core::Actor;
use std::collections::BTreeSet;
use std::io::Write;

/// The schema every profile is linked to.
pub const SCHEMA: &str = "organizations_schema-v1.0.0";

/// Longest `name` the schema accepts, in characters.
pub const NAME_MAX_CHARS: usize = 200;

/// Most `tags` the schema accepts.
pub const TAGS_MAX: usize = 100;

/// Longest tag the schema accepts, in characters.
pub const TAG_MAX_CHARS: usize = 100;

/// One actor as a Murmurations organization profile.
///
/// - `linked_schemas`: [`SCHEMA`]; `name` (cut to [`NAME_MAX_CHARS`]); `unique_id`: the id.
/// - `primary_url`: the web site, else the actor's page on this instance; `urls`: both, named
///   `website` and `directory`.
/// - `description`; `tags`: claims, labels, category and roles (distinct, in that order).
/// - `country_iso_3166`: the country of an ISO territory, else the address's country when it is
///   an ISO 3166-1 code; `geolocation`; `full_address` (street, postcode and locality, region,
///   country, joined by `, `), `street_address`, `locality`, `region`, `postal_code`.
///
/// Left out: `mission` and `status` (the record has neither), `starts_at` (the founding year
/// would have to be made a precise timestamp), facts and sources (the schema has no place for
/// them: they are in the JSON-LD).
pub fn profile(a: &Actor, base: &BaseUrl) -> Value {
    let page = base.actor_page(&a.id);
    let mut p = Map::new();
    p.insert("linked_schemas".into(), json!([SCHEMA]));
    p.insert("name".into(), Value::from(cut(&a.name, NAME_MAX_CHARS)));
    p.insert("unique_id".into(), Value::from(a.id.as_str()));
    let primary = a.website.as_ref().map_or(page.clone(), |w| w.as_str().to_string());
    p.insert("primary_url".into(), Value::from(primary));
    let mut urls = Vec::new();
    if let Some(w) = &a.website {
        urls.push(json!({"name": "website", "url": w.as_str()}));
    }
    urls.push(json!({"name": "directory", "url": page}));
    p.insert("urls".into(), Value::Array(urls));
    if let Some(d) = &a.description {
        p.insert("description".into(), Value::from(d.as_str()));
    }
    let tags = tags(a);
    if !tags.is_empty() {
        p.insert("tags".into(), json!(tags));
    }
    if let Some(country) = country(a) {
        p.insert("country_iso_3166".into(), Value::from(country));
    }
    if let Some(loc) = &a.location {
        p.insert("geolocation".into(), json!({"lat": loc.lat, "lon": loc.lon}));
    }
    let addr = &a.address;
    let locality_line = match (&addr.postcode, &addr.locality) {
        (Some(pc), Some(l)) => Some(format!("{pc} {l}")),
        (Some(x), None) | (None, Some(x)) => Some(x.clone()),
        (None, None) => None,
    };
    let full: Vec<&str> =
        [addr.street.as_deref(), locality_line.as_deref(), addr.region.as_deref(), addr.country.as_deref()]
            .into_iter()
            .flatten()
            .collect();
    if !full.is_empty() {
        p.insert("full_address".into(), Value::from(full.join(", ")));
    }
    let parts = [
        ("street_address", &addr.street),
        ("locality", &addr.locality),
        ("region", &addr.region),
        ("postal_code", &addr.postcode),
    ];
    for (key, part) in parts {
        if let Some(v) = part {
            p.insert(key.into(), Value::from(v.as_str()));
        }
    }
    Value::Object(p)
}

/// `s` cut to at most `max` characters, the last being `…` when it was cut.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// The tags: claims, labels, category, roles; distinct, at most [`TAGS_MAX`].
fn tags(a: &Actor) -> Vec<String> {
    let all = a
        .claims
        .iter()
        .map(|c| c.as_str())
        .chain(a.labels.iter().map(String::as_str))
        .chain(a.category.map(|c| c.as_str()))
        .chain(a.roles.iter().map(|r| r.as_str()));
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for t in all {
        let t = cut(t, TAG_MAX_CHARS);
        if out.len() < TAGS_MAX && seen.insert(t.clone()) {
            out.push(t);
        }
    }
    out
}

/// The ISO 3166-1 country of the actor: its territory's country, else its address's country
/// when that is an ISO 3166-1 code (written in capitals).
fn country(a: &Actor) -> Option<String> {
    use solidaria_core::territory::{TerritoryId, iso};
    if let Some(TerritoryId::Iso(e)) = &a.territory {
        return e.code.get(..2).map(str::to_string);
    }
    let c = a.address.country.as_deref()?.trim().to_ascii_uppercase();
    (c.len() == 2 && iso(&c).is_some()).then_some(c)
}

/// Writes profiles as JSON Lines: one profile per line, each exactly what
/// `/murmurations/{id}.json` serves.
pub struct ProfileLinesWriter<W: Write> {
    out: W,
    base: BaseUrl,
}

impl<W: Write> ProfileLinesWriter<W> {
    /// A writer of profiles whose addresses start with `base`.
    pub fn new(out: W, base: BaseUrl) -> Self {
        ProfileLinesWriter { out, base }
    }

    /// Writes one actor's profile and a newline.
    pub fn write(&mut self, actor: &Actor) -> Result<(), FormatError> {
        serde_json::to_writer(&mut self.out, &profile(actor, &self.base)).map_err(std::io::Error::from)?;
        self.out.write_all(b"\n")?;
        Ok(())
    }

    /// Flushes.
    pub fn finish(mut self) -> Result<(), FormatError> {
        self.out.flush()?;
        Ok(())
    }
}
