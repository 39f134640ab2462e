//! User query text to tantivy queries, built programmatically: no user character ever
//! reaches a query parser, so none is syntax.
//!
//! The text splits on whitespace into terms; `"…"` groups a phrase (whitespace inside is
//! ignored, as the n-gram analysis ignores it). Every term is required. A term matches a
//! node whose text contains it as a substring (the n-gram clause, which also counts the
//! hits); it scores more where jieba words match too (the whole-word clause). Titles are
//! indexed three times over, which is their boost.

use super::schema::Fields;
use super::tokenizer::{fold_text, query_ngrams, shingle, word_term};
use crate::error::{Error, Result};
use crate::extract::Segmenter;
use crate::model::{normalize_name, NodeKind};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

/// Longest query accepted, in characters.
pub use crate::limits::MAX_QUERY_CHARS;

/// Boost of whole-word clauses over n-gram clauses. BM25's term-frequency part stays
/// within about 0.45–2.2 for a field up to 4× the average length, and a word is never
/// more common than the same characters as a substring, so ×30 keeps whole-word matches
/// above n-gram-only ones where scores add up (several terms, filters); a single term
/// ranks in tiers ([`Plan::Tiered`]).
pub const WORD_BOOST: f32 = 30.0;

/// One required term of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    /// As the user wrote it (a phrase without its quotes).
    pub raw: String,
    /// Folded characters, whitespace removed: what is searched for.
    pub chars: Vec<char>,
}

/// Split query text into terms. Empty or whitespace-only text is an error; anything else
/// gives at least one term (text that is only quotes is searched for literally).
pub fn parse(query: &str) -> Result<Vec<QueryTerm>> {
    if query.trim().is_empty() {
        return Err(Error::InvalidParam {
            param: "q",
            reason: "the query is empty".into(),
        });
    }
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::InvalidParam {
            param: "q",
            reason: format!("the query is longer than {MAX_QUERY_CHARS} characters"),
        });
    }
    let mut terms: Vec<QueryTerm> = Vec::new();
    let mut rest = query;
    while !rest.is_empty() {
        match rest.find('"') {
            Some(q) => {
                for w in rest[..q].split_whitespace() {
                    push_term(&mut terms, w);
                }
                let after = &rest[q + 1..];
                let end = after.find('"').unwrap_or(after.len());
                push_term(&mut terms, &after[..end]);
                rest = after.get(end + 1..).unwrap_or("");
            }
            None => {
                for w in rest.split_whitespace() {
                    push_term(&mut terms, w);
                }
                rest = "";
            }
        }
    }
    if terms.is_empty() {
        // only quote marks: search for them as written
        for w in query.split_whitespace() {
            push_term(&mut terms, w);
        }
    }
    Ok(terms)
}

fn push_term(terms: &mut Vec<QueryTerm>, raw: &str) {
    let chars = fold_text(raw);
    if !chars.is_empty() && !terms.iter().any(|t| t.chars == chars) {
        terms.push(QueryTerm {
            raw: raw.trim().to_string(),
            chars,
        });
    }
}

fn text_term(field: Field, text: &str) -> Term {
    Term::from_field_text(field, text)
}

/// A query matching terms at their relative positions (all in one field).
fn positioned_query(mut positioned: Vec<(usize, Term)>) -> Option<Box<dyn Query>> {
    match positioned.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(
            positioned.pop().expect("one term").1,
            IndexRecordOption::WithFreqs,
        ))),
        _ => Some(Box::new(PhraseQuery::new_with_offset(positioned))),
    }
}

/// The substring terms of a term on the n-gram fields `ng` (the k-grams in `ng[k-1]`):
/// one term for a short string, the longest grams at their offsets for a long one.
pub fn ngram_terms(ng: &[Field], term: &QueryTerm) -> Vec<(usize, Term)> {
    let field = ng[term.chars.len().clamp(1, ng.len()) - 1];
    query_ngrams(&term.chars)
        .into_iter()
        .map(|(p, t)| (p, text_term(field, &t)))
        .collect()
}

/// The substring query of a term: [`ngram_terms`] as a term or phrase query.
pub fn ngram_query(ng: &[Field], term: &QueryTerm) -> Option<Box<dyn Query>> {
    positioned_query(ngram_terms(ng, term))
}

/// The jieba words of a term with their positions relative to the first, and whether
/// every piece of the term is a word (false when punctuation was left out).
pub fn term_words(seg: &Segmenter, term: &QueryTerm) -> (Vec<(usize, String)>, bool) {
    let pieces = seg.cut(&term.raw);
    let n = pieces.len();
    let mut words: Vec<(usize, String)> = pieces
        .into_iter()
        .enumerate()
        .filter_map(|(i, (s, e))| word_term(&term.raw[s..e]).map(|w| (i, w)))
        .collect();
    let exact = words.len() == n;
    let first = words.first().map(|w| w.0).unwrap_or(0);
    for w in &mut words {
        w.0 -= first;
    }
    (words, exact)
}

/// The whole-word terms of a term's words (from [`term_words`]) on the words field: one
/// word or word pair is one term, more words a phrase of word pairs; words with gaps
/// between them (punctuation left out) a phrase of words.
pub fn word_terms(field: Field, words: &[(usize, String)]) -> Vec<(usize, Term)> {
    let consecutive = words.iter().enumerate().all(|(i, w)| w.0 == i);
    if words.len() >= 2 && consecutive {
        return words
            .windows(2)
            .enumerate()
            .map(|(i, w)| (i, text_term(field, &shingle(&w[0].1, &w[1].1))))
            .collect();
    }
    words
        .iter()
        .map(|(p, w)| (*p, text_term(field, w)))
        .collect()
}

/// The whole-word query of a term's words: [`word_terms`] as a term or phrase query.
pub fn word_query(field: Field, words: &[(usize, String)]) -> Option<Box<dyn Query>> {
    positioned_query(word_terms(field, words))
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if boost == 1.0 {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    }
}

/// The filters of a search, as one non-scoring query (`None`: no filter).
pub fn filter_query(
    f: &Fields,
    kinds: &[NodeKind],
    unit: Option<&str>,
    year: Option<u16>,
) -> Option<Box<dyn Query>> {
    let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if !kinds.is_empty() {
        let mut kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let any: Vec<(Occur, Box<dyn Query>)> = kinds
            .into_iter()
            .map(|k| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    text_term(f.kind, k),
                    IndexRecordOption::Basic,
                ));
                (Occur::Should, q)
            })
            .collect();
        must.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    if let Some(unit) = unit {
        must.push((
            Occur::Must,
            Box::new(TermQuery::new(
                text_term(f.unit_key, &normalize_name(unit)),
                IndexRecordOption::Basic,
            )),
        ));
    }
    if let Some(year) = year {
        must.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_u64(f.year, year as u64),
                IndexRecordOption::Basic,
            )),
        ));
    }
    if must.is_empty() {
        None
    } else {
        Some(Box::new(ConstScoreQuery::new(
            Box::new(BooleanQuery::new(must)),
            0.0,
        )))
    }
}

/// How a search finds, counts and ranks its hits.
pub enum Plan {
    /// One term query (or phrase) ranks; tantivy counts a term from its document
    /// frequency and prunes the ranking with block-max WAND.
    Term(Box<dyn Query>),
    /// A single term, all of whose whole-word matches are among its substring matches:
    /// first the nodes the whole-word query matches (by its score × [`WORD_BOOST`]), then
    /// the others (by the substring query's). Two term queries that tantivy prunes
    /// instead of one union it would score match by match; `ngrams` counts.
    Tiered {
        words: Box<dyn Query>,
        ngrams: Box<dyn Query>,
    },
    /// Several terms or filters: one query scored over every match, counted in the same
    /// pass.
    Scan(Box<dyn Query>),
}

/// Build the ranking and counting queries for `terms` (non-empty) under `filter`.
/// `exists` tells whether a term is in the index at all: a clause with a missing term
/// cannot match, so it is left out (and `None` returned when a required one is missing).
pub fn plan(
    seg: &Segmenter,
    f: &Fields,
    terms: &[QueryTerm],
    filter: Option<Box<dyn Query>>,
    exists: &dyn Fn(&Term) -> bool,
) -> Option<Plan> {
    let mut required: Vec<Box<dyn Query>> = Vec::new();
    let mut optional: Vec<Box<dyn Query>> = Vec::new();
    // whether every optional clause matches only nodes the required clauses match
    let mut optional_within_required = true;
    for term in terms {
        let recall = ngram_terms(&f.ng, term);
        if recall.iter().any(|(_, t)| !exists(t)) {
            return None;
        }
        let Some(recall) = positioned_query(recall) else {
            continue;
        };
        required.push(recall);
        let (words, exact) = term_words(seg, term);
        let words = word_terms(f.words, &words);
        if words.iter().all(|(_, t)| exists(t)) {
            if let Some(q) = positioned_query(words) {
                optional.push(q);
                optional_within_required &= exact;
            }
        }
    }
    if required.is_empty() {
        return None;
    }
    if required.len() == 1 && filter.is_none() && optional_within_required {
        let ngrams = required.pop().expect("one required clause");
        return Some(match optional.pop() {
            // unboosted: tantivy prunes a bare term query only (a boost would make it
            // score every match); the tier's scores are scaled afterwards
            Some(words) => Plan::Tiered { words, ngrams },
            None => Plan::Term(ngrams),
        });
    }
    Some(Plan::Scan(Box::new(BooleanQuery::new(
        required
            .into_iter()
            .map(|q| (Occur::Must, q))
            .chain(filter.map(|q| (Occur::Must, q)))
            .chain(
                optional
                    .into_iter()
                    .map(|q| (Occur::Should, boosted(q, WORD_BOOST))),
            )
            .collect(),
    ))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raws(q: &str) -> Vec<String> {
        parse(q).unwrap().into_iter().map(|t| t.raw).collect()
    }

    #[test]
    fn splits_words_and_phrases() {
        assert_eq!(raws("海洋  科技"), ["海洋", "科技"]);
        assert_eq!(raws("\"科技 创新\" 海洋"), ["科技 创新", "海洋"]);
        assert_eq!(
            parse("\"科技 创新\"").unwrap()[0].chars,
            fold_text("科技创新")
        );
        assert_eq!(raws("a\"b c"), ["a", "b c"]);
        assert_eq!(raws("海洋 海洋"), ["海洋"]);
        assert_eq!(raws("\"\""), ["\"\""]);
        assert_eq!(raws("\" \""), ["\""]);
        assert_eq!(raws("AND OR -x"), ["AND", "OR", "-x"]);
    }

    #[test]
    fn empty_queries_are_an_invalid_q() {
        for q in ["", "   ", "\u{3000}\t\n"] {
            match parse(q) {
                Err(Error::InvalidParam { param, .. }) => assert_eq!(param, "q"),
                other => panic!("{q:?}: {other:?}"),
            }
        }
        assert!(parse(&"海".repeat(MAX_QUERY_CHARS + 1)).is_err());
    }
}
