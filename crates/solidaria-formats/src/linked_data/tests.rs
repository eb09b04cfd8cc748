use super::*;
use proptest::prelude::*;
use solidaria_core::testing::{actor_from, arb_actor};

/// The properties and classes of `essglobal-vocab.ttl` v1.1 (the subjects of its triples), to
/// check that the context uses no ESSGlobal term that does not exist.
const ESSGLOBAL_TERMS: &[&str] = &[
    "SSEInitiative",
    "Network",
    "Address",
    "LocationOfSale",
    "SaleOption",
    "Cost",
    "CostComposition",
    "Input",
    "Labour",
    "OtherCosts",
    "Activities",
    "ActivitiesModified",
    "ActivitiesICA",
    "LegalForm",
    "OrganisationalStructure",
    "BaseMembershipType",
    "Qualifiers",
    "TypeOfLabour",
    "objective",
    "mission",
    "economicSector",
    "primarySector",
    "additionalSectors",
    "totalWomen",
    "totalMen",
    "totalOfMembers",
    "legalForm",
    "organisationalStructure",
    "baseMembershipType",
    "qualifier",
    "hasProductOrService",
    "state",
    "isMain",
    "isSSE",
];

fn base() -> BaseUrl {
    BaseUrl::parse("https://sse.example.org").unwrap()
}

fn eroski() -> Actor {
    actor_from(json!({
        "id": "eroski", "name": "Eroski S. Coop.", "category": "sse_organization",
        "alternate_names": ["Eroski", "Grupo Eroski"], "alternate_ids": ["eroski-2"],
        "legal_form": {"family": "cooperative", "code": "7TPC", "label": "sociedad cooperativa"},
        "territory": "ES-PV", "claims": ["sse", "cooperative", "b_corp"], "roles": ["finance"],
        "location": {"lat": 43.2, "lon": -2.6, "precision": "postcode"},
        "website": "https://www.eroski.es", "founded": 1969, "description": "Consumer-worker cooperative",
        "facts": {"governance.voting_rule": "one_member_one_vote",
                  "assets.lock": {"value": true, "source": "Basque cooperative law", "date": "2019", "note": "art. 99"},
                  "x.shape": {"a": {"@id": "https://evil.example"}}},
        "identifiers": {"lei": "959800ABCDEF12345678", "es_nif": "F20033361"},
        "address": {"street": "Barrio San Agustín", "locality": "Elorrio", "postcode": "48230", "country": "ES"},
        "activities": ["ica:ICA260", "ica:ICA999", "uksic2007:47110"],
        "sources": [{"dataset": "demo", "edition": "2024", "licence": "CC-BY-4.0", "line": 3}]
    }))
}

/// The IRI a term or compact IRI stands for under [`context`], as a JSON-LD processor expands
/// it (terms, then `prefix:suffix`); `None` when it expands to nothing (and would be dropped).
fn expand_iri(ctx: &Map<String, Value>, key: &str) -> Option<String> {
    let def = ctx.get(key);
    let iri = match def {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(o)) => o.get("@id")?.as_str()?.to_string(),
        _ => key.to_string(),
    };
    let (prefix, suffix) = iri.split_once(':')?;
    match ctx.get(prefix) {
        Some(Value::String(ns)) if !suffix.starts_with("//") => Some(format!("{ns}{suffix}")),
        _ if iri.starts_with("http://") || iri.starts_with("https://") => Some(iri),
        _ => None,
    }
}

/// A small expansion of a node by the context: `@type`s and every key to full IRIs,
/// recursively; panics on a key that would not expand (a JSON-LD processor would drop it).
fn expand(ctx: &Map<String, Value>, v: &Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.iter().map(|i| expand(ctx, i)).collect()),
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, val) in m {
                match k.as_str() {
                    "@id" | "@context" => {
                        out.insert(k.clone(), val.clone());
                    }
                    "@type" => {
                        let t = val.as_str().expect("one type");
                        out.insert(k.clone(), Value::from(expand_iri(ctx, t).expect("type expands")));
                    }
                    _ => {
                        let iri = expand_iri(ctx, k).unwrap_or_else(|| panic!("key {k:?} does not expand"));
                        assert!(
                            iri.starts_with(SCHEMA_ORG) || iri.starts_with(ESSGLOBAL_VOCAB),
                            "{k} expands to {iri}, neither schema.org nor ESSGlobal"
                        );
                        out.insert(iri, expand(ctx, val));
                    }
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

fn ctx() -> Map<String, Value> {
    context()["@context"].as_object().unwrap().clone()
}

#[test]
fn an_actor_reads_as_a_schema_org_organization() {
    let doc = actor_document(&eroski(), &base());
    // As text and back, as a consumer gets it.
    let doc: Value = serde_json::from_str(&doc.to_string()).unwrap();
    assert_eq!(doc["@context"], "https://sse.example.org/context.jsonld");
    assert_eq!(doc["@id"], "https://sse.example.org/actors/eroski");
    let e = expand(&ctx(), &doc);
    let s = |p: &str| format!("{SCHEMA_ORG}{p}");
    assert_eq!(e["@type"], s("Organization"));
    assert_eq!(e[s("name")], "Eroski S. Coop.");
    assert_eq!(e[s("alternateName")], json!(["Eroski", "Grupo Eroski"]));
    assert_eq!(e[s("sameAs")], json!(["https://sse.example.org/actors/eroski-2"]));
    assert_eq!(e[s("url")], "https://www.eroski.es");
    assert_eq!(e[s("foundingDate")], "1969");
    let addr = &e[s("address")];
    assert_eq!(addr["@type"], s("PostalAddress"));
    assert_eq!(addr[s("postalCode")], "48230");
    assert_eq!(addr[s("addressLocality")], "Elorrio");
    assert_eq!(addr[s("addressCountry")], "ES");
    assert_eq!(e[s("geo")]["@type"], s("GeoCoordinates"));
    assert_eq!(e[s("geo")][s("latitude")], 43.2);
    assert_eq!(e[s("geo")][s("description")], "precision: postcode");
    assert_eq!(e[s("leiCode")], "959800ABCDEF12345678");
    let ids = e[s("identifier")].as_array().unwrap();
    assert!(ids.iter().any(|i| i[s("propertyID")] == "es_nif" && i[s("value")] == "F20033361"));
    assert_eq!(e[s("keywords")], json!(["sse", "cooperative", "b_corp"]));
    // ESSGlobal: the family as its concepts, and only the ICA activities the scheme has.
    let ess = |p: &str| format!("{ESSGLOBAL_VOCAB}{p}");
    assert_eq!(e[ess("legalForm")], "http://purl.org/essglobal/standard/legal-form/L2");
    assert_eq!(e[ess("organisationalStructure")], "http://purl.org/essglobal/standard/organisational-structure/OS115");
    assert_eq!(e[ess("economicSector")], json!(["http://purl.org/essglobal/standard/activities-ica/ICA260"]));
    // Facts keep their evidence; a custom object is a text, not a node.
    let props = e[s("additionalProperty")].as_array().unwrap();
    let lock = props.iter().find(|p| p[s("propertyID")] == "assets.lock").unwrap();
    assert_eq!(lock[s("value")], true);
    assert_eq!(lock[s("subjectOf")][s("name")], "Basque cooperative law");
    assert_eq!(lock[s("subjectOf")][s("datePublished")], "2019");
    assert_eq!(lock[s("description")], "art. 99");
    let shape = props.iter().find(|p| p[s("propertyID")] == "x.shape").unwrap();
    assert!(shape[s("value")].is_string());
    assert!(props.iter().any(|p| p[s("propertyID")] == "activity" && p[s("value")] == "uksic2007:47110"));
    assert!(props.iter().any(|p| p[s("propertyID")] == "legal_form.code" && p[s("value")] == "7TPC"));
    assert!(props.iter().any(|p| p[s("propertyID")] == "territory" && p[s("value")] == "ES-PV"));
    // The source, with its licence.
    let src = &e[s("isBasedOn")][0];
    assert_eq!(src["@type"], s("Dataset"));
    assert_eq!(src[s("name")], "demo");
    assert_eq!(src[s("license")], "CC-BY-4.0");
    assert_eq!(src[s("version")], "2024");
}

/// Sites are the organization's `location`s, each a schema.org `Place` with its address, its map
/// point (precision stated), phone, page and source row; a site with only a name says only that.
#[test]
fn sites_are_places_of_the_organization() {
    let a = actor_from(json!({
        "id": "coop", "name": "Midcounties Co-operative",
        "sites": [
            {"name": "Food store, Stroud", "address": {"street": "1 High St", "postcode": "GL5 1AA"},
             "location": {"lat": 51.74, "lon": -2.22, "precision": "postcode"}, "phone": "01453 000000",
             "website": "https://example.org/stroud", "description": "Open daily",
             "source": {"dataset": "coops-uk-2017-outlets", "edition": "2017-06", "line": 7}},
            {"name": "Pharmacy"}
        ]
    }));
    let doc: Value = serde_json::from_str(&actor_document(&a, &base()).to_string()).unwrap();
    let e = expand(&ctx(), &doc);
    let s = |p: &str| format!("{SCHEMA_ORG}{p}");
    let places = e[s("location")].as_array().expect("an array of places");
    assert_eq!(places.len(), 2);
    let first = &places[0];
    assert_eq!(first["@type"], s("Place"));
    assert_eq!(first[s("name")], "Food store, Stroud");
    assert_eq!(first[s("address")]["@type"], s("PostalAddress"));
    assert_eq!(first[s("address")][s("postalCode")], "GL5 1AA");
    assert_eq!(first[s("geo")][s("longitude")], -2.22);
    assert_eq!(first[s("geo")][s("description")], "precision: postcode");
    assert_eq!(first[s("telephone")], "01453 000000");
    assert_eq!(first[s("url")], "https://example.org/stroud");
    assert_eq!(first[s("description")], "Open daily");
    assert_eq!(first[s("additionalProperty")][0][s("value")], "coops-uk-2017-outlets 2017-06, line 7");
    let keys: Vec<&str> = doc["location"][1].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["@type", "name"]);
}

#[test]
fn a_minimal_actor_says_only_what_is_known() {
    let a = Actor::new(solidaria_core::text::Id::parse("x1").unwrap(), "Just a name");
    let node = actor_node(&a, &base());
    let keys: Vec<&str> = node.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["@id", "@type", "name"]);
}

#[test]
fn the_context_uses_only_real_essglobal_terms() {
    for (term, iri, _) in TERMS {
        if let Some(local) = iri.strip_prefix("essglobal:") {
            assert!(ESSGLOBAL_TERMS.contains(&local), "{term}: essglobal:{local} is not in the vocabulary");
        } else {
            assert!(iri.starts_with("schema:"), "{term}");
        }
    }
    // A term that is not in the context is caught by the test expansion.
    let r = std::panic::catch_unwind(|| expand(&ctx(), &json!({"nmae": "typo"})));
    assert!(r.is_err());
}

#[test]
fn a_registry_is_one_document_with_a_graph() {
    let mut out = Vec::new();
    let mut w = GraphWriter::new(&mut out, base()).unwrap();
    w.write(&eroski()).unwrap();
    w.write(&Actor::new(solidaria_core::text::Id::parse("x1").unwrap(), "Two")).unwrap();
    w.finish().unwrap();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["@context"], "https://sse.example.org/context.jsonld");
    let graph = doc["@graph"].as_array().unwrap();
    assert_eq!(graph.len(), 2);
    assert_eq!(graph[1]["@id"], "https://sse.example.org/actors/x1");
    assert!(graph.iter().all(|n| n.get("@context").is_none()));

    let mut out = Vec::new();
    GraphWriter::new(&mut out, base()).unwrap().finish().unwrap();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["@graph"], json!([]));
}

proptest! {
    #[test]
    fn every_key_of_every_actor_expands_to_schema_org_or_essglobal(a in arb_actor()) {
        let doc = actor_document(&a, &base());
        let e = expand(&ctx(), &doc);
        prop_assert_eq!(&e["@type"], &Value::from(format!("{SCHEMA_ORG}Organization")));
        prop_assert_eq!(&e[format!("{SCHEMA_ORG}name")], &Value::from(a.name.as_str()));
    }
}
