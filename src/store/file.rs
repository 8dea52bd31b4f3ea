//! The on-disk shape of a project file (format 1), kept apart from the model so the file can stay lean,
//! readable and stable while the model evolves; [`super::migrate`] turns older shapes into this one.
//!
//! Layout rules that keep git diffs small and two annotators' files mergeable: documents in project order,
//! spans sorted by position and written one per line, relations one per line, text with real line breaks.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{
    AttrValue, CharIdx, DocId, DocStatus, FieldConflict, Metadata, ProjectConflict, Relation, ReviewState, Schema,
    SpanId, SuggestRule,
};

/// The current file format version.
pub const FORMAT_VERSION: u32 = 1;

/// Just the version, read first so newer files can be refused before their body is interpreted.
/// A missing field reads as 0, a version that never existed.
#[derive(Deserialize)]
pub(crate) struct VersionProbe {
    #[serde(default)]
    pub format: u32,
}

/// A whole project file: what [`super::to_file`] gives and the file's serde shape (the benchmark parses the
/// same data as JSON into it, for a baseline).
#[derive(Serialize, Deserialize)]
pub struct ProjectFile {
    pub(crate) format: u32,
    pub(crate) name: String,
    pub(crate) next_span_id: u64,
    pub(crate) next_relation_id: u64,
    pub(crate) schema: Schema,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) rules: Vec<SuggestRule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) recommenders_off: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) conflicts: Vec<ProjectConflict>,
    pub(crate) documents: Vec<DocumentRecord>,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// One document in the file.
#[derive(Serialize, Deserialize)]
pub(crate) struct DocumentRecord {
    pub id: DocId,
    pub title: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub meta: Metadata,
    #[serde(default)]
    pub status: DocStatus,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub doc_labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    pub text: String,
    #[serde(default)]
    pub spans: Vec<SpanRecord>,
    #[serde(default)]
    pub relations: Vec<Relation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<FieldConflict>,
}

/// One span in the file: the model's span plus the text it covers, which loading checks against the
/// offsets so a file edited by hand (or by a buggy tool) cannot silently shift annotations.
#[derive(Serialize, Deserialize, Clone)]
pub(crate) struct SpanRecord {
    pub id: SpanId,
    pub start: CharIdx,
    pub end: CharIdx,
    pub label: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub annotator: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, AttrValue>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub review: ReviewState,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reviewer: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub origin: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub conflict: String,
}

impl SpanRecord {
    /// The record of `span`, which covers `text`.
    pub(crate) fn of(span: &crate::model::Span, text: &str) -> SpanRecord {
        SpanRecord {
            id: span.id,
            start: span.start,
            end: span.end,
            label: span.label.clone(),
            text: text.to_string(),
            annotator: span.annotator.clone(),
            note: span.note.clone(),
            attributes: span.attributes.clone(),
            review: span.review,
            reviewer: span.reviewer.clone(),
            origin: span.origin.clone(),
            conflict: span.conflict.clone(),
        }
    }
}
