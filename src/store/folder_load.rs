//! Loading a whole project folder: strictly (any broken document refuses the project, as a single file is
//! refused), or leniently (the documents that read, and a list of those that do not, each kept in the
//! project as a stand-in built from its index line so that nothing is lost and a save leaves its files
//! alone).

use std::path::PathBuf;

use super::index::{BATCH, FolderIndex, in_order};
use crate::model::{DocId, Document, Project, validate};
use crate::store::StoreError;

/// A document whose files could not be read or do not hold a valid document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenDocument {
    /// The document's id (from the index).
    pub id: DocId,
    /// The file at fault.
    pub path: PathBuf,
    /// What is wrong with it, without the path.
    pub reason: String,
}

impl std::fmt::Display for BrokenDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

impl BrokenDocument {
    /// The broken document `id` from the error that reading it gave.
    pub fn from_error(id: DocId, error: &StoreError) -> BrokenDocument {
        let path = match error {
            StoreError::Io { path, .. }
            | StoreError::Parse { path, .. }
            | StoreError::NewerFormat { path, .. }
            | StoreError::NotAProject { path }
            | StoreError::TooLarge { path, .. }
            | StoreError::Invalid { path, .. } => path.clone(),
        };
        let full = error.to_string();
        // Every message starts with the path; the reason is the rest (a parse error keeps its line:column).
        let shown = path.display().to_string();
        let reason = full.strip_prefix(&shown).map_or(full.as_str(), |r| r.trim_start_matches(": ")).to_string();
        BrokenDocument { id, path, reason }
    }
}

impl FolderIndex {
    /// The whole project, its documents read on every core and then checked together (every invariant,
    /// as for a single file; every span whose stored text does not match is listed). Any broken document
    /// refuses the whole project, naming the file; [`FolderIndex::load_lenient`] opens the rest.
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
        let project = self.assemble(documents);
        problems.extend(validate::problems(&project).into_iter().map(|p| p.to_string()));
        match problems.first() {
            None => Ok(project),
            Some(first) => Err(StoreError::Invalid { path: self.folder.clone(), first: first.clone(), problems }),
        }
    }

    /// The whole project with every document that reads and checks, and the documents that do not, each
    /// named by the file at fault. A broken document stays in the project as a stand-in made from its index
    /// line (id, title, status; no text or spans), so its place is kept, and this index remembers it:
    /// [`FolderIndex::save_changed`] never writes a stand-in over its files. Errors only for what concerns
    /// the whole project (invariants across documents, which no single document can be blamed for).
    pub fn load_lenient(&mut self) -> Result<(Project, Vec<BrokenDocument>), StoreError> {
        let mut documents = Vec::with_capacity(self.entries.len());
        let mut broken = Vec::new();
        let this = &*self;
        in_order(
            this.entries.len(),
            BATCH,
            |at| Ok::<_, StoreError>(this.document(at)),
            Ok::<_, StoreError>,
            |part| {
                for read in part {
                    let at = documents.len();
                    let entry = &this.entries[at];
                    documents.push(read.unwrap_or_else(|error| {
                        broken.push(BrokenDocument::from_error(entry.id.clone(), &error));
                        let mut stub = Document::new(entry.id.clone(), entry.title.clone(), "");
                        stub.status = entry.status;
                        stub
                    }));
                }
                Ok(())
            },
        )?;
        let project = self.assemble(documents);
        let problems: Vec<String> = validate::problems(&project).into_iter().map(|p| p.to_string()).collect();
        if let Some(first) = problems.first() {
            return Err(StoreError::Invalid { path: self.folder.clone(), first: first.clone(), problems });
        }
        self.broken = broken.iter().map(|b| b.id.clone()).collect();
        Ok((project, broken))
    }

    /// [`FolderIndex::for_each_batch`] that steps over the documents that do not read or check: `work`
    /// gets the others, and the broken ones come back, in project order, for the caller to report. For
    /// what can do without some documents (statistics); an export refuses a broken document instead.
    pub fn for_each_readable_batch<T: Send, E: From<StoreError> + Send>(
        &self,
        batch: usize,
        work: impl Fn(Vec<Document>) -> Result<T, E> + Sync,
        sink: impl FnMut(T) -> Result<(), E>,
    ) -> Result<Vec<BrokenDocument>, E> {
        self.for_each_read_batch(batch, |at| self.document(at), work, sink)
    }

    /// The loop behind the batch walks that step over broken documents: `read` gives the document at a
    /// place (as a document, or as counting takes it), the ones it refuses come back in project order.
    pub(super) fn for_each_read_batch<D: Send, T: Send, E: From<StoreError> + Send>(
        &self,
        batch: usize,
        read: impl Fn(usize) -> Result<D, StoreError> + Sync,
        work: impl Fn(Vec<D>) -> Result<T, E> + Sync,
        mut sink: impl FnMut(T) -> Result<(), E>,
    ) -> Result<Vec<BrokenDocument>, E> {
        let mut broken = Vec::new();
        in_order(
            self.entries.len(),
            batch,
            |at| Ok::<_, E>((at, read(at))),
            |items| {
                let mut docs = Vec::with_capacity(items.len());
                let mut bad = Vec::new();
                for (at, read) in items {
                    match read {
                        Ok(doc) => docs.push(doc),
                        Err(error) => bad.push(BrokenDocument::from_error(self.entries[at].id.clone(), &error)),
                    }
                }
                Ok((work(docs)?, bad))
            },
            |(part, bad)| {
                broken.extend(bad);
                sink(part)
            },
        )?;
        Ok(broken)
    }

    /// The project of the header and `documents` (in index order), ids handed out twice renumbered.
    fn assemble(&self, documents: Vec<Document>) -> Project {
        let mut project = Project { documents, ..self.header.clone() };
        // Ids handed out twice by two clones (spans added to different documents) get new ones, the same
        // way on every load (see `renumber_duplicates`).
        let (mut next_span, mut next_relation) = (project.next_span_id, project.next_relation_id);
        super::renumber_duplicates(&mut project.documents, &mut next_span, &mut next_relation);
        (project.next_span_id, project.next_relation_id) = (next_span, next_relation);
        project
    }
}
