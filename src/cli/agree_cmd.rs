//! `factmark agree …` (being written).

use clap::Args;

/// Arguments of `factmark agree …`.
#[derive(Debug, Args)]
pub struct AgreeArgs {}

/// Runs `factmark agree …`.
pub fn agree(_args: &AgreeArgs, _out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    anyhow::bail!("not implemented yet")
}
