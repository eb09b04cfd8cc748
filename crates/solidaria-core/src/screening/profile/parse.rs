//! Reading a profile from TOML: every problem found (not only the first), each with its line,
//! and the tests type-checked against the fact vocabulary.

use super::*;
use crate::screening::expr::FactKey;
use crate::vocab::{self, FactType};
use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    id: Spanned<String>,
    #[serde(default)]
    order: Option<u32>,
    title: String,
    version: String,
    instrument: String,
    jurisdiction: String,
    adopted: Spanned<String>,
    source_url: Spanned<String>,
    subject: Spanned<String>,
    #[serde(default)]
    claims: Vec<Spanned<String>>,
    #[serde(default)]
    summary: Option<String>,
    criteria: Vec<Spanned<RawCriterion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    id: Spanned<String>,
    title: String,
    kind: Spanned<String>,
    grade: Spanned<String>,
    citation: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    claims: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    applies_if: Option<Spanned<RawTest>>,
    test: Spanned<RawTest>,
}

/// A test as written in a file, before it is checked (readiness profiles use it too).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTest {
    all: Option<Vec<Spanned<RawTest>>>,
    any: Option<Vec<Spanned<RawTest>>>,
    not: Option<Box<Spanned<RawTest>>>,
    fact: Option<String>,
    field: Option<String>,
    eq: Option<RawLit>,
    ne: Option<RawLit>,
    #[serde(rename = "in")]
    in_: Option<Vec<RawLit>>,
    not_in: Option<Vec<RawLit>>,
    lt: Option<f64>,
    le: Option<f64>,
    gt: Option<f64>,
    ge: Option<f64>,
    contains: Option<String>,
    contains_any: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawLit {
    Bool(bool),
    Num(f64),
    Text(String),
}

impl From<RawLit> for Lit {
    fn from(r: RawLit) -> Lit {
        match r {
            RawLit::Bool(b) => Lit::Bool(b),
            RawLit::Num(x) => Lit::Num(x),
            RawLit::Text(s) => Lit::Text(s),
        }
    }
}

/// Turns byte offsets into 1-based line numbers.
pub(crate) struct Lines<'a>(pub(crate) &'a str);

impl Lines<'_> {
    /// The line of a byte offset.
    pub(crate) fn of(&self, offset: usize) -> usize {
        let end = offset.min(self.0.len());
        self.0.as_bytes()[..end].iter().filter(|b| **b == b'\n').count() + 1
    }
}

/// Collects the problems of one file, each with its line.
pub(crate) struct Checker<'a> {
    pub(crate) lines: Lines<'a>,
    pub(crate) errors: Vec<ProfileError>,
    pub(crate) subject: SubjectKind,
}

impl Checker<'_> {
    /// Records a problem at a byte offset.
    pub(crate) fn err(&mut self, offset: usize, message: impl Into<String>) {
        let line = self.lines.of(offset);
        self.errors.push(ProfileError { line, message: message.into() });
    }
}

/// Reads a criterion's kind and grade, recording their problems: an unknown word, a grade C
/// (unverified) criterion that is mandatory or whose note does not say it is unverified. Shared by
/// the screening and readiness profile files.
pub(crate) fn kind_and_grade(
    c: &mut Checker<'_>,
    id: &str,
    kind: &Spanned<String>,
    grade: &Spanned<String>,
    note: Option<&str>,
) -> (Kind, Grade) {
    let k = match kind.get_ref().as_str() {
        "mandatory" => Kind::Mandatory,
        "indicative" => Kind::Indicative,
        other => {
            c.err(kind.span().start, format!("{id}: kind: expected \"mandatory\" or \"indicative\", found {other:?}"));
            Kind::Indicative
        }
    };
    let g = match grade.get_ref().as_str() {
        "A" => Grade::A,
        "B" => Grade::B,
        "C" => Grade::C,
        other => {
            c.err(grade.span().start, format!("{id}: grade: expected \"A\", \"B\" or \"C\", found {other:?}"));
            Grade::C
        }
    };
    if g == Grade::C && k == Kind::Mandatory {
        c.err(
            kind.span().start,
            format!("{id}: a criterion graded C (unverified) must be \"indicative\", found \"mandatory\""),
        );
    }
    if g == Grade::C && note.is_none_or(|n| !n.to_lowercase().contains("unverified")) {
        c.err(
            grade.span().start,
            format!("{id}: a criterion graded C needs a note saying it is unverified (and what to check)"),
        );
    }
    (k, g)
}

/// Reads a profile file (screening or readiness) of at most [`MAX_PROFILE_BYTES`] as TOML into
/// its raw form; a problem names its line.
pub(crate) fn read_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Vec<ProfileError>> {
    if text.len() > MAX_PROFILE_BYTES {
        return Err(vec![ProfileError {
            line: 1,
            message: format!("expected a profile of at most {MAX_PROFILE_BYTES} bytes, found {} bytes", text.len()),
        }]);
    }
    toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| Lines(text).of(s.start));
        vec![ProfileError { line, message: e.message().trim().to_string() }]
    })
}

/// Parses and checks a profile file. Every problem is reported with its line; nothing partial is
/// returned.
pub fn parse_profile(text: &str) -> Result<Profile, Vec<ProfileError>> {
    let raw: RawProfile = read_toml(text)?;
    let mut c = Checker { lines: Lines(text), errors: Vec::new(), subject: SubjectKind::Actor };
    let id = raw.id.get_ref().clone();
    if !is_profile_id(&id) {
        c.err(
            raw.id.span().start,
            format!("id: expected lowercase letters, digits and '-' (e.g. \"fr-ess-2014\"), found {id:?}"),
        );
    }
    let adopted = PartialDate::parse(raw.adopted.get_ref()).map_err(|e| {
        c.err(raw.adopted.span().start, format!("adopted: expected {e}, found {:?}", raw.adopted.get_ref()))
    });
    let source_url = WebUrl::parse(raw.source_url.get_ref()).map_err(|e| {
        c.err(raw.source_url.span().start, format!("source_url: expected {e}, found {:?}", raw.source_url.get_ref()))
    });
    let subject = match raw.subject.get_ref().as_str() {
        "actor" => SubjectKind::Actor,
        "case" => SubjectKind::Case,
        "programme" => SubjectKind::Programme,
        other => {
            c.err(
                raw.subject.span().start,
                format!("subject: expected \"actor\", \"case\" or \"programme\", found {other:?}"),
            );
            SubjectKind::Actor
        }
    };
    c.subject = subject;
    for (name, value) in [("title", &raw.title), ("version", &raw.version), ("instrument", &raw.instrument)] {
        if value.trim().is_empty() {
            c.err(raw.id.span().start, format!("{name}: expected a non-empty text"));
        }
    }
    let claims = check_claims(&mut c, &raw.claims, "claims");
    if raw.criteria.is_empty() {
        c.err(text.len(), "criteria: expected at least one [[criteria]] table");
    }
    let mut criteria = Vec::with_capacity(raw.criteria.len());
    for rc in raw.criteria {
        let at = rc.span().start;
        let rc = rc.into_inner();
        let id = rc.id.get_ref().clone();
        if !is_profile_id(&id.replace(['.', '_'], "-")) {
            c.err(
                rc.id.span().start,
                format!("criteria.id: expected lowercase letters, digits, '.', '_' and '-', found {id:?}"),
            );
        }
        if criteria.iter().any(|x: &Criterion| x.id == id) {
            c.err(rc.id.span().start, format!("criteria.id: {id:?} is used twice; ids must be unique"));
        }
        let (kind, grade) = kind_and_grade(&mut c, &id, &rc.kind, &rc.grade, rc.note.as_deref());
        if rc.citation.trim().is_empty() || rc.title.trim().is_empty() {
            c.err(at, format!("{id}: title and citation: expected non-empty texts"));
        }
        let own_claims = rc.claims.as_ref().map(|cl| check_claims(&mut c, cl, &format!("{id}: claims")));
        let applies_if = rc.applies_if.map(|t| check_test(&mut c, t, &format!("{id}: applies_if"), 0));
        let test = check_test(&mut c, rc.test, &format!("{id}: test"), 0);
        let (Some(test), Some(applies_if)) = (test, applies_if.map_or(Some(None), |t| t.map(Some))) else {
            continue;
        };
        let mut reads: Vec<String> = Vec::new();
        for o in applies_if.iter().flat_map(Test::operands).chain(test.operands()) {
            let name = o.name().to_string();
            if !reads.contains(&name) {
                reads.push(name);
            }
        }
        criteria.push(Criterion {
            id,
            title: rc.title,
            kind,
            grade,
            citation: rc.citation,
            note: rc.note,
            claims: own_claims,
            applies_if,
            test,
            reads,
            line: c.lines.of(at),
        });
    }
    let substance = criteria.iter().any(|cr| {
        cr.kind == Kind::Mandatory
            && cr.applies_if.is_none()
            && cr.test.operands().iter().any(|o| matches!(o, Operand::Fact(_)))
    });
    if !substance && c.errors.is_empty() {
        c.err(
            raw.id.span().start,
            "criteria: expected at least one mandatory criterion that always applies and tests facts: a legal form alone never qualifies",
        );
    }
    match (c.errors.is_empty(), adopted, source_url) {
        (true, Ok(adopted), Ok(source_url)) => Ok(Profile {
            id,
            order: raw.order,
            title: raw.title,
            version: raw.version,
            instrument: raw.instrument,
            jurisdiction: raw.jurisdiction,
            adopted,
            source_url,
            subject,
            claims,
            summary: raw.summary,
            criteria,
        }),
        _ => {
            let mut errors = c.errors;
            errors.sort_by_key(|e| e.line);
            Err(errors)
        }
    }
}

pub(crate) fn is_profile_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

fn check_claims(c: &mut Checker<'_>, raw: &[Spanned<String>], what: &str) -> Vec<Claim> {
    let names: Vec<&str> = SCREENED_CLAIMS.iter().map(|c| c.as_str()).collect();
    let mut out = Vec::new();
    for s in raw {
        match Claim::parse(s.get_ref()) {
            Ok(claim) if SCREENED_CLAIMS.contains(&claim) => out.push(claim),
            _ => c.err(
                s.span().start,
                format!("{what}: expected {}, found {:?}", crate::error::one_of(&names), s.get_ref()),
            ),
        }
    }
    out
}

/// Checks a test against the vocabulary of the checker's subject; `None` when it has problems
/// (recorded in the checker).
pub(crate) fn check_test(c: &mut Checker<'_>, raw: Spanned<RawTest>, path: &str, depth: usize) -> Option<Test> {
    let at = raw.span().start;
    if depth > MAX_DEPTH {
        c.err(at, format!("{path}: expected tests nested at most {MAX_DEPTH} deep"));
        return None;
    }
    let r = raw.into_inner();
    let ops: Vec<(&str, Op)> = [
        r.eq.map(|l| ("eq", Op::Eq(l.into()))),
        r.ne.map(|l| ("ne", Op::Ne(l.into()))),
        r.in_.map(|v| ("in", Op::In(v.into_iter().map(Lit::from).collect()))),
        r.not_in.map(|v| ("not_in", Op::NotIn(v.into_iter().map(Lit::from).collect()))),
        r.lt.map(|x| ("lt", Op::Lt(x))),
        r.le.map(|x| ("le", Op::Le(x))),
        r.gt.map(|x| ("gt", Op::Gt(x))),
        r.ge.map(|x| ("ge", Op::Ge(x))),
        r.contains.map(|s| ("contains", Op::Contains(s))),
        r.contains_any.map(|v| ("contains_any", Op::ContainsAny(v))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let forms = [r.all.is_some(), r.any.is_some(), r.not.is_some(), r.fact.is_some() || r.field.is_some()];
    if forms.iter().filter(|f| **f).count() != 1 {
        c.err(at, format!("{path}: expected exactly one of all = [...], any = [...], not = {{...}}, or fact/field with a comparison"));
        return None;
    }
    let nested = |c: &mut Checker<'_>, list: Vec<Spanned<RawTest>>, name: &str| -> Option<Vec<Test>> {
        if list.is_empty() {
            c.err(at, format!("{path}: {name}: expected at least one test"));
            return None;
        }
        let parts: Vec<Option<Test>> = list
            .into_iter()
            .enumerate()
            .map(|(i, t)| check_test(c, t, &format!("{path}.{name}[{i}]"), depth + 1))
            .collect();
        parts.into_iter().collect()
    };
    if let Some(list) = r.all {
        return nested(c, list, "all").map(Test::All);
    }
    if let Some(list) = r.any {
        return nested(c, list, "any").map(Test::Any);
    }
    if let Some(inner) = r.not {
        return check_test(c, *inner, &format!("{path}.not"), depth + 1).map(|t| Test::Not(Box::new(t)));
    }
    let operand = match (r.fact, r.field) {
        (Some(key), None) => match vocab::spec(&key) {
            Some(spec) if spec.subject == c.subject.vocab() => Operand::Fact(FactKey::new(key)),
            _ => {
                let kind = c.subject.as_str();
                c.err(at, format!("{path}: fact: expected a key of the {kind} vocabulary (see `solidaria vocabulary`), found {key:?}"));
                return None;
            }
        },
        (None, Some(name)) => match Field::parse(&name).filter(|f| c.subject.fields().contains(f)) {
            Some(f) => Operand::Field(f),
            None => {
                let names: Vec<&str> = c.subject.fields().iter().map(|f| f.name()).collect();
                c.err(at, format!("{path}: field: expected {}, found {name:?}", crate::error::one_of(&names)));
                return None;
            }
        },
        _ => {
            c.err(at, format!("{path}: expected either fact or field, not both"));
            return None;
        }
    };
    let [(_, op)] = <[(&str, Op); 1]>::try_from(ops).map_err(|ops| {
        let found: Vec<&str> = ops.iter().map(|(n, _)| *n).collect();
        c.err(
            at,
            format!(
                "{path}: expected exactly one comparison (eq, ne, in, not_in, lt, le, gt, ge, contains, contains_any), found {}",
                if found.is_empty() { "none".to_string() } else { found.join(", ") }
            ),
        )
    }).ok()?;
    if let Some(problem) = type_problem(&operand, &op) {
        c.err(at, format!("{path}: {}: {problem}", operand.name()));
        return None;
    }
    Some(Test::Check(operand, op))
}

/// Says what is wrong when an operator or literal does not fit the operand's type.
fn type_problem(operand: &Operand, op: &Op) -> Option<String> {
    #[derive(PartialEq)]
    enum T {
        Bool,
        Num,
        Word(Option<&'static [&'static str]>),
        Set(Option<&'static [&'static str]>),
    }
    let t = match operand {
        Operand::Fact(key) => match vocab::spec(key)?.ty {
            FactType::Bool => T::Bool,
            FactType::Count | FactType::Share | FactType::Rate | FactType::Ratio | FactType::Number => T::Num,
            FactType::Enum(v) => T::Word(Some(v)),
            FactType::Set(v) => T::Set(Some(v)),
            FactType::ActorRef => T::Word(None),
        },
        Operand::Field(f) if f.is_set() => T::Set(f.values()),
        Operand::Field(f) => T::Word(f.values()),
    };
    let lit_ok = |l: &Lit| -> Option<String> {
        match (&t, l) {
            (T::Bool, Lit::Bool(_)) | (T::Num, Lit::Num(_)) | (T::Word(None), Lit::Text(_)) => None,
            (T::Word(Some(v)), Lit::Text(s)) if v.contains(&s.as_str()) => None,
            (T::Word(Some(v)), _) => Some(format!("expected {}, found {l}", crate::error::one_of(v))),
            (T::Bool, _) => Some(format!("expected true or false, found {l}")),
            (T::Num, _) => Some(format!("expected a number, found {l}")),
            _ => Some(format!("cannot compare with {l}")),
        }
    };
    match op {
        Op::Eq(l) | Op::Ne(l) if !matches!(t, T::Set(_)) => lit_ok(l),
        Op::In(v) | Op::NotIn(v) if matches!(t, T::Word(_) | T::Num) => {
            if v.is_empty() {
                return Some("expected a non-empty list".into());
            }
            v.iter().find_map(lit_ok)
        }
        Op::Lt(x) | Op::Le(x) | Op::Gt(x) | Op::Ge(x) if t == T::Num => {
            (!x.is_finite()).then(|| format!("expected a finite number, found {x}"))
        }
        Op::Contains(s) if matches!(t, T::Set(_)) => match t {
            T::Set(Some(v)) if !v.contains(&s.as_str()) => {
                Some(format!("expected {}, found {s}", crate::error::one_of(v)))
            }
            _ => None,
        },
        Op::ContainsAny(items) if matches!(t, T::Set(_)) => match t {
            _ if items.is_empty() => Some("expected a non-empty list".into()),
            T::Set(Some(v)) => items
                .iter()
                .find(|s| !v.contains(&s.as_str()))
                .map(|s| format!("expected {}, found {s}", crate::error::one_of(v))),
            _ => None,
        },
        _ => Some(format!(
            "the comparison {} does not apply to a {}",
            op.name(),
            match t {
                T::Bool => "yes/no value",
                T::Num => "number",
                T::Word(_) => "single value",
                T::Set(_) => "set (use contains or contains_any)",
            }
        )),
    }
}
