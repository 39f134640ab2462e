//! One owner, many clients: when another process holds the data folder (a running
//! `plangraph serve`), a command asks it over its HTTP API instead of opening the store,
//! and prints the answer exactly as it would have printed its own (same tables, same JSON,
//! same exit codes). The owner says where it answers in `DIR/owner.json`
//! ([`crate::knowledge_graph::owner`]).

use crate::error::{Error, Result};
use crate::graph::{CoDependence, Impact, PathResult, Ranking, Subgraph, SubgraphShape, Trace};
use crate::index::{SearchRequest, SearchResults};
use crate::knowledge_graph::owner::Owner;
use crate::knowledge_graph::{
    AliasChange, AliasList, DocumentOutcome, Duties, IngestReport, KnowledgeGraph,
    NeighborsRequest, NodeView, Progress,
};
use crate::model::{EdgeLabel, NodeKind};
use crate::store::Stats;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where a command gets its answers: the store itself, or the server that holds it.
pub(super) enum Graph {
    Local(Box<KnowledgeGraph>),
    Remote(Remote),
}

/// The server holding a data folder, reached over loopback HTTP.
pub(super) struct Remote {
    base: String,
    token: Option<String>,
    agent: ureq::Agent,
}

/// Open `data` for a command: the store when no other process holds it, else its owner's
/// HTTP API. A command that holds the folder without serving (a long ingest) is named in
/// the error. `token` is sent with writes (a server started with `--token` needs it).
pub(super) fn open(data: &Path, token: Option<String>) -> Result<Graph> {
    open_with(data, token, KnowledgeGraph::open)
}

/// [`open`] for a pass over the whole graph (backup): the store, when opened here, caps
/// its page cache ([`KnowledgeGraph::open_bulk`]).
pub(super) fn open_bulk(data: &Path, token: Option<String>) -> Result<Graph> {
    open_with(data, token, KnowledgeGraph::open_bulk)
}

fn open_with(
    data: &Path,
    token: Option<String>,
    open_local: fn(&Path) -> Result<KnowledgeGraph>,
) -> Result<Graph> {
    if let Some(remote) = running_owner(data, token.clone())? {
        return Ok(Graph::Remote(remote));
    }
    match open_local(data) {
        Ok(kg) => {
            // Holding the store: any owner file left is from a process that was killed.
            Owner::clear_stale(data);
            Ok(Graph::Local(Box::new(kg)))
        }
        // The owner may have started while we waited for the lock.
        Err(Error::Locked { path }) => match running_owner(data, token)? {
            Some(remote) => Ok(Graph::Remote(remote)),
            None => Err(Error::Locked { path }),
        },
        Err(e) => Err(e),
    }
}

/// The live owner of `data` as a client, if it serves; an error naming it if it does not.
fn running_owner(data: &Path, token: Option<String>) -> Result<Option<Remote>> {
    let Some(owner) = Owner::read(data).filter(Owner::is_running) else {
        return Ok(None);
    };
    match &owner.url {
        Some(url) => Ok(Some(Remote::new(url, token))),
        None => Err(Error::Busy {
            path: data.join("graph"),
            owner: owner.describe(),
        }),
    }
}

impl Graph {
    pub(super) fn search(&self, r: &SearchRequest) -> Result<SearchResults> {
        match self {
            Graph::Local(kg) => kg.search(r),
            Graph::Remote(c) => {
                let mut q = vec![
                    ("q", r.query.clone()),
                    ("offset", r.offset.to_string()),
                    ("limit", r.limit.to_string()),
                ];
                if !r.kinds.is_empty() {
                    q.push(("kind", join(&r.kinds)));
                }
                if let Some(u) = &r.unit {
                    q.push(("unit", u.clone()));
                }
                if let Some(y) = r.year {
                    q.push(("year", y.to_string()));
                }
                c.get("/api/search", &q)
            }
        }
    }

    /// The node and its edges, with a name for every node at the other end of an edge.
    pub(super) fn show(&self, name_or_id: &str) -> Result<(NodeView, HashMap<String, String>)> {
        match self {
            Graph::Local(kg) => {
                let view = kg.show(name_or_id)?;
                let mut names = HashMap::new();
                for e in &view.edges {
                    for id in [&e.source, &e.target] {
                        if !names.contains_key(id) {
                            if let Some(n) = kg.store().node(id)? {
                                names.insert(id.clone(), format!("{} ({})", n.name, n.kind));
                            }
                        }
                    }
                }
                Ok((view, names))
            }
            Graph::Remote(c) => {
                let view: NodeView = c.get(&format!("/api/nodes/{}", segment(name_or_id)), &[])?;
                let around: Subgraph = c.get(
                    &format!("/api/nodes/{}/neighbors", segment(&view.node.id)),
                    &[("depth", "1".into()), ("limit", "5000".into())],
                )?;
                let names = around
                    .nodes
                    .iter()
                    .map(|n| (n.id.clone(), format!("{} ({})", n.name, n.kind)))
                    .collect();
                Ok((view, names))
            }
        }
    }

    pub(super) fn duties(&self, name_or_id: &str, year: Option<u16>) -> Result<Duties> {
        match self {
            Graph::Local(kg) => kg.duties(name_or_id, year),
            Graph::Remote(c) => {
                let mut q = vec![("name", name_or_id.to_string())];
                if let Some(y) = year {
                    q.push(("year", y.to_string()));
                }
                c.get("/api/duties", &q)
            }
        }
    }

    pub(super) fn diff(
        &self,
        unit: &str,
        from: u16,
        to: u16,
    ) -> Result<crate::knowledge_graph::Diff> {
        match self {
            Graph::Local(kg) => kg.diff(unit, from, to),
            Graph::Remote(c) => c.get(
                "/api/diff",
                &[
                    ("unit", unit.to_string()),
                    ("from", from.to_string()),
                    ("to", to.to_string()),
                ],
            ),
        }
    }

    pub(super) fn targets(
        &self,
        req: &crate::knowledge_graph::TargetsRequest,
    ) -> Result<crate::knowledge_graph::TargetList> {
        match self {
            Graph::Local(kg) => kg.targets(req),
            Graph::Remote(c) => {
                let mut q = vec![("sort", req.sort.to_string())];
                if let Some(s) = &req.subject {
                    q.push(("subject", s.clone()));
                }
                if let Some(u) = &req.unit {
                    q.push(("unit", u.clone()));
                }
                if let Some(y) = req.year {
                    q.push(("year", y.to_string()));
                }
                if let Some(l) = req.limit {
                    q.push(("limit", l.to_string()));
                }
                if let Some(o) = req.offset {
                    q.push(("offset", o.to_string()));
                }
                c.get("/api/targets", &q)
            }
        }
    }

    pub(super) fn trace(
        &self,
        name_or_id: &str,
        offset: usize,
        limit: Option<usize>,
    ) -> Result<Trace> {
        match self {
            Graph::Local(kg) => kg.trace_page(name_or_id, offset, limit),
            Graph::Remote(c) => {
                let mut q = vec![("name", name_or_id.to_string())];
                if let Some(l) = limit {
                    q.push(("limit", l.to_string()));
                }
                if offset > 0 {
                    q.push(("offset", offset.to_string()));
                }
                c.get("/api/trace", &q)
            }
        }
    }

    pub(super) fn impact(&self, name_or_id: &str, limit: Option<usize>) -> Result<Impact> {
        match self {
            Graph::Local(kg) => kg.impact(name_or_id, limit),
            Graph::Remote(c) => {
                let mut q = vec![("name", name_or_id.to_string())];
                if let Some(l) = limit {
                    q.push(("limit", l.to_string()));
                }
                c.get("/api/impact", &q)
            }
        }
    }

    pub(super) fn neighbors(&self, name_or_id: &str, r: &NeighborsRequest) -> Result<Subgraph> {
        match self {
            Graph::Local(kg) => kg.neighbors(name_or_id, r),
            Graph::Remote(c) => c.get(
                &format!("/api/nodes/{}/neighbors", segment(name_or_id)),
                &neighbors_query(r),
            ),
        }
    }

    pub(super) fn neighbor_shape(
        &self,
        name_or_id: &str,
        r: &NeighborsRequest,
    ) -> Result<SubgraphShape> {
        match self {
            Graph::Local(kg) => kg.neighbor_shape(name_or_id, r),
            Graph::Remote(c) => {
                let mut q = neighbors_query(r);
                q.push(("fields", "ids".to_string()));
                c.get(&format!("/api/nodes/{}/neighbors", segment(name_or_id)), &q)
            }
        }
    }

    pub(super) fn path(&self, from: &str, to: &str, labels: &[EdgeLabel]) -> Result<PathResult> {
        match self {
            Graph::Local(kg) => kg.path(from, to, labels),
            Graph::Remote(c) => {
                let mut q = vec![("from", from.to_string()), ("to", to.to_string())];
                if !labels.is_empty() {
                    q.push(("label", join(labels)));
                }
                c.get("/api/path", &q)
            }
        }
    }

    pub(super) fn rank(
        &self,
        kind: Option<NodeKind>,
        limit: usize,
        classes: bool,
    ) -> Result<Ranking> {
        match self {
            Graph::Local(kg) => kg.rank_with(kind, limit, classes),
            Graph::Remote(c) => {
                let mut q = vec![("limit", limit.to_string())];
                if let Some(k) = kind {
                    q.push(("kind", k.to_string()));
                }
                if classes {
                    q.push(("classes", "true".to_string()));
                }
                c.get("/api/rank", &q)
            }
        }
    }

    pub(super) fn co_dependent(
        &self,
        goal: &str,
        kinds: &[NodeKind],
        limit: usize,
    ) -> Result<CoDependence> {
        match self {
            Graph::Local(kg) => kg.co_dependent(goal, kinds, limit),
            Graph::Remote(c) => {
                let mut q = vec![("limit", limit.to_string())];
                if !kinds.is_empty() {
                    q.push(("kind", join(kinds)));
                }
                c.get(&format!("/api/nodes/{}/co-dependent", segment(goal)), &q)
            }
        }
    }

    pub(super) fn stats(&self) -> Result<Stats> {
        match self {
            Graph::Local(kg) => kg.stats(),
            Graph::Remote(c) => c.get("/api/stats", &[]),
        }
    }

    pub(super) fn add_alias(&self, alias: &str, name_or_id: &str) -> Result<AliasChange> {
        match self {
            Graph::Local(kg) => kg.add_alias(alias, name_or_id),
            Graph::Remote(c) => c.write_json(
                "POST",
                "/api/aliases",
                Some(serde_json::json!({ "alias": alias, "name": name_or_id })),
            ),
        }
    }

    pub(super) fn list_aliases(&self) -> Result<AliasList> {
        match self {
            Graph::Local(kg) => kg.list_aliases(),
            Graph::Remote(c) => c.get("/api/aliases", &[]),
        }
    }

    pub(super) fn remove_alias(&self, alias: &str) -> Result<AliasChange> {
        match self {
            Graph::Local(kg) => kg.remove_alias(alias),
            Graph::Remote(c) => {
                c.write_json("DELETE", &format!("/api/aliases/{}", segment(alias)), None)
            }
        }
    }

    /// Ingest files and folders. Through a server, each file is read here and uploaded;
    /// the report names the files as given, as a local ingest does.
    pub(super) fn ingest_paths(
        &self,
        paths: &[PathBuf],
        progress: &mut dyn FnMut(Progress),
    ) -> Result<IngestReport> {
        match self {
            Graph::Local(kg) => kg.ingest_keeping_view(paths, progress),
            Graph::Remote(c) => {
                let mut report = IngestReport::default();
                let files = crate::pipeline::files_to_ingest(paths, &mut report);
                progress(Progress::Start(files.len()));
                for file in files {
                    let outcome = c.upload(&file)?;
                    progress(Progress::File(&outcome));
                    report.push(outcome);
                }
                Ok(report)
            }
        }
    }
}

/// The query of `GET /api/nodes/{id}/neighbors` for a request.
fn neighbors_query(r: &NeighborsRequest) -> Vec<(&'static str, String)> {
    let mut q = vec![
        ("depth", r.depth.to_string()),
        ("limit", r.limit.to_string()),
    ];
    if !r.labels.is_empty() {
        q.push(("label", join(&r.labels)));
    }
    if !r.kinds.is_empty() {
        q.push(("kind", join(&r.kinds)));
    }
    q
}

impl Remote {
    fn new(url: &str, token: Option<String>) -> Remote {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(5)))
            .build()
            .into();
        Remote {
            base: url.trim_end_matches('/').to_string(),
            token,
            agent,
        }
    }

    /// A GET answered with JSON, read as `T`; an error status becomes the server's message.
    fn get<T: DeserializeOwned>(&self, path: &str, query: &[(&str, String)]) -> Result<T> {
        let url = format!("{}{path}", self.base);
        let mut req = self.agent.get(&url);
        for (k, v) in query {
            req = req.query(k, v);
        }
        let response = req.call().map_err(|e| unreachable_owner(&url, e))?;
        read_json(&url, response)
    }

    /// A write (`POST` with a JSON body, or `DELETE`) answered with JSON; carries the token.
    fn write_json<T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<T> {
        let url = format!("{}{path}", self.base);
        let auth = self.token.as_ref().map(|t| format!("Bearer {t}"));
        let response = if method == "DELETE" {
            let mut req = self.agent.delete(&url);
            if let Some(a) = &auth {
                req = req.header("authorization", a);
            }
            req.call()
        } else {
            let mut req = self
                .agent
                .post(&url)
                .header("content-type", "application/json");
            if let Some(a) = &auth {
                req = req.header("authorization", a);
            }
            let bytes = serde_json::to_vec(&body.unwrap_or_default())?;
            req.send(&bytes[..])
        }
        .map_err(|e| unreachable_owner(&url, e))?;
        read_json(&url, response)
    }

    /// Where the server answers.
    pub(super) fn url(&self) -> &str {
        &self.base
    }

    /// The graph as a backup stream (`GET /api/backup`; a write-level request, so it
    /// carries the token).
    pub(super) fn backup_stream(&self) -> Result<impl std::io::Read> {
        let url = format!("{}/api/backup", self.base);
        let mut req = self.agent.get(&url);
        if let Some(t) = &self.token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let response = req.call().map_err(|e| unreachable_owner(&url, e))?;
        if !response.status().is_success() {
            return Err(read_json::<serde_json::Value>(&url, response).unwrap_err());
        }
        Ok(response.into_body().into_reader())
    }

    /// Upload one file; a document the server refuses is a failed outcome naming the file.
    fn upload(&self, file: &Path) -> Result<DocumentOutcome> {
        let shown = file.display().to_string();
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => return Ok(crate::pipeline::failed(file, &e.to_string())),
        };
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| shown.clone());
        let url = format!("{}/api/documents", self.base);
        let mut req = self
            .agent
            .post(&url)
            .query("filename", &name)
            .header("content-type", "application/octet-stream");
        if let Some(t) = &self.token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let response = req
            .send(&bytes[..])
            .map_err(|e| unreachable_owner(&url, e))?;
        match read_json::<DocumentOutcome>(&url, response) {
            Ok(mut outcome) => {
                outcome.file = shown;
                Ok(outcome)
            }
            // Refused for what the file is (type, size, no goals): that file failed.
            Err(Error::Remote { status, message }) if status != 401 && status != 403 => {
                Ok(crate::pipeline::failed(file, &message))
            }
            Err(e) => Err(e),
        }
    }
}

fn read_json<T: DeserializeOwned>(
    url: &str,
    mut response: ureq::http::Response<ureq::Body>,
) -> Result<T> {
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .read_to_vec()
        .map_err(|e| unreachable_owner(url, e))?;
    if (200..300).contains(&status) {
        return serde_json::from_slice(&body).map_err(Error::from);
    }
    let detail = serde_json::from_slice::<serde_json::Value>(&body)
        .map(|v| v["error"].clone())
        .unwrap_or_default();
    let message = match (detail["message"].as_str(), detail["param"].as_str()) {
        // Worded as the command itself words it (`invalid limit: …`).
        (Some(m), Some(param)) if detail["code"] == "invalid_param" => {
            format!("invalid {param}: {m}")
        }
        (Some(m), _) => m.to_string(),
        (None, _) => format!("{url}: HTTP {status}"),
    };
    let message = match status {
        401 | 403 => format!(
            "{message} (the server holding this data folder needs its token: set PLANGRAPH_TOKEN)"
        ),
        _ => message,
    };
    Err(Error::Remote { status, message })
}

fn unreachable_owner(url: &str, e: ureq::Error) -> Error {
    Error::io(
        url,
        std::io::Error::other(format!(
            "the plangraph server holding this data folder does not answer: {e}"
        )),
    )
}

/// One URL path segment: ids and names may hold `/`, `:` and any script.
fn segment(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

fn join<T: std::fmt::Display>(items: &[T]) -> String {
    items.iter().map(T::to_string).collect::<Vec<_>>().join(",")
}
