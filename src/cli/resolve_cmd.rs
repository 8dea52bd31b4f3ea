//! `factmark span resolve <project> <span id>`: settles a conflict a merge left by keeping one alternative.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use super::{edit_and_save, load};
use crate::merge::resolve_edit;
use crate::model::SpanId;

/// Keeps span `id` and removes the other alternatives of its conflict group (see
/// [`crate::merge::resolve_edit`], which the window's "Keep this version" button uses too). One undoable
/// step.
pub fn resolve(path: &Path, id: u64, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut project = load(path)?;
    let id = SpanId(id);
    let resolution = resolve_edit(&project, id).with_context(|| path.display().to_string())?;
    edit_and_save(path, &mut project, resolution.edit)?;
    let removed: Vec<String> = resolution.removed.iter().map(SpanId::to_string).collect();
    writeln!(
        out,
        "span {id} kept in doc {}; removed alternative(s) {}; {} relation(s) moved to it",
        resolution.doc,
        if removed.is_empty() { "none".to_string() } else { removed.join(", ") },
        resolution.moved_relations
    )?;
    Ok(())
}
