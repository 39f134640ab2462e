//! All integration tests in one binary (one link), one module per area.

mod common;
#[path = "../../benches/support/corpus.rs"]
#[allow(dead_code)]
mod corpus;
mod crash;
mod extract;
mod graph;
mod http;
mod ingest;
mod pipe;
mod pipeline;
mod search;
mod store;
mod sync;
