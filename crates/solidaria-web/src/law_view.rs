//! The actor page's view of the law and of the evidence: what the law of the actor's legal form
//! makes true (each rule, cited, and whether screening uses it), its data conflicts, and for each
//! undecided verdict the facts that would decide it.

use crate::i18n::Messages;
use solidaria_core::Actor;
use solidaria_core::screening::evidence::{FactSet, evidence};
use solidaria_core::screening::profile::Profile;
use solidaria_core::statute::{self, RuleKind};

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
            key: r.key.clone(),
            value: r.fact.value.display(),
            citation: r.citation.clone(),
            how: match (r.decides(), a.facts.contains_key(&r.key), r.rule) {
                (true, false, _) => t.law_used.clone(),
                (true, true, _) => t.law_documented.clone(),
                (false, _, RuleKind::Default) => t.law_default.clone(),
                (false, _, RuleKind::Mandatory) => t.law_unverified.clone(),
            },
        })
        .collect();
    let conflicts = statute::conflicts(a).iter().map(|c| c.to_string()).collect();
    Some(LawView { form: format!("{} ({})", form.name, form.act), rules, conflicts })
}

fn sets(list: &[FactSet<'_>]) -> String {
    list.iter()
        .map(|s| format!("{{{}}}", s.iter().copied().collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// For an undecided verdict, the facts that would decide it: to qualify, and to refute.
pub fn would_decide(p: &Profile, a: &Actor) -> Option<(String, String)> {
    let e = evidence(p, a)?;
    Some((sets(&e.to_qualify), sets(&e.to_refute)))
}
