//! Any bytes as a `.txt` and a `.md` file: decoding, then layout parsing. An error is
//! fine; a panic, a hang or unbounded memory is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = plangraph::ingest::parse_bytes("fuzz.txt", data);
    let _ = plangraph::ingest::parse_bytes("fuzz.md", data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = plangraph::ingest::parse_text("fuzz.txt", text);
    }
});
