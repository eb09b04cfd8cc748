//! The diagnostic and API reference pages: rendered from templates like every other page, and
//! translated.

mod common;
use common::{get, start};

#[test]
fn the_diagnostic_page_is_translated_and_keeps_its_charts() {
    let s = start();
    let (status, head, page) = get(&s, "/territories/CA-QC/diagnostic?lang=fr", "");
    assert_eq!(status, 200);
    assert!(head.contains("text/html"), "{head}");
    assert!(page.contains("<html lang=\"fr\">"), "{page}");
    assert!(page.contains("<h1>Écosystème de l&#39;ESS du territoire CA-QC</h1>"), "{page}");
    assert!(page.contains("aria-label=\"Building-block scores\""), "the radar chart: {page}");
    assert!(page.contains("renforcement des capacités"), "blocks in French, on the chart and in the table");
    assert!(page.contains("Intermédiaires") && page.contains("Partenariats suggérés"), "{page}");
    assert!(page.contains("href=\"/api/territories/CA-QC/diagnostic\""), "{page}");
    // Compared, in Spanish from the browser's language: one radar, one picture per territory.
    let (status, _, page) = get(&s, "/territories/CA/diagnostic?compare=CA-QC", "Accept-Language: es\r\n");
    assert_eq!(status, 200);
    assert!(page.contains("Ecosistema de la ESS del territorio CA comparado con CA-QC"), "{page}");
    assert_eq!(page.matches("<svg").count(), 3);
    assert!(page.contains("2 actores, 1 vínculos"), "the network numbers: {page}");
    assert!(page.contains("Network of the actors of CA"), "the network picture: {page}");
}

#[test]
fn the_api_reference_lists_the_operations_in_the_page_language() {
    let s = start();
    let (status, _, page) = get(&s, "/api/docs?lang=fr", "");
    assert_eq!(status, 200);
    assert!(page.contains("<html lang=\"fr\">") && page.contains("<h1>API de Solidaria</h1>"), "{page}");
    assert!(page.contains("<h2><code>GET /api/actors</code></h2>"), "{page}");
    assert!(page.contains("<code>territory</code> (requête)"), "parameters and where they go: {page}");
    assert!(page.contains(r#"{"error": {"code", "reason", "message", "field"}}"#), "errors carry their reason");
    let english = get(&s, "/api/docs", "").2;
    assert!(english.contains("<h1>Solidaria API</h1>") && english.contains("(query)"), "{english}");
}

/// An actor page says what the law of the actor's legal form makes true, cited, and for an
/// undecided verdict which facts would decide it (issue #13).
#[test]
fn the_actor_page_shows_the_law_of_its_form_and_what_would_decide() {
    let s = start();
    {
        let mut store = solidaria_store::open(&s.db).unwrap();
        let record = serde_json::json!({"type": "actor", "id": "asso-fr", "name": "Association du quartier",
            "legal_form": {"code": "INSEE-CJ-9220", "family": "association"}, "territory": "FR",
            "facts": {"surplus.distribution_allowed": true}});
        let mut tx = store.transaction().unwrap();
        tx.upsert_records("test", &[solidaria_core::record::parse_record(&record).unwrap()]).unwrap();
        tx.commit().unwrap();
    }
    let (status, _, page) = get(&s, "/actors/asso-fr?lang=fr", "");
    assert_eq!(status, 200);
    assert!(page.contains("<h2>Selon la loi</h2>"), "{page}");
    assert!(page.contains("Loi du 1er juillet 1901, art. 1"), "the rule is cited: {page}");
    assert!(page.contains("Conflit de données"), "the documented distribution contradicts art. 1: {page}");
    assert!(
        page.contains("by law (Loi n° 2014-856 du 31 juillet 2014, art. 1 II 1°)"),
        "fr-ess-2014 by status: {page}"
    );
    assert!(
        page.contains("Ce qui permettrait de trancher") && page.contains("pour être reconnue, documenter {"),
        "{page}"
    );
    // An actor whose form the statutes do not know has no such section.
    let (_, _, other) = get(&s, "/actors/coop?lang=fr", "");
    assert!(!other.contains("Selon la loi"), "{other}");
}

#[test]
fn the_status_box_shows_only_what_the_app_sets() {
    // Fails without the fix: ?saved=proposal-<text> put that text in the green box.
    let s = start();
    let (status, _, page) = get(&s, "/actors/coop?saved=proposal-Call%200800%20SCAM", "");
    assert_eq!(status, 200);
    assert!(!page.contains("SCAM") && !page.contains("role=\"status\""), "{page}");
    let (_, _, page) = get(&s, "/actors/coop?saved=proposal-7", "");
    assert!(page.contains("role=\"status\"") && page.contains("(#7)"), "{page}");
}
