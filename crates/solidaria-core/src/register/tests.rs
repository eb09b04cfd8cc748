//! Tests of register profiles, code systems and classification.

use super::classify::*;
use super::codes::*;
use super::*;

const HEADER: &[&str] = &[
    "siren",
    "denominationUniteLegale",
    "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale",
    "nomenclatureActivitePrincipaleUniteLegale",
    "etatAdministratifUniteLegale",
    "economieSocialeSolidaireUniteLegale",
];

fn sirene_text() -> &'static str {
    BUILTIN.iter().find(|(id, _)| *id == "fr-ess-2014-sirene").unwrap().1
}

fn sirene() -> RegisterProfile {
    RegisterProfile::parse(sirene_text()).unwrap()
}

fn classify(p: &RegisterProfile, row: &[&str]) -> Result<(String, &'static str, char, Option<u8>), RowProblem> {
    let c = p.classifier(HEADER).unwrap();
    let r = c.classify(row.len(), |i| row[i].as_bytes())?;
    Ok((p.verdicts[r.verdict as usize].clone(), FAMILIES[r.family as usize], r.section as char, r.conflict))
}

fn row<'a>(cj: &'a str, naf: &'a str, state: &'a str, flag: &'a str) -> [&'a str; 7] {
    ["123456789", "X", cj, naf, "NAFRev2", state, flag]
}

#[test]
fn insee_labels_are_found() {
    assert_eq!(insee_label("5710"), Some("SAS, société par actions simplifiée"));
    assert_eq!(insee_label("5498"), Some("SARL unipersonnelle"));
    assert_eq!(insee_label("0001"), None);
    let insee = &code_system("insee-cj").unwrap().codes;
    assert!(insee.windows(2).all(|w| w[0].0 < w[1].0), "the list must stay in code order");
    assert_eq!(sirene().code_label("9220"), Some("Association déclarée"));
    assert_eq!(sirene().legal_form_code("9220"), "INSEE-CJ-9220");
}

#[test]
fn every_code_system_file_is_read_whole() {
    assert_eq!(CODE_FILES.len(), CODE_FILE_COUNT);
    assert_eq!(CODE_SYSTEMS.len(), CODE_FILE_COUNT);
    for (name, text) in CODE_FILES {
        let system = code_system(name).unwrap();
        // Every line after the header is a code: none is dropped for its shape.
        let lines = text.lines().skip(1).filter(|l| !l.trim().is_empty()).count();
        assert_eq!(system.codes.len(), lines, "{name}: lines that are not a four-digit code and a label");
        assert!(system.codes.windows(2).all(|w| w[0].0 < w[1].0), "{name}: codes must be unique, in code order");
        assert!(system.codes.iter().all(|(_, label)| !label.trim().is_empty()), "{name}: a code without a label");
    }
}

#[test]
fn every_builtin_register_parses() {
    assert_eq!(BUILTIN.len(), BUILTIN_COUNT);
    for (id, text) in BUILTIN {
        let p = RegisterProfile::parse(text).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(&p.id, id);
        assert_eq!(builtin(id).map(|b| b.id), Some(p.id));
    }
}

#[test]
fn every_family_code_is_an_insee_legal_category() {
    let p = sirene();
    let families = p.family_table.iter().enumerate().filter(|(_, f)| **f < 4);
    let unknown: Vec<usize> = families.filter(|(c, _)| !p.known[*c]).map(|(c, _)| c).collect();
    assert!(unknown.is_empty(), "family codes missing from the INSEE list: {unknown:?}");
    assert_eq!(p.family_table.iter().filter(|f| **f == 0).count(), 47);
    assert_eq!(naf_section(94), Some(b'S'));
    assert_eq!(naf_section(4), None);
}

#[test]
fn the_rules_of_the_issue_in_order() {
    let p = sirene();
    // Ceased first, whatever else.
    assert_eq!(classify(&p, &row("9220", "88.99B", "C", "O")).unwrap().0, "ceased");
    // Outside the perimeter: division 84, and the listed 94 codes; 94.99Z stays inside.
    assert_eq!(classify(&p, &row("9220", "84.11Z", "A", "N")).unwrap().0, "not_ess");
    assert_eq!(classify(&p, &row("9220", "94.20Z", "A", "O")).unwrap().0, "not_ess");
    assert_eq!(
        classify(&p, &row("9220", "94.99Z", "A", "N")).unwrap(),
        ("ess_by_status".into(), "association", 'S', Some(0))
    );
    // Families by status.
    assert_eq!(
        classify(&p, &row("5458", "10.51A", "A", "O")).unwrap(),
        ("ess_by_status".into(), "cooperative", 'C', None)
    );
    assert_eq!(classify(&p, &row("8210", "65.12Z", "A", "O")).unwrap().1, "mutual");
    assert_eq!(classify(&p, &row("9300", "72.19Z", "A", "O")).unwrap().1, "foundation");
    // Companies: ESS only with the flag.
    assert_eq!(classify(&p, &row("5710", "62.01Z", "A", "O")).unwrap(), ("ess_company".into(), "other", 'J', Some(1)));
    assert_eq!(classify(&p, &row("5710", "62.01Z", "A", "N")).unwrap(), ("not_ess".into(), "other", 'J', None));
    assert_eq!(classify(&p, &row("1000", "", "A", "")).unwrap(), ("not_ess".into(), "other", '-', None));
    // Another nomenclature: section unknown, not excluded.
    let old = ["1", "X", "9220", "75.1A", "NAFRev1", "A", "N"];
    assert_eq!(classify(&p, &old).unwrap(), ("ess_by_status".into(), "association", '?', Some(0)));
}

#[test]
fn bad_rows_are_named() {
    let p = sirene();
    assert_eq!(classify(&p, &row("9999", "94.99Z", "A", "N")), Err(RowProblem::UnknownLegalCategory));
    assert_eq!(classify(&p, &row("92x0", "94.99Z", "A", "N")), Err(RowProblem::UnknownLegalCategory));
    assert_eq!(classify(&p, &row("9220", "94-99Z", "A", "N")), Err(RowProblem::UnknownActivity));
    assert_eq!(classify(&p, &row("9220", "04.10Z", "A", "N")), Err(RowProblem::UnknownActivity));
    assert_eq!(classify(&p, &["1", "2"]), Err(RowProblem::Columns { expected: 7, found: 2 }));
    let e = p.classifier(&["siren", "x"]).unwrap_err();
    assert!(e.0.contains("no column \"categorieJuridiqueUniteLegale\""), "{e}");
}

#[test]
fn tallies_merge_like_one() {
    let p = sirene();
    let c = p.classifier(HEADER).unwrap();
    let rows = [
        row("9220", "94.99Z", "A", "N"),
        row("5710", "62.01Z", "A", "O"),
        row("9999", "", "A", "N"),
        row("5458", "", "C", "N"),
    ];
    let mut whole = Tally::new(&p);
    let (mut a, mut b) = (Tally::new(&p), Tally::new(&p));
    for (i, r) in rows.iter().enumerate() {
        let result = c.classify(r.len(), |k| r[k].as_bytes());
        whole.add(i as u64 + 2, result);
        if i < 2 { a.add(i as u64 + 2, result) } else { b.add(i as u64 + 2, result) }
    }
    a.merge(&b);
    assert_eq!(a, whole);
    assert_eq!(whole.by_verdict(&p), [1, 0, 1, 1]);
    assert_eq!(whole.conflicts, [1, 1]);
    assert_eq!(whole.malformed, [0, 0, 1, 0]);
    assert_eq!(whole.examples, [(4, RowProblem::UnknownLegalCategory)]);
    let listed: Vec<_> = whole.nonzero(&p).collect();
    assert_eq!(listed[0], ("ceased", "cooperative", '-', 1));
}

#[test]
fn register_profiles_are_checked() {
    let text = sirene_text();
    let bad = text.replace("\"5203\", ", "\"5203\", \"9220\", ");
    assert!(RegisterProfile::parse(&bad).unwrap_err().0.contains("already in families.cooperative"));
    let bad = text.replace(
        "why = \"neither an ESS family",
        "when = { column = \"flag\", eq = \"N\" }\nwhy = \"neither an ESS family",
    );
    assert!(RegisterProfile::parse(&bad).unwrap_err().0.contains("default verdict"));
    let bad = text.replace("\"94.92Z\"", "\"94.92\"");
    assert!(RegisterProfile::parse(&bad).unwrap_err().0.contains("excluded_activities"));
    // An unknown code system: the error names the known ones.
    let bad = text.replace("codes = \"insee-cj\"", "codes = \"naf\"");
    let e = RegisterProfile::parse(&bad).unwrap_err().0;
    assert!(e.starts_with("codes: expected one of ") && e.contains("\"insee-cj\""), "{e}");
    assert!(e.ends_with("found \"naf\""), "{e}");
}
