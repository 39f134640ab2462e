//! User alias corrections: an alias finds its node everywhere, an alias that names another
//! node merges the two (edges, evidence, traces), and both survive re-ingest, index
//! rebuilds, restarts and `import`; removal; the HTTP routes and the CLI through a server.

use crate::common::{plangraph, seed_path, Server};
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode};
use plangraph::export;
use plangraph::index::SearchRequest;
use plangraph::knowledge_graph::KnowledgeGraph;
use plangraph::Error;
use serde_json::Value;
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;
use tempfile::TempDir;
use tower::ServiceExt;

/// A 2023 document of another unit that names 海洋试点国家实验室 by its later name,
/// 崂山实验室, in two goals (written for these tests).
const HAIYANG_2023: &str = "市海洋发展局2023年工作要点

    2023年，全市海洋工作要坚持陆海统筹，重点抓好以下工作。

一、壮大海洋科技力量
（一）服务国家战略平台
1.支持崂山实验室建设。配合崂山实验室开展深海观测重大科研任务，共建海洋科学数据平台2个以上。
2.推动海洋装备研发。依托崂山实验室和中国海洋大学，攻关深远海养殖装备关键技术10项以上。
二、发展海洋经济
（一）培育海洋产业
1.壮大海洋生物医药产业。建设海洋生物医药产业园，引进海洋药物研发企业20家以上。
";

/// The same document a year on: one more goal relies on 崂山实验室.
const HAIYANG_2023_REVISED: &str = "
三、推进海洋观测
（一）建设观测网络
1.完善海洋立体观测网。依托崂山实验室布设深海观测浮标5套以上。
";

fn open(data: &Path, paths: &[PathBuf]) -> KnowledgeGraph {
    let kg = KnowledgeGraph::open(data).unwrap();
    let report = kg.ingest_paths(paths, &mut |_| {}).unwrap();
    assert_eq!(report.failed, 0, "{:?}", report.files);
    kg
}

fn goal_ids(kg: &KnowledgeGraph, name: &str) -> BTreeSet<String> {
    let t = kg.trace(name, None).unwrap();
    assert_eq!(t.total, t.goals.len());
    t.goals.into_iter().map(|g| g.goal.id).collect()
}

fn search_ids(kg: &KnowledgeGraph, q: &str) -> Vec<String> {
    kg.search(&SearchRequest {
        query: q.into(),
        kinds: vec![],
        unit: None,
        year: None,
        limit: 20,
        offset: 0,
    })
    .unwrap()
    .hits
    .into_iter()
    .map(|h| h.id)
    .collect()
}

fn jsonl(kg: &KnowledgeGraph) -> String {
    let mut buf = Vec::new();
    kg.export_jsonl(&mut buf).unwrap();
    String::from_utf8(buf).unwrap()
}

#[test]
fn an_alias_finds_its_node_in_show_trace_search_and_survives_rebuilds_and_re_ingest() {
    let tmp = TempDir::new().unwrap();
    let data = tmp.path().join("data");
    let kg = open(&data, &[seed_path()]);
    let node = kg.resolve("山东能源研究院").unwrap();
    let goals = goal_ids(&kg, "山东能源研究院");
    assert!(!goals.is_empty());
    assert!(matches!(
        kg.trace("能源院", None),
        Err(Error::NotFound { .. })
    ));
    assert!(!search_ids(&kg, "能源院").contains(&node.id));

    let added = kg.add_alias("能源院", "山东能源研究院").unwrap();
    assert_eq!(added.node, node.id);
    assert!(added.merged.is_empty());
    let check = |kg: &KnowledgeGraph| {
        let view = kg.show("能源院").unwrap();
        assert_eq!(view.node.id, node.id);
        assert!(
            view.aliases.contains(&"能源院".to_string()),
            "{:?}",
            view.aliases
        );
        assert_eq!(goal_ids(kg, "能源院"), goals);
        assert_eq!(search_ids(kg, "能源院").first(), Some(&node.id));
        let sub = kg
            .neighbors(
                "能源院",
                &plangraph::knowledge_graph::NeighborsRequest {
                    depth: 1,
                    labels: vec![],
                    kinds: vec![],
                    limit: 100,
                },
            )
            .unwrap();
        assert!(sub.nodes.iter().any(|n| n.id == node.id));
    };
    check(&kg);
    let list = kg.list_aliases().unwrap();
    assert_eq!(list.aliases.len(), 1);
    assert_eq!(list.aliases[0].alias, "能源院");
    assert_eq!(list.aliases[0].name, "山东能源研究院");
    assert!(list.aliases[0].added_at > 0);
    assert!(kg.store().verify().unwrap().is_empty());

    // A restart with the text index and the graph view gone: both are rebuilt from the
    // store, which holds the alias.
    drop(kg);
    std::fs::remove_dir_all(data.join("text")).unwrap();
    let _ = std::fs::remove_file(data.join(plangraph::knowledge_graph::GRAPH_SNAPSHOT));
    let kg = KnowledgeGraph::open(&data).unwrap();
    check(&kg);

    // Re-ingest of the seed as it is, then of an edited copy of it (same identity).
    kg.ingest_paths(&[seed_path()], &mut |_| {}).unwrap();
    check(&kg);
    let mut edited = std::fs::read_to_string(seed_path()).unwrap();
    edited.push_str("\n\n");
    let copy = tmp.path().join("qingdao-kejiju-2021-business-goals.txt");
    std::fs::write(&copy, edited).unwrap();
    let report = kg.ingest_paths(&[copy], &mut |_| {}).unwrap();
    assert_eq!(report.files[0].status.to_string(), "replaced");
    check(&kg);

    // Removed: the alias resolves no more, the node keeps its goals.
    let removed = kg.remove_alias("能源院").unwrap();
    assert_eq!(removed.node, node.id);
    assert!(matches!(
        kg.trace("能源院", None),
        Err(Error::NotFound { .. })
    ));
    assert!(!search_ids(&kg, "能源院").contains(&node.id));
    assert!(kg
        .show(&node.id)
        .unwrap()
        .aliases
        .iter()
        .all(|a| a != "能源院"));
    assert_eq!(goal_ids(&kg, "山东能源研究院"), goals);
    assert!(kg.list_aliases().unwrap().aliases.is_empty());
    assert!(matches!(
        kg.remove_alias("能源院"),
        Err(Error::NotFound { .. })
    ));
    assert!(kg.store().verify().unwrap().is_empty());
}

#[test]
fn an_alias_naming_another_node_merges_the_two_and_the_merge_survives_re_ingest_and_import() {
    let tmp = TempDir::new().unwrap();
    let docs = tmp.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    let haiyang = docs.join("haiyang-2023.txt");
    std::fs::write(&haiyang, HAIYANG_2023).unwrap();
    let data = tmp.path().join("data");
    let kg = open(&data, &[seed_path(), haiyang.clone()]);

    let kept = kg.resolve("海洋试点国家实验室").unwrap();
    let other = kg.resolve("崂山实验室").unwrap();
    assert_ne!(kept.id, other.id);
    let a = goal_ids(&kg, &kept.id);
    let b = goal_ids(&kg, &other.id);
    assert!(!a.is_empty() && !b.is_empty() && a.is_disjoint(&b));
    let union: BTreeSet<String> = a.union(&b).cloned().collect();

    // An alias given before to the node merged away follows it to the kept node.
    kg.add_alias("崂山国家实验室", &other.id).unwrap();
    let added = kg.add_alias("崂山实验室", "海洋试点国家实验室").unwrap();
    assert_eq!(added.node, kept.id);
    assert_eq!(added.merged, vec![other.id.clone()]);
    let list = kg.list_aliases().unwrap();
    let earlier = list
        .aliases
        .iter()
        .find(|a| a.alias == "崂山国家实验室")
        .unwrap();
    assert_eq!(
        (earlier.node.as_str(), earlier.name.as_str()),
        (kept.id.as_str(), kept.name.as_str())
    );
    assert_eq!(goal_ids(&kg, "崂山国家实验室"), union);
    let merged_check = |kg: &KnowledgeGraph, expected: &BTreeSet<String>| {
        assert!(kg.store().node(&other.id).unwrap().is_none());
        assert_eq!(kg.resolve("崂山实验室").unwrap().id, kept.id);
        assert_eq!(goal_ids(kg, "海洋试点国家实验室"), *expected);
        assert_eq!(goal_ids(kg, "崂山实验室"), *expected);
        // The merged-away node's edges moved with their evidence.
        let trace = kg.trace(&kept.id, None).unwrap();
        for g in &trace.goals {
            if b.contains(&g.goal.id) {
                assert!(g.evidence.contains("崂山实验室"), "{}", g.evidence);
            }
        }
        let view = kg.show(&kept.id).unwrap();
        assert!(view.aliases.contains(&"崂山实验室".to_string()));
        assert!(view
            .edges
            .iter()
            .all(|e| e.source != other.id && e.target != other.id));
        // (goals titled with the name may rank above it)
        let hits = search_ids(kg, "崂山实验室");
        assert!(
            hits.contains(&kept.id) && !hits.contains(&other.id),
            "{hits:?}"
        );
        assert!(kg.store().verify().unwrap().is_empty());
    };
    merged_check(&kg, &union);
    assert_eq!(union.len(), a.len() + b.len());

    // Re-ingest of both documents as they are, then of the 2023 one with a new goal that
    // names 崂山实验室: written to the kept node.
    let report = kg
        .ingest_paths(&[seed_path(), haiyang.clone()], &mut |_| {})
        .unwrap();
    assert_eq!(report.failed, 0);
    merged_check(&kg, &union);
    std::fs::write(&haiyang, format!("{HAIYANG_2023}{HAIYANG_2023_REVISED}")).unwrap();
    let report = kg
        .ingest_paths(std::slice::from_ref(&haiyang), &mut |_| {})
        .unwrap();
    assert_eq!(report.files[0].status.to_string(), "replaced");
    let grown = goal_ids(&kg, "海洋试点国家实验室");
    assert_eq!(grown.len(), union.len() + 1);
    assert!(grown.is_superset(&union));
    merged_check(&kg, &grown);

    // export → import → export: the same lines, the same merged graph.
    let first = jsonl(&kg);
    let lines: Vec<Value> = first
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let alias_lines: Vec<&Value> = lines
        .iter()
        .filter(|l| l["type"] == "alias" && l["alias"] == "崂山实验室")
        .collect();
    assert_eq!(alias_lines.len(), 1);
    assert_eq!(lines.iter().filter(|l| l["type"] == "alias").count(), 2);
    assert_eq!(alias_lines[0]["alias"], "崂山实验室");
    assert_eq!(alias_lines[0]["node"], kept.id.as_str());
    assert_eq!(alias_lines[0]["merged"][0], other.id.as_str());
    let file = tmp.path().join("g.jsonl");
    std::fs::write(&file, &first).unwrap();
    let copy_dir = tmp.path().join("copy");
    export::import_jsonl(&copy_dir, &file, &mut |_| {}).unwrap();
    let copy = KnowledgeGraph::open(&copy_dir).unwrap();
    assert_eq!(jsonl(&copy), first);
    merged_check(&copy, &grown);
    assert_eq!(copy.list_aliases().unwrap(), kg.list_aliases().unwrap());
    // The copy keeps applying it: a re-ingest there stays merged.
    std::fs::write(&haiyang, HAIYANG_2023).unwrap();
    copy.ingest_paths(std::slice::from_ref(&haiyang), &mut |_| {})
        .unwrap();
    merged_check(&copy, &union);
    drop(copy);

    // Removing the alias: merged until the documents are ingested again, then apart.
    let removed = kg.remove_alias("崂山实验室").unwrap();
    assert!(
        removed.message.contains("ingested again"),
        "{}",
        removed.message
    );
    assert_eq!(goal_ids(&kg, "海洋试点国家实验室"), grown);
    std::fs::write(&haiyang, HAIYANG_2023).unwrap();
    kg.ingest_paths(&[seed_path(), haiyang], &mut |_| {})
        .unwrap();
    assert_eq!(kg.resolve("崂山实验室").unwrap().id, other.id);
    assert_eq!(goal_ids(&kg, &kept.id), a);
    assert_eq!(goal_ids(&kg, &other.id), b);
    assert!(kg.store().verify().unwrap().is_empty());
}

async fn call(app: &axum::Router, req: Request<Body>) -> (StatusCode, Value) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    let v = serde_json::from_slice(&body).unwrap_or(Value::Null);
    (status, v)
}

fn post_json(uri: &str, body: &str, token: Option<&str>) -> Request<Body> {
    let mut r = Request::post(uri).header("content-type", "application/json");
    if let Some(t) = token {
        r = r.header("authorization", format!("Bearer {t}"));
    }
    r.body(Body::from(body.to_string())).unwrap()
}

fn delete(uri: &str, token: Option<&str>) -> Request<Body> {
    let mut r = Request::delete(uri);
    if let Some(t) = token {
        r = r.header("authorization", format!("Bearer {t}"));
    }
    r.body(Body::empty()).unwrap()
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[tokio::test]
async fn the_alias_routes_add_list_and_remove_with_write_access_and_4xx_errors() {
    let tmp = TempDir::new().unwrap();
    let kg = Arc::new(open(&tmp.path().join("data"), &[seed_path()]));
    let app = |token: Option<&str>, peer: [u8; 4]| {
        plangraph::http::router(plangraph::http::AppState::new(
            kg.clone(),
            token.map(str::to_string),
        ))
        .layer(MockConnectInfo(SocketAddr::from((peer, 40000))))
    };
    let local = app(None, [127, 0, 0, 1]);
    let remote = app(None, [203, 0, 113, 9]);
    let guarded = app(Some("s3cret"), [203, 0, 113, 9]);
    let add = r#"{"alias": "能源院", "name": "山东能源研究院"}"#;

    // Writes from another machine: refused without a token configured, and with a wrong one.
    let (s, v) = call(&remote, post_json("/api/aliases", add, None)).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let (s, _) = call(&guarded, post_json("/api/aliases", add, None)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = call(&guarded, post_json("/api/aliases", add, Some("wrong"))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(kg.list_aliases().unwrap().aliases.is_empty());

    // Bad requests.
    for (body, status, code) in [
        (
            r#"{"alias": " ", "name": "山东能源研究院"}"#,
            400,
            "invalid_param",
        ),
        (
            r#"{"alias": "山东能源研究院", "name": "山东能源研究院"}"#,
            400,
            "invalid_param",
        ),
        (r#"{"alias": "能源院"}"#, 400, "invalid_param"),
        (
            r#"{"alias": "能源\u0000院", "name": "山东能源研究院"}"#,
            400,
            "invalid_param",
        ),
        ("not json", 400, "invalid_param"),
        (
            r#"{"alias": "能源院", "name": "没有这个研究院"}"#,
            404,
            "not_found",
        ),
    ] {
        let (s, v) = call(&local, post_json("/api/aliases", body, None)).await;
        assert_eq!(s.as_u16(), status, "{body}: {v}");
        assert_eq!(v["error"]["code"], code, "{body}: {v}");
        assert!(v["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    // Added with the token from another machine; listed; resolves in the API.
    let (s, v) = call(&guarded, post_json("/api/aliases", add, Some("s3cret"))).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let id = kg.resolve("山东能源研究院").unwrap().id;
    assert_eq!(v["node"], id.as_str());
    let (s, v) = call(&remote, get("/api/aliases")).await;
    assert_eq!(s, StatusCode::OK);
    let listed: Vec<&Value> = v["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["alias"] == "能源院")
        .collect();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["node"], id.as_str());
    assert_eq!(listed[0]["name"], "山东能源研究院");
    let (s, v) = call(&local, get(&format!("/api/trace?name={}", enc("能源院")))).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["entity"]["id"], id.as_str());
    let (_, v) = call(&local, get(&format!("/api/nodes/{}", enc("能源院")))).await;
    assert!(v["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "能源院"));

    // Removed: a delete from another machine is refused, by path and by query it works.
    let (s, _) = call(
        &remote,
        delete(&format!("/api/aliases/{}", enc("能源院")), None),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = call(
        &local,
        delete(&format!("/api/aliases/{}", enc("能源院")), None),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = call(
        &local,
        delete(&format!("/api/aliases/{}", enc("能源院")), None),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    assert_eq!(v["error"]["code"], "not_found");
    let (s, _) = call(&local, get(&format!("/api/trace?name={}", enc("能源院")))).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    call(&local, post_json("/api/aliases", add, None)).await;
    let (s, _) = call(
        &local,
        delete(&format!("/api/aliases?alias={}", enc("能源院")), None),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = call(&local, delete("/api/aliases", None)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(kg.list_aliases().unwrap().aliases.is_empty());

    // The OpenAPI description has the routes.
    let (_, doc) = call(&local, get("/api/openapi.json")).await;
    for m in ["get", "post", "delete"] {
        assert!(doc["paths"]["/api/aliases"][m].is_object(), "{m}");
    }
    assert!(doc["paths"]["/api/aliases/{alias}"]["delete"].is_object());
}

#[test]
fn alias_commands_go_through_a_running_server() {
    let tmp = TempDir::new().unwrap();
    let data = tmp.path().join("data");
    let out = plangraph(&data, &["ingest", seed_path().to_str().unwrap()]);
    assert!(out.status.success());
    let server = Server::start(&data);

    let text = |o: &Output| String::from_utf8_lossy(&o.stdout).into_owned();
    let add = plangraph(
        &data,
        &["alias", "add", "能源院", "山东能源研究院", "--json"],
    );
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let added: Value = serde_json::from_str(&text(&add)).unwrap();
    let trace = plangraph(&data, &["trace", "能源院", "--json"]);
    assert!(trace.status.success());
    let trace: Value = serde_json::from_str(&text(&trace)).unwrap();
    assert_eq!(trace["entity"]["id"], added["node"]);
    assert_eq!(trace["entity"]["name"], "山东能源研究院");

    let list = plangraph(&data, &["alias", "list"]);
    assert!(text(&list).contains("能源院") && text(&list).contains("山东能源研究院"));
    let unknown = plangraph(&data, &["alias", "add", "能源院2", "没有这个研究院"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("没有这个研究院"));

    let remove = plangraph(&data, &["alias", "remove", "能源院"]);
    assert!(remove.status.success());
    assert!(text(&remove).contains("no longer resolves"));
    drop(server);

    // The server wrote it: alone, the folder has no alias any more and the seed's node.
    let list = plangraph(&data, &["alias", "list", "--json"]);
    let list: Value = serde_json::from_str(&text(&list)).unwrap();
    assert_eq!(list["aliases"].as_array().unwrap().len(), 0);
    let again = plangraph(&data, &["alias", "add", "能源院", "山东能源研究院"]);
    assert!(again.status.success());
    let list = plangraph(&data, &["alias", "list", "--json"]);
    let list: Value = serde_json::from_str(&text(&list)).unwrap();
    assert_eq!(list["aliases"][0]["node"], added["node"]);
}

#[test]
fn merging_the_two_most_relied_on_institutions_of_a_generated_corpus_joins_their_traces() {
    let tmp = TempDir::new().unwrap();
    let files = crate::corpus::write_corpus(&tmp.path().join("corpus"), 60, 11).unwrap();
    let data = tmp.path().join("data");
    let kg = open(&data, &files);
    let ranking = kg
        .rank(Some(plangraph::model::NodeKind::Institution), 2)
        .unwrap();
    let (a, b) = (&ranking.entities[0], &ranking.entities[1]);
    let ga = goal_ids(&kg, &a.id);
    let gb = goal_ids(&kg, &b.id);
    let union: BTreeSet<String> = ga.union(&gb).cloned().collect();
    assert!(union.len() > ga.len() && union.len() > gb.len());
    let holding_b = kg
        .store()
        .documents()
        .filter(|d| d.as_ref().unwrap().nodes.contains(&b.id))
        .count();

    let started = std::time::Instant::now();
    let added = kg.add_alias(&b.name, &a.id).unwrap();
    eprintln!(
        "alias add merging {} into {}: {} documents written again in {:?}",
        b.name,
        a.name,
        added.documents.len(),
        started.elapsed()
    );
    assert_eq!(added.merged, vec![b.id.clone()]);
    assert!(added.documents.len() >= holding_b);
    assert_eq!(goal_ids(&kg, &a.id), union);
    assert_eq!(goal_ids(&kg, &b.name), union);
    assert!(kg.store().node(&b.id).unwrap().is_none());
    assert!(kg.store().verify().unwrap().is_empty());
    // The graph view built afresh from the store agrees with the one kept up to date.
    drop(kg);
    let _ = std::fs::remove_file(data.join(plangraph::knowledge_graph::GRAPH_SNAPSHOT));
    let kg = KnowledgeGraph::open(&data).unwrap();
    assert_eq!(goal_ids(&kg, &a.id), union);
    assert_eq!(
        kg.rank(Some(plangraph::model::NodeKind::Institution), 1)
            .unwrap()
            .entities[0]
            .goals,
        union.len()
    );
}

#[test]
fn a_document_ingested_after_the_alias_that_names_it_so_is_written_to_the_aliased_node() {
    let tmp = TempDir::new().unwrap();
    let docs = tmp.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    let haiyang = docs.join("haiyang-2023.txt");
    std::fs::write(&haiyang, HAIYANG_2023).unwrap();
    // What the 2023 document alone says of 崂山实验室.
    let alone = open(&tmp.path().join("alone"), std::slice::from_ref(&haiyang));
    let own = alone.resolve("崂山实验室").unwrap();
    let b = goal_ids(&alone, "崂山实验室");
    assert!(!b.is_empty());
    drop(alone);

    let kg = open(&tmp.path().join("data"), &[seed_path()]);
    let kept = kg.resolve("海洋试点国家实验室").unwrap();
    let a = goal_ids(&kg, &kept.id);
    // Nothing to merge yet: the alias is the node's.
    let added = kg.add_alias("崂山实验室", "海洋试点国家实验室").unwrap();
    assert!(added.merged.is_empty());
    // A second alias given through the first resolves to the same node.
    kg.add_alias("崂山国家实验室", "崂山实验室").unwrap();
    kg.ingest_paths(std::slice::from_ref(&haiyang), &mut |_| {})
        .unwrap();
    assert!(kg.store().node(&own.id).unwrap().is_none());
    let expected: BTreeSet<String> = a.union(&b).cloned().collect();
    assert_eq!(expected.len(), a.len() + b.len());
    assert_eq!(goal_ids(&kg, "海洋试点国家实验室"), expected);
    assert_eq!(goal_ids(&kg, "崂山实验室"), expected);
    assert_eq!(goal_ids(&kg, "崂山国家实验室"), expected);
    assert!(kg.store().verify().unwrap().is_empty());
}
