//! Sites: the places where an organization works besides its head office (a shop, a branch, an
//! outlet, a clinic). A site is part of its actor, not an actor: it has no legal form, no facts
//! and no relations of its own, only where it is, how to reach it and the source row it comes
//! from (Co-operatives UK's outlets file gives 6,291 for 20 organizations; the Co-operative
//! Group alone has 4,098).
//!
//! ```json
//! {"name": "The Co-operative Food - Farnworth",
//!  "address": {"street": "100 Derby Road\nFarnworth", "locality": "Widnes", "postcode": "WA8 9LQ"},
//!  "location": {"lat": 53.37, "lon": -2.73, "precision": "postcode"},
//!  "description": "Opening hours: …", "phone": "0151 495 1021", "website": "https://…",
//!  "source": {"dataset": "coops-uk-2017-outlets", "edition": "2017-06", "licence": "ODC-By-1.0", "line": 7}}
//! ```
//!
//! Every part is optional, but a site says at least where it is or what it is called (a name,
//! an address part or a map point); its `source` is the provenance of every value it holds.

use crate::actor::Location;
use crate::error::FieldError;
use crate::origin::{Address, SourceRef};
use crate::reader::Reader;
use crate::text::WebUrl;
use serde::Serialize;
use serde_json::Value;

/// Most sites one actor may have (the Co-operative Group had 4,098 outlets in 2017; 20,000 such
/// sites fit in a record of the interchange format).
pub const MAX_SITES: usize = 20_000;

/// Longest phone number, in bytes.
pub const PHONE_MAX_LEN: usize = 60;

/// The fields of a site.
pub const SITE_FIELDS: &[&str] = &["name", "address", "location", "description", "phone", "website", "source"];

/// A place where an actor works.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Site {
    /// Its name (an outlet's, a branch's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its postal address.
    #[serde(skip_serializing_if = "Address::is_empty")]
    pub address: Address,
    /// Its point on the map, with how precise it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// What the source says of it (opening hours, services).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A phone number, as the source wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Its web page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<WebUrl>,
    /// Where it comes from: the dataset, edition, licence and the row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

/// What a phone number looks like, for error messages.
pub const PHONE_EXPECTED: &str = "a phone number of at most 60 bytes: digits, spaces and + ( ) - . / x";

/// Checks a phone number as written by a source (`0131  319 2400`, `+44 (0)20 7123 4567`).
pub fn parse_phone(s: &str) -> Result<String, &'static str> {
    let t = s.trim();
    let ok = !t.is_empty()
        && t.len() <= PHONE_MAX_LEN
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '-' | '.' | '/' | 'x' | 'X'));
    if ok { Ok(t.to_string()) } else { Err(PHONE_EXPECTED) }
}

impl Site {
    /// Reads a site at `path`, collecting every problem.
    pub fn parse(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Site> {
        let mut r = Reader::object(value, path, errors)?;
        r.deny_unknown(SITE_FIELDS);
        let name = r.opt_text("name");
        let address = match r.get("address") {
            None => Some(Address::default()),
            Some(v) => {
                let p = r.path("address");
                Address::parse(v, &p, r.errors)
            }
        };
        let location = match r.get("location") {
            None => None,
            Some(v) => {
                let p = r.path("location");
                Location::parse(v, &p, r.errors)
            }
        };
        let description = r.opt_text("description");
        let phone = r.opt_parse("phone", parse_phone);
        let website = r.opt_parse("website", WebUrl::parse);
        let source = match r.get("source") {
            None => None,
            Some(v) => {
                let p = r.path("source");
                crate::origin::parse_source(v, &p, r.errors)
            }
        };
        let address = address?;
        let somewhere = r.get("name").is_some() || r.get("address").is_some() || r.get("location").is_some();
        if !somewhere {
            let field = r.path("name");
            r.errors.push(FieldError::missing(field, "a name, an address or a map point saying which place this is"));
        }
        Some(Site { name, address, location, description, phone, website, source })
    }
}

/// Reads the `sites` list of an actor.
pub(crate) fn parse_sites(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Vec<Site> {
    let Some(items) = value.as_array() else {
        errors.push(FieldError::new(path, "a list of sites", value));
        return Vec::new();
    };
    if items.len() > MAX_SITES {
        errors.push(FieldError::text(path, format!("at most {MAX_SITES} sites"), format!("{}", items.len())));
        return Vec::new();
    }
    items.iter().enumerate().filter_map(|(i, item)| Site::parse(item, &format!("{path}[{i}]"), errors)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errors(v: Value) -> Vec<String> {
        let mut e = Vec::new();
        Site::parse(&v, "sites[0]", &mut e);
        e.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn a_site_round_trips_every_part() {
        let v = json!({
            "name": "Edinburgh Bicycle Co-operative",
            "address": {"street": "8 Alvanley Terrace\nWhitehouse Loan", "locality": "Edinburgh", "postcode": "EH9 1DU"},
            "location": {"lat": 55.93, "lon": -3.2, "precision": "postcode"},
            "description": "A workers co-operative.",
            "phone": "0131  319 2400",
            "website": "https://www.edinburghbicycle.com",
            "source": {"dataset": "coops-uk-2017-outlets", "edition": "2017-06", "licence": "ODC-By-1.0", "line": 3}
        });
        let mut e = Vec::new();
        let site = Site::parse(&v, "sites[0]", &mut e).unwrap();
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(serde_json::to_value(&site).unwrap(), v);
    }

    #[test]
    fn a_site_says_where_or_what_it_is_and_each_problem_is_located() {
        assert_eq!(
            errors(json!({"phone": "0131 319 2400"})),
            [
                "sites[0].name: expected a name, an address or a map point saying which place this is, found nothing (the field is missing)"
            ]
        );
        assert_eq!(
            errors(
                json!({"name": "Shop", "phone": "call us", "location": {"lat": 95, "lon": 0}, "address": {"town": "Leeds"}, "floor": 2})
            ),
            [
                "sites[0].floor: expected no such field here; known fields are name, address, location, description, phone, website, source, found an unknown field",
                "sites[0].address.town: expected no such field here; known fields are street, locality, region, postcode, country, found an unknown field",
                "sites[0].location.lat: expected a number from -90 to 90, found 95",
                "sites[0].phone: expected a phone number of at most 60 bytes: digits, spaces and + ( ) - . / x, found \"call us\"",
            ]
        );
    }

    #[test]
    fn phone_numbers_are_kept_as_written() {
        assert_eq!(parse_phone(" +44 (0)20 7123-4567 ").unwrap(), "+44 (0)20 7123-4567");
        assert!(parse_phone("none").is_err());
        assert!(parse_phone("").is_err());
        assert!(parse_phone(&"1".repeat(61)).is_err());
    }
}
