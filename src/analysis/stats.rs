//! Project statistics: counts by label, status and annotator, overall and per document.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{DocCounts, DocStatus, Document, Project, Schema};
use crate::store::StoreError;
use crate::store::folder::{FolderDoc, FolderIndex, IndexEntry};

/// Counts over a whole project. Serialised as-is by `factmark stats --json`; fields are only ever added,
/// so scripts reading older output keep working.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ProjectStats {
    /// Number of documents.
    pub documents: usize,
    /// Number of spans.
    pub spans: usize,
    /// Number of relations.
    pub relations: usize,
    /// Characters of text over all documents.
    pub chars: usize,
    /// Spans per label; every schema label appears, with 0 if unused.
    pub spans_by_label: BTreeMap<String, usize>,
    /// Documents per status; every status appears.
    pub documents_by_status: BTreeMap<String, usize>,
    /// Spans per annotator (`""` for spans with no annotator).
    pub spans_by_annotator: BTreeMap<String, usize>,
    /// Relations per type.
    pub relations_by_type: BTreeMap<String, usize>,
    /// Spans that lie inside another span of the same document (nested annotations).
    pub nested_spans: usize,
    /// Words over all documents (tokens with a letter or digit, so punctuation does not count).
    pub words: usize,
    /// Per annotator, the documents they have at least one span in.
    pub documents_by_annotator: BTreeMap<String, usize>,
    /// Spans that came from accepted suggestions, and how many were kept as suggested.
    pub suggestions: crate::analysis::suggest::provenance::Uptake,
    /// Per document, in project order: the label mix and density behind the dashboard's charts.
    pub per_document: Vec<DocumentStats>,
}

/// Counts for one document.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DocumentStats {
    /// Document id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status (`todo`, `in-progress`, `needs-review`, `done`).
    pub status: String,
    /// Words (tokens with a letter or digit).
    pub words: usize,
    /// Spans.
    pub spans: usize,
    /// Spans per label; every schema label appears, with 0 if unused (the label mix).
    pub spans_by_label: BTreeMap<String, usize>,
    /// Spans per annotator (`""` for spans with no annotator).
    pub spans_by_annotator: BTreeMap<String, usize>,
    /// Spans per 1,000 words; `None` (JSON `null`) for a document without words.
    pub spans_per_1000_words: Option<f64>,
}

pub use crate::text::tokens::word_count;

/// The counts of one document: from its index line and the counts kept there, or counted now.
fn document_stats(schema: &Schema, doc: &Counted<'_>) -> DocumentStats {
    let words = doc.counts.words;
    let spans = doc.counts.spans();
    let mut stats = DocumentStats {
        id: doc.id.to_string(),
        title: doc.title.to_string(),
        status: doc.status.as_str().to_string(),
        words,
        spans,
        spans_per_1000_words: (words > 0).then(|| spans as f64 * 1000.0 / words as f64),
        spans_by_label: doc.spans_by_label.clone(),
        spans_by_annotator: doc.counts.annotators.clone(),
    };
    for label in &schema.labels {
        stats.spans_by_label.entry(label.name.clone()).or_insert(0);
    }
    stats
}

/// A document as statistics take it: what an index line says of it and its [`DocCounts`].
struct Counted<'a> {
    id: &'a str,
    title: &'a str,
    status: DocStatus,
    spans_by_label: BTreeMap<String, usize>,
    counts: std::borrow::Cow<'a, DocCounts>,
}

impl<'a> Counted<'a> {
    fn of_document(doc: &'a Document) -> Counted<'a> {
        let mut spans_by_label = BTreeMap::new();
        for span in &doc.spans {
            *spans_by_label.entry(span.label.clone()).or_default() += 1;
        }
        let counts = std::borrow::Cow::Owned(DocCounts::of(doc));
        Counted { id: doc.id.as_str(), title: &doc.title, status: doc.status, spans_by_label, counts }
    }

    fn of_line(entry: &'a IndexEntry, counts: &'a DocCounts) -> Counted<'a> {
        Counted {
            id: entry.id.as_str(),
            title: &entry.title,
            status: entry.status,
            spans_by_label: entry.spans.clone(),
            counts: std::borrow::Cow::Borrowed(counts),
        }
    }
}

/// Computes the statistics of `project`.
pub fn project_stats(project: &Project) -> ProjectStats {
    let mut stats = ProjectStats::empty(&project.schema);
    for doc in &project.documents {
        stats.add_document(&project.schema, doc);
    }
    stats
}

impl ProjectStats {
    /// The statistics of a project with schema `schema` and no documents yet: every label and status
    /// listed with 0, so that statistics gathered a document at a time ([`ProjectStats::add_document`],
    /// [`ProjectStats::merge`]) come out exactly as [`project_stats`] of the whole project.
    pub fn empty(schema: &Schema) -> ProjectStats {
        let mut stats = ProjectStats::default();
        for label in &schema.labels {
            stats.spans_by_label.insert(label.name.clone(), 0);
        }
        for status in DocStatus::ALL {
            stats.documents_by_status.insert(status.as_str().to_string(), 0);
        }
        stats
    }

    /// Counts one more document, the next in project order.
    pub fn add_document(&mut self, schema: &Schema, doc: &Document) {
        self.add(schema, &Counted::of_document(doc));
    }

    /// Counts one more document from what a project folder's index says of it: `entry`'s title, status and
    /// spans per label, and the `counts` it keeps (which must be those of the document's files as they
    /// are: [`crate::store::folder::FolderIndex::counted`] gives only such).
    pub fn add_line(&mut self, schema: &Schema, entry: &IndexEntry, counts: &DocCounts) {
        self.add(schema, &Counted::of_line(entry, counts));
    }

    /// Counts the next document of a project folder, however [`crate::store::folder::FolderIndex::counted`]
    /// gave it.
    pub fn add_counted(&mut self, schema: &Schema, doc: &FolderDoc) {
        match doc {
            FolderDoc::Line(entry, counts) => self.add_line(schema, entry, counts),
            FolderDoc::Read(doc) => self.add_document(schema, doc),
        }
    }

    fn add(&mut self, schema: &Schema, doc: &Counted<'_>) {
        let counts = &*doc.counts;
        self.documents += 1;
        *self.documents_by_status.entry(doc.status.as_str().to_string()).or_default() += 1;
        self.chars += counts.chars;
        self.spans += counts.spans();
        self.relations += counts.relations.values().sum::<usize>();
        for (label, n) in &doc.spans_by_label {
            *self.spans_by_label.entry(label.clone()).or_default() += n;
        }
        for (annotator, n) in &counts.annotators {
            *self.spans_by_annotator.entry(annotator.clone()).or_default() += n;
            if !annotator.is_empty() {
                *self.documents_by_annotator.entry(annotator.clone()).or_default() += 1;
            }
        }
        for (kind, n) in &counts.relations {
            *self.relations_by_type.entry(kind.clone()).or_default() += n;
        }
        self.nested_spans += counts.nested;
        self.words += counts.words;
        self.suggestions.add_counted(&counts.suggested, &counts.kept);
        self.per_document.push(document_stats(schema, doc));
    }

    /// Adds the statistics of the documents that follow these in project order (gathered apart, e.g. on
    /// another thread).
    pub fn merge(&mut self, other: ProjectStats) {
        fn add(into: &mut BTreeMap<String, usize>, from: BTreeMap<String, usize>) {
            for (key, n) in from {
                *into.entry(key).or_default() += n;
            }
        }
        self.documents += other.documents;
        self.spans += other.spans;
        self.relations += other.relations;
        self.chars += other.chars;
        add(&mut self.spans_by_label, other.spans_by_label);
        add(&mut self.documents_by_status, other.documents_by_status);
        add(&mut self.spans_by_annotator, other.spans_by_annotator);
        add(&mut self.relations_by_type, other.relations_by_type);
        self.nested_spans += other.nested_spans;
        self.words += other.words;
        add(&mut self.documents_by_annotator, other.documents_by_annotator);
        self.suggestions.merge(&other.suggestions);
        self.per_document.extend(other.per_document);
    }
}

/// The statistics of the project folder `index`, read a batch of documents at a time on every core (the
/// whole project is never in memory); the same as [`project_stats`] of the project loaded whole. A
/// document whose files are those its index line was written with is counted from the line; any other is
/// read and checked as loading checks it (text hash, span texts, its own invariants), and the first that
/// does not read or check is the error.
pub fn folder_stats(index: &FolderIndex) -> Result<ProjectStats, StoreError> {
    let (stats, broken) = folder_stats_skipping_broken(index)?;
    match broken.first() {
        None => Ok(stats),
        Some(first) => Err(StoreError::Invalid {
            path: first.path.clone(),
            first: first.reason.clone(),
            problems: broken.iter().map(ToString::to_string).collect(),
        }),
    }
}

/// The statistics of one batch of documents, to be merged in project order.
fn batch_stats(schema: &Schema, docs: &[FolderDoc]) -> ProjectStats {
    let mut part = ProjectStats::empty(schema);
    for doc in docs {
        part.add_counted(schema, doc);
    }
    part
}

/// [`folder_stats`] over the documents that read and check, and the documents that do not (in project
/// order), which the counts leave out: for `factmark stats`, which warns about them by file rather than
/// count nothing.
pub fn folder_stats_skipping_broken(
    index: &FolderIndex,
) -> Result<(ProjectStats, Vec<crate::store::folder::BrokenDocument>), StoreError> {
    let schema = &index.header().schema;
    let mut stats = ProjectStats::empty(schema);
    let broken = index.for_each_counted_batch(
        crate::store::folder::BATCH,
        |docs| Ok(batch_stats(schema, &docs)),
        |part| {
            stats.merge(part);
            Ok::<_, StoreError>(())
        },
    )?;
    Ok((stats, broken))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CharIdx, DocId, Document, Span, SpanId};

    #[test]
    fn counts_labels_statuses_and_nesting() {
        let mut project = Project::new("t");
        let mut doc = Document::new(DocId("d".into()), "T", "U.S. intelligence has confirmed it.");
        doc.insert_span(Span::new(SpanId(1), CharIdx(0)..CharIdx(34), "Claim", "ana"));
        doc.insert_span(Span::new(SpanId(2), CharIdx(0)..CharIdx(17), "Source", "ana"));
        doc.insert_span(Span::new(SpanId(3), CharIdx(22)..CharIdx(34), "Opinion", "bo"));
        project.documents.push(doc);
        let stats = project_stats(&project);
        assert_eq!(stats.spans, 3);
        assert_eq!(stats.spans_by_label["Claim"], 1);
        assert_eq!(stats.spans_by_annotator["ana"], 2);
        assert_eq!(stats.documents_by_status["todo"], 1);
        assert_eq!(stats.documents_by_status["done"], 0);
        assert_eq!(stats.nested_spans, 2);
        assert_eq!(stats.chars, 35);
        // "U.S. intelligence has confirmed it." has five words; the full stop is not one.
        assert_eq!(stats.words, 5);
        let doc = &stats.per_document[0];
        assert_eq!((doc.words, doc.spans), (5, 3));
        assert_eq!(doc.spans_by_label["Source"], 1);
        assert_eq!(doc.spans_per_1000_words, Some(600.0));
        assert_eq!(stats.documents_by_annotator["bo"], 1);
    }

    #[test]
    fn a_document_without_words_has_no_density() {
        let mut project = Project::new("t");
        project.documents.push(Document::new(DocId("d".into()), "T", "— …"));
        let stats = project_stats(&project);
        assert_eq!(stats.per_document[0].words, 0);
        assert_eq!(stats.per_document[0].spans_per_1000_words, None);
    }
}
