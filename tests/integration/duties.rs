//! Responsibility: 责任单位 / 牵头单位 / 配合单位 tags, 由X负责 and X牵头，Y配合 become
//! `responsible` edges (role lead/support) to organisation nodes shared across documents;
//! `duties` lists an organisation's goals by year, `trace` reaches them, and the HTTP route
//! answers the same. Scored against `tests/fixtures/names/gold.json`.

use crate::common::repo_path;
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode};
use plangraph::knowledge_graph::KnowledgeGraph;
use plangraph::model::{entity_id, NodeKind};
use plangraph::{EdgeLabel, Error};
use serde_json::Value;
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::Arc;
use tower::ServiceExt;

const DOCS: [&str; 2] = [
    "tests/fixtures/names/gongxin-2022-work-points.txt",
    "tests/fixtures/names/keji-2023-work-points.txt",
];

fn gold() -> Value {
    let text = std::fs::read_to_string(repo_path("tests/fixtures/names/gold.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn graph(order: &[usize]) -> KnowledgeGraph {
    let kg = KnowledgeGraph::temporary().unwrap();
    for &i in order {
        let path = repo_path(DOCS[i]);
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        kg.ingest_bytes(name, &bytes).unwrap();
    }
    kg
}

/// Every (year, number, office, role) the stored graph holds.
fn found(kg: &KnowledgeGraph) -> BTreeSet<(u64, String, String, String)> {
    let mut out = BTreeSet::new();
    let nodes: Vec<_> = kg.store().nodes().map(Result::unwrap).collect();
    for n in nodes.iter().filter(|n| n.kind == NodeKind::Goal) {
        for e in kg
            .store()
            .edges_out(&n.id, Some(EdgeLabel::Responsible))
            .unwrap()
        {
            let office = kg.store().node(&e.target).unwrap().unwrap();
            assert_eq!(office.kind, NodeKind::Organization, "{office:?}");
            assert!(e.evidence().is_some(), "{e:?}");
            out.insert((
                n.props["year"].as_u64().unwrap(),
                n.props["number"].as_str().unwrap().to_string(),
                office.name,
                e.props["role"].as_str().unwrap().to_string(),
            ));
        }
    }
    out
}

fn gold_set() -> BTreeSet<(u64, String, String, String)> {
    gold()["responsible"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["year"].as_u64().unwrap(),
                r["number"].as_str().unwrap().to_string(),
                r["office"].as_str().unwrap().to_string(),
                r["role"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn responsibility_matches_the_gold_in_either_ingest_order() {
    let want = gold_set();
    for order in [[0, 1], [1, 0]] {
        let kg = graph(&order);
        let got = found(&kg);
        let missing: Vec<_> = want.difference(&got).collect();
        let extra: Vec<_> = got.difference(&want).collect();
        eprintln!(
            "responsibility, order {order:?}: {} found, {} gold, {} missing, {} extra",
            got.len(),
            want.len(),
            missing.len(),
            extra.len()
        );
        assert!(
            missing.is_empty() && extra.is_empty(),
            "missing {missing:?}, extra {extra:?}"
        );
        // 由 is never part of a name
        for bad in gold()["not_names"].as_array().unwrap() {
            let bad = bad.as_str().unwrap();
            assert!(
                kg.store().ids_named(bad).unwrap().is_empty(),
                "{bad} is a node"
            );
        }
    }
}

#[test]
fn duties_lists_an_office_by_year_with_role_document_and_evidence() {
    let kg = graph(&[0, 1]);
    let want = gold_set();
    for office in ["市科技局", "市财政局", "市税务局"] {
        let d = kg.duties(office, None).unwrap();
        assert_eq!(d.organization.id, entity_id(NodeKind::Organization, office));
        let expected: BTreeSet<(u64, String, String)> = want
            .iter()
            .filter(|(_, _, o, _)| o == office)
            .map(|(y, n, _, r)| (*y, n.clone(), r.clone()))
            .collect();
        let mut got = BTreeSet::new();
        let mut years = Vec::new();
        for y in &d.years {
            years.push(y.year.unwrap());
            for g in &y.goals {
                assert_eq!(g.goal.place.year, y.year);
                assert!(g.document.is_some() && g.document_title.is_some());
                assert!(g.evidence.contains(office), "{}: {}", office, g.evidence);
                assert!(!g.goal.place.unit.is_empty());
                got.insert((
                    y.year.unwrap() as u64,
                    g.goal.place.number.clone(),
                    g.role.clone(),
                ));
            }
        }
        assert_eq!(got, expected, "{office}");
        assert_eq!(d.total, expected.len());
        let mut sorted = years.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(years, sorted, "one group a year, oldest first");

        // one year only
        let only = kg.duties(office, Some(2023)).unwrap();
        assert!(only.years.iter().all(|y| y.year == Some(2023)));
        assert_eq!(
            only.total,
            expected.iter().filter(|(y, _, _)| *y == 2023).count()
        );

        // trace of the office reaches the same goals through the responsible edge
        let trace = kg.trace(office, None).unwrap();
        let traced: BTreeSet<&str> = trace.goals.iter().map(|g| g.goal.id.as_str()).collect();
        for y in &d.years {
            for g in &y.goals {
                assert!(
                    traced.contains(g.goal.id.as_str()),
                    "{office}: {}",
                    g.goal.name
                );
            }
        }
        assert!(trace
            .goals
            .iter()
            .any(|g| g.relation == EdgeLabel::Responsible));
    }
    match kg.duties("没有这个单位", None) {
        Err(Error::NotFound { .. }) => {}
        other => panic!("{other:?}"),
    }
    // stats count the new label
    let stats = kg.stats().unwrap();
    assert_eq!(
        stats.edges_by_name().get("responsible").copied(),
        Some(gold_set().len() as u64)
    );
}

#[tokio::test]
async fn the_duties_route_answers_as_the_facade_and_refuses_bad_input() {
    let kg = Arc::new(graph(&[0, 1]));
    let app = plangraph::http::router(plangraph::http::AppState::new(kg.clone(), None))
        .layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 9))));
    let get = |uri: String| {
        let app = app.clone();
        async move {
            let res = app
                .oneshot(Request::get(uri).body(Body::empty()).unwrap())
                .await
                .unwrap();
            let status = res.status();
            let body = axum::body::to_bytes(res.into_body(), usize::MAX)
                .await
                .unwrap();
            (status, serde_json::from_slice::<Value>(&body).unwrap())
        }
    };
    let name = "%E5%B8%82%E7%A7%91%E6%8A%80%E5%B1%80"; // 市科技局
    let (status, body) = get(format!("/api/duties?name={name}&year=2022")).await;
    assert_eq!(status, StatusCode::OK);
    let direct = serde_json::to_value(kg.duties("市科技局", Some(2022)).unwrap()).unwrap();
    assert_eq!(body, direct);
    assert_eq!(body["years"][0]["goals"][0]["role"], "lead");
    let (status, body) = get("/api/duties?name=%E6%B2%A1%E6%9C%89".into()).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = get(format!("/api/duties?name={name}&year=abc")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["error"]["message"].as_str().unwrap().contains("year"),
        "{body}"
    );
    let (status, _) = get("/api/duties".into()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[test]
fn responsible_edges_travel_through_every_export_and_back() {
    let tmp = tempfile::tempdir().unwrap();
    let kg = graph(&[0, 1]);
    let jsonl = |k: &KnowledgeGraph| {
        let mut out = Vec::new();
        k.export_jsonl(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let first = jsonl(&kg);
    let edges: Vec<Value> = first
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["type"] == "edge" && v["label"] == "responsible")
        .collect();
    assert_eq!(edges.len(), gold_set().len());
    assert!(edges
        .iter()
        .all(|e| matches!(e["props"]["role"].as_str(), Some("lead" | "support"))));
    let file = tmp.path().join("g.jsonl");
    std::fs::write(&file, &first).unwrap();
    let data = tmp.path().join("copy");
    plangraph::export::import::import_jsonl(&data, &file, &mut |_| {}).unwrap();
    let copy = KnowledgeGraph::open(&data).unwrap();
    assert_eq!(jsonl(&copy), first);
    assert_eq!(
        serde_json::to_value(copy.duties("市科技局", None).unwrap()).unwrap(),
        serde_json::to_value(kg.duties("市科技局", None).unwrap()).unwrap()
    );

    let mut graphml = Vec::new();
    plangraph::export::graphml::write(kg.store(), &mut graphml, &mut |_| {}).unwrap();
    let graphml = String::from_utf8(graphml).unwrap();
    assert_eq!(
        graphml.matches(">responsible<").count(),
        gold_set().len(),
        "one labelled edge each"
    );
    let mut ttl = Vec::new();
    plangraph::export::turtle::write(kg.store(), &mut ttl, &mut |_| {}).unwrap();
    let ttl = String::from_utf8(ttl).unwrap();
    assert!(
        ttl.contains("responsible"),
        "the relation is in the vocabulary"
    );
    let dir = tmp.path().join("neo4j");
    plangraph::export::neo4j::write(kg.store(), &dir, &mut |_| {}).unwrap();
    let files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        files
            .iter()
            .any(|f| f == "relationships_responsible.goal-organization.csv"),
        "{files:?}"
    );
    let cypher = std::fs::read_to_string(dir.join("graph.cypher")).unwrap();
    assert!(cypher.contains("RESPONSIBLE"));
}

#[test]
fn a_responsibility_column_of_a_goal_table_gives_responsible_edges() {
    let text = "2023年度市直单位业务目标\n单位名称：市工业和信息化局\n\
类别\t序号\t目标名称\t目标内容\t完成时限\t责任单位\n\
重点目标\n\
1\t建设工业互联网平台\t推进平台建设，接入企业100家。\t12月底\t产业发展处、市大数据局\n\
2\t培育专精特新企业\t新增专精特新企业30家。\t11月底\t中小企业处\n";
    let kg = KnowledgeGraph::temporary().unwrap();
    kg.ingest_bytes("table-2023.txt", text.as_bytes()).unwrap();
    let got: BTreeSet<_> = found(&kg)
        .into_iter()
        .map(|(_, n, o, r)| (n, o, r))
        .collect();
    let want: BTreeSet<(String, String, String)> = [
        ("1", "产业发展处", "lead"),
        ("1", "市大数据局", "support"),
        ("2", "中小企业处", "lead"),
    ]
    .iter()
    .map(|(n, o, r)| (n.to_string(), o.to_string(), r.to_string()))
    .collect();
    assert_eq!(got, want);
    // the deadline stays in the content; the goal titles are untouched
    let goal = kg.resolve("建设工业互联网平台").unwrap();
    assert!(goal.props["content"].as_str().unwrap().contains("12月底"));
}
