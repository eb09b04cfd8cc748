//! JSON Lines and JSON array readers on arbitrary bytes: no panic, and every valid record writes
//! a canonical form that parses back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use solidaria_formats::jsonl::{read_array, read_lines};

fuzz_target!(|data: &[u8]| {
    for entry in read_lines(data).flatten() {
        if let Ok(record) = entry.result {
            let again = solidaria_core::record::parse_record(&record.to_json());
            assert_eq!(again.as_ref(), Ok(&record));
        }
    }
    if let Ok(entries) = read_array(data) {
        for entry in entries.flatten() {
            let _ = entry.result;
        }
    }
});
