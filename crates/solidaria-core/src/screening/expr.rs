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

use crate::fact::{Fact, FactValue};

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
}

impl Field {
    /// Every field, with its name in profile files.
    pub const ALL: &'static [(Field, &'static str)] = &[
        (Field::LegalFormFamily, "legal_form.family"),
        (Field::LegalFormCode, "legal_form.code"),
        (Field::Category, "category"),
        (Field::Claims, "claims"),
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

    /// What the operator requires, in words ("at most 0.35", "one of a, b").
    pub fn describe(&self) -> String {
        let list = |v: &[Lit]| v.iter().map(Lit::to_string).collect::<Vec<_>>().join(", ");
        match self {
            Op::Eq(l) => format!("{l}"),
            Op::Ne(l) => format!("anything but {l}"),
            Op::In(v) => format!("one of {}", list(v)),
            Op::NotIn(v) => format!("none of {}", list(v)),
            Op::Lt(x) => format!("less than {x}"),
            Op::Le(x) => format!("at most {x}"),
            Op::Gt(x) => format!("more than {x}"),
            Op::Ge(x) => format!("at least {x}"),
            Op::Contains(s) => format!("a set including {s}"),
            Op::ContainsAny(v) => format!("a set including one of {}", v.join(", ")),
        }
    }
}

/// What a check reads.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// A fact, by key.
    Fact(String),
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
    /// A fact by key, if documented.
    fn fact(&self, key: &str) -> Option<&Fact>;
    /// A field, if known.
    fn field(&self, field: Field) -> Option<FieldValue<'_>>;
}

/// A value read from the subject, in the shape checks compare.
enum Seen<'a> {
    Bool(bool),
    Num(f64),
    Text(&'a str),
    Set(Vec<&'a str>),
}

impl Seen<'_> {
    fn show(&self) -> String {
        match self {
            Seen::Bool(b) => b.to_string(),
            Seen::Num(x) => x.to_string(),
            Seen::Text(s) => (*s).to_string(),
            Seen::Set(v) if v.is_empty() => "none".into(),
            Seen::Set(v) => v.join(", "),
        }
    }
}

fn read<'a>(subject: &'a dyn Subject, operand: &Operand) -> Option<Seen<'a>> {
    match operand {
        Operand::Fact(key) => match &subject.fact(key)?.value {
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

    /// Evaluates the test and says why, in plain words that name the facts and values used. Only
    /// the parts that decide the result are named: for a failed `all`, its failing parts; for a
    /// passed `any`, the part that passed.
    pub fn explain(&self, subject: &dyn Subject) -> (Truth, String) {
        match self {
            Test::All(parts) | Test::Any(parts) => {
                let is_all = matches!(self, Test::All(_));
                let results: Vec<(Truth, String)> = parts.iter().map(|p| p.explain(subject)).collect();
                let truth =
                    if is_all { fold_all(results.iter().map(|r| r.0)) } else { fold_any(results.iter().map(|r| r.0)) };
                // The texts of the parts with a given truth, each once.
                let pick = |t: Truth| {
                    let mut texts: Vec<&str> = Vec::new();
                    for r in results.iter().filter(|r| r.0 == t) {
                        if !texts.contains(&r.1.as_str()) {
                            texts.push(&r.1);
                        }
                    }
                    texts
                };
                let text = match (is_all, truth) {
                    (true, Truth::True) => pick(Truth::True).join("; and "),
                    (true, Truth::False) => pick(Truth::False).join("; and "),
                    (false, Truth::True) => pick(Truth::True).first().copied().unwrap_or_default().to_string(),
                    (false, Truth::False) => pick(Truth::False).join("; and "),
                    (_, Truth::Unknown) => {
                        let unknown = pick(Truth::Unknown).join("; ");
                        let settled = pick(if is_all { Truth::True } else { Truth::False });
                        if settled.is_empty() { unknown } else { format!("{unknown} (while {})", settled.join("; ")) }
                    }
                };
                (truth, text)
            }
            Test::Not(inner) => {
                let (t, text) = inner.explain(subject);
                (t.not(), text)
            }
            Test::Check(operand, op) => {
                let name = operand.name();
                match read(subject, operand) {
                    None => (Truth::Unknown, format!("{name} is not documented (needed: {})", op.describe())),
                    Some(seen) => match compare(&seen, op) {
                        Some(true) => (
                            Truth::True,
                            match op {
                                Op::Eq(_) => format!("{name} is {}", seen.show()),
                                _ => format!("{name} is {} ({})", seen.show(), op.describe()),
                            },
                        ),
                        Some(false) => (
                            Truth::False,
                            match op {
                                Op::Ne(_) | Op::NotIn(_) => format!("{name} is {}, which is excluded", seen.show()),
                                _ => format!("{name} is {}, not {}", seen.show(), op.describe()),
                            },
                        ),
                        None => (
                            Truth::Unknown,
                            format!(
                                "{name} is {}, a value this test cannot compare with {}",
                                seen.show(),
                                op.describe()
                            ),
                        ),
                    },
                }
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
