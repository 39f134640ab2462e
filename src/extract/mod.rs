//! Knowledge extraction: a goal's text to typed nodes and edges, each edge with the
//! sentence that says so. Segments each text once; the tokens go on to the text index.

pub mod segment;

use crate::model::{Edge, Node};
use std::sync::Arc;

pub use segment::{Segmenter, Token};

/// Bumped whenever extraction output changes, so stored documents are re-extracted on the
/// next ingest even when their bytes did not change.
pub const EXTRACTOR_VERSION: u32 = 1;

/// A name by which a node can also be found (中科院 for 中国科学院).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    pub name: String,
    pub node_id: String,
}

/// Byte ranges of the words of one goal's fields, for the text index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoalTokens {
    pub title: Vec<(usize, usize)>,
    pub content: Vec<(usize, usize)>,
    pub benchmark: Vec<(usize, usize)>,
}

/// What one goal yields: the nodes it mentions (every edge endpoint other than the goal
/// itself is among `nodes`), the edges from it, aliases, and its tokens.
#[derive(Debug, Clone, Default)]
pub struct GoalExtraction {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub aliases: Vec<Alias>,
    pub tokens: GoalTokens,
}

/// Turns goal text into nodes and edges.
pub struct Extractor {
    seg: Arc<Segmenter>,
}

impl Extractor {
    pub fn new(seg: Arc<Segmenter>) -> Extractor {
        Extractor { seg }
    }

    pub fn segmenter(&self) -> &Arc<Segmenter> {
        &self.seg
    }

    /// Extract from one goal node (kind `goal`: `name` is the title, `props.content` and
    /// `props.benchmark` the other fields) of document `document_id`.
    pub fn extract_goal(&self, document_id: &str, goal: &Node) -> GoalExtraction {
        let _ = document_id;
        let field = |k: &str| goal.prop_str(k).unwrap_or("");
        GoalExtraction {
            tokens: GoalTokens {
                title: self.seg.cut(&goal.name),
                content: self.seg.cut(field("content")),
                benchmark: self.seg.cut(field("benchmark")),
            },
            ..GoalExtraction::default()
        }
    }
}
