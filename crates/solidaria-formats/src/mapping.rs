//! Import mappings: how the columns (or properties) of another directory's file become actor
//! records, kept as data so that the next source needs a TOML file, not code.
//!
//! A mapping names its dataset (short name, title, licence, attribution, edition), the input
//! layout (CSV with a delimiter, a JSON array of objects, or a GeoJSON FeatureCollection), the
//! column that identifies a row in its source, fixed values for every record (a default
//! territory, a category), and rules from columns to record paths (`name`, `address.postcode`,
//! `identifiers.gb_companies_house`, `facts.members.types`, `legal_form.code`, …), with value maps
//! for coded columns. The built-in mappings (Co-operatives UK, GoGoCarto, Murmurations, GeoJSON) are
//! files of this crate's `mappings/` folder; `docs/import-mappings.md` documents the format.
//!
//! Reading a file through a mapping yields the same [`Entry`] values as the native formats, so the
//! import stays all or nothing with `file:line` errors (a problem in a mapped value names its
//! column). Every actor records its source (dataset, edition, licence, line) and every fact
//! carries that provenance. Nothing is dropped silently: [`Notes`] counts the columns that no rule
//! reads and the values that no value map knows, with examples.

use crate::{Entries, Entry, FormatError};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use solidaria_core::FieldError;
use solidaria_core::record::RecordType;
use solidaria_core::text::Id;
use solidaria_core::vocab::{self, FactType};
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::sync::{Arc, Mutex};

mod builder;
mod csv_input;
use builder::Builder;
mod json_input;
pub mod json_schema;
mod record;
use record::{Record, acceptable};
pub use record::{slug, web_address};
#[cfg(test)]
mod tests;

/// The built-in mappings: `(name, TOML text)`, chosen with `import --from NAME`.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("essglobal-csv", include_str!("../mappings/essglobal-csv.toml")),
    ("coops-uk-2017", include_str!("../mappings/coops-uk-2017.toml")),
    ("coops-uk-2017-outlets", include_str!("../mappings/coops-uk-2017-outlets.toml")),
    ("gogocarto", include_str!("../mappings/gogocarto.toml")),
    ("murmurations", include_str!("../mappings/murmurations.toml")),
    ("geojson", include_str!("../mappings/geojson.toml")),
];

/// Largest number of distinct unmapped values kept per column as examples.
const EXAMPLES: usize = 5;

/// A mapping that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    /// The TOML text is not a valid mapping.
    #[error("{0}")]
    Invalid(String),
    /// No built-in mapping has this name.
    #[error("no built-in mapping is called \"{0}\"; built-in mappings: {1}")]
    Unknown(String, String),
}

/// The dataset a mapping reads: named in every record's `sources` and every fact's provenance.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// Short name, the same for every edition (`coops-uk-essglobal`); also the actor id prefix.
    pub name: String,
    /// Title in words.
    pub title: String,
    /// Licence of the data.
    pub licence: Option<String>,
    /// Attribution the licence asks for.
    pub attribution: Option<String>,
    /// Where the data is published.
    pub url: Option<String>,
    /// The edition read, unless the command line gives another.
    pub edition: Option<String>,
    /// The date the edition describes (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), the date of its facts.
    pub date: Option<String>,
}

/// The layout of the input.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, tag = "format", rename_all = "lowercase")]
pub enum Input {
    /// A CSV file with a header row.
    Csv {
        /// The field delimiter (one character; `,` by default).
        delimiter: Option<char>,
    },
    /// A JSON document holding an array of objects, at the top level or under `records` (a
    /// dotted path such as `data`).
    Json {
        /// Where the array is.
        records: Option<String>,
    },
    /// A GeoJSON FeatureCollection: each feature's `properties` are its columns (by name),
    /// and its Point geometry gives the columns `geometry.lon` and `geometry.lat`.
    Geojson,
}

/// How one column becomes part of a record.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The column (CSV header, or dotted path of a JSON property).
    pub column: String,
    /// Where the value goes (a record path); optional when every map entry names its paths.
    pub to: Option<String>,
    /// Another column of the same row whose value chooses where this one goes (a registration
    /// number goes to the identifier scheme of its registrar), with `targets`.
    pub target_column: Option<String>,
    /// With `target_column`: its value → the record path for this column's value.
    pub targets: Option<BTreeMap<String, String>>,
    /// Splits a cell into several values at this separator.
    pub split: Option<String>,
    /// Removes this prefix from each value before it is mapped (URIs of a scheme).
    pub strip_prefix: Option<String>,
    /// Builds the value from a template where `{}` is the (mapped) value: `ica:{}`.
    pub template: Option<String>,
    /// Turns each value into a label first: lower case, accents removed, other characters as `_`
    /// (`Épicerie solidaire` → `epicerie_solidaire`), for category names kept as labels.
    #[serde(default)]
    pub slugify: bool,
    /// Reads each value as a web address that people typed: `www.example.org` (no scheme) gets
    /// `http://` in front; anything else is left as it is.
    #[serde(default)]
    pub web_address: bool,
    /// Value map: a value to a replacement (written to `to`), to `""` (known, nothing to set), or
    /// to a table of record paths and values.
    pub map: Option<BTreeMap<String, toml::Value>>,
    /// With a map, what a value outside it does: `report` (default: counted in the notes, nothing
    /// set) or `keep` (written to `to` as it is, and counted).
    #[serde(default)]
    pub unmapped: Unmapped,
    /// What a value that the record would refuse (a website that is not a web address) does:
    /// `fail` (default: the import reports it as an error and keeps nothing) or `report` (left out
    /// of the record, counted in the notes with examples).
    #[serde(default)]
    pub invalid: Invalid,
}

/// What a value the record would refuse does.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Invalid {
    /// An error: the import keeps nothing.
    #[default]
    Fail,
    /// Left out and counted.
    Report,
}

/// What a value outside a rule's map does.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Unmapped {
    /// Counted in the notes; nothing set.
    #[default]
    Report,
    /// Written as it is, and counted.
    Keep,
}

/// How a row's id in its source becomes the actor's id.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdRule {
    /// The column that identifies a row in its source.
    pub column: String,
    /// The actor id prefix (the dataset name by default): the id is `PREFIX:VALUE`.
    pub prefix: Option<String>,
}

/// What each row of a mapped file becomes.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RowsAre {
    /// An actor record (the default).
    #[default]
    Actors,
    /// A site of the actor the row's id names (an outlet, a branch): no actor is made; the
    /// import attaches the site to that actor, which must be in the import or the database.
    Sites,
}

/// An import mapping, as read from TOML.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// The dataset read.
    pub dataset: Dataset,
    /// What each row becomes: `actors` (default) or `sites` of the actor its id names.
    #[serde(default)]
    pub rows: RowsAre,
    /// Built-in mappings for the other files of the same publication (Co-operatives UK's
    /// outlets beside its organisations): a file is read with the first mapping, this one
    /// first, whose columns are all in its header (see [`Mapping::columns`]).
    #[serde(default)]
    pub also: Vec<String>,
    /// The input layout.
    pub input: Input,
    /// How rows are identified.
    pub id: IdRule,
    /// Values given to every record: record path → value.
    #[serde(default)]
    pub constants: BTreeMap<String, toml::Value>,
    /// Column rules, applied in order.
    #[serde(default)]
    pub columns: Vec<Rule>,
    /// Columns known to hold nothing the registry keeps (said in the notes as ignored, with
    /// their counts, rather than as unmapped).
    #[serde(default)]
    pub ignore: Vec<String>,
}

/// The record paths a rule may write, besides `facts.KEY` and `identifiers.SCHEME`.
pub const TARGETS: &[&str] = &[
    "name",
    "alternate_names",
    "description",
    "category",
    "territory",
    "website",
    "founded",
    "claims",
    "roles",
    "activities",
    "legal_form.family",
    "legal_form.code",
    "legal_form.label",
    "location.lat",
    "location.lon",
    "location.precision",
    "address.street",
    "address.locality",
    "address.region",
    "address.postcode",
    "address.country",
];

/// The paths a rule of a `rows = "sites"` mapping may write: the parts of a site.
pub const SITE_TARGETS: &[&str] = &[
    "name",
    "description",
    "phone",
    "website",
    "location.lat",
    "location.lon",
    "location.precision",
    "address.street",
    "address.locality",
    "address.region",
    "address.postcode",
    "address.country",
];

/// Paths that hold lists: each value is appended.
const LIST_TARGETS: &[&str] = &["claims", "roles", "activities", "alternate_names"];

fn check_site_target(path: &str) -> Result<(), String> {
    if SITE_TARGETS.contains(&path) {
        Ok(())
    } else {
        Err(format!("\"{path}\": a site's part, one of {}", SITE_TARGETS.join(", ")))
    }
}

fn check_target(path: &str) -> Result<(), String> {
    if TARGETS.contains(&path) {
        return Ok(());
    }
    if let Some(scheme) = path.strip_prefix("identifiers.") {
        return solidaria_core::origin::parse_scheme(scheme).map(|_| ()).map_err(|e| format!("\"{path}\": {e}"));
    }
    if let Some(key) = path.strip_prefix("facts.") {
        return if vocab::spec(key).is_some() {
            Ok(())
        } else {
            let hint = vocab::nearest(key).map(|k| format!(": did you mean \"facts.{k}\"?")).unwrap_or_default();
            Err(format!("\"{path}\": {key} is not a key of the fact vocabulary (see `solidaria vocabulary`){hint}"))
        };
    }
    Err(format!("\"{path}\": expected one of {}, identifiers.SCHEME or facts.KEY", TARGETS.join(", ")))
}

impl Mapping {
    /// Reads and checks a mapping; the error names what is wrong.
    pub fn parse(text: &str) -> Result<Self, MappingError> {
        let m: Mapping = toml::from_str(text).map_err(|e| MappingError::Invalid(e.to_string()))?;
        let mut problems = Vec::new();
        let check_target = match m.rows {
            RowsAre::Actors => check_target,
            RowsAre::Sites => check_site_target,
        };
        for name in &m.also {
            if !BUILT_IN.iter().any(|(n, _)| n == name) {
                problems.push(format!(
                    "also: \"{name}\" is not a built-in mapping ({})",
                    BUILT_IN.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                ));
            }
        }
        if solidaria_core::origin::parse_dataset(&m.dataset.name).is_err() {
            problems.push(format!(
                "dataset.name \"{}\": {}",
                m.dataset.name,
                solidaria_core::origin::SCHEME_EXPECTED_DATASET
            ));
        }
        for path in m.constants.keys() {
            if let Err(e) = check_target(path) {
                problems.push(format!("constants: {e}"));
            }
        }
        for (i, rule) in m.columns.iter().enumerate() {
            let at = format!("columns[{i}] (column \"{}\")", rule.column);
            if let Some(to) = &rule.to
                && let Err(e) = check_target(to)
            {
                problems.push(format!("{at}: to = {e}"));
            }
            match (&rule.target_column, &rule.targets) {
                (Some(_), Some(targets)) => {
                    for (value, path) in targets {
                        if let Err(e) = check_target(path) {
                            problems.push(format!("{at}: targets \"{value}\": {e}"));
                        }
                    }
                }
                (None, None) => {}
                _ => problems.push(format!("{at}: `target_column` and `targets` go together")),
            }
            let Some(map) = &rule.map else {
                if rule.to.is_none() && rule.target_column.is_none() {
                    problems.push(format!("{at}: expected `to`, `map` or `target_column`"));
                }
                continue;
            };
            for (value, target) in map {
                match target {
                    toml::Value::String(s) if !s.is_empty() && rule.to.is_none() => {
                        problems.push(format!("{at}: map \"{value}\" gives a value but the rule has no `to`"))
                    }
                    toml::Value::String(_) => {}
                    toml::Value::Table(t) => {
                        for path in t.keys() {
                            if let Err(e) = check_target(path) {
                                problems.push(format!("{at}: map \"{value}\": {e}"));
                            }
                        }
                    }
                    other => problems.push(format!(
                        "{at}: map \"{value}\": expected a text or a table of record paths, found {}",
                        other.type_str()
                    )),
                }
            }
            if rule.unmapped == Unmapped::Keep && rule.to.is_none() {
                problems.push(format!("{at}: unmapped = \"keep\" needs `to`"));
            }
        }
        if problems.is_empty() { Ok(m) } else { Err(MappingError::Invalid(problems.join("; "))) }
    }

    /// A built-in mapping by name.
    pub fn built_in(name: &str) -> Result<Self, MappingError> {
        let (_, text) = BUILT_IN.iter().find(|(n, _)| *n == name).ok_or_else(|| {
            MappingError::Unknown(name.to_string(), BUILT_IN.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", "))
        })?;
        Self::parse(text)
    }

    /// Every column the mapping reads (the id's and its rules'), in order, each once: a file
    /// is read with a mapping of a publication (see [`Mapping::also`]) when its header has them
    /// all.
    pub fn columns(&self) -> Vec<&str> {
        let mut out = vec![self.id.column.as_str()];
        for r in &self.columns {
            for c in [Some(r.column.as_str()), r.target_column.as_deref()].into_iter().flatten() {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
        }
        out
    }

    /// This mapping or one it names in [`Mapping::also`], for a CSV file whose first bytes are
    /// `head`: the first whose columns are all in the file's header; this one when none is (its
    /// rules then say what is missing) or when the file is not CSV.
    pub fn for_file(&self, head: &[u8]) -> Result<Mapping, MappingError> {
        let delimiter = match self.input {
            Input::Csv { delimiter } => delimiter.unwrap_or(','),
            _ => return Ok(self.clone()),
        };
        if self.also.is_empty() {
            return Ok(self.clone());
        }
        let header = csv_input::header_of(head, delimiter);
        let mut candidates = vec![self.clone()];
        for name in &self.also {
            candidates.push(Mapping::built_in(name)?);
        }
        Ok(candidates
            .iter()
            .find(|m| m.columns().iter().all(|c| header.iter().any(|h| h == c)))
            .unwrap_or(&candidates[0])
            .clone())
    }

    /// Every column a rule or the id reads, and those declared ignored.
    fn known_columns(&self) -> (Vec<&str>, Vec<&str>) {
        let mut read: Vec<&str> = self.columns.iter().map(|r| r.column.as_str()).collect();
        read.push(&self.id.column);
        (read, self.ignore.iter().map(String::as_str).collect())
    }
}

/// What an import through a mapping noticed that is not an error: columns no rule reads, values
/// no map knows. Shared with the reader while it runs (the import reads it at the end).
#[derive(Debug, Default, Clone)]
pub struct Notes {
    /// Rows read.
    pub rows: u64,
    /// Columns that no rule reads, with the number of rows where they hold a value.
    pub unmapped_columns: BTreeMap<String, u64>,
    /// Columns the mapping declares ignored, with the number of rows where they hold a value.
    pub ignored_columns: BTreeMap<String, u64>,
    /// Per column, the values no map entry knows (or, for a rule with `target_column`, the
    /// values of that column that name no target): total count and up to five examples with
    /// their counts.
    pub unmapped_values: BTreeMap<String, UnmappedValues>,
    /// Per column (of a rule with `invalid = "report"`), the values left out because the record
    /// would refuse them.
    pub invalid_values: BTreeMap<String, UnmappedValues>,
    /// The actor ids read (to tell, after a re-import, which actors of the dataset the new
    /// edition no longer has).
    pub ids: std::collections::HashSet<String>,
    /// Per column, how many of its values a later rule replaced with another column's value
    /// (a registered name replaced by the trading name).
    pub replaced: BTreeMap<String, u64>,
}

/// The values of one column that its value map does not know.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct UnmappedValues {
    /// Rows with such a value.
    pub rows: u64,
    /// Up to five such values, with their counts.
    pub examples: BTreeMap<String, u64>,
}

/// The shared handle on the notes of a running import.
pub type SharedNotes = Arc<Mutex<Notes>>;

/// One row of input: column → values (one for a CSV cell; several for a JSON list).
pub(crate) type Row = BTreeMap<String, Vec<String>>;

/// The rows of an input with the line where each starts.
pub(crate) type Rows<'a> = Box<dyn Iterator<Item = Result<(u64, Row), FormatError>> + Send + 'a>;

/// Reads a file through a mapping. `edition` overrides the mapping's edition. The notes fill as
/// the entries are read. A mapping whose rows are sites is read with [`read_sites`].
pub fn read<'a, R: Read + Send + 'a>(
    mapping: &Mapping,
    edition: Option<&str>,
    reader: R,
) -> Result<(Entries<'a>, SharedNotes), FormatError> {
    if mapping.rows == RowsAre::Sites {
        return Err(FormatError::Unsupported(format!(
            "the mapping of {} makes sites of actors, not records: read it as sites",
            mapping.dataset.name
        )));
    }
    built(mapping, edition, reader, Builder::entry)
}

/// The rows of a file, each made into a `T` by `make` (a record entry or a site) through one
/// builder, and the notes that fill as they are read.
#[allow(clippy::type_complexity)]
fn built<'a, T: 'a, R: Read + Send + 'a>(
    mapping: &Mapping,
    edition: Option<&str>,
    reader: R,
    make: fn(&mut Builder, u64, &Row) -> T,
) -> Result<(Box<dyn Iterator<Item = Result<T, FormatError>> + Send + 'a>, SharedNotes), FormatError> {
    let notes = SharedNotes::default();
    let rows = rows_of(mapping, reader)?;
    let mut builder = Builder::new(mapping.clone(), edition.map(str::to_string), notes.clone());
    let entries = rows.map(move |row| row.map(|(line, row)| make(&mut builder, line, &row)));
    Ok((Box::new(entries), notes))
}

fn rows_of<'a, R: Read + Send + 'a>(mapping: &Mapping, reader: R) -> Result<Rows<'a>, FormatError> {
    Ok(match &mapping.input {
        Input::Csv { delimiter } => csv_input::csv_rows(reader, delimiter.unwrap_or(','))?,
        Input::Json { records } => json_input::json_rows(reader, records.as_deref())?,
        Input::Geojson => json_input::geojson_rows(reader)?,
    })
}

/// One row of a file of sites: the actor it belongs to and the site, or every problem found.
#[derive(Debug)]
pub struct SiteEntry {
    /// The 1-based line where the row starts.
    pub line: u64,
    /// The id of the actor the row names (`coops-uk-2017:R000001`), when it could be read.
    pub actor: Option<String>,
    /// The column that names the actor and its value in the row, for messages
    /// (`"CUK Organisation ID"`, `R000001`).
    pub named_by: (String, String),
    /// The site, or every problem found in the row.
    pub result: Result<solidaria_core::site::Site, Vec<FieldError>>,
}

/// The sites of a file, in order.
pub type SiteEntries<'a> = Box<dyn Iterator<Item = Result<SiteEntry, FormatError>> + Send + 'a>;

/// Reads a file of sites through a mapping whose rows are sites (`rows = "sites"`): each row is
/// a site of the actor its id names, with the row as its source. The notes fill as the rows are
/// read.
pub fn read_sites<'a, R: Read + Send + 'a>(
    mapping: &Mapping,
    edition: Option<&str>,
    reader: R,
) -> Result<(SiteEntries<'a>, SharedNotes), FormatError> {
    if mapping.rows != RowsAre::Sites {
        return Err(FormatError::Unsupported(format!(
            "the mapping of {} makes actor records, not sites",
            mapping.dataset.name
        )));
    }
    built(mapping, edition, reader, Builder::site)
}
