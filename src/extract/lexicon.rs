//! The extraction rules' vocabulary, read once from the data files under `data/`:
//! name suffixes (`anchors.tsv`), word lists (`words.txt`) and known entities with their
//! abbreviations (`aliases.tsv`). Keys borrow from the bundled text: no copies.

use crate::model::NodeKind;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

pub const ANCHORS: &str = include_str!("data/anchors.tsv");
pub const WORDS: &str = include_str!("data/words.txt");
pub const ALIASES: &str = include_str!("data/aliases.tsv");

/// Maps and sets keyed by short strings of our own data, hashed with FxHash (no hash
/// flooding to fear).
pub type FxBuild = rustc_hash::FxBuildHasher;
pub type FxMap<K, V> = HashMap<K, V, FxBuild>;
pub type FxSet<K> = HashSet<K, FxBuild>;

/// A name suffix and what it makes of the name it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    pub suffix: &'static str,
    pub chars: usize,
    pub kind: NodeKind,
    pub subtype: Option<&'static str>,
    /// A government body: named by its function (科技部, 市财政局).
    pub gov: bool,
    /// A branch of the name before it (…青岛分行): that name is its parent.
    pub branch: bool,
    /// A one-character place suffix (市, 区, 县 …) valid only after a place word.
    pub ns: bool,
    /// Must end a token of two or more characters that is not a false anchor (布局, 内部).
    pub token: bool,
    /// Needs a distinctive modifier (a place, a proper noun, a quotation), however long.
    pub strong: bool,
    /// A development zone: may be the parent of a name inside it.
    pub zone: bool,
    /// A legal form (…有限公司): what it ends is a registered name.
    pub legal: bool,
    /// An abbreviation suffix (…所): only after a place or known name and a short field.
    pub abbr: bool,
}

impl Anchor {
    /// Its name starts where the rule that found it says (a place word, an abbreviation's
    /// place); it is not grown leftwards.
    pub fn fixed(&self) -> bool {
        self.ns || self.abbr
    }
}

/// Bits of [`Lexicon::flags`]: which word lists a word is in (one lookup per token).
pub mod flag {
    pub const STOP: u16 = 1;
    pub const LEVEL: u16 = 2;
    pub const CLAUSE_VERB: u16 = 4;
    pub const WEAK_PLACE: u16 = 8;
    pub const PLACE_WORD: u16 = 16;
    /// A known name that is not a class.
    pub const KNOWN_NAME: u16 = 32;
    pub const COUNTRY_CHAR: u16 = 64;
    pub const ISSUE: u16 = 128;
    pub const ACTION: u16 = 256;
}

/// Two characters packed into one key (for the cheap pre-checks).
pub fn pair_key(a: char, b: char) -> u64 {
    ((a as u64) << 32) | b as u64
}

/// A known entity (from `aliases.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    pub canonical: &'static str,
    pub kind: NodeKind,
    /// A class of things (高新技术企业), not one named entity.
    pub class: bool,
    /// Line index in `aliases.tsv`, to list a canonical name's aliases.
    pub entry: usize,
}

pub struct Lexicon {
    pub anchors: FxMap<&'static str, Anchor>,
    pub max_anchor_chars: usize,
    pub stop: FxSet<&'static str>,
    pub clause_verb: FxSet<&'static str>,
    pub level: FxSet<&'static str>,
    pub generic: FxSet<&'static str>,
    pub weak_place: FxSet<&'static str>,
    pub false_anchor: FxSet<&'static str>,
    pub issue: FxSet<&'static str>,
    pub action: FxSet<&'static str>,
    pub doc_suffix: FxSet<&'static str>,
    pub max_doc_suffix_chars: usize,
    /// Words jieba writes onto the end of a name suffix (基金项目).
    pub token_tail: FxSet<&'static str>,
    pub org_class: FxSet<&'static str>,
    pub inst_class: FxSet<&'static str>,
    pub program_class: FxSet<&'static str>,
    pub quantity_word: FxSet<&'static str>,
    pub region: FxSet<&'static str>,
    pub place_word: FxSet<&'static str>,
    pub country_char: FxSet<&'static str>,
    /// Canonical names and aliases → the known entity.
    pub known: FxMap<&'static str, Known>,
    /// Per `aliases.tsv` entry: its aliases.
    pub known_aliases: Vec<Vec<&'static str>>,
    pub max_known_chars: usize,
    /// Word → [`flag`] bits.
    pub word_flags: FxMap<&'static str, u16>,
    /// One-character anchors, and the last two characters of longer ones.
    pub anchor_last1: FxSet<char>,
    pub anchor_last2: Bloom,
    /// The first two characters of known names.
    pub known_first2: Bloom,
}

/// A one-hash Bloom filter over character pairs: a cheap "certainly not" before a lookup.
pub struct Bloom(Vec<u64>);

impl Bloom {
    const BITS: u64 = 1 << 14;

    fn slot(key: u64) -> u64 {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) % Self::BITS
    }

    fn new(keys: impl Iterator<Item = u64>) -> Bloom {
        let mut v = vec![0u64; (Self::BITS / 64) as usize];
        for k in keys {
            let s = Self::slot(k);
            v[(s / 64) as usize] |= 1 << (s % 64);
        }
        Bloom(v)
    }

    /// False: the key is certainly absent; true: it may be present.
    pub fn may_contain(&self, key: u64) -> bool {
        let s = Self::slot(key);
        self.0[(s / 64) as usize] & (1 << (s % 64)) != 0
    }
}

fn parse_kind(s: &str) -> NodeKind {
    s.parse::<NodeKind>()
        .unwrap_or_else(|e| panic!("bundled extraction data: {e}"))
}

fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
}

impl Lexicon {
    /// The process-wide lexicon (parsed on first use).
    pub fn get() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(Lexicon::parse)
    }

    fn parse() -> Lexicon {
        let mut anchors = FxMap::default();
        let mut max_anchor_chars = 0;
        for line in data_lines(ANCHORS) {
            let cols: Vec<&'static str> = line.split('\t').collect();
            assert!(
                cols.len() == 4,
                "anchors.tsv: four columns expected in `{line}`"
            );
            let flags: Vec<&str> = cols[3].split(',').map(str::trim).collect();
            let has = |f: &str| flags.contains(&f);
            let a = Anchor {
                suffix: cols[0],
                chars: cols[0].chars().count(),
                kind: parse_kind(cols[1]),
                subtype: (cols[2] != "-").then_some(cols[2]),
                gov: has("gov"),
                branch: has("branch"),
                ns: has("ns"),
                token: has("token"),
                strong: has("strong"),
                zone: has("zone"),
                legal: has("legal"),
                abbr: has("abbr"),
            };
            max_anchor_chars = max_anchor_chars.max(a.chars);
            anchors.insert(a.suffix, a);
        }

        let mut sections: FxMap<&'static str, FxSet<&'static str>> = FxMap::default();
        let mut current: Option<&'static str> = None;
        for line in data_lines(WORDS) {
            let w = line.trim();
            if let Some(name) = w.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
                current = Some(name);
                sections.entry(name).or_default();
            } else {
                let sec = current.expect("words.txt: a word before the first [section]");
                sections.entry(sec).or_default().insert(w);
            }
        }
        let mut take = |name: &str| sections.remove(name).unwrap_or_default();

        let doc_suffix = take("doc_suffix");
        let max_doc_suffix_chars = doc_suffix
            .iter()
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(0);

        let mut known = FxMap::default();
        let mut known_aliases = Vec::new();
        let mut max_known_chars = 0;
        for (entry, line) in data_lines(ALIASES).enumerate() {
            let cols: Vec<&'static str> = line.split('\t').collect();
            assert!(
                cols.len() == 3,
                "aliases.tsv: three columns expected in `{line}`"
            );
            let (kind, class) = match cols[1].split_once(':') {
                Some((k, "class")) => (parse_kind(k), true),
                Some((_, other)) => panic!("aliases.tsv: unknown flag `{other}`"),
                None => (parse_kind(cols[1]), false),
            };
            let k = Known {
                canonical: cols[0],
                kind,
                class,
                entry,
            };
            let aliases: Vec<&'static str> = if cols[2] == "-" {
                Vec::new()
            } else {
                cols[2].split(',').map(str::trim).collect()
            };
            for name in std::iter::once(cols[0]).chain(aliases.iter().copied()) {
                max_known_chars = max_known_chars.max(name.chars().count());
                known.insert(name, k);
            }
            known_aliases.push(aliases);
        }

        let stop = take("stop");
        let level = take("level");
        let clause_verb = take("clause_verb");
        let weak_place = take("weak_place");
        let place_word = take("place_word");
        let country_char = take("country_char");
        let issue = take("issue");
        let action = take("action");
        let mut word_flags: FxMap<&'static str, u16> = FxMap::default();
        for (set, bit) in [
            (&stop, flag::STOP),
            (&level, flag::LEVEL),
            (&clause_verb, flag::CLAUSE_VERB),
            (&weak_place, flag::WEAK_PLACE),
            (&place_word, flag::PLACE_WORD),
            (&country_char, flag::COUNTRY_CHAR),
            (&issue, flag::ISSUE),
            (&action, flag::ACTION),
        ] {
            for w in set.iter() {
                *word_flags.entry(w).or_default() |= bit;
            }
        }
        for (name, k) in &known {
            if !k.class {
                *word_flags.entry(name).or_default() |= flag::KNOWN_NAME;
            }
        }
        let mut anchor_last1 = FxSet::default();
        let mut anchor_last2 = Vec::new();
        for a in anchors.keys() {
            let cs: Vec<char> = a.chars().collect();
            match cs.len() {
                0 => {}
                1 => {
                    anchor_last1.insert(cs[0]);
                }
                n => {
                    anchor_last2.push(pair_key(cs[n - 2], cs[n - 1]));
                }
            }
        }
        let known_first2 = Bloom::new(known.keys().filter_map(|a: &&str| {
            let mut it = a.chars();
            Some(pair_key(it.next()?, it.next()?))
        }));
        let anchor_last2 = Bloom::new(anchor_last2.into_iter());

        Lexicon {
            anchors,
            max_anchor_chars,
            stop,
            clause_verb,
            level,
            generic: take("generic"),
            weak_place,
            false_anchor: take("false_anchor"),
            issue,
            action,
            doc_suffix,
            max_doc_suffix_chars,
            token_tail: take("token_tail"),
            org_class: take("org_class"),
            inst_class: take("inst_class"),
            program_class: take("program_class"),
            quantity_word: take("quantity_word"),
            region: take("region"),
            place_word,
            country_char,
            known,
            known_aliases,
            max_known_chars,
            word_flags,
            anchor_last1,
            anchor_last2,
            known_first2,
        }
    }

    /// The [`flag`] bits of a word.
    pub fn flags(&self, w: &str) -> u16 {
        self.word_flags.get(w).copied().unwrap_or(0)
    }

    /// The aliases of a known entity (not including its canonical name).
    pub fn aliases_of(&self, k: &Known) -> &[&'static str] {
        &self.known_aliases[k.entry]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_parse() {
        let lex = Lexicon::get();
        assert_eq!(lex.anchors["实验室"].kind, NodeKind::Institution);
        assert!(lex.anchors["支行"].branch);
        assert!(lex.stop.contains("推动"));
        assert!(lex.level.contains("各级"));
        assert_eq!(lex.known["中科院"].canonical, "中国科学院");
        assert!(lex.known["高企"].class);
        assert!(lex.issue.contains("出台"));
        assert!(lex.doc_suffix.contains("管理办法"));
    }

    #[test]
    fn every_alias_is_a_segmenter_word() {
        let seg = crate::extract::Segmenter::new();
        let lex = Lexicon::get();
        for alias in lex.known.keys().filter(|n| lex.known[*n].canonical != **n) {
            assert_eq!(seg.cut(alias).len(), 1, "alias {alias} must be one token");
        }
    }
}
