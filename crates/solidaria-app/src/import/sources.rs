//! Opening the inputs of an import: a file in one of the registry's formats, or a source read
//! through an import mapping, optionally checked against a JSON Schema first.

use super::*;

/// Opens a source from a reader: the format as given, else detected from the name's extension
/// and the first bytes.
pub fn source<'a, R: std::io::BufRead + Send + 'a>(
    name: &str,
    mut reader: R,
    format: Option<Format>,
) -> Result<Source<'a>, std::io::Error> {
    use solidaria_formats::{csv_actors, jsonl};
    let format = match format {
        Some(f) => f,
        None => Format::detect(name, reader.fill_buf()?),
    };
    let entries = match format {
        Format::JsonLines => Ok(jsonl::read_lines(reader)),
        Format::Json => jsonl::read_array(reader),
        Format::Csv => csv_actors::read_csv(reader),
    };
    Ok(Source { name: name.to_string(), entries })
}

/// Opens a source read through an import mapping (see `solidaria_formats::mapping`); the notes
/// fill while the import reads it. `edition` overrides the mapping's edition.
pub fn mapped_source<'a, R: std::io::Read + Send + 'a>(
    name: &str,
    mapping: &Mapping,
    edition: Option<&str>,
    reader: R,
) -> (Source<'a>, SharedNotes) {
    match mapping::read(mapping, edition, reader) {
        Ok((entries, notes)) => (Source { name: name.to_string(), entries: Ok(entries) }, notes),
        Err(e) => (Source { name: name.to_string(), entries: Err(e) }, SharedNotes::default()),
    }
}

/// The Murmurations organizations schema read from a copy of the Murmurations Library (a folder
/// with `schemas/organizations_schema-v1.0.0.json` and the `fields/*.json` it refers to), to
/// check profiles on import ([`checked_mapped_source`]). The files are read at run time: they are
/// GPL-3.0 and not part of Solidaria.
pub fn murmurations_schema(dir: &std::path::Path) -> AppResult<solidaria_formats::mapping::json_schema::Schema> {
    use solidaria_formats::murmurations::SCHEMA;
    let unreadable = |what: String| AppError::new(Code::InputUnreadable, what).at("schemas");
    let read = |path: &std::path::Path| -> AppResult<serde_json::Value> {
        let text =
            std::fs::read_to_string(path).map_err(|e| unreadable(format!("cannot read {}: {e}", path.display())))?;
        serde_json::from_str(&text).map_err(|e| unreadable(format!("{} is not JSON: {e}", path.display())))
    };
    let schema = read(&dir.join("schemas").join(format!("{SCHEMA}.json")))?;
    let mut fields = std::collections::HashMap::new();
    let listing = std::fs::read_dir(dir.join("fields"))
        .map_err(|e| unreadable(format!("cannot list {}: {e}", dir.join("fields").display())))?;
    for entry in listing {
        let path = entry.map_err(|e| unreadable(e.to_string()))?.path();
        if path.extension().is_some_and(|x| x == "json")
            && let Some(name) = path.file_name().and_then(|n| n.to_str())
        {
            fields.insert(name.to_string(), read(&path)?);
        }
    }
    solidaria_formats::mapping::json_schema::Schema::new(SCHEMA, &schema, fields).map_err(unreadable)
}

/// [`mapped_source`] with each record first checked against a JSON Schema (Murmurations profiles,
/// see [`murmurations_schema`]): a record that breaks it is a problem at its line, with the
/// validator's message, and the import writes nothing.
pub fn checked_mapped_source<'a, R: std::io::Read + Send + 'a>(
    name: &str,
    mapping: &Mapping,
    edition: Option<&str>,
    reader: R,
    schema: &solidaria_formats::mapping::json_schema::Schema,
) -> (Source<'a>, SharedNotes) {
    use solidaria_formats::mapping::json_schema;
    match json_schema::check(reader, schema) {
        Ok((data, problems)) => {
            let (source, notes) = mapped_source(name, mapping, edition, std::io::Cursor::new(data));
            let entries = source.entries.map(|e| json_schema::with_problems(e, problems));
            (Source { name: source.name, entries }, notes)
        }
        Err(e) => (Source { name: name.to_string(), entries: Err(e) }, SharedNotes::default()),
    }
}

/// A mapping by built-in name, or read from a TOML text (a file given by the user).
pub fn mapping(built_in: Option<&str>, text: Option<&str>) -> AppResult<Mapping> {
    let result = match (built_in, text) {
        (_, Some(text)) => Mapping::parse(text),
        (Some(name), None) => Mapping::built_in(name),
        (None, None) => return Err(AppError::new(Code::MappingInvalid, "give a built-in mapping or a mapping file")),
    };
    result.map_err(|e| AppError::new(Code::MappingInvalid, e.to_string()))
}
