//! Other names of a node: apposition `X——Y` (齐鲁前海（青岛）创业投资基金——北方基金),
//! declared short forms `X（以下简称“Y”）`, and the dictionary of abbreviations
//! (`data/aliases.tsv`: 中科院 = 中国科学院, 高企 = 高新技术企业).
//!
//! The canonical name is the full one: the first name of an apposition, the name before a
//! declared short form, the dictionary's first column. A name that starts with a known
//! abbreviation is keyed by its expanded form (中科院海洋大科学研究中心 →
//! 中国科学院海洋大科学研究中心), so both spellings meet at one node; the written form is an alias.

use super::lexicon::Lexicon;
use super::sentences::Sent;
use super::{KnownAlias, Mention};

fn is_dash(c: char) -> bool {
    matches!(c, '—' | '―' | '─' | '-' | '－' | '–')
}

/// Is there an apposition dash (`——`, `--`) at character `e`? Returns where the second
/// name starts.
pub(crate) fn apposition_at(sent: &Sent<'_>, e: usize) -> Option<usize> {
    let c = &sent.chars;
    if e + 2 < c.len() && is_dash(c[e]) && is_dash(c[e + 1]) && !is_dash(c[e + 2]) {
        Some(e + 2)
    } else {
        None
    }
}

/// A declared short form right after a name: `（以下简称“Y”）`, `（简称Y）`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShortForm {
    /// The opening bracket (a name ending here gets the alias).
    pub open: usize,
    /// One past the closing bracket.
    pub close: usize,
    pub alias: String,
}

/// Finds declared short forms and marks their brackets in `taken`.
pub(crate) fn short_forms(sent: &Sent<'_>, taken: &mut [bool]) -> Vec<ShortForm> {
    let mut out = Vec::new();
    for (o, &ch) in sent.chars.iter().enumerate() {
        if !matches!(ch, '（' | '(') || taken[o] {
            continue;
        }
        let Some(c) = sent.pair[o].map(|c| c as usize) else {
            continue;
        };
        let inner = sent.slice(o + 1, c);
        let Some(rest) = ["以下简称", "以下称", "下称", "简称"]
            .iter()
            .find_map(|p| inner.strip_prefix(p))
            .or_else(|| former_name(inner))
        else {
            continue;
        };
        let alias: String = rest
            .trim_start_matches(['：', ':'])
            .chars()
            .filter(|c| !matches!(c, '“' | '”' | '"' | '「' | '」'))
            .collect();
        if alias.is_empty() {
            continue;
        }
        for t in &mut taken[o..=c] {
            *t = true;
        }
        out.push(ShortForm {
            open: o,
            close: c + 1,
            alias,
        });
    }
    out
}

/// The name inside a former-name bracket `（原X）`, `（原名X）`, `（曾用名X）`: a name of two
/// to thirty characters without punctuation (not 原则上…, 原有…, 原来…).
fn former_name(inner: &str) -> Option<&str> {
    let rest = ["原名", "原称", "曾用名", "原"]
        .iter()
        .find_map(|p| inner.strip_prefix(p))?
        .trim_start_matches(['：', ':']);
    let n = rest.chars().count();
    let first = rest.chars().next()?;
    let plain = rest
        .chars()
        .all(|c| !matches!(c, '，' | '。' | '、' | '；' | ',' | ';' | '：' | ' '));
    ((2..=30).contains(&n)
        && plain
        && !matches!(first, '则' | '有' | '来' | '先' | '本' | '始' | '因'))
    .then_some(rest)
}

/// Words between an old name and its new one: `X更名为Y`, `X改名为Y`.
const RENAMED: &[&str] = &["更名为", "改名为", "改称为", "更名", "改名", "改称"];

/// `原X更名为Y`, `X更名为Y`: the old name is an alias of the new name's node (the mention of
/// X is written as Y's node, with X among its aliases).
pub(crate) fn renamed(sent: &Sent<'_>, mentions: &mut [Mention]) {
    for a in 0..mentions.len() {
        if mentions[a].nested {
            continue;
        }
        let end = mentions[a].end;
        let Some(b) = mentions.iter().position(|m| {
            !m.nested
                && m.start > end
                && RENAMED.contains(&sent.slice(end, m.start))
                && m.kind != crate::model::NodeKind::Document
        }) else {
            continue;
        };
        let (old, new) = (mentions[a].clone(), mentions[b].clone());
        if old.kind == crate::model::NodeKind::Document {
            continue;
        }
        {
            let m = &mut mentions[a];
            m.name = new.name.clone();
            m.kind = new.kind;
            m.subtype = new.subtype;
            m.class = new.class;
            m.known = new.known;
            m.parent = None;
        }
        for alias in std::iter::once(&old.written).chain(&old.aliases) {
            for i in [a, b] {
                let m = &mut mentions[i];
                if *alias != m.name && !m.aliases.contains(alias) {
                    m.aliases.push(alias.clone());
                }
            }
        }
    }
}

/// The document's declared names written alone: a mention of exactly that text becomes
/// the declared node; text no name covers becomes a new mention of it. A longer name that
/// holds the text is left alone (蓝海基金管理公司 is not 蓝海基金).
pub(crate) fn read_known(
    sent: &Sent<'_>,
    taken: &[bool],
    known: &[KnownAlias],
    mentions: &mut Vec<Mention>,
) {
    let c = &sent.chars;
    for k in known {
        let pat: Vec<char> = k.alias.chars().collect();
        let n = pat.len();
        if n == 0 || n > c.len() {
            continue;
        }
        let mut s = 0;
        while s + n <= c.len() {
            if c[s..s + n] != pat[..] {
                s += 1;
                continue;
            }
            let e = s + n;
            if taken[s..e].iter().any(|&t| t) {
                s = e;
                continue;
            }
            if let Some(m) = mentions
                .iter_mut()
                .find(|m| !m.nested && m.start == s && m.end == e)
            {
                if m.name != k.name {
                    m.kind = k.kind;
                    m.name = k.name.clone();
                    m.subtype = k.subtype;
                    m.class = false;
                    m.known = None;
                    m.parent = None;
                    if !m.aliases.contains(&k.alias) {
                        m.aliases.push(k.alias.clone());
                    }
                }
            } else if !mentions.iter().any(|m| m.start < e && s < m.end) {
                let mut m = Mention::new(k.kind, &k.alias, s, e);
                m.name = k.name.clone();
                m.subtype = k.subtype;
                m.aliases.push(k.alias.clone());
                mentions.push(m);
            }
            s = e;
        }
    }
}

/// A name written with 原 before it (原X更名为Y): 原 is no part of it, when it is a word
/// of its own.
pub(crate) fn strip_former_mark(sent: &Sent<'_>, mentions: &mut [Mention]) {
    for m in mentions.iter_mut() {
        if m.end >= m.start + 4
            && sent.chars[m.start] == '原'
            && sent.toks[sent.tok_at(m.start)].e == m.start + 1
        {
            m.start += 1;
            m.written = sent.slice(m.start, m.end).to_string();
            m.name = m.written.clone();
        }
    }
}

/// Sets each mention's canonical name and its aliases: known names and names that begin
/// with a known abbreviation are expanded; the written form and the dictionary's other
/// names become aliases.
pub(crate) fn canonicalise(lex: &Lexicon, mentions: &mut [Mention]) {
    for i in 0..mentions.len() {
        let (name, mut extra): (String, Vec<String>) = if let Some(k) = mentions[i].known {
            (
                k.canonical.to_string(),
                lex.aliases_of(k).iter().map(|a| a.to_string()).collect(),
            )
        } else if let Some(p) = mentions[i]
            .parent
            .and_then(|p| mentions[p].known.map(|k| (p, k)))
        {
            let (p, k) = p;
            let written = &mentions[i].written;
            let plen = mentions[p].written.len();
            if written.len() > plen && written.is_char_boundary(plen) {
                (format!("{}{}", k.canonical, &written[plen..]), Vec::new())
            } else {
                (written.clone(), Vec::new())
            }
        } else {
            (mentions[i].written.clone(), Vec::new())
        };
        let m = &mut mentions[i];
        if m.written != name {
            extra.push(m.written.clone());
        }
        for a in extra {
            if a != name && !m.aliases.contains(&a) {
                m.aliases.push(a);
            }
        }
        m.name = name;
    }
}

/// The canonical form of a name: a known name's canonical name, or a name starting with a
/// known abbreviation expanded (the same rule [`canonicalise`] applies to nested names).
pub(crate) fn canonical_name(lex: &Lexicon, name: &str) -> String {
    if let Some(k) = lex.known.get(name) {
        return k.canonical.to_string();
    }
    let ends: Vec<usize> = name.char_indices().map(|(b, _)| b).skip(2).collect();
    for &b in ends.iter().rev() {
        if let Some(k) = lex.known.get(&name[..b]) {
            if !k.class && k.canonical != &name[..b] {
                return format!("{}{}", k.canonical, &name[b..]);
            }
        }
    }
    name.to_string()
}

#[cfg(test)]
mod tests {
    use crate::extract::{analyse, lexicon::Lexicon, sentences::Sent, Segmenter};
    use crate::model::NodeKind;

    /// (kind, canonical name, aliases) of the top-level names of a sentence.
    fn names(text: &str) -> Vec<(NodeKind, String, Vec<String>)> {
        let seg = Segmenter::shared();
        let lex = Lexicon::get();
        let tagged = seg.tag(text);
        let sent = Sent::new(text, &tagged, lex);
        analyse(lex, &sent)
            .mentions
            .into_iter()
            .filter(|m| !m.nested && !m.class)
            .map(|m| (m.kind, m.name, m.aliases))
            .collect()
    }

    #[test]
    fn a_former_name_in_brackets_is_an_alias_and_no_node() {
        let n = names("支持崂山实验室（原青岛海洋科学研究院）建设。");
        assert_eq!(n.len(), 1, "{n:?}");
        assert_eq!(n[0].1, "崂山实验室");
        assert_eq!(n[0].2, vec!["青岛海洋科学研究院".to_string()]);
        let n = names("建设青岛能源研究院（原名青岛新能源研究中心）。");
        assert_eq!(n[0].2, vec!["青岛新能源研究中心".to_string()]);
        // 原则, 原有 are no former names
        for text in [
            "建设青岛能源研究院（原则上不超过3家）。",
            "建设青岛能源研究院（原有基础上）。",
        ] {
            assert!(names(text).iter().all(|m| m.2.is_empty()), "{text}");
        }
    }

    #[test]
    fn renamed_old_names_are_aliases_of_the_new_one() {
        let n = names("原青岛海洋装备研究中心更名为青岛深海装备研究院，推动研究院发展。");
        assert!(n.iter().all(|m| m.1 == "青岛深海装备研究院"), "{n:?}");
        assert!(n
            .iter()
            .any(|m| m.2.contains(&"青岛海洋装备研究中心".to_string())));
        assert!(n.iter().all(|m| !m.1.starts_with('原')));
        let n = names("青岛海洋装备研究中心更名为青岛深海装备研究院。");
        assert!(n.iter().all(|m| m.1 == "青岛深海装备研究院"), "{n:?}");
    }
}
