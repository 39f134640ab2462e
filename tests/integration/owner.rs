//! One owner, many clients: while `plangraph serve` holds a data folder, every other
//! command on it is answered through the server, with the same output and exit code as
//! it gives on a folder of its own.

use crate::common::{plangraph, repo_path, seed_path, Server};
use std::path::Path;
use std::process::{Command, Output};

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn every_command_answers_through_a_running_server_as_it_does_alone() {
    let alone = tempfile::tempdir().unwrap();
    let served = tempfile::tempdir().unwrap();
    let seed = seed_path();
    let seed = seed.to_str().unwrap();
    for d in [alone.path(), served.path()] {
        let out = plangraph(d, &["ingest", seed]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    // The most depended-on platform, as a planner would pick it.
    let rank: serde_json::Value =
        serde_json::from_slice(&plangraph(alone.path(), &["rank", "--json"]).stdout).unwrap();
    let top = rank["entities"][0]["name"].as_str().unwrap().to_string();
    let second = rank["entities"][1]["name"].as_str().unwrap().to_string();

    let server = Server::start(served.path());
    let port = server.port;
    let owner: serde_json::Value = serde_json::from_slice(
        &std::fs::read(served.path().join("owner.json")).expect("the server publishes itself"),
    )
    .unwrap();
    assert_eq!(owner["command"], "serve");
    assert_eq!(owner["pid"], server.id());
    assert_eq!(owner["url"], format!("http://127.0.0.1:{port}/"));

    let other = repo_path("tests/fixtures/ingest/kejiju-2022-work-points.txt");
    let other = other.to_str().unwrap();
    let next_year = repo_path("tests/fixtures/second_year/qingdao-kejiju-2022-business-goals.txt");
    let next_year = next_year.to_str().unwrap();
    let junk = tempfile::tempdir().unwrap();
    let empty = junk.path().join("空白.txt");
    std::fs::write(&empty, "\n  \n").unwrap();
    let empty = empty.to_str().unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec!["search", "海洋"],
        vec!["search", "海洋", "--json"],
        vec!["search", "实验室", "--kind", "institution", "--json"],
        vec!["trace", &top],
        vec!["trace", &top, "--json"],
        vec!["impact", &top],
        vec!["impact", &top, "--json", "--limit", "3"],
        vec!["show", &top],
        vec!["show", &top, "--json"],
        vec!["neighbors", &top, "--json"],
        vec!["path", &top, &second, "--json"],
        vec!["rank", "--json"],
        vec!["rank", "--classes", "--json"],
        vec!["rank", "--classes"],
        vec!["stats", "--json"],
        vec!["stats"],
        // Mistakes get the same message and exit code.
        vec!["show", "没有这个平台"],
        vec!["trace", "没有这个平台", "--json"],
        vec!["impact", "没有这个平台"],
        vec!["impact", &top, "--limit", "0"],
        vec!["search", "海洋", "--limit", "0"],
        // A write: the new document goes in through the server.
        vec!["ingest", other, "--json"],
        // Responsibility tags of that document.
        vec!["duties", "市财政局"],
        vec!["duties", "市财政局", "--json"],
        vec!["duties", "市科技局", "--year", "2022", "--json"],
        vec!["duties", "没有这个单位"],
        // The seed's unit a year later: goals followed across years.
        vec!["ingest", next_year, "--json"],
        vec!["diff", "市科技局", "2021", "2022"],
        vec!["diff", "市科技局", "2021", "2022", "--json"],
        vec!["diff", "市科技局", "2020", "2022"],
        vec!["diff", "没有这个单位", "2021", "2022", "--json"],
        // Numeric targets, a subject's series through its short form, paging and mistakes.
        vec!["targets"],
        vec!["targets", "--json"],
        vec!["targets", "--subject", "高企"],
        vec!["targets", "--subject", "高企", "--json"],
        vec![
            "targets", "--year", "2021", "--sort", "value", "--limit", "3", "--offset", "1",
            "--json",
        ],
        vec![
            "targets",
            "--unit",
            "市科技局",
            "--sort",
            "subject",
            "--json",
        ],
        vec!["targets", "--subject", "没有这个东西"],
        vec!["targets", "--limit", "0"],
        // A document's lineage: the goals that issue, revise or implement it, by year.
        vec!["show", "科技引领城建设攻势作战方案3.0版"],
        vec!["show", "科技引领城建设攻势作战方案3.0版", "--json"],
        // A file that fails fails the same way (exit 1, the file named).
        vec!["ingest", empty, "--json"],
        vec!["ingest", empty],
        vec!["search", "海洋", "--json"],
        vec!["stats", "--json"],
    ];
    // After a write, search scores depend on when each index merged its segments (BM25
    // counts deleted entries until then), so from there on they are left out of the
    // comparison; everything else, the order of hits included, must be the same.
    let mut wrote = false;
    let without_scores = |text: String| -> String {
        text.lines()
            .filter(|l| !l.trim_start().starts_with("\"score\":"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for args in &commands {
        let a = plangraph(alone.path(), args);
        let s = plangraph(served.path(), args);
        assert_eq!(
            a.status.code(),
            s.status.code(),
            "exit code of {args:?}: {}",
            stderr(&s)
        );
        if wrote {
            assert_eq!(
                without_scores(stdout(&a)),
                without_scores(stdout(&s)),
                "output of {args:?}"
            );
        } else {
            assert_eq!(stdout(&a), stdout(&s), "output of {args:?}");
        }
        wrote |= args[0] == "ingest";
        if !a.status.success() {
            assert_eq!(stderr(&a), stderr(&s), "error of {args:?}");
        }
    }
    // The served store did take the uploads: the server itself answers with the documents.
    let stats = plangraph(served.path(), &["stats", "--json"]);
    let stats: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(stats["documents"], 3);
    // both 2022 documents of 市科技局 (its 工作要点 and its 业务目标) follow the 2021 seed
    assert!(stats["edges"]["continues"].as_u64() >= Some(8), "{stats}");

    // A backup taken through the server holds the same graph as one taken alone.
    let (ba, bs) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = plangraph(alone.path(), &["backup", ba.path().to_str().unwrap()]);
    let s = plangraph(served.path(), &["backup", bs.path().to_str().unwrap()]);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    assert_eq!(s.status.code(), Some(0), "{}", stderr(&s));
    assert!(stderr(&s).contains("through the server"), "{}", stderr(&s));
    let lines = |d: &Path| -> Vec<String> {
        let text = std::fs::read_to_string(d.join("graph.jsonl")).unwrap();
        // Nodes and edges must agree line for line; the header (time of the backup) and the
        // document records (when and from which path each was ingested) differ by nature.
        text.lines()
            .filter(|l| l.starts_with(r#"{"type":"node""#) || l.starts_with(r#"{"type":"edge""#))
            .map(String::from)
            .collect()
    };
    assert_eq!(lines(ba.path()), lines(bs.path()));
    let manifest = |d: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(d.join("manifest.json")).unwrap()).unwrap()
    };
    assert_eq!(manifest(bs.path())["documents"], 3);
    for key in ["documents", "nodes", "edges", "store_format"] {
        assert_eq!(manifest(ba.path())[key], manifest(bs.path())[key], "{key}");
    }

    // A second server on the same folder is told where the first one serves.
    let again = plangraph(served.path(), &["serve", "--addr", "127.0.0.1:0"]);
    assert_ne!(again.status.code(), Some(0));
    assert!(
        stderr(&again).contains(&format!(
            "already served by `plangraph serve` (pid {}",
            server.id()
        )) && stderr(&again).contains(&format!("http://127.0.0.1:{port}/")),
        "{}",
        stderr(&again)
    );

    drop(server);
    assert!(
        !served.path().join("owner.json").exists(),
        "the owner file goes when the server ends"
    );
    // And the folder is the CLI's own again.
    let out = plangraph(served.path(), &["stats", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn an_owner_file_left_by_a_killed_process_is_ignored_and_removed() {
    let data = tempfile::tempdir().unwrap();
    let out = plangraph(data.path(), &["ingest", seed_path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The pid of a process that has ended, and an address nothing answers at.
    let mut gone = Command::new("true").spawn().unwrap();
    let pid = gone.id();
    gone.wait().unwrap();
    std::fs::write(
        data.path().join("owner.json"),
        format!(r#"{{"pid":{pid},"command":"serve","started":1,"url":"http://127.0.0.1:9/"}}"#),
    )
    .unwrap();
    let out = plangraph(data.path(), &["stats", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["nodes"]["goal"], 9);
    assert!(!data.path().join("owner.json").exists());
}

#[test]
fn an_owner_that_does_not_serve_is_named_with_what_it_does() {
    let data = tempfile::tempdir().unwrap();
    let out = plangraph(data.path(), &["ingest", seed_path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A live plangraph process (a server of another folder) stands for a long ingest,
    // while this test holds the store the way that ingest would.
    let elsewhere = tempfile::tempdir().unwrap();
    let other = Server::start(elsewhere.path());
    let held = plangraph::knowledge_graph::KnowledgeGraph::open(data.path()).unwrap();
    std::fs::write(
        data.path().join("owner.json"),
        format!(
            r#"{{"pid":{},"command":"ingest","started":{}}}"#,
            other.id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs()
        ),
    )
    .unwrap();
    let out = plangraph(data.path(), &["search", "海洋"]);
    let pid = other.id();
    drop(held);
    drop(other);
    assert_ne!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("in use by `plangraph ingest` (pid {pid}, started"))
            && err.contains("s ago")
            && err.contains("wait until it ends"),
        "{err}"
    );
}
