//! Named institutions, organisations, places and programmes in one sentence.
//!
//! Candidates come from four sources: name suffixes ("anchors": 实验室, 研究院, 支行, 示范区 …)
//! grown leftwards over jieba tokens, known names from the dictionary (中科院), quoted
//! “…” names, and enumerations `A、B、C等…机构`. Overlapping candidates are resolved longest
//! first; a shorter name at the start of a longer one becomes its parent (part_of).
//! Candidates without a distinctive modifier, or marked by a level word, are classes
//! (技术创新中心, 省级临床医学中心) and are not named entities.

use super::aliases::{apposition_at, ShortForm};
use super::lexicon::{flag, pair_key, Anchor, Known, Lexicon};
use super::sentences::{Sent, TokClass};
use super::Mention;
use crate::model::NodeKind;

/// Why growing a name leftwards stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// Punctuation, the sentence start, or text already taken by a document.
    Boundary,
    /// A predicate or function word.
    Word,
    /// A level or quantity word: the name is a class.
    Level,
}

#[derive(Debug, Clone, Copy)]
struct Grow {
    start: usize,
    stop: Stop,
    quote: bool,
    paren: bool,
    dash: bool,
    conj: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Src {
    Anchor(&'static Anchor),
    Known(&'static Known),
    Quote,
    Enum,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Cand {
    pub start: usize,
    pub end: usize,
    /// Where the suffix starts (the modifier is `start..anchor_s`).
    anchor_s: usize,
    /// Where the suffix ends (before a trailing `（地名）`).
    anchor_e: usize,
    pub kind: NodeKind,
    pub subtype: Option<&'static str>,
    src: Src,
    grow: Grow,
    pub named: bool,
    pub class: bool,
    /// Not a name at all (中基协基金: a known name plus a bare suffix).
    void: bool,
}

impl Cand {
    fn len(&self) -> usize {
        self.end - self.start
    }
    fn contains(&self, o: &Cand) -> bool {
        self.start <= o.start && o.end <= self.end && self.len() > o.len()
    }
    fn overlaps(&self, o: &Cand) -> bool {
        self.start < o.end && o.start < self.end
    }
    fn priority(&self) -> u8 {
        match self.src {
            Src::Known(_) => 0,
            Src::Anchor(a) if a.kind != NodeKind::Program => 1,
            Src::Enum => 2,
            Src::Anchor(_) => 3,
            Src::Quote => 4,
        }
    }
    fn anchor(&self) -> Option<&'static Anchor> {
        match self.src {
            Src::Anchor(a) => Some(a),
            _ => None,
        }
    }
}

struct Ctx<'s, 'a> {
    lex: &'static Lexicon,
    sent: &'s Sent<'a>,
    taken: &'s [bool],
}

impl Ctx<'_, '_> {
    fn tok_taken(&self, i: usize) -> bool {
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
        let country = |t: &super::sentences::Tok| {
            t.class == TokClass::Word
                && (t.strong || t.word == "中" || t.flags & flag::COUNTRY_CHAR != 0)
        };
        country(l) && (country(r) || (r.class == TokClass::Word && r.tag == "j"))
    }

    /// Grows a name leftwards from token `first` (included).
    fn grow_left(&self, first: usize, allow_conj: bool, gov: bool) -> Grow {
        let s = self.sent;
        let toks = &s.toks;
        let mut g = Grow {
            start: toks[first].s,
            stop: Stop::Boundary,
            quote: false,
            paren: false,
            dash: false,
            conj: false,
        };
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
                            if (lt.strong || (gov && self.ministry_like(l.start, i, first)))
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
    fn trailing_place(&self, e: usize) -> Option<usize> {
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

    fn anchor_hits(&self) -> Vec<(usize, usize, &'static Anchor)> {
        let s = self.sent;
        let lex = self.lex;
        let mut hits: Vec<(usize, usize, &'static Anchor)> = Vec::new();
        // places whose first word jieba does not tag as a place (即墨|区, 市南区/n): kept
        // only when they stand in a list next to a place
        let mut weak: Vec<(usize, usize, &'static Anchor)> = Vec::new();
        for (ti, t) in s.toks.iter().enumerate() {
            if self.tok_taken(ti) {
                continue;
            }
            if t.class != TokClass::Word {
                // an abbreviation suffix jieba tags as a function word (能源|所/c)
                if t.class == TokClass::Stop && t.e - t.s == 1 {
                    if let Some(a) = lex.anchors.get(t.word).filter(|a| a.abbr) {
                        if let Some(st) = self.abbr_start(ti, t.s) {
                            hits.push((st, t.e, a));
                        }
                    }
                }
                continue;
            }
            // the suffix may end before a word jieba wrote onto it (基金|项目)
            let e = self.suffix_end(ti);
            let last = s.chars[e - 1];
            let maybe = lex.anchor_last1.contains(&last)
                || (e >= 2 && lex.anchor_last2.may_contain(pair_key(s.chars[e - 2], last)));
            if !maybe {
                continue;
            }
            let maxk = lex.max_anchor_chars.min(e);
            for k in (1..=maxk).rev() {
                let st = e - k;
                let Some(a) = lex.anchors.get(s.slice(st, e)) else {
                    continue;
                };
                if self.taken[st] {
                    break;
                }
                let tlen = t.e - t.s;
                if a.ns {
                    if e != t.e {
                        break;
                    }
                    if let Some(ps) = self.place_start(ti) {
                        hits.push((ps, e, a));
                    } else if let Some(ps) = self.weak_place_start(ti) {
                        weak.push((ps, e, a));
                    }
                } else if a.abbr {
                    if let Some(ps) = self.abbr_start(ti, st) {
                        hits.push((ps, e, a));
                    }
                } else if a.token {
                    // 市科技局; a one-character token (市|卫生|健康|委) only after a word,
                    // checked again once the name is grown
                    let after_word = tlen == 1
                        && ti > 0
                        && s.toks[ti - 1].class == TokClass::Word
                        && s.toks[ti - 1].e - s.toks[ti - 1].s >= 2
                        && !s.toks[ti - 1].verbish
                        && !self.tok_taken(ti - 1);
                    let whole = tlen >= 2 && !self.ends_with_false_anchor(ti) && t.tag != "v";
                    if whole || after_word {
                        hits.push((st, e, a));
                    }
                } else if !self.ends_with_false_anchor(ti) {
                    hits.push((st, e, a));
                }
                break;
            }
        }
        self.list_places(&mut hits, weak);
        // an anchor inside a longer one (中心 in 中心支行) is no anchor
        let keep: Vec<bool> = hits
            .iter()
            .map(|&(hs, he, _)| {
                !hits
                    .iter()
                    .any(|&(os, oe, _)| os <= hs && he <= oe && (os, oe) != (hs, he) && oe - os > 1)
            })
            .collect();
        let mut k = keep.into_iter();
        hits.retain(|_| k.next().unwrap_or(true));
        hits
    }

    /// Where a name suffix can end in token `ti`: its end, or before a word jieba joined
    /// to the suffix (基金项目).
    fn suffix_end(&self, ti: usize) -> usize {
        let t = &self.sent.toks[ti];
        let n = t.e - t.s;
        if n >= 4 && self.lex.token_tail.contains(self.sent.slice(t.e - 2, t.e)) {
            t.e - 2
        } else {
            t.e
        }
    }

    /// A place or a known name that can open an abbreviation (青岛|能源所, 中科院|海洋所).
    fn abbr_head(&self, i: usize) -> bool {
        let t = &self.sent.toks[i];
        t.class == TokClass::Word
            && !self.tok_taken(i)
            && t.flags & flag::WEAK_PLACE == 0
            && (t.flags & (flag::PLACE_WORD | flag::KNOWN_NAME) != 0 || t.tag == "ns")
    }

    /// Start of an abbreviated institute name ending in the one-character suffix at `st`
    /// (青岛能源所, 中科院海洋所): a place or known name, a two-character field, the
    /// suffix, then punctuation, 等, a conjunction or the end of the sentence.
    fn abbr_start(&self, ti: usize, st: usize) -> Option<usize> {
        let s = self.sent;
        let toks = &s.toks;
        let t = &toks[ti];
        let after_ok = match toks.get(ti + 1) {
            None => true,
            Some(n) => {
                matches!(n.class, TokClass::Punct(_) | TokClass::Conj)
                    || matches!(n.word, "等" | "及" | "以及")
            }
        };
        if !after_ok || self.ends_with_false_anchor(ti) {
            return None;
        }
        let field_ok = |f: &super::sentences::Tok| {
            f.class == TokClass::Word
                && !f.verbish
                && f.flags & flag::LEVEL == 0
                && s.chars[f.s..f.e]
                    .iter()
                    .all(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        };
        if st == t.s && t.e - t.s == 1 {
            // 青岛|能源|所
            if ti < 2 || self.tok_taken(ti - 1) {
                return None;
            }
            let f = &toks[ti - 1];
            (f.e - f.s == 2 && field_ok(f) && self.abbr_head(ti - 2)).then_some(toks[ti - 2].s)
        } else if st == t.s + 2 && t.e - t.s == 3 {
            // 青岛|海洋所
            (ti >= 1 && field_ok(t) && self.abbr_head(ti - 1)).then_some(toks[ti - 1].s)
        } else {
            None
        }
    }

    /// Does a name suffix or a known name end at character `e`?
    fn ends_name(&self, e: usize) -> bool {
        let s = self.sent;
        let lex = self.lex;
        let max = lex.max_anchor_chars.max(lex.max_known_chars).min(e);
        (1..=max).any(|k| {
            let w = s.slice(e - k, e);
            lex.known.contains_key(w) || lex.anchors.get(w).is_some_and(|a| !a.ns)
        })
    }

    /// Does token `ti` end with a word that only looks like a suffix (空间布局, 内部)?
    fn ends_with_false_anchor(&self, ti: usize) -> bool {
        let t = &self.sent.toks[ti];
        let s = self.sent;
        (2..=3.min(t.e - t.s)).any(|k| self.lex.false_anchor.contains(s.slice(t.e - k, t.e)))
    }

    /// Start of a place named by a one-character suffix: 青岛市 (one ns token) or 即墨/区.
    fn place_start(&self, ti: usize) -> Option<usize> {
        let s = self.sent;
        let lex = self.lex;
        let t = &s.toks[ti];
        let ns_ok = |t: &super::sentences::Tok| {
            (t.tag == "ns"
                || lex
                    .known
                    .get(t.word)
                    .is_some_and(|k| k.kind == NodeKind::Place))
                && !lex.weak_place.contains(t.word)
                && !lex.false_anchor.contains(t.word)
        };
        let n = t.e - t.s;
        if n >= 3 && ns_ok(t) {
            return Some(t.s);
        }
        if n == 1 && ti > 0 {
            let p = &s.toks[ti - 1];
            if p.class == TokClass::Word && p.e - p.s >= 2 && ns_ok(p) && !self.tok_taken(ti - 1) {
                return Some(p.s);
            }
        }
        None
    }

    /// Start of what may be a place although jieba does not tag it as one: a
    /// two-character word and a one-character suffix (即墨/v 区), or a three-character
    /// token (市南区/n). Only kept in a list next to a place ([`Ctx::list_places`]).
    fn weak_place_start(&self, ti: usize) -> Option<usize> {
        let s = self.sent;
        let t = &s.toks[ti];
        let lex = self.lex;
        let han = |a: usize, b: usize| {
            s.chars[a..b]
                .iter()
                .all(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        };
        let plain = |t: &super::sentences::Tok| {
            t.class == TokClass::Word
                && t.flags & flag::WEAK_PLACE == 0
                && !lex.false_anchor.contains(t.word)
        };
        match t.e - t.s {
            1 if ti > 0 => {
                let p = &s.toks[ti - 1];
                (plain(p) && p.e - p.s == 2 && han(p.s, p.e) && !self.tok_taken(ti - 1))
                    .then_some(p.s)
            }
            3 => (plain(t) && han(t.s, t.e)).then_some(t.s),
            _ => None,
        }
    }

    /// Keeps the weak places that stand in a 、 list next to a place (西海岸新区、即墨区、
    /// 胶州市), repeatedly, so that a run of them next to one place is kept.
    fn list_places(
        &self,
        hits: &mut Vec<(usize, usize, &'static Anchor)>,
        mut weak: Vec<(usize, usize, &'static Anchor)>,
    ) {
        let s = self.sent;
        let toks = &s.toks;
        let place_ends = |hits: &[(usize, usize, &'static Anchor)], e: usize| {
            hits.iter()
                .any(|&(_, he, a)| he == e && a.kind == NodeKind::Place)
        };
        // a place in the list item that starts at character `b`
        let place_in = |hits: &[(usize, usize, &'static Anchor)], b: usize, e: usize| {
            hits.iter()
                .any(|&(hs, he, a)| b <= hs && he <= e && a.kind == NodeKind::Place)
        };
        // the end of the list item that starts at character `b`
        let item_end = |b: usize| {
            let mut i = s.tok_at(b);
            let mut e = b;
            while i < toks.len() && toks[i].class == TokClass::Word && !self.tok_taken(i) {
                e = toks[i].e;
                i += 1;
            }
            e
        };
        loop {
            let before = weak.len();
            weak.retain(|&(ws, we, a)| {
                let prev = ws >= 2 && s.chars[ws - 1] == '、' && place_ends(hits, ws - 1);
                let next = we + 1 < s.len()
                    && s.chars[we] == '、'
                    && place_in(hits, we + 1, item_end(we + 1));
                if prev || next {
                    hits.push((ws, we, a));
                    false
                } else {
                    true
                }
            });
            if weak.is_empty() || weak.len() == before {
                break;
            }
        }
    }

    fn anchor_cands(&self, out: &mut Vec<Cand>) -> Vec<(usize, usize, &'static Anchor)> {
        let s = self.sent;
        let hits = self.anchor_hits();
        for &(hs, he, a) in &hits {
            // a city or district right before a noun modifies it (青岛市职工…): not a
            // place of its own, unless the noun is a verbal one that ends the clause
            // (崂山区建设。)
            if a.ns && he < s.len() {
                let ni = s.tok_at(he);
                let n = &s.toks[ni];
                let predicate = n.tag == "vn"
                    && (ni + 1 == s.toks.len()
                        || s.is_clause_break(ni + 1)
                        || matches!(s.toks[ni + 1].class, TokClass::Punct('、' | '。')));
                if n.class == TokClass::Word && !n.verbish && !self.taken[n.s] && !predicate {
                    continue;
                }
            }
            let (start, grow) = if a.fixed() {
                (
                    hs,
                    Grow {
                        start: hs,
                        stop: Stop::Boundary,
                        quote: false,
                        paren: false,
                        dash: false,
                        conj: false,
                    },
                )
            } else {
                let g = self.grow_left(s.tok_at(hs), true, a.gov);
                (g.start, g)
            };
            let end = if a.kind == NodeKind::Program || a.fixed() {
                he
            } else {
                self.trailing_place(he).unwrap_or(he)
            };
            out.push(Cand {
                start,
                end,
                anchor_s: if a.fixed() { he - 1 } else { hs },
                anchor_e: he,
                kind: a.kind,
                subtype: a.subtype,
                src: Src::Anchor(a),
                grow,
                named: false,
                class: false,
                void: false,
            });
        }
        hits
    }

    fn known_cands(&self, out: &mut Vec<Cand>) {
        let s = self.sent;
        let toks = &s.toks;
        for i in 0..toks.len() {
            if toks[i].class != TokClass::Word
                || self.tok_taken(i)
                || toks[i].s + 1 >= s.len()
                || !self
                    .lex
                    .known_first2
                    .may_contain(pair_key(s.chars[toks[i].s], s.chars[toks[i].s + 1]))
            {
                continue;
            }
            let mut best = None;
            for k in i..toks.len().min(i + 4) {
                if toks[k].class != TokClass::Word || self.tok_taken(k) {
                    break;
                }
                if toks[k].e - toks[i].s > self.lex.max_known_chars {
                    break;
                }
                if let Some(kn) = self.lex.known.get(s.slice(toks[i].s, toks[k].e)) {
                    best = Some((toks[k].e, kn));
                }
            }
            // a known name at the start of a longer token (中国科学院|自动化研究所)
            if best.is_none() {
                let t = &toks[i];
                let n = t.e - t.s;
                for k in (2..n.min(self.lex.max_known_chars + 1)).rev() {
                    if let Some(kn) = self.lex.known.get(s.slice(t.s, t.s + k)) {
                        best = Some((t.s + k, kn));
                        break;
                    }
                }
            }
            if let Some((e, kn)) = best {
                out.push(Cand {
                    start: toks[i].s,
                    end: e,
                    anchor_s: e,
                    anchor_e: e,
                    kind: kn.kind,
                    subtype: None,
                    src: Src::Known(kn),
                    grow: Grow {
                        start: toks[i].s,
                        stop: Stop::Boundary,
                        quote: false,
                        paren: false,
                        dash: false,
                        conj: false,
                    },
                    named: !kn.class,
                    class: kn.class,
                    void: false,
                });
            }
        }
    }

    /// Quoted names “…”: programmes unless a suffix makes them something else.
    fn quote_cands(&self, out: &mut Vec<Cand>) {
        let s = self.sent;
        let mut outer_end = 0;
        for (o, &c) in s.chars.iter().enumerate() {
            if !matches!(c, '“' | '「' | '『' | '"') || self.taken[o] {
                continue;
            }
            let Some(close) = s.pair[o].map(|p| p as usize) else {
                continue;
            };
            // a closing ASCII quote, or one inside another quotation (part of that one)
            if close <= o || o < outer_end {
                continue;
            }
            outer_end = close;
            if close <= o + 2 || close - o > 41 {
                continue;
            }
            out.push(Cand {
                start: o + 1,
                end: close,
                anchor_s: close,
                anchor_e: close,
                kind: NodeKind::Program,
                subtype: Some("campaign"),
                src: Src::Quote,
                grow: Grow {
                    start: o + 1,
                    stop: Stop::Boundary,
                    quote: true,
                    paren: false,
                    dash: false,
                    conj: false,
                },
                named: true,
                class: false,
                void: false,
            });
        }
    }

    /// `A、B、C等科技服务机构`: each listed name without a suffix is an organisation.
    fn enum_cands(&self, out: &mut Vec<Cand>) {
        let s = self.sent;
        let lex = self.lex;
        let toks = &s.toks;
        for i in 1..toks.len() {
            if toks[i].word != "等" || self.tok_taken(i) {
                continue;
            }
            let mut kind = None;
            for t in toks.iter().skip(i + 1).take(4) {
                if t.class != TokClass::Word {
                    break;
                }
                let ends = |set: &super::lexicon::FxSet<&'static str>| {
                    set.contains(t.word) || set.iter().any(|c| t.word.ends_with(c))
                };
                if ends(&lex.org_class) {
                    kind = Some(NodeKind::Organization);
                    break;
                }
                if ends(&lex.inst_class) {
                    kind = Some(NodeKind::Institution);
                    break;
                }
            }
            let Some(kind) = kind else { continue };
            let mut items: Vec<(usize, usize)> = Vec::new();
            let mut j = i; // exclusive right end (token index)
            loop {
                let mut k0 = j;
                while k0 > 0 && toks[k0 - 1].class == TokClass::Word && !self.tok_taken(k0 - 1) {
                    k0 -= 1;
                }
                let verbish = |t: &super::sentences::Tok| t.tag.starts_with('v') || t.verbish;
                // an item between 、 and 、 (or 等) is whole even where jieba reads a verb
                // (特/d 来电/v), if it looks like a name: a proper noun, an unknown word or
                // a single character among its words (成果转化 is none of these)
                let between = k0 > 0 && matches!(toks[k0 - 1].class, TokClass::Punct('、'));
                let name_like = toks[k0..j].iter().any(|t| {
                    t.strong
                        || t.e - t.s == 1
                        || matches!(t.tag, "nz" | "nt" | "nr" | "ns" | "x" | "eng")
                });
                let k = if between && name_like {
                    k0
                } else {
                    let mut k = j;
                    while k > k0 && !verbish(&toks[k - 1]) {
                        k -= 1;
                    }
                    k
                };
                if k == j {
                    break;
                }
                items.push((k, j));
                if k == 0 {
                    break;
                }
                let sep = &toks[k - 1];
                if matches!(sep.class, TokClass::Punct('、')) || sep.class == TokClass::Conj {
                    j = k - 1;
                } else {
                    break;
                }
            }
            if items.len() < 2 {
                continue;
            }
            for (a, b) in items {
                let (st, en) = (toks[a].s, toks[b - 1].e);
                let text = s.slice(st, en);
                let n = en - st;
                if !(2..=10).contains(&n) || lex.generic.contains(text) {
                    continue;
                }
                let ends_with_class = lex
                    .org_class
                    .iter()
                    .chain(lex.inst_class.iter())
                    .any(|c| text.ends_with(c));
                let single_common = b - a == 1
                    && !toks[a].strong
                    && !matches!(toks[a].tag, "nz" | "nt" | "nr" | "ns" | "x" | "eng");
                if ends_with_class || single_common || lex.known.contains_key(text) {
                    continue;
                }
                out.push(Cand {
                    start: st,
                    end: en,
                    anchor_s: en,
                    anchor_e: en,
                    kind,
                    subtype: (kind == NodeKind::Institution).then_some("other"),
                    src: Src::Enum,
                    grow: Grow {
                        start: st,
                        stop: Stop::Boundary,
                        quote: false,
                        paren: false,
                        dash: false,
                        conj: false,
                    },
                    named: true,
                    class: false,
                    void: false,
                });
            }
        }
    }

    /// Decides whether an anchor candidate is a name, a class, or nothing.
    fn decide(&self, c: &mut Cand, hits: &[(usize, usize, &'static Anchor)], knowns: &[Cand]) {
        let Src::Anchor(a) = c.src else { return };
        let s = self.sent;
        let lex = self.lex;
        if c.grow.stop == Stop::Level {
            c.class = true;
            return;
        }
        let (ms, me) = (c.start, c.anchor_s);
        if me <= ms {
            c.class = true;
            return;
        }
        if a.fixed() {
            c.named = true;
            return;
        }
        // a known name plus a bare suffix (中基协基金备案) is not a name of its own
        if a.kind == NodeKind::Institution
            && knowns
                .iter()
                .any(|k| k.start == ms && k.end == me && !k.class)
        {
            c.void = true;
            return;
        }
        // the class test: strip places, 国家/省/市 and level words from the front
        let mut core = ms;
        let mut proper = false;
        let mut ti = s.tok_at(ms);
        while ti < s.toks.len() && s.toks[ti].e <= me {
            let t = &s.toks[ti];
            let place = ((t.tag == "ns" || self.lex.place_word.contains(t.word)) && t.strong)
                || t.word == "中国";
            let level =
                matches!(t.word, "国家" | "省" | "市" | "区" | "县") || t.class == TokClass::Level;
            if !(place || level) || t.s != core {
                break;
            }
            proper |= place;
            core = t.e;
            ti += 1;
        }
        let head = s.slice(core, c.anchor_e);
        // 山东省重点实验室, 国家实验室: classes; 青岛大学, 青岛港集团: names; a government
        // body after a place or 市/省/区/县 is that place's own (市中级人民法院)
        let bare = c.anchor_e - core == a.chars;
        let gov_of_place = a.gov && core > ms;
        if !gov_of_place
            && ((lex.generic.contains(head) && !(bare && proper))
                || lex.generic.contains(s.slice(ms, c.anchor_e)))
        {
            c.class = true;
            return;
        }
        // a body of the city, province or district itself (市疾控中心, 市科学技术协会)
        let first = &s.toks[s.tok_at(ms)];
        if !a.zone
            && !a.strong
            && a.kind != NodeKind::Program
            && first.e == core
            && matches!(first.word, "市" | "省" | "区" | "县")
        {
            c.named = true;
            return;
        }
        if a.gov {
            // a one-character suffix written apart (市|卫生|健康|委) names a body only after
            // a place or 市/省/区/县/国家, inside a name with 和, or in a long name
            let at = &s.toks[s.tok_at(c.anchor_s)];
            // …and a one-character suffix needs two characters before it (领办 is a verb)
            if a.token && c.anchor_e - ms < 3 {
                c.class = true;
                return;
            }
            if a.token && at.e - at.s == 1 {
                let first = &s.toks[s.tok_at(ms)];
                let ok = c.grow.conj
                    || first.strong
                    || matches!(first.word, "市" | "省" | "区" | "县" | "国家")
                    || c.anchor_e - ms >= 5;
                if !ok {
                    c.class = true;
                    return;
                }
            }
            c.named = true;
            return;
        }
        let chained = hits.iter().any(|&(_, he, _)| he > ms && he <= me)
            || knowns
                .iter()
                .any(|k| k.start >= ms && k.end <= me && !k.class);
        let strong_tok = {
            let (mut i, mut any) = (s.tok_at(ms), false);
            while i < s.toks.len() && s.toks[i].s < me {
                let t = &s.toks[i];
                // a locality word names a zone (西海岸新区)
                any |= t.strong || (a.zone && t.tag == "s" && t.class == TokClass::Word);
                i += 1;
            }
            any
        };
        let distinctive = c.grow.quote
            || c.grow.paren
            || c.grow.dash
            || c.grow.conj
            || chained
            || strong_tok
            || c.end > c.anchor_e;
        // a verb inside the modifier (高校院所开放|中试基地) starts a new phrase, unless it
        // is part of the head (创新中心, 联合实验室)
        let mut eff = ms;
        {
            let head_tok = s.tok_at(me.min(s.len() - 1));
            let mut i = s.tok_at(ms);
            while i < s.toks.len() && s.toks[i].e <= me {
                let t = &s.toks[i];
                if t.tag == "v" && i + 1 < head_tok {
                    eff = t.e;
                }
                i += 1;
            }
        }
        let modifier = me - eff;
        c.named = if a.legal {
            modifier >= 2 || distinctive
        } else if a.strong {
            distinctive
        } else if a.kind == NodeKind::Program {
            distinctive || modifier >= 3
        } else {
            distinctive || modifier >= 8
        };
        c.class = !c.named;
    }
}

/// Result for one sentence: the mentions, with the parents of nested names.
pub(crate) struct Found {
    pub mentions: Vec<Mention>,
}

/// Finds the entities of a sentence; `taken` marks characters already used by documents.
pub(crate) fn find(
    lex: &'static Lexicon,
    sent: &Sent<'_>,
    taken: &[bool],
    shorts: &[ShortForm],
) -> Found {
    let ctx = Ctx { lex, sent, taken };
    let mut cands: Vec<Cand> = Vec::new();
    ctx.known_cands(&mut cands);
    let n_known = cands.len();
    let hits = ctx.anchor_cands(&mut cands);
    {
        let (knowns, rest) = cands.split_at_mut(n_known);
        for c in rest.iter_mut() {
            ctx.decide(c, &hits, knowns);
        }
    }
    if cands.is_empty()
        && !sent
            .chars
            .iter()
            .any(|c| matches!(c, '“' | '「' | '『' | '"' | '等'))
    {
        return Found {
            mentions: Vec::new(),
        };
    }
    ctx.quote_cands(&mut cands);
    ctx.enum_cands(&mut cands);
    cands.retain(|c| !c.void);

    // longest first; equal extents by source priority
    let mut order: Vec<usize> = (0..cands.len()).collect();
    order.sort_by_key(|&i| {
        (
            std::cmp::Reverse(cands[i].len()),
            cands[i].priority(),
            cands[i].start,
        )
    });
    let mut kept: Vec<usize> = Vec::new();
    for &i in &order {
        if kept.iter().all(|&k| !cands[k].overlaps(&cands[i])) {
            kept.push(i);
        }
    }
    kept.sort_by_key(|&i| cands[i].start);

    // apposition X——Y: Y is another name of X, not a mention of its own
    let mut appos: Vec<(usize, String)> = Vec::new();
    let mut suppressed: Vec<usize> = Vec::new();
    for &k in &kept {
        let x = cands[k];
        if !x.named || x.kind == NodeKind::Program {
            continue;
        }
        let Some(ys) = apposition_at(sent, x.end) else {
            continue;
        };
        let y = kept.iter().copied().find(|&o| cands[o].start == ys);
        let ye = match y {
            Some(o) => {
                suppressed.push(o);
                cands[o].end
            }
            None => {
                let mut i = sent.tok_at(ys);
                let mut e = ys;
                while i < sent.toks.len()
                    && sent.toks[i].class == TokClass::Word
                    && !sent.toks[i].tag.starts_with('v')
                    && sent.toks[i].e - ys <= 10
                {
                    e = sent.toks[i].e;
                    i += 1;
                }
                e
            }
        };
        if ye >= ys + 2 {
            appos.push((k, sent.slice(ys, ye).to_string()));
        }
    }

    let mut mentions: Vec<Mention> = Vec::new();
    for &k in &kept {
        let c = cands[k];
        if (!c.named && !c.class) || suppressed.contains(&k) {
            continue;
        }
        let known = match c.src {
            Src::Known(kn) => Some(kn),
            _ => None,
        };
        if c.class && known.is_none() {
            continue;
        }
        let idx = mentions.len();
        mentions.push(Mention::new(
            c.kind,
            sent.slice(c.start, c.end),
            c.start,
            c.end,
        ));
        {
            let m = &mut mentions[idx];
            m.subtype = c.subtype;
            m.class = c.class;
            m.known = known;
            for (_, alias) in appos.iter().filter(|(x, _)| *x == k) {
                m.aliases.push(alias.clone());
            }
            for sf in shorts.iter().filter(|sf| sf.open == c.end) {
                m.aliases.push(sf.alias.clone());
            }
        }
        // nested names: a parent at the start; organisations inside programmes
        let inner: Vec<&Cand> = cands
            .iter()
            .filter(|o| c.contains(o) && o.named && !o.class)
            .collect();
        if c.kind == NodeKind::Program {
            for o in inner.iter().filter(|o| o.kind == NodeKind::Organization) {
                if mentions
                    .iter()
                    .any(|m| m.start == o.start && m.end == o.end)
                {
                    continue;
                }
                let mut m = Mention::new(o.kind, sent.slice(o.start, o.end), o.start, o.end);
                m.known = match o.src {
                    Src::Known(kn) => Some(kn),
                    _ => None,
                };
                mentions.push(m);
            }
            continue;
        }
        let child_branch = c.anchor().is_some_and(|a| a.branch);
        let parent = inner
            .iter()
            .filter(|o| {
                o.start == c.start
                    && o.end < c.anchor_s
                    && (sent.toks[sent.tok_at(o.end - 1)].e == o.end
                        || matches!(o.src, Src::Known(_)))
                    && match o.src {
                        Src::Known(_) => true,
                        Src::Anchor(a) => {
                            o.kind == NodeKind::Organization
                                || (a.zone && o.kind == NodeKind::Place)
                                || (child_branch && o.kind == NodeKind::Institution)
                        }
                        _ => false,
                    }
            })
            .max_by_key(|o| o.len());
        if let Some(p) = parent {
            let mut pm = Mention::new(p.kind, sent.slice(p.start, p.end), p.start, p.end);
            pm.subtype = p.subtype;
            pm.nested = true;
            pm.known = match p.src {
                Src::Known(kn) => Some(kn),
                _ => None,
            };
            let pi = mentions.len();
            mentions.push(pm);
            mentions[idx].parent = Some(pi);
        }
    }
    Found { mentions }
}
