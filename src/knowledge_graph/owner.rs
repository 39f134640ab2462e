//! The process that holds a data folder says so in `DIR/owner.json`: which command, its
//! process id, when it started and, for a server, the address other `plangraph` commands
//! reach it at. The store allows one process; with this file, a second command on the same
//! folder asks the owner instead of failing with "store in use".
//!
//! The file is written atomically (a temporary file, then a rename) once the owner holds the
//! store, and removed when it ends. A file left behind by a killed process is recognised:
//! its process is gone (on Linux, `/proc/PID` is checked), or the store opens, which it
//! would not while its owner lived.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The file's name inside the data folder.
pub const OWNER_FILE: &str = "owner.json";

/// Who holds a data folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    /// The operating system's process id.
    pub pid: u32,
    /// The command it runs: `serve`, `ingest`.
    pub command: String,
    /// Seconds since 1970-01-01 UTC.
    pub started: u64,
    /// Where it answers (`http://127.0.0.1:7878`), when it serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Owner {
    /// This process, running `command`, answering at `url` if it serves.
    pub fn this_process(command: &str, url: Option<String>) -> Owner {
        Owner {
            pid: std::process::id(),
            command: command.to_string(),
            started: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
            url,
        }
    }

    /// The owner file of `data`, if there is a readable one.
    pub fn read(data: &Path) -> Option<Owner> {
        let bytes = std::fs::read(data.join(OWNER_FILE)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Write this owner into `data`; the file goes away when the guard is dropped.
    pub fn publish(self, data: &Path) -> Result<OwnerGuard> {
        let path = data.join(OWNER_FILE);
        let tmp = data.join(format!("{OWNER_FILE}.{}.tmp", self.pid));
        let bytes = serde_json::to_vec_pretty(&self)?;
        std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
        Ok(OwnerGuard {
            path,
            pid: self.pid,
        })
    }

    /// False when the process is known to be gone (or is this very process).
    pub fn is_running(&self) -> bool {
        if self.pid == std::process::id() {
            return false;
        }
        if cfg!(target_os = "linux") {
            // A recycled pid would have to be another plangraph to count.
            match std::fs::read(format!("/proc/{}/cmdline", self.pid)) {
                Ok(cmdline) => String::from_utf8_lossy(&cmdline).contains("plangraph"),
                Err(_) => false,
            }
        } else {
            true
        }
    }

    /// `plangraph serve (pid 123, started Wed, 02 Dec 2026 21:00:00 GMT, 12 min ago)`.
    pub fn describe(&self) -> String {
        let started = UNIX_EPOCH + Duration::from_secs(self.started);
        let ago = SystemTime::now()
            .duration_since(started)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let ago = match ago {
            0..=119 => format!("{ago} s ago"),
            120..=7199 => format!("{} min ago", ago / 60),
            _ => format!("{} h ago", ago / 3600),
        };
        format!(
            "`plangraph {}` (pid {}, started {}, {ago})",
            self.command,
            self.pid,
            httpdate::fmt_http_date(started)
        )
    }

    /// Remove the owner file of `data` if it names a process that is gone. True if removed.
    pub fn clear_stale(data: &Path) -> bool {
        match Owner::read(data) {
            Some(o) if !o.is_running() && o.pid != std::process::id() => {
                std::fs::remove_file(data.join(OWNER_FILE)).is_ok()
            }
            _ => false,
        }
    }
}

/// Removes the owner file when the owning command ends (unless another owner replaced it).
#[derive(Debug)]
pub struct OwnerGuard {
    path: PathBuf,
    pid: u32,
}

impl Drop for OwnerGuard {
    fn drop(&mut self) {
        let ours = std::fs::read(&self.path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Owner>(&b).ok())
            .is_some_and(|o| o.pid == self.pid);
        if ours {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_owner_is_read_back_and_removed_with_its_guard() {
        let dir = tempfile::tempdir().unwrap();
        let owner = Owner::this_process("serve", Some("http://127.0.0.1:1".into()));
        let guard = owner.clone().publish(dir.path()).unwrap();
        assert_eq!(Owner::read(dir.path()), Some(owner.clone()));
        // This process is never another command's owner.
        assert!(!owner.is_running());
        drop(guard);
        assert_eq!(Owner::read(dir.path()), None);
    }

    #[test]
    fn a_file_naming_a_gone_process_is_stale() {
        let dir = tempfile::tempdir().unwrap();
        // pid_max on Linux is at most 2^22: this pid cannot exist.
        let gone = Owner {
            pid: 4_194_304 + 17,
            command: "serve".into(),
            started: 1,
            url: Some("http://127.0.0.1:1".into()),
        };
        std::fs::write(
            dir.path().join(OWNER_FILE),
            serde_json::to_vec(&gone).unwrap(),
        )
        .unwrap();
        if cfg!(target_os = "linux") {
            assert!(!gone.is_running());
            assert!(Owner::clear_stale(dir.path()));
            assert!(!dir.path().join(OWNER_FILE).exists());
        }
        assert!(gone
            .describe()
            .starts_with("`plangraph serve` (pid 4194321, started Thu, 01 Jan 1970"));
    }
}
