//! The names a node resolves by, asked of the index: which names contain a string, and
//! which come closest to an unknown one. Name resolution asks these instead of reading
//! every name in the store.
//!
//! Each node's document holds, in the `names` field, the 1- to 4-grams of the names the
//! store records for it (a goal's title, an entity's name and aliases; a target has none),
//! folded as [`normalize_name`] folds them. The n-grams narrow the candidates; the names
//! stored with each candidate give the exact answer.

use super::tokenizer::query_ngrams;
use super::TextIndex;
use crate::error::Result;
use crate::model::{normalize_name, NodeKind};
use std::collections::BTreeMap;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

/// Candidates read per round while looking for the closest names.
const CLOSEST_BATCH: usize = 64;

impl TextIndex {
    /// Every `(name, id)` whose name (normalised, as the store keeps it) contains `norm`
    /// (a [`normalize_name`]d string), of `kind` when given, in name then id order.
    pub fn names_containing(
        &self,
        norm: &str,
        kind: Option<NodeKind>,
    ) -> Result<Vec<(String, String)>> {
        let chars: Vec<char> = norm.chars().collect();
        let grams = query_ngrams(&chars);
        let term = |g: &str| Term::from_field_text(self.fields.names, g);
        let mut query: Box<dyn Query> = match grams.as_slice() {
            [] => return Ok(Vec::new()),
            [(_, g)] => Box::new(TermQuery::new(term(g), IndexRecordOption::Basic)),
            _ => Box::new(PhraseQuery::new_with_offset(
                grams.iter().map(|(i, g)| (*i, term(g))).collect(),
            )),
        };
        if let Some(k) = kind {
            let of_kind = TermQuery::new(
                Term::from_field_text(self.fields.kind, k.as_str()),
                IndexRecordOption::Basic,
            );
            query = Box::new(BooleanQuery::intersection(vec![query, Box::new(of_kind)]));
        }
        let searcher = self.reader.searcher();
        let mut found = Vec::new();
        for address in searcher.search(&*query, &DocSetCollector)? {
            let (id, names) = self.names_of(&searcher, address)?;
            for name in names.into_iter().filter(|n| n.contains(norm)) {
                found.push((name, id.clone()));
            }
        }
        found.sort();
        found.dedup();
        Ok(found)
    }

    /// The `n` known names closest to `norm` (a [`normalize_name`]d string): those holding
    /// at least half of its characters, by most shared character pairs (counting double)
    /// and characters, then shortest, then in name order.
    pub fn closest_names(&self, norm: &str, n: usize) -> Result<Vec<String>> {
        let want: Vec<char> = norm.chars().collect();
        if want.is_empty() || n == 0 {
            return Ok(Vec::new());
        }
        let likeness = Likeness::new(&want);
        let searcher = self.reader.searcher();
        let query = likeness.query(self);
        // Each node scores the sum over the characters and pairs any of its names holds:
        // at least what its best name scores, so candidates come best bound first and the
        // search stops once the bound falls below the n-th best name found.
        let mut best: Vec<(usize, usize, String)> = Vec::new();
        let mut offset = 0;
        'rounds: loop {
            let page = TopDocs::with_limit(CLOSEST_BATCH).and_offset(offset);
            let top = searcher.search(&query, &page)?;
            for (bound, address) in &top {
                if best.len() >= n && *bound < best[n - 1].0 as f32 {
                    break 'rounds;
                }
                for name in self.names_of(&searcher, *address)?.1 {
                    if let Some(score) = likeness.score(&name) {
                        best.push((score, name.chars().count(), name));
                    }
                }
                best.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
                best.dedup_by(|a, b| a.2 == b.2);
                best.truncate(n);
            }
            if top.len() < CLOSEST_BATCH {
                break;
            }
            offset += CLOSEST_BATCH;
        }
        Ok(best.into_iter().map(|b| b.2).collect())
    }

    /// A node's id and the names it resolves by, normalised.
    fn names_of(&self, searcher: &Searcher, address: DocAddress) -> Result<(String, Vec<String>)> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let f = &self.fields;
        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("");
        let id = text(f.id).to_string();
        if text(f.kind) == NodeKind::Target.as_str() {
            return Ok((id, Vec::new()));
        }
        let mut names = vec![normalize_name(text(f.name))];
        for alias in doc.get_all(f.alias).filter_map(|v| v.as_str()) {
            names.push(normalize_name(alias));
        }
        Ok((id, names))
    }
}

/// How much a name shares with the string looked for: its characters (each as often as
/// the string has it) and, counting double, its adjacent pairs.
struct Likeness {
    want: Vec<char>,
    /// Distinct characters of the string, with how often it has each.
    chars: BTreeMap<char, usize>,
    pairs: BTreeMap<[char; 2], usize>,
}

impl Likeness {
    fn new(want: &[char]) -> Likeness {
        let mut chars = BTreeMap::new();
        for c in want {
            *chars.entry(*c).or_insert(0) += 1;
        }
        let mut pairs = BTreeMap::new();
        for w in want.windows(2) {
            *pairs.entry([w[0], w[1]]).or_insert(0) += 1;
        }
        Likeness {
            want: want.to_vec(),
            chars,
            pairs,
        }
    }

    /// The score of `name`, `None` when it holds less than half of the characters.
    fn score(&self, name: &str) -> Option<usize> {
        let shared: usize = self
            .chars
            .iter()
            .filter(|(c, _)| name.contains(**c))
            .map(|(_, m)| m)
            .sum();
        if shared * 2 < self.want.len() {
            return None;
        }
        let chars: Vec<char> = name.chars().collect();
        let shared_pairs: usize = self
            .pairs
            .iter()
            .filter(|(p, _)| chars.windows(2).any(|w| w == p.as_slice()))
            .map(|(_, m)| m)
            .sum();
        Some(shared_pairs * 2 + shared)
    }

    /// Nodes with enough distinct characters of the string to reach half of it, scored by
    /// the characters (weight: how often the string has each) and pairs (twice that)
    /// their names hold.
    fn query(&self, index: &TextIndex) -> BooleanQuery {
        let term = |g: String| {
            Box::new(TermQuery::new(
                Term::from_field_text(index.fields.names, &g),
                IndexRecordOption::Basic,
            ))
        };
        let char_clauses: Vec<(Occur, Box<dyn Query>)> = self
            .chars
            .iter()
            .map(|(c, m)| {
                let q: Box<dyn Query> =
                    Box::new(ConstScoreQuery::new(term(c.to_string()), *m as f32));
                (Occur::Should, q)
            })
            .collect();
        // the fewest distinct characters that can make up half of the string
        let mut counts: Vec<usize> = self.chars.values().copied().collect();
        counts.sort_unstable_by(|a, b| b.cmp(a));
        let need = self.want.len().div_ceil(2);
        let mut fewest = 0;
        let mut sum = 0;
        for m in counts {
            if sum >= need {
                break;
            }
            sum += m;
            fewest += 1;
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            Box::new(BooleanQuery::with_minimum_required_clauses(
                char_clauses,
                fewest.max(1),
            )),
        )];
        for (p, m) in &self.pairs {
            let q = ConstScoreQuery::new(term(p.iter().collect()), (2 * m) as f32);
            clauses.push((Occur::Should, Box::new(q)));
        }
        BooleanQuery::new(clauses)
    }
}
