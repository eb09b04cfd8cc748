//! Statutes as data: what the governing law of each legal form makes true of every organization
//! of that form, cited, so that screening knows it without anyone typing it.
//!
//! One TOML file per jurisdiction in `crates/solidaria-core/statutes/`, found and embedded by the
//! build script like the profiles (format in `docs/screening.md`). Each *form* lists the codes
//! that name it (ISO 20275 ELF codes, and national codes such as `INSEE-CJ-9220`) and its
//! *statutory facts*: a fact key, a value, the act and article, a research grade, and whether
//! the rule is **mandatory** (the organization's own statutes cannot depart from it) or a
//! **default** (they may).
//!
//! How screening uses them ([`Law`], and `impl Subject for Actor` in `screening`): a documented
//! fact always comes first; where none is documented, a mandatory rule graded A or B stands in for
//! it and every explanation says "by law" with the article; a default or a grade-C rule never
//! decides (it is shown as the law's default). A documented fact that contradicts a mandatory
//! rule is a data [`Conflict`]: screening then uses neither. Statutory facts are never stored as
//! if observed.

use crate::actor::Actor;
use crate::fact::{Fact, FactValue, Provenance, parse_fact};
use crate::legal_form::Family;
use crate::screening::profile::Grade;
use crate::text::WebUrl;
use crate::vocab;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Whether the organization's own statutes may depart from a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// The law imposes it on every organization of the form.
    Mandatory,
    /// The law's default, which the organization's statutes may change.
    Default,
}

impl RuleKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Mandatory => "mandatory",
            RuleKind::Default => "default",
        }
    }
}

/// What screening makes of a rule of an actor's legal form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleUse {
    /// It stands in for the fact, which is not documented.
    Used,
    /// It decides, but the fact is documented too (and the document is read; if it contradicts
    /// the rule, that is a [`Conflict`]).
    Documented,
    /// A default the organization's statutes may change: shown, never used.
    Default,
    /// Not verified (grade C): shown, never used.
    Unverified,
}

/// One fact that the law of a legal form makes true.
#[derive(Debug, Clone, PartialEq)]
pub struct StatutoryFact {
    /// The fact key (of the vocabulary).
    pub key: String,
    /// The value, with the act as its source and the article as its note, so that it reads like
    /// any cited fact.
    pub fact: Fact,
    /// Mandatory or default.
    pub rule: RuleKind,
    /// The research grade of the rule (C never decides).
    pub grade: Grade,
    /// Act and article.
    pub citation: String,
    /// How the text is read, caveats.
    pub note: Option<String>,
    /// The line of the rule in its file.
    pub line: usize,
}

impl StatutoryFact {
    /// Whether the rule stands in for a missing fact in a screening: mandatory and graded A or B.
    pub fn decides(&self) -> bool {
        self.rule == RuleKind::Mandatory && self.grade != Grade::C
    }

    /// What screening makes of this rule for an actor of its form.
    pub fn use_for(&self, actor: &Actor) -> RuleUse {
        match (self.decides(), self.rule) {
            (true, _) if actor.facts.contains_key(&self.key) => RuleUse::Documented,
            (true, _) => RuleUse::Used,
            (false, RuleKind::Default) => RuleUse::Default,
            (false, RuleKind::Mandatory) => RuleUse::Unverified,
        }
    }

    /// Whether a documented value agrees with the rule. A cap (`*_cap`) is respected by any value
    /// at or below it; other values must be equal.
    pub fn agrees_with(&self, documented: &FactValue) -> bool {
        match (&self.fact.value, documented) {
            (FactValue::Number(law), FactValue::Number(doc)) if self.key.ends_with("_cap") => *doc <= *law + 1e-12,
            (law, doc) => law == doc,
        }
    }
}

/// A legal form of one jurisdiction and what its law makes true.
#[derive(Debug, Clone, PartialEq)]
pub struct FormStatute {
    /// The form's id (unique across the files).
    pub id: String,
    /// Its name in the local language.
    pub name: String,
    /// The jurisdiction whose law it is (ISO 3166).
    pub jurisdiction: String,
    /// The legal-form family.
    pub family: Family,
    /// The codes that name it (ELF and national). A form that no code names yet (a French SCIC
    /// is registered under generic co-operative or company categories) is kept for the record
    /// and applies to no actor.
    pub codes: Vec<String>,
    /// The governing act.
    pub act: String,
    /// The act's official text.
    pub source_url: Option<WebUrl>,
    /// A note on the form.
    pub note: Option<String>,
    /// Its statutory facts, in file order.
    pub facts: Vec<StatutoryFact>,
    /// A bit per fact key it has a rule on ([`key_bit`]): screening asks for every fact it reads,
    /// and most have no rule, so most answers need no string comparison.
    keys: u64,
}

/// A cheap bit of a key for [`FormStatute`]'s key mask.
fn key_bit(key: &str) -> u64 {
    let b = key.as_bytes();
    let mix = b.len().wrapping_mul(31)
        + usize::from(b.last().copied().unwrap_or(0)) * 7
        + usize::from(b.get(b.len() / 2).copied().unwrap_or(0));
    1u64 << (mix % 64)
}

impl FormStatute {
    /// The rule on `key`, if the law of this form has one.
    pub fn rule(&self, key: &str) -> Option<&StatutoryFact> {
        if self.keys & key_bit(key) == 0 {
            return None;
        }
        self.facts.iter().find(|f| f.key == key)
    }
}

/// The fact a screening reads, given the documented one and the law's rule on the same key: the
/// documented fact when the law has no deciding rule or agrees with it, the law's fact when
/// nothing is documented, neither when they conflict.
pub fn effective<'a>(documented: Option<&'a Fact>, law: Option<&'a StatutoryFact>) -> Option<&'a Fact> {
    let Some(rule) = law.filter(|r| r.decides()) else {
        return documented;
    };
    match documented {
        None => Some(&rule.fact),
        Some(f) if rule.agrees_with(&f.value) => Some(f),
        Some(_) => None,
    }
}

/// A problem in a statute file, with its line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct StatuteError {
    /// The 1-based line (0 when the file as a whole is wrong).
    pub line: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    jurisdiction: String,
    title: String,
    version: String,
    researched: Option<String>,
    #[serde(default)]
    forms: Vec<toml::Spanned<RawForm>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForm {
    id: String,
    name: String,
    family: String,
    codes: Vec<String>,
    act: String,
    source_url: Option<String>,
    note: Option<String>,
    #[serde(default)]
    facts: Vec<toml::Spanned<RawFact>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFact {
    key: String,
    value: toml::Value,
    rule: String,
    grade: String,
    citation: String,
    note: Option<String>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1
}

/// Reads one statute file, reporting every problem with its line.
pub fn parse_statutes(text: &str) -> Result<Vec<FormStatute>, Vec<StatuteError>> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        vec![StatuteError { line: e.span().map_or(0, |s| line_of(text, s.start)), message: e.message().to_string() }]
    })?;
    let mut errors = Vec::new();
    let mut err = |line: usize, message: String| errors.push(StatuteError { line, message });
    if crate::territory::TerritoryId::parse(&raw.jurisdiction).is_err() {
        err(1, format!("jurisdiction: expected an ISO 3166 code, found {:?}", raw.jurisdiction));
    }
    if raw.title.trim().is_empty() || raw.version.trim().is_empty() {
        err(1, "title and version: expected words".into());
    }
    if let Some(r) = &raw.researched
        && let Err(e) = crate::text::PartialDate::parse(r)
    {
        err(1, format!("researched: expected {e}, found {r:?}"));
    }
    let mut forms = Vec::new();
    for spanned in raw.forms {
        let line = line_of(text, spanned.span().start);
        let f = spanned.into_inner();
        let ok_id = !f.id.is_empty() && f.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok_id {
            err(line, format!("id: expected lowercase letters, digits and '-', found {:?}", f.id));
        }
        let family = Family::parse(&f.family).unwrap_or_else(|_| {
            err(line, format!("family: expected a legal-form family, found {:?}", f.family));
            Family::Other
        });
        for c in &f.codes {
            if crate::legal_form::parse_code(c).is_err() {
                err(line, format!("{}: codes: expected {}, found {c:?}", f.id, crate::legal_form::CODE_EXPECTED));
            }
        }
        let source_url = f.source_url.as_deref().and_then(|u| match WebUrl::parse(u) {
            Ok(u) => Some(u),
            Err(e) => {
                err(line, format!("{}: source_url: expected {e}, found {u:?}", f.id));
                None
            }
        });
        let mut facts = Vec::new();
        for sf in f.facts {
            let fline = line_of(text, sf.span().start);
            let r = sf.into_inner();
            let at = format!("{} {}", f.id, r.key);
            if vocab::spec(&r.key).is_none() {
                err(fline, format!("{at}: key: expected a key of the fact vocabulary (solidaria vocabulary)"));
                continue;
            }
            let rule = match r.rule.as_str() {
                "mandatory" => RuleKind::Mandatory,
                "default" => RuleKind::Default,
                other => {
                    err(fline, format!("{at}: rule: expected \"mandatory\" or \"default\", found {other:?}"));
                    continue;
                }
            };
            let grade = match r.grade.as_str() {
                "A" => Grade::A,
                "B" => Grade::B,
                "C" => Grade::C,
                other => {
                    err(fline, format!("{at}: grade: expected \"A\", \"B\" or \"C\", found {other:?}"));
                    continue;
                }
            };
            if r.citation.trim().is_empty() {
                err(fline, format!("{at}: citation: expected the act and article"));
            }
            let json = serde_json::to_value(&r.value).unwrap_or(serde_json::Value::Null);
            let mut problems = Vec::new();
            let Some(mut fact) = parse_fact(&r.key, &json, "value", &mut problems) else {
                for p in problems {
                    err(fline, format!("{at}: {p}"));
                }
                continue;
            };
            fact.provenance = Provenance {
                source: Some(f.act.clone()),
                date: None,
                url: source_url.clone(),
                note: Some(r.citation.clone()),
                assurance: None,
            };
            facts.push(StatutoryFact {
                key: r.key,
                fact,
                rule,
                grade,
                citation: r.citation,
                note: r.note,
                line: fline,
            });
        }
        let keys = facts.iter().fold(0, |m, r: &StatutoryFact| m | key_bit(&r.key));
        forms.push(FormStatute {
            keys,
            id: f.id,
            name: f.name,
            jurisdiction: raw.jurisdiction.clone(),
            family,
            codes: f.codes,
            act: f.act,
            source_url,
            note: f.note,
            facts,
        });
    }
    if errors.is_empty() { Ok(forms) } else { Err(errors) }
}

/// The built-in statute files: name (the file stem) and TOML text, found by the build script.
pub const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/statutes.rs"));

/// Every built-in form, and the index of each code.
struct Law {
    forms: Vec<FormStatute>,
    by_code: HashMap<String, usize>,
}

static LAW: LazyLock<Law> = LazyLock::new(|| {
    let mut forms = Vec::new();
    for (name, text) in FILES {
        match parse_statutes(text) {
            Ok(f) => forms.extend(f),
            // The files are part of the source tree and a unit test parses each of them, so a
            // failure here is a build defect, not bad user input.
            Err(errors) => panic!("built-in statute file {name} is invalid: {errors:?}"),
        }
    }
    let mut by_code = HashMap::new();
    for (i, f) in forms.iter().enumerate() {
        for c in &f.codes {
            by_code.entry(c.to_ascii_uppercase()).or_insert(i);
        }
    }
    Law { forms, by_code }
});

/// Every built-in legal form with its statutory facts.
pub fn forms() -> &'static [FormStatute] {
    &LAW.forms
}

/// Whether a fact key is one that only the law sets (`status.*`: what the law names the form as),
/// learned from the legal-form code rather than documented.
pub fn is_law_only(key: &str) -> bool {
    key.starts_with("status.")
}

/// The form named by a legal-form code (case-insensitively), if its law is known.
///
/// Screening asks this for every fact it reads, with the same actor's code many times in a row,
/// so each thread remembers its last answer: a repeated code costs a comparison of a few bytes
/// instead of a hash lookup (measured in BENCHMARKS.md).
pub fn for_code(code: &str) -> Option<&'static FormStatute> {
    thread_local! {
        static LAST: std::cell::RefCell<(String, Option<&'static FormStatute>)> =
            const { std::cell::RefCell::new((String::new(), None)) };
    }
    LAST.with(|last| {
        if let Ok(last) = last.try_borrow()
            && !last.0.is_empty()
            && last.0 == code
        {
            return last.1;
        }
        let found = lookup(code);
        if let Ok(mut last) = last.try_borrow_mut() {
            last.0.clear();
            last.0.push_str(code);
            last.1 = found;
        }
        found
    })
}

fn lookup(code: &str) -> Option<&'static FormStatute> {
    let law = &*LAW;
    let i = match law.by_code.get(code) {
        Some(i) => *i,
        None => *law.by_code.get(&code.to_ascii_uppercase())?,
    };
    law.forms.get(i)
}

/// The law of an actor's legal form, if known.
pub fn of_actor(actor: &Actor) -> Option<&'static FormStatute> {
    actor.legal_form.code.as_deref().and_then(for_code)
}

/// A documented fact that contradicts a mandatory rule of the actor's legal form.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict<'a> {
    /// The fact key.
    pub key: &'a str,
    /// What is documented.
    pub documented: &'a Fact,
    /// What the law makes true.
    pub law: &'static StatutoryFact,
}

impl std::fmt::Display for Conflict<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} is documented as {}, but the law ({}) makes it {}: check the source; screening uses neither",
            self.key,
            self.documented.value.display(),
            self.law.citation,
            self.law.fact.value.display()
        )
    }
}

/// The documented facts of an actor that contradict a mandatory rule of its legal form's law.
pub fn conflicts(actor: &Actor) -> Vec<Conflict<'_>> {
    let Some(form) = of_actor(actor) else {
        return Vec::new();
    };
    form.facts
        .iter()
        .filter(|r| r.decides())
        .filter_map(|r| {
            let (key, documented) = actor.facts.get_key_value(&r.key)?;
            (!r.agrees_with(&documented.value)).then_some(Conflict { key, documented, law: r })
        })
        .collect()
}

#[cfg(test)]
mod tests;
