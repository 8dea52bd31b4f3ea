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
    /// Offset conversions over `doc.text`.
    pub map: OffsetMap<'a>,
    /// Selected spans in export order: by start, then end (a nested span before the span around it, as
    /// the shared reference files list them), then id.
    pub spans: Vec<&'a Span>,
    /// Selected relations: both ends are selected spans.
    pub relations: Vec<&'a Relation>,
    /// Position of each span in `spans`, so relations find their ends in O(1) on 50k-span exports.
    index: HashMap<SpanId, usize>,
    /// The document's tokens, made on first use and then shared by every token-based format of one
    /// export run (tokenizing 5 MB takes longer than writing most formats).
    tokens: OnceLock<Vec<Token>>,
    /// The document's sentences, likewise shared.
    sentences: OnceLock<Vec<Range<CharIdx>>>,
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
            spans,
            relations,
            index,
            tokens: OnceLock::new(),
            sentences: OnceLock::new(),
            json_text: OnceLock::new(),
        }
    }

    /// The document's tokens ([`tokens::tokenize`]), computed once.
    pub fn tokens(&self) -> &[Token] {
        self.tokens.get_or_init(|| tokens::tokenize(&self.doc.text))
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
        self.map.slice(span.range()).unwrap_or_default()
    }

    /// Position of a span in [`ExportDoc::spans`], which formats that number spans per document use.
    pub fn index_of(&self, id: SpanId) -> Option<usize> {
        self.index.get(&id).copied()
    }
}

/// What a filter left out: (count, reason) pairs for the export summary.
pub type LeftOut = Vec<(usize, String)>;

/// The documents and annotations `filter` selects, plus what it left out and why (count, reason).
pub fn select<'a>(project: &'a Project, filter: &Filter) -> Result<(Vec<ExportDoc<'a>>, LeftOut), FormatError> {
    let labels = match &filter.labels {
        Some(names) => Some(resolve_labels(&project.schema, names)?),
        None => None,
    };
    let mut docs = Vec::new();
    let (mut skipped_docs, mut by_label, mut by_annotator, mut by_review, mut rels) = (0, 0, 0, 0, 0);
    for doc in &project.documents {
        if filter.statuses.as_ref().is_some_and(|s| !s.contains(&doc.status)) {
            skipped_docs += 1;
            continue;
        }
        let mut spans = Vec::with_capacity(doc.spans.len());
        for span in &doc.spans {
            if labels.as_ref().is_some_and(|l| !l.contains(&span.label)) {
                by_label += 1;
            } else if filter.annotator.as_ref().is_some_and(|a| *a != span.annotator) {
                by_annotator += 1;
            } else if filter.accepted_only && span.review != ReviewState::Accepted {
                by_review += 1;
            } else {
                spans.push(span);
            }
        }
        let kept: std::collections::HashSet<_> = spans.iter().map(|s| s.id).collect();
        let relations: Vec<&Relation> =
            doc.relations.iter().filter(|r| kept.contains(&r.from) && kept.contains(&r.to)).collect();
        rels += doc.relations.len() - relations.len();
        docs.push(ExportDoc::new(doc, spans, relations));
    }
    let mut dropped = Vec::new();
    let mut note = |count: usize, reason: String| {
        if count > 0 {
            dropped.push((count, reason));
        }
    };
    note(skipped_docs, "documents not in the selected statuses".into());
    note(by_label, "spans with labels not selected".into());
    if let Some(a) = &filter.annotator {
        note(by_annotator, format!("spans not made by {a:?}"));
    }
    note(by_review, "spans not accepted in review".into());
    note(rels, "relations whose spans were left out".into());
    Ok((docs, dropped))
}

/// The schema's spelling of each requested label; an unknown label is an error, not an empty export.
fn resolve_labels(schema: &Schema, names: &[String]) -> Result<Vec<String>, FormatError> {
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
