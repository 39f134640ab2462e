//! All integration tests in one binary (one link), one module per area.

mod common;
mod extract;
mod ingest;
mod pipeline;
mod search;
mod store;
