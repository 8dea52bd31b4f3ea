//! `factmark gen-corpus …` (being written).

use clap::Args;

/// Arguments of `factmark gen-corpus …`.
#[derive(Debug, Args)]
pub struct GenCorpusArgs {}

/// Runs `factmark gen-corpus …`.
pub fn gen_corpus(_args: &GenCorpusArgs, _out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    anyhow::bail!("not implemented yet")
}
