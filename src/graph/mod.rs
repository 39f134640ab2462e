//! The graph view: petgraph over the store's edges, for the walks key scans do badly —
//! reverse dependency traces, k-hop neighbourhoods, shortest paths, rankings. Only this
//! module sees petgraph.
//!
//! ## What the view holds and how it stays in step with the store
//!
//! Structure only: each node's id and kind, each edge's label. Names, props and evidence
//! are read from the store when a result is materialised, so the view stays small and a
//! result never shows stale text.
//!
//! The view is built from the store once (two key scans: node ids and kinds, then edge
//! keys; no edge props are decoded), lazily on the first graph query, or read from a
//! snapshot file (`DATA/graph.view`) when one was saved at the store's current
//! generation — a sled scan costs seconds at 10⁵ documents, the snapshot a fraction of
//! that; the facade saves one after each build and when a server stops. After that the
//! facade updates it **incrementally** on every document write, under the same lock as
//! the store write, from the [`DocumentChange`](crate::store::DocumentChange) the write
//! returns, without reading the store: cost proportional to the document, not to the graph (see
//! `docs/benchmarks.md`). The view records the store generation it reflects; if a write
//! reaches the store behind the facade's back, the generations disagree and the view is
//! rebuilt on the next query. Readers hold a read lock while they walk and materialise, so
//! a query sees a document wholly before or wholly after it was added.

mod codependence;
mod hops;
mod impact;
mod rank;
mod results;
mod snapshot;
mod trace;
mod view;

pub use hops::HopFilter;
pub use impact::{
    Impact, ImpactGoal, ImpactGroup, ImpactPath, Stake, StakeDocument, StakeTarget, PATHS_SHOWN,
};
pub use rank::page_rank;
pub use results::{
    CoDependence, CoDependentGoal, EdgeId, NodeRef, PathResult, RankedEntity, Ranking, ShapeNode,
    Subgraph, SubgraphShape, Trace, TraceGroup, TracedGoal,
};
pub use view::{GraphView, MAX_DEPTH};
