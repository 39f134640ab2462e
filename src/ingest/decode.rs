//! Bytes to clean text without user hints: sniffs binary formats, finds the encoding
//! (BOM, UTF-8, else chardetng with GB18030 as the Chinese fallback), rejects bytes that
//! are not text, and normalises line ends and invisible characters.

use encoding_rs::{Encoding, GB18030, UTF_8};

use super::IngestError;

/// Magic numbers of formats people drop in by mistake, with the name shown to them.
const MAGIC: &[(&[u8], &str)] = &[
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP"),
    (b"PK\x05\x06", "ZIP"),
    (b"PK\x07\x08", "ZIP"),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "legacy Office (.doc/.xls)",
    ),
    (b"{\\rtf", "RTF"),
    (b"\x89PNG", "PNG"),
    (b"\xFF\xD8\xFF", "JPEG"),
    (b"GIF8", "GIF"),
    (b"\x1F\x8B", "gzip"),
    (b"Rar!", "RAR"),
    (b"7z\xBC\xAF\x27\x1C", "7z"),
    (b"\x7FELF", "ELF"),
];

/// The name of a known binary format `bytes` starts with, if any.
pub(crate) fn sniff_format(bytes: &[u8]) -> Option<&'static str> {
    MAGIC
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, name)| *name)
}

/// Decode a text file: rejects known binary formats (`WrongFormat`) and bytes that do not
/// decode to text (`NotText`); returns the text with `\n` line ends.
pub fn decode_text(bytes: &[u8]) -> Result<String, IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::Empty);
    }
    if let Some(name) = sniff_format(bytes) {
        return Err(IngestError::WrongFormat(name));
    }
    let raw = decode_any(bytes);
    if !looks_like_text(&raw) {
        return Err(IngestError::NotText);
    }
    let text = clean_text(&raw);
    if text.trim().is_empty() {
        return Err(IngestError::Empty);
    }
    Ok(text)
}

/// Decode with the most likely encoding; never fails (undecodable bytes become U+FFFD,
/// which [`looks_like_text`] then counts).
fn decode_any(bytes: &[u8]) -> String {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return text.into_owned();
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        if !bytes.contains(&0) {
            return text.to_owned();
        }
    }
    if let Some(text) = utf16_without_bom(bytes) {
        return text;
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_owned();
    }
    // GB18030 decodes every GBK file and is what Chinese government files use: when it
    // decodes cleanly into mostly Chinese, it wins over the detector, which takes short
    // Chinese texts for Big5, Shift_JIS or windows-1252.
    if let Some(text) = GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        if mostly_chinese(&text) {
            return text.into_owned();
        }
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    let encoding = if guess == UTF_8 { GB18030 } else { guess };
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// UTF-16 without a BOM: text files never hold NUL bytes, UTF-16 puts one in every
/// ASCII character (a line end at least), on the high-byte side of the pairs (the other
/// side only for the few characters such as 一 U+4E00 that end in 00).
fn utf16_without_bom(bytes: &[u8]) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let zeros_at = |first: usize| {
        bytes
            .iter()
            .skip(first)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    let encoding = if odd > 0 && odd >= 3 * even {
        encoding_rs::UTF_16LE
    } else if even > 0 && even >= 3 * odd {
        encoding_rs::UTF_16BE
    } else {
        return None;
    };
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
}

/// True when at least 90% of the non-ASCII characters are common Chinese characters (the
/// basic CJK block only: stricter than [`crate::model::is_han`] on purpose) or Chinese
/// punctuation and full-width forms.
fn mostly_chinese(text: &str) -> bool {
    let (mut non_ascii, mut chinese) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_ascii()) {
        non_ascii += 1;
        if matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}' | '\u{2010}'..='\u{2027}')
        {
            chinese += 1;
        }
    }
    non_ascii > 0 && chinese * 10 >= non_ascii * 9
}

/// False when too many characters are control characters, replacement characters or
/// unassigned code points: the bytes were not text in the encoding found.
pub(crate) fn looks_like_text(text: &str) -> bool {
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in text.chars() {
        total += 1;
        let is_bad = match c {
            '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' => false,
            '\u{FFFD}' => true,
            c if c.is_control() => true,
            // private use areas: what wrong-encoding decodes of binary data land in
            '\u{E000}'..='\u{F8FF}' => true,
            _ => false,
        };
        if is_bad {
            bad += 1;
        }
    }
    total > 0 && bad * 50 <= total
}

/// Line ends to `\n`, page and line separators to `\n`, and invisible characters (BOMs
/// inside the text, zero-width spaces, stray control characters) removed.
pub(crate) fn clean_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' | '\u{0B}' | '\u{0C}' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push('\n'),
            '\t' => out.push('\t'),
            '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FFFD}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_lone_cr_become_lf() {
        assert_eq!(clean_text("a\r\nb\rc\n"), "a\nb\nc\n");
    }

    #[test]
    fn boms_pick_the_encoding() {
        let text = "一、加强科技创新\n";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode_text(&le).unwrap(), text);
        assert_eq!(decode_text(&be).unwrap(), text);
        let mut utf8 = vec![0xEF, 0xBB, 0xBF];
        utf8.extend_from_slice(text.as_bytes());
        assert_eq!(decode_text(&utf8).unwrap(), text);
    }

    #[test]
    fn utf16_without_bom_is_read() {
        let text = "市科技局2022年工作要点\n一、强化平台\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode_text(&le).unwrap(), text);
        assert_eq!(decode_text(&be).unwrap(), text);
    }

    #[test]
    fn gbk_without_hint_is_read() {
        let text = "2022年市科技局工作要点\r\n一、强化科技创新平台建设\r\n";
        let (bytes, _, errors) = encoding_rs::GBK.encode(text);
        assert!(!errors);
        assert_eq!(
            decode_text(&bytes).unwrap(),
            "2022年市科技局工作要点\n一、强化科技创新平台建设\n"
        );
    }

    #[test]
    fn binary_is_refused() {
        assert!(matches!(
            decode_text(b"%PDF-1.4\n%\xE2\xE3"),
            Err(IngestError::WrongFormat("PDF"))
        ));
        assert!(matches!(
            decode_text(b"\x00\x01\x02\x03\x04\x05abc"),
            Err(IngestError::NotText)
        ));
    }
}
