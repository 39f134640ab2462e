//! Name resolution: a name, alias, id or `kind:name` to one node, with suggestions for
//! unknown names and the candidates of ambiguous ones.

use crate::error::{Error, Result};
use crate::model::{self, Node, NodeKind};
use serde_json::Value;

use super::KnowledgeGraph;

/// Closest known names an unknown name is answered with.
const SUGGESTIONS: usize = 5;

impl KnowledgeGraph {
    /// Find a node by id, name, alias, then by name prefix or substring. A name may be
    /// qualified by its kind (`place:高新区`) to choose between nodes of the same name.
    /// Unknown names give the closest known names; ambiguous ones list the candidates
    /// with their kinds and ids (either resolves).
    ///
    /// ```no_run
    /// # let kg = plangraph::knowledge_graph::KnowledgeGraph::temporary()?;
    /// match kg.resolve("高新") {
    ///     Ok(node) => println!("{} {}", node.kind, node.id),
    ///     Err(e) => eprintln!("{e}"), // … did you mean: 高新区, …
    /// }
    /// # Ok::<(), plangraph::Error>(())
    /// ```
    pub fn resolve(&self, name_or_id: &str) -> Result<Node> {
        let q = name_or_id.trim();
        if q.is_empty() {
            return Err(Error::InvalidParam {
                param: "name",
                reason: "empty name".into(),
            });
        }
        if let Some(n) = self.store.node(q)? {
            return Ok(n);
        }
        // `kind:name` narrows the search to one kind.
        let (kind, q) = match q.split_once(':') {
            Some((k, rest)) if !rest.trim().is_empty() => match k.parse::<NodeKind>() {
                Ok(kind) => (Some(kind), rest.trim()),
                Err(_) => (None, q),
            },
            _ => (None, q),
        };
        let norm = model::normalize_name(q);
        if norm.is_empty() {
            // Punctuation only: no node has that name.
            return Err(Error::NotFound {
                name: q.to_string(),
                suggestions: Vec::new(),
            });
        }

        let exact = self.store.ids_named(q)?;
        if let Some(n) = self.pick(q, kind, &exact)? {
            return Ok(n);
        }
        let mut prefixed = Vec::new();
        for r in self.store.names_with_prefix(q).take(200) {
            prefixed.push(r?.1);
        }
        if let Some(n) = self.pick(q, kind, &unique(prefixed))? {
            return Ok(n);
        }
        // Names holding it, then the closest names: both asked of the text index's name
        // n-grams, not of every name in the store.
        let index = self.read_index();
        let containing = index.names_containing(&norm, kind)?;
        let containing = unique(containing.into_iter().map(|(_, id)| id).collect());
        if let Some(n) = self.pick(q, kind, &containing)? {
            return Ok(n);
        }
        Err(Error::NotFound {
            name: name_or_id.trim().to_string(),
            suggestions: index.closest_names(&norm, SUGGESTIONS)?,
        })
    }

    /// One candidate (of `kind`, when given): that node. Several: ambiguous, unless exactly
    /// one is an entity (an entity wins over goals of the same title). None: `None`.
    fn pick(&self, q: &str, kind: Option<NodeKind>, ids: &[String]) -> Result<Option<Node>> {
        let mut nodes = Vec::new();
        for id in ids.iter().take(200) {
            if let Some(n) = self.store.node(id)? {
                if kind.is_none_or(|k| n.kind == k) {
                    nodes.push(n);
                }
            }
        }
        match nodes.len() {
            0 => Ok(None),
            1 => Ok(nodes.pop()),
            _ => {
                let entities: Vec<&Node> = nodes.iter().filter(|n| n.kind.is_entity()).collect();
                if entities.len() == 1 {
                    return Ok(Some(entities[0].clone()));
                }
                // Entities first, then by name.
                nodes.sort_by(|a, b| {
                    b.kind
                        .is_entity()
                        .cmp(&a.kind.is_entity())
                        .then_with(|| a.name.chars().count().cmp(&b.name.chars().count()))
                        .then_with(|| a.name.cmp(&b.name))
                });
                Err(Error::Ambiguous {
                    name: q.to_string(),
                    candidates: nodes.iter().take(10).map(describe_candidate).collect(),
                })
            }
        }
    }
}

/// Ids in first-seen order, each once.
fn unique(ids: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    ids.into_iter()
        .filter(|id| seen.insert(id.clone()))
        .collect()
}

/// `name (kind, id)`, with the unit and year for a goal: how an ambiguous name's
/// candidates are listed (the id, or `kind:name`, resolves each).
fn describe_candidate(n: &Node) -> String {
    match n.kind {
        NodeKind::Goal => {
            let unit = n.prop_str("unit").unwrap_or("");
            let year = match n.props.get("year") {
                Some(Value::Number(y)) => y.to_string(),
                Some(Value::String(y)) => y.clone(),
                _ => String::new(),
            };
            format!("{} (goal, {unit} {year}, {})", n.name, n.id)
        }
        k => format!("{} ({k}, {})", n.name, n.id),
    }
}
