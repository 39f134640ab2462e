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
use super::Mention;

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
