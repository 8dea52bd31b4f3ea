//! `factmark import`: read articles into a project as one undoable edit.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::bail;

use super::load;
use crate::import::plan_import;
use crate::store;

/// Imports files and folders. If any file is broken nothing is imported, so a re-run after fixing it
/// does not create duplicates.
pub fn import(path: &Path, paths: &[PathBuf], out: &mut dyn Write) -> anyhow::Result<()> {
    let mut project = load(path)?;
    let plan = plan_import(&project, paths);
    for skipped in &plan.skipped {
        writeln!(out, "skipped {}: {}", skipped.path.display(), skipped.reason)?;
    }
    for dup in &plan.duplicates {
        writeln!(
            out,
            "duplicate {}: {:?} has the same text as document {}",
            dup.path.display(),
            dup.title,
            dup.existing
        )?;
    }
    if let Some(first) = plan.errors.first() {
        for err in plan.errors.iter().skip(1) {
            eprintln!("error: {err}");
        }
        bail!("{first} (nothing imported)");
    }
    let added: Vec<(String, String, usize)> =
        plan.documents.iter().map(|d| (d.id.to_string(), d.title.clone(), d.char_len())).collect();
    if let Some(edit) = plan.into_edit() {
        edit.apply(&mut project).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        store::save(&project, path)?;
    }
    for (id, title, chars) in &added {
        writeln!(out, "imported {id}: {title} ({chars} chars)")?;
    }
    writeln!(out, "{} document(s) imported into {}", added.len(), path.display())?;
    Ok(())
}
