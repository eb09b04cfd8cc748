//! A fund's portfolio in the Common Impact Data Standard (CIDS, Common Approach to Impact
//! Measurement, v3.2) with its Social Finance Fund module (SFF, v2.0), as JSON-LD.
//!
//! Written only. What it says, in the ontology's terms:
//! - the fund's manager is a `cids:FinancialOrganization`;
//! - each investee is a `cids:SocialPurposeOrganization` (a `cids:FinancialOrganization` when
//!   its category is `finance_provider`, an intermediary), with its legal name, web address and
//!   a `cids:Address` giving its territory (`cids:addressRegion`) and country;
//! - each investee's `sff:OrganizationProfile` holds an `sff:FundingStatus` towards the manager
//!   (`sff:forFunder`), whose `cids:FundingState` is Solidaria's own code (`invested`, `repaid`,
//!   `written_off`: the SFF code list could not be copied), described in words with the amounts,
//!   instruments and the screening verdicts kept with the investment, dated `sff:reportedDate`;
//! - the fund's figures are `cids:Indicator`s defined by the manager (amount invested, principal
//!   outstanding, private and public money received), each with `cids:IndicatorReport`s for the
//!   fund and, for invested and outstanding, for each investee, over the reported period.
//!
//! Left out (docs/finance.md says why): outcomes, impact models and stakeholders (the ledger holds
//! money, not impact results), the SFF team and equity-deserving-group profiles (not in the fact
//! vocabulary), and the CIDS code lists (their licence is unsettled).
//!
//! The ontology is CC BY-SA 4.0 and is not copied here; `data/cids-terms.txt` lists the class and
//! property IRIs this module uses, each checked once against the ontology files by
//! `scripts/cids-terms.py`; a test checks that every term an export uses is on that list.

use crate::portfolio::Portfolio;
use serde_json::{Map, Value, json};
use solidaria_core::actor::{Actor, Category};

/// The class and property IRIs this module uses, each declared by the CIDS ontology or its SFF
/// module (checked against them by `scripts/cids-terms.py`).
pub const TERMS: &str = include_str!("../data/cids-terms.txt");

/// The namespaces of the `@context`.
pub const NAMESPACES: &[(&str, &str)] = &[
    ("cids", "https://ontology.commonapproach.org/cids#"),
    ("sff", "https://ontology.commonapproach.org/sff#"),
    ("org", "http://ontology.eil.utoronto.ca/tove/organization#"),
    ("i72", "http://ontology.eil.utoronto.ca/ISO21972/iso21972#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("sch", "http://schema.org/"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

/// The `@context` of an export.
pub fn context() -> Value {
    let mut m = Map::new();
    for (p, iri) in NAMESPACES {
        m.insert((*p).to_string(), json!(iri));
    }
    Value::Object(m)
}

fn actor_iri(id: &str) -> String {
    format!("urn:solidaria:actor:{id}")
}

fn date_time(day: &str) -> Value {
    json!({"@value": format!("{day}T00:00:00Z"), "@type": "xsd:dateTime"})
}

fn measure(text: String) -> Value {
    json!({"@type": "i72:Measure", "i72:numerical_value": text})
}

fn organization(p: &Portfolio<'_>, id: &str, a: Option<&Actor>, class: &str) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("@id".into(), json!(actor_iri(id)));
    o.insert("@type".into(), json!(class));
    o.insert("org:hasLegalName".into(), json!(a.map_or(id, |a| a.name.as_str())));
    if let Some(a) = a {
        if let Some(w) = &a.website {
            o.insert("cids:hasWebAddress".into(), json!({"@value": w.to_string(), "@type": "xsd:anyURI"}));
        }
        if let Some(d) = &a.description {
            o.insert("cids:hasDescription".into(), json!(d));
        }
        if let Some(t) = &a.territory {
            let mut addr = json!({"@type": "cids:Address", "cids:addressRegion": t.as_str()});
            let country = p.country(t.as_str());
            if let Some(c) = country {
                addr["cids:addressCountry"] = json!(c);
            }
            o.insert("cids:hasAddress".into(), addr);
        }
    }
    o
}

/// The portfolio as one JSON-LD document (`@context` and `@graph`).
pub fn export(p: &Portfolio<'_>) -> Value {
    let fund = p.fund;
    let c = fund.currency;
    let fund_iri = format!("urn:solidaria:fund:{}", fund.id);
    let manager_iri = actor_iri(fund.manager.as_str());
    let mut graph = Vec::new();

    // Indicators and their reports.
    let started = p.first.map(date_time);
    let ended = p.reported.map(date_time);
    let r = p.report;
    let indicators: [(&str, &str, &str, i128, bool); 4] = [
        ("invested", "Amount invested", "Money invested by the fund, reversed investments left out.", r.invested, true),
        (
            "outstanding",
            "Principal outstanding",
            "Principal invested and not yet repaid or written off.",
            r.outstanding,
            true,
        ),
        (
            "private_received",
            "Private money received",
            "Private capital received by the fund.",
            r.private_received,
            false,
        ),
        ("public_received", "Public money received", "Public money drawn by the fund.", r.public_received, false),
    ];
    let mut indicator_ids = Vec::new();
    for (key, name, description, total, per_investee) in indicators {
        let iri = format!("{fund_iri}/indicator/{key}");
        let mut reports = Vec::new();
        let mut report = |who: &str, who_iri: &str, amount: i128, graph: &mut Vec<Value>| {
            let rid = format!("{iri}/report/{who}");
            let mut rep = json!({
                "@id": rid, "@type": "cids:IndicatorReport",
                "org:hasName": format!("{name}: {}", if who == "fund" { fund.name.clone() } else { p.investee_name(who) }),
                "cids:forIndicator": {"@id": iri}, "cids:forOrganization": {"@id": who_iri},
                "i72:value": measure(c.format(amount)),
            });
            if let Some(s) = &started {
                rep["prov:startedAtTime"] = s.clone();
            }
            if let Some(e) = &ended {
                rep["prov:endedAtTime"] = e.clone();
            }
            reports.push(json!({"@id": rid}));
            graph.push(rep);
        };
        report("fund", &manager_iri, total, &mut graph);
        if per_investee {
            for (who, pos) in p.positions {
                let amount = if key == "invested" { pos.invested } else { pos.outstanding };
                report(who, &actor_iri(who), amount, &mut graph);
            }
        }
        graph.push(json!({
            "@id": iri, "@type": "cids:Indicator", "org:hasName": name,
            "cids:hasDescription": format!("{description} Fund: {} ({}).", fund.name, fund.id),
            "cids:unitDescription": c.code(), "cids:definedBy": {"@id": manager_iri},
            "cids:forOrganization": {"@id": manager_iri}, "cids:hasIndicatorReport": reports,
        }));
        indicator_ids.push(json!({"@id": iri}));
    }

    // The manager.
    let mut manager = organization(p, fund.manager.as_str(), p.manager, "cids:FinancialOrganization");
    manager.insert("cids:hasIndicator".into(), Value::Array(indicator_ids));
    graph.push(Value::Object(manager));

    // The investees and their funding status.
    for (who, pos) in p.positions {
        let a = p.investees.get(who);
        let class = match a.and_then(|a| a.category) {
            Some(Category::FinanceProvider) => "cids:FinancialOrganization",
            _ => "cids:SocialPurposeOrganization",
        };
        let mut o = organization(p, who, a, class);
        let state = if pos.outstanding > 0 {
            "invested"
        } else if pos.invested > 0 && pos.outstanding == 0 {
            "repaid"
        } else {
            "written_off"
        };
        let instruments: Vec<String> =
            pos.by_instrument.iter().map(|(i, x)| format!("{i} {} {}", c.format(*x), c.code())).collect();
        let verdicts: Vec<String> = pos.verdicts_at_investment.iter().map(|(p, v)| format!("{p}: {v}")).collect();
        let mut description = format!(
            "{} invested by {} ({}), {} outstanding; {}",
            c.format(pos.invested),
            fund.name,
            c.code(),
            c.format(pos.outstanding),
            instruments.join(", ")
        );
        if let (Some(f), Some(l)) = (&pos.first, &pos.last) {
            description.push_str(&format!("; invested from {f} to {l}"));
        }
        if !verdicts.is_empty() {
            description.push_str(&format!("; screened at investment: {}", verdicts.join(", ")));
        }
        let mut status = json!({
            "@id": format!("{fund_iri}/funding-status/{who}"), "@type": "sff:FundingStatus",
            "cids:forOrganization": {"@id": actor_iri(who)}, "sff:forFunder": {"@id": manager_iri},
            "sff:hasFundingState": {"@type": "cids:FundingState", "org:hasName": state, "sch:codeValue": state},
            "cids:hasDescription": description,
        });
        if let Some(e) = &ended {
            status["sff:reportedDate"] = e.clone();
        }
        o.insert(
            "sff:hasOrganizationProfile".into(),
            json!({"@id": format!("{fund_iri}/profile/{who}"), "@type": "sff:OrganizationProfile", "sff:hasFundingStatus": status}),
        );
        graph.push(Value::Object(o));
    }
    json!({"@context": context(), "@graph": graph})
}

/// Every class and property IRI a JSON-LD document uses: its `@type` values and its keys, the
/// compact ones expanded with [`NAMESPACES`] (keywords such as `@id` left out).
pub fn terms_used(doc: &Value) -> std::collections::BTreeSet<String> {
    fn expand(t: &str) -> String {
        match t.split_once(':') {
            Some((p, local)) => match NAMESPACES.iter().find(|(n, _)| *n == p) {
                Some((_, iri)) => format!("{iri}{local}"),
                None => t.to_string(),
            },
            None => t.to_string(),
        }
    }
    fn walk(v: &Value, out: &mut std::collections::BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if k == "@context" {
                        continue;
                    }
                    if k == "@type" {
                        // A literal's datatype (xsd:…) is not a term of the ontology.
                        if !m.contains_key("@value")
                            && let Some(t) = x.as_str()
                        {
                            out.insert(expand(t));
                        }
                        continue;
                    }
                    if !k.starts_with('@') {
                        out.insert(expand(k));
                    }
                    walk(x, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = std::collections::BTreeSet::new();
    walk(doc, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portfolio::sample;

    fn listed() -> std::collections::BTreeSet<String> {
        TERMS.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect()
    }

    #[test]
    fn every_class_and_property_used_is_on_the_checked_list() {
        let owned = sample::owned();
        let doc = export(&owned.view());
        let used = terms_used(&doc);
        let known = listed();
        let unknown: Vec<&String> = used.iter().filter(|t| !known.contains(*t)).collect();
        assert!(unknown.is_empty(), "terms not in data/cids-terms.txt: {unknown:?}");
        // The list holds no term the exporter no longer uses (so the check stays meaningful).
        let unused: Vec<&String> = known.iter().filter(|t| !used.contains(*t)).collect();
        assert!(unused.is_empty(), "listed but unused: {unused:?}");
        // Every compact name has a namespace of the context.
        assert!(used.iter().all(|t| t.starts_with("http")), "{used:?}");
    }

    #[test]
    fn the_portfolio_is_described_with_organizations_indicators_and_funding_status() {
        let owned = sample::owned();
        let doc = export(&owned.view());
        let graph = doc["@graph"].as_array().unwrap();
        let by_id = |id: &str| graph.iter().find(|n| n["@id"] == id).unwrap_or_else(|| panic!("{id} in {doc:#}"));
        let coop = by_id("urn:solidaria:actor:coop");
        assert_eq!(coop["@type"], "cids:SocialPurposeOrganization");
        assert_eq!(coop["org:hasLegalName"], "Coop & Co");
        assert_eq!(coop["cids:hasAddress"]["cids:addressCountry"], "CA");
        let status = &coop["sff:hasOrganizationProfile"]["sff:hasFundingStatus"];
        assert_eq!(status["sff:forFunder"]["@id"], "urn:solidaria:actor:cap-finance");
        assert_eq!(status["sff:hasFundingState"]["sch:codeValue"], "invested");
        let d = status["cids:hasDescription"].as_str().unwrap();
        assert!(
            d.contains("25000.50 invested") && d.contains("23000.50 outstanding") && d.contains("qc-2013: qualifies"),
            "{d}"
        );
        assert_eq!(by_id("urn:solidaria:actor:cap-finance")["@type"], "cids:FinancialOrganization");
        let out = by_id("urn:solidaria:fund:sff/indicator/outstanding/report/coop");
        assert_eq!(out["i72:value"]["i72:numerical_value"], "23000.50");
        assert_eq!(out["prov:endedAtTime"]["@value"], "2024-12-31T00:00:00Z");
        let invested = by_id("urn:solidaria:fund:sff/indicator/invested/report/fund");
        assert_eq!(invested["i72:value"]["i72:numerical_value"], "26000.50");
        assert_eq!(
            by_id("urn:solidaria:fund:sff/indicator/invested")["cids:hasIndicatorReport"].as_array().unwrap().len(),
            3
        );
    }
}
