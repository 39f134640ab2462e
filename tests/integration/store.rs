//! Tests of the graph store: atomic per-document writes, replacement without orphans,
//! shared nodes, counters, reopen, format version, and a model-based property test.

use plangraph::model::{entity_id, Edge, EdgeLabel, Node, NodeKind};
use plangraph::store::{DocumentBatch, GraphStore, WriteStatus};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// A document that holds a unit, one goal, and a goal → entity edge per named entity.
fn batch(doc: &str, version: &str, entities: &[&str]) -> DocumentBatch {
    let unit = Node::entity(NodeKind::Unit, "市科技局");
    let goal = Node {
        id: format!("goal:{doc}"),
        kind: NodeKind::Goal,
        name: format!("目标{doc}"),
        props: Default::default(),
    };
    let mut nodes = vec![unit.clone(), goal.clone()];
    let mut edges = vec![Edge::new(&unit.id, EdgeLabel::HasGoal, &goal.id)];
    for e in entities {
        let n = Node::entity(NodeKind::Institution, e);
        edges.push(Edge::new(&goal.id, EdgeLabel::DependsOn, &n.id));
        nodes.push(n);
    }
    DocumentBatch {
        record: crate::common::record(
            doc,
            "市科技局",
            2021,
            format!("标题{doc}"),
            version,
            vec![goal.id.clone()],
        ),
        nodes,
        edges,
        aliases: entities
            .iter()
            .map(|e| (format!("{e}简称"), entity_id(NodeKind::Institution, e)))
            .collect(),
    }
}

fn all_node_ids(store: &GraphStore) -> BTreeSet<String> {
    store.nodes().map(|n| n.unwrap().id).collect()
}

fn all_edges(store: &GraphStore) -> BTreeSet<(String, EdgeLabel, String)> {
    store
        .edges()
        .map(|e| {
            let e = e.unwrap();
            (e.source, e.label, e.target)
        })
        .collect()
}

#[test]
fn a_written_document_reads_back_with_both_edge_directions_and_names() {
    let store = GraphStore::temporary().unwrap();
    let out = store
        .write_document(&batch("d1", "v1", &["山东能源研究院", "中德青年科学院"]))
        .unwrap();
    assert_eq!(out.status, WriteStatus::Inserted);
    let inst = entity_id(NodeKind::Institution, "山东能源研究院");
    assert_eq!(store.node(&inst).unwrap().unwrap().name, "山东能源研究院");
    let incoming = store.edges_in(&inst, Some(EdgeLabel::DependsOn)).unwrap();
    assert_eq!(incoming.len(), 1);
    assert_eq!(incoming[0].source, "goal:d1");
    let outgoing = store
        .edges_out("goal:d1", Some(EdgeLabel::DependsOn))
        .unwrap();
    assert_eq!(outgoing.len(), 2);
    assert!(store
        .edges_out("goal:d1", Some(EdgeLabel::Issues))
        .unwrap()
        .is_empty());
    assert_eq!(
        store.ids_named("山东能源研究院").unwrap(),
        vec![inst.clone()]
    );
    assert_eq!(
        store.ids_named("山东能源研究院简称").unwrap(),
        vec![inst.clone()]
    );
    let stats = store.stats().unwrap();
    assert_eq!(stats.documents, 1);
    assert_eq!(stats.nodes[&NodeKind::Institution], 2);
    assert_eq!(stats.edges[&EdgeLabel::DependsOn], 2);
    assert_eq!(stats.edges[&EdgeLabel::HasGoal], 1);
}

#[test]
fn rewriting_an_unchanged_document_changes_nothing() {
    let store = GraphStore::temporary().unwrap();
    let first = store
        .write_document(&batch("d1", "v1", &["甲实验室"]))
        .unwrap();
    let again = store
        .write_document(&batch("d1", "v1", &["甲实验室"]))
        .unwrap();
    assert_eq!(again.status, WriteStatus::Unchanged);
    assert_eq!(again.generation, first.generation);
}

#[test]
fn a_replaced_document_leaves_no_orphans_and_shared_nodes_survive() {
    let store = GraphStore::temporary().unwrap();
    store
        .write_document(&batch("d1", "v1", &["甲实验室", "乙研究院"]))
        .unwrap();
    store
        .write_document(&batch("d2", "v1", &["乙研究院"]))
        .unwrap();
    // d1 drops both entities: 甲 is gone, 乙 survives because d2 holds it.
    let out = store.write_document(&batch("d1", "v2", &[])).unwrap();
    assert_eq!(out.status, WriteStatus::Replaced);
    let jia = entity_id(NodeKind::Institution, "甲实验室");
    let yi = entity_id(NodeKind::Institution, "乙研究院");
    assert_eq!(out.removed_nodes, vec![jia.clone()]);
    assert!(store.node(&jia).unwrap().is_none());
    assert!(store.ids_named("甲实验室").unwrap().is_empty());
    assert!(store.node(&yi).unwrap().is_some());
    assert_eq!(store.edges_in(&yi, None).unwrap().len(), 1);
    // no edge points at a missing node
    let ids = all_node_ids(&store);
    for (s, _, t) in all_edges(&store) {
        assert!(
            ids.contains(&s) && ids.contains(&t),
            "orphan edge {s} -> {t}"
        );
    }
    assert_eq!(store.stats().unwrap().nodes[&NodeKind::Institution], 1);
}

#[test]
fn removing_a_document_releases_everything_only_it_held() {
    let store = GraphStore::temporary().unwrap();
    store
        .write_document(&batch("d1", "v1", &["甲实验室"]))
        .unwrap();
    store
        .write_document(&batch("d2", "v1", &["甲实验室"]))
        .unwrap();
    store.remove_document("d1").unwrap().unwrap();
    assert!(store.node("goal:d1").unwrap().is_none());
    assert!(store
        .node(&entity_id(NodeKind::Institution, "甲实验室"))
        .unwrap()
        .is_some());
    store.remove_document("d2").unwrap().unwrap();
    assert_eq!(all_node_ids(&store), BTreeSet::new());
    assert!(all_edges(&store).is_empty());
    assert_eq!(store.stats().unwrap().nodes.len(), 0);
    assert!(store.remove_document("d2").unwrap().is_none());
}

#[test]
fn an_edge_to_a_node_outside_the_batch_is_refused_and_nothing_is_written() {
    let store = GraphStore::temporary().unwrap();
    let mut b = batch("d1", "v1", &["甲实验室"]);
    b.edges
        .push(Edge::new("goal:d1", EdgeLabel::Issues, "document:missing"));
    assert!(store.write_document(&b).is_err());
    assert!(store.is_empty());
    assert!(all_node_ids(&store).is_empty());
}

#[test]
fn the_store_reopens_with_its_contents_after_drop() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = GraphStore::open(dir.path()).unwrap();
        store
            .write_document(&batch("d1", "v1", &["甲实验室"]))
            .unwrap();
        store.flush().unwrap();
    }
    let store = GraphStore::open(dir.path()).unwrap();
    assert_eq!(store.document_count(), 1);
    assert!(store.node("goal:d1").unwrap().is_some());
    assert_eq!(store.generation().unwrap(), 1);
}

#[test]
fn a_store_of_the_previous_format_version_is_refused_with_the_upgrade_path() {
    let dir = tempfile::tempdir().unwrap();
    {
        // a version-1 store: its edge values held the whole sentence
        let db = crate::common::open_sled(dir.path());
        db.open_tree("meta")
            .unwrap()
            .insert("format_version", &1u64.to_be_bytes())
            .unwrap();
        db.open_tree("documents:v1")
            .unwrap()
            .insert("d1", &b"{}"[..])
            .unwrap();
        db.flush().unwrap();
    }
    assert_eq!(plangraph::store::FORMAT_VERSION, 2);
    let err = GraphStore::open(dir.path()).err().expect("must refuse");
    assert!(matches!(
        err,
        plangraph::Error::FormatVersion {
            found: 1,
            expected: 2,
            ..
        }
    ));
    let msg = err.to_string();
    assert!(msg.contains("format version 1"), "{msg}");
    assert!(msg.contains("reads version 2"), "{msg}");
    assert!(
        msg.contains("plangraph backup") && msg.contains("restore"),
        "{msg}"
    );
    // nothing was rewritten
    let db = crate::common::open_sled(dir.path());
    let v = db.open_tree("meta").unwrap().get("format_version").unwrap();
    assert_eq!(v.as_deref(), Some(&1u64.to_be_bytes()[..]));
}

#[test]
fn a_store_of_another_format_version_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = crate::common::open_sled(dir.path());
        db.open_tree("meta")
            .unwrap()
            .insert("format_version", &99u64.to_be_bytes())
            .unwrap();
        db.flush().unwrap();
    }
    let err = GraphStore::open(dir.path()).err().expect("must refuse");
    let msg = err.to_string();
    assert!(msg.contains("format version 99"), "{msg}");
    assert!(msg.contains("upgrade plangraph"), "{msg}");
}

// ---- model-based property test ----

#[derive(Debug, Clone)]
enum Op {
    Write {
        doc: usize,
        version: u8,
        entities: Vec<usize>,
    },
    Remove {
        doc: usize,
    },
    Reopen,
}

const NAMES: [&str; 6] = [
    "甲实验室",
    "乙研究院",
    "丙中心",
    "丁基金",
    "戊联盟",
    "己园区",
];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..3usize, 0..3u8, proptest::collection::vec(0..NAMES.len(), 0..5))
            .prop_map(|(doc, version, entities)| Op::Write { doc, version, entities }),
        2 => (0..3usize).prop_map(|doc| Op::Remove { doc }),
        1 => Just(Op::Reopen),
    ]
}

/// What the store must hold given the documents of the model.
fn expected(
    model: &BTreeMap<usize, Vec<usize>>,
) -> (BTreeSet<String>, BTreeSet<(String, EdgeLabel, String)>) {
    let mut nodes = BTreeSet::new();
    let mut edges = BTreeSet::new();
    for (doc, ents) in model {
        let b = batch(
            &format!("d{doc}"),
            "",
            &ents.iter().map(|e| NAMES[*e]).collect::<Vec<_>>(),
        );
        nodes.extend(b.nodes.iter().map(|n| n.id.clone()));
        edges.extend(
            b.edges
                .iter()
                .map(|e| (e.source.clone(), e.label, e.target.clone())),
        );
    }
    (nodes, edges)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_document_writes_agree_with_a_model_also_after_reopen(ops in proptest::collection::vec(op(), 1..14)) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Some(GraphStore::open(dir.path()).unwrap());
        let mut model: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for op in ops {
            match op {
                Op::Write { doc, version, entities } => {
                    let names: Vec<&str> = entities.iter().map(|e| NAMES[*e]).collect();
                    store.as_ref().unwrap()
                        .write_document(&batch(&format!("d{doc}"), &format!("{version}{entities:?}"), &names))
                        .unwrap();
                    model.insert(doc, entities);
                }
                Op::Remove { doc } => {
                    store.as_ref().unwrap().remove_document(&format!("d{doc}")).unwrap();
                    model.remove(&doc);
                }
                Op::Reopen => {
                    store.take().unwrap().flush().unwrap();
                    store = Some(GraphStore::open(dir.path()).unwrap());
                }
            }
            let s = store.as_ref().unwrap();
            let (nodes, edges) = expected(&model);
            prop_assert_eq!(all_node_ids(s), nodes.clone());
            prop_assert_eq!(all_edges(s), edges.clone());
            prop_assert_eq!(s.document_count(), model.len());
            // counters agree with a scan
            let stats = s.stats().unwrap();
            prop_assert_eq!(stats.nodes.values().sum::<u64>(), nodes.len() as u64);
            prop_assert_eq!(stats.edges.values().sum::<u64>(), edges.len() as u64);
            // every node is found by its name, and by its alias while an entity
            for id in &nodes {
                let n = s.node(id).unwrap().unwrap();
                prop_assert!(s.ids_named(&n.name).unwrap().contains(id));
                if n.kind == NodeKind::Institution {
                    let alias = format!("{}简称", n.name);
                    prop_assert!(s.ids_named(&alias).unwrap().contains(id));
                }
            }
            prop_assert_eq!(s.verify().unwrap(), Vec::<String>::new());
            // and no name points at a missing node
            for r in s.names_with_prefix("") {
                let (_, id) = r.unwrap();
                prop_assert!(nodes.contains(&id), "dangling name entry for {}", id);
            }
        }
    }
}

#[test]
fn verify_reports_a_damaged_store() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = GraphStore::open(dir.path()).unwrap();
        store
            .write_document(&batch("d1", "v1", &["甲实验室"]))
            .unwrap();
        assert_eq!(store.verify().unwrap(), Vec::<String>::new());
        store.flush().unwrap();
    }
    {
        let db = crate::common::open_sled(dir.path());
        let id = entity_id(NodeKind::Institution, "甲实验室");
        db.open_tree("nodes:v1")
            .unwrap()
            .remove(id.as_bytes())
            .unwrap();
        db.flush().unwrap();
    }
    let problems = GraphStore::open(dir.path()).unwrap().verify().unwrap();
    assert!(
        problems.iter().any(|p| p.contains("missing")),
        "{problems:?}"
    );
}

#[test]
fn a_write_reports_exactly_what_it_added_and_removed() {
    use plangraph::model::normalize_name;
    let store = GraphStore::temporary().unwrap();
    let id = |name: &str| entity_id(NodeKind::Institution, name);
    let names = |name: &str| {
        vec![
            (normalize_name(name), id(name)),
            (normalize_name(&format!("{name}简称")), id(name)),
        ]
    };
    store
        .write_document(&batch("d2", "v1", &["乙研究院"]))
        .unwrap();
    let first = store
        .write_document(&batch("d1", "v1", &["甲实验室", "乙研究院"]))
        .unwrap();
    // new to the store: d1's goal and 甲; the unit and 乙 came with d2
    assert_eq!(first.status, WriteStatus::Inserted);
    assert_eq!(first.old, None);
    assert_eq!(
        first.added_nodes,
        vec![
            ("goal:d1".to_string(), NodeKind::Goal),
            (id("甲实验室"), NodeKind::Institution)
        ]
    );
    assert!(first.removed_nodes.is_empty() && first.updated_nodes.is_empty());

    // d1 drops 甲 and takes 丙: 乙 (held by d2 too) and the goal stay as they were
    let change = store
        .write_document(&batch("d1", "v2", &["乙研究院", "丙中心"]))
        .unwrap();
    assert_eq!(change.status, WriteStatus::Replaced);
    assert_eq!(
        change.old.as_ref().map(|r| r.content_hash.as_str()),
        Some("v1")
    );
    assert_eq!(
        change.old.as_ref().unwrap().nodes.len(),
        4,
        "the old record lists what v1 held"
    );
    assert_eq!(
        change.added_nodes,
        vec![(id("丙中心"), NodeKind::Institution)]
    );
    assert_eq!(change.removed_nodes, vec![id("甲实验室")]);
    assert_eq!(
        change.added_edges,
        vec![("goal:d1".to_string(), EdgeLabel::DependsOn, id("丙中心"))]
    );
    assert_eq!(
        change.removed_edges,
        vec![("goal:d1".to_string(), EdgeLabel::DependsOn, id("甲实验室"))]
    );
    assert_eq!(change.added_names, names("丙中心"));
    assert_eq!(change.removed_names, names("甲实验室"));
    assert!(change.updated_nodes.is_empty() && change.renamed_nodes.is_empty());
    assert_eq!(change.generation, store.generation().unwrap());

    // the goal renamed, then given a text: rewritten both times, renamed only the first
    let mut renamed = batch("d1", "v3", &["乙研究院", "丙中心"]);
    renamed.nodes[1].name = "新目标".into();
    let change = store.write_document(&renamed).unwrap();
    assert_eq!(change.updated_nodes, vec!["goal:d1".to_string()]);
    assert_eq!(change.renamed_nodes, vec!["goal:d1".to_string()]);
    assert_eq!(
        change.added_names,
        vec![(normalize_name("新目标"), "goal:d1".to_string())]
    );
    assert_eq!(
        change.removed_names,
        vec![(normalize_name("目标d1"), "goal:d1".to_string())]
    );
    assert!(change.added_nodes.is_empty() && change.removed_nodes.is_empty());
    assert!(change.added_edges.is_empty() && change.removed_edges.is_empty());
    let mut texted = renamed.clone();
    texted.record.content_hash = "v4".into();
    texted.nodes[1]
        .props
        .insert("content".into(), "推进建设。".into());
    let change = store.write_document(&texted).unwrap();
    assert_eq!(change.updated_nodes, vec!["goal:d1".to_string()]);
    assert!(change.renamed_nodes.is_empty() && change.added_names.is_empty());

    // the same version again changes nothing and says so
    let again = store.write_document(&texted).unwrap();
    assert_eq!(again.status, WriteStatus::Unchanged);
    assert_eq!(
        again.old.as_ref().map(|r| r.content_hash.as_str()),
        Some("v4")
    );
    assert!(again.added_nodes.is_empty() && again.updated_nodes.is_empty());
    assert_eq!(store.verify().unwrap(), Vec::<String>::new());
}
