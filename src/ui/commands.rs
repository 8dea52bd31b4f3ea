//! The command list as the window uses it: [`crate::session::commands`] with its keys mapped to egui's.
//! The menu bar, the keyboard shortcuts, the palette and the keyboard help are all built from
//! [`commands`], so a command has one name and one shortcut everywhere.

use egui::{Key as EguiKey, KeyboardShortcut, Modifiers};

use crate::session::commands::{self as session, Key, KeyChord, Mods};
pub use crate::session::commands::{CommandId, Menu, Needs};

/// One entry of the command list, with its shortcut in egui's terms.
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

/// egui's name of a key.
fn egui_key(key: Key) -> EguiKey {
    match key {
        Key::A => EguiKey::A,
        Key::D => EguiKey::D,
        Key::E => EguiKey::E,
        Key::F => EguiKey::F,
        Key::G => EguiKey::G,
        Key::I => EguiKey::I,
        Key::K => EguiKey::K,
        Key::L => EguiKey::L,
        Key::N => EguiKey::N,
        Key::O => EguiKey::O,
        Key::P => EguiKey::P,
        Key::Q => EguiKey::Q,
        Key::R => EguiKey::R,
        Key::S => EguiKey::S,
        Key::V => EguiKey::V,
        Key::X => EguiKey::X,
        Key::Y => EguiKey::Y,
        Key::Z => EguiKey::Z,
        Key::Num0 => EguiKey::Num0,
        Key::Plus => EguiKey::Plus,
        Key::Minus => EguiKey::Minus,
        Key::Equals => EguiKey::Equals,
        Key::Comma => EguiKey::Comma,
        Key::Delete => EguiKey::Delete,
        Key::Escape => EguiKey::Escape,
        Key::Tab => EguiKey::Tab,
        Key::ArrowLeft => EguiKey::ArrowLeft,
        Key::ArrowRight => EguiKey::ArrowRight,
        Key::ArrowUp => EguiKey::ArrowUp,
        Key::ArrowDown => EguiKey::ArrowDown,
        Key::F1 => EguiKey::F1,
    }
}

/// egui's shortcut for a key chord.
pub fn shortcut(chord: KeyChord) -> KeyboardShortcut {
    let Mods { command, shift, alt } = chord.mods;
    let mut mods = Modifiers::NONE;
    if command {
        mods = mods.plus(Modifiers::COMMAND);
    }
    if shift {
        mods = mods.plus(Modifiers::SHIFT);
    }
    if alt {
        mods = mods.plus(Modifiers::ALT);
    }
    KeyboardShortcut::new(mods, egui_key(chord.key))
}

/// Every command, in menu order within each menu.
pub fn commands() -> &'static [CommandDef] {
    // Asked for every frame; built once.
    static LIST: std::sync::OnceLock<Vec<CommandDef>> = std::sync::OnceLock::new();
    LIST.get_or_init(|| {
        CommandId::ALL
            .iter()
            .map(|&id| CommandDef {
                id,
                name: id.name(),
                menu: id.menu(),
                shortcut: id.default_key().map(shortcut),
                text_key: id.is_text_key(),
            })
            .collect()
    })
}

/// Ctrl+Y also redoes; see [`session::REDO_ALT`].
pub fn redo_alt() -> KeyboardShortcut {
    shortcut(session::REDO_ALT)
}

/// Ctrl+= also zooms in; see [`session::ZOOM_IN_ALT`].
pub fn zoom_in_alt() -> KeyboardShortcut {
    shortcut(session::ZOOM_IN_ALT)
}

/// Commands with shortcuts, most modifiers first: egui matches modifiers loosely (an extra Shift or Alt
/// still matches), so Ctrl+Shift+S must be tried before Ctrl+S.
pub fn shortcuts_most_specific_first() -> &'static [&'static CommandDef] {
    // Asked for every frame; the order never changes, so it is worked out once.
    static ORDER: std::sync::OnceLock<Vec<&'static CommandDef>> = std::sync::OnceLock::new();
    ORDER.get_or_init(|| {
        let mut list: Vec<&CommandDef> = commands().iter().filter(|c| c.shortcut.is_some()).collect();
        list.sort_by_key(|c| std::cmp::Reverse(c.id.default_key().map_or(0, |k| k.mods.count())));
        list
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn egui_shortcuts_are_unique() {
        let mut keys: Vec<_> = commands().iter().filter_map(|c| c.shortcut).map(|s| format!("{s:?}")).collect();
        let total = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), total, "two commands map to one egui shortcut");
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
