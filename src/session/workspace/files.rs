//! Opening, saving, and the recovery file: the parts of the workspace that touch the disk.
//!
//! The user's project file is only ever written by an explicit save. Autosave writes a separate recovery
//! file beside it (`name.recovery.ron`), which the next start offers to restore when it is newer than the
//! project — that is what is left after a crash.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::model::Project;
use crate::store;

use super::{Prompt, Workspace};

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

impl Workspace {
    /// Opens the project at `path` in place of the current one. A file that cannot be loaded leaves the
    /// current project as it was and says why in the status bar.
    pub fn open(&mut self, path: &Path) {
        match store::load(path) {
            Ok(project) => {
                self.replace(project, Some(path.to_path_buf()));
                self.message = format!("Opened {}", path.display());
                self.check_recovery();
            }
            Err(err) => self.message = format!("Could not open {err}"),
        }
    }

    /// Saves to `path`. Unless `force`, a file changed on disk since it was read asks first.
    pub(super) fn save_to(&mut self, path: PathBuf, force: bool) {
        let same_file = self.path.as_ref() == Some(&path);
        if !force && same_file && self.stamp.is_some() && FileStamp::of(&path) != self.stamp {
            self.prompt = Some(Prompt::DiskChanged { path });
            return;
        }
        match store::save(&self.project, &path) {
            Ok(()) => {
                self.remove_recovery();
                self.stamp = FileStamp::of(&path);
                self.path = Some(path);
                self.saved_state = self.history.state();
                self.message = format!("Saved {}", self.path.as_deref().unwrap_or(Path::new("")).display());
            }
            Err(err) => self.message = format!("Could not save {err}"),
        }
    }

    pub(super) fn answer_disk_changed(&mut self, overwrite: bool) {
        let Some(Prompt::DiskChanged { path }) = self.prompt.take() else { return };
        if overwrite {
            self.save_to(path, true);
        } else {
            self.message = format!("Not saved: {} was changed by another program and is kept", path.display());
        }
    }

    /// Asks about a recovery file left beside the project that is newer than the project.
    pub fn check_recovery(&mut self) {
        let Some(path) = &self.path else { return };
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
            if store::load(&recovery).is_ok_and(|recovered| recovered == self.project) {
                self.remove_recovery();
                return;
            }
            self.prompt = Some(Prompt::Recover { path: recovery });
        }
    }

    /// Removes a recovery file that no longer holds anything unsaved: the project is back at its saved
    /// state (saved, or every change since undone). Called every frame by the window and on a clean quit,
    /// so the next start never offers to "restore" work the user undid.
    pub fn drop_stale_recovery(&mut self) {
        if self.recovery_written && !self.is_dirty() {
            self.remove_recovery();
        }
    }

    pub(super) fn answer_recover(&mut self, restore: bool) {
        let Some(Prompt::Recover { path }) = self.prompt.take() else { return };
        if !restore {
            self.remove_recovery();
            self.message = "Recovered work discarded".into();
            return;
        }
        match store::load(&path) {
            Ok(project) => {
                let file = self.path.clone();
                self.replace(project, file);
                // The restored work is not in the project file yet: it stays "modified" until saved.
                self.saved_state = u64::MAX;
                self.message = format!("Restored unsaved work from {}; save to keep it", path.display());
            }
            Err(err) => self.message = format!("Could not restore {err}"),
        }
    }

    /// Deletes the recovery file, if any (after a save, or when the user discards the changes).
    pub fn remove_recovery(&mut self) {
        let Some(path) = &self.path else { return };
        let recovery = recovery_path(path);
        match std::fs::remove_file(&recovery) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                self.message = format!("Could not remove {}: {err}", recovery.display());
            }
            _ => {
                self.recovery_written = false;
                // The next change must be written again, even if it returns to a state written before.
                self.autosaved_state = self.saved_state;
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
        Some(AutosaveJob { path: recovery_path(path), project: self.project.clone() })
    }
}
