//! Ledger transactions as written in files: what happened to a fund's money, on which day,
//! with whom.

use super::fund::{Fund, Instrument};
use crate::closed_list;
use crate::error::FieldError;
use crate::reader::Reader;
use crate::text::{DATE_EXPECTED, ID_EXPECTED, Id, PartialDate};
use serde_json::{Value, json};

closed_list! {
    /// What a transaction does.
    Kind {
        /// An investor or public source commits money to the fund (`source`, `counterparty`).
        Commitment = "commitment",
        /// Private money received (`counterparty`: the investor or contributor).
        Receipt = "receipt",
        /// Public money drawn from a public source (limited by the release rule).
        Drawdown = "drawdown",
        /// Money invested in an organization (`counterparty`: the investee; `instrument`).
        Investment = "investment",
        /// Principal repaid by an investee.
        Repayment = "repayment",
        /// Interest or return paid by an investee.
        Interest = "interest",
        /// Principal written off (lost).
        WriteOff = "write_off",
        /// A fee paid out of the fund.
        Fee = "fee",
        /// The exact opposite of an earlier transaction (`of`): the only way to correct one.
        Reversal = "reversal",
    }
}

closed_list! {
    /// Whose money a commitment is.
    Source {
        /// A government or public agency.
        Public = "public",
        /// Private investors, foundations, citizens.
        Private = "private",
    }
}

/// A transaction of a fund's ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct Transaction {
    /// Its id, unique across the ledger.
    pub id: Id,
    /// The fund.
    pub fund: Id,
    /// The day it happened (`YYYY-MM-DD`).
    pub date: PartialDate,
    /// What it does.
    pub kind: Kind,
    /// Amount in the fund's minor units (for a reversal, the original's; checked equal).
    pub amount: i64,
    /// Whose money (commitments).
    pub source: Option<Source>,
    /// The other party: investor, public source, investee.
    pub counterparty: Option<Id>,
    /// The instrument of an investment.
    pub instrument: Option<Instrument>,
    /// The transaction a reversal reverses.
    pub of: Option<Id>,
    /// A note (a contract number, a reason).
    pub note: Option<String>,
}

/// The expected-value wordings, made once (a transaction file has millions of lines).
static KIND_EXPECTED: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| crate::error::one_of(Kind::NAMES));
static INSTRUMENT_EXPECTED: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| crate::error::one_of(Instrument::NAMES));

const FIELDS: &[&str] =
    &["type", "id", "fund", "date", "kind", "amount", "source", "counterparty", "instrument", "of", "note"];

/// The fund id a transaction record names, read before the fund is known (its currency is needed
/// to read the amount).
pub fn fund_of(value: &Value) -> Option<&str> {
    value.get("fund").and_then(Value::as_str)
}

impl Transaction {
    /// Reads a transaction record of `fund`, every problem located.
    pub fn parse(value: &Value, fund: &Fund) -> Result<Transaction, Vec<FieldError>> {
        let mut errors = Vec::new();
        let t = {
            let Some(mut r) = Reader::object(value, "", &mut errors) else { return Err(errors) };
            r.deny_unknown(FIELDS);
            if r.get("type").and_then(Value::as_str) != Some("transaction") {
                let found = r.get("type").cloned().unwrap_or(Value::Null);
                r.error("type", "\"transaction\"", &found);
            }
            let id = r.req_parse("id", ID_EXPECTED, Id::parse);
            let fund_id = r.req_parse("fund", ID_EXPECTED, Id::parse);
            let date = r.req_parse("date", "a day as YYYY-MM-DD", |s: &str| match PartialDate::parse(s) {
                Ok(d) if s.len() == 10 => Ok(d),
                _ => Err(format!("a day as YYYY-MM-DD ({DATE_EXPECTED} with the day)")),
            });
            let kind = r.req_parse("kind", &KIND_EXPECTED, Kind::parse);
            let amount = match r.get("amount") {
                None => {
                    let f = r.path("amount");
                    r.errors.push(FieldError::missing(f, "an amount above zero as text"));
                    None
                }
                Some(v) => match fund.currency.amount(v) {
                    Ok(m) => Some(m),
                    Err(e) => {
                        r.error("amount", e, v);
                        None
                    }
                },
            };
            let source = r.opt_parse("source", Source::parse);
            let counterparty = r.opt_parse("counterparty", Id::parse);
            let instrument = r.opt_parse("instrument", Instrument::parse);
            let of = r.opt_parse("of", Id::parse);
            let note = r.opt_text("note");
            if let Some(f) = &fund_id
                && f != &fund.id
            {
                r.error("fund", format!("the fund \"{}\"", fund.id), &json!(f.as_str()));
            }
            let need = |r: &mut Reader<'_>, present: bool, key: &str, what: &str| {
                if !present {
                    let f = r.path(key);
                    r.errors.push(FieldError::missing(f, what));
                }
            };
            match kind {
                Some(Kind::Commitment) => need(&mut r, source.is_some(), "source", "\"public\" or \"private\""),
                Some(Kind::Investment) => {
                    need(&mut r, counterparty.is_some(), "counterparty", "the investee's actor id");
                    need(&mut r, instrument.is_some(), "instrument", &INSTRUMENT_EXPECTED);
                }
                Some(Kind::Repayment | Kind::Interest | Kind::WriteOff) => {
                    need(&mut r, counterparty.is_some(), "counterparty", "the investee's actor id")
                }
                Some(Kind::Reversal) => need(&mut r, of.is_some(), "of", "the id of the transaction reversed"),
                _ => {}
            }
            // Only a reversal names another transaction: the ledger keeps `of` as what a
            // transaction reverses, at most once each.
            if let (Some(k), Some(o)) = (kind, &of)
                && k != Kind::Reversal
            {
                r.error("of", "no \"of\" (only a reversal names the transaction it reverses)", &json!(o.as_str()));
            }
            match (id, fund_id, date, kind, amount) {
                (Some(id), Some(fund), Some(date), Some(kind), Some(amount)) => {
                    Some(Transaction { id, fund, date, kind, amount, source, counterparty, instrument, of, note })
                }
                _ => None,
            }
        };
        match t {
            Some(t) if errors.is_empty() => Ok(t),
            _ => Err(errors),
        }
    }

    /// The canonical JSON text: [`Transaction::to_json`] written straight to text (the ledger
    /// stores it with every posting, and compares it when an id is posted again).
    pub fn to_json_string(&self, fund: &Fund) -> String {
        #[derive(serde::Serialize)]
        struct Canonical<'a> {
            #[serde(rename = "type")]
            ty: &'static str,
            id: &'a str,
            fund: &'a str,
            date: &'a str,
            kind: &'static str,
            amount: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            source: Option<&'static str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            counterparty: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            instrument: Option<&'static str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            of: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            note: Option<&'a str>,
        }
        let c = Canonical {
            ty: "transaction",
            id: self.id.as_str(),
            fund: self.fund.as_str(),
            date: self.date.as_str(),
            kind: self.kind.as_str(),
            amount: fund.currency.format(i128::from(self.amount)),
            source: self.source.map(|s| s.as_str()),
            counterparty: self.counterparty.as_ref().map(|c| c.as_str()),
            instrument: self.instrument.map(|i| i.as_str()),
            of: self.of.as_ref().map(|o| o.as_str()),
            note: self.note.as_deref(),
        };
        serde_json::to_string(&c).unwrap_or_default()
    }

    /// The canonical JSON record (what "the same content" means for a repeated id).
    pub fn to_json(&self, fund: &Fund) -> Value {
        let mut v = json!({
            "type": "transaction", "id": self.id, "fund": self.fund, "date": self.date.as_str(),
            "kind": self.kind.as_str(), "amount": fund.currency.format(i128::from(self.amount)),
        });
        if let Some(s) = self.source {
            v["source"] = json!(s.as_str());
        }
        if let Some(c) = &self.counterparty {
            v["counterparty"] = json!(c);
        }
        if let Some(i) = self.instrument {
            v["instrument"] = json!(i.as_str());
        }
        if let Some(o) = &self.of {
            v["of"] = json!(o);
        }
        if let Some(n) = &self.note {
            v["note"] = json!(n);
        }
        v
    }
}
