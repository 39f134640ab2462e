//! Sentences of a goal's fields, and one sentence prepared for the rules: its characters,
//! its jieba tokens in character offsets, and bracket pairs.

use super::lexicon::{flag, Lexicon};
use super::segment::Token;

pub use crate::model::Field;

/// A sentence's place in its field: byte and character ranges, whitespace trimmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceSpan {
    pub byte_start: usize,
    pub byte_end: usize,
    pub char_start: usize,
    pub char_end: usize,
}

fn is_terminator(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n' | '\r')
}

fn is_closer(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』' | '）' | ')' | '》' | '"')
}

/// Splits `text` into sentences (ending at 。！？； or a line break, with any closing quote
/// that follows), trimmed of whitespace; empty ones are skipped. Together with the
/// whitespace between them they cover the text.
pub fn split(text: &str) -> Vec<SentenceSpan> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None; // first non-space char of the sentence
    let mut last: (usize, usize) = (0, 0); // end (byte, char) of the last non-space char
    let mut it = text.char_indices().enumerate().peekable();
    while let Some((ci, (bi, c))) = it.next() {
        if c.is_whitespace() && c != '\n' && c != '\r' {
            continue;
        }
        if is_terminator(c) {
            if c == '\n' || c == '\r' {
                if let Some((bs, cs)) = start.take() {
                    out.push(SentenceSpan {
                        byte_start: bs,
                        byte_end: last.0,
                        char_start: cs,
                        char_end: last.1,
                    });
                }
                continue;
            }
            if start.is_none() {
                start = Some((bi, ci));
            }
            let mut end = (bi + c.len_utf8(), ci + 1);
            while let Some(&(nci, (nbi, nc))) = it.peek() {
                if is_closer(nc) {
                    end = (nbi + nc.len_utf8(), nci + 1);
                    it.next();
                } else {
                    break;
                }
            }
            let (bs, cs) = start.take().expect("set above");
            out.push(SentenceSpan {
                byte_start: bs,
                byte_end: end.0,
                char_start: cs,
                char_end: end.1,
            });
            continue;
        }
        if start.is_none() {
            start = Some((bi, ci));
        }
        last = (bi + c.len_utf8(), ci + 1);
    }
    if let Some((bs, cs)) = start {
        out.push(SentenceSpan {
            byte_start: bs,
            byte_end: last.0,
            char_start: cs,
            char_end: last.1,
        });
    }
    out
}

/// What a token is to the name rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokClass {
    /// Punctuation or space (a single character token).
    Punct(char),
    /// Contains a digit: a count or a year.
    Digit,
    /// A predicate, adverb or function word (never inside a name).
    Stop,
    /// A level or quantity word (各级, 省级, 一批): what follows is a class.
    Level,
    /// 与 / 和: inside a name (海洋科学与技术) or between two.
    Conj,
    /// Anything else.
    Word,
}

/// A jieba token in character offsets of its sentence.
#[derive(Debug, Clone, Copy)]
pub struct Tok<'a> {
    pub word: &'a str,
    pub tag: &'a str,
    pub s: usize,
    pub e: usize,
    pub class: TokClass,
    /// A place or proper noun that makes a name distinctive.
    pub strong: bool,
    /// Tagged as a verb or adverb, or a listed clause verb: not a name's first word.
    pub verbish: bool,
    /// Which word lists the token is in ([`flag`]).
    pub flags: u16,
}

/// One sentence ready for the rules.
pub struct Sent<'a> {
    pub text: &'a str,
    pub chars: Vec<char>,
    /// Byte offset of each character, plus `text.len()` at the end.
    pub cb: Vec<usize>,
    pub toks: Vec<Tok<'a>>,
    /// Token index of each character.
    pub tok_of: Vec<u32>,
    /// For each bracket or quote character, the index of its partner.
    pub pair: Vec<Option<u32>>,
}

const TAG_FUNCTION: u8 = 1;
const TAG_PROPER: u8 = 2;
const TAG_VERBISH: u8 = 4;
const TAG_X: u8 = 8;

/// What a jieba tag says, as bits: a function word (p c u* y e o r rr rz), a proper noun or
/// place (ns nr nt nrt nrfg eng), a verb or adverb (v vd vg ad d), unknown (x).
fn tag_bits(tag: &str) -> u8 {
    match tag.as_bytes() {
        [b'p'] | [b'c'] | [b'y'] | [b'e'] | [b'o'] | [b'r'] | [b'r', b'r' | b'z'] => TAG_FUNCTION,
        [b'u', ..] => TAG_FUNCTION,
        [b'n', b's' | b'r' | b't'] | [b'n', b'r', b't'] | [b'n', b'r', b'f', b'g'] => TAG_PROPER,
        [b'e', b'n', b'g'] => TAG_PROPER,
        [b'v'] | [b'v', b'd' | b'g'] | [b'a', b'd'] | [b'd'] => TAG_VERBISH,
        [b'x'] => TAG_X,
        _ => 0,
    }
}

fn digitish(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

use crate::model::is_han;

/// Reusable storage for [`Sent`] (one allocation set for many sentences).
#[derive(Debug, Default)]
pub struct SentBuffers {
    chars: Vec<char>,
    cb: Vec<usize>,
    tok_of: Vec<u32>,
    pair: Vec<Option<u32>>,
}

impl<'a> Sent<'a> {
    pub fn new(text: &'a str, tagged: &[Token<'a>], lex: &Lexicon) -> Sent<'a> {
        Sent::with_buffers(text, tagged, 0, lex, &mut SentBuffers::default())
    }

    /// Returns the sentence's storage for the next one.
    pub fn recycle(self, buf: &mut SentBuffers) {
        buf.chars = self.chars;
        buf.cb = self.cb;
        buf.tok_of = self.tok_of;
        buf.pair = self.pair;
    }

    /// A sentence from its tokens, which cover it exactly; their offsets are relative to
    /// a text in which the sentence starts at byte `base`.
    pub fn with_buffers(
        text: &'a str,
        tagged: &[Token<'a>],
        base: usize,
        lex: &Lexicon,
        buf: &mut SentBuffers,
    ) -> Sent<'a> {
        let mut chars = std::mem::take(&mut buf.chars);
        let mut cb = std::mem::take(&mut buf.cb);
        chars.clear();
        cb.clear();
        for (b, c) in text.char_indices() {
            chars.push(c);
            cb.push(b);
        }
        cb.push(text.len());
        let mut toks = Vec::with_capacity(tagged.len());
        let mut tok_of = std::mem::take(&mut buf.tok_of);
        tok_of.clear();
        tok_of.resize(chars.len(), 0);
        let mut ci = 0;
        for t in tagged {
            let s = ci;
            let mut e = ci;
            while cb[e] < t.end - base {
                e += 1;
            }
            let n = e - s;
            for slot in &mut tok_of[s..e] {
                *slot = toks.len() as u32;
            }
            ci = e;
            let first = t.word.chars().next().unwrap_or(' ');
            let punct = n == 1 && !is_han(first) && !first.is_ascii_alphanumeric();
            let flags = if punct { 0 } else { lex.flags(t.word) };
            let tb = tag_bits(t.tag);
            // one pass over the characters: digits? only Han and ASCII letters/digits?
            let (mut digit, mut wordy, mut all_han) = (false, true, true);
            if !punct {
                for c in t.word.chars() {
                    digit |= digitish(c);
                    let han = is_han(c);
                    all_han &= han;
                    wordy &= han || c.is_ascii_alphanumeric();
                }
            }
            let class = if punct {
                TokClass::Punct(first)
            } else if digit {
                TokClass::Digit
            } else if t.word == "与" || t.word == "和" {
                TokClass::Conj
            } else if flags & flag::LEVEL != 0 {
                TokClass::Level
            } else if flags & flag::STOP != 0
                || tb & TAG_FUNCTION != 0
                || (flags == 0 && n == 4 && stop_compound(lex, t.word))
            {
                TokClass::Stop
            } else if !wordy {
                // mixed punctuation runs (`——`, `[`): treat like punctuation
                TokClass::Punct(first)
            } else {
                TokClass::Word
            };
            let strong = class == TokClass::Word
                && flags & flag::WEAK_PLACE == 0
                && (tb & TAG_PROPER != 0
                    || (tb & TAG_X != 0 && n >= 2 && all_han)
                    || flags & (flag::PLACE_WORD | flag::KNOWN_NAME) != 0
                    || t.word == "国家"
                    || t.word == "中国");
            let verbish = tb & TAG_VERBISH != 0 || flags & flag::CLAUSE_VERB != 0;
            toks.push(Tok {
                word: t.word,
                tag: t.tag,
                s,
                e,
                class,
                strong,
                verbish,
                flags,
            });
        }
        let mut pair = std::mem::take(&mut buf.pair);
        pair_brackets_into(&chars, &mut pair);
        Sent {
            text,
            chars,
            cb,
            toks,
            tok_of,
            pair,
        }
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// The text of characters `s..e`.
    pub fn slice(&self, s: usize, e: usize) -> &'a str {
        &self.text[self.cb[s]..self.cb[e]]
    }

    /// Character index of a byte offset (which must fall on a character boundary).
    pub fn char_at_byte(&self, b: usize) -> usize {
        match self.cb.binary_search(&b) {
            Ok(i) => i,
            Err(i) => i,
        }
    }

    /// Token index of the token containing character `c`.
    pub fn tok_at(&self, c: usize) -> usize {
        self.tok_of[c] as usize
    }

    /// Is token `i` a clause boundary (，；：。 …; not 、)?
    pub fn is_clause_break(&self, i: usize) -> bool {
        matches!(
            self.toks[i].class,
            TokClass::Punct('，' | ',' | '；' | ';' | '：' | ':' | '。' | '！' | '？' | '!' | '?')
        )
    }
}

/// A token made of two stop words (积极争取, 全力推进): a stop word itself.
fn stop_compound(lex: &Lexicon, w: &str) -> bool {
    // two two-character words (积极|争取, 全力|推进)
    match w.char_indices().nth(2) {
        Some((b, _)) if w.chars().count() == 4 => {
            lex.stop.contains(&w[..b]) && lex.stop.contains(&w[b..])
        }
        _ => false,
    }
}

#[cfg(test)]
fn pair_brackets(chars: &[char]) -> Vec<Option<u32>> {
    let mut pair = Vec::new();
    pair_brackets_into(chars, &mut pair);
    pair
}

fn pair_brackets_into(chars: &[char], pair: &mut Vec<Option<u32>>) {
    pair.clear();
    pair.resize(chars.len(), None);
    let mut stack: Vec<(char, usize)> = Vec::new();
    let mut ascii_quote: Option<usize> = None;
    for (i, &c) in chars.iter().enumerate() {
        let open_for = match c {
            '）' => Some('（'),
            ')' => Some('('),
            '》' => Some('《'),
            '〉' => Some('〈'),
            '”' => Some('“'),
            '’' => Some('‘'),
            '」' => Some('「'),
            '』' => Some('『'),
            '】' => Some('【'),
            '〕' => Some('〔'),
            _ => None,
        };
        match c {
            '（' | '(' | '《' | '〈' | '“' | '‘' | '「' | '『' | '【' | '〔' => {
                stack.push((c, i))
            }
            '"' => match ascii_quote.take() {
                Some(o) => {
                    pair[o] = Some(i as u32);
                    pair[i] = Some(o as u32);
                }
                None => ascii_quote = Some(i),
            },
            _ => {
                if let Some(open) = open_for {
                    if let Some(pos) = stack.iter().rposition(|&(o, _)| o == open) {
                        let (_, o) = stack[pos];
                        stack.truncate(pos);
                        pair[o] = Some(i as u32);
                        pair[i] = Some(o as u32);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        split(s)
            .iter()
            .map(|sp| &s[sp.byte_start..sp.byte_end])
            .collect()
    }

    #[test]
    fn splits_on_terminators_and_keeps_closing_quotes() {
        assert_eq!(
            texts("  甲。乙“丙。”丁；\n戊  "),
            vec!["甲。", "乙“丙。”", "丁；", "戊"]
        );
        let s = "一。二";
        let sp = split(s);
        assert_eq!((sp[1].char_start, sp[1].char_end), (2, 3));
        assert!(split("   ").is_empty());
    }

    #[test]
    fn brackets_pair_up() {
        let chars: Vec<char> = "《甲〈乙〉》“丙”（丁".chars().collect();
        let p = pair_brackets(&chars);
        assert_eq!(p[0], Some(5));
        assert_eq!(p[2], Some(4));
        assert_eq!(p[6], Some(8));
        assert_eq!(p[9], None);
    }
}
