//! `factmark recommenders <project> [--off …] [--on …]`: which recommenders the project uses. The switch is
//! stored in the project (the window's checkboxes make the same edit), so `factmark suggest`, `simulate`
//! and the window all follow it.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{edit_and_save, load};
use crate::analysis::suggest::Recommender;
use crate::session::suggestions::{all_recommenders, enabled_recommenders, switch_recommender};

/// Arguments of `factmark recommenders …`.
#[derive(Debug, Args)]
pub struct RecommendersArgs {
    /// The project.
    pub project: PathBuf,
    /// Switch these off for the project, comma-separated (cues, rules, strings, clauses, tagger, links).
    #[arg(long, value_delimiter = ',')]
    pub off: Vec<Recommender>,
    /// Switch these back on, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub on: Vec<Recommender>,
}

/// Runs `factmark recommenders …`: applies the switches (one save), then lists every recommender.
pub fn run(args: &RecommendersArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let path = &args.project;
    let mut project = load(path)?;
    if let Some(both) = args.off.iter().find(|r| args.on.contains(r)) {
        anyhow::bail!("{both} is both in --off and in --on");
    }
    let wanted: Vec<(Recommender, bool)> =
        args.off.iter().map(|r| (*r, false)).chain(args.on.iter().map(|r| (*r, true))).collect();
    if !wanted.is_empty() {
        let mut scratch = project.clone();
        for (r, on) in &wanted {
            let edit = switch_recommender(&scratch, *r, *on);
            edit.apply(&mut scratch)?;
        }
        let edit = crate::edit::Edit::SetRecommendersOff { off: scratch.recommenders_off };
        edit_and_save(path, &mut project, edit)?;
        writeln!(out, "saved {}", path.display())?;
    }
    let enabled = enabled_recommenders(&project);
    for r in all_recommenders() {
        let state = if enabled.contains(&r) { "on " } else { "off" };
        writeln!(out, "{state} {:<8} {}", r.name(), r.about())?;
    }
    Ok(())
}
