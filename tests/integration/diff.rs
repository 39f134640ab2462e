//! `diff UNIT FROM TO` on the seed (2021) and the second-year document (2022) of 市科技局,
//! against the fixture's gold: continued pairs, added, dropped, and each target change.

use crate::common::seed_path;
use crate::continues::{gold, gold_pairs, second_year_path};
use plangraph::knowledge_graph::{Diff, KnowledgeGraph};
use plangraph::model::normalize_name;
use plangraph::Error;
use std::collections::{BTreeMap, BTreeSet};

fn two_years() -> KnowledgeGraph {
    let kg = KnowledgeGraph::temporary().unwrap();
    let report = kg
        .ingest_paths(&[second_year_path(), seed_path()], &mut |_| {})
        .unwrap();
    assert_eq!(report.failed, 0, "{report:?}");
    kg
}

fn titles(goals: &[plangraph::model::GoalSummary]) -> BTreeSet<String> {
    goals.iter().map(|g| normalize_name(&g.name)).collect()
}

fn strings(v: &serde_json::Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| normalize_name(s.as_str().unwrap()))
        .collect()
}

pub fn check_diff(d: &Diff) {
    let gold = gold();
    let pairs: BTreeMap<String, String> = d
        .continued
        .iter()
        .map(|c| (normalize_name(&c.new.name), normalize_name(&c.old.name)))
        .collect();
    assert_eq!(pairs, gold_pairs(), "continued");
    assert!(d
        .continued
        .iter()
        .all(|c| c.score > 0.0 && !c.reason.is_empty()));
    assert_eq!(titles(&d.added), strings(&gold["added"]), "added");
    assert_eq!(titles(&d.dropped), strings(&gold["dropped"]), "dropped");
    // each gold target change is found with its figures, unit and change
    for t in gold["targets"].as_array().unwrap() {
        let raw = |k: &str| t[k].as_str().map(normalize_name);
        let found = d.targets.iter().find(|c| {
            c.old.as_deref().map(normalize_name) == raw("old")
                && c.new.as_deref().map(normalize_name) == raw("new")
                && c.unit == t["unit"].as_str().unwrap()
        });
        let c = found.unwrap_or_else(|| panic!("target change {t} in {:#?}", d.targets));
        assert_eq!(c.change, t["change"].as_str().unwrap(), "{t}");
        if c.subject_id.is_some() {
            assert_eq!(normalize_name(&c.subject), raw("subject").unwrap(), "{t}");
        }
    }
}

#[test]
fn the_diff_of_two_years_is_the_gold_continued_added_dropped_and_targets() {
    let kg = two_years();
    let d = kg.diff("市科技局", 2021, 2022).unwrap();
    check_diff(&d);
    let gold = gold();
    // every platform and policy document of the gold that the graph holds as a node is
    // listed on its side (青岛技术交易市场 is not read as a name by the extractor)
    let ids = |v: &[plangraph::knowledge_graph::MentionedNode]| -> BTreeSet<String> {
        v.iter().map(|n| n.id.clone()).collect()
    };
    let mut held = 0;
    for (part, list) in [("platforms", &d.platforms), ("documents", &d.documents)] {
        for (side, found) in [
            ("newly_relied_on", ids(&list.newly_relied_on)),
            ("no_longer_mentioned", ids(&list.no_longer_mentioned)),
        ] {
            for name in gold[part][side].as_array().into_iter().flatten() {
                let name = name.as_str().unwrap();
                if let Ok(node) = kg.resolve(name) {
                    if normalize_name(&node.name) == normalize_name(name) {
                        held += 1;
                        assert!(found.contains(&node.id), "{part} {side}: {name}");
                    }
                }
            }
        }
    }
    assert!(held >= 6, "{held} gold names are nodes");
    // the same through the other direction: what was added is what is dropped
    let back = kg.diff("市科技局", 2022, 2021).unwrap();
    assert_eq!(titles(&back.added), titles(&d.dropped));
    assert_eq!(titles(&back.dropped), titles(&d.added));
}

#[test]
fn an_unknown_unit_or_a_year_without_a_document_names_the_parameter() {
    let kg = two_years();
    for (unit, from, to, param) in [
        ("没有这个单位", 2021, 2022, "unit"),
        ("市科技局", 2019, 2022, "from"),
        ("市科技局", 2021, 2030, "to"),
    ] {
        match kg.diff(unit, from, to) {
            Err(Error::InvalidParam { param: p, reason }) => {
                assert_eq!(p, param, "{reason}");
                assert!(reason.contains("2021") || param == "unit", "{reason}");
            }
            other => panic!("{unit} {from} {to}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn get_api_diff_answers_as_the_facade_and_names_bad_parameters() {
    use axum::body::Body;
    use axum::extract::connect_info::MockConnectInfo;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;
    let kg = std::sync::Arc::new(two_years());
    let want = serde_json::to_value(kg.diff("市科技局", 2021, 2022).unwrap()).unwrap();
    let app = plangraph::http::router(plangraph::http::AppState::new(kg, None)).layer(
        MockConnectInfo(std::net::SocketAddr::from(([127, 0, 0, 1], 40000))),
    );
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
            (
                status,
                serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
            )
        }
    };
    let unit = "%E5%B8%82%E7%A7%91%E6%8A%80%E5%B1%80"; // 市科技局
    let (status, body) = get(format!("/api/diff?unit={unit}&from=2021&to=2022")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, want);
    let d: Diff = serde_json::from_value(body).unwrap();
    check_diff(&d);
    for (query, param) in [
        ("unit=x&from=2021&to=2022".to_string(), "unit"),
        (format!("unit={unit}&from=2019&to=2022"), "from"),
        (format!("unit={unit}&from=2021&to=2030"), "to"),
        (format!("unit={unit}&from=abc&to=2022"), "from"),
        (format!("unit={unit}&from=2021"), "to"),
        ("unit=%20&from=2021&to=2022".to_string(), "unit"),
    ] {
        let (status, body) = get(format!("/api/diff?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        let named = body["error"]["param"].as_str().unwrap_or_default();
        let message = body["error"]["message"].as_str().unwrap();
        assert!(named == param || message.contains(param), "{query}: {body}");
    }
}

#[test]
fn diff_lists_the_offices_newly_and_no_longer_responsible() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let y1 = write(
        "y1.txt",
        "市海洋局2023年工作要点\n一、建设海洋平台\n1.建设海洋技术创新中心。推动中心与企业共建联合实验室。（牵头单位：市海洋局；配合单位：市财政局）\n",
    );
    let y2 = write(
        "y2.txt",
        "市海洋局2024年工作要点\n一、建设海洋平台\n1.建设海洋技术创新中心。推动中心与高校共建联合实验室。（牵头单位：市海洋局；配合单位：市教育局）\n",
    );
    let kg = KnowledgeGraph::temporary().unwrap();
    let report = kg.ingest_paths(&[y1, y2], &mut |_| {}).unwrap();
    assert_eq!(report.failed, 0, "{report:?}");
    let d = kg.diff("市海洋局", 2023, 2024).unwrap();
    let names = |v: &[plangraph::knowledge_graph::MentionedNode]| -> Vec<String> {
        v.iter().map(|n| n.name.clone()).collect()
    };
    assert_eq!(names(&d.responsible.newly_relied_on), vec!["市教育局"]);
    assert_eq!(names(&d.responsible.no_longer_mentioned), vec!["市财政局"]);
    assert_eq!(d.continued.len(), 1, "{:?}", d.continued);
}
