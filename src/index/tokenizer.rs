//! The two analyses the index uses, one rule each for indexing and querying:
//!
//! - **words**: jieba words (the extraction's own cut, reused through
//!   [`PreTokenizedString`]s), folded with [`fold_char`]; tokens without a letter or digit
//!   (punctuation, spaces) are dropped but keep their position, so a phrase never matches
//!   across punctuation.
//! - **n-grams**: every character's unigram and the bigram starting at it, at the same
//!   position, folded and with whitespace removed. A query of length 1 is one unigram, of
//!   length 2 one bigram, and longer queries are a phrase of overlapping bigrams, so any
//!   substring of a text finds it, whatever jieba made of the text.
//!
//! Both are also registered as tantivy tokenizers ([`register_tokenizers`]) under fixed
//! names, since tantivy records only a tokenizer's name in the schema.

use crate::extract::Segmenter;
use crate::model::normalize_char;
use std::sync::Arc;
use tantivy::tokenizer::{PreTokenizedString, TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::Index;

/// Name of the jieba word tokenizer in every plangraph index.
pub const JIEBA_TOKENIZER: &str = "plangraph_jieba";
/// Name of the character unigram+bigram tokenizer in every plangraph index.
pub const NGRAM_TOKENIZER: &str = "plangraph_ngram";

/// The one character folding of the index: [`normalize_char`] (full-width to half-width,
/// bracket, dash and quote variants) and ASCII lowercase.
pub fn fold_char(c: char) -> char {
    normalize_char(c).to_ascii_lowercase()
}

/// Folded characters of `text` with whitespace removed: what n-grams are made of.
pub fn fold_text(text: &str) -> Vec<char> {
    text.chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The index form of one jieba word, or `None` for a word without a letter or digit.
pub fn word_term(word: &str) -> Option<String> {
    if !word.chars().any(char::is_alphanumeric) {
        return None;
    }
    Some(
        word.chars()
            .map(fold_char)
            .filter(|c| !c.is_whitespace())
            .collect(),
    )
}

/// Register both tokenizers on `index`. Called on every open and create.
pub fn register_tokenizers(index: &Index, seg: &Arc<Segmenter>) {
    let manager = index.tokenizers();
    manager.register(JIEBA_TOKENIZER, JiebaTokenizer { seg: seg.clone() });
    manager.register(NGRAM_TOKENIZER, NgramTokenizer);
}

/// A text analyzer for the n-gram tokenizer (tests and tools).
pub fn ngram_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(NgramTokenizer)
}

/// `ranges` (byte ranges of jieba words of `text`, as [`Segmenter::cut`] returns them) as
/// a pre-tokenized value for a words field. Ranges that do not fit the text (out of
/// bounds, off a character boundary, overlapping) are not trusted: the text is cut again.
pub fn pretokenized(seg: &Segmenter, text: &str, ranges: &[(usize, usize)]) -> PreTokenizedString {
    let valid = !ranges.is_empty() || text.is_empty();
    let valid = valid
        && ranges
            .iter()
            .try_fold(0usize, |prev_end, &(s, e)| {
                (s >= prev_end
                    && s < e
                    && e <= text.len()
                    && text.is_char_boundary(s)
                    && text.is_char_boundary(e))
                .then_some(e)
            })
            .is_some();
    let recut;
    let ranges = if valid {
        ranges
    } else {
        recut = seg.cut(text);
        &recut[..]
    };
    let tokens = ranges
        .iter()
        .enumerate()
        .filter_map(|(position, &(s, e))| {
            word_term(&text[s..e]).map(|t| Token {
                offset_from: s,
                offset_to: e,
                position,
                text: t,
                position_length: 1,
            })
        })
        .collect();
    PreTokenizedString {
        text: text.to_string(),
        tokens,
    }
}

/// Jieba words of a text, the same cut as extraction.
#[derive(Clone)]
pub struct JiebaTokenizer {
    seg: Arc<Segmenter>,
}

impl JiebaTokenizer {
    pub fn new(seg: Arc<Segmenter>) -> JiebaTokenizer {
        JiebaTokenizer { seg }
    }
}

/// A stream over tokens computed up front.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let tokens = pretokenized(&self.seg, text, &self.seg.cut(text)).tokens;
        VecTokenStream { tokens, next: 0 }
    }
}

/// Character unigrams and bigrams, each bigram at the position of its first character.
#[derive(Clone, Copy, Default)]
pub struct NgramTokenizer;

/// The n-gram stream of one text.
pub struct NgramTokenStream {
    /// (byte start, byte end, folded char) of each non-whitespace character.
    chars: Vec<(usize, usize, char)>,
    /// Index of the character of the current token.
    index: usize,
    /// Whether the current token is the bigram at `index` (else the unigram).
    bigram: bool,
    started: bool,
    token: Token,
}

impl Tokenizer for NgramTokenizer {
    type TokenStream<'a> = NgramTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> NgramTokenStream {
        let chars = text
            .char_indices()
            .map(|(i, c)| (i, i + c.len_utf8(), fold_char(c)))
            .filter(|&(_, _, c)| !c.is_whitespace())
            .collect();
        NgramTokenStream {
            chars,
            index: 0,
            bigram: false,
            started: false,
            token: Token::default(),
        }
    }
}

impl TokenStream for NgramTokenStream {
    fn advance(&mut self) -> bool {
        if !self.started {
            self.started = true;
        } else if !self.bigram && self.index + 1 < self.chars.len() {
            self.bigram = true;
        } else {
            self.index += 1;
            self.bigram = false;
        }
        if self.index >= self.chars.len() {
            return false;
        }
        let (start, end, c) = self.chars[self.index];
        let t = &mut self.token;
        t.text.clear();
        t.text.push(c);
        t.offset_from = start;
        t.offset_to = end;
        t.position = self.index;
        t.position_length = 1;
        if self.bigram {
            let (_, end2, c2) = self.chars[self.index + 1];
            t.text.push(c2);
            t.offset_to = end2;
        }
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The n-gram terms a query string needs, with their positions relative to its start:
/// one unigram for one character, one bigram for two, overlapping bigrams beyond.
pub fn query_ngrams(chars: &[char]) -> Vec<(usize, String)> {
    match chars.len() {
        0 => Vec::new(),
        1 => vec![(0, chars[0].to_string())],
        n => (0..n - 1)
            .map(|i| (i, chars[i..i + 2].iter().collect()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ngrams(text: &str) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        let mut stream = NgramTokenizer.token_stream(text);
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.position));
        }
        out
    }

    #[test]
    fn ngrams_are_unigrams_and_bigrams_at_the_same_position() {
        assert_eq!(
            ngrams("新能源"),
            vec![
                ("新".into(), 0),
                ("新能".into(), 0),
                ("能".into(), 1),
                ("能源".into(), 1),
                ("源".into(), 2),
            ]
        );
        assert!(ngrams("").is_empty());
        assert_eq!(ngrams("Ａ"), vec![("a".into(), 0)]);
        // whitespace is dropped, not a break
        assert_eq!(ngrams("a b").iter().filter(|t| t.0 == "ab").count(), 1);
    }

    #[test]
    fn query_ngrams_cover_the_string() {
        let q = |s: &str| query_ngrams(&fold_text(s));
        assert_eq!(q("海"), vec![(0, "海".to_string())]);
        assert_eq!(q("海洋"), vec![(0, "海洋".to_string())]);
        assert_eq!(
            q("中医药"),
            vec![(0, "中医".to_string()), (1, "医药".to_string())]
        );
        assert!(q("  ").is_empty());
    }

    #[test]
    fn words_keep_positions_and_drop_punctuation() {
        let seg = Segmenter::shared();
        let text = "强化科技战略规划，高水平编制";
        let pre = pretokenized(&seg, text, &seg.cut(text));
        assert!(pre.tokens.iter().all(|t| t.text != "，"));
        let positions: Vec<usize> = pre.tokens.iter().map(|t| t.position).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            &text[pre.tokens[0].offset_from..pre.tokens[0].offset_to],
            "强化"
        );
        // bad ranges are not trusted
        let bad = pretokenized(&seg, text, &[(0, 1)]);
        assert_eq!(bad.tokens, pre.tokens);
        assert_eq!(pretokenized(&seg, "", &[]).tokens, vec![]);
    }

    #[test]
    fn tokenizers_register_under_fixed_names() {
        let index = Index::create_in_ram(tantivy::schema::Schema::builder().build());
        register_tokenizers(&index, &Segmenter::shared());
        let mut jieba = index.tokenizers().get(JIEBA_TOKENIZER).unwrap();
        let mut stream = jieba.token_stream("青岛新能源山东省实验室");
        let mut words = Vec::new();
        while let Some(t) = stream.next() {
            words.push(t.text.clone());
        }
        assert!(words.contains(&"新能源".to_string()), "{words:?}");
        assert!(index.tokenizers().get(NGRAM_TOKENIZER).is_some());
    }
}
