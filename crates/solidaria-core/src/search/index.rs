//! The directory's search index: for every word, the set of actors whose record holds it (and
//! those whose name holds it, and those whose name starts with it), for every value the directory
//! counts, the set of actors with that value, and for every square degree of the map, the actors
//! placed in it. Sets are compressed bitmaps (`roaring`), so a query is a few set operations
//! whatever the number of matches; the words are also kept in a finite-state dictionary (`fst`)
//! so that words within one or two typos, or starting with what is being typed, are found
//! without reading every word.
//!
//! Actors are numbered in name order when the index is built, so reading a set in number order
//! reads it in name order; actors added or changed later are numbered after (see
//! [`Index::upsert`]) and merged by name when read.

use super::text::{SearchDoc, index_words, words};
use roaring::RoaringBitmap;
use std::collections::HashMap;

/// A value the directory counts: `category`, `legal_form_family`, `territory` or `claims`.
#[derive(Debug, Default, Clone)]
pub(crate) struct Facet {
    /// Values, by number.
    pub(crate) values: Vec<String>,
    /// Numbers, by value.
    pub(crate) numbers: HashMap<String, u32>,
    /// Actors with each value, by number.
    pub(crate) sets: Vec<RoaringBitmap>,
    /// Actors without a value (not kept for claims: only claims made are counted).
    pub(crate) unknown: RoaringBitmap,
}

impl Facet {
    fn number(&mut self, value: &str) -> u32 {
        if let Some(n) = self.numbers.get(value) {
            return *n;
        }
        let n = self.values.len() as u32;
        self.values.push(value.to_string());
        self.numbers.insert(value.to_string(), n);
        self.sets.push(RoaringBitmap::new());
        n
    }

    /// The actors with `value` (none for a value no actor has).
    pub(crate) fn set(&self, value: &str) -> Option<&RoaringBitmap> {
        self.numbers.get(value).map(|n| &self.sets[*n as usize])
    }
}

/// Name lengths (in words) told apart by [`Index`]'s sets.
pub(crate) const NAME_LENGTHS: usize = 17;

/// The facets' names, in the order of [`Index::facets`].
pub const FACETS: [&str; 4] = ["category", "legal_form_family", "territory", "claims"];

/// One actor as indexed.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) key: Box<str>,
    /// The folded name, then the key: the order of equally relevant results.
    pub(crate) order: Box<str>,
    /// Words in the name (at most 255).
    pub(crate) name_words: u8,
    /// Its words (distinct), to take it out of their sets.
    terms: Box<[u32]>,
    /// Its first name word.
    first: Option<u32>,
    /// Value numbers of category, family, territory (`u32::MAX`: none), and claims.
    pub(crate) values: [u32; 3],
    claims: Box<[u32]>,
    /// Latitude and longitude.
    pub(crate) point: Option<(f64, f64)>,
}

/// The index. Built once from every actor ([`Index::build`]), then kept current one actor at a
/// time ([`Index::upsert`], [`Index::remove`]).
#[derive(Debug, Default)]
pub struct Index {
    pub(crate) entries: Vec<Option<Entry>>,
    /// The facet values of each actor number, as in its entry, in one dense column: counting the
    /// facets of a few thousand matches reads 12 bytes per match here rather than a whole entry
    /// (a cache miss each).
    pub(crate) values: Vec<[u32; 3]>,
    pub(crate) live: RoaringBitmap,
    by_key: HashMap<Box<str>, u32>,
    pub(crate) terms: HashMap<Box<str>, u32>,
    pub(crate) term_text: Vec<Box<str>>,
    /// Per word: actors whose record holds it.
    pub(crate) any: Vec<RoaringBitmap>,
    /// Per word: actors whose name (or another name) holds it; only words some name holds.
    pub(crate) name: HashMap<u32, RoaringBitmap>,
    /// Per word: actors whose name starts with it.
    pub(crate) first: HashMap<u32, RoaringBitmap>,
    /// Per number of words in the name (at most [`NAME_LENGTHS`] - 1; longer names with the
    /// last): actors whose name has that many words.
    pub(crate) name_lengths: Vec<RoaringBitmap>,
    /// The words known when the index was built, with their numbers.
    pub(crate) dictionary: fst::Map<Vec<u8>>,
    /// Words added since, looked through one by one.
    pub(crate) later_terms: Vec<u32>,
    /// `category`, `legal_form_family`, `territory`, `claims`.
    pub(crate) facets: [Facet; 4],
    /// Actors per square degree of the map (south-west corner, in whole degrees).
    pub(crate) grid: HashMap<(i16, i16), RoaringBitmap>,
    /// Actors numbered below this are in name order.
    pub(crate) ordered: u32,
}

impl Index {
    /// Indexes every actor of `docs`, numbered in name order. A key given twice keeps the last.
    pub fn build(docs: impl IntoIterator<Item = SearchDoc>) -> Index {
        let mut docs: Vec<SearchDoc> = docs.into_iter().collect();
        let mut orders: Vec<(Box<str>, usize)> = docs.iter().enumerate().map(|(i, d)| (order_of(d), i)).collect();
        orders.sort();
        let mut index = Index::default();
        for (_, i) in orders {
            let doc = std::mem::replace(&mut docs[i], empty_doc());
            index.upsert(doc);
        }
        index.ordered = index.entries.len() as u32;
        index.rebuild_dictionary();
        index
    }

    /// Number of actors indexed.
    pub fn len(&self) -> u64 {
        self.live.len()
    }

    /// Whether no actor is indexed.
    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }

    /// Actors added or changed since the index was built (numbered out of name order): past a
    /// share of the whole, [`Index::build`] again keeps searches fast.
    pub fn added_since_build(&self) -> u64 {
        self.entries.len() as u64 - u64::from(self.ordered)
    }

    /// Whether an actor is indexed.
    pub fn contains(&self, key: &str) -> bool {
        self.by_key.contains_key(key)
    }

    /// Adds an actor, or replaces the one with its key.
    pub fn upsert(&mut self, doc: SearchDoc) {
        self.remove(&doc.key);
        let n = self.entries.len() as u32;
        let name_words = words(&doc.name);
        let mut in_name: Vec<u32> = name_words.iter().map(|w| self.term(w)).collect();
        for w in index_words(&doc.name) {
            let t = self.term(&w);
            in_name.push(t);
        }
        for other in &doc.alternate_names {
            for w in index_words(other) {
                let t = self.term(&w);
                in_name.push(t);
            }
        }
        let first = in_name.first().copied().filter(|_| !name_words.is_empty());
        let mut all: Vec<u32> = in_name.clone();
        for w in index_words(&doc.text) {
            let t = self.term(&w);
            all.push(t);
        }
        in_name.sort_unstable();
        in_name.dedup();
        all.sort_unstable();
        all.dedup();
        for t in &all {
            self.any[*t as usize].insert(n);
        }
        for t in &in_name {
            self.name.entry(*t).or_default().insert(n);
        }
        if let Some(t) = first {
            self.first.entry(t).or_default().insert(n);
        }
        if self.name_lengths.is_empty() {
            self.name_lengths = vec![RoaringBitmap::new(); NAME_LENGTHS];
        }
        self.name_lengths[name_words.len().min(NAME_LENGTHS - 1)].insert(n);
        let mut values = [u32::MAX; 3];
        for (i, v) in [&doc.category, &doc.family, &doc.territory].into_iter().enumerate() {
            match v {
                Some(v) => {
                    let number = self.facets[i].number(v);
                    self.facets[i].sets[number as usize].insert(n);
                    values[i] = number;
                }
                None => {
                    self.facets[i].unknown.insert(n);
                }
            }
        }
        let mut claims: Vec<u32> = doc.claims.iter().map(|c| self.facets[3].number(c)).collect();
        claims.sort_unstable();
        claims.dedup();
        for c in &claims {
            self.facets[3].sets[*c as usize].insert(n);
        }
        let point = doc.point.filter(|(lat, lon)| lat.is_finite() && lon.is_finite());
        if let Some(p) = point {
            self.grid.entry(cell(p)).or_default().insert(n);
        }
        let key: Box<str> = doc.key.as_str().into();
        self.entries.push(Some(Entry {
            order: order_of(&doc),
            key: key.clone(),
            name_words: name_words.len().min(255) as u8,
            terms: all.into(),
            first,
            values,
            claims: claims.into(),
            point,
        }));
        self.values.push(values);
        self.by_key.insert(key, n);
        self.live.insert(n);
    }

    /// Takes an actor out of the index; `false` when it was not in.
    pub fn remove(&mut self, key: &str) -> bool {
        let Some(n) = self.by_key.remove(key) else { return false };
        let Some(e) = self.entries[n as usize].take() else { return false };
        for t in e.terms.iter() {
            self.any[*t as usize].remove(n);
            if let Some(s) = self.name.get_mut(t) {
                s.remove(n);
            }
        }
        if let Some(t) = e.first
            && let Some(s) = self.first.get_mut(&t)
        {
            s.remove(n);
        }
        if let Some(s) = self.name_lengths.get_mut((e.name_words as usize).min(NAME_LENGTHS - 1)) {
            s.remove(n);
        }
        for (i, v) in e.values.iter().enumerate() {
            if *v == u32::MAX {
                self.facets[i].unknown.remove(n);
            } else {
                self.facets[i].sets[*v as usize].remove(n);
            }
        }
        for c in e.claims.iter() {
            self.facets[3].sets[*c as usize].remove(n);
        }
        if let Some(p) = e.point
            && let Some(s) = self.grid.get_mut(&cell(p))
        {
            s.remove(n);
        }
        self.live.remove(n);
        true
    }

    /// The number of a word, added when new.
    fn term(&mut self, w: &str) -> u32 {
        if let Some(t) = self.terms.get(w) {
            return *t;
        }
        let t = self.term_text.len() as u32;
        self.term_text.push(w.into());
        self.terms.insert(w.into(), t);
        self.any.push(RoaringBitmap::new());
        self.later_terms.push(t);
        t
    }

    /// Puts every word in the dictionary.
    fn rebuild_dictionary(&mut self) {
        let mut sorted: Vec<(&[u8], u64)> =
            self.term_text.iter().enumerate().map(|(i, t)| (t.as_bytes(), i as u64)).collect();
        sorted.sort_unstable();
        // Sorted, distinct keys (terms are distinct): building cannot fail.
        self.dictionary = fst::Map::from_iter(sorted).unwrap_or_default();
        self.later_terms.clear();
    }

    /// The entry numbered `n`, if still indexed.
    pub(crate) fn entry(&self, n: u32) -> Option<&Entry> {
        self.entries.get(n as usize).and_then(Option::as_ref)
    }
}

/// The square degree holding a point.
pub(crate) fn cell((lat, lon): (f64, f64)) -> (i16, i16) {
    (lat.floor().clamp(-90.0, 89.0) as i16, lon.floor().clamp(-180.0, 179.0) as i16)
}

fn order_of(d: &SearchDoc) -> Box<str> {
    format!("{}\u{0}{}", crate::dedup::normalize::fold(&d.name), d.key).into()
}

fn empty_doc() -> SearchDoc {
    SearchDoc {
        key: String::new(),
        name: String::new(),
        alternate_names: Vec::new(),
        text: String::new(),
        category: None,
        family: None,
        territory: None,
        claims: Vec::new(),
        point: None,
    }
}
