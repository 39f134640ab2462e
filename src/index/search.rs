//! Search: the request, the results, and running a request against the committed index
//! (plain, tiered by whole words first, or a filtered scan).

use super::query::{self, Plan};
use super::{snippet, TextIndex, DEFAULT_LIMIT};
use crate::error::{Error, Result};
use crate::model::NodeKind;
use serde::Serialize;
use std::collections::HashSet;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::Query;
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

/// A search as the CLI and HTTP API ask for it.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    /// Only these kinds (empty: all).
    pub kinds: Vec<NodeKind>,
    /// Only goals of this unit (as written; compared as [`normalize_name`](crate::model::normalize_name) folds names;
    /// blank: no filter).
    pub unit: Option<String>,
    /// Only goals of this year.
    pub year: Option<u16>,
    /// Hits to return: 1 to [`MAX_LIMIT`](super::MAX_LIMIT) ([`crate::limits::SEARCH_LIMIT`]).
    pub limit: usize,
    /// Hits to skip, best first (at most [`MAX_OFFSET`](super::MAX_OFFSET)).
    pub offset: usize,
}

impl Default for SearchRequest {
    /// No query yet, no filter, the first [`DEFAULT_LIMIT`] hits.
    fn default() -> SearchRequest {
        SearchRequest {
            query: String::new(),
            kinds: Vec::new(),
            unit: None,
            year: None,
            limit: DEFAULT_LIMIT,
            offset: 0,
        }
    }
}

/// `{"query", "total", "hits"}`, best first.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub query: String,
    /// Every match, not only the hits returned.
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

impl TextIndex {
    /// Search the committed nodes. Every term of `request.query` must occur in a hit's
    /// text as a substring (whatever jieba made of the text); `total` counts every match.
    ///
    /// Ranking is BM25 (titles are indexed three times over: their boost). Where a term
    /// also matches as whole jieba words, those nodes come first: for a single term as a
    /// tier of their own, ranked by the whole-word score; for several terms (or with
    /// filters) through a ×[`query::WORD_BOOST`] whole-word clause added to the score.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let terms = query::parse(&request.query)?;
        let limit = crate::limits::SEARCH_LIMIT.check(Some(request.limit))?;
        crate::limits::SEARCH_OFFSET.check(Some(request.offset))?;
        let unit = request.unit.as_deref().filter(|u| !u.trim().is_empty());
        let filter = query::filter_query(&self.fields, &request.kinds, unit, request.year);
        let searcher = self.reader.searcher();
        let exists = |term: &Term| searcher.doc_freq(term).map(|n| n > 0).unwrap_or(true);
        let Some(plan) = query::plan(&self.seg, &self.fields, &terms, filter, &exists) else {
            return Ok(SearchResults {
                query: request.query.clone(),
                total: 0,
                hits: Vec::new(),
            });
        };
        let page = TopDocs::with_limit(limit).and_offset(request.offset);
        let (total, top) = match &plan {
            Plan::Term(q) => {
                let total = q.count(&searcher)?;
                let top = if request.offset < total {
                    searcher.search(&**q, &page)?
                } else {
                    Vec::new()
                };
                (total, top)
            }
            Plan::Tiered { words, ngrams } => {
                let total = ngrams.count(&searcher)?;
                let top = if request.offset < total {
                    tiered_top(&searcher, &**words, &**ngrams, limit, request.offset)?
                } else {
                    Vec::new()
                };
                (total, top)
            }
            Plan::Scan(q) => searcher.search(&**q, &(Count, page))?,
        };
        let term_chars: Vec<String> = terms.iter().map(|t| t.chars.iter().collect()).collect();
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            hits.push(self.hit(&doc, score, &term_chars)?);
        }
        Ok(SearchResults {
            query: request.query.clone(),
            total,
            hits,
        })
    }

    fn hit(&self, doc: &TantivyDocument, score: f32, terms: &[String]) -> Result<SearchHit> {
        let f = &self.fields;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let kind_text = text(f.kind).unwrap_or_default();
        let kind: NodeKind = kind_text.parse().map_err(|reason| Error::Corrupt {
            tree: "text index",
            reason,
        })?;
        let name = text(f.name).unwrap_or_default();
        let snippet = if kind == NodeKind::Goal {
            let content = text(f.content).unwrap_or_default();
            let benchmark = text(f.benchmark).unwrap_or_default();
            snippet::best_snippet(
                &[
                    ("title", &name),
                    ("content", &content),
                    ("benchmark", &benchmark),
                ],
                terms,
            )
        } else {
            let aliases: Vec<String> = doc
                .get_all(f.alias)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            let mut candidates: Vec<(&str, &str)> = vec![("name", name.as_str())];
            candidates.extend(aliases.iter().map(|a| ("alias", a.as_str())));
            snippet::best_snippet(&candidates, terms)
        };
        Ok(SearchHit {
            id: text(f.id).unwrap_or_default(),
            kind,
            name,
            score,
            snippet: snippet.text,
            highlights: snippet.highlights,
            field: snippet.field,
            unit: text(f.unit),
            year: doc
                .get_first(f.year)
                .and_then(|v| v.as_u64())
                .and_then(|y| u16::try_from(y).ok()),
            category: text(f.category),
            number: text(f.number),
        })
    }
}

/// The page `[offset, offset + limit)` of a tiered ranking: every match of `words`
/// (best first), then the other matches of `ngrams` (best first). `words` matches a subset
/// of what `ngrams` matches.
fn tiered_top(
    searcher: &Searcher,
    words: &dyn Query,
    ngrams: &dyn Query,
    limit: usize,
    offset: usize,
) -> Result<Vec<(f32, DocAddress)>> {
    let boost = |hits: Vec<(f32, DocAddress)>| -> Vec<(f32, DocAddress)> {
        hits.into_iter()
            .map(|(score, a)| (score * query::WORD_BOOST, a))
            .collect()
    };
    let in_words = words.count(searcher)?;
    if offset + limit <= in_words {
        let page = searcher.search(words, &TopDocs::with_limit(limit).and_offset(offset))?;
        return Ok(boost(page));
    }
    // the page reaches past the whole-word matches: all of them are needed, to leave
    // them out of the rest
    let all_words = if in_words > 0 {
        boost(searcher.search(words, &TopDocs::with_limit(in_words))?)
    } else {
        Vec::new()
    };
    let skip: HashSet<DocAddress> = all_words.iter().map(|(_, a)| *a).collect();
    let rest_offset = offset.saturating_sub(in_words);
    let rest_limit = offset + limit - in_words - rest_offset;
    let rest = searcher
        .search(
            ngrams,
            &TopDocs::with_limit(in_words + rest_offset + rest_limit),
        )?
        .into_iter()
        .filter(|(_, a)| !skip.contains(a))
        .skip(rest_offset)
        .take(rest_limit);
    Ok(all_words.into_iter().skip(offset).chain(rest).collect())
}
