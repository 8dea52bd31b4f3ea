//! Handlers for the project, span, relation, document, stats and validate commands.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};

use super::json::{DocJson, DocSummaryJson, RelationJson, SpanJson};
use super::{DocCommand, RelationCommand, SpanCommand, default_annotator, edit_and_save, load};
use crate::analysis::stats::{folder_stats_skipping_broken, project_stats};
use crate::edit::Edit;
use crate::model::{CharIdx, DocStatus, Document, Project, Relation, RelationId, ReviewState, Span, SpanId};
use crate::store;
use crate::text::offsets::OffsetMap;

/// `factmark new`
pub fn new_project(
    path: &Path,
    name: Option<String>,
    preset: crate::model::SchemaPreset,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if path.exists() {
        bail!("{}: already exists; factmark new never overwrites a file", path.display());
    }
    let name = name.unwrap_or_else(|| {
        path.file_stem().map_or_else(|| "Untitled".to_string(), |s| s.to_string_lossy().into_owned())
    });
    let mut project = Project::new(name);
    project.schema = preset.schema();
    store::save(&project, path)?;
    writeln!(out, "created {} (project {:?}, {} schema)", path.display(), project.name, preset.title())?;
    Ok(())
}

fn find_doc<'p>(path: &Path, project: &'p Project, query: &str) -> anyhow::Result<&'p Document> {
    project.find_document(query).with_context(|| path.display().to_string())
}

/// `factmark span …`
pub fn span(cmd: SpanCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    match cmd {
        SpanCommand::Add { project: path, doc, label, find, nth, start, end, note, annotator, json } => {
            let mut project = load(&path)?;
            let context = || path.display().to_string();
            let document = find_doc(&path, &project, &doc.doc)?;
            let label = project
                .schema
                .label_ignore_case(&label)
                .map(|l| l.name.clone())
                .with_context(|| format!("{}: label {label:?} is not in the project's schema", path.display()))?;
            let map = OffsetMap::new(&document.text);
            let range = match (find, start, end) {
                (Some(needle), _, _) => locate(&document.text, &map, &needle, nth)
                    .with_context(|| format!("{}: document {:?}", context(), document.id.as_str()))?,
                (None, Some(s), Some(e)) => CharIdx(s)..CharIdx(e),
                _ => bail!("give --find TEXT, or --start and --end"),
            };
            let doc_id = document.id.clone();
            let annotator = annotator.unwrap_or_else(default_annotator);
            if let Some(same) = document.identical_span(range.clone(), &label, &annotator, None) {
                bail!(
                    "{}: document {:?} already has this {label} span by {annotator:?} (span {same}); nothing added",
                    path.display(),
                    doc_id.as_str()
                );
            }
            let mut span = Span::new(project.alloc_span_id(), range, label, annotator);
            span.note = note;
            let id = span.id;
            edit_and_save(&path, &mut project, Edit::AddSpan { doc: doc_id.clone(), span, relations: Vec::new() })?;
            let document = project.doc(&doc_id).context("document vanished")?;
            let span = document.span(id).context("span vanished")?;
            let map = OffsetMap::new(&document.text);
            let shown = SpanJson::new(document, &map, span);
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&shown)?)?;
            } else {
                writeln!(
                    out,
                    "added span {} ({} {}..{}) {:?}",
                    shown.id, shown.label, shown.start, shown.end, shown.text
                )?;
            }
            Ok(())
        }
        SpanCommand::List { project: path, doc, json } => {
            let project = load(&path)?;
            let docs: Vec<&Document> = match doc {
                Some(query) => vec![find_doc(&path, &project, &query)?],
                None => project.documents.iter().collect(),
            };
            let maps: Vec<OffsetMap> = docs.iter().map(|d| OffsetMap::new(&d.text)).collect();
            let spans: Vec<SpanJson> = docs
                .iter()
                .zip(&maps)
                .flat_map(|(d, map)| d.spans.iter().map(move |s| SpanJson::new(d, map, s)))
                .collect();
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&spans)?)?;
            } else {
                for s in &spans {
                    writeln!(
                        out,
                        "{}\t{}\t{}\t{}..{}\t{}\t{:?}",
                        s.doc, s.id, s.label, s.start, s.end, s.annotator, s.text
                    )?;
                }
            }
            Ok(())
        }
        SpanCommand::Set { project: path, doc, span, attrs, label, note, review, reviewer } => {
            let mut project = load(&path)?;
            let doc_id = find_doc(&path, &project, &doc.doc)?.id.clone();
            let id = SpanId(span);
            let Some(current) = project.doc(&doc_id).and_then(|d| d.span(id)).cloned() else {
                bail!("{}: document {doc_id} has no span {span}", path.display());
            };
            let mut edits = Vec::new();
            if let Some(label) = label {
                let Some(def) = project.schema.label_ignore_case(&label) else {
                    bail!("{}: label {label:?} is not in the schema", path.display());
                };
                edits.push(Edit::SetSpanLabel { doc: doc_id.clone(), span: id, label: def.name.clone() });
            }
            let label = match edits.first() {
                Some(Edit::SetSpanLabel { label, .. }) => label.clone(),
                _ => current.label.clone(),
            };
            for pair in &attrs {
                let Some((name, value)) = pair.split_once('=') else {
                    bail!("--attr {pair:?}: expected NAME=VALUE");
                };
                let Some(def) = project.schema.label(&label).and_then(|l| l.attributes.iter().find(|a| a.name == name))
                else {
                    bail!("{}: label {label} has no attribute {name:?}", path.display());
                };
                let value = def.kind.parse_value(value).map_err(|e| anyhow::anyhow!("--attr {name}: {e}"))?;
                edits.push(Edit::SetSpanAttr { doc: doc_id.clone(), span: id, name: name.to_string(), value });
            }
            if let Some(note) = note {
                edits.push(Edit::SetSpanNote { doc: doc_id.clone(), span: id, note });
            }
            if let Some(review) = review {
                let review: ReviewState = review.parse().map_err(|e| anyhow::anyhow!("--review {e}"))?;
                let reviewer = review.reviewer(&reviewer.unwrap_or_else(super::default_annotator));
                edits.push(Edit::SetSpanReview { doc: doc_id.clone(), span: id, review, reviewer });
            }
            if edits.is_empty() {
                bail!("nothing to change: give --attr, --label, --note or --review");
            }
            let count = edits.len();
            edit_and_save(&path, &mut project, Edit::Batch { name: "Edit span".into(), edits })?;
            writeln!(out, "span {span}: {count} change(s) saved")?;
            Ok(())
        }
        SpanCommand::Resolve { project, span } => super::resolve_cmd::resolve(&project, span, out),
        SpanCommand::Remove { project: path, doc, span } => {
            let mut project = load(&path)?;
            let doc_id = find_doc(&path, &project, &doc.doc)?.id.clone();
            let removed_relations = project.doc(&doc_id).map_or(0, |d| d.relations_of(SpanId(span)).count());
            edit_and_save(&path, &mut project, Edit::RemoveSpan { doc: doc_id, span: SpanId(span) })?;
            writeln!(out, "removed span {span} and {removed_relations} relation(s)")?;
            Ok(())
        }
    }
}

/// The char range of the `nth` (from 1) occurrence of `needle` in `text`.
fn locate(text: &str, map: &OffsetMap, needle: &str, nth: usize) -> anyhow::Result<std::ops::Range<CharIdx>> {
    if needle.is_empty() {
        bail!("--find needs some text");
    }
    if nth == 0 {
        bail!("--nth counts from 1");
    }
    let found = text.match_indices(needle).count();
    let Some((at, _)) = text.match_indices(needle).nth(nth - 1) else {
        bail!("{needle:?} occurs {found} time(s), so there is no occurrence {nth}");
    };
    Ok(map.char_range_from_bytes(at..at + needle.len())?)
}

/// `factmark relation …`
pub fn relation(cmd: RelationCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    match cmd {
        RelationCommand::Add { project: path, doc, from, to, kind, json } => {
            let mut project = load(&path)?;
            let doc_id = find_doc(&path, &project, &doc.doc)?.id.clone();
            let relation = Relation { id: project.alloc_relation_id(), from: SpanId(from), to: SpanId(to), kind };
            let id = relation.id;
            edit_and_save(&path, &mut project, Edit::AddRelation { doc: doc_id.clone(), relation })?;
            let document = project.doc(&doc_id).context("document vanished")?;
            let rel = document.relation(id).context("relation vanished")?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&RelationJson::new(document, rel))?)?;
            } else {
                writeln!(out, "added relation {} ({} {} → {})", rel.id, rel.kind, rel.from, rel.to)?;
            }
            Ok(())
        }
        RelationCommand::List { project: path, doc, json } => {
            let project = load(&path)?;
            let docs: Vec<&Document> = match doc {
                Some(query) => vec![find_doc(&path, &project, &query)?],
                None => project.documents.iter().collect(),
            };
            let rels: Vec<RelationJson> =
                docs.iter().flat_map(|d| d.relations.iter().map(move |r| RelationJson::new(d, r))).collect();
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&rels)?)?;
            } else {
                for r in &rels {
                    writeln!(out, "{}\t{}\t{}\t{} → {}", r.doc, r.id, r.kind, r.from, r.to)?;
                }
            }
            Ok(())
        }
        RelationCommand::Remove { project: path, doc, relation } => {
            let mut project = load(&path)?;
            let doc_id = find_doc(&path, &project, &doc.doc)?.id.clone();
            edit_and_save(&path, &mut project, Edit::RemoveRelation { doc: doc_id, relation: RelationId(relation) })?;
            writeln!(out, "removed relation {relation}")?;
            Ok(())
        }
    }
}

/// `factmark doc …`
pub fn doc(cmd: DocCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    match cmd {
        DocCommand::List { project: path, json } => {
            let project = load(&path)?;
            let rows: Vec<DocSummaryJson> = project.documents.iter().map(DocSummaryJson::new).collect();
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
            } else {
                for r in &rows {
                    writeln!(out, "{}\t{}\t{} spans\t{}", r.id, r.status, r.spans, r.title)?;
                }
            }
            Ok(())
        }
        DocCommand::Show { project: path, doc, json } => {
            let project = load(&path)?;
            let document = find_doc(&path, &project, &doc.doc)?;
            if json {
                let map = OffsetMap::new(&document.text);
                writeln!(out, "{}", serde_json::to_string_pretty(&DocJson::new(document, &map))?)?;
            } else {
                let meta = &document.meta;
                writeln!(out, "{}\nid: {}\nstatus: {}", document.title, document.id, document.status)?;
                for (key, value) in [
                    ("author", &meta.author),
                    ("date", &meta.date),
                    ("publication", &meta.publication),
                    ("url", &meta.url),
                    ("source file", &meta.source_file),
                ] {
                    if !value.is_empty() {
                        writeln!(out, "{key}: {value}")?;
                    }
                }
                // Fields a merge left in conflict: ours is shown above, theirs here.
                for conflict in &document.conflicts {
                    writeln!(out, "conflict: {} — theirs {:?} (`factmark resolve`)", conflict.field, conflict.theirs)?;
                }
                writeln!(
                    out,
                    "spans: {}, relations: {}\n\n{}",
                    document.spans.len(),
                    document.relations.len(),
                    document.text
                )?;
            }
            Ok(())
        }
        DocCommand::Set { project: path, doc, status, title, note } => {
            set_doc(&path, &doc.doc, status, title, note, out)
        }
    }
}

/// `factmark doc set`: the fields given become one batch edit.
fn set_doc(
    path: &Path,
    query: &str,
    status: Option<DocStatus>,
    title: Option<String>,
    note: Option<String>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut project = load(path)?;
    let doc = find_doc(path, &project, query)?.id.clone();
    let mut edits = Vec::new();
    if let Some(status) = status {
        edits.push(Edit::SetDocStatus { doc: doc.clone(), status });
    }
    if let Some(title) = title {
        edits.push(Edit::SetDocTitle { doc: doc.clone(), title });
    }
    if let Some(note) = note {
        edits.push(Edit::SetDocNote { doc: doc.clone(), note });
    }
    if edits.is_empty() {
        bail!("nothing to change: give --status, --title or --note");
    }
    let count = edits.len();
    edit_and_save(path, &mut project, Edit::Batch { name: "Edit document".into(), edits })?;
    writeln!(out, "updated {count} field(s) of document {doc}")?;
    Ok(())
}

/// `factmark stats`
pub fn stats(path: &Path, json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    // A project folder is counted a batch of documents at a time, never held whole.
    let (name, stats) = match store::folder::read_index(path)? {
        Some(index) => {
            let (stats, broken) = folder_stats_skipping_broken(&index)?;
            // The counts of the rest are still worth having; each left-out document is named by its file.
            if !broken.is_empty() {
                eprintln!("warning: {} document(s) could not be read and are not counted:", broken.len());
                for b in &broken {
                    eprintln!("  {b}");
                }
            }
            (index.header().name.clone(), stats)
        }
        None => {
            let project = load(path)?;
            let stats = project_stats(&project);
            (project.name, stats)
        }
    };
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&stats)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "{}: {} documents, {} spans ({} nested), {} relations, {} chars",
        name, stats.documents, stats.spans, stats.nested_spans, stats.relations, stats.chars
    )?;
    let sections = [
        ("spans by label", &stats.spans_by_label),
        ("documents by status", &stats.documents_by_status),
        ("spans by annotator", &stats.spans_by_annotator),
        ("relations by type", &stats.relations_by_type),
    ];
    for (title, counts) in sections {
        writeln!(out, "{title}:")?;
        for (key, count) in counts {
            let key = if key.is_empty() { "(none)" } else { key.as_str() };
            writeln!(out, "  {key:<24} {count:>7}")?;
        }
    }
    let uptake = &stats.suggestions;
    if let Some(share) = uptake.unchanged_share() {
        writeln!(
            out,
            "accepted suggestions: {} span(s), {} ({:.0} %) kept as suggested",
            uptake.accepted,
            uptake.unchanged,
            share * 100.0
        )?;
        for (label, u) in &uptake.by_label {
            writeln!(out, "  {label:<24} {:>7} accepted, {:>7} unchanged", u.accepted, u.unchanged)?;
        }
    }
    writeln!(out, "per document (words, spans, spans per 1,000 words, label mix):")?;
    for doc in &stats.per_document {
        let density = doc.spans_per_1000_words.map_or_else(|| "-".to_string(), |d| format!("{d:.1}"));
        let mix: Vec<String> = doc.spans_by_label.iter().map(|(label, n)| format!("{label} {n}")).collect();
        writeln!(out, "  {:<24} {:>7} {:>5} {density:>7}  {}", doc.id, doc.words, doc.spans, mix.join(", "))?;
    }
    Ok(())
}

/// `factmark validate`
pub fn validate(path: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    // A project folder is read document by document, so every broken document file is named, not just the
    // first.
    let loaded = match store::folder::read_index(path) {
        Ok(Some(mut index)) => match index.load_lenient() {
            Ok((_, broken)) if !broken.is_empty() => {
                for b in &broken {
                    writeln!(out, "{b}")?;
                }
                bail!(
                    "{}: {} of {} documents cannot be read; the others are valid",
                    path.display(),
                    broken.len(),
                    index.len()
                )
            }
            Ok((project, _)) => Ok(project),
            Err(e) => Err(e),
        },
        Ok(None) => store::load(path),
        Err(e) => Err(e),
    };
    match loaded {
        Ok(project) => {
            writeln!(
                out,
                "{}: valid ({} documents, {} spans)",
                path.display(),
                project.documents.len(),
                project.span_count()
            )?;
            let conflicts = crate::merge::merge_conflicts(&project);
            if !conflicts.is_empty() {
                writeln!(
                    out,
                    "{} conflict(s) left by a merge; settle each with the command under it:",
                    conflicts.len()
                )?;
                let shown = path.display().to_string();
                for conflict in &conflicts {
                    writeln!(out, "  {conflict}")?;
                    writeln!(out, "    {}", conflict.command(&shown))?;
                }
            }
            Ok(())
        }
        Err(store::StoreError::Invalid { path, problems, .. }) if problems.len() > 1 => {
            // Print every problem so a broken file can be fixed in one pass; the last line is the summary.
            for problem in &problems {
                writeln!(out, "{}: {problem}", path.display())?;
            }
            bail!("{}: {} problems", path.display(), problems.len())
        }
        Err(err) => Err(err.into()),
    }
}
