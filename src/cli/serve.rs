//! `serve`, and the default command (ingest the seeds into an empty store, then serve).

use crate::error::{Error, Result};
use crate::knowledge_graph::owner::Owner;
use crate::knowledge_graph::KnowledgeGraph;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::args::{ServeArgs, DEFAULT_ADDR, SEEDS_DIR};
use super::ingest::{ingest_local, print_summary};

/// No command: ingest the bundled seeds when the store is empty, then serve on the default
/// address.
pub(super) fn default_command(data: &Path, config: &super::config::Config) -> Result<i32> {
    let started = std::time::Instant::now();
    let kg = open_to_serve(data)?;
    if kg.store().is_empty() {
        // Other commands on the folder are told what holds it while the seeds go in.
        let _ingesting = Owner::this_process("ingest", None).publish(data)?;
        let seeds = config
            .seeds
            .clone()
            .unwrap_or_else(|| PathBuf::from(SEEDS_DIR));
        if seeds.is_dir() {
            eprintln!(
                "the store at {} is empty: ingesting {}/",
                data.display(),
                SEEDS_DIR
            );
            let report = ingest_local(&kg, &[seeds])?;
            print_summary(&report);
        } else {
            eprintln!(
                "the store at {} is empty and there is no {SEEDS_DIR}/ folder here; \
                 add documents with `plangraph ingest PATH` or upload them in the web UI",
                data.display()
            );
        }
    }
    let args = ServeArgs {
        addr: None,
        token: None,
        cors: Vec::new(),
        log: None,
        request_timeout: crate::http::REQUEST_TIMEOUT.as_secs(),
    };
    serve(kg, data, &config.apply_serve(args), started)
}

/// Open the store of `data` to serve it; when another process holds it, say which one
/// (and where it already serves).
pub(super) fn open_to_serve(data: &Path) -> Result<KnowledgeGraph> {
    match KnowledgeGraph::open(data) {
        Ok(kg) => {
            // Holding the store: an owner file left behind is from a killed process.
            Owner::clear_stale(data);
            Ok(kg)
        }
        Err(Error::Locked { path }) => match Owner::read(data).filter(Owner::is_running) {
            Some(o) => {
                let owner = o.describe();
                match o.url {
                    Some(url) => Err(Error::Served { path, owner, url }),
                    None => Err(Error::Busy { path, owner }),
                }
            }
            None => Err(Error::Locked { path }),
        },
        Err(e) => Err(e),
    }
}

/// Serve until Ctrl-C. Logs go to stderr, filtered by `RUST_LOG` (default: info).
pub(super) fn serve(
    kg: KnowledgeGraph,
    data: &Path,
    args: &ServeArgs,
    started: std::time::Instant,
) -> Result<i32> {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
                args.log
                    .as_deref()
                    .unwrap_or("plangraph=info,tower_http=info")
                    .into()
            }),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("tokio runtime", e))?;
    let addr = args
        .addr
        .clone()
        .unwrap_or_else(|| DEFAULT_ADDR.to_string());
    let state = crate::http::AppState::new(std::sync::Arc::new(kg), args.token.clone())
        .with_request_timeout(std::time::Duration::from_secs(args.request_timeout))
        .with_cors(crate::http::Cors::parse(&args.cors)?);
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&addr)
            .await
            .map_err(|e| Error::io(&addr, e))?;
        let local = listener.local_addr().map_err(|e| Error::io(&addr, e))?;
        if !local.ip().is_loopback() && state.token.is_none() {
            eprintln!(
                "note: listening on {local} without a token: uploads are accepted only from \
                 this machine (set --token or PLANGRAPH_TOKEN to accept them from others)"
            );
        }
        let shown = if local.ip().is_unspecified() {
            format!("http://127.0.0.1:{}/", local.port())
        } else {
            format!("http://{local}/")
        };
        // Other `plangraph` commands on this folder ask this server from now on.
        let _owner = Owner::this_process("serve", Some(shown.clone())).publish(data)?;
        tracing::info!(
            ms = started.elapsed().as_millis() as u64,
            "listening on {local}"
        );
        outln!("plangraph: serving {shown} (Ctrl-C to stop)");
        let _ = std::io::stdout().flush();
        crate::http::serve(state, listener, crate::http::shutdown_signal()).await
    })?;
    Ok(0)
}
