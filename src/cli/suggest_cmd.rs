//! `factmark suggest …` (being written).

use clap::Args;

/// Arguments of `factmark suggest …`.
#[derive(Debug, Args)]
pub struct SuggestArgs {}

/// Runs `factmark suggest …`.
pub fn suggest(_args: &SuggestArgs, _out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    anyhow::bail!("not implemented yet")
}
