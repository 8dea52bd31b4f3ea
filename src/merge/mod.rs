//! Merging several annotators' copies of a project into one project with every annotator's spans.
//!
//! - Documents are matched by the content hash of their text, never by id, title or position: the same
//!   article imported by two people under different titles is one document.
//! - Every span is kept as its annotator's layer. A span with no annotator gets the input's name (the file
//!   stem) so that no layer is anonymous. Exact duplicates (same range, label and annotator) are kept once
//!   and counted.
//! - Span and relation ids are handed out afresh by the merged project; relations follow their spans.
//! - Schema differences, document fields that differ, documents missing from some inputs and renamed ids
//!   all go into the [`MergeReport`]. Nothing is dropped without a line in the report.
//!
//! The inputs are expected to be valid projects, as [`crate::store::load`] returns them.

mod conflicts;
mod label_rename;
mod resolve;
mod schema;
mod three_way;
mod three_way_doc;
mod three_way_settings;

use std::collections::{HashMap, HashSet};

use serde::Serialize;

pub use conflicts::{
    ConflictError, MergeConflict, Side, conflict_count, describe_theirs, keep_field, keep_setting, merge_conflicts,
};
pub use resolve::{Resolution, ResolveError, resolve_edit};
pub use schema::{Aspect, SchemaDifference, SchemaItem};
pub use three_way::{ThreeWay, ThreeWayReport, merge_document_three_way, merge_three_way};
pub use three_way_settings::{MergedSettings, Settings, merge_settings};

use crate::model::{DocStatus, Document, Project, Relation, SpanId, unique_doc_id};

/// One input project and the name it is reported under (normally its file stem).
#[derive(Clone, Copy, Debug)]
pub struct MergeInput<'a> {
    /// Name used in the report and as the annotator of spans that have none.
    pub name: &'a str,
    /// The project.
    pub project: &'a Project,
}

/// Why a merge cannot be done.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("nothing to merge: no input projects")]
    NoInputs,
}

/// One input's value of something that differs between inputs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InputValue {
    /// The input's name.
    pub input: String,
    /// Its value, as text.
    pub value: String,
}

/// What was read from one input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InputSummary {
    /// The input's name.
    pub name: String,
    /// The project name inside it.
    pub project: String,
    /// Its documents.
    pub documents: usize,
    /// Its spans.
    pub spans: usize,
    /// Its relations.
    pub relations: usize,
    /// Its spans that had no annotator and were given the input's name.
    pub spans_given_input_name: usize,
}

/// A document that some inputs do not have.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartialDocument {
    /// Its id in the merged project.
    pub doc: String,
    /// Its title in the merged project.
    pub title: String,
    /// Inputs that have it.
    pub present_in: Vec<String>,
    /// Inputs that do not.
    pub missing_from: Vec<String>,
}

/// A document whose id was taken by a different text and so got a new one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RenamedDocument {
    /// The input it came from.
    pub input: String,
    /// Its id there.
    pub old_id: String,
    /// Its id in the merged project.
    pub new_id: String,
}

/// A document field whose value differs between the inputs that have the document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocConflict {
    /// The document's id in the merged project.
    pub doc: String,
    /// `id`, `title`, `status`, `note`, `author`, `date`, `publication`, `url`, `source_file` or
    /// `doc label <set>`.
    pub field: String,
    /// Each input's value (inputs without the document are left out).
    pub values: Vec<InputValue>,
    /// The value the merged project has: the first non-empty one, in input order.
    pub kept: String,
}

/// Two spans that are duplicates by range, label and annotator but differ in note, attributes or review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DuplicateDifference {
    /// Document id in the merged project.
    pub doc: String,
    /// Id of the kept span in the merged project.
    pub span: u64,
    /// The input whose copy was not kept.
    pub input: String,
    /// Which fields differ.
    pub fields: Vec<String>,
}

/// A document of one input whose text an earlier document of the same input already has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RepeatedText {
    /// The input.
    pub input: String,
    /// The document's id in that input.
    pub doc: String,
    /// The merged document it was merged into.
    pub same_as: String,
}

/// A relation that could not be carried over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SkippedRelation {
    /// The input.
    pub input: String,
    /// The document id in that input.
    pub doc: String,
    /// The relation id in that input.
    pub relation: u64,
    /// Why.
    pub reason: String,
}

/// Everything the merge did that a person should know about.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MergeReport {
    /// Per input, what was read.
    pub inputs: Vec<InputSummary>,
    /// Documents in the merged project.
    pub documents: usize,
    /// Of those, documents every input has.
    pub documents_in_all: usize,
    /// Documents only some inputs have (kept).
    pub partial_documents: Vec<PartialDocument>,
    /// Documents that got a new id.
    pub renamed_documents: Vec<RenamedDocument>,
    /// Document fields that differ between inputs.
    pub doc_conflicts: Vec<DocConflict>,
    /// Texts that occur twice inside one input (merged into one document).
    pub repeated_texts: Vec<RepeatedText>,
    /// Schema differences.
    pub schema: Vec<SchemaDifference>,
    /// Spans in the merged project.
    pub spans: usize,
    /// Relations in the merged project.
    pub relations: usize,
    /// Spans left out as exact duplicates of a kept span (same range, label and annotator).
    pub duplicate_spans: usize,
    /// Relations left out as duplicates (same ends and type after merging duplicate spans).
    pub duplicate_relations: usize,
    /// Duplicate spans whose copies differed in other fields (the first copy was kept).
    pub duplicate_differences: Vec<DuplicateDifference>,
    /// Relations that could not be carried over (their spans are missing: an invalid input).
    pub skipped_relations: Vec<SkippedRelation>,
    /// Suggestion rules added from inputs after the first (identical rules are kept once).
    pub rules: usize,
}

/// The merged project and the report.
#[derive(Clone, Debug)]
pub struct Merged {
    /// The merged project.
    pub project: Project,
    /// What happened.
    pub report: MergeReport,
}

/// Per merged document: which inputs have it and the keys of spans and relations already in it.
#[derive(Default)]
struct DocState {
    present: Vec<bool>,
    spans: HashMap<(usize, usize, String, String), SpanId>,
    relations: HashSet<(SpanId, SpanId, String)>,
    /// Each input's copy of the document's fields, in input order.
    copies: Vec<(usize, Vec<(String, String)>)>,
}

/// Merges `inputs` (at least one) into a new project.
pub fn merge_projects(inputs: &[MergeInput<'_>]) -> Result<Merged, MergeError> {
    let first = inputs.first().ok_or(MergeError::NoInputs)?;
    let (schema, schema_diffs) = schema::merge_schemas(inputs);
    let mut project = Project::new(first.project.name.clone());
    project.schema = schema;
    let mut report = MergeReport { schema: schema_diffs, ..MergeReport::default() };
    for (k, input) in inputs.iter().enumerate() {
        for rule in &input.project.rules {
            if !project.rules.contains(rule) {
                project.rules.push(rule.clone());
                // The first input's rules are the base, not additions.
                if k > 0 {
                    report.rules += 1;
                }
            }
        }
    }
    let mut taken: HashSet<String> = HashSet::new();
    let mut by_hash: HashMap<String, usize> = HashMap::new();
    let mut states: Vec<DocState> = Vec::new();
    for (k, input) in inputs.iter().enumerate() {
        let mut summary = InputSummary {
            name: input.name.to_string(),
            project: input.project.name.clone(),
            documents: input.project.documents.len(),
            spans: input.project.span_count(),
            relations: input.project.documents.iter().map(|d| d.relations.len()).sum(),
            spans_given_input_name: 0,
        };
        for doc in &input.project.documents {
            let hash = doc.content_hash();
            let at = match by_hash.get(&hash) {
                Some(&at) => {
                    if states[at].present[k] {
                        let same = project.documents[at].id.to_string();
                        report.repeated_texts.push(RepeatedText {
                            input: input.name.to_string(),
                            doc: doc.id.to_string(),
                            same_as: same,
                        });
                    }
                    at
                }
                None => {
                    let mut fresh = doc.clone();
                    fresh.spans.clear();
                    fresh.relations.clear();
                    if taken.contains(fresh.id.as_str()) {
                        fresh.id = unique_doc_id(&doc.title, |candidate| taken.contains(candidate));
                        report.renamed_documents.push(RenamedDocument {
                            input: input.name.to_string(),
                            old_id: doc.id.to_string(),
                            new_id: fresh.id.to_string(),
                        });
                    }
                    taken.insert(fresh.id.to_string());
                    project.documents.push(fresh);
                    states.push(DocState { present: vec![false; inputs.len()], ..DocState::default() });
                    by_hash.insert(hash, project.documents.len() - 1);
                    project.documents.len() - 1
                }
            };
            states[at].present[k] = true;
            states[at].copies.push((k, fields(doc)));
            copy_annotations(&mut project, at, &mut states[at], input, doc, &mut summary, &mut report);
        }
        report.inputs.push(summary);
    }
    for (doc, state) in project.documents.iter().zip(&states) {
        if state.present.iter().all(|&p| p) {
            report.documents_in_all += 1;
            continue;
        }
        let names = |want: bool| {
            inputs.iter().zip(&state.present).filter(|(_, p)| **p == want).map(|(i, _)| i.name.to_string()).collect()
        };
        report.partial_documents.push(PartialDocument {
            doc: doc.id.to_string(),
            title: doc.title.clone(),
            present_in: names(true),
            missing_from: names(false),
        });
    }
    for (doc, state) in project.documents.iter_mut().zip(&states) {
        settle_fields(doc, &state.copies, inputs, &mut report.doc_conflicts);
    }
    report.documents = project.documents.len();
    report.spans = project.span_count();
    report.relations = project.documents.iter().map(|d| d.relations.len()).sum();
    Ok(Merged { project, report })
}

/// Copies `doc`'s spans and relations from input `input` into merged document `at`.
fn copy_annotations(
    project: &mut Project,
    at: usize,
    state: &mut DocState,
    input: &MergeInput<'_>,
    doc: &Document,
    summary: &mut InputSummary,
    report: &mut MergeReport,
) {
    let mut new_ids: HashMap<SpanId, SpanId> = HashMap::new();
    for span in &doc.spans {
        let mut span = span.clone();
        if span.annotator.is_empty() {
            span.annotator = input.name.to_string();
            summary.spans_given_input_name += 1;
        }
        let key = (span.start.0, span.end.0, span.label.clone(), span.annotator.clone());
        if let Some(&kept) = state.spans.get(&key) {
            report.duplicate_spans += 1;
            new_ids.insert(span.id, kept);
            let merged_doc = &project.documents[at];
            if let Some(existing) = merged_doc.span(kept) {
                let mut fields = Vec::new();
                if existing.note != span.note {
                    fields.push("note".to_string());
                }
                if existing.attributes != span.attributes {
                    fields.push("attributes".to_string());
                }
                if existing.review != span.review || existing.reviewer != span.reviewer {
                    fields.push("review".to_string());
                }
                if existing.origin != span.origin {
                    fields.push("origin".to_string());
                }
                if !fields.is_empty() {
                    report.duplicate_differences.push(DuplicateDifference {
                        doc: merged_doc.id.to_string(),
                        span: kept.0,
                        input: input.name.to_string(),
                        fields,
                    });
                }
            }
            continue;
        }
        let id = project.alloc_span_id();
        new_ids.insert(span.id, id);
        state.spans.insert(key, id);
        span.id = id;
        project.documents[at].insert_span(span);
    }
    for rel in &doc.relations {
        let (Some(&from), Some(&to)) = (new_ids.get(&rel.from), new_ids.get(&rel.to)) else {
            report.skipped_relations.push(SkippedRelation {
                input: input.name.to_string(),
                doc: doc.id.to_string(),
                relation: rel.id.0,
                reason: "it points to a span that is not in its document".to_string(),
            });
            continue;
        };
        if !state.relations.insert((from, to, rel.kind.clone())) {
            report.duplicate_relations += 1;
            continue;
        }
        let relation = Relation { id: project.alloc_relation_id(), from, to, kind: rel.kind.clone() };
        project.documents[at].insert_relation(relation);
    }
}

/// The document fields compared between inputs, as (field name, value).
fn fields(doc: &Document) -> Vec<(String, String)> {
    let mut out = vec![
        ("id".to_string(), doc.id.to_string()),
        ("title".to_string(), doc.title.clone()),
        ("status".to_string(), doc.status.to_string()),
        ("note".to_string(), doc.note.clone()),
        ("author".to_string(), doc.meta.author.clone()),
        ("date".to_string(), doc.meta.date.clone()),
        ("publication".to_string(), doc.meta.publication.clone()),
        ("url".to_string(), doc.meta.url.clone()),
        ("source_file".to_string(), doc.meta.source_file.clone()),
    ];
    out.extend(doc.doc_labels.iter().map(|(set, value)| (format!("{DOC_LABEL}{set}"), value.clone())));
    out
}

/// Prefix of the field name of a document label set.
const DOC_LABEL: &str = "doc label ";

/// Sets one of [`fields`] on the merged document. The id is never changed here (it was fixed when the
/// document was added) and neither is anything that would not parse.
fn set_field(doc: &mut Document, field: &str, value: &str) {
    match field {
        "title" => doc.title = value.to_string(),
        "status" => {
            if let Ok(status) = value.parse::<DocStatus>() {
                doc.status = status;
            }
        }
        "note" => doc.note = value.to_string(),
        "author" => doc.meta.author = value.to_string(),
        "date" => doc.meta.date = value.to_string(),
        "publication" => doc.meta.publication = value.to_string(),
        "url" => doc.meta.url = value.to_string(),
        "source_file" => doc.meta.source_file = value.to_string(),
        _ => {
            if let Some(set) = field.strip_prefix(DOC_LABEL) {
                doc.doc_labels.insert(set.to_string(), value.to_string());
            }
        }
    }
}

/// Settles the document fields of merged document `doc` from its copies (input index, fields), in input
/// order. Each field takes the first non-empty value, so a note, author or document label that only one
/// annotator filled in is kept; where two copies have different non-empty values the first is kept and a
/// conflict is reported.
fn settle_fields(
    doc: &mut Document,
    copies: &[(usize, Vec<(String, String)>)],
    inputs: &[MergeInput<'_>],
    conflicts: &mut Vec<DocConflict>,
) {
    let mut order: Vec<String> = Vec::new();
    for (_, fields) in copies {
        for (field, _) in fields {
            if !order.contains(field) {
                order.push(field.clone());
            }
        }
    }
    for field in order {
        let values: Vec<InputValue> = copies
            .iter()
            .filter_map(|(k, fields)| {
                let value = fields.iter().find(|(f, _)| *f == field).map(|(_, v)| v.clone())?;
                Some(InputValue { input: inputs.get(*k).map_or("", |i| i.name).to_string(), value })
            })
            .collect();
        let Some(first) = values.iter().find(|v| !v.value.is_empty()).map(|v| v.value.clone()) else { continue };
        set_field(doc, &field, &first);
        // The id was settled when the document was added (and may have been renamed there).
        let kept = if field == "id" { doc.id.to_string() } else { first.clone() };
        if values.iter().any(|v| !v.value.is_empty() && v.value != first) {
            conflicts.push(DocConflict { doc: doc.id.to_string(), field, values, kept });
        }
    }
}
