//! `factmark export`: dataset files in the formats NLP tools read.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};

use super::{ExportArgs, load};
use crate::formats::{self, ExportOptions, Filter, Format, FormatChoice, TaskMapping};
use crate::store;

pub(super) fn plural(n: usize, one: &str) -> String {
    if n == 1 { format!("{n} {one}") } else { format!("{n} {one}s") }
}

/// `factmark export`: every file goes to a temp file beside it as it is made, so a failure replaces
/// nothing; the files are then put in place together ([`store::Batch`]). With `--format all`, the formats
/// are made on all cores, each writing its own files.
pub fn export(args: &ExportArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let project = load(&args.project)?;
    let filter = Filter {
        labels: args.labels.clone(),
        statuses: args.status.clone(),
        annotator: args.annotator.clone(),
        accepted_only: args.accepted_only,
    };
    let (docs, filtered) = formats::select(&project, &filter).with_context(|| args.project.display().to_string())?;
    let options = ExportOptions {
        doccano_units: args.doccano_units,
        flat: args.flat,
        labels: args.labels.clone(),
        mapping: TaskMapping {
            subjective_labels: args.subjective_labels.clone(),
            claim_label: args.claim_label.clone(),
            check_worthy_attribute: args.check_worthy_attribute.clone(),
        },
    };
    // Dropped without a commit (any error below), it removes its temp files and the targets stay as they were.
    let batch = store::Batch::new();
    let exports = match args.format {
        FormatChoice::One(format) => {
            check_target(&args.out, format)?;
            let export = formats::export_to(&project.schema, &docs, format, &options, &args.out, &batch)
                .context("nothing exported")?;
            vec![(format, export)]
        }
        FormatChoice::All => {
            if args.out.is_file() {
                bail!("{}: --format all writes a folder, but this is a file", args.out.display());
            }
            formats::export_many_to(&project.schema, &docs, &Format::ALL, &options, &args.out, &batch)
                .context("nothing exported")?
        }
    };
    batch.commit().context("nothing exported")?;
    for (format, export) in &exports {
        let target = match args.format {
            FormatChoice::One(_) => args.out.clone(),
            FormatChoice::All => formats::bundle_path(&args.out, *format),
        };
        report(*format, &target, export, exports.len() > 1, out)?;
    }
    for (count, reason) in &filtered {
        writeln!(out, "left out {count} {reason}")?;
    }
    Ok(())
}

/// Refuses a file where a folder format writes a folder, and the reverse.
fn check_target(target: &Path, format: Format) -> anyhow::Result<()> {
    if is_folder_format(format) {
        if target.is_file() {
            bail!("{}: {format} writes a folder, but this is a file", target.display());
        }
    } else if target.is_dir() {
        bail!("{}: {format} writes a file, but this is a folder", target.display());
    }
    Ok(())
}

fn is_folder_format(format: Format) -> bool {
    matches!(format, Format::Brat | Format::Csv)
}

/// The summary lines of one format's export; `several` marks the notes with the format they belong to.
fn report(
    format: Format,
    target: &Path,
    export: &formats::Export,
    several: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let s = &export.summary;
    writeln!(
        out,
        "exported {}, {}, {} as {format} to {}",
        plural(s.documents, "document"),
        plural(s.spans, "span"),
        plural(s.relations, "relation"),
        target.display()
    )?;
    if is_folder_format(format) {
        writeln!(out, "wrote {} in {}", plural(export.files.len(), "file"), target.display())?;
    } else {
        for file in export.files.iter().skip(1) {
            writeln!(out, "also wrote {}", file.path.display())?;
        }
    }
    let tag = if several { format!(" ({format})") } else { String::new() };
    for (count, reason) in &s.dropped {
        writeln!(out, "left out {count} {reason}{tag}")?;
    }
    for (count, what) in &s.warnings {
        writeln!(out, "note: {count} {what}{tag}")?;
    }
    Ok(())
}
