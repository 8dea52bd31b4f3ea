//! Renaming a label or relation type in a project folder open document by document. A rename changes
//! every document that uses the name, and most of those are not in memory, so it is not an edit in the
//! history: the saved folder is rewritten on a worker, a document at a time, and the window then opens the
//! folder anew (undo is renaming back).
//!
//! Order of the writes, so that a kill at any moment leaves a folder that opens: `project.ron` first gets
//! a schema that defines both names (the new one a copy of the old, and every relation type that allows
//! the old label allows the new one too), so each document is valid whichever name it holds; then each
//! document that uses the old name (the index lines say which) is read, renamed and written with its
//! shard; last, `project.ron` loses the old name. A rename killed half way leaves both names defined and
//! some documents renamed; renaming again finishes it.

use crate::edit::EditError;
use crate::model::{DocId, Document, LabelDef, Project, RelationTypeDef, Schema};
use crate::session::job::{Job, Poll, Progress};
use crate::store::folder::{FolderIndex, IndexEntry};

use super::Session;
use super::lazy_docs::LazyDocs;

/// Documents renamed and saved together: about one index shard's worth, so each shard is written a few
/// times at most, and a batch of long articles stays small in memory.
const CHUNK: usize = 500;

/// What a rename changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rename {
    /// A span label.
    Label {
        /// Its name now.
        from: String,
        /// Its new name.
        to: String,
    },
    /// A relation type.
    RelationType {
        /// Its name now.
        from: String,
        /// Its new name.
        to: String,
    },
}

/// A rename being written to the folder.
pub struct RenameJob {
    job: Job<Result<(FolderIndex, usize), String>>,
    /// "Renaming Claim to Assertion", for messages.
    what: String,
}

impl Rename {
    /// The rename an edit asks for, if it is one.
    pub fn of(edit: &crate::edit::Edit) -> Option<Rename> {
        match edit {
            crate::edit::Edit::RenameLabel { from, to } => Some(Rename::Label { from: from.clone(), to: to.clone() }),
            crate::edit::Edit::RenameRelationType { from, to } => {
                Some(Rename::RelationType { from: from.clone(), to: to.clone() })
            }
            _ => None,
        }
    }

    fn names(&self) -> (&str, &str) {
        match self {
            Rename::Label { from, to } | Rename::RelationType { from, to } => (from, to),
        }
    }

    fn describe(&self) -> String {
        match self {
            Rename::Label { from, to } => format!("Renaming the label {from} to {to}"),
            Rename::RelationType { from, to } => format!("Renaming the relation type {from} to {to}"),
        }
    }

    /// Whether the document of `line` may use the old name: a label by its spans per label, a relation
    /// type by the counts the line keeps (a line without them may).
    fn used_by(&self, line: &IndexEntry) -> bool {
        match self {
            Rename::Label { from, .. } => line.spans.get(from).is_some_and(|&n| n > 0),
            Rename::RelationType { from, .. } => line
                .counts
                .as_ref()
                .and_then(|counts| counts.get())
                .is_none_or(|counts| counts.relations.get(from).is_some_and(|&n| n > 0)),
        }
    }

    /// Gives `doc`'s spans or relations the new name.
    fn apply(&self, doc: &mut Document) {
        match self {
            Rename::Label { from, to } => {
                doc.spans.iter_mut().filter(|s| s.label == *from).for_each(|s| s.label.clone_from(to));
            }
            Rename::RelationType { from, to } => {
                doc.relations.iter_mut().filter(|r| r.kind == *from).for_each(|r| r.kind.clone_from(to));
            }
        }
    }

    /// The schema while documents are renamed (both names defined) and the one after (the old name gone),
    /// from `schema`. A schema that already defines the new name as a copy of the old is a rename killed
    /// half way, which this finishes; any other use of the new name is refused.
    fn schemas(&self, schema: &Schema) -> Result<(Schema, Schema), String> {
        let (from, to) = self.names();
        if to.trim().is_empty() {
            return Err("the new name is empty".into());
        }
        let mut both = schema.clone();
        match self {
            Rename::Label { .. } => {
                let old = schema.label(from).ok_or_else(|| format!("there is no label {from:?}"))?;
                // No key while both are defined: a key belongs to one label (it goes to the new name last).
                let copy = LabelDef { name: to.to_string(), key: None, ..old.clone() };
                match schema.label(to) {
                    Some(existing) if *existing != copy => return Err(format!("there is already a label {to:?}")),
                    Some(_) => {}
                    None => both.labels.push(copy),
                }
                for kind in &mut both.relation_types {
                    for ends in [&mut kind.from, &mut kind.to] {
                        // Right after the old name, so that the new one ends up in its place.
                        if let Some(at) = ends.iter().position(|e| e == from)
                            && !ends.iter().any(|e| e == to)
                        {
                            ends.insert(at + 1, to.to_string());
                        }
                    }
                }
            }
            Rename::RelationType { .. } => {
                let old = schema.relation_type(from).ok_or_else(|| format!("there is no relation type {from:?}"))?;
                let copy = RelationTypeDef { name: to.to_string(), ..old.clone() };
                match schema.relation_type(to) {
                    Some(existing) if *existing != copy => {
                        return Err(format!("there is already a relation type {to:?}"));
                    }
                    Some(_) => {}
                    None => both.relation_types.push(copy),
                }
            }
        }
        let mut last = both.clone();
        match self {
            Rename::Label { .. } => {
                // The old definition, key and all, under the new name and in the old one's place in the list
                // (and so in menus); the copy made for the time both were defined goes.
                if let (Some(old_at), Some(new_at)) =
                    (last.labels.iter().position(|l| l.name == from), last.labels.iter().position(|l| l.name == to))
                {
                    last.labels[old_at].name = to.to_string();
                    last.labels.remove(new_at);
                }
                for kind in &mut last.relation_types {
                    kind.from.retain(|e| e != from);
                    kind.to.retain(|e| e != from);
                }
            }
            Rename::RelationType { .. } => {
                if let (Some(old_at), Some(new_at)) = (
                    last.relation_types.iter().position(|r| r.name == from),
                    last.relation_types.iter().position(|r| r.name == to),
                ) {
                    let renamed = last.relation_types.remove(new_at);
                    let old_at = if new_at < old_at { old_at - 1 } else { old_at };
                    last.relation_types[old_at] = renamed;
                }
            }
        }
        Ok((both, last))
    }
}

/// The project of `index` with a stand-in per document (id, title, status): what a folder save takes
/// for the documents it does not write.
fn stand_ins(index: &FolderIndex, schema: Schema) -> Project {
    let mut project = Project { schema, ..index.header().clone() };
    project.documents = index
        .entries()
        .iter()
        .map(|e| {
            let mut doc = Document::new(e.id.clone(), e.title.clone(), String::new());
            doc.status = e.status;
            doc
        })
        .collect();
    project
}

/// Writes `rename` into the folder of `index` (see the module comment for the order); gives the index
/// afterwards and how many documents were rewritten. Cancelling stops between chunks, both names defined.
fn rewrite(mut index: FolderIndex, rename: &Rename, progress: &Progress) -> Result<(FolderIndex, usize), String> {
    let (both, last) = rename.schemas(&index.header().schema)?;
    let mut project = stand_ins(&index, both);
    index.save_changed(&project, &[]).map_err(|e| e.to_string())?;
    let targets: Vec<usize> = (0..index.len()).filter(|&at| rename.used_by(&index.entries()[at])).collect();
    progress.set(0, targets.len() as u64);
    for (n, chunk) in targets.chunks(CHUNK).enumerate() {
        if progress.is_cancelled() {
            let done = n * CHUNK;
            return Err(format!(
                "stopped after {done} of {} documents: both names stay defined; rename again to finish",
                targets.len()
            ));
        }
        let mut ids: Vec<DocId> = Vec::with_capacity(chunk.len());
        for &at in chunk {
            let mut doc = index.document(at).map_err(|e| e.to_string())?;
            rename.apply(&mut doc);
            ids.push(doc.id.clone());
            project.documents[at] = doc;
        }
        index.save_changed(&project, &ids).map_err(|e| e.to_string())?;
        for &at in chunk {
            let Some(line) = index.entries().get(at) else { continue };
            let mut stand_in = Document::new(line.id.clone(), line.title.clone(), String::new());
            stand_in.status = line.status;
            project.documents[at] = stand_in;
        }
        progress.set((n * CHUNK + chunk.len()) as u64, targets.len() as u64);
    }
    project.schema = last;
    index.save_changed(&project, &[]).map_err(|e| e.to_string())?;
    Ok((index, targets.len()))
}

impl Session {
    /// Starts writing `rename` into the folder of a project open document by document: refused while
    /// anything is unsaved (the folder must hold all the work) or another rename runs. The message says
    /// what started.
    pub(super) fn start_rename(&mut self, rename: Rename) -> Result<String, EditError> {
        let Some(lazy) = &self.lazy else {
            return Err(EditError::NotInMemory("only a project open document by document renames on disk".into()));
        };
        if let Some(job) = &self.rename_job {
            return Err(EditError::NotInMemory(format!("{} — wait for it to finish", job.what)));
        }
        if self.is_dirty() || !self.unsaved_docs.is_empty() {
            return Err(EditError::NotInMemory(format!(
                "Save first: {} rewrites the saved documents that use the name, in the folder, at once",
                rename.describe().to_lowercase()
            )));
        }
        // Refused now, with the schema's words, rather than on the worker.
        rename.schemas(&self.project.schema).map_err(EditError::BadSchema)?;
        let index = lazy.index().clone();
        let what = rename.describe();
        let job = Job::spawn("renaming in the folder", move |progress| rewrite(index, &rename, progress));
        self.rename_job = Some(RenameJob { job, what: what.clone() });
        Ok(format!("{what} in the saved documents…"))
    }

    /// What the rename being written has done: `None` when none runs or it is still running (see
    /// [`Session::rename_progress`]); once it ended, the project is opened anew from the folder and the
    /// message says how it went.
    pub fn poll_rename(&mut self) -> Option<String> {
        let job = self.rename_job.as_ref()?;
        let outcome = match job.job.poll() {
            Poll::Running => return None,
            Poll::Done(outcome) => outcome,
            Poll::Lost => Err("the rename stopped on an internal error".into()),
        };
        let what = job.what.clone();
        self.rename_job = None;
        let reopened = match &outcome {
            Ok((index, _)) => Ok(index.clone()),
            // Whatever was written, the folder on disk is the truth now: open it again.
            Err(_) => self.lazy.as_ref().map(|l| l.index().folder().to_path_buf()).map_or_else(
                || Err("no folder".to_string()),
                |folder| crate::store::folder::open_index(&folder).map_err(|e| e.to_string()),
            ),
        };
        if let Ok(index) = reopened {
            let (project, lazy) = LazyDocs::from_index(index);
            let mut fresh = Session::new(project, self.path().map(std::path::Path::to_path_buf));
            fresh.lazy = Some(lazy);
            fresh.take_over_from(self);
            *self = fresh;
        }
        Some(match outcome {
            Ok((_, n)) => format!("{what}: done, {n} document(s) rewritten and saved (rename back to undo)"),
            Err(why) => format!("{what}: {why}"),
        })
    }

    /// Asks the rename being written to stop after the documents it is writing: both names stay defined
    /// (the folder opens, and renaming again finishes it).
    pub fn stop_rename(&self) {
        if let Some(job) = &self.rename_job {
            job.job.progress().cancel();
        }
    }

    /// The rename being written, and its documents done of all, while one runs.
    pub fn rename_progress(&self) -> Option<(&str, (u64, u64))> {
        self.rename_job.as_ref().map(|job| (job.what.as_str(), job.job.progress().get()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::folder;
    use crate::synth::{self, CorpusSpec};

    #[test]
    fn a_rename_stopped_before_its_first_documents_leaves_both_names_defined_and_every_document_valid() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.factmark");
        let project =
            synth::corpus(&CorpusSpec { docs: 6, words_per_doc: 60, spans_per_doc: 3, relations_per_doc: 1, seed: 2 });
        folder::save(&project, &path).unwrap();
        let rename = Rename::Label { from: "Claim".into(), to: "Assertion".into() };
        let progress = Progress::default();
        progress.cancel();
        let why = rewrite(folder::open_index(&path).unwrap(), &rename, &progress).unwrap_err();
        assert!(why.contains("both names stay defined"), "{why}");
        let half = crate::store::load(&path).unwrap();
        assert!(half.schema.label("Claim").is_some() && half.schema.label("Assertion").is_some());
        let keys = |name| half.schema.label(name).and_then(|l| l.key);
        assert_eq!((keys("Claim"), keys("Assertion")), (project.schema.label("Claim").unwrap().key, None));
        assert_eq!(half.documents, project.documents, "no document was rewritten yet");
        // Renaming again finishes it.
        let (_, n) = rewrite(folder::open_index(&path).unwrap(), &rename, &Progress::default()).unwrap();
        assert!(n > 0);
        let done = crate::store::load(&path).unwrap();
        assert!(done.schema.label("Claim").is_none());
        assert!(done.documents.iter().flat_map(|d| &d.spans).all(|s| s.label != "Claim"));
    }
}
