//! The actor page's view of the law and of the evidence: what the law of the actor's legal form
//! makes true (each rule, cited, and whether screening uses it), its data conflicts, and for each
//! undecided verdict the facts that would decide it.

use crate::i18n::Messages;
use solidaria_core::Actor;
use solidaria_core::screening::evidence::evidence;
use solidaria_core::screening::profile::Profile;
use solidaria_core::statute::{self, RuleUse};

/// One rule of the law of the actor's form, as shown.
pub struct LawRow {
    /// The fact key.
    pub key: String,
    /// The value the law gives it.
    pub value: String,
    /// Act and article.
    pub citation: String,
    /// Whether and how screening uses it, in words.
    pub how: String,
}

/// The law of an actor's legal form, as shown: its name and act, its rules, its conflicts.
pub struct LawView {
    /// The form's name and act.
    pub form: String,
    /// Its rules.
    pub rules: Vec<LawRow>,
    /// Documented facts that contradict a mandatory rule.
    pub conflicts: Vec<String>,
}

/// The law of the actor's legal form, if the statute files know it.
pub fn law(t: &Messages, a: &Actor) -> Option<LawView> {
    let form = statute::of_actor(a)?;
    let rules = form
        .facts
        .iter()
        .map(|r| LawRow {
            key: t.operand(&r.key).to_string(),
            value: crate::i18n::Words(t).fact_value(&r.fact.value),
            citation: r.citation.clone(),
            how: match r.use_for(a) {
                RuleUse::Used => t.law_used.clone(),
                RuleUse::Documented => t.law_documented.clone(),
                RuleUse::Default => t.law_default.clone(),
                RuleUse::Unverified => t.law_unverified.clone(),
            },
        })
        .collect();
    let words = crate::i18n::Words(t);
    let conflicts = statute::conflicts(a)
        .iter()
        .map(|c| {
            crate::i18n::fill(
                &t.reasons.law_conflict,
                &[
                    ("name", t.operand(c.key)),
                    ("documented", &words.fact_value(&c.documented.value)),
                    ("citation", &c.law.citation),
                    ("law", &words.fact_value(&c.law.fact.value)),
                ],
            )
        })
        .collect();
    Some(LawView { form: format!("{} ({})", form.name, form.act), rules, conflicts })
}

/// For an undecided verdict, the facts that would decide it, in words: to qualify, and to
/// refute (each set of facts in parentheses when it has several, the sets joined by "or").
pub fn would_decide(t: &Messages, p: &Profile, a: &Actor) -> Option<(String, String)> {
    let e = evidence(p, a)?;
    let words = |sets: &[solidaria_core::screening::evidence::FactSet<'_>]| {
        sets.iter()
            .map(|set| {
                let labels: Vec<&str> = set.iter().map(|k| t.operand(k)).collect();
                if labels.len() > 1 { format!("({})", labels.join(", ")) } else { labels.join("") }
            })
            .collect::<Vec<_>>()
            .join(&t.reasons.or)
    };
    Some((words(&e.to_qualify), words(&e.to_refute)))
}

/// Whether an undecided verdict has facts that a contributor could supply on the facts form.
pub fn can_supply(p: &Profile, a: &Actor) -> bool {
    evidence(p, a).is_some_and(|e| !solidaria_core::supply::askable(&e, a).is_empty())
}
