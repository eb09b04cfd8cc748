use super::*;
use crate::testing::{arb_actor, arb_record};
use proptest::prelude::*;
use serde_json::json;

fn errors_of(v: Value) -> Vec<String> {
    match parse_record(&v) {
        Ok(r) => panic!("accepted {v}: {r:?}"),
        Err(e) => e.iter().map(|e| e.to_string()).collect(),
    }
}

fn round_trip(v: Value) -> Record {
    let r = parse_record(&v).unwrap_or_else(|e| panic!("{v}: {e:?}"));
    let again = parse_record(&r.to_json()).expect("canonical form parses");
    assert_eq!(again, r);
    r
}

#[test]
fn design_examples_parse_and_round_trip() {
    let eroski =
        round_trip(json!({"type":"actor","id":"eroski","name":"Eroski S. Coop.","category":"sse_organization",
        "legal_form":{"family":"cooperative","code":"XJHM","label":"sociedad cooperativa"},
        "territory":"ES-PV","claims":["sse","cooperative"],"roles":["finance"],
        "location":{"lat":43.2,"lon":-2.6},"website":"https://www.eroski.es","founded":1969,
        "facts":{"governance.voting_rule":"one_member_one_vote",
                 "assets.lock":{"value":true,"source":"Basque cooperative law","date":"2019"}}}));
    let Record::Actor(a) = &eroski else { panic!() };
    assert_eq!(a.territory.as_ref().unwrap().iso_parent().unwrap().as_str(), "ES");
    assert_eq!(
        eroski.to_json_string(),
        r#"{"type":"actor","id":"eroski","name":"Eroski S. Coop.","category":"sse_organization","legal_form":{"family":"cooperative","code":"XJHM","label":"sociedad cooperativa"},"territory":"ES-PV","claims":["sse","cooperative"],"roles":["finance"],"location":{"lat":43.2,"lon":-2.6},"website":"https://www.eroski.es","founded":1969,"facts":{"assets.lock":{"value":true,"source":"Basque cooperative law","date":"2019"},"governance.voting_rule":"one_member_one_vote"}}"#,
        "canonical field order, bare facts without provenance"
    );
    round_trip(json!({"type":"relation","from":"eroski","to":"mondragon","kind":"member_of","since":"1969"}));
    round_trip(
        json!({"type":"territory","id":"IN-UP","name":"Uttar Pradesh","parent":"IN","facts":{"context.income_level":"lower_middle"}}),
    );
    round_trip(json!({"type":"territory","id":"montreal-east","name":"Est de Montréal","parent":"CA-QC"}));
    round_trip(
        json!({"type":"case","id":"erickshaw-network","name":"E-rickshaw network","territory":"IN-UP","year":2019,"kind":"network",
        "actors":[{"actor":"development-alternatives","role":"facilitator"}],
        "facts":{"si.collective_action":true, "si.permanence": "organization"},
        "preconditions":[{"key":"context.electricity_access","op":">=","value":0.6,"reason":"battery vehicles need charging"},
                         {"key":"context.income_level","op":"in","value":["low","lower_middle"],"kind":"supportive"}]}),
    );
}

/// Malformed records, each with the exact messages it must produce.
#[test]
fn malformed_records_give_located_errors() {
    let table: Vec<(Value, Vec<&str>)> = vec![
        (json!([1, 2]), vec!["record: expected a JSON object, found [1,2]"]),
        (
            json!({"id": "x"}),
            vec![
                "type: expected one of \"actor\", \"relation\", \"territory\", \"case\", \"mechanism\", \"strategy\", found nothing (the field is missing)",
            ],
        ),
        (
            json!({"type": "org", "id": "x"}),
            vec![
                "type: expected one of \"actor\", \"relation\", \"territory\", \"case\", \"mechanism\", \"strategy\", found \"org\"",
            ],
        ),
        (
            json!({"type": "actor", "name": "X"}),
            vec![
                "id: expected an id of 1 to 128 letters, digits, '.', '_', ':' or '-' starting with a letter or digit, found nothing (the field is missing)",
            ],
        ),
        (
            json!({"type": "actor", "id": "a b", "name": "X"}),
            vec![
                "id: expected an id of 1 to 128 letters, digits, '.', '_', ':' or '-' starting with a letter or digit, found \"a b\"",
            ],
        ),
        (
            json!({"type": "actor", "id": "x", "name": "  "}),
            vec!["name: expected a non-empty text of at most 20000 bytes, found \"  \""],
        ),
        (
            json!({"type": "actor", "id": "x", "name": "X", "category": "ngo"}),
            vec![
                "category: expected one of \"sse_organization\", \"support_network\", \"knowledge_institution\", \"public_authority\", \"finance_provider\", \"private_business\", \"civil_society_movement\", found \"ngo\"",
            ],
        ),
        (
            json!({"type": "actor", "id": "x", "name": "X", "legal_form": {"family": "coop"}}),
            vec![
                "legal_form.family: expected one of \"cooperative\", \"mutual\", \"association\", \"foundation\", \"company\", \"public_body\", \"informal_group\", \"trust\", \"other\", found \"coop\"",
            ],
        ),
        (
            json!({"type": "actor", "id": "x", "name": "X", "territory": "CA-QQ"}),
            vec![
                "territory: expected an ISO 3166-1 country code (\"CA\"), an ISO 3166-2 subdivision code (\"CA-QC\") or the id of a custom region that is not shaped like an ISO code (\"ca-qc-montreal\"), found \"CA-QQ\"",
            ],
        ),
        (
            json!({"type": "actor", "id": "x", "name": "X", "claims": ["sse", "Green Label"]}),
            vec![
                "claims[1]: expected one of the known claims (sse, social_economy, solidarity_economy, social_innovation, social_enterprise, cooperative, mutual, non_profit, fair_trade) or a label of 1 to 60 lowercase letters, digits, '_' or '-' starting with a letter (e.g. b_corp), found \"Green Label\"",
            ],
        ),
        (
            json!({"type": "actor", "id": "x", "name": "X", "identifiers": {"Companies House": "1", "gb_frn": ""}}),
            vec![
                "identifiers.Companies House: expected a scheme name of 1 to 40 lowercase letters, digits or '_' starting with a letter (e.g. gb_companies_house), found this scheme name",
                "identifiers.gb_frn: expected a non-empty text of at most 100 bytes, found \"\"",
            ],
        ),
        (
            json!({"type": "actor", "id": "x", "name": "X", "activities": ["ICA260"], "address": {"zip": "1"}}),
            vec![
                "address.zip: expected no such field here; known fields are street, locality, region, postcode, country, found an unknown field",
                "activities[0]: expected an activity as SCHEME:CODE, e.g. ica:ICA260 or uksic2007:47110 (scheme in lowercase letters and digits, code in letters, digits, '.', '_' or '-'), found \"ICA260\"",
            ],
        ),
        (
            json!({"type": "actor", "id": "x", "name": "X", "sources": [{"edition": "2022"}], "location": {"lat": 1, "lon": 2, "precision": "street"}}),
            vec![
                "location.precision: expected one of \"exact\", \"address\", \"postcode\", \"locality\", \"region\", found \"street\"",
                "sources[0].dataset: expected a dataset name of 1 to 60 lowercase letters, digits, '-' or '_' starting with a letter, found nothing (the field is missing)",
            ],
        ),
        (
            json!({"type": "actor", "id": "x", "name": "X", "roles": "finance"}),
            vec!["roles: expected a list, found \"finance\""],
        ),
        (
            json!({"type": "actor", "id": "x", "name": "X", "location": {"lat": 91, "lon": 0}}),
            vec!["location.lat: expected a number from -90 to 90, found 91"],
        ),
        (
            json!({"type": "actor", "id": "x", "name": "X", "location": {"lat": 1}}),
            vec!["location.lat: expected both \"lat\" and \"lon\", found {\"lat\":1}"],
        ),
        (
            json!({"type": "actor", "id": "x", "name": "X", "website": "javascript:alert(1)"}),
            vec!["website: expected an http:// or https:// address without spaces, found \"javascript:alert(1)\""],
        ),
        (
            json!({"type": "actor", "id": "x", "name": "X", "founded": "1969"}),
            vec!["founded: expected a whole number from 1000 to 2100, found \"1969\""],
        ),
        (
            json!({"type": "actor", "id": "x", "name": "X", "nmae": "typo"}),
            vec![
                "nmae: expected no such field here; known fields are type, id, name, alternate_names, category, legal_form, territory, claims, roles, location, website, founded, description, facts, identifiers, address, sites, activities, sources, alternate_ids, found an unknown field",
            ],
        ),
        (
            json!({"type": "actor", "id": "x", "name": "X", "facts": {"members.count": "many"}}),
            vec!["facts.members.count: expected a whole number, 0 or more, found \"many\""],
        ),
        (
            json!({"type": "actor", "id": "x", "name": "X", "facts": {"surplus.distribution_basis": "dividends"}}),
            vec![
                "facts.surplus.distribution_basis: expected one of \"none\", \"patronage\", \"capital\", \"mixed\", found \"dividends\"",
            ],
        ),
        (
            json!({"type": "actor", "id": "x", "name": "X", "facts": {"control.public_share": {"value": 1.2, "source": "x"}}}),
            vec!["facts.control.public_share.value: expected a number from 0 to 1, found 1.2"],
        ),
        (
            json!({"type": "actor", "id": "x", "name": "X", "facts": {"Bad Key": 1}}),
            vec![
                "facts.Bad Key: expected a dotted key of lowercase letters, digits and '_' (e.g. \"governance.voting_rule\"), at most 100 characters, found this key",
            ],
        ),
        (
            json!({"type": "relation", "from": "a", "to": "a", "kind": "funds"}),
            vec!["to: expected an actor other than \"from\", found \"a\""],
        ),
        (
            json!({"type": "relation", "from": "a", "to": "b", "kind": "likes"}),
            vec![
                "kind: expected one of \"member_of\", \"federates\", \"funds\", \"partners_with\", \"supplies\", \"procures_from\", \"supports\", \"co_constructs\", \"trains\", \"researches_with\", found \"likes\"",
            ],
        ),
        (
            json!({"type": "relation", "from": "a", "to": "b", "kind": "funds", "since": "2020", "until": "2019"}),
            vec!["until: expected a date not before since (2020), found \"2019\""],
        ),
        (
            json!({"type": "territory", "id": "CA-QC", "parent": "FR"}),
            vec!["parent: expected \"CA\", the ISO 3166 parent of CA-QC, or no parent, found \"FR\""],
        ),
        (
            json!({"type": "territory", "id": "XX"}),
            vec![
                "id: expected an ISO 3166-1 country code (\"CA\"), an ISO 3166-2 subdivision code (\"CA-QC\") or the id of a custom region that is not shaped like an ISO code (\"ca-qc-montreal\"); \"XX\" is shaped like an ISO code but is not one, found \"XX\"",
            ],
        ),
        (
            json!({"type": "case", "id": "c", "name": "C", "preconditions": [{"key": "context.income_level", "op": ">", "value": "low"}]}),
            vec![
                "preconditions[0].op: expected \"=\", \"!=\", \"in\" or \"not_in\" for context.income_level, whose values are not numbers, found \">\"",
            ],
        ),
        (
            json!({"type": "case", "id": "c", "name": "C", "preconditions": [{"key": "context.electricity_access", "op": ">=", "value": 60}]}),
            vec!["preconditions[0].value: expected a number from 0 to 1, found 60"],
        ),
        (
            json!({"type": "case", "id": "c", "name": "C", "preconditions": [{"key": "income", "op": "=", "value": 1}]}),
            vec![
                "preconditions[0].key: expected a territory context key starting with \"context.\" (e.g. \"context.electricity_access\"), found \"income\"",
            ],
        ),
        (
            json!({"type": "case", "id": "c", "name": "C", "actors": [{"role": "x"}]}),
            vec![
                "actors[0].actor: expected an id of 1 to 128 letters, digits, '.', '_', ':' or '-' starting with a letter or digit, found nothing (the field is missing)",
            ],
        ),
    ];
    for (input, expected) in table {
        assert_eq!(errors_of(input.clone()), expected, "input: {input}");
    }
}

#[test]
fn every_problem_of_a_record_is_reported() {
    let e = errors_of(
        json!({"type": "actor", "id": "", "category": "x", "founded": 3000, "facts": {"assets.lock": "yes"}}),
    );
    assert_eq!(e.len(), 5, "{e:#?}");
}

#[test]
fn nothing_is_defaulted_from_a_legal_form() {
    let r = round_trip(json!({"type": "actor", "id": "c", "name": "C", "legal_form": {"family": "cooperative"}}));
    let Record::Actor(a) = r else { panic!() };
    assert!(a.facts.is_empty());
    assert!(a.claims.is_empty());
}

#[test]
fn elf_code_resolves_from_an_actor() {
    let r = round_trip(json!({"type": "actor", "id": "c", "name": "C", "legal_form": {"code": "5AWN"}}));
    let Record::Actor(a) = r else { panic!() };
    assert_eq!(a.legal_form.elf()[0].local_name, "Sociedad del Estado");
}

proptest! {
    #[test]
    fn canonical_json_round_trips(record in arb_record()) {
        let json = record.to_json();
        let text = serde_json::to_string(&json).unwrap();
        let back = parse_record(&serde_json::from_str(&text).unwrap());
        prop_assert_eq!(back, Ok(record));
    }

    #[test]
    fn stored_text_reads_back_as_its_record_and_type(record in arb_record()) {
        let text = record.to_json_string();
        let t = record.record_type();
        prop_assert_eq!(record_from_text(t, &text), Ok(record.clone()));
        // Read as another type, the text is refused for its type, whatever it is.
        let other = if t == RecordType::Actor { RecordType::Relation } else { RecordType::Actor };
        let errors = record_from_text(other, &text).unwrap_err();
        prop_assert!(errors.iter().any(|e| e.to_string().starts_with("type")), "{:?}", errors);
        // The same document as JSON (as PostgreSQL hands it): the same answers.
        prop_assert_eq!(record_of_type(t, &record.to_json()), Ok(record.clone()));
        prop_assert_eq!(record_of_type(other, &record.to_json()).unwrap_err(), errors);
    }

    #[test]
    fn actors_round_trip(actor in arb_actor()) {
        let record = Record::Actor(actor);
        prop_assert_eq!(parse_record(&record.to_json()), Ok(record));
    }
}

proptest! {
    #[test]
    fn canonical_text_is_the_compact_form_of_canonical_json(record in arb_record()) {
        let text = record.to_json_string();
        prop_assert_eq!(&text, &record.to_json().to_string());
        prop_assert_eq!(parse_record(&serde_json::from_str(&text).unwrap()), Ok(record));
    }
}

#[test]
fn labels_outside_the_known_claims_are_kept_and_written_back() {
    let input =
        json!({"type": "actor", "id": "x", "name": "X", "claims": ["b_corp", "cooperative", "mission_company"]});
    let Record::Actor(a) = parse_record(&input).expect("valid") else { panic!("an actor") };
    assert_eq!(a.claims, vec![crate::actor::Claim::Cooperative]);
    assert_eq!(a.labels, vec!["b_corp".to_string(), "mission_company".to_string()]);
    let back = Record::Actor(a).to_json();
    assert_eq!(back["claims"], json!(["cooperative", "b_corp", "mission_company"]));
}

#[test]
fn an_input_fact_key_outside_the_vocabulary_must_be_declared() {
    // Fails without the rule: the typo was kept as a custom fact.
    let v = json!({"type": "actor", "id": "a", "name": "A",
        "facts": {"governance.votingrule": "one_member_one_vote", "x.founder": "Ana", "register.activity": "62.01Z"}});
    let e = parse_input(&v).unwrap_err();
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        e[0].to_string(),
        "facts.governance.votingrule: expected a key of the fact vocabulary (`solidaria vocabulary` lists them) or a \
         custom key declared under \"x.\" (\"x.governance.votingrule\"), found \"governance.votingrule\", an unknown key: \
         did you mean \"governance.voting_rule\"?"
    );
    // Other problems of the record are reported with it; a stored record still reads.
    let both = json!({"type": "actor", "id": "a", "facts": {"asets.lock": true}});
    let e: Vec<String> = parse_input(&both).unwrap_err().iter().map(|e| e.to_string()).collect();
    assert!(e[0].starts_with("name: ") && e[1].ends_with("did you mean \"assets.lock\"?"), "{e:?}");
    assert!(parse_record(&v).is_ok());
    let declared = json!({"type": "actor", "id": "a", "name": "A", "facts": {"x.founder": "Ana", "assets.lock": true}});
    assert!(parse_input(&declared).is_ok());
}

#[test]
fn stored_text_that_is_not_json_says_so() {
    for t in [RecordType::Actor, RecordType::Case] {
        let errors = record_from_text(t, "{\"type\":").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].to_string().starts_with("record"), "{}", errors[0]);
    }
}
