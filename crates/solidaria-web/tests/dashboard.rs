//! The observatory's dashboard over real HTTP: counts per profile, family, category and building
//! block for the directory's filters, in the page's language, and the same figures as JSON.

mod common;
use common::{get, json, start};

#[test]
fn the_dashboard_counts_the_filtered_actors_with_a_table_for_every_chart() {
    let s = start();
    let v = json(&get(&s, "/api/dashboard", "").2);
    assert_eq!((v["total"].as_u64(), v["counted"].as_u64()), (Some(2), Some(2)), "{v}");
    let profile = |id: &str| v["verdicts"].as_array().unwrap().iter().find(|p| p["profile"] == id).cloned();
    let un = profile("un-2023").expect("the UN definition applies to every actor");
    assert_eq!(un["screened"], 2);
    // The company whose documented purpose is private profit does not qualify under the UN's.
    assert_eq!(un["does_not_qualify"], 1, "{un}");
    assert_eq!(
        profile("qc-2013").map(|p| p["screened"].clone()),
        Some(serde_json::json!(1)),
        "Quebec's law: one actor"
    );
    assert!(profile("fr-ess-2014").is_none(), "no actor in France");
    assert_eq!(v["families"], serde_json::json!([["company", 1], ["cooperative", 1]]));

    // Filtered by territory (a name is accepted on the page, a code in the API).
    let v = json(&get(&s, "/api/dashboard?territory=CA-QC", "").2);
    assert_eq!(v["total"], 1);
    assert_eq!(v["categories"], serde_json::json!([["sse_organization", 1]]));
    assert_eq!(get(&s, "/api/dashboard?nonsense=1", "").0, 400, "the API refuses unknown parameters");

    let (status, _, page) = get(&s, "/dashboard?lang=fr&utm_source=x", "");
    assert_eq!(status, 200);
    for expected in [
        "Tableau de bord de l&#39;observatoire",
        "Coopérative",
        "Société commerciale",
        "Organisations de l&#39;ESS",
        "reconnus",
        "<svg",
        "/profiles/un-2023?lang=fr",
        "Définition de l&#39;économie sociale et solidaire de l&#39;Assemblée générale de l&#39;ONU",
    ] {
        assert!(page.contains(expected), "{expected} in the page");
    }
    assert!(!page.contains(">cooperative<") && !page.contains(">sse_organization<"), "no code shown as a label");
    assert!(page.contains(r#"href="/dashboard?lang=fr""#), "in the site menu");
    let (_, _, page) = get(&s, "/dashboard?lang=fr&territory=nowhere-land", "");
    assert!(page.contains("Aucun acteur") || page.contains("nowhere-land"), "an unknown territory says so");
}
