use super::*;
use solidaria_core::Record as CoreRecord;
use solidaria_core::actor::{Actor, Claim};
use solidaria_core::origin::Precision;

/// What reading gave for one row: its line, and the actor or its errors.
type Read = (u64, Result<Actor, Vec<String>>);

/// Reads `input` through `mapping`: the entries (records or their errors) and the notes.
fn run(mapping: &Mapping, input: &str) -> (Vec<Read>, Notes) {
    let (entries, notes) = read(mapping, None, std::io::Cursor::new(input.as_bytes().to_vec())).expect("readable");
    let out = entries
        .map(|e| {
            let e = e.expect("no structure error");
            let r = match e.result {
                Ok(CoreRecord::Actor(a)) => Ok(a),
                Ok(other) => panic!("not an actor: {other:?}"),
                Err(errors) => Err(errors.iter().map(|x| x.to_string()).collect()),
            };
            (e.line, r)
        })
        .collect();
    let notes = notes.lock().unwrap().clone();
    (out, notes)
}

fn ok(entries: &[Read], i: usize) -> &Actor {
    entries[i].1.as_ref().unwrap_or_else(|e| panic!("entry {i}: {e:?}"))
}

#[test]
fn every_built_in_mapping_is_valid() {
    for (name, _) in BUILT_IN {
        Mapping::built_in(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    assert!(matches!(Mapping::built_in("nope"), Err(MappingError::Unknown(..))));
}

/// Rows in the layout of Co-operatives UK's ESSGlobal CSV (made up for the test, not from the
/// file): the header is the file's.
const ESSGLOBAL: &str = "Identifier,Name,Description,Organisational Structure,Primary Activity,Activities,Street Address,Locality,Region,Postcode,Country ID,Territory ID,Website,Phone,Email,Twitter,Facebook,Companies House Number,Qualifiers,Membership Type,Latitude,Longitude,Geo Container,Geo Container Latitude,Geo Container Longitude,Sector,SIC Section,SIC Code,Ownership Classification,Legal Form\r
R900001,Riverside Bakers,,https://dev.lod.coop/essglobal/2.1/standard/organisational-structure/OS115,https://dev.lod.coop/essglobal/2.1/standard/activities-ica/ICA140,,\"1 Mill Lane\r
Unit 2\",Bristol,\"Bristol, City of\",BS1 1AA,GB,,https://riverside.example.coop,,,,,07654321,,https://dev.lod.coop/essglobal/2.1/standard/base-membership-type/BMT30,,,http://data.ordnancesurvey.co.uk/id/postcodeunit/BS11AA,51.45,-2.59,Food,Manufacturing,10710,Workers,Community Interest Company\r
R900002,Hilltop Energy,,https://dev.lod.coop/essglobal/2.1/standard/organisational-structure/OS130,,,,Kendal,Cumbria,LA9 4AA,GB,,,,,,,,,https://dev.lod.coop/essglobal/2.1/standard/base-membership-type/BMT40,,,,,,Energy,,,Multi-stakeholder,Act of Parliament\r
";

#[test]
fn essglobal_rows_become_actors_with_their_source_and_legal_form() {
    let m = Mapping::built_in("essglobal-csv").unwrap();
    let (entries, notes) = run(&m, ESSGLOBAL);
    assert_eq!(entries.len(), 2);
    let a = ok(&entries, 0);
    assert_eq!(a.id.as_str(), "coops-uk-essglobal:R900001");
    assert_eq!(a.name, "Riverside Bakers");
    assert_eq!(a.legal_form.code.as_deref(), Some("17R0"), "a CIC gets its ELF code");
    assert_eq!(a.legal_form.label.as_deref(), Some("Community Interest Company"));
    assert_eq!(a.identifiers.get("coops_uk").map(String::as_str), Some("R900001"));
    assert_eq!(a.identifiers.get("gb_companies_house").map(String::as_str), Some("07654321"));
    assert_eq!(a.address.postcode.as_deref(), Some("BS1 1AA"));
    assert_eq!(a.address.street.as_deref(), Some("1 Mill Lane\nUnit 2"), "CRLF inside a quoted cell is read as LF");
    let loc = a.location.expect("postcode centre");
    assert_eq!((loc.lat, loc.lon, loc.precision), (51.45, -2.59, Some(Precision::Postcode)));
    assert_eq!(a.activities, vec!["ica:ICA140".to_string(), "uksic2007:10710".to_string()]);
    assert_eq!(a.claims, vec![Claim::Cooperative]);
    let members = &a.facts["members.types"];
    assert_eq!(members.value.to_json(), json!(["workers"]));
    assert_eq!(members.provenance.note.as_deref(), Some("column \"Membership Type\""));
    assert!(members.provenance.source.as_deref().unwrap().contains("2022-Q2"));
    let source = &a.sources[0];
    assert_eq!((source.dataset.as_str(), source.line), ("coops-uk-essglobal", Some(2)));
    assert_eq!(source.licence.as_deref(), Some("ODC-By-1.0"));
    // The second row starts on line 4 of the file (the first spans two).
    assert_eq!(entries[1].0, 4);
    let b = ok(&entries, 1);
    assert!(b.location.is_none(), "no point without coordinates, even with a precision constant");
    assert!(b.labels.contains(&"multi_stakeholder".to_string()));
    assert!(b.legal_form.code.is_none());
    let legal = &notes.unmapped_values["Legal Form"];
    assert_eq!((legal.rows, legal.examples.get("Act of Parliament")), (1, Some(&1)));
    assert_eq!(notes.ignored_columns["Sector"], 2);
    assert!(notes.unmapped_columns.is_empty(), "{:?}", notes.unmapped_columns);
    assert_eq!(notes.rows, 2);
}

fn small(extra: &str) -> Mapping {
    Mapping::parse(&format!(
        "[dataset]\nname = \"t\"\ntitle = \"T\"\n[input]\nformat = \"csv\"\n[id]\ncolumn = \"id\"\n{extra}"
    ))
    .unwrap()
}

#[test]
fn unread_columns_repeated_ids_and_empty_ids_are_reported() {
    let m = small("[[columns]]\ncolumn = \"name\"\nto = \"name\"\n");
    let (entries, notes) = run(&m, "id,name,colour\na,A,red\nb,B,\na,C,blue\n,D,\n");
    assert!(entries[0].1.is_ok() && entries[1].1.is_ok());
    let dup = entries[2].1.as_ref().unwrap_err();
    assert_eq!(
        dup,
        &vec![
            "\"id\" (id): expected an id not used by another row of this file, found \"a\", the id of line 2 too"
                .to_string()
        ]
    );
    let empty = entries[3].1.as_ref().unwrap_err();
    assert!(empty[0].starts_with("\"id\" (id): expected a value identifying the row"), "{empty:?}");
    assert_eq!(notes.unmapped_columns.get("colour"), Some(&2));
}

#[test]
fn a_refused_value_names_its_column_unless_the_rule_reports_it() {
    let strict = small("[[columns]]\ncolumn = \"n\"\nto = \"name\"\n[[columns]]\ncolumn = \"web\"\nto = \"website\"\n");
    let (entries, _) = run(&strict, "id,n,web\na,A,not a site\n");
    let errors = entries[0].1.as_ref().unwrap_err();
    assert!(errors[0].starts_with("\"web\" (website): expected an http:// or https:// address"), "{errors:?}");

    let lenient = small(
        "[[columns]]\ncolumn = \"n\"\nto = \"name\"\n[[columns]]\ncolumn = \"web\"\nto = \"website\"\ninvalid = \"report\"\n",
    );
    let (entries, notes) = run(&lenient, "id,n,web\na,A,not a site\nb,B,https://b.example\n");
    assert!(ok(&entries, 0).website.is_none());
    assert_eq!(ok(&entries, 1).website.as_ref().map(|w| w.to_string()).as_deref(), Some("https://b.example"));
    assert_eq!(notes.invalid_values["web"].examples.get("not a site"), Some(&1));
}

#[test]
fn target_column_chooses_the_identifier_scheme_and_replacements_are_counted() {
    let m = Mapping::parse(
        "[dataset]\nname = \"t\"\ntitle = \"T\"\n[input]\nformat = \"csv\"\n[id]\ncolumn = \"id\"\n\
         [[columns]]\ncolumn = \"registered\"\nto = \"name\"\n[[columns]]\ncolumn = \"trading\"\nto = \"name\"\n\
         [[columns]]\ncolumn = \"number\"\ntarget_column = \"registrar\"\n[columns.targets]\nFCA = \"identifiers.gb_fca_mutuals\"\n\
         \"Companies House\" = \"identifiers.gb_companies_house\"\n",
    );
    let m = m.unwrap();
    let (entries, notes) = run(
        &m,
        "id,registered,trading,number,registrar\na,A Ltd,A,1R,FCA\nb,B Ltd,,0123,Companies House\nc,C,,9,Other\n",
    );
    assert_eq!(ok(&entries, 0).name, "A");
    assert_eq!(ok(&entries, 0).identifiers.get("gb_fca_mutuals").map(String::as_str), Some("1R"));
    assert_eq!(ok(&entries, 1).name, "B Ltd");
    assert_eq!(ok(&entries, 1).identifiers.get("gb_companies_house").map(String::as_str), Some("0123"));
    assert!(ok(&entries, 2).identifiers.is_empty());
    assert_eq!(notes.replaced.get("registered"), Some(&1));
    assert_eq!(notes.unmapped_values["number (by registrar)"].examples.get("Other"), Some(&1));
}

#[test]
fn an_unclosed_quote_and_a_wrong_delimiter_are_named() {
    let m = small("[[columns]]\ncolumn = \"name\"\nto = \"name\"\n");
    let mut entries = read(&m, None, "id,name\na,A\nb,\"B\nc,C\nd,D\n".as_bytes()).unwrap().0;
    assert!(entries.next().unwrap().is_ok());
    let e = entries.next().unwrap().err().unwrap().to_string();
    assert!(
        e.starts_with("line 3: expected a closing quote for the quote opened on line 3, found none: the quote swallowed the 2 lines after it, to the end of the file (line 5)"),
        "{e}"
    );
    let e = read(&m, None, "id;name\na;A\n".as_bytes()).err().unwrap().to_string();
    assert_eq!(
        e,
        "line 1: the header is one column holding 1 ';': the file looks ';'-separated, but is read as ','-separated: \
         found the column \"id;name\" (set the mapping's delimiter, in [input], to the file's)"
    );
}

#[test]
fn malformed_mappings_say_what_is_wrong() {
    let bad = [
        ("[[columns]]\ncolumn = \"x\"\nto = \"nmae\"\n", "\"nmae\": expected one of name"),
        (
            "[[columns]]\ncolumn = \"x\"\nto = \"facts.governance.votingrule\"\n",
            "not a key of the fact vocabulary (see `solidaria vocabulary`): did you mean \"facts.governance.voting_rule\"?",
        ),
        ("[[columns]]\ncolumn = \"x\"\n", "expected `to`, `map` or `target_column`"),
        ("[[columns]]\ncolumn = \"x\"\n[columns.map]\na = \"b\"\n", "gives a value but the rule has no `to`"),
        ("[constants]\n\"identifiers.Bad\" = \"x\"\n", "scheme name"),
    ];
    for (extra, expected) in bad {
        let text = format!(
            "[dataset]\nname = \"t\"\ntitle = \"T\"\n[input]\nformat = \"csv\"\n[id]\ncolumn = \"id\"\n{extra}"
        );
        let e = Mapping::parse(&text).expect_err(extra).to_string();
        assert!(e.contains(expected), "{extra}: {e}");
    }
    let e = Mapping::parse("[dataset]\nname = \"t\"\n").expect_err("incomplete").to_string();
    assert!(e.contains("title") || e.contains("missing"), "{e}");
}

#[test]
fn geojson_features_keep_their_lines_points_and_labels() {
    let m = Mapping::built_in("geojson").unwrap();
    let input = r#"{"type": "FeatureCollection", "license": "Public Domain",
  "features": [
    {"type": "Feature", "properties": {"_id": "f1", "name": "Food Co-op", "addr:country": "Österreich",
       "type_of_initiative": "agroecology_education;Repair Café", "contact:website": "update6"},
     "geometry": {"type": "Point", "coordinates": [16.37, 48.21]}},
    {"type": "Feature", "properties": {"_id": "f2", "name": "Tool Library", "addr:country": "SR"},
     "geometry": {"type": "Point", "coordinates": [14.5, 46.05]}}
  ]}"#;
    let (entries, notes) = run(&m, input);
    assert_eq!(entries.iter().map(|e| e.0).collect::<Vec<_>>(), vec![3, 6]);
    let a = ok(&entries, 0);
    assert_eq!(a.territory.as_ref().map(|t| t.to_string()).as_deref(), Some("AT"));
    assert_eq!(a.labels, vec!["agroecology_education".to_string(), "repair_cafe".to_string()]);
    let loc = a.location.unwrap();
    assert_eq!((loc.lat, loc.lon), (48.21, 16.37));
    assert!(a.website.is_none());
    assert_eq!(notes.invalid_values["contact:website"].rows, 1);
    assert_eq!(notes.unmapped_values["addr:country"].examples.get("SR"), Some(&1));
}

#[test]
fn gogocarto_and_murmurations_exports_are_read() {
    let gogo = r#"{"licence": "ODbL", "ontology": "gogofull", "data": [
      {"id": "x1", "name": "Épicerie du coin", "geo": {"latitude": 46.3252, "longitude": -0.0339},
       "address": {"streetAddress": "5 rue Edmond Proust", "addressLocality": "Chenay", "postalCode": "79120", "addressCountry": "FR"},
       "categories": ["Alimentation", "Épicerie solidaire"], "website": "https://example.fr", "email": "a@example.fr"}
    ]}"#;
    let (entries, notes) = run(&Mapping::built_in("gogocarto").unwrap(), gogo);
    let a = ok(&entries, 0);
    assert_eq!(a.id.as_str(), "gogocarto:x1");
    assert_eq!(a.address.locality.as_deref(), Some("Chenay"));
    assert_eq!(a.labels, vec!["alimentation".to_string(), "epicerie_solidaire".to_string()]);
    assert_eq!(notes.ignored_columns.get("email"), Some(&1));

    let profile = r#"{"linked_schemas": ["organizations_schema-v1.0.0"], "name": "Solar Co-op", "nickname": "SolCo",
       "primary_url": "https://solar.example.org", "tags": ["energy", "co-op"], "country_iso_3166": "GB",
       "geolocation": {"lat": 51.5, "lon": -0.1}, "mission": "Power to the people"}"#;
    let (entries, notes) = run(&Mapping::built_in("murmurations").unwrap(), profile);
    let a = ok(&entries, 0);
    assert_eq!(a.id.as_str(), "murmurations:solar.example.org");
    assert_eq!(a.website.as_ref().map(|w| w.to_string()).as_deref(), Some("https://solar.example.org"));
    assert_eq!(a.labels, vec!["co_op".to_string(), "energy".to_string()]);
    assert_eq!(a.alternate_names, ["SolCo"], "the nickname is another name");
    assert_eq!(notes.unmapped_columns.get("mission"), Some(&1), "a column with no place is reported");
}

#[test]
fn labels_are_made_from_names() {
    assert_eq!(slug("Épicerie  solidaire!"), "epicerie_solidaire");
    assert_eq!(slug("2nd-hand"), "c_2nd_hand");
    assert_eq!(slug("Repair Café"), "repair_cafe");
}

#[test]
fn typed_web_addresses_get_a_scheme_and_nothing_else_changes() {
    assert_eq!(web_address("www.bancaetica.it"), "http://www.bancaetica.it");
    assert_eq!(web_address("example.org/about"), "http://example.org/about");
    assert_eq!(web_address("https://x.org"), "https://x.org");
    assert_eq!(web_address("poolarts@googlemail.com"), "poolarts@googlemail.com");
    assert_eq!(web_address("update6"), "update6");
    assert_eq!(web_address("www.a.org; www.b.org"), "www.a.org; www.b.org");
}

/// Real rows of Co-operatives UK's 2017 files (see the fixtures' README for the attribution).
const ORGANISATIONS_2017: &str = include_str!("../../tests/fixtures/coops-uk-2017/organisations.csv");
const OUTLETS_2017: &str = include_str!("../../tests/fixtures/coops-uk-2017/outlets.csv");
const OUTLET_PROBLEMS_2017: &str = include_str!("../../tests/fixtures/coops-uk-2017/outlets-problems.csv");

/// Reads a file of sites: each row's line, actor and site (or its errors, or the structure
/// problem that ended the file), and the notes.
#[allow(clippy::type_complexity)]
fn run_sites(
    mapping: &Mapping,
    input: &str,
) -> (Vec<(u64, Option<String>, Result<solidaria_core::site::Site, Vec<String>>)>, Option<FormatError>, Notes) {
    let (entries, notes) =
        read_sites(mapping, None, std::io::Cursor::new(input.as_bytes().to_vec())).expect("readable");
    let mut out = Vec::new();
    let mut end = None;
    for e in entries {
        match e {
            Ok(e) => out.push((e.line, e.actor, e.result.map_err(|x| x.iter().map(|x| x.to_string()).collect()))),
            Err(e) => {
                end = Some(e);
                break;
            }
        }
    }
    let notes = notes.lock().unwrap().clone();
    (out, end, notes)
}

#[test]
fn outlets_become_sites_of_their_organisations_actor_with_their_row() {
    let m = Mapping::built_in("coops-uk-2017-outlets").unwrap();
    let (entries, end, notes) = run_sites(&m, OUTLETS_2017);
    assert!(end.is_none(), "{end:?}");
    let lines: Vec<u64> = entries.iter().map(|e| e.0).collect();
    assert_eq!(lines, [2, 7, 9, 11, 13, 17], "rows spanning lines keep their first line");
    let actors: Vec<&str> = entries.iter().map(|e| e.1.as_deref().unwrap()).collect();
    assert_eq!(actors[..3], ["coops-uk-2017:R003235", "coops-uk-2017:R000028", "coops-uk-2017:R000028"]);
    let museum = entries[0].2.as_ref().unwrap();
    assert_eq!(museum.name.as_deref(), Some("The Rochdale Pioneers Museum"));
    assert_eq!(museum.address.street.as_deref(), Some("31 Toad Lane"));
    assert_eq!(museum.address.locality.as_deref(), Some("Rochdale"));
    assert_eq!(museum.address.region.as_deref(), Some("Lancashire"));
    assert_eq!(museum.address.postcode.as_deref(), Some("OL12 0NU"));
    assert_eq!(museum.phone.as_deref(), Some("01706 524920"));
    assert!(museum.description.as_deref().unwrap().starts_with("The Rochdale Pioneers Museum exists"));
    assert!(museum.location.is_none(), "the file has no coordinates, and none is made up");
    let source = museum.source.as_ref().unwrap();
    assert_eq!(
        (source.dataset.as_str(), source.edition.as_deref(), source.licence.as_deref(), source.line),
        ("coops-uk-2017-outlets", Some("2017-06"), Some("ODC-By-1.0"), Some(2))
    );
    assert_eq!(
        source.attribution.as_deref(),
        Some("Contains Co-operatives UK open data (uk.coop/resources/open-data)")
    );
    let store = entries[1].2.as_ref().unwrap();
    assert_eq!(store.address.street.as_deref(), Some("50-52 Wooldale Road\nWooldale"), "CRLF file, LF inside a cell");
    assert_eq!(
        store.website.as_ref().map(|w| w.to_string()).as_deref(),
        Some("http://www.wooldale.coop/Our-stores/Wooldale-Central-Store.htm")
    );
    assert_eq!(notes.rows, 6);
    assert_eq!(notes.ignored_columns.get("Registered Name"), Some(&6), "counted, as ignored");
    assert!(notes.unmapped_columns.is_empty(), "{:?}", notes.unmapped_columns);
    assert!(notes.invalid_values.is_empty(), "{:?}", notes.invalid_values);
}

#[test]
fn a_malformed_outlet_is_named_by_line_and_column_and_a_refused_phone_is_counted() {
    let m = Mapping::built_in("coops-uk-2017-outlets").unwrap();
    let (entries, end, notes) = run_sites(&m, OUTLET_PROBLEMS_2017);
    assert_eq!(entries.len(), 3);
    assert!(entries[0].2.is_ok());
    assert_eq!(entries[1].0, 4);
    assert_eq!(entries[1].1, None);
    assert_eq!(
        entries[1].2.as_ref().unwrap_err(),
        &["\"CUK Organisation ID\" (id): expected a value naming the actor this site belongs to, found an empty cell"]
    );
    // The orphan reads as a site: whether its actor exists is for the import to say.
    assert_eq!((entries[2].0, entries[2].1.as_deref()), (9, Some("coops-uk-2017:R000001")));
    let orphan = entries[2].2.as_ref().unwrap();
    assert!(orphan.phone.is_none(), "\"TBC\" is not a phone number");
    assert_eq!(notes.invalid_values["Phone"].examples.get("TBC"), Some(&1));
    match end {
        Some(FormatError::Structure { line, message }) => {
            assert_eq!((line, message.as_str()), (12, "expected 10 cells as in the header, found 9"))
        }
        other => panic!("expected the short row's problem, found {other:?}"),
    }
}

#[test]
fn a_file_of_a_publication_is_read_with_the_mapping_its_columns_fit() {
    let m = Mapping::built_in("coops-uk-2017").unwrap();
    assert_eq!(m.also, ["coops-uk-2017-outlets"]);
    assert_eq!(m.for_file(OUTLETS_2017.as_bytes()).unwrap().dataset.name, "coops-uk-2017-outlets");
    assert_eq!(m.for_file(ORGANISATIONS_2017.as_bytes()).unwrap().dataset.name, "coops-uk-2017");
    assert_eq!(m.for_file(b"a,b\r\n1,2\r\n").unwrap().dataset.name, "coops-uk-2017", "none fits: the one named");
    // Each reader refuses the other kind of mapping.
    let outlets = Mapping::built_in("coops-uk-2017-outlets").unwrap();
    assert!(matches!(read(&outlets, None, std::io::Cursor::new(Vec::new())), Err(FormatError::Unsupported(_))));
    assert!(matches!(read_sites(&m, None, std::io::Cursor::new(Vec::new())), Err(FormatError::Unsupported(_))));
}

#[test]
fn a_mapping_of_sites_writes_only_a_sites_parts_and_names_built_in_companions() {
    let head = "[dataset]\nname = \"t\"\ntitle = \"T\"\n[input]\nformat = \"csv\"\n[id]\ncolumn = \"id\"\n";
    let sites = |extra: &str| Mapping::parse(&format!("rows = \"sites\"\n{head}{extra}"));
    assert!(sites("[[columns]]\ncolumn = \"tel\"\nto = \"phone\"\n").is_ok());
    let e = sites("[[columns]]\ncolumn = \"x\"\nto = \"facts.members.count\"\n").unwrap_err().to_string();
    assert!(e.contains("\"facts.members.count\": a site's part, one of name, description, phone"), "{e}");
    let e = Mapping::parse(&format!("{head}[[columns]]\ncolumn = \"tel\"\nto = \"phone\"\n")).unwrap_err().to_string();
    assert!(e.contains("\"phone\": expected one of name"), "phone is a site's part only: {e}");
    let e = Mapping::parse(&format!("also = [\"outlets\"]\n{head}")).unwrap_err().to_string();
    assert!(e.contains("also: \"outlets\" is not a built-in mapping"), "{e}");
    // A row that names no place is refused, naming what is missing.
    let m = sites("[[columns]]\ncolumn = \"tel\"\nto = \"phone\"\n").unwrap();
    let (entries, _, _) = run_sites(&m, "id,tel\na,0113 496 0000\n");
    assert_eq!(
        entries[0].2.as_ref().unwrap_err(),
        &[
            "name: expected a name, an address or a map point saying which place this is, found nothing (the field is missing)"
        ]
    );
}
