//! De-duplication: pairs of actors that may describe the same organization, each with a score in
//! 0..1 and the reasons for it, naming both actors with the identifiers and source rows their
//! datasets gave them, so that a moderator can check a pair against the source files and merge it.
//!
//! # How pairs are found (blocking)
//! Comparing every actor with every other is quadratic; only pairs that share a **blocking key**
//! are compared:
//! 1. the same identifier (scheme and canonical value, see [`normalize::identifier_key`]; a value
//!    shared by more than [`MAX_IDENTIFIER_BLOCK`] actors is a placeholder and ignored);
//! 2. the same postcode (all pairs when at most [`MAX_BLOCK`] actors share it, otherwise the
//!    actors of the postcode sorted by name, each with its [`WINDOW`] next ones);
//! 3. the same rare word: each actor's [`RARE_WORDS`] rarest name words, each shared by at
//!    most [`MAX_BLOCK`] actors;
//! 4. the sorted neighbourhood: all actors sorted by normalized name, each with its [`WINDOW`]
//!    next ones (catches a typo in a rare word).
//!
//! # How a pair is scored
//! Each piece of evidence adds a weight (log-odds, in the manner of Fellegi and Sunter, with
//! weights set by hand and documented in [`weights`]); the score is the logistic of their sum
//! and a prior, so that 0.5 means "as likely as not". The evidence: shared or conflicting
//! identifiers, name similarity (words weighted by rarity, see [`name_similarity`]), a rare word
//! only these records share, postcode (same, same district, other area), distance between map
//! points (when a postcode does not decide), locality and legal form.
//!
//! The output order is deterministic: score descending, then the two ids.

pub mod merge;
pub mod normalize;
mod score;
use score::score_pair;
#[cfg(test)]
mod tests;

use crate::actor::Actor;
use crate::origin::Identifiers;
use normalize::{NameKey, PostcodeKey};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// Actors sharing one identifier value beyond which the value is taken for a placeholder.
pub const MAX_IDENTIFIER_BLOCK: usize = 20;
/// Largest block compared pair by pair (postcode or rare word).
pub const MAX_BLOCK: usize = 60;
/// Neighbours compared in a sorted list (a large postcode block, the whole name-sorted list).
pub const WINDOW: usize = 6;
/// Rarest name words of each actor used as blocking keys.
pub const RARE_WORDS: usize = 2;

/// What to look for.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Lowest score of a pair kept (0..1).
    pub threshold: f64,
    /// Identifier schemes not used as evidence (e.g. a directory's own ids, or the ids whose
    /// matches are being measured).
    pub ignore_schemes: BTreeSet<String>,
    /// Keep only pairs whose actors come from different datasets (an actor without sources
    /// counts as different from any).
    pub across_sources_only: bool,
    /// Pair each actor with at most one actor of each other dataset: its best (pairs taken by
    /// score, descending, then ids; a pair is dropped when either actor already has one with that
    /// dataset). For linking sources that each list an organization once.
    pub one_to_one: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { threshold: 0.5, ignore_schemes: BTreeSet::new(), across_sources_only: false, one_to_one: false }
    }
}

/// The weights of the evidence (log-odds; positive for "same organization").
pub mod weights {
    /// Before any evidence: most compared pairs are two organizations.
    pub const PRIOR: f64 = -4.0;
    /// A shared identifier.
    pub const SAME_IDENTIFIER: f64 = 12.0;
    /// Different numbers in a register that gives one number to one entity.
    pub const CONFLICTING_IDENTIFIER: f64 = -10.0;
    /// Name similarity `s` gives `NAME_SLOPE * (s - NAME_PIVOT)`, between `NAME_MIN` and `NAME_MAX`.
    pub const NAME_SLOPE: f64 = 30.0;
    /// The similarity that is no evidence either way.
    pub const NAME_PIVOT: f64 = 0.85;
    /// Most a name can add.
    pub const NAME_MAX: f64 = 5.0;
    /// Most a name can take away.
    pub const NAME_MIN: f64 = -10.0;
    /// The similar names share a word that no other record has.
    pub const RARE_WORD: f64 = 2.0;
    /// The same name, held by no other record.
    pub const RARE_NAME: f64 = 4.0;
    /// Same postcode.
    pub const SAME_POSTCODE: f64 = 6.0;
    /// Same postcode district (UK outward code).
    pub const SAME_DISTRICT: f64 = 2.5;
    /// Same postcode area, other district.
    pub const SAME_AREA: f64 = 0.5;
    /// Postcodes in different areas.
    pub const OTHER_AREA: f64 = -2.0;
    /// Different postcodes of a shape that cannot be split.
    pub const OTHER_POSTCODE: f64 = -1.0;
    /// Map points closer than 200 m.
    pub const NEAR_200M: f64 = 4.0;
    /// Map points closer than 2 km.
    pub const NEAR_2KM: f64 = 2.0;
    /// Map points closer than 20 km.
    pub const NEAR_20KM: f64 = 0.5;
    /// Map points more than 100 km apart.
    pub const FAR_100KM: f64 = -2.0;
    /// Same locality (when the postcodes are not in one district).
    pub const SAME_LOCALITY: f64 = 1.5;
    /// Different localities (when the postcodes are not in one district).
    pub const OTHER_LOCALITY: f64 = -0.5;
    /// Same legal form (code or label).
    pub const SAME_LEGAL_FORM: f64 = 1.0;
    /// Same legal-form family only.
    pub const SAME_FAMILY: f64 = 0.5;
    /// Different legal-form families.
    pub const OTHER_FAMILY: f64 = -1.5;
}

/// What a reason is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// A shared identifier.
    Identifier,
    /// Different numbers in the same register.
    IdentifierConflict,
    /// The names' similarity.
    Name,
    /// A word of both names that no other record has.
    RareWord,
    /// The same name, which no other record has.
    RareName,
    /// The postcodes.
    Postcode,
    /// The distance between the map points.
    Distance,
    /// The localities.
    Locality,
    /// The legal forms.
    LegalForm,
}

/// One reason of a pair's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// What it is about.
    pub evidence: Evidence,
    /// Its weight (log-odds, positive for "same organization").
    pub weight: f64,
    /// In words, e.g. `same gb_companies_house 01234567`, `names 0.93 similar after removing
    /// 'Limited'`, `same postcode M60 0AG`.
    pub text: String,
}

/// A row of a dataset an actor was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRow {
    /// The dataset.
    pub dataset: String,
    /// Its edition, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// The line where the row starts, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

/// One actor of a candidate pair, as its sources know it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// Its id in the registry.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its identifiers as its sources wrote them.
    pub identifiers: Identifiers,
    /// The dataset rows it was built from.
    pub sources: Vec<SourceRow>,
}

impl Side {
    fn of(a: &Actor) -> Self {
        Side {
            id: a.id.to_string(),
            name: a.name.clone(),
            identifiers: a.identifiers.clone(),
            sources: a
                .sources
                .iter()
                .map(|s| SourceRow { dataset: s.dataset.clone(), edition: s.edition.clone(), line: s.line })
                .collect(),
        }
    }
}

/// Two actors that may be one organization.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// How likely they are one organization, 0..1 (0.5: as likely as not).
    pub score: f64,
    /// The actor whose id sorts first.
    pub a: Side,
    /// The other actor.
    pub b: Side,
    /// The evidence, strongest first.
    pub reasons: Vec<Reason>,
}

/// How much work the search did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Stats {
    /// Actors read.
    pub actors: usize,
    /// Distinct pairs compared (all pairs would be `actors * (actors - 1) / 2`).
    pub compared: usize,
    /// Pairs at or above the threshold.
    pub candidates: usize,
}

/// The candidates and the work done.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// The pairs, score descending then ids.
    pub candidates: Vec<Candidate>,
    /// The work done.
    pub stats: Stats,
}

/// An actor read for matching.
struct Prepared<'a> {
    actor: &'a Actor,
    name: NameKey,
    joined: String,
    ids: Vec<(String, String)>,
    postcode: Option<PostcodeKey>,
    locality: Option<String>,
    datasets: BTreeSet<&'a str>,
}

impl<'a> Prepared<'a> {
    fn of(actor: &'a Actor, options: &Options) -> Self {
        let name = normalize::name_key(&actor.name);
        let mut ids: Vec<(String, String)> = actor
            .identifiers
            .iter()
            .filter(|(scheme, _)| !options.ignore_schemes.contains(*scheme))
            .filter_map(|(scheme, value)| normalize::identifier_key(scheme, value))
            .collect();
        ids.sort();
        ids.dedup();
        let country = actor.address.country.as_deref();
        Prepared {
            actor,
            joined: name.joined(),
            name,
            ids,
            postcode: actor.address.postcode.as_deref().and_then(|p| normalize::postcode_key(p, country)),
            locality: actor.address.locality.as_deref().and_then(normalize::locality_key),
            datasets: actor.sources.iter().map(|s| s.dataset.as_str()).collect(),
        }
    }
}

/// How rare each name word is among the actors: the number of actors whose name has it.
struct Rarity {
    df: HashMap<String, usize>,
    names: HashMap<String, usize>,
    n: f64,
}

impl Rarity {
    fn new(prepared: &[Prepared<'_>]) -> Self {
        let mut df: HashMap<String, usize> = HashMap::new();
        let mut names: HashMap<String, usize> = HashMap::new();
        for p in prepared {
            *names.entry(p.joined.clone()).or_default() += 1;
            let words: BTreeSet<&String> = p.name.tokens.iter().collect();
            for w in words {
                *df.entry(w.clone()).or_default() += 1;
            }
        }
        Rarity { df, names, n: prepared.len().max(1) as f64 }
    }

    /// The number of actors with this normalized name.
    fn name_count(&self, joined: &str) -> usize {
        self.names.get(joined).copied().unwrap_or(0)
    }

    fn count(&self, word: &str) -> usize {
        self.df.get(word).copied().unwrap_or(0)
    }

    /// Inverse document frequency: rare words weigh more.
    fn weight(&self, word: &str) -> f64 {
        (1.0 + self.n / self.count(word).max(1) as f64).ln()
    }
}

/// Finds the pairs of actors that may be one organization (see the module documentation).
pub fn find_candidates(actors: &[Actor], options: &Options) -> Outcome {
    let mut order: Vec<&Actor> = actors.iter().collect();
    order.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
    let prepared: Vec<Prepared<'_>> = order.iter().map(|a| Prepared::of(a, options)).collect();
    let rarity = Rarity::new(&prepared);
    let pairs = blocked_pairs(&prepared, &rarity);
    let mut candidates = Vec::new();
    let mut compared = 0;
    for (i, j) in pairs {
        let (p, q) = (&prepared[i], &prepared[j]);
        if options.across_sources_only && !p.datasets.is_disjoint(&q.datasets) {
            continue;
        }
        compared += 1;
        let (score, reasons) = score_pair(p, q, &rarity);
        if score >= options.threshold {
            candidates.push(Candidate { score, a: Side::of(p.actor), b: Side::of(q.actor), reasons });
        }
    }
    candidates.sort_by(|x, y| {
        y.score.total_cmp(&x.score).then_with(|| x.a.id.cmp(&y.a.id)).then_with(|| x.b.id.cmp(&y.b.id))
    });
    if options.one_to_one {
        candidates = best_only(candidates);
    }
    let stats = Stats { actors: actors.len(), compared, candidates: candidates.len() };
    Outcome { candidates, stats }
}

/// Keeps, from pairs sorted best first, each actor's first pair with each other dataset.
fn best_only(candidates: Vec<Candidate>) -> Vec<Candidate> {
    let datasets = |s: &Side| s.sources.iter().map(|r| r.dataset.clone()).collect::<BTreeSet<String>>();
    let mut taken: BTreeSet<(String, BTreeSet<String>)> = BTreeSet::new();
    let mut kept = Vec::new();
    for c in candidates {
        let a = (c.a.id.clone(), datasets(&c.b));
        let b = (c.b.id.clone(), datasets(&c.a));
        if taken.contains(&a) || taken.contains(&b) {
            continue;
        }
        taken.insert(a);
        taken.insert(b);
        kept.push(c);
    }
    kept
}

/// The pairs that share a blocking key, as indices `(i, j)` with `i < j`, sorted, each once.
fn blocked_pairs(prepared: &[Prepared<'_>], rarity: &Rarity) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let add_all = |members: &[usize], pairs: &mut Vec<(usize, usize)>| {
        for (k, &i) in members.iter().enumerate() {
            for &j in &members[k + 1..] {
                pairs.push((i.min(j), i.max(j)));
            }
        }
    };
    let window = |members: &mut Vec<usize>, pairs: &mut Vec<(usize, usize)>| {
        members.sort_by(|&i, &j| prepared[i].joined.cmp(&prepared[j].joined).then(i.cmp(&j)));
        for (k, &i) in members.iter().enumerate() {
            for &j in members.iter().skip(k + 1).take(WINDOW) {
                pairs.push((i.min(j), i.max(j)));
            }
        }
    };

    let mut by_id: HashMap<&(String, String), Vec<usize>> = HashMap::new();
    let mut by_postcode: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_word: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in prepared.iter().enumerate() {
        for id in &p.ids {
            by_id.entry(id).or_default().push(i);
        }
        if let Some(pc) = &p.postcode {
            by_postcode.entry(pc.full.as_str()).or_default().push(i);
        }
        let mut words: Vec<&String> = p.name.tokens.iter().collect::<BTreeSet<_>>().into_iter().collect();
        words.sort_by_key(|w| rarity.count(w));
        for w in words.into_iter().take(RARE_WORDS) {
            by_word.entry(w.as_str()).or_default().push(i);
        }
    }
    for members in by_id.values().filter(|m| m.len() <= MAX_IDENTIFIER_BLOCK) {
        add_all(members, &mut pairs);
    }
    for members in by_postcode.into_values() {
        let mut members = members;
        if members.len() <= MAX_BLOCK {
            add_all(&members, &mut pairs);
        } else {
            window(&mut members, &mut pairs);
        }
    }
    for members in by_word.values().filter(|m| m.len() <= MAX_BLOCK) {
        add_all(members, &mut pairs);
    }
    let mut all: Vec<usize> = (0..prepared.len()).collect();
    window(&mut all, &mut pairs);
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}
