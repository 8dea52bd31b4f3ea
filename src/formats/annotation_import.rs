//! `import-annotations`: read spans and relations from another tool's files back into a project.
//!
//! Every format parser turns its file into [`ImportedDoc`]s with char offsets (converted through
//! [`crate::text::offsets`]). Then the whole import is checked — each document matched by content hash or
//! text, each label and relation type known, each span's text equal to the text at its offsets — before a
//! single [`Edit::Batch`] is built. Any problem stops the import with the file, line and problem, so a
//! broken file changes nothing — unless the user asked to skip bad lines
//! ([`plan_import_skipping_bad_lines`]): then a JSONL line the format's reader cannot read is listed and
//! left out. The checks against the project still stop the import.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{DoccanoUnits, Format, FormatError, brat, doccano, labelstudio, prodigy, spacy};
use crate::edit::Edit;
use crate::model::{CharIdx, DocId, Document, Project, Relation, RelationId, Span, SpanId, content_hash};

/// One span read from a file, in chars of the file's text.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedSpan {
    /// Line of the file it came from (1-based), for messages.
    pub line: usize,
    /// Char range in the document's text.
    pub range: Range<CharIdx>,
    /// Label as written in the file.
    pub label: String,
    /// The text the file says the span covers, when it says.
    pub text: Option<String>,
    /// Annotator named in the file, if any.
    pub annotator: Option<String>,
    /// Note from the file, if any.
    pub note: Option<String>,
}

impl ImportedSpan {
    /// A span with only a range and a label.
    pub fn new(line: usize, range: Range<CharIdx>, label: &str) -> ImportedSpan {
        ImportedSpan { line, range, label: label.to_string(), text: None, annotator: None, note: None }
    }
}

/// One relation read from a file, between spans of the same [`ImportedDoc`] (indices into its spans).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedRelation {
    /// Line it came from.
    pub line: usize,
    /// Index of the span it starts at.
    pub from: usize,
    /// Index of the span it points to.
    pub to: usize,
    /// Relation type as written.
    pub kind: String,
}

/// One document's annotations as read from a file.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedDoc {
    /// The file.
    pub path: PathBuf,
    /// The line the document starts on.
    pub line: usize,
    /// Its text, which identifies the project document.
    pub text: String,
    /// Spans.
    pub spans: Vec<ImportedSpan>,
    /// Relations.
    pub relations: Vec<ImportedRelation>,
}

/// How to read the files.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// The format.
    pub format: Format,
    /// Units of doccano offsets.
    pub doccano_units: DoccanoUnits,
    /// Annotator recorded on spans whose file does not name one.
    pub annotator: String,
}

/// A checked import, ready to apply.
#[derive(Debug)]
pub struct ImportPlan {
    /// The edit that adds everything, `None` when there is nothing new.
    pub edit: Option<Edit>,
    /// Documents that received annotations.
    pub documents: usize,
    /// New spans.
    pub spans: usize,
    /// New relations.
    pub relations: usize,
    /// Spans and relations already in the project (same range and label, or same ends and type), skipped.
    pub already_present: usize,
    /// JSONL lines left out, each as the error it would have been (only when skipping bad lines).
    pub skipped_lines: Vec<FormatError>,
}

/// Where a JSONL reader puts lines it cannot read: `None` makes the first one an error (the default), a
/// list collects them while the good lines are read.
pub(super) type BadLines<'a> = Option<&'a mut Vec<FormatError>>;

/// Reads each numbered non-blank line of a JSONL file as JSON and hands it to `row`, which makes it a
/// record (`None` leaves the line out on purpose). A line that is not JSON or that `row` refuses is an
/// error, or goes to `bad_lines` when given.
pub(super) fn json_rows<T>(
    path: &Path,
    content: &str,
    mut bad_lines: BadLines<'_>,
    mut row: impl FnMut(usize, Value) -> Result<Option<T>, FormatError>,
) -> Result<Vec<T>, FormatError> {
    let mut out = Vec::new();
    for (i, line) in content.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let read = serde_json::from_str(line)
            .map_err(|e| FormatError::at(path, i + 1, format!("invalid JSON at column {}: {e}", e.column())))
            .and_then(|value| row(i + 1, value));
        match (read, bad_lines.as_deref_mut()) {
            (Ok(record), _) => out.extend(record),
            (Err(err), Some(skipped)) => skipped.push(err),
            (Err(err), None) => return Err(err),
        }
    }
    Ok(out)
}

/// Largest dataset file read (1 GiB, the limit for project files too), so a hostile or mistaken file cannot
/// exhaust memory.
pub const MAX_DATASET_BYTES: u64 = 1 << 30;

/// Reads a dataset file as UTF-8 text, refusing files over [`MAX_DATASET_BYTES`] before reading them.
pub(super) fn read(path: &Path) -> Result<String, FormatError> {
    let io = |source| FormatError::Io { path: path.to_path_buf(), source };
    let file = fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    let too_large = |size: u64| {
        FormatError::at(
            path,
            0,
            format!("{size} bytes is larger than the {MAX_DATASET_BYTES}-byte limit for a dataset file"),
        )
    };
    if size > MAX_DATASET_BYTES {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // `take` bounds the read even if the file grows while it is read.
    file.take(MAX_DATASET_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > MAX_DATASET_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    String::from_utf8(bytes)
        .map_err(|e| FormatError::at(path, 0, format!("not valid UTF-8 (byte {})", e.utf8_error().valid_up_to())))
}

/// Files of a folder with one of `exts`, sorted so imports are deterministic.
fn files_in(folder: &Path, exts: &[&str]) -> Result<Vec<PathBuf>, FormatError> {
    let io = |source| FormatError::Io { path: folder.to_path_buf(), source };
    let mut files: Vec<PathBuf> = fs::read_dir(folder)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| exts.iter().any(|x| e.eq_ignore_ascii_case(x))))
        .collect();
    files.sort();
    Ok(files)
}

/// Reads every document of a file or folder in `options.format`.
pub fn read_annotations(input: &Path, options: &ImportOptions) -> Result<Vec<ImportedDoc>, FormatError> {
    read_documents(input, options, None)
}

/// [`read_annotations`], with bad JSONL lines going to `bad_lines` when given.
fn read_documents(
    input: &Path,
    options: &ImportOptions,
    mut bad_lines: BadLines<'_>,
) -> Result<Vec<ImportedDoc>, FormatError> {
    if options.format == Format::Brat {
        return brat::parse_folder(input);
    }
    let files = if input.is_dir() {
        let exts: &[&str] = if options.format == Format::LabelStudio { &["json"] } else { &["jsonl", "json"] };
        files_in(input, exts)?
    } else {
        vec![input.to_path_buf()]
    };
    let mut docs = Vec::new();
    for file in files {
        let content = read(&file)?;
        docs.extend(match options.format {
            Format::Doccano | Format::DoccanoRel => {
                doccano::parse(&file, &content, options.doccano_units, bad_lines.as_deref_mut())?
            }
            Format::LabelStudio => labelstudio::parse(&file, &content)?,
            Format::Spacy => spacy::parse(&file, &content, bad_lines.as_deref_mut())?,
            Format::Prodigy => prodigy::parse(&file, &content, bad_lines.as_deref_mut())?,
            other => return Err(FormatError::Options(format!("{other} cannot be imported"))),
        });
    }
    Ok(docs)
}

/// Reads `input` and checks it against `project`, returning the edit that adds its annotations.
pub fn plan_import(project: &Project, input: &Path, options: &ImportOptions) -> Result<ImportPlan, FormatError> {
    plan(project, input, options, false)
}

/// [`plan_import`] for a JSONL format (doccano, doccano-rel, spacy, prodigy) that leaves out the lines
/// its reader cannot read (not JSON, not a record of the format, offsets that do not fit the line's own
/// text) and lists them in [`ImportPlan::skipped_lines`]. The good lines are checked as usual: a problem
/// with the project (unknown label, no document with that text) still stops the import.
pub fn plan_import_skipping_bad_lines(
    project: &Project,
    input: &Path,
    options: &ImportOptions,
) -> Result<ImportPlan, FormatError> {
    if matches!(options.format, Format::LabelStudio | Format::Brat) {
        // These files are not read line by line; accepting the option and ignoring it would mislead.
        return Err(FormatError::Options(format!(
            "skipping bad lines works for the JSONL formats (doccano, doccano-rel, spacy, prodigy), not {}",
            options.format
        )));
    }
    plan(project, input, options, true)
}

fn plan(
    project: &Project,
    input: &Path,
    options: &ImportOptions,
    skip_bad_lines: bool,
) -> Result<ImportPlan, FormatError> {
    let mut skipped_lines = Vec::new();
    let imported = read_documents(input, options, skip_bad_lines.then_some(&mut skipped_lines))?;
    let by_hash: HashMap<String, usize> =
        project.documents.iter().enumerate().map(|(i, d)| (d.content_hash(), i)).collect();
    let mut next_span = project.next_span_id;
    let mut next_rel = project.next_relation_id;
    let mut edits = Vec::new();
    let mut plan = ImportPlan { edit: None, documents: 0, spans: 0, relations: 0, already_present: 0, skipped_lines };
    // What each document holds so far (its own annotations plus those this import adds), so duplicates are
    // found in O(1) and two files adding the same span to one document add it once.
    let mut states: HashMap<DocId, DocState> = HashMap::new();
    for idoc in &imported {
        let at = by_hash
            .get(&content_hash(&idoc.text))
            .copied()
            .or_else(|| project.documents.iter().position(|d| d.text == idoc.text))
            .ok_or_else(|| {
                let start: String = idoc.text.chars().take(40).collect();
                FormatError::at(&idoc.path, idoc.line, format!("no document in the project has this text ({start:?}…)"))
            })?;
        let doc = &project.documents[at];
        let len = doc.char_len();
        let map = crate::text::offsets::OffsetMap::new(&doc.text);
        let state = states.entry(doc.id.clone()).or_insert_with(|| DocState::of(doc));
        let mut ids = Vec::with_capacity(idoc.spans.len());
        let before = (plan.spans, plan.relations);
        for s in &idoc.spans {
            let bad = |problem: String| FormatError::at(&idoc.path, s.line, problem);
            let label =
                project.schema.label_ignore_case(&s.label).map(|l| l.name.clone()).ok_or_else(|| {
                    bad(format!("unknown label {:?} (the project has {})", s.label, label_list(project)))
                })?;
            let (start, end) = (s.range.start.0, s.range.end.0);
            if start >= end || end > len {
                return Err(bad(format!("span {start}..{end} is empty or outside the text ({len} chars)")));
            }
            let actual = map.slice(s.range.clone()).map_err(|e| bad(e.to_string()))?;
            if let Some(expected) = &s.text
                && expected != actual
            {
                return Err(bad(format!("span {start}..{end} says {expected:?} but the text there is {actual:?}")));
            }
            let key = (s.range.start, s.range.end, label.clone());
            if let Some(&existing) = state.spans.get(&key) {
                plan.already_present += 1;
                ids.push(existing);
                continue;
            }
            let mut span = Span::new(
                SpanId(next_span),
                s.range.clone(),
                label,
                s.annotator.clone().unwrap_or_else(|| options.annotator.clone()),
            );
            span.note = s.note.clone().unwrap_or_default();
            next_span += 1;
            ids.push(span.id);
            state.spans.insert(key, span.id);
            state.labels.insert(span.id, span.label.clone());
            edits.push(Edit::AddSpan { doc: doc.id.clone(), span, relations: Vec::new() });
            plan.spans += 1;
        }
        for r in &idoc.relations {
            let bad = |problem: String| FormatError::at(&idoc.path, r.line, problem);
            let def = project
                .schema
                .relation_types
                .iter()
                .find(|t| t.name.eq_ignore_ascii_case(&r.kind))
                .ok_or_else(|| bad(format!("unknown relation type {:?}", r.kind)))?;
            let (Some(&from), Some(&to)) = (ids.get(r.from), ids.get(r.to)) else {
                return Err(bad("relation points to a span that is not in the file".into()));
            };
            let label_of = |id: SpanId| state.labels.get(&id).cloned().unwrap_or_default();
            let (from_label, to_label) = (label_of(from), label_of(to));
            if from == to || !def.allows(&from_label, &to_label) {
                return Err(bad(format!("{} cannot go from a {from_label} to a {to_label}", def.name)));
            }
            if !state.relations.insert((from, to, def.name.clone())) {
                plan.already_present += 1;
                continue;
            }
            let relation = Relation { id: RelationId(next_rel), from, to, kind: def.name.clone() };
            next_rel += 1;
            edits.push(Edit::AddRelation { doc: doc.id.clone(), relation });
            plan.relations += 1;
        }
        if (plan.spans, plan.relations) != before {
            plan.documents += 1;
        }
    }
    if !edits.is_empty() {
        plan.edit = Some(Edit::Batch { name: "Import annotations".into(), edits });
    }
    Ok(plan)
}

/// A document's spans by (start, end, label), span labels by id, and relations by (from, to, type).
struct DocState {
    spans: HashMap<(CharIdx, CharIdx, String), SpanId>,
    labels: HashMap<SpanId, String>,
    relations: HashSet<(SpanId, SpanId, String)>,
}

impl DocState {
    fn of(doc: &Document) -> DocState {
        DocState {
            spans: doc.spans.iter().map(|s| ((s.start, s.end, s.label.clone()), s.id)).collect(),
            labels: doc.spans.iter().map(|s| (s.id, s.label.clone())).collect(),
            relations: doc.relations.iter().map(|r| (r.from, r.to, r.kind.clone())).collect(),
        }
    }
}

fn label_list(project: &Project) -> String {
    project.schema.labels.iter().map(|l| l.name.as_str()).collect::<Vec<_>>().join(", ")
}
