//! `factmark merge <out.ron> <a.ron> <b.ron> [...]`: merge annotators' copies of a project. The workflow
//! is the session's ([`crate::session::merge_files`]), the same the window runs.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use crate::merge::MergeReport;
use crate::session::job::Progress;
use crate::session::merge_files::{MergeFilesError, MergeRequest, merge_files, report_text};

/// Arguments of `factmark merge …`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The merged project to write. An existing file is refused unless --force is given.
    pub out: PathBuf,
    /// The annotators' project files (two or more). Spans without an annotator get the file's stem.
    #[arg(required = true, num_args = 2..)]
    pub inputs: Vec<PathBuf>,
    /// Replace OUT if it exists (the previous file is kept as OUT.bak).
    #[arg(long)]
    pub force: bool,
    /// Print the merge report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The JSON printed by `merge --json`: the report with the file written.
#[derive(Serialize)]
struct MergeJson<'a> {
    out: String,
    #[serde(flatten)]
    report: &'a MergeReport,
}

/// Runs `factmark merge …`.
pub fn merge(args: &MergeArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let request = MergeRequest { out: args.out.clone(), inputs: args.inputs.clone(), replace: args.force };
    let merged = match merge_files(&request, &Progress::default()) {
        Ok(merged) => merged,
        Err(MergeFilesError::TargetExists(path)) => {
            anyhow::bail!("{}: already exists; give --force to replace it", path.display())
        }
        Err(err) => return Err(err.into()),
    };
    if args.json {
        let shown = MergeJson { out: merged.out.display().to_string(), report: &merged.report };
        writeln!(out, "{}", serde_json::to_string_pretty(&shown)?)?;
    } else {
        write!(out, "{}", report_text(&merged.report, &merged.out))?;
    }
    Ok(())
}
