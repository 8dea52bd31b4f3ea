//! The menu bar, built from the one command list in [`super::commands`] (as the palette in
//! [`super::palette`] is).

use egui::{Button, KeyboardShortcut};

use super::commands::{CommandDef, CommandId, Menu, Needs, commands};
use super::intent::Intent;
use super::workspace::Workspace;

/// What the menu needs besides the workspace.
pub struct MenuContext<'a> {
    /// Recently opened projects, newest first.
    pub recent: &'a [std::path::PathBuf],
    /// Whether snapping is on (for the check mark).
    pub snap: bool,
}

pub(super) fn shortcut_text(ctx: &egui::Context, shortcut: Option<KeyboardShortcut>) -> String {
    shortcut.map_or(String::new(), |s| ctx.format_shortcut(&s))
}

/// Adds the shortcut text on the right, if there is one (an empty one would end up in the button's
/// accessible name).
pub(super) fn with_shortcut(button: Button<'_>, shortcut: String) -> Button<'_> {
    if shortcut.is_empty() { button } else { button.shortcut_text(shortcut) }
}

/// The name a command shows: Undo and Redo say what they would undo or redo.
pub fn command_name(def: &CommandDef, ws: &Workspace) -> String {
    let edit = if def.id == CommandId::Undo {
        ws.session.history().undo_name()
    } else if def.id == CommandId::Redo {
        ws.session.history().redo_name()
    } else {
        None
    };
    edit.map_or_else(|| def.name.to_string(), |n| format!("{} {n}", def.name))
}

/// Whether a command can run now (greyed out otherwise), from what it needs ([`Needs`]).
pub fn enabled(id: CommandId, ws: &Workspace) -> bool {
    match id.needs() {
        Needs::Nothing => true,
        Needs::Document => ws.document().is_some(),
        Needs::Spans => ws.document().is_some_and(|d| !d.spans.is_empty()),
        Needs::SelectedSpan => ws.cursor.selected_span.is_some(),
        Needs::SpanOrSelection => ws.cursor.selected_span.is_some() || ws.cursor.selection.is_some(),
        Needs::Undo => ws.session.history().undo_name().is_some(),
        Needs::Redo => ws.session.history().redo_name().is_some(),
    }
}

/// Draws the menu bar.
pub fn show(ui: &mut egui::Ui, ws: &Workspace, extra: &MenuContext<'_>, intents: &mut Vec<Intent>) {
    egui::MenuBar::new().ui(ui, |ui| {
        for menu in Menu::ALL {
            ui.menu_button(menu.title(), |ui| {
                for def in commands().iter().filter(|c| c.menu == menu) {
                    let mut name = command_name(def, ws);
                    if def.id == CommandId::ToggleSnap && extra.snap {
                        name.insert_str(0, "✔ ");
                    }
                    let button = with_shortcut(Button::new(name), shortcut_text(ui.ctx(), def.shortcut));
                    if ui.add_enabled(enabled(def.id, ws), button).clicked() {
                        intents.push(Intent::Run(def.id));
                        ui.close();
                    }
                }
                if menu == Menu::File && !extra.recent.is_empty() {
                    ui.separator();
                    ui.menu_button("Open recent", |ui| {
                        for path in extra.recent {
                            if ui.button(path.display().to_string()).clicked() {
                                intents.push(Intent::Open(path.clone()));
                                ui.close();
                            }
                        }
                    });
                }
                if menu == Menu::Document {
                    ui.separator();
                    for (index, label) in ws.session.project().schema.labels.iter().enumerate() {
                        let key = label.key.map_or(String::new(), |k| k.to_string());
                        let button = with_shortcut(Button::new(format!("Label as {}", label.name)), key);
                        if ui.add_enabled(ws.document().is_some(), button).clicked() {
                            intents.push(Intent::ApplyLabel(index));
                            ui.close();
                        }
                    }
                }
            });
        }
    });
}
