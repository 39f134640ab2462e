//! Access and limits on the real binary over a socket: the token on loopback, the request
//! time limit (408), a request line too long for the HTTP layer, CORS headers only for a
//! configured origin, no filesystem path taken from an upload's name, SIGTERM
//! and Ctrl-C finishing the requests in flight, and output into a closed pipe.

use crate::common::{seed_bytes, seed_path, spawn_server};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn serve(data: &Path, extra: &[&str]) -> (Child, u16) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plangraph"));
    command
        .arg("--data")
        .arg(data)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(extra)
        .env("RUST_LOG", "warn")
        .env_remove("PLANGRAPH_TOKEN")
        .env_remove("PLANGRAPH_CORS");
    spawn_server(command)
}

fn connect(port: u16) -> TcpStream {
    let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s
}

/// Status line and headers (lower-cased names) and body of the reply on `s`.
fn reply(mut s: TcpStream) -> (u16, String, String) {
    let mut all = Vec::new();
    let _ = s.read_to_end(&mut all);
    let text = String::from_utf8_lossy(&all).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_lowercase(), body.to_string())
}

fn request(port: u16, head: &str, body: &[u8]) -> (u16, String, String) {
    let mut s = connect(port);
    // A server refusing an oversized head answers and closes while the rest is still being
    // written, so a failed write is not the test's verdict: the reply is.
    let _ = write!(
        s,
        "{head}\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .and_then(|()| s.write_all(body));
    reply(s)
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
}

#[test]
fn with_a_token_loopback_uploads_need_it_too() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, port) = serve(dir.path(), &["--token", "s3cret"]);
    let seed = seed_bytes();
    let (status, _, body) = request(port, "POST /api/documents?filename=a.txt HTTP/1.1", &seed);
    assert_eq!(status, 401, "{body}");
    let (status, _, body) = request(
        port,
        "POST /api/documents?filename=a.txt HTTP/1.1\r\nAuthorization: Bearer s3cret",
        &seed,
    );
    assert_eq!(status, 200, "{body}");
    let (status, _, body) = request(port, "GET /api/stats HTTP/1.1", b"");
    assert_eq!(status, 200);
    assert!(body.contains("\"documents\":1"), "{body}");
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_request_slower_than_the_limit_gets_408() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, port) = serve(dir.path(), &["--request-timeout", "1"]);
    let mut s = connect(port);
    // Announce a body, send half of it, then stall.
    write!(
        s,
        "POST /api/documents?filename=a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"
    )
    .unwrap();
    s.write_all(&[b'a'; 500]).unwrap();
    let started = std::time::Instant::now();
    let (status, _, body) = reply(s);
    assert_eq!(status, 408, "{body}");
    assert!(body.contains("\"timeout\""), "{body}");
    assert!(started.elapsed() < Duration::from_secs(10));
    // Nothing was stored; the server still answers.
    let (status, _, body) = request(port, "GET /api/stats HTTP/1.1", b"");
    assert_eq!(status, 200);
    assert!(body.contains("\"documents\":0"), "{body}");
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_huge_request_line_gets_414_or_431_and_the_server_lives_on() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, port) = serve(dir.path(), &[]);
    let q = "a".repeat(1 << 20);
    let (status, _, _) = request(port, &format!("GET /api/search?q={q} HTTP/1.1"), b"");
    assert!(
        [400, 414, 431].contains(&status),
        "a 1 MiB request line got {status}"
    );
    let header = format!("GET /api/stats HTTP/1.1\r\nX-Junk: {}", "b".repeat(1 << 20));
    let (status, _, _) = request(port, &header, b"");
    assert!([400, 431].contains(&status), "a 1 MiB header got {status}");
    let (status, _, _) = request(port, "GET /health HTTP/1.1", b"");
    assert_eq!(status, 200);
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn no_cors_headers_are_sent_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, port) = serve(dir.path(), &[]);
    let (status, head, _) = request(
        port,
        "GET /api/stats HTTP/1.1\r\nOrigin: https://elsewhere.example",
        b"",
    );
    assert_eq!(status, 200);
    assert!(!head.contains("access-control-"), "{head}");
    let (status, head, _) = request(
        port,
        "OPTIONS /api/documents HTTP/1.1\r\nOrigin: https://elsewhere.example\r\n\
         Access-Control-Request-Method: POST",
        b"",
    );
    assert!((400..500).contains(&status), "preflight got {status}");
    assert!(!head.contains("access-control-"), "{head}");
    let _ = child.kill();
    let _ = child.wait();
}

/// The CORS headers of the reply to a GET from `origin` and to a preflight of an upload.
fn cors_heads(port: u16, origin: &str) -> (String, (u16, String)) {
    let (status, get, _) = request(
        port,
        &format!("GET /api/stats HTTP/1.1\r\nOrigin: {origin}"),
        b"",
    );
    assert_eq!(status, 200);
    let (status, preflight, _) = request(
        port,
        &format!(
            "OPTIONS /api/documents HTTP/1.1\r\nOrigin: {origin}\r\n\
             Access-Control-Request-Method: POST\r\n\
             Access-Control-Request-Headers: authorization"
        ),
        b"",
    );
    (get, (status, preflight))
}

#[test]
fn cors_headers_go_only_to_the_configured_origin() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, port) = serve(dir.path(), &["--cors", "https://planner.example"]);
    let (get, (status, preflight)) = cors_heads(port, "https://planner.example");
    assert!(
        get.contains("access-control-allow-origin: https://planner.example"),
        "{get}"
    );
    assert_eq!(status, 200, "{preflight}");
    assert!(
        preflight.contains("access-control-allow-origin: https://planner.example"),
        "{preflight}"
    );
    let methods = preflight
        .lines()
        .find_map(|l| l.strip_prefix("access-control-allow-methods: "))
        .unwrap_or_else(|| panic!("no allowed methods: {preflight}"));
    assert_eq!(methods, "get,post");
    assert!(preflight.contains("access-control-allow-headers: authorization,content-type"));
    // Another origin gets no allowance.
    let (get, (_, preflight)) = cors_heads(port, "https://elsewhere.example");
    assert!(!get.contains("access-control-allow-origin"), "{get}");
    assert!(
        !preflight.contains("access-control-allow-origin"),
        "{preflight}"
    );
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn cors_comes_from_the_configuration_file_too_and_a_bad_origin_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("plangraph.toml"),
        "cors = \"http://localhost:3000, https://planner.example\"\n",
    )
    .unwrap();
    let (mut child, port) = serve(dir.path(), &[]);
    for origin in ["http://localhost:3000", "https://planner.example"] {
        let (get, _) = cors_heads(port, origin);
        assert!(
            get.contains(&format!("access-control-allow-origin: {origin}")),
            "{origin}: {get}"
        );
    }
    let _ = child.kill();
    let _ = child.wait();
    for (bad, why) in [
        ("planner.example", "no scheme"),
        ("ftp://planner.example", "the scheme must be http or https"),
        ("https://planner.example/app", "scheme and host"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_plangraph"))
            .arg("--data")
            .arg(dir.path())
            .args(["serve", "--addr", "127.0.0.1:0", "--cors", bad])
            .env_remove("PLANGRAPH_CORS")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("invalid cors") && err.contains(bad) && err.contains(why),
            "{bad}: {err}"
        );
    }
}

/// Every file under `dir`, relative.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

/// An upload's name is a label, never a place to write: with `..`, an absolute path or a
/// Windows path only the last component is kept, and nothing is written outside the data
/// folder; a name with no file left in it is refused.
#[test]
fn no_filesystem_path_is_taken_from_an_upload_name() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("a/b/data");
    std::fs::create_dir_all(&data).unwrap();
    let (mut child, port) = serve(&data, &[]);
    let seed = String::from_utf8(seed_bytes()).unwrap();
    let uploads = [
        ("..%2F..%2Fetc%2Fplanted-1.txt", "planted-1.txt"),
        (
            "%2Ftmp%2Fplangraph-planted-2.txt",
            "plangraph-planted-2.txt",
        ),
        ("..%5C..%5Cplanted-3.txt", "planted-3.txt"),
    ];
    for (i, (name, kept)) in uploads.iter().enumerate() {
        // a different unit each time: a new document, not the same one again
        let text = seed.replace("市科技局", &format!("市第{i}局"));
        let (status, _, body) = request(
            port,
            &format!("POST /api/documents?filename={name} HTTP/1.1"),
            text.as_bytes(),
        );
        assert_eq!(status, 200, "{name}: {body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["status"], "inserted", "{body}");
        assert_eq!(v["file"], *kept, "{body}");
    }
    for (name, code) in [
        ("..%2F", 400),
        ("%2Fetc%2F", 400),
        ("..", 415),
        ("%20%2F%20", 400),
    ] {
        let (status, _, body) = request(
            port,
            &format!("POST /api/documents?filename={name} HTTP/1.1"),
            seed.as_bytes(),
        );
        assert_eq!(status, code, "{name}: {body}");
    }
    let _ = child.kill();
    let _ = child.wait();
    // Nothing outside the data folder, no file named after an upload inside it.
    let outside: Vec<String> = files_under(dir.path())
        .into_iter()
        .filter(|f| !f.starts_with("a/b/data/"))
        .collect();
    assert_eq!(outside, Vec::<String>::new());
    assert!(
        files_under(&data).iter().all(|f| !f.contains("planted")),
        "{:?}",
        files_under(&data)
    );
    assert!(!Path::new("/tmp/plangraph-planted-2.txt").exists());
    assert!(!Path::new("/etc/planted-1.txt").exists());
    // The three documents are stored under their kept names.
    let kg = plangraph::knowledge_graph::KnowledgeGraph::open(&data).unwrap();
    let mut sources: Vec<String> = kg.store().documents().map(|d| d.unwrap().source).collect();
    sources.sort();
    assert_eq!(
        sources,
        ["plangraph-planted-2.txt", "planted-1.txt", "planted-3.txt"]
    );
}

/// SIGTERM or SIGINT while an upload is half sent: the upload completes, then the server
/// exits 0 and the document is stored.
fn signal_finishes_the_request_in_flight(sig: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, port) = serve(dir.path(), &[]);
    let seed = seed_bytes();
    let mut s = connect(port);
    write!(
        s,
        "POST /api/documents?filename=a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        seed.len()
    )
    .unwrap();
    let half = seed.len() / 2;
    s.write_all(&seed[..half]).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    signal(&child, sig);
    std::thread::sleep(Duration::from_millis(300));
    s.write_all(&seed[half..]).unwrap();
    let (status, _, body) = reply(s);
    assert_eq!(status, 200, "{sig}: {body}");
    assert!(body.contains("\"inserted\""), "{body}");
    let code = child.wait().unwrap();
    assert_eq!(code.code(), Some(0), "{sig}");
    // A new connection is no longer accepted, and the document is in the store.
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
    let out = Command::new(env!("CARGO_BIN_EXE_plangraph"))
        .arg("--data")
        .arg(dir.path())
        .args(["stats", "--json"])
        .output()
        .unwrap();
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["documents"], 1);
}

#[test]
fn sigterm_finishes_requests_in_flight_and_exits_0() {
    signal_finishes_the_request_in_flight("-TERM");
}

#[test]
fn ctrl_c_finishes_requests_in_flight_and_exits_0() {
    signal_finishes_the_request_in_flight("-INT");
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let ingest = Command::new(env!("CARGO_BIN_EXE_plangraph"))
        .arg("--data")
        .arg(data)
        .arg("ingest")
        .arg(seed_path())
        .output()
        .unwrap();
    assert!(ingest.status.success());
    for args in [&["export"][..], &["search", "科技"], &["stats", "--json"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_plangraph"))
            .arg("--data")
            .arg(data)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader goes away before anything is written
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_ne!(status.code(), Some(101), "{args:?}: {err}");
    }
}
