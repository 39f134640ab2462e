//! Search benchmark: the text index against SQLite FTS5 over the same generated corpus.
//!
//! `cargo bench --bench search`
//!
//! For each corpus size (documents of `benches/support/corpus.rs`, 5–12 goals each):
//! 1. generate the documents and their goal nodes, segment every goal once with jieba
//!    (extraction's job, timed apart);
//! 2. build the text index on disk (upsert every goal, commit; then compact to one
//!    segment), timed as MB/s of goal text (title + content + benchmark, UTF-8);
//! 3. build the SQLite baseline (below) from the same words;
//! 4. run seven query classes drawn from the corpus vocabulary — 50 strings each of one,
//!    two, three and four characters, vocabulary words of five characters or more, two
//!    words separated by a space (both required), and two characters filtered by kind,
//!    unit and year — through both, `RUNS` times each, every query `REPEAT` times on each
//!    engine, and report median and p99 latency per class and run. A search is the whole
//!    request: total count, the ten best hits with their stored text, and a highlighted
//!    snippet for each.
//!
//! The baseline: one FTS5 table (`detail=full`, `ascii` tokenizer: every non-ASCII
//! character is a token character) with six columns: the title's and the body's jieba
//! words, space-joined; the text's 1-, 2-, 3- and 4-character n-grams, space-joined
//! (`ng1` … `ng4`) — the same analysis as the text index (which also indexes titles
//! three times over). Each space-separated term of a query of up to four characters is
//! one token of its n-gram column, a longer one a phrase of overlapping 4-grams; terms are
//! AND-ed; the query's jieba words are OR-ed in on the word columns for ranking. `total`
//! is `count(*)` of the n-gram match (joined to the goals' unit and year when filtered);
//! the hits are `ORDER BY bm25(fts, 90, 30, 1, 1, 1, 1) LIMIT 10` joined to a table
//! holding the texts, and get the same snippet function. The database is a file with a
//! 1 GiB page cache, built in one transaction, then `optimize`d.
//!
//! Environment: `PLANGRAPH_BENCH_SIZES` (default `1000,20000`), `PLANGRAPH_BENCH_RUNS`
//! (default 3), `PLANGRAPH_BENCH_REPEAT` (default 5), `PLANGRAPH_BENCH_SQLITE=0` to skip
//! the baseline.

#[path = "support/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use corpus::GeneratedDocument;
use plangraph::extract::{GoalTokens, Segmenter};
use plangraph::index::snippet::best_snippet;
use plangraph::index::tokenizer::{fold_text, word_term};
use plangraph::index::{HitField, SearchRequest, TextIndex};
use plangraph::model::{document_id, goal_id, Node, NodeKind, Props};
use rusqlite::{params, Connection};
use serde_json::json;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

const SEED: u64 = 2021;
const QUERIES_PER_CLASS: usize = 50;
const LIMIT: usize = 10;
/// Each query is timed this many times per run, on both engines (`PLANGRAPH_BENCH_REPEAT`).
const REPEAT: usize = 5;

/// One query: its text and, for the filtered class, the kind, unit and year asked for.
#[derive(Debug, Clone)]
struct Query {
    text: String,
    kinds: Vec<NodeKind>,
    unit: Option<String>,
    year: Option<u16>,
}

impl Query {
    fn plain(text: String) -> Query {
        Query {
            text,
            kinds: Vec::new(),
            unit: None,
            year: None,
        }
    }

    fn shown(&self) -> String {
        match (&self.unit, self.year) {
            (Some(u), Some(y)) => format!("{}[goal,{u},{y}]", self.text),
            _ => self.text.clone(),
        }
    }

    fn request(&self) -> SearchRequest {
        SearchRequest {
            query: self.text.clone(),
            kinds: self.kinds.clone(),
            unit: self.unit.clone(),
            year: self.year,
            limit: LIMIT,
            ..SearchRequest::default()
        }
    }
}

struct Goal {
    node: Node,
    tokens: GoalTokens,
}

fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn goals_of(docs: &[GeneratedDocument], seg: &Segmenter) -> (Vec<Goal>, Duration) {
    let mut goals = Vec::new();
    let mut cutting = Duration::ZERO;
    for doc in docs {
        let doc_id = document_id(&doc.unit, doc.year, &doc.title);
        for g in &doc.goals {
            let mut props = Props::new();
            props.insert("content".into(), json!(g.content));
            if let Some(b) = &g.benchmark {
                props.insert("benchmark".into(), json!(b));
            }
            props.insert("unit".into(), json!(doc.unit));
            props.insert("year".into(), json!(doc.year));
            props.insert("category".into(), json!(g.category));
            props.insert("number".into(), json!(g.number));
            let node = Node {
                id: goal_id(&doc_id, &g.category, "", &g.number),
                kind: NodeKind::Goal,
                name: g.title.clone(),
                props,
            };
            let t = Instant::now();
            let tokens = GoalTokens {
                title: seg.cut(&g.title),
                content: seg.cut(&g.content),
                benchmark: seg.cut(g.benchmark.as_deref().unwrap_or("")),
            };
            cutting += t.elapsed();
            goals.push(Goal { node, tokens });
        }
    }
    (goals, cutting)
}

fn text_of(node: &Node) -> (&str, &str, &str) {
    (
        node.name.as_str(),
        node.prop_str("content").unwrap_or(""),
        node.prop_str("benchmark").unwrap_or(""),
    )
}

fn text_bytes(goals: &[Goal]) -> usize {
    goals
        .iter()
        .map(|g| {
            let (a, b, c) = text_of(&g.node);
            a.len() + b.len() + c.len()
        })
        .sum()
}

/// Deterministic pick of `n` distinct items.
fn pick(mut items: Vec<String>, n: usize, seed: u64) -> Vec<String> {
    items.sort();
    items.dedup();
    let mut x = seed | 1;
    for i in (1..items.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        items.swap(i, (x % (i as u64 + 1)) as usize);
    }
    items.truncate(n);
    items
}

/// 50 queries a class from the corpus vocabulary.
fn query_classes() -> Vec<(&'static str, Vec<Query>)> {
    let vocabulary = corpus::vocabulary();
    let windows = |len: usize| -> Vec<String> {
        vocabulary
            .iter()
            .flat_map(|w| {
                let chars: Vec<char> = w.chars().collect();
                (0..chars.len().saturating_sub(len - 1))
                    .map(|i| chars[i..i + len].iter().collect::<String>())
                    .collect::<Vec<_>>()
            })
            .filter(|s| s.chars().all(|c| c.len_utf8() == 3))
            .collect()
    };
    let plain = |qs: Vec<String>| qs.into_iter().map(Query::plain).collect::<Vec<_>>();
    let chinese = |w: &&str| w.chars().all(|c| c.len_utf8() == 3);
    let long: Vec<String> = vocabulary
        .iter()
        .filter(|w| w.chars().count() >= 5 && chinese(w))
        .map(|w| w.to_string())
        .collect();
    let short: Vec<String> = vocabulary
        .iter()
        .filter(|w| (2..=4).contains(&w.chars().count()) && chinese(w))
        .map(|w| w.to_string())
        .collect();
    let two_words: Vec<String> = pick(short.clone(), QUERIES_PER_CLASS, 55)
        .into_iter()
        .zip(pick(short, QUERIES_PER_CLASS, 66))
        .map(|(a, b)| format!("{a} {b}"))
        .collect();
    let years = corpus::YEARS.1 - corpus::YEARS.0 + 1;
    let filtered: Vec<Query> = pick(windows(2), QUERIES_PER_CLASS, 77)
        .into_iter()
        .enumerate()
        .map(|(i, text)| Query {
            text,
            kinds: vec![NodeKind::Goal],
            unit: Some(corpus::UNITS[(i * 7) % corpus::UNITS.len()].to_string()),
            year: Some(corpus::YEARS.0 + (i as u16 * 3) % years),
        })
        .collect();
    vec![
        ("1 char", plain(pick(windows(1), QUERIES_PER_CLASS, 11))),
        ("2 chars", plain(pick(windows(2), QUERIES_PER_CLASS, 22))),
        ("3 chars", plain(pick(windows(3), QUERIES_PER_CLASS, 33))),
        ("4 chars", plain(pick(windows(4), QUERIES_PER_CLASS, 44))),
        ("5+ chars", plain(pick(long, QUERIES_PER_CLASS, 50))),
        ("two words", plain(two_words)),
        ("2 chars + kind, unit, year", filtered),
    ]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

struct Stats {
    median: Duration,
    p99: Duration,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    Stats {
        median: percentile(&samples, 0.5),
        p99: percentile(&samples, 0.99),
    }
}

/// Median of the runs' figures and their range.
fn summary(values: &[f64]) -> String {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let median = v[v.len() / 2];
    format!("{:.3} ({:.3}–{:.3})", median, v[0], v[v.len() - 1])
}

// ---------------------------------------------------------------------------------------
// SQLite FTS5 baseline

struct Sqlite {
    conn: Connection,
    seg: Arc<Segmenter>,
}

fn words(text: &str, ranges: &[(usize, usize)]) -> String {
    ranges
        .iter()
        .filter_map(|&(s, e)| word_term(&text[s..e]))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Space-joined 1-, 2-, 3- and 4-character n-grams of the fields, a private-use
/// character between fields so that no phrase spans two.
fn ngrams(fields: &[&str]) -> [String; 4] {
    let mut ng: [String; 4] = Default::default();
    for f in fields.iter().filter(|f| !f.is_empty()) {
        let chars = fold_text(f);
        for (k, out) in ng.iter_mut().enumerate() {
            if !out.is_empty() {
                out.push_str(" \u{E000} ");
            }
            for w in chars.windows(k + 1) {
                out.extend(w);
                out.push(' ');
            }
        }
    }
    ng
}

impl Sqlite {
    fn build(
        path: &std::path::Path,
        goals: &[Goal],
        seg: Arc<Segmenter>,
    ) -> rusqlite::Result<Sqlite> {
        let conn = Connection::open(path)?;
        conn.execute_batch(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576;
             CREATE TABLE docs(rowid INTEGER PRIMARY KEY, id TEXT, name TEXT, content TEXT, benchmark TEXT,
                               unit TEXT, year INTEGER);
             CREATE VIRTUAL TABLE fts USING fts5(title_w, body_w, ng1, ng2, ng3, ng4, tokenize='ascii', detail=full);",
        )?;
        conn.execute_batch("BEGIN")?;
        {
            let mut docs = conn.prepare("INSERT INTO docs VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
            let mut fts = conn.prepare(
                "INSERT INTO fts(rowid, title_w, body_w, ng1, ng2, ng3, ng4)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for (i, g) in goals.iter().enumerate() {
                let (title, content, benchmark) = text_of(&g.node);
                let unit = g.node.prop_str("unit").unwrap_or("");
                let year = g.node.props.get("year").and_then(|y| y.as_i64());
                docs.execute(params![
                    i as i64, g.node.id, title, content, benchmark, unit, year
                ])?;
                let title_w = words(title, &g.tokens.title);
                let body_w = format!(
                    "{} {}",
                    words(content, &g.tokens.content),
                    words(benchmark, &g.tokens.benchmark)
                );
                let [ng1, ng2, ng3, ng4] = ngrams(&[title, content, benchmark]);
                fts.execute(params![i as i64, title_w, body_w, ng1, ng2, ng3, ng4])?;
            }
        }
        conn.execute_batch("COMMIT")?;
        conn.execute_batch("INSERT INTO fts(fts) VALUES('optimize')")?;
        Ok(Sqlite { conn, seg })
    }

    /// The same request as the text index answers: total, ten best with text, snippets.
    fn search(&self, query: &Query) -> rusqlite::Result<(usize, Vec<String>)> {
        let q = query.text.as_str();
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let term_match = |term: &str| {
            let chars = fold_text(term);
            match chars.len() {
                n @ 1..=4 => format!("ng{n} : {}", quote(&chars.iter().collect::<String>())),
                _ => {
                    let grams: Vec<String> = chars.windows(4).map(|w| w.iter().collect()).collect();
                    format!("ng4 : {}", quote(&grams.join(" ")))
                }
            }
        };
        let recall = q
            .split_whitespace()
            .map(|t| format!("({})", term_match(t)))
            .collect::<Vec<_>>()
            .join(" AND ");
        let query_words: Vec<String> = self
            .seg
            .cut(q)
            .into_iter()
            .filter_map(|(s, e)| word_term(&q[s..e]))
            .collect();
        let expr = if query_words.is_empty() {
            recall.clone()
        } else {
            format!(
                "({recall}) OR ({{title_w body_w}} : {})",
                quote(&query_words.join(" "))
            )
        };
        // Every goal is of kind goal: the kind filter keeps them all, as in the index.
        let filtered = query.unit.is_some() || query.year.is_some();
        let total: i64 = if filtered {
            self.conn
                .prepare_cached(
                    "SELECT count(*) FROM fts JOIN docs d ON d.rowid = fts.rowid
                     WHERE fts MATCH ?1 AND (?2 IS NULL OR d.unit = ?2) AND (?3 IS NULL OR d.year = ?3)",
                )?
                .query_row(params![recall, query.unit, query.year], |r| r.get(0))?
        } else {
            self.conn
                .prepare_cached("SELECT count(*) FROM fts WHERE fts MATCH ?1")?
                .query_row([&recall], |r| r.get(0))?
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.name, d.content, d.benchmark FROM fts JOIN docs d ON d.rowid = fts.rowid
             WHERE fts MATCH ?1 AND (?3 IS NULL OR d.unit = ?3) AND (?4 IS NULL OR d.year = ?4)
             ORDER BY bm25(fts, 90.0, 30.0, 1.0, 1.0, 1.0, 1.0) LIMIT ?2",
        )?;
        let terms: Vec<String> = q
            .split_whitespace()
            .map(|t| fold_text(t).into_iter().collect())
            .collect();
        let mut ids = Vec::new();
        let mut rows = stmt.query(params![expr, LIMIT as i64, query.unit, query.year])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let name: String = row.get(1)?;
            let content: String = row.get(2)?;
            let benchmark: String = row.get(3)?;
            let s = best_snippet(
                &[
                    (HitField::Title, &name),
                    (HitField::Content, &content),
                    (HitField::Benchmark, &benchmark),
                ],
                &terms,
            );
            std::hint::black_box(s);
            ids.push(id);
        }
        Ok((total as usize, ids))
    }
}

// ---------------------------------------------------------------------------------------

fn time_queries(
    queries: &[Query],
    repeat: usize,
    mut run: impl FnMut(&Query) -> usize,
) -> Vec<Duration> {
    let mut samples = Vec::with_capacity(queries.len() * repeat);
    for _ in 0..repeat {
        for q in queries {
            let t = Instant::now();
            std::hint::black_box(run(q));
            samples.push(t.elapsed());
        }
    }
    samples
}

fn main() {
    let sizes: Vec<usize> = std::env::var("PLANGRAPH_BENCH_SIZES")
        .unwrap_or_else(|_| "1000,20000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let runs: usize = env_or("PLANGRAPH_BENCH_RUNS", 3).max(1);
    let with_sqlite = env_or("PLANGRAPH_BENCH_SQLITE", 1) != 0;
    let repeat: usize = env_or("PLANGRAPH_BENCH_REPEAT", REPEAT).max(1);
    let seg = Segmenter::shared();
    let classes = query_classes();
    for (name, qs) in &classes {
        let shown: Vec<String> = qs.iter().map(Query::shown).collect();
        println!("{name} queries ({}): {}", qs.len(), shown.join(" | "));
    }
    let mut report = Vec::new();
    for &n in &sizes {
        let t = Instant::now();
        let docs = corpus::generate(n, SEED);
        let generated = t.elapsed();
        let (goals, cutting) = goals_of(&docs, &seg);
        drop(docs);
        let bytes = text_bytes(&goals);
        let mb = bytes as f64 / 1e6;
        println!(
            "\n== {n} documents: {} goals, {mb:.1} MB of goal text (generated in {:.1}s; jieba {:.1}s = {:.1} MB/s)",
            goals.len(),
            generated.as_secs_f64(),
            cutting.as_secs_f64(),
            mb / cutting.as_secs_f64()
        );

        let dir = tempfile::tempdir().expect("a temporary directory");
        let t = Instant::now();
        let mut index = TextIndex::open(&dir.path().join("text"), seg.clone()).expect("index");
        for g in &goals {
            index.upsert_goal(&g.node, &g.tokens).expect("upsert");
        }
        index.commit(1).expect("commit");
        let built = t.elapsed();
        let segments = index.num_segments();
        let t = Instant::now();
        index.compact().expect("compact");
        let compacted = t.elapsed();
        let index_size = dir_size(&dir.path().join("text"));
        println!(
            "text index: build {:.1}s = {:.1} MB/s ({segments} segments), compact {:.1}s, {:.0} MB on disk",
            built.as_secs_f64(),
            mb / built.as_secs_f64(),
            compacted.as_secs_f64(),
            index_size as f64 / 1e6
        );

        let sqlite = with_sqlite.then(|| {
            let t = Instant::now();
            let path = dir.path().join("fts.sqlite");
            let s = Sqlite::build(&path, &goals, seg.clone()).expect("sqlite");
            let took = t.elapsed();
            println!(
                "sqlite fts5: build {:.1}s = {:.1} MB/s (with optimize), {:.0} MB on disk",
                took.as_secs_f64(),
                mb / took.as_secs_f64(),
                std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6
            );
            s
        });

        // same matches: the totals of both must agree
        let search = |q: &Query| index.search(&q.request()).expect("search");
        let mut mismatches = 0;
        for (_, qs) in &classes {
            for q in qs {
                let r = search(q);
                if let Some(s) = &sqlite {
                    let (total, _) = s.search(q).expect("sqlite search");
                    if total != r.total {
                        mismatches += 1;
                        println!(
                            "  totals differ for {}: index {} sqlite {total}",
                            q.shown(),
                            r.total
                        );
                    }
                }
            }
        }
        if sqlite.is_some() {
            println!(
                "totals agree on {} of {} queries",
                classes.iter().map(|(_, qs)| qs.len()).sum::<usize>() - mismatches,
                classes.iter().map(|(_, qs)| qs.len()).sum::<usize>()
            );
        }

        for (class, qs) in &classes {
            let matches: Vec<usize> = qs.iter().map(|q| search(q).total).collect();
            let mut sorted = matches.clone();
            sorted.sort_unstable();
            let mut idx_medians = Vec::new();
            let mut idx_p99s = Vec::new();
            let mut sql_medians = Vec::new();
            let mut sql_p99s = Vec::new();
            for run in 0..runs {
                let s = stats(time_queries(qs, repeat, |q| search(q).hits.len()));
                idx_medians.push(ms(s.median));
                idx_p99s.push(ms(s.p99));
                let mut line = format!(
                    "  {class} run {}: index median {:.3} ms p99 {:.3} ms",
                    run + 1,
                    ms(s.median),
                    ms(s.p99)
                );
                if let Some(sq) = &sqlite {
                    let s = stats(time_queries(qs, repeat, |q| {
                        sq.search(q).expect("sqlite search").1.len()
                    }));
                    sql_medians.push(ms(s.median));
                    sql_p99s.push(ms(s.p99));
                    line += &format!(
                        " | sqlite median {:.3} ms p99 {:.3} ms",
                        ms(s.median),
                        ms(s.p99)
                    );
                }
                println!("{line}");
            }
            report.push(format!(
                "| {n} ({} goals) | {class} | {} | {} | {} | {} | {} |",
                goals.len(),
                sorted[sorted.len() / 2],
                summary(&idx_medians),
                summary(&idx_p99s),
                if sql_medians.is_empty() {
                    "–".into()
                } else {
                    summary(&sql_medians)
                },
                if sql_p99s.is_empty() {
                    "–".into()
                } else {
                    summary(&sql_p99s)
                },
            ));
        }
        let distinct: BTreeSet<&str> = goals.iter().map(|g| g.node.id.as_str()).collect();
        assert_eq!(distinct.len(), goals.len(), "goal ids are unique");
    }
    println!("\n| documents | query | median matches | index median ms | index p99 ms | SQLite median ms | SQLite p99 ms |");
    println!("|---|---|---|---|---|---|---|");
    for line in report {
        println!("{line}");
    }
}

fn dir_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}
