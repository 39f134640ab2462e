//! One ingest of many files against the same files ingested one call each: the links
//! between documents (`continues` across years, `revises` between versions of a title),
//! computed once at the end of a batch, come out as the per-document writes give them;
//! and a batch cut off before its end (documents written, links not yet computed) is
//! finished by the next ingest.

use plangraph::knowledge_graph::KnowledgeGraph;
use plangraph::model::EdgeLabel;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Every edge: its ends, label and props (without the evidence: an edge several documents
/// hold carries the evidence of one of them, whichever was written last).
fn edges(kg: &KnowledgeGraph) -> BTreeSet<(String, String, String, String)> {
    kg.store()
        .edges()
        .map(|e| {
            let mut e = e.unwrap();
            e.props.remove("evidence");
            (
                e.source,
                e.label.as_str().to_string(),
                e.target,
                Value::Object(e.props).to_string(),
            )
        })
        .collect()
}

fn count(edges: &BTreeSet<(String, String, String, String)>, label: EdgeLabel) -> usize {
    edges.iter().filter(|e| e.1 == label.as_str()).count()
}

fn corpus(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files = crate::corpus::write_corpus(dir, 80, 21).unwrap();
    files.sort();
    files
}

#[test]
fn one_batch_links_documents_as_one_file_at_a_time_does() {
    let tmp = tempfile::tempdir().unwrap();
    let files = corpus(&tmp.path().join("docs"));

    let batch = KnowledgeGraph::temporary().unwrap();
    let report = batch.ingest_paths(&files, &mut |_| {}).unwrap();
    assert_eq!(report.ingested, files.len(), "{:?}", report.files);

    let single = KnowledgeGraph::temporary().unwrap();
    for f in &files {
        single
            .ingest_paths(std::slice::from_ref(f), &mut |_| {})
            .unwrap();
    }

    let (a, b) = (edges(&batch), edges(&single));
    assert!(
        count(&a, EdgeLabel::Continues) > 20,
        "the corpus links goals across years"
    );
    assert!(
        count(&a, EdgeLabel::Revises) > 0,
        "the corpus revises titles"
    );
    assert_eq!(a.len(), b.len());
    assert_eq!(a, b);
    assert!(batch.store().unlinked().unwrap().is_empty());
    for kg in [&batch, &single] {
        assert_eq!(kg.store().verify().unwrap(), Vec::<String>::new());
    }
}

#[test]
fn a_batch_cut_off_before_its_links_is_finished_by_the_next_ingest() {
    let tmp = tempfile::tempdir().unwrap();
    let files = corpus(&tmp.path().join("docs"));
    let kg = KnowledgeGraph::open(&tmp.path().join("data")).unwrap();
    kg.ingest_paths(&files, &mut |_| {}).unwrap();
    let whole = edges(&kg);

    // as a kill after the documents' writes leaves them: written, no links, noted
    let store = kg.store();
    let docs: Vec<String> = store.documents().map(|r| r.unwrap().id).collect();
    for d in &docs {
        store.set_links(d, EdgeLabel::Continues, &[]).unwrap();
        store.set_links(d, EdgeLabel::Revises, &[]).unwrap();
    }
    store
        .mark_unlinked(docs.iter().map(String::as_str))
        .unwrap();
    let cut = edges(&kg);
    assert_eq!(count(&cut, EdgeLabel::Continues), 0);
    assert_eq!(count(&cut, EdgeLabel::Revises), 0);

    // the next ingest (of files already stored, or of none) finishes it
    let report = kg.ingest_paths(&files[..1], &mut |_| {}).unwrap();
    assert_eq!(report.unchanged, 1);
    // A title revised in several years is one self-loop `revises` edge that each of those
    // documents holds, with the props of whichever wrote it last: compared by its ends.
    let ends = |set: BTreeSet<(String, String, String, String)>| -> BTreeSet<_> {
        set.into_iter()
            .map(|mut e| {
                if e.0 == e.2 && e.1 == EdgeLabel::Revises.as_str() {
                    e.3.clear();
                }
                e
            })
            .collect()
    };
    let (whole, again) = (ends(whole), ends(edges(&kg)));
    let missing: Vec<_> = whole.difference(&again).collect();
    let extra: Vec<_> = again.difference(&whole).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}\nextra {extra:?}"
    );
    assert!(kg.store().unlinked().unwrap().is_empty());
    assert_eq!(kg.store().verify().unwrap(), Vec::<String>::new());
}

/// What a graph answers that depends on the view: the ranking (PageRank to nine places:
/// a view carried along writes numbers its nodes otherwise than one built at once, which
/// moves the sums' last bits) and the traces of the most depended-on entities, by id,
/// with the path each goal is shown by.
fn view_answers(kg: &KnowledgeGraph) -> Value {
    let rank = kg.rank(None, 15).unwrap();
    let mut rows: Vec<Value> = rank
        .entities
        .iter()
        .map(|e| serde_json::json!([e.id, e.goals, e.depends_on, (e.pagerank * 1e9).round()]))
        .collect();
    rows.sort_by_key(|r| r[0].as_str().unwrap().to_string());
    let traces: serde_json::Map<String, Value> = rank
        .entities
        .iter()
        .map(|e| {
            let t = serde_json::to_value(kg.trace(&e.id, None).unwrap()).unwrap();
            (e.id.clone(), t)
        })
        .collect();
    serde_json::json!({ "total": rank.total, "rank": rows, "traces": traces })
}

#[test]
fn an_ingest_leaves_the_graph_view_saved_for_the_next_start() {
    let tmp = tempfile::tempdir().unwrap();
    let files = corpus(&tmp.path().join("docs"));
    let data = tmp.path().join("data");
    let snapshot = data.join(plangraph::knowledge_graph::GRAPH_SNAPSHOT);
    let (first, second) = files.split_at(files.len() / 2);
    let current = || {
        let store = plangraph::store::GraphStore::open(&data.join("graph")).unwrap();
        plangraph::graph::GraphView::load(&snapshot, &store).is_some()
    };

    // Into an empty folder, then more into it (the view read back from its snapshot and
    // carried along the writes and the links between years).
    for part in [first, second] {
        let kg = KnowledgeGraph::open(&data).unwrap();
        let report = kg.ingest_keeping_view(part, &mut |_| {}).unwrap();
        assert_eq!(report.ingested, part.len(), "{:?}", report.files);
        drop(kg);
        assert!(
            current(),
            "the snapshot is of the store as the ingest left it"
        );
    }

    // The carried view answers as one built afresh from the store.
    let kg = KnowledgeGraph::open(&data).unwrap();
    let carried = view_answers(&kg);
    drop(kg);
    std::fs::remove_file(&snapshot).unwrap();
    let kg = KnowledgeGraph::open(&data).unwrap();
    let built = view_answers(&kg);
    assert!(built["rank"].as_array().unwrap().len() >= 10);
    assert!(
        carried == built,
        "the view carried along the writes answers otherwise than one built afresh"
    );
}
