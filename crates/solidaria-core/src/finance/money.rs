//! Exact money: amounts are whole numbers of a currency's minor unit (cents), read from and
//! written as decimal text, never through floating point.

use serde_json::Value;

/// Largest amount accepted, in minor units (a quadrillion units of a two-decimal currency; sums
/// over a ledger are kept in `i128`).
pub const MAX_MINOR: i64 = 100_000_000_000_000_000;

/// An ISO 4217 currency code with its number of decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency {
    code: [u8; 3],
    decimals: u32,
}

/// Currencies known with their minor unit (ISO 4217); others are refused rather than guessed.
const CURRENCIES: &[(&str, u32)] = &[
    ("CAD", 2),
    ("USD", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("ZAR", 2),
    ("MXN", 2),
    ("BRL", 2),
    ("CHF", 2),
    ("INR", 2),
    ("RON", 2),
    ("KRW", 0),
    ("JPY", 0),
    ("XOF", 0),
    ("KES", 2),
    ("COP", 2),
    ("ARS", 2),
];

/// What a valid currency looks like, for error messages.
pub fn currency_expected() -> String {
    format!("an ISO 4217 currency code among {}", CURRENCIES.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", "))
}

impl Currency {
    /// Parses a code such as `CAD`.
    pub fn parse(s: &str) -> Result<Self, String> {
        CURRENCIES
            .iter()
            .find(|(c, _)| *c == s)
            .map(|(c, d)| {
                let b = c.as_bytes();
                Currency { code: [b[0], b[1], b[2]], decimals: *d }
            })
            .ok_or_else(currency_expected)
    }

    /// The code.
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    /// Decimals of the minor unit.
    pub fn decimals(&self) -> u32 {
        self.decimals
    }

    /// Reads an amount: a JSON text of decimal digits (`"1250.50"`) or a JSON whole number,
    /// positive, with at most this currency's decimals. A JSON number with a fraction is refused
    /// (it may already have lost cents in whoever wrote it).
    pub fn amount(&self, v: &Value) -> Result<i64, String> {
        let expected = || {
            format!(
                "an amount above zero as text with at most {} decimal{} (e.g. \"1250.{}\")",
                self.decimals,
                if self.decimals == 1 { "" } else { "s" },
                "0".repeat(self.decimals as usize)
            )
        };
        let text = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) if n.is_u64() => n.to_string(),
            _ => return Err(expected()),
        };
        match parse_minor(&text, self.decimals) {
            Some(m) if m > 0 && m <= MAX_MINOR => Ok(m),
            _ => Err(expected()),
        }
    }

    /// Writes minor units as decimal text (`125050` → `"1250.50"`), with a sign when negative.
    pub fn format(&self, minor: i128) -> String {
        format_minor(minor, self.decimals)
    }

    /// Writes minor units for people, the way `style` says (`CAD 1,234,567.89`,
    /// `1 234 567,89 CAD`): digits grouped by three, the sign first; exact, from the minor
    /// units' digits.
    pub fn format_in(&self, minor: i128, style: &MoneyStyle<'_>) -> String {
        let sign = if minor < 0 { "-" } else { "" };
        let digits = minor.unsigned_abs().to_string();
        let decimals = self.decimals as usize;
        // At least one digit before the decimals ("0.05", not ".05").
        let digits = format!("{digits:0>width$}", width = decimals + 1);
        let (int, frac) = digits.split_at(digits.len() - decimals);
        let mut number = String::with_capacity(digits.len() + 8);
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                number.push_str(style.group);
            }
            number.push(c);
        }
        if !frac.is_empty() {
            number.push_str(style.decimal);
            number.push_str(frac);
        }
        if style.code_first {
            format!("{sign}{} {number}", self.code())
        } else {
            format!("{sign}{number} {}", self.code())
        }
    }
}

/// How a language writes amounts for people: the thousands separator, the decimal separator,
/// and whether the currency code comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoneyStyle<'a> {
    /// Between groups of three digits (`,` in English, U+202F in French, `.` in Spanish).
    pub group: &'a str,
    /// Before the decimals.
    pub decimal: &'a str,
    /// `CAD 12.00` rather than `12.00 CAD`.
    pub code_first: bool,
}

impl MoneyStyle<'static> {
    /// English: `CAD 1,234,567.89`.
    pub const ENGLISH: MoneyStyle<'static> = MoneyStyle { group: ",", decimal: ".", code_first: true };
}

/// Parses unsigned decimal text into minor units with `decimals` decimals.
pub fn parse_minor(s: &str, decimals: u32) -> Option<i64> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int.is_empty() || int.len() > 18 || frac.len() > decimals as usize {
        return None;
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if s.contains('.') && frac.is_empty() {
        return None;
    }
    let mut minor: i64 = int.parse().ok()?;
    for _ in 0..decimals {
        minor = minor.checked_mul(10)?;
    }
    let mut f: i64 = 0;
    for (i, b) in frac.bytes().enumerate() {
        f += i64::from(b - b'0') * 10i64.pow(decimals - 1 - i as u32);
    }
    minor.checked_add(f)
}

/// Writes minor units with `decimals` decimals.
pub fn format_minor(minor: i128, decimals: u32) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    if decimals == 0 {
        return format!("{sign}{abs}");
    }
    let unit = 10u128.pow(decimals);
    format!("{sign}{}.{:0width$}", abs / unit, abs % unit, width = decimals as usize)
}

/// A positive decimal ratio kept exact as `numerator / denominator` (`"2"` → 2/1, `"1.5"` → 15/10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    /// Numerator.
    pub num: i128,
    /// Denominator (a power of ten).
    pub den: i128,
}

impl Ratio {
    /// Parses a positive decimal with at most four decimals.
    pub fn parse(v: &Value) -> Result<Self, String> {
        let expected = "a ratio above zero as text with at most 4 decimals (e.g. \"2\" or \"1.5\")".to_string();
        let text = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) if n.is_u64() => n.to_string(),
            _ => return Err(expected),
        };
        let decimals = text.split_once('.').map_or(0, |(_, f)| f.len() as u32);
        match parse_minor(&text, decimals.min(4)) {
            Some(n) if n > 0 && decimals <= 4 => Ok(Ratio { num: i128::from(n), den: 10i128.pow(decimals) }),
            _ => Err(expected),
        }
    }

    /// `amount × ratio`, rounded down to the minor unit.
    pub fn times_floor(&self, amount: i128) -> i128 {
        amount * self.num / self.den
    }

    /// The ratio as decimal text.
    pub fn text(&self) -> String {
        let d = self.den.trailing_zeros_decimal();
        format_minor(self.num, d)
    }
}

trait DecimalZeros {
    fn trailing_zeros_decimal(self) -> u32;
}

impl DecimalZeros for i128 {
    /// For a power of ten, its exponent.
    fn trailing_zeros_decimal(self) -> u32 {
        let (mut n, mut k) = (self, 0);
        while n > 1 {
            n /= 10;
            k += 1;
        }
        k
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn amounts_for_people_are_grouped_exactly_in_each_style() {
        use super::{Currency, MoneyStyle};
        let cad = Currency::parse("CAD").unwrap();
        let fr = MoneyStyle { group: "\u{202f}", decimal: ",", code_first: false };
        let es = MoneyStyle { group: ".", decimal: ",", code_first: false };
        let en = MoneyStyle::ENGLISH;
        assert_eq!(cad.format_in(123_456_789, &en), "CAD 1,234,567.89");
        assert_eq!(cad.format_in(123_456_789, &fr), "1\u{202f}234\u{202f}567,89 CAD");
        assert_eq!(cad.format_in(123_456_789, &es), "1.234.567,89 CAD");
        assert_eq!(cad.format_in(-123_456_789, &en), "-CAD 1,234,567.89");
        assert_eq!(cad.format_in(-5, &fr), "-0,05 CAD");
        assert_eq!(cad.format_in(0, &es), "0,00 CAD");
        assert_eq!(cad.format_in(100_000, &en), "CAD 1,000.00");
        assert_eq!(cad.format_in(99_999, &es), "999,99 CAD");
        // Beyond what a float holds exactly: every digit kept.
        assert_eq!(cad.format_in(12_345_678_901_234_567_891, &en), "CAD 123,456,789,012,345,678.91");
        let krw = Currency::parse("KRW").unwrap();
        assert_eq!(krw.format_in(1_234_567, &fr), "1\u{202f}234\u{202f}567 KRW");
        assert_eq!(krw.format_in(-1000, &en), "-KRW 1,000");
    }

    use super::*;
    use serde_json::json;

    #[test]
    fn amounts_are_exact_and_refuse_what_could_have_lost_cents() {
        let cad = Currency::parse("CAD").unwrap();
        assert_eq!(cad.amount(&json!("1250.50")), Ok(125_050));
        assert_eq!(cad.amount(&json!("0.01")), Ok(1));
        assert_eq!(cad.amount(&json!(755000000)), Ok(75_500_000_000));
        for bad in
            [json!("1.005"), json!(10.5), json!("-3"), json!("0"), json!("1e3"), json!("1."), json!(".5"), json!("")]
        {
            assert!(cad.amount(&bad).is_err(), "{bad}");
        }
        let krw = Currency::parse("KRW").unwrap();
        assert!(krw.amount(&json!("10.5")).is_err());
        assert_eq!(cad.format(-125_050), "-1250.50");
        assert_eq!(krw.format(42), "42");
        assert!(Currency::parse("XYZ").unwrap_err().contains("CAD"));
    }

    #[test]
    fn ratios_are_exact() {
        let r = Ratio::parse(&json!("1.5")).unwrap();
        assert_eq!((r.num, r.den), (15, 10));
        assert_eq!(r.times_floor(101), 151);
        assert_eq!(r.text(), "1.5");
        assert_eq!(Ratio::parse(&json!(2)).unwrap().text(), "2");
        assert!(Ratio::parse(&json!("0")).is_err());
        assert!(Ratio::parse(&json!("1.23456")).is_err());
    }
}
