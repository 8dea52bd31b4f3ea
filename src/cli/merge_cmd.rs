//! `factmark merge <out.ron> <a.ron> <b.ron> [...]`: merge annotators' copies of a project.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use serde::Serialize;

use super::load;
use crate::merge::{MergeInput, MergeReport, merge_projects};
use crate::model::{Project, validate};
use crate::store;

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
    let target = &args.out;
    for input in &args.inputs {
        if same_file(input, target) {
            bail!("{}: is also an input; write the merge to a new file", target.display());
        }
    }
    if target.exists() && !args.force {
        bail!("{}: already exists; give --force to replace it", target.display());
    }
    let projects: Vec<Project> = args.inputs.iter().map(|p| load(p)).collect::<anyhow::Result<_>>()?;
    let names = input_names(&args.inputs);
    let inputs: Vec<MergeInput> =
        names.iter().zip(&projects).map(|(name, project)| MergeInput { name, project }).collect();
    let merged = merge_projects(&inputs).with_context(|| target.display().to_string())?;
    // The merge keeps every invariant by construction; checking before writing makes a bug there an error
    // message instead of a project file that will not load.
    if let Some(problem) = validate::problems(&merged.project).first() {
        bail!("{}: the merged project would be invalid: {problem}", target.display());
    }
    store::save(&merged.project, target)?;
    if args.json {
        let shown = MergeJson { out: target.display().to_string(), report: &merged.report };
        writeln!(out, "{}", serde_json::to_string_pretty(&shown)?)?;
    } else {
        print_report(&merged.report, target, out)?;
    }
    Ok(())
}

/// Whether two paths name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// File stems, or the whole path where two inputs share a stem, so every input has its own name.
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

fn print_report(report: &MergeReport, target: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
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
