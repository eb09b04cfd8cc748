//! Turning one row of a mapped source into a record: each column rule applied, values checked
//! and converted, what maps to nothing counted in the notes.

use super::*;

/// Turns rows into entries under one mapping, remembering ids seen and filling the notes.
pub(super) struct Builder {
    mapping: Mapping,
    edition: Option<String>,
    notes: SharedNotes,
    seen: HashMap<String, u64>,
    read: Vec<String>,
    ignored: Vec<String>,
}

impl Builder {
    pub(super) fn new(mapping: Mapping, edition: Option<String>, notes: SharedNotes) -> Self {
        let (read, ignored) = mapping.known_columns();
        let read = read.into_iter().map(str::to_string).collect();
        let ignored = ignored.into_iter().map(str::to_string).collect();
        let edition = edition.or_else(|| mapping.dataset.edition.clone());
        Self { mapping, edition, notes, seen: HashMap::new(), read, ignored }
    }

    /// A row of a file of sites: the site, with the row as its source, for the actor the id
    /// column names.
    pub(super) fn site(&mut self, line: u64, row: &Row) -> SiteEntry {
        let mut notes = self.notes.lock().unwrap_or_else(|e| e.into_inner());
        self.count_columns(row, &mut notes);
        let mut record = Record::site(&self.mapping.dataset, self.edition.as_deref(), line);
        let mut errors = Vec::new();
        let id_column = &self.mapping.id.column;
        let raw = row.get(id_column).and_then(|v| v.first()).cloned();
        let actor = match &raw {
            None => {
                errors.push(FieldError::text(
                    format!("\"{id_column}\" (id)"),
                    "a value naming the actor this site belongs to",
                    "an empty cell",
                ));
                None
            }
            Some(raw) => {
                let prefix = self.mapping.id.prefix.as_deref().unwrap_or(&self.mapping.dataset.name);
                let id = format!("{prefix}:{}", id_part(raw));
                match Id::parse(&id) {
                    Err(e) => {
                        errors.push(FieldError::text(format!("\"{id_column}\" (id)"), e, id.clone()));
                        None
                    }
                    Ok(_) => {
                        notes.ids.insert(id.clone());
                        Some(id)
                    }
                }
            }
        };
        self.apply_rules(row, &mut record, &mut notes);
        drop(notes);
        let result = record.finish_site(errors);
        SiteEntry { line, actor, named_by: (id_column.clone(), raw.unwrap_or_default()), result }
    }

    /// Counts the columns of a row that no rule reads, and those declared ignored.
    fn count_columns(&self, row: &Row, notes: &mut Notes) {
        notes.rows += 1;
        for column in row.keys() {
            let ignored = self
                .ignored
                .iter()
                .any(|i| column == i || column.strip_prefix(i.as_str()).is_some_and(|r| r.starts_with('.')));
            if ignored {
                *notes.ignored_columns.entry(column.clone()).or_default() += 1;
            } else if !self.read.contains(column) {
                *notes.unmapped_columns.entry(column.clone()).or_default() += 1;
            }
        }
    }

    /// Applies the constants and then every column rule to a row.
    fn apply_rules(&self, row: &Row, record: &mut Record, notes: &mut Notes) {
        for (path, value) in &self.mapping.constants {
            record.set(path, toml_to_json(value), None, notes);
        }
        for rule in &self.mapping.columns {
            let Some(values) = row.get(&rule.column) else { continue };
            for raw in values {
                let parts: Vec<&str> = match &rule.split {
                    Some(sep) => raw.split(sep.as_str()).map(str::trim).filter(|s| !s.is_empty()).collect(),
                    None => vec![raw.as_str()],
                };
                for part in parts {
                    let value = rule.strip_prefix.as_deref().and_then(|p| part.strip_prefix(p)).unwrap_or(part);
                    if rule.slugify {
                        apply(rule, &slug(value), row, record, notes);
                    } else if rule.web_address {
                        apply(rule, &web_address(value), row, record, notes);
                    } else {
                        apply(rule, value, row, record, notes);
                    }
                }
            }
        }
    }

    pub(super) fn entry(&mut self, line: u64, row: &Row) -> Entry {
        let mut notes = self.notes.lock().unwrap_or_else(|e| e.into_inner());
        self.count_columns(row, &mut notes);
        let mut record = Record::new(&self.mapping.dataset, self.edition.as_deref(), line);
        let mut errors = Vec::new();
        let id_column = &self.mapping.id.column;
        match row.get(id_column).and_then(|v| v.first()) {
            None => errors.push(FieldError::text(
                format!("\"{id_column}\" (id)"),
                "a value identifying the row in its source",
                "an empty cell",
            )),
            Some(raw) => {
                let prefix = self.mapping.id.prefix.as_deref().unwrap_or(&self.mapping.dataset.name);
                let id = format!("{prefix}:{}", id_part(raw));
                match Id::parse(&id) {
                    Err(e) => errors.push(FieldError::text(format!("\"{id_column}\" (id)"), e, id.clone())),
                    Ok(_) => match self.seen.insert(id.clone(), line) {
                        Some(first) => {
                            errors.push(FieldError::text(
                                format!("\"{id_column}\" (id)"),
                                "an id not used by another row of this file",
                                format!("{raw:?}, the id of line {first} too"),
                            ));
                            self.seen.insert(id.clone(), first);
                            record.set_id(id);
                        }
                        None => {
                            notes.ids.insert(id.clone());
                            record.set_id(id);
                        }
                    },
                }
            }
        }
        self.apply_rules(row, &mut record, &mut notes);
        drop(notes);
        record.finish(line, errors)
    }
}

/// Applies one rule to one value of a row.
fn apply(rule: &Rule, value: &str, row: &Row, record: &mut Record, notes: &mut Notes) {
    let put = |path: &str, v: Value, record: &mut Record, notes: &mut Notes| {
        if rule.invalid == Invalid::Report && !acceptable(path, &v, record.is_site()) {
            let shown = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            count_in(&mut notes.invalid_values, &rule.column, &shown);
        } else {
            record.set(path, v, Some(&rule.column), notes);
        }
    };
    let templated = |v: &str| rule.template.as_ref().map_or_else(|| v.to_string(), |t| t.replace("{}", v));
    if let (Some(other), Some(targets)) = (&rule.target_column, &rule.targets) {
        let chooser = row.get(other).and_then(|v| v.first()).map_or("", String::as_str);
        match targets.get(chooser) {
            Some(path) => put(path, json!(templated(value)), record, notes),
            None => count_unmapped(notes, &format!("{} (by {other})", rule.column), chooser),
        }
        return;
    }
    let Some(map) = &rule.map else {
        if let Some(to) = &rule.to {
            put(to, json!(templated(value)), record, notes);
        }
        return;
    };
    match map.get(value) {
        Some(toml::Value::String(s)) if s.is_empty() => {}
        Some(toml::Value::String(s)) => {
            if let Some(to) = &rule.to {
                put(to, json!(templated(s)), record, notes);
            }
        }
        Some(toml::Value::Table(t)) => {
            for (path, v) in t {
                put(path, toml_to_json(v), record, notes);
            }
        }
        Some(_) => {}
        None => {
            count_unmapped(notes, &rule.column, value);
            if rule.unmapped == Unmapped::Keep
                && let Some(to) = &rule.to
            {
                put(to, json!(templated(value)), record, notes);
            }
        }
    }
}

fn count_unmapped(notes: &mut Notes, column: &str, value: &str) {
    count_in(&mut notes.unmapped_values, column, value);
}

fn count_in(counts: &mut BTreeMap<String, UnmappedValues>, column: &str, value: &str) {
    let u = counts.entry(column.to_string()).or_default();
    u.rows += 1;
    if let Some(n) = u.examples.get_mut(value) {
        *n += 1;
    } else if u.examples.len() < EXAMPLES {
        u.examples.insert(value.to_string(), 1);
    }
}

/// The part of a source id kept in an actor id: a web address without its `http(s)://`, and
/// characters outside the id alphabet as `-`.
fn id_part(raw: &str) -> String {
    let raw = raw.trim();
    let raw = raw.strip_prefix("https://").or_else(|| raw.strip_prefix("http://")).unwrap_or(raw);
    raw.trim_end_matches('/')
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-') { c } else { '-' })
        .collect()
}

fn toml_to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => json!(s),
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => json!(b),
        toml::Value::Datetime(d) => json!(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(t.iter().map(|(k, v)| (k.clone(), toml_to_json(v))).collect()),
    }
}
