//! Full-text search over goals and entities: tantivy with jieba tokens (reused from
//! extraction) plus character n-grams, so any substring of a goal finds it. Only this
//! module sees tantivy. The store is the source of truth; this index can always be
//! rebuilt from it.
//!
//! - [`schema`]: fields, schema version, and the commit payload (schema version and store
//!   generation).
//! - [`tokenizer`]: the word and n-gram analyses, registered on every open.
//! - [`query`]: user text to tantivy queries, built programmatically (no query syntax).
//! - [`snippet`]: the highlighted fragment of each hit.
//! - [`names`]: the names nodes resolve by (substrings, closest names).

pub mod names;
pub mod query;
pub mod schema;
pub mod snippet;
pub use snippet::HitField;
pub mod tokenizer;

use crate::error::{Error, Result};
use crate::extract::{GoalTokens, Segmenter};
use crate::model::{normalize_name, Goal, GoalPlace, Node, NodeKind};
use query::Plan;
use schema::{build_schema, Fields, Payload, SCHEMA_VERSION};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tantivy::collector::{Count, TopDocs};
use tantivy::indexer::{MergeCandidate, MergePolicy, NoMergePolicy};
use tantivy::query::Query;
use tantivy::schema::Value;
use tantivy::{
    DocAddress, Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, Searcher,
    SegmentMeta, TantivyDocument, Term,
};

/// Hits a [`SearchRequest::default`] asks for (the CLI's and HTTP API's default).
pub const DEFAULT_LIMIT: usize = crate::limits::SEARCH_LIMIT.default;
/// Most hits one request returns; a larger limit (or 0) is an invalid parameter.
pub const MAX_LIMIT: usize = crate::limits::SEARCH_LIMIT.max;
/// Deepest page start accepted (`offset`); deeper is an invalid parameter.
pub const MAX_OFFSET: usize = crate::limits::SEARCH_OFFSET.max;
/// How many times a title (an entity's name or alias) is indexed: its boost over content.
pub const TITLE_REPEAT: usize = 3;
/// Memory of the index writer (split between its threads).
pub const WRITER_MEMORY_BYTES: usize = 50_000_000;

/// A search as the CLI and HTTP API ask for it.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    /// Only these kinds (empty: all).
    pub kinds: Vec<NodeKind>,
    /// Only goals of this unit (as written; compared as [`normalize_name`] folds names;
    /// blank: no filter).
    pub unit: Option<String>,
    /// Only goals of this year.
    pub year: Option<u16>,
    /// Hits to return: 1 to [`MAX_LIMIT`] ([`crate::limits::SEARCH_LIMIT`]).
    pub limit: usize,
    /// Hits to skip, best first (at most [`MAX_OFFSET`]).
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
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    /// Every match, not only the hits returned.
    pub total: usize,
    pub hits: Vec<SearchHit>,
}

/// One hit: the node's id, kind and name, its score, and a snippet with the matched
/// ranges as character offsets into `snippet`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SearchHit {
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    pub score: f32,
    pub snippet: String,
    /// `[start, end)` character offsets of the matches within `snippet`.
    pub highlights: Vec<[usize; 2]>,
    /// Which field the snippet is from: `title`, `content`, `benchmark`, `name`, `alias`.
    pub field: HitField,
    /// On goal hits: the goal's unit, year, category and number.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub goal: Option<GoalPlace>,
}

/// The tantivy index under `DATA/text`.
///
/// Writes go to an uncommitted batch until [`TextIndex::commit`], which makes them durable
/// and visible to [`TextIndex::search`] at once, and records the store generation.
pub struct TextIndex {
    index: Index,
    writer: IndexWriter<TantivyDocument>,
    reader: IndexReader,
    fields: Fields,
    seg: Arc<Segmenter>,
    generation: Option<u64>,
    dir: Option<PathBuf>,
}

/// What [`TextIndex::open`] found in its directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenState {
    /// An index of this schema, with the generation of its last commit.
    Current,
    /// No index there yet: a new, empty one was created.
    Created,
    /// An index of another schema version, or unreadable: recreated empty.
    Recreated,
}

impl TextIndex {
    /// Open (or create) the index in `dir`. An index of an older schema is recreated
    /// empty; [`TextIndex::generation`] then returns `None`, telling the caller to rebuild.
    pub fn open(dir: &Path, seg: Arc<Segmenter>) -> Result<TextIndex> {
        Self::open_with_state(dir, seg).map(|(index, _)| index)
    }

    /// [`TextIndex::open`], also telling whether the index was found, created or recreated.
    pub fn open_with_state(dir: &Path, seg: Arc<Segmenter>) -> Result<(TextIndex, OpenState)> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let (schema, fields) = build_schema();
        let mut state = OpenState::Created;
        let mut found = None;
        if dir.join("meta.json").exists() {
            state = OpenState::Recreated;
            if let Ok(index) = Index::open_in_dir(dir) {
                if let Ok(metas) = index.load_metas() {
                    let payload = metas.payload.as_deref().map(Payload::decode);
                    let current = index.schema() == schema
                        && match payload {
                            Some(Some(p)) => p.schema == SCHEMA_VERSION,
                            // never committed by plangraph: usable only while empty
                            Some(None) | None => metas.segments.is_empty(),
                        };
                    if current {
                        state = OpenState::Current;
                        found = Some((index, payload.flatten().map(|p| p.generation)));
                    }
                }
            }
        }
        let (index, generation) = match found {
            Some(found) => found,
            None => {
                if state == OpenState::Recreated {
                    empty_dir(dir)?;
                }
                (
                    Index::builder()
                        .schema(schema)
                        .settings(index_settings())
                        .create_in_dir(dir)?,
                    None,
                )
            }
        };
        let mut this = Self::from_index(index, fields, seg, generation)?;
        this.dir = Some(dir.to_path_buf());
        Ok((this, state))
    }

    /// An index in memory (tests).
    pub fn in_memory(seg: Arc<Segmenter>) -> Result<TextIndex> {
        let (schema, fields) = build_schema();
        let index = Index::builder()
            .schema(schema)
            .settings(index_settings())
            .create_in_ram()?;
        Self::from_index(index, fields, seg, None)
    }

    fn from_index(
        index: Index,
        fields: Fields,
        seg: Arc<Segmenter>,
        generation: Option<u64>,
    ) -> Result<TextIndex> {
        tokenizer::register_tokenizers(&index, &seg);
        let writer = index.writer(WRITER_MEMORY_BYTES)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(TextIndex {
            index,
            writer,
            reader,
            fields,
            seg,
            generation,
            dir: None,
        })
    }

    /// The store generation of the last commit, `None` for a new or recreated index.
    pub fn generation(&self) -> Option<u64> {
        self.generation
    }

    /// The directory of an index opened with [`TextIndex::open`].
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Committed, searchable nodes.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Add or replace a goal (kind `goal`), with the tokens extraction produced.
    ///
    /// `goal.name` is the title; `props` give `content`, `benchmark`, `unit`, `year`,
    /// `category` and `number`. The tokens are the byte ranges of the jieba words of the
    /// three texts (as [`Segmenter::cut`] gives them); ranges that do not fit their text
    /// are ignored and the text is cut again.
    pub fn upsert_goal(&mut self, node: &Node, tokens: &GoalTokens) -> Result<()> {
        let f = self.fields;
        let goal = Goal::from_node(node).unwrap_or_default();
        let title = node.name.as_str();
        let content = goal.content.as_str();
        let benchmark = goal.benchmark.as_deref().unwrap_or("");
        let mut doc = TantivyDocument::new();
        doc.add_text(f.id, &node.id);
        doc.add_text(f.kind, node.kind.as_str());
        doc.add_text(f.name, title);
        doc.add_text(f.names, title);
        if !content.is_empty() {
            doc.add_text(f.content, content);
        }
        if !benchmark.is_empty() {
            doc.add_text(f.benchmark, benchmark);
        }
        if !goal.unit.trim().is_empty() {
            doc.add_text(f.unit, &goal.unit);
            doc.add_text(f.unit_key, normalize_name(&goal.unit));
        }
        if let Some(year) = goal.year {
            doc.add_u64(f.year, u64::from(year));
        }
        doc.add_text(f.category, &goal.category);
        doc.add_text(f.number, &goal.number);
        let title_words = tokenizer::pretokenized(&self.seg, title, &tokens.title);
        for _ in 0..TITLE_REPEAT {
            doc.add_pre_tokenized_text(f.words, title_words.clone());
        }
        doc.add_pre_tokenized_text(
            f.words,
            tokenizer::pretokenized(&self.seg, content, &tokens.content),
        );
        if !benchmark.is_empty() {
            doc.add_pre_tokenized_text(
                f.words,
                tokenizer::pretokenized(&self.seg, benchmark, &tokens.benchmark),
            );
        }
        let texts = std::iter::repeat_n(title, TITLE_REPEAT).chain([content, benchmark]);
        for text in texts.filter(|t| !t.is_empty()) {
            for field in f.ng {
                doc.add_text(field, text);
            }
        }
        self.replace(&goal.id, doc)
    }

    /// Add or replace an entity (any kind but goal), findable by its name and aliases.
    pub fn upsert_entity(&mut self, node: &Node, aliases: &[String]) -> Result<()> {
        let f = self.fields;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.id, &node.id);
        doc.add_text(f.kind, node.kind.as_str());
        doc.add_text(f.name, &node.name);
        let mut names: Vec<&str> = vec![node.name.as_str()];
        for alias in aliases {
            if !alias.trim().is_empty() && !names.contains(&alias.as_str()) {
                doc.add_text(f.alias, alias);
                names.push(alias);
            }
        }
        for name in names {
            // a target resolves by id only (the store records no name for it)
            if node.kind != NodeKind::Target {
                doc.add_text(f.names, name);
            }
            let words = tokenizer::pretokenized(&self.seg, name, &self.seg.cut(name));
            for _ in 0..TITLE_REPEAT {
                doc.add_pre_tokenized_text(f.words, words.clone());
                for field in f.ng {
                    doc.add_text(field, name);
                }
            }
        }
        self.replace(&node.id, doc)
    }

    fn replace(&mut self, id: &str, doc: TantivyDocument) -> Result<()> {
        self.writer
            .delete_term(Term::from_field_text(self.fields.id, id));
        self.writer.add_document(doc)?;
        Ok(())
    }

    /// Remove a node by id.
    pub fn delete(&mut self, id: &str) -> Result<()> {
        self.writer
            .delete_term(Term::from_field_text(self.fields.id, id));
        Ok(())
    }

    /// Remove everything (before a rebuild).
    pub fn clear(&mut self) -> Result<()> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// Make the changes since the last commit durable and visible, recording the store
    /// generation they bring the index up to.
    pub fn commit(&mut self, generation: u64) -> Result<()> {
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&Payload::new(generation).encode());
        prepared.commit()?;
        self.reader.reload()?;
        self.generation = Some(generation);
        Ok(())
    }

    /// Merge all committed segments into one and wait for it (after a bulk rebuild:
    /// fewer segments make searches faster). The generation is kept; uncommitted changes
    /// stay pending.
    pub fn compact(&mut self) -> Result<()> {
        // no new background merges meanwhile; one already running may still take some of
        // the segments away, in which case the merge is tried again with what is left
        let policy = self.writer.get_merge_policy();
        self.writer.set_merge_policy(Box::new(NoMergePolicy));
        let mut result: Result<()> = Ok(());
        for _ in 0..200 {
            let ids = match self.index.searchable_segment_ids() {
                Ok(ids) => ids,
                Err(e) => {
                    result = Err(e.into());
                    break;
                }
            };
            if ids.len() <= 1 {
                break;
            }
            match self.writer.merge(&ids).wait() {
                Ok(_) => {}
                Err(tantivy::TantivyError::InvalidArgument(_)) => {
                    std::thread::sleep(std::time::Duration::from_millis(25))
                }
                Err(e) => {
                    result = Err(e.into());
                    break;
                }
            }
        }
        self.writer
            .set_merge_policy(Box::new(ArcMergePolicy(policy)));
        result?;
        self.reader.reload()?;
        Ok(())
    }

    /// Searchable segments (diagnostics, benchmarks).
    pub fn num_segments(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

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
                    (HitField::Title, &name),
                    (HitField::Content, &content),
                    (HitField::Benchmark, &benchmark),
                ],
                terms,
            )
        } else {
            let aliases: Vec<String> = doc
                .get_all(f.alias)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            let mut candidates: Vec<(HitField, &str)> = vec![(HitField::Name, name.as_str())];
            candidates.extend(aliases.iter().map(|a| (HitField::Alias, a.as_str())));
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
            goal: (kind == NodeKind::Goal).then(|| GoalPlace {
                unit: text(f.unit).unwrap_or_default(),
                year: doc
                    .get_first(f.year)
                    .and_then(|v| v.as_u64())
                    .and_then(|y| u16::try_from(y).ok()),
                category: text(f.category).unwrap_or_default(),
                number: text(f.number).unwrap_or_default(),
            }),
        })
    }
}

/// The writer's own merge policy, given back after [`TextIndex::compact`].
#[derive(Debug)]
struct ArcMergePolicy(Arc<dyn MergePolicy>);

impl MergePolicy for ArcMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        self.0.compute_merge_candidates(segments)
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

/// Settings of a new index: an uncompressed document store, since every hit reads its
/// stored text for the snippet and decompressing a block costs more than the search.
fn index_settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: tantivy::store::Compressor::None,
        docstore_blocksize: 4096,
        ..IndexSettings::default()
    }
}

/// Remove what an index directory holds (it belongs to the index alone).
fn empty_dir(dir: &Path) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        let removed = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        removed.map_err(|e| Error::io(&path, e))?;
    }
    Ok(())
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Error {
        Error::Index(crate::error::BackendError::new(e))
    }
}
