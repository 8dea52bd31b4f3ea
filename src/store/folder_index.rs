//! A project folder read document by document: the index alone ([`open_index`]), then any document's two
//! files when asked for ([`FolderIndex::document`]), or all of them in batches on every core, handed on in
//! project order ([`FolderIndex::for_each_batch`]). Commands that go through a large project once (stats,
//! exports) hold a few documents at a time this way instead of the whole project.

use std::fs;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use super::{
    DocFile, INDEX, Index, IndexEntry, Written, docs_dir, file_stem, hash, invalid, io_err, parse_err, write_document,
    write_index,
};
use crate::model::{DocId, Document, Project, validate};
use crate::store::file::{DocumentRecord, FORMAT_VERSION, VersionProbe};
use crate::store::{StoreError, document_from_record};

/// The index of a project folder: the project without its documents, and a line per document.
#[derive(Debug, Clone)]
pub struct FolderIndex {
    folder: PathBuf,
    header: Project,
    entries: Vec<IndexEntry>,
}

/// Reads the index of the project folder `folder`, and nothing else. A `project.ron` that is a
/// single-file project, not a folder's index, is refused (see [`read_index`] for callers that take both).
pub fn open_index(folder: &Path) -> Result<FolderIndex, StoreError> {
    read_index(folder)?.ok_or_else(|| {
        invalid(&folder.join(INDEX), "this is a single-file project, not the index of a project folder".into())
    })
}

/// The index of `path` if it is a project folder; `None` for a file, or a folder whose `project.ron` is a
/// single-file project (which `store::load` opens whole).
pub fn read_index(path: &Path) -> Result<Option<FolderIndex>, StoreError> {
    if !path.is_dir() {
        return Ok(None);
    }
    let index_path = path.join(INDEX);
    let text = fs::read_to_string(&index_path).map_err(io_err(&index_path))?;
    let probe: VersionProbe = ron::from_str(&text).map_err(|e| parse_err(&index_path, e))?;
    if probe.format == 0 {
        return Err(StoreError::NotAProject { path: index_path });
    }
    if probe.format > FORMAT_VERSION {
        return Err(StoreError::NewerFormat { path: index_path, found: probe.format, supported: FORMAT_VERSION });
    }
    if !text.contains("layout: \"folder\"") {
        return Ok(None);
    }
    let index: Index = ron::from_str(&text).map_err(|e| parse_err(&index_path, e))?;
    let header = Project {
        name: index.name,
        schema: index.schema,
        documents: Vec::new(),
        next_span_id: index.next_span_id,
        next_relation_id: index.next_relation_id,
        rules: index.rules,
        recommenders_off: index.recommenders_off,
        conflicts: index.conflicts,
    };
    Ok(Some(FolderIndex { folder: path.to_path_buf(), header, entries: index.documents }))
}

/// Documents per batch of [`FolderIndex::for_each_batch`] when the caller has no reason to choose: small
/// enough that a few batches of large documents stay small, large enough that starting threads is noise.
pub const BATCH: usize = 64;

impl FolderIndex {
    /// The project folder.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The project without its documents: name, schema, rules, id counters.
    pub fn header(&self) -> &Project {
        &self.header
    }

    /// A line per document, in project order.
    pub fn entries(&self) -> &[IndexEntry] {
        &self.entries
    }

    /// How many documents the project has.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the project has no documents.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Where the document `id` is in project order.
    pub fn position(&self, id: &DocId) -> Option<usize> {
        self.entries.iter().position(|e| &e.id == id)
    }

    /// The paths of the text and annotation files of the document `entry` describes.
    fn paths(&self, entry: &IndexEntry) -> (PathBuf, PathBuf) {
        let docs = docs_dir(&self.folder);
        let stem = file_stem(&entry.id);
        (docs.join(format!("{stem}.txt")), docs.join(format!("{stem}.ron")))
    }

    /// Reads the document at `at`: its files, parsed, the text checked against its hash and the span
    /// texts against their offsets (those problems are returned, not raised, so a whole-project load can
    /// list them all).
    fn read(&self, at: usize) -> Result<(Document, Vec<String>), StoreError> {
        let entry = self.entries.get(at).ok_or_else(|| {
            invalid(&self.folder.join(INDEX), format!("no document {at}: the project has {}", self.entries.len()))
        })?;
        let (text_path, ann_path) = self.paths(entry);
        let text = fs::read_to_string(&text_path).map_err(io_err(&text_path))?;
        let ann_text = fs::read_to_string(&ann_path).map_err(io_err(&ann_path))?;
        let doc: DocFile = ron::from_str(&ann_text).map_err(|e| parse_err(&ann_path, e))?;
        if doc.id != entry.id {
            return Err(invalid(
                &ann_path,
                format!("holds document {:?}, not {:?}", doc.id.as_str(), entry.id.as_str()),
            ));
        }
        if hash(text.as_bytes()) != entry.text {
            return Err(invalid(&text_path, "the text differs from the one the annotations were made on".into()));
        }
        Ok(document_from_record(DocumentRecord {
            id: doc.id,
            title: doc.title,
            meta: doc.meta,
            status: doc.status,
            doc_labels: doc.doc_labels,
            note: doc.note,
            text,
            spans: doc.spans,
            relations: doc.relations,
            conflicts: doc.conflicts,
        }))
    }

    /// The document at `at` (in project order), read from its two files and checked as loading checks
    /// it: text hash, span texts against offsets, and the invariants of the document itself (ids that
    /// must be unique across documents need the whole project: [`FolderIndex::load`] checks those).
    pub fn document(&self, at: usize) -> Result<Document, StoreError> {
        let (doc, mut problems) = self.read(at)?;
        problems.extend(validate::document_problems(&self.header, &doc).into_iter().map(|p| p.to_string()));
        match problems.first() {
            None => Ok(doc),
            Some(first) => {
                let (_, ann_path) = self.paths(&self.entries[at]);
                Err(StoreError::Invalid { path: ann_path, first: first.clone(), problems })
            }
        }
    }

    /// The document with id `id`, as [`FolderIndex::document`] reads it.
    pub fn document_by_id(&self, id: &DocId) -> Result<Document, StoreError> {
        let at = self
            .position(id)
            .ok_or_else(|| invalid(&self.folder.join(INDEX), format!("no document {:?} in the index", id.as_str())))?;
        self.document(at)
    }

    /// Every document in project order, read one at a time on this thread.
    pub fn documents(&self) -> impl Iterator<Item = Result<Document, StoreError>> + '_ {
        (0..self.entries.len()).map(|at| self.document(at))
    }

    /// Reads the documents in batches of `batch` on every core, gives each batch to `work` (on the thread
    /// that read it), and hands the results to `sink` in project order. At most one batch per core is in
    /// memory at a time, plus what `work` returns for them. The first error (in project order) stops it.
    pub fn for_each_batch<T: Send, E: From<StoreError> + Send>(
        &self,
        batch: usize,
        work: impl Fn(Vec<Document>) -> Result<T, E> + Sync,
        sink: impl FnMut(T) -> Result<(), E>,
    ) -> Result<(), E> {
        in_order(self.entries.len(), batch, |at| self.document(at).map_err(E::from), work, sink)
    }

    /// The whole project, its documents read on every core and then checked together (every invariant,
    /// as for a single file; every span whose stored text does not match is listed).
    pub fn load(&self) -> Result<Project, StoreError> {
        let mut documents = Vec::with_capacity(self.entries.len());
        let mut problems = Vec::new();
        in_order(
            self.entries.len(),
            BATCH,
            |at| self.read(at),
            Ok::<_, StoreError>,
            |part| {
                for (doc, doc_problems) in part {
                    documents.push(doc);
                    problems.extend(doc_problems);
                }
                Ok(())
            },
        )?;
        let mut project = Project { documents, ..self.header.clone() };
        // Ids handed out twice by two clones (spans added to different documents) get new ones, the same
        // way on every load (see `renumber_duplicates`).
        let (mut next_span, mut next_relation) = (project.next_span_id, project.next_relation_id);
        super::renumber_duplicates(&mut project.documents, &mut next_span, &mut next_relation);
        (project.next_span_id, project.next_relation_id) = (next_span, next_relation);
        problems.extend(validate::problems(&project).into_iter().map(|p| p.to_string()));
        match problems.first() {
            None => Ok(project),
            Some(first) => Err(StoreError::Invalid { path: self.folder.clone(), first: first.clone(), problems }),
        }
    }

    /// Saves `project`, whose documents are this index's in the same order and of which only those in
    /// `changed` may differ from their files on disk: those documents' files (where their hashes changed),
    /// then the index. Anything else (documents added, removed or moved) is a full [`super::save`].
    /// Afterwards this index describes what is on disk.
    pub fn save_changed(&mut self, project: &Project, changed: &[DocId]) -> Result<Written, StoreError> {
        let same_documents = project.documents.len() == self.entries.len()
            && project.documents.iter().zip(&self.entries).all(|(d, e)| d.id == e.id);
        if !same_documents {
            let written = super::save(project, &self.folder)?;
            if let Some(fresh) = read_index(&self.folder)? {
                *self = fresh;
            }
            return Ok(written);
        }
        let docs = docs_dir(&self.folder);
        let mut written = Written::default();
        for id in changed {
            // An id no longer in the project (or never in it) has nothing to write.
            let Some(at) = self.position(id) else { continue };
            let entry = write_document(&docs, &project.documents[at], self.entries.get(at), &mut written)?;
            self.entries[at] = entry;
        }
        write_index(&self.folder, project, self.entries.clone())?;
        self.header = Project { documents: Vec::new(), ..project_header(project) };
        Ok(written)
    }
}

/// `project` without its documents (cloning only the header).
fn project_header(project: &Project) -> Project {
    Project {
        name: project.name.clone(),
        schema: project.schema.clone(),
        documents: Vec::new(),
        next_span_id: project.next_span_id,
        next_relation_id: project.next_relation_id,
        rules: project.rules.clone(),
        recommenders_off: project.recommenders_off.clone(),
        conflicts: project.conflicts.clone(),
    }
}

/// Items `0..count` read by `read` in batches of `batch` on every core, each batch given to `work` on the
/// thread that read it, the results handed to `sink` in order. Rounds of one batch per core: a round's
/// results go to `sink` before the next round starts, which bounds memory to a round.
fn in_order<R, T: Send, E: Send>(
    count: usize,
    batch: usize,
    read: impl Fn(usize) -> Result<R, E> + Sync,
    work: impl Fn(Vec<R>) -> Result<T, E> + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let batch = batch.max(1);
    let threads = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let one = |start: usize| -> Result<T, E> {
        let items = (start..(start + batch).min(count)).map(&read).collect::<Result<Vec<R>, E>>()?;
        work(items)
    };
    let mut start = 0;
    while start < count {
        let starts: Vec<usize> = (0..threads).map(|t| start + t * batch).filter(|&s| s < count).collect();
        start += threads * batch;
        let results: Vec<Result<T, E>> = if starts.len() == 1 {
            starts.iter().map(|&s| one(s)).collect()
        } else {
            std::thread::scope(|scope| {
                // This thread reads the first batch of the round itself; the others each get a thread.
                let others: Vec<_> = starts[1..].iter().map(|&s| scope.spawn(move || one(s))).collect();
                let mut results = vec![one(starts[0])];
                for handle in others {
                    // A panic in `work` is a bug; it is passed on rather than turned into a wrong answer.
                    results.push(handle.join().unwrap_or_else(|payload| std::panic::resume_unwind(payload)));
                }
                results
            })
        };
        for result in results {
            sink(result?)?;
        }
    }
    Ok(())
}
