//! Shared fixtures: paths to the bundled seed and test documents.
#![allow(dead_code)]

use plangraph::ingest::{parse_bytes, ParsedDocument};
use plangraph::model::Node;
use plangraph::store::DocumentRecord;
use std::path::PathBuf;

pub fn repo_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The real seed document (2021, 市科技局), as bundled.
pub fn seed_path() -> PathBuf {
    repo_path("seeds/qingdao-kejiju-2021-business-goals.txt")
}

pub fn seed_bytes() -> Vec<u8> {
    std::fs::read(seed_path()).expect("the seed is bundled")
}

pub fn seed_text() -> String {
    String::from_utf8(seed_bytes()).expect("the seed is UTF-8")
}

/// The seed as the ingest stage reads it.
pub fn seed_document() -> ParsedDocument {
    parse_bytes("seed.txt", &seed_bytes()).expect("the seed parses")
}

/// The seed's nine goals as the graph holds them.
pub fn seed_goal_nodes() -> Vec<Node> {
    seed_document().goal_nodes()
}

/// A document record for batches written straight to the store: the store fills in what
/// the document holds.
pub fn record(
    doc: &str,
    unit: &str,
    year: u16,
    title: String,
    version: &str,
    goals: Vec<String>,
) -> DocumentRecord {
    DocumentRecord {
        id: doc.to_string(),
        unit: unit.to_string(),
        year,
        title,
        content_hash: version.to_string(),
        source: format!("{doc}.txt"),
        bytes: 1,
        layout: plangraph::model::Layout::GoalTable,
        leader: None,
        contact: None,
        phone: None,
        extractor_version: 1,
        ingested_at: 0,
        goals,
        nodes: vec![],
        edges: vec![],
        names: vec![],
        joined: vec![],
    }
}

/// Start a prepared `plangraph … serve --addr 127.0.0.1:0` command with stdout piped and
/// read the port it prints on its first line
/// ("plangraph: serving http://127.0.0.1:PORT/ (Ctrl-C to stop)").
pub fn spawn_server(mut command: std::process::Command) -> (std::process::Child, u16) {
    use std::io::{BufRead, BufReader};
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    (child, port)
}

/// Run `plangraph --data DATA ARGS…`, with no token or data folder taken from the
/// environment.
pub fn plangraph(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_plangraph"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("PLANGRAPH_TOKEN")
        .env_remove("PLANGRAPH_DATA")
        .output()
        .unwrap()
}

/// A `plangraph serve` of a data folder on a free loopback port, stopped (SIGTERM, then
/// waited for) when dropped, so a failing test leaves no server behind.
pub struct Server {
    child: std::process::Child,
    pub port: u16,
}

impl Server {
    pub fn start(data: &std::path::Path) -> Server {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_plangraph"));
        cmd.arg("--data")
            .arg(data)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env_remove("PLANGRAPH_TOKEN");
        let (child, port) = spawn_server(cmd);
        Server { child, port }
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// Open a store's sled database directly (to damage or inspect it). sled lets go of its
/// file lock a moment after the last handle is dropped, so a lock still held is retried
/// for up to two seconds, as `GraphStore::open` does.
pub fn open_sled(path: impl AsRef<std::path::Path>) -> sled::Db {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        match sled::open(path.as_ref()) {
            Ok(db) => return db,
            Err(sled::Error::Io(e))
                if e.to_string().contains("lock") && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20))
            }
            Err(e) => panic!("opening {}: {e}", path.as_ref().display()),
        }
    }
}
