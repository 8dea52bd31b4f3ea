//! The menu bar and the command palette, both built from the one command list in [`super::commands`].

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

fn shortcut_text(ctx: &egui::Context, shortcut: Option<KeyboardShortcut>) -> String {
    shortcut.map_or(String::new(), |s| ctx.format_shortcut(&s))
}

/// Adds the shortcut text on the right, if there is one (an empty one would end up in the button's
/// accessible name).
fn with_shortcut(button: Button<'_>, shortcut: String) -> Button<'_> {
    if shortcut.is_empty() { button } else { button.shortcut_text(shortcut) }
}

/// The name a command shows: Undo and Redo say what they would undo or redo.
pub fn command_name(def: &CommandDef, ws: &Workspace) -> String {
    let edit = if def.id == CommandId::Undo {
        ws.history.undo_name()
    } else if def.id == CommandId::Redo {
        ws.history.redo_name()
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
        Needs::SelectedSpan => ws.selected_span.is_some(),
        Needs::SpanOrSelection => ws.selected_span.is_some() || ws.selection.is_some(),
        Needs::Undo => ws.history.undo_name().is_some(),
        Needs::Redo => ws.history.redo_name().is_some(),
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
                    for (index, label) in ws.project.schema.labels.iter().enumerate() {
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

/// The command palette's state.
#[derive(Default)]
pub struct Palette {
    /// Whether it is showing.
    pub open: bool,
    query: String,
    /// The highlighted entry: Enter runs it. Back to the first whenever the query changes.
    highlight: usize,
}

/// One palette entry: its text and what it does.
struct Entry {
    text: String,
    shortcut: String,
    intent: Intent,
}

impl Palette {
    /// Entries matching the query: every word of it must appear in the name, ignoring case.
    fn entries(&self, ctx: &egui::Context, ws: &Workspace) -> Vec<Entry> {
        let mut all: Vec<Entry> = commands()
            .iter()
            .filter(|c| c.id != CommandId::Palette && enabled(c.id, ws))
            .map(|c| Entry {
                text: format!("{}: {}", c.menu.title(), command_name(c, ws)),
                shortcut: shortcut_text(ctx, c.shortcut),
                intent: Intent::Run(c.id),
            })
            .collect();
        for (index, label) in ws.project.schema.labels.iter().enumerate() {
            all.push(Entry {
                text: format!("Label: {}", label.name),
                shortcut: label.key.map_or(String::new(), |k| k.to_string()),
                intent: Intent::ApplyLabel(index),
            });
        }
        let query = self.query.to_lowercase();
        all.retain(|e| {
            let text = e.text.to_lowercase();
            query.split_whitespace().all(|w| text.contains(w))
        });
        all
    }

    /// Draws the palette when open: a filter field and the matching commands, the first highlighted as
    /// the user types; ↑/↓ move the highlight, Enter runs it and closes the palette, Esc closes it.
    pub fn show(&mut self, ctx: &egui::Context, ws: &Workspace, intents: &mut Vec<Intent>) {
        if !self.open {
            return;
        }
        // The keys are taken before the text field sees them: a single-line field gives up the keyboard
        // on Enter and moves its cursor on ↑/↓.
        let (enter, up, down) = ctx.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
            )
        });
        let entries = self.entries(ctx, ws);
        let last = entries.len().saturating_sub(1);
        if down {
            self.highlight = (self.highlight + 1).min(last);
        }
        if up {
            self.highlight = self.highlight.saturating_sub(1);
        }
        self.highlight = self.highlight.min(last);
        let mut close = false;
        if enter {
            if let Some(entry) = entries.get(self.highlight) {
                intents.push(entry.intent.clone());
            }
            close = true;
        }
        let modal = egui::Modal::new(egui::Id::unique("command_palette")).show(ctx, |ui| {
            ui.set_width(420.0);
            let label = ui.label("Command");
            let field = ui
                .add(egui::TextEdit::singleline(&mut self.query).id_salt("palette_query").hint_text("type to filter"))
                .labelled_by(label.id);
            field.request_focus();
            if field.changed() {
                self.highlight = 0;
            }
            egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
                for (i, entry) in entries.iter().enumerate() {
                    let on = i == self.highlight;
                    let button = with_shortcut(Button::new(entry.text.as_str()).selected(on), entry.shortcut.clone());
                    let response = ui.add_sized([400.0, 0.0], button);
                    if on && (up || down) {
                        response.scroll_to_me(None);
                    }
                    if response.clicked() {
                        intents.push(entry.intent.clone());
                        close = true;
                    }
                }
            });
        });
        if close || modal.should_close() {
            self.open = false;
            self.query.clear();
            self.highlight = 0;
        }
    }
}
