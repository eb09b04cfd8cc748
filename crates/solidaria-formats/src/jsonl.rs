//! JSON Lines and JSON arrays of records.
//!
//! JSON Lines is streamed line by line with a reused buffer; a line longer than
//! [`MAX_RECORD_BYTES`] is refused without being held in memory. A JSON array is read whole (use
//! JSON Lines for large files) and split into elements by a scanner that keeps each element's line.

use crate::{Entries, Entry, FormatError};
use solidaria_core::{FieldError, Record};
use std::io::{BufRead, Read, Write};

/// Largest accepted record, in bytes (one line of JSON Lines, one element of a JSON array):
/// 16 MiB, so that an actor with thousands of sites round-trips (the Co-operative Group's 4,098
/// outlets of 2017 make a record of 2.5 MB).
pub const MAX_RECORD_BYTES: usize = 16 << 20;

/// Largest accepted JSON array file, in bytes.
pub const MAX_ARRAY_FILE_BYTES: u64 = 1 << 30;

/// Reads JSON Lines: one record per non-blank line.
pub fn read_lines<'a, R: BufRead + Send + 'a>(reader: R) -> Entries<'a> {
    let mut reader = reader;
    let mut buf = Vec::new();
    let mut line = 0u64;
    Box::new(std::iter::from_fn(move || {
        loop {
            buf.clear();
            line += 1;
            let n = match (&mut reader).take(MAX_RECORD_BYTES as u64 + 1).read_until(b'\n', &mut buf) {
                Ok(n) => n,
                Err(e) => return Some(Err(e.into())),
            };
            if n == 0 {
                return None;
            }
            if buf.len() > MAX_RECORD_BYTES && buf.last() != Some(&b'\n') {
                // Skip the rest of the oversized line without keeping it.
                if let Err(e) = skip_line(&mut reader) {
                    return Some(Err(e.into()));
                }
                let error = FieldError::text(
                    "record",
                    format!("a record of at most {MAX_RECORD_BYTES} bytes on one line"),
                    "a longer line",
                );
                return Some(Ok(Entry::unreadable(line, vec![error])));
            }
            let text = if line == 1 { buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf) } else { &buf[..] };
            let text = text.trim_ascii_end();
            if text.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(Ok(entry_of(line, text)));
        }
    }))
}

fn skip_line<R: BufRead>(reader: &mut R) -> std::io::Result<()> {
    loop {
        let (done, used) = {
            let chunk = reader.fill_buf()?;
            if chunk.is_empty() {
                return Ok(());
            }
            match chunk.iter().position(|b| *b == b'\n') {
                Some(i) => (true, i + 1),
                None => (false, chunk.len()),
            }
        };
        reader.consume(used);
        if done {
            return Ok(());
        }
    }
}

/// Parses one record's JSON text into an entry.
fn entry_of(line: u64, text: &[u8]) -> Entry {
    let text = match std::str::from_utf8(text) {
        Ok(t) => t,
        Err(e) => {
            let error = FieldError::text("record", "UTF-8 text", format!("invalid UTF-8 at byte {}", e.valid_up_to()));
            return Entry::unreadable(line, vec![error]);
        }
    };
    match crate::unique_keys::from_str(text) {
        Ok(value) => Entry::parsed(line, &value),
        Err(e) => {
            let found = format!("invalid JSON ({} at column {})", strip_position(&e.to_string()), e.column());
            Entry::unreadable(line, vec![FieldError::text("record", "one JSON object", found)])
        }
    }
}

/// serde_json appends " at line L column C" to its messages; the caller reports positions itself.
fn strip_position(msg: &str) -> &str {
    msg.find(" at line ").map_or(msg, |i| &msg[..i])
}

/// Reads a JSON array of records. The whole input is read (at most [`MAX_ARRAY_FILE_BYTES`]).
pub fn read_array<'a, R: Read + Send + 'a>(reader: R) -> Result<Entries<'a>, FormatError> {
    let mut data = Vec::new();
    reader.take(MAX_ARRAY_FILE_BYTES + 1).read_to_end(&mut data)?;
    if data.len() as u64 > MAX_ARRAY_FILE_BYTES {
        return Err(FormatError::Structure {
            line: 1,
            message: format!(
                "a JSON array file of at most {MAX_ARRAY_FILE_BYTES} bytes; use JSON Lines for larger files"
            ),
        });
    }
    let elements = split_array(&data)?;
    Ok(Box::new(elements.into_iter().map(move |(line, range)| {
        let bytes = &data[range];
        if bytes.len() > MAX_RECORD_BYTES {
            let found = format!("{} bytes", bytes.len());
            let expected = format!("a record of at most {MAX_RECORD_BYTES} bytes");
            return Ok(Entry::unreadable(line, vec![FieldError::text("record", expected, found)]));
        }
        Ok(entry_of(line, bytes))
    })))
}

/// Splits a JSON array into its top-level elements: (line of the element's start, byte range).
fn split_array(data: &[u8]) -> Result<Vec<(u64, std::ops::Range<usize>)>, FormatError> {
    let data_start = if data.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let (out, mut i, mut line) = split_array_at(data, data_start, 1)?;
    skip_ws(data, &mut i, &mut line);
    if i < data.len() {
        return Err(FormatError::Structure { line, message: "expected nothing after the closing ']'".into() });
    }
    Ok(out)
}

fn skip_ws(data: &[u8], i: &mut usize, line: &mut u64) {
    while *i < data.len() && data[*i].is_ascii_whitespace() {
        if data[*i] == b'\n' {
            *line += 1;
        }
        *i += 1;
    }
}

/// The elements of a JSON array: the line where each starts and its bytes.
pub(crate) type Elements = Vec<(u64, std::ops::Range<usize>)>;

/// Splits the JSON array that starts (after whitespace) at byte `i`, on line `line`, into its
/// elements: (line of the element's start, byte range); also returns the position and line just
/// after the closing `]`.
pub(crate) fn split_array_at(data: &[u8], mut i: usize, mut line: u64) -> Result<(Elements, usize, u64), FormatError> {
    let err = |line, message: &str| FormatError::Structure { line, message: message.to_string() };
    let skip_ws = |i: &mut usize, line: &mut u64| skip_ws(data, i, line);
    skip_ws(&mut i, &mut line);
    if data.get(i) != Some(&b'[') {
        return Err(err(line, "expected a JSON array of records starting with '['"));
    }
    i += 1;
    let mut out = Vec::new();
    loop {
        skip_ws(&mut i, &mut line);
        match data.get(i) {
            None => {
                return Err(err(line, "expected ']' to close the array, found the end of the file"));
            }
            Some(b']') if out.is_empty() => {
                i += 1;
                break;
            }
            _ => {}
        }
        let start = (line, i);
        let (mut depth, mut in_str, mut escaped) = (0i64, false, false);
        while i < data.len() {
            let b = data[i];
            if b == b'\n' {
                line += 1;
            }
            if in_str {
                match b {
                    _ if escaped => escaped = false,
                    b'\\' => escaped = true,
                    b'"' => in_str = false,
                    _ => {}
                }
            } else {
                match b {
                    b'"' => in_str = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' if depth > 0 => depth -= 1,
                    b',' | b']' if depth == 0 => break,
                    _ => {}
                }
            }
            i += 1;
        }
        let mut end = i;
        while end > start.1 && data[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        if end == start.1 {
            return Err(err(start.0, "expected a record between commas"));
        }
        out.push((start.0, start.1..end));
        match data.get(i) {
            Some(b',') => i += 1,
            Some(b']') => {
                i += 1;
                break;
            }
            _ => {
                return Err(err(line, "expected ']' to close the array, found the end of the file"));
            }
        }
    }
    Ok((out, i, line))
}

/// Writes one record as a line of JSON Lines.
pub fn write_line<W: Write>(w: &mut W, record: &Record) -> std::io::Result<()> {
    serde_json::to_writer(&mut *w, &record.to_json())?;
    w.write_all(b"\n")
}

/// Writes records as a JSON array, one record per line, streaming.
pub struct ArrayWriter<W: Write> {
    w: W,
    count: u64,
}

impl<W: Write> ArrayWriter<W> {
    /// Starts an array on `w`.
    pub fn new(w: W) -> Self {
        Self { w, count: 0 }
    }

    /// Writes one element.
    pub fn write(&mut self, record: &Record) -> std::io::Result<()> {
        self.w.write_all(if self.count == 0 { b"[\n" } else { b",\n" })?;
        serde_json::to_writer(&mut self.w, &record.to_json())?;
        self.count += 1;
        Ok(())
    }

    /// Closes the array and returns the writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.w.write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        Ok(self.w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(u64, Result<String, Vec<String>>)> {
        read_lines(text.as_bytes())
            .map(|e| {
                let e = e.unwrap();
                (e.line, e.result.map(|r| r.key()).map_err(|es| es.iter().map(|e| e.to_string()).collect()))
            })
            .collect()
    }

    #[test]
    fn lines_skip_blanks_and_keep_line_numbers() {
        let got = lines(
            "\u{feff}{\"type\":\"actor\",\"id\":\"a\",\"name\":\"A\"}\n\n  \n{\"type\":\"actor\",\"id\":\"b\",\"name\":\"B\"}",
        );
        assert_eq!(got, vec![(1, Ok("a".into())), (4, Ok("b".into()))]);
    }

    #[test]
    fn a_fact_key_typo_is_located_with_the_nearest_key() {
        let got = lines(
            "{\"type\":\"actor\",\"id\":\"a\",\"name\":\"A\",\"facts\":{\"x.note\":1}}\n\
             {\"type\":\"actor\",\"id\":\"b\",\"name\":\"B\",\"facts\":{\"governance.votingrule\":\"one_member_one_vote\"}}\n",
        );
        assert_eq!(got[0], (1, Ok("a".into())));
        let (line, Err(e)) = &got[1] else { panic!("{got:?}") };
        assert_eq!(*line, 2);
        assert!(e[0].starts_with("facts.governance.votingrule: expected a key of the fact vocabulary"), "{e:?}");
        assert!(e[0].ends_with("did you mean \"governance.voting_rule\"?"), "{e:?}");
    }

    #[test]
    fn bad_json_and_bad_utf8_are_located() {
        let got = lines("{\"type\":\"actor\",\n{\"type\":\"actor\",\"id\":\"b\",\"name\":\"B\"}\n");
        assert_eq!(
            got[0],
            (
                1,
                Err(vec![
                    "record: expected one JSON object, found invalid JSON (EOF while parsing a value at column 16)"
                        .into()
                ])
            )
        );
        assert_eq!(got[1].1, Ok("b".into()));
        let mut bytes = b"{\"type\":\"actor\",\"id\":\"a\",\"name\":\"".to_vec();
        bytes.extend_from_slice(b"\xff\"}\n");
        let e = read_lines(&bytes[..]).next().unwrap().unwrap();
        assert_eq!(e.result.unwrap_err()[0].to_string(), "record: expected UTF-8 text, found invalid UTF-8 at byte 33");
    }

    #[test]
    fn oversized_lines_are_refused_and_the_next_line_still_read() {
        let text = format!(
            "{{\"type\":\"actor\",\"id\":\"a\",\"name\":\"{}\"}}\n{{\"type\":\"actor\",\"id\":\"b\",\"name\":\"B\"}}\n",
            "x".repeat(MAX_RECORD_BYTES)
        );
        let got = lines(&text);
        assert_eq!(got.len(), 2);
        assert!(got[0].1.as_ref().unwrap_err()[0].contains("at most 16777216 bytes"));
        assert_eq!(got[1], (2, Ok("b".into())));
    }

    #[test]
    fn arrays_keep_element_lines() {
        let text = "[\n {\"type\":\"actor\",\"id\":\"a\",\"name\":\"A, [x]\"},\n\n {\"type\":\"actor\",\"id\":\"b\",\n  \"name\":\"B \\\" }\"}\n]\n";
        let got: Vec<_> = read_array(text.as_bytes())
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| (e.line, e.result.unwrap().key()))
            .collect();
        assert_eq!(got, vec![(2, "a".to_string()), (4, "b".to_string())]);
        assert_eq!(read_array("[]".as_bytes()).unwrap().count(), 0);
    }

    #[test]
    fn broken_arrays_are_structure_errors() {
        for (text, want) in [
            ("{}", "line 1: expected a JSON array of records starting with '['"),
            ("[\n{\"a\":1},", "line 2: expected ']' to close the array, found the end of the file"),
            ("[{},,{}]", "line 1: expected a record between commas"),
            ("[{}] x", "line 1: expected nothing after the closing ']'"),
        ] {
            let e = read_array(text.as_bytes()).err().expect(text);
            assert_eq!(e.to_string(), want);
        }
    }

    #[test]
    fn array_writer_output_reads_back() {
        let recs: Vec<Record> = read_lines("{\"type\":\"actor\",\"id\":\"a\",\"name\":\"A\"}\n{\"type\":\"relation\",\"from\":\"a\",\"to\":\"b\",\"kind\":\"funds\"}\n".as_bytes())
            .map(|e| e.unwrap().result.unwrap())
            .collect();
        let mut w = ArrayWriter::new(Vec::new());
        for r in &recs {
            w.write(r).unwrap();
        }
        let out = w.finish().unwrap();
        let back: Vec<Record> = read_array(&out[..]).unwrap().map(|e| e.unwrap().result.unwrap()).collect();
        assert_eq!(back, recs);
        assert_eq!(ArrayWriter::new(Vec::new()).finish().unwrap(), b"[]\n");
    }
}

#[cfg(test)]
mod hostile {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        /// Arbitrary bytes never make the readers panic; every entry has a line number.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            for e in read_lines(&bytes[..]) {
                prop_assert!(e.unwrap().line >= 1);
            }
            if let Ok(entries) = read_array(&bytes[..]) {
                for e in entries {
                    let _ = e;
                }
            }
        }

        /// Text shaped like JSON records, with random damage, never makes the readers panic.
        #[test]
        fn damaged_records_never_panic(text in r#"[\[\]{}",:0-9a-z. \n\\-]{0,300}"#) {
            let wrapped = format!("[{{\"type\":\"actor\",{text}");
            for e in read_lines(wrapped.as_bytes()) { let _ = e; }
            if let Ok(entries) = read_array(wrapped.as_bytes()) { for e in entries { let _ = e; } }
        }
    }
}
