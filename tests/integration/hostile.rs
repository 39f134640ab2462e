//! The bad-input catalogue (docs/reliability.md lists every case with what it gets): files
//! no one should feed plangraph, data folders in a bad state, and HTTP requests built to
//! hurt. Each gets a clear error naming the file or parameter (or a sensible result), the
//! right exit code or status, and nothing already stored is lost.

use crate::common::{plangraph, seed_bytes, seed_text};
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode};
use plangraph::http::{router, AppState};
use plangraph::ingest::{parse_bytes, IngestError, MAX_FILE_BYTES};
use plangraph::knowledge_graph::{KnowledgeGraph, OutcomeStatus};
use plangraph::model::NodeKind;
use serde_json::Value;
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::Instant;
use tower::ServiceExt;

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `plangraph ingest --json PATH...`: the exit code and the report.
fn ingest_json(data: &Path, paths: &[&Path]) -> (Option<i32>, Value) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plangraph"));
    cmd.arg("--data").arg(data).args(["ingest", "--json"]);
    cmd.args(paths);
    let out = cmd.output().unwrap();
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no JSON report ({e}): {}", stderr(&out)));
    (out.status.code(), report)
}

/// The outcome for the file whose path ends with `name`.
fn outcome<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("no outcome for {name} in {report}"))
}

fn gbk(text: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(text).0.into_owned()
}

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        z.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}

fn random_bytes(n: usize, seed: u64) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..n).map(|_| rng.u8(..)).collect()
}

/// A 业务目标 table of goals numbered as given, under `category` (none when empty).
fn goal_table(category: &str, numbers: &[&str]) -> String {
    let mut t = String::from(
        "2023年度市直单位业务目标\n单位名称：市测试局\n\t类别\n\t序号\n\t目标名称\n\t目标内容\n\n",
    );
    for (i, n) in numbers.iter().enumerate() {
        if i == 0 && !category.is_empty() {
            t.push_str(&format!("\t{category}\n"));
        }
        t.push_str(&format!(
            "\t{n}\n\t建设第{i}号海洋实验室\n\t推进第{i}号海洋实验室投入运行，完成年度任务。\n\n"
        ));
    }
    t
}

// --- files, read in one batch together with the seed --------------------------------

/// One batch holding every bad file and the seed: each bad file fails with its reason, the
/// seed goes in, the exit code is 1, and the store reopens whole.
#[test]
fn a_batch_of_hostile_files_fails_each_clearly_and_keeps_the_seed() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let seed = seed_bytes();
    let w = |name: &str, bytes: &[u8]| std::fs::write(docs.join(name), bytes).unwrap();
    w("seed.txt", &seed);
    w("empty.txt", b"");
    w("whitespace.txt", " \t\r\n\u{3000}\n\n".as_bytes());
    w(
        "random.txt",
        &random_bytes(64 * 1024, 0x9E37_79B9_7F4A_7C15),
    );
    w("pdf-renamed.txt", b"%PDF-1.7\n1 0 obj\n");
    w("no-xml.docx", &zip(&[("word/other.xml", b"<x/>")]));
    w("not-zip.docx", b"PK\x03\x04 broken");
    // A 100 MB single line, written in pieces: refused by its size before it is read.
    {
        let f = std::fs::File::create(docs.join("one-line.txt")).unwrap();
        let mut f = std::io::BufWriter::new(f);
        let chunk = "海".repeat(1 << 16);
        for _ in 0..(100 << 20) / chunk.len() + 1 {
            f.write_all(chunk.as_bytes()).unwrap();
        }
    }
    // Unreadable (only stops a reader that is not root).
    w("unreadable.txt", &seed);
    let unreadable = docs.join("unreadable.txt");
    std::fs::set_permissions(
        &unreadable,
        std::os::unix::fs::PermissionsExt::from_mode(0o000),
    )
    .unwrap();
    let root_reads = std::fs::read(&unreadable).is_ok();
    // A symlink loop inside the folder (skipped: links are not followed) and given
    // directly (an error naming it).
    std::os::unix::fs::symlink(docs.join("loop-b.txt"), docs.join("loop-a.txt")).unwrap();
    std::os::unix::fs::symlink(docs.join("loop-a.txt"), docs.join("loop-b.txt")).unwrap();
    // An empty folder given directly.
    let empty_dir = dir.path().join("empty-folder");
    std::fs::create_dir(&empty_dir).unwrap();

    let data = dir.path().join("data");
    let started = Instant::now();
    let (code, report) = ingest_json(&data, &[&docs, &docs.join("loop-a.txt"), &empty_dir]);
    let took = started.elapsed();
    assert_eq!(code, Some(1), "{report}");
    let error = |name: &str| {
        let o = outcome(&report, name);
        assert_eq!(o["status"], "failed", "{name}: {o}");
        o["error"].as_str().unwrap().to_string()
    };
    assert!(error("empty.txt").contains("the file is empty"));
    assert!(error("whitespace.txt").contains("the file is empty"));
    assert!(error("random.txt").contains("not text in any supported encoding"));
    assert!(error("pdf-renamed.txt").contains("this is a PDF file"));
    assert!(error("no-xml.docx").contains("no word/document.xml inside"));
    assert!(error("not-zip.docx").contains("broken zip archive"));
    let big = error("one-line.txt");
    assert!(
        big.contains("too large") && big.contains(&MAX_FILE_BYTES.to_string()),
        "{big}"
    );
    assert!(error("loop-a.txt").contains("symbolic links"), "{report}");
    if root_reads {
        eprintln!("hostile: running as root, so a mode-000 file is still readable; checked that it ingests");
        assert_eq!(outcome(&report, "unreadable.txt")["status"], "unchanged");
    } else {
        assert!(error("unreadable.txt").contains("ermission denied"));
    }
    let seed_outcome = outcome(&report, "seed.txt");
    assert_eq!(seed_outcome["status"], "inserted");
    assert_eq!(seed_outcome["goals"], 9);
    assert_eq!(report["ingested"], 1);
    assert!(took.as_secs() < 60, "the batch took {took:?}");

    let kg = KnowledgeGraph::open(&data).unwrap();
    assert_eq!(kg.store().verify().unwrap(), Vec::<String>::new());
    let stats = kg.stats().unwrap();
    assert_eq!((stats.documents, stats.nodes[&NodeKind::Goal]), (1, 9));
}

#[test]
fn a_folder_without_documents_ingests_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("nothing");
    std::fs::create_dir(&empty).unwrap();
    std::fs::write(empty.join("notes.pdf"), b"%PDF").unwrap();
    let out = plangraph(
        &dir.path().join("data"),
        &["ingest", empty.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("0 ingested, 0 unchanged, 0 failed"));
}

// --- encodings ------------------------------------------------------------------------

#[test]
fn truncated_utf8_still_reads_every_goal() {
    let seed = seed_bytes();
    let full = parse_bytes("seed.txt", &seed).unwrap();
    // Cut inside the last three-byte character.
    let mut cut = seed.len() - 1;
    while seed[cut] & 0xC0 == 0x80 {
        cut -= 1;
    }
    let doc = parse_bytes("cut.txt", &seed[..cut + 1]).unwrap();
    assert_eq!(doc.goals.len(), full.goals.len());
    assert_eq!(doc.goals[0], full.goals[0]);
}

#[test]
fn mixed_encodings_in_one_file_are_refused_or_read_without_garbage() {
    // The first half in UTF-8, the second in GBK.
    let text = seed_text();
    let mid = text.char_indices().nth(text.chars().count() / 2).unwrap().0;
    let mut bytes = text.as_bytes()[..mid].to_vec();
    bytes.extend(gbk(&text[mid..]));
    match parse_bytes("mixed.txt", &bytes) {
        Err(e) => assert!(
            matches!(e, IngestError::NotText | IngestError::NoGoals),
            "{e}"
        ),
        Ok(doc) => {
            // Read as one encoding: the goals in the half it got right are intact.
            let seed = parse_bytes("seed.txt", text.as_bytes()).unwrap();
            assert!(seed.goals.iter().any(|g| doc.goals.contains(g)), "{doc:?}");
        }
    }
}

#[test]
fn gbk_without_marker_and_utf16_without_bom_read_as_the_seed() {
    let text = seed_text();
    let seed = parse_bytes("seed.txt", text.as_bytes()).unwrap();
    assert_eq!(parse_bytes("gbk.txt", &gbk(&text)).unwrap(), seed);
    assert_eq!(parse_bytes("u16.txt", &utf16le(&text)).unwrap(), seed);
}

// --- sizes ----------------------------------------------------------------------------

#[test]
fn a_million_tiny_goals_are_refused_quickly_with_the_count() {
    let mut text = String::from("市测试局2023年工作要点\n一、建设\n");
    for i in 0..1_000_000 {
        // Item numbers have at most three digits: 1 to 999, over and over.
        text.push_str(&format!("{}.海\n", i % 999 + 1));
    }
    assert!(text.len() < MAX_FILE_BYTES as usize);
    // A table of 20,000 goals is refused with its count.
    let numbers: Vec<String> = (0..20_000).map(|n| (n % 999 + 1).to_string()).collect();
    let numbers: Vec<&str> = numbers.iter().map(String::as_str).collect();
    let table = goal_table("重点目标", &numbers);
    match parse_bytes("many.txt", table.as_bytes()) {
        Err(e @ IngestError::TooManyGoals { .. }) => {
            assert!(e.to_string().contains("20000 goals"), "{e}")
        }
        Err(e) => panic!("unexpected error: {e}"),
        Ok(doc) => panic!("{} goals read", doc.goals.len()),
    }
    let started = Instant::now();
    match parse_bytes("million.txt", text.as_bytes()) {
        Err(e @ IngestError::TooManyGoals { .. }) => {
            assert!(e.to_string().contains("1000000 goals"), "{e}")
        }
        Err(e) => panic!("unexpected error: {e}"),
        Ok(doc) => panic!("{} goals read", doc.goals.len()),
    }
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}

// --- .docx ----------------------------------------------------------------------------

#[test]
fn a_zip_bomb_docx_is_refused_by_inflated_size() {
    // 80 MiB of zeros deflate to a few tens of KiB.
    let zeros = vec![b' '; 80 << 20];
    let bomb = zip(&[("word/document.xml", &zeros)]);
    assert!(bomb.len() < 1 << 20, "{}", bomb.len());
    let err = parse_bytes("bomb.docx", &bomb).unwrap_err();
    assert!(err.to_string().contains("inflates to more than"), "{err}");
}

#[test]
fn xml_entity_expansion_is_not_expanded() {
    let mut dtd =
        String::from("<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"海洋海洋海洋海洋\">");
    for i in 1..10 {
        let prev = (b'a' + i - 1) as char;
        let this = (b'a' + i) as char;
        dtd.push_str(&format!(
            "<!ENTITY {this} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    let xml = format!(
        "{dtd}]><w:document><w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>"
    );
    let started = Instant::now();
    let err = parse_bytes(
        "laughs.docx",
        &zip(&[("word/document.xml", xml.as_bytes())]),
    )
    .unwrap_err();
    // Ten billion characters would take minutes and gigabytes; the entity stays unread.
    assert!(
        matches!(
            err,
            IngestError::NoGoals | IngestError::NoYear | IngestError::NoUnit
        ),
        "{err}"
    );
    assert!(started.elapsed().as_secs() < 5);
}

#[test]
fn deeply_nested_tables_do_not_overflow_the_stack() {
    let depth = 100_000;
    let mut xml = String::from("<w:document><w:body>");
    for _ in 0..depth {
        xml.push_str("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>海</w:t></w:r></w:p>");
    }
    for _ in 0..depth {
        xml.push_str("</w:tc></w:tr></w:tbl>");
    }
    xml.push_str("</w:body></w:document>");
    let err = parse_bytes(
        "nested.docx",
        &zip(&[("word/document.xml", xml.as_bytes())]),
    )
    .unwrap_err();
    assert!(
        matches!(err, IngestError::NoGoals | IngestError::NoYear),
        "{err}"
    );
}

// --- layouts --------------------------------------------------------------------------

#[test]
fn repeated_and_out_of_order_goal_numbers_keep_every_goal() {
    let text = goal_table("重点目标", &["1", "3", "2", "2"]);
    let doc = parse_bytes("numbers.txt", text.as_bytes()).unwrap();
    let numbers: Vec<&str> = doc.goals.iter().map(|g| g.number.as_str()).collect();
    assert_eq!(numbers, ["1", "3", "2", "2"]);
    // Four goals in the graph, none overwriting another.
    let kg = KnowledgeGraph::temporary().unwrap();
    let out = kg.ingest_bytes("numbers.txt", text.as_bytes()).unwrap();
    assert_eq!(out.goals, Some(4));
    assert_eq!(kg.stats().unwrap().nodes[&NodeKind::Goal], 4);
    assert_eq!(kg.store().verify().unwrap(), Vec::<String>::new());
}

#[test]
fn a_missing_category_leaves_goals_without_one() {
    let text = goal_table("", &["1", "2"]);
    let doc = parse_bytes("nocat.txt", text.as_bytes()).unwrap();
    assert_eq!(doc.goals.len(), 2);
    assert!(doc.goals.iter().all(|g| g.category.is_empty()), "{doc:?}");
}

#[test]
fn the_same_document_under_two_file_names_is_stored_once() {
    let kg = KnowledgeGraph::temporary().unwrap();
    let a = kg.ingest_bytes("a.txt", &seed_bytes()).unwrap();
    let b = kg.ingest_bytes("copy of a.txt", &seed_bytes()).unwrap();
    assert_eq!(
        (a.status, b.status),
        (OutcomeStatus::Inserted, OutcomeStatus::Unchanged)
    );
    assert_eq!(a.document, b.document);
    let stats = kg.stats().unwrap();
    assert_eq!((stats.documents, stats.nodes[&NodeKind::Goal]), (1, 9));
}

// --- data folders ---------------------------------------------------------------------

#[test]
fn a_data_folder_of_a_newer_format_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let seed = crate::common::seed_path();
    assert!(plangraph(&data, &["ingest", seed.to_str().unwrap()])
        .status
        .success());
    {
        let db = crate::common::open_sled(data.join("graph"));
        let meta = db.open_tree("meta").unwrap();
        meta.insert("format_version", &99u64.to_be_bytes()).unwrap();
        db.flush().unwrap();
    }
    let out = plangraph(&data, &["stats"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("99") && err.contains("upgrade plangraph"),
        "{err}"
    );
    // Nothing was rewritten: the version is still 99 and the documents are there.
    let db = crate::common::open_sled(data.join("graph"));
    let meta = db.open_tree("meta").unwrap();
    assert_eq!(
        &*meta.get("format_version").unwrap().unwrap(),
        99u64.to_be_bytes()
    );
    assert_eq!(db.open_tree("documents:v1").unwrap().len(), 1);
}

/// Mount a tmpfs at `at` (root only); false when this machine does not allow it.
fn mount_tmpfs(at: &Path, options: &str) -> bool {
    std::fs::create_dir_all(at).unwrap();
    Command::new("mount")
        .args(["-t", "tmpfs", "-o", options, "tmpfs"])
        .arg(at)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn unmount(at: &Path) {
    let _ = Command::new("umount").arg(at).output();
}

#[test]
fn a_read_only_data_folder_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("ro");
    if !mount_tmpfs(&data, "size=4m,ro") {
        eprintln!("hostile: skipped read-only data folder: mounting a tmpfs is not permitted here");
        return;
    }
    let seed = crate::common::seed_path();
    let out = plangraph(&data, &["ingest", seed.to_str().unwrap()]);
    unmount(&data);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(data.to_str().unwrap()) && err.contains("ead-only"),
        "{err}"
    );
}

#[test]
fn a_full_disk_fails_the_ingest_and_keeps_what_was_stored() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("full");
    if !mount_tmpfs(&data, "size=3m") {
        eprintln!("hostile: skipped full disk: mounting a tmpfs is not permitted here");
        return;
    }
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let seed = seed_text();
    for i in 0..200 {
        std::fs::write(
            docs.join(format!("d{i:03}.txt")),
            seed.replace("市科技局", &format!("市第{i}局")),
        )
        .unwrap();
    }
    let out = plangraph(&data, &["ingest", docs.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("No space left on device") || err.contains("space"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    // Move the data folder to a roomy disk: it opens, and what it holds is whole.
    let moved = dir.path().join("moved");
    let cp = Command::new("cp")
        .arg("-a")
        .arg(&data)
        .arg(&moved)
        .output()
        .unwrap();
    unmount(&data);
    assert!(cp.status.success());
    let kg = KnowledgeGraph::open(&moved).expect("the store opens after a full disk");
    assert_eq!(kg.store().verify().unwrap(), Vec::<String>::new());
    let stats = kg.stats().unwrap();
    assert_eq!(
        stats.nodes.get(&NodeKind::Goal).copied().unwrap_or(0),
        9 * stats.documents
    );
    eprintln!(
        "hostile: full disk: {} documents whole before the disk filled",
        stats.documents
    );
}

// --- HTTP -----------------------------------------------------------------------------

fn app() -> axum::Router {
    let kg = KnowledgeGraph::temporary().unwrap();
    kg.ingest_bytes("seed.txt", &seed_bytes()).unwrap();
    router(AppState::new(Arc::new(kg), None))
        .layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))))
}

async fn call(app: &axum::Router, method: &str, uri: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .body(Body::from(body))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn malformed_upload_bodies_get_422_naming_the_file() {
    let app = app();
    for (name, body, reason) in [
        ("junk.txt", random_bytes(4096, 7), "not text"),
        ("junk.docx", b"PK\x03\x04\x00\x00".to_vec(), "broken zip"),
        (
            "half.docx",
            zip(&[("word/document.xml", b"<w:document><w:body>")]),
            "cut short",
        ),
        ("empty.txt", Vec::new(), "empty"),
    ] {
        let (status, v) = call(
            &app,
            "POST",
            &format!("/api/documents?filename={name}"),
            body,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {v}");
        assert_eq!(v["error"]["code"], "unprocessable");
        assert!(
            v["error"]["message"].as_str().unwrap().contains(reason),
            "{name}: {v}"
        );
    }
    let (_, stats) = call(&app, "GET", "/api/stats", vec![]).await;
    assert_eq!(stats["documents"], 1, "nothing lost");
}

#[tokio::test]
async fn huge_query_strings_get_a_clear_4xx() {
    let app = app();
    // 7,000 characters, 63 KB percent-encoded: about the most a URI may hold (a longer one
    // is refused by the HTTP layer; see `access::a_huge_request_line_gets_414_or_431`).
    let q = "海".repeat(7_000);
    let enc: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
    let started = Instant::now();
    for route in [
        "/api/search?q=",
        "/api/trace?name=",
        "/api/impact?name=",
        "/api/nodes/x/neighbors?kind=",
    ] {
        let (status, v) = call(&app, "GET", &format!("{route}{enc}"), vec![]).await;
        assert!(status.is_client_error(), "{route}: {status} {v}");
        assert!(v["error"]["message"].is_string(), "{v}");
    }
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
}

#[tokio::test]
async fn invalid_utf8_in_parameters_gets_400_naming_the_problem() {
    let app = app();
    for uri in [
        "/api/search?q=%FF%FE",
        "/api/trace?name=%C0%80",
        "/api/impact?name=%C0%80",
        "/api/path?from=%E6%B5&to=x",
        "/api/nodes/%FF",
        "/api/documents?filename=%FF.txt",
    ] {
        let method = if uri.starts_with("/api/documents") {
            "POST"
        } else {
            "GET"
        };
        let (status, v) = call(&app, method, uri, b"x".to_vec()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("utf"),
            "{uri}: {v}"
        );
    }
}

// --- inputs that are not plain files ----------------------------------------------------

/// `ingest` run as the user `nobody` when the test runs as root (root reads a mode-000
/// file anyway), so the unreadable file is really unreadable.
fn ingest_unprivileged(data: &Path, path: &Path) -> Option<Output> {
    let mut cmd = if nix_is_root() {
        if !Path::new("/usr/bin/setpriv").exists() {
            return None;
        }
        let mut c = Command::new("/usr/bin/setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_plangraph"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_plangraph"))
    };
    cmd.arg("--data")
        .arg(data)
        .arg("ingest")
        .arg(path)
        .env("RUST_LOG", "warn");
    Some(cmd.output().unwrap())
}

fn nix_is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn an_unreadable_file_fails_naming_it_and_the_reason() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let open = |p: &Path, mode| std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode));
    open(dir.path(), 0o755).unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    open(&docs, 0o755).unwrap();
    let file = docs.join("locked.txt");
    std::fs::write(&file, seed_bytes()).unwrap();
    open(&file, 0o000).unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    open(&data, 0o777).unwrap();
    let Some(out) = ingest_unprivileged(&data, &file) else {
        eprintln!("hostile: no setpriv to drop root; skipped");
        return;
    };
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("failed:") && err.contains("locked.txt") && err.contains("ermission denied"),
        "{err}"
    );
    assert!(err.contains("0 ingested, 0 unchanged, 1 failed"), "{err}");
}

#[test]
fn a_folder_named_like_a_document_is_read_as_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("plans.txt");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("seed.txt"), seed_bytes()).unwrap();
    let (code, report) = ingest_json(&dir.path().join("data"), &[&folder]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["ingested"], 1);
    assert_eq!(outcome(&report, "plans.txt/seed.txt")["goals"], 9);
}

#[test]
fn a_path_that_does_not_exist_fails_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-plan.txt");
    let out = plangraph(
        &dir.path().join("data"),
        &["ingest", missing.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("no-such-plan.txt: no such file or folder"),
        "{err}"
    );
}

#[tokio::test]
async fn empty_and_whitespace_uploads_get_422_and_a_too_large_one_413() {
    let app = app();
    for (name, body) in [
        ("empty.txt", Vec::new()),
        ("blank.txt", " \t\r\n\u{3000}\n".as_bytes().to_vec()),
        ("blank.md", b"\n\n\n".to_vec()),
    ] {
        let (status, v) = call(
            &app,
            "POST",
            &format!("/api/documents?filename={name}"),
            body,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {v}");
        assert_eq!(v["error"]["message"], "the file is empty", "{name}");
    }
    let big = vec![b'a'; plangraph::http::BODY_LIMIT + 1];
    let (status, v) = call(&app, "POST", "/api/documents?filename=big.txt", big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    assert_eq!(v["error"]["code"], "too_large");
    let (_, stats) = call(&app, "GET", "/api/stats", vec![]).await;
    assert_eq!(stats["documents"], 1, "nothing lost");
}
