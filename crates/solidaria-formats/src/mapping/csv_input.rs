//! CSV inputs of a mapping: a header row names the columns; each row keeps the line where it
//! starts (CRLF read as LF).

use super::{Row, Rows};
use crate::FormatError;
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
        .from_reader(crate::line_endings::CrlfAsLf::new(reader));
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
    let width = names.len();
    let mut record = csv::StringRecord::new();
    Ok(Box::new(std::iter::from_fn(move || match rdr.read_record(&mut record) {
        Ok(false) => None,
        Err(e) => {
            let line = e.position().map_or(0, |p| p.line());
            Some(Err(FormatError::Structure { line, message: format!("unreadable CSV row: {e}") }))
        }
        Ok(true) => {
            let line = record.position().map_or(0, |p| p.line());
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
