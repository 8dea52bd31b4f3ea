//! The JSON the command line prints. These shapes are documented in the README and kept stable:
//! offsets are Unicode scalar values (chars), `end` exclusive.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{AttrValue, Document, Metadata, Relation, Span};
use crate::text::offsets::OffsetMap;

/// A span as printed by `span list --json`, `span add --json` and `doc show --json`.
#[derive(Serialize)]
pub struct SpanJson<'a> {
    /// Span id.
    pub id: u64,
    /// Document id.
    pub doc: &'a str,
    /// Label.
    pub label: &'a str,
    /// First char.
    pub start: usize,
    /// First char after (exclusive).
    pub end: usize,
    /// The covered text.
    pub text: &'a str,
    /// Who made it.
    pub annotator: &'a str,
    /// Note.
    pub note: &'a str,
    /// Attributes.
    pub attributes: &'a BTreeMap<String, AttrValue>,
    /// `unreviewed`, `accepted` or `rejected`.
    pub review: &'static str,
}

impl<'a> SpanJson<'a> {
    /// The JSON view of `span` in `doc`; `map` indexes `doc.text`.
    pub fn new(doc: &'a Document, map: &OffsetMap<'a>, span: &'a Span) -> SpanJson<'a> {
        SpanJson {
            id: span.id.0,
            doc: doc.id.as_str(),
            label: &span.label,
            start: span.start.0,
            end: span.end.0,
            text: map.slice(span.range()).unwrap_or_default(),
            annotator: &span.annotator,
            note: &span.note,
            attributes: &span.attributes,
            review: span.review.as_str(),
        }
    }
}

/// A relation as printed by the CLI.
#[derive(Serialize)]
pub struct RelationJson<'a> {
    /// Relation id.
    pub id: u64,
    /// Document id.
    pub doc: &'a str,
    /// Span it starts at.
    pub from: u64,
    /// Span it points to.
    pub to: u64,
    /// Relation type.
    #[serde(rename = "type")]
    pub kind: &'a str,
}

impl<'a> RelationJson<'a> {
    /// The JSON view of `rel` in `doc`.
    pub fn new(doc: &'a Document, rel: &'a Relation) -> RelationJson<'a> {
        RelationJson { id: rel.id.0, doc: doc.id.as_str(), from: rel.from.0, to: rel.to.0, kind: &rel.kind }
    }
}

/// A row of `doc list --json`.
#[derive(Serialize)]
pub struct DocSummaryJson<'a> {
    /// Document id.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// Status.
    pub status: &'static str,
    /// Text length in chars.
    pub chars: usize,
    /// Number of spans.
    pub spans: usize,
    /// Number of relations.
    pub relations: usize,
    /// Spans per label.
    pub spans_by_label: BTreeMap<&'a str, usize>,
    /// Metadata.
    pub meta: &'a Metadata,
}

impl<'a> DocSummaryJson<'a> {
    /// The summary of `doc`.
    pub fn new(doc: &'a Document) -> DocSummaryJson<'a> {
        let mut spans_by_label = BTreeMap::new();
        for span in &doc.spans {
            *spans_by_label.entry(span.label.as_str()).or_default() += 1;
        }
        DocSummaryJson {
            id: doc.id.as_str(),
            title: &doc.title,
            status: doc.status.as_str(),
            chars: doc.char_len(),
            spans: doc.spans.len(),
            relations: doc.relations.len(),
            spans_by_label,
            meta: &doc.meta,
        }
    }
}

/// `doc show --json`: everything about one document.
#[derive(Serialize)]
pub struct DocJson<'a> {
    /// Document id.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// Status.
    pub status: &'static str,
    /// Metadata.
    pub meta: &'a Metadata,
    /// Document-level labels.
    pub doc_labels: &'a BTreeMap<String, String>,
    /// Note.
    pub note: &'a str,
    /// Content hash (identifies the same article across files).
    pub content_hash: String,
    /// The text.
    pub text: &'a str,
    /// Spans.
    pub spans: Vec<SpanJson<'a>>,
    /// Relations.
    pub relations: Vec<RelationJson<'a>>,
}

impl<'a> DocJson<'a> {
    /// The full view of `doc`.
    pub fn new(doc: &'a Document, map: &OffsetMap<'a>) -> DocJson<'a> {
        DocJson {
            id: doc.id.as_str(),
            title: &doc.title,
            status: doc.status.as_str(),
            meta: &doc.meta,
            doc_labels: &doc.doc_labels,
            note: &doc.note,
            content_hash: doc.content_hash(),
            text: &doc.text,
            spans: doc.spans.iter().map(|s| SpanJson::new(doc, map, s)).collect(),
            relations: doc.relations.iter().map(|r| RelationJson::new(doc, r)).collect(),
        }
    }
}
