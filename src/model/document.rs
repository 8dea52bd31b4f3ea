//! Documents: an article's text with its metadata and annotations.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::Relaxed;

use serde::{Deserialize, Serialize};

use super::ids::{CharIdx, DocId, RelationId, SpanId};
use super::span::{Relation, Span};

/// How far annotation of a document has got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DocStatus {
    /// Not started.
    #[default]
    Todo,
    /// Being annotated.
    InProgress,
    /// Annotation finished, waiting for a reviewer.
    NeedsReview,
    /// Finished (and reviewed, where the project reviews).
    Done,
}

impl DocStatus {
    /// Every status, in workflow order.
    pub const ALL: [DocStatus; 4] = [DocStatus::Todo, DocStatus::InProgress, DocStatus::NeedsReview, DocStatus::Done];

    /// The name used on the command line and in JSON (`todo`, `in-progress`, `needs-review`, `done`).
    pub fn as_str(self) -> &'static str {
        match self {
            DocStatus::Todo => "todo",
            DocStatus::InProgress => "in-progress",
            DocStatus::NeedsReview => "needs-review",
            DocStatus::Done => "done",
        }
    }
}

impl fmt::Display for DocStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DocStatus {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        DocStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == wanted)
            .ok_or_else(|| format!("unknown status {text:?} (expected todo, in-progress, needs-review or done)"))
    }
}

/// Bibliographic facts about an article. All optional: imports fill in what they can find.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// Author or byline as printed (without a leading "By").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    /// Publication date as found (ISO 8601 where the source gave one).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub date: String,
    /// Newspaper, site or publisher.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub publication: String,
    /// Where the article was published.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// The file it was imported from.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source_file: String,
}

/// One article with its annotations.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// Stable id.
    pub id: DocId,
    /// Title shown in lists and exports.
    pub title: String,
    /// Author, date, publication, URL, source file.
    pub meta: Metadata,
    /// The text being annotated, with LF line ends. Span offsets count chars of this string.
    pub text: String,
    /// Annotation progress.
    pub status: DocStatus,
    /// Spans, kept sorted by [`Span::sort_key`].
    pub spans: Vec<Span>,
    /// Relations between this document's spans, sorted by id.
    pub relations: Vec<Relation>,
    /// Document-level labels: set name → chosen value.
    pub doc_labels: BTreeMap<String, String>,
    /// Free-text note about the document.
    pub note: String,
    /// Fields a merge could not settle: the fields above hold ours' values, these theirs' (see
    /// [`super::FieldConflict`]). Empty unless a merge left some.
    pub conflicts: Vec<super::FieldConflict>,
    /// The text's length in chars, remembered: every span edit checks its range against it, and counting
    /// the chars of a 1 MB article takes a tenth of a millisecond.
    pub(crate) char_count: CharCount,
}

/// A remembered char count of a text, tagged with the text's address and byte length so that a text
/// replaced or changed in length is counted again. Never part of a document's equality.
#[derive(Default)]
pub(crate) struct CharCount {
    /// Address, byte length and char count of the text last counted, plus one (0: nothing counted yet).
    counted: [AtomicUsize; 3],
}

impl CharCount {
    fn get(&self, text: &str) -> usize {
        let [addr, bytes, chars] = &self.counted;
        if addr.load(Relaxed) == text.as_ptr() as usize && bytes.load(Relaxed) == text.len() {
            let stored = chars.load(Relaxed);
            if stored > 0 {
                return stored - 1;
            }
        }
        let count = text.chars().count();
        chars.store(0, Relaxed);
        addr.store(text.as_ptr() as usize, Relaxed);
        bytes.store(text.len(), Relaxed);
        chars.store(count + 1, Relaxed);
        count
    }
}

impl Clone for CharCount {
    fn clone(&self) -> Self {
        // A clone's text lives at another address: its count starts afresh.
        CharCount::default()
    }
}

impl PartialEq for CharCount {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl fmt::Debug for CharCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CharCount")
    }
}

impl Document {
    /// A new, unannotated document.
    pub fn new(id: DocId, title: impl Into<String>, text: impl Into<String>) -> Document {
        Document {
            id,
            title: title.into(),
            meta: Metadata::default(),
            text: text.into(),
            status: DocStatus::Todo,
            spans: Vec::new(),
            relations: Vec::new(),
            doc_labels: BTreeMap::new(),
            note: String::new(),
            conflicts: Vec::new(),
            char_count: CharCount::default(),
        }
    }

    /// The span with this id.
    pub fn span(&self, id: SpanId) -> Option<&Span> {
        self.spans.iter().find(|s| s.id == id)
    }

    /// The relation with this id.
    pub fn relation(&self, id: RelationId) -> Option<&Relation> {
        self.relations.iter().find(|r| r.id == id)
    }

    /// Relations that start or end at `span`.
    pub fn relations_of(&self, span: SpanId) -> impl Iterator<Item = &Relation> {
        self.relations.iter().filter(move |r| r.from == span || r.to == span)
    }

    /// Length of the text in chars.
    pub fn char_len(&self) -> usize {
        self.char_count.get(&self.text)
    }

    /// A hash of the text, which identifies the same article across files and imports.
    pub fn content_hash(&self) -> String {
        content_hash(&self.text)
    }

    /// A span other than `except` with exactly this range, label and annotator. Such a second span adds
    /// nothing but a double count in every export and agreement figure, so whatever creates spans asks
    /// this first and refuses (or skips) the copy.
    pub fn identical_span(
        &self,
        range: std::ops::Range<CharIdx>,
        label: &str,
        annotator: &str,
        except: Option<SpanId>,
    ) -> Option<SpanId> {
        // Spans are sorted by start, so only those starting at `range.start` need a look.
        let first = self.spans.partition_point(|s| s.start < range.start);
        self.spans[first..]
            .iter()
            .take_while(|s| s.start == range.start)
            .find(|s| s.end == range.end && s.label == label && s.annotator == annotator && Some(s.id) != except)
            .map(|s| s.id)
    }

    /// Inserts a span keeping the sort order.
    pub(crate) fn insert_span(&mut self, span: Span) {
        let key = span.sort_key();
        let at = self.spans.partition_point(|s| s.sort_key() < key);
        self.spans.insert(at, span);
    }

    /// Inserts a relation keeping id order.
    pub(crate) fn insert_relation(&mut self, relation: Relation) {
        let at = self.relations.partition_point(|r| r.id < relation.id);
        self.relations.insert(at, relation);
    }
}

/// The content hash of a text, as hex (BLAKE3, first 16 bytes: plenty to tell articles apart).
pub fn content_hash(text: &str) -> String {
    let hash = blake3::hash(text.as_bytes());
    hash.as_bytes()[..16].iter().map(|b| format!("{b:02x}")).collect()
}
