//! The RDF export, as Turtle. The vocabulary (`pg:`) is described in docs/rdf.md: a class
//! per node kind (`pg:Goal`, `pg:Institution` ⊑ `pg:Platform`, `pg:Document`, `pg:Target`
//! …), one triple per edge (`goal rel:depends_on institution`), and for each edge an
//! `rdf:Statement` carrying its action and its provenance: `prov:wasDerivedFrom` the
//! `pg:Evidence` sentence, which `prov:wasQuotedFrom` the `pg:SourceDocument` it is in.

use super::props::{flatten, text_items};
use super::{io_error, Tick};
use crate::error::{Error, Result};
use crate::model::{stable_hash, EdgeLabel, NodeKind};
use crate::store::GraphStore;
use oxrdf::vocab::{rdf, rdfs, xsd};
use oxrdf::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use oxttl::TurtleSerializer;
use serde_json::Value;
use std::io::Write;

/// The vocabulary's namespace.
pub const VOCAB: &str = "https://plangraph.invalid/vocab#";
/// The namespace of the relations (one per edge label), apart from the properties.
pub const RELATIONS: &str = "https://plangraph.invalid/relation#";
/// Where nodes, statements, evidence and source documents are named.
pub const BASE: &str = "https://plangraph.invalid/";
const PROV: &str = "http://www.w3.org/ns/prov#";
const DCTERMS: &str = "http://purl.org/dc/terms/";

/// The class of a node kind.
pub fn class_name(kind: NodeKind) -> String {
    super::neo4j::node_label(kind)
}

/// `%XX` for everything but unreserved characters and `:`.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn iri(s: String) -> Result<NamedNode> {
    NamedNode::new(s).map_err(|e| Error::Corrupt {
        tree: "nodes:v1",
        reason: format!("not an IRI: {e}"),
    })
}

fn pg(local: &str) -> Result<NamedNode> {
    iri(format!("{VOCAB}{}", escape(local)))
}

fn relation(label: EdgeLabel) -> Result<NamedNode> {
    iri(format!("{RELATIONS}{}", label.as_str()))
}

fn node_iri(id: &str) -> Result<NamedNode> {
    iri(format!("{BASE}node/{}", escape(id)))
}

fn literal(v: &Value) -> Vec<Literal> {
    match v {
        Value::Bool(b) => vec![Literal::from(*b)],
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => vec![Literal::from(i)],
            (_, Some(u), _) => vec![Literal::from(u)],
            (_, _, Some(f)) => vec![Literal::from(f)],
            _ => vec![Literal::new_simple_literal(n.to_string())],
        },
        Value::String(s) => vec![Literal::new_simple_literal(s)],
        Value::Array(_) => text_items(v)
            .into_iter()
            .map(Literal::new_simple_literal)
            .collect(),
        other => vec![Literal::new_simple_literal(other.to_string())],
    }
}

struct Out<'a> {
    ser: oxttl::turtle::WriterTurtleSerializer<&'a mut dyn Write>,
}

impl Out<'_> {
    fn t(&mut self, s: &NamedNode, p: &NamedNode, o: impl Into<Term>) -> Result<()> {
        let triple = Triple::new(NamedOrBlankNode::from(s.clone()), p.clone(), o.into());
        self.ser.serialize_triple(&triple).map_err(io_error)
    }
}

/// Write the store as Turtle (call under [`GraphStore::without_writes`]).
pub fn write(store: &GraphStore, out: &mut dyn Write, tick: Tick<'_>) -> Result<()> {
    let ser = TurtleSerializer::new()
        .with_prefix("pg", VOCAB)
        .and_then(|s| s.with_prefix("rel", RELATIONS))
        .and_then(|s| s.with_prefix("node", format!("{BASE}node/")))
        .and_then(|s| s.with_prefix("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"))
        .and_then(|s| s.with_prefix("rdfs", "http://www.w3.org/2000/01/rdf-schema#"))
        .and_then(|s| s.with_prefix("prov", PROV))
        .and_then(|s| s.with_prefix("dcterms", DCTERMS))
        .and_then(|s| s.with_prefix("xsd", "http://www.w3.org/2001/XMLSchema#"))
        .expect("static prefixes")
        .for_writer(out);
    let mut o = Out { ser };
    let prov = |local: &str| iri(format!("{PROV}{local}"));
    let (rdf_type, label) = (rdf::TYPE.into_owned(), rdfs::LABEL.into_owned());
    let prov_entity = prov("Entity")?;
    let derived = prov("wasDerivedFrom")?;
    let quoted = prov("wasQuotedFrom")?;

    // The vocabulary itself: classes, with labels.
    let class = rdfs::CLASS.into_owned();
    let sub_class = rdfs::SUB_CLASS_OF.into_owned();
    let platform = pg("Platform")?;
    o.t(&platform, &rdf_type, class.clone())?;
    for kind in NodeKind::ALL {
        let c = pg(&class_name(kind))?;
        o.t(&c, &rdf_type, class.clone())?;
        o.t(&c, &label, Literal::new_simple_literal(kind.as_str()))?;
        if kind == NodeKind::Institution {
            o.t(&c, &sub_class, platform.clone())?;
        }
    }
    for extra in ["Evidence", "SourceDocument"] {
        let c = pg(extra)?;
        o.t(&c, &rdf_type, class.clone())?;
        o.t(&c, &sub_class, prov_entity.clone())?;
    }
    for l in EdgeLabel::ALL {
        let p = relation(l)?;
        o.t(&p, &rdf_type, rdf::PROPERTY.into_owned())?;
        o.t(&p, &label, Literal::new_simple_literal(l.as_str()))?;
    }

    let alias = pg("alias")?;
    let mut count = 0u64;
    for n in store.nodes() {
        let n = n?;
        let s = node_iri(&n.id)?;
        o.t(&s, &rdf_type, pg(&class_name(n.kind))?)?;
        o.t(&s, &label, Literal::new_simple_literal(&n.name))?;
        let mut aliases = store.aliases_of(&n)?;
        aliases.sort();
        for a in aliases {
            o.t(&s, &alias, Literal::new_simple_literal(a))?;
        }
        for (col, v) in flatten(&n.props) {
            let p = pg(&col)?;
            for lit in literal(v) {
                o.t(&s, &p, lit)?;
            }
        }
        count += 1;
        if count.is_multiple_of(1024) {
            tick(1024);
        }
    }
    tick(count % 1024);

    let statement = rdf::STATEMENT.into_owned();
    let (subj, pred, obj) = (
        rdf::SUBJECT.into_owned(),
        rdf::PREDICATE.into_owned(),
        rdf::OBJECT.into_owned(),
    );
    let evidence_class = pg("Evidence")?;
    count = 0;
    for e in store.edges() {
        let e = e?;
        let (s, t, p) = (
            node_iri(&e.source)?,
            node_iri(&e.target)?,
            relation(e.label)?,
        );
        o.t(&s, &p, t.clone())?;
        let key = format!("{}\u{0}{}\u{0}{}", e.source, e.label, e.target);
        let st = iri(format!(
            "{BASE}statement/{:016x}",
            stable_hash(key.as_bytes())
        ))?;
        o.t(&st, &rdf_type, statement.clone())?;
        o.t(&st, &subj, s)?;
        o.t(&st, &pred, p)?;
        o.t(&st, &obj, t)?;
        for (k, v) in &e.props {
            match (k.as_str(), v) {
                ("evidence", Value::Object(ev)) => {
                    let ev_key = serde_json::to_string(ev)?;
                    let ev_iri = iri(format!(
                        "{BASE}evidence/{:016x}",
                        stable_hash(ev_key.as_bytes())
                    ))?;
                    o.t(&st, &derived, ev_iri.clone())?;
                    o.t(&ev_iri, &rdf_type, evidence_class.clone())?;
                    o.t(&ev_iri, &rdf_type, prov_entity.clone())?;
                    for (k2, v2) in ev {
                        match (k2.as_str(), v2) {
                            ("document", Value::String(d)) => {
                                o.t(&ev_iri, &quoted, source_iri(d)?)?;
                            }
                            ("goal", Value::String(g)) => {
                                o.t(&ev_iri, &pg("goal")?, node_iri(g)?)?;
                            }
                            (_, v2) => {
                                let p2 = pg(k2)?;
                                for lit in literal(v2) {
                                    o.t(&ev_iri, &p2, lit)?;
                                }
                            }
                        }
                    }
                }
                (_, Value::Null) => {}
                (k, v) => {
                    let p2 = pg(k)?;
                    for lit in literal(v) {
                        o.t(&st, &p2, lit)?;
                    }
                }
            }
        }
        count += 1;
        if count.is_multiple_of(1024) {
            tick(1024);
        }
    }
    tick(count % 1024);

    let source_class = pg("SourceDocument")?;
    let title = iri(format!("{DCTERMS}title"))?;
    let (unit, year, has_goal) = (pg("unit")?, pg("year")?, pg("hasGoal")?);
    for d in store.documents() {
        let d = d?;
        let s = source_iri(&d.id)?;
        o.t(&s, &rdf_type, source_class.clone())?;
        o.t(&s, &rdf_type, prov_entity.clone())?;
        o.t(&s, &title, Literal::new_simple_literal(&d.title))?;
        o.t(&s, &unit, Literal::new_simple_literal(&d.unit))?;
        o.t(
            &s,
            &year,
            Literal::new_typed_literal(d.year.to_string(), xsd::INTEGER),
        )?;
        o.t(&s, &pg("source")?, Literal::new_simple_literal(&d.source))?;
        for g in &d.goals {
            o.t(&s, &has_goal, node_iri(g)?)?;
        }
        tick(1);
    }
    let out = o.ser.finish().map_err(io_error)?;
    out.flush().map_err(io_error)
}

fn source_iri(doc_id: &str) -> Result<NamedNode> {
    iri(format!("{BASE}source/{}", escape(doc_id)))
}
