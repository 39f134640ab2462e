//! All integration tests in one binary (one link), one module per area.

mod access;
mod alias;
mod batch;
mod classes;
mod common;
mod continues;
#[path = "../../benches/support/corpus.rs"]
#[allow(dead_code)]
mod corpus;
mod crash;
mod diff;
mod duties;
mod evidence;
mod export;
mod extract;
mod graph;
mod heldout_d;
mod hostile;
mod http;
mod impact;
mod ingest;
mod lineage;
mod names;
mod owner;
mod pipe;
mod pipeline;
mod resolve;
mod search;
mod second_year;
mod store;
mod sync;
mod targets;
mod ui_api;
