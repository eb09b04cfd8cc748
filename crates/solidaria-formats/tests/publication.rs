//! The published formats checked against their specifications: Murmurations profiles validated
//! with a JSON Schema validator against the Murmurations Library's own schema files (GPL-3.0 test
//! fixtures in `tests/fixtures/murmurations/`, see its SOURCE.md), for generated actors and for
//! the bundled demo ecosystem.

use jsonschema::{Draft, Retrieve, Uri, Validator};
use proptest::prelude::*;
use serde_json::{Value, json};
use solidaria_core::{Actor, Record};
use solidaria_formats::murmurations::{SCHEMA, profile};
use solidaria_formats::{BaseUrl, linked_data};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/murmurations")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Resolves the schemas' `../fields/NAME.json` references (relative to the schema's `$id` on the
/// Murmurations test library) to the fixture files: nothing is fetched from the network.
struct Fixtures;

const FIELDS_BASE: &str = "https://test-library.murmurations.network/v2/fields/";

impl Retrieve for Fixtures {
    fn retrieve(&self, uri: &Uri<String>) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri
            .as_str()
            .strip_prefix(FIELDS_BASE)
            .filter(|n| {
                n.ends_with(".json") && n.bytes().all(|b| b.is_ascii_lowercase() || b"_.0123456789".contains(&b))
            })
            .ok_or_else(|| format!("not a Murmurations field in the fixtures: {uri}"))?;
        let path = fixtures().join("fields").join(name);
        if !path.exists() {
            return Err(format!("missing fixture {}", path.display()).into());
        }
        Ok(read_json(&path))
    }
}

fn validator_for(schema: &Value) -> Validator {
    jsonschema::options()
        .with_draft(Draft::Draft7)
        .with_retriever(Fixtures)
        .build(schema)
        .unwrap_or_else(|e| panic!("the schema builds: {e}"))
}

/// The organizations schema, and one validator per field that profiles carry beyond it.
static ORGANIZATIONS: LazyLock<Validator> =
    LazyLock::new(|| validator_for(&read_json(&fixtures().join(format!("schemas/{SCHEMA}.json")))));

static EXTRA_FIELDS: LazyLock<Vec<(&'static str, Validator)>> = LazyLock::new(|| {
    ["street_address", "locality", "region", "postal_code"]
        .into_iter()
        .map(|f| (f, validator_for(&read_json(&fixtures().join(format!("fields/{f}.json"))))))
        .collect()
});

/// Every problem of a profile: against the schema, and each extra field against its field file.
fn problems(p: &Value) -> Vec<String> {
    let mut out: Vec<String> = ORGANIZATIONS.iter_errors(p).map(|e| format!("{}: {e}", e.instance_path())).collect();
    for (field, v) in EXTRA_FIELDS.iter() {
        if let Some(value) = p.get(*field) {
            out.extend(v.iter_errors(value).map(|e| format!("{field}: {e}")));
        }
    }
    out
}

fn base() -> BaseUrl {
    BaseUrl::parse("https://sse.example.org").unwrap()
}

fn demo_actors() -> Vec<Actor> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../solidaria-cli/demo/ecosystem.jsonl");
    let file = std::io::BufReader::new(std::fs::File::open(&path).unwrap());
    solidaria_formats::jsonl::read_lines(file)
        .filter_map(|e| match e.unwrap().result.unwrap() {
            Record::Actor(a) => Some(a),
            _ => None,
        })
        .collect()
}

#[test]
fn every_demo_actor_is_a_valid_profile() {
    let actors = demo_actors();
    assert!(actors.len() > 50, "the demo has its actors ({})", actors.len());
    for a in &actors {
        let p = profile(a, &base());
        assert_eq!(problems(&p), Vec::<String>::new(), "{}: {p:#}", a.id);
        assert_eq!(p["linked_schemas"], json!([SCHEMA]));
        let primary = p["primary_url"].as_str().unwrap();
        match &a.website {
            Some(w) => assert_eq!(primary, w.as_str()),
            None => assert_eq!(primary, format!("https://sse.example.org/actors/{}", a.id)),
        }
    }
}

#[test]
fn the_validator_rejects_broken_profiles() {
    let a = &demo_actors()[0];
    let good = profile(a, &base());
    assert!(problems(&good).is_empty());
    let broken: Vec<(&str, Value)> = vec![
        ("no linked_schemas", {
            let mut p = good.clone();
            p.as_object_mut().unwrap().remove("linked_schemas");
            p
        }),
        ("no name", {
            let mut p = good.clone();
            p.as_object_mut().unwrap().remove("name");
            p
        }),
        ("name too long", json!({"linked_schemas": [SCHEMA], "name": "x".repeat(201)})),
        ("country not ISO", json!({"linked_schemas": [SCHEMA], "name": "n", "country_iso_3166": "XX"})),
        (
            "latitude out of range",
            json!({"linked_schemas": [SCHEMA], "name": "n", "geolocation": {"lat": 91, "lon": 0}}),
        ),
        (
            "primary_url not a web address",
            json!({"linked_schemas": [SCHEMA], "name": "n", "primary_url": "mailto:a@b.c"}),
        ),
        ("empty tags", json!({"linked_schemas": [SCHEMA], "name": "n", "tags": []})),
        ("duplicate tags", json!({"linked_schemas": [SCHEMA], "name": "n", "tags": ["a", "a"]})),
        ("url without its address", json!({"linked_schemas": [SCHEMA], "name": "n", "urls": [{"name": "w"}]})),
        ("locality not a text", json!({"linked_schemas": [SCHEMA], "name": "n", "locality": 12})),
    ];
    for (what, p) in broken {
        assert!(!problems(&p).is_empty(), "{what} was accepted: {p}");
    }
}

#[test]
fn schema_limits_are_kept() {
    let mut a = demo_actors().remove(0);
    a.name = "é".repeat(500);
    a.labels = (0..150).map(|i| format!("label_{i}")).collect();
    a.territory = None;
    a.address.country = Some("gb".into());
    let p = profile(&a, &base());
    assert!(problems(&p).is_empty(), "{:?}", problems(&p));
    assert_eq!(p["name"].as_str().unwrap().chars().count(), 200);
    assert!(p["name"].as_str().unwrap().ends_with('…'));
    assert_eq!(p["tags"].as_array().unwrap().len(), 100);
    assert_eq!(p["country_iso_3166"], "GB");
    // A country that is not an ISO code is left out rather than refused.
    a.address.country = Some("Scotland".into());
    assert!(profile(&a, &base()).get("country_iso_3166").is_none());
}

#[test]
fn demo_actors_as_json_ld_are_organizations() {
    for a in demo_actors() {
        let doc = linked_data::actor_document(&a, &base());
        assert_eq!(doc["@type"], "Organization");
        assert_eq!(doc["@id"], format!("https://sse.example.org/actors/{}", a.id));
        assert_eq!(doc["name"], a.name.as_str());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn every_generated_actor_is_a_valid_profile(a in solidaria_core::testing::arb_actor()) {
        let p = profile(&a, &base());
        let problems = problems(&p);
        prop_assert!(problems.is_empty(), "{:?} in {}", problems, p);
    }
}
