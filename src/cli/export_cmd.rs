//! `factmark export`: dataset files in the formats NLP tools read.

use std::io::Write;

use super::{ExportArgs, load};
use crate::formats::{ExportOptions, Filter, TaskMapping};
use crate::session::export::{ExportRequest, export_files, export_folder, report_text};
use crate::session::job::Progress;

/// `factmark export`: the session's export workflow ([`crate::session::export`]): every file goes to a
/// temp file beside it as it is made, so a failure replaces nothing; the files are then put in place
/// together. With `--format all`, the formats are made on all cores, each writing its own files.
pub fn export(args: &ExportArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let request = ExportRequest {
        out: args.out.clone(),
        format: args.format,
        filter: Filter {
            labels: args.labels.clone(),
            statuses: args.status.clone(),
            annotator: args.annotator.clone(),
            accepted_only: args.accepted_only,
        },
        options: ExportOptions {
            doccano_units: args.doccano_units,
            flat: args.flat,
            labels: args.labels.clone(),
            mapping: TaskMapping {
                subjective_labels: args.subjective_labels.clone(),
                claim_label: args.claim_label.clone(),
                check_worthy_attribute: args.check_worthy_attribute.clone(),
            },
        },
    };
    let name = args.project.display().to_string();
    // A project folder streams (the JSONL formats read a batch of documents at a time).
    let outcome = match crate::store::folder::read_index(&args.project)? {
        Some(index) => export_folder(&index, &name, &request, &Progress::default())?,
        None => export_files(&load(&args.project)?, &name, &request, &Progress::default())?,
    };
    write!(out, "{}", report_text(&outcome))?;
    Ok(())
}
