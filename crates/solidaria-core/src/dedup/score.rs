//! How alike two prepared records are: name similarity (soft TF-IDF, weighted Jaccard and
//! Jaro-Winkler blended), identifiers, postcodes, places and legal forms, each with its reason.

use super::*;

/// Words shorter than this are compared exactly, longer ones also by Jaro-Winkler.
const FUZZY_MIN_LEN: usize = 4;
/// Jaro-Winkler similarity from which two words count as one misspelled.
const FUZZY_WORD: f64 = 0.92;

/// How similar two names are, 0..1. Three measures over the normalized words, blended:
/// - the cosine of the words weighted by rarity (inverse document frequency), where a word of one
///   name matches the most similar word of the other if their Jaro-Winkler similarity is at least
///   0.92 ("soft TF-IDF"), averaged over both directions (45 %);
/// - the share of the rarity of both names' words that they have in common (weighted Jaccard,
///   the same fuzzy matching), which unlike the cosine does not let one shared rare word, often
///   the town, outweigh the words that differ (35 %);
/// - the Jaro-Winkler similarity of the whole normalized names, which rewards the same words in
///   the same order (20 %).
fn name_similarity(a: &NameKey, b: &NameKey, rarity: &Rarity) -> f64 {
    if a.tokens == b.tokens {
        return 1.0;
    }
    let (ab, ba) = (soft_overlap(&a.tokens, &b.tokens, rarity), soft_overlap(&b.tokens, &a.tokens, rarity));
    let cosine = (ab.cosine + ba.cosine) / 2.0;
    let shared = (ab.shared + ba.shared) / 2.0;
    let union = ab.total + ba.total - shared;
    let jaccard = if union > 0.0 { (shared / union).min(1.0) } else { 0.0 };
    let whole = strsim::jaro_winkler(&a.joined(), &b.joined());
    let blend = (0.45 * cosine + 0.35 * jaccard + 0.2 * whole).clamp(0.0, 1.0);
    // One name within the other ("Rhoose Social Club (Non-Political)", "Rhoose Social Club"):
    // the share of the shorter name's rarity found in the longer, discounted, for names of at
    // least two words.
    let (short, short_words) = if ab.total <= ba.total { (&ab, a.tokens.len()) } else { (&ba, b.tokens.len()) };
    let within =
        if short_words >= 2 && short.total > 0.0 { CONTAINED * (short.shared / short.total).min(1.0) } else { 0.0 };
    blend.max(within)
}

/// What one name wholly within the other is worth as a similarity.
const CONTAINED: f64 = 0.87;

/// What the words of one name share with another's.
struct Overlap {
    /// Soft TF-IDF cosine.
    cosine: f64,
    /// Rarity of the words of the first name found in the second (fuzzily).
    shared: f64,
    /// Rarity of all the words of the first name.
    total: f64,
}

fn soft_overlap(a: &[String], b: &[String], rarity: &Rarity) -> Overlap {
    let a: BTreeSet<&String> = a.iter().collect();
    let b: BTreeSet<&String> = b.iter().collect();
    let norm = |s: &BTreeSet<&String>| s.iter().map(|w| rarity.weight(w).powi(2)).sum::<f64>().sqrt();
    let (na, nb) = (norm(&a), norm(&b));
    let total: f64 = a.iter().map(|w| rarity.weight(w)).sum();
    if na == 0.0 || nb == 0.0 {
        return Overlap { cosine: 0.0, shared: 0.0, total };
    }
    let mut sum = 0.0;
    let mut shared = 0.0;
    for w in &a {
        if b.contains(*w) {
            sum += rarity.weight(w).powi(2);
            shared += rarity.weight(w);
            continue;
        }
        if w.chars().count() < FUZZY_MIN_LEN {
            continue;
        }
        let best = b
            .iter()
            .filter(|v| v.chars().count() >= FUZZY_MIN_LEN)
            .map(|v| (strsim::jaro_winkler(w, v), *v))
            .max_by(|x, y| x.0.total_cmp(&y.0).then_with(|| y.1.cmp(x.1)));
        if let Some((sim, v)) = best
            && sim >= FUZZY_WORD
        {
            sum += rarity.weight(w) * rarity.weight(v) * sim;
            shared += rarity.weight(w) * sim;
        }
    }
    Overlap { cosine: (sum / (na * nb)).min(1.0), shared, total }
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn quoted(words: &[String]) -> String {
    words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(", ")
}

/// Scores one pair: the logistic of the prior plus the weights of its evidence.
pub(super) fn score_pair(p: &Prepared<'_>, q: &Prepared<'_>, rarity: &Rarity) -> (f64, Vec<Reason>) {
    use weights as w;
    let mut reasons: Vec<Reason> = Vec::new();
    let mut say = |evidence, weight: f64, text: String| reasons.push(Reason { evidence, weight, text });

    // Identifiers.
    let mut shared_registry = false;
    for (scheme, value) in &p.ids {
        if q.ids.iter().any(|(s, v)| s == scheme && v == value) {
            say(Evidence::Identifier, w::SAME_IDENTIFIER, format!("same {scheme} {value}"));
            shared_registry = true;
        }
    }
    if !shared_registry {
        for scheme in normalize::REGISTRY_SCHEMES {
            let pv: Vec<&String> = p.ids.iter().filter(|(s, _)| s == scheme).map(|(_, v)| v).collect();
            let qv: Vec<&String> = q.ids.iter().filter(|(s, _)| s == scheme).map(|(_, v)| v).collect();
            if let (Some(a), Some(b)) = (pv.first(), qv.first()) {
                say(
                    Evidence::IdentifierConflict,
                    w::CONFLICTING_IDENTIFIER,
                    format!("different {scheme}: {a} and {b}"),
                );
            }
        }
    }

    // Names.
    let sim = name_similarity(&p.name, &q.name, rarity);
    let name_weight = (w::NAME_SLOPE * (sim - w::NAME_PIVOT)).clamp(w::NAME_MIN, w::NAME_MAX);
    let mut removed: Vec<String> = p.name.removed.iter().chain(&q.name.removed).cloned().collect();
    removed.sort();
    removed.dedup();
    let after = if removed.is_empty() { String::new() } else { format!(" after removing {}", quoted(&removed)) };
    let text = if sim >= 1.0 { format!("same name{after}") } else { format!("names {sim:.2} similar{after}") };
    say(Evidence::Name, name_weight, text);
    if sim >= 1.0 && rarity.name_count(&p.joined) <= 2 {
        say(Evidence::RareName, w::RARE_NAME, "no other record has this name".to_string());
    }
    if sim >= 0.9 {
        let mut rare: Vec<String> =
            p.name.tokens.iter().filter(|t| q.name.tokens.contains(t) && rarity.count(t) <= 2).cloned().collect();
        rare.sort();
        rare.dedup();
        if !rare.is_empty() {
            say(Evidence::RareWord, w::RARE_WORD, format!("{} in no other record", quoted(&rare)));
        }
    }

    // Place: postcode, else distance; locality when the postcodes are not in one district (the
    // district already says the place).
    let near_postcode = match (&p.postcode, &q.postcode) {
        (Some(a), Some(b)) => {
            let written = p.actor.address.postcode.as_deref().unwrap_or(&a.full);
            if a.full == b.full {
                say(Evidence::Postcode, w::SAME_POSTCODE, format!("same postcode {written}"));
                true
            } else {
                match (&a.district, &b.district, &a.area, &b.area) {
                    (Some(da), Some(db), _, _) if da == db => {
                        say(Evidence::Postcode, w::SAME_DISTRICT, format!("same postcode district {da}"));
                        true
                    }
                    (_, _, Some(aa), Some(ab)) if aa == ab => {
                        say(Evidence::Postcode, w::SAME_AREA, format!("same postcode area {aa}"));
                        false
                    }
                    (_, _, Some(aa), Some(ab)) => {
                        say(Evidence::Postcode, w::OTHER_AREA, format!("postcodes in other areas ({aa}, {ab})"));
                        false
                    }
                    _ => {
                        say(Evidence::Postcode, w::OTHER_POSTCODE, format!("other postcodes ({}, {})", a.full, b.full));
                        false
                    }
                }
            }
        }
        _ => {
            if let (Some(a), Some(b)) = (&p.actor.location, &q.actor.location) {
                let km = normalize::distance_km((a.lat, a.lon), (b.lat, b.lon));
                let weight = if km < 0.2 {
                    w::NEAR_200M
                } else if km < 2.0 {
                    w::NEAR_2KM
                } else if km < 20.0 {
                    w::NEAR_20KM
                } else if km > 100.0 {
                    w::FAR_100KM
                } else {
                    0.0
                };
                say(Evidence::Distance, weight, format!("map points {km:.1} km apart"));
            }
            false
        }
    };
    if !near_postcode && let (Some(a), Some(b)) = (&p.locality, &q.locality) {
        if a == b {
            let written = p.actor.address.locality.as_deref().unwrap_or(a);
            say(Evidence::Locality, w::SAME_LOCALITY, format!("same locality {written}"));
        } else {
            say(Evidence::Locality, w::OTHER_LOCALITY, format!("other localities ({a}, {b})"));
        }
    }

    // Legal form.
    let (lp, lq) = (&p.actor.legal_form, &q.actor.legal_form);
    let label = |l: &Option<String>| l.as_deref().map(normalize::fold);
    if lp.code.is_some() && lp.code == lq.code {
        say(Evidence::LegalForm, w::SAME_LEGAL_FORM, format!("same legal form {}", lp.code.as_deref().unwrap_or("")));
    } else if label(&lp.label).is_some() && label(&lp.label) == label(&lq.label) {
        say(Evidence::LegalForm, w::SAME_LEGAL_FORM, format!("same legal form {}", lp.label.as_deref().unwrap_or("")));
    } else if let (Some(a), Some(b)) = (lp.family, lq.family) {
        if a == b {
            say(Evidence::LegalForm, w::SAME_FAMILY, format!("same legal-form family {}", a.as_str()));
        } else {
            say(
                Evidence::LegalForm,
                w::OTHER_FAMILY,
                format!("legal-form families differ ({}, {})", a.as_str(), b.as_str()),
            );
        }
    }

    let total = w::PRIOR + reasons.iter().map(|r| r.weight).sum::<f64>();
    reasons.sort_by(|x, y| y.weight.abs().total_cmp(&x.weight.abs()).then(x.evidence.cmp(&y.evidence)));
    let score = (logistic(total) * 10_000.0).round() / 10_000.0;
    (score, reasons)
}
