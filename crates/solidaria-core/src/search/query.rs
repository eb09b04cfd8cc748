//! A query against the [`Index`]: which actors match (every word of the text, in any string of
//! the record, allowing typos in long words and taking the last word as possibly unfinished;
//! every filter; the area of the map), how many, the facets of all of them, and one page in
//! order of relevance.
//!
//! Relevance is a sequence of rules, each only ordering what the rules before it left equal
//! (the way Meilisearch ranks), so that the order can be said in words:
//! 1. **typos**: actors matched with every word as typed (or as the start of a word, for the
//!    last one) before those matched through a corrected word;
//! 2. **name**: more of the query's words in the name (or another name), before fewer;
//! 3. **exactness**: the name is the query, then the name starts with the query's first word,
//!    then the rest;
//! 4. **order**: by distance when searching around a point, else by name.
//!
//! A word of [`ONE_TYPO`] letters or more matches words one edit away (a letter added, removed,
//! changed, or two swapped), of [`TWO_TYPOS`] or more two edits away; words with a digit are
//! matched as typed (a registration number one digit away is another organization).

use super::index::{Entry, FACETS, Index, NAME_LENGTHS};
use super::text::query_words;
use crate::dedup::normalize::distance_km;
use fst::{IntoStreamer, Streamer};
use levenshtein_automata::{DFA, Distance, LevenshteinAutomatonBuilder};
use roaring::{MultiOps, RoaringBitmap};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// Letters from which a word forgives one typo.
pub const ONE_TYPO: usize = 5;
/// Letters from which a word forgives two typos.
pub const TWO_TYPOS: usize = 9;

/// An area of the map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Area {
    /// A box: `west`, `south`, `east`, `north` in degrees (as GeoJSON's `bbox`).
    Box {
        /// Least longitude.
        west: f64,
        /// Least latitude.
        south: f64,
        /// Greatest longitude.
        east: f64,
        /// Greatest latitude.
        north: f64,
    },
    /// A circle around a point: results are then ordered by distance among equals and carry it.
    Around {
        /// Latitude of the centre.
        lat: f64,
        /// Longitude of the centre.
        lon: f64,
        /// Radius in kilometres.
        km: f64,
    },
}

impl Area {
    /// Whether the point (`lat`, `lon`) lies in the area (a box may cross the antimeridian).
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        match *self {
            Area::Box { west, south, east, north } => {
                lat >= south && lat <= north && lon_spans(west, east).iter().any(|(a, b)| lon >= *a && lon <= *b)
            }
            Area::Around { lat: clat, lon: clon, km } => distance_km((clat, clon), (lat, lon)) <= km,
        }
    }
}

/// What to look for.
#[derive(Debug, Clone, Default)]
pub struct Query<'a> {
    /// Text whose words must all be found.
    pub text: Option<&'a str>,
    /// Territories (any of them).
    pub territories: Option<&'a BTreeSet<String>>,
    /// Category wire name.
    pub category: Option<&'a str>,
    /// Legal-form family wire name.
    pub family: Option<&'a str>,
    /// A claim made.
    pub claim: Option<&'a str>,
    /// Where on the map.
    pub area: Option<Area>,
    /// Page size.
    pub limit: usize,
    /// Matches skipped before the page.
    pub offset: usize,
}

/// One page of results with the total and the facets of every match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hits {
    /// Keys of the page's actors, most relevant first, with the distance in kilometres when
    /// searching around a point.
    pub items: Vec<(String, Option<f64>)>,
    /// Number of matches.
    pub total: u64,
    /// Counts per value of `category`, `legal_form_family`, `territory` (`unknown` for an actor
    /// without one) and `claims` (only claims made) over every match; no zero.
    pub facets: BTreeMap<&'static str, BTreeMap<String, u64>>,
}

/// Matches up to this many have their facets counted actor by actor, more value by value (each
/// actor read is a cache miss: measured, value by value is faster from a few thousand matches).
const BY_ACTOR_MAX: u64 = 2_000;

/// Where one word of the query was found: the index's own set when one term of the dictionary
/// matches (the usual case: not copied), else the union of the terms' sets.
#[derive(Debug, Default)]
pub(super) struct WordSets<'a> {
    /// Anywhere, as typed (or as a start, for the last word).
    exact: Cow<'a, RoaringBitmap>,
    /// Anywhere, typos allowed (left empty once moved into the matches: see [`Index::matching`]).
    any: Cow<'a, RoaringBitmap>,
    /// In a name, typos allowed.
    name: Cow<'a, RoaringBitmap>,
    /// In a name, as typed.
    name_exact: Cow<'a, RoaringBitmap>,
    /// At the start of the name, as typed.
    first: Cow<'a, RoaringBitmap>,
}

/// The intersection of `sets` (not empty), borrowed when there is only one.
fn intersection_of<'a>(mut sets: impl Iterator<Item = &'a RoaringBitmap>) -> Cow<'a, RoaringBitmap> {
    match (sets.next(), sets.next()) {
        (None, _) => Cow::Owned(RoaringBitmap::new()),
        (Some(one), None) => Cow::Borrowed(one),
        (Some(a), Some(b)) => Cow::Owned([a, b].into_iter().chain(sets).intersection()),
    }
}

/// The union of `sets`, borrowed when there is only one.
fn union_of<'a>(mut sets: impl Iterator<Item = &'a RoaringBitmap>) -> Cow<'a, RoaringBitmap> {
    match (sets.next(), sets.next()) {
        (None, _) => Cow::Owned(RoaringBitmap::new()),
        (Some(one), None) => Cow::Borrowed(one),
        (Some(a), Some(b)) => Cow::Owned([a, b].into_iter().chain(sets).union()),
    }
}

impl Index {
    /// Runs a query.
    pub fn search(&self, q: &Query<'_>) -> Hits {
        let words = q.text.map(query_words).unwrap_or_default();
        let (matches, sets) = self.matching(q, &words);
        let total = matches.len();
        let facets = self.facets_of(&matches, matches.len() <= BY_ACTOR_MAX, &self.allowed(q));
        let want = q.offset.saturating_add(q.limit);
        let mut ranked = Vec::with_capacity(want.min(total as usize));
        if want > 0 {
            self.rank(&matches, &sets, words.len(), q.area, 0, want, &mut ranked);
        }
        let items = ranked
            .into_iter()
            .skip(q.offset)
            .filter_map(|(n, d)| self.entry(n).map(|e| (e.key.to_string(), d)))
            .collect();
        Hits { items, total, facets }
    }

    /// The actors matching a query of `words`, and where each word was found.
    /// A single set (one word alone, or one filter alone: the broadest searches) is used as it
    /// is, borrowed from the index or moved out of the word's sets, never copied.
    pub(super) fn matching(&self, q: &Query<'_>, words: &[String]) -> (Cow<'_, RoaringBitmap>, Vec<WordSets<'_>>) {
        let mut sets: Vec<WordSets> =
            words.iter().enumerate().map(|(i, w)| self.word_sets(w, i + 1 == words.len())).collect();
        let Some(mut filters) = self.filters(q) else { return (Cow::Owned(RoaringBitmap::new()), sets) };
        // Every set of the index holds live actors only (taking an actor out takes it out of
        // each), so the matches are the intersection of the filters' and the words' sets: the
        // smallest copied once and narrowed by the others, never a pass over every live actor.
        // One set alone is the matches as it is (a word's is moved out: ranking reads the others).
        let matches = match (filters.len(), sets.as_mut_slice()) {
            (0, []) => Cow::Borrowed(&self.live),
            (0, [one]) => std::mem::replace(&mut one.any, Cow::Owned(RoaringBitmap::new())),
            (1, []) => filters.pop().unwrap_or_default(),
            _ => {
                let restricting: Vec<&RoaringBitmap> =
                    filters.iter().map(|f| f.as_ref()).chain(sets.iter().map(|s| s.any.as_ref())).collect();
                Cow::Owned(restricting.into_iter().intersection())
            }
        };
        (matches, sets)
    }

    /// The sets of actors the filters and the area allow, each a subset of the live actors;
    /// `None` when a filter names a value no actor has (nothing can match).
    fn filters(&self, q: &Query<'_>) -> Option<Vec<Cow<'_, RoaringBitmap>>> {
        let mut sets = Vec::new();
        for (facet, value) in [(0, q.category), (1, q.family), (3, q.claim)] {
            if let Some(v) = value {
                sets.push(Cow::Borrowed(self.facets[facet].set(v)?));
            }
        }
        if let Some(ts) = q.territories {
            sets.push(union_of(ts.iter().filter_map(|t| self.facets[2].set(t))));
        }
        if let Some(area) = q.area {
            sets.push(Cow::Owned(self.within(area)));
        }
        Some(sets)
    }

    /// The actors placed within an area.
    fn within(&self, area: Area) -> RoaringBitmap {
        let (south, west, north, east) = match area {
            Area::Box { west, south, east, north } => (south, west, north, east),
            Area::Around { lat, lon, km } => {
                let dlat = km / 111.0;
                let dlon = km / (111.0 * lat.to_radians().cos().abs().max(0.01));
                (lat - dlat, lon - dlon, lat + dlat, lon + dlon)
            }
        };
        let (south, north) = (south.max(-90.0), north.min(90.0));
        let mut out = RoaringBitmap::new();
        if south > north || !(west.is_finite() && east.is_finite()) {
            return out;
        }
        let spans = lon_spans(west, east);
        let inside = |(lat, lon): (f64, f64)| -> bool {
            let in_box = lat >= south && lat <= north && spans.iter().any(|(a, b)| lon >= *a && lon <= *b);
            match area {
                Area::Box { .. } => in_box,
                Area::Around { lat: clat, lon: clon, km } => in_box && distance_km((clat, clon), (lat, lon)) <= km,
            }
        };
        // Few cells: those the area touches; many: every cell with an actor.
        let lat_cells = (north.floor() - south.floor() + 1.0) as usize;
        let lon_cells: usize = spans.iter().map(|(a, b)| (b.floor().min(179.0) - a.floor() + 1.0) as usize).sum();
        let cells: Vec<&RoaringBitmap> = if lat_cells.saturating_mul(lon_cells) <= self.grid.len() {
            let mut v = Vec::new();
            for la in (south.floor() as i16)..=(north.floor().min(89.0) as i16) {
                for (a, b) in &spans {
                    for lo in (a.floor() as i16)..=(b.floor().min(179.0) as i16) {
                        if let Some(s) = self.grid.get(&(la, lo)) {
                            v.push(s);
                        }
                    }
                }
            }
            v
        } else {
            self.grid.values().collect()
        };
        for s in cells {
            for n in s {
                if let Some(p) = self.entry(n).and_then(|e| e.point)
                    && inside(p)
                {
                    out.insert(n);
                }
            }
        }
        out
    }

    /// Where a word of the query is found.
    fn word_sets(&self, w: &str, last: bool) -> WordSets<'_> {
        let letters = w.chars().count();
        let typos: u8 = if w.chars().any(|c| c.is_numeric()) {
            0
        } else if letters >= TWO_TYPOS {
            2
        } else if letters >= ONE_TYPO {
            1
        } else {
            0
        };
        let mut found: Vec<(u32, bool)> = Vec::new();
        if typos == 0 && !last {
            if let Some(t) = self.terms.get(w) {
                found.push((*t, true));
            }
        } else if typos == 0 {
            let mut stream =
                self.dictionary.search(fst::Automaton::starts_with(fst::automaton::Str::new(w))).into_stream();
            while let Some((_, t)) = stream.next() {
                found.push((t as u32, true));
            }
            for t in &self.later_terms {
                if self.term_text[*t as usize].starts_with(w) {
                    found.push((*t, true));
                }
            }
        } else {
            let dfa = automaton(w, typos, last);
            let mut stream = self.dictionary.search_with_state(&dfa).into_stream();
            while let Some((_, t, state)) = stream.next() {
                found.push((t as u32, matches!(dfa.distance(state), Distance::Exact(0))));
            }
            for t in &self.later_terms {
                let mut state = dfa.initial_state();
                for b in self.term_text[*t as usize].bytes() {
                    state = dfa.transition(state, b);
                }
                if let Distance::Exact(d) = dfa.distance(state)
                    && d <= typos
                {
                    found.push((*t, d == 0));
                }
            }
        }
        let exact: Vec<u32> = found.iter().filter(|(_, e)| *e).map(|(t, _)| *t).collect();
        let all: Vec<u32> = found.iter().map(|(t, _)| *t).collect();
        let any_of = |ts: &[u32]| union_of(ts.iter().map(|t| &self.any[*t as usize]));
        let name_of = |ts: &[u32]| union_of(ts.iter().filter_map(|t| self.name.get(t)));
        WordSets {
            exact: any_of(&exact),
            any: any_of(&all),
            name: name_of(&all),
            name_exact: name_of(&exact),
            first: union_of(exact.iter().filter_map(|t| self.first.get(t))),
        }
    }

    /// The values of the first three facets (one value per actor) that the query's filters let
    /// through, sorted; `None` for a facet not filtered. Every match has one of them, so the
    /// other values' counts are zero without being counted.
    pub(super) fn allowed(&self, q: &Query<'_>) -> [Option<Vec<u32>>; 3] {
        let numbers = |i: usize, values: &mut dyn Iterator<Item = &str>| -> Vec<u32> {
            let mut v: Vec<u32> = values.filter_map(|x| self.facets[i].numbers.get(x).copied()).collect();
            v.sort_unstable();
            v
        };
        [
            q.category.map(|c| numbers(0, &mut std::iter::once(c))),
            q.family.map(|f| numbers(1, &mut std::iter::once(f))),
            q.territories.map(|ts| numbers(2, &mut ts.iter().map(String::as_str))),
        ]
    }

    /// Counts of each facet's values over `m`, actor by actor or value by value (the same counts;
    /// see [`BY_ACTOR_MAX`]); value by value, only the values `allowed` (see [`Index::allowed`]).
    pub(super) fn facets_of(
        &self,
        m: &RoaringBitmap,
        by_actor: bool,
        allowed: &[Option<Vec<u32>>; 3],
    ) -> BTreeMap<&'static str, BTreeMap<String, u64>> {
        let mut out: BTreeMap<&'static str, BTreeMap<String, u64>> = BTreeMap::new();
        if m.is_empty() {
            return out;
        }
        for (i, name) in FACETS.iter().enumerate() {
            let facet = &self.facets[i];
            let counts = if by_actor && i < 3 {
                let mut counts: BTreeMap<String, u64> = BTreeMap::new();
                let mut per: Vec<u64> = vec![0; facet.values.len()];
                let mut unknown = 0;
                for n in m {
                    match self.values.get(n as usize).map(|v| v[i]) {
                        Some(v) if v != u32::MAX => per[v as usize] += 1,
                        _ => unknown += 1,
                    }
                }
                for (v, c) in per.into_iter().enumerate() {
                    if c > 0 {
                        counts.insert(facet.values[v].clone(), c);
                    }
                }
                if unknown > 0 {
                    counts.insert("unknown".into(), unknown);
                }
                counts
            } else {
                self.counts_by_value(i, m, allowed.get(i).and_then(Option::as_ref))
            };
            if !counts.is_empty() {
                out.insert(name, counts);
            }
        }
        out
    }

    /// Counts of facet `i`'s values over `m`, set by set; only the values `only` lets through
    /// when the query filters the facet (see [`Index::allowed`]).
    fn counts_by_value(&self, i: usize, m: &RoaringBitmap, only: Option<&Vec<u32>>) -> BTreeMap<String, u64> {
        let facet = &self.facets[i];
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        let counted = |v: &usize| only.is_none_or(|o| o.binary_search(&(*v as u32)).is_ok());
        // The first three facets give an actor one value or none, so one count is what
        // the others leave: that of the value with the most actors (the dearest to
        // intersect when the matches are many), or of the unknown when it has more.
        // Filtered on this facet, every match has one of the values let through.
        let unknown_known = i < 3 && only.is_some();
        let largest =
            (i < 3).then(|| (0..facet.sets.len()).filter(counted).max_by_key(|v| facet.sets[*v].len())).flatten();
        let derived = largest.filter(|v| unknown_known || facet.sets[*v].len() >= facet.unknown.len());
        let mut valued = 0;
        for (v, set) in facet.sets.iter().enumerate() {
            if Some(v) == derived || !counted(&v) {
                continue;
            }
            let c = m.intersection_len(set);
            if c > 0 {
                counts.insert(facet.values[v].clone(), c);
                valued += c;
            }
        }
        if i < 3 {
            let unknown = match (unknown_known, derived) {
                (true, _) => 0,
                (false, Some(_)) => m.intersection_len(&facet.unknown),
                (false, None) => m.len().saturating_sub(valued),
            };
            if let Some(v) = derived {
                let c = m.len().saturating_sub(valued + unknown);
                if c > 0 {
                    counts.insert(facet.values[v].clone(), c);
                }
            }
            if unknown > 0 {
                counts.insert("unknown".into(), unknown);
            }
        }
        counts
    }

    /// Appends to `out` the actors of `set` in order of relevance from rule `rule` on (see the
    /// module's documentation), stopping at `want`. Each rule splits the set into ordered parts;
    /// a part is made only while the window is not full (a broad query's first part usually
    /// fills it, and each part of a quarter of a million actors is a set operation saved).
    #[allow(clippy::too_many_arguments)]
    fn rank(
        &self,
        set: &RoaringBitmap,
        sets: &[WordSets<'_>],
        words: usize,
        area: Option<Area>,
        rule: usize,
        want: usize,
        out: &mut Vec<(u32, Option<f64>)>,
    ) {
        if set.is_empty() || out.len() >= want {
            return;
        }
        let next = |part: &RoaringBitmap, out: &mut Vec<(u32, Option<f64>)>| {
            self.rank(part, sets, words, area, rule + 1, want, out);
        };
        let full = |out: &Vec<(u32, Option<f64>)>| out.len() >= want;
        match rule {
            _ if words == 0 && rule < 3 => next(set, out),
            0 => {
                let exact = intersection_of(sets.iter().map(|s| &*s.exact));
                next(&(set & &*exact), out);
                if !full(out) {
                    next(&(set - &*exact), out);
                }
            }
            1 => {
                // at_least[j]: actors of the set with at least j words of the query in a name.
                let mut at_least: Vec<Cow<'_, RoaringBitmap>> = vec![Cow::Borrowed(set)];
                for s in sets {
                    for j in (1..=at_least.len()).rev() {
                        let gained = &*at_least[j - 1] & &*s.name;
                        if j == at_least.len() {
                            at_least.push(Cow::Owned(gained));
                        } else {
                            *at_least[j].to_mut() |= gained;
                        }
                    }
                }
                // From the most words down: at_least[j] without at_least[j + 1].
                let mut more: Option<Cow<'_, RoaringBitmap>> = None;
                while let Some(all) = at_least.pop() {
                    match &more {
                        None => next(&all, out),
                        Some(m) => next(&(&*all - &**m), out),
                    }
                    if full(out) {
                        break;
                    }
                    more = Some(all);
                }
            }
            2 => {
                let starts = set & &*sets[0].first;
                let all_in_name = intersection_of(sets.iter().map(|s| &*s.name_exact));
                let mut same = &starts & &*all_in_name;
                if words < NAME_LENGTHS - 1 {
                    same &= &self.name_lengths[words];
                } else {
                    // Very long queries: the names of exactly that many words, one by one.
                    same = same
                        .iter()
                        .filter(|n| self.entry(*n).is_some_and(|e| e.name_words as usize == words))
                        .collect();
                }
                next(&same, out);
                if !full(out) {
                    next(&(&starts - &same), out);
                }
                if !full(out) {
                    next(&(set - &starts), out);
                }
            }
            _ => self.in_order(set, area, want - out.len(), out),
        }
    }

    /// Appends the first `n` actors of `set` by distance to the centre of `area` (when around a
    /// point) or by name.
    fn in_order(&self, set: &RoaringBitmap, area: Option<Area>, n: usize, out: &mut Vec<(u32, Option<f64>)>) {
        if let Some(Area::Around { lat, lon, .. }) = area {
            let mut by_distance: Vec<(f64, &str, u32)> = set
                .iter()
                .filter_map(|i| self.entry(i).map(|e| (e, i)))
                .map(|(e, i)| (e.point.map_or(f64::INFINITY, |p| distance_km((lat, lon), p)), &*e.order, i))
                .collect();
            by_distance.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(b.1)));
            out.extend(by_distance.into_iter().take(n).map(|(d, _, i)| (i, Some(d))));
            return;
        }
        // Numbers below `ordered` are in name order; later ones are merged in by name.
        let later: Vec<u32> = set.range(self.ordered..).collect();
        let mut picked: Vec<(&str, u32)> = set
            .range(..self.ordered)
            .take(n)
            .chain(later)
            .filter_map(|i| self.entry(i).map(|e: &Entry| (&*e.order, i)))
            .collect();
        picked.sort_unstable();
        out.extend(picked.into_iter().take(n).map(|(_, i)| (i, None)));
    }
}

/// The longitude ranges, within -180 to 180, of a range that may cross the antimeridian.
fn lon_spans(west: f64, east: f64) -> Vec<(f64, f64)> {
    if east - west >= 360.0 {
        return vec![(-180.0, 180.0)];
    }
    let wrap = |x: f64| (x + 180.0).rem_euclid(360.0) - 180.0;
    let (w, e) = (wrap(west), wrap(east));
    if w <= e { vec![(w, e)] } else { vec![(w, 180.0), (-180.0, e)] }
}

/// The automaton of words within `typos` edits of `w` (of words starting so, for the last word).
fn automaton(w: &str, typos: u8, last: bool) -> DFA {
    static ONE: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    static TWO: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    let builder = if typos >= 2 {
        TWO.get_or_init(|| LevenshteinAutomatonBuilder::new(2, true))
    } else {
        ONE.get_or_init(|| LevenshteinAutomatonBuilder::new(1, true))
    };
    if last { builder.build_prefix_dfa(w) } else { builder.build_dfa(w) }
}
