//! User query text to tantivy queries, built programmatically: no user character ever
//! reaches a query parser, so none is syntax.
//!
//! The text splits on whitespace into terms; `"…"` groups a phrase (whitespace inside is
//! ignored, as the n-gram analysis ignores it). Every term is required. A term matches a
//! node whose text contains it as a substring (the n-gram clause, which also counts the
//! hits); it scores more where jieba words match too (whole-word clauses), and more again
//! in the title.

use super::schema::Fields;
use super::tokenizer::{fold_text, query_ngrams, word_term};
use crate::error::{Error, Result};
use crate::extract::Segmenter;
use crate::model::{normalize_name, NodeKind};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;

/// Boost of title fields over body fields.
pub const TITLE_BOOST: f32 = 3.0;
/// Boost of whole-word (jieba) clauses over n-gram clauses. BM25's term-frequency part
/// stays within about 0.45–2.2 for a field up to 4× the average length, and a word is
/// never more common than the same characters as a substring, so ×30 keeps whole-word
/// matches above n-gram-only ones (title boost included).
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

/// A query matching `positioned` terms at their relative positions in `field`.
fn positioned_query(field: Field, positioned: Vec<(usize, String)>) -> Option<Box<dyn Query>> {
    match positioned.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(
            text_term(field, &positioned[0].1),
            IndexRecordOption::WithFreqs,
        ))),
        _ => Some(Box::new(PhraseQuery::new_with_offset(
            positioned
                .into_iter()
                .map(|(p, t)| (p, text_term(field, &t)))
                .collect(),
        ))),
    }
}

/// The substring (n-gram) query of a term on an n-gram field.
pub fn ngram_query(field: Field, term: &QueryTerm) -> Option<Box<dyn Query>> {
    positioned_query(field, query_ngrams(&term.chars))
}

/// The whole-word query of a term on a words field: its jieba words in a row. The flag
/// is true when every piece of the term is a word, so that the query matches only text
/// that holds the term as a substring (false when punctuation was left out).
pub fn word_query(
    seg: &Segmenter,
    field: Field,
    term: &QueryTerm,
) -> (Option<Box<dyn Query>>, bool) {
    let pieces = seg.cut(&term.raw);
    let n = pieces.len();
    let words: Vec<(usize, String)> = pieces
        .into_iter()
        .enumerate()
        .filter_map(|(i, (s, e))| word_term(&term.raw[s..e]).map(|w| (i, w)))
        .collect();
    let exact = words.len() == n;
    let first = words.first().map(|w| w.0).unwrap_or(0);
    let q = positioned_query(
        field,
        words.into_iter().map(|(p, w)| (p - first, w)).collect(),
    );
    (q, exact)
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

/// The two queries of a search: `scored` ranks, `count` counts the same matches cheaply.
pub struct Plan {
    pub scored: Box<dyn Query>,
    pub count: Box<dyn Query>,
}

/// Build the ranking and counting queries for `terms` (non-empty) under `filter`.
pub fn plan(
    seg: &Segmenter,
    f: &Fields,
    terms: &[QueryTerm],
    filter: Option<Box<dyn Query>>,
) -> Plan {
    let mut required: Vec<Box<dyn Query>> = Vec::new();
    let mut optional: Vec<Box<dyn Query>> = Vec::new();
    // whether every optional clause matches only nodes the required clauses match
    let mut optional_within_required = true;
    for term in terms {
        let Some(recall) = ngram_query(f.ng_all, term) else {
            continue;
        };
        required.push(recall);
        if let Some(q) = ngram_query(f.ng_title, term) {
            optional.push(boosted(q, TITLE_BOOST));
        }
        for (field, boost) in [
            (f.w_title, WORD_BOOST * TITLE_BOOST),
            (f.w_body, WORD_BOOST),
        ] {
            let (q, exact) = word_query(seg, field, term);
            if let Some(q) = q {
                optional.push(boosted(q, boost));
                optional_within_required &= exact;
            }
        }
    }
    let count: Box<dyn Query> = match (required.len(), &filter) {
        // a lone term query: tantivy counts it from the term's document frequency
        (1, None) => required[0].box_clone(),
        _ => Box::new(BooleanQuery::new(
            required
                .iter()
                .map(|q| (Occur::Must, q.box_clone()))
                .chain(filter.iter().map(|q| (Occur::Must, q.box_clone())))
                .collect(),
        )),
    };
    let scored: Box<dyn Query> =
        if required.len() == 1 && filter.is_none() && optional_within_required {
            // every optional clause matches a subset of the n-gram clause, so their union is
            // the same set; a flat union of term queries lets tantivy prune with block-max WAND
            Box::new(BooleanQuery::new(
                required
                    .into_iter()
                    .chain(optional)
                    .map(|q| (Occur::Should, q))
                    .collect(),
            ))
        } else {
            Box::new(BooleanQuery::new(
                required
                    .into_iter()
                    .map(|q| (Occur::Must, q))
                    .chain(filter.map(|q| (Occur::Must, q)))
                    .chain(optional.into_iter().map(|q| (Occur::Should, q)))
                    .collect(),
            ))
        };
    Plan { scored, count }
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
