//! Former names and short forms: `新名（原旧名）`, `原X更名为Y`, `X（以下简称“Y”）`, `X（简称Y）`
//! and `X——Y` make the other name an alias of one node, which documents using only the
//! other name (earlier or later, either ingest order) resolve to; look-alike platforms stay
//! apart. Scored against `tests/fixtures/names/gold.json`.

use crate::common::repo_path;
use plangraph::index::SearchRequest;
use plangraph::knowledge_graph::KnowledgeGraph;
use plangraph::NodeKind;
use serde_json::Value;
use std::collections::BTreeSet;

const DOCS: [&str; 3] = [
    "tests/fixtures/names/haiyang-2021-work-points.txt",
    "tests/fixtures/names/haiyang-2022-work-points.txt",
    "tests/fixtures/names/keji-2024-work-points.txt",
];

fn gold() -> Value {
    let text = std::fs::read_to_string(repo_path("tests/fixtures/names/gold.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn ingest(kg: &KnowledgeGraph, i: usize) {
    let path = repo_path(DOCS[i]);
    let bytes = std::fs::read(&path).unwrap();
    let name = path.file_name().unwrap().to_str().unwrap();
    kg.ingest_bytes(name, &bytes).unwrap();
}

fn graph(order: &[usize]) -> KnowledgeGraph {
    let kg = KnowledgeGraph::temporary().unwrap();
    for &i in order {
        ingest(&kg, i);
    }
    kg
}

type GoalKey = (String, u64, String);

fn traced(kg: &KnowledgeGraph, name: &str) -> BTreeSet<GoalKey> {
    let t = kg.trace(name, None).unwrap();
    t.goals
        .iter()
        .map(|g| {
            let p = &g.goal.place;
            (p.unit.clone(), p.year.unwrap() as u64, p.number.clone())
        })
        .collect()
}

/// (aliases resolved, traces complete, pairs apart) against the gold, with what failed.
fn score(kg: &KnowledgeGraph) -> ((usize, usize, usize), Vec<String>) {
    let g = gold();
    let mut failed = Vec::new();
    let mut ok = (0, 0, 0);
    for a in g["aliases"].as_array().unwrap() {
        let (alias, canonical) = (
            a["alias"].as_str().unwrap(),
            a["canonical"].as_str().unwrap(),
        );
        let good = match (kg.resolve(alias), kg.resolve(canonical)) {
            (Ok(x), Ok(y)) => {
                let listed = kg.show(canonical).unwrap().aliases;
                let norm = plangraph::model::normalize_name(alias);
                x.id == y.id
                    && y.name == canonical
                    && y.kind.to_string() == a["kind"].as_str().unwrap()
                    && listed.contains(&norm)
            }
            _ => false,
        };
        if good {
            ok.0 += 1;
        } else {
            failed.push(format!("alias {alias} → {canonical}"));
        }
    }
    for t in g["traces"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap();
        let want: BTreeSet<GoalKey> = t["goals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| {
                (
                    k[0].as_str().unwrap().to_string(),
                    k[1].as_u64().unwrap(),
                    k[2].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let got = kg
            .resolve(name)
            .map(|_| traced(kg, name))
            .unwrap_or_default();
        if want.is_subset(&got) {
            ok.1 += 1;
        } else {
            failed.push(format!(
                "trace {name}: missing {:?}",
                want.difference(&got).collect::<Vec<_>>()
            ));
        }
    }
    for pair in g["apart"].as_array().unwrap() {
        let (a, b) = (pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
        match (kg.resolve(a), kg.resolve(b)) {
            (Ok(x), Ok(y))
                if x.id != y.id && x.name == a && y.name == b && !x.is_class() && !y.is_class() =>
            {
                ok.2 += 1
            }
            _ => failed.push(format!("apart {a} / {b}")),
        }
    }
    for bad in g["not_names"].as_array().unwrap() {
        let bad = bad.as_str().unwrap();
        if !kg.store().ids_named(bad).unwrap().is_empty() {
            failed.push(format!("{bad} is a node"));
        }
    }
    (ok, failed)
}

#[test]
fn former_names_and_short_forms_resolve_in_every_ingest_order() {
    let g = gold();
    let want = (
        g["aliases"].as_array().unwrap().len(),
        g["traces"].as_array().unwrap().len(),
        g["apart"].as_array().unwrap().len(),
    );
    let mut first: Option<((usize, usize, usize), Vec<String>)> = None;
    for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0], [0, 2, 1]] {
        let kg = graph(&order);
        let (ok, failed) = score(&kg);
        eprintln!(
            "names, order {order:?}: aliases {}/{}, traces {}/{}, apart {}/{}; failed: {failed:?}",
            ok.0, want.0, ok.1, want.1, ok.2, want.2
        );
        assert!(kg.store().verify().unwrap().is_empty());
        // the ingest order changes nothing
        match &first {
            Some(f) => assert_eq!(f, &(ok, failed), "order {order:?}"),
            None => first = Some((ok, failed)),
        }
    }
    // Floors at the measured figures (docs/extraction.md lists the miss: a platform read
    // as a class); none is a wrong merge.
    let (ok, failed) = first.unwrap();
    assert_eq!(ok.0, want.0, "every alias resolves: {failed:?}");
    assert_eq!(ok.1, want.1, "traces: {failed:?}");
    assert!(ok.2 >= want.2 - 1, "apart: {failed:?}");
    assert!(
        failed.iter().all(|f| !f.contains("is a node")),
        "{failed:?}"
    );
}

#[test]
fn an_alias_finds_its_node_in_search_and_the_node_lists_it() {
    let kg = graph(&[0, 1, 2]);
    for a in gold()["aliases"].as_array().unwrap() {
        let (alias, canonical) = (
            a["alias"].as_str().unwrap(),
            a["canonical"].as_str().unwrap(),
        );
        let node = kg.resolve(canonical).unwrap();
        let hits = kg
            .search(&SearchRequest {
                query: alias.into(),
                kinds: vec![NodeKind::Institution],
                unit: None,
                year: None,
                limit: 20,
                offset: 0,
            })
            .unwrap();
        assert!(
            hits.hits.iter().any(|h| h.id == node.id),
            "search {alias}: {:?}",
            hits.hits.iter().map(|h| &h.name).collect::<Vec<_>>()
        );
    }
}

#[test]
fn replacing_the_declaring_document_leaves_no_stale_merge() {
    let kg = graph(&[0, 1]);
    let (old, new) = ("蓝海海洋装备研究中心", "蓝海深海装备研究院");
    assert_eq!(kg.resolve(old).unwrap().id, kg.resolve(new).unwrap().id);
    // the 2022 document again, without the former name
    let path = repo_path(DOCS[1]);
    let text = std::fs::read_to_string(&path).unwrap();
    let changed = text.replace("原蓝海海洋装备研究中心更名为", "");
    kg.ingest_bytes("haiyang-2022-work-points.txt", changed.as_bytes())
        .unwrap();
    let a = kg.resolve(old).unwrap();
    let b = kg.resolve(new).unwrap();
    assert_ne!(a.id, b.id, "the merge went with its declaration");
    assert_eq!(a.name, old);
    assert_eq!(traced(&kg, old).len(), 1, "the 2021 goal is its own again");
    assert!(kg.store().verify().unwrap().is_empty());
    // and back: the declaration merges them again
    ingest(&kg, 1);
    assert_eq!(kg.resolve(old).unwrap().id, kg.resolve(new).unwrap().id);
    assert_eq!(traced(&kg, new).len(), 2);
}

#[test]
fn a_short_form_two_platforms_declare_joins_neither() {
    let kg = KnowledgeGraph::temporary().unwrap();
    let a = "某市科学技术局2025年工作要点\n一、平台\n1.建设齐鲁技术转移中心（以下简称“转移中心”）。\n2.支持转移中心开展服务。\n";
    let b = "某市商务局2025年工作要点\n一、平台\n1.建设海尔技术转移中心（以下简称“转移中心”）。\n";
    kg.ingest_bytes("a.txt", a.as_bytes()).unwrap();
    kg.ingest_bytes("b.txt", b.as_bytes()).unwrap();
    let x = kg.resolve("齐鲁技术转移中心").unwrap();
    let y = kg.resolve("海尔技术转移中心").unwrap();
    assert_ne!(x.id, y.id);
    assert_eq!(x.name, "齐鲁技术转移中心");
    assert_eq!(y.name, "海尔技术转移中心");
    // within its own document the short form is the document's own platform
    assert_eq!(traced(&kg, "齐鲁技术转移中心").len(), 2);
    assert_eq!(traced(&kg, "海尔技术转移中心").len(), 1);
    assert!(kg.store().verify().unwrap().is_empty());
}
