//! The web app over real HTTP on loopback, against a real SQLite database.

mod common;
use common::{get, json, start};
use std::net::TcpStream;

#[test]
fn the_api_lists_searches_and_explains() {
    let s = start();
    assert_eq!(get(&s, "/healthz", "").2, "ok");
    let (status, head, body) = get(&s, "/api/actors", "");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: application/json"));
    let v = json(&body);
    assert_eq!(v["total"], 2);
    assert_eq!(v["facets"]["category"]["sse_organization"], 1);
    assert_eq!(v["facets"]["claims"]["sse"], 1);
    let v = json(&get(&s, "/api/actors?territory=CA-QC", "").2);
    assert_eq!(v["total"], 1);
    assert_eq!(v["items"][0]["id"], "coop");
    let v = json(&get(&s, "/api/actors?q=ONE", "").2);
    assert_eq!(v["items"][0]["id"], "coop");
    // One actor: its record, relations and a screening under each of the 17 actor profiles.
    let v = json(&get(&s, "/api/actors/bigco", "").2);
    assert_eq!(v["relations"].as_array().unwrap().len(), 1);
    let screenings = v["screenings"].as_array().unwrap();
    assert_eq!(screenings.len(), 17);
    let un = screenings.iter().find(|x| x["profile"] == "un-2023").unwrap();
    assert_eq!(un["verdict"], "does_not_qualify");
    assert_eq!(un["claim_mismatches"][0]["claim"], "sse");
    // Errors are JSON with a stable code.
    let (status, _, body) = get(&s, "/api/actors/nobody", "");
    assert_eq!((status, json(&body)["error"]["code"].as_str()), (404, Some("not_found")));
    let (status, _, body) = get(&s, "/api/actors?territory=XX", "");
    assert_eq!((status, json(&body)["error"]["code"].as_str()), (400, Some("bad_request")));
    let (status, _, body) = get(&s, "/api/actors?limit=ten", "");
    assert_eq!((status, json(&body)["error"]["code"].as_str()), (400, Some("bad_request")));
    let (status, _, body) = get(&s, "/api/actors?injected=1", "");
    assert!(status == 400 && body.contains("unknown field"), "{body}");
    let (status, _, body) = get(&s, "/api/actors?q=%27%3B%20DROP%20TABLE%20actors%3B--", "");
    assert_eq!((status, json(&body)["total"].as_u64()), (200, Some(0)));
    assert_eq!(json(&get(&s, "/api/actors", "").2)["total"], 2, "the injection string was data, not SQL");
    let v = json(&get(&s, "/api/profiles", "").2);
    assert_eq!(v["total"], 19);
    let v = json(&get(&s, "/api/profiles/qc-2013", "").2);
    assert_eq!(v["criteria"].as_array().unwrap().len(), 7);
}

#[test]
fn pages_are_escaped_translated_and_warn_on_claims() {
    let s = start();
    let (status, head, body) = get(&s, "/", "Accept-Language: fr-CA,fr;q=0.9\r\n");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/html"));
    assert!(body.contains("<html lang=\"fr\">"));
    assert!(body.contains("Rechercher"));
    assert!(!body.contains("<script>alert"), "names are escaped");
    assert!(body.contains("&#60;script&#62;alert(&#39;x&#39;)"), "escaped as entities");
    assert!(body.contains("Coop &#60;b&#62;One&#60;/b&#62;"));
    // The directory in words: category, family and territory (its ISO name when no record names it).
    assert!(body.contains("<td>Organisations de l&#39;ESS</td><td>Quebec</td><td>Coopérative</td>"), "{body}");
    assert!(!body.contains(">sse_organization<") && !body.contains(">cooperative<"), "{body}");
    let body = get(&s, "/?lang=es", "Accept-Language: fr\r\n").2;
    assert!(body.contains("<html lang=\"es\">") && body.contains("Buscar"));
    // The actor page: the claim the facts contradict is flagged, with the criterion's reason.
    let body = get(&s, "/actors/bigco", "").2;
    assert!(body.contains("role=\"alert\""), "no warning");
    assert!(body.contains("Claim not supported by the facts"));
    assert!(body.contains("Whom the activity serves first: private profit"), "the reason in words");
    assert!(body.contains("A/RES/77/281"));
    // In French, the same reason from the French templates, and no code of the domain.
    let fr = get(&s, "/actors/bigco?lang=fr", "").2;
    assert!(fr.contains("Au service de qui d&#39;abord : profit privé"), "{fr}");
    let shown = fr.split_once("<body").map_or("", |(_, b)| b);
    for code in ["private_profit", "purpose.primary"] {
        assert!(!shown.contains(code), "{code} shown on the French page (the JSON-LD of the head may keep codes)");
    }
    // Relations by kind seen from this actor, the other actor by its (escaped) name, linked.
    assert!(fr.contains("<h3 class=\"relation-kind\">Fournisseurs</h3>"), "{fr}");
    assert!(fr.contains("<a href=\"/actors/coop?lang=fr\">Coop &#60;b&#62;One&#60;/b&#62;</a>"), "{fr}");
    // The summary: a Quebec co-op is screened first under Quebec's law, then the UN and ILO
    // definitions; the other profiles are folded below.
    let qc = get(&s, "/actors/coop?lang=fr", "").2;
    let at = |id: &str| qc.find(&format!("id=\"badge-{id}\"")).unwrap_or(usize::MAX);
    assert!(at("qc-2013") < at("un-2023") && at("un-2023") < at("ilo-2022") && at("ilo-2022") < usize::MAX, "{qc}");
    assert_eq!(at("fr-ess-2014"), usize::MAX, "a French law is not in a Quebec actor's summary");
    assert!(qc.contains("id=\"v-fr-ess-2014\""), "but among the other profiles");
    assert!(qc.contains("<h3 class=\"relation-kind\">Fournit</h3>") && qc.contains("/actors/bigco?lang=fr"), "{qc}");
    assert!(qc.contains("<p class=\"lead\">Organisations de l&#39;ESS · Coopérative · Quebec (CA-QC)</p>"), "{qc}");
    // Facts with their evidence and link.
    let body = get(&s, "/actors/coop", "").2;
    assert!(body.contains("Statutes, art. 4") && body.contains("https://example.org/statutes"));
    let (status, _, body) = get(&s, "/actors/nobody?lang=fr", "");
    assert_eq!(status, 404);
    assert!(body.contains("<h1>Page introuvable</h1>") && body.contains("id=\"menu\""), "{body}");
}

#[test]
fn openapi_geojson_and_embed() {
    let s = start();
    // A fund managed by the test data's co-op, for the fund routes.
    let fund = serde_json::json!({"type": "fund", "id": "coop-fund", "name": "Coop fund", "manager": "coop", "currency": "EUR"});
    solidaria_app::finance::put_fund(solidaria_store::open(&s.db).unwrap().as_mut(), "t", &fund).unwrap();
    // A strategy, for the strategy routes.
    let strategy = r#"{"type":"strategy","id":"s1","territory":"CA","title":"S","from":"2026"}"#;
    let mut tx_store = solidaria_store::open(&s.db).unwrap();
    let r = solidaria_core::record::parse_record(&serde_json::from_str(strategy).unwrap()).unwrap();
    let mut tx = tx_store.transaction().unwrap();
    tx.upsert_records("t", &[r]).unwrap();
    tx.commit().unwrap();
    drop(tx_store);
    let doc = json(&get(&s, "/api/openapi.json", "").2);
    assert_eq!(doc["openapi"], "3.1.0");
    // Every operation of the document is routed: public GETs answer 200 (path parameters filled
    // with a known id), secured ones answer 401 to an anonymous caller (never 404 or 405).
    let mut operations = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        let id = if path.contains("profiles") {
            "un-2023"
        } else if path.contains("cases") {
            "day"
        } else if path.contains("strategies") {
            "s1"
        } else if path.contains("territories") {
            "CA"
        } else if path.contains("relations") {
            "coop%7Csupplies%7Cbigco"
        } else if path.contains("proposals") {
            "1"
        } else if path.contains("funds") {
            "coop-fund"
        } else {
            "coop"
        };
        let concrete = path.replace("{id}", id).replace("{name}", "ana");
        for (method, op) in ops.as_object().unwrap() {
            operations += 1;
            let secured = op.get("security").is_some();
            let status = common::request(&s, &method.to_uppercase(), &concrete, "", b"").0;
            assert_eq!(status, if secured { 401 } else { 200 }, "{method} {path}");
        }
    }
    assert_eq!(operations, 58, "operations in the OpenAPI document");
    let page = get(&s, "/cases/day?lang=es", "").2;
    assert!(page.contains("Fuerza de la innovación social") && page.contains("débil"), "{page}");
    // Dimensions, facts, values and the deciding step in Spanish, no fact key or code left.
    assert!(page.contains("<td>Duradera: una ley, un reglamento, un programa o una organización"), "{page}");
    assert!(page.contains("Permanencia del cambio: una acción puntual"), "{page}");
    assert!(page.contains("<p>Débil: la dimensión «Duradera: "), "{page}");
    assert!(!page.contains("si.") && !page.contains("one_off"), "{page}");
    assert_eq!(get(&s, "/cases/none", "").0, 404);
    let list = get(&s, "/cases", "").2;
    assert!(list.contains("/cases/day?lang=en") && list.contains("weak"));
    let d = json(&get(&s, "/api/territories/CA/diagnostic", "").2);
    assert_eq!(d["network"]["nodes"], 2);
    assert_eq!(d["building_blocks"].as_array().unwrap().len(), 7);
    let (status, head, page) = get(&s, "/territories/CA-QC/diagnostic?compare=CA", "");
    assert_eq!(status, 200);
    assert!(head.contains("text/html") && page.matches("<svg").count() == 3);
    assert_eq!(get(&s, "/api/territories/XX/diagnostic", "").0, 400);
    let cases = json(&get(&s, "/api/cases?territory=CA", "").2);
    assert_eq!(cases["total"], 1);
    assert_eq!(cases["items"][0]["class"], "weak");
    assert_eq!(cases["facets"]["class"]["weak"], 1);
    let case = json(&get(&s, "/api/cases/day", "").2);
    assert_eq!(case["strength"]["class"], "weak");
    assert!(
        case["strength"]["dimensions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["id"] == "permanence" && d["outcome"] == "fail")
    );
    assert_eq!(json(&get(&s, "/api/cases?territory=CA-QC", "").2)["total"], 0);
    let docs = get(&s, "/api/docs", "").2;
    assert!(docs.contains("GET /api/actors/{id}"));
    let (_, head, body) = get(&s, "/api/actors.geojson", "");
    assert!(head.contains("application/geo+json"));
    let g = json(&body);
    assert_eq!(g["type"], "FeatureCollection");
    assert_eq!(g["features"].as_array().unwrap().len(), 1, "only the co-op has a location");
    assert_eq!(g["features"][0]["geometry"]["coordinates"], serde_json::json!([-71.2, 46.8]));
    let body = get(&s, "/embed?territory=CA-QC&lang=fr", "").2;
    assert!(body.contains("<html lang=\"fr\">") && body.contains("1 acteurs") && body.contains("Coop &lt;b&gt;One"));
}

#[test]
fn shutdown_is_graceful() {
    let mut s = start();
    assert_eq!(get(&s, "/healthz", "").0, 200);
    s.stop.take().unwrap().send(()).unwrap();
    s.thread.take().unwrap().join().unwrap();
    assert!(TcpStream::connect(s.addr).is_err(), "still listening after shutdown");
}

#[test]
fn the_map_page_lists_located_actors_and_serves_its_vendored_library() {
    let s = start();
    let (status, _, page) = get(&s, "/map?territory=CA-QC&lang=fr", "");
    assert_eq!(status, 200);
    assert!(page.contains("data-geojson=\"/api/actors.geojson?territory=CA-QC\""), "{page}");
    assert!(page.contains("Coop &#60;b&#62;One&#60;/b&#62;") && page.contains("46.8000, -71.2000"), "{page}");
    assert!(page.contains("<html lang=\"fr\">") && page.contains("Carte"));
    assert!(!page.contains("bigco"), "filtered to Quebec");
    let (status, head, js) = get(&s, "/static/leaflet/leaflet.js", "");
    assert!(status == 200 && head.contains("content-type: text/javascript") && js.contains("Leaflet 1.9.4"));
    assert_eq!(get(&s, "/static/map.js", "").0, 200);
    for bad in ["/static/nope.js", "/static/../Cargo.toml", "/static/leaflet/../../src/lib.rs"] {
        assert_eq!(get(&s, bad, "").0, 404, "{bad}");
    }
}

#[test]
fn a_filtered_set_is_screened_against_chosen_profiles() {
    let s = start();
    let v = json(&get(&s, "/api/screenings?profile=un-2023,ilo-2022", "").2);
    assert_eq!(v["total"], 2);
    let bigco = v["items"].as_array().unwrap().iter().find(|i| i["id"] == "bigco").unwrap();
    assert_eq!(bigco["screenings"].as_array().unwrap().len(), 2);
    assert_eq!(bigco["screenings"][0]["verdict"], "does_not_qualify");
    assert_eq!(bigco["screenings"][0]["claim_mismatches"], 1);
    assert_eq!(v["facets"]["verdicts"]["un-2023"]["does_not_qualify"], 1);
    let v = json(&get(&s, "/api/screenings?profile=un-2023&territory=CA-QC&detail=true", "").2);
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    assert!(v["items"][0]["screenings"][0]["criteria"].as_array().is_some_and(|c| !c.is_empty()));
    let v = json(&get(&s, "/api/screenings", "").2);
    assert_eq!(v["items"][0]["screenings"].as_array().unwrap().len(), 17, "every actor profile by default");
    assert_eq!(get(&s, "/api/screenings?profile=nope", "").0, 404);
    assert_eq!(get(&s, "/api/screenings?profile=si-strength", "").0, 400, "a case profile");
}

#[test]
fn the_registry_exports_as_it_imports() {
    let s = start();
    let (status, head, body) = get(&s, "/api/export", "");
    assert!(status == 200 && head.contains("content-type: application/x-ndjson"), "{head}");
    // Chunked transfer: the body holds size lines between the records; keep the JSON lines.
    let records: Vec<solidaria_core::Record> = body
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| solidaria_core::record::parse_record(&json(l)).unwrap())
        .collect();
    let types: Vec<&str> = records.iter().map(|r| r.record_type().as_str()).collect();
    assert_eq!(types, ["territory", "actor", "actor", "relation", "case"], "referenced records first");
    let (status, _, csv) = get(&s, "/api/export?format=csv", "");
    assert!(status == 200 && csv.contains("Coop <b>One</b>") && csv.contains("governance.voting_rule"), "{csv}");
    assert_eq!(get(&s, "/api/export?format=csv&type=case", "").0, 400);
    assert_eq!(get(&s, "/api/export?format=xml", "").0, 400);
    assert_eq!(get(&s, "/api/export?type=person", "").0, 400);
    // An empty value is outside the documented lists, as the contract says: refused, not read
    // as the default (schemathesis found `type=` answered 200).
    let (status, _, body) = get(&s, "/api/export?type=&format=murmurations", "");
    assert!(status == 400 && body.contains("leave the parameter out for the default"), "{status} {body}");
    let (status, _, body) = get(&s, "/api/export?format=", "");
    assert!(status == 400 && body.contains("leave the parameter out for the default"), "{status} {body}");
    // Every record type the contract lists is exported.
    for t in ["mechanism", "strategy"] {
        assert_eq!(get(&s, &format!("/api/export?type={t}"), "").0, 200, "{t}");
    }
}

#[test]
fn profile_pages_list_criteria_with_tests_and_citations() {
    let s = start();
    let (status, _, list) = get(&s, "/profiles?lang=es", "");
    assert_eq!(status, 200);
    assert!(list.contains("/profiles/qc-2013?lang=es") && list.contains("Perfil"), "{list}");
    assert_eq!(list.matches("<tr><td><a href=\"/profiles/").count(), 19, "every profile listed");
    let (status, _, page) = get(&s, "/profiles/qc-2013", "");
    assert_eq!(status, 200);
    assert_eq!(page.matches("<tr><td><strong>").count(), 7, "the seven criteria of the Quebec act");
    assert!(page.contains("mandatory") && page.contains("E-1.1.1"), "{page}");
    assert!(page.contains("<code>") && page.contains("https://www.legisquebec.gouv.qc.ca"), "{page}");
    // In French: the profile's and criteria's titles, mandatory in words.
    let fr = get(&s, "/profiles/qc-2013?lang=fr", "").2;
    assert!(fr.contains("Loi sur l&#39;économie sociale du Québec") && fr.contains("obligatoire"), "{fr}");
    assert!(fr.contains("<strong>Vend ou échange des biens ou des services</strong>"), "{fr}");
    assert!(get(&s, "/profiles?lang=es", "").2.contains("Ley de economía social de Quebec"));
    assert_eq!(get(&s, "/profiles/nope", "").0, 404);
    // Actor pages link each verdict to its profile.
    assert!(get(&s, "/actors/coop", "").2.contains("<a href=\"/profiles/un-2023?lang=en\">"));
}

#[test]
fn verdicts_under_a_profile_are_a_facet_and_a_filter() {
    let s = start();
    let v = json(&get(&s, "/api/actors?profile=un-2023", "").2);
    assert_eq!(v["facets"]["verdict"]["profile"], "un-2023");
    let counts = v["facets"]["verdict"]["counts"].as_object().unwrap();
    assert_eq!(counts.values().map(|n| n.as_u64().unwrap()).sum::<u64>(), 2, "every match screened");
    assert_eq!(counts["does_not_qualify"], 1);
    // A page smaller than the matches still counts every match.
    let v = json(&get(&s, "/api/actors?profile=un-2023&limit=1", "").2);
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    let counts = v["facets"]["verdict"]["counts"].as_object().unwrap();
    assert_eq!(counts.values().map(|n| n.as_u64().unwrap()).sum::<u64>(), 2);
    assert!(v["facets"]["verdict"].get("sampled_from").is_none());
    let v = json(&get(&s, "/api/actors?profile=un-2023&verdict=does_not_qualify", "").2);
    assert_eq!((v["total"].as_u64(), v["items"][0]["id"].as_str()), (Some(1), Some("bigco")));
    assert_eq!(v["facets"]["category"].as_object().unwrap().values().map(|n| n.as_u64().unwrap()).sum::<u64>(), 1);
    assert_eq!(get(&s, "/api/actors?verdict=qualifies", "").0, 400, "a verdict needs its profile");
    assert_eq!(get(&s, "/api/actors?profile=un-2023&verdict=maybe", "").0, 400);
    assert_eq!(get(&s, "/api/actors?profile=nope", "").0, 404);
    assert_eq!(get(&s, "/api/actors?profile=si-strength", "").0, 400);
    let page = get(&s, "/?profile=un-2023", "").2;
    assert!(page.contains("Does not qualify") && page.contains("verdict=does_not_qualify"), "{page}");
    let page = get(&s, "/?profile=un-2023&lang=fr", "").2;
    assert!(
        page.contains("Non admissible")
            && page
                .contains("Définition de l&#39;économie sociale et solidaire de l&#39;Assemblée générale de l&#39;ONU"),
        "{page}"
    );
}

#[test]
fn past_two_thousand_matches_the_verdict_facet_counts_the_page_and_the_filter_asks_for_less() {
    let s = start();
    let mut store = solidaria_store::open(&s.db).unwrap();
    let records: Vec<_> = (0..2001)
        .map(|i| {
            let doc = serde_json::json!({"type": "actor", "id": format!("m{i}"), "name": format!("Mass {i}")});
            solidaria_core::record::parse_record(&doc).unwrap()
        })
        .collect();
    let mut tx = store.transaction().unwrap();
    tx.upsert_records("test", &records).unwrap();
    tx.commit().unwrap();
    let v = json(&get(&s, "/api/actors?q=mass&profile=un-2023&limit=10", "").2);
    assert_eq!(v["total"], 2001);
    assert_eq!(v["facets"]["verdict"]["sampled_from"], 10);
    let counts = v["facets"]["verdict"]["counts"].as_object().unwrap();
    assert_eq!(counts.values().map(|n| n.as_u64().unwrap()).sum::<u64>(), 10);
    let (status, _, body) = get(&s, "/api/actors?q=mass&profile=un-2023&verdict=qualifies", "");
    assert_eq!(status, 400);
    assert!(json(&body)["error"]["message"].as_str().unwrap().contains("add words or filters"), "{body}");
}

/// Publication (issue #14 item 3): the JSON-LD context, each actor's JSON-LD (by address and by
/// content negotiation on its page, its @id), its Murmurations profile at a stable address, and
/// the same JSON-LD embedded in its page, escaped so that no name can end the script.
#[test]
fn actors_are_published_as_json_ld_and_murmurations_profiles() {
    let s = start();
    let (status, head, body) = get(&s, "/context.jsonld", "");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: application/ld+json"), "{head}");
    let ctx = json(&body);
    assert_eq!(ctx["@context"]["schema"], "https://schema.org/");
    assert_eq!(ctx["@context"]["essglobal"], "http://purl.org/essglobal/vocab/");

    let (status, head, body) = get(&s, "/api/actors/coop.jsonld", "");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: application/ld+json"), "{head}");
    let doc = json(&body);
    assert_eq!(doc["@context"], "http://test/context.jsonld", "addresses from the Host without a base URL");
    assert_eq!(doc["@id"], "http://test/actors/coop");
    assert_eq!(doc["@type"], "Organization");
    assert_eq!(doc["name"], "Coop <b>One</b>");
    assert_eq!(doc["geo"]["latitude"], 46.8);
    assert_eq!(doc["legalForm"], "http://purl.org/essglobal/standard/legal-form/L2");
    // The @id answers JSON-LD to a linked-data client, the page to a browser.
    let (status, head, negotiated) = get(&s, "/actors/coop", "Accept: application/ld+json\r\n");
    assert_eq!(status, 200);
    assert!(head.contains("application/ld+json"), "{head}");
    assert_eq!(json(&negotiated), doc);
    let (_, _, negotiated) = get(&s, "/api/actors/coop", "Accept: application/ld+json\r\n");
    assert_eq!(json(&negotiated), doc);
    assert!(json(&get(&s, "/api/actors/coop", "").2)["actor"].is_object(), "plain JSON stays the record");

    let (status, head, body) = get(&s, "/murmurations/coop.json", "");
    assert_eq!(status, 200);
    assert!(head.contains("application/json"), "{head}");
    let p = json(&body);
    assert_eq!(p["linked_schemas"], serde_json::json!(["organizations_schema-v1.0.0"]));
    assert_eq!(p["primary_url"], "http://test/actors/coop", "no web site: the actor's page");
    assert_eq!(p["country_iso_3166"], "CA");
    assert_eq!(p["geolocation"]["lat"], 46.8);

    for missing in ["/api/actors/nobody.jsonld", "/murmurations/nobody.json", "/murmurations/coop", "/actors/nobody"] {
        assert_eq!(get(&s, missing, "").0, 404, "{missing}");
    }
    assert_eq!(get(&s, "/actors/nobody", "Accept: application/ld+json\r\n").0, 404);

    // A hostile name cannot leave the embedded script.
    {
        let mut store = solidaria_store::open(&s.db).unwrap();
        let record = serde_json::json!({"type": "actor", "id": "evil", "name": "</script><script>alert(1)</script><!-- & -->",
            "description": "</SCRIPT >\u{2028}"});
        let mut tx = store.transaction().unwrap();
        tx.upsert_records("test", &[solidaria_core::record::parse_record(&record).unwrap()]).unwrap();
        tx.commit().unwrap();
    }
    for id in ["evil", "bigco", "coop"] {
        let (status, _, page) = get(&s, &format!("/actors/{id}"), "");
        assert_eq!(status, 200);
        let start = page.find("<script type=\"application/ld+json\">").expect("embedded JSON-LD") + 35;
        let len = page[start..].find("</script>").unwrap();
        let embedded = &page[start..start + len];
        assert!(!embedded.contains('<') && !embedded.contains('>') && !embedded.contains('&'), "{embedded}");
        let ld = json(embedded);
        assert_eq!(ld, json(&get(&s, &format!("/api/actors/{id}.jsonld"), "").2), "the page embeds the same document");
    }
    let (_, _, page) = get(&s, "/actors/evil", "");
    assert_eq!(page.matches("<script").count(), page.matches("</script>").count(), "{page}");
    assert!(!page.contains("<script>alert(1)"), "{page}");

    // The whole registry, published through the export.
    let (status, head, body) = get(&s, "/api/export?format=jsonld", "");
    assert_eq!(status, 200);
    assert!(head.contains("application/ld+json"), "{head}");
    let graph = json(&dechunk(&body));
    assert_eq!(graph["@graph"].as_array().unwrap().len(), 3);
    let (status, _, body) = get(&s, "/api/export?format=murmurations", "");
    assert_eq!(status, 200);
    let profiles: Vec<serde_json::Value> = dechunk(&body).lines().map(json).collect();
    assert_eq!(profiles.len(), 3);
    assert!(profiles.iter().all(|p| p["linked_schemas"][0] == "organizations_schema-v1.0.0"));
    assert_eq!(get(&s, "/api/export?format=jsonld&type=case", "").0, 400);
    assert_eq!(get(&s, "/api/export?format=rdf", "").0, 400);
}

/// The body of a chunked transfer, without its chunk sizes.
fn dechunk(body: &str) -> String {
    let mut rest = body.as_bytes();
    let mut out = Vec::new();
    while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(std::str::from_utf8(&rest[..eol]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        out.extend_from_slice(&rest[eol + 2..eol + 2 + size]);
        rest = &rest[eol + 2 + size + 2..];
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn csv_exports_write_formula_cells_as_text() {
    // Fails without the fix: the name was written bare and a spreadsheet ran it.
    let s = start();
    let mut store = solidaria_store::open(&s.db).unwrap();
    let actor = serde_json::json!({"type": "actor", "id": "evil", "name": "=HYPERLINK(\"http://evil.example\")"});
    let record = solidaria_core::record::parse_record(&actor).unwrap();
    let mut tx = store.transaction().unwrap();
    tx.upsert_records("test", &[record]).unwrap();
    tx.commit().unwrap();
    let (status, _, csv) = get(&s, "/api/export?format=csv", "");
    assert_eq!(status, 200);
    assert!(csv.contains("evil,\"'=HYPERLINK(\"\"http://evil.example\"\")\""), "{csv}");
}
