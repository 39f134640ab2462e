//! Evidence kept as offsets into its goal: an edge read back from the store carries the
//! sentence the extractor found, on the seed and on a generated corpus, and the store
//! holds the sentences once (in the goals), not once per edge.

use crate::common::seed_path;
use plangraph::extract::{Extractor, Segmenter};
use plangraph::ingest::parse_bytes;
use plangraph::knowledge_graph::KnowledgeGraph;
use plangraph::model::{Evidence, Goal};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Where a sentence is and what it says: (goal, field, start, end, sentence).
fn place(ev: &Evidence) -> String {
    format!(
        "{} {} {} {} {}",
        ev.goal, ev.field, ev.start, ev.end, ev.sentence
    )
}

/// Every sentence the extractor gives an evidence of, for the goals of `files`, by
/// [`place`].
fn extracted(files: &[PathBuf]) -> BTreeSet<String> {
    let ex = Extractor::new(Segmenter::shared());
    let mut all = BTreeSet::new();
    for f in files {
        let doc = parse_bytes(&f.to_string_lossy(), &std::fs::read(f).unwrap()).unwrap();
        for node in doc.goal_nodes() {
            let goal = Goal::from_node(&node).unwrap();
            let out = ex.extract(goal.document.as_deref().unwrap(), &goal);
            for e in out.edges {
                if let Some(ev) = e.evidence() {
                    all.insert(place(&ev));
                }
            }
        }
    }
    all
}

/// Ingest `files` into `data`; every edge read back (all edges, and each goal's edges out
/// and in) has an evidence the extractor gave, sentence and all. Returns how many edges
/// have one.
fn check(data: &Path, files: &[PathBuf]) -> usize {
    let from_extractor = extracted(files);
    let kg = KnowledgeGraph::open(data).unwrap();
    let report = kg.ingest_paths(files, &mut |_| {}).unwrap();
    assert_eq!(report.failed, 0, "{:?}", report.files);
    let store = kg.store();
    let mut with_evidence = 0;
    let mut goals = BTreeSet::new();
    for e in store.edges() {
        let e = e.unwrap();
        let Some(ev) = e.evidence() else { continue };
        with_evidence += 1;
        assert!(!ev.sentence.is_empty(), "{e:?}");
        assert!(
            from_extractor.contains(&place(&ev)),
            "{e:?} carries a sentence the extractor did not give there"
        );
        // the one-edge read and the reads by end give the same edge
        assert_eq!(
            store.edge(&e.source, e.label, &e.target).unwrap(),
            Some(e.clone())
        );
        goals.insert(ev.goal.clone());
    }
    for g in &goals {
        for e in store
            .edges_out(g, None)
            .unwrap()
            .into_iter()
            .chain(store.edges_in(g, None).unwrap())
        {
            if let Some(ev) = e.evidence() {
                assert!(from_extractor.contains(&place(&ev)), "{e:?}");
            }
        }
    }
    with_evidence
}

/// (values in `edges_out` with an evidence, of which kept as offsets, sentences of
/// `sentences` found in the values).
fn stored_values(data: &Path, sentences: &[String]) -> (usize, usize, usize) {
    let db = crate::common::open_sled(data.join("graph"));
    let out = db.open_tree("edges_out:v2").unwrap();
    let (mut n, mut offsets, mut text) = (0, 0, 0);
    for r in out.iter() {
        let (_, v) = r.unwrap();
        let kept = v.first() == Some(&b'~');
        let v = String::from_utf8_lossy(&v);
        n += usize::from(kept || v.contains("\"evidence\""));
        offsets += usize::from(kept);
        text += sentences.iter().filter(|s| v.contains(s.as_str())).count();
    }
    (n, offsets, text)
}

fn sentences(files: &[PathBuf]) -> Vec<String> {
    extracted(files)
        .iter()
        .map(|p| p.splitn(5, ' ').nth(4).unwrap().to_string())
        .filter(|s| s.chars().count() >= 8)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

#[test]
fn an_edge_read_back_carries_the_sentence_of_its_extraction_on_the_seed() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let files = vec![seed_path()];
    assert!(check(&data, &files) > 20);
    let (n, offsets, text) = stored_values(&data, &sentences(&files));
    assert!(
        offsets * 4 >= n * 3,
        "{offsets} of {n} evidences kept as offsets"
    );
    // a sentence is stored in an edge's value only when its goal is not one of the ends
    assert!(
        text <= n - offsets,
        "{text} sentences in {} whole values",
        n - offsets
    );
}

#[test]
fn an_edge_read_back_carries_the_sentence_of_its_extraction_on_a_generated_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    let files = crate::corpus::write_corpus(&tmp.path().join("corpus"), 30, 11).unwrap();
    let data = tmp.path().join("data");
    assert!(check(&data, &files) > 100);
    let (n, offsets, _) = stored_values(&data, &[]);
    assert!(
        offsets * 4 >= n * 3,
        "{offsets} of {n} evidences kept as offsets"
    );
}
