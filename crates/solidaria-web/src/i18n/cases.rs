//! A social-innovation case's strength in the page's language: which step of the rule decided
//! (`solidaria_core::innovation::Decided`), written from the templates of `[strength_rule]`
//! with the dimensions by their translated titles, and the kinds of preconditions.

use super::{Messages, Words, fill};
use serde::Deserialize;
use serde_json::Value;
use solidaria_core::case::{Op, Precondition};
use solidaria_core::innovation::{Decided, STRENGTH_PROFILE};
use solidaria_core::screening::builtin;
use solidaria_core::vocab::{self, FactType};

/// The templates of the strength rule (`[strength_rule]`), with `{dimension}`, `{dimensions}`
/// and `{count}` filled in, and the words of the precondition kinds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct StrengthRuleWords {
    pub decisive_fails: String,
    pub core_fail: String,
    pub no_evidence: String,
    pub all_pass: String,
    pub complementary_fail: String,
    pub one_core_fails: String,
    /// A dimension's title quoted in a list (`{title}`).
    pub quote: String,
    /// Between the quoted titles of a list.
    pub separator: String,
    /// A precondition without which the case does not work.
    pub essential: String,
    /// A precondition that helps.
    pub supportive: String,
    /// A precondition in words: `{name}` (the context key's label) and `{needed}` (the test).
    pub precondition: String,
    /// A share written as a percentage (`{value}`).
    pub percent: String,
}

impl Messages {
    /// A dimension of the strength profile by its title in this language.
    fn dimension(&self, id: &str) -> String {
        let english = builtin::find(STRENGTH_PROFILE)
            .and_then(|p| p.criteria.iter().find(|c| c.id == id))
            .map_or(id, |c| c.title.as_str());
        self.criterion_title(STRENGTH_PROFILE, id, english).to_string()
    }

    /// Which step of the strength rule decided, in a sentence of this language.
    pub fn strength_rule(&self, d: &Decided) -> String {
        let r = &self.strength_rule;
        let quoted = |ids: &[&str]| {
            let v: Vec<String> = ids.iter().map(|id| fill(&r.quote, &[("title", &self.dimension(id))])).collect();
            v.join(&r.separator)
        };
        match d {
            Decided::DecisiveFails(id) => fill(&r.decisive_fails, &[("dimension", &self.dimension(id))]),
            Decided::CoreFail(ids) => {
                fill(&r.core_fail, &[("count", &ids.len().to_string()), ("dimensions", &quoted(ids))])
            }
            Decided::NoEvidence(ids) => fill(&r.no_evidence, &[("dimensions", &quoted(ids))]),
            Decided::AllPass => r.all_pass.clone(),
            Decided::ComplementaryFail(ids) => {
                let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                fill(&r.complementary_fail, &[("dimensions", &quoted(&ids))])
            }
            Decided::OneCoreFails(id) => fill(&r.one_core_fails, &[("dimension", &self.dimension(id))]),
        }
    }

    /// The kind of a precondition (`essential`, `supportive`) in words.
    pub fn precondition_kind<'a>(&'a self, code: &'a str) -> &'a str {
        match code {
            "essential" => &self.strength_rule.essential,
            "supportive" => &self.strength_rule.supportive,
            other => other,
        }
    }

    /// A precondition's test in words: the context key's label and what it needs, with values
    /// labelled, shares as percentages and numbers in this language ("Share of adults with
    /// access to formal credit: at least 40%"; "Social finance market: emerging or developed").
    pub fn precondition(&self, p: &Precondition) -> String {
        let words = Words(self);
        let ty = vocab::spec(&p.key).map(|s| s.ty);
        let value = |v: &Value| match v {
            Value::Bool(b) => words.yes_no(*b),
            Value::Number(n) => match (ty, n.as_f64()) {
                (Some(FactType::Share), Some(x)) => {
                    fill(&self.strength_rule.percent, &[("value", &self.number((x * 1000.0).round() / 10.0))])
                }
                (_, Some(x)) => self.number(x),
                _ => n.to_string(),
            },
            Value::String(s) => self.value(s).to_string(),
            other => other.to_string(),
        };
        let values = |v: &Value| match v {
            Value::Array(items) => words.list(&items.iter().map(value).collect::<Vec<_>>()),
            one => value(one),
        };
        let r = &self.reasons;
        let one = |template: &str| fill(template, &[("value", &value(&p.value))]);
        let needed = match p.op {
            Op::Eq => values(&p.value),
            Op::Ne => one(&r.op_ne),
            Op::Lt => one(&r.op_lt),
            Op::Le => one(&r.op_le),
            Op::Gt => one(&r.op_gt),
            Op::Ge => one(&r.op_ge),
            Op::In => values(&p.value),
            Op::NotIn => fill(&r.op_not_in, &[("values", &values(&p.value))]),
        };
        fill(&self.strength_rule.precondition, &[("name", self.operand(&p.key)), ("needed", &needed)])
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::{LANGUAGES, messages};
    use solidaria_core::innovation::Decided;

    /// Every step of the rule is written in every language with the dimensions' titles, no
    /// placeholder or code left, and French and Spanish are not English.
    #[test]
    fn every_step_of_the_strength_rule_is_written_in_every_language() {
        let steps = [
            Decided::DecisiveFails("permanence"),
            Decided::CoreFail(vec!["community_empowerment", "root_causes"]),
            Decided::NoEvidence(vec!["community_empowerment"]),
            Decided::AllPass,
            Decided::ComplementaryFail(vec!["democratic_governance".into()]),
            Decided::OneCoreFails("root_causes"),
        ];
        for (lang, _) in LANGUAGES {
            let t = messages(lang);
            for d in &steps {
                let text = t.strength_rule(d);
                assert!(!text.contains(['{', '}', '_']), "{lang}: {text}");
                if *lang != "en" {
                    assert_ne!(text, messages("en").strength_rule(d), "{lang} is left in English");
                }
            }
            assert!(!t.precondition_kind("supportive").is_empty(), "{lang}");
        }
        assert_eq!(messages("fr").precondition_kind("essential"), "indispensable");
        assert_eq!(
            messages("fr").strength_rule(&steps[2]),
            "Indéterminée : pas encore de preuve sur « Donne aux personnes concernées de nouvelles capacités (un processus, pas seulement des résultats) »."
        );
    }

    /// Every context key of the vocabulary, under every comparison its type allows, reads in
    /// words in every language: no `context.` key, no value code, no JSON left.
    #[test]
    fn every_precondition_reads_in_words_in_every_language() {
        use solidaria_core::vocab::{FactType, Subject, VOCABULARY};
        // Preconditions as a case record states them (parsed, so typed by the vocabulary).
        let parse = |v: &serde_json::Value| {
            let case = serde_json::json!({"type": "case", "id": "c", "name": "C", "preconditions": [v]});
            match solidaria_core::record::parse_record(&case) {
                Ok(solidaria_core::record::Record::Case(c)) => c.preconditions.into_iter().next(),
                _ => None,
            }
        };
        let mut preconditions = Vec::new();
        for spec in VOCABULARY.iter().filter(|s| matches!(s.subject, Subject::Territory)) {
            let key = spec.key;
            let tests: Vec<serde_json::Value> = match spec.ty {
                FactType::Bool => vec![serde_json::json!({"key": key, "op": "=", "value": true})],
                FactType::Enum(values) => vec![
                    serde_json::json!({"key": key, "op": "in", "value": values}),
                    serde_json::json!({"key": key, "op": "=", "value": values[0]}),
                    serde_json::json!({"key": key, "op": "not_in", "value": [values[0]]}),
                ],
                FactType::Count => vec![serde_json::json!({"key": key, "op": ">=", "value": 2})],
                _ => vec![
                    serde_json::json!({"key": key, "op": "<=", "value": 0.3}),
                    serde_json::json!({"key": key, "op": ">", "value": 0.07}),
                ],
            };
            for v in tests {
                preconditions.push(parse(&v).unwrap_or_else(|| panic!("{v} is a valid precondition")));
            }
        }
        assert!(preconditions.len() >= 11, "every context key is tried");
        for (lang, _) in LANGUAGES {
            let t = messages(lang);
            for p in &preconditions {
                let text = t.precondition(p);
                assert!(!text.contains("context.") && !text.contains(['_', '{', '}', '[', '"']), "{lang}: {text}");
                assert!(!text.contains(p.key.trim_start_matches("context.")), "{lang}: raw key in {text}");
            }
        }
        let credit = parse(&serde_json::json!({"key": "context.formal_credit_access", "op": ">=", "value": 0.4}));
        let credit = credit.expect("valid");
        assert_eq!(messages("en").precondition(&credit), "Share of adults with access to formal credit: at least 40%");
        assert_eq!(
            messages("fr").precondition(&credit),
            "Part des adultes ayant accès au crédit formel : au moins 40\u{a0}%"
        );
        let market =
            serde_json::json!({"key": "context.social_finance_market", "op": "in", "value": ["emerging", "developed"]});
        let market = parse(&market).expect("valid");
        assert_eq!(messages("es").precondition(&market), "Mercado de finanzas sociales: emergente o desarrollado");
        let small = parse(&serde_json::json!({"key": "context.informal_economy_share", "op": "<", "value": 0.075}));
        assert_eq!(
            messages("fr").precondition(&small.expect("valid")),
            "Part des emplois dans l'économie informelle : moins de 7,5\u{a0}%"
        );
    }
}
