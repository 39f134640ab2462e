//! All integration tests in one binary (one link), one module per area.

mod access;
mod common;
mod crash;
mod extract;
mod graph;
mod hostile;
mod http;
mod ingest;
mod pipeline;
mod search;
mod store;
mod sync;
