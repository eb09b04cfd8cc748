//! A social-innovation case's strength in the page's language: which step of the rule decided
//! (`solidaria_core::innovation::Decided`), written from the templates of `[strength_rule]`
//! with the dimensions by their translated titles, and the kinds of preconditions.

use super::{Messages, fill};
use serde::Deserialize;
use solidaria_core::innovation::{Decided, STRENGTH_PROFILE};
use solidaria_core::screening::builtin;

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
}
