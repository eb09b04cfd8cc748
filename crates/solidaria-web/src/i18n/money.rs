//! Amounts of money in the page's language (`[money]`): `CAD 1,234,567.89` in English,
//! `1 234 567,89 CAD` in French (a narrow no-break space between thousands), `1.234.567,89 CAD`
//! in Spanish; written from the minor units' digits by the core, never through a float.

use super::Messages;
use serde::Deserialize;
use solidaria_core::finance::money::{Currency, MoneyStyle};

/// How the language writes amounts (`[money]`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoneyWords {
    /// Between groups of three digits.
    pub group: String,
    /// Before the decimals.
    pub decimal: String,
    /// Whether the currency code comes before the number.
    pub code_first: bool,
}

impl Messages {
    /// The language's way of writing amounts, for the core's formatter and charts.
    pub fn money_style(&self) -> MoneyStyle<'_> {
        MoneyStyle { group: &self.money.group, decimal: &self.money.decimal, code_first: self.money.code_first }
    }

    /// An amount in minor units of `currency`, written in this language.
    pub fn money(&self, currency: Currency, minor: i128) -> String {
        currency.format_in(minor, &self.money_style())
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::messages;
    use solidaria_core::finance::money::Currency;

    fn cad() -> Currency {
        Currency::parse("CAD").expect("a known currency")
    }

    #[test]
    fn english_amounts_put_the_code_first_and_group_with_commas() {
        let t = messages("en");
        assert_eq!(t.money(cad(), 123_456_789), "CAD 1,234,567.89");
        assert_eq!(t.money(cad(), -123_456_789), "-CAD 1,234,567.89");
        assert_eq!(t.money(cad(), 0), "CAD 0.00");
        assert_eq!(t.money(cad(), 7), "CAD 0.07");
    }

    #[test]
    fn french_amounts_group_with_a_narrow_no_break_space_and_a_decimal_comma() {
        let t = messages("fr");
        assert_eq!(t.money(cad(), 123_456_789), "1\u{202f}234\u{202f}567,89 CAD");
        assert_eq!(t.money(cad(), -123_456_789), "-1\u{202f}234\u{202f}567,89 CAD");
        assert_eq!(t.money(cad(), 0), "0,00 CAD");
        assert_eq!(t.money(cad(), 99_999), "999,99 CAD");
    }

    #[test]
    fn spanish_amounts_group_with_dots_and_a_decimal_comma() {
        let t = messages("es");
        assert_eq!(t.money(cad(), 123_456_789), "1.234.567,89 CAD");
        assert_eq!(t.money(cad(), -123_456_789), "-1.234.567,89 CAD");
        assert_eq!(t.money(cad(), 0), "0,00 CAD");
        // Digits a float would round, kept exactly.
        assert_eq!(t.money(cad(), 9_007_199_254_740_993), "90.071.992.547.409,93 CAD");
    }
}
