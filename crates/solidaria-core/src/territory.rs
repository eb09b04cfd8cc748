//! Territories: ISO 3166 codes (embedded) and user-defined regions, in one hierarchy.
//!
//! ISO 3166-1 alpha-2 countries and ISO 3166-2 subdivisions exist without being declared and
//! nest under their country (or parent subdivision) by themselves. A user-defined region needs a
//! territory record; its id must not look like an ISO code, so that a typo such as `CA-QQ` is
//! caught instead of becoming a new region. Code lists: Debian `iso-codes` 4.15 (LGPL-2.1+).

use crate::error::FieldError;
use crate::fact::{Facts, parse_facts};
use crate::reader::Reader;
use crate::text::Id;
use serde::{Serialize, Serializer};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::sync::LazyLock;

static ISO1_TSV: &str = include_str!("../data/iso3166-1.tsv");
static ISO2_TSV: &str = include_str!("../data/iso3166-2.tsv");

/// One ISO 3166 entry: its name and, for a subdivision, its parent code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IsoEntry {
    /// The code (`CA`, `CA-QC`).
    pub code: &'static str,
    /// The English (or romanised local) name.
    pub name: &'static str,
    /// The parent: the country for a first-level subdivision, else the parent subdivision.
    pub parent: Option<&'static str>,
}

static ISO: LazyLock<HashMap<&'static str, IsoEntry>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for line in ISO1_TSV.lines() {
        if let Some((code, name)) = line.split_once('\t') {
            map.insert(code, IsoEntry { code, name, parent: None });
        }
    }
    for line in ISO2_TSV.lines() {
        let cols: Vec<&'static str> = line.split('\t').collect();
        if let [code, name, parent] = cols[..] {
            let parent = if parent.is_empty() { &code[..2] } else { parent };
            map.insert(code, IsoEntry { code, name, parent: Some(parent) });
        }
    }
    map
});

/// Looks an ISO 3166-1 or 3166-2 code up.
pub fn iso(code: &str) -> Option<&'static IsoEntry> {
    ISO.get(code)
}

/// The ISO subdivisions directly under each ISO code (a country's first-level subdivisions, a
/// subdivision's own): [`descendants`] walks down from its root instead of reading every
/// code's chain of parents (a search within a territory asks for them at every request).
static ISO_CHILDREN: LazyLock<HashMap<&'static str, Vec<&'static str>>> = LazyLock::new(|| {
    let mut map: HashMap<&'static str, Vec<&'static str>> = HashMap::new();
    for e in ISO.values() {
        if let Some(parent) = e.parent {
            map.entry(parent).or_default().push(e.code);
        }
    }
    map
});

/// Every ISO 3166-1 and 3166-2 code known, sorted.
pub fn iso_codes() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = ISO.keys().copied().collect();
    codes.sort_unstable();
    codes
}

/// True when a text has the shape of an ISO code (`CA`, `CA-QC`, `FR-75C`), real or not.
pub fn is_iso_shaped(s: &str) -> bool {
    let b = s.as_bytes();
    let country = b.len() >= 2 && b[0].is_ascii_uppercase() && b[1].is_ascii_uppercase();
    match b.len() {
        2 => country,
        4..=6 => country && b[2] == b'-' && b[3..].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
        _ => false,
    }
}

/// What a valid territory id looks like, for error messages.
pub const TERRITORY_EXPECTED: &str = "an ISO 3166-1 country code (\"CA\"), an ISO 3166-2 subdivision code (\"CA-QC\") \
     or the id of a custom region that is not shaped like an ISO code (\"ca-qc-montreal\")";

/// The id of a territory: an ISO code that exists, or a custom region id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TerritoryId {
    /// An ISO 3166-1 or 3166-2 code from the embedded list.
    Iso(&'static IsoEntry),
    /// A user-defined region, declared by a territory record.
    Custom(Id),
}

impl PartialOrd for IsoEntry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for IsoEntry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.code.cmp(other.code)
    }
}

impl std::hash::Hash for IsoEntry {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.code.hash(state)
    }
}

impl TerritoryId {
    /// Parses a territory id. An ISO-shaped text must be a real ISO code.
    pub fn parse(s: &str) -> Result<Self, String> {
        if is_iso_shaped(s) {
            return iso(s)
                .map(TerritoryId::Iso)
                .ok_or_else(|| format!("{TERRITORY_EXPECTED}; \"{s}\" is shaped like an ISO code but is not one"));
        }
        Id::parse(s).map(TerritoryId::Custom).map_err(|_| TERRITORY_EXPECTED.to_string())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        match self {
            TerritoryId::Iso(e) => e.code,
            TerritoryId::Custom(id) => id.as_str(),
        }
    }

    /// The parent implied by ISO 3166 (none for a country or a custom region).
    pub fn iso_parent(&self) -> Option<TerritoryId> {
        match self {
            TerritoryId::Iso(e) => e.parent.and_then(iso).map(TerritoryId::Iso),
            TerritoryId::Custom(_) => None,
        }
    }

    /// The ISO name, for ISO codes.
    pub fn iso_name(&self) -> Option<&'static str> {
        match self {
            TerritoryId::Iso(e) => Some(e.name),
            TerritoryId::Custom(_) => None,
        }
    }

    /// True for a custom region.
    pub fn is_custom(&self) -> bool {
        matches!(self, TerritoryId::Custom(_))
    }
}

impl fmt::Display for TerritoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl Serialize for TerritoryId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A territory record: names an ISO territory or declares a custom region, with context facts.
#[derive(Debug, Clone, PartialEq)]
pub struct Territory {
    /// The territory's id.
    pub id: TerritoryId,
    /// Its name (defaults to the ISO name for ISO codes when displayed).
    pub name: Option<String>,
    /// The parent territory. For an ISO code it can only repeat the ISO parent.
    pub parent: Option<TerritoryId>,
    /// Context facts (`context.*`).
    pub facts: Facts,
}

/// The fields of a territory record.
pub const TERRITORY_FIELDS: &[&str] = &["type", "id", "name", "parent", "facts"];

impl Territory {
    /// Parses a territory record from a JSON object, collecting every problem.
    pub(crate) fn parse(r: &mut Reader<'_>) -> Option<Self> {
        r.deny_unknown(TERRITORY_FIELDS);
        let id = r.req_parse("id", TERRITORY_EXPECTED, TerritoryId::parse);
        let name = r.opt_text("name");
        let parent = r.opt_parse("parent", TerritoryId::parse);
        let facts = r.get("facts").map(|v| parse_facts(v, "facts", r.errors)).unwrap_or_default();
        let id = id?;
        if let (Some(p), Some(implied)) = (&parent, id.iso_parent())
            && *p != implied
        {
            r.errors.push(FieldError::text(
                "parent",
                format!("\"{implied}\", the ISO 3166 parent of {id}, or no parent"),
                format!("\"{p}\""),
            ));
        }
        if let (TerritoryId::Iso(e), Some(p)) = (&id, &parent)
            && e.parent.is_none()
        {
            r.errors.push(FieldError::text("parent", format!("no parent: {id} is a country"), format!("\"{p}\"")));
        }
        if parent.as_ref() == Some(&id) {
            r.errors.push(FieldError::text("parent", "another territory than the record itself", format!("\"{id}\"")));
        }
        Some(Territory { id, name, parent, facts })
    }

    /// The effective parent: the declared one, else the ISO parent.
    pub fn effective_parent(&self) -> Option<TerritoryId> {
        self.parent.clone().or_else(|| self.id.iso_parent())
    }
}

/// The parent of `id`, given the declared parents of custom regions (`custom_parents`).
pub fn parent_of(id: &str, custom_parents: &BTreeMap<String, String>) -> Option<String> {
    if let Some(p) = custom_parents.get(id) {
        return Some(p.clone());
    }
    iso(id).and_then(|e| e.parent).map(str::to_string)
}

/// `id` followed by its ancestors, nearest first. Stops at a cycle.
pub fn ancestors(id: &str, custom_parents: &BTreeMap<String, String>) -> Vec<String> {
    let mut out = vec![id.to_string()];
    while let Some(p) = parent_of(out.last().map(String::as_str).unwrap_or(id), custom_parents) {
        if out.contains(&p) {
            break;
        }
        out.push(p);
    }
    out
}

/// The first custom region that is its own ancestor, with the cycle, if any.
pub fn find_cycle(custom_parents: &BTreeMap<String, String>) -> Option<Vec<String>> {
    for start in custom_parents.keys() {
        let chain = ancestors(start, custom_parents);
        let last = chain.last()?;
        if parent_of(last, custom_parents).is_some_and(|p| chain.contains(&p)) {
            return Some(chain);
        }
    }
    None
}

/// Every territory id under `root`, `root` included: ISO subdivisions nested under it and custom
/// regions whose chain of parents reaches it or one of them.
pub fn descendants(root: &str, custom_parents: &BTreeMap<String, String>) -> BTreeSet<String> {
    let mut out = BTreeSet::from([root.to_string()]);
    // The ISO subdivisions whose chain of parents passes through `root` (for a country, every
    // subdivision with its code), walked down.
    let mut next: Vec<&str> = ISO_CHILDREN.get(root).map(|c| c.to_vec()).unwrap_or_default();
    while let Some(code) = next.pop() {
        if out.insert(code.to_string()) {
            next.extend(ISO_CHILDREN.get(code).into_iter().flatten());
        }
    }
    let customs: Vec<&String> = custom_parents.keys().collect();
    out.extend(
        customs
            .into_iter()
            .filter(|c| ancestors(c, custom_parents).iter().any(|a| out.contains(a)))
            .cloned()
            .collect::<Vec<_>>(),
    );
    out
}

/// A name folded for comparison: accents and case dropped, every run of other characters than
/// letters and digits one space (`Québec`, `quebec` and ` QUEBEC ` are one key; so are
/// `Provence-Alpes-Côte-d'Azur` and `provence alpes cote d azur`).
pub fn name_key(s: &str) -> String {
    crate::dedup::normalize::fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The territories named `text` (compared by [`name_key`]): every ISO 3166 entry and every
/// territory record of `named` (id, name) whose name matches, as (id, name), by id. A record
/// naming an ISO code replaces its ISO name. Empty when nothing has that name; more than one
/// when the name is ambiguous (`Georgia`: the country and the US state).
pub fn by_name(text: &str, named: &[(String, String)]) -> Vec<(String, String)> {
    let key = name_key(text);
    if key.is_empty() {
        return Vec::new();
    }
    let mut found: BTreeMap<String, String> = BTreeMap::new();
    for e in ISO.values() {
        if name_key(e.name) == key && !named.iter().any(|(id, _)| id == e.code) {
            found.insert(e.code.to_string(), e.name.to_string());
        }
    }
    for (id, name) in named {
        if name_key(name) == key || (iso(id).is_some_and(|e| name_key(e.name) == key)) {
            found.insert(id.clone(), name.clone());
        }
    }
    found.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn territories_are_found_by_name_whatever_the_accents_and_case() {
        let ids = |text: &str, named: &[(String, String)]| -> Vec<String> {
            by_name(text, named).into_iter().map(|(id, _)| id).collect()
        };
        assert_eq!(ids("Québec", &[]), ["CA-QC"]);
        assert_eq!(ids("  QUEBEC ", &[]), ["CA-QC"]);
        assert_eq!(ids("provence alpes cote d azur", &[]), ["FR-PAC"]);
        assert_eq!(ids("Georgia", &[]), ["GE", "US-GA"], "a name shared by two territories");
        assert!(ids("Atlantis", &[]).is_empty());
        assert!(ids("", &[]).is_empty());
        let named =
            [("pays-basque".to_string(), "Pays basque".to_string()), ("CA-QC".to_string(), "Québec".to_string())];
        assert_eq!(ids("pays basque", &named), ["pays-basque"], "a custom region by its record's name");
        assert_eq!(by_name("quebec", &named), [("CA-QC".to_string(), "Québec".to_string())], "the record's name wins");
    }

    fn parents(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn iso_codes_resolve_and_nest() {
        let qc = TerritoryId::parse("CA-QC").unwrap();
        assert_eq!(qc.iso_name(), Some("Quebec"));
        assert_eq!(qc.iso_parent().unwrap().as_str(), "CA");
        assert!(TerritoryId::parse("CA-QQ").unwrap_err().contains("not one"));
        assert!(TerritoryId::parse("ca-qc-montreal").unwrap().is_custom());
        assert!(TerritoryId::parse("Montréal").is_err());
        assert_eq!(ancestors("AZ-BAB", &BTreeMap::new()), ["AZ-BAB", "AZ-NX", "AZ"]);
    }

    #[test]
    fn descendants_of_a_subdivision_are_those_whose_chain_of_parents_passes_through_it() {
        // The walk down the children equals reading every code's chain of parents, for every
        // subdivision that has subdivisions of its own (and one that has none).
        let none = BTreeMap::new();
        let mut roots: Vec<&str> = ISO_CHILDREN.keys().copied().filter(|k| k.len() > 2).collect();
        roots.sort_unstable();
        assert!(roots.len() > 20, "{}", roots.len());
        roots.push("CA-QC");
        for root in roots {
            let mut by_chain: BTreeSet<String> = ISO
                .keys()
                .filter(|k| k.len() > 2 && ancestors(k, &none).iter().any(|a| a == root))
                .map(|k| k.to_string())
                .collect();
            by_chain.insert(root.to_string());
            assert_eq!(descendants(root, &none), by_chain, "{root}");
        }
    }

    #[test]
    fn descendants_of_a_country_are_every_subdivision_with_its_code() {
        // The walk down from a country finds exactly the codes that begin with it, for every
        // country (a subdivision whose chain of parents stopped short would be missed).
        let none = BTreeMap::new();
        let mut countries = 0;
        for e in ISO.values().filter(|e| e.parent.is_none()) {
            let prefix = format!("{}-", e.code);
            let mut by_code: BTreeSet<String> =
                ISO.keys().filter(|k| k.starts_with(&prefix)).map(|k| k.to_string()).collect();
            by_code.insert(e.code.to_string());
            assert_eq!(descendants(e.code, &none), by_code, "{}", e.code);
            countries += 1;
        }
        assert!(countries > 240, "{countries}");
        assert!(descendants("FR", &none).len() > 100);
        // Every parent named in the table is a code of the table.
        for e in ISO.values() {
            if let Some(parent) = e.parent {
                assert!(ISO.contains_key(parent), "{} has parent {parent}, which is not a code", e.code);
            }
        }
        // Birmingham is in England, which is in the United Kingdom.
        assert_eq!(ancestors("GB-BIR", &none), ["GB-BIR", "GB-ENG", "GB"]);
        assert!(descendants("GB-ENG", &none).contains("GB-BIR"));
    }

    #[test]
    fn descendants_cover_iso_and_custom_regions() {
        let p = parents(&[("montreal-east", "CA-QC"), ("hochelaga", "montreal-east"), ("elsewhere", "FR")]);
        let under_ca = descendants("CA", &p);
        assert!(under_ca.contains("CA-QC") && under_ca.contains("CA-ON"));
        assert!(under_ca.contains("montreal-east") && under_ca.contains("hochelaga"));
        assert!(!under_ca.contains("elsewhere") && !under_ca.contains("FR"));
        let under_qc = descendants("CA-QC", &p);
        assert!(!under_qc.contains("CA-ON"));
        assert!(under_qc.contains("hochelaga"));
        let under_nx = descendants("AZ-NX", &p);
        assert!(under_nx.contains("AZ-BAB"));
    }

    #[test]
    fn cycles_are_found() {
        assert!(find_cycle(&parents(&[("a", "b"), ("b", "CA")])).is_none());
        let c = find_cycle(&parents(&[("a", "b"), ("b", "a")])).unwrap();
        assert_eq!(c.len(), 2);
    }
}
