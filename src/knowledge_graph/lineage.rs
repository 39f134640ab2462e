//! Policy-document lineage: `revises` edges from a document to the version it replaces.
//!
//! - a plan's next 版: `…4.0版` revises `…3.0版` (the highest lower version of the same
//!   title that another document's goals name);
//! - the same title revised (`修订《X》`) or issued again in a later year than an earlier
//!   year's document issued it: the node revises itself, with `from_year` and `year`.
//!
//! The edge belongs to the document whose goal names the newer version (its batch carries
//! the older node too), and is derived from the other documents in the store: so after
//! each write the documents whose lineage that write changed are read again, and the
//! edges stay right in either ingest order, on replacement and on removal.

use crate::error::Result;
use crate::index::TextIndex;
use crate::model::{normalize_name, Edge, EdgeLabel, Goal, Node, NodeKind};
use crate::store::{DocumentBatch, DocumentChange, RevisesWrite, WriteStatus};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use super::{DocumentUse, KnowledgeGraph};

/// Labels by which a goal names a document.
const LINKS: [EdgeLabel; 3] = [EdgeLabel::Issues, EdgeLabel::Mentions, EdgeLabel::DependsOn];

/// A versioned title's base and version: `科技引领城建设攻势作战方案4.0版` →
/// (`科技引领城建设攻势作战方案`, 4.0).
pub(crate) fn version_of(name: &str) -> Option<(String, f64)> {
    let norm = normalize_name(name);
    let head = norm.strip_suffix('版')?;
    let digits: String = head
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    if digits.is_empty() {
        return None;
    }
    let digits: String = digits.chars().rev().collect();
    let version = digits.trim_matches('.').parse::<f64>().ok()?;
    let base = head[..head.len() - digits.len()].to_string();
    (base.chars().count() >= 2).then_some((base, version))
}

/// The goals naming each document node, read once per write.
#[derive(Default)]
struct Seen {
    links: RefCell<HashMap<String, Rc<Vec<Link>>>>,
    /// A versioned title's base → the document nodes named with it as prefix.
    versions: RefCell<HashMap<String, Rc<Vec<Node>>>>,
}

/// One goal's link to a document: (goal's document, goal's year, label, the edge).
struct Link {
    document: Option<String>,
    year: Option<u16>,
    edge: Edge,
}

impl KnowledgeGraph {
    /// The goals (of any stored document) naming document node `id`.
    fn links_to(&self, id: &str) -> Result<Vec<Link>> {
        let mut out = Vec::new();
        for label in LINKS {
            for edge in self.store.edges_in(id, Some(label))? {
                let Some(goal) = self
                    .store
                    .node(&edge.source)?
                    .as_ref()
                    .and_then(Goal::from_node)
                else {
                    continue;
                };
                out.push(Link {
                    document: goal.document,
                    year: goal.year,
                    edge,
                });
            }
        }
        Ok(out)
    }

    /// [`Self::links_to`], each node read once per `seen`.
    fn links_seen(&self, seen: &Seen, id: &str) -> Result<Rc<Vec<Link>>> {
        if let Some(l) = seen.links.borrow().get(id) {
            return Ok(l.clone());
        }
        let l = Rc::new(self.links_to(id)?);
        seen.links.borrow_mut().insert(id.to_string(), l.clone());
        Ok(l)
    }

    /// The document nodes whose names start with `base`, read once per `seen`.
    fn versions_seen(&self, seen: &Seen, base: &str) -> Result<Rc<Vec<Node>>> {
        if let Some(v) = seen.versions.borrow().get(base) {
            return Ok(v.clone());
        }
        let mut nodes = Vec::new();
        for r in self.store.names_with_prefix(base).take(200) {
            let (_, id) = r?;
            if !id.starts_with("document:") || nodes.iter().any(|n: &Node| n.id == id) {
                continue;
            }
            if let Some(n) = self.store.node(&id)? {
                if n.kind == NodeKind::Document {
                    nodes.push(n);
                }
            }
        }
        let v = Rc::new(nodes);
        seen.versions
            .borrow_mut()
            .insert(base.to_string(), v.clone());
        Ok(v)
    }

    /// The `revises` edges document `doc` (of `year`) holds, given its document nodes and
    /// its goals' links to them, and the nodes of older versions they point at.
    fn lineage_of(
        &self,
        seen: &Seen,
        doc: &str,
        year: u16,
        own: &[(Node, Vec<Edge>)],
    ) -> Result<(Vec<Edge>, Vec<Node>)> {
        let mut edges = Vec::new();
        let mut extra = Vec::new();
        for (node, links) in own {
            let Some(first) = links.first() else { continue };
            // Named by a goal of another document (not this one's older copy).
            let elsewhere = |l: &Link| l.document.as_deref() != Some(doc);
            // the next 版
            if let Some((base, version)) = version_of(&node.name) {
                let mut best: Option<(f64, Node)> = None;
                for other in self.versions_seen(seen, &base)?.iter() {
                    if other.id == node.id {
                        continue;
                    }
                    let Some((b, v)) = version_of(&other.name) else {
                        continue;
                    };
                    if b != base || v >= version || best.as_ref().is_some_and(|(bv, _)| *bv >= v) {
                        continue;
                    }
                    if self.links_seen(seen, &other.id)?.iter().any(elsewhere) {
                        best = Some((v, other.clone()));
                    }
                }
                if let Some((_, older)) = best {
                    let mut e = Edge::new(&node.id, EdgeLabel::Revises, &older.id);
                    e.props.insert("reason".into(), json!("version"));
                    e.props.insert("year".into(), json!(year));
                    if let Some(ev) = first.props.get("evidence") {
                        e.props.insert("evidence".into(), ev.clone());
                    }
                    edges.push(e);
                    extra.push(older);
                    continue;
                }
            }
            // revised or issued again in a later year
            let Some(issue) = links.iter().find(|e| e.label == EdgeLabel::Issues) else {
                continue;
            };
            let earlier = self
                .links_seen(seen, &node.id)?
                .iter()
                .filter(|l| elsewhere(l) && l.edge.label == EdgeLabel::Issues)
                .filter_map(|l| l.year)
                .filter(|y| *y < year)
                .max();
            if let Some(from) = earlier {
                let action = issue.props.get("action").and_then(Value::as_str);
                let reason = if action == Some("修订") {
                    "revised"
                } else {
                    "reissued"
                };
                let mut e = Edge::new(&node.id, EdgeLabel::Revises, &node.id);
                e.props.insert("reason".into(), json!(reason));
                e.props.insert("from_year".into(), json!(from));
                e.props.insert("year".into(), json!(year));
                if let Some(a) = action {
                    e.props.insert("action".into(), json!(a));
                }
                if let Some(ev) = issue.props.get("evidence") {
                    e.props.insert("evidence".into(), ev.clone());
                }
                edges.push(e);
            }
        }
        Ok((edges, extra))
    }

    /// Add to `batch` (about to be written) its `revises` edges and the older versions'
    /// nodes they point at.
    pub(super) fn add_lineage(&self, batch: &mut DocumentBatch) -> Result<()> {
        batch.edges.retain(|e| e.label != EdgeLabel::Revises);
        // the older versions a batch read back from the store carried for its old edges
        let ends: BTreeSet<&str> = batch
            .edges
            .iter()
            .flat_map(|e| [e.source.as_str(), e.target.as_str()])
            .collect();
        let carried: BTreeSet<String> = batch
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Document && !ends.contains(n.id.as_str()))
            .map(|n| n.id.clone())
            .collect();
        batch.nodes.retain(|n| !carried.contains(&n.id));
        let mut links: BTreeMap<&str, Vec<Edge>> = BTreeMap::new();
        let docs: BTreeSet<&str> = batch
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Document)
            .map(|n| n.id.as_str())
            .collect();
        for e in &batch.edges {
            if LINKS.contains(&e.label) && docs.contains(e.target.as_str()) {
                links.entry(e.target.as_str()).or_default().push(e.clone());
            }
        }
        let own: Vec<(Node, Vec<Edge>)> = batch
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Document)
            .map(|n| (n.clone(), links.remove(n.id.as_str()).unwrap_or_default()))
            .collect();
        let seen = Seen::default();
        let (edges, extra) = self.lineage_of(&seen, &batch.record.id, batch.record.year, &own)?;
        let have: BTreeSet<String> = batch.nodes.iter().map(|n| n.id.clone()).collect();
        for n in extra {
            if !have.contains(&n.id) && !batch.nodes.iter().any(|m| m.id == n.id) {
                batch.nodes.push(n);
            }
        }
        batch.edges.extend(edges);
        Ok(())
    }

    /// Whether the `revises` edges from the document nodes `ids` that stored document
    /// `doc` (of `year`) names should be other than the store's.
    fn lineage_drift(
        &self,
        seen: &Seen,
        doc: &str,
        year: u16,
        ids: &BTreeSet<String>,
    ) -> Result<bool> {
        let mut own = Vec::new();
        for id in ids {
            let Some(node) = self.store.node(id)? else {
                continue;
            };
            let links: Vec<Edge> = self
                .links_seen(seen, id)?
                .iter()
                .filter(|l| l.document.as_deref() == Some(doc))
                .map(|l| l.edge.clone())
                .collect();
            own.push((node, links));
        }
        // Compared by ends and reason: an edge several documents hold carries the
        // evidence of the last one written.
        let key = |e: &Edge| {
            (
                e.source.clone(),
                e.target.clone(),
                e.props
                    .get("reason")
                    .cloned()
                    .unwrap_or(Value::Null)
                    .to_string(),
            )
        };
        let (want, _) = self.lineage_of(seen, doc, year, &own)?;
        let want: BTreeSet<_> = want.iter().map(key).collect();
        // the edges this document holds (not those other documents hold)
        let Some(record) = self.store.document(doc)? else {
            return Ok(false);
        };
        let mut have = BTreeSet::new();
        for (s, label, t) in &record.edges {
            if *label == EdgeLabel::Revises && ids.contains(s) {
                if let Some(e) = self.store.edge(s, *label, t)? {
                    have.insert(key(&e));
                }
            }
        }
        Ok(want != have)
    }

    /// The document nodes `batch` (just written, with its `change`) names or its old
    /// version named: the titles whose lineage the write may have moved.
    pub(super) fn lineage_titles(batch: &DocumentBatch, change: &DocumentChange) -> Vec<String> {
        let mut titles: Vec<String> = batch
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Document)
            .map(|n| n.id.clone())
            .collect();
        for id in change.old.iter().flat_map(|o| &o.nodes) {
            if id.starts_with("document:") {
                titles.push(id.clone());
            }
        }
        titles
    }

    /// Write the `revises` edges of stored document `doc` again, from the store as it is
    /// now, bringing the view (and, when the whole document has to be written again,
    /// `index`) along; the index is not committed. Returns the document's unit and year
    /// when its links to other years are to be computed again (it was written whole).
    pub(super) fn relineage(
        &self,
        doc: &str,
        index: &mut TextIndex,
    ) -> Result<Option<(String, u16)>> {
        let Some(record) = self.store.document(doc)? else {
            return Ok(None);
        };
        // its goals' links to the document nodes they name
        let mut links: BTreeMap<&str, Vec<Edge>> = BTreeMap::new();
        for (s, l, t) in &record.edges {
            if LINKS.contains(l) && t.starts_with("document:") {
                if let Some(e) = self.store.edge(s, *l, t)? {
                    links.entry(t.as_str()).or_default().push(e);
                }
            }
        }
        let mut own = Vec::with_capacity(links.len());
        for (id, edges) in links {
            if let Some(n) = self.store.node(id)? {
                if n.kind == NodeKind::Document {
                    own.push((n, edges));
                }
            }
        }
        let (edges, _) = self.lineage_of(&Seen::default(), doc, record.year, &own)?;
        {
            let mut graph = self.write_graph();
            match self.store.set_revises(doc, &edges)? {
                RevisesWrite::Unchanged => return Ok(None),
                RevisesWrite::Written(change) => {
                    super::facade::follow_write(&mut graph, &self.store, &change);
                    return Ok(None);
                }
                RevisesWrite::Rewrite => {}
            }
        }
        // an older version only this document held is let go: written whole
        let prior = self.store.prior(doc)?;
        let mut batch = self.store.stored_batch(&record, &[])?;
        self.add_lineage(&mut batch)?;
        let change = self.write_batch(prior, &batch)?;
        if change.status == WriteStatus::Unchanged {
            return Ok(None);
        }
        self.apply_to_index(index, &change, &batch, &[])?;
        Ok(Some((record.unit, record.year)))
    }

    /// The stored documents whose `revises` edges are no longer what the store gives,
    /// among those naming one of `titles` or one of the same titles' other versions: to
    /// be read again after a batch of writes. Each title's links are read once.
    pub(super) fn lineage_drifted(&self, titles: &BTreeSet<String>) -> Result<BTreeSet<String>> {
        // the same titles' other versions
        let seen = Seen::default();
        let mut family = titles.clone();
        for id in titles {
            let Some(node) = self.store.node(id)? else {
                continue;
            };
            if let Some((base, _)) = version_of(&node.name) {
                for other in self.versions_seen(&seen, &base)?.iter() {
                    family.insert(other.id.clone());
                }
            }
        }
        // the documents naming them: their year and which of them they name
        let mut docs: BTreeMap<String, (u16, BTreeSet<String>)> = BTreeMap::new();
        for id in &family {
            for l in self.links_seen(&seen, id)?.iter() {
                let (Some(d), Some(y)) = (l.document.clone(), l.year) else {
                    continue;
                };
                docs.entry(d)
                    .or_insert((y, BTreeSet::new()))
                    .1
                    .insert(id.clone());
            }
        }
        let mut drifted = BTreeSet::new();
        for (d, (year, ids)) in docs {
            if self.lineage_drift(&seen, &d, year, &ids)? {
                drifted.insert(d);
            }
        }
        Ok(drifted)
    }
}

impl KnowledgeGraph {
    /// For a document node: the goals that issue, revise or implement it, oldest year
    /// first, then the versions it replaces and is replaced by. Empty for other nodes.
    pub(super) fn document_lineage(&self, node: &Node) -> Result<Vec<DocumentUse>> {
        if node.kind != NodeKind::Document {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for l in self.links_to(&node.id)? {
            let action = l.edge.props.get("action").and_then(Value::as_str);
            let role = match (l.edge.label, action) {
                (EdgeLabel::Issues, Some("修订")) => "revises",
                (EdgeLabel::Issues, _) => "issues",
                (_, Some("落实" | "贯彻" | "贯彻落实" | "实施" | "执行")) => {
                    "implements"
                }
                _ => "mentions",
            };
            let goal = self.store.node(&l.edge.source)?;
            let unit = goal
                .as_ref()
                .and_then(|g| g.prop_str("unit"))
                .unwrap_or_default()
                .to_string();
            out.push(DocumentUse {
                year: l.year,
                role: role.to_string(),
                action: action.map(str::to_string),
                unit,
                id: l.edge.source.clone(),
                name: goal.map(|g| g.name).unwrap_or_default(),
            });
        }
        out.sort_by(|a, b| {
            (a.year.unwrap_or(u16::MAX), &a.unit, &a.name).cmp(&(
                b.year.unwrap_or(u16::MAX),
                &b.unit,
                &b.name,
            ))
        });
        let reason = |e: &Edge| {
            e.props
                .get("reason")
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let year = |e: &Edge| {
            e.props
                .get("year")
                .and_then(Value::as_u64)
                .map(|y| y as u16)
        };
        for (e, role, other) in self
            .store
            .edges_out(&node.id, Some(EdgeLabel::Revises))?
            .into_iter()
            .map(|e| {
                let t = e.target.clone();
                (e, "replaces", t)
            })
            .chain(
                self.store
                    .edges_in(&node.id, Some(EdgeLabel::Revises))?
                    .into_iter()
                    .filter(|e| e.source != e.target)
                    .map(|e| {
                        let s = e.source.clone();
                        (e, "replaced_by", s)
                    }),
            )
        {
            let mut name = self.store.node(&other)?.map(|n| n.name).unwrap_or_default();
            if other == node.id {
                // revised or issued again: the earlier year's version
                if let Some(from) = e.props.get("from_year").and_then(Value::as_u64) {
                    name = format!("{name} ({from})");
                }
            }
            out.push(DocumentUse {
                year: year(&e),
                role: role.to_string(),
                action: reason(&e),
                unit: String::new(),
                id: other,
                name,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::version_of;

    #[test]
    fn versions_are_read_from_the_title() {
        assert_eq!(
            version_of("科技引领城建设攻势作战方案4.0版"),
            Some(("科技引领城建设攻势作战方案".to_string(), 4.0))
        );
        assert_eq!(version_of("某某方案（2.5版）"), None);
        assert_eq!(version_of("某某方案"), None);
        assert_eq!(version_of("3.0版"), None);
    }
}
