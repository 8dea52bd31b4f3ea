//! `factmark suggest …`: list the suggestions of the recommenders (the built-in cues, the project's rules
//! and the ones that learn from its human spans), accept them all, or measure them against the project's
//! human spans.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use serde::Serialize;

use super::{default_annotator, edit_and_save, load};
use crate::analysis::suggest::{
    LinkTarget, Recommender, SuggestOptions, Suggester, Suggestion, accept_all_edit, eval::evaluate,
};
use crate::model::{DocId, Document, Project};
use crate::text::offsets::OffsetMap;

/// Arguments of `factmark suggest …`.
#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// The project.
    pub project: PathBuf,
    /// Only this document (id, exact title, or a unique part of the title).
    #[arg(long)]
    pub doc: Option<String>,
    /// Only these labels, comma-separated (case does not matter).
    #[arg(long, value_delimiter = ',')]
    pub labels: Option<Vec<String>>,
    /// Print the suggestions as JSON.
    #[arg(long)]
    pub json: bool,
    /// Accept every suggestion listed: add them as spans (with their relations) and save the project.
    #[arg(long, conflicts_with = "evaluate")]
    pub accept_all: bool,
    /// Annotator recorded on accepted spans (default: $FACTMARK_ANNOTATOR, else $USER).
    #[arg(long, requires = "accept_all")]
    pub annotator: Option<String>,
    /// Compare the suggestions with the project's human spans: precision and recall per label.
    #[arg(long)]
    pub evaluate: bool,
    /// Only the project's own rules, without the built-in English cues.
    #[arg(long)]
    pub no_builtin: bool,
    /// Which recommenders, comma-separated: cues, rules, strings, clauses, tagger, links (default: all but
    /// those the project switched off).
    /// The learned ones train on the project's human spans outside the document suggested for.
    #[arg(long, value_delimiter = ',')]
    pub recommenders: Option<Vec<Recommender>>,
    /// Suggest with learned models saved by `factmark learn` instead of training on this project.
    #[arg(long, conflicts_with = "evaluate")]
    pub models: Option<PathBuf>,
    /// Ask a large language model instead of the local recommenders. The text is sent to the server of
    /// --llm-url (or $FACTMARK_LLM_URL); nothing is sent without one. The API key, if any, is read from
    /// $FACTMARK_LLM_API_KEY.
    #[arg(long, conflicts_with_all = ["evaluate", "recommenders", "no_builtin", "labels", "models"])]
    pub llm: bool,
    /// Base address of an OpenAI-compatible API, up to /v1 (default: $FACTMARK_LLM_URL); for Ollama:
    /// http://localhost:11434/v1.
    #[arg(long, requires = "llm")]
    pub llm_url: Option<String>,
    /// The model to ask (default: $FACTMARK_LLM_MODEL).
    #[arg(long, requires = "llm")]
    pub llm_model: Option<String>,
    /// Sampling temperature (default 0).
    #[arg(long, requires = "llm")]
    pub llm_temperature: Option<f32>,
}

/// The recommenders chosen by `--recommenders` and `--no-builtin`; without `--recommenders`, the ones the
/// project has on. The LLM cannot be among them: it sends the text away, so it has a flag of its own.
pub(super) fn chosen(
    list: &Option<Vec<Recommender>>,
    no_builtin: bool,
    project: &Project,
) -> anyhow::Result<Vec<Recommender>> {
    let mut chosen = list.clone().unwrap_or_else(|| crate::session::suggestions::enabled_recommenders(project));
    if chosen.contains(&Recommender::Llm) {
        anyhow::bail!(
            "the llm recommender is not chosen with --recommenders, since it sends the text to a server: \
             use --llm (with --llm-url or FACTMARK_LLM_URL)"
        );
    }
    if no_builtin {
        chosen.retain(|r| *r != Recommender::Cues);
    }
    Ok(chosen)
}

/// One suggestion as `--json` prints it.
#[derive(Serialize)]
struct SuggestionJson<'a> {
    doc: &'a str,
    /// Position in the document's list, which `relation.suggestion` refers to.
    index: usize,
    label: &'a str,
    start: usize,
    end: usize,
    text: &'a str,
    rule: &'a str,
    /// The recommender that made it.
    recommender: &'static str,
    /// How sure it is, 0 to 1.
    score: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    relation: Option<LinkJson<'a>>,
}

#[derive(Serialize)]
struct LinkJson<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    /// "from" when this suggestion is the Source end, "to" when it is the Claim/Opinion end.
    role: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    span: Option<u64>,
}

fn link_json(s: &Suggestion) -> Option<LinkJson<'_>> {
    let link = s.relation.as_ref()?;
    let (suggestion, span) = match link.other {
        LinkTarget::Suggestion(i) => (Some(i), None),
        LinkTarget::Span(id) => (None, Some(id.0)),
    };
    Some(LinkJson { kind: &link.kind, role: if link.outgoing { "from" } else { "to" }, suggestion, span })
}

/// Runs `factmark suggest …`.
pub fn suggest(args: &SuggestArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let path = &args.project;
    let mut project = load(path)?;
    let chosen = chosen(&args.recommenders, args.no_builtin, &project)?;
    let docs: Vec<&Document> = match &args.doc {
        Some(query) => vec![project.find_document(query).with_context(|| path.display().to_string())?],
        None => project.documents.iter().collect(),
    };
    if args.llm {
        let per_doc = super::suggest_llm::ask(args, &project, &docs, out)?;
        return finish(args, &mut project, &per_doc, out);
    }
    if args.evaluate {
        // The built-in cues and rules only: learned recommenders are measured by `factmark simulate`,
        // which never lets them see the spans they are scored on.
        let options = SuggestOptions { labels: args.labels.clone(), ..SuggestOptions::only(&chosen) };
        let (suggester, rule_errors) =
            Suggester::new(&project.schema, &project.rules, &options).with_context(|| path.display().to_string())?;
        warn_rules(path, &rule_errors);
        let subset = Project { documents: docs.into_iter().cloned().collect(), ..project.clone() };
        let eval = evaluate(&subset, &suggester);
        if args.json {
            writeln!(out, "{}", serde_json::to_string_pretty(&eval)?)?;
        } else {
            writeln!(out, "{} documents of {}\n", eval.documents, path.display())?;
            write!(out, "{eval}")?;
        }
        return Ok(());
    }
    let (per_doc, rule_errors) = match &args.models {
        Some(models) => super::learn_cmd::suggest_with_models(&project, &docs, &chosen, args.labels.clone(), models)
            .with_context(|| path.display().to_string())?,
        None => {
            let progress = crate::session::job::Progress::default();
            // A project folder trains on its capped training set (the same `factmark learn` uses), so a
            // very large folder does not train on every labelled document for each fold.
            let training = super::learn_cmd::training_folder(path)?.map(|set| set.project);
            let training = training.as_ref().unwrap_or(&project);
            crate::session::suggestions::suggest_documents_trained_on(
                &project,
                training,
                &docs,
                &chosen,
                args.labels.clone(),
                &progress,
            )
            .with_context(|| path.display().to_string())?
        }
    };
    warn_rules(path, &rule_errors);
    finish(args, &mut project, &per_doc, out)
}

/// Accepts every suggestion and saves (`--accept-all`), or lists them.
fn finish(
    args: &SuggestArgs,
    project: &mut Project,
    per_doc: &[(DocId, Vec<Suggestion>)],
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let path = &args.project;
    if args.accept_all {
        let annotator = args.annotator.clone().unwrap_or_else(default_annotator);
        let accepted = accept_all_edit(project, per_doc, &annotator).with_context(|| path.display().to_string())?;
        let (spans, relations) = (accepted.spans, accepted.relations);
        edit_and_save(path, project, accepted.edit)?;
        writeln!(
            out,
            "accepted {spans} suggestion(s) as spans and {relations} relation(s) in {} document(s); saved {}",
            per_doc.len(),
            path.display()
        )?;
        return Ok(());
    }
    print_list(project, per_doc, args.json, out)
}

fn warn_rules(path: &std::path::Path, errors: &[crate::analysis::suggest::SuggestError]) {
    for err in errors {
        // A broken rule should not block the others; say so on stderr, where scripts reading JSON won't trip.
        eprintln!("warning: {}: {err} (rule skipped)", path.display());
    }
}

fn print_list(
    project: &Project,
    per_doc: &[(DocId, Vec<Suggestion>)],
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    for (doc_id, suggestions) in per_doc {
        let Some(doc) = project.doc(doc_id) else { continue };
        let map = OffsetMap::new(&doc.text);
        for (index, s) in suggestions.iter().enumerate() {
            rows.push(SuggestionJson {
                doc: doc.id.as_str(),
                index,
                label: &s.label,
                start: s.start.0,
                end: s.end.0,
                text: map.slice(s.range()).unwrap_or_default(),
                rule: &s.rule,
                recommender: s.recommender.name(),
                score: s.score,
                relation: link_json(s),
            });
        }
    }
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
        return Ok(());
    }
    for r in &rows {
        let link = match &r.relation {
            Some(LinkJson { kind, role, suggestion: Some(i), .. }) => format!("\t{kind} {role} #{i}"),
            Some(LinkJson { kind, role, span: Some(id), .. }) => format!("\t{kind} {role} span {id}"),
            _ => String::new(),
        };
        writeln!(
            out,
            "{}\t#{}\t{}\t{}..{}\t{}\t{:.2}\t{:?}{link}",
            r.doc, r.index, r.label, r.start, r.end, r.rule, r.score, r.text
        )?;
    }
    writeln!(out, "{} suggestion(s)", rows.len())?;
    Ok(())
}
