//! Merging annotators' copies of a project into a new file, as both the command line (`factmark merge`)
//! and the window (File → Merge projects) do it: the rules on which target is allowed, the names given to
//! inputs, the check before writing, and the report both show.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use crate::merge::{MergeError, MergeInput, MergeReport, merge_projects};
use crate::model::{Project, validate};
use crate::store::{self, StoreError};

use super::job::Progress;

/// What to merge, and where to.
#[derive(Clone, Debug)]
pub struct MergeRequest {
    /// The merged project to write.
    pub out: PathBuf,
    /// The annotators' project files (two or more).
    pub inputs: Vec<PathBuf>,
    /// Replace `out` if it exists (the previous file is kept as a backup).
    pub replace: bool,
}

/// A merge written.
#[derive(Debug)]
pub struct MergeOutcome {
    /// The file written.
    pub out: PathBuf,
    /// What was merged and what differed.
    pub report: MergeReport,
}

/// Why a merge was not written. Nothing is written in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum MergeFilesError {
    /// Fewer than two inputs.
    #[error("give two or more projects to merge")]
    TooFewInputs,
    /// The target is one of the inputs: writing it would replace an annotator's work.
    #[error("{0}: is also an input; write the merge to a new file")]
    TargetIsInput(PathBuf),
    /// The target exists and replacing it was not asked for.
    #[error("{0}: already exists; write the merge to a new file")]
    TargetExists(PathBuf),
    /// An input could not be read, or the result written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The merge itself refused.
    #[error("{path}: {source}")]
    Merge {
        /// The target.
        path: PathBuf,
        /// Why.
        source: MergeError,
    },
    /// The merged project fails a check (a bug in the merge, reported rather than written).
    #[error("{path}: the merged project would be invalid: {problem}")]
    Invalid {
        /// The target.
        path: PathBuf,
        /// The first problem found.
        problem: String,
    },
    /// The user cancelled before anything was written.
    #[error("merge cancelled; nothing written")]
    Cancelled,
}

/// Merges `request.inputs` into `request.out`. Progress counts the inputs read, then the write.
pub fn merge_files(request: &MergeRequest, progress: &Progress) -> Result<MergeOutcome, MergeFilesError> {
    let target = &request.out;
    if request.inputs.len() < 2 {
        return Err(MergeFilesError::TooFewInputs);
    }
    if request.inputs.iter().any(|input| same_file(input, target)) {
        return Err(MergeFilesError::TargetIsInput(target.clone()));
    }
    if target.exists() && !request.replace {
        return Err(MergeFilesError::TargetExists(target.clone()));
    }
    let total = request.inputs.len() as u64 + 1;
    let mut projects: Vec<Project> = Vec::with_capacity(request.inputs.len());
    for (i, path) in request.inputs.iter().enumerate() {
        if progress.is_cancelled() {
            return Err(MergeFilesError::Cancelled);
        }
        projects.push(store::load(path)?);
        progress.set(i as u64 + 1, total);
    }
    let names = input_names(&request.inputs);
    let inputs: Vec<MergeInput> =
        names.iter().zip(&projects).map(|(name, project)| MergeInput { name, project }).collect();
    let merged = merge_projects(&inputs).map_err(|source| MergeFilesError::Merge { path: target.clone(), source })?;
    // The merge keeps every invariant by construction; checking before writing makes a bug there an error
    // message instead of a project file that will not load.
    if let Some(problem) = validate::problems(&merged.project).first() {
        return Err(MergeFilesError::Invalid { path: target.clone(), problem: problem.to_string() });
    }
    if progress.is_cancelled() {
        return Err(MergeFilesError::Cancelled);
    }
    store::save(&merged.project, target)?;
    progress.set(total, total);
    Ok(MergeOutcome { out: target.clone(), report: merged.report })
}

/// Whether two paths name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The name each input goes by in the report and on its unnamed spans: its file stem, or the whole path
/// where two inputs share a stem, so every input has its own name.
fn input_names(paths: &[PathBuf]) -> Vec<String> {
    let stem =
        |p: &PathBuf| p.file_stem().map_or_else(|| p.display().to_string(), |s| s.to_string_lossy().into_owned());
    let stems: Vec<String> = paths.iter().map(stem).collect();
    paths
        .iter()
        .zip(&stems)
        .map(
            |(path, s)| {
                if stems.iter().filter(|o| *o == s).count() > 1 { path.display().to_string() } else { s.clone() }
            },
        )
        .collect()
}

/// The merge report as the command line prints it and the window shows it.
pub fn report_text(report: &MergeReport, target: &Path) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _complete = write_report(report, target, &mut out);
    out
}

fn write_report(report: &MergeReport, target: &Path, out: &mut String) -> std::fmt::Result {
    writeln!(
        out,
        "merged {} projects into {}: {} documents ({} in every input), {} spans, {} relations",
        report.inputs.len(),
        target.display(),
        report.documents,
        report.documents_in_all,
        report.spans,
        report.relations
    )?;
    for input in &report.inputs {
        write!(
            out,
            "  {}: {} documents, {} spans, {} relations",
            input.name, input.documents, input.spans, input.relations
        )?;
        if input.spans_given_input_name > 0 {
            write!(out, " ({} spans without an annotator now by {:?})", input.spans_given_input_name, input.name)?;
        }
        writeln!(out)?;
    }
    if report.duplicate_spans > 0 || report.duplicate_relations > 0 {
        writeln!(
            out,
            "kept once: {} exact duplicate spans (same range, label and annotator), {} duplicate relations",
            report.duplicate_spans, report.duplicate_relations
        )?;
    }
    for d in &report.duplicate_differences {
        writeln!(
            out,
            "  duplicate of span {} in {} from {} differs in {}; kept the first",
            d.span,
            d.doc,
            d.input,
            d.fields.join(", ")
        )?;
    }
    if report.rules > 0 {
        writeln!(out, "added {} suggestion rules from later inputs", report.rules)?;
    }
    if !report.partial_documents.is_empty() {
        writeln!(out, "documents not in every input (kept):")?;
        for d in &report.partial_documents {
            writeln!(
                out,
                "  {} {:?}: in {}; missing from {}",
                d.doc,
                d.title,
                d.present_in.join(", "),
                d.missing_from.join(", ")
            )?;
        }
    }
    for r in &report.renamed_documents {
        writeln!(
            out,
            "renamed document {} from {} to {} (its id was taken by another text)",
            r.old_id, r.input, r.new_id
        )?;
    }
    for r in &report.repeated_texts {
        writeln!(out, "document {} in {} has the same text as {}; merged into it", r.doc, r.input, r.same_as)?;
    }
    if !report.doc_conflicts.is_empty() {
        writeln!(out, "document fields that differ (the first non-empty value is kept):")?;
        for c in &report.doc_conflicts {
            let values: Vec<String> = c.values.iter().map(|v| format!("{} {:?}", v.input, v.value)).collect();
            writeln!(out, "  {} {}: {} → kept {:?}", c.doc, c.field, values.join(", "), c.kept)?;
        }
    }
    if !report.schema.is_empty() {
        writeln!(out, "schema differences:")?;
        for d in &report.schema {
            let values: Vec<String> = d.values.iter().map(|v| format!("{} {}", v.input, v.value)).collect();
            writeln!(out, "  {} {} ({}): {} → {}", d.item, d.name, d.aspect, values.join(", "), d.resolution)?;
        }
    }
    for s in &report.skipped_relations {
        writeln!(out, "left out relation {} of {} in {}: {}", s.relation, s.doc, s.input, s.reason)?;
    }
    Ok(())
}
