//! `factmark export` and `factmark import-annotations`: dataset files in the formats NLP tools read.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};

use super::{ExportArgs, load};
use crate::formats::{self, DoccanoUnits, ExportOptions, Filter, Format, ImportOptions};
use crate::store;

fn plural(n: usize, one: &str) -> String {
    if n == 1 { format!("{n} {one}") } else { format!("{n} {one}s") }
}

/// `factmark export`: builds every file in memory first, so a failure writes nothing; each file is then
/// replaced atomically.
pub fn export(args: &ExportArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let project = load(&args.project)?;
    let filter = Filter {
        labels: args.labels.clone(),
        statuses: args.status.clone(),
        annotator: args.annotator.clone(),
        accepted_only: args.accepted_only,
    };
    let (docs, filtered) = formats::select(&project, &filter).with_context(|| args.project.display().to_string())?;
    let options = ExportOptions { doccano_units: args.doccano_units, flat: args.flat, labels: args.labels.clone() };
    let export = formats::export(&project.schema, &docs, args.format, &options, &args.out)?;
    let folder_format = matches!(args.format, Format::Brat | Format::Csv);
    if folder_format {
        if args.out.is_file() {
            bail!("{}: {} writes a folder, but this is a file", args.out.display(), args.format);
        }
        fs::create_dir_all(&args.out).with_context(|| args.out.display().to_string())?;
    } else if args.out.is_dir() {
        bail!("{}: {} writes a file, but this is a folder", args.out.display(), args.format);
    }
    for file in &export.files {
        store::write_atomic(&file.path, &file.bytes).with_context(|| file.path.display().to_string())?;
    }
    let s = &export.summary;
    writeln!(
        out,
        "exported {}, {}, {} as {} to {}",
        plural(s.documents, "document"),
        plural(s.spans, "span"),
        plural(s.relations, "relation"),
        args.format,
        args.out.display()
    )?;
    if !folder_format {
        for file in export.files.iter().skip(1) {
            writeln!(out, "also wrote {}", file.path.display())?;
        }
    } else {
        writeln!(out, "wrote {} in {}", plural(export.files.len(), "file"), args.out.display())?;
    }
    for (count, reason) in filtered.iter().chain(&s.dropped) {
        writeln!(out, "left out {count} {reason}")?;
    }
    for (count, what) in &s.warnings {
        writeln!(out, "note: {count} {what}")?;
    }
    Ok(())
}

/// `factmark import-annotations`: checks everything first; any problem imports nothing.
pub fn import_annotations(
    path: &Path,
    format: Format,
    input: &Path,
    doccano_units: DoccanoUnits,
    annotator: String,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if !format.importable() {
        let names: Vec<&str> = Format::ALL.iter().filter(|f| f.importable()).map(|f| f.as_str()).collect();
        bail!("{format} cannot be imported; import-annotations reads {}", names.join(", "));
    }
    let mut project = load(path)?;
    let options = ImportOptions { format, doccano_units, annotator };
    let plan = formats::plan_import(&project, input, &options).context("nothing imported")?;
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
