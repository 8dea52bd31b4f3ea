//! `factmark learn <project> [--out FILE]`: train the learned recommenders on every human span of the
//! project and save them to a file of their own (never into the project); `factmark suggest --models FILE`
//! then suggests with them instead of training.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use clap::Args;

use super::load;
use crate::analysis::suggest::{DocSuggestions, Recommender, SuggestError, SuggestOptions, Suggester, learn};
use crate::model::{Document, Project};
use crate::session::job::Progress;
use crate::session::project_source::DocSource;
use crate::session::project_wide::{TrainingCap, TrainingSet, training_set};
use crate::session::saved_models::{default_models_path, load_models, save_models};

/// Arguments of `factmark learn …`.
#[derive(Debug, Args)]
pub struct LearnArgs {
    /// The project whose human spans to learn from.
    pub project: PathBuf,
    /// Where to save the models (default: beside the project, `<name>.models.json`).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Which learned recommenders, comma-separated: strings, clauses, tagger, links (default: those the
    /// project has on).
    #[arg(long, value_delimiter = ',')]
    pub recommenders: Option<Vec<Recommender>>,
}

/// Runs `factmark learn …`. A project folder is not loaded whole: the learned recommenders train on its
/// labelled documents within [`TrainingCap::default`], only those documents read.
pub fn run(args: &LearnArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let (project, left_out) = match training_folder(&args.project)? {
        Some(set) => (set.project, set.left_out),
        None => (load(&args.project)?, 0),
    };
    let chosen = super::suggest_cmd::chosen(&args.recommenders, false, &project)?;
    let what = SuggestOptions::only(&chosen).learn;
    if !what.any() {
        anyhow::bail!("none of the chosen recommenders learns: choose from strings, clauses, tagger, links");
    }
    let learned = learn(&project, None, what, &|| false);
    if left_out > 0 {
        let cap = TrainingCap::default();
        writeln!(
            out,
            "left out {left_out} labelled document(s) over the training cap ({} documents, {} spans)",
            cap.documents, cap.spans
        )?;
    }
    let path = args.out.clone().unwrap_or_else(|| default_models_path(&args.project));
    let bytes = save_models(&project, &learned, &path).with_context(|| args.project.display().to_string())?;
    writeln!(out, "learned from {} document(s), {} span(s): {}", learned.documents, learned.spans, learned.summary())?;
    writeln!(out, "saved {} ({} KB)", path.display(), bytes.div_ceil(1024))?;
    Ok(())
}

/// The capped training set of the project folder at `path` ([`training_set`]), or `None` when `path` is a
/// single-file project.
pub(super) fn training_folder(path: &Path) -> anyhow::Result<Option<TrainingSet>> {
    let Some(index) = crate::store::folder::read_index(path)? else { return Ok(None) };
    let source = DocSource::folder(index, None, Vec::new());
    let set = training_set(&source, None, TrainingCap::default(), &Progress::default())
        .with_context(|| path.display().to_string())?;
    Ok(Some(set))
}

/// Suggestions for `docs` by `chosen` recommenders, the learned ones taken from the models file at
/// `models` (nothing is trained). Warnings about the file go to stderr.
pub(super) fn suggest_with_models(
    project: &Project,
    docs: &[&Document],
    chosen: &[Recommender],
    labels: Option<Vec<String>>,
    models: &Path,
) -> anyhow::Result<(Vec<DocSuggestions>, Vec<SuggestError>)> {
    let (learned, warnings) = load_models(models, project)?;
    for w in warnings {
        eprintln!("warning: {w}");
    }
    let options = SuggestOptions { labels, ..SuggestOptions::only(chosen) };
    let (suggester, errors) = Suggester::new(&project.schema, &project.rules, &options)?;
    let suggester = suggester.with_learned(Arc::new(learned));
    Ok((docs.iter().map(|d| (d.id.clone(), suggester.suggest(d))).collect(), errors))
}
