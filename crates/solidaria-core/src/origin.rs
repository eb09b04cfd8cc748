//! Where an actor comes from and how its sources know it: the identifiers that registers and
//! directories gave it, its postal address, the precision of its map point, the activities its
//! sources classify it under, and the datasets (edition, licence, row) that its record was built
//! from.
//!
//! These parts make an actor traceable to its sources (a pair of records can be checked against
//! the files that gave them) and let records from two sources be recognised as the same
//! organization (shared identifiers, postcodes).

use crate::closed_list;
use crate::error::FieldError;
use crate::reader::Reader;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Longest identifier scheme name and identifier value, in bytes.
pub const IDENTIFIER_MAX_LEN: usize = 100;

/// What a valid identifier scheme looks like, for error messages.
pub const SCHEME_EXPECTED: &str =
    "a scheme name of 1 to 40 lowercase letters, digits or '_' starting with a letter (e.g. gb_companies_house)";

/// The identifiers of an actor in other systems, by scheme: `{"gb_companies_house": "01234567",
/// "coops_uk": "R000001", "fr_siren": "775672272", "lei": "…"}`. Kept as the source wrote them
/// (trimmed), so that a record can be found again in its source.
pub type Identifiers = BTreeMap<String, String>;

/// Checks an identifier scheme name.
pub fn parse_scheme(s: &str) -> Result<String, &'static str> {
    let ok = !s.is_empty()
        && s.len() <= 40
        && s.as_bytes()[0].is_ascii_lowercase()
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok { Ok(s.to_string()) } else { Err(SCHEME_EXPECTED) }
}

/// Reads the `identifiers` object of a record.
pub(crate) fn parse_identifiers(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Identifiers {
    let mut out = Identifiers::new();
    let Some(map) = value.as_object() else {
        errors.push(FieldError::new(path, "an object of identifiers by scheme", value));
        return out;
    };
    for (scheme, v) in map {
        let field = format!("{path}.{scheme}");
        if let Err(e) = parse_scheme(scheme) {
            errors.push(FieldError::text(field, e, "this scheme name"));
            continue;
        }
        match v.as_str().map(str::trim) {
            Some(s) if !s.is_empty() && s.len() <= IDENTIFIER_MAX_LEN => {
                out.insert(scheme.clone(), s.to_string());
            }
            _ => errors.push(FieldError::new(
                field,
                format!("a non-empty text of at most {IDENTIFIER_MAX_LEN} bytes"),
                v,
            )),
        }
    }
    out
}

/// A postal address, every part optional, as the source wrote it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Address {
    /// Street and number (may span lines).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// Town, city or village.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    /// County, state, province or region, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Postcode, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// Country, as written (usually an ISO 3166-1 alpha-2 code).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// The fields of an address.
pub const ADDRESS_FIELDS: &[&str] = &["street", "locality", "region", "postcode", "country"];

impl Address {
    /// True when no part is given.
    pub fn is_empty(&self) -> bool {
        self == &Address::default()
    }

    /// The postcode with spaces removed and letters upper-cased (`"m60 0ag"` → `"M600AG"`), for
    /// comparing records; `None` when there is no postcode.
    pub fn postcode_key(&self) -> Option<String> {
        let p = self.postcode.as_deref()?;
        let key: String = p.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect();
        (!key.is_empty()).then_some(key)
    }

    pub(crate) fn parse(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Address> {
        let mut r = Reader::object(value, path, errors)?;
        r.deny_unknown(ADDRESS_FIELDS);
        Some(Address {
            street: r.opt_text("street"),
            locality: r.opt_text("locality"),
            region: r.opt_text("region"),
            postcode: r.opt_text("postcode"),
            country: r.opt_text("country"),
        })
    }
}

closed_list! {
    /// How precisely a map point places the actor: directories often give the centre of a
    /// postcode or a town rather than the door.
    Precision {
        /// The building itself.
        Exact = "exact",
        /// Geocoded from the street address.
        Address = "address",
        /// The centre of the postcode area.
        Postcode = "postcode",
        /// The centre of the town or city.
        Locality = "locality",
        /// The centre of a region.
        Region = "region",
    }
}

/// What a valid activity code looks like, for error messages.
pub const ACTIVITY_EXPECTED: &str = "an activity as SCHEME:CODE, e.g. ica:ICA260 or uksic2007:47110 (scheme in lowercase \
     letters and digits, code in letters, digits, '.', '_' or '-')";

/// Checks an activity code of the form `scheme:code`.
pub fn parse_activity(s: &str) -> Result<String, &'static str> {
    let ok = s.split_once(':').is_some_and(|(scheme, code)| {
        !scheme.is_empty()
            && scheme.len() <= 20
            && scheme.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && !code.is_empty()
            && code.len() <= 40
            && code.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    });
    if ok { Ok(s.to_string()) } else { Err(ACTIVITY_EXPECTED) }
}

/// A dataset that a record was built from: which one, which edition, under which licence, and
/// where in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    /// The dataset's short name (e.g. `coops-uk-essglobal`): the same for every edition.
    pub dataset: String,
    /// The edition (e.g. `2022-Q2`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// The licence the dataset is published under (e.g. `ODC-By-1.0`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
    /// The attribution the licence asks for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
    /// Where the dataset is published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The line of the file where the record's row starts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

/// The fields of a source reference.
pub const SOURCE_FIELDS: &[&str] = &["dataset", "edition", "licence", "attribution", "url", "line"];

/// Reads the `sources` list of a record.
pub(crate) fn parse_sources(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Vec<SourceRef> {
    let Some(items) = value.as_array() else {
        errors.push(FieldError::new(path, "a list of sources", value));
        return Vec::new();
    };
    items.iter().enumerate().filter_map(|(i, item)| parse_source(item, &format!("{path}[{i}]"), errors)).collect()
}

/// Reads one source reference at `path`.
pub(crate) fn parse_source(item: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<SourceRef> {
    let mut r = Reader::object(item, path, errors)?;
    r.deny_unknown(SOURCE_FIELDS);
    let dataset = r.req_parse("dataset", SCHEME_EXPECTED_DATASET, parse_dataset);
    let edition = r.opt_text("edition");
    let licence = r.opt_text("licence");
    let attribution = r.opt_text("attribution");
    let url = r.opt_text("url");
    let line = r.opt_int("line", 1, i64::MAX).map(|n| n as u64);
    Some(SourceRef { dataset: dataset?, edition, licence, attribution, url, line })
}

/// What a valid dataset name looks like, for error messages.
pub const SCHEME_EXPECTED_DATASET: &str =
    "a dataset name of 1 to 60 lowercase letters, digits, '-' or '_' starting with a letter";

/// Checks a dataset name.
pub fn parse_dataset(s: &str) -> Result<String, &'static str> {
    let ok = !s.is_empty()
        && s.len() <= 60
        && s.as_bytes()[0].is_ascii_lowercase()
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok { Ok(s.to_string()) } else { Err(SCHEME_EXPECTED_DATASET) }
}

/// What a valid label looks like, for error messages.
pub const LABEL_EXPECTED: &str =
    "a label of 1 to 60 lowercase letters, digits, '_' or '-' starting with a letter (e.g. b_corp)";

/// Checks a label: a claim outside the known list, kept as the directory gave it (lower-cased
/// words joined by `_` or `-`).
pub fn parse_label(s: &str) -> Result<String, &'static str> {
    let ok = !s.is_empty()
        && s.len() <= 60
        && s.as_bytes()[0].is_ascii_lowercase()
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok { Ok(s.to_string()) } else { Err(LABEL_EXPECTED) }
}
