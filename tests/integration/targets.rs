//! `targets`: every numeric target of the seed and its second year
//! (`tests/fixtures/second_year/`), a subject's series across years scored against the
//! gold's `targets` (raised, lowered, unchanged, removed, new), subjects found through
//! aliases and classes, filters, sorting, paging, bad input and the HTTP route.

use crate::common::{repo_path, seed_path};
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode};
use plangraph::knowledge_graph::{KnowledgeGraph, TargetSort, TargetsRequest};
use plangraph::model::{normalize_name, NodeKind};
use plangraph::{EdgeLabel, Error};
use serde_json::Value;
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::Arc;
use tower::ServiceExt;

const DIR: &str = "tests/fixtures/second_year";

fn gold() -> Value {
    let text = std::fs::read_to_string(repo_path(&format!("{DIR}/gold.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn second_year() -> std::path::PathBuf {
    repo_path(&format!(
        "{DIR}/{}",
        gold()["document"]["file"].as_str().unwrap()
    ))
}

fn graph(paths: &[std::path::PathBuf]) -> KnowledgeGraph {
    let kg = KnowledgeGraph::temporary().unwrap();
    for path in paths {
        let bytes = std::fs::read(path).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        kg.ingest_bytes(name, &bytes).unwrap();
    }
    kg
}

fn subject(s: &str) -> TargetsRequest {
    TargetsRequest {
        subject: Some(s.to_string()),
        ..Default::default()
    }
}

fn all() -> TargetsRequest {
    TargetsRequest {
        limit: Some(1000),
        ..Default::default()
    }
}

#[test]
fn every_gold_subject_has_its_series_across_the_two_years() {
    let gold = gold();
    let (old_year, new_year) = (
        gold["previous"]["year"].as_u64().unwrap() as u16,
        gold["document"]["year"].as_u64().unwrap() as u16,
    );
    let unit = gold["document"]["unit"].as_str().unwrap();
    // Either ingest order gives the same series.
    for paths in [
        vec![seed_path(), second_year()],
        vec![second_year(), seed_path()],
    ] {
        let kg = graph(&paths);
        for row in gold["targets"].as_array().unwrap() {
            let s = row["subject"].as_str().unwrap();
            let list = kg.targets(&subject(s)).unwrap();
            assert_eq!(list.total, list.series.len(), "{s}: one point per target");
            let years: Vec<Option<u16>> = list.series.iter().map(|p| p.year).collect();
            let mut sorted = years.clone();
            sorted.sort();
            assert_eq!(years, sorted, "{s}: oldest year first");
            let at = |year: u16| -> Vec<String> {
                list.series
                    .iter()
                    .filter(|p| p.year == Some(year))
                    .map(|p| normalize_name(&p.raw))
                    .collect()
            };
            for (key, year) in [("old", old_year), ("new", new_year)] {
                match row[key].as_str() {
                    Some(v) => assert_eq!(at(year), vec![normalize_name(v)], "{s} {year}"),
                    None => assert!(at(year).is_empty(), "{s}: nothing in {year}"),
                }
            }
            for p in &list.series {
                assert_eq!(p.unit.as_deref(), row["unit"].as_str(), "{s}: {p:?}");
                assert_eq!(p.owner, unit);
            }
            // Every row of the page carries its goal, evidence and value.
            for t in &list.targets {
                assert!(
                    !t.evidence.is_empty() && t.evidence.contains(&t.raw),
                    "{t:?}"
                );
                assert!(t.value.is_some(), "{t:?}");
                let goal = kg.store().node(&t.goal.id).unwrap().unwrap();
                assert_eq!(goal.kind, NodeKind::Goal);
                assert_eq!(goal.name, t.goal.name);
            }
            // The change the gold names follows from the two values.
            let value = |year: u16| {
                list.series
                    .iter()
                    .find(|p| p.year == Some(year))
                    .map(|p| p.high.or(p.value).unwrap())
            };
            let change = match (value(old_year), value(new_year)) {
                (Some(a), Some(b)) if b > a => "raised",
                (Some(a), Some(b)) if b < a => "lowered",
                (Some(_), Some(_)) => "unchanged",
                (Some(_), None) => "removed",
                (None, Some(_)) => "new",
                (None, None) => "absent",
            };
            assert_eq!(change, row["change"].as_str().unwrap(), "{s}");
        }
    }
}

#[test]
fn a_subject_is_found_through_its_aliases_and_classes() {
    let kg = graph(&[seed_path(), second_year()]);
    // Every target that measures a node is found from that node's every alias.
    let list = kg.targets(&all()).unwrap();
    let mut checked = 0;
    let measured: BTreeSet<String> = list
        .targets
        .iter()
        .filter_map(|t| t.subject_node.as_ref().map(|n| n.id.clone()))
        .collect();
    for id in &measured {
        let node = kg.store().node(id).unwrap().unwrap();
        let ids = |q: &str| -> BTreeSet<String> {
            let l = kg.targets(&subject(q)).unwrap();
            assert_eq!(l.subject.as_ref().map(|n| n.id.as_str()), Some(id.as_str()));
            l.targets.into_iter().map(|t| t.id).collect()
        };
        let by_name = ids(&node.name);
        let want: BTreeSet<String> = list
            .targets
            .iter()
            .filter(|t| t.subject_node.as_ref().is_some_and(|n| &n.id == id))
            .map(|t| t.id.clone())
            .collect();
        assert!(want.is_subset(&by_name), "{}", node.name);
        for alias in kg.store().aliases_of(&node).unwrap() {
            assert_eq!(ids(&alias), by_name, "{alias} → {}", node.name);
            checked += 1;
        }
    }
    assert!(checked > 0, "some measured subject has an alias");
    // 高企, the dictionary's short form, finds the class 高新技术企业 and not its listed kin.
    let short = kg.targets(&subject("高企")).unwrap();
    let class = short.subject.clone().unwrap();
    assert_eq!(class.name, "高新技术企业");
    assert_eq!(class.props.get("class"), Some(&Value::Bool(true)));
    assert_eq!(short.total, 2);
    assert!(short
        .targets
        .iter()
        .all(|t| t.subject_node.as_ref().unwrap().name == "高新技术企业"));
    // An alias found only in the subject as written (北方基金年度投资额) joins the fund.
    let fund = kg.targets(&subject("北方基金")).unwrap();
    assert_eq!(fund.subject.unwrap().name, "齐鲁前海（青岛）创业投资基金");
    assert_eq!(fund.total, 1);
}

#[test]
fn filters_sorting_and_paging_cover_every_target_once() {
    let kg = graph(&[seed_path(), second_year()]);
    let store_targets: BTreeSet<String> = kg
        .store()
        .nodes()
        .map(Result::unwrap)
        .filter(|n| n.kind == NodeKind::Target)
        .filter(|n| {
            !kg.store()
                .edges_in(&n.id, Some(EdgeLabel::SetsTarget))
                .unwrap()
                .is_empty()
        })
        .map(|n| n.id)
        .collect();
    let list = kg.targets(&all()).unwrap();
    assert_eq!(list.total, store_targets.len());
    let listed: BTreeSet<String> = list.targets.iter().map(|t| t.id.clone()).collect();
    assert_eq!(listed, store_targets);
    assert!(list.series.is_empty(), "a series only for one subject");

    // Year and unit filters split the whole list.
    let y = |year| {
        kg.targets(&TargetsRequest {
            year: Some(year),
            limit: Some(1000),
            ..Default::default()
        })
        .unwrap()
    };
    let (a, b) = (y(2021), y(2022));
    assert_eq!(a.total + b.total, list.total);
    assert!(a.targets.iter().all(|t| t.goal.place.year == Some(2021)));
    assert!(b.total > 0 && a.total > 0);
    let unit = kg
        .targets(&TargetsRequest {
            unit: Some("市科技局".into()),
            limit: Some(1000),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(unit.total, list.total);
    let none = kg
        .targets(&TargetsRequest {
            unit: Some("市财政局".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(none.total, 0);

    // Sorted by value: largest first; paging slices the same order.
    let by_value = |offset, limit| {
        kg.targets(&TargetsRequest {
            sort: TargetSort::Value,
            offset: Some(offset),
            limit: Some(limit),
            ..Default::default()
        })
        .unwrap()
    };
    let whole = by_value(0, 1000);
    let values: Vec<f64> = whole.targets.iter().map(|t| t.value.unwrap()).collect();
    assert!(values.windows(2).all(|w| w[0] >= w[1]), "{values:?}");
    let page = by_value(3, 4);
    assert_eq!(page.total, whole.total);
    let ids = |l: &[plangraph::knowledge_graph::TargetRow]| -> Vec<String> {
        l.iter().map(|t| t.id.clone()).collect()
    };
    assert_eq!(ids(&page.targets), ids(&whole.targets[3..7]));
    let past = by_value(whole.total, 5);
    assert!(past.targets.is_empty());
    // Sorted by subject: names in order.
    let by_subject = kg
        .targets(&TargetsRequest {
            sort: TargetSort::Subject,
            limit: Some(1000),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(by_subject.total, list.total);

    // Bad input names the parameter.
    let bad = |req: TargetsRequest, param: &str| match kg.targets(&req) {
        Err(Error::InvalidParam { param: p, .. }) => assert_eq!(p, param),
        other => panic!("{param}: {other:?}"),
    };
    bad(
        TargetsRequest {
            limit: Some(0),
            ..Default::default()
        },
        "limit",
    );
    bad(subject(" "), "subject");
    bad(
        TargetsRequest {
            unit: Some(String::new()),
            ..Default::default()
        },
        "unit",
    );
    assert!(matches!(
        "sideways".parse::<TargetSort>(),
        Err(Error::InvalidParam { param: "sort", .. })
    ));
    assert!(matches!(
        kg.targets(&subject("没有这个东西")),
        Err(Error::NotFound { .. })
    ));
}

#[tokio::test]
async fn the_route_answers_as_the_facade_does() {
    let kg = Arc::new(graph(&[seed_path(), second_year()]));
    let app = plangraph::http::router(plangraph::http::AppState::new(kg.clone(), None))
        .layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 9))));
    let get = |uri: String| {
        let app = app.clone();
        async move {
            let r = app
                .oneshot(Request::get(uri).body(Body::empty()).unwrap())
                .await
                .unwrap();
            let status = r.status();
            let bytes = axum::body::to_bytes(r.into_body(), usize::MAX)
                .await
                .unwrap();
            (status, serde_json::from_slice::<Value>(&bytes).unwrap())
        }
    };
    let enc = |s: &str| url_encode(s);
    let (status, body) = get(format!(
        "/api/targets?subject={}&sort=value&limit=1",
        enc("高企")
    ))
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let direct = kg
        .targets(&TargetsRequest {
            subject: Some("高企".into()),
            sort: TargetSort::Value,
            limit: Some(1),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(body, serde_json::to_value(&direct).unwrap());
    assert_eq!(body["total"], 2);
    assert_eq!(body["series"].as_array().unwrap().len(), 2);
    let (status, body) = get("/api/targets?year=2022&offset=2&limit=3".into()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["targets"].as_array().unwrap().len(), 3);
    for (uri, param) in [
        ("/api/targets?sort=sideways", "sort"),
        ("/api/targets?limit=0", "limit"),
        ("/api/targets?year=abc", "year"),
        ("/api/targets?offset=-1", "offset"),
    ] {
        let (status, body) = get(uri.into()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert!(
            body["error"]["message"].as_str().unwrap().contains(param),
            "{uri}: {body}"
        );
    }
    let (status, body) = get(format!("/api/targets?subject={}", enc("没有这个东西"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
}

fn url_encode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}
