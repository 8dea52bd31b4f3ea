//! Which documents, spans and relations an export includes (`--labels`, `--status`, `--annotator`,
//! `--accepted-only`).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use serde_json::value::{RawValue, to_raw_value};

use crate::model::{CharIdx, DocStatus, Document, Project, Relation, ReviewState, Schema, Span, SpanId};
use crate::text::offsets::OffsetMap;
use crate::text::tokens::{self, Token};

use super::FormatError;

/// The selection an export is restricted to. The default selects everything.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only spans with these labels (matched ignoring ASCII case); `None` = every label.
    pub labels: Option<Vec<String>>,
    /// Only documents with these statuses; `None` = every document.
    pub statuses: Option<Vec<DocStatus>>,
    /// Only spans made by this annotator.
    pub annotator: Option<String>,
    /// Only spans a reviewer accepted.
    pub accepted_only: bool,
}

/// One document as an export sees it: the spans and relations that passed the filter, and an offset map
/// of its text.
#[derive(Clone, Debug)]
pub struct ExportDoc<'a> {
    /// The document.
    pub doc: &'a Document,
    /// Selected spans in export order: by start, then end (a nested span before the span around it, as
    /// the shared reference files list them), then id.
    pub spans: Vec<&'a Span>,
    /// Selected relations: both ends are selected spans.
    pub relations: Vec<&'a Relation>,
    /// Position of each span in `spans`, so relations find their ends in O(1) on 50k-span exports.
    index: HashMap<SpanId, usize>,
    /// Offset conversions over `doc.text`.
    pub map: OffsetMap<'a>,
    /// The UTF-8 byte range of each span of `spans`, found once: six formats write span texts, and
    /// finding one converts two char offsets.
    span_bytes: OnceLock<Vec<Range<usize>>>,
    /// The document's tokens, made on first use and then shared by every token-based format of one
    /// export run (tokenizing 5 MB takes longer than writing most formats).
    tokens: OnceLock<Vec<Token>>,
    /// The document's sentences, likewise shared.
    sentences: OnceLock<Vec<Range<CharIdx>>>,
    /// spaCy's token stream (factmark's tokens plus whitespace tokens), shared by spaCy and Prodigy.
    spacy_tokens: OnceLock<Vec<Token>>,
    /// Positions in `spans` of the spans that start or end inside a token, found once and shared by the
    /// token formats that report them.
    off_token: OnceLock<Vec<usize>>,
    /// The text as a JSON string, escaped once and written by every JSON format (five of them write it).
    json_text: OnceLock<Result<Box<RawValue>, String>>,
}

impl<'a> ExportDoc<'a> {
    /// Every span and relation of `doc`.
    pub fn all(doc: &'a Document) -> ExportDoc<'a> {
        ExportDoc::new(doc, doc.spans.iter().collect(), doc.relations.iter().collect())
    }

    /// `doc` with the given spans and relations, put in export order.
    pub fn new(doc: &'a Document, mut spans: Vec<&'a Span>, relations: Vec<&'a Relation>) -> ExportDoc<'a> {
        spans.sort_by_key(|s| (s.start, s.end, s.id));
        let index = spans.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
        ExportDoc {
            doc,
            map: OffsetMap::new(&doc.text),
            span_bytes: OnceLock::new(),
            spans,
            relations,
            index,
            tokens: OnceLock::new(),
            sentences: OnceLock::new(),
            spacy_tokens: OnceLock::new(),
            off_token: OnceLock::new(),
            json_text: OnceLock::new(),
        }
    }

    /// The byte range of each span, in the order of [`ExportDoc::spans`], found once (an empty range for
    /// a span out of range, which a valid project never has).
    pub fn span_bytes(&self) -> &[Range<usize>] {
        self.span_bytes
            .get_or_init(|| self.spans.iter().map(|s| self.map.byte_range(s.range()).unwrap_or(0..0)).collect())
    }

    /// The document's tokens ([`tokens::tokenize`]), computed once.
    pub fn tokens(&self) -> &[Token] {
        self.tokens.get_or_init(|| tokens::tokenize(&self.doc.text))
    }

    /// The tokens spaCy and Prodigy get: [`ExportDoc::tokens`] plus a whitespace token wherever one trailing
    /// space cannot say what is between two tokens (see [`super::spacy_tokens`]), computed once.
    pub fn spacy_tokens(&self) -> &[Token] {
        self.spacy_tokens
            .get_or_init(|| super::spacy_tokens::spacy_tokens(&self.doc.text, self.tokens(), self.doc.char_len()))
    }

    /// The document's sentences ([`tokens::sentences`]), computed once.
    pub fn sentences(&self) -> &[Range<CharIdx>] {
        self.sentences.get_or_init(|| tokens::sentences(&self.doc.text))
    }

    /// The document's text as a JSON string value, escaped once and shared.
    pub fn json_text(&self) -> Result<&RawValue, FormatError> {
        let escaped = self.json_text.get_or_init(|| to_raw_value(&self.doc.text).map_err(|e| e.to_string()));
        escaped.as_deref().map_err(|e| FormatError::Options(format!("document {}: {e}", self.doc.id)))
    }

    /// The text of a token of [`ExportDoc::tokens`].
    pub fn token_text(&self, token: &Token) -> &'a str {
        token.text(&self.doc.text)
    }

    /// The text of a span (empty if it is somehow out of range, which a valid project never has).
    pub fn text_of(&self, span: &Span) -> &'a str {
        // `spans` is sorted by this key, so a binary search finds the span without hashing.
        let key = (span.start, span.end, span.id);
        let text: &'a str = &self.doc.text;
        match self.spans.binary_search_by_key(&key, |s| (s.start, s.end, s.id)) {
            Ok(i) => self.span_bytes().get(i).and_then(|b| text.get(b.clone())).unwrap_or_default(),
            Err(_) => self.map.slice(span.range()).unwrap_or_default(),
        }
    }

    /// Spans that start or end inside a token (e.g. "Kremlin" inside "Kremlin’s"): a token format can
    /// only widen them to whole tokens.
    pub fn off_token_edges(&self) -> impl Iterator<Item = &'a Span> + '_ {
        let found = self.off_token.get_or_init(|| {
            let tokens = self.tokens();
            let inside =
                |s: &Span| crate::text::offsets::char_range_to_tokens(tokens, s.range()).is_some_and(|t| !t.aligned);
            (0..self.spans.len()).filter(|&i| inside(self.spans[i])).collect()
        });
        found.iter().map(|&i| self.spans[i])
    }

    /// Position of a span in [`ExportDoc::spans`], which formats that number spans per document use.
    pub fn index_of(&self, id: SpanId) -> Option<usize> {
        self.index.get(&id).copied()
    }
}

/// What a filter left out: (count, reason) pairs for the export summary.
pub type LeftOut = Vec<(usize, String)>;

/// The documents and annotations `filter` selects, plus what it left out and why (count, reason). A large
/// project is selected on every core: each selected document gets an offset map, a scan of its text.
pub fn select<'a>(project: &'a Project, filter: &Filter) -> Result<(Vec<ExportDoc<'a>>, LeftOut), FormatError> {
    let labels = match &filter.labels {
        Some(names) => Some(resolve_labels(&project.schema, names)?),
        None => None,
    };
    let labels = labels.as_deref();
    let all = &project.documents;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let parts: Vec<(Vec<ExportDoc<'a>>, Counts)> = if workers > 1 && all.len() >= PARALLEL_FROM {
        let chunk = all.len().div_ceil(workers);
        std::thread::scope(|scope| {
            let handles: Vec<_> =
                all.chunks(chunk).map(|part| scope.spawn(move || select_part(part, filter, labels))).collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().map_err(|_| FormatError::Options("selecting the documents stopped unexpectedly".into()))
                })
                .collect::<Result<_, _>>()
        })?
    } else {
        vec![select_part(all, filter, labels)]
    };
    let mut docs = Vec::with_capacity(all.len());
    let mut counts = Counts::default();
    for (part, c) in parts {
        docs.extend(part);
        counts.add(&c);
    }
    Ok((docs, left_out(&counts, filter)))
}

/// What `counts` says the filter left out, in the order the summary lists it.
pub(super) fn left_out(counts: &Counts, filter: &Filter) -> LeftOut {
    let mut dropped = Vec::new();
    let mut note = |count: usize, reason: String| {
        if count > 0 {
            dropped.push((count, reason));
        }
    };
    note(counts.skipped_docs, "documents not in the selected statuses".into());
    note(counts.by_label, "spans with labels not selected".into());
    if let Some(a) = &filter.annotator {
        note(counts.by_annotator, format!("spans not made by {a:?}"));
    }
    note(counts.by_review, "spans not accepted in review".into());
    note(counts.relations, "relations whose spans were left out".into());
    dropped
}

/// Below this many documents, selecting on one core is quicker than starting threads.
const PARALLEL_FROM: usize = 64;

/// What a selection left out, counted.
#[derive(Debug, Default)]
pub(super) struct Counts {
    skipped_docs: usize,
    by_label: usize,
    by_annotator: usize,
    by_review: usize,
    relations: usize,
}

impl Counts {
    pub(super) fn add(&mut self, other: &Counts) {
        self.skipped_docs += other.skipped_docs;
        self.by_label += other.by_label;
        self.by_annotator += other.by_annotator;
        self.by_review += other.by_review;
        self.relations += other.relations;
    }
}

/// [`select`] over some of the documents, in order.
pub(super) fn select_part<'a>(
    documents: &'a [Document],
    filter: &Filter,
    labels: Option<&[String]>,
) -> (Vec<ExportDoc<'a>>, Counts) {
    let mut docs = Vec::with_capacity(documents.len());
    let mut counts = Counts::default();
    for doc in documents {
        if filter.statuses.as_ref().is_some_and(|s| !s.contains(&doc.status)) {
            counts.skipped_docs += 1;
            continue;
        }
        let mut spans = Vec::with_capacity(doc.spans.len());
        for span in &doc.spans {
            if labels.is_some_and(|l| !l.contains(&span.label)) {
                counts.by_label += 1;
            } else if filter.annotator.as_ref().is_some_and(|a| *a != span.annotator) {
                counts.by_annotator += 1;
            } else if filter.accepted_only && span.review != ReviewState::Accepted {
                counts.by_review += 1;
            } else {
                spans.push(span);
            }
        }
        let kept: std::collections::HashSet<_> = spans.iter().map(|s| s.id).collect();
        let relations: Vec<&Relation> =
            doc.relations.iter().filter(|r| kept.contains(&r.from) && kept.contains(&r.to)).collect();
        counts.relations += doc.relations.len() - relations.len();
        docs.push(ExportDoc::new(doc, spans, relations));
    }
    (docs, counts)
}

/// The schema's spelling of each requested label; an unknown label is an error, not an empty export.
pub(super) fn resolve_labels(schema: &Schema, names: &[String]) -> Result<Vec<String>, FormatError> {
    names
        .iter()
        .map(|name| {
            schema.label_ignore_case(name.trim()).map(|l| l.name.clone()).ok_or_else(|| {
                let known: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
                FormatError::Options(format!(
                    "--labels: {name:?} is not a label of this project ({})",
                    known.join(", ")
                ))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocId, RelationId};

    /// A project large enough to be selected on several cores gives what one pass over it gives: the
    /// documents in order, and every left-out count summed.
    #[test]
    fn a_large_project_is_selected_in_order_with_every_count() {
        let mut project = Project::new("p");
        for i in 0..(3 * PARALLEL_FROM + 5) {
            let mut doc = Document::new(DocId(format!("d{i:03}")), "t", "Ann said the plan works. “Bo” left.");
            doc.status = if i % 3 == 0 { DocStatus::Done } else { DocStatus::Todo };
            doc.spans.push(Span::new(SpanId(2 * i as u64 + 1), CharIdx(0)..CharIdx(3), "Source", "ann"));
            doc.spans.push(Span::new(SpanId(2 * i as u64 + 2), CharIdx(9)..CharIdx(24), "Claim", "bo"));
            doc.relations.push(Relation {
                id: RelationId(i as u64 + 1),
                from: SpanId(2 * i as u64 + 1),
                to: SpanId(2 * i as u64 + 2),
                kind: "attributed_to".into(),
            });
            project.documents.push(doc);
        }
        let filter =
            Filter { statuses: Some(vec![DocStatus::Done]), labels: Some(vec!["claim".into()]), ..Default::default() };
        let (docs, left_out) = select(&project, &filter).expect("selected");
        let (one_pass, counts) = select_part(&project.documents, &filter, Some(&["Claim".to_string()]));
        let ids = |docs: &[ExportDoc]| docs.iter().map(|d| d.doc.id.as_str().to_string()).collect::<Vec<_>>();
        assert_eq!(ids(&docs), ids(&one_pass));
        assert_eq!(docs.len(), project.documents.len().div_ceil(3));
        assert!(docs.iter().all(|d| d.spans.len() == 1 && d.relations.is_empty()));
        assert_eq!(counts.skipped_docs, project.documents.len() - docs.len());
        assert_eq!(
            left_out,
            vec![
                (counts.skipped_docs, "documents not in the selected statuses".to_string()),
                (docs.len(), "spans with labels not selected".to_string()),
                (docs.len(), "relations whose spans were left out".to_string()),
            ]
        );
    }
}
