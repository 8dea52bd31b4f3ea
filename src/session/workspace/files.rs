//! Opening, saving, and the recovery file as the user meets them: the questions asked first and the
//! messages left after. The disk work itself is the [`Session`](super::Session)'s.

use std::path::{Path, PathBuf};

use crate::store;

use super::{Prompt, Workspace};

impl Workspace {
    /// Opens the project at `path` in place of the current one. A file that cannot be loaded leaves the
    /// current project as it was and says why in the status bar.
    pub fn open(&mut self, path: &Path) {
        match super::Session::open(path) {
            Ok(session) => {
                self.replace_session(session);
                self.message = format!("Opened {}", path.display());
                self.check_recovery();
            }
            Err(err) => self.message = format!("Could not open {err}"),
        }
    }

    /// Saves to `path`. Unless `force`, a file changed on disk since it was read asks first.
    pub(super) fn save_to(&mut self, path: PathBuf, force: bool) {
        if !force && self.session.changed_on_disk(&path) {
            self.prompt = Some(Prompt::DiskChanged { path });
            return;
        }
        self.message = match self.session.save(path) {
            Ok(()) => format!("Saved {}", self.session.path().unwrap_or(Path::new("")).display()),
            Err(err) => format!("Could not save {err}"),
        };
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
        match self.session.newer_recovery() {
            Ok(Some(path)) => self.prompt = Some(Prompt::Recover { path }),
            Ok(None) => {}
            Err(err) => self.message = err,
        }
    }

    /// Removes a recovery file that no longer holds anything unsaved: the project is back at its saved
    /// state (saved, or every change since undone). Called every frame by the window and on a clean quit,
    /// so the next start never offers to "restore" work the user undid.
    pub fn drop_stale_recovery(&mut self) {
        if let Err(err) = self.session.drop_stale_recovery() {
            self.message = err;
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
            Ok(project) if self.session.is_lazy() => {
                // Only the changed documents were in the recovery file: they go in place of theirs.
                self.session.restore(project);
                self.load_shown();
                self.message = format!("Restored unsaved work from {}; save to keep it", path.display());
            }
            Ok(project) => {
                let file = self.session.path().map(Path::to_path_buf);
                self.replace(project, file);
                // The restored work is not in the project file yet: it stays "modified" until saved.
                self.session.mark_unsaved();
                self.message = format!("Restored unsaved work from {}; save to keep it", path.display());
            }
            Err(err) => self.message = format!("Could not restore {err}"),
        }
    }

    /// Deletes the recovery file, if any (after a save, or when the user discards the changes).
    pub fn remove_recovery(&mut self) {
        if let Err(err) = self.session.remove_recovery() {
            self.message = err;
        }
    }
}
