//! The index schema, its version, and the commit payload that records both the schema
//! version and the store generation an index is in step with.

use super::tokenizer::{JIEBA_TOKENIZER, NGRAM_TOKENIZER};
use serde::{Deserialize, Serialize};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, STORED,
    STRING,
};

/// Bumped whenever the schema or an analysis changes: an index of another version is
/// recreated empty on open, and the caller rebuilds it from the store.
pub const SCHEMA_VERSION: u32 = 1;

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
/// | `w_title` | jieba words of the title / name and aliases | positions |
/// | `w_body` | jieba words of content and benchmark | positions |
/// | `ng_title` | n-grams of the title / name and aliases | positions |
/// | `ng_all` | n-grams of everything searchable | positions (recall, counts) |
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
    pub w_title: Field,
    pub w_body: Field,
    pub ng_title: Field,
    pub ng_all: Field,
}

fn analysed(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

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
        w_title: b.add_text_field("w_title", analysed(JIEBA_TOKENIZER)),
        w_body: b.add_text_field("w_body", analysed(JIEBA_TOKENIZER)),
        ng_title: b.add_text_field("ng_title", analysed(NGRAM_TOKENIZER)),
        ng_all: b.add_text_field("ng_all", analysed(NGRAM_TOKENIZER)),
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

    #[test]
    fn payload_round_trips() {
        let p = Payload::new(42);
        assert_eq!(Payload::decode(&p.encode()), Some(p));
        assert_eq!(Payload::decode("7"), None);
        assert_eq!(Payload::decode(""), None);
    }

    #[test]
    fn schema_is_stable_within_a_version() {
        assert_eq!(build_schema().0, build_schema().0);
    }
}
