//! Any bytes as a `.docx` file (zip, then `word/document.xml`), and any bytes stored as
//! the `document.xml` of a well-formed archive.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::Write;

fn archive(xml: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(xml).unwrap();
    zip.finish().unwrap().into_inner()
}

fuzz_target!(|data: &[u8]| {
    let _ = plangraph::ingest::parse_bytes("fuzz.docx", data);
    let _ = plangraph::ingest::parse_bytes("fuzz.docx", &archive(data));
});
