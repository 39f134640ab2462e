//! The OpenAPI description, generated from the handlers' `#[utoipa::path]` attributes and
//! the result types' `ToSchema` derives; and the web UI page.

use super::error::{ErrorBody, ErrorDetail};
use super::handlers;
use super::ui_api;
use crate::graph::{
    CoDependence, CoDependentGoal, NodeRef, PathResult, RankedEntity, Ranking, Subgraph, Trace,
    TracedGoal,
};
use crate::knowledge_graph::{DocumentList, DocumentOutcome, DocumentSummary, NodeView};
use crate::model::{Edge, EdgeLabel, Node, NodeKind};
use crate::store::Stats;
use std::sync::OnceLock;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// The web UI: one page, inline script and style, no external assets.
pub const UI_HTML: &str = include_str!("ui.html");

#[derive(OpenApi)]
#[openapi(
    info(
        title = "plangraph",
        description = "Search and walk the goals of Chinese government goal documents \
(年度业务目标, 工作要点): full-text search, reverse dependency traces, neighbourhoods, \
paths and rankings over the knowledge graph. Errors are `{\"error\": {\"code\", \"message\"}}` \
with a 4xx status; a 500 means a fault inside the server."
    ),
    paths(
        handlers::ui,
        handlers::health,
        handlers::openapi,
        handlers::search,
        handlers::trace,
        handlers::node,
        handlers::neighbors,
        handlers::co_dependent,
        handlers::path,
        handlers::rank,
        handlers::stats,
        handlers::documents,
        handlers::upload,
        ui_api::document,
        ui_api::overview_route,
        ui_api::aliases,
        super::backup::backup,
        super::aliases::add,
        super::aliases::list,
        super::aliases::remove,
        super::aliases::remove_by_query,
    ),
    components(schemas(
        Node, Edge, NodeKind, EdgeLabel, NodeRef, NodeView, Trace, TracedGoal, Subgraph,
        PathResult, Ranking, RankedEntity, CoDependence, CoDependentGoal, Stats,
        DocumentOutcome, DocumentList, DocumentSummary, SearchResultsSchema, SearchHitSchema,
        ErrorBody, ErrorDetail, handlers::Health, ui_api::Facets, ui_api::FacetCount,
        ui_api::DocumentView, ui_api::DocumentGoal, ui_api::Overview, ui_api::OverviewEntity,
        ui_api::NodeAliases, super::aliases::NewAlias, crate::knowledge_graph::AliasChange,
        crate::knowledge_graph::AliasList, crate::knowledge_graph::AliasEntry,
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "search", description = "Full-text search over goals and entities"),
        (name = "graph", description = "Nodes, traces, neighbourhoods, paths, rankings"),
        (name = "documents", description = "Stored documents and uploads"),
        (name = "meta", description = "Health, this description, the web UI"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
            );
        }
    }
}

/// The description as JSON, generated once.
pub fn json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        ApiDoc::openapi()
            .to_pretty_json()
            .expect("the OpenAPI description serialises")
    })
}

/// Schema of `crate::index::SearchResults` (the index module stays free of HTTP
/// concerns; a test checks the two agree field by field).
#[derive(ToSchema)]
#[schema(as = SearchResults)]
#[allow(dead_code)]
pub struct SearchResultsSchema {
    pub query: String,
    pub total: usize,
    /// Best first.
    pub hits: Vec<SearchHitSchema>,
    /// With `facets=true`: hits per kind, goals per unit and per year.
    pub facets: Option<super::ui_api::Facets>,
}

/// Schema of `crate::index::SearchHit`.
#[derive(ToSchema)]
#[schema(as = SearchHit)]
#[allow(dead_code)]
pub struct SearchHitSchema {
    pub id: String,
    pub kind: NodeKind,
    pub name: String,
    pub score: f32,
    pub snippet: String,
    /// `[start, end)` character offsets of the matches within `snippet`.
    pub highlights: Vec<[usize; 2]>,
    /// Which field the snippet is from: `title`, `content`, `benchmark`, `name`, `alias`.
    pub field: String,
    pub unit: Option<String>,
    pub year: Option<u16>,
    pub category: Option<String>,
    pub number: Option<String>,
    /// On entity hits: how many goals depend on the entity.
    pub goals: Option<usize>,
}
