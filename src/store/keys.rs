//! The one place that owns every tree's key format. Nothing outside this file builds or
//! parses raw keys.
//!
//! Ids and names never contain NUL, so `\0` separates key parts and a prefix ending in
//! `\0` scans exactly one node (or one node and label).

use crate::model::EdgeLabel;

pub const SEP: u8 = 0;

/// `edges_out:v1` key: source \0 label \0 target (and `edges_in:v1`: target \0 label \0 source).
pub fn edge(first: &str, label: EdgeLabel, second: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(first.len() + second.len() + 16);
    k.extend_from_slice(first.as_bytes());
    k.push(SEP);
    k.extend_from_slice(label.as_str().as_bytes());
    k.push(SEP);
    k.extend_from_slice(second.as_bytes());
    k
}

/// Prefix of every edge of `node` (optionally only those with `label`).
pub fn edge_prefix(node: &str, label: Option<EdgeLabel>) -> Vec<u8> {
    let mut k = Vec::with_capacity(node.len() + 16);
    k.extend_from_slice(node.as_bytes());
    k.push(SEP);
    if let Some(l) = label {
        k.extend_from_slice(l.as_str().as_bytes());
        k.push(SEP);
    }
    k
}

/// Split an edge key into (first, label, second).
pub fn parse_edge(key: &[u8]) -> Option<(String, EdgeLabel, String)> {
    let mut parts = key.splitn(3, |b| *b == SEP);
    let first = std::str::from_utf8(parts.next()?).ok()?;
    let label = std::str::from_utf8(parts.next()?).ok()?.parse().ok()?;
    let second = std::str::from_utf8(parts.next()?).ok()?;
    Some((first.to_string(), label, second.to_string()))
}

/// Split an edge key into (first, label, second) without copying.
pub fn parse_edge_ref(key: &[u8]) -> Option<(&str, EdgeLabel, &str)> {
    let mut parts = key.splitn(3, |b| *b == SEP);
    let first = std::str::from_utf8(parts.next()?).ok()?;
    let label_bytes = parts.next()?;
    let label = EdgeLabel::ALL
        .into_iter()
        .find(|l| l.as_str().as_bytes() == label_bytes)?;
    let second = std::str::from_utf8(parts.next()?).ok()?;
    Some((first, label, second))
}

/// `names:v1` key: normalised name \0 node id.
pub fn name(normalized: &str, id: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(normalized.len() + id.len() + 1);
    k.extend_from_slice(normalized.as_bytes());
    k.push(SEP);
    k.extend_from_slice(id.as_bytes());
    k
}

pub fn parse_name(key: &[u8]) -> Option<(String, String)> {
    let i = key.iter().position(|b| *b == SEP)?;
    let name = std::str::from_utf8(&key[..i]).ok()?;
    let id = std::str::from_utf8(&key[i + 1..]).ok()?;
    Some((name.to_string(), id.to_string()))
}

/// `refs:v1` keys: how many documents hold an item. One byte tags the item's kind.
pub fn node_ref(id: &str) -> Vec<u8> {
    tagged(b'n', id.as_bytes())
}

pub fn edge_ref(source: &str, label: EdgeLabel, target: &str) -> Vec<u8> {
    tagged(b'e', &edge(source, label, target))
}

pub fn name_ref(normalized: &str, id: &str) -> Vec<u8> {
    tagged(b'a', &name(normalized, id))
}

fn tagged(tag: u8, rest: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(rest.len() + 1);
    k.push(tag);
    k.extend_from_slice(rest);
    k
}

/// `meta` keys.
pub const FORMAT_VERSION: &[u8] = b"format_version";
pub const GENERATION: &[u8] = b"generation";
/// `meta` keys `unlinked:` + document id: a document written whose links to other
/// documents are not computed yet.
pub const UNLINKED_PREFIX: &[u8] = b"unlinked:";

pub fn unlinked(doc: &str) -> Vec<u8> {
    let mut k = UNLINKED_PREFIX.to_vec();
    k.extend_from_slice(doc.as_bytes());
    k
}

pub fn node_count(kind: &str) -> Vec<u8> {
    format!("count:node:{kind}").into_bytes()
}

pub fn edge_count(label: &str) -> Vec<u8> {
    format!("count:edge:{label}").into_bytes()
}

pub const COUNT_NODE_PREFIX: &[u8] = b"count:node:";
pub const COUNT_EDGE_PREFIX: &[u8] = b"count:edge:";

pub fn u64_bytes(v: u64) -> [u8; 8] {
    v.to_be_bytes()
}

pub fn read_u64(v: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    let n = v.len().min(8);
    b[8 - n..].copy_from_slice(&v[v.len() - n..]);
    u64::from_be_bytes(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edge_keys_round_trip_and_prefix_scan_by_node_and_label() {
        let k = edge("goal:1", EdgeLabel::DependsOn, "institution:2");
        assert_eq!(
            parse_edge(&k),
            Some((
                "goal:1".into(),
                EdgeLabel::DependsOn,
                "institution:2".into()
            ))
        );
        assert!(k.starts_with(&edge_prefix("goal:1", None)));
        assert!(k.starts_with(&edge_prefix("goal:1", Some(EdgeLabel::DependsOn))));
        assert!(!k.starts_with(&edge_prefix("goal:1", Some(EdgeLabel::Issues))));
        assert!(!k.starts_with(&edge_prefix("goal:", None)));
    }

    #[test]
    fn name_keys_round_trip() {
        let k = name("中科院", "organization:1");
        assert_eq!(
            parse_name(&k),
            Some(("中科院".into(), "organization:1".into()))
        );
    }
}
