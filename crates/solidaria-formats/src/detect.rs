//! Choosing a format from a file name or from the first bytes of its content.

use std::fmt;

/// An interchange format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON record per line.
    JsonLines,
    /// A JSON array of records.
    Json,
    /// CSV, one row per actor or per relation.
    Csv,
}

impl Format {
    /// Parses a format name as given on a command line (`jsonl`, `json`, `csv`).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// The format of a file, from its extension, else from its first non-blank byte
    /// (`[` is a JSON array, `{` is JSON Lines, anything else CSV).
    pub fn detect(name: &str, head: &[u8]) -> Self {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            return Format::Csv;
        }
        if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
            return Format::JsonLines;
        }
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        match head.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'[') => Format::Json,
            Some(b'{') => Format::JsonLines,
            _ if lower.ends_with(".json") => Format::JsonLines,
            _ => Format::Csv,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Format::JsonLines => "JSON Lines",
            Format::Json => "JSON",
            Format::Csv => "CSV",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_extension_then_content() {
        assert_eq!(Format::detect("a.CSV", b"{"), Format::Csv);
        assert_eq!(Format::detect("a.jsonl", b"["), Format::JsonLines);
        assert_eq!(Format::detect("a.json", b"  \n["), Format::Json);
        assert_eq!(Format::detect("a.json", b"{\"type\""), Format::JsonLines);
        assert_eq!(Format::detect("-", b"\xEF\xBB\xBF[{"), Format::Json);
        assert_eq!(Format::detect("data.txt", b"id,name"), Format::Csv);
    }
}
