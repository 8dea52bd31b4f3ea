//! The one command list: every command the user can run, with its name, its menu, its default key and
//! what it needs to run. The window builds its menu bar, shortcuts, palette and keyboard help from it;
//! label keys (1, 2, 3 …) come from the project's schema and must stay clear of the keys taken here.
//!
//! Each property is an exhaustive `match`, so a new command does not compile until it has a name, a menu,
//! a key (or none) and a need, and until every front end that dispatches commands handles it.

use strum::VariantArray;

/// Every command the user can run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, VariantArray)]
pub enum CommandId {
    /// Start an empty project.
    NewProject,
    /// Open a project file.
    Open,
    /// Save to the project's file.
    Save,
    /// Save to another file.
    SaveAs,
    /// A new document from pasted text.
    NewDocument,
    /// Import articles.
    Import,
    /// Export a dataset.
    Export,
    /// Merge annotators' copies of a project.
    MergeProjects,
    /// Preferences.
    Settings,
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
    /// Edit labels, attributes and relation types.
    SchemaEditor,
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
    /// Show the next document.
    NextDocument,
    /// Show the previous document.
    PrevDocument,
    /// Edit the shown document's title, metadata and note.
    DocumentDetails,
    /// Move the shown document up the list.
    MoveDocumentUp,
    /// Move it down.
    MoveDocumentDown,
    /// Delete the shown document (asks first).
    DeleteDocument,
    /// Mark the document to do.
    StatusTodo,
    /// Mark it in progress.
    StatusInProgress,
    /// Mark it as needing review.
    StatusNeedsReview,
    /// Mark it done.
    StatusDone,
    /// Open the project dashboard (progress, label mix, agreement plots).
    Dashboard,
    /// Open the curation view of the shown document (annotators side by side, build the gold layer).
    Curation,
    /// In curation: go to the next disagreement.
    NextDisagreement,
    /// Go to the next conflict a git merge left (project settings, document fields, spans; across
    /// documents), shown in the curation view with both versions.
    NextConflict,
    /// Go to the previous merge conflict.
    PrevConflict,
    /// Show every label's guideline.
    Guidelines,
    /// Show the keyboard help.
    KeyboardHelp,
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

/// The keys the command list uses, named apart from any toolkit (the window maps them to its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // The names are the keys.
pub enum Key {
    A,
    D,
    E,
    F,
    G,
    I,
    K,
    L,
    N,
    O,
    P,
    Q,
    R,
    S,
    V,
    X,
    Y,
    Z,
    Num0,
    Plus,
    Minus,
    Equals,
    Comma,
    Delete,
    Escape,
    Tab,
    ArrowLeft,
    ArrowRight,
    ArrowUp,
    ArrowDown,
    F1,
}

impl Key {
    /// The character the key types, for keys that type one; label keys must not reuse these.
    pub fn typed_char(self) -> Option<char> {
        let c = match self {
            Key::A => 'a',
            Key::D => 'd',
            Key::E => 'e',
            Key::F => 'f',
            Key::G => 'g',
            Key::I => 'i',
            Key::K => 'k',
            Key::L => 'l',
            Key::N => 'n',
            Key::O => 'o',
            Key::P => 'p',
            Key::Q => 'q',
            Key::R => 'r',
            Key::S => 's',
            Key::V => 'v',
            Key::X => 'x',
            Key::Y => 'y',
            Key::Z => 'z',
            Key::Num0 => '0',
            Key::Plus => '+',
            Key::Minus => '-',
            Key::Equals => '=',
            Key::Comma => ',',
            Key::Delete
            | Key::Escape
            | Key::Tab
            | Key::ArrowLeft
            | Key::ArrowRight
            | Key::ArrowUp
            | Key::ArrowDown
            | Key::F1 => return None,
        };
        Some(c)
    }
}

/// Modifier keys held with a key. `command` is Ctrl, or ⌘ on a Mac.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Mods {
    /// Ctrl (⌘ on a Mac).
    pub command: bool,
    /// Shift.
    pub shift: bool,
    /// Alt (⌥ on a Mac).
    pub alt: bool,
}

impl Mods {
    /// No modifier.
    pub const NONE: Mods = Mods { command: false, shift: false, alt: false };
    /// Ctrl.
    pub const CMD: Mods = Mods { command: true, shift: false, alt: false };
    /// Ctrl+Shift.
    pub const CMD_SHIFT: Mods = Mods { command: true, shift: true, alt: false };
    /// Alt.
    pub const ALT: Mods = Mods { command: false, shift: false, alt: true };
    /// Alt+Shift.
    pub const ALT_SHIFT: Mods = Mods { command: false, shift: true, alt: true };
    /// Shift.
    pub const SHIFT: Mods = Mods { command: false, shift: true, alt: false };

    /// How many modifiers are held: a shortcut with more of them is tried first, since a toolkit may
    /// match modifiers loosely (an extra Shift still matching Ctrl+S).
    pub fn count(self) -> u8 {
        u8::from(self.command) + u8::from(self.shift) + u8::from(self.alt)
    }
}

/// A key with its modifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyChord {
    /// The modifiers.
    pub mods: Mods,
    /// The key.
    pub key: Key,
}

const fn chord(mods: Mods, key: Key) -> Option<KeyChord> {
    Some(KeyChord { mods, key })
}

/// Ctrl+Y also redoes, as on most desktop apps; it has no menu entry of its own.
pub const REDO_ALT: KeyChord = KeyChord { mods: Mods::CMD, key: Key::Y };

/// Ctrl+= also zooms in, as in browsers: on most keyboards + is Shift+=, and nobody presses Shift for it.
pub const ZOOM_IN_ALT: KeyChord = KeyChord { mods: Mods::CMD, key: Key::Equals };

/// What must be there for a command to run; the window greys it out otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    /// Nothing: it can always run.
    Nothing,
    /// A shown document.
    Document,
    /// A shown document with at least one span.
    Spans,
    /// A selected span.
    SelectedSpan,
    /// A selected span or selected text.
    SpanOrSelection,
    /// Something to undo.
    Undo,
    /// Something to redo.
    Redo,
}

impl CommandId {
    /// Every command, in the order the menus list them (declaration order).
    pub const ALL: &'static [CommandId] = CommandId::VARIANTS;

    /// Its name in menus, the palette and the keyboard help.
    pub fn name(self) -> &'static str {
        match self {
            CommandId::NewProject => "New project",
            CommandId::Open => "Open…",
            CommandId::Save => "Save",
            CommandId::SaveAs => "Save as…",
            CommandId::NewDocument => "New document from text…",
            CommandId::Import => "Import articles…",
            CommandId::Export => "Export dataset…",
            CommandId::MergeProjects => "Merge projects…",
            CommandId::Settings => "Settings…",
            CommandId::Quit => "Quit",
            CommandId::Undo => "Undo",
            CommandId::Redo => "Redo",
            CommandId::DeleteSpan => "Delete span",
            CommandId::Escape => "Clear selection",
            CommandId::NextSpan => "Next span",
            CommandId::PrevSpan => "Previous span",
            CommandId::GrowLeft => "Grow span left by a word",
            CommandId::GrowRight => "Grow span right by a word",
            CommandId::ShrinkLeft => "Shrink span from the left",
            CommandId::ShrinkRight => "Shrink span from the right",
            CommandId::StartRelation => "Link span to… (then click the target)",
            CommandId::Find => "Find…",
            CommandId::FindInProject => "Find in project…",
            CommandId::Suggestions => "Suggestions…",
            CommandId::ReviewAccept => "Accept span (review)",
            CommandId::ReviewReject => "Reject span (review)",
            CommandId::SchemaEditor => "Label schema…",
            CommandId::ToggleSnap => "Snap selection to words",
            CommandId::ZoomIn => "Zoom in",
            CommandId::ZoomOut => "Zoom out",
            CommandId::ZoomReset => "Reset zoom",
            CommandId::ToggleTheme => "Dark / light theme",
            CommandId::Palette => "Command palette…",
            CommandId::NextDocument => "Next document",
            CommandId::PrevDocument => "Previous document",
            CommandId::DocumentDetails => "Document details…",
            CommandId::MoveDocumentUp => "Move document up",
            CommandId::MoveDocumentDown => "Move document down",
            CommandId::DeleteDocument => "Delete document…",
            CommandId::StatusTodo => "Mark to do",
            CommandId::StatusInProgress => "Mark in progress",
            CommandId::StatusNeedsReview => "Mark needs review",
            CommandId::StatusDone => "Mark done",
            CommandId::Dashboard => "Dashboard",
            CommandId::Curation => "Curate annotators…",
            CommandId::NextDisagreement => "Next disagreement",
            CommandId::NextConflict => "Next merge conflict",
            CommandId::PrevConflict => "Previous merge conflict",
            CommandId::Guidelines => "Guidelines",
            CommandId::KeyboardHelp => "Keyboard shortcuts",
        }
    }

    /// The menu it sits in.
    pub fn menu(self) -> Menu {
        match self {
            CommandId::NewProject
            | CommandId::Open
            | CommandId::Save
            | CommandId::SaveAs
            | CommandId::NewDocument
            | CommandId::Import
            | CommandId::Export
            | CommandId::MergeProjects
            | CommandId::Settings
            | CommandId::Quit => Menu::File,
            CommandId::Undo
            | CommandId::Redo
            | CommandId::DeleteSpan
            | CommandId::Escape
            | CommandId::NextSpan
            | CommandId::PrevSpan
            | CommandId::GrowLeft
            | CommandId::GrowRight
            | CommandId::ShrinkLeft
            | CommandId::ShrinkRight
            | CommandId::StartRelation
            | CommandId::Find
            | CommandId::FindInProject
            | CommandId::ReviewAccept
            | CommandId::ReviewReject
            | CommandId::SchemaEditor => Menu::Edit,
            CommandId::ToggleSnap
            | CommandId::ZoomIn
            | CommandId::ZoomOut
            | CommandId::ZoomReset
            | CommandId::ToggleTheme
            | CommandId::Palette
            | CommandId::Dashboard => Menu::View,
            CommandId::Suggestions
            | CommandId::NextDocument
            | CommandId::PrevDocument
            | CommandId::DocumentDetails
            | CommandId::MoveDocumentUp
            | CommandId::MoveDocumentDown
            | CommandId::DeleteDocument
            | CommandId::StatusTodo
            | CommandId::StatusInProgress
            | CommandId::StatusNeedsReview
            | CommandId::StatusDone
            | CommandId::Curation
            | CommandId::NextDisagreement
            | CommandId::NextConflict
            | CommandId::PrevConflict => Menu::Document,
            CommandId::Guidelines | CommandId::KeyboardHelp => Menu::Help,
        }
    }

    /// Its default key, if it has one.
    pub fn default_key(self) -> Option<KeyChord> {
        match self {
            CommandId::NewProject => chord(Mods::CMD, Key::N),
            CommandId::Open => chord(Mods::CMD, Key::O),
            CommandId::Save => chord(Mods::CMD, Key::S),
            CommandId::SaveAs => chord(Mods::CMD_SHIFT, Key::S),
            CommandId::NewDocument => chord(Mods::CMD_SHIFT, Key::V),
            CommandId::Import => chord(Mods::CMD, Key::I),
            CommandId::Export => chord(Mods::CMD, Key::E),
            CommandId::Settings => chord(Mods::CMD, Key::Comma),
            CommandId::Quit => chord(Mods::CMD, Key::Q),
            CommandId::Undo => chord(Mods::CMD, Key::Z),
            CommandId::Redo => chord(Mods::CMD_SHIFT, Key::Z),
            CommandId::DeleteSpan => chord(Mods::NONE, Key::Delete),
            CommandId::Escape => chord(Mods::NONE, Key::Escape),
            CommandId::NextSpan => chord(Mods::NONE, Key::Tab),
            CommandId::PrevSpan => chord(Mods::SHIFT, Key::Tab),
            CommandId::GrowLeft => chord(Mods::ALT, Key::ArrowLeft),
            CommandId::GrowRight => chord(Mods::ALT, Key::ArrowRight),
            CommandId::ShrinkLeft => chord(Mods::ALT_SHIFT, Key::ArrowRight),
            CommandId::ShrinkRight => chord(Mods::ALT_SHIFT, Key::ArrowLeft),
            CommandId::StartRelation => chord(Mods::NONE, Key::R),
            CommandId::Find => chord(Mods::CMD, Key::F),
            CommandId::FindInProject => chord(Mods::CMD_SHIFT, Key::F),
            CommandId::Suggestions => chord(Mods::CMD, Key::G),
            CommandId::ReviewAccept => chord(Mods::NONE, Key::A),
            CommandId::ReviewReject => chord(Mods::NONE, Key::X),
            CommandId::SchemaEditor => chord(Mods::CMD_SHIFT, Key::L),
            CommandId::ZoomIn => chord(Mods::CMD, Key::Plus),
            CommandId::ZoomOut => chord(Mods::CMD, Key::Minus),
            CommandId::ZoomReset => chord(Mods::CMD, Key::Num0),
            CommandId::Palette => chord(Mods::CMD_SHIFT, Key::P),
            CommandId::NextDocument => chord(Mods::ALT, Key::ArrowDown),
            CommandId::PrevDocument => chord(Mods::ALT, Key::ArrowUp),
            CommandId::DocumentDetails => chord(Mods::CMD_SHIFT, Key::I),
            CommandId::MoveDocumentUp => chord(Mods::ALT_SHIFT, Key::ArrowUp),
            CommandId::MoveDocumentDown => chord(Mods::ALT_SHIFT, Key::ArrowDown),
            CommandId::Dashboard => chord(Mods::CMD, Key::D),
            CommandId::Curation => chord(Mods::CMD, Key::K),
            CommandId::NextDisagreement => chord(Mods::NONE, Key::N),
            CommandId::NextConflict => chord(Mods::ALT, Key::N),
            CommandId::PrevConflict => chord(Mods::ALT_SHIFT, Key::N),
            CommandId::KeyboardHelp => chord(Mods::NONE, Key::F1),
            CommandId::MergeProjects
            | CommandId::ToggleSnap
            | CommandId::ToggleTheme
            | CommandId::DeleteDocument
            | CommandId::StatusTodo
            | CommandId::StatusInProgress
            | CommandId::StatusNeedsReview
            | CommandId::StatusDone
            | CommandId::Guidelines => None,
        }
    }

    /// Whether its key acts on the document text (no Ctrl), so it must not fire while the user types.
    pub fn is_text_key(self) -> bool {
        self.default_key().is_some_and(|k| !k.mods.command)
    }

    /// What must be there for it to run.
    pub fn needs(self) -> Needs {
        match self {
            CommandId::Undo => Needs::Undo,
            CommandId::Redo => Needs::Redo,
            CommandId::DeleteSpan | CommandId::StartRelation => Needs::SelectedSpan,
            CommandId::NextSpan | CommandId::PrevSpan => Needs::Spans,
            CommandId::GrowLeft | CommandId::GrowRight | CommandId::ShrinkLeft | CommandId::ShrinkRight => {
                Needs::SpanOrSelection
            }
            CommandId::StatusTodo
            | CommandId::StatusInProgress
            | CommandId::StatusNeedsReview
            | CommandId::StatusDone
            | CommandId::NextDocument
            | CommandId::PrevDocument => Needs::Document,
            CommandId::NewProject
            | CommandId::Open
            | CommandId::Save
            | CommandId::SaveAs
            | CommandId::Quit
            | CommandId::Escape
            | CommandId::ToggleSnap
            | CommandId::ZoomIn
            | CommandId::ZoomOut
            | CommandId::ZoomReset
            | CommandId::ToggleTheme
            | CommandId::Palette
            | CommandId::KeyboardHelp
            | CommandId::SchemaEditor
            | CommandId::Guidelines
            | CommandId::DocumentDetails
            | CommandId::NewDocument
            | CommandId::DeleteDocument
            | CommandId::MoveDocumentUp
            | CommandId::MoveDocumentDown
            | CommandId::Import
            | CommandId::Export
            | CommandId::Settings
            | CommandId::MergeProjects
            | CommandId::Find
            | CommandId::FindInProject
            | CommandId::Suggestions
            | CommandId::ReviewAccept
            | CommandId::ReviewReject
            | CommandId::Dashboard
            | CommandId::Curation
            | CommandId::NextDisagreement
            | CommandId::NextConflict
            | CommandId::PrevConflict => Needs::Nothing,
        }
    }
}

/// Characters a label key cannot take, lower case: the keys commands use with no modifier. A label key
/// is compared without case, so `A` is taken too.
pub fn reserved_label_keys() -> Vec<char> {
    CommandId::ALL
        .iter()
        .filter_map(|c| c.default_key())
        .filter(|k| k.mods == Mods::NONE)
        .filter_map(|k| k.key.typed_char())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_keys_are_unique() {
        let mut names: Vec<_> = CommandId::ALL.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CommandId::ALL.len());
        let mut keys: Vec<KeyChord> = CommandId::ALL.iter().filter_map(|c| c.default_key()).collect();
        keys.extend([REDO_ALT, ZOOM_IN_ALT]);
        let total = keys.len();
        keys.sort_by_key(|k| format!("{k:?}"));
        keys.dedup();
        assert_eq!(keys.len(), total, "two commands share a key");
    }

    #[test]
    fn the_review_and_relation_keys_are_reserved_from_labels() {
        let reserved = reserved_label_keys();
        for c in ['a', 'x', 'r', 'n'] {
            assert!(reserved.contains(&c), "{c} is a command key");
        }
        assert!(!reserved.contains(&'1'), "digits stay free for labels");
        assert!(!reserved.contains(&'s'), "Ctrl+S does not take the bare S");
    }
}
