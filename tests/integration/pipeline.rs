//! End-to-end tests of ingestion into the store through the facade and the binary:
//! the seed, idempotent re-ingest, replacement, bad files in a batch, reopen, exit codes.

use crate::common::{seed_path, seed_text};
use plangraph::knowledge_graph::{IngestReport, KnowledgeGraph, OutcomeStatus};
use plangraph::model::{entity_id, EdgeLabel, NodeKind};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn ingest(kg: &KnowledgeGraph, paths: &[PathBuf]) -> IngestReport {
    kg.ingest_paths(paths, &mut |_| {}).unwrap()
}

fn goal_titles(kg: &KnowledgeGraph) -> BTreeSet<String> {
    kg.store()
        .nodes()
        .map(|n| n.unwrap())
        .filter(|n| n.kind == NodeKind::Goal)
        .map(|n| n.name)
        .collect()
}

fn exported_ids(kg: &KnowledgeGraph) -> Vec<String> {
    let mut buf = Vec::new();
    kg.export_jsonl(&mut buf).unwrap();
    String::from_utf8(buf)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["type"] == "node")
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_seed_becomes_one_document_with_nine_goals_of_its_unit() {
    let kg = KnowledgeGraph::temporary().unwrap();
    let report = ingest(&kg, &[seed_path()]);
    assert_eq!((report.ingested, report.failed), (1, 0), "{report:?}");
    let stats = kg.stats().unwrap();
    assert_eq!(stats.documents, 1);
    assert_eq!(stats.nodes[&NodeKind::Goal], 9);
    assert_eq!(stats.nodes[&NodeKind::Unit], 1);
    assert_eq!(stats.edges[&EdgeLabel::HasGoal], 9);
    let unit = kg.resolve("市科技局").unwrap();
    assert_eq!(unit.kind, NodeKind::Unit);
    let doc = kg.store().documents().next().unwrap().unwrap();
    assert_eq!((doc.unit.as_str(), doc.year), ("市科技局", 2021));
    assert_eq!(doc.leader.as_deref(), Some("吕鹏"));
    assert_eq!(doc.phone.as_deref(), Some("85911339"));
    let goal = kg.resolve("加强科技金融服务支撑").unwrap();
    assert_eq!(goal.prop_str("category"), Some("重点目标"));
    assert_eq!(goal.prop_str("number"), Some("7"));
    assert_eq!(goal.props["year"], 2021);
    assert!(kg.store().verify().unwrap().is_empty());
}

#[test]
fn reingesting_an_unchanged_file_changes_nothing() {
    let kg = KnowledgeGraph::temporary().unwrap();
    ingest(&kg, &[seed_path()]);
    let stats = kg.stats().unwrap();
    let generation = kg.store().generation().unwrap();
    let ids = exported_ids(&kg);
    let again = ingest(&kg, &[seed_path()]);
    assert_eq!((again.ingested, again.unchanged), (0, 1));
    assert_eq!(again.files[0].status, OutcomeStatus::Unchanged);
    assert_eq!(kg.stats().unwrap(), stats);
    assert_eq!(kg.store().generation().unwrap(), generation);
    let again_ids = exported_ids(&kg);
    assert_eq!(again_ids, ids);
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate node ids");
}

#[test]
fn a_changed_document_replaces_its_goals_and_leaves_no_orphans() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("goals.txt");
    std::fs::write(&file, seed_text()).unwrap();
    let kg = KnowledgeGraph::open(&dir.path().join("data")).unwrap();
    ingest(&kg, std::slice::from_ref(&file));
    assert!(goal_titles(&kg).contains("提高科技支持民生改善能力"));

    // Same unit, year and title; one goal renamed, the last 重点目标 (7) removed.
    let text = seed_text().replace("提高科技支持民生改善能力", "提升科技惠民能力");
    let start = text.find("\t7\n").expect("goal 7 row");
    let end = text.find("\t创优目标").expect("category cell");
    let changed = format!("{}{}", &text[..start], &text[end..]);
    std::fs::write(&file, changed).unwrap();
    let report = ingest(&kg, &[file]);
    assert_eq!(
        report.files[0].status,
        OutcomeStatus::Replaced,
        "{report:?}"
    );

    let titles = goal_titles(&kg);
    assert!(titles.contains("提升科技惠民能力"));
    assert!(!titles.contains("提高科技支持民生改善能力"));
    assert!(!titles.contains("加强科技金融服务支撑"));
    assert_eq!(kg.stats().unwrap().nodes[&NodeKind::Goal], 8);
    assert_eq!(kg.stats().unwrap().documents, 1);
    assert_eq!(kg.store().verify().unwrap(), Vec::<String>::new());
    assert!(kg.resolve("加强科技金融服务支撑").is_err());
}

/// A minimal .docx (a zip holding word/document.xml) around `body` paragraphs.
fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );
    for p in paragraphs {
        xml.push_str(&format!("<w:p><w:r><w:t>{p}</w:t></w:r></w:p>"));
    }
    xml.push_str("</w:body></w:document>");
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        zip.start_file("[Content_Types].xml", opts).unwrap();
        zip.write_all(b"<Types/>").unwrap();
        zip.start_file("word/document.xml", opts).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap();
    }
    buf.into_inner()
}

fn write_bad_files(dir: &Path) -> Vec<(&'static str, &'static str)> {
    std::fs::write(dir.join("empty.txt"), b"").unwrap();
    let mut x: u64 = 0x9e3779b97f4a7c15;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    std::fs::write(dir.join("random.txt"), random).unwrap();
    std::fs::write(
        dir.join("scan.txt"),
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("letter.md"),
        "关于做好2022年工作的通知\n\n各单位：请认真抓好落实。\n\n市政府办公厅\n",
    )
    .unwrap();
    let whole = docx(&["2021年度市直单位业务目标", "单位名称：市科技局"]);
    std::fs::write(dir.join("cut.docx"), &whole[..whole.len() / 2]).unwrap();
    let big = std::fs::File::create(dir.join("huge.txt")).unwrap();
    big.set_len(50 * 1024 * 1024).unwrap();
    vec![
        ("empty.txt", "empty"),
        ("random.txt", "not text"),
        ("scan.txt", "pdf"),
        ("letter.md", "no goals"),
        ("cut.docx", "docx"),
        ("huge.txt", "too large"),
    ]
}

#[test]
fn bad_files_fail_with_their_reason_and_the_rest_of_the_batch_goes_in() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let expected = write_bad_files(&docs);
    std::fs::copy(seed_path(), docs.join("seed.txt")).unwrap();
    let data = dir.path().join("data");
    {
        let kg = KnowledgeGraph::open(&data).unwrap();
        let report = ingest(&kg, std::slice::from_ref(&docs));
        assert_eq!(report.ingested, 1, "{report:#?}");
        assert_eq!(report.failed, expected.len(), "{report:#?}");
        for (file, reason) in &expected {
            let f = report
                .files
                .iter()
                .find(|f| f.file.ends_with(file))
                .unwrap_or_else(|| panic!("{file} not reported"));
            assert_eq!(f.status, OutcomeStatus::Failed);
            let err = f.error.as_deref().unwrap().to_lowercase();
            assert!(err.contains(reason), "{file}: {err}");
        }
    }
    let kg = KnowledgeGraph::open(&data).unwrap();
    assert_eq!(kg.stats().unwrap().nodes[&NodeKind::Goal], 9);
    assert!(kg.store().verify().unwrap().is_empty());
}

#[test]
fn the_graph_reopens_after_drop_with_its_documents_and_index_in_step() {
    let dir = tempfile::tempdir().unwrap();
    let stats = {
        let kg = KnowledgeGraph::open(dir.path()).unwrap();
        ingest(&kg, &[seed_path()]);
        kg.stats().unwrap()
    };
    let kg = KnowledgeGraph::open(dir.path()).unwrap();
    assert_eq!(kg.stats().unwrap(), stats);
    assert!(kg.index_in_step().unwrap());
}

// ---- the binary ----

fn plangraph(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_plangraph"))
        .arg("--data")
        .arg(data)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

#[test]
fn the_cli_ingests_reports_and_exits_with_the_contract_codes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let ok = plangraph(&data, &["ingest", "seeds"]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let summary = String::from_utf8_lossy(&ok.stderr);
    assert!(
        summary.contains("1 ingested, 0 unchanged, 0 failed"),
        "{summary}"
    );

    let stats = plangraph(&data, &["stats", "--json"]);
    assert_eq!(stats.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(v["documents"], 1);
    assert_eq!(v["nodes"]["goal"], 9);

    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let bad = plangraph(&data, &["ingest", empty.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("empty.txt") && err.contains("empty"), "{err}");

    let unknown = plangraph(&data, &["show", "科技局X"]);
    assert_eq!(unknown.status.code(), Some(1));
    let err = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        err.contains("did you mean") && err.contains("市科技局"),
        "{err}"
    );

    let usage = plangraph(&data, &["search"]);
    assert_eq!(usage.status.code(), Some(2));
    let usage = plangraph(&data, &["search", "x", "--kind", "lab"]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn an_institution_named_in_two_documents_is_one_node_with_both_goals() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("2022.txt");
    std::fs::write(
        &other,
        seed_text()
            .replace("2021年度", "2022年度")
            .replace("市科技局", "市工业和信息化局"),
    )
    .unwrap();
    let kg = KnowledgeGraph::temporary().unwrap();
    let report = ingest(&kg, &[seed_path(), other]);
    assert_eq!(report.ingested, 2, "{report:?}");
    let lab = kg.resolve("国家超级计算中心").unwrap();
    assert_eq!(lab.kind, NodeKind::Institution);
    let goals: BTreeSet<String> = kg
        .store()
        .edges_in(&lab.id, None)
        .unwrap()
        .into_iter()
        .map(|e| e.source)
        .collect();
    assert_eq!(goals.len(), 2, "one goal from each document");
    let units: BTreeSet<String> = goals
        .iter()
        .map(|g| {
            kg.store()
                .node(g)
                .unwrap()
                .unwrap()
                .prop_str("unit")
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(units.len(), 2);
}

/// A one-goal 业务目标 table of `unit` written for the re-indexing test.
fn one_goal(unit: &str, title: &str, content: &str) -> String {
    format!(
        "2023年度市直单位业务目标\n单位名称：{unit}\n\t类别\n\t序号\n\t目标名称\n\t目标内容\n\n\
         \t重点目标\n\t1\n\t{title}\n\t{content}\n\n"
    )
}

#[test]
fn a_document_mentioning_a_known_entity_does_not_index_it_again() {
    use plangraph::index::SearchRequest;
    let kg = KnowledgeGraph::temporary().unwrap();
    let held = |id: &Option<String>| -> BTreeSet<String> {
        let record = kg.store().document(id.as_ref().unwrap()).unwrap().unwrap();
        record.nodes.into_iter().collect()
    };
    let names = |id: &Option<String>| -> BTreeSet<(String, String)> {
        let record = kg.store().document(id.as_ref().unwrap()).unwrap().unwrap();
        record.names.into_iter().collect()
    };
    let a_text = one_goal(
        "市甲局",
        "建设海洋实验室",
        "依托中国科学院海洋研究所建设海洋实验室。",
    );
    let a = kg.ingest_bytes("a.txt", a_text.as_bytes()).unwrap();
    let a_nodes = held(&a.document);
    assert_eq!(
        a.indexed,
        a_nodes.len(),
        "a first document indexes all it holds"
    );

    // the same institute under the same names: only the new goal and unit are indexed
    let b_text = one_goal(
        "市乙局",
        "推进合作",
        "联合中国科学院海洋研究所开展合作研究。",
    );
    let b = kg.ingest_bytes("b.txt", b_text.as_bytes()).unwrap();
    let b_nodes = held(&b.document);
    let shared: BTreeSet<_> = a_nodes.intersection(&b_nodes).cloned().collect();
    let institute = entity_id(NodeKind::Institution, "中国科学院海洋研究所");
    assert!(shared.contains(&institute), "{shared:?}");
    let a_names = names(&a.document);
    assert!(names(&b.document)
        .iter()
        .filter(|(_, id)| shared.contains(id))
        .all(|n| a_names.contains(n)));
    assert_eq!(b.indexed, b_nodes.len() - shared.len());
    assert!(b.indexed < b_nodes.len());

    // a new alias of the institute (中科院…) does index it again, and finds it
    let c_text = one_goal("市丙局", "深化合作", "支持中科院海洋研究所与企业合作。");
    let c = kg.ingest_bytes("c.txt", c_text.as_bytes()).unwrap();
    let known: BTreeSet<String> = a_nodes.union(&b_nodes).cloned().collect();
    let known_names: BTreeSet<(String, String)> = names(&a.document)
        .union(&names(&b.document))
        .cloned()
        .collect();
    let c_nodes = held(&c.document);
    let renamed: BTreeSet<String> = names(&c.document)
        .difference(&known_names)
        .map(|(_, id)| id.clone())
        .filter(|id| known.contains(id) && c_nodes.contains(id))
        .collect();
    assert!(renamed.contains(&institute), "{renamed:?}");
    assert_eq!(
        c.indexed,
        c_nodes.difference(&known).count() + renamed.len()
    );
    let hits = kg
        .search(&SearchRequest {
            query: "中科院海洋研究所".into(),
            kinds: vec![NodeKind::Institution],
            ..SearchRequest::default()
        })
        .unwrap();
    let hit = hits.hits.iter().find(|h| h.id == institute).unwrap();
    assert_eq!(
        (hit.field, hit.snippet.as_str()),
        (plangraph::index::HitField::Alias, "中科院海洋研究所")
    );

    // the same bytes again index nothing; a goal's new text indexes that goal alone
    assert_eq!(
        kg.ingest_bytes("a.txt", a_text.as_bytes()).unwrap().indexed,
        0
    );
    let a2_text = one_goal(
        "市甲局",
        "建设海洋实验室",
        "依托中国科学院海洋研究所建设海洋实验室并投入运行。",
    );
    let a2 = kg.ingest_bytes("a.txt", a2_text.as_bytes()).unwrap();
    assert_eq!(a2.status, OutcomeStatus::Replaced);
    assert_eq!(held(&a2.document), a_nodes);
    assert_eq!(a2.indexed, 1);
    let found = kg
        .search(&SearchRequest {
            query: "投入运行".into(),
            kinds: vec![NodeKind::Goal],
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(found.hits.len(), 1);
    assert_eq!(found.hits[0].name, "建设海洋实验室");
}
