//! Reasons as structure: what each check of a test found ([`Clause`], a kind and its
//! parameters) and the words that join checks ([`Joint`]), put into words by a [`Phrasing`].
//!
//! Screening writes a reason by walking the test ([`super::expr::Test::explain_with`]) and
//! handing each clause and joint to a phrasing. [`English`] writes the reasons of the CLI, the
//! JSON API and the reports (their text is stable); an interface in another language implements
//! [`Phrasing`] with its own templates and labels, and gets the same reasons in its words.

use super::expr::Op;
use crate::fact::Fact;
use crate::statute::StatutoryFact;
use std::fmt::{self, Write};

/// A value a check read from the subject, in the shape checks compare.
#[derive(Debug, Clone, PartialEq)]
pub enum Seen<'a> {
    /// `true` or `false`.
    Bool(bool),
    /// A number (counts included).
    Num(f64),
    /// A word: an enum value, a family, an actor id.
    Text(&'a str),
    /// Several words.
    Set(Vec<&'a str>),
}

impl fmt::Display for Seen<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Seen::Bool(b) => write!(f, "{b}"),
            Seen::Num(x) => write!(f, "{x}"),
            Seen::Text(s) => f.write_str(s),
            Seen::Set(v) if v.is_empty() => f.write_str("none"),
            Seen::Set(v) => f.write_str(&v.join(", ")),
        }
    }
}

/// Where a value a check read comes from, when a reason says so.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Origin<'a> {
    /// Documented (or a field of the record): nothing is said.
    Documented,
    /// Declared by the organization itself, not verified by a moderator.
    SelfDeclared,
    /// Made true by the law of the legal form; the rule's citation.
    Statute(&'a str),
}

/// What one check of a fact or field found: the kind of clause and its parameters. `name` is
/// the fact key or the field's name (`purpose.primary`, `legal_form.family`); `needed` is the
/// check's operator with its literals.
#[derive(Debug, Clone, Copy)]
pub enum Clause<'a> {
    /// Not documented.
    Missing {
        /// The fact or field.
        name: &'a str,
        /// What the check needs.
        needed: &'a Op,
    },
    /// Only the law of the legal form tells, and the form's code is missing or unknown.
    LawOnly {
        /// The fact.
        name: &'a str,
        /// What the check needs.
        needed: &'a Op,
    },
    /// Documented, but contradicting a mandatory rule of the law: neither is used.
    Conflict {
        /// The fact.
        name: &'a str,
        /// What the check needs.
        needed: &'a Op,
        /// The documented fact.
        documented: &'a Fact,
        /// The rule of the law.
        law: &'a StatutoryFact,
    },
    /// Not documented; the law has a default (the statutes may differ).
    LawDefault {
        /// The fact.
        name: &'a str,
        /// What the check needs.
        needed: &'a Op,
        /// The rule of the law.
        law: &'a StatutoryFact,
    },
    /// Not documented; the law may settle it, but the rule is not verified.
    LawUnverified {
        /// The fact.
        name: &'a str,
        /// What the check needs.
        needed: &'a Op,
        /// The rule of the law.
        law: &'a StatutoryFact,
    },
    /// The value meets the check.
    Holds {
        /// The fact or field.
        name: &'a str,
        /// Its value.
        seen: &'a Seen<'a>,
        /// What the check needs.
        needed: &'a Op,
        /// Where the value comes from.
        origin: Origin<'a>,
    },
    /// The value does not meet the check.
    Fails {
        /// The fact or field.
        name: &'a str,
        /// Its value.
        seen: &'a Seen<'a>,
        /// What the check needs.
        needed: &'a Op,
        /// Where the value comes from.
        origin: Origin<'a>,
    },
    /// The value is of a type the check cannot compare.
    Incomparable {
        /// The fact or field.
        name: &'a str,
        /// Its value.
        seen: &'a Seen<'a>,
        /// What the check needs.
        needed: &'a Op,
        /// Where the value comes from.
        origin: Origin<'a>,
    },
}

/// The words between the clauses of a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joint {
    /// Between the deciding parts of a passed `all` or a failed `any` (`; and `).
    And,
    /// Between undecided parts (`; `).
    Then,
    /// Before the parts already settled when a test is undecided (` (while `).
    WhileOpen,
    /// After them (`)`).
    WhileClose,
    /// Before why a criterion does not apply (`does not apply: `).
    DoesNotApply,
    /// Before why a criterion would fail if it applied (`would fail (`).
    WouldFailOpen,
    /// After it (`), if it applies`).
    WouldFailClose,
    /// Before why it is unknown whether a criterion applies (`; whether it applies is unknown: `).
    AppliesUnknown,
}

/// Puts reasons into words: each clause and each joint. Implementations write into `out` and
/// never fail on their own.
pub trait Phrasing {
    /// Writes one clause.
    fn clause(&self, clause: &Clause<'_>, out: &mut dyn Write) -> fmt::Result;
    /// Writes the words of a joint.
    fn joint(&self, joint: Joint, out: &mut dyn Write) -> fmt::Result;
}

/// The reasons in English, as the CLI, the JSON API and the reports write them.
#[derive(Debug, Clone, Copy, Default)]
pub struct English;

impl Phrasing for English {
    fn clause(&self, clause: &Clause<'_>, out: &mut dyn Write) -> fmt::Result {
        match *clause {
            Clause::Missing { name, needed } => write!(out, "{name} is not documented (needed: {})", needed.describe()),
            Clause::LawOnly { name, needed } => write!(
                out,
                "{name} is not known (needed: {}): it comes from the law of the legal form, and the legal form's code is missing or not one the statute files know",
                needed.describe()
            ),
            Clause::Conflict { name, needed, documented, law } => write!(
                out,
                "{name} is documented as {}, but by law ({}) it is {}: a data conflict, so it is not used (needed: {})",
                documented.value.display(),
                law.citation,
                law.fact.value.display(),
                needed.describe()
            ),
            Clause::LawDefault { name, needed, law } => write!(
                out,
                "{name} is not documented (needed: {}); the law's default is {} ({}), but the statutes may differ",
                needed.describe(),
                law.fact.value.display(),
                law.citation
            ),
            Clause::LawUnverified { name, needed, law } => write!(
                out,
                "{name} is not documented (needed: {}); the law may make it {} ({}), but that rule is not verified",
                needed.describe(),
                law.fact.value.display(),
                law.citation
            ),
            Clause::Holds { name, seen, needed, origin } => {
                english_origin(origin, out)?;
                match needed {
                    Op::Eq(_) => write!(out, "{name} is {seen}"),
                    _ => write!(out, "{name} is {seen} ({})", needed.describe()),
                }
            }
            Clause::Fails { name, seen, needed, origin } => {
                english_origin(origin, out)?;
                match needed {
                    Op::Ne(_) | Op::NotIn(_) => write!(out, "{name} is {seen}, which is excluded"),
                    _ => write!(out, "{name} is {seen}, not {}", needed.describe()),
                }
            }
            Clause::Incomparable { name, seen, needed, origin } => {
                english_origin(origin, out)?;
                write!(out, "{name} is {seen}, a value this test cannot compare with {}", needed.describe())
            }
        }
    }

    fn joint(&self, joint: Joint, out: &mut dyn Write) -> fmt::Result {
        out.write_str(match joint {
            Joint::And => "; and ",
            Joint::Then => "; ",
            Joint::WhileOpen => " (while ",
            Joint::WhileClose => ")",
            Joint::DoesNotApply => "does not apply: ",
            Joint::WouldFailOpen => "would fail (",
            Joint::WouldFailClose => "), if it applies",
            Joint::AppliesUnknown => "; whether it applies is unknown: ",
        })
    }
}

fn english_origin(origin: Origin<'_>, out: &mut dyn Write) -> fmt::Result {
    match origin {
        Origin::Documented => Ok(()),
        Origin::SelfDeclared => out.write_str("self-declared: "),
        Origin::Statute(citation) => write!(out, "by law ({citation}): "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screening::{builtin, screen};
    use crate::testing::actor_from;

    /// Writes each clause's kind and name and each joint, to see the structure a reason has.
    struct Kinds;

    impl Phrasing for Kinds {
        fn clause(&self, clause: &Clause<'_>, out: &mut dyn Write) -> fmt::Result {
            let (kind, name) = match clause {
                Clause::Missing { name, .. } => ("missing", name),
                Clause::LawOnly { name, .. } => ("law_only", name),
                Clause::Conflict { name, .. } => ("conflict", name),
                Clause::LawDefault { name, .. } => ("law_default", name),
                Clause::LawUnverified { name, .. } => ("law_unverified", name),
                Clause::Holds { name, .. } => ("holds", name),
                Clause::Fails { name, .. } => ("fails", name),
                Clause::Incomparable { name, .. } => ("incomparable", name),
            };
            write!(out, "[{kind} {name}]")
        }

        fn joint(&self, joint: Joint, out: &mut dyn Write) -> fmt::Result {
            write!(out, "<{joint:?}>")
        }
    }

    #[test]
    fn a_reason_is_clauses_and_joints_that_a_phrasing_puts_into_words() {
        let a = actor_from(serde_json::json!({
            "id": "coop", "name": "Coop", "legal_form": {"family": "cooperative"},
            "facts": {"governance.voting_rule": "capital_weighted"}
        }));
        let qc = builtin::find("qc-2013").expect("the Quebec profile is built in");
        let s = screen(qc, &a);
        let words = |id: &str| {
            let r = s.criteria.iter().find(|c| c.id == id).expect("a criterion of the profile");
            let mut text = String::new();
            r.reason.write_with(&Kinds, &mut text).expect("writing to a String never fails");
            text
        };
        assert_eq!(words("form"), "[holds legal_form.family]");
        assert_eq!(words("democracy"), "[fails governance.voting_rule]");
        assert_eq!(words("needs"), "[missing purpose.primary]");
        assert_eq!(
            words("surplus"),
            "[missing surplus.distribution_allowed]<Then>[missing surplus.distribution_basis]"
        );
        // The English words are those of the Display (the CLI's and the API's text).
        let r = &s.criteria.iter().find(|c| c.id == "democracy").expect("criterion").reason;
        let mut english = String::new();
        r.write_with(&English, &mut english).expect("writing to a String never fails");
        assert_eq!(english, r.to_string());
        assert!(english.starts_with("governance.voting_rule is capital_weighted, not one of"), "{english}");
    }
}
