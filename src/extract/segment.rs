//! Chinese word segmentation, done once per text: jieba-rs with the project dictionary.
//! The extractor reads the tags; the text index reuses the same token offsets.

use jieba_rs::Jieba;
use std::sync::{Arc, OnceLock};

/// The project dictionary (abbreviations, zones, names jieba would break), one
/// `word [freq] [tag]` a line, as jieba's own dictionary format.
pub const PROJECT_DICTIONARY: &str = include_str!("dictionary.txt");

/// A token: its byte range in the text it was cut from, and jieba's part-of-speech tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub word: &'a str,
    pub tag: &'a str,
    pub start: usize,
    pub end: usize,
}

/// jieba-rs plus the project dictionary. Building one costs tens of milliseconds, so the
/// process shares one ([`Segmenter::shared`]).
pub struct Segmenter {
    jieba: Jieba,
}

impl Segmenter {
    pub fn new() -> Segmenter {
        let mut jieba = Jieba::new();
        jieba
            .load_dict(&mut PROJECT_DICTIONARY.as_bytes())
            .expect("the bundled project dictionary is well-formed");
        Segmenter { jieba }
    }

    /// The process-wide segmenter.
    pub fn shared() -> Arc<Segmenter> {
        static SHARED: OnceLock<Arc<Segmenter>> = OnceLock::new();
        SHARED.get_or_init(|| Arc::new(Segmenter::new())).clone()
    }

    /// Tagged tokens covering `text` in order (default mode, HMM on).
    pub fn tag<'a>(&'a self, text: &'a str) -> Vec<Token<'a>> {
        let mut start = 0;
        self.jieba
            .tag(text, true)
            .into_iter()
            .map(|t| {
                let end = start + t.word.len();
                let tok = Token {
                    word: t.word,
                    tag: t.tag,
                    start,
                    end,
                };
                start = end;
                tok
            })
            .collect()
    }

    /// Byte ranges of the words of `text` (the same cut as [`Segmenter::tag`]).
    pub fn cut(&self, text: &str) -> Vec<(usize, usize)> {
        let mut start = 0;
        self.jieba
            .cut(text, true)
            .into_iter()
            .map(|w| {
                let r = (start, start + w.len());
                start = r.1;
                r
            })
            .collect()
    }

    /// The underlying jieba instance (for benchmarks against plain `cut`).
    pub fn jieba(&self) -> &Jieba {
        &self.jieba
    }
}

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter::new()
    }
}
