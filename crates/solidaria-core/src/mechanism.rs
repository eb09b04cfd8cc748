//! Financial mechanisms: the catalogue of ways an SSE organization may be financed, formal and
//! informal (a loan fund, a solidarity savings fund, a stokvel, a matchfunding call), each
//! offered by an actor, with its terms, who may use it, the context it relies on and its sources.
//!
//! A mechanism's **preconditions** are tests over a territory's context facts, written and
//! judged exactly like an innovation case's ([`crate::innovation::fit_preconditions`]): a fund
//! lent through credit unions needs adults to reach formal credit; a rotating savings group
//! needs local bonds of trust. [`fit`] says whether a mechanism fits a territory, and whether it
//! is offered there at all.

use crate::case::{Precondition, list, parse_precondition};
use crate::closed_list;
use crate::error::{FieldError, one_of};
use crate::finance::money::{Currency, currency_expected};
use crate::innovation::{Context, Fit, PreconditionFit, PreconditionResult, fit_preconditions};
use crate::legal_form::Family;
use crate::reader::Reader;
use crate::screening::Verdict;
use crate::territory::{TERRITORY_EXPECTED, TerritoryId};
use crate::text::{DATE_EXPECTED, ID_EXPECTED, Id, PartialDate, WebUrl};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::{Value, json};

closed_list! {
    /// What kind of financial mechanism.
    MechanismKind {
        /// Money given, not repaid.
        Grant = "grant",
        /// A loan.
        Loan = "loan",
        /// Patient capital repaid from revenue or with a participation.
        QuasiEquity = "quasi_equity",
        /// Equity or member shares held by investors.
        Equity = "equity",
        /// A guarantee of another lender's loan.
        Guarantee = "guarantee",
        /// Shares or bonds offered to a community (withdrawable shares, community bonds).
        CommunitySharesOrBonds = "community_shares_or_bonds",
        /// Savings placed in funds that invest a share in solidarity enterprises.
        SolidaritySavings = "solidarity_savings",
        /// Rotating or accumulating savings groups (tontines, stokvels).
        RotatingSavings = "rotating_savings",
        /// Crowdfunding whose contributions a public or private matcher tops up.
        Matchfunding = "matchfunding",
        /// Several of these combined (a fund of funds, public money matched by private).
        Blended = "blended",
    }
}

/// The terms of a mechanism: in words, and where known its typical tickets and interest.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Terms {
    /// The terms in words.
    pub text: Option<String>,
    /// The currency of the ticket sizes.
    pub currency: Option<Currency>,
    /// Typical smallest ticket, in minor units of `currency`.
    pub ticket_min: Option<i64>,
    /// Typical largest ticket, in minor units of `currency`.
    pub ticket_max: Option<i64>,
    /// Lowest typical interest rate, a fraction (0.04 for 4 %).
    pub interest_min: Option<f64>,
    /// Highest typical interest rate, a fraction.
    pub interest_max: Option<f64>,
}

impl Terms {
    /// True when nothing is known of the terms.
    pub fn is_empty(&self) -> bool {
        *self == Terms::default()
    }
}

/// Who may use a mechanism. Every part is optional; an empty part restricts nothing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MechanismEligibility {
    /// Legal-form families it serves.
    pub families: Vec<Family>,
    /// Screening profiles under which a user should have `verdict`.
    pub profiles: Vec<String>,
    /// The verdict those profiles should give (`qualifies` when profiles are named and this is
    /// absent).
    pub verdict: Option<Verdict>,
    /// Territories its users must be in (or within).
    pub territories: Vec<TerritoryId>,
}

impl MechanismEligibility {
    /// True when it restricts nothing.
    pub fn is_empty(&self) -> bool {
        *self == MechanismEligibility::default()
    }
}

/// A source a mechanism's description rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MechanismSource {
    /// The source, named in words.
    pub source: String,
    /// When it was published.
    pub date: Option<PartialDate>,
    /// A link to it.
    pub url: Option<WebUrl>,
    /// What it supports, or a caveat.
    pub note: Option<String>,
}

impl Serialize for MechanismSource {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("source", &self.source)?;
        if let Some(d) = &self.date {
            m.serialize_entry("date", d)?;
        }
        if let Some(u) = &self.url {
            m.serialize_entry("url", u)?;
        }
        if let Some(n) = &self.note {
            m.serialize_entry("note", n)?;
        }
        m.end()
    }
}

/// A financial mechanism (`"type": "mechanism"`).
#[derive(Debug, Clone, PartialEq)]
pub struct Mechanism {
    /// Stable id.
    pub id: Id,
    /// Name.
    pub name: String,
    /// What kind of mechanism.
    pub kind: MechanismKind,
    /// The actor that offers or runs it.
    pub provider: Id,
    /// Where it is offered; anywhere when absent.
    pub territory: Option<TerritoryId>,
    /// What it is, in words.
    pub description: Option<String>,
    /// Its terms.
    pub terms: Terms,
    /// Who may use it.
    pub eligibility: MechanismEligibility,
    /// The context it relies on, as innovation cases record theirs.
    pub preconditions: Vec<Precondition>,
    /// The sources of this description.
    pub sources: Vec<MechanismSource>,
    /// A note (e.g. that some figures are illustrative).
    pub note: Option<String>,
}

/// The fields of a mechanism record.
pub const MECHANISM_FIELDS: &[&str] = &[
    "type",
    "id",
    "name",
    "kind",
    "provider",
    "territory",
    "description",
    "terms",
    "eligibility",
    "preconditions",
    "sources",
    "note",
];

impl Mechanism {
    /// Parses a mechanism record, collecting every problem.
    pub(crate) fn parse(r: &mut Reader<'_>) -> Option<Self> {
        r.deny_unknown(MECHANISM_FIELDS);
        let id = r.req_parse("id", ID_EXPECTED, Id::parse);
        let name = r.req_text("name");
        let kind = r.req_parse("kind", &one_of(MechanismKind::NAMES), MechanismKind::parse);
        let provider = r.req_parse("provider", ID_EXPECTED, Id::parse);
        let territory = r.opt_parse("territory", |s| TerritoryId::parse(s).map_err(|_| TERRITORY_EXPECTED.to_string()));
        let description = r.opt_text("description");
        let terms = match r.get("terms") {
            None => Some(Terms::default()),
            Some(v) => parse_terms(v, &r.path("terms"), r.errors),
        };
        let eligibility = match r.get("eligibility") {
            None => Some(MechanismEligibility::default()),
            Some(v) => parse_eligibility(v, &r.path("eligibility"), r.errors),
        };
        let preconditions = list(r, "preconditions", parse_precondition);
        let sources = list(r, "sources", |item, path, errors| {
            let mut s = Reader::object(item, path, errors)?;
            s.deny_unknown(&["source", "date", "url", "note"]);
            let source = s.req_text("source");
            let date = s.opt_parse("date", |t| PartialDate::parse(t).map_err(|_| DATE_EXPECTED));
            let url = s.opt_parse("url", WebUrl::parse);
            let note = s.opt_text("note");
            Some(MechanismSource { source: source?, date, url, note })
        });
        let note = r.opt_text("note");
        Some(Mechanism {
            id: id?,
            name: name?,
            kind: kind?,
            provider: provider?,
            territory,
            description,
            terms: terms?,
            eligibility: eligibility?,
            preconditions,
            sources,
            note,
        })
    }

    /// The territories its eligibility or home names that are custom regions (they must exist).
    pub fn custom_territories(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Some(t) = self.territory.as_ref().filter(|t| t.is_custom()) {
            out.push(("territory".to_string(), t.to_string()));
        }
        for (i, t) in self.eligibility.territories.iter().enumerate().filter(|(_, t)| t.is_custom()) {
            out.push((format!("eligibility.territories[{i}]"), t.to_string()));
        }
        out
    }

    /// Whether its name or description contains `needle`, ignoring case (`needle` must already
    /// be lower-cased).
    pub fn mentions(&self, needle: &str) -> bool {
        [Some(&self.name), self.description.as_ref()].into_iter().flatten().any(|t| t.to_lowercase().contains(needle))
    }
}

impl Serialize for Terms {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(t) = &self.text {
            m.serialize_entry("text", t)?;
        }
        if let Some(c) = &self.currency {
            m.serialize_entry("currency", c.code())?;
            for (key, v) in [("ticket_min", self.ticket_min), ("ticket_max", self.ticket_max)] {
                if let Some(v) = v {
                    m.serialize_entry(key, &c.format(i128::from(v)))?;
                }
            }
        }
        for (key, v) in [("interest_min", self.interest_min), ("interest_max", self.interest_max)] {
            if let Some(v) = v {
                m.serialize_entry(key, &v)?;
            }
        }
        m.end()
    }
}

impl Serialize for MechanismEligibility {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if !self.families.is_empty() {
            m.serialize_entry("families", &self.families)?;
        }
        if !self.profiles.is_empty() {
            m.serialize_entry("profiles", &self.profiles)?;
        }
        if let Some(v) = self.verdict {
            m.serialize_entry("verdict", v.as_str())?;
        }
        if !self.territories.is_empty() {
            let t: Vec<String> = self.territories.iter().map(|t| t.to_string()).collect();
            m.serialize_entry("territories", &t)?;
        }
        m.end()
    }
}

fn parse_terms(v: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Terms> {
    let mut r = Reader::object(v, path, errors)?;
    r.deny_unknown(&["text", "currency", "ticket_min", "ticket_max", "interest_min", "interest_max"]);
    let text = r.opt_text("text");
    let currency = r.opt_parse("currency", |s| Currency::parse(s).map_err(|_| currency_expected()));
    let ticket = |r: &mut Reader<'_>, key: &str| {
        let v = r.get(key)?;
        let Some(c) = currency else {
            r.error(key, "no ticket without a currency (give terms.currency)", v);
            return None;
        };
        match c.amount(v) {
            Ok(m) => Some(m),
            Err(e) => {
                r.error(key, e, v);
                None
            }
        }
    };
    let ticket_min = ticket(&mut r, "ticket_min");
    let ticket_max = ticket(&mut r, "ticket_max");
    if let (Some(a), Some(b), Some(c)) = (ticket_min, ticket_max, currency)
        && a > b
    {
        r.error("ticket_max", "an amount at least ticket_min", &json!(c.format(i128::from(b))));
    }
    let interest_min = r.opt_number("interest_min", 0.0, 1.0);
    let interest_max = r.opt_number("interest_max", 0.0, 1.0);
    if let (Some(a), Some(b)) = (interest_min, interest_max)
        && a > b
    {
        r.error("interest_max", "a rate at least interest_min", &json!(b));
    }
    Some(Terms { text, currency, ticket_min, ticket_max, interest_min, interest_max })
}

fn parse_eligibility(v: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<MechanismEligibility> {
    let mut r = Reader::object(v, path, errors)?;
    r.deny_unknown(&["families", "profiles", "verdict", "territories"]);
    let families = r.opt_list("families", Family::parse);
    let profiles = r.opt_list("profiles", |s: &str| {
        if crate::screening::builtin::find(s).is_some() {
            Ok(s.to_string())
        } else {
            Err("the id of a built-in screening profile (solidaria profiles)".to_string())
        }
    });
    let verdict = r.opt_parse("verdict", |s: &str| {
        Verdict::parse(s).ok_or("one of \"qualifies\", \"does_not_qualify\", \"insufficient_evidence\"")
    });
    let territories = r.opt_list("territories", |s: &str| TerritoryId::parse(s).map_err(|_| TERRITORY_EXPECTED));
    Some(MechanismEligibility { families, profiles, verdict, territories })
}

/// Whether a mechanism is offered in a territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    /// Offered in the territory or a territory it is in, or anywhere.
    Offered,
    /// Offered elsewhere: a model the territory could adapt.
    Elsewhere,
}

/// A mechanism's fit with a territory: its preconditions against the territory's context, and
/// whether it is offered there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MechanismFit {
    /// The mechanism's id.
    pub mechanism: String,
    /// The territory judged.
    pub territory: String,
    /// Offered there, or elsewhere.
    pub availability: Availability,
    /// The fit.
    pub fit: Fit,
    /// Each precondition with its outcome and reason.
    pub preconditions: Vec<PreconditionResult>,
    /// What would have to change for it to work there.
    pub adaptations: Vec<String>,
}

/// The fit of `m` with `target`, whose context is `target_context` and whose chain (itself then
/// the territories it is in, nearest first) is `chain`.
pub fn fit(m: &Mechanism, target: &str, chain: &[String], target_context: &Context) -> MechanismFit {
    let PreconditionFit { fit, preconditions, adaptations } =
        fit_preconditions(&m.preconditions, "mechanism", target, target_context);
    let offered = m.territory.as_ref().is_none_or(|t| chain.iter().any(|c| c == t.as_str()));
    MechanismFit {
        mechanism: m.id.to_string(),
        territory: target.to_string(),
        availability: if offered { Availability::Offered } else { Availability::Elsewhere },
        fit,
        preconditions,
        adaptations,
    }
}

/// The order mechanisms are listed in for a territory: offered there first, then by fit (fits,
/// partial, unknown, does not fit), then by id.
pub fn rank(fits: &mut [(Mechanism, MechanismFit)]) {
    let fit_rank = |f: Fit| match f {
        Fit::Fits => 0,
        Fit::Partial => 1,
        Fit::Unknown => 2,
        Fit::DoesNotFit => 3,
    };
    fits.sort_by(|(a, fa), (b, fb)| {
        (fa.availability != Availability::Offered, fit_rank(fa.fit), a.id.as_str()).cmp(&(
            fb.availability != Availability::Offered,
            fit_rank(fb.fit),
            b.id.as_str(),
        ))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::{Fact, parse_typed};
    use crate::record::{Record, parse_record};
    use crate::vocab;

    fn mechanism(v: Value) -> Mechanism {
        match parse_record(&v) {
            Ok(Record::Mechanism(m)) => m,
            other => panic!("{other:?}"),
        }
    }

    fn credit_union_fund() -> Mechanism {
        mechanism(json!({
            "type": "mechanism", "id": "cu-fund", "name": "Loan fund lent through credit unions",
            "kind": "loan", "provider": "caisse", "territory": "CA-QC",
            "terms": {"text": "5-year loans", "currency": "CAD", "ticket_min": "5000", "ticket_max": "150000.50",
                      "interest_min": 0.04, "interest_max": 0.07},
            "eligibility": {"families": ["cooperative", "association"], "profiles": ["qc-2013"],
                            "verdict": "qualifies", "territories": ["CA-QC"]},
            "preconditions": [{"key": "context.formal_credit_access", "op": ">=", "value": 0.5,
                               "reason": "lent through credit unions, which borrowers must already use"}],
            "sources": [{"source": "An annual report", "date": "2023", "url": "https://example.org/r"}]
        }))
    }

    fn ctx(entries: &[(&str, Value, &str)]) -> Context {
        entries
            .iter()
            .map(|(k, v, from)| {
                let ty = vocab::spec(k).unwrap().ty;
                ((*k).to_string(), (Fact::bare(parse_typed(ty, v).unwrap()), (*from).to_string()))
            })
            .collect()
    }

    #[test]
    fn a_mechanism_round_trips_with_its_terms_in_exact_money() {
        let m = credit_union_fund();
        assert_eq!(m.terms.ticket_max, Some(15_000_050));
        let back = Record::Mechanism(m.clone()).to_json();
        assert_eq!(back["terms"]["ticket_max"], "150000.50");
        assert_eq!(back["eligibility"]["families"], json!(["cooperative", "association"]));
        assert_eq!(mechanism(back), m);
    }

    #[test]
    fn bad_fields_are_each_reported() {
        let v = json!({"type": "mechanism", "id": "m", "name": "M", "kind": "tontine", "provider": "p",
                       "terms": {"ticket_min": "10"}, "eligibility": {"families": ["coop"]},
                       "sources": [{"url": "https://x.org"}]});
        let errors = parse_record(&v).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"kind"), "{fields:?}");
        assert!(fields.contains(&"terms.ticket_min"), "{fields:?}");
        assert!(fields.contains(&"eligibility.families[0]"), "{fields:?}");
        assert!(fields.contains(&"sources[0].source"), "{fields:?}");
    }

    #[test]
    fn a_credit_union_fund_does_not_fit_where_few_adults_borrow_formally() {
        let m = credit_union_fund();
        let gauteng = ctx(&[("context.formal_credit_access", json!(0.12), "ZA")]);
        let chain = vec!["ZA-GP".to_string(), "ZA".to_string()];
        let f = fit(&m, "ZA-GP", &chain, &gauteng);
        assert_eq!(f.fit, Fit::DoesNotFit);
        assert_eq!(f.availability, Availability::Elsewhere);
        assert!(
            f.preconditions[0].reason.contains("is 0.12 (from ZA); the mechanism needs >= 0.5"),
            "{}",
            f.preconditions[0].reason
        );
        assert!(f.adaptations[0].contains("the mechanism does not fit as it is"), "{:?}", f.adaptations);
        let quebec = ctx(&[("context.formal_credit_access", json!(0.9), "CA")]);
        let chain = vec!["CA-QC".to_string(), "CA".to_string()];
        let f = fit(&m, "CA-QC", &chain, &quebec);
        assert_eq!((f.fit, f.availability), (Fit::Fits, Availability::Offered));
        // Nothing documented: unknown, never assumed.
        assert_eq!(fit(&m, "CA-QC", &chain, &Context::new()).fit, Fit::Unknown);
    }

    #[test]
    fn offered_mechanisms_come_first_then_by_fit() {
        let m = credit_union_fund();
        let mut other = m.clone();
        other.id = Id::parse("a-anywhere").unwrap();
        other.territory = None;
        other.preconditions.clear();
        let chain = vec!["ZA".to_string()];
        let za = ctx(&[("context.formal_credit_access", json!(0.12), "ZA")]);
        let mut fits = vec![(m.clone(), fit(&m, "ZA", &chain, &za)), (other.clone(), fit(&other, "ZA", &chain, &za))];
        rank(&mut fits);
        assert_eq!(fits[0].0.id.as_str(), "a-anywhere");
        assert_eq!(fits[0].1.availability, Availability::Offered);
    }

    #[test]
    fn an_organization_sees_each_condition_of_a_mechanism_with_its_reason() {
        use crate::finance::eligibility::{Applicant, ProfileVerdict, Status, check_mechanism, status};
        use crate::screening::Verdict;
        let m = credit_union_fund();
        let quebec = ctx(&[("context.formal_credit_access", json!(0.9), "CA")]);
        let chain = vec!["CA-QC".to_string(), "CA".to_string()];
        let f = fit(&m, "CA-QC", &chain, &quebec);
        let qualifies = [ProfileVerdict { profile: "qc-2013".into(), verdict: Verdict::Qualifies, to_decide: vec![] }];
        let a = Applicant { verdicts: &qualifies, territory_chain: &chain, readiness: None };
        let checks = check_mechanism(&m, Some(Family::Cooperative), &a, Some(&f));
        let conditions: Vec<&str> = checks.iter().map(|c| c.condition.as_str()).collect();
        assert_eq!(conditions, ["family", "territory", "profile:qc-2013", "offered", "context"]);
        assert_eq!(status(&checks), Status::Met, "{checks:?}");

        // An informal group in Gauteng: each failing condition says why; nothing is assumed.
        let gauteng = ctx(&[("context.formal_credit_access", json!(0.12), "ZA")]);
        let za = vec!["ZA-GP".to_string(), "ZA".to_string()];
        let f = fit(&m, "ZA-GP", &za, &gauteng);
        let undecided = [ProfileVerdict {
            profile: "qc-2013".into(),
            verdict: Verdict::InsufficientEvidence,
            to_decide: vec![vec!["governance.voting_rule".into()]],
        }];
        let a = Applicant { verdicts: &undecided, territory_chain: &za, readiness: None };
        let checks = check_mechanism(&m, Some(Family::InformalGroup), &a, Some(&f));
        let why = |c: &str| checks.iter().find(|x| x.condition == c).map(|x| (x.status, x.reason.clone())).unwrap();
        assert_eq!(why("family"), (Status::Unmet, "serves cooperative, association, not informal_group".into()));
        assert_eq!(why("territory").0, Status::Unmet);
        assert!(why("territory").1.contains("open to organizations in CA-QC; the organization is in ZA-GP"));
        assert_eq!(why("profile:qc-2013").0, Status::Unknown);
        assert_eq!(why("offered"), (Status::Unmet, "offered in CA-QC, not in ZA-GP: a model to adapt there".into()));
        assert_eq!(why("context").0, Status::Unmet);
        assert!(why("context").1.contains("is 0.12 (from ZA); the mechanism needs >= 0.5"), "{:?}", why("context"));

        // No legal form and no territory: unknown, naming the facts to document.
        let a = Applicant { verdicts: &qualifies, territory_chain: &[], readiness: None };
        let checks = check_mechanism(&m, None, &a, None);
        assert_eq!(status(&checks), Status::Unknown);
        let missing = crate::finance::eligibility::missing(&checks);
        assert_eq!(missing, ["legal_form.family", "territory"]);
    }
}
