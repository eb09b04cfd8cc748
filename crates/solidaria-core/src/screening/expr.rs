//! The test language of profiles: a small declarative expression over a subject's facts and a few
//! of its fields, evaluated in three-valued logic.
//!
//! A test is `all`, `any` or `not` of other tests, or a check of one operand (`fact = "key"` or
//! `field = "legal_form.family"`) against a literal: `eq`, `ne`, `in`, `not_in`, `lt`, `le`, `gt`,
//! `ge`, `contains`, `contains_any`. Nothing else can be written: profiles are data, never code.
//!
//! Missing facts are *unknown*, and the logic is Kleene's: `all` is false as soon as one part is
//! false, `any` true as soon as one part is true, and otherwise unknown wins over the remaining
//! value. The logic is monotone: learning a missing fact can turn unknown into true or false, but
//! never true into false or false into true. So a missing fact never makes a test fail.

use super::phrase::{Clause, English, Joint, Origin, Phrasing, Seen};
use crate::fact::{Fact, FactValue};
use crate::statute::{RuleKind, StatutoryFact};

/// The value of a test on one subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    /// The facts satisfy the test.
    True,
    /// The facts contradict the test.
    False,
    /// A fact the test needs is missing.
    Unknown,
}

impl Truth {
    fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

/// Fields of a subject that a test may read besides its facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// `legal_form.family`: the legal-form family (`cooperative`, `company`, …).
    LegalFormFamily,
    /// `legal_form.code`: the ELF or national legal-form code.
    LegalFormCode,
    /// `category`: what the actor is in the ecosystem.
    Category,
    /// `claims`: the labels the actor claims (a set; empty when it claims none).
    Claims,
    /// `kind`: what kind of innovation a case is (law, programme, organization, …).
    CaseKind,
}

impl Field {
    /// Every field, with its name in profile files.
    pub const ALL: &'static [(Field, &'static str)] = &[
        (Field::LegalFormFamily, "legal_form.family"),
        (Field::LegalFormCode, "legal_form.code"),
        (Field::Category, "category"),
        (Field::Claims, "claims"),
        (Field::CaseKind, "kind"),
    ];

    /// Parses a field name of a profile file.
    pub fn parse(name: &str) -> Option<Field> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(f, _)| *f)
    }

    /// The field's name in profile files and explanations.
    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(f, _)| *f == self).map_or("?", |(_, n)| n)
    }

    /// The values the field can take, when it is a closed list (used to validate profiles).
    pub fn values(self) -> Option<&'static [&'static str]> {
        match self {
            Field::LegalFormFamily => Some(crate::legal_form::Family::NAMES),
            Field::Category => Some(crate::actor::Category::NAMES),
            Field::Claims => Some(crate::actor::Claim::NAMES),
            Field::CaseKind => Some(crate::case::CaseKind::NAMES),
            Field::LegalFormCode => None,
        }
    }

    /// Whether the field holds several values (tested with `contains`).
    pub fn is_set(self) -> bool {
        self == Field::Claims
    }
}

/// The value of a field on a subject.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue<'a> {
    /// One word.
    Text(&'a str),
    /// Several words.
    Set(Vec<&'a str>),
}

/// A literal of a profile file.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Num(f64),
    /// A word (an enum value, a family, a claim).
    Text(String),
}

impl std::fmt::Display for Lit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Lit::Bool(b) => write!(f, "{b}"),
            Lit::Num(x) => write!(f, "{x}"),
            Lit::Text(s) => f.write_str(s),
        }
    }
}

/// A comparison of an operand with literals.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// Equal to.
    Eq(Lit),
    /// Not equal to.
    Ne(Lit),
    /// One of.
    In(Vec<Lit>),
    /// None of.
    NotIn(Vec<Lit>),
    /// Less than.
    Lt(f64),
    /// At most.
    Le(f64),
    /// More than.
    Gt(f64),
    /// At least.
    Ge(f64),
    /// A set that holds this value.
    Contains(String),
    /// A set that holds at least one of these values.
    ContainsAny(Vec<String>),
}

impl Op {
    /// The operator's name in profile files.
    pub fn name(&self) -> &'static str {
        match self {
            Op::Eq(_) => "eq",
            Op::Ne(_) => "ne",
            Op::In(_) => "in",
            Op::NotIn(_) => "not_in",
            Op::Lt(_) => "lt",
            Op::Le(_) => "le",
            Op::Gt(_) => "gt",
            Op::Ge(_) => "ge",
            Op::Contains(_) => "contains",
            Op::ContainsAny(_) => "contains_any",
        }
    }

    /// What the operator requires, in words ("at most 0.35", "one of a, b"); written when
    /// displayed, without allocating.
    pub fn describe(&self) -> Describe<'_> {
        Describe(self)
    }
}

/// An operator's requirement in words; see [`Op::describe`].
pub struct Describe<'a>(&'a Op);

impl std::fmt::Display for Describe<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |f: &mut std::fmt::Formatter<'_>, v: &[Lit]| -> std::fmt::Result {
            for (i, l) in v.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{l}")?;
            }
            Ok(())
        };
        match self.0 {
            Op::Eq(l) => write!(f, "{l}"),
            Op::Ne(l) => write!(f, "anything but {l}"),
            Op::In(v) => {
                f.write_str("one of ")?;
                list(f, v)
            }
            Op::NotIn(v) => {
                f.write_str("none of ")?;
                list(f, v)
            }

            Op::Lt(x) => write!(f, "less than {x}"),
            Op::Le(x) => write!(f, "at most {x}"),
            Op::Gt(x) => write!(f, "more than {x}"),
            Op::Ge(x) => write!(f, "at least {x}"),
            Op::Contains(s) => write!(f, "a set including {s}"),
            Op::ContainsAny(v) => write!(f, "a set including one of {}", v.join(", ")),
        }
    }
}

/// A fact key as a profile reads it, with its position in the vocabulary resolved once when the
/// profile is read, so that a subject prepared for batch screening ([`super::Prepared`]) finds
/// the fact by index instead of comparing key strings on every read. Reads as the key itself.
#[derive(Debug, Clone)]
pub struct FactKey {
    key: String,
    slot: Option<u16>,
}

impl FactKey {
    /// The key, with its vocabulary position when it has one.
    pub fn new(key: impl Into<String>) -> Self {
        let key = key.into();
        let slot = crate::vocab::slot(&key);
        FactKey { key, slot }
    }

    /// Its position in the vocabulary, if it is a vocabulary key.
    pub fn slot(&self) -> Option<u16> {
        self.slot
    }
}

impl PartialEq for FactKey {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl std::ops::Deref for FactKey {
    type Target = str;
    fn deref(&self) -> &str {
        &self.key
    }
}

impl std::fmt::Display for FactKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(&self.key)
    }
}

impl serde::Serialize for FactKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.key)
    }
}

/// What a check reads.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// A fact, by key.
    Fact(FactKey),
    /// A field of the subject.
    Field(Field),
}

impl Operand {
    /// The operand's name in explanations (the fact key or the field name).
    pub fn name(&self) -> &str {
        match self {
            Operand::Fact(k) => k,
            Operand::Field(f) => f.name(),
        }
    }
}

/// A test of a profile.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// Every part holds.
    All(Vec<Test>),
    /// At least one part holds.
    Any(Vec<Test>),
    /// The part does not hold.
    Not(Box<Test>),
    /// One operand compared with literals.
    Check(Operand, Op),
}

/// What a test reads from a subject: facts by key and fields.
pub trait Subject {
    /// The subject's id (in reports).
    fn subject_id(&self) -> &str;
    /// The fact a screening reads for `key`: the documented one, else what the law of the
    /// subject's legal form makes true (see [`crate::statute`]); none when neither is known or
    /// when the two conflict.
    fn fact(&self, key: &str) -> Option<&Fact>;
    /// A field, if known.
    fn field(&self, field: Field) -> Option<FieldValue<'_>>;
    /// The rule of the subject's legal form on `key`, if its law has one (mandatory or default).
    fn law(&self, _key: &str) -> Option<&StatutoryFact> {
        None
    }
    /// The fact documented for `key`, whatever the law says.
    fn documented(&self, key: &str) -> Option<&Fact> {
        self.fact(key)
    }
    /// The fact a screening reads for `key`, whose vocabulary position is `slot`: the same as
    /// [`Subject::fact`]; a subject that indexes its facts by position answers without
    /// comparing keys.
    fn fact_at(&self, slot: u16, key: &str) -> Option<&Fact> {
        let _ = slot;
        self.fact(key)
    }
}

/// Where the fact a screening read for `key` comes from.
pub enum Basis<'a> {
    /// Documented on the subject, with its evidence.
    Documented(&'a Fact),
    /// Made true by the law of its legal form (a mandatory rule graded A or B).
    Statute(&'a StatutoryFact),
    /// Documented, but contradicting a mandatory rule of its law: neither is used.
    Conflict(&'a Fact, &'a StatutoryFact),
    /// Not documented; the law has only a default (or an unverified rule), which does not decide.
    LawDefault(&'a StatutoryFact),
    /// Not documented, and the law says nothing.
    Missing,
}

/// Where a subject's fact for `key` comes from.
pub fn basis<'a>(subject: &'a dyn Subject, key: &str) -> Basis<'a> {
    let law = subject.law(key);
    match (subject.fact(key), law) {
        (Some(f), Some(l)) if std::ptr::eq(f, &l.fact) => Basis::Statute(l),
        (Some(f), _) => Basis::Documented(f),
        (None, Some(l)) => match subject.documented(key) {
            Some(d) if l.decides() => Basis::Conflict(d, l),
            _ => Basis::LawDefault(l),
        },
        (None, None) => Basis::Missing,
    }
}

fn read<'a>(subject: &'a dyn Subject, operand: &Operand) -> Option<Seen<'a>> {
    match operand {
        Operand::Fact(key) => match &match key.slot {
            Some(slot) => subject.fact_at(slot, key),
            None => subject.fact(key),
        }?
        .value
        {
            FactValue::Bool(b) => Some(Seen::Bool(*b)),
            FactValue::Count(n) => Some(Seen::Num(*n as f64)),
            FactValue::Number(x) => Some(Seen::Num(*x)),
            FactValue::Choice(s) => Some(Seen::Text(s)),
            FactValue::Set(v) => Some(Seen::Set(v.iter().map(String::as_str).collect())),
            FactValue::Actor(id) => Some(Seen::Text(id.as_str())),
            FactValue::Custom(serde_json::Value::Bool(b)) => Some(Seen::Bool(*b)),
            FactValue::Custom(serde_json::Value::Number(n)) => n.as_f64().map(Seen::Num),
            FactValue::Custom(serde_json::Value::String(s)) => Some(Seen::Text(s)),
            FactValue::Custom(_) => None,
        },
        Operand::Field(f) => match subject.field(*f)? {
            FieldValue::Text(s) => Some(Seen::Text(s)),
            FieldValue::Set(v) => Some(Seen::Set(v)),
        },
    }
}

fn lit_eq(seen: &Seen<'_>, lit: &Lit) -> Option<bool> {
    match (seen, lit) {
        (Seen::Bool(a), Lit::Bool(b)) => Some(a == b),
        (Seen::Num(a), Lit::Num(b)) => Some(a == b),
        (Seen::Text(a), Lit::Text(b)) => Some(a == b),
        _ => None,
    }
}

/// Compares a value with an operator; `None` when the types do not match (read as unknown).
fn compare(seen: &Seen<'_>, op: &Op) -> Option<bool> {
    let num = |f: &dyn Fn(f64) -> bool| match seen {
        Seen::Num(x) => Some(f(*x)),
        _ => None,
    };
    match op {
        Op::Eq(l) => lit_eq(seen, l),
        Op::Ne(l) => lit_eq(seen, l).map(|b| !b),
        Op::In(v) => v.iter().map(|l| lit_eq(seen, l)).try_fold(false, |acc, b| b.map(|b| acc || b)),
        Op::NotIn(v) => v.iter().map(|l| lit_eq(seen, l)).try_fold(true, |acc, b| b.map(|b| acc && !b)),
        Op::Lt(t) => num(&|x| x < *t),
        Op::Le(t) => num(&|x| x <= *t),
        Op::Gt(t) => num(&|x| x > *t),
        Op::Ge(t) => num(&|x| x >= *t),
        Op::Contains(s) => match seen {
            Seen::Set(v) => Some(v.contains(&s.as_str())),
            _ => None,
        },
        Op::ContainsAny(items) => match seen {
            Seen::Set(v) => Some(items.iter().any(|s| v.contains(&s.as_str()))),
            _ => None,
        },
    }
}

impl Test {
    /// Evaluates the test on a subject, without explaining (the fast path for bulk screening).
    pub fn eval(&self, subject: &dyn Subject) -> Truth {
        match self {
            Test::All(parts) => fold_all(parts.iter().map(|p| p.eval(subject))),
            Test::Any(parts) => fold_any(parts.iter().map(|p| p.eval(subject))),
            Test::Not(inner) => inner.eval(subject).not(),
            Test::Check(operand, op) => match read(subject, operand).and_then(|seen| compare(&seen, op)) {
                Some(true) => Truth::True,
                Some(false) => Truth::False,
                None => Truth::Unknown,
            },
        }
    }

    /// Writes why the test has its value on a subject into `out`, in English (see
    /// [`Test::explain_with`]), and returns that value.
    pub fn explain_into(&self, subject: &dyn Subject, out: &mut dyn std::fmt::Write) -> Result<Truth, std::fmt::Error> {
        self.explain_with(subject, &English, out)
    }

    /// Writes why the test has its value on a subject into `out`, each check's finding and the
    /// words between them put into words by `words`, and returns that value. Only the parts that
    /// decide are named: for a failed `all`, its failing parts; for a passed `any`, the part that
    /// passed. The parts' values come from [`Test::eval`], so only the texts shown are written:
    /// this is what lets a screening render its reasons straight into its output.
    pub fn explain_with(
        &self,
        subject: &dyn Subject,
        words: &dyn Phrasing,
        out: &mut dyn std::fmt::Write,
    ) -> Result<Truth, std::fmt::Error> {
        match self {
            Test::All(parts) | Test::Any(parts) => {
                let is_all = matches!(self, Test::All(_));
                let truths: Vec<Truth> = parts.iter().map(|p| p.eval(subject)).collect();
                let truth = if is_all { fold_all(truths.iter().copied()) } else { fold_any(truths.iter().copied()) };
                // The parts with a given value, each distinct part once.
                let pick = |t: Truth| -> Vec<&Test> {
                    let mut chosen: Vec<&Test> = Vec::new();
                    for (p, _) in parts.iter().zip(&truths).filter(|(_, v)| **v == t) {
                        if !chosen.contains(&p) {
                            chosen.push(p);
                        }
                    }
                    chosen
                };
                let write_list = |out: &mut dyn std::fmt::Write, list: &[&Test], sep: Joint| -> std::fmt::Result {
                    for (i, p) in list.iter().enumerate() {
                        if i > 0 {
                            words.joint(sep, out)?;
                        }
                        p.explain_with(subject, words, out)?;
                    }
                    Ok(())
                };
                match (is_all, truth) {
                    (false, Truth::True) => write_list(out, &pick(Truth::True)[..1], Joint::Then)?,
                    (_, Truth::True) | (_, Truth::False) => write_list(out, &pick(truth), Joint::And)?,
                    (_, Truth::Unknown) => {
                        write_list(out, &pick(Truth::Unknown), Joint::Then)?;
                        let settled = pick(if is_all { Truth::True } else { Truth::False });
                        if !settled.is_empty() {
                            words.joint(Joint::WhileOpen, out)?;
                            write_list(out, &settled, Joint::Then)?;
                            words.joint(Joint::WhileClose, out)?;
                        }
                    }
                }
                Ok(truth)
            }
            Test::Not(inner) => Ok(inner.explain_with(subject, words, out)?.not()),
            Test::Check(operand, op) => {
                let name = operand.name();
                let law = match operand {
                    Operand::Fact(key) => basis(subject, key),
                    Operand::Field(_) => Basis::Missing,
                };
                let needed = op;
                let Some(seen) = read(subject, operand) else {
                    let clause = match law {
                        Basis::Conflict(documented, law) => Clause::Conflict { name, needed, documented, law },
                        Basis::LawDefault(law) if law.rule == RuleKind::Default => {
                            Clause::LawDefault { name, needed, law }
                        }
                        Basis::LawDefault(law) => Clause::LawUnverified { name, needed, law },
                        _ if crate::statute::is_law_only(name) => Clause::LawOnly { name, needed },
                        _ => Clause::Missing { name, needed },
                    };
                    words.clause(&clause, out)?;
                    return Ok(Truth::Unknown);
                };
                let origin = match law {
                    Basis::Statute(l) => Origin::Statute(&l.citation),
                    Basis::Documented(f) if f.provenance.is_self_declared() => Origin::SelfDeclared,
                    _ => Origin::Documented,
                };
                let seen = &seen;
                let (clause, truth) = match compare(seen, op) {
                    Some(true) => (Clause::Holds { name, seen, needed, origin }, Truth::True),
                    Some(false) => (Clause::Fails { name, seen, needed, origin }, Truth::False),
                    None => (Clause::Incomparable { name, seen, needed, origin }, Truth::Unknown),
                };
                words.clause(&clause, out)?;
                Ok(truth)
            }
        }
    }

    /// Every operand the test reads, in the order written.
    pub fn operands(&self) -> Vec<&Operand> {
        let mut out = Vec::new();
        self.collect_operands(&mut out);
        out
    }

    fn collect_operands<'a>(&'a self, out: &mut Vec<&'a Operand>) {
        match self {
            Test::All(parts) | Test::Any(parts) => parts.iter().for_each(|p| p.collect_operands(out)),
            Test::Not(inner) => inner.collect_operands(out),
            Test::Check(operand, _) => {
                if !out.contains(&operand) {
                    out.push(operand);
                }
            }
        }
    }
}

fn fold_all(values: impl Iterator<Item = Truth>) -> Truth {
    let mut unknown = false;
    for t in values {
        match t {
            Truth::False => return Truth::False,
            Truth::Unknown => unknown = true,
            Truth::True => {}
        }
    }
    if unknown { Truth::Unknown } else { Truth::True }
}

fn fold_any(values: impl Iterator<Item = Truth>) -> Truth {
    let mut unknown = false;
    for t in values {
        match t {
            Truth::True => return Truth::True,
            Truth::Unknown => unknown = true,
            Truth::False => {}
        }
    }
    if unknown { Truth::Unknown } else { Truth::False }
}

/// A test in words, for listings of criteria: `governance.voting_rule is one of a, b or
/// (governance.stakeholder_participation is true and …)`.
impl std::fmt::Display for Test {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let join = |f: &mut std::fmt::Formatter<'_>, parts: &[Test], word: &str| -> std::fmt::Result {
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    write!(f, " {word} ")?;
                }
                match p {
                    Test::All(_) | Test::Any(_) if parts.len() > 1 => write!(f, "({p})")?,
                    _ => write!(f, "{p}")?,
                }
            }
            Ok(())
        };
        match self {
            Test::All(parts) => join(f, parts, "and"),
            Test::Any(parts) => join(f, parts, "or"),
            Test::Not(inner) => write!(f, "not ({inner})"),
            Test::Check(operand, op) => match op {
                Op::Eq(_) => write!(f, "{} is {}", operand.name(), op.describe()),
                Op::Ne(l) => write!(f, "{} is not {l}", operand.name()),
                _ => write!(f, "{} is {}", operand.name(), op.describe()),
            },
        }
    }
}
