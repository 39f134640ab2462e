//! Tests of the ingest stage: the seed in every encoding and as a .docx, an outline
//! document, markdown, and the ways a file can be wrong.

use std::io::{Cursor, Write};

use plangraph::ingest::{
    parse_bytes, IngestError, Layout, ParsedDocument, ParsedGoal, MAX_FILE_BYTES,
};
use proptest::prelude::*;

use crate::common::{repo_path, seed_bytes, seed_text};

const SEED_NAME: &str = "qingdao-kejiju-2021-business-goals.txt";

fn seed() -> ParsedDocument {
    parse_bytes(SEED_NAME, &seed_bytes()).expect("the seed parses")
}

fn outline_fixture() -> Vec<u8> {
    std::fs::read(repo_path(
        "tests/fixtures/ingest/kejiju-2022-work-points.txt",
    ))
    .expect("fixture present")
}

fn all_fields(goal: &ParsedGoal) -> Vec<&str> {
    let mut fields = vec![
        goal.category.as_str(),
        goal.subcategory.as_str(),
        goal.number.as_str(),
        goal.title.as_str(),
        goal.content.as_str(),
    ];
    fields.extend(goal.benchmark.as_deref());
    fields
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A paragraph of runs; the text is split into two runs to check they are joined.
fn paragraph(text: &str) -> String {
    let split = text.char_indices().nth(3).map_or(text.len(), |(i, _)| i);
    format!(
        r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>{}</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
        xml_escape(&text[..split]),
        xml_escape(&text[split..])
    )
}

fn cell(paragraphs: &[&str]) -> String {
    let body: String = if paragraphs.is_empty() {
        "<w:p/>".into()
    } else {
        paragraphs.iter().map(|p| paragraph(p)).collect()
    };
    format!(r#"<w:tc><w:tcPr><w:tcW w:w="1000" w:type="dxa"/></w:tcPr>{body}</w:tc>"#)
}

/// The seed as a Word document: title and header paragraphs, then a real table with a
/// header row, the category cell in the first row of each category, and the benchmark as
/// a second paragraph of the content cell.
fn seed_docx() -> Vec<u8> {
    let doc = seed();
    let text = seed_text();
    let mut header = text.lines().filter(|l| !l.trim().is_empty());
    let title = header.next().unwrap();
    let fields = header.next().unwrap();
    let mut body = String::new();
    body.push_str(&paragraph(title));
    // header fields separated by tabs, as Word writes them
    let mut field_runs = String::new();
    for (i, field) in fields.split_whitespace().enumerate() {
        if i > 0 {
            field_runs.push_str("<w:r><w:tab/></w:r>");
        }
        field_runs.push_str(&format!("<w:r><w:t>{}</w:t></w:r>", xml_escape(field)));
    }
    body.push_str(&format!("<w:p>{field_runs}</w:p>"));
    body.push_str("<w:tbl><w:tblPr/><w:tr>");
    for name in ["类别", "序号", "目标名称", "目标内容"] {
        body.push_str(&cell(&[name]));
    }
    body.push_str("</w:tr>");
    let mut last_category = "";
    for goal in &doc.goals {
        body.push_str("<w:tr>");
        if goal.category != last_category {
            body.push_str(&cell(&[&goal.category]));
            last_category = &goal.category;
        } else {
            body.push_str(r#"<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"#);
        }
        body.push_str(&cell(&[&goal.number]));
        body.push_str(&cell(&[&goal.title]));
        let mut content = vec![goal.content.clone()];
        if let Some(benchmark) = &goal.benchmark {
            content.push(format!("标杆城市及标杆值：{benchmark}"));
        }
        let content: Vec<&str> = content.iter().map(String::as_str).collect();
        body.push_str(&cell(&content));
        body.push_str("</w:tr>");
    }
    body.push_str("</w:tbl>");
    // a bookmark as Word leaves it, and an empty closing paragraph
    body.push_str(r#"<w:p><w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/></w:p><w:sectPr/>"#);
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    zip_of(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#,
        ),
        ("word/document.xml", &xml),
    ])
}

fn zip_of(files: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in files {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn seed_gives_its_header_and_nine_goals() {
    let doc = seed();
    assert_eq!(doc.title, "2021年度市直单位业务目标");
    assert_eq!(doc.unit, "市科技局");
    assert_eq!(doc.year, 2021);
    assert_eq!(doc.leader.as_deref(), Some("吕鹏"));
    assert_eq!(doc.contact.as_deref(), Some("张心怡"));
    assert_eq!(doc.phone.as_deref(), Some("85911339"));
    assert_eq!(doc.layout, Layout::GoalTable);

    let key: Vec<_> = doc
        .goals
        .iter()
        .filter(|g| g.category == "重点目标")
        .collect();
    let excellence: Vec<_> = doc
        .goals
        .iter()
        .filter(|g| g.category == "创优目标")
        .collect();
    assert_eq!(doc.goals.len(), 9);
    assert_eq!(key.len(), 7);
    assert_eq!(excellence.len(), 2);
    assert_eq!(
        key.iter().map(|g| g.number.as_str()).collect::<Vec<_>>(),
        ["1", "2", "3", "4", "5", "6", "7"]
    );
    assert_eq!(
        excellence
            .iter()
            .map(|g| g.number.as_str())
            .collect::<Vec<_>>(),
        ["1", "2"]
    );
    assert_eq!(
        key.iter().map(|g| g.title.as_str()).collect::<Vec<_>>(),
        [
            "加强科技创新改革谋划",
            "加快高端创新平台建设",
            "强化科技人才引进培养",
            "深化国际科技交流合作",
            "强化高新技术产业培育",
            "提高科技支持民生改善能力",
            "加强科技金融服务支撑",
        ]
    );
    assert_eq!(excellence[0].title, "深化科技管理改革");
    assert_eq!(excellence[1].title, "培育优质创新创业生态");

    assert!(key[0]
        .content
        .starts_with("强化科技战略规划，高水平编制“十四五”科技创新专项规划"));
    assert!(key[4].content.starts_with("聚焦新一代信息技术"));
    assert!(key.iter().all(|g| g.benchmark.is_none()));
    assert_eq!(
        excellence[0].benchmark.as_deref(),
        Some("争取在全国副省级城市中，率先获批开展“科技部省联动科技监督评估和诚信管理改革试点”。")
    );
    assert_eq!(
        excellence[1].benchmark.as_deref(),
        Some("在科技部创新平台布局方面，争取进入全国首批试点行列。")
    );
    // the benchmark is not repeated in the content
    assert!(doc.goals.iter().all(|g| !g.content.contains("标杆城市")));
    assert!(doc
        .goals
        .iter()
        .all(|g| all_fields(g).iter().all(|f| !f.contains("[bookmark"))));
    assert!(doc.goals.iter().all(|g| g.subcategory.is_empty()));
}

#[test]
fn seed_in_other_encodings_gives_the_same_goals() {
    let expected = seed();
    let text = seed_text();

    let crlf = text.replace('\n', "\r\n");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&crlf);
    assert!(!unmappable, "the seed is GBK-encodable");
    let mut utf8_bom = vec![0xEF, 0xBB, 0xBF];
    utf8_bom.extend_from_slice(text.as_bytes());
    let lone_cr = text.replace('\n', "\r");

    for (what, bytes) in [
        ("GBK with CRLF", gbk.into_owned()),
        ("UTF-16LE with BOM", utf16(&text, false)),
        ("UTF-16BE with BOM", utf16(&crlf, true)),
        ("UTF-8 with BOM", utf8_bom),
        ("UTF-8 with lone CR", lone_cr.into_bytes()),
    ] {
        let doc = parse_bytes(SEED_NAME, &bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(doc, expected, "{what}");
    }
}

#[test]
fn seed_as_a_docx_table_gives_the_same_goals() {
    let expected = seed();
    let doc = parse_bytes("2021年度业务目标.docx", &seed_docx()).expect("the docx parses");
    assert_eq!(doc.goals, expected.goals);
    assert_eq!(doc.title, expected.title);
    assert_eq!(doc.unit, expected.unit);
    assert_eq!(doc.year, expected.year);
    assert_eq!(
        (doc.leader, doc.contact, doc.phone),
        (expected.leader, expected.contact, expected.phone)
    );
    assert_eq!(doc.layout, Layout::GoalTable);
}

#[test]
fn seed_as_a_markdown_table_gives_the_same_goals() {
    let expected = seed();
    let mut md = String::from("# 2021年度市直单位业务目标\n\n");
    md.push_str(
        seed_text()
            .lines()
            .find(|l| l.starts_with("单位名称"))
            .unwrap(),
    );
    md.push_str("\n\n| 类别 | 序号 | 目标名称 | 目标内容 |\n|---|---|---|---|\n");
    for goal in &expected.goals {
        md.push_str(&format!(
            "| {} | {} | **{}** | {} |\n",
            goal.category, goal.number, goal.title, goal.content
        ));
        if let Some(b) = &goal.benchmark {
            md.push_str(&format!("\n标杆城市及标杆值：{b}\n\n"));
        }
    }
    let doc = parse_bytes("seed.md", md.as_bytes()).expect("the markdown parses");
    assert_eq!(doc.goals, expected.goals);
    assert_eq!((doc.title, doc.unit), (expected.title, expected.unit));
}

#[test]
fn outline_gives_sections_subsections_and_items() {
    let doc = parse_bytes("kejiju-2022-work-points.txt", &outline_fixture()).expect("parses");
    assert_eq!(doc.layout, Layout::Outline);
    assert_eq!(doc.title, "市科技局2022年工作要点");
    assert_eq!(doc.unit, "市科技局");
    assert_eq!(doc.year, 2022);
    assert_eq!(doc.leader, None);

    let rows: Vec<(&str, &str, &str, &str)> = doc
        .goals
        .iter()
        .map(|g| {
            (
                g.category.as_str(),
                g.subcategory.as_str(),
                g.number.as_str(),
                g.title.as_str(),
            )
        })
        .collect();
    let s1 = "强化战略科技力量，提升创新策源能力";
    let s2 = "深化科技体制改革，激发创新活力";
    let s3 = "加强科技开放合作，拓展创新空间";
    assert_eq!(
        rows,
        [
            (s1, "建设高能级创新平台", "1", "推动海洋试点国家实验室建设"),
            (s1, "建设高能级创新平台", "2", "加快山东能源研究院建设"),
            (s1, "加强基础研究", "3", "实施基础研究支持计划"),
            (s2, "深化科技管理改革", "1", "推行科研项目“揭榜挂帅”制度"),
            (s2, "深化科技管理改革", "2", "开展科技成果转化改革试点"),
            (s2, "优化科技创新生态", "1", "完善科技金融服务体系"),
            (s2, "优化科技创新生态", "2", "提升孵化载体服务能力"),
            (s3, "", "1", "深化国际科技合作"),
            (s3, "", "2", "推进区域协同创新"),
        ]
    );
    // content is the whole item, the responsibility tag included
    let tagged = &doc.goals[1];
    assert!(tagged
        .content
        .starts_with("加快山东能源研究院建设。推进能源领域"));
    assert!(tagged
        .content
        .ends_with("（牵头单位：市科技局，参与单位：市财政局、崂山区政府）"));
    assert!(doc.goals[8]
        .content
        .contains("推动大型科研仪器开放共享率达到80%"));
    // nothing from the metadata block or the 通知 became a goal
    for goal in &doc.goals {
        for field in all_fields(goal) {
            assert!(
                !field.contains("索引号") && !field.contains("印发给你们"),
                "{field}"
            );
        }
        assert!(goal.benchmark.is_none());
    }
}

#[test]
fn outline_in_markdown_and_gbk_reads_the_same() {
    let expected = parse_bytes("a.txt", &outline_fixture()).unwrap();
    let text = String::from_utf8(outline_fixture()).unwrap();
    let md: String = text
        .lines()
        .map(|l| {
            if l.starts_with("市科技局2022") {
                format!("# {l}")
            } else if l.starts_with(['一', '二', '三']) {
                format!("## {l}")
            } else if l.starts_with('（') {
                format!("### {l}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let doc = parse_bytes("要点.md", md.as_bytes()).unwrap();
    assert_eq!(doc.goals, expected.goals);
    assert_eq!(doc.title, expected.title);

    let crlf = text.replace('\n', "\r\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&crlf);
    assert_eq!(parse_bytes("a.txt", &gbk).unwrap(), expected);
}

#[test]
fn unit_and_year_come_from_the_title_as_written() {
    let text = "烟台市科技局２０２２年工作要点\n一、加快平台建设\n1.建设海洋实验室。推进共建。\n";
    let doc = parse_bytes("x.txt", text.as_bytes()).unwrap();
    assert_eq!(doc.unit, "烟台市科技局");
    assert_eq!(doc.year, 2022);
    assert_eq!(doc.goals[0].category, "加快平台建设");
}

#[test]
fn year_falls_back_to_the_file_name() {
    let text = "市科技局工作要点\n一、加快平台建设\n1.建设海洋实验室。\n";
    let doc = parse_bytes("kejiju-2023-points.txt", text.as_bytes()).unwrap();
    assert_eq!(doc.year, 2023);
    assert!(matches!(
        parse_bytes("kejiju-points.txt", text.as_bytes()),
        Err(IngestError::NoYear)
    ));
}

#[test]
fn subsections_without_items_are_goals_numbered_by_ordinal() {
    let text = "市科技局2022年工作要点\n一、深化改革\n（一）优化项目管理。推行“揭榜挂帅”。\n实施经费包干制。\n（二）强化评估。开展绩效评价。\n";
    let doc = parse_bytes("x.txt", text.as_bytes()).unwrap();
    let goals: Vec<_> = doc
        .goals
        .iter()
        .map(|g| (g.number.as_str(), g.title.as_str(), g.content.as_str()))
        .collect();
    assert_eq!(
        goals,
        [
            (
                "1",
                "优化项目管理",
                "优化项目管理。推行“揭榜挂帅”。\n实施经费包干制。"
            ),
            ("2", "强化评估", "强化评估。开展绩效评价。"),
        ]
    );
}

#[test]
fn lost_characters_and_lone_brackets_do_not_break_parsing() {
    let text = "市科技局2024年工作要点\n一、落实《关于〈加快〉建设的意见》（国发〔202434\n1.落实（政策〔202434号。推进“示范\n2.建设平台】。（牵头单位：市科技局\n（\n）\n3.\n";
    let doc = parse_bytes("x.txt", text.as_bytes()).unwrap();
    // the item without text (`3.`) is dropped
    assert_eq!(doc.goals.len(), 2);
    assert_eq!(doc.goals[0].title, "落实（政策〔202434号");
    assert_eq!(doc.goals[1].title, "建设平台】");
    assert_eq!(
        doc.goals[1].content,
        "建设平台】。（牵头单位：市科技局\n（\n）"
    );
}

#[test]
fn empty_file_is_refused() {
    let err = parse_bytes("a.txt", b"").unwrap_err();
    assert!(matches!(err, IngestError::Empty));
    assert_eq!(err.to_string(), "the file is empty");
    assert!(matches!(
        parse_bytes("a.txt", b" \r\n\t\n"),
        Err(IngestError::Empty)
    ));
}

#[test]
fn random_bytes_are_not_text() {
    // a fixed pseudo-random sequence, so the test is repeatable
    let mut rng = fastrand::Rng::with_seed(0x2545_F491_4F6C_DD1D);
    let bytes: Vec<u8> = (0..4096).map(|_| rng.u8(..)).collect();
    let err = parse_bytes("a.txt", &bytes).unwrap_err();
    assert!(matches!(err, IngestError::NotText), "{err}");
    assert!(err.to_string().contains("not text"));
}

#[test]
fn pdf_bytes_are_the_wrong_format() {
    let err = parse_bytes("goals.txt", b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n").unwrap_err();
    assert!(matches!(err, IngestError::WrongFormat("PDF")));
    assert_eq!(
        err.to_string(),
        "this is a PDF file, not a text or .docx document"
    );
    assert!(matches!(
        parse_bytes("goals.docx", b"%PDF-1.7\n"),
        Err(IngestError::WrongFormat("PDF"))
    ));
    assert!(matches!(
        parse_bytes("goals.md", &seed_docx()),
        Err(IngestError::WrongFormat("ZIP"))
    ));
}

#[test]
fn text_without_goals_is_no_goals() {
    let text = "市科技局2022年工作总结\n今年以来，我局认真贯彻落实市委市政府部署，各项工作取得积极成效。\n";
    let err = parse_bytes("a.txt", text.as_bytes()).unwrap_err();
    assert!(matches!(err, IngestError::NoGoals), "{err}");
    assert!(err.to_string().starts_with("no goals found"));
    // a table header with no rows is no goals either
    let header_only =
        "2021年度市直单位业务目标\n单位名称：市科技局\n\t类别\n\t序号\n\t目标名称\n\t目标内容\n";
    assert!(matches!(
        parse_bytes("a.txt", header_only.as_bytes()),
        Err(IngestError::NoGoals)
    ));
}

#[test]
fn truncated_or_foreign_docx_is_a_docx_error() {
    let docx = seed_docx();
    let err = parse_bytes("a.docx", &docx[..docx.len() / 2]).unwrap_err();
    assert!(matches!(err, IngestError::Docx(_)), "{err}");
    assert!(err.to_string().starts_with("not a readable .docx: "));

    let not_zip = parse_bytes("a.docx", seed_text().as_bytes()).unwrap_err();
    assert_eq!(
        not_zip.to_string(),
        "not a readable .docx: not a zip archive"
    );

    let other_zip = zip_of(&[("readme.txt", "hello")]);
    let err = parse_bytes("a.docx", &other_zip).unwrap_err();
    assert!(err.to_string().contains("word/document.xml"), "{err}");

    let bad_xml = zip_of(&[("word/document.xml", "<w:document><w:body><w:p>")]);
    let err = parse_bytes("a.docx", &bad_xml).unwrap_err();
    assert!(err.to_string().contains("cut short"), "{err}");
}

#[test]
fn fifty_megabyte_file_is_too_large() {
    let bytes = vec![b'a'; 50 * 1024 * 1024];
    let err = parse_bytes("big.txt", &bytes).unwrap_err();
    match err {
        IngestError::TooLarge { size, limit } => {
            assert_eq!(size, 50 * 1024 * 1024);
            assert_eq!(limit, MAX_FILE_BYTES);
        }
        other => panic!("expected TooLarge, got {other}"),
    }
    assert!(parse_bytes("big.docx", &bytes)
        .unwrap_err()
        .to_string()
        .contains("too large"));
}

#[test]
fn unsupported_extensions_are_refused() {
    let err = parse_bytes("goals.pdf", b"%PDF-1.4").unwrap_err();
    assert!(matches!(&err, IngestError::UnsupportedType(t) if t == ".pdf"));
    assert!(err
        .to_string()
        .contains("plangraph reads .txt, .md and .docx"));
    assert!(matches!(
        parse_bytes("README", b"text"),
        Err(IngestError::UnsupportedType(_))
    ));
    assert!(parse_bytes("SEED.TXT", &seed_bytes()).is_ok());
}

/// Fragments that steer random text into the parsers' branches.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("一、".to_string()),
        Just("（一）".to_string()),
        Just("(十二)".to_string()),
        Just("1.".to_string()),
        Just("１．".to_string()),
        Just("2、".to_string()),
        Just("重点目标".to_string()),
        Just("创优目标".to_string()),
        Just("目标名称".to_string()),
        Just("标杆城市及标杆值：".to_string()),
        Just("单位名称：".to_string()),
        Just("2021年度".to_string()),
        Just("工作要点".to_string()),
        Just("[bookmark: _GoBack]".to_string()),
        Just("〔202434".to_string()),
        Just("（牵头单位：".to_string()),
        Just("《〈".to_string()),
        Just("）》】".to_string()),
        Just("。".to_string()),
        Just("：".to_string()),
        Just("\t".to_string()),
        Just("\n".to_string()),
        Just("\r".to_string()),
        Just("  ".to_string()),
        Just("| ".to_string()),
        Just("# ".to_string()),
        "\\PC{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048),
                                ext in prop_oneof![Just("txt"), Just("md"), Just("docx")]) {
        let _ = parse_bytes(&format!("f.{ext}"), &bytes);
    }

    #[test]
    fn random_documents_never_panic(parts in proptest::collection::vec(fragment(), 0..80),
                                    ext in prop_oneof![Just("txt"), Just("md")]) {
        let text = parts.concat();
        let name = format!("f.{ext}");
        if let Ok(doc) = parse_bytes(&name, text.as_bytes()) {
            prop_assert!(!doc.goals.is_empty());
            for goal in &doc.goals {
                prop_assert!(all_fields(goal).iter().all(|f| !f.contains("[bookmark")));
            }
        }
        let _ = parse_bytes(&name, &utf16(&text, false));
    }

    #[test]
    fn random_text_in_a_docx_never_panics(text in "\\PC{0,200}") {
        let xml = format!(
            "<w:document><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>",
            xml_escape(&text)
        );
        let _ = parse_bytes("f.docx", &zip_of(&[("word/document.xml", &xml)]));
    }
}
