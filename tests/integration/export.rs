//! Exports, import, backup and restore, on the seed and on a generated corpus.

use crate::common::seed_path;
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode};
use plangraph::export::{self, Destination, Format};
use plangraph::knowledge_graph::KnowledgeGraph;
use plangraph::store::FORMAT_VERSION;
use plangraph::{Error, NodeKind};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tempfile::TempDir;
use tower::ServiceExt;

fn open_with(data: &Path, paths: &[PathBuf]) -> KnowledgeGraph {
    let kg = KnowledgeGraph::open(data).unwrap();
    let report = kg.ingest_paths(paths, &mut |_| {}).unwrap();
    assert_eq!(report.failed, 0, "{:?}", report.files);
    kg
}

fn jsonl(kg: &KnowledgeGraph) -> String {
    let mut buf = Vec::new();
    kg.export_jsonl(&mut buf).unwrap();
    String::from_utf8(buf).unwrap()
}

fn export_to(kg: &KnowledgeGraph, format: Format, path: &Path) -> u64 {
    let mut ticks = 0;
    export::export(kg, format, &Destination::Path(path.into()), &mut |n| {
        ticks += n
    })
    .unwrap();
    ticks
}

/// A data folder holding the seed.
fn seed_graph(tmp: &TempDir) -> KnowledgeGraph {
    open_with(&tmp.path().join("data"), &[seed_path()])
}

fn round_trip(kg: &KnowledgeGraph, tmp: &TempDir, name: &str) -> (String, KnowledgeGraph) {
    let first = jsonl(kg);
    let file = tmp.path().join(format!("{name}.jsonl"));
    std::fs::write(&file, &first).unwrap();
    let data = tmp.path().join(name);
    let report = export::import_jsonl(&data, &file, &mut |_| {}).unwrap();
    let stats = kg.stats().unwrap();
    assert_eq!(report.documents, stats.documents);
    assert_eq!(report.nodes, stats.nodes.values().sum::<u64>());
    let copy = KnowledgeGraph::open(&data).unwrap();
    assert!(copy.store().verify().unwrap().is_empty());
    (first, copy)
}

#[test]
fn jsonl_export_import_export_gives_identical_lines_on_the_seed() {
    let tmp = TempDir::new().unwrap();
    let kg = seed_graph(&tmp);
    // A user correction rides along as an `alias` line.
    let added = kg.add_alias("能源院", "山东能源研究院").unwrap();
    let (first, copy) = round_trip(&kg, &tmp, "copy");
    assert_eq!(first, jsonl(&copy));
    assert_eq!(copy.list_aliases().unwrap(), kg.list_aliases().unwrap());
    assert_eq!(copy.resolve("能源院").unwrap().id, added.node);
    let last: serde_json::Value = serde_json::from_str(first.lines().last().unwrap()).unwrap();
    assert_eq!(last["type"], "alias");
    assert_eq!(last["alias"], "能源院");
    assert_eq!(last["node"], added.node.as_str());
    // The lines carry the aliases and the document record.
    let lines: Vec<serde_json::Value> = first
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["type"], "header");
    let fund = lines
        .iter()
        .find(|l| l["type"] == "node" && l["name"] == "齐鲁前海（青岛）创业投资基金")
        .expect("the fund is a node");
    assert!(fund["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "北方基金"));
    let docs: Vec<_> = lines.iter().filter(|l| l["type"] == "document").collect();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["unit"], "市科技局");
    // The copy answers by alias and traces the same goals (its text index was rebuilt).
    let ids = |k: &KnowledgeGraph| -> Vec<String> {
        k.trace("北方基金", None)
            .unwrap()
            .goals
            .into_iter()
            .map(|g| g.goal.id)
            .collect()
    };
    assert_eq!(ids(&kg).len(), 1, "one goal relies on the fund");
    assert_eq!(ids(&kg), ids(&copy));
    let hits = |k: &KnowledgeGraph| {
        k.search(&plangraph::index::SearchRequest {
            query: "海洋".into(),
            kinds: vec![],
            unit: None,
            year: None,
            limit: 50,
            offset: 0,
        })
        .unwrap()
        .total
    };
    assert_eq!(hits(&kg), hits(&copy));
}

#[test]
fn jsonl_round_trip_is_identical_on_a_generated_corpus() {
    let tmp = TempDir::new().unwrap();
    let files = crate::corpus::write_corpus(&tmp.path().join("corpus"), 40, 7).unwrap();
    let kg = open_with(&tmp.path().join("data"), &files);
    assert_eq!(kg.stats().unwrap().documents, 40);
    let (first, copy) = round_trip(&kg, &tmp, "copy");
    assert_eq!(first, jsonl(&copy));
    // Shared entities keep their reference counts: replacing a document in the copy
    // leaves what other documents mention, as in the original.
    let again = crate::corpus::write_corpus(&tmp.path().join("corpus2"), 40, 8).unwrap();
    let r1 = kg.ingest_paths(&again[..3], &mut |_| {}).unwrap();
    let r2 = copy.ingest_paths(&again[..3], &mut |_| {}).unwrap();
    assert_eq!(r1.failed + r2.failed, 0);
    let strip = |s: String| -> Vec<String> {
        // ingested_at differs between the two ingests.
        s.lines()
            .map(|l| {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                if let Some(o) = v.as_object_mut() {
                    o.remove("ingested_at");
                }
                v.to_string()
            })
            .collect()
    };
    assert_eq!(strip(jsonl(&kg)), strip(jsonl(&copy)));
    assert!(copy.store().verify().unwrap().is_empty());
}

#[test]
fn import_refuses_a_folder_that_holds_a_graph() {
    let tmp = TempDir::new().unwrap();
    let kg = seed_graph(&tmp);
    let file = tmp.path().join("g.jsonl");
    std::fs::write(&file, jsonl(&kg)).unwrap();
    drop(kg);
    let err = export::import_jsonl(&tmp.path().join("data"), &file, &mut |_| {}).unwrap_err();
    assert!(matches!(err, Error::NotEmpty { .. }), "{err}");
    assert!(err.to_string().contains("already holds a graph"), "{err}");
    // The graph that was there is untouched.
    let kg = KnowledgeGraph::open(&tmp.path().join("data")).unwrap();
    assert_eq!(kg.stats().unwrap().documents, 1);
}

#[test]
fn a_bad_or_truncated_file_is_refused_with_its_line_and_leaves_the_folder_empty() {
    let tmp = TempDir::new().unwrap();
    let kg = seed_graph(&tmp);
    let text = jsonl(&kg);
    let lines: Vec<&str> = text.lines().collect();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "truncated",
            lines[..lines.len() - 1].join("\n"),
            "truncated or edited",
        ),
        (
            "garbled",
            {
                let mut l = lines.clone();
                l[5] = "{\"type\": \"node\", \"id\": 3";
                l.join("\n")
            },
            ":6:",
        ),
        ("no header", lines[1..].join("\n"), "before the header"),
        (
            "edge before its node",
            {
                let edge = lines
                    .iter()
                    .position(|l| l.contains("\"type\":\"edge\""))
                    .unwrap();
                let mut l = lines.clone();
                let e = l.remove(edge);
                l.insert(1, e);
                l.join("\n")
            },
            "is not among the nodes before it",
        ),
        (
            "newer version",
            text.replacen("\"version\":1", "\"version\":99", 1),
            "upgrade plangraph",
        ),
    ];
    for (name, body, expected) in cases {
        let file = tmp.path().join(format!("{name}.jsonl"));
        std::fs::write(&file, body).unwrap();
        let data = tmp.path().join(format!("into-{name}"));
        let err = export::import_jsonl(&data, &file, &mut |_| {}).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(expected), "{name}: {msg}");
        assert!(msg.contains(&file.display().to_string()), "{name}: {msg}");
        assert!(
            !data.join("graph").exists(),
            "{name}: a store was left behind"
        );
        // The folder takes a good import afterwards.
        let good = tmp.path().join("good.jsonl");
        std::fs::write(&good, &text).unwrap();
        export::import_jsonl(&data, &good, &mut |_| {}).unwrap();
    }
}

/// Node and edge counts of the store.
fn counts(kg: &KnowledgeGraph) -> (u64, u64) {
    let s = kg.stats().unwrap();
    (s.nodes.values().sum(), s.edges.values().sum())
}

#[test]
fn graphml_holds_every_node_and_edge_with_typed_keys() {
    use quick_xml::events::Event;
    let tmp = TempDir::new().unwrap();
    let kg = seed_graph(&tmp);
    let path = tmp.path().join("g.graphml");
    let ticks = export_to(&kg, Format::Graphml, &path);
    let (nodes, edges) = counts(&kg);
    assert_eq!(ticks, nodes + edges);
    let xml = std::fs::read_to_string(&path).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut keys: BTreeMap<String, (String, String)> = BTreeMap::new(); // id -> (name, type)
    let (mut n, mut e) = (0u64, 0u64);
    let mut node_ids = HashSet::new();
    let mut endpoints = Vec::new();
    let mut current_key = String::new();
    let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(t) | Event::Empty(t) => {
                let attr = |name: &str| {
                    t.try_get_attribute(name)
                        .unwrap()
                        .map(|a| a.unescape_value().unwrap().into_owned())
                };
                match t.name().as_ref() {
                    b"key" => {
                        keys.insert(
                            attr("id").unwrap(),
                            (attr("attr.name").unwrap(), attr("attr.type").unwrap()),
                        );
                    }
                    b"node" => {
                        n += 1;
                        node_ids.insert(attr("id").unwrap());
                    }
                    b"edge" => {
                        e += 1;
                        endpoints.push((attr("source").unwrap(), attr("target").unwrap()));
                    }
                    b"data" => current_key = attr("key").unwrap(),
                    _ => {}
                }
            }
            Event::Text(text) if !current_key.is_empty() => {
                let name = keys[&current_key].0.clone();
                values
                    .entry(name)
                    .or_default()
                    .push(text.unescape().unwrap().into_owned());
                current_key.clear();
            }
            _ => {}
        }
    }
    assert_eq!((n, e), (nodes, edges));
    assert!(endpoints
        .iter()
        .all(|(s, t)| node_ids.contains(s) && node_ids.contains(t)));
    let ty = |name: &str| {
        keys.values()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| panic!("no key {name}"))
    };
    assert_eq!(ty("year"), "long");
    assert_eq!(ty("evidence_start"), "long");
    assert_eq!(ty("evidence_sentence"), "string");
    assert_eq!(ty("label"), "string");
    assert!(values["aliases"].iter().any(|a| a.contains("北方基金")));
    assert!(values["year"].iter().all(|y| y == "2021"));
    assert_eq!(values["kind"].len() as u64, nodes);
}

#[test]
fn neo4j_csvs_hold_every_node_and_edge_and_the_script_creates_them() {
    let tmp = TempDir::new().unwrap();
    let kg = seed_graph(&tmp);
    let dir = tmp.path().join("neo4j");
    export_to(&kg, Format::Neo4j, &dir);
    let stats = kg.stats().unwrap();
    let mut ids = HashSet::new();
    let mut node_rows: BTreeMap<String, u64> = BTreeMap::new();
    let mut rel_rows: BTreeMap<String, u64> = BTreeMap::new();
    let mut rels = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".csv") {
            continue;
        }
        let mut r = csv::Reader::from_path(&path).unwrap();
        let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
        for row in r.records() {
            let row = row.unwrap();
            if let Some(kind) = name
                .strip_prefix("nodes_")
                .and_then(|n| n.strip_suffix(".csv"))
            {
                assert_eq!(header[0], "id:ID");
                assert_eq!(header.last().unwrap(), ":LABEL");
                assert!(row[header.len() - 1].starts_with("Node;"));
                ids.insert(row[0].to_string());
                *node_rows.entry(kind.to_string()).or_default() += 1;
            } else {
                assert_eq!(&header[..2], [":START_ID", ":END_ID"]);
                assert_eq!(header.last().unwrap(), ":TYPE");
                let label = name
                    .strip_prefix("relationships_")
                    .unwrap()
                    .split('.')
                    .next()
                    .unwrap();
                assert_eq!(row[header.len() - 1], label.to_uppercase());
                rels.push((row[0].to_string(), row[1].to_string()));
                *rel_rows.entry(label.to_string()).or_default() += 1;
            }
        }
        if name == "nodes_goal.csv" {
            assert!(header.contains(&"year:long".to_string()), "{header:?}");
        }
        if name.starts_with("relationships_depends_on") {
            assert!(header.contains(&"evidence_sentence:string".to_string()));
        }
    }
    assert_eq!(node_rows, stats.nodes_by_name());
    assert_eq!(rel_rows, stats.edges_by_name());
    assert!(rels.iter().all(|(s, t)| ids.contains(s) && ids.contains(t)));
    let script = std::fs::read_to_string(dir.join("graph.cypher")).unwrap();
    let creates = script
        .lines()
        .filter(|l| l.starts_with("CREATE (:Node:"))
        .count() as u64;
    let links = script.lines().filter(|l| l.starts_with("MATCH ")).count() as u64;
    assert_eq!((creates, links), counts(&kg));
    assert!(script.contains("北方基金"));
    // The neo4j export needs a folder.
    let err = export::export(&kg, Format::Neo4j, &Destination::Stdout, &mut |_| {}).unwrap_err();
    assert!(err.to_string().contains("--out DIR"), "{err}");
}

#[test]
fn turtle_parses_and_each_link_is_derived_from_its_evidence_sentence() {
    let tmp = TempDir::new().unwrap();
    let kg = seed_graph(&tmp);
    let path = tmp.path().join("g.ttl");
    export_to(&kg, Format::Turtle, &path);
    let bytes = std::fs::read(&path).unwrap();
    let vocab = plangraph::export::turtle::VOCAB;
    let rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
    let mut typed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut derived = BTreeMap::new();
    let mut sentences = BTreeMap::new();
    let mut links = 0u64;
    for t in oxttl::TurtleParser::new().for_slice(&bytes) {
        let t = t.unwrap();
        let (s, p, o) = (
            t.subject.to_string(),
            t.predicate.as_str().to_string(),
            t.object,
        );
        if p == rdf_type {
            typed.entry(o.to_string()).or_default().insert(s);
        } else if p == "http://www.w3.org/ns/prov#wasDerivedFrom" {
            derived.insert(s, o.to_string());
        } else if p == format!("{vocab}sentence") {
            sentences.insert(s, o.to_string());
        } else if p.starts_with(plangraph::export::turtle::RELATIONS) {
            links += 1;
        }
    }
    let stats = kg.stats().unwrap();
    let class = |c: &str| typed.get(&format!("<{vocab}{c}>")).map_or(0, |s| s.len()) as u64;
    assert_eq!(class("Goal"), stats.nodes[&NodeKind::Goal]);
    assert_eq!(class("Institution"), stats.nodes[&NodeKind::Institution]);
    assert_eq!(class("SourceDocument"), 1);
    assert_eq!(links, counts(&kg).1);
    // Every statement of an edge with evidence is derived from an evidence sentence.
    let with_evidence = kg
        .store()
        .edges()
        .filter(|e| e.as_ref().unwrap().props.contains_key("evidence"))
        .count();
    assert!(with_evidence > 0);
    assert_eq!(derived.len(), with_evidence);
    assert!(derived
        .values()
        .all(|ev| sentences.get(ev).is_some_and(|s| s.len() > 4)));
}

#[test]
fn backup_and_restore_give_the_same_graph_and_refuse_what_they_must() {
    let tmp = TempDir::new().unwrap();
    let kg = seed_graph(&tmp);
    let dir = tmp.path().join("backup");
    let m = export::backup(&kg, &dir, &mut |_| {}).unwrap();
    assert_eq!(m.store_format, FORMAT_VERSION);
    assert_eq!(m.documents, 1);
    let restored = tmp.path().join("restored");
    export::restore(&dir, &restored, &mut |_| {}).unwrap();
    let copy = KnowledgeGraph::open(&restored).unwrap();
    assert_eq!(jsonl(&kg), jsonl(&copy));
    drop(copy);

    // Into a folder that holds a graph: refused.
    let err = export::restore(&dir, &restored, &mut |_| {}).unwrap_err();
    assert!(matches!(err, Error::NotEmpty { .. }), "{err}");
    // A second backup into the same folder: refused.
    let err = export::backup(&kg, &dir, &mut |_| {}).unwrap_err();
    assert!(matches!(err, Error::NotEmpty { .. }), "{err}");

    // A newer store format: refused with what to do.
    let manifest = dir.join("manifest.json");
    let original = std::fs::read_to_string(&manifest).unwrap();
    let newer = original.replace(
        &format!("\"store_format\": {FORMAT_VERSION}"),
        &format!("\"store_format\": {}", FORMAT_VERSION + 1),
    );
    assert_ne!(newer, original);
    std::fs::write(&manifest, newer).unwrap();
    let err = export::restore(&dir, &tmp.path().join("new1"), &mut |_| {}).unwrap_err();
    assert!(err.to_string().contains("upgrade plangraph"), "{err}");
    std::fs::write(&manifest, &original).unwrap();

    // A damaged export: refused before anything is loaded.
    let data = dir.join("graph.jsonl");
    let mut bytes = std::fs::read(&data).unwrap();
    let at = bytes.len() / 2;
    bytes[at] = if bytes[at] == b'1' { b'2' } else { b'1' };
    std::fs::write(&data, &bytes).unwrap();
    let err = export::restore(&dir, &tmp.path().join("new2"), &mut |_| {}).unwrap_err();
    assert!(err.to_string().contains("damaged"), "{err}");
    assert!(!tmp.path().join("new2").join("graph").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_streamed_by_the_server_restores_to_the_same_graph() {
    let tmp = TempDir::new().unwrap();
    let kg = seed_graph(&tmp);
    let expected = jsonl(&kg);
    let app = plangraph::http::router(plangraph::http::AppState::new(Arc::new(kg), None));
    let local = app
        .clone()
        .layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    let res = local
        .oneshot(Request::get("/api/backup").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    assert_eq!(std::str::from_utf8(&body).unwrap(), expected);
    let dir = tmp.path().join("backup");
    export::backup_from_reader(&dir, &body[..]).unwrap();
    export::restore(&dir, &tmp.path().join("restored"), &mut |_| {}).unwrap();
    let copy = KnowledgeGraph::open(&tmp.path().join("restored")).unwrap();
    assert_eq!(jsonl(&copy), expected);

    // A stream cut short is not taken for a backup.
    let cut = &body[..body.len() / 2];
    let err = export::backup_from_reader(&tmp.path().join("cut"), cut).unwrap_err();
    assert!(err.to_string().contains("cut short"), "{err}");

    // From another machine without a token: refused.
    let remote = app.layer(MockConnectInfo(SocketAddr::from(([203, 0, 113, 9], 40000))));
    let res = remote
        .oneshot(Request::get("/api/backup").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[test]
fn exports_taken_while_documents_are_written_are_each_one_consistent_state() {
    let tmp = TempDir::new().unwrap();
    let files = crate::corpus::write_corpus(&tmp.path().join("corpus"), 12, 3).unwrap();
    let kg = Arc::new(open_with(&tmp.path().join("data"), &files[..2]));
    let writer = {
        let kg = kg.clone();
        let rest = files[2..].to_vec();
        std::thread::spawn(move || {
            for f in rest {
                kg.ingest_paths(&[f], &mut |_| {}).unwrap();
            }
        })
    };
    let mut documents = BTreeSet::new();
    for i in 0..6 {
        let file = tmp.path().join(format!("during-{i}.jsonl"));
        std::fs::write(&file, jsonl(&kg)).unwrap();
        // The import checks the header's counts and every invariant of the store.
        let r = export::import_jsonl(&tmp.path().join(format!("copy-{i}")), &file, &mut |_| {})
            .unwrap();
        documents.insert(r.documents);
    }
    writer.join().unwrap();
    assert!(documents.iter().all(|d| (2..=12).contains(d)));
}

#[test]
fn configuration_comes_from_the_file_then_the_environment() {
    use plangraph::cli::config::Config;
    let tmp = TempDir::new().unwrap();
    let data = tmp.path();
    assert_eq!(
        Config::load_with(None, data, |_| None).unwrap(),
        Config::default()
    );
    std::fs::write(
        data.join("plangraph.toml"),
        "addr = \"127.0.0.1:9000\"\nseeds = \"docs/goals\"\n",
    )
    .unwrap();
    let c = Config::load_with(None, data, |_| None).unwrap();
    assert_eq!(c.addr.as_deref(), Some("127.0.0.1:9000"));
    assert_eq!(c.seeds, Some(PathBuf::from("docs/goals")));
    let env = |k: &str| (k == "PLANGRAPH_ADDR").then(|| "127.0.0.1:9100".to_string());
    let c = Config::load_with(None, data, env).unwrap();
    assert_eq!(c.addr.as_deref(), Some("127.0.0.1:9100"));
    assert_eq!(c.seeds, Some(PathBuf::from("docs/goals")));

    let other = data.join("other.toml");
    std::fs::write(&other, "adress = \"x\"\n").unwrap();
    let err = Config::load_with(Some(&other), data, |_| None).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("other.toml") && msg.contains("adress"),
        "{msg}"
    );
    let missing = data.join("missing.toml");
    let err = Config::load_with(Some(&missing), data, |_| None).unwrap_err();
    assert!(err.to_string().contains("missing.toml"), "{err}");
}

fn plangraph(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_plangraph"))
        .args(args)
        .env_remove("PLANGRAPH_DATA")
        .output()
        .unwrap()
}

#[test]
fn the_cli_exports_to_stdout_imports_and_prints_completions_and_versions() {
    let tmp = TempDir::new().unwrap();
    let data = tmp.path().join("data");
    let d = data.to_str().unwrap();
    let seed = seed_path();
    assert!(plangraph(&["--data", d, "ingest", seed.to_str().unwrap()])
        .status
        .success());
    let out = plangraph(&["--data", d, "export", "--format", "jsonl", "--out", "-"]);
    assert!(out.status.success());
    let file = tmp.path().join("g.jsonl");
    std::fs::write(&file, &out.stdout).unwrap();
    let copy = tmp.path().join("copy");
    let c = copy.to_str().unwrap();
    let imported = plangraph(&["--data", c, "import", file.to_str().unwrap()]);
    assert!(imported.status.success(), "{:?}", imported);
    // Off a terminal no progress bar is drawn: stderr holds the one closing line.
    let said = String::from_utf8_lossy(&imported.stderr);
    assert!(
        said.starts_with("imported ") && said.lines().count() == 1,
        "{said}"
    );
    // The graph view is left to the first graph query, which builds and saves it.
    let view = copy.join(plangraph::knowledge_graph::GRAPH_SNAPSHOT);
    assert!(!view.exists());
    let trace = plangraph(&["--data", c, "trace", "中科院", "--json"]);
    assert!(trace.status.success());
    let alone = plangraph(&["--data", d, "trace", "中科院", "--json"]);
    assert_eq!(trace.stdout, alone.stdout);
    assert!(view.exists());
    let again = plangraph(&["--data", c, "export"]);
    assert_eq!(again.stdout, out.stdout);
    let refused = plangraph(&["--data", c, "import", file.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not empty"));

    let ttl = plangraph(&["--data", d, "export", "--format", "turtle"]);
    assert!(ttl.status.success() && ttl.stdout.starts_with(b"@prefix"));

    let version = plangraph(&["--version"]);
    let v = String::from_utf8(version.stdout).unwrap();
    assert!(v.contains(&format!("store format {FORMAT_VERSION}")), "{v}");
    for shell in ["bash", "zsh", "fish"] {
        let out = plangraph(&["completions", shell]);
        assert!(out.status.success());
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(
            script.contains("plangraph") && script.contains("export"),
            "{shell}"
        );
    }
    assert_eq!(NodeKind::Goal.as_str(), "goal");
}
