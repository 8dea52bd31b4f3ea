//! Exporting a dataset, as both the command line (`factmark export`) and the window (File → Export) do it:
//! which targets a format may write to, selecting the documents, building the files, writing them all or
//! none, and the report both show.
//!
//! Two ways to run it. [`export_files`] writes each file to a temp file as it is made and puts them all in
//! place at the end (the command line: nothing is held in memory). [`preview`] builds the files in memory
//! so the window can show them before anything changes; [`write_preview`] then writes them, all or none.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use crate::formats::{
    self, Destination, Export, ExportOptions, Filter, Format, FormatChoice, FormatError, InMemory, LeftOut, StreamPlan,
};
use crate::model::Project;
use crate::store;
use crate::store::folder::FolderIndex;

use super::job::Progress;

/// What to export, and where.
#[derive(Clone, Debug)]
pub struct ExportRequest {
    /// The file, or the folder for brat, csv and every format at once.
    pub out: PathBuf,
    /// One format, or all of them.
    pub format: FormatChoice,
    /// Which documents, spans and relations.
    pub filter: Filter,
    /// Format options.
    pub options: ExportOptions,
}

/// Why nothing was exported. Nothing is written in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A format that writes a folder was given a file.
    #[error("{}: {what} writes a folder, but this is a file", path.display())]
    FolderFormatToFile {
        /// The target.
        path: PathBuf,
        /// The format as the user named it (`brat`, `--format all`).
        what: String,
    },
    /// A format that writes one file was given a folder.
    #[error("{}: {format} writes a file, but this is a folder", path.display())]
    FileFormatToFolder {
        /// The target.
        path: PathBuf,
        /// The format.
        format: Format,
    },
    /// The filter names something the project lacks.
    #[error("{project}: {source}")]
    Select {
        /// The project as the user knows it (its file).
        project: String,
        /// Why.
        source: FormatError,
    },
    /// A format could not hold the data.
    #[error("nothing exported: {0}")]
    Format(#[source] FormatError),
    /// The files could not be written.
    #[error("nothing exported: {0}")]
    Write(#[source] io::Error),
    /// The user cancelled before anything was written.
    #[error("export cancelled; nothing written")]
    Cancelled,
    /// A document of a project folder could not be read (the message names its file).
    #[error("nothing exported: {0}")]
    Read(#[from] store::StoreError),
}

/// What was exported, per format, and what the filter left out.
#[derive(Debug)]
pub struct ExportOutcome {
    /// Each format's files (their bytes dropped once written) and summary, with the path it went to.
    pub exports: Vec<(Format, PathBuf, Export)>,
    /// Documents, spans or relations the filter left out, with why.
    pub left_out: LeftOut,
}

/// An export built in memory, not yet written.
#[derive(Debug)]
pub struct ExportPreview {
    /// As in [`ExportOutcome`], with the files' bytes.
    pub outcome: ExportOutcome,
}

/// Whether `format` writes a folder of files rather than one file.
pub fn writes_folder(format: Format) -> bool {
    matches!(format, Format::Brat | Format::Csv)
}

/// Refuses a file where the export writes a folder, and the reverse.
pub fn check_target(target: &Path, choice: FormatChoice) -> Result<(), ExportError> {
    match choice {
        FormatChoice::All if target.is_file() => {
            Err(ExportError::FolderFormatToFile { path: target.to_path_buf(), what: "--format all".into() })
        }
        FormatChoice::All => Ok(()),
        FormatChoice::One(format) if writes_folder(format) && target.is_file() => {
            Err(ExportError::FolderFormatToFile { path: target.to_path_buf(), what: format.to_string() })
        }
        FormatChoice::One(format) if !writes_folder(format) && target.is_dir() => {
            Err(ExportError::FileFormatToFolder { path: target.to_path_buf(), format })
        }
        FormatChoice::One(_) => Ok(()),
    }
}

/// Where one format's files go: the target itself, or its place in the folder of an export of all.
fn target_of(request: &ExportRequest, format: Format) -> PathBuf {
    match request.format {
        FormatChoice::One(_) => request.out.clone(),
        FormatChoice::All => formats::bundle_path(&request.out, format),
    }
}

/// Checks the target, selects the documents and builds every chosen format's files into `dest`.
fn build(
    project: &Project,
    project_name: &str,
    request: &ExportRequest,
    dest: &dyn Destination,
) -> Result<ExportOutcome, ExportError> {
    check_target(&request.out, request.format)?;
    let select = |source| ExportError::Select { project: project_name.to_string(), source };
    let (docs, left_out) = formats::select(project, &request.filter).map_err(select)?;
    let (schema, options, out) = (&project.schema, &request.options, &request.out);
    let exports = match request.format {
        FormatChoice::One(format) => {
            vec![(format, formats::export_to(schema, &docs, format, options, out, dest).map_err(ExportError::Format)?)]
        }
        FormatChoice::All => {
            formats::export_many_to(schema, &docs, &Format::ALL, options, out, dest).map_err(ExportError::Format)?
        }
    };
    let exports = exports.into_iter().map(|(f, e)| (f, target_of(request, f), e)).collect();
    Ok(ExportOutcome { exports, left_out })
}

/// Exports `project` as `request` asks, writing as it goes; all files are put in place at the end, or none
/// (a temp file per file until then). `project_name` names the project in messages (its file).
pub fn export_files(
    project: &Project,
    project_name: &str,
    request: &ExportRequest,
    progress: &Progress,
) -> Result<ExportOutcome, ExportError> {
    // Dropped without a commit (any error below), it removes its temp files and the targets stay as they were.
    let batch = store::Batch::new();
    let outcome = build(project, project_name, request, &batch)?;
    if progress.is_cancelled() {
        return Err(ExportError::Cancelled);
    }
    batch.commit().map_err(ExportError::Write)?;
    Ok(outcome)
}

/// [`export_files`] for the project folder `index`: a JSONL format (doccano, doccano-rel, spaCy, Prodigy)
/// is made from its documents read a batch at a time on every core and written in project order, so the
/// whole project is never in memory; the file is byte for byte what [`export_files`] writes for the same
/// project loaded whole. Any other choice loads the project and exports it as [`export_files`] does.
pub fn export_folder(
    index: &FolderIndex,
    project_name: &str,
    request: &ExportRequest,
    progress: &Progress,
) -> Result<ExportOutcome, ExportError> {
    let format = match request.format {
        FormatChoice::One(format) if StreamPlan::streams(format) => format,
        FormatChoice::One(_) | FormatChoice::All => {
            return export_files(&index.load()?, project_name, request, progress);
        }
    };
    check_target(&request.out, request.format)?;
    let select = |source| ExportError::Select { project: project_name.to_string(), source };
    let plan = StreamPlan::new(&index.header().schema, format, &request.filter, &request.options, &request.out)
        .map_err(select)?;
    // Dropped without a commit (any error below), it removes its temp file and the target stays as it was.
    let batch = store::Batch::new();
    let mut writer = plan.writer(&batch).map_err(ExportError::Format)?;
    index.for_each_batch(
        store::folder::BATCH,
        |docs| {
            if progress.is_cancelled() {
                return Err(ExportError::Cancelled);
            }
            plan.part(&docs).map_err(ExportError::Format)
        },
        |part| writer.append(part).map_err(ExportError::Format),
    )?;
    let (export, left_out) = writer.finish(&plan).map_err(ExportError::Format)?;
    if progress.is_cancelled() {
        return Err(ExportError::Cancelled);
    }
    batch.commit().map_err(ExportError::Write)?;
    Ok(ExportOutcome { exports: vec![(format, request.out.clone(), export)], left_out })
}

/// Builds the export in memory, writing nothing, for the window to show first.
pub fn preview(
    project: &Project,
    project_name: &str,
    request: &ExportRequest,
    progress: &Progress,
) -> Result<ExportPreview, ExportError> {
    let outcome = build(project, project_name, request, &InMemory)?;
    if progress.is_cancelled() {
        return Err(ExportError::Cancelled);
    }
    Ok(ExportPreview { outcome })
}

/// Writes a previewed export, all files or none ([`store::write_batch`]).
pub fn write_preview(preview: ExportPreview) -> Result<ExportOutcome, ExportError> {
    let mut outcome = preview.outcome;
    let files: Vec<(&Path, &[u8])> =
        outcome.exports.iter().flat_map(|(_, _, e)| &e.files).map(|f| (f.path.as_path(), f.bytes.as_slice())).collect();
    store::write_batch(&files).map_err(ExportError::Write)?;
    // Written: the bytes are not needed any more (an export of every format holds hundreds of megabytes).
    for (_, _, export) in &mut outcome.exports {
        for file in &mut export.files {
            file.bytes = Vec::new();
        }
    }
    Ok(outcome)
}

/// How many files an export wrote.
pub fn file_count(outcome: &ExportOutcome) -> usize {
    outcome.exports.iter().map(|(_, _, e)| e.files.len()).sum()
}

/// `n one`, or `n ones`: the counts in reports.
pub fn plural(n: usize, one: &str) -> String {
    if n == 1 { format!("{n} {one}") } else { format!("{n} {one}s") }
}

/// The report the command line prints and the window shows after an export.
pub fn report_text(outcome: &ExportOutcome) -> String {
    let mut out = String::new();
    let several = outcome.exports.len() > 1;
    for (format, target, export) in &outcome.exports {
        // Writing into a String cannot fail.
        let _complete = write_report(*format, target, export, several, &mut out);
    }
    for (count, reason) in &outcome.left_out {
        let _complete = writeln!(out, "left out {count} {reason}");
    }
    out
}

/// The lines of one format's export; `several` marks the notes with the format they belong to.
fn write_report(format: Format, target: &Path, export: &Export, several: bool, out: &mut String) -> std::fmt::Result {
    let s = &export.summary;
    writeln!(
        out,
        "exported {}, {}, {} as {format} to {}",
        plural(s.documents, "document"),
        plural(s.spans, "span"),
        plural(s.relations, "relation"),
        target.display()
    )?;
    if writes_folder(format) {
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
