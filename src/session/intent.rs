//! What views ask for. Views push intents while drawing; [`super::FactmarkApp`] applies them after the
//! frame, in one place, so no view changes the project and every change goes through the core's edits.

use std::path::PathBuf;

use crate::edit::Edit;
use crate::model::{CharIdx, DocStatus, RelationId, SchemaPreset, SpanId};

use super::commands::CommandId;

/// A request from a view, a key or a menu.
#[derive(Clone, Debug, PartialEq)]
pub enum Intent {
    /// Run a command from the command list (menus, shortcuts and the palette all end here).
    Run(CommandId),
    /// Show the document at this index of the project's list.
    SelectDocument(usize),
    /// Put the text selection at `anchor..head` (a caret when equal); `snap` widens it to whole words
    /// when snapping is on (mouse releases snap, keyboard moves do not).
    Select {
        /// Where the selection started.
        anchor: CharIdx,
        /// Where it ends (the caret).
        head: CharIdx,
        /// Widen to word edges.
        snap: bool,
    },
    /// Move the caret a char or a word (Ctrl) left or right; `extend` keeps the anchor (Shift).
    MoveCaret {
        /// Right (true) or left.
        forward: bool,
        /// By a word instead of a char.
        by_word: bool,
        /// Extend the selection instead of collapsing it.
        extend: bool,
    },
    /// Select a range and scroll it into sight (search results, suggestions).
    Reveal(std::ops::Range<CharIdx>),
    /// Show a message in the status bar.
    Message(String),
    /// Select the word around a char (double-click).
    SelectWord(CharIdx),
    /// A click on a span: selects it, or completes a pending relation.
    ClickSpan(SpanId),
    /// Make a span with the label at this index of the schema from the selection; with a span selected
    /// and no text selected, relabel it.
    ApplyLabel(usize),
    /// Remove a relation.
    RemoveRelation(RelationId),
    /// Set the note of a span.
    SetNote(SpanId, String),
    /// Apply an edit the view built (inspector fields: attributes, review state).
    Edit(Edit),
    /// Set the shown document's status.
    SetStatus(DocStatus),
    /// Open the project at this path (asks about unsaved changes first).
    Open(PathBuf),
    /// Save the project to this path and make it the project's path.
    SaveAs(PathBuf),
    /// Answer to the unsaved-changes question.
    Unsaved(UnsavedAnswer),
    /// Answer to "the file changed on disk; overwrite?".
    OverwriteChanged(bool),
    /// Answer to "restore the recovered work?".
    Recover(bool),
    /// Set the annotator name.
    SetAnnotator(String),
    /// Show or hide one annotator's spans in the view.
    ToggleAnnotator(String),
    /// Add a document made from pasted text at the end of the list, and show it.
    NewDocument {
        /// Its title.
        title: String,
        /// Its text.
        text: String,
    },
    /// Start an empty project with this schema (asks about unsaved changes first).
    NewProject(SchemaPreset),
    /// Answer to "delete this document?".
    ConfirmDelete(bool),
    /// Answer to "mark done with spans still unreviewed?".
    ConfirmDone(bool),
}

/// The three answers to "save changes first?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnsavedAnswer {
    /// Save, then go on.
    Save,
    /// Throw the changes away and go on.
    Discard,
    /// Stay.
    Cancel,
}
