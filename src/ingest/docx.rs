//! `.docx` to text: reads `word/document.xml` and writes paragraphs and table cells in
//! document order, so the layout parsers see what a flattened Word table looks like (each
//! cell's first paragraph on its own tab-indented line, a blank line after each row).

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::Reader;

use super::{decode, IngestError};

/// The most text a `document.xml` may inflate to (guards against zip bombs).
const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;

/// The text of a `.docx` file, one paragraph or table cell a line.
pub fn docx_text(bytes: &[u8]) -> Result<String, IngestError> {
    if !bytes.starts_with(b"PK") {
        return Err(match decode::sniff_format(bytes) {
            Some(name) => IngestError::WrongFormat(name),
            None => IngestError::Docx("not a zip archive".into()),
        });
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| IngestError::Docx(format!("broken zip archive ({e})")))?;
    let entry = archive.by_name("word/document.xml").map_err(|e| match e {
        zip::result::ZipError::FileNotFound => {
            IngestError::Docx("no word/document.xml inside (not a Word document)".into())
        }
        e => IngestError::Docx(format!("cannot open word/document.xml ({e})")),
    })?;
    let mut xml = Vec::new();
    entry
        .take(MAX_XML_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|e| IngestError::Docx(format!("cannot inflate word/document.xml ({e})")))?;
    if xml.len() as u64 > MAX_XML_BYTES {
        return Err(IngestError::Docx(format!(
            "word/document.xml inflates to more than {MAX_XML_BYTES} bytes"
        )));
    }
    let xml = String::from_utf8(xml)
        .map_err(|_| IngestError::Docx("word/document.xml is not UTF-8".into()))?;
    document_xml_text(&xml)
}

/// Where the walker is in the XML.
#[derive(Default)]
struct Walker {
    lines: Vec<String>,
    /// The paragraph being read.
    paragraph: String,
    /// Paragraphs interrupted by one nested in them (a text box inside a run).
    outer_paragraphs: Vec<String>,
    /// Depth of `<w:p>` nesting.
    paragraphs_open: usize,
    /// Inside `<w:t>`.
    in_text: bool,
    /// Depth of subtrees whose text is not shown (`mc:Fallback`, deleted text, field codes).
    hidden: usize,
    /// Inside `<w:tabs>` (tab stop definitions, not tab characters).
    in_tab_stops: bool,
    /// Depth of `<w:tbl>` nesting.
    tables: usize,
    /// No paragraph of the current cell written yet.
    cell_first: bool,
}

impl Walker {
    fn end_paragraph(&mut self) {
        let text = std::mem::take(&mut self.paragraph);
        if self.tables > 0 {
            // a line break inside a cell paragraph continues the cell on the next line
            let mut parts = text.split('\n');
            let first = parts.next().unwrap_or("");
            if self.cell_first {
                self.lines.push(format!("\t{first}"));
                self.cell_first = false;
            } else {
                self.lines.push(first.to_string());
            }
            self.lines.extend(parts.map(str::to_string));
        } else {
            self.lines.extend(text.split('\n').map(str::to_string));
        }
    }

    fn start(&mut self, name: &[u8]) {
        match name {
            b"Fallback" | b"delText" | b"instrText" | b"delInstrText" => self.hidden += 1,
            _ if self.hidden > 0 => {}
            b"t" => self.in_text = true,
            b"tabs" => self.in_tab_stops = true,
            b"tbl" => self.tables += 1,
            b"tc" => self.cell_first = true,
            b"p" => {
                if self.paragraphs_open > 0 {
                    let outer = std::mem::take(&mut self.paragraph);
                    self.outer_paragraphs.push(outer);
                } else {
                    self.paragraph.clear();
                }
                self.paragraphs_open += 1;
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &[u8]) {
        match name {
            b"Fallback" | b"delText" | b"instrText" | b"delInstrText" => {
                self.hidden = self.hidden.saturating_sub(1)
            }
            _ if self.hidden > 0 => {}
            b"t" => self.in_text = false,
            b"tabs" => self.in_tab_stops = false,
            b"p" => {
                self.end_paragraph();
                self.paragraphs_open = self.paragraphs_open.saturating_sub(1);
                if self.paragraphs_open > 0 {
                    self.paragraph = self.outer_paragraphs.pop().unwrap_or_default();
                }
            }
            b"tc" if self.cell_first => {
                self.lines.push("\t".into());
                self.cell_first = false;
            }
            b"tr" => self.lines.push(String::new()),
            b"tbl" => {
                self.tables = self.tables.saturating_sub(1);
                self.lines.push(String::new());
            }
            _ => {}
        }
    }

    fn empty(&mut self, name: &[u8]) {
        if self.hidden > 0 {
            return;
        }
        match name {
            b"tab" | b"ptab" if !self.in_tab_stops => self.paragraph.push('\t'),
            b"br" | b"cr" => self.paragraph.push('\n'),
            b"p" => {
                let outer = std::mem::take(&mut self.paragraph);
                self.end_paragraph();
                self.paragraph = outer;
            }
            b"tc" => self.lines.push("\t".into()),
            _ => {}
        }
    }
}

/// The text of `word/document.xml`.
pub(crate) fn document_xml_text(xml: &str) -> Result<String, IngestError> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = false;
    let mut walker = Walker::default();
    let mut open_elements = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| {
            IngestError::Docx(format!(
                "word/document.xml is not well-formed XML at byte {} ({e})",
                reader.buffer_position()
            ))
        })?;
        match event {
            Event::Start(e) => {
                open_elements += 1;
                walker.start(e.local_name().as_ref())
            }
            Event::End(e) => {
                open_elements = open_elements.saturating_sub(1);
                walker.end(e.local_name().as_ref())
            }
            Event::Empty(e) => walker.empty(e.local_name().as_ref()),
            Event::Text(t) if walker.in_text && walker.hidden == 0 => match t.unescape() {
                Ok(text) => walker.paragraph.push_str(&text),
                Err(_) => walker.paragraph.push_str(&String::from_utf8_lossy(&t)),
            },
            Event::CData(t) if walker.in_text && walker.hidden == 0 => {
                walker.paragraph.push_str(&String::from_utf8_lossy(&t))
            }
            Event::Eof if open_elements > 0 => {
                return Err(IngestError::Docx(
                    "word/document.xml is cut short (elements left open)".into(),
                ))
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !walker.paragraph.is_empty() {
        walker.end_paragraph();
    }
    let mut text = walker.lines.join("\n");
    text.push('\n');
    Ok(decode::clean_text(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_cells_come_out_one_a_line() {
        let xml = r#"<w:document xmlns:w="w"><w:body>
            <w:p><w:r><w:t>2021年度</w:t></w:r><w:r><w:t xml:space="preserve">市直单位业务目标</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>重点目标</w:t></w:r></w:p></w:tc>
            <w:tc><w:p><w:bookmarkStart w:id="0" w:name="_GoBack"/><w:r><w:t>1</w:t></w:r></w:p></w:tc>
            <w:tc><w:p><w:r><w:t>A&amp;B</w:t></w:r></w:p><w:p><w:r><w:t>second</w:t></w:r></w:p></w:tc>
            <w:tc><w:p/></w:tc></w:tr></w:tbl>
            </w:body></w:document>"#;
        assert_eq!(
            document_xml_text(xml).unwrap(),
            "2021年度市直单位业务目标\n\t重点目标\n\t1\n\tA&B\nsecond\n\t\n\n\n"
        );
    }

    #[test]
    fn a_text_box_inside_a_paragraph_keeps_both_texts() {
        let xml = r#"<w:document><w:body><w:p><w:r><w:t>before</w:t></w:r><w:r><w:pict><w:txbxContent><w:p><w:r><w:t>boxed</w:t></w:r></w:p></w:txbxContent></w:pict></w:r><w:r><w:t>after</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(document_xml_text(xml).unwrap(), "boxed\nbeforeafter\n");
    }

    #[test]
    fn broken_inputs_are_docx_errors() {
        assert!(matches!(docx_text(b"hello"), Err(IngestError::Docx(_))));
        assert!(matches!(
            docx_text(b"PK\x03\x04truncated"),
            Err(IngestError::Docx(_))
        ));
        assert!(matches!(
            docx_text(b"%PDF-1.7"),
            Err(IngestError::WrongFormat("PDF"))
        ));
    }
}
