//! The text index stays in step with the store: rebuilt when deleted, repaired after a
//! crash between the store write and the index commit, and never showing replaced text.

use crate::common::{seed_path, seed_text};
use plangraph::index::SearchRequest;
use plangraph::knowledge_graph::KnowledgeGraph;
use plangraph::model::NodeKind;
use std::path::Path;

/// Ids of the goals that match `q`.
fn search_ids(kg: &KnowledgeGraph, q: &str) -> Vec<String> {
    kg.search(&SearchRequest {
        query: q.into(),
        kinds: vec![NodeKind::Goal],
        limit: 100,
        ..SearchRequest::default()
    })
    .unwrap()
    .hits
    .into_iter()
    .map(|h| h.id)
    .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn a_deleted_text_index_is_rebuilt_from_the_store_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let before = {
        let kg = KnowledgeGraph::open(dir.path()).unwrap();
        kg.ingest_paths(&[seed_path()], &mut |_| {}).unwrap();
        search_ids(&kg, "海洋")
    };
    assert_eq!(before.len(), 3);
    std::fs::remove_dir_all(dir.path().join("text")).unwrap();
    let kg = KnowledgeGraph::open(dir.path()).unwrap();
    assert!(kg.index_in_step().unwrap());
    assert_eq!(search_ids(&kg, "海洋"), before);
}

#[test]
fn an_index_left_behind_by_a_crash_is_repaired_on_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("goals.txt");
    std::fs::write(&file, seed_text()).unwrap();
    let data = dir.path().join("data");
    {
        let kg = KnowledgeGraph::open(&data).unwrap();
        kg.ingest_paths(std::slice::from_ref(&file), &mut |_| {})
            .unwrap();
    }
    // The index as it was before the next write: what a crash between the store's commit
    // and the index's commit leaves behind.
    let stale = dir.path().join("stale-text");
    copy_dir(&data.join("text"), &stale);
    std::fs::write(
        &file,
        seed_text().replace("召开青岛市科技创新大会", "召开青岛市星辰大会"),
    )
    .unwrap();
    {
        let kg = KnowledgeGraph::open(&data).unwrap();
        kg.ingest_paths(std::slice::from_ref(&file), &mut |_| {})
            .unwrap();
    }
    std::fs::remove_dir_all(data.join("text")).unwrap();
    copy_dir(&stale, &data.join("text"));

    let kg = KnowledgeGraph::open(&data).unwrap();
    assert!(kg.index_in_step().unwrap());
    assert_eq!(search_ids(&kg, "星辰大会").len(), 1);
    assert!(search_ids(&kg, "科技创新大会").is_empty());
}

#[test]
fn search_after_a_changed_document_shows_the_new_text_only() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("goals.txt");
    std::fs::write(&file, seed_text()).unwrap();
    let kg = KnowledgeGraph::open(&dir.path().join("data")).unwrap();
    kg.ingest_paths(std::slice::from_ref(&file), &mut |_| {})
        .unwrap();
    assert_eq!(search_ids(&kg, "海洋").len(), 3);
    assert!(search_ids(&kg, "湖泊").is_empty());

    std::fs::write(&file, seed_text().replace("海洋", "湖泊")).unwrap();
    kg.ingest_paths(std::slice::from_ref(&file), &mut |_| {})
        .unwrap();
    assert_eq!(search_ids(&kg, "湖泊").len(), 3);
    let still: Vec<String> = search_ids(&kg, "海洋");
    let goals_with_ocean: Vec<&String> =
        still.iter().filter(|id| id.starts_with("goal:")).collect();
    assert!(goals_with_ocean.is_empty(), "{still:?}");
}
