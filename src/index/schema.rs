//! The index schema, its version, and the commit payload that records both the schema
//! version and the store generation an index is in step with.

use super::tokenizer::{JIEBA_TOKENIZER, MAX_GRAM, NAME_TOKENIZER, NGRAM_TOKENIZERS};
use serde::{Deserialize, Serialize};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, STORED,
    STRING,
};

/// Bumped whenever the schema or an analysis changes: an index of another version is
/// recreated empty on open, and the caller rebuilds it from the store.
pub const SCHEMA_VERSION: u32 = 3;

/// The fields of the index.
///
/// | field | holds | how |
/// |---|---|---|
/// | `id`, `kind` | node id and kind | `STRING`, stored (kind is a filter) |
/// | `name` | goal title / entity name | stored |
/// | `content`, `benchmark` | goal text | stored (snippets) |
/// | `alias` | entity aliases | stored, one value each |
/// | `unit` | unit as written | stored |
/// | `unit_key` | unit, normalised | `STRING` (filter) |
/// | `year` | goal year | u64, indexed, fast, stored (filter) |
/// | `category`, `number` | goal category and number | stored |
/// | `words` | jieba words and word pairs of everything searchable | positions |
/// | `ng1` … `ng4` | 1-, 2-, 3-, 4-grams of everything searchable | freqs; `ng4` with positions |
/// | `names` | 1- to 4-grams of the names a node resolves by | positions |
///
/// "Everything searchable" is a goal's title (three times over: the title boost), content
/// and benchmark, or an entity's name and aliases (each three times over), one value each.
/// The names a node resolves by are those the store records for it: a goal's title, an
/// entity's name and aliases, none for a target (see [`super::names`]).
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub kind: Field,
    pub name: Field,
    pub content: Field,
    pub benchmark: Field,
    pub alias: Field,
    pub unit: Field,
    pub unit_key: Field,
    pub year: Field,
    pub category: Field,
    pub number: Field,
    pub words: Field,
    /// `ng[k]`: the (k+1)-grams.
    pub ng: [Field; MAX_GRAM],
    pub names: Field,
}

fn analysed(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    )
}

const POSITIONS: IndexRecordOption = IndexRecordOption::WithFreqsAndPositions;
const FREQS: IndexRecordOption = IndexRecordOption::WithFreqs;

/// The schema of this version and its fields.
pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        name: b.add_text_field("name", STORED),
        content: b.add_text_field("content", STORED),
        benchmark: b.add_text_field("benchmark", STORED),
        alias: b.add_text_field("alias", STORED),
        unit: b.add_text_field("unit", STORED),
        unit_key: b.add_text_field("unit_key", STRING),
        year: b.add_u64_field(
            "year",
            NumericOptions::default()
                .set_indexed()
                .set_fast()
                .set_stored(),
        ),
        category: b.add_text_field("category", STORED),
        number: b.add_text_field("number", STORED),
        words: b.add_text_field("words", analysed(JIEBA_TOKENIZER, POSITIONS)),
        ng: std::array::from_fn(|k| {
            let (tokenizer, min, max) = NGRAM_TOKENIZERS[k];
            debug_assert_eq!((min, max), (k + 1, k + 1));
            // only the longest grams make phrases (queries longer than MAX_GRAM)
            let record = if k + 1 == MAX_GRAM { POSITIONS } else { FREQS };
            b.add_text_field(&format!("ng{}", k + 1), analysed(tokenizer, record))
        }),
        names: b.add_text_field("names", analysed(NAME_TOKENIZER, POSITIONS)),
    };
    (b.build(), fields)
}

/// What every commit records in tantivy's commit payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payload {
    /// [`SCHEMA_VERSION`] of the writer.
    pub schema: u32,
    /// The store generation the index was brought up to.
    pub generation: u64,
}

impl Payload {
    pub fn new(generation: u64) -> Payload {
        Payload {
            schema: SCHEMA_VERSION,
            generation,
        }
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("a payload serialises")
    }

    /// `None` for a payload this version did not write.
    pub fn decode(text: &str) -> Option<Payload> {
        serde_json::from_str(text).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::FieldEntry;

    #[test]
    fn payload_round_trips() {
        let p = Payload::new(42);
        assert_eq!(Payload::decode(&p.encode()), Some(p));
        assert_eq!(Payload::decode("7"), None);
        assert_eq!(Payload::decode(""), None);
    }

    /// The fingerprint of the schema (fields, types, options, tokenizer names) written by
    /// each [`SCHEMA_VERSION`]. A change to the schema must bump the version and add a row.
    /// A version may also be bumped for a change of what is indexed with the same fields
    /// (version 2 indexes target nodes), so two rows can share a fingerprint. Version 3
    /// adds the `names` field (name resolution).
    const FINGERPRINTS: &[(u32, u64)] = &[
        (1, 0x73fa_ff06_6856_02d2),
        (2, 0x73fa_ff06_6856_02d2),
        (3, 0x271c_900d_59c7_9067),
    ];

    fn fingerprint_of(schema: &Schema) -> u64 {
        let json = serde_json::to_string(schema).unwrap();
        xxhash_rust::xxh3::xxh3_64(json.as_bytes())
    }

    fn fingerprint() -> u64 {
        fingerprint_of(&build_schema().0)
    }

    #[test]
    fn a_schema_change_needs_a_version_bump() {
        // One row per version, in order, the last one for this version.
        let versions: Vec<u32> = FINGERPRINTS.iter().map(|(v, _)| *v).collect();
        assert_eq!(versions, (1..=SCHEMA_VERSION).collect::<Vec<_>>());
        let found = fingerprint();
        let committed = FINGERPRINTS
            .iter()
            .find(|(v, _)| *v == SCHEMA_VERSION)
            .map(|(_, f)| *f);
        assert_eq!(
            committed,
            Some(found),
            "the index schema's fingerprint is {found:#018x}: if the schema changed, bump \
             SCHEMA_VERSION and add ({}, {found:#018x}) to FINGERPRINTS",
            SCHEMA_VERSION + 1
        );
    }

    /// This version's schema rebuilt field by field, each entry through `change` (`None`
    /// drops the field).
    fn rebuilt(change: impl Fn(&FieldEntry) -> Option<FieldEntry>) -> Schema {
        let mut b = Schema::builder();
        for (_, entry) in build_schema().0.fields() {
            if let Some(e) = change(entry) {
                b.add_field(e);
            }
        }
        b.build()
    }

    /// `entry`, or `with` in place of the field called `name`.
    fn replace(entry: &FieldEntry, name: &str, with: TextOptions) -> Option<FieldEntry> {
        Some(if entry.name() == name {
            FieldEntry::new_text(name.to_string(), with)
        } else {
            entry.clone()
        })
    }

    /// The fingerprint the version test relies on changes with every kind of schema change,
    /// so a change without a bump fails that test.
    #[test]
    fn the_fingerprint_sees_every_kind_of_schema_change() {
        let base = fingerprint();
        assert_eq!(fingerprint_of(&rebuilt(|e| Some(e.clone()))), base);
        let changes = [
            (
                "a field dropped",
                rebuilt(|e| (e.name() != "benchmark").then(|| e.clone())),
            ),
            (
                "a field renamed",
                rebuilt(|e| {
                    Some(if e.name() == "unit" {
                        FieldEntry::new("unit_name".into(), e.field_type().clone())
                    } else {
                        e.clone()
                    })
                }),
            ),
            ("a field added", {
                let mut b = Schema::builder();
                for (_, e) in build_schema().0.fields() {
                    b.add_field(e.clone());
                }
                b.add_text_field("subject", STORED);
                b.build()
            }),
            (
                "a stored field no longer stored",
                rebuilt(|e| replace(e, "category", TextOptions::default())),
            ),
            (
                "another tokenizer",
                rebuilt(|e| replace(e, "words", analysed(NGRAM_TOKENIZERS[1].0, POSITIONS))),
            ),
            (
                "positions dropped",
                rebuilt(|e| replace(e, "ng4", analysed(NGRAM_TOKENIZERS[3].0, FREQS))),
            ),
        ];
        for (what, schema) in &changes {
            assert_ne!(fingerprint_of(schema), base, "{what}");
        }
    }
}
