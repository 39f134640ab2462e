//! Held-out set D (`tests/fixtures/heldout_d/`): four whole documents of other departments,
//! cities and years, ingested through the real pipeline into a data folder, scored against
//! gold written before any run. Prints a table and asserts floors at the figures of the
//! second run (after the rules of issue 9, which were written without reading D), so a
//! regression fails.
//!
//! `cargo test --test integration heldout_d -- --nocapture`
//!
//! Only the facade is used (`ingest_paths`, `documents`, `export_jsonl`, `resolve`,
//! `trace`); nodes and edges are read from the JSON export, so new labels and properties
//! (`responsible`, `aliases`) are scored as soon as they exist.

use crate::common::repo_path;
use plangraph::knowledge_graph::KnowledgeGraph;
use plangraph::model::normalize_name;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

const DIR: &str = "tests/fixtures/heldout_d";

/// Level words a class node's name may keep before the head noun the gold names.
const LEVEL_PREFIXES: [&str; 10] = [
    "省级以上",
    "市级以上",
    "国家级",
    "省级",
    "市级",
    "区级",
    "各级",
    "新型",
    "一批",
    "高校",
];

fn gold() -> Value {
    let p = repo_path(&format!("{DIR}/gold.json"));
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn norm(s: &str) -> String {
    normalize_name(s.trim_matches(|c| matches!(c, '《' | '》' | '。' | '；' | '：')))
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// Precision and recall counts.
#[derive(Default, Clone, Copy)]
struct Pr {
    tp: usize,
    found: usize,
    gold: usize,
}

impl Pr {
    fn add(&mut self, tp: usize, found: usize, gold: usize) {
        self.tp += tp;
        self.found += found;
        self.gold += gold;
    }
    fn precision(&self) -> f64 {
        if self.found == 0 {
            0.0
        } else {
            self.tp as f64 / self.found as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.gold == 0 {
            0.0
        } else {
            self.tp as f64 / self.gold as f64
        }
    }
}

/// The graph as exported: nodes by id, and edges out of each node.
struct Graph {
    nodes: HashMap<String, Value>,
    out: HashMap<String, Vec<Value>>,
}

impl Graph {
    fn of(kg: &KnowledgeGraph) -> Graph {
        let mut buf = Vec::new();
        kg.export_jsonl(&mut buf).unwrap();
        let mut g = Graph {
            nodes: HashMap::new(),
            out: HashMap::new(),
        };
        for line in String::from_utf8(buf).unwrap().lines() {
            let v: Value = serde_json::from_str(line).unwrap();
            if v["type"] == "node" {
                g.nodes.insert(s(&v["id"]).to_string(), v);
            } else {
                g.out
                    .entry(s(&v["source"]).to_string())
                    .or_default()
                    .push(v);
            }
        }
        g
    }

    fn edges(&self, id: &str) -> &[Value] {
        self.out.get(id).map(Vec::as_slice).unwrap_or(&[])
    }

    fn node(&self, id: &str) -> Option<&Value> {
        self.nodes.get(id)
    }

    /// The nodes a goal links to directly, with the edge (all labels but has_goal).
    fn linked<'a>(&'a self, goal: &str) -> Vec<(&'a Value, &'a Value)> {
        self.edges(goal)
            .iter()
            .filter(|e| e["label"] != "has_goal")
            .filter_map(|e| self.node(s(&e["target"])).map(|n| (e, n)))
            .collect()
    }
}

fn is_class(n: &Value) -> bool {
    n["props"]["class"] == true
}

/// The names a node answers to: its name and its aliases (strings, or objects with a
/// `name` or `alias`), normalised.
fn names_of(n: &Value) -> HashSet<String> {
    let mut out = HashSet::from([norm(s(&n["name"]))]);
    let aliases = n["aliases"].as_array().or(n["props"]["aliases"].as_array());
    for a in aliases.into_iter().flatten() {
        let name = match a {
            Value::String(x) => x.as_str(),
            v => v["alias"].as_str().or(v["name"].as_str()).unwrap_or(""),
        };
        if !name.is_empty() {
            out.insert(norm(name));
        }
    }
    out
}

/// Gold alias → canonical, normalised, for matching target subjects.
fn alias_map(gold: &Value) -> HashMap<String, String> {
    gold["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (norm(s(&a["alias"])), norm(s(&a["canonical"]))))
        .collect()
}

/// Greedy one-to-one matching: how many gold items find a distinct extracted item.
fn matched<G, F>(gold: &[G], found: &[F], ok: impl Fn(&G, &F) -> bool) -> (usize, Vec<usize>) {
    let mut used = vec![false; found.len()];
    let mut missed = Vec::new();
    let mut tp = 0;
    for (gi, g) in gold.iter().enumerate() {
        match (0..found.len()).find(|&i| !used[i] && ok(g, &found[i])) {
            Some(i) => {
                used[i] = true;
                tp += 1;
            }
            None => missed.push(gi),
        }
    }
    (tp, missed)
}

struct Scores {
    goals: Pr,
    entities: Pr,
    classes: Pr,
    targets: Pr,
    targets_value_unit: Pr,
    documents: Pr,
    responsible: Pr,
    aliases: (usize, usize),
    distinct: (usize, usize),
    traces: (usize, usize),
    trace_goals: (usize, usize),
}

fn score() -> Scores {
    let gold = gold();
    let docs = gold["documents"].as_array().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kg = KnowledgeGraph::open(dir.path()).unwrap();
    let files: Vec<PathBuf> = docs
        .iter()
        .map(|d| repo_path(&format!("{DIR}/{}", s(&d["file"]))))
        .collect();
    let report = kg.ingest_paths(&files, &mut |_| {}).unwrap();
    assert_eq!(
        (report.ingested, report.failed),
        (docs.len(), 0),
        "{report:?}"
    );
    let graph = Graph::of(&kg);
    let aliases = alias_map(&gold);
    let canon = |x: &str| {
        let n = norm(x);
        aliases.get(&n).cloned().unwrap_or(n)
    };

    // document id by file name
    let listed = kg.documents(0, 100).unwrap();
    let doc_of_file: HashMap<String, String> = listed
        .documents
        .iter()
        .map(|d| {
            let file = std::path::Path::new(&d.source)
                .file_name()
                .and_then(|f| f.to_str())
                .unwrap_or("")
                .to_string();
            (file, d.id.clone())
        })
        .collect();

    let mut sc = Scores {
        goals: Pr::default(),
        entities: Pr::default(),
        classes: Pr::default(),
        targets: Pr::default(),
        targets_value_unit: Pr::default(),
        documents: Pr::default(),
        responsible: Pr::default(),
        aliases: (0, 0),
        distinct: (0, 0),
        traces: (0, 0),
        trace_goals: (0, 0),
    };
    // (file, normalised title) → goal id
    let mut goal_ids: HashMap<(String, String), String> = HashMap::new();

    for d in docs {
        let file = s(&d["file"]).to_string();
        let doc_id = doc_of_file
            .get(&file)
            .unwrap_or_else(|| panic!("{file} is stored"));
        let extracted: Vec<&Value> = graph
            .nodes
            .values()
            .filter(|n| n["kind"] == "goal" && n["props"]["document"] == doc_id.as_str())
            .collect();
        let gold_goals = d["goals"].as_array().unwrap();
        let mut unmatched: HashSet<&str> = extracted.iter().map(|n| s(&n["id"])).collect();
        let mut tp = 0;
        for g in gold_goals {
            let t = norm(s(&g["title"]));
            let hit = extracted
                .iter()
                .find(|n| unmatched.contains(s(&n["id"])) && norm(s(&n["name"])) == t);
            let goal = hit.map(|n| s(&n["id"]).to_string());
            if let Some(id) = &goal {
                unmatched.remove(id.as_str());
                tp += 1;
                goal_ids.insert((file.clone(), t.clone()), id.clone());
            } else {
                println!("  goal missed: {file} {}", s(&g["title"]));
            }
            score_goal(&graph, g, goal.as_deref(), &canon, &mut sc, &file);
        }
        sc.goals.add(tp, extracted.len(), gold_goals.len());
        // goals found that the gold does not have: everything they link to is a false positive
        for id in unmatched {
            println!("  goal not in gold: {file} {}", s(&graph.nodes[id]["name"]));
            score_found_only(&graph, id, &mut sc);
        }
    }

    for a in gold["aliases"].as_array().unwrap() {
        sc.aliases.1 += 1;
        let want = norm(s(&a["canonical"]));
        let resolved = kg.resolve(s(&a["alias"]));
        let canonical = kg.resolve(s(&a["canonical"]));
        let ok = match (&resolved, &canonical) {
            (Ok(x), Ok(c)) => x.id == c.id && normalize_name(&c.name) == want,
            _ => false,
        };
        if ok {
            sc.aliases.0 += 1;
        } else {
            println!(
                "  alias not resolved: {} → {} (resolves to {:?})",
                s(&a["alias"]),
                s(&a["canonical"]),
                resolved.map(|n| n.name).map_err(|e| e.to_string())
            );
        }
    }

    for pair in gold["distinct"].as_array().unwrap() {
        sc.distinct.1 += 1;
        let a = kg.resolve(s(&pair[0]));
        let b = kg.resolve(s(&pair[1]));
        match (&a, &b) {
            (Ok(x), Ok(y)) if x.id != y.id => sc.distinct.0 += 1,
            _ => println!(
                "  not kept apart: {} / {} ({:?} / {:?})",
                s(&pair[0]),
                s(&pair[1]),
                a.as_ref().map(|n| &n.name).map_err(|e| e.to_string()),
                b.as_ref().map(|n| &n.name).map_err(|e| e.to_string())
            ),
        }
    }

    for t in gold["traces"].as_array().unwrap() {
        let entity = s(&t["entity"]);
        let want: Vec<Option<&String>> = t["goals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| goal_ids.get(&(s(&g[0]).to_string(), norm(s(&g[1])))))
            .collect();
        let traced: HashSet<String> = match kg.resolve(entity) {
            Ok(n)
                if normalize_name(&n.name) == norm(entity)
                    || names_of(&graph.nodes[&n.id]).contains(&norm(entity)) =>
            {
                kg.trace(&n.id, None)
                    .unwrap()
                    .goals
                    .into_iter()
                    .map(|g| g.goal.id)
                    .collect()
            }
            other => {
                println!(
                    "  trace: {entity} resolves to {:?}",
                    other.map(|n| n.name).map_err(|e| e.to_string())
                );
                HashSet::new()
            }
        };
        let hits = want
            .iter()
            .filter(|g| g.is_some_and(|id| traced.contains(id)))
            .count();
        sc.trace_goals.0 += hits;
        sc.trace_goals.1 += want.len();
        sc.traces.1 += 1;
        if hits == want.len() {
            sc.traces.0 += 1;
        } else {
            println!("  trace incomplete: {entity} ({hits} of {})", want.len());
        }
    }
    sc
}

/// Everything a goal links to, as the scoring reads it.
struct Found<'a> {
    entities: Vec<&'a Value>,
    classes: Vec<&'a Value>,
    targets: Vec<(&'a Value, Option<&'a Value>)>,
    documents: Vec<&'a Value>,
    responsible: Vec<(&'a Value, &'a Value)>,
}

fn found<'a>(graph: &'a Graph, goal: &str) -> Found<'a> {
    let mut f = Found {
        entities: Vec::new(),
        classes: Vec::new(),
        targets: Vec::new(),
        documents: Vec::new(),
        responsible: Vec::new(),
    };
    let mut seen = HashSet::new();
    for (e, n) in graph.linked(goal) {
        let kind = s(&n["kind"]);
        if e["label"] == "responsible" {
            f.responsible.push((e, n));
        }
        if kind == "target" {
            let measured = graph
                .edges(s(&n["id"]))
                .iter()
                .find(|m| m["label"] == "measures")
                .and_then(|m| graph.node(s(&m["target"])));
            if let Some(m) = measured.filter(|m| is_class(m)) {
                if seen.insert(s(&m["id"]).to_string()) {
                    f.classes.push(m);
                }
            }
            f.targets.push((n, measured));
            continue;
        }
        if !seen.insert(s(&n["id"]).to_string()) {
            continue;
        }
        if is_class(n) {
            f.classes.push(n);
        } else if matches!(kind, "institution" | "organization" | "place") {
            f.entities.push(n);
        } else if kind == "document" {
            f.documents.push(n);
        }
    }
    f
}

fn score_found_only(graph: &Graph, goal: &str, sc: &mut Scores) {
    let f = found(graph, goal);
    sc.entities.add(0, f.entities.len(), 0);
    sc.classes.add(0, f.classes.len(), 0);
    sc.targets.add(0, f.targets.len(), 0);
    sc.targets_value_unit.add(0, f.targets.len(), 0);
    sc.documents.add(0, f.documents.len(), 0);
    sc.responsible.add(0, f.responsible.len(), 0);
}

fn class_name_matches(gold: &str, node: &Value) -> bool {
    let g = norm(gold);
    names_of(node).iter().any(|n| {
        *n == g
            || LEVEL_PREFIXES
                .iter()
                .any(|p| n.strip_prefix(p).is_some_and(|rest| rest == g))
    })
}

fn subject_matches(gold: &str, candidate: &str, canon: &dyn Fn(&str) -> String) -> bool {
    // 高新技术企业数量, 基金总规模: the count of the noun is the noun
    let head = |x: &str| {
        let x = canon(x);
        ["数量", "总数", "总量", "总规模", "规模"]
            .iter()
            .find_map(|w| x.strip_suffix(w).map(str::to_string))
            .unwrap_or(x)
    };
    let (g, c) = (head(gold), head(candidate));
    if g.is_empty() || c.is_empty() {
        return false;
    }
    let shorter = g.chars().count().min(c.chars().count());
    g == c || (shorter >= 3 && (g.ends_with(&c) || c.ends_with(&g)))
}

fn score_goal(
    graph: &Graph,
    g: &Value,
    goal: Option<&str>,
    canon: &dyn Fn(&str) -> String,
    sc: &mut Scores,
    file: &str,
) {
    let title = s(&g["title"]);
    let list = |k: &str| g[k].as_array().cloned().unwrap_or_default();
    let (ge, gc, gt, gd, gr) = (
        list("entities"),
        list("classes"),
        list("targets"),
        list("documents"),
        list("responsible"),
    );
    let Some(goal) = goal else {
        sc.entities.add(0, 0, ge.len());
        sc.classes.add(0, 0, gc.len());
        sc.targets.add(0, 0, gt.len());
        sc.targets_value_unit.add(0, 0, gt.len());
        sc.documents.add(0, 0, gd.len());
        sc.responsible.add(0, 0, gr.len());
        return;
    };
    let f = found(graph, goal);
    let report = |what: &str, missed: &[usize], items: &[Value], extra: Vec<String>| {
        for &i in missed {
            println!("  {what} missed: {file} [{title}] {}", items[i]);
        }
        for x in extra {
            println!("  {what} extra: {file} [{title}] {x}");
        }
    };

    // named entities: kind and name (canonical or as written)
    let ent_ok = |e: &Value, n: &&Value| {
        let names = names_of(n);
        e["kind"] == n["kind"]
            && (names.contains(&norm(s(&e["name"])))
                || e["written"]
                    .as_str()
                    .is_some_and(|w| names.contains(&norm(w))))
    };
    let (tp, missed) = matched(&ge, &f.entities, ent_ok);
    let extra = f
        .entities
        .iter()
        .filter(|n| !ge.iter().any(|e| ent_ok(e, n)))
        .map(|n| format!("{} {}", s(&n["kind"]), s(&n["name"])))
        .collect();
    report("entity", &missed, &ge, extra);
    sc.entities.add(tp, f.entities.len(), ge.len());

    // classes; a class node that a target of the goal counts is no false positive when
    // the gold names it as that target's subject rather than as a class
    let classes: Vec<&Value> = f
        .classes
        .iter()
        .copied()
        .filter(|n| {
            gc.iter().any(|c| class_name_matches(s(c), n))
                || !gt.iter().any(|t| class_name_matches(s(&t["subject"]), n))
        })
        .collect();
    let (tp, missed) = matched(&gc, &classes, |c, n| class_name_matches(s(c), n));
    let extra = classes
        .iter()
        .filter(|n| !gc.iter().any(|c| class_name_matches(s(c), n)))
        .map(|n| s(&n["name"]).to_string())
        .collect();
    report("class", &missed, &gc, extra);
    sc.classes.add(tp, classes.len(), gc.len());

    // targets: value and unit, then the subject too
    let value_unit = |t: &Value, (n, _): &(&Value, Option<&Value>)| {
        let p = &n["props"];
        let value = p["value"].as_f64();
        value.is_some_and(|v| (v - t["value"].as_f64().unwrap()).abs() < 1e-9)
            && norm(s(&p["unit"])) == norm(s(&t["unit"]))
    };
    let full = |t: &Value, found: &(&Value, Option<&Value>)| {
        let subject = s(&t["subject"]);
        value_unit(t, found)
            && (subject_matches(subject, s(&found.0["props"]["subject"]), canon)
                || found.1.is_some_and(|m| {
                    names_of(m)
                        .iter()
                        .any(|n| subject_matches(subject, n, canon))
                }))
    };
    let (tp_vu, _) = matched(&gt, &f.targets, value_unit);
    sc.targets_value_unit.add(tp_vu, f.targets.len(), gt.len());
    let (tp, missed) = matched(&gt, &f.targets, full);
    let extra = f
        .targets
        .iter()
        .filter(|x| !gt.iter().any(|t| full(t, x)))
        .map(|(n, _)| {
            let p = &n["props"];
            format!(
                "{} (value {}, unit {}, subject {})",
                s(&n["name"]),
                p["value"],
                p["unit"],
                p["subject"]
            )
        })
        .collect();
    report("target", &missed, &gt, extra);
    sc.targets.add(tp, f.targets.len(), gt.len());

    // 《》 documents
    let doc_ok = |d: &Value, n: &&Value| names_of(n).contains(&norm(s(&d["title"])));
    let (tp, missed) = matched(&gd, &f.documents, doc_ok);
    let extra = f
        .documents
        .iter()
        .filter(|n| !gd.iter().any(|d| doc_ok(d, n)))
        .map(|n| s(&n["name"]).to_string())
        .collect();
    report("document", &missed, &gd, extra);
    sc.documents.add(tp, f.documents.len(), gd.len());

    // responsibility: organisation and role
    let resp_ok = |r: &Value, (e, n): &(&Value, &Value)| {
        names_of(n).contains(&norm(s(&r["org"]))) && e["props"]["role"] == r["role"]
    };
    let (tp, missed) = matched(&gr, &f.responsible, resp_ok);
    report("responsible", &missed, &gr, Vec::new());
    sc.responsible.add(tp, f.responsible.len(), gr.len());
}

fn ratio((a, b): (usize, usize)) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

#[test]
fn heldout_d_is_scored_against_its_gold_and_stays_above_its_second_run() {
    let sc = score();
    println!("\nheld-out D ({DIR}), through ingest, store and graph:");
    println!("| measure | found | gold | correct | precision | recall |");
    println!("|---|---|---|---|---|---|");
    for (name, pr) in [
        ("goals (titles)", sc.goals),
        ("named entities", sc.entities),
        ("classes flagged", sc.classes),
        ("targets (value+unit+subject)", sc.targets),
        ("targets (value+unit)", sc.targets_value_unit),
        ("《》 documents", sc.documents),
        ("responsibility (org+role)", sc.responsible),
    ] {
        println!(
            "| {name} | {} | {} | {} | {:.3} | {:.3} |",
            pr.found,
            pr.gold,
            pr.tp,
            pr.precision(),
            pr.recall()
        );
    }
    for (name, (a, b)) in [
        ("aliases resolved to their canonical node", sc.aliases),
        ("look-alike platforms kept apart", sc.distinct),
        ("cross-document traces complete", sc.traces),
        ("goals found in those traces", sc.trace_goals),
    ] {
        println!("| {name} | | {b} | {a} | | {:.3} |", ratio((a, b)));
    }

    // Floors: the figures of the second run (on main after the rules of issue 9, measured
    // once; docs/extraction.md gives both runs), rounded down, so that a regression fails.
    // Class precision fell from the first run's 0.786: classes named without a count are
    // now class nodes, and some of them are not classes of the gold (see the docs).
    let floors: [(&str, f64, f64); 18] = [
        ("goals P", sc.goals.precision(), 1.0),
        ("goals R", sc.goals.recall(), 1.0),
        ("named entities P", sc.entities.precision(), 0.967),
        ("named entities R", sc.entities.recall(), 0.952),
        ("classes P", sc.classes.precision(), 0.590),
        ("classes R", sc.classes.recall(), 0.619),
        ("targets P", sc.targets.precision(), 0.772),
        ("targets R", sc.targets.recall(), 0.772),
        (
            "targets (value+unit) P",
            sc.targets_value_unit.precision(),
            0.954,
        ),
        (
            "targets (value+unit) R",
            sc.targets_value_unit.recall(),
            0.954,
        ),
        ("documents P", sc.documents.precision(), 1.0),
        ("documents R", sc.documents.recall(), 1.0),
        ("responsibility P", sc.responsible.precision(), 1.0),
        ("responsibility R", sc.responsible.recall(), 1.0),
        ("aliases resolved", ratio(sc.aliases), 0.833),
        ("look-alikes kept apart", ratio(sc.distinct), 1.0),
        ("traces complete", ratio(sc.traces), 0.777),
        ("goals in traces", ratio(sc.trace_goals), 0.888),
    ];
    for (what, got, floor) in floors {
        assert!(got >= floor, "{what}: {got:.3} is under its floor {floor}");
    }
}
