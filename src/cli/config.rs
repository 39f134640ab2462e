//! Settings from an optional `plangraph.toml` (in the data folder, or given by `--config`),
//! each key overridable by a `PLANGRAPH_*` environment variable. Command-line flags win
//! over both. Unknown keys and wrong types are errors naming the file and the key.

use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The file looked for in the data folder.
pub const CONFIG_FILE: &str = "plangraph.toml";

/// Every key: its name, the environment variable that overrides it, what it sets.
pub const KEYS: [(&str, &str, &str); 5] = [
    (
        "addr",
        "PLANGRAPH_ADDR",
        "address `serve` listens on (default 127.0.0.1:7878)",
    ),
    (
        "token",
        "PLANGRAPH_TOKEN",
        "bearer token that lets other machines upload",
    ),
    (
        "seeds",
        "PLANGRAPH_SEEDS",
        "folder `ingest` reads when given no path (default seeds)",
    ),
    (
        "log",
        "PLANGRAPH_LOG",
        "log filter of `serve` when RUST_LOG is unset",
    ),
    (
        "cors",
        "PLANGRAPH_CORS",
        "web origins (comma-separated, or *) whose pages get CORS headers from `serve`; off unless set",
    ),
];

/// The settings; `None` where neither the file nor the environment sets a key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub addr: Option<String>,
    pub token: Option<String>,
    pub seeds: Option<PathBuf>,
    pub log: Option<String>,
    pub cors: Option<String>,
}

impl Config {
    /// Read `explicit` (which must exist) or else `DATA/plangraph.toml` (if there is one),
    /// then apply the environment.
    pub fn load(explicit: Option<&Path>, data_dir: &Path) -> Result<Config> {
        Config::load_with(explicit, data_dir, |k| std::env::var(k).ok())
    }

    /// [`Config::load`] with the environment given as a function (tests).
    pub fn load_with(
        explicit: Option<&Path>,
        data_dir: &Path,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config> {
        let (path, required) = match explicit {
            Some(p) => (p.to_path_buf(), true),
            None => (data_dir.join(CONFIG_FILE), false),
        };
        let mut table = match std::fs::read_to_string(&path) {
            Ok(text) => text.parse::<toml::Table>().map_err(|e| invalid(&path, e))?,
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => toml::Table::new(),
            Err(e) => return Err(Error::io(&path, e)),
        };
        for (key, var, _) in KEYS {
            if let Some(v) = env(var).filter(|v| !v.is_empty()) {
                table.insert(key.to_string(), toml::Value::String(v));
            }
        }
        Config::deserialize(table).map_err(|e| invalid(&path, e))
    }

    /// Fill in what the command line left unset.
    pub fn apply_serve(&self, mut args: crate::cli::ServeArgs) -> crate::cli::ServeArgs {
        if args.addr.is_none() {
            args.addr = self.addr.clone();
        }
        if args.token.is_none() {
            args.token = self.token.clone();
        }
        if args.cors.is_empty() {
            args.cors = self.cors.iter().cloned().collect();
        }
        args.log = self.log.clone();
        args
    }
}

fn invalid(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Load {
        path: path.to_path_buf(),
        line: None,
        reason: format!("invalid configuration: {}", e.to_string().trim()),
    }
}
