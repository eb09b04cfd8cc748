//! CSV reader on arbitrary bytes: no panic, and every valid actor writes a canonical form that
//! parses back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use solidaria_formats::csv_actors::read_csv;

fuzz_target!(|data: &[u8]| {
    if let Ok(entries) = read_csv(data) {
        for entry in entries.flatten() {
            if let Ok(record) = entry.result {
                let again = solidaria_core::record::parse_record(&record.to_json());
                assert_eq!(again.as_ref(), Ok(&record));
            }
        }
    }
});
