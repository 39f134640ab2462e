//! All integration tests in one binary (one link), one module per area.

mod common;
mod extract;
mod graph;
mod http;
mod ingest;
mod search;
mod store;
