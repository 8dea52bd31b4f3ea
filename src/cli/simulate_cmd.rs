//! `factmark simulate <gold project>`: replay the annotation of a hand-labelled project in document order
//! and report what the suggestions would have saved (see [`crate::analysis::suggest::simulate`]).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::load;
use crate::analysis::suggest::simulate::{TimeModel, simulate};
use crate::analysis::suggest::{Recommender, SuggestOptions};

/// Arguments of `factmark simulate …`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The gold project: every document labelled exhaustively, in the order an annotator would take them.
    pub project: PathBuf,
    /// Which recommenders, comma-separated: cues, rules, strings, clauses, tagger, links (default: all).
    #[arg(long, value_delimiter = ',')]
    pub recommenders: Option<Vec<Recommender>>,
    /// The summary counts the documents after this many (the "once N documents are labelled" figure).
    #[arg(long, default_value_t = 4)]
    pub warmup: usize,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `factmark simulate …`.
pub fn run(args: &SimulateArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let project = load(&args.project)?;
    let chosen = super::suggest_cmd::chosen(&args.recommenders, false, &project)?;
    let names = chosen.iter().map(|r| r.name().to_string()).collect();
    let options = SuggestOptions::only(&chosen);
    let sim = simulate(&project, &options, names, TimeModel::default(), args.warmup, &|| false)
        .with_context(|| args.project.display().to_string())?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&sim)?)?;
    } else {
        writeln!(out, "{} documents of {}", sim.runs.len(), args.project.display())?;
        write!(out, "{sim}")?;
    }
    Ok(())
}
