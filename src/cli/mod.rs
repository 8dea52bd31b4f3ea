//! The command line: the same core as the desktop app, no window.
//!
//! Exit codes: 0 success, 1 bad input (one line on stderr naming the file and the problem), 2 usage error.

mod agree_cmd;
mod args;
mod commands;
mod convert_cmd;
mod export_cmd;
mod gen_corpus_cmd;
mod git_cmd;
mod import_annotations_cmd;
mod import_cmd;
pub mod json;
mod learn_cmd;
mod merge_cmd;
mod recommenders_cmd;
mod resolve_cmd;
mod simulate_cmd;
mod suggest_cmd;
mod suggest_llm;

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

pub use args::{Cli, Command, DocCommand, ExportArgs, RelationCommand, SpanCommand};
pub use merge_cmd::MergeArgs;

use crate::edit::Edit;
use crate::model::Project;
use crate::store;

/// What the process was asked to do.
pub enum Invocation {
    /// Open the desktop app, on this project if one is named.
    Window(Option<std::path::PathBuf>),
    /// Run a headless command.
    Command(Command),
}

/// Parses the process arguments. A usage error, `--help` or `--version` has been printed when this
/// returns `Err`, with the exit code to end with.
pub fn parse() -> Result<Invocation, ExitCode> {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _printed = err.print();
            return Err(ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2)));
        }
    };
    if let (None, Some(project)) = (&cli.command, &cli.project)
        && !project.exists()
    {
        eprintln!(
            "error: {:?} is neither a factmark command nor an existing project file\n\nFor more information, try '--help'.",
            project.display().to_string()
        );
        return Err(ExitCode::from(2));
    }
    Ok(match cli.command {
        Some(command) => Invocation::Command(command),
        None => Invocation::Window(cli.project),
    })
}

/// An error that asks for a particular exit code: the merge driver's 1 (conflicts) and 2 (unreadable input)
/// mean different things to git. The message is printed as is.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ExitWith {
    /// The process's exit code.
    pub code: u8,
    /// What to print on stderr.
    pub message: String,
}

/// The exit code for a result: 0, or 1 with the error on one line on stderr ([`ExitWith`] chooses its own).
pub fn exit_code(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.downcast_ref::<ExitWith>().is_some() => {
            let code = err.downcast_ref::<ExitWith>().map_or(1, |e| e.code);
            eprintln!("{err}");
            ExitCode::from(code)
        }
        Err(err) => {
            eprintln!("error: {}", error_line(&err));
            ExitCode::from(1)
        }
    }
}

/// The error and its causes on one line, without repeating text a cause already put in its parent.
pub fn error_line(err: &anyhow::Error) -> String {
    let mut out = err.to_string();
    for cause in err.chain().skip(1) {
        let cause = cause.to_string();
        if !out.contains(&cause) {
            out.push_str(": ");
            out.push_str(&cause);
        }
    }
    out.replace('\n', " ")
}

/// Runs one headless command, writing its report to `out`.
pub fn run(command: Command, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    match command {
        Command::New { project, name, preset } => commands::new_project(&project, name, preset, out),
        Command::Import { project, paths, skip_bad_lines } => {
            import_cmd::import(&project, &paths, crate::import::ArticleOptions { skip_bad_lines }, out)
        }
        Command::Span(cmd) => commands::span(cmd, out),
        Command::Relation(cmd) => commands::relation(cmd, out),
        Command::Doc(cmd) => commands::doc(cmd, out),
        Command::Stats { project, json } => commands::stats(&project, json, out),
        Command::Validate { project } => commands::validate(&project, out),
        Command::Resolve(args) => resolve_cmd::resolve_field(&args, out),
        Command::Export(args) => export_cmd::export(&args, out),
        Command::ImportAnnotations { project, format, input, doccano_units, annotator, skip_bad_lines } => {
            let annotator = annotator.unwrap_or_else(default_annotator);
            import_annotations_cmd::import_annotations(
                &project,
                format,
                &input,
                doccano_units,
                annotator,
                skip_bad_lines,
                out,
            )
        }
        Command::Merge(args) => merge_cmd::merge(&args, out),
        Command::Agree(args) => agree_cmd::agree(&args, out),
        Command::Suggest(args) => suggest_cmd::suggest(&args, out),
        Command::Simulate(args) => simulate_cmd::run(&args, out),
        Command::Recommenders(args) => recommenders_cmd::run(&args, out),
        Command::Learn(args) => learn_cmd::run(&args, out),
        Command::Convert(args) => convert_cmd::run(&args, out),
        Command::GenCorpus(args) => gen_corpus_cmd::gen_corpus(&args, out),
        Command::MergeDriver(args) => git_cmd::merge_driver(&args),
        Command::GitSetup { repo } => git_cmd::git_setup(repo.as_deref(), out),
        Command::GitRestore { project } => git_cmd::git_restore(&project, out),
    }
}

/// Loads a project; the error names the file.
fn load(path: &Path) -> anyhow::Result<Project> {
    Ok(store::load(path)?)
}

/// Applies `edit` to the project at `path` and saves it. Nothing is written if the edit is refused.
fn edit_and_save(path: &Path, project: &mut Project, edit: Edit) -> anyhow::Result<()> {
    // As in the window: relabelling or resizing an accepted suggestion records that it was changed.
    let edit = crate::analysis::suggest::provenance::mark_changed_suggestions(project, edit);
    let touched = edit.document().cloned();
    edit.apply(project).with_context(|| path.display().to_string())?;
    match touched {
        // One document changed: in a project folder, only its files and the index are written, the
        // other documents not even serialised.
        Some(doc) if path.is_dir() => {
            store::folder::save_changed(project, path, &[doc])?;
        }
        _ => store::save(project, path)?,
    }
    Ok(())
}

/// The annotator recorded on spans made from the command line when `--annotator` is not given.
fn default_annotator() -> String {
    std::env::var("FACTMARK_ANNOTATOR").or_else(|_| std::env::var("USER")).unwrap_or_default()
}
