//! Growing a name leftwards from its suffix over the sentence's tokens, and the token tests
//! it relies on (taken, clause-initial, includable, connecting dashes, 和 in ministries).

use super::{Ctx, Grow, Stop};
use crate::extract::lexicon::flag;
use crate::extract::sentences::TokClass;

impl Ctx<'_, '_> {
    pub(super) fn tok_taken(&self, i: usize) -> bool {
        self.taken[self.sent.toks[i].s]
    }

    /// Would token `i` start a clause: nothing name-like before it?
    fn clause_initial(&self, i: usize) -> bool {
        if i == 0 {
            return true;
        }
        let p = &self.sent.toks[i - 1];
        !matches!(p.class, TokClass::Word) || self.tok_taken(i - 1)
    }

    /// Can token `i` be (the left end of) part of a name?
    fn includable(&self, i: usize) -> bool {
        let t = &self.sent.toks[i];
        t.class == TokClass::Word && !self.tok_taken(i) && !(t.verbish && self.clause_initial(i))
    }

    fn dash_connects(&self, j: usize) -> bool {
        let toks = &self.sent.toks;
        if j == 0 || j + 1 >= toks.len() {
            return false;
        }
        let (l, r) = (&toks[j - 1], &toks[j + 1]);
        let country = |t: &crate::extract::sentences::Tok| {
            t.class == TokClass::Word
                && (t.strong || t.word == "中" || t.flags & flag::COUNTRY_CHAR != 0)
        };
        country(l) && (country(r) || (r.class == TokClass::Word && r.tag == "j"))
    }

    /// Grows a name leftwards from token `first` (included).
    pub(super) fn grow_left(&self, first: usize, allow_conj: bool, gov: bool) -> Grow {
        let s = self.sent;
        let toks = &s.toks;
        let mut g = Grow::at(toks[first].s);
        let mut j = first;
        while j > 0 {
            let i = j - 1;
            let t = &toks[i];
            if self.tok_taken(i) {
                g.stop = Stop::Boundary;
                break;
            }
            match t.class {
                TokClass::Punct(c) => match c {
                    '）' | ')' | '”' | '’' | '」' | '"' => {
                        let Some(o) = s.pair[t.s].map(|o| o as usize) else {
                            break;
                        };
                        let is_quote = !matches!(c, '）' | ')');
                        let limit = if is_quote { 24 } else { 10 };
                        if o >= t.s || t.s - o > limit || self.taken[o] {
                            break;
                        }
                        let ot = s.tok_at(o);
                        if is_quote {
                            // an embedded quotation belongs to the name; one that opens
                            // the name is its left end
                            g.start = o;
                            g.quote = true;
                            if ot == 0 || !self.includable(ot - 1) {
                                g.stop = Stop::Boundary;
                                break;
                            }
                            j = ot;
                        } else {
                            if ot == 0 || !self.includable(ot - 1) {
                                break;
                            }
                            g.start = o;
                            g.paren = true;
                            j = ot;
                        }
                    }
                    '-' | '—' | '－' | '–' | '―' if self.dash_connects(i) => {
                        g.dash = true;
                        j = i;
                    }
                    _ => break,
                },
                TokClass::Digit | TokClass::Level => {
                    g.stop = Stop::Level;
                    break;
                }
                TokClass::Stop => {
                    g.stop = Stop::Word;
                    break;
                }
                TokClass::Conj => {
                    g.stop = Stop::Word;
                    if allow_conj && i > 0 && i + 1 < toks.len() {
                        let r = &toks[i + 1];
                        let r_starts_name = r.strong || matches!(r.word, "市" | "省" | "区" | "县");
                        // the part before 与 must not be a whole name (市科技局与市财政局)
                        let l_is_name = self.ends_name(toks[i - 1].e);
                        if !r_starts_name
                            && !l_is_name
                            && r.class == TokClass::Word
                            && self.includable(i - 1)
                        {
                            let l = self.grow_left(i - 1, false, false);
                            let lt = &toks[s.tok_at(l.start)];
                            // a field pair of two nouns (海洋科学与技术…): the part before
                            // 与 starts with a place word jieba tags but that is weak
                            let field_pair = lt.tag == "ns"
                                && self.lex.weak_place.contains(lt.word)
                                && l.stop != Stop::Level
                                && s.tok_at(l.start) + 2 == i
                                && toks[i - 1].tag == "n"
                                && r.tag == "n";
                            if (lt.strong
                                || field_pair
                                || (gov && self.ministry_like(l.start, i, first)))
                                && l.stop != Stop::Level
                            {
                                g.start = l.start;
                                g.stop = l.stop;
                                g.quote |= l.quote;
                                g.paren |= l.paren;
                                g.dash |= l.dash;
                                g.conj = true;
                            }
                        }
                    }
                    break;
                }
                TokClass::Word => {
                    if t.verbish && self.clause_initial(i) {
                        g.stop = Stop::Word;
                        break;
                    }
                    // 在…中 (a postposition), unlike 中德, 中—泰
                    if t.word == "中"
                        && !toks
                            .get(i + 1)
                            .is_some_and(|r| r.strong || r.flags & flag::COUNTRY_CHAR != 0)
                    {
                        g.stop = Stop::Word;
                        break;
                    }
                    // jieba writes a preposition onto 市/省/区/县 as an unknown word
                    // (由市|大数据局): the name starts after the preposition
                    if t.e - t.s == 2 && t.tag == "x" && preposition_on_place(t.word) {
                        g.start = t.s + 1;
                        g.stop = Stop::Word;
                        break;
                    }
                    g.start = t.s;
                    j = i;
                }
            }
        }
        g
    }

    /// A government body's name with 和 (工业和信息化部, 市文化和旅游局): before the
    /// conjunction at token `conj`, one word of two to four characters (after 市/省/区/县/
    /// 国家) starting at character `start`; after it, at most two words and the suffix
    /// token `suffix`.
    fn ministry_like(&self, start: usize, conj: usize, suffix: usize) -> bool {
        let toks = &self.sent.toks;
        let mut i = self.sent.tok_at(start);
        if matches!(toks[i].word, "市" | "省" | "区" | "县" | "国家") {
            i += 1;
        }
        let w = &toks[i];
        i + 1 == conj && (2..=4).contains(&(w.e - w.s)) && !w.verbish && suffix - conj <= 3
    }

    /// A bracketed place after a name: 山东产业技术研究院（青岛）, 中国石油大学（华东）.
    pub(super) fn trailing_place(&self, e: usize) -> Option<usize> {
        let s = self.sent;
        if e >= s.len() || !matches!(s.chars[e], '（' | '(') {
            return None;
        }
        let c = s.pair[e]? as usize;
        if c <= e + 1 || c - e > 9 {
            return None;
        }
        let (a, b) = (s.tok_at(e + 1), s.tok_at(c - 1));
        if s.toks[a].s != e + 1 || s.toks[b].e != c {
            return None;
        }
        let inner = s.slice(e + 1, c);
        let placey = (a..=b).all(|i| {
            let t = &s.toks[i];
            t.class == TokClass::Word
                && ((matches!(t.tag, "ns" | "s") && !self.lex.weak_place.contains(t.word))
                    || self.lex.region.contains(t.word))
        }) || self.lex.region.contains(inner)
            || (inner.chars().count() >= 2
                && matches!(inner.chars().last(), Some('市' | '省' | '区' | '县')));
        placey.then_some(c + 1)
    }
}

/// A two-character word of a preposition and 市/省/区/县 (由市, 对省, 向区).
fn preposition_on_place(word: &str) -> bool {
    let mut c = word.chars();
    matches!(
        (c.next(), c.next(), c.next()),
        (
            Some('由' | '对' | '向' | '从' | '经' | '把' | '将' | '为' | '被' | '给' | '让'),
            Some('市' | '省' | '区' | '县'),
            None
        )
    )
}
