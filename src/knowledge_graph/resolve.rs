//! Name resolution: a name, alias, id or `kind:name` to one node, with suggestions for
//! unknown names and the candidates of ambiguous ones.

use crate::error::{Error, Result};
use crate::model::{self, Node, NodeKind};
use serde_json::Value;

use super::KnowledgeGraph;

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
        let of_kind = |id: &String| kind.is_none_or(|k| id.starts_with(&format!("{k}:")));
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
        let mut containing = Vec::new();
        for r in self.store.names_with_prefix("") {
            let (name, id) = r?;
            if name.contains(&norm) && of_kind(&id) {
                containing.push(id);
            }
        }
        if let Some(n) = self.pick(q, kind, &unique(containing))? {
            return Ok(n);
        }
        Err(Error::NotFound {
            name: name_or_id.trim().to_string(),
            suggestions: self.suggest(&norm)?,
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

    /// Known names closest to `norm`: sharing the most character pairs and characters,
    /// shortest first.
    fn suggest(&self, norm: &str) -> Result<Vec<String>> {
        let want: Vec<char> = norm.chars().collect();
        let pairs: Vec<[char; 2]> = want.windows(2).map(|w| [w[0], w[1]]).collect();
        let mut scored: Vec<(usize, usize, String)> = Vec::new();
        for r in self.store.names_with_prefix("") {
            let (name, _) = r?;
            let shared = want.iter().filter(|c| name.contains(**c)).count();
            if shared * 2 < want.len().max(1) {
                continue;
            }
            let chars: Vec<char> = name.chars().collect();
            let shared_pairs = pairs
                .iter()
                .filter(|p| chars.windows(2).any(|w| w == p.as_slice()))
                .count();
            scored.push((shared_pairs * 2 + shared, chars.len(), name));
        }
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        scored.dedup_by(|a, b| a.2 == b.2);
        Ok(scored.into_iter().take(5).map(|s| s.2).collect())
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
