//! `factmark merge …` (being written).

use clap::Args;

/// Arguments of `factmark merge …`.
#[derive(Debug, Args)]
pub struct MergeArgs {}

/// Runs `factmark merge …`.
pub fn merge(_args: &MergeArgs, _out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    anyhow::bail!("not implemented yet")
}
