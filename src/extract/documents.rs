//! Policy documents: `《…》` titles, and plans named without brackets after a verb of
//! issuing (编制“十四五”科技创新专项规划, 出台…管理办法, 制定…改革方案).

use super::lexicon::{flag, Lexicon};
use super::sentences::{Sent, TokClass};
use super::Mention;
use crate::model::NodeKind;

/// Finds the documents of a sentence and marks their characters (with brackets and a
/// following document number) in `taken`.
pub(crate) fn find(lex: &Lexicon, sent: &Sent<'_>, taken: &mut [bool]) -> Vec<Mention> {
    let mut out = Vec::new();
    bracketed(sent, taken, &mut out);
    unbracketed(lex, sent, taken, &mut out);
    out.sort_by_key(|m| m.start);
    out
}

fn bracketed(sent: &Sent<'_>, taken: &mut [bool], out: &mut Vec<Mention>) {
    let n = sent.len();
    let mut i = 0;
    while i < n {
        if sent.chars[i] != '《' {
            i += 1;
            continue;
        }
        let Some(close) = sent.pair[i].map(|c| c as usize) else {
            i += 1;
            continue;
        };
        if close > i + 1 {
            let mut m = Mention::new(NodeKind::Document, sent.slice(i + 1, close), i + 1, close);
            let mut end = close + 1;
            // a document number in brackets: 《…》（国发〔2022〕18号）
            if end < n && matches!(sent.chars[end], '（' | '(') {
                if let Some(c) = sent.pair[end].map(|c| c as usize) {
                    let inner = sent.slice(end + 1, c);
                    if inner.ends_with('号') && inner.chars().count() <= 24 {
                        m.number = Some(inner.to_string());
                        end = c + 1;
                    }
                }
            }
            for t in &mut taken[i..end] {
                *t = true;
            }
            out.push(m);
        }
        i = close + 1;
    }
}

/// Does `s..e` end with a document suffix and have a name of its own before it (at least
/// two more characters: 海洋科技创新行动方案, not 实施方案 alone)?
fn named_document(lex: &Lexicon, sent: &Sent<'_>, s: usize, e: usize) -> bool {
    let maxk = lex.max_doc_suffix_chars.min(e - s);
    (1..=maxk)
        .rev()
        .find(|&k| lex.doc_suffix.contains(sent.slice(e - k, e)))
        .is_some_and(|k| e - s >= k + 2)
}

fn unbracketed(lex: &Lexicon, sent: &Sent<'_>, taken: &mut [bool], out: &mut Vec<Mention>) {
    let toks = &sent.toks;
    let mut i = 0;
    while i < toks.len() {
        if toks[i].flags & flag::ISSUE == 0 || taken[toks[i].s] {
            i += 1;
            continue;
        }
        // a chain of issuing verbs (修订出台)
        let mut j = i + 1;
        while j < toks.len() && toks[j].flags & flag::ISSUE != 0 {
            j += 1;
        }
        // items separated by 、 up to 等 or the end of the clause
        let mut k = j;
        loop {
            let item_s = k;
            while k < toks.len() {
                let t = &toks[k];
                if taken[t.s] {
                    break;
                }
                match t.class {
                    TokClass::Punct(c) => {
                        if matches!(c, '“' | '（' | '(' | '「') {
                            match sent.pair[t.s] {
                                Some(p) if (p as usize) > t.s => {
                                    k = sent.tok_at(p as usize) + 1;
                                    continue;
                                }
                                _ => break,
                            }
                        }
                        break;
                    }
                    _ if t.word == "等" => break,
                    _ => k += 1,
                }
                if toks[k - 1].e - toks[item_s].s > 40 {
                    break;
                }
            }
            if k > item_s {
                let (s, e) = (toks[item_s].s, toks[k - 1].e);
                if named_document(lex, sent, s, e) {
                    out.push(Mention::new(NodeKind::Document, sent.slice(s, e), s, e));
                    for t in &mut taken[s..e] {
                        *t = true;
                    }
                }
            }
            if k < toks.len() && matches!(toks[k].class, TokClass::Punct('、')) {
                k += 1;
                continue;
            }
            break;
        }
        i = k.max(i + 1);
    }
}
