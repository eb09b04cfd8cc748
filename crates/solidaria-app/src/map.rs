//! The directory on a map: the points a map draws for a listing of actors, as GeoJSON
//! (RFC 7946, longitude first). Each actor with a location is a point, and so is each of its
//! sites with one (outlets, branches), so that a network with one head office and a hundred
//! shops shows where it works, not only where it is registered.

use serde_json::{Value, json};
use solidaria_core::Actor;
use solidaria_core::actor::Location;
use solidaria_core::search::Area;

/// At most this many site points in one answer, after the actors: the Co-operative Group alone had
/// 4,098 outlets in Co-operatives UK's 2017 data, so a map of every site of a national register
/// would be more than a map shows usefully or a browser draws quickly.
pub const SITES_MAX: usize = 5_000;

/// The GeoJSON features of `actors`, in their order: first each actor with a location (`kind`
/// `actor`, with its category and territory), then their sites with one (`kind` `site`, the
/// actor's id and name, the site's name or else its locality or its actor's name), within `area`
/// when the listing was narrowed to one (a site can lie outside the area its actor's head office
/// is in), at most `sites_max` of them.
pub fn features(actors: &[Actor], area: Option<Area>, sites_max: usize) -> Vec<Value> {
    let mut features: Vec<Value> = actors
        .iter()
        .filter_map(|a| {
            let properties = json!({"kind": "actor", "id": a.id, "name": a.name, "category": a.category,
                                    "territory": a.territory.as_ref().map(|t| t.to_string())});
            Some(point(a.location?, properties))
        })
        .collect();
    let sites = actors
        .iter()
        .flat_map(|a| a.sites.iter().map(move |site| (a, site)))
        .filter_map(|(a, site)| {
            let l = site.location?;
            if area.is_some_and(|x| !x.contains(l.lat, l.lon)) {
                return None;
            }
            let name = site.name.clone().or_else(|| site.address.locality.clone()).unwrap_or_else(|| a.name.clone());
            Some(point(l, json!({"kind": "site", "id": a.id, "name": name, "actor": a.name})))
        })
        .take(sites_max);
    features.extend(sites);
    features
}

/// A GeoJSON point feature at `l` (longitude first) with its properties.
fn point(l: Location, properties: Value) -> Value {
    json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [l.lon, l.lat]}, "properties": properties})
}

#[cfg(test)]
mod tests {
    use super::*;
    use solidaria_core::record::{Record, parse_record};

    fn actor(v: Value) -> Actor {
        match parse_record(&v).unwrap() {
            Record::Actor(a) => a,
            _ => unreachable!("an actor"),
        }
    }

    fn network() -> Actor {
        actor(json!({"type":"actor","id":"coop","name":"Coop Network","territory":"GB",
            "location":{"lat":51.5,"lon":-0.1},
            "sites":[{"name":"Leeds shop","location":{"lat":53.8,"lon":-1.55}},
                     {"address":{"locality":"York"},"location":{"lat":53.96,"lon":-1.08}},
                     {"location":{"lat":55.95,"lon":-3.19}},
                     {"name":"No place"}]}))
    }

    fn names(f: &[Value], kind: &str) -> Vec<String> {
        f.iter()
            .filter(|x| x["properties"]["kind"] == kind)
            .map(|x| x["properties"]["name"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn actors_then_their_located_sites_named_by_site_locality_or_actor() {
        let plain = actor(json!({"type":"actor","id":"nowhere","name":"Nowhere"}));
        let f = features(&[network(), plain], None, SITES_MAX);
        assert_eq!(names(&f, "actor"), ["Coop Network"]);
        assert_eq!(names(&f, "site"), ["Leeds shop", "York", "Coop Network"]);
        // Longitude first, and a site points to its actor.
        assert_eq!(f[1]["geometry"]["coordinates"], json!([-1.55, 53.8]));
        assert_eq!(f[1]["properties"]["id"], "coop");
    }

    #[test]
    fn sites_outside_the_area_and_beyond_the_maximum_are_left_out() {
        // Around Leeds and York only: Edinburgh's site is outside.
        let area = Area::Box { south: 53.0, west: -2.0, north: 54.5, east: 0.0 };
        let f = features(&[network()], Some(area), SITES_MAX);
        assert_eq!(names(&f, "site"), ["Leeds shop", "York"]);
        let f = features(&[network()], None, 1);
        assert_eq!(names(&f, "site"), ["Leeds shop"]);
    }
}
