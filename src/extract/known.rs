//! Names a document declares for its nodes (short forms, former names), read as those
//! nodes wherever the document writes them alone.

use super::lexicon::Lexicon;
use super::{canonical_name, GoalExtraction};
use crate::model::NodeKind;

/// A name a document gave a node (a short form, a former name): read as that node wherever
/// the document writes it alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownAlias {
    pub alias: String,
    pub kind: NodeKind,
    /// The node's (canonical) name.
    pub name: String,
    pub subtype: Option<&'static str>,
}

impl KnownAlias {
    /// The names in `found` that stand for a named entity and that the rules would not
    /// read as such on their own: short forms and former names (not dictionary names,
    /// which are known anyway, nor names of classes).
    pub fn declared_in(found: &GoalExtraction) -> Vec<KnownAlias> {
        let lex = Lexicon::get();
        let mut out = Vec::new();
        for a in &found.aliases {
            let Some(n) = found.nodes.iter().find(|n| n.id == a.node_id) else {
                continue;
            };
            let named = matches!(
                n.kind,
                NodeKind::Institution
                    | NodeKind::Organization
                    | NodeKind::Place
                    | NodeKind::Program
            ) && !n.props.get("class").is_some_and(|c| c == true);
            if !named
                || a.name == n.name
                || a.name.chars().count() < 2
                || lex.known.contains_key(a.name.as_str())
                || canonical_name(&a.name) != a.name
            {
                continue;
            }
            let subtype = n
                .props
                .get("subtype")
                .and_then(|v| v.as_str())
                .and_then(|s| SUBTYPES.iter().find(|t| **t == s).copied());
            out.push(KnownAlias {
                alias: a.name.clone(),
                kind: n.kind,
                name: n.name.clone(),
                subtype,
            });
        }
        out
    }
}

const SUBTYPES: [&str; 9] = [
    "lab",
    "institute",
    "center",
    "base",
    "park",
    "alliance",
    "fund",
    "incubator",
    "other",
];
