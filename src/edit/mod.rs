//! Edits as values. Every change to a project is an [`Edit`]; applying one checks it against the
//! invariants and returns the edit that undoes it, so [`History`] gets unlimited undo/redo for free and
//! the GUI, the CLI and importers all change projects the same way.

mod apply;
mod change;
mod document_edits;
mod history;
mod schema_edits;

use std::ops::Range;

use crate::model::{
    AttrValue, CharIdx, DocId, DocStatus, Document, FieldConflict, Metadata, ProjectConflict, Relation, RelationId,
    ReviewState, Schema, Span, SpanId,
};

pub use change::{SpanChange, SpanCount, span_change};
pub use history::History;
pub use schema_edits::{LabelFate, delete_attribute, delete_label, schema_problems};

/// One change to a project. Applying it returns its inverse (see [`Edit::apply`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Add a span (with relations that involve it, when restoring a removed span).
    AddSpan {
        /// Document to add to.
        doc: DocId,
        /// The span, with an id from [`crate::model::Project::alloc_span_id`].
        span: Span,
        /// Relations to restore along with it; empty for a new span.
        relations: Vec<Relation>,
    },
    /// Remove a span and every relation that involves it.
    RemoveSpan {
        /// Document holding it.
        doc: DocId,
        /// The span.
        span: SpanId,
    },
    /// Change a span's label.
    SetSpanLabel {
        /// Document holding it.
        doc: DocId,
        /// The span.
        span: SpanId,
        /// New label.
        label: String,
    },
    /// Move or resize a span.
    SetSpanRange {
        /// Document holding it.
        doc: DocId,
        /// The span.
        span: SpanId,
        /// New char range.
        range: Range<CharIdx>,
    },
    /// Replace a span's note.
    SetSpanNote {
        /// Document holding it.
        doc: DocId,
        /// The span.
        span: SpanId,
        /// New note (empty clears it).
        note: String,
    },
    /// Replace where a span came from (its `origin`): e.g. an accepted suggestion marked as changed by the
    /// annotator afterwards, so the project can tell how often suggestions were taken as they were.
    SetSpanOrigin {
        /// Document holding it.
        doc: DocId,
        /// The span.
        span: SpanId,
        /// New origin (empty for a hand-made span).
        origin: String,
    },
    /// Set or clear one attribute of a span.
    SetSpanAttr {
        /// Document holding it.
        doc: DocId,
        /// The span.
        span: SpanId,
        /// Attribute name, defined for the span's label.
        name: String,
        /// New value; `None` clears it.
        value: Option<AttrValue>,
    },
    /// Set a span's review state.
    SetSpanReview {
        /// Document holding it.
        doc: DocId,
        /// The span.
        span: SpanId,
        /// New state.
        review: ReviewState,
        /// Who reviewed (empty when unreviewed).
        reviewer: String,
    },
    /// Add a relation between two spans of one document.
    AddRelation {
        /// Document holding both spans.
        doc: DocId,
        /// The relation, with an id from [`crate::model::Project::alloc_relation_id`].
        relation: Relation,
    },
    /// Remove a relation.
    RemoveRelation {
        /// Document holding it.
        doc: DocId,
        /// The relation.
        relation: RelationId,
    },
    /// Set a document's status.
    SetDocStatus {
        /// The document.
        doc: DocId,
        /// New status.
        status: DocStatus,
    },
    /// Set a document's title.
    SetDocTitle {
        /// The document.
        doc: DocId,
        /// New title.
        title: String,
    },
    /// Replace a document's metadata.
    SetDocMeta {
        /// The document.
        doc: DocId,
        /// New metadata.
        meta: Metadata,
    },
    /// Replace a document's note.
    SetDocNote {
        /// The document.
        doc: DocId,
        /// New note.
        note: String,
    },
    /// Set or clear a document-level label.
    SetDocLabel {
        /// The document.
        doc: DocId,
        /// Label set name (e.g. `genre`).
        set: String,
        /// Chosen value; `None` clears it.
        value: Option<String>,
    },
    /// Replace the list of a document's fields a merge left in conflict (settling one removes it).
    SetDocConflicts {
        /// The document.
        doc: DocId,
        /// The conflicts still open.
        conflicts: Vec<FieldConflict>,
    },
    /// Insert a whole document (import, or undoing a removal).
    AddDocument {
        /// Position in the document list (clamped to the end).
        index: usize,
        /// The document with its annotations.
        document: Box<Document>,
    },
    /// Remove a document with its annotations.
    RemoveDocument {
        /// The document.
        doc: DocId,
    },
    /// Move a document to another place in the list.
    MoveDocument {
        /// The document.
        doc: DocId,
        /// Its new index (clamped to the list).
        index: usize,
    },
    /// Replace the schema (labels, colours, keys, guidelines, attributes, relation types). Refused when
    /// the new schema is inconsistent or leaves a span or relation without its label or type.
    SetSchema {
        /// The new schema.
        schema: Box<Schema>,
    },
    /// Replace the project's suggestion rules.
    SetRules {
        /// The new rules.
        rules: Vec<crate::model::SuggestRule>,
    },
    /// Switch recommenders off (or back on) for this project: the names of those that stay off.
    SetRecommendersOff {
        /// The recommenders switched off, by name.
        off: Vec<String>,
    },
    /// Rename the project.
    SetProjectName {
        /// The new name.
        name: String,
    },
    /// Replace the list of project settings a merge left in conflict (settling one removes it).
    SetProjectConflicts {
        /// The conflicts still open.
        conflicts: Vec<ProjectConflict>,
    },
    /// Rename a span label everywhere: in the schema, on every span, and in relation types' allowed ends.
    RenameLabel {
        /// Current name.
        from: String,
        /// New name.
        to: String,
    },
    /// Rename a relation type in the schema and on every relation.
    RenameRelationType {
        /// Current name.
        from: String,
        /// New name.
        to: String,
    },
    /// Several edits applied as one step (undone together). Fails as a whole if any part fails.
    Batch {
        /// Name shown in the Edit menu.
        name: String,
        /// The edits, in order.
        edits: Vec<Edit>,
    },
}

/// Why an edit was refused. The project is unchanged when this is returned.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    /// No document with that id.
    #[error("no document with id {0:?}")]
    NoDocument(DocId),
    /// The document has no such span.
    #[error("document {doc:?} has no span {span}")]
    NoSpan {
        /// The document.
        doc: DocId,
        /// The missing span.
        span: SpanId,
    },
    /// The document has no such relation.
    #[error("document {doc:?} has no relation {relation}")]
    NoRelation {
        /// The document.
        doc: DocId,
        /// The missing relation.
        relation: RelationId,
    },
    /// The label is not in the schema.
    #[error("label {0:?} is not in the schema")]
    UnknownLabel(String),
    /// The range is empty, inverted or outside the text.
    #[error("range {start}..{end} is not a non-empty range inside the text ({len} chars)")]
    BadRange {
        /// Start asked for.
        start: usize,
        /// End asked for.
        end: usize,
        /// Text length in chars.
        len: usize,
    },
    /// The relation type is not in the schema.
    #[error("relation type {0:?} is not in the schema")]
    UnknownRelationType(String),
    /// The relation type does not allow these labels at its ends.
    #[error("a {kind} relation cannot go from a {from} span to a {to} span")]
    RelationNotAllowed {
        /// Relation type.
        kind: String,
        /// Label of the `from` span.
        from: String,
        /// Label of the `to` span.
        to: String,
    },
    /// A relation from a span to itself.
    #[error("a relation cannot link span {0} to itself")]
    SelfRelation(SpanId),
    /// An id that is already used.
    #[error("id {0} is already used in this project")]
    DuplicateId(String),
    /// The attribute is not defined for the span's label.
    #[error("label {label:?} has no attribute {name:?}")]
    UnknownAttribute {
        /// The span's label.
        label: String,
        /// The attribute asked for.
        name: String,
    },
    /// The value does not fit the attribute's kind.
    #[error("attribute {name:?}: {problem}")]
    BadAttrValue {
        /// The attribute.
        name: String,
        /// What is wrong with the value.
        problem: String,
    },
    /// The document-level label set or value is not in the schema.
    #[error("document label {set:?} = {value:?} is not in the schema")]
    UnknownDocLabel {
        /// Label set.
        set: String,
        /// Value.
        value: String,
    },
    /// The schema asked for is inconsistent, or does not fit the project's spans and relations.
    #[error("schema not changed: {0}")]
    BadSchema(String),
    /// The project is open one document at a time and the edit needs more of it than is in memory, or a
    /// document whose files do not read (the message says which and why).
    #[error("{0}")]
    NotInMemory(String),
    /// A document added by an edit breaks an invariant.
    #[error("document {doc:?} cannot be added: {problem}")]
    BadDocument {
        /// The document.
        doc: DocId,
        /// The broken invariant.
        problem: String,
    },
}

impl Edit {
    /// The one document this edit changes, if it changes exactly one (views refresh just that document's
    /// derived data); `None` for edits that may touch several documents or the schema.
    pub fn document(&self) -> Option<&DocId> {
        match self {
            Edit::AddSpan { doc, .. }
            | Edit::RemoveSpan { doc, .. }
            | Edit::SetSpanLabel { doc, .. }
            | Edit::SetSpanRange { doc, .. }
            | Edit::SetSpanNote { doc, .. }
            | Edit::SetSpanOrigin { doc, .. }
            | Edit::SetSpanAttr { doc, .. }
            | Edit::SetSpanReview { doc, .. }
            | Edit::AddRelation { doc, .. }
            | Edit::RemoveRelation { doc, .. }
            | Edit::SetDocStatus { doc, .. }
            | Edit::SetDocTitle { doc, .. }
            | Edit::SetDocMeta { doc, .. }
            | Edit::SetDocNote { doc, .. }
            | Edit::SetDocLabel { doc, .. }
            | Edit::SetDocConflicts { doc, .. } => Some(doc),
            Edit::Batch { edits, .. } => {
                let first = edits.first()?.document()?;
                edits.iter().all(|e| e.document() == Some(first)).then_some(first)
            }
            Edit::AddDocument { .. }
            | Edit::RemoveDocument { .. }
            | Edit::MoveDocument { .. }
            | Edit::SetSchema { .. }
            | Edit::SetRules { .. }
            | Edit::SetRecommendersOff { .. }
            | Edit::SetProjectName { .. }
            | Edit::SetProjectConflicts { .. }
            | Edit::RenameLabel { .. }
            | Edit::RenameRelationType { .. } => None,
        }
    }

    /// A short name for menus and messages ("Add Claim span", "Remove relation" …).
    pub fn describe(&self) -> String {
        match self {
            Edit::AddSpan { span, relations, .. } if relations.is_empty() => format!("Add {} span", span.label),
            Edit::AddSpan { span, .. } => format!("Restore {} span", span.label),
            Edit::RemoveSpan { .. } => "Remove span".into(),
            Edit::SetSpanLabel { label, .. } => format!("Relabel span as {label}"),
            Edit::SetSpanRange { .. } => "Resize span".into(),
            Edit::SetSpanNote { .. } => "Edit span note".into(),
            Edit::SetSpanOrigin { .. } => "Set span origin".into(),
            Edit::SetSpanAttr { name, .. } => format!("Set {name}"),
            Edit::SetSpanReview { review, .. } => format!("Mark span {}", review.as_str()),
            Edit::AddRelation { relation, .. } => format!("Add {} relation", relation.kind),
            Edit::RemoveRelation { .. } => "Remove relation".into(),
            Edit::SetDocStatus { status, .. } => format!("Set status to {status}"),
            Edit::SetDocTitle { .. } => "Edit title".into(),
            Edit::SetDocMeta { .. } => "Edit metadata".into(),
            Edit::SetDocNote { .. } => "Edit document note".into(),
            Edit::SetDocLabel { set, .. } => format!("Set {set}"),
            Edit::SetDocConflicts { .. } | Edit::SetProjectConflicts { .. } => "Settle merge conflicts".into(),
            Edit::SetProjectName { .. } => "Rename project".into(),
            Edit::AddDocument { document, .. } => format!("Add document {:?}", document.title),
            Edit::RemoveDocument { .. } => "Remove document".into(),
            Edit::MoveDocument { .. } => "Move document".into(),
            Edit::SetSchema { .. } => "Edit schema".into(),
            Edit::SetRules { .. } => "Edit suggestion rules".into(),
            Edit::SetRecommendersOff { .. } => "Switch recommenders".into(),
            Edit::RenameLabel { from, to } => format!("Rename label {from} to {to}"),
            Edit::RenameRelationType { from, to } => format!("Rename relation type {from} to {to}"),
            Edit::Batch { name, .. } => name.clone(),
        }
    }
}
