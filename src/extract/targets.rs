//! Numeric targets: 150家以上, 突破5300家, 增长25%左右, 1-2家, 20余场, 总规模20亿元 … with
//! value (ranges keep low and high), unit, qualifier and the noun they count.

use super::lexicon::Lexicon;
use super::sentences::{Sent, TokClass};

/// A numeric target found in a sentence (character offsets in the sentence).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TargetMention {
    pub raw: String,
    pub start: usize,
    pub end: usize,
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub unit: Option<String>,
    pub qualifier: Option<String>,
    /// The counted noun as written, and its character range.
    pub subject: Option<(String, usize, usize)>,
}

/// Qualifiers before a number, longest first.
const PRE: &[&str] = &[
    "不少于",
    "不低于",
    "总规模",
    "突破",
    "超过",
    "达到",
    "增长",
    "增加",
    "提高",
    "提升",
    "新增",
    "累计",
    "至少",
    "≥",
    "≤",
    "＞",
    "＜",
    ">",
    "<",
    "约",
    "近",
    "达",
];
/// Units, longest first.
const UNITS: &[&str] = &[
    "个百分点",
    "万平方米",
    "平方米",
    "万人次",
    "人次",
    "家次",
    "亿元",
    "万元",
    "千元",
    "万人",
    "千瓦",
    "兆瓦",
    "公里",
    "万",
    "亿",
    "元",
    "%",
    "％",
    "‰",
    "家",
    "个",
    "项",
    "场",
    "次",
    "人",
    "名",
    "所",
    "台",
    "套",
    "件",
    "篇",
    "条",
    "亩",
    "倍",
    "户",
    "支",
    "批",
    "处",
    "座",
    "只",
    "吨",
    "期",
];
/// Qualifiers after a number and its unit.
const POST: &[&str] = &["以上", "左右", "以内", "以下", "多"];
const RANGE: &[char] = &['-', '－', '~', '～', '—', '–', '至', '到'];

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// The word of `words` (longest first) that starts at character `i`, if any.
fn word_at(chars: &[char], i: usize, words: &'static [&'static str]) -> Option<&'static str> {
    words.iter().copied().find(|w| {
        w.chars()
            .enumerate()
            .all(|(k, c)| chars.get(i + k) == Some(&c))
    })
}

/// The word of `words` that ends at character `i` (exclusive), if any.
fn word_before(chars: &[char], i: usize, words: &'static [&'static str]) -> Option<&'static str> {
    words.iter().copied().find(|w| {
        let n = w.chars().count();
        n <= i && w.chars().zip(&chars[i - n..i]).all(|(a, &b)| a == b)
    })
}

/// A number at character `i`: digits with an optional decimal part; returns its end.
fn number_at(chars: &[char], i: usize) -> Option<usize> {
    let mut k = i;
    while k < chars.len() && is_digit(chars[k]) {
        k += 1;
    }
    if k == i {
        return None;
    }
    if k + 1 < chars.len() && matches!(chars[k], '.' | '．') && is_digit(chars[k + 1]) {
        k += 1;
        while k < chars.len() && is_digit(chars[k]) {
            k += 1;
        }
    }
    Some(k)
}

fn text(chars: &[char], s: usize, e: usize) -> String {
    chars[s..e].iter().collect()
}

fn parse_num(s: &str) -> Option<f64> {
    let ascii: String = s
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            c => c,
        })
        .collect();
    ascii.parse().ok()
}

/// Finds the targets of a sentence; `taken` marks characters used by documents.
pub(crate) fn find(lex: &Lexicon, sent: &Sent<'_>, taken: &[bool]) -> Vec<TargetMention> {
    let chars = &sent.chars;
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(chars[i]) || (i > 0 && is_digit(chars[i - 1])) {
            i += 1;
            continue;
        }
        let n1_end = number_at(chars, i).expect("a digit starts here");
        let mut k = n1_end;
        let mut n2 = None;
        if k + 1 < chars.len() && RANGE.contains(&chars[k]) {
            if let Some(e2) = number_at(chars, k + 1) {
                n2 = Some((k + 1, e2));
                k = e2;
            }
        }
        let yu = ["余", "多"]
            .into_iter()
            .find(|w| chars.get(k) == w.chars().next().as_ref());
        if yu.is_some() {
            k += 1;
        }
        let unit = word_at(chars, k, UNITS);
        if let Some(u) = unit {
            k += u.chars().count();
        }
        let post = word_at(chars, k, POST).filter(|p| !(yu.is_some() && *p == "多"));
        if let Some(p) = post {
            k += p.chars().count();
        }
        let pre = word_before(chars, i, PRE);
        let start = i - pre.map_or(0, |p| p.chars().count());
        let end = k;
        let next_i = end.max(i + 1);
        // part of a longer token (v2.0, 3.0版) or an ordinal (第3)
        if i > 0 {
            let p = chars[i - 1];
            if p.is_ascii_alphanumeric() || p == '.' || p == '第' {
                i = next_i;
                continue;
            }
        }
        let next = chars.get(end).copied();
        // years, dates, versions; numbers without a unit or qualifier
        let skip = taken[start..end].iter().any(|&t| t)
            || (unit.is_none()
                && (matches!(
                    next,
                    Some('年' | '月' | '日' | '号' | '届' | '级' | '版' | '期' | '.')
                ) || next.is_some_and(|c| c.is_ascii_alphanumeric())
                    || (pre.is_none() && yu.is_none() && post.is_none())));
        if skip {
            i = next_i;
            continue;
        }
        let Some(v1) = parse_num(&text(chars, i, n1_end)) else {
            i = next_i;
            continue;
        };
        let v2 = n2.and_then(|(a, b)| parse_num(&text(chars, a, b)));
        let qualifiers: Vec<&str> = [pre, yu, post].into_iter().flatten().collect();
        let mut t = TargetMention {
            raw: text(chars, start, end),
            start,
            end,
            value: v1,
            low: v2.map(|_| v1),
            high: v2,
            unit: unit.map(|u| {
                if u == "％" {
                    "%".to_string()
                } else {
                    u.to_string()
                }
            }),
            qualifier: (!qualifiers.is_empty()).then(|| qualifiers.join("…")),
            subject: None,
        };
        t.subject = subject(lex, sent, taken, start, end);
        out.push(t);
        i = next_i;
    }
    out
}

fn noun_tok(t: &super::sentences::Tok<'_>) -> bool {
    t.class == TokClass::Word
}

/// The noun a target counts: the noun phrase right after it (1-2家省级临床医学中心) or
/// right before it (技术创新中心150家以上, 科创沙龙等20余场); for 总数/规模 the object of the
/// clause before (强化高新技术企业培育，争取总数突破5300家).
fn subject(
    lex: &Lexicon,
    sent: &Sent<'_>,
    taken: &[bool],
    s: usize,
    e: usize,
) -> Option<(String, usize, usize)> {
    let toks = &sent.toks;
    // after: 1-2家省级临床医学中心
    if e < sent.len() {
        let mut i = sent.tok_at(e);
        if toks[i].s == e && (noun_tok(&toks[i]) || toks[i].class == TokClass::Level) {
            let st = toks[i].s;
            let mut en = st;
            while i < toks.len()
                && (noun_tok(&toks[i]) || toks[i].class == TokClass::Level)
                && !taken[toks[i].s]
                && !(toks[i].tag == "v" && en > st)
            {
                en = toks[i].e;
                i += 1;
            }
            if en > st {
                return Some((sent.slice(st, en).to_string(), st, en));
            }
        }
    }
    // before
    if s == 0 {
        return None;
    }
    let mut i = sent.tok_at(s - 1);
    if toks[i].word == "等" && i > 0 {
        i -= 1;
    }
    let np = left_np(sent, taken, i)?;
    let text = sent.slice(np.0, np.1);
    if !lex.quantity_word.contains(text) {
        return Some((text.to_string(), np.0, np.1));
    }
    // 总数 → the object of an earlier clause of the sentence
    let mut j = sent.tok_at(np.0);
    while j > 0 {
        j -= 1;
        if sent.is_clause_break(j) {
            let mut k = j;
            while k > 0 {
                k -= 1;
                let t = &toks[k];
                if t.tag.starts_with('v') {
                    continue;
                }
                if t.class == TokClass::Word {
                    break;
                }
                return None;
            }
            let np = left_np(sent, taken, k)?;
            return Some((sent.slice(np.0, np.1).to_string(), np.0, np.1));
        }
    }
    None
}

/// A noun phrase ending with token `i`, grown leftwards like a name.
fn left_np(sent: &Sent<'_>, taken: &[bool], i: usize) -> Option<(usize, usize)> {
    let toks = &sent.toks;
    if !noun_tok(&toks[i]) || taken[toks[i].s] {
        return None;
    }
    let en = toks[i].e;
    let mut st = toks[i].s;
    let mut j = i;
    while j > 0 {
        let t = &toks[j - 1];
        if !noun_tok(t) || taken[t.s] {
            break;
        }
        let clause_initial = j - 1 == 0 || {
            let p = &toks[j - 2];
            p.class != TokClass::Word || p.verbish
        };
        if t.verbish && clause_initial {
            break;
        }
        st = t.s;
        j -= 1;
    }
    Some((st, en))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Segmenter;

    fn targets(text: &str) -> Vec<TargetMention> {
        let seg = Segmenter::shared();
        let lex = Lexicon::get();
        let tagged = seg.tag(text);
        let sent = Sent::new(text, &tagged, lex);
        let taken = vec![false; sent.len()];
        find(lex, &sent, &taken)
    }

    #[test]
    fn values_units_qualifiers() {
        let t = targets("认定建设各级技术创新中心150家以上。");
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].raw, "150家以上");
        assert_eq!(t[0].value, 150.0);
        assert_eq!(t[0].unit.as_deref(), Some("家"));
        assert_eq!(t[0].qualifier.as_deref(), Some("以上"));
        assert_eq!(t[0].subject.as_ref().unwrap().0, "技术创新中心");

        let t = targets("争创1-2家省级临床医学中心。");
        assert_eq!((t[0].low, t[0].high), (Some(1.0), Some(2.0)));
        assert_eq!(t[0].subject.as_ref().unwrap().0, "省级临床医学中心");

        let t = targets("力争营业收入增长25%左右。");
        assert_eq!(t[0].raw, "增长25%左右");
        assert_eq!(t[0].unit.as_deref(), Some("%"));
        assert_eq!(t[0].qualifier.as_deref(), Some("增长…左右"));

        let t = targets("举办科创沙龙等20余场。");
        assert_eq!(t[0].qualifier.as_deref(), Some("余"));
        assert_eq!(t[0].subject.as_ref().unwrap().0, "科创沙龙");

        assert!(targets("制定2021年青岛市方案，3.0版。电话85911339").is_empty());
    }
}
