//! `GET /api/backup`: a consistent JSONL export of the whole graph, streamed from the
//! server that holds the data folder, for a backup taken while it runs. The export runs
//! on a blocking thread with document writes held off; the body is sent as it is written,
//! so memory stays bounded. Nothing in the request names a file: the server writes none.

use super::extract::WriteAccess;
use super::AppState;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use tokio::sync::mpsc;

/// Bytes sent to the client at a time.
const CHUNK: usize = 64 * 1024;

/// An `io::Write` that sends full chunks to the response body.
struct ChannelWriter {
    tx: mpsc::Sender<std::io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client gone"))
    }
}

impl std::io::Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

#[utoipa::path(get, path = "/api/backup", tag = "documents",
    description = "The whole graph as JSON lines (header, nodes, edges, documents), one \
consistent state taken while uploads wait; what `plangraph backup` writes as graph.jsonl. \
Allowed from this machine, or with the bearer token.",
    responses(
        (status = 200, description = "The JSONL export, streamed", content_type = "application/x-ndjson", body = String),
        (status = 401, description = "Token required", body = super::ErrorBody),
        (status = 403, description = "Not allowed from this address or with this token", body = super::ErrorBody),
    ))]
pub async fn backup(State(state): State<AppState>, _access: WriteAccess) -> Response {
    let (tx, rx) = mpsc::channel::<std::io::Result<Bytes>>(8);
    let kg = state.kg.clone();
    tokio::task::spawn_blocking(move || {
        let mut out = ChannelWriter {
            tx: tx.clone(),
            buf: Vec::with_capacity(CHUNK),
        };
        if let Err(e) = kg.export_jsonl(&mut out) {
            tracing::warn!(error = %e, "backup stream stopped");
            // The client sees the body end in an error, never a short file taken for whole.
            let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
        }
    });
    // Fused: the compression layer polls once more after the end, which an unfused
    // `unfold` answers with a panic (and the client with a cut connection).
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    })
    .fuse();
    (
        [
            (header::CONTENT_TYPE, "application/x-ndjson"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"graph.jsonl\"",
            ),
        ],
        Body::from_stream(body),
    )
        .into_response()
}
