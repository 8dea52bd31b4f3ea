//! The Settings window (annotator, theme, text size, snapping) and the Guidelines window.

use super::doc_view::label_color;
use super::intent::Intent;
use super::prefs::{Preferences, ThemeChoice};
use super::workspace::Workspace;

/// The Settings window's state.
#[derive(Default)]
pub struct SettingsWindow {
    /// Whether it is showing.
    pub open: bool,
    /// Whether it was showing last frame (the name field takes the keyboard when it opens).
    was_open: bool,
}

impl SettingsWindow {
    /// Draws Settings when open. Changes to preferences apply at once; the annotator goes through an
    /// intent because the workspace records it on new spans.
    ///
    /// Until the user has confirmed the annotator name (the first start), the window says whose name
    /// will be stored on spans and offers "Use this name": the name came from `$USER`, and a span signed
    /// with the wrong name is hard to put right later.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        prefs: &mut Preferences,
        font_size: &mut f32,
        intents: &mut Vec<Intent>,
    ) {
        let opening = self.open && !self.was_open;
        self.was_open = self.open;
        if !self.open {
            return;
        }
        let mut still_open = true;
        let mut confirm = false;
        crate::ui::dialogs::window("Settings", ctx).open(&mut still_open).show(ctx, |ui| {
            if !prefs.annotator_confirmed {
                // Always shown until confirmed, so the field below keeps its place (and the keyboard)
                // while the user types.
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "Who is annotating? This name is stored on every span you make. Check it, then press Enter.",
                );
            }
            let label = ui.label("Annotator name");
            let mut name = prefs.annotator.clone();
            let field = ui
                .add(egui::TextEdit::singleline(&mut name).id_salt("settings_annotator").hint_text("your name"))
                .labelled_by(label.id);
            if opening {
                field.request_focus();
                // The whole name selected: typing replaces a guessed name instead of adding to it.
                let mut state = egui::TextEdit::load_state(ui.ctx(), field.id).unwrap_or_default();
                let all = egui::text::CCursorRange::two(
                    egui::text::CCursor::new(0),
                    egui::text::CCursor::new(prefs.annotator.chars().count()),
                );
                state.cursor.set_char_range(Some(all));
                state.store(ui.ctx(), field.id);
            }
            if field.changed() {
                intents.push(Intent::SetAnnotator(name));
            }
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if !prefs.annotator_confirmed && (ui.button("Use this name").clicked() || entered) {
                confirm = true;
            }
            ui.horizontal(|ui| {
                ui.label("Theme");
                for (choice, text) in
                    [(ThemeChoice::Dark, "dark"), (ThemeChoice::Light, "light"), (ThemeChoice::System, "system")]
                {
                    if ui.radio_value(&mut prefs.theme, choice, text).changed() {
                        ctx.set_theme(choice.preference());
                    }
                }
            });
            let label = ui.label("Text size");
            let range = super::app::MIN_FONT_SIZE..=super::app::MAX_FONT_SIZE;
            if ui.add(egui::Slider::new(font_size, range).suffix(" pt")).labelled_by(label.id).changed() {
                prefs.font_size = *font_size;
            }
            ui.checkbox(&mut prefs.snap_words, "Snap selections to whole words");
            ui.weak("Ctrl+= / Ctrl+- / Ctrl+0 change the text size too.");
        });
        if confirm || !still_open {
            // Closing the window keeps the name shown in it: the user has seen it.
            prefs.annotator_confirmed = true;
        }
        if confirm || !still_open {
            self.open = false;
        }
    }
}

/// Draws the Guidelines window when `open`: every label's colour, key and guideline, and the relation
/// types.
pub fn guidelines(ctx: &egui::Context, ws: &Workspace, open: &mut bool) {
    crate::ui::dialogs::window("Guidelines", ctx).open(open).default_width(480.0).vscroll(true).show(ctx, |ui| {
        for label in &ws.session.project().schema.labels {
            let key = label.key.map_or(String::new(), |k| format!(" (key {k})"));
            ui.colored_label(label_color(label.color), egui::RichText::new(format!("{}{key}", label.name)).strong());
            ui.label(if label.guideline.is_empty() { "—" } else { &label.guideline });
            ui.add_space(6.0);
        }
        ui.separator();
        for kind in &ws.session.project().schema.relation_types {
            let ends = |names: &[String]| if names.is_empty() { "any".to_string() } else { names.join(" | ") };
            ui.label(egui::RichText::new(format!("{}: {} → {}", kind.name, ends(&kind.from), ends(&kind.to))).strong());
            if !kind.guideline.is_empty() {
                ui.label(&kind.guideline);
            }
        }
    });
}
