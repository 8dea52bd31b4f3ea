//! A project folder read document by document: the index alone ([`open_index`]), then any document's two
//! files when asked for ([`FolderIndex::document`]), or all of them in batches on every core, handed on in
//! project order ([`FolderIndex::for_each_batch`]). Commands that go through a large project once (stats,
//! exports) hold a few documents at a time this way instead of the whole project.

use std::collections::HashSet;
use std::fs;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use super::{
    DocFile, INDEX, IndexEntry, SHARD_LAYOUT, SHARDED_FORMAT, SHARDS, Shard, docs_dir, fast_read, file_stem, invalid,
    io_err, parse_err,
};
use crate::model::{DocId, Document, Project, validate};
use crate::store::StoreError;
use crate::store::file::{FORMAT_VERSION, VersionProbe};

/// The index of a project folder: the project without its documents, and a line per document.
#[derive(Debug, Clone)]
pub struct FolderIndex {
    pub(super) folder: PathBuf,
    /// What `project.ron` says (its counters raised to the highest any shard holds).
    pub(super) header: Project,
    pub(super) entries: Vec<IndexEntry>,
    /// The shards on disk, in order, and how many of `entries` each holds; `None` when the folder has no
    /// sharded index yet (written by an older factmark, or not written at all), which the next save writes.
    pub(super) shards: Option<Vec<ShardSlot>>,
    /// Documents whose files could not be read when the whole project was loaded leniently: the project
    /// holds stand-ins for them, which a save must never write over their files.
    pub(super) broken: HashSet<DocId>,
    /// Whether a save through this index has already removed the temp files of killed saves (once is
    /// enough: listing `docs/` costs more than a one-document save).
    pub(super) swept: bool,
}

/// One shard of the index on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ShardSlot {
    /// Its name: the file is `index/<name>.ron`.
    pub name: String,
    /// How many lines of the index, in order after the previous shard's, it holds.
    pub len: usize,
    /// Whether its file differs from what it should hold (a line dropped as a duplicate of an earlier
    /// shard's when it was read), so the next save writes it.
    pub stale: bool,
}

/// Reads the index of the project folder `folder`, and nothing else. A `project.ron` that is a
/// single-file project, not a folder's index, is refused (see [`read_index`] for callers that take both).
pub fn open_index(folder: &Path) -> Result<FolderIndex, StoreError> {
    read_index(folder)?.ok_or_else(|| {
        invalid(&folder.join(INDEX), "this is a single-file project, not the index of a project folder".into())
    })
}

/// The index of `path` if it is a project folder; `None` for a file, or a folder whose `project.ron` is a
/// single-file project (which `store::load` opens whole). A sharded index's shards are read on every core.
pub fn read_index(path: &Path) -> Result<Option<FolderIndex>, StoreError> {
    if !path.is_dir() {
        return Ok(None);
    }
    let index_path = path.join(INDEX);
    let text = fs::read_to_string(&index_path).map_err(io_err(&index_path))?;
    let index: super::Index = match fast_read::index(&text) {
        Some(index) if index.layout == "folder" && (1..=SHARDED_FORMAT).contains(&index.format) => index,
        _ => {
            let probe: VersionProbe = ron::from_str(&text).map_err(|e| parse_err(&index_path, e))?;
            if probe.format == 0 {
                return Err(StoreError::NotAProject { path: index_path });
            }
            if probe.format > SHARDED_FORMAT {
                return Err(StoreError::NewerFormat {
                    path: index_path,
                    found: probe.format,
                    supported: SHARDED_FORMAT,
                });
            }
            if !text.contains("layout: \"folder\"") {
                return Ok(None);
            }
            ron::from_str(&text).map_err(|e| parse_err(&index_path, e))?
        }
    };
    let mut header = Project {
        name: index.name,
        schema: index.schema,
        documents: Vec::new(),
        next_span_id: index.next_span_id,
        next_relation_id: index.next_relation_id,
        rules: index.rules,
        recommenders_off: index.recommenders_off,
        conflicts: index.conflicts,
    };
    let (mut entries, mut shards) = match index.format {
        SHARDED_FORMAT if index.documents.is_empty() => {
            let (entries, shards) = read_shards(path, &index.shards, &mut header)?;
            (entries, Some(shards))
        }
        FORMAT_VERSION if index.shards.is_empty() => (index.documents, None),
        _ => {
            let problem = format!(
                "format {} holds its document lines {}",
                index.format,
                if index.format == FORMAT_VERSION {
                    "in shards, which came with format 2"
                } else {
                    "itself, not in shards"
                }
            );
            return Err(invalid(&index_path, problem));
        }
    };
    drop_duplicates(&mut entries, shards.as_mut());
    Ok(Some(FolderIndex { folder: path.to_path_buf(), header, entries, shards, broken: HashSet::new(), swept: false }))
}

/// Whether `name` can be a shard's file name: a name from a hand-edited or hostile `project.ron` must not
/// reach outside `index/`.
pub(super) fn valid_shard_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The path of the shard `name` in `folder`.
pub(super) fn shard_path(folder: &Path, name: &str) -> PathBuf {
    folder.join(SHARDS).join(format!("{name}.ron"))
}

/// Reads one shard file (the fast reader, else ron for its messages).
pub(super) fn read_shard(path: &Path) -> Result<Shard, StoreError> {
    let text = fs::read_to_string(path).map_err(io_err(path))?;
    let shard = match fast_read::shard(&text) {
        Some(shard) => shard,
        None => ron::from_str::<Shard>(&text).map_err(|e| parse_err(path, e))?,
    };
    if shard.layout != SHARD_LAYOUT {
        return Err(invalid(path, format!("not an index shard (its layout is {:?})", shard.layout)));
    }
    if shard.format > FORMAT_VERSION {
        return Err(StoreError::NewerFormat {
            path: path.to_path_buf(),
            found: shard.format,
            supported: FORMAT_VERSION,
        });
    }
    Ok(shard)
}

/// The lines of the shards `names` in order, read on every core, and the shards' slots; `header`'s id
/// counters are raised to the highest a shard holds.
fn read_shards(
    folder: &Path,
    names: &[String],
    header: &mut Project,
) -> Result<(Vec<IndexEntry>, Vec<ShardSlot>), StoreError> {
    if let Some(bad) = names.iter().find(|n| !valid_shard_name(n)) {
        return Err(invalid(
            &folder.join(INDEX),
            format!("shard name {bad:?} is not a plain file name (letters, digits, - and _)"),
        ));
    }
    let mut seen = HashSet::new();
    if let Some(twice) = names.iter().find(|n| !seen.insert(n.as_str())) {
        return Err(invalid(&folder.join(INDEX), format!("shard {twice:?} is named twice")));
    }
    let mut entries = Vec::new();
    let mut slots = Vec::with_capacity(names.len());
    // A few shards per batch: each is a few hundred kB, so threads are worth starting for several.
    in_order(
        names.len(),
        4,
        |at| read_shard(&shard_path(folder, &names[at])),
        Ok::<_, StoreError>,
        |shards| {
            for shard in shards {
                let at = slots.len();
                header.next_span_id = header.next_span_id.max(shard.next_span_id);
                header.next_relation_id = header.next_relation_id.max(shard.next_relation_id);
                slots.push(ShardSlot { name: names[at].clone(), len: shard.documents.len(), stale: false });
                entries.extend(shard.documents);
            }
            Ok(())
        },
    )?;
    Ok((entries, slots))
}

/// Keeps the first line of each document id. Two lines for one document come from a save killed between
/// writing the shard a document moved to and the one it left (see `FolderIndex::save_changed`), or from a
/// merge of two clones that moved it differently; either way the first place is a place it had, and the
/// shards that lose a line are marked to be written again.
fn drop_duplicates(entries: &mut Vec<IndexEntry>, shards: Option<&mut Vec<ShardSlot>>) {
    let mut seen: HashSet<&DocId> = HashSet::with_capacity(entries.len());
    let keep: Vec<bool> = entries.iter().map(|e| seen.insert(&e.id)).collect();
    if keep.iter().all(|&k| k) {
        return;
    }
    if let Some(shards) = shards {
        let mut start = 0;
        for slot in shards.iter_mut() {
            let dropped = keep[start..start + slot.len].iter().filter(|&&k| !k).count();
            start += slot.len;
            if dropped > 0 {
                slot.len -= dropped;
                slot.stale = true;
            }
        }
    }
    let mut at = 0;
    entries.retain(|_| {
        at += 1;
        keep[at - 1]
    });
}

/// Documents per batch of [`FolderIndex::for_each_batch`] when the caller has no reason to choose: small
/// enough that a few batches of large documents stay small, large enough that starting threads is noise.
pub const BATCH: usize = 64;

impl FolderIndex {
    /// An index of no documents for `folder`, as if nothing were on disk: its first save writes every file.
    pub(super) fn empty(folder: &Path) -> FolderIndex {
        FolderIndex {
            folder: folder.to_path_buf(),
            header: Project::new(""),
            entries: Vec::new(),
            shards: None,
            broken: HashSet::new(),
            swept: false,
        }
    }

    /// The project folder.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The project without its documents: name, schema, rules, id counters (the highest that
    /// `project.ron` or any shard holds, so no id on disk is handed out again).
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

    /// Whether the index on disk is in the layout of an older factmark (the document lines in
    /// `project.ron`), which the next save replaces by shards.
    pub fn is_unsharded(&self) -> bool {
        self.shards.is_none()
    }

    /// The names of the index shards on disk, in order (`index/<name>.ron`); empty when
    /// [`FolderIndex::is_unsharded`].
    pub fn shard_names(&self) -> Vec<&str> {
        self.shards.iter().flatten().map(|s| s.name.as_str()).collect()
    }

    /// The documents whose files could not be read by [`FolderIndex::load_lenient`]: a save through this
    /// index leaves their files alone.
    pub fn broken(&self) -> &HashSet<DocId> {
        &self.broken
    }

    /// The paths of the text and annotation files of the document `entry` describes.
    pub(super) fn paths(&self, entry: &IndexEntry) -> (PathBuf, PathBuf) {
        let docs = docs_dir(&self.folder);
        let stem = file_stem(&entry.id);
        (docs.join(format!("{stem}.txt")), docs.join(format!("{stem}.ron")))
    }

    /// Reads the document at `at`: its files, parsed, the text checked against its hash and the span
    /// texts against their offsets (those problems are returned, not raised, so a whole-project load can
    /// list them all).
    pub(super) fn read(&self, at: usize) -> Result<(Document, Vec<String>), StoreError> {
        let entry = self.entries.get(at).ok_or_else(|| {
            invalid(&self.folder.join(INDEX), format!("no document {at}: the project has {}", self.entries.len()))
        })?;
        let (text_path, ann_path) = self.paths(entry);
        let text = fs::read_to_string(&text_path).map_err(io_err(&text_path))?;
        let ann_text = fs::read_to_string(&ann_path).map_err(io_err(&ann_path))?;
        let doc = match fast_read::doc_file(&ann_text) {
            Some(doc) => doc,
            None => ron::from_str::<DocFile>(&ann_text).map_err(|e| parse_err(&ann_path, e))?,
        };
        if doc.format > FORMAT_VERSION {
            return Err(StoreError::NewerFormat { path: ann_path, found: doc.format, supported: FORMAT_VERSION });
        }
        if doc.id != entry.id {
            return Err(invalid(
                &ann_path,
                format!("holds document {:?}, not {:?}", doc.id.as_str(), entry.id.as_str()),
            ));
        }
        if super::hash(text.as_bytes()) != entry.text {
            return Err(invalid(&text_path, "the text differs from the one the annotations were made on".into()));
        }
        Ok(crate::store::document_from_record(crate::store::file::DocumentRecord {
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
}

/// Items `0..count` read by `read` in batches of `batch` on every core, each batch given to `work` on the
/// thread that read it, the results handed to `sink` in order (see [`ranges_in_order`]).
pub(super) fn in_order<R, T: Send, E: Send>(
    count: usize,
    batch: usize,
    read: impl Fn(usize) -> Result<R, E> + Sync,
    work: impl Fn(Vec<R>) -> Result<T, E> + Sync,
    sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    ranges_in_order(count, batch, |range| work(range.map(&read).collect::<Result<Vec<R>, E>>()?), sink)
}

/// Runs `make` on the ranges `0..count` is cut into (`batch` items each), a round of one range per core
/// at a time, and gives the results to `sink` in order before the next round starts, which bounds what is
/// held to a round's results. The first error in order stops it.
pub fn ranges_in_order<T: Send, E: Send>(
    count: usize,
    batch: usize,
    make: impl Fn(std::ops::Range<usize>) -> Result<T, E> + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let batch = batch.max(1);
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let ranges: Vec<std::ops::Range<usize>> = (0..count).step_by(batch).map(|s| s..(s + batch).min(count)).collect();
    for round in ranges.chunks(cores) {
        let results: Vec<Result<T, E>> = match round {
            [only] => vec![make(only.clone())],
            _ => std::thread::scope(|scope| {
                let make = &make;
                // This thread makes the round's first range; every other range gets a thread of its own.
                let others: Vec<_> = round[1..].iter().map(|r| scope.spawn(move || make(r.clone()))).collect();
                let mut results = vec![make(round[0].clone())];
                for handle in others {
                    // A panic in the work is a bug: passed on, not turned into a wrong answer.
                    results.push(handle.join().unwrap_or_else(|payload| std::panic::resume_unwind(payload)));
                }
                results
            }),
        };
        for result in results {
            sink(result?)?;
        }
    }
    Ok(())
}
