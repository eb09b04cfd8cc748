//! Where a CSV file's quotes open and close, followed as the `csv` reader reads, so that an
//! unclosed quote (which the reader silently takes to run to the end of the file, swallowing
//! every line after it into one cell) is reported with the line where it opened; and a hint when
//! a header read with one delimiter is one column holding another (a `;`-separated file read as
//! `,`-separated).

use std::io::Read;

/// Where the reader is in the CSV grammar (as the `csv` crate reads it: a quote opens a quoted
/// cell only at the start of a cell; `""` inside one is a quote; after the closing quote, the
/// cell goes on unquoted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    CellStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// A quote opened and never closed: the line where it opened and the file's last line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unclosed {
    /// Line of the opening quote.
    pub opened: u64,
    /// Last line of the file.
    pub last: u64,
}

impl Unclosed {
    /// What a reader should have found, and what it found, for an error message.
    pub fn expected_found(&self) -> (String, String) {
        let swallowed = self.last - self.opened;
        (
            format!("a closing quote for the quote opened on line {}", self.opened),
            format!(
                "none: the quote swallowed the {swallowed} line{} after it, to the end of the file (line {}), into one cell \
                 (close it; write \"\" for a quote inside a quoted cell)",
                if swallowed == 1 { "" } else { "s" },
                self.last
            ),
        )
    }
}

/// A reader that follows the quoting of the CSV bytes read through it.
pub struct QuoteTracker<R> {
    inner: R,
    delimiter: u8,
    state: State,
    /// Current line (1-based).
    line: u64,
    /// Line of the last opening quote.
    opened: u64,
    /// Whether the last byte read was a newline (then the file's last line is `line - 1`).
    after_newline: bool,
    bytes: u64,
    eof: bool,
}

impl<R: Read> QuoteTracker<R> {
    /// Wraps a reader of CSV bytes separated by `delimiter`.
    pub fn new(inner: R, delimiter: u8) -> Self {
        QuoteTracker {
            inner,
            delimiter,
            state: State::CellStart,
            line: 1,
            opened: 0,
            after_newline: false,
            bytes: 0,
            eof: false,
        }
    }

    /// Bytes read so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The quote left open at the end of the file, once the whole file has been read.
    pub fn unclosed(&self) -> Option<Unclosed> {
        let last = if self.after_newline { self.line - 1 } else { self.line };
        (self.eof && self.state == State::Quoted).then_some(Unclosed { opened: self.opened, last })
    }

    fn other(&mut self) {
        self.state = match self.state {
            State::CellStart | State::QuoteInQuoted => State::Unquoted,
            s => s,
        };
    }

    fn step(&mut self, b: u8) {
        if b == b'\n' {
            self.line += 1;
            if self.state != State::Quoted {
                self.state = State::CellStart;
            }
        } else if b == b'"' {
            self.state = match self.state {
                State::CellStart => {
                    self.opened = self.line;
                    State::Quoted
                }
                State::Unquoted => State::Unquoted,
                State::Quoted => State::QuoteInQuoted,
                State::QuoteInQuoted => State::Quoted,
            };
        } else if self.state != State::Quoted {
            // The delimiter.
            self.state = State::CellStart;
        }
    }
}

impl<R: Read> Read for QuoteTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.eof = true;
            return Ok(0);
        }
        let bytes = &buf[..n];
        let mut next = 0;
        for i in memchr::memchr3_iter(b'\n', b'"', self.delimiter, bytes) {
            if i > next {
                self.other();
            }
            self.step(bytes[i]);
            next = i + 1;
        }
        if next < n {
            self.other();
        }
        self.after_newline = bytes[n - 1] == b'\n';
        self.bytes += n as u64;
        Ok(n)
    }
}

/// The usual CSV delimiters, for [`delimiter_hint`].
const DELIMITERS: [char; 4] = [',', ';', '\t', '|'];

fn show(d: char) -> String {
    if d == '\t' { "tab".to_string() } else { format!("'{d}'") }
}

/// When a header read with `delimiter` came out as a single column holding another usual
/// delimiter, says so: "the header is one column holding 4 ';': the file looks ';'-separated,
/// but is read as ','-separated".
pub fn delimiter_hint(header: &[String], delimiter: char) -> Option<String> {
    let [only] = header else { return None };
    let (count, found) =
        DELIMITERS.iter().filter(|d| **d != delimiter).map(|d| (only.matches(*d).count(), *d)).max()?;
    (count > 0).then(|| {
        format!(
            "the header is one column holding {count} {}: the file looks {}-separated, but is read as {}-separated",
            show(found),
            show(found),
            show(delimiter)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn track(text: &str) -> Option<Unclosed> {
        let mut t = QuoteTracker::new(text.as_bytes(), b',');
        std::io::copy(&mut t, &mut std::io::sink()).unwrap();
        t.unclosed()
    }

    #[test]
    fn an_unclosed_quote_is_found_with_its_line() {
        assert_eq!(track("id,name\na,\"A\nb,B\nc,C\n"), Some(Unclosed { opened: 2, last: 4 }));
        assert_eq!(track("id,name\na,\"A\nb,B"), Some(Unclosed { opened: 2, last: 3 }));
        assert_eq!(track("id,name\na,\"A, \"\"quoted\"\"\nstill\"\nb,B\n"), None);
        assert_eq!(track("id,name\na,x\"y\nb,B\n"), None, "a quote inside a cell is text");
        assert_eq!(track("id,name\na,\"x\"y\nb,\"B\"\n"), None, "the cell goes on after its closing quote");
        assert_eq!(track("id,name\na,\"x\"\"\nb,B\n"), Some(Unclosed { opened: 2, last: 3 }));
    }

    #[test]
    fn a_header_of_one_column_holding_another_delimiter_is_hinted() {
        let h = |s: &str| vec![s.to_string()];
        assert_eq!(
            delimiter_hint(&h("id;name;website"), ',').unwrap(),
            "the header is one column holding 2 ';': the file looks ';'-separated, but is read as ','-separated"
        );
        assert!(delimiter_hint(&h("id\tname"), ',').unwrap().contains("looks tab-separated"));
        assert_eq!(delimiter_hint(&h("id"), ','), None);
        assert_eq!(delimiter_hint(&["id".into(), "name;x".into()], ','), None);
    }
}
