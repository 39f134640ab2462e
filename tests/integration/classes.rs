//! Classes named without a count (各级重点实验室, 数字化转型示范园区) are class nodes like
//! counted ones; `rank` lists named platforms unless asked for classes, and lists mark
//! class nodes (`class: true`) so they can be shown apart.

use plangraph::knowledge_graph::KnowledgeGraph;

const DOC: &str = "某市工业和信息化局2023年工作要点
一、平台
1.推进各级重点实验室建设。支持青岛海洋装备研究院建设。
2.建设数字化转型示范园区。依托青岛海洋装备研究院开展攻关。推动各级重点实验室开放共享。
3.争创省级重点实验室。支持青岛海洋装备研究院与企业合作。
";

fn graph() -> KnowledgeGraph {
    let kg = KnowledgeGraph::temporary().unwrap();
    kg.ingest_bytes("classes-2023.txt", DOC.as_bytes()).unwrap();
    kg
}

#[test]
fn classes_named_without_a_count_are_class_nodes() {
    let kg = graph();
    for name in ["重点实验室", "数字化转型示范园区"] {
        let n = kg.resolve(name).unwrap();
        assert_eq!(n.name, name);
        assert!(n.is_class(), "{n:?}");
    }
    // 各级重点实验室 and 省级重点实验室: both goals link to a class node
    for goal in ["推进各级重点实验室建设", "争创省级重点实验室"] {
        let g = kg.resolve(goal).unwrap();
        let view = kg.show(&g.id).unwrap();
        let classes: Vec<String> = view
            .edges
            .iter()
            .filter(|e| e.source == g.id)
            .filter_map(|e| kg.store().node(&e.target).unwrap())
            .filter(|n| n.is_class())
            .map(|n| n.name)
            .collect();
        assert!(
            classes.iter().any(|c| c.ends_with("重点实验室")),
            "{goal}: {classes:?}"
        );
    }
    let named = kg.resolve("青岛海洋装备研究院").unwrap();
    assert!(!named.is_class());
}

#[test]
fn rank_lists_named_platforms_unless_asked_for_classes() {
    let kg = graph();
    let named = kg.rank(None, 100).unwrap();
    assert!(named.entities.iter().all(|e| !e.class));
    assert!(named
        .entities
        .iter()
        .any(|e| e.name == "青岛海洋装备研究院"));
    assert!(!named.entities.iter().any(|e| e.name == "重点实验室"));
    let all = kg.rank_with(None, 100, true).unwrap();
    let lab = all
        .entities
        .iter()
        .find(|e| e.name == "重点实验室")
        .expect("classes when asked");
    assert!(lab.class);
    assert!(all.total > named.total);
    // co-dependent lists mark the class nodes they share
    let goal = kg.resolve("推进各级重点实验室建设").unwrap();
    let co = kg.co_dependent(&goal.id, &[], 10).unwrap();
    let shared: Vec<_> = co.goals.iter().flat_map(|g| &g.shared).collect();
    assert!(
        shared.iter().any(|s| s.name == "重点实验室" && s.class),
        "{shared:?}"
    );
    assert!(shared
        .iter()
        .any(|s| s.name == "青岛海洋装备研究院" && !s.class));
}

/// A graph ranked once, then written to: the class nodes are carried along the writes
/// (only what a write added or rewrote is read again), and the ranking after the write is
/// the ranking of a graph that held both documents before it was first ranked.
#[test]
fn rank_after_writes_knows_the_classes_the_writes_brought() {
    const LATER: &str = "某市科学技术局2024年工作要点
一、平台
1.建设新型研发机构。支持青岛海洋装备研究院建设。
2.推进各级技术创新中心建设。依托青岛海洋装备研究院开展攻关。
";
    let kg = std::sync::Arc::new(KnowledgeGraph::temporary().unwrap());
    kg.ingest_bytes("classes-2023.txt", DOC.as_bytes()).unwrap();
    let first = kg.rank_with(None, 100, true).unwrap();
    assert!(first
        .entities
        .iter()
        .any(|e| e.name == "重点实验室" && e.class));
    kg.ingest_bytes("classes-2024.txt", LATER.as_bytes())
        .unwrap();
    // as a server does after a write: the ranking is recomputed on another thread, and a
    // query meanwhile gets the same answer
    kg.rewarm();
    let rank = |kg: &KnowledgeGraph, classes: bool| -> Vec<(String, bool, usize)> {
        let mut r: Vec<_> = kg
            .rank_with(None, 100, classes)
            .unwrap()
            .entities
            .into_iter()
            .map(|e| (e.name, e.class, e.goals))
            .collect();
        r.sort();
        r
    };
    let after = rank(&kg, true);
    assert!(
        after
            .iter()
            .any(|(n, class, _)| n.ends_with("技术创新中心") && *class),
        "{after:?}"
    );
    assert!(rank(&kg, false).iter().all(|(_, class, _)| !class));

    let fresh = KnowledgeGraph::temporary().unwrap();
    fresh
        .ingest_bytes("classes-2023.txt", DOC.as_bytes())
        .unwrap();
    fresh
        .ingest_bytes("classes-2024.txt", LATER.as_bytes())
        .unwrap();
    assert_eq!(after, rank(&fresh, true));
    assert_eq!(rank(&kg, false), rank(&fresh, false));
}
