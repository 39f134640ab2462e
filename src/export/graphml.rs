//! The GraphML export (Gephi, yEd, NetworkX): one directed graph, every node with its
//! `kind`, `name`, `aliases` (a JSON list) and properties, every edge with its `label` and
//! properties, each property a typed key (`long`, `double`, `boolean`, `string`; an edge's
//! `evidence` becomes `evidence_sentence`, `evidence_document`, `evidence_start` …).
//! A first pass over the store finds the keys, a second writes the elements.

use super::props::{flatten, text, ColumnType, Columns};
use super::{io_error, Tick};
use crate::error::Result;
use crate::store::GraphStore;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use std::collections::BTreeMap;
use std::io::Write;

/// The GraphML namespace.
pub const NAMESPACE: &str = "http://graphml.graphdrawing.org/xmlns";

fn graphml_type(t: ColumnType) -> &'static str {
    match t {
        ColumnType::Bool => "boolean",
        ColumnType::Long => "long",
        ColumnType::Double => "double",
        ColumnType::Text | ColumnType::TextList => "string",
    }
}

/// Write the store as GraphML (call under [`GraphStore::without_writes`]).
pub fn write(store: &GraphStore, out: &mut dyn Write, tick: Tick<'_>) -> Result<()> {
    let mut node_cols = Columns::default();
    for n in store.nodes() {
        node_cols.add(&n?.props);
    }
    let mut edge_cols = Columns::default();
    for e in store.edges() {
        edge_cols.add(&e?.props);
    }
    // Key ids: d0, d1 …, node keys first.
    let mut node_keys: BTreeMap<&str, String> = BTreeMap::new();
    let mut edge_keys: BTreeMap<&str, String> = BTreeMap::new();
    let mut w = Writer::new_with_indent(out, b' ', 1);
    let io = io_error;
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .map_err(io)?;
    w.write_event(Event::Start(BytesStart::new("graphml").with_attributes([
        ("xmlns", NAMESPACE),
        ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        (
            "xsi:schemaLocation",
            "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
        ),
    ])))
    .map_err(io)?;
    let fixed_node = [
        ("kind", "string"),
        ("name", "string"),
        ("aliases", "string"),
    ];
    let mut next = 0usize;
    let mut key = |w: &mut Writer<&mut dyn Write>, domain: &str, name: &str, ty: &str| {
        let id = format!("d{next}");
        next += 1;
        w.create_element("key")
            .with_attributes([
                ("id", id.as_str()),
                ("for", domain),
                ("attr.name", name),
                ("attr.type", ty),
            ])
            .write_empty()
            .map(|_| id)
    };
    for (name, ty) in fixed_node {
        let id = key(&mut w, "node", name, ty).map_err(io)?;
        node_keys.insert(name, id);
    }
    for (name, t) in &node_cols.types {
        let id = key(&mut w, "node", name, graphml_type(*t)).map_err(io)?;
        node_keys.insert(name, id);
    }
    let id = key(&mut w, "edge", "label", "string").map_err(io)?;
    edge_keys.insert("label", id);
    for (name, t) in &edge_cols.types {
        let id = key(&mut w, "edge", name, graphml_type(*t)).map_err(io)?;
        edge_keys.insert(name, id);
    }
    w.write_event(Event::Start(
        BytesStart::new("graph")
            .with_attributes([("id", "plangraph"), ("edgedefault", "directed")]),
    ))
    .map_err(io)?;

    let data = |w: &mut Writer<&mut dyn Write>, key: &str, value: &str| {
        w.create_element("data")
            .with_attribute(("key", key))
            .write_text_content(BytesText::new(value))
            .map(|_| ())
    };
    let mut count = 0u64;
    for n in store.nodes() {
        let n = n?;
        let mut aliases = store.aliases_of(&n)?;
        aliases.sort();
        w.write_event(Event::Start(
            BytesStart::new("node").with_attributes([("id", n.id.as_str())]),
        ))
        .map_err(io)?;
        data(&mut w, &node_keys["kind"], n.kind.as_str()).map_err(io)?;
        data(&mut w, &node_keys["name"], &n.name).map_err(io)?;
        data(
            &mut w,
            &node_keys["aliases"],
            &serde_json::to_string(&aliases)?,
        )
        .map_err(io)?;
        for (col, v) in flatten(&n.props) {
            data(&mut w, &node_keys[col.as_str()], &text(v)).map_err(io)?;
        }
        w.write_event(Event::End(BytesEnd::new("node")))
            .map_err(io)?;
        count += 1;
        if count.is_multiple_of(1024) {
            tick(1024);
        }
    }
    tick(count % 1024);
    count = 0;
    for e in store.edges() {
        let e = e?;
        let id = format!("e{count}");
        w.write_event(Event::Start(BytesStart::new("edge").with_attributes([
            ("id", id.as_str()),
            ("source", e.source.as_str()),
            ("target", e.target.as_str()),
        ])))
        .map_err(io)?;
        data(&mut w, &edge_keys["label"], e.label.as_str()).map_err(io)?;
        for (col, v) in flatten(&e.props) {
            data(&mut w, &edge_keys[col.as_str()], &text(v)).map_err(io)?;
        }
        w.write_event(Event::End(BytesEnd::new("edge")))
            .map_err(io)?;
        count += 1;
        if count.is_multiple_of(1024) {
            tick(1024);
        }
    }
    tick(count % 1024);
    w.write_event(Event::End(BytesEnd::new("graph")))
        .map_err(io)?;
    w.write_event(Event::End(BytesEnd::new("graphml")))
        .map_err(io)?;
    let out = w.into_inner();
    out.write_all(b"\n").map_err(io)?;
    out.flush().map_err(io)
}
