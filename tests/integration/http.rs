//! The HTTP API driven in-process (no socket): every route, every error code, the JSON
//! error shape, the OpenAPI description, the write guard, and junk input never giving a
//! 500. The upload tests at the end need the real ingest pipeline.

use crate::common;
use crate::graph::sample_docs;
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use plangraph::http::{router, AppState, BODY_LIMIT};
use plangraph::knowledge_graph::KnowledgeGraph;
use serde_json::Value;
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::Arc;
use tower::ServiceExt;

const LOCAL: [u8; 4] = [127, 0, 0, 1];
const REMOTE: [u8; 4] = [203, 0, 113, 9];

fn app_with(kg: KnowledgeGraph, token: Option<&str>, peer: [u8; 4]) -> Router {
    router(AppState::new(Arc::new(kg), token.map(str::to_string)))
        .layer(MockConnectInfo(SocketAddr::from((peer, 40000))))
}

/// The synthetic graph of the graph tests, served from this machine.
fn sample_app() -> Router {
    app_with(sample_kg(), None, LOCAL)
}

/// Percent-encode a query value or path segment.
fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {} {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The error code of a JSON error reply, checking its shape.
    fn error_code(&self) -> String {
        let v = self.json();
        let e = &v["error"];
        assert!(
            e["message"].as_str().is_some_and(|m| !m.is_empty()),
            "error without message: {v}"
        );
        e["code"].as_str().expect("error.code").to_string()
    }
}

async fn send(app: &Router, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

async fn get(app: &Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(app: &Router, uri: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Reply {
    let mut req = Request::post(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    send(app, req.body(Body::from(body)).unwrap()).await
}

#[tokio::test]
async fn health_says_ok() {
    let r = get(&sample_app(), "/health").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["status"], "ok");
}

#[tokio::test]
async fn the_web_ui_is_one_self_contained_page() {
    let r = get(&sample_app(), "/").await;
    assert_eq!(r.status, StatusCode::OK);
    let ct = r.headers[header::CONTENT_TYPE].to_str().unwrap();
    assert!(ct.starts_with("text/html"), "{ct}");
    let html = String::from_utf8(r.body).unwrap();
    assert!(html.contains("<script>") && html.contains("/api/search"));
    for external in [
        "src=\"http",
        "href=\"http",
        "src=\"//",
        "href=\"//",
        "@import",
    ] {
        assert!(!html.contains(external), "external asset: {external}");
    }
}

#[tokio::test]
async fn openapi_describes_every_route() {
    let r = get(&sample_app(), "/api/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let routes = [
        ("/", "get"),
        ("/health", "get"),
        ("/api/openapi.json", "get"),
        ("/api/search", "get"),
        ("/api/trace", "get"),
        ("/api/duties", "get"),
        ("/api/impact", "get"),
        ("/api/diff", "get"),
        ("/api/targets", "get"),
        ("/api/nodes/{id}", "get"),
        ("/api/nodes/{id}/neighbors", "get"),
        ("/api/nodes/{id}/co-dependent", "get"),
        ("/api/path", "get"),
        ("/api/rank", "get"),
        ("/api/stats", "get"),
        ("/api/documents", "get"),
        ("/api/documents", "post"),
        ("/api/documents/{id}", "get"),
        ("/api/overview", "get"),
        ("/api/nodes/{id}/aliases", "get"),
        ("/api/backup", "get"),
        ("/api/aliases", "get"),
        ("/api/aliases", "post"),
        ("/api/aliases", "delete"),
        ("/api/aliases/{alias}", "delete"),
    ];
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in routes {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} missing from the OpenAPI description"
        );
    }
    assert_eq!(paths.len(), 22, "a route is described but not tested here");
    // Every `$ref` points at a schema that exists.
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let text = doc.to_string();
    for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = &piece[..piece.find('"').unwrap()];
        assert!(schemas.contains_key(name), "dangling $ref to {name}");
    }
    for param in ["q", "kind", "limit", "offset", "unit", "year"] {
        assert!(
            paths["/api/search"]["get"]["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["name"] == param),
            "search parameter {param}"
        );
    }
}

#[tokio::test]
async fn openapi_schemas_match_what_the_routes_return() {
    let app = sample_app();
    let doc = get(&app, "/api/openapi.json").await.json();
    let schemas = &doc["components"]["schemas"];
    // The properties a schema describes: its own, and those of the schemas it is made of
    // (`allOf`, from a flattened field), references followed.
    fn properties(schemas: &Value, schema: &Value, into: &mut BTreeSet<String>) {
        if let Some(name) = schema["$ref"].as_str() {
            let name = name.rsplit('/').next().unwrap();
            return properties(schemas, &schemas[name], into);
        }
        if let Some(props) = schema["properties"].as_object() {
            into.extend(props.keys().cloned());
        }
        for part in ["allOf", "oneOf", "anyOf"] {
            for s in schema[part].as_array().into_iter().flatten() {
                properties(schemas, s, into);
            }
        }
    }
    let check = |schema: &str, value: &Value| {
        let mut props = BTreeSet::new();
        properties(schemas, &schemas[schema], &mut props);
        assert!(!props.is_empty(), "schema {schema}");
        for key in value.as_object().unwrap().keys() {
            assert!(props.contains(key), "{schema} lacks `{key}`");
        }
    };
    let search = get(&app, "/api/search?q=x").await.json();
    check("SearchResults", &search);
    let hit = serde_json::to_value(plangraph::index::SearchHit {
        id: "i".into(),
        kind: plangraph::NodeKind::Goal,
        name: "n".into(),
        score: 1.0,
        snippet: "s".into(),
        highlights: vec![[0, 1]],
        field: plangraph::index::HitField::Title,
        goal: Some(plangraph::model::GoalPlace {
            unit: "u".into(),
            year: Some(2021),
            category: "c".into(),
            number: "1".into(),
        }),
    })
    .unwrap();
    check("SearchHit", &hit);
    let trace = get(&app, &format!("/api/trace?name={}", enc("中科院")))
        .await
        .json();
    check("Trace", &trace);
    check("TracedGoal", &trace["goals"][0]);
    check("Node", &trace["entity"]);
    check("Edge", &trace["goals"][0]["path"][0]);
    let impact = get(&app, &format!("/api/impact?name={}", enc("中科院")))
        .await
        .json();
    check("Impact", &impact);
    check("ImpactGoal", &impact["goals"][0]);
    check("ImpactPath", &impact["goals"][0]["paths"][0]);
    check("Stats", &get(&app, "/api/stats").await.json());
    check("Ranking", &get(&app, "/api/rank").await.json());
    let nb = get(&app, &format!("/api/nodes/{}/neighbors", enc("高新区"))).await;
    check("Subgraph", &nb.json());
    check(
        "Duties",
        &get(&app, &format!("/api/duties?name={}", enc("中科院")))
            .await
            .json(),
    );
    check(
        "TargetList",
        &get(
            &app,
            &format!("/api/targets?subject={}", enc("技术创新中心")),
        )
        .await
        .json(),
    );
    let err = get(&app, "/api/trace?name=nothing-like-it").await.json();
    check("ErrorBody", &err);
    check("ErrorDetail", &err["error"]);
}

#[tokio::test]
async fn trace_returns_goals_with_paths_and_evidence() {
    let app = sample_app();
    let r = get(&app, &format!("/api/trace?name={}", enc("中科院"))).await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["entity"]["name"], "中科院");
    assert_eq!(v["entity"]["kind"], "organization");
    let goals = v["goals"].as_array().unwrap();
    assert_eq!(goals.len(), 2);
    for key in [
        "id", "name", "unit", "year", "category", "number", "path", "evidence",
    ] {
        assert!(goals[0].get(key).is_some(), "goal lacks {key}");
    }
    assert_eq!(goals[0]["name"], "加快高端创新平台建设");
    assert_eq!(goals[0]["path"][1]["label"], "part_of");
    assert_eq!(
        goals[0]["evidence"],
        "推动中科院海洋大科学研究中心投入运行。"
    );
    // limit keeps the first goals; total counts all.
    let r = get(&app, &format!("/api/trace?name={}&limit=1", enc("中科院"))).await;
    let v = r.json();
    assert_eq!(
        (v["total"].as_u64(), v["goals"].as_array().unwrap().len()),
        (Some(2), 1)
    );
}

#[tokio::test]
async fn unknown_names_are_404_with_suggestions() {
    let app = sample_app();
    let r = get(&app, &format!("/api/trace?name={}", enc("国家超算中心"))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_code(), "not_found");
    assert_eq!(r.json()["error"]["suggestions"][0], "国家超级计算中心");

    let r = get(&app, &format!("/api/nodes/{}", enc("不存在的机构"))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_code(), "not_found");

    let r = get(&app, &format!("/api/trace?name={}", enc("深化"))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_code(), "ambiguous");
    let mut suggested: Vec<String> = r.json()["error"]["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    suggested.sort();
    assert_eq!(
        suggested,
        [
            "深化科技管理改革 (goal, 市科技局 2021, g-reform)",
            "深化院地合作 (goal, 市科技局 2022, g-2022)"
        ]
    );
}

#[tokio::test]
async fn nodes_are_found_by_id_or_name() {
    let app = sample_app();
    let by_name = get(&app, &format!("/api/nodes/{}", enc("高新区"))).await;
    assert_eq!(by_name.status, StatusCode::OK);
    let v = by_name.json();
    assert_eq!(v["node"]["kind"], "place");
    assert_eq!(v["edges"].as_array().unwrap().len(), 2);
    let id = v["node"]["id"].as_str().unwrap().to_string();
    let by_id = get(&app, &format!("/api/nodes/{}", enc(&id))).await;
    assert_eq!(by_id.json()["node"]["name"], "高新区");
    let goal = get(&app, "/api/nodes/g-talent").await.json();
    assert_eq!(goal["node"]["props"]["unit"], "市科技局");
}

#[tokio::test]
async fn neighbors_take_a_depth_and_filters() {
    let app = sample_app();
    let zone = enc("高新区");
    let r = get(&app, &format!("/api/nodes/{zone}/neighbors")).await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["nodes"].as_array().unwrap().len(), 3);
    assert_eq!(v["edges"].as_array().unwrap().len(), 2);
    let deeper = get(&app, &format!("/api/nodes/{zone}/neighbors?depth=2"))
        .await
        .json();
    assert!(deeper["nodes"].as_array().unwrap().len() > 3);
    let filtered = get(
        &app,
        &format!("/api/nodes/{zone}/neighbors?depth=3&label=mentions&kind=goal,place"),
    )
    .await
    .json();
    assert_eq!(filtered["nodes"].as_array().unwrap().len(), 3);

    // By ids only: the same nodes and edges, in the same order, without their texts.
    for q in [
        "depth=2",
        "depth=3&label=mentions&kind=goal,place",
        "depth=2&limit=4",
    ] {
        let whole = get(&app, &format!("/api/nodes/{zone}/neighbors?{q}"))
            .await
            .json();
        let r = get(&app, &format!("/api/nodes/{zone}/neighbors?{q}&fields=ids")).await;
        assert_eq!(r.status, StatusCode::OK, "{q}");
        let shape = r.json();
        let ids = |v: &serde_json::Value, f: &str| -> Vec<String> {
            v["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n[f].to_string())
                .collect()
        };
        assert_eq!(ids(&shape, "id"), ids(&whole, "id"), "{q}");
        assert_eq!(ids(&shape, "kind"), ids(&whole, "kind"), "{q}");
        let edges = |v: &serde_json::Value| -> Vec<String> {
            v["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| format!("{} {} {}", e["source"], e["label"], e["target"]))
                .collect()
        };
        assert_eq!(edges(&shape), edges(&whole), "{q}");
        assert_eq!(shape["truncated"], whole["truncated"], "{q}");
        assert_eq!(shape["nodes"][0]["hops"], 0);
        assert!(shape["nodes"][1].get("props").is_none());
    }

    for bad in [
        "fields=names",
        "depth=abc",
        "depth=-1",
        "depth=9",
        "label=knows",
        "kind=lab",
        "limit=0",
    ] {
        let r = get(&app, &format!("/api/nodes/{zone}/neighbors?{bad}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(r.error_code(), "invalid_param", "{bad}");
    }
}

#[tokio::test]
async fn path_joins_two_nodes_or_says_why_not() {
    let app = sample_app();
    let (a, b) = (enc("国家超级计算中心"), enc("半岛科创联盟"));
    let r = get(&app, &format!("/api/path?from={a}&to={b}")).await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["nodes"].as_array().unwrap().len(), 5);
    assert_eq!(v["edges"].as_array().unwrap().len(), 4);

    let r = get(&app, &format!("/api/path?from={a}&to={b}&label=depends_on")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_code(), "no_path");

    let r = get(&app, &format!("/api/path?from={a}")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = get(&app, &format!("/api/path?from={a}&to={}", enc("无此节点"))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn rank_lists_entities_and_checks_its_kind() {
    let app = sample_app();
    let r = get(&app, "/api/rank?kind=institution&limit=3").await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["kind"], "institution");
    let first = &v["entities"][0];
    assert_eq!(first["name"], "国家超级计算中心");
    assert_eq!(first["goals"], 2);
    assert!(first["pagerank"].as_f64().unwrap() > 0.0);
    for bad in ["kind=goal", "kind=lab", "limit=0", "limit=x"] {
        let r = get(&app, &format!("/api/rank?{bad}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
    }
}

#[tokio::test]
async fn co_dependent_goals_of_a_goal() {
    let app = sample_app();
    let r = get(
        &app,
        &format!("/api/nodes/{}/co-dependent", enc("强化科技人才引进培养")),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["goals"][0]["name"], "深化科技管理改革");
    let r = get(&app, &format!("/api/nodes/{}/co-dependent", enc("高新区"))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "not a goal");
}

#[tokio::test]
async fn stats_and_documents() {
    let app = sample_app();
    let v = get(&app, "/api/stats").await.json();
    assert_eq!(v["documents"], 3);
    // 4 + 1 + 1 goals; depends_on: 2 + 1 (2021), 1 (2022), 1 (the other unit)
    assert_eq!(v["nodes"]["goal"], 6);
    assert_eq!(v["edges"]["depends_on"], 5);
    let d = get(&app, "/api/documents?limit=2").await.json();
    assert_eq!(d["total"], 3);
    assert_eq!(d["documents"].as_array().unwrap().len(), 2);
    assert!(d["documents"][0]["unit"].is_string());
}

#[tokio::test]
async fn search_checks_its_parameters() {
    let app = sample_app();
    let r = get(
        &app,
        &format!(
            "/api/search?q={}&kind=goal,institution&limit=5",
            enc("平台")
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert!(v["hits"].is_array() && v["total"].is_u64() && v["query"].is_string());
    for bad in [
        "",
        "q=",
        "q=%20%20",
        "q=x&limit=abc",
        "q=x&limit=0",
        "q=x&limit=100000",
        "q=x&kind=lab",
        "q=x&year=twenty",
        "q=x&offset=-3",
        "q=a&q=b",
    ] {
        let r = get(&app, &format!("/api/search?{bad}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(r.error_code(), "invalid_param", "{bad}");
    }
}

#[tokio::test]
async fn unknown_routes_and_methods_get_json_errors() {
    let app = sample_app();
    let r = get(&app, "/api/nothing").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_code(), "not_found");
    let r = send(
        &app,
        Request::delete("/api/stats").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.error_code(), "method_not_allowed");
    assert!(r.headers.contains_key(header::ALLOW));
}

#[tokio::test]
async fn responses_are_compressed_when_the_client_accepts_gzip() {
    let app = sample_app();
    let r = send(
        &app,
        Request::get("/api/openapi.json")
            .header(header::ACCEPT_ENCODING, "gzip")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::CONTENT_ENCODING], "gzip");
}

// ---- uploads: type, size and the write guard ----

#[tokio::test]
async fn uploads_of_unsupported_types_are_415() {
    let app = sample_app();
    let r = post(
        &app,
        "/api/documents?filename=plan.pdf",
        &[],
        b"%PDF-1.4".to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(r.error_code(), "unsupported_type");
    let r = post(
        &app,
        "/api/documents?filename=plan.txt",
        &[("content-type", "multipart/form-data; boundary=x")],
        b"--x--".to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = post(&app, "/api/documents", &[], b"text".to_vec()).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "no file name");
    let r = post(&app, "/api/documents?filename=", &[], b"text".to_vec()).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "empty file name");
}

#[tokio::test]
async fn uploads_over_the_limit_are_413() {
    let app = sample_app();
    let big = vec![b'a'; BODY_LIMIT + 1];
    // Declared too large: refused before the body is read.
    let len = big.len().to_string();
    let r = post(
        &app,
        "/api/documents?filename=big.txt",
        &[("content-length", &len)],
        big.clone(),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.error_code(), "too_large");
    // Streamed without a length: refused while reading.
    let r = post(&app, "/api/documents?filename=big.txt", &[], big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.error_code(), "too_large");
}

fn sample_kg() -> KnowledgeGraph {
    let kg = KnowledgeGraph::temporary().unwrap();
    for d in sample_docs() {
        kg.store().write_document(&d).unwrap();
    }
    // written past the pipeline: the text index (which names resolve by) is built after
    kg.sync_index().unwrap();
    kg
}

#[tokio::test]
async fn remote_uploads_need_a_configured_token() {
    // The type check comes after the guard: 415 means the guard let the request through.
    let probe = "/api/documents?filename=x.pdf";

    let remote = app_with(sample_kg(), None, REMOTE);
    let r = post(&remote, probe, &[], b"x".to_vec()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.error_code(), "forbidden");
    let r = post(
        &remote,
        probe,
        &[("authorization", "Bearer guess")],
        b"x".to_vec(),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "no token configured: no token works"
    );

    let guarded = app_with(sample_kg(), Some("s3cret"), REMOTE);
    let r = post(&guarded, probe, &[], b"x".to_vec()).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.error_code(), "unauthorized");
    assert!(r.headers[header::WWW_AUTHENTICATE]
        .to_str()
        .unwrap()
        .starts_with("Bearer"));
    let r = post(
        &guarded,
        probe,
        &[("authorization", "Bearer wrong")],
        b"x".to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(
        &guarded,
        probe,
        &[("authorization", "Basic czNjcmV0")],
        b"x".to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "not a bearer token");
    let r = post(
        &guarded,
        probe,
        &[("authorization", "Bearer s3cret")],
        b"x".to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "right token");

    // With a token configured, this machine needs it too; a wrong one is refused, and a
    // proxied request counts as remote.
    let local = app_with(sample_kg(), Some("s3cret"), LOCAL);
    let r = post(&local, probe, &[], b"x".to_vec()).await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "loopback without the token"
    );
    assert_eq!(r.error_code(), "unauthorized");
    let r = post(
        &local,
        probe,
        &[("authorization", "Bearer s3cret")],
        b"x".to_vec(),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "loopback, right token"
    );
    let r = post(
        &local,
        probe,
        &[("authorization", "Bearer wrong")],
        b"x".to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(
        &local,
        probe,
        &[("x-forwarded-for", "198.51.100.7")],
        b"x".to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let open_local = app_with(sample_kg(), None, LOCAL);
    let r = post(
        &open_local,
        probe,
        &[("forwarded", "for=198.51.100.7")],
        b"x".to_vec(),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Reads need nothing.
    assert_eq!(get(&remote, "/api/stats").await.status, StatusCode::OK);
}

/// Query strings, paths and methods a client might send by mistake or on purpose.
fn junk_requests() -> Vec<(Method, String)> {
    let values = [
        "",
        "%",
        "%zz",
        "%ff%fe",
        "%00",
        "-1",
        "1e9",
        "99999999999999999999999",
        "NaN",
        "true",
        "[]",
        "{}",
        "%E4%B8",
        "a%2Cb%2C%2C",
        ",,,",
        "%20",
        "%F0%9F%98%80",
        "..%2F..%2Fetc%2Fpasswd",
        "'%20OR%201=1--",
        "<script>",
    ];
    let long = "x".repeat(20_000);
    let mut reqs = Vec::new();
    for v in values.iter().copied().chain([long.as_str()]) {
        for q in [
            format!("/api/search?q={v}"),
            format!("/api/search?q=x&kind={v}&limit={v}&offset={v}&year={v}&unit={v}"),
            format!("/api/trace?name={v}"),
            format!("/api/trace?name=x&limit={v}"),
            format!("/api/nodes/{v}"),
            format!("/api/nodes/{v}/neighbors?depth={v}&label={v}&kind={v}&limit={v}"),
            format!("/api/nodes/g-talent/neighbors?depth={v}"),
            format!("/api/nodes/{v}/co-dependent?kind={v}&limit={v}"),
            format!("/api/path?from={v}&to={v}&label={v}"),
            format!("/api/rank?kind={v}&limit={v}"),
            format!("/api/documents?limit={v}&offset={v}"),
            format!("/{v}"),
            format!("/api/{v}"),
            format!("/api/nodes/x/{v}"),
            format!("/api/stats?{v}"),
        ] {
            if q.parse::<axum::http::Uri>().is_ok() {
                reqs.push((Method::GET, q));
            }
        }
    }
    for path in ["/api/stats", "/api/trace", "/", "/api/nodes/x", "/health"] {
        for m in [Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
            reqs.push((m, path.to_string()));
        }
    }
    reqs.push((Method::GET, "/api/trace?name=x&name=y".into()));
    reqs.push((Method::GET, "//api//trace".into()));
    reqs.push((Method::GET, "/api/nodes/".into()));
    reqs.push((Method::GET, "/api/nodes/a/b/c/d".into()));
    reqs
}

#[tokio::test]
async fn junk_requests_never_yield_a_500() {
    let app = sample_app();
    let reqs = junk_requests();
    assert!(reqs.len() > 300);
    for (method, uri) in reqs {
        let r = send(
            &app,
            Request::builder()
                .method(method.clone())
                .uri(&uri)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        let shown: String = uri.chars().take(120).collect();
        assert!(
            !r.status.is_server_error(),
            "{method} {shown}: {} {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        );
        if r.status.is_client_error() {
            r.error_code();
        }
    }
}

// ---- with the real pipeline ----

#[tokio::test]
async fn an_uploaded_document_is_then_found_by_search_and_trace() {
    let app = app_with(KnowledgeGraph::temporary().unwrap(), None, LOCAL);
    // Query the graph first, so the upload has a view to update in place.
    assert_eq!(get(&app, "/api/stats").await.json()["documents"], 0);
    let r = post(
        &app,
        "/api/documents?filename=qingdao-kejiju-2021-business-goals.txt",
        &[("content-type", "text/plain; charset=utf-8")],
        common::seed_bytes(),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let v = r.json();
    assert_eq!(v["status"], "inserted");
    assert_eq!(v["unit"], "市科技局");
    assert_eq!(v["year"], 2021);

    let s = get(&app, &format!("/api/search?q={}", enc("高端创新平台")))
        .await
        .json();
    assert!(
        s["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["name"] == "加快高端创新平台建设"),
        "{s}"
    );
    let t = get(
        &app,
        &format!("/api/trace?name={}", enc("国家超级计算中心")),
    )
    .await;
    assert_eq!(t.status, StatusCode::OK);
    assert!(t.json()["goals"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["name"] == "加快高端创新平台建设"));

    let again = post(
        &app,
        "/api/documents?filename=qingdao-kejiju-2021-business-goals.txt",
        &[],
        common::seed_bytes(),
    )
    .await;
    assert_eq!(again.json()["status"], "unchanged");
}

#[tokio::test]
async fn junk_uploads_are_refused_without_a_500() {
    let app = app_with(KnowledgeGraph::temporary().unwrap(), None, LOCAL);
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("empty.txt", Vec::new()),
        ("zeros.txt", vec![0u8; 4096]),
        ("binary.txt", (0..=255u8).cycle().take(10_000).collect()),
        ("png.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()),
        ("notzip.docx", b"PK\x03\x04garbage".to_vec()),
        ("text.docx", "不是一个文档".as_bytes().to_vec()),
        ("nogoals.md", "# 标题\n\n只有一段文字。".as_bytes().to_vec()),
        ("half.txt", common::seed_bytes()[..200].to_vec()),
        ("utf16.txt", vec![0xFF, 0xFE, 0x00, 0xD8]),
        ("lines.txt", "\n".repeat(100_000).into_bytes()),
    ];
    for (name, body) in bodies {
        let r = post(&app, &format!("/api/documents?filename={name}"), &[], body).await;
        assert!(
            r.status.is_client_error() || r.status == StatusCode::OK,
            "{name}: {} {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        );
        if r.status.is_client_error() {
            r.error_code();
        }
    }
}

// ---- the server process ----

#[test]
fn serve_prints_its_address_answers_and_stops_gracefully_on_ctrl_c() {
    use std::io::{BufRead, BufReader, Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_plangraph"))
        .arg("--data")
        .arg(dir.path())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {first:?}"));
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    let mut conn = std::net::TcpStream::connect(addr).unwrap();
    write!(
        conn,
        "GET /health HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    conn.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains(r#""status":"ok""#), "{reply}");

    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "a clean exit after Ctrl-C");
}

/// A request to `route` that the server answers with 200 when `extra` is acceptable.
fn bounded_uri(route: &str, extra: &str) -> String {
    let base = match route {
        "/api/search" => format!("/api/search?q={}", enc("科技")),
        "/api/trace" => format!("/api/trace?name={}", enc("国家超级计算中心")),
        "/api/duties" => format!("/api/duties?name={}", enc("中科院")),
        "/api/impact" => format!("/api/impact?name={}", enc("国家超级计算中心")),
        "/api/nodes/{id}/neighbors" => format!("/api/nodes/{}/neighbors?", enc("国家超级计算中心")),
        "/api/nodes/{id}/co-dependent" => "/api/nodes/g-platforms/co-dependent?".to_string(),
        other => format!("{other}?"),
    };
    let sep = if base.ends_with('?') { "" } else { "&" };
    format!("{base}{sep}{extra}")
}

/// The OpenAPI document declares every bound the server enforces, from `src/limits.rs`;
/// each declared edge is accepted and one past it refused, so the document and the checks
/// cannot drift apart.
#[tokio::test]
async fn openapi_declares_every_enforced_bound() {
    use plangraph::limits::*;
    let app = sample_app();
    let doc = get(&app, "/api/openapi.json").await.json();
    let param = |route: &str, name: &str| -> Value {
        let ops = &doc["paths"][route];
        ["get", "post"]
            .iter()
            .flat_map(|m| ops[*m]["parameters"].as_array().into_iter().flatten())
            .find(|p| p["name"] == name && p["in"] == "query")
            .unwrap_or_else(|| panic!("{route} has no query parameter {name}"))
            .clone()
    };
    // The constants, route by route.
    let expected: &[(&str, Bound)] = &[
        ("/api/search", SEARCH_LIMIT),
        ("/api/search", SEARCH_OFFSET),
        ("/api/search", SEARCH_YEAR),
        ("/api/trace", TRACE_LIMIT),
        ("/api/trace", TRACE_OFFSET),
        ("/api/duties", DUTIES_YEAR),
        ("/api/impact", IMPACT_LIMIT),
        ("/api/targets", TARGETS_LIMIT),
        ("/api/targets", TARGETS_OFFSET),
        ("/api/targets", TARGETS_YEAR),
        ("/api/nodes/{id}/neighbors", NEIGHBORS_DEPTH),
        ("/api/nodes/{id}/neighbors", NEIGHBORS_LIMIT),
        ("/api/nodes/{id}/co-dependent", CO_DEPENDENT_LIMIT),
        ("/api/rank", RANK_LIMIT),
        ("/api/documents", DOCUMENTS_LIMIT),
        ("/api/documents", DOCUMENTS_OFFSET),
        ("/api/overview", OVERVIEW_LIMIT),
    ];
    for (route, b) in expected {
        let schema = &param(route, b.param)["schema"];
        let what = format!("{route} {}", b.param);
        assert_eq!(schema["minimum"].as_u64(), Some(b.min as u64), "{what}");
        assert_eq!(schema["maximum"].as_u64(), Some(b.max as u64), "{what}");
        let status = |v: u128| {
            let app = app.clone();
            let uri = bounded_uri(route, &format!("{}={v}", b.param));
            async move { (get(&app, &uri).await.status, uri) }
        };
        for ok in [b.min as u128, b.max.min(u16::MAX as usize) as u128] {
            let (s, uri) = status(ok).await;
            assert_eq!(s, StatusCode::OK, "{uri}");
        }
        let (s, uri) = status(b.max as u128 + 1).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}");
        if b.min > 0 {
            let (s, uri) = status(b.min as u128 - 1).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}");
        }
    }
    // The years of `diff`: declared as u16 bounds; a year past them is refused naming the
    // parameter (one inside them is answered, or refused for want of a document of it).
    let years: &[(&str, Bound)] = &[("/api/diff", DIFF_FROM), ("/api/diff", DIFF_TO)];
    for (route, b) in years {
        let schema = &param(route, b.param)["schema"];
        assert_eq!(schema["minimum"].as_u64(), Some(b.min as u64), "{route}");
        assert_eq!(schema["maximum"].as_u64(), Some(b.max as u64), "{route}");
        let other = if b.param == "from" { "to" } else { "from" };
        let uri = format!(
            "{route}?unit={}&{other}=2021&{}={}",
            enc("市科技局"),
            b.param,
            b.max as u128 + 1
        );
        let r = get(&app, &uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(r.json()["error"]["param"], b.param, "{uri}");
    }
    let expected: Vec<(&str, Bound)> = expected.iter().chain(years).copied().collect();
    // Every integer query parameter of the document is bounded on both sides.
    for (route, ops) in doc["paths"].as_object().unwrap() {
        for op in ops.as_object().unwrap().values() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["schema"]["type"] == "integer" {
                    assert!(
                        expected
                            .iter()
                            .any(|(r, b)| r == route && p["name"] == b.param),
                        "{route} {} is not among the checked bounds",
                        p["name"]
                    );
                }
            }
        }
    }
    // The text parameters: required, non-blank, the query's longest length.
    let texts: &[(&str, Text)] = &[
        ("/api/search", SEARCH_QUERY),
        ("/api/trace", TRACE_NAME),
        ("/api/duties", DUTIES_NAME),
        ("/api/impact", IMPACT_NAME),
        ("/api/path", PATH_FROM),
        ("/api/path", PATH_TO),
        ("/api/documents", UPLOAD_FILENAME),
    ];
    for (route, t) in texts {
        let p = param(route, t.param);
        let what = format!("{route} {}", t.param);
        assert_eq!(p["required"], true, "{what}");
        assert_eq!(p["schema"]["minLength"], 1, "{what}");
        assert_eq!(
            p["schema"]["maxLength"].as_u64(),
            t.max_chars.map(|m| m as u64),
            "{what}"
        );
        let pattern = regex::Regex::new(p["schema"]["pattern"].as_str().unwrap()).unwrap();
        for blank in [" ", "\t", "　"] {
            assert!(!pattern.is_match(blank), "{what} admits {blank:?}");
        }
    }
    assert_eq!(
        param("/api/search", "q")["schema"]["maxLength"],
        MAX_QUERY_CHARS
    );
    let q = |n: usize| format!("/api/search?q={}", enc(&"科".repeat(n)));
    assert_eq!(get(&app, &q(MAX_QUERY_CHARS)).await.status, StatusCode::OK);
    assert_eq!(
        get(&app, &q(MAX_QUERY_CHARS + 1)).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&app, "/api/search?q=%20").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&app, "/api/trace?name=%20").await.status,
        StatusCode::BAD_REQUEST
    );
    let path = |from: &str, to: &str| format!("/api/path?from={}&to={}", enc(from), enc(to));
    assert_eq!(
        get(&app, &path(" ", "高新区")).await.status,
        StatusCode::BAD_REQUEST
    );
    // The upload's name: what the pattern admits is what the server takes.
    let names = regex::Regex::new(UPLOAD_NAME_PATTERN).unwrap();
    for ok in ["a.txt", "dir/b.MD", "c:\\x\\计划.docx", " 目标 .txt"] {
        assert!(names.is_match(ok), "{ok}");
    }
    for refused in ["a/", " ", ".txt", "a.pdf", "a.txt/", "x/ .txt"] {
        assert!(!names.is_match(refused), "{refused}");
        let r = post(
            &app,
            &format!("/api/documents?filename={}", enc(refused)),
            &[],
            b"x".to_vec(),
        )
        .await;
        assert!(r.status.is_client_error(), "{refused}: {}", r.status);
    }
    // The kind and label lists admit the names the server parses, and nothing else.
    let kinds = regex::Regex::new(
        param("/api/search", "kind")["schema"]["pattern"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    for ok in ["", "goal", "goal, institution", "place，unit,", " target "] {
        assert!(kinds.is_match(ok), "{ok:?}");
        let r = get(&app, &format!("/api/search?q=a&kind={}", enc(ok))).await;
        assert_eq!(r.status, StatusCode::OK, "{ok:?}");
    }
    for bad in ["goals", "goal;unit", "x"] {
        assert!(!kinds.is_match(bad), "{bad:?}");
        let r = get(&app, &format!("/api/search?q=a&kind={}", enc(bad))).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad:?}");
    }
    let rank = regex::Regex::new(
        param("/api/rank", "kind")["schema"]["pattern"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert!(rank.is_match("institution") && !rank.is_match("goal"));
    assert!(!rank.is_match("place,institution"));
}

/// Found by schemathesis: a compressed backup polled its body stream once more after the
/// end, which panicked the worker and cut the connection without a reply.
#[tokio::test]
async fn a_compressed_backup_streams_to_the_end() {
    let app = sample_app();
    let plain = get(&app, "/api/backup").await;
    assert_eq!(plain.status, StatusCode::OK);
    let lines = plain
        .body
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    // header, 3 documents, and the nodes and edges of the sample graph
    let stats = get(&app, "/api/stats").await.json();
    let count = |v: &Value| -> u64 {
        v.as_object()
            .unwrap()
            .values()
            .map(|n| n.as_u64().unwrap())
            .sum()
    };
    assert_eq!(
        lines as u64,
        1 + 3 + count(&stats["nodes"]) + count(&stats["edges"])
    );
    let gz = send(
        &app,
        Request::get("/api/backup")
            .header(header::ACCEPT_ENCODING, "gzip")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(gz.status, StatusCode::OK);
    assert_eq!(gz.headers[header::CONTENT_ENCODING], "gzip");
    assert_eq!(&gz.body[..2], &[0x1f, 0x8b], "a gzip stream");
    let inflated = {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&gz.body[..])
            .read_to_end(&mut out)
            .unwrap();
        out
    };
    assert_eq!(inflated, plain.body);
}

#[tokio::test]
async fn trace_pages_with_offset_and_groups_count_the_whole_trace() {
    let kg = KnowledgeGraph::temporary().unwrap();
    for d in crate::graph::paged_docs() {
        kg.store().write_document(&d).unwrap();
    }
    let app = app_with(kg, None, LOCAL);
    let zone = enc("高新区");
    let full = get(&app, &format!("/api/trace?name={zone}")).await.json();
    let ids = |v: &Value| -> Vec<String> {
        v["goals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["id"].as_str().unwrap().to_string())
            .collect()
    };
    let all = ids(&full);
    let total = full["total"].as_u64().unwrap() as usize;
    assert_eq!((all.len(), total), (18, 18));
    assert_eq!(full["offset"], 0);
    let groups = full["groups"].as_array().unwrap();
    assert_eq!(
        groups
            .iter()
            .map(|g| g["goals"].as_u64().unwrap())
            .sum::<u64>(),
        18
    );
    assert_eq!(
        groups[0],
        serde_json::json!({"unit": "区科委", "year": 2023, "goals": 6})
    );
    for (offset, limit) in [(0, 5), (5, 5), (15, 5), (18, 5), (30, 1)] {
        let r = get(
            &app,
            &format!("/api/trace?name={zone}&offset={offset}&limit={limit}"),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        let page = r.json();
        let (from, to) = (offset.min(total), (offset + limit).min(total));
        assert_eq!(ids(&page), all[from..to], "offset {offset} limit {limit}");
        assert_eq!(page["offset"], offset);
        assert_eq!(page["total"], total);
        assert_eq!(page["groups"], full["groups"]);
    }
    for bad in ["offset=abc", "offset=-1", "limit=0"] {
        let r = get(&app, &format!("/api/trace?name={zone}&{bad}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(r.error_code(), "invalid_param", "{bad}");
    }
}
