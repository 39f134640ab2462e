//! The two analyses the index uses, one rule each for indexing and querying:
//!
//! - **words**: jieba words (the extraction's own cut, passed as [`pretokenized`] text so
//!   that no text is cut twice), folded with [`fold_char`]; tokens without a letter or digit
//!   (punctuation, spaces) are dropped but keep their position, so a phrase never matches
//!   across punctuation. Each pair of adjacent words is also a token ([`shingle`]), at the
//!   first word's position, so a two-word query is one term.
//! - **n-grams**: the folded characters of a text, whitespace removed, cut into every
//!   substring of 1, 2, 3 and 4 characters, each at the position of its first character.
//!   A query of up to four characters is then one term, and a longer one a phrase of
//!   overlapping 4-grams, so any substring of a text finds it, whatever jieba made of
//!   the text.
//!
//! The analyses are registered as tantivy tokenizers ([`register_tokenizers`]) under fixed
//! names, since tantivy records only a tokenizer's name in the schema.

use crate::extract::Segmenter;
use crate::model::normalize_char;
use std::sync::Arc;
use tantivy::tokenizer::{PreTokenizedString, TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::Index;

/// Name of the jieba word tokenizer in every plangraph index.
pub const JIEBA_TOKENIZER: &str = "plangraph_jieba";
/// Longest n-gram indexed; longer queries are phrases of n-grams this long.
pub const MAX_GRAM: usize = 4;
/// Names of the n-gram tokenizers in every plangraph index: `(name, shortest, longest)`.
pub const NGRAM_TOKENIZERS: [(&str, usize, usize); MAX_GRAM] = [
    ("plangraph_ngram1", 1, 1),
    ("plangraph_ngram2", 2, 2),
    ("plangraph_ngram3", 3, 3),
    ("plangraph_ngram4", 4, 4),
];
/// Name of the tokenizer of the `names` field: every 1- to 4-gram in one field.
pub const NAME_TOKENIZER: &str = "plangraph_names";
/// Between the two words of a word-pair token.
const SHINGLE_JOINER: char = '\u{1F}';

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

/// The token of two adjacent words.
pub fn shingle(first: &str, second: &str) -> String {
    let mut s = String::with_capacity(first.len() + second.len() + 1);
    s.push_str(first);
    s.push(SHINGLE_JOINER);
    s.push_str(second);
    s
}

/// Register the tokenizers on `index`. Called on every open and create.
pub fn register_tokenizers(index: &Index, seg: &Arc<Segmenter>) {
    let manager = index.tokenizers();
    manager.register(JIEBA_TOKENIZER, JiebaTokenizer { seg: seg.clone() });
    for (name, min, max) in NGRAM_TOKENIZERS {
        manager.register(name, NgramTokenizer::new(min, max));
    }
    manager.register(NAME_TOKENIZER, NgramTokenizer::new(1, MAX_GRAM));
}

/// A text analyzer for n-grams of `min..=max` characters (tests and tools).
pub fn ngram_analyzer(min: usize, max: usize) -> TextAnalyzer {
    TextAnalyzer::from(NgramTokenizer::new(min, max))
}

/// Whether `ranges` are the byte ranges of consecutive, non-empty pieces of `text`.
fn ranges_fit(text: &str, ranges: &[(usize, usize)]) -> bool {
    (!ranges.is_empty() || text.is_empty())
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
            .is_some()
}

/// `text` with its word tokens, for the words field: the extraction's cut (`ranges`, byte
/// ranges of its jieba words as [`Segmenter::cut`] returns them) reaches tantivy as it is,
/// so no text is segmented twice. Ranges that do not fit the text (out of bounds, off a
/// character boundary, overlapping) are not trusted: the text is cut again.
pub fn pretokenized(seg: &Segmenter, text: &str, ranges: &[(usize, usize)]) -> PreTokenizedString {
    let recut;
    let ranges = if ranges_fit(text, ranges) {
        ranges
    } else {
        recut = seg.cut(text);
        &recut[..]
    };
    PreTokenizedString {
        text: text.to_string(),
        tokens: word_tokens(ranges.iter().map(|&(s, e)| (s, e, &text[s..e]))),
    }
}

/// Word tokens of pieces `(byte start, byte end, text)` in order: each piece with a
/// letter or digit at its index as position, and each pair of adjacent kept words.
fn word_tokens<'a>(pieces: impl Iterator<Item = (usize, usize, &'a str)>) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut previous: Option<usize> = None;
    for (position, (s, e, piece)) in pieces.enumerate() {
        let Some(word) = word_term(piece) else {
            previous = None;
            continue;
        };
        if let Some(p) = previous {
            let first: &Token = &tokens[p];
            let pair = Token {
                offset_from: first.offset_from,
                offset_to: e,
                position: first.position,
                text: shingle(&first.text, &word),
                position_length: 2,
            };
            tokens.push(pair);
        }
        previous = Some(tokens.len());
        tokens.push(Token {
            offset_from: s,
            offset_to: e,
            position,
            text: word,
            position_length: 1,
        });
    }
    tokens
}

/// The word tokens of `text`, cut with jieba.
pub fn words_of(seg: &Segmenter, text: &str) -> Vec<Token> {
    word_tokens(seg.cut(text).into_iter().map(|(s, e)| (s, e, &text[s..e])))
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
        VecTokenStream {
            tokens: words_of(&self.seg, text),
            next: 0,
        }
    }
}

/// Character n-grams of `min..=max` characters, each at the position of its first
/// character (shorter first).
#[derive(Clone, Copy)]
pub struct NgramTokenizer {
    min: usize,
    max: usize,
}

impl NgramTokenizer {
    pub fn new(min: usize, max: usize) -> NgramTokenizer {
        assert!(1 <= min && min <= max);
        NgramTokenizer { min, max }
    }
}

/// The n-gram stream of one text.
pub struct NgramTokenStream {
    /// (byte start, byte end, folded char) of each non-whitespace character.
    chars: Vec<(usize, usize, char)>,
    min: usize,
    max: usize,
    /// Start character of the next token, and its length.
    index: usize,
    len: usize,
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
            min: self.min,
            max: self.max,
            index: 0,
            len: self.min,
            token: Token::default(),
        }
    }
}

impl TokenStream for NgramTokenStream {
    fn advance(&mut self) -> bool {
        loop {
            if self.index >= self.chars.len() {
                return false;
            }
            if self.len > self.max || self.index + self.len > self.chars.len() {
                self.index += 1;
                self.len = self.min;
                continue;
            }
            let (start, _, _) = self.chars[self.index];
            let (_, end, _) = self.chars[self.index + self.len - 1];
            let t = &mut self.token;
            t.text.clear();
            t.text.extend(
                self.chars[self.index..self.index + self.len]
                    .iter()
                    .map(|c| c.2),
            );
            t.offset_from = start;
            t.offset_to = end;
            t.position = self.index;
            t.position_length = 1;
            self.len += 1;
            return true;
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The n-gram terms a query string needs, with their positions relative to its start:
/// the string itself when it is at most [`MAX_GRAM`] characters, else its overlapping
/// [`MAX_GRAM`]-grams.
pub fn query_ngrams(chars: &[char]) -> Vec<(usize, String)> {
    if chars.len() <= MAX_GRAM {
        if chars.is_empty() {
            return Vec::new();
        }
        return vec![(0, chars.iter().collect())];
    }
    (0..=chars.len() - MAX_GRAM)
        .map(|i| (i, chars[i..i + MAX_GRAM].iter().collect()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ngrams(text: &str, min: usize, max: usize) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        let mut stream = NgramTokenizer::new(min, max).token_stream(text);
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.position));
        }
        out
    }

    #[test]
    fn ngrams_start_at_each_character() {
        assert_eq!(
            ngrams("新能源", 1, 2),
            vec![
                ("新".into(), 0),
                ("新能".into(), 0),
                ("能".into(), 1),
                ("能源".into(), 1),
                ("源".into(), 2),
            ]
        );
        assert_eq!(ngrams("新能源", 3, 3), vec![("新能源".into(), 0)]);
        assert!(ngrams("新能源", 4, 4).is_empty());
        assert_eq!(ngrams("新能源", 1, 4).len(), 6);
        assert!(ngrams("", 1, 4).is_empty());
        assert_eq!(ngrams("Ａ", 1, 1), vec![("a".into(), 0)]);
        // whitespace is dropped, not a break
        assert_eq!(ngrams("a b", 2, 2), vec![("ab".into(), 0)]);
    }

    #[test]
    fn query_ngrams_cover_the_string() {
        let q = |s: &str| query_ngrams(&fold_text(s));
        assert_eq!(q("海"), vec![(0, "海".to_string())]);
        assert_eq!(q("海洋科技"), vec![(0, "海洋科技".to_string())]);
        assert_eq!(
            q("海洋科技园"),
            vec![(0, "海洋科技".to_string()), (1, "洋科技园".to_string())]
        );
        assert!(q("  ").is_empty());
    }

    #[test]
    fn words_keep_positions_and_drop_punctuation() {
        let seg = Segmenter::shared();
        let text = "强化科技战略规划，高水平编制";
        let pre = pretokenized(&seg, text, &seg.cut(text));
        assert_eq!(pre.text, text);
        let tokens = &pre.tokens;
        assert!(tokens.iter().all(|t| t.text != "，"));
        let words: Vec<&Token> = tokens.iter().filter(|t| t.position_length == 1).collect();
        assert!(words.windows(2).all(|w| w[0].position < w[1].position));
        assert_eq!(&text[words[0].offset_from..words[0].offset_to], "强化");
        // pairs of adjacent words, never across the comma
        let pairs: Vec<&str> = tokens
            .iter()
            .filter(|t| t.position_length == 2)
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(pairs[0], shingle("强化", "科技"));
        assert!(pairs.iter().all(|p| !p.contains('，')));
        assert_eq!(pairs.len(), words.len() - 2);
        // the same tokens as the registered tokenizer makes of the plain text
        let plain = words_of(&seg, text);
        let key = |ts: &[Token]| -> Vec<(usize, usize, usize, String)> {
            ts.iter()
                .map(|t| (t.position, t.offset_from, t.offset_to, t.text.clone()))
                .collect()
        };
        assert_eq!(key(&plain), key(tokens));
        // bad ranges are not trusted
        assert_eq!(pretokenized(&seg, text, &[(0, 1)]), pre);
        assert_eq!(pretokenized(&seg, text, &[]), pre);
        assert!(pretokenized(&seg, "", &[]).tokens.is_empty());
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
        for (name, _, _) in NGRAM_TOKENIZERS {
            assert!(index.tokenizers().get(name).is_some());
        }
    }
}
