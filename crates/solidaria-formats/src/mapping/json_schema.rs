//! Records of a JSON input checked against a JSON Schema before they are mapped: Murmurations
//! profiles against the Murmurations Library's `organizations_schema-v1.0.0` and the field
//! schemas it refers to. The schema files are given at run time (they are GPL-3.0 and never
//! compiled in); references are resolved among the field files given, never on the network.
//! Each record that breaks the schema is an error at the line where it starts, with the
//! validator's message, so that an import is refused whole (all or nothing).

use super::json_input::{element_lines, parse, read_all};
use crate::{Entries, FormatError};
use jsonschema::{Draft, Retrieve, Uri, Validator};
use serde_json::Value;
use solidaria_core::FieldError;
use std::collections::{BTreeMap, HashMap};

/// A compiled schema and its name (for messages).
pub struct Schema {
    name: String,
    validator: Validator,
}

/// Resolves `../fields/NAME.json` (or any reference ending in `/NAME.json`) among the field
/// files given.
struct Fields(HashMap<String, Value>);

impl Retrieve for Fields {
    fn retrieve(&self, uri: &Uri<String>) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri.as_str().rsplit('/').next().unwrap_or_default();
        self.0.get(name).cloned().ok_or_else(|| {
            format!("{} refers to {name}, which is not among the field files given", uri.as_str()).into()
        })
    }
}

impl Schema {
    /// Compiles a schema document (draft 7, as the Murmurations Library writes them) whose
    /// references are resolved among `fields` (file name → document).
    pub fn new(name: &str, schema: &Value, fields: HashMap<String, Value>) -> Result<Self, String> {
        let validator = jsonschema::options()
            .with_draft(Draft::Draft7)
            .with_retriever(Fields(fields))
            .build(schema)
            .map_err(|e| format!("the schema {name} does not compile: {e}"))?;
        Ok(Schema { name: name.to_string(), validator })
    }

    /// The schema's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Every way a record breaks the schema, each at its path in the record.
    pub fn problems(&self, record: &Value) -> Vec<FieldError> {
        self.validator
            .iter_errors(record)
            .map(|e| {
                let path = e.instance_path().to_string();
                let field = path.trim_start_matches('/').replace('/', ".");
                let field = if field.is_empty() { "profile".to_string() } else { field };
                FieldError::text(field, format!("what {} requires", self.name), e.to_string())
            })
            .collect()
    }
}

/// The problems of the records that break a schema, by the line where each record starts.
pub type Problems = BTreeMap<u64, Vec<FieldError>>;

/// Reads a JSON input (a list of records, or one record) and checks each record against
/// `schema`: the problems by the line where each record starts, and the input's bytes, to be
/// read again by the mapping.
pub fn check<R: std::io::Read>(reader: R, schema: &Schema) -> Result<(Vec<u8>, Problems), FormatError> {
    let data = read_all(reader)?;
    let doc = parse(&data)?;
    let mut out = Problems::new();
    match &doc {
        Value::Array(items) => {
            for (item, line) in items.iter().zip(element_lines(&data, None, items.len())) {
                let p = schema.problems(item);
                if !p.is_empty() {
                    out.entry(line).or_default().extend(p);
                }
            }
        }
        one => {
            let p = schema.problems(one);
            if !p.is_empty() {
                out.insert(1, p);
            }
        }
    }
    Ok((data, out))
}

/// The entries with the schema's problems added: an entry whose line has problems fails with
/// them (after any of its own); problems at a line no entry starts on fail the input there.
pub fn with_problems<'a>(entries: Entries<'a>, mut problems: Problems) -> Entries<'a> {
    let mut entries = entries;
    let mut done = false;
    Box::new(std::iter::from_fn(move || {
        if let Some(next) = entries.next() {
            let Ok(mut entry) = next else { return Some(next) };
            if let Some(p) = problems.remove(&entry.line) {
                entry.result = match entry.result {
                    Ok(record) => {
                        entry.identity = Some((record.record_type(), record.key()));
                        Err(p)
                    }
                    Err(mut own) => {
                        own.extend(p);
                        Err(own)
                    }
                };
            }
            return Some(Ok(entry));
        }
        if done {
            return None;
        }
        done = true;
        let (line, p) = problems.pop_first()?;
        let message = p.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
        Some(Err(FormatError::Structure { line, message }))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Schema {
        let doc = json!({"$schema": "https://json-schema.org/draft-07/schema#",
            "$id": "https://test-library.murmurations.network/v2/schemas/organizations_schema-v1.0.0",
            "type": "object", "required": ["name", "primary_url"],
            "properties": {"name": {"$ref": "../fields/name.json"}, "primary_url": {"type": "string", "pattern": "^https?://"}}});
        let fields = HashMap::from([("name.json".to_string(), json!({"type": "string", "maxLength": 10}))]);
        Schema::new("organizations_schema-v1.0.0", &doc, fields).unwrap()
    }

    #[test]
    fn each_record_is_checked_at_its_line() {
        let text = "[\n{\"name\": \"Solar\", \"primary_url\": \"https://a.example\"},\n{\"name\": \"A name far too long\",\n \"primary_url\": \"ftp://b\"},\n{\"primary_url\": \"https://c.example\"}\n]";
        let (data, problems) = check(text.as_bytes(), &schema()).unwrap();
        assert_eq!(data, text.as_bytes());
        let lines: Vec<u64> = problems.keys().copied().collect();
        assert_eq!(lines, [3, 5]);
        let third: Vec<String> = problems[&3].iter().map(ToString::to_string).collect();
        assert_eq!(third.len(), 2, "{third:?}");
        assert!(
            third.iter().any(|p| p.starts_with("name: expected what organizations_schema-v1.0.0 requires")),
            "{third:?}"
        );
        assert!(third.iter().any(|p| p.starts_with("primary_url:") && p.contains("ftp://b")), "{third:?}");
        assert!(problems[&5][0].to_string().contains("\"name\" is a required property"), "{:?}", problems[&5]);
    }

    #[test]
    fn a_reference_outside_the_files_given_is_an_error() {
        let doc = json!({"$schema": "https://json-schema.org/draft-07/schema#", "$id": "https://x.example/s/a",
            "properties": {"x": {"$ref": "../fields/missing.json"}}});
        let e = Schema::new("a", &doc, HashMap::new()).err().unwrap();
        assert!(e.contains("missing.json"), "{e}");
    }
}
