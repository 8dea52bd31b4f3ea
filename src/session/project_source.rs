//! The documents of the open project as project-wide work sees them, whether the project is wholly in
//! memory or a project folder opened lazily: then most documents are only on disk and a few are loaded,
//! some changed and not saved yet. A [`DocSource`] is a snapshot of either that is cheap to clone and to
//! send to a worker thread; [`DocSource::for_each_batch`] hands its documents out in batches, read on every
//! core and passed on in project order, each document the loaded version when there is one (the user's
//! unsaved edits count) and otherwise read from its files. The window and the command line run the same
//! project-wide work (search, agreement, statistics, training) on either kind without knowing which.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use crate::model::{DocCounts, DocId, Document, Project};
use crate::store::StoreError;
use crate::store::folder::{FolderDoc, FolderIndex, IndexEntry, ranges_in_order};

use super::job::Progress;

/// Why project-wide work over a [`DocSource`] stopped without a result.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// A document on disk could not be read or is broken (the message names its file).
    #[error("{0}")]
    Read(#[from] StoreError),
    /// The user cancelled.
    #[error("cancelled")]
    Cancelled,
    /// A document of the project order given is neither loaded nor in the folder's index.
    #[error("document {id:?} is neither loaded nor in the index of {folder}")]
    UnknownDocument {
        /// The document's id.
        id: String,
        /// The project folder.
        folder: std::path::PathBuf,
    },
    /// A position past the last document was asked for (a bug in the caller, reported rather than a panic).
    #[error("no document at position {at}: the project has {len}")]
    NoDocument {
        /// The position asked for.
        at: usize,
        /// How many documents there are.
        len: usize,
    },
}

/// The documents of one batch: the `docs.len()` documents from position `start` in project order, borrowed
/// when they are in memory and read when they are not.
#[derive(Debug)]
pub struct Batch<'a> {
    /// The position of the first document in project order.
    pub start: usize,
    /// The documents, in project order.
    pub docs: Vec<Cow<'a, Document>>,
}

/// A project's documents for project-wide work: the whole project in memory, or a project folder with the
/// documents loaded in memory laid over it. Cloning shares the snapshot.
#[derive(Clone, Debug)]
pub struct DocSource {
    kind: Kind,
    /// Documents most recently changed first (what training prefers when it cannot take everything).
    recent: Arc<[DocId]>,
}

#[derive(Clone, Debug)]
enum Kind {
    Memory(Arc<Project>),
    Folder(Arc<Folder>),
}

/// A project folder with an overlay of documents held in memory.
#[derive(Debug)]
struct Folder {
    index: FolderIndex,
    /// The project without its documents: the index's, or the one in memory (its schema may have unsaved
    /// edits).
    header: Project,
    overlay: Vec<Document>,
    /// Every document, in project order: where to find it.
    slots: Vec<Slot>,
}

/// Where a document of a folder source is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    /// On disk, at this position of the index.
    Disk(usize),
    /// In the overlay, at this position.
    Loaded(usize),
}

impl DocSource {
    /// The whole project, in memory.
    pub fn memory(project: Arc<Project>) -> DocSource {
        DocSource { kind: Kind::Memory(project), recent: Arc::from(Vec::new()) }
    }

    /// The project folder `index`, its documents read from disk but for those in `overlay`, which are the
    /// versions in memory (loaded, maybe changed) and are used instead. Project order is the index's; an
    /// overlay document the index lacks (added in memory, not saved yet) comes after the index's documents,
    /// in overlay order. `header` is the project in memory, if it may differ from the index's (its documents
    /// are not used: only name, schema, rules and counters); `None` uses the index's. The overlay's order
    /// is taken as most recently changed first (see [`DocSource::with_recent`]).
    pub fn folder(index: FolderIndex, header: Option<&Project>, overlay: Vec<Document>) -> DocSource {
        let loaded: HashMap<&DocId, usize> = overlay.iter().enumerate().map(|(at, d)| (&d.id, at)).collect();
        let mut in_index = vec![false; overlay.len()];
        let mut slots: Vec<Slot> = index
            .entries()
            .iter()
            .enumerate()
            .map(|(at, entry)| match loaded.get(&entry.id) {
                Some(&o) => {
                    in_index[o] = true;
                    Slot::Loaded(o)
                }
                None => Slot::Disk(at),
            })
            .collect();
        slots.extend((0..overlay.len()).filter(|&o| !in_index[o]).map(Slot::Loaded));
        DocSource::from_slots(index, header, overlay, slots)
    }

    /// [`DocSource::folder`] in the project order `order` rather than the index's: the project in memory
    /// when documents were added, removed or moved and not saved yet (its documents' ids, stubs and loaded
    /// ones alike). Each id is taken from `overlay` if it is there, else from the index; an id in neither is
    /// refused, naming it. Overlay documents not in `order` are not part of the project.
    pub fn folder_in_order(
        index: FolderIndex,
        header: Option<&Project>,
        overlay: Vec<Document>,
        order: &[DocId],
    ) -> Result<DocSource, SourceError> {
        let loaded: HashMap<&DocId, usize> = overlay.iter().enumerate().map(|(at, d)| (&d.id, at)).collect();
        let on_disk: HashMap<&DocId, usize> = index.entries().iter().enumerate().map(|(at, e)| (&e.id, at)).collect();
        let slots = order
            .iter()
            .map(|id| match (loaded.get(id), on_disk.get(id)) {
                (Some(&o), _) => Ok(Slot::Loaded(o)),
                (None, Some(&at)) => Ok(Slot::Disk(at)),
                (None, None) => {
                    Err(SourceError::UnknownDocument { id: id.to_string(), folder: index.folder().to_path_buf() })
                }
            })
            .collect::<Result<Vec<Slot>, SourceError>>()?;
        Ok(DocSource::from_slots(index, header, overlay, slots))
    }

    fn from_slots(index: FolderIndex, header: Option<&Project>, overlay: Vec<Document>, slots: Vec<Slot>) -> DocSource {
        let recent: Vec<DocId> = overlay.iter().map(|d| d.id.clone()).collect();
        let header = header_only(header.unwrap_or(index.header()));
        DocSource { kind: Kind::Folder(Arc::new(Folder { index, header, overlay, slots })), recent: Arc::from(recent) }
    }

    /// The same source with `recent` as the documents most recently changed, most recent first (ids not in
    /// the project are ignored where it is used).
    pub fn with_recent(self, recent: Vec<DocId>) -> DocSource {
        DocSource { recent: Arc::from(recent), ..self }
    }

    /// The project's name, schema, rules and id counters. Its `documents` are not the source's: empty for a
    /// folder, every document for a project in memory.
    pub fn header(&self) -> &Project {
        match &self.kind {
            Kind::Memory(project) => project,
            Kind::Folder(folder) => &folder.header,
        }
    }

    /// Documents most recently changed first, as given.
    pub fn recent(&self) -> &[DocId] {
        &self.recent
    }

    /// How many documents the project has.
    pub fn len(&self) -> usize {
        match &self.kind {
            Kind::Memory(project) => project.documents.len(),
            Kind::Folder(folder) => folder.slots.len(),
        }
    }

    /// Whether the project has no documents.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The project folder's index, for a folder source.
    pub fn folder_index(&self) -> Option<&FolderIndex> {
        match &self.kind {
            Kind::Memory(_) => None,
            Kind::Folder(folder) => Some(&folder.index),
        }
    }

    /// The document at `at` in project order: the one in memory if there is one, else read from its files
    /// (and checked, as [`FolderIndex::document`] does).
    pub fn document(&self, at: usize) -> Result<Cow<'_, Document>, SourceError> {
        match &self.kind {
            Kind::Memory(project) => project.documents.get(at).map(Cow::Borrowed).ok_or_else(|| self.past_end(at)),
            Kind::Folder(folder) => match folder.slots.get(at) {
                Some(Slot::Loaded(o)) => folder.overlay.get(*o).map(Cow::Borrowed).ok_or_else(|| self.past_end(at)),
                Some(Slot::Disk(d)) => Ok(Cow::Owned(folder.index.document(*d)?)),
                None => Err(self.past_end(at)),
            },
        }
    }

    /// Where the document `id` is in project order, and whether it is in memory (for a project in memory,
    /// always).
    pub fn position(&self, id: &DocId) -> Option<(usize, bool)> {
        match &self.kind {
            Kind::Memory(project) => project.documents.iter().position(|d| &d.id == id).map(|at| (at, true)),
            Kind::Folder(folder) => folder
                .slots
                .iter()
                .position(|slot| match slot {
                    Slot::Loaded(o) => folder.overlay.get(*o).is_some_and(|d| &d.id == id),
                    Slot::Disk(d) => folder.index.entries().get(*d).is_some_and(|e| &e.id == id),
                })
                .map(|at| (at, matches!(folder.slots[at], Slot::Loaded(_)))),
        }
    }

    /// Per document in project order: its id and, when it is known without reading the document, how
    /// many spans it has per label (from the index for a document on disk, counted for one in memory).
    pub(super) fn span_counts(&self) -> Vec<(DocId, Cow<'_, std::collections::BTreeMap<String, usize>>)> {
        let count = |doc: &Document| {
            let mut by_label = std::collections::BTreeMap::new();
            for span in &doc.spans {
                *by_label.entry(span.label.clone()).or_default() += 1;
            }
            (doc.id.clone(), Cow::Owned(by_label))
        };
        match &self.kind {
            Kind::Memory(project) => project.documents.iter().map(count).collect(),
            Kind::Folder(folder) => folder
                .slots
                .iter()
                .filter_map(|slot| match slot {
                    Slot::Loaded(o) => folder.overlay.get(*o).map(count),
                    Slot::Disk(d) => folder.index.entries().get(*d).map(|e| (e.id.clone(), Cow::Borrowed(&e.spans))),
                })
                .collect(),
        }
    }

    fn past_end(&self, at: usize) -> SourceError {
        SourceError::NoDocument { at, len: self.len() }
    }

    /// Hands every document to `work` in batches of `batch`, on every core (each batch on the thread that
    /// read it), and the results to `sink` in project order. At most a batch per core is read at a time.
    /// Between batches it sets `progress` to the documents done of the total and stops with
    /// [`SourceError::Cancelled`] once cancelled; the first error in project order stops it.
    pub fn for_each_batch<T: Send, E: From<SourceError> + Send>(
        &self,
        batch: usize,
        progress: &Progress,
        work: impl Fn(Batch<'_>) -> Result<T, E> + Sync,
        sink: impl FnMut(T) -> Result<(), E>,
    ) -> Result<(), E> {
        let all: Vec<usize> = (0..self.len()).collect();
        self.for_each_batch_of(&all, batch, progress, work, sink)
    }

    /// [`DocSource::for_each_batch`] over the documents at `positions` only (in the order given; a batch's
    /// `start` is then its first document's place in `positions`).
    pub(super) fn for_each_batch_of<T: Send, E: From<SourceError> + Send>(
        &self,
        positions: &[usize],
        batch: usize,
        progress: &Progress,
        work: impl Fn(Batch<'_>) -> Result<T, E> + Sync,
        sink: impl FnMut(T) -> Result<(), E>,
    ) -> Result<(), E> {
        self.for_each_read_batch(
            positions,
            batch,
            progress,
            |at| self.document(at),
            |start, docs| work(Batch { start, docs }),
            sink,
        )
    }

    /// The document at `at` for counting: a document on disk whose files are those its index line was
    /// written with comes as the line and the counts it keeps (see [`FolderIndex::counted`]), any other as
    /// [`DocSource::document`] gives it.
    pub fn counted(&self, at: usize) -> Result<Counting<'_>, SourceError> {
        if let Kind::Folder(folder) = &self.kind
            && let Some(Slot::Disk(d)) = folder.slots.get(at)
        {
            return Ok(match folder.index.counted(*d)? {
                FolderDoc::Line(entry, counts) => Counting::Line(entry, counts),
                FolderDoc::Read(doc) => Counting::Document(Cow::Owned(doc)),
            });
        }
        self.document(at).map(Counting::Document)
    }

    /// [`DocSource::for_each_batch`] with each document as [`DocSource::counted`] gives it: for statistics,
    /// which need a document's counts and not the document.
    pub fn for_each_counted_batch<T: Send, E: From<SourceError> + Send>(
        &self,
        batch: usize,
        progress: &Progress,
        work: impl Fn(Vec<Counting<'_>>) -> Result<T, E> + Sync,
        sink: impl FnMut(T) -> Result<(), E>,
    ) -> Result<(), E> {
        let all: Vec<usize> = (0..self.len()).collect();
        self.for_each_read_batch(&all, batch, progress, |at| self.counted(at), |_, docs| work(docs), sink)
    }

    /// The loop behind the batch walks: `read` gives each document at `positions`, `work` a batch of them
    /// (with the batch's first place in `positions`), progress and cancelling between batches.
    fn for_each_read_batch<D: Send, T: Send, E: From<SourceError> + Send>(
        &self,
        positions: &[usize],
        batch: usize,
        progress: &Progress,
        read: impl Fn(usize) -> Result<D, SourceError> + Sync,
        work: impl Fn(usize, Vec<D>) -> Result<T, E> + Sync,
        mut sink: impl FnMut(T) -> Result<(), E>,
    ) -> Result<(), E> {
        let total = positions.len() as u64;
        let mut done = 0u64;
        progress.set(0, total);
        ranges_in_order(
            positions.len(),
            batch,
            |range: Range<usize>| {
                if progress.is_cancelled() {
                    return Err(E::from(SourceError::Cancelled));
                }
                let docs = positions[range.clone()]
                    .iter()
                    .map(|&at| read(at))
                    .collect::<Result<Vec<D>, _>>()
                    .map_err(E::from)?;
                let n = docs.len() as u64;
                Ok((n, work(range.start, docs)?))
            },
            |(n, result)| {
                sink(result)?;
                done += n;
                progress.set(done, total);
                if progress.is_cancelled() && done < total {
                    return Err(E::from(SourceError::Cancelled));
                }
                Ok(())
            },
        )
    }
}

/// A document of a [`DocSource`] as counting takes it (see [`DocSource::counted`]).
#[derive(Debug)]
pub enum Counting<'a> {
    /// The document, in memory or read from its files.
    Document(Cow<'a, Document>),
    /// A document on disk: its index line and the counts the line keeps, which are its files'.
    Line(IndexEntry, DocCounts),
}

/// `project` without its documents.
pub(super) fn header_only(project: &Project) -> Project {
    project.clone_header()
}
