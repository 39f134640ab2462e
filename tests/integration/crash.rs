//! Crash safety: `plangraph ingest` killed with SIGKILL at several moments leaves a store
//! in which every document is whole, and a text index that is repaired on the next open.

use crate::common::seed_text;
use plangraph::knowledge_graph::KnowledgeGraph;
use plangraph::store::GraphStore;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// `n` documents: the seed under `n` different unit names (distinct identities).
fn write_variants(dir: &Path, n: usize) {
    let seed = seed_text();
    for i in 0..n {
        let unit = format!("市第{i}局");
        std::fs::write(
            dir.join(format!("doc{i:04}.txt")),
            seed.replace("市科技局", &unit),
        )
        .unwrap();
    }
}

fn assert_consistent(data: &Path) -> u64 {
    let docs = {
        let store = GraphStore::open(&data.join("graph")).unwrap();
        assert_eq!(store.verify().unwrap(), Vec::<String>::new());
        for doc in store.documents() {
            let doc = doc.unwrap();
            assert_eq!(doc.goals.len(), 9, "document {} is partial", doc.id);
            for g in &doc.goals {
                assert!(
                    store.node(g).unwrap().is_some(),
                    "goal {g} of {} missing",
                    doc.id
                );
            }
        }
        store.document_count() as u64
    };
    let kg = KnowledgeGraph::open(data).unwrap();
    assert!(
        kg.index_in_step().unwrap(),
        "the text index was not repaired on open"
    );
    assert_eq!(kg.stats().unwrap().documents, docs);
    docs
}

#[test]
fn ingest_killed_at_any_moment_leaves_whole_documents_and_a_repairable_index() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let n = 120;
    write_variants(&docs, n);
    let data = dir.path().join("data");

    let mut seen = Vec::new();
    for delay_ms in [150u64, 400, 700, 1000] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_plangraph"))
            .arg("--data")
            .arg(&data)
            .arg("ingest")
            .arg(&docs)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        seen.push(assert_consistent(&data));
    }
    // Finishing the ingest afterwards brings in every document exactly once.
    let done = Command::new(env!("CARGO_BIN_EXE_plangraph"))
        .arg("--data")
        .arg(&data)
        .arg("ingest")
        .arg(&docs)
        .output()
        .unwrap();
    assert_eq!(
        done.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert_eq!(assert_consistent(&data), n as u64);
    let kg = KnowledgeGraph::open(&data).unwrap();
    assert_eq!(kg.stats().unwrap().nodes["goal"], 9 * n as u64);
    eprintln!("documents present after each kill: {seen:?}");
}
