//! The API additions the web page uses, on the seed plus a document of another unit and
//! year: search facets, dependent-goal counts on entity hits, targets as a searchable
//! kind, one document with its goals, and the overview's named platforms apart from
//! generic classes.

use crate::common;
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode};
use axum::Router;
use plangraph::http::{router, AppState};
use plangraph::knowledge_graph::KnowledgeGraph;
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::Arc;
use tower::ServiceExt;

const SECOND: &str = "2022年度市直单位业务目标\n单位名称：市海洋发展局\n\t类别\n\t序号\n\t目标名称\n\t目标内容\n\n\t重点目标\n\t1\n\t建设深远海养殖示范区\n\t依托海洋牧场联合实验室，推进深远海智能养殖工船建设，建成国家级海洋牧场示范区3个以上。\n";

fn app() -> Router {
    let kg = KnowledgeGraph::temporary().unwrap();
    kg.ingest_bytes("seed.txt", &common::seed_bytes()).unwrap();
    kg.ingest_bytes("second.txt", SECOND.as_bytes()).unwrap();
    router(AppState::new(Arc::new(kg), None))
        .layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))))
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn get(app: &Router, uri: &str) -> (StatusCode, Value) {
    let res = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, serde_json::from_slice(&body).unwrap())
}

fn facet(list: &Value, value: &str) -> Option<u64> {
    list.as_array()
        .unwrap()
        .iter()
        .find(|f| f["value"] == value)
        .map(|f| f["count"].as_u64().unwrap())
}

#[tokio::test]
async fn search_facets_count_kinds_units_and_years() {
    let app = app();
    let (s, v) = get(&app, &format!("/api/search?q={}&facets=true", enc("海洋"))).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let f = &v["facets"];
    assert_eq!(f["kinds"]["goal"], 4, "{f}");
    let goals_listed = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["kind"] == "goal")
        .count();
    assert_eq!(goals_listed, 4);
    let kinds_sum: u64 = f["kinds"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(kinds_sum, v["total"].as_u64().unwrap());
    assert_eq!(facet(&f["units"], "市科技局"), Some(3));
    assert_eq!(facet(&f["units"], "市海洋发展局"), Some(1));
    assert_eq!(facet(&f["years"], "2021"), Some(3));
    assert_eq!(facet(&f["years"], "2022"), Some(1));
    assert_eq!(f["partial"], false);

    // A year filter narrows the goals and the unit counts, not the year counts.
    let (_, v) = get(
        &app,
        &format!("/api/search?q={}&facets=true&year=2021", enc("海洋")),
    )
    .await;
    let f = &v["facets"];
    assert_eq!(f["kinds"]["goal"], 3);
    assert_eq!(facet(&f["units"], "市海洋发展局"), None);
    assert_eq!(facet(&f["years"], "2022"), Some(1));

    // Without facets=true there are none.
    let (_, v) = get(&app, &format!("/api/search?q={}", enc("海洋"))).await;
    assert!(v.get("facets").is_none());
}

#[tokio::test]
async fn entity_hits_say_how_many_goals_depend_on_them() {
    let app = app();
    let (_, v) = get(
        &app,
        &format!("/api/search?q={}&kind=institution", enc("国家超级计算中心")),
    )
    .await;
    let hit = &v["hits"][0];
    assert_eq!(hit["name"], "国家超级计算中心");
    assert_eq!(hit["goals"], 1);
    let (_, t) = get(&app, &format!("/api/trace?name={}", enc("高新技术企业"))).await;
    let (_, v) = get(
        &app,
        &format!("/api/search?q={}&kind=organization", enc("高新技术企业")),
    )
    .await;
    let hit = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"] == "高新技术企业")
        .unwrap();
    assert_eq!(hit["goals"], t["total"]);
    let (_, v) = get(&app, &format!("/api/search?q={}&kind=goal", enc("海洋"))).await;
    assert!(v["hits"][0].get("goals").is_none());
}

#[tokio::test]
async fn targets_are_found_by_their_subject() {
    let app = app();
    let (_, v) = get(
        &app,
        &format!("/api/search?q={}&kind=target", enc("技术创新中心")),
    )
    .await;
    let hits = v["hits"].as_array().unwrap();
    assert!(
        hits.iter()
            .any(|h| h["name"] == "150家以上" && h["kind"] == "target"),
        "{v}"
    );
    assert!(hits.iter().all(|h| h["kind"] == "target"));
}

#[tokio::test]
async fn one_document_lists_its_goals_in_order() {
    let app = app();
    let (_, list) = get(&app, "/api/documents").await;
    let seed = list["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["unit"] == "市科技局")
        .unwrap()
        .clone();
    let id = seed["id"].as_str().unwrap();
    let (s, d) = get(&app, &format!("/api/documents/{}", enc(id))).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(d["year"], 2021);
    let goals = d["goals"].as_array().unwrap();
    assert_eq!(goals.len() as u64, seed["goals"].as_u64().unwrap());
    assert_eq!(goals[0]["name"], "加强科技创新改革谋划");
    assert_eq!(goals[1]["name"], "加快高端创新平台建设");
    assert_eq!(goals[1]["number"], "2");
    let (s, e) = get(&app, "/api/documents/doc:nothing").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(e["error"]["code"], "not_found");
}

#[tokio::test]
async fn overview_keeps_generic_classes_apart() {
    let app = app();
    let (s, v) = get(&app, "/api/overview?limit=50").await;
    assert_eq!(s, StatusCode::OK);
    let names = |k: &str| -> Vec<String> {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap().to_string())
            .collect()
    };
    let classes = names("classes");
    let platforms = names("platforms");
    for generic in ["高新技术企业", "技术创新中心", "标杆孵化器"] {
        assert!(classes.contains(&generic.to_string()), "{classes:?}");
        assert!(!platforms.contains(&generic.to_string()));
    }
    assert!(platforms.contains(&"国家超级计算中心".to_string()));
    assert!(v["platforms"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["kind"] != "document" && e["goals"].as_u64().unwrap() > 0));
    let goals: Vec<u64> = v["platforms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["goals"].as_u64().unwrap())
        .collect();
    assert!(goals.windows(2).all(|w| w[0] >= w[1]), "{goals:?}");
    let (s, _) = get(&app, "/api/overview?limit=0").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_node_lists_its_aliases() {
    let app = app();
    let (s, v) = get(
        &app,
        &format!("/api/nodes/{}/aliases", enc("中国科学院海洋大科学研究中心")),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let aliases: Vec<&str> = v["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(aliases.contains(&"中科院海洋大科学研究中心"), "{v}");
    assert!(!aliases.contains(&"中国科学院海洋大科学研究中心"));
    // An alias resolves too, to the same node.
    let (_, w) = get(
        &app,
        &format!("/api/nodes/{}/aliases", enc("中科院海洋大科学研究中心")),
    )
    .await;
    assert_eq!(w["id"], v["id"]);
    let (s, _) = get(&app, "/api/nodes/nothing-like-it/aliases").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn openapi_describes_the_additions() {
    let (_, doc) = get(&app(), "/api/openapi.json").await;
    for path in [
        "/api/documents/{id}",
        "/api/overview",
        "/api/nodes/{id}/aliases",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path}");
    }
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["SearchResults"]["properties"]
        .get("facets")
        .is_some());
    assert!(schemas["SearchHit"]["properties"].get("goals").is_some());
    assert!(schemas["Facets"]["properties"].get("years").is_some());
}
