//! Graph benchmark: trace and 2-hop latency on the petgraph view against SQLite holding
//! the same edges, at 20,000 documents; the cost of keeping the view in step with writes;
//! start-up on the existing store.
//!
//! `cargo bench --bench graph`
//!
//! 1. A store of `PLANGRAPH_BENCH_DOCS` (default 20000) documents is written once under
//!    `$CARGO_TARGET_TMPDIR/bench-graph-SOURCE-N` and reused by later runs (and by
//!    `benches/http.sh`, which finds it through `bench-graph-store.txt`). SOURCE is
//!    `corpus`: the documents of `corpus::generate(N, 2021)`, ingested through
//!    the facade (`KnowledgeGraph::ingest_paths`: decode, parse, extract, sled, tantivy),
//!    timed. When extraction yields no entity edges (before the extraction rules exist),
//!    or with `PLANGRAPH_BENCH_SOURCE=synthetic`, SOURCE is `synthetic`: batches shaped
//!    like the corpus (30 units, years 2015–2025, 5–12 goals each, 2–6 entity edges a goal
//!    drawn with a skew from ~4,000 entities, a target on 30 % of goals, `part_of` for 10 %
//!    of institutions, evidence on every edge), written with `GraphStore::write_document`
//!    (the call the facade's ingest ends in), then the text index is rebuilt from the store.
//! 2. Start-up: `KnowledgeGraph::open`; the graph view built from the store (and saved as
//!    a snapshot), then read from the snapshot by a fresh open.
//! 3. Consistency cost (synthetic source): 200 documents are replaced (new content, same
//!    identity); each write is followed by `GraphView::apply`, as in the facade. Reported:
//!    the apply time per document next to the store write and a full rebuild; then the
//!    updated view is checked equal to a rebuilt one.
//! 4. SQLite baseline: the store's nodes (id, kind) and edges (source, label, target) in a
//!    file database, `WITHOUT ROWID` tables keyed like the store's two edge trees
//!    (source-label-target and target-label-source), 1 GiB page cache.
//! 5. Queries, each checked to give the same count on both sides:
//!    - trace: goals reached backwards from an entity (recursive CTE in SQLite; BFS on
//!      the view), for `PLANGRAPH_BENCH_SAMPLES` (200) random entities that have goals
//!      (those whose ids hash lowest, so runs sample alike);
//!    - 2-hop: nodes within two hops either way, from 100 of those entities and 100 goals;
//!    - the facade's full answers (`trace`: goals with paths, evidence, sorted;
//!      `neighbors` depth 2, at most 500 nodes, with props) for context.
//!
//!    Each query runs `PLANGRAPH_BENCH_REPEAT` (3) times; medians and p99 over all runs.
//!    `PLANGRAPH_BENCH_EXPLAIN=1` prints SQLite's query plans.
//!
//! Results are printed as Markdown and written to `$CARGO_TARGET_TMPDIR/bench-graph.md`.

#[path = "support/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use plangraph::graph::{GraphView, HopFilter};
use plangraph::knowledge_graph::{KnowledgeGraph, NeighborsRequest};
use plangraph::model::{Edge, EdgeLabel, Node, NodeKind, Props};
use plangraph::store::{DocumentBatch, DocumentRecord, GraphStore};
use rusqlite::{params, Connection};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SEED: u64 = 2021;

/// Counts the bytes this process holds, to weigh the graph view.
struct Counting;

static LIVE: std::sync::atomic::AtomicIsize = std::sync::atomic::AtomicIsize::new(0);

unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, std::sync::atomic::Ordering::Relaxed);
        unsafe { std::alloc::System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        LIVE.fetch_sub(layout.size() as isize, std::sync::atomic::Ordering::Relaxed);
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new: usize) -> *mut u8 {
        LIVE.fetch_add(
            new as isize - layout.size() as isize,
            std::sync::atomic::Ordering::Relaxed,
        );
        unsafe { std::alloc::System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live_mib() -> f64 {
    LIVE.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1048576.0
}

fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

// ---- a deterministic corpus of document batches ----

use corpus::{Rng, UNITS};

const FIELDS: [&str; 20] = [
    "海洋",
    "新能源",
    "新材料",
    "人工智能",
    "生物医药",
    "集成电路",
    "智能制造",
    "氢能",
    "轨道交通",
    "高端装备",
    "工业互联网",
    "现代农业",
    "大数据",
    "区块链",
    "节能环保",
    "航空航天",
    "数字经济",
    "医疗器械",
    "智慧城市",
    "康复养老",
];
const INST_TYPES: [&str; 10] = [
    "重点实验室",
    "技术创新中心",
    "工程研究中心",
    "研究院",
    "产业园",
    "孵化器",
    "创新联盟",
    "产业基金",
    "示范基地",
    "新型研发机构",
];
const PREFIXES: [&str; 8] = [
    "国家",
    "山东省",
    "青岛市",
    "青岛",
    "中科院",
    "崂山",
    "西海岸",
    "中德",
];
const ORG_TYPES: [&str; 5] = ["银行", "协会", "集团", "研究所", "大学"];
const PLACES: [&str; 16] = [
    "高新区",
    "自贸区",
    "上合示范区",
    "西海岸新区",
    "蓝谷",
    "崂山区",
    "市南区",
    "市北区",
    "李沧区",
    "城阳区",
    "即墨区",
    "胶州市",
    "平度市",
    "莱西市",
    "红岛",
    "董家口",
];

/// The entity pool: (kind, name), plus a parent for some institutions.
struct Pool {
    entities: Vec<(NodeKind, String)>,
    parents: Vec<Option<usize>>,
}

fn pool() -> Pool {
    let mut entities = Vec::new();
    for p in PREFIXES {
        for f in FIELDS {
            for t in INST_TYPES {
                if entities.len() < 2500 {
                    entities.push((NodeKind::Institution, format!("{p}{f}{t}")));
                }
            }
        }
    }
    let orgs_start = entities.len();
    for p in PREFIXES {
        for f in FIELDS {
            for t in ORG_TYPES {
                if entities.len() < orgs_start + 500 {
                    entities.push((NodeKind::Organization, format!("{p}{f}{t}")));
                }
            }
        }
    }
    for p in PLACES {
        entities.push((NodeKind::Place, p.to_string()));
    }
    for i in 0..600 {
        entities.push((
            NodeKind::Document,
            format!(
                "《{}产业发展行动方案（第{}版）》",
                FIELDS[i % FIELDS.len()],
                i / FIELDS.len() + 1
            ),
        ));
    }
    for i in 0..300 {
        entities.push((
            NodeKind::Program,
            format!(
                "“{}{}”工程",
                FIELDS[i % FIELDS.len()],
                ["揭榜挂帅", "百城百园", "强链"][i % 3]
            ),
        ));
    }
    let mut rng = Rng::new(SEED ^ 0xA5A5);
    let parents = entities
        .iter()
        .map(|(k, _)| {
            (*k == NodeKind::Institution && rng.below(10) == 0).then(|| orgs_start + rng.below(500))
        })
        .collect();
    Pool { entities, parents }
}

/// Document `i` of the corpus, in `version` (replacements draw other entities).
fn batch(pool: &Pool, i: usize, version: u32) -> DocumentBatch {
    let mut rng = Rng::new(
        SEED.wrapping_add((i as u64) << 8)
            .wrapping_add(version as u64)
            | 1,
    );
    for _ in 0..4 {
        rng.next();
    }
    let unit = UNITS[i % UNITS.len()];
    let year = 2015 + ((i / UNITS.len()) % 11) as u16;
    let doc_id = format!("doc:{i:06}");
    let unit_node = Node::entity(NodeKind::Unit, unit);
    let mut nodes = vec![unit_node.clone()];
    let mut edges = Vec::new();
    let mut goals = Vec::new();
    let n_goals = rng.range(5, 12);
    let key_goals = n_goals - rng.range(1, 3);
    for g in 0..n_goals {
        let (category, number) = if g < key_goals {
            ("重点目标", g + 1)
        } else {
            ("创优目标", g + 1 - key_goals)
        };
        let gid = format!("goal:{i:06}:{g:02}");
        let field = FIELDS[rng.below(FIELDS.len())];
        let title = format!("加快{field}创新平台建设");
        let mut props = Props::new();
        props.insert("unit".into(), json!(unit));
        props.insert("year".into(), json!(year));
        props.insert("category".into(), json!(category));
        props.insert("number".into(), json!(number.to_string()));
        props.insert(
            "content".into(),
            json!(
                format!("聚焦{field}领域，开展关键技术攻关和应用示范，推动重点项目落地建设。")
                    .repeat(3)
            ),
        );
        props.insert("document".into(), json!(doc_id));
        nodes.push(Node {
            id: gid.clone(),
            kind: NodeKind::Goal,
            name: title,
            props,
        });
        edges.push(Edge::new(&unit_node.id, EdgeLabel::HasGoal, &gid));
        for _ in 0..rng.range(2, 6) {
            let e = rng.skewed(pool.entities.len());
            let (kind, name) = &pool.entities[e];
            let label = match (kind, rng.below(100)) {
                (NodeKind::Document, _) => EdgeLabel::Issues,
                (_, r) if r < 55 => EdgeLabel::DependsOn,
                _ => EdgeLabel::Mentions,
            };
            let node = Node::entity(*kind, name);
            let sentence = format!("支持{name}建设，推动{field}产业发展。");
            let mut edge = Edge::new(&gid, label, &node.id);
            edge.props.insert(
                "evidence".into(),
                json!({"document": doc_id, "goal": gid, "field": "content",
                       "sentence": sentence, "start": 0, "end": sentence.chars().count(),
                       "mention_start": 2, "mention_end": 2 + name.chars().count()}),
            );
            edge.props.insert("action".into(), json!("支持"));
            edges.push(edge);
            if let Some(p) = pool.parents[e] {
                let (pk, pn) = &pool.entities[p];
                let parent = Node::entity(*pk, pn);
                edges.push(Edge::new(&node.id, EdgeLabel::PartOf, &parent.id));
                nodes.push(parent);
            }
            nodes.push(node);
        }
        if rng.below(10) < 3 {
            let e = rng.skewed(2500);
            let (kind, name) = &pool.entities[e];
            let measured = Node::entity(*kind, name);
            let target = Node {
                id: format!("target:{i:06}:{g:02}"),
                kind: NodeKind::Target,
                name: format!("{}家以上", rng.range(10, 200)),
                props: Props::new(),
            };
            edges.push(Edge::new(&gid, EdgeLabel::SetsTarget, &target.id));
            edges.push(Edge::new(&target.id, EdgeLabel::Measures, &measured.id));
            nodes.push(target);
            nodes.push(measured);
        }
        goals.push(gid);
    }
    DocumentBatch {
        record: DocumentRecord {
            id: doc_id,
            unit: unit.to_string(),
            year,
            title: format!(
                "{year}年度市直单位业务目标（第{}批）",
                i / (UNITS.len() * 11) + 1
            ),
            content_hash: format!("v{version}"),
            source: format!("corpus-{i:06}.txt"),
            bytes: 8000,
            layout: plangraph::model::Layout::GoalTable,
            leader: None,
            contact: None,
            phone: None,
            extractor_version: 1,
            ingested_at: 0,
            goals,
            nodes: Vec::new(),
            edges: Vec::new(),
            names: Vec::new(),
            joined: Vec::new(),
        },
        nodes,
        edges,
        aliases: Vec::new(),
    }
}

// ---- measuring ----

struct Summary {
    median: Duration,
    p10: Duration,
    p90: Duration,
    p99: Duration,
    n: usize,
}

fn summarize(mut v: Vec<Duration>) -> Summary {
    v.sort();
    let at = |q: f64| v[(((v.len() as f64) * q).ceil() as usize).clamp(1, v.len()) - 1];
    Summary {
        median: at(0.5),
        p10: at(0.1),
        p90: at(0.9),
        p99: at(0.99),
        n: v.len(),
    }
}

fn ms(d: Duration) -> String {
    let m = d.as_secs_f64() * 1e3;
    if m < 0.1 {
        format!("{:.1} µs", m * 1e3)
    } else if m < 10.0 {
        format!("{m:.2} ms")
    } else {
        format!("{m:.1} ms")
    }
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let r = f();
    (r, t.elapsed())
}

// ---- SQLite ----

fn sqlite_from_store(store: &GraphStore, path: &Path) -> Connection {
    let _ = std::fs::remove_file(path);
    let mut db = Connection::open(path).unwrap();
    db.execute_batch(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576;
         CREATE TABLE nodes(id TEXT PRIMARY KEY, kind TEXT NOT NULL) WITHOUT ROWID;
         CREATE TABLE edges(source TEXT NOT NULL, label TEXT NOT NULL, target TEXT NOT NULL,
                            PRIMARY KEY (source, label, target)) WITHOUT ROWID;",
    )
    .unwrap();
    let tx = db.transaction().unwrap();
    {
        let mut n = tx.prepare("INSERT INTO nodes VALUES (?1, ?2)").unwrap();
        for r in store.node_kinds() {
            let (id, kind) = r.unwrap();
            n.execute(params![id, kind.as_str()]).unwrap();
        }
        let mut e = tx.prepare("INSERT INTO edges VALUES (?1, ?2, ?3)").unwrap();
        for r in store.edge_keys() {
            let (s, l, t) = r.unwrap();
            e.execute(params![s, l.as_str(), t]).unwrap();
        }
    }
    tx.commit().unwrap();
    db.execute_batch("CREATE INDEX edges_in ON edges(target, label, source); ANALYZE;")
        .unwrap();
    drop(db);
    // Opened afresh, as a server would.
    let db = Connection::open(path).unwrap();
    db.execute_batch("PRAGMA cache_size=-1048576; PRAGMA temp_store=MEMORY;")
        .unwrap();
    db
}

const SQL_TRACE: &str = "
WITH RECURSIVE reach(id, kind) AS (
  SELECT id, kind FROM nodes WHERE id = ?1
  UNION
  SELECT e.source, n.kind
  FROM reach r
  JOIN edges e ON e.target = r.id
  JOIN nodes n ON n.id = e.source
  WHERE r.kind <> 'goal'
    AND ((r.kind = 'target' AND e.label = 'sets_target')
      OR (r.kind <> 'target' AND e.label IN
          ('depends_on', 'issues', 'sets_target', 'measures', 'part_of', 'mentions')))
)
SELECT count(*) FROM reach WHERE kind = 'goal' AND id <> ?1";

/// `CROSS JOIN` keeps SQLite's planner from scanning all edges with a Bloom filter (its
/// choice for a plain `JOIN` here, 10–100× slower): the neighbours drive the lookups.
const SQL_TWO_HOP: &str = "
WITH n1(id) AS (
  SELECT target FROM edges WHERE source = ?1
  UNION SELECT source FROM edges WHERE target = ?1
), n2(id) AS (
  SELECT id FROM n1
  UNION SELECT e.target FROM n1 CROSS JOIN edges e ON e.source = n1.id
  UNION SELECT e.source FROM n1 CROSS JOIN edges e ON e.target = n1.id
)
SELECT count(*) FROM (SELECT id FROM n2 UNION SELECT ?1)";

#[derive(Clone, Copy)]
enum Source {
    Corpus,
    Synthetic,
}

impl Source {
    fn name(self) -> &'static str {
        match self {
            Source::Corpus => "corpus",
            Source::Synthetic => "synthetic",
        }
    }
}

/// True when ingesting a generated document gives goal → entity edges.
fn extraction_yields_edges() -> bool {
    let kg = KnowledgeGraph::temporary().unwrap();
    for d in corpus::generate(3, SEED) {
        kg.ingest_bytes(&d.file_name, d.text.as_bytes()).unwrap();
    }
    let stats = kg.stats().unwrap();
    use plangraph::EdgeLabel;
    [EdgeLabel::DependsOn, EdgeLabel::Mentions, EdgeLabel::Issues]
        .iter()
        .any(|l| stats.edges.get(l).copied().unwrap_or(0) > 0)
}

/// A stored document read back as a batch, changed: the first goal with entity edges
/// loses them and depends on a new institution instead.
fn replacement(store: &GraphStore, record: DocumentRecord, version: &str) -> DocumentBatch {
    let mut nodes: Vec<Node> = record
        .nodes
        .iter()
        .filter_map(|id| store.node(id).unwrap())
        .collect();
    let mut edges: Vec<Edge> = record
        .edges
        .iter()
        .filter_map(|(s, l, t)| store.edge(s, *l, t).unwrap())
        .collect();
    let changed = edges
        .iter()
        .find(|e| matches!(e.label, EdgeLabel::DependsOn | EdgeLabel::Mentions))
        .map(|e| e.source.clone());
    if let Some(goal) = changed {
        edges.retain(|e| {
            !(e.source == goal && matches!(e.label, EdgeLabel::DependsOn | EdgeLabel::Mentions))
        });
        let fresh = Node::entity(NodeKind::Institution, &format!("基准测试新平台{version}"));
        edges.push(Edge::new(&goal, EdgeLabel::DependsOn, &fresh.id));
        nodes.push(fresh);
    }
    let aliases = record.names.clone();
    let mut record = record;
    record.content_hash = version.to_string();
    DocumentBatch {
        record,
        nodes,
        edges,
        aliases,
    }
}

fn main() {
    let docs: usize = env_or("PLANGRAPH_BENCH_DOCS", 20_000);
    let samples: usize = env_or("PLANGRAPH_BENCH_SAMPLES", 200);
    let repeat: usize = env_or("PLANGRAPH_BENCH_REPEAT", 3);
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let source = match std::env::var("PLANGRAPH_BENCH_SOURCE").as_deref() {
        Ok("synthetic") => Source::Synthetic,
        _ if extraction_yields_edges() => Source::Corpus,
        _ => Source::Synthetic,
    };
    let data = root.join(format!("bench-graph-{}-{docs}", source.name()));
    std::fs::write(
        root.join("bench-graph-store.txt"),
        data.display().to_string(),
    )
    .unwrap();
    let mut report = String::new();
    let mut line = |s: String| {
        println!("{s}");
        report.push_str(&s);
        report.push('\n');
    };
    line(format!(
        "### Graph: {docs} documents (`cargo bench --bench graph`, PLANGRAPH_BENCH_DOCS={docs}, {samples} samples × {repeat} runs, source: {})\n",
        source.name()
    ));

    // 1. The store, written once.
    let complete = data.join("complete");
    if !complete.exists() {
        let _ = std::fs::remove_dir_all(&data);
        let kg = KnowledgeGraph::open(&data).unwrap();
        match source {
            Source::Corpus => {
                let files = data.join("files");
                corpus::write_corpus(&files, docs, SEED).unwrap();
                let (ingested, took) = time(|| {
                    kg.ingest_paths(std::slice::from_ref(&files), &mut |_| {})
                        .unwrap()
                });
                assert_eq!(ingested.failed, 0);
                line(format!(
                    "- store built through the facade (`ingest_paths`: decode, parse, extract, sled, tantivy): {docs} generated documents in {:.1} s ({:.0} documents/s)",
                    took.as_secs_f64(),
                    docs as f64 / took.as_secs_f64()
                ));
                std::fs::remove_dir_all(&files).unwrap();
            }
            Source::Synthetic => {
                line("- extraction yields no entity edges yet: synthetic batches instead of the corpus".into());
                let pool = pool();
                let (_, took) = time(|| {
                    for i in 0..docs {
                        kg.store().write_document(&batch(&pool, i, 1)).unwrap();
                        if (i + 1) % 2000 == 0 {
                            eprintln!("  wrote {} documents", i + 1);
                        }
                    }
                    kg.store().flush().unwrap();
                });
                let (_, index_took) = time(|| kg.rebuild_index().unwrap());
                line(format!(
                    "- store written (bypassing parse and extraction): {docs} documents in {:.1} s ({:.0} documents/s); text index rebuilt from it in {:.1} s",
                    took.as_secs_f64(),
                    docs as f64 / took.as_secs_f64(),
                    index_took.as_secs_f64()
                ));
            }
        }
        drop(kg);
        std::fs::write(&complete, b"").unwrap();
    } else {
        line(format!("- store reused from {}", data.display()));
    }

    // 2. Start-up. (A store left with its text index behind, by an interrupted run, is
    // brought in step first.) The graph view: once built from the store (then saved as a
    // snapshot), once read from that snapshot in a fresh open.
    let snapshot = data.join(plangraph::knowledge_graph::GRAPH_SNAPSHOT);
    let _ = std::fs::remove_file(&snapshot);
    let (kg, first_open) = time(|| KnowledgeGraph::open(&data).unwrap());
    let ((nodes, edges), build_took) = time(|| kg.warm_graph().unwrap());
    drop(kg);
    let (kg, open_took) = time(|| KnowledgeGraph::open(&data).unwrap());
    let (_, load_took) = time(|| kg.warm_graph().unwrap());
    let snapshot_mib =
        std::fs::metadata(&snapshot).map(|m| m.len()).unwrap_or(0) as f64 / 1048576.0;
    let store = kg.store();
    let before = live_mib();
    let weighed = GraphView::load(&snapshot, store).expect("the snapshot just saved");
    let view_mib = live_mib() - before;
    drop(weighed);
    let stats = kg.stats().unwrap();
    line(format!(
        "- graph: {nodes} nodes, {edges} edges ({} documents, {} goals); the view holds {:.0} MiB",
        stats.documents,
        stats
            .nodes
            .get(&plangraph::NodeKind::Goal)
            .copied()
            .unwrap_or(0),
        view_mib
    ));
    line(format!(
        "- start-up: `KnowledgeGraph::open` {} (sled store, text index, segmenter; {} the first time after the build); graph view built from the store {} (two key scans, then a snapshot of {:.0} MiB saved), read from that snapshot in the next open {}",
        ms(open_took),
        ms(first_open),
        ms(build_took),
        snapshot_mib,
        ms(load_took)
    ));

    // 3. Keeping the view in step: replace stored documents (one goal's entity edges
    // dropped, a new entity added), applying each write to the view as the facade does.
    let mut view = GraphView::build(store).unwrap();
    let mut writes = Vec::new();
    let mut applies = Vec::new();
    let records: Vec<DocumentRecord> = store
        .documents()
        .step_by((docs / 200).max(1))
        .take(200)
        .map(|r| r.unwrap())
        .collect();
    let generation = store.generation().unwrap();
    for (k, record) in records.into_iter().enumerate() {
        let b = replacement(store, record, &format!("bench-{generation}-{k}"));
        let (out, w) = time(|| store.write_document(&b).unwrap());
        let (ok, a) = time(|| view.apply(&out));
        assert!(ok, "the view follows every write");
        writes.push(w);
        applies.push(a);
    }
    let (fresh, rebuild_took) = time(|| GraphView::build(store).unwrap());
    assert_eq!(view.node_count(), fresh.node_count());
    assert_eq!(view.edge_count(), fresh.edge_count());
    // These writes went behind the facade: bring its text index and graph view along, so
    // the queries below (and the next run's start-up) see a consistent store.
    kg.sync_index().unwrap();
    kg.warm_graph().unwrap();
    let (w, a) = (summarize(writes), summarize(applies));
    line(format!(
        "- keeping the view in step, per replaced document (200): view update median {} (p99 {}), next to the store write median {} (p99 {}); a full rebuild instead takes {}. The updated view equals a rebuilt one.",
        ms(a.median), ms(a.p99), ms(w.median), ms(w.p99), ms(rebuild_took)
    ));
    drop(fresh);

    // 4. SQLite with the same edges.
    let (db, sqlite_took) = time(|| sqlite_from_store(store, &root.join("bench-graph.sqlite")));
    line(format!(
        "- SQLite baseline built from the store in {:.1} s\n",
        sqlite_took.as_secs_f64()
    ));

    // Samples: the entities (with goals) and the goals whose ids hash lowest: random, and
    // the same from run to run although each run replaces some documents.
    let by_hash = |ids: Vec<&str>| -> Vec<String> {
        let mut ids: Vec<(u64, &str)> = ids
            .into_iter()
            .map(|id| (plangraph::model::stable_hash(id.as_bytes()) ^ SEED, id))
            .collect();
        ids.sort_unstable();
        ids.into_iter().map(|(_, id)| id.to_string()).collect()
    };
    let entity_ids: Vec<String> = by_hash(
        view.nodes()
            .filter(|(_, k)| k.is_entity())
            .map(|(id, _)| id)
            .collect(),
    )
    .into_iter()
    .filter(|id| !view.trace_goal_ids(id).is_empty())
    .take(samples)
    .collect();
    let goal_ids: Vec<String> = by_hash(
        view.nodes()
            .filter(|(_, k)| *k == NodeKind::Goal)
            .map(|(id, _)| id)
            .collect(),
    )
    .into_iter()
    .take(samples / 2)
    .collect();
    let hop_entities: Vec<String> = entity_ids.iter().take(samples / 2).cloned().collect();
    // benches/http.sh traces the same entities.
    std::fs::write(
        root.join("bench-graph-samples.txt"),
        entity_ids.join("\n") + "\n",
    )
    .unwrap();

    if std::env::var("PLANGRAPH_BENCH_EXPLAIN").is_ok() {
        for sql in [SQL_TRACE, SQL_TWO_HOP] {
            let mut st = db.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let rows: Vec<String> = st
                .query_map(params![goal_ids[0]], |r| r.get::<_, String>(3))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            eprintln!("{}", rows.join("\n"));
        }
        let v: String = db
            .query_row("select sqlite_version()", [], |r| r.get(0))
            .unwrap();
        eprintln!("sqlite {v}");
    }
    let mut trace_stmt = db.prepare(SQL_TRACE).unwrap();
    let mut hop_stmt = db.prepare(SQL_TWO_HOP).unwrap();
    let all = HopFilter {
        labels: &[],
        kinds: &[],
        limit: usize::MAX,
    };
    let count = |stmt: &mut rusqlite::Statement<'_>, id: &str| -> usize {
        stmt.query_row(params![id], |r| r.get::<_, i64>(0)).unwrap() as usize
    };

    // Check both sides agree before timing.
    let mut trace_sizes = Vec::new();
    for id in &entity_ids {
        let g = view.trace_goal_ids(id).len();
        assert_eq!(g, count(&mut trace_stmt, id), "trace of {id}");
        trace_sizes.push(g);
    }
    let mut hop_sizes = Vec::new();
    for id in goal_ids.iter().chain(&hop_entities) {
        let g = view.hop_ids(id, 2, &all).len();
        assert_eq!(g, count(&mut hop_stmt, id), "2-hop of {id}");
        hop_sizes.push(g);
    }
    trace_sizes.sort_unstable();
    hop_sizes.sort_unstable();
    line(format!(
        "Sizes: trace answers median {} goals (max {}); 2-hop neighbourhoods median {} nodes (max {}).\n",
        trace_sizes[trace_sizes.len() / 2],
        trace_sizes.last().unwrap(),
        hop_sizes[hop_sizes.len() / 2],
        hop_sizes.last().unwrap()
    ));

    let mut rows: Vec<(String, Summary, Summary)> = Vec::new();
    let mut measure = |name: &str,
                       ids: &[String],
                       ours: &mut dyn FnMut(&str) -> usize,
                       theirs: &mut dyn FnMut(&str) -> usize| {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for _ in 0..repeat {
            for id in ids {
                let t = Instant::now();
                std::hint::black_box(ours(id));
                a.push(t.elapsed());
                let t = Instant::now();
                std::hint::black_box(theirs(id));
                b.push(t.elapsed());
            }
        }
        rows.push((name.to_string(), summarize(a), summarize(b)));
    };
    measure(
        "trace (goal ids)",
        &entity_ids,
        &mut |id| view.trace_goal_ids(id).len(),
        &mut |id| count(&mut trace_stmt, id),
    );
    measure(
        "2-hop from a goal (node ids)",
        &goal_ids,
        &mut |id| view.hop_ids(id, 2, &all).len(),
        &mut |id| count(&mut hop_stmt, id),
    );
    measure(
        "2-hop from an entity (node ids)",
        &hop_entities,
        &mut |id| view.hop_ids(id, 2, &all).len(),
        &mut |id| count(&mut hop_stmt, id),
    );

    line("| query | petgraph view: median | p10–p90 | p99 | SQLite: median | p10–p90 | p99 | SQLite / view (median) |".into());
    line("|---|---|---|---|---|---|---|---|".into());
    for (name, a, b) in &rows {
        line(format!(
            "| {name} ({} runs) | {} | {}–{} | {} | {} | {}–{} | {} | {:.1}× |",
            a.n,
            ms(a.median),
            ms(a.p10),
            ms(a.p90),
            ms(a.p99),
            ms(b.median),
            ms(b.p10),
            ms(b.p90),
            ms(b.p99),
            b.median.as_secs_f64() / a.median.as_secs_f64()
        ));
    }

    // The facade's whole answers (materialised from the store, sorted).
    let mut full = Vec::new();
    for _ in 0..repeat {
        for id in &entity_ids {
            let (_, t) = time(|| std::hint::black_box(kg.trace(id, None).unwrap()));
            full.push(t);
        }
    }
    let full_trace = summarize(full);
    let mut full = Vec::new();
    let req = NeighborsRequest {
        depth: 2,
        ..Default::default()
    };
    for _ in 0..repeat {
        for id in goal_ids.iter().chain(&hop_entities) {
            let (_, t) = time(|| std::hint::black_box(kg.neighbors(id, &req).unwrap()));
            full.push(t);
        }
    }
    let full_hop = summarize(full);
    line(String::new());
    line(format!(
        "Whole facade answers (resolve, walk, read nodes and edge props from sled, sort): `trace` median {} (p10–p90 {}–{}, p99 {}); `neighbors` depth 2 (at most 500 nodes) median {} (p10–p90 {}–{}, p99 {}).",
        ms(full_trace.median), ms(full_trace.p10), ms(full_trace.p90), ms(full_trace.p99),
        ms(full_hop.median), ms(full_hop.p10), ms(full_hop.p90), ms(full_hop.p99)
    ));

    let (r, rank_took) = time(|| kg.rank(None, 20).unwrap());
    line(format!(
        "`rank` over all {} entities (goal counts for each, PageRank over the whole graph, 30 rounds): {} the first time after a change, then cached.",
        r.total,
        ms(rank_took)
    ));

    let out = root.join("bench-graph.md");
    std::fs::write(&out, &report).unwrap();
    eprintln!("wrote {}", out.display());
}
