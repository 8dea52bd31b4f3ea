//! The one command list. The menu bar, the keyboard shortcuts and the command palette are all built from
//! [`COMMANDS`], so a command has one name and one shortcut everywhere. Label keys (1, 2, 3 …) come from
//! the project's schema instead and are handled beside these.

use egui::{Key, KeyboardShortcut, Modifiers};

/// Every command the user can run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CommandId {
    /// Start an empty project.
    NewProject,
    /// Open a project file.
    Open,
    /// Save to the project's file.
    Save,
    /// Save to another file.
    SaveAs,
    /// Close the window.
    Quit,
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Remove the selected span.
    DeleteSpan,
    /// Clear the selection, the selected span and a pending relation.
    Escape,
    /// Select the next span.
    NextSpan,
    /// Select the previous span.
    PrevSpan,
    /// Grow the selected span (or selection) by a word on the left.
    GrowLeft,
    /// Grow it by a word on the right.
    GrowRight,
    /// Shrink it by a word from the left.
    ShrinkLeft,
    /// Shrink it by a word from the right.
    ShrinkRight,
    /// Start a relation from the selected span; the next span clicked is its target.
    StartRelation,
    /// Show the next document.
    NextDocument,
    /// Show the previous document.
    PrevDocument,
    /// Mark the document to do.
    StatusTodo,
    /// Mark it in progress.
    StatusInProgress,
    /// Mark it as needing review.
    StatusNeedsReview,
    /// Mark it done.
    StatusDone,
    /// Toggle snapping selections to whole words.
    ToggleSnap,
    /// Larger text.
    ZoomIn,
    /// Smaller text.
    ZoomOut,
    /// Default text size.
    ZoomReset,
    /// Switch between dark and light.
    ToggleTheme,
    /// Open the command palette.
    Palette,
    /// Show the keyboard help.
    KeyboardHelp,
    /// Edit labels, attributes and relation types.
    SchemaEditor,
    /// Show every label's guideline.
    Guidelines,
    /// Edit the shown document's title, metadata and note.
    DocumentDetails,
    /// A new document from pasted text.
    NewDocument,
    /// Delete the shown document (asks first).
    DeleteDocument,
    /// Move the shown document up the list.
    MoveDocumentUp,
    /// Move it down.
    MoveDocumentDown,
    /// Import articles.
    Import,
    /// Export a dataset.
    Export,
    /// Preferences.
    Settings,
    /// Merge annotators' copies of a project.
    MergeProjects,
    /// Find in the document.
    Find,
    /// Find in the whole project.
    FindInProject,
    /// Show suggestions and the project's rules.
    Suggestions,
    /// Review: accept the selected span and go to the next.
    ReviewAccept,
    /// Review: reject the selected span and go to the next.
    ReviewReject,
    /// Open the project dashboard (progress, label mix, agreement plots).
    Dashboard,
    /// Open the curation view of the shown document (annotators side by side, build the gold layer).
    Curation,
    /// In curation: go to the next disagreement.
    NextDisagreement,
}

/// The menu a command sits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    /// File
    File,
    /// Edit
    Edit,
    /// View
    View,
    /// Document
    Document,
    /// Help
    Help,
}

impl Menu {
    /// All menus, in menu-bar order.
    pub const ALL: [Menu; 5] = [Menu::File, Menu::Edit, Menu::View, Menu::Document, Menu::Help];

    /// The menu's title.
    pub fn title(self) -> &'static str {
        match self {
            Menu::File => "File",
            Menu::Edit => "Edit",
            Menu::View => "View",
            Menu::Document => "Document",
            Menu::Help => "Help",
        }
    }
}

/// One entry of the command list.
#[derive(Clone, Copy, Debug)]
pub struct CommandDef {
    /// Which command.
    pub id: CommandId,
    /// Its name in menus and the palette.
    pub name: &'static str,
    /// The menu it is in.
    pub menu: Menu,
    /// Its shortcut, if any.
    pub shortcut: Option<KeyboardShortcut>,
    /// Whether it acts on the document text, so it must not fire while a text field has the keyboard.
    pub text_key: bool,
}

const fn cmd(id: CommandId, name: &'static str, menu: Menu, mods: Modifiers, key: Option<Key>) -> CommandDef {
    let shortcut = match key {
        Some(key) => Some(KeyboardShortcut::new(mods, key)),
        None => None,
    };
    // Shortcuts without Ctrl act on the text and would otherwise fire while typing a note.
    let text_key = !mods.command && !mods.ctrl;
    CommandDef { id, name, menu, shortcut, text_key }
}

const NONE: Modifiers = Modifiers::NONE;
const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);
const ALT: Modifiers = Modifiers::ALT;
const ALT_SHIFT: Modifiers = Modifiers::ALT.plus(Modifiers::SHIFT);
const SHIFT: Modifiers = Modifiers::SHIFT;

/// The command list, in menu order.
pub const COMMANDS: &[CommandDef] = &[
    cmd(CommandId::NewProject, "New project", Menu::File, CMD, Some(Key::N)),
    cmd(CommandId::Open, "Open…", Menu::File, CMD, Some(Key::O)),
    cmd(CommandId::Save, "Save", Menu::File, CMD, Some(Key::S)),
    cmd(CommandId::SaveAs, "Save as…", Menu::File, CMD_SHIFT, Some(Key::S)),
    cmd(CommandId::NewDocument, "New document from text…", Menu::File, CMD_SHIFT, Some(Key::V)),
    cmd(CommandId::Import, "Import articles…", Menu::File, CMD, Some(Key::I)),
    cmd(CommandId::Export, "Export dataset…", Menu::File, CMD, Some(Key::E)),
    cmd(CommandId::MergeProjects, "Merge projects…", Menu::File, NONE, None),
    cmd(CommandId::Settings, "Settings…", Menu::File, CMD, Some(Key::Comma)),
    cmd(CommandId::Quit, "Quit", Menu::File, CMD, Some(Key::Q)),
    cmd(CommandId::Undo, "Undo", Menu::Edit, CMD, Some(Key::Z)),
    cmd(CommandId::Redo, "Redo", Menu::Edit, CMD_SHIFT, Some(Key::Z)),
    cmd(CommandId::DeleteSpan, "Delete span", Menu::Edit, NONE, Some(Key::Delete)),
    cmd(CommandId::Escape, "Clear selection", Menu::Edit, NONE, Some(Key::Escape)),
    cmd(CommandId::NextSpan, "Next span", Menu::Edit, NONE, Some(Key::Tab)),
    cmd(CommandId::PrevSpan, "Previous span", Menu::Edit, SHIFT, Some(Key::Tab)),
    cmd(CommandId::GrowLeft, "Grow span left by a word", Menu::Edit, ALT, Some(Key::ArrowLeft)),
    cmd(CommandId::GrowRight, "Grow span right by a word", Menu::Edit, ALT, Some(Key::ArrowRight)),
    cmd(CommandId::ShrinkLeft, "Shrink span from the left", Menu::Edit, ALT_SHIFT, Some(Key::ArrowRight)),
    cmd(CommandId::ShrinkRight, "Shrink span from the right", Menu::Edit, ALT_SHIFT, Some(Key::ArrowLeft)),
    cmd(CommandId::StartRelation, "Link span to… (then click the target)", Menu::Edit, NONE, Some(Key::R)),
    cmd(CommandId::Find, "Find…", Menu::Edit, CMD, Some(Key::F)),
    cmd(CommandId::FindInProject, "Find in project…", Menu::Edit, CMD_SHIFT, Some(Key::F)),
    cmd(CommandId::Suggestions, "Suggestions…", Menu::Document, CMD, Some(Key::G)),
    cmd(CommandId::ReviewAccept, "Accept span (review)", Menu::Edit, NONE, Some(Key::A)),
    cmd(CommandId::ReviewReject, "Reject span (review)", Menu::Edit, NONE, Some(Key::X)),
    cmd(CommandId::SchemaEditor, "Label schema…", Menu::Edit, CMD_SHIFT, Some(Key::L)),
    cmd(CommandId::ToggleSnap, "Snap selection to words", Menu::View, NONE, None),
    cmd(CommandId::ZoomIn, "Zoom in", Menu::View, CMD, Some(Key::Plus)),
    cmd(CommandId::ZoomOut, "Zoom out", Menu::View, CMD, Some(Key::Minus)),
    cmd(CommandId::ZoomReset, "Reset zoom", Menu::View, CMD, Some(Key::Num0)),
    cmd(CommandId::ToggleTheme, "Dark / light theme", Menu::View, NONE, None),
    cmd(CommandId::Palette, "Command palette…", Menu::View, CMD_SHIFT, Some(Key::P)),
    cmd(CommandId::NextDocument, "Next document", Menu::Document, ALT, Some(Key::ArrowDown)),
    cmd(CommandId::PrevDocument, "Previous document", Menu::Document, ALT, Some(Key::ArrowUp)),
    cmd(CommandId::DocumentDetails, "Document details…", Menu::Document, CMD_SHIFT, Some(Key::I)),
    cmd(CommandId::MoveDocumentUp, "Move document up", Menu::Document, ALT_SHIFT, Some(Key::ArrowUp)),
    cmd(CommandId::MoveDocumentDown, "Move document down", Menu::Document, ALT_SHIFT, Some(Key::ArrowDown)),
    cmd(CommandId::DeleteDocument, "Delete document…", Menu::Document, NONE, None),
    cmd(CommandId::StatusTodo, "Mark to do", Menu::Document, NONE, None),
    cmd(CommandId::StatusInProgress, "Mark in progress", Menu::Document, NONE, None),
    cmd(CommandId::StatusNeedsReview, "Mark needs review", Menu::Document, NONE, None),
    cmd(CommandId::StatusDone, "Mark done", Menu::Document, NONE, None),
    cmd(CommandId::Dashboard, "Dashboard", Menu::View, CMD, Some(Key::D)),
    cmd(CommandId::Curation, "Curate annotators…", Menu::Document, CMD, Some(Key::K)),
    cmd(CommandId::NextDisagreement, "Next disagreement", Menu::Document, NONE, Some(Key::N)),
    cmd(CommandId::Guidelines, "Guidelines", Menu::Help, NONE, None),
    cmd(CommandId::KeyboardHelp, "Keyboard shortcuts", Menu::Help, NONE, Some(Key::F1)),
];

/// Ctrl+Y also redoes, as on most desktop apps; it has no menu entry of its own.
pub const REDO_ALT: KeyboardShortcut = KeyboardShortcut::new(CMD, Key::Y);

/// Ctrl+= also zooms in, as in browsers: on most keyboards + is Shift+=, and nobody presses Shift for it.
pub const ZOOM_IN_ALT: KeyboardShortcut = KeyboardShortcut::new(CMD, Key::Equals);

/// The definition of `id`.
pub fn def(id: CommandId) -> Option<&'static CommandDef> {
    COMMANDS.iter().find(|c| c.id == id)
}

/// Commands with shortcuts, most modifiers first: egui matches modifiers loosely (an extra Shift or Alt
/// still matches), so Ctrl+Shift+S must be tried before Ctrl+S.
pub fn shortcuts_most_specific_first() -> &'static [&'static CommandDef] {
    // Asked for every frame; the order never changes, so it is worked out once.
    static ORDER: std::sync::OnceLock<Vec<&'static CommandDef>> = std::sync::OnceLock::new();
    ORDER.get_or_init(|| {
        let mut list: Vec<&CommandDef> = COMMANDS.iter().filter(|c| c.shortcut.is_some()).collect();
        list.sort_by_key(|c| {
            let m = c.shortcut.map_or(Modifiers::NONE, |s| s.modifiers);
            std::cmp::Reverse(u8::from(m.shift) + u8::from(m.alt) + u8::from(m.command || m.ctrl))
        });
        list
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_shortcuts_are_unique() {
        let mut names: Vec<_> = COMMANDS.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COMMANDS.len());
        let mut keys: Vec<_> = COMMANDS.iter().filter_map(|c| c.shortcut).map(|s| format!("{s:?}")).collect();
        let total = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), total, "two commands share a shortcut");
    }

    #[test]
    fn specific_shortcuts_come_first() {
        let list = shortcuts_most_specific_first();
        let pos = |id| list.iter().position(|c| c.id == id);
        assert!(pos(CommandId::SaveAs) < pos(CommandId::Save));
        assert!(pos(CommandId::Redo) < pos(CommandId::Undo));
        assert!(pos(CommandId::ShrinkLeft) < pos(CommandId::GrowRight));
    }
}
