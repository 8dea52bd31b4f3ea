//! `factmark suggest --llm`: the suggestions of a large language model on an OpenAI-compatible server.
//! The flags override `FACTMARK_LLM_URL` and `FACTMARK_LLM_MODEL`; the text goes nowhere without a URL.

use std::io::Write;

use anyhow::Context;

use super::suggest_cmd::SuggestArgs;
use crate::analysis::suggest::DocSuggestions;
use crate::model::{Document, Project};
use crate::session::job::Progress;
use crate::session::llm::{LlmSettings, llm_suggest};

/// The settings from the environment, overridden by the flags.
fn settings(args: &SuggestArgs) -> LlmSettings {
    let mut settings = LlmSettings::from_env();
    if let Some(url) = &args.llm_url {
        settings.base_url = url.trim().to_string();
    }
    if let Some(model) = &args.llm_model {
        settings.model = model.trim().to_string();
    }
    if let Some(t) = args.llm_temperature {
        settings.temperature = t;
    }
    settings
}

/// Asks the model about `docs` and reports, once, where the text was sent and what could not be used:
/// on stderr with `--json` (stdout stays parseable JSON), else on `out` before the list.
pub(super) fn ask(
    args: &SuggestArgs,
    project: &Project,
    docs: &[&Document],
    out: &mut dyn Write,
) -> anyhow::Result<Vec<DocSuggestions>> {
    let settings = settings(args);
    let run = llm_suggest(project, docs, &settings, &Progress::default())
        .with_context(|| args.project.display().to_string())?;
    let lines = run.to_string();
    if args.json {
        eprintln!("{lines}");
    } else {
        writeln!(out, "{lines}")?;
    }
    Ok(run.suggestions)
}
