//! Output for people: aligned `key : value` lines and a scratch directory, shared by the
//! command, the demo and the benchmark.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `key : value` lines, keys padded to one column, under `indent` spaces.
pub fn write_rows(
    out: &mut impl Write,
    indent: usize,
    rows: &[(String, String)],
) -> std::io::Result<()> {
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    for (key, value) in rows {
        let pad = width - key.chars().count();
        writeln!(out, "{:indent$}{key}{:pad$} : {value}", "", "")?;
    }
    Ok(())
}

/// A fresh data directory under the system's temporary folder, removed when dropped.
pub struct ScratchDir(PathBuf);

impl ScratchDir {
    pub fn new(label: &str) -> std::io::Result<ScratchDir> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("{label}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(ScratchDir(dir))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
