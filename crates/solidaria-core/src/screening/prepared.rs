//! An actor prepared for screening under many profiles at once: the fact each vocabulary key
//! reads (documented, or made true by the law of its legal form, or none on a conflict) worked
//! out once, in an array indexed by the key's vocabulary position, so that each of the hundreds
//! of reads of a batch screening is an index rather than a search of the actor's facts by key
//! and a look-up of its law. Measured with callgrind on `bench_screening 5000 codes`: those
//! searches were about 60 % of a verdict's instructions (BENCHMARKS.md).
//!
//! The answers are the actor's own ([`Subject`] for `Actor`): a test checks that every profile
//! gives the same screening through both.

use super::expr::{Field, FieldValue, Subject};
use crate::actor::Actor;
use crate::fact::Fact;
use crate::statute::{self, StatutoryFact};
use crate::vocab::{self, VOCABULARY};

/// An actor with its facts indexed by vocabulary position (see the module's documentation).
pub struct Prepared<'a> {
    actor: &'a Actor,
    slots: Vec<Option<&'a Fact>>,
}

impl<'a> Prepared<'a> {
    /// Prepares `actor`: one hash look-up per documented fact and one per rule of its law.
    pub fn new(actor: &'a Actor) -> Self {
        let mut slots: Vec<Option<&'a Fact>> = vec![None; VOCABULARY.len()];
        for (key, fact) in &actor.facts {
            if let Some(i) = vocab::slot(key) {
                slots[usize::from(i)] = Some(fact);
            }
        }
        if actor.legal_form.code.is_some()
            && let Some(form) = statute::of_actor(actor)
        {
            let mut seen = vec![false; VOCABULARY.len()];
            for rule in &form.facts {
                let Some(i) = vocab::slot(&rule.key).map(usize::from) else { continue };
                // The first rule on a key is the law's (as `FormStatute::rule` reads it).
                if !std::mem::replace(&mut seen[i], true) {
                    let documented = actor.facts.get(&rule.key);
                    slots[i] = statute::effective(documented, Some(rule));
                }
            }
        }
        Prepared { actor, slots }
    }
}

impl Subject for Prepared<'_> {
    fn subject_id(&self) -> &str {
        self.actor.subject_id()
    }

    fn fact(&self, key: &str) -> Option<&Fact> {
        self.actor.fact(key)
    }

    fn fact_at(&self, slot: u16, key: &str) -> Option<&Fact> {
        match self.slots.get(usize::from(slot)) {
            Some(found) => *found,
            None => self.actor.fact(key),
        }
    }

    fn field(&self, field: Field) -> Option<FieldValue<'_>> {
        self.actor.field(field)
    }

    fn law(&self, key: &str) -> Option<&StatutoryFact> {
        self.actor.law(key)
    }

    fn documented(&self, key: &str) -> Option<&Fact> {
        self.actor.documented(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screening::{builtin, screen};
    use crate::testing::arb_actor;
    use proptest::prelude::*;

    /// The same verdict, outcomes and facts used, whether an actor is screened as itself or
    /// prepared, under every built-in profile; actors get a statute form's code half the time.
    #[test]
    fn a_prepared_actor_screens_as_the_actor_itself() {
        let codes: Vec<&str> = statute::forms().iter().filter_map(|f| f.codes.first().map(String::as_str)).collect();
        proptest!(ProptestConfig::with_cases(300), |(mut a in arb_actor(), pick in 0usize..64)| {
            if pick < codes.len() * 2 && pick % 2 == 0 {
                a.legal_form.code = Some(codes[pick / 2].to_string());
            }
            let p = Prepared::new(&a);
            for profile in builtin::all() {
                let (direct, prepared) = (screen(profile, &a), screen(profile, &p));
                prop_assert_eq!(direct.verdict, prepared.verdict, "{}", profile.id);
                let outcomes = |s: &crate::screening::Screening<'_>| s.criteria.iter().map(|c| c.outcome).collect::<Vec<_>>();
                prop_assert_eq!(outcomes(&direct), outcomes(&prepared), "{}", profile.id);
                prop_assert_eq!(
                    serde_json::to_value(&direct).unwrap(),
                    serde_json::to_value(&prepared).unwrap(),
                    "{}", profile.id
                );
            }
        });
    }
}
