//! The OpenAPI description, generated from the handlers' `#[utoipa::path]` attributes and
//! the result types' `ToSchema` derives; and the web UI page.

use super::error::{ErrorBody, ErrorDetail};
use super::handlers;
use super::ui_api;
use crate::graph::{
    CoDependence, CoDependentGoal, EdgeId, Impact, ImpactGoal, ImpactGroup, ImpactPath, NodeRef,
    PathResult, RankedEntity, Ranking, ShapeNode, Stake, StakeDocument, StakeTarget, Subgraph,
    SubgraphShape, Trace, TraceGroup, TracedGoal,
};
use crate::knowledge_graph::{DocumentList, DocumentOutcome, DocumentSummary, NodeView};
use crate::limits;
use crate::model::{Edge, EdgeLabel, Node, NodeKind};
use crate::store::Stats;
use std::sync::OnceLock;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::openapi::schema::{Object, Schema};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{RefOr, Required};
use utoipa::Number;
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
        handlers::duties,
        handlers::impact,
        super::diff::diff,
        super::targets::targets,
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
        Node, Edge, NodeKind, EdgeLabel, NodeRef, NodeView, Trace, TraceGroup, TracedGoal, Subgraph, SubgraphShape, ShapeNode, EdgeId,
        PathResult, Ranking, RankedEntity, CoDependence, CoDependentGoal, Stats,
        DocumentOutcome, DocumentList, DocumentSummary, SearchResultsSchema, SearchHitSchema,
        ErrorBody, ErrorDetail, handlers::Health, ui_api::Facets, ui_api::FacetCount,
        ui_api::DocumentView, ui_api::DocumentGoal, ui_api::Overview, ui_api::OverviewEntity,
        ui_api::NodeAliases, super::aliases::NewAlias, crate::knowledge_graph::AliasChange,
        crate::knowledge_graph::AliasList, crate::knowledge_graph::AliasEntry,
        crate::knowledge_graph::Duties, crate::knowledge_graph::DutyYear,
        Impact, ImpactGoal, ImpactGroup, ImpactPath, Stake, StakeTarget, StakeDocument,
        crate::knowledge_graph::DutyGoal, crate::knowledge_graph::Diff,
        crate::knowledge_graph::ContinuedGoal, crate::knowledge_graph::TargetChange,
        crate::knowledge_graph::Mentioned, crate::knowledge_graph::MentionedNode,
        crate::knowledge_graph::TargetList,
        crate::knowledge_graph::TargetRow, crate::knowledge_graph::TargetSort,
        crate::knowledge_graph::SubjectRef, crate::knowledge_graph::SeriesPoint,
        crate::knowledge_graph::DocumentUse,
    )),
    modifiers(&BearerAuth, &DeclaredBounds),
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

/// Every bound the server enforces on a query parameter, from the tables in
/// [`crate::limits`] it checks requests with: `minimum`/`maximum` of the numbers, and
/// `minLength`/`maxLength`/`pattern` (and `required`) of the text parameters.
struct DeclaredBounds;

impl DeclaredBounds {
    /// The object schema of `param` on every operation of `route`.
    fn each_param(
        openapi: &mut utoipa::openapi::OpenApi,
        route: &str,
        param: &str,
        mut f: impl FnMut(&mut Parameter, &mut Object),
    ) {
        let item = openapi
            .paths
            .paths
            .get_mut(route)
            .unwrap_or_else(|| panic!("limits name the route {route}, which is not served"));
        let mut found = false;
        for op in [&mut item.get, &mut item.post].into_iter().flatten() {
            for p in op.parameters.iter_mut().flatten() {
                if p.name != param || p.parameter_in != ParameterIn::Query {
                    continue;
                }
                if let Some(RefOr::T(Schema::Object(object))) = p.schema.as_mut() {
                    let mut object = object.clone();
                    f(p, &mut object);
                    p.schema = Some(RefOr::T(Schema::Object(object)));
                    found = true;
                }
            }
        }
        assert!(found, "{route} has no query parameter `{param}`");
    }
}

impl Modify for DeclaredBounds {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (route, bounds) in limits::ROUTE_BOUNDS {
            for b in *bounds {
                Self::each_param(openapi, route, b.param, |_, o| {
                    o.minimum = Some(Number::UInt(b.min));
                    o.maximum = Some(Number::UInt(b.max));
                });
            }
        }
        let kinds: Vec<&str> = NodeKind::ALL.iter().map(|k| k.as_str()).collect();
        let entities: Vec<&str> = NodeKind::ALL
            .iter()
            .filter(|k| k.is_entity())
            .map(|k| k.as_str())
            .collect();
        let labels: Vec<&str> = EdgeLabel::ALL.iter().map(|l| l.as_str()).collect();
        // The comma-separated lists of kinds and labels (one kind for `rank`).
        let lists = [
            ("/api/search", "kind", list_pattern(&kinds, true)),
            (
                "/api/nodes/{id}/neighbors",
                "kind",
                list_pattern(&kinds, true),
            ),
            (
                "/api/nodes/{id}/neighbors",
                "label",
                list_pattern(&labels, true),
            ),
            (
                "/api/nodes/{id}/co-dependent",
                "kind",
                list_pattern(&kinds, true),
            ),
            ("/api/path", "label", list_pattern(&labels, true)),
            ("/api/rank", "kind", list_pattern(&entities, false)),
        ];
        for (route, param, pattern) in lists {
            Self::each_param(openapi, route, param, |_, o| {
                o.pattern = Some(pattern.clone())
            });
        }
        for (route, texts) in limits::ROUTE_TEXTS {
            for t in *texts {
                Self::each_param(openapi, route, t.param, |p, o| {
                    p.required = Required::True;
                    o.min_length = Some(1);
                    o.max_length = t.max_chars;
                    o.pattern = Some(t.pattern.to_string());
                });
            }
        }
    }
}

/// What the server parses as a list of `names` separated by `,` or `，` (blank items
/// skipped), or as at most one name.
fn list_pattern(names: &[&str], many: bool) -> String {
    let one = format!("({})", names.join("|"));
    if many {
        format!(r"^(\s*{one}?\s*[,，])*\s*{one}?\s*$")
    } else {
        format!(r"^\s*{one}?\s*$")
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
    pub field: crate::index::HitField,
    pub unit: Option<String>,
    pub year: Option<u16>,
    pub category: Option<String>,
    pub number: Option<String>,
    /// On entity hits: how many goals depend on the entity.
    pub goals: Option<usize>,
}
