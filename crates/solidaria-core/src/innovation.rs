//! The innovation commons' judgements: how strong a social innovation is, and whether a case fits
//! a new context.
//!
//! **Strength** screens a case against the `si-strength` profile and classes it by a rule in which
//! no dimension buys off another (there is no score to offset):
//!
//! 1. `weak` when the innovation is not lasting (`permanence` fails) or not collective
//!    (`collective_action` fails), or when two or more core dimensions fail;
//! 2. otherwise `undetermined` while a core dimension is unknown (its evidence is missing);
//! 3. `strong` when every core dimension passes and no complementary dimension fails;
//! 4. `intermediate` otherwise (one core dimension fails, or a complementary one does).
//!
//! **Transferability** tests a case's preconditions against the target territory's context facts,
//! each read from the territory or, failing that, from the nearest territory it is nested in. The
//! fit is `does_not_fit` when an essential precondition fails, `partial` when only supportive
//! ones fail, `unknown` when none fails but an essential one cannot be tested (or the case records
//! no precondition at all), `fits` otherwise.
//! **Similarity** compares the case's home context with the target's over the context keys both
//! document (see [`similarity`]).

use crate::case::{Case, Op, Precondition, PreconditionKind};
use crate::fact::{Fact, FactValue};
use crate::screening::profile::Kind;
use crate::screening::{Outcome, Screening, screen};
use crate::vocab::{self, FactType};
use serde::Serialize;
use std::collections::BTreeMap;

/// The id of the strength profile.
pub const STRENGTH_PROFILE: &str = "si-strength";

/// The core dimensions; the others of the profile are complementary.
pub const CORE: [&str; 4] = ["community_empowerment", "root_causes", "collective_action", "permanence"];

/// How strong a social innovation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// Collective, addressing root causes, empowering and lasting.
    Strong,
    /// Strong on most dimensions, short on one.
    Intermediate,
    /// Piecemeal, one-off or not collective.
    Weak,
    /// A core dimension lacks evidence, and the class depends on it.
    Undetermined,
}

impl Strength {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Strong => "strong",
            Strength::Intermediate => "intermediate",
            Strength::Weak => "weak",
            Strength::Undetermined => "undetermined",
        }
    }
}

/// A case's strength with the screening it rests on and the rule that decided. Written as
/// `{"case", "class", "rule", "profile_version", "dimensions": [{"id", "outcome", "reason",
/// "citation", …}], "facts_used"}`.
#[derive(Debug, Clone)]
pub struct Assessment<'a> {
    /// The case's id.
    pub case: &'a str,
    /// The class.
    pub class: Strength,
    /// Which step of the rule decided, in words.
    pub rule: String,
    /// The same step as data.
    pub decided: Decided,
    /// The screening under the strength profile: each dimension with its outcome, reason and
    /// citation.
    pub screening: Screening<'a>,
}

impl Serialize for Assessment<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("case", self.case)?;
        m.serialize_entry("class", &self.class)?;
        m.serialize_entry("rule", &self.rule)?;
        m.serialize_entry("profile", self.screening.profile)?;
        m.serialize_entry("profile_version", self.screening.profile_version)?;
        m.serialize_entry("dimensions", &self.screening.criteria)?;
        m.serialize_entry("facts_used", &self.screening.facts_used)?;
        m.end()
    }
}

/// Which step of the strength rule decided, with the dimensions (criterion ids of the strength
/// profile) it names, for a shell to phrase in its language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decided {
    /// A decisive dimension (`permanence` or `collective_action`) fails: weak.
    DecisiveFails(&'static str),
    /// Two core dimensions or more fail: weak.
    CoreFail(Vec<&'static str>),
    /// Core dimensions without evidence: undetermined.
    NoEvidence(Vec<&'static str>),
    /// Every core dimension passes and no complementary one fails: strong.
    AllPass,
    /// Every core dimension passes but these complementary ones fail: intermediate.
    ComplementaryFail(Vec<String>),
    /// One core dimension fails: intermediate.
    OneCoreFails(&'static str),
}

impl Decided {
    /// The step in English (an [`Assessment`]'s `rule`).
    pub fn english(&self) -> String {
        match self {
            Decided::DecisiveFails(d) => {
                format!("weak: the {} dimension fails, and nothing makes up for it", d.replace('_', " "))
            }
            Decided::CoreFail(v) => format!("weak: {} core dimensions fail ({})", v.len(), v.join(", ")),
            Decided::NoEvidence(v) => format!("undetermined: no evidence yet on {}", v.join(", ")),
            Decided::AllPass => "strong: every core dimension passes and no complementary one fails".into(),
            Decided::ComplementaryFail(v) => {
                format!("intermediate: every core dimension passes, but {} fails", v.join(", "))
            }
            Decided::OneCoreFails(d) => format!("intermediate: one core dimension fails ({d})"),
        }
    }
}

/// Classes a screening of a case under `si-strength` (see the module documentation for the rule).
pub fn classify(s: &Screening<'_>) -> (Strength, String) {
    let (class, decided) = decide(s);
    (class, decided.english())
}

/// Classes a screening of a case under `si-strength`, saying which step of the rule decided.
pub fn decide(s: &Screening<'_>) -> (Strength, Decided) {
    let core = |id: &str| s.criteria.iter().find(|c| c.id == id).map_or(Outcome::Unknown, |c| c.outcome);
    let failing: Vec<&'static str> = CORE.iter().copied().filter(|d| core(d) == Outcome::Fail).collect();
    let unknown: Vec<&'static str> = CORE.iter().copied().filter(|d| core(d) == Outcome::Unknown).collect();
    let complementary_failing: Vec<String> = s
        .criteria
        .iter()
        .filter(|c| c.kind == Kind::Indicative && c.outcome == Outcome::Fail)
        .map(|c| c.id.to_string())
        .collect();
    for decisive in ["permanence", "collective_action"] {
        if failing.contains(&decisive) {
            return (Strength::Weak, Decided::DecisiveFails(decisive));
        }
    }
    if failing.len() >= 2 {
        return (Strength::Weak, Decided::CoreFail(failing));
    }
    if !unknown.is_empty() {
        return (Strength::Undetermined, Decided::NoEvidence(unknown));
    }
    match (failing.first(), complementary_failing.is_empty()) {
        (None, true) => (Strength::Strong, Decided::AllPass),
        (None, false) => (Strength::Intermediate, Decided::ComplementaryFail(complementary_failing)),
        (Some(d), _) => (Strength::Intermediate, Decided::OneCoreFails(d)),
    }
}

/// Assesses a case's strength under a strength profile (normally the built-in `si-strength`).
pub fn assess<'a>(profile: &'a crate::screening::profile::Profile, case: &'a Case) -> Assessment<'a> {
    let screening = screen(profile, case);
    let (class, decided) = decide(&screening);
    Assessment { case: case.id.as_str(), class, rule: decided.english(), decided, screening }
}

/// A territory's context: each `context.*` fact with the territory it was read from.
pub type Context = BTreeMap<String, (Fact, String)>;

/// The context of a territory: its own facts, then those of the territories it is nested in,
/// nearest first, each key taken from the nearest territory that documents it. `chain` is the
/// territory and its ancestors, nearest first, with their facts.
pub fn context<'a>(chain: impl IntoIterator<Item = (&'a str, &'a crate::fact::Facts)>) -> Context {
    let mut out = Context::new();
    for (id, facts) in chain {
        for (k, f) in facts {
            if k.starts_with("context.") && !out.contains_key(k) {
                out.insert(k.clone(), (f.clone(), id.to_string()));
            }
        }
    }
    out
}

/// The outcome of one precondition in a target context.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreconditionResult {
    /// The context key.
    pub key: String,
    /// Essential or supportive.
    pub kind: PreconditionKind,
    /// `pass`, `fail` or `unknown`.
    pub outcome: Outcome,
    /// Why: the value found and where, what the case (or mechanism) needs, and why it matters.
    pub reason: String,
}

/// How well a case (or a financial mechanism) fits a context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fit {
    /// Every essential precondition holds (and no supportive one fails).
    Fits,
    /// Only supportive preconditions fail: it can work with adaptations.
    Partial,
    /// No precondition fails, but an essential one cannot be tested.
    Unknown,
    /// An essential precondition fails.
    DoesNotFit,
}

/// A case carried to a territory.
#[derive(Debug, Clone, Serialize)]
pub struct Transfer {
    /// The case's id.
    pub case: String,
    /// The target territory.
    pub territory: String,
    /// The fit.
    pub fit: Fit,
    /// Each precondition, in the case's order.
    pub preconditions: Vec<PreconditionResult>,
    /// How alike the home and target contexts are, from 0 to 1, and over which keys.
    pub similarity: Similarity,
    /// What would have to change for the case to work in the target context.
    pub adaptations: Vec<String>,
}

fn compare(found: &FactValue, op: Op, want: &serde_json::Value) -> Option<bool> {
    let as_num = |v: &FactValue| match v {
        FactValue::Number(x) => Some(*x),
        FactValue::Count(n) => Some(*n as f64),
        _ => None,
    };
    let eq = |w: &serde_json::Value| -> Option<bool> {
        Some(match (found, w) {
            (FactValue::Bool(a), serde_json::Value::Bool(b)) => a == b,
            (FactValue::Choice(a), serde_json::Value::String(b)) => a == b,
            (v, serde_json::Value::Number(n)) => as_num(v)? == n.as_f64()?,
            _ => return None,
        })
    };
    match op {
        Op::Eq => eq(want),
        Op::Ne => eq(want).map(|b| !b),
        Op::In => want.as_array()?.iter().map(eq).try_fold(false, |acc, b| b.map(|b| acc || b)),
        Op::NotIn => want.as_array()?.iter().map(eq).try_fold(true, |acc, b| b.map(|b| acc && !b)),
        Op::Lt | Op::Le | Op::Gt | Op::Ge => {
            let (x, y) = (as_num(found)?, want.as_f64()?);
            Some(match op {
                Op::Lt => x < y,
                Op::Le => x <= y,
                Op::Gt => x > y,
                _ => x >= y,
            })
        }
    }
}

fn show(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items.iter().map(show).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// Preconditions (of a case or a financial mechanism) tested against a target context: each
/// one's outcome and reason, the fit, and what would have to change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreconditionFit {
    /// The fit.
    pub fit: Fit,
    /// Each precondition, in the order given.
    pub preconditions: Vec<PreconditionResult>,
    /// What would have to change for the subject to work in the target context.
    pub adaptations: Vec<String>,
}

/// Tests `preconditions` against the context of `target` (see the module documentation for the
/// fit). `subject` names what carries them in the reasons ("case", "mechanism"). Shared by case
/// transfer and the fit of financial mechanisms, so both judge a context the same way.
pub fn fit_preconditions(
    preconditions: &[Precondition],
    subject: &str,
    target: &str,
    target_context: &Context,
) -> PreconditionFit {
    let mut results = Vec::new();
    let mut adaptations = Vec::new();
    for p in preconditions {
        let needed = format!("{} {}", p.op.as_str(), show(&p.value));
        let why = p.reason.as_deref().map(|r| format!(" — {r}")).unwrap_or_default();
        let (outcome, reason) = match target_context.get(&p.key) {
            None => (
                Outcome::Unknown,
                format!("{} is not documented for {target} or the territories it is in (needed: {needed}){why}", p.key),
            ),
            Some((fact, from)) => {
                let at = if from == target { String::new() } else { format!(" (from {from})") };
                let value = fact.value.display();
                match compare(&fact.value, p.op, &p.value) {
                    Some(true) => (Outcome::Pass, format!("{} is {value}{at}, as needed ({needed}){why}", p.key)),
                    Some(false) => {
                        (Outcome::Fail, format!("{} is {value}{at}; the {subject} needs {needed}{why}", p.key))
                    }
                    None => {
                        (Outcome::Unknown, format!("{} is {value}{at}, which cannot be compared with {needed}", p.key))
                    }
                }
            }
        };
        if outcome == Outcome::Fail {
            let what = if p.kind == PreconditionKind::Essential {
                format!("essential, so the {subject} does not fit as it is")
            } else {
                "supportive: adapt".to_string()
            };
            adaptations.push(format!("{} ({what}): {}", p.key, p.reason.as_deref().unwrap_or("no reason recorded")));
        }
        results.push(PreconditionResult { key: p.key.clone(), kind: p.kind, outcome, reason });
    }
    let essential = |o: Outcome| results.iter().any(|r| r.kind == PreconditionKind::Essential && r.outcome == o);
    // A subject that records no precondition says nothing of what it needs: its fit is unknown,
    // not assumed.
    let fit = if results.is_empty() {
        Fit::Unknown
    } else if essential(Outcome::Fail) {
        Fit::DoesNotFit
    } else if results.iter().any(|r| r.outcome == Outcome::Fail) {
        Fit::Partial
    } else if essential(Outcome::Unknown) {
        Fit::Unknown
    } else {
        Fit::Fits
    };
    PreconditionFit { fit, preconditions: results, adaptations }
}

/// Carries a case to a territory: its preconditions against the target context, the fit, the
/// similarity with the case's home context, and the adaptations needed.
pub fn transfer(case: &Case, target: &str, target_context: &Context, home_context: &Context) -> Transfer {
    let PreconditionFit { fit, preconditions, adaptations } =
        fit_preconditions(&case.preconditions, "case", target, target_context);
    Transfer {
        case: case.id.to_string(),
        territory: target.to_string(),
        fit,
        preconditions,
        similarity: similarity(home_context, target_context),
        adaptations,
    }
}

/// How alike two contexts are.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Similarity {
    /// From 0 (opposite on every key compared) to 1 (identical); `null` when no key is
    /// documented in both.
    pub score: Option<f64>,
    /// The keys compared, each with its distance (0 to 1).
    pub compared: BTreeMap<String, f64>,
}

/// The similarity of two contexts: one minus the mean distance over the `context.*` keys both
/// document. Distances: booleans and unordered values 0 if equal, else 1; ordered scales
/// (income level, urbanisation, low/medium/high, social-finance market) the difference of ranks
/// divided by the largest possible difference; shares the absolute difference; counts the
/// difference divided by the larger of the two. Keys documented on one side only are not compared
/// (and say nothing): the measure is over what is known.
pub fn similarity(a: &Context, b: &Context) -> Similarity {
    let mut compared = BTreeMap::new();
    for (key, (fa, _)) in a {
        let Some((fb, _)) = b.get(key) else { continue };
        let Some(spec) = vocab::spec(key) else { continue };
        let d = match (spec.ty, &fa.value, &fb.value) {
            (FactType::Enum(values), FactValue::Choice(x), FactValue::Choice(y)) => {
                let (i, j) = (values.iter().position(|v| v == x), values.iter().position(|v| v == y));
                match (i, j) {
                    (Some(i), Some(j)) if values.len() > 1 => (i as f64 - j as f64).abs() / (values.len() - 1) as f64,
                    _ => f64::from(u8::from(x != y)),
                }
            }
            (_, FactValue::Bool(x), FactValue::Bool(y)) => f64::from(u8::from(x != y)),
            (FactType::Count, FactValue::Count(x), FactValue::Count(y)) => {
                let m = (*x).max(*y) as f64;
                if m == 0.0 { 0.0 } else { (*x as f64 - *y as f64).abs() / m }
            }
            (_, FactValue::Number(x), FactValue::Number(y)) => (x - y).abs().min(1.0),
            _ => continue,
        };
        compared.insert(key.clone(), (d * 1000.0).round() / 1000.0);
    }
    let score = (!compared.is_empty()).then(|| {
        let mean = compared.values().sum::<f64>() / compared.len() as f64;
        ((1.0 - mean) * 1000.0).round() / 1000.0
    });
    Similarity { score, compared }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::PreconditionKind;
    use crate::screening::builtin;
    use crate::text::Id;
    use serde_json::json;

    fn case(facts: &[(&str, FactValue)]) -> Case {
        let mut c = Case {
            id: Id::parse("c").unwrap(),
            name: "C".into(),
            territory: None,
            year: None,
            kind: None,
            problem: None,
            root_causes: None,
            approach: None,
            outcomes: None,
            evidence: None,
            actors: Vec::new(),
            facts: Default::default(),
            preconditions: Vec::new(),
        };
        for (k, v) in facts {
            c.facts.insert((*k).into(), Fact::bare(v.clone()));
        }
        c
    }

    fn class(facts: &[(&str, FactValue)]) -> (Strength, String) {
        let p = builtin::find(STRENGTH_PROFILE).unwrap();
        let c = case(facts);
        let a = assess(p, &c);
        (a.class, a.rule)
    }

    fn b(x: bool) -> FactValue {
        FactValue::Bool(x)
    }

    fn strong_facts() -> Vec<(&'static str, FactValue)> {
        vec![
            ("si.community_empowerment", b(true)),
            ("si.addresses_root_causes", b(true)),
            ("si.collective_action", b(true)),
            ("si.actor_types", FactValue::Count(4)),
            ("si.led_by", FactValue::Choice("sse_organization".into())),
            ("si.permanence", FactValue::Choice("organization".into())),
            ("si.democratic_governance", b(true)),
        ]
    }

    fn with(
        mut facts: Vec<(&'static str, FactValue)>,
        key: &'static str,
        v: FactValue,
    ) -> Vec<(&'static str, FactValue)> {
        facts.retain(|(k, _)| *k != key);
        facts.push((key, v));
        facts
    }

    #[test]
    fn strength_classes_follow_a_rule_without_offsetting() {
        assert_eq!(class(&strong_facts()).0, Strength::Strong);
        // A one-off stays weak however strong the rest is.
        let one_off = with(strong_facts(), "si.permanence", FactValue::Choice("one_off".into()));
        let (c, rule) = class(&one_off);
        assert_eq!(c, Strength::Weak);
        assert!(rule.contains("permanence"), "{rule}");
        // A company acting alone is not collective action.
        let csr = with(strong_facts(), "si.led_by", FactValue::Choice("corporate".into()));
        assert_eq!(class(&csr).0, Strength::Weak);
        // One core dimension short: intermediate; two: weak.
        let no_roots = with(strong_facts(), "si.addresses_root_causes", b(false));
        assert_eq!(class(&no_roots).0, Strength::Intermediate);
        let two = with(no_roots, "si.community_empowerment", b(false));
        assert_eq!(class(&two).0, Strength::Weak);
        // A complementary dimension failing keeps it from strong.
        let undemocratic = with(strong_facts(), "si.democratic_governance", b(false));
        assert_eq!(class(&undemocratic).0, Strength::Intermediate);
        // Missing evidence on a core dimension: undetermined, unless a decisive failure settles it.
        let mut unknown = strong_facts();
        unknown.retain(|(k, _)| *k != "si.addresses_root_causes");
        let (c, rule) = class(&unknown);
        assert_eq!(c, Strength::Undetermined);
        assert!(rule.contains("root_causes"), "{rule}");
        let project = vec![("si.permanence", FactValue::Choice("project".into()))];
        assert_eq!(class(&project).0, Strength::Weak);
    }

    fn ctx(entries: &[(&str, serde_json::Value, &str)]) -> Context {
        entries
            .iter()
            .map(|(k, v, from)| {
                let ty = vocab::spec(k).unwrap().ty;
                ((*k).to_string(), (Fact::bare(crate::fact::parse_typed(ty, v).unwrap()), (*from).to_string()))
            })
            .collect()
    }

    fn precondition(key: &str, op: Op, value: serde_json::Value, kind: PreconditionKind, reason: &str) -> Precondition {
        Precondition { key: key.into(), op, value, reason: Some(reason.into()), kind }
    }

    #[test]
    fn a_case_does_not_fit_where_an_essential_precondition_fails() {
        let mut c = case(&[]);
        c.preconditions = vec![
            precondition(
                "context.formal_credit_access",
                Op::Ge,
                json!(0.6),
                PreconditionKind::Essential,
                "members borrow from banks",
            ),
            precondition(
                "context.procurement_open_to_sse",
                Op::Eq,
                json!(true),
                PreconditionKind::Supportive,
                "public contracts help",
            ),
        ];
        let suburb = ctx(&[
            ("context.formal_credit_access", json!(0.9), "X-SUB"),
            ("context.procurement_open_to_sse", json!(true), "X"),
            ("context.income_level", json!("high"), "X"),
        ]);
        let township = ctx(&[
            ("context.formal_credit_access", json!(0.2), "ZA-GP"),
            ("context.procurement_open_to_sse", json!(false), "ZA"),
            ("context.income_level", json!("upper_middle"), "ZA"),
        ]);
        let t = transfer(&c, "ZA-GP", &township, &suburb);
        assert_eq!(t.fit, Fit::DoesNotFit);
        assert_eq!(t.preconditions[0].outcome, Outcome::Fail);
        assert!(
            t.preconditions[0]
                .reason
                .contains("context.formal_credit_access is 0.2; the case needs >= 0.6 — members borrow from banks"),
            "{}",
            t.preconditions[0].reason
        );
        assert!(t.preconditions[1].reason.contains("(from ZA)"));
        assert_eq!(t.adaptations.len(), 2);
        // Distances: credit 0.7, procurement 1, income one step of three (0.333): 1 - 2.033 / 3.
        assert_eq!(t.similarity.score, Some(0.322));
        let home = transfer(&c, "X-SUB", &suburb, &suburb);
        assert_eq!(home.fit, Fit::Fits);
        assert_eq!(home.similarity.score, Some(1.0));
        // Only a supportive precondition failing: partial; an essential one unknown: unknown.
        let mixed = ctx(&[
            ("context.formal_credit_access", json!(0.7), "Y"),
            ("context.procurement_open_to_sse", json!(false), "Y"),
        ]);
        assert_eq!(transfer(&c, "Y", &mixed, &suburb).fit, Fit::Partial);
        let empty = Context::new();
        assert_eq!(transfer(&c, "Z", &empty, &suburb).fit, Fit::Unknown);
        // No precondition recorded: nothing says it fits.
        let bare = case(&[]);
        assert_eq!(transfer(&bare, "Y", &mixed, &suburb).fit, Fit::Unknown);
        assert_eq!(similarity(&empty, &suburb).score, None);
    }

    #[test]
    fn context_facts_come_from_the_nearest_territory() {
        let mut ca = crate::fact::Facts::new();
        ca.insert("context.income_level".into(), Fact::bare(FactValue::Choice("high".into())));
        ca.insert("context.sse_law".into(), Fact::bare(FactValue::Bool(false)));
        let mut qc = crate::fact::Facts::new();
        qc.insert("context.sse_law".into(), Fact::bare(FactValue::Bool(true)));
        let c = context([("CA-QC", &qc), ("CA", &ca)]);
        assert_eq!(c["context.sse_law"], (Fact::bare(FactValue::Bool(true)), "CA-QC".to_string()));
        assert_eq!(c["context.income_level"].1, "CA");
    }
}
