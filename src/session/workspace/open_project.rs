//! The open project as a file the user works on: the project, its undo history, the file it came from,
//! whether that file is up to date, the recovery file beside it, and what changed last.
//!
//! Every change goes through [`Session::edit`], [`Session::undo`] or [`Session::redo`]: the project is
//! only readable from outside, so no change can miss the history, the "modified" marker or the revision
//! views refresh on.
//!
//! The user's project file is only ever written by an explicit save. Autosave writes a separate recovery
//! file beside it (`name.recovery.ron`), which the next start offers to restore when it is newer than the
//! project — that is what is left after a crash.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::edit::{Edit, EditError, History, SpanChange, span_change};
use crate::model::{DocId, Project, RelationId, SpanId};
use crate::store::{self, StoreError};

use super::lazy_docs::{LazyDocs, documents_named, touches_every_document};

/// How long after the last change the recovery file is written.
pub const AUTOSAVE_DELAY: Duration = Duration::from_millis(1500);

/// A file's size and modification time: enough to notice that another program rewrote it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl FileStamp {
    /// The stamp of the file at `path`, if it exists.
    pub fn of(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(FileStamp { len: meta.len(), modified: meta.modified().ok() })
    }
}

/// The recovery file of a project: `notes.ron` → `notes.recovery.ron`.
pub fn recovery_path(project: &Path) -> PathBuf {
    project.with_extension("recovery.ron")
}

/// A recovery file to write, handed to a background thread so a large project does not stall a frame.
pub struct AutosaveJob {
    /// Where to write.
    pub path: PathBuf,
    /// A copy of the project at the moment the job was made.
    pub project: Project,
}

impl AutosaveJob {
    /// Writes the recovery file atomically (never the project file itself).
    pub fn write(&self) -> Result<(), String> {
        let text = store::to_ron(&self.project).map_err(|e| format!("{}: {e}", self.path.display()))?;
        store::write_atomic(&self.path, text.as_bytes()).map_err(|e| format!("{}: {e}", self.path.display()))
    }
}

/// The open project, its history and its files.
pub struct Session {
    /// The open project (with stubs for the documents not in memory when it is opened lazily).
    pub(super) project: Project,
    /// For a large project folder: which documents are in memory, and the folder's index.
    pub(super) lazy: Option<LazyDocs>,
    /// Documents changed since the project was last saved or opened: a folder's save writes just these.
    pub(super) unsaved_docs: HashSet<DocId>,
    /// Set when a change may have touched documents it does not name (a rename, a restored project): the
    /// next save of a project read whole then writes every document whose files differ.
    pub(super) unsaved_all: bool,
    /// Its undo/redo history.
    history: History,
    /// Its file, if it has one yet.
    path: Option<PathBuf>,
    /// The file's size and time when last read or written, to notice other programs changing it.
    stamp: Option<FileStamp>,
    /// The history state that matches the file on disk.
    pub(super) saved_state: u64,
    /// History state last written to the recovery file.
    autosaved_state: u64,
    /// Whether a recovery file may be on disk (written, or being written, since the last removal).
    recovery_written: bool,
    /// Bumped whenever the project changes, so views can drop what they derived from it.
    revision: u64,
    /// The document the change to `revision` touched, when it touched exactly one (views then refresh
    /// only that document's derived data).
    touched: Option<DocId>,
    /// What that change did to the touched document's span counts, when it is simple to say.
    change: Option<SpanChange>,
    /// When the project last changed, for the autosave delay.
    changed_at: Option<Instant>,
    /// Recorded on new spans and reviews.
    pub annotator: String,
    /// A rename being written into a large folder (see [`super::lazy_rename`]); edits wait for it.
    pub(super) rename_job: Option<super::lazy_rename::RenameJob>,
}

impl Session {
    /// `project`, loaded from `path` if given, with an empty history and nothing unsaved.
    pub fn new(project: Project, path: Option<PathBuf>) -> Session {
        let stamp = path.as_deref().and_then(FileStamp::of);
        Session {
            project,
            lazy: None,
            unsaved_docs: HashSet::new(),
            unsaved_all: false,
            history: History::new(),
            path,
            stamp,
            saved_state: 0,
            autosaved_state: 0,
            recovery_written: false,
            revision: 0,
            touched: None,
            change: None,
            changed_at: None,
            annotator: String::new(),
            rename_job: None,
        }
    }

    /// The open project.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// Its undo/redo history (what Undo and Redo would do).
    pub fn history(&self) -> &History {
        &self.history
    }

    /// Its file, if it has one yet.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Whether there are changes not saved to the file.
    pub fn is_dirty(&self) -> bool {
        self.history.state() != self.saved_state
    }

    /// Bumped whenever the project changes, so views can drop what they derived from it.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The document the last change touched, when it touched exactly one.
    pub fn touched(&self) -> Option<&DocId> {
        self.touched.as_ref()
    }

    /// What the last change did to the touched document's span counts, when it is simple to say.
    pub fn change(&self) -> Option<&SpanChange> {
        self.change.as_ref()
    }

    /// Applies an edit through the history. Returns its name, for the status bar.
    pub fn edit(&mut self, edit: Edit) -> Result<String, EditError> {
        // A large folder renames in its files, on a worker: not an edit of the history.
        if self.lazy.is_some()
            && let Some(rename) = super::lazy_rename::Rename::of(&edit)
        {
            return self.start_rename(rename);
        }
        // Relabelling or resizing an accepted suggestion records that it was changed (same undo step).
        self.prepare(&edit)?;
        let edit = crate::analysis::suggest::provenance::mark_changed_suggestions(&self.project, edit);
        let touched = edit.document().cloned();
        let change = span_change(&self.project, &edit).filter(|(doc, _)| touched.as_ref() == Some(doc));
        let (named, everywhere) = (documents_named(&edit), touches_every_document(&edit));
        let name = self.history.apply(&mut self.project, edit)?;
        self.note_unsaved(named, everywhere);
        self.changed();
        self.touched = touched;
        self.change = change.map(|(_, c)| c);
        Ok(name)
    }

    /// Undoes the last edit. Returns its name, or `None` when there was nothing to undo.
    pub fn undo(&mut self) -> Result<Option<String>, EditError> {
        let Some(edit) = self.history.undo_edit().cloned() else { return Ok(None) };
        self.prepare(&edit)?;
        let name = self.history.undo(&mut self.project)?;
        if name.is_some() {
            self.note_unsaved(documents_named(&edit), touches_every_document(&edit));
            self.changed();
        }
        Ok(name)
    }

    /// Redoes the last undone edit. Returns its name, or `None` when there was nothing to redo.
    pub fn redo(&mut self) -> Result<Option<String>, EditError> {
        let Some(edit) = self.history.redo_edit().cloned() else { return Ok(None) };
        self.prepare(&edit)?;
        let name = self.history.redo(&mut self.project)?;
        if name.is_some() {
            self.note_unsaved(documents_named(&edit), touches_every_document(&edit));
            self.changed();
        }
        Ok(name)
    }

    /// A fresh span id for a span about to be added. Like [`Project::alloc_span_id`], it is outside the
    /// history: an id once handed out is not handed out again, even if the edit is refused or undone.
    pub fn alloc_span_id(&mut self) -> SpanId {
        self.project.alloc_span_id()
    }

    /// A fresh relation id for a relation about to be added (outside the history, as span ids are).
    pub fn alloc_relation_id(&mut self) -> RelationId {
        self.project.alloc_relation_id()
    }

    /// Notes a change: views refresh everything unless the caller says which document it touched.
    pub(super) fn changed(&mut self) {
        self.revision += 1;
        self.touched = None;
        self.change = None;
        self.changed_at = Some(Instant::now());
    }

    /// Takes over from the session this one replaces: the annotator stays, and the revision moves on so
    /// views do not keep what they derived from the old project.
    pub(super) fn take_over_from(&mut self, before: &mut Session) {
        self.annotator = std::mem::take(&mut before.annotator);
        self.revision = before.revision + 1;
    }

    /// Marks the project as not matching its file (restored work is not in the project file yet).
    pub(super) fn mark_unsaved(&mut self) {
        self.saved_state = u64::MAX;
        self.unsaved_all = true;
    }

    /// Whether saving to `path` would overwrite changes another program made to it since it was read or
    /// written here.
    pub fn changed_on_disk(&self, path: &Path) -> bool {
        self.path.as_deref() == Some(path) && self.stamp.is_some() && FileStamp::of(path) != self.stamp
    }

    /// Saves to `path` and makes it the project's file.
    pub fn save(&mut self, path: PathBuf) -> Result<(), StoreError> {
        self.write(&path)?;
        self.unsaved_docs.clear();
        self.unsaved_all = false;
        // A recovery file that cannot be removed does not fail the save: it is now older than the project
        // file, so the next start does not offer it.
        let _stale = self.remove_recovery();
        self.stamp = FileStamp::of(&path);
        self.path = Some(path);
        self.saved_state = self.history.state();
        Ok(())
    }

    /// A recovery file left beside the project that is newer than the project, to offer to restore. One
    /// that holds exactly the project is removed instead; the error says it could not be.
    pub fn newer_recovery(&mut self) -> Result<Option<PathBuf>, String> {
        let Some(path) = &self.path else { return Ok(None) };
        let recovery = recovery_path(path);
        let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        // Equal times count as newer: file times are coarse (a kernel tick, or two seconds on some file
        // systems), and a recovery written in the same tick as the project must still be offered — a
        // needless question costs a key press, a missed one costs the work.
        if let Some(saved_at) = modified(&recovery)
            && modified(path).is_none_or(|project_at| saved_at >= project_at)
        {
            // A recovery file that holds exactly the saved project (work undone back to the save, then a
            // crash) has nothing to restore: offering it would invite "restoring" nothing — or, worse,
            // make the user think work was lost. It goes without a question.
            if store::load(&recovery).is_ok_and(|recovered| self.holds(&recovered)) {
                return self.remove_recovery().map(|()| None);
            }
            return Ok(Some(recovery));
        }
        Ok(None)
    }

    /// Removes a recovery file that no longer holds anything unsaved: the project is back at its saved
    /// state (saved, or every change since undone).
    pub fn drop_stale_recovery(&mut self) -> Result<(), String> {
        if self.recovery_written && !self.is_dirty() {
            return self.remove_recovery();
        }
        Ok(())
    }

    /// Deletes the recovery file, if any (after a save, or when the user discards the changes).
    pub fn remove_recovery(&mut self) -> Result<(), String> {
        let Some(path) = &self.path else { return Ok(()) };
        let recovery = recovery_path(path);
        match std::fs::remove_file(&recovery) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                Err(format!("Could not remove {}: {err}", recovery.display()))
            }
            _ => {
                self.recovery_written = false;
                // The next change must be written again, even if it returns to a state written before.
                self.autosaved_state = self.saved_state;
                Ok(())
            }
        }
    }

    /// A recovery file to write now, if the project changed at least [`AUTOSAVE_DELAY`] ago and that change
    /// is not written yet. Projects without a file yet have nowhere to put one.
    pub fn autosave_job(&mut self, now: Instant) -> Option<AutosaveJob> {
        let path = self.path.as_ref()?;
        let state = self.history.state();
        let due = self.changed_at.is_some_and(|at| now.duration_since(at) >= AUTOSAVE_DELAY);
        if !due || !self.is_dirty() || state == self.autosaved_state {
            return None;
        }
        self.autosaved_state = state;
        self.recovery_written = true;
        Some(AutosaveJob { path: recovery_path(path), project: self.recovery_copy() })
    }
}
