//! Unlimited undo and redo over [`Edit`] values.

use crate::model::Project;

use super::{Edit, EditError};

#[derive(Clone, Debug)]
struct Entry {
    /// Name of the edit the user made (for "Undo Add Claim span").
    name: String,
    /// The edit that reverses it (on the undo stack) or redoes it (on the redo stack).
    edit: Edit,
    /// Identifies the project state this entry leads to, for the "modified" marker.
    state: u64,
}

/// Undo and redo stacks. The project's state after any sequence of applies, undos and redos is
/// identified by [`History::state`], which lets the UI tell whether it matches the saved file.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Entry>,
    redo: Vec<Entry>,
    next_state: u64,
}

impl History {
    /// An empty history.
    pub fn new() -> History {
        History::default()
    }

    /// Applies `edit` and records how to undo it. Clears the redo stack. Returns the edit's name.
    pub fn apply(&mut self, project: &mut Project, edit: Edit) -> Result<String, EditError> {
        let name = edit.describe();
        let inverse = edit.apply(project)?;
        self.next_state += 1;
        self.undo.push(Entry { name: name.clone(), edit: inverse, state: self.next_state });
        self.redo.clear();
        Ok(name)
    }

    /// Undoes the last edit. Returns its name, or `None` when there is nothing to undo.
    pub fn undo(&mut self, project: &mut Project) -> Result<Option<String>, EditError> {
        let Some(entry) = self.undo.pop() else { return Ok(None) };
        match entry.edit.clone().apply(project) {
            Ok(redo) => {
                let name = entry.name.clone();
                self.redo.push(Entry { name: entry.name, edit: redo, state: entry.state });
                Ok(Some(name))
            }
            Err(err) => {
                self.undo.push(entry);
                Err(err)
            }
        }
    }

    /// Redoes the last undone edit. Returns its name, or `None` when there is nothing to redo.
    pub fn redo(&mut self, project: &mut Project) -> Result<Option<String>, EditError> {
        let Some(entry) = self.redo.pop() else { return Ok(None) };
        match entry.edit.clone().apply(project) {
            Ok(undo) => {
                let name = entry.name.clone();
                self.undo.push(Entry { name: entry.name, edit: undo, state: entry.state });
                Ok(Some(name))
            }
            Err(err) => {
                self.redo.push(entry);
                Err(err)
            }
        }
    }

    /// The edit Undo would apply (the inverse of the last edit).
    pub fn undo_edit(&self) -> Option<&Edit> {
        self.undo.last().map(|e| &e.edit)
    }

    /// The edit Redo would apply.
    pub fn redo_edit(&self) -> Option<&Edit> {
        self.redo.last().map(|e| &e.edit)
    }

    /// Name of the edit Undo would reverse.
    pub fn undo_name(&self) -> Option<&str> {
        self.undo.last().map(|e| e.name.as_str())
    }

    /// Name of the edit Redo would repeat.
    pub fn redo_name(&self) -> Option<&str> {
        self.redo.last().map(|e| e.name.as_str())
    }

    /// Identifies the current project state: equal values mean the same sequence of edits is in effect.
    /// Zero is the state the history started from.
    pub fn state(&self) -> u64 {
        self.undo.last().map_or(0, |e| e.state)
    }
}
