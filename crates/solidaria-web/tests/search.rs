//! The directory's search through the API (issue #18 items 18-19): relevance, typos, areas of the
//! map with distances, and an index that sees every committed write, whoever made it.

mod common;
use common::*;

fn ids(v: &serde_json::Value) -> Vec<String> {
    v["items"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_string()).collect()
}

/// Writes records straight to the database, as the command line or another server would.
fn import(s: &Server, lines: &str) {
    let mut store = solidaria_store::open(&s.db).unwrap();
    let records: Vec<_> = lines
        .lines()
        .map(|l| solidaria_core::record::parse_record(&serde_json::from_str(l).unwrap()).unwrap())
        .collect();
    let mut tx = store.transaction().unwrap();
    tx.upsert_records("cli", &records).unwrap();
    tx.commit().unwrap();
}

const COOPS: &str = r#"{"type":"actor","id":"h151","name":"151 Housing Co-operative","territory":"GB-SCT","location":{"lat":55.86,"lon":-4.25}}
{"type":"actor","id":"hleeds","name":"Housing Co-operative of Leeds","territory":"GB-ENG","location":{"lat":53.8,"lon":-1.55}}
{"type":"actor","id":"scotmid","name":"Scotmid Co-operative","territory":"GB-SCT","location":{"lat":55.95,"lon":-3.19}}
{"type":"actor","id":"unicorn","name":"Unicorn Grocery","territory":"GB-ENG","location":{"lat":53.44,"lon":-2.27},"description":"a workers' co-operative grocery with housing advice"}"#;

#[test]
fn searches_rank_by_relevance_and_forgive_typos() {
    let s = start();
    import(&s, COOPS);
    let v = json(&get(&s, "/api/actors?q=housing", "").2);
    // The name that starts with the word first, then another name holding it, then a
    // description holding it.
    assert_eq!(ids(&v), ["hleeds", "h151", "unicorn"]);
    assert_eq!(v["total"], 3);
    assert_eq!(ids(&json(&get(&s, "/api/actors?q=Scotmed", "").2)), ["scotmid"]);
    assert_eq!(ids(&json(&get(&s, "/api/actors?q=Unicorn%20Grocry", "").2)), ["unicorn"]);
    // Facets count every match, typos included.
    let v = json(&get(&s, "/api/actors?q=co-operatve", "").2);
    assert_eq!(v["facets"]["territory"]["GB-SCT"], 2, "{v}");
    // A word written with a hyphen is found written without.
    let v = json(&get(&s, "/api/actors?q=cooperative%20leeds", "").2);
    assert_eq!(ids(&v), ["hleeds"]);
}

#[test]
fn an_area_of_the_map_or_a_point_with_a_radius_narrows_and_says_how_far() {
    let s = start();
    import(&s, COOPS);
    // Scotland's box: west, south, east, north.
    let v = json(&get(&s, "/api/actors?bbox=-8,54.6,-0.7,60.9", "").2);
    assert_eq!(ids(&v), ["h151", "scotmid"]);
    assert!(v.get("distances_km").is_none());
    let v = json(&get(&s, "/api/actors?near=55.95,-3.2&radius_km=80", "").2);
    assert_eq!(ids(&v), ["scotmid", "h151"], "nearest first");
    let d = v["distances_km"]["h151"].as_f64().unwrap();
    assert!((60.0..75.0).contains(&d), "{v}");
    // Text and an area together.
    assert_eq!(ids(&json(&get(&s, "/api/actors?q=housing&near=53.8,-1.55&radius_km=10", "").2)), ["hleeds"]);
    // Malformed areas are refused naming the parameter and what was expected.
    for (query, field) in [
        ("bbox=1,2,3", "bbox"),
        ("bbox=-8,60,-0.7,54", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("near=95,0", "near"),
        ("near=55,-3&radius_km=0", "radius_km"),
        ("near=55,-3&radius_km=nan", "radius_km"),
        ("radius_km=5", "radius_km"),
        ("near=55,-3&bbox=1,2,3,4", "bbox"),
    ] {
        let (status, _, body) = get(&s, &format!("/api/actors?{query}"), "");
        let e = json(&body);
        assert_eq!((status, e["error"]["field"].as_str()), (400, Some(field)), "{query}: {body}");
        assert!(e["error"]["message"].as_str().unwrap().contains("expected"), "{body}");
    }
}

#[test]
fn the_index_sees_writes_made_by_another_connection_at_once() {
    let s = start();
    assert_eq!(json(&get(&s, "/api/actors?q=zymurgy", "").2)["total"], 0);
    import(&s, r#"{"type":"actor","id":"brew","name":"Zymurgy Brewers Co-operative"}"#);
    assert_eq!(ids(&json(&get(&s, "/api/actors?q=zymurgy", "").2)), ["brew"]);
    import(&s, r#"{"type":"actor","id":"brew","name":"Malt Brewers Co-operative"}"#);
    assert_eq!(json(&get(&s, "/api/actors?q=zymurgy", "").2)["total"], 0);
    assert_eq!(ids(&json(&get(&s, "/api/actors?q=malt", "").2)), ["brew"]);
    let mut store = solidaria_store::open(&s.db).unwrap();
    let mut tx = store.transaction().unwrap();
    assert!(tx.delete("cli", solidaria_core::record::RecordType::Actor, "brew").unwrap());
    tx.commit().unwrap();
    assert_eq!(json(&get(&s, "/api/actors?q=malt", "").2)["total"], 0);
}

#[test]
fn the_map_page_narrows_to_an_area_and_offers_the_whole_map_again() {
    let s = start();
    import(&s, COOPS);
    let (status, _, page) = get(&s, "/map?lang=fr&q=co&bbox=-8,54.6,-0.7,60.9", "");
    assert_eq!(status, 200);
    // The table lists the actors of the area only; the map reads the same filters.
    assert!(page.contains("/actors/scotmid?") && page.contains("/actors/h151?"), "{page}");
    assert!(!page.contains("/actors/hleeds?") && !page.contains("/actors/unicorn?"), "{page}");
    assert!(page.contains("/api/actors.geojson?q=co&#38;bbox=-8%2C54.6%2C-0.7%2C60.9"), "{page}");
    // "Search this area" starts from the same filters without the area; the whole map is a link.
    assert!(page.contains(r#"data-area-base="/map?lang=fr&#38;q=co""#), "{page}");
    assert!(page.contains("Toute la carte"), "{page}");
    let geo = json(&get(&s, "/api/actors.geojson?bbox=-8,54.6,-0.7,60.9", "").2);
    assert_eq!(geo["features"].as_array().unwrap().len(), 2);
}

/// An actor's sites with a location are on the map too, as features of kind `site` named after
/// their actor (within the area searched, when there is one); the map page counts them and says
/// in its language how a site's marker is named.
#[test]
fn the_map_shows_the_located_sites_of_the_listed_actors() {
    let s = start();
    import(&s, COOPS);
    import(
        &s,
        r#"{"type":"actor","id":"coopgroup","name":"Co-op <Group>","territory":"GB-ENG","location":{"lat":53.48,"lon":-2.24},"sites":[{"name":"Co-op Food Leith","location":{"lat":55.97,"lon":-3.17}},{"address":{"locality":"Widnes"},"location":{"lat":53.36,"lon":-2.73}},{"name":"Unplaced shop","address":{"locality":"Nowhere"}}]}"#,
    );
    let geo = json(&get(&s, "/api/actors.geojson", "").2);
    let features = geo["features"].as_array().unwrap();
    let sites: Vec<&serde_json::Value> = features.iter().filter(|f| f["properties"]["kind"] == "site").collect();
    assert_eq!(features.len() - sites.len(), 6, "every located actor (the server starts with one): {geo}");
    assert_eq!(sites.len(), 2, "the two located sites, not the unplaced one: {geo}");
    assert_eq!(
        sites[0]["properties"],
        serde_json::json!({"kind": "site", "id": "coopgroup", "name": "Co-op Food Leith", "actor": "Co-op <Group>"})
    );
    assert_eq!(sites[0]["geometry"]["coordinates"], serde_json::json!([-3.17, 55.97]));
    assert_eq!(sites[1]["properties"]["name"], "Widnes", "a site without a name is named by its locality");
    // Within an area: only the sites inside it, even when their actor is inside too.
    let geo = json(&get(&s, "/api/actors.geojson?bbox=-2.5,53,-2,54", "").2);
    let names: Vec<&str> =
        geo["features"].as_array().unwrap().iter().filter_map(|f| f["properties"]["name"].as_str()).collect();
    assert!(names.contains(&"Co-op <Group>") && !names.contains(&"Co-op Food Leith"), "{names:?}");
    assert!(!names.contains(&"Widnes"), "Widnes is west of the area: {names:?}");
    // The map page counts them and names a site's marker in its language.
    let (_, _, page) = get(&s, "/map?lang=fr", "");
    assert!(page.contains(r#"<span id="map-sites">2</span> établissements de ces acteurs"#), "{page}");
    assert!(page.contains(r#"data-site-of="{site}, établissement de {actor}""#), "{page}");
    let (_, _, page) = get(&s, "/map?territory=GB-SCT", "");
    assert!(!page.contains("map-sites"), "no site among Scotland's actors: {page}");
    let (_, _, script) = get(&s, "/static/map.js", "");
    assert!(script.contains("site-marker") && script.contains("data-site-of"), "the map draws sites apart");
}
