//! Actors as linked data: JSON-LD with schema.org terms (an actor is a `schema:Organization`)
//! and the terms of ESSGlobal, RIPESS's vocabulary of the social and solidarity economy
//! (namespace [`ESSGLOBAL_VOCAB`], as its `essglobal-vocab.ttl` v1.1 declares it).
//!
//! Every document refers to one `@context` by address ([`BaseUrl::context`]); [`context`] is
//! that document, which the web app serves. [`actor_node`] maps one actor; [`actor_document`]
//! adds the `@context` for a document of its own; [`GraphWriter`] streams a whole registry as
//! one document with an `@graph`. The mapping is pure and keeps only what the record says: an
//! unknown part is left out, never guessed (docs/formats.md lists what goes where and why).

use crate::FormatError;
use crate::publication::BaseUrl;
use serde_json::{Map, Value, json};
use solidaria_core::Actor;
use solidaria_core::actor::Location;
use solidaria_core::fact::{Fact, FactValue};
use solidaria_core::legal_form::Family;
use solidaria_core::origin::Address;
use solidaria_core::site::Site;
use std::io::Write;

/// The schema.org namespace.
pub const SCHEMA_ORG: &str = "https://schema.org/";
/// The ESSGlobal vocabulary's namespace (`vann:preferredNamespaceUri` of `essglobal-vocab.ttl`).
pub const ESSGLOBAL_VOCAB: &str = "http://purl.org/essglobal/vocab/";
/// The ESSGlobal legal-form scheme (concepts `L1` to `L5`).
pub const ESSGLOBAL_LEGAL_FORM: &str = "http://purl.org/essglobal/standard/legal-form/";
/// The ESSGlobal organisational-structure scheme (concepts `OS10` to `OS240`).
pub const ESSGLOBAL_ORG_STRUCTURE: &str = "http://purl.org/essglobal/standard/organisational-structure/";
/// The ESSGlobal scheme of the ICA's economic activities (concepts `ICA10` to `ICA290`).
pub const ESSGLOBAL_ACTIVITIES_ICA: &str = "http://purl.org/essglobal/standard/activities-ica/";

/// The concepts of the ICA activity scheme (`activities-ica.ttl`): an `ica:` activity outside it
/// is published as a plain property, not as a concept that does not exist.
const ICA_ACTIVITIES: &[&str] = &[
    "ICA10", "ICA20", "ICA30", "ICA40", "ICA50", "ICA60", "ICA70", "ICA80", "ICA90", "ICA100", "ICA110", "ICA120",
    "ICA130", "ICA140", "ICA150", "ICA160", "ICA170", "ICA180", "ICA190", "ICA200", "ICA210", "ICA220", "ICA230",
    "ICA240", "ICA250", "ICA260", "ICA270", "ICA280", "ICA290",
];

/// The terms of the context: each term, the IRI it stands for, and whether its value is an IRI.
const TERMS: &[(&str, &str, bool)] = &[
    ("Organization", "schema:Organization", false),
    ("PostalAddress", "schema:PostalAddress", false),
    ("GeoCoordinates", "schema:GeoCoordinates", false),
    ("Place", "schema:Place", false),
    ("PropertyValue", "schema:PropertyValue", false),
    ("Dataset", "schema:Dataset", false),
    ("CreativeWork", "schema:CreativeWork", false),
    ("name", "schema:name", false),
    ("alternateName", "schema:alternateName", false),
    ("sameAs", "schema:sameAs", true),
    ("description", "schema:description", false),
    ("url", "schema:url", false),
    ("foundingDate", "schema:foundingDate", false),
    ("address", "schema:address", false),
    ("streetAddress", "schema:streetAddress", false),
    ("addressLocality", "schema:addressLocality", false),
    ("addressRegion", "schema:addressRegion", false),
    ("postalCode", "schema:postalCode", false),
    ("addressCountry", "schema:addressCountry", false),
    ("geo", "schema:geo", false),
    ("location", "schema:location", false),
    ("telephone", "schema:telephone", false),
    ("latitude", "schema:latitude", false),
    ("longitude", "schema:longitude", false),
    ("identifier", "schema:identifier", false),
    ("leiCode", "schema:leiCode", false),
    ("propertyID", "schema:propertyID", false),
    ("value", "schema:value", false),
    ("keywords", "schema:keywords", false),
    ("additionalProperty", "schema:additionalProperty", false),
    ("subjectOf", "schema:subjectOf", false),
    ("datePublished", "schema:datePublished", false),
    ("isBasedOn", "schema:isBasedOn", false),
    ("version", "schema:version", false),
    ("license", "schema:license", false),
    ("creditText", "schema:creditText", false),
    ("legalForm", "essglobal:legalForm", true),
    ("organisationalStructure", "essglobal:organisationalStructure", true),
    ("economicSector", "essglobal:economicSector", true),
];

/// The JSON-LD context document that published documents refer to (served at
/// `{base}/context.jsonld`): the `schema` and `essglobal` prefixes and one term per property
/// and type used, so that every key of a published document expands to a schema.org or
/// ESSGlobal IRI.
pub fn context() -> Value {
    let mut terms = Map::new();
    terms.insert("schema".into(), Value::from(SCHEMA_ORG));
    terms.insert("essglobal".into(), Value::from(ESSGLOBAL_VOCAB));
    for (term, iri, is_iri) in TERMS {
        let def = if *is_iri { json!({"@id": iri, "@type": "@id"}) } else { Value::from(*iri) };
        terms.insert((*term).into(), def);
    }
    json!({ "@context": terms })
}

/// One actor as a JSON-LD document of its own: [`actor_node`] with the `@context` first.
pub fn actor_document(actor: &Actor, base: &BaseUrl) -> Value {
    let mut doc = Map::new();
    doc.insert("@context".into(), Value::from(base.context()));
    if let Value::Object(node) = actor_node(actor, base) {
        doc.extend(node);
    }
    Value::Object(doc)
}

/// One actor as a JSON-LD node object (without `@context`, for an `@graph`): a schema.org
/// `Organization` whose `@id` is its page on this instance.
pub fn actor_node(a: &Actor, base: &BaseUrl) -> Value {
    let mut n = Map::new();
    n.insert("@id".into(), Value::from(base.actor_page(&a.id)));
    n.insert("@type".into(), Value::from("Organization"));
    n.insert("name".into(), Value::from(a.name.as_str()));
    if !a.alternate_names.is_empty() {
        n.insert("alternateName".into(), json!(a.alternate_names));
    }
    if !a.alternate_ids.is_empty() {
        // The pages of records merged into this one lead here: the same organization.
        let pages: Vec<String> = a.alternate_ids.iter().map(|id| base.actor_page(id)).collect();
        n.insert("sameAs".into(), json!(pages));
    }
    if let Some(d) = &a.description {
        n.insert("description".into(), Value::from(d.as_str()));
    }
    if let Some(w) = &a.website {
        n.insert("url".into(), Value::from(w.as_str()));
    }
    if let Some(y) = a.founded {
        // A year alone is an ISO 8601 date of year precision: nothing more is known.
        n.insert("foundingDate".into(), Value::from(format!("{y:04}")));
    }
    if let Some(addr) = postal_address(&a.address) {
        n.insert("address".into(), addr);
    }
    if let Some(loc) = &a.location {
        n.insert("geo".into(), geo(loc));
    }
    if !a.sites.is_empty() {
        n.insert("location".into(), Value::Array(a.sites.iter().map(place).collect()));
    }
    if !a.identifiers.is_empty() {
        let ids: Vec<Value> =
            a.identifiers.iter().map(|(scheme, v)| property(scheme, Value::from(v.as_str()))).collect();
        n.insert("identifier".into(), Value::Array(ids));
        if let Some(lei) = a.identifiers.get("lei") {
            n.insert("leiCode".into(), Value::from(lei.as_str()));
        }
    }
    let keywords: Vec<&str> = a.claims.iter().map(|c| c.as_str()).chain(a.labels.iter().map(String::as_str)).collect();
    if !keywords.is_empty() {
        n.insert("keywords".into(), json!(keywords));
    }
    if let Some(family) = a.legal_form.family {
        if let Some(concept) = essglobal_legal_form(family) {
            n.insert("legalForm".into(), Value::from(format!("{ESSGLOBAL_LEGAL_FORM}{concept}")));
        }
        if let Some(concept) = essglobal_org_structure(family) {
            n.insert("organisationalStructure".into(), Value::from(format!("{ESSGLOBAL_ORG_STRUCTURE}{concept}")));
        }
    }
    let sectors: Vec<Value> = a
        .activities
        .iter()
        .filter_map(|act| act.strip_prefix("ica:"))
        .filter(|code| ICA_ACTIVITIES.contains(code))
        .map(|code| Value::from(format!("{ESSGLOBAL_ACTIVITIES_ICA}{code}")))
        .collect();
    if !sectors.is_empty() {
        n.insert("economicSector".into(), Value::Array(sectors));
    }
    let more = additional_properties(a);
    if !more.is_empty() {
        n.insert("additionalProperty".into(), Value::Array(more));
    }
    if !a.sources.is_empty() {
        let sources: Vec<Value> = a
            .sources
            .iter()
            .map(|s| {
                let mut d = Map::new();
                d.insert("@type".into(), Value::from("Dataset"));
                d.insert("name".into(), Value::from(s.dataset.as_str()));
                let parts =
                    [("version", &s.edition), ("license", &s.licence), ("creditText", &s.attribution), ("url", &s.url)];
                for (key, part) in parts {
                    if let Some(p) = part {
                        d.insert(key.into(), Value::from(p.as_str()));
                    }
                }
                if let Some(line) = s.line {
                    d.insert("description".into(), Value::from(format!("record at line {line}")));
                }
                Value::Object(d)
            })
            .collect();
        n.insert("isBasedOn".into(), Value::Array(sources));
    }
    Value::Object(n)
}

/// A postal address as a schema.org `PostalAddress`, or nothing when no part is known.
fn postal_address(a: &Address) -> Option<Value> {
    if a.is_empty() {
        return None;
    }
    let mut addr = Map::new();
    addr.insert("@type".into(), Value::from("PostalAddress"));
    let parts = [
        ("streetAddress", &a.street),
        ("addressLocality", &a.locality),
        ("addressRegion", &a.region),
        ("postalCode", &a.postcode),
        ("addressCountry", &a.country),
    ];
    for (key, part) in parts {
        if let Some(p) = part {
            addr.insert(key.into(), Value::from(p.as_str()));
        }
    }
    Some(Value::Object(addr))
}

/// A map point as schema.org `GeoCoordinates`, its precision (a postcode centre, say) stated.
fn geo(loc: &Location) -> Value {
    let mut geo = json!({"@type": "GeoCoordinates", "latitude": loc.lat, "longitude": loc.lon});
    if let Some(p) = loc.precision {
        geo["description"] = Value::from(format!("precision: {p}"));
    }
    geo
}

/// A site (an outlet, a branch) as a schema.org `Place` among the organization's `location`s:
/// its name, address, map point, phone, web page and what the source says of it; the source row
/// it comes from as an `additionalProperty` (a place is not a creative work: no `isBasedOn`).
fn place(site: &Site) -> Value {
    let mut p = Map::new();
    p.insert("@type".into(), Value::from("Place"));
    if let Some(name) = &site.name {
        p.insert("name".into(), Value::from(name.as_str()));
    }
    if let Some(addr) = postal_address(&site.address) {
        p.insert("address".into(), addr);
    }
    if let Some(loc) = &site.location {
        p.insert("geo".into(), geo(loc));
    }
    if let Some(phone) = &site.phone {
        p.insert("telephone".into(), Value::from(phone.as_str()));
    }
    if let Some(w) = &site.website {
        p.insert("url".into(), Value::from(w.as_str()));
    }
    if let Some(d) = &site.description {
        p.insert("description".into(), Value::from(d.as_str()));
    }
    if let Some(src) = &site.source {
        let mut row = src.dataset.clone();
        if let Some(e) = &src.edition {
            row.push_str(&format!(" {e}"));
        }
        if let Some(line) = src.line {
            row.push_str(&format!(", line {line}"));
        }
        p.insert("additionalProperty".into(), json!([property("source", Value::from(row))]));
    }
    Value::Object(p)
}

/// The ESSGlobal legal form (`legal-form.ttl`) that a family is, when the scheme has it:
/// cooperative (L2), company (L3), informal group (L1). Associations, foundations and the rest
/// are not mapped: "Non-Profit Organisation" and "Social Enterprise" are what an organization
/// does with its form, which its facts say, not its family.
fn essglobal_legal_form(family: Family) -> Option<&'static str> {
    match family {
        Family::InformalGroup => Some("L1"),
        Family::Cooperative => Some("L2"),
        Family::Company => Some("L3"),
        _ => None,
    }
}

/// The ESSGlobal organisational structure (`organisational-structure.ttl`) that a family is,
/// when the scheme has one that says no more than the family: cooperative (OS115), mutual
/// (OS170), public body (OS220).
fn essglobal_org_structure(family: Family) -> Option<&'static str> {
    match family {
        Family::Cooperative => Some("OS115"),
        Family::Mutual => Some("OS170"),
        Family::PublicBody => Some("OS220"),
        _ => None,
    }
}

/// A `schema:PropertyValue` named by `id`.
fn property(id: &str, value: Value) -> Value {
    json!({"@type": "PropertyValue", "propertyID": id, "value": value})
}

/// What schema.org has no property for, as `PropertyValue`s named like the record's fields:
/// category, territory, roles, the legal form as recorded, every activity code, then the facts
/// with their evidence.
fn additional_properties(a: &Actor) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(c) = a.category {
        out.push(property("category", Value::from(c.as_str())));
    }
    if let Some(t) = &a.territory {
        out.push(property("territory", Value::from(t.as_str())));
    }
    for r in &a.roles {
        out.push(property("role", Value::from(r.as_str())));
    }
    let lf = &a.legal_form;
    if let Some(f) = lf.family {
        out.push(property("legal_form.family", Value::from(f.as_str())));
    }
    if let Some(c) = &lf.code {
        out.push(property("legal_form.code", Value::from(c.as_str())));
    }
    if let Some(l) = &lf.label {
        out.push(property("legal_form.label", Value::from(l.as_str())));
    }
    for act in &a.activities {
        out.push(property("activity", Value::from(act.as_str())));
    }
    for (key, fact) in &a.facts {
        out.push(fact_property(key, fact));
    }
    out
}

/// A fact as a `PropertyValue`; its evidence, when given, is the work the value is the subject of
/// (`subjectOf`: source, date, link) and a note as its description.
fn fact_property(key: &str, fact: &Fact) -> Value {
    let value = match &fact.value {
        // A custom value that is an object or a list would be read as linked data (its keys as
        // terms): it is published as its JSON text.
        FactValue::Custom(v @ (Value::Object(_) | Value::Array(_))) => Value::from(v.to_string()),
        other => other.to_json(),
    };
    let mut p = property(key, value);
    let prov = &fact.provenance;
    if prov.source.is_some() || prov.date.is_some() || prov.url.is_some() {
        let mut work = Map::new();
        work.insert("@type".into(), Value::from("CreativeWork"));
        if let Some(s) = &prov.source {
            work.insert("name".into(), Value::from(s.as_str()));
        }
        if let Some(d) = &prov.date {
            work.insert("datePublished".into(), Value::from(d.as_str()));
        }
        if let Some(u) = &prov.url {
            work.insert("url".into(), Value::from(u.as_str()));
        }
        p["subjectOf"] = Value::Object(work);
    }
    if let Some(note) = &prov.note {
        p["description"] = Value::from(note.as_str());
    }
    p
}

/// Writes a whole registry as one JSON-LD document, `{"@context": …, "@graph": [node, …]}`,
/// one actor at a time (nothing is kept in memory).
pub struct GraphWriter<W: Write> {
    out: W,
    base: BaseUrl,
    first: bool,
}

impl<W: Write> GraphWriter<W> {
    /// Starts the document.
    pub fn new(mut out: W, base: BaseUrl) -> Result<Self, FormatError> {
        let context = Value::from(base.context());
        write!(out, "{{\"@context\":{context},\"@graph\":[")?;
        Ok(GraphWriter { out, base, first: true })
    }

    /// Writes one actor's node, on a line of its own.
    pub fn write(&mut self, actor: &Actor) -> Result<(), FormatError> {
        let sep = if self.first { "\n" } else { ",\n" };
        self.first = false;
        self.out.write_all(sep.as_bytes())?;
        serde_json::to_writer(&mut self.out, &actor_node(actor, &self.base)).map_err(std::io::Error::from)?;
        Ok(())
    }

    /// Ends the document and flushes.
    pub fn finish(mut self) -> Result<(), FormatError> {
        self.out.write_all(b"\n]}\n")?;
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
