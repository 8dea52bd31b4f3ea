//! How the [`Session`] opens, edits and saves a project folder: large folders document by document (see
//! [`LazyDocs`]), and every folder by writing just the documents that changed.

use std::collections::{BTreeMap, HashSet};
use std::io;
use std::path::Path;

use crate::edit::{Edit, EditError};
use std::sync::Arc;

use crate::model::{DocId, Document, Project};
use crate::session::project_source::{DocSource, SourceError};
use crate::store::folder::{self, Written};
use crate::store::{self, StoreError};

use super::Session;
use super::lazy_docs::{LAZY_ABOVE, LazyDocs, documents_named};

impl Session {
    /// Opens the project at `path`: a project folder of more than [`LAZY_ABOVE`] documents document by
    /// document, anything else whole.
    pub fn open(path: &Path) -> Result<Session, StoreError> {
        Session::open_with(path, LAZY_ABOVE)
    }

    /// [`Session::open`] with another threshold for opening a folder document by document.
    pub fn open_with(path: &Path, lazy_above: usize) -> Result<Session, StoreError> {
        let lazily = |index| {
            let (project, lazy) = LazyDocs::from_index(index);
            let mut session = Session::new(project, Some(path.to_path_buf()));
            session.lazy = Some(lazy);
            session
        };
        match folder::read_index(path)? {
            Some(index) if index.len() > lazy_above => Ok(lazily(index)),
            Some(index) => match index.load() {
                Ok(project) => Ok(Session::new(project, Some(path.to_path_buf()))),
                // A document file that does not read must not keep the rest of the project closed: opened
                // document by document, the project lists every document, shows why that one does not
                // read where its text would be, and keeps it out of edits and saves until it is fixed.
                Err(_) => Ok(lazily(index)),
            },
            None => Ok(Session::new(store::load(path)?, Some(path.to_path_buf()))),
        }
    }

    /// Whether the project is open document by document (a large folder).
    pub fn is_lazy(&self) -> bool {
        self.lazy.is_some()
    }

    /// The documents in memory and the folder's index, when the project is open document by document.
    pub fn lazy(&self) -> Option<&LazyDocs> {
        self.lazy.as_ref()
    }

    /// The documents changed since the project was opened or saved.
    pub fn unsaved_documents(&self) -> &HashSet<DocId> {
        &self.unsaved_docs
    }

    /// Makes sure the document `id` is in memory (read from its files if the project is open document by
    /// document). The error says which file does not read and why; the document then stays empty and
    /// refuses edits, and the rest of the project works on.
    pub fn ensure_loaded(&mut self, id: &DocId) -> Result<(), String> {
        match &mut self.lazy {
            Some(lazy) => lazy.ensure(&mut self.project, id, &self.unsaved_docs),
            None => Ok(()),
        }
    }

    /// Spans per label of `id` as the folder's index lists them, while the document is not in memory.
    pub fn stub_counts(&self, id: &DocId) -> Option<&BTreeMap<String, usize>> {
        self.lazy.as_ref().and_then(|l| l.stub_counts(id))
    }

    /// The project's documents for project-wide work on a worker (statistics, agreement, search, training):
    /// a copy of the project in memory, or for one open document by document the folder on disk with the
    /// documents in memory laid over it (the changed ones first for training).
    pub fn doc_source(&self) -> Result<DocSource, SourceError> {
        let Some(lazy) = &self.lazy else {
            return Ok(DocSource::memory(Arc::new(self.project.clone())));
        };
        let overlay: Vec<Document> = self.project.documents.iter().filter(|d| lazy.is_loaded(&d.id)).cloned().collect();
        let order: Vec<DocId> = self.project.documents.iter().map(|d| d.id.clone()).collect();
        let recent: Vec<DocId> = self.unsaved_docs.iter().cloned().collect();
        Ok(DocSource::folder_in_order(lazy.index().clone(), Some(&self.project), overlay, &order)?.with_recent(recent))
    }

    /// Why the document `id`'s files do not read, if they do not.
    pub fn broken(&self, id: &DocId) -> Option<&str> {
        self.lazy.as_ref().and_then(|l| l.broken(id))
    }

    /// Before an edit (or undo, or redo) is applied: when the project is open document by document, refuses
    /// what would need documents that are not in memory, and reads the documents it names.
    pub(super) fn prepare(&mut self, edit: &Edit) -> Result<(), EditError> {
        if let Some((what, _)) = self.rename_progress() {
            return Err(EditError::NotInMemory(format!("{what} — wait for it to finish")));
        }
        let Some(lazy) = &mut self.lazy else { return Ok(()) };
        if let Some(why) = lazy.refusal(&self.project, edit) {
            return Err(EditError::NotInMemory(why));
        }
        let named = documents_named(edit);
        // The documents of this edit stay in memory while the others of it are read.
        let mut keep = self.unsaved_docs.clone();
        keep.extend(named.iter().cloned());
        for id in &named {
            lazy.ensure(&mut self.project, id, &keep).map_err(EditError::NotInMemory)?;
        }
        Ok(())
    }

    /// After a change: the documents it named are unsaved (and in memory to stay, if the project is open
    /// document by document); `everywhere` when it may have changed others too.
    pub(super) fn note_unsaved(&mut self, named: Vec<DocId>, everywhere: bool) {
        if let Some(lazy) = &mut self.lazy {
            for id in &named {
                if let Some(doc) = self.project.doc(id) {
                    lazy.note_added(id, doc.text.len());
                }
            }
        }
        self.unsaved_docs.extend(named);
        self.unsaved_all |= everywhere;
    }

    /// Writes the project to `path`. A folder the project came from gets just its changed documents and
    /// its index; a project open document by document saved elsewhere is copied there first.
    pub(super) fn write(&mut self, path: &Path) -> Result<(), StoreError> {
        let same_file = self.path() == Some(path);
        let changed: Vec<DocId> = self.unsaved_docs.iter().cloned().collect();
        match &mut self.lazy {
            Some(lazy) if same_file => lazy.save(&self.project, &changed).map(|_: Written| ()),
            Some(lazy) => {
                if !folder::is_folder(path) {
                    return Err(StoreError::Io {
                        path: path.to_path_buf(),
                        source: io::Error::other(format!(
                            "a project of {} documents opened one document at a time is saved as a project folder \
                             (a name ending .factmark); `factmark convert` makes a single file of it",
                            self.project.documents.len()
                        )),
                    });
                }
                lazy.save_copy(&self.project, &changed, path)
            }
            None if same_file && folder::is_folder(path) && !self.unsaved_all => {
                folder::save_changed(&self.project, path, &changed).map(|_| ())
            }
            None => store::save(&self.project, path),
        }
    }

    /// Whether the recovery file's project `recovered` holds nothing that is not saved: the same project,
    /// or, for a project open document by document, the same header and documents as the folder on disk.
    pub(super) fn holds(&self, recovered: &Project) -> bool {
        match &self.lazy {
            Some(lazy) => lazy.holds_only_saved(recovered),
            None => *recovered == self.project,
        }
    }

    /// What the recovery file gets: the project, or for one open document by document its header and the
    /// changed documents only (the others are safe in their files).
    pub(super) fn recovery_copy(&self) -> Project {
        if self.lazy.is_none() {
            return self.project.clone();
        }
        let mut copy = Project { documents: Vec::new(), ..self.project.clone_header() };
        copy.documents = self.project.documents.iter().filter(|d| self.unsaved_docs.contains(&d.id)).cloned().collect();
        copy
    }

    /// Puts the work from a recovery file back: the whole project, or for a project open document by
    /// document its header and the documents it holds (each in place of the one with its id, new ones at
    /// the end). The restored work is unsaved.
    pub fn restore(&mut self, recovered: Project) {
        match &mut self.lazy {
            None => self.project = recovered,
            Some(lazy) => {
                let Project { documents, .. } = &recovered;
                for doc in documents {
                    match self.project.documents.iter_mut().find(|d| d.id == doc.id) {
                        Some(slot) => *slot = doc.clone(),
                        None => self.project.documents.push(doc.clone()),
                    }
                    lazy.note_added(&doc.id, doc.text.len());
                    self.unsaved_docs.insert(doc.id.clone());
                }
                let ids = (
                    self.project.next_span_id.max(recovered.next_span_id),
                    self.project.next_relation_id.max(recovered.next_relation_id),
                );
                self.project =
                    Project { documents: std::mem::take(&mut self.project.documents), ..recovered.clone_header() };
                (self.project.next_span_id, self.project.next_relation_id) = ids;
            }
        }
        self.mark_unsaved();
        self.changed();
    }
}
