use super::*;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

fn doc(key: &str, name: &str, text: &str) -> SearchDoc {
    SearchDoc {
        key: key.into(),
        name: name.into(),
        alternate_names: Vec::new(),
        text: text.into(),
        category: None,
        family: None,
        territory: None,
        claims: Vec::new(),
        point: None,
    }
}

fn keys(h: &Hits) -> Vec<&str> {
    h.items.iter().map(|(k, _)| k.as_str()).collect()
}

fn find(index: &Index, text: &str) -> Hits {
    index.search(&Query { text: Some(text), limit: 10, ..Default::default() })
}

#[test]
fn words_are_folded_and_split() {
    assert_eq!(words("Coop-Énergie  de Montréal"), ["coop", "energie", "de", "montreal"]);
    assert_eq!(words("Œuvre ß"), ["oeuvre", "ss"]);
    assert_eq!(query_words(&"w ".repeat(100)).len(), QUERY_WORDS);
    assert_eq!(
        index_words("Co-operative l’Économie, workers'"),
        ["co", "operative", "cooperative", "l", "economie", "leconomie", "workers"]
    );
}

#[test]
fn a_word_ranks_names_that_start_with_it_first_then_names_then_other_text() {
    let index = Index::build([
        doc("a", "151 Housing Co-operative", ""),
        doc("b", "Housing Co-operative of Leeds", ""),
        doc("c", "Aardvark Bakery", "runs a housing advice desk"),
        doc("d", "Housing", ""),
        doc("e", "Zebra Housing", ""),
    ]);
    let h = find(&index, "housing");
    assert_eq!(h.total, 5);
    assert_eq!(keys(&h), ["d", "b", "a", "e", "c"]);
}

#[test]
fn one_typo_in_a_word_of_five_letters_two_in_nine() {
    let index = Index::build([
        doc("s", "Scotmid Co-operative", ""),
        doc("u", "Unicorn Grocery", ""),
        doc("h", "Hebden Bridge Community Association", ""),
        doc("x", "Scot", ""),
    ]);
    assert_eq!(keys(&find(&index, "Scotmed")), ["s"]);
    assert_eq!(keys(&find(&index, "Unicorn Grocry")), ["u"]);
    // Two typos in a long word.
    assert_eq!(keys(&find(&index, "Comunity Asociation")), ["h"]);
    // Short words are matched as typed: "scoz" is not "scot".
    assert!(find(&index, "scoz").items.is_empty());
    // The last word may be unfinished.
    assert_eq!(keys(&find(&index, "unicorn gro")), ["u"]);
}

#[test]
fn words_with_digits_take_no_typo() {
    let index = Index::build([doc("a", "Alpha", "IP12345R"), doc("b", "Beta", "IP12346R")]);
    assert_eq!(
        keys(&index.search(&Query { text: Some("ip12345r x"), limit: 5, ..Default::default() })),
        Vec::<&str>::new()
    );
    assert_eq!(keys(&find(&index, "ip12345r alpha")), ["a"]);
}

#[test]
fn exact_matches_come_before_corrected_ones() {
    // "grocer" is a word of "Grocer's Hall" as typed, and one edit from "grocery".
    let index = Index::build([doc("g", "Unicorn Grocery", ""), doc("h", "Grocer Hall", "")]);
    assert_eq!(keys(&index.search(&Query { text: Some("grocer hall"), limit: 5, ..Default::default() })), ["h"]);
    assert_eq!(keys(&index.search(&Query { text: Some("grocer "), limit: 5, ..Default::default() })), ["h", "g"]);
}

#[test]
fn an_area_keeps_the_actors_placed_in_it_and_around_a_point_says_how_far() {
    let mut docs = vec![
        (doc("ed", "Edinburgh Co-op", ""), (55.95, -3.19)),
        (doc("gl", "Glasgow Co-op", ""), (55.86, -4.25)),
        (doc("lo", "London Co-op", ""), (51.51, -0.13)),
        (doc("fi", "Fiji Co-op", ""), (-17.7, 178.9)),
        (doc("sa", "Samoa Co-op", ""), (-13.8, -172.1)),
    ];
    for (d, p) in docs.iter_mut() {
        d.point = Some(*p);
    }
    let mut all: Vec<SearchDoc> = docs.into_iter().map(|(d, _)| d).collect();
    all.push(doc("nowhere", "Nowhere Co-op", ""));
    let index = Index::build(all);
    let area = |a| index.search(&Query { area: Some(a), limit: 10, ..Default::default() });
    let scotland = area(Area::Box { west: -8.0, south: 54.6, east: -0.7, north: 60.9 });
    assert_eq!(keys(&scotland), ["ed", "gl"]);
    // Across the antimeridian.
    let pacific = area(Area::Box { west: 170.0, south: -30.0, east: -160.0, north: 0.0 });
    assert_eq!(keys(&pacific), ["fi", "sa"]);
    let near = area(Area::Around { lat: 55.95, lon: -3.2, km: 80.0 });
    assert_eq!(keys(&near), ["ed", "gl"]);
    let d: Vec<f64> = near.items.iter().map(|(_, d)| d.unwrap()).collect();
    assert!(d[0] < 1.0 && (60.0..75.0).contains(&d[1]), "{d:?}");
    assert_eq!(area(Area::Around { lat: 55.95, lon: -3.2, km: 10.0 }).total, 1);
    // The whole world holds every placed actor, not the one without a place.
    assert_eq!(area(Area::Box { west: -180.0, south: -90.0, east: 180.0, north: 90.0 }).total, 5);
}

#[test]
fn upserts_and_removals_give_what_a_fresh_build_gives() {
    let mut index = Index::build([doc("a", "Alpha Housing", ""), doc("b", "Beta Bakery", ""), doc("c", "Gamma", "")]);
    index.upsert(doc("b", "Beta Housing", ""));
    index.upsert(doc("d", "Aaron Housing", "new word zymurgy"));
    assert!(index.remove("c"));
    assert!(!index.remove("c"));
    let fresh = Index::build([
        doc("a", "Alpha Housing", ""),
        doc("b", "Beta Housing", ""),
        doc("d", "Aaron Housing", "new word zymurgy"),
    ]);
    for q in ["housing", "bakery", "gamma", "zymurgy", "zymurgi", "hous", "a"] {
        assert_eq!(find(&index, q), find(&fresh, q), "{q}");
    }
    assert_eq!(keys(&find(&index, "housing")), ["d", "a", "b"]);
    assert_eq!(index.added_since_build(), 2);
}

/// A small world of actors made of few words, so that random queries match.
fn world() -> impl Strategy<Value = Vec<SearchDoc>> {
    let word = prop::sample::select(vec!["alpha", "beta", "gamma", "delta", "housing", "coop", "bread", "x1"]);
    let name = prop::collection::vec(word.clone(), 1..4);
    let text = prop::collection::vec(word, 0..4);
    let value = |vs: Vec<&'static str>| prop::option::of(prop::sample::select(vs));
    let one = (
        name,
        text,
        value(vec!["sse_organization", "network"]),
        value(vec!["cooperative", "association"]),
        value(vec!["FR", "FR-IDF", "GB"]),
        prop::collection::vec(prop::sample::select(vec!["sse", "social_innovation"]), 0..2),
        prop::option::of((-60.0f64..60.0, -170.0f64..170.0)),
    );
    prop::collection::vec(one, 0..40).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (n, t, c, f, ter, claims, point))| SearchDoc {
                key: format!("k{i:02}"),
                name: n.join(" "),
                alternate_names: Vec::new(),
                text: t.join(" "),
                category: c.map(str::to_string),
                family: f.map(str::to_string),
                territory: ter.map(str::to_string),
                claims: claims.into_iter().map(str::to_string).collect(),
                point,
            })
            .collect()
    })
}

/// Whether a document matches a query of whole words (no typo, no prefix: words of the world
/// are far apart and queries end with a space).
fn naive_matches(d: &SearchDoc, q: &[String], territory: Option<&str>, family: Option<&str>) -> bool {
    let all: BTreeSet<String> = words(&d.name).into_iter().chain(words(&d.text)).collect();
    q.iter().all(|w| all.contains(w))
        && territory.is_none_or(|t| d.territory.as_deref() == Some(t))
        && family.is_none_or(|f| d.family.as_deref() == Some(f))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn totals_facets_and_order_agree_with_a_plain_reading(
        docs in world(),
        q in prop::collection::vec(prop::sample::select(vec!["alpha", "beta", "housing", "bread", "x1"]), 0..3),
        territory in prop::option::of(prop::sample::select(vec!["FR", "GB"])),
        family in prop::option::of(prop::sample::select(vec!["cooperative", "association"])),
        limit in 1usize..12,
        offset in 0usize..10,
    ) {
        let index = Index::build(docs.clone());
        let text = format!("{} ", q.join(" "));
        let q: Vec<String> = q.iter().map(|s| s.to_string()).collect();
        let ts: Option<BTreeSet<String>> = territory.map(|t| [t.to_string()].into());
        let hits = index.search(&Query {
            text: Some(&text), territories: ts.as_ref(), family, limit, offset, ..Default::default()
        });
        let matching: Vec<&SearchDoc> = docs.iter().filter(|d| naive_matches(d, &q, territory, family)).collect();
        prop_assert_eq!(hits.total, matching.len() as u64);
        // Facets, counted one actor at a time.
        let mut facets: BTreeMap<&'static str, BTreeMap<String, u64>> = BTreeMap::new();
        for d in &matching {
            for (name, v) in [("category", &d.category), ("legal_form_family", &d.family), ("territory", &d.territory)] {
                *facets.entry(name).or_default().entry(v.clone().unwrap_or_else(|| "unknown".into())).or_default() += 1;
            }
            for c in &d.claims {
                *facets.entry("claims").or_default().entry(c.clone()).or_default() += 1;
            }
        }
        prop_assert_eq!(&hits.facets, &facets);
        // The order: words in the name, then the name is the query, starts with its first word,
        // then the name.
        let score = |d: &SearchDoc| {
            let name = words(&d.name);
            let in_name = q.iter().filter(|w| name.contains(w)).count();
            let same = !q.is_empty() && name.len() == q.len() && in_name == q.len() && name.first() == q.first();
            let starts = !q.is_empty() && name.first() == q.first();
            (usize::MAX - in_name, if same { 0 } else if starts { 1 } else { 2 }, solidaria_fold(&d.name), d.key.clone())
        };
        let mut expected: Vec<&SearchDoc> = matching.clone();
        if q.is_empty() {
            expected.sort_by_key(|d| (solidaria_fold(&d.name), d.key.clone()));
        } else {
            expected.sort_by_key(|d| score(d));
        }
        let want: Vec<&str> = expected.iter().skip(offset).take(limit).map(|d| d.key.as_str()).collect();
        prop_assert_eq!(keys(&hits), want);
    }

    #[test]
    fn facets_counted_value_by_value_are_those_counted_actor_by_actor(
        docs in world(),
        q in prop::sample::select(vec!["", "alpha", "housing bread", "x1"]),
        category in prop::option::of(prop::sample::select(vec!["sse_organization", "network", "none_such"])),
        family in prop::option::of(prop::sample::select(vec!["cooperative", "association"])),
        territories in prop::option::of(prop::sample::subsequence(vec!["FR", "FR-IDF", "GB", "ES"], 1..3)),
        changed in world(),
        removed in prop::collection::vec(0usize..40, 0..8),
    ) {
        // Broad searches (over 2,000 matches) count value by value, only the values the filters
        // let through, one value of each one-valued facet by subtraction; the plain reading above
        // only meets small worlds, counted actor by actor. The index is also kept current (actors
        // changed and removed), so that the sets the subtraction trusts are those of a live index.
        let mut index = Index::build(docs);
        for d in changed.into_iter().step_by(2) {
            index.upsert(d);
        }
        for i in removed {
            index.remove(&format!("k{i:02}"));
        }
        let words = query_words(q);
        let ts: Option<BTreeSet<String>> = territories.map(|t| t.into_iter().map(str::to_string).collect());
        let query = Query { category, family, territories: ts.as_ref(), ..Default::default() };
        let (matches, _) = index.matching(&query, &words);
        prop_assert_eq!(
            index.facets_of(&matches, false, &index.allowed(&query)),
            index.facets_of(&matches, true, &[None, None, None])
        );
    }

    #[test]
    fn an_index_kept_current_answers_as_one_built_afresh(
        before in world(), after in world(), q in prop::sample::select(vec!["alpha", "hous", "x1", "coop bread", "gama"]),
    ) {
        let mut index = Index::build(before.clone());
        // Remove what is gone, upsert the rest (keys are shared: k00, k01, …).
        for d in &before {
            if !after.iter().any(|a| a.key == d.key) {
                index.remove(&d.key);
            }
        }
        for d in &after {
            index.upsert(d.clone());
        }
        let fresh = Index::build(after);
        let run = |i: &Index| i.search(&Query { text: Some(q), limit: 50, ..Default::default() });
        prop_assert_eq!(run(&index), run(&fresh));
    }
}

fn solidaria_fold(s: &str) -> String {
    crate::dedup::normalize::fold(s)
}
