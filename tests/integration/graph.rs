//! Tests of the graph queries: trace (through targets, parts and aliases), neighbourhoods,
//! paths, rankings, co-dependency, name resolution, and the graph view staying in step
//! with the store. Synthetic stores first; the seed checks at the end need the real
//! ingest and extraction pipeline.

use crate::common::{self, plangraph};
use plangraph::graph::GraphView;
use plangraph::knowledge_graph::{KnowledgeGraph, NeighborsRequest};
use plangraph::model::{entity_id, Edge, EdgeLabel, Node, NodeKind};
use plangraph::store::{DocumentBatch, GraphStore};
use plangraph::Error;
use serde_json::json;
use std::collections::BTreeSet;

/// A goal of a synthetic document and what it relies on.
pub struct G {
    pub id: &'static str,
    pub title: &'static str,
    pub category: &'static str,
    pub number: &'static str,
    /// (label, kind, entity name, evidence sentence)
    pub edges: Vec<(EdgeLabel, NodeKind, &'static str, &'static str)>,
    /// (target text, kind, measured entity name)
    pub targets: Vec<(&'static str, NodeKind, &'static str)>,
}

pub fn goal(
    id: &'static str,
    title: &'static str,
    category: &'static str,
    number: &'static str,
) -> G {
    G {
        id,
        title,
        category,
        number,
        edges: Vec::new(),
        targets: Vec::new(),
    }
}

impl G {
    pub fn rel(
        mut self,
        label: EdgeLabel,
        kind: NodeKind,
        name: &'static str,
        sentence: &'static str,
    ) -> G {
        self.edges.push((label, kind, name, sentence));
        self
    }
    pub fn target(mut self, text: &'static str, kind: NodeKind, name: &'static str) -> G {
        self.targets.push((text, kind, name));
        self
    }
}

/// A document of `unit` and `year` holding `goals`, plus `part_of` edges between entities
/// and aliases, as the pipeline would write it.
pub fn document(
    doc: &str,
    version: &str,
    unit: &str,
    year: u16,
    goals: &[G],
    parts: &[(NodeKind, &str, NodeKind, &str)],
    aliases: &[(&str, NodeKind, &str)],
) -> DocumentBatch {
    let unit_node = Node::entity(NodeKind::Unit, unit);
    let mut nodes = vec![unit_node.clone()];
    let mut edges = Vec::new();
    for g in goals {
        let mut props = serde_json::Map::new();
        props.insert("unit".into(), json!(unit));
        props.insert("year".into(), json!(year));
        props.insert("category".into(), json!(g.category));
        props.insert("number".into(), json!(g.number));
        props.insert("content".into(), json!(format!("{}的内容", g.title)));
        props.insert("document".into(), json!(doc));
        nodes.push(Node {
            id: g.id.to_string(),
            kind: NodeKind::Goal,
            name: g.title.to_string(),
            props,
        });
        edges.push(Edge::new(&unit_node.id, EdgeLabel::HasGoal, g.id));
        for (label, kind, name, sentence) in &g.edges {
            let n = Node::entity(*kind, name);
            let mut e = Edge::new(g.id, *label, &n.id);
            e.props.insert(
                "evidence".into(),
                json!({"document": doc, "goal": g.id, "field": "content", "sentence": sentence,
                       "start": 0, "end": sentence.chars().count(), "mention_start": 0, "mention_end": 1}),
            );
            e.props.insert("action".into(), json!("建设"));
            edges.push(e);
            nodes.push(n);
        }
        for (i, (text, kind, name)) in g.targets.iter().enumerate() {
            let t = Node {
                id: format!("target:{}:{i}", g.id),
                kind: NodeKind::Target,
                name: text.to_string(),
                props: Default::default(),
            };
            let n = Node::entity(*kind, name);
            let mut set = Edge::new(g.id, EdgeLabel::SetsTarget, &t.id);
            set.props.insert(
                "evidence".into(),
                json!({"document": doc, "goal": g.id, "field": "content",
                       "sentence": format!("认定建设各级{name}{text}。"),
                       "start": 0, "end": 1, "mention_start": 0, "mention_end": 1}),
            );
            edges.push(set);
            edges.push(Edge::new(&t.id, EdgeLabel::Measures, &n.id));
            nodes.push(t);
            nodes.push(n);
        }
    }
    for (ck, child, pk, parent) in parts {
        let c = Node::entity(*ck, child);
        let p = Node::entity(*pk, parent);
        edges.push(Edge::new(&c.id, EdgeLabel::PartOf, &p.id));
        nodes.push(c);
        nodes.push(p);
    }
    DocumentBatch {
        record: crate::common::record(
            doc,
            unit,
            year,
            format!("{year}年度市直单位业务目标"),
            version,
            goals.iter().map(|g| g.id.to_string()).collect(),
        ),
        nodes,
        edges,
        aliases: aliases
            .iter()
            .map(|(alias, kind, name)| (alias.to_string(), entity_id(*kind, name)))
            .collect(),
    }
}

use EdgeLabel::{DependsOn, Mentions};
use NodeKind::{Institution, Organization, Place};

const SUPERCOMPUTER: &str = "国家超级计算中心";
const CAS: &str = "中科院";
const CAS_CENTRE: &str = "中科院海洋大科学研究中心";
const ZONE: &str = "高新区";

/// Three documents shaped like the seed: a 2021 and a 2022 document of 市科技局 and one
/// of another unit.
pub fn sample_docs() -> Vec<DocumentBatch> {
    let d2021 = document(
        "doc2021",
        "v1",
        "市科技局",
        2021,
        &[
            goal("g-platforms", "加快高端创新平台建设", "重点目标", "2")
                .rel(
                    DependsOn,
                    Institution,
                    SUPERCOMPUTER,
                    "推进超算升级项目，建设国家超级计算中心。",
                )
                .rel(
                    DependsOn,
                    Institution,
                    CAS_CENTRE,
                    "推动中科院海洋大科学研究中心投入运行。",
                )
                .target("150家以上", Institution, "技术创新中心"),
            goal("g-talent", "强化科技人才引进培养", "重点目标", "3").rel(
                Mentions,
                Place,
                ZONE,
                "在自贸区、上合示范区、高新区设立运行外国人来华工作许可办理服务窗口。",
            ),
            goal("g-tenth", "第十项目标", "重点目标", "10"),
            goal("g-reform", "深化科技管理改革", "创优目标", "1")
                .rel(Mentions, Place, ZONE, "加强高新区“一区多园”统筹服务。")
                .rel(
                    DependsOn,
                    Institution,
                    "半岛科创联盟",
                    "发挥“半岛科创联盟”平台作用。",
                ),
        ],
        &[(Institution, CAS_CENTRE, Organization, CAS)],
        &[("中国科学院", Organization, CAS)],
    );
    let d2022 = document(
        "doc2022",
        "v1",
        "市科技局",
        2022,
        &[goal("g-2022", "深化院地合作", "重点目标", "1").rel(
            DependsOn,
            Organization,
            CAS,
            "深化与中科院合作。",
        )],
        &[],
        &[],
    );
    let other = document(
        "doc-other",
        "v1",
        "市发展改革委",
        2021,
        &[goal("g-other", "建设算力基础设施", "重点目标", "1").rel(
            DependsOn,
            Institution,
            SUPERCOMPUTER,
            "依托国家超级计算中心建设算力平台。",
        )],
        &[],
        &[],
    );
    vec![d2021, d2022, other]
}

fn sample_graph() -> KnowledgeGraph {
    let kg = KnowledgeGraph::temporary().unwrap();
    for d in sample_docs() {
        kg.store().write_document(&d).unwrap();
    }
    // written past the pipeline: the text index (which names resolve by) is built after
    kg.sync_index().unwrap();
    kg
}

fn goal_ids(trace: &plangraph::graph::Trace) -> Vec<&str> {
    trace.goals.iter().map(|g| g.goal.id.as_str()).collect()
}

#[test]
fn trace_finds_goals_that_depend_on_an_entity_with_path_and_evidence() {
    let kg = sample_graph();
    let t = kg.trace(SUPERCOMPUTER, None).unwrap();
    assert_eq!(t.entity.name, SUPERCOMPUTER);
    assert_eq!(t.total, 2);
    // 市发展改革委 sorts before 市科技局 (by unit, as written).
    assert_eq!(goal_ids(&t), ["g-other", "g-platforms"]);
    let g = &t.goals[1];
    assert_eq!(g.goal.name, "加快高端创新平台建设");
    let p = &g.goal.place;
    assert_eq!((p.unit.as_str(), p.year), ("市科技局", Some(2021)));
    assert_eq!((p.category.as_str(), p.number.as_str()), ("重点目标", "2"));
    assert_eq!(g.relation, DependsOn);
    assert_eq!(g.action.as_deref(), Some("建设"));
    assert_eq!(g.evidence, "推进超算升级项目，建设国家超级计算中心。");
    assert_eq!(g.path.len(), 1);
    assert_eq!(g.path[0].source, "g-platforms");
    assert_eq!(g.path[0].target, entity_id(Institution, SUPERCOMPUTER));
    assert!(g.via.is_empty());
}

#[test]
fn trace_reaches_goals_of_the_parts_of_an_entity() {
    let kg = sample_graph();
    let t = kg.trace(CAS, None).unwrap();
    assert_eq!(goal_ids(&t), ["g-platforms", "g-2022"], "2021 before 2022");
    let via_part = &t.goals[0];
    assert_eq!(via_part.via.len(), 1);
    assert_eq!(via_part.via[0].name, CAS_CENTRE);
    let labels: Vec<EdgeLabel> = via_part.path.iter().map(|e| e.label).collect();
    assert_eq!(labels, [DependsOn, EdgeLabel::PartOf]);
    assert_eq!(via_part.path[1].target, entity_id(Organization, CAS));
    assert_eq!(via_part.evidence, "推动中科院海洋大科学研究中心投入运行。");
}

#[test]
fn trace_resolves_aliases_and_goes_through_targets() {
    let kg = sample_graph();
    let t = kg.trace("中国科学院", None).unwrap();
    assert_eq!(t.entity.id, entity_id(Organization, CAS));
    assert_eq!(t.total, 2);

    let t = kg.trace("技术创新中心", None).unwrap();
    assert_eq!(goal_ids(&t), ["g-platforms"]);
    let g = &t.goals[0];
    assert_eq!(g.relation, EdgeLabel::SetsTarget);
    let labels: Vec<EdgeLabel> = g.path.iter().map(|e| e.label).collect();
    assert_eq!(labels, [EdgeLabel::SetsTarget, EdgeLabel::Measures]);
    assert_eq!(g.via[0].kind, NodeKind::Target);
    assert!(g.evidence.contains("150家以上"));
}

#[test]
fn trace_sorts_by_category_in_document_order_and_numbers_as_numbers() {
    let kg = KnowledgeGraph::temporary().unwrap();
    kg.store()
        .write_document(&document(
            "d",
            "v1",
            "市科技局",
            2021,
            &[
                goal("c1", "创优一", "创优目标", "1").rel(Mentions, Place, ZONE, "高新区。"),
                goal("k10", "重点十", "重点目标", "10").rel(Mentions, Place, ZONE, "高新区。"),
                goal("k2", "重点二", "重点目标", "2").rel(Mentions, Place, ZONE, "高新区。"),
            ],
            &[],
            &[],
        ))
        .unwrap();
    let t = kg.trace(ZONE, None).unwrap();
    assert_eq!(goal_ids(&t), ["k2", "k10", "c1"]);
    let t = kg.trace(ZONE, Some(1)).unwrap();
    assert_eq!((t.total, goal_ids(&t)), (3, vec!["k2"]));
}

#[test]
fn neighbors_grow_with_depth_and_respect_label_and_kind_filters() {
    let kg = sample_graph();
    let ids = |sub: &plangraph::graph::Subgraph| -> BTreeSet<String> {
        sub.nodes.iter().map(|n| n.id.clone()).collect()
    };
    let req = |depth| NeighborsRequest {
        depth,
        ..Default::default()
    };
    let zone = entity_id(Place, ZONE);
    let d0 = kg.neighbors(ZONE, &req(0)).unwrap();
    assert_eq!(ids(&d0), BTreeSet::from([zone.clone()]));
    assert!(d0.edges.is_empty());

    let d1 = kg.neighbors(ZONE, &req(1)).unwrap();
    assert_eq!(
        ids(&d1),
        BTreeSet::from([zone.clone(), "g-talent".into(), "g-reform".into()])
    );
    assert_eq!(d1.nodes[0].id, zone, "the center comes first");
    assert_eq!(d1.edges.len(), 2);

    let d2 = kg.neighbors(ZONE, &req(2)).unwrap();
    assert!(ids(&d2).contains(&entity_id(NodeKind::Unit, "市科技局")));
    assert!(ids(&d2).contains(&entity_id(Institution, "半岛科创联盟")));
    assert!(ids(&d2).is_superset(&ids(&d1)));
    // Every edge joins two returned nodes.
    for e in &d2.edges {
        assert!(ids(&d2).contains(&e.source) && ids(&d2).contains(&e.target));
    }

    let only_mentions = kg
        .neighbors(
            ZONE,
            &NeighborsRequest {
                depth: 3,
                labels: vec![Mentions],
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(ids(&only_mentions), ids(&d1));

    let only_institutions = kg
        .neighbors(
            "g-reform",
            &NeighborsRequest {
                depth: 1,
                kinds: vec![Institution],
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        ids(&only_institutions),
        BTreeSet::from(["g-reform".into(), entity_id(Institution, "半岛科创联盟")])
    );

    let capped = kg
        .neighbors(
            ZONE,
            &NeighborsRequest {
                depth: 4,
                limit: 3,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(capped.nodes.len(), 3);
    assert!(capped.truncated);

    assert!(matches!(
        kg.neighbors(ZONE, &req(9)),
        Err(Error::InvalidParam { param: "depth", .. })
    ));
}

#[test]
fn path_joins_institutions_of_different_goals() {
    let kg = sample_graph();
    let p = kg.path(SUPERCOMPUTER, "半岛科创联盟", &[]).unwrap();
    assert_eq!(p.nodes.first().unwrap().name, SUPERCOMPUTER);
    assert_eq!(p.nodes.last().unwrap().name, "半岛科创联盟");
    assert_eq!(p.length, p.edges.len());
    assert_eq!(p.nodes.len(), p.edges.len() + 1);
    assert_eq!(p.length, 4, "supercomputer ← goal ← unit → goal → alliance");
    for (i, e) in p.edges.iter().enumerate() {
        let (a, b) = (&p.nodes[i].id, &p.nodes[i + 1].id);
        assert!(
            (&e.source == a && &e.target == b) || (&e.source == b && &e.target == a),
            "edge {i} joins nodes {i} and {}",
            i + 1
        );
    }
    // The same node: a path of length zero.
    assert_eq!(kg.path(ZONE, ZONE, &[]).unwrap().length, 0);
    // Only depends_on edges: the two goals are not joined.
    assert!(matches!(
        kg.path(SUPERCOMPUTER, "半岛科创联盟", &[DependsOn]),
        Err(Error::NoPath { .. })
    ));
    // Shared entity: the two goals that mention 高新区 are two hops apart.
    assert_eq!(
        kg.path("g-talent", "g-reform", &[Mentions]).unwrap().length,
        2
    );
}

#[test]
fn rank_orders_entities_by_dependent_goals_then_pagerank() {
    let kg = sample_graph();
    let r = kg.rank(None, 100).unwrap();
    let goals_of = |name: &str| r.entities.iter().find(|e| e.name == name).unwrap().goals;
    assert_eq!(goals_of(SUPERCOMPUTER), 2);
    assert_eq!(goals_of(ZONE), 2);
    assert_eq!(goals_of(CAS), 2, "one directly, one through its part");
    assert_eq!(goals_of(CAS_CENTRE), 1);
    assert_eq!(goals_of("技术创新中心"), 1);
    for w in r.entities.windows(2) {
        assert!(
            w[0].goals > w[1].goals || (w[0].goals == w[1].goals && w[0].pagerank >= w[1].pagerank),
            "{} before {}",
            w[0].name,
            w[1].name
        );
    }
    assert!(r
        .entities
        .iter()
        .all(|e| e.pagerank > 0.0 && e.kind.is_entity()));
    let sc = r.entities.iter().find(|e| e.name == SUPERCOMPUTER).unwrap();
    assert_eq!(sc.depends_on, 2);

    let places = kg.rank(Some(Place), 10).unwrap();
    assert_eq!(places.total, 1);
    assert_eq!(places.entities[0].name, ZONE);
    let top1 = kg.rank(None, 1).unwrap();
    assert_eq!(top1.entities.len(), 1);
    assert_eq!(top1.total, r.total);
    assert!(matches!(
        kg.rank(Some(NodeKind::Goal), 10),
        Err(Error::InvalidParam { param: "kind", .. })
    ));
}

#[test]
fn co_dependent_goals_share_entities() {
    let kg = sample_graph();
    let c = kg.co_dependent("强化科技人才引进培养", &[], 10).unwrap();
    assert_eq!(c.entities.len(), 1);
    assert_eq!(c.total, 1);
    assert_eq!(c.goals[0].goal.id, "g-reform");
    assert_eq!(c.goals[0].shared[0].name, ZONE);

    let c = kg.co_dependent("g-platforms", &[], 10).unwrap();
    assert_eq!(
        c.goals
            .iter()
            .map(|g| g.goal.id.as_str())
            .collect::<Vec<_>>(),
        ["g-other"]
    );
    let none = kg.co_dependent("g-platforms", &[Place], 10).unwrap();
    assert_eq!(none.total, 0);
    assert!(matches!(
        kg.co_dependent(ZONE, &[], 10),
        Err(Error::InvalidParam { .. })
    ));
}

#[test]
fn unknown_and_ambiguous_names_come_with_suggestions() {
    let kg = sample_graph();
    match kg.trace("国家超算中心", None) {
        Err(Error::NotFound { suggestions, .. }) => {
            assert_eq!(suggestions.first().map(String::as_str), Some(SUPERCOMPUTER))
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    // A prefix that fits one name resolves; one that fits several is ambiguous.
    assert_eq!(kg.resolve("国家超级").unwrap().name, SUPERCOMPUTER);
    match kg.resolve("深化") {
        Err(Error::Ambiguous { candidates, .. }) => {
            assert!(candidates.iter().any(|c| c.contains("深化科技管理改革")));
            assert!(candidates.iter().any(|c| c.contains("深化院地合作")));
            // a goal candidate is listed with its unit and year (stored as a number)
            assert!(
                candidates.contains(&"深化院地合作 (goal, 市科技局 2022, g-2022)".to_string()),
                "{candidates:?}"
            );
        }
        other => panic!("expected Ambiguous, got {other:?}"),
    }
    // Substrings resolve too; a kind prefix narrows.
    assert_eq!(kg.resolve("大科学研究").unwrap().name, CAS_CENTRE);
    assert_eq!(kg.resolve("place:高新区").unwrap().kind, Place);
    assert!(matches!(
        kg.resolve("institution:高新区"),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(kg.resolve("  "), Err(Error::InvalidParam { .. })));
}

fn edge_set(v: &GraphView) -> BTreeSet<(String, EdgeLabel, String)> {
    v.edges()
        .map(|(s, l, t)| (s.to_string(), l, t.to_string()))
        .collect()
}

fn node_set(v: &GraphView) -> BTreeSet<(String, NodeKind)> {
    v.nodes().map(|(id, k)| (id.to_string(), k)).collect()
}

#[test]
fn an_incrementally_updated_view_equals_a_rebuilt_one() {
    let store = GraphStore::temporary().unwrap();
    let mut view = GraphView::build(&store).unwrap();
    let docs = sample_docs();
    for d in &docs {
        let out = store.write_document(d).unwrap();
        assert!(view.apply(&out));
    }
    let fresh = GraphView::build(&store).unwrap();
    assert_eq!(node_set(&view), node_set(&fresh));
    assert_eq!(edge_set(&view), edge_set(&fresh));
    assert_eq!(view.generation(), store.generation().unwrap());

    // Replace the 2021 document: 国家超级计算中心 (also held by another document) and
    // 高新区 (held by nobody else) are dropped from it; a new entity comes in.
    let replacement = document(
        "doc2021",
        "v2",
        "市科技局",
        2021,
        &[
            goal("g-platforms", "加快高端创新平台建设", "重点目标", "2").rel(
                DependsOn,
                Institution,
                "山东能源研究院",
                "加快山东能源研究院建设。",
            ),
        ],
        &[],
        &[],
    );
    let out = store.write_document(&replacement).unwrap();
    assert!(view.apply(&out));
    let fresh = GraphView::build(&store).unwrap();
    assert_eq!(node_set(&view), node_set(&fresh));
    assert_eq!(edge_set(&view), edge_set(&fresh));
    assert!(fresh
        .nodes()
        .any(|(id, _)| id == entity_id(Institution, SUPERCOMPUTER)));
    assert!(!fresh.nodes().any(|(id, _)| id == entity_id(Place, ZONE)));

    // A view that missed a write refuses to apply the next one.
    let mut stale = GraphView::build(&store).unwrap();
    let d = document(
        "x",
        "v1",
        "市科技局",
        2023,
        &[goal("gx", "x", "重点目标", "1")],
        &[],
        &[],
    );
    store.write_document(&d).unwrap();
    let d2 = document(
        "y",
        "v1",
        "市科技局",
        2023,
        &[goal("gy", "y", "重点目标", "1")],
        &[],
        &[],
    );
    let out = store.write_document(&d2).unwrap();
    assert!(!stale.apply(&out));
}

#[test]
fn the_facade_rebuilds_its_view_after_writes_behind_its_back() {
    let kg = sample_graph();
    assert_eq!(kg.trace(ZONE, None).unwrap().total, 2);
    kg.store()
        .write_document(&document(
            "later",
            "v1",
            "市科技局",
            2023,
            &[goal("g-later", "新目标", "重点目标", "1").rel(Mentions, Place, ZONE, "高新区。")],
            &[],
            &[],
        ))
        .unwrap();
    assert_eq!(kg.trace(ZONE, None).unwrap().total, 3);
}

// ---- trace pages and groups ----

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// Goals of four (unit, year)s, all mentioning the zone, written in scrambled order;
/// categories and numbers chosen so that number order is not text order.
pub fn paged_docs() -> Vec<DocumentBatch> {
    let places = [
        ("市科技局", 2022),
        ("市发展改革委", 2021),
        ("市科技局", 2021),
        ("区科委", 2023),
    ];
    places
        .iter()
        .enumerate()
        .map(|(i, (unit, year))| {
            let goals: Vec<G> = [7, 12, 1, 3, 10, 2, 5]
                .iter()
                .take(3 + i)
                .map(|n| {
                    let category = if n % 2 == 0 {
                        "创优目标"
                    } else {
                        "重点目标"
                    };
                    goal(
                        leak(format!("p{i}-{n}")),
                        "目标",
                        category,
                        leak(n.to_string()),
                    )
                    .rel(Mentions, Place, ZONE, "高新区。")
                })
                .collect();
            document(&format!("paged{i}"), "v1", unit, *year, &goals, &[], &[])
        })
        .collect()
}

fn paged_graph() -> KnowledgeGraph {
    let kg = KnowledgeGraph::temporary().unwrap();
    for d in paged_docs() {
        kg.store().write_document(&d).unwrap();
    }
    kg
}

#[test]
fn a_trace_page_at_offset_k_is_the_kth_slice_of_the_whole_trace() {
    let kg = paged_graph();
    let full = kg.trace(ZONE, None).unwrap();
    let all = goal_ids(&full);
    assert_eq!(full.total, 3 + 4 + 5 + 6);
    assert_eq!(all.len(), full.total);
    for offset in 0..=full.total + 1 {
        for limit in [1, 2, 5, 7, 100] {
            let page = kg.trace_page(ZONE, offset, Some(limit)).unwrap();
            let from = offset.min(full.total);
            let to = (offset + limit).min(full.total);
            assert_eq!(
                goal_ids(&page),
                all[from..to],
                "offset {offset} limit {limit}"
            );
            assert_eq!((page.total, page.offset), (full.total, offset));
            assert_eq!(page.groups, full.groups, "groups count the whole trace");
        }
    }
    // with no limit: everything from the offset
    let rest = kg.trace_page(ZONE, 4, None).unwrap();
    assert_eq!(goal_ids(&rest), all[4..]);
    // the order is unit, year, category (重点 before 创优), number as a number
    let first: Vec<_> = full.goals[..4]
        .iter()
        .map(|g| {
            (
                g.goal.place.unit.as_str(),
                g.goal.place.year,
                g.goal.place.number.as_str(),
            )
        })
        .collect();
    assert_eq!(
        first,
        [
            ("区科委", Some(2023), "1"),
            ("区科委", Some(2023), "3"),
            ("区科委", Some(2023), "7"),
            ("区科委", Some(2023), "2"),
        ]
    );
}

#[test]
fn trace_groups_count_the_goals_of_each_unit_and_year_in_trace_order() {
    let kg = paged_graph();
    let full = kg.trace(ZONE, None).unwrap();
    assert_eq!(
        full.groups.iter().map(|g| g.goals).sum::<usize>(),
        full.total
    );
    // The groups as the goals themselves run: consecutive runs of (unit, year).
    let mut runs: Vec<(String, Option<u16>, usize)> = Vec::new();
    for g in &full.goals {
        let key = (g.goal.place.unit.clone(), g.goal.place.year);
        match runs.last_mut() {
            Some((u, y, n)) if (u.clone(), *y) == key => *n += 1,
            _ => runs.push((key.0, key.1, 1)),
        }
    }
    let groups: Vec<(String, Option<u16>, usize)> = full
        .groups
        .iter()
        .map(|g| (g.unit.clone(), g.year, g.goals))
        .collect();
    assert_eq!(groups, runs);
    assert_eq!(
        groups,
        [
            ("区科委".to_string(), Some(2023), 6),
            ("市发展改革委".to_string(), Some(2021), 4),
            ("市科技局".to_string(), Some(2021), 5),
            ("市科技局".to_string(), Some(2022), 3),
        ]
    );
}

/// (unit, year, goals) of a trace group.
type Group = (String, Option<u16>, usize);

fn page_of(view: &GraphView, store: &GraphStore, offset: usize) -> (Vec<String>, Vec<Group>) {
    let entity = store.node(&entity_id(Place, ZONE)).unwrap().unwrap();
    let t = view.trace_page(store, entity, offset, Some(4)).unwrap();
    (
        t.goals.iter().map(|g| g.goal.id.clone()).collect(),
        t.groups
            .iter()
            .map(|g| (g.unit.clone(), g.year, g.goals))
            .collect(),
    )
}

#[test]
fn the_view_keeps_goal_sort_keys_in_step_with_writes_and_snapshots() {
    let store = GraphStore::temporary().unwrap();
    let docs = paged_docs();
    store.write_document(&docs[0]).unwrap();
    let mut view = GraphView::build(&store).unwrap();
    for d in &docs[1..] {
        let change = store.write_document(d).unwrap();
        assert!(view.follow(&store, &change).unwrap());
    }
    // A new version of a document moves its goals to another year and renumbers them.
    let moved = document(
        "paged1",
        "v2",
        "市发展改革委",
        2020,
        &[
            goal("p1-7", "目标", "重点目标", "30").rel(Mentions, Place, ZONE, "高新区。"),
            goal("p1-12", "目标", "重点目标", "4").rel(Mentions, Place, ZONE, "高新区。"),
        ],
        &[],
        &[],
    );
    let change = store.write_document(&moved).unwrap();
    assert!(view.follow(&store, &change).unwrap());
    let fresh = GraphView::build(&store).unwrap();
    for offset in [0, 3, 6, 12] {
        assert_eq!(
            page_of(&view, &store, offset),
            page_of(&fresh, &store, offset)
        );
    }
    let (ids, groups) = page_of(&view, &store, 6);
    assert_eq!(ids, ["p1-12", "p1-7", "p2-1", "p2-3"]);
    assert!(groups.contains(&("市发展改革委".to_string(), Some(2020), 2)));

    // A snapshot keeps the keys; one of the former format is not read.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("graph.view");
    view.save(&path).unwrap();
    let loaded = GraphView::load(&path, &store).expect("a current snapshot loads");
    for offset in [0, 3, 6, 12] {
        assert_eq!(
            page_of(&loaded, &store, offset),
            page_of(&fresh, &store, offset)
        );
    }
    let mut old = std::fs::read(&path).unwrap();
    old.truncate(old.len() - 8);
    let magic = b"plangraph graph view v2\n";
    assert!(old.starts_with(magic));
    old[magic.len() - 2] = b'1';
    let sum = xxhash_rust::xxh3::xxh3_64(&old);
    old.extend_from_slice(&sum.to_le_bytes());
    std::fs::write(&path, &old).unwrap();
    assert!(
        GraphView::load(&path, &store).is_none(),
        "a v1 snapshot is built again"
    );
}

// ---- on the seed (needs the ingest and extraction pipeline) ----

fn seeded() -> KnowledgeGraph {
    let kg = KnowledgeGraph::temporary().unwrap();
    let report = kg
        .ingest_paths(&[common::seed_path()], &mut |_| {})
        .unwrap();
    assert_eq!(report.failed, 0, "{:?}", report.files);
    kg
}

fn traced_titles(kg: &KnowledgeGraph, name: &str) -> Vec<String> {
    kg.trace(name, None)
        .unwrap_or_else(|e| panic!("trace {name}: {e}"))
        .goals
        .into_iter()
        .map(|g| g.goal.name)
        .collect()
}

#[test]
fn seed_trace_of_the_supercomputing_centre_finds_the_platform_goal() {
    let kg = seeded();
    let t = kg.trace("国家超级计算中心", None).unwrap();
    let g = t
        .goals
        .iter()
        .find(|g| g.goal.name == "加快高端创新平台建设")
        .expect("the platform goal depends on the supercomputing centre");
    assert!(g.evidence.contains("国家超级计算中心"), "{}", g.evidence);
    assert_eq!(
        (g.goal.place.unit.as_str(), g.goal.place.year),
        ("市科技局", Some(2021))
    );
}

#[test]
fn seed_trace_of_the_high_tech_zone_finds_both_goals_that_mention_it() {
    let kg = seeded();
    let titles = traced_titles(&kg, "高新区");
    assert!(
        titles.contains(&"强化科技人才引进培养".to_string()),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"深化科技管理改革".to_string()),
        "{titles:?}"
    );
    // Sorted: 重点目标 3 before 创优目标 1.
    let talent = titles
        .iter()
        .position(|t| t == "强化科技人才引进培养")
        .unwrap();
    let reform = titles.iter().position(|t| t == "深化科技管理改革").unwrap();
    assert!(talent < reform);
}

#[test]
fn seed_trace_of_cas_reaches_the_platform_goal_through_part_of() {
    let kg = seeded();
    let t = kg.trace("中科院", None).unwrap();
    let g = t
        .goals
        .iter()
        .find(|g| g.goal.name == "加快高端创新平台建设")
        .expect("reached through 中科院海洋大科学研究中心");
    assert!(
        g.path.iter().any(|e| e.label == EdgeLabel::PartOf),
        "{:?}",
        g.path
    );
}

#[test]
fn seed_trace_of_an_alias_finds_the_fund_goal() {
    let kg = seeded();
    let titles = traced_titles(&kg, "北方基金");
    assert!(
        titles.contains(&"加强科技金融服务支撑".to_string()),
        "{titles:?}"
    );
}

#[test]
fn seed_path_joins_institutions_of_two_different_goals() {
    let kg = seeded();
    let p = kg.path("国家超级计算中心", "中德青年科学院", &[]).unwrap();
    // institution ← goal ← unit → goal → institution: the two goals share nothing else
    assert_eq!(p.length, 4);
    assert_eq!(p.nodes.len(), 5);
    assert_eq!(p.nodes[2].name, "市科技局");
    assert_eq!(p.nodes.first().unwrap().name, "国家超级计算中心");
    assert_eq!(p.nodes.last().unwrap().name, "中德青年科学院");
}

// ---- the command line ----

/// A data folder holding the sample documents, closed again so the binary can open it.
fn sample_data_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let kg = KnowledgeGraph::open(dir.path()).unwrap();
    for d in sample_docs() {
        kg.store().write_document(&d).unwrap();
    }
    kg.sync_index().unwrap();
    kg.store().flush().unwrap();
    dir
}

#[test]
fn the_cli_prints_the_same_json_as_the_facade_and_readable_tables() {
    let dir = sample_data_dir();
    let json = |args: &[&str]| -> serde_json::Value {
        let out = plangraph(dir.path(), args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let trace = json(&["trace", "中科院", "--json"]);
    let path = json(&["path", SUPERCOMPUTER, "半岛科创联盟", "--json"]);
    let neighbors = json(&["neighbors", ZONE, "--depth", "2", "--json"]);
    let rank = json(&["rank", "--kind", "institution", "--limit", "3", "--json"]);
    let co = json(&["co-dependent", "强化科技人才引进培养", "--json"]);

    let kg = KnowledgeGraph::open(dir.path()).unwrap();
    let same = |v: &serde_json::Value, expected: serde_json::Value| assert_eq!(v, &expected);
    same(
        &trace,
        serde_json::to_value(kg.trace("中科院", None).unwrap()).unwrap(),
    );
    same(
        &path,
        serde_json::to_value(kg.path(SUPERCOMPUTER, "半岛科创联盟", &[]).unwrap()).unwrap(),
    );
    let req = NeighborsRequest {
        depth: 2,
        ..Default::default()
    };
    same(
        &neighbors,
        serde_json::to_value(kg.neighbors(ZONE, &req).unwrap()).unwrap(),
    );
    same(
        &rank,
        serde_json::to_value(kg.rank(Some(Institution), 3).unwrap()).unwrap(),
    );
    same(
        &co,
        serde_json::to_value(kg.co_dependent("强化科技人才引进培养", &[], 50).unwrap()).unwrap(),
    );
    drop(kg);

    for args in [
        vec!["trace", "中科院"],
        vec!["path", SUPERCOMPUTER, "半岛科创联盟"],
        vec!["neighbors", ZONE],
        vec!["rank"],
        vec!["co-dependent", "强化科技人才引进培养"],
    ] {
        let out = plangraph(dir.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains('│') || text.contains("hop"),
            "{args:?}: {text} / {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let trace_text =
        String::from_utf8_lossy(&plangraph(dir.path(), &["trace", "中科院"]).stdout).to_string();
    assert!(trace_text.contains("市科技局 2021") && trace_text.contains("市科技局 2022"));
    assert!(
        trace_text.contains(CAS_CENTRE),
        "the via column names the part"
    );
}

#[test]
fn the_cli_exits_1_with_suggestions_for_unknown_names_and_2_for_bad_usage() {
    let dir = sample_data_dir();
    let out = plangraph(dir.path(), &["trace", "国家超算中心"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("did you mean") && err.contains(SUPERCOMPUTER),
        "{err}"
    );
    assert!(out.stdout.is_empty());

    let out = plangraph(
        dir.path(),
        &[
            "path",
            SUPERCOMPUTER,
            "半岛科创联盟",
            "--label",
            "depends_on",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "no path");
    let out = plangraph(dir.path(), &["neighbors", ZONE, "--depth", "abc"]);
    assert_eq!(out.status.code(), Some(2));
    let out = plangraph(dir.path(), &["rank", "--kind", "lab"]);
    assert_eq!(out.status.code(), Some(2));
    let out = plangraph(dir.path(), &["rank", "--kind", "goal"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_view_snapshot_is_read_back_only_while_it_matches_the_store() {
    let store = GraphStore::temporary().unwrap();
    for d in sample_docs() {
        store.write_document(&d).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("graph.view");
    let built = GraphView::build(&store).unwrap();
    built.save(&path).unwrap();
    let loaded = GraphView::load(&path, &store).expect("a current snapshot loads");
    assert_eq!(node_set(&loaded), node_set(&built));
    assert_eq!(edge_set(&loaded), edge_set(&built));
    assert_eq!(loaded.generation(), built.generation());
    assert_eq!(
        loaded.trace_goal_ids(&entity_id(Organization, CAS)).len(),
        2,
        "a loaded view walks like a built one"
    );

    // Damaged or cut short: ignored.
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
    assert!(GraphView::load(&path, &store).is_none());
    let mut flipped = bytes.clone();
    flipped[bytes.len() / 2] ^= 1;
    std::fs::write(&path, &flipped).unwrap();
    assert!(GraphView::load(&path, &store).is_none());

    // Taken before the last write: ignored.
    std::fs::write(&path, &bytes).unwrap();
    store
        .write_document(&document(
            "later",
            "v1",
            "市科技局",
            2023,
            &[goal("gl", "新", "重点目标", "1")],
            &[],
            &[],
        ))
        .unwrap();
    assert!(GraphView::load(&path, &store).is_none());
}

#[test]
fn the_facade_saves_its_view_and_a_reopened_graph_answers_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join(plangraph::knowledge_graph::GRAPH_SNAPSHOT);
    let first = {
        let kg = KnowledgeGraph::open(dir.path()).unwrap();
        for d in sample_docs() {
            kg.store().write_document(&d).unwrap();
        }
        kg.sync_index().unwrap();
        let t = kg.trace(CAS, None).unwrap();
        assert!(snapshot.exists(), "saved after the first build");
        serde_json::to_value(t).unwrap()
    };
    let kg = KnowledgeGraph::open(dir.path()).unwrap();
    assert_eq!(
        serde_json::to_value(kg.trace(CAS, None).unwrap()).unwrap(),
        first
    );
    // Nothing changed: nothing to save.
    assert!(!kg.save_graph().unwrap());
    // A write behind the facade's back: the snapshot no longer matches, the view is
    // rebuilt from the store and saved again.
    kg.store()
        .write_document(&document(
            "later",
            "v1",
            "市科技局",
            2023,
            &[goal("g-later", "新目标", "重点目标", "1").rel(
                DependsOn,
                Organization,
                CAS,
                "中科院。",
            )],
            &[],
            &[],
        ))
        .unwrap();
    assert_eq!(kg.trace(CAS, None).unwrap().total, 3);
    drop(kg);
    let kg = KnowledgeGraph::open(dir.path()).unwrap();
    assert_eq!(kg.trace(CAS, None).unwrap().total, 3);
}
