//! Small value types made only by parsing: record ids, partial ISO 8601 dates, web addresses.
//!
//! Each type has a `parse` constructor that returns the expected-value wording on failure, so
//! invalid values cannot be written down anywhere in the domain.

use serde::{Serialize, Serializer};
use std::fmt;

/// Longest accepted id, in bytes.
pub const ID_MAX_LEN: usize = 128;

/// Identifier of an actor, case or custom region: 1 to 128 ASCII letters, digits, `.`, `_`, `:` or
/// `-`, starting with a letter or digit. Stable, URL-safe and shell-safe.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id(String);

/// What a valid [`Id`] looks like, for error messages.
pub const ID_EXPECTED: &str = "an id of 1 to 128 letters, digits, '.', '_', ':' or '-' starting with a letter or digit";

impl Id {
    /// Parses an id; the error is the expected-value wording.
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        let ok = !s.is_empty()
            && s.len() <= ID_MAX_LEN
            && s.as_bytes()[0].is_ascii_alphanumeric()
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'));
        if ok { Ok(Self(s.to_string())) } else { Err(ID_EXPECTED) }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// A calendar date at year, month or day precision (`2013`, `2013-10`, `2013-10-10`), as sources
/// give them. Kept as written; checked for a real calendar day.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate(String);

/// What a valid [`PartialDate`] looks like, for error messages.
pub const DATE_EXPECTED: &str = "a date as YYYY, YYYY-MM or YYYY-MM-DD";

impl PartialDate {
    /// Parses a year, year-month or full date and checks that the day exists in that month.
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        let parts: Vec<&str> = s.split('-').collect();
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        let ok = match parts.as_slice() {
            [y] => digits(y, 4),
            [y, m] => digits(y, 4) && digits(m, 2) && (1..=12).contains(&num(m)),
            [y, m, d] => {
                digits(y, 4)
                    && digits(m, 2)
                    && digits(d, 2)
                    && (1..=12).contains(&num(m))
                    && (1..=days_in_month(num(y), num(m))).contains(&num(d))
            }
            _ => false,
        };
        if ok { Ok(Self(s.to_string())) } else { Err(DATE_EXPECTED) }
    }

    /// The date as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The year.
    pub fn year(&self) -> u32 {
        num(&self.0[..4])
    }
}

fn num(s: &str) -> u32 {
    s.parse().unwrap_or(0)
}

/// What a valid date-time looks like, for error messages.
pub const DATE_TIME_EXPECTED: &str = "an RFC 3339 date-time such as 2026-12-20T12:00:00Z";

/// Whether `s` is an RFC 3339 date-time (`2026-12-20T12:00:00Z`, `2026-12-20t12:00:00.25+01:00`):
/// a real day, `T`, hours 00–23, minutes 00–59, seconds 00–60 (a leap second), an optional
/// fraction, then `Z` or an offset `±HH:MM`.
pub fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let two = |i: usize, max: u32| {
        b.get(i..i + 2).is_some_and(|d| d.iter().all(u8::is_ascii_digit))
            && u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0') <= max
    };
    if !s.is_ascii() || b.len() < 20 || !matches!(b[10], b'T' | b't') {
        return false;
    }
    let time = two(11, 23) && b[13] == b':' && two(14, 59) && b[16] == b':' && two(17, 60);
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        i += 1 + digits;
    }
    let zone = match b.get(i) {
        Some(b'Z' | b'z') => i + 1 == b.len(),
        Some(b'+' | b'-') => i + 6 == b.len() && two(i + 1, 23) && b[i + 3] == b':' && two(i + 4, 59),
        _ => false,
    };
    PartialDate::parse(&s[..10]).is_ok_and(|d| d.as_str().len() == 10) && time && zone
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Longest accepted web address, in bytes.
pub const URL_MAX_LEN: usize = 2048;

/// An absolute `http://` or `https://` address without spaces or control characters. Other
/// schemes (`javascript:`, `data:`, `file:`) are refused so that a link shown in a page is safe.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WebUrl(String);

/// What a valid [`WebUrl`] looks like, for error messages.
pub const URL_EXPECTED: &str = "an http:// or https:// address without spaces";

impl WebUrl {
    /// Parses a web address.
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
        let rest = if lower.starts_with("https://") {
            &s[8..]
        } else if lower.starts_with("http://") {
            &s[7..]
        } else {
            return Err(URL_EXPECTED);
        };
        let host_ok = rest.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '[');
        if host_ok && s.len() <= URL_MAX_LEN && !s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            Ok(Self(s.to_string()))
        } else {
            Err(URL_EXPECTED)
        }
    }

    /// The address as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for WebUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl Serialize for WebUrl {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// The key names are listed by: lower-cased (Unicode-aware) and trimmed, compared as bytes. The
/// same in every backend, so listings come out in the same order everywhere.
pub fn sort_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Longest free text accepted in a record field (descriptions, notes, sources), in bytes.
pub const TEXT_MAX_LEN: usize = 20_000;

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids, dates, addresses and the other value types written in tables honour a width (they
    /// wrote their text as it was, so `{:<24}` padded nothing and columns drifted).
    #[test]
    fn value_types_honour_width_and_alignment() {
        let id = Id::parse("sff").unwrap();
        assert_eq!(format!("{id:<6}|{id:>6}|{id}"), "sff   |   sff|sff");
        let date = PartialDate::parse("2013").unwrap();
        assert_eq!(format!("{date:<6}|"), "2013  |");
        let t = crate::territory::TerritoryId::parse("CA-QC").unwrap();
        assert_eq!(format!("{t:<7}|"), "CA-QC  |");
        let family = crate::legal_form::Family::Cooperative;
        assert_eq!(format!("{family:<13}|"), "cooperative  |");
        let stage = crate::finance::readiness::Stage::Ready;
        assert_eq!(format!("{stage:<7}|"), "ready  |");
    }

    #[test]
    fn date_times_are_rfc_3339() {
        for ok in [
            "2026-12-20T12:00:00Z",
            "2026-12-20t12:00:00z",
            "2024-02-29T23:59:60.123456+01:00",
            "2026-01-01T00:00:00-05:30",
        ] {
            assert!(is_date_time(ok), "{ok}");
        }
        for bad in [
            "",
            "2026-12-20",
            "2026-12-20T12:00:00",
            "2026-12-20 12:00:00Z",
            "2026-02-30T12:00:00Z",
            "2026-12-20T24:00:00Z",
            "2026-12-20T12:60:00Z",
            "2026-12-20T12:00:00.Z",
            "2026-12-20T12:00:00+0100",
            "2026-12-20T12:00:00Z ",
            "2026-12-20T12:00:00+01:00x",
            "2026-12-20T12:00:00\u{e9}Z",
            "friday",
        ] {
            assert!(!is_date_time(bad), "{bad:?}");
        }
    }

    #[test]
    fn ids() {
        for ok in ["tiess", "CA-QC", "a", "x.y_z:1-2"] {
            assert!(Id::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-a", "a b", "é", "a/b", &"a".repeat(129)] {
            assert!(Id::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates() {
        for ok in ["2013", "2013-10", "2013-10-10", "2024-02-29"] {
            assert!(PartialDate::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["13", "2013-13", "2013-02-30", "2023-02-29", "2013/10/10", "2013-1-1", "yesterday", ""] {
            assert!(PartialDate::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(PartialDate::parse("1996-04").unwrap().year(), 1996);
    }

    #[test]
    fn urls() {
        for ok in ["https://tiess.ca", "http://x.org/a?b=c#d", "HTTPS://EXAMPLE.ORG"] {
            assert!(WebUrl::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["javascript:alert(1)", "ftp://x", "https://", "https:// x", "tiess.ca", "data:text/html,x"] {
            assert!(WebUrl::parse(bad).is_err(), "{bad}");
        }
    }
}

/// Longest moderation message (a rejection's reason, what a proposal duplicates), in bytes.
pub const MESSAGE_MAX_LEN: usize = 2_000;

/// Whether `c` changes the direction of the text around it (embeddings, overrides, isolates),
/// which can make a name read otherwise than it is stored. Left-to-right and right-to-left marks,
/// which scripts need, are not among them.
fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` is invisible on its own (zero-width spaces and joiners, the byte-order mark).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// What is wrong with a text given as input, if anything: NUL and other control characters
/// (terminal escapes included; tab and line breaks are text), direction overrides, and, for a
/// name or title (`is_name`), nothing visible at all (only spaces or zero-width characters).
pub fn input_text_problem(s: &str, is_name: bool) -> Option<&'static str> {
    // Most texts are printable ASCII (with tabs and line breaks): none of the problems below can
    // be in them (a blank one is refused by its field's own check), and a check of the bytes
    // alone costs a fraction of decoding characters (an import checks every string it reads).
    if s.bytes().all(|b| (0x20..0x7f).contains(&b) || matches!(b, b'\n' | b'\t' | b'\r')) {
        return None;
    }
    let (mut control, mut direction, mut visible) = (false, false, false);
    for c in s.chars() {
        control |= c.is_control() && !matches!(c, '\n' | '\t' | '\r');
        direction |= is_direction_control(c);
        visible |= !(c.is_whitespace() || is_invisible(c));
    }
    if control {
        return Some("text without control characters (NUL, terminal escapes)");
    }
    if direction {
        return Some("text without direction overrides (U+202A to U+202E, U+2066 to U+2069)");
    }
    // An empty or blank text is refused by the field's own check, which says so.
    if is_name && !s.trim().is_empty() && !visible {
        return Some("a name with visible characters");
    }
    None
}

#[cfg(test)]
mod input_text_tests {
    use super::input_text_problem;

    #[test]
    fn hostile_text_is_named_and_real_scripts_pass() {
        for bad in ["a\u{0}b", "x\u{1b}[31mred", "\u{202E}gnp.exe", "a\u{2066}b", "\u{7f}", "é\u{1b}", "ü\u{202E}"] {
            assert!(input_text_problem(bad, false).is_some(), "{bad:?}");
        }
        assert!(input_text_problem("\u{200B}\u{200D} ", true).is_some(), "invisible name");
        assert!(input_text_problem("\u{200B}\u{200D} ", false).is_none(), "a description may be odd");
        for good in
            ["Coopérative d'habitation", "جمعية تعاونية\u{200F}", "क्\u{200D}ष", "line\nbreak\ttab", "\u{1F91D} Co-op"]
        {
            assert!(input_text_problem(good, true).is_none(), "{good:?}");
        }
    }
}
