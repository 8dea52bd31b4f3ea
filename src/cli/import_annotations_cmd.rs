//! `factmark import-annotations`: spans and relations from another tool's dataset files, back into a
//! project.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};

use super::load;
use crate::formats::{self, DoccanoUnits, Format, ImportOptions};
use crate::session::export::plural;
use crate::store;

/// `factmark import-annotations`: checks everything first; any problem imports nothing, except a bad
/// JSONL line when `skip_bad_lines` asks to list and leave such lines out.
pub fn import_annotations(
    path: &Path,
    format: Format,
    input: &Path,
    doccano_units: DoccanoUnits,
    annotator: String,
    skip_bad_lines: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if !format.importable() {
        let names: Vec<&str> = Format::ALL.iter().filter(|f| f.importable()).map(|f| f.as_str()).collect();
        bail!("{format} cannot be imported; import-annotations reads {}", names.join(", "));
    }
    let mut project = load(path)?;
    let options = ImportOptions { format, doccano_units, annotator };
    let plan = if skip_bad_lines {
        formats::plan_import_skipping_bad_lines(&project, input, &options)
    } else {
        formats::plan_import(&project, input, &options)
    }
    .context("nothing imported")?;
    super::import_cmd::report_skipped_lines(out, &plan.skipped_lines)?;
    if let Some(edit) = plan.edit {
        edit.apply(&mut project).with_context(|| format!("{}: nothing imported", path.display()))?;
        store::save(&project, path)?;
    }
    writeln!(
        out,
        "imported {}, {} into {} of {} ({} already present)",
        plural(plan.spans, "span"),
        plural(plan.relations, "relation"),
        plural(plan.documents, "document"),
        path.display(),
        plan.already_present
    )?;
    Ok(())
}
