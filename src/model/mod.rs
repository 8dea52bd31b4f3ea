//! The data model: projects, documents, spans, relations and the label schema.
//!
//! Plain data with lookups. Changes go through [`crate::edit`], which keeps the invariants checked by
//! [`validate`].

mod conflict;
mod counts;
mod document;
mod ids;
mod presets;
mod project;
mod rules;
mod schema;
mod span;
pub mod validate;

pub use conflict::{
    CHANGED, DELETED, DOC_LABEL_FIELD, DOCUMENT_FIELD, FieldConflict, META_FIELDS, MetaField, ProjectConflict,
    RELATION_FIELD, field_value, ours_value, parse_relation, parse_status, relation_field_id, relation_text,
};
pub use counts::DocCounts;
pub use document::{DocStatus, Document, Metadata, content_hash};
pub use ids::{CharIdx, DocId, RelationId, SpanId};
pub use presets::SchemaPreset;
pub use project::{DocLookupError, Project, unique_doc_id};
pub use rules::{RuleKind, SuggestRule, UnknownRuleKind};
pub use schema::{AttrKind, AttributeDef, DocLabelSet, LabelDef, RelationTypeDef, Rgb, Schema, same_key};
pub use span::{
    AttrValue, CHANGED as SUGGESTION_CHANGED, Changed, Relation, ReviewState, SUGGESTED, Span, UnknownReviewState,
};
