use super::normalize::{fold, identifier_key, locality_key, name_key, postcode_key};
use super::*;
use crate::testing::actor_from;
use serde_json::json;

fn tokens(name: &str) -> Vec<String> {
    name_key(name).tokens
}

#[test]
fn legal_suffixes_come_off_the_end_only() {
    assert_eq!(tokens("Co-operative Group Limited"), ["coop", "group"]);
    assert_eq!(tokens("The Co-operative Group"), ["coop", "group"]);
    assert_eq!(tokens("Anglia Group of Nurseries Limited (The)"), ["anglia", "group", "nurseries"]);
    assert_eq!(name_key("Anglia Group of Nurseries Limited (The)").removed, ["Limited"]);
    assert_eq!(tokens("Greenmarque Ltd."), ["greenmarque"]);
    assert_eq!(tokens("Sez-U Community Theatre C.I.C."), ["sez", "u", "community", "theatre"]);
    assert_eq!(tokens("Whalley Hydro Community Interest Company"), ["whalley", "hydro"]);
    assert_eq!(name_key("Whalley Hydro Community Interest Company").removed, ["Community Interest Company"]);
    assert_eq!(tokens("Scop Sarl"), ["scop"], "a name of legal words only is kept whole, not emptied");
    assert_eq!(tokens("Limited Editions Press"), ["limited", "editions", "press"], "not at the end: kept");
    assert_eq!(tokens("Fair Trade SCOP S.A.R.L."), ["fair", "trade"]);
}

#[test]
fn spellings_punctuation_case_and_accents_are_read_one_way() {
    assert_eq!(tokens("Fishponds Wholefood Co-op"), tokens("FISHPONDS WHOLEFOOD COOPERATIVE"));
    assert_eq!(tokens("Fishponds Wholefood Co op"), ["fishponds", "wholefood", "coop"]);
    assert_eq!(tokens("Malton & Norton Rugby Club"), tokens("Malton and Norton Rugby Club"));
    assert_eq!(tokens("Tyseley Working Men's Club"), ["tyseley", "working", "men", "club"]);
    assert_eq!(tokens("Tyseley W.M.C."), ["tyseley", "working", "men", "club"]);
    assert_eq!(tokens("E.O.M.(Electrical Contractors) Ltd"), ["eom", "electrical", "contractors"]);
    assert_eq!(tokens("Coopérative Œuvre d'Économie Solidaire SCOP"), ["coop", "oeuvre", "deconomie", "solidaire"]);
    assert_eq!(tokens("Fowey Renewable Energy Enterprise (FREE)"), ["fowey", "renewable", "energy", "enterprise"]);
    assert_eq!(tokens("M&S Staff Association"), ["m", "s", "staff", "association"]);
    assert_eq!(fold("Straße"), "strasse");
    assert_eq!(locality_key("Saint-Étienne"), Some("saint etienne".into()));
    assert_eq!(tokens(""), Vec::<String>::new());
    assert_eq!(tokens("... '''"), Vec::<String>::new());
    assert_eq!(tokens("&"), ["and"], "a name of stop words only is kept whole");
}

#[test]
fn identifiers_are_compared_in_one_spelling() {
    let ch = |v| identifier_key("gb_companies_house", v).map(|(_, v)| v);
    assert_eq!(ch("01234567"), Some("01234567".into()));
    assert_eq!(ch("1234567"), Some("01234567".into()), "leading zero lost in a spreadsheet");
    assert_eq!(ch(" 123 4567 "), Some("01234567".into()));
    assert_eq!(ch("SC12345"), Some("SC012345".into()));
    assert_eq!(ch("sc012345"), Some("SC012345".into()));
    assert_eq!(ch("OC330863"), Some("OC330863".into()));
    assert_eq!(ch("00000000"), None, "a placeholder identifies nothing");
    assert_eq!(ch("n/a"), Some("NA".into()));
    assert_eq!(ch("123456789"), Some("123456789".into()), "too long to pad: kept");
    assert_eq!(identifier_key("fr_siret", "775 672 272 00011"), Some(("fr_siren".into(), "775672272".into())));
    assert_eq!(identifier_key("fr_siren", "775672272"), Some(("fr_siren".into(), "775672272".into())));
    assert_eq!(identifier_key("gb_fca", "525R"), Some(("gb_fca".into(), "525R".into())));
    assert_eq!(identifier_key("gb_fca", "-"), None);
}

#[test]
fn postcodes_split_into_district_and_area() {
    let k = postcode_key("m60 0ag", Some("GB")).unwrap();
    assert_eq!((k.full.as_str(), k.district.as_deref(), k.area.as_deref()), ("M600AG", Some("M60"), Some("M")));
    assert_eq!(postcode_key("M60 OAS", None).unwrap().full, "M600AS", "letter O typed for a zero");
    assert_eq!(postcode_key("EH10 5HF", None).unwrap().area.as_deref(), Some("EH"));
    let fr = postcode_key("75011", Some("FR")).unwrap();
    assert_eq!((fr.full.as_str(), fr.district), ("75011", None));
    assert_eq!(postcode_key("  ", None), None);
    assert_eq!(postcode_key("ÉÉÉ 9ÉÉ", None).unwrap().district, None, "never slices inside a character");
}

fn actor(id: &str, name: &str, extra: serde_json::Value) -> Actor {
    let mut v = json!({"id": id, "name": name});
    if let (Some(o), serde_json::Value::Object(e)) = (v.as_object_mut(), extra) {
        o.extend(e);
    }
    actor_from(v)
}

fn src(dataset: &str, line: u64) -> serde_json::Value {
    json!([{"dataset": dataset, "line": line}])
}

/// A registry with the two records of a few organizations and unrelated ones around them.
fn registry() -> Vec<Actor> {
    let mut v = vec![
        actor(
            "old:1",
            "Co-operative Group Limited",
            json!({"address": {"postcode": "M60 0AG", "locality": "Manchester"}, "sources": src("old", 2),
                   "legal_form": {"label": "Society"}, "identifiers": {"coops_uk": "R000001"}}),
        ),
        actor(
            "new:1",
            "The Co-operative Group",
            json!({"address": {"postcode": "M600AG", "locality": "Manchester"}, "sources": src("new", 2),
                   "legal_form": {"label": "Society"}, "identifiers": {"coops_uk": "R000001"}}),
        ),
        actor(
            "old:2",
            "Greenmarque Ltd",
            json!({"address": {"postcode": "SW9 6BG", "locality": "London"}, "sources": src("old", 3),
                   "identifiers": {"gb_companies_house": "6504771"}}),
        ),
        actor(
            "new:2",
            "Greenmarque",
            json!({"address": {"postcode": "WV16 6LH", "locality": "Bridgnorth"}, "sources": src("new", 3),
                   "identifiers": {"gb_companies_house": "06504771"}}),
        ),
        actor(
            "old:3",
            "Brownlow Hill Housing Co-operative Limited",
            json!({"address": {"postcode": "L7 5WA", "locality": "Liverpool"}, "sources": src("old", 4)}),
        ),
        actor(
            "new:3",
            "Brownlow Hill Housing Co-op",
            json!({"address": {"postcode": "L8 3TX", "locality": "Liverpool"}, "sources": src("new", 4)}),
        ),
        // Same postcode as the Co-operative Group, another organization.
        actor(
            "new:4",
            "Co-operative Press",
            json!({"address": {"postcode": "M60 0AG", "locality": "Manchester"}, "sources": src("new", 5)}),
        ),
        // Two companies with similar names and different numbers.
        actor(
            "old:5",
            "Acme Wholefoods Ltd",
            json!({"identifiers": {"gb_companies_house": "01111111"}, "sources": src("old", 6)}),
        ),
        actor(
            "new:5",
            "Acme Wholefoods",
            json!({"identifiers": {"gb_companies_house": "02222222"}, "sources": src("new", 6)}),
        ),
        // A duplicate inside one dataset.
        actor(
            "new:6",
            "Hadleigh Rugby Football Club",
            json!({"address": {"postcode": "IP7 5NE"}, "sources": src("new", 7)}),
        ),
        actor(
            "new:7",
            "Hadleigh Rugby Football Club Ltd",
            json!({"address": {"postcode": "IP7 5NE"}, "sources": src("new", 8)}),
        ),
    ];
    for i in 0..100 {
        v.push(actor(
            &format!("filler:{i:03}"),
            &format!("Community Shop Number {i}"),
            json!({"address": {"postcode": format!("ZZ{i} 1AA")}, "sources": src("filler", 1)}),
        ));
    }
    v
}

fn ids(o: &Outcome) -> Vec<(String, String)> {
    o.candidates.iter().map(|c| (c.a.id.clone(), c.b.id.clone())).collect()
}

fn options(ignore: &[&str]) -> Options {
    Options { ignore_schemes: ignore.iter().map(|s| s.to_string()).collect(), ..Options::default() }
}

#[test]
fn finds_the_same_organizations_and_only_them() {
    let out = find_candidates(&registry(), &options(&["coops_uk"]));
    let found = ids(&out);
    for pair in [("new:1", "old:1"), ("new:2", "old:2"), ("new:3", "old:3"), ("new:6", "new:7")] {
        assert!(found.contains(&(pair.0.into(), pair.1.into())), "{pair:?} missing from {found:?}");
    }
    assert!(!found.contains(&("new:4".into(), "old:1".into())), "same postcode, other name: {found:?}");
    assert!(!found.contains(&("new:5".into(), "old:5".into())), "different Companies House numbers: {found:?}");
    assert!(!found.iter().any(|(a, _)| a.starts_with("filler")), "{found:?}");
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(out.stats.compared < 111 * 110 / 2 / 5, "blocking compares far fewer than all pairs: {:?}", out.stats);
}

#[test]
fn reasons_say_why_and_name_the_sources() {
    let out = find_candidates(&registry(), &options(&["coops_uk"]));
    let c = out.candidates.iter().find(|c| c.a.id == "new:2").unwrap();
    let texts: Vec<&str> = c.reasons.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(texts[0], "same gb_companies_house 06504771", "{texts:?}");
    assert!(texts.contains(&"same name after removing 'Ltd'"), "{texts:?}");
    assert!(texts.contains(&"postcodes in other areas (WV, SW)"), "{texts:?}");
    assert!(c.score > 0.99, "{c:?}");
    assert_eq!(
        c.b.identifiers.get("gb_companies_house").map(String::as_str),
        Some("6504771"),
        "as the source wrote it"
    );
    assert_eq!(c.b.sources, vec![SourceRow { dataset: "old".into(), edition: None, line: Some(3) }]);

    let c = out.candidates.iter().find(|c| c.a.id == "new:1").unwrap();
    let texts: Vec<&str> = c.reasons.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "same postcode M600AG",
            "same name after removing 'Limited'",
            "no other record has this name",
            "'group' in no other record",
            "same legal form Society"
        ]
    );
}

#[test]
fn an_identifier_shared_is_used_unless_ignored() {
    let with = find_candidates(&registry(), &Options::default());
    let c = with.candidates.iter().find(|c| c.a.id == "new:1").unwrap();
    assert_eq!(c.reasons[0].text, "same coops_uk R000001");
    let without = find_candidates(&registry(), &options(&["coops_uk"]));
    let c = without.candidates.iter().find(|c| c.a.id == "new:1").unwrap();
    assert!(c.reasons.iter().all(|r| r.evidence != Evidence::Identifier));
}

#[test]
fn across_sources_only_drops_pairs_within_a_dataset() {
    let o = Options { across_sources_only: true, ..options(&["coops_uk"]) };
    let found = ids(&find_candidates(&registry(), &o));
    assert!(!found.contains(&("new:6".into(), "new:7".into())));
    assert!(found.contains(&("new:1".into(), "old:1".into())));
}

#[test]
fn the_order_does_not_depend_on_the_input_order() {
    let mut reversed = registry();
    reversed.reverse();
    let (a, b) = (find_candidates(&registry(), &Options::default()), find_candidates(&reversed, &Options::default()));
    assert_eq!(a, b);
    assert!(a.candidates.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn the_threshold_keeps_only_pairs_at_or_above_it() {
    let all = find_candidates(&registry(), &Options { threshold: 0.0, ..options(&["coops_uk"]) });
    let strict = find_candidates(&registry(), &Options { threshold: 0.999, ..options(&["coops_uk"]) });
    assert!(all.candidates.len() > strict.candidates.len());
    assert!(strict.candidates.iter().all(|c| c.score >= 0.999));
    assert_eq!(all.stats.compared, strict.stats.compared);
}

#[test]
fn a_misspelled_rare_word_still_matches() {
    let rarity_base: Vec<Actor> = registry();
    let mut v = rarity_base;
    v.push(actor(
        "x:1",
        "Stornoway Fishermens Cooperative",
        json!({"address": {"postcode": "HS1 2XT"}, "sources": src("x", 1)}),
    ));
    v.push(actor(
        "y:1",
        "Stornaway Fishermen's Co-operative Ltd",
        json!({"address": {"postcode": "HS1 2XS"}, "sources": src("y", 1)}),
    ));
    let found = ids(&find_candidates(&v, &Options::default()));
    assert!(found.contains(&("x:1".into(), "y:1".into())), "{found:?}");
}

#[test]
fn no_input_no_pairs_and_no_panic() {
    let out = find_candidates(&[], &Options::default());
    assert!(out.candidates.is_empty());
    let odd = vec![actor("a", "&", json!({})), actor("b", "Ltd", json!({"address": {"postcode": "?"}}))];
    let _ = find_candidates(&odd, &Options::default());
}

#[test]
fn one_to_one_keeps_each_actors_best_pair_per_dataset() {
    let mut v = registry();
    // A second "new" record close to old:3, less similar than new:3.
    v.push(actor(
        "new:8",
        "Brownlow Hill Housing",
        json!({"address": {"postcode": "L7 5WA", "locality": "Liverpool"}, "sources": src("new", 9)}),
    ));
    let all = ids(&find_candidates(&v, &options(&["coops_uk"])));
    assert!(all.contains(&("new:8".into(), "old:3".into())), "{all:?}");
    let o = Options { one_to_one: true, across_sources_only: true, ..options(&["coops_uk"]) };
    let best = find_candidates(&v, &o);
    let found = ids(&best);
    let with_old3: Vec<_> = found.iter().filter(|(_, b)| b == "old:3").collect();
    assert_eq!(with_old3.len(), 1, "{found:?}");
    assert_eq!(best.stats.candidates, best.candidates.len());
}
