//! The JSON record a row becomes, path by path, with the column each value came from (to name it
//! in errors), and the cleaning of typed-in values (web addresses, labels, years, numbers).

use super::*;

/// The JSON record under construction, with the column each path came from (to name it in errors).
pub(super) struct Record {
    pub(super) obj: Map<String, Value>,
    pub(super) facts: Map<String, Value>,
    pub(super) provenance: Map<String, Value>,
    pub(super) origin: BTreeMap<String, String>,
    /// For a site (a mapping whose rows are sites), its source: the dataset and the row.
    pub(super) site_source: Option<Value>,
}

/// The source reference of a row: dataset, edition, licence, attribution, address, line.
fn source_of(dataset: &Dataset, edition: Option<&str>, line: u64) -> Map<String, Value> {
    let mut source = Map::new();
    source.insert("dataset".into(), json!(dataset.name));
    for (k, v) in [
        ("edition", edition),
        ("licence", dataset.licence.as_deref()),
        ("attribution", dataset.attribution.as_deref()),
        ("url", dataset.url.as_deref()),
    ] {
        if let Some(v) = v {
            source.insert(k.into(), json!(v));
        }
    }
    source.insert("line".into(), json!(line));
    source
}

impl Record {
    /// A site under construction, whose source is the row.
    pub(super) fn site(dataset: &Dataset, edition: Option<&str>, line: u64) -> Self {
        Self {
            obj: Map::new(),
            facts: Map::new(),
            provenance: Map::new(),
            origin: BTreeMap::new(),
            site_source: Some(Value::Object(source_of(dataset, edition, line))),
        }
    }

    /// Whether this is a site rather than an actor record.
    pub(super) fn is_site(&self) -> bool {
        self.site_source.is_some()
    }

    /// The site read, or every problem (those of the id first), each naming its column.
    pub(super) fn finish_site(
        mut self,
        mut errors: Vec<FieldError>,
    ) -> Result<solidaria_core::site::Site, Vec<FieldError>> {
        if let Some(loc) = self.obj.get("location")
            && (loc.get("lat").is_none() || loc.get("lon").is_none())
        {
            self.obj.remove("location");
        }
        if let Some(source) = self.site_source.take() {
            self.obj.insert("source".into(), source);
        }
        let value = Value::Object(std::mem::take(&mut self.obj));
        let mut found = solidaria_core::record::input_text_problems(&value);
        let site = solidaria_core::site::Site::parse(&value, "", &mut found);
        for e in found.iter_mut() {
            if let Some(column) = self.column_of(&e.field) {
                e.field = format!("\"{column}\" ({})", e.field);
            }
        }
        errors.extend(found);
        match site {
            Some(site) if errors.is_empty() => Ok(site),
            _ => Err(errors),
        }
    }

    pub(super) fn new(dataset: &Dataset, edition: Option<&str>, line: u64) -> Self {
        let source = source_of(dataset, edition, line);
        let mut obj = Map::new();
        obj.insert("type".into(), json!("actor"));
        obj.insert("sources".into(), json!([Value::Object(source)]));
        let mut provenance = Map::new();
        let title = match edition {
            Some(e) => format!("{}, {e}", dataset.title),
            None => dataset.title.clone(),
        };
        provenance.insert("source".into(), json!(title));
        if let Some(d) = &dataset.date {
            provenance.insert("date".into(), json!(d));
        }
        if let Some(u) = &dataset.url {
            provenance.insert("url".into(), json!(u));
        }
        Self { obj, facts: Map::new(), provenance, origin: BTreeMap::new(), site_source: None }
    }

    pub(super) fn set_id(&mut self, id: String) {
        self.obj.insert("id".into(), json!(id));
    }

    /// Writes a value at a record path (checked when the mapping was read); a scalar that
    /// replaces another column's different value is counted in the notes.
    pub(super) fn set(&mut self, path: &str, value: Value, column: Option<&str>, notes: &mut Notes) {
        let scalar = !path.starts_with("facts.") && !LIST_TARGETS.contains(&path);
        if let Some(c) = column
            && let Some(before) = self.origin.insert(path.to_string(), c.to_string())
            && scalar
            && before != c
            && self.get(path).is_some_and(|old| old != &value)
        {
            *notes.replaced.entry(before).or_default() += 1;
        }
        if let Some(key) = path.strip_prefix("facts.") {
            let typed = typed(key, value);
            let set_type = matches!(vocab::spec(key).map(|s| s.ty), Some(FactType::Set(_)));
            let slot = self.facts.entry(key.to_string()).or_insert_with(|| {
                let mut f = self.provenance.clone();
                f.insert("value".into(), if set_type { json!([]) } else { Value::Null });
                if let Some(c) = column {
                    f.insert("note".into(), json!(format!("column \"{c}\"")));
                }
                Value::Object(f)
            });
            match (&mut slot["value"], typed) {
                (Value::Array(items), Value::Array(more)) => {
                    for v in more {
                        if !items.contains(&v) {
                            items.push(v);
                        }
                    }
                }
                (Value::Array(items), v) => {
                    if !items.contains(&v) {
                        items.push(v);
                    }
                }
                (slot, v) => *slot = v,
            }
            return;
        }
        if LIST_TARGETS.contains(&path) {
            let list = self.obj.entry(path.to_string()).or_insert_with(|| json!([]));
            if let Value::Array(items) = list {
                match value {
                    Value::Array(more) => items.extend(more),
                    v => items.push(v),
                }
            }
            return;
        }
        let value = match path {
            "location.lat" | "location.lon" => number(value),
            "founded" => match &value {
                Value::String(s) => year_in(s).map_or(value, |y| json!(y)),
                _ => value,
            },
            _ => value,
        };
        match path.split_once('.') {
            Some((outer, inner)) => {
                let o = self.obj.entry(outer.to_string()).or_insert_with(|| json!({}));
                o[inner] = value;
            }
            None => {
                self.obj.insert(path.to_string(), value);
            }
        }
    }

    fn get(&self, path: &str) -> Option<&Value> {
        match path.split_once('.') {
            Some((outer, inner)) => self.obj.get(outer)?.get(inner),
            None => self.obj.get(path),
        }
    }

    pub(super) fn finish(mut self, line: u64, mut errors: Vec<FieldError>) -> Entry {
        // A map point without both coordinates is left out; a precision without a point too.
        if let Some(loc) = self.obj.get("location")
            && (loc.get("lat").is_none() || loc.get("lon").is_none())
        {
            self.obj.remove("location");
        }
        if !self.facts.is_empty() {
            self.obj.insert("facts".into(), Value::Object(std::mem::take(&mut self.facts)));
        }
        let value = Value::Object(std::mem::take(&mut self.obj));
        let mut entry = Entry::parsed(line, &value);
        if let Err(found) = &mut entry.result {
            for e in found.iter_mut() {
                if let Some(column) = self.column_of(&e.field) {
                    e.field = format!("\"{column}\" ({})", e.field);
                }
            }
        }
        if !errors.is_empty() {
            entry.identity = entry.identity.or_else(|| solidaria_core::record::identity(&value));
            entry.result = match entry.result {
                Ok(_) => Err(errors),
                Err(more) => {
                    // The id's own problem is already said, in the source's terms.
                    errors.extend(more.into_iter().filter(|e| e.field != "id"));
                    Err(errors)
                }
            };
        }
        if entry.identity.as_ref().is_some_and(|(t, _)| *t != RecordType::Actor) {
            entry.identity = None;
        }
        entry
    }

    /// The column that a record field (`facts.members.types`, `claims[2]`) came from.
    fn column_of(&self, field: &str) -> Option<&String> {
        let base = field.split('[').next().unwrap_or(field);
        self.origin
            .get(base)
            .or_else(|| self.origin.iter().find(|(path, _)| base.starts_with(path.as_str())).map(|(_, c)| c))
    }
}

/// A typed web address with `http://` added when it has no scheme and looks like a host name
/// (`www.example.org/page`); other values unchanged.
pub fn web_address(s: &str) -> String {
    let host = s.split('/').next().unwrap_or("");
    let looks_like_host = !s.contains("://")
        && !s.contains(char::is_whitespace)
        && !s.contains('@')
        && host.contains('.')
        && host.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-'));
    if looks_like_host { format!("http://{s}") } else { s.to_string() }
}

/// A label made of a name: lower case, Latin accents removed, runs of other characters as one
/// `_`, a leading digit prefixed with `c_` (labels start with a letter).
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.starts_with(|c: char| c.is_ascii_digit()) { format!("c_{out}") } else { out }
}

fn fold_accent(c: char) -> char {
    const FOLDS: &[(&str, char)] = &[
        ("àáâãäåā", 'a'),
        ("çćč", 'c'),
        ("èéêëēė", 'e'),
        ("ìíîïī", 'i'),
        ("ñń", 'n'),
        ("òóôõöøō", 'o'),
        ("ùúûüū", 'u'),
        ("ýÿ", 'y'),
        ("śšș", 's'),
        ("žźż", 'z'),
        ("ł", 'l'),
        ("țţ", 't'),
        ("ğ", 'g'),
        ("ř", 'r'),
        ("ď", 'd'),
    ];
    FOLDS.iter().find(|(from, _)| from.contains(c)).map_or(c, |(_, to)| *to)
}

/// The first run of exactly four digits in a text (`11/8/1863` → 1863, `1969-03` → 1969).
fn year_in(s: &str) -> Option<i64> {
    s.split(|c: char| !c.is_ascii_digit()).find(|run| run.len() == 4).and_then(|y| y.parse().ok())
}

fn number(value: Value) -> Value {
    match &value {
        Value::String(s) => match s.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => json!(x),
            _ => value,
        },
        _ => value,
    }
}

/// Types a fact value from text by its vocabulary type; what does not fit is left as text so
/// that validation reports it with the expected type.
fn typed(key: &str, value: Value) -> Value {
    let Value::String(s) = &value else { return value };
    match vocab::spec(key).map(|s| s.ty) {
        Some(FactType::Bool) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => json!(true),
            "false" | "no" | "0" => json!(false),
            _ => value,
        },
        Some(FactType::Count) => s.trim().parse::<u64>().map_or(value, |n| json!(n)),
        Some(FactType::Share | FactType::Rate | FactType::Ratio | FactType::Number) => number(value),
        _ => value,
    }
}

/// Whether the record (or, for a site, the site) would accept this value at this path, checked
/// on a record holding only it.
pub(super) fn acceptable(path: &str, value: &Value, site: bool) -> bool {
    if site {
        let mut probe = Record {
            obj: Map::from_iter([("name".into(), json!("probe"))]),
            facts: Map::new(),
            provenance: Map::new(),
            origin: BTreeMap::new(),
            site_source: None,
        };
        if matches!(path, "location.lat" | "location.lon") {
            probe.set("location.lat", json!(0), None, &mut Notes::default());
            probe.set("location.lon", json!(0), None, &mut Notes::default());
        }
        probe.set(path, value.clone(), None, &mut Notes::default());
        let mut errors = Vec::new();
        return solidaria_core::site::Site::parse(&Value::Object(probe.obj), "", &mut errors).is_some()
            && errors.is_empty();
    }
    let mut probe = Record {
        obj: Map::from_iter([
            ("type".into(), json!("actor")),
            ("id".into(), json!("probe")),
            ("name".into(), json!("probe")),
        ]),
        facts: Map::new(),
        provenance: Map::new(),
        origin: BTreeMap::new(),
        site_source: None,
    };
    let value = match (path, value) {
        ("location.lat" | "location.lon", v) => {
            probe.set("location.lat", json!(0), None, &mut Notes::default());
            probe.set("location.lon", json!(0), None, &mut Notes::default());
            v.clone()
        }
        (_, v) => v.clone(),
    };
    probe.set(path, value, None, &mut Notes::default());
    if let Some(facts) = probe
        .obj
        .get("facts")
        .cloned()
        .or_else(|| (!probe.facts.is_empty()).then(|| Value::Object(probe.facts.clone())))
    {
        probe.obj.insert("facts".into(), facts);
    }
    solidaria_core::record::parse_record(&Value::Object(probe.obj)).is_ok()
}
