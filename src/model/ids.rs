//! Typed identifiers and the character-offset newtype.
//!
//! Every offset stored anywhere in factmark is a [`CharIdx`]: a count of Unicode scalar values from the
//! start of a document's text. Bytes, UTF-16 units and tokens exist only at the edges and are produced by
//! [`crate::text::offsets`].

use std::fmt;

use serde::{Deserialize, Serialize};

/// A position in a document's text, counted in Unicode scalar values (Rust `char`s).
///
/// Ranges built from two of these are half-open: `start` is the first char inside, `end` the first after.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CharIdx(pub usize);

impl CharIdx {
    /// The raw count of chars.
    pub fn get(self) -> usize {
        self.0
    }
}

impl fmt::Display for CharIdx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Stable identifier of a document: a short slug made from its title when it was imported.
///
/// It never changes when the title is edited, so exports, scripts and other annotators' files keep
/// pointing at the same document.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocId(pub String);

impl DocId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Project-wide unique identifier of a span. Never reused within a project, even after deletion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SpanId(pub u64);

impl fmt::Display for SpanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Project-wide unique identifier of a relation. Never reused within a project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RelationId(pub u64);

impl fmt::Display for RelationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
