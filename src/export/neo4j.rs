//! The Neo4j export: a folder of `neo4j-admin database import` CSV files and a Cypher
//! script that creates the same graph.
//!
//! - `nodes_KIND.csv`: `id:ID`, `name:string`, `aliases:string[]`, one typed column a
//!   property (`year:long`, `content:string` …), `:LABEL` (`Node;Goal`).
//! - `relationships_LABEL.FROM-TO.csv`: `:START_ID`, `:END_ID`, typed property columns
//!   (`action:string`, `evidence_sentence:string`, `evidence_start:long` …), `:TYPE`
//!   (`DEPENDS_ON`); one file per label and pair of endpoint kinds, so tools that type
//!   their relationship tables (Kùzu, LadybugDB) load each file into one table.
//! - `import.sh`: the `neo4j-admin database import full` command for these files.
//! - `graph.cypher`: `CREATE` statements for every node and relationship (cypher-shell).
//!
//! List values use `;` between items (neo4j-admin's default array delimiter).

use super::props::{flatten, text, text_items, ColumnType, Columns};
use super::Tick;
use crate::error::{Error, Result};
use crate::model::{EdgeLabel, NodeKind};
use crate::store::GraphStore;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// The Cypher script's file name.
pub const CYPHER_SCRIPT: &str = "graph.cypher";

fn neo4j_type(t: ColumnType) -> &'static str {
    match t {
        ColumnType::Bool => "boolean",
        ColumnType::Long => "long",
        ColumnType::Double => "double",
        ColumnType::Text => "string",
        ColumnType::TextList => "string[]",
    }
}

/// `goal` → `Goal`.
pub fn node_label(kind: NodeKind) -> String {
    let s = kind.as_str();
    s[..1].to_ascii_uppercase() + &s[1..]
}

/// `depends_on` → `DEPENDS_ON`.
pub fn relationship_type(label: EdgeLabel) -> String {
    label.as_str().to_ascii_uppercase()
}

/// The kind of a node from its id (`goal:…`), else from the store.
fn kind_of(store: &GraphStore, id: &str) -> Result<NodeKind> {
    if let Some(k) = id.split_once(':').and_then(|(k, _)| k.parse().ok()) {
        return Ok(k);
    }
    #[derive(serde::Deserialize)]
    struct KindOnly {
        kind: NodeKind,
    }
    store
        .node_part::<KindOnly>(id)?
        .map(|k| k.kind)
        .ok_or_else(|| Error::Corrupt {
            tree: "edges_out:v2",
            reason: format!("edge endpoint {id} is not a node"),
        })
}

type Csv = csv::Writer<std::io::BufWriter<std::fs::File>>;

fn create_csv(dir: &Path, name: &str, header: &[String]) -> Result<Csv> {
    let path = dir.join(name);
    let file = std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 16, file));
    w.write_record(header).map_err(|e| csv_error(&path, e))?;
    Ok(w)
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    Error::io(path, std::io::Error::other(e))
}

/// One CSV cell of a typed column.
fn cell(t: ColumnType, v: Option<&Value>) -> String {
    match (t, v) {
        (_, None) => String::new(),
        (ColumnType::TextList, Some(v)) => text_items(v).join(";"),
        (_, Some(v)) => text(v),
    }
}

/// Write the Neo4j import folder `dir` (created if needed; files of the same names are
/// replaced). Call under [`GraphStore::without_writes`].
pub fn write(store: &GraphStore, dir: &Path, tick: Tick<'_>) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    // Pass 1: the columns of each kind and label, and the endpoint kinds of each label.
    let mut node_cols: BTreeMap<NodeKind, Columns> = BTreeMap::new();
    for n in store.nodes() {
        let n = n?;
        node_cols.entry(n.kind).or_default().add(&n.props);
    }
    let mut edge_cols: BTreeMap<EdgeLabel, Columns> = BTreeMap::new();
    for e in store.edges() {
        let e = e?;
        edge_cols.entry(e.label).or_default().add(&e.props);
    }

    let script_path = dir.join(CYPHER_SCRIPT);
    let script_file =
        std::fs::File::create(&script_path).map_err(|e| Error::io(&script_path, e))?;
    let mut script = std::io::BufWriter::with_capacity(1 << 16, script_file);
    let io = |e| Error::io(&script_path, e);
    writeln!(
        script,
        "// plangraph: every node and relationship. Run with cypher-shell -f {CYPHER_SCRIPT}\n\
         CREATE CONSTRAINT plangraph_node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE;"
    )
    .map_err(io)?;

    // Pass 2: nodes, one file a kind (in id order the kinds interleave: open them all).
    let mut node_files: BTreeMap<NodeKind, (Csv, Vec<(String, ColumnType)>)> = BTreeMap::new();
    let mut files = Vec::new();
    for (kind, cols) in &node_cols {
        let cols: Vec<(String, ColumnType)> =
            cols.types.iter().map(|(k, t)| (k.clone(), *t)).collect();
        let mut header = vec![
            "id:ID".to_string(),
            "name:string".to_string(),
            "aliases:string[]".to_string(),
        ];
        header.extend(cols.iter().map(|(k, t)| format!("{k}:{}", neo4j_type(*t))));
        header.push(":LABEL".into());
        let name = format!("nodes_{kind}.csv");
        node_files.insert(*kind, (create_csv(dir, &name, &header)?, cols));
        files.push(("nodes", name));
    }
    let mut count = 0u64;
    for n in store.nodes() {
        let n = n?;
        let mut aliases = store.aliases_of(&n)?;
        aliases.sort();
        let flat: BTreeMap<String, &Value> = flatten(&n.props).into_iter().collect();
        let (w, cols) = node_files.get_mut(&n.kind).expect("kinds of pass 1");
        let label = node_label(n.kind);
        let mut row = vec![n.id.clone(), n.name.clone(), aliases.join(";")];
        row.extend(cols.iter().map(|(k, t)| cell(*t, flat.get(k).copied())));
        row.push(format!("Node;{label}"));
        w.write_record(&row)
            .map_err(|e| csv_error(&dir.join(format!("nodes_{}.csv", n.kind)), e))?;

        let mut map = vec![
            ("id".to_string(), cypher_string(&n.id)),
            ("name".to_string(), cypher_string(&n.name)),
            ("aliases".to_string(), cypher_list(&aliases)),
        ];
        map.extend(flat.iter().map(|(k, v)| (k.clone(), cypher_value(v))));
        writeln!(script, "CREATE (:Node:{label} {});", cypher_map(&map)).map_err(io)?;
        count += 1;
        if count.is_multiple_of(1024) {
            tick(1024);
        }
    }
    tick(count % 1024);
    for (_, (mut w, _)) in node_files {
        w.flush().map_err(|e| Error::io(dir, e))?;
    }

    // Relationships, one file per label and endpoint kinds, opened as they first appear.
    let mut rel_files: BTreeMap<(EdgeLabel, NodeKind, NodeKind), Csv> = BTreeMap::new();
    let label_cols: BTreeMap<EdgeLabel, Vec<(String, ColumnType)>> = edge_cols
        .iter()
        .map(|(l, c)| (*l, c.types.iter().map(|(k, t)| (k.clone(), *t)).collect()))
        .collect();
    count = 0;
    for e in store.edges() {
        let e = e?;
        let from = kind_of(store, &e.source)?;
        let to = kind_of(store, &e.target)?;
        let cols = &label_cols[&e.label];
        let name = format!("relationships_{}.{from}-{to}.csv", e.label);
        let w = match rel_files.entry((e.label, from, to)) {
            std::collections::btree_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::btree_map::Entry::Vacant(v) => {
                let mut header = vec![":START_ID".to_string(), ":END_ID".to_string()];
                header.extend(cols.iter().map(|(k, t)| format!("{k}:{}", neo4j_type(*t))));
                header.push(":TYPE".into());
                files.push(("relationships", name.clone()));
                v.insert(create_csv(dir, &name, &header)?)
            }
        };
        let flat: BTreeMap<String, &Value> = flatten(&e.props).into_iter().collect();
        let rel = relationship_type(e.label);
        let mut row = vec![e.source.clone(), e.target.clone()];
        row.extend(cols.iter().map(|(k, t)| cell(*t, flat.get(k).copied())));
        row.push(rel.clone());
        w.write_record(&row)
            .map_err(|err| csv_error(&dir.join(&name), err))?;

        let map: Vec<(String, String)> = flat
            .iter()
            .map(|(k, v)| (k.clone(), cypher_value(v)))
            .collect();
        writeln!(
            script,
            "MATCH (a:Node {{id: {}}}), (b:Node {{id: {}}}) CREATE (a)-[:{rel} {}]->(b);",
            cypher_string(&e.source),
            cypher_string(&e.target),
            cypher_map(&map)
        )
        .map_err(io)?;
        count += 1;
        if count.is_multiple_of(1024) {
            tick(1024);
        }
    }
    tick(count % 1024);
    for (_, mut w) in rel_files {
        w.flush().map_err(|e| Error::io(dir, e))?;
    }
    script.flush().map_err(io)?;

    let mut cmd = String::from(
        "#!/bin/sh\n# Load these files into a new Neo4j database (run in this folder).\n\
         neo4j-admin database import full --overwrite-destination \\\n",
    );
    for (what, name) in &files {
        cmd.push_str(&format!("  --{what}={name} \\\n"));
    }
    cmd.push_str("  \"${1:-neo4j}\"\n");
    let sh = dir.join("import.sh");
    std::fs::write(&sh, cmd).map_err(|e| Error::io(&sh, e))?;
    Ok(())
}

/// A Cypher string literal (JSON string escapes are Cypher's).
fn cypher_string(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

fn cypher_list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| cypher_string(s)).collect();
    format!("[{}]", inner.join(", "))
}

fn cypher_value(v: &Value) -> String {
    match v {
        Value::String(s) => cypher_string(s),
        Value::Number(_) | Value::Bool(_) => v.to_string(),
        Value::Array(_) => cypher_list(&text_items(v)),
        other => cypher_string(&other.to_string()),
    }
}

fn cypher_map(entries: &[(String, String)]) -> String {
    let inner: Vec<String> = entries
        .iter()
        .map(|(k, v)| format!("`{}`: {v}", k.replace('`', "``")))
        .collect();
    format!("{{{}}}", inner.join(", "))
}
