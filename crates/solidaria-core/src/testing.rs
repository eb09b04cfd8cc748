//! Proptest strategies that generate valid domain records, for round-trip property tests here and
//! in the format and store crates (feature `testing`).

use crate::actor::{Actor, BuildingBlock, Category, Claim, Location};
use crate::case::{Op, Precondition, PreconditionKind};
use crate::fact::{Fact, FactValue, Facts, Provenance};
use crate::finance::money::Currency;
use crate::legal_form::{Family, LegalForm};
use crate::mechanism::{Mechanism, MechanismEligibility, MechanismKind, MechanismSource, Terms};
use crate::origin::{Address, Identifiers, Precision, SourceRef};
use crate::record::Record;
use crate::relation::{Relation, RelationKind};
use crate::screening::Verdict;
use crate::site::Site;
use crate::territory::{Territory, TerritoryId};
use crate::text::{Id, PartialDate, WebUrl};
use crate::vocab::{FactType, VOCABULARY};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use serde_json::json;

/// A valid id.
pub fn arb_id() -> impl Strategy<Value = Id> {
    "[a-z0-9][a-z0-9._:-]{0,24}".prop_map(|s| Id::parse(&s).expect("valid id"))
}

/// A non-empty text with any characters, including quotes, commas, newlines and non-Latin scripts.
pub fn arb_text() -> impl Strategy<Value = String> {
    prop_oneof!["[a-zA-Z0-9 ,;\"'\n\t.é€–—À-ÿ]{0,40}", any::<String>().prop_map(|s| s.chars().take(60).collect()),]
        .prop_map(|s| format!("x{s}"))
}

fn arb_date() -> impl Strategy<Value = PartialDate> {
    prop_oneof![
        (1900u32..2030).prop_map(|y| format!("{y}")),
        (1900u32..2030, 1u32..13).prop_map(|(y, m)| format!("{y}-{m:02}")),
        (1900u32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
    ]
    .prop_map(|s| PartialDate::parse(&s).expect("valid date"))
}

fn arb_url() -> impl Strategy<Value = WebUrl> {
    "https://[a-z]{1,10}\\.org(/[a-z0-9?=&%#-]{0,12})?".prop_map(|s| WebUrl::parse(&s).expect("valid url"))
}

fn arb_provenance() -> impl Strategy<Value = Provenance> {
    (
        proptest::option::of(arb_text()),
        proptest::option::of(arb_date()),
        proptest::option::of(arb_url()),
        proptest::option::of(arb_text()),
        proptest::option::of(proptest::sample::select(crate::fact::Assurance::ALL.to_vec())),
    )
        .prop_map(|(source, date, url, note, assurance)| Provenance { source, date, url, note, assurance })
}

/// A valid value of a vocabulary type.
pub fn arb_value(ty: FactType) -> BoxedStrategy<FactValue> {
    match ty {
        FactType::Bool => any::<bool>().prop_map(FactValue::Bool).boxed(),
        FactType::Count => (0u64..10_000_000).prop_map(FactValue::Count).boxed(),
        FactType::Share | FactType::Rate => {
            prop_oneof![Just(0.0), Just(1.0), 0.0f64..=1.0].prop_map(FactValue::Number).boxed()
        }
        FactType::Ratio => (1.0f64..1000.0).prop_map(FactValue::Number).boxed(),
        FactType::Number => (0.0f64..100.0).prop_map(FactValue::Number).boxed(),
        FactType::Enum(values) => select(values).prop_map(|s| FactValue::Choice(s.to_string())).boxed(),
        FactType::Set(values) => subsequence(values, 1..=values.len())
            .prop_map(|v| FactValue::Set(v.into_iter().map(str::to_string).collect()))
            .boxed(),
        FactType::ActorRef => arb_id().prop_map(FactValue::Actor).boxed(),
    }
}

fn arb_custom_value() -> impl Strategy<Value = FactValue> {
    prop_oneof![
        arb_text().prop_map(|s| json!(s)),
        Just(json!("true")),
        Just(json!("12")),
        Just(json!("")),
        any::<i64>().prop_map(|n| json!(n)),
        any::<bool>().prop_map(|b| json!(b)),
        (-1e6f64..1e6).prop_map(|x| json!(x)),
        Just(json!({"value": 1})),
        Just(json!([1, "a", null])),
    ]
    .prop_map(FactValue::Custom)
}

/// A map of facts: some vocabulary keys of any subject and some custom keys, with or without provenance.
pub fn arb_facts() -> impl Strategy<Value = Facts> {
    // Keys only the law sets (`status.*`) are refused in records.
    let typable: Vec<&'static crate::vocab::FactSpec> =
        VOCABULARY.iter().filter(|s| !crate::statute::is_law_only(s.key)).collect();
    let known = subsequence(typable, 0..6).prop_flat_map(|specs| {
        specs.into_iter().map(|s| (Just(s.key.to_string()), arb_value(s.ty), arb_provenance())).collect::<Vec<_>>()
    });
    let custom = proptest::collection::vec(("x\\.[a-z][a-z0-9_]{0,8}", arb_custom_value(), arb_provenance()), 0..3);
    (known, custom).prop_map(|(known, custom)| {
        known.into_iter().chain(custom).map(|(k, value, provenance)| (k, Fact { value, provenance })).collect()
    })
}

fn arb_territory() -> impl Strategy<Value = TerritoryId> {
    select(&["CA", "CA-QC", "CA-ON", "IN-UP", "MX", "ZA-GP", "FR", "ES-PV", "BE"][..])
        .prop_map(|s| TerritoryId::parse(s).expect("iso"))
}

/// A valid territory record: an ISO code (with no parent or its ISO parent) or a custom region
/// under any territory, with or without a name and context facts.
pub fn arb_territory_record() -> impl Strategy<Value = Territory> {
    let iso = (arb_territory(), any::<bool>()).prop_map(|(id, with_parent)| {
        let parent = id.iso_parent().filter(|_| with_parent);
        (id, parent)
    });
    let custom = ("[a-z]{2}-[a-z][a-z0-9-]{2,12}", proptest::option::of(arb_territory()))
        .prop_map(|(id, parent)| (TerritoryId::parse(&id).expect("custom region"), parent));
    (prop_oneof![iso, custom], proptest::option::of(arb_some_text()), arb_facts())
        .prop_map(|((id, parent), name, facts)| Territory { id, name, parent, facts })
}

/// A valid actor with every part present or absent.
pub fn arb_actor() -> impl Strategy<Value = Actor> {
    (
        (arb_id(), arb_text(), proptest::option::of(select(Category::ALL))),
        (
            proptest::option::of(select(Family::ALL)),
            proptest::option::of("[A-Z0-9]{4}"),
            proptest::option::of(arb_text()),
        ),
        (proptest::option::of(arb_territory()), subsequence(Claim::ALL, 0..4), subsequence(BuildingBlock::ALL, 0..3)),
        (
            proptest::option::of((-90.0f64..=90.0, -180.0f64..=180.0)),
            proptest::option::of(arb_url()),
            proptest::option::of(1800i64..2030),
            proptest::option::of(arb_text()),
        ),
        arb_facts(),
        arb_origin(),
        (
            proptest::collection::btree_set("[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8}){0,2}", 0..3),
            proptest::collection::btree_set(arb_id(), 0..2),
        ),
        proptest::collection::vec(arb_site(), 0..3),
    )
        .prop_map(
            |(
                (id, name, category),
                (family, code, label),
                (territory, claims, roles),
                (loc, website, founded, description),
                facts,
                (labels, identifiers, address, activities, sources, precision),
                (alternate_names, alternate_ids),
                sites,
            )| {
                let alternate_names = alternate_names.into_iter().filter(|n| *n != name).collect();
                Actor {
                    id,
                    name,
                    alternate_names,
                    alternate_ids: alternate_ids.into_iter().collect(),
                    category,
                    legal_form: LegalForm { family, code, label },
                    territory,
                    claims: claims.to_vec(),
                    roles: roles.to_vec(),
                    location: loc.map(|(lat, lon)| Location { lat, lon, precision }),
                    website,
                    founded,
                    description,
                    facts,
                    labels,
                    identifiers,
                    address,
                    sites,
                    activities,
                    sources,
                }
            },
        )
}

/// A valid site: a name or an address (at least one), and every other part present or absent.
pub fn arb_site() -> impl Strategy<Value = Site> {
    (
        proptest::option::of(arb_some_text()),
        (proptest::option::of(arb_some_text()), proptest::option::of("[A-Z]{1,2}[0-9]{1,2} ?[0-9][A-Z]{2}")),
        proptest::option::of((-90.0f64..=90.0, -180.0f64..=180.0, proptest::option::of(select(Precision::ALL)))),
        (
            proptest::option::of(arb_some_text()),
            proptest::option::of("\\+?[0-9]{2,4}( [0-9]{3,4}){1,3}"),
            proptest::option::of(arb_url()),
        ),
        proptest::option::of(("[a-z][a-z0-9-]{0,20}", 1u64..100_000)),
    )
        .prop_map(|(name, (street, postcode), loc, (description, phone, website), source)| {
            let name = if name.is_none() && street.is_none() && postcode.is_none() && loc.is_none() {
                Some("Shop".to_string())
            } else {
                name
            };
            Site {
                name,
                address: Address { street, postcode, ..Address::default() },
                location: loc.map(|(lat, lon, precision)| Location { lat, lon, precision }),
                description,
                phone,
                website,
                source: source.map(|(dataset, line)| SourceRef {
                    dataset,
                    edition: Some("2017-06".into()),
                    licence: Some("ODC-By-1.0".into()),
                    attribution: None,
                    url: None,
                    line: Some(line),
                }),
            }
        })
}

/// The origin parts of an actor (labels, identifiers, address, activities, sources, map
/// precision), each present or absent.
#[allow(clippy::type_complexity)]
fn arb_origin()
-> impl Strategy<Value = (Vec<String>, Identifiers, Address, Vec<String>, Vec<SourceRef>, Option<Precision>)> {
    let address = (
        proptest::option::of(arb_text()),
        proptest::option::of(arb_text()),
        proptest::option::of("[A-Z]{1,2}[0-9]{1,2} ?[0-9][A-Z]{2}"),
    )
        .prop_map(|(street, locality, postcode)| Address { street, locality, postcode, ..Address::default() });
    let source =
        ("[a-z][a-z0-9-]{0,20}", proptest::option::of("20[0-9]{2}(-Q[1-4])?"), proptest::option::of(1u64..100_000))
            .prop_map(|(dataset, edition, line)| SourceRef {
                dataset,
                edition,
                licence: Some("ODC-By-1.0".into()),
                attribution: None,
                url: None,
                line,
            });
    (
        proptest::collection::btree_set("[a-z][a-z0-9_]{0,12}", 0..3)
            .prop_filter("not a known claim", |s| s.iter().all(|l| Claim::parse(l).is_err())),
        proptest::collection::btree_map("[a-z][a-z0-9_]{0,15}", "[A-Za-z0-9][A-Za-z0-9 ./-]{0,20}[A-Za-z0-9]", 0..3),
        address,
        proptest::collection::btree_set("(ica:ICA[0-9]{2,3}|uksic2007:[0-9]{5})", 0..3),
        proptest::collection::vec(source, 0..2),
        proptest::option::of(select(Precision::ALL)),
    )
        .prop_map(|(labels, ids, address, activities, sources, precision)| {
            (labels.into_iter().collect(), ids, address, activities.into_iter().collect(), sources, precision)
        })
}

/// A valid relation.
pub fn arb_relation() -> impl Strategy<Value = Relation> {
    (
        arb_id(),
        arb_id(),
        select(RelationKind::ALL),
        proptest::option::of(arb_date()),
        proptest::option::of(arb_text()),
        proptest::option::of(arb_url()),
        proptest::option::of(arb_text()),
    )
        .prop_filter("distinct ends", |(f, t, ..)| f != t)
        .prop_map(|(from, to, kind, since, source, url, note)| Relation {
            from,
            to,
            kind,
            since,
            until: None,
            source,
            date: None,
            url,
            note,
        })
}

fn arb_some_text() -> impl Strategy<Value = String> {
    arb_text().prop_filter("non-empty", |s| !s.trim().is_empty())
}

fn arb_precondition() -> impl Strategy<Value = Precondition> {
    let cases = [
        ("context.formal_credit_access", Op::Ge, json!(0.5)),
        ("context.local_trust_reliance", Op::In, json!(["medium", "high"])),
        ("context.sse_law", Op::Eq, json!(true)),
        ("context.sse_networks", Op::Gt, json!(2)),
    ];
    (select(cases.to_vec()), proptest::option::of(arb_some_text()), select(PreconditionKind::ALL))
        .prop_map(|((key, op, value), reason, kind)| Precondition { key: key.to_string(), op, value, reason, kind })
}

/// A valid financial mechanism with every part present or absent.
pub fn arb_mechanism() -> impl Strategy<Value = Mechanism> {
    let terms = (
        proptest::option::of(arb_some_text()),
        proptest::option::of(select(&["CAD", "EUR", "ZAR", "JPY"][..])),
        proptest::option::of((1i64..1_000_000, 0i64..1_000_000)),
        proptest::option::of((0.0f64..=0.5, 0.0f64..=0.5)),
    )
        .prop_map(|(text, currency, tickets, interest)| {
            let currency = currency.map(|c| Currency::parse(c).expect("known"));
            let (ticket_min, ticket_max) = match (currency, tickets) {
                (Some(_), Some((a, extra))) => (Some(a), Some(a + extra)),
                _ => (None, None),
            };
            let (interest_min, interest_max) = match interest {
                Some((a, b)) => (Some(a.min(b)), Some(a.max(b))),
                None => (None, None),
            };
            Terms { text, currency, ticket_min, ticket_max, interest_min, interest_max }
        });
    let eligibility = (
        subsequence(Family::ALL, 0..3),
        subsequence(&["ilo-2022", "qc-2013"][..], 0..2),
        proptest::option::of(select(&Verdict::ALL[..])),
        proptest::collection::btree_set(arb_territory(), 0..3),
    )
        .prop_map(|(families, profiles, verdict, territories)| MechanismEligibility {
            families,
            profiles: profiles.into_iter().map(String::from).collect(),
            verdict,
            territories: territories.into_iter().collect(),
        });
    let source = (arb_some_text(), proptest::option::of(arb_date()), proptest::option::of(arb_url()))
        .prop_map(|(source, date, url)| MechanismSource { source, date, url, note: None });
    (
        (arb_id(), arb_some_text(), select(MechanismKind::ALL), arb_id()),
        (proptest::option::of(arb_territory()), proptest::option::of(arb_some_text())),
        (terms, eligibility),
        (
            proptest::collection::vec(arb_precondition(), 0..3),
            proptest::collection::vec(source, 0..3),
            proptest::option::of(arb_some_text()),
        ),
    )
        .prop_map(
            |(
                (id, name, kind, provider),
                (territory, description),
                (terms, eligibility),
                (preconditions, sources, note),
            )| {
                Mechanism {
                    id,
                    name,
                    kind,
                    provider,
                    territory,
                    description,
                    terms,
                    eligibility,
                    preconditions,
                    sources,
                    note,
                }
            },
        )
}

/// A valid record of type actor, relation or mechanism.
pub fn arb_record() -> impl Strategy<Value = Record> {
    prop_oneof![
        arb_actor().prop_map(Record::Actor),
        arb_relation().prop_map(Record::Relation),
        arb_mechanism().prop_map(Record::Mechanism),
        arb_territory_record().prop_map(Record::Territory),
    ]
}

/// An actor read from the fields of its JSON record (`type` and `id` are added), for tests that
/// state real organizations as the interchange format would; panics on an invalid record.
pub fn actor_from(fields: serde_json::Value) -> Actor {
    let mut v = serde_json::json!({"type": "actor", "id": "a", "name": "A"});
    if let (Some(obj), serde_json::Value::Object(extra)) = (v.as_object_mut(), fields) {
        obj.extend(extra);
    }
    match crate::record::parse_record(&v) {
        Ok(Record::Actor(a)) => a,
        other => panic!("not an actor record: {other:?}"),
    }
}
