use super::*;
use proptest::prelude::*;
use solidaria_core::Record;
use solidaria_core::actor::Actor;
use solidaria_core::fact::FactValue;
use solidaria_core::record::parse_record;
use solidaria_core::testing::{arb_actor, arb_relation};

fn write_actors(actors: &[Actor]) -> Vec<u8> {
    let mut w = ActorCsvWriter::new(Vec::new(), CsvColumns::of(actors)).unwrap();
    for a in actors {
        w.write(a).unwrap();
    }
    w.finish().unwrap()
}

fn read_all(bytes: &[u8]) -> Vec<(u64, Result<Record, Vec<String>>)> {
    read_csv(bytes)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.line, e.result.map_err(|es| es.iter().map(|e| e.to_string()).collect()))
        })
        .collect()
}

#[test]
fn hand_written_file_with_provenance_reads() {
    let csv = "id,name,territory,claims,location.lat,location.lon,facts.governance.voting_rule,facts.assets.lock,facts.assets.lock@source,facts.assets.lock@date,facts.x.size\n\
               desjardins,Mouvement Desjardins,CA-QC,cooperative; sse,46.8,-71.2,one_member_one_vote,true,Act respecting financial services cooperatives,2024,big\n";
    let got = read_all(csv.as_bytes());
    let (line, Ok(Record::Actor(a))) = &got[0] else { panic!("{got:?}") };
    assert_eq!(*line, 2);
    assert_eq!(a.claims.len(), 2);
    assert_eq!(a.facts["assets.lock"].value, FactValue::Bool(true));
    assert_eq!(a.facts["assets.lock"].provenance.date.as_ref().unwrap().as_str(), "2024");
    assert_eq!(a.facts["x.size"].value, FactValue::Custom(json!("big")));
    assert_eq!(a.location.unwrap().lon, -71.2);
}

#[test]
fn assurance_has_a_column_only_where_a_fact_says_it_and_reads_back() {
    let csv = "id,name,facts.assets.lock,facts.assets.lock@source,facts.assets.lock@assurance,facts.members.count\n\
               a,A,true,Statutes,self_declared,12\n\
               b,B,false,,,\n";
    let got = read_all(csv.as_bytes());
    let actors: Vec<Actor> = got
        .into_iter()
        .map(|(_, r)| match r {
            Ok(Record::Actor(a)) => a,
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(actors[0].facts["assets.lock"].provenance.is_self_declared());
    assert_eq!(actors[1].facts["assets.lock"].provenance.assurance, None);
    let written = String::from_utf8(write_actors(&actors)).unwrap();
    let header = written.lines().next().unwrap();
    assert!(header.contains("facts.assets.lock@assurance"), "{header}");
    assert!(!header.contains("facts.members.count@assurance"), "{header}");
    assert!(written.contains(",self_declared\n"), "{written}");
    // Without any assurance, the columns stay those of earlier files.
    let plain = String::from_utf8(write_actors(&actors[1..])).unwrap();
    assert!(!plain.contains("@assurance"), "{plain}");
    let bad = read_all(b"id,name,facts.assets.lock,facts.assets.lock@assurance\na,A,true,checked\n");
    assert!(bad[0].1.as_ref().unwrap_err()[0].contains("assurance"), "{bad:?}");
}

#[test]
fn bad_cells_name_line_and_column() {
    let csv = "id,name,founded,facts.members.count,facts.assets.lock@source\n\
               ok,OK,1990,10,\n\
               bad,Bad,soon,many,Statutes\n\
               short,Short\n";
    let got = read_all(csv.as_bytes());
    assert!(got[0].1.is_ok());
    assert_eq!(got[1].0, 3);
    assert_eq!(
        got[1].1.as_ref().unwrap_err(),
        &vec![
            "facts.assets.lock: expected a value in column facts.assets.lock when facts.assets.lock@source is given, found an empty value".to_string(),
            "founded: expected a whole number from 1000 to 2100, found \"soon\"".to_string(),
            "facts.members.count: expected a whole number, 0 or more, found \"many\"".to_string(),
        ]
    );
    assert_eq!(got[2], (4, Err(vec!["record: expected 5 columns like the header, found 2 columns".to_string()])));
}

#[test]
fn bad_headers_are_refused_whole() {
    for (csv, want) in [
        ("id,nmae\n", "line 1: column \"nmae\": expected one of id, name, category"),
        ("id,name,facts.Bad\n", "line 1: column \"facts.Bad\": expected facts.KEY with a dotted key"),
        (
            "id,name,facts.x.b@when\n",
            "line 1: column \"facts.x.b@when\": expected a suffix @source, @date, @url, @note or @assurance",
        ),
        ("name\n", "line 1: column \"id\" is required, found no such column"),
        ("id,name,id\n", "line 1: column \"id\" appears twice"),
        ("from,to,weight\n", "line 1: column \"weight\": expected one of from, to, kind"),
        (
            "id,name,facts.governance.votingrule\n",
            "line 1: column \"facts.governance.votingrule\": expected a key of the fact vocabulary",
        ),
    ] {
        let e = read_csv(csv.as_bytes()).err().expect(csv).to_string();
        assert!(e.starts_with(want), "{csv}: {e}");
    }
}

#[test]
fn a_fact_column_outside_the_vocabulary_names_the_nearest_key() {
    let e = read_csv("id,name,facts.governance.votingrule\n".as_bytes()).err().unwrap().to_string();
    assert!(e.contains("custom key declared under \"x.\" (\"facts.x.governance.votingrule\")"), "{e}");
    assert!(e.ends_with("did you mean \"facts.governance.voting_rule\"?"), "{e}");
}

#[test]
fn a_semicolon_separated_header_is_hinted() {
    let e = read_csv("id;name;website\na;A;\n".as_bytes()).err().unwrap().to_string();
    assert!(e.starts_with("line 1: column \"id;name;website\": expected one of id, name"), "{e}");
    assert!(
        e.contains(
            "the header is one column holding 2 ';': the file looks ';'-separated, but is read as ','-separated"
        ),
        "{e}"
    );
}

#[test]
fn an_unclosed_quote_says_where_it_opened_and_what_it_swallowed() {
    // The quote of line 3 runs to the end: the rows of lines 4 to 6 are gone into one cell.
    let text = "id,name,description\na,A,x\nb,B,\"open\nc,C,y\nd,D,z\ne,E,w\n";
    let got: Vec<_> = read_csv(text.as_bytes()).unwrap().map(|e| e.unwrap()).collect();
    assert_eq!(got.len(), 2, "the swallowed rows are not records");
    assert!(got[0].result.is_ok());
    assert_eq!(got[1].line, 3);
    let e = got[1].result.as_ref().unwrap_err();
    assert_eq!(
        e[0].to_string(),
        "record: expected a closing quote for the quote opened on line 3, found none: the quote swallowed the 3 lines \
         after it, to the end of the file (line 6), into one cell (close it; write \"\" for a quote inside a quoted cell)"
    );
    // In a middle column, the row comes out short: the same message, not a column count.
    let text = "id,name,description\na,\"A\nb,B,y\n";
    let got: Vec<_> = read_csv(text.as_bytes()).unwrap().map(|e| e.unwrap()).collect();
    let e = got[0].result.as_ref().unwrap_err();
    assert!(
        e[0].to_string().contains("quote opened on line 2, found none: the quote swallowed the 1 line after"),
        "{e:?}"
    );
}

#[test]
fn invalid_utf8_is_a_record_error() {
    let mut bytes = b"id,name\na,\xff\xfe\nb,B\n".to_vec();
    bytes.extend_from_slice(b"");
    let got = read_all(&bytes);
    assert_eq!(got[0], (2, Err(vec!["record: expected UTF-8 text, found invalid UTF-8 in column 2".to_string()])));
    assert!(got[1].1.is_ok());
}

#[test]
fn relations_round_trip() {
    let csv = "from,to,kind,since,source,url\ntiess,chantier,partners_with,2013,TIESS annual report,https://tiess.ca\n";
    let got = read_all(csv.as_bytes());
    let Ok(Record::Relation(r)) = &got[0].1 else { panic!("{got:?}") };
    let mut w = RelationCsvWriter::new(Vec::new()).unwrap();
    w.write(r).unwrap();
    let back = read_all(&w.finish().unwrap());
    assert_eq!(back[0].1, Ok(Record::Relation(r.clone())));
}

#[test]
fn writer_refuses_to_drop_a_fact() {
    let a = match parse_record(&json!({"type":"actor","id":"a","name":"A","facts":{"assets.lock":true}})).unwrap() {
        Record::Actor(a) => a,
        _ => unreachable!(),
    };
    let mut w = ActorCsvWriter::new(Vec::new(), CsvColumns::default()).unwrap();
    assert!(w.write(&a).is_err());
}

#[test]
fn cells_a_spreadsheet_would_run_are_written_as_text_and_read_back() {
    // Fails without the fix: "=HYPERLINK(…)" was written bare and ran in a spreadsheet.
    for (cell, written) in [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("''@x", "'''@x"),
        ("-71.2", "-71.2"),
        ("-", "'-"),
        ("'quoted'", "'quoted'"),
        ("plain = fine", "plain = fine"),
        ("", ""),
    ] {
        assert_eq!(neutralise(cell), written, "{cell:?}");
        assert_eq!(unneutralised(&neutralise(cell)), cell, "{cell:?}");
    }
    let a = match parse_record(&json!({"type":"actor","id":"a","name":"=cmd|' /C calc'!A0","description":"@x",
        "location":{"lat":-33.9,"lon":-71.2},"facts":{"x.note":"-y"}}))
    .unwrap()
    {
        Record::Actor(a) => a,
        _ => unreachable!(),
    };
    let bytes = write_actors(std::slice::from_ref(&a));
    let text = String::from_utf8(bytes.clone()).unwrap();
    let row = text.lines().nth(1).unwrap();
    assert!(row.starts_with("a,'=cmd|' /C calc'!A0,") && row.contains(",'@x,") && row.contains(",'-y,"), "{row}");
    assert!(row.contains(",-33.9,-71.2,"), "numbers stay numbers: {row}");
    assert_eq!(read_all(&bytes)[0].1, Ok(Record::Actor(a)));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn actors_survive_a_csv_round_trip(actors in proptest::collection::vec(arb_actor(), 1..5)) {
        let bytes = write_actors(&actors);
        let back: Vec<Record> = read_all(&bytes).into_iter().map(|(_, r)| r.unwrap()).collect();
        let want: Vec<Record> = actors.into_iter().map(Record::Actor).collect();
        prop_assert_eq!(back, want);
    }

    #[test]
    fn neutralised_cells_read_back_unchanged(cell in "['=+@\\-\t\r a1.eE]{0,6}") {
        let written = neutralise(&cell);
        prop_assert_eq!(unneutralised(&written), cell.as_str());
        let first = written.trim_start_matches('\'').chars().next();
        prop_assert!(written.starts_with('\'') || !first.is_some_and(|c| "=+@\t\r".contains(c)) || written.parse::<f64>().is_ok());
    }

    #[test]
    fn relations_survive_a_csv_round_trip(rels in proptest::collection::vec(arb_relation(), 1..5)) {
        let mut w = RelationCsvWriter::new(Vec::new()).unwrap();
        for r in &rels { w.write(r).unwrap(); }
        let back: Vec<Record> = read_all(&w.finish().unwrap()).into_iter().map(|(_, r)| r.unwrap()).collect();
        let want: Vec<Record> = rels.into_iter().map(Record::Relation).collect();
        prop_assert_eq!(back, want);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]
    /// Arbitrary bytes under a valid header never make the CSV reader panic.
    #[test]
    fn arbitrary_rows_never_panic(body in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut bytes = b"id,name,claims,location.lat,location.lon,facts.members.count,facts.members.count@source,facts.x.y\n".to_vec();
        bytes.extend_from_slice(&body);
        if let Ok(entries) = read_csv(&bytes[..]) {
            for e in entries { let _ = e; }
        }
        if let Ok(entries) = read_csv(&body[..]) {
            for e in entries { let _ = e; }
        }
    }
}
