//! A project folder's documents for counting (statistics, the dashboard): a document whose two files are
//! byte for byte those its index line was written with is counted from the counts the line keeps, without
//! parsing or tokenizing it; any other document is read and checked as loading reads it. Reading and
//! hashing both files is what makes the line trustworthy: a file edited by hand, a save killed half way or
//! a git merge that changed a file behind the index all show as a hash that differs, and that document is
//! then counted the slow, sure way.

use std::fs;

use super::index::FolderIndex;
use super::load::BrokenDocument;
use super::{IndexEntry, hash};
use crate::model::{DocCounts, Document};
use crate::store::StoreError;

/// An index line's [`DocCounts`], kept as the text they are written as and read when used: a window on
/// 100,000 documents holds every line, and four small maps per line would cost it more than the rest of
/// the line (about 1.5 kB against the text's 200 bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineCounts(Box<str>);

impl LineCounts {
    /// The counts `counts`, in the form a line writes them.
    pub fn new(counts: &DocCounts) -> LineCounts {
        // What `ron` writes for a struct below the index's depth limit: one line, ": " and ", ".
        let config = ron::ser::PrettyConfig::new().depth_limit(0).struct_names(false).escape_strings(false);
        LineCounts(ron::ser::to_string_pretty(counts, config).unwrap_or_default().into_boxed_str())
    }

    /// Counts read from a line, already checked to read.
    pub(super) fn from_text(text: &str) -> LineCounts {
        LineCounts(Box::from(text))
    }

    /// How many decisions a merge left in the document (see [`DocCounts::conflicts`]). Asked of every line
    /// of a large project, so the text is read only when it names conflicts at all (it leaves out zeros).
    pub fn conflicts(&self) -> usize {
        if !self.0.contains("conflicts:") {
            return 0;
        }
        self.get().map_or(0, |counts| counts.conflicts)
    }

    /// The counts; `None` only if the text does not read (it always does: it was checked when read).
    pub fn get(&self) -> Option<DocCounts> {
        super::fast_read::counts(&self.0).or_else(|| ron::from_str(&self.0).ok())
    }
}

impl serde::Serialize for LineCounts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.get() {
            Some(counts) => counts.serialize(serializer),
            None => Err(serde::ser::Error::custom(format!("counts that do not read: {}", self.0))),
        }
    }
}

impl<'de> serde::Deserialize<'de> for LineCounts {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        DocCounts::deserialize(deserializer).map(|counts| LineCounts::new(&counts))
    }
}

/// A document of a project folder as counting takes it.
#[derive(Debug, Clone, PartialEq)]
pub enum FolderDoc {
    /// Its index line (without its counts) and the counts it keeps, which are the files' as they are.
    Line(IndexEntry, DocCounts),
    /// The document read from its files: its line keeps no counts, or a file differs from the line.
    Read(Document),
}

impl FolderIndex {
    /// The document at `at` for counting: from its index line when the line keeps counts, names only
    /// labels and relation types the schema has (a document using others is invalid, which reading it
    /// reports) and both files hash to what it says; otherwise read as [`FolderIndex::document`] reads it.
    pub fn counted(&self, at: usize) -> Result<FolderDoc, StoreError> {
        if let Some(entry) = self.entries.get(at)
            && let Some(counts) = entry.counts.as_ref().and_then(LineCounts::get)
            && self.line_holds(entry, &counts)
        {
            let line = IndexEntry { counts: None, ..entry.clone() };
            return Ok(FolderDoc::Line(line, counts));
        }
        self.document(at).map(FolderDoc::Read)
    }

    /// Whether the counts of `entry` are those of the files on disk, as far as the schema allows.
    fn line_holds(&self, entry: &IndexEntry, counts: &DocCounts) -> bool {
        let schema = &self.header.schema;
        if entry.spans.keys().any(|label| schema.label(label).is_none())
            || counts.relations.keys().any(|kind| schema.relation_type(kind).is_none())
        {
            return false;
        }
        let (text_path, ann_path) = self.paths(entry);
        let same = |path: &std::path::Path, expected: &str| fs::read(path).is_ok_and(|bytes| hash(&bytes) == expected);
        !entry.annotations.is_empty() && same(&ann_path, &entry.annotations) && same(&text_path, &entry.text)
    }

    /// [`FolderIndex::for_each_readable_batch`] with each document as [`FolderIndex::counted`] gives it:
    /// `work` gets the documents that count, and those that do not read or check come back, in project
    /// order, for the caller to report.
    pub fn for_each_counted_batch<T: Send, E: From<StoreError> + Send>(
        &self,
        batch: usize,
        work: impl Fn(Vec<FolderDoc>) -> Result<T, E> + Sync,
        sink: impl FnMut(T) -> Result<(), E>,
    ) -> Result<Vec<BrokenDocument>, E> {
        self.for_each_read_batch(batch, |at| self.counted(at), work, sink)
    }
}
