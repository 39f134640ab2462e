//! Crash safety: `plangraph ingest` and `plangraph serve` (during uploads) killed with
//! SIGKILL at random moments. After every kill the store opens, every document is exactly
//! what a clean ingest of its file gives or wholly absent, the text index and graph view
//! agree with the store (the index is repaired on open), and re-running the ingest
//! completes the set. The kills must land in the middle of the writes: a minimum number of
//! trials must leave some but not all documents in the store, and at least one kill must
//! fall between a document's store write and the text index commit that follows it (the
//! index found behind the store before it is repaired on open).
//!
//! `PLANGRAPH_CRASH_TRIALS` (default 50) and `PLANGRAPH_CRASH_SERVE_TRIALS` (default 8) set
//! the number of trials, `PLANGRAPH_CRASH_SEED` repeats a run's kill moments.

use crate::common::{seed_text, spawn_server};
use plangraph::extract::Segmenter;
use plangraph::index::{SearchRequest, TextIndex};
use plangraph::knowledge_graph::{KnowledgeGraph, OutcomeStatus};
use plangraph::model::{Node, NodeKind};
use plangraph::store::GraphStore;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Documents in the corpus.
const DOCS: usize = 16;

/// `n` documents: the seed under `n` different unit names (distinct identities).
fn write_variants(dir: &Path, n: usize) -> Vec<(String, String)> {
    let seed = seed_text();
    (0..n)
        .map(|i| {
            let name = format!("doc{i:04}.txt");
            let text = seed.replace("市科技局", &format!("市第{i}局"));
            std::fs::write(dir.join(&name), &text).unwrap();
            (name, text)
        })
        .collect()
}

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Kill moments that a seed repeats (`fastrand`, as the corpus and benchmarks).
struct Rng(fastrand::Rng);

impl Rng {
    fn from_env() -> Rng {
        let seed = std::env::var("PLANGRAPH_CRASH_SEED")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("crash test: PLANGRAPH_CRASH_SEED={seed}");
        Rng(fastrand::Rng::with_seed(seed))
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        self.0.u64(..n.max(1))
    }
}

/// What a clean ingest of each document gives: its goal nodes, and how many goals a search
/// for `科技` within its unit finds.
struct Reference {
    docs: BTreeMap<String, (Vec<Node>, usize)>,
    nodes: usize,
    edges: usize,
}

const PROBE: &str = "科技";

fn unit_hits(kg: &KnowledgeGraph, unit: &str) -> usize {
    kg.search(&SearchRequest {
        query: PROBE.into(),
        kinds: vec![NodeKind::Goal],
        unit: Some(unit.into()),
        year: None,
        limit: 1,
        offset: 0,
    })
    .unwrap()
    .total
}

fn reference(files: &[(String, String)]) -> Reference {
    let kg = KnowledgeGraph::temporary().unwrap();
    let mut docs = BTreeMap::new();
    for (name, text) in files {
        let out = kg.ingest_bytes(name, text.as_bytes()).unwrap();
        assert_eq!(out.status, OutcomeStatus::Inserted);
        let id = out.document.unwrap();
        let unit = out.unit.unwrap();
        let record = kg.store().document(&id).unwrap().unwrap();
        let goals = record
            .goals
            .iter()
            .map(|g| kg.store().node(g).unwrap().unwrap())
            .collect::<Vec<_>>();
        assert_eq!(goals.len(), 9, "the seed has 9 goals");
        docs.insert(id, (goals, unit_hits(&kg, &unit)));
    }
    let (nodes, edges) = kg.warm_graph().unwrap();
    Reference { docs, nodes, edges }
}

/// What a kill left: documents in the store, and whether the text index was behind the
/// store (the kill fell after a store write and before the index commit that follows it).
#[derive(Debug, Clone, Copy)]
struct Left {
    present: usize,
    index_behind: bool,
}

/// Check a data folder after a kill.
fn assert_consistent(data: &Path, reference: &Reference, all: bool) -> Left {
    let (present, generation) = {
        let store = GraphStore::open(&data.join("graph")).expect("the store opens");
        assert_eq!(store.verify().unwrap(), Vec::<String>::new());
        let mut present = 0;
        for doc in store.documents() {
            let doc = doc.unwrap();
            let (goals, _) = reference
                .docs
                .get(&doc.id)
                .unwrap_or_else(|| panic!("document {} is not in the corpus", doc.id));
            let stored = doc
                .goals
                .iter()
                .map(|g| {
                    store
                        .node(g)
                        .unwrap()
                        .unwrap_or_else(|| panic!("goal {g} of {} missing", doc.id))
                })
                .collect::<Vec<_>>();
            assert_eq!(&stored, goals, "document {} is partial or differs", doc.id);
            present += 1;
        }
        assert_eq!(store.document_count(), present);
        (present, store.generation().unwrap())
    };
    // The index as the kill left it, before `KnowledgeGraph::open` repairs it.
    let index_behind = {
        let index = TextIndex::open(&data.join("text"), Segmenter::shared()).unwrap();
        let at = index.generation().unwrap_or(0);
        assert!(
            at <= generation,
            "index at {at}, ahead of the store's {generation}"
        );
        at < generation
    };
    let kg = KnowledgeGraph::open(data).expect("the data folder opens");
    assert!(
        kg.index_in_step().unwrap(),
        "the text index was not repaired on open"
    );
    let stats = kg.stats().unwrap();
    assert_eq!(stats.documents as usize, present);
    assert_eq!(
        stats.nodes.get(&NodeKind::Goal).copied().unwrap_or(0),
        9 * present as u64
    );
    // The text index holds exactly the present documents' goals.
    for (id, (goals, hits)) in &reference.docs {
        let unit = goals[0].prop_str("unit").unwrap().to_string();
        let stored = kg.store().document(id).unwrap().is_some();
        let expected = if stored { *hits } else { 0 };
        assert_eq!(unit_hits(&kg, &unit), expected, "search within {unit}");
    }
    // The graph view (from its snapshot or the store) holds what the store holds.
    let (nodes, edges) = kg.warm_graph().unwrap();
    let store_nodes: u64 = stats.nodes.values().sum();
    let store_edges: u64 = stats.edges.values().sum();
    assert_eq!((nodes as u64, edges as u64), (store_nodes, store_edges));
    if all {
        assert_eq!(present, reference.docs.len());
        assert_eq!((nodes, edges), (reference.nodes, reference.edges));
    }
    Left {
        present,
        index_behind,
    }
}

fn plangraph(data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plangraph"));
    cmd.arg("--data").arg(data).env("RUST_LOG", "warn");
    cmd
}

fn ingest(data: &Path, docs: &Path) -> Child {
    plangraph(data)
        .arg("ingest")
        .arg(docs)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn complete(data: &Path, docs: &Path, reference: &Reference) {
    let done = plangraph(data).arg("ingest").arg(docs).output().unwrap();
    assert_eq!(
        done.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let left = assert_consistent(data, reference, true);
    assert!(
        !left.index_behind,
        "a finished ingest leaves the index in step"
    );
}

/// Tally of where the kills landed.
#[derive(Default, Debug)]
struct Outcomes {
    empty: usize,
    partial: usize,
    full: usize,
    /// Kills after a store write and before the index commit that follows it.
    index_behind: usize,
}

impl Outcomes {
    fn add(&mut self, left: Left, n: usize) {
        match left.present {
            0 => self.empty += 1,
            p if p == n => self.full += 1,
            _ => self.partial += 1,
        }
        self.index_behind += usize::from(left.index_behind);
    }
}

#[test]
fn ingest_killed_at_random_moments_leaves_whole_documents() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let files = write_variants(&docs, DOCS);
    let reference = reference(&files);
    let trials = env_count("PLANGRAPH_CRASH_TRIALS", 50);
    let mut rng = Rng::from_env();

    // How long a whole ingest takes here: the kills fall anywhere in it.
    let started = Instant::now();
    let timing = dir.path().join("timing");
    assert!(ingest(&timing, &docs).wait().unwrap().success());
    let full = started.elapsed();
    assert_consistent(&timing, &reference, true);

    let mut outcomes = Outcomes::default();
    let mut landed = Vec::new();
    for trial in 0..trials {
        let data = dir.path().join(format!("data{trial}"));
        let delay = Duration::from_micros(rng.below(full.as_micros() as u64 * 11 / 10));
        let mut child = ingest(&data, &docs);
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let left = assert_consistent(&data, &reference, false);
        outcomes.add(left, DOCS);
        landed.push(left.present);
        complete(&data, &docs, &reference);
        std::fs::remove_dir_all(&data).unwrap();
    }
    eprintln!(
        "ingest crash test: {trials} trials, whole ingest {full:?}; documents present after \
         each kill: {landed:?}; {outcomes:?}"
    );
    // The kill moments are uniform over the whole ingest, so about half land mid-batch on
    // an idle machine (18–22 of 50 seen); a loaded one spends more of it starting up, so
    // the bound is a tenth, which still proves kills in the middle of writes.
    assert!(
        outcomes.partial * 10 >= trials && outcomes.partial > 0,
        "too few kills landed mid-ingest: {outcomes:?}"
    );
    // One commit ends the batch: a kill after the first document is stored and before that
    // commit leaves the index behind, and the open must repair it.
    assert!(
        outcomes.index_behind >= 1,
        "no kill landed between a store write and its index commit: {outcomes:?}"
    );
}

/// A minimal HTTP/1.1 client: one request per connection; returns the status.
fn http(port: u16, method: &str, target: &str, body: &[u8]) -> std::io::Result<u16> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    )?;
    s.write_all(body)?;
    let mut reply = String::new();
    s.read_to_string(&mut reply)?;
    reply
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status in {reply:?}")))
}

/// Start `serve` on a free port; returns the child and the port.
fn serve(data: &Path) -> (Child, u16) {
    let mut command = plangraph(data);
    command.args(["serve", "--addr", "127.0.0.1:0"]);
    spawn_server(command)
}

#[test]
fn serve_killed_during_uploads_leaves_whole_documents() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let files = write_variants(&docs, DOCS);
    let reference = reference(&files);
    let trials = env_count("PLANGRAPH_CRASH_SERVE_TRIALS", 8);
    let mut rng = Rng::from_env();

    let upload_all = move |port: u16, files: Vec<(String, String)>| {
        for (name, text) in &files {
            match http(
                port,
                "POST",
                &format!("/api/documents?filename={name}"),
                text.as_bytes(),
            ) {
                Ok(200) => {}
                Ok(code) => panic!("upload of {name} got {code}"),
                Err(_) => return, // the server was killed
            }
        }
    };

    // How long the uploads take when nothing is killed.
    let timing = dir.path().join("timing");
    let (mut child, port) = serve(&timing);
    let started = Instant::now();
    upload_all(port, files.clone());
    let full = started.elapsed();
    let _ = child.kill();
    let _ = child.wait();
    assert_consistent(&timing, &reference, true);

    let mut outcomes = Outcomes::default();
    let mut landed = Vec::new();
    for trial in 0..trials {
        let data = dir.path().join(format!("data{trial}"));
        let (mut child, port) = serve(&data);
        let client = {
            let files = files.clone();
            std::thread::spawn(move || upload_all(port, files))
        };
        // Between the first and the last upload.
        let span = full.as_micros() as u64;
        std::thread::sleep(Duration::from_micros(span / 20 + rng.below(span * 9 / 10)));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        client.join().unwrap();
        let left = assert_consistent(&data, &reference, false);
        outcomes.add(left, DOCS);
        landed.push(left.present);
        complete(&data, &docs, &reference);
        std::fs::remove_dir_all(&data).unwrap();
    }
    eprintln!(
        "serve crash test: {trials} trials, all uploads {full:?}; documents present after \
         each kill: {landed:?}; {outcomes:?}"
    );
    assert!(
        outcomes.partial * 2 >= trials,
        "too few kills landed mid-upload: {outcomes:?}"
    );
}
