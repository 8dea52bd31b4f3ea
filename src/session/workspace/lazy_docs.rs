//! A large project folder opened document by document: the window starts from the folder's index alone
//! (every document a *stub*: its id, title and status, no text or spans), reads a document's two files
//! when it is shown or edited, and drops the least recently shown ones again once more than a few are in
//! memory. Documents changed since the last save are never dropped: the save writes exactly those.
//!
//! Stubs are ordinary [`Document`]s with an empty text, so the project keeps its shape (order, ids,
//! titles, statuses) for every view; what a stub lacks — its spans per label — comes from the index
//! ([`LazyDocs::stub_counts`]). Edits that would have to change documents that are not in memory (renaming
//! a label, removing one from the schema) are refused with the reason instead of silently changing only
//! the loaded ones.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::Path;

use crate::edit::Edit;
use crate::model::{DocId, Document, Project, Schema};
use crate::store::StoreError;
use crate::store::folder::{FolderIndex, IndexEntry, Written, open_index};

/// Folders with more documents than this open document by document in the window; smaller ones are read
/// whole (a 2,000-article folder reads in well under a second and every view then works on all of it).
pub const LAZY_ABOVE: usize = 2_000;

/// At most this many unchanged documents stay in memory besides the changed ones…
const KEEP_DOCUMENTS: usize = 48;
/// …and at most this many bytes of their text (a few 1 MB reports must not pile up).
const KEEP_TEXT_BYTES: usize = 48 << 20;

/// The documents of a project folder that are in memory, and which of them changed.
#[derive(Debug)]
pub struct LazyDocs {
    /// The folder's index as it is on disk (updated by every save).
    index: FolderIndex,
    /// Where each document is in the index, so a lookup need not walk 100,000 lines (checked against the
    /// index on use: a save that added, removed or moved documents leaves it to be made again).
    at: HashMap<DocId, usize>,
    /// Documents whose files have been read (the others are stubs in the project), with their text's size.
    loaded: HashMap<DocId, usize>,
    /// Loaded documents, least recently shown first.
    recent: VecDeque<DocId>,
    /// Documents whose files could not be read, with why: they stay stubs and refuse edits.
    broken: BTreeMap<DocId, String>,
    /// The spans of all stubs together, as the index counts them (so a project-wide count needs no
    /// lookups). A stub's line in the index is always up to date: only documents unchanged since the last
    /// save become stubs again.
    stub_spans: usize,
}

/// A stub for the document `entry` describes: what the index knows, no text, no spans.
fn stub(entry: &IndexEntry) -> Document {
    let mut doc = Document::new(entry.id.clone(), entry.title.clone(), String::new());
    doc.status = entry.status;
    doc
}

impl LazyDocs {
    /// Opens the project folder at `folder` from its index alone: the project with a stub per document.
    pub fn open(folder: &Path) -> Result<(Project, LazyDocs), StoreError> {
        Ok(LazyDocs::from_index(open_index(folder)?))
    }

    /// The project of the folder `index` describes, with a stub per document.
    pub fn from_index(index: FolderIndex) -> (Project, LazyDocs) {
        let mut project = index.header().clone();
        project.documents = index.entries().iter().map(stub).collect();
        let stub_spans = index.entries().iter().flat_map(|e| e.spans.values()).sum();
        let lazy = LazyDocs {
            at: positions(&index),
            index,
            loaded: HashMap::new(),
            recent: VecDeque::new(),
            broken: BTreeMap::new(),
            stub_spans,
        };
        (project, lazy)
    }

    /// The folder's index as on disk.
    pub fn index(&self) -> &FolderIndex {
        &self.index
    }

    /// Whether the document `id` is in memory (not a stub).
    pub fn is_loaded(&self, id: &DocId) -> bool {
        self.loaded.contains_key(id)
    }

    /// How many documents are in memory.
    pub fn loaded_count(&self) -> usize {
        self.loaded.len()
    }

    /// The spans of the documents not in memory, as the index counts them.
    pub fn stub_spans(&self) -> usize {
        self.stub_spans
    }

    /// Why the document `id` could not be read, if it could not.
    pub fn broken(&self, id: &DocId) -> Option<&str> {
        self.broken.get(id).map(String::as_str)
    }

    /// The spans per label of `id` from the index, while it is a stub (`None` once it is loaded: its
    /// spans then say).
    pub fn stub_counts(&self, id: &DocId) -> Option<&BTreeMap<String, usize>> {
        if self.loaded.contains_key(id) {
            return None;
        }
        let entries = self.index.entries();
        let at = self.at.get(id).filter(|&&at| entries.get(at).is_some_and(|e| &e.id == id));
        // A stale position (the index changed since it was worked out) is looked up the slow way.
        at.copied().or_else(|| self.index.position(id)).map(|at| &entries[at].spans)
    }

    /// Where `id` is in the index, the positions worked out again if a save moved things.
    fn position(&mut self, id: &DocId) -> Option<usize> {
        let entries = self.index.entries();
        match self.at.get(id) {
            Some(&at) if entries.get(at).is_some_and(|e| &e.id == id) => Some(at),
            _ => {
                self.at = positions(&self.index);
                self.at.get(id).copied()
            }
        }
    }

    /// The spans the index counts for `id`.
    fn indexed_spans(&mut self, id: &DocId) -> usize {
        self.position(id).map_or(0, |at| self.index.entries()[at].spans.values().sum())
    }

    /// Makes sure the document `id` is in memory, reading its files if it is a stub, and counts it as
    /// just shown. Documents not changed since the save are dropped (made stubs again) once more than a
    /// few are in memory; `keep` (changed documents) never are. Returns the reason when its files do not
    /// read (it then stays a stub).
    pub fn ensure(&mut self, project: &mut Project, id: &DocId, keep: &HashSet<DocId>) -> Result<(), String> {
        if let Some(why) = self.broken.get(id) {
            return Err(why.clone());
        }
        self.recent.retain(|d| d != id);
        self.recent.push_back(id.clone());
        if self.loaded.contains_key(id) {
            return Ok(());
        }
        let Some(slot) = project.documents.iter_mut().find(|d| &d.id == id) else {
            // A document the index does not know yet (added since the save) is in memory already.
            return Ok(());
        };
        let Some(at) = self.position(id) else {
            self.loaded.insert(id.clone(), slot.text.len());
            return Ok(());
        };
        match self.index.document(at) {
            Ok(doc) => {
                // A save killed between a document's file and its index shard leaves ids in the document
                // above the stored counters: never hand those out again.
                let top_span = doc.spans.iter().map(|s| s.id.0 + 1).max().unwrap_or(0);
                let top_relation = doc.relations.iter().map(|r| r.id.0 + 1).max().unwrap_or(0);
                self.loaded.insert(id.clone(), doc.text.len());
                *slot = doc;
                project.next_span_id = project.next_span_id.max(top_span);
                project.next_relation_id = project.next_relation_id.max(top_relation);
                let counted = self.indexed_spans(id);
                self.stub_spans = self.stub_spans.saturating_sub(counted);
                self.drop_some(project, keep);
                Ok(())
            }
            Err(err) => {
                self.recent.retain(|d| d != id);
                let why = with_merge_hint(&err, self.index.folder());
                self.broken.insert(id.clone(), why.clone());
                Err(why)
            }
        }
    }

    /// Notes that `doc` was added to the project in memory (it has no files yet, so it is not a stub).
    pub fn note_added(&mut self, id: &DocId, text_bytes: usize) {
        if self.loaded.insert(id.clone(), text_bytes).is_none() && !self.broken.contains_key(id) {
            // A stub restored from a recovery file is complete now: its index counts no longer apply.
            let counted = self.indexed_spans(id);
            self.stub_spans = self.stub_spans.saturating_sub(counted);
        }
        self.recent.retain(|d| d != id);
        self.recent.push_back(id.clone());
    }

    /// Makes the least recently shown unchanged documents stubs again while more are in memory than
    /// [`KEEP_DOCUMENTS`] or [`KEEP_TEXT_BYTES`] allow. The most recently shown one always stays.
    fn drop_some(&mut self, project: &mut Project, keep: &HashSet<DocId>) {
        loop {
            let unchanged = self.loaded.iter().filter(|(id, _)| !keep.contains(*id));
            let (count, text_bytes) = unchanged.fold((0, 0), |(n, bytes), (_, size)| (n + 1, bytes + size));
            if count <= KEEP_DOCUMENTS && text_bytes <= KEEP_TEXT_BYTES {
                return;
            }
            let shown = self.recent.back().cloned();
            let Some(at) = self.recent.iter().position(|id| !keep.contains(id) && Some(id) != shown.as_ref()) else {
                return;
            };
            let Some(id) = self.recent.remove(at) else { return };
            if let Some(doc) = project.documents.iter_mut().find(|d| d.id == id) {
                // Unchanged since the save: its line in the index counts what it holds.
                self.stub_spans += doc.spans.len();
                let mut empty = Document::new(doc.id.clone(), doc.title.clone(), String::new());
                empty.status = doc.status;
                *doc = empty;
            }
            self.loaded.remove(&id);
        }
    }

    /// Saves the changed documents `changed` (and the index) into the folder. Documents not in memory are
    /// stubs and are never written: their files stay as they are.
    pub fn save(&mut self, project: &Project, changed: &[DocId]) -> Result<Written, StoreError> {
        self.index.save_changed(project, changed)
    }

    /// Saves the project into the new folder `target`: the folder on disk is copied there file by file
    /// (the documents not in memory are only there), then the changed documents are written over the copy.
    /// From then on `target` is the project's folder.
    pub fn save_copy(&mut self, project: &Project, changed: &[DocId], target: &Path) -> Result<(), StoreError> {
        if target.exists() {
            return Err(StoreError::Io {
                path: target.to_path_buf(),
                source: std::io::Error::other("already exists: save a large project as a new folder"),
            });
        }
        copy_tree(self.index.folder(), target)?;
        let mut index = open_index(target)?;
        index.save_changed(project, changed)?;
        self.index = index;
        Ok(())
    }

    /// Whether `recovered` (a recovery file's project: a header and the changed documents) holds only what
    /// the folder on disk holds.
    pub fn holds_only_saved(&self, recovered: &Project) -> bool {
        recovered.clone_header() == *self.index.header()
            && recovered.documents.iter().all(|d| self.index.document_by_id(&d.id).is_ok_and(|on_disk| on_disk == *d))
    }

    /// The documents of `project` not in memory whose index lines say a merge left conflicts in them: their
    /// places in `project` and how many each holds. (The loaded documents' conflicts are in `project`.)
    pub fn unread_conflicts(&self, project: &Project) -> Vec<(usize, usize)> {
        let entries = self.index.entries();
        // The places are checked as they are used; a save that moved documents leaves them to be made again.
        let current = self.at.len() == entries.len()
            && self.at.iter().all(|(id, &at)| entries.get(at).is_some_and(|e| &e.id == id));
        let fresh;
        let at = if current {
            &self.at
        } else {
            fresh = positions(&self.index);
            &fresh
        };
        project
            .documents
            .iter()
            .enumerate()
            .filter(|(_, doc)| !self.loaded.contains_key(&doc.id))
            .filter_map(|(place, doc)| {
                let line = entries.get(*at.get(&doc.id)?)?;
                let conflicts = line.counts.as_ref().map_or(0, |counts| counts.conflicts());
                (conflicts > 0).then_some((place, conflicts))
            })
            .collect()
    }

    /// Why `edit` cannot be made to a project opened document by document, if it cannot: it would have to
    /// change documents that are not in memory, or it names a document whose files do not read.
    pub fn refusal(&self, project: &Project, edit: &Edit) -> Option<String> {
        let total = project.documents.len();
        match edit {
            // A rename is written into the folder on a worker (see `lazy_rename`), never through the history.
            Edit::RenameLabel { .. } | Edit::RenameRelationType { .. } => Some(format!(
                "Renaming in this project ({total} documents) rewrites the saved documents in the folder: it cannot \
                 be undone or redone as an edit — rename back instead"
            )),
            Edit::SetSchema { schema } => {
                narrowings(&project.schema, schema).into_iter().find(|n| self.stubs_may_use(project, n)).map(|n| {
                    format!(
                        "{} could leave spans in documents that are not loaded without their label: this project \
                         ({total} documents) is opened one document at a time — nothing was changed",
                        n.describe()
                    )
                })
            }
            Edit::Batch { edits, .. } => edits.iter().find_map(|e| self.refusal(project, e)),
            _ => documents_named(edit).into_iter().find_map(|id| {
                self.broken.get(&id).map(|why| format!("{why} — fix or restore that file; nothing was changed"))
            }),
        }
    }
}

/// Why a document does not read, and what to do when a git merge is the cause: git deletes a document's
/// unchanged text along with a deletion on one side while the other side changed its annotations, and no
/// merge driver sees that file.
fn with_merge_hint(err: &StoreError, folder: &Path) -> String {
    let why = err.to_string();
    let text_missing = matches!(err, StoreError::Io { path, source }
        if source.kind() == std::io::ErrorKind::NotFound && path.extension().is_some_and(|e| e == "txt"));
    let merging = folder.ancestors().any(|dir| dir.join(".git").join("MERGE_HEAD").is_file());
    if text_missing && merging {
        format!(
            "{why} — a git merge deleted its text while the other side changed it: `factmark git-restore {}` brings \
             it back and flags the document to keep or delete",
            folder.display()
        )
    } else {
        why
    }
}

/// Where each document of `index` is, by id.
fn positions(index: &FolderIndex) -> HashMap<DocId, usize> {
    index.entries().iter().enumerate().map(|(at, e)| (e.id.clone(), at)).collect()
}

/// Copies the folder `from` with everything in it to `to` (which must not exist).
fn copy_tree(from: &Path, to: &Path) -> Result<(), StoreError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| StoreError::Io { path: path.clone(), source }
    };
    std::fs::create_dir_all(to).map_err(io(to))?;
    for entry in std::fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().map_err(io(&src))?.is_dir() {
            copy_tree(&src, &dst)?;
        } else {
            std::fs::copy(&src, &dst).map_err(io(&src))?;
        }
    }
    Ok(())
}

/// Something a schema change takes away that spans, relations or document labels may use.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Narrowing {
    /// A label removed.
    Label(String),
    /// A label's attributes changed.
    Attributes(String),
    /// A relation type removed, or the labels it allows narrowed.
    RelationType(String),
    /// A document label set removed, or one of its choices.
    DocLabels(String),
}

impl Narrowing {
    fn describe(&self) -> String {
        match self {
            Narrowing::Label(name) => format!("Removing the label {name:?}"),
            Narrowing::Attributes(name) => format!("Changing the attributes of {name:?}"),
            Narrowing::RelationType(name) => format!("Removing or narrowing the relation type {name:?}"),
            Narrowing::DocLabels(name) => format!("Removing the document labels {name:?} or one of their choices"),
        }
    }
}

impl LazyDocs {
    /// Whether a document not in memory may use what `narrowing` takes away. The index lines say which
    /// labels each uses and (when they keep counts) which relation types; document labels they do not
    /// know, so any document might.
    fn stubs_may_use(&self, project: &Project, narrowing: &Narrowing) -> bool {
        let entries = self.index.entries();
        let mut lines = project
            .documents
            .iter()
            .filter(|doc| !self.loaded.contains_key(&doc.id))
            .map(|doc| self.at.get(&doc.id).and_then(|&at| entries.get(at)).filter(|e| e.id == doc.id));
        match narrowing {
            Narrowing::Label(name) | Narrowing::Attributes(name) => {
                lines.any(|line| line.is_none_or(|line| line.spans.get(name).is_some_and(|&n| n > 0)))
            }
            Narrowing::RelationType(name) => lines.any(|line| {
                let counts = line.and_then(|line| line.counts.as_ref()?.get());
                counts.is_none_or(|counts| counts.relations.get(name).is_some_and(|&n| n > 0))
            }),
            Narrowing::DocLabels(_) => lines.next().is_some(),
        }
    }
}

/// What in `new` takes away something of `old` that spans, relations or document labels may use (a
/// label, an attribute, a relation type or its allowed labels, a document label set or choice). Colours,
/// keys, guidelines and additions take nothing away.
fn narrowings(old: &Schema, new: &Schema) -> Vec<Narrowing> {
    let mut out = Vec::new();
    for label in &old.labels {
        match new.label(&label.name) {
            None => out.push(Narrowing::Label(label.name.clone())),
            Some(kept) if kept.attributes != label.attributes => out.push(Narrowing::Attributes(label.name.clone())),
            Some(_) => {}
        }
    }
    for rel in &old.relation_types {
        if !new.relation_types.iter().any(|r| r == rel) {
            out.push(Narrowing::RelationType(rel.name.clone()));
        }
    }
    for set in &old.doc_labels {
        let kept = new.doc_labels.iter().find(|s| s.name == set.name);
        if kept.is_none_or(|k| !set.choices.iter().all(|c| k.choices.contains(c))) {
            out.push(Narrowing::DocLabels(set.name.clone()));
        }
    }
    out
}

/// Every document `edit` reads or changes, by id (a batch's in order, repeats left in).
pub fn documents_named(edit: &Edit) -> Vec<DocId> {
    match edit {
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
        | Edit::SetDocConflicts { doc, .. }
        | Edit::RemoveDocument { doc }
        | Edit::MoveDocument { doc, .. } => vec![doc.clone()],
        Edit::AddDocument { document, .. } => vec![document.id.clone()],
        Edit::Batch { edits, .. } => edits.iter().flat_map(documents_named).collect(),
        Edit::SetSchema { .. }
        | Edit::SetRules { .. }
        | Edit::SetRecommendersOff { .. }
        | Edit::SetProjectName { .. }
        | Edit::SetProjectConflicts { .. }
        | Edit::RenameLabel { .. }
        | Edit::RenameRelationType { .. } => Vec::new(),
    }
}

/// Whether `edit` may change documents it does not name (renames rewrite spans everywhere).
pub fn touches_every_document(edit: &Edit) -> bool {
    match edit {
        Edit::RenameLabel { .. } | Edit::RenameRelationType { .. } | Edit::SetSchema { .. } => true,
        Edit::Batch { edits, .. } => edits.iter().any(touches_every_document),
        Edit::AddSpan { .. }
        | Edit::RemoveSpan { .. }
        | Edit::SetSpanLabel { .. }
        | Edit::SetSpanRange { .. }
        | Edit::SetSpanNote { .. }
        | Edit::SetSpanOrigin { .. }
        | Edit::SetSpanAttr { .. }
        | Edit::SetSpanReview { .. }
        | Edit::AddRelation { .. }
        | Edit::RemoveRelation { .. }
        | Edit::SetDocStatus { .. }
        | Edit::SetDocTitle { .. }
        | Edit::SetDocMeta { .. }
        | Edit::SetDocNote { .. }
        | Edit::SetDocLabel { .. }
        | Edit::AddDocument { .. }
        | Edit::RemoveDocument { .. }
        | Edit::MoveDocument { .. }
        | Edit::SetDocConflicts { .. }
        | Edit::SetProjectName { .. }
        | Edit::SetProjectConflicts { .. }
        | Edit::SetRules { .. }
        | Edit::SetRecommendersOff { .. } => false,
    }
}
