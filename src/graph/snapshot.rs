//! The view's snapshot file (`DATA/graph.view`): ids and kinds (and each goal's unit, year,
//! category and number, its sort key), then edges as pairs of positions, stamped with the
//! store generation and closed by a checksum.

use crate::error::{Error, Result};
use crate::model::{EdgeLabel, GoalPlace, NodeKind};
use crate::store::GraphStore;
use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use super::view::{GraphView, IdMap};

impl GraphView {
    /// Write the view to `path` (through a temporary file and a rename, so a reader sees
    /// the old snapshot or the new one): ids and kinds, then edges as pairs of positions,
    /// stamped with the store generation and closed by a checksum.
    pub fn save(&self, path: &Path) -> Result<()> {
        let mut pos: HashMap<NodeIndex, u32> = HashMap::with_capacity(self.graph.node_count());
        let mut buf =
            Vec::with_capacity(self.graph.node_count() * 40 + self.graph.edge_count() * 9);
        buf.extend_from_slice(SNAPSHOT_MAGIC);
        buf.extend_from_slice(&self.generation.to_le_bytes());
        buf.extend_from_slice(&(self.graph.node_count() as u64).to_le_bytes());
        buf.extend_from_slice(&(self.graph.edge_count() as u64).to_le_bytes());
        for (i, n) in self.graph.node_indices().enumerate() {
            pos.insert(n, i as u32);
            let node = &self.graph[n];
            buf.push(kind_code(node.kind));
            put_str(&mut buf, &node.id);
            if node.kind == NodeKind::Goal {
                match &node.goal {
                    None => buf.push(0),
                    Some(key) => {
                        buf.push(1);
                        put_str(&mut buf, &key.unit);
                        buf.extend_from_slice(&key.year.to_le_bytes());
                        put_str(&mut buf, &key.category);
                        put_str(&mut buf, &key.number_text);
                    }
                }
            }
        }
        for e in self.graph.edge_indices() {
            let (a, b) = self.graph.edge_endpoints(e).expect("edge of this graph");
            buf.extend_from_slice(&pos[&a].to_le_bytes());
            buf.extend_from_slice(&pos[&b].to_le_bytes());
            buf.push(label_code(self.graph[e]));
        }
        let sum = xxhash_rust::xxh3::xxh3_64(&buf);
        buf.extend_from_slice(&sum.to_le_bytes());
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, &buf).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
    }

    /// Read a snapshot written by [`GraphView::save`], if it is whole and was taken at the
    /// store's current generation with the store's node and edge counts; `None` otherwise
    /// (the caller then builds the view from the store).
    pub fn load(path: &Path, store: &GraphStore) -> Option<GraphView> {
        let buf = std::fs::read(path).ok()?;
        let (body, sum) = buf.split_at_checked(buf.len().checked_sub(8)?)?;
        if xxhash_rust::xxh3::xxh3_64(body) != u64::from_le_bytes(sum.try_into().ok()?) {
            return None;
        }
        let mut r = Reader(body.strip_prefix(SNAPSHOT_MAGIC)?);
        let generation = r.u64()?;
        let (nodes, edges) = (r.u64()? as usize, r.u64()? as usize);
        let stats = store.stats().ok()?;
        if generation != store.generation().ok()?
            || nodes as u64 != stats.nodes.values().sum::<u64>()
            || edges as u64 != stats.edges.values().sum::<u64>()
        {
            return None;
        }
        let mut view = GraphView {
            graph: StableDiGraph::with_capacity(nodes, edges),
            ids: IdMap::with_capacity_and_hasher(nodes, Default::default()),
            interned: Default::default(),
            generation,
            ranking: OnceLock::new(),
            classes: OnceLock::new(),
            classes_carried: None,
        };
        let mut order = Vec::with_capacity(nodes);
        for _ in 0..nodes {
            let kind = *NodeKind::ALL.get(r.u8()? as usize)?;
            let id = r.str()?;
            let ix = view.ensure_node(id, kind);
            if kind == NodeKind::Goal && r.u8()? == 1 {
                let unit = r.str()?;
                let year = r.u16()?;
                let category = r.str()?;
                let number = r.str()?;
                let place = GoalPlace {
                    unit: unit.to_string(),
                    year: (year != u16::MAX).then_some(year),
                    category: category.to_string(),
                    number: number.to_string(),
                };
                view.set_goal_key(ix, &place);
            }
            order.push(ix);
        }
        for _ in 0..edges {
            let a = *order.get(r.u32()? as usize)?;
            let b = *order.get(r.u32()? as usize)?;
            let label = *EdgeLabel::ALL.get(r.u8()? as usize)?;
            view.graph.add_edge(a, b, label);
        }
        r.0.is_empty().then_some(view)
    }
}

/// Marks a view snapshot file, with its format version (v2: goals carry their sort key; a
/// v1 file is not read, the view is built again).
const SNAPSHOT_MAGIC: &[u8] = b"plangraph graph view v2\n";

fn put_str(buf: &mut Vec<u8>, s: &str) {
    buf.extend_from_slice(&(s.len() as u32).to_le_bytes());
    buf.extend_from_slice(s.as_bytes());
}

fn kind_code(kind: NodeKind) -> u8 {
    NodeKind::ALL
        .iter()
        .position(|k| *k == kind)
        .expect("every kind is listed") as u8
}

fn label_code(label: EdgeLabel) -> u8 {
    EdgeLabel::ALL
        .iter()
        .position(|l| *l == label)
        .expect("every label is listed") as u8
}

/// Reads a snapshot's fields in order.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }
    fn str(&mut self) -> Option<&'a str> {
        let len = self.u32()? as usize;
        std::str::from_utf8(self.take(len)?).ok()
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}
