//! The desktop app (placeholder while the window is written).

use std::path::PathBuf;

/// Opens the window.
pub fn run(_project: Option<PathBuf>) -> anyhow::Result<()> {
    Ok(())
}
