//! Screening reasons in the page's language: the core's clauses and joints
//! (`solidaria_core::screening::phrase`) written from the templates of `[reasons]`, with fact
//! keys, fields and values in words.

use super::{Messages, fill};
use solidaria_core::fact::FactValue;
use solidaria_core::screening::expr::{Lit, Op};
use solidaria_core::screening::phrase::{Clause, Joint, Origin, Phrasing, Seen};
use solidaria_core::screening::{MismatchReason, Reason};
use std::fmt::{self, Write};

/// Writes reasons with the words of one language.
pub struct Words<'a>(pub &'a Messages);

impl Words<'_> {
    /// Items joined as alternatives ("a, b or c"; "none" when empty).
    pub(crate) fn list(&self, items: &[String]) -> String {
        let r = &self.0.reasons;
        match items {
            [] => r.none.clone(),
            [one] => one.clone(),
            [init @ .., last] => format!("{}{}{last}", init.join(", "), r.or),
        }
    }

    fn lit(&self, l: &Lit) -> String {
        match l {
            Lit::Bool(b) => self.yes_no(*b),
            Lit::Num(x) => self.0.number(*x),
            Lit::Text(s) => self.0.value(s).to_string(),
        }
    }

    /// Yes or no, in lower case.
    pub(crate) fn yes_no(&self, b: bool) -> String {
        if b { self.0.yes.to_lowercase() } else { self.0.no.to_lowercase() }
    }

    /// What a check needs, in words.
    fn needed(&self, op: &Op) -> String {
        let r = &self.0.reasons;
        let one = |t: &str, v: String| fill(t, &[("value", &v)]);
        let many = |t: &str, v: Vec<String>| fill(t, &[("values", &self.list(&v))]);
        let lits = |v: &[Lit]| v.iter().map(|l| self.lit(l)).collect::<Vec<_>>();
        match op {
            Op::Eq(l) => self.lit(l),
            Op::Ne(l) => one(&r.op_ne, self.lit(l)),
            Op::In(v) => many(&r.op_in, lits(v)),
            Op::NotIn(v) => many(&r.op_not_in, lits(v)),
            Op::Lt(x) => one(&r.op_lt, self.0.number(*x)),
            Op::Le(x) => one(&r.op_le, self.0.number(*x)),
            Op::Gt(x) => one(&r.op_gt, self.0.number(*x)),
            Op::Ge(x) => one(&r.op_ge, self.0.number(*x)),
            Op::Contains(s) => one(&r.op_contains, self.0.value(s).to_string()),
            Op::ContainsAny(v) => many(&r.op_contains_any, v.iter().map(|s| self.0.value(s).to_string()).collect()),
        }
    }

    fn seen(&self, s: &Seen<'_>) -> String {
        match s {
            Seen::Bool(b) => self.yes_no(*b),
            Seen::Num(x) => self.0.number(*x),
            Seen::Text(t) => self.0.value(t).to_string(),
            Seen::Set(v) if v.is_empty() => self.0.reasons.none.clone(),
            Seen::Set(v) => v.iter().map(|x| self.0.value(x)).collect::<Vec<_>>().join(", "),
        }
    }

    /// A fact's value in words (yes/no, numbers with the language's separator, codes labelled).
    pub fn fact_value(&self, v: &FactValue) -> String {
        match v {
            FactValue::Bool(b) => self.yes_no(*b),
            FactValue::Count(n) => n.to_string(),
            FactValue::Number(x) => self.0.number(*x),
            FactValue::Choice(s) => self.0.value(s).to_string(),
            FactValue::Set(items) => items.iter().map(|x| self.0.value(x)).collect::<Vec<_>>().join(", "),
            other => other.display(),
        }
    }

    /// A criterion's reason in this language.
    pub fn reason(&self, r: &Reason<'_>) -> String {
        let mut s = String::new();
        // Writing into a String does not fail; the phrasing itself never fails.
        let _ = r.write_with(self, &mut s);
        s
    }

    /// A contradicted claim, in a sentence of this language.
    pub fn mismatch(&self, m: &MismatchReason<'_>, profile_title: &str, criterion: &str) -> String {
        let title = self.0.criterion_title(m.profile(), criterion, m.title());
        fill(
            &self.0.summary.mismatch,
            &[
                ("claim", self.0.claim(m.claim().as_str())),
                ("profile", profile_title),
                ("title", title),
                ("reason", &self.reason(&m.reason())),
            ],
        )
    }
}

impl Phrasing for Words<'_> {
    fn clause(&self, clause: &Clause<'_>, out: &mut dyn Write) -> fmt::Result {
        let r = &self.0.reasons;
        let origin = |o: Origin<'_>, clause: String| match o {
            Origin::Documented => clause,
            Origin::SelfDeclared => fill(&r.self_declared, &[("clause", &clause)]),
            Origin::Statute(citation) => fill(&r.by_law, &[("clause", &clause), ("citation", citation)]),
        };
        let text = match *clause {
            Clause::Missing { name, needed } => {
                fill(&r.missing, &[("name", self.0.operand(name)), ("needed", &self.needed(needed))])
            }
            Clause::LawOnly { name, needed } => {
                fill(&r.law_only, &[("name", self.0.operand(name)), ("needed", &self.needed(needed))])
            }
            Clause::Conflict { name, needed, documented, law } => fill(
                &r.conflict,
                &[
                    ("name", self.0.operand(name)),
                    ("needed", &self.needed(needed)),
                    ("documented", &self.fact_value(&documented.value)),
                    ("law", &self.fact_value(&law.fact.value)),
                    ("citation", &law.citation),
                ],
            ),
            Clause::LawDefault { name, needed, law } | Clause::LawUnverified { name, needed, law } => {
                let template =
                    if matches!(clause, Clause::LawDefault { .. }) { &r.law_default } else { &r.law_unverified };
                fill(
                    template,
                    &[
                        ("name", self.0.operand(name)),
                        ("needed", &self.needed(needed)),
                        ("law", &self.fact_value(&law.fact.value)),
                        ("citation", &law.citation),
                    ],
                )
            }
            Clause::Holds { name, seen, needed, origin: o } => {
                let template = if matches!(needed, Op::Eq(_)) { &r.holds_eq } else { &r.holds };
                let body = fill(
                    template,
                    &[("name", self.0.operand(name)), ("seen", &self.seen(seen)), ("needed", &self.needed(needed))],
                );
                origin(o, body)
            }
            Clause::Fails { name, seen, needed, origin: o } => {
                let template = if matches!(needed, Op::Ne(_) | Op::NotIn(_)) { &r.excluded } else { &r.fails };
                let body = fill(
                    template,
                    &[("name", self.0.operand(name)), ("seen", &self.seen(seen)), ("needed", &self.needed(needed))],
                );
                origin(o, body)
            }
            Clause::Incomparable { name, seen, needed, origin: o } => {
                let body = fill(
                    &r.incomparable,
                    &[("name", self.0.operand(name)), ("seen", &self.seen(seen)), ("needed", &self.needed(needed))],
                );
                origin(o, body)
            }
        };
        out.write_str(&text)
    }

    fn joint(&self, joint: Joint, out: &mut dyn Write) -> fmt::Result {
        let r = &self.0.reasons;
        out.write_str(match joint {
            Joint::And => &r.and,
            Joint::Then => &r.then,
            Joint::WhileOpen => &r.while_open,
            Joint::WhileClose => &r.while_close,
            Joint::DoesNotApply => &r.does_not_apply,
            Joint::WouldFailOpen => &r.would_fail_open,
            Joint::WouldFailClose => &r.would_fail_close,
            Joint::AppliesUnknown => &r.applies_unknown,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::messages;
    use solidaria_core::screening::{builtin, screen};

    #[test]
    fn reasons_are_written_in_the_page_s_language() {
        let v = serde_json::json!({
            "type": "actor", "id": "coop", "name": "Coop", "legal_form": {"family": "cooperative"},
            "facts": {"governance.voting_rule": "capital_weighted", "control.public_share": 0.25}
        });
        let Ok(solidaria_core::record::Record::Actor(a)) = solidaria_core::record::parse_record(&v) else {
            panic!("not an actor record");
        };
        let qc = builtin::find("qc-2013").expect("built in");
        let s = screen(qc, &a);
        let fr = Words(messages("fr"));
        let reason = |id: &str| fr.reason(&s.criteria.iter().find(|c| c.id == id).expect("criterion").reason);
        assert_eq!(
            reason("democracy"),
            "Règle de vote en assemblée : voix selon le capital détenu, alors qu'il faut l'un de : une personne, une voix ou voix pondérées plafonnées"
        );
        assert_eq!(reason("public"), "Part des voix détenue par des organismes publics : 0,25 (moins de 0,5)");
        assert!(
            reason("needs")
                .starts_with("Au service de qui d'abord : information manquante (attendu : l'un de : intérêt général")
        );
        assert_eq!(reason("form"), "Forme juridique : Coopérative (l'un de : Coopérative, Mutuelle ou Association)");
        // English pages use the same templates; the API keeps the core's text.
        let en = Words(messages("en"));
        assert!(en.reason(&s.criteria[0].reason).starts_with("Legal form: Co-operative"));
        assert!(s.criteria[0].reason.to_string().starts_with("legal_form.family is cooperative"));
    }
}
