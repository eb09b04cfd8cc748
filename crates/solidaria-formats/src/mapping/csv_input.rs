//! CSV inputs of a mapping: a header row names the columns; each row keeps the line where it
//! starts (CRLF read as LF).

use super::{Row, Rows};
use crate::FormatError;
use crate::csv_actors::swallowed_to_the_end;
use crate::csv_quotes::{QuoteTracker, Unclosed};
use std::io::Read;

pub(super) fn csv_rows<'a, R: Read + Send + 'a>(reader: R, delimiter: char) -> Result<Rows<'a>, FormatError> {
    let byte = u8::try_from(delimiter as u32).map_err(|_| FormatError::Structure {
        line: 0,
        message: format!("the mapping's delimiter {delimiter:?} is not a single-byte character"),
    })?;
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(byte)
        .has_headers(false)
        .flexible(true)
        .from_reader(QuoteTracker::new(crate::line_endings::CrlfAsLf::new(reader), byte));
    let mut header = csv::StringRecord::new();
    let ok = rdr
        .read_record(&mut header)
        .map_err(|e| FormatError::Structure { line: 1, message: format!("expected a CSV header row: {e}") })?;
    if !ok {
        return Ok(Box::new(std::iter::empty()));
    }
    let names: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, h)| if i == 0 { h.trim_start_matches('\u{feff}') } else { h }.to_string())
        .collect();
    if let Some(hint) = crate::csv_quotes::delimiter_hint(&names, delimiter) {
        return Err(FormatError::Structure {
            line: 1,
            message: format!(
                "{hint}: found the column {:?} (set the mapping's delimiter, in [input], to the file's)",
                names[0]
            ),
        });
    }
    let width = names.len();
    let mut record = csv::StringRecord::new();
    Ok(Box::new(std::iter::from_fn(move || match rdr.read_record(&mut record) {
        Ok(false) => None,
        Err(e) => {
            let line = e.position().map_or(0, |p| p.line());
            if let Some(open) = swallowed_to_the_end(&rdr) {
                return Some(Err(unclosed(line, open)));
            }
            Some(Err(FormatError::Structure { line, message: format!("unreadable CSV row: {e}") }))
        }
        Ok(true) => {
            let line = record.position().map_or(0, |p| p.line());
            if let Some(open) = swallowed_to_the_end(&rdr) {
                return Some(Err(unclosed(line, open)));
            }
            if record.len() != width {
                return Some(Err(FormatError::Structure {
                    line,
                    message: format!("expected {width} cells as in the header, found {}", record.len()),
                }));
            }
            let row: Row = names
                .iter()
                .zip(record.iter())
                .filter(|(_, c)| !c.trim().is_empty())
                .map(|(n, c)| (n.clone(), vec![c.trim().to_string()]))
                .collect();
            Some(Ok((line, row)))
        }
    })))
}

fn unclosed(line: u64, open: Unclosed) -> FormatError {
    let (expected, found) = open.expected_found();
    FormatError::Structure { line, message: format!("expected {expected}, found {found}") }
}

/// The column names of a CSV file's header, read from its first bytes (empty when they hold no
/// complete header line).
pub(super) fn header_of(head: &[u8], delimiter: char) -> Vec<String> {
    let Ok(byte) = u8::try_from(delimiter as u32) else { return Vec::new() };
    let mut rdr = csv::ReaderBuilder::new().delimiter(byte).has_headers(false).flexible(true).from_reader(head);
    let mut header = csv::StringRecord::new();
    match rdr.read_record(&mut header) {
        Ok(true) => header
            .iter()
            .enumerate()
            .map(|(i, h)| if i == 0 { h.trim_start_matches('\u{feff}') } else { h }.to_string())
            .collect(),
        _ => Vec::new(),
    }
}
