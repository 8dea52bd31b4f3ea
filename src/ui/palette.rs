//! The command palette (Ctrl+Shift+P): every command and label by name, filtered as the user types; the
//! first match highlighted, ↑/↓ to move, Enter to run, Esc to close.

use egui::Button;

use super::commands::{CommandId, commands};
use super::intent::Intent;
use super::menu_bar::{command_name, enabled, shortcut_text, with_shortcut};
use super::workspace::Workspace;

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
        for (index, label) in ws.session.project().schema.labels.iter().enumerate() {
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
